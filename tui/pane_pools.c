/* tui/pane_pools.c — the Pools pane: every page of ListIdentityPools, the pool actions. */
#include "tui/app.h"
#include "api/pagination.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/pool_forms.h"
#include "tui/screen.h"
#include "tui/views.h"
#include "widgets/table.h"
#include "widgets/text.h"

static void pools_page(struct app *a);

static int add_pool(struct app *a, const char *id, const char *name)
{
    if (a->n_pools == a->cap_pools) {
        size_t cap = a->cap_pools ? a->cap_pools * 2 : 64;
        struct pool_row *n = realloc(a->pools, cap * sizeof *n);
        if (!n)
            return -1;
        a->pools = n;
        a->cap_pools = cap;
    }
    a->pools[a->n_pools].id = app_strdup(id);
    a->pools[a->n_pools].name = app_strdup(name ? name : "");
    if (!a->pools[a->n_pools].id || !a->pools[a->n_pools].name) {
        free(a->pools[a->n_pools].id);
        free(a->pools[a->n_pools].name);
        return -1;
    }
    a->n_pools++;
    return 0;
}

static void pools_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    unsigned gen = (unsigned)(uintptr_t)ctx;
    struct paged *pg = &a->pools_pg;
    if (gen != a->profile_gen) { /* an answer for settings no longer in force */
        json_object_put(out);
        return;
    }
    pg->req = NULL;
    pg->loading = false;
    if (!out) {
        if (err->kind == API_ERR_CANCELLED)
            snprintf(pg->error, sizeof pg->error, "Loading stopped (Esc); r loads again.");
        else
            app_describe_error(err, pg->error, sizeof pg->error);
        if (err->kind != API_ERR_CANCELLED)
            app_status_error(a, "Listing pools", err);
        return;
    }
    pg->pages++;
    json_object *list;
    if (json_object_object_get_ex(out, "IdentityPools", &list) &&
        json_object_is_type(list, json_type_array)) {
        size_t n = json_object_array_length(list);
        for (size_t i = 0; i < n; i++) {
            json_object *p = json_object_array_get_idx(list, i), *id, *name;
            if (!json_object_object_get_ex(p, "IdentityPoolId", &id))
                continue;
            json_object_object_get_ex(p, "IdentityPoolName", &name);
            if (add_pool(a, json_object_get_string(id), name ? json_object_get_string(name) : "") !=
                0) {
                snprintf(pg->error, sizeof pg->error, "Out of memory after %zu pools.", a->n_pools);
                json_object_put(out);
                return;
            }
        }
    }
    enum api_page_step step = api_page_advance(&pg->walk, out);
    if (step == API_PAGE_NEXT) {
        json_object_put(out);
        pools_page(a); /* the first page is on screen; the rest follow */
        return;
    }
    struct api_error stop;
    api_error_clear(&stop);
    if (api_page_error(step, &pg->walk, "ListIdentityPools", &stop) < 0)
        app_describe_error(&stop, pg->error, sizeof pg->error);
    pg->complete = true;
    json_object_put(out);
    a->dirty = true;
}

static void pools_page(struct app *a)
{
    struct paged *pg = &a->pools_pg;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "MaxResults", json_object_new_int(60));
    if (pg->walk.token)
        json_object_object_add(in, "NextToken", json_object_new_string(pg->walk.token));
    struct api_error err;
    pg->started = true;
    pg->error[0] = '\0';
    pg->req = app_call(a, "ListIdentityPools", in, pools_done, (void *)(uintptr_t)a->profile_gen,
                       APP_CALL_FOREGROUND, "Loading pools", &err);
    if (!pg->req) {
        app_describe_error(&err, pg->error, sizeof pg->error);
        app_status_error(a, "Listing pools", &err);
        return;
    }
    pg->loading = true;
}

static void pools_load(struct app *a)
{
    if (a->pools_pg.started &&
        (a->pools_pg.loading || a->pools_pg.complete || !a->pools_pg.error[0]))
        return;
    pools_page(a);
}

static void pools_reset(struct app *a)
{
    if (a->pools_pg.req)
        app_cancel(a, a->pools_pg.req);
    for (size_t i = 0; i < a->n_pools; i++) {
        free(a->pools[i].id);
        free(a->pools[i].name);
    }
    free(a->pools);
    a->pools = NULL;
    a->n_pools = a->cap_pools = 0;
    api_page_walk_free(&a->pools_pg.walk);
    memset(&a->pools_pg, 0, sizeof a->pools_pg);
    a->dirty = true;
}

/* ---- the table ---- */

static const char *pool_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    struct app *a = ctx;
    (void)buf;
    (void)cap;
    if (row >= a->n_pools)
        return NULL;
    return col == 0 ? a->pools[row].name : a->pools[row].id;
}

static int pool_compare(void *ctx, size_t x, size_t y, int col)
{
    struct app *a = ctx;
    return col == 0 ? strcmp(a->pools[x].name, a->pools[y].name)
                    : strcmp(a->pools[x].id, a->pools[y].id);
}

