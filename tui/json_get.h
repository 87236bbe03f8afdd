/* tui/json_get.h — reading members of a service answer (json-c), the one
 * set of getters for tui/. Header only.
 *
 * Every getter takes a NULL object or a member of the wrong type as absent
 * (an answer is outside input: a member may be missing, null or of another
 * type) and never allocates. Returned pointers live as long as the object.
 */
#ifndef TUI_JSON_GET_H
#define TUI_JSON_GET_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

/* The member, whatever its type, or NULL. */
static inline json_object *jget(json_object *o, const char *name)
{
    json_object *v;
    return o && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, name, &v)
               ? v
               : NULL;
}

/* A string member, or NULL (absent, null, not a string). */
static inline const char *jstr(json_object *o, const char *name)
{
    json_object *v = jget(o, name);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* A string member, or `fallback`. */
static inline const char *jstr_or(json_object *o, const char *name, const char *fallback)
{
    const char *s = jstr(o, name);
    return s ? s : fallback;
}

/* A boolean member (absent or not a boolean: false). */
static inline bool jbool(json_object *o, const char *name)
{
    json_object *v = jget(o, name);
    return v && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

/* An object member, or NULL. */
static inline json_object *jobj(json_object *o, const char *name)
{
    json_object *v = jget(o, name);
    return v && json_object_is_type(v, json_type_object) ? v : NULL;
}

/* An array member, or NULL. */
static inline json_object *jarr(json_object *o, const char *name)
{
    json_object *v = jget(o, name);
    return v && json_object_is_type(v, json_type_array) ? v : NULL;
}

/* The length of an array member (0 when absent). */
static inline size_t jlen(json_object *o, const char *name)
{
    json_object *a = jarr(o, name);
    return a ? json_object_array_length(a) : 0;
}

/* Item i of an array as a string, or NULL. */
static inline const char *jitem_str(json_object *arr, size_t i)
{
    json_object *v =
        arr && json_object_is_type(arr, json_type_array) ? json_object_array_get_idx(arr, i) : NULL;
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* A timestamp member (epoch seconds, number) or 0. */
static inline time_t jtime(json_object *o, const char *name)
{
    json_object *v = jget(o, name);
    if (!v || !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
        return 0;
    return (time_t)json_object_get_double(v);
}

/* Whether a value holds nothing: absent, an empty string, list or map. */
static inline bool jempty(json_object *v)
{
    if (!v)
        return true;
    if (json_object_is_type(v, json_type_array))
        return json_object_array_length(v) == 0;
    if (json_object_is_type(v, json_type_object))
        return json_object_object_length(v) == 0;
    if (json_object_is_type(v, json_type_string))
        return json_object_get_string_len(v) == 0;
    return false;
}

#endif
