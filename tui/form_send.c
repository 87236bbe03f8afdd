/* tui/form_send.c — sending a form's request (tui/form_send.h). */
#include "tui/form_send.h"

#include <stdlib.h>
#include <string.h>

#include "api/lost_update.h"
#include "tui/change_picture.h"
#include "tui/outcome_check.h"
#include "tui/view_dialog.h"
#include "tui/view_form.h"
#include "tui/view_result.h"

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
    json_object *input; /* to send; NULL once handed to app_call */
    json_object *sent;  /* what was sent, for the check after an unknown outcome */
    json_object *before, *original;
    bool list_pools_first;
    void (*open_pool)(struct app *a, const char *pool_id);
    void (*rebase)(struct view *form, json_object *theirs);
    form_after_fn after;
    void *ctx;
    void (*free_ctx)(void *);
    struct sending *next_in_flight;
    bool in_flight;
};

/* The changes on their way, from send until settled (answered, failed, or
 * checked after an unknown outcome). A form with one of them refuses a
 * second submit, so one form never sends a change again while the first
 * one's outcome is open (issue 11: no doubled writes). Everything runs on
 * the event loop's thread. */
static struct sending *in_flight;

static bool form_busy(unsigned serial)
{
    for (struct sending *s = in_flight; serial && s; s = s->next_in_flight)
        if (s->serial == serial)
            return true;
    return false;
}

static void in_flight_add(struct sending *s)
{
    s->next_in_flight = in_flight;
    in_flight = s;
    s->in_flight = true;
}

static void in_flight_remove(struct sending *s)
{
    for (struct sending **p = &in_flight; s->in_flight && *p; p = &(*p)->next_in_flight)
        if (*p == s) {
            *p = s->next_in_flight;
            break;
        }
    s->in_flight = false;
}

/* Refuses a second send from a form whose first one is not settled. */
static bool refused_while_busy(struct app *a, struct view *form, json_object *input,
                               const struct form_send_opts *o)
{
    if (!form_busy(view_serial(form)))
        return false;
    struct form *f = view_form_of(form);
    const char *why = "Sent already: waiting for its answer (Esc stops waiting); not sent again.";
    if (f)
        form_set_error(f, NULL, why);
    app_status(a, STATUS_WARN, "%s: %s", o->label, why);
    json_object_put(input);
    if (o->free_ctx)
        o->free_ctx(o->ctx);
    return true;
}

