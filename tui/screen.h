/* tui/screen.h — the console's frame: header, tab bar, the pane, status line,
 * key bar, prompt, and the views stacked over them; key dispatch.
 *
 * Layout (rows): 0 header (profile, credential source and expiry, region, endpoint,
 * READ-ONLY badge) · 1 tabs · 2..rows-3 the pane or the top view · rows-2
 * status line (or the prompt) · rows-1 key bar. Below SCREEN_MIN_COLS x
 * SCREEN_MIN_ROWS only a "terminal too small" message is drawn.
 */
#ifndef TUI_SCREEN_H
#define TUI_SCREEN_H

#include "tui/app.h"

#define SCREEN_MIN_COLS 60
#define SCREEN_MIN_ROWS 15

/* Starts curses and the theme. Returns 0 or -1. */
int screen_open(struct app *a);
void screen_close(struct app *a);
void screen_draw(struct app *a);
/* The same frame with `modal` (a widget the caller owns, e.g. a dialog)
 * drawn over everything and holding the cursor. For questions asked while
 * the event loop is blocked (the MFA code inside a credentials fetch). */
struct widget;
void screen_draw_over(struct app *a, struct widget *modal);
void screen_handle_key(struct app *a, int key);
/* Called once per loop turn: turns the spinner (at most every 100 ms). */
void screen_tick(struct app *a);

/* The pane area: first row and height. */
int screen_pane_top(const struct app *a);
int screen_pane_height(const struct app *a);

/* The widget key for a navigation action (Up, PgDn, ...), or 0. */
int screen_nav_key(enum action act);

/* Opens the `/` filter prompt for the current pane's table. */
void screen_open_filter(struct app *a);

#endif
