/* api/credentials_assume_role.c — role_arn with source_profile or
 * credential_source, through STS AssumeRole (signed with the source's
 * credentials). Chained profiles build a chain of these; a profile met twice
 * on the way is a cycle (except a profile naming itself as its source while
 * holding static keys, which botocore allows). mfa_serial: the code comes
 * from the caller's prompt (api_config_options.mfa_prompt) at each STS call.
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

#include "api/credentials_sts.h"
#include "api/endpoint.h"
#include "api/secret_file.h"

#define CACHE_MAX (64 * 1024)

struct assume_role {
    struct cred_refreshing r;
    struct api_credentials_provider *source;
    char *role_arn, *session_name, *external_id, *mfa_serial, *endpoint, *region, *ca_bundle;
    long duration; /* 0 = STS default */
    api_mfa_prompt_fn mfa_prompt;
    void *mfa_ctx;
    char *cache_path; /* ~/.aws/cli/cache/<key>.json, or NULL */
    char what[300];   /* "profile P, role ARN" */
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

static int assume_fetch(struct cred_refreshing *r, time_t now, struct api_credentials *out,
                        struct api_error *err)
{
    struct assume_role *a = (struct assume_role *)r;
    struct api_credentials src = {0};
    struct cred_buf body = {0};
    char duration[24], code[64] = "", session[80];
    int rc;

    if (cache_read(a, now, out) == 0)
        return 0;
    if (api_credentials_get(a->source, now, &src, err) != 0) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%.250s: source credentials (%.60s): %.650s", a->what,
                 api_credentials_source(a->source), err->message);
        snprintf(err->message, sizeof err->message, "%s", msg);
        return -1;
    }
    if (a->mfa_serial) {
        if (!a->mfa_prompt) {
            api_credentials_clear(&src);
            return api_error_set(err, API_ERR_CREDENTIALS,
                                 "%s needs an MFA code for %s, and nothing here can ask for one",
                                 a->what, a->mfa_serial);
        }
        if (a->mfa_prompt(a->mfa_ctx, a->mfa_serial, code, sizeof code) != 0 || !code[0]) {
            OPENSSL_cleanse(code, sizeof code);
            api_credentials_clear(&src);
            return api_error_set(err, API_ERR_CREDENTIALS, "%s: no MFA code was given for %s",
                                 a->what, a->mfa_serial);
        }
        code[sizeof code - 1] = '\0';
    }
    if (a->session_name)
        snprintf(session, sizeof session, "%s", a->session_name);
    else
        snprintf(session, sizeof session, "cognito-tui-%lld", (long long)now);
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
    OPENSSL_cleanse(code, sizeof code);
    if (body.failed) {
        rc = api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    } else {
        struct cred_sts_request rq = {a->endpoint, a->region, a->ca_bundle, "AssumeRole",
                                      body.data,   &src,      now,          a->what};
        rc = cred_sts_call(&rq, out, err);
    }
    if (rc == 0)
        cache_write(a, out);
    cred_buf_free(&body);
    api_credentials_clear(&src);
    return rc;
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
    free(a->ca_bundle);
    free(a->cache_path);
}

static bool has_static_keys(const struct aws_files *f, const char *profile)
{
    return ini_entry_find(aws_credentials_profile(f, profile), "aws_access_key_id") ||
           ini_entry_find(aws_config_profile(f, profile), "aws_access_key_id");
}

