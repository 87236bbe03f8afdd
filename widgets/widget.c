/* widgets/widget.c — the widget base and the drawing helpers (widget.h). */
#include "widgets/widget.h"

#include <string.h>

#include "widgets/text.h"

void widget_init(struct widget *w, const struct widget_class *cls)
{
    memset(w, 0, sizeof *w);
    w->cls = cls;
}

void widget_place(struct widget *w, int y, int x, int h, int width)
{
    w->y = y;
    w->x = x;
    w->h = h < 0 ? 0 : h;
    w->w = width < 0 ? 0 : width;
}

void widget_draw(struct widget *w, WINDOW *win)
{
    if (!w || !w->cls->draw)
        return;
    w->cursor_on = false;
    if (w->h > 0 && w->w > 0)
        w->cls->draw(w, win);
}

int widget_handle(struct widget *w, int key)
{
    return w && w->cls->handle ? w->cls->handle(w, key) : WR_IGNORED;
}

void widget_delete(struct widget *w)
{
    if (w && w->cls->del)
        w->cls->del(w);
}

int widget_read_key(WINDOW *win)
{
    wint_t ch;
    int rc = wget_wch(win, &ch);
    if (rc == ERR)
        return -1;
    if (rc == KEY_CODE_YES) {
        if (ch == KEY_ENTER)
            return '\n';
        if (ch == KEY_BACKSPACE)
            return WKEY_FN(KEY_BACKSPACE);
        return WKEY_FN((int)ch);
    }
    if (ch == '\r')
        return '\n';
    if (ch == 127 || ch == 8)
        return WKEY_FN(KEY_BACKSPACE);
    return (int)ch;
}

/* One cell being assembled: a base character and its combining marks. */
struct cell {
    wchar_t wc[CCHARW_MAX + 1];
    int n, width;
};

static void cell_flush(WINDOW *win, int y, int *x, struct cell *c, attr_t attr)
{
    if (c->n == 0)
        return;
    cchar_t cc;
    c->wc[c->n] = L'\0';
    short pair = PAIR_NUMBER(attr);
    if (setcchar(&cc, c->wc, attr & ~A_COLOR, pair, NULL) == OK)
        mvwadd_wch(win, y, *x, &cc);
    *x += c->width;
    c->n = 0;
}

int draw_text_attr(WINDOW *win, int y, int x, int maxw, const char *s, size_t len, attr_t attr,
                   unsigned flags)
{
    return draw_text_styled(win, y, x, maxw, s, len, attr, attr, flags);
}

int draw_text_styled(WINDOW *win, int y, int x, int maxw, const char *s, size_t len, attr_t attr,
                     attr_t esc_attr, unsigned flags)
{
    int maxx = getmaxx(win), maxy = getmaxy(win);
    if (!s || y < 0 || y >= maxy || x < 0 || x >= maxx)
        return 0;
    if (maxw > maxx - x)
        maxw = maxx - x;
    if (maxw <= 0)
        return 0;
    int cutw;
    size_t n = text_cut(s, len, maxw, flags, &cutw);
    bool ellipsis = (flags & TEXT_ELLIPSIS) && n < (len == TEXT_NUL ? strlen(s) : len);
    size_t pos = 0;
    int cx = x;
    struct cell c = {.n = 0};
    struct text_glyph g;
    while (pos < n && text_next(s, n, &pos, &g)) {
        if (g.esclen) {
            cell_flush(win, y, &cx, &c, attr);
            for (int i = 0; i < g.esclen; i++) {
                c.wc[0] = (wchar_t)(unsigned char)g.esc[i];
                c.n = 1;
                c.width = 1;
                cell_flush(win, y, &cx, &c, esc_attr);
            }
        } else if (g.width == 0) {
            if (c.n == 0) { /* a mark with no base: carry it on a space */
                c.wc[0] = L' ';
                c.n = 1;
                c.width = 1;
            }
            if (c.n < CCHARW_MAX)
                c.wc[c.n++] = g.wc;
        } else {
            cell_flush(win, y, &cx, &c, attr);
            c.wc[0] = g.wc;
            c.n = 1;
            c.width = g.width;
        }
    }
    cell_flush(win, y, &cx, &c, attr);
    if (ellipsis && cx < x + maxw)
        cx += draw_text_styled(win, y, cx, 1, text_ellipsis(), TEXT_NUL, attr, attr, 0);
    return cx - x;
}

