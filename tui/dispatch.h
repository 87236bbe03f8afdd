/* tui/dispatch.h — what a key does: the one path from a key to an action
 * (tui/actions.h), and the actions no pane or view takes itself.
 *
 * A key goes, in order: to the `/` or `:` prompt when one is open; to
 * cancelling the request in flight when it is the cancel key (Esc), wherever
 * the focus is (a form being sent stays open); to the view on top, in its
 * scope (tui/view.h); else to the pane shown, in its scope (tui/pane.h).
 * What they answer 0 to, the frame does here: help (the overlay, built from
 * the action list for the scope in front), quit (asking first while
 * identities are marked or a form holds edits), back to the first pane,
 * pane switches, the filter and command prompts, sort, refresh, and moving
 * a pane's table. A mutating action in read-only mode is refused here with
 * a message, before any pane or view sees it.
 */
#ifndef TUI_DISPATCH_H
#define TUI_DISPATCH_H

#include "tui/app.h"

void dispatch_key(struct app *a, int key);

/* Frees the prompt and its histories. */
void dispatch_close(struct app *a);

#endif
