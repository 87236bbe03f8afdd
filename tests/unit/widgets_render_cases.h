/* tests/unit/widgets_render_cases.h — every widget drawn on a headless
 * screen and read back cell by cell. Included by one small test file per
 * locale and TERM (RENDER_LOCALE, RENDER_TERM), because the locale must be
 * set before the screen is made. */
#ifndef TESTS_WIDGETS_RENDER_CASES_H
#define TESTS_WIDGETS_RENDER_CASES_H

#include <json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"
#include "tests/unit/headless.h"
#include "widgets/detail.h"
#include "widgets/dialog.h"
#include "widgets/diff.h"
#include "widgets/edit.h"
#include "widgets/form.h"
#include "widgets/help.h"
#include "widgets/keybar.h"
#include "widgets/prompt.h"
#include "widgets/status.h"
#include "widgets/table.h"
#include "widgets/tabbar.h"
#include "widgets/text.h"

static bool utf8_screen;

static int open_screen(int lines, int cols)
{
    headless_close();
    if (headless_open(RENDER_LOCALE, RENDER_TERM, lines, cols) < 0)
        return -1;
    utf8_screen = text_utf8();
    return 0;
}

static bool cell_is(int y, int x, wchar_t want, enum theme_role role)
{
    wchar_t wc[CCHARW_MAX + 1];
    attr_t a;
    short p;
    if (headless_cell(y, x, wc, &a, &p) < 0)
        return false;
    attr_t ra = theme_attr(role);
    return wc[0] == want && p == theme_pair(role) && a == (ra & ~A_COLOR);
}

static void type_text(struct widget *w, const char *s)
{
    /* decode UTF-8 into key code points, as widget_read_key would deliver */
    size_t pos = 0, len = strlen(s);
    while (pos < len) {
        unsigned char c = (unsigned char)s[pos];
        int n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        int cp = n == 1 ? c : c & (0x7f >> n);
        for (int i = 1; i < n; i++)
            cp = (cp << 6) | (s[pos + i] & 0x3f);
        widget_handle(w, cp);
        pos += (size_t)n;
    }
}

/* ---- the sanitizer on screen ---- */

static void test_injection_drawn_escaped(void)
{
    if (open_screen(24, 80) < 0)
        return;
    static const char in[] = "A\x1b[2J\r\b\t\xe2\x80\xae\xe2\x81\xa6\0Z";
    draw_text(stdscr, 0, 0, 80, in, sizeof in - 1, ROLE_NORMAL, 0);
    char row[512];
    CHECK_STR_EQ(headless_row_trim(0, row, sizeof row), "A^[[2J^M^H^I\\u202e\\u2066^@Z");
    /* the escapes are in the escape role, the text in normal */
    CHECK(cell_is(0, 0, L'A', ROLE_NORMAL));
    CHECK(cell_is(0, 1, L'^', ROLE_ESCAPE));
    CHECK(cell_is(0, 2, L'[', ROLE_ESCAPE));
    CHECK(cell_is(0, 3, L'[', ROLE_NORMAL));
    /* and none of it reaches the terminal */
    headless_flush();
    size_t n;
    char *out = headless_output(&n);
    CHECK(out != NULL);
    if (out) {
        CHECK(memmem(out, n, "\xe2\x80\xae", 3) == NULL);
        CHECK(memmem(out, n, "\xe2\x81\xa6", 3) == NULL);
        CHECK(memchr(out, '\0', n) == NULL);
        free(out);
    }
}

/* One unit of text: its bytes as drawn and its width. */
struct unit_w {
    const char *shown;
    int w;
};

static void check_cut_every_column(const char *s, const struct unit_w *units, size_t nunits)
{
    int total = 0;
    for (size_t i = 0; i < nunits; i++)
        total += units[i].w;
    for (int w = 0; w <= total + 1; w++) {
        werase(stdscr);
        draw_text(stdscr, 1, 4, w, s, TEXT_NUL, ROLE_NORMAL, 0);
        char want[256] = "", got[256];
        int used = 0;
        for (size_t i = 0; i < nunits && used + units[i].w <= w; i++) {
            strcat(want, units[i].shown);
            used += units[i].w;
        }
        headless_text(1, 4, used, got, sizeof got);
        CHECK_STR_EQ(got, want);
        /* nothing before or after the allowed columns */
        wchar_t wc[CCHARW_MAX + 1];
        headless_cell(1, 3, wc, NULL, NULL);
        CHECK(wc[0] == L' ');
        for (int x = 4 + used; x < 4 + w + 2; x++) {
            headless_cell(1, x, wc, NULL, NULL);
            CHECK(wc[0] == L' ');
        }
    }
}

static void test_cjk_emoji_cut_every_column(void)
{
    if (open_screen(24, 80) < 0)
        return;
    const char *s = "a\xe4\xb8\xad"
                    "b\xf0\x9f\x98\x80"
                    "e\xcc\x81"
                    "\xe6\x96\x87";
    if (utf8_screen) {
        static const struct unit_w u[] = {{"a", 1},         {"\xe4\xb8\xad", 2},
                                          {"b", 1},         {"\xf0\x9f\x98\x80", 2},
                                          {"e\xcc\x81", 1}, {"\xe6\x96\x87", 2}};
        check_cut_every_column(s, u, 6);
        /* a wide character takes two cells: the next one starts after it */
        werase(stdscr);
        draw_text(stdscr, 0, 0, 10,
                  "\xe4\xb8\xad"
                  "x",
                  TEXT_NUL, ROLE_NORMAL, 0);
        CHECK(cell_is(0, 0, 0x4e2d, ROLE_NORMAL));
        CHECK(cell_is(0, 2, L'x', ROLE_NORMAL));
    } else {
        static const struct unit_w u[] = {
            {"a", 1}, {"\\u4e2d", 6}, {"b", 1},      {"\\U0001f600", 10},
            {"e", 1}, {"\\u0301", 6}, {"\\u6587", 6}};
        check_cut_every_column(s, u, 7);
    }
}

static void test_combining_marks_share_a_cell(void)
{
    if (open_screen(24, 80) < 0)
        return;
    draw_text(stdscr, 0, 0, 10, "e\xcc\x81z", TEXT_NUL, ROLE_NORMAL, 0);
    wchar_t wc[CCHARW_MAX + 1];
    headless_cell(0, 0, wc, NULL, NULL);
    if (utf8_screen) {
        CHECK(wc[0] == L'e' && wc[1] == 0x301);
        CHECK(cell_is(0, 1, L'z', ROLE_NORMAL));
    } else {
        CHECK(wc[0] == L'e');
        char row[128];
        CHECK_STR_EQ(headless_row_trim(0, row, sizeof row), "e\\u0301z");
    }
}

static void test_ellipsis_on_cut(void)
{
    if (open_screen(24, 80) < 0)
        return;
    draw_text(stdscr, 0, 0, 6, "abcdefghij", TEXT_NUL, ROLE_NORMAL, TEXT_ELLIPSIS);
    char row[128];
    CHECK_STR_EQ(headless_row_trim(0, row, sizeof row),
                 utf8_screen ? "abcde\xe2\x80\xa6" : "abcde~");
}

/* ---- table ---- */

struct rows {
    size_t calls;
    size_t n;
};

static const char *million_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    struct rows *r = ctx;
    r->calls++;
    if (col == 0)
        snprintf(buf, cap, "row-%zu", row);
    else if (col == 1)
        snprintf(buf, cap, "%zu", row * 7 % 1000);
    else
        snprintf(buf, cap, "name \xe4\xb8\xad %zu", row % 97);
    return buf;
}

static const struct table_column three_cols[] = {
    {"Id", 12, 0, 0, TABLE_LEFT, true},
    {"Score", 6, 0, 40, TABLE_RIGHT, true},
    {"Name", 10, 1, 0, TABLE_LEFT, false},
};

static void test_table_million_rows_to_the_end(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct rows r = {0, 1000000};
    struct table_source src = {.ctx = &r, .cell = million_cell};
    struct table *t = table_new(three_cols, 3, &src);
    CHECK(t != NULL);
    if (!t)
        return;
    widget_place(table_widget(t), 0, 0, 23, 80);
    table_set_rows(t, 1000000, false);
    int res = widget_handle(table_widget(t), 'G');
    CHECK(res & WR_MOVED);
    CHECK_INT_EQ(table_cursor(t), 999999);
    r.calls = 0;
    widget_draw(table_widget(t), stdscr);
    /* drawing asked for the 22 visible rows' cells only */
    CHECK_INT_EQ(r.calls, 22 * 3);
    char row[512];
    headless_row_trim(22, row, sizeof row);
    CHECK(strncmp(row, "  row-999999", 12) == 0);
    headless_row_trim(1, row, sizeof row);
    CHECK(strncmp(row, "  row-999978", 12) == 0);
    /* the cursor row is drawn selected, right to the edge */
    CHECK(cell_is(22, 2, L'r', ROLE_SELECTED));
    CHECK(cell_is(22, 79, L' ', ROLE_SELECTED));
    CHECK(cell_is(21, 2, L'r', ROLE_NORMAL));
    /* header */
    CHECK(cell_is(0, 2, L'I', ROLE_HEADER));
    /* right-aligned score: 999999*7 % 1000 = 993 ends at column 2+12+1+6-1 = 20 */
    CHECK(cell_is(22, 18, L'9', ROLE_SELECTED));
    CHECK(cell_is(22, 20, L'3', ROLE_SELECTED));
    char count[64];
    table_count_text(t, count, sizeof count);
    CHECK_STR_EQ(count, utf8_screen ? "999,979\xe2\x80\x93"
                                      "1,000,000 of 1,000,000"
                                    : "999,979-1,000,000 of 1,000,000");
    table_delete(t);
}

static const char *small_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    static const char *const names[] = {"alpha", "Bravo", "charlie", "DELTA", "echo"};
    if (col == 0)
        snprintf(buf, cap, "id-%02zu", row);
    else if (col == 1)
        snprintf(buf, cap, "%zu", (row * 37) % 100);
    else
        snprintf(buf, cap, "%s", names[row % 5]);
    return buf;
}

static int small_compare(void *ctx, size_t a, size_t b, int col)
{
    long va = (long)((a * 37) % 100), vb = (long)((b * 37) % 100);
    if (col == 1)
        return va < vb ? -1 : va > vb;
    return a < b ? -1 : a > b;
}

