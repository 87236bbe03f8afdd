/* api/user_pool.c — user pools as login providers (api/user_pool.h). */
#include "api/user_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

struct api_jwks *api_user_pool_jwks_fetch(const char *url, const char *ca_bundle,
                                          struct api_error *err)
{
    static const struct api_http_header accept[] = {{"Accept", "application/json"}};
    struct api_http_request rq = {.method = "GET",
                                  .url = url,
                                  .headers = accept,
                                  .n_headers = 1,
                                  .connect_timeout_ms = 5000,
                                  .timeout_ms = 10000,
                                  .ca_bundle = ca_bundle,
                                  .max_body = 1024 * 1024};
    struct api_http_response resp = {0};
    if (api_http_request(&rq, &resp, err) != 0)
        return NULL;
    struct api_jwks *ks = NULL;
    if (resp.status != 200)
        api_error_set(err, API_ERR_HTTP, "the key set at %.300s answered HTTP %ld", url,
                      resp.status);
    else
        ks = api_jwks_parse(resp.body, resp.body_len, err);
    api_http_response_free(&resp);
    return ks;
}
