/* widgets/table.c — the virtual table (see table.h). */
#include "widgets/table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/text.h"

enum { CELL_CAP = 1024, FILTER_CAP = 4096 };

struct text_key {
    size_t row, off; /* off: the folded cell text in the arena */
};

struct table {
    struct widget base;
    struct table_column *cols;
    int ncols;
    struct table_source src;
    size_t count;
    bool more, page_pending;
    /* The view: positions -> owner rows. NULL means identity (no filter, no
     * table-side sort), so an unfiltered million rows cost no memory. */
    size_t *view, nview, view_cap;
    bool use_view;        /* false: identity, view unused */
    size_t filtered_upto; /* rows [0, filtered_upto) were offered to the filter */
    size_t sorted_upto;   /* view[0, sorted_upto) is in sort order */
    /* Text sort: the folded cell of each view entry, in view order, kept
     * so rows appended later are merged in without reading the rest again. */
    struct text_key *tkeys;
    size_t tkeys_cap;
    char *arena;
    size_t arena_used, arena_cap;
    char *filter;
    char folded[512];
    size_t folded_len;
    int sort_col;
    bool sort_desc;
    char *search; /* table_set_search(), NULL when none */
    char search_folded[512];
    size_t search_folded_len;
    char *cur_key;   /* row_key of the cursor row when it last moved (see table_reload) */
    size_t cur, top; /* positions; cur == visible count is the "more" row */
    unsigned char *marks;
    size_t marks_bytes, nmarks;
    char *empty_text;
};

static const struct widget_class table_class;

static size_t visible(const struct table *t)
{
    return t->use_view ? t->nview : t->count;
}
static size_t positions(const struct table *t)
{
    return visible(t) + (t->more ? 1 : 0);
}
static size_t row_at(const struct table *t, size_t pos)
{
    return t->use_view ? t->view[pos] : pos;
}
static size_t body_rows(const struct table *t)
{
    return t->base.h > 1 ? (size_t)t->base.h - 1 : 1;
}
static bool sorting_here(const struct table *t)
{
    return t->sort_col >= 0;
}

struct table *table_new(const struct table_column *cols, int ncols, const struct table_source *src)
{
    struct table *t = calloc(1, sizeof *t);
    if (!t || ncols < 0 || !src || !src->cell)
        goto fail;
    widget_init(&t->base, &table_class);
    t->cols = calloc((size_t)ncols + 1, sizeof *t->cols);
    if (!t->cols)
        goto fail;
    for (int i = 0; i < ncols; i++) {
        t->cols[i] = cols[i];
        t->cols[i].title = strdup(cols[i].title ? cols[i].title : "");
        if (!t->cols[i].title)
            goto fail;
        t->ncols = i + 1;
    }
    t->src = *src;
    t->sort_col = -1;
    return t;
fail:
    table_delete(t);
    return NULL;
}

struct widget *table_widget(struct table *t)
{
    return &t->base;
}

static void table_del(struct widget *w)
{
    struct table *t = (struct table *)w;
    for (int i = 0; i < t->ncols; i++)
        free((char *)t->cols[i].title);
    free(t->cols);
    free(t->view);
    free(t->tkeys);
    free(t->arena);
    free(t->filter);
    free(t->marks);
    free(t->empty_text);
    free(t->search);
    free(t->cur_key);
    free(t);
}

void table_delete(struct table *t)
{
    if (t)
        table_del(&t->base);
}

void table_set_empty_text(struct table *t, const char *text)
{
    free(t->empty_text);
    t->empty_text = text ? strdup(text) : NULL;
}

/* ---- the view: filter and sort ---- */

static bool view_push(struct table *t, size_t row)
{
    if (t->nview == t->view_cap) {
        size_t cap = t->view_cap ? t->view_cap * 2 : 1024;
        size_t *v = realloc(t->view, cap * sizeof *v);
        if (!v)
            return false;
        t->view = v;
        t->view_cap = cap;
    }
    t->view[t->nview++] = row;
    return true;
}

