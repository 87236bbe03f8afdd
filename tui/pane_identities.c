/* tui/pane_identities.c — the Identities pane: the identities of the pool
 * the panes follow, in pages of 60 as the cursor nears the end; L (and End)
 * load on to the end with progress, Esc stops; HideDisabled; marks for the
 * batch delete; the identity actions.
 *
 * Disabled identities: ListIdentities does not say which are disabled, only
 * leaves them out with HideDisabled. So while all are shown, a second
 * listing with HideDisabled walks behind the first, in the background (its
 * requests yield ListIdentities' tokens to the pane's own pages: scrolling
 * and L go at the full quota) and never further than the rows loaded: both
 * list in the same order, so a row
 * the second listing skipped is disabled. Should the orders ever differ, the
 * walk stops and nothing more is marked (never a guess).
 *
 * The inventory view (v): for pools too large to hold, the same table pages
 * the pool's local inventory (tui/inventory_view.h: SQLite sorts and
 * filters, a window of rows is held, so memory stays flat however big the
 * pool). Its counts head the pane in both views. There s / < / I step the
 * inventory's order and / or F its criteria (tui/identities_criteria.h),
 * A marks every match, and Prune... (tui/identities_prune.h) starts with
 * the same criteria. R builds or refreshes the inventory in the background
 * (tui/inventory_job.h), paced by the console's rate limiter. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include "api/rate_limiter.h"
#include "tui/app.h"
#include "tui/identities_criteria.h"
#include "tui/identities_prune.h"
#include "tui/identity_forms.h"
#include "tui/inventory_job.h"
#include "tui/inventory_store.h"
#include "tui/inventory_view.h"
#include "tui/json_get.h"
#include "tui/listing.h"
#include "tui/pane.h"
#include "tui/view_form.h"
#include "widgets/table.h"
#include "widgets/text.h"

struct identity_row {
    char *id;
    char *logins; /* provider names joined by ", " ("" when none) */
    time_t created, modified;
    signed char disabled; /* -1 not known (yet), 0 no, 1 yes */
};

/* The HideDisabled listing behind the shown rows (see the top). */
struct enabled_walk {
    struct listing list;
    char **queue; /* enabled ids not matched with a row yet */
    size_t qhead, qn, qcap;
    size_t next; /* the first shown row not classified yet */
    bool broken; /* the two listings disagree on the order: stopped */
};

struct identity_rows {
    struct identity_row *v;
    size_t n, cap;
};

struct identities_pane {
    struct pane base;
    struct identity_rows shown, fresh; /* fresh: a refresh filling in */
    bool refreshing, restarting;
    struct listing list;
    unsigned want_pages; /* a refresh loads as many pages as were shown */
    bool load_all;       /* keep asking until complete (L, End) */
    bool to_end;         /* then put the cursor on the last row (End) */
    bool hide_disabled;
    char error[900];
    struct table *table;
    size_t synced;
    bool synced_more;
    struct enabled_walk walk;
    double load_started; /* when L or End began (the rate shown) */
    unsigned load_pages0;

    /* The inventory view (see the top). */
    bool inv_mode;
    struct inventory_view *inv; /* open while inv_mode */
    enum inventory_sort inv_sort;
    bool inv_desc;
    struct identities_criteria crit;
    struct inventory_row inv_row; /* the row last read */
    size_t inv_row_index;         /* its index, TABLE_NONE when none */
    bool inv_synced;
    char inv_counts[500];          /* the inventory's counts for the header, "" when none */
    char providers[600];           /* the inventory's providers, for the forms' hints */
    long long inv_total;           /* identities in the inventory, -1 unknown */
    bool counts_read;              /* for the followed pool */
    struct inventory_job *inv_job; /* R */
    bool inv_job_changed;
    unsigned long long inv_job_rows;
    struct identities_prune *prune;
};

static void rows_free(struct identity_rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].id);
        free(r->v[i].logins);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

static char *join_logins(json_object *logins)
{
    size_t n = logins && json_object_is_type(logins, json_type_array)
                   ? json_object_array_length(logins)
                   : 0;
    size_t len = 1;
    for (size_t i = 0; i < n; i++) {
        const char *v = jitem_str(logins, i);
        len += (v ? strlen(v) : 0) + 2;
    }
    char *s = malloc(len);
    if (!s)
        return NULL;
    size_t used = 0;
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *v = jitem_str(logins, i);
        int w = snprintf(s + used, len - used, "%s%s", used ? ", " : "", v ? v : "");
        if (w > 0)
            used += (size_t)w;
    }
    return s;
}

static int identity_item(void *owner, json_object *item)
{
    struct identities_pane *ip = owner;
    struct identity_rows *r = ip->refreshing ? &ip->fresh : &ip->shown;
    const char *id = jstr(item, "IdentityId");
    if (!id)
        return 0;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct identity_row *v = realloc(r->v, cap * sizeof *v);
        if (!v)
            return -1;
        r->v = v;
        r->cap = cap;
    }
    struct identity_row row = {
        .id = app_strdup(id),
        .logins = join_logins(jget(item, "Logins")),
        .created = jtime(item, "CreationDate"),
        .modified = jtime(item, "LastModifiedDate"),
        .disabled = ip->hide_disabled ? 0 : -1,
    };
    if (!row.id || !row.logins) {
        free(row.id);
        free(row.logins);
        return -1;
    }
    r->v[r->n++] = row;
    return 0;
}

/* ---- which are disabled ---- */

static void walk_clear(struct identities_pane *ip, struct app *a)
{
    struct enabled_walk *w = &ip->walk;
    ip->restarting = true;
    listing_clear(&w->list, a);
    ip->restarting = false;
    for (size_t i = w->qhead; i < w->qn; i++)
        free(w->queue[i]);
    free(w->queue);
    memset(w, 0, sizeof *w);
}

