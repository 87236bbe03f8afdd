/* widgets/keybar.h — the key bar (htop's function bar): "key label" pairs
 * drawn from a table the owner gives (the owner builds it from its key map,
 * passing exactly the actions that do something in the current pane, and
 * leaving out what is not offered, e.g. mutating actions in read-only mode).
 * The bar shows those entries and nothing else.
 *
 * Items are copied. Each is drawn as the key in ROLE_KEY then the label in
 * ROLE_KEY_LABEL, one space between items, in the owner's order. When they
 * do not all fit (an 80-column terminal), the least important give way
 * first: labels shorten to their short_label (least important first), then
 * whole items are left out (least important first), then the labels of what
 * is left come back in full while they fit (most important first). Priority:
 * higher is more important; equal priorities give way from the end. A key
 * is never cut, never shown without its label, and never left out while a
 * less important item shows. No keys: handle is WR_IGNORED.
 */
#ifndef WIDGETS_KEYBAR_H
#define WIDGETS_KEYBAR_H

#include <stdbool.h>
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

/* Replaces the items (copied), each with priority 0 and no short label.
 * 0 or -1 (out of memory: the bar is empty). */
int keybar_set(struct keybar *k, const struct keybar_item *items, size_t n);
/* After keybar_set: how item i gives way on a narrow screen. priority:
 * higher stays longer (0 by default); short_label: shown instead of the
 * label before anything is left out ("Del"; copied; NULL: none). 0, or -1
 * (no item i, or out of memory: the item keeps its full label). New
 * (issue 12). */
int keybar_set_priority(struct keybar *k, size_t i, int priority, const char *short_label);
/* How many items the last draw showed, and whether item i (in the order
 * given to keybar_set) was one of them. */
size_t keybar_shown(const struct keybar *k);
bool keybar_is_shown(const struct keybar *k, size_t i);

#endif
