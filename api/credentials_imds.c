/* api/credentials_imds.c — EC2 instance metadata (IMDSv2).
 *
 * PUT /latest/api/token (X-aws-ec2-metadata-token-ttl-seconds: 21600), then
 * GET /latest/meta-data/iam/security-credentials/ (the role name) and
 * GET .../<role> (JSON credentials), each with X-aws-ec2-metadata-token.
 * Every request: 1 s to connect, 1 s in all, one attempt (botocore's
 * defaults). A token PUT answered 403/404/405, or not answered at all, falls
 * back to IMDSv1 (no token) unless AWS_EC2_METADATA_V1_DISABLED=true or the
 * profile's ec2_metadata_v1_disabled = true; 400 is an error.
 * Endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT, the profile's
 * ec2_metadata_service_endpoint, else by AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE
 * (or ec2_metadata_service_endpoint_mode) http://169.254.169.254 (IPv4,
 * default) or http://[fd00:ec2::254] (IPv6). AWS_EC2_METADATA_DISABLED=true
 * turns the source off.
 * In the chain (not `required`), "no instance metadata here" is
 * CRED_NOT_AVAILABLE: the chain reports that no source answered. The
 * requests run on the chain's loop, one after the other. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/credentials_loop.h"
#include "api/credentials_sources.h"
#include "api/transport.h"

#define CREDS_PATH "/latest/meta-data/iam/security-credentials/"

static const char *const imds_hosts[] = {"169.254.169.254", "fd00:ec2::254"};

struct imds {
    struct cred_refreshing r;
    char *endpoint; /* no trailing slash */
    bool v1_disabled, required;
};

/* One fetch in flight: token, role name, credentials. */
struct imds_job {
    struct api_credentials_op op;
    struct imds *m;
    enum { STEP_TOKEN, STEP_ROLE, STEP_CREDENTIALS } step;
    char *token; /* NULL: IMDSv1 */
    char role[256];
    struct api_transfer *xfer;
};

static void job_free(struct imds_job *j)
{
    api_transfer_cancel(j->xfer);
    cred_wipe_free(j->token);
    free(j);
}

static void job_cancel(struct api_credentials_op *op)
{
    job_free((struct imds_job *)op);
}

static const char *job_waiting_for(const struct api_credentials_op *op)
{
    return "imds";
}

static void answered(void *ctx, struct api_http_response *resp, const struct api_error *terr);

/* The request of the job's step. Returns CRED_PENDING or -1 with err. */
static int ask(struct imds_job *j, struct api_error *err)
{
    const struct imds *m = j->m;
    char url[600];
    struct api_http_header h[1];
    struct api_http_request req = {0};
    const char *method = j->step == STEP_TOKEN ? "PUT" : "GET";
    const char *value = j->step == STEP_TOKEN ? "21600" : j->token;

    if (j->step == STEP_TOKEN)
        snprintf(url, sizeof url, "%s/latest/api/token", m->endpoint);
    else
        snprintf(url, sizeof url, "%s" CREDS_PATH "%s", m->endpoint,
                 j->step == STEP_ROLE ? "" : j->role);
    req.method = method;
    req.url = url;
    if (value) {
        h[0] =
            (struct api_http_header){j->step == STEP_TOKEN ? "X-aws-ec2-metadata-token-ttl-seconds"
                                                           : "X-aws-ec2-metadata-token",
                                     value};
        req.headers = h;
        req.n_headers = 1;
    }
    req.connect_timeout_ms = 1000;
    req.timeout_ms = 1000;
    req.plain_http_hosts = imds_hosts;
    req.n_plain_http_hosts = 2;
    req.max_body = 64 * 1024;
    j->xfer = cred_loop_http(m->r.base.loop, &req, answered, j, err);
    return j->xfer ? CRED_PENDING : -1;
}

/* Failure before any credentials: soft in the chain, hard when required. */
static int unavailable(const struct imds *m, struct api_error *err, const char *fmt,
                       const char *detail, long status)
{
    api_error_set(err, API_ERR_CREDENTIALS, "instance metadata at %.200s: %s%.400s", m->endpoint,
                  fmt, detail ? detail : "");
    err->http_status = status;
    return m->required ? -1 : CRED_NOT_AVAILABLE;
}

