/* tui/identity_forms.c — the Identities pane's detail, delete, lookup,
 * merge and unlink (tui/identity_forms.h). */
#include "tui/identity_forms.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/pagination.h"
#include "tui/form_send.h"
#include "tui/json_get.h"
#include "tui/model_field.h"
#include "tui/outcome_check.h"
#include "tui/view_detail.h"
#include "tui/view_dialog.h"
#include "tui/view_form.h"
#include "tui/view_result.h"

#define DELETE_BATCH 60

static void format_date(json_object *o, const char *name, char *buf, size_t cap)
{
    time_t t = jtime(o, name);
    struct tm tm;
    if (!t || !gmtime_r(&t, &tm)) {
        snprintf(buf, cap, "-");
        return;
    }
    strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* ---- detail ---- */

static void identity_detail_done(struct app *a, void *ctx, json_object *out,
                                 const struct api_error *err)
{
    unsigned gen = (unsigned)(uintptr_t)ctx;
    if (gen != a->profile_gen || !out) {
        if (!out && err->kind != API_ERR_CANCELLED)
            view_error(a, "Identity", err);
        json_object_put(out);
        return;
    }
    struct detail *d = detail_new("Identity");
    if (d) {
        char when[64];
        detail_add_section(d, "Identity");
        detail_add_kv(d, 1, "Id", jstr(out, "IdentityId"));
        format_date(out, "CreationDate", when, sizeof when);
        detail_add_kv(d, 1, "Created", when);
        format_date(out, "LastModifiedDate", when, sizeof when);
        detail_add_kv(d, 1, "Last modified", when);
        detail_add_section(d, "Linked logins");
        json_object *logins = jarr(out, "Logins");
        size_t n = logins ? json_object_array_length(logins) : 0;
        for (size_t i = 0; i < n; i++)
            detail_add_line(d, 1, jitem_str(logins, i), ROLE_NORMAL);
        if (!n)
            detail_add_line(d, 1, "none (an unauthenticated identity)", ROLE_DIM);
        detail_add_section(d, "As JSON");
        detail_add_json(d, 1, out);
    }
    app_status_clear(a);
    view_detail_open(a, d, NULL, NULL, NULL);
    json_object_put(out);
}

void identity_detail_show(struct app *a, const char *identity_id)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityId", json_object_new_string(identity_id));
    struct api_error err;
    if (!app_call(a, "DescribeIdentity", in, identity_detail_done,
                  (void *)(uintptr_t)a->profile_gen, APP_CALL_FOREGROUND, "Reading the identity",
                  &err))
        view_error(a, "Identity", &err);
}

/* ---- delete, in batches ---- */

/* Above this many, the count is typed to confirm (issue 11). */
#define DELETE_TYPED_COUNT 100

struct delete_job {
    unsigned gen;
    enum pane_id origin;
    char **ids;
    size_t n, next, deleted, batches;
    /* "id\treason\n" of every id not deleted: the service's ErrorCode,
     * StillExists / NotChecked after an unknown outcome, NotSent. */
    char *report;
    size_t report_len, unprocessed, remaining, undecided;
    json_object *checking; /* the batch whose outcome is being checked */
    struct api_error err;  /* why the job stopped (kind API_ERR_NONE: it did not) */
};

static void job_free(struct delete_job *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++)
        free(j->ids[i]);
    free(j->ids);
    free(j->report);
    json_object_put(j->checking);
    free(j);
}

static void job_free_v(void *p)
{
    job_free(p);
}

static void job_note(struct delete_job *j, const char *id, const char *reason)
{
    char line[300];
    int w = snprintf(line, sizeof line, "%s\t%s\n", id ? id : "?", reason ? reason : "NoErrorCode");
    if (w <= 0)
        return;
    if ((size_t)w >= sizeof line)
        w = (int)sizeof line - 1;
    char *r = realloc(j->report, j->report_len + (size_t)w + 1);
    if (!r)
        return;
    memcpy(r + j->report_len, line, (size_t)w + 1);
    j->report = r;
    j->report_len += (size_t)w;
}

