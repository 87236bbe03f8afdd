/* Tests of api/rate_limiter.c (adaptive client-side rate limiting) and the
 * quota table, on a fake clock: every time below is a number we pass. */
#include <math.h>
#include <stdlib.h>

#include "api/quotas.h"
#include "api/rate_limiter.h"
#include "check.h"

#define NEAR(a, b, tol) (fabs((a) - (b)) <= (tol))

/* A server that allows `rate` requests a second with a burst of one
 * second's worth, as the emulator's --quotas does. */
struct fake_server {
    double rate, tokens, last;
};

static bool server_admits(struct fake_server *s, double now)
{
    s->tokens += (now - s->last) * s->rate;
    if (s->tokens > s->rate)
        s->tokens = s->rate;
    s->last = now;
    if (s->tokens >= 1) {
        s->tokens -= 1;
        return true;
    }
    return false;
}

struct run_result {
    unsigned long sent, throttled;
};

/* A greedy client: as many requests of `op` as the limiter lets through,
 * one at a time, each answered `latency` seconds after it was sent, from
 * t0 to t1. */
static struct run_result drive(struct api_rate_limiter *l, const char *op, struct fake_server *s,
                               double t0, double t1, double latency)
{
    struct run_result r = {0, 0};
    double t = t0;

    while (t < t1) {
        double wait = api_rate_limiter_acquire(l, op, t);
        if (wait > 0) {
            CHECK(wait < 10);
            t += wait;
            continue;
        }
        bool ok = server_admits(s, t);
        t += latency;
        api_rate_limiter_record(l, op, t, !ok);
        r.sent++;
        if (!ok)
            r.throttled++;
    }
    return r;
}

static void test_quota_table(void)
{
    CHECK(api_quota_rate("ListIdentities") == 5);
    CHECK(api_quota_rate("DeleteIdentities") == 10);
    CHECK(api_quota_rate("GetId") == 25);
    CHECK(api_quota_rate("GetOpenIdToken") == 200);
    CHECK(api_quota_rate("GetCredentialsForIdentity") == 200);
    CHECK(api_quota_rate("GetOpenIdTokenForDeveloperIdentity") == 50);
    CHECK(api_quota_rate("TagResource") == 5);
    CHECK(api_quota_rate("UntagResource") == 5);
    CHECK(api_quota_rate("ListTagsForResource") == 10);
    CHECK_INT_EQ(api_n_quotas, 9);
    CHECK(api_quota_rate("DescribeIdentity") == 0); /* unpublished */
    CHECK(api_quota_rate("listidentities") == 0);   /* exact names only */
    CHECK(api_quota_rate(NULL) == 0);
}

static void test_options_checked(void)
{
    struct api_rate_limiter_options o = {.share_percent = 1001};
    CHECK(api_rate_limiter_new(&o) == NULL);
    o.share_percent = -1;
    CHECK(api_rate_limiter_new(&o) == NULL);
    o.share_percent = 1000;
    struct api_rate_limiter *l = api_rate_limiter_new(&o);
    CHECK(l != NULL);
    CHECK(api_rate_limiter_cap(l, "ListIdentities") == 50);
    api_rate_limiter_free(l);
    l = api_rate_limiter_new(NULL);
    CHECK(l != NULL);
    CHECK(api_rate_limiter_cap(l, "ListIdentities") == 0);
    api_rate_limiter_free(l);
}

/* The SDKs' adaptive mode: nothing is paced until the first throttle. */
static void test_adaptive_open_until_throttled(void)
{
    struct api_rate_limiter *l = api_rate_limiter_new(NULL);
    struct api_rate_stats st;

    for (int i = 0; i < 1000; i++) {
        CHECK(api_rate_limiter_acquire(l, "DescribeIdentity", 100.0) == 0);
        api_rate_limiter_record(l, "DescribeIdentity", 100.0, false);
    }
    api_rate_limiter_stats(l, "DescribeIdentity", &st);
    CHECK(!st.limiting);
    CHECK_INT_EQ(st.sent, 1000);
    CHECK_INT_EQ(st.throttled, 0);
    api_rate_limiter_free(l);
}

