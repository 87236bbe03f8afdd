#include "api/credentials.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/credentials_provider.h"

static void wipe_string(char **s)
{
    if (*s) {
        OPENSSL_cleanse(*s, strlen(*s));
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

int api_credentials_get(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
                        struct api_error *err)
{
    if (!p)
        return api_error_set(err, API_ERR_CREDENTIALS, "no credentials configured");
    return p->ops->get(p, now, out, err);
}

const char *api_credentials_source(const struct api_credentials_provider *p)
{
    return p ? p->source : "none";
}

void api_credentials_provider_free(struct api_credentials_provider *p)
{
    if (p)
        p->ops->free(p);
}

struct static_provider {
    struct api_credentials_provider base;
    struct api_credentials creds;
};

static int static_get(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
                      struct api_error *err)
{
    struct static_provider *sp = (struct static_provider *)p;

    if (sp->creds.expiration && sp->creds.expiration <= now)
        return api_error_set(err, API_ERR_CREDENTIALS, "the %s credentials have expired",
                             p->source);
    return api_credentials_copy(out, &sp->creds, err);
}

static void static_free(struct api_credentials_provider *p)
{
    struct static_provider *sp = (struct static_provider *)p;

    api_credentials_clear(&sp->creds);
    free(sp);
}

static const struct api_credentials_provider_ops static_ops = {static_get, static_free};

struct api_credentials_provider *api_credentials_static_new(const struct api_credentials *c,
                                                            const char *source,
                                                            struct api_error *err)
{
    struct static_provider *sp = calloc(1, sizeof *sp);

    if (!sp) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    if (!c->access_key_id || !c->secret_access_key || !c->access_key_id[0] ||
        !c->secret_access_key[0]) {
        free(sp);
        api_error_set(err, API_ERR_CREDENTIALS,
                      "%s credentials need both an access key id and a secret access key", source);
        return NULL;
    }
    if (api_credentials_copy(&sp->creds, c, err) != 0) {
        free(sp);
        return NULL;
    }
    sp->base.ops = &static_ops;
    snprintf(sp->base.source, sizeof sp->base.source, "%s", source);
    return &sp->base;
}