static int walk_item(void *owner, json_object *item)
{
    struct identities_pane *ip = owner;
    struct enabled_walk *w = &ip->walk;
    const char *id = jstr(item, "IdentityId");
    if (!id)
        return 0;
    if (w->qn == w->qcap) {
        if (w->qhead) { /* reuse the matched slots first */
            memmove(w->queue, w->queue + w->qhead, (w->qn - w->qhead) * sizeof *w->queue);
            w->qn -= w->qhead;
            w->qhead = 0;
        } else {
            size_t cap = w->qcap ? w->qcap * 2 : 64;
            char **q = realloc(w->queue, cap * sizeof *q);
            if (!q)
                return -1;
            w->queue = q;
            w->qcap = cap;
        }
    }
    if (!(w->queue[w->qn] = app_strdup(id)))
        return -1;
    w->qn++;
    return 0;
}

static void walk_on(struct identities_pane *ip, struct app *a);

static void walk_page(void *owner, struct app *a, const struct api_error *err)
{
    struct identities_pane *ip = owner;
    if (ip->restarting)
        return;
    if (err) {
        ip->walk.broken = true; /* nothing guessed: what is marked stays */
        return;
    }
    walk_on(ip, a);
    a->dirty = true;
}

static const struct listing_ops walk_listing = {walk_item, walk_page};

/* Classifies what the two listings allow, then asks for the next enabled
 * page when the shown rows are ahead. Returns whether it marked rows
 * disabled. */
static bool walk_step(struct identities_pane *ip, struct app *a)
{
    struct enabled_walk *w = &ip->walk;
    struct identity_rows *r = &ip->shown;
    bool marked = false;
    if (ip->hide_disabled || w->broken || !a->pool_id)
        return false;
    while (w->qhead < w->qn) {
        const char *id = w->queue[w->qhead];
        size_t m = w->next;
        while (m < r->n && strcmp(r->v[m].id, id) != 0)
            m++;
        if (m == r->n) {
            if (ip->list.complete && !ip->refreshing) {
                w->broken = true; /* an enabled id the full list lacks: orders differ */
                return marked;
            }
            break; /* the shown rows have not reached it yet */
        }
        marked = marked || m > w->next;
        for (size_t i = w->next; i < m; i++)
            r->v[i].disabled = 1;
        r->v[m].disabled = 0;
        w->next = m + 1;
        free(w->queue[w->qhead++]);
    }
    if (w->list.complete && w->qhead == w->qn) {
        if (ip->list.complete)
            for (; w->next < r->n; w->next++) {
                r->v[w->next].disabled = 1;
                marked = true;
            }
        return marked;
    }
    if (w->qhead == w->qn && w->next < r->n && !listing_loading(&w->list)) {
        if (!w->list.started) {
            json_object *in = json_object_new_object();
            json_object_object_add(in, "IdentityPoolId", json_object_new_string(a->pool_id));
            json_object_object_add(in, "MaxResults", json_object_new_int(60));
            json_object_object_add(in, "HideDisabled", json_object_new_boolean(1));
            listing_init(&w->list, "ListIdentities", "Identities", in, &walk_listing, ip);
            w->list.background = true;
        }
        struct api_error err;
        if (listing_next(&w->list, a, NULL, &err) != 0)
            w->broken = true;
    }
    return marked;
}

static void walk_on(struct identities_pane *ip, struct app *a)
{
    if (walk_step(ip, a)) /* "(disabled)" is in a cell: filter and sort see it */
        table_rows_changed(ip->table);
}

/* ---- loading ---- */

static void next_page(struct identities_pane *ip, struct app *a);

static double monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* L and End go through the console's rate limiter (app.h): the line says
 * the pages a second achieved against the ListIdentities quota. */
static void progress(struct identities_pane *ip, struct app *a)
{
    char num[32], rate[64] = "";
    double dt = monotonic_s() - ip->load_started;
    double cap = api_rate_limiter_cap(a->limiter, "ListIdentities");
    if (dt > 0.5 && ip->list.pages > ip->load_pages0)
        snprintf(rate, sizeof rate, " %s %.1f/s of %.4g/s", theme_glyph(GLYPH_DOT),
                 (ip->list.pages - ip->load_pages0) / dt, cap);
    app_status(a, STATUS_INFO, "%s: page %u %s %s rows%s (Esc stops)",
               ip->to_end ? "Going to the end" : "Loading all", ip->list.pages,
               theme_glyph(GLYPH_DOT), text_thousands(num, sizeof num, ip->shown.n), rate);
}

static void load_begin(struct identities_pane *ip)
{
    ip->load_started = monotonic_s();
    ip->load_pages0 = ip->list.pages;
}

