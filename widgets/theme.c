/* widgets/theme.c — theme files, colour degrading, glyphs (see theme.h). */
#include "widgets/theme.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "widgets/text.h"

struct role_info {
    const char *name;
    struct theme_style def;
    attr_t mono;
};

static const struct role_info roles[ROLE_COUNT] = {
#define THEME_ROLE_INFO(id, name, fg, bg, attrs, mono) {name, {fg, bg, attrs}, mono},
    THEME_ROLES(THEME_ROLE_INFO)
#undef THEME_ROLE_INFO
};

static const char *const color_names[16] = {
    "black",        "red",           "green",       "yellow",         "blue",
    "magenta",      "cyan",          "white",       "bright-black",   "bright-red",
    "bright-green", "bright-yellow", "bright-blue", "bright-magenta", "bright-cyan",
    "bright-white",
};

static const struct {
    const char *name;
    attr_t attr;
} attr_names[] = {
    {"none", 0},
    {"bold", A_BOLD},
    {"dim", A_DIM},
    {"underline", A_UNDERLINE},
    {"reverse", A_REVERSE},
    {"italic", A_ITALIC},
    {"blink", A_BLINK},
    {"standout", A_STANDOUT},
};

/* The active theme, set by theme_apply. */
static struct {
    bool applied;
    enum theme_depth depth;
    attr_t attr[ROLE_COUNT];
    short pair[ROLE_COUNT];
} active;

void theme_default(struct theme *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "default");
    for (int i = 0; i < ROLE_COUNT; i++)
        t->style[i] = roles[i].def;
}

const char *theme_role_name(enum theme_role role)
{
    return (int)role >= 0 && role < ROLE_COUNT ? roles[role].name : NULL;
}

int theme_role_lookup(const char *name)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (strcmp(roles[i].name, name) == 0)
            return i;
    return -1;
}

static int parse_color(const char *w, short *out)
{
    if (strcmp(w, "default") == 0 || strcmp(w, "-") == 0) {
        *out = THEME_DEFAULT_COLOR;
        return 0;
    }
    for (int i = 0; i < 16; i++)
        if (strcmp(w, color_names[i]) == 0) {
            *out = (short)i;
            return 0;
        }
    if (isdigit((unsigned char)w[0])) {
        char *end;
        errno = 0;
        long v = strtol(w, &end, 10);
        if (*end == '\0' && errno == 0 && v >= 0 && v <= 255) {
            *out = (short)v;
            return 0;
        }
    }
    return -1;
}

static int parse_attrs(char *w, attr_t *out)
{
    for (char *save = NULL, *a = strtok_r(w, ",", &save); a; a = strtok_r(NULL, ",", &save)) {
        size_t i;
        for (i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
            if (strcmp(a, attr_names[i].name) == 0)
                break;
        if (i == sizeof attr_names / sizeof attr_names[0])
            return -1;
        *out |= attr_names[i].attr;
    }
    return 0;
}

/* Parses one line (already without comment) into t. Returns NULL or why. */
static const char *parse_line(struct theme *t, char *line, char *why, size_t whylen)
{
    char *eq = strchr(line, '=');
    char *words[8];
    int n = 0;
    if (!eq)
        return "expected `role = foreground background [attributes]`";
    *eq = '\0';
    char *role = line, *rest = eq + 1;
    while (isspace((unsigned char)*role))
        role++;
    char *e = role + strlen(role);
    while (e > role && isspace((unsigned char)e[-1]))
        *--e = '\0';
    int r = theme_role_lookup(role);
    if (r < 0) {
        snprintf(why, whylen, "unknown role '%.40s'", role);
        return why;
    }
    for (char *save = NULL, *w = strtok_r(rest, " \t\r", &save); w;
         w = strtok_r(NULL, " \t\r", &save)) {
        if (n == 8)
            return "too many words";
        words[n++] = w;
    }
    if (n < 2)
        return "expected a foreground and a background colour";
    struct theme_style st = {0, 0, 0};
    if (parse_color(words[0], &st.fg) < 0 || parse_color(words[1], &st.bg) < 0) {
        snprintf(why, whylen, "unknown colour '%.40s' (a name, default, or 0-255)",
                 parse_color(words[0], &st.fg) < 0 ? words[0] : words[1]);
        return why;
    }
    for (int i = 2; i < n; i++)
        if (parse_attrs(words[i], &st.attrs) < 0) {
            snprintf(why, whylen, "unknown attribute '%.40s'", words[i]);
            return why;
        }
    t->style[r] = st;
    return NULL;
}

int theme_parse(struct theme *t, const char *text, const char *filename, char *err, size_t errlen)
{
    struct theme work;
    theme_default(&work);
    const char *base = strrchr(filename, '/');
    snprintf(work.name, sizeof work.name, "%s", base ? base + 1 : filename);
    int lineno = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        char line[512], why[128];
        if (n >= sizeof line) {
            snprintf(err, errlen, "%s:%d: line too long", filename, lineno);
            theme_default(t);
            return -1;
        }
        memcpy(line, p, n);
        line[n] = '\0';
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *q = line;
        while (isspace((unsigned char)*q))
            q++;
        if (*q) {
            const char *bad = parse_line(&work, q, why, sizeof why);
            if (bad) {
                char shown[160];
                text_sanitize(shown, sizeof shown, bad, TEXT_NUL);
                snprintf(err, errlen, "%s:%d: %s", filename, lineno, shown);
                theme_default(t);
                return -1;
            }
        }
        p += n + (nl ? 1 : 0);
    }
    *t = work;
    if (err && errlen)
        err[0] = '\0';
    return 0;
}

