/* tui/inventory_view.c — paging an inventory from SQLite (inventory_view.h). */
#include "tui/inventory_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#define MAX_PARAMS 8

struct param {
    bool text;
    const char *s; /* points into the view's copies */
    double d;
};

/* A position in the order: its sort key and id. */
struct anchor {
    bool null;
    double key;
    char id[128];
};

struct inventory_view {
    sqlite3 *db;
    char path[4400];
    char where[1024];
    struct param params[MAX_PARAMS];
    int n_params;
    char *provider, *id_contains; /* copies the params point at */
    const char *order_column;
    bool descending;
    size_t count;
    bool queried;
    struct inventory_row window[INVENTORY_VIEW_WINDOW];
    size_t window_start, window_len;
    bool window_valid;
    struct anchor *anchors; /* the row at every INVENTORY_VIEW_ANCHOR-th position */
    size_t n_anchors;
};

static int fail(struct inventory_view *v, char *errbuf, size_t errsize, const char *what)
{
    snprintf(errbuf, errsize, "inventory %.300s: %s: %s", v->path, what,
             v->db ? sqlite3_errmsg(v->db) : "cannot open");
    return -1;
}

struct inventory_view *inventory_view_open(const char *path, char *errbuf, size_t errsize)
{
    struct inventory_view *v = calloc(1, sizeof *v);

    if (!v) {
        snprintf(errbuf, errsize, "out of memory");
        return NULL;
    }
    snprintf(v->path, sizeof v->path, "%s", path);
    if (sqlite3_open_v2(path, &v->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL) !=
        SQLITE_OK) {
        fail(v, errbuf, errsize, "cannot open");
        inventory_view_close(v);
        return NULL;
    }
    sqlite3_busy_timeout(v->db, 5000);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(v->db, "SELECT 1 FROM identities LIMIT 0", -1, &st, NULL) != SQLITE_OK) {
        fail(v, errbuf, errsize, "not an inventory");
        inventory_view_close(v);
        return NULL;
    }
    sqlite3_finalize(st);
    return v;
}

void inventory_view_close(struct inventory_view *v)
{
    if (!v)
        return;
    sqlite3_close(v->db);
    free(v->anchors);
    free(v->provider);
    free(v->id_contains);
    free(v);
}

static void add_cond(struct inventory_view *v, const char *cond)
{
    size_t len = strlen(v->where);
    snprintf(v->where + len, sizeof v->where - len, "%s%s", len ? " AND " : "", cond);
}

static void add_number(struct inventory_view *v, const char *cond, double d)
{
    add_cond(v, cond);
    v->params[v->n_params++] = (struct param){false, NULL, d};
}

static void add_text(struct inventory_view *v, const char *cond, const char *s)
{
    add_cond(v, cond);
    v->params[v->n_params++] = (struct param){true, s, 0};
}

static void bind_params(struct inventory_view *v, sqlite3_stmt *st)
{
    for (int i = 0; i < v->n_params; i++) {
        if (v->params[i].text)
            sqlite3_bind_text(st, i + 1, v->params[i].s, -1, SQLITE_STATIC);
        else
            sqlite3_bind_double(st, i + 1, v->params[i].d);
    }
}

static void order_by(const struct inventory_view *v, bool reverse, char *buf, size_t size);

/* One walk of the order (through the sort's index, reading only the key
 * and the id): counts the rows and keeps every INVENTORY_VIEW_ANCHOR-th
 * position, so any window is then at most that many rows from a place a
 * query can seek to. */