static bool row_contains(struct table *t, size_t row, char *buf, const char *needle, size_t nlen)
{
    const char *s;
    size_t n;
    if (t->src.filter_text) {
        s = t->src.filter_text(t->src.ctx, row, buf, FILTER_CAP);
        n = s ? strlen(s) : 0;
    } else {
        /* every column's cell, space separated */
        char cell[CELL_CAP];
        n = 0;
        for (int c = 0; c < t->ncols; c++) {
            const char *v = t->src.cell(t->src.ctx, row, c, cell, sizeof cell);
            size_t l = v ? strlen(v) : 0;
            if (n + l + 2 > FILTER_CAP)
                l = FILTER_CAP - n - 2;
            if (c)
                buf[n++] = ' ';
            memcpy(buf + n, v ? v : "", l);
            n += l;
        }
        buf[n] = '\0';
        s = buf;
    }
    return s && text_contains_folded(s, n, needle, nlen);
}

static bool row_matches(struct table *t, size_t row, char *buf)
{
    return row_contains(t, row, buf, t->folded, t->folded_len);
}

/* Sorting: the owner's compare when it has one (it knows dates and sizes),
 * else the cells' text in text_compare's order. Either way ties keep the
 * owner's order, ascending or descending, so a sort is stable. */
static int compare_rows(const void *a, const void *b, void *arg)
{
    const struct table *t = arg;
    size_t ra = *(const size_t *)a, rb = *(const size_t *)b;
    int c = t->src.compare(t->src.ctx, ra, rb, t->sort_col);
    if (t->sort_desc)
        c = c < 0 ? 1 : c > 0 ? -1 : 0;
    if (c == 0)
        c = ra < rb ? -1 : ra > rb;
    return c;
}

struct text_sort {
    const char *arena;
    bool desc;
};

static int compare_text_keys(const void *a, const void *b, void *arg)
{
    const struct text_sort *ts = arg;
    const struct text_key *ka = a, *kb = b;
    int c = strverscmp(ts->arena + ka->off, ts->arena + kb->off);
    if (ts->desc)
        c = c < 0 ? 1 : c > 0 ? -1 : 0;
    if (c == 0)
        c = ka->row < kb->row ? -1 : ka->row > kb->row;
    return c;
}

/* The folded cell text of view[from, nview) into tkeys and the arena, in
 * text_compare's order (fold, then strverscmp): each cell read and folded
 * once, not once a comparison. false when out of memory. */
static bool text_keys_add(struct table *t, size_t from)
{
    char cell[CELL_CAP], folded[CELL_CAP];
    if (t->nview > t->tkeys_cap) {
        size_t cap = t->view_cap;
        struct text_key *k = realloc(t->tkeys, cap * sizeof *k);
        if (!k)
            return false;
        t->tkeys = k;
        t->tkeys_cap = cap;
    }
    for (size_t p = from; p < t->nview; p++) {
        const char *v = t->src.cell(t->src.ctx, t->view[p], t->sort_col, cell, sizeof cell);
        size_t n = text_fold(folded, sizeof folded, v ? v : "") + 1;
        if (t->arena_used + n > t->arena_cap) {
            size_t cap = t->arena_cap ? t->arena_cap * 2 : 65536;
            while (cap < t->arena_used + n)
                cap *= 2;
            char *na = realloc(t->arena, cap);
            if (!na)
                return false;
            t->arena = na;
            t->arena_cap = cap;
        }
        memcpy(t->arena + t->arena_used, folded, n);
        t->tkeys[p] = (struct text_key){t->view[p], t->arena_used};
        t->arena_used += n;
    }
    return true;
}

/* Merges the sorted runs a[0, na) and a[na, n) of elements of size sz. */
static bool merge_runs(void *a, size_t na, size_t n, size_t sz,
                       int (*cmp)(const void *, const void *, void *), void *arg)
{
    char *tmp = malloc(n * sz), *base = a;
    if (!tmp)
        return false;
    size_t i = 0, j = na, o = 0;
    while (i < na && j < n) {
        if (cmp(base + j * sz, base + i * sz, arg) < 0)
            memcpy(tmp + o++ * sz, base + j++ * sz, sz);
        else
            memcpy(tmp + o++ * sz, base + i++ * sz, sz);
    }
    memcpy(tmp + o * sz, base + i * sz, (na - i) * sz);
    o += na - i;
    memcpy(tmp + o * sz, base + j * sz, (n - j) * sz);
    memcpy(base, tmp, n * sz);
    free(tmp);
    return true;
}

/* Brings view[sorted_upto, nview) into the sort order: sorts the new rows
 * alone, then merges them in, so a page appended to a big sorted table
 * costs its own sort and one pass, not a sort of everything. Out of memory:
 * the view stays in the owner's order where it was not sorted yet. */
