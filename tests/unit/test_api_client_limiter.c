/* tests/unit/test_api_client_limiter.c — the rate limiter's hook in the call
 * path (api/client.c, adaptive mode) against tests/api/fake_server.py:
 * every attempt takes a token, waits are slept (blocking) or timed
 * (asynchronous), every answer is recorded, throttles included. The
 * limiter's clock is a fake one that the sleep hook advances. */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/client.h"
#include "api/rate_limiter.h"
#include "tests/api/client_fixture.h"
#include "tests/api/fake_server.h"
#include "tests/unit/check.h"

static struct fake_server fs;

#define POOL "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
#define THROTTLE                                                                                   \
    "{\"status\": 400, \"headers\": {\"x-amzn-ErrorType\": \"TooManyRequestsException:\"},"        \
    " \"body\": \"{\\\"message\\\": \\\"Rate exceeded\\\"}\"}"
#define EMPTY_PAGE                                                                                 \
    "{\"body\": \"{\\\"IdentityPoolId\\\": \\\"" POOL "\\\", \\\"Identities\\\": []}\"}"

struct fake_time {
    double mono; /* the limiter's clock, seconds */
    long slept_ms;
    int sleeps;
};

static time_t ft_clock(void *ctx)
{
    return time(NULL);
}

static void ft_sleep(void *ctx, long ms)
{
    struct fake_time *t = ctx;
    t->mono += ms / 1000.0;
    t->slept_ms += ms;
    t->sleeps++;
}

static double ft_random(void *ctx)
{
    return 0.0; /* retries without backoff: only the limiter waits */
}

static double ft_mono(void *ctx)
{
    return ((struct fake_time *)ctx)->mono;
}

static struct api_client *client(struct counting_provider *cp, struct fake_time *t, bool fake_mono,
                                 bool adaptive)
{
    struct api_client_options o = {0};
    struct api_error err;
    o.region = "us-east-1";
    o.endpoint_url = fs.url;
    o.timeout_ms = 20000;
    o.credentials = &cp->base;
    o.clock = ft_clock;
    o.sleep = ft_sleep;
    o.random = ft_random;
    o.monotonic = fake_mono ? ft_mono : NULL;
    o.adaptive = adaptive;
    o.hook_ctx = t;
    return api_client_new(&o, &err);
}

static json_object *list_input(void)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(POOL));
    json_object_object_add(in, "MaxResults", json_object_new_int(60));
    return in;
}

static int list(struct api_client *c, struct api_error *err)
{
    json_object *in = list_input(), *out = NULL;
    int rc = api_call(c, "ListIdentities", in, &out, err);
    json_object_put(in);
    json_object_put(out);
    return rc;
}

/* A bulk limiter at the published 5 a second: the first call goes at once,
 * each next one sleeps 200 ms of the limiter's clock. */
static void test_blocking_calls_paced(void)
{
    struct counting_provider *cp = counting_new(false);
    struct fake_time t = {1000.0, 0, 0};
    struct api_client *c = client(cp, &t, true, false);
    struct api_rate_limiter_options lo = {.share_percent = 100, .start_at_cap = true};
    struct api_rate_limiter *l = api_rate_limiter_new(&lo);
    struct api_error err;
    char script[4096] = "[";

    for (int i = 0; i < 6; i++)
        strcat(script, i ? ", " EMPTY_PAGE : EMPTY_PAGE);
    strcat(script, "]");
    fake_reset(&fs);
    fake_script(&fs, script);
    api_client_set_rate_limiter(c, l);
    for (int i = 0; i < 6; i++)
        CHECK_INT_EQ(list(c, &err), 0);
    CHECK_INT_EQ(fake_log_count(&fs), 6);
    CHECK(t.slept_ms >= 1000 && t.slept_ms <= 1010);
    struct api_rate_stats st;
    api_rate_limiter_stats(l, "ListIdentities", &st);
    CHECK_INT_EQ(st.sent, 6);
    CHECK_INT_EQ(st.throttled, 0);

    /* Unset: standard mode again, nothing waits. */
    api_client_set_rate_limiter(c, NULL);
    fake_script(&fs, "[" EMPTY_PAGE ", " EMPTY_PAGE "]");
    long before = t.slept_ms;
    CHECK_INT_EQ(list(c, &err), 0);
    CHECK_INT_EQ(list(c, &err), 0);
    CHECK_INT_EQ(t.slept_ms, before);
    api_client_free(c);
    api_rate_limiter_free(l);
    api_credentials_provider_free(&cp->base);
}

