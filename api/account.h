/* api/account.h — the AWS account id of the configuration in use, for ARNs
 * such as arn:aws:cognito-identity:REGION:ACCOUNT:identitypool/ID (tagging
 * names a pool by its ARN; the cognito-identity API never says the account).
 *
 * Contract: api_account_id() resolves, in order,
 *   1. the environment variable AWS_ACCOUNT_ID,
 *   2. the profile's `aws_account_id` (credentials file, then config file),
 *   (both are the AWS SDKs' own settings: the SDKs and Tools Reference Guide,
 *   "Account-based endpoints"; botocore reads them the same way)
 *   3. STS GetCallerIdentity, signed with the config's credentials, sent to
 *      the STS endpoint resolved as for assume role (AWS_ENDPOINT_URL_STS,
 *      AWS_ENDPOINT_URL, [services] sts, the profile's endpoint_url, else
 *      https://sts.REGION.amazonaws.com), with the config's CA bundle.
 * A value from 1 or 2 must be 12 digits, or it is an error naming where it
 * came from (it is not silently skipped: a wrong setting would otherwise be
 * hidden by the STS answer).
 *
 * The answer is cached in the config (cfg->cache, made by
 * api_config_resolve()), so only the first call may touch the network;
 * a config without a cache (built by hand) asks every time. The cache dies
 * with api_config_free(). Failures are not cached.
 *
 * BLOCKS on step 3: the credentials may have to be fetched (which may ask
 * for an MFA code through api_config_options.mfa_prompt) and STS answers
 * within 30 s. Not thread-safe (like the rest of api/).
 */
#ifndef API_ACCOUNT_H
#define API_ACCOUNT_H

#include <stddef.h>

#include "api/config.h"
#include "api/error.h"

/* Digits in an account id. */
#define API_ACCOUNT_ID_LEN 12

/* Writes the 12-digit account id, NUL-terminated, to out (size >= 13).
 * Returns 0, or -1 with err filled: a bad AWS_ACCOUNT_ID / aws_account_id
 * (API_ERR_CREDENTIALS, naming the variable or file and line), no
 * credentials, STS unreachable (API_ERR_TRANSPORT / API_ERR_TLS) or refusing
 * (its code in err->code), or an answer without an account. */
int api_account_id(const struct api_config *cfg, char *out, size_t size, struct api_error *err);

#endif
