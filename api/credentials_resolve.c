/* api/credentials_resolve.c — which provider answers for a profile: the
 * chain's order as one table, source_profile / credential_source and their
 * cycles (contract in api/credentials_resolve.h). The sources themselves
 * are leaves that know only their own settings. */
#include "api/credentials_resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/credentials_loop.h"

/* Where a resolution is: the settings, and the profiles already on the
 * way (source_profile cycles). */
struct resolve {
    const struct cred_settings *cs;
    bool use_env;
    const char **visited;
    size_t n_visited;
};

static bool has_static_keys(const struct aws_files *f, const char *profile)
{
    return ini_entry_find(aws_credentials_profile(f, profile), "aws_access_key_id") ||
           ini_entry_find(aws_config_profile(f, profile), "aws_access_key_id");
}

/* role_arn without web_identity_token_file (which makes it web identity). */
static bool wants_assume_role(const struct aws_files *f, const char *profile)
{
    struct aws_setting role, web;

    return aws_profile_get(f, profile, "role_arn", &role) &&
           !aws_profile_get(f, profile, "web_identity_token_file", &web);
}

typedef struct api_credentials_provider *(*make_fn)(const struct resolve *rs, const char *profile,
                                                    struct api_error *err);

static struct api_credentials_provider *
make_assume_role(const struct resolve *rs, const char *profile, struct api_error *err);

static struct api_credentials_provider *make_env(const struct resolve *rs, const char *profile,
                                                 struct api_error *err)
{
    if (!rs->use_env) {
        api_error_clear(err);
        return NULL;
    }
    return cred_env_new(err);
}

static struct api_credentials_provider *
make_web_identity(const struct resolve *rs, const char *profile, struct api_error *err)
{
    return cred_web_identity_new(rs->cs, profile, rs->use_env, err);
}

static struct api_credentials_provider *make_sso(const struct resolve *rs, const char *profile,
                                                 struct api_error *err)
{
    return cred_sso_new(rs->cs, profile, err);
}

static struct api_credentials_provider *
make_credentials_file(const struct resolve *rs, const char *profile, struct api_error *err)
{
    return cred_profile_file_new(rs->cs->files, profile, true, err);
}

static struct api_credentials_provider *make_process(const struct resolve *rs, const char *profile,
                                                     struct api_error *err)
{
    return cred_process_new(rs->cs, profile, err);
}

static struct api_credentials_provider *make_config_file(const struct resolve *rs,
                                                         const char *profile, struct api_error *err)
{
    return cred_profile_file_new(rs->cs->files, profile, false, err);
}

static struct api_credentials_provider *make_container(const struct resolve *rs,
                                                       const char *profile, struct api_error *err)
{
    return cred_container_new(rs->cs, false, err);
}

static struct api_credentials_provider *make_imds(const struct resolve *rs, const char *profile,
                                                  struct api_error *err)
{
    return cred_imds_new(rs->cs, false, err);
}

/* The AWS CLI v2 order. `source_profile`: also in a source profile's own
 * chain. `may_be_absent`: the source may turn out not to be there when
 * asked (instance metadata), so the chain goes on after it. */
static const struct chain_step {
    const char *name;
    make_fn make;
    bool source_profile;
    bool may_be_absent;
} chain_steps[] = {
    {"environment", make_env, false, false},
    {"assume role", make_assume_role, true, false},
    {"web identity", make_web_identity, true, false},
    {"IAM Identity Center", make_sso, true, false},
    {"shared credentials file", make_credentials_file, true, false},
    {"credential_process", make_process, true, false},
    {"config file", make_config_file, true, false},
    {"container", make_container, false, false},
    {"instance metadata", make_imds, false, true},
};
#define N_STEPS (sizeof chain_steps / sizeof chain_steps[0])

/* The credentials a source profile gives: its own chain, without the
 * environment, container or instance metadata; its static keys win over
 * its own role_arn. */
static struct api_credentials_provider *source_profile(const struct resolve *rs,
                                                       const char *profile, struct api_error *err)
{
    const struct aws_files *f = rs->cs->files;

    for (size_t i = 0; i < N_STEPS; i++) {
        struct api_credentials_provider *p;
        if (!chain_steps[i].source_profile)
            continue;
        if (chain_steps[i].make == make_assume_role && has_static_keys(f, profile))
            continue;
        if ((p = chain_steps[i].make(rs, profile, err)) || err->kind)
            return p;
    }
    api_error_set(err, API_ERR_CREDENTIALS,
                  "source profile %s has no credentials (no keys, role_arn, sso settings or "
                  "credential_process in %s or %s)",
                  profile, f->credentials.path, f->config.path);
    return NULL;
}

