/* api/lost_update.c — the re-read before a whole-resource write and the
 * three-way comparison (api/lost_update.h). */
#include "api/lost_update.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/operations.h"

int api_lost_update_read(const char *operation, json_object *input, const char **read_op,
                         json_object **read_input, struct api_error *err)
{
    const struct api_operation *op = api_operation_find(operation);
    const struct api_operation *read = op && op->reread ? api_operation_find(op->reread) : NULL;
    const struct api_shape *shape = read ? api_shape_at(read->input) : NULL;

    *read_op = NULL;
    *read_input = NULL;
    if (!shape)
        return api_error_set(err, API_ERR_INVALID_INPUT, "%.100s has no re-read",
                             operation ? operation : "(none)");
    json_object *in = json_object_new_object();
    if (!in)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    for (int i = 0; i < shape->n_members; i++) {
        const struct api_member *m = &shape->members[i];
        json_object *v = NULL;
        if (json_object_is_type(input, json_type_object) &&
            json_object_object_get_ex(input, m->name, &v) && v) {
            json_object_object_add(in, m->name, json_object_get(v));
        } else if (m->required) {
            json_object_put(in);
            api_error_set(err, API_ERR_INVALID_INPUT, "%s needs %s to re-read with %s", op->name,
                          m->name, read->name);
            snprintf(err->field, sizeof err->field, "%s", m->name);
            return -1;
        }
    }
    *read_op = read->name;
    *read_input = in;
    return 0;
}

const char *api_change_name(enum api_change change)
{
    switch (change) {
    case API_CHANGE_MINE:
        return "mine";
    case API_CHANGE_THEIRS:
        return "theirs";
    case API_CHANGE_SAME:
        return "same";
    case API_CHANGE_CONFLICT:
        return "conflict";
    }
    return "conflict";
}

/* What the service treats as "not set". */
static bool is_empty(json_object *v)
{
    if (!v)
        return true;
    switch (json_object_get_type(v)) {
    case json_type_null:
        return true;
    case json_type_boolean:
        return !json_object_get_boolean(v);
    case json_type_object:
        return json_object_object_length(v) == 0;
    case json_type_array:
        return json_object_array_length(v) == 0;
    default:
        return false;
    }
}

static bool same(json_object *a, json_object *b)
{
    if (is_empty(a) || is_empty(b))
        return is_empty(a) && is_empty(b);
    return json_object_equal(a, b) != 0;
}

static json_object *member(json_object *obj, const char *name)
{
    json_object *v = NULL;
    if (!json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, name, &v))
        return NULL;
    return v;
}

struct picture {
    json_object *items;
    bool with_original;
    bool stale;
    bool oom;
};

static void compare_item(struct picture *p, const char *name, json_object *o, json_object *y,
                         json_object *t)
{
    enum api_change change;

    if (p->with_original) {
        bool dm = !same(o, y), dt = !same(o, t);
        if (!dm && !dt)
            return;
        change = dm && dt ? (same(y, t) ? API_CHANGE_SAME : API_CHANGE_CONFLICT)
                 : dm     ? API_CHANGE_MINE
                          : API_CHANGE_THEIRS;
        if (change == API_CHANGE_THEIRS || change == API_CHANGE_CONFLICT)
            p->stale = true;
    } else {
        if (same(y, t))
            return;
        change = API_CHANGE_MINE;
        p->stale = true;
    }
    json_object *item = json_object_new_object();
    if (!item || json_object_array_add(p->items, item) != 0) {
        json_object_put(item);
        p->oom = true;
        return;
    }
    json_object_object_add(item, "item", json_object_new_string(name));
    json_object_object_add(item, "change", json_object_new_string(api_change_name(change)));
    if (p->with_original && o)
        json_object_object_add(item, "original", json_object_get(o));
    if (y)
        json_object_object_add(item, "mine", json_object_get(y));
    if (t)
        json_object_object_add(item, "theirs", json_object_get(t));
}

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The union of the keys of up to three objects, sorted; *n set. NULL when none. */
static const char **key_union(json_object *const maps[3], size_t *n)
{
    size_t cap = 0, k = 0;
    for (int i = 0; i < 3; i++)
        if (json_object_is_type(maps[i], json_type_object))
            cap += (size_t)json_object_object_length(maps[i]);
    *n = 0;
    if (cap == 0)
        return NULL;
    const char **keys = malloc(cap * sizeof *keys);
    if (!keys)
        return NULL;
    for (int i = 0; i < 3; i++) {
        if (!json_object_is_type(maps[i], json_type_object))
            continue;
        json_object_object_foreach(maps[i], key, value)
        {
            (void)value;
            bool dup = false;
            for (size_t j = 0; j < k && !dup; j++)
                dup = strcmp(keys[j], key) == 0;
            if (!dup)
                keys[k++] = key;
        }
    }
    qsort(keys, k, sizeof *keys, cmp_keys);
    *n = k;
    return keys;
}

json_object *api_lost_update_compare(const char *operation, json_object *original,
                                     json_object *mine, json_object *theirs, bool *stale)
{
    const struct api_operation *op = api_operation_find(operation);
    const struct api_shape *shape = op ? api_shape_at(op->input) : NULL;
    struct picture p = {json_object_new_array(), original != NULL, false, false};

    if (stale)
        *stale = false;
    if (!shape || !p.items) {
        json_object_put(p.items);
        return NULL;
    }
    for (int i = 0; i < shape->n_members && !p.oom; i++) {
        const char *name = shape->members[i].name;
        const struct api_shape *ms = api_shape_at(shape->members[i].shape);
        if (strcmp(name, "IdentityPoolId") == 0 || strcmp(name, "IdentityProviderName") == 0)
            continue;
        json_object *o = member(original, name), *y = member(mine, name), *t = member(theirs, name);
        if (!ms || ms->type != API_SHAPE_MAP) {
            compare_item(&p, name, o, y, t);
            continue;
        }
        json_object *const maps[3] = {o, y, t};
        size_t n = 0;
        const char **keys = key_union(maps, &n);
        for (size_t k = 0; k < n && !p.oom; k++) {
            char item[512];
            snprintf(item, sizeof item, "%s[%s]", name, keys[k]);
            compare_item(&p, item, member(o, keys[k]), member(y, keys[k]), member(t, keys[k]));
        }
        free(keys);
    }
    if (p.oom) {
        json_object_put(p.items);
        return NULL;
    }
    if (stale)
        *stale = p.stale;
    return p.items;
}