/* 10 answers a second, measured over several windows, then a throttle: the
 * rate drops to 0.7 × 10, then follows the CUBIC curve back to 10 after
 * K = ∛(10 × 0.3 / 0.4) seconds. */
static void test_cubic_after_throttle(void)
{
    struct api_rate_limiter *l = api_rate_limiter_new(NULL);
    struct api_rate_stats st;
    double t = 0;

    for (int i = 0; i < 50; i++, t += 0.1) {
        CHECK(api_rate_limiter_acquire(l, "GetId", t) == 0);
        api_rate_limiter_record(l, "GetId", t, false);
    }
    api_rate_limiter_stats(l, "GetId", &st);
    CHECK(NEAR(st.measured, 10, 0.5));
    double measured = st.measured;
    api_rate_limiter_record(l, "GetId", t, true);
    api_rate_limiter_stats(l, "GetId", &st);
    CHECK(st.limiting);
    CHECK_INT_EQ(st.throttled, 1);
    double w_max = st.measured; /* the throttle's answer is measured too */
    CHECK(NEAR(w_max, measured, 2.5));
    CHECK(NEAR(st.rate, 0.7 * w_max, 1e-9));

    /* Right after: one token's wait at the reduced rate (the bucket holds
     * what it earned before, so take what is there first). */
    double k = cbrt(w_max * 0.3 / 0.4);
    double t_fail = t;
    /* A success exactly K seconds later puts the rate back at w_max (or at
     * twice the measured rate, whichever is lower). */
    api_rate_limiter_record(l, "GetId", t_fail + k, false);
    api_rate_limiter_stats(l, "GetId", &st);
    double want = w_max < 2 * st.measured ? w_max : 2 * st.measured;
    CHECK(NEAR(st.rate, want, 1e-6));
    api_rate_limiter_free(l);
}

static void test_cubic_curve_values(void)
{
    /* A bucket capped far above what we send, so only CUBIC and the
     * measured bound act: throttle at a known measured rate, then read the
     * curve at several points. */
    struct api_rate_limiter *l = api_rate_limiter_new(NULL);
    struct api_rate_stats st;
    double t = 10;

    /* 20 answers a second for 3 s: measured converges to 20. */
    for (int i = 0; i < 60; i++, t += 0.05)
        api_rate_limiter_record(l, "GetId", t, false);
    api_rate_limiter_stats(l, "GetId", &st);
    CHECK(NEAR(st.measured, 20, 0.5));
    api_rate_limiter_record(l, "GetId", t, true);
    api_rate_limiter_stats(l, "GetId", &st);
    double w = st.measured;
    double k = cbrt(w * (1 - API_RATE_BETA) / API_RATE_SCALE);
    CHECK(NEAR(st.rate, API_RATE_BETA * w, 1e-9));
    /* Same half-second window: the measured rate stays, the curve moves. */
    double t_fail = t;
    for (double dt = 0.1; dt < 0.4; dt += 0.1) {
        double now = t_fail + dt;
        if (floor(now / 0.5) != floor(t_fail / 0.5))
            break;
        api_rate_limiter_record(l, "GetId", now, false);
        api_rate_limiter_stats(l, "GetId", &st);
        double curve = API_RATE_SCALE * pow(dt - k, 3) + w;
        double bound = 2 * st.measured;
        CHECK(NEAR(st.rate, curve < bound ? curve : bound, 1e-6));
    }
    api_rate_limiter_free(l);
}

static void test_min_rate(void)
{
    struct api_rate_limiter *l = api_rate_limiter_new(NULL);
    struct api_rate_stats st;

    /* One answer in 20 s, then a throttle: 0.7 × a tiny rate is below the
     * floor. */
    api_rate_limiter_record(l, "GetId", 0, false);
    api_rate_limiter_record(l, "GetId", 20, true);
    api_rate_limiter_stats(l, "GetId", &st);
    CHECK(st.rate == API_RATE_MIN);
    /* The bucket still holds one token at least: after it is taken, the
     * next one comes 1 / 0.5 = 2 s later. */
    double t = 20;
    while (api_rate_limiter_acquire(l, "GetId", t) == 0)
        ;
    double wait = api_rate_limiter_acquire(l, "GetId", t);
    CHECK(wait > 0 && wait <= 2.0 + 1e-9);
    CHECK(api_rate_limiter_acquire(l, "GetId", t + wait) == 0);
    api_rate_limiter_free(l);
}

