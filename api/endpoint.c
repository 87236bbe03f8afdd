#include "api/endpoint.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "api/arn.h"
#include "api/transport.h"

static const char *iam_host(const char *region)
{
    return api_partition_of_region(region)->iam_host;
}

const struct api_endpoint_service api_endpoint_cognito_identity = {
    "COGNITO_IDENTITY", "cognito_identity", "cognito-identity", NULL};
const struct api_endpoint_service api_endpoint_sts = {"STS", "sts", "sts", NULL};
const struct api_endpoint_service api_endpoint_sso = {"SSO", "sso", "portal.sso", NULL};
const struct api_endpoint_service api_endpoint_sso_oidc = {"SSO_OIDC", "sso_oidc", "oidc", NULL};
const struct api_endpoint_service api_endpoint_iam = {"IAM", "iam", "iam", iam_host};
const struct api_endpoint_service api_endpoint_cognito_idp = {"COGNITO_IDP", "cognito_idp",
                                                              "cognito-idp", NULL};

int api_region_valid(const char *region)
{
    size_t n = strlen(region);
    bool all_digits = true;

    if (n == 0 || n > 63 || region[0] == '-' || region[n - 1] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)region[i];
        if (!isalnum(c) && c != '-')
            return 0;
        if (!isdigit(c))
            all_digits = false;
    }
    return !all_digits;
}

static int bad_url(struct api_error *err, const char *where, const char *url, const char *why)
{
    return api_error_set(err, API_ERR_CREDENTIALS, "endpoint URL \"%.300s\" from %s: %s", url,
                         where, why);
}

