/* widgets/keybar.c — the key bar (see keybar.h). */
#include "widgets/keybar.h"

#include <stdlib.h>
#include <string.h>

#include "widgets/text.h"

struct keybar {
    struct widget base;
    struct keybar_item *items;
    size_t n, shown;
};

static const struct widget_class keybar_class;

struct keybar *keybar_new(void)
{
    struct keybar *k = calloc(1, sizeof *k);
    if (k)
        widget_init(&k->base, &keybar_class);
    return k;
}

struct widget *keybar_widget(struct keybar *k)
{
    return &k->base;
}

static void clear_items(struct keybar *k)
{
    for (size_t i = 0; i < k->n; i++) {
        free((char *)k->items[i].key);
        free((char *)k->items[i].label);
    }
    free(k->items);
    k->items = NULL;
    k->n = 0;
}

static void keybar_del(struct widget *w)
{
    struct keybar *k = (struct keybar *)w;
    clear_items(k);
    free(k);
}

void keybar_delete(struct keybar *k)
{
    if (k)
        keybar_del(&k->base);
}

int keybar_set(struct keybar *k, const struct keybar_item *items, size_t n)
{
    clear_items(k);
    k->items = calloc(n ? n : 1, sizeof *k->items);
    if (!k->items)
        return -1;
    for (size_t i = 0; i < n; i++) {
        k->items[i].key = strdup(items[i].key ? items[i].key : "");
        k->items[i].label = strdup(items[i].label ? items[i].label : "");
        k->n = i + 1;
        if (!k->items[i].key || !k->items[i].label) {
            clear_items(k);
            return -1;
        }
    }
    return 0;
}

size_t keybar_shown(const struct keybar *k)
{
    return k->shown;
}

static void keybar_draw(struct widget *w, WINDOW *win)
{
    struct keybar *k = (struct keybar *)w;
    draw_fill(win, w->y, w->x, w->w, ROLE_KEY_LABEL);
    int x = w->x, right = w->x + w->w;
    k->shown = 0;
    for (size_t i = 0; i < k->n; i++) {
        int kw = text_width(k->items[i].key, TEXT_NUL);
        int lw = text_width(k->items[i].label, TEXT_NUL);
        if (x + kw + lw > right)
            break; /* whole items only */
        x += draw_text(win, w->y, x, kw, k->items[i].key, TEXT_NUL, ROLE_KEY, 0);
        x += draw_text(win, w->y, x, lw, k->items[i].label, TEXT_NUL, ROLE_KEY_LABEL, 0);
        x += 1;
        k->shown++;
    }
}

static int keybar_handle(struct widget *w, int key)
{
    return WR_IGNORED;
}

static const struct widget_class keybar_class = {
    .name = "keybar",
    .draw = keybar_draw,
    .handle = keybar_handle,
    .del = keybar_del,
};
