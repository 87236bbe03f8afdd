/* api/pagination.h — the one rule for following a listing's NextToken
 * (ListIdentityPools, ListIdentities, LookupDeveloperIdentity).
 *
 * Pagination stops on an absent or empty token, and on a token equal to the
 * previous one: following a repeated token would loop forever (botocore's
 * paginator stops there too).
 */
#ifndef API_PAGINATION_H
#define API_PAGINATION_H

#include <json-c/json.h>

enum api_page_step {
    API_PAGE_DONE,      /* no further page: *token is freed and NULL */
    API_PAGE_NEXT,      /* *token now holds a copy of the next page's token */
    API_PAGE_REPEATED,  /* the service repeated the token: stopped, *token freed and NULL */
    API_PAGE_NO_MEMORY, /* stopped: *token freed and NULL */
};

/* Looks at `page`'s NextToken (page borrowed; *token owned by the caller,
 * NULL before the first page) and says whether and how to go on. */
enum api_page_step api_page_advance(char **token, json_object *page);

#endif
