/* tui/rules.h — the role-mapping rules editor's helpers: claims typed as
 * "name=value" lines, the checks made before sending, reordering.
 *
 * Pure functions over the JSON of GetIdentityPoolRoles / SetIdentityPoolRoles
 * ({"Roles": {...}, "RoleMappings": {PROVIDER: {Type, AmbiguousRoleResolution,
 * RulesConfiguration: {Rules: [{Claim, MatchType, Value, RoleARN}]}}}}), so
 * they are tested without a screen or a network. Which role a login gets
 * (the rules tester, the doctor) is api/role_select.h.
 */
#ifndef TUI_RULES_H
#define TUI_RULES_H

#include <stddef.h>

#include <json-c/json.h>

#include "api/role_select.h"

/* At most this many rules a provider (the service's limit). */
#define RULES_MAX_PER_PROVIDER 25

/* Parses "name=value" lines (blank lines skipped) into claims pointing into
 * `text`, which is modified. Returns the count, or -1 with the bad line
 * number in *bad_line. */
int rules_parse_claims(char *text, struct api_role_claim *claims, size_t max, int *bad_line);

/* The checks of the editor: each mapping has a Type of Token or Rules and an
 * AmbiguousRoleResolution; Rules has 1..25 rules, each with Claim, MatchType
 * (one of the four), Value and RoleARN. Returns 0, or -1 with a message that
 * names the provider and rule in err. */
int rules_check(json_object *role_mappings, char *err, size_t errsize);

/* Moves rule `from` of the provider's mapping to index `to` (reorder).
 * Returns 0, or -1 when an index or the provider is out of range. */
int rules_move(json_object *role_mappings, const char *provider, int from, int to);

#endif
