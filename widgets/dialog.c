/* widgets/dialog.c — message, error, confirm, typed-confirm, question and input
 * dialogs. */
#include "widgets/dialog.h"

#include <stdlib.h>
#include <string.h>

#include "widgets/edit.h"
#include "widgets/text.h"

enum kind { MESSAGE, ERROR, CONFIRM, TYPED, QUESTION, INPUT };
enum focus { FOCUS_CANCEL, FOCUS_OK, FOCUS_INPUT };

struct dialog {
    struct widget base;
    enum kind kind;
    char *title, *text, *code, *detail, *request_id, *ok_label, *prompt, *expected;
    char **paras; /* dialog_add_paragraph(), after text */
    size_t npara;
    bool detail_shown;
    enum focus focus;
    struct line_edit edit;
};

static const struct widget_class dialog_class;
static const char no_undo[] = "There is no undo.";

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static struct dialog *make(enum kind kind, const char *title, const char *text)
{
    struct dialog *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    widget_init(&d->base, &dialog_class);
    d->kind = kind;
    d->title = dup_or_null(title);
    d->text = strdup(text ? text : "");
    if (edit_init(&d->edit, "") < 0 || !d->text) {
        dialog_delete(d);
        return NULL;
    }
    d->focus = FOCUS_OK;
    return d;
}

struct dialog *dialog_message(const char *title, const char *text)
{
    return make(MESSAGE, title, text);
}

struct dialog *dialog_error(const char *title, const char *message, const char *code,
                            const char *detail, const char *request_id)
{
    struct dialog *d = make(ERROR, title ? title : "Error", message);
    if (d) {
        d->code = dup_or_null(code);
        d->detail = dup_or_null(detail);
        d->request_id = dup_or_null(request_id);
    }
    return d;
}

struct dialog *dialog_confirm(const char *title, const char *text, const char *ok_label)
{
    struct dialog *d = make(CONFIRM, title, text);
    if (d) {
        d->ok_label = strdup(ok_label ? ok_label : "OK");
        d->focus = FOCUS_CANCEL;
    }
    return d;
}

struct dialog *dialog_typed_confirm(const char *title, const char *text, const char *ok_label,
                                    const char *prompt, const char *expected)
{
    struct dialog *d = make(TYPED, title, text);
    if (d) {
        d->ok_label = strdup(ok_label ? ok_label : "OK");
        d->prompt = strdup(prompt ? prompt : "Type the name to confirm:");
        d->expected = strdup(expected ? expected : "");
        d->focus = FOCUS_INPUT;
        if (!d->ok_label || !d->prompt || !d->expected) {
            dialog_delete(d);
            return NULL;
        }
    }
    return d;
}

struct dialog *dialog_question(const char *title, const char *text, const char *ok_label)
{
    struct dialog *d = make(QUESTION, title, text);
    if (d) {
        d->ok_label = strdup(ok_label ? ok_label : "OK");
        d->focus = FOCUS_CANCEL;
        if (!d->ok_label) {
            dialog_delete(d);
            return NULL;
        }
    }
    return d;
}

struct dialog *dialog_input(const char *title, const char *text, const char *ok_label,
                            const char *prompt, bool secret)
{
    struct dialog *d = make(INPUT, title, text);
    if (d) {
        d->ok_label = strdup(ok_label ? ok_label : "OK");
        d->prompt = strdup(prompt ? prompt : "");
        d->edit.secret = secret;
        d->focus = FOCUS_INPUT;
        if (!d->ok_label || !d->prompt) {
            dialog_delete(d);
            return NULL;
        }
    }
    return d;
}

int dialog_add_paragraph(struct dialog *d, const char *text)
{
    char **p = realloc(d->paras, (d->npara + 1) * sizeof *p);
    if (!p)
        return -1;
    d->paras = p;
    p[d->npara] = strdup(text ? text : "");
    if (!p[d->npara])
        return -1;
    d->npara++;
    return 0;
}

struct widget *dialog_widget(struct dialog *d)
{
    return &d->base;
}

static void dialog_del(struct widget *w)
{
    struct dialog *d = (struct dialog *)w;
    free(d->title);
    free(d->text);
    free(d->code);
    free(d->detail);
    free(d->request_id);
    free(d->ok_label);
    free(d->prompt);
    free(d->expected);
    for (size_t i = 0; i < d->npara; i++)
        free(d->paras[i]);
    free(d->paras);
    edit_free(&d->edit);
    free(d);
}

void dialog_delete(struct dialog *d)
{
    if (d)
        dialog_del(&d->base);
}