static void sort_view(struct table *t)
{
    size_t old = t->sorted_upto, n = t->nview;
    if (old >= n)
        return;
    if (t->src.compare) {
        qsort_r(t->view + old, n - old, sizeof *t->view, compare_rows, t);
        if (old && !merge_runs(t->view, old, n, sizeof *t->view, compare_rows, t))
            return;
    } else {
        if (!text_keys_add(t, old))
            return;
        struct text_sort ts = {t->arena, t->sort_desc};
        qsort_r(t->tkeys + old, n - old, sizeof *t->tkeys, compare_text_keys, &ts);
        if (old && !merge_runs(t->tkeys, old, n, sizeof *t->tkeys, compare_text_keys, &ts))
            return;
        for (size_t p = 0; p < n; p++)
            t->view[p] = t->tkeys[p].row;
    }
    t->sorted_upto = n;
}

/* Forgets the view (rows to be offered again from the first). */
static void view_reset(struct table *t)
{
    t->nview = 0;
    t->filtered_upto = 0;
    t->sorted_upto = 0;
    t->arena_used = 0;
}

/* Remembers the key of the row under the cursor, so that table_reload can
 * find it again after the owner replaced its rows. */
static void remember_cursor(struct table *t)
{
    if (!t->src.row_key)
        return;
    char buf[CELL_CAP];
    size_t row = table_cursor(t);
    const char *k = row == TABLE_NONE ? NULL : t->src.row_key(t->src.ctx, row, buf, sizeof buf);
    if (k && t->cur_key && strcmp(k, t->cur_key) == 0)
        return;
    free(t->cur_key);
    t->cur_key = k ? strdup(k) : NULL;
}

/* The position of the row whose key is key, looking outward from near (a
 * deletion moves rows a little, rarely far). */
static bool find_key(const struct table *t, const char *key, size_t near, size_t *pos)
{
    size_t n = visible(t);
    char buf[CELL_CAP];
    if (n == 0)
        return false;
    if (near >= n)
        near = n - 1;
    for (size_t d = 0; d <= near || near + d < n; d++) {
        size_t cand[2] = {d <= near ? near - d : SIZE_MAX, d && near + d < n ? near + d : SIZE_MAX};
        for (int i = 0; i < 2; i++) {
            if (cand[i] == SIZE_MAX)
                continue;
            const char *k = t->src.row_key(t->src.ctx, row_at(t, cand[i]), buf, sizeof buf);
            if (k && strcmp(k, key) == 0) {
                *pos = cand[i];
                return true;
            }
        }
    }
    return false;
}

/* Brings the view up to date with count rows: filters the rows not yet
 * offered, sorts. keep_row: the row the cursor should stay on (or NONE). */
static void view_update(struct table *t, size_t keep_row)
{
    bool need_view = (t->filter && t->filter[0]) || sorting_here(t);
    t->use_view = need_view;
    if (!need_view) {
        free(t->view);
        free(t->tkeys);
        free(t->arena);
        t->view = NULL;
        t->tkeys = NULL;
        t->arena = NULL;
        view_reset(t);
        t->view_cap = t->tkeys_cap = t->arena_cap = 0;
        t->filtered_upto = t->count;
    } else {
        char *buf = malloc(FILTER_CAP);
        bool filtering = t->filter && t->filter[0];
        for (size_t r = t->filtered_upto; r < t->count && buf; r++) {
            if (filtering && !row_matches(t, r, buf))
                continue;
            if (!view_push(t, r))
                break;
        }
        free(buf);
        t->filtered_upto = t->count;
        if (sorting_here(t))
            sort_view(t);
    }
    if (keep_row != TABLE_NONE) {
        size_t n = visible(t);
        for (size_t p = 0; p < n; p++)
            if (row_at(t, p) == keep_row) {
                t->cur = p;
                break;
            }
    }
    size_t np = positions(t);
    if (t->cur >= np)
        t->cur = np ? np - 1 : 0;
    remember_cursor(t);
}

static void view_rebuild(struct table *t)
{
    size_t keep = table_cursor(t);
    view_reset(t);
    view_update(t, keep);
}

/* ---- rows ---- */

static bool marks_grow(struct table *t, size_t count)
{
    size_t need = (count + 7) / 8;
    if (need <= t->marks_bytes)
        return true;
    unsigned char *m = realloc(t->marks, need);
    if (!m)
        return false;
    memset(m + t->marks_bytes, 0, need - t->marks_bytes);
    t->marks = m;
    t->marks_bytes = need;
    return true;
}

