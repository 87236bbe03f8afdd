/* tui/roles_detail.h — a pool's roles and role mappings (a
 * GetIdentityPoolRoles answer) as lines of a detail widget: the Roles pane
 * and the pool detail view show them alike. */
#ifndef TUI_ROLES_DETAIL_H
#define TUI_ROLES_DETAIL_H

#include <json-c/json.h>

#include "widgets/detail.h"

/* Appends a "Roles" and a "Role mappings" section describing `roles`
 * (borrowed; NULL shows none). */
void roles_describe(struct detail *d, json_object *roles);

#endif
