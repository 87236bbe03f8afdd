/* api/retry.h — the AWS "standard" retry mode (DESIGN.md "retries").
 *
 * OWNER: the api core work.
 *
 * As botocore's retries/standard.py and the SDK reference ("Retry behavior",
 * docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html) define it:
 *  - at most max_attempts attempts (3 by default, AWS_MAX_ATTEMPTS / max_attempts);
 *  - before attempt n+1, a delay of rand(0,1) × min(2^(n−1), 20) seconds;
 *  - a retry quota shared by the client: 500 tokens, a retry costs 5 (10 after a
 *    timeout); when the quota cannot pay, the error is returned as it is. A
 *    success gives back what its last retry cost, or 1 token when it needed no
 *    retry, never above 500;
 *  - retried: throttling codes, transient codes, HTTP 500/502/503/504 and
 *    connection errors (transport errors the transport marked retryable: DNS,
 *    connect, reset, timeout; not TLS failures, refused URLs or oversized answers);
 *  - never: other 4xx (validation, auth) and LimitExceededException, which for
 *    Cognito is a quota, not a throttle (botocore's list has it; we drop it);
 *  - never, for a change not safe to repeat, once its outcome is unknown
 *    (api_retry_decide).
 * Clock skew is separate (api_retry_is_skew_code): see api/client.c.
 */
#ifndef API_RETRY_H
#define API_RETRY_H

#include <stdbool.h>

#include "api/error.h"
#include "api/operations.h"

#define API_RETRY_DEFAULT_MAX_ATTEMPTS 3
#define API_RETRY_QUOTA_MAX            500
#define API_RETRY_COST                 5
#define API_RETRY_TIMEOUT_COST         10
#define API_RETRY_NO_RETRY_INCREMENT   1
#define API_RETRY_MAX_BACKOFF_S        20.0
/* Skew above which a skew error is retried at the corrected time (DESIGN.md). */
#define API_RETRY_SKEW_THRESHOLD_S 240

enum api_retry_class {
    API_RETRY_NO,        /* not retryable */
    API_RETRY_THROTTLE,  /* throttling code */
    API_RETRY_TRANSIENT, /* transient code, 5xx status, connection error */
    API_RETRY_TIMEOUT,   /* a timed-out attempt: costs more quota */
};

struct api_retry_quota {
    int tokens; /* API_RETRY_QUOTA_MAX at start */
};

void api_retry_quota_init(struct api_retry_quota *q);

/* What kind of retryable failure err is. */
enum api_retry_class api_retry_classify(const struct api_error *err);

/* The retry decision for a failed attempt of `op` (issue 11): as
 * api_retry_classify(err), except API_RETRY_NO when the call's outcome is
 * unknown so far (this attempt or an earlier one was sent and no complete
 * answer came) and `op` is not `repeatable` (api/operations.h): such a
 * change is never sent twice. A known failure (throttling, a 5xx the service
 * sent) is retried whatever the operation. */
enum api_retry_class api_retry_decide(const struct api_operation *op, const struct api_error *err,
                                      bool outcome_unknown);

bool api_retry_is_throttle_code(const char *code);

/* RequestTimeTooSkewed, InvalidSignatureException, SignatureDoesNotMatch,
 * RequestExpired, RequestInTheFuture, AuthFailure. */
bool api_retry_is_skew_code(const char *code);

/* Delay in milliseconds before attempt `failed_attempt + 1`, given the
 * 1-based number of the attempt that failed and a uniform draw in [0, 1). */
long api_retry_delay_ms(int failed_attempt, double random01);

/* Takes the cost of one retry of class `cls` from the quota. Returns the
 * cost taken (> 0), or 0 when the quota cannot pay (do not retry). */
int api_retry_quota_acquire(struct api_retry_quota *q, enum api_retry_class cls);

/* After a success: gives back `last_cost` (what the last retry of this call
 * took), or API_RETRY_NO_RETRY_INCREMENT when the call needed no retry (0). */
void api_retry_quota_release(struct api_retry_quota *q, int last_cost);

#endif