bool dialog_ok_enabled(const struct dialog *d)
{
    if (d->kind == INPUT)
        return d->edit.len > 0;
    if (d->kind != TYPED)
        return true;
    /* The name as the screen shows it: what was typed and what is expected,
     * both through the sanitizer, then byte for byte. */
    char *typed = text_sanitize_dup(d->edit.buf, d->edit.len);
    char *shown = text_sanitize_dup(d->expected, TEXT_NUL);
    bool same = typed && shown && strcmp(typed, shown) == 0;
    free(typed);
    free(shown);
    return same;
}

bool dialog_focus_ok(const struct dialog *d)
{
    return d->focus == FOCUS_OK;
}
bool dialog_detail_shown(const struct dialog *d)
{
    return d->detail_shown;
}
const char *dialog_typed(const struct dialog *d)
{
    return d->edit.buf;
}

/* The lines of the body, in order; a callback draws or counts them. */
struct body_line {
    const char *label; /* "Code: " etc, or NULL */
    const char *text;
    enum theme_role role;
};

static size_t body_lines(const struct dialog *d, struct body_line *out, size_t max)
{
    size_t n = 0;
#define ADD(l, t, r)                                                                               \
    do {                                                                                           \
        if (n < max)                                                                               \
            out[n] = (struct body_line){l, t, r};                                                  \
        n++;                                                                                       \
    } while (0)
    ADD(NULL, d->text, ROLE_DIALOG);
    for (size_t i = 0; i < d->npara; i++)
        ADD(NULL, d->paras[i], ROLE_DIALOG);
    if (d->kind == ERROR && d->detail_shown) {
        ADD("Code: ", d->code ? d->code : "-", ROLE_DIALOG);
        ADD("Message: ", d->detail ? d->detail : "-", ROLE_DIALOG);
        ADD("Request id: ", d->request_id ? d->request_id : "-", ROLE_DIALOG);
    }
    if (d->kind == CONFIRM || d->kind == TYPED)
        ADD(NULL, no_undo, ROLE_WARNING);
    if (d->kind == TYPED || (d->kind == INPUT && d->prompt[0]))
        ADD(NULL, d->prompt, ROLE_DIALOG);
#undef ADD
    return n;
}

/* Counts (draw == false) or draws wrapped text; returns the rows used. */
static int wrap_draw(WINDOW *win, int y, int x, int w, int maxrows, const char *label,
                     const char *s, enum theme_role role, bool draw)
{
    int rows = 0;
    size_t len = strlen(s), off = 0;
    int lw = 0;
    if (label) {
        lw = text_width(label, TEXT_NUL);
        if (draw && maxrows > 0)
            draw_text(win, y, x, w, label, TEXT_NUL, ROLE_LABEL, 0);
    }
    if (len == 0)
        return 1;
    while (off < len && rows < maxrows) {
        size_t next;
        int avail = rows == 0 ? w - lw : w;
        size_t n = text_wrap(s + off, len - off, avail > 0 ? avail : 1, &next);
        if (draw)
            draw_text(win, y + rows, x + (rows == 0 ? lw : 0), avail, s + off, n, role,
                      TEXT_ELLIPSIS);
        rows++;
        if (next == 0)
            break;
        off += next;
    }
    return rows;
}

static void draw_button(WINDOW *win, int y, int x, int maxw, const char *label, bool focus,
                        bool enabled, int *used)
{
    enum theme_role r = !enabled ? ROLE_BUTTON_DISABLED : focus ? ROLE_BUTTON_FOCUS : ROLE_BUTTON;
    int n = draw_text(win, y, x, maxw, "[ ", TEXT_NUL, r, 0);
    n += draw_text(win, y, x + n, maxw - n, label, TEXT_NUL, r, TEXT_ELLIPSIS);
    n += draw_text(win, y, x + n, maxw - n, " ]", TEXT_NUL, r, 0);
    *used = n;
}

