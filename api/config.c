/* api/config.c — api_config_resolve(): profile, region, endpoint, read-only,
 * retries, CA bundle and the credentials chain (order in api/config.h). */
#include "api/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/credentials_provider.h"
#include "api/credentials_resolve.h"
#include "api/endpoint.h"
#include "api/ini.h"

#define MAX_ATTEMPTS_LIMIT 100

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] ? v : NULL;
}

static int oom(struct api_error *err)
{
    return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
}

static int resolve_profile(const struct api_config_options *opt, const struct aws_files *files,
                           struct api_config *out, struct api_error *err)
{
    const char *name = "default", *from = NULL;

    if (opt->profile) {
        name = opt->profile, from = "--profile";
    } else if (env_nonempty("AWS_PROFILE")) {
        name = getenv("AWS_PROFILE"), from = "AWS_PROFILE";
    } else if (env_nonempty("AWS_DEFAULT_PROFILE")) {
        name = getenv("AWS_DEFAULT_PROFILE"), from = "AWS_DEFAULT_PROFILE";
    }
    if (!name[0])
        return api_error_set(err, API_ERR_CREDENTIALS, "empty profile name from %s", from);
    if (from && !aws_profile_exists(files, name))
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "profile \"%.200s\" (from %s) is in neither %s nor %s", name, from,
                             files->config.path, files->credentials.path);
    out->profile = strdup(name);
    return out->profile ? 0 : oom(err);
}

static int resolve_region(const struct api_config_options *opt, const struct aws_files *files,
                          struct api_config *out, struct api_error *err)
{
    const char *region = NULL;
    char where[600];
    struct aws_setting s;

    if (opt->region) {
        region = opt->region;
        snprintf(where, sizeof where, "--region");
    } else if ((region = env_nonempty("AWS_REGION"))) {
        snprintf(where, sizeof where, "AWS_REGION");
    } else if ((region = env_nonempty("AWS_DEFAULT_REGION"))) {
        snprintf(where, sizeof where, "AWS_DEFAULT_REGION");
    } else if (aws_profile_get(files, out->profile, "region", &s)) {
        region = s.value;
        snprintf(where, sizeof where, "%s line %d", s.file, s.line);
    }
    if (!region)
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "no region: use --region, set AWS_REGION, or add `region = ...` to "
                             "profile %s in %s",
                             out->profile, files->config.path);
    if (!api_region_valid(region))
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "region \"%.100s\" from %s is not a region name (letters, digits and "
                             "hyphens, like eu-west-1; comments must be on their own line)",
                             region, where);
    out->region = strdup(region);
    return out->region ? 0 : oom(err);
}

struct read_only_walk {
    bool on;
    struct api_error *err;
};

static int read_only_setting(void *ctx, const struct aws_setting *s)
{
    struct read_only_walk *w = ctx;
    char what[600];
    bool on = false;

    snprintf(what, sizeof what, "%s line %d: cognito_tui_read_only", s->file, s->line);
    if (aws_parse_bool(s->value, what, &on, w->err) != 0)
        return -1;
    w->on = w->on || on;
    return 0;
}

/* Fails closed: any source saying true wins over every false, and every
 * section that may be the profile's counts, not only the one the other
 * settings come from (a reader that picked another section must not be
 * able to write). */
static int resolve_read_only(const struct api_config_options *opt, const struct aws_files *files,
                             struct api_config *out, struct api_error *err)
{
    const char *env = getenv("COGNITO_TUI_READ_ONLY");
    struct read_only_walk walk = {false, err};

    out->read_only = opt->read_only;
    if (env) {
        if (!strcmp(env, "1") || !strcasecmp(env, "true") || !strcasecmp(env, "yes"))
            out->read_only = true;
        else if (env[0] && strcmp(env, "0") && strcasecmp(env, "false") && strcasecmp(env, "no"))
            return api_error_set(err, API_ERR_CREDENTIALS,
                                 "COGNITO_TUI_READ_ONLY=\"%.100s\": expected 1 or 0", env);
    }
    if (aws_profile_each(files, out->profile, "cognito_tui_read_only", read_only_setting, &walk) !=
        0)
        return -1;
    out->read_only = out->read_only || walk.on;
    return 0;
}

static int parse_attempts(const char *text, const char *where, int *out, struct api_error *err)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < 1 || v > MAX_ATTEMPTS_LIMIT)
        return api_error_set(
            err, API_ERR_CREDENTIALS,
            "max_attempts \"%.100s\" from %s: expected a whole number from 1 to %d", text, where,
            MAX_ATTEMPTS_LIMIT);
    *out = (int)v;
    return 0;
}

