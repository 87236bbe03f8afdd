/* tui/keymap.c — key bindings from the action table and the config file. */
#include "tui/keymap.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

struct binding {
    int key;
    enum action action;
};

struct keymap {
    struct binding *b;
    size_t n, cap;
};

/* Named keys; the first name of a key is the one shown. */
static const struct {
    const char *name;
    int key;
} key_names[] = {
    {"Enter", '\n'},
    {"Esc", 27},
    {"Tab", '\t'},
    {"BackTab", KEYMAP_FKEY(KEY_BTAB)},
    {"Space", ' '},
    {"Backspace", KEYMAP_FKEY(KEY_BACKSPACE)},
    {"Up", KEYMAP_FKEY(KEY_UP)},
    {"Down", KEYMAP_FKEY(KEY_DOWN)},
    {"Left", KEYMAP_FKEY(KEY_LEFT)},
    {"Right", KEYMAP_FKEY(KEY_RIGHT)},
    {"PgUp", KEYMAP_FKEY(KEY_PPAGE)},
    {"PgDn", KEYMAP_FKEY(KEY_NPAGE)},
    {"Home", KEYMAP_FKEY(KEY_HOME)},
    {"End", KEYMAP_FKEY(KEY_END)},
    {"Ins", KEYMAP_FKEY(KEY_IC)},
    {"Del", KEYMAP_FKEY(KEY_DC)},
    {"S-Up", KEYMAP_FKEY(KEY_SR)},
    {"S-Down", KEYMAP_FKEY(KEY_SF)},
    {"PageUp", KEYMAP_FKEY(KEY_PPAGE)},
    {"PageDown", KEYMAP_FKEY(KEY_NPAGE)},
    {"Escape", 27},
    {"Return", '\n'},
};

int keymap_parse_key(const char *name, int *key)
{
    if (!name || !*name)
        return -1;
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (strcasecmp(name, key_names[i].name) == 0) {
            *key = key_names[i].key;
            return 0;
        }
    if ((name[0] == 'F' || name[0] == 'f') && isdigit((unsigned char)name[1])) {
        char *end;
        long n = strtol(name + 1, &end, 10);
        if (*end == '\0' && n >= 1 && n <= 12) {
            *key = KEYMAP_FKEY(KEY_F(n));
            return 0;
        }
        if (name[1] == '\0')
            goto single;
        return -1;
    }
    if (name[0] == '^' && name[1] && !name[2]) {
        int c = toupper((unsigned char)name[1]);
        if (c < '@' || c > '_')
            return -1;
        *key = c & 0x1f;
        return 0;
    }
single:;
    /* One character, possibly multibyte (the locale decides). */
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t len = strlen(name);
    size_t used = mbrtowc(&wc, name, len, &st);
    if (used == (size_t)-1 || used == (size_t)-2 || used != len || wc <= ' ' || wc == 127)
        return -1;
    *key = (int)wc;
    return 0;
}

char *keymap_key_name(int key, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (key_names[i].key == key) {
            snprintf(buf, size, "%s", key_names[i].name);
            return buf;
        }
    if (key & KEYMAP_FKEY_BIT) {
        int k = key & ~KEYMAP_FKEY_BIT;
        if (k >= KEY_F(1) && k <= KEY_F(12))
            snprintf(buf, size, "F%d", k - KEY_F0);
        else
            snprintf(buf, size, "key%d", k);
    } else if (key >= 0 && key < 32) { /* ^@ is NUL, what Ctrl-Space sends */
        snprintf(buf, size, "^%c", key + '@');
    } else {
        char mb[MB_LEN_MAX + 1];
        mbstate_t st;
        memset(&st, 0, sizeof st);
        size_t n = wcrtomb(mb, (wchar_t)key, &st);
        if (n == (size_t)-1)
            snprintf(buf, size, "U+%04X", (unsigned)key);
        else {
            mb[n] = '\0';
            snprintf(buf, size, "%s", mb);
        }
    }
    return buf;
}

static int push(struct keymap *km, int key, enum action a)
{
    if (km->n == km->cap) {
        size_t cap = km->cap ? km->cap * 2 : 64;
        struct binding *nb = realloc(km->b, cap * sizeof *nb);
        if (!nb)
            return -1;
        km->b = nb;
        km->cap = cap;
    }
    km->b[km->n++] = (struct binding){key, a};
    return 0;
}

