/* api/pagination.h — the one rule for following a listing's NextToken
 * (ListIdentityPools, ListIdentities, LookupDeveloperIdentity), and
 * api_paginate(), the blocking walk over every page built on it.
 *
 * Pagination stops on an absent or empty token, and on a token equal to the
 * previous one: following a repeated token would loop forever (botocore's
 * paginator stops there too).
 */
#ifndef API_PAGINATION_H
#define API_PAGINATION_H

#include <json-c/json.h>

#include "api/client.h"
#include "api/error.h"

enum api_page_step {
    API_PAGE_DONE,      /* no further page: *token is freed and NULL */
    API_PAGE_NEXT,      /* *token now holds a copy of the next page's token */
    API_PAGE_REPEATED,  /* the service repeated the token: stopped, *token freed and NULL */
    API_PAGE_NO_MEMORY, /* stopped: *token freed and NULL */
};

/* Looks at `page`'s NextToken (page borrowed; *token owned by the caller,
 * NULL before the first page) and says whether and how to go on. */
enum api_page_step api_page_advance(char **token, json_object *page);

/* ---- The blocking walk (the verbs and the tests) ----
 *
 * Calls `operation` with `input` (borrowed; copied), then again with
 * NextToken set from each answer, until api_page_advance() says stop or
 * on_page() does. on_page() gets each page (borrowed: json_object_get() it to
 * keep it) and returns 0 to go on, 1 to stop, -1 to stop with its own error
 * in err. Returns 0 (err holds kind API_ERR_NONE and the last request id), or
 * -1 with err filled (the first failed call, or on_page()'s error). Works for
 * any operation that takes NextToken: ListIdentityPools, ListIdentities,
 * LookupDeveloperIdentity. */
typedef int (*api_page_fn)(void *ctx, json_object *page, struct api_error *err);
int api_paginate(struct api_client *c, const char *operation, json_object *input,
                 api_page_fn on_page, void *ctx, struct api_error *err);

#endif
