/* tui/pane_identities.c — the Identities pane: pages of 60 as the admin
 * scrolls, L to load all (Esc stops), HideDisabled, marks, the identity
 * actions. */
#include "tui/app.h"
#include "api/pagination.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/pane_identities.h"
#include "tui/screen.h"
#include "widgets/table.h"
#include "widgets/text.h"

static void free_row(struct identity_row *r)
{
    free(r->id);
    free(r->logins);
}

static char *join_logins(json_object *logins)
{
    size_t n = logins && json_object_is_type(logins, json_type_array)
                   ? json_object_array_length(logins)
                   : 0;
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += (size_t)json_object_get_string_len(json_object_array_get_idx(logins, i)) + 2;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        const char *v = json_object_get_string(json_object_array_get_idx(logins, i));
        int w = snprintf(s + used, len - used, "%s%s", i ? ", " : "", v ? v : "");
        if (w > 0)
            used += (size_t)w;
    }
    return s;
}

static time_t member_time(json_object *o, const char *name)
{
    json_object *v;
    if (!json_object_object_get_ex(o, name, &v) || !v)
        return 0;
    return (time_t)json_object_get_double(v);
}

static int add_identity(struct app *a, json_object *desc)
{
    json_object *id, *logins = NULL;
    if (!json_object_object_get_ex(desc, "IdentityId", &id) ||
        !json_object_is_type(id, json_type_string))
        return 0;
    if (a->n_ids == a->cap_ids) {
        size_t cap = a->cap_ids ? a->cap_ids * 2 : 256;
        struct identity_row *n = realloc(a->ids, cap * sizeof *n);
        if (!n)
            return -1;
        a->ids = n;
        a->cap_ids = cap;
    }
    json_object_object_get_ex(desc, "Logins", &logins);
    struct identity_row r = {
        .id = app_strdup(json_object_get_string(id)),
        .logins = join_logins(logins),
        .created = member_time(desc, "CreationDate"),
        .modified = member_time(desc, "LastModifiedDate"),
    };
    if (!r.id || !r.logins) {
        free_row(&r);
        return -1;
    }
    a->ids[a->n_ids++] = r;
    return 0;
}

static void ids_page(struct app *a);

static void ids_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    unsigned gen = (unsigned)(uintptr_t)ctx;
    struct paged *pg = &a->ids_pg;
    char num[32];
    if (gen != a->generation) {
        json_object_put(out);
        return;
    }
    pg->req = NULL;
    pg->loading = false;
    if (!out) {
        if (err->kind == API_ERR_CANCELLED) {
            if (pg->load_all)
                app_status(a, STATUS_WARN, "Loading stopped at %s identities (page %u).",
                           text_thousands(num, sizeof num, a->n_ids), pg->pages);
            pg->load_all = false;
            snprintf(pg->error, sizeof pg->error, "Loading stopped; scroll down or L to go on.");
        } else {
            pg->load_all = false;
            app_describe_error(err, pg->error, sizeof pg->error);
            app_status_error(a, "Listing identities", err);
        }
        return;
    }
    pg->pages++;
    json_object *list;
    if (json_object_object_get_ex(out, "Identities", &list) &&
        json_object_is_type(list, json_type_array)) {
        size_t n = json_object_array_length(list);
        for (size_t i = 0; i < n; i++)
            if (add_identity(a, json_object_array_get_idx(list, i)) != 0) {
                snprintf(pg->error, sizeof pg->error, "Out of memory after %zu identities.",
                         a->n_ids);
                pg->load_all = false;
                json_object_put(out);
                return;
            }
    }
    enum api_page_step step = api_page_advance(&pg->walk, out);
    struct api_error stop;
    api_error_clear(&stop);
    if (api_page_error(step, &pg->walk, "ListIdentities", &stop) < 0) {
        app_describe_error(&stop, pg->error, sizeof pg->error);
        pg->load_all = false;
    }
    if (step != API_PAGE_NEXT)
        pg->complete = true;
    json_object_put(out);
    if (pg->load_all) {
        if (pg->complete) {
            pg->load_all = false;
            app_status(a, STATUS_OK, "All %s identities loaded (%u pages).",
                       text_thousands(num, sizeof num, a->n_ids), pg->pages);
        } else {
            app_status(a, STATUS_INFO, "Loading all: page %u %s %s rows (Esc stops)", pg->pages,
                       theme_glyph(GLYPH_DOT), text_thousands(num, sizeof num, a->n_ids));
            ids_page(a);
        }
    }
    identities_loaded(a);
}

