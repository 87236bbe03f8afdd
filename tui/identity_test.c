/* tui/identity_test.c — the credential doctor in the console (tui/identity_test.h). */
#include "tui/identity_test.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "api/doctor.h"
#include "tui/doctor_job.h"
#include "tui/json_get.h"
#include "tui/view_detail.h"
#include "tui/view_dialog.h"
#include "tui/view_form.h"
#include "widgets/text.h"

#define WRAP 76

static const char *const who_choices[] = {"a login (provider and token)", "a guest (no login)",
                                          "a developer user"};

struct doctor_view {
    struct app *a;
    unsigned gen;
    unsigned serial; /* of the view showing it */
    char *pool_id;
    enum api_doctor_login_kind kind;
    char *provider, *token, *developer_user; /* token: a secret, wiped on close */
    struct api_doctor_login login;           /* over the strings above; the job borrows it */
    struct api_doctor_report report;
    struct doctor_job *job; /* the offline steps, then the live step; NULL when none */
    bool live;              /* job is the live step */
};

static void wipe_string(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

static void doctor_view_free(void *p)
{
    struct doctor_view *d = p;
    if (!d)
        return;
    if (doctor_job_running(d->job))
        app_status(d->a, STATUS_WARN, "Credential doctor: stopped%s.",
                   d->live ? " (the live check's call in flight was cancelled: see the journal)"
                           : "");
    doctor_job_free(d->job);
    free(d->pool_id);
    free(d->provider);
    wipe_string(d->token);
    free(d->developer_user);
    api_doctor_report_clear(&d->report);
    free(d);
}

static struct api_doctor_login login_of(const struct doctor_view *d)
{
    struct api_doctor_login l = {.kind = d->kind,
                                 .provider = d->provider,
                                 .token = d->token,
                                 .developer_user = d->developer_user};
    return l;
}

/* Adds `text` word-wrapped at WRAP columns (bytes; the detail widget
 * sanitizes and measures what it draws). */
static void add_wrapped(struct detail *dt, int indent, const char *text, enum theme_role role)
{
    const char *p = text;
    char line[WRAP + 1];
    while (*p) {
        size_t n = strlen(p);
        if (n > WRAP) {
            n = WRAP;
            while (n > WRAP / 2 && p[n] != ' ')
                n--;
            if (p[n] != ' ')
                n = WRAP;
        }
        memcpy(line, p, n);
        line[n] = '\0';
        detail_add_line(dt, indent, line, role);
        p += n;
        while (*p == ' ')
            p++;
    }
}

static void doctor_fill(struct detail *dt, const struct doctor_view *d, bool read_only)
{
    const struct api_doctor_report *r = &d->report;
    char buf[300];
    detail_clear(dt);
    detail_add_section(dt, "Verdict");
    if (r->ok)
        snprintf(buf, sizeof buf, "ok: credentials expected");
    else
        snprintf(buf, sizeof buf, "fail at the %s step",
                 r->failed_step >= 0 ? api_doctor_step_names[r->failed_step] : "?");
    detail_add_kv(dt, 1, "Verdict", buf);
    detail_add_kv(dt, 1, "Role", r->role_arn ? r->role_arn : "none");
    if (r->principal_tags && json_object_object_length(r->principal_tags) > 0)
        detail_add_kv(
            dt, 1, "Principal tags",
            json_object_to_json_string_ext(r->principal_tags, JSON_C_TO_STRING_NOSLASHESCAPE));
    if (doctor_job_running(d->job)) {
        char line[240];
        snprintf(line, sizeof line, "Live check: waiting for %s%s (Esc stops it)",
                 doctor_job_reading(d->job), text_utf8() ? "\u2026" : "...");
        detail_add_line(dt, 1, line, ROLE_WARNING);
    } else if (!r->live_run)
        detail_add_line(dt, 1,
                        read_only ? "Live check: not in read-only mode (it creates an identity)"
                                  : "L: ask the service live (GetId + GetCredentialsForIdentity; "
                                    "creates an identity)",
                        ROLE_DIM);
    for (int i = 0; i < API_DOCTOR_N_STEPS; i++) {
        const struct api_doctor_step *s = &r->steps[i];
        snprintf(buf, sizeof buf, "%s %s",
                 s->status == API_DOCTOR_OK     ? "[ok]  "
                 : s->status == API_DOCTOR_FAIL ? "[FAIL]"
                                                : "[ -- ]",
                 api_doctor_step_names[i]);
        detail_add_section(dt, buf);
        add_wrapped(dt, 1, s->detail, s->status == API_DOCTOR_FAIL ? ROLE_ERROR : ROLE_NORMAL);
        if (s->status != API_DOCTOR_FAIL)
            continue;
        if (s->fix[0]) {
            detail_add_line(dt, 1, "Fix:", ROLE_TITLE);
            add_wrapped(dt, 2, s->fix, ROLE_NORMAL);
        }
        if (s->evidence) {
            detail_add_line(dt, 1, "Evidence:", ROLE_TITLE);
            for (const char *p = s->evidence; *p;) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);
                char line[400];
                snprintf(line, sizeof line, "%.*s", (int)(n < 399 ? n : 399), p);
                detail_add_line(dt, 2, line, ROLE_DIM);
                p = nl ? nl + 1 : p + n;
            }
        }
    }
}

