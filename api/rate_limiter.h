/* api/rate_limiter.h — client-side rate limiting as the AWS SDKs' "adaptive"
 * retry mode does it, one token bucket per operation.
 *
 * OWNER: the lifecycle work (issue 13).
 *
 * Written from the description of botocore's retries/adaptive.py, bucket.py
 * and throttling.py and the SDK reference ("Retry behavior",
 * docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html):
 *  - every attempt (first tries and retries) takes one token from its
 *    operation's bucket first, waiting until one is there; the bucket refills
 *    at the current send rate and holds at most one second's worth (never
 *    less than one token);
 *  - every answer is clocked: a smoothed rate of answers (half-second
 *    windows, weight 0.8 for the newest);
 *  - a throttling answer remembers the rate it came at (w_max: the measured
 *    rate, or the bucket's rate if lower) and cuts the send rate to 0.7 of
 *    it; every other answer sets the rate on the CUBIC curve
 *    0.4 × (t − t_fail − K)³ + w_max, K = ∛(w_max × 0.3 / 0.4), so it climbs
 *    back to w_max in K seconds and probes above it after. The send rate is
 *    never above twice the measured rate (once a window was measured), nor
 *    below 0.5 a second;
 *  - a plain `adaptive` limiter lets everything through until the first
 *    throttling answer of an operation, as the SDKs do.
 * Two additions of ours, for the bulk jobs (inventory, prune):
 *  - a cap: `share_percent` of the operation's published quota
 *    (api/quotas.h), which the rate never goes above, leaving the rest of the
 *    account's quota to the other clients that share it;
 *  - `start_at_cap`: operations with a cap are paced at the cap from their
 *    first request, without waiting for a throttle to learn a rate the quota
 *    table already gives (the 2 × measured bound applies only once CUBIC
 *    drives the rate, after a throttle: at the start nothing is measured).
 * Operations without a published quota are never capped and behave as plain
 * adaptive.
 *
 * Time: the caller passes `now`, in seconds on a monotonic clock of its
 * choice (tests pass a fake one). The limiter never reads a clock and never
 * sleeps: acquire() says how long to wait and the caller waits its own way
 * (a blocking sleep, or a timer in an event loop).
 *
 * Objects: one limiter holds the buckets of one quota scope. AWS counts
 * quotas per account and Region, so a program talking to several Regions
 * makes one limiter each. Not thread-safe (one thread, as api/client.h).
 */
#ifndef API_RATE_LIMITER_H
#define API_RATE_LIMITER_H

#include <stdbool.h>

/* The SDKs' constants. */
#define API_RATE_BETA          0.7 /* rate cut on a throttle */
#define API_RATE_SCALE         0.4 /* CUBIC scale constant */
#define API_RATE_MIN           0.5 /* lowest send rate, requests a second */
#define API_RATE_SMOOTHING     0.8 /* weight of the newest measured window */
#define API_RATE_WINDOW_S      0.5 /* measured-rate window */
#define API_RATE_MEASURED_MULT 2.0 /* the rate never exceeds this × measured */

struct api_rate_limiter_options {
    /* Cap every operation with a published quota at this percentage of it
     * (1 to 1000: above 100 only for an account whose quota AWS raised).
     * 0 = no cap (plain adaptive). */
    int share_percent;
    /* Pace capped operations at their cap from the first request. */
    bool start_at_cap;
};

struct api_rate_limiter;

/* opt may be NULL (plain adaptive). Returns NULL when out of memory or when
 * share_percent is outside 0..1000. */
struct api_rate_limiter *api_rate_limiter_new(const struct api_rate_limiter_options *opt);
void api_rate_limiter_free(struct api_rate_limiter *l);

/* Before each attempt of `operation` at time `now`. Returns 0 when the
 * attempt may be sent now (a token was taken, or the operation is not
 * limited); otherwise the seconds to wait before asking again (no token was
 * taken: another request may take the next one first). */
double api_rate_limiter_acquire(struct api_rate_limiter *l, const char *operation, double now);

/* After each answer or failure of an attempt that acquire() let through.
 * `throttled`: the answer was a throttling error (api/retry.h
 * API_RETRY_THROTTLE). */
void api_rate_limiter_record(struct api_rate_limiter *l, const char *operation, double now,
                             bool throttled);

struct api_rate_stats {
    bool limiting;           /* attempts are paced (capped, or throttled once) */
    double rate;             /* current send rate, requests a second */
    double cap;              /* the cap, requests a second; 0 = none */
    double measured;         /* smoothed rate of answers */
    unsigned long sent;      /* attempts acquire() let through */
    unsigned long throttled; /* throttling answers recorded */
};

/* Figures of `operation` (all zero when it was never used). */
void api_rate_limiter_stats(const struct api_rate_limiter *l, const char *operation,
                            struct api_rate_stats *out);

/* The cap this limiter gives `operation` (requests a second), 0 = none. */
double api_rate_limiter_cap(const struct api_rate_limiter *l, const char *operation);

#endif
