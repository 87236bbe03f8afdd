/* tests/tools/ops-dump.c — prints the operations table (api/operations.h) as
 * JSON, for tests/api/test_operations_table.py to compare with the model. */
#include <stdio.h>

#include <json-c/json.h>

#include "api/operations.h"

static const char *type_name(enum api_shape_type t)
{
    static const char *const names[] = {"structure", "list",    "map",  "string",
                                        "boolean",   "integer", "long", "timestamp"};
    return names[t];
}

static json_object *shape_ref(int index)
{
    const struct api_shape *s = api_shape_at(index);
    return s ? json_object_new_string(s->name) : NULL;
}

int main(void)
{
    json_object *root = json_object_new_object();
    json_object *ops = json_object_new_array();
    json_object *shapes = json_object_new_object();

    for (size_t i = 0; i < api_n_operations; i++) {
        const struct api_operation *op = &api_operations[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(op->name));
        json_object_object_add(o, "input", shape_ref(op->input));
        json_object_object_add(o, "output", shape_ref(op->output));
        json_object_object_add(o, "mutates", json_object_new_boolean(op->mutates));
        json_object_object_add(o, "unsigned", json_object_new_boolean(op->is_unsigned));
        json_object_object_add(o, "pure_read", json_object_new_boolean(op->pure_read));
        json_object_object_add(o, "repeatable", json_object_new_boolean(op->repeatable));
        json_object_object_add(o, "reread", op->reread ? json_object_new_string(op->reread) : NULL);
        json_object_object_add(o, "max_response_depth",
                               json_object_new_int(op->max_response_depth));
        /* The look-up must find the very same entry. */
        json_object_object_add(o, "found",
                               json_object_new_boolean(api_operation_find(op->name) == op));
        json_object_array_add(ops, o);
    }
    for (size_t i = 0; i < api_n_shapes; i++) {
        const struct api_shape *s = &api_shapes[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "type", json_object_new_string(type_name(s->type)));
        if (s->has_min)
            json_object_object_add(o, "min", json_object_new_int64(s->min));
        if (s->has_max)
            json_object_object_add(o, "max", json_object_new_int64(s->max));
        if (s->pattern)
            json_object_object_add(o, "pattern", json_object_new_string(s->pattern));
        if (s->n_enum) {
            json_object *e = json_object_new_array();
            for (int k = 0; k < s->n_enum; k++)
                json_object_array_add(e, json_object_new_string(s->enum_values[k]));
            json_object_object_add(o, "enum", e);
        }
        if (s->type == API_SHAPE_STRUCTURE) {
            json_object *m = json_object_new_object();
            for (int k = 0; k < s->n_members; k++) {
                json_object *mm = json_object_new_object();
                json_object_object_add(mm, "shape", shape_ref(s->members[k].shape));
                json_object_object_add(mm, "required",
                                       json_object_new_boolean(s->members[k].required));
                json_object_object_add(m, s->members[k].name, mm);
            }
            json_object_object_add(o, "members", m);
        }
        if (s->type == API_SHAPE_LIST)
            json_object_object_add(o, "member", shape_ref(s->member));
        if (s->type == API_SHAPE_MAP) {
            json_object_object_add(o, "key", shape_ref(s->key));
            json_object_object_add(o, "value", shape_ref(s->value));
        }
        json_object_object_add(o, "sensitive", json_object_new_boolean(s->sensitive));
        json_object_object_add(shapes, s->name, o);
    }
    json_object_object_add(root, "operations", ops);
    json_object_object_add(root, "shapes", shapes);
    puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));
    json_object_put(root);
    return 0;
}
