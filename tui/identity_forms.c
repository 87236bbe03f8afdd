/* tui/identity_forms.c — what the Identities pane opens: identity detail,
 * delete of the marked identities in batches of 60, developer-identity
 * lookup, merge, unlink developer identity, unlink logins. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/pane_identities.h"
#include "api/pagination.h"
#include "tui/views.h"
#include "widgets/dialog.h"
#include "widgets/table.h"

#define DELETE_BATCH 60

static const char *jstr(json_object *o, const char *name)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static void format_date(json_object *o, const char *name, char *buf, size_t cap)
{
    json_object *v;
    if (!json_object_object_get_ex(o, name, &v) || !v) {
        snprintf(buf, cap, "-");
        return;
    }
    time_t t = (time_t)json_object_get_double(v);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static const char *dev_provider(struct app *a)
{
    const char *d = jstr(a->pool_desc, "DeveloperProviderName");
    return d ? d : "";
}

/* ---- detail ---- */

static void identity_detail_done(struct app *a, void *ctx, json_object *out,
                                 const struct api_error *err)
{
    unsigned gen = (unsigned)(uintptr_t)ctx;
    if (gen != a->profile_gen || !out) {
        if (!out && err->kind != API_ERR_CANCELLED)
            views_error(a, "Identity", err);
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
        json_object *logins;
        size_t n = json_object_object_get_ex(out, "Logins", &logins) &&
                           json_object_is_type(logins, json_type_array)
                       ? json_object_array_length(logins)
                       : 0;
        for (size_t i = 0; i < n; i++)
            detail_add_line(d, 1, json_object_get_string(json_object_array_get_idx(logins, i)),
                            ROLE_NORMAL);
        if (!n)
            detail_add_line(d, 1, "none (an unauthenticated identity)", ROLE_DIM);
        detail_add_section(d, "As JSON");
        detail_add_json(d, 1, out);
    }
    views_detail(a, d, NULL, NULL, NULL);
    json_object_put(out);
}

void identity_show_detail(struct app *a, const char *identity_id)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityId", json_object_new_string(identity_id));
    struct api_error err;
    if (!app_call(a, "DescribeIdentity", in, identity_detail_done,
                  (void *)(uintptr_t)a->profile_gen, APP_CALL_FOREGROUND, "Reading the identity",
                  &err))
        views_error(a, "Identity", &err);
}

/* ---- delete, in batches ---- */

struct delete_job {
    unsigned gen;
    char **ids;
    size_t n, next, deleted, batches;
    char *report; /* "id (ErrorCode)" lines of what was not processed, each NUL-ended */
    size_t report_len, unprocessed;
};

static void job_free(struct delete_job *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++)
        free(j->ids[i]);
    free(j->ids);
    free(j->report);
    free(j);
}

static void job_free_v(void *p)
{
    job_free(p);
}

static void job_note(struct delete_job *j, const char *id, const char *code)
{
    char line[300];
    int w = snprintf(line, sizeof line, "%s (%s)", id ? id : "?", code ? code : "no error code");
    if (w <= 0)
        return;
    if ((size_t)w >= sizeof line)
        w = (int)sizeof line - 1;
    char *r = realloc(j->report, j->report_len + (size_t)w + 1);
    if (!r)
        return;
    memcpy(r + j->report_len, line, (size_t)w + 1);
    j->report = r;
    j->report_len += (size_t)w + 1;
}

static void job_finish(struct app *a, struct delete_job *j, const struct api_error *err)
{
    char head[900];
    size_t not_sent = j->n - j->next;
    if (err) {
        char why[600];
        app_describe_error(err, why, sizeof why);
        snprintf(head, sizeof head,
                 "Deleted %zu of %zu identities; batch %zu failed: %s%s%zu not sent.", j->deleted,
                 j->n, j->batches + 1, why, not_sent ? " " : "", not_sent);
    } else {
        snprintf(head, sizeof head, "Deleted %zu of %zu identities in %zu batch%s.", j->deleted,
                 j->n, j->batches, j->batches == 1 ? "" : "es");
    }
    app_status(a, err || j->unprocessed ? STATUS_WARN : STATUS_OK, "%s", head);
    if (j->unprocessed || err) {
        /* One paragraph a line: ids come from the service, and a dialog
         * never takes a byte of its text as a line break. */
        struct dialog *d = dialog_message("Delete identities", head);
        if (d && j->unprocessed) {
            char sub[64];
            snprintf(sub, sizeof sub, "Not processed by the service (%zu):", j->unprocessed);
            dialog_add_paragraph(d, "");
            dialog_add_paragraph(d, sub);
            for (size_t o = 0; o < j->report_len; o += strlen(j->report + o) + 1)
                dialog_add_paragraph(d, j->report + o);
        }
        if (d)
            views_dialog(a, d, NULL, NULL, NULL, NULL);
    }
    if (j->gen == a->profile_gen) {
        identities_reset(a);
        identities_start(a);
    }
    job_free(j);
}

