/* api/config.h — settings: profile, region, endpoint, read-only, retries, CA
 * bundle and the credentials provider, resolved like the AWS CLI v2 does.
 *
 * OWNER: the config/credentials work.
 *
 * Contract: api_config_resolve() reads the environment (getenv) and the
 * shared config and credentials files; it never prompts and never touches the
 * network (credential sources that need the network do so lazily, inside
 * api_credentials_get()). The result owns everything it points to; free it
 * with api_config_free().
 */
#ifndef API_CONFIG_H
#define API_CONFIG_H

#include <stdbool.h>

#include "api/credentials.h"
#include "api/error.h"

/* What the command line said; NULL = not given. */
struct api_config_options {
    const char *profile;      /* --profile */
    const char *region;       /* --region */
    const char *endpoint_url; /* --endpoint-url */
    bool read_only;           /* --read-only */
};

struct api_config {
    char *profile;      /* name in use ("default" when none was named) */
    char *region;       /* never NULL on success */
    char *endpoint_url; /* resolved endpoint (never NULL on success) */
    char *ca_bundle;    /* AWS_CA_BUNDLE / ca_bundle, or NULL */
    bool read_only;     /* --read-only, COGNITO_TUI_READ_ONLY=1 or cognito_tui_read_only = true */
    int max_attempts;   /* AWS_MAX_ATTEMPTS / max_attempts; 3 when unset */
    struct api_credentials_provider *credentials;
};

/* Returns 0, or -1 with err filled (API_ERR_CREDENTIALS for an unknown profile
 * or a bad file, naming the file and line). */
int api_config_resolve(const struct api_config_options *opt, struct api_config *out,
                       struct api_error *err);

void api_config_free(struct api_config *cfg);

#endif
