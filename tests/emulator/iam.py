"""IAM on the emulator's port: roles, their inline and managed policies, and OpenID Connect providers.

Chosen by the SigV4 credential scope's service `iam`. The query protocol as the
IAM API reference and botocore's iam 2010-05-08 model give it (model/iam-2010-05-08.json,
a subset of that model): form-encoded POST (or GET) with Action and
Version=2010-05-08, lists as `Name.member.N`; answers `<OpResponse><OpResult>...`
with lists as `<member>`, timestamps ISO 8601, and policy documents URL-encoded
(GetRolePolicy reference: "The policy document returned in this structure is
URL-encoded compliant with RFC 3986"). Errors are `<ErrorResponse>` with the
model's codes and statuses (NoSuchEntity 404, EntityAlreadyExists 409,
DeleteConflict 409, LimitExceeded 409, MalformedPolicyDocument 400, InvalidInput
400, ValidationError 400). Pagination is Marker/IsTruncated/MaxItems (default 100).
Size quotas from the IAM "quotas" page: role trust policy 2,048 characters,
inline policies of a role 10,240 together, a managed policy 6,144, 5 versions,
10 managed policies a role; white space is not counted.

IAM is global: signed for the partition's global region (us-east-1, cn-north-1,
us-gov-west-1); any other scope region is SignatureDoesNotMatch.
"""
import datetime
import hashlib
import json
import os
import re
import secrets
import string
import urllib.parse
import uuid
from xml.sax.saxutils import escape

import model
import policy
import sigv4
from responses import Response

HERE = os.path.dirname(os.path.abspath(__file__))
NS = "https://iam.amazonaws.com/doc/2010-05-08/"
VERSION = "2010-05-08"
GLOBAL_REGIONS = ("us-east-1", "cn-north-1", "us-gov-west-1")
READS = frozenset({"GetRole", "GetRolePolicy", "ListRolePolicies", "ListAttachedRolePolicies", "GetPolicy",
                   "GetPolicyVersion", "GetOpenIDConnectProvider", "ListOpenIDConnectProviders"})
TRUST_MAX = 2048
INLINE_MAX = 10240
MANAGED_MAX = 6144
MAX_VERSIONS = 5
MAX_ATTACHED = 10
DEFAULT_MAX_ITEMS = 100
ROLE_ARN = re.compile(r"arn:aws[\w-]*:iam::(\d{12}):role(/(?:[\x21-\x7e]*/)?)([\w+=,.@-]+)")
POLICY_ARN = re.compile(r"arn:aws[\w-]*:iam::(\d{12}|aws):policy(/(?:[\x21-\x7e]*/)?)([\w+=,.@-]+)")
OIDC_ARN = re.compile(r"arn:aws[\w-]*:iam::(\d{12}):oidc-provider/(.+)")
AUTH_CODES = {
    "MissingAuthenticationTokenException": ("MissingAuthenticationToken", 403),
    "IncompleteSignatureException": ("IncompleteSignature", 400),
    "UnrecognizedClientException": ("InvalidClientTokenId", 403),
    "InvalidSignatureException": ("SignatureDoesNotMatch", 403),
    "ExpiredTokenException": ("ExpiredToken", 400),
}
_ID_CHARS = string.ascii_uppercase + "234567"

# AWS managed policies every account sees (the documents as AWS publishes them, trimmed to what matters here).
AWS_MANAGED = {
    "AdministratorAccess": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*",
                                                                     "Resource": "*"}]},
    "ReadOnlyAccess": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
        "cognito-identity:Describe*", "cognito-identity:Get*", "cognito-identity:List*", "iam:Get*", "iam:List*",
        "s3:Get*", "s3:List*", "dynamodb:Describe*", "dynamodb:Get*", "dynamodb:Query", "dynamodb:Scan"],
        "Resource": "*"}]},
    "AmazonS3FullAccess": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
        "s3:*", "s3-object-lambda:*"], "Resource": "*"}]},
    "AmazonS3ReadOnlyAccess": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
        "s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"],
        "Resource": "*"}]},
    "AmazonDynamoDBReadOnlyAccess": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
        "dynamodb:BatchGetItem", "dynamodb:Describe*", "dynamodb:List*", "dynamodb:GetItem", "dynamodb:Query",
        "dynamodb:Scan"], "Resource": "*"}]},
}


