/* tui/outcome_check.c — the reads after an unknown outcome, asynchronously,
 * and the view of what they found (tui/outcome_check.h). */
#include "tui/outcome_check.h"

#include <stdlib.h>
#include <string.h>

#include "api/lost_update.h"
#include "api/pagination.h"
#include "api/reconcile.h"
#include "tui/change_picture.h"
#include "tui/json_get.h"
#include "tui/view_result.h"

struct check {
    unsigned gen;
    char *op, *label;
    json_object *sent, *before, *found;
    const char *look_for;
    struct api_page_walk walk;
    void (*open_pool)(struct app *a, const char *id);
    outcome_settled_fn settled;
    void *ctx;
};

static void check_free(struct check *c)
{
    free(c->op);
    free(c->label);
    json_object_put(c->sent);
    json_object_put(c->before);
    json_object_put(c->found);
    api_page_walk_free(&c->walk);
    free(c);
}

/* The view's head: the verdict, then why, one short line each. */
static struct detail *finding(const struct check *c, enum outcome_verdict v, const char *why)
{
    char title[200];
    snprintf(title, sizeof title, "%s: what the service shows now", c->label);
    struct detail *d = detail_new(title);
    if (!d)
        return NULL;
    static const char *const verdicts[] = {
        [OUTCOME_APPLIED] = "Applied: the answer was lost, but the change was made.",
        [OUTCOME_NOT_APPLIED] = "Not applied as sent: the form stays open; submit it again to "
                                "send it.",
        [OUTCOME_STILL_UNKNOWN] = "Still unknown: look for yourself before sending it again.",
    };
    detail_add_section(d, "Outcome of the change");
    detail_add_line(d, 1, verdicts[v], v == OUTCOME_APPLIED ? ROLE_TITLE : ROLE_WARNING);
    if (why && *why)
        detail_add_line(d, 1, why, ROLE_NORMAL);
    return d;
}

static void finish(struct app *a, struct check *c, enum outcome_verdict v, struct detail *d,
                   struct view_result_opts *o)
{
    if (c->gen == a->profile_gen && d) {
        view_result_open(a, d, o);
    } else {
        detail_delete(d);
        if (o) {
            json_object_put(o->open_items);
            free(o->save_text);
        }
        v = OUTCOME_STILL_UNKNOWN;
    }
    c->settled(a, v, c->ctx);
    check_free(c);
}

static void read_failed(struct app *a, struct check *c, const struct api_error *err)
{
    char why[800], msg[700];
    app_describe_error(err, msg, sizeof msg);
    snprintf(why, sizeof why, "The check could not read it: %s", msg);
    struct detail *d = finding(c, OUTCOME_STILL_UNKNOWN, why);
    if (d && c->look_for) {
        detail_add_section(d, "What settles it");
        detail_add_line(d, 1, c->look_for, ROLE_NORMAL);
    }
    finish(a, c, OUTCOME_STILL_UNKNOWN, d, NULL);
}

/* Starts a read for the check: its answer goes to `done`. */
static void ask(struct app *a, struct check *c, const char *op, json_object *in, app_done_fn done,
                const char *label)
{
    struct api_error err;
    if (!app_call(a, op, in, done, c, APP_CALL_FOREGROUND, label, &err))
        read_failed(a, c, &err);
}

/* ---- a create: the pools of that name that were not there ---- */

static void list_page(struct app *a, struct check *c);

