/* api/pagination.c — the NextToken rule and the blocking walk over every
 * page (api/pagination.h). */
#include "api/pagination.h"

#include <stdio.h>
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

int api_paginate(struct api_client *c, const char *operation, json_object *input,
                 api_page_fn on_page, void *ctx, struct api_error *err)
{
    json_object *in = input ? json_object_get(input) : json_object_new_object();
    char *previous = NULL;
    int rc = -1;

    if (!in)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    if (input) {
        json_object *copy = NULL;
        json_object_put(in);
        if (json_object_deep_copy(input, &copy, NULL) != 0 || !copy)
            return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
        in = copy;
    }
    for (;;) {
        json_object *page = NULL;
        if (api_call(c, operation, in, &page, err) != 0)
            break;
        char rid[sizeof err->request_id];
        snprintf(rid, sizeof rid, "%s", err->request_id);
        int stop = on_page(ctx, page, err);
        if (stop < 0) {
            json_object_put(page);
            break;
        }
        enum api_page_step step = stop > 0 ? API_PAGE_DONE : api_page_advance(&previous, page);
        bool done = step == API_PAGE_DONE || step == API_PAGE_REPEATED;
        if (step == API_PAGE_NO_MEMORY ||
            (step == API_PAGE_NEXT &&
             json_object_object_add(in, "NextToken", json_object_new_string(previous)) != 0)) {
            json_object_put(page);
            api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
            break;
        }
        json_object_put(page);
        if (done) {
            api_error_clear(err);
            snprintf(err->request_id, sizeof err->request_id, "%s", rid);
            rc = 0;
            break;
        }
    }
    free(previous);
    json_object_put(in);
    return rc;
}
