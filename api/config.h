/* api/config.h — settings: profile, region, endpoint, read-only, retries, CA
 * bundle and the credentials provider, resolved like the AWS CLI v2 does.
 *
 * OWNER: the config/credentials work.
 *
 * Contract: api_config_resolve() reads the environment (getenv) and the
 * shared config and credentials files; it never prompts and never touches the
 * network (credential sources that need the network or a process do so
 * lazily, when credentials are asked for: api/credentials.h). The result
 * owns everything it points to; free it with api_config_free(). It also
 * keeps secrets out of core dumps from then on: the process is made
 * non-dumpable and RLIMIT_CORE set to 0 (silently; nothing is printed).
 */
#ifndef API_CONFIG_H
#define API_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "api/credentials.h"
#include "api/error.h"
#include "api/mfa.h"

/* What the command line said; NULL = not given. */
struct api_config_options {
    const char *profile;      /* --profile */
    const char *region;       /* --region */
    const char *endpoint_url; /* --endpoint-url */
    bool read_only;           /* --read-only */
    /* An assumed role's MFA code (api/mfa.h): the synchronous prompt (the
     * blocking wrappers, and whenever mfa_ask.ask is NULL) and the
     * asynchronous asker (the console). Both NULL: a profile with
     * mfa_serial fails with a clear error. Neither is called from
     * api_config_resolve(). */
    api_mfa_prompt_fn mfa_prompt;
    void *mfa_ctx;
    struct api_mfa_asker mfa_ask;
};

/* retry_mode (the SDKs' setting; "legacy" runs as standard here). */
enum api_retry_mode {
    API_RETRY_MODE_STANDARD = 0,
    API_RETRY_MODE_ADAPTIVE, /* client-side rate limiting: api/rate_limiter.h */
};

/* What is learnt about a config after it was resolved, kept with it so
 * that functions taking a const config can remember it. */
struct api_config_cache {
    char account_id[16]; /* api_account_id() (api/account.h); "" until known */
};

struct api_config {
    char *profile;      /* name in use ("default" when none was named) */
    char *region;       /* never NULL on success */
    char *endpoint_url; /* resolved endpoint (never NULL on success) */
    char *ca_bundle;    /* AWS_CA_BUNDLE / ca_bundle, or NULL */
    bool read_only;     /* --read-only, COGNITO_TUI_READ_ONLY=1 or cognito_tui_read_only = true */
    int max_attempts;   /* AWS_MAX_ATTEMPTS / max_attempts; 3 when unset */
    enum api_retry_mode retry_mode; /* AWS_RETRY_MODE / retry_mode; standard when unset */
    struct api_credentials_provider *credentials;
    struct api_config_cache *cache; /* made by api_config_resolve(); NULL = no caching */
};

/* Order (AWS CLI v2):
 *  - profile: --profile, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else
 *    "default". A profile named by the first three that is in neither file
 *    is an error; "default" need not exist.
 *  - region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's
 *    `region`. None, or not a valid region name, is an error.
 *  - endpoint_url: api/endpoint.h.
 *  - read_only: --read-only, COGNITO_TUI_READ_ONLY (1/true/yes on,
 *    0/false/no/empty off), the profile's `cognito_tui_read_only`; any of
 *    them switches it on, none switches it off (fails closed). For the
 *    profile, every section that may be its own counts (api/ini.h
 *    aws_profile_each(): both files, every spelling of the section, not
 *    only the one the other settings come from), and a bad value in any of
 *    them is an error.
 *  - max_attempts: AWS_MAX_ATTEMPTS, the profile's `max_attempts` (a whole
 *    number from 1 to 100).
 *  - retry_mode: AWS_RETRY_MODE, the profile's `retry_mode`: standard,
 *    adaptive or legacy (run as standard); anything else is an error.
 *  - ca_bundle: AWS_CA_BUNDLE, the profile's `ca_bundle` (`~` expanded).
 *  - credentials: the chain of api/credentials_resolve.h; --profile skips
 *    the environment's keys. Sources that need the network or a process are
 *    only contacted when credentials are asked for (api/credentials.h).
 * `opt` may be NULL (nothing given on the command line).
 * Returns 0, or -1 with err filled (API_ERR_CREDENTIALS for an unknown profile
 * or a bad file, naming the file and line; a bad setting, naming it and
 * where it came from). */
int api_config_resolve(const struct api_config_options *opt, struct api_config *out,
                       struct api_error *err);

void api_config_free(struct api_config *cfg);

#endif
