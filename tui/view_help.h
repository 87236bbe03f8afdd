/* tui/view_help.h — the help overlay (widgets/help.h) over the pane.
 *
 * Keys (SCOPE_HELP): the navigation actions scroll; help (?), back (q) and
 * cancel (Esc) close it. */
#ifndef TUI_VIEW_HELP_H
#define TUI_VIEW_HELP_H

#include "tui/view.h"
#include "widgets/help.h"

/* Pushes a view of `h` (taken). NULL when out of memory. */
struct view *view_help_open(struct app *a, struct help *h);

#endif
