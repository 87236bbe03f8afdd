/* bench/widgets_table.c — figures for the virtual table (never pass/fail).
 *
 *   draw    CPU time of one full 200x60 draw of a 1,000,000-row table
 *           (widget_draw into the window; and with doupdate to /dev/null)
 *   filter  CPU time of filtering 1,000,000 rows of 40 characters
 *           (ASCII needle; a non-ASCII needle side by side)
 * Medians of several runs, per locale, side by side. The C.UTF-8 figures are
 * also printed as rows of the table of `make bench` (JSON lines, as
 * bench/rows.py prints them), beside the targets of issue 5; the rest goes
 * to standard error, the log.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "widgets/table.h"
#include "widgets/text.h"
#include "widgets/theme.h"

enum { ROWS = 1000000, WIDTH = 40 };

static char *texts; /* ROWS strings of WIDTH characters */

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const char *cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    (void)ctx;
    switch (col) {
    case 0:
        snprintf(buf, cap, "eu-west-1:%08zx-1111-2222-3333", row);
        return buf;
    case 1:
        snprintf(buf, cap, "%zu", row % 100000);
        return buf;
    case 2:
        return texts + row * (WIDTH + 1);
    default:
        snprintf(buf, cap, "2024-01-%02zu 12:00", row % 28 + 1);
        return buf;
    }
}

static const char *filter_text(void *ctx, size_t row, char *buf, size_t cap)
{
    (void)ctx, (void)buf, (void)cap;
    return texts + row * (WIDTH + 1);
}

/* One row of bench/run.py's table: every sample, and the target it is held to. */
static void emit_row(const char *figure, const char *unit, const double *v, int n, double target)
{
    printf("{\"figure\": \"%s\", \"unit\": \"%s\", \"ours\": [", figure, unit);
    for (int i = 0; i < n; i++)
        printf("%s%.4f", i ? ", " : "", v[i]);
    printf("], \"peer\": \"target\", \"peer_values\": [%g], \"kind\": \"target\", "
           "\"source\": \"issue 5\"}\n",
           target);
}

static void make_texts(void)
{
    static const char words[] = "alpha bravo charlie delta echo foxtrot golf hotel india juliet ";
    texts = malloc((size_t)ROWS * (WIDTH + 1));
    if (!texts)
        exit(1);
    unsigned seed = 12345;
    for (size_t r = 0; r < ROWS; r++) {
        char *t = texts + r * (WIDTH + 1);
        for (int i = 0; i < WIDTH; i++) {
            seed = seed * 1103515245u + 12345u;
            t[i] = words[(seed >> 16) % (sizeof words - 1)];
        }
        t[WIDTH] = '\0';
    }
}

static void run(const char *locale)
{
    if (!setlocale(LC_ALL, locale)) {
        fprintf(stderr, "%-8s (locale missing)\n", locale);
        return;
    }
    text_init_locale();
    setenv("LINES", "60", 1);
    setenv("COLUMNS", "200", 1);
    use_env(TRUE);
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("xterm-256color", out, in);
    if (!scr) {
        printf("no terminfo for xterm-256color\n");
        exit(1);
    }
    set_term(scr);
    struct theme th;
    theme_default(&th);
    theme_apply(&th, -1);

    static const struct table_column cols[] = {
        {"Id", 40, 0, 0, TABLE_LEFT, true},
        {"Score", 7, 0, 0, TABLE_RIGHT, true},
        {"Name", 40, 2, 0, TABLE_LEFT, true},
        {"Date", 16, 0, 0, TABLE_LEFT, true},
    };
    struct table_source src = {.cell = cell, .filter_text = filter_text};
    struct table *t = table_new(cols, 4, &src);
    table_set_rows(t, ROWS, false);
    widget_place(table_widget(t), 0, 0, 60, 200);

    enum { N = 201 };
    static double draw[N], upd[N];
    for (int i = 0; i < N; i++) {
        table_move(t, 4999); /* a new screenful every time */
        double a = cpu_ms();
        widget_draw(table_widget(t), stdscr);
        double b = cpu_ms();
        wnoutrefresh(stdscr);
        doupdate();
        double c = cpu_ms();
        draw[i] = b - a;
        upd[i] = c - a;
    }
    enum { F = 7 };
    double fa[F], fw[F];
    size_t hits_a = 0, hits_w = 0;
    for (int i = 0; i < F; i++) {
        double a = cpu_ms();
        table_set_filter(t, "ECh");
        double b = cpu_ms();
        hits_a = table_visible_count(t);
        table_set_filter(t, NULL);
        double c = cpu_ms();
        table_set_filter(t, "\xc3\xa9"
                            "cho"); /* non-ASCII: the code point path */
        double d = cpu_ms();
        hits_w = table_visible_count(t);
        table_set_filter(t, NULL);
        fa[i] = b - a;
        fw[i] = d - c;
    }
    if (strcmp(locale, "C.UTF-8") == 0) {
        emit_row("Table widget: draw a 200×60 screen of 1,000,000 rows (CPU)", "ms", draw, N, 1.0);
        emit_row("Table widget: filter 1,000,000 rows of 40 characters (CPU)", "ms", fa, F, 150.0);
        emit_row("Table widget: filter 1,000,000 rows, non-ASCII needle (CPU)", "ms", fw, F, 150.0);
    }
    fprintf(stderr, "%-8s draw 200x60 of 1,000,000 rows: %.3f ms median (%.3f ms with doupdate)\n",
            locale, median(draw, N), median(upd, N));
    fprintf(stderr,
            "%-8s filter 1,000,000 rows x 40 chars: %.1f ms median ASCII needle (%zu hits), "
            "%.1f ms non-ASCII needle (%zu hits)\n",
            locale, median(fa, F), hits_a, median(fw, F), hits_w);
    table_delete(t);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}

int main(void)
{
    make_texts();
    run("C.UTF-8");
    run("C");
    free(texts);
    return 0;
}
