/* api/credentials_container.c — ECS / EKS Pod Identity container credentials.
 *
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (wins) → http://169.254.170.2<uri>;
 * AWS_CONTAINER_CREDENTIALS_FULL_URI: https to any host, plain http only to a
 * loopback address or a container host (169.254.170.2, 169.254.170.23,
 * fd00:ec2::23). The Authorization header comes from the file named by
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read at each fetch; it rotates),
 * else AWS_CONTAINER_AUTHORIZATION_TOKEN; a CR or LF in it is refused (it
 * would smuggle headers). The answer is JSON {AccessKeyId, SecretAccessKey,
 * Token, Expiration}. Timeouts: 1 s to connect, 2 s in all; a transport
 * error or 5xx is tried again once. The requests run on the chain's loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/credentials_loop.h"
#include "api/credentials_sources.h"
#include "api/secret_file.h"
#include "api/transport.h"

#define CONTAINER_HOST "169.254.170.2"
#define TOKEN_MAX      (16 * 1024)

static const char *const container_hosts[] = {"169.254.170.2", "169.254.170.23", "[fd00:ec2::23]",
                                              "fd00:ec2::23"};
#define N_CONTAINER_HOSTS (sizeof container_hosts / sizeof container_hosts[0])

struct container {
    struct cred_refreshing r;
    char *url;
    char *token_file; /* NULL: token below or none */
    char *token;      /* AWS_CONTAINER_AUTHORIZATION_TOKEN, copied (a secret) */
    char where[96];   /* which variable gave the URL */
};

static int token_ok(const char *token, const char *from, struct api_error *err)
{
    if (strpbrk(token, "\r\n"))
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "container credentials: the authorization token from %s contains a "
                             "carriage return or line feed; refused",
                             from);
    return 0;
}

static char *read_token_file(const char *path, struct api_error *err)
{
    char *buf = NULL, msg[sizeof err->message];
    size_t len = 0;
    int rc = secret_file_read(path, TOKEN_MAX, 0, &buf, &len, err);

    if (rc == 0)
        return buf;
    if (rc == 1)
        api_error_set(err, API_ERR_CREDENTIALS, "no such file %s", path);
    snprintf(msg, sizeof msg,
             "container credentials: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %.800s", err->message);
    snprintf(err->message, sizeof err->message, "%s", msg);
    return NULL;
}

/* One fetch in flight: at most two tries. */
struct container_job {
    struct api_credentials_op op;
    struct container *c;
    char *token; /* from the token file, wiped */
    struct api_transfer *xfer;
    int attempt;
};

static void job_free(struct container_job *j)
{
    api_transfer_cancel(j->xfer);
    cred_wipe_free(j->token);
    free(j);
}

static void job_cancel(struct api_credentials_op *op)
{
    job_free((struct container_job *)op);
}

static const char *job_waiting_for(const struct api_credentials_op *op)
{
    return "container";
}

static void answered(void *ctx, struct api_http_response *resp, const struct api_error *terr);

static int ask(struct container_job *j, struct api_error *err)
{
    const struct container *c = j->c;
    struct api_http_header headers[2] = {{"Accept", "application/json"}, {"Authorization", ""}};
    struct api_http_request req = {0};

    req.method = "GET";
    req.url = c->url;
    req.headers = headers;
    req.n_headers = j->token || c->token ? 2 : 1;
    headers[1].value = j->token ? j->token : c->token ? c->token : "";
    req.connect_timeout_ms = 1000;
    req.timeout_ms = 2000;
    req.plain_http_hosts = container_hosts;
    req.n_plain_http_hosts = N_CONTAINER_HOSTS;
    j->xfer = cred_loop_http(c->r.base.loop, &req, answered, j, err);
    return j->xfer ? CRED_PENDING : -1;
}

static int read_answer(const struct container *c, const struct api_http_response *resp,
                       struct api_credentials *out, struct api_error *err)
{
    json_object *o;
    int rc;

    if (resp->status != 200) {
        /* The body of an error is the agent's message, never credentials. */
        json_object *e = cred_json_parse(resp->body, resp->body_len, "container", err), *m = NULL;
        const char *text = e && (json_object_object_get_ex(e, "message", &m) ||
                                 json_object_object_get_ex(e, "Message", &m))
                               ? json_object_get_string(m)
                               : NULL;
        rc = api_error_set(err, API_ERR_CREDENTIALS,
                           "container credentials at %.300s: HTTP %ld%s%.300s", c->url,
                           resp->status, text ? ": " : "", text ? text : "");
        err->http_status = resp->status;
        json_object_put(e);
        return rc;
    }
    o = cred_json_parse(resp->body, resp->body_len, "container credentials", err);
    rc = o ? cred_from_json(o, "AccessKeyId", "SecretAccessKey", "Token", "Expiration",
                            "container credentials", out, err)
           : -1;
    cred_json_put_wiped(o);
    return rc;
}