/* The report's lines under their reasons, in the result view. */
static void add_report(struct detail *d, const struct delete_job *j, size_t not_sent)
{
    static const char *const reasons[] = {"StillExists", "NotChecked", "NotSent", NULL};
    const char *titles[] = {"Outcome unknown, checked: still there (not deleted)",
                            "Outcome unknown, and the check could not tell",
                            "Not sent (the job stopped before)", "Not processed by the service"};
    size_t counts[] = {j->remaining, j->undecided, not_sent, j->unprocessed};
    for (size_t g = 0; g < 4; g++) {
        if (!counts[g])
            continue;
        char title[120];
        snprintf(title, sizeof title, "%s (%zu)%s", titles[g], counts[g],
                 reasons[g] ? "" : ": id, ErrorCode");
        detail_add_section(d, title);
        for (const char *l = j->report; l && *l;) {
            const char *tab = strchr(l, '\t'), *nl = strchr(l, '\n');
            if (!tab || !nl || tab > nl)
                break;
            int rl = (int)(nl - tab - 1);
            bool known = false;
            for (size_t k = 0; reasons[k]; k++)
                known = known || ((int)strlen(reasons[k]) == rl &&
                                  !strncmp(tab + 1, reasons[k], (size_t)rl));
            bool here = reasons[g] ? (int)strlen(reasons[g]) == rl &&
                                         !strncmp(tab + 1, reasons[g], (size_t)rl)
                                   : !known;
            if (here) {
                char id[200], why[100];
                snprintf(id, sizeof id, "%.*s", (int)(tab - l), l);
                snprintf(why, sizeof why, "%.*s", rl, tab + 1);
                if (reasons[g])
                    detail_add_line(d, 1, id, ROLE_NORMAL);
                else
                    detail_add_kv(d, 1, id, why);
            }
            l = nl + 1;
        }
    }
}

static void job_finish(struct app *a, struct delete_job *j)
{
    char head[900];
    size_t not_sent = j->n - j->next;
    for (size_t i = j->next; i < j->n; i++)
        job_note(j, j->ids[i], "NotSent");
    if (j->err.kind != API_ERR_NONE) {
        char why[600];
        app_describe_error(&j->err, why, sizeof why);
        snprintf(head, sizeof head, "Deleted %zu of %zu identities; batch %zu: %s", j->deleted,
                 j->n, j->batches, why);
    } else {
        snprintf(head, sizeof head, "Deleted %zu of %zu identities in %zu batch%s.", j->deleted,
                 j->n, j->batches, j->batches == 1 ? "" : "es");
    }
    bool short_of = j->deleted < j->n;
    app_status(a, short_of ? STATUS_WARN : STATUS_OK, "%s", head);
    if (short_of && j->gen == a->profile_gen) {
        struct detail *d = detail_new("Delete identities: the result");
        if (d) {
            char line[200];
            detail_add_section(d, "Result");
            detail_add_line(d, 1, head, ROLE_NORMAL);
            snprintf(line, sizeof line,
                     "Not deleted: %zu not processed, %zu still there, %zu unknown, %zu not sent.",
                     j->unprocessed, j->remaining, j->undecided, not_sent);
            detail_add_line(d, 1, line, ROLE_WARNING);
            detail_add_line(d, 1, "w saves these ids (id, tab, reason) to a file.", ROLE_DIM);
            add_report(d, j, not_sent);
        }
        char what[80];
        snprintf(what, sizeof what, "the %zu ids not deleted", j->n - j->deleted);
        struct view_result_opts o = {.save_text = j->report_len ? app_strdup(j->report) : NULL,
                                     .save_what = what};
        view_result_open(a, d, &o);
    }
    if (j->gen == a->profile_gen)
        app_reload_pane(a, j->origin); /* the cursor stays where it was */
    job_free(j);
}

static void send_batch(struct app *a, struct delete_job *j);

static size_t batch_size(const struct delete_job *j)
{
    return j->n - j->next < DELETE_BATCH ? j->n - j->next : DELETE_BATCH;
}

/* After an unknown outcome: which of the batch's ids are still there. */
static void batch_checked(struct app *a, json_object *remaining, json_object *undecided, void *ctx)
{
    struct delete_job *j = ctx;
    size_t batch = json_object_array_length(j->checking);
    size_t nrem = json_object_array_length(remaining), nund = json_object_array_length(undecided);
    for (size_t i = 0; i < nrem; i++)
        job_note(j, jitem_str(remaining, i), "StillExists");
    for (size_t i = 0; i < nund; i++)
        job_note(j, jitem_str(undecided, i), "NotChecked");
    j->remaining += nrem;
    j->undecided += nund;
    j->deleted += batch > nrem + nund ? batch - nrem - nund : 0;
    j->next += batch;
    json_object_put(j->checking);
    j->checking = NULL;
    job_finish(a, j);
}

