/* tui/inventory_job.h — refreshes a pool's inventory (tui/inventory_store.h)
 * from the service, as a job an event loop drives: the `inventory` verb
 * runs it to the end, the console can run it in the background.
 *
 * OWNER: the lifecycle work (issue 13).
 *
 * What it lists, from the inventory's state:
 *   - an unfinished pass (a refresh that was interrupted): resumed from its
 *     checkpoint, then what follows it;
 *   - no complete listing yet, or `refresh`: a full pass (ListIdentities);
 *   - `disabled`: then a HideDisabled pass (a second full listing) — also
 *     alone, on a complete inventory whose disabled identities are unknown;
 *   - otherwise nothing: the job is finished at once.
 * The job holds the pool's lock (tui/state_dir.h) from start to free: a
 * prune or another refresh of the same pool is refused meanwhile.
 *
 * Driving: inventory_job_start(), then drive the client (api_client_pollfds
 * / poll / api_client_perform) until inventory_job_finished(). The
 * client's rate limiter paces the listing (the caller sets it: bulk jobs
 * run a capped adaptive one, api/rate_limiter.h). Progress events fire
 * inside api_client_perform(), after each stored page.
 */
#ifndef TUI_INVENTORY_JOB_H
#define TUI_INVENTORY_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "api/client.h"
#include "tui/inventory_store.h"

struct inventory_progress {
    enum inventory_pass pass;
    unsigned long pages; /* pages of this pass stored by this run */
    unsigned long long rows;
    long long estimate; /* identities in the inventory before the run, -1 unknown */
};

struct inventory_job_options {
    struct api_client *client; /* borrowed; its rate limiter paces the job */
    const char *pool_id;
    const char *region, *endpoint; /* recorded in (and checked against) the file */
    bool refresh;
    bool disabled;
    void (*progress)(void *ctx, const struct inventory_progress *p); /* may be NULL */
    void *ctx;
};

struct inventory_job;

/* Opens (creates) the inventory, takes the pool's lock and sends the first
 * request when there is something to list. Returns NULL with *err filled
 * (a refused first request: read-only cannot happen, ListIdentities is a
 * read; an invalid pool id; credentials) or with errbuf filled and err
 * kind API_ERR_NONE (the file, the lock: *locked set when another job
 * holds it). */
struct inventory_job *inventory_job_start(const struct inventory_job_options *opt,
                                          struct api_error *err, bool *locked, char *errbuf,
                                          size_t errsize);

bool inventory_job_finished(const struct inventory_job *j);

/* Stop after the page in flight (its page is stored; a rerun resumes). */
void inventory_job_stop(struct inventory_job *j);

/* Once finished: 0 when every planned pass ended, 1 when stopped, -1 when
 * it failed (*err filled, or errbuf with err kind API_ERR_NONE). */
int inventory_job_status(const struct inventory_job *j, struct api_error *err, char *errbuf,
                         size_t errsize);

/* The inventory's figures now (inventory_store_summary()). */
json_object *inventory_job_summary(struct inventory_job *j, time_t now, char *errbuf,
                                   size_t errsize);

/* Releases the lock and closes the file; cancels a request in flight. */
void inventory_job_free(struct inventory_job *j);

#endif
