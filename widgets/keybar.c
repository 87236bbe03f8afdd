/* widgets/keybar.c — the key bar (see keybar.h). */
#include "widgets/keybar.h"

#include <stdlib.h>
#include <string.h>

#include "widgets/text.h"

struct keybar_entry {
    char *key, *label, *short_label;
    int priority;
};

struct keybar {
    struct widget base;
    struct keybar_entry *items;
    size_t n, shown;
    /* The last layout, per item: shown, and with its short label. */
    bool *show, *brief;
    size_t *order; /* item indexes, least important first */
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
        free(k->items[i].key);
        free(k->items[i].label);
        free(k->items[i].short_label);
    }
    free(k->items);
    free(k->show);
    free(k->brief);
    free(k->order);
    k->items = NULL;
    k->show = k->brief = NULL;
    k->order = NULL;
    k->n = k->shown = 0;
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

/* Least important first: lower priority, then later in the bar. An
 * insertion sort: a bar holds a handful of items. */
static void order_items(struct keybar *k)
{
    for (size_t i = 0; i < k->n; i++) {
        size_t j = i;
        while (j > 0 && (k->items[k->order[j - 1]].priority > k->items[i].priority ||
                         (k->items[k->order[j - 1]].priority == k->items[i].priority &&
                          k->order[j - 1] < i))) {
            k->order[j] = k->order[j - 1];
            j--;
        }
        k->order[j] = i;
    }
}

int keybar_set(struct keybar *k, const struct keybar_item *items, size_t n)
{
    clear_items(k);
    size_t m = n ? n : 1;
    k->items = calloc(m, sizeof *k->items);
    k->show = calloc(m, sizeof *k->show);
    k->brief = calloc(m, sizeof *k->brief);
    k->order = calloc(m, sizeof *k->order);
    if (!k->items || !k->show || !k->brief || !k->order) {
        clear_items(k);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        k->items[i].key = strdup(items[i].key ? items[i].key : "");
        k->items[i].label = strdup(items[i].label ? items[i].label : "");
        k->n = i + 1;
        if (!k->items[i].key || !k->items[i].label) {
            clear_items(k);
            return -1;
        }
    }
    order_items(k);
    return 0;
}

int keybar_set_priority(struct keybar *k, size_t i, int priority, const char *short_label)
{
    if (i >= k->n)
        return -1;
    char *sl = short_label ? strdup(short_label) : NULL;
    if (short_label && !sl)
        return -1;
    free(k->items[i].short_label);
    k->items[i].short_label = sl;
    k->items[i].priority = priority;
    order_items(k);
    return 0;
}

size_t keybar_shown(const struct keybar *k)
{
    return k->shown;
}

bool keybar_is_shown(const struct keybar *k, size_t i)
{
    return i < k->n && k->show[i];
}

static const char *label_of(const struct keybar *k, size_t i)
{
    const struct keybar_entry *it = &k->items[i];
    return k->brief[i] && it->short_label ? it->short_label : it->label;
}

/* Columns the shown items take: key, label, and a space between items. */
static int bar_width(const struct keybar *k)
{
    int w = 0, n = 0;
    for (size_t i = 0; i < k->n; i++)
        if (k->show[i]) {
            w += text_width(k->items[i].key, TEXT_NUL) + text_width(label_of(k, i), TEXT_NUL);
            n++;
        }
    return n ? w + n - 1 : 0;
}

/* Chooses what shows in width columns (see keybar.h). */
static void fit(struct keybar *k, int width)
{
    for (size_t i = 0; i < k->n; i++) {
        k->show[i] = true;
        k->brief[i] = false;
    }
    for (size_t o = 0; o < k->n && bar_width(k) > width; o++) {
        size_t i = k->order[o];
        const char *sl = k->items[i].short_label;
        if (sl && text_width(sl, TEXT_NUL) < text_width(k->items[i].label, TEXT_NUL))
            k->brief[i] = true;
    }
    for (size_t o = 0; o < k->n && bar_width(k) > width; o++)
        k->show[k->order[o]] = false;
    for (size_t o = k->n; o-- > 0;) {
        size_t i = k->order[o];
        if (!k->show[i] || !k->brief[i])
            continue;
        k->brief[i] = false;
        if (bar_width(k) > width)
            k->brief[i] = true;
    }
}

static void keybar_draw(struct widget *w, WINDOW *win)
{
    struct keybar *k = (struct keybar *)w;
    draw_fill(win, w->y, w->x, w->w, ROLE_KEY_LABEL);
    int x = w->x;
    fit(k, w->w);
    k->shown = 0;
    for (size_t i = 0; i < k->n; i++) {
        if (!k->show[i])
            continue;
        const char *label = label_of(k, i);
        int kw = text_width(k->items[i].key, TEXT_NUL), lw = text_width(label, TEXT_NUL);
        x += draw_text(win, w->y, x, kw, k->items[i].key, TEXT_NUL, ROLE_KEY, 0);
        x += draw_text(win, w->y, x, lw, label, TEXT_NUL, ROLE_KEY_LABEL, 0);
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
