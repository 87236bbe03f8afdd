/* widgets/diff.c — before/after view (see diff.h). */
#include "widgets/diff.h"

#include <stdlib.h>
#include <string.h>

#include "widgets/scrollview.h"
#include "widgets/text.h"

struct diff {
    struct widget base;
    char *title;
    struct scrollview sv;
    size_t changes;
};

static const struct widget_class diff_class;

struct diff *diff_new(const char *title)
{
    struct diff *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    widget_init(&d->base, &diff_class);
    if (title && !(d->title = strdup(title))) {
        free(d);
        return NULL;
    }
    return d;
}

struct widget *diff_widget(struct diff *d)
{
    return &d->base;
}

static void diff_del(struct widget *w)
{
    struct diff *d = (struct diff *)w;
    sv_clear(&d->sv);
    free(d->title);
    free(d);
}

void diff_delete(struct diff *d)
{
    if (d)
        diff_del(&d->base);
}

/* Line diff by longest common subsequence. Records are small (a few hundred
 * lines); above LCS_MAX cells the middle is shown as all removed then all
 * added, which is still correct, only less tidy. */
enum { LCS_MAX = 4 * 1000 * 1000 };

static int emit(struct diff *d, char mark, const char *line)
{
    enum theme_role r = mark == '+' ? ROLE_DIFF_ADD : mark == '-' ? ROLE_DIFF_REMOVE : ROLE_NORMAL;
    if (mark != ' ')
        d->changes++;
    return sv_add(&d->sv, 0, NULL, line, r, r, mark);
}

int diff_set_lines(struct diff *d, const char *const *a, size_t na, const char *const *b, size_t nb)
{
    sv_clear(&d->sv);
    d->sv.marks = true;
    d->changes = 0;
    /* common prefix and suffix first: the usual edit touches a few lines */
    size_t pre = 0, suf = 0;
    while (pre < na && pre < nb && strcmp(a[pre], b[pre]) == 0)
        pre++;
    while (suf < na - pre && suf < nb - pre && strcmp(a[na - 1 - suf], b[nb - 1 - suf]) == 0)
        suf++;
    for (size_t i = 0; i < pre; i++)
        if (emit(d, ' ', a[i]) < 0)
            return -1;
    size_t m = na - pre - suf, n = nb - pre - suf;
    const char *const *x = a + pre, *const *y = b + pre;
    unsigned *tab = NULL;
    if (m && n && (m + 1) * (n + 1) <= LCS_MAX)
        tab = calloc((m + 1) * (n + 1), sizeof *tab);
    if (tab) {
        /* tab[i][j]: LCS length of x[i..] and y[j..] */
        for (size_t i = m; i-- > 0;)
            for (size_t j = n; j-- > 0;)
                tab[i * (n + 1) + j] = strcmp(x[i], y[j]) == 0
                                           ? tab[(i + 1) * (n + 1) + j + 1] + 1
                                           : (tab[(i + 1) * (n + 1) + j] > tab[i * (n + 1) + j + 1]
                                                  ? tab[(i + 1) * (n + 1) + j]
                                                  : tab[i * (n + 1) + j + 1]);
        size_t i = 0, j = 0;
        while (i < m || j < n) {
            int rc;
            if (i < m && j < n && strcmp(x[i], y[j]) == 0) {
                rc = emit(d, ' ', x[i]);
                i++, j++;
            } else if (i < m &&
                       (j == n || tab[(i + 1) * (n + 1) + j] >= tab[i * (n + 1) + j + 1])) {
                rc = emit(d, '-', x[i++]); /* removals first, as diff(1) shows them */
            } else {
                rc = emit(d, '+', y[j++]);
            }
            if (rc < 0) {
                free(tab);
                return -1;
            }
        }
        free(tab);
    } else {
        for (size_t i = 0; i < m; i++)
            if (emit(d, '-', x[i]) < 0)
                return -1;
        for (size_t j = 0; j < n; j++)
            if (emit(d, '+', y[j]) < 0)
                return -1;
    }
    for (size_t i = na - suf; i < na; i++)
        if (emit(d, ' ', a[i]) < 0)
            return -1;
    return 0;
}

/* Renders a tree into plain lines (indent as spaces) through the scrollview's
 * printer, so the diff compares exactly what the detail view would show. */
static char **tree_lines(const void *root, const struct tree_ops *ops, size_t *n)
{
    struct scrollview sv = {0};
    *n = 0;
    if (sv_add_tree(&sv, 0, root, ops, true) < 0) {
        sv_clear(&sv);
        return NULL;
    }
    char **out = calloc(sv.n ? sv.n : 1, sizeof *out);
    for (size_t i = 0; out && i < sv.n; i++) {
        size_t l = strlen(sv.l[i].text);
        out[i] = malloc((size_t)sv.l[i].indent + l + 1);
        if (!out[i]) {
            for (size_t k = 0; k < i; k++)
                free(out[k]);
            free(out);
            out = NULL;
            break;
        }
        memset(out[i], ' ', (size_t)sv.l[i].indent);
        memcpy(out[i] + sv.l[i].indent, sv.l[i].text, l + 1);
    }
    if (out)
        *n = sv.n;
    sv_clear(&sv);
    return out;
}

static void free_lines(char **l, size_t n)
{
    for (size_t i = 0; l && i < n; i++)
        free(l[i]);
    free(l);
}

int diff_set_trees(struct diff *d, const void *before, const void *after,
                   const struct tree_ops *ops)
{
    size_t na, nb;
    char **a = tree_lines(before, ops, &na), **b = tree_lines(after, ops, &nb);
    int rc = -1;
    if (a && b)
        rc = diff_set_lines(d, (const char *const *)a, na, (const char *const *)b, nb);
    free_lines(a, na);
    free_lines(b, nb);
    return rc;
}

size_t diff_changes(const struct diff *d)
{
    return d->changes;
}
size_t diff_line_count(const struct diff *d)
{
    return d->sv.n;
}

const char *diff_line(const struct diff *d, size_t i, char *mark)
{
    if (i >= d->sv.n)
        return NULL;
    if (mark)
        *mark = d->sv.l[i].mark;
    return d->sv.l[i].text;
}

static void diff_draw(struct widget *w, WINDOW *win)
{
    struct diff *d = (struct diff *)w;
    if (d->title && w->h >= 3 && w->w >= 4) {
        draw_box(win, w->y, w->x, w->h, w->w, d->title, ROLE_NORMAL);
        sv_draw(&d->sv, win, w->y + 1, w->x + 1, w->h - 2, w->w - 2);
    } else {
        sv_draw(&d->sv, win, w->y, w->x, w->h, w->w);
    }
}

static int diff_handle(struct widget *w, int key)
{
    struct diff *d = (struct diff *)w;
    return sv_handle(&d->sv, key, d->title && w->h >= 3 ? w->h - 2 : w->h);
}

static const struct widget_class diff_class = {
    .name = "diff",
    .draw = diff_draw,
    .handle = diff_handle,
    .del = diff_del,
};
