/* api/credentials_sources.h — the credentials sources, the chain that
 * orders them, and what they share. Private to api/. Which sources make up
 * a profile's chain, and in what order, is api/credentials_resolve.c's
 * business alone; each source here is a leaf that knows only itself.
 *
 * Every constructor copies what it needs: the aws_files it reads are only
 * borrowed for the call. A constructor returns:
 *   - a provider: the source is configured;
 *   - NULL with err->kind == API_ERR_NONE: the source is not configured here
 *     (the chain moves on);
 *   - NULL with err filled: the source is configured but wrongly (partial
 *     keys, a bad duration, ...).
 * Sources that fetch (everything but the static ones) run on cs->loop.
 */
#ifndef API_CREDENTIALS_SOURCES_H
#define API_CREDENTIALS_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "api/credentials_refresh.h"
#include "api/ini.h"
#include "api/mfa.h"

/* What the sources need from the resolved configuration. All borrowed. */
struct cred_settings {
    const struct aws_files *files;
    const char *profile;    /* the profile in use (instance metadata settings) */
    const char *region;     /* the resolved region (STS calls); may be NULL */
    const char *ca_bundle;  /* extra CAs for https calls; may be NULL */
    struct cred_loop *loop; /* where fetches run (the chain's) */
    api_mfa_prompt_fn mfa_prompt;
    void *mfa_ctx;
    struct api_mfa_asker mfa_asker; /* ask NULL: none */
};

/* ---- The chain (api/credentials_chain.c) ---- */

/* A provider asking `sources` (taken over, `n` of them, in order) until one
 * answers, then only that one. A source answering CRED_NOT_AVAILABLE lets
 * it go on; any other failure is the answer. `loop` (may be NULL) is taken
 * over too: the chain frees it last. `looked_at` says what was searched,
 * for "no credentials found". Returns NULL with err (the sources and loop
 * are freed then). */
struct api_credentials_provider *cred_chain_new(const char *profile,
                                                struct api_credentials_provider **sources, size_t n,
                                                struct cred_loop *loop, const char *looked_at,
                                                struct api_error *err);

/* ---- The sources (one file each) ---- */

/* AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. */
struct api_credentials_provider *cred_env_new(struct api_error *err);

/* aws_access_key_id / aws_secret_access_key / aws_session_token of the
 * profile's section in one file (`in_credentials_file` picks which). */
struct api_credentials_provider *cred_profile_file_new(const struct aws_files *files,
                                                       const char *profile,
                                                       bool in_credentials_file,
                                                       struct api_error *err);

/* The profile's credential_process. */
struct api_credentials_provider *cred_process_new(const struct cred_settings *cs,
                                                  const char *profile, struct api_error *err);

/* role_arn of `profile`, assumed with the credentials `source` gives (taken
 * over, freed with it; api/credentials_resolve.c picks it from
 * source_profile or credential_source). The profile's own settings:
 * duration_seconds, external_id, role_session_name, mfa_serial. */
struct api_credentials_provider *cred_assume_role_new(const struct cred_settings *cs,
                                                      const char *profile,
                                                      struct api_credentials_provider *source,
                                                      struct api_error *err);

/* web_identity_token_file + role_arn (profile), or AWS_WEB_IDENTITY_TOKEN_FILE
 * + AWS_ROLE_ARN (environment, each variable winning over its setting, unless
 * `use_env` is false: --profile was given, or this is a source profile). */
struct api_credentials_provider *cred_web_identity_new(const struct cred_settings *cs,
                                                       const char *profile, bool use_env,
                                                       struct api_error *err);

/* sso_session / sso_start_url profiles. */
struct api_credentials_provider *cred_sso_new(const struct cred_settings *cs, const char *profile,
                                              struct api_error *err);

/* AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI. `required`: configured
 * by credential_source = EcsContainer, so the variables must be there. */
struct api_credentials_provider *cred_container_new(const struct cred_settings *cs, bool required,
                                                    struct api_error *err);

/* EC2 instance metadata, unless AWS_EC2_METADATA_DISABLED=true. `required`:
 * credential_source = Ec2InstanceMetadata (an unreachable service is then an
 * error, not "try the next source"). */
struct api_credentials_provider *cred_imds_new(const struct cred_settings *cs, bool required,
                                               struct api_error *err);

/* ---- What sources read from outside, callable alone (fuzz/credentials_json.c) ---- */

/* A credential_process's stdout (`len` bytes): JSON Version 1 with
 * AccessKeyId, SecretAccessKey, SessionToken?, Expiration?. Returns 0 with
 * *out, or -1 with err prefixed by `what` (never quoting the text). */
int cred_process_answer(const char *text, size_t len, const char *what, struct api_credentials *out,
                        struct api_error *err);

/* An IAM Identity Center token cache file: *cache (put it with
 * cred_json_put_wiped; set whenever the text is a JSON object, even on
 * failure), the access token's expiry, and whether it can be refreshed
 * (refreshToken, clientId, clientSecret, a registration not expired at
 * `now`). Returns 0, or -1 with err (no accessToken, no valid expiresAt, not
 * JSON). */
int cred_sso_cache_parse(const char *text, size_t len, const char *what, time_t now,
                         json_object **cache, time_t *expires, bool *refreshable,
                         struct api_error *err);

/* The body of a 200 GetRoleCredentials answer: roleCredentials with
 * accessKeyId, secretAccessKey, sessionToken?, expiration (epoch ms). */
int cred_sso_role_credentials(const char *body, size_t len, struct api_credentials *out,
                              struct api_error *err);

/* ---- What the sources share (api/credentials_answer.c) ---- */

/* Parses an ISO 8601 UTC time ("2026-11-24T16:05:00Z"; fractional seconds,
 * "+00:00" and botocore's "UTC" suffix accepted; no other zone). Returns 0
 * with *out, -1 when malformed or NULL. */
int cred_parse_time(const char *text, time_t *out);

/* Wipes and frees a string (NULL is fine). */
void cred_wipe_free(char *s);

/* strdup that records failure in *oom. */
char *cred_strdup(const char *s, bool *oom);

/* Parses a JSON object answer. Errors say what is wrong but never quote the
 * text (it may hold secrets). Returns NULL with err filled. */
json_object *cred_json_parse(const char *text, size_t len, const char *what, struct api_error *err);

/* Wipes every string in the tree (they may be secrets), then puts it. */
void cred_json_put_wiped(json_object *o);

/* Reads credentials from a JSON object: the id and secret are required, the
 * token (key may be NULL) optional, the expiration (ISO 8601, key may be
 * NULL) optional. `what` prefixes errors. */
int cred_from_json(json_object *o, const char *id_key, const char *secret_key,
                   const char *token_key, const char *expiration_key, const char *what,
                   struct api_credentials *out, struct api_error *err);

/* Prefixes err->message with the formatted text and ": ". */
void cred_error_prefix(struct api_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