static int scroll_to_cursor(struct table *t)
{
    size_t body = body_rows(t);
    if (t->cur < t->top)
        t->top = t->cur;
    else if (t->cur >= t->top + body)
        t->top = t->cur - body + 1;
    size_t np = positions(t);
    if (np <= body)
        t->top = 0;
    else if (t->top > np - body)
        t->top = np - body;
    return WR_REDRAW;
}

int table_set_rows(struct table *t, size_t count, bool more)
{
    if (count < t->count)
        return table_reload(t, count, more);
    size_t keep = table_cursor(t);
    marks_grow(t, count);
    t->count = count;
    t->more = more;
    t->page_pending = false;
    view_update(t, keep);
    scroll_to_cursor(t);
    return WR_REDRAW;
}

int table_reload(struct table *t, size_t count, bool more)
{
    /* The key was taken while the old rows were there; t->cur_key is
     * replaced by view_update below, so keep it. */
    char *key = t->cur_key;
    t->cur_key = NULL;
    size_t old_pos = t->cur;
    free(t->marks);
    t->marks = NULL;
    t->marks_bytes = 0;
    t->nmarks = 0;
    marks_grow(t, count);
    t->count = count;
    t->more = more;
    t->page_pending = false;
    view_reset(t);
    view_update(t, TABLE_NONE);
    size_t pos;
    if (key && find_key(t, key, old_pos, &pos)) {
        t->cur = pos;
        remember_cursor(t);
    }
    free(key);
    scroll_to_cursor(t);
    return WR_REDRAW | WR_MARKS;
}

size_t table_row_count(const struct table *t)
{
    return t->count;
}
size_t table_visible_count(const struct table *t)
{
    return visible(t);
}
bool table_page_pending(const struct table *t)
{
    return t->page_pending;
}
size_t table_top(const struct table *t)
{
    return t->top;
}

size_t table_cursor(const struct table *t)
{
    return t->cur < visible(t) ? row_at(t, t->cur) : TABLE_NONE;
}

/* After a move: asks for the next page when the cursor is within a screen
 * of the end, once per page. */
static int maybe_page(struct table *t)
{
    if (t->more && !t->page_pending && t->cur + body_rows(t) >= visible(t)) {
        t->page_pending = true;
        return WR_PAGE;
    }
    return 0;
}

static int move_to(struct table *t, size_t pos)
{
    size_t np = positions(t);
    if (np == 0)
        return WR_HANDLED;
    if (pos >= np)
        pos = np - 1;
    int r = WR_HANDLED;
    if (pos != t->cur)
        r |= WR_MOVED | WR_REDRAW;
    t->cur = pos;
    remember_cursor(t);
    scroll_to_cursor(t);
    return r | maybe_page(t);
}

int table_set_cursor(struct table *t, size_t row)
{
    size_t n = visible(t);
    for (size_t p = 0; p < n; p++)
        if (row_at(t, p) == row)
            return move_to(t, p);
    return 0;
}

int table_move(struct table *t, long delta)
{
    size_t pos = t->cur;
    if (delta < 0)
        pos = (size_t)-delta > pos ? 0 : pos - (size_t)-delta;
    else
        pos = (size_t)delta > SIZE_MAX - pos ? SIZE_MAX : pos + (size_t)delta;
    return move_to(t, pos);
}

int table_home(struct table *t)
{
    return move_to(t, 0);
}
int table_end(struct table *t)
{
    return move_to(t, SIZE_MAX);
}
int table_page_down(struct table *t)
{
    return table_move(t, (long)body_rows(t));
}
int table_page_up(struct table *t)
{
    return table_move(t, -(long)body_rows(t));
}

/* ---- marks ---- */

bool table_is_marked(const struct table *t, size_t row)
{
    return row < t->count && row / 8 < t->marks_bytes && (t->marks[row / 8] >> (row % 8)) & 1;
}

static void set_mark(struct table *t, size_t row, bool on)
{
    if (row >= t->count || row / 8 >= t->marks_bytes || table_is_marked(t, row) == on)
        return;
    t->marks[row / 8] ^= (unsigned char)(1u << (row % 8));
    t->nmarks += on ? 1 : (size_t)-1;
}

