/* tui/console.h — the interactive console: settings, the screen, the one
 * event loop.
 *
 * main() calls console_run() when no verb is given. It returns the process
 * exit code: 0 after a quit, 130 after ^C (SIGINT), 128+N after SIGTERM or
 * SIGHUP, 2 without a terminal on stdin and stdout, 5 when the
 * configuration or credentials cannot be resolved at all (nothing to show).
 *
 * Headless (tests; tig's tests drive the real program the same way): the
 * caller makes a curses SCREEN (newterm + set_term) first, then
 *   console_new() -> console_key() / console_settle() / console_draw()
 *   (any number, any order) -> console_free().
 * console_settle() drives the requests (the same poll and client calls as
 * the loop) until none is in flight; console_draw() draws the whole frame
 * into stdscr (read back cell by cell) and runs the work that waited for it.
 */
#ifndef TUI_CONSOLE_H
#define TUI_CONSOLE_H

#include <stdbool.h>
#include <stdio.h>

#include "tui/app.h"
#include "tui/options.h"

int console_run(const struct global_options *opt);

/* A console over the current curses SCREEN: the settings resolved from
 * `opt` and the environment, the key bindings of the config file, the first
 * pane shown (its first request started). NULL with why filled when the
 * settings cannot be resolved. */
struct app *console_new(const struct global_options *opt, char *why, size_t size);
void console_key(struct app *a, int key);
/* Runs requests until none is in flight. 0, or -1 when some still were after
 * timeout_ms. */
int console_settle(struct app *a, int timeout_ms);
void console_draw(struct app *a);
/* Closes the views, cancels the requests, frees everything. NULL is fine. */
void console_free(struct app *a);

/* Prints the key bindings (from the one action table) for --help. */
void console_print_keys(FILE *out);

#endif
