/* tui/cmd_export.h — the `export` verb.
 *
 * Contract: walks every page (MaxResults 60, following NextToken by the one
 * rule of api/pagination.h: a token seen before in the walk ends it with an
 * error) and writes each page's rows before asking for the next, so memory
 * does not grow with the pool. Rows are flat records with fixed columns
 * (listed in cmd_export.c); JSON output is one array, one row object a
 * line; CSV has a header row and RFC 4180 quoting (tui/csv.h, formulas
 * defused). `pool-backup` is one JSON document that `call` can replay (see
 * options_print_usage()). With -o FILE the output goes through
 * tui/atomic_file.h: on any failure a regular FILE is left as it was; a FIFO
 * or character device is written straight into.
 *
 * Any JSON value where the rows expect a string, list or object is taken
 * for what it is (a non-string scalar or a container where a string is
 * expected is written as its JSON text; a null or non-object list item gives
 * no row); nothing the service sends can crash the export.
 *
 * Returns the process exit code (cmd_call.h); `err` gets at most one error
 * line, plus the progress line when it is a terminal and the rows are not
 * going to a terminal themselves. A failed write (stdout closed, disk full)
 * is an error (exit 1). On stdout, an export that fails part-way leaves what
 * was already streamed (a JSON array without its closing bracket): the exit
 * code says so; use -o for all-or-nothing.
 */
#ifndef TUI_CMD_EXPORT_H
#define TUI_CMD_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "api/config.h"
#include "api/error.h"
#include "tui/options.h"

int cmd_export_run(const struct command_line *cl, FILE *out, FILE *err);

/* Whether the export's words make sense together (a known kind, --pool
 * where it is needed and nowhere else, CSV and --account where they apply),
 * from the table of export kinds. Returns 0, or -1 with a one-line reason in
 * why (no "cognito-tui:" prefix). */
int export_check(const struct export_options *opt, char *why, size_t size);

/* Where the rows' answers come from: api_call() for the verb; tests and the
 * fuzz harness give canned answers. Same contract as api_call(): 0 with
 * *output owned by the caller, or -1 with err filled. */
typedef int (*export_call_fn)(void *ctx, const char *operation, json_object *input,
                              json_object **output, struct api_error *err);

struct export_source {
    export_call_fn call;
    void *ctx;
    const char *region;              /* the tags ARN and pool-backup's Region */
    const struct api_config *config; /* account id lookup (api/account.h); NULL: none */
};

struct export_result {
    unsigned long rows, pages;
    struct api_error err; /* kind != API_ERR_NONE when a call or the walk failed */
    bool write_failed;    /* `out` refused a write or a flush */
};

/* Writes the export `opt` (export_check() must have accepted it) to `out`,
 * escaping what a terminal would obey when `terminal`; a progress line goes
 * to `progress` when not NULL (progress.h). Returns 0, or -1 with *res saying
 * why. */
int export_write(const struct export_options *opt, const struct export_source *src, FILE *out,
                 bool terminal, FILE *progress, struct export_result *res);

/* An epoch time in seconds as ISO 8601 UTC ("2024-05-01T12:00:00Z", with
 * ".mmm" when there are milliseconds). buf needs 32 bytes. */
void export_iso8601(double epoch, char *buf, size_t size);

#endif
