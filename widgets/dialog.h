/* widgets/dialog.h — modal dialogs: message, error with detail, confirm,
 * typed confirm, question, input.
 *
 * A dialog centres itself in the rectangle it is placed in (widget_place the
 * whole screen), wraps its text, and draws a frame. All strings are copied
 * and sanitized when drawn, as outside text: no byte of any of them is
 * layout, a '\n' in a name or a value from outside is drawn "^J" where it is
 * (so a name cannot write lines into its own confirmation). The owner's
 * own line breaks are paragraphs given apart: dialog_add_paragraph().
 *
 * Results of dialog handle (widget_handle):
 *   WR_SUBMIT  OK chosen (message/error: dismissed with Enter)
 *   WR_CANCEL  Esc or Cancel chosen (q too, except in a typed confirm)
 *   WR_REDRAW  focus moved, detail toggled, text typed
 * Confirm dialogs start with the focus on Cancel and always say
 * "There is no undo." Left/Right/Tab move between the buttons.
 * Error dialogs: `d` or Tab shows/hides the detail (code, message, request
 * id). Typed confirm: the input line takes the typing; OK is disabled (drawn
 * in ROLE_BUTTON_DISABLED, Enter on it does nothing) until the typed text
 * equals `expected` exactly (byte for byte: no case folding, no trimming).
 * Question: a confirm for what destroys nothing (no "There is no undo."
 * line); it too starts on Cancel. Input: one input line (focused first);
 * OK is disabled until something is typed; Enter on the line submits; a
 * secret input is never drawn (`********` once it holds anything) and its
 * text is wiped when the dialog is deleted.
 */
#ifndef WIDGETS_DIALOG_H
#define WIDGETS_DIALOG_H

#include <stdbool.h>

#include "widgets/widget.h"

struct dialog;

struct dialog *dialog_message(const char *title, const char *text);
/* code, detail and request_id may be NULL (shown as "-"). */
struct dialog *dialog_error(const char *title, const char *message, const char *code,
                            const char *detail, const char *request_id);
/* text says what will be destroyed; ok_label e.g. "Delete" (NULL: "OK"). */
struct dialog *dialog_confirm(const char *title, const char *text, const char *ok_label);
/* As confirm, plus an input line; prompt e.g. "Type the name to delete:". */
struct dialog *dialog_typed_confirm(const char *title, const char *text, const char *ok_label,
                                    const char *prompt, const char *expected);

/* A yes/no question that destroys nothing ("Discard the form?"). */
struct dialog *dialog_question(const char *title, const char *text, const char *ok_label);
/* Asks for one line of text; prompt e.g. "Code:" (NULL or "": none). The
 * typed text is dialog_typed(). */
struct dialog *dialog_input(const char *title, const char *text, const char *ok_label,
                            const char *prompt, bool secret);

/* Adds a paragraph after the text (copied; "" is an empty line), drawn
 * from a new line and wrapped like the text, before "There is no undo."
 * and the input. Any dialog, any time before drawing. 0 or -1 (out of
 * memory). New (issue 12): owners that used "\n" in the text use this. */
int dialog_add_paragraph(struct dialog *d, const char *text);

struct widget *dialog_widget(struct dialog *d);
void dialog_delete(struct dialog *d);

bool dialog_ok_enabled(const struct dialog *d); /* typed: text matches; input: non-empty */
bool dialog_focus_ok(const struct dialog *d);   /* the focus is on OK */
bool dialog_detail_shown(const struct dialog *d);
const char *dialog_typed(const struct dialog *d); /* the typed text ("" if none) */

#endif
