/* tui/roles_forms.h — the roles and role-mapping editor (read -> edit ->
 * diff -> SetIdentityPoolRoles) and the rules tester (tui/rules.h), opened
 * from what the Roles pane shows. Both take the current roles as an
 * argument (borrowed: copied into the form); nothing here blocks. */
#ifndef TUI_ROLES_FORMS_H
#define TUI_ROLES_FORMS_H

#include <json-c/json.h>

#include "tui/app.h"

/* The editor for pool `pool_id`, starting from `roles` (a
 * GetIdentityPoolRoles answer). Submit shows the changes; Enter on them
 * sends; the pane the editor was opened over is reloaded after. */
void roles_edit_form(struct app *a, const char *pool_id, json_object *roles);

/* Which rule and role a provider and claims would get under `roles`. A
 * query: Esc closes it without asking. */
void rules_tester_form(struct app *a, json_object *roles);

#endif
