/* widgets/widget.h — what every widget shares: the class table, the result
 * flags, keys, and the drawing helpers (the only code that puts outside text
 * on the screen; it goes through the sanitizer of widgets/text.h).
 *
 * A widget is a struct that starts with `struct widget` and a const class
 * table (htop's Panel): draw, handle, delete. The owner places it (a
 * rectangle of a WINDOW), asks it to draw, hands it keys and reads the flags
 * that come back; the owner decides what they mean. A widget never calls the
 * owner's business code; it may call the owner's data-supply callbacks (row
 * text, completion candidates, validators) given at creation.
 *
 * Call order: X_new() -> widget_place() -> widget_draw() / widget_handle()
 * (any number, any order; widget_place again on resize) -> widget_delete().
 * Drawing touches only the placed rectangle and never calls wrefresh: the
 * owner refreshes once per frame (wnoutrefresh + doupdate).
 */
#ifndef WIDGETS_WIDGET_H
#define WIDGETS_WIDGET_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "widgets/theme.h"

/* What a handler did. Flags combine; 0 means "not mine, try elsewhere". */
enum widget_result {
    WR_IGNORED = 0,
    WR_HANDLED = 1 << 0,  /* the key was used */
    WR_REDRAW = 1 << 1,   /* the widget's look changed: draw it again */
    WR_ACTIVATE = 1 << 2, /* Enter on an item (table row, form records...) */
    WR_CANCEL = 1 << 3,   /* Esc or Cancel: the owner closes it */
    WR_SUBMIT = 1 << 4,   /* OK / submit, values valid: the owner acts */
    WR_PAGE = 1 << 5,     /* the table wants the owner's next page */
    WR_CHANGED = 1 << 6,  /* a value changed (prompt text, form field, tab) */
    WR_MOVED = 1 << 7,    /* the cursor/selection moved */
    WR_MARKS = 1 << 8,    /* marks changed */
    WR_SORT = 1 << 9,     /* sort column/order changed (see table.h) */
    WR_INVALID = 1 << 10, /* submit refused: validation failed, shown inline */
};

/* A key is an int, the same convention as the owner's key map: a character
 * is its code point (control keys 1..31, Enter '\n', Esc 27, Tab '\t'); a
 * curses function key is WKEY_FN(KEY_xxx). */
#define WKEY_FN_BIT  0x1000000
#define WKEY_FN(k)   (WKEY_FN_BIT | (k))
#define WKEY_ESC     27
#define WKEY_CTRL(c) ((c)&0x1f)

/* Reads one key with wget_wch (honours the window's timeout/nodelay).
 * Returns the key, or -1 when none was available. KEY_ENTER and '\r' come
 * back as '\n', KEY_BACKSPACE/127/8 as WKEY_FN(KEY_BACKSPACE). */
int widget_read_key(WINDOW *win);

struct widget;

struct widget_class {
    const char *name;
    void (*draw)(struct widget *w, WINDOW *win);
    int (*handle)(struct widget *w, int key); /* returns enum widget_result flags */
    void (*del)(struct widget *w);
};

struct widget {
    const struct widget_class *cls;
    int y, x, h, w; /* placed rectangle in the WINDOW given to draw */
    /* Set by draw: where the terminal cursor belongs (text input), so the
     * owner can wmove + curs_set(1) after drawing everything. */
    bool cursor_on;
    int cursor_y, cursor_x;
};

void widget_init(struct widget *w, const struct widget_class *cls);
void widget_place(struct widget *w, int y, int x, int h, int width);
void widget_draw(struct widget *w, WINDOW *win);
int widget_handle(struct widget *w, int key);
void widget_delete(struct widget *w); /* NULL is fine */

/* ---- drawing helpers (used by every widget; available to the owner) ---- */

/* Draws outside text s[0..len) (len may be TEXT_NUL) at (y, x), sanitized,
 * in at most maxw columns, with role's look (escapes in ROLE_ESCAPE's for
 * ROLE_NORMAL text, else underlined in the role's look).
 * With TEXT_ELLIPSIS a cut shows the ellipsis. Pads nothing. Returns the
 * columns drawn. Never writes outside [x, x+maxw). */
int draw_text(WINDOW *win, int y, int x, int maxw, const char *s, size_t len, enum theme_role role,
              unsigned flags);

/* Same with an explicit attr_t (e.g. role + A_REVERSE). */
int draw_text_attr(WINDOW *win, int y, int x, int maxw, const char *s, size_t len, attr_t attr,
                   unsigned flags);

/* Same with explicit looks for the text and for its escapes. */
int draw_text_styled(WINDOW *win, int y, int x, int maxw, const char *s, size_t len, attr_t attr,
                     attr_t esc_attr, unsigned flags);

/* Fills w cells of row y from x with spaces in role's look (or attr's). */
void draw_fill(WINDOW *win, int y, int x, int w, enum theme_role role);
void draw_fill_attr(WINDOW *win, int y, int x, int w, attr_t attr);

/* A frame of h x w at (y, x) with theme_glyph lines in ROLE_BORDER, the
 * title (sanitized) on the top edge, and the inside cleared to `fill`. */
void draw_box(WINDOW *win, int y, int x, int h, int w, const char *title, enum theme_role fill);

/* Draws a one-column glyph string (theme_glyph()) at (y, x). */
void draw_glyph(WINDOW *win, int y, int x, enum theme_glyph g, attr_t attr);

#endif