static int resolve_attempts(const struct aws_files *files, struct api_config *out,
                            struct api_error *err)
{
    const char *env = env_nonempty("AWS_MAX_ATTEMPTS");
    struct aws_setting s;
    char where[600];

    out->max_attempts = 3;
    if (env)
        return parse_attempts(env, "AWS_MAX_ATTEMPTS", &out->max_attempts, err);
    if (aws_profile_get(files, out->profile, "max_attempts", &s)) {
        snprintf(where, sizeof where, "%s line %d", s.file, s.line);
        return parse_attempts(s.value, where, &out->max_attempts, err);
    }
    return 0;
}

static int parse_retry_mode(const char *text, const char *where, enum api_retry_mode *out,
                            struct api_error *err)
{
    if (!strcmp(text, "standard") || !strcmp(text, "legacy"))
        *out = API_RETRY_MODE_STANDARD;
    else if (!strcmp(text, "adaptive"))
        *out = API_RETRY_MODE_ADAPTIVE;
    else
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "retry_mode \"%.100s\" from %s: expected standard, adaptive or legacy",
                             text, where);
    return 0;
}

static int resolve_retry_mode(const struct aws_files *files, struct api_config *out,
                              struct api_error *err)
{
    const char *env = env_nonempty("AWS_RETRY_MODE");
    struct aws_setting s;
    char where[600];

    out->retry_mode = API_RETRY_MODE_STANDARD;
    if (env)
        return parse_retry_mode(env, "AWS_RETRY_MODE", &out->retry_mode, err);
    if (aws_profile_get(files, out->profile, "retry_mode", &s)) {
        snprintf(where, sizeof where, "%s line %d", s.file, s.line);
        return parse_retry_mode(s.value, where, &out->retry_mode, err);
    }
    return 0;
}

static int resolve_ca_bundle(const struct aws_files *files, struct api_config *out,
                             struct api_error *err)
{
    const char *v = env_nonempty("AWS_CA_BUNDLE");
    struct aws_setting s;

    if (!v && aws_profile_get(files, out->profile, "ca_bundle", &s) && s.value[0])
        v = s.value;
    if (!v)
        return 0;
    out->ca_bundle = aws_expand_home(v);
    return out->ca_bundle ? 0 : oom(err);
}

int api_config_resolve(const struct api_config_options *opt, struct api_config *out,
                       struct api_error *err)
{
    static const struct api_config_options none;
    struct aws_files files;
    struct cred_settings cs = {0};

    if (!opt)
        opt = &none;
    memset(out, 0, sizeof *out);
    /* The credentials file, the environment's keys and every fetched
     * credential are secrets: no core dump from here on. */
    cred_keep_out_of_core_dumps();
    if (aws_files_load(&files, err) != 0)
        return -1;
    if (resolve_profile(opt, &files, out, err) != 0 || resolve_region(opt, &files, out, err) != 0 ||
        api_endpoint_resolve(&api_endpoint_cognito_identity, &files, out->profile,
                             opt->endpoint_url, out->region, &out->endpoint_url, err) != 0 ||
        resolve_read_only(opt, &files, out, err) != 0 || resolve_attempts(&files, out, err) != 0 ||
        resolve_retry_mode(&files, out, err) != 0 || resolve_ca_bundle(&files, out, err) != 0)
        goto fail;
    cs.files = &files;
    cs.profile = out->profile;
    cs.region = out->region;
    cs.ca_bundle = out->ca_bundle;
    cs.mfa_prompt = opt->mfa_prompt;
    cs.mfa_ctx = opt->mfa_ctx;
    cs.mfa_asker = opt->mfa_ask;
    out->credentials = cred_resolve(&cs, out->profile, opt->profile != NULL, err);
    if (!out->credentials)
        goto fail;
    out->cache = calloc(1, sizeof *out->cache);
    if (!out->cache) {
        oom(err);
        goto fail;
    }
    aws_files_free(&files);
    return 0;
fail:
    aws_files_free(&files);
    api_config_free(out);
    return -1;
}

void api_config_free(struct api_config *cfg)
{
    api_credentials_provider_free(cfg->credentials);
    free(cfg->profile);
    free(cfg->region);
    free(cfg->endpoint_url);
    free(cfg->ca_bundle);
    free(cfg->cache);
    memset(cfg, 0, sizeof *cfg);
}