static void ids_page(struct app *a)
{
    struct paged *pg = &a->ids_pg;
    if (!a->pool_id || pg->loading || pg->complete)
        return;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(a->pool_id));
    json_object_object_add(in, "MaxResults", json_object_new_int(60));
    if (a->hide_disabled)
        json_object_object_add(in, "HideDisabled", json_object_new_boolean(1));
    if (pg->walk.token)
        json_object_object_add(in, "NextToken", json_object_new_string(pg->walk.token));
    struct api_error err;
    pg->started = true;
    pg->error[0] = '\0';
    pg->req = app_call(a, "ListIdentities", in, ids_done, (void *)(uintptr_t)a->generation,
                       APP_CALL_FOREGROUND,
                       pg->load_all ? "Loading all identities" : "Loading identities", &err);
    if (!pg->req) {
        pg->load_all = false;
        app_describe_error(&err, pg->error, sizeof pg->error);
        app_status_error(a, "Listing identities", &err);
        return;
    }
    pg->loading = true;
}

void identities_more(struct app *a)
{
    if (!a->ids_pg.complete && !a->ids_pg.loading)
        ids_page(a);
}

void identities_load_all(struct app *a)
{
    char num[32];
    if (a->ids_pg.complete) {
        app_status(a, STATUS_OK, "All %s identities are loaded.",
                   text_thousands(num, sizeof num, a->n_ids));
        return;
    }
    a->ids_pg.load_all = true;
    app_status(a, STATUS_INFO, "Loading all: page %u %s %s rows (Esc stops)", a->ids_pg.pages,
               theme_glyph(GLYPH_DOT), text_thousands(num, sizeof num, a->n_ids));
    if (!a->ids_pg.loading)
        ids_page(a);
}

void identities_reset(struct app *a)
{
    if (a->ids_pg.req)
        app_cancel(a, a->ids_pg.req);
    for (size_t i = 0; i < a->n_ids; i++)
        free_row(&a->ids[i]);
    free(a->ids);
    a->ids = NULL;
    a->n_ids = a->cap_ids = 0;
    api_page_walk_free(&a->ids_pg.walk);
    memset(&a->ids_pg, 0, sizeof a->ids_pg);
    a->dirty = true;
}

void identities_start(struct app *a)
{
    if (!a->ids_pg.started || (a->ids_pg.error[0] && a->n_ids == 0 && !a->ids_pg.loading))
        ids_page(a);
}

/* ---- the table ---- */

static void format_time(time_t t, char *buf, size_t cap)
{
    if (!t) {
        snprintf(buf, cap, "-");
        return;
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, cap, "%Y-%m-%d %H:%M", &tm);
}

static const char *id_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    struct app *a = ctx;
    if (row >= a->n_ids)
        return NULL;
    const struct identity_row *r = &a->ids[row];
    switch (col) {
    case 0:
        return r->id;
    case 1:
        return r->logins[0] ? r->logins : "(unauthenticated)";
    case 2:
        format_time(r->created, buf, cap);
        return buf;
    default:
        format_time(r->modified, buf, cap);
        return buf;
    }
}

static int id_compare(void *ctx, size_t x, size_t y, int col)
{
    struct app *a = ctx;
    const struct identity_row *p = &a->ids[x], *q = &a->ids[y];
    switch (col) {
    case 0:
        return strcmp(p->id, q->id);
    case 1:
        return strcmp(p->logins, q->logins);
    case 2:
        return (p->created > q->created) - (p->created < q->created);
    default:
        return (p->modified > q->modified) - (p->modified < q->modified);
    }
}

struct table *identities_table(struct app *a)
{
    if (!a->ids_table) {
        static const struct table_column cols[] = {
            {"Identity id", 46, 0, 0, TABLE_LEFT, true},
            {"Linked logins", 14, 1, 0, TABLE_LEFT, true},
            {"Created (UTC)", 16, 0, 96, TABLE_LEFT, true},
            {"Modified (UTC)", 16, 0, 116, TABLE_LEFT, true},
        };
        struct table_source src = {.ctx = a, .cell = id_cell, .compare = id_compare};
        a->ids_table = table_new(cols, 4, &src);
    }
    return a->ids_table;
}

static size_t synced_n = (size_t)-1;
static bool synced_more;

void identities_loaded(struct app *a)
{
    struct table *t = identities_table(a);
    bool more = !a->ids_pg.complete;
    if (t && (synced_n != a->n_ids || synced_more != more)) {
        table_set_rows(t, a->n_ids, more);
        synced_n = a->n_ids;
        synced_more = more;
    }
    a->dirty = true;
}

