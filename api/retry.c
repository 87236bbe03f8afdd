/* api/retry.c — standard retry mode; see api/retry.h. */
#include "api/retry.h"

#include <math.h>
#include <string.h>

/* botocore retries/standard.py _THROTTLED_ERROR_CODES, without
 * LimitExceededException (a quota for Cognito, never retried). */
static const char *const throttle_codes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
};

/* botocore _TRANSIENT_ERROR_CODES. */
static const char *const transient_codes[] = {
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
};

static const char *const skew_codes[] = {
    "RequestTimeTooSkewed",  "RequestExpired",     "InvalidSignatureException",
    "SignatureDoesNotMatch", "RequestInTheFuture", "AuthFailure",
};

static bool in_list(const char *code, const char *const *list, size_t n)
{
    if (!code || !code[0])
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(code, list[i]) == 0)
            return true;
    return false;
}

void api_retry_quota_init(struct api_retry_quota *q)
{
    q->tokens = API_RETRY_QUOTA_MAX;
}

bool api_retry_is_throttle_code(const char *code)
{
    return in_list(code, throttle_codes, sizeof throttle_codes / sizeof *throttle_codes);
}

bool api_retry_is_skew_code(const char *code)
{
    return in_list(code, skew_codes, sizeof skew_codes / sizeof *skew_codes);
}

enum api_retry_class api_retry_classify(const struct api_error *err)
{
    switch (err->kind) {
    case API_ERR_TRANSPORT:
        if (!err->retryable)
            return API_RETRY_NO;
        return strcmp(err->code, "Timeout") == 0 ? API_RETRY_TIMEOUT : API_RETRY_TRANSIENT;
    case API_ERR_AWS:
    case API_ERR_HTTP:
        if (api_retry_is_throttle_code(err->code))
            return API_RETRY_THROTTLE;
        if (in_list(err->code, transient_codes, sizeof transient_codes / sizeof *transient_codes))
            return API_RETRY_TRANSIENT;
        if (err->http_status == 500 || err->http_status == 502 || err->http_status == 503 ||
            err->http_status == 504)
            return API_RETRY_TRANSIENT;
        return API_RETRY_NO;
    default:
        return API_RETRY_NO;
    }
}

enum api_retry_class api_retry_decide(const struct api_operation *op, const struct api_error *err,
                                      bool outcome_unknown)
{
    if (outcome_unknown && !op->repeatable)
        return API_RETRY_NO;
    return api_retry_classify(err);
}

long api_retry_delay_ms(int failed_attempt, double random01)
{
    double cap = failed_attempt < 1 ? 1.0 : pow(2.0, failed_attempt - 1);

    if (cap > API_RETRY_MAX_BACKOFF_S)
        cap = API_RETRY_MAX_BACKOFF_S;
    if (!(random01 >= 0.0)) /* NaN or negative: no delay rather than garbage */
        random01 = 0.0;
    if (random01 >= 1.0)
        random01 = 0.999999;
    return (long)(random01 * cap * 1000.0);
}

int api_retry_quota_acquire(struct api_retry_quota *q, enum api_retry_class cls)
{
    int cost = cls == API_RETRY_TIMEOUT ? API_RETRY_TIMEOUT_COST : API_RETRY_COST;

    if (cls == API_RETRY_NO || q->tokens < cost)
        return 0;
    q->tokens -= cost;
    return cost;
}

void api_retry_quota_release(struct api_retry_quota *q, int last_cost)
{
    q->tokens += last_cost > 0 ? last_cost : API_RETRY_NO_RETRY_INCREMENT;
    if (q->tokens > API_RETRY_QUOTA_MAX)
        q->tokens = API_RETRY_QUOTA_MAX;
}
