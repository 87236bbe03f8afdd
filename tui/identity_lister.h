/* tui/identity_lister.h — walks a pool's ListIdentities asynchronously, one
 * page in flight, resumable from a stored NextToken. The listing half of
 * the inventory and prune jobs.
 *
 * OWNER: the lifecycle work (issue 13).
 *
 * Call order: identity_lister_start(); then the owner drives the client
 * (api_client_pollfds / poll / api_client_perform, or a blocking loop);
 * events fire inside api_client_perform(). Pages come in order, 60
 * identities at most each. The walk ends with exactly one done() event:
 *   - after the last page (err kind API_ERR_NONE): no NextToken;
 *   - a token the walk followed already (api/pagination.h): done() with
 *     that error (an endless listing is not a complete one);
 *   - after identity_lister_stop(): once the page in flight has come and
 *     its page() event fired, done() with API_ERR_CANCELLED;
 *   - identity_lister_abort(): the request in flight is cancelled, done()
 *     with API_ERR_CANCELLED at once (inside the call);
 *   - a failure: a page that still fails after the client's retries is
 *     asked again, up to IDENTITY_LISTER_RETRIES times in a row while the
 *     failure is retryable (throttling, 5xx, a dropped connection; the
 *     client's rate limiter paces these); then done() with the error;
 *   - page() returned -1: done() with API_ERR_INVALID_INPUT and its reason.
 * A resume token the service refuses (InvalidParameterException on the
 * first page asked with it: expired or from elsewhere) fires restarted()
 * and the walk goes on from the first page.
 *
 * Memory: a page at a time, plus the walk's digest of every token followed
 * (api/pagination.h: about 50 bytes a page, under a megabyte for a million
 * identities).
 *
 * Ownership: the lister copies pool_id and the token. The owner frees it
 * with identity_lister_free() once done() fired, or at any time (freeing a
 * running lister cancels its request without events). It may be freed
 * inside done().
 */
#ifndef TUI_IDENTITY_LISTER_H
#define TUI_IDENTITY_LISTER_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "api/client.h"

#define IDENTITY_LISTER_PAGE_SIZE 60
#define IDENTITY_LISTER_RETRIES   8

struct identity_lister;

struct identity_lister_events {
    /* A page: `identities` (the answer's array, borrowed, may be NULL when
     * the answer had none) and the token to ask for the next page (NULL
     * when this was the last). Store both together: a walk resumed from
     * next_token continues right after this page. Return 0 to go on, or
     * -1 with a one-line reason in errbuf to end the walk. */
    int (*page)(void *ctx, json_object *identities, const char *next_token, char *errbuf,
                size_t errsize);
    /* The resume token was refused: forget it, the walk restarts. May be NULL. */
    void (*restarted)(void *ctx);
    /* The end (see above). err is never NULL. */
    void (*done)(void *ctx, const struct api_error *err);
};

/* hide_disabled: the listing's HideDisabled. resume_token: NULL = from the
 * first page. Returns NULL with err filled when the first request is
 * refused before sending (read-only, invalid pool id, credentials); no
 * event fires then. */
struct identity_lister *identity_lister_start(struct api_client *c, const char *pool_id,
                                              bool hide_disabled, const char *resume_token,
                                              const struct identity_lister_events *events,
                                              void *ctx, struct api_error *err);

/* Checks pool_id as the listing's request will (api_validate of
 * ListIdentities' input): call it before using the id in a file name.
 * Returns 0, or -1 with err filled (API_ERR_INVALID_INPUT naming the field). */
int identity_lister_check_pool(const char *pool_id, struct api_error *err);

void identity_lister_stop(struct identity_lister *l);
void identity_lister_abort(struct identity_lister *l);
void identity_lister_free(struct identity_lister *l);

/* Pages received so far. */
unsigned long identity_lister_pages(const struct identity_lister *l);

#endif
