/* api/role_select.c — role selection (api/role_select.h). */
#include "api/role_select.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *str_member(json_object *o, const char *name)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static json_object *member(json_object *o, const char *name)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, name, &v))
        return NULL;
    return v;
}

static const char *claim_value(const struct api_role_claim *claims, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (claims[i].name && strcmp(claims[i].name, name) == 0)
            return claims[i].value ? claims[i].value : "";
    return NULL;
}

int api_role_rule_matches(const char *type, const char *want, const char *have)
{
    if (!have || !type || !want)
        return 0;
    if (strcmp(type, "Equals") == 0)
        return strcmp(have, want) == 0;
    if (strcmp(type, "NotEqual") == 0)
        return strcmp(have, want) != 0;
    if (strcmp(type, "Contains") == 0)
        return strstr(have, want) != NULL;
    if (strcmp(type, "StartsWith") == 0)
        return strncmp(have, want, strlen(want)) == 0;
    return 0;
}

/* Whether `role` is one of the ','-separated roles of `list`. */
static bool in_list(const char *list, const char *role)
{
    size_t n = strlen(role);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, role, n) == 0)
            return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

static void default_role(json_object *config, struct api_role_choice *out, const char *reason)
{
    const char *auth = str_member(member(config, "Roles"), "authenticated");
    out->role = auth;
    out->outcome = auth ? API_ROLE_DEFAULT_ROLE : API_ROLE_NO_ROLE;
    snprintf(out->why, sizeof out->why, "%s: %s", reason,
             auth ? "the pool's authenticated role" : "the pool has no authenticated role");
}

static void ambiguous(json_object *config, struct api_role_choice *out, const char *key,
                      const char *reason)
{
    if (out->resolution && strcmp(out->resolution, "AuthenticatedRole") == 0) {
        char r[200];
        snprintf(r, sizeof r, "%s; AmbiguousRoleResolution AuthenticatedRole", reason);
        default_role(config, out, r);
        return;
    }
    out->outcome = API_ROLE_DENIED;
    out->role = NULL;
    snprintf(out->why, sizeof out->why,
             "%s; AmbiguousRoleResolution is %s: the ambiguous role mapping rules for %.150s deny",
             reason, out->resolution ? out->resolution : "not set", key);
}

void api_role_select(json_object *config, const char *key, const struct api_role_claim *claims,
                     size_t n_claims, const char *custom, struct api_role_choice *out)
{
    memset(out, 0, sizeof *out);
    out->rule = -1;
    if (custom && !*custom)
        custom = NULL;
    if (!key) {
        out->role = str_member(member(config, "Roles"), "unauthenticated");
        out->outcome = out->role ? API_ROLE_DEFAULT_ROLE : API_ROLE_NO_ROLE;
        snprintf(out->why, sizeof out->why, "a guest: %s",
                 out->role ? "the pool's unauthenticated role"
                           : "the pool has no unauthenticated role");
        return;
    }
    json_object *mapping = member(member(config, "RoleMappings"), key);
    if (!mapping) {
        default_role(config, out, "no role mapping for this provider");
        return;
    }
    out->mapping = mapping;
    out->resolution = str_member(mapping, "AmbiguousRoleResolution");
    const char *type = str_member(mapping, "Type");
    if (type && strcmp(type, "Token") == 0) {
        const char *allowed = claim_value(claims, n_claims, "cognito:roles");
        if (custom && allowed && in_list(allowed, custom)) {
            out->outcome = API_ROLE_CUSTOM_ROLE;
            out->role = custom;
            snprintf(out->why, sizeof out->why,
                     "Token mapping: CustomRoleArn, one of the token's cognito:roles");
            return;
        }
        const char *pref = claim_value(claims, n_claims, "cognito:preferred_role");
        if (pref && *pref) {
            out->outcome = API_ROLE_TOKEN_ROLE;
            out->role = pref;
            snprintf(out->why, sizeof out->why,
                     "Token mapping: the token's cognito:preferred_role");
            return;
        }
        ambiguous(config, out, key,
                  allowed && *allowed ? "Token mapping: cognito:roles but no cognito:preferred_role"
                                      : "Token mapping: the token names no role");
        return;
    }
    json_object *rules = member(member(mapping, "RulesConfiguration"), "Rules");
    size_t n =
        rules && json_object_is_type(rules, json_type_array) ? json_object_array_length(rules) : 0;
    int first = -1, custom_rule = -1;
    for (size_t i = 0; i < n; i++) {
        json_object *r = json_object_array_get_idx(rules, i);
        const char *claim = str_member(r, "Claim");
        if (!claim || !api_role_rule_matches(str_member(r, "MatchType"), str_member(r, "Value"),
                                             claim_value(claims, n_claims, claim)))
            continue;
        if (first < 0)
            first = (int)i;
        const char *arn = str_member(r, "RoleARN");
        if (custom && custom_rule < 0 && arn && strcmp(arn, custom) == 0)
            custom_rule = (int)i;
    }
    int pick = custom_rule >= 0 ? custom_rule : first;
    if (pick >= 0) {
        json_object *r = json_object_array_get_idx(rules, (size_t)pick);
        out->outcome = custom_rule >= 0 ? API_ROLE_CUSTOM_ROLE : API_ROLE_MATCHED;
        out->rule = pick;
        out->role = str_member(r, "RoleARN");
        snprintf(out->why, sizeof out->why, "rule %d matches: %.100s %s \"%.100s\"%s", pick + 1,
                 str_member(r, "Claim"), str_member(r, "MatchType"),
                 str_member(r, "Value") ? str_member(r, "Value") : "",
                 custom_rule >= 0 ? " (CustomRoleArn)" : "");
        return;
    }
    ambiguous(config, out, key, n ? "no rule matches" : "the mapping has no rules");
}