static void listed(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct check *c = ctx;
    if (!out) {
        read_failed(a, c, err);
        return;
    }
    const char *name = jstr_or(c->sent, "IdentityPoolName", "");
    api_reconcile_pools_named(out, name, c->before, c->found);
    enum api_page_step step = api_page_advance(&c->walk, out);
    json_object_put(out);
    struct api_error stop;
    api_error_clear(&stop);
    if (api_page_error(step, &c->walk, "ListIdentityPools", &stop) < 0) {
        read_failed(a, c, &stop);
        return;
    }
    if (step == API_PAGE_NEXT) {
        list_page(a, c);
        return;
    }
    size_t n = json_object_array_length(c->found);
    char why[400];
    if (n)
        snprintf(why, sizeof why, "%zu pool%s named \"%s\" %s not there before the request:", n,
                 n == 1 ? "" : "s", name, n == 1 ? "was" : "were");
    else
        snprintf(why, sizeof why, "No pool named \"%s\" was made since the request.", name);
    struct detail *d = finding(c, n ? OUTCOME_APPLIED : OUTCOME_NOT_APPLIED, why);
    struct view_result_opts o = {0};
    if (d && n) {
        detail_add_section(d, c->before ? "Pools made since the request"
                                        : "Pools of that name (the list before was not read)");
        o.open_items = json_object_new_array();
        for (size_t i = 0; i < n; i++) {
            json_object *p = json_object_array_get_idx(c->found, i);
            detail_add_kv(d, 1, jstr_or(p, "IdentityPoolId", "?"),
                          jstr_or(p, "IdentityPoolName", ""));
            json_object_array_add(o.open_items,
                                  json_object_new_string(jstr_or(p, "IdentityPoolId", "")));
        }
        if (c->open_pool) {
            detail_add_line(d, 1,
                            n == 1 ? "Enter opens it." : "Enter opens them, one after the other.",
                            ROLE_DIM);
            o.open = c->open_pool;
        } else {
            json_object_put(o.open_items);
            o.open_items = NULL;
        }
    }
    finish(a, c, n ? OUTCOME_APPLIED : OUTCOME_NOT_APPLIED, d, &o);
}

static void list_page(struct app *a, struct check *c)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "MaxResults", json_object_new_int(60));
    if (c->walk.token)
        json_object_object_add(in, "NextToken", json_object_new_string(c->walk.token));
    ask(a, c, "ListIdentityPools", in, listed, "Checking which pools exist now");
}

/* ---- whole-resource writes: now beside what was sent ---- */

static void reread(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct check *c = ctx;
    if (!out) {
        read_failed(a, c, err);
        return;
    }
    bool stale = true;
    json_object *items = api_lost_update_compare(c->op, NULL, c->sent, out, &stale);
    struct detail *d = finding(c, stale ? OUTCOME_NOT_APPLIED : OUTCOME_APPLIED,
                               stale ? "It differs now from what was sent (not applied, or "
                                       "changed again since):"
                                     : "It is now exactly what was sent.");
    if (d && stale) {
        detail_add_section(d, "Sent, and now");
        change_picture_add(d, items, PICTURE_SENT_VS_NOW);
    }
    if (d) {
        detail_add_section(d, "As it is now");
        detail_add_json(d, 1, out);
    }
    json_object_put(items);
    json_object_put(out);
    finish(a, c, stale ? OUTCOME_NOT_APPLIED : OUTCOME_APPLIED, d, NULL);
}

/* ---- the rest: the table's read ---- */

static bool has_string(json_object *arr, const char *s)
{
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
        if (!strcmp(jitem_str(arr, i) ? jitem_str(arr, i) : "", s))
            return true;
    return false;
}

/* What the read says of the change: a verdict when it can tell. */
static enum outcome_verdict judge(const struct check *c, json_object *out,
                                  const struct api_error *err, const char **why)
{
    enum api_presence here = out ? API_PRESENT : api_reconcile_presence(err);
    if (!strcmp(c->op, "DeleteIdentityPool")) {
        *why = here == API_GONE      ? "The pool is gone."
               : here == API_PRESENT ? "The pool is still there."
                                     : NULL;
        return here == API_GONE      ? OUTCOME_APPLIED
               : here == API_PRESENT ? OUTCOME_NOT_APPLIED
                                     : OUTCOME_STILL_UNKNOWN;
    }
    if (!out)
        return OUTCOME_STILL_UNKNOWN;
    if (!strcmp(c->op, "TagResource")) {
        json_object *sent = jobj(c->sent, "Tags"), *now = jobj(out, "Tags");
        bool all = true;
        if (sent) {
            json_object_object_foreach(sent, k, v)
            {
                const char *have = jstr(now, k);
                all = all && have && !strcmp(have, json_object_get_string(v));
            }
        }
        *why = all ? "Every tag sent is there with its value." : "Not every tag sent is there.";
        return all ? OUTCOME_APPLIED : OUTCOME_NOT_APPLIED;
    }
    if (!strcmp(c->op, "UntagResource")) {
        json_object *keys = jarr(c->sent, "TagKeys"), *now = jobj(out, "Tags");
        bool none = true;
        for (size_t i = 0; keys && i < json_object_array_length(keys); i++)
            none = none && !jget(now, jitem_str(keys, i) ? jitem_str(keys, i) : "");
        *why = none ? "None of the keys removed is there." : "A key removed is still there.";
        return none ? OUTCOME_APPLIED : OUTCOME_NOT_APPLIED;
    }
    if (!strcmp(c->op, "UnlinkIdentity")) {
        json_object *gone = jarr(c->sent, "LoginsToRemove"), *logins = jarr(out, "Logins");
        bool none = true;
        for (size_t i = 0; gone && i < json_object_array_length(gone); i++)
            none = none && !has_string(logins, jitem_str(gone, i) ? jitem_str(gone, i) : "");
        *why = none ? "None of the logins removed is linked." : "A login removed is still linked.";
        return none ? OUTCOME_APPLIED : OUTCOME_NOT_APPLIED;
    }
    return OUTCOME_STILL_UNKNOWN;
}