class IamError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def _no_such(msg):
    return IamError("NoSuchEntity", msg, 404)


def _exists(msg):
    return IamError("EntityAlreadyExists", msg, 409)


def _limit(msg):
    return IamError("LimitExceeded", msg, 409)


def _malformed(msg):
    return IamError("MalformedPolicyDocument", msg, 400)


def _invalid(msg):
    return IamError("InvalidInput", msg, 400)


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def encode_document(doc):
    """A policy document as IAM sends it: URL-encoded per RFC 3986 (unreserved characters kept)."""
    return urllib.parse.quote(doc, safe="-_.~")


def make_id(prefix, seed=None):
    """IAM unique ids (AROA..., ANPA...): 21 characters; derived from SEED when given (deterministic data)."""
    if seed is None:
        return prefix + "".join(secrets.choice(_ID_CHARS) for _ in range(17))
    h = hashlib.sha256(seed.encode()).digest()
    return prefix + "".join(_ID_CHARS[b % 32] for b in h[:17])


def empty_state(account, now):
    """IAM data of a fresh account: no roles, the AWS managed policies, no OIDC providers."""
    state = {"roles": {}, "policies": {}, "oidc": {}}
    for name, doc in AWS_MANAGED.items():
        arn = f"arn:aws:iam::aws:policy/{name}"
        state["policies"][arn] = {
            "PolicyName": name, "PolicyId": make_id("ANPA", arn), "Arn": arn, "Path": "/", "DefaultVersionId": "v1",
            "Description": f"AWS managed policy {name}", "CreateDate": now, "UpdateDate": now,
            "versions": {"v1": {"Document": json.dumps(doc, separators=(",", ":")), "CreateDate": now}},
            "next_version": 2, "Tags": [],
        }
    return state


def new_role(account, name, trust_doc, now, path="/", description=None, deterministic=False):
    arn = f"arn:aws:iam::{account}:role{path}{name}"
    role = {"RoleName": name, "Path": path, "RoleId": make_id("AROA", arn if deterministic else None), "Arn": arn,
            "CreateDate": now, "AssumeRolePolicyDocument": trust_doc, "MaxSessionDuration": 3600, "Tags": [],
            "RoleLastUsed": {}, "inline": {}, "attached": []}
    if description:
        role["Description"] = description
    return role


def new_policy(account, name, doc, now, path="/", description=None, deterministic=False):
    arn = f"arn:aws:iam::{account}:policy{path}{name}"
    p = {"PolicyName": name, "PolicyId": make_id("ANPA", arn if deterministic else None), "Arn": arn, "Path": path,
         "DefaultVersionId": "v1", "CreateDate": now, "UpdateDate": now, "Tags": [],
         "versions": {"v1": {"Document": doc, "CreateDate": now}}, "next_version": 2}
    if description:
        p["Description"] = description
    return p


def role_for_arn(state, account, arn):
    """The stored role an ARN names (account, path and name must all match), or None."""
    m = ROLE_ARN.fullmatch(arn or "")
    if not m or m.group(1) != account:
        return None
    role = state["roles"].get(m.group(3))
    if role is None or role["Path"] != m.group(2):
        return None
    return role


