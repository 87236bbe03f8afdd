/* tests/unit/check.h — the tiny harness every C test uses.
 *
 * Contract: a test file defines `static void test_x(void)` functions and a
 * main() that calls RUN(test_x) for each, then `return check_finish();`.
 * Every RUN prints one line, `ok - name` or `not ok - name: file:line: why`
 * (the first failed CHECK of that test); tests/run.sh counts those lines.
 * CHECKs do not stop the test, so one run shows every broken assertion.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed_in_test;
static int check_tests_failed;
static char check_first_failure[1200];

static inline void check_fail(const char *file, int line, const char *why)
{
    if (check_failed_in_test++ == 0)
        snprintf(check_first_failure, sizeof check_first_failure, "%s:%d: %s", file, line, why);
    fprintf(stderr, "  %s:%d: %s\n", file, line, why);
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            check_fail(__FILE__, __LINE__, "CHECK(" #cond ")");                                    \
    } while (0)

#define CHECK_INT_EQ(a, b)                                                                         \
    do {                                                                                           \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                            \
        if (check_a_ != check_b_) {                                                                \
            char check_m_[512];                                                                    \
            snprintf(check_m_, sizeof check_m_, "%.200s == %.200s: %lld != %lld", #a, #b,          \
                     check_a_, check_b_);                                                          \
            check_fail(__FILE__, __LINE__, check_m_);                                              \
        }                                                                                          \
    } while (0)

#define CHECK_STR_EQ(a, b)                                                                         \
    do {                                                                                           \
        const char *check_a_ = (a), *check_b_ = (b);                                               \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {                           \
            char check_m_[1024];                                                                   \
            snprintf(check_m_, sizeof check_m_, "%.200s == %.200s: \"%.250s\" != \"%.250s\"", #a,  \
                     #b, check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)");          \
            check_fail(__FILE__, __LINE__, check_m_);                                              \
        }                                                                                          \
    } while (0)

#define RUN(fn)                                                                                    \
    do {                                                                                           \
        check_failed_in_test = 0;                                                                  \
        fn();                                                                                      \
        if (check_failed_in_test) {                                                                \
            check_tests_failed++;                                                                  \
            printf("not ok - %s: %s\n", #fn, check_first_failure);                                 \
        } else {                                                                                   \
            printf("ok - %s\n", #fn);                                                              \
        }                                                                                          \
        fflush(stdout);                                                                            \
    } while (0)

static inline int check_finish(void)
{
    return check_tests_failed ? 1 : 0;
}

#endif
