/* widgets/keybar.h — the key bar (htop's function bar): "key label" pairs
 * drawn from a table the owner gives (the owner builds it from its key map,
 * leaving out what is not offered, e.g. mutating actions in read-only mode).
 *
 * Items are copied. Each is drawn as the key in ROLE_KEY then the label in
 * ROLE_KEY_LABEL; items that do not fit are left out whole (never cut in
 * the middle). No keys: handle is WR_IGNORED.
 */
#ifndef WIDGETS_KEYBAR_H
#define WIDGETS_KEYBAR_H

#include <stddef.h>

#include "widgets/widget.h"

struct keybar_item {
    const char *key;   /* "F1", "Enter", "/", "D" */
    const char *label; /* "Help", "Open", "Filter", "Delete" */
};

struct keybar;

struct keybar *keybar_new(void);
struct widget *keybar_widget(struct keybar *k);
void keybar_delete(struct keybar *k);

/* Replaces the items (copied). 0 or -1 (out of memory: the bar is empty). */
int keybar_set(struct keybar *k, const struct keybar_item *items, size_t n);
/* How many items the last draw showed. */
size_t keybar_shown(const struct keybar *k);

#endif
