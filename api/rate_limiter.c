/* api/rate_limiter.c — adaptive client-side rate limiting (api/rate_limiter.h). */
#include "api/rate_limiter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/quotas.h"

#define TOKEN_EPSILON 1e-6

struct op_bucket {
    char *operation;
    double cap;        /* requests a second; 0 = none */
    bool limiting;     /* acquire() paces attempts */
    bool cubic_drives; /* a throttle came: CUBIC sets the rate from now on */
    /* token bucket */
    double fill_rate;  /* tokens a second */
    double max_tokens; /* one second's worth, at least 1 */
    double tokens;
    double last_refill;
    bool refilled_once;
    /* CUBIC */
    double w_max, k, last_fail;
    /* measured rate of answers */
    double measured;
    double window_start;
    unsigned long window_count;
    /* figures */
    unsigned long sent, throttled;
};

struct api_rate_limiter {
    int share_percent;
    bool start_at_cap;
    struct op_bucket *buckets;
    size_t n, cap;
};

struct api_rate_limiter *api_rate_limiter_new(const struct api_rate_limiter_options *opt)
{
    struct api_rate_limiter *l;

    if (opt && (opt->share_percent < 0 || opt->share_percent > 1000))
        return NULL;
    l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    if (opt) {
        l->share_percent = opt->share_percent;
        l->start_at_cap = opt->start_at_cap;
    }
    return l;
}

void api_rate_limiter_free(struct api_rate_limiter *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->buckets[i].operation);
    free(l->buckets);
    free(l);
}

double api_rate_limiter_cap(const struct api_rate_limiter *l, const char *operation)
{
    if (!l || l->share_percent <= 0)
        return 0;
    return api_quota_rate(operation) * l->share_percent / 100.0;
}

static double window_floor(double t)
{
    return floor(t / API_RATE_WINDOW_S) * API_RATE_WINDOW_S;
}

static void refill(struct op_bucket *b, double now)
{
    if (!b->refilled_once) {
        b->refilled_once = true;
        b->last_refill = now;
        return;
    }
    if (now > b->last_refill) {
        b->tokens += (now - b->last_refill) * b->fill_rate;
        if (b->tokens > b->max_tokens)
            b->tokens = b->max_tokens;
        b->last_refill = now;
    }
}

/* The bucket's rate changes only after what was earned at the old rate is in. */
static void set_rate(struct op_bucket *b, double now, double rate)
{
    refill(b, now);
    b->fill_rate = rate > API_RATE_MIN ? rate : API_RATE_MIN;
    b->max_tokens = rate >= 1 ? rate : 1;
    if (b->tokens > b->max_tokens)
        b->tokens = b->max_tokens;
}

static double cubic_zero_point(double w_max)
{
    return cbrt(w_max * (1 - API_RATE_BETA) / API_RATE_SCALE);
}

static struct op_bucket *find(const struct api_rate_limiter *l, const char *operation)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->buckets[i].operation, operation) == 0)
            return &l->buckets[i];
    return NULL;
}

static struct op_bucket *bucket_for(struct api_rate_limiter *l, const char *operation, double now)
{
    struct op_bucket *b = find(l, operation);

    if (b)
        return b;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        struct op_bucket *nb = realloc(l->buckets, nc * sizeof *nb);
        if (!nb)
            return NULL;
        l->buckets = nb;
        l->cap = nc;
    }
    b = &l->buckets[l->n];
    memset(b, 0, sizeof *b);
    b->operation = strdup(operation);
    if (!b->operation)
        return NULL;
    l->n++;
    b->cap = api_rate_limiter_cap(l, operation);
    b->window_start = window_floor(now);
    b->last_fail = now;
    b->k = cubic_zero_point(0);
    if (l->start_at_cap && b->cap > 0) {
        b->limiting = true;
        set_rate(b, now, b->cap);
        b->tokens = 1; /* the first request goes at once */
    } else {
        set_rate(b, now, 1); /* as the SDKs start; unused until limiting */
    }
    return b;
}

double api_rate_limiter_acquire(struct api_rate_limiter *l, const char *operation, double now)
{
    struct op_bucket *b;

    if (!l || !operation)
        return 0;
    b = bucket_for(l, operation, now);
    if (!b)
        return 0; /* out of memory: never block a request on our own bookkeeping */
    if (!b->limiting) {
        b->sent++;
        return 0;
    }
    refill(b, now);
    /* A token short by a rounding error counts: a wait smaller than the
     * clock's resolution would never be waited out. */
    if (b->tokens >= 1 - TOKEN_EPSILON) {
        b->tokens = b->tokens > 1 ? b->tokens - 1 : 0;
        b->sent++;
        return 0;
    }
    return (1 - b->tokens) / b->fill_rate;
}

static double measure(struct op_bucket *b, double now)
{
    double window = window_floor(now);

    b->window_count++;
    if (window > b->window_start) {
        double current = b->window_count / (window - b->window_start);
        b->measured = current * API_RATE_SMOOTHING + b->measured * (1 - API_RATE_SMOOTHING);
        b->window_count = 0;
        b->window_start = window;
    }
    return b->measured;
}

void api_rate_limiter_record(struct api_rate_limiter *l, const char *operation, double now,
                             bool throttled)
{
    struct op_bucket *b;
    double measured, rate;

    if (!l || !operation)
        return;
    b = bucket_for(l, operation, now);
    if (!b)
        return;
    measured = measure(b, now);
    if (throttled) {
        /* The rate it came at: what was measured, or what the bucket allowed
         * when that is lower or nothing was measured yet. */
        double at = measured;
        if (b->limiting && (at <= 0 || b->fill_rate < at))
            at = b->fill_rate;
        b->throttled++;
        b->w_max = at;
        b->k = cubic_zero_point(at);
        b->last_fail = now;
        rate = at * API_RATE_BETA;
        b->limiting = true;
        b->cubic_drives = true;
    } else {
        double dt = now - b->last_fail - b->k;
        rate = API_RATE_SCALE * dt * dt * dt + b->w_max;
    }
    /* Not throttled yet: a capped bulk bucket stays at its cap, an adaptive
     * one lets everything through. */
    if (!b->cubic_drives)
        return;
    if (measured > 0 && rate > API_RATE_MEASURED_MULT * measured)
        rate = API_RATE_MEASURED_MULT * measured;
    if (b->cap > 0 && rate > b->cap)
        rate = b->cap;
    set_rate(b, now, rate);
}

void api_rate_limiter_stats(const struct api_rate_limiter *l, const char *operation,
                            struct api_rate_stats *out)
{
    const struct op_bucket *b = l && operation ? find(l, operation) : NULL;

    memset(out, 0, sizeof *out);
    if (!b) {
        out->cap = api_rate_limiter_cap(l, operation);
        return;
    }
    out->limiting = b->limiting;
    out->rate = b->fill_rate;
    out->cap = b->cap;
    out->measured = b->measured;
    out->sent = b->sent;
    out->throttled = b->throttled;
}