int table_mark_toggle(struct table *t)
{
    size_t row = table_cursor(t);
    if (row == TABLE_NONE)
        return WR_HANDLED;
    set_mark(t, row, !table_is_marked(t, row));
    int r = WR_HANDLED | WR_MARKS | WR_REDRAW;
    /* Past the last loaded row onto "more…", where Space marks nothing: a
     * key typed ahead of a page must not unmark the row it just marked. */
    if (t->cur + 1 < positions(t))
        r |= move_to(t, t->cur + 1);
    return r;
}

int table_mark_all(struct table *t)
{
    size_t n = visible(t);
    for (size_t p = 0; p < n; p++)
        set_mark(t, row_at(t, p), true);
    return WR_HANDLED | WR_MARKS | WR_REDRAW;
}

int table_clear_marks(struct table *t)
{
    if (t->marks)
        memset(t->marks, 0, t->marks_bytes);
    t->nmarks = 0;
    return WR_HANDLED | WR_MARKS | WR_REDRAW;
}

size_t table_mark_count(const struct table *t)
{
    return t->nmarks;
}

size_t table_next_mark(const struct table *t, size_t from)
{
    for (size_t r = from; r < t->count; r++) {
        if (r % 8 == 0 && r / 8 < t->marks_bytes && t->marks[r / 8] == 0) {
            r += 7;
            continue;
        }
        if (table_is_marked(t, r))
            return r;
    }
    return TABLE_NONE;
}

/* ---- filter and sort ---- */

int table_set_filter(struct table *t, const char *text)
{
    if (!text)
        text = "";
    if (t->filter && strcmp(t->filter, text) == 0)
        return WR_HANDLED;
    char *copy = strdup(text);
    if (!copy)
        return WR_HANDLED;
    free(t->filter);
    t->filter = copy;
    t->folded_len = text_fold(t->folded, sizeof t->folded, text);
    view_rebuild(t);
    scroll_to_cursor(t);
    return WR_HANDLED | WR_CHANGED | WR_REDRAW;
}

const char *table_filter(const struct table *t)
{
    return t->filter ? t->filter : "";
}

int table_rows_changed(struct table *t)
{
    view_rebuild(t);
    scroll_to_cursor(t);
    return WR_REDRAW;
}

int table_sort(struct table *t, int col, bool descending)
{
    if (col >= t->ncols)
        col = -1;
    t->sort_col = col;
    t->sort_desc = descending;
    view_rebuild(t);
    scroll_to_cursor(t);
    return WR_HANDLED | WR_SORT | WR_REDRAW;
}

int table_sort_column(const struct table *t, bool *descending)
{
    if (descending)
        *descending = t->sort_desc;
    return t->sort_col;
}

int table_sort_step(struct table *t, int dir)
{
    int c = t->sort_col;
    dir = dir < 0 ? -1 : 1;
    for (int i = 0; i < t->ncols; i++) {
        c = c < 0 ? (dir > 0 ? 0 : t->ncols - 1) : (c + dir + t->ncols) % t->ncols;
        if (t->cols[c].sortable)
            return table_sort(t, c, t->sort_desc);
    }
    return WR_HANDLED;
}

int table_sort_reverse(struct table *t)
{
    if (t->sort_col >= 0)
        return table_sort(t, t->sort_col, !t->sort_desc);
    for (int c = 0; c < t->ncols; c++)
        if (t->cols[c].sortable)
            return table_sort(t, c, true);
    return WR_HANDLED;
}

/* ---- search ---- */

int table_set_search(struct table *t, const char *text)
{
    free(t->search);
    t->search = text && text[0] ? strdup(text) : NULL;
    t->search_folded_len =
        t->search ? text_fold(t->search_folded, sizeof t->search_folded, t->search) : 0;
    return WR_HANDLED;
}

const char *table_search(const struct table *t)
{
    return t->search ? t->search : "";
}

int table_search_next(struct table *t, bool backward)
{
    size_t n = visible(t);
    if (!t->search || n == 0)
        return WR_HANDLED;
    char *buf = malloc(FILTER_CAP);
    if (!buf)
        return WR_HANDLED;
    size_t start = t->cur < n ? t->cur : n - 1, found = TABLE_NONE;
    /* every other row once, wrapping, then the cursor row itself */
    for (size_t i = 1; i <= n && found == TABLE_NONE; i++) {
        size_t p = (start + (backward ? n - i % n : i)) % n;
        if (row_contains(t, row_at(t, p), buf, t->search_folded, t->search_folded_len))
            found = p;
    }
    free(buf);
    if (found == TABLE_NONE)
        return WR_HANDLED;
    return move_to(t, found);
}

