/* tui/change_picture.c — compare()'s items as detail lines
 * (tui/change_picture.h). */
#include "tui/change_picture.h"

#include <string.h>

#include "tui/json_get.h"

static const char *value_text(json_object *item, const char *side)
{
    json_object *v;
    if (!json_object_object_get_ex(item, side, &v) || !v)
        return "(none)";
    if (json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

static const char *who(const char *change)
{
    if (!strcmp(change, "theirs"))
        return "changed by someone else since the form was read";
    if (!strcmp(change, "conflict"))
        return "changed by both, differently";
    if (!strcmp(change, "same"))
        return "changed by both, to the same value";
    return "changed by you";
}

int change_picture_add(struct detail *d, json_object *items, enum change_picture_kind kind)
{
    int rc = 0;
    size_t n = items ? json_object_array_length(items) : 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        json_object *it = json_object_array_get_idx(items, i);
        const char *change = jstr_or(it, "change", "mine");
        rc |= detail_add_line(d, 1, jstr_or(it, "item", "?"), ROLE_TITLE);
        if (kind == PICTURE_THREE_WAY) {
            rc |= detail_add_line(d, 2, who(change),
                                  !strcmp(change, "mine") ? ROLE_DIM : ROLE_WARNING);
            rc |= detail_add_kv(d, 2, "original", value_text(it, "original"));
            rc |= detail_add_kv(d, 2, "theirs (now)", value_text(it, "theirs"));
            rc |= detail_add_kv(d, 2, "yours", value_text(it, "mine"));
        } else {
            rc |= detail_add_kv(d, 2, "sent", value_text(it, "mine"));
            rc |= detail_add_kv(d, 2, "now", value_text(it, "theirs"));
        }
    }
    return rc ? -1 : 0;
}
