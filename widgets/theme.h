/* widgets/theme.h — roles, theme files, colours, line-drawing glyphs.
 *
 * A role names what a thing means (error, selected, ...), never a colour.
 * Widgets draw every cell with theme_attr(role); the active theme decides
 * what that looks like on this terminal.
 *
 * Theme file: plain text, one line per role, `#` starts a comment:
 *     role = foreground background [attribute ...]
 * Colours: default (the terminal's own), black red green yellow blue magenta
 * cyan white, bright-black ... bright-white (8-15), or a number 0-255 (the
 * xterm palette). Attributes: bold dim underline reverse italic blink
 * standout, or none; several separated by spaces or commas. A file only
 * overrides the roles it names; the rest keep the compiled-in default.
 * A bad line (unknown role or colour, missing '=', too many words) rejects
 * the whole file with "FILE:LINE: why" and leaves the default in place.
 *
 * Degrading: 256-colour values are mapped to the nearest of 16 (or 8) when
 * the terminal has fewer; bright colours become their base colour (with
 * bold for a foreground) on 8-colour terminals. With NO_COLOR set (any
 * non-empty value) or a terminal without colours, every role is drawn with
 * its attributes only, plus a built-in attribute per role (selected is
 * reverse, error bold, ...) so meaning survives without colour.
 *
 * Call order: theme_default() / theme_load_*() (no curses needed), then after
 * newterm/initscr theme_apply(), then theme_attr() while drawing. theme_apply
 * again after loading another theme or after a new screen.
 */
#ifndef WIDGETS_THEME_H
#define WIDGETS_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

/* clang-format off */
/* ROLE(id, name, default fg, default bg, default attrs, mono attrs)
 * Colours are theme colour numbers (THEME_DEFAULT_COLOR = the terminal's). */
#define THEME_ROLES(ROLE) \
    ROLE(NORMAL,         "normal",         -1, -1, 0,            0) \
    ROLE(HEADER,         "header",          0,  6, A_BOLD,       A_BOLD | A_REVERSE) \
    ROLE(SELECTED,       "selected",        0,  6, 0,            A_REVERSE) \
    ROLE(MARKED,         "marked",         11, -1, A_BOLD,       A_BOLD) \
    ROLE(SELECTED_MARKED,"selected-marked", 11, 4, A_BOLD,       A_REVERSE | A_BOLD) \
    ROLE(STATUS,         "status",          7,  4, 0,            A_REVERSE) \
    ROLE(ERROR,          "error",           9, -1, A_BOLD,       A_BOLD) \
    ROLE(WARNING,        "warning",        11, -1, 0,            A_BOLD) \
    ROLE(DANGER,         "danger",         15,  1, A_BOLD,       A_REVERSE | A_BOLD) \
    ROLE(DIM,            "dim",             8, -1, 0,            A_DIM) \
    ROLE(BORDER,         "border",          6, -1, 0,            0) \
    ROLE(TITLE,          "title",          14, -1, A_BOLD,       A_BOLD) \
    ROLE(KEY,            "key",             0,  6, 0,            A_REVERSE) \
    ROLE(KEY_LABEL,      "key-label",      -1, -1, 0,            0) \
    ROLE(BADGE_READONLY, "badge-readonly", 15,  1, A_BOLD,       A_REVERSE | A_BOLD) \
    ROLE(INPUT,          "input",          -1,  8, 0,            A_UNDERLINE) \
    ROLE(INPUT_FOCUS,    "input-focus",    15,  4, 0,            A_REVERSE) \
    ROLE(LABEL,          "label",          -1, -1, 0,            0) \
    ROLE(REQUIRED,       "required",        9, -1, A_BOLD,       A_BOLD) \
    ROLE(BUTTON,         "button",         -1, -1, 0,            0) \
    ROLE(BUTTON_FOCUS,   "button-focus",    0,  6, A_BOLD,       A_REVERSE | A_BOLD) \
    ROLE(BUTTON_DISABLED,"button-disabled", 8, -1, 0,            A_DIM) \
    ROLE(DIALOG,         "dialog",         -1, -1, 0,            0) \
    ROLE(JSON_KEY,       "json-key",        4, -1, 0,            A_BOLD) \
    ROLE(JSON_STRING,    "json-string",     2, -1, 0,            0) \
    ROLE(JSON_NUMBER,    "json-number",     5, -1, 0,            0) \
    ROLE(DIFF_ADD,       "diff-add",        2, -1, 0,            A_BOLD) \
    ROLE(DIFF_REMOVE,    "diff-remove",     1, -1, 0,            A_DIM) \
    ROLE(TAB,            "tab",            -1, -1, 0,            0) \
    ROLE(TAB_ACTIVE,     "tab-active",      0,  6, A_BOLD,       A_REVERSE | A_BOLD) \
    ROLE(ESCAPE,         "escape",         13, -1, 0,            A_UNDERLINE) \
    ROLE(DISABLED,       "disabled",        8, -1, 0,            A_DIM)
