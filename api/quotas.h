/* api/quotas.h — the service's published request-rate quotas, one table.
 *
 * OWNER: the lifecycle work (issue 13).
 *
 * Amazon Cognito "Quotas" page, identity pools (federated identities): rates
 * in requests per second, per account and Region, summed over every pool of
 * the account in that Region. Only these operations have a published rate;
 * the others are "unpublished" (api_quota_rate() answers 0): the adaptive
 * limiter (api/rate_limiter.h) learns their rate from throttling alone.
 *
 * The emulator's `--quotas aws` uses the same figures (tests/emulator).
 */
#ifndef API_QUOTAS_H
#define API_QUOTAS_H

#include <stddef.h>

struct api_quota {
    const char *operation; /* as in api/operations.h */
    double per_second;     /* requests a second */
};

extern const struct api_quota api_quotas[];
extern const size_t api_n_quotas;

/* Published requests a second of `operation` (exact name), or 0 when AWS
 * publishes none. */
double api_quota_rate(const char *operation);

#endif
