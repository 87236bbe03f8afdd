/* widgets/table.h — a virtual table: the owner holds the rows, the table
 * holds the view (filter, sort order, cursor, scroll, marks).
 *
 * Rows are the owner's, numbered 0..count-1 ("row" below always means that
 * owner index). The table asks for a cell's text only while drawing the
 * visible rows (and, for a filter or sort, once per row), so drawing costs
 * the visible rows, never the total. Cell text is raw outside text: the table
 * sanitizes it (widgets/text.h) before drawing.
 *
 * Pages: the owner says how many rows it has and whether more exist
 * (table_set_rows(t, n, more)). With more, a last "more…" row is shown and
 * the table returns WR_PAGE once when the cursor comes within a screen of the
 * end, or on Enter on that row; it asks again only after the next
 * table_set_rows. Appending (n grows, table_set_rows) keeps the cursor,
 * marks, filter and sort (new rows are filtered/sorted in). table_reload says
 * the rows were replaced (a refresh, or rows deleted): marks are cleared;
 * the cursor stays on the same row when source.row_key finds it among the
 * new rows, else on the same position (the row that took the place of a
 * deleted one), clamped: never back to the first row.
 *
 * Sorting (htop/k9s): the table sorts its view itself, by one column,
 * ascending or descending, shown in the header (▲ ▼, ^ v in ASCII), by
 * source.compare when the owner gives one (per column: it gets the column,
 * so dates compare as dates; text_compare() for its text columns), else by
 * the cells' text in text_compare()'s order (case-blind, "9" < "10").
 * Stable: rows that compare equal keep the owner's order, in both
 * directions. Rows appended later are sorted in. The cursor stays on its
 * row across a re-sort and a filter change.
 *
 * Search: table_set_search(t, "text") sets a pattern (the owner's `/`
 * prompt text); n / N (table_search_next) move the cursor to the next /
 * previous row of the view whose filter text contains it, wrapping. Only
 * rows already loaded are searched.
 *
 * Disabled rows: source.row_flags says TABLE_ROW_DISABLED for the rows the
 * owner wants shown disabled: drawn in ROLE_DISABLED (unless selected,
 * marked or given a row_role) with the GLYPH_DISABLED badge in the second
 * gutter column, which stays under the cursor and the mark.
 *
 * Filter: table_set_filter(t, "text") keeps the rows whose filter text
 * (source.filter_text, or every column's cell separated by spaces) contains
 * the text, case-insensitively. The `/` key is the owner's: it opens a
 * prompt (widgets/prompt.h) and calls table_set_filter as the text changes.
 *
 * Columns: fixed (flex 0: exactly width) or flexible (flex > 0: at least
 * width, sharing the spare columns by flex). A column with hide_below > 0 is
 * hidden while the table is narrower than hide_below columns. A mark gutter of
 * 2 columns comes first.
 *
 * Keys handled by table_handle (everything else returns WR_IGNORED; the same
 * operations are functions below, for an owner with its own key map):
 *   Up k, Down j, PgUp ^B, PgDn ^F, Home g, End G    move     (WR_MOVED)
 *   Space   mark/unmark the cursor row, move down         (WR_MARKS;
 *           from the last loaded row onto "more…", where it marks nothing)
 *   Enter   WR_ACTIVATE on a row, WR_PAGE on the "more…" row
 *   < >     sort by the previous/next sortable column (keeping the order,
 *           ascending or descending); table_sort picks column and order
 *   I       reverse the order (htop's "invert")            (WR_SORT)
 *   n N     next/previous row matching the search (WR_MOVED; WR_HANDLED
 *           alone when no other row matches; WR_IGNORED with no search)
 */
#ifndef WIDGETS_TABLE_H
#define WIDGETS_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "widgets/widget.h"

#define TABLE_NONE ((size_t)-1)

enum table_align { TABLE_LEFT = 0, TABLE_RIGHT = 1 };

struct table_column {
    const char *title; /* copied */
    int width;         /* fixed: exact width; flexible: minimum width */
    int flex;          /* 0 fixed; > 0 weight of the spare width */
    int hide_below;    /* hidden while the table is narrower than this; 0 never */
    int align;         /* enum table_align */
    bool sortable;     /* offered by < > (table_sort takes any column) */
};

/* source.row_flags bits. */
#define TABLE_ROW_DISABLED 1u

