/* api/user_pool.h — Cognito user pools as login providers of an identity
 * pool: their provider names and their key sets (JWKS).
 *
 * A user pool's provider name is cognito-idp.REGION.amazonaws.com/POOL_ID
 * (POOL_ID = REGION_ALNUM, the same REGION); its tokens' `iss` is that name
 * after "https://"; its key set is served at
 * <endpoint>/POOL_ID/.well-known/jwks.json, where <endpoint> is cognito-idp's
 * for the pool's Region as api/endpoint.h resolves it
 * (AWS_ENDPOINT_URL_COGNITO_IDP, AWS_ENDPOINT_URL, the profile's [services]
 * cognito_idp, its endpoint_url, else https://cognito-idp.REGION.amazonaws.com).
 */
#ifndef API_USER_POOL_H
#define API_USER_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "api/credentials.h"
#include "api/error.h"
#include "api/jwt.h"

/* Whether `provider` is a user pool's provider name; then copies its Region
 * (size >= 32) and pool id (size >= 64). */
bool api_user_pool_of_provider(const char *provider, char *region, size_t region_size,
                               char *pool_id, size_t pool_size);

/* The key set URL of the user pool named by `provider`, for `profile` (NULL:
 * the default). Returns 0 with *url (malloc'd), or -1 with err
 * (API_ERR_INVALID_INPUT when provider is not a user pool; API_ERR_CREDENTIALS
 * for a bad endpoint setting). Reads the environment and the config files. */
int api_user_pool_jwks_url(const char *provider, const char *profile, char **url,
                           struct api_error *err);

/* GET `url` (blocking, TLS verified, `ca_bundle` added when not NULL, 10 s
 * at most) and parse the key set. Returns the set, or NULL with err
 * (transport errors as api/transport.h; API_ERR_HTTP for a status other than
 * 200 or a body that is not a key set). */
struct api_jwks *api_user_pool_jwks_fetch(const char *url, const char *ca_bundle,
                                          struct api_error *err);

/* The same GET without waiting (the console): it runs on the loop of
 * `credentials` (the chain's CA bundle; api_credentials_pollfds/perform,
 * which a client over those credentials drives in api_client_pollfds/
 * perform). `done` is called exactly once from a later perform unless
 * api_user_pool_jwks_cancel() came first: with the key set document (a
 * status 200 answer's body, borrowed for the call; parse it with
 * api_jwks_parse) or NULL and err as api_user_pool_jwks_fetch() says.
 * Returns the handle (gone after `done` or the cancel), or NULL with err
 * (a URL the transport refuses, no credentials loop); `done` never fires then. */
struct api_user_pool_keys_get;
typedef void (*api_user_pool_keys_done_fn)(void *ctx, const char *text, size_t len,
                                           const struct api_error *err);
struct api_user_pool_keys_get *
api_user_pool_jwks_start(struct api_credentials_provider *credentials, const char *url,
                         api_user_pool_keys_done_fn done, void *ctx, struct api_error *err);
void api_user_pool_jwks_cancel(struct api_user_pool_keys_get *g);

#endif
