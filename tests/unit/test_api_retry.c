/* tests/unit/test_api_retry.c — the standard retry mode's rules (api/retry.c):
 * what is retried, the delay formula, the retry quota. The calls themselves
 * are tested with fake clock/sleep/random hooks in test_api_client.c. */
#include <string.h>

#include "api/retry.h"
#include "tests/unit/check.h"

static struct api_error aws(const char *code, long status)
{
    struct api_error e;
    api_error_set(&e, API_ERR_AWS, "x");
    strcpy(e.code, code);
    e.http_status = status;
    return e;
}

static void test_throttling_codes_retried(void)
{
    static const char *const codes[] = {
        "TooManyRequestsException",
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestThrottledException",
        "SlowDown",
        "RequestLimitExceeded",
        "ProvisionedThroughputExceededException",
        "BandwidthLimitExceeded",
        "RequestThrottled",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    };
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        struct api_error e = aws(codes[i], 400);
        CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_THROTTLE);
        CHECK(api_retry_is_throttle_code(codes[i]));
    }
}

static void test_never_retried(void)
{
    static const char *const codes[] = {
        "LimitExceededException", /* a Cognito quota, not a throttle */
        "ValidationException",       "InvalidParameterException", "NotAuthorizedException",
        "AccessDeniedException",     "ResourceNotFoundException", "UnrecognizedClientException",
        "ResourceConflictException", "throttlingexception",
    };
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        struct api_error e = aws(codes[i], 400);
        CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_NO);
    }
    struct api_error e;
    api_error_set(&e, API_ERR_INVALID_INPUT, "bad");
    CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_NO);
    api_error_set(&e, API_ERR_READ_ONLY, "ro");
    CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_NO);
    api_error_set(&e, API_ERR_TLS, "cert");
    CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_NO);
    api_error_set(&e, API_ERR_CREDENTIALS, "none");
    CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_NO);
    api_error_set(&e, API_ERR_TRANSPORT, "body too large"); /* not marked retryable */
    CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_NO);
    api_error_set(&e, API_ERR_HTTP, "403 page");
    e.http_status = 403;
    CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_NO);
}

static void test_transient(void)
{
    long statuses[] = {500, 502, 503, 504};
    for (size_t i = 0; i < 4; i++) {
        struct api_error e;
        api_error_set(&e, API_ERR_HTTP, "page");
        e.http_status = statuses[i];
        CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_TRANSIENT);
        e = aws("InternalErrorException", statuses[i]);
        CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_TRANSIENT);
    }
    struct api_error e = aws("Whatever", 501);
    CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_NO);
    e = aws("RequestTimeout", 400);
    CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_TRANSIENT);
    api_error_set(&e, API_ERR_TRANSPORT, "connection refused");
    e.retryable = true;
    CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_TRANSIENT);
    strcpy(e.code, "Timeout");
    CHECK_INT_EQ(api_retry_classify(&e), API_RETRY_TIMEOUT);
}

static void test_delay_formula(void)
{
    /* rand × min(2^(n−1), 20) seconds. */
    CHECK_INT_EQ(api_retry_delay_ms(1, 0.5), 500);
    CHECK_INT_EQ(api_retry_delay_ms(2, 0.5), 1000);
    CHECK_INT_EQ(api_retry_delay_ms(3, 0.5), 2000);
    CHECK_INT_EQ(api_retry_delay_ms(5, 0.5), 8000);
    CHECK_INT_EQ(api_retry_delay_ms(6, 0.5), 10000); /* 2^5 = 32 capped at 20 */
    CHECK_INT_EQ(api_retry_delay_ms(40, 0.25), 5000);
    CHECK_INT_EQ(api_retry_delay_ms(1, 0.0), 0);
    CHECK(api_retry_delay_ms(1, 0.9999) < 1000);
    CHECK(api_retry_delay_ms(6, 1.5) < 20000); /* out-of-range draws are clamped */
    CHECK_INT_EQ(api_retry_delay_ms(3, -1.0), 0);
}

static void test_quota(void)
{
    struct api_retry_quota q;
    int taken = 0, n = 0;

    api_retry_quota_init(&q);
    CHECK_INT_EQ(q.tokens, 500);
    CHECK_INT_EQ(api_retry_quota_acquire(&q, API_RETRY_THROTTLE), 5);
    CHECK_INT_EQ(api_retry_quota_acquire(&q, API_RETRY_TIMEOUT), 10);
    CHECK_INT_EQ(q.tokens, 485);
    CHECK_INT_EQ(api_retry_quota_acquire(&q, API_RETRY_NO), 0);
    /* A success after a retry gives back what that retry took. */
    api_retry_quota_release(&q, 10);
    CHECK_INT_EQ(q.tokens, 495);
    /* A success without retry adds 1, never above 500. */
    for (int i = 0; i < 10; i++)
        api_retry_quota_release(&q, 0);
    CHECK_INT_EQ(q.tokens, 500);
    /* Exhaustion: 100 retries of 5 drain 500; the 101st is refused. */
    while ((taken = api_retry_quota_acquire(&q, API_RETRY_TRANSIENT)) > 0)
        n++;
    CHECK_INT_EQ(n, 100);
    CHECK_INT_EQ(q.tokens, 0);
    api_retry_quota_release(&q, 0);
    api_retry_quota_release(&q, 0);
    api_retry_quota_release(&q, 0);
    api_retry_quota_release(&q, 0);
    CHECK_INT_EQ(api_retry_quota_acquire(&q, API_RETRY_TIMEOUT), 0); /* 4 < 10 */
    api_retry_quota_release(&q, 0);
    CHECK_INT_EQ(api_retry_quota_acquire(&q, API_RETRY_TRANSIENT), 5);
}

static void test_skew_codes(void)
{
    CHECK(api_retry_is_skew_code("RequestTimeTooSkewed"));
    CHECK(api_retry_is_skew_code("InvalidSignatureException"));
    CHECK(api_retry_is_skew_code("SignatureDoesNotMatch"));
    CHECK(api_retry_is_skew_code("RequestExpired"));
    CHECK(!api_retry_is_skew_code("NotAuthorizedException"));
    CHECK(!api_retry_is_skew_code(""));
    CHECK(!api_retry_is_skew_code(NULL));
}

int main(void)
{
    RUN(test_throttling_codes_retried);
    RUN(test_never_retried);
    RUN(test_transient);
    RUN(test_delay_formula);
    RUN(test_quota);
    RUN(test_skew_codes);
    return check_finish();
}
