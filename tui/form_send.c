/* tui/form_send.c — sending a form's request (tui/form_send.h). */
#include "tui/form_send.h"

#include <stdlib.h>
#include <string.h>

#include "tui/view_dialog.h"
#include "tui/view_form.h"

char *form_error_key(const char *field, char *buf, size_t size)
{
    size_t n = strcspn(field ? field : "", ".[{");
    if (n >= size)
        n = size - 1;
    memcpy(buf, field ? field : "", n);
    buf[n] = '\0';
    return buf;
}

void form_show_error(struct form *f, const struct api_error *err)
{
    char msg[700], key[128];
    app_describe_error(err, msg, sizeof msg);
    form_error_key(err->field, key, sizeof key);
    if (key[0] && form_field_index(f, key) >= 0) {
        form_set_error(f, key, msg);
        form_set_error(f, NULL, "The service refused a value: see the message under the field.");
    } else {
        form_set_error(f, NULL, msg);
    }
}

struct sending {
    unsigned serial, gen;
    enum pane_id origin;
    char *op, *label;
    json_object *input;
    form_after_fn after;
    void *ctx;
    void (*free_ctx)(void *);
};

static void sending_free(void *p)
{
    struct sending *s = p;
    if (!s)
        return;
    free(s->op);
    free(s->label);
    json_object_put(s->input);
    if (s->free_ctx)
        s->free_ctx(s->ctx);
    free(s);
}

static void failed(struct app *a, struct sending *s, const struct api_error *err)
{
    struct view *v = s->gen == a->profile_gen ? view_find(a, s->serial) : NULL;
    struct form *f = v ? view_form_of(v) : NULL;
    if (f)
        form_show_error(f, err);
    else if (err->kind != API_ERR_CANCELLED)
        view_error(a, s->label, err);
    app_status_error(a, s->label, err);
}

static void sent(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct sending *s = ctx;
    if (!out) {
        failed(a, s, err);
    } else if (s->gen == a->profile_gen) {
        struct view *v = view_find(a, s->serial);
        if (v && view_form_of(v))
            view_close(a, v);
        app_status(a, STATUS_OK, "%s: done.", s->label);
        if (s->after)
            s->after(a, out, s->ctx);
        app_reload_pane(a, s->origin);
    }
    json_object_put(out);
    sending_free(s);
}

static void start(struct app *a, struct sending *s)
{
    struct api_error err;
    json_object *in = s->input;
    s->input = NULL;
    if (!app_call(a, s->op, in, sent, s, APP_CALL_FOREGROUND, s->label, &err)) {
        failed(a, s, &err);
        sending_free(s);
    }
}

static struct sending *sending_new(struct app *a, struct view *form, json_object *input,
                                   const struct form_send_opts *o)
{
    struct sending *s = calloc(1, sizeof *s);
    if (!s) {
        json_object_put(input);
        if (o->free_ctx)
            o->free_ctx(o->ctx);
        app_status(a, STATUS_ERROR, "Out of memory: %s not sent.", o->label);
        return NULL;
    }
    s->serial = view_serial(form);
    s->origin = form ? form->origin : a->pane;
    s->gen = a->profile_gen;
    s->op = app_strdup(o->op);
    s->label = app_strdup(o->label);
    s->input = input;
    s->after = o->after;
    s->ctx = o->ctx;
    s->free_ctx = o->free_ctx;
    return s;
}

void form_send(struct app *a, struct view *form, json_object *input, const struct form_send_opts *o)
{
    struct form *f = view_form_of(form);
    if (f)
        form_set_error(f, NULL, NULL);
    struct sending *s = sending_new(a, form, input, o);
    if (s)
        start(a, s);
}

static unsigned confirmed(struct app *a, struct view *dialog, void *ctx)
{
    (void)dialog;
    struct sending *s = ctx, *go = calloc(1, sizeof *go);
    if (!go)
        return RES_CLOSE;
    /* The dialog keeps (and frees) its copy; the request takes this one. */
    *go = *s;
    go->op = app_strdup(s->op);
    go->label = app_strdup(s->label);
    go->input = json_object_get(s->input);
    s->ctx = NULL;
    s->free_ctx = NULL;
    start(a, go);
    return RES_CLOSE;
}

void form_confirm_send(struct app *a, struct view *form, json_object *input,
                       const struct form_send_opts *o, const char *title, const char *text)
{
    struct form *f = view_form_of(form);
    if (f)
        form_set_error(f, NULL, NULL);
    struct sending *s = sending_new(a, form, input, o);
    if (s)
        view_dialog_open(a, dialog_confirm(title, text, o->label), confirmed, NULL, s,
                         sending_free);
}
