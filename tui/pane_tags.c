/* tui/pane_tags.c — the Tags pane: the selected pool's tags, add (TagResource)
 * and remove (UntagResource, confirmed).
 *
 * Tagging names the pool by ARN, which holds the account id: it comes from
 * app_account_id() (AWS_ACCOUNT_ID, the profile's aws_account_id, else STS
 * GetCallerIdentity), so the admin is not asked. Only when that fails (the
 * pane says why) are the tags read from DescribeIdentityPool instead of
 * ListTagsForResource, and the tag form asks for the account id once. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/arn.h"
#include "tui/app.h"
#include "tui/screen.h"
#include "tui/views.h"
#include "widgets/table.h"
#include "widgets/text.h"

struct tag_row {
    const char *key, *value;
};

static struct tag_row *rows;
static size_t n_rows;

static void rebuild_rows(struct app *a)
{
    free(rows);
    rows = NULL;
    n_rows = 0;
    size_t n = a->tags ? (size_t)json_object_object_length(a->tags) : 0;
    if (n && (rows = calloc(n, sizeof *rows))) {
        json_object_object_foreach(a->tags, k, v)
        {
            rows[n_rows].key = k;
            rows[n_rows].value = json_object_get_string(v);
            n_rows++;
        }
    }
    if (a->tags_table)
        table_reload(a->tags_table, n_rows, false);
    a->dirty = true;
}

static const char *tag_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    (void)ctx;
    (void)buf;
    (void)cap;
    if (row >= n_rows)
        return NULL;
    return col == 0 ? rows[row].key : rows[row].value;
}

static char *pool_arn(struct app *a, const char *account)
{
    char buf[600];
    if (api_pool_arn(a->cfg.region, account, a->pool_id, buf, sizeof buf) < 0)
        return NULL;
    return app_strdup(buf);
}

static void tags_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    unsigned gen = (unsigned)(uintptr_t)ctx;
    if (gen != a->generation) {
        json_object_put(out);
        return;
    }
    a->tags_loading = false;
    if (!out) {
        app_describe_error(err, a->tags_error, sizeof a->tags_error);
        return;
    }
    json_object *t;
    json_object_put(a->tags);
    a->tags = NULL;
    /* ListTagsForResource answers Tags; DescribeIdentityPool IdentityPoolTags. */
    if (json_object_object_get_ex(out, "Tags", &t) ||
        json_object_object_get_ex(out, "IdentityPoolTags", &t))
        a->tags = json_object_get(t);
    if (!a->tags)
        a->tags = json_object_new_object();
    a->tags_error[0] = '\0';
    json_object_put(out);
    rebuild_rows(a);
}

static void tags_load(struct app *a)
{
    if (!a->pool_id || a->tags_loading)
        return;
    json_object *in = json_object_new_object();
    const char *op = "DescribeIdentityPool";
    const char *account = app_account_id(a);
    if (account) {
        char *arn = pool_arn(a, account);
        json_object_object_add(in, "ResourceArn", json_object_new_string(arn ? arn : ""));
        free(arn);
        op = "ListTagsForResource";
    } else {
        json_object_object_add(in, "IdentityPoolId", json_object_new_string(a->pool_id));
    }
    struct api_error err;
    if (app_call(a, op, in, tags_done, (void *)(uintptr_t)a->generation, APP_CALL_FOREGROUND,
                 "Reading tags", &err))
        a->tags_loading = true;
    else
        app_describe_error(&err, a->tags_error, sizeof a->tags_error);
}

static struct table *tags_table(struct app *a)
{
    if (!a->tags_table) {
        static const struct table_column cols[] = {
            {"Key", 20, 1, 0, TABLE_LEFT, true},
            {"Value", 20, 2, 0, TABLE_LEFT, true},
        };
        struct table_source src = {.ctx = a, .cell = tag_cell};
        a->tags_table = table_new(cols, 2, &src);
        if (a->tags_table)
            table_set_rows(a->tags_table, n_rows, false);
    }
    return a->tags_table;
}

