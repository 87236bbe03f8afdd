/* tests/unit/test_api_clock_skew.c — the clock-skew correction is bounded:
 * a server Date in 2035 must not make the client sign for 2035 (at most
 * ±24 h of correction), and a clock off by more than 5 minutes is said,
 * corrected or not (api_client_clock_note()). Against
 * tests/api/fake_server.py with a fake clock. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/api/client_fixture.h"
#include "tests/unit/check.h"

static struct fake_server fs;

#define SKEWED(offset)                                                                             \
    "{\"status\": 400, \"date_offset\": " #offset ", \"body\": \"{\\\"__type\\\": "                \
    "\\\"InvalidSignatureException\\\", \\\"message\\\": \\\"Signature expired\\\"}\"}"

struct env {
    struct counting_provider *cp;
    struct hooks h;
    struct api_client *c;
};

static void env_open(struct env *e)
{
    memset(e, 0, sizeof *e);
    e->cp = counting_new(false);
    e->h.now = time(NULL);
    e->h.rand = 0.5;
    e->c = fixture_client(&fs, e->cp, &e->h, false, 0);
    CHECK(e->c != NULL);
    fake_reset(&fs);
}

static void env_close(struct env *e)
{
    api_client_free(e->c);
    api_credentials_provider_free(&e->cp->base);
}

static int call(struct env *e, struct api_error *err)
{
    json_object *in = json_tokener_parse("{\"MaxResults\": 1}"), *out = NULL;
    int rc = api_call(e->c, "ListIdentityPools", in, &out, err);

    json_object_put(in);
    json_object_put(out);
    return rc;
}

/* X-Amz-Date of logged request i, minus the fake clock. */
static long long signed_offset(struct env *e, size_t i)
{
    json_object *root, *reqs = fake_log(&fs, &root);
    char v[64];
    struct tm tm = {0};
    long long off = -999999999;

    if (reqs && i < json_object_array_length(reqs) &&
        strptime(fake_log_header(reqs, i, "X-Amz-Date", v, sizeof v), "%Y%m%dT%H%M%SZ", &tm))
        off = (long long)timegm(&tm) - (long long)e->h.now;
    json_object_put(root);
    return off;
}

/* A server ten years ahead: the retry is signed at most 24 h ahead. */
static void test_correction_is_at_most_a_day(void)
{
    struct env e;
    struct api_error err;
    char note[256];

    env_open(&e);
    fake_script(&fs, "[" SKEWED(315360000) ", " SKEWED(315360000) "]");
    CHECK_INT_EQ(call(&e, &err), -1);
    CHECK_INT_EQ(fake_log_count(&fs), 2);
    CHECK_INT_EQ(signed_offset(&e, 0), 0);
    CHECK_INT_EQ(signed_offset(&e, 1), 86400);
    CHECK(api_client_clock_note(e.c, note, sizeof note));
    CHECK(strstr(note, "behind the service's") != NULL);
    CHECK(strstr(note, "more than the 24 h") != NULL);
    env_close(&e);

    /* Ten years behind: at most 24 h back. */
    env_open(&e);
    fake_script(&fs, "[" SKEWED(-315360000) ", " SKEWED(-315360000) "]");
    CHECK_INT_EQ(call(&e, &err), -1);
    CHECK_INT_EQ(signed_offset(&e, 1), -86400);
    CHECK(api_client_clock_note(e.c, note, sizeof note));
    CHECK(strstr(note, "ahead of the service's") != NULL);
    env_close(&e);
}

/* Within a day the correction is whole, and said. */
static void test_corrected_skew_is_said(void)
{
    struct env e;
    struct api_error err;
    char note[256];

    env_open(&e);
    fake_script(&fs, "[" SKEWED(7200) ", {\"date_offset\": 7200, \"body\": \"{}\"}]");
    CHECK_INT_EQ(call(&e, &err), 0);
    CHECK_INT_EQ(signed_offset(&e, 1), 7200);
    CHECK(api_client_clock_note(e.c, note, sizeof note));
    CHECK_STR_EQ(note, "this machine's clock is 2 h 0 min behind the service's: requests are "
                       "signed at the service's time");
    env_close(&e);
}

/* Off by more than 5 minutes without a skew error (the service took it):
 * said all the same; under 5 minutes, nothing to say. */
static void test_small_skew_is_quiet(void)
{
    struct env e;
    struct api_error err;
    char note[256] = "";

    env_open(&e);
    fake_script(&fs, "[{\"date_offset\": 400, \"body\": \"{}\"}]");
    CHECK_INT_EQ(call(&e, &err), 0);
    CHECK(api_client_clock_note(e.c, note, sizeof note));
    CHECK(strstr(note, "6 min behind") != NULL);
    fake_script(&fs, "[{\"date_offset\": -120, \"body\": \"{}\"}]");
    CHECK_INT_EQ(call(&e, &err), 0);
    CHECK(!api_client_clock_note(e.c, note, sizeof note));
    env_close(&e);
}

int main(void)
{
    if (fake_start(&fs) != 0) {
        printf("not ok - fake_server: did not start\n");
        return 1;
    }
    RUN(test_correction_is_at_most_a_day);
    RUN(test_corrected_skew_is_said);
    RUN(test_small_skew_is_quiet);
    fake_stop(&fs);
    return check_finish();
}
