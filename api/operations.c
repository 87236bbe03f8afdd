/* api/operations.c — look-ups over the generated table (api/operations_table.c). */
#include "api/operations.h"

#include <string.h>

const struct api_operation *api_operation_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < api_n_operations; i++)
        if (strcmp(api_operations[i].name, name) == 0)
            return &api_operations[i];
    return NULL;
}

const struct api_shape *api_shape_at(int index)
{
    if (index < 0 || (size_t)index >= api_n_shapes)
        return NULL;
    return &api_shapes[index];
}
