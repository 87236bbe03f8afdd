"""IAM policy documents: the syntax checks IAM makes when it stores one, and the small
evaluator the Cognito side needs to decide whether a role's trust policy lets
cognito-identity.amazonaws.com assume it (and tag the session).

Sources: the IAM User Guide's "IAM JSON policy element reference" (Version,
Statement, Effect, Principal, Action/NotAction, Resource/NotResource,
Condition), its "Condition operators" page (String*, ...IfExists, Null, Bool;
a key absent from the request makes a positive operator false and a negated one
true) and "Multivalued context keys" (ForAnyValue:, ForAllValues:). The
MalformedPolicyDocument texts are the ones IAM answers with in public reports
("This policy contains invalid Json", "Missing required field Principal",
"Policy document should not specify a principal.", "Has prohibited field
Resource", "AssumeRole policy may only specify STS AssumeRole actions.").
"""
import json
import re

VERSIONS = ("2012-10-17", "2008-10-17")
_ACTION = re.compile(r"\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]*")


class PolicyError(ValueError):
    """A document IAM would refuse (MalformedPolicyDocument); str() is IAM's message."""


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def statements(policy):
    """The statements of a parsed policy (one object or a list), dicts only."""
    return [s for s in as_list(policy.get("Statement")) if isinstance(s, dict)] if isinstance(policy, dict) else []


def minimal_size(doc):
    """The length IAM counts against its size quotas: white space is not counted."""
    try:
        return len(json.dumps(json.loads(doc), separators=(",", ":"), ensure_ascii=False))
    except ValueError:
        return len(doc)


def parse(doc, kind):
    """Checks a policy document as IAM does when it stores it; kind is 'trust' (a role's
    AssumeRolePolicyDocument) or 'identity' (inline and managed policies). Returns the parsed
    document; raises PolicyError."""
    try:
        policy = json.loads(doc)
    except ValueError:
        raise PolicyError("This policy contains invalid Json") from None
    if not isinstance(policy, dict):
        raise PolicyError("Syntax errors in policy.")
    if "Version" in policy and policy["Version"] not in VERSIONS:
        raise PolicyError("The policy failed legacy parsing")
    stmts = policy.get("Statement")
    if stmts is None or stmts == []:
        raise PolicyError("Missing required field Statement")
    for s in as_list(stmts):
        if not isinstance(s, dict):
            raise PolicyError("Syntax errors in policy.")
        _check_statement(s, kind)
    return policy


def _check_statement(s, kind):
    if s.get("Effect") not in ("Allow", "Deny"):
        raise PolicyError("Missing required field Effect" if "Effect" not in s else "Syntax errors in policy.")
    actions = s.get("Action", s.get("NotAction"))
    if not actions or ("Action" in s and "NotAction" in s):
        raise PolicyError("Policy statement must contain actions.")
    for a in as_list(actions):
        if not isinstance(a, str) or not _ACTION.fullmatch(a):
            raise PolicyError("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
    has_principal = "Principal" in s or "NotPrincipal" in s
    has_resource = "Resource" in s or "NotResource" in s
    if kind == "trust":
        if not has_principal:
            raise PolicyError("Missing required field Principal")
        if has_resource:
            raise PolicyError("Has prohibited field Resource")
        if any(a != "sts:*" and not a.lower().startswith("sts:") for a in as_list(actions)):
            raise PolicyError("AssumeRole policy may only specify STS AssumeRole actions.")
        p = s.get("Principal", s.get("NotPrincipal"))
        if not (p == "*" or isinstance(p, dict) and p and all(
                isinstance(v, (str, list)) and all(isinstance(x, str) for x in as_list(v)) for v in p.values())):
            raise PolicyError("Invalid principal in policy")
    else:
        if has_principal:
            raise PolicyError("Policy document should not specify a principal.")
        if not has_resource:
            raise PolicyError("Policy statement must contain resources.")
    cond = s.get("Condition")
    if cond is not None:
        if not isinstance(cond, dict) or not all(isinstance(v, dict) for v in cond.values()):
            raise PolicyError("Syntax errors in policy.")


# -- evaluation ----------------------------------------------------------------------------
def wildcard(pattern, value, ignore_case=False):
    """IAM's wildcard match: * any run of characters, ? one character, the rest literal."""
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, value, re.DOTALL | (re.IGNORECASE if ignore_case else 0)) is not None


def _action_ok(stmt, action):
    if "Action" in stmt:
        return any(wildcard(a, action, True) for a in as_list(stmt["Action"]) if isinstance(a, str))
    if "NotAction" in stmt:
        return not any(wildcard(a, action, True) for a in as_list(stmt["NotAction"]) if isinstance(a, str))
    return False


def _principal_ok(stmt, kind, name):
    p = stmt.get("Principal")
    if p == "*":
        return True
    if not isinstance(p, dict):
        return False
    values = as_list(p.get(kind))
    return "*" in values or name in values


_STRING_OPS = {
    "StringEquals": lambda v, c: v == c,
    "StringNotEquals": lambda v, c: v == c,
    "StringEqualsIgnoreCase": lambda v, c: v.lower() == c.lower(),
    "StringNotEqualsIgnoreCase": lambda v, c: v.lower() == c.lower(),
    "StringLike": lambda v, c: wildcard(c, v),
    "StringNotLike": lambda v, c: wildcard(c, v),
}


def _condition_ok(op, key, wanted, context):
    """One operator applied to one key. context: lowercase key -> list of strings (absent: None)."""
    prefix = ""
    if ":" in op:
        prefix, op = op.split(":", 1)
    if_exists = op.endswith("IfExists")
    if if_exists:
        op = op[: -len("IfExists")]
    values = context.get(key.lower())
    wanted = [str(w).lower() if isinstance(w, bool) else str(w) for w in as_list(wanted)]
    if op == "Null":
        return (values is None) == ("true" in wanted)
    if values is None:
        if if_exists or prefix == "ForAllValues":
            return True
        return op.startswith("StringNot")
    if op == "Bool":
        return any(v.lower() in wanted for v in values)
    test = _STRING_OPS.get(op)
    if test is None:
        return False  # an operator this evaluator does not know never grants
    negated = op.startswith("StringNot")
    hit = [any(test(v, w) for w in wanted) for v in values]
    if prefix == "ForAllValues":
        return all(not h for h in hit) if negated else all(hit)
    # ForAnyValue, and a plain operator on a (possibly multivalued) key: any value decides.
    return not any(hit) if negated else any(hit)


def _conditions_ok(stmt, context):
    cond = stmt.get("Condition") or {}
    if not isinstance(cond, dict):
        return False
    for op, block in cond.items():
        if not isinstance(block, dict):
            return False
        for key, wanted in block.items():
            if not _condition_ok(op, key, wanted, context):
                return False
    return True


def allows(policy, principal_kind, principal, action, context):
    """Whether a trust policy lets PRINCIPAL (e.g. Federated cognito-identity.amazonaws.com) perform
    ACTION in CONTEXT: an Allow statement applies and no Deny statement does."""
    allowed = False
    for s in statements(policy):
        if not (_principal_ok(s, principal_kind, principal) and _action_ok(s, action) and _conditions_ok(s, context)):
            continue
        if s.get("Effect") == "Deny":
            return False
        if s.get("Effect") == "Allow":
            allowed = True
    return allowed
