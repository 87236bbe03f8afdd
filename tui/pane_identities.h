/* tui/pane_identities.h — loading the identities of the selected pool.
 * Rows live in app->ids (tui/app.h); pages of 60, NextToken kept in ids_pg. */
#ifndef TUI_PANE_IDENTITIES_H
#define TUI_PANE_IDENTITIES_H

#include "tui/app.h"

/* First page, if not asked for yet (or retry after a failure with no rows). */
void identities_start(struct app *a);
/* The next page, unless complete or one is in flight. */
void identities_more(struct app *a);
/* Every remaining page, one after the other, with progress; Esc stops. */
void identities_load_all(struct app *a);
/* Forget every row and cancel the page in flight. */
void identities_reset(struct app *a);
/* Rows were added (the pane refreshes its filter and table). */
void identities_loaded(struct app *a);

/* The identity under the cursor, or NULL. */
const char *identities_selected(struct app *a);
struct table *identities_table(struct app *a);

/* tui/identity_forms.c: what the pane opens. */
void identity_show_detail(struct app *a, const char *identity_id);
void identities_confirm_delete(struct app *a);
void identity_form_lookup(struct app *a);
void identity_form_merge(struct app *a);
void identity_form_unlink_developer(struct app *a);
void identity_form_unlink(struct app *a);

#endif
