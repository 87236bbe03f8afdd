/* tui/screen.h — the console's frame: curses and the theme, and drawing the
 * whole screen from the app's state.
 *
 * Layout (rows): 0 the header (profile, credential source and expiry,
 * region, the pool the panes follow, the pane's filter, endpoint,
 * READ-ONLY badge) · 1 the tabs (from the PANES list) · 2..rows-3 the pane,
 * or the views stacked over it · rows-2 the status line (or the `/` `:`
 * prompt) · rows-1 the key bar, built from the action list: what the view
 * or pane on top offers, each with a key every terminal has when it has
 * one (^S rather than F10). Below SCREEN_MIN_COLS x
 * SCREEN_MIN_ROWS only a "terminal too small" message is drawn.
 *
 * Call order: screen_open() (the real terminal) or screen_attach() (a curses
 * SCREEN the caller made and set: headless tests) -> screen_draw() any
 * number of times (it reads the size itself) -> screen_close().
 */
#ifndef TUI_SCREEN_H
#define TUI_SCREEN_H

#include <stdbool.h>

#include "tui/app.h"
#include "widgets/widget.h"

#define SCREEN_MIN_COLS 60
#define SCREEN_MIN_ROWS 15

/* Starts curses on the terminal (stdin/stdout), with XON/XOFF flow control
 * off (so ^S reaches the console), loads the theme and attaches. 0 or -1. */
int screen_open(struct app *a);
/* The frame's widgets over the current curses SCREEN. 0 or -1. */
int screen_attach(struct app *a);
/* Frees the widgets; ends curses (and restores the terminal) when
 * screen_open started it. */
void screen_close(struct app *a);

/* Reads the terminal's size into a->frame. */
void screen_size(struct app *a);
bool screen_too_small(const struct app *a);

/* Every pane's sync, then the whole frame, refreshed at once. */
void screen_draw(struct app *a);

/* Once per loop turn: the spinner turns (at most every 100 ms). */
void screen_tick(struct app *a);

#endif