static int count_and_anchor(struct inventory_view *v, char *errbuf, size_t errsize)
{
    sqlite3_stmt *st = NULL;
    char order[200], sql[1800];
    size_t cap = 0;
    int step;

    free(v->anchors);
    v->anchors = NULL;
    v->n_anchors = 0;
    order_by(v, false, order, sizeof order);
    snprintf(sql, sizeof sql, "SELECT %s, i.identity_id FROM identities i%s%s ORDER BY %s",
             v->order_column ? v->order_column : "NULL", v->where[0] ? " WHERE " : "", v->where,
             order);
    if (sqlite3_prepare_v2(v->db, sql, -1, &st, NULL) != SQLITE_OK)
        return fail(v, errbuf, errsize, "cannot query");
    bind_params(v, st);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (v->count % INVENTORY_VIEW_ANCHOR == 0) {
            if (v->n_anchors == cap) {
                size_t nc = cap ? cap * 2 : 16;
                struct anchor *na = realloc(v->anchors, nc * sizeof *na);
                if (!na) {
                    sqlite3_finalize(st);
                    snprintf(errbuf, errsize, "out of memory");
                    return -1;
                }
                v->anchors = na;
                cap = nc;
            }
            struct anchor *an = &v->anchors[v->n_anchors++];
            const char *id = (const char *)sqlite3_column_text(st, 1);
            an->null = sqlite3_column_type(st, 0) == SQLITE_NULL;
            an->key = sqlite3_column_double(st, 0);
            snprintf(an->id, sizeof an->id, "%s", id ? id : "");
        }
        v->count++;
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        v->count = 0;
        return fail(v, errbuf, errsize, "cannot count");
    }
    v->queried = true;
    return 0;
}

int inventory_view_query(struct inventory_view *v, enum inventory_sort sort, bool descending,
                         const struct inventory_view_filter *f, char *errbuf, size_t errsize)
{
    static const struct inventory_view_filter none;

    if (!f)
        f = &none;
    free(v->provider);
    free(v->id_contains);
    v->provider = f->provider ? strdup(f->provider) : NULL;
    v->id_contains = f->id_contains ? strdup(f->id_contains) : NULL;
    if ((f->provider && !v->provider) || (f->id_contains && !v->id_contains)) {
        snprintf(errbuf, errsize, "out of memory");
        return -1;
    }
    v->where[0] = '\0';
    v->n_params = 0;
    /* A unary + keeps SQLite from walking the logins index for these terms
     * and then sorting every match: the sort's index (which carries logins
     * and disabled) serves the order and the test together. */
    if (f->logins == 1)
        add_cond(v, "+i.logins = 0");
    else if (f->logins == 2)
        add_cond(v, "+i.logins > 0");
    if (v->provider)
        add_text(v,
                 "EXISTS (SELECT 1 FROM logins l WHERE l.identity_id = i.identity_id AND "
                 "l.provider = ?)",
                 v->provider);
    if (f->has_modified_before)
        add_number(v, "i.modified < ?", f->modified_before);
    if (f->has_modified_after)
        add_number(v, "i.modified >= ?", f->modified_after);
    if (f->has_created_before)
        add_number(v, "i.created < ?", f->created_before);
    if (f->disabled == 1)
        add_cond(v, "+i.disabled = 1");
    else if (f->disabled == 2)
        add_cond(v, "+i.disabled = 0");
    if (v->id_contains && v->id_contains[0])
        add_text(v, "instr(lower(i.identity_id), lower(?)) > 0", v->id_contains);
    v->order_column = sort == INVENTORY_SORT_CREATED    ? "i.created"
                      : sort == INVENTORY_SORT_MODIFIED ? "i.modified"
                      : sort == INVENTORY_SORT_LOGINS   ? "i.logins"
                                                        : NULL;
    v->descending = descending;
    v->window_valid = false;
    v->queried = false;
    v->count = 0;

    return count_and_anchor(v, errbuf, errsize);
}

size_t inventory_view_count(const struct inventory_view *v)
{
    return v->count;
}

/* The ORDER BY of the query, or of its reverse. */
static void order_by(const struct inventory_view *v, bool reverse, char *buf, size_t size)
{
    const char *dir = v->descending != reverse ? "DESC" : "ASC";
    if (v->order_column)
        snprintf(buf, size, "%s %s, i.identity_id %s", v->order_column, dir, dir);
    else
        snprintf(buf, size, "i.identity_id %s", dir);
}

static void read_row(sqlite3_stmt *st, struct inventory_row *r)
{
    const char *id = (const char *)sqlite3_column_text(st, 0);
    const char *prov = (const char *)sqlite3_column_text(st, 5);

    memset(r, 0, sizeof *r);
    snprintf(r->id, sizeof r->id, "%s", id ? id : "");
    snprintf(r->providers, sizeof r->providers, "%s", prov ? prov : "");
    r->has_created = sqlite3_column_type(st, 1) != SQLITE_NULL;
    r->created = sqlite3_column_double(st, 1);
    r->has_modified = sqlite3_column_type(st, 2) != SQLITE_NULL;
    r->modified = sqlite3_column_double(st, 2);
    r->logins = sqlite3_column_int(st, 3);
    r->disabled = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 4);
}

