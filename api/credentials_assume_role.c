/* api/credentials_assume_role.c — role_arn assumed through STS AssumeRole,
 * signed with the credentials of a source provider it is given ready-made
 * (api/credentials_resolve.c picks it from source_profile or
 * credential_source, and finds cycles). mfa_serial: the code is asked
 * (api/mfa.h) at each STS call.
 *
 * A fetch: the AWS CLI's cache → the source's credentials (asynchronous,
 * shared with whoever else waits on that source) → the MFA code → STS
 * AssumeRole (on the chain's loop) → the cache.
 *
 * The AWS CLI's cache is shared: ~/.aws/cli/cache/<key>.json, where key is
 * the hex SHA-1 of the call's arguments as Python's json.dumps(sort_keys=True)
 * writes them (RoleArn, and whichever of DurationSeconds, ExternalId,
 * RoleSessionName, SerialNumber the profile sets), holding
 * {"Credentials": {AccessKeyId, SecretAccessKey, SessionToken, Expiration}}.
 * Credentials found there with more than 15 minutes left are used without
 * calling STS (so the MFA code is asked once per session, not per command);
 * new ones are written there (mode 0600, atomically). The cache is best
 * effort: a missing, unreadable or malformed file just means calling STS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "api/credentials_loop.h"
#include "api/credentials_sts.h"
#include "api/endpoint.h"
#include "api/secret_file.h"

#define CACHE_MAX (64 * 1024)

struct assume_role {
    struct cred_refreshing r;
    struct api_credentials_provider *source;
    char *role_arn, *session_name, *external_id, *mfa_serial, *endpoint, *region;
    long duration; /* 0 = STS default */
    api_mfa_prompt_fn mfa_prompt;
    void *mfa_ctx;
    struct api_mfa_asker asker;
    char *cache_path; /* ~/.aws/cli/cache/<key>.json, or NULL */
    char what[300];   /* "profile P, role ARN" */
};

/* One fetch in flight. */
struct assume_job {
    struct api_credentials_op op;
    struct assume_role *a;
    time_t now;
    struct api_credentials_op *source_op; /* waiting for the source */
    struct api_mfa_question *question;    /* waiting for the user */
    struct cred_sts_call *call;           /* waiting for STS */
    struct api_credentials src;           /* the source's credentials, wiped when done */
};

/* ---- The AWS CLI's assumed-role cache ---- */

/* Appends s as Python's json.dumps writes a string (ensure_ascii). */
static void py_json_string(struct cred_buf *b, const char *s, bool *oom)
{
    char tmp[32];
    const unsigned char *p = (const unsigned char *)s;
    size_t need = b->len + 6 * strlen(s) * 2 + 4;

    if (*oom)
        return;
    if (need > b->cap) {
        char *grown = realloc(b->data, need * 2);
        if (!grown) {
            *oom = true;
            return;
        }
        b->data = grown, b->cap = need * 2;
    }
    b->data[b->len++] = '"';
    while (*p) {
        unsigned long cp = *p;
        int extra = 0;
        if (cp >= 0xF0)
            cp &= 0x07, extra = 3;
        else if (cp >= 0xE0)
            cp &= 0x0F, extra = 2;
        else if (cp >= 0xC0)
            cp &= 0x1F, extra = 1;
        p++;
        for (int i = 0; i < extra && (*p & 0xC0) == 0x80; i++)
            cp = (cp << 6) | (*p++ & 0x3F);
        if (cp == '"' || cp == '\\') {
            b->data[b->len++] = '\\';
            b->data[b->len++] = (char)cp;
        } else if (cp == '\n' || cp == '\r' || cp == '\t' || cp == '\b' || cp == '\f') {
            b->data[b->len++] = '\\';
            b->data[b->len++] = cp == '\n'   ? 'n'
                                : cp == '\r' ? 'r'
                                : cp == '\t' ? 't'
                                : cp == '\b' ? 'b'
                                             : 'f';
        } else if (cp >= 0x20 && cp < 0x7F) {
            b->data[b->len++] = (char)cp;
        } else if (cp >= 0x10000) {
            cp -= 0x10000;
            snprintf(tmp, sizeof tmp, "\\u%04lx\\u%04lx", 0xD800 + (cp >> 10),
                     0xDC00 + (cp & 0x3FF));
            memcpy(b->data + b->len, tmp, strlen(tmp));
            b->len += strlen(tmp);
        } else {
            snprintf(tmp, sizeof tmp, "\\u%04lx", cp);
            memcpy(b->data + b->len, tmp, strlen(tmp));
            b->len += strlen(tmp);
        }
    }
    b->data[b->len++] = '"';
    b->data[b->len] = '\0';
}

