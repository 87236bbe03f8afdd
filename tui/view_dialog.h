/* tui/view_dialog.h — dialogs (widgets/dialog.h) over the whole screen:
 * messages, errors, confirmations, typed confirmations, questions.
 *
 * Keys (SCOPE_DIALOG): dialog-switch moves between the buttons,
 * dialog-choose chooses the one with the focus, cancel (Esc) is Cancel;
 * printable keys type (typed confirmation) or reach the dialog (q cancels
 * one that takes no typing). OK calls on_ok, Cancel on_cancel; each returns
 * RES_* flags (RES_CLOSE closes the dialog); NULL callbacks just close. */
#ifndef TUI_VIEW_DIALOG_H
#define TUI_VIEW_DIALOG_H

#include "tui/view.h"
#include "tui/view_diff.h"
#include "widgets/dialog.h"

/* Pushes a view of `d` (taken); ctx as for view_detail_open. NULL when out of memory. */
struct view *view_dialog_open(struct app *a, struct dialog *d, view_ok_fn on_ok,
                              view_ok_fn on_cancel, void *ctx, void (*free_ctx)(void *));

/* An error dialog for err: what went wrong and what to do, the code, the
 * message and the request id behind a detail toggle. */
void view_error(struct app *a, const char *title, const struct api_error *err);
/* A plain message dialog. */
void view_message(struct app *a, const char *title, const char *text);

#endif
