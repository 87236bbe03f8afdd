/* tui/keymap.h — key bindings: which key runs which action (tui/actions.h).
 *
 * A key is an int: a character (its Unicode code point; control keys as
 * 1..31, Enter as '\n', Esc as 27, Tab as '\t') or a curses function key
 * wrapped by KEYMAP_FKEY(KEY_...). Key names, in the config file and the
 * help: a single character ("q", "/", "é"), "^X" for Ctrl-X, and Enter, Esc,
 * Tab, BackTab, Space, Backspace, Up, Down, Left, Right, PgUp, PgDn, Home,
 * End, Ins, Del, S-Up, S-Down (Shift with the arrow), F1..F12.
 *
 * Scopes (tui/actions.h): a key runs the first action bound to it whose
 * scope holds the scope asked for. In the text scopes (forms, dialogs) a
 * printable key never runs an action: it types.
 *
 * Config file (~/.config/cognito-tui/config, $XDG_CONFIG_HOME honoured), one
 * directive a line, `#` starts a comment:
 *   bind KEY ACTION   KEY now runs ACTION wherever ACTION applies; whatever
 *                     KEY did there before is unbound
 *   unbind KEY        KEY does nothing anywhere
 * A bad line is reported by file and line number and skipped; the rest apply.
 */
#ifndef TUI_KEYMAP_H
#define TUI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tui/actions.h"

#define KEYMAP_FKEY_BIT 0x1000000
#define KEYMAP_FKEY(k)  (KEYMAP_FKEY_BIT | (k))

struct keymap;

/* The defaults of the action table. NULL only when out of memory. */
struct keymap *keymap_new(void);
void keymap_free(struct keymap *km);

/* The action `key` runs in `scope` (one SCOPE_* bit), or ACT_NONE (also
 * for a printable key in a text scope). */
enum action keymap_lookup(const struct keymap *km, int key, unsigned scope);

/* Parses a key name. Returns 0 and sets *key, or -1. */
int keymap_parse_key(const char *name, int *key);

/* Writes the key's name (always NUL-terminated). Returns buf. */
char *keymap_key_name(int key, char *buf, size_t size);

/* The keys bound to action, names separated by a space ("" when none). Returns buf. */
char *keymap_keys_of(const struct keymap *km, enum action action, char *buf, size_t size);

/* The keys that run `action` in `scope` (one or more SCOPE_* bits), at
 * most `max` of them, that `usable` accepts (NULL: any; the key bar
 * prefers keys every terminal has, so it shows ^S, not F10), names
 * separated by a space ("" when none). The key bar takes the first; the
 * help overlay all. Returns buf. */
char *keymap_keys_in(const struct keymap *km, enum action action, unsigned scope,
                     bool (*usable)(int key), size_t max, char *buf, size_t size);

/* Applies a config file's text. Returns the number of bad lines; the first
 * few are described in errbuf as "FILE:LINE: why; ..." (errbuf "" when none). */
int keymap_load_text(struct keymap *km, const char *text, const char *filename, char *errbuf,
                     size_t errsize);

/* Reads and applies the file. A missing file is not an error (returns 0).
 * Returns the number of bad lines (an unreadable file counts as one). */
int keymap_load_file(struct keymap *km, const char *path, char *errbuf, size_t errsize);

/* The default config path into buf ("" when neither XDG_CONFIG_HOME nor HOME
 * is set). Returns buf. */
char *keymap_config_path(char *buf, size_t size);

/* Prints every action with its keys, where it applies and its help (--help). */
void keymap_print(const struct keymap *km, FILE *out);

/* The same as the man page's KEYS entries (.TP paragraphs, roff-escaped):
 * the man page's section between its KEYS markers is this text
 * (tests/unit/test_tui_keydoc.c checks it, and rewrites it on request). */
void keymap_print_roff(const struct keymap *km, FILE *out);

#endif
