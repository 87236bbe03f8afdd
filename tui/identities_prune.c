/* tui/identities_prune.c — Prune… in the console (identities_prune.h). */
#include "tui/identities_prune.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/progress.h"
#include "tui/prune_job.h"
#include "tui/view.h"
#include "tui/view_detail.h"
#include "tui/view_dialog.h"
#include "tui/view_form.h"
#include "widgets/text.h"

struct identities_prune {
    struct app *a; /* while a job runs */
    enum pane_id pane;
    struct prune_job *job;
    struct identities_criteria crit; /* the job's filter strings point here */
    char pool_id[128], pool_name[256];
    char described[1024];
    long long estimate;
    bool asked;          /* the typed count was asked for this listing */
    bool stop_requested; /* Esc said stop */
    unsigned ask_view;   /* the open confirmation or stop question, 0 when none */
};

/* The form's context: what the submit needs besides the form. */
struct prune_form {
    struct identities_prune *r;
    char pool_id[128], pool_name[256];
    long long estimate;
};

struct identities_prune *identities_prune_new(enum pane_id pane)
{
    struct identities_prune *r = calloc(1, sizeof *r);
    if (r)
        r->pane = pane;
    return r;
}

void identities_prune_free(struct identities_prune *r)
{
    if (!r)
        return;
    if (r->job && r->a)
        r->a->jobs--;
    prune_job_free(r->job); /* cancels what is in flight; the checkpoint stays */
    free(r);
}

bool identities_prune_running(const struct identities_prune *r)
{
    return r && r->job;
}

/* ---- the job's events: flags and the status line only ---- */

/* "12 s", "4 min", "2 h": the ETA of the status line. */
static void eta_text(double seconds, char *buf, size_t size)
{
    if (seconds < 90)
        snprintf(buf, size, "%.0f s", seconds);
    else if (seconds < 5400)
        snprintf(buf, size, "%.0f min", seconds / 60);
    else
        snprintf(buf, size, "%.1f h", seconds / 3600);
}

/* The status line: shorter than the verb's bar (tui/progress.h), what
 * matters first, so 80 columns show the count and the ETA. */
static void on_progress(void *ctx, const struct prune_progress *p)
{
    struct identities_prune *r = ctx;
    char extra[128], eta[48] = "", n1[32], n2[32];
    struct progress_job f;
    const char *dot = theme_glyph(GLYPH_DOT);

    prune_progress_job(p, &f, extra, sizeof extra);
    double pace = f.quota > 0 ? f.quota : f.rate;
    if (f.total > 0 && pace > 0 && (unsigned long long)f.total >= f.done) {
        char d[32];
        eta_text(((unsigned long long)f.total - f.done) / pace, d, sizeof d);
        snprintf(eta, sizeof eta, " %s ETA %s", dot, d);
    }
    r->a->dirty = true;
    if (prune_job_finished(r->job) || prune_job_awaiting_confirmation(r->job))
        return;
    if (p->phase == PRUNE_PHASE_DELETE)
        app_status(r->a, STATUS_INFO, "Prune: %s of %s deleted%s %s %.1f/s of %.4g/s (Esc stops)",
                   text_thousands(n1, sizeof n1, p->deleted),
                   text_thousands(n2, sizeof n2, p->deleted + p->remaining), eta, dot, f.rate,
                   f.quota);
    else
        app_status(r->a, STATUS_INFO,
                   "Prune: listing, %s matched of %s%s %s %.1f/s of %.4g/s (Esc stops)",
                   text_thousands(n1, sizeof n1, p->matched),
                   text_thousands(n2, sizeof n2, p->listed), eta, dot, f.rate, f.quota);
}

static void on_journal_failed(void *ctx, const char *why)
{
    struct identities_prune *r = ctx;
    app_status(r->a, STATUS_WARN, "A batch was sent but not journalled: %s", why);
}

/* ---- start ---- */

