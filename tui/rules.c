/* tui/rules.c — role-mapping rules editor helpers (tui/rules.h). */
#include "tui/rules.h"

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

int rules_parse_claims(char *text, struct api_role_claim *claims, size_t max, int *bad_line)
{
    size_t n = 0;
    int line = 0;
    for (char *p = text; p;) {
        char *eol = strchr(p, '\n');
        if (eol)
            *eol = '\0';
        line++;
        char *s = p;
        p = eol ? eol + 1 : NULL;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq || eq == s || n == max) {
            *bad_line = line;
            return -1;
        }
        *eq = '\0';
        char *end = eq;
        while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        claims[n].name = s;
        claims[n].value = v;
        n++;
    }
    return (int)n;
}

static const char *const match_types[] = {"Equals", "Contains", "StartsWith", "NotEqual"};

int rules_check(json_object *role_mappings, char *err, size_t errsize)
{
    if (!role_mappings)
        return 0;
    json_object_object_foreach(role_mappings, provider, mapping)
    {
        const char *type = str_member(mapping, "Type");
        if (!type || (strcmp(type, "Token") != 0 && strcmp(type, "Rules") != 0)) {
            snprintf(err, errsize, "%s: Type must be Token or Rules", provider);
            return -1;
        }
        const char *res = str_member(mapping, "AmbiguousRoleResolution");
        if (!res || (strcmp(res, "AuthenticatedRole") != 0 && strcmp(res, "Deny") != 0)) {
            snprintf(err, errsize, "%s: AmbiguousRoleResolution must be AuthenticatedRole or Deny",
                     provider);
            return -1;
        }
        if (strcmp(type, "Token") == 0)
            continue;
        json_object *rules = member(member(mapping, "RulesConfiguration"), "Rules");
        size_t n = rules && json_object_is_type(rules, json_type_array)
                       ? json_object_array_length(rules)
                       : 0;
        if (n == 0) {
            snprintf(err, errsize, "%s: a Rules mapping needs at least one rule", provider);
            return -1;
        }
        if (n > RULES_MAX_PER_PROVIDER) {
            snprintf(err, errsize, "%s: %zu rules, at most %d a provider", provider, n,
                     RULES_MAX_PER_PROVIDER);
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            json_object *r = json_object_array_get_idx(rules, i);
            static const char *const need[] = {"Claim", "MatchType", "Value", "RoleARN"};
            for (size_t k = 0; k < 4; k++) {
                const char *v = str_member(r, need[k]);
                if (!v || !*v) {
                    snprintf(err, errsize, "%s rule %zu: %s is required", provider, i + 1, need[k]);
                    return -1;
                }
            }
            const char *mt = str_member(r, "MatchType");
            int ok = 0;
            for (size_t k = 0; k < 4; k++)
                ok |= strcmp(mt, match_types[k]) == 0;
            if (!ok) {
                snprintf(err, errsize,
                         "%s rule %zu: MatchType must be Equals, Contains, StartsWith or NotEqual",
                         provider, i + 1);
                return -1;
            }
        }
    }
    return 0;
}

int rules_move(json_object *role_mappings, const char *provider, int from, int to)
{
    json_object *rules =
        member(member(member(role_mappings, provider), "RulesConfiguration"), "Rules");
    if (!rules || !json_object_is_type(rules, json_type_array))
        return -1;
    int n = (int)json_object_array_length(rules);
    if (from < 0 || from >= n || to < 0 || to >= n)
        return -1;
    if (from == to)
        return 0;
    json_object *moving = json_object_get(json_object_array_get_idx(rules, (size_t)from));
    json_object_array_del_idx(rules, (size_t)from, 1);
    /* json-c has no insert in 0.16: rebuild the tail. */
    json_object *tail = json_object_new_array();
    int len = (int)json_object_array_length(rules);
    for (int i = to; i < len; i++)
        json_object_array_add(tail, json_object_get(json_object_array_get_idx(rules, (size_t)i)));
    if (to < len)
        json_object_array_del_idx(rules, (size_t)to, (size_t)(len - to));
    json_object_array_add(rules, moving);
    for (size_t i = 0; i < json_object_array_length(tail); i++)
        json_object_array_add(rules, json_object_get(json_object_array_get_idx(tail, i)));
    json_object_put(tail);
    return 0;
}
