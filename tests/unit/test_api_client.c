/* tests/unit/test_api_client.c — the one call path (api/client.c) against
 * tests/api/fake_server.py: the wire format, signing and credentials per
 * signature, standard retries with fake clock/sleep/random, the retry quota,
 * clock skew, dry run, async calls and cancellation, pagination, bad answers. */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/client.h"
#include "api/dry_run.h"
#include "api/pagination.h"
#include "tests/api/client_fixture.h"
#include "tests/api/fake_server.h"
#include "tests/unit/check.h"

static struct fake_server fs;
static int rc_;
#define EXPECT(want, call)                                                                         \
    do {                                                                                           \
        rc_ = (call);                                                                              \
        CHECK_INT_EQ(rc_, want);                                                                   \
    } while (0)

#define POOL "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

struct env {
    struct counting_provider *cp;
    struct hooks h;
    struct api_client *c;
};

static void env_open(struct env *e, bool token, int max_attempts)
{
    memset(e, 0, sizeof *e);
    e->cp = counting_new(token);
    e->h.now = time(NULL);
    e->h.rand = 0.5;
    e->c = fixture_client(&fs, e->cp, &e->h, false, max_attempts);
    CHECK(e->c != NULL);
    fake_reset(&fs);
}

static void env_close(struct env *e)
{
    api_client_free(e->c);
    api_credentials_provider_free(&e->cp->base);
}

static int call_json(struct env *e, const char *op, const char *json, json_object **out,
                     struct api_error *err)
{
    json_object *in = json ? json_tokener_parse(json) : NULL;
    int rc = api_call(e->c, op, in, out, err);
    json_object_put(in);
    return rc;
}

static const char *log_str(json_object *reqs, size_t i, const char *key)
{
    json_object *v = NULL;
    json_object_object_get_ex(json_object_array_get_idx(reqs, i), key, &v);
    return v ? json_object_get_string(v) : "";
}

static void test_wire_format_and_signature(void)
{
    struct env e;
    json_object *out = NULL, *root;
    struct api_error err;
    char v[512], date[32];

    env_open(&e, true, 0);
    fake_script(&fs, "[{\"body\": \"{\\\"IdentityPools\\\": [], \\\"NextToken\\\": null}\"}]");
    EXPECT(0, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 10}", &out, &err));
    CHECK_INT_EQ(err.kind, API_ERR_NONE);
    CHECK_STR_EQ(err.request_id, "fake-1");
    CHECK(out && json_object_object_get_ex(out, "IdentityPools", NULL));
    CHECK(out && !json_object_object_get_ex(out, "NextToken", NULL));
    json_object_put(out);
    CHECK_INT_EQ(e.cp->gets, 1);

    json_object *reqs = fake_log(&fs, &root);
    CHECK(reqs && json_object_array_length(reqs) == 1);
    CHECK_STR_EQ(log_str(reqs, 0, "method"), "POST");
    CHECK_STR_EQ(log_str(reqs, 0, "path"), "/");
    CHECK_STR_EQ(log_str(reqs, 0, "body"), "{\"MaxResults\":10}");
    CHECK_STR_EQ(fake_log_header(reqs, 0, "Content-Type", v, sizeof v),
                 "application/x-amz-json-1.1");
    CHECK_STR_EQ(fake_log_header(reqs, 0, "X-Amz-Target", v, sizeof v),
                 "AWSCognitoIdentityService.ListIdentityPools");
    CHECK(strncmp(fake_log_header(reqs, 0, "User-Agent", v, sizeof v), "cognito-tui/", 12) == 0);
    CHECK_STR_EQ(fake_log_header(reqs, 0, "Host", v, sizeof v), fs.url + 7);
    CHECK_STR_EQ(fake_log_header(reqs, 0, "X-Amz-Security-Token", v, sizeof v), FIX_TOKEN);
    struct tm tm;
    gmtime_r(&e.h.now, &tm);
    strftime(date, sizeof date, "%Y%m%dT%H%M%SZ", &tm);
    CHECK_STR_EQ(fake_log_header(reqs, 0, "X-Amz-Date", v, sizeof v), date);
    fake_log_header(reqs, 0, "Authorization", v, sizeof v);
    char want[256];
    snprintf(want, sizeof want,
             "AWS4-HMAC-SHA256 Credential=" FIX_KEY_ID "/%.8s/us-east-1/"
             "cognito-identity/aws4_request, SignedHeaders=",
             date);
    CHECK(strncmp(v, want, strlen(want)) == 0);
    CHECK(strstr(v, "content-type;host;x-amz-date;") != NULL);
    CHECK(strstr(v, "x-amz-target") != NULL);
    CHECK(strstr(v, "Signature=") != NULL);
    CHECK(strstr(v, FIX_SECRET) == NULL);
    json_object_put(root);
    env_close(&e);
}