struct keymap *keymap_new(void)
{
    struct keymap *km = calloc(1, sizeof *km);
    if (!km)
        return NULL;
    for (int a = 1; a < ACT_COUNT; a++) {
        char keys[64];
        snprintf(keys, sizeof keys, "%s", action_table[a].keys);
        char *save = NULL;
        for (char *tok = strtok_r(keys, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
            int k;
            /* The defaults are ours: a bad name is a bug the unit test catches. */
            if (keymap_parse_key(tok, &k) == 0 && push(km, k, (enum action)a) != 0) {
                keymap_free(km);
                return NULL;
            }
        }
    }
    return km;
}

void keymap_free(struct keymap *km)
{
    if (!km)
        return;
    free(km->b);
    free(km);
}

/* A key that types a character where text is typed. */
static bool types(int key)
{
    return key >= ' ' && key != 127 && !(key & KEYMAP_FKEY_BIT);
}

enum action keymap_lookup(const struct keymap *km, int key, unsigned scope)
{
    if ((scope & SCOPE_TEXT) && types(key))
        return ACT_NONE;
    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].key == key && (action_table[km->b[i].action].scope & scope))
            return km->b[i].action;
    return ACT_NONE;
}

/* Binds key to action (see `bind`). 0 or -1 (out of memory). */
static int keymap_bind(struct keymap *km, int key, enum action action)
{
    unsigned scope = action_table[action].scope;
    size_t j = 0;
    for (size_t i = 0; i < km->n; i++)
        if (!(km->b[i].key == key && (action_table[km->b[i].action].scope & scope)))
            km->b[j++] = km->b[i];
    km->n = j;
    return push(km, key, action);
}

static void keymap_unbind(struct keymap *km, int key)
{
    size_t j = 0;
    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].key != key)
            km->b[j++] = km->b[i];
    km->n = j;
}

char *keymap_keys_of(const struct keymap *km, enum action action, char *buf, size_t size)
{
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < km->n; i++) {
        if (km->b[i].action != action)
            continue;
        char name[32];
        keymap_key_name(km->b[i].key, name, sizeof name);
        int n = snprintf(buf + used, size - used, "%s%s", used ? " " : "", name);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
    return buf;
}

char *keymap_keys_in(const struct keymap *km, enum action action, unsigned scope,
                     bool (*usable)(int key), size_t max, char *buf, size_t size)
{
    size_t used = 0, found = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < km->n && found < max; i++) {
        int key = km->b[i].key;
        if (km->b[i].action != action || keymap_lookup(km, key, scope) != action)
            continue;
        if (usable && !usable(key))
            continue;
        char name[32];
        keymap_key_name(key, name, sizeof name);
        int n = snprintf(buf + used, size - used, "%s%s", used ? " " : "", name);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
        found++;
    }
    return buf;
}

static void add_error(char *errbuf, size_t errsize, int bad, const char *file, int line,
                      const char *why, const char *what)
{
    if (!errbuf || errsize == 0 || bad > 3)
        return;
    size_t used = strlen(errbuf);
    if (bad == 3) {
        snprintf(errbuf + used, errsize - used, "; ...");
        return;
    }
    snprintf(errbuf + used, errsize - used, "%s%s:%d: %s '%.40s'", used ? "; " : "", file, line,
             why, what);
}

