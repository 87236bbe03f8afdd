/* tui/pane_identities.c — the Identities pane: the identities of the pool
 * the panes follow, in pages of 60 as the cursor nears the end; L (and End)
 * load on to the end with progress, Esc stops; HideDisabled; marks for the
 * batch delete; the identity actions.
 *
 * Disabled identities: ListIdentities does not say which are disabled, only
 * leaves them out with HideDisabled. So while all are shown, a second
 * listing with HideDisabled walks behind the first, in the background and
 * never further than the rows loaded: both list in the same order, so a row
 * the second listing skipped is disabled. Should the orders ever differ, the
 * walk stops and nothing more is marked (never a guess). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/app.h"
#include "tui/identity_forms.h"
#include "tui/json_get.h"
#include "tui/listing.h"
#include "tui/pane.h"
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
 * page when the shown rows are ahead. */
static void walk_on(struct identities_pane *ip, struct app *a)
{
    struct enabled_walk *w = &ip->walk;
    struct identity_rows *r = &ip->shown;
    if (ip->hide_disabled || w->broken || !a->pool_id)
        return;
    while (w->qhead < w->qn) {
        const char *id = w->queue[w->qhead];
        size_t m = w->next;
        while (m < r->n && strcmp(r->v[m].id, id) != 0)
            m++;
        if (m == r->n) {
            if (ip->list.complete && !ip->refreshing) {
                w->broken = true; /* an enabled id the full list lacks: orders differ */
                return;
            }
            break; /* the shown rows have not reached it yet */
        }
        for (size_t i = w->next; i < m; i++)
            r->v[i].disabled = 1;
        r->v[m].disabled = 0;
        w->next = m + 1;
        free(w->queue[w->qhead++]);
    }
    if (w->list.complete && w->qhead == w->qn) {
        if (ip->list.complete)
            for (; w->next < r->n; w->next++)
                r->v[w->next].disabled = 1;
        return;
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
}

/* ---- loading ---- */

static void next_page(struct identities_pane *ip, struct app *a);

static void progress(struct identities_pane *ip, struct app *a)
{
    char num[32];
    app_status(a, STATUS_INFO, "%s: page %u %s %s rows (Esc stops)",
               ip->to_end ? "Going to the end" : "Loading all", ip->list.pages,
               theme_glyph(GLYPH_DOT), text_thousands(num, sizeof num, ip->shown.n));
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

static const char *identity_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    struct identities_pane *ip = ctx;
    if (row >= ip->shown.n)
        return NULL;
    const struct identity_row *r = &ip->shown.v[row];
    switch (col) {
    case 0:
        return r->id;
    case 1:
        if (r->disabled == 1) {
            snprintf(buf, cap, "(disabled) %s", r->logins[0] ? r->logins : "unauthenticated");
            return buf;
        }
        return r->logins[0] ? r->logins : "(unauthenticated)";
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
    return row < ip->shown.n && ip->shown.v[row].disabled == 1 ? TABLE_ROW_DISABLED : 0;
}

/* The identity id names a row across reloads: after a delete the cursor
 * stays on the row that took the deleted one's place. */
static const char *identity_key(void *ctx, size_t row, char *buf, size_t cap)
{
    struct identities_pane *ip = ctx;
    (void)buf;
    (void)cap;
    return row < ip->shown.n ? ip->shown.v[row].id : NULL;
}

static const char *selected(struct identities_pane *ip)
{
    size_t row = table_cursor(ip->table);
    return row != TABLE_NONE && row < ip->shown.n ? ip->shown.v[row].id : NULL;
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
    if (!ip->table) {
        free(ip);
        return NULL;
    }
    ip->synced = (size_t)-1;
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
}

static void identities_enter(struct pane *p, struct app *a)
{
    struct identities_pane *ip = (struct identities_pane *)p;
    if (!a->pool_id)
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
    (void)a;
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
    char title[600];
    size_t marks = table_mark_count(ip->table);
    const char *dot = theme_glyph(GLYPH_DOT);
    snprintf(title, sizeof title, "Pool %s (%s) %s %s%s%s%s", a->pool_name ? a->pool_name : "",
             a->pool_id, dot, ip->hide_disabled ? "disabled identities hidden" : "all identities",
             marks ? " " : "", marks ? dot : "", marks ? " marked " : "");
    int w = draw_text(stdscr, top, 1, cols - 2, title, TEXT_NUL, ROLE_TITLE, TEXT_ELLIPSIS);
    if (marks) {
        char m[32];
        snprintf(m, sizeof m, "%zu", marks);
        draw_text(stdscr, top, 1 + w, cols - 2 - w, m, TEXT_NUL, ROLE_MARKED, 0);
    }
    int used = 1;
    if (ip->error[0])
        used += pane_note(top + used, cols, 2, ip->error, ip->shown.n ? ROLE_WARNING : ROLE_ERROR);
    table_set_empty_text(ip->table, listing_loading(&ip->list) ? "Loading identities..."
                                    : ip->list.complete        ? "No identities in this pool."
                                                               : "");
    widget_place(table_widget(ip->table), top + used, 0, height - used, cols);
    widget_draw(table_widget(ip->table), stdscr);
}

/* The marked identities, or the one under the cursor; NULL when none. */
static char **chosen(struct identities_pane *ip, size_t *n)
{
    size_t marks = table_mark_count(ip->table);
    char **ids = calloc(marks ? marks : 1, sizeof *ids);
    *n = 0;
    if (!ids)
        return NULL;
    if (marks) {
        for (size_t row = table_next_mark(ip->table, 0); row != TABLE_NONE && *n < marks;
             row = table_next_mark(ip->table, row + 1))
            if (row < ip->shown.n)
                ids[(*n)++] = ip->shown.v[row].id;
    } else if (selected(ip)) {
        ids[(*n)++] = (char *)selected(ip);
    }
    if (!*n) {
        free(ids);
        return NULL;
    }
    return ids;
}

/* The pool's developer provider, or NULL while its description is not read. */
static const char *dev_provider(const struct app *a)
{
    return app_pool_desc(a) ? jstr_or(app_pool_desc(a), "DeveloperProviderName", "") : NULL;
}

static unsigned identities_action(struct pane *p, struct app *a, enum action act)
{
    struct identities_pane *ip = (struct identities_pane *)p;
    if (!a->pool_id) {
        app_status(a, STATUS_WARN, "No pool: highlight one in the Pools pane (1).");
        return act == ACT_BACK ? 0 : RES_HANDLED;
    }
    int r = pane_nav(ip->table, act);
    if (act == ACT_LAST && !ip->list.complete) {
        ip->load_all = ip->to_end = true;
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
        if (row == TABLE_NONE)
            next_page(ip, a); /* on the "more..." row */
        else if (row < ip->shown.n)
            identity_detail_show(a, ip->shown.v[row].id);
        return RES_HANDLED | RES_REDRAW;
    }
    case ACT_MARK:
        if (table_mark_toggle(ip->table) & WR_PAGE)
            next_page(ip, a); /* marking down the list reaches the next page */
        return RES_HANDLED | RES_REDRAW;
    case ACT_MARK_ALL:
        table_mark_all(ip->table);
        app_status(a, STATUS_INFO, "%zu identities marked.", table_mark_count(ip->table));
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
        free(ids);
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
    (void)p;
    return a->pool_id || act == ACT_BACK;
}

static struct table *identities_table(struct pane *p)
{
    return ((struct identities_pane *)p)->table;
}

static void identities_refresh(struct pane *p, struct app *a)
{
    relist((struct identities_pane *)p, a);
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
