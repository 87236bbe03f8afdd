/* tui/doctor_job.c — the credential doctor from the event loop (tui/doctor_job.h). */
#include "tui/doctor_job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/doctor_memo.h"
#include "api/doctor_source.h"
#include "api/iam.h"
#include "api/query_loop.h"
#include "api/user_pool.h"
#include "widgets/text.h"

/* One read in flight: exactly one of req, iam, keys. */
struct doctor_read {
    struct doctor_job *job;
    const struct api_doctor_need *need;
    struct app_req *req;
    struct api_query_request *iam;
    struct api_user_pool_keys_get *keys;
    struct doctor_read *next;
};

struct doctor_job {
    struct app *a;
    const char *pool_id;
    const struct api_doctor_login *login;
    struct api_doctor_report *report;
    time_t now;
    doctor_job_event_fn event;
    void *ctx;
    bool running;
    bool dying;     /* being freed: callbacks only clean up */
    bool advancing; /* inside advance(): answers coming in at once wait for its next turn */
    bool quiet;     /* inside doctor_job_start(): the end is kept, not told */
    enum doctor_job_event quiet_end;
    struct api_error quiet_err;
    char reading[160];

    /* Offline. */
    struct api_doctor_memo *memo;
    struct doctor_read *reads;
    struct api_query_client *iam; /* made on the first IAM read */
    struct api_query_loop *iam_loop;

    /* Live. */
    struct app_req *live_req;
    json_object *live_in; /* our reference to its input, wiped when it ends */
    const char *first, *step;
    char *identity;
};

static const char *const read_labels[] = {
    [API_DOCTOR_READ_POOL] = "the pool (DescribeIdentityPool)",
    [API_DOCTOR_READ_ROLES] = "the pool's roles (GetIdentityPoolRoles)",
    [API_DOCTOR_READ_TAGS] = "the provider's principal tag map (GetPrincipalTagAttributeMap)",
    [API_DOCTOR_READ_KEYS] = "the user pool's key set (JWKS)",
    [API_DOCTOR_READ_OIDC] = "the OpenID Connect provider (IAM GetOpenIDConnectProvider)",
    [API_DOCTOR_READ_ROLE] = "the role's trust policy (IAM GetRole)",
};

static void end(struct doctor_job *j, enum doctor_job_event ev, const struct api_error *err)
{
    struct api_error none;
    api_error_clear(&none);
    j->running = false;
    j->reading[0] = '\0';
    j->a->jobs--;
    j->a->dirty = true;
    if (j->quiet) {
        j->quiet_end = ev;
        j->quiet_err = err ? *err : none;
        return;
    }
    j->event(j->a, j->ctx, ev, err ? err : &none); /* last: the owner may free j */
}

/* Says what it reads now, when that changed. */
static void progress(struct doctor_job *j, const char *what)
{
    if (strcmp(j->reading, what) == 0)
        return;
    snprintf(j->reading, sizeof j->reading, "%s", what);
    app_status(j->a, STATUS_INFO, "Credential doctor: reading %s%s", what,
               text_utf8() ? "\u2026" : "...");
    if (!j->quiet)
        j->event(j->a, j->ctx, DOCTOR_JOB_PROGRESS, NULL);
}

static void read_unlink(struct doctor_read *r)
{
    for (struct doctor_read **p = &r->job->reads; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            break;
        }
    free(r);
}

static void advance(struct doctor_job *j);

/* The job still wants answers (not stopped, not being freed). */
static bool listening(const struct doctor_job *j)
{
    return j->running && !j->dying;
}

static void cognito_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct doctor_read *r = ctx;
    struct doctor_job *j = r->job;
    const struct api_doctor_need *need = r->need;
    (void)a;
    read_unlink(r);
    if (!listening(j)) {
        json_object_put(out);
        return;
    }
    if (!out && err->kind == API_ERR_CANCELLED) {
        end(j, DOCTOR_JOB_STOPPED, err); /* Esc: the owner frees the rest */
        return;
    }
    api_doctor_memo_put_json(j->memo, need, out, err);
    if (!j->advancing)
        advance(j);
}

static void iam_done(void *ctx, struct xml_node *doc, const struct api_error *err)
{
    struct doctor_read *r = ctx;
    struct doctor_job *j = r->job;
    const struct api_doctor_need *need = r->need;
    read_unlink(r);
    if (!listening(j)) {
        api_xml_free(doc);
        return;
    }
    api_doctor_memo_put_xml(j->memo, need, doc, err);
    if (!j->advancing)
        advance(j);
}

static void keys_done(void *ctx, const char *text, size_t len, const struct api_error *err)
{
    struct doctor_read *r = ctx;
    struct doctor_job *j = r->job;
    const struct api_doctor_need *need = r->need;
    read_unlink(r);
    if (!listening(j))
        return;
    api_doctor_memo_put_keys(j->memo, need, text, len, err);
    if (!j->advancing)
        advance(j);
}