/* The token answer: go on to the role (with or without a token), or stop. */
static int after_token(struct imds_job *j, const struct api_http_response *resp,
                       const struct api_error *terr, struct api_error *err)
{
    const struct imds *m = j->m;

    if (terr->kind == API_ERR_NONE && resp->status == 200 && resp->body_len > 0 &&
        !strpbrk(resp->body, "\r\n")) {
        if (!(j->token = strdup(resp->body)))
            return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    } else if (terr->kind == API_ERR_NONE && resp->status == 400) {
        return unavailable(m, err, "the token request was refused as malformed (HTTP 400)", NULL,
                           400);
    } else if (m->v1_disabled) {
        char detail[64];
        if (resp->status)
            snprintf(detail, sizeof detail, "HTTP %ld", resp->status);
        else
            snprintf(detail, sizeof detail, "no answer");
        return unavailable(m, err,
                           "no IMDSv2 token, and IMDSv1 is disabled (AWS_EC2_METADATA_V1_DISABLED "
                           "or ec2_metadata_v1_disabled); the token request got: ",
                           detail, 0);
    } else if (terr->kind == API_ERR_TRANSPORT && !strstr(terr->message, "imeout") &&
               !strstr(terr->message, "imed out")) {
        /* Nothing listening: no point trying IMDSv1 at the same address. */
        return unavailable(m, err, "not reachable: ", terr->message, 0);
    }
    j->step = STEP_ROLE;
    return ask(j, err);
}

static int after_role(struct imds_job *j, const struct api_http_response *resp,
                      const struct api_error *terr, struct api_error *err)
{
    size_t n;

    if (terr->kind != API_ERR_NONE || resp->status != 200 || resp->body_len == 0) {
        char detail[sizeof err->message];
        if (terr->kind != API_ERR_NONE)
            snprintf(detail, sizeof detail, "%s", terr->message);
        else if (resp->status == 404)
            snprintf(detail, sizeof detail, "no IAM role is attached to this instance");
        else
            snprintf(detail, sizeof detail, "HTTP %ld%s", resp->status,
                     j->token ? "" : " (IMDSv1, without a token)");
        return unavailable(j->m, err, "cannot list the instance's role: ", detail, resp->status);
    }
    n = strcspn(resp->body, "\r\n");
    if (n >= sizeof j->role || n == 0 || memchr(resp->body, '/', n) || memchr(resp->body, '?', n))
        return unavailable(j->m, err, "the role name in the answer is not usable", NULL, 0);
    memcpy(j->role, resp->body, n);
    j->role[n] = '\0';
    j->step = STEP_CREDENTIALS;
    return ask(j, err);
}

static int after_credentials(struct imds_job *j, const struct api_http_response *resp,
                             const struct api_error *terr, struct api_credentials *out,
                             struct api_error *err)
{
    const struct imds *m = j->m;
    json_object *o, *code;
    int rc;

    if (terr->kind != API_ERR_NONE || resp->status != 200) {
        char detail[sizeof err->message];
        if (terr->kind != API_ERR_NONE)
            snprintf(detail, sizeof detail, "%s", terr->message);
        else
            snprintf(detail, sizeof detail, "HTTP %ld", resp->status);
        return unavailable(m, err, "cannot get the role's credentials: ", detail, resp->status);
    }
    o = cred_json_parse(resp->body, resp->body_len, "instance metadata credentials", err);
    if (!o)
        return m->required ? -1 : CRED_NOT_AVAILABLE;
    if (json_object_object_get_ex(o, "Code", &code) &&
        strcmp(json_object_get_string(code), "Success") != 0) {
        char c[64];
        snprintf(c, sizeof c, "%.60s", json_object_get_string(code));
        cred_json_put_wiped(o);
        return unavailable(m, err, "the credentials answer says Code ", c, 200);
    }
    rc = cred_from_json(o, "AccessKeyId", "SecretAccessKey", "Token", "Expiration",
                        "instance metadata credentials", out, err);
    cred_json_put_wiped(o);
    return rc == 0 ? 0 : m->required ? -1 : CRED_NOT_AVAILABLE;
}

