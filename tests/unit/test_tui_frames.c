/* tests/unit/test_tui_frames.c — whole frames of the real console, headless,
 * against the emulator's demo data, compared with golden files (as tig's
 * tests compare whole screens): the header, the tabs, the pane or view, the
 * status line and the key bar, at 80x24 and 132x43, in a UTF-8 and the C
 * locale.
 *
 * The golden files are tests/unit/golden/NAME-LOCALE-COLSxROWS.txt, one line
 * a row, trailing spaces removed, the emulator's port as P's.
 * COGNITO_TUI_WRITE_GOLDEN=1 writes them from what the console draws
 * instead of comparing (then read them before checking them in). */
#include <errno.h>
#include <sys/stat.h>

#include "check.h"
#include "console_fixture.h"

#define GOLDEN "tests/unit/golden"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 17];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Compares the frame with its golden file (or writes it). */
static void golden(struct app *a, const char *name, const char *locale, int cols, int rows)
{
    static char frame[1 << 17];
    char path[300];
    fixture_frame(a, frame, sizeof frame);
    snprintf(path, sizeof path, GOLDEN "/%s-%s-%dx%d.txt", name, strcmp(locale, "C") ? "utf8" : "c",
             cols, rows);
    if (getenv("COGNITO_TUI_WRITE_GOLDEN")) {
        mkdir(GOLDEN, 0755);
        FILE *f = fopen(path, "wb");
        CHECK(f != NULL);
        if (f) {
            fputs(frame, f);
            fclose(f);
        }
        return;
    }
    const char *want = slurp(path);
    if (!want) {
        CHECK_STR_EQ(path, "(a golden file: COGNITO_TUI_WRITE_GOLDEN=1 writes it)");
        return;
    }
    if (strcmp(want, frame) == 0)
        return;
    /* The first row that differs, both ways, for the log. */
    const char *w = want, *g = frame;
    for (int row = 0; *w || *g; row++) {
        size_t wl = strcspn(w, "\n"), gl = strcspn(g, "\n");
        if (wl != gl || strncmp(w, g, wl) != 0) {
            char msg[900];
            snprintf(msg, sizeof msg, "%s row %d: want \"%.*s\" got \"%.*s\"", path, row,
                     (int)(wl > 400 ? 400 : wl), w, (int)(gl > 400 ? 400 : gl), g);
            check_fail(__FILE__, __LINE__, msg);
            break;
        }
        w += wl + (w[wl] ? 1 : 0);
        g += gl + (g[gl] ? 1 : 0);
    }
}

static void frames(const char *locale, int cols, int rows)
{
    if (headless_open(locale, "xterm-256color", rows, cols) != 0) {
        printf("# %s %dx%d skipped: no such locale or terminal\n", locale, cols, rows);
        return;
    }
    struct app *a = fixture_console();
    CHECK(a != NULL);
    if (!a) {
        headless_close();
        return;
    }
    golden(a, "pools", locale, cols, rows);
    FIXTURE_KEYS(a, '2');
    golden(a, "identities", locale, cols, rows);
    FIXTURE_KEYS(a, '3');
    golden(a, "roles", locale, cols, rows);
    FIXTURE_KEYS(a, '4');
    golden(a, "tags", locale, cols, rows);
    FIXTURE_KEYS(a, '1', 'i');
    golden(a, "pool-detail", locale, cols, rows);
    FIXTURE_KEYS(a, 'q', 'c');
    golden(a, "create-form", locale, cols, rows);
    FIXTURE_KEYS(a, 27, '?');
    golden(a, "help", locale, cols, rows);
    FIXTURE_KEYS(a, 'q', 'D');
    golden(a, "delete-dialog", locale, cols, rows);
    FIXTURE_KEYS(a, 27, '2', 'P');
    golden(a, "prune-form", locale, cols, rows);
    FIXTURE_KEYS(a, 27);
    console_free(a);
    headless_close();
}

static void test_utf8_80x24(void)
{
    frames("C.UTF-8", 80, 24);
}

static void test_utf8_132x43(void)
{
    frames("C.UTF-8", 132, 43);
}

static void test_c_80x24(void)
{
    frames("C", 80, 24);
}

static void test_c_132x43(void)
{
    frames("C", 132, 43);
}

int main(void)
{
    if (fixture_start("130") != 0) {
        printf("not ok - fixture: the emulator did not start\n");
        return 1;
    }
    RUN(test_utf8_80x24);
    RUN(test_utf8_132x43);
    RUN(test_c_80x24);
    RUN(test_c_132x43);
    fixture_stop();
    return check_finish();
}