/* While the offline steps run: what they read, never a half report. */
static void doctor_fill_progress(struct detail *dt, const struct doctor_view *d)
{
    char line[240];
    detail_clear(dt);
    detail_add_section(dt, "Checking");
    snprintf(line, sizeof line, "Reading %s%s", doctor_job_reading(d->job),
             text_utf8() ? "\u2026" : "...");
    detail_add_line(dt, 1, line, ROLE_NORMAL);
    detail_add_line(dt, 1, "Esc: stop (the form keeps what was typed)", ROLE_DIM);
}

static void doctor_event(struct app *a, void *ctx, enum doctor_job_event ev,
                         const struct api_error *err)
{
    struct doctor_view *d = ctx;
    struct view *v = view_find(a, d->serial);
    struct detail *dt = v ? view_detail_of(v) : NULL;
    a->dirty = true;
    if (!dt)
        return;
    if (ev == DOCTOR_JOB_PROGRESS) {
        if (d->live)
            doctor_fill(dt, d, a->read_only);
        else
            doctor_fill_progress(dt, d);
        return;
    }
    if (!d->live) {
        if (ev == DOCTOR_JOB_DONE) {
            app_status_clear(a);
            doctor_fill(dt, d, a->read_only);
        } else {
            /* Back to the form, with what was typed. */
            view_close(a, v); /* frees d and the job */
            if (ev == DOCTOR_JOB_FAILED) {
                app_status_clear(a); /* what it was reading */
                view_error(a, "Credential doctor", err);
            } else
                app_status(a, STATUS_WARN, "Credential doctor: stopped.");
        }
        return;
    }
    doctor_fill(dt, d, a->read_only);
    if (ev == DOCTOR_JOB_DONE)
        app_status(a, d->report.live_agrees ? STATUS_OK : STATUS_WARN,
                   "Live: the service %s the prediction (an identity was created).",
                   d->report.live_agrees ? "agrees with" : "DISAGREES with");
    else if (ev == DOCTOR_JOB_FAILED)
        view_error(a, "Credential doctor: live check", err);
    else
        app_status(a, STATUS_WARN, "Credential doctor: live check stopped%s.",
                   err->outcome_unknown || err->sent
                       ? " after its call was sent (outcome unknown: see the journal)"
                       : "");
}

static unsigned doctor_action(struct app *a, struct view *v, void *ctx, enum action act)
{
    struct doctor_view *d = ctx;
    (void)v;
    if (act != ACT_DOCTOR_LIVE)
        return 0;
    if (doctor_job_running(d->job)) {
        app_status(a, STATUS_INFO, "Credential doctor: still checking (Esc stops it).");
        return RES_HANDLED;
    }
    if (d->gen != a->profile_gen) {
        app_status(a, STATUS_WARN, "The settings changed: run the doctor again.");
        return RES_HANDLED;
    }
    if (d->report.live_run) {
        app_status(a, STATUS_OK, "Already checked live: run the doctor again for another try.");
        return RES_HANDLED;
    }
    struct api_error e;
    doctor_job_free(d->job); /* the offline steps, ended */
    d->live = true;
    d->job = doctor_job_live(a, d->pool_id, &d->login, &d->report, doctor_event, d, &e);
    if (!d->job) {
        view_error(a, "Credential doctor: live check", &e);
        return RES_HANDLED | RES_REDRAW;
    }
    doctor_fill(view_detail_of(v), d, a->read_only);
    return RES_HANDLED | RES_REDRAW;
}