static void ids_draw(struct app *a, int top, int height)
{
    struct table *t = identities_table(a);
    if (!t)
        return;
    identities_loaded(a);
    char title[400];
    const char *dot = theme_glyph(GLYPH_DOT);
    snprintf(title, sizeof title, "Pool %s (%s) %s %s%s", a->pool_name ? a->pool_name : "",
             a->pool_id ? a->pool_id : "", dot,
             a->hide_disabled ? "disabled identities hidden" : "all identities",
             table_mark_count(t) ? " marked " : "");
    int w = draw_text(stdscr, top, 1, a->cols - 2, title, TEXT_NUL, ROLE_TITLE, TEXT_ELLIPSIS);
    if (table_mark_count(t)) {
        char m[64];
        snprintf(m, sizeof m, "%zu", table_mark_count(t));
        draw_text(stdscr, top, 1 + w, a->cols - 2 - w, m, TEXT_NUL, ROLE_MARKED, 0);
    }
    int used = 1;
    if (a->ids_pg.error[0]) {
        draw_text(stdscr, top + 1, 1, a->cols - 2, a->ids_pg.error, TEXT_NUL,
                  a->n_ids ? ROLE_WARNING : ROLE_ERROR, TEXT_ELLIPSIS);
        used = 2;
    }
    table_set_empty_text(t, a->ids_pg.loading    ? "Loading identities..."
                            : a->ids_pg.complete ? "No identities in this pool."
                                                 : "");
    widget_place(table_widget(t), top + used, 0, height - used, a->cols);
    widget_draw(table_widget(t), stdscr);
}

static void desc_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    (void)err;
    if ((unsigned)(uintptr_t)ctx == a->generation && out) {
        json_object_put(a->pool_desc);
        a->pool_desc = out;
        return;
    }
    json_object_put(out);
}

static void ids_enter(struct app *a)
{
    identities_table(a);
    identities_start(a);
    /* The pool's settings prefill the developer-identity forms; in the
     * background, a failure only leaves those fields empty. */
    static unsigned asked_gen = (unsigned)-1;
    if (!a->pool_desc && a->pool_id && asked_gen != a->generation) {
        asked_gen = a->generation;
        json_object *in = json_object_new_object();
        json_object_object_add(in, "IdentityPoolId", json_object_new_string(a->pool_id));
        struct api_error err;
        app_call(a, "DescribeIdentityPool", in, desc_done, (void *)(uintptr_t)a->generation, 0,
                 NULL, &err);
    }
}

static void ids_reset_all(struct app *a)
{
    identities_reset(a);
    table_delete(a->ids_table);
    a->ids_table = NULL;
    synced_n = (size_t)-1;
}

static bool ids_action(struct app *a, enum action act)
{
    struct table *t = identities_table(a);
    if (!t)
        return false;
    int nav = screen_nav_key(act);
    int r = 0;
    if (nav)
        r = widget_handle(table_widget(t), nav);
    switch (act) {
    case ACT_MARK:
        r = widget_handle(table_widget(t), ' ');
        break;
    case ACT_MARK_ALL:
        table_mark_all(t);
        app_status(a, STATUS_INFO, "%zu identities marked.", table_mark_count(t));
        break;
    case ACT_CLEAR_MARKS:
        table_clear_marks(t);
        break;
    case ACT_LOAD_ALL:
        identities_load_all(a);
        break;
    case ACT_HIDE_DISABLED:
        a->hide_disabled = !a->hide_disabled;
        ids_reset_all(a);
        ids_enter(a);
        app_status(a, STATUS_INFO, "%s",
                   a->hide_disabled ? "Disabled identities hidden." : "Showing all identities.");
        break;
    case ACT_OPEN: {
        size_t row = table_cursor(t);
        if (row == TABLE_NONE) {
            /* On the "more..." row. */
            identities_more(a);
            break;
        }
        if (row < a->n_ids)
            identity_show_detail(a, a->ids[row].id);
        break;
    }
    case ACT_IDENTITIES_DELETE:
        identities_confirm_delete(a);
        break;
    case ACT_LOOKUP_DEVELOPER:
        identity_form_lookup(a);
        break;
    case ACT_MERGE_DEVELOPER:
        identity_form_merge(a);
        break;
    case ACT_UNLINK_DEVELOPER:
        identity_form_unlink_developer(a);
        break;
    case ACT_UNLINK_IDENTITY:
        identity_form_unlink(a);
        break;
    default:
        if (!nav)
            return false;
    }
    if (r & WR_PAGE)
        identities_more(a);
    return true;
}

const char *identities_selected(struct app *a)
{
    struct table *t = identities_table(a);
    size_t row = t ? table_cursor(t) : TABLE_NONE;
    return row != TABLE_NONE && row < a->n_ids ? a->ids[row].id : NULL;
}

const struct pane_ops pane_identities_ops = {
    .title = "Identities",
    .scope = SCOPE_IDENTITIES,
    .enter = ids_enter,
    .draw = ids_draw,
    .action = ids_action,
    .reset = ids_reset_all,
};