static void identity_page(void *owner, struct app *a, const struct api_error *err)
{
    struct identities_pane *ip = owner;
    char num[32];
    a->dirty = true;
    if (ip->restarting)
        return;
    if (err) {
        char why[560];
        app_describe_error(err, why, sizeof why);
        if (ip->refreshing) {
            snprintf(ip->error, sizeof ip->error, "%s; the identities shown are from before. %s",
                     err->kind == API_ERR_CANCELLED ? "Refresh stopped" : "Refresh failed",
                     err->kind == API_ERR_CANCELLED ? "r loads again." : why);
            rows_free(&ip->fresh);
            ip->refreshing = false;
        } else if (err->kind == API_ERR_CANCELLED) {
            if (ip->load_all)
                app_status(a, STATUS_WARN, "Loading stopped at %s identities (page %u).",
                           text_thousands(num, sizeof num, ip->shown.n), ip->list.pages);
            snprintf(ip->error, sizeof ip->error, "Loading stopped; scroll down or L to go on.");
        } else {
            snprintf(ip->error, sizeof ip->error, "%s", why);
            app_status_error(a, "Listing identities", err);
        }
        ip->load_all = ip->to_end = false;
        return;
    }
    ip->error[0] = '\0';
    if (ip->refreshing) {
        if (!ip->list.complete && ip->list.pages < ip->want_pages) {
            next_page(ip, a);
            return;
        }
        rows_free(&ip->shown);
        ip->shown = ip->fresh;
        memset(&ip->fresh, 0, sizeof ip->fresh);
        ip->refreshing = false;
        ip->synced = (size_t)-1;
        walk_clear(ip, a);
        /* On to whatever was asked meanwhile (L or End during the refresh). */
    }
    walk_on(ip, a);
    if (!ip->load_all)
        return;
    if (!ip->list.complete) {
        progress(ip, a);
        next_page(ip, a);
        return;
    }
    app_status(a, STATUS_OK, "All %s identities loaded (%u pages).",
               text_thousands(num, sizeof num, ip->shown.n), ip->list.pages);
    ip->load_all = false;
}

static void next_page(struct identities_pane *ip, struct app *a)
{
    struct api_error err;
    const char *label = ip->refreshing ? "Refreshing identities"
                        : ip->load_all ? "Loading all identities"
                                       : "Loading identities";
    if (listing_next(&ip->list, a, label, &err) != 0)
        identity_page(ip, a, &err);
}

static const struct listing_ops identity_listing = {identity_item, identity_page};

static void start_listing(struct identities_pane *ip, struct app *a)
{
    ip->restarting = true;
    listing_clear(&ip->list, a);
    ip->restarting = false;
    if (!a->pool_id)
        return;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(a->pool_id));
    json_object_object_add(in, "MaxResults", json_object_new_int(60));
    if (ip->hide_disabled)
        json_object_object_add(in, "HideDisabled", json_object_new_boolean(1));
    listing_init(&ip->list, "ListIdentities", "Identities", in, &identity_listing, ip);
    next_page(ip, a);
}

/* Lists again to the extent shown, keeping the rows (and the filter, the
 * sort, the cursor's place) until the new ones are in. */
static void relist(struct identities_pane *ip, struct app *a)
{
    ip->want_pages = ip->list.pages ? ip->list.pages : 1;
    ip->restarting = true;
    listing_stop(&ip->list, a);
    ip->restarting = false;
    rows_free(&ip->fresh);
    ip->refreshing = ip->shown.n > 0;
    ip->load_all = ip->to_end = false;
    ip->error[0] = '\0';
    if (!ip->refreshing)
        walk_clear(ip, a);
    start_listing(ip, a);
}

/* ---- the table ---- */

static void format_time(time_t t, char *buf, size_t cap)
{
    struct tm tm;
    if (!t || !gmtime_r(&t, &tm)) {
        snprintf(buf, cap, "-");
        return;
    }
    strftime(buf, cap, "%Y-%m-%d %H:%M", &tm);
}

/* The inventory's row `row`, or NULL (past the end, a read error). */
static const struct inventory_row *inv_get(struct identities_pane *ip, size_t row)
{
    if (!ip->inv)
        return NULL;
    if (ip->inv_row_index != row) {
        if (inventory_view_row(ip->inv, row, &ip->inv_row) != 0) {
            ip->inv_row_index = TABLE_NONE;
            return NULL;
        }
        ip->inv_row_index = row;
    }
    return &ip->inv_row;
}

static const char *logins_cell(const char *logins, int disabled, char *buf, size_t cap)
{
    if (disabled == 1) {
        snprintf(buf, cap, "(disabled) %s", logins[0] ? logins : "unauthenticated");
        return buf;
    }
    return logins[0] ? logins : "(unauthenticated)";
}

static const char *inv_cell(struct identities_pane *ip, size_t row, int col, char *buf, size_t cap)
{
    const struct inventory_row *r = inv_get(ip, row);
    if (!r)
        return NULL;
    switch (col) {
    case 0:
        return r->id;
    case 1:
        return logins_cell(r->providers, r->disabled, buf, cap);
    case 2:
        format_time(r->has_created ? (time_t)r->created : 0, buf, cap);
        return buf;
    default:
        format_time(r->has_modified ? (time_t)r->modified : 0, buf, cap);
        return buf;
    }
}

static const char *identity_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    struct identities_pane *ip = ctx;
    if (ip->inv_mode)
        return inv_cell(ip, row, col, buf, cap);
    if (row >= ip->shown.n)
        return NULL;
    const struct identity_row *r = &ip->shown.v[row];
    switch (col) {
    case 0:
        return r->id;
    case 1:
        return logins_cell(r->logins, r->disabled, buf, cap);
    case 2:
        format_time(r->created, buf, cap);
        return buf;
    default:
        format_time(r->modified, buf, cap);
        return buf;
    }
}

/* Dates compare as dates; the text columns as the table compares text. */
static int identity_compare(void *ctx, size_t x, size_t y, int col)
{
    struct identities_pane *ip = ctx;
    const struct identity_row *p = &ip->shown.v[x], *q = &ip->shown.v[y];
    switch (col) {
    case 0:
        return text_compare(p->id, q->id);
    case 1:
        return text_compare(p->logins, q->logins);
    case 2:
        return (p->created > q->created) - (p->created < q->created);
    default:
        return (p->modified > q->modified) - (p->modified < q->modified);
    }
}

