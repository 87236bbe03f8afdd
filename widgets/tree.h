/* widgets/tree.h — a read-only view of a JSON-shaped tree, so the detail and
 * diff views can show JSON without widgets/ linking a JSON library.
 *
 * The owner gives a root node (an opaque pointer) and the ops that read it.
 * Nodes are only read, never kept past the call that was given them.
 * widgets/tree_jsonc.h has the ops for json-c's json_object.
 */
#ifndef WIDGETS_TREE_H
#define WIDGETS_TREE_H

#include <stddef.h>

enum tree_kind {
    TREE_NULL,
    TREE_BOOL,
    TREE_NUMBER,
    TREE_STRING,
    TREE_ARRAY,
    TREE_OBJECT,
};

/* Called by each() once per member (key: its name, raw UTF-8) or element
 * (key NULL), in the tree's own order. */
typedef void (*tree_visit)(void *ctx, const char *key, const void *child);

struct tree_ops {
    enum tree_kind (*kind)(const void *node); /* node may be NULL: TREE_NULL */
    void (*each)(const void *node, tree_visit visit, void *ctx);
    /* A scalar as JSON text: "\"text\"" (quoted, escaped), "12", "true",
     * "null". Valid until the next call on the tree. */
    const char *(*scalar)(const void *node);
};

#endif
