/* widgets/help.c — the help overlay (see help.h). */
#include "widgets/help.h"

#include <stdlib.h>
#include <string.h>

#include "widgets/text.h"

/* Flattened: one entry a screen line. keys NULL marks a section title. */
struct help_line {
    char *keys, *text;
};

struct help {
    struct widget base;
    char *title;
    struct help_line *lines;
    size_t n, top;
    int keys_w;
};

static const struct widget_class help_class;

static int add_line(struct help *h, const char *keys, const char *text)
{
    struct help_line *l = realloc(h->lines, (h->n + 1) * sizeof *l);
    if (!l)
        return -1;
    h->lines = l;
    l[h->n].keys = keys ? strdup(keys) : NULL;
    l[h->n].text = strdup(text ? text : "");
    h->n++;
    if ((keys && !l[h->n - 1].keys) || !l[h->n - 1].text)
        return -1;
    return 0;
}

struct help *help_new(const char *title, const struct help_section *sections, size_t n)
{
    struct help *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    widget_init(&h->base, &help_class);
    h->title = strdup(title ? title : "Help");
    bool ok = h->title != NULL;
    for (size_t s = 0; s < n && ok; s++) {
        if (s > 0)
            ok = add_line(h, "", "") == 0;
        if (ok && sections[s].title)
            ok = add_line(h, NULL, sections[s].title) == 0;
        for (size_t i = 0; i < sections[s].n && ok; i++) {
            ok = add_line(h, sections[s].items[i].keys, sections[s].items[i].text) == 0;
            int kw =
                text_width(sections[s].items[i].keys ? sections[s].items[i].keys : "", TEXT_NUL);
            if (kw > h->keys_w)
                h->keys_w = kw;
        }
    }
    if (!ok) {
        help_delete(h);
        return NULL;
    }
    return h;
}

struct widget *help_widget(struct help *h)
{
    return &h->base;
}

static void help_del(struct widget *w)
{
    struct help *h = (struct help *)w;
    for (size_t i = 0; i < h->n; i++) {
        free(h->lines[i].keys);
        free(h->lines[i].text);
    }
    free(h->lines);
    free(h->title);
    free(h);
}

void help_delete(struct help *h)
{
    if (h)
        help_del(&h->base);
}

size_t help_line_count(const struct help *h)
{
    return h->n;
}
size_t help_top(const struct help *h)
{
    return h->top;
}

static size_t page(const struct help *h)
{
    return h->base.h > 2 ? (size_t)h->base.h - 2 : 1;
}

static void clamp(struct help *h)
{
    size_t p = page(h);
    if (h->n <= p)
        h->top = 0;
    else if (h->top > h->n - p)
        h->top = h->n - p;
}

static void help_draw(struct widget *w, WINDOW *win)
{
    struct help *h = (struct help *)w;
    clamp(h);
    draw_box(win, w->y, w->x, w->h, w->w, h->title, ROLE_NORMAL);
    int inner = w->w - 4;
    int kw = h->keys_w < inner / 2 ? h->keys_w : inner / 2;
    for (size_t i = 0; i + 2 < (size_t)w->h && h->top + i < h->n; i++) {
        const struct help_line *l = &h->lines[h->top + i];
        int y = w->y + 1 + (int)i;
        if (!l->keys) {
            draw_text(win, y, w->x + 2, inner, l->text, TEXT_NUL, ROLE_TITLE, TEXT_ELLIPSIS);
            continue;
        }
        draw_text(win, y, w->x + 2, kw, l->keys, TEXT_NUL, ROLE_KEY_LABEL, TEXT_ELLIPSIS);
        if (inner - kw - 2 > 0)
            draw_text(win, y, w->x + 4 + kw, inner - kw - 2, l->text, TEXT_NUL, ROLE_NORMAL,
                      TEXT_ELLIPSIS);
    }
}

static int help_handle(struct widget *w, int key)
{
    struct help *h = (struct help *)w;
    size_t old = h->top, p = page(h);
    switch (key) {
    case WKEY_ESC:
    case 'q':
    case '?':
    case '\n':
    case WKEY_FN(KEY_F(1)):
        return WR_HANDLED | WR_CANCEL;
    case WKEY_FN(KEY_UP):
    case 'k':
        h->top = h->top ? h->top - 1 : 0;
        break;
    case WKEY_FN(KEY_DOWN):
    case 'j':
        h->top++;
        break;
    case WKEY_FN(KEY_PPAGE):
        h->top = h->top > p ? h->top - p : 0;
        break;
    case WKEY_FN(KEY_NPAGE):
    case ' ':
        h->top += p;
        break;
    case WKEY_FN(KEY_HOME):
    case 'g':
        h->top = 0;
        break;
    case WKEY_FN(KEY_END):
    case 'G':
        h->top = h->n;
        break;
    default:
        return WR_HANDLED; /* an overlay: keys stop here */
    }
    clamp(h);
    return h->top != old ? WR_HANDLED | WR_MOVED | WR_REDRAW : WR_HANDLED;
}

static const struct widget_class help_class = {
    .name = "help",
    .draw = help_draw,
    .handle = help_handle,
    .del = help_del,
};