/* The provider of the role's source credentials. */
static struct api_credentials_provider *
make_source(const struct cred_settings *cs, const char *profile, const char *where,
            const struct aws_setting *sp, const struct aws_setting *csrc, const char **visited,
            size_t n_visited, struct api_error *err)
{
    struct api_credentials_provider *p = NULL;

    if (sp->value) {
        char path[600] = "";
        bool self = strcmp(sp->value, profile) == 0;

        if (!aws_profile_exists(cs->files, sp->value)) {
            api_error_set(err, API_ERR_CREDENTIALS,
                          "%s: source_profile \"%.100s\" is in neither %s nor %s", where, sp->value,
                          cs->files->config.path, cs->files->credentials.path);
            return NULL;
        }
        if (self && has_static_keys(cs->files, profile)) {
            /* A profile may assume a role with its own keys. */
            p = cred_profile_file_new(cs->files, profile, true, err);
            if (!p && !err->kind)
                p = cred_profile_file_new(cs->files, profile, false, err);
            return p;
        }
        bool cycle = self;
        for (size_t i = 0; i < n_visited; i++)
            cycle = cycle || strcmp(visited[i], sp->value) == 0;
        if (cycle) {
            for (size_t i = 0; i < n_visited; i++)
                snprintf(path + strlen(path), sizeof path - strlen(path), "%.60s -> ", visited[i]);
            snprintf(path + strlen(path), sizeof path - strlen(path), "%.60s -> %.60s", profile,
                     sp->value);
            api_error_set(err, API_ERR_CREDENTIALS, "%s: source_profile makes a cycle: %s", where,
                          path);
            return NULL;
        }
        const char **next = malloc((n_visited + 1) * sizeof *next);
        if (!next) {
            api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
            return NULL;
        }
        if (n_visited)
            memcpy(next, visited, n_visited * sizeof *next);
        next[n_visited] = profile;
        p = cred_source_profile_new(cs, sp->value, next, n_visited + 1, err);
        free(next);
        return p;
    }
    if (strcmp(csrc->value, "Environment") == 0) {
        p = cred_env_new(err);
        if (!p && !err->kind)
            api_error_set(err, API_ERR_CREDENTIALS,
                          "%s: credential_source = Environment, but AWS_ACCESS_KEY_ID and "
                          "AWS_SECRET_ACCESS_KEY are not set",
                          where);
        return p;
    }
    if (strcmp(csrc->value, "Ec2InstanceMetadata") == 0)
        return cred_imds_new(cs, true, err);
    if (strcmp(csrc->value, "EcsContainer") == 0)
        return cred_container_new(cs, true, err);
    api_error_set(err, API_ERR_CREDENTIALS,
                  "%s: credential_source \"%.60s\" is not one of Environment, Ec2InstanceMetadata, "
                  "EcsContainer",
                  where, csrc->value);
    return NULL;
}

struct api_credentials_provider *cred_assume_role_new(const struct cred_settings *cs,
                                                      const char *profile, const char **visited,
                                                      size_t n_visited, struct api_error *err)
{
    struct aws_setting role, web, sp, csrc, s;
    struct assume_role *a;
    char where[400];
    bool oom = false;

    api_error_clear(err);
    if (!aws_profile_get(cs->files, profile, "role_arn", &role) ||
        aws_profile_get(cs->files, profile, "web_identity_token_file", &web))
        return NULL; /* not an assume-role profile */
    snprintf(where, sizeof where, "profile %.100s (%.200s line %d)", profile, role.file, role.line);
    aws_profile_get(cs->files, profile, "source_profile", &sp);
    aws_profile_get(cs->files, profile, "credential_source", &csrc);
    if (!role.value[0]) {
        api_error_set(err, API_ERR_CREDENTIALS, "%s: role_arn is empty", where);
        return NULL;
    }
    if (sp.value && csrc.value) {
        api_error_set(err, API_ERR_CREDENTIALS,
                      "%s: role_arn needs one of source_profile and credential_source, not both",
                      where);
        return NULL;
    }
    if (!sp.value && !csrc.value) {
        api_error_set(err, API_ERR_CREDENTIALS,
                      "%s: role_arn needs a source_profile or a credential_source to get the "
                      "credentials that assume it",
                      where);
        return NULL;
    }
    a = calloc(1, sizeof *a);
    if (!a) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    cred_refreshing_init(&a->r, "assume-role");
    a->r.fetch = assume_fetch;
    a->r.destroy = assume_destroy;
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
    a->ca_bundle = cred_strdup(cs->ca_bundle, &oom);
    a->mfa_prompt = cs->mfa_prompt;
    a->mfa_ctx = cs->mfa_ctx;
    if (oom) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        goto fail;
    }
    if (api_endpoint_resolve(&api_endpoint_sts, cs->files, profile, NULL, cs->region, &a->endpoint,
                             err) != 0)
        goto fail;
    a->cache_path = cli_cache_path(a); /* NULL: no cache, not an error */
    a->source = make_source(cs, profile, where, &sp, &csrc, visited, n_visited, err);
    if (!a->source) {
        if (!err->kind)
            api_error_set(err, API_ERR_CREDENTIALS, "%s: the source has no credentials", where);
        goto fail;
    }
    return &a->r.base;
fail:
    a->r.base.ops->free(&a->r.base);
    return NULL;
}