int theme_load_file(struct theme *t, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        theme_default(t);
        return -1;
    }
    enum { MAX = 64 * 1024 };
    char *buf = malloc(MAX + 1);
    size_t n = buf ? fread(buf, 1, MAX + 1, f) : 0;
    bool bad_read = ferror(f);
    fclose(f);
    if (!buf || bad_read || n > MAX || memchr(buf, '\0', n)) {
        snprintf(err, errlen, "%s:%s", path,
                 !buf       ? " out of memory"
                 : bad_read ? " cannot read"
                 : n > MAX  ? " larger than 64 KiB"
                            : "1: a NUL byte in a text file");
        free(buf);
        theme_default(t);
        return -1;
    }
    buf[n] = '\0';
    int rc = theme_parse(t, buf, path, err, errlen);
    free(buf);
    return rc;
}

int theme_load_named(struct theme *t, const char *name, const char *const *dirs, size_t ndirs,
                     char *err, size_t errlen)
{
    if (strchr(name, '/'))
        return theme_load_file(t, name, err, errlen);
    if (!name[0] || name[0] == '.') {
        snprintf(err, errlen, "theme '%.60s': not a theme name", name);
        theme_default(t);
        return -1;
    }
    char path[4096], searched[512] = "";
    size_t sl = 0;
    for (size_t i = 0; i < ndirs; i++) {
        if (!dirs[i] || !dirs[i][0])
            continue;
        snprintf(path, sizeof path, "%s/%s", dirs[i], name);
        FILE *f = fopen(path, "rb");
        if (f) {
            fclose(f);
            return theme_load_file(t, path, err, errlen);
        }
        int k = snprintf(searched + sl, sizeof searched - sl, "%s%s", sl ? ", " : "", dirs[i]);
        if (k > 0 && sl + (size_t)k < sizeof searched)
            sl += (size_t)k;
    }
    theme_default(t);
    if (strcmp(name, "default") == 0) {
        if (err && errlen)
            err[0] = '\0';
        return 0;
    }
    snprintf(err, errlen, "theme '%.60s' not found in %s", name, sl ? searched : "(no folder)");
    return -1;
}

