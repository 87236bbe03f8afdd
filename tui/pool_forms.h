/* tui/pool_forms.h — what the Pools pane opens: the pool detail view, the
 * create and update forms (update: read → edit → diff → confirm), the
 * typed-name delete, principal tag maps, and the "test an identity" view.
 * Each starts its requests and pushes its views; nothing here blocks. */
#ifndef TUI_POOL_FORMS_H
#define TUI_POOL_FORMS_H

#include <json-c/json.h>

#include "tui/app.h"

void pool_show_detail(struct app *a, const char *pool_id);
void pool_form_create(struct app *a);
void pool_form_update(struct app *a, const char *pool_id);
void pool_confirm_delete(struct app *a, const char *pool_id, const char *pool_name);
void pool_principal_tags(struct app *a, const char *pool_id);
void pool_test_identity(struct app *a, const char *pool_id);

/* Reloads the Pools pane's list (after a create, update or delete). */
void pools_reload(struct app *a);

/* The pool under the Pools pane's cursor, or NULL (status says so). */
const struct pool_row *pools_selected(struct app *a);

/* The members of an IdentityPool JSON with empty lists, maps and nulls
 * dropped, so a diff shows only real changes. New object. */
json_object *pool_normalized(json_object *pool);

#endif
