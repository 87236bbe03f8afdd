/* tui/form_send.h — sending what a form describes: the one path for every
 * form (and dialog) that changes something.
 *
 * form_send(): `input` (taken) goes out as `op` in the foreground. While it
 * is in flight the form stays open with everything typed. On success the
 * form (found again by its serial: it may be closed meanwhile) closes, the
 * status line says "LABEL: done.", after() runs with the answer, and the
 * pane the form was opened over is reloaded (app_reload_pane with the
 * view's origin). On failure the form stays and shows the error under the
 * field it names, or above the buttons (an error dialog when the form was
 * closed meanwhile); nothing typed is lost.
 *
 * form_confirm_send(): the same behind a confirmation dialog (it says what
 * will be destroyed, "There is no undo.", starts on Cancel).
 *
 * `after` may be NULL; `ctx` is handed to it and then freed with free_ctx
 * (also when the call is refused or fails). */
#ifndef TUI_FORM_SEND_H
#define TUI_FORM_SEND_H

#include <json-c/json.h>

#include "tui/app.h"
#include "tui/view.h"
#include "widgets/form.h"

typedef void (*form_after_fn)(struct app *a, json_object *out, void *ctx);

struct form_send_opts {
    const char *op;
    const char *label; /* status line and error titles: "Create pool" */
    form_after_fn after;
    void *ctx;
    void (*free_ctx)(void *ctx);
};

void form_send(struct app *a, struct view *form, json_object *input,
               const struct form_send_opts *o);
void form_confirm_send(struct app *a, struct view *form, json_object *input,
                       const struct form_send_opts *o, const char *title, const char *text);

/* A refused or failed submit shown in form f: under the field the error
 * names (form keys are the model's member names) or above the buttons. */
void form_show_error(struct form *f, const struct api_error *err);

/* The top-level member an error's field names ("Logins.x" -> "Logins"). */
char *form_error_key(const char *field, char *buf, size_t size);

#endif
