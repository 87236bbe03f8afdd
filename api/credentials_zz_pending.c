/* TEMPORARY (being replaced by the real sources within the hour). */
#include "api/credentials_sources.h"
#define PENDING(sig) sig { api_error_clear(err); return NULL; }
PENDING(struct api_credentials_provider *cred_process_new(const struct aws_files *files, const char *profile, struct api_error *err))
PENDING(struct api_credentials_provider *cred_assume_role_new(const struct cred_settings *cs, const char *profile, const char **visited, size_t n_visited, struct api_error *err))
PENDING(struct api_credentials_provider *cred_web_identity_new(const struct cred_settings *cs, const char *profile, bool use_env, struct api_error *err))
PENDING(struct api_credentials_provider *cred_sso_new(const struct cred_settings *cs, const char *profile, struct api_error *err))
PENDING(struct api_credentials_provider *cred_container_new(const struct cred_settings *cs, bool required, struct api_error *err))
PENDING(struct api_credentials_provider *cred_imds_new(const struct cred_settings *cs, bool required, struct api_error *err))
