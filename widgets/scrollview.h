/* widgets/scrollview.h — the scrolling list of prepared lines that the
 * detail and diff views share (one drawer, one set of scroll keys), and the
 * JSON pretty-printer that fills it (from any tree, widgets/tree.h).
 *
 * A line is an indent, a key part (drawn in key_role) and the rest (drawn in
 * role), and an optional one-character mark drawn first ("+", "-"). Every
 * string is copied, and sanitized when drawn.
 */
#ifndef WIDGETS_SCROLLVIEW_H
#define WIDGETS_SCROLLVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "widgets/tree.h"
#include "widgets/widget.h"

struct sv_line {
    char *text;    /* key part then value part, plain */
    size_t keylen; /* bytes of text drawn in key_role */
    int indent;    /* columns */
    enum theme_role key_role, role;
    char mark;   /* 0: no mark column */
    int keycols; /* columns the key part takes at least (aligns values) */
};

struct scrollview {
    struct sv_line *l;
    size_t n, cap, top;
    int left;   /* horizontal scroll, columns */
    bool marks; /* reserve the mark column */
};

int sv_add(struct scrollview *sv, int indent, const char *key, const char *value,
           enum theme_role key_role, enum theme_role role, char mark);
void sv_clear(struct scrollview *sv);
/* Draws lines into the rectangle (no frame). */
void sv_draw(struct scrollview *sv, WINDOW *win, int y, int x, int h, int w);
/* Scroll keys for a view h rows high. */
int sv_handle(struct scrollview *sv, int key, int h);

/* Appends the tree pretty-printed as JSON, 2 columns an indent level.
 * sorted: object keys in byte order (the diff), else the tree's order.
 * 0 or -1 (out of memory). */
int sv_add_tree(struct scrollview *sv, int indent, const void *root, const struct tree_ops *ops,
                bool sorted);

#endif
