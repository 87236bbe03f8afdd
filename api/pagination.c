#include "api/pagination.h"

#include <stdlib.h>
#include <string.h>

enum api_page_step api_page_advance(char **token, json_object *page)
{
    json_object *tok;
    const char *next = NULL;
    enum api_page_step step = API_PAGE_DONE;

    if (json_object_object_get_ex(page, "NextToken", &tok) &&
        json_object_is_type(tok, json_type_string))
        next = json_object_get_string(tok);
    if (next && *next) {
        if (*token && strcmp(*token, next) == 0) {
            step = API_PAGE_REPEATED;
        } else {
            char *copy = strdup(next);
            free(*token);
            *token = copy;
            return copy ? API_PAGE_NEXT : API_PAGE_NO_MEMORY;
        }
    }
    free(*token);
    *token = NULL;
    return step;
}
