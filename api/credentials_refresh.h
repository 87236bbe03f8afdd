/* api/credentials_refresh.h — temporary credentials: cache, refresh,
 * sharing and back-off, for every source whose credentials expire.
 * Private to api/. The rules are those of api/credentials.h ("Refresh").
 *
 * A source embeds struct cred_refreshing first and sets `fetch` (and
 * `destroy`). fetch() starts getting fresh credentials:
 *   - 0: *out holds them now;
 *   - CRED_PENDING: *job is set (an op of the source's own: its cancel
 *     stops the work and frees it without a word); when the work ends the
 *     source frees its job and then calls cred_refresh_finish() once;
 *   - -1 or CRED_NOT_AVAILABLE with err.
 * At most one fetch runs per provider; everyone waiting shares it.
 */
#ifndef API_CREDENTIALS_REFRESH_H
#define API_CREDENTIALS_REFRESH_H

#include <stdbool.h>
#include <time.h>

#include "api/credentials_provider.h"

#define CRED_ADVISORY_REFRESH_SECONDS  (15 * 60)
#define CRED_MANDATORY_REFRESH_SECONDS (10 * 60)
/* Back-off after a failed refresh: this, doubled per failure, up to the max. */
#define CRED_RETRY_FIRST_SECONDS 30
#define CRED_RETRY_MAX_SECONDS   (5 * 60)
/* After a refresh that brought credentials already inside the advisory
 * window: at least this long before the next. */
#define CRED_RETRY_ANSWERED_SECONDS 60

struct cred_refresh_waiter;

struct cred_refreshing {
    struct api_credentials_provider base;
    struct api_credentials cached; /* access_key_id NULL when none yet */
    int (*fetch)(struct cred_refreshing *self, time_t now, struct api_credentials *out,
                 struct api_credentials_op **job, struct api_error *err);
    /* Frees the source's own state (not `cached`, not the struct itself). */
    void (*destroy)(struct cred_refreshing *self);

    /* The refresh layer's own state. */
    struct api_credentials_op *job; /* the fetch in flight, or NULL */
    bool job_in_background;         /* started for the advisory window: no caller stops it */
    time_t job_now;                 /* the time it was started for */
    struct cred_refresh_waiter *waiters;
    time_t next_attempt; /* the source is not asked before this while `cached` is usable */
    int failures;        /* refreshes failed in a row */
    bool last_failed;
    bool answered_once; /* CRED_NOT_AVAILABLE only means something before this */
    struct api_error last_error;
};

/* Sets up base (ops, source name, the loop fetches run on; loop may be
 * NULL: one is made on first need). */
void cred_refreshing_init(struct cred_refreshing *r, const char *source, struct cred_loop *loop);

/* Called once by a source's job, after it freed itself. rc 0: `fresh` is
 * taken (moved; the caller's struct is left empty); on failure it may be
 * NULL, and err says why. */
void cred_refresh_finish(struct cred_refreshing *r, int rc, struct api_credentials *fresh,
                         const struct api_error *err);

#endif
