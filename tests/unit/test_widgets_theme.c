/* Theme files, the search path and colour degrading (widgets/theme.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/check.h"
#include "widgets/theme.h"

static bool same_theme(const struct theme *a, const struct theme *b)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (a->style[i].fg != b->style[i].fg || a->style[i].bg != b->style[i].bg ||
            a->style[i].attrs != b->style[i].attrs)
            return false;
    return true;
}

static void test_shipped_default_is_the_compiled_one(void)
{
    struct theme file, builtin;
    char err[256] = "x";
    theme_default(&builtin);
    CHECK(theme_load_file(&file, "themes/default", err, sizeof err) == 0);
    CHECK_STR_EQ(err, "");
    CHECK(same_theme(&file, &builtin));
}

static void test_shipped_themes_parse(void)
{
    const char *names[] = {"themes/light", "themes/mono"};
    for (int i = 0; i < 2; i++) {
        struct theme t, d;
        char err[256];
        CHECK(theme_load_file(&t, names[i], err, sizeof err) == 0);
        theme_default(&d);
        CHECK(!same_theme(&t, &d));
    }
    /* mono really is colourless */
    struct theme m;
    char err[256];
    theme_load_file(&m, "themes/mono", err, sizeof err);
    for (int i = 0; i < ROLE_COUNT; i++) {
        CHECK_INT_EQ(m.style[i].fg, THEME_DEFAULT_COLOR);
        CHECK_INT_EQ(m.style[i].bg, THEME_DEFAULT_COLOR);
    }
    CHECK(m.style[ROLE_SELECTED].attrs & A_REVERSE);
}

static void test_parse_values(void)
{
    struct theme t;
    char err[256];
    const char *text = "# comment\n"
                       "\n"
                       "  error = 196 default bold,underline  # trailing comment\n"
                       "selected=white blue reverse\n"
                       "dim = bright-black - dim\n";
    CHECK(theme_parse(&t, text, "x", err, sizeof err) == 0);
    CHECK_INT_EQ(t.style[ROLE_ERROR].fg, 196);
    CHECK_INT_EQ(t.style[ROLE_ERROR].bg, THEME_DEFAULT_COLOR);
    CHECK_INT_EQ(t.style[ROLE_ERROR].attrs, A_BOLD | A_UNDERLINE);
    CHECK_INT_EQ(t.style[ROLE_SELECTED].fg, 7);
    CHECK_INT_EQ(t.style[ROLE_SELECTED].bg, 4);
    CHECK_INT_EQ(t.style[ROLE_DIM].fg, 8);
    /* roles not named keep the default */
    struct theme d;
    theme_default(&d);
    CHECK_INT_EQ(t.style[ROLE_HEADER].fg, d.style[ROLE_HEADER].fg);
}

/* Each bad line: the message names the file and line, the result is the
 * default theme. */
static void test_bad_lines_name_file_and_line(void)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"normal = default default\nbogus = red blue\n", "my.theme:2: unknown role 'bogus'"},
        {"\n\nerror = reddish default\n", "my.theme:3: unknown colour 'reddish'"},
        {"error = red 256\n", "my.theme:1: unknown colour '256'"},
        {"error red blue\n", "my.theme:1: expected `role = foreground background [attributes]`"},
        {"error = red\n", "my.theme:1: expected a foreground and a background colour"},
        {"error = red blue sparkly\n", "my.theme:1: unknown attribute 'sparkly'"},
        {"error = red blue a b c d e f g\n", "my.theme:1: too many words"},
        {"err\x1b[2Jor = red blue\n", "my.theme:1: unknown role 'err^[[2Jor'"},
    };
    struct theme d;
    theme_default(&d);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct theme t;
        char err[256] = "";
        theme_parse(&t, "selected = red red\n", "first", err, sizeof err);
        CHECK(theme_parse(&t, cases[i].text, "my.theme", err, sizeof err) < 0);
        CHECK(strncmp(err, cases[i].want, strlen(cases[i].want)) == 0);
        if (strncmp(err, cases[i].want, strlen(cases[i].want)) != 0)
            fprintf(stderr, "  got: %s\n", err);
        CHECK(same_theme(&t, &d));
    }
}

