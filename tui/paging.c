#include "tui/paging.h"

#include <stdlib.h>
#include <string.h>

bool paging_advance(char **token, json_object *out)
{
    json_object *tok;
    const char *next = NULL;

    if (json_object_object_get_ex(out, "NextToken", &tok) &&
        json_object_is_type(tok, json_type_string))
        next = json_object_get_string(tok);
    if (next && *next && !(*token && strcmp(*token, next) == 0)) {
        free(*token);
        *token = strdup(next);
        return *token != NULL;
    }
    free(*token);
    *token = NULL;
    return false;
}
