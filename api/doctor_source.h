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

#endif