static void batch_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct delete_job *j = ctx;
    size_t batch = batch_size(j);
    if (!out) {
        j->err = *err;
        j->batches++;
        if (err->outcome_unknown && j->gen == a->profile_gen) {
            /* Sent, no answer: ask the service which ids are gone. */
            j->checking = json_object_new_array();
            for (size_t i = 0; i < batch; i++)
                json_object_array_add(j->checking, json_object_new_string(j->ids[j->next + i]));
            outcome_check_identities(a, j->checking, batch_checked, j);
            return;
        }
        job_finish(a, j);
        return;
    }
    json_object *un;
    size_t nun = 0;
    if (json_object_object_get_ex(out, "UnprocessedIdentityIds", &un) &&
        json_object_is_type(un, json_type_array)) {
        nun = json_object_array_length(un);
        for (size_t i = 0; i < nun; i++) {
            json_object *e = json_object_array_get_idx(un, i);
            job_note(j, jstr(e, "IdentityId"), jstr(e, "ErrorCode"));
        }
    }
    json_object_put(out);
    j->unprocessed += nun;
    j->deleted += batch > nun ? batch - nun : 0;
    j->next += batch;
    j->batches++;
    if (j->next < j->n)
        send_batch(a, j);
    else
        job_finish(a, j);
}

static void send_batch(struct app *a, struct delete_job *j)
{
    size_t batch = batch_size(j);
    json_object *in = json_object_new_object(), *arr = json_object_new_array();
    for (size_t i = 0; i < batch; i++)
        json_object_array_add(arr, json_object_new_string(j->ids[j->next + i]));
    json_object_object_add(in, "IdentityIdsToDelete", arr);
    char label[120];
    snprintf(label, sizeof label, "Deleting identities: batch %zu of %zu", j->batches + 1,
             (j->n + DELETE_BATCH - 1) / DELETE_BATCH);
    struct api_error err;
    if (!app_call(a, "DeleteIdentities", in, batch_done, j, APP_CALL_FOREGROUND, label, &err)) {
        j->err = err;
        j->batches++;
        job_finish(a, j);
    }
}

static unsigned delete_ok(struct app *a, struct view *v, void *ctx)
{
    struct delete_job *j = ctx;
    struct delete_job *run = calloc(1, sizeof *run);
    if (!run)
        return RES_CLOSE;
    /* The dialog frees its own copy; the run owns the ids from here. */
    *run = *j;
    j->ids = NULL;
    j->n = 0;
    run->gen = a->profile_gen;
    run->origin = v->origin;
    api_error_clear(&run->err);
    send_batch(a, run);
    return RES_CLOSE;
}

