/* api/credentials_profile.c — static keys in a profile of the shared
 * credentials file or the config file. */
#include <stdio.h>

#include "api/credentials_sources.h"

struct api_credentials_provider *cred_profile_file_new(const struct aws_files *files,
                                                       const char *profile,
                                                       bool in_credentials_file,
                                                       struct api_error *err)
{
    const struct ini_section *sec = in_credentials_file ? aws_credentials_profile(files, profile)
                                                        : aws_config_profile(files, profile);
    const char *path = in_credentials_file ? files->credentials.path : files->config.path;
    const struct ini_entry *id = ini_entry_find(sec, "aws_access_key_id");
    const struct ini_entry *secret = ini_entry_find(sec, "aws_secret_access_key");
    const struct ini_entry *token = ini_entry_find(sec, "aws_session_token");
    struct api_credentials c = {0};
    char source[64];

    api_error_clear(err);
    if (!id)
        return NULL; /* botocore: no aws_access_key_id, not this source */
    if (!id->value[0]) {
        api_error_set(err, API_ERR_CREDENTIALS,
                      "%s line %d: profile %s: aws_access_key_id is empty", path, id->line,
                      profile);
        return NULL;
    }
    if (!secret || !secret->value[0]) {
        api_error_set(err, API_ERR_CREDENTIALS,
                      "%s line %d: profile %s has aws_access_key_id but no aws_secret_access_key",
                      path, id->line, profile);
        return NULL;
    }
    c.access_key_id = id->value;
    c.secret_access_key = secret->value;
    c.session_token = token && token->value[0] ? token->value : NULL;
    snprintf(source, sizeof source, "profile %s", profile);
    return api_credentials_static_new(&c, source, err);
}
