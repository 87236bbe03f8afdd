/* tui/cmd_inventory.h — the `inventory` verb: refreshes the pool's SQLite
 * inventory when needed (tui/inventory_job.h) and prints its counts.
 *
 * OWNER: the lifecycle work (issue 13).
 *
 * Output: --format table (default) a few aligned lines; json one object
 * (inventory_store_summary()). Progress on stderr when it is a terminal.
 * Exit codes: cmd_call.h, plus 2 when another job holds the pool and 130
 * when Ctrl-C stopped the listing (what was listed is kept; run it again
 * to continue).
 */
#ifndef TUI_CMD_INVENTORY_H
#define TUI_CMD_INVENTORY_H

#include <stdio.h>

#include "tui/options.h"

int cmd_inventory_run(const struct command_line *cl, FILE *out, FILE *err);

#endif
