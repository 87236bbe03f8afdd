/* tui/pane_pools.c — the Pools pane: every page of ListIdentityPools (the
 * first on screen at once, the rest following), the pool actions. The pool
 * under the cursor is the one the other panes follow. */
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/identity_test.h"
#include "tui/json_get.h"
#include "tui/listing.h"
#include "tui/pane.h"
#include "tui/pool_forms.h"
#include "tui/principal_tags.h"
#include "widgets/table.h"
#include "widgets/text.h"

struct pool_row {
    char *id, *name;
};

struct pool_rows {
    struct pool_row *v;
    size_t n, cap;
};

struct pools_pane {
    struct pane base;
    struct app *app;
    struct pool_rows shown; /* on screen */
    struct pool_rows fresh; /* a refresh filling in; shown once complete */
    bool refreshing;
    bool restarting; /* answers of the listing being replaced are not news */
    struct listing list;
    char error[900];
    struct table *table;
    size_t synced;
};

static void rows_free(struct pool_rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].id);
        free(r->v[i].name);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

static int rows_add(struct pool_rows *r, const char *id, const char *name)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct pool_row *v = realloc(r->v, cap * sizeof *v);
        if (!v)
            return -1;
        r->v = v;
        r->cap = cap;
    }
    struct pool_row row = {app_strdup(id), app_strdup(name ? name : "")};
    if (!row.id || !row.name) {
        free(row.id);
        free(row.name);
        return -1;
    }
    r->v[r->n++] = row;
    return 0;
}

/* ---- loading ---- */

static int pool_item(void *owner, json_object *item)
{
    struct pools_pane *pp = owner;
    const char *id = jstr(item, "IdentityPoolId");
    if (!id)
        return 0;
    return rows_add(pp->refreshing ? &pp->fresh : &pp->shown, id, jstr(item, "IdentityPoolName"));
}

static void next_page(struct pools_pane *pp, struct app *a);

static void pool_page(void *owner, struct app *a, const struct api_error *err)
{
    struct pools_pane *pp = owner;
    a->dirty = true;
    if (pp->restarting)
        return;
    if (err) {
        bool had = pp->refreshing || pp->shown.n;
        char why[560];
        app_describe_error(err, why, sizeof why);
        if (err->kind == API_ERR_CANCELLED)
            snprintf(pp->error, sizeof pp->error, "%s r loads again.",
                     had ? "Refresh stopped (Esc): the pools shown are from before."
                         : "Loading stopped (Esc).");
        else if (had)
            snprintf(pp->error, sizeof pp->error,
                     "Refresh failed; the pools shown are from before. %s", why);
        else
            snprintf(pp->error, sizeof pp->error, "%s", why);
        if (err->kind != API_ERR_CANCELLED)
            app_status_error(a, "Listing pools", err);
        if (pp->refreshing) {
            rows_free(&pp->fresh);
            pp->refreshing = false;
        }
        return;
    }
    pp->error[0] = '\0';
    if (!pp->list.complete) {
        next_page(pp, a); /* the first page is on screen; the rest follow */
        return;
    }
    if (pp->refreshing) {
        rows_free(&pp->shown);
        pp->shown = pp->fresh;
        memset(&pp->fresh, 0, sizeof pp->fresh);
        pp->refreshing = false;
        pp->synced = (size_t)-1;
    }
}

static void next_page(struct pools_pane *pp, struct app *a)
{
    struct api_error err;
    if (listing_next(&pp->list, a, pp->refreshing ? "Refreshing pools" : "Loading pools", &err) !=
        0) {
        /* Refused before sending (credentials, say): said in the pane. */
        pool_page(pp, a, &err);
    }
}

static const struct listing_ops pool_listing = {pool_item, pool_page};

static void start_listing(struct pools_pane *pp, struct app *a)
{
    pp->restarting = true;
    listing_clear(&pp->list, a);
    pp->restarting = false;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "MaxResults", json_object_new_int(60));
    listing_init(&pp->list, "ListIdentityPools", "IdentityPools", in, &pool_listing, pp);
    next_page(pp, a);
}

/* ---- the table ---- */

static const char *pool_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    struct pools_pane *pp = ctx;
    (void)buf;
    (void)cap;
    if (row >= pp->shown.n)
        return NULL;
    return col == 0 ? pp->shown.v[row].name : pp->shown.v[row].id;
}

/* The pool id names a row across reloads: the table keeps the cursor on
 * its pool, or at its place when the pool is gone (deleted). */
static const char *pool_key(void *ctx, size_t row, char *buf, size_t cap)
{
    struct pools_pane *pp = ctx;
    (void)buf;
    (void)cap;
    return row < pp->shown.n ? pp->shown.v[row].id : NULL;
}

static const struct pool_row *selected(struct pools_pane *pp)
{
    size_t row = pp->table ? table_cursor(pp->table) : TABLE_NONE;
    return row != TABLE_NONE && row < pp->shown.n ? &pp->shown.v[row] : NULL;
}

/* The pool under the cursor, or NULL with the status line saying so. */
static const struct pool_row *wanted(struct pools_pane *pp, struct app *a)
{
    const struct pool_row *p = selected(pp);
    if (!p)
        app_status(a, STATUS_WARN, "No pool under the cursor.");
    return p;
}

/* ---- the class ---- */

