/* widgets/tabbar.c — a row of tabs (see tabbar.h). */
#include "widgets/tabbar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/text.h"

struct tabbar {
    struct widget base;
    char **labels;
    size_t n, active;
};

static const struct widget_class tabbar_class;

struct tabbar *tabbar_new(const char *const *labels, size_t n)
{
    struct tabbar *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    widget_init(&t->base, &tabbar_class);
    t->labels = calloc(n ? n : 1, sizeof *t->labels);
    if (!t->labels) {
        free(t);
        return NULL;
    }
    t->n = n;
    for (size_t i = 0; i < n; i++)
        if (!(t->labels[i] = strdup(labels[i] ? labels[i] : ""))) {
            tabbar_delete(t);
            return NULL;
        }
    return t;
}

struct widget *tabbar_widget(struct tabbar *t)
{
    return &t->base;
}

static void tabbar_del(struct widget *w)
{
    struct tabbar *t = (struct tabbar *)w;
    for (size_t i = 0; i < t->n; i++)
        free(t->labels[i]);
    free(t->labels);
    free(t);
}

void tabbar_delete(struct tabbar *t)
{
    if (t)
        tabbar_del(&t->base);
}

int tabbar_set_active(struct tabbar *t, size_t i)
{
    if (i >= t->n || i == t->active)
        return 0;
    t->active = i;
    return WR_HANDLED | WR_CHANGED | WR_REDRAW;
}

size_t tabbar_active(const struct tabbar *t)
{
    return t->active;
}

int tabbar_set_label(struct tabbar *t, size_t i, const char *label)
{
    if (i >= t->n)
        return -1;
    char *c = strdup(label ? label : "");
    if (!c)
        return -1;
    free(t->labels[i]);
    t->labels[i] = c;
    return 0;
}

static void tabbar_draw(struct widget *w, WINDOW *win)
{
    struct tabbar *t = (struct tabbar *)w;
    draw_fill(win, w->y, w->x, w->w, ROLE_TAB);
    /* Every tab gets an equal share when they do not all fit, the active
     * one first so it is never the one cut to nothing. */
    int total = 0;
    for (size_t i = 0; i < t->n; i++)
        total += text_width(t->labels[i], TEXT_NUL) + (i < 9 ? 4 : 2);
    int share = t->n ? w->w / (int)t->n : 0;
    int x = w->x, right = w->x + w->w;
    for (size_t i = 0; i < t->n && x < right; i++) {
        enum theme_role r = i == t->active ? ROLE_TAB_ACTIVE : ROLE_TAB;
        int lw = text_width(t->labels[i], TEXT_NUL) + (i < 9 ? 4 : 2);
        int room =
            total <= w->w ? lw : (i == t->active ? (lw < right - x ? lw : right - x) : share);
        if (room > right - x)
            room = right - x;
        char num[24] = "";
        if (i < 9)
            snprintf(num, sizeof num, " %zu", i + 1);
        int n = draw_text(win, w->y, x, room, num, TEXT_NUL, r, 0);
        n += draw_text(win, w->y, x + n, room - n, " ", TEXT_NUL, r, 0);
        n += draw_text(win, w->y, x + n, room - n - 1, t->labels[i], TEXT_NUL, r, TEXT_ELLIPSIS);
        n += draw_text(win, w->y, x + n, room - n, " ", TEXT_NUL, r, 0);
        x += n;
    }
}

static int tabbar_handle(struct widget *w, int key)
{
    struct tabbar *t = (struct tabbar *)w;
    if (t->n == 0)
        return WR_IGNORED;
    size_t to;
    if (key == '\t')
        to = (t->active + 1) % t->n;
    else if (key == WKEY_FN(KEY_BTAB))
        to = (t->active + t->n - 1) % t->n;
    else if (key >= '1' && key <= '9' && (size_t)(key - '1') < t->n)
        to = (size_t)(key - '1');
    else
        return WR_IGNORED;
    int r = tabbar_set_active(t, to);
    return r ? r : WR_HANDLED;
}

static const struct widget_class tabbar_class = {
    .name = "tabbar",
    .draw = tabbar_draw,
    .handle = tabbar_handle,
    .del = tabbar_del,
};
