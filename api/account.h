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
 * Step 3 may take long (the credentials may have to be fetched, an MFA
 * code asked; STS answers within 30 s), so api_account_id_start() never
 * waits: the lookup runs on the loop of cfg->credentials
 * (api_credentials_pollfds/perform; a client over those credentials drives
 * it in api_client_pollfds/perform). api_account_id() is the blocking
 * wrapper (an MFA code is then asked with api_config_options.mfa_prompt).
 * Not thread-safe (like the rest of api/).
 */
#ifndef API_ACCOUNT_H
#define API_ACCOUNT_H

#include <stddef.h>

#include "api/config.h"
#include "api/credentials.h"
#include "api/error.h"

/* Digits in an account id. */
#define API_ACCOUNT_ID_LEN 12

#define API_ACCOUNT_PENDING API_CREDENTIALS_PENDING

struct api_account_lookup;

/* account_id: the 12 digits (borrowed for the call), or NULL with err. */
typedef void (*api_account_done_fn)(void *ctx, const char *account_id, const struct api_error *err);

/* Never blocks. Returns 0 with the id in out (size >= 13) when it is known
 * at once (cached, AWS_ACCOUNT_ID, aws_account_id); API_ACCOUNT_PENDING with
 * *lookup set, `done` then called exactly once from a later
 * api_credentials_perform(cfg->credentials) unless
 * api_account_lookup_cancel() came first (`out` is not written then: the
 * id comes through `done`, and is cached in cfg); or -1 with err as for
 * api_account_id(). cfg must outlive the lookup. */
int api_account_id_start(const struct api_config *cfg, char *out, size_t size,
                         api_account_done_fn done, void *ctx, struct api_account_lookup **lookup,
                         struct api_error *err);

/* Stops a lookup: `done` is not called; the handle is gone. NULL is fine. */
void api_account_lookup_cancel(struct api_account_lookup *l);

/* BLOCKING. Writes the 12-digit account id, NUL-terminated, to out (size >= 13).
 * Returns 0, or -1 with err filled: a bad AWS_ACCOUNT_ID / aws_account_id
 * (API_ERR_CREDENTIALS, naming the variable or file and line), no
 * credentials, STS unreachable (API_ERR_TRANSPORT / API_ERR_TLS) or refusing
 * (its code in err->code), or an answer without an account. */
int api_account_id(const struct api_config *cfg, char *out, size_t size, struct api_error *err);

#endif