struct table_source {
    void *ctx;
    /* Required. Raw text of (row, col): write into buf (cap bytes) and
     * return buf, or return a pointer to the owner's own storage valid until
     * the next call. NULL is an empty cell. */
    const char *(*cell)(void *ctx, size_t row, int col, char *buf, size_t cap);
    /* Optional. The text the filter searches (same return rules). */
    const char *(*filter_text)(void *ctx, size_t row, char *buf, size_t cap);
    /* Optional. The role for the whole row (e.g. ROLE_DIM for a disabled
     * one), or -1 for ROLE_NORMAL. Selection and marks take precedence. */
    int (*row_role)(void *ctx, size_t row);
    /* Optional. Compares two rows by column col, ascending (<0, 0, >0).
     * Without it every column sorts by its cells' text (text_compare). */
    int (*compare)(void *ctx, size_t a, size_t b, int col);
    /* Optional. A key naming the row for as long as it exists (e.g. its
     * id; same return rules as cell): how table_reload finds the cursor's
     * row among the new rows. */
    const char *(*row_key)(void *ctx, size_t row, char *buf, size_t cap);
    /* Optional. TABLE_ROW_* bits for the row (0: none). */
    unsigned (*row_flags)(void *ctx, size_t row);
};

struct table;

/* Columns and source are copied. NULL when out of memory. */
struct table *table_new(const struct table_column *cols, int ncols, const struct table_source *src);
struct widget *table_widget(struct table *t);
void table_delete(struct table *t); /* same as widget_delete(table_widget(t)) */

/* Rows: see the header comment. Return WR_* flags (WR_REDRAW at least). */
int table_set_rows(struct table *t, size_t count, bool more);
int table_reload(struct table *t, size_t count, bool more);
/* The owner's rows changed in place (same count, same order; a cell's text
 * did): the filter and the sort apply again; marks and the cursor's row stay. */
int table_rows_changed(struct table *t);
size_t table_row_count(const struct table *t);     /* the owner's count */
size_t table_visible_count(const struct table *t); /* after the filter */
bool table_page_pending(const struct table *t);    /* WR_PAGE sent, no rows yet */

/* Text shown when there is no row (copied; sanitized when drawn). */
void table_set_empty_text(struct table *t, const char *text);

/* Cursor: the owner row under it, or TABLE_NONE (empty, or on "more…"). */
size_t table_cursor(const struct table *t);
int table_set_cursor(struct table *t, size_t row); /* no-op when filtered out */
int table_move(struct table *t, long delta);       /* clamps; may add WR_PAGE */
int table_home(struct table *t);
int table_end(struct table *t);
int table_page_down(struct table *t);
int table_page_up(struct table *t);

/* Marks, by owner row. mark_all marks every row the filter shows. */
int table_mark_toggle(struct table *t); /* the cursor row, then moves down */
int table_mark_all(struct table *t);
int table_clear_marks(struct table *t);
bool table_is_marked(const struct table *t, size_t row);
size_t table_mark_count(const struct table *t);
size_t table_next_mark(const struct table *t, size_t from); /* >= from, or TABLE_NONE */

/* Filter: NULL or "" clears. The text is copied. */
int table_set_filter(struct table *t, const char *text);
const char *table_filter(const struct table *t); /* "" when none */

/* Sort by col (-1: the owner's order). Returns WR_HANDLED | WR_SORT |
 * WR_REDRAW. step: the next (dir > 0) or previous sortable column, same
 * order. reverse: flips the order (no sort yet: the first sortable column,
 * descending). */
int table_sort(struct table *t, int col, bool descending);
int table_sort_step(struct table *t, int dir);
int table_sort_reverse(struct table *t);
int table_sort_column(const struct table *t, bool *descending);

/* Search pattern for n / N (copied; NULL or "" clears; case-blind like the
 * filter). next: moves to the next (or previous) matching row of the view,
 * wrapping; WR_MOVED | WR_REDRAW, or WR_HANDLED alone when no other row
 * matches (the owner may say "not found"). */
int table_set_search(struct table *t, const char *text);
const char *table_search(const struct table *t); /* "" when none */
int table_search_next(struct table *t, bool backward);

/* "1–40 of 10,000+" (rows on screen, of the visible count, "+" while more
 * pages exist; "of 312 matching" under a filter; "no rows"). Returns buf. */
char *table_count_text(const struct table *t, char *buf, size_t cap);

/* Index of the first row drawn (in the filtered, sorted view): tests. */
size_t table_top(const struct table *t);

#endif
