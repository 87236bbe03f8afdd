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

#endif
