/* api/credentials_chain.c — the AWS CLI v2 credentials chain as one provider.
 *
 * The chain holds the sources found configured for the profile, in order.
 * get() asks them in turn until one answers and then remembers it: later
 * calls (refreshes included) go to that source only, and
 * api_credentials_source() names it. A source's get() returning
 * CRED_NOT_AVAILABLE (instance metadata that is not there) lets the chain go
 * on; any other failure is the answer, as in botocore. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/credentials_sources.h"

#define CHAIN_MAX 10

struct chain {
    struct api_credentials_provider base;
    struct api_credentials_provider *src[CHAIN_MAX];
    size_t n;
    int chosen; /* index of the source that answered, or -1 */
    char profile[200];
    char looked_at[512]; /* what was searched, for "no credentials" */
};

/* Errors at get time name the profile and the source, whatever the source said. */
static int name_failure(struct chain *c, const struct api_credentials_provider *s,
                        struct api_error *err)
{
    char msg[sizeof err->message], named[220];

    /* Most sources already start with "profile NAME"; say it once. */
    snprintf(named, sizeof named, "profile %.200s", c->profile);
    if (strncmp(err->message, named, strlen(named)) == 0)
        snprintf(msg, sizeof msg, "source %.60s: %.900s", s->source, err->message);
    else
        snprintf(msg, sizeof msg, "profile %.100s, source %.60s: %.800s", c->profile, s->source,
                 err->message);
    snprintf(err->message, sizeof err->message, "%s", msg);
    if (err->kind == API_ERR_NONE)
        err->kind = API_ERR_CREDENTIALS;
    return -1;
}

static int chain_get(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
                     struct api_error *err)
{
    struct chain *c = (struct chain *)p;
    char why[sizeof err->message] = "";

    if (c->chosen >= 0) {
        struct api_credentials_provider *s = c->src[c->chosen];
        int rc = s->ops->get(s, now, out, err);
        snprintf(c->base.source, sizeof c->base.source, "%s", s->source);
        return rc == 0 ? 0 : name_failure(c, s, err);
    }
    for (size_t i = 0; i < c->n; i++) {
        struct api_credentials_provider *s = c->src[i];
        int rc = s->ops->get(s, now, out, err);
        if (rc == 0) {
            c->chosen = (int)i;
            snprintf(c->base.source, sizeof c->base.source, "%s", s->source);
            return 0;
        }
        if (rc != CRED_NOT_AVAILABLE)
            return name_failure(c, s, err);
        snprintf(why, sizeof why, "; %.900s", err->message);
    }
    return api_error_set(err, API_ERR_CREDENTIALS, "no credentials found for profile %s: %s%s",
                         c->profile, c->looked_at, why);
}

static void chain_free(struct api_credentials_provider *p)
{
    struct chain *c = (struct chain *)p;

    for (size_t i = 0; i < c->n; i++)
        api_credentials_provider_free(c->src[i]);
    free(c);
}

static const struct api_credentials_provider_ops chain_ops = {chain_get, chain_free};

/* Only the source that answered holds credentials; before any answer, none. */
bool cred_chain_expiration(const struct api_credentials_provider *p, time_t *out)
{
    const struct chain *c = (const struct chain *)p;

    if (p->ops != &chain_ops)
        return false;
    *out = c->chosen >= 0 ? api_credentials_expiration(c->src[c->chosen]) : 0;
    return true;
}

/* Adds `s` (may be NULL: not configured). Returns 1 when it is certain to
 * answer (the chain stops here), 0 to go on, -1 on a configuration error. */
static int chain_add(struct chain *c, struct api_credentials_provider *s, bool soft,
                     const struct api_error *err)
{
    if (!s)
        return err->kind == API_ERR_NONE ? 0 : -1;
    c->src[c->n++] = s;
    return soft ? 0 : 1;
}

struct api_credentials_provider *cred_chain_new(const struct cred_settings *cs, const char *profile,
                                                bool skip_env, struct api_error *err)
{
    struct chain *c = calloc(1, sizeof *c);
    int rc = 0;

    if (!c) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    c->base.ops = &chain_ops;
    c->chosen = -1;
    snprintf(c->profile, sizeof c->profile, "%s", profile);
    snprintf(c->looked_at, sizeof c->looked_at,
             "%skeys, role_arn, sso settings or credential_process in %s or %s, "
             "AWS_CONTAINER_CREDENTIALS_* variables",
             skip_env ? "" : "AWS_ACCESS_KEY_ID in the environment, ", cs->files->credentials.path,
             cs->files->config.path);

    if (!skip_env)
        rc = chain_add(c, cred_env_new(err), false, err);
    if (rc == 0)
        rc = chain_add(c, cred_assume_role_new(cs, profile, NULL, 0, err), false, err);
    if (rc == 0)
        rc = chain_add(c, cred_web_identity_new(cs, profile, !skip_env, err), false, err);
    if (rc == 0)
        rc = chain_add(c, cred_sso_new(cs, profile, err), false, err);
    if (rc == 0)
        rc = chain_add(c, cred_profile_file_new(cs->files, profile, true, err), false, err);
    if (rc == 0)
        rc = chain_add(c, cred_process_new(cs->files, profile, err), false, err);
    if (rc == 0)
        rc = chain_add(c, cred_profile_file_new(cs->files, profile, false, err), false, err);
    if (rc == 0)
        rc = chain_add(c, cred_container_new(cs, false, err), false, err);
    if (rc == 0)
        rc = chain_add(c, cred_imds_new(cs, false, err), true, err);
    if (rc < 0) {
        chain_free(&c->base);
        return NULL;
    }
    if (c->n == 0)
        snprintf(c->looked_at + strlen(c->looked_at), sizeof c->looked_at - strlen(c->looked_at),
                 "; instance metadata is disabled (AWS_EC2_METADATA_DISABLED)");
    snprintf(c->base.source, sizeof c->base.source, "%s", c->n ? c->src[0]->source : "none");
    api_error_clear(err);
    return &c->base;
}

static bool has_static_keys(const struct aws_files *f, const char *profile)
{
    return ini_entry_find(aws_credentials_profile(f, profile), "aws_access_key_id") ||
           ini_entry_find(aws_config_profile(f, profile), "aws_access_key_id");
}

struct api_credentials_provider *cred_source_profile_new(const struct cred_settings *cs,
                                                         const char *profile, const char **visited,
                                                         size_t n_visited, struct api_error *err)
{
    struct api_credentials_provider *p;
    struct aws_setting role, web;

    api_error_clear(err);
    if (!has_static_keys(cs->files, profile) &&
        aws_profile_get(cs->files, profile, "role_arn", &role) &&
        !aws_profile_get(cs->files, profile, "web_identity_token_file", &web))
        return cred_assume_role_new(cs, profile, visited, n_visited, err);
    if ((p = cred_web_identity_new(cs, profile, false, err)) || err->kind)
        return p;
    if ((p = cred_sso_new(cs, profile, err)) || err->kind)
        return p;
    if ((p = cred_profile_file_new(cs->files, profile, true, err)) || err->kind)
        return p;
    if ((p = cred_process_new(cs->files, profile, err)) || err->kind)
        return p;
    if ((p = cred_profile_file_new(cs->files, profile, false, err)) || err->kind)
        return p;
    api_error_set(err, API_ERR_CREDENTIALS,
                  "source profile %s has no credentials (no keys, role_arn, sso settings or "
                  "credential_process in %s or %s)",
                  profile, cs->files->credentials.path, cs->files->config.path);
    return NULL;
}