/* Bulk jobs: paced at the published quota from the first request. */
static void test_bulk_paces_at_cap(void)
{
    struct api_rate_limiter_options o = {.share_percent = 100, .start_at_cap = true};
    struct api_rate_limiter *l = api_rate_limiter_new(&o);
    struct api_rate_stats st;

    CHECK(api_rate_limiter_acquire(l, "ListIdentities", 0) == 0); /* first goes at once */
    double wait = api_rate_limiter_acquire(l, "ListIdentities", 0);
    CHECK(NEAR(wait, 0.2, 1e-9)); /* 5 a second */
    CHECK(api_rate_limiter_acquire(l, "ListIdentities", 0.1) > 0);
    CHECK(api_rate_limiter_acquire(l, "ListIdentities", 0.2) == 0);

    /* A greedy client for 60 s against a server with plenty of room: never
     * above the cap however long the successes go on. */
    struct fake_server s = {1000, 1000, 0};
    struct run_result r = drive(l, "ListIdentities", &s, 0.2, 60.2, 0.01);
    CHECK(r.sent >= 299 && r.sent <= 301);
    CHECK_INT_EQ(r.throttled, 0);
    api_rate_limiter_stats(l, "ListIdentities", &st);
    CHECK(st.limiting);
    CHECK(st.cap == 5);
    CHECK(st.rate == 5);
    api_rate_limiter_free(l);
}

static void test_bulk_share(void)
{
    struct api_rate_limiter_options o = {.share_percent = 50, .start_at_cap = true};
    struct api_rate_limiter *l = api_rate_limiter_new(&o);
    struct fake_server s = {1000, 1000, 0};
    struct run_result r = drive(l, "DeleteIdentities", &s, 0, 100, 0.01);

    /* 50 % of 10 a second, over 100 s, plus the first token. */
    CHECK(r.sent >= 500 && r.sent <= 502);
    api_rate_limiter_free(l);

    o.share_percent = 400; /* an account whose quota AWS raised 4× */
    l = api_rate_limiter_new(&o);
    struct fake_server s4 = {1000, 1000, 0};
    r = drive(l, "ListIdentities", &s4, 0, 10, 0.001);
    CHECK(r.sent >= 200 && r.sent <= 202);
    api_rate_limiter_free(l);
}

/* A bulk job whose real quota is lower than the published one (another
 * client uses part of it): throttles cut the rate, and over a long run the
 * job settles near what the server allows with few throttles. */
static void test_bulk_adapts_below_cap(void)
{
    struct api_rate_limiter_options o = {.share_percent = 100, .start_at_cap = true};
    struct api_rate_limiter *l = api_rate_limiter_new(&o);
    struct fake_server s = {6, 6, 0}; /* DeleteIdentities allows 6 of the 10 */
    struct run_result r = drive(l, "DeleteIdentities", &s, 0, 300, 0.02);
    struct api_rate_stats st;

    double rate = r.sent / 300.0;
    CHECK(rate > 6 * 0.7 && rate < 6 * 1.2);
    CHECK(r.throttled > 0);
    CHECK((double)r.throttled / r.sent < 0.10);
    api_rate_limiter_stats(l, "DeleteIdentities", &st);
    CHECK_INT_EQ(st.throttled, r.throttled);
    CHECK(st.rate <= 10);
    api_rate_limiter_free(l);
}

/* Plain adaptive against a server allowing 20 a second: the first
 * throttle switches pacing on, and the long-run rate stays near 20. */
static void test_adaptive_converges(void)
{
    struct api_rate_limiter *l = api_rate_limiter_new(NULL);
    struct fake_server s = {20, 20, 0};
    struct run_result r = drive(l, "GetId", &s, 0, 300, 0.005);
    struct api_rate_stats st;

    api_rate_limiter_stats(l, "GetId", &st);
    CHECK(st.limiting);
    double rate = r.sent / 300.0;
    CHECK(rate > 20 * 0.7 && rate < 20 * 1.3);
    CHECK((double)r.throttled / r.sent < 0.15);
    api_rate_limiter_free(l);
}

