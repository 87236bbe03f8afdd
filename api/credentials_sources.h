/* api/credentials_sources.h — constructors of the credentials sources and the
 * chain that orders them. Private to api/ (api/config.c builds the chain).
 *
 * Every constructor copies what it needs: the aws_files it reads are only
 * borrowed for the call. A constructor returns:
 *   - a provider: the source is configured;
 *   - NULL with err->kind == API_ERR_NONE: the source is not configured here
 *     (the chain moves on);
 *   - NULL with err filled: the source is configured but wrongly (both
 *     source_profile and credential_source, a cycle, partial keys, ...).
 */
#ifndef API_CREDENTIALS_SOURCES_H
#define API_CREDENTIALS_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "api/config.h"
#include "api/credentials_provider.h"
#include "api/ini.h"

/* What the sources need from the resolved configuration. All borrowed. */
struct cred_settings {
    const struct aws_files *files;
    const char *profile;   /* the profile in use (instance metadata settings) */
    const char *region;    /* the resolved region (STS calls); may be NULL */
    const char *ca_bundle; /* extra CAs for https calls; may be NULL */
    api_mfa_prompt_fn mfa_prompt;
    void *mfa_ctx;
};

/* The chain for `profile`, as the AWS CLI v2 orders it: environment keys
 * (unless `skip_env`: --profile was given) → assume role → web identity →
 * IAM Identity Center → shared credentials file → credential_process →
 * config file → container → instance metadata. Sources are added in that
 * order up to the first one that is certain to answer; only instance
 * metadata, which may simply not be there, lets the chain go on. Returns
 * NULL with err filled when a configured source is wrong. */
struct api_credentials_provider *cred_chain_new(const struct cred_settings *cs, const char *profile,
                                                bool skip_env, struct api_error *err);

/* When p is a chain: sets *out to the expiry of the credentials of the
 * source that answered (0 before any did) and returns true; otherwise
 * false (api_credentials_expiration() asks this). */
bool cred_chain_expiration(const struct api_credentials_provider *p, time_t *out);

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
struct api_credentials_provider *cred_process_new(const struct aws_files *files,
                                                  const char *profile, struct api_error *err);

/* role_arn + source_profile / credential_source. `visited` are the profiles
 * already on the way here (cycle detection). */
struct api_credentials_provider *cred_assume_role_new(const struct cred_settings *cs,
                                                      const char *profile, const char **visited,
                                                      size_t n_visited, struct api_error *err);

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

/* The credentials a source profile gives (assume role's source_profile):
 * without the environment, container or instance metadata; static keys of
 * the profile win over its own role_arn (so a profile may name itself). */
struct api_credentials_provider *cred_source_profile_new(const struct cred_settings *cs,
                                                         const char *profile, const char **visited,
                                                         size_t n_visited, struct api_error *err);

/* ---- Temporary credentials: cache and refresh ----
 *
 * A source whose credentials expire embeds this first and sets `fetch`.
 * cred_refreshing_get() hands out the cached credentials while more than 15
 * minutes remain; between 15 and 10 minutes it tries to fetch new ones and
 * keeps the old ones if that fails (advisory refresh); under 10 minutes a
 * failed fetch is an error (mandatory refresh). */
#define CRED_ADVISORY_REFRESH_SECONDS  (15 * 60)
#define CRED_MANDATORY_REFRESH_SECONDS (10 * 60)

struct cred_refreshing {
    struct api_credentials_provider base;
    struct api_credentials cached; /* access_key_id NULL when none yet */
    /* Fills *out with fresh credentials. Same contract as get. */
    int (*fetch)(struct cred_refreshing *self, time_t now, struct api_credentials *out,
                 struct api_error *err);
    /* Frees the source's own state (not `cached`, not the struct itself). */
    void (*destroy)(struct cred_refreshing *self);
};

/* Sets up base.ops and the source name. */
void cred_refreshing_init(struct cred_refreshing *r, const char *source);

/* ---- Helpers shared by the sources ---- */

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

#endif