static void test_unsigned_operations_fetch_no_credentials(void)
{
    struct env e;
    json_object *out = NULL, *root;
    struct api_error err;
    char v[256];

    env_open(&e, false, 0);
    fake_script(&fs, "[{\"body\": \"{\\\"IdentityId\\\": \\\"us-east-1:1\\\"}\"}]");
    EXPECT(0, call_json(&e, "GetId", "{\"IdentityPoolId\": \"" POOL "\"}", &out, &err));
    json_object_put(out);
    CHECK_INT_EQ(e.cp->gets, 0);
    json_object *reqs = fake_log(&fs, &root);
    CHECK(reqs && json_object_array_length(reqs) == 1);
    CHECK_STR_EQ(fake_log_header(reqs, 0, "Authorization", v, sizeof v), "");
    CHECK_STR_EQ(fake_log_header(reqs, 0, "X-Amz-Date", v, sizeof v), "");
    CHECK_STR_EQ(fake_log_header(reqs, 0, "X-Amz-Target", v, sizeof v),
                 "AWSCognitoIdentityService.GetId");
    json_object_put(root);
    env_close(&e);

    /* A client without any provider can still make the public calls... */
    struct hooks h = {time(NULL), 0.5, {0}, 0};
    struct api_client *c = fixture_client(&fs, NULL, &h, false, 0);
    json_object *in = json_tokener_parse("{\"IdentityId\": \"us-east-1:1\"}");
    EXPECT(0, api_call(c, "GetOpenIdToken", in, &out, &err));
    json_object_put(out);
    json_object_put(in);
    /* ... and a signed one fails as a credentials problem, unsent. */
    fake_reset(&fs);
    in = json_tokener_parse("{\"MaxResults\": 3}");
    EXPECT(-1, api_call(c, "ListIdentityPools", in, &out, &err));
    json_object_put(in);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK_INT_EQ(fake_log_count(&fs), 0);
    api_client_free(c);
}

