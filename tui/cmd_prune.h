/* tui/cmd_prune.h — the `prune` verb: runs tui/prune_job.h to its end.
 *
 * OWNER: the lifecycle work (issue 13).
 *
 * Order of refusals, before anything is listed: bad filters (exit 2: an
 * unparsable time, --modified-before in the future); read-only mode (exit
 * 3, journalled as refused) unless --dry-run; no --yes and no terminal to
 * ask (exit 2); another job on the pool, or another unfinished prune of it
 * (exit 2). Then the listing; then, without --yes, the count is shown and
 * must be typed (anything else: nothing deleted, exit 2, the job kept).
 *
 * Output: --format text (default) a summary; --format json one object, the
 * last thing on stdout: {"matched", "deleted", "unprocessed", "skipped",
 * "elapsed_s", "list_requests", "delete_requests", "throttled", ...} plus
 * "dry_run", "complete", "describe_requests", "unprocessed_ids"
 * [{"IdentityId", "ErrorCode"}] and, for a dry run, "would_delete" and
 * "sample". A progress bar on stderr when it is a terminal.
 * Exit: 0 done (every matching identity deleted, or a dry run); 1 some
 * were unprocessed, or an AWS error stopped the job; 130 stopped by
 * Ctrl-C (the same command continues it); cmd_call.h's codes otherwise.
 */
#ifndef TUI_CMD_PRUNE_H
#define TUI_CMD_PRUNE_H

#include <stdio.h>

#include "tui/options.h"

int cmd_prune_run(const struct command_line *cl, FILE *out, FILE *err);

#endif
