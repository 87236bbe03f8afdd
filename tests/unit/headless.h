/* tests/unit/headless.h — a curses screen with no terminal, for tests that
 * check drawing cell by cell (widgets and console alike).
 *
 * Contract: headless_open(locale, term, lines, cols) sets the locale (before
 * newterm, as curses requires), makes a SCREEN that writes to a temporary
 * file and reads nothing, applies the default theme and returns 0 (-1 when
 * the locale or terminal type is missing: the caller skips). One screen at a
 * time; headless_close() before opening another. Cells are read back from
 * stdscr with mvwin_wch, so tests need no refresh; headless_flush() sends the
 * frame to the output file when a test wants to see the bytes a terminal
 * would get (headless_output()).
 *
 * It also defines __lsan_default_suppressions (ncurses' own process-lifetime
 * allocations), so a test file including it must not define its own.
 */
#ifndef TESTS_HEADLESS_H
#define TESTS_HEADLESS_H

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "widgets/text.h"
#include "widgets/theme.h"

static SCREEN *headless_screen;
static FILE *headless_out, *headless_in;

/* ncurses keeps terminfo data and its own caches in globals for the life of
 * the process; they are not ours to free. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libncursesw.so\nleak:libtinfo.so\nleak:_nc_\n";
}

static int headless_open(const char *locale, const char *term, int lines, int cols)
{
    if (!setlocale(LC_ALL, locale))
        return -1;
    text_init_locale();
    char b[16];
    snprintf(b, sizeof b, "%d", lines);
    setenv("LINES", b, 1);
    snprintf(b, sizeof b, "%d", cols);
    setenv("COLUMNS", b, 1);
    setenv("TERM", term, 1);
    use_env(TRUE);
    headless_out = tmpfile();
    headless_in = fopen("/dev/null", "r");
    if (!headless_out || !headless_in)
        return -1;
    headless_screen = newterm(term, headless_out, headless_in);
    if (!headless_screen)
        return -1;
    set_term(headless_screen);
    struct theme t;
    theme_default(&t);
    theme_apply(&t, -1);
    return 0;
}

static void headless_close(void)
{
    if (!headless_screen)
        return;
    endwin();
    delscreen(headless_screen);
    headless_screen = NULL;
    fclose(headless_out);
    fclose(headless_in);
}

static void headless_resize(int lines, int cols)
{
    resize_term(lines, cols);
    werase(stdscr);
}

/* The cell at (y, x): its characters (base + marks, NUL-terminated), its
 * attributes (without colour) and colour pair. Returns 0 or -1. */
static int headless_cell(int y, int x, wchar_t wc[CCHARW_MAX + 1], attr_t *attr, short *pair)
{
    cchar_t cc;
    if (mvwin_wch(stdscr, y, x, &cc) == ERR)
        return -1;
    attr_t a;
    short p;
    wchar_t w[CCHARW_MAX + 1];
    getcchar(&cc, w, &a, &p, NULL);
    if (wc)
        memcpy(wc, w, sizeof w);
    if (attr)
        *attr = a & ~A_COLOR;
    if (pair)
        *pair = p;
    return 0;
}

/* Row y from column x0, w columns, as UTF-8 (a wide character once, its
 * second cell skipped; marks kept). Returns buf. */
static char *headless_text(int y, int x0, int w, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int x = x0; x < x0 + w;) {
        wchar_t wc[CCHARW_MAX + 1];
        if (headless_cell(y, x, wc, NULL, NULL) < 0)
            break;
        int cw = wcwidth(wc[0]);
        for (int i = 0; wc[i] && i < CCHARW_MAX; i++) {
            char mb[MB_LEN_MAX];
            mbstate_t st;
            memset(&st, 0, sizeof st);
            size_t n = wcrtomb(mb, wc[i], &st);
            if (n == (size_t)-1)
                n = 1, mb[0] = (char)0x3f;
            if (o + n + 1 < cap) {
                memcpy(buf + o, mb, n);
                o += n;
            }
        }
        x += cw > 1 ? cw : 1;
    }
    buf[o] = '\0';
    return buf;
}

static char *headless_row(int y, char *buf, size_t cap)
{
    return headless_text(y, 0, getmaxx(stdscr), buf, cap);
}

/* Same, with trailing spaces removed. */
static char *headless_row_trim(int y, char *buf, size_t cap)
{
    headless_row(y, buf, cap);
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == ' ')
        buf[--n] = '\0';
    return buf;
}

/* Whether any row of the screen contains needle. Returns the row or -1. */
static int headless_find(const char *needle)
{
    char buf[2048];
    for (int y = 0; y < getmaxy(stdscr); y++)
        if (strstr(headless_row(y, buf, sizeof buf), needle))
            return y;
    return -1;
}

/* The column where needle starts on row y (display columns), or -1. */
static int headless_col(int y, const char *needle)
{
    char buf[2048];
    headless_row(y, buf, sizeof buf);
    char *p = strstr(buf, needle);
    if (!p)
        return -1;
    *p = '\0';
    return text_width(buf, TEXT_NUL);
}

static void headless_flush(void)
{
    wnoutrefresh(stdscr);
    doupdate();
    fflush(headless_out);
}

/* Everything sent to the pretend terminal so far, in a malloc'd buffer
 * (*len bytes, NUL-terminated). */
static char *headless_output(size_t *len)
{
    long n = ftell(headless_out);
    if (n < 0)
        n = 0;
    char *b = malloc((size_t)n + 1);
    if (!b)
        return NULL;
    rewind(headless_out);
    size_t got = fread(b, 1, (size_t)n, headless_out);
    b[got] = '\0';
    fseek(headless_out, 0, SEEK_END);
    *len = got;
    return b;
}

#endif
