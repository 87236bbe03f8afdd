/* tui/app.c — the console's shared state (tui/app.h): requests in flight
 * and their journal, the status line, the followed pool, the account id,
 * and the panes reached through their class table. */
#include "tui/app.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/account.h"
#include "api/client_config.h"
#include "api/operations.h"
#include "api/rate_limiter.h"
#include "tui/cmd_job.h"
#include "tui/journal.h"
#include "tui/pane.h"
#include "widgets/text.h"

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
    if (out && r->foreground && a->status_failure && a->status_seq == r->status_seq)
        app_status_clear(a); /* what went wrong before this worked is stale */
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
    r->handle = flags & APP_CALL_FOREGROUND
                    ? api_call_start(a->client, op, input, req_done, r, err)
                    : api_call_start_background(a->client, op, input, req_done, r, err);
    if (!r->handle) {
        unlink_req(a, r);
        json_object_put(input);
        free(r);
        return NULL;
    }
    r->foreground = flags & APP_CALL_FOREGROUND;
    r->status_seq = a->status_seq;
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
    a->status_seq++;
    a->status_failure = false;
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
    a->status_failure = err->kind != API_ERR_CANCELLED;
}

void app_status_clear(struct app *a)
{
    a->status[0] = '\0';
    a->status_kind = STATUS_INFO;
    a->dirty = true;
}

void app_perform(struct app *a)
{
    api_client_perform(a->client);
}

/* Every pane of the list, made by its class (tui/pane.h). 0, or -1 (out of
 * memory: the ones made are freed). */
static void pane_free_all(struct app *a)
{
    for (int i = 0; i < PANE_COUNT; i++) {
        struct pane *p = a->panes[i];
        a->panes[i] = NULL;
        if (p)
            p->ops->free(p, a);
    }
}

static int pane_new_all(struct app *a)
{
    for (int i = 0; i < PANE_COUNT; i++) {
        const struct pane_ops *ops = pane_class((enum pane_id)i);
        struct pane *p = ops->new (a);
        if (!p) {
            pane_free_all(a);
            return -1;
        }
        p->ops = ops;
        p->id = (enum pane_id)i;
        a->panes[i] = p;
    }
    return 0;
}

static void set_source(struct app *a)
{
    const char *src = a->cfg.credentials ? api_credentials_source(a->cfg.credentials) : NULL;
    snprintf(a->cred_source, sizeof a->cred_source, "%s", src && *src ? src : "none");
}

struct app *app_new(const struct global_options *opt, struct keymap *keys,
                    const struct api_mfa_asker *mfa_ask, struct api_error *err)
{
    struct app *a = calloc(1, sizeof *a);
    if (!a) {
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        keymap_free(keys);
        return NULL;
    }
    a->opt = opt;
    a->keys = keys;
    if (mfa_ask) {
        a->mfa_ask = *mfa_ask;
        if (!a->mfa_ask.ctx)
            a->mfa_ask.ctx = a;
    }
    struct api_config_options o = opt ? opt->config : (struct api_config_options){0};
    o.mfa_ask = a->mfa_ask;
    if (api_config_resolve(&o, &a->cfg, err) != 0) {
        keymap_free(keys);
        free(a);
        return NULL;
    }
    a->read_only = a->cfg.read_only || o.read_only;
    a->cfg.read_only = a->read_only;
    if (!a->cfg.cache) /* a config built by hand: the account id still lives there */
        a->cfg.cache = calloc(1, sizeof *a->cfg.cache);
    a->client = api_client_new_for_config(&a->cfg, err);
    if (a->client)
        a->limiter = cmd_job_limiter(a->client, 100);
    if (!a->cfg.cache || !a->client || !a->limiter || pane_new_all(a) != 0) {
        if (!a->cfg.cache || a->client)
            api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        app_free(a);
        return NULL;
    }
    set_source(a);
    a->dirty = true;
    return a;
}

/* The lookup ends without telling its waiter (the panes are going). */
static void account_drop(struct app *a)
{
    api_account_lookup_cancel(a->account_lookup);
    a->account_lookup = NULL;
    a->account_waiter = NULL;
}

static void forget_pool(struct app *a)
{
    if (a->desc_req)
        app_cancel(a, a->desc_req);
    free(a->pool_id);
    free(a->pool_name);
    a->pool_id = a->pool_name = NULL;
    json_object_put(a->pool_desc);
    a->pool_desc = NULL;
}

void app_free(struct app *a)
{
    if (!a)
        return;
    app_cancel_all(a);
    account_drop(a);
    pane_free_all(a);
    forget_pool(a);
    api_client_free(a->client);
    api_rate_limiter_free(a->limiter);
    api_config_free(&a->cfg);
    keymap_free(a->keys);
    free(a->profile_choice);
    free(a->region_choice);
    free(a);
}