static void send_batch(struct app *a, struct delete_job *j);

static void batch_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct delete_job *j = ctx;
    size_t batch = j->n - j->next < DELETE_BATCH ? j->n - j->next : DELETE_BATCH;
    if (!out) {
        job_finish(a, j, err);
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
        job_finish(a, j, NULL);
}

static void send_batch(struct app *a, struct delete_job *j)
{
    size_t batch = j->n - j->next < DELETE_BATCH ? j->n - j->next : DELETE_BATCH;
    json_object *in = json_object_new_object(), *arr = json_object_new_array();
    for (size_t i = 0; i < batch; i++)
        json_object_array_add(arr, json_object_new_string(j->ids[j->next + i]));
    json_object_object_add(in, "IdentityIdsToDelete", arr);
    char label[120];
    snprintf(label, sizeof label, "Deleting identities: batch %zu of %zu", j->batches + 1,
             (j->n + DELETE_BATCH - 1) / DELETE_BATCH);
    struct api_error err;
    if (!app_call(a, "DeleteIdentities", in, batch_done, j, APP_CALL_FOREGROUND, label, &err))
        job_finish(a, j, &err);
}

static bool delete_ok(struct app *a, struct view *v, void *ctx)
{
    struct delete_job *j = ctx;
    struct delete_job *run = calloc(1, sizeof *run);
    (void)v;
    if (!run)
        return true;
    /* The dialog frees its own copy; the run owns the ids from here. */
    *run = *j;
    j->ids = NULL;
    j->n = 0;
    run->gen = a->profile_gen;
    send_batch(a, run);
    return true;
}

void identities_confirm_delete(struct app *a)
{
    struct table *t = identities_table(a);
    if (!t)
        return;
    struct delete_job *j = calloc(1, sizeof *j);
    if (!j)
        return;
    size_t marks = table_mark_count(t);
    j->ids = calloc(marks ? marks : 1, sizeof *j->ids);
    if (!j->ids) {
        free(j);
        return;
    }
    if (marks) {
        for (size_t row = table_next_mark(t, 0); row != TABLE_NONE && j->n < marks;
             row = table_next_mark(t, row + 1))
            if (row < a->n_ids)
                j->ids[j->n++] = app_strdup(a->ids[row].id);
    } else {
        const char *id = identities_selected(a);
        if (id)
            j->ids[j->n++] = app_strdup(id);
    }
    if (j->n == 0) {
        job_free(j);
        app_status(a, STATUS_WARN, "No identity selected or marked.");
        return;
    }
    size_t batches = (j->n + DELETE_BATCH - 1) / DELETE_BATCH;
    char text[1200];
    int w = snprintf(text, sizeof text, "Delete %zu identit%s from pool \"%s\"", j->n,
                     j->n == 1 ? "y" : "ies", a->pool_name ? a->pool_name : "");
    for (size_t i = 0; i < j->n && i < 3 && w > 0 && (size_t)w < sizeof text; i++)
        w += snprintf(text + w, sizeof text - (size_t)w, "%s%s", i ? ", " : ": ", j->ids[i]);
    if (w > 0 && (size_t)w < sizeof text)
        snprintf(text + w, sizeof text - (size_t)w,
                 "%s? Their linked logins are lost. Sent in %zu batch%s of at most %d.",
                 j->n > 3 ? ", ..." : "", batches, batches == 1 ? "" : "es", DELETE_BATCH);
    char title[64];
    snprintf(title, sizeof title, "Delete %zu identit%s", j->n, j->n == 1 ? "y" : "ies");
    struct dialog *d = dialog_confirm(title, text, "Delete");
    views_dialog(a, d, delete_ok, NULL, j, job_free_v);
}

/* ---- developer identities, unlink ---- */

static const char *pool_id(struct app *a)
{
    return a->pool_id ? a->pool_id : "";
}

/* A lookup walks every page (a user may have many developer identifiers):
 * the form stays until the last page, then a detail view shows them all. */
struct lookup {
    unsigned serial, gen, pages;
    json_object *input; /* the first page's input; NextToken added per page */
    json_object *ids;   /* DeveloperUserIdentifierList, all pages */
    char *identity_id;
    struct api_page_walk walk;
};