static struct api_query_client *iam_of(struct doctor_job *j, struct api_error *err)
{
    if (!j->iam) {
        j->iam = api_iam_client_new(&j->a->cfg, NULL, err);
        if (j->iam && !(j->iam_loop = api_query_loop_new(j->iam, j->a->cfg.credentials, err))) {
            api_query_client_free(j->iam);
            j->iam = NULL;
        }
    }
    return j->iam;
}

static const char *cognito_op(enum api_doctor_read what)
{
    return what == API_DOCTOR_READ_POOL    ? "DescribeIdentityPool"
           : what == API_DOCTOR_READ_ROLES ? "GetIdentityPoolRoles"
                                           : "GetPrincipalTagAttributeMap";
}

/* Starts one read; one refused at once is answered at once (its error). */
static void start_read(struct doctor_job *j, const struct api_doctor_need *need)
{
    struct api_error err;
    struct doctor_read *r = calloc(1, sizeof *r);
    if (!r) {
        api_error_set(&err, API_ERR_INVALID_INPUT, "out of memory");
        api_doctor_memo_put_json(j->memo, need, NULL, &err);
        return;
    }
    r->job = j;
    r->need = need;
    r->next = j->reads;
    j->reads = r;
    switch (need->what) {
    case API_DOCTOR_READ_POOL:
    case API_DOCTOR_READ_ROLES:
    case API_DOCTOR_READ_TAGS: {
        json_object *in = json_object_new_object();
        json_object_object_add(in, "IdentityPoolId", json_object_new_string(need->pool_id));
        if (need->what == API_DOCTOR_READ_TAGS)
            json_object_object_add(in, "IdentityProviderName", json_object_new_string(need->name));
        const char *op = cognito_op(need->what);
        r->req = app_call(j->a, op, in, cognito_done, r, APP_CALL_FOREGROUND, op, &err);
        if (!r->req) {
            read_unlink(r);
            api_doctor_memo_put_json(j->memo, need, NULL, &err);
        }
        return;
    }
    case API_DOCTOR_READ_KEYS: {
        char *url = NULL;
        if (api_user_pool_jwks_url(need->name, j->a->cfg.profile, &url, &err) == 0)
            r->keys = api_user_pool_jwks_start(j->a->cfg.credentials, url, keys_done, r, &err);
        free(url);
        if (!r->keys) {
            read_unlink(r);
            api_doctor_memo_put_keys(j->memo, need, NULL, 0, &err);
        }
        return;
    }
    case API_DOCTOR_READ_OIDC:
    case API_DOCTOR_READ_ROLE: {
        bool role = need->what == API_DOCTOR_READ_ROLE;
        struct api_query_param p = {role ? "RoleName" : "OpenIDConnectProviderArn", need->name};
        struct api_query_client *qc = iam_of(j, &err);
        if (qc)
            r->iam = api_query_start(qc, role ? "GetRole" : "GetOpenIDConnectProvider", &p, 1,
                                     iam_done, r, &err);
        if (!r->iam) {
            read_unlink(r);
            api_doctor_memo_put_xml(j->memo, need, NULL, &err);
            return;
        }
        api_query_loop_kick(j->iam_loop);
        return;
    }
    }
}

/* Runs the doctor until it waits for reads or ends. */
static void advance(struct doctor_job *j)
{
    j->advancing = true;
    for (;;) {
        if (j->reads) {
            j->advancing = false;
            progress(j, read_labels[j->reads->need->what]);
            return;
        }
        size_t misses = 0;
        struct api_error err;
        int rc =
            api_doctor_memo_run(j->memo, j->pool_id, j->login, j->now, j->report, &misses, &err);
        if (misses == 0) {
            j->advancing = false;
            end(j, rc == 0 ? DOCTOR_JOB_DONE : DOCTOR_JOB_FAILED, rc == 0 ? NULL : &err);
            return;
        }
        const struct api_doctor_need *need;
        while ((need = api_doctor_memo_next_need(j->memo)))
            start_read(j, need);
    }
}

static struct doctor_job *job_new(struct app *a, const char *pool_id,
                                  const struct api_doctor_login *login,
                                  struct api_doctor_report *report, doctor_job_event_fn event,
                                  void *ctx)
{
    struct doctor_job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    *j = (struct doctor_job){.a = a,
                             .pool_id = pool_id,
                             .login = login,
                             .report = report,
                             .event = event,
                             .ctx = ctx,
                             .running = true};
    a->jobs++;
    return j;
}