int keymap_load_text(struct keymap *km, const char *text, const char *filename, char *errbuf,
                     size_t errsize)
{
    int bad = 0, lineno = 0;
    if (errbuf && errsize)
        errbuf[0] = '\0';
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[512];
        lineno++;
        if (len >= sizeof line) {
            add_error(errbuf, errsize, bad++, filename, lineno, "line too long:", "");
            p += len + (eol ? 1 : 0);
            continue;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (eol ? 1 : 0);
        /* Comments: a line starting with '#', or words after a complete
         * directive starting with '#' ("#" alone is a key name too). */
        char *words[8] = {0};
        int nw = 0;
        char *save = NULL;
        for (char *w = strtok_r(line, " \t\r", &save); w && nw < 8;
             w = strtok_r(NULL, " \t\r", &save))
            words[nw++] = w;
        if (nw == 0 || words[0][0] == '#')
            continue;
        int want = strcmp(words[0], "bind") == 0 ? 3 : strcmp(words[0], "unbind") == 0 ? 2 : 0;
        if (want && nw > want && words[want][0] == '#')
            nw = want;
        int key;
        if (strcmp(words[0], "bind") == 0) {
            if (nw != 3) {
                add_error(errbuf, errsize, bad++, filename, lineno,
                          "expected 'bind KEY ACTION':", words[0]);
                continue;
            }
            if (keymap_parse_key(words[1], &key) != 0) {
                add_error(errbuf, errsize, bad++, filename, lineno, "unknown key", words[1]);
                continue;
            }
            enum action a = action_by_name(words[2]);
            if (a == ACT_NONE) {
                add_error(errbuf, errsize, bad++, filename, lineno, "unknown action", words[2]);
                continue;
            }
            if (keymap_bind(km, key, a) != 0)
                add_error(errbuf, errsize, bad++, filename, lineno, "out of memory at", words[1]);
        } else if (strcmp(words[0], "unbind") == 0) {
            if (nw != 2) {
                add_error(errbuf, errsize, bad++, filename, lineno,
                          "expected 'unbind KEY':", words[0]);
                continue;
            }
            if (keymap_parse_key(words[1], &key) != 0) {
                add_error(errbuf, errsize, bad++, filename, lineno, "unknown key", words[1]);
                continue;
            }
            keymap_unbind(km, key);
        } else {
            add_error(errbuf, errsize, bad++, filename, lineno, "unknown directive", words[0]);
        }
    }
    return bad;
}

int keymap_load_file(struct keymap *km, const char *path, char *errbuf, size_t errsize)
{
    if (errbuf && errsize)
        errbuf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        if (errbuf)
            snprintf(errbuf, errsize, "%s: %s", path, strerror(errno));
        return 1;
    }
    /* A key-binding file is small; refuse anything that is plainly not one. */
    char *text = malloc(65537);
    if (!text) {
        fclose(f);
        if (errbuf)
            snprintf(errbuf, errsize, "%s: out of memory", path);
        return 1;
    }
    size_t n = fread(text, 1, 65536, f);
    int toolong = !feof(f);
    fclose(f);
    text[n] = '\0';
    if (toolong || memchr(text, '\0', n)) {
        free(text);
        if (errbuf)
            snprintf(errbuf, errsize, "%s: not a config file (over 64 KiB or binary)", path);
        return 1;
    }
    int bad = keymap_load_text(km, text, path, errbuf, errsize);
    free(text);
    return bad;
}

char *keymap_config_path(char *buf, size_t size)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(buf, size, "%s/cognito-tui/config", xdg);
    else if (home && *home)
        snprintf(buf, size, "%s/.config/cognito-tui/config", home);
    else if (size)
        buf[0] = '\0';
    return buf;
}

void keymap_print(const struct keymap *km, FILE *out)
{
    for (int a = 1; a < ACT_COUNT; a++) {
        char keys[64], where[80];
        keymap_keys_of(km, (enum action)a, keys, sizeof keys);
        action_scope_words(action_table[a].scope, where, sizeof where);
        fprintf(out, "  %-15s %-18s %-20s %s%s\n", keys[0] ? keys : "-", action_table[a].name,
                where, action_table[a].help,
                (action_table[a].flags & ACTF_MUTATES) ? " (not in read-only mode)" : "");
    }
    fprintf(out, "  Rebind in ~/.config/cognito-tui/config: `bind KEY ACTION`, `unbind KEY`.\n");
}

/* roff: a backslash doubled, a leading dot or quote guarded, '-' as \-. */
static void roff_text(FILE *out, const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", out);
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
    }
}

void keymap_print_roff(const struct keymap *km, FILE *out)
{
    for (int a = 1; a < ACT_COUNT; a++) {
        char keys[64], where[80];
        keymap_keys_of(km, (enum action)a, keys, sizeof keys);
        action_scope_words(action_table[a].scope, where, sizeof where);
        fputs(".TP\n.B ", out);
        roff_text(out, keys[0] ? keys : "(none)");
        fputs("\n.RB ( ", out);
        roff_text(out, action_table[a].name);
        fputs(" ,\\ ", out);
        for (const char *w = where; *w; w++) {
            if (*w == ' ')
                fputs("\\ ", out);
            else if (*w == '-')
                fputs("\\-", out);
            else
                fputc(*w, out);
        }
        fputs(")\n", out);
        roff_text(out, action_table[a].help);
        if (action_table[a].flags & ACTF_MUTATES)
            fputs(". Not offered in read\\-only mode", out);
        fputs(".\n", out);
    }
}
