/* tui/views.h — the views the console stacks over its panes, each wrapping
 * one widget (detail, diff, dialog, form, help) and the owner's callbacks.
 *
 * Ownership: a view owns its widget and, through free_ctx, its context; it
 * is freed when closed (app_pop_view / views_close). Callbacks run from the
 * event loop. Because requests finish later, code that acts on a view after
 * an answer keeps its serial (views_serial) and finds it again with
 * views_find; the view may have been closed meanwhile (NULL).
 *
 * Keys: a form and a dialog get every key (typing 'q' types a q); detail,
 * diff and help views go through the key map in SCOPE_DETAIL first (back,
 * navigation, reveal) and hand other keys to their widget.
 */
#ifndef TUI_VIEWS_H
#define TUI_VIEWS_H

#include <stdbool.h>

#include "tui/app.h"
#include "widgets/detail.h"
#include "widgets/dialog.h"
#include "widgets/diff.h"
#include "widgets/form.h"
#include "widgets/help.h"

/* OK, Enter in a diff, a valid form submit. Returns true to close the view. */
typedef bool (*view_ok_fn)(struct app *a, struct view *v, void *ctx);
/* An action key in a detail view. Returns true when handled. */
typedef bool (*view_action_fn)(struct app *a, struct view *v, void *ctx, enum action act);

enum view_kind { VIEW_DETAIL, VIEW_DIFF, VIEW_DIALOG, VIEW_FORM, VIEW_HELP };

struct view *views_detail(struct app *a, struct detail *d, view_action_fn on_action, void *ctx,
                          void (*free_ctx)(void *));
/* Enter sends (on_ok), Esc/q goes back. */
struct view *views_diff(struct app *a, struct diff *d, view_ok_fn on_ok, void *ctx,
                        void (*free_ctx)(void *));
/* on_ok may be NULL (a message). on_cancel may be NULL. */
struct view *views_dialog(struct app *a, struct dialog *d, view_ok_fn on_ok, view_ok_fn on_cancel,
                          void *ctx, void (*free_ctx)(void *));
struct view *views_form(struct app *a, struct form *f, view_ok_fn on_submit, void *ctx,
                        void (*free_ctx)(void *));
struct view *views_help(struct app *a, struct help *h);

/* Each of the above pushes the view and returns it (NULL when out of memory:
 * the widget and ctx are freed, the status line says so). */

unsigned views_serial(const struct view *v);
struct view *views_find(struct app *a, unsigned serial);
void views_close(struct app *a, struct view *v);
enum view_kind views_kind(const struct view *v);
struct widget *views_widget(const struct view *v);
struct form *views_form_of(const struct view *v);     /* NULL unless a form */
struct detail *views_detail_of(const struct view *v); /* NULL unless a detail */

/* Shows an error dialog for err (message with advice, code, request id). */
void views_error(struct app *a, const char *title, const struct api_error *err);
/* A plain message dialog. */
void views_message(struct app *a, const char *title, const char *text);

/* A refused or failed submit: the form stays with everything typed; the
 * message goes under the field the error names (form keys are the model's
 * member names) or above the buttons. */
void views_form_error(struct form *f, const struct api_error *err);

/* The top-level member an error's field names ("Logins.x" -> "Logins"). */
char *views_field_key(const char *field, char *buf, size_t size);

/* Sending from a form: `input` (taken) goes out as `op` in the foreground;
 * on success the form (found by serial) closes, the status line says
 * "label: done" and after() runs with the answer; on failure the form stays
 * with the error shown (or an error dialog if it was closed meanwhile). */
typedef void (*views_after_fn)(struct app *a, json_object *out, const char *label);
void views_form_send(struct app *a, unsigned form_serial, const char *op, json_object *input,
                     const char *label, views_after_fn after);
/* The same behind a confirmation dialog (starts on Cancel, "no undo"). */
void views_form_confirm_send(struct app *a, unsigned form_serial, const char *op,
                             json_object *input, const char *label, const char *title,
                             const char *text, views_after_fn after);

#endif