int draw_text(WINDOW *win, int y, int x, int maxw, const char *s, size_t len, enum theme_role role,
              unsigned flags)
{
    attr_t a = theme_attr(role);
    attr_t e = role == ROLE_NORMAL ? theme_attr(ROLE_ESCAPE) : a | A_UNDERLINE;
    return draw_text_styled(win, y, x, maxw, s, len, a, e, flags);
}

void draw_fill_attr(WINDOW *win, int y, int x, int w, attr_t attr)
{
    int maxx = getmaxx(win), maxy = getmaxy(win);
    if (y < 0 || y >= maxy || x < 0)
        return;
    if (w > maxx - x)
        w = maxx - x;
    if (w <= 0)
        return;
    cchar_t cc;
    setcchar(&cc, L" ", attr & ~A_COLOR, PAIR_NUMBER(attr), NULL);
    wmove(win, y, x);
    whline_set(win, &cc, w);
}

void draw_fill(WINDOW *win, int y, int x, int w, enum theme_role role)
{
    draw_fill_attr(win, y, x, w, theme_attr(role));
}

void draw_glyph(WINDOW *win, int y, int x, enum theme_glyph g, attr_t attr)
{
    draw_text_styled(win, y, x, 1, theme_glyph(g), TEXT_NUL, attr, attr, 0);
}

static void glyph_cchar(cchar_t *cc, enum theme_glyph g, attr_t attr)
{
    struct text_glyph tg;
    size_t pos = 0;
    wchar_t wc[2] = {L'?', 0};
    if (text_next(theme_glyph(g), TEXT_NUL, &pos, &tg) && !tg.esclen)
        wc[0] = tg.wc;
    setcchar(cc, wc, attr & ~A_COLOR, PAIR_NUMBER(attr), NULL);
}

void draw_box(WINDOW *win, int y, int x, int h, int w, const char *title, enum theme_role fill)
{
    if (h < 2 || w < 2)
        return;
    attr_t b = theme_attr(ROLE_BORDER);
    cchar_t hl, vl, tl, tr, bl, br;
    glyph_cchar(&hl, GLYPH_HLINE, b);
    glyph_cchar(&vl, GLYPH_VLINE, b);
    glyph_cchar(&tl, GLYPH_TL, b);
    glyph_cchar(&tr, GLYPH_TR, b);
    glyph_cchar(&bl, GLYPH_BL, b);
    glyph_cchar(&br, GLYPH_BR, b);
    int maxx = getmaxx(win), maxy = getmaxy(win);
    if (y < 0 || x < 0 || y + h > maxy || x + w > maxx)
        return;
    for (int i = 1; i < h - 1; i++) {
        mvwadd_wch(win, y + i, x, &vl);
        draw_fill(win, y + i, x + 1, w - 2, fill);
        mvwadd_wch(win, y + i, x + w - 1, &vl);
    }
    mvwadd_wch(win, y, x, &tl);
    mvwhline_set(win, y, x + 1, &hl, w - 2);
    mvwadd_wch(win, y, x + w - 1, &tr);
    mvwadd_wch(win, y + h - 1, x, &bl);
    mvwhline_set(win, y + h - 1, x + 1, &hl, w - 2);
    /* the last cell of the screen: add_wch would scroll, ins_wch does not */
    if (y + h == maxy && x + w == maxx)
        mvwins_wch(win, y + h - 1, x + w - 1, &br);
    else
        mvwadd_wch(win, y + h - 1, x + w - 1, &br);
    if (title && title[0] && w > 6) {
        draw_text(win, y, x + 2, 1, " ", TEXT_NUL, ROLE_TITLE, 0);
        int tw = draw_text(win, y, x + 3, w - 6, title, TEXT_NUL, ROLE_TITLE, TEXT_ELLIPSIS);
        draw_text(win, y, x + 3 + tw, 1, " ", TEXT_NUL, ROLE_TITLE, 0);
    }
}