static unsigned doctor_submit(struct app *a, struct view *v, void *ctx)
{
    const char *pool_id = ctx;
    struct form *f = view_form_of(v);
    size_t who = form_choice(f, "Who");
    const char *provider = form_text(f, "Provider"), *token = form_text(f, "Token");
    const char *dev = form_text(f, "DeveloperUser");

    if (who == 0 && (!provider || !*provider)) {
        form_set_error(f, "Provider", "the Logins key of the token's provider");
        return RES_REDRAW;
    }
    if (who == 0 && (!token || !*token)) {
        form_set_error(f, "Token", "paste the token (for a user pool: the ID token)");
        return RES_REDRAW;
    }
    if (who == 2 && (!dev || !*dev)) {
        form_set_error(f, "DeveloperUser", "the developer user identifier");
        return RES_REDRAW;
    }
    struct doctor_view *d = calloc(1, sizeof *d);
    if (!d)
        return 0;
    d->a = a;
    d->gen = a->profile_gen;
    d->pool_id = app_strdup(pool_id);
    d->kind = who == 0 ? API_DOCTOR_LOGIN : who == 1 ? API_DOCTOR_GUEST : API_DOCTOR_DEVELOPER;
    if (who == 0) {
        d->provider = app_strdup(provider);
        d->token = app_strdup(token);
    } else if (who == 2) {
        d->developer_user = app_strdup(dev);
    }
    d->login = login_of(d);
    struct api_error e;
    int rc = doctor_job_start(a, d->pool_id, &d->login, time(NULL), &d->report, doctor_event, d,
                              &d->job, &e);
    if (rc < 0) {
        app_status_clear(a);
        view_error(a, "Credential doctor", &e);
        doctor_view_free(d);
        return RES_REDRAW; /* the form stays, with what was typed */
    }
    struct detail *dt = detail_new("Credential doctor (Esc: back to the form)");
    if (!dt) {
        doctor_view_free(d);
        return RES_REDRAW;
    }
    if (rc == 1)
        doctor_fill(dt, d, a->read_only);
    else
        doctor_fill_progress(dt, d);
    struct view *dv = view_detail_open(a, dt, doctor_action, d, doctor_view_free);
    if (dv)
        d->serial = view_serial(dv);
    return RES_REDRAW;
}

/* The pool's first provider, to start the form with (NULL when unknown). */
static const char *first_provider(const struct app *a, const char *pool_id)
{
    if (!a->pool_desc || !a->pool_id || strcmp(a->pool_id, pool_id) != 0)
        return NULL;
    json_object *ups = jobj(a->pool_desc, "CognitoIdentityProviders");
    if (ups && json_object_is_type(ups, json_type_array) && json_object_array_length(ups) > 0)
        return jstr(json_object_array_get_idx(ups, 0), "ProviderName");
    json_object *social = jobj(a->pool_desc, "SupportedLoginProviders");
    if (social && json_object_is_type(social, json_type_object)) {
        json_object_object_foreach(social, k, val)
        {
            (void)val;
            return k;
        }
    }
    return NULL;
}

void identity_test_open(struct app *a, const char *pool_id)
{
    struct form *f = form_new("Credential doctor: why a login does (or does not) get credentials");
    if (!f)
        return;
    form_add_choice(f, "Who", "Check", who_choices, 3, 0);
    form_add_text(f, "Provider", "Provider (Logins key)", first_provider(a, pool_id), 0, NULL,
                  NULL);
    form_set_hint(f, "Provider", "e.g. cognito-idp.REGION.amazonaws.com/POOL_ID");
    form_add_secret(f, "Token", "Token", "", 0, NULL, NULL);
    form_set_hint(f, "Token", "a user pool's ID token; checked here, sent only by the live check");
    form_add_text(f, "DeveloperUser", "Developer user identifier", "", 0, NULL, NULL);
    form_set_hint(f, "DeveloperUser", "for \"a developer user\"");
    view_form_open(a, f, VIEW_FORM_QUERY, doctor_submit, app_strdup(pool_id), free);
}