static void test_search_path(void)
{
    char dir1[] = "/tmp/wtheme1XXXXXX", dir2[] = "/tmp/wtheme2XXXXXX";
    CHECK(mkdtemp(dir1) && mkdtemp(dir2));
    char p[256];
    snprintf(p, sizeof p, "%s/night", dir2);
    FILE *f = fopen(p, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("error = 1 2\n", f);
    fclose(f);
    const char *dirs[] = {NULL, dir1, "", dir2};
    struct theme t;
    char err[512];
    CHECK(theme_load_named(&t, "night", dirs, 4, err, sizeof err) == 0);
    CHECK_INT_EQ(t.style[ROLE_ERROR].fg, 1);
    /* the first folder wins */
    snprintf(p, sizeof p, "%s/night", dir1);
    f = fopen(p, "w");
    if (f) {
        fputs("error = 3 4\n", f);
        fclose(f);
    }
    CHECK(theme_load_named(&t, "night", dirs, 4, err, sizeof err) == 0);
    CHECK_INT_EQ(t.style[ROLE_ERROR].fg, 3);
    /* a bad file there: the message names it, default used */
    f = fopen(p, "w");
    if (f) {
        fputs("# ok\nerror = 3 4 5 6 7 8 9 10 11\n", f);
        fclose(f);
    }
    CHECK(theme_load_named(&t, "night", dirs, 4, err, sizeof err) < 0);
    char want[300];
    snprintf(want, sizeof want, "%s:2: too many words", p);
    CHECK_STR_EQ(err, want);
    unlink(p);
    /* missing: says where it looked */
    CHECK(theme_load_named(&t, "nosuch", dirs, 4, err, sizeof err) < 0);
    CHECK(strstr(err, "nosuch") && strstr(err, dir1) && strstr(err, dir2));
    /* "default" needs no file */
    CHECK(theme_load_named(&t, "default", dirs, 4, err, sizeof err) == 0);
    /* a path */
    snprintf(p, sizeof p, "%s/night", dir2);
    CHECK(theme_load_named(&t, p, NULL, 0, err, sizeof err) == 0);
    CHECK(theme_load_named(&t, "/nonexistent/theme", NULL, 0, err, sizeof err) < 0);
    CHECK(strstr(err, "/nonexistent/theme") != NULL);
    unlink(p);
    rmdir(dir1);
    rmdir(dir2);
}

static void test_degrade(void)
{
    bool bold;
    CHECK_INT_EQ(theme_degrade(196, 256, &bold), 196);
    CHECK_INT_EQ(theme_degrade(196, 16, &bold), 9); /* bright red */
    CHECK(!bold);
    CHECK_INT_EQ(theme_degrade(196, 8, &bold), 1); /* red, bold */
    CHECK(bold);
    CHECK_INT_EQ(theme_degrade(21, 16, &bold), 4);   /* 0,0,255: nearest is blue 0,0,238 */
    CHECK_INT_EQ(theme_degrade(232, 16, &bold), 0);  /* near black */
    CHECK_INT_EQ(theme_degrade(255, 16, &bold), 7);  /* grey 238: white 229 */
    CHECK_INT_EQ(theme_degrade(231, 16, &bold), 15); /* 255,255,255 */
    CHECK_INT_EQ(theme_degrade(244, 16, &bold), 8);  /* mid grey */
    CHECK_INT_EQ(theme_degrade(3, 8, &bold), 3);
    CHECK_INT_EQ(theme_degrade(THEME_DEFAULT_COLOR, 8, &bold), THEME_DEFAULT_COLOR);
    CHECK_INT_EQ(theme_degrade(11, 8, &bold), 3);
    CHECK(bold);
}

static void test_role_names(void)
{
    CHECK_STR_EQ(theme_role_name(ROLE_BADGE_READONLY), "badge-readonly");
    CHECK_INT_EQ(theme_role_lookup("diff-add"), ROLE_DIFF_ADD);
    CHECK_INT_EQ(theme_role_lookup("nope"), -1);
}

int main(void)
{
    RUN(test_shipped_default_is_the_compiled_one);
    RUN(test_shipped_themes_parse);
    RUN(test_parse_values);
    RUN(test_bad_lines_name_file_and_line);
    RUN(test_search_path);
    RUN(test_degrade);
    RUN(test_role_names);
    return check_finish();
}
