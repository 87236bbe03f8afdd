/* api/query_loop.h — a query client (api/query.h: IAM) driven by the loop
 * of a credentials provider, so that whoever drives that loop drives it
 * too: the console's client does (api_client_pollfds/perform include the
 * loop of its credentials), and the console's event loop then needs to
 * know of no other client. The account lookup (api/account.h) and the key
 * set fetch (api/user_pool.h) run on the same loop.
 *
 * While requests of the client are in flight, their sockets and the
 * client's next deadline are watched on the loop; each time one is ready,
 * api_query_perform() runs (its callbacks fire there, inside the loop's
 * perform) and the watches follow what the client waits for next.
 *
 * Call order: api_query_loop_new(); after each api_query_start() on the
 * client, api_query_loop_kick(); api_query_loop_free() before the client
 * is freed. Never free the bridge or the client from inside one of the
 * client's callbacks.
 * The query client signs with api_credentials_get(), which waits only when
 * the credentials must be fetched anew: a caller that fetched them for
 * another request just before never waits.
 */
#ifndef API_QUERY_LOOP_H
#define API_QUERY_LOOP_H

#include "api/credentials.h"
#include "api/error.h"
#include "api/query.h"

struct api_query_loop;

/* Both borrowed; they must outlive the bridge. NULL with err when the
 * provider has no loop (out of memory) or `credentials` is NULL. */
struct api_query_loop *api_query_loop_new(struct api_query_client *qc,
                                          struct api_credentials_provider *credentials,
                                          struct api_error *err);
/* Watches what the client waits for now (after starting a request). */
void api_query_loop_kick(struct api_query_loop *ql);
/* Stops watching. NULL is fine. */
void api_query_loop_free(struct api_query_loop *ql);

#endif