/* The provider of a role's source credentials: source_profile (cycles
 * refused) or credential_source. */
static struct api_credentials_provider *role_source(const struct resolve *rs, const char *profile,
                                                    const char *where, const struct aws_setting *sp,
                                                    const struct aws_setting *csrc,
                                                    struct api_error *err)
{
    const struct cred_settings *cs = rs->cs;
    struct api_credentials_provider *p = NULL;

    if (sp->value) {
        char path[600] = "";
        bool cycle = strcmp(sp->value, profile) == 0;

        if (!aws_profile_exists(cs->files, sp->value)) {
            api_error_set(err, API_ERR_CREDENTIALS,
                          "%s: source_profile \"%.100s\" is in neither %s nor %s", where, sp->value,
                          cs->files->config.path, cs->files->credentials.path);
            return NULL;
        }
        if (cycle && has_static_keys(cs->files, profile)) {
            /* A profile may assume a role with its own keys. */
            p = cred_profile_file_new(cs->files, profile, true, err);
            if (!p && !err->kind)
                p = cred_profile_file_new(cs->files, profile, false, err);
            return p;
        }
        for (size_t i = 0; i < rs->n_visited; i++)
            cycle = cycle || strcmp(rs->visited[i], sp->value) == 0;
        if (cycle) {
            for (size_t i = 0; i < rs->n_visited; i++)
                snprintf(path + strlen(path), sizeof path - strlen(path), "%.60s -> ",
                         rs->visited[i]);
            snprintf(path + strlen(path), sizeof path - strlen(path), "%.60s -> %.60s", profile,
                     sp->value);
            api_error_set(err, API_ERR_CREDENTIALS, "%s: source_profile makes a cycle: %s", where,
                          path);
            return NULL;
        }
        struct resolve next = {cs, false, NULL, rs->n_visited + 1};
        const char **visited = malloc(next.n_visited * sizeof *visited);
        if (!visited) {
            api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
            return NULL;
        }
        if (rs->n_visited)
            memcpy(visited, rs->visited, rs->n_visited * sizeof *visited);
        visited[rs->n_visited] = profile;
        next.visited = visited;
        p = source_profile(&next, sp->value, err);
        free(visited);
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

static struct api_credentials_provider *make_assume_role(const struct resolve *rs,
                                                         const char *profile, struct api_error *err)
{
    const struct aws_files *f = rs->cs->files;
    struct aws_setting role, sp, csrc;
    struct api_credentials_provider *source;
    char where[400];

    api_error_clear(err);
    if (!wants_assume_role(f, profile))
        return NULL;
    aws_profile_get(f, profile, "role_arn", &role);
    snprintf(where, sizeof where, "profile %.100s (%.200s line %d)", profile, role.file, role.line);
    aws_profile_get(f, profile, "source_profile", &sp);
    aws_profile_get(f, profile, "credential_source", &csrc);
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
    source = role_source(rs, profile, where, &sp, &csrc, err);
    if (!source) {
        if (!err->kind)
            api_error_set(err, API_ERR_CREDENTIALS, "%s: the source has no credentials", where);
        return NULL;
    }
    return cred_assume_role_new(rs->cs, profile, source, err);
}

struct api_credentials_provider *cred_resolve(const struct cred_settings *settings,
                                              const char *profile, bool skip_env,
                                              struct api_error *err)
{
    struct cred_settings cs = *settings;
    struct resolve rs = {&cs, !skip_env, NULL, 0};
    struct api_credentials_provider *sources[N_STEPS];
    size_t n = 0;
    char looked_at[512];

    cs.loop = cred_loop_new(cs.ca_bundle);
    if (!cs.loop) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < N_STEPS; i++) {
        struct api_credentials_provider *p = chain_steps[i].make(&rs, profile, err);
        if (!p && err->kind) {
            for (size_t j = 0; j < n; j++)
                api_credentials_provider_free(sources[j]);
            cred_loop_free(cs.loop);
            return NULL;
        }
        if (p)
            sources[n++] = p;
        if (p && !chain_steps[i].may_be_absent)
            break;
    }
    snprintf(looked_at, sizeof looked_at,
             "%skeys, role_arn, sso settings or credential_process in %s or %s, "
             "AWS_CONTAINER_CREDENTIALS_* variables%s",
             skip_env ? "" : "AWS_ACCESS_KEY_ID in the environment, ", cs.files->credentials.path,
             cs.files->config.path,
             n ? "" : "; instance metadata is disabled (AWS_EC2_METADATA_DISABLED)");
    api_error_clear(err);
    return cred_chain_new(profile, sources, n, cs.loop, looked_at, err);
}
