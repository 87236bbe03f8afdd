/* bench-ini_parse — how long reading a large AWS config file takes, and how
 * that grows with its size.
 *
 * Four shapes that once cost time quadratic in the file's size (many
 * profiles, one section of many keys, one value continued over many lines,
 * one sub-section of many lines), each at n, 2n and 4n lines, parsed by
 * ini_parse() in memory. Five rounds; figures are medians. A linear parser
 * prints about the same ns_per_line at every size. The last line is
 * `ini_parse_ms_100k_profiles=N` (median). Figures, never pass/fail.
 */
#include "api/ini.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROUNDS 5

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static const char *const shapes[] = {"profiles", "keys", "continued", "sub-section"};

static char *generate(int shape, size_t n, size_t *len)
{
    size_t cap = n * 48 + 64, at = 0;
    char *buf = malloc(cap);

    if (!buf)
        return NULL;
    if (shape == 1)
        at += (size_t)snprintf(buf, cap, "[default]\n");
    else if (shape == 2)
        at += (size_t)snprintf(buf, cap, "[default]\nlong = start\n");
    else if (shape == 3)
        at += (size_t)snprintf(buf, cap, "[services big]\ns3 =\n");
    for (size_t i = 0; i < n; i++) {
        if (shape == 0)
            at += (size_t)snprintf(buf + at, cap - at, "[profile p%zu]\n", i);
        else if (shape == 1)
            at += (size_t)snprintf(buf + at, cap - at, "key%zu = v\n", i);
        else if (shape == 2)
            at += (size_t)snprintf(buf + at, cap - at, "  line %zu\n", i);
        else
            at += (size_t)snprintf(buf + at, cap - at, "  k%zu = v\n", i);
    }
    *len = at;
    return buf;
}

int main(void)
{
    double last = 0, small[ROUNDS] = {0};

    printf("%-12s %8s %10s %12s\n", "shape", "lines", "median_ms", "ns_per_line");
    for (int shape = 0; shape < 4; shape++) {
        for (size_t n = 25000; n <= 100000; n *= 2) {
            size_t len = 0;
            char *text = generate(shape, n, &len);
            double t[ROUNDS];
            if (!text)
                return 1;
            for (int r = 0; r < ROUNDS; r++) {
                struct ini_file f;
                struct api_error err;
                double t0 = now_ms();
                api_error_clear(&err);
                if (ini_parse(text, len, "bench", &f, &err) != 0) {
                    fprintf(stderr, "bench-ini_parse: %s\n", err.message);
                    return 1;
                }
                t[r] = now_ms() - t0;
                ini_free(&f);
            }
            free(text);
            qsort(t, ROUNDS, sizeof t[0], cmp_double);
            printf("%-12s %8zu %10.1f %12.0f\n", shapes[shape], n, t[ROUNDS / 2],
                   t[ROUNDS / 2] * 1e6 / (double)n);
            if (shape == 0 && n == 25000)
                memcpy(small, t, sizeof small);
            if (shape == 0 && n == 100000) {
                last = t[ROUNDS / 2];
                /* A row of the table of `make bench` (bench/rows.py's JSON): linear is 4x. */
                printf("{\"figure\": \"Config file of 100,000 profiles: parse\", \"unit\": \"ms\", "
                       "\"ours\": [");
                for (int r = 0; r < ROUNDS; r++)
                    printf("%s%.3f", r ? ", " : "", t[r]);
                printf("], \"peer\": \"the same parser, 25,000 profiles (linear: 4×)\", "
                       "\"peer_values\": [");
                for (int r = 0; r < ROUNDS; r++)
                    printf("%s%.3f", r ? ", " : "", small[r]);
                printf("]}\n");
            }
        }
    }
    printf("ini_parse_ms_100k_profiles=%.1f\n", last);
    return 0;
}
