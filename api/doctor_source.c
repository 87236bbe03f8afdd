/* api/doctor_source.c — the credential doctor's I/O (api/doctor_source.h): the
 * readers over a real client (cognito-identity, IAM, the user pools' key
 * sets) and the live step. */
#include "api/doctor_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/user_pool.h"

struct service_source {
    struct api_client *client;
    const struct api_config *cfg;
    struct api_query_client *iam; /* made on first need */
};

static int call_pool(struct api_client *c, const char *op, const char *pool_id,
                     const char *provider, json_object **out, struct api_error *err)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    if (provider)
        json_object_object_add(in, "IdentityProviderName", json_object_new_string(provider));
    int rc = api_call(c, op, in, out, err);
    json_object_put(in);
    return rc;
}

static int src_describe(void *ctx, const char *pool_id, json_object **out, struct api_error *err)
{
    return call_pool(((struct service_source *)ctx)->client, "DescribeIdentityPool", pool_id, NULL,
                     out, err);
}

static int src_roles(void *ctx, const char *pool_id, json_object **out, struct api_error *err)
{
    return call_pool(((struct service_source *)ctx)->client, "GetIdentityPoolRoles", pool_id, NULL,
                     out, err);
}

static int src_tags(void *ctx, const char *pool_id, const char *provider, json_object **out,
                    struct api_error *err)
{
    return call_pool(((struct service_source *)ctx)->client, "GetPrincipalTagAttributeMap", pool_id,
                     provider, out, err);
}

static struct api_jwks *src_keys(void *ctx, const char *provider, struct api_error *err)
{
    struct service_source *s = ctx;
    char *url = NULL;
    if (api_user_pool_jwks_url(provider, s->cfg->profile, &url, err) != 0)
        return NULL;
    struct api_jwks *ks = api_user_pool_jwks_fetch(url, s->cfg->ca_bundle, err);
    free(url);
    return ks;
}

static struct api_query_client *iam_of(struct service_source *s, struct api_error *err)
{
    if (!s->iam)
        s->iam = api_iam_client_new(s->cfg, NULL, err);
    return s->iam;
}

static int src_oidc(void *ctx, const char *arn, struct api_iam_oidc_provider *out,
                    struct api_error *err)
{
    struct api_query_client *iam = iam_of(ctx, err);
    return iam ? api_iam_get_oidc_provider(iam, arn, out, err) : -1;
}

static int src_role(void *ctx, const char *name, struct api_iam_role *out, struct api_error *err)
{
    struct api_query_client *iam = iam_of(ctx, err);
    return iam ? api_iam_get_role(iam, name, out, err) : -1;
}

int api_doctor_source_open(struct api_doctor_source *src, struct api_client *client,
                           const struct api_config *cfg, struct api_error *err)
{
    struct service_source *s = calloc(1, sizeof *s);
    if (!s)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    s->client = client;
    s->cfg = cfg;
    *src = (struct api_doctor_source){s,        src_describe, src_roles, src_tags,
                                      src_keys, src_oidc,     src_role};
    return 0;
}

void api_doctor_source_close(struct api_doctor_source *src)
{
    struct service_source *s = src->ctx;
    if (s) {
        api_query_client_free(s->iam);
        free(s);
    }
    memset(src, 0, sizeof *src);
}

/* ---- live ---- */

/* Credentials and tokens in an answer are wiped before the answer is freed. */
static void wipe_member(json_object *o, const char *name)
{
    json_object *v;
    if (o && json_object_object_get_ex(o, name, &v) && json_object_is_type(v, json_type_string))
        OPENSSL_cleanse((char *)json_object_get_string(v), (size_t)json_object_get_string_len(v));
}

static void put_wiped(json_object *o)
{
    json_object *c;
    if (o && json_object_object_get_ex(o, "Credentials", &c)) {
        wipe_member(c, "SecretKey");
        wipe_member(c, "SessionToken");
    }
    wipe_member(o, "Token");
    json_object_put(o);
}

static json_object *logins_of(const struct api_doctor_login *l, const char *token)
{
    json_object *logins = json_object_new_object();
    if (l->kind == API_DOCTOR_LOGIN)
        json_object_object_add(logins, l->provider, json_object_new_string(l->token));
    else if (token)
        json_object_object_add(logins, "cognito-identity.amazonaws.com",
                               json_object_new_string(token));
    return logins;
}

static void wipe_logins_input(json_object *in)
{
    json_object *logins;
    if (in && json_object_object_get_ex(in, "Logins", &logins)) {
        json_object_object_foreach(logins, k, v)
        {
            (void)k;
            OPENSSL_cleanse((char *)json_object_get_string(v),
                            (size_t)json_object_get_string_len(v));
        }
    }
    json_object_put(in);
}

json_object *api_doctor_live_first(const char *pool_id, const struct api_doctor_login *login,
                                   const struct api_doctor_report *r, const char **operation)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    if (login->kind == API_DOCTOR_DEVELOPER) {
        *operation = "GetOpenIdTokenForDeveloperIdentity";
        const char *dev = NULL;
        json_object *v;
        if (r->pool && json_object_object_get_ex(r->pool, "DeveloperProviderName", &v))
            dev = json_object_get_string(v);
        json_object *logins = json_object_new_object();
        json_object_object_add(logins, dev ? dev : "",
                               json_object_new_string(login->developer_user));
        json_object_object_add(in, "Logins", logins);
    } else {
        *operation = "GetId";
        if (login->kind == API_DOCTOR_LOGIN)
            json_object_object_add(in, "Logins", logins_of(login, NULL));
    }
    return in;
}

