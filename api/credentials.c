/* api/credentials.c — credentials values: copy, and clear (wiped). */
#include "api/credentials.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

void (*api_credentials_wipe_observer)(const void *mem, size_t len);

static void wipe_string(char **s)
{
    if (*s) {
        size_t n = strlen(*s);
        OPENSSL_cleanse(*s, n);
        if (api_credentials_wipe_observer)
            api_credentials_wipe_observer(*s, n);
        free(*s);
        *s = NULL;
    }
}

void api_credentials_clear(struct api_credentials *c)
{
    wipe_string(&c->access_key_id);
    wipe_string(&c->secret_access_key);
    wipe_string(&c->session_token);
    c->expiration = 0;
}

int api_credentials_copy(struct api_credentials *dst, const struct api_credentials *src,
                         struct api_error *err)
{
    memset(dst, 0, sizeof *dst);
    dst->access_key_id = src->access_key_id ? strdup(src->access_key_id) : NULL;
    dst->secret_access_key = src->secret_access_key ? strdup(src->secret_access_key) : NULL;
    dst->session_token = src->session_token ? strdup(src->session_token) : NULL;
    dst->expiration = src->expiration;
    if ((src->access_key_id && !dst->access_key_id) ||
        (src->secret_access_key && !dst->secret_access_key) ||
        (src->session_token && !dst->session_token)) {
        api_credentials_clear(dst);
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory copying credentials");
    }
    return 0;
}