static unsigned identity_flags(void *ctx, size_t row)
{
    struct identities_pane *ip = ctx;
    if (ip->inv_mode) {
        const struct inventory_row *r = inv_get(ip, row);
        return r && r->disabled == 1 ? TABLE_ROW_DISABLED : 0;
    }
    return row < ip->shown.n && ip->shown.v[row].disabled == 1 ? TABLE_ROW_DISABLED : 0;
}

/* The identity id names a row across reloads: after a delete the cursor
 * stays on the row that took the deleted one's place. */
static const char *identity_key(void *ctx, size_t row, char *buf, size_t cap)
{
    struct identities_pane *ip = ctx;
    if (ip->inv_mode) {
        const struct inventory_row *r = inv_get(ip, row);
        if (!r)
            return NULL;
        snprintf(buf, cap, "%s", r->id); /* the row buffer is read again */
        return buf;
    }
    return row < ip->shown.n ? ip->shown.v[row].id : NULL;
}

/* The id of row `row` (valid until the next row is read), or NULL. */
static const char *row_id(struct identities_pane *ip, size_t row)
{
    if (row == TABLE_NONE)
        return NULL;
    if (ip->inv_mode) {
        const struct inventory_row *r = inv_get(ip, row);
        return r ? r->id : NULL;
    }
    return row < ip->shown.n ? ip->shown.v[row].id : NULL;
}

static const char *selected(struct identities_pane *ip)
{
    return row_id(ip, table_cursor(ip->table));
}

/* ---- the inventory view ---- */

/* The followed pool's inventory file, or "" with why filled when there is
 * none (or it cannot be named). */
static int inv_file(const struct app *a, char *path, size_t size, char *why, size_t wsize)
{
    if (inventory_path(a->pool_id, path, size, why, wsize) != 0)
        return -1;
    if (access(path, R_OK) != 0) {
        snprintf(why, wsize,
                 "No inventory of this pool yet: R builds one in the background "
                 "(or cognito-tui inventory --pool ID).");
        return -1;
    }
    return 0;
}

static long long jint(json_object *o, const char *key, long long dflt)
{
    json_object *v = jget(o, key);
    return v && json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : dflt;
}

/* The header's counts line and the providers, from the inventory's summary. */
static void inv_counts_load(struct identities_pane *ip, struct app *a)
{
    char path[4400], why[600];
    ip->counts_read = true;
    ip->inv_counts[0] = ip->providers[0] = '\0';
    ip->inv_total = -1;
    if (!a->pool_id || inv_file(a, path, sizeof path, why, sizeof why) != 0)
        return;
    struct inventory_store *st = inventory_store_open(path, a->pool_id, a->cfg.region,
                                                      a->cfg.endpoint_url, false, why, sizeof why);
    json_object *sum = st ? inventory_store_summary(st, time(NULL), why, sizeof why) : NULL;
    inventory_store_close(st);
    if (!sum) {
        snprintf(ip->inv_counts, sizeof ip->inv_counts, "Inventory unreadable: %.400s", why);
        return;
    }
    const char *dot = theme_glyph(GLYPH_DOT);
    char n1[32], n2[32], n3[32], age[64] = "never completed", dis[64] = "";
    long long age_s = jint(sum, "age_s", -1), disabled = jint(sum, "disabled", -1);
    ip->inv_total = jint(sum, "identities", 0);
    if (age_s >= 0) {
        if (age_s < 120)
            snprintf(age, sizeof age, "listed %llds ago", age_s);
        else if (age_s < 7200)
            snprintf(age, sizeof age, "listed %lld min ago", age_s / 60);
        else if (age_s < 172800)
            snprintf(age, sizeof age, "listed %lld h ago", age_s / 3600);
        else
            snprintf(age, sizeof age, "listed %lld days ago", age_s / 86400);
    }
    if (disabled >= 0)
        snprintf(dis, sizeof dis, " %s %s disabled", dot,
                 text_thousands(n3, sizeof n3, (unsigned long long)disabled));
    json_object *idle = jget(sum, "idle");
    char i30[32], i90[32], i365[32];
    snprintf(ip->inv_counts, sizeof ip->inv_counts,
             "Inventory: %s identities %s %s unauthenticated %s idle 30d+ %s, 90d+ %s, 365d+ "
             "%s%s %s %s",
             text_thousands(n1, sizeof n1, (unsigned long long)ip->inv_total), dot,
             text_thousands(n2, sizeof n2, (unsigned long long)jint(sum, "unauthenticated", 0)),
             dot, text_thousands(i30, sizeof i30, (unsigned long long)jint(idle, "30", 0)),
             text_thousands(i90, sizeof i90, (unsigned long long)jint(idle, "90", 0)),
             text_thousands(i365, sizeof i365, (unsigned long long)jint(idle, "365", 0)), dis, dot,
             age);
    json_object *prov = jget(sum, "providers");
    if (prov && json_object_is_type(prov, json_type_object)) {
        size_t used = 0;
        json_object_object_foreach(prov, name, count)
        {
            int w = snprintf(ip->providers + used, sizeof ip->providers - used, "%s%s (%lld)",
                             used ? ", " : "", name, (long long)json_object_get_int64(count));
            if (w < 0 || (size_t)w >= sizeof ip->providers - used)
                break;
            used += (size_t)w;
        }
    }
    json_object_put(sum);
}

/* Runs the view's query for the sort and criteria; the table shows its
 * rows from the top. 0, or -1 with the status line saying why. */
