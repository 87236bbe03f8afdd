/* tui/inventory_job.c — the inventory refresh job (inventory_job.h). */
#include "tui/inventory_job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/identity_lister.h"
#include "tui/state_dir.h"

struct inventory_job {
    struct api_client *client;
    char *pool_id;
    struct inventory_store *store;
    struct pool_lock lock;
    struct identity_lister *lister;
    enum inventory_pass pass;
    bool enabled_after; /* the HideDisabled pass follows the full one */
    bool finished, stop_requested;
    int status;
    struct api_error err;
    char why[600];
    struct inventory_progress prog;
    void (*progress)(void *ctx, const struct inventory_progress *p);
    void *ctx;
};

static void finish(struct inventory_job *j, int status)
{
    j->finished = true;
    j->status = status;
}

static void fail_local(struct inventory_job *j, const char *why)
{
    api_error_clear(&j->err);
    snprintf(j->why, sizeof j->why, "%s", why);
    finish(j, -1);
}

static int on_page(void *ctx, json_object *identities, const char *next_token, char *errbuf,
                   size_t errsize)
{
    struct inventory_job *j = ctx;
    size_t added = 0;

    if (inventory_store_add_page(j->store, j->pass, identities, next_token, time(NULL), &added,
                                 errbuf, errsize) != 0)
        return -1;
    j->prog.pages++;
    j->prog.rows += added;
    if (j->progress)
        j->progress(j->ctx, &j->prog);
    return 0;
}

static void on_restarted(void *ctx)
{
    struct inventory_job *j = ctx;
    char why[512];

    /* A failure here leaves the stored token; the next page fails the
     * walk's store step and the job reports it. */
    inventory_store_restart_pass(j->store, j->pass, why, sizeof why);
}

static void on_done(void *ctx, const struct api_error *err);

static const struct identity_lister_events events = {on_page, on_restarted, on_done};

static int start_pass(struct inventory_job *j, enum inventory_pass pass, const char *token,
                      struct api_error *err)
{
    char why[512];

    j->pass = pass;
    j->prog.pass = pass;
    j->prog.pages = 0;
    j->prog.rows = 0;
    if (inventory_store_begin_pass(j->store, pass, time(NULL), why, sizeof why) != 0) {
        api_error_clear(err);
        snprintf(j->why, sizeof j->why, "%s", why);
        return -1;
    }
    j->lister = identity_lister_start(j->client, j->pool_id, pass == INVENTORY_PASS_ENABLED, token,
                                      &events, j, err);
    return j->lister ? 0 : -1;
}

static void on_done(void *ctx, const struct api_error *err)
{
    struct inventory_job *j = ctx;
    char why[512];

    identity_lister_free(j->lister);
    j->lister = NULL;
    if (err->kind == API_ERR_CANCELLED) {
        finish(j, 1);
        return;
    }
    if (err->kind != API_ERR_NONE) {
        j->err = *err;
        finish(j, -1);
        return;
    }
    if (inventory_store_end_pass(j->store, j->pass, time(NULL), why, sizeof why) != 0) {
        fail_local(j, why);
        return;
    }
    if (j->pass == INVENTORY_PASS_ALL && j->enabled_after) {
        if (j->stop_requested) {
            /* The next run starts the HideDisabled pass (disabled still unknown). */
            finish(j, 1);
            return;
        }
        if (start_pass(j, INVENTORY_PASS_ENABLED, NULL, &j->err) != 0)
            finish(j, -1);
        return;
    }
    finish(j, 0);
}

struct inventory_job *inventory_job_start(const struct inventory_job_options *opt,
                                          struct api_error *err, bool *locked, char *errbuf,
                                          size_t errsize)
{
    struct inventory_job *j;
    char path[4400];
    enum inventory_pass pending_pass = INVENTORY_PASS_ALL;
    char *token = NULL;
    bool listed = false, disabled_known = false;
    int pending;

    api_error_clear(err);
    *locked = false;
    if (identity_lister_check_pool(opt->pool_id, err) != 0)
        return NULL;
    j = calloc(1, sizeof *j);
    if (!j || !(j->pool_id = strdup(opt->pool_id))) {
        free(j);
        snprintf(errbuf, errsize, "out of memory");
        return NULL;
    }
    j->lock.fd = -1;
    j->client = opt->client;
    j->progress = opt->progress;
    j->ctx = opt->ctx;
    int lr = pool_lock_take(&j->lock, opt->pool_id, "inventory", errbuf, errsize);
    if (lr != 0) {
        *locked = lr == 1;
        goto fail;
    }
    if (inventory_path(opt->pool_id, path, sizeof path, errbuf, errsize) != 0)
        goto fail;
    j->store =
        inventory_store_open(path, opt->pool_id, opt->region, opt->endpoint, true, errbuf, errsize);
    if (!j->store)
        goto fail;
    j->prog.estimate = inventory_store_count(j->store);
    pending = inventory_store_pending(j->store, &pending_pass, &token, errbuf, errsize);
    if (pending < 0 ||
        inventory_store_state(j->store, &listed, &disabled_known, errbuf, errsize) != 0)
        goto fail;
    int rc = 0;
    if (pending == 1) {
        j->enabled_after = pending_pass == INVENTORY_PASS_ALL && opt->disabled;
        rc = start_pass(j, pending_pass, token, err);
    } else if (!listed || opt->refresh) {
        j->enabled_after = opt->disabled;
        rc = start_pass(j, INVENTORY_PASS_ALL, NULL, err);
    } else if (opt->disabled && !disabled_known) {
        rc = start_pass(j, INVENTORY_PASS_ENABLED, NULL, err);
    } else {
        finish(j, 0);
    }
    free(token);
    token = NULL;
    if (rc != 0) {
        if (err->kind == API_ERR_NONE)
            snprintf(errbuf, errsize, "%s", j->why);
        goto fail;
    }
    return j;
fail:
    free(token);
    inventory_job_free(j);
    return NULL;
}

bool inventory_job_finished(const struct inventory_job *j)
{
    return j->finished;
}

void inventory_job_stop(struct inventory_job *j)
{
    j->stop_requested = true;
    identity_lister_stop(j->lister);
}

int inventory_job_status(const struct inventory_job *j, struct api_error *err, char *errbuf,
                         size_t errsize)
{
    *err = j->err;
    snprintf(errbuf, errsize, "%s", j->why);
    return j->status;
}

json_object *inventory_job_summary(struct inventory_job *j, time_t now, char *errbuf,
                                   size_t errsize)
{
    return inventory_store_summary(j->store, now, errbuf, errsize);
}

void inventory_job_free(struct inventory_job *j)
{
    if (!j)
        return;
    identity_lister_free(j->lister);
    inventory_store_close(j->store);
    pool_lock_release(&j->lock);
    free(j->pool_id);
    free(j);
}
