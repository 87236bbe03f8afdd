/* tui/views.c — views over the panes, each wrapping one widget (tui/views.h). */
#include "tui/views.h"

#include <stdlib.h>
#include <string.h>

#include "tui/screen.h"

struct wview {
    struct view base;
    unsigned serial;
    enum view_kind kind;
    struct widget *w;
    void *obj; /* the struct detail / form / ... behind w */
    view_ok_fn on_ok, on_cancel;
    view_action_fn on_action;
    void *ctx;
    void (*free_ctx)(void *);
};

static bool discard_ok(struct app *a, struct view *v, void *ctx)
{
    (void)v;
    struct view *form = views_find(a, *(unsigned *)ctx);
    if (form)
        views_close(a, form);
    return true;
}

static unsigned next_serial = 1;

static void wview_draw(struct view *v, struct app *a)
{
    struct wview *wv = (struct wview *)v;
    if (wv->kind == VIEW_DIALOG)
        widget_place(wv->w, 0, 0, a->rows - 1, a->cols);
    else
        widget_place(wv->w, screen_pane_top(a), 0, screen_pane_height(a), a->cols);
    widget_draw(wv->w, stdscr);
}

static bool wview_key(struct view *v, struct app *a, int key)
{
    struct wview *wv = (struct wview *)v;
    if (wv->kind == VIEW_DETAIL || wv->kind == VIEW_DIFF) {
        enum action act = keymap_lookup(a->keys, key, SCOPE_DETAIL);
        if (act == ACT_BACK || act == ACT_CANCEL)
            return true;
        if (act == ACT_QUIT) {
            a->quit = true;
            return false;
        }
        if (wv->kind == VIEW_DIFF && key == '\n')
            return wv->on_ok ? wv->on_ok(a, v, wv->ctx) : true;
        int nav = screen_nav_key(act);
        if (nav) {
            widget_handle(wv->w, nav);
            a->dirty = true;
            return false;
        }
        if (act != ACT_NONE && wv->on_action && wv->on_action(a, v, wv->ctx, act)) {
            a->dirty = true;
            return false;
        }
        if (widget_handle(wv->w, key) & WR_REDRAW)
            a->dirty = true;
        return false;
    }
    int r = widget_handle(wv->w, key);
    if (r & (WR_REDRAW | WR_HANDLED))
        a->dirty = true;
    if (wv->kind == VIEW_FORM && (r & WR_CANCEL) && form_modified(wv->obj)) {
        /* Nothing typed is lost by one stray Esc (a form back as it was
         * closes at once). */
        unsigned *serial = malloc(sizeof *serial);
        if (!serial)
            return false;
        *serial = wv->serial;
        /* A question, not a destructive confirm: nothing on the service changes. */
        struct dialog *d = dialog_question(
            "Discard the form?", "Close the form and lose what was typed in it?", "Discard");
        views_dialog(a, d, discard_ok, NULL, serial, free);
        return false;
    }
    if (r & WR_CANCEL) {
        if (wv->on_cancel)
            return wv->on_cancel(a, v, wv->ctx);
        return true;
    }
    if (r & WR_SUBMIT) {
        if (!wv->on_ok)
            return true;
        return wv->on_ok(a, v, wv->ctx);
    }
    if (wv->kind == VIEW_HELP && r == WR_IGNORED) {
        enum action act = keymap_lookup(a->keys, key, SCOPE_DETAIL);
        if (act == ACT_BACK || act == ACT_HELP)
            return true;
    }
    return false;
}

static void wview_free(struct view *v)
{
    struct wview *wv = (struct wview *)v;
    widget_delete(wv->w);
    if (wv->free_ctx)
        wv->free_ctx(wv->ctx);
    free(wv);
}

static const struct view_ops wview_ops = {
    .name = "view",
    .scope = SCOPE_DETAIL,
    .draw = wview_draw,
    .key = wview_key,
    .free = wview_free,
};