int api_endpoint_validate(const char *url, const char *where, struct api_error *err)
{
    const char *p, *host, *host_end;

    for (p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return bad_url(err, where, url, "contains a blank or a control character");
    if (strncasecmp(url, "https://", 8) == 0)
        host = url + 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        host = url + 7;
    else
        return bad_url(err, where, url, "must start with https:// (or http://)");
    if (*host == '[') {
        host_end = strchr(host, ']');
        if (!host_end || host_end == host + 1)
            return bad_url(err, where, url, "bad [IPv6] host");
        for (p = host + 1; p < host_end; p++)
            if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
                return bad_url(err, where, url, "bad [IPv6] host");
        p = host_end + 1;
    } else {
        for (p = host; *p && *p != ':' && *p != '/'; p++) {
            if (*p == '@')
                return bad_url(err, where, url, "user names or passwords do not belong in it");
            if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
                return bad_url(err, where, url, "the host has a character a host cannot have");
        }
        if (p == host)
            return bad_url(err, where, url, "no host");
    }
    if (*p == ':') {
        long port = 0;
        const char *digits = ++p;
        while (isdigit((unsigned char)*p) && port <= 65535)
            port = port * 10 + (*p++ - '0');
        if (p == digits || port < 1 || port > 65535 || (*p && *p != '/'))
            return bad_url(err, where, url, "the port must be a number from 1 to 65535");
    }
    if (*p && *p != '/')
        return bad_url(err, where, url, "unexpected text after the host");
    if (strpbrk(p, "?#"))
        return bad_url(err, where, url, "a query or fragment does not belong in an endpoint");
    return 0;
}

static bool env_true(const char *name)
{
    const char *v = getenv(name);
    return v && strcasecmp(v, "true") == 0;
}

/* Copies `url` to *out after checking it; `where` names its source. */
static int take(const char *url, const char *where, char **out, struct api_error *err)
{
    if (api_endpoint_validate(url, where, err) != 0)
        return -1;
    *out = strdup(url);
    return *out ? 0 : api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
}

static int ignore_configured(const struct aws_files *files, const char *profile, bool *ignore,
                             struct api_error *err)
{
    const char *env = getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    struct aws_setting s;
    char what[600];

    *ignore = false;
    if (env && env[0]) {
        *ignore = env_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
        return 0;
    }
    if (files && aws_profile_get(files, profile, "ignore_configured_endpoint_urls", &s)) {
        snprintf(what, sizeof what, "%s line %d: ignore_configured_endpoint_urls", s.file, s.line);
        return aws_parse_bool(s.value, what, ignore, err);
    }
    return 0;
}

int api_endpoint_resolve(const struct api_endpoint_service *svc, const struct aws_files *files,
                         const char *profile, const char *cli_url, const char *region, char **out,
                         struct api_error *err)
{
    char env_name[96], where[700];
    const char *v;
    bool ignore;
    struct aws_setting s;

    *out = NULL;
    if (cli_url)
        return take(cli_url, "--endpoint-url", out, err);
    if (ignore_configured(files, profile, &ignore, err) != 0)
        return -1;
    if (!ignore) {
        snprintf(env_name, sizeof env_name, "AWS_ENDPOINT_URL_%s", svc->env_suffix);
        if ((v = getenv(env_name)) && v[0])
            return take(v, env_name, out, err);
        if ((v = getenv("AWS_ENDPOINT_URL")) && v[0])
            return take(v, "AWS_ENDPOINT_URL", out, err);
        if (files && aws_profile_get(files, profile, "services", &s)) {
            const struct ini_section *sec = aws_config_section(files, "services", s.value);
            const struct ini_entry *svc_entry = ini_entry_find(sec, svc->services_key);
            const struct ini_entry *url = ini_sub_find(svc_entry, "endpoint_url");
            if (!sec)
                return api_error_set(err, API_ERR_CREDENTIALS,
                                     "%s line %d: profile %s names services \"%.200s\" but %s has "
                                     "no [services %.200s] section",
                                     s.file, s.line, profile, s.value, files->config.path, s.value);
            if (url) {
                snprintf(where, sizeof where, "%s line %d ([services %s] %s)", files->config.path,
                         url->line, s.value, svc->services_key);
                return take(url->value, where, out, err);
            }
        }
        if (files && aws_profile_get(files, profile, "endpoint_url", &s)) {
            snprintf(where, sizeof where, "%s line %d (profile %s)", s.file, s.line, profile);
            return take(s.value, where, out, err);
        }
    }
    if (!region || !api_region_valid(region))
        return api_error_set(err, API_ERR_CREDENTIALS, "no valid region to build the %s endpoint",
                             svc->services_key);
    int n = svc->global_host
                ? asprintf(out, "https://%s", svc->global_host(region))
                : asprintf(out, "https://%s.%s.amazonaws.com", svc->host_prefix, region);
    if (n < 0) {
        *out = NULL;
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    }
    return 0;
}

int api_endpoint_split(const char *endpoint, char **url, char **host, char **path,
                       struct api_error *err)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *h = NULL, *port = NULL, *p = NULL, *query = NULL, *user = NULL;
    int rc = -1;

    *url = *host = *path = NULL;
    if (!u)
        return api_error_set(err, API_ERR_TRANSPORT, "out of memory");
    if (api_http_url_allowed(endpoint, NULL, 0, err) != 0)
        goto out;
    curl_url_set(u, CURLUPART_URL, endpoint, 0);
    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
    curl_url_get(u, CURLUPART_HOST, &h, 0);
    curl_url_get(u, CURLUPART_PORT, &port, 0); /* only when the URL names one */
    curl_url_get(u, CURLUPART_PATH, &p, 0);
    if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
        curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
        api_error_set(err, API_ERR_TRANSPORT,
                      "the endpoint URL must not carry a query or user name: %.200s", endpoint);
        goto out;
    }
    if (!scheme || !h) {
        api_error_set(err, API_ERR_TRANSPORT, "the endpoint URL has no host: %.200s", endpoint);
        goto out;
    }
    bool default_port = !port || (strcasecmp(scheme, "https") == 0 && strcmp(port, "443") == 0) ||
                        (strcasecmp(scheme, "http") == 0 && strcmp(port, "80") == 0);
    if (asprintf(host, "%s%s%s", h, default_port ? "" : ":", default_port ? "" : port) < 0)
        *host = NULL;
    *path = strdup(p && p[0] ? p : "/");
    if (!*host || !*path || asprintf(url, "%s://%s%s", scheme, *host, *path) < 0) {
        *url = NULL;
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        goto out;
    }
    rc = 0;
out:
    if (rc != 0) {
        free(*host);
        free(*path);
        *host = *path = NULL;
    }
    curl_free(scheme);
    curl_free(h);
    curl_free(port);
    curl_free(p);
    curl_free(query);
    curl_free(user);
    curl_url_cleanup(u);
    return rc;
}