static int inv_query(struct identities_pane *ip, struct app *a)
{
    struct inventory_view_filter f;
    char why[600];
    criteria_to_view(&ip->crit, (double)time(NULL), &f);
    ip->inv_row_index = TABLE_NONE;
    if (inventory_view_query(ip->inv, ip->inv_sort, ip->inv_desc, &f, why, sizeof why) != 0) {
        app_status(a, STATUS_ERROR, "Inventory: %s", why);
        return -1;
    }
    table_clear_marks(ip->table);
    table_reload(ip->table, inventory_view_count(ip->inv), false);
    table_home(ip->table);
    ip->inv_synced = true;
    return 0;
}

static void inv_close(struct identities_pane *ip)
{
    inventory_view_close(ip->inv);
    ip->inv = NULL;
    ip->inv_row_index = TABLE_NONE;
}

/* The inventory view on (open the file, query) or off (back to the live rows). */
static void inv_toggle(struct identities_pane *ip, struct app *a)
{
    char path[4400], why[600];
    if (ip->inv_mode) {
        ip->inv_mode = false;
        inv_close(ip);
        table_clear_marks(ip->table);
        ip->synced = (size_t)-1; /* the live rows again */
        app_status(a, STATUS_INFO, "Live listing.");
        if (!ip->list.started)
            start_listing(ip, a);
        return;
    }
    if (inv_file(a, path, sizeof path, why, sizeof why) != 0) {
        app_status(a, STATUS_WARN, "%s", why);
        return;
    }
    ip->inv = inventory_view_open(path, why, sizeof why);
    if (!ip->inv) {
        app_status(a, STATUS_ERROR, "Inventory: %s", why);
        return;
    }
    /* The live listing stops where it is; its rows stay for the way back. */
    ip->load_all = ip->to_end = false;
    ip->restarting = true;
    listing_stop(&ip->list, a);
    ip->restarting = false;
    ip->inv_mode = true;
    table_sort(ip->table, -1, false); /* the inventory sorts and filters, in SQLite */
    table_set_filter(ip->table, NULL);
    inv_counts_load(ip, a);
    if (inv_query(ip, a) == 0) {
        char num[32];
        app_status(a, STATUS_INFO, "Inventory view: %s identities (s sorts, / or F filters).",
                   text_thousands(num, sizeof num, inventory_view_count(ip->inv)));
    }
}

static const char *const sort_names[] = {"id", "created", "modified", "logins"};

static void inv_sort_step(struct identities_pane *ip, struct app *a, enum action act)
{
    if (act == ACT_SORT_INVERT)
        ip->inv_desc = !ip->inv_desc;
    else
        ip->inv_sort = (enum inventory_sort)((ip->inv_sort + (act == ACT_SORT ? 1 : 3)) % 4);
    if (inv_query(ip, a) == 0)
        app_status(a, STATUS_INFO, "Inventory sorted by %s, %s.", sort_names[ip->inv_sort],
                   ip->inv_desc ? "descending" : "ascending");
}

static unsigned criteria_submit(struct app *a, struct view *v, void *ctx)
{
    struct identities_pane *ip = ctx;
    struct identities_criteria c;
    if (criteria_from_form(view_form_of(v), true, &c) != 0)
        return RES_REDRAW;
    ip->crit = c;
    if (ip->inv_mode && ip->inv && inv_query(ip, a) == 0) {
        char num[32];
        app_status(a, STATUS_INFO, "%s identities match.",
                   text_thousands(num, sizeof num, inventory_view_count(ip->inv)));
    }
    return RES_CLOSE;
}

static void criteria_form(struct identities_pane *ip, struct app *a)
{
    struct form *f = form_new("Inventory view: which identities");
    if (!f || criteria_form_add(f, &ip->crit, true, ip->providers) != 0) {
        form_delete(f);
        app_status(a, STATUS_ERROR, "Out of memory.");
        return;
    }
    form_set_hint(f, "state", "criteria combine with AND; all empty: every identity");
    view_form_open(a, f, VIEW_FORM_QUERY, criteria_submit, ip, NULL);
}

/* ---- R: the inventory refreshed in the background ---- */

static void inv_job_progress(void *ctx, const struct inventory_progress *p)
{
    struct identities_pane *ip = ctx;
    ip->inv_job_changed = true;
    ip->inv_job_rows = p->rows;
}

static void inv_job_start(struct identities_pane *ip, struct app *a)
{
    struct api_error err;
    bool locked = false;
    char why[800];
    if (ip->inv_job) {
        app_status(a, STATUS_WARN, "The inventory is being refreshed (Esc stops).");
        return;
    }
    struct inventory_job_options o = {
        .client = a->client,
        .pool_id = a->pool_id,
        .region = a->cfg.region,
        .endpoint = a->cfg.endpoint_url,
        .refresh = true,
        .progress = inv_job_progress,
        .ctx = ip,
    };
    api_error_clear(&err);
    why[0] = '\0';
    ip->inv_job = inventory_job_start(&o, &err, &locked, why, sizeof why);
    if (!ip->inv_job) {
        if (err.kind != API_ERR_NONE)
            app_status_error(a, "Inventory", &err);
        else
            app_status(a, STATUS_ERROR, "Inventory: %s", why);
        return;
    }
    ip->inv_job_rows = 0;
    a->jobs++;
    app_status(a, STATUS_INFO, "Inventory: listing the pool (Esc stops)");
}