static void read_back(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct check *c = ctx;
    const char *why = NULL;
    enum outcome_verdict v = judge(c, out, err, &why);
    if (!why && !out) {
        read_failed(a, c, err);
        return;
    }
    struct detail *d = finding(c, v, why);
    if (d && v == OUTCOME_STILL_UNKNOWN && c->look_for) {
        detail_add_section(d, "What settles it");
        detail_add_line(d, 1, c->look_for, ROLE_NORMAL);
    }
    if (d && out) {
        detail_add_section(d, "What the service answered");
        detail_add_json(d, 1, out);
    }
    json_object_put(out);
    finish(a, c, v, d, NULL);
}

void outcome_check_start(struct app *a, const char *op, const char *label, json_object *sent,
                         json_object *before, void (*open_pool)(struct app *a, const char *id),
                         outcome_settled_fn settled, void *ctx)
{
    struct check *c = calloc(1, sizeof *c);
    if (!c || !(c->found = json_object_new_array())) {
        free(c);
        app_status(a, STATUS_ERROR, "Out of memory: the outcome of %s was not checked.", label);
        settled(a, OUTCOME_STILL_UNKNOWN, ctx);
        return;
    }
    c->gen = a->profile_gen;
    c->op = app_strdup(op);
    c->label = app_strdup(label);
    c->sent = json_object_get(sent);
    c->before = json_object_get(before);
    c->open_pool = open_pool;
    c->settled = settled;
    c->ctx = ctx;
    if (!strcmp(op, "CreateIdentityPool")) {
        list_page(a, c);
        return;
    }
    const char *read_op = NULL;
    json_object *read_in = NULL;
    struct api_error err;
    api_error_clear(&err);
    if (api_lost_update_read(op, sent, &read_op, &read_in, &err) == 0) {
        ask(a, c, read_op, read_in, reread, "Checking what it is now");
        return;
    }
    api_error_clear(&err);
    if (api_reconcile_check(op, sent, &read_op, &read_in, &c->look_for, &err) != 0) {
        read_failed(a, c, &err);
        return;
    }
    ask(a, c, read_op, read_in, read_back, "Checking what the service shows now");
}

/* ---- the pools before a create ---- */

struct before {
    json_object *ids;
    struct api_page_walk walk;
    void (*done)(struct app *a, json_object *ids, void *ctx);
    void *ctx;
};

static void before_page(struct app *a, struct before *b);

static void before_end(struct app *a, struct before *b, bool ok)
{
    json_object *ids = ok ? b->ids : NULL;
    if (!ok)
        json_object_put(b->ids);
    api_page_walk_free(&b->walk);
    b->done(a, ids, b->ctx);
    free(b);
}

