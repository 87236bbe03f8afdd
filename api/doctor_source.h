/* api/doctor_source.h — the credential doctor's I/O (api/doctor.h): its
 * readers over a real client (cognito-identity calls, IAM through
 * api/iam.h, the user pools' key sets through api/user_pool.h), and the
 * live step, which asks the service itself.
 */
#ifndef API_DOCTOR_SOURCE_H
#define API_DOCTOR_SOURCE_H

#include "api/client.h"
#include "api/config.h"
#include "api/doctor.h"
#include "api/error.h"

/* The source over `client` (cognito-identity) and, made on first need, an
 * IAM client and key-set fetches for `cfg` (both borrowed; they must outlive
 * the source). Free it with api_doctor_source_close(). */
int api_doctor_source_open(struct api_doctor_source *src, struct api_client *client,
                           const struct api_config *cfg, struct api_error *err);
void api_doctor_source_close(struct api_doctor_source *src);

/* Called by the live step after each call that was sent (a success, or
 * err->sent), before its input and answer are wiped, so the caller can
 * journal the change (GetId and GetOpenIdTokenForDeveloperIdentity create
 * identities). `output` is NULL on failure; err has the request id. The
 * input holds the login token: take only ids from it. */
typedef void (*api_doctor_sent_fn)(void *ctx, const char *operation, json_object *input,
                                   json_object *output, const struct api_error *err);

/* The live step after api_doctor_run(): returns 0 with the live step filled
 * (the service's refusal is a failed step, not an error), or -1 with err for
 * what stops it before the service answers (read-only guard, transport,
 * credentials). `sent` may be NULL. */
int api_doctor_live(struct api_client *client, const char *pool_id,
                    const struct api_doctor_login *login, struct api_doctor_report *r,
                    api_doctor_sent_fn sent, void *sent_ctx, struct api_error *err);

/* The live step in pieces, for a caller that sends the calls itself (the
 * console, without waiting); api_doctor_live() is these over blocking calls.
 *  1. api_doctor_live_first(): the first call's input (new; it holds the
 *     login: free it with api_doctor_live_input_put()) and, in *operation,
 *     GetId or, for a developer user, GetOpenIdTokenForDeveloperIdentity.
 *     Neither is safe to repeat: never send it again after an unknown outcome.
 *  2. On its answer, api_doctor_live_identity(): the identity id and (a
 *     developer user) the OpenID token, malloc'd (the token is a secret:
 *     wipe it); -1 with err when the answer has no IdentityId. Free the
 *     answer with api_doctor_live_answer_put() (it wipes tokens and keys).
 *  3. api_doctor_live_second(): GetCredentialsForIdentity's input (free it
 *     the same way).
 *  4. api_doctor_live_record() with the error that ended it (kind
 *     API_ERR_NONE when GetCredentialsForIdentity gave credentials), `step`
 *     the call it came from, `identity` (NULL when none): fills the live
 *     step and the verdict as api_doctor_live() does, returning 0, or -1
 *     with err when the failure came before the service answered (no
 *     verdict then; the report is left as it was). */
json_object *api_doctor_live_first(const char *pool_id, const struct api_doctor_login *login,
                                   const struct api_doctor_report *r, const char **operation);
int api_doctor_live_identity(const char *first, json_object *answer, char **identity,
                             char **dev_token, struct api_error *err);
json_object *api_doctor_live_second(const struct api_doctor_login *login, const char *identity,
                                    const char *dev_token);
void api_doctor_live_input_put(json_object *in);
void api_doctor_live_answer_put(json_object *out);
int api_doctor_live_record(struct api_doctor_report *r, const char *first, const char *step,
                           const char *identity, const struct api_error *e, struct api_error *err);

#endif