/* Before each frame: progress, and the end of the refresh. */
static void inv_job_sync(struct identities_pane *ip, struct app *a)
{
    if (!ip->inv_job)
        return;
    if (!inventory_job_finished(ip->inv_job)) {
        if (ip->inv_job_changed) {
            char num[32];
            double cap = api_rate_limiter_cap(a->limiter, "ListIdentities");
            app_status(a, STATUS_INFO, "Inventory: %s listed this run %s %.4g/s (Esc stops)",
                       text_thousands(num, sizeof num, ip->inv_job_rows), theme_glyph(GLYPH_DOT),
                       cap);
            ip->inv_job_changed = false;
        }
        return;
    }
    struct api_error err;
    char why[800];
    int st = inventory_job_status(ip->inv_job, &err, why, sizeof why);
    inventory_job_free(ip->inv_job);
    ip->inv_job = NULL;
    a->jobs--;
    if (st < 0) {
        if (err.kind != API_ERR_NONE)
            app_status_error(a, "Inventory", &err);
        else
            app_status(a, STATUS_ERROR, "Inventory: %s", why);
    } else if (st == 1) {
        app_status(a, STATUS_WARN, "Inventory refresh stopped: R goes on from where it stopped.");
    } else {
        app_status(a, STATUS_OK, "Inventory refreshed.");
    }
    inv_counts_load(ip, a);
    if (ip->inv_mode && ip->inv)
        inv_query(ip, a); /* a new query sees the refresh's rows */
    a->dirty = true;
}

/* ---- the class ---- */

static struct pane *identities_new(struct app *a)
{
    (void)a;
    struct identities_pane *ip = calloc(1, sizeof *ip);
    if (!ip)
        return NULL;
    static const struct table_column cols[] = {
        {"Identity id", 46, 0, 0, TABLE_LEFT, true},
        {"Linked logins", 14, 1, 0, TABLE_LEFT, true},
        {"Created (UTC)", 16, 0, 96, TABLE_LEFT, true},
        {"Modified (UTC)", 16, 0, 116, TABLE_LEFT, true},
    };
    struct table_source src = {.ctx = ip,
                               .cell = identity_cell,
                               .row_flags = identity_flags,
                               .row_key = identity_key,
                               .compare = identity_compare};
    ip->table = table_new(cols, 4, &src);
    ip->prune = identities_prune_new(PANE_IDENTITIES);
    if (!ip->table || !ip->prune) {
        table_delete(ip->table);
        identities_prune_free(ip->prune);
        free(ip);
        return NULL;
    }
    ip->synced = (size_t)-1;
    ip->inv_row_index = TABLE_NONE;
    ip->inv_total = -1;
    return &ip->base;
}

static void identities_free(struct pane *p, struct app *a)
{
    struct identities_pane *ip = (struct identities_pane *)p;
    ip->restarting = true;
    listing_clear(&ip->list, a);
    walk_clear(ip, a);
    rows_free(&ip->shown);
    rows_free(&ip->fresh);
    inv_close(ip);
    if (ip->inv_job) {
        inventory_job_free(ip->inv_job); /* resumable from its stored page */
        a->jobs--;
    }
    identities_prune_free(ip->prune); /* a running job: aborted, resumable */
    table_delete(ip->table);
    free(ip);
}

static void identities_reset(struct pane *p, struct app *a)
{
    struct identities_pane *ip = (struct identities_pane *)p;
    ip->restarting = true;
    listing_clear(&ip->list, a);
    ip->restarting = false;
    walk_clear(ip, a);
    rows_free(&ip->shown);
    rows_free(&ip->fresh);
    ip->refreshing = ip->load_all = ip->to_end = false;
    ip->error[0] = '\0';
    ip->synced = (size_t)-1;
    table_clear_marks(ip->table);
    /* The inventory view and its criteria were the old pool's. A prune or
     * a refresh running goes on: it is about its own pool. */
    inv_close(ip);
    ip->inv_mode = false;
    memset(&ip->crit, 0, sizeof ip->crit);
    ip->counts_read = false;
    ip->inv_counts[0] = ip->providers[0] = '\0';
    ip->inv_total = -1;
}

static void identities_enter(struct pane *p, struct app *a)
{
    struct identities_pane *ip = (struct identities_pane *)p;
    if (!a->pool_id)
        return;
    if (!ip->counts_read)
        inv_counts_load(ip, a);
    if (ip->inv_mode)
        return;
    if (!ip->list.started ||
        (!ip->shown.n && ip->error[0] && !listing_loading(&ip->list) && !ip->list.complete))
        start_listing(ip, a);
    /* The pool's settings prefill the developer-identity forms. */
    app_pool_desc_load(a);
}

static void identities_sync(struct pane *p, struct app *a)
{
    struct identities_pane *ip = (struct identities_pane *)p;
    identities_prune_sync(ip->prune, a);
    inv_job_sync(ip, a);
    if (ip->inv_mode)
        return; /* the inventory's rows: inv_query set them */
    bool more = ip->list.started && !ip->list.complete;
    if (ip->synced == ip->shown.n && ip->synced_more == more)
        return;
    if (ip->synced == (size_t)-1 || ip->synced > ip->shown.n) {
        table_reload(ip->table, ip->shown.n, more); /* the cursor stays (row_key) */
    } else {
        table_set_rows(ip->table, ip->shown.n, more);
    }
    ip->synced = ip->shown.n;
    ip->synced_more = more;
    if (ip->to_end && ip->list.complete) {
        table_end(ip->table);
        ip->to_end = false;
    }
}