static void lookup_free(struct lookup *l)
{
    json_object_put(l->input);
    json_object_put(l->ids);
    free(l->identity_id);
    api_page_walk_free(&l->walk);
    free(l);
}

static void lookup_page(struct app *a, struct lookup *l);

static void lookup_show(struct app *a, struct lookup *l)
{
    struct view *v = views_find(a, l->serial);
    if (v)
        views_close(a, v);
    struct detail *d = detail_new("Developer identity");
    if (d) {
        char n[64];
        detail_add_section(d, "Lookup");
        detail_add_kv(d, 1, "Identity id", l->identity_id ? l->identity_id : "-");
        snprintf(n, sizeof n, "%zu (%u page%s)", json_object_array_length(l->ids), l->pages,
                 l->pages == 1 ? "" : "s");
        detail_add_kv(d, 1, "Developer user identifiers", n);
        detail_add_section(d, "Developer user identifiers");
        for (size_t i = 0; i < json_object_array_length(l->ids); i++)
            detail_add_line(d, 1, json_object_get_string(json_object_array_get_idx(l->ids, i)),
                            ROLE_NORMAL);
        if (!json_object_array_length(l->ids))
            detail_add_line(d, 1, "none", ROLE_DIM);
    }
    views_detail(a, d, NULL, NULL, NULL);
    app_status(a, STATUS_OK, "Lookup: done.");
    lookup_free(l);
}

static void lookup_answer(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct lookup *l = ctx;
    struct api_error stop;
    if (l->gen != a->profile_gen) {
        json_object_put(out);
        lookup_free(l);
        return;
    }
    api_error_clear(&stop);
    if (out && api_page_error(api_page_advance(&l->walk, out), &l->walk, "LookupDeveloperIdentity",
                              &stop) < 0) {
        json_object_put(out);
        out = NULL;
        err = &stop;
    }
    if (!out) {
        struct view *v = views_find(a, l->serial);
        struct form *f = v ? views_form_of(v) : NULL;
        if (f)
            views_form_error(f, err);
        app_status_error(a, "Lookup", err);
        lookup_free(l);
        return;
    }
    l->pages++;
    if (!l->identity_id && jstr(out, "IdentityId"))
        l->identity_id = app_strdup(jstr(out, "IdentityId"));
    json_object *list;
    if (json_object_object_get_ex(out, "DeveloperUserIdentifierList", &list) &&
        json_object_is_type(list, json_type_array))
        for (size_t i = 0; i < json_object_array_length(list); i++)
            json_object_array_add(l->ids, json_object_get(json_object_array_get_idx(list, i)));
    if (l->walk.token) {
        json_object_put(out);
        lookup_page(a, l);
        return;
    }
    json_object_put(out);
    lookup_show(a, l);
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
                  &err)) {
        struct view *v = views_find(a, l->serial);
        struct form *f = v ? views_form_of(v) : NULL;
        if (f)
            views_form_error(f, &err);
        app_status_error(a, "Lookup", &err);
        lookup_free(l);
    }
}

static bool lookup_submit(struct app *a, struct view *v, void *ctx)
{
    (void)ctx;
    struct form *f = views_form_of(v);
    const char *id = form_text(f, "IdentityId"), *dev = form_text(f, "DeveloperUserIdentifier");
    if ((!id || !*id) && (!dev || !*dev)) {
        form_set_error(f, NULL, "Give an identity id or a developer user identifier.");
        return false;
    }
    struct lookup *l = calloc(1, sizeof *l);
    if (!l)
        return false;
    l->serial = views_serial(v);
    l->gen = a->profile_gen;
    l->ids = json_object_new_array();
    l->input = json_object_new_object();
    json_object_object_add(l->input, "IdentityPoolId", json_object_new_string(pool_id(a)));
    if (id && *id)
        json_object_object_add(l->input, "IdentityId", json_object_new_string(id));
    if (dev && *dev)
        json_object_object_add(l->input, "DeveloperUserIdentifier", json_object_new_string(dev));
    json_object_object_add(l->input, "MaxResults", json_object_new_int(60));
    form_set_error(f, NULL, NULL);
    lookup_page(a, l);
    return false;
}

void identity_form_lookup(struct app *a)
{
    struct form *f = form_new("Look up a developer identity");
    if (!f)
        return;
    form_add_text(f, "IdentityId", "Identity id", identities_selected(a), 0, NULL, NULL);
    form_add_text(f, "DeveloperUserIdentifier", "Developer user identifier", "", 0, NULL, NULL);
    form_set_hint(f, "DeveloperUserIdentifier", "one of the two is enough");
    views_form(a, f, lookup_submit, NULL, NULL);
}

