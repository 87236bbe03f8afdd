/* api/credentials_web_identity.c — STS AssumeRoleWithWebIdentity (unsigned)
 * with the token read from a file at every fetch (the file is rotated by
 * whoever writes it, e.g. Kubernetes). Settings: AWS_WEB_IDENTITY_TOKEN_FILE,
 * AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME, each winning over the profile's
 * web_identity_token_file, role_arn, role_session_name (botocore's order).
 * The STS call runs on the chain's loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/credentials_sts.h"
#include "api/endpoint.h"
#include "api/secret_file.h"

#define TOKEN_MAX (64 * 1024)

struct web_identity {
    struct cred_refreshing r;
    char *token_file, *role_arn, *session_name, *endpoint, *region;
    char what[320];
};

/* Reads the token; returns a wiped-on-free string or NULL with err. */
static char *read_token(const struct web_identity *w, struct api_error *err)
{
    char *buf = NULL, msg[sizeof err->message];
    size_t len = 0;
    int rc = secret_file_read(w->token_file, TOKEN_MAX, 0, &buf, &len, err);

    if (rc != 0) {
        if (rc == 1)
            api_error_set(err, API_ERR_CREDENTIALS, "no such file %s", w->token_file);
        snprintf(msg, sizeof msg, "%.300s: cannot read the token file: %.600s", w->what,
                 err->message);
        snprintf(err->message, sizeof err->message, "%s", msg);
        return NULL;
    }
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
        buf[--len] = '\0';
    if (!len) {
        free(buf);
        api_error_set(err, API_ERR_CREDENTIALS, "%s: the token file %.300s is empty", w->what,
                      w->token_file);
        return NULL;
    }
    return buf;
}

/* One call in flight. */
struct web_job {
    struct api_credentials_op op;
    struct web_identity *w;
    struct cred_sts_call *call;
};

static void job_cancel(struct api_credentials_op *op)
{
    struct web_job *j = (struct web_job *)op;

    cred_sts_cancel(j->call);
    free(j);
}

static const char *job_waiting_for(const struct api_credentials_op *op)
{
    return "web-identity";
}

static void sts_answered(void *ctx, int rc, struct api_http_response *resp,
                         const struct api_error *err)
{
    struct web_job *j = ctx;
    struct cred_refreshing *r = &j->w->r;
    struct api_credentials out = {0};
    struct api_error e = *err;

    if (rc == 0)
        rc = cred_sts_credentials(resp, "AssumeRoleWithWebIdentity", j->w->what, &out, &e);
    free(j);
    cred_refresh_finish(r, rc, &out, &e);
}

static int web_fetch(struct cred_refreshing *r, time_t now, struct api_credentials *out,
                     struct api_credentials_op **job, struct api_error *err)
{
    struct web_identity *w = (struct web_identity *)r;
    struct cred_buf body = {0};
    char session[80], *token;
    struct web_job *j;

    if (!cred_provider_loop(&r->base) || !(j = calloc(1, sizeof *j)))
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    j->op.cancel = job_cancel;
    j->op.waiting_for = job_waiting_for;
    j->w = w;
    if (!(token = read_token(w, err))) {
        free(j);
        return -1;
    }
    if (w->session_name)
        snprintf(session, sizeof session, "%s", w->session_name);
    else
        snprintf(session, sizeof session, "cognito-tui-%lld", (long long)now);
    cred_form_append(&body, "Action", "AssumeRoleWithWebIdentity");
    cred_form_append(&body, "Version", "2011-06-15");
    cred_form_append(&body, "RoleArn", w->role_arn);
    cred_form_append(&body, "RoleSessionName", session);
    cred_form_append(&body, "WebIdentityToken", token);
    cred_wipe_free(token);
    if (body.failed) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    } else {
        struct cred_sts_request rq = {
            r->base.loop, w->endpoint, w->region, "AssumeRoleWithWebIdentity",
            body.data,    NULL,        now,       w->what};
        j->call = cred_sts_start(&rq, sts_answered, j, err);
    }
    cred_buf_free(&body);
    if (!j->call) {
        free(j);
        return -1;
    }
    *job = &j->op;
    return CRED_PENDING;
}

static void web_destroy(struct cred_refreshing *r)
{
    struct web_identity *w = (struct web_identity *)r;

    free(w->token_file);
    free(w->role_arn);
    free(w->session_name);
    free(w->endpoint);
    free(w->region);
}

/* The variable (when allowed and set), else the profile's setting. */
static const char *setting(const struct cred_settings *cs, const char *profile, bool use_env,
                           const char *env, const char *key)
{
    const char *v = use_env ? getenv(env) : NULL;
    struct aws_setting s;

    if (v && v[0])
        return v;
    return aws_profile_get(cs->files, profile, key, &s) && s.value[0] ? s.value : NULL;
}

struct api_credentials_provider *cred_web_identity_new(const struct cred_settings *cs,
                                                       const char *profile, bool use_env,
                                                       struct api_error *err)
{
    const char *file =
        setting(cs, profile, use_env, "AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file");
    const char *role = setting(cs, profile, use_env, "AWS_ROLE_ARN", "role_arn");
    const char *session =
        setting(cs, profile, use_env, "AWS_ROLE_SESSION_NAME", "role_session_name");
    struct web_identity *w;
    bool oom = false;

    api_error_clear(err);
    if (!file)
        return NULL;
    if (!role) {
        api_error_set(err, API_ERR_CREDENTIALS,
                      "profile %.100s: a web identity token file is set but no role_arn "
                      "(AWS_ROLE_ARN) to assume with it",
                      profile);
        return NULL;
    }
    w = calloc(1, sizeof *w);
    if (!w) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    cred_refreshing_init(&w->r, "web-identity", cs->loop);
    w->r.fetch = web_fetch;
    w->r.destroy = web_destroy;
    snprintf(w->what, sizeof w->what, "profile %.100s, web identity role %.180s", profile, role);
    w->token_file = aws_expand_home(file);
    oom = !w->token_file;
    w->role_arn = cred_strdup(role, &oom);
    w->session_name = cred_strdup(session, &oom);
    w->region = cred_strdup(cs->region, &oom);
    if (oom) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        goto fail;
    }
    if (api_endpoint_resolve(&api_endpoint_sts, cs->files, profile, NULL, cs->region, &w->endpoint,
                             err) != 0)
        goto fail;
    return &w->r.base;
fail:
    w->r.base.ops->free(&w->r.base);
    return NULL;
}