static void identities_draw(struct pane *p, struct app *a)
{
    struct identities_pane *ip = (struct identities_pane *)p;
    int top = a->frame.pane_top, height = a->frame.pane_height, cols = a->frame.cols;
    if (!a->pool_id) {
        pane_note(top + 1, cols, 2, "No pool: highlight one in the Pools pane (1).", ROLE_DIM);
        return;
    }
    char title[1400], what[900];
    size_t marks = table_mark_count(ip->table);
    const char *dot = theme_glyph(GLYPH_DOT);
    if (ip->inv_mode) {
        char crit[700], num[32];
        criteria_describe(&ip->crit, crit, sizeof crit);
        snprintf(what, sizeof what, "inventory by %s %s%s%s%s", sort_names[ip->inv_sort],
                 ip->inv_desc ? "descending" : "ascending", crit[0] ? " " : "", crit[0] ? dot : "",
                 crit[0] ? " " : "");
        if (crit[0]) {
            size_t u = strlen(what);
            snprintf(what + u, sizeof what - u, "%s match: %s",
                     text_thousands(num, sizeof num, ip->inv ? inventory_view_count(ip->inv) : 0),
                     crit);
        }
    } else {
        snprintf(what, sizeof what, "%s",
                 ip->hide_disabled ? "disabled identities hidden" : "all identities");
    }
    if (ip->inv_mode) /* what the view shows first: 80 columns cut the rest */
        snprintf(title, sizeof title, "Pool %s %s %s (%s)", a->pool_name ? a->pool_name : "", dot,
                 what, a->pool_id);
    else
        snprintf(title, sizeof title, "Pool %s (%s) %s %s", a->pool_name ? a->pool_name : "",
                 a->pool_id, dot, what);
    /* The count of marks is never cut: the title gives way to it. */
    char marked[64] = "", count[32] = "";
    if (marks) {
        snprintf(marked, sizeof marked, " %s marked ", dot);
        snprintf(count, sizeof count, "%zu", marks);
    }
    int tail = marks ? text_width(marked, strlen(marked)) + (int)strlen(count) : 0;
    int w = draw_text(stdscr, top, 1, cols - 2 - tail, title, TEXT_NUL, ROLE_TITLE, TEXT_ELLIPSIS);
    if (marks) {
        w += draw_text(stdscr, top, 1 + w, cols - 2 - w, marked, TEXT_NUL, ROLE_TITLE, 0);
        draw_text(stdscr, top, 1 + w, cols - 2 - w, count, TEXT_NUL, ROLE_MARKED, 0);
    }
    int used = 1;
    if (ip->inv_counts[0] && height > 6) {
        draw_text(stdscr, top + used, 1, cols - 2, ip->inv_counts, TEXT_NUL, ROLE_DIM,
                  TEXT_ELLIPSIS);
        used++;
    }
    if (ip->error[0] && !ip->inv_mode)
        used += pane_note(top + used, cols, 2, ip->error, ip->shown.n ? ROLE_WARNING : ROLE_ERROR);
    table_set_empty_text(ip->table, ip->inv_mode                 ? "No identity matches."
                                    : listing_loading(&ip->list) ? "Loading identities..."
                                    : ip->list.complete          ? "No identities in this pool."
                                                                 : "");
    widget_place(table_widget(ip->table), top + used, 0, height - used, cols);
    widget_draw(table_widget(ip->table), stdscr);
}

/* The marked identities, or the one under the cursor (copies; the caller
 * frees each and the array); NULL when none. */
static char **chosen(struct identities_pane *ip, size_t *n)
{
    size_t marks = table_mark_count(ip->table);
    char **ids = calloc(marks ? marks : 1, sizeof *ids);
    *n = 0;
    if (!ids)
        return NULL;
    if (marks) {
        for (size_t row = table_next_mark(ip->table, 0); row != TABLE_NONE && *n < marks;
             row = table_next_mark(ip->table, row + 1)) {
            const char *id = row_id(ip, row);
            if (id && (ids[*n] = app_strdup(id)))
                (*n)++;
        }
    } else if (selected(ip) && (ids[0] = app_strdup(selected(ip)))) {
        *n = 1;
    }
    if (!*n) {
        free(ids);
        return NULL;
    }
    return ids;
}

