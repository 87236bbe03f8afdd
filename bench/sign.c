/* bench-sign — how long signing one ListIdentities request takes.
 *
 * Signs a typical ListIdentities call (POST /, AWS JSON 1.1 headers, a
 * paginated body, temporary credentials) in a loop, with the signing-key
 * cache on and, side by side in the same rounds, off. Several rounds; the
 * figures are medians of per-round means, because the machine is shared.
 * The last line is `sign_ns_per_request=N` (median, cache on). A figure,
 * never a pass/fail. `bench-sign N` runs N rounds (at most MAX_ROUNDS) and
 * prints each round's cache-on mean as `sign_ns_round=N`, so bench/run.py can
 * take a round at a time turn about with botocore's.
 */
#include "api/sigv4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROUNDS     9
#define MAX_ROUNDS 64
#define ITERATIONS 20000

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static char content_length[16];
static struct sigv4_header HEADERS[] = {
    {"Host", "cognito-identity.us-east-1.amazonaws.com"},
    {"Content-Type", "application/x-amz-json-1.1"},
    {"X-Amz-Target", "AWSCognitoIdentityService.ListIdentities"},
    {"Content-Length", content_length}, /* set in main */
    {"User-Agent", "cognito-tui/0.1"},
};

static const char BODY[] =
    "{\"IdentityPoolId\":\"us-east-1:4f1b8e0c-2d3a-4b5c-9e8f-0a1b2c3d4e5f\",\"MaxResults\":60,"
    "\"HideDisabled\":false,\"NextToken\":\"AAIAAQLKbGV4YW1wbGUtbmV4dC10b2tlbi1mb3ItdGhlLWJlbmNo"
    "bWFyaw==\"}";

/* Fake credentials of the usual shape; not a real key. */
static const char TOKEN[] =
    "IQoJb3JpZ2luX2VjEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPL"
    "EEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE"
    "EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE==";

/* Mean ns a signature over one round. */
static double round_ns(struct sigv4_params *p, int *failures)
{
    struct sigv4_result res;
    time_t t0 = p->time;
    double start = now_ns();
    for (int i = 0; i < ITERATIONS; i++) {
        p->time = t0 + i % 3600; /* later in the same day: the cache stays valid */
        if (sigv4_sign_request(p, "POST", "/", HEADERS, sizeof HEADERS / sizeof HEADERS[0], BODY,
                               sizeof BODY - 1, &res) != 0)
            (*failures)++;
    }
    double ns = (now_ns() - start) / ITERATIONS;
    p->time = t0;
    return ns;
}

int main(int argc, char **argv)
{
    struct sigv4_key_cache cache = {0};
    struct sigv4_params p = {
        .access_key_id = "ASIAEXAMPLEEXAMPLE00",
        .secret_access_key = "bench/secret/EXAMPLEKEYEXAMPLEKEYEXAMPLE",
        .session_token = TOKEN,
        .region = "us-east-1",
        .service = "cognito-identity",
        .time = 1764000000, /* 2025-11-24T16:00:00Z */
        .normalize_path = true,
    };
    int rounds = argc > 1 ? atoi(argv[1]) : ROUNDS;
    if (rounds < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "bench-sign: rounds must be 1 to %d, not %s\n", MAX_ROUNDS, argv[1]);
        return 2;
    }
    double on[MAX_ROUNDS], off[MAX_ROUNDS];
    snprintf(content_length, sizeof content_length, "%zu", sizeof BODY - 1);
    int failures = 0;

    /* Warm up: the one-time algorithm fetch and the caches. */
    p.cache = &cache;
    round_ns(&p, &failures);
    for (int r = 0; r < rounds; r++) {
        p.cache = &cache;
        on[r] = round_ns(&p, &failures);
        p.cache = NULL;
        off[r] = round_ns(&p, &failures);
    }
    sigv4_key_cache_wipe(&cache);
    if (failures) {
        fprintf(stderr, "bench-sign: %d signatures failed\n", failures);
        return 1;
    }
    for (int r = 0; r < rounds; r++)
        printf("sign_ns_round=%.1f\n", on[r]);
    double med_on = median(on, rounds), med_off = median(off, rounds);
    printf("ListIdentities, %d rounds of %d signatures (median of round means)\n", rounds,
           ITERATIONS);
    printf("  key cache on:  %8.0f ns/request  (fastest round %.0f, slowest %.0f)\n", med_on, on[0],
           on[rounds - 1]);
    printf("  key cache off: %8.0f ns/request  (fastest round %.0f, slowest %.0f)\n", med_off,
           off[0], off[rounds - 1]);
    printf("sign_ns_per_request=%.0f\n", med_on);
    return 0;
}