/* Replaces the settings: a new client for `cfg` (taken). 0, or -1 with err
 * filled and nothing changed (cfg freed). */
static int app_switch_settings(struct app *a, struct api_config *cfg, struct api_error *err)
{
    cfg->read_only = cfg->read_only || a->read_only; /* entered from inside, never left */
    struct api_client *client = api_client_new_for_config(cfg, err);
    struct api_rate_limiter *limiter = client ? cmd_job_limiter(client, 100) : NULL;
    if (!limiter) {
        if (client)
            api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        api_client_free(client);
        api_config_free(cfg);
        return -1;
    }
    app_cancel_all(a);
    account_drop(a);
    pane_free_all(a);
    forget_pool(a);
    api_client_free(a->client);
    api_rate_limiter_free(a->limiter);
    api_config_free(&a->cfg);
    a->cfg = *cfg;
    memset(cfg, 0, sizeof *cfg);
    a->client = client;
    a->limiter = limiter;
    a->read_only = a->cfg.read_only;
    a->account_tried = false;
    a->account_error[0] = '\0';
    a->generation++;
    a->profile_gen++;
    set_source(a);
    if (pane_new_all(a) != 0) {
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        return -1;
    }
    a->pane = 0;
    a->dirty = true;
    return 0;
}

int app_switch_to(struct app *a, const char *profile, const char *region)
{
    struct api_config_options o = a->opt ? a->opt->config : (struct api_config_options){0};
    o.mfa_ask = a->mfa_ask;
    /* A profile named here or before acts as --profile (and so skips the
     * environment's keys); none named keeps the chain of the start. A new
     * profile brings its own region unless --region or :region said one. */
    const char *prof = profile ? profile : a->profile_choice;
    const char *reg = region ? region : profile ? NULL : a->region_choice;
    if (prof)
        o.profile = prof;
    if (reg)
        o.region = reg;
    o.read_only = a->read_only || o.read_only; /* entered from inside, never left */
    struct api_config cfg;
    struct api_error err;
    memset(&cfg, 0, sizeof cfg);
    api_error_clear(&err);
    if (api_config_resolve(&o, &cfg, &err) != 0) {
        app_status_error(a, profile ? "Profile not switched" : "Region not switched", &err);
        return -1;
    }
    char *new_profile = profile ? app_strdup(profile) : NULL;
    char *new_region = region ? app_strdup(region) : NULL;
    if (app_switch_settings(a, &cfg, &err) != 0) {
        free(new_profile);
        free(new_region);
        app_status_error(a, "Not switched", &err);
        return -1;
    }
    if (profile) {
        free(a->profile_choice);
        a->profile_choice = new_profile;
        free(a->region_choice);
        a->region_choice = NULL;
    }
    if (region) {
        free(a->region_choice);
        a->region_choice = new_region;
    }
    app_switch_pane(a, 0);
    app_status(a, STATUS_OK, "Now on profile %s, region %s.", a->cfg.profile, a->cfg.region);
    return 0;
}

bool app_action_allowed(const struct app *a, enum action act)
{
    if (act <= ACT_NONE || act >= ACT_COUNT)
        return false;
    if (a->read_only && (action_table[act].flags & ACTF_MUTATES))
        return false;
    return true;
}

void app_switch_pane(struct app *a, enum pane_id id)
{
    if (id >= PANE_COUNT)
        return;
    a->pane = id;
    a->dirty = true;
    struct pane *p = a->panes[id];
    if (p && p->ops->enter)
        p->ops->enter(p, a);
}

void app_reload_pane(struct app *a, enum pane_id id)
{
    struct pane *p = id < PANE_COUNT ? a->panes[id] : NULL;
    if (p && p->ops->reload)
        p->ops->reload(p, a);
    a->dirty = true;
}

void app_follow_pool(struct app *a, const char *id, const char *name)
{
    if ((!id && !a->pool_id) || (id && a->pool_id && !strcmp(id, a->pool_id))) {
        if (id && name && (!a->pool_name || strcmp(a->pool_name, name))) {
            free(a->pool_name); /* renamed */
            a->pool_name = app_strdup(name);
            a->dirty = true;
        }
        return;
    }
    forget_pool(a);
    a->pool_id = app_strdup(id);
    a->pool_name = app_strdup(id ? (name ? name : "") : NULL);
    a->generation++;
    for (int p = 0; p < PANE_COUNT; p++)
        if (a->panes[p] && a->panes[p]->ops->reset)
            a->panes[p]->ops->reset(a->panes[p], a);
    a->dirty = true;
}

void app_forget_pool(struct app *a, const char *id)
{
    if (a->pool_id && id && !strcmp(a->pool_id, id))
        app_follow_pool(a, NULL, NULL);
}

