/* api/credentials_assume_role.c — role_arn with source_profile or
 * credential_source, through STS AssumeRole (signed with the source's
 * credentials). Chained profiles build a chain of these; a profile met twice
 * on the way is a cycle (except a profile naming itself as its source while
 * holding static keys, which botocore allows). mfa_serial: the code comes
 * from the caller's prompt (api_config_options.mfa_prompt) at each fetch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/credentials_sts.h"
#include "api/endpoint.h"

struct assume_role {
    struct cred_refreshing r;
    struct api_credentials_provider *source;
    char *role_arn, *session_name, *external_id, *mfa_serial, *endpoint, *region, *ca_bundle;
    long duration; /* 0 = STS default */
    api_mfa_prompt_fn mfa_prompt;
    void *mfa_ctx;
    char what[300]; /* "profile P, role ARN" */
};

static int assume_fetch(struct cred_refreshing *r, time_t now, struct api_credentials *out,
                        struct api_error *err)
{
    struct assume_role *a = (struct assume_role *)r;
    struct api_credentials src = {0};
    struct cred_buf body = {0};
    char duration[24], code[64] = "", session[80];
    int rc;

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
