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
 * While a change from a form is on its way (sent, or its outcome being
 * checked), a second send from that form is refused with a message in it:
 * one form never sends a change twice before the first one has settled.
 *
 * form_confirm_send(): the same behind a confirmation dialog (it says what
 * will be destroyed, "There is no undo.", starts on Cancel).
 *
 * `after` may be NULL; `ctx` is handed to it and then freed with free_ctx
 * (also when the call is refused or fails).
 *
 * An unknown outcome (issue 11: sent, and no complete answer; also Esc
 * after sending) is never "failed": the form stays, says so, and the
 * change's check runs (tui/outcome_check.h) and shows what it found. When
 * the check proves the change applied, the form closes and after() runs
 * with out NULL (there is no answer); when it proves it was not, or cannot
 * tell, the form stays open with what was typed and says which.
 *
 * Lost updates (issue 11): with `original` set (the read the form was
 * opened from; its write must have a re-read, api/lost_update.h), the
 * resource is read again just before sending. When it changed since
 * `original`, nothing is sent: rebase() gives the form's owner the fresh
 * read (its new original), the three-way picture opens over the form
 * (yours, theirs, the original), and the form asks again: a second submit
 * shows the changes against what is there now. */
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
    /* A create: list the pools before sending, so that after an unknown
     * outcome the check tells the new ones; open_pool (may be NULL) is
     * how the check's view opens one it found. */
    bool list_pools_first;
    void (*open_pool)(struct app *a, const char *pool_id);
    /* Lost updates (borrowed; NULL: sent as it is), and the hook that
     * hands the owner of the form view the fresh read (borrowed: get it). */
    json_object *original;
    void (*rebase)(struct view *form, json_object *theirs);
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
