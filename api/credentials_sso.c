/* api/credentials_sso.c — IAM Identity Center (SSO) profiles.
 *
 * Configuration, as the AWS CLI v2 reads it: either `sso_session = NAME`
 * with a `[sso-session NAME]` section (sso_start_url, sso_region), or the
 * legacy sso_start_url + sso_region in the profile; and sso_account_id +
 * sso_role_name in the profile.
 *
 * The token is the one `aws sso login` cached in
 * ~/.aws/sso/cache/<hex SHA-1 of the session name, or of the start URL for
 * legacy profiles>.json. When under 15 minutes remain and the cache holds a
 * refresh token with its client registration (sso-session profiles), the
 * token is renewed through OIDC CreateToken (grant refresh_token) and the
 * cache file rewritten atomically (api/secret_file.h). Then the portal's GetRoleCredentials gives
 * the role's credentials: GET <portal>/federation/credentials?role_name=&account_id= with the
 * header x-amz-sso_bearer_token. An expired or missing token is an error that tells the user to run
 * `aws sso login --profile NAME`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "api/credentials_loop.h"
#include "api/credentials_sts.h"
#include "api/endpoint.h"
#include "api/secret_file.h"
#include "api/transport.h"

#define SSO_CACHE_MAX  (256 * 1024)
#define SSO_TIMEOUT_MS 30000

struct sso {
    struct cred_refreshing r;
    char *profile, *account_id, *role_name, *cache_path, *portal, *oidc;
    bool can_refresh; /* sso-session profiles: the CLI stores a refresh token */
};

static int login_hint(const struct sso *s, struct api_error *err, const char *why)
{
    return api_error_set(err, API_ERR_CREDENTIALS,
                         "profile %.100s: the IAM Identity Center session %s; run: aws sso login "
                         "--profile %.100s",
                         s->profile, why, s->profile);
}

static char *read_cache(const struct sso *s, size_t *len, struct api_error *err)
{
    char *buf = NULL;
    int rc = secret_file_read(s->cache_path, SSO_CACHE_MAX, 0, &buf, len, err);

    if (rc == 1) {
        char why[600];
        snprintf(why, sizeof why, "has no cached token (%.400s)", s->cache_path);
        login_hint(s, err, why);
    } else if (rc < 0) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "profile %.100s: the token cache: %.800s", s->profile,
                 err->message);
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return rc == 0 ? buf : NULL;
}

/* Rewrites the cache file atomically, mode 0600. */
static int write_cache(const struct sso *s, json_object *o, struct api_error *err)
{
    size_t len = 0;
    const char *text = json_object_to_json_string_length(
        o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    int rc;

    if (!text)
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    rc = secret_file_write(s->cache_path, text, len, 0, err);
    if (rc != 0) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "profile %.100s: cannot rewrite the token cache: %.800s",
                 s->profile, err->message);
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    OPENSSL_cleanse((char *)text, len); /* json-c's buffer; it holds the tokens */
    return rc;
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;

    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

int cred_sso_cache_parse(const char *text, size_t len, const char *what, time_t now,
                         json_object **cache, time_t *expires, bool *refreshable,
                         struct api_error *err)
{
    const char *token;
    time_t reg_exp = 0;

    *refreshable = false;
    *expires = 0;
    *cache = cred_json_parse(text, len, what, err);
    if (!*cache)
        return -1;
    token = jstr(*cache, "accessToken");
    if (!token || !token[0] || cred_parse_time(jstr(*cache, "expiresAt"), expires) != 0)
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "%s has no accessToken or no valid "
                             "expiresAt",
                             what);
    *refreshable =
        jstr(*cache, "refreshToken") && jstr(*cache, "clientId") && jstr(*cache, "clientSecret") &&
        (cred_parse_time(jstr(*cache, "registrationExpiresAt"), &reg_exp) != 0 || reg_exp > now);
    return 0;
}