static void test_table_filter_marks_and_pages(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct table_source src = {.cell = small_cell, .compare = small_compare};
    struct table *t = table_new(three_cols, 3, &src);
    if (!t)
        return;
    struct widget *w = table_widget(t);
    widget_place(w, 0, 0, 10, 80);
    table_set_rows(t, 50, true);
    /* filter: case-insensitive on the owner's text */
    int r = table_set_filter(t, "ECHO");
    CHECK(r & WR_CHANGED);
    CHECK_INT_EQ(table_visible_count(t), 10);
    CHECK_INT_EQ(table_cursor(t), 4);
    table_mark_all(t);
    CHECK_INT_EQ(table_mark_count(t), 10);
    /* nothing matches: an empty view, not everything */
    table_set_filter(t, "zulu");
    CHECK_INT_EQ(table_visible_count(t), 0);
    CHECK_INT_EQ(table_cursor(t), TABLE_NONE);
    widget_draw(w, stdscr);
    CHECK(headless_find("no row matches the filter") < 0); /* the more row is there */
    table_set_filter(t, "ECHO");
    CHECK(table_is_marked(t, 9));
    CHECK(!table_is_marked(t, 8));
    table_set_filter(t, "");
    CHECK_INT_EQ(table_visible_count(t), 50);
    CHECK_INT_EQ(table_mark_count(t), 10);
    widget_draw(w, stdscr);
    /* row 4 is marked: mark glyph in the gutter, marked look (it is also
     * the cursor row: selected and marked) */
    table_home(t);
    widget_draw(w, stdscr);
    CHECK(cell_is(5, 2, L'i', ROLE_MARKED));
    CHECK(cell_is(5, 0, utf8_screen ? 0x25cf : L'*', ROLE_MARKED));
    CHECK(cell_is(1, 2, L'i', ROLE_SELECTED));
    table_clear_marks(t);
    CHECK_INT_EQ(table_mark_count(t), 0);
    CHECK_INT_EQ(table_next_mark(t, 0), TABLE_NONE);
    /* space marks and moves down */
    r = widget_handle(w, ' ');
    CHECK(r & WR_MARKS);
    CHECK(table_is_marked(t, 0));
    CHECK_INT_EQ(table_cursor(t), 1);
    /* pages: the end asks once, "more" row shown */
    r = table_end(t);
    CHECK(r & WR_PAGE);
    CHECK(table_page_pending(t));
    CHECK_INT_EQ(table_cursor(t), TABLE_NONE); /* on the more row */
    r = table_move(t, -1);
    CHECK(!(r & WR_PAGE));
    widget_draw(w, stdscr);
    CHECK(headless_find(utf8_screen ? "loading\xe2\x80\xa6" : "loading...") == 9);
    table_set_rows(t, 100, false);
    CHECK(!table_page_pending(t));
    CHECK_INT_EQ(table_cursor(t), 49); /* the row above "more…" */
    CHECK(table_is_marked(t, 0));
    char count[64];
    table_count_text(t, count, sizeof count);
    CHECK(strstr(count, "of 100") != NULL);
    /* sort by score with the owner's comparator */
    r = table_sort(t, 1, false);
    CHECK(r & WR_SORT);
    table_home(t);
    CHECK_INT_EQ(table_cursor(t), 0); /* score 0 */
    table_move(t, 1);
    CHECK_INT_EQ(table_cursor(t), 73); /* 73*37 % 100 = 1 */
    widget_draw(w, stdscr);
    CHECK(cell_is(0, 2 + 12 + 1 + 5, utf8_screen ? 0x25b2 : L'^', ROLE_HEADER));
    /* > and < walk the sortable columns (Name is not sortable: skipped) */
    table_sort(t, 1, true);
    CHECK(widget_handle(w, '>') & WR_SORT);
    bool desc = false;
    CHECK_INT_EQ(table_sort_column(t, &desc), 0);
    CHECK(desc);
    widget_handle(w, '<');
    CHECK_INT_EQ(table_sort_column(t, NULL), 1);
    table_home(t);
    CHECK_INT_EQ(table_cursor(t), 27); /* 27*37 % 100 = 99, the highest */
    table_delete(t);
}

static void test_table_columns_hide_when_narrow(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct table_source src = {.cell = small_cell};
    struct table *t = table_new(three_cols, 3, &src);
    if (!t)
        return;
    table_set_rows(t, 5, false);
    widget_place(table_widget(t), 0, 0, 6, 30);
    widget_draw(table_widget(t), stdscr);
    char row[256];
    headless_text(0, 0, 30, row, sizeof row);
    CHECK(strstr(row, "Score") == NULL);
    CHECK(strstr(row, "Name") != NULL);
    widget_place(table_widget(t), 0, 0, 6, 80);
    widget_draw(table_widget(t), stdscr);
    headless_text(0, 0, 80, row, sizeof row);
    CHECK(strstr(row, "Score") != NULL);
    table_delete(t);
}

static int dim_odd_rows(void *ctx, size_t row)
{
    return row % 2 ? ROLE_DIM : -1;
}

static void test_table_row_roles_and_empty_states(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct table_source src = {.cell = small_cell, .row_role = dim_odd_rows};
    struct table *t = table_new(three_cols, 3, &src);
    if (!t)
        return;
    struct widget *w = table_widget(t);
    widget_place(w, 0, 0, 10, 80);
    table_set_empty_text(t, "Nothing here yet");
    widget_draw(w, stdscr);
    CHECK(headless_find("Nothing here yet") == 1);
    CHECK(cell_is(1, 2, L'N', ROLE_DIM));
    CHECK_INT_EQ(table_cursor(t), TABLE_NONE);
    CHECK(widget_handle(w, '\n') == WR_HANDLED); /* nothing to open */
    table_set_rows(t, 5, false);
    werase(stdscr);
    widget_draw(w, stdscr);
    CHECK(cell_is(1, 2, L'i', ROLE_SELECTED)); /* the cursor wins over the row role */
    CHECK(cell_is(2, 2, L'i', ROLE_DIM));
    CHECK(cell_is(3, 2, L'i', ROLE_NORMAL));
    CHECK(widget_handle(w, '\n') & WR_ACTIVATE);
    table_set_filter(t, "no such text");
    werase(stdscr);
    widget_draw(w, stdscr);
    CHECK(headless_find("no row matches the filter") == 1);
    /* the "more" row: Enter asks for a page once */
    table_set_filter(t, NULL);
    table_set_rows(t, 5, true);
    table_end(t);
    table_set_rows(t, 5, true); /* the owner answered with no new rows */
    int r = widget_handle(w, '\n');
    CHECK(r & WR_PAGE);
    CHECK(!(widget_handle(w, '\n') & WR_PAGE));
    table_delete(t);
}

/* A cell's text changes in place: table_rows_changed applies the filter
 * again, and the marks and the cursor's row stay. */
static const char *state_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    const char *const *state = ctx;
    snprintf(buf, cap, "row%zu %s", row, state[row]);
    return buf;
}

static void test_table_rows_changed_in_place(void)
{
    static const struct table_column col[] = {{"Row", 10, 1, 0, TABLE_LEFT, true}};
    const char *state[5] = {"on", "off", "on", "on", "on"};
    struct table_source src = {.cell = state_cell, .ctx = state};
    struct table *t = table_new(col, 1, &src);
    if (!t)
        return;
    widget_place(table_widget(t), 0, 0, 10, 40);
    table_set_rows(t, 5, false);
    table_set_filter(t, "off");
    CHECK(table_visible_count(t) == 1);
    CHECK(table_cursor(t) == 1);
    table_mark_toggle(t);
    state[3] = "off";
    CHECK(table_visible_count(t) == 1); /* the table holds the view it built */
    table_rows_changed(t);
    CHECK(table_visible_count(t) == 2);
    CHECK(table_is_marked(t, 1) && table_mark_count(t) == 1);
    table_set_filter(t, NULL);
    CHECK(table_visible_count(t) == 5);
    table_delete(t);
}

/* Marking down the list: Space on the last loaded row marks it and moves onto
 * "more…"; more Spaces typed before the page arrives change nothing, and the
 * first one after it marks the first new row. */
static void test_table_marking_reaches_the_more_row(void)
{
    struct table_source src = {.cell = small_cell};
    struct table *t = table_new(three_cols, 3, &src);
    if (!t)
        return;
    struct widget *w = table_widget(t);
    widget_place(w, 0, 0, 10, 40);
    table_set_rows(t, 3, true);
    for (int i = 0; i < 3; i++)
        widget_handle(w, ' ');
    CHECK(table_mark_count(t) == 3);
    CHECK(table_cursor(t) == TABLE_NONE);
    widget_handle(w, ' ');
    widget_handle(w, ' ');
    CHECK(table_mark_count(t) == 3);
    CHECK(table_is_marked(t, 2));
    table_set_rows(t, 6, false);
    CHECK(table_cursor(t) == 3);
    widget_handle(w, ' ');
    CHECK(table_mark_count(t) == 4 && table_is_marked(t, 3));
    table_delete(t);
}

/* ---- form ---- */

static const char *no_bad(void *ctx, const char *v)
{
    return strstr(v, "bad") ? "must not say bad" : NULL;
}

static struct form *make_rule(void *ctx)
{
    struct form *f = form_new("Rule");
    if (f) {
        form_add_text(f, "claim", "Claim", "", FORM_REQUIRED, NULL, NULL);
        form_add_text(f, "value", "Value", "", 0, NULL, NULL);
    }
    return f;
}

static struct form *sample_form(void)
{
    static const char *const kinds[] = {"Equals", "Contains", "StartsWith"};
    struct form *f = form_new("Edit thing");
    if (!f)
        return NULL;
    form_add_text(f, "name", "Name", "", FORM_REQUIRED, no_bad, NULL);
    form_add_secret(f, "secret", "Secret", "", 0, NULL, NULL);
    form_add_bool(f, "enabled", "Enabled", false);
    form_add_choice(f, "kind", "Kind", kinds, 3, 0);
    form_add_list(f, "hosts", "Hosts", FORM_REQUIRED, 3, NULL, NULL);
    form_add_map(f, "tags", "Tags", 0, 0, NULL, NULL);
    form_add_records(f, "rules", "Rules", 0, 25, make_rule, NULL, NULL);
    return f;
}

static void test_form_failed_validation_keeps_every_value(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct form *f = sample_form();
    if (!f)
        return;
    struct widget *w = form_widget(f);
    widget_place(w, 0, 0, 24, 80);
    type_text(w, "my bad \xe4\xb8\xad"); /* name */
    widget_handle(w, '\t');
    type_text(w, "hunter2"); /* secret */
    widget_handle(w, '\t');
    widget_handle(w, ' '); /* enabled */
    widget_handle(w, '\t');
    widget_handle(w, WKEY_FN(KEY_RIGHT)); /* kind: Contains */
    widget_handle(w, '\t');
    widget_handle(w, '\n'); /* hosts: add */
    type_text(w, "h1");
    widget_handle(w, '\t'); /* hosts: add line */
    widget_handle(w, '\t'); /* tags: add */
    widget_handle(w, '\n');
    type_text(w, "env");
    widget_handle(w, '\t');
    type_text(w, "prod");
    int r = widget_handle(w, WKEY_FN(KEY_F(10)));
    CHECK(r & WR_INVALID);
    CHECK(!(r & WR_SUBMIT));
    CHECK_STR_EQ(form_text(f, "name"), "my bad \xe4\xb8\xad");
    CHECK_STR_EQ(form_text(f, "secret"), "hunter2");
    CHECK(form_bool(f, "enabled"));
    CHECK_INT_EQ(form_choice(f, "kind"), 1);
    CHECK_INT_EQ(form_count(f, "hosts"), 1);
    CHECK_STR_EQ(form_list_item(f, "hosts", 0), "h1");
    CHECK_STR_EQ(form_map_key(f, "tags", 0), "env");
    CHECK_STR_EQ(form_map_value(f, "tags", 0), "prod");
    CHECK_STR_EQ(form_error(f, "name"), "must not say bad");
    CHECK_STR_EQ(form_focus_key(f), "name");
    widget_draw(w, stdscr);
    /* the message is drawn under the field, in the error role */
    int y = headless_find("must not say bad");
    int yname = headless_find("Name");
    CHECK(y == yname + 1);
    CHECK(y > 0);
    /* the secret is never drawn */
    CHECK(headless_find("hunter2") < 0);
    CHECK(headless_find("********") > 0);
    CHECK(headless_find("Name *") == yname);
    /* fix it: Ctrl-U clears, retype, submit goes through */
    widget_handle(w, WKEY_CTRL('u'));
    type_text(w, "good");
    r = widget_handle(w, WKEY_FN(KEY_F(10)));
    CHECK(r & WR_SUBMIT);
    CHECK_STR_EQ(form_text(f, "name"), "good");
    /* the owner's error from the service: shown, everything kept */
    form_set_error(f, NULL, "LimitExceeded: too many things");
    widget_draw(w, stdscr);
    CHECK(headless_find("LimitExceeded: too many things") == 21); /* above the buttons */
    CHECK_STR_EQ(form_text(f, "secret"), "hunter2");
    form_delete(f);
}