static void sending_free(void *p)
{
    struct sending *s = p;
    if (!s)
        return;
    in_flight_remove(s);
    free(s->op);
    free(s->label);
    json_object_put(s->input);
    json_object_put(s->sent);
    json_object_put(s->before);
    json_object_put(s->original);
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

/* The check after an unknown outcome said what it found. */
static void checked(struct app *a, enum outcome_verdict verdict, void *ctx)
{
    struct sending *s = ctx;
    struct view *v = s->gen == a->profile_gen ? view_find(a, s->serial) : NULL;
    struct form *f = view_form_of(v);
    if (verdict == OUTCOME_APPLIED) {
        if (f)
            view_close(a, v);
        app_status(a, STATUS_OK, "%s: applied (the answer was lost; the check shows it).",
                   s->label);
        if (s->after && s->gen == a->profile_gen)
            s->after(a, NULL, s->ctx);
        if (s->gen == a->profile_gen)
            app_reload_pane(a, s->origin);
    } else {
        const char *what = verdict == OUTCOME_NOT_APPLIED
                               ? "Not applied as sent (checked): submit again to send it."
                               : "Outcome still unknown: see what the check found before "
                                 "submitting again.";
        if (f)
            form_set_error(f, NULL, what);
        app_status(a, STATUS_WARN, "%s: %s", s->label, what);
    }
    sending_free(s);
}

static void sent(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct sending *s = ctx;
    if (!out && err->outcome_unknown && s->gen == a->profile_gen) {
        failed(a, s, err);
        outcome_check_start(a, s->op, s->label, s->sent, s->before, s->open_pool, checked, s);
        return;
    }
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
    s->sent = json_object_get(in);
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
    s->list_pools_first = o->list_pools_first;
    s->open_pool = o->open_pool;
    s->original = json_object_get(o->original);
    s->rebase = o->rebase;
    return s;
}

static void pools_listed(struct app *a, json_object *ids, void *ctx)
{
    struct sending *s = ctx;
    s->before = ids;
    start(a, s);
}

/* Sends, after listing the pools first when asked to. */
static void send_now(struct app *a, struct sending *s)
{
    if (s->list_pools_first)
        outcome_pools_before(a, pools_listed, s);
    else
        start(a, s);
}

/* The fresh read before a whole-resource write: send only when nothing
 * changed since the form's original. */
static void fresh_read(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct sending *s = ctx;
    if (!out) {
        failed(a, s, err); /* nothing was sent */
        sending_free(s);
        return;
    }
    bool stale = false;
    json_object *items = api_lost_update_compare(s->op, s->original, s->input, out, &stale);
    if (items && !stale) {
        json_object_put(items);
        json_object_put(out);
        send_now(a, s);
        return;
    }
    struct view *v = s->gen == a->profile_gen ? view_find(a, s->serial) : NULL;
    struct form *f = view_form_of(v);
    if (v && f && items) {
        if (s->rebase)
            s->rebase(v, out);
        char title[200];
        snprintf(title, sizeof title, "%s: changed by someone else since the form was read",
                 s->label);
        struct detail *d = detail_new(title);
        if (d) {
            detail_add_section(d, "Nothing was sent");
            detail_add_line(d, 1, "Sending now would undo what someone else changed.",
                            ROLE_WARNING);
            detail_add_line(d, 1, "Back in the form, submit again to see your changes against",
                            ROLE_NORMAL);
            detail_add_line(d, 1, "what is there now, or change the form first.", ROLE_NORMAL);
            detail_add_section(d, "What differs (the original, theirs now, yours)");
            change_picture_add(d, items, PICTURE_THREE_WAY);
            view_result_open(a, d, NULL);
        }
        form_set_error(f, NULL,
                       "Changed meanwhile by someone else: nothing sent. Submit to review.");
        app_status(a, STATUS_WARN, "%s: not sent; it changed since the form was read.", s->label);
    } else if (!items) {
        app_status(a, STATUS_ERROR, "%s: not sent (out of memory).", s->label);
    }
    json_object_put(items);
    json_object_put(out);
    sending_free(s);
}

/* Sends s: a fresh read first when the form has an original to compare. */
static void send_checked(struct app *a, struct sending *s)
{
    if (s->serial)
        in_flight_add(s);
    const char *read_op = NULL;
    json_object *read_in = NULL;
    struct api_error err;
    api_error_clear(&err);
    if (!s->original || api_lost_update_read(s->op, s->input, &read_op, &read_in, &err) != 0) {
        send_now(a, s);
        return;
    }
    char label[160];
    snprintf(label, sizeof label, "%s: reading it again before sending", s->label);
    if (!app_call(a, read_op, read_in, fresh_read, s, APP_CALL_FOREGROUND, label, &err)) {
        failed(a, s, &err);
        sending_free(s);
    }
}

void form_send(struct app *a, struct view *form, json_object *input, const struct form_send_opts *o)
{
    if (refused_while_busy(a, form, input, o))
        return;
    struct form *f = view_form_of(form);
    if (f)
        form_set_error(f, NULL, NULL);
    struct sending *s = sending_new(a, form, input, o);
    if (s)
        send_checked(a, s);
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
    go->sent = NULL;
    go->before = NULL;
    go->original = json_object_get(s->original);
    go->in_flight = false;
    go->next_in_flight = NULL;
    s->ctx = NULL;
    s->free_ctx = NULL;
    send_checked(a, go);
    return RES_CLOSE;
}

void form_confirm_send(struct app *a, struct view *form, json_object *input,
                       const struct form_send_opts *o, const char *title, const char *text)
{
    if (refused_while_busy(a, form, input, o))
        return;
    struct form *f = view_form_of(form);
    if (f)
        form_set_error(f, NULL, NULL);
    struct sending *s = sending_new(a, form, input, o);
    if (s)
        view_dialog_open(a, dialog_confirm(title, text, o->label), confirmed, NULL, s,
                         sending_free);
}
