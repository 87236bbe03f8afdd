/* widgets/edit.c — the line editor (see edit.h). */
#include "widgets/edit.h"

#include <stdlib.h>
#include <string.h>

#include "widgets/text.h"

int edit_init(struct line_edit *e, const char *text)
{
    memset(e, 0, sizeof *e);
    e->cap = 32;
    e->buf = calloc(1, e->cap);
    if (!e->buf)
        return -1;
    return edit_set(e, text ? text : "");
}

void edit_free(struct line_edit *e)
{
    if (e->buf) {
        /* a secret must not linger in freed memory */
        volatile char *p = e->buf;
        for (size_t i = 0; i < e->cap; i++)
            p[i] = 0;
    }
    free(e->buf);
    e->buf = NULL;
    e->len = e->cap = e->cur = 0;
}

static int reserve(struct line_edit *e, size_t need)
{
    if (need + 1 <= e->cap)
        return 0;
    size_t cap = e->cap ? e->cap : 32;
    while (cap < need + 1)
        cap *= 2;
    char *b = malloc(cap);
    if (!b)
        return -1;
    memcpy(b, e->buf, e->len + 1);
    /* wipe the old copy too (secrets) */
    memset(e->buf, 0, e->cap);
    free(e->buf);
    e->buf = b;
    e->cap = cap;
    return 0;
}

int edit_set(struct line_edit *e, const char *text)
{
    size_t n = strlen(text);
    if (reserve(e, n) < 0)
        return -1;
    memcpy(e->buf, text, n + 1);
    e->len = e->cur = n;
    e->scroll = 0;
    return 0;
}

int edit_insert(struct line_edit *e, const char *utf8, size_t n)
{
    if (e->max_bytes && e->len + n > e->max_bytes)
        return -1;
    if (reserve(e, e->len + n) < 0)
        return -1;
    memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
    memcpy(e->buf + e->cur, utf8, n);
    e->len += n;
    e->cur += n;
    return 0;
}

static void delete_range(struct line_edit *e, size_t from, size_t to)
{
    memmove(e->buf + from, e->buf + to, e->len - to + 1);
    e->len -= to - from;
    if (e->cur >= to)
        e->cur -= to - from;
    else if (e->cur > from)
        e->cur = from;
    memset(e->buf + e->len + 1, 0, e->cap - e->len - 1);
    if (e->scroll > e->cur)
        e->scroll = 0;
}

static size_t encode_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

int edit_handle(struct line_edit *e, int key)
{
    const int moved = WR_HANDLED | WR_REDRAW, changed = WR_HANDLED | WR_REDRAW | WR_CHANGED;
    if (e->secret) {
        /* blind typing: only append, erase and clear, cursor at the end */
        e->cur = e->len;
        if (key == WKEY_FN(KEY_LEFT) || key == WKEY_FN(KEY_RIGHT) || key == WKEY_FN(KEY_HOME) ||
            key == WKEY_FN(KEY_END) || key == WKEY_CTRL('a') || key == WKEY_CTRL('e'))
            return WR_HANDLED;
    }
    switch (key) {
    case WKEY_FN(KEY_LEFT):
        e->cur = text_prev_char(e->buf, e->len, e->cur);
        return moved;
    case WKEY_FN(KEY_RIGHT):
        e->cur = text_next_char(e->buf, e->len, e->cur);
        return moved;
    case WKEY_FN(KEY_HOME):
    case WKEY_CTRL('a'):
        e->cur = 0;
        return moved;
    case WKEY_FN(KEY_END):
    case WKEY_CTRL('e'):
        e->cur = e->len;
        return moved;
    case WKEY_FN(KEY_BACKSPACE):
        if (e->cur == 0)
            return WR_HANDLED;
        delete_range(e, text_prev_char(e->buf, e->len, e->cur), e->cur);
        return changed;
    case WKEY_FN(KEY_DC):
        if (e->cur == e->len)
            return WR_HANDLED;
        delete_range(e, e->cur, text_next_char(e->buf, e->len, e->cur));
        return changed;
    case WKEY_CTRL('u'):
        delete_range(e, 0, e->len);
        e->scroll = 0;
        return changed;
    case WKEY_CTRL('w'): {
        size_t p = e->cur;
        while (p > 0 && e->buf[p - 1] == ' ')
            p--;
        while (p > 0 && e->buf[p - 1] != ' ')
            p--;
        delete_range(e, p, e->cur);
        return changed;
    }
    default:
        break;
    }
    if (key < 0x20 || key == 0x7f || (key >= 0x80 && key < 0xa0) || key > 0x10ffff ||
        (key >= 0xd800 && key <= 0xdfff))
        return WR_IGNORED;
    char b[4];
    size_t n = encode_utf8(b, (unsigned)key);
    if (edit_insert(e, b, n) < 0)
        return WR_HANDLED;
    return changed;
}

/* Whether the text from scroll fits in w columns with the cursor visible:
 * an ellipsis takes the first column when the start is cut (scroll > 0) and
 * the last when the end is; the cursor's cell (its character, or the cell
 * after the text) must be on the text, never under an ellipsis. */
static bool cursor_fits(const struct line_edit *e, size_t scroll, int w)
{
    int left = scroll > 0 ? 1 : 0;
    if (e->cur == e->len)
        return text_width(e->buf + scroll, e->len - scroll) + 1 <= w - left;
    int right = text_width(e->buf + scroll, e->len - scroll) > w - left ? 1 : 0;
    size_t end = text_next_char(e->buf, e->len, e->cur);
    return text_width(e->buf + scroll, end - scroll) <= w - left - right;
}

int edit_draw(struct line_edit *e, WINDOW *win, int y, int x, int w, attr_t attr)
{
    draw_fill_attr(win, y, x, w, attr);
    if (w <= 0)
        return x;
    if (e->secret) {
        int n = e->len ? draw_text_attr(win, y, x, w - 1, "********", TEXT_NUL, attr, 0) : 0;
        return x + (n < w ? n : w - 1);
    }
    if (e->scroll > e->cur)
        e->scroll = e->cur;
    /* scroll back left while the text before the cursor fits (after a
     * resize to a wider field, or Home) */
    while (e->scroll > 0) {
        size_t p = text_prev_char(e->buf, e->len, e->scroll);
        if (!cursor_fits(e, p, w))
            break;
        e->scroll = p;
    }
    /* scroll right until the cursor fits */
    while (e->scroll < e->cur && !cursor_fits(e, e->scroll, w))
        e->scroll = text_next_char(e->buf, e->len, e->scroll);
    attr_t esc = attr | A_UNDERLINE;
    int left = e->scroll > 0 && w > 1 ? 1 : 0;
    if (left)
        draw_text_attr(win, y, x, 1, text_ellipsis(), TEXT_NUL, attr, 0);
    draw_text_styled(win, y, x + left, w - left, e->buf + e->scroll, e->len - e->scroll, attr, esc,
                     TEXT_ELLIPSIS);
    int cx = left + text_width(e->buf + e->scroll, e->cur - e->scroll);
    return x + (cx < w ? cx : w - 1);
}

int edit_draw_idle(const struct line_edit *e, WINDOW *win, int y, int x, int w, attr_t attr)
{
    draw_fill_attr(win, y, x, w, attr);
    if (w <= 0)
        return 0;
    if (e->secret)
        return e->len ? draw_text_attr(win, y, x, w, "********", TEXT_NUL, attr, 0) : 0;
    return draw_text_styled(win, y, x, w, e->buf, e->len, attr, attr | A_UNDERLINE, TEXT_ELLIPSIS);
}