static void test_form_utf8_editing_by_character(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct form *f = form_new("t");
    if (!f)
        return;
    form_add_text(f, "a", "A", "", 0, NULL, NULL);
    struct widget *w = form_widget(f);
    widget_place(w, 0, 0, 10, 40);
    type_text(w, "x\xe4\xb8\xad"
                 "e\xcc\x81y");
    widget_handle(w, WKEY_FN(KEY_LEFT));      /* before y */
    widget_handle(w, WKEY_FN(KEY_LEFT));      /* before é (e + mark) */
    widget_handle(w, WKEY_FN(KEY_BACKSPACE)); /* deletes 中 whole */
    if (utf8_screen) {
        CHECK_STR_EQ(form_text(f, "a"), "xe\xcc\x81y");
        widget_handle(w, WKEY_FN(KEY_DC)); /* deletes é whole */
    } else {
        /* not UTF-8: the mark is shown escaped, a character of its own, so
         * the two Lefts stopped before it and Backspace took the 'e' */
        CHECK_STR_EQ(form_text(f, "a"), "x\xe4\xb8\xad\xcc\x81y");
        widget_handle(w, WKEY_FN(KEY_DC));        /* the mark */
        widget_handle(w, WKEY_FN(KEY_BACKSPACE)); /* 中 */
    }
    CHECK_STR_EQ(form_text(f, "a"), "xy");
    type_text(w, "\xe4\xb8\xad");
    widget_draw(w, stdscr);
    /* cursor after x + 中: label column then 1 + 2 columns */
    CHECK(w->cursor_on);
    int y = headless_find("x");
    CHECK(w->cursor_y == y);
    if (utf8_screen) {
        char row[256];
        headless_row(y, row, sizeof row);
        char *p = strstr(row, "x\xe4\xb8\xady");
        CHECK(p != NULL);
    }
    form_delete(f);
}

static void test_form_records_open_and_cancel(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct form *f = sample_form();
    if (!f)
        return;
    struct widget *w = form_widget(f);
    widget_place(w, 0, 0, 24, 80);
    form_focus(f, "rules");
    widget_handle(w, '\n'); /* add: opens the new record */
    CHECK(form_open_record(f) != NULL);
    type_text(w, "aud");
    widget_handle(w, '\t');
    type_text(w, "app1");
    widget_draw(w, stdscr);
    CHECK(headless_find("Rule") >= 0);
    int r = widget_handle(w, WKEY_FN(KEY_F(10)));
    CHECK(r & WR_HANDLED);
    CHECK(!(r & WR_SUBMIT)); /* the sub-form's OK only closes it */
    CHECK(form_open_record(f) == NULL);
    CHECK_INT_EQ(form_count(f, "rules"), 1);
    CHECK_STR_EQ(form_text(form_record(f, "rules", 0), "claim"), "aud");
    /* open it again, change, Esc: restored */
    form_focus(f, "rules");
    widget_handle(w, '\n');
    widget_handle(w, WKEY_CTRL('u'));
    type_text(w, "sub");
    widget_handle(w, WKEY_ESC);
    CHECK(form_open_record(f) == NULL);
    CHECK_STR_EQ(form_text(form_record(f, "rules", 0), "claim"), "aud");
    widget_draw(w, stdscr);
    CHECK(headless_find("aud  app1") >= 0);
    /* a new record cancelled is dropped */
    form_focus(f, "rules");
    widget_handle(w, WKEY_FN(KEY_DOWN)); /* the add line */
    widget_handle(w, '\n');
    CHECK_INT_EQ(form_count(f, "rules"), 2);
    widget_handle(w, WKEY_ESC);
    CHECK_INT_EQ(form_count(f, "rules"), 1);
    form_delete(f);
}

static void test_form_scrolls_when_taller(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct form *f = form_new("long");
    if (!f)
        return;
    char k[16];
    for (int i = 0; i < 40; i++) {
        snprintf(k, sizeof k, "f%02d", i);
        form_add_text(f, k, k, k, 0, NULL, NULL);
    }
    struct widget *w = form_widget(f);
    widget_place(w, 0, 0, 12, 60);
    form_focus(f, "f30");
    widget_draw(w, stdscr);
    int y = headless_find("f30 ");
    CHECK(y > 0 && y < 12);
    CHECK(headless_find("f00") < 0);
    CHECK(w->cursor_on && w->cursor_y == y);
    form_delete(f);
}

static void test_form_reorder_delete_and_limits(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct form *f = sample_form();
    if (!f)
        return;
    struct widget *w = form_widget(f);
    widget_place(w, 0, 0, 24, 80);
    form_list_append(f, "hosts", "a");
    form_list_append(f, "hosts", "b");
    form_list_append(f, "hosts", "c");
    CHECK(form_list_append(f, "hosts", "d") < 0); /* at most 3 */
    form_focus(f, "hosts");                       /* on "a" */
    widget_handle(w, WKEY_FN(KEY_SF));            /* move it down */
    CHECK_STR_EQ(form_list_item(f, "hosts", 0), "b");
    CHECK_STR_EQ(form_list_item(f, "hosts", 1), "a");
    widget_handle(w, WKEY_FN(KEY_SF));
    CHECK_STR_EQ(form_list_item(f, "hosts", 2), "a");
    widget_handle(w, WKEY_FN(KEY_SF)); /* already last */
    CHECK_STR_EQ(form_list_item(f, "hosts", 2), "a");
    widget_handle(w, WKEY_CTRL('d')); /* delete "a" */
    CHECK_INT_EQ(form_count(f, "hosts"), 2);
    CHECK_STR_EQ(form_list_item(f, "hosts", 1), "c");
    /* records: reorder */
    struct form *r1 = form_records_append(f, "rules");
    struct form *r2 = form_records_append(f, "rules");
    CHECK(r1 && r2);
    if (r1 && r2) {
        form_set_text(r1, "claim", "first");
        form_set_text(r2, "claim", "second");
        form_focus(f, "rules");
        widget_handle(w, WKEY_FN(KEY_SF));
        CHECK(form_record(f, "rules", 0) == r2);
        CHECK(form_record(f, "rules", 1) == r1);
        widget_draw(w, stdscr);
        int y1 = headless_find("second"), y2 = headless_find("first");
        CHECK(y1 > 0 && y2 == y1 + 1);
    }
    /* the required marker is in its role */
    werase(stdscr);
    widget_draw(w, stdscr);
    int y = headless_find("Name *");
    CHECK(y > 0);
    CHECK(cell_is(y, headless_col(y, "Name *") + 5, L'*', ROLE_REQUIRED));
    /* a record that fails its own checks makes the parent fail */
    struct form *r3 = form_records_append(f, "rules");
    CHECK(r3 != NULL);
    form_set_text(f, "name", "ok");
    CHECK(form_validate(f) == 1);
    CHECK(strstr(form_error(f, "rules"), "Item 3") != NULL);
    form_delete(f);
}

/* ---- dialogs ---- */

static void test_typed_confirm_refuses_near_miss(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct dialog *d = dialog_typed_confirm("Delete pool", "Deletes pool prod-pool (eu-1:123).",
                                            "Delete", "Type the pool's name:", "prod-pool");
    if (!d)
        return;
    struct widget *w = dialog_widget(d);
    widget_place(w, 0, 0, 24, 80);
    const char *misses[] = {"prod-poo", "Prod-pool", "prod-pool ", " prod-pool", "prod_pool"};
    for (size_t i = 0; i < 5; i++) {
        widget_handle(w, WKEY_CTRL('u'));
        type_text(w, misses[i]);
        CHECK(!dialog_ok_enabled(d));
        int r = widget_handle(w, '\n');
        CHECK(!(r & WR_SUBMIT));
        /* Tab to OK and Enter: still nothing */
        widget_handle(w, '\t');
        widget_handle(w, '\t');
        CHECK(dialog_focus_ok(d));
        r = widget_handle(w, '\n');
        CHECK(!(r & WR_SUBMIT));
        widget_handle(w, '\t'); /* back to the input */
    }
    widget_draw(w, stdscr);
    int y = headless_find("[ Delete ]");
    CHECK(y > 0);
    if (y > 0) {
        int x = headless_col(y, "[ Delete ]");
        CHECK(cell_is(y, x + 2, L'D', ROLE_BUTTON_DISABLED));
    }
    CHECK(headless_find("There is no undo.") > 0);
    widget_handle(w, WKEY_CTRL('u'));
    type_text(w, "prod-pool");
    CHECK(dialog_ok_enabled(d));
    CHECK(widget_handle(w, '\n') & WR_SUBMIT);
    dialog_delete(d);
}

static void test_confirm_starts_on_cancel(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct dialog *d = dialog_confirm("Delete 3 identities", "Deletes 3 identities.", "Delete");
    if (!d)
        return;
    struct widget *w = dialog_widget(d);
    widget_place(w, 0, 0, 24, 80);
    widget_draw(w, stdscr);
    CHECK(!dialog_focus_ok(d));
    int y = headless_find("[ Cancel ]");
    CHECK(y > 0);
    int x = headless_col(y, "[ Cancel ]");
    CHECK(cell_is(y, x + 2, L'C', ROLE_BUTTON_FOCUS));
    CHECK(headless_find("There is no undo.") > 0);
    CHECK(widget_handle(w, '\n') & WR_CANCEL);
    widget_handle(w, WKEY_FN(KEY_RIGHT));
    CHECK(widget_handle(w, '\n') & WR_SUBMIT);
    dialog_delete(d);
}

