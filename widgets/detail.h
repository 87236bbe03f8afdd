/* widgets/detail.h — a scrollable detail view: sections, key/value lines,
 * and pretty-printed JSON (from any tree: widgets/tree.h; json-c values
 * through the inline adapter below).
 *
 * Values of consecutive key/value lines at one indent are aligned.
 * The view holds its own copy of every line (built once by the owner, drawn
 * many times). Keys and values are raw outside text: sanitized when drawn.
 * A value too long for the width is cut with an ellipsis; Left/Right scroll
 * horizontally. Keys: Up k, Down j, PgUp ^B, PgDn ^F, Home g, End G, Left h,
 * Right l (WR_MOVED | WR_REDRAW). Everything else (Esc, q) is WR_IGNORED: the
 * owner closes the view.
 */
#ifndef WIDGETS_DETAIL_H
#define WIDGETS_DETAIL_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "widgets/tree.h"
#include "widgets/tree_jsonc.h"
#include "widgets/widget.h"

struct detail;

struct detail *detail_new(const char *title); /* title NULL: no frame title */
struct widget *detail_widget(struct detail *d);
void detail_delete(struct detail *d);

void detail_clear(struct detail *d);
/* Each returns 0 or -1 (out of memory). indent is in steps of 2 columns. */
int detail_add_section(struct detail *d, const char *title);
int detail_add_kv(struct detail *d, int indent, const char *key, const char *value);
int detail_add_line(struct detail *d, int indent, const char *text, enum theme_role role);
/* Pretty JSON of any tree (widgets/tree.h), members in the tree's order,
 * 2 columns an indent level. */
int detail_add_tree(struct detail *d, int indent, const void *root, const struct tree_ops *ops);

/* The same for json-c values (inline: widgets/ itself never links json-c). */
static inline int detail_add_json(struct detail *d, int indent, struct json_object *value)
{
    return detail_add_tree(d, indent, value, tree_jsonc());
}

/* Parses JSON text first; a parse error returns -1 and says why in err
 * ("JSON: <what> at offset N"). */
static inline int detail_add_json_text(struct detail *d, int indent, const char *json, char *err,
                                       size_t errlen)
{
    struct json_tokener *tok = json_tokener_new_ex(64);
    if (!tok) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t len = strlen(json);
    struct json_object *v =
        json_tokener_parse_ex(tok, json, (int)(len > 0x7fffffff ? 0x7fffffff : len));
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    int rc = -1;
    if (e == json_tokener_continue)
        snprintf(err, errlen, "JSON: unexpected end of text");
    else if (e != json_tokener_success)
        snprintf(err, errlen, "JSON: %s at offset %zu", json_tokener_error_desc(e), end);
    else if (end != len)
        snprintf(err, errlen, "JSON: text after the value at offset %zu", end);
    else
        rc = detail_add_json(d, indent, v);
    json_object_put(v);
    json_tokener_free(tok);
    return rc;
}

size_t detail_line_count(const struct detail *d);
size_t detail_top(const struct detail *d);
/* The plain text of line i (as added, unsanitized; JSON lines rendered), or
 * NULL: tests and copy-out. */
const char *detail_line_text(const struct detail *d, size_t i);

#endif