static int start(struct app *a, struct identities_prune *r, const struct prune_form *pf,
                 const struct identities_criteria *c, long limit, bool dry_run, struct form *f)
{
    struct identity_filter filter;
    struct api_error err;
    bool locked, conflict;
    char why[1200];

    r->crit = *c;
    if (criteria_to_prune(&r->crit, &filter, why, sizeof why) != 0) {
        form_set_error(f, NULL, why);
        return -1;
    }
    struct prune_job_options o = {
        .client = a->client,
        .limiter = a->limiter,
        .pool_id = pf->pool_id,
        .region = a->cfg.region,
        .endpoint = a->cfg.endpoint_url,
        .profile = a->cfg.profile,
        .filter = filter,
        .limit = limit,
        .dry_run = dry_run,
        .estimate_identities = pf->estimate,
        .progress = on_progress,
        .journal_failed = on_journal_failed,
        .ctx = r,
    };
    r->a = a;
    r->asked = r->stop_requested = false;
    snprintf(r->pool_id, sizeof r->pool_id, "%s", pf->pool_id);
    snprintf(r->pool_name, sizeof r->pool_name, "%s", pf->pool_name);
    criteria_describe(&r->crit, r->described, sizeof r->described);
    r->job = prune_job_start(&o, &err, &locked, &conflict, why, sizeof why);
    if (!r->job) {
        if (err.kind != API_ERR_NONE) {
            char line[700];
            app_describe_error(&err, line, sizeof line);
            form_set_error(f, NULL, line);
        } else {
            form_set_error(f, NULL, why);
        }
        return -1;
    }
    a->jobs++;
    app_status(a, STATUS_INFO, "Prune: listing the pool (Esc stops)");
    a->dirty = true;
    return 0;
}

static unsigned form_submit_cb(struct app *a, struct view *v, void *ctx)
{
    struct prune_form *pf = ctx;
    struct form *f = view_form_of(v);
    struct identities_criteria c;
    long limit = 0;

    if (identities_prune_running(pf->r)) {
        form_set_error(f, NULL, "a prune is running: wait for it, or Esc in the pane stops it");
        return RES_REDRAW;
    }
    if (criteria_from_form(f, false, &c) != 0)
        return RES_REDRAW;
    const char *lim = form_text(f, "limit");
    if (lim[0]) {
        char *end;
        errno = 0;
        limit = strtol(lim, &end, 10);
        if (errno || *end || limit < 1) {
            form_set_error(f, "limit", "a whole number of identities, 1 or more (empty: all)");
            return RES_REDRAW;
        }
    }
    if (start(a, pf->r, pf, &c, limit, form_bool(f, "dry"), f) != 0)
        return RES_REDRAW;
    return RES_CLOSE;
}

void identities_prune_form(struct app *a, struct identities_prune *r, const char *pool_id,
                           const char *pool_name, const struct identities_criteria *prefill,
                           long long estimate, const char *providers)
{
    if (identities_prune_running(r)) {
        app_status(a, STATUS_WARN, "A prune is running on pool %s: Esc in this pane stops it.",
                   r->pool_id);
        return;
    }
    struct identities_criteria none;
    memset(&none, 0, sizeof none);
    char title[400];
    snprintf(title, sizeof title, "Prune identities of pool %s", pool_name ? pool_name : pool_id);
    struct form *f = form_new(title);
    struct prune_form *pf = calloc(1, sizeof *pf);
    if (!f || !pf || criteria_form_add(f, prefill ? prefill : &none, false, providers) != 0 ||
        form_add_text(f, "limit", "At most (identities)", "", 0, NULL, NULL) < 0 ||
        form_add_bool(f, "dry", "Dry run", false) < 0) {
        form_delete(f);
        free(pf);
        app_status(a, STATUS_ERROR, "Out of memory.");
        return;
    }
    form_set_hint(f, "limit", "empty: every match");
    form_set_hint(f, "dry", "count and sample; nothing deleted");
    pf->r = r;
    pf->estimate = estimate;
    snprintf(pf->pool_id, sizeof pf->pool_id, "%s", pool_id);
    snprintf(pf->pool_name, sizeof pf->pool_name, "%s", pool_name ? pool_name : pool_id);
    view_form_open(a, f, 0, form_submit_cb, pf, free);
}