static void answered(void *ctx, struct api_http_response *resp, const struct api_error *terr)
{
    struct container_job *j = ctx;
    struct container *c = j->c;
    struct api_credentials out = {0};
    struct api_error err = *terr;
    int rc = -1;

    j->xfer = NULL;
    /* A transport error or a 5xx is tried once more. */
    if ((terr->kind != API_ERR_NONE || resp->status >= 500) && j->attempt++ == 0) {
        api_http_response_free(resp);
        api_error_clear(&err);
        if (ask(j, &err) == CRED_PENDING)
            return;
    } else if (terr->kind != API_ERR_NONE) {
        cred_error_prefix(&err, "container credentials at %.300s", c->url);
    } else {
        rc = read_answer(c, resp, &out, &err);
    }
    api_http_response_free(resp);
    job_free(j);
    cred_refresh_finish(&c->r, rc, &out, &err);
}

static int container_fetch(struct cred_refreshing *r, time_t now, struct api_credentials *out,
                           struct api_credentials_op **job, struct api_error *err)
{
    struct container *c = (struct container *)r;
    struct container_job *j;

    if (!cred_provider_loop(&r->base) || !(j = calloc(1, sizeof *j)))
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    j->op.cancel = job_cancel;
    j->op.waiting_for = job_waiting_for;
    j->c = c;
    if (c->token_file) {
        if (!(j->token = read_token_file(c->token_file, err)) ||
            token_ok(j->token, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", err) != 0) {
            job_free(j);
            return -1;
        }
    }
    if (ask(j, err) != CRED_PENDING) {
        cred_error_prefix(err, "container credentials at %.300s", c->url);
        job_free(j);
        return -1;
    }
    *job = &j->op;
    return CRED_PENDING;
}

static void container_destroy(struct cred_refreshing *r)
{
    struct container *c = (struct container *)r;

    free(c->url);
    free(c->token_file);
    cred_wipe_free(c->token);
}

struct api_credentials_provider *cred_container_new(const struct cred_settings *cs, bool required,
                                                    struct api_error *err)
{
    const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    const char *token_file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    const char *token = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    struct container *c;
    bool oom = false;

    api_error_clear(err);
    if (rel && !rel[0])
        rel = NULL;
    if (full && !full[0])
        full = NULL;
    if (!rel && !full) {
        if (required)
            api_error_set(err, API_ERR_CREDENTIALS,
                          "credential_source = EcsContainer, but neither "
                          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor "
                          "AWS_CONTAINER_CREDENTIALS_FULL_URI is set");
        return NULL;
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    cred_refreshing_init(&c->r, "container", cs->loop);
    c->r.fetch = container_fetch;
    c->r.destroy = container_destroy;
    if (rel) {
        snprintf(c->where, sizeof c->where, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        if (rel[0] != '/' || strpbrk(rel, " \t\r\n")) {
            api_error_set(err, API_ERR_CREDENTIALS,
                          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI \"%.200s\" must be a path "
                          "starting with /",
                          rel);
            goto fail;
        }
        if (asprintf(&c->url, "http://" CONTAINER_HOST "%s", rel) < 0)
            c->url = NULL, oom = true;
    } else {
        struct api_error why;
        snprintf(c->where, sizeof c->where, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
        api_error_clear(&why);
        if (api_http_url_allowed(full, container_hosts, N_CONTAINER_HOSTS, &why) != 0) {
            api_error_set(err, API_ERR_CREDENTIALS,
                          "AWS_CONTAINER_CREDENTIALS_FULL_URI \"%.200s\" refused: plain http only "
                          "to a loopback address or 169.254.170.2, 169.254.170.23, fd00:ec2::23; "
                          "https to any host (%.300s)",
                          full, why.message);
            goto fail;
        }
        c->url = cred_strdup(full, &oom);
    }
    if (token_file && token_file[0]) {
        c->token_file = cred_strdup(token_file, &oom);
    } else if (token && token[0]) {
        if (token_ok(token, "AWS_CONTAINER_AUTHORIZATION_TOKEN", err) != 0)
            goto fail;
        c->token = cred_strdup(token, &oom);
    }
    if (oom) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        goto fail;
    }
    return &c->r.base;
fail:
    c->r.base.ops->free(&c->r.base);
    return NULL;
}
