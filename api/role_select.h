/* api/role_select.h — which role an identity pool gives a login: the role
 * selection of GetCredentialsForIdentity, written once for the rules tester,
 * the credential doctor and anything else that predicts it.
 *
 * Pure functions over the JSON of GetIdentityPoolRoles ({"Roles":
 * {"authenticated", "unauthenticated"}, "RoleMappings": {KEY: {Type,
 * AmbiguousRoleResolution, RulesConfiguration: {Rules: [{Claim, MatchType,
 * Value, RoleARN}]}}}}), so they are tested without a network.
 *
 * How the service decides (Cognito developer guide, "Role-based access
 * control"; the emulator's fidelity work follows the same reading):
 *  - a guest (no login) gets Roles.unauthenticated;
 *  - a login whose mapping key has no role mapping gets Roles.authenticated.
 *    The key is the provider name; for a user pool it is
 *    "PROVIDER:CLIENTID", the client being the token's `aud`;
 *  - Type Rules: the rules in order, the first match wins (Equals, NotEqual,
 *    Contains, StartsWith on the claim's value as text: a list joined with
 *    ','). A claim the token does not carry matches no rule, NotEqual
 *    included (the claim "must be present in the token");
 *  - Type Token: the token's cognito:preferred_role;
 *  - CustomRoleArn only chooses among the roles the token allows: one of its
 *    cognito:roles (Token), or the role of any rule it matches (Rules);
 *    another value is ignored;
 *  - nothing chosen: AmbiguousRoleResolution AuthenticatedRole gives
 *    Roles.authenticated; Deny refuses ("The ambiguous role mapping rules
 *    for: PROVIDER denied this request.");
 *  - no role at the end of it: no credentials ("Invalid identity pool
 *    configuration").
 * Strings handed out are borrowed from the JSON or the claims.
 */
#ifndef API_ROLE_SELECT_H
#define API_ROLE_SELECT_H

#include <stddef.h>

#include <json-c/json.h>

struct api_role_claim {
    const char *name;
    const char *value; /* as text (see above) */
};

enum api_role_outcome {
    API_ROLE_MATCHED,      /* rule `rule` matched */
    API_ROLE_TOKEN_ROLE,   /* Token type: the role named by the token */
    API_ROLE_CUSTOM_ROLE,  /* CustomRoleArn, allowed by the token or a matching rule */
    API_ROLE_DEFAULT_ROLE, /* no mapping, ambiguous resolved to AuthenticatedRole, or a guest */
    API_ROLE_DENIED,       /* ambiguous resolved to Deny */
    API_ROLE_NO_ROLE,      /* the pool has no role for this case */
};

struct api_role_choice {
    enum api_role_outcome outcome;
    int rule;               /* 0-based index of the deciding rule, -1 when none */
    const char *role;       /* NULL when denied or no role */
    json_object *mapping;   /* the role mapping used, or NULL (borrowed) */
    const char *resolution; /* its AmbiguousRoleResolution, or NULL */
    char why[400];          /* one line for people */
};

/* What `claims` get under `config` through the mapping named `mapping_key`
 * (NULL: a guest). `custom_role_arn` may be NULL. */
void api_role_select(json_object *config, const char *mapping_key,
                     const struct api_role_claim *claims, size_t n_claims,
                     const char *custom_role_arn, struct api_role_choice *out);

/* Whether one rule ({Claim, MatchType, Value}) matches `value` (NULL: the
 * claim is absent). */
int api_role_rule_matches(const char *match_type, const char *want, const char *value);

#endif
