/* tui/rules.h — role-mapping rules: what a set of claims would get (the
 * rules tester) and the checks the rules editor makes before sending.
 *
 * Pure functions over the JSON of GetIdentityPoolRoles / SetIdentityPoolRoles
 * ({"Roles": {...}, "RoleMappings": {PROVIDER: {Type, AmbiguousRoleResolution,
 * RulesConfiguration: {Rules: [{Claim, MatchType, Value, RoleARN}]}}}}), so
 * they are tested without a screen or a network.
 *
 * How Cognito decides (and so the tester): a provider without a mapping gets
 * the pool's authenticated role. Type Rules: the rules in order, the first
 * match wins (Equals, NotEqual, Contains, StartsWith on the claim's value; a
 * claim that is absent matches nothing). Type Token: the claim
 * cognito:preferred_role, else cognito:roles when it names exactly one role.
 * Otherwise AmbiguousRoleResolution: AuthenticatedRole gives the pool's
 * authenticated role, Deny gives nothing.
 */
#ifndef TUI_RULES_H
#define TUI_RULES_H

#include <stddef.h>

#include <json-c/json.h>

/* At most this many rules a provider (the service's limit). */
#define RULES_MAX_PER_PROVIDER 25

struct rules_claim {
    const char *name;
    const char *value;
};

enum rules_outcome {
    RULES_MATCHED,      /* rule `rule` matched */
    RULES_TOKEN_ROLE,   /* Token type: the role named by the token */
    RULES_DEFAULT_ROLE, /* no mapping, or ambiguous resolved to AuthenticatedRole */
    RULES_DENIED,       /* ambiguous resolved to Deny, or no role at all */
};

struct rules_result {
    enum rules_outcome outcome;
    int rule;         /* 0-based index of the matching rule, -1 when none */
    const char *role; /* borrowed from the JSON (or the claims); NULL when denied */
    char why[300];    /* one line for the screen */
};

/* Decides what `claims` get from `provider` under `config` (the roles JSON). */
void rules_evaluate(json_object *config, const char *provider, const struct rules_claim *claims,
                    size_t n_claims, struct rules_result *out);

/* Parses "name=value" lines (blank lines skipped) into claims pointing into
 * `text`, which is modified. Returns the count, or -1 with the bad line
 * number in *bad_line. */
int rules_parse_claims(char *text, struct rules_claim *claims, size_t max, int *bad_line);

/* The checks of the editor: each mapping has a Type of Token or Rules and an
 * AmbiguousRoleResolution; Rules has 1..25 rules, each with Claim, MatchType
 * (one of the four), Value and RoleARN. Returns 0, or -1 with a message that
 * names the provider and rule in err. */
int rules_check(json_object *role_mappings, char *err, size_t errsize);

/* Moves rule `from` of the provider's mapping to index `to` (reorder).
 * Returns 0, or -1 when an index or the provider is out of range. */
int rules_move(json_object *role_mappings, const char *provider, int from, int to);

#endif
