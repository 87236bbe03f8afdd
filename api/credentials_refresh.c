/* api/credentials_refresh.c — cache, refresh, sharing and back-off of
 * temporary credentials (rules in api/credentials.h, contract in
 * api/credentials_refresh.h). */
#include "api/credentials_refresh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/credentials_loop.h"

struct cred_refresh_waiter {
    struct api_credentials_op op;
    struct cred_refreshing *r;
    struct cred_refresh_waiter *next;
    cred_done_fn done;
    void *ctx;
    bool fallback; /* a failed refresh gives it the cached credentials (advisory window) */
};

static bool usable(const struct cred_refreshing *r, time_t now)
{
    return r->cached.access_key_id && (r->cached.expiration == 0 || r->cached.expiration > now);
}

static bool fresh_enough(const struct cred_refreshing *r, time_t now)
{
    return r->cached.expiration == 0 || now < r->cached.expiration - CRED_ADVISORY_REFRESH_SECONDS;
}

static bool in_advisory(const struct cred_refreshing *r, time_t now)
{
    return now < r->cached.expiration - CRED_MANDATORY_REFRESH_SECONDS;
}

static long backoff(int failures)
{
    long s = CRED_RETRY_FIRST_SECONDS;

    for (int i = 1; i < failures && s < CRED_RETRY_MAX_SECONDS; i++)
        s *= 2;
    return s < CRED_RETRY_MAX_SECONDS ? s : CRED_RETRY_MAX_SECONDS;
}

/* Records the outcome of a fetch started for `now`; returns what a caller
 * waiting for it gets: 0 with a copy in *out, or a failure with err. */
static int apply(struct cred_refreshing *r, time_t now, int rc, struct api_credentials *fresh,
                 const struct api_error *fetch_err, struct api_credentials *out,
                 struct api_error *err)
{
    struct api_error why = *fetch_err;

    if (rc == 0 && fresh->expiration && fresh->expiration <= now) {
        api_credentials_clear(fresh);
        api_error_set(&why, API_ERR_CREDENTIALS,
                      "%s returned credentials that have already expired", r->base.source);
        rc = -1;
    }
    if (rc == 0) {
        time_t exp = fresh->expiration;
        api_credentials_clear(&r->cached);
        r->cached = *fresh;
        memset(fresh, 0, sizeof *fresh);
        r->failures = 0;
        r->last_failed = false;
        r->answered_once = true;
        /* Credentials already inside the window (a process with a cache
         * of its own hands out the same ones): not again before the next
         * window, and never more than once a minute. */
        r->next_attempt = 0;
        if (exp && now >= exp - CRED_ADVISORY_REFRESH_SECONDS) {
            time_t next = now + CRED_RETRY_ANSWERED_SECONDS;
            if (now < exp - CRED_MANDATORY_REFRESH_SECONDS &&
                exp - CRED_MANDATORY_REFRESH_SECONDS > next)
                next = exp - CRED_MANDATORY_REFRESH_SECONDS;
            r->next_attempt = next;
        }
        return out ? api_credentials_copy(out, &r->cached, err) : 0;
    }
    api_credentials_clear(fresh);
    r->failures++;
    r->last_failed = true;
    r->last_error = why;
    if (r->last_error.kind == API_ERR_NONE)
        r->last_error.kind = API_ERR_CREDENTIALS;
    r->next_attempt = now + backoff(r->failures);
    if (out && usable(r, now) && in_advisory(r, now))
        return api_credentials_copy(out, &r->cached, err);
    if (err)
        *err = r->last_error;
    /* CRED_NOT_AVAILABLE only means something before the source first answered. */
    return rc == CRED_NOT_AVAILABLE && !r->answered_once ? CRED_NOT_AVAILABLE : -1;
}

void cred_refresh_finish(struct cred_refreshing *r, int rc, struct api_credentials *fresh,
                         const struct api_error *err)
{
    struct cred_refresh_waiter *w = r->waiters;
    time_t now = r->job_now;
    struct api_credentials nothing = {0};
    struct api_error none;

    api_error_clear(&none);
    r->job = NULL;
    r->waiters = NULL;
    apply(r, now, rc, fresh ? fresh : &nothing, err ? err : &none, NULL, NULL);
    /* Each waiter gets its own copy; a callback may ask this provider again. */
    while (w) {
        struct cred_refresh_waiter *next = w->next;
        struct api_credentials copy = {0};
        struct api_error e;
        int wrc;
        api_error_clear(&e);
        if (!r->last_failed || (w->fallback && usable(r, now) && in_advisory(r, now))) {
            wrc = api_credentials_copy(&copy, &r->cached, &e);
        } else {
            e = r->last_error;
            wrc = rc == CRED_NOT_AVAILABLE && !r->answered_once ? CRED_NOT_AVAILABLE : -1;
        }
        w->done(w->ctx, wrc, wrc == 0 ? &copy : NULL, &e);
        api_credentials_clear(&copy);
        free(w);
        w = next;
    }
}

