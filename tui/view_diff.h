/* tui/view_diff.h — the changes a form is about to send (widgets/diff.h),
 * over the form they came from.
 *
 * Keys (SCOPE_DIFF): the navigation actions scroll; diff-send (Enter) calls
 * on_send; back (q) and cancel (Esc) return to the form. */
#ifndef TUI_VIEW_DIFF_H
#define TUI_VIEW_DIFF_H

#include "tui/view.h"
#include "widgets/diff.h"

/* A view's OK: returns RES_* flags (RES_CLOSE closes the view). */
typedef unsigned (*view_ok_fn)(struct app *a, struct view *v, void *ctx);

/* Pushes a view of `d` (taken); ctx as for view_detail_open. NULL when out of memory. */
struct view *view_diff_open(struct app *a, struct diff *d, view_ok_fn on_send, void *ctx,
                            void (*free_ctx)(void *));

#endif