static void chosen_free(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

/* The pool's developer provider, or NULL while its description is not read. */
static const char *dev_provider(const struct app *a)
{
    return app_pool_desc(a) ? jstr_or(app_pool_desc(a), "DeveloperProviderName", "") : NULL;
}

static unsigned identities_action(struct pane *p, struct app *a, enum action act)
{
    struct identities_pane *ip = (struct identities_pane *)p;
    if (act == ACT_CANCEL && identities_prune_running(ip->prune)) {
        identities_prune_ask_stop(a, ip->prune);
        return RES_HANDLED | RES_REDRAW;
    }
    if (act == ACT_CANCEL && ip->inv_job) {
        inventory_job_stop(ip->inv_job); /* after the page in flight; R resumes */
        app_status(a, STATUS_WARN, "Inventory: stopping after the page in flight...");
        return RES_HANDLED | RES_REDRAW;
    }
    if (!a->pool_id) {
        if (action_table[act].scope != SCOPE_IDENTITIES)
            return 0; /* the frame's: back, quit, panes, ... */
        app_status(a, STATUS_WARN, "No pool: highlight one in the Pools pane (1).");
        return RES_HANDLED;
    }
    if (ip->inv_mode) {
        switch (act) {
        case ACT_SORT:
        case ACT_SORT_PREV:
        case ACT_SORT_INVERT:
            inv_sort_step(ip, a, act);
            return RES_HANDLED | RES_REDRAW;
        case ACT_FILTER:
            criteria_form(ip, a);
            return RES_HANDLED | RES_REDRAW;
        case ACT_HIDE_DISABLED:
            ip->crit.state =
                ip->crit.state == CRITERIA_ENABLED ? CRITERIA_STATE_ANY : CRITERIA_ENABLED;
            inv_query(ip, a);
            return RES_HANDLED | RES_REDRAW;
        case ACT_LOAD_ALL:
            app_status(a, STATUS_INFO,
                       "The inventory view holds every identity: v goes back to "
                       "the live listing.");
            return RES_HANDLED;
        default:
            break;
        }
    }
    int r = pane_nav(ip->table, act);
    if (act == ACT_LAST && !ip->list.complete && !ip->inv_mode) {
        ip->load_all = ip->to_end = true;
        load_begin(ip);
        progress(ip, a);
        next_page(ip, a);
        return RES_HANDLED | RES_REDRAW;
    }
    if (r) {
        if (r & WR_PAGE)
            next_page(ip, a);
        return RES_HANDLED | RES_REDRAW;
    }
    switch (act) {
    case ACT_OPEN: {
        size_t row = table_cursor(ip->table);
        if (row == TABLE_NONE && !ip->inv_mode)
            next_page(ip, a); /* on the "more..." row */
        else if (row_id(ip, row))
            identity_detail_show(a, row_id(ip, row));
        return RES_HANDLED | RES_REDRAW;
    }
    case ACT_MARK:
        if (table_mark_toggle(ip->table) & WR_PAGE)
            next_page(ip, a); /* marking down the list reaches the next page */
        return RES_HANDLED | RES_REDRAW;
    case ACT_MARK_ALL: {
        char crit[700] = "";
        table_mark_all(ip->table);
        if (ip->inv_mode)
            criteria_describe(&ip->crit, crit, sizeof crit);
        char num[32];
        app_status(a, STATUS_INFO, "%s identities marked%s%s%s.",
                   text_thousands(num, sizeof num, table_mark_count(ip->table)),
                   crit[0] ? " (every match: " : "", crit, crit[0] ? ")" : "");
        return RES_HANDLED | RES_REDRAW;
    }
    case ACT_INVENTORY:
        inv_toggle(ip, a);
        return RES_HANDLED | RES_REDRAW;
    case ACT_INVENTORY_FILTER:
        if (!ip->inv_mode) {
            app_status(a, STATUS_INFO, "F filters the inventory view: v opens it.");
            return RES_HANDLED;
        }
        criteria_form(ip, a);
        return RES_HANDLED | RES_REDRAW;
    case ACT_INVENTORY_REFRESH:
        inv_job_start(ip, a);
        return RES_HANDLED | RES_REDRAW;
    case ACT_PRUNE:
        identities_prune_form(a, ip->prune, a->pool_id, a->pool_name,
                              ip->inv_mode ? &ip->crit : NULL, ip->inv_total, ip->providers);
        return RES_HANDLED | RES_REDRAW;
    case ACT_CLEAR_MARKS:
        table_clear_marks(ip->table);
        return RES_HANDLED | RES_REDRAW;
    case ACT_LOAD_ALL: {
        char num[32];
        if (ip->list.complete) {
            app_status(a, STATUS_OK, "All %s identities are loaded.",
                       text_thousands(num, sizeof num, ip->shown.n));
            return RES_HANDLED;
        }
        ip->load_all = true;
        load_begin(ip);
        progress(ip, a);
        next_page(ip, a);
        return RES_HANDLED | RES_REDRAW;
    }
    case ACT_HIDE_DISABLED:
        ip->hide_disabled = !ip->hide_disabled;
        relist(ip, a);
        app_status(a, STATUS_INFO, "%s",
                   ip->hide_disabled ? "Disabled identities hidden." : "Showing all identities.");
        return RES_HANDLED | RES_REDRAW;
    case ACT_IDENTITIES_DELETE: {
        size_t n;
        char **ids = chosen(ip, &n);
        if (!ids) {
            app_status(a, STATUS_WARN, "No identity under the cursor or marked.");
            return RES_HANDLED;
        }
        identities_delete_confirm(a, a->pool_name, (const char *const *)ids, n);
        chosen_free(ids, n);
        return RES_HANDLED;
    }
    case ACT_LOOKUP_DEVELOPER:
        identity_lookup_form(a, a->pool_id, selected(ip));
        return RES_HANDLED;
    case ACT_MERGE_DEVELOPER:
        identity_merge_form(a, a->pool_id, dev_provider(a));
        return RES_HANDLED;
    case ACT_UNLINK_DEVELOPER:
        identity_unlink_developer_form(a, a->pool_id, selected(ip), dev_provider(a));
        return RES_HANDLED;
    case ACT_UNLINK_IDENTITY:
        identity_unlink_form(a, selected(ip));
        return RES_HANDLED;
    default:
        return 0;
    }
}

static bool identities_offers(const struct pane *p, const struct app *a, enum action act)
{
    const struct identities_pane *ip = (const struct identities_pane *)p;
    if (!a->pool_id)
        return act == ACT_BACK;
    switch (act) {
    case ACT_INVENTORY_FILTER:
        return ip->inv_mode;
    case ACT_LOAD_ALL:
        return !ip->inv_mode;
    default:
        return true;
    }
}

static struct table *identities_table(struct pane *p)
{
    return ((struct identities_pane *)p)->table;
}

static void identities_refresh(struct pane *p, struct app *a)
{
    struct identities_pane *ip = (struct identities_pane *)p;
    if (ip->inv_mode) {
        /* The inventory as it is now (a refresh by R or the verb may have
         * written it); the service is listed by R. */
        inv_counts_load(ip, a);
        if (ip->inv)
            inv_query(ip, a);
        return;
    }
    /* The marks go now, not when the new rows come: after a delete they
     * name rows that are gone (the new rows would clear them anyway). */
    table_clear_marks(ip->table);
    relist(ip, a);
}

const struct pane_ops pane_identities_ops = {
    .new = identities_new,
    .free = identities_free,
    .enter = identities_enter,
    .sync = identities_sync,
    .draw = identities_draw,
    .action = identities_action,
    .offers = identities_offers,
    .table = identities_table,
    .reload = identities_refresh,
    .reset = identities_reset,
};