static void test_error_dialog_detail_toggle(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct dialog *d =
        dialog_error("Request failed", "The pool does not exist.", "ResourceNotFoundException",
                     "Pool eu-1:x not found", "req-1234\x1b[31m");
    if (!d)
        return;
    struct widget *w = dialog_widget(d);
    widget_place(w, 0, 0, 24, 80);
    widget_draw(w, stdscr);
    CHECK(headless_find("req-1234") < 0);
    CHECK(widget_handle(w, 'd') & WR_REDRAW);
    werase(stdscr);
    widget_draw(w, stdscr);
    CHECK(headless_find("Code: ResourceNotFoundException") > 0);
    CHECK(headless_find("Request id: req-1234^[[31m") > 0);
    CHECK(widget_handle(w, WKEY_ESC) & WR_CANCEL);
    dialog_delete(d);
}

/* ---- detail, diff ---- */

static void test_detail_json_and_scroll(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct detail *d = detail_new("Thing");
    if (!d)
        return;
    detail_add_section(d, "General");
    detail_add_kv(d, 0, "Name",
                  "pool\xe2\x80\xae"
                  "evil");
    detail_add_kv(d, 0, "Request id", "r-1");
    char err[128];
    CHECK(detail_add_json_text(d, 0, "{\"a\": [1, \"x\"], \"b\": {\"c\": true}}", err,
                               sizeof err) == 0);
    CHECK(detail_add_json_text(d, 0, "{\"a\": ", err, sizeof err) < 0);
    CHECK(strstr(err, "JSON") != NULL);
    CHECK_STR_EQ(detail_line_text(d, 3), "{");
    CHECK_STR_EQ(detail_line_text(d, 4), "\"a\": [");
    CHECK_STR_EQ(detail_line_text(d, 5), "1,");
    CHECK_STR_EQ(detail_line_text(d, 6), "\"x\"");
    struct widget *w = detail_widget(d);
    widget_place(w, 0, 0, 24, 80);
    widget_draw(w, stdscr);
    CHECK(headless_find("Name:       pool\\u202eevil") == 2); /* aligned with "Request id: " */
    CHECK(headless_find("Request id: r-1") == 3);
    int y = headless_find("\"a\": [");
    CHECK(y == 5);
    CHECK(cell_is(y, 3, L'"', ROLE_JSON_KEY));
    CHECK(cell_is(y + 1, 5, L'1', ROLE_JSON_NUMBER));
    CHECK(cell_is(y + 2, 5, L'"', ROLE_JSON_STRING));
    for (int i = 0; i < 100; i++)
        detail_add_line(d, 1, "filler", ROLE_DIM);
    CHECK(widget_handle(w, 'G') & WR_MOVED);
    CHECK_INT_EQ(detail_top(d), detail_line_count(d) - 22);
    detail_delete(d);
}

static void test_diff_marks_changed_lines(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct diff *d = diff_new("Changes");
    if (!d)
        return;
    struct json_object *a = json_tokener_parse("{\"Name\":\"p\",\"Allow\":false,\"L\":[1,2]}");
    struct json_object *b = json_tokener_parse("{\"Allow\":true,\"Name\":\"p\",\"L\":[1,2]}");
    CHECK(diff_set_json(d, a, b) == 0);
    CHECK_INT_EQ(diff_changes(d), 2);
    char mark;
    size_t i;
    for (i = 0; i < diff_line_count(d); i++) {
        const char *l = diff_line(d, i, &mark);
        if (strstr(l, "Allow"))
            break;
    }
    const char *l = diff_line(d, i, &mark);
    CHECK(mark == '-' && strstr(l, "false"));
    l = diff_line(d, i + 1, &mark);
    CHECK(mark == '+' && strstr(l, "true"));
    struct widget *w = diff_widget(d);
    widget_place(w, 0, 0, 24, 80);
    widget_draw(w, stdscr);
    int y = headless_find("\"Allow\": false");
    CHECK(y > 0);
    CHECK(cell_is(y, 1, L'-', ROLE_DIFF_REMOVE));
    CHECK(cell_is(y + 1, 1, L'+', ROLE_DIFF_ADD));
    CHECK(cell_is(y - 1, 1, L' ', ROLE_NORMAL));
    /* identical: no change */
    diff_set_json(d, a, a);
    CHECK_INT_EQ(diff_changes(d), 0);
    json_object_put(a);
    json_object_put(b);
    diff_delete(d);
}

/* ---- bars, prompt, help ---- */

static void test_bars(void)
{
    if (open_screen(24, 80) < 0)
        return;
    const char *labels[] = {"Pools", "Things", "Roles", "Tags"};
    struct tabbar *tb = tabbar_new(labels, 4);
    struct status *st = status_new();
    struct keybar *kb = keybar_new();
    if (!tb || !st || !kb)
        goto out;
    widget_place(tabbar_widget(tb), 0, 0, 1, 80);
    CHECK(widget_handle(tabbar_widget(tb), '3') & WR_CHANGED);
    CHECK_INT_EQ(tabbar_active(tb), 2);
    CHECK(widget_handle(tabbar_widget(tb), WKEY_FN(KEY_BTAB)) & WR_CHANGED);
    CHECK_INT_EQ(tabbar_active(tb), 1);
    widget_draw(tabbar_widget(tb), stdscr);
    char row[512];
    headless_row_trim(0, row, sizeof row);
    CHECK_STR_EQ(row, " 1 Pools  2 Things  3 Roles  4 Tags");
    CHECK(cell_is(0, 10, L'2', ROLE_TAB_ACTIVE));
    CHECK(cell_is(0, 1, L'1', ROLE_TAB));

    char prog[64];
    snprintf(prog, sizeof prog, "page 12 %s 720 rows", theme_glyph(GLYPH_DOT));
    status_set_progress(st, prog);
    status_set_busy(st, true);
    status_set_message(st, ROLE_ERROR, "Throttled, retrying");
    status_set_right(st, "1-40 of 720+");
    widget_place(status_widget(st), 22, 0, 1, 80);
    widget_draw(status_widget(st), stdscr);
    headless_row_trim(22, row, sizeof row);
    CHECK(strstr(row, utf8_screen ? "page 12 \xc2\xb7 720 rows" : "page 12 - 720 rows") != NULL);
    CHECK(strstr(row, "1-40 of 720+") != NULL);
    wchar_t s1[CCHARW_MAX + 1], s2[CCHARW_MAX + 1];
    headless_cell(22, 0, s1, NULL, NULL);
    CHECK(status_tick(st) & WR_REDRAW);
    widget_draw(status_widget(st), stdscr);
    headless_cell(22, 0, s2, NULL, NULL);
    CHECK(s1[0] != s2[0]); /* the spinner turned */
    int x = headless_col(22, "Throttled");
    CHECK(cell_is(22, x, L'T', ROLE_ERROR));

    struct keybar_item items[] = {
        {"F1", "Help"}, {"Enter", "Open"}, {"/", "Filter"}, {"D", "Delete"}};
    keybar_set(kb, items, 4);
    widget_place(keybar_widget(kb), 23, 0, 1, 80);
    widget_draw(keybar_widget(kb), stdscr);
    CHECK_INT_EQ(keybar_shown(kb), 4);
    headless_row_trim(23, row, sizeof row);
    CHECK_STR_EQ(row, "F1Help EnterOpen /Filter DDelete");
    CHECK(cell_is(23, 0, L'F', ROLE_KEY));
    CHECK(cell_is(23, 2, L'H', ROLE_KEY_LABEL));
    /* narrow: whole items only */
    widget_place(keybar_widget(kb), 23, 0, 1, 16);
    werase(stdscr);
    widget_draw(keybar_widget(kb), stdscr);
    CHECK_INT_EQ(keybar_shown(kb), 2);
out:
    tabbar_delete(tb);
    status_delete(st);
    keybar_delete(kb);
}

static void complete_cmd(void *ctx, const char *text, const char *word,
                         struct prompt_completions *out)
{
    static const char *const cmds[] = {"profile", "region", "refresh", "quit"};
    if (word != text)
        return; /* only the first word */
    for (size_t i = 0; i < 4; i++)
        if (strncmp(cmds[i], word, strlen(word)) == 0)
            prompt_complete_add(out, cmds[i]);
}

static void test_prompt_history_and_completion(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct prompt_history *h = prompt_history_new(10);
    struct prompt *p = prompt_new(":", NULL, h, complete_cmd, NULL);
    if (!h || !p)
        goto out;
    struct widget *w = prompt_widget(p);
    widget_place(w, 23, 0, 1, 80);
    type_text(w, "p");
    CHECK(widget_handle(w, '\t') & WR_CHANGED);
    CHECK_STR_EQ(prompt_text(p), "profile ");
    type_text(w, "dev");
    CHECK(widget_handle(w, '\n') & WR_SUBMIT);
    CHECK_INT_EQ(prompt_history_count(h), 1);
    prompt_delete(p);
    p = prompt_new(":", NULL, h, complete_cmd, NULL);
    if (!p)
        goto out;
    w = prompt_widget(p);
    widget_place(w, 23, 0, 1, 80);
    type_text(w, "r");
    widget_handle(w, '\t'); /* region, refresh: common prefix "re" */
    CHECK_STR_EQ(prompt_text(p), "re");
    CHECK_INT_EQ(prompt_candidate_count(p), 2);
    widget_draw(w, stdscr);
    CHECK(headless_find("region refresh") == 23);
    widget_handle(w, WKEY_CTRL('u'));
    CHECK(widget_handle(w, WKEY_FN(KEY_UP)) & WR_CHANGED);
    CHECK_STR_EQ(prompt_text(p), "profile dev");
    widget_handle(w, WKEY_FN(KEY_DOWN));
    CHECK_STR_EQ(prompt_text(p), "");
    type_text(w, "x\x1b");
    CHECK_STR_EQ(prompt_text(p), "x");
out:
    prompt_delete(p);
    prompt_history_free(h);
}

static void test_help_overlay_from_key_table(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct help_item pane[] = {
        {"Enter", "Open the selected row"}, {"/", "Filter"}, {"D", "Delete"}};
    struct help_item all[40];
    char keys[40][16];
    for (int i = 0; i < 40; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        all[i] = (struct help_item){keys[i], "something"};
    }
    struct help_section s[] = {{"This pane", pane, 3}, {"Everywhere", all, 40}};
    struct help *h = help_new("Keys", s, 2);
    if (!h)
        return;
    struct widget *w = help_widget(h);
    widget_place(w, 0, 0, 24, 80);
    widget_draw(w, stdscr);
    CHECK(headless_find("This pane") == 1);
    int y = headless_find("Enter  Open the selected row");
    CHECK(y == 2);
    CHECK(cell_is(2, 2, L'E', ROLE_KEY_LABEL));
    CHECK(widget_handle(w, 'G') & WR_MOVED);
    werase(stdscr);
    widget_draw(w, stdscr);
    CHECK(headless_find("k39") == 22);
    CHECK(widget_handle(w, WKEY_ESC) & WR_CANCEL);
    help_delete(h);
}

/* ---- issues 12 and 16: what a new user hit ---- */

/* A name with control characters cannot write lines into its own delete
 * confirmation, and can be deleted by typing what the screen shows. */
