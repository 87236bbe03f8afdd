/* tui/pane_tags.c — the Tags pane: the followed pool's tags; add or change
 * and remove are tui/tag_forms.h.
 *
 * Tagging names the pool by ARN, which holds the account id: it comes from
 * app_account_find() (AWS_ACCOUNT_ID, the profile's aws_account_id, else
 * STS GetCallerIdentity), in the background: the pane says it is finding it,
 * the keys work, Esc stops it. Only when that fails
 * (the pane says why) are the tags read from DescribeIdentityPool instead of
 * ListTagsForResource, and the tag form asks for the account id. */
#include <stdlib.h>
#include <string.h>

#include "api/arn.h"
#include "tui/app.h"
#include "tui/json_get.h"
#include "tui/pane.h"
#include "tui/tag_forms.h"
#include "widgets/table.h"
#include "widgets/text.h"

struct tag_row {
    const char *key, *value; /* into `tags` */
};

struct tags_pane {
    struct pane base;
    json_object *tags; /* {"key": "value"} shown, or NULL */
    struct tag_row *rows;
    size_t n;
    struct app_req *req;
    bool asked;   /* read once for this pool */
    bool finding; /* waiting for the account lookup (app_account_find) */
    char error[900];
    struct table *table;
};

static void rebuild_rows(struct tags_pane *tp)
{
    free(tp->rows);
    tp->rows = NULL;
    tp->n = 0;
    size_t n = tp->tags ? (size_t)json_object_object_length(tp->tags) : 0;
    if (n && (tp->rows = calloc(n, sizeof *tp->rows))) {
        json_object_object_foreach(tp->tags, k, v)
        {
            tp->rows[tp->n].key = k;
            tp->rows[tp->n].value =
                json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
            tp->n++;
        }
    }
    table_reload(tp->table, tp->n, false);
}

static const char *tag_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    struct tags_pane *tp = ctx;
    (void)buf;
    (void)cap;
    if (row >= tp->n)
        return NULL;
    return col == 0 ? tp->rows[row].key : tp->rows[row].value;
}

static const char *tag_key(void *ctx, size_t row, char *buf, size_t cap)
{
    struct tags_pane *tp = ctx;
    (void)buf;
    (void)cap;
    return row < tp->n ? tp->rows[row].key : NULL;
}

static void tags_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct tags_pane *tp = ctx;
    tp->req = NULL;
    a->dirty = true;
    if (!out) {
        char why[560];
        app_describe_error(err, why, sizeof why);
        if (err->kind == API_ERR_CANCELLED)
            snprintf(tp->error, sizeof tp->error, "Reading stopped (Esc)%s; r reads again.",
                     tp->tags ? ": the tags shown are from before" : "");
        else
            snprintf(tp->error, sizeof tp->error, "%s%s",
                     tp->tags ? "Refresh failed; the tags shown are from before. " : "", why);
        return;
    }
    /* ListTagsForResource answers Tags; DescribeIdentityPool IdentityPoolTags. */
    json_object *t = jobj(out, "Tags");
    if (!t)
        t = jobj(out, "IdentityPoolTags");
    json_object_put(tp->tags);
    tp->tags = t ? json_object_get(t) : json_object_new_object();
    tp->error[0] = '\0';
    json_object_put(out);
    rebuild_rows(tp);
}

static void load(struct tags_pane *tp, struct app *a)
{
    if (!a->pool_id || tp->req)
        return;
    json_object *in = json_object_new_object();
    const char *op = "DescribeIdentityPool", *account = app_account_id(a);
    char arn[600];
    if (account && api_pool_arn(a->cfg.region, account, a->pool_id, arn, sizeof arn) > 0) {
        json_object_object_add(in, "ResourceArn", json_object_new_string(arn));
        op = "ListTagsForResource";
    } else {
        json_object_object_add(in, "IdentityPoolId", json_object_new_string(a->pool_id));
    }
    struct api_error err;
    tp->asked = true;
    tp->error[0] = '\0';
    tp->req = app_call(a, op, in, tags_done, tp, APP_CALL_FOREGROUND,
                       tp->tags ? "Refreshing tags" : "Reading tags", &err);
    if (!tp->req)
        app_describe_error(&err, tp->error, sizeof tp->error);
}

/* The account lookup ended (found, failed or stopped): read the tags. */
static void account_known(struct app *a, void *ctx)
{
    struct tags_pane *tp = ctx;
    tp->finding = false;
    load(tp, a);
}

static void ask(struct tags_pane *tp, struct app *a)
{
    if (!a->pool_id || tp->req || tp->finding)
        return;
    tp->asked = true;
    if (!app_account_find(a, account_known, tp) && app_account_finding(a)) {
        tp->finding = true; /* account_known reads them */
        return;
    }
    load(tp, a);
}