void identities_delete_confirm(struct app *a, const char *pool_name, const char *const *ids,
                               size_t n)
{
    struct delete_job *j = calloc(1, sizeof *j);
    if (!j || !(j->ids = calloc(n ? n : 1, sizeof *j->ids))) {
        free(j);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if ((j->ids[j->n] = app_strdup(ids[i])))
            j->n++;
    if (j->n == 0) {
        job_free(j);
        app_status(a, STATUS_WARN, "No identity under the cursor or marked.");
        return;
    }
    size_t batches = (j->n + DELETE_BATCH - 1) / DELETE_BATCH;
    char text[1200];
    int w = snprintf(text, sizeof text, "Delete %zu identit%s from pool \"%s\"", j->n,
                     j->n == 1 ? "y" : "ies", pool_name ? pool_name : "");
    for (size_t i = 0; i < j->n && i < 3 && w > 0 && (size_t)w < sizeof text; i++)
        w += snprintf(text + w, sizeof text - (size_t)w, "%s%s", i ? ", " : ": ", j->ids[i]);
    if (w > 0 && (size_t)w < sizeof text)
        snprintf(text + w, sizeof text - (size_t)w,
                 "%s? Their linked logins are lost. Sent in %zu batch%s of at most %d.",
                 j->n > 3 ? ", ..." : "", batches, batches == 1 ? "" : "es", DELETE_BATCH);
    char title[64], count[32];
    snprintf(title, sizeof title, "Delete %zu identit%s", j->n, j->n == 1 ? "y" : "ies");
    snprintf(count, sizeof count, "%zu", j->n);
    struct dialog *d = j->n > DELETE_TYPED_COUNT
                           ? dialog_typed_confirm(title, text, "Delete",
                                                  "Type how many identities to delete:", count)
                           : dialog_confirm(title, text, "Delete");
    view_dialog_open(a, d, delete_ok, NULL, j, job_free_v);
}

/* ---- developer identities, unlink ---- */

static const struct model_member lookup_id = {"LookupDeveloperIdentity", "IdentityId"};
static const struct model_member lookup_user = {"LookupDeveloperIdentity",
                                                "DeveloperUserIdentifier"};
static const struct model_member merge_source = {"MergeDeveloperIdentities",
                                                 "SourceUserIdentifier"};
static const struct model_member merge_dest = {"MergeDeveloperIdentities",
                                               "DestinationUserIdentifier"};
static const struct model_member merge_provider = {"MergeDeveloperIdentities",
                                                   "DeveloperProviderName"};
static const struct model_member unlink_dev_id = {"UnlinkDeveloperIdentity", "IdentityId"};
static const struct model_member unlink_dev_user = {"UnlinkDeveloperIdentity",
                                                    "DeveloperUserIdentifier"};
static const struct model_member unlink_dev_provider = {"UnlinkDeveloperIdentity",
                                                        "DeveloperProviderName"};
static const struct model_member unlink_id = {"UnlinkIdentity", "IdentityId"};
static const struct model_member unlink_login = {"UnlinkIdentity", "Logins{key}"};
static const struct model_member unlink_remove = {"UnlinkIdentity", "LoginsToRemove[]"};

/* A lookup walks every page (a user may have many developer identifiers). */
struct lookup {
    unsigned serial, gen, pages;
    json_object *input; /* the first page's input; NextToken added per page */
    json_object *ids;   /* DeveloperUserIdentifierList, all pages */
    char *identity_id;
    struct api_page_walk walk; /* NextToken, tokens followed (api/pagination.h) */
    /* Done: show them (the lookup form), or open the unlink form with them. */
    void (*done)(struct app *a, struct lookup *l);
    char *pool_id, *dev_provider;
    char why[300]; /* why the lookup failed, when done() runs after a failure */
};

static void lookup_free(struct lookup *l)
{
    json_object_put(l->input);
    json_object_put(l->ids);
    free(l->identity_id);
    api_page_walk_free(&l->walk);
    free(l->pool_id);
    free(l->dev_provider);
    free(l);
}

static void lookup_page(struct app *a, struct lookup *l);
static void lookup_show(struct app *a, struct lookup *l);

static void lookup_failed(struct app *a, struct lookup *l, const struct api_error *err)
{
    if (l->done != lookup_show && err->kind != API_ERR_CANCELLED) {
        /* The unlink form opens anyway: the admin may know the id. */
        app_describe_error(err, l->why, sizeof l->why);
        l->done(a, l);
        lookup_free(l);
        return;
    }
    struct view *v = view_find(a, l->serial);
    struct form *f = view_form_of(v);
    if (f)
        form_show_error(f, err);
    else if (err->kind != API_ERR_CANCELLED)
        view_error(a, "Lookup", err);
    app_status_error(a, "Lookup", err);
    lookup_free(l);
}

static void lookup_answer(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct lookup *l = ctx;
    if (l->gen != a->profile_gen) {
        json_object_put(out);
        lookup_free(l);
        return;
    }
    if (!out) {
        lookup_failed(a, l, err);
        return;
    }
    l->pages++;
    if (!l->identity_id && jstr(out, "IdentityId"))
        l->identity_id = app_strdup(jstr(out, "IdentityId"));
    json_object *list = jarr(out, "DeveloperUserIdentifierList");
    for (size_t i = 0; list && i < json_object_array_length(list); i++)
        json_object_array_add(l->ids, json_object_get(json_object_array_get_idx(list, i)));
    enum api_page_step step = api_page_advance(&l->walk, out);
    json_object_put(out);
    struct api_error stop;
    api_error_clear(&stop);
    if (api_page_error(step, &l->walk, "LookupDeveloperIdentity", &stop) < 0) {
        lookup_failed(a, l, &stop); /* an endless walk: stopped, said */
        return;
    }
    if (step == API_PAGE_NEXT) {
        lookup_page(a, l);
        return;
    }
    app_status_clear(a);
    l->done(a, l);
    lookup_free(l);
}

static void lookup_page(struct app *a, struct lookup *l)
{
    json_object *in = NULL;
    if (json_object_deep_copy(l->input, &in, NULL) != 0) {
        lookup_free(l);
        return;
    }
    if (l->walk.token)
        json_object_object_add(in, "NextToken", json_object_new_string(l->walk.token));
    char label[64];
    snprintf(label, sizeof label, "Lookup: page %u", l->pages + 1);
    struct api_error err;
    if (!app_call(a, "LookupDeveloperIdentity", in, lookup_answer, l, APP_CALL_FOREGROUND, label,
                  &err))
        lookup_failed(a, l, &err);
}

static struct lookup *lookup_new(struct app *a, const char *pool_id, const char *identity_id,
                                 const char *user)
{
    struct lookup *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->gen = a->profile_gen;
    l->ids = json_object_new_array();
    l->input = json_object_new_object();
    l->pool_id = app_strdup(pool_id);
    json_object_object_add(l->input, "IdentityPoolId", json_object_new_string(pool_id));
    if (identity_id && *identity_id)
        json_object_object_add(l->input, "IdentityId", json_object_new_string(identity_id));
    if (user && *user)
        json_object_object_add(l->input, "DeveloperUserIdentifier", json_object_new_string(user));
    json_object_object_add(l->input, "MaxResults", json_object_new_int(60));
    return l;
}

static void lookup_show(struct app *a, struct lookup *l)
{
    struct view *v = view_find(a, l->serial);
    if (v)
        view_close(a, v);
    struct detail *d = detail_new("Developer identity");
    if (d) {
        char n[64];
        size_t count = json_object_array_length(l->ids);
        detail_add_section(d, "Lookup");
        detail_add_kv(d, 1, "Identity id", l->identity_id ? l->identity_id : "-");
        snprintf(n, sizeof n, "%zu (%u page%s)", count, l->pages, l->pages == 1 ? "" : "s");
        detail_add_kv(d, 1, "Developer user identifiers", n);
        detail_add_section(d, "Developer user identifiers");
        for (size_t i = 0; i < count; i++)
            detail_add_line(d, 1, jitem_str(l->ids, i), ROLE_NORMAL);
        if (!count)
            detail_add_line(d, 1, "none", ROLE_DIM);
    }
    view_detail_open(a, d, NULL, NULL, NULL);
    app_status(a, STATUS_OK, "Lookup: done.");
}

static unsigned lookup_submit(struct app *a, struct view *v, void *ctx)
{
    const char *pool_id = ctx;
    struct form *f = view_form_of(v);
    const char *id = form_text(f, "IdentityId"), *dev = form_text(f, "DeveloperUserIdentifier");
    if ((!id || !*id) && (!dev || !*dev)) {
        form_set_error(f, NULL, "Give an identity id or a developer user identifier.");
        return RES_REDRAW;
    }
    struct lookup *l = lookup_new(a, pool_id, id, dev);
    if (!l)
        return 0;
    l->serial = view_serial(v);
    l->done = lookup_show;
    form_set_error(f, NULL, NULL);
    lookup_page(a, l);
    return RES_REDRAW;
}

void identity_lookup_form(struct app *a, const char *pool_id, const char *identity_id)
{
    struct form *f = form_new("Look up a developer identity");
    if (!f)
        return;
    model_add_text(f, "IdentityId", "Identity id", identity_id, 0, &lookup_id);
    model_add_text(f, "DeveloperUserIdentifier", "Developer user identifier", "", 0, &lookup_user);
    form_set_hint(f, "DeveloperUserIdentifier", "one of the two is enough");
    view_form_open(a, f, VIEW_FORM_QUERY, lookup_submit, app_strdup(pool_id), free);
}

static void reload_after(struct app *a, json_object *out, void *ctx)
{
    const char *label = ctx;
    const char *id = jstr(out, "IdentityId");
    if (id)
        app_status(a, STATUS_OK, "%s: done; identity %s.", label, id);
}

static unsigned merge_submit(struct app *a, struct view *v, void *ctx)
{
    const char *pool_id = ctx;
    struct form *f = view_form_of(v);
    const char *src = form_text(f, "SourceUserIdentifier");
    const char *dst = form_text(f, "DestinationUserIdentifier");
    const char *prov = form_text(f, "DeveloperProviderName");
    json_object *in = json_object_new_object();
    json_object_object_add(in, "SourceUserIdentifier", json_object_new_string(src));
    json_object_object_add(in, "DestinationUserIdentifier", json_object_new_string(dst));
    json_object_object_add(in, "DeveloperProviderName", json_object_new_string(prov));
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    char text[900];
    snprintf(text, sizeof text,
             "Merge developer user \"%s\" into \"%s\" (provider %s)? The source user's identity "
             "is merged into the destination's and stops existing on its own.",
             src, dst, prov);
    struct form_send_opts o = {.op = "MergeDeveloperIdentities",
                               .label = "Merge",
                               .after = reload_after,
                               .ctx = (void *)"Merge"};
    form_confirm_send(a, v, in, &o, "Merge developer identities", text);
    return RES_REDRAW;
}

/* The pool's developer provider, read first when the caller does not have
 * it (dev_provider NULL): then(a, pool_id, provider, arg) runs with it ("" when
 * the pool has none or cannot be read: the form says what is missing). */
typedef void (*with_provider_fn)(struct app *a, const char *pool_id, const char *provider,
                                 const char *arg);

struct provider_read {
    with_provider_fn then;
    unsigned gen;
    char *pool_id, *arg;
};

static void provider_read(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct provider_read *r = ctx;
    if (r->gen == a->profile_gen && (out || err->kind != API_ERR_CANCELLED)) {
        app_pool_desc_offer(a, out);
        app_status_clear(a);
        r->then(a, r->pool_id, jstr_or(out, "DeveloperProviderName", ""), r->arg);
    }
    json_object_put(out);
    free(r->pool_id);
    free(r->arg);
    free(r);
}

static void with_provider(struct app *a, const char *pool_id, const char *dev_provider,
                          const char *arg, with_provider_fn then)
{
    if (dev_provider) {
        then(a, pool_id, dev_provider, arg);
        return;
    }
    struct provider_read *r = calloc(1, sizeof *r);
    if (!r)
        return;
    r->then = then;
    r->gen = a->profile_gen;
    r->pool_id = app_strdup(pool_id);
    r->arg = app_strdup(arg);
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    struct api_error err;
    if (!app_call(a, "DescribeIdentityPool", in, provider_read, r, APP_CALL_FOREGROUND,
                  "Reading the pool's developer provider", &err)) {
        then(a, pool_id, "", arg); /* the admin types it */
        free(r->pool_id);
        free(r->arg);
        free(r);
    }
}

static void merge_open(struct app *a, const char *pool_id, const char *dev_provider,
                       const char *arg)
{
    (void)arg;
    struct form *f = form_new("Merge developer identities");
    if (!f)
        return;
    model_add_text(f, "SourceUserIdentifier", "Source user identifier", "", FORM_REQUIRED,
                   &merge_source);
    model_add_text(f, "DestinationUserIdentifier", "Destination user identifier", "", FORM_REQUIRED,
                   &merge_dest);
    model_add_text(f, "DeveloperProviderName", "Developer provider name", dev_provider,
                   FORM_REQUIRED, &merge_provider);
    view_form_open(a, f, 0, merge_submit, app_strdup(pool_id), free);
}

void identity_merge_form(struct app *a, const char *pool_id, const char *dev_provider)
{
    with_provider(a, pool_id, dev_provider, NULL, merge_open);
}

static unsigned unlink_dev_submit(struct app *a, struct view *v, void *ctx)
{
    const char *pool_id = ctx;
    struct form *f = view_form_of(v);
    const char *id = form_text(f, "IdentityId");
    const char *user = form_text(f, "DeveloperUserIdentifier");
    const char *prov = form_text(f, "DeveloperProviderName");
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityId", json_object_new_string(id));
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    json_object_object_add(in, "DeveloperProviderName", json_object_new_string(prov));
    json_object_object_add(in, "DeveloperUserIdentifier", json_object_new_string(user));
    char text[900];
    snprintf(text, sizeof text,
             "Unlink developer user \"%s\" (provider %s) from identity %s? That user then gets a "
             "new identity at the next login.",
             user, prov, id);
    struct form_send_opts o = {.op = "UnlinkDeveloperIdentity",
                               .label = "Unlink",
                               .after = reload_after,
                               .ctx = (void *)"Unlink"};
    form_confirm_send(a, v, in, &o, "Unlink developer identity", text);
    return RES_REDRAW;
}

static void unlink_dev_open(struct app *a, struct lookup *l)
{
    struct form *f = form_new("Unlink a developer identity");
    if (!f)
        return;
    size_t n = json_object_array_length(l->ids);
    const char *first = n ? jitem_str(l->ids, 0) : "";
    model_add_text(f, "IdentityId", "Identity id", l->identity_id, FORM_REQUIRED, &unlink_dev_id);
    model_add_text(f, "DeveloperUserIdentifier", "Developer user identifier", first, FORM_REQUIRED,
                   &unlink_dev_user);
    if (n > 1) {
        char hint[300];
        snprintf(hint, sizeof hint,
                 "the identity has %zu developer user ids; the first is filled in", n);
        form_set_hint(f, "DeveloperUserIdentifier", hint);
    } else if (n == 0) {
        char hint[400];
        snprintf(hint, sizeof hint, "the lookup found none for this identity%s%s",
                 l->why[0] ? ": " : "", l->why);
        form_set_hint(f, "DeveloperUserIdentifier", hint);
    }
    model_add_text(f, "DeveloperProviderName", "Developer provider name", l->dev_provider,
                   FORM_REQUIRED, &unlink_dev_provider);
    view_form_open(a, f, 0, unlink_dev_submit, app_strdup(l->pool_id), free);
}

static void unlink_dev_lookup(struct app *a, const char *pool_id, const char *dev_provider,
                              const char *identity_id)
{
    /* Its developer user ids are looked up first, so none is typed from memory. */
    struct lookup *l = lookup_new(a, pool_id, identity_id, NULL);
    if (!l)
        return;
    l->identity_id = app_strdup(identity_id);
    l->dev_provider = app_strdup(dev_provider ? dev_provider : "");
    l->done = unlink_dev_open;
    lookup_page(a, l);
}

void identity_unlink_developer_form(struct app *a, const char *pool_id, const char *identity_id,
                                    const char *dev_provider)
{
    if (!identity_id) {
        app_status(a, STATUS_WARN, "No identity under the cursor.");
        return;
    }
    with_provider(a, pool_id, dev_provider, identity_id, unlink_dev_lookup);
}

static unsigned unlink_submit(struct app *a, struct view *v, void *ctx)
{
    (void)ctx;
    struct form *f = view_form_of(v);
    const char *id = form_text(f, "IdentityId");
    json_object *in = json_object_new_object(), *logins = json_object_new_object(),
                *remove = json_object_new_array();
    json_object_object_add(in, "IdentityId", json_object_new_string(id));
    for (size_t i = 0; i < form_count(f, "Logins"); i++)
        json_object_object_add(logins, form_map_key(f, "Logins", i),
                               json_object_new_string(form_map_value(f, "Logins", i)));
    json_object_object_add(in, "Logins", logins);
    char names[600] = "";
    size_t used = 0;
    for (size_t i = 0; i < form_count(f, "LoginsToRemove"); i++) {
        const char *p = form_list_item(f, "LoginsToRemove", i);
        json_object_array_add(remove, json_object_new_string(p));
        int w = snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", p);
        if (w > 0 && (size_t)w < sizeof names - used)
            used += (size_t)w;
    }
    json_object_object_add(in, "LoginsToRemove", remove);
    char text[1000];
    snprintf(text, sizeof text, "Unlink %s from identity %s? Those logins then get a new identity.",
             names, id);
    struct form_send_opts o = {
        .op = "UnlinkIdentity", .label = "Unlink", .after = reload_after, .ctx = (void *)"Unlink"};
    form_confirm_send(a, v, in, &o, "Unlink logins", text);
    return RES_REDRAW;
}

void identity_unlink_form(struct app *a, const char *identity_id)
{
    struct form *f = form_new("Unlink logins from an identity");
    if (!f)
        return;
    model_add_text(f, "IdentityId", "Identity id", identity_id, FORM_REQUIRED, &unlink_id);
    form_add_map(f, "Logins", "Current logins (provider = token)", FORM_REQUIRED, 10, model_check,
                 (void *)&unlink_login);
    form_set_hint(f, "Logins", "the service checks the identity's tokens; never journaled");
    form_add_list(f, "LoginsToRemove", "Providers to unlink", FORM_REQUIRED, 10, model_check,
                  (void *)&unlink_remove);
    view_form_open(a, f, 0, unlink_submit, NULL, NULL);
}