static struct view *push(struct app *a, enum view_kind kind, void *obj, struct widget *w,
                         view_ok_fn on_ok, view_ok_fn on_cancel, view_action_fn on_action,
                         void *ctx, void (*free_ctx)(void *))
{
    struct wview *wv = w ? calloc(1, sizeof *wv) : NULL;
    if (!wv) {
        widget_delete(w);
        if (free_ctx)
            free_ctx(ctx);
        app_status(a, STATUS_ERROR, "Out of memory: the view was not opened.");
        return NULL;
    }
    wv->base.ops = &wview_ops;
    wv->serial = next_serial++;
    wv->kind = kind;
    wv->w = w;
    wv->obj = obj;
    wv->on_ok = on_ok;
    wv->on_cancel = on_cancel;
    wv->on_action = on_action;
    wv->ctx = ctx;
    wv->free_ctx = free_ctx;
    app_push_view(a, &wv->base);
    return &wv->base;
}

struct view *views_detail(struct app *a, struct detail *d, view_action_fn on_action, void *ctx,
                          void (*free_ctx)(void *))
{
    return push(a, VIEW_DETAIL, d, d ? detail_widget(d) : NULL, NULL, NULL, on_action, ctx,
                free_ctx);
}

struct view *views_diff(struct app *a, struct diff *d, view_ok_fn on_ok, void *ctx,
                        void (*free_ctx)(void *))
{
    return push(a, VIEW_DIFF, d, d ? diff_widget(d) : NULL, on_ok, NULL, NULL, ctx, free_ctx);
}

struct view *views_dialog(struct app *a, struct dialog *d, view_ok_fn on_ok, view_ok_fn on_cancel,
                          void *ctx, void (*free_ctx)(void *))
{
    return push(a, VIEW_DIALOG, d, d ? dialog_widget(d) : NULL, on_ok, on_cancel, NULL, ctx,
                free_ctx);
}

struct view *views_form(struct app *a, struct form *f, view_ok_fn on_submit, void *ctx,
                        void (*free_ctx)(void *))
{
    return push(a, VIEW_FORM, f, f ? form_widget(f) : NULL, on_submit, NULL, NULL, ctx, free_ctx);
}

struct view *views_help(struct app *a, struct help *h)
{
    return push(a, VIEW_HELP, h, h ? help_widget(h) : NULL, NULL, NULL, NULL, NULL, NULL);
}

unsigned views_serial(const struct view *v)
{
    return ((const struct wview *)v)->serial;
}

struct view *views_find(struct app *a, unsigned serial)
{
    for (struct view *v = a->view; v; v = v->below)
        if (v->ops == &wview_ops && ((struct wview *)v)->serial == serial)
            return v;
    return NULL;
}

void views_close(struct app *a, struct view *v)
{
    for (struct view **p = &a->view; *p; p = &(*p)->below)
        if (*p == v) {
            *p = v->below;
            v->ops->free(v);
            a->dirty = true;
            return;
        }
}

enum view_kind views_kind(const struct view *v)
{
    return ((const struct wview *)v)->kind;
}

struct widget *views_widget(const struct view *v)
{
    return ((const struct wview *)v)->w;
}

struct form *views_form_of(const struct view *v)
{
    const struct wview *wv = (const struct wview *)v;
    return v && v->ops == &wview_ops && wv->kind == VIEW_FORM ? wv->obj : NULL;
}

struct detail *views_detail_of(const struct view *v)
{
    const struct wview *wv = (const struct wview *)v;
    return v && v->ops == &wview_ops && wv->kind == VIEW_DETAIL ? wv->obj : NULL;
}

void views_error(struct app *a, const char *title, const struct api_error *err)
{
    char msg[700];
    app_describe_error(err, msg, sizeof msg);
    struct dialog *d =
        dialog_error(title, msg, err->code[0] ? err->code : api_error_kind_name(err->kind),
                     err->message, err->request_id[0] ? err->request_id : NULL);
    views_dialog(a, d, NULL, NULL, NULL, NULL);
}

