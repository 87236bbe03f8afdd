/* tui/view_result.c — the result view class (tui/view_result.h). */
#include "tui/view_result.h"

#include <stdlib.h>
#include <string.h>

#include "tui/atomic_file.h"
#include "tui/view_dialog.h"

struct result_view {
    struct view base;
    json_object *items;
    size_t next; /* the item result-open opens next */
    void (*open)(struct app *a, const char *item);
    char *save_text, *save_what;
};

/* The save question's own copy: the result view may close meanwhile. */
struct save_ask {
    struct dialog *d;
    char *text, *what;
};

static void save_ask_free(void *p)
{
    struct save_ask *s = p;
    free(s->text);
    free(s->what);
    free(s);
}

static unsigned save_ok(struct app *a, struct view *v, void *ctx)
{
    (void)v;
    struct save_ask *s = ctx;
    const char *path = dialog_typed(s->d);
    char why[600] = "";
    struct atomic_file *af = atomic_file_open(path, why, sizeof why);
    if (af) {
        FILE *f = atomic_file_stream(af);
        if (fputs(s->text, f) == EOF) {
            snprintf(why, sizeof why, "%s: cannot write", path);
            atomic_file_abort(af);
        } else if (atomic_file_commit(af, why, sizeof why) == 0) {
            app_status(a, STATUS_OK, "Saved %s to %s.", s->what, path);
            return RES_CLOSE;
        }
    }
    view_message(a, "Not saved", why);
    return RES_CLOSE;
}

static void ask_save(struct app *a, struct result_view *rv)
{
    struct save_ask *s = calloc(1, sizeof *s);
    char text[300];
    snprintf(text, sizeof text, "Write %s to a file (one a line, replaced whole if it exists).",
             rv->save_what);
    if (s) {
        s->text = app_strdup(rv->save_text);
        s->what = app_strdup(rv->save_what);
        s->d = dialog_input("Save to a file", text, "Save", "File:", false);
    }
    if (!s || !s->text || !s->what || !s->d) {
        if (s)
            dialog_delete(s->d);
        if (s)
            save_ask_free(s);
        app_status(a, STATUS_ERROR, "Out of memory: nothing saved.");
        return;
    }
    view_dialog_open(a, s->d, save_ok, NULL, s, save_ask_free);
}

static bool result_offers(const struct view *v, enum action act)
{
    const struct result_view *rv = (const struct result_view *)v;
    if (act == ACT_RESULT_OPEN)
        return rv->open && rv->items && json_object_array_length(rv->items) > 0;
    if (act == ACT_RESULT_SAVE)
        return rv->save_text != NULL;
    return true;
}

static unsigned result_action(struct view *v, struct app *a, enum action act)
{
    struct result_view *rv = (struct result_view *)v;
    int nav = view_nav_key(act);
    if (nav) {
        widget_handle(v->w, nav);
        return RES_HANDLED | RES_REDRAW;
    }
    switch (act) {
    case ACT_BACK:
    case ACT_CANCEL:
        return RES_HANDLED | RES_CLOSE;
    case ACT_RESULT_OPEN:
        if (!result_offers(v, act)) /* nothing to open: Enter is OK, as in a dialog */
            return RES_HANDLED | RES_CLOSE;
        if (rv->next >= json_object_array_length(rv->items))
            rv->next = 0;
        rv->open(a, json_object_get_string(json_object_array_get_idx(rv->items, rv->next++)));
        return RES_HANDLED | RES_REDRAW;
    case ACT_RESULT_SAVE:
        if (result_offers(v, act))
            ask_save(a, rv);
        return RES_HANDLED | RES_REDRAW;
    default:
        return 0;
    }
}

static unsigned result_key(struct view *v, struct app *a, int key)
{
    (void)a;
    return widget_handle(v->w, key) & WR_REDRAW ? RES_HANDLED | RES_REDRAW : 0;
}

static void result_free(struct view *v)
{
    struct result_view *rv = (struct result_view *)v;
    json_object_put(rv->items);
    free(rv->save_text);
    free(rv->save_what);
    view_release(v);
    free(v);
}

static const struct view_ops result_ops = {
    .name = "result",
    .scope = SCOPE_RESULT,
    .action = result_action,
    .key = result_key,
    .offers = result_offers,
    .free = result_free,
};

struct view *view_result_open(struct app *a, struct detail *d, struct view_result_opts *o)
{
    struct result_view *rv = d ? calloc(1, sizeof *rv) : NULL;
    if (rv && o) {
        rv->items = o->open_items;
        rv->open = o->open;
        rv->save_text = o->save_text;
        rv->save_what = o->save_text ? app_strdup(o->save_what ? o->save_what : "the list") : NULL;
    } else if (o) {
        json_object_put(o->open_items);
        free(o->save_text);
    }
    if (o)
        memset(o, 0, sizeof *o);
    return view_push(a, rv ? &rv->base : NULL, &result_ops, d ? detail_widget(d) : NULL, NULL,
                     NULL);
}