/* xterm's 256-colour palette as RGB, to find the nearest of the first 16. */
static void xterm_rgb(int c, int *r, int *g, int *b)
{
    static const unsigned char base[16][3] = {
        {0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
        {0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
        {127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
        {92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
    };
    if (c < 16) {
        *r = base[c][0], *g = base[c][1], *b = base[c][2];
    } else if (c < 232) {
        static const int lv[6] = {0, 95, 135, 175, 215, 255};
        c -= 16;
        *r = lv[c / 36], *g = lv[(c / 6) % 6], *b = lv[c % 6];
    } else {
        *r = *g = *b = 8 + (c - 232) * 10;
    }
}

short theme_degrade(short color, int colors, bool *bold)
{
    if (bold)
        *bold = false;
    if (color < 0 || colors >= 256 || color < colors)
        return color;
    int c = color;
    if (c >= 16) {
        int r, g, b, best = 0;
        long bestd = -1;
        xterm_rgb(c, &r, &g, &b);
        for (int i = 0; i < 16; i++) {
            int r2, g2, b2;
            xterm_rgb(i, &r2, &g2, &b2);
            long d =
                (long)(r - r2) * (r - r2) + (long)(g - g2) * (g - g2) + (long)(b - b2) * (b - b2);
            if (bestd < 0 || d < bestd)
                bestd = d, best = i;
        }
        c = best;
    }
    if (c >= colors && c >= 8) {
        c -= 8;
        if (bold)
            *bold = true;
    }
    return (short)c;
}

enum theme_depth theme_apply(const struct theme *t, int force_depth)
{
    enum theme_depth depth;
    const char *nc = getenv("NO_COLOR");
    if (force_depth >= 0)
        depth = force_depth >= 256  ? THEME_256
                : force_depth >= 16 ? THEME_16
                : force_depth >= 8  ? THEME_8
                                    : THEME_MONO;
    else if ((nc && nc[0]) || !has_colors())
        depth = THEME_MONO;
    else
        depth = COLORS >= 256 ? THEME_256 : COLORS >= 16 ? THEME_16 : THEME_8;
    if (depth != THEME_MONO) {
        if (!has_colors() || start_color() == ERR || COLOR_PAIRS <= ROLE_COUNT)
            depth = THEME_MONO;
        else if (force_depth < 0 && COLORS < (int)depth)
            depth = COLORS >= 16 ? THEME_16 : THEME_8;
    }
    bool dflt = depth != THEME_MONO && use_default_colors() == OK;
    for (int i = 0; i < ROLE_COUNT; i++) {
        const struct theme_style *st = &t->style[i];
        if (depth == THEME_MONO) {
            active.attr[i] = st->attrs | roles[i].mono;
            active.pair[i] = 0;
            continue;
        }
        bool bold_fg, bold_bg;
        short fg = theme_degrade(st->fg, (int)depth, &bold_fg);
        short bg = theme_degrade(st->bg, (int)depth, &bold_bg);
        if (!dflt) {
            fg = fg < 0 ? COLOR_WHITE : fg;
            bg = bg < 0 ? COLOR_BLACK : bg;
        }
        init_pair((short)(i + 1), fg, bg);
        active.pair[i] = (short)(i + 1);
        active.attr[i] = st->attrs | (bold_fg ? A_BOLD : 0) | COLOR_PAIR(i + 1);
    }
    active.depth = depth;
    active.applied = true;
    return depth;
}

enum theme_depth theme_depth(void)
{
    return active.depth;
}

attr_t theme_attr(enum theme_role role)
{
    if (!active.applied || (int)role < 0 || role >= ROLE_COUNT)
        return A_NORMAL;
    return active.attr[role];
}

short theme_pair(enum theme_role role)
{
    if (!active.applied || (int)role < 0 || role >= ROLE_COUNT)
        return 0;
    return active.pair[role];
}

const char *theme_glyph(enum theme_glyph g)
{
    static const char *const uni[GLYPH_COUNT] = {
        "\u2500", "\u2502", "\u250c", "\u2510", "\u2514", "\u2518", "\u25cf",
        "\u25b2", "\u25bc", "\u25b8", "\u2714", "\u00b7", "\u2298",
    };
    static const char *const ascii[GLYPH_COUNT] = {
        "-", "|", "+", "+", "+", "+", "*", "^", "v", ">", "x", "-", "-",
    };
    if ((int)g < 0 || g >= GLYPH_COUNT)
        return "?";
    return text_utf8() ? uni[g] : ascii[g];
}