static void test_dialog_outside_newline_stays_escaped(void)
{
    if (open_screen(24, 80) < 0)
        return;
    const char *name = "evil\npool\x1b[31m";
    struct dialog *d = dialog_typed_confirm(
        "Delete evil\npool", "Delete the identity pool \"evil\nThere is no undo? Fine\" (eu-1:1)?",
        "Delete", "Type the pool's name to delete it:", name);
    if (!d)
        return;
    struct widget *w = dialog_widget(d);
    widget_place(w, 0, 0, 24, 80);
    widget_draw(w, stdscr);
    /* the newline is drawn "^J" where it is, never a line of its own */
    CHECK(headless_find("\"evil^JThere is no undo? Fine\"") > 0);
    CHECK(headless_find("Delete evil^Jpool") >= 0);
    char row[512];
    for (int y = 0; y < 24; y++) {
        headless_row_trim(y, row, sizeof row);
        const char *p = row;
        while (*p == ' ' || (unsigned char)*p >= 0x80 || *p == '|')
            p++; /* the frame */
        CHECK(strncmp(p, "There is no undo? Fine", 22) != 0);
        CHECK(strncmp(p, "pool", 4) != 0);
    }
    /* typing what is drawn deletes; anything looser does not */
    const char *misses[] = {"evil^Jpool^[[31",     "evil^Jpool^[[31m ", "EVIL^Jpool^[[31m",
                            "evil^jpool^[[31m",    "evil pool^[[31m",   "evil\\npool^[[31m",
                            "evil^Jpool\\x1b[31m", "evilpool",          ""};
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++) {
        widget_handle(w, WKEY_CTRL('u'));
        type_text(w, misses[i]);
        if (dialog_ok_enabled(d))
            fprintf(stderr, "  accepted \"%s\"\n", misses[i]);
        CHECK(!dialog_ok_enabled(d));
        CHECK(!(widget_handle(w, '\n') & WR_SUBMIT));
    }
    widget_handle(w, WKEY_CTRL('u'));
    type_text(w, "evil^Jpool^[[31m");
    CHECK(dialog_ok_enabled(d));
    werase(stdscr);
    widget_draw(w, stdscr);
    CHECK(headless_find("evil^Jpool^[[31m") > 0); /* the typed line shows it as typed */
    CHECK(widget_handle(w, '\n') & WR_SUBMIT);
    dialog_delete(d);

    /* bidi and non-ASCII names: the drawn form depends on the locale */
    d = dialog_typed_confirm("Delete", "Delete it?", "Delete", NULL,
                             "caf\xc3\xa9\xe2\x80\xae"
                             "x");
    if (!d)
        return;
    w = dialog_widget(d);
    widget_place(w, 0, 0, 24, 80);
    if (utf8_screen) {
        type_text(w, "caf\xc3\xa9\\u202ex");
        CHECK(dialog_ok_enabled(d));
        widget_handle(w, WKEY_CTRL('u'));
        type_text(w, "caf\\u00e9\\u202ex"); /* not what the screen shows here */
        CHECK(!dialog_ok_enabled(d));
    } else {
        type_text(w, "caf\\u00e9\\u202ex");
        CHECK(dialog_ok_enabled(d));
        widget_handle(w, WKEY_CTRL('u'));
        type_text(w, "cafe\\u202ex");
        CHECK(!dialog_ok_enabled(d));
    }
    dialog_delete(d);
}

/* A JSON value holding "\u0000" shows all of itself, not what comes before
 * the NUL (issue 16). */
static void test_json_string_with_nul_shows_the_rest(void)
{
    if (open_screen(24, 80) < 0)
        return;
    json_object *v = json_tokener_parse("\"admin\\u0000\\u001b[31mhidden\"");
    json_object *plain = json_tokener_parse("\"caf\\u00e9\"");
    char buf[64];
    CHECK(v && plain);
    if (!v || !plain)
        goto out;
    CHECK_STR_EQ(tree_jsonc_text(v, buf, sizeof buf), "admin^@^[[31mhidden");
    /* no NUL: json-c's own text, untouched */
    CHECK(tree_jsonc_text(plain, buf, sizeof buf) == json_object_get_string(plain));
    CHECK(tree_jsonc_text(NULL, buf, sizeof buf) == NULL);
    draw_text(stdscr, 0, 0, 80, tree_jsonc_text(v, buf, sizeof buf), TEXT_NUL, ROLE_NORMAL, 0);
    char row[256];
    CHECK_STR_EQ(headless_row_trim(0, row, sizeof row), "admin^@^[[31mhidden");
out:
    json_object_put(v);
    json_object_put(plain);
}

/* Owner paragraphs come from the API, never from bytes in the text. */
static void test_dialog_paragraphs_and_error_detail(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct dialog *d = dialog_message("Delete identities", "Deleted 1 of 2 identities.");
    if (!d)
        return;
    CHECK(dialog_add_paragraph(d, "") == 0);
    CHECK(dialog_add_paragraph(d, "Not processed by the service (1):") == 0);
    CHECK(dialog_add_paragraph(d, "eu-1:abc\nFORGED") == 0);
    struct widget *w = dialog_widget(d);
    widget_place(w, 0, 0, 24, 80);
    widget_draw(w, stdscr);
    int y = headless_find("Deleted 1 of 2 identities.");
    CHECK(y > 0);
    CHECK(headless_find("Not processed by the service (1):") == y + 2);
    CHECK(headless_find("eu-1:abc^JFORGED") == y + 3);
    dialog_delete(d);

    /* the service's message and request id: one line each, escaped */
    d = dialog_error("Request failed", "Failed:\nFAKE", "Code\nX", "no\nsuch pool", "r-1\n2");
    if (!d)
        return;
    w = dialog_widget(d);
    widget_place(w, 0, 0, 24, 80);
    widget_handle(w, 'd');
    werase(stdscr);
    widget_draw(w, stdscr);
    CHECK(headless_find("Failed:^JFAKE") > 0);
    CHECK(headless_find("Code: Code^JX") > 0);
    CHECK(headless_find("Message: no^Jsuch pool") > 0);
    CHECK(headless_find("Request id: r-1^J2") > 0);
    dialog_delete(d);
}

static const char *disabled_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    snprintf(buf, cap, "id-%02zu", row);
    return buf;
}

static unsigned every_third_disabled(void *ctx, size_t row)
{
    return row % 3 == 1 ? TABLE_ROW_DISABLED : 0;
}

/* Disabled rows: dim, and a badge in the gutter that survives the cursor
 * and the mark (the owner decides which rows). */
static void test_table_disabled_rows(void)
{
    if (open_screen(24, 80) < 0)
        return;
    static const struct table_column col[] = {{"Id", 10, 1, 0, TABLE_LEFT, true}};
    struct table_source src = {.cell = disabled_cell, .row_flags = every_third_disabled};
    struct table *t = table_new(col, 1, &src);
    if (!t)
        return;
    struct widget *w = table_widget(t);
    widget_place(w, 0, 0, 10, 40);
    table_set_rows(t, 6, false);
    widget_draw(w, stdscr);
    wchar_t badge = utf8_screen ? 0x2298 : L'-';
    CHECK(cell_is(2, 2, L'i', ROLE_DISABLED)); /* row 1 */
    CHECK(cell_is(2, 1, badge, ROLE_DISABLED));
    CHECK(cell_is(3, 2, L'i', ROLE_NORMAL)); /* row 2 */
    CHECK(cell_is(3, 1, L' ', ROLE_NORMAL));
    table_move(t, 1); /* the cursor on row 1: selected, badge still there */
    table_mark_toggle(t);
    table_move(t, -1);
    werase(stdscr);
    widget_draw(w, stdscr);
    CHECK(cell_is(2, 1, badge, ROLE_SELECTED_MARKED));
    CHECK(cell_is(2, 0, utf8_screen ? 0x25cf : L'*', ROLE_SELECTED_MARKED));
    CHECK(cell_is(2, 2, L'i', ROLE_SELECTED_MARKED));
    table_delete(t);
}

/* Rows with a name, a "date" and a number; the date column sorts through
 * the owner's compare (text order would put "9 Jan" after "10 Feb"). */
struct sort_rows {
    const char *name[6], *date[6], *num[6];
    int day[6];
};

static const char *sort_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    struct sort_rows *r = ctx;
    return col == 0 ? r->name[row] : col == 1 ? r->date[row] : r->num[row];
}

/* The owner's compare: dates as dates, the rest as text. */
static int by_day(void *ctx, size_t a, size_t b, int col)
{
    struct sort_rows *r = ctx;
    if (col == 1)
        return r->day[a] < r->day[b] ? -1 : r->day[a] > r->day[b];
    char ba[64], bb[64];
    return text_compare(sort_cell(ctx, a, col, ba, sizeof ba),
                        sort_cell(ctx, b, col, bb, sizeof bb));
}

static const char *sort_key(void *ctx, size_t row, char *buf, size_t cap)
{
    struct sort_rows *r = ctx;
    return r->name[row];
}

static size_t cursor_pos_order(struct table *t, size_t *out, size_t n)
{
    /* the owner rows in view order, read by walking the cursor */
    size_t keep = table_cursor(t), k = 0;
    table_home(t);
    for (size_t i = 0; i < n; i++) {
        out[k++] = table_cursor(t);
        table_move(t, 1);
    }
    table_set_cursor(t, keep);
    return k;
}