/* ---- asking ---- */

static void ask_gone(void *ctx)
{
    struct identities_prune *r = ctx;
    r->ask_view = 0;
}

static unsigned confirm_ok(struct app *a, struct view *v, void *ctx)
{
    struct identities_prune *r = ctx;
    (void)v;
    if (r->job) {
        app_status(a, STATUS_INFO, "Prune: deleting (Esc stops)");
        prune_job_confirm(r->job, true);
    }
    return RES_CLOSE;
}

static unsigned confirm_cancel(struct app *a, struct view *v, void *ctx)
{
    struct identities_prune *r = ctx;
    (void)v;
    (void)a;
    if (r->job)
        prune_job_confirm(r->job, false); /* finishes, resumable */
    return RES_CLOSE;
}

static void ask_count(struct identities_prune *r, struct app *a)
{
    unsigned long long n = prune_job_to_delete(r->job);
    char text[1600], count[32];

    r->asked = true;
    if (n == 0 || r->stop_requested) {
        prune_job_confirm(r->job, !r->stop_requested);
        return;
    }
    snprintf(count, sizeof count, "%llu", n); /* as it is typed: no separators */
    snprintf(text, sizeof text, "%s identit%s of pool %s matching %s will be deleted.", count,
             n == 1 ? "y" : "ies", r->pool_name, r->described);
    struct dialog *d = dialog_typed_confirm("Prune identities", text, "Delete",
                                            "Type the count to delete:", count);
    struct view *v = d ? view_dialog_open(a, d, confirm_ok, confirm_cancel, r, ask_gone) : NULL;
    if (!v) {
        prune_job_confirm(r->job, false);
        return;
    }
    r->ask_view = view_serial(v);
}

static unsigned stop_ok(struct app *a, struct view *v, void *ctx)
{
    struct identities_prune *r = ctx;
    (void)v;
    if (r->job && !prune_job_finished(r->job)) {
        r->stop_requested = true;
        app_status(a, STATUS_WARN, "Prune: stopping after the requests in flight...");
        prune_job_stop(r->job);
    }
    return RES_CLOSE;
}

void identities_prune_ask_stop(struct app *a, struct identities_prune *r)
{
    if (!identities_prune_running(r) || r->ask_view)
        return;
    struct dialog *d = dialog_question(
        "Stop the prune?",
        "The job stops after the requests in flight, their outcome kept. Prune... with the same "
        "criteria continues it where it stopped.",
        "Stop");
    struct view *v = d ? view_dialog_open(a, d, stop_ok, NULL, r, ask_gone) : NULL;
    if (v)
        r->ask_view = view_serial(v);
}

/* ---- the end ---- */

struct unprocessed_list {
    struct detail *d;
    size_t n;
};

static void add_unprocessed(void *ctx, const char *id, const char *code)
{
    struct unprocessed_list *l = ctx;
    char line[400];
    snprintf(line, sizeof line, "%s  %s", id, code);
    detail_add_line(l->d, 2, line, ROLE_NORMAL);
    l->n++;
}

