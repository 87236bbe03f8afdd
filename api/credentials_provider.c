/* api/credentials_provider.c — what every provider answers through
 * (api_credentials_start/get/...), the blocking wrapper, and the static
 * provider. */
#include "api/credentials_provider.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "api/credentials_loop.h"

void cred_keep_out_of_core_dumps(void)
{
    struct rlimit none = {0, 0};

    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    (void)setrlimit(RLIMIT_CORE, &none);
}

struct cred_loop *cred_provider_loop(struct api_credentials_provider *p)
{
    if (!p->loop) {
        p->loop = cred_loop_new(NULL);
        p->owns_loop = p->loop != NULL;
    }
    return p->loop;
}

int cred_start(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
               cred_done_fn done, void *ctx, struct api_credentials_op **op, struct api_error *err)
{
    int rc;

    memset(out, 0, sizeof *out);
    *op = NULL;
    if (!p)
        return api_error_set(err, API_ERR_CREDENTIALS, "no credentials configured");
    if (p->ops->start)
        rc = p->ops->start(p, now, out, done, ctx, op, err);
    else
        rc = p->ops->get(p, now, out, err);
    if (rc != 0 && rc != CRED_PENDING)
        api_credentials_clear(out);
    return rc;
}

int api_credentials_start(struct api_credentials_provider *p, time_t now,
                          struct api_credentials *out, api_credentials_done_fn done, void *ctx,
                          struct api_credentials_op **op, struct api_error *err)
{
    int rc = cred_start(p, now, out, done, ctx, op, err);

    return rc == 0 || rc == CRED_PENDING ? rc : -1;
}

void api_credentials_op_cancel(struct api_credentials_op *op)
{
    if (op)
        op->cancel(op);
}

const char *api_credentials_op_waiting_for(const struct api_credentials_op *op)
{
    const char *what = op && op->waiting_for ? op->waiting_for(op) : NULL;

    return what && what[0] ? what : "credentials";
}

int api_credentials_pollfds(struct api_credentials_provider *p, struct pollfd *fds, int max,
                            int *timeout_ms)
{
    if (!p || !p->loop) {
        if (timeout_ms)
            *timeout_ms = -1;
        return 0;
    }
    return cred_loop_pollfds(p->loop, fds, max, timeout_ms);
}

void api_credentials_perform(struct api_credentials_provider *p)
{
    if (p && p->loop)
        cred_loop_perform(p->loop);
}

struct blocking {
    bool done;
    int rc;
    struct api_credentials *out;
    struct api_error *err;
};

static void blocking_done(void *ctx, int rc, struct api_credentials *creds,
                          const struct api_error *err)
{
    struct blocking *b = ctx;

    b->done = true;
    b->rc = rc == 0 ? 0 : -1;
    if (rc == 0) {
        *b->out = *creds;
        memset(creds, 0, sizeof *creds);
    } else {
        *b->err = *err;
    }
}

int api_credentials_get(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
                        struct api_error *err)
{
    struct blocking b = {false, -1, out, err};
    struct api_credentials_op *op = NULL;
    struct cred_loop *loop = p && p->ops->start ? cred_provider_loop(p) : NULL;
    int rc;

    if (p && p->ops->start && !loop) {
        memset(out, 0, sizeof *out);
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    }
    /* Blocking from the very start: an MFA code asked on the way is asked
     * with the synchronous prompt, nobody else drives this loop. */
    cred_loop_block(loop, 1);
    rc = api_credentials_start(p, now, out, blocking_done, &b, &op, err);
    if (rc == CRED_PENDING) {
        cred_loop_run(loop, &b.done);
        if (!b.done) {
            api_credentials_op_cancel(op);
            rc = api_error_set(err, API_ERR_CREDENTIALS,
                               "the credentials source stopped without an answer");
        } else {
            rc = b.rc;
        }
    }
    cred_loop_block(loop, -1);
    return rc;
}

const char *api_credentials_source(const struct api_credentials_provider *p)
{
    return p ? p->source : "none";
}

time_t api_credentials_expiration(const struct api_credentials_provider *p)
{
    return p && p->ops->expiration ? p->ops->expiration(p) : 0;
}

void api_credentials_provider_free(struct api_credentials_provider *p)
{
    if (p)
        p->ops->free(p);
}

/* ---- Fixed credentials ---- */

struct static_provider {
    struct api_credentials_provider base;
    struct api_credentials creds;
};

static int static_start(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
                        cred_done_fn done, void *ctx, struct api_credentials_op **op,
                        struct api_error *err)
{
    struct static_provider *sp = (struct static_provider *)p;

    if (sp->creds.expiration && sp->creds.expiration <= now)
        return api_error_set(err, API_ERR_CREDENTIALS, "the %s credentials have expired",
                             p->source);
    return api_credentials_copy(out, &sp->creds, err);
}

static time_t static_expiration(const struct api_credentials_provider *p)
{
    return ((const struct static_provider *)p)->creds.expiration;
}

static void static_free(struct api_credentials_provider *p)
{
    struct static_provider *sp = (struct static_provider *)p;

    api_credentials_clear(&sp->creds);
    if (p->owns_loop)
        cred_loop_free(p->loop);
    free(sp);
}

static const struct api_credentials_provider_ops static_ops = {
    .free = static_free, .expiration = static_expiration, .start = static_start};

struct api_credentials_provider *api_credentials_static_new(const struct api_credentials *c,
                                                            const char *source,
                                                            struct api_error *err)
{
    struct static_provider *sp;

    if (!c->access_key_id || !c->secret_access_key || !c->access_key_id[0] ||
        !c->secret_access_key[0]) {
        api_error_set(err, API_ERR_CREDENTIALS,
                      "%s credentials need both an access key id and a secret access key", source);
        return NULL;
    }
    cred_keep_out_of_core_dumps();
    sp = calloc(1, sizeof *sp);
    if (!sp) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    if (api_credentials_copy(&sp->creds, c, err) != 0) {
        free(sp);
        return NULL;
    }
    sp->base.ops = &static_ops;
    snprintf(sp->base.source, sizeof sp->base.source, "%s", source);
    return &sp->base;
}
