/* api/credentials_resolve.h — which credentials provider answers for a
 * profile. Private to api/ (api/config.c asks it). */
#ifndef API_CREDENTIALS_RESOLVE_H
#define API_CREDENTIALS_RESOLVE_H

#include <stdbool.h>

#include "api/credentials_sources.h"

/* The provider for `profile`: the AWS CLI v2 chain, in the order of the
 * table in api/credentials_resolve.c — environment keys (unless `skip_env`:
 * --profile was given) → assume role → web identity → IAM Identity Center
 * → shared credentials file → credential_process → config file →
 * container → instance metadata. The first source configured for the
 * profile is the answer; only instance metadata, which may simply not be
 * there, lets the chain go on (to "no credentials found"). An assumed
 * role's source comes from its source_profile (that profile's own chain,
 * without the environment, container or instance metadata; its static keys
 * win over its own role_arn, so a profile may name itself) or its
 * credential_source (Environment, Ec2InstanceMetadata, EcsContainer); a
 * source_profile met twice on the way is a cycle. cs->loop is ignored: the
 * provider makes its own loop (with cs->ca_bundle), shared by every source
 * and freed with it. Returns NULL with err filled when a configured source
 * is wrong (naming the file and line where it can). */
struct api_credentials_provider *cred_resolve(const struct cred_settings *cs, const char *profile,
                                              bool skip_env, struct api_error *err);

#endif
