/* tests/unit/test_api_retry.c — the standard retry mode's rules (api/retry.c):
 * what is retried, the delay formula, the retry quota. The calls themselves
 * are tested with fake clock/sleep/random hooks in test_api_client.c. */
#include <string.h>

#include "api/operations.h"
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

/* Issue 11: the changes never sent twice once their outcome is unknown,
 * stated here from the semantics, independently of the generator's lists. */
static const char *const not_repeatable[] = {
    "CreateIdentityPool",                 /* a second pool */
    "GetId",                              /* a new unauthenticated identity each call */
    "GetOpenIdTokenForDeveloperIdentity", /* may create or link an identity */
    "MergeDeveloperIdentities",
    "UnlinkDeveloperIdentity",
    "UnlinkIdentity",
    "TagResource",
    "UntagResource",
};

static bool listed_not_repeatable(const char *name)
{
    for (size_t i = 0; i < sizeof not_repeatable / sizeof *not_repeatable; i++)
        if (strcmp(not_repeatable[i], name) == 0)
            return true;
    return false;
}

/* One failed attempt, as the transport and the protocol describe it. */
static struct api_error failure_at(int point)
{
    struct api_error e;
    switch (point) {
    case 0: /* before sending: connection refused */
        api_error_set(&e, API_ERR_TRANSPORT, "Connection refused");
        e.retryable = true;
        break;
    case 1: /* sent, the connection closed with no answer */
        api_error_set(&e, API_ERR_TRANSPORT, "Empty reply from server");
        e.retryable = true;
        e.sent = true;
        break;
    case 2: /* sent, timed out waiting for the answer */
        api_error_set(&e, API_ERR_TRANSPORT, "timed out");
        strcpy(e.code, "Timeout");
        e.retryable = true;
        e.sent = true;
        break;
    case 3: /* sent, the answer cut mid-body after a 200 status line */
        api_error_set(&e, API_ERR_TRANSPORT, "transfer closed with bytes remaining");
        e.retryable = true;
        e.sent = true;
        e.http_status = 200;
        break;
    case 4: /* a complete 500 the service sent */
        e = aws("InternalErrorException", 500);
        e.sent = true;
        break;
    case 5: /* a complete throttling answer */
        e = aws("TooManyRequestsException", 400);
        e.sent = true;
        break;
    default: /* a complete 200 whose body is not JSON */
        api_error_set(&e, API_ERR_HTTP, "not JSON");
        e.http_status = 200;
        e.sent = true;
        break;
    }
    return e;
}

static void test_decision_per_operation_and_failure_point(void)
{
    /* Whether the point leaves the outcome unknown, and its class when retried. */
    static const struct {
        bool unknown;
        enum api_retry_class cls;
    } points[] = {
        {false, API_RETRY_TRANSIENT}, {true, API_RETRY_TRANSIENT},  {true, API_RETRY_TIMEOUT},
        {true, API_RETRY_TRANSIENT},  {false, API_RETRY_TRANSIENT}, {false, API_RETRY_THROTTLE},
        {true, API_RETRY_NO},
    };
    int never = 0;
    for (size_t i = 0; i < api_n_operations; i++) {
        const struct api_operation *op = &api_operations[i];
        bool safe = !listed_not_repeatable(op->name);
        CHECK_INT_EQ(op->repeatable, safe);
        if (!op->mutates)
            CHECK(op->repeatable); /* reads and credential issuing repeat freely */
        for (int p = 0; p < (int)(sizeof points / sizeof *points); p++) {
            struct api_error e = failure_at(p);
            /* Only changes have an outcome to lose. */
            bool unknown = points[p].unknown && op->mutates;
            enum api_retry_class want = unknown && !safe ? API_RETRY_NO : points[p].cls;
            enum api_retry_class got = api_retry_decide(op, &e, unknown);
            if (got != want) {
                char m[200];
                snprintf(m, sizeof m, "%s at failure point %d: class %d, want %d", op->name, p,
                         (int)got, (int)want);
                check_fail(__FILE__, __LINE__, m);
            }
            if (unknown && !safe && got == API_RETRY_NO && points[p].cls != API_RETRY_NO)
                never++;
        }
    }
    /* 8 operations × the 3 retryable unknown points. */
    CHECK_INT_EQ(never, 8 * 3);
    /* An earlier unknown attempt keeps a later known failure from repeating them. */
    struct api_error e = failure_at(4);
    CHECK_INT_EQ(api_retry_decide(api_operation_find("CreateIdentityPool"), &e, true),
                 API_RETRY_NO);
    CHECK_INT_EQ(api_retry_decide(api_operation_find("SetIdentityPoolRoles"), &e, true),
                 API_RETRY_TRANSIENT);
}

int main(void)
{
    RUN(test_throttling_codes_retried);
    RUN(test_never_retried);
    RUN(test_transient);
    RUN(test_delay_formula);
    RUN(test_quota);
    RUN(test_skew_codes);
    RUN(test_decision_per_operation_and_failure_point);
    return check_finish();
}