int api_doctor_live_identity(const char *first, json_object *answer, char **identity,
                             char **dev_token, struct api_error *err)
{
    json_object *v;
    *identity = *dev_token = NULL;
    if (json_object_object_get_ex(answer, "IdentityId", &v))
        *identity = strdup(json_object_get_string(v));
    if (json_object_object_get_ex(answer, "Token", &v))
        *dev_token = strdup(json_object_get_string(v));
    if (*identity)
        return 0;
    if (*dev_token) {
        OPENSSL_cleanse(*dev_token, strlen(*dev_token));
        free(*dev_token);
        *dev_token = NULL;
    }
    return api_error_set(err, API_ERR_HTTP, "%s answered without an IdentityId", first);
}

json_object *api_doctor_live_second(const struct api_doctor_login *login, const char *identity,
                                    const char *dev_token)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityId", json_object_new_string(identity));
    if (login->kind != API_DOCTOR_GUEST)
        json_object_object_add(in, "Logins", logins_of(login, dev_token));
    if (login->custom_role_arn && *login->custom_role_arn)
        json_object_object_add(in, "CustomRoleArn", json_object_new_string(login->custom_role_arn));
    return in;
}

void api_doctor_live_input_put(json_object *in)
{
    wipe_logins_input(in);
}

void api_doctor_live_answer_put(json_object *out)
{
    put_wiped(out);
}

int api_doctor_live_record(struct api_doctor_report *r, const char *first, const char *step,
                           const char *identity, const struct api_error *e, struct api_error *err)
{
    int rc = 0;
    bool got = e->kind == API_ERR_NONE;
    r->live_run = true;
    if (!got && e->kind != API_ERR_AWS) {
        /* Refused before the service answered (read-only guard, transport,
         * credentials): no verdict from the service. */
        r->live_run = false;
        *err = *e;
        rc = -1;
    } else if (got) {
        r->live_agrees = r->predicted_ok;
        r->live_error[0] = '\0';
        r->steps[API_DOCTOR_LIVE].status = API_DOCTOR_OK;
        r->steps[API_DOCTOR_LIVE].fix[0] = '\0';
        snprintf(r->steps[API_DOCTOR_LIVE].detail, sizeof r->steps[API_DOCTOR_LIVE].detail,
                 "the service gave credentials to identity %.100s (created or found by %s); %s",
                 identity ? identity : "?", first,
                 r->predicted_ok ? "it agrees with the prediction"
                                 : "it DISAGREES with the prediction (a step above failed)");
    } else {
        const struct api_doctor_error_hint *h = NULL;
        bool known = api_doctor_map_error(e->message, &h);
        snprintf(r->live_error, sizeof r->live_error, "%s: %s", e->code, e->message);
        /* Agreement: both refuse, and at the step the message comes from when
         * the doctor knows the message. */
        r->live_agrees = !r->predicted_ok && (!known || api_doctor_hint_from(h, r->failed_step));
        r->steps[API_DOCTOR_LIVE].status = API_DOCTOR_FAIL;
        snprintf(r->steps[API_DOCTOR_LIVE].fix, sizeof r->steps[API_DOCTOR_LIVE].fix, "%s",
                 known ? h->check : "");
        snprintf(r->steps[API_DOCTOR_LIVE].detail, sizeof r->steps[API_DOCTOR_LIVE].detail,
                 "%s refused: %.60s: %.500s (from the %s step); %s", step, e->code, e->message,
                 known ? api_doctor_step_names[h->step] : "unknown",
                 r->live_agrees ? "it agrees with the prediction"
                                : "it DISAGREES with the prediction");
        if (r->failed_step < 0)
            r->failed_step = API_DOCTOR_LIVE;
        r->ok = false;
    }
    if (r->live_run && !r->live_agrees && r->ok) {
        r->ok = false;
        r->failed_step = API_DOCTOR_LIVE;
    }
    return rc;
}

int api_doctor_live(struct api_client *client, const char *pool_id,
                    const struct api_doctor_login *login, struct api_doctor_report *r,
                    api_doctor_sent_fn sent, void *sent_ctx, struct api_error *err)
{
    struct api_error e;
    json_object *out = NULL;
    const char *first;
    char *dev_token = NULL, *identity = NULL;

    json_object *in = api_doctor_live_first(pool_id, login, r, &first);
    int got = api_call(client, first, in, &out, &e);
    if (sent && (got == 0 || e.sent))
        sent(sent_ctx, first, in, out, &e);
    wipe_logins_input(in);
    const char *step = first;
    if (got == 0) {
        got = api_doctor_live_identity(first, out, &identity, &dev_token, &e);
        put_wiped(out);
        out = NULL;
        if (got == 0) {
            step = "GetCredentialsForIdentity";
            in = api_doctor_live_second(login, identity, dev_token);
            got = api_call(client, step, in, &out, &e);
            if (sent && (got == 0 || e.sent))
                sent(sent_ctx, step, in, out, &e);
            wipe_logins_input(in);
        }
    }
    if (dev_token) {
        OPENSSL_cleanse(dev_token, strlen(dev_token));
        free(dev_token);
    }
    int rc = api_doctor_live_record(r, first, step, identity, &e, err);
    put_wiped(out);
    free(identity);
    return rc;
}