static struct pane *pools_new(struct app *a)
{
    struct pools_pane *pp = calloc(1, sizeof *pp);
    if (!pp)
        return NULL;
    static const struct table_column cols[] = {
        {"Name", 16, 1, 0, TABLE_LEFT, true},
        {"Pool id", 46, 0, 72, TABLE_LEFT, true},
    };
    struct table_source src = {.ctx = pp, .cell = pool_cell, .row_key = pool_key};
    pp->table = table_new(cols, 2, &src);
    if (!pp->table) {
        free(pp);
        return NULL;
    }
    pp->app = a;
    pp->synced = (size_t)-1;
    return &pp->base;
}

static void pools_free(struct pane *p, struct app *a)
{
    struct pools_pane *pp = (struct pools_pane *)p;
    listing_clear(&pp->list, a);
    rows_free(&pp->shown);
    rows_free(&pp->fresh);
    table_delete(pp->table);
    free(pp);
}

static void pools_enter(struct pane *p, struct app *a)
{
    struct pools_pane *pp = (struct pools_pane *)p;
    if (!pp->list.started || (!pp->shown.n && pp->error[0] && !listing_loading(&pp->list)))
        start_listing(pp, a);
}

static void pools_sync(struct pane *p, struct app *a)
{
    struct pools_pane *pp = (struct pools_pane *)p;
    if (pp->synced != pp->shown.n) {
        if (pp->synced == (size_t)-1 || pp->synced > pp->shown.n)
            table_reload(pp->table, pp->shown.n, false);
        else
            table_set_rows(pp->table, pp->shown.n, false); /* appended: the cursor stays */
        pp->synced = pp->shown.n;
    }
    const struct pool_row *cur = selected(pp);
    if (cur || pp->list.complete)
        app_follow_pool(a, cur ? cur->id : NULL, cur ? cur->name : NULL);
}

static void pools_draw(struct pane *p, struct app *a)
{
    struct pools_pane *pp = (struct pools_pane *)p;
    int top = a->frame.pane_top, height = a->frame.pane_height, used = 0;
    if (pp->error[0])
        used = pane_note(top, a->frame.cols, 4, pp->error, pp->shown.n ? ROLE_WARNING : ROLE_ERROR);
    if (pp->list.complete) {
        char empty[200];
        snprintf(empty, sizeof empty,
                 "No identity pools in %s for these credentials. c creates one; :region NAME "
                 "looks elsewhere.",
                 a->cfg.region);
        table_set_empty_text(pp->table, empty);
    } else {
        table_set_empty_text(pp->table, listing_loading(&pp->list) ? "Loading pools..." : "");
    }
    widget_place(table_widget(pp->table), top + used, 0, height - used, a->frame.cols);
    widget_draw(table_widget(pp->table), stdscr);
}

static unsigned pools_action(struct pane *p, struct app *a, enum action act)
{
    struct pools_pane *pp = (struct pools_pane *)p;
    const struct pool_row *row;
    switch (act) {
    case ACT_OPEN:
        if ((row = wanted(pp, a))) {
            app_follow_pool(a, row->id, row->name);
            /* Into the pool: the pane after this one, the first about a pool. */
            app_switch_pane(a, (enum pane_id)(p->id + 1));
        }
        return RES_HANDLED | RES_REDRAW;
    case ACT_BACK:
        return RES_HANDLED | RES_QUIT; /* the first pane: back is out */
    case ACT_POOL_DETAIL:
        if ((row = wanted(pp, a)))
            pool_detail_show(a, row->id);
        return RES_HANDLED;
    case ACT_POOL_CREATE:
        pool_create_form(a);
        return RES_HANDLED;
    case ACT_POOL_UPDATE:
        if ((row = wanted(pp, a)))
            pool_update_form(a, row->id);
        return RES_HANDLED;
    case ACT_POOL_DELETE:
        if ((row = wanted(pp, a)))
            pool_delete_confirm(a, row->id, row->name);
        return RES_HANDLED;
    case ACT_PRINCIPAL_TAGS:
        if ((row = wanted(pp, a)))
            principal_tags_open(a, row->id);
        return RES_HANDLED;
    case ACT_TEST_IDENTITY:
        if ((row = wanted(pp, a)))
            identity_test_open(a, row->id);
        return RES_HANDLED;
    default:
        return 0;
    }
}

static bool pools_offers(const struct pane *p, const struct app *a, enum action act)
{
    (void)p;
    (void)a;
    return act != ACT_BACK; /* q quits from here: the bar says Quit */
}

static struct table *pools_table(struct pane *p)
{
    return ((struct pools_pane *)p)->table;
}

static void pools_refresh(struct pane *p, struct app *a)
{
    struct pools_pane *pp = (struct pools_pane *)p;
    pp->restarting = true;
    listing_stop(&pp->list, a);
    pp->restarting = false;
    rows_free(&pp->fresh);
    pp->refreshing = pp->shown.n > 0;
    pp->error[0] = '\0';
    start_listing(pp, a);
}

const struct pane_ops pane_pools_ops = {
    .new = pools_new,
    .free = pools_free,
    .enter = pools_enter,
    .sync = pools_sync,
    .draw = pools_draw,
    .action = pools_action,
    .offers = pools_offers,
    .table = pools_table,
    .reload = pools_refresh,
};
