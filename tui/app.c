/* tui/app.c — requests in flight, the journal hook, status, views, panes. */
#include "tui/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/account.h"
#include "api/operations.h"
#include "tui/journal.h"
#include "tui/screen.h"

char *app_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void unlink_req(struct app *a, struct app_req *r)
{
    for (struct app_req **p = &a->reqs; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            break;
        }
    if (a->fg == r)
        a->fg = NULL;
}

static void req_done(void *ctx, json_object *out, const struct api_error *err)
{
    struct app_req *r = ctx;
    struct app *a = r->app;
    unlink_req(a, r);
    if (r->mutates && (err->kind == API_ERR_NONE || err->sent)) {
        /* Sent, so journaled (a cancel before sending changed nothing). */
        char why[300];
        struct journal_entry e = {a->cfg.profile, a->cfg.region, r->op, r->input, err, out, NULL};
        if (journal_record(&e, why, sizeof why) != 0)
            app_status(a, STATUS_WARN, "%s", why);
    }
    a->dirty = true;
    if (r->done)
        r->done(a, r->ctx, out, err);
    else
        json_object_put(out);
    json_object_put(r->input);
    free(r);
}

struct app_req *app_call(struct app *a, const char *op, json_object *input, app_done_fn done,
                         void *ctx, unsigned flags, const char *label, struct api_error *err)
{
    api_error_clear(err);
    const struct api_operation *o = api_operation_find(op);
    struct app_req *r = calloc(1, sizeof *r);
    if (!r) {
        json_object_put(input);
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        return NULL;
    }
    r->app = a;
    r->op = o ? o->name : op;
    r->input = input;
    r->mutates = o ? o->mutates : true;
    r->done = done;
    r->ctx = ctx;
    /* Linked before starting: a callback may fire during the start itself. */
    r->next = a->reqs;
    a->reqs = r;
    r->handle = api_call_start(a->client, op, input, req_done, r, err);
    if (!r->handle) {
        unlink_req(a, r);
        json_object_put(input);
        free(r);
        return NULL;
    }
    if (flags & APP_CALL_FOREGROUND) {
        a->fg = r;
        snprintf(a->fg_label, sizeof a->fg_label, "%s", label ? label : op);
    }
    a->dirty = true;
    return r;
}

void app_cancel(struct app *a, struct app_req *r)
{
    for (struct app_req *q = a->reqs; q; q = q->next)
        if (q == r) {
            api_request_cancel(r->handle); /* fires req_done, which frees r */
            return;
        }
}

void app_cancel_all(struct app *a)
{
    while (a->reqs) {
        struct app_req *r = a->reqs;
        struct api_request *h = r->handle;
        api_request_cancel(h); /* fires req_done, which unlinks and frees r */
        if (a->reqs == r) {    /* defensive: never loop on a request that stayed */
            unlink_req(a, r);
            json_object_put(r->input);
            free(r);
        }
    }
}

void app_status(struct app *a, enum status_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->status, sizeof a->status, fmt, ap);
    va_end(ap);
    a->status_kind = kind;
    a->status_time = time(NULL);
    a->dirty = true;
}

void app_describe_error(const struct api_error *err, char *buf, size_t size)
{
    char rid[160] = "";
    if (err->request_id[0])
        snprintf(rid, sizeof rid, " (request id %s)", err->request_id);
    if (err->outcome_unknown) { /* issue 11: never "Cancelled" or "failed" */
        snprintf(buf, size,
                 "Outcome unknown: %s. The change may have been applied: press r and check before "
                 "trying again.",
                 err->message);
        return;
    }
    switch (err->kind) {
    case API_ERR_CREDENTIALS:
        if (strstr(err->message, "MFA") || strstr(err->message, "MultiFactorAuthentication")) {
            /* The assumed role's code was missing or wrong: the next request asks again. */
            snprintf(buf, size,
                     "The role was not assumed: %s. Press r to enter the MFA code again (the "
                     "current one from the device).",
                     err->message);
            break;
        }
        snprintf(buf, size,
                 "No usable credentials: %s. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                 "pick a profile with :profile NAME, or run `aws sso login`; then press r.",
                 err->message);
        break;
    case API_ERR_TRANSPORT:
        snprintf(buf, size,
                 "Cannot reach the endpoint: %s. Check the network, the region (:region NAME) "
                 "and --endpoint-url; then press r.",
                 err->message);
        break;
    case API_ERR_TLS:
        snprintf(buf, size,
                 "TLS failure: %s. Check that the endpoint speaks https, its certificate, host "
                 "name and this machine's clock; a private CA goes in AWS_CA_BUNDLE.",
                 err->message);
        break;
    case API_ERR_READ_ONLY:
        snprintf(buf, size, "Refused: the console is in read-only mode (%s).", err->message);
        break;
    case API_ERR_INVALID_INPUT:
        snprintf(buf, size, "Invalid %s: %s", err->field[0] ? err->field : "input", err->message);
        break;
    case API_ERR_CANCELLED:
        snprintf(buf, size, "Cancelled.");
        break;
    case API_ERR_HTTP:
        snprintf(buf, size, "Unexpected answer (HTTP %ld): %s%s", err->http_status, err->message,
                 rid);
        break;
    case API_ERR_AWS: {
        const char *advice = "";
        if (!strcmp(err->code, "UnrecognizedClientException") ||
            !strcmp(err->code, "InvalidSignatureException") ||
            !strcmp(err->code, "ExpiredTokenException"))
            advice = " Check the credentials (and the clock).";
        else if (!strcmp(err->code, "AccessDeniedException"))
            advice = " These credentials lack the permission.";
        snprintf(buf, size, "%s: %s%s%s", err->code[0] ? err->code : "Error", err->message, rid,
                 advice);
        break;
    }
    case API_ERR_NONE:
    default:
        snprintf(buf, size, "%s", err->message);
        break;
    }
}