void views_message(struct app *a, const char *title, const char *text)
{
    views_dialog(a, dialog_message(title, text), NULL, NULL, NULL, NULL);
}

char *views_field_key(const char *field, char *buf, size_t size)
{
    size_t n = strcspn(field ? field : "", ".[");
    if (n >= size)
        n = size - 1;
    memcpy(buf, field ? field : "", n);
    buf[n] = '\0';
    return buf;
}

/* A refused or failed submit: the form stays with everything typed, the
 * error shown under the field it names (or above the buttons). */
void views_form_error(struct form *f, const struct api_error *err)
{
    char msg[700], key[128];
    app_describe_error(err, msg, sizeof msg);
    views_field_key(err->field, key, sizeof key);
    if (key[0] && form_field_index(f, key) >= 0) {
        form_set_error(f, key, msg);
        form_set_error(f, NULL, "The service refused a value: see the message under the field.");
    } else {
        form_set_error(f, NULL, msg);
    }
}

struct form_send {
    unsigned serial, gen;
    char *op, *label;
    json_object *input;
    views_after_fn after;
};

static void form_send_free(void *p)
{
    struct form_send *s = p;
    if (!s)
        return;
    free(s->op);
    free(s->label);
    json_object_put(s->input);
    free(s);
}

static void form_sent(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct form_send *s = ctx;
    struct view *v = s->gen == a->profile_gen ? views_find(a, s->serial) : NULL;
    if (!out) {
        struct form *f = v ? views_form_of(v) : NULL;
        if (f)
            views_form_error(f, err);
        else if (err->kind != API_ERR_CANCELLED)
            views_error(a, s->label, err);
        app_status_error(a, s->label, err);
    } else {
        if (v)
            views_close(a, v);
        app_status(a, STATUS_OK, "%s: done.", s->label);
        if (s->after && s->gen == a->profile_gen)
            s->after(a, out, s->label);
        json_object_put(out);
    }
    form_send_free(s);
}

static void form_send_start(struct app *a, struct form_send *s)
{
    struct api_error err;
    json_object *in = s->input;
    s->input = NULL;
    if (!app_call(a, s->op, in, form_sent, s, APP_CALL_FOREGROUND, s->label, &err)) {
        struct view *v = views_find(a, s->serial);
        struct form *f = v ? views_form_of(v) : NULL;
        if (f)
            views_form_error(f, &err);
        else
            views_error(a, s->label, &err);
        app_status_error(a, s->label, &err);
        form_send_free(s);
    }
}

static struct form_send *form_send_new(struct app *a, unsigned serial, const char *op,
                                       json_object *input, const char *label, views_after_fn after)
{
    struct form_send *s = calloc(1, sizeof *s);
    if (!s) {
        json_object_put(input);
        return NULL;
    }
    s->serial = serial;
    s->gen = a->profile_gen;
    s->op = app_strdup(op);
    s->label = app_strdup(label);
    s->input = input;
    s->after = after;
    return s;
}

void views_form_send(struct app *a, unsigned form_serial, const char *op, json_object *input,
                     const char *label, views_after_fn after)
{
    struct form_send *s = form_send_new(a, form_serial, op, input, label, after);
    if (s)
        form_send_start(a, s);
}

static bool confirm_ok(struct app *a, struct view *v, void *ctx)
{
    (void)v;
    struct form_send *s = ctx;
    struct form_send *copy =
        form_send_new(a, s->serial, s->op, json_object_get(s->input), s->label, s->after);
    if (copy)
        form_send_start(a, copy);
    return true;
}

void views_form_confirm_send(struct app *a, unsigned form_serial, const char *op,
                             json_object *input, const char *label, const char *title,
                             const char *text, views_after_fn after)
{
    struct form_send *s = form_send_new(a, form_serial, op, input, label, after);
    if (!s)
        return;
    struct dialog *d = dialog_confirm(title, text, label);
    views_dialog(a, d, confirm_ok, NULL, s, form_send_free);
}
