/* tests/unit/test_tui_keydoc.c — the console's key documentation comes from
 * the one action list (tui/actions.h): --help lists every action with its
 * keys, and the man page's KEYS entries are exactly what
 * keymap_print_roff() writes (generated, never edited by hand).
 *
 * COGNITO_TUI_WRITE_MAN=1 rewrites man/cognito-tui.1's entries between the
 * KEYS markers from the table instead of checking them (then check in the
 * result). Run from the repository's top (tests/run.sh does). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tui/console.h"
#include "tui/keymap.h"

#define MAN   "man/cognito-tui.1"
#define BEGIN ".\\\" KEYS BEGIN\n"
#define END   ".\\\" KEYS END\n"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    char chunk[4096];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n + got + 1 > cap) {
            cap = (n + got + 1) * 2;
            buf = realloc(buf, cap);
        }
        memcpy(buf + n, chunk, got);
        n += got;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

static char *printed(void (*print)(const struct keymap *, FILE *))
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    struct keymap *km = keymap_new();
    print(km, m);
    keymap_free(km);
    fclose(m);
    return text;
}

static void test_help_lists_every_action_with_its_keys(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    console_print_keys(m);
    fclose(m);
    struct keymap *km = keymap_new();
    for (int a = 1; a < ACT_COUNT; a++) {
        char keys[64], want[160];
        keymap_keys_of(km, (enum action)a, keys, sizeof keys);
        CHECK(keys[0] != '\0'); /* every action has a default key */
        snprintf(want, sizeof want, "  %-15s %-18s ", keys, action_table[a].name);
        if (!strstr(text, want))
            CHECK_STR_EQ(want, "(a line of --help)");
        if (!strstr(text, action_table[a].help))
            CHECK_STR_EQ(action_table[a].help, "(its help text in --help)");
    }
    keymap_free(km);
    free(text);
}

static void test_man_page_keys_are_generated(void)
{
    size_t len;
    char *man = slurp(MAN, &len);
    CHECK(man != NULL);
    if (!man)
        return;
    char *begin = strstr(man, BEGIN), *end = begin ? strstr(begin, END) : NULL;
    CHECK(begin && end);
    char *entries = printed(keymap_print_roff);
    if (begin && end) {
        begin += strlen(BEGIN);
        if (getenv("COGNITO_TUI_WRITE_MAN")) {
            FILE *f = fopen(MAN, "wb");
            CHECK(f != NULL);
            if (f) {
                fwrite(man, 1, (size_t)(begin - man), f);
                fputs(entries, f);
                fputs(end, f);
                fclose(f);
            }
        } else {
            *end = '\0';
            if (strcmp(begin, entries) != 0)
                CHECK_STR_EQ("the man page's KEYS entries",
                             "keymap_print_roff() (COGNITO_TUI_WRITE_MAN=1 rewrites them)");
        }
    }
    /* Every action's name shows up in it. */
    for (int a = 1; a < ACT_COUNT; a++) {
        char name[80] = "", *o = name;
        for (const char *p = action_table[a].name; *p && o < name + sizeof name - 3; p++) {
            if (*p == '-')
                *o++ = '\\';
            *o++ = *p;
        }
        *o = '\0';
        if (!strstr(entries, name))
            CHECK_STR_EQ(name, "(in the generated entries)");
    }
    free(entries);
    free(man);
}

int main(void)
{
    RUN(test_help_lists_every_action_with_its_keys);
    RUN(test_man_page_keys_are_generated);
    return check_finish();
}