char *table_count_text(const struct table *t, char *buf, size_t cap)
{
    size_t n = visible(t);
    char a[32], b[32], c[32];
    if (n == 0) {
        snprintf(buf, cap, "%s", t->more ? "no rows yet" : "no rows");
        return buf;
    }
    size_t first = t->top + 1, last = t->top + body_rows(t);
    if (last > n)
        last = n;
    if (first > last)
        first = last;
    text_thousands(a, sizeof a, first);
    text_thousands(b, sizeof b, last);
    text_thousands(c, sizeof c, n);
    snprintf(buf, cap, "%s%s%s of %s%s%s", a, text_utf8() ? "\u2013" : "-", b, c,
             t->more ? "+" : "", t->filter && t->filter[0] ? " matching" : "");
    return buf;
}

/* ---- drawing ---- */

/* Column x offsets and widths for a table w wide; hidden columns get 0. */
static void layout(const struct table *t, int w, int *cx, int *cw)
{
    int avail = w - 2, fixed = 0, flex = 0, shown = 0;
    for (int i = 0; i < t->ncols; i++) {
        const struct table_column *c = &t->cols[i];
        cw[i] = (c->hide_below > 0 && w < c->hide_below) ? 0 : (c->width > 0 ? c->width : 1);
        if (cw[i]) {
            fixed += cw[i] + (shown ? 1 : 0);
            flex += c->flex > 0 ? c->flex : 0;
            shown++;
        }
    }
    int spare = avail - fixed;
    if (spare > 0 && flex > 0) {
        int given = 0, last = -1;
        for (int i = 0; i < t->ncols; i++)
            if (cw[i] && t->cols[i].flex > 0) {
                int add = spare * t->cols[i].flex / flex;
                cw[i] += add;
                given += add;
                last = i;
            }
        if (last >= 0)
            cw[last] += spare - given;
    }
    int x = 2;
    for (int i = 0; i < t->ncols; i++) {
        cx[i] = x;
        if (cw[i])
            x += cw[i] + 1;
    }
}

static void draw_cell(WINDOW *win, int y, int x, int w, const char *s, int align, attr_t attr,
                      attr_t esc)
{
    if (!s || w <= 0)
        return;
    if (align == TABLE_RIGHT) {
        int tw;
        text_cut(s, TEXT_NUL, w, TEXT_ELLIPSIS, &tw);
        int full = text_width(s, TEXT_NUL);
        if (full <= w)
            x += w - full;
    }
    draw_text_styled(win, y, x, w, s, TEXT_NUL, attr, esc, TEXT_ELLIPSIS);
}

