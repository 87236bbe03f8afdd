/* tui/view_form.h — forms (widgets/form.h) over the pane.
 *
 * Keys (SCOPE_FORM): form-next / form-prev move the focus, form-submit
 * checks and submits (in an open record: keeps the record),
 * form-delete-item and form-move-up/-down act on the item with the focus,
 * cancel (Esc) closes an open record, else the form: a form with edits asks
 * "Discard the form?" first, unless it was opened with VIEW_FORM_QUERY (a
 * lookup or a tester: nothing typed there is lost work). Printable keys
 * type; the rest (Enter, Space, arrows, editing keys) go to the form.
 *
 * on_submit runs on a valid submit (the key, or Enter on OK) and returns
 * RES_* flags: a form that sends something returns 0 and stays open until
 * the answer (tui/form_send.h closes it). */
#ifndef TUI_VIEW_FORM_H
#define TUI_VIEW_FORM_H

#include "tui/view.h"
#include "tui/view_diff.h"
#include "widgets/form.h"

enum view_form_flags {
    VIEW_FORM_QUERY = 1, /* Esc closes it without asking */
};

/* Pushes a view of `f` (taken); ctx as for view_detail_open. NULL when out of memory. */
struct view *view_form_open(struct app *a, struct form *f, unsigned flags, view_ok_fn on_submit,
                            void *ctx, void (*free_ctx)(void *));

/* The form of a form view, or NULL for any other view. */
struct form *view_form_of(struct view *v);

#endif