static void test_table_sort_reverse_and_stable(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct sort_rows r = {
        {"bravo", "Alpha", "charlie", "alpha", "delta", "echo"},
        {"10 Feb", "9 Jan", "1 Mar", "10 Feb", "9 Jan", "2 Jan"},
        {"10", "9", "100", "9", "1", "20"},
        {41, 9, 60, 41, 9, 2},
    };
    static const struct table_column cols[] = {
        {"Name", 10, 0, 0, TABLE_LEFT, true},
        {"Date", 8, 0, 0, TABLE_LEFT, true},
        {"N", 4, 0, 0, TABLE_RIGHT, true},
        {"Note", 6, 1, 0, TABLE_LEFT, false},
    };
    /* the table's own text order first, then the owner's compare */
    struct table_source src = {.ctx = &r, .cell = sort_cell, .row_key = sort_key};
    struct table *t = table_new(cols, 4, &src);
    src.compare = by_day;
    struct table *t2 = table_new(cols, 4, &src);
    if (!t || !t2)
        goto out;
    struct widget *w = table_widget(t);
    widget_place(w, 0, 0, 10, 60);
    table_set_rows(t, 6, false);
    size_t o[6];
    /* '>' picks the first sortable column: by the cell text, case-blind,
     * stable (Alpha before alpha: owner order breaks the tie) */
    CHECK(widget_handle(w, '>') & WR_SORT);
    cursor_pos_order(t, o, 6);
    CHECK(o[0] == 1 && o[1] == 3 && o[2] == 0 && o[3] == 2 && o[4] == 4 && o[5] == 5);
    widget_draw(w, stdscr);
    CHECK(cell_is(0, 2 + 4, utf8_screen ? 0x25b2 : L'^', ROLE_HEADER));
    /* 'I' reverses; ties keep the owner's order */
    CHECK(widget_handle(w, 'I') & WR_SORT);
    bool desc = false;
    CHECK_INT_EQ(table_sort_column(t, &desc), 0);
    CHECK(desc);
    cursor_pos_order(t, o, 6);
    CHECK(o[0] == 5 && o[1] == 4 && o[2] == 2 && o[3] == 0 && o[4] == 1 && o[5] == 3);
    werase(stdscr);
    widget_draw(w, stdscr);
    CHECK(cell_is(0, 2 + 4, utf8_screen ? 0x25bc : L'v', ROLE_HEADER));
    /* numbers in text sort as numbers (9 < 10 < 100) */
    table_sort(t, 2, false);
    cursor_pos_order(t, o, 6);
    CHECK(o[0] == 4 && o[1] == 1 && o[2] == 3 && o[3] == 0 && o[4] == 5 && o[5] == 2);
    /* text order would put "1 Mar" first; the owner's compare knows dates */
    table_sort(t, 1, false);
    cursor_pos_order(t, o, 6);
    CHECK(o[0] == 2 && o[1] == 5);
    table_set_rows(t2, 6, false);
    widget_place(table_widget(t2), 0, 0, 10, 60);
    table_sort(t2, 1, false);
    cursor_pos_order(t2, o, 6);
    CHECK(o[0] == 5 && o[1] == 1 && o[2] == 4 && o[3] == 0 && o[4] == 3 && o[5] == 2);
    table_sort(t2, 1, true); /* descending, ties still in the owner's order */
    cursor_pos_order(t2, o, 6);
    CHECK(o[0] == 2 && o[1] == 0 && o[2] == 3 && o[3] == 1 && o[4] == 4 && o[5] == 5);
    table_sort(t2, 0, false); /* its text columns through text_compare */
    cursor_pos_order(t2, o, 6);
    CHECK(o[0] == 1 && o[1] == 3 && o[2] == 0 && o[3] == 2 && o[4] == 4 && o[5] == 5);
    /* the cursor stays on its row across a re-sort and a filter */
    table_set_cursor(t, 0); /* bravo */
    table_sort(t, 0, true);
    CHECK_INT_EQ(table_cursor(t), 0);
    table_set_filter(t, "a");
    CHECK_INT_EQ(table_cursor(t), 0);
    table_set_filter(t, NULL);
    CHECK_INT_EQ(table_cursor(t), 0);
    /* '<' from the first sortable column wraps to the last sortable one;
     * Note (not sortable) is never picked */
    table_sort(t, 0, false);
    widget_handle(w, '<');
    CHECK_INT_EQ(table_sort_column(t, NULL), 2);
    widget_handle(w, '>');
    CHECK_INT_EQ(table_sort_column(t, NULL), 0);
out:
    table_delete(t);
    table_delete(t2);
}

static const char *hash_cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    snprintf(buf, cap, "N%zu", (row * 7919) % 613 / 3); /* ties on purpose */
    return buf;
}

static int hash_compare(void *ctx, size_t a, size_t b, int col)
{
    size_t va = (a * 7919) % 613 / 3, vb = (b * 7919) % 613 / 3;
    return va < vb ? -1 : va > vb;
}

/* Pages appended to a sorted table are merged in: the same order as
 * sorting everything at once, for the text order and the owner's. */
static void test_table_sort_pages_merge(void)
{
    if (open_screen(24, 80) < 0)
        return;
    static const struct table_column cols[] = {{"N", 8, 1, 0, TABLE_LEFT, true}};
    for (int owner = 0; owner < 2; owner++) {
        struct table_source src = {.cell = hash_cell, .compare = owner ? hash_compare : NULL};
        struct table *paged = table_new(cols, 1, &src), *whole = table_new(cols, 1, &src);
        if (!paged || !whole) {
            table_delete(paged);
            table_delete(whole);
            return;
        }
        widget_place(table_widget(paged), 0, 0, 10, 40);
        widget_place(table_widget(whole), 0, 0, 10, 40);
        table_sort(paged, 0, owner == 1);
        for (size_t n = 60; n <= 600; n += 60)
            table_set_rows(paged, n, n < 600);
        table_set_rows(paged, 613, false);
        table_set_rows(whole, 613, false);
        table_sort(whole, 0, owner == 1);
        table_home(paged);
        table_home(whole);
        size_t differ = 0;
        for (size_t i = 0; i < 613; i++) {
            if (table_cursor(paged) != table_cursor(whole))
                differ++;
            table_move(paged, 1);
            table_move(whole, 1);
        }
        CHECK_INT_EQ(differ, 0);
        table_delete(paged);
        table_delete(whole);
    }
}

/* After the owner deletes rows, the cursor stays on the same row (found by
 * its key), or on the row that took its place; never back to the first. */
static void test_table_cursor_kept_across_delete(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct sort_rows r = {{"a0", "a1", "a2", "a3", "a4", "a5"},
                          {"", "", "", "", "", ""},
                          {"", "", "", "", "", ""},
                          {0}};
    static const struct table_column cols[] = {{"Name", 10, 1, 0, TABLE_LEFT, true}};
    struct table_source src = {.ctx = &r, .cell = sort_cell, .row_key = sort_key};
    struct table *t = table_new(cols, 1, &src);
    if (!t)
        return;
    table_set_rows(t, 6, false);
    widget_place(table_widget(t), 0, 0, 10, 40);
    table_set_cursor(t, 4); /* a4 */
    /* the owner deletes a1 and a2: a4 is now row 2 */
    const char *left[] = {"a0", "a3", "a4", "a5"};
    memcpy(r.name, left, sizeof left);
    table_reload(t, 4, false);
    CHECK_INT_EQ(table_cursor(t), 2);
    /* the cursor row itself deleted: the next row takes its place */
    const char *left2[] = {"a0", "a3", "a5"};
    memcpy(r.name, left2, sizeof left2);
    table_reload(t, 3, false);
    CHECK_INT_EQ(table_cursor(t), 2);
    CHECK_STR_EQ(r.name[table_cursor(t)], "a5");
    /* the last row deleted: the one before it */
    table_reload(t, 2, false);
    CHECK_INT_EQ(table_cursor(t), 1);
    table_delete(t);
}

/* n / N: the next and previous row matching the search pattern, wrapping. */
static void test_table_search_next_previous(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct table_source src = {.cell = small_cell};
    struct table *t = table_new(three_cols, 3, &src);
    if (!t)
        return;
    struct widget *w = table_widget(t);
    widget_place(w, 0, 0, 10, 80);
    table_set_rows(t, 20, false);
    table_set_search(t, "ECHO"); /* rows 4, 9, 14, 19 */
    CHECK_STR_EQ(table_search(t), "ECHO");
    int r = widget_handle(w, 'n');
    CHECK(r & WR_MOVED);
    CHECK_INT_EQ(table_cursor(t), 4);
    widget_handle(w, 'n');
    CHECK_INT_EQ(table_cursor(t), 9);
    widget_handle(w, 'N');
    CHECK_INT_EQ(table_cursor(t), 4);
    widget_handle(w, 'N'); /* wraps to the last match */
    CHECK_INT_EQ(table_cursor(t), 19);
    widget_handle(w, 'n'); /* and back to the first */
    CHECK_INT_EQ(table_cursor(t), 4);
    /* within the filtered view only */
    table_set_filter(t, "id-1");
    table_set_cursor(t, 10);
    widget_handle(w, 'n');
    CHECK_INT_EQ(table_cursor(t), 14);
    widget_handle(w, 'n');
    CHECK_INT_EQ(table_cursor(t), 19);
    /* no match: the cursor stays, nothing moved */
    table_set_search(t, "zulu");
    r = widget_handle(w, 'n');
    CHECK(r & WR_HANDLED);
    CHECK(!(r & WR_MOVED));
    CHECK_INT_EQ(table_cursor(t), 19);
    /* no pattern: the keys are not the table's */
    table_set_search(t, NULL);
    CHECK(widget_handle(w, 'n') == WR_IGNORED);
    table_delete(t);
}

/* The owner sets busy on every frame: the spinner still turns. A new
 * message replaces a stale error; progress and message never run together. */
static void test_status_spinner_and_messages(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct status *st = status_new();
    if (!st)
        return;
    struct widget *w = status_widget(st);
    widget_place(w, 0, 0, 1, 80);
    wchar_t seen[4];
    for (int i = 0; i < 4; i++) {
        status_set_busy(st, true); /* as the frame does on every draw */
        widget_draw(w, stdscr);
        wchar_t wc[CCHARW_MAX + 1];
        headless_cell(0, 0, wc, NULL, NULL);
        seen[i] = wc[0];
        status_tick(st);
    }
    CHECK(seen[0] != seen[1] && seen[1] != seen[2] && seen[2] != seen[3]);
    status_set_busy(st, false);
    CHECK(status_tick(st) == 0);

    char row[512];
    status_set_message(st, ROLE_ERROR, "Listing pools: throttled");
    status_clear_error(st); /* the reload succeeded */
    werase(stdscr);
    widget_draw(w, stdscr);
    CHECK(headless_find("throttled") < 0);
    /* an informational message is not an error: clear_error keeps it */
    status_set_message(st, ROLE_STATUS, "Loaded 3 pools.");
    status_clear_error(st);
    werase(stdscr);
    widget_draw(w, stdscr);
    CHECK(headless_find("Loaded 3 pools.") == 0);
    status_set_message(st, ROLE_WARNING, "Partial");
    status_clear_error(st);
    status_clear_message(st);
    werase(stdscr);
    widget_draw(w, stdscr);
    CHECK(headless_find("Partial") < 0);

    /* progress, then a separator, then the message */
    status_set_busy(st, true);
    status_set_progress(st, "Deleting pool");
    status_set_message(st, ROLE_STATUS, "Loaded 3 pools.");
    werase(stdscr);
    widget_draw(w, stdscr);
    headless_row_trim(0, row, sizeof row);
    char want[128];
    snprintf(want, sizeof want, "Deleting pool %s Loaded 3 pools.", theme_glyph(GLYPH_DOT));
    CHECK(strstr(row, want) != NULL);
    /* a long progress is cut with an ellipsis before the separator; the
     * message still shows */
    status_set_progress(st, "Deleting identities: batch 12 of 170, 60 identities a batch, "
                            "720 deleted so far");
    status_set_right(st, "1-40 of 720+");
    werase(stdscr);
    widget_draw(w, stdscr);
    headless_row_trim(0, row, sizeof row);
    snprintf(want, sizeof want, "%s %s Loaded", text_ellipsis(), theme_glyph(GLYPH_DOT));
    CHECK(strstr(row, want) != NULL);
    CHECK(strstr(row, "1-40 of 720+") != NULL);
    status_delete(st);
}

/* The Identities pane's bar at 80 columns: the important keys stay, labels
 * shorten before anything is dropped, nothing is cut in half. */