int doctor_job_start(struct app *a, const char *pool_id, const struct api_doctor_login *login,
                     time_t now, struct api_doctor_report *report, doctor_job_event_fn event,
                     void *ctx, struct doctor_job **out, struct api_error *err)
{
    struct doctor_job *j = job_new(a, pool_id, login, report, event, ctx);
    *out = NULL;
    if (j && !(j->memo = api_doctor_memo_new())) {
        doctor_job_free(j);
        j = NULL;
    }
    if (!j)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    j->now = now;
    j->quiet = true;
    advance(j);
    j->quiet = false;
    if (j->running) {
        *out = j;
        return 0;
    }
    int rc = j->quiet_end == DOCTOR_JOB_DONE ? 1 : -1;
    *err = j->quiet_err;
    doctor_job_free(j);
    return rc;
}

/* ---- live ---- */

static void live_done(struct app *a, void *ctx, json_object *out, const struct api_error *err);

/* Sends one call of the live step (input taken). 0, or -1 with err when
 * refused before sending. */
static int live_send(struct doctor_job *j, const char *op, json_object *in, struct api_error *err)
{
    char label[120];
    snprintf(label, sizeof label, "Credential doctor: asking the service (%s)", op);
    j->step = op;
    j->live_in = json_object_get(in);
    j->live_req = app_call(j->a, op, in, live_done, j, APP_CALL_FOREGROUND, label, err);
    if (!j->live_req) {
        api_doctor_live_input_put(j->live_in);
        j->live_in = NULL;
        return -1;
    }
    snprintf(j->reading, sizeof j->reading, "the service's answer (%s)", op);
    return 0;
}

static void live_finish(struct doctor_job *j, const struct api_error *e)
{
    struct api_error err;
    if (api_doctor_live_record(j->report, j->first, j->step, j->identity, e, &err) != 0)
        end(j, DOCTOR_JOB_FAILED, &err);
    else
        end(j, DOCTOR_JOB_DONE, NULL);
}

static void live_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct doctor_job *j = ctx;
    (void)a;
    j->live_req = NULL;
    /* app_call journaled the call already (outcome unknown included): the
     * login in the input is wiped now. */
    api_doctor_live_input_put(j->live_in);
    j->live_in = NULL;
    if (!listening(j)) {
        api_doctor_live_answer_put(out);
        return;
    }
    if (!out && err->kind == API_ERR_CANCELLED) {
        end(j, DOCTOR_JOB_STOPPED, err);
        return;
    }
    if (!out || strcmp(j->step, j->first) != 0) {
        api_doctor_live_answer_put(out);
        live_finish(j, err);
        return;
    }
    char *dev_token = NULL;
    struct api_error e;
    int rc = api_doctor_live_identity(j->first, out, &j->identity, &dev_token, &e);
    api_doctor_live_answer_put(out);
    if (rc == 0) {
        json_object *in = api_doctor_live_second(j->login, j->identity, dev_token);
        rc = live_send(j, "GetCredentialsForIdentity", in, &e);
    }
    if (dev_token) {
        OPENSSL_cleanse(dev_token, strlen(dev_token));
        free(dev_token);
    }
    if (rc != 0)
        live_finish(j, &e);
    else
        j->event(j->a, j->ctx, DOCTOR_JOB_PROGRESS, NULL);
}

struct doctor_job *doctor_job_live(struct app *a, const char *pool_id,
                                   const struct api_doctor_login *login,
                                   struct api_doctor_report *report, doctor_job_event_fn event,
                                   void *ctx, struct api_error *err)
{
    struct doctor_job *j = job_new(a, pool_id, login, report, event, ctx);
    if (!j) {
        api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
        return NULL;
    }
    json_object *in = api_doctor_live_first(pool_id, login, report, &j->first);
    if (live_send(j, j->first, in, err) != 0) {
        doctor_job_free(j);
        return NULL;
    }
    return j;
}

/* ---- both ---- */

bool doctor_job_running(const struct doctor_job *j)
{
    return j && j->running;
}

const char *doctor_job_reading(const struct doctor_job *j)
{
    return j && j->running ? j->reading : "";
}

void doctor_job_free(struct doctor_job *j)
{
    if (!j)
        return;
    j->dying = true;
    if (j->live_req)
        app_cancel(j->a, j->live_req); /* live_done wipes the input */
    while (j->reads) {
        struct doctor_read *r = j->reads;
        if (r->req)
            app_cancel(j->a, r->req); /* cognito_done unlinks r */
        else if (r->iam)
            api_query_cancel(r->iam); /* iam_done unlinks r */
        else
            api_user_pool_jwks_cancel(r->keys);
        if (j->reads == r) /* the keys, or a callback that did not fire */
            read_unlink(r);
    }
    if (j->running) {
        j->running = false;
        j->a->jobs--;
    }
    api_query_loop_free(j->iam_loop);
    api_query_client_free(j->iam);
    api_doctor_memo_free(j->memo);
    free(j->identity);
    free(j);
}