/* The rows after a position (or from it, `inclusive`), in the order or its
 * reverse, as up to two segments of SQL that follow each other in that
 * order, each simple enough for the sort's index (SQLite puts NULL keys
 * first ascending, last descending). ?100 is the key, ?101 the id. */
static int keyset_segments(const struct inventory_view *v, const struct anchor *from,
                           bool inclusive, bool reverse, char seg[2][200])
{
    const char *c = v->order_column;
    bool desc = v->descending != reverse;
    const char *op = desc ? (inclusive ? "<=" : "<") : (inclusive ? ">=" : ">");

    if (!c) {
        snprintf(seg[0], 200, "i.identity_id %s ?101", op);
        return 1;
    }
    if (!from->null) {
        snprintf(seg[0], 200, "(%s, i.identity_id) %s (?100, ?101)", c, op);
        if (!desc)
            return 1;
        snprintf(seg[1], 200, "%s IS NULL", c);
        return 2;
    }
    snprintf(seg[0], 200, "%s IS NULL AND i.identity_id %s ?101", c, op);
    if (desc)
        return 1;
    snprintf(seg[1], 200, "%s IS NOT NULL", c);
    return 2;
}

#define ROW_COLUMNS                                                                                \
    "SELECT i.identity_id, i.created, i.modified, i.logins, i.disabled,"                           \
    " (SELECT group_concat(provider, ' ') FROM logins l WHERE l.identity_id = i.identity_id)"      \
    " FROM identities i"

/* Reads up to len rows, skipping `skip` first, into window[at...] (or, in
 * reverse, into the window's end backwards). Returns the rows read, -1 on
 * error. */
