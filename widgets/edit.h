/* widgets/edit.h — one line of editable text, shared by the form, the
 * typed confirm and the prompt (one editor, so they all edit alike).
 *
 * The text is UTF-8 in a buffer the editor owns; the cursor is a byte offset
 * always on a character boundary (a base and its combining marks are one
 * character). Keys (edit_handle): printable characters insert (control
 * characters are refused; pasted text with controls is drawn escaped by the
 * sanitizer anyway), Left/Right, Home/End, ^A/^E, Backspace, Del, ^U clears,
 * ^W deletes the word before the cursor. Returns WR_HANDLED | WR_REDRAW, plus
 * WR_CHANGED when the text changed; WR_IGNORED for any other key.
 */
#ifndef WIDGETS_EDIT_H
#define WIDGETS_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "widgets/widget.h"

struct line_edit {
    char *buf; /* NUL-terminated, never NULL after edit_init */
    size_t len, cap, cur;
    size_t scroll;    /* byte offset of the first character shown */
    bool secret;      /* drawn as ******** (never the text); cursor kept at the end */
    size_t max_bytes; /* 0: no limit */
};

int edit_init(struct line_edit *e, const char *text); /* 0 or -1 */
void edit_free(struct line_edit *e);                  /* wipes the text first */
int edit_set(struct line_edit *e, const char *text);  /* cursor to the end */
int edit_insert(struct line_edit *e, const char *utf8, size_t n);
int edit_handle(struct line_edit *e, int key);

/* Draws the field with the focus in w columns at (y, x) with attr, scrolled
 * so the cursor shows; where the text is cut, an ellipsis (text_ellipsis())
 * takes the first and/or last column, so a long value never looks like only
 * its end. Returns the cursor's screen column. */
int edit_draw(struct line_edit *e, WINDOW *win, int y, int x, int w, attr_t attr);

/* Draws a field without the focus: the start of the text, an ellipsis at
 * the end when it is cut (a client id shows its beginning). Returns the
 * columns drawn. New (issue 12): a form draws its unfocused fields so. */
int edit_draw_idle(const struct line_edit *e, WINDOW *win, int y, int x, int w, attr_t attr);

#endif
