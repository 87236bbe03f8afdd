/* tests/api/client_fixture.h — what the client tests share: a credentials
 * provider that counts its get() calls, fake clock/sleep/random hooks, and a
 * client pointed at tests/api/fake_server.py. Header-only, test use only. */
#ifndef TESTS_API_CLIENT_FIXTURE_H
#define TESTS_API_CLIENT_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "api/credentials_provider.h"
#include "tests/api/fake_server.h"

/* Test-only keys (not the emulator's, not AWS's documentation keys). */
#define FIX_KEY_ID "AKIDFIXTURE0000TEST"
#define FIX_SECRET "fixture/secret/key/for/unit/tests/only000"
#define FIX_TOKEN  "FIXTURE-SESSION-TOKEN-xyz"

struct counting_provider {
    struct api_credentials_provider base;
    struct api_credentials_provider *inner;
    int gets;
};

static inline int counting_get(struct api_credentials_provider *p, time_t now,
                               struct api_credentials *out, struct api_error *err)
{
    struct counting_provider *cp = (struct counting_provider *)p;
    cp->gets++;
    return api_credentials_get(cp->inner, now, out, err);
}

static inline void counting_free(struct api_credentials_provider *p)
{
    struct counting_provider *cp = (struct counting_provider *)p;
    api_credentials_provider_free(cp->inner);
    free(cp);
}

static const struct api_credentials_provider_ops counting_ops = {.get = counting_get,
                                                                 .free = counting_free};

static inline struct counting_provider *counting_new(bool with_token)
{
    struct api_credentials c = {(char *)FIX_KEY_ID, (char *)FIX_SECRET,
                                with_token ? (char *)FIX_TOKEN : NULL, 0};
    struct api_error err;
    struct counting_provider *cp = calloc(1, sizeof *cp);
    cp->inner = api_credentials_static_new(&c, "test", &err);
    cp->base.ops = &counting_ops;
    strcpy(cp->base.source, "counting");
    return cp;
}

struct hooks {
    time_t now;
    double rand;
    long sleeps[64];
    int n_sleeps;
};

static inline time_t hook_clock(void *ctx)
{
    return ((struct hooks *)ctx)->now;
}

static inline void hook_sleep(void *ctx, long ms)
{
    struct hooks *h = ctx;
    if (h->n_sleeps < 64)
        h->sleeps[h->n_sleeps] = ms;
    h->n_sleeps++;
}

static inline double hook_random(void *ctx)
{
    return ((struct hooks *)ctx)->rand;
}

static inline struct api_client *fixture_client(struct fake_server *fs,
                                                struct counting_provider *cp, struct hooks *h,
                                                bool read_only, int max_attempts)
{
    struct api_client_options o = {0};
    struct api_error err;
    o.region = "us-east-1";
    o.endpoint_url = fs->url;
    o.read_only = read_only;
    o.max_attempts = max_attempts;
    o.timeout_ms = 20000;
    o.credentials = cp ? &cp->base : NULL;
    o.clock = hook_clock;
    o.sleep = hook_sleep;
    o.random = hook_random;
    o.hook_ctx = h;
    return api_client_new(&o, &err);
}

#endif