def trust_allows(state, account, role_arn, context, tag_session):
    """Whether STS would let cognito-identity.amazonaws.com assume ROLE_ARN by AssumeRoleWithWebIdentity
    in CONTEXT (condition keys -> value lists), and tag the session when TAG_SESSION. A role that
    does not exist, or whose trust policy cannot be read, allows nothing."""
    role = role_for_arn(state, account, role_arn)
    if role is None:
        return False
    try:
        doc = json.loads(role["AssumeRolePolicyDocument"])
    except (ValueError, TypeError):
        return False
    fed = "cognito-identity.amazonaws.com"
    if not policy.allows(doc, "Federated", fed, "sts:AssumeRoleWithWebIdentity", context):
        return False
    return not tag_session or policy.allows(doc, "Federated", fed, "sts:TagSession", context)


# -- query protocol: form -> typed input, output -> XML -----------------------------------------
def _convert(shape, text, path):
    t = shape["type"]
    if t in ("integer", "long"):
        try:
            return int(text)
        except ValueError:
            raise IamError("ValidationError", f"1 validation error detected: Value '{text}' at '{path}' failed "
                                              "to satisfy constraint: Member must be an integer") from None
    if t == "boolean":
        if text.lower() not in ("true", "false"):
            raise IamError("ValidationError", f"1 validation error detected: Value '{text}' at '{path}' failed "
                                              "to satisfy constraint: Member must be a boolean")
        return text.lower() == "true"
    return text


def from_query(shapes, shape_name, form, prefix=""):
    """The typed input of a query-protocol request (botocore's serializer, read backwards)."""
    out = {}
    for member, ref in shapes[shape_name].get("members", {}).items():
        key = prefix + member
        shape = shapes[ref["shape"]]
        if shape["type"] == "list":
            item = shapes[shape["member"]["shape"]]
            items, i = [], 1
            while True:
                k = f"{key}.member.{i}"
                if item["type"] == "structure":
                    if not any(f.startswith(k + ".") for f in form):
                        break
                    items.append(from_query(shapes, shape["member"]["shape"], form, k + "."))
                elif k in form:
                    items.append(_convert(item, form[k], member))
                else:
                    break
                i += 1
            if items or key in form:
                out[member] = items
        elif shape["type"] == "structure":
            if any(f.startswith(key + ".") for f in form):
                out[member] = from_query(shapes, ref["shape"], form, key + ".")
        elif key in form:
            out[member] = _convert(shape, form[key], member[:1].lower() + member[1:])
    return out


def to_xml(shapes, shape_name, value, indent):
    """VALUE serialized under SHAPE_NAME as IAM writes it (members in model order)."""
    shape = shapes[shape_name]
    t = shape["type"]
    pad = "  " * indent
    if t == "structure":
        parts = []
        for member, ref in shape.get("members", {}).items():
            v = value.get(member) if isinstance(value, dict) else None
            if v is None or (v == [] and member not in shape.get("required", [])):
                continue
            inner = to_xml(shapes, ref["shape"], v, indent + 1)
            if inner.startswith("\n"):
                parts.append(f"{pad}<{member}>{inner}{pad}</{member}>\n" if inner.strip() else f"{pad}<{member}/>\n")
            else:
                parts.append(f"{pad}<{member}>{inner}</{member}>\n")
        return "\n" + "".join(parts)
    if t == "list":
        parts = []
        for v in value:
            inner = to_xml(shapes, shape["member"]["shape"], v, indent + 1)
            parts.append(f"{pad}<member>{inner}{pad if inner.startswith(chr(10)) else ''}</member>\n")
        return "\n" + "".join(parts)
    if t == "timestamp":
        return iso(value)
    if t == "boolean":
        return "true" if value else "false"
    if shape_name == "policyDocumentType":
        return encode_document(value)
    return escape(str(value))


