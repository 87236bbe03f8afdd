/* tui/inventory_view.h — rows of a pool's inventory (tui/inventory_store.h)
 * by position in a sorted, filtered order, for the console's Identities
 * pane on pools too large to hold: memory stays flat however big the pool.
 * No curses here: the pane feeds these rows to its virtual table
 * (widgets/table.h) as the owner's rows, with the table's own sort and
 * filter left off (sorting and filtering happen here, in SQLite).
 *
 * OWNER: the lifecycle work (issue 13). The console's pane is built on it.
 *
 * Call order: inventory_view_open() → inventory_view_query() (again
 * whenever the sort or the filter changes) → inventory_view_count() and
 * inventory_view_row() any number of times → inventory_view_close().
 *
 * Costs: a query walks the matching rows once in order (through the sort's
 * index, which also holds the columns the filters test) to count them and
 * note every INVENTORY_VIEW_ANCHOR-th position. Rows are read a window of
 * INVENTORY_VIEW_WINDOW at a time and kept until a row outside the window
 * is asked for: the next or previous window continues from the one held
 * (keyset), any other starts from the nearest noted position, so a jump to
 * the far end of a million rows costs a few thousand index steps. Memory:
 * the window, and one small record per INVENTORY_VIEW_ANCHOR rows (about
 * 40 KiB for a million).
 *
 * Concurrency: the file is opened read-only; a refresh may write it at the
 * same time (WAL). A query sees the inventory as it was when it ran:
 * call inventory_view_query() again to see a refresh's rows.
 */
#ifndef TUI_INVENTORY_VIEW_H
#define TUI_INVENTORY_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#define INVENTORY_VIEW_WINDOW 128
#define INVENTORY_VIEW_ANCHOR 4096 /* a multiple of the window */

enum inventory_sort {
    INVENTORY_SORT_ID,
    INVENTORY_SORT_CREATED,
    INVENTORY_SORT_MODIFIED,
    INVENTORY_SORT_LOGINS, /* number of linked logins */
};

/* Every member's zero value means "any". */
struct inventory_view_filter {
    int logins;           /* 0 any, 1 unauthenticated only, 2 authenticated only */
    const char *provider; /* a login of exactly this provider */
    bool has_modified_before, has_modified_after, has_created_before;
    double modified_before; /* LastModifiedDate < this (idle since) */
    double modified_after;  /* LastModifiedDate >= this (active since) */
    double created_before;
    int disabled;            /* 0 any, 1 disabled only, 2 enabled only (known state) */
    const char *id_contains; /* case-insensitive part of the identity id */
};

struct inventory_row {
    char id[128];
    char providers[512]; /* provider names separated by spaces (raw service text) */
    int logins;
    bool has_created, has_modified;
    double created, modified; /* epoch seconds */
    int disabled;             /* 1, 0, or -1 unknown */
};

struct inventory_view;

/* Opens the inventory file at `path` read-only. NULL with errbuf filled. */
struct inventory_view *inventory_view_open(const char *path, char *errbuf, size_t errsize);
void inventory_view_close(struct inventory_view *v);

/* Sets the order and the filter (copied) and counts the rows. Returns 0,
 * or -1 with errbuf filled. */
int inventory_view_query(struct inventory_view *v, enum inventory_sort sort, bool descending,
                         const struct inventory_view_filter *filter, char *errbuf, size_t errsize);

/* Rows the query matches (0 before the first query). */
size_t inventory_view_count(const struct inventory_view *v);

/* The row at `index` (0-based, in the query's order). Returns 0, 1 when
 * index >= count, -1 on a read error. */
int inventory_view_row(struct inventory_view *v, size_t index, struct inventory_row *out);

/* Calls fn with every matching id in order ("mark all matching"); stops
 * when fn returns non-zero. Returns 0, or -1 on a read error. */
int inventory_view_each_id(struct inventory_view *v, int (*fn)(void *ctx, const char *id),
                           void *ctx);

#endif
