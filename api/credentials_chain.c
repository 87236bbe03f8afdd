/* api/credentials_chain.c — several sources as one provider.
 *
 * The chain asks its sources in turn until one answers and then remembers
 * it: later calls (refreshes included) go to that source only, and
 * api_credentials_source() names it. A source answering CRED_NOT_AVAILABLE
 * (instance metadata that is not there) lets the chain go on; any other
 * failure is the answer, as in botocore. Which sources, in which order:
 * api/credentials_resolve.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/credentials_loop.h"
#include "api/credentials_sources.h"

#define CHAIN_MAX 10

struct chain {
    struct api_credentials_provider base;
    struct api_credentials_provider *src[CHAIN_MAX];
    size_t n;
    int chosen; /* index of the source that answered, or -1 */
    char profile[200];
    char looked_at[512]; /* what was searched, for "no credentials" */
};

/* Someone waiting while source `i` is asked. */
struct chain_wait {
    struct api_credentials_op op;
    struct chain *c;
    size_t i;
    time_t now;
    struct api_credentials_op *inner;
    cred_done_fn done;
    void *ctx;
    char why[sizeof((struct api_error *)0)->message]; /* the last "not there" */
};

/* Errors name the profile and the source, whatever the source said. */
static int name_failure(struct chain *c, const struct api_credentials_provider *s,
                        struct api_error *err)
{
    char named[220];

    /* Most sources already start with "profile NAME"; say it once. */
    snprintf(named, sizeof named, "profile %.200s", c->profile);
    if (strncmp(err->message, named, strlen(named)) == 0)
        cred_error_prefix(err, "source %.60s", s->source);
    else
        cred_error_prefix(err, "profile %.100s, source %.60s", c->profile, s->source);
    return -1;
}

static void chosen(struct chain *c, size_t i)
{
    c->chosen = (int)i;
    snprintf(c->base.source, sizeof c->base.source, "%s", c->src[i]->source);
}

static void source_done(void *ctx, int rc, struct api_credentials *creds,
                        const struct api_error *err);

/* Asks the sources from w->i on. Returns 0 with *out, CRED_PENDING (w is
 * waiting), or -1 with err. */
static int try_from(struct chain_wait *w, struct api_credentials *out, struct api_error *err)
{
    struct chain *c = w->c;

    for (; w->i < c->n; w->i++) {
        struct api_credentials_provider *s = c->src[w->i];
        int rc = cred_start(s, w->now, out, source_done, w, &w->inner, err);
        if (rc == 0)
            chosen(c, w->i);
        if (rc == 0 || rc == CRED_PENDING)
            return rc;
        if (rc != CRED_NOT_AVAILABLE || c->chosen >= 0)
            return name_failure(c, s, err);
        snprintf(w->why, sizeof w->why, "; %.900s", err->message);
    }
    return api_error_set(err, API_ERR_CREDENTIALS, "no credentials found for profile %s: %s%s",
                         c->profile, c->looked_at, w->why);
}

static void source_done(void *ctx, int rc, struct api_credentials *creds,
                        const struct api_error *err)
{
    struct chain_wait *w = ctx;
    struct chain *c = w->c;
    struct api_credentials out = {0};
    struct api_error e = *err;

    w->inner = NULL;
    if (rc == 0) {
        chosen(c, w->i);
        out = *creds;
        memset(creds, 0, sizeof *creds);
    } else if (rc == CRED_NOT_AVAILABLE && c->chosen < 0) {
        snprintf(w->why, sizeof w->why, "; %.900s", err->message);
        w->i++;
        api_error_clear(&e);
        rc = try_from(w, &out, &e);
        if (rc == CRED_PENDING)
            return;
    } else {
        rc = name_failure(c, c->src[w->i], &e);
    }
    cred_done_fn done = w->done;
    void *done_ctx = w->ctx;
    free(w);
    done(done_ctx, rc, rc == 0 ? &out : NULL, &e);
    api_credentials_clear(&out);
}

static void wait_cancel(struct api_credentials_op *op)
{
    struct chain_wait *w = (struct chain_wait *)op;

    api_credentials_op_cancel(w->inner);
    free(w);
}

static const char *wait_waiting_for(const struct api_credentials_op *op)
{
    const struct chain_wait *w = (const struct chain_wait *)op;

    return w->inner ? api_credentials_op_waiting_for(w->inner) : w->c->base.source;
}

static int chain_start(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
                       cred_done_fn done, void *ctx, struct api_credentials_op **op,
                       struct api_error *err)
{
    struct chain *c = (struct chain *)p;
    struct chain_wait *w = calloc(1, sizeof *w);
    int rc;

    if (!w)
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    w->op.cancel = wait_cancel;
    w->op.waiting_for = wait_waiting_for;
    w->c = c;
    w->now = now;
    w->done = done;
    w->ctx = ctx;
    if (c->chosen >= 0) {
        w->i = (size_t)c->chosen;
        rc = cred_start(c->src[w->i], now, out, source_done, w, &w->inner, err);
        if (rc != 0 && rc != CRED_PENDING)
            rc = name_failure(c, c->src[w->i], err);
    } else {
        rc = try_from(w, out, err);
    }
    if (rc != CRED_PENDING) {
        free(w);
        return rc;
    }
    *op = &w->op;
    return CRED_PENDING;
}

static time_t chain_expiration(const struct api_credentials_provider *p)
{
    const struct chain *c = (const struct chain *)p;

    /* Only the source that answered holds credentials; before any answer, none. */
    return c->chosen >= 0 ? api_credentials_expiration(c->src[c->chosen]) : 0;
}

static void chain_free(struct api_credentials_provider *p)
{
    struct chain *c = (struct chain *)p;

    for (size_t i = 0; i < c->n; i++)
        api_credentials_provider_free(c->src[i]);
    if (p->owns_loop)
        cred_loop_free(p->loop); /* last: the sources ran on it */
    free(c);
}

static const struct api_credentials_provider_ops chain_ops = {
    .free = chain_free, .expiration = chain_expiration, .start = chain_start};

struct api_credentials_provider *cred_chain_new(const char *profile,
                                                struct api_credentials_provider **sources, size_t n,
                                                struct cred_loop *loop, const char *looked_at,
                                                struct api_error *err)
{
    struct chain *c = n <= CHAIN_MAX ? calloc(1, sizeof *c) : NULL;

    if (!c) {
        for (size_t i = 0; i < n; i++)
            api_credentials_provider_free(sources[i]);
        cred_loop_free(loop);
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    c->base.ops = &chain_ops;
    c->base.loop = loop;
    c->base.owns_loop = loop != NULL;
    c->chosen = -1;
    memcpy(c->src, sources, n * sizeof *sources);
    c->n = n;
    snprintf(c->profile, sizeof c->profile, "%s", profile);
    snprintf(c->looked_at, sizeof c->looked_at, "%s", looked_at);
    snprintf(c->base.source, sizeof c->base.source, "%s", n ? sources[0]->source : "none");
    return &c->base;
}