static void dialog_draw(struct widget *w, WINDOW *win)
{
    struct dialog *d = (struct dialog *)w;
    size_t max = d->npara + 8;
    struct body_line *lines = malloc(max * sizeof *lines);
    if (!lines)
        return;
    size_t nl = body_lines(d, lines, max);
    int bw = w->w < 64 ? w->w : 64;
    int tw = text_width(d->text, TEXT_NUL) + 4;
    for (size_t i = 0; i < d->npara; i++) {
        int pw = text_width(d->paras[i], TEXT_NUL) + 4;
        if (pw > tw)
            tw = pw;
    }
    if (tw < bw && tw > 40)
        bw = tw;
    else if (tw <= 40 && w->w >= 40)
        bw = 40;
    int inner = bw - 4;
    if (inner < 1)
        inner = 1;
    /* measure */
    int need = 0;
    for (size_t i = 0; i < nl; i++)
        need +=
            wrap_draw(win, 0, 0, inner, 1000, lines[i].label, lines[i].text, lines[i].role, false);
    bool has_input = d->kind == TYPED || d->kind == INPUT;
    int extra = (has_input ? 1 : 0) + 2; /* input, blank, buttons */
    int bh = need + extra + 2;
    if (bh > w->h)
        bh = w->h;
    int by = w->y + (w->h - bh) / 2, bx = w->x + (w->w - bw) / 2;
    draw_box(win, by, bx, bh, bw, d->title, ROLE_DIALOG);
    int rows_for_text = bh - 2 - extra;
    int y = by + 1;
    for (size_t i = 0; i < nl && rows_for_text > 0; i++) {
        int used = wrap_draw(win, y, bx + 2, inner, rows_for_text, lines[i].label, lines[i].text,
                             lines[i].role, true);
        y += used;
        rows_for_text -= used;
    }
    free(lines);
    if (bh < 3)
        return;
    int by_buttons = by + bh - 2;
    if (has_input && by_buttons - 2 > by) {
        int cx = edit_draw(&d->edit, win, by_buttons - 2, bx + 2, inner,
                           theme_attr(d->focus == FOCUS_INPUT ? ROLE_INPUT_FOCUS : ROLE_INPUT));
        if (d->focus == FOCUS_INPUT) {
            w->cursor_on = true;
            w->cursor_y = by_buttons - 2;
            w->cursor_x = cx;
        }
    }
    int x = bx + 2, used, right = bx + bw - 2;
    if (d->kind != MESSAGE && d->kind != ERROR) {
        draw_button(win, by_buttons, x, right - x, "Cancel", d->focus == FOCUS_CANCEL, true, &used);
        x += used + 2;
        if (x < right)
            draw_button(win, by_buttons, x, right - x, d->ok_label, d->focus == FOCUS_OK,
                        dialog_ok_enabled(d), &used);
    } else {
        draw_button(win, by_buttons, x, right - x, "OK", true, true, &used);
        x += used + 2;
        if (d->kind == ERROR && x < right)
            draw_text(win, by_buttons, x, right - x,
                      d->detail_shown ? "d: hide details" : "d: details", TEXT_NUL, ROLE_DIM,
                      TEXT_ELLIPSIS);
    }
}

static int dialog_handle(struct widget *w, int key)
{
    struct dialog *d = (struct dialog *)w;
    const int redraw = WR_HANDLED | WR_REDRAW;
    if (key == WKEY_ESC)
        return WR_HANDLED | WR_CANCEL;
    if (d->kind == MESSAGE || d->kind == ERROR) {
        if (d->kind == ERROR && (key == 'd' || key == '\t')) {
            d->detail_shown = !d->detail_shown;
            return redraw;
        }
        if (key == '\n' || key == ' ')
            return WR_HANDLED | WR_SUBMIT;
        if (key == 'q')
            return WR_HANDLED | WR_CANCEL;
        return WR_HANDLED; /* modal: keys stop here */
    }
    /* confirm, typed confirm, question, input */
    int nfocus = d->kind == TYPED || d->kind == INPUT ? 3 : 2;
    if (key == '\t' || key == WKEY_FN(KEY_BTAB)) {
        int f = (int)d->focus + (key == '\t' ? 1 : nfocus - 1);
        d->focus = (enum focus)(f % nfocus);
        return redraw;
    }
    if (d->focus == FOCUS_INPUT) {
        if (key == '\n')
            return dialog_ok_enabled(d) ? WR_HANDLED | WR_SUBMIT : WR_HANDLED;
        int r = edit_handle(&d->edit, key);
        return r ? r : WR_HANDLED;
    }
    switch (key) {
    case WKEY_FN(KEY_LEFT):
    case WKEY_FN(KEY_RIGHT):
    case 'h':
    case 'l':
        d->focus = d->focus == FOCUS_OK ? FOCUS_CANCEL : FOCUS_OK;
        return redraw;
    case '\n':
    case ' ':
        if (d->focus == FOCUS_CANCEL)
            return WR_HANDLED | WR_CANCEL;
        return dialog_ok_enabled(d) ? WR_HANDLED | WR_SUBMIT : WR_HANDLED;
    case 'q':
        return WR_HANDLED | WR_CANCEL;
    default:
        return WR_HANDLED;
    }
}

static const struct widget_class dialog_class = {
    .name = "dialog",
    .draw = dialog_draw,
    .handle = dialog_handle,
    .del = dialog_del,
};
