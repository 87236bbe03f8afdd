/* widgets/detail.c — the detail view (see detail.h). */
#include "widgets/detail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/scrollview.h"
#include "widgets/text.h"

struct detail {
    struct widget base;
    char *title;
    struct scrollview sv;
};

static const struct widget_class detail_class;

struct detail *detail_new(const char *title)
{
    struct detail *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    widget_init(&d->base, &detail_class);
    if (title && !(d->title = strdup(title))) {
        free(d);
        return NULL;
    }
    return d;
}

struct widget *detail_widget(struct detail *d)
{
    return &d->base;
}

static void detail_del(struct widget *w)
{
    struct detail *d = (struct detail *)w;
    sv_clear(&d->sv);
    free(d->title);
    free(d);
}

void detail_delete(struct detail *d)
{
    if (d)
        detail_del(&d->base);
}

void detail_clear(struct detail *d)
{
    sv_clear(&d->sv);
}

int detail_add_section(struct detail *d, const char *title)
{
    if (d->sv.n && sv_add(&d->sv, 0, NULL, "", ROLE_NORMAL, ROLE_NORMAL, 0) < 0)
        return -1;
    return sv_add(&d->sv, 0, NULL, title, ROLE_TITLE, ROLE_TITLE, 0);
}

int detail_add_kv(struct detail *d, int indent, const char *key, const char *value)
{
    /* "key: value", the key in the label role; the text stays plain for copy-out */
    size_t kl = strlen(key ? key : "");
    char *k = malloc(kl + 3);
    if (!k)
        return -1;
    snprintf(k, kl + 3, "%s: ", key ? key : "");
    int rc = sv_add(&d->sv, indent * 2, k, value ? value : "", ROLE_LABEL, ROLE_NORMAL, 0);
    free(k);
    if (rc < 0)
        return rc;
    /* values of a run of key/value lines at one indent start in one column
     * (keys over 24 columns don't push the others) */
    struct sv_line *l = d->sv.l;
    size_t last = d->sv.n - 1, first = last;
    while (first > 0 && l[first - 1].key_role == ROLE_LABEL &&
           l[first - 1].indent == l[last].indent)
        first--;
    int w = 0;
    for (size_t i = first; i <= last; i++) {
        int kw = text_width(l[i].text, l[i].keylen);
        if (kw <= 24 && kw > w)
            w = kw;
    }
    for (size_t i = first; i <= last; i++)
        l[i].keycols = w;
    return 0;
}

int detail_add_line(struct detail *d, int indent, const char *text, enum theme_role role)
{
    return sv_add(&d->sv, indent * 2, NULL, text, role, role, 0);
}

int detail_add_tree(struct detail *d, int indent, const void *root, const struct tree_ops *ops)
{
    return sv_add_tree(&d->sv, indent * 2, root, ops, false);
}

size_t detail_line_count(const struct detail *d)
{
    return d->sv.n;
}
size_t detail_top(const struct detail *d)
{
    return d->sv.top;
}

const char *detail_line_text(const struct detail *d, size_t i)
{
    return i < d->sv.n ? d->sv.l[i].text : NULL;
}

static void detail_draw(struct widget *w, WINDOW *win)
{
    struct detail *d = (struct detail *)w;
    if (d->title && w->h >= 3 && w->w >= 4) {
        draw_box(win, w->y, w->x, w->h, w->w, d->title, ROLE_NORMAL);
        sv_draw(&d->sv, win, w->y + 1, w->x + 1, w->h - 2, w->w - 2);
    } else {
        sv_draw(&d->sv, win, w->y, w->x, w->h, w->w);
    }
}

static int detail_handle(struct widget *w, int key)
{
    struct detail *d = (struct detail *)w;
    return sv_handle(&d->sv, key, d->title && w->h >= 3 ? w->h - 2 : w->h);
}

static const struct widget_class detail_class = {
    .name = "detail",
    .draw = detail_draw,
    .handle = detail_handle,
    .del = detail_del,
};