static void py_json_raw(struct cred_buf *b, const char *s, bool *oom)
{
    size_t n = strlen(s);

    if (*oom)
        return;
    if (b->len + n + 1 > b->cap) {
        char *grown = realloc(b->data, (b->len + n + 1) * 2);
        if (!grown) {
            *oom = true;
            return;
        }
        b->data = grown, b->cap = (b->len + n + 1) * 2;
    }
    memcpy(b->data + b->len, s, n + 1);
    b->len += n;
}

/* The cache file of these arguments (the keys in sorted order, as Python's
 * sort_keys orders them), or NULL. */
static char *cli_cache_path(const struct assume_role *a)
{
    struct cred_buf b = {0};
    bool oom = false, first = true;
    char duration[24], hex[41], rel[96];
    unsigned char md[20];
    unsigned int n = 0;
    const char *keys[] = {"DurationSeconds", "ExternalId", "RoleArn", "RoleSessionName",
                          "SerialNumber"};
    const char *values[] = {a->duration ? duration : NULL, a->external_id, a->role_arn,
                            a->session_name, a->mfa_serial};

    snprintf(duration, sizeof duration, "%ld", a->duration);
    py_json_raw(&b, "{", &oom);
    for (int i = 0; i < 5; i++) {
        if (!values[i])
            continue;
        py_json_raw(&b, first ? "" : ", ", &oom);
        py_json_string(&b, keys[i], &oom);
        py_json_raw(&b, ": ", &oom);
        if (i == 0)
            py_json_raw(&b, duration, &oom);
        else
            py_json_string(&b, values[i], &oom);
        first = false;
    }
    py_json_raw(&b, "}", &oom);
    if (oom || EVP_Digest(b.data, b.len, md, &n, EVP_sha1(), NULL) != 1 || n != 20) {
        free(b.data);
        return NULL;
    }
    free(b.data);
    for (int i = 0; i < 20; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    snprintf(rel, sizeof rel, "~/.aws/cli/cache/%s.json", hex);
    return aws_expand_home(rel);
}

/* Credentials from the cache with more than 15 minutes left, or -1. */
static int cache_read(const struct assume_role *a, time_t now, struct api_credentials *out)
{
    char *buf = NULL;
    size_t len = 0;
    json_object *o, *creds;
    struct api_error ignored;
    int rc = -1;

    api_error_clear(&ignored);
    if (!a->cache_path || secret_file_read(a->cache_path, CACHE_MAX, 0, &buf, &len, &ignored) != 0)
        return -1;
    o = cred_json_parse(buf, len, "cache", &ignored);
    secret_file_free(buf, len);
    if (o && json_object_object_get_ex(o, "Credentials", &creds) &&
        json_object_is_type(creds, json_type_object) &&
        cred_from_json(creds, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration",
                       "cache", out, &ignored) == 0) {
        if (out->session_token && out->expiration - now > CRED_ADVISORY_REFRESH_SECONDS)
            rc = 0;
        else
            api_credentials_clear(out);
    }
    cred_json_put_wiped(o);
    return rc;
}

/* Writes the credentials where the AWS CLI keeps them; failures are ignored. */
static void cache_write(const struct assume_role *a, const struct api_credentials *c)
{
    char iso[32];
    json_object *o, *creds;
    const char *text;
    size_t len = 0;
    struct tm tm;
    struct api_error ignored;

    if (!a->cache_path)
        return;
    gmtime_r(&c->expiration, &tm);
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    o = json_object_new_object();
    creds = json_object_new_object();
    if (!o || !creds) {
        json_object_put(o);
        json_object_put(creds);
        return;
    }
    json_object_object_add(creds, "AccessKeyId", json_object_new_string(c->access_key_id));
    json_object_object_add(creds, "SecretAccessKey", json_object_new_string(c->secret_access_key));
    json_object_object_add(creds, "SessionToken", json_object_new_string(c->session_token));
    json_object_object_add(creds, "Expiration", json_object_new_string(iso));
    json_object_object_add(o, "Credentials", creds);
    text = json_object_to_json_string_length(o, JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    api_error_clear(&ignored);
    if (text) {
        secret_file_write(a->cache_path, text, len, SECRET_FILE_MAKE_DIRS, &ignored);
        OPENSSL_cleanse((char *)text, len); /* json-c's buffer holds the secret */
    }
    cred_json_put_wiped(o);
}

static void job_free(struct assume_job *j)
{
    api_credentials_op_cancel(j->source_op);
    mfa_question_withdraw(j->question);
    cred_sts_cancel(j->call);
    api_credentials_clear(&j->src);
    free(j);
}

static void job_cancel(struct api_credentials_op *op)
{
    job_free((struct assume_job *)op);
}

static const char *job_waiting_for(const struct api_credentials_op *op)
{
    const struct assume_job *j = (const struct assume_job *)op;

    if (j->source_op)
        return api_credentials_op_waiting_for(j->source_op);
    return j->question ? "MFA code" : "assume-role";
}

/* The job's end, from a callback: it goes first, then the refresh layer hears. */
static void job_finish(struct assume_job *j, int rc, struct api_credentials *out,
                       const struct api_error *err)
{
    struct cred_refreshing *r = &j->a->r;

    job_free(j);
    cred_refresh_finish(r, rc, out, err);
}

static void sts_answered(void *ctx, int rc, struct api_http_response *resp,
                         const struct api_error *err)
{
    struct assume_job *j = ctx;
    struct api_credentials out = {0};
    struct api_error e = *err;

    j->call = NULL;
    if (rc == 0 && (rc = cred_sts_credentials(resp, "AssumeRole", j->a->what, &out, &e)) == 0)
        cache_write(j->a, &out);
    job_finish(j, rc, &out, &e);
}

/* STS AssumeRole with the source's credentials (and the code). Returns
 * CRED_PENDING or -1 with err. */
static int ask_sts(struct assume_job *j, const char *code, struct api_error *err)
{
    struct assume_role *a = j->a;
    struct cred_buf body = {0};
    char duration[24], session[80];

    if (a->session_name)
        snprintf(session, sizeof session, "%s", a->session_name);
    else
        snprintf(session, sizeof session, "cognito-tui-%lld", (long long)j->now);
    cred_form_append(&body, "Action", "AssumeRole");
    cred_form_append(&body, "Version", "2011-06-15");
    cred_form_append(&body, "RoleArn", a->role_arn);
    cred_form_append(&body, "RoleSessionName", session);
    if (a->duration) {
        snprintf(duration, sizeof duration, "%ld", a->duration);
        cred_form_append(&body, "DurationSeconds", duration);
    }
    if (a->external_id)
        cred_form_append(&body, "ExternalId", a->external_id);
    if (a->mfa_serial) {
        cred_form_append(&body, "SerialNumber", a->mfa_serial);
        cred_form_append(&body, "TokenCode", code);
    }
    if (!body.failed) {
        struct cred_sts_request rq = {a->r.base.loop, a->endpoint, a->region, "AssumeRole",
                                      body.data,      &j->src,     j->now,    a->what};
        j->call = cred_sts_start(&rq, sts_answered, j, err);
    } else {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    }
    cred_buf_free(&body);           /* it held the code */
    api_credentials_clear(&j->src); /* signed: no longer needed */
    return j->call ? CRED_PENDING : -1;
}

static void mfa_answered(void *ctx, const char *code)
{
    struct assume_job *j = ctx;
    struct api_error err;

    j->question = NULL;
    api_error_clear(&err);
    if (!code)
        api_error_set(&err, API_ERR_CREDENTIALS, "%s: no MFA code was given for %s", j->a->what,
                      j->a->mfa_serial);
    else if (ask_sts(j, code, &err) == CRED_PENDING)
        return;
    job_finish(j, -1, NULL, &err);
}

/* With the source's credentials in hand: the code, then STS. Returns
 * CRED_PENDING or -1 with err. */
static int have_source(struct assume_job *j, struct api_error *err)
{
    struct assume_role *a = j->a;
    char code[64] = "";
    int rc;

    if (!a->mfa_serial)
        return ask_sts(j, NULL, err);
    /* The console answers later; a blocking caller, or one that gave no
     * asker, is asked here and now. */
    if (a->asker.ask && !cred_loop_blocking(a->r.base.loop)) {
        j->question = mfa_question_ask(a->r.base.loop, &a->asker, a->mfa_serial, mfa_answered, j);
        return j->question ? CRED_PENDING
                           : api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    }
    if (!a->mfa_prompt)
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "%s needs an MFA code for %s, and nothing here can ask for one",
                             a->what, a->mfa_serial);
    if (a->mfa_prompt(a->mfa_ctx, a->mfa_serial, code, sizeof code) != 0 || !code[0]) {
        OPENSSL_cleanse(code, sizeof code);
        return api_error_set(err, API_ERR_CREDENTIALS, "%s: no MFA code was given for %s", a->what,
                             a->mfa_serial);
    }
    code[sizeof code - 1] = '\0';
    rc = ask_sts(j, code, err);
    OPENSSL_cleanse(code, sizeof code);
    return rc;
}

static void name_source_failure(const struct assume_role *a, struct api_error *err)
{
    cred_error_prefix(err, "%.250s: source credentials (%.60s)", a->what,
                      api_credentials_source(a->source));
}

static void source_answered(void *ctx, int rc, struct api_credentials *creds,
                            const struct api_error *err)
{
    struct assume_job *j = ctx;
    struct api_error e = *err;

    j->source_op = NULL;
    if (rc != 0) {
        name_source_failure(j->a, &e);
        job_finish(j, -1, NULL, &e);
        return;
    }
    j->src = *creds;
    memset(creds, 0, sizeof *creds);
    api_error_clear(&e);
    if (have_source(j, &e) != CRED_PENDING)
        job_finish(j, -1, NULL, &e);
}

static int assume_fetch(struct cred_refreshing *r, time_t now, struct api_credentials *out,
                        struct api_credentials_op **job, struct api_error *err)
{
    struct assume_role *a = (struct assume_role *)r;
    struct assume_job *j;
    int rc;

    if (cache_read(a, now, out) == 0)
        return 0;
    if (!cred_provider_loop(&r->base) || !(j = calloc(1, sizeof *j)))
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    j->op.cancel = job_cancel;
    j->op.waiting_for = job_waiting_for;
    j->a = a;
    j->now = now;
    rc = api_credentials_start(a->source, now, &j->src, source_answered, j, &j->source_op, err);
    if (rc == 0)
        rc = have_source(j, err);
    else if (rc != CRED_PENDING)
        name_source_failure(a, err);
    if (rc != CRED_PENDING) {
        job_free(j);
        return -1;
    }
    *job = &j->op;
    return CRED_PENDING;
}

static void assume_destroy(struct cred_refreshing *r)
{
    struct assume_role *a = (struct assume_role *)r;

    api_credentials_provider_free(a->source);
    free(a->role_arn);
    free(a->session_name);
    free(a->external_id);
    free(a->mfa_serial);
    free(a->endpoint);
    free(a->region);
    free(a->cache_path);
}

struct api_credentials_provider *cred_assume_role_new(const struct cred_settings *cs,
                                                      const char *profile,
                                                      struct api_credentials_provider *source,
                                                      struct api_error *err)
{
    struct aws_setting role, s;
    struct assume_role *a;
    bool oom = false;

    api_error_clear(err);
    if (!aws_profile_get(cs->files, profile, "role_arn", &role) || !role.value[0]) {
        api_credentials_provider_free(source);
        api_error_set(err, API_ERR_CREDENTIALS, "profile %.100s has no role_arn", profile);
        return NULL;
    }
    a = calloc(1, sizeof *a);
    if (!a) {
        api_credentials_provider_free(source);
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    cred_refreshing_init(&a->r, "assume-role", cs->loop);
    a->r.fetch = assume_fetch;
    a->r.destroy = assume_destroy;
    a->source = source;
    snprintf(a->what, sizeof a->what, "profile %.100s, role %.180s", profile, role.value);
    if (aws_profile_get(cs->files, profile, "duration_seconds", &s)) {
        char *end;
        a->duration = strtol(s.value, &end, 10);
        if (end == s.value || *end || a->duration < 900 || a->duration > 43200) {
            api_error_set(err, API_ERR_CREDENTIALS,
                          "%s line %d: duration_seconds \"%.40s\" must be a whole number of "
                          "seconds from 900 to 43200",
                          s.file, s.line, s.value);
            goto fail;
        }
    }
    a->role_arn = cred_strdup(role.value, &oom);
    if (aws_profile_get(cs->files, profile, "role_session_name", &s) && s.value[0])
        a->session_name = cred_strdup(s.value, &oom);
    if (aws_profile_get(cs->files, profile, "external_id", &s) && s.value[0])
        a->external_id = cred_strdup(s.value, &oom);
    if (aws_profile_get(cs->files, profile, "mfa_serial", &s) && s.value[0])
        a->mfa_serial = cred_strdup(s.value, &oom);
    a->region = cred_strdup(cs->region, &oom);
    a->mfa_prompt = cs->mfa_prompt;
    a->mfa_ctx = cs->mfa_ctx;
    a->asker = cs->mfa_asker;
    if (oom) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        goto fail;
    }
    if (api_endpoint_resolve(&api_endpoint_sts, cs->files, profile, NULL, cs->region, &a->endpoint,
                             err) != 0)
        goto fail;
    a->cache_path = cli_cache_path(a); /* NULL: no cache, not an error */
    return &a->r.base;
fail:
    a->r.base.ops->free(&a->r.base);
    return NULL;
}
