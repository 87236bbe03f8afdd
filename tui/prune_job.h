/* tui/prune_job.h — deletes the identities of a pool that match a filter,
 * at the service's quotas, resumable: the core of `prune`, as a job an
 * event loop drives (the verb runs it to the end; the console can run it
 * in the background and show its progress).
 *
 * OWNER: the lifecycle work (issue 13).
 *
 * Phases (tui/prune_checkpoint.h keeps each step):
 *   1. listing: ListIdentities, page by page; every identity that matches
 *      the filter (tui/identity_filter.h) in this listing becomes a
 *      candidate. With `disabled`, a second listing with HideDisabled drops
 *      the candidates it shows (they are enabled).
 *   2. confirmation: the job waits (prune_job_awaiting_confirmation) until
 *      the owner calls prune_job_confirm(): the verb asks for the count to
 *      be typed, or has --yes. A dry run ends here instead, having sent
 *      nothing but reads.
 *   3. deleting: candidates in batches of 60 (DeleteIdentities), up to
 *      PRUNE_BATCHES_IN_FLIGHT at once, paced by the client's rate limiter.
 *      Ids answered InternalServerError go back to the queue (at most
 *      PRUNE_MAX_TRIES tries); others in UnprocessedIdentityIds
 *      (AccessDenied, ...) are reported. Every batch sent is journalled
 *      (tui/journal.h) with its real outcome. A batch whose outcome is
 *      unknown (the answer was lost), and the batches a killed run left in
 *      flight, are reconciled with DescribeIdentity: an id that is gone
 *      counts as deleted, one that is there goes back to the queue.
 * Guarantees: an identity is deleted only if it matched in this job's own
 * listing (never a stale inventory); the listing ends before the first
 * delete, so pagination never runs across our deletes; an identity that
 * changes after it was listed is still deleted if it matched then (Cognito
 * has no conditional delete) — README.md "Prune" says so.
 *
 * Resuming: a job is identified by pool and filters as typed (an idle
 * filter's cutoff is fixed when the job is created). Starting the same job
 * again continues it; starting a different one on a pool with an
 * unfinished job is refused (its description is in the message). The
 * pool's lock (tui/state_dir.h) is held from start to free.
 *
 * Stopping: prune_job_stop() sends nothing new; the job finishes once the
 * page or batches in flight are answered and stored (resumable).
 * prune_job_abort() cancels them (their outcome becomes unknown and is
 * reconciled by the next run).
 *
 * Driving: as tui/inventory_job.h (api_client_pollfds / poll /
 * api_client_perform until prune_job_finished()). Events fire inside
 * api_client_perform() (and inside prune_job_confirm()).
 */
#ifndef TUI_PRUNE_JOB_H
#define TUI_PRUNE_JOB_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "api/client.h"
#include "api/rate_limiter.h"
#include "tui/identity_filter.h"
#include "tui/prune_checkpoint.h"

#define PRUNE_BATCH_SIZE        60
#define PRUNE_BATCHES_IN_FLIGHT 4
#define PRUNE_MAX_TRIES         5  /* an id answered InternalServerError */
#define PRUNE_MAX_FAILURES      8  /* retryable failures in a row before the job stops */
#define PRUNE_SAMPLE            10 /* ids a dry run shows */

struct prune_progress {
    enum prune_phase phase;
    unsigned long pages; /* listing pages, every run */
    unsigned long long listed, matched;
    unsigned long long deleted, remaining; /* remaining: to delete */
    unsigned long requests;                /* of the current phase's operation, every run */
    unsigned long throttled;               /* every run */
    double rate;                           /* this phase's requests a second in this run */
    double quota;                          /* the limiter's cap for it, 0 = none */
    long long estimate_pages;              /* listing pages expected, -1 unknown */
    double elapsed;                        /* seconds, every run */
};

struct prune_result {
    bool dry_run;
    unsigned long long matched; /* candidates (after --disabled's second listing) */
    unsigned long long deleted;
    unsigned long long unprocessed;
    unsigned long long skipped; /* beyond --limit */
    double elapsed_s;           /* every run of the job */
    unsigned long list_requests, delete_requests, other_requests, throttled;
    json_object *sample; /* dry run: up to PRUNE_SAMPLE ids (owned by the job) */
};

struct prune_job_options {
    struct api_client *client;        /* borrowed; its limiter paces the job */
    struct api_rate_limiter *limiter; /* the client's (figures: requests, throttles); may be NULL */
    const char *pool_id, *region, *endpoint;
    const char *profile; /* journal */
    struct identity_filter
        filter; /* idle_days with has_modified_before false: resolved at creation */
    long limit; /* 0 = all */
    bool dry_run;
    long long estimate_identities; /* for the listing's ETA (an inventory's count), -1 unknown */
    void (*progress)(void *ctx, const struct prune_progress *p); /* may be NULL */
    /* A journal line could not be written (the change was made). May be NULL. */
    void (*journal_failed)(void *ctx, const char *why);
    void *ctx;
};

struct prune_job;
struct progress_job;

/* The progress line's figures (tui/progress.h) for p: listing pages, or
 * deleting batches with what was deleted; `extra` (its buffer, borrowed by
 * out->extra) says listed/matched or deleted of total, and throttles. The
 * verb's stderr bar and the console's status line both show it. */
void prune_progress_job(const struct prune_progress *p, struct progress_job *out, char *extra,
                        size_t extra_size);

/* Takes the lock (not for a dry run), opens or creates the checkpoint,
 * and starts the phase the job is in. Returns NULL with *err filled (the
 * first request refused: invalid pool id, credentials) or with errbuf
 * filled and err kind API_ERR_NONE (*locked when another job holds the
 * pool; *conflict when another unfinished prune of the pool exists). */
struct prune_job *prune_job_start(const struct prune_job_options *opt, struct api_error *err,
                                  bool *locked, bool *conflict, char *errbuf, size_t errsize);

bool prune_job_finished(const struct prune_job *j);

/* The listing ended: the owner must confirm (or not) the deletes. */
bool prune_job_awaiting_confirmation(const struct prune_job *j);
/* How many identities the deletes would remove (candidates left). */
unsigned long long prune_job_to_delete(const struct prune_job *j);
/* go: start deleting; !go: finish now, the job stays resumable. */
void prune_job_confirm(struct prune_job *j, bool go);

void prune_job_stop(struct prune_job *j);
void prune_job_abort(struct prune_job *j);

/* Once finished: 0 complete (or a dry run), 1 stopped or not confirmed
 * (resumable), -1 failed (*err, or errbuf with err kind API_ERR_NONE). */
int prune_job_status(const struct prune_job *j, struct api_error *err, char *errbuf,
                     size_t errsize);

/* Figures (valid once finished; also while running). */
void prune_job_result(struct prune_job *j, struct prune_result *out);

/* Every unprocessed id with its error code, in listing order. */
int prune_job_each_unprocessed(struct prune_job *j,
                               void (*fn)(void *ctx, const char *id, const char *code), void *ctx,
                               char *errbuf, size_t errsize);

/* The checkpoint file ("" for a dry run). */
const char *prune_job_checkpoint(const struct prune_job *j);

/* A complete job's checkpoint is removed: call it once its result reached
 * the user (printed, shown). Until then a rerun of the same job finds it
 * complete and reports the same result instead of starting a new job. No
 * effect on an unfinished job or a dry run. */
void prune_job_forget(struct prune_job *j);

/* Cancels what is in flight (as abort, without events) and releases the
 * lock. The checkpoint stays (prune_job_forget() removes a complete one). */
void prune_job_free(struct prune_job *j);

#endif