static void test_keybar_fits_by_priority(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct keybar *kb = keybar_new();
    if (!kb)
        return;
    struct widget *w = keybar_widget(kb);
    struct keybar_item items[] = {
        {"F1", "Help"},    {"q", "Back"},          {"Enter", "Open"},
        {"/", "Filter"},   {"r", "Refresh"},       {"Space", "Mark"},
        {"L", "Load all"}, {"H", "Hide disabled"}, {"D", "Delete"},
    };
    static const int prio[] = {5, 6, 2, 3, 1, 4, 0, 0, 7};
    static const char *const brief[] = {NULL, NULL, NULL, NULL, "Ref", NULL, "All", "Hide", "Del"};
    CHECK(keybar_set(kb, items, 9) == 0);
    for (size_t i = 0; i < 9; i++)
        CHECK(keybar_set_priority(kb, i, prio[i], brief[i]) == 0);
    CHECK(keybar_set_priority(kb, 9, 1, NULL) < 0);
    char row[512];
    widget_place(w, 23, 0, 1, 80);
    widget_draw(w, stdscr);
    headless_row_trim(23, row, sizeof row);
    /* 82 columns in full: the least important shorten first (H, then L) */
    CHECK_STR_EQ(row, "F1Help qBack EnterOpen /Filter rRefresh SpaceMark LLoad all HHide DDelete");
    CHECK_INT_EQ(keybar_shown(kb), 9);
    /* 60 columns: shortened, then the least important dropped whole */
    widget_place(w, 23, 0, 1, 60);
    werase(stdscr);
    widget_draw(w, stdscr);
    headless_row_trim(23, row, sizeof row);
    CHECK(strstr(row, "DDel") != NULL);
    CHECK(strstr(row, "qBack") != NULL);
    CHECK(strstr(row, "F1Help") != NULL);
    CHECK(text_width(row, TEXT_NUL) <= 60);
    CHECK(keybar_is_shown(kb, 8));
    CHECK(!keybar_is_shown(kb, 6) || !keybar_is_shown(kb, 7));
    /* every width: never a key without its label, never a cut, and never
     * a more important item missing while a less important one shows */
    for (int width = 1; width <= 90; width++) {
        widget_place(w, 23, 0, 1, width);
        werase(stdscr);
        widget_draw(w, stdscr);
        headless_row_trim(23, row, sizeof row);
        CHECK(text_width(row, TEXT_NUL) <= width);
        size_t shown = 0;
        for (size_t i = 0; i < 9; i++) {
            if (!keybar_is_shown(kb, i))
                continue;
            shown++;
            char full[64], shortened[64];
            snprintf(full, sizeof full, "%s%s", items[i].key, items[i].label);
            snprintf(shortened, sizeof shortened, "%s%s", items[i].key,
                     brief[i] ? brief[i] : items[i].label);
            CHECK(strstr(row, full) || strstr(row, shortened));
            for (size_t j = 0; j < 9; j++)
                if (prio[j] > prio[i])
                    CHECK(keybar_is_shown(kb, j));
        }
        CHECK_INT_EQ(keybar_shown(kb), shown);
    }
    /* exactly what the owner passes: nothing added */
    struct keybar_item two[] = {{"Esc", "Cancel"}, {"Enter", "Send"}};
    keybar_set(kb, two, 2);
    widget_place(w, 23, 0, 1, 80);
    werase(stdscr);
    widget_draw(w, stdscr);
    CHECK_STR_EQ(headless_row_trim(23, row, sizeof row), "EscCancel EnterSend");
    keybar_delete(kb);
}

/* A long value shows where it is cut: an ellipsis, never only its end. */
static void test_text_field_long_value_ellipsis(void)
{
    if (open_screen(24, 80) < 0)
        return;
    const char *v = "abcdefghijklmnopqrstuvwxyz0123456789";
    const char *ell = text_ellipsis();
    char want[128], row[512];
    /* a field without focus shows the start and an ellipsis */
    struct line_edit e;
    CHECK(edit_init(&e, v) == 0);
    CHECK_INT_EQ(edit_draw_idle(&e, stdscr, 0, 0, 10, theme_attr(ROLE_INPUT)), 10);
    snprintf(want, sizeof want, "abcdefghi%s", ell);
    CHECK_STR_EQ(headless_row_trim(0, row, sizeof row), want);
    werase(stdscr);
    edit_draw_idle(&e, stdscr, 0, 0, 40, theme_attr(ROLE_INPUT));
    CHECK_STR_EQ(headless_row_trim(0, row, sizeof row), v);
    edit_free(&e);
    /* with the cursor at the end (the prompt), the cut start is marked */
    struct prompt *p = prompt_new("/", v, NULL, NULL, NULL);
    if (!p)
        return;
    struct widget *w = prompt_widget(p);
    widget_place(w, 1, 0, 1, 20);
    werase(stdscr);
    widget_draw(w, stdscr);
    snprintf(want, sizeof want, "/%stuvwxyz0123456789", ell);
    CHECK_STR_EQ(headless_row_trim(1, row, sizeof row), want);
    CHECK_INT_EQ(w->cursor_x, 19);
    /* at the start, the cut end is marked, the cursor on the first cell */
    widget_handle(w, WKEY_FN(KEY_HOME));
    werase(stdscr);
    widget_draw(w, stdscr);
    snprintf(want, sizeof want, "/abcdefghijklmnopqr%s", ell);
    CHECK_STR_EQ(headless_row_trim(1, row, sizeof row), want);
    CHECK_INT_EQ(w->cursor_x, 1);
    /* in the middle: both ends marked, the cursor on its character */
    for (int i = 0; i < 25; i++)
        widget_handle(w, WKEY_FN(KEY_RIGHT));
    werase(stdscr);
    widget_draw(w, stdscr);
    headless_row_trim(1, row, sizeof row);
    CHECK(strncmp(row + 1, ell, strlen(ell)) == 0);
    CHECK(strcmp(row + strlen(row) - strlen(ell), ell) == 0);
    int cx = w->cursor_x;
    wchar_t wc[CCHARW_MAX + 1];
    headless_cell(1, cx, wc, NULL, NULL);
    CHECK(wc[0] == L'z'); /* v[25] */
    prompt_delete(p);
}

/* ---- resize: every widget at 20x5 and back ---- */

/* Every cell of the screen, to compare two draws. */
static cchar_t *snapshot(void)
{
    int h = getmaxy(stdscr), w = getmaxx(stdscr);
    cchar_t *s = calloc((size_t)h * (size_t)w, sizeof *s);
    for (int y = 0; s && y < h; y++)
        for (int x = 0; x < w; x++)
            mvwin_wch(stdscr, y, x, &s[y * w + x]);
    return s;
}

static bool same_cells(const cchar_t *a, const cchar_t *b, int n)
{
    for (int i = 0; i < n; i++) {
        wchar_t wa[CCHARW_MAX + 1], wb[CCHARW_MAX + 1];
        attr_t aa, ab;
        short pa, pb;
        getcchar(&a[i], wa, &aa, &pa, NULL);
        getcchar(&b[i], wb, &ab, &pb, NULL);
        if (wcscmp(wa, wb) != 0 || aa != ab || pa != pb)
            return false;
    }
    return true;
}

static void resize_round_trip(struct widget *w, const char *name)
{
    int H = getmaxy(stdscr), W = getmaxx(stdscr);
    werase(stdscr);
    widget_place(w, 0, 0, H, W);
    widget_draw(w, stdscr);
    cchar_t *before = snapshot();
    headless_resize(5, 20);
    widget_place(w, 0, 0, 5, 20);
    widget_draw(w, stdscr);
    /* something was drawn and the screen is still 20x5 */
    CHECK_INT_EQ(getmaxx(stdscr), 20);
    char row[256];
    bool any = false;
    for (int y = 0; y < 5; y++)
        if (headless_row_trim(y, row, sizeof row)[0])
            any = true;
    if (!any)
        fprintf(stderr, "  %s drew nothing at 20x5\n", name);
    CHECK(any);
    headless_resize(H, W);
    widget_place(w, 0, 0, H, W);
    widget_draw(w, stdscr);
    cchar_t *after = snapshot();
    bool same = before && after && same_cells(before, after, H * W);
    if (!same)
        fprintf(stderr, "  %s differs after 20x5 and back\n", name);
    CHECK(same);
    free(before);
    free(after);
}

static void resize_all(int lines, int cols)
{
    if (open_screen(lines, cols) < 0)
        return;
    struct rows r = {0, 1000000};
    struct table_source src = {.ctx = &r, .cell = million_cell};
    struct table *t = table_new(three_cols, 3, &src);
    struct form *f = sample_form();
    struct dialog *d1 = dialog_typed_confirm("Delete", "Deletes x.", "Delete", NULL, "x");
    struct dialog *d2 = dialog_error("Oops", "It failed.", "Code", "detail", "req");
    struct detail *de = detail_new("Detail");
    struct diff *di = diff_new("Diff");
    const char *labels[] = {"Pools", "Things"};
    struct tabbar *tb = tabbar_new(labels, 2);
    struct status *st = status_new();
    struct keybar *kb = keybar_new();
    struct prompt *pr = prompt_new("/", "abc", NULL, NULL, NULL);
    struct help_item hi[] = {{"q", "Quit"}};
    struct help_section hs[] = {{"Keys", hi, 1}};
    struct help *he = help_new("Help", hs, 1);
    if (t && f && d1 && d2 && de && di && tb && st && kb && pr && he) {
        table_set_rows(t, 1000000, true);
        table_move(t, 500000);
        type_text(form_widget(f), "name value");
        detail_add_kv(de, 0, "Key", "Value");
        const char *a[] = {"one", "two"}, *b[] = {"one", "three"};
        diff_set_lines(di, a, 2, b, 2);
        status_set_progress(st, "page 1");
        struct keybar_item ki[] = {{"q", "Quit"}};
        keybar_set(kb, ki, 1);
        resize_round_trip(table_widget(t), "table");
        resize_round_trip(form_widget(f), "form");
        resize_round_trip(dialog_widget(d1), "typed confirm");
        resize_round_trip(dialog_widget(d2), "error");
        resize_round_trip(detail_widget(de), "detail");
        resize_round_trip(diff_widget(di), "diff");
        resize_round_trip(tabbar_widget(tb), "tabbar");
        resize_round_trip(status_widget(st), "status");
        resize_round_trip(keybar_widget(kb), "keybar");
        resize_round_trip(prompt_widget(pr), "prompt");
        resize_round_trip(help_widget(he), "help");
    } else {
        CHECK(!"out of memory");
    }
    table_delete(t);
    form_delete(f);
    dialog_delete(d1);
    dialog_delete(d2);
    detail_delete(de);
    diff_delete(di);
    tabbar_delete(tb);
    status_delete(st);
    keybar_delete(kb);
    prompt_delete(pr);
    help_delete(he);
}

/* Draws w into (y, x, h, wd) on a screen full of '#': nothing outside the
 * rectangle may change. */
