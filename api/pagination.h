/* api/pagination.h — the one rule for following a listing's NextToken
 * (ListIdentityPools, ListIdentities, LookupDeveloperIdentity), and
 * api_paginate(), the blocking walk over every page built on it.
 *
 * A walk is the chain of pages from the first one. It ends on an absent or
 * empty token. It also ends, as an error, on a token the walk has already
 * followed, however far back: following it would start an endless loop (a
 * server alternating two tokens is as endless as one repeating a token).
 * Only a 16-byte digest of each token is kept, so a long walk costs a few
 * dozen bytes a page, whatever the tokens' length.
 *
 * Call order: a zeroed struct api_page_walk (or API_PAGE_WALK_INIT) is a walk
 * at its start; after each page, api_page_advance(); send `token` for the
 * next page while it returns API_PAGE_NEXT; api_page_walk_free() at the end
 * (any time; it leaves a walk at its start again).
 */
#ifndef API_PAGINATION_H
#define API_PAGINATION_H

#include <json-c/json.h>

#include "api/client.h"
#include "api/error.h"

struct api_page_walk {
    char *token;       /* the NextToken to send for the next page; NULL at the start and end */
    json_object *seen; /* private: digests of the tokens followed */
    unsigned long pages;
};

#define API_PAGE_WALK_INIT                                                                         \
    {                                                                                              \
        NULL, NULL, 0                                                                              \
    }

enum api_page_step {
    API_PAGE_DONE,      /* no further page: token is NULL */
    API_PAGE_NEXT,      /* token holds the next page's NextToken */
    API_PAGE_REPEATED,  /* the service gave a token the walk followed already: stopped */
    API_PAGE_NO_MEMORY, /* stopped */
};

/* Looks at `page`'s NextToken (page borrowed) and says whether and how to go
 * on. After DONE, REPEATED or NO_MEMORY, token is NULL. */
enum api_page_step api_page_advance(struct api_page_walk *w, json_object *page);

/* Frees what the walk holds; *w is at its start again. */
void api_page_walk_free(struct api_page_walk *w);

/* For API_PAGE_REPEATED and API_PAGE_NO_MEMORY: fills err (API_ERR_HTTP for a
 * repeated token, naming `operation` and the page count) and returns -1.
 * Returns 0 for the other steps, leaving err alone. */
int api_page_error(enum api_page_step step, const struct api_page_walk *w, const char *operation,
                   struct api_error *err);

/* ---- The blocking walk (the verbs and the tests) ----
 *
 * Calls `operation` with `input` (borrowed; copied), then again with
 * NextToken set from each answer, until api_page_advance() says stop or
 * on_page() does; a token seen before in the walk is an error
 * (api_page_error()). on_page() gets each page (borrowed: json_object_get() it to
 * keep it) and returns 0 to go on, 1 to stop, -1 to stop with its own error
 * in err. Returns 0 (err holds kind API_ERR_NONE and the last request id), or
 * -1 with err filled (the first failed call, or on_page()'s error). Works for
 * any operation that takes NextToken: ListIdentityPools, ListIdentities,
 * LookupDeveloperIdentity. */
typedef int (*api_page_fn)(void *ctx, json_object *page, struct api_error *err);
int api_paginate(struct api_client *c, const char *operation, json_object *input,
                 api_page_fn on_page, void *ctx, struct api_error *err);

#endif