static void table_draw(struct widget *w, WINDOW *win)
{
    struct table *t = (struct table *)w;
    int cx[64], cw[64];
    int *px = cx, *pw = cw;
    if (t->ncols > 64) {
        px = malloc(sizeof(int) * (size_t)t->ncols);
        pw = malloc(sizeof(int) * (size_t)t->ncols);
        if (!px || !pw) {
            free(px == cx ? NULL : px);
            free(pw == cw ? NULL : pw);
            return;
        }
    }
    scroll_to_cursor(t);
    layout(t, w->w, px, pw);
    int right = w->x + w->w;

    /* header */
    draw_fill(win, w->y, w->x, w->w, ROLE_HEADER);
    attr_t ha = theme_attr(ROLE_HEADER);
    for (int i = 0; i < t->ncols; i++) {
        if (!pw[i] || w->x + px[i] >= right)
            continue;
        int avail = right - (w->x + px[i]);
        int cwid = pw[i] < avail ? pw[i] : avail;
        bool sorted = i == t->sort_col;
        int tw = draw_text_styled(win, w->y, w->x + px[i], cwid - (sorted ? 1 : 0),
                                  t->cols[i].title, TEXT_NUL, ha, ha, TEXT_ELLIPSIS);
        if (sorted && tw < cwid)
            draw_glyph(win, w->y, w->x + px[i] + tw, t->sort_desc ? GLYPH_SORT_DOWN : GLYPH_SORT_UP,
                       ha);
    }

    size_t n = visible(t), body = (size_t)(w->h - 1);
    char buf[CELL_CAP];
    attr_t esc_normal = theme_attr(ROLE_ESCAPE);
    for (size_t i = 0; i < body; i++) {
        int y = w->y + 1 + (int)i;
        size_t pos = t->top + i;
        bool sel = pos == t->cur;
        if (pos < n) {
            size_t row = row_at(t, pos);
            bool marked = table_is_marked(t, row);
            enum theme_role role = ROLE_NORMAL;
            if (sel && marked)
                role = ROLE_SELECTED_MARKED;
            else if (sel)
                role = ROLE_SELECTED;
            else if (marked)
                role = ROLE_MARKED;
            else if (t->src.row_role) {
                int rr = t->src.row_role(t->src.ctx, row);
                if (rr >= 0 && rr < ROLE_COUNT)
                    role = (enum theme_role)rr;
            }
            bool disabled =
                t->src.row_flags && (t->src.row_flags(t->src.ctx, row) & TABLE_ROW_DISABLED);
            if (disabled && role == ROLE_NORMAL)
                role = ROLE_DISABLED;
            attr_t a = theme_attr(role);
            attr_t e = role == ROLE_NORMAL ? esc_normal : a | A_UNDERLINE;
            draw_fill_attr(win, y, w->x, w->w, a);
            if (marked)
                draw_glyph(win, y, w->x, GLYPH_MARK, a);
            if (disabled && w->w > 1)
                draw_glyph(win, y, w->x + 1, GLYPH_DISABLED, a);
            for (int c = 0; c < t->ncols; c++) {
                if (!pw[c] || w->x + px[c] >= right)
                    continue;
                int avail = right - (w->x + px[c]);
                const char *s = t->src.cell(t->src.ctx, row, c, buf, sizeof buf);
                draw_cell(win, y, w->x + px[c], pw[c] < avail ? pw[c] : avail, s, t->cols[c].align,
                          a, e);
            }
        } else if (pos == n && t->more) {
            enum theme_role role = sel ? ROLE_SELECTED : ROLE_DIM;
            draw_fill(win, y, w->x, w->w, role);
            draw_text(win, y, w->x + 2, w->w - 2,
                      t->page_pending ? (text_utf8() ? "loading\u2026" : "loading...")
                                      : (text_utf8() ? "more\u2026" : "more..."),
                      TEXT_NUL, role, 0);
        } else {
            draw_fill(win, y, w->x, w->w, ROLE_NORMAL);
            if (n == 0 && !t->more && i == 0) {
                const char *msg = t->filter && t->filter[0] ? "no row matches the filter"
                                  : t->empty_text           ? t->empty_text
                                                            : "no rows";
                draw_text(win, y, w->x + 2, w->w - 2, msg, TEXT_NUL, ROLE_DIM, TEXT_ELLIPSIS);
            }
        }
    }
    if (px != cx) {
        free(px);
        free(pw);
    }
}

static int table_handle(struct widget *w, int key)
{
    struct table *t = (struct table *)w;
    switch (key) {
    case WKEY_FN(KEY_UP):
    case 'k':
        return table_move(t, -1);
    case WKEY_FN(KEY_DOWN):
    case 'j':
        return table_move(t, 1);
    case WKEY_FN(KEY_PPAGE):
    case WKEY_CTRL('b'):
        return table_page_up(t);
    case WKEY_FN(KEY_NPAGE):
    case WKEY_CTRL('f'):
        return table_page_down(t);
    case WKEY_FN(KEY_HOME):
    case 'g':
        return table_home(t);
    case WKEY_FN(KEY_END):
    case 'G':
        return table_end(t);
    case ' ':
        return table_mark_toggle(t);
    case '\n':
        if (t->more && t->cur == visible(t)) {
            if (t->page_pending)
                return WR_HANDLED;
            t->page_pending = true;
            return WR_HANDLED | WR_PAGE | WR_REDRAW;
        }
        return table_cursor(t) == TABLE_NONE ? WR_HANDLED : WR_HANDLED | WR_ACTIVATE;
    case '<':
        return table_sort_step(t, -1);
    case '>':
        return table_sort_step(t, 1);
    case 'I':
        return table_sort_reverse(t);
    case 'n':
    case 'N':
        return t->search ? table_search_next(t, key == 'N') : WR_IGNORED;
    default:
        return WR_IGNORED;
    }
}

static const struct widget_class table_class = {
    .name = "table",
    .draw = table_draw,
    .handle = table_handle,
    .del = table_del,
};