class IAM:
    def __init__(self, app):
        self.app = app
        self.model = model.Model(os.path.join(HERE, "model", "iam-2010-05-08.json"))

    @property
    def store(self):
        return self.app.store

    @property
    def state(self):
        return self.app.store.iam

    @property
    def account(self):
        return self.app.account

    # -- routing and answers --------------------------------------------------------------
    def route(self, req, scope):
        """(operation, produce) for a request whose credential scope names `iam`, else None."""
        if scope is None or scope[3] != "iam" or req.path != "/" or req.method not in ("POST", "GET"):
            return None
        params = dict(req.query)
        if req.method == "POST":
            try:
                form = urllib.parse.parse_qs(req.body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                form = {}
            params.update({k: v[0] for k, v in form.items()})
        req.input = params
        req.service = "iam"  # faults answer in IAM's XML (emulator.fault_response)
        action = params.get("Action") or "Unknown"
        return action, lambda: self.call(req, action, params, scope)

    def xml(self, action, result_xml):
        inner = f"  <{action}Result>{result_xml}  </{action}Result>\n" if result_xml is not None else ""
        body = (f'<{action}Response xmlns="{NS}">\n{inner}  <ResponseMetadata>\n    <RequestId>{uuid.uuid4()}'
                f"</RequestId>\n  </ResponseMetadata>\n</{action}Response>\n")
        return Response(200, body, "text/xml")

    def error(self, code, message, status):
        sender = "Sender" if status < 500 else "Receiver"
        body = (f'<ErrorResponse xmlns="{NS}">\n  <Error>\n    <Type>{sender}</Type>\n    <Code>{escape(code)}</Code>\n'
                f"    <Message>{escape(message)}</Message>\n  </Error>\n  <RequestId>{uuid.uuid4()}</RequestId>\n"
                "</ErrorResponse>\n")
        return Response(status, body, "text/xml", error_code=code)

    def call(self, req, action, params, scope):
        app = self.app
        try:
            caller = sigv4.verify(req.method, req.path, req.raw_query, req.headers, req.body, app.now(), None, "iam",
                                  app.creds.lookup)
        except sigv4.AuthError as e:
            code, status = AUTH_CODES.get(e.code, (e.code, 400))
            return self.error(code, e.message, status)
        req.access_key_id = caller["access_key_id"]
        if scope[2] not in GLOBAL_REGIONS:
            return self.error("SignatureDoesNotMatch", f"Credential should be scoped to a valid region. Credential "
                              f"scope region '{scope[2]}' is not a global IAM region (us-east-1 for aws).", 403)
        if params.get("Version") != VERSION or action not in self.model.operations:
            return self.error("InvalidAction", f"Could not find operation {action} for version "
                              f"{params.get('Version')}", 400)
        if caller.get("source") == "cognito" or (caller["access"] != "full" and action not in READS):
            return self.error("AccessDenied", f"User: {caller['arn']} is not authorized to perform: iam:{action} on "
                              f"resource: {self._resource(action, params)}", 403)
        shapes = self.model.shapes
        try:
            typed = from_query(shapes, self.model.input_shape(action), params)
            errors = self.model.validate(action, typed)
            if errors:
                raise IamError("ValidationError", model.validation_message(errors))
            with self.store.lock:
                result = getattr(self, "op_" + action)(typed)
                if action not in READS:
                    self.store.changed()
        except IamError as e:
            return self.error(e.code, e.message, e.status)
        except model.SerializationError as e:
            return self.error("ValidationError", str(e), 400)
        out = self.model.operations[action].get("output")
        return self.xml(action, to_xml(shapes, out["shape"], result or {}, 2) if out else None)

    def _resource(self, action, params):
        a = self.account
        if "RoleName" in params:
            return f"arn:aws:iam::{a}:role/{params['RoleName']}"
        if "PolicyArn" in params:
            return f"policy {params['PolicyArn']}"
        if "PolicyName" in params:
            return f"arn:aws:iam::{a}:policy/{params['PolicyName']}"
        if "OpenIDConnectProviderArn" in params:
            return params["OpenIDConnectProviderArn"]
        return f"arn:aws:iam::{a}:oidc-provider/*"

    # -- helpers ----------------------------------------------------------------------------
    def now(self):
        return round(self.app.now())

    def role(self, name):
        r = self.state["roles"].get(name)
        if r is None:
            raise _no_such(f"The role with name {name} cannot be found.")
        return r

    def policy(self, arn, attach=False):
        p = self.state["policies"].get(arn)
        if p is None:
            raise _no_such(f"Policy {arn} does not exist or is not attachable." if attach else
                           f"Policy {arn} was not found.")
        return p

    def _check_doc(self, doc, kind):
        try:
            policy.parse(doc, kind)
        except policy.PolicyError as e:
            raise _malformed(str(e)) from None

    def _page(self, op, query, items, params):
        """A Marker page of ITEMS (a list). Returns (page, extra output fields)."""
        limit = params.get("MaxItems") or DEFAULT_MAX_ITEMS
        start = 0
        if params.get("Marker"):
            try:
                start, _ = self.store.read_token("iam:" + op, query, params["Marker"])
            except Exception:
                raise _invalid("Invalid Marker.") from None
        page = items[start:start + limit]
        if start + limit < len(items):
            return page, {"IsTruncated": True, "Marker": self.store.make_token("iam:" + op, query, start + limit,
                                                                                None)}
        return page, {"IsTruncated": False}

    def _attachment_count(self, arn):
        return sum(1 for r in self.state["roles"].values() if arn in r["attached"])

    def describe_role(self, r):
        return {k: v for k, v in r.items() if k not in ("inline", "attached") and v is not None}

    def describe_policy(self, p):
        out = {k: v for k, v in p.items() if k not in ("versions", "next_version")}
        out["AttachmentCount"] = self._attachment_count(p["Arn"])
        out["PermissionsBoundaryUsageCount"] = 0
        out["IsAttachable"] = True
        return out

    # -- roles ----------------------------------------------------------------------------------
    def op_CreateRole(self, p):
        name = p["RoleName"]
        if any(n.lower() == name.lower() for n in self.state["roles"]):  # role names are case-insensitive
            raise _exists(f"Role with name {name} already exists.")
        doc = p["AssumeRolePolicyDocument"]
        self._check_doc(doc, "trust")
        if policy.minimal_size(doc) > TRUST_MAX:
            raise _limit(f"Cannot exceed quota for ACLSizePerRole: {TRUST_MAX}")
        path = p.get("Path") or "/"
        role = new_role(self.account, name, doc, self.now(), path, p.get("Description"))
        if p.get("MaxSessionDuration"):
            role["MaxSessionDuration"] = p["MaxSessionDuration"]
        role["Tags"] = list(p.get("Tags") or [])
        self.state["roles"][name] = role
        return {"Role": self.describe_role(role)}

    def op_GetRole(self, p):
        return {"Role": self.describe_role(self.role(p["RoleName"]))}

    def op_DeleteRole(self, p):
        r = self.role(p["RoleName"])
        if r["inline"]:
            raise IamError("DeleteConflict", "Cannot delete entity, must delete policies first.", 409)
        if r["attached"]:
            raise IamError("DeleteConflict", "Cannot delete entity, must detach all policies first.", 409)
        del self.state["roles"][r["RoleName"]]

    def op_UpdateAssumeRolePolicy(self, p):
        r = self.role(p["RoleName"])
        self._check_doc(p["PolicyDocument"], "trust")
        if policy.minimal_size(p["PolicyDocument"]) > TRUST_MAX:
            raise _limit(f"Cannot exceed quota for ACLSizePerRole: {TRUST_MAX}")
        r["AssumeRolePolicyDocument"] = p["PolicyDocument"]

    def op_PutRolePolicy(self, p):
        r = self.role(p["RoleName"])
        self._check_doc(p["PolicyDocument"], "identity")
        others = sum(policy.minimal_size(d) + len(n) for n, d in r["inline"].items() if n != p["PolicyName"])
        if others + policy.minimal_size(p["PolicyDocument"]) + len(p["PolicyName"]) > INLINE_MAX:
            raise _limit(f"Maximum policy size of {INLINE_MAX} bytes exceeded for role {r['RoleName']}")
        r["inline"][p["PolicyName"]] = p["PolicyDocument"]

    def op_GetRolePolicy(self, p):
        r = self.role(p["RoleName"])
        doc = r["inline"].get(p["PolicyName"])
        if doc is None:
            raise _no_such(f"The role policy with name {p['PolicyName']} cannot be found.")
        return {"RoleName": r["RoleName"], "PolicyName": p["PolicyName"], "PolicyDocument": doc}

    def op_ListRolePolicies(self, p):
        r = self.role(p["RoleName"])
        page, extra = self._page("ListRolePolicies", {"role": r["RoleName"]}, sorted(r["inline"]), p)
        return dict(extra, PolicyNames=page)

    def op_DeleteRolePolicy(self, p):
        r = self.role(p["RoleName"])
        if r["inline"].pop(p["PolicyName"], None) is None:
            raise _no_such(f"The role policy with name {p['PolicyName']} cannot be found.")

    # -- managed policies ----------------------------------------------------------------------------
    def op_CreatePolicy(self, p):
        path = p.get("Path") or "/"
        arn = f"arn:aws:iam::{self.account}:policy{path}{p['PolicyName']}"
        if arn in self.state["policies"]:
            raise _exists(f"A policy called {p['PolicyName']} already exists. Duplicate names are not allowed.")
        self._check_doc(p["PolicyDocument"], "identity")
        if policy.minimal_size(p["PolicyDocument"]) > MANAGED_MAX:
            raise _limit(f"Cannot exceed quota for PolicySize: {MANAGED_MAX}")
        pol = new_policy(self.account, p["PolicyName"], p["PolicyDocument"], self.now(), path, p.get("Description"))
        pol["Tags"] = list(p.get("Tags") or [])
        self.state["policies"][arn] = pol
        return {"Policy": self.describe_policy(pol)}

    def op_GetPolicy(self, p):
        return {"Policy": self.describe_policy(self.policy(p["PolicyArn"]))}

    def op_GetPolicyVersion(self, p):
        pol = self.policy(p["PolicyArn"])
        v = pol["versions"].get(p["VersionId"])
        if v is None:
            raise _no_such(f"Policy {p['PolicyArn']} version {p['VersionId']} does not exist or is not attachable.")
        return {"PolicyVersion": {"Document": v["Document"], "VersionId": p["VersionId"],
                                  "IsDefaultVersion": p["VersionId"] == pol["DefaultVersionId"],
                                  "CreateDate": v["CreateDate"]}}

    def op_CreatePolicyVersion(self, p):
        pol = self.policy(p["PolicyArn"])
        if ":iam::aws:" in pol["Arn"]:
            raise IamError("AccessDenied", f"Policy {pol['Arn']} is an AWS managed policy and cannot be changed.",
                           403)
        self._check_doc(p["PolicyDocument"], "identity")
        if policy.minimal_size(p["PolicyDocument"]) > MANAGED_MAX:
            raise _limit(f"Cannot exceed quota for PolicySize: {MANAGED_MAX}")
        if len(pol["versions"]) >= MAX_VERSIONS:
            raise _limit(f"A managed policy can have up to {MAX_VERSIONS} versions. Before you create a new version, "
                         "you must delete an existing version.")
        vid = f"v{pol['next_version']}"
        pol["next_version"] += 1
        now = self.now()
        pol["versions"][vid] = {"Document": p["PolicyDocument"], "CreateDate": now}
        pol["UpdateDate"] = now
        if p.get("SetAsDefault"):
            pol["DefaultVersionId"] = vid
        return {"PolicyVersion": {"Document": p["PolicyDocument"], "VersionId": vid,
                                  "IsDefaultVersion": pol["DefaultVersionId"] == vid, "CreateDate": now}}

    def op_AttachRolePolicy(self, p):
        r = self.role(p["RoleName"])
        pol = self.policy(p["PolicyArn"], attach=True)
        if pol["Arn"] in r["attached"]:
            return
        if len(r["attached"]) >= MAX_ATTACHED:
            raise _limit(f"Cannot exceed quota for PoliciesPerRole: {MAX_ATTACHED}")
        r["attached"].append(pol["Arn"])

    def op_DetachRolePolicy(self, p):
        r = self.role(p["RoleName"])
        if p["PolicyArn"] not in r["attached"]:
            raise _no_such(f"Policy {p['PolicyArn']} was not found.")
        r["attached"].remove(p["PolicyArn"])

    def op_ListAttachedRolePolicies(self, p):
        r = self.role(p["RoleName"])
        prefix = p.get("PathPrefix") or "/"
        items = [{"PolicyName": self.state["policies"][a]["PolicyName"], "PolicyArn": a} for a in r["attached"]
                 if a in self.state["policies"] and self.state["policies"][a]["Path"].startswith(prefix)]
        page, extra = self._page("ListAttachedRolePolicies", {"role": r["RoleName"], "prefix": prefix}, items, p)
        return dict(extra, AttachedPolicies=page)

    # -- OpenID Connect providers ---------------------------------------------------------------------
    def op_CreateOpenIDConnectProvider(self, p):
        url = p["Url"]
        if not url.startswith("https://") or len(url) <= len("https://"):
            raise _invalid("Invalid Url: the provider URL must begin with https://")
        host = url[len("https://"):].rstrip("/")
        arn = f"arn:aws:iam::{self.account}:oidc-provider/{host}"
        if arn in self.state["oidc"]:
            raise _exists(f"Provider with url {url} already exists.")
        for t in p.get("ThumbprintList") or []:
            if not re.fullmatch(r"[0-9a-fA-F]{40}", t):
                raise _invalid(f"Thumbprint {t} is not a hex SHA-1 fingerprint.")
        self.state["oidc"][arn] = {"Url": host, "ClientIDList": list(p.get("ClientIDList") or []),
                                   "ThumbprintList": list(p.get("ThumbprintList") or []),
                                   "CreateDate": self.now(), "Tags": list(p.get("Tags") or [])}
        return {"OpenIDConnectProviderArn": arn, "Tags": list(p.get("Tags") or [])}

    def op_GetOpenIDConnectProvider(self, p):
        arn = p["OpenIDConnectProviderArn"]
        m = OIDC_ARN.fullmatch(arn)
        if not m:
            raise _invalid(f"Invalid ARN: {arn}")
        prov = self.state["oidc"].get(arn)
        if prov is None:
            raise _no_such(f"OpenIDConnect Provider not found for arn {arn}")
        return dict(prov)

    def op_ListOpenIDConnectProviders(self, p):
        return {"OpenIDConnectProviderList": [{"Arn": a} for a in sorted(self.state["oidc"])]}

    # -- direct data for tests (POST /_emulator/iam/role): what IAM itself would refuse ---------------
    def put_raw_role(self, payload):
        """Stores a role without IAM's checks (size quotas, syntax), to test clients against a hostile
        or corrupted answer. payload: RoleName, AssumeRolePolicyDocument, InlinePolicies {name: doc},
        Path (optional)."""
        name = payload.get("RoleName")
        doc = payload.get("AssumeRolePolicyDocument")
        inline = payload.get("InlinePolicies") or {}
        path = payload.get("Path") or "/"
        if not isinstance(name, str) or not re.fullmatch(r"[\w+=,.@-]{1,64}", name):
            raise ValueError("'RoleName' must be an IAM role name")
        if not isinstance(doc, str) or not isinstance(inline, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in inline.items()):
            raise ValueError("'AssumeRolePolicyDocument' and the values of 'InlinePolicies' must be strings")
        if not isinstance(path, str) or not path.startswith("/") or not path.endswith("/"):
            raise ValueError("'Path' must start and end with /")
        with self.store.lock:
            role = new_role(self.account, name, doc, self.now(), path)
            role["inline"] = dict(inline)
            self.state["roles"][name] = role
            self.store.changed()
        return {"Arn": role["Arn"]}