static long read_segment(struct inventory_view *v, const char *cond, const struct anchor *from,
                         bool reverse, size_t skip, size_t len, size_t at)
{
    sqlite3_stmt *st = NULL;
    char order[200], sql[2400];

    order_by(v, reverse, order, sizeof order);
    snprintf(sql, sizeof sql, ROW_COLUMNS " WHERE %s%s%s ORDER BY %s LIMIT %zu OFFSET %zu",
             v->where[0] ? v->where : "", v->where[0] && cond[0] ? " AND " : "",
             cond[0] ? cond : (v->where[0] ? "" : "1"), order, len, skip);
    if (sqlite3_prepare_v2(v->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    bind_params(v, st);
    if (from) {
        if (!from->null && v->order_column)
            sqlite3_bind_double(st, 100, from->key);
        sqlite3_bind_text(st, 101, from->id, -1, SQLITE_TRANSIENT);
    }
    size_t n = 0;
    int step;
    while (n < len && (step = sqlite3_step(st)) == SQLITE_ROW) {
        size_t k = at + n++;
        read_row(st, &v->window[reverse ? INVENTORY_VIEW_WINDOW - 1 - k : k]);
    }
    sqlite3_finalize(st);
    return (long)n;
}

/* `len` rows after (or from) `from`, or from the start when it is NULL,
 * skipping `skip`. Returns the rows read, -1 on error. */
static long read_rows(struct inventory_view *v, const struct anchor *from, bool inclusive,
                      bool reverse, size_t skip, size_t len)
{
    char seg[2][200] = {"", ""};
    int nseg = from ? keyset_segments(v, from, inclusive, reverse, seg) : 1;
    size_t got = 0;

    for (int i = 0; i < nseg && got < len; i++) {
        /* Rows skipped in one segment are not in the next: count them. */
        long n = read_segment(v, seg[i], from, reverse, skip, len - got, got);
        if (n < 0)
            return -1;
        if (n == 0 && skip > 0 && i + 1 < nseg) {
            /* the skip ran past this segment: how far, to go on after it */
            char order[200], sql[2400];
            sqlite3_stmt *st = NULL;
            order_by(v, reverse, order, sizeof order);
            snprintf(sql, sizeof sql, "SELECT count(*) FROM identities i WHERE %s%s%s",
                     v->where[0] ? v->where : "", v->where[0] ? " AND " : "", seg[i]);
            if (sqlite3_prepare_v2(v->db, sql, -1, &st, NULL) != SQLITE_OK)
                return -1;
            bind_params(v, st);
            if (!from->null && v->order_column)
                sqlite3_bind_double(st, 100, from->key);
            sqlite3_bind_text(st, 101, from->id, -1, SQLITE_TRANSIENT);
            size_t in_segment =
                sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
            sqlite3_finalize(st);
            skip = skip > in_segment ? skip - in_segment : 0;
            continue;
        }
        got += (size_t)n;
        skip = 0;
    }
    return (long)got;
}

static void anchor_of(const struct inventory_view *v, const struct inventory_row *r,
                      struct anchor *a)
{
    a->null = false;
    a->key = 0;
    if (v->order_column && strcmp(v->order_column, "i.created") == 0) {
        a->null = !r->has_created;
        a->key = r->created;
    } else if (v->order_column && strcmp(v->order_column, "i.modified") == 0) {
        a->null = !r->has_modified;
        a->key = r->modified;
    } else if (v->order_column) {
        a->key = r->logins;
    }
    snprintf(a->id, sizeof a->id, "%s", r->id);
}

/* Reads the window holding `index`: next to the window held, by keyset
 * (the rows right after its last, or before its first); elsewhere from the
 * nearest anchor at or before it (fewer than INVENTORY_VIEW_ANCHOR rows to
 * skip). */
static int load_window(struct inventory_view *v, size_t index)
{
    size_t start = index - index % INVENTORY_VIEW_WINDOW;
    size_t len =
        v->count - start < INVENTORY_VIEW_WINDOW ? v->count - start : INVENTORY_VIEW_WINDOW;
    struct anchor from;
    long n;

    if (v->window_valid && v->window_len == INVENTORY_VIEW_WINDOW &&
        start == v->window_start + INVENTORY_VIEW_WINDOW) {
        anchor_of(v, &v->window[v->window_len - 1], &from);
        n = read_rows(v, &from, false, false, 0, len);
    } else if (v->window_valid && v->window_len > 0 &&
               start + INVENTORY_VIEW_WINDOW == v->window_start) {
        anchor_of(v, &v->window[0], &from);
        n = read_rows(v, &from, false, true, 0, len);
    } else {
        size_t a = start / INVENTORY_VIEW_ANCHOR;
        if (a >= v->n_anchors) {
            v->window_valid = false;
            return -1;
        }
        n = a == 0
                ? read_rows(v, NULL, false, false, start, len)
                : read_rows(v, &v->anchors[a], true, false, start - a * INVENTORY_VIEW_ANCHOR, len);
    }
    if (n != (long)len) {
        /* The file changed under the query (a refresh removed rows): the
         * caller queries again to see it as it is now. */
        v->window_valid = false;
        return -1;
    }
    /* A backward read filled the window's end: move it to the start. */
    if (len < INVENTORY_VIEW_WINDOW && start + INVENTORY_VIEW_WINDOW == v->window_start)
        memmove(v->window, v->window + (INVENTORY_VIEW_WINDOW - len), len * sizeof *v->window);
    v->window_start = start;
    v->window_len = len;
    v->window_valid = true;
    return 0;
}

int inventory_view_row(struct inventory_view *v, size_t index, struct inventory_row *out)
{
    if (!v->queried || index >= v->count)
        return 1;
    if (!v->window_valid || index < v->window_start || index >= v->window_start + v->window_len) {
        if (load_window(v, index) != 0)
            return -1;
        if (index >= v->window_start + v->window_len)
            return 1;
    }
    *out = v->window[index - v->window_start];
    return 0;
}

int inventory_view_each_id(struct inventory_view *v, int (*fn)(void *ctx, const char *id),
                           void *ctx)
{
    sqlite3_stmt *st = NULL;
    char order[200], sql[1600];
    int step;

    if (!v->queried)
        return 0;
    order_by(v, false, order, sizeof order);
    snprintf(sql, sizeof sql, "SELECT i.identity_id FROM identities i%s%s ORDER BY %s",
             v->where[0] ? " WHERE " : "", v->where, order);
    if (sqlite3_prepare_v2(v->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    bind_params(v, st);
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, (const char *)sqlite3_column_text(st, 0)) != 0) {
            step = SQLITE_DONE;
            break;
        }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : -1;
}
