/* widgets/help.h — the help overlay, generated from the owner's key tables
 * (the same table that draws the key bar, so they never drift).
 *
 * Sections and items are copied. Drawn as a framed box over the placed
 * rectangle: each section title, then "keys   text" lines, keys aligned.
 * Keys: Up k, Down j, PgUp, PgDn, Home g, End G scroll (WR_MOVED |
 * WR_REDRAW); Esc, q, ?, Enter, F1 close (WR_CANCEL).
 */
#ifndef WIDGETS_HELP_H
#define WIDGETS_HELP_H

#include <stddef.h>

#include "widgets/widget.h"

struct help_item {
    const char *keys; /* "j Down" */
    const char *text; /* "Move down" */
};

struct help_section {
    const char *title;
    const struct help_item *items;
    size_t n;
};

struct help;

struct help *help_new(const char *title, const struct help_section *sections, size_t n);
struct widget *help_widget(struct help *h);
void help_delete(struct help *h);

size_t help_line_count(const struct help *h);
size_t help_top(const struct help *h);

#endif