json_object *app_pool_desc(const struct app *a)
{
    return a->pool_desc;
}

static void desc_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    (void)err;
    if ((unsigned)(uintptr_t)ctx == a->generation) {
        a->desc_req = NULL;
        if (out) {
            json_object_put(a->pool_desc);
            a->pool_desc = out;
            a->dirty = true;
            return;
        }
    }
    json_object_put(out);
}

void app_pool_desc_load(struct app *a)
{
    if (!a->pool_id || a->pool_desc || a->desc_req)
        return;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(a->pool_id));
    struct api_error err;
    /* In the background: a failure only leaves what it would prefill empty. */
    a->desc_req = app_call(a, "DescribeIdentityPool", in, desc_done,
                           (void *)(uintptr_t)a->generation, 0, NULL, &err);
}

void app_pool_desc_offer(struct app *a, json_object *desc)
{
    json_object *id;
    if (!a->pool_id || !desc || !json_object_object_get_ex(desc, "IdentityPoolId", &id) ||
        strcmp(json_object_get_string(id), a->pool_id) != 0)
        return;
    json_object_put(a->pool_desc);
    a->pool_desc = json_object_get(desc);
}

const char *app_account_id(const struct app *a)
{
    return a->cfg.cache && a->cfg.cache->account_id[0] ? a->cfg.cache->account_id : NULL;
}

static void account_told(struct app *a)
{
    void (*done)(struct app *, void *) = a->account_waiter;
    a->account_waiter = NULL;
    a->dirty = true;
    if (done)
        done(a, a->account_waiter_ctx);
}

static void account_done(void *ctx, const char *id, const struct api_error *err)
{
    struct app *a = ctx;
    a->account_lookup = NULL;
    if (!id)
        snprintf(a->account_error, sizeof a->account_error, "%.500s", err->message);
    else if (!app_account_id(a))
        app_account_set(a, id);
    account_told(a);
}

const char *app_account_find(struct app *a, void (*done)(struct app *a, void *ctx), void *ctx)
{
    if (app_account_id(a))
        return app_account_id(a);
    if (a->account_lookup || !a->account_tried) {
        a->account_waiter = done;
        a->account_waiter_ctx = ctx;
    }
    if (a->account_lookup || a->account_tried)
        return NULL;
    a->account_tried = true;
    a->account_error[0] = '\0';
    char id[API_ACCOUNT_ID_LEN + 1];
    struct api_error err;
    api_error_clear(&err);
    int rc =
        api_account_id_start(&a->cfg, id, sizeof id, account_done, a, &a->account_lookup, &err);
    if (rc == API_ACCOUNT_PENDING) {
        a->dirty = true;
        return NULL;
    }
    a->account_waiter = NULL; /* answered now: nothing to wait for */
    a->account_lookup = NULL;
    if (rc == 0) {
        if (!app_account_id(a))
            app_account_set(a, id);
        return app_account_id(a);
    }
    snprintf(a->account_error, sizeof a->account_error, "%.500s", err.message);
    return NULL;
}

bool app_account_finding(const struct app *a)
{
    return a->account_lookup != NULL;
}

static void account_stop(struct app *a)
{
    if (!a->account_lookup)
        return;
    api_account_lookup_cancel(a->account_lookup);
    a->account_lookup = NULL;
    snprintf(a->account_error, sizeof a->account_error,
             "finding it was stopped (Esc); r tries again");
    account_told(a);
}

bool app_foreground_busy(const struct app *a)
{
    return a->fg || a->account_lookup;
}

void app_stop_foreground(struct app *a)
{
    if (a->fg)
        app_cancel(a, a->fg);
    else
        account_stop(a);
}

const char *app_foreground_label(const struct app *a, char *buf, size_t size)
{
    const char *waiting = a->fg ? api_request_waiting_for(a->fg->handle) : NULL;
    if (!waiting && !a->fg && a->account_lookup)
        waiting = api_client_waiting_for(a->client);
    if (waiting) {
        snprintf(buf, size, "Fetching credentials (%s)%s", waiting, text_utf8() ? "\u2026" : "...");
        return buf;
    }
    if (a->fg) {
        snprintf(buf, size, "%s", a->fg_label);
        return buf;
    }
    if (a->account_lookup) {
        snprintf(buf, size, "Finding the account id (for the pool's ARN)");
        return buf;
    }
    return NULL;
}

void app_account_retry(struct app *a)
{
    if (!app_account_id(a))
        a->account_tried = false;
}

int app_account_set(struct app *a, const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n != API_ACCOUNT_ID_LEN || !a->cfg.cache)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)id[i]))
            return -1;
    memcpy(a->cfg.cache->account_id, id, n + 1);
    a->account_error[0] = '\0';
    return 0;
}
