/* api/endpoint.h — which URL a service is called at, as the AWS CLI v2 decides.
 *
 * OWNER: the config/credentials work.
 *
 * Order (the first one set wins):
 *   1. the command line (`--endpoint-url`; only for cognito-identity)
 *   2. AWS_ENDPOINT_URL_<SERVICE>          (AWS_ENDPOINT_URL_COGNITO_IDENTITY, _STS, _SSO,
 * _SSO_OIDC)
 *   3. AWS_ENDPOINT_URL
 *   4. the profile's `services = NAME` → `[services NAME]` → `<service_key> =`
 *      → indented `endpoint_url = ...`
 *   5. the profile's `endpoint_url`
 *   6. the default, built from the region (e.g. https://cognito-identity.<region>.amazonaws.com;
 *      for a global service such as IAM, the host of the region's partition:
 *      https://iam.amazonaws.com, https://iam.cn-north-1.amazonaws.com.cn, ...)
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (or, when that variable is unset,
 * the profile's `ignore_configured_endpoint_urls = true`) skips 2–5; never 1.
 * Whatever the URL, requests are signed for the configured region.
 */
#ifndef API_ENDPOINT_H
#define API_ENDPOINT_H

#include "api/error.h"
#include "api/ini.h"

struct api_endpoint_service {
    const char *env_suffix;   /* "COGNITO_IDENTITY": AWS_ENDPOINT_URL_<env_suffix> */
    const char *services_key; /* "cognito_identity": the key in a [services] section */
    const char *host_prefix;  /* "cognito-identity": https://<host_prefix>.<region>.amazonaws.com */
    /* For a global service: the default host is this member of the region's
     * partition (api/arn.h), e.g. iam_host; NULL for regional services. */
    const char *(*global_host)(const char *region);
};

extern const struct api_endpoint_service api_endpoint_cognito_identity;
extern const struct api_endpoint_service api_endpoint_sts;
extern const struct api_endpoint_service api_endpoint_sso;      /* the IAM Identity Center portal */
extern const struct api_endpoint_service api_endpoint_sso_oidc; /* OIDC CreateToken */
extern const struct api_endpoint_service api_endpoint_iam;      /* global: signed for the
                                                                   partition's global_region */
extern const struct api_endpoint_service api_endpoint_cognito_idp; /* user pools: their key sets
                                                                      (api/user_pool.h) */

/* Resolves the endpoint of `svc` for `profile` (files may be NULL: no
 * profile settings). `cli_url` is --endpoint-url or NULL. Returns 0 with
 * *out (malloc'd, caller frees), or -1 with err (API_ERR_CREDENTIALS for a
 * bad setting, naming where it came from). */
int api_endpoint_resolve(const struct api_endpoint_service *svc, const struct aws_files *files,
                         const char *profile, const char *cli_url, const char *region, char **out,
                         struct api_error *err);

/* Checks the shape of an endpoint URL: scheme http or https, a host (name,
 * IPv4 or [IPv6]), an optional port 1–65535, an optional path; no user
 * info, query, fragment, blanks or control characters. `where` names the
 * source in the message (e.g. "AWS_ENDPOINT_URL"). Returns 0 or -1 with err
 * (API_ERR_CREDENTIALS). */
int api_endpoint_validate(const char *url, const char *where, struct api_error *err);

/* Splits an endpoint URL for signing: *host is the Host header value
 * (host[:port], the port only when it is not the scheme's default), *path the
 * request path ("/" when the URL names none) and *url the URL requests go to
 * (scheme://host[:port]path). All three malloc'd, caller frees. Refuses
 * (API_ERR_TRANSPORT) what the transport would refuse (api_http_url_allowed),
 * a query and a user name. Returns 0, or -1 with err and nothing to free. */
int api_endpoint_split(const char *endpoint, char **url, char **host, char **path,
                       struct api_error *err);

/* Whether `region` is a valid host label, as botocore checks a region name:
 * 1–63 letters, digits and hyphens, not starting or ending with a hyphen,
 * not all digits. */
int api_region_valid(const char *region);

#endif