/* One fetch in flight: perhaps a token refresh, then the role's credentials. */
struct sso_job {
    struct api_credentials_op op;
    struct sso *s;
    time_t now;
    json_object *cache; /* the token cache, wiped when put */
    time_t exp;         /* of the access token */
    bool refreshing;    /* OIDC CreateToken in flight, else GetRoleCredentials */
    struct api_transfer *xfer;
};

static void job_free(struct sso_job *j)
{
    api_transfer_cancel(j->xfer);
    cred_json_put_wiped(j->cache);
    free(j);
}

static void job_cancel(struct api_credentials_op *op)
{
    job_free((struct sso_job *)op);
}

static const char *job_waiting_for(const struct api_credentials_op *op)
{
    return "sso";
}

static void answered(void *ctx, struct api_http_response *resp, const struct api_error *terr);

/* OIDC CreateToken with the refresh token. Returns CRED_PENDING or -1. */
static int refresh_start(struct sso_job *j, struct api_error *err)
{
    const struct sso *s = j->s;
    const char *client_id = jstr(j->cache, "clientId"), *secret = jstr(j->cache, "clientSecret");
    const char *refresh = jstr(j->cache, "refreshToken");
    json_object *req_body = json_object_new_object();
    struct api_http_header h[1] = {{"Content-Type", "application/json"}};
    struct api_http_request req = {0};
    char url[600];
    size_t blen = 0;
    const char *body;

    if (!req_body)
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    json_object_object_add(req_body, "clientId", json_object_new_string(client_id));
    json_object_object_add(req_body, "clientSecret", json_object_new_string(secret));
    json_object_object_add(req_body, "grantType", json_object_new_string("refresh_token"));
    json_object_object_add(req_body, "refreshToken", json_object_new_string(refresh));
    body = json_object_to_json_string_length(req_body, JSON_C_TO_STRING_PLAIN, &blen);
    snprintf(url, sizeof url, "%s/token", s->oidc);
    req.method = "POST";
    req.url = url;
    req.headers = h;
    req.n_headers = 1;
    req.body = body;
    req.body_len = blen;
    req.timeout_ms = SSO_TIMEOUT_MS;
    j->refreshing = true;
    j->xfer = body ? cred_loop_http(s->r.base.loop, &req, answered, j, err) : NULL;
    if (body)
        OPENSSL_cleanse((char *)body, blen); /* the transport copied it */
    else
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    cred_json_put_wiped(req_body);
    return j->xfer ? CRED_PENDING : -1;
}

/* The CreateToken answer into the cache (and its file). Returns 0 or -1. */
static int refresh_apply(struct sso_job *j, const struct api_http_response *resp,
                         struct api_error *err)
{
    json_object *answer, *v;
    const char *access;
    char iso[32];
    struct tm tm;
    time_t exp;
    int rc = -1;

    if (resp->status != 200)
        return api_error_set(err, API_ERR_CREDENTIALS, "OIDC CreateToken answered HTTP %ld",
                             resp->status);
    answer = cred_json_parse(resp->body, resp->body_len, "OIDC CreateToken", err);
    if (!answer)
        return -1;
    access = jstr(answer, "accessToken");
    if (!access || !access[0] || !json_object_object_get_ex(answer, "expiresIn", &v) ||
        !json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0) {
        api_error_set(err, API_ERR_CREDENTIALS,
                      "OIDC CreateToken: the answer has no accessToken or expiresIn");
        goto done;
    }
    exp = j->now + (time_t)json_object_get_int64(v);
    gmtime_r(&exp, &tm);
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* Wipe the old values before json-c frees them. */
    cred_json_put_wiped(json_object_get(json_object_object_get(j->cache, "accessToken")));
    json_object_object_add(j->cache, "accessToken", json_object_new_string(access));
    json_object_object_add(j->cache, "expiresAt", json_object_new_string(iso));
    if (jstr(answer, "refreshToken") && jstr(answer, "refreshToken")[0]) {
        cred_json_put_wiped(json_object_get(json_object_object_get(j->cache, "refreshToken")));
        json_object_object_add(j->cache, "refreshToken",
                               json_object_new_string(jstr(answer, "refreshToken")));
    }
    rc = write_cache(j->s, j->cache, err);
    if (rc == 0)
        j->exp = exp;
done:
    cred_json_put_wiped(answer);
    return rc;
}