static void waiter_cancel(struct api_credentials_op *op)
{
    struct cred_refresh_waiter *w = (struct cred_refresh_waiter *)op;
    struct cred_refreshing *r = w->r;

    for (struct cred_refresh_waiter **p = &r->waiters; *p; p = &(*p)->next) {
        if (*p == w) {
            *p = w->next;
            break;
        }
    }
    free(w);
    /* Nobody waits any more: stop the work (kill the process, drop the
     * transfers, withdraw the question), unless it runs for the cache. */
    if (!r->waiters && r->job && !r->job_in_background) {
        struct api_credentials_op *job = r->job;
        r->job = NULL;
        job->cancel(job);
    }
}

static const char *waiter_waiting_for(const struct api_credentials_op *op)
{
    const struct cred_refresh_waiter *w = (const struct cred_refresh_waiter *)op;

    if (w->r->job && w->r->job->waiting_for)
        return w->r->job->waiting_for(w->r->job);
    return w->r->base.source;
}

static int add_waiter(struct cred_refreshing *r, bool fallback, cred_done_fn done, void *ctx,
                      struct api_credentials_op **op, struct api_error *err)
{
    struct cred_refresh_waiter *w = calloc(1, sizeof *w);

    if (!w)
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    w->op.cancel = waiter_cancel;
    w->op.waiting_for = waiter_waiting_for;
    w->r = r;
    w->done = done;
    w->ctx = ctx;
    w->fallback = fallback;
    w->next = r->waiters;
    r->waiters = w;
    *op = &w->op;
    return CRED_PENDING;
}

/* Starts a fetch. A synchronous answer is applied at once; returns what
 * the caller gets (0 with *out, a failure), or CRED_PENDING with the job
 * recorded. */
static int begin(struct cred_refreshing *r, time_t now, bool background,
                 struct api_credentials *out, struct api_error *err)
{
    struct api_credentials fresh = {0};
    struct api_credentials_op *job = NULL;
    struct api_error fetch_err;
    int rc;

    api_error_clear(&fetch_err);
    rc = r->fetch(r, now, &fresh, &job, &fetch_err);
    if (rc == CRED_PENDING) {
        r->job = job;
        r->job_now = now;
        r->job_in_background = background;
        return CRED_PENDING;
    }
    return apply(r, now, rc, &fresh, &fetch_err, out, err);
}

static int refreshing_start(struct api_credentials_provider *p, time_t now,
                            struct api_credentials *out, cred_done_fn done, void *ctx,
                            struct api_credentials_op **op, struct api_error *err)
{
    struct cred_refreshing *r = (struct cred_refreshing *)p;
    bool have = usable(r, now), advisory;
    int rc;

    if (have && fresh_enough(r, now))
        return api_credentials_copy(out, &r->cached, err);
    if (have && now < r->next_attempt) {
        /* Backing off: what there is, or in the mandatory window the failure. */
        if (in_advisory(r, now) || !r->last_failed)
            return api_credentials_copy(out, &r->cached, err);
        *err = r->last_error;
        return -1;
    }
    advisory = have && in_advisory(r, now);
    if (advisory && !cred_loop_blocking(r->base.loop)) {
        /* Still good for 10+ minutes: hand them out, refresh behind. */
        if (!r->job) {
            struct api_error ignored;
            api_error_clear(&ignored);
            begin(r, now, true, NULL, &ignored);
        }
        return api_credentials_copy(out, &r->cached, err);
    }
    /* Wait for a refresh: a blocking caller in the advisory window (who
     * gets the cached credentials if it fails), the mandatory window, none
     * held. */
    if (r->job) {
        if (!advisory)
            r->job_in_background = false; /* someone needs it now */
        return add_waiter(r, advisory, done, ctx, op, err);
    }
    rc = begin(r, now, false, out, err);
    if (rc == CRED_PENDING && add_waiter(r, advisory, done, ctx, op, err) != CRED_PENDING) {
        struct api_credentials_op *job = r->job;
        r->job = NULL;
        job->cancel(job);
        return -1;
    }
    return rc;
}

static time_t refreshing_expiration(const struct api_credentials_provider *p)
{
    const struct cred_refreshing *r = (const struct cred_refreshing *)p;

    return r->cached.access_key_id ? r->cached.expiration : 0;
}

static void refreshing_free(struct api_credentials_provider *p)
{
    struct cred_refreshing *r = (struct cred_refreshing *)p;

    if (r->job) {
        struct api_credentials_op *job = r->job;
        r->job = NULL;
        job->cancel(job);
    }
    while (r->waiters) {
        struct cred_refresh_waiter *w = r->waiters;
        r->waiters = w->next;
        free(w);
    }
    api_credentials_clear(&r->cached);
    if (r->destroy)
        r->destroy(r);
    if (r->base.owns_loop)
        cred_loop_free(r->base.loop);
    free(r);
}

static const struct api_credentials_provider_ops refreshing_ops = {
    .free = refreshing_free, .expiration = refreshing_expiration, .start = refreshing_start};

void cred_refreshing_init(struct cred_refreshing *r, const char *source, struct cred_loop *loop)
{
    r->base.ops = &refreshing_ops;
    snprintf(r->base.source, sizeof r->base.source, "%s", source);
    r->base.loop = loop;
}