static void show_result(struct identities_prune *r, struct app *a, int status,
                        const struct api_error *err, const char *why)
{
    struct prune_result res;
    char v[600], outcome[1400], title[400];

    prune_job_result(r->job, &res);
    snprintf(title, sizeof title, "Prune of pool %s", r->pool_name);
    struct detail *d = detail_new(title);
    if (!d)
        return;
    detail_add_section(d, "Result");
    detail_add_kv(d, 2, "Criteria", r->described);
    if (status == 0)
        snprintf(outcome, sizeof outcome, "%s",
                 res.dry_run ? "dry run: nothing was deleted" : "complete");
    else if (status == 1)
        snprintf(outcome, sizeof outcome, "stopped: Prune... with the same criteria continues it");
    else if (err->kind != API_ERR_NONE)
        app_describe_error(err, outcome, sizeof outcome);
    else
        snprintf(outcome, sizeof outcome, "%s (what was done is kept; Prune... continues)", why);
    detail_add_kv(d, 2, "Outcome", outcome);
#define FIG(label, value)                                                                          \
    do {                                                                                           \
        text_thousands(v, sizeof v, (unsigned long long)(value));                                  \
        detail_add_kv(d, 2, label, v);                                                             \
    } while (0)
    FIG("Matched", res.matched);
    if (res.dry_run)
        FIG("Would delete", res.matched - res.skipped);
    else
        FIG("Deleted", res.deleted);
    FIG("Unprocessed", res.unprocessed);
    FIG("Skipped (limit)", res.skipped);
#undef FIG
    snprintf(v, sizeof v,
             "%lu ListIdentities, %lu DeleteIdentities, %lu DescribeIdentity, %lu "
             "throttled; %.1f s",
             res.list_requests, res.delete_requests, res.other_requests, res.throttled,
             res.elapsed_s);
    detail_add_kv(d, 2, "Requests", v);
    if (res.dry_run && res.sample && json_object_array_length(res.sample)) {
        detail_add_section(d, "Sample");
        for (size_t i = 0; i < json_object_array_length(res.sample); i++) {
            const char *id = json_object_get_string(json_object_array_get_idx(res.sample, i));
            detail_add_line(d, 2, id ? id : "", ROLE_NORMAL);
        }
    }
    if (res.unprocessed) {
        struct unprocessed_list l = {d, 0};
        char e[256];
        detail_add_section(d, "Unprocessed identities (id, error)");
        if (prune_job_each_unprocessed(r->job, add_unprocessed, &l, e, sizeof e) != 0)
            detail_add_line(d, 2, e, ROLE_ERROR);
    }
    view_detail_open(a, d, NULL, NULL, NULL);
    char n1[32], n2[32];
    text_thousands(n1, sizeof n1, res.deleted);
    if (status == 0 && !res.dry_run)
        app_status(a, res.unprocessed ? STATUS_WARN : STATUS_OK,
                   "Prune: %s deleted, %s unprocessed.", n1,
                   text_thousands(n2, sizeof n2, res.unprocessed));
    else if (status == 0)
        app_status(a, STATUS_OK, "Prune (dry run): %s match.",
                   text_thousands(n2, sizeof n2, res.matched));
    else if (status == 1)
        app_status(a, STATUS_WARN, "Prune stopped: %s deleted so far; Prune... continues it.", n1);
    else
        app_status(a, STATUS_ERROR, "Prune failed: %s", outcome);
    if (res.deleted)
        app_reload_pane(a, r->pane);
}

void identities_prune_sync(struct identities_prune *r, struct app *a)
{
    if (!r || !r->job)
        return;
    /* Never a dialog over another one (the Quit? question, an error): the
     * job waits until it is answered. Our own stop question is ours to close. */
    if (a->view && a->view->ops->scope == SCOPE_DIALOG &&
        !(r->ask_view && view_serial(a->view) == r->ask_view))
        return;
    if (prune_job_awaiting_confirmation(r->job) && !r->asked) {
        ask_count(r, a);
        return;
    }
    if (!prune_job_finished(r->job))
        return;
    if (r->ask_view) {
        struct view *v = view_find(a, r->ask_view);
        if (v)
            view_close(a, v);
        r->ask_view = 0;
    }
    struct api_error err;
    char why[1200];
    int status = prune_job_status(r->job, &err, why, sizeof why);
    show_result(r, a, status, &err, why);
    if (status == 0)
        prune_job_forget(r->job); /* shown: the next Prune... is a new job */
    prune_job_free(r->job);
    r->job = NULL;
    r->a = NULL;
    a->jobs--;
}
