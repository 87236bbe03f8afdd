/* widgets/tree_jsonc.h — the widgets/tree.h ops for json-c.
 *
 * Everything here is static inline: only the files that use it (the owner,
 * which links json-c anyway) get a reference to json-c; the widget sources never do.
 */
#ifndef WIDGETS_TREE_JSONC_H
#define WIDGETS_TREE_JSONC_H

#include <json-c/json.h>
#include <string.h>

#include "widgets/text.h"
#include "widgets/tree.h"

static inline enum tree_kind tree_jsonc_kind(const void *node)
{
    switch (json_object_get_type((struct json_object *)node)) {
    case json_type_boolean:
        return TREE_BOOL;
    case json_type_int:
    case json_type_double:
        return TREE_NUMBER;
    case json_type_string:
        return TREE_STRING;
    case json_type_array:
        return TREE_ARRAY;
    case json_type_object:
        return TREE_OBJECT;
    default:
        return TREE_NULL;
    }
}

static inline void tree_jsonc_each(const void *node, tree_visit visit, void *ctx)
{
    struct json_object *o = (struct json_object *)node;
    if (json_object_is_type(o, json_type_object)) {
        json_object_object_foreach(o, k, v) visit(ctx, k, v);
    } else if (json_object_is_type(o, json_type_array)) {
        size_t n = json_object_array_length(o);
        for (size_t i = 0; i < n; i++)
            visit(ctx, NULL, json_object_array_get_idx(o, i));
    }
}

static inline const char *tree_jsonc_scalar(const void *node)
{
    if (!node)
        return "null";
    return json_object_to_json_string_ext((struct json_object *)node,
                                          JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* The text of a JSON string for a widget: json-c's own storage when it
 * holds no NUL, else the value sanitized into buf (cap bytes, cut at a
 * whole unit), so a "\u0000" shows as "^@" and the rest of the value still
 * shows rather than nothing after it. NULL when v is not a string. Fits a
 * table cell callback: `return tree_jsonc_text(v, buf, cap);`. New
 * (issue 16). */
static inline const char *tree_jsonc_text(struct json_object *v, char *buf, size_t cap)
{
    if (!json_object_is_type(v, json_type_string))
        return NULL;
    const char *s = json_object_get_string(v);
    size_t n = (size_t)json_object_get_string_len(v);
    if (!memchr(s, '\0', n))
        return s;
    text_sanitize(buf, cap, s, n);
    return buf;
}

static inline const struct tree_ops *tree_jsonc(void)
{
    static const struct tree_ops ops = {tree_jsonc_kind, tree_jsonc_each, tree_jsonc_scalar};
    return &ops;
}

#endif