/* clang-format on */

enum theme_role {
#define THEME_ROLE_ENUM(id, name, fg, bg, attrs, mono) ROLE_##id,
    THEME_ROLES(THEME_ROLE_ENUM)
#undef THEME_ROLE_ENUM
        ROLE_COUNT
};

#define THEME_DEFAULT_COLOR (-1)

struct theme_style {
    short fg, bg; /* THEME_DEFAULT_COLOR or 0..255 */
    attr_t attrs; /* A_BOLD | ... */
};

struct theme {
    char name[64];
    struct theme_style style[ROLE_COUNT];
};

/* How colours end up on this terminal (set by theme_apply). */
enum theme_depth { THEME_MONO = 0, THEME_8 = 8, THEME_16 = 16, THEME_256 = 256 };

/* The compiled-in default (the same as themes/default). */
void theme_default(struct theme *t);

/* Parses theme text (as from a file) over the default. On a bad line returns
 * -1, writes "NAME:LINE: why" into err and leaves *t the default. */
int theme_parse(struct theme *t, const char *text, const char *filename, char *err, size_t errlen);

/* Reads and parses a file; errors (unreadable, too big, bad line) as above. */
int theme_load_file(struct theme *t, const char *path, char *err, size_t errlen);

/* Finds a theme by name: a name holding '/' is a path; otherwise the first
 * dirs[i]/NAME that exists is read (dirs in order of preference, NULL or ""
 * entries skipped; the owner passes e.g. ~/.config/APP/themes, the installed
 * share folder, the repository's themes/). "default" with no file found is
 * the compiled-in default. Not found or bad: -1, err says why (naming the
 * file and line, or the folders searched), *t is the default. */
int theme_load_named(struct theme *t, const char *name, const char *const *dirs, size_t ndirs,
                     char *err, size_t errlen);

/* Chooses the depth for the current screen (COLORS, has_colors(), NO_COLOR)
 * and makes t the active theme: init_pair for every role (pair = role + 1).
 * force_depth >= 0 overrides the detection (tests); pass -1 normally. Safe to
 * call before start_color() (it calls it when the terminal has colours).
 * Returns the depth used. */
enum theme_depth theme_apply(const struct theme *t, int force_depth);
enum theme_depth theme_depth(void);

/* What to draw a role with: attributes | COLOR_PAIR. Before theme_apply:
 * A_NORMAL. theme_pair() is the pair alone (0 in mono). */
attr_t theme_attr(enum theme_role role);
short theme_pair(enum theme_role role);

/* Role names (for messages and tests); -1 when unknown. */
const char *theme_role_name(enum theme_role role);
int theme_role_lookup(const char *name);

/* Degrades a 0..255 colour to a terminal with `colors` colours (8, 16, 256).
 * *bold is set when an 8-colour terminal should show a bright foreground as
 * bold. Exposed for tests. */
short theme_degrade(short color, int colors, bool *bold);

/* Line drawing and marks, Unicode in a UTF-8 locale, ASCII otherwise (also
 * follows text_utf8()). Each is one column wide. */
enum theme_glyph {
    GLYPH_HLINE,     /* ─  - */
    GLYPH_VLINE,     /* │  | */
    GLYPH_TL,        /* ┌  + */
    GLYPH_TR,        /* ┐  + */
    GLYPH_BL,        /* └  + */
    GLYPH_BR,        /* ┘  + */
    GLYPH_MARK,      /* ●  * */
    GLYPH_SORT_UP,   /* ▲  ^ */
    GLYPH_SORT_DOWN, /* ▼  v */
    GLYPH_POINTER,   /* ▸  > */
    GLYPH_CHECK_ON,  /* ✔  x */
    GLYPH_DOT,       /* ·  - */
    GLYPH_DISABLED,  /* ⊘  - (a disabled table row's badge) */
    GLYPH_COUNT
};
const char *theme_glyph(enum theme_glyph g);

#endif