void app_status_error(struct app *a, const char *what, const struct api_error *err)
{
    char msg[560];
    app_describe_error(err, msg, sizeof msg);
    app_status(a,
               err->kind == API_ERR_CANCELLED || err->outcome_unknown ? STATUS_WARN : STATUS_ERROR,
               "%s%s%s", what ? what : "", what ? ": " : "", msg);
}

void app_push_view(struct app *a, struct view *v)
{
    v->below = a->view;
    a->view = v;
    a->dirty = true;
}

void app_pop_view(struct app *a)
{
    struct view *v = a->view;
    if (!v)
        return;
    a->view = v->below;
    v->ops->free(v);
    a->dirty = true;
}

const struct pane_ops *app_pane(enum pane_id id)
{
    switch (id) {
    case PANE_IDENTITIES:
        return &pane_identities_ops;
    case PANE_ROLES:
        return &pane_roles_ops;
    case PANE_TAGS:
        return &pane_tags_ops;
    case PANE_POOLS:
    default:
        return &pane_pools_ops;
    }
}

void app_switch_pane(struct app *a, enum pane_id id)
{
    if (id != PANE_POOLS && !a->pool_id) {
        app_status(a, STATUS_WARN, "Select a pool first (Pools pane, Enter).");
        id = PANE_POOLS;
    }
    a->pane = id;
    a->dirty = true;
    app_pane(id)->enter(a);
}

void app_select_pool(struct app *a, const char *id, const char *name)
{
    if (a->pool_id && !strcmp(a->pool_id, id))
        return;
    free(a->pool_id);
    free(a->pool_name);
    a->pool_id = app_strdup(id);
    a->pool_name = app_strdup(name);
    json_object_put(a->pool_desc);
    a->pool_desc = NULL;
    a->generation++;
    pane_identities_ops.reset(a);
    pane_roles_ops.reset(a);
    pane_tags_ops.reset(a);
}

bool app_action_allowed(const struct app *a, enum action act)
{
    if (act <= ACT_NONE || act >= ACT_COUNT)
        return false;
    if (a->read_only && (action_table[act].flags & ACTF_MUTATES))
        return false;
    return true;
}

const char *app_account_id(struct app *a)
{
    if (a->account_id || a->account_tried)
        return a->account_id;
    a->account_tried = true;
    a->account_error[0] = '\0';
    /* Only STS is slow; say so before it may block. */
    char saved[sizeof a->status];
    enum status_kind saved_kind = a->status_kind;
    memcpy(saved, a->status, sizeof saved);
    app_status(a, STATUS_INFO, "Finding the account id (for the pool's ARN)...");
    if (a->rows > 0)
        screen_draw(a);
    memcpy(a->status, saved, sizeof saved);
    a->status_kind = saved_kind;
    char id[API_ACCOUNT_ID_LEN + 1];
    struct api_error err;
    api_error_clear(&err);
    if (api_account_id(&a->cfg, id, sizeof id, &err) == 0) {
        a->account_id = app_strdup(id);
    } else {
        snprintf(a->account_error, sizeof a->account_error, "%.500s", err.message);
    }
    a->dirty = true;
    return a->account_id;
}

void app_account_retry(struct app *a)
{
    if (!a->account_id)
        a->account_tried = false;
}

void app_account_forget(struct app *a)
{
    free(a->account_id);
    a->account_id = NULL;
    a->account_tried = false;
    a->account_error[0] = '\0';
}

void app_reset_data(struct app *a)
{
    for (int p = 0; p < PANE_COUNT; p++)
        app_pane((enum pane_id)p)->reset(a);
    free(a->pool_id);
    free(a->pool_name);
    a->pool_id = a->pool_name = NULL;
    json_object_put(a->pool_desc);
    a->pool_desc = NULL;
    a->generation++;
    a->profile_gen++;
}
