/* tui/identity_lister.c — asynchronous ListIdentities walk (identity_lister.h). */
#include "tui/identity_lister.h"

#include <stdlib.h>
#include <string.h>

#include "api/operations.h"
#include "api/pagination.h"
#include "api/validate.h"

struct identity_lister {
    struct api_client *client;
    char *pool_id;
    bool hide_disabled;
    struct api_page_walk walk; /* walk.token: the page asked for (NULL: the first) */
    bool token_resumed;        /* token came from a checkpoint, not from this walk */
    bool stop_requested;
    bool finished;
    int failures; /* consecutive failed pages */
    unsigned long pages;
    struct api_request *inflight;
    struct identity_lister_events events;
    void *ctx;
    bool *freed; /* set when freed inside an event */
};

static void on_page(void *ctx, json_object *output, const struct api_error *err);

static json_object *page_input(const struct identity_lister *l)
{
    json_object *in = json_object_new_object();

    if (!in)
        return NULL;
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(l->pool_id));
    json_object_object_add(in, "MaxResults", json_object_new_int(IDENTITY_LISTER_PAGE_SIZE));
    if (l->hide_disabled)
        json_object_object_add(in, "HideDisabled", json_object_new_boolean(true));
    if (l->walk.token)
        json_object_object_add(in, "NextToken", json_object_new_string(l->walk.token));
    return in;
}

static int ask(struct identity_lister *l, struct api_error *err)
{
    json_object *in = page_input(l);

    if (!in)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    l->inflight = api_call_start(l->client, "ListIdentities", in, on_page, l, err);
    json_object_put(in);
    return l->inflight ? 0 : -1;
}

/* Fires done() once; the lister may be gone afterwards. */
static void finish(struct identity_lister *l, const struct api_error *err)
{
    l->finished = true;
    l->inflight = NULL;
    if (l->events.done)
        l->events.done(l->ctx, err);
}

static void finish_local(struct identity_lister *l, enum api_error_kind kind, const char *why)
{
    struct api_error e;
    api_error_set(&e, kind, "%s", why);
    finish(l, &e);
}

static void on_page(void *ctx, json_object *output, const struct api_error *err)
{
    struct identity_lister *l = ctx;
    struct api_error next_err;

    l->inflight = NULL;
    if (err->kind != API_ERR_NONE) {
        if (err->kind == API_ERR_CANCELLED) {
            finish(l, err);
            return;
        }
        if (l->token_resumed && err->kind == API_ERR_AWS &&
            strcmp(err->code, "InvalidParameterException") == 0) {
            api_page_walk_free(&l->walk);
            l->token_resumed = false;
            if (l->events.restarted)
                l->events.restarted(l->ctx);
        } else if (err->retryable && ++l->failures <= IDENTITY_LISTER_RETRIES &&
                   !l->stop_requested) {
            /* the same page again */
        } else {
            finish(l, err);
            return;
        }
        if (ask(l, &next_err) != 0)
            finish(l, &next_err);
        return;
    }

    l->failures = 0;
    l->token_resumed = false;
    l->pages++;
    json_object *identities = NULL;
    json_object_object_get_ex(output, "Identities", &identities);
    enum api_page_step step = api_page_advance(&l->walk, output);
    if (step == API_PAGE_NO_MEMORY || step == API_PAGE_REPEATED) {
        struct api_error perr;
        json_object_put(output);
        api_page_error(step, &l->walk, "ListIdentities", &perr);
        finish(l, &perr);
        return;
    }
    char why[512] = "";
    bool freed = false;
    l->freed = &freed;
    int rc = l->events.page(l->ctx, identities, step == API_PAGE_NEXT ? l->walk.token : NULL, why,
                            sizeof why);
    json_object_put(output);
    if (freed)
        return;
    l->freed = NULL;
    if (rc != 0) {
        finish_local(l, API_ERR_INVALID_INPUT, why[0] ? why : "the listing was stopped");
        return;
    }
    if (step != API_PAGE_NEXT) {
        struct api_error ok;
        api_error_clear(&ok);
        finish(l, &ok);
        return;
    }
    if (l->stop_requested) {
        finish_local(l, API_ERR_CANCELLED, "stopped after the page in flight");
        return;
    }
    if (ask(l, &next_err) != 0)
        finish(l, &next_err);
}

struct identity_lister *identity_lister_start(struct api_client *c, const char *pool_id,
                                              bool hide_disabled, const char *resume_token,
                                              const struct identity_lister_events *events,
                                              void *ctx, struct api_error *err)
{
    struct identity_lister *l = calloc(1, sizeof *l);

    if (!l || !(l->pool_id = strdup(pool_id)) ||
        (resume_token && !(l->walk.token = strdup(resume_token)))) {
        identity_lister_free(l);
        api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
        return NULL;
    }
    l->client = c;
    l->hide_disabled = hide_disabled;
    l->token_resumed = resume_token != NULL;
    l->events = *events;
    l->ctx = ctx;
    if (ask(l, err) != 0) {
        identity_lister_free(l);
        return NULL;
    }
    return l;
}

int identity_lister_check_pool(const char *pool_id, struct api_error *err)
{
    const struct api_operation *op = api_operation_find("ListIdentities");
    json_object *in = json_object_new_object();
    int rc;

    if (!in || !op) {
        json_object_put(in);
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    }
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    json_object_object_add(in, "MaxResults", json_object_new_int(IDENTITY_LISTER_PAGE_SIZE));
    rc = api_validate(op->input, in, err);
    json_object_put(in);
    return rc;
}

void identity_lister_stop(struct identity_lister *l)
{
    if (l)
        l->stop_requested = true;
}

void identity_lister_abort(struct identity_lister *l)
{
    if (l && l->inflight)
        api_request_cancel(l->inflight); /* on_page fires with API_ERR_CANCELLED */
}

void identity_lister_free(struct identity_lister *l)
{
    if (!l)
        return;
    if (l->freed)
        *l->freed = true;
    if (l->inflight) {
        /* No event after free: detach, then cancel. */
        l->events.done = NULL;
        api_request_cancel(l->inflight);
    }
    free(l->pool_id);
    api_page_walk_free(&l->walk);
    free(l);
}

unsigned long identity_lister_pages(const struct identity_lister *l)
{
    return l->pages;
}
