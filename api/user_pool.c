/* api/user_pool.c — user pools as login providers (api/user_pool.h). */
#include "api/user_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/credentials_loop.h"
#include "api/credentials_provider.h"
#include "api/endpoint.h"
#include "api/ini.h"
#include "api/transport.h"

#define PREFIX "cognito-idp."
#define SUFFIX ".amazonaws.com/"

bool api_user_pool_of_provider(const char *provider, char *region, size_t region_size,
                               char *pool_id, size_t pool_size)
{
    if (!provider || strncmp(provider, PREFIX, strlen(PREFIX)) != 0)
        return false;
    const char *r = provider + strlen(PREFIX);
    const char *suffix = strstr(r, SUFFIX);
    if (!suffix)
        return false;
    size_t rlen = (size_t)(suffix - r);
    const char *pool = suffix + strlen(SUFFIX);
    size_t plen = strlen(pool);
    /* The pool id is the Region, '_', then letters and digits. */
    if (rlen == 0 || rlen >= region_size || rlen >= 32 || plen >= pool_size || plen <= rlen + 1 ||
        strncmp(pool, r, rlen) != 0 || pool[rlen] != '_')
        return false;
    for (size_t i = rlen + 1; i < plen; i++) {
        char c = pool[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    memcpy(region, r, rlen);
    region[rlen] = '\0';
    if (!api_region_valid(region))
        return false;
    memcpy(pool_id, pool, plen + 1);
    return true;
}

int api_user_pool_jwks_url(const char *provider, const char *profile, char **url,
                           struct api_error *err)
{
    char region[32], pool[64];
    *url = NULL;
    if (!api_user_pool_of_provider(provider, region, sizeof region, pool, sizeof pool))
        return api_error_set(err, API_ERR_INVALID_INPUT, "'%.200s' is not a user pool provider",
                             provider ? provider : "");
    struct aws_files files;
    if (aws_files_load(&files, err) != 0)
        return -1;
    char *endpoint = NULL;
    int rc = api_endpoint_resolve(&api_endpoint_cognito_idp, &files, profile, NULL, region,
                                  &endpoint, err);
    aws_files_free(&files);
    if (rc != 0)
        return -1;
    size_t n = strlen(endpoint);
    while (n > 0 && endpoint[n - 1] == '/')
        endpoint[--n] = '\0';
    size_t size = n + strlen(pool) +
                  sizeof "/"
                         "/.well-known/jwks.json";
    *url = malloc(size);
    if (!*url) {
        free(endpoint);
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    }
    snprintf(*url, size, "%s/%s/.well-known/jwks.json", endpoint, pool);
    free(endpoint);
    return 0;
}

static const struct api_http_header accept_json[] = {{"Accept", "application/json"}};

/* The key set GET, both ways. */
static struct api_http_request jwks_request(const char *url, const char *ca_bundle)
{
    return (struct api_http_request){.method = "GET",
                                     .url = url,
                                     .headers = accept_json,
                                     .n_headers = 1,
                                     .connect_timeout_ms = 5000,
                                     .timeout_ms = 10000,
                                     .ca_bundle = ca_bundle,
                                     .max_body = 1024 * 1024};
}

/* 0 for a status 200, else -1 with err. */
static int jwks_status(const char *url, const struct api_http_response *resp, struct api_error *err)
{
    if (resp->status == 200)
        return 0;
    return api_error_set(err, API_ERR_HTTP, "the key set at %.300s answered HTTP %ld", url,
                         resp->status);
}

struct api_jwks *api_user_pool_jwks_fetch(const char *url, const char *ca_bundle,
                                          struct api_error *err)
{
    struct api_http_request rq = jwks_request(url, ca_bundle);
    struct api_http_response resp = {0};
    if (api_http_request(&rq, &resp, err) != 0)
        return NULL;
    struct api_jwks *ks = NULL;
    if (jwks_status(url, &resp, err) == 0)
        ks = api_jwks_parse(resp.body, resp.body_len, err);
    api_http_response_free(&resp);
    return ks;
}

struct api_user_pool_keys_get {
    struct api_transfer *xfer;
    char *url;
    api_user_pool_keys_done_fn done;
    void *ctx;
};

static void keys_answered(void *ctx, struct api_http_response *resp, const struct api_error *terr)
{
    struct api_user_pool_keys_get *g = ctx;
    struct api_error err;
    if (terr->kind != API_ERR_NONE)
        g->done(g->ctx, NULL, 0, terr);
    else if (jwks_status(g->url, resp, &err) != 0)
        g->done(g->ctx, NULL, 0, &err);
    else
        g->done(g->ctx, resp->body, resp->body_len, terr);
    api_http_response_free(resp);
    free(g->url);
    free(g);
}

struct api_user_pool_keys_get *
api_user_pool_jwks_start(struct api_credentials_provider *credentials, const char *url,
                         api_user_pool_keys_done_fn done, void *ctx, struct api_error *err)
{
    struct cred_loop *loop = credentials ? cred_provider_loop(credentials) : NULL;
    struct api_user_pool_keys_get *g = loop ? calloc(1, sizeof *g) : NULL;
    if (!g || !(g->url = strdup(url))) {
        free(g);
        api_error_set(err, API_ERR_CREDENTIALS,
                      loop ? "out of memory" : "no loop to fetch the key set on");
        return NULL;
    }
    g->done = done;
    g->ctx = ctx;
    struct api_http_request rq = jwks_request(url, NULL);
    g->xfer = cred_loop_http(loop, &rq, keys_answered, g, err);
    if (!g->xfer) {
        free(g->url);
        free(g);
        return NULL;
    }
    return g;
}

void api_user_pool_jwks_cancel(struct api_user_pool_keys_get *g)
{
    if (!g)
        return;
    api_transfer_cancel(g->xfer);
    free(g->url);
    free(g);
}
