/* tui/pool_forms.h — what the Pools pane opens for a pool: its detail view
 * (settings, roles and mappings, principal tags), the create and update
 * forms (update: read -> edit -> diff -> send, since UpdateIdentityPool
 * resets what it is not sent), and the delete confirmation (the identities
 * counted first, Esc stops the count; the pool's name typed to delete).
 * Each starts its requests and pushes its views; nothing here blocks. The
 * pane a form was opened over is reloaded after a change. */
#ifndef TUI_POOL_FORMS_H
#define TUI_POOL_FORMS_H

#include "tui/app.h"

void pool_detail_show(struct app *a, const char *pool_id);
void pool_create_form(struct app *a);
void pool_update_form(struct app *a, const char *pool_id);
void pool_delete_confirm(struct app *a, const char *pool_id, const char *pool_name);

#endif
