/* tui/cmd_export.h — the `export` verb.
 *
 * Contract: walks every page (MaxResults 60, following NextToken, stopping
 * when the token is absent or repeats) and writes each page's rows before
 * asking for the next, so memory does not grow with the pool. Rows are flat
 * records with fixed columns (listed in cmd_export.c); JSON output is one
 * array, one row object a line; CSV has a header row and RFC 4180 quoting.
 * `pool-backup` is one JSON document that `call` can replay (see
 * options_print_usage()). With -o FILE the output goes through a temporary
 * file and a rename: on any failure the old FILE is left as it was.
 *
 * Returns the process exit code (cmd_call.h); `err` gets at most one error
 * line, plus the progress line when it is a terminal and the rows are not
 * going to a terminal themselves. On stdout, an export that fails part-way
 * leaves what was already streamed (a JSON array without its closing
 * bracket): the exit code says so; use -o for all-or-nothing.
 */
#ifndef TUI_CMD_EXPORT_H
#define TUI_CMD_EXPORT_H

#include <stdio.h>

#include "tui/options.h"

int cmd_export_run(const struct command_line *cl, FILE *out, FILE *err);

/* An epoch time in seconds as ISO 8601 UTC ("2024-05-01T12:00:00Z", with
 * ".mmm" when there are milliseconds). buf needs 32 bytes. */
void export_iso8601(double epoch, char *buf, size_t size);

#endif