/* Operations have their own buckets: throttling one leaves the other alone. */
static void test_per_operation(void)
{
    struct api_rate_limiter_options o = {.share_percent = 100, .start_at_cap = true};
    struct api_rate_limiter *l = api_rate_limiter_new(&o);
    struct api_rate_stats a, b;

    for (int i = 0; i < 20; i++)
        api_rate_limiter_record(l, "ListIdentities", i * 0.2, i % 2 == 1);
    api_rate_limiter_stats(l, "ListIdentities", &a);
    api_rate_limiter_stats(l, "DeleteIdentities", &b);
    CHECK(a.rate < 5);
    CHECK_INT_EQ(a.throttled, 10);
    CHECK_INT_EQ(b.sent, 0);
    CHECK(b.cap == 10);
    CHECK(api_rate_limiter_acquire(l, "DeleteIdentities", 4) == 0);
    api_rate_limiter_stats(l, "DeleteIdentities", &b);
    CHECK(b.rate == 10);
    CHECK_INT_EQ(b.throttled, 0);

    /* An operation without a published quota is not capped, not paced. */
    for (int i = 0; i < 100; i++)
        CHECK(api_rate_limiter_acquire(l, "DescribeIdentity", 4) == 0);
    api_rate_limiter_stats(l, "DescribeIdentity", &b);
    CHECK(!b.limiting);
    CHECK(b.cap == 0);
    api_rate_limiter_free(l);
}

/* Limiters are objects: one per quota scope (Region), independent. */
static void test_several_limiters(void)
{
    struct api_rate_limiter_options o = {.share_percent = 100, .start_at_cap = true};
    struct api_rate_limiter *east = api_rate_limiter_new(&o);
    struct api_rate_limiter *west = api_rate_limiter_new(&o);

    CHECK(api_rate_limiter_acquire(east, "ListIdentities", 0) == 0);
    CHECK(api_rate_limiter_acquire(east, "ListIdentities", 0) > 0);
    CHECK(api_rate_limiter_acquire(west, "ListIdentities", 0) == 0);
    api_rate_limiter_record(east, "ListIdentities", 0.1, true);
    struct api_rate_stats a, b;
    api_rate_limiter_stats(east, "ListIdentities", &a);
    api_rate_limiter_stats(west, "ListIdentities", &b);
    CHECK_INT_EQ(a.throttled, 1);
    CHECK_INT_EQ(b.throttled, 0);
    CHECK(b.rate == 5);
    api_rate_limiter_free(east);
    api_rate_limiter_free(west);
}

/* Time going backwards (a caller mixing clocks) never adds tokens. */
static void test_clock_backwards(void)
{
    struct api_rate_limiter_options o = {.share_percent = 100, .start_at_cap = true};
    struct api_rate_limiter *l = api_rate_limiter_new(&o);

    CHECK(api_rate_limiter_acquire(l, "TagResource", 100) == 0);
    CHECK(api_rate_limiter_acquire(l, "TagResource", 50) > 0);
    CHECK(api_rate_limiter_acquire(l, "TagResource", 100) > 0);
    CHECK(api_rate_limiter_acquire(l, "TagResource", 100.2) == 0);
    api_rate_limiter_free(l);
}

static void test_null_safe(void)
{
    struct api_rate_stats st;
    CHECK(api_rate_limiter_acquire(NULL, "GetId", 0) == 0);
    api_rate_limiter_record(NULL, "GetId", 0, true);
    api_rate_limiter_stats(NULL, "GetId", &st);
    CHECK_INT_EQ(st.sent, 0);
    api_rate_limiter_free(NULL);
}

int main(void)
{
    RUN(test_quota_table);
    RUN(test_options_checked);
    RUN(test_adaptive_open_until_throttled);
    RUN(test_cubic_after_throttle);
    RUN(test_cubic_curve_values);
    RUN(test_min_rate);
    RUN(test_bulk_paces_at_cap);
    RUN(test_bulk_share);
    RUN(test_bulk_adapts_below_cap);
    RUN(test_adaptive_converges);
    RUN(test_per_operation);
    RUN(test_several_limiters);
    RUN(test_clock_backwards);
    RUN(test_null_safe);
    return check_finish();
}