static void check_contained(struct widget *w, const char *name, int y0, int x0, int h, int wd)
{
    int H = getmaxy(stdscr), W = getmaxx(stdscr);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            mvwaddch(stdscr, y, x, '#');
    widget_place(w, y0, x0, h, wd);
    widget_draw(w, stdscr);
    int bad = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            if (y >= y0 && y < y0 + h && x >= x0 && x < x0 + wd)
                continue;
            wchar_t wc[CCHARW_MAX + 1];
            headless_cell(y, x, wc, NULL, NULL);
            if (wc[0] != L'#')
                bad++;
        }
    if (bad)
        fprintf(stderr, "  %s wrote %d cells outside %dx%d at %d,%d\n", name, bad, wd, h, y0, x0);
    CHECK_INT_EQ(bad, 0);
}

static void test_widgets_stay_in_their_rectangle(void)
{
    if (open_screen(24, 80) < 0)
        return;
    struct rows r = {0, 1000};
    struct table_source src = {.ctx = &r, .cell = million_cell};
    struct table *t = table_new(three_cols, 3, &src);
    struct form *f = sample_form();
    struct dialog *d1 = dialog_confirm("Delete",
                                       "Deletes a thing with a rather long description "
                                       "that must wrap over several lines.",
                                       "Delete");
    struct detail *de = detail_new("Detail");
    struct diff *di = diff_new(NULL);
    const char *labels[] = {"Pools", "Things", "Roles", "Tags"};
    struct tabbar *tb = tabbar_new(labels, 4);
    struct status *st = status_new();
    struct keybar *kb = keybar_new();
    struct prompt *pr =
        prompt_new("/", "some long filter text \xe4\xb8\xad\xe6\x96\x87", NULL, NULL, NULL);
    struct help_item hi[] = {{"Enter", "Open the selected row, and a long text after it"}};
    struct help_section hs[] = {{"Keys", hi, 1}};
    struct help *he = help_new("Help", hs, 1);
    if (t && f && d1 && de && di && tb && st && kb && pr && he) {
        table_set_rows(t, 1000, true);
        detail_add_kv(de, 3, "A long key name", "\xe4\xb8\xad\xe6\x96\x87 value that is long");
        const char *a[] = {"one \xe4\xb8\xad\xe6\x96\x87 long line of text here"}, *b[] = {"two"};
        diff_set_lines(di, a, 1, b, 1);
        status_set_busy(st, true);
        status_set_progress(st, "page 12 of many many pages");
        status_set_right(st, "1-40 of 10,000+");
        struct keybar_item ki[] = {{"F1", "Help"}, {"Enter", "Open"}, {"/", "Filter"}};
        keybar_set(kb, ki, 3);
        struct widget *all[] = {table_widget(t),   form_widget(f),    dialog_widget(d1),
                                detail_widget(de), diff_widget(di),   tabbar_widget(tb),
                                status_widget(st), keybar_widget(kb), prompt_widget(pr),
                                help_widget(he)};
        static const int rects[][4] = {{2, 3, 12, 40}, {1, 2, 5, 20}, {5, 7, 1, 9}, {0, 0, 24, 80}};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
            for (size_t k = 0; k < 4; k++)
                check_contained(all[i], all[i]->cls->name, rects[k][0], rects[k][1], rects[k][2],
                                rects[k][3]);
    } else {
        CHECK(!"out of memory");
    }
    table_delete(t);
    form_delete(f);
    dialog_delete(d1);
    detail_delete(de);
    diff_delete(di);
    tabbar_delete(tb);
    status_delete(st);
    keybar_delete(kb);
    prompt_delete(pr);
    help_delete(he);
}

static void test_colours_degrade_to_the_terminal(void)
{
    if (open_screen(24, 80) < 0)
        return;
    if (!has_colors())
        return; /* vt100: covered by test_colours_or_attributes */
    struct theme t;
    char err[256];
    CHECK(theme_load_file(&t, "themes/light", err, sizeof err) == 0);
    /* warning is 130 (a 256-colour brown) in the light theme */
    enum theme_depth d = theme_apply(&t, 256);
    short fg, bg;
    pair_content(theme_pair(ROLE_WARNING), &fg, &bg);
    if (d == THEME_256 && COLORS >= 256)
        CHECK_INT_EQ(fg, 130);
    theme_apply(&t, 16);
    pair_content(theme_pair(ROLE_WARNING), &fg, &bg);
    CHECK(fg >= 0 && fg < 16);
    theme_apply(&t, 8);
    for (int r = 0; r < ROLE_COUNT; r++) {
        pair_content(theme_pair((enum theme_role)r), &fg, &bg);
        CHECK(fg < 8 && bg < 8);
    }
    /* a bright foreground on 8 colours becomes bold */
    theme_default(&t);
    theme_apply(&t, 8);
    CHECK(theme_attr(ROLE_ERROR) & A_BOLD);       /* bright-red -> red + bold */
    CHECK(theme_attr(ROLE_INPUT_FOCUS) & A_BOLD); /* bright-white -> white + bold */
    theme_apply(&t, -1);
}

static void test_resize_every_widget_80x24(void)
{
    resize_all(24, 80);
}
static void test_resize_every_widget_132x43(void)
{
    resize_all(43, 132);
}

static void test_table_fills_132_columns(void)
{
    if (open_screen(43, 132) < 0)
        return;
    struct rows r = {0, 100};
    struct table_source src = {.ctx = &r, .cell = million_cell};
    struct table *t = table_new(three_cols, 3, &src);
    if (!t)
        return;
    table_set_rows(t, 100, false);
    widget_place(table_widget(t), 0, 0, 43, 132);
    widget_draw(table_widget(t), stdscr);
    /* the flexible Name column takes the spare width: the header fill and
     * the selected row reach the last column */
    CHECK(cell_is(0, 131, L' ', ROLE_HEADER));
    CHECK(cell_is(1, 131, L' ', ROLE_SELECTED));
    CHECK(cell_is(42, 2, L'r', ROLE_NORMAL));
    char count[64];
    table_count_text(t, count, sizeof count);
    CHECK_STR_EQ(count, utf8_screen ? "1\xe2\x80\x93"
                                      "42 of 100"
                                    : "1-42 of 100");
    table_delete(t);
}

static void test_colours_or_attributes(void)
{
    if (open_screen(24, 80) < 0)
        return;
    bool colour = has_colors();
    if (colour) {
        CHECK(theme_depth() != THEME_MONO);
        CHECK(theme_pair(ROLE_SELECTED) != 0);
    } else {
        /* vt100: no colours, meaning carried by attributes */
        CHECK(theme_depth() == THEME_MONO);
        CHECK_INT_EQ(theme_pair(ROLE_SELECTED), 0);
        CHECK(theme_attr(ROLE_SELECTED) & A_REVERSE);
    }
    /* NO_COLOR: attributes only, whatever the terminal */
    setenv("NO_COLOR", "1", 1);
    struct theme t;
    theme_default(&t);
    CHECK(theme_apply(&t, -1) == THEME_MONO);
    CHECK_INT_EQ(theme_pair(ROLE_ERROR), 0);
    CHECK(theme_attr(ROLE_SELECTED) & A_REVERSE);
    draw_text(stdscr, 0, 0, 10, "x", TEXT_NUL, ROLE_SELECTED, 0);
    short p;
    attr_t a;
    headless_cell(0, 0, NULL, &a, &p);
    CHECK_INT_EQ(p, 0);
    CHECK(a & A_REVERSE);
    unsetenv("NO_COLOR");
    /* line drawing: ASCII unless the locale is UTF-8 */
    werase(stdscr);
    draw_box(stdscr, 0, 0, 3, 10, NULL, ROLE_NORMAL);
    wchar_t wc[CCHARW_MAX + 1];
    headless_cell(0, 0, wc, NULL, NULL);
    CHECK(wc[0] == (utf8_screen ? 0x250c : L'+'));
    headless_cell(0, 1, wc, NULL, NULL);
    CHECK(wc[0] == (utf8_screen ? 0x2500 : L'-'));
}

/* Keys as the terminal gives them come out in the owner's key convention. */
static void test_read_key_normalises(void)
{
    if (open_screen(24, 80) < 0)
        return;
    wtimeout(stdscr, 0);
    keypad(stdscr, TRUE);
    static const struct {
        int push, fn, want;
    } cases[] = {
        {'\r', 0, '\n'},
        {KEY_ENTER, 1, '\n'},
        {127, 0, WKEY_FN(KEY_BACKSPACE)},
        {KEY_BACKSPACE, 1, WKEY_FN(KEY_BACKSPACE)},
        {KEY_BTAB, 1, WKEY_FN(KEY_BTAB)},
        {KEY_RESIZE, 1, WKEY_FN(KEY_RESIZE)},
        {0x4e2d, 0, 0x4e2d},
        {27, 0, WKEY_ESC},
        {'q', 0, 'q'},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].push > 0x7f && !cases[i].fn && !utf8_screen)
            continue; /* not typeable in this locale */
        if (cases[i].fn)
            ungetch(cases[i].push);
        else
            unget_wch((wchar_t)cases[i].push);
        CHECK_INT_EQ(widget_read_key(stdscr), cases[i].want);
    }
    CHECK_INT_EQ(widget_read_key(stdscr), -1); /* nothing left */
}

static int run_render_cases(void)
{
    RUN(test_injection_drawn_escaped);
    RUN(test_read_key_normalises);
    RUN(test_cjk_emoji_cut_every_column);
    RUN(test_combining_marks_share_a_cell);
    RUN(test_ellipsis_on_cut);
    RUN(test_table_million_rows_to_the_end);
    RUN(test_table_filter_marks_and_pages);
    RUN(test_table_columns_hide_when_narrow);
    RUN(test_table_fills_132_columns);
    RUN(test_table_row_roles_and_empty_states);
    RUN(test_form_failed_validation_keeps_every_value);
    RUN(test_form_utf8_editing_by_character);
    RUN(test_form_records_open_and_cancel);
    RUN(test_form_scrolls_when_taller);
    RUN(test_form_reorder_delete_and_limits);
    RUN(test_typed_confirm_refuses_near_miss);
    RUN(test_confirm_starts_on_cancel);
    RUN(test_error_dialog_detail_toggle);
    RUN(test_detail_json_and_scroll);
    RUN(test_diff_marks_changed_lines);
    RUN(test_bars);
    RUN(test_prompt_history_and_completion);
    RUN(test_help_overlay_from_key_table);
    RUN(test_resize_every_widget_80x24);
    RUN(test_resize_every_widget_132x43);
    RUN(test_colours_or_attributes);
    RUN(test_colours_degrade_to_the_terminal);
    RUN(test_widgets_stay_in_their_rectangle);
    RUN(test_dialog_outside_newline_stays_escaped);
    RUN(test_dialog_paragraphs_and_error_detail);
    RUN(test_json_string_with_nul_shows_the_rest);
    RUN(test_table_disabled_rows);
    RUN(test_table_marking_reaches_the_more_row);
    RUN(test_table_rows_changed_in_place);
    RUN(test_table_sort_reverse_and_stable);
    RUN(test_table_sort_pages_merge);
    RUN(test_table_cursor_kept_across_delete);
    RUN(test_table_search_next_previous);
    RUN(test_status_spinner_and_messages);
    RUN(test_keybar_fits_by_priority);
    RUN(test_text_field_long_value_ellipsis);
    headless_close();
    return check_finish();
}

#endif