static void tags_enter(struct app *a)
{
    tags_table(a);
    if (!a->tags && !a->tags_loading)
        tags_load(a);
}

static void tags_draw(struct app *a, int top, int height)
{
    char title[400];
    snprintf(title, sizeof title, "Tags of pool %s (%s)", a->pool_name ? a->pool_name : "",
             a->pool_id ? a->pool_id : "");
    draw_text(stdscr, top, 1, a->cols - 2, title, TEXT_NUL, ROLE_TITLE, TEXT_ELLIPSIS);
    int used = 1;
    if (a->tags_error[0]) {
        draw_text(stdscr, top + used, 1, a->cols - 2, a->tags_error, TEXT_NUL, ROLE_ERROR,
                  TEXT_ELLIPSIS);
        used++;
    }
    if (!a->account_id && a->account_error[0]) {
        char note[900];
        /* What to do first: the reason may be long and is cut after 3 lines. */
        snprintf(note, sizeof note,
                 "Account id unknown: set AWS_ACCOUNT_ID or aws_account_id, then r (tags read "
                 "from DescribeIdentityPool meanwhile). %s",
                 a->account_error);
        size_t len = strlen(note), off = 0, next;
        for (int line = 0; line < 3 && off < len && used < height - 2; line++) {
            size_t n = text_wrap(note + off, len - off, a->cols - 2, &next);
            draw_text(stdscr, top + used, 1, a->cols - 2, note + off, line < 2 ? n : len - off,
                      ROLE_WARNING, TEXT_ELLIPSIS);
            used++;
            if (next == 0)
                break;
            off += next;
        }
    }
    struct table *t = tags_table(a);
    if (!t)
        return;
    table_set_empty_text(t, a->tags_loading ? "Loading tags..." : "No tags. a adds one.");
    widget_place(table_widget(t), top + used, 0, height - used, a->cols);
    widget_draw(table_widget(t), stdscr);
}

static void tags_reset(struct app *a)
{
    json_object_put(a->tags);
    a->tags = NULL;
    a->tags_loading = false;
    a->tags_error[0] = '\0';
    free(rows);
    rows = NULL;
    n_rows = 0;
    table_delete(a->tags_table);
    a->tags_table = NULL;
}

static void tags_after(struct app *a, json_object *out, const char *label)
{
    (void)out;
    (void)label;
    tags_reset(a);
    tags_enter(a);
}

static const char *validate_account(void *ctx, const char *v)
{
    (void)ctx;
    if (strlen(v) != 12)
        return "12 digits";
    for (const char *c = v; *c; c++)
        if (!isdigit((unsigned char)*c))
            return "12 digits";
    return NULL;
}

/* A guess for the account id: the account of the pool's role ARNs
 * (arn:aws:iam::ACCOUNT:role/...), when the Roles pane has them. The admin
 * sees it in the form and may correct it. */
static void account_from_roles(struct app *a, char *buf, size_t cap)
{
    json_object *roles;
    if (!a->roles || !json_object_object_get_ex(a->roles, "Roles", &roles))
        return;
    json_object_object_foreach(roles, k, v)
    {
        (void)k;
        if (api_account_from_arn(json_object_get_string(v), buf, cap, NULL, 0))
            return;
    }
}

static bool tag_submit(struct app *a, struct view *v, void *ctx)
{
    (void)ctx;
    struct form *f = views_form_of(v);
    const char *acct = a->account_id ? a->account_id : form_text(f, "AccountId");
    if (!a->account_id && acct && *acct)
        a->account_id = app_strdup(acct);
    json_object *in = json_object_new_object(), *tags = json_object_new_object();
    char *arn = pool_arn(a, acct ? acct : "");
    json_object_object_add(in, "ResourceArn", json_object_new_string(arn ? arn : ""));
    free(arn);
    json_object_object_add(tags, form_text(f, "Key"),
                           json_object_new_string(form_text(f, "Value")));
    json_object_object_add(in, "Tags", tags);
    form_set_error(f, NULL, NULL);
    views_form_send(a, views_serial(v), "TagResource", in, "Tag", tags_after);
    return false;
}

