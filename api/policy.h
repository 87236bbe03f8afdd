/* api/policy.h — IAM policy documents: parsed once, then asked questions.
 *
 * For what the audit and the credential doctor need, not all of IAM:
 *  - statements as one object or a list; Effect Allow/Deny; Action or
 *    NotAction; Resource or NotResource (absent in trust policies);
 *    Principal or NotPrincipal ("*" or {"Federated"|"AWS"|"Service"|...:
 *    string or list}); Sid;
 *  - Condition operators: StringEquals, StringNotEquals,
 *    StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike,
 *    StringNotLike, Bool, Null, each with ...IfExists, and the set prefixes
 *    ForAnyValue: and ForAllValues:. Any other operator (Numeric*, Date*,
 *    IpAddress, Arn*, ...) is kept and reported as not evaluated: a
 *    statement that depends on one gives API_POLICY_UNKNOWN, never a guess.
 *
 * Semantics (IAM User Guide, "Policy evaluation logic" and "Condition
 * operators"): an explicit Deny wins, then an Allow, else the request is
 * implicitly denied. Condition blocks, and keys within a block, are ANDed;
 * the values of one key are ORed. Condition keys match case-insensitively,
 * actions case-insensitively, resources and string values case-sensitively
 * (except the IgnoreCase operators); `*` and `?` are wildcards in actions,
 * resources and the Like operators. A key absent from the request makes a
 * positive operator false and a negated one (StringNot*) true; IfExists
 * makes it true; ForAllValues is true and ForAnyValue false on an absent
 * key. A plain (single-valued) operator given a key with several values in
 * the request matches when any value matches (negated: when none does).
 * Policy variables (${...}) are compared as written.
 *
 * Errors (API_ERR_INVALID_INPUT, message naming the statement, 1-based, and
 * its Sid): text that is not JSON, nesting deeper than 32, a document that
 * is not an object or has no Statement, a statement without a valid Effect,
 * with both or neither of Action/NotAction, with a value of the wrong type.
 * Any number of statements is accepted (memory permitting); evaluation is
 * linear in the document.
 *
 * Ownership: a policy owns its JSON and the parsed statements; everything
 * handed out points into it and lives until api_policy_free().
 */
#ifndef API_POLICY_H
#define API_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "api/error.h"

struct api_policy;

struct api_policy_strings {
    const char **v;
    size_t n;
};

enum api_policy_set { API_POLICY_SET_NONE, API_POLICY_SET_ANY, API_POLICY_SET_ALL };

struct api_policy_condition {
    const char *op_text; /* as written: "ForAnyValue:StringLike" */
    const char *base_op; /* the operator without prefix and IfExists: "StringLike" */
    enum api_policy_set set;
    bool if_exists;
    bool supported; /* evaluated here (see above) */
    const char *key;
    struct api_policy_strings values; /* booleans and numbers as JSON writes them */
};

struct api_policy_principal {
    const char *type; /* "AWS", "Federated", "Service", "CanonicalUser"; "*" for Principal "*" */
    const char *value;
};

struct api_policy_statement {
    size_t index;    /* 0-based position in the document */
    const char *sid; /* "" when none */
    bool allow;      /* Effect Allow (else Deny) */
    struct api_policy_strings actions;
    bool not_action;
    bool has_resource; /* Resource or NotResource present */
    struct api_policy_strings resources;
    bool not_resource;
    bool has_principal; /* Principal or NotPrincipal present */
    struct api_policy_principal *principals;
    size_t n_principals;
    bool not_principal;
    struct api_policy_condition *conditions;
    size_t n_conditions;
    json_object *json; /* the statement as written (borrowed from the policy) */
};

/* Parses `len` bytes of `text`. Returns the policy, or NULL with err. */
struct api_policy *api_policy_parse(const char *text, size_t len, struct api_error *err);
void api_policy_free(struct api_policy *p);

size_t api_policy_count(const struct api_policy *p);
const struct api_policy_statement *api_policy_statement(const struct api_policy *p, size_t i);
json_object *api_policy_json(const struct api_policy *p); /* the whole document, borrowed */

/* ---- evaluation ---- */

struct api_policy_context_value {
    const char *key; /* "cognito-identity.amazonaws.com:aud" */
    const char *const *values;
    size_t n_values; /* 0 = absent from the request */
};

struct api_policy_request {
    const char *action;         /* "sts:AssumeRoleWithWebIdentity" */
    const char *resource;       /* NULL: Resource is not checked (trust policies) */
    const char *principal_type; /* "Federated"; NULL: Principal is not checked */
    const char *principal;      /* "cognito-identity.amazonaws.com" */
    const struct api_policy_context_value *context;
    size_t n_context;
};

enum api_policy_decision {
    API_POLICY_IMPLICIT_DENY, /* no statement allows it */
    API_POLICY_ALLOW,
    API_POLICY_DENY,    /* an applicable Deny statement */
    API_POLICY_UNKNOWN, /* the answer hangs on an operator not evaluated here */
};

/* How far the statement named in a result got before it stopped applying. */
enum api_policy_stage {
    API_POLICY_STAGE_NONE,      /* it applies (or there is no statement) */
    API_POLICY_STAGE_PRINCIPAL, /* its Principal does not name the requester */
    API_POLICY_STAGE_ACTION,
    API_POLICY_STAGE_RESOURCE,
    API_POLICY_STAGE_CONDITION, /* a condition is false (or not evaluated, for UNKNOWN) */
};

struct api_policy_result {
    enum api_policy_decision decision;
    /* The deciding statement (ALLOW, DENY: the first that applies; UNKNOWN:
     * the first undecided one); for IMPLICIT_DENY the Allow statement that
     * came closest (furthest stage), or -1 when the policy has no Allow
     * statement at all. 0-based. */
    long statement;
    enum api_policy_stage stage;
    char key[160];  /* the condition key that failed (or was not evaluated), or "" */
    char op[96];    /* its operator as written, or "" */
    char why[1200]; /* one sentence for people (statements counted from 1) */
};

/* Evaluates `rq` against `p`. Returns out->decision. */
enum api_policy_decision api_policy_evaluate(const struct api_policy *p,
                                             const struct api_policy_request *rq,
                                             struct api_policy_result *out);

/* ---- pattern helpers the checks share ---- */

/* Whether `text` matches an IAM pattern (`*` any run, `?` one character). */
bool api_policy_glob_match(const char *pattern, const char *text, bool ignore_case);

/* Whether some string matches both patterns. */
bool api_policy_globs_overlap(const char *a, const char *b, bool ignore_case);

/* Whether every string `a` matches is also matched by `b` (b covers a).
 * Exact for patterns made of literals and `*`; `?` in `a` is treated as a
 * literal '?' that only a wildcard of `b` covers (so never wrongly true). */
bool api_policy_glob_covers(const char *b, const char *a, bool ignore_case);

#endif
