/* tui/roles_detail.c — roles and mappings as detail lines (tui/roles_detail.h). */
#include "tui/roles_detail.h"

#include <stdio.h>

#include "tui/json_get.h"

void roles_describe(struct detail *d, json_object *roles)
{
    json_object *r = jobj(roles, "Roles");
    detail_add_section(d, "Roles");
    detail_add_kv(d, 1, "Authenticated", jstr_or(r, "authenticated", "-"));
    detail_add_kv(d, 1, "Unauthenticated", jstr_or(r, "unauthenticated", "-"));
    json_object *maps = jobj(roles, "RoleMappings");
    detail_add_section(d, "Role mappings");
    if (!maps || !json_object_object_length(maps)) {
        detail_add_line(d, 1, "none: every provider gets the authenticated role", ROLE_DIM);
        return;
    }
    json_object_object_foreach(maps, provider, m)
    {
        char line[900];
        snprintf(line, sizeof line, "%s: %s, if ambiguous: %s", provider, jstr_or(m, "Type", "?"),
                 jstr_or(m, "AmbiguousRoleResolution", "-"));
        detail_add_line(d, 1, line, ROLE_TITLE);
        json_object *rules = jarr(jobj(m, "RulesConfiguration"), "Rules");
        size_t n = rules ? json_object_array_length(rules) : 0;
        for (size_t i = 0; i < n; i++) {
            json_object *rule = json_object_array_get_idx(rules, i);
            snprintf(line, sizeof line, "%zu. %s %s \"%s\" -> %s", i + 1,
                     jstr_or(rule, "Claim", ""), jstr_or(rule, "MatchType", ""),
                     jstr_or(rule, "Value", ""), jstr_or(rule, "RoleARN", ""));
            detail_add_line(d, 2, line, ROLE_NORMAL);
        }
    }
}