/* GetRoleCredentials with the cached token. Returns CRED_PENDING or -1. */
static int role_start(struct sso_job *j, struct api_error *err)
{
    const struct sso *s = j->s;
    const char *token = jstr(j->cache, "accessToken");
    struct api_http_header h[2] = {{"x-amz-sso_bearer_token", token},
                                   {"Accept", "application/json"}};
    struct api_http_request req = {0};
    struct cred_buf query = {0};
    char *url = NULL;

    if (j->exp <= j->now)
        return login_hint(s, err, "has expired");
    cred_form_append(&query, "role_name", s->role_name);
    cred_form_append(&query, "account_id", s->account_id);
    if (query.failed || asprintf(&url, "%s/federation/credentials?%s", s->portal, query.data) < 0) {
        cred_buf_free(&query);
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    }
    cred_buf_free(&query);
    req.method = "GET";
    req.url = url;
    req.headers = h;
    req.n_headers = 2;
    req.timeout_ms = SSO_TIMEOUT_MS;
    j->refreshing = false;
    j->xfer = cred_loop_http(s->r.base.loop, &req, answered, j, err);
    if (!j->xfer)
        cred_error_prefix(err, "profile %.100s: GetRoleCredentials at %.200s", s->profile,
                          s->portal);
    free(url);
    return j->xfer ? CRED_PENDING : -1;
}

int cred_sso_role_credentials(const char *body, size_t len, struct api_credentials *out,
                              struct api_error *err)
{
    json_object *o, *rc_obj, *exp;
    int rc = -1;

    memset(out, 0, sizeof *out);
    o = cred_json_parse(body, len, "GetRoleCredentials", err);
    if (!o)
        return -1;
    if (!json_object_object_get_ex(o, "roleCredentials", &rc_obj) ||
        !json_object_is_type(rc_obj, json_type_object)) {
        api_error_set(err, API_ERR_CREDENTIALS, "GetRoleCredentials: no roleCredentials");
        goto done;
    }
    if (cred_from_json(rc_obj, "accessKeyId", "secretAccessKey", "sessionToken", NULL,
                       "GetRoleCredentials", out, err) != 0)
        goto done;
    /* expiration: epoch milliseconds. */
    /* Under a second would read as 0, "never expires". */
    if (!json_object_object_get_ex(rc_obj, "expiration", &exp) ||
        !json_object_is_type(exp, json_type_int) || json_object_get_int64(exp) < 1000) {
        api_credentials_clear(out);
        api_error_set(err, API_ERR_CREDENTIALS, "GetRoleCredentials: no expiration");
        goto done;
    }
    out->expiration = (time_t)(json_object_get_int64(exp) / 1000);
    rc = 0;
done:
    cred_json_put_wiped(o);
    return rc;
}

static int role_read(const struct sso *s, const struct api_http_response *resp,
                     struct api_credentials *out, struct api_error *err)
{

    if (resp->status == 401) {
        login_hint(s, err, "token was refused (expired or signed out)");
        err->http_status = 401;
        return -1;
    }
    if (resp->status != 200) {
        json_object *e = cred_json_parse(resp->body, resp->body_len, "GetRoleCredentials", err);
        const char *m = e ? (jstr(e, "message") ? jstr(e, "message") : jstr(e, "Message")) : NULL;
        api_error_set(err, API_ERR_CREDENTIALS,
                      "profile %.100s: GetRoleCredentials for role %.100s in account %.20s: HTTP "
                      "%ld%s%.300s",
                      s->profile, s->role_name, s->account_id, resp->status, m ? ": " : "",
                      m ? m : "");
        err->http_status = resp->status;
        json_object_put(e);
        return -1;
    }
    return cred_sso_role_credentials(resp->body, resp->body_len, out, err);
}