/* Retries take tokens too, and throttling answers reach the limiter. */
static void test_throttles_recorded_and_retries_paced(void)
{
    struct counting_provider *cp = counting_new(false);
    struct fake_time t = {50.0, 0, 0};
    struct api_client *c = client(cp, &t, true, false);
    struct api_rate_limiter *l = api_rate_limiter_new(NULL); /* plain adaptive */
    struct api_error err;

    fake_reset(&fs);
    fake_script(&fs, "[" THROTTLE ", " THROTTLE ", " EMPTY_PAGE "]");
    api_client_set_rate_limiter(c, l);
    CHECK_INT_EQ(list(c, &err), 0);
    CHECK_INT_EQ(fake_log_count(&fs), 3);
    struct api_rate_stats st;
    api_rate_limiter_stats(l, "ListIdentities", &st);
    CHECK_INT_EQ(st.sent, 3);
    CHECK_INT_EQ(st.throttled, 2);
    CHECK(st.limiting); /* pacing switched on by the first throttle */
    /* After a throttle at a measured rate of 0 the rate is the floor (0.5
     * a second): the retries waited for their tokens (the backoff itself is
     * 0 here). */
    CHECK(t.slept_ms >= 1900);
    api_client_free(c);
    api_rate_limiter_free(l);
    api_credentials_provider_free(&cp->base);
}

/* retry_mode adaptive: the client's own limiter; a throttle is enough to
 * make the next call wait. */
static void test_own_adaptive_limiter(void)
{
    struct counting_provider *cp = counting_new(false);
    struct fake_time t = {10.0, 0, 0};
    struct api_client *c = client(cp, &t, true, true);
    struct api_error err;

    fake_reset(&fs);
    fake_script(&fs, "[" EMPTY_PAGE ", " EMPTY_PAGE "]");
    CHECK_INT_EQ(list(c, &err), 0);
    CHECK_INT_EQ(list(c, &err), 0);
    CHECK_INT_EQ(t.sleeps, 0); /* adaptive lets everything through until a throttle */
    fake_script(&fs, "[" THROTTLE ", " EMPTY_PAGE ", " EMPTY_PAGE "]");
    CHECK_INT_EQ(list(c, &err), 0);
    int after_retry = t.sleeps;
    CHECK(after_retry > 0);
    CHECK_INT_EQ(list(c, &err), 0);
    CHECK(t.sleeps > after_retry);
    api_client_free(c);
    api_credentials_provider_free(&cp->base);
}

struct done_count {
    int done, ok;
};

static void count_done(void *ctx, json_object *output, const struct api_error *err)
{
    struct done_count *d = ctx;
    d->done++;
    if (err->kind == API_ERR_NONE)
        d->ok++;
    json_object_put(output);
}

/* Asynchronous calls wait for their tokens on a timer the client reports,
 * unsent: cancelling one then is a plain cancel (nothing was sent). */
static void test_async_waits_on_timer(void)
{
    struct counting_provider *cp = counting_new(false);
    struct fake_time t = {0, 0, 0};
    struct api_client *c = client(cp, &t, false, false);
    struct api_rate_limiter_options lo = {.share_percent = 200, .start_at_cap = true};
    struct api_rate_limiter *l = api_rate_limiter_new(&lo); /* 10 a second */
    struct api_error err;
    struct done_count d = {0, 0};
    struct api_request *r[4];

    fake_reset(&fs);
    fake_script(&fs, "[" EMPTY_PAGE ", " EMPTY_PAGE ", " EMPTY_PAGE "]");
    api_client_set_rate_limiter(c, l);
    json_object *in = list_input();
    for (int i = 0; i < 4; i++) {
        r[i] = api_call_start(c, "ListIdentities", in, count_done, &d, &err);
        CHECK(r[i] != NULL);
    }
    json_object_put(in);
    CHECK(!api_request_sent(r[1]));
    CHECK(!api_request_sent(r[2]));
    CHECK(!api_request_sent(r[3]));
    struct pollfd fds[16];
    int timeout = -1;
    api_client_pollfds(c, fds, 16, &timeout);
    CHECK(timeout >= 0 && timeout <= 101);
    api_request_cancel(r[3]);
    CHECK_INT_EQ(d.done, 1);
    CHECK_INT_EQ(d.ok, 0);
    for (int spins = 0; d.done < 4 && spins < 10000; spins++) {
        int n = api_client_pollfds(c, fds, 16, &timeout);
        poll(fds, (nfds_t)n, timeout < 0 || timeout > 1000 ? 1000 : timeout);
        api_client_perform(c);
    }
    CHECK_INT_EQ(d.done, 4);
    CHECK_INT_EQ(d.ok, 3);
    CHECK_INT_EQ(fake_log_count(&fs), 3);
    struct api_rate_stats st;
    api_rate_limiter_stats(l, "ListIdentities", &st);
    CHECK_INT_EQ(st.sent, 3);
    api_client_free(c);
    api_rate_limiter_free(l);
    api_credentials_provider_free(&cp->base);
}

struct done_order {
    char seq[8];
    size_t n;
};
struct done_tag {
    struct done_order *order;
    char tag;
};