static void test_retries_transient_with_backoff(void)
{
    struct env e;
    json_object *out = NULL;
    struct api_error err;

    env_open(&e, false, 0);
    e.h.rand = 0.5;
    fake_script(&fs, "[{\"status\": 503, \"body\": \"\"}, {\"status\": 500, \"body\": "
                     "\"{\\\"__type\\\": \\\"InternalErrorException\\\"}\"}, {\"body\": \"{}\"}]");
    EXPECT(0, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    json_object_put(out);
    CHECK_INT_EQ(fake_log_count(&fs), 3);
    /* rand × min(2^(n−1), 20) s after attempts 1 and 2. */
    CHECK_INT_EQ(e.h.n_sleeps, 2);
    CHECK_INT_EQ(e.h.sleeps[0], 500);
    CHECK_INT_EQ(e.h.sleeps[1], 1000);
    /* One signature per attempt, credentials fetched each time. */
    CHECK_INT_EQ(e.cp->gets, 3);
    env_close(&e);
}

static void test_throttling_gives_up_after_max_attempts(void)
{
    struct env e;
    json_object *out = NULL;
    struct api_error err;
    const char *throttle =
        "{\"status\": 400, \"headers\": {\"x-amzn-ErrorType\": \"TooManyRequestsException:\"},"
        " \"body\": \"{\\\"message\\\": \\\"Rate exceeded\\\"}\"}";
    char script[2048];

    env_open(&e, false, 0);
    e.h.rand = 1.0 - 1e-9;
    snprintf(script, sizeof script, "[%s, %s, %s, %s]", throttle, throttle, throttle, throttle);
    fake_script(&fs, script);
    EXPECT(-1, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    CHECK(out == NULL);
    CHECK_INT_EQ(err.kind, API_ERR_AWS);
    CHECK_STR_EQ(err.code, "TooManyRequestsException");
    CHECK_STR_EQ(err.message, "Rate exceeded");
    CHECK(err.retryable);
    CHECK(err.request_id[0] != '\0');
    CHECK_INT_EQ(fake_log_count(&fs), 3); /* default: 3 attempts */
    CHECK_INT_EQ(e.h.n_sleeps, 2);
    CHECK(e.h.sleeps[0] >= 990 && e.h.sleeps[0] < 1000);
    CHECK(e.h.sleeps[1] >= 1990 && e.h.sleeps[1] < 2000);
    env_close(&e);

    /* max_attempts 5: 5 sends. */
    env_open(&e, false, 5);
    e.h.rand = 0.5;
    snprintf(script, sizeof script, "[%s, %s, %s, %s, %s, %s]", throttle, throttle, throttle,
             throttle, throttle, throttle);
    fake_script(&fs, script);
    EXPECT(-1, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    CHECK_INT_EQ(fake_log_count(&fs), 5);
    CHECK_INT_EQ(e.h.n_sleeps, 4);
    CHECK_INT_EQ(e.h.sleeps[2], 2000);
    CHECK_INT_EQ(e.h.sleeps[3], 4000);
    env_close(&e);
}

static void test_not_retried(void)
{
    static const char *const answers[] = {
        "{\"status\": 400, \"body\": \"{\\\"__type\\\": \\\"LimitExceededException\\\"}\"}",
        "{\"status\": 400, \"body\": \"{\\\"__type\\\": \\\"ValidationException\\\"}\"}",
        "{\"status\": 400, \"body\": \"{\\\"__type\\\": \\\"NotAuthorizedException\\\"}\"}",
        "{\"status\": 403, \"headers\": {\"Content-Type\": \"text/xml\"}, \"body\": "
        "\"<AccessDeniedException><Message>Access denied by policy</Message>"
        "</AccessDeniedException>\"}",
        "{\"status\": 501, \"body\": \"\"}",
    };
    for (size_t i = 0; i < sizeof answers / sizeof *answers; i++) {
        struct env e;
        json_object *out = NULL;
        struct api_error err;
        char script[512];

        env_open(&e, false, 0);
        snprintf(script, sizeof script, "[%s, {\"body\": \"{}\"}]", answers[i]);
        fake_script(&fs, script);
        EXPECT(-1, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
        CHECK(!err.retryable);
        CHECK_INT_EQ(fake_log_count(&fs), 1);
        CHECK_INT_EQ(e.h.n_sleeps, 0);
        if (i == 3) {
            CHECK_INT_EQ(err.kind, API_ERR_HTTP);
            CHECK_INT_EQ(err.http_status, 403);
            CHECK(strstr(err.message, "Access denied by policy") != NULL);
        }
        env_close(&e);
    }
}

static void test_connection_errors_retried(void)
{
    struct env e;
    json_object *out = NULL;
    struct api_error err;

    env_open(&e, false, 0);
    /* The first answer is cut short and the connection closed. */
    fake_script(&fs, "[{\"body\": \"{\\\"IdentityPools\\\": []}\", \"short\": 4},"
                     " {\"body\": \"{\\\"IdentityPools\\\": []}\"}]");
    EXPECT(0, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    json_object_put(out);
    CHECK_INT_EQ(fake_log_count(&fs), 2);
    CHECK_INT_EQ(e.h.n_sleeps, 1);
    env_close(&e);
}

static void test_timeouts_retried_at_timeout_cost(void)
{
    struct hooks h = {time(NULL), 0.1, {0}, 0};
    struct api_client_options o = {0};
    struct api_error err;
    json_object *in, *out = NULL;

    o.region = "us-east-1";
    o.endpoint_url = fs.url;
    o.timeout_ms = 150;
    o.max_attempts = 2;
    o.clock = hook_clock;
    o.sleep = hook_sleep;
    o.random = hook_random;
    o.hook_ctx = &h;
    struct api_client *c = api_client_new(&o, &err);
    fake_reset(&fs);
    fake_script(&fs, "[{\"delay_ms\": 600}, {\"delay_ms\": 600}]");
    /* GetOpenIdToken is unsigned (no credentials needed for this client) and
     * changes nothing, so a timed-out attempt may be repeated. */
    in = json_tokener_parse("{\"IdentityId\": \"us-east-1:11111111-2222-3333-4444-555555555555\"}");
    EXPECT(-1, api_call(c, "GetOpenIdToken", in, &out, &err));
    CHECK_INT_EQ(err.kind, API_ERR_TRANSPORT);
    CHECK_STR_EQ(err.code, "Timeout");
    CHECK(err.retryable);
    CHECK_INT_EQ(api_error_exit_code(&err), 4);
    CHECK_INT_EQ(h.n_sleeps, 1);
    CHECK_INT_EQ(h.sleeps[0], 100);
    for (int i = 0; i < 50 && fake_log_count(&fs) < 2; i++)
        usleep(20000);
    CHECK_INT_EQ(fake_log_count(&fs), 2);
    json_object_put(in);
    api_client_free(c);
    usleep(700000); /* let the fake server finish the answers it still owes */
}

static void test_retry_quota_across_calls(void)
{
    struct env e;
    json_object *out = NULL;
    struct api_error err;
    int calls = 0;

    env_open(&e, false, 0);
    e.h.rand = 0.0;
    /* Every answer a 503: each call takes 2 retries (10 tokens) until the
     * 500-token quota is spent after 50 calls; the 51st is not retried. */
    for (calls = 0; calls < 50; calls++) {
        char script[256] = "[{\"status\": 503, \"body\": \"\"}, {\"status\": 503, \"body\": \"\"},"
                           " {\"status\": 503, \"body\": \"\"}]";
        fake_script(&fs, script);
        EXPECT(-1, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    }
    CHECK_INT_EQ(fake_log_count(&fs), 150);
    fake_reset(&fs);
    fake_script(&fs, "[{\"status\": 503, \"body\": \"\"}, {\"body\": \"{}\"}]");
    EXPECT(-1, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    CHECK_INT_EQ(err.http_status, 503);
    CHECK_INT_EQ(fake_log_count(&fs), 1);
    /* Successes refill it (1 token each, no retry needed): 5 successes pay one retry. */
    fake_reset(&fs);
    for (int i = 0; i < 5; i++) {
        EXPECT(0, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
        json_object_put(out);
    }
    fake_script(&fs, "[{\"status\": 503, \"body\": \"\"}, {\"body\": \"{}\"}]");
    EXPECT(0, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    json_object_put(out);
    CHECK_INT_EQ(fake_log_count(&fs), 7);
    env_close(&e);
}

static void test_clock_skew_retried_once_at_corrected_time(void)
{
    struct env e;
    json_object *out = NULL, *root;
    struct api_error err;
    char v[64];
    const char *skewed =
        "{\"status\": 400, \"date_offset\": 600, \"body\": \"{\\\"__type\\\": "
        "\\\"InvalidSignatureException\\\", \\\"message\\\": \\\"Signature expired\\\"}\"}";
    char script[1024];

    env_open(&e, false, 0);
    snprintf(script, sizeof script, "[%s, {\"date_offset\": 600, \"body\": \"{}\"}]", skewed);
    fake_script(&fs, script);
    EXPECT(0, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    json_object_put(out);
    CHECK_INT_EQ(e.h.n_sleeps, 0); /* a skew retry is immediate */
    json_object *reqs = fake_log(&fs, &root);
    CHECK(reqs && json_object_array_length(reqs) == 2);
    struct tm tm = {0};
    char first[32], second[32];
    snprintf(first, sizeof first, "%s", fake_log_header(reqs, 0, "X-Amz-Date", v, sizeof v));
    snprintf(second, sizeof second, "%s", fake_log_header(reqs, 1, "X-Amz-Date", v, sizeof v));
    strptime(first, "%Y%m%dT%H%M%SZ", &tm);
    time_t t1 = timegm(&tm);
    memset(&tm, 0, sizeof tm);
    strptime(second, "%Y%m%dT%H%M%SZ", &tm);
    time_t t2 = timegm(&tm);
    CHECK(t1 == e.h.now);
    CHECK(t2 - t1 >= 598 && t2 - t1 <= 602);
    json_object_put(root);

    /* The correction stays for later calls. */
    fake_reset(&fs);
    EXPECT(0, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    json_object_put(out);
    reqs = fake_log(&fs, &root);
    memset(&tm, 0, sizeof tm);
    strptime(fake_log_header(reqs, 0, "X-Amz-Date", v, sizeof v), "%Y%m%dT%H%M%SZ", &tm);
    CHECK(timegm(&tm) - e.h.now >= 598);
    json_object_put(root);

    /* Our clock is then set right (NTP jumps it 600 s ahead): signing with
     * the old correction is now 600 s ahead of the server, which refuses
     * it; the correction is measured again against the time we signed
     * with, and the call retried once at the server's time. */
    e.h.now += 600;
    fake_reset(&fs);
    fake_script(&fs, script);
    EXPECT(0, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    json_object_put(out);
    reqs = fake_log(&fs, &root);
    CHECK(reqs && json_object_array_length(reqs) == 2);
    memset(&tm, 0, sizeof tm);
    strptime(fake_log_header(reqs, 0, "X-Amz-Date", v, sizeof v), "%Y%m%dT%H%M%SZ", &tm);
    CHECK(timegm(&tm) - e.h.now >= 598); /* still the old correction */
    memset(&tm, 0, sizeof tm);
    strptime(fake_log_header(reqs, 1, "X-Amz-Date", v, sizeof v), "%Y%m%dT%H%M%SZ", &tm);
    CHECK(timegm(&tm) - e.h.now >= -2 && timegm(&tm) - e.h.now <= 2); /* no correction now */
    json_object_put(root);
    env_close(&e);

    /* Only once: a second skew error is returned. */
    env_open(&e, false, 0);
    snprintf(script, sizeof script, "[%s, %s, %s]", skewed, skewed, skewed);
    fake_script(&fs, script);
    EXPECT(-1, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    CHECK_STR_EQ(err.code, "InvalidSignatureException");
    CHECK_INT_EQ(fake_log_count(&fs), 2);
    env_close(&e);

    /* Under 4 minutes of skew it is an ordinary auth error: not retried. */
    env_open(&e, false, 0);
    fake_script(&fs, "[{\"status\": 400, \"date_offset\": 200, \"body\": \"{\\\"__type\\\": "
                     "\\\"InvalidSignatureException\\\"}\"}, {\"body\": \"{}\"}]");
    EXPECT(-1, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    CHECK_INT_EQ(fake_log_count(&fs), 1);
    env_close(&e);
}

static void test_dry_run_redacts_and_sends_nothing(void)
{
    struct env e;
    char *text = NULL;
    struct api_error err;
    json_object *in;

    env_open(&e, true, 0);
    in = json_tokener_parse("{\"IdentityPoolId\": \"" POOL "\", \"Logins\": {\"login.app\": "
                            "\"DEV-USER-SECRET\"}}");
    EXPECT(0, api_dry_run(e.c, "GetOpenIdTokenForDeveloperIdentity", in, &text, &err));
    CHECK(text != NULL);
    if (text) {
        char first[160];
        snprintf(first, sizeof first, "POST %s/\n", fs.url);
        CHECK(strncmp(text, first, strlen(first)) == 0);
        CHECK(strstr(text, "X-Amz-Target: AWSCognitoIdentityService."
                           "GetOpenIdTokenForDeveloperIdentity\n") != NULL);
        CHECK(strstr(text, "Authorization: AWS4-HMAC-SHA256 Credential=" FIX_KEY_ID "/") != NULL);
        CHECK(strstr(text, "Signature=***REDACTED***\n") != NULL);
        CHECK(strstr(text, "X-Amz-Security-Token: ***REDACTED***\n") != NULL);
        CHECK(strstr(text, FIX_TOKEN) == NULL);
        CHECK(strstr(text, FIX_SECRET) == NULL);
        CHECK(strstr(text, "DEV-USER-SECRET") == NULL);
        CHECK(strstr(text, "\n\n{\"IdentityPoolId\":\"" POOL "\"") != NULL);
        /* The signature itself (64 hex digits) appears nowhere. */
        const char *sig = strstr(text, "Signature=");
        CHECK(sig && strncmp(sig + 10, "***", 3) == 0);
    }
    free(text);
    CHECK_INT_EQ(fake_log_count(&fs), 0);
    CHECK_INT_EQ(e.cp->gets, 1);
    /* Invalid input is refused by the dry run too. */
    json_object_object_del(in, "IdentityPoolId");
    EXPECT(-1, api_dry_run(e.c, "GetOpenIdTokenForDeveloperIdentity", in, &text, &err));
    CHECK_INT_EQ(err.kind, API_ERR_INVALID_INPUT);
    CHECK_STR_EQ(err.field, "IdentityPoolId");
    CHECK(text == NULL);
    json_object_put(in);
    env_close(&e);
}

static void test_refused_before_sending(void)
{
    struct env e;
    json_object *out = NULL;
    struct api_error err;

    env_open(&e, false, 0);
    EXPECT(-1, call_json(&e, "ListIdentityPool", "{}", &out, &err));
    CHECK_INT_EQ(err.kind, API_ERR_INVALID_INPUT);
    CHECK(strstr(err.message, "unknown operation ListIdentityPool") != NULL);
    EXPECT(-1, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 99}", &out, &err));
    CHECK_INT_EQ(err.kind, API_ERR_INVALID_INPUT);
    CHECK_STR_EQ(err.field, "MaxResults");
    CHECK_INT_EQ(api_error_exit_code(&err), 2);
    CHECK_INT_EQ(fake_log_count(&fs), 0);
    CHECK_INT_EQ(e.cp->gets, 0);
    env_close(&e);
}

static void test_bad_answers_are_clear_errors(void)
{
    struct env e;
    json_object *out = NULL;
    struct api_error err;

    env_open(&e, false, 1);
    fake_script(&fs, "[{\"json_depth\": 40}, {\"repeat\": 17000000}, {\"status\": 200, \"body\":"
                     " \"{\\\"IdentityPools\\\": [\"}, {\"status\": 502, \"headers\": "
                     "{\"Content-Type\": \"text/html\"}, \"body\": \"<html><head><title>502 Bad "
                     "Gateway</title></head></html>\"}]");
    EXPECT(-1, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK_INT_EQ(err.http_status, 200);
    CHECK(strstr(err.message, "deeper than the model") != NULL);
    EXPECT(-1, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    CHECK_INT_EQ(err.kind, API_ERR_TRANSPORT);
    CHECK(strstr(err.message, "16 MiB") != NULL);
    CHECK_INT_EQ(api_error_exit_code(&err), 4);
    EXPECT(-1, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK(strstr(err.message, "truncated") != NULL);
    EXPECT(-1, call_json(&e, "ListIdentityPools", "{\"MaxResults\": 1}", &out, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK_INT_EQ(err.http_status, 502);
    CHECK(strstr(err.message, "502 Bad Gateway") != NULL);
    CHECK(out == NULL);
    env_close(&e);
}

static void test_client_new_refuses_bad_endpoints(void)
{
    struct api_client_options o = {0};
    struct api_error err;

    o.region = "us-east-1";
    o.endpoint_url = "http://cognito-identity.us-east-1.amazonaws.com";
    CHECK(api_client_new(&o, &err) == NULL);
    CHECK_INT_EQ(err.kind, API_ERR_TRANSPORT);
    CHECK(strstr(err.message, "loopback") != NULL);
    o.endpoint_url = "https://example.com/?x=1";
    CHECK(api_client_new(&o, &err) == NULL);
    o.endpoint_url = "https://user@example.com/";
    CHECK(api_client_new(&o, &err) == NULL);
    o.endpoint_url = "::::";
    CHECK(api_client_new(&o, &err) == NULL);
    o.endpoint_url = "https://cognito-identity.eu-west-1.amazonaws.com";
    o.region = NULL;
    CHECK(api_client_new(&o, &err) == NULL);
    o.region = "eu-west-1";
    o.ca_bundle = "/nonexistent/ca.pem";
    CHECK(api_client_new(&o, &err) == NULL);
    CHECK_INT_EQ(err.kind, API_ERR_TLS);
    o.ca_bundle = NULL;
    o.read_only = true;
    struct api_client *c = api_client_new(&o, &err);
    CHECK(c != NULL);
    CHECK(c && api_client_read_only(c));
    api_client_free(c);
}

/* ---- async ---- */

struct async_result {
    int calls;
    int ok;
    enum api_error_kind last_kind;
    char last_rid[128];
    json_object *last_output;
};

static void async_done(void *ctx, json_object *output, const struct api_error *err)
{
    struct async_result *r = ctx;
    r->calls++;
    r->last_kind = err->kind;
    snprintf(r->last_rid, sizeof r->last_rid, "%s", err->request_id);
    if (err->kind == API_ERR_NONE) {
        r->ok++;
        CHECK(output != NULL);
    } else {
        CHECK(output == NULL);
    }
    json_object_put(output);
}

static void run_loop(struct api_client *c, int max_loops)
{
    struct pollfd fds[16];
    for (int i = 0; i < max_loops && api_client_pending(c) > 0; i++) {
        int timeout = -1;
        int n = api_client_pollfds(c, fds, 16, &timeout);
        if (timeout < 0 || timeout > 200)
            timeout = 200;
        poll(fds, (nfds_t)n, timeout);
        api_client_perform(c);
    }
}

static void test_async_calls_retry_and_cancel(void)
{
    struct env e;
    struct api_error err;
    struct async_result r = {0};
    json_object *in = json_tokener_parse("{\"MaxResults\": 5}");

    env_open(&e, false, 0);
    e.h.rand = 0.01; /* a 10 ms backoff, waited on the client's timer */
    fake_script(&fs, "[{\"status\": 503, \"body\": \"\"}]");
    for (int i = 0; i < 3; i++)
        CHECK(api_call_start(e.c, "ListIdentityPools", in, async_done, &r, &err) != NULL);
    CHECK_INT_EQ(api_client_pending(e.c), 3);
    CHECK_INT_EQ(r.calls, 0); /* callbacks only inside perform */
    run_loop(e.c, 500);
    CHECK_INT_EQ(r.calls, 3);
    CHECK_INT_EQ(r.ok, 3);
    CHECK_INT_EQ(api_client_pending(e.c), 0);
    CHECK_INT_EQ(fake_log_count(&fs), 4); /* one of them retried once */
    CHECK_INT_EQ(e.h.n_sleeps, 0);        /* async never blocks in the sleep hook */

    /* Refused before sending: no handle, no callback. */
    memset(&r, 0, sizeof r);
    CHECK(api_call_start(e.c, "Nope", in, async_done, &r, &err) == NULL);
    CHECK_INT_EQ(err.kind, API_ERR_INVALID_INPUT);
    CHECK_INT_EQ(r.calls, 0);

    /* Cancel: the callback fires at once with API_ERR_CANCELLED. */
    fake_reset(&fs);
    fake_script(&fs, "[{\"delay_ms\": 2000}]");
    struct api_request *req = api_call_start(e.c, "ListIdentityPools", in, async_done, &r, &err);
    CHECK(req != NULL);
    api_client_perform(e.c);
    api_request_cancel(req);
    CHECK_INT_EQ(r.calls, 1);
    CHECK_INT_EQ(r.last_kind, API_ERR_CANCELLED);
    CHECK_INT_EQ(api_client_pending(e.c), 0);
    run_loop(e.c, 5);
    CHECK_INT_EQ(r.calls, 1);
    /* The server may read the cancelled request only now; let it land in
     * this test's log, not in the next test's (one server serves them all). */
    for (int i = 0; i < 100 && fake_log_count(&fs) < 1; i++)
        usleep(20000);
    json_object_put(in);
    env_close(&e);
}

/* ---- pagination ---- */

struct pages {
    int n;
    int stop_at;
};

static int count_page(void *ctx, json_object *page, struct api_error *err)
{
    struct pages *p = ctx;
    p->n++;
    return p->stop_at && p->n >= p->stop_at ? 1 : 0;
}

static void test_paginate_follows_and_stops(void)
{
    struct env e;
    struct api_error err;
    struct pages p = {0};
    json_object *in = json_tokener_parse("{\"MaxResults\": 2}"), *root;

    env_open(&e, false, 0);
    fake_script(&fs, "[{\"body\": \"{\\\"IdentityPools\\\": [], \\\"NextToken\\\": \\\"t1\\\"}\"},"
                     " {\"body\": \"{\\\"IdentityPools\\\": [], \\\"NextToken\\\": \\\"t2\\\"}\"},"
                     " {\"body\": \"{\\\"IdentityPools\\\": []}\"}]");
    EXPECT(0, api_paginate(e.c, "ListIdentityPools", in, count_page, &p, &err));
    CHECK_INT_EQ(p.n, 3);
    CHECK_INT_EQ(err.kind, API_ERR_NONE);
    json_object *reqs = fake_log(&fs, &root);
    CHECK(reqs && json_object_array_length(reqs) == 3);
    if (reqs && json_object_array_length(reqs) == 3) {
        CHECK_STR_EQ(err.request_id, log_str(reqs, 2, "request_id"));
        CHECK_STR_EQ(log_str(reqs, 0, "body"), "{\"MaxResults\":2}");
        CHECK_STR_EQ(log_str(reqs, 1, "body"), "{\"MaxResults\":2,\"NextToken\":\"t1\"}");
        CHECK_STR_EQ(log_str(reqs, 2, "body"), "{\"MaxResults\":2,\"NextToken\":\"t2\"}");
    }
    json_object_put(root);
    /* The caller's input is not changed. */
    CHECK(!json_object_object_get_ex(in, "NextToken", NULL));
    /* A token seen before in the walk: stop with an error instead of looping. */
    fake_reset(&fs);
    p.n = 0;
    fake_script(&fs, "[{\"body\": \"{\\\"NextToken\\\": \\\"same\\\"}\"},"
                     " {\"body\": \"{\\\"NextToken\\\": \\\"other\\\"}\"},"
                     " {\"body\": \"{\\\"NextToken\\\": \\\"same\\\"}\"},"
                     " {\"body\": \"{\\\"NextToken\\\": \\\"same\\\"}\"}]");
    EXPECT(-1, api_paginate(e.c, "ListIdentityPools", in, count_page, &p, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK(strstr(err.message, "ListIdentityPools: page 3 gave a NextToken") != NULL);
    CHECK(err.request_id[0] != '\0');
    CHECK_INT_EQ(p.n, 3);
    CHECK_INT_EQ(fake_log_count(&fs), 3);
    /* The page callback can stop early; errors stop it too. */
    fake_reset(&fs);
    p.n = 0;
    p.stop_at = 1;
    fake_script(&fs, "[{\"body\": \"{\\\"NextToken\\\": \\\"a\\\"}\"}]");
    EXPECT(0, api_paginate(e.c, "ListIdentityPools", in, count_page, &p, &err));
    CHECK_INT_EQ(p.n, 1);
    p.n = 0;
    p.stop_at = 0;
    fake_script(&fs, "[{\"body\": \"{\\\"NextToken\\\": \\\"a\\\"}\"}, {\"status\": 400, \"body\":"
                     " \"{\\\"__type\\\": \\\"InvalidParameterException\\\"}\"}]");
    EXPECT(-1, api_paginate(e.c, "ListIdentityPools", in, count_page, &p, &err));
    CHECK_STR_EQ(err.code, "InvalidParameterException");
    CHECK_INT_EQ(p.n, 1);
    json_object_put(in);
    env_close(&e);
}

int main(void)
{
    if (fake_start(&fs) != 0) {
        printf("not ok - fake_server: did not start\n");
        return 1;
    }
    RUN(test_wire_format_and_signature);
    RUN(test_unsigned_operations_fetch_no_credentials);
    RUN(test_retries_transient_with_backoff);
    RUN(test_throttling_gives_up_after_max_attempts);
    RUN(test_not_retried);
    RUN(test_connection_errors_retried);
    RUN(test_timeouts_retried_at_timeout_cost);
    RUN(test_retry_quota_across_calls);
    RUN(test_clock_skew_retried_once_at_corrected_time);
    RUN(test_dry_run_redacts_and_sends_nothing);
    RUN(test_refused_before_sending);
    RUN(test_bad_answers_are_clear_errors);
    RUN(test_client_new_refuses_bad_endpoints);
    RUN(test_async_calls_retry_and_cancel);
    RUN(test_paginate_follows_and_stops);
    fake_stop(&fs);
    return check_finish();
}