static void answered(void *ctx, struct api_http_response *resp, const struct api_error *terr)
{
    struct sso_job *j = ctx;
    struct sso *s = j->s;
    struct api_credentials out = {0};
    struct api_error err = *terr;
    int rc = -1;

    j->xfer = NULL;
    if (j->refreshing) {
        /* A failed refresh matters only once the old token has expired. */
        if (terr->kind == API_ERR_NONE)
            rc = refresh_apply(j, resp, &err);
        if (rc != 0 && j->exp <= j->now) {
            char why[sizeof err.message + 64];
            snprintf(why, sizeof why, "has expired and could not be refreshed (%.700s)",
                     err.message);
            login_hint(s, &err, why);
            rc = -1;
        } else {
            api_error_clear(&err);
            rc = role_start(j, &err);
        }
    } else if (terr->kind != API_ERR_NONE) {
        cred_error_prefix(&err, "profile %.100s: GetRoleCredentials at %.200s", s->profile,
                          s->portal);
    } else {
        rc = role_read(s, resp, &out, &err);
    }
    api_http_response_free(resp);
    if (rc == CRED_PENDING)
        return;
    job_free(j);
    cred_refresh_finish(&s->r, rc, &out, &err);
}

static int sso_fetch(struct cred_refreshing *r, time_t now, struct api_credentials *out,
                     struct api_credentials_op **jobp, struct api_error *err)
{
    struct sso *s = (struct sso *)r;
    size_t len;
    char *text, what[200];
    bool refreshable = false;
    struct sso_job *j;
    int rc;

    if (!cred_provider_loop(&r->base) || !(j = calloc(1, sizeof *j)))
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    j->op.cancel = job_cancel;
    j->op.waiting_for = job_waiting_for;
    j->s = s;
    j->now = now;
    if (!(text = read_cache(s, &len, err))) {
        job_free(j);
        return -1;
    }
    snprintf(what, sizeof what, "profile %.100s: the token cache", s->profile);
    rc = cred_sso_cache_parse(text, len, what, now, &j->cache, &j->exp, &refreshable, err);
    secret_file_free(text, len);
    if (rc != 0) {
        if (j->cache) /* JSON, but no usable token */
            api_error_set(err, API_ERR_CREDENTIALS,
                          "profile %.100s: %.300s has no accessToken or no valid expiresAt; "
                          "run: aws sso login --profile %.100s",
                          s->profile, s->cache_path, s->profile);
        job_free(j);
        return -1;
    }
    if (j->exp - now < CRED_ADVISORY_REFRESH_SECONDS && s->can_refresh && refreshable) {
        struct api_error refresh_err;
        api_error_clear(&refresh_err);
        rc = refresh_start(j, &refresh_err);
        if (rc != CRED_PENDING && j->exp <= now) {
            char why[sizeof refresh_err.message + 64];
            snprintf(why, sizeof why, "has expired and could not be refreshed (%.700s)",
                     refresh_err.message);
            job_free(j);
            return login_hint(s, err, why);
        }
    } else {
        rc = -1;
    }
    if (rc != CRED_PENDING)
        rc = role_start(j, err);
    if (rc != CRED_PENDING) {
        job_free(j);
        return -1;
    }
    *jobp = &j->op;
    return CRED_PENDING;
}

static void sso_destroy(struct cred_refreshing *r)
{
    struct sso *s = (struct sso *)r;

    free(s->profile);
    free(s->account_id);
    free(s->role_name);
    free(s->cache_path);
    free(s->portal);
    free(s->oidc);
}

static void strip_slashes(char *url)
{
    size_t n = strlen(url);

    while (n && url[n - 1] == '/')
        url[--n] = '\0';
}