static void record_done(void *ctx, json_object *output, const struct api_error *err)
{
    struct done_tag *t = ctx;
    if (t->order->n + 1 < sizeof t->order->seq)
        t->order->seq[t->order->n++] = err->kind == API_ERR_NONE ? t->tag : '!';
    json_object_put(output);
}

/* Two requests waiting for the same operation's token: the one that started
 * waiting first is sent first, though the newer is due in the same instant
 * (the request list holds the newest first). */
static void test_async_waiters_served_in_order(void)
{
    struct counting_provider *cp = counting_new(false);
    struct fake_time t = {0, 0, 0};
    struct api_client *c = client(cp, &t, false, false);
    struct api_rate_limiter_options lo = {.share_percent = 200, .start_at_cap = true};
    struct api_rate_limiter *l = api_rate_limiter_new(&lo); /* 10 a second */
    struct api_error err;
    struct done_order order = {"", 0};
    struct done_tag tags[3] = {{&order, 'A'}, {&order, 'B'}, {&order, 'C'}};

    fake_reset(&fs);
    fake_script(&fs, "[" EMPTY_PAGE ", " EMPTY_PAGE ", " EMPTY_PAGE "]");
    api_client_set_rate_limiter(c, l);
    json_object *in = list_input();
    CHECK(api_call_start(c, "ListIdentities", in, record_done, &tags[0], &err) != NULL);
    CHECK(api_call_start(c, "ListIdentities", in, record_done, &tags[1], &err) != NULL);
    struct timespec pause = {0, 30 * 1000000L};
    nanosleep(&pause, NULL);
    CHECK(api_call_start(c, "ListIdentities", in, record_done, &tags[2], &err) != NULL);
    json_object_put(in);
    struct pollfd fds[16];
    int timeout = -1;
    for (int spins = 0; order.n < 3 && spins < 10000; spins++) {
        int n = api_client_pollfds(c, fds, 16, &timeout);
        poll(fds, (nfds_t)n, timeout < 0 || timeout > 1000 ? 1000 : timeout);
        api_client_perform(c);
    }
    CHECK_STR_EQ(order.seq, "ABC");
    api_client_free(c);
    api_rate_limiter_free(l);
    api_credentials_provider_free(&cp->base);
}

/* A background request (api_call_start_background) waits while a foreground
 * request of its operation waits, though it asked first. */
static void test_background_waits_for_foreground(void)
{
    struct counting_provider *cp = counting_new(false);
    struct fake_time t = {0, 0, 0};
    struct api_client *c = client(cp, &t, false, false);
    struct api_rate_limiter_options lo = {.share_percent = 200, .start_at_cap = true};
    struct api_rate_limiter *l = api_rate_limiter_new(&lo); /* 10 a second */
    struct api_error err;
    struct done_order order = {"", 0};
    struct done_tag tags[4] = {{&order, 'A'}, {&order, 'b'}, {&order, 'C'}, {&order, 'D'}};

    fake_reset(&fs);
    fake_script(&fs, "[" EMPTY_PAGE ", " EMPTY_PAGE ", " EMPTY_PAGE ", " EMPTY_PAGE "]");
    api_client_set_rate_limiter(c, l);
    json_object *in = list_input();
    CHECK(api_call_start(c, "ListIdentities", in, record_done, &tags[0], &err) != NULL);
    CHECK(api_call_start_background(c, "ListIdentities", in, record_done, &tags[1], &err) != NULL);
    struct timespec pause = {0, 30 * 1000000L};
    nanosleep(&pause, NULL);
    CHECK(api_call_start(c, "ListIdentities", in, record_done, &tags[2], &err) != NULL);
    CHECK(api_call_start(c, "ListIdentities", in, record_done, &tags[3], &err) != NULL);
    json_object_put(in);
    struct pollfd fds[16];
    int timeout = -1;
    for (int spins = 0; order.n < 4 && spins < 10000; spins++) {
        int n = api_client_pollfds(c, fds, 16, &timeout);
        poll(fds, (nfds_t)n, timeout < 0 || timeout > 1000 ? 1000 : timeout);
        api_client_perform(c);
    }
    CHECK_STR_EQ(order.seq, "ACDb");
    CHECK_INT_EQ(fake_log_count(&fs), 4);
    api_client_free(c);
    api_rate_limiter_free(l);
    api_credentials_provider_free(&cp->base);
}

int main(void)
{
    if (fake_start(&fs) != 0) {
        printf("not ok - fake_server: cannot start tests/api/fake_server.py\n");
        return 1;
    }
    RUN(test_blocking_calls_paced);
    RUN(test_throttles_recorded_and_retries_paced);
    RUN(test_own_adaptive_limiter);
    RUN(test_async_waits_on_timer);
    RUN(test_async_waiters_served_in_order);
    RUN(test_background_waits_for_foreground);
    fake_stop(&fs);
    return check_finish();
}