static void reload_after(struct app *a, json_object *out, const char *label)
{
    const char *id = jstr(out, "IdentityId");
    if (id)
        app_status(a, STATUS_OK, "%s: done; identity %s.", label, id);
    identities_reset(a);
    identities_start(a);
}

static bool merge_submit(struct app *a, struct view *v, void *ctx)
{
    (void)ctx;
    struct form *f = views_form_of(v);
    const char *src = form_text(f, "SourceUserIdentifier");
    const char *dst = form_text(f, "DestinationUserIdentifier");
    const char *prov = form_text(f, "DeveloperProviderName");
    json_object *in = json_object_new_object();
    json_object_object_add(in, "SourceUserIdentifier", json_object_new_string(src));
    json_object_object_add(in, "DestinationUserIdentifier", json_object_new_string(dst));
    json_object_object_add(in, "DeveloperProviderName", json_object_new_string(prov));
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id(a)));
    char text[900];
    snprintf(text, sizeof text,
             "Merge developer user \"%s\" into \"%s\" (provider %s)? The source user's identity "
             "is merged into the destination's and stops existing on its own.",
             src, dst, prov);
    form_set_error(f, NULL, NULL);
    views_form_confirm_send(a, views_serial(v), "MergeDeveloperIdentities", in, "Merge",
                            "Merge developer identities", text, reload_after);
    return false;
}

void identity_form_merge(struct app *a)
{
    struct form *f = form_new("Merge developer identities");
    if (!f)
        return;
    form_add_text(f, "SourceUserIdentifier", "Source user identifier", "", FORM_REQUIRED, NULL,
                  NULL);
    form_add_text(f, "DestinationUserIdentifier", "Destination user identifier", "", FORM_REQUIRED,
                  NULL, NULL);
    form_add_text(f, "DeveloperProviderName", "Developer provider name", dev_provider(a),
                  FORM_REQUIRED, NULL, NULL);
    views_form(a, f, merge_submit, NULL, NULL);
}

static bool unlink_dev_submit(struct app *a, struct view *v, void *ctx)
{
    (void)ctx;
    struct form *f = views_form_of(v);
    const char *id = form_text(f, "IdentityId");
    const char *user = form_text(f, "DeveloperUserIdentifier");
    const char *prov = form_text(f, "DeveloperProviderName");
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityId", json_object_new_string(id));
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id(a)));
    json_object_object_add(in, "DeveloperProviderName", json_object_new_string(prov));
    json_object_object_add(in, "DeveloperUserIdentifier", json_object_new_string(user));
    char text[900];
    snprintf(text, sizeof text,
             "Unlink developer user \"%s\" (provider %s) from identity %s? That user then gets a "
             "new identity at the next login.",
             user, prov, id);
    form_set_error(f, NULL, NULL);
    views_form_confirm_send(a, views_serial(v), "UnlinkDeveloperIdentity", in, "Unlink",
                            "Unlink developer identity", text, reload_after);
    return false;
}

void identity_form_unlink_developer(struct app *a)
{
    struct form *f = form_new("Unlink a developer identity");
    if (!f)
        return;
    form_add_text(f, "IdentityId", "Identity id", identities_selected(a), FORM_REQUIRED, NULL,
                  NULL);
    form_add_text(f, "DeveloperUserIdentifier", "Developer user identifier", "", FORM_REQUIRED,
                  NULL, NULL);
    form_add_text(f, "DeveloperProviderName", "Developer provider name", dev_provider(a),
                  FORM_REQUIRED, NULL, NULL);
    views_form(a, f, unlink_dev_submit, NULL, NULL);
}

static bool unlink_submit(struct app *a, struct view *v, void *ctx)
{
    (void)ctx;
    struct form *f = views_form_of(v);
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
    form_set_error(f, NULL, NULL);
    views_form_confirm_send(a, views_serial(v), "UnlinkIdentity", in, "Unlink", "Unlink logins",
                            text, reload_after);
    return false;
}

void identity_form_unlink(struct app *a)
{
    struct form *f = form_new("Unlink logins from an identity");
    if (!f)
        return;
    form_add_text(f, "IdentityId", "Identity id", identities_selected(a), FORM_REQUIRED, NULL,
                  NULL);
    form_add_map(f, "Logins", "Current logins (provider = token)", FORM_REQUIRED, 10, NULL, NULL);
    form_set_hint(f, "Logins", "the service checks the identity's tokens; never journaled");
    form_add_list(f, "LoginsToRemove", "Providers to unlink", FORM_REQUIRED, 10, NULL, NULL);
    views_form(a, f, unlink_submit, NULL, NULL);
}
