/* tui/console.h — the interactive console.
 *
 * OWNER: the console work. main() calls console_run() when no verb is given.
 * Returns the process exit code (0 normal quit; 5 when configuration or
 * credentials cannot be resolved at all and there is nothing to show).
 */
#ifndef TUI_CONSOLE_H
#define TUI_CONSOLE_H

#include "tui/options.h"

int console_run(const struct global_options *opt);

/* Prints the key bindings (from the one action table) for --help. */
#include <stdio.h>
void console_print_keys(FILE *out);

#endif
