/* tui/identities_prune.h — Prune… in the console: the prune job
 * (tui/prune_job.h, the same job as the `prune` verb) started from a form,
 * driven by the console's event loop in the background.
 *
 * Flow: identities_prune_form() asks the criteria (tui/identities_criteria.h),
 * a limit and "dry run"; on submit the job starts (refused in read-only mode
 * by api's guard: prune_job_start asks api_client_read_only; the action is
 * also ACTF_MUTATES, so it is not offered). Its progress is the status line
 * (the verb's progress line: pages or batches, rate against the quota, ETA).
 * When the listing ends the count must be typed (as the verb asks at a
 * terminal); Cancel leaves the job resumable. At the end a result view shows
 * the figures and every unprocessed id, and the pane `pane` reloads.
 * identities_prune_ask_stop() (Esc) asks, then stops the job after the
 * batches in flight: Prune… with the same criteria continues it.
 *
 * Pacing: the job runs on the console's client and its rate limiter
 * (a->limiter), so paging and L in the console share the quota with it.
 *
 * Ownership: the pane owns the runner (new/free); freeing it with a job
 * running aborts the job (its checkpoint stays: resumable). Events of the
 * job only set flags; identities_prune_sync(), from the pane's sync before
 * each frame, acts on them (dialogs, the result view), never inside the
 * client's callbacks.
 */
#ifndef TUI_IDENTITIES_PRUNE_H
#define TUI_IDENTITIES_PRUNE_H

#include <stdbool.h>

#include "tui/identities_criteria.h"
#include "tui/panes.h"

struct app;
struct identities_prune;

/* NULL when out of memory. `pane` is reloaded after identities were deleted. */
struct identities_prune *identities_prune_new(enum pane_id pane);
void identities_prune_free(struct identities_prune *r);

/* Whether a job runs (started and not yet shown finished). */
bool identities_prune_running(const struct identities_prune *r);

/* The form for pool `pool_id` (named `pool_name`, may be NULL), prefilled
 * from `prefill` (may be NULL); `estimate`: identities the pool is thought
 * to hold (an inventory's count) for the listing's ETA, -1 unknown;
 * `providers` the pool's login providers for the hint (may be NULL). A job
 * already running: the status line says so and nothing opens. */
void identities_prune_form(struct app *a, struct identities_prune *r, const char *pool_id,
                           const char *pool_name, const struct identities_criteria *prefill,
                           long long estimate, const char *providers);

/* Esc while a job runs: asks whether to stop it. */
void identities_prune_ask_stop(struct app *a, struct identities_prune *r);

/* Before each frame: the confirmation when the listing ended, the result
 * view once the job finished. */
void identities_prune_sync(struct identities_prune *r, struct app *a);

#endif
