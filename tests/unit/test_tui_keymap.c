/* tests/unit/test_tui_keymap.c — the action table, key names, the config file. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "check.h"
#include "tui/keymap.h"

static void test_defaults_reach_their_actions(void)
{
    struct keymap *km = keymap_new();
    CHECK(km != NULL);
    for (int a = 1; a < ACT_COUNT; a++) {
        char keys[64];
        snprintf(keys, sizeof keys, "%s", action_table[a].keys);
        char *save = NULL;
        for (char *k = strtok_r(keys, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
            int key;
            CHECK_INT_EQ(keymap_parse_key(k, &key), 0);
            /* In every scope of the action, its default key runs it: no two
             * defaults collide. */
            for (unsigned s = 1; s <= SCOPE_DETAIL; s <<= 1)
                if (action_table[a].scope & s)
                    CHECK_INT_EQ(keymap_lookup(km, key, s), a);
        }
        CHECK(action_table[a].help && *action_table[a].help);
        CHECK_INT_EQ(action_by_name(action_table[a].name), a);
    }
    keymap_free(km);
}

static void test_key_names(void)
{
    int k = 0;
    CHECK_INT_EQ(keymap_parse_key("^F", &k), 0);
    CHECK_INT_EQ(k, 6);
    CHECK_INT_EQ(keymap_parse_key("PgDn", &k), 0);
    CHECK_INT_EQ(k, KEYMAP_FKEY(KEY_NPAGE));
    CHECK_INT_EQ(keymap_parse_key("F5", &k), 0);
    CHECK_INT_EQ(k, KEYMAP_FKEY(KEY_F(5)));
    CHECK_INT_EQ(keymap_parse_key("F", &k), 0);
    CHECK_INT_EQ(k, 'F');
    CHECK_INT_EQ(keymap_parse_key("Space", &k), 0);
    CHECK_INT_EQ(k, ' ');
    CHECK_INT_EQ(keymap_parse_key("é", &k), 0);
    CHECK_INT_EQ(k, 0xe9);
    CHECK_INT_EQ(keymap_parse_key("Nope", &k), -1);
    CHECK_INT_EQ(keymap_parse_key("", &k), -1);
    CHECK_INT_EQ(keymap_parse_key("F13", &k), -1);
    char name[32];
    CHECK_STR_EQ(keymap_key_name(KEYMAP_FKEY(KEY_NPAGE), name, sizeof name), "PgDn");
    CHECK_STR_EQ(keymap_key_name(2, name, sizeof name), "^B");
    CHECK_STR_EQ(keymap_key_name('\n', name, sizeof name), "Enter");
    CHECK_STR_EQ(keymap_key_name(KEYMAP_FKEY(KEY_F(1)), name, sizeof name), "F1");
}

static void test_config_bad_lines_named(void)
{
    struct keymap *km = keymap_new();
    const char *text = "# my keys\n"
                       "bind x quit   # trailing comment\n"
                       "bind Zork quit\n"
                       "bind y no-such-action\n"
                       "frobnicate\n"
                       "unbind q\n"
                       "bind # help\n";
    char err[600];
    int bad = keymap_load_text(km, text, "cfg", err, sizeof err);
    CHECK_INT_EQ(bad, 3);
    CHECK(strstr(err, "cfg:3: unknown key 'Zork'") != NULL);
    CHECK(strstr(err, "cfg:4: unknown action 'no-such-action'") != NULL);
    CHECK(strstr(err, "cfg:5: unknown directive 'frobnicate'") != NULL);
    CHECK_INT_EQ(keymap_lookup(km, 'x', SCOPE_POOLS), ACT_QUIT);
    CHECK_INT_EQ(keymap_lookup(km, 'q', SCOPE_POOLS), ACT_NONE);
    CHECK_INT_EQ(keymap_lookup(km, '#', SCOPE_TAGS), ACT_HELP);
    /* The other defaults still apply. */
    CHECK_INT_EQ(keymap_lookup(km, 'Q', SCOPE_TAGS), ACT_QUIT);
    keymap_free(km);
}

static void test_bind_replaces_only_in_scope(void)
{
    struct keymap *km = keymap_new();
    char err[200];
    CHECK_INT_EQ(keymap_load_text(km, "bind e tag-add\n", "c", err, sizeof err), 0);
    CHECK_STR_EQ(err, "");
    CHECK_INT_EQ(keymap_lookup(km, 'e', SCOPE_TAGS), ACT_TAG_ADD);
    CHECK_INT_EQ(keymap_lookup(km, 'e', SCOPE_POOLS), ACT_POOL_UPDATE);
    CHECK_INT_EQ(keymap_lookup(km, 'a', SCOPE_TAGS), ACT_TAG_ADD); /* default kept */
    char keys[64];
    CHECK_STR_EQ(keymap_keys_of(km, ACT_TAG_ADD, keys, sizeof keys), "a e");
    /* A global action takes the key everywhere. */
    CHECK_INT_EQ(keymap_load_text(km, "bind D refresh\n", "c", err, sizeof err), 0);
    CHECK_INT_EQ(keymap_lookup(km, 'D', SCOPE_POOLS), ACT_REFRESH);
    CHECK_INT_EQ(keymap_lookup(km, 'D', SCOPE_IDENTITIES), ACT_REFRESH);
    keymap_free(km);
}

static void test_file_missing_and_print(void)
{
    struct keymap *km = keymap_new();
    char err[200];
    CHECK_INT_EQ(keymap_load_file(km, "/nonexistent/cognito-tui/config", err, sizeof err), 0);
    char path[] = "/tmp/tui-keymap-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        FILE *f = fdopen(fd, "w");
        fputs("bind\n", f);
        fclose(f);
        CHECK_INT_EQ(keymap_load_file(km, path, err, sizeof err), 1);
        CHECK(strstr(err, ":1: expected 'bind KEY ACTION'") != NULL);
        unlink(path);
    }
    char *out = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&out, &len);
    keymap_print(km, mem);
    fclose(mem);
    for (int a = 1; a < ACT_COUNT; a++)
        CHECK(strstr(out, action_table[a].name) != NULL);
    CHECK(strstr(out, "PgDn ^F") != NULL);
    free(out);
    keymap_free(km);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    RUN(test_defaults_reach_their_actions);
    RUN(test_key_names);
    RUN(test_config_bad_lines_named);
    RUN(test_bind_replaces_only_in_scope);
    RUN(test_file_missing_and_print);
    return check_finish();
}