static struct pane *tags_new(struct app *a)
{
    (void)a;
    struct tags_pane *tp = calloc(1, sizeof *tp);
    if (!tp)
        return NULL;
    static const struct table_column cols[] = {
        {"Key", 20, 1, 0, TABLE_LEFT, true},
        {"Value", 20, 2, 0, TABLE_LEFT, true},
    };
    struct table_source src = {.ctx = tp, .cell = tag_cell, .row_key = tag_key};
    if (!(tp->table = table_new(cols, 2, &src))) {
        free(tp);
        return NULL;
    }
    return &tp->base;
}

static void tags_reset(struct pane *p, struct app *a)
{
    struct tags_pane *tp = (struct tags_pane *)p;
    if (tp->req)
        app_cancel(a, tp->req);
    json_object_put(tp->tags);
    tp->tags = NULL;
    tp->asked = false;
    tp->error[0] = '\0';
    rebuild_rows(tp);
}

static void tags_free(struct pane *p, struct app *a)
{
    struct tags_pane *tp = (struct tags_pane *)p;
    tags_reset(p, a);
    free(tp->rows);
    table_delete(tp->table);
    free(tp);
}

static void tags_enter(struct pane *p, struct app *a)
{
    struct tags_pane *tp = (struct tags_pane *)p;
    if (!tp->asked)
        ask(tp, a);
}

static void tags_draw(struct pane *p, struct app *a)
{
    struct tags_pane *tp = (struct tags_pane *)p;
    int top = a->frame.pane_top, height = a->frame.pane_height, cols = a->frame.cols;
    if (!a->pool_id) {
        pane_note(top + 1, cols, 2, "No pool: highlight one in the Pools pane (1).", ROLE_DIM);
        return;
    }
    char title[400];
    snprintf(title, sizeof title, "Tags of pool %s (%s)", a->pool_name ? a->pool_name : "",
             a->pool_id);
    draw_text(stdscr, top, 1, cols - 2, title, TEXT_NUL, ROLE_TITLE, TEXT_ELLIPSIS);
    int used = 1;
    if (tp->error[0])
        used += pane_note(top + used, cols, 2, tp->error, tp->tags ? ROLE_WARNING : ROLE_ERROR);
    if (!app_account_id(a) && a->account_error[0]) {
        char note[900];
        /* What to do first: the reason may be long and is cut after 3 lines. */
        snprintf(note, sizeof note,
                 "Account id unknown: set AWS_ACCOUNT_ID or aws_account_id, then r (tags read "
                 "from DescribeIdentityPool meanwhile). %s",
                 a->account_error);
        used += pane_note(top + used, cols, height - used - 2 < 3 ? height - used - 2 : 3, note,
                          ROLE_WARNING);
    }
    table_set_empty_text(tp->table, tp->finding ? "Finding the account id (Esc stops)..."
                                    : tp->req   ? "Loading tags..."
                                    : tp->tags  ? "No tags. a adds one."
                                                : "");
    widget_place(table_widget(tp->table), top + used, 0, height - used, cols);
    widget_draw(table_widget(tp->table), stdscr);
}

static unsigned tags_action(struct pane *p, struct app *a, enum action act)
{
    struct tags_pane *tp = (struct tags_pane *)p;
    if (!a->pool_id)
        return 0;
    switch (act) {
    case ACT_TAG_ADD:
        tag_add_form(a, a->pool_id, tp->tags);
        return RES_HANDLED;
    case ACT_TAG_REMOVE: {
        size_t row = table_cursor(tp->table);
        if (row == TABLE_NONE || row >= tp->n) {
            app_status(a, STATUS_WARN, "No tag under the cursor.");
            return RES_HANDLED;
        }
        tag_remove_confirm(a, a->pool_id, a->pool_name, tp->rows[row].key, tp->rows[row].value);
        return RES_HANDLED;
    }
    default:
        return 0;
    }
}

static bool tags_offers(const struct pane *p, const struct app *a, enum action act)
{
    (void)p;
    if (act == ACT_OPEN)
        return false;
    return a->pool_id || act == ACT_BACK;
}

static struct table *tags_table(struct pane *p)
{
    return ((struct tags_pane *)p)->table;
}

static void tags_refresh(struct pane *p, struct app *a)
{
    app_account_retry(a); /* the admin may have fixed what stopped it */
    ask((struct tags_pane *)p, a);
}

const struct pane_ops pane_tags_ops = {
    .new = tags_new,
    .free = tags_free,
    .enter = tags_enter,
    .draw = tags_draw,
    .action = tags_action,
    .offers = tags_offers,
    .table = tags_table,
    .reload = tags_refresh,
    .reset = tags_reset,
};