static void tag_add(struct app *a)
{
    struct form *f = form_new("Add or change a tag");
    if (!f)
        return;
    form_add_text(f, "Key", "Key", "", FORM_REQUIRED, NULL, NULL);
    form_set_hint(f, "Key", "1-128 characters; an existing key gets the new value");
    form_add_text(f, "Value", "Value", "", 0, NULL, NULL);
    if (!app_account_id(a)) {
        /* The fallback: the account could not be found, so the admin says it. */
        char guess[16] = "";
        account_from_roles(a, guess, sizeof guess);
        form_add_text(f, "AccountId", "Account id (for the pool's ARN)", guess, FORM_REQUIRED,
                      validate_account, NULL);
        form_set_hint(f, "AccountId", "not found (the Tags pane says why); asked once");
    }
    views_form(a, f, tag_submit, NULL, NULL);
}

struct untag {
    char *key;
};

static void untag_free(void *p)
{
    struct untag *u = p;
    free(u->key);
    free(u);
}

static void untag_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    char *key = ctx;
    if (!out) {
        if (err->kind != API_ERR_CANCELLED)
            views_error(a, "Remove tag", err);
    } else {
        app_status(a, STATUS_OK, "Tag %s removed.", key);
        json_object_put(out);
        tags_after(a, NULL, NULL);
    }
    free(key);
}

static bool untag_ok(struct app *a, struct view *v, void *ctx)
{
    (void)v;
    struct untag *u = ctx;
    json_object *in = json_object_new_object(), *keys = json_object_new_array();
    char *arn = pool_arn(a, a->account_id);
    json_object_object_add(in, "ResourceArn", json_object_new_string(arn ? arn : ""));
    free(arn);
    json_object_array_add(keys, json_object_new_string(u->key));
    json_object_object_add(in, "TagKeys", keys);
    char *key = app_strdup(u->key);
    struct api_error err;
    if (!app_call(a, "UntagResource", in, untag_done, key, APP_CALL_FOREGROUND, "Removing tag",
                  &err)) {
        views_error(a, "Remove tag", &err);
        free(key);
    }
    return true;
}

static void tag_remove(struct app *a)
{
    size_t row = a->tags_table ? table_cursor(a->tags_table) : TABLE_NONE;
    if (row == TABLE_NONE || row >= n_rows) {
        app_status(a, STATUS_WARN, "No tag selected.");
        return;
    }
    if (!app_account_id(a)) {
        app_status(a, STATUS_WARN,
                   "The account id is not known (%.300s): add a tag once (it asks), or set "
                   "AWS_ACCOUNT_ID or aws_account_id.",
                   a->account_error[0] ? a->account_error : "not found");
        return;
    }
    struct untag *u = calloc(1, sizeof *u);
    if (!u)
        return;
    u->key = app_strdup(rows[row].key);
    char text[700];
    snprintf(text, sizeof text, "Remove the tag \"%s\" (value \"%s\") from pool \"%s\"?",
             rows[row].key, rows[row].value ? rows[row].value : "",
             a->pool_name ? a->pool_name : "");
    views_dialog(a, dialog_confirm("Remove tag", text, "Remove"), untag_ok, NULL, u, untag_free);
}

static bool tags_action(struct app *a, enum action act)
{
    struct table *t = tags_table(a);
    int nav = screen_nav_key(act);
    if (nav) {
        if (t)
            widget_handle(table_widget(t), nav);
        return true;
    }
    switch (act) {
    case ACT_TAG_ADD:
        tag_add(a);
        return true;
    case ACT_TAG_REMOVE:
        tag_remove(a);
        return true;
    case ACT_OPEN:
        return true;
    default:
        return false;
    }
}

const struct pane_ops pane_tags_ops = {
    .title = "Tags",
    .scope = SCOPE_TAGS,
    .enter = tags_enter,
    .draw = tags_draw,
    .action = tags_action,
    .reset = tags_reset,
};