static struct table *pools_table(struct app *a)
{
    if (!a->pools_table) {
        static const struct table_column cols[] = {
            {"Name", 16, 1, 0, TABLE_LEFT, true},
            {"Pool id", 46, 0, 72, TABLE_LEFT, true},
        };
        struct table_source src = {.ctx = a, .cell = pool_cell, .compare = pool_compare};
        a->pools_table = table_new(cols, 2, &src);
    }
    return a->pools_table;
}

/* The pool under the cursor, or NULL (with a status message). */
const struct pool_row *pools_selected(struct app *a)
{
    struct table *t = pools_table(a);
    size_t row = t ? table_cursor(t) : TABLE_NONE;
    if (row == TABLE_NONE || row >= a->n_pools) {
        app_status(a, STATUS_WARN, "No pool selected.");
        return NULL;
    }
    return &a->pools[row];
}

static size_t synced_rows = (size_t)-1;
/* The pool under the cursor before a reload: the cursor goes back to it
 * when it shows up again, so a reload never moves an action to another pool. */
static char *keep_id;

static void pools_draw(struct app *a, int top, int height)
{
    struct table *t = pools_table(a);
    if (!t)
        return;
    if (synced_rows != a->n_pools) {
        table_set_rows(t, a->n_pools, false);
        synced_rows = a->n_pools;
        for (size_t i = 0; keep_id && i < a->n_pools; i++)
            if (!strcmp(a->pools[i].id, keep_id)) {
                table_set_cursor(t, i);
                free(keep_id);
                keep_id = NULL;
            }
        if (a->pools_pg.complete) {
            free(keep_id);
            keep_id = NULL;
        }
    }
    struct paged *pg = &a->pools_pg;
    int msg_rows = 0;
    if (pg->error[0]) {
        /* The reason and what to do, wrapped over a few rows above the table. */
        size_t len = strlen(pg->error), pos = 0;
        while (pos < len && msg_rows < 4) {
            size_t next;
            size_t n = text_wrap(pg->error + pos, len - pos, a->cols - 2, &next);
            draw_text(stdscr, top + msg_rows, 1, a->cols - 2, pg->error + pos, n,
                      a->n_pools ? ROLE_WARNING : ROLE_ERROR, 0);
            pos += next;
            msg_rows++;
            if (next == 0)
                break;
        }
        msg_rows++;
    }
    if (!pg->complete)
        table_set_empty_text(t, pg->loading ? "Loading pools..." : "");
    else {
        char empty[200];
        snprintf(empty, sizeof empty,
                 "No identity pools in %s for these credentials. c creates one; :region NAME "
                 "looks elsewhere.",
                 a->cfg.region);
        table_set_empty_text(t, empty);
    }
    widget_place(table_widget(t), top + msg_rows, 0, height - msg_rows, a->cols);
    widget_draw(table_widget(t), stdscr);
}

static void pools_enter(struct app *a)
{
    pools_load(a);
}

static void pools_reset_all(struct app *a)
{
    free(keep_id);
    keep_id = NULL;
    pools_reset(a);
    table_delete(a->pools_table);
    a->pools_table = NULL;
    synced_rows = (size_t)-1;
}

static bool pools_action(struct app *a, enum action act)
{
    struct table *t = pools_table(a);
    int nav = screen_nav_key(act);
    if (nav) {
        if (t)
            widget_handle(table_widget(t), nav);
        return true;
    }
    const struct pool_row *p;
    switch (act) {
    case ACT_OPEN:
        if (!(p = pools_selected(a)))
            return true;
        app_select_pool(a, p->id, p->name);
        app_switch_pane(a, PANE_IDENTITIES);
        return true;
    case ACT_POOL_DETAIL:
        if ((p = pools_selected(a)))
            pool_show_detail(a, p->id);
        return true;
    case ACT_POOL_CREATE:
        pool_form_create(a);
        return true;
    case ACT_POOL_UPDATE:
        if ((p = pools_selected(a)))
            pool_form_update(a, p->id);
        return true;
    case ACT_POOL_DELETE:
        if ((p = pools_selected(a)))
            pool_confirm_delete(a, p->id, p->name);
        return true;
    case ACT_PRINCIPAL_TAGS:
        if ((p = pools_selected(a)))
            pool_principal_tags(a, p->id);
        return true;
    case ACT_TEST_IDENTITY:
        if ((p = pools_selected(a)))
            pool_test_identity(a, p->id);
        return true;
    default:
        return false;
    }
}

void pools_reload(struct app *a)
{
    struct table *t = a->pools_table;
    size_t row = t ? table_cursor(t) : TABLE_NONE;
    free(keep_id);
    keep_id = row != TABLE_NONE && row < a->n_pools ? app_strdup(a->pools[row].id) : NULL;
    pools_reset(a);
    synced_rows = (size_t)-1;
    pools_load(a);
}

const struct pane_ops pane_pools_ops = {
    .title = "Pools",
    .scope = SCOPE_POOLS,
    .enter = pools_enter,
    .draw = pools_draw,
    .action = pools_action,
    .reset = pools_reset_all,
};
