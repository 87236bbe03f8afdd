/* tests/unit/test_tui_console_pacing.c — the console's client is paced by one
 * rate limiter (tui/app.h a->limiter) at the published quotas from its first
 * request (issue 13): paging, L and a prune started from the console draw on
 * the same budget. The real console, headless, against the emulator. */
#include "api/rate_limiter.h"
#include "check.h"
#include "console_fixture.h"

static void test_load_all_goes_through_the_limiter(void)
{
    if (headless_open("C.UTF-8", "xterm-256color", 24, 80) != 0) {
        printf("# skipped: no such locale or terminal\n");
        return;
    }
    struct app *a = fixture_console();
    CHECK(a != NULL);
    if (!a) {
        headless_close();
        return;
    }
    CHECK(a->limiter != NULL);
    CHECK(api_rate_limiter_cap(a->limiter, "ListIdentities") == 5.0);
    CHECK(api_rate_limiter_cap(a->limiter, "DeleteIdentities") == 10.0);
    FIXTURE_KEYS(a, '2', 'L');
    int listed = fixture_count("ListIdentities");
    struct api_rate_stats st;
    api_rate_limiter_stats(a->limiter, "ListIdentities", &st);
    CHECK(listed >= 3);                 /* the pages of L, and the HideDisabled walk behind them */
    CHECK_INT_EQ((int)st.sent, listed); /* every one took its token first */
    CHECK(st.limiting);
    CHECK(st.cap == 5.0);
    console_free(a);
    headless_close();
}

int main(void)
{
    if (fixture_start("150") != 0) {
        printf("not ok - fixture: the emulator did not start\n");
        return 1;
    }
    RUN(test_load_all_goes_through_the_limiter);
    fixture_stop();
    return check_finish();
}
