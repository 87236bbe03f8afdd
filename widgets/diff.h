/* widgets/diff.h — before/after of a record, changed lines marked.
 *
 * Lines are compared whole (longest common subsequence); a removed line is
 * drawn "- text" in ROLE_DIFF_REMOVE, an added one "+ text" in ROLE_DIFF_ADD,
 * an unchanged one "  text". With JSON, both sides are pretty-printed with
 * object keys sorted so only real changes show. Scrolls like detail.h (same
 * keys); everything else is WR_IGNORED.
 */
#ifndef WIDGETS_DIFF_H
#define WIDGETS_DIFF_H

#include <stddef.h>

#include "widgets/tree.h"
#include "widgets/tree_jsonc.h"
#include "widgets/widget.h"

struct diff;

struct diff *diff_new(const char *title);
struct widget *diff_widget(struct diff *d);
void diff_delete(struct diff *d);

/* Replace the content. Strings are copied. 0 or -1 (out of memory). */
int diff_set_lines(struct diff *d, const char *const *before, size_t nbefore,
                   const char *const *after, size_t nafter);
/* Both trees pretty-printed with keys sorted (widgets/tree.h), then diffed. */
int diff_set_trees(struct diff *d, const void *before, const void *after,
                   const struct tree_ops *ops);

/* The same for json-c values (inline: widgets/ itself never links json-c). */
static inline int diff_set_json(struct diff *d, struct json_object *before,
                                struct json_object *after)
{
    return diff_set_trees(d, before, after, tree_jsonc());
}

/* Lines added plus lines removed (0: nothing changes). */
size_t diff_changes(const struct diff *d);
size_t diff_line_count(const struct diff *d);
/* Line i: its mark ('+', '-' or ' ') and text (NULL past the end). */
const char *diff_line(const struct diff *d, size_t i, char *mark);

#endif