static void answered(void *ctx, struct api_http_response *resp, const struct api_error *terr)
{
    struct imds_job *j = ctx;
    struct cred_refreshing *r = &j->m->r;
    struct api_credentials out = {0};
    struct api_error err;
    int rc;

    j->xfer = NULL;
    api_error_clear(&err);
    if (j->step == STEP_TOKEN)
        rc = after_token(j, resp, terr, &err);
    else if (j->step == STEP_ROLE)
        rc = after_role(j, resp, terr, &err);
    else
        rc = after_credentials(j, resp, terr, &out, &err);
    api_http_response_free(resp);
    if (rc == CRED_PENDING)
        return;
    job_free(j);
    cred_refresh_finish(r, rc, &out, &err);
}

static int imds_fetch(struct cred_refreshing *r, time_t now, struct api_credentials *out,
                      struct api_credentials_op **job, struct api_error *err)
{
    struct imds *m = (struct imds *)r;
    struct imds_job *j;

    if (!cred_provider_loop(&r->base) || !(j = calloc(1, sizeof *j)))
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    j->op.cancel = job_cancel;
    j->op.waiting_for = job_waiting_for;
    j->m = m;
    j->step = STEP_TOKEN;
    if (ask(j, err) != CRED_PENDING) {
        job_free(j);
        return m->required ? -1 : CRED_NOT_AVAILABLE;
    }
    *job = &j->op;
    return CRED_PENDING;
}

static void imds_destroy(struct cred_refreshing *r)
{
    free(((struct imds *)r)->endpoint);
}

static bool is_true(const char *v)
{
    return v && strcasecmp(v, "true") == 0;
}

struct api_credentials_provider *cred_imds_new(const struct cred_settings *cs, bool required,
                                               struct api_error *err)
{
    const char *endpoint = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    const char *mode = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
    const char *v1 = getenv("AWS_EC2_METADATA_V1_DISABLED");
    struct aws_setting s;
    struct imds *m;
    size_t n;

    api_error_clear(err);
    if (is_true(getenv("AWS_EC2_METADATA_DISABLED"))) {
        if (required)
            api_error_set(err, API_ERR_CREDENTIALS,
                          "credential_source = Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED "
                          "is true");
        return NULL;
    }
    m = calloc(1, sizeof *m);
    if (!m) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    cred_refreshing_init(&m->r, "imds", cs->loop);
    m->r.fetch = imds_fetch;
    m->r.destroy = imds_destroy;
    m->required = required;
    /* The profile is the chain's; cs->files may be NULL-free here. */
    const char *profile = cs->profile ? cs->profile : "default";
    if ((!endpoint || !endpoint[0]) &&
        aws_profile_get(cs->files, profile, "ec2_metadata_service_endpoint", &s))
        endpoint = s.value;
    if ((!mode || !mode[0]) &&
        aws_profile_get(cs->files, profile, "ec2_metadata_service_endpoint_mode", &s))
        mode = s.value;
    if ((!v1 || !v1[0]) && aws_profile_get(cs->files, profile, "ec2_metadata_v1_disabled", &s))
        v1 = s.value;
    m->v1_disabled = is_true(v1);
    if (!endpoint || !endpoint[0]) {
        if (mode && mode[0] && strcasecmp(mode, "IPv6") && strcasecmp(mode, "IPv4")) {
            api_error_set(err, API_ERR_CREDENTIALS,
                          "instance metadata endpoint mode \"%.40s\": expected IPv4 or IPv6", mode);
            goto fail;
        }
        endpoint =
            mode && !strcasecmp(mode, "IPv6") ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
    }
    m->endpoint = strdup(endpoint);
    if (!m->endpoint) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        goto fail;
    }
    n = strlen(m->endpoint);
    while (n && m->endpoint[n - 1] == '/')
        m->endpoint[--n] = '\0';
    if (api_http_url_allowed(m->endpoint, imds_hosts, 2, err) != 0) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "instance metadata endpoint %.200s: %.600s", m->endpoint,
                 err->message);
        api_error_set(err, API_ERR_CREDENTIALS, "%s", msg);
        goto fail;
    }
    return &m->r.base;
fail:
    m->r.base.ops->free(&m->r.base);
    return NULL;
}