static void before_listed(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    (void)err;
    struct before *b = ctx;
    if (!out) {
        before_end(a, b, false);
        return;
    }
    json_object *pools = jarr(out, "IdentityPools");
    for (size_t i = 0; pools && i < json_object_array_length(pools); i++) {
        const char *id = jstr(json_object_array_get_idx(pools, i), "IdentityPoolId");
        if (id)
            json_object_array_add(b->ids, json_object_new_string(id));
    }
    enum api_page_step step = api_page_advance(&b->walk, out);
    json_object_put(out);
    if (step == API_PAGE_NEXT)
        before_page(a, b);
    else
        before_end(a, b, step == API_PAGE_DONE);
}

static void before_page(struct app *a, struct before *b)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "MaxResults", json_object_new_int(60));
    if (b->walk.token)
        json_object_object_add(in, "NextToken", json_object_new_string(b->walk.token));
    struct api_error err;
    if (!app_call(a, "ListIdentityPools", in, before_listed, b, APP_CALL_FOREGROUND,
                  "Listing the pools there are before creating", &err))
        before_end(a, b, false);
}

void outcome_pools_before(struct app *a, void (*done)(struct app *a, json_object *ids, void *ctx),
                          void *ctx)
{
    struct before *b = calloc(1, sizeof *b);
    if (!b || !(b->ids = json_object_new_array())) {
        free(b);
        done(a, NULL, ctx);
        return;
    }
    b->done = done;
    b->ctx = ctx;
    before_page(a, b);
}

/* ---- a batch delete: which ids still exist ---- */

struct idcheck {
    json_object *ids, *remaining, *undecided;
    size_t next;
    outcome_ids_fn done;
    void *ctx;
};

static void id_step(struct app *a, struct idcheck *ic);

static void id_end(struct app *a, struct idcheck *ic)
{
    ic->done(a, ic->remaining, ic->undecided, ic->ctx);
    json_object_put(ic->ids);
    json_object_put(ic->remaining);
    json_object_put(ic->undecided);
    free(ic);
}

/* The ids from `from` on are not known: the check was stopped. */
static void id_rest_undecided(struct idcheck *ic, size_t from)
{
    for (size_t i = from; i < json_object_array_length(ic->ids); i++)
        json_object_array_add(ic->undecided,
                              json_object_get(json_object_array_get_idx(ic->ids, i)));
}

static void id_read(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct idcheck *ic = ctx;
    json_object *id = json_object_array_get_idx(ic->ids, ic->next);
    enum api_presence here = out ? API_PRESENT : api_reconcile_presence(err);
    json_object_put(out);
    if (here == API_PRESENT)
        json_object_array_add(ic->remaining, json_object_get(id));
    else if (here == API_PRESENCE_UNKNOWN)
        json_object_array_add(ic->undecided, json_object_get(id));
    ic->next++;
    if (!out && err->kind == API_ERR_CANCELLED) {
        id_rest_undecided(ic, ic->next);
        id_end(a, ic);
        return;
    }
    id_step(a, ic);
}

static void id_step(struct app *a, struct idcheck *ic)
{
    size_t n = json_object_array_length(ic->ids);
    if (ic->next >= n) {
        id_end(a, ic);
        return;
    }
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityId",
                           json_object_get(json_object_array_get_idx(ic->ids, ic->next)));
    char label[120];
    snprintf(label, sizeof label, "Checking which identities still exist: %zu of %zu (Esc stops)",
             ic->next + 1, n);
    struct api_error err;
    if (!app_call(a, "DescribeIdentity", in, id_read, ic, APP_CALL_FOREGROUND, label, &err)) {
        id_rest_undecided(ic, ic->next);
        id_end(a, ic);
    }
}

void outcome_check_identities(struct app *a, json_object *ids, outcome_ids_fn done, void *ctx)
{
    struct idcheck *ic = calloc(1, sizeof *ic);
    if (ic) {
        ic->ids = json_object_get(ids);
        ic->remaining = json_object_new_array();
        ic->undecided = json_object_new_array();
        ic->done = done;
        ic->ctx = ctx;
    }
    if (!ic || !ic->remaining || !ic->undecided) {
        json_object *none = json_object_new_array();
        if (ic) {
            json_object_put(ic->ids);
            json_object_put(ic->remaining);
            json_object_put(ic->undecided);
            free(ic);
        }
        done(a, none, ids, ctx);
        json_object_put(none);
        return;
    }
    id_step(a, ic);
}
