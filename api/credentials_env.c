/* api/credentials_env.c — AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. */
#include <stdlib.h>

#include "api/credentials_sources.h"

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] ? v : NULL;
}

struct api_credentials_provider *cred_env_new(struct api_error *err)
{
    const char *id = env_nonempty("AWS_ACCESS_KEY_ID");
    const char *secret = env_nonempty("AWS_SECRET_ACCESS_KEY");
    const char *token = env_nonempty("AWS_SESSION_TOKEN");
    struct api_credentials c = {0};

    api_error_clear(err);
    if (!id && !secret)
        return NULL; /* not configured here */
    if (!id || !secret) {
        api_error_set(err, API_ERR_CREDENTIALS,
                      "environment: %s is set but %s is not (set both, or neither)",
                      id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                      id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
        return NULL;
    }
    /* Borrowed pointers: api_credentials_static_new() copies them. */
    c.access_key_id = (char *)id;
    c.secret_access_key = (char *)secret;
    c.session_token = (char *)token;
    return api_credentials_static_new(&c, "env", err);
}