/* ~/.aws/sso/cache/<hex sha1(key)>.json */
static char *cache_path_for(const char *key)
{
    unsigned char md[20];
    unsigned int n = 0;
    char hex[41], rel[80];

    if (EVP_Digest(key, strlen(key), md, &n, EVP_sha1(), NULL) != 1 || n != 20)
        return NULL;
    for (int i = 0; i < 20; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    snprintf(rel, sizeof rel, "~/.aws/sso/cache/%s.json", hex);
    return aws_expand_home(rel);
}

struct api_credentials_provider *cred_sso_new(const struct cred_settings *cs, const char *profile,
                                              struct api_error *err)
{
    static const char *const keys[] = {"sso_start_url", "sso_region", "sso_account_id",
                                       "sso_role_name"};
    struct aws_setting v[4], session;
    const char *start_url, *region, *cache_key;
    char missing[200] = "";
    bool any = false, oom = false;
    struct sso *s;

    api_error_clear(err);
    for (int i = 0; i < 4; i++)
        any = aws_profile_get(cs->files, profile, keys[i], &v[i]) || any;
    any = aws_profile_get(cs->files, profile, "sso_session", &session) || any;
    if (!any)
        return NULL;
    start_url = v[0].value;
    region = v[1].value;
    cache_key = start_url;
    if (session.value) {
        const struct ini_section *sec = aws_config_section(cs->files, "sso-session", session.value);
        const struct ini_entry *u = ini_entry_find(sec, "sso_start_url");
        const struct ini_entry *g = ini_entry_find(sec, "sso_region");
        if (!sec) {
            api_error_set(
                err, API_ERR_CREDENTIALS,
                "%.200s line %d: profile %.100s names sso_session \"%.100s\" but there is "
                "no [sso-session %.100s] section",
                session.file, session.line, profile, session.value, session.value);
            return NULL;
        }
        if ((u && start_url && strcmp(u->value, start_url)) ||
            (g && region && strcmp(g->value, region))) {
            api_error_set(err, API_ERR_CREDENTIALS,
                          "profile %.100s: its sso_start_url/sso_region differ from those of "
                          "[sso-session %.100s]",
                          profile, session.value);
            return NULL;
        }
        start_url = u ? u->value : NULL;
        region = g ? g->value : NULL;
        cache_key = session.value;
    }
    if (!start_url)
        strcat(missing, " sso_start_url");
    if (!region)
        strcat(missing, " sso_region");
    if (!v[2].value)
        strcat(missing, " sso_account_id");
    if (!v[3].value)
        strcat(missing, " sso_role_name");
    if (missing[0]) {
        api_error_set(err, API_ERR_CREDENTIALS,
                      "profile %.100s uses IAM Identity Center but lacks:%s", profile, missing);
        return NULL;
    }
    if (!api_region_valid(region)) {
        api_error_set(err, API_ERR_CREDENTIALS, "profile %.100s: sso_region \"%.60s\" is not valid",
                      profile, region);
        return NULL;
    }
    s = calloc(1, sizeof *s);
    if (!s) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    cred_refreshing_init(&s->r, "sso", cs->loop);
    s->r.fetch = sso_fetch;
    s->r.destroy = sso_destroy;
    s->can_refresh = session.value != NULL;
    s->profile = cred_strdup(profile, &oom);
    s->account_id = cred_strdup(v[2].value, &oom);
    s->role_name = cred_strdup(v[3].value, &oom);
    s->cache_path = cache_path_for(cache_key);
    if (oom || !s->cache_path) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory (or no home directory)");
        goto fail;
    }
    if (api_endpoint_resolve(&api_endpoint_sso, cs->files, profile, NULL, region, &s->portal,
                             err) != 0 ||
        api_endpoint_resolve(&api_endpoint_sso_oidc, cs->files, profile, NULL, region, &s->oidc,
                             err) != 0)
        goto fail;
    strip_slashes(s->portal);
    strip_slashes(s->oidc);
    return &s->r.base;
fail:
    s->r.base.ops->free(&s->r.base);
    return NULL;
}
