/* api/credentials_provider.h — how a credentials source plugs into the chain.
 * Private to api/: each source (static, environment, file, assume role, SSO,
 * process, container, instance metadata) is a struct whose first member is a
 * struct api_credentials_provider, with its own ops table.
 */
#ifndef API_CREDENTIALS_PROVIDER_H
#define API_CREDENTIALS_PROVIDER_H

#include "api/credentials.h"

/* A source's get() may also return this (with err saying why) when the
 * source is simply not there (no instance metadata service): the chain then
 * tries the next source. api_credentials_get() reports it as -1. */
#define CRED_NOT_AVAILABLE 1

struct api_credentials_provider_ops {
    /* Same contract as api_credentials_get(), plus CRED_NOT_AVAILABLE. */
    int (*get)(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
               struct api_error *err);
    /* Wipes every secret the provider holds and frees it. */
    void (*free)(struct api_credentials_provider *p);
};

struct api_credentials_provider {
    const struct api_credentials_provider_ops *ops;
    char source[64]; /* api_credentials_source() */
};

#endif
