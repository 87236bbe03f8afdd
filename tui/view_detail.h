/* tui/view_detail.h — a scrolled detail view (widgets/detail.h) over the
 * pane: pool and identity details, lookups, the test view.
 *
 * Keys (SCOPE_DETAIL): the navigation actions scroll, back (q) and cancel
 * (Esc) close it; any other action goes to on_action (NULL: none), which
 * returns RES_* flags (0: not taken). */
#ifndef TUI_VIEW_DETAIL_H
#define TUI_VIEW_DETAIL_H

#include "tui/view.h"
#include "widgets/detail.h"

typedef unsigned (*view_action_fn)(struct app *a, struct view *v, void *ctx, enum action act);

/* Pushes a view of `d` (taken). ctx is handed to on_action and freed with
 * free_ctx when the view closes. Returns the view, or NULL (out of memory:
 * d and ctx freed, the status line says so). */
struct view *view_detail_open(struct app *a, struct detail *d, view_action_fn on_action, void *ctx,
                              void (*free_ctx)(void *));

/* The detail of a detail view, or NULL for any other view. */
struct detail *view_detail_of(struct view *v);

#endif
