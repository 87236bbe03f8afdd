/* Tests of api/credentials.c: wiping, copying, the static provider and the
 * refresh rules every temporary source shares. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/credentials_sources.h"
#include "api/credentials_sts.h"
#include "tests/unit/check.h"

/* ---- Wiping: the observer sees each string's memory after the wipe, before free ---- */

static size_t wiped_strings, wiped_bytes, nonzero_bytes;

static void observe_wipe(const void *mem, size_t len)
{
    const unsigned char *p = mem;

    wiped_strings++;
    wiped_bytes += len;
    for (size_t i = 0; i < len; i++)
        nonzero_bytes += p[i] != 0;
}

static void test_clear_wipes_every_secret_byte(void)
{
    const char *secret = "wipe-me-secret-0123456789", *token = "wipe-me-token-abcdefghijklmnop";
    struct api_credentials c = {0};

    c.access_key_id = strdup("AKIDWIPE");
    c.secret_access_key = strdup(secret);
    c.session_token = strdup(token);
    c.expiration = 42;
    wiped_strings = wiped_bytes = nonzero_bytes = 0;
    api_credentials_wipe_observer = observe_wipe;
    api_credentials_clear(&c);
    api_credentials_wipe_observer = NULL;
    CHECK_INT_EQ(wiped_strings, 3);
    CHECK_INT_EQ(wiped_bytes, strlen("AKIDWIPE") + strlen(secret) + strlen(token));
    CHECK_INT_EQ(nonzero_bytes, 0);
    CHECK(c.access_key_id == NULL && c.secret_access_key == NULL && c.session_token == NULL);
    CHECK_INT_EQ(c.expiration, 0);
}

static void test_provider_free_wipes_its_copy(void)
{
    char id[] = "AKIDSTATIC", secret[] = "static-secret-xyz";
    struct api_credentials c = {.access_key_id = id, .secret_access_key = secret};
    struct api_error err;
    struct api_credentials_provider *p;

    api_error_clear(&err);
    p = api_credentials_static_new(&c, "test", &err);
    CHECK(p != NULL);
    wiped_strings = wiped_bytes = nonzero_bytes = 0;
    api_credentials_wipe_observer = observe_wipe;
    api_credentials_provider_free(p);
    api_credentials_wipe_observer = NULL;
    CHECK_INT_EQ(wiped_strings, 2);
    CHECK_INT_EQ(wiped_bytes, strlen("AKIDSTATIC") + strlen("static-secret-xyz"));
    CHECK_INT_EQ(nonzero_bytes, 0);
}

static void test_copy_is_deep(void)
{
    char id[] = "A", secret[] = "S", token[] = "T";
    struct api_credentials a = {
        .access_key_id = id, .secret_access_key = secret, .session_token = token, .expiration = 99};
    struct api_credentials b;
    struct api_error err;

    api_error_clear(&err);
    CHECK_INT_EQ(api_credentials_copy(&b, &a, &err), 0);
    CHECK(b.access_key_id != a.access_key_id && b.secret_access_key != a.secret_access_key);
    CHECK_STR_EQ(b.secret_access_key, "S");
    CHECK_STR_EQ(b.session_token, "T");
    CHECK_INT_EQ(b.expiration, 99);
    api_credentials_clear(&b);
}

static void test_static_provider(void)
{
    char id[] = "AKID", secret[] = "S", empty[] = "";
    struct api_credentials c = {
        .access_key_id = id, .secret_access_key = secret, .expiration = 1000};
    struct api_credentials out = {0};
    struct api_error err;
    struct api_credentials_provider *p;

    api_error_clear(&err);
    p = api_credentials_static_new(&c, "fixed", &err);
    CHECK_STR_EQ(api_credentials_source(p), "fixed");
    CHECK_INT_EQ(api_credentials_get(p, 999, &out, &err), 0);
    CHECK_STR_EQ(out.access_key_id, "AKID");
    api_credentials_clear(&out);
    CHECK_INT_EQ(api_credentials_get(p, 1000, &out, &err), -1);
    CHECK(strstr(err.message, "expired") != NULL);
    api_credentials_provider_free(p);

    c.secret_access_key = empty;
    CHECK(api_credentials_static_new(&c, "fixed", &err) == NULL);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK_INT_EQ(api_credentials_get(NULL, 0, &out, &err), -1);
}

/* ---- Refresh: a fake source counting its fetches ---- */

struct fake_job;

struct fake {
    struct cred_refreshing r;
    int fetches, cancels;
    bool fail, async;
    time_t lifetime; /* expiration = now + lifetime */
    struct fake_job *job;
};

/* An asynchronous fetch, answered when the test says (fake_answer). */
struct fake_job {
    struct api_credentials_op op;
    struct fake *f;
    time_t now;
};

static int fake_answer_now(struct fake *f, time_t now, struct api_credentials *out,
                           struct api_error *err)
{
    char id[32];

    if (f->fail)
        return api_error_set(err, API_ERR_CREDENTIALS, "fake source is down");
    snprintf(id, sizeof id, "ASIAFAKE%d", f->fetches);
    out->access_key_id = strdup(id);
    out->secret_access_key = strdup("fake-secret");
    out->session_token = strdup("fake-token");
    out->expiration = now + f->lifetime;
    return 0;
}

static void fake_job_cancel(struct api_credentials_op *op)
{
    struct fake_job *j = (struct fake_job *)op;

    j->f->cancels++;
    j->f->job = NULL;
    free(j);
}

static const char *fake_job_waiting_for(const struct api_credentials_op *op)
{
    return "fake-helper";
}

static int fake_fetch(struct cred_refreshing *self, time_t now, struct api_credentials *out,
                      struct api_credentials_op **job, struct api_error *err)
{
    struct fake *f = (struct fake *)self;

    f->fetches++;
    if (!f->async)
        return fake_answer_now(f, now, out, err);
    f->job = calloc(1, sizeof *f->job);
    f->job->op.cancel = fake_job_cancel;
    f->job->op.waiting_for = fake_job_waiting_for;
    f->job->f = f;
    f->job->now = now;
    *job = &f->job->op;
    return CRED_PENDING;
}

/* The asynchronous fetch in flight ends (as the source's loop would end it). */
static void fake_answer(struct fake *f)
{
    struct fake_job *j = f->job;
    struct api_credentials out = {0};
    struct api_error err;
    int rc;

    api_error_clear(&err);
    rc = fake_answer_now(f, j->now, &out, &err);
    f->job = NULL;
    free(j);
    cred_refresh_finish(&f->r, rc, &out, &err);
}

static struct fake *fake_new(time_t lifetime)
{
    struct fake *f = calloc(1, sizeof *f);

    cred_refreshing_init(&f->r, "fake", NULL);
    f->r.fetch = fake_fetch;
    f->lifetime = lifetime;
    return f;
}

/* Gets at `now` and returns the access key id (static buffer), or
 * "error: <message>". */
static const char *get_id(struct api_credentials_provider *p, time_t now)
{
    static char id[1100];
    struct api_credentials out = {0};
    struct api_error err;

    api_error_clear(&err);
    if (api_credentials_get(p, now, &out, &err) == 0)
        snprintf(id, sizeof id, "%s", out.access_key_id);
    else
        snprintf(id, sizeof id, "error: %s", err.message);
    api_credentials_clear(&out);
    return id;
}

static void test_refresh_windows(void)
{
    struct fake *f = fake_new(3600);
    struct api_credentials_provider *p = &f->r.base;
    struct api_credentials out = {0};
    struct api_error err;
    time_t t0 = 1000000, t;

    api_error_clear(&err);
    CHECK_INT_EQ(api_credentials_get(p, t0, &out, &err), 0);
    CHECK_STR_EQ(out.access_key_id, "ASIAFAKE1");
    CHECK_INT_EQ(out.expiration, t0 + 3600);
    api_credentials_clear(&out);
    /* More than 15 minutes left: cached. */
    CHECK_STR_EQ(get_id(p, t0 + 3600 - 15 * 60 - 1), "ASIAFAKE1");
    CHECK_INT_EQ(f->fetches, 1);
    /* Advisory window, source down: the old credentials, and no error. */
    f->fail = true;
    CHECK_INT_EQ(api_credentials_get(p, t0 + 3600 - 12 * 60, &out, &err), 0);
    CHECK_STR_EQ(out.access_key_id, "ASIAFAKE1");
    CHECK_INT_EQ(err.kind, API_ERR_NONE);
    CHECK_INT_EQ(f->fetches, 2);
    api_credentials_clear(&out);
    /* ...and the source is not asked again for 30 s. */
    CHECK_STR_EQ(get_id(p, t0 + 3600 - 12 * 60 + 29), "ASIAFAKE1");
    CHECK_INT_EQ(f->fetches, 2);
    /* Mandatory window, source down: an error... */
    t = t0 + 3600 - 9 * 60;
    CHECK(strstr(get_id(p, t), "fake source is down") != NULL);
    CHECK_INT_EQ(f->fetches, 3);
    /* ...the same one, without asking, for the next minute (second failure)... */
    f->fail = false;
    CHECK(strstr(get_id(p, t + 59), "fake source is down") != NULL);
    CHECK_INT_EQ(f->fetches, 3);
    /* ...then the source again: back, fresh credentials. */
    CHECK_STR_EQ(get_id(p, t + 60), "ASIAFAKE4");
    /* Advisory window, source up: refreshed. */
    CHECK_STR_EQ(get_id(p, t + 60 + 3600 - 14 * 60), "ASIAFAKE5");
    api_credentials_provider_free(p);
}

/* A credential_process with a cache of its own hands out the same
 * credentials, 12 minutes from expiry, every time it runs: it used to run
 * for every request (34 times for one export). Now once per window. */
static void test_refresh_once_per_window(void)
{
    struct fake *f = fake_new(12 * 60);
    struct api_credentials_provider *p = &f->r.base;
    time_t t0 = 3000000;

    CHECK_STR_EQ(get_id(p, t0), "ASIAFAKE1");
    for (int i = 0; i < 34; i++)
        CHECK_STR_EQ(get_id(p, t0 + i * 3), "ASIAFAKE1");
    CHECK_INT_EQ(f->fetches, 1);
    /* The mandatory window (10 minutes left) is the next time. */
    CHECK_STR_EQ(get_id(p, t0 + 2 * 60 - 1), "ASIAFAKE1");
    CHECK_INT_EQ(f->fetches, 1);
    CHECK_STR_EQ(get_id(p, t0 + 2 * 60), "ASIAFAKE2");
    api_credentials_provider_free(p);

    /* Already in the mandatory window when they come: once a minute. */
    f = fake_new(8 * 60);
    p = &f->r.base;
    CHECK_STR_EQ(get_id(p, t0), "ASIAFAKE1");
    for (int i = 1; i < 60; i++)
        CHECK_STR_EQ(get_id(p, t0 + i), "ASIAFAKE1");
    CHECK_INT_EQ(f->fetches, 1);
    CHECK_STR_EQ(get_id(p, t0 + 60), "ASIAFAKE2");
    api_credentials_provider_free(p);
}

/* Failed refreshes: the source is asked again after 30 s, then doubling,
 * at most 5 minutes apart (meanwhile: the cached credentials in the
 * advisory window, the last failure in the mandatory one). */
static void test_failure_backoff(void)
{
    struct fake *f = fake_new(3600);
    struct api_credentials_provider *p = &f->r.base;
    time_t t0 = 4000000, exp = t0 + 3600, t = exp - 15 * 60;
    time_t gaps[] = {30, 60, 120, 240, 300}; /* then 300 again: past the expiry */

    CHECK_STR_EQ(get_id(p, t0), "ASIAFAKE1");
    f->fail = true;
    for (size_t i = 0; i < sizeof gaps / sizeof gaps[0]; i++) {
        int before = f->fetches;
        CHECK_STR_EQ(get_id(p, t), t < exp - 600 ? "ASIAFAKE1" : "error: fake source is down");
        CHECK_INT_EQ(f->fetches, before + 1);
        t += gaps[i] - 1;
        CHECK_STR_EQ(get_id(p, t), t < exp - 600 ? "ASIAFAKE1" : "error: fake source is down");
        CHECK_INT_EQ(f->fetches, before + 1);
        t++;
    }
    /* Expired: nothing left to hand out, every call asks. */
    t = exp;
    CHECK(strncmp(get_id(p, t), "error:", 6) == 0);
    CHECK(strncmp(get_id(p, t + 1), "error:", 6) == 0);
    CHECK_INT_EQ(f->fetches, 1 + 5 + 2);
    /* Back: fresh credentials. */
    f->fail = false;
    CHECK_STR_EQ(get_id(p, t + 2), "ASIAFAKE9");
    api_credentials_provider_free(p);
}

static int done_calls;
static char done_ids[4][32];

static void count_done(void *ctx, int rc, struct api_credentials *creds,
                       const struct api_error *err)
{
    int slot = (int)(intptr_t)ctx;

    done_calls++;
    snprintf(done_ids[slot], sizeof done_ids[slot], "%s", rc == 0 ? creds->access_key_id : "error");
    if (rc == 0)
        api_credentials_clear(creds);
}

/* Callers waiting at the same time share one fetch; a caller that stops
 * waiting stops the fetch only when it was the last; in the advisory window
 * the cached credentials come at once and the refresh runs behind. */
static void test_shared_and_cancelled_fetches(void)
{
    struct fake *f = fake_new(3600);
    struct api_credentials_provider *p = &f->r.base;
    struct api_credentials out = {0};
    struct api_credentials_op *a = NULL, *b = NULL;
    struct api_error err;
    time_t t0 = 5000000;

    f->async = true;
    done_calls = 0;
    api_error_clear(&err);
    CHECK_INT_EQ(api_credentials_start(p, t0, &out, count_done, (void *)0, &a, &err),
                 API_CREDENTIALS_PENDING);
    CHECK_INT_EQ(api_credentials_start(p, t0, &out, count_done, (void *)1, &b, &err),
                 API_CREDENTIALS_PENDING);
    CHECK_INT_EQ(f->fetches, 1);
    CHECK_STR_EQ(api_credentials_op_waiting_for(a), "fake-helper");
    CHECK_INT_EQ(done_calls, 0);
    fake_answer(f);
    CHECK_INT_EQ(done_calls, 2);
    CHECK_STR_EQ(done_ids[0], "ASIAFAKE1");
    CHECK_STR_EQ(done_ids[1], "ASIAFAKE1");
    CHECK_INT_EQ(api_credentials_start(p, t0 + 1, &out, count_done, (void *)2, &a, &err), 0);
    CHECK_STR_EQ(out.access_key_id, "ASIAFAKE1");
    api_credentials_clear(&out);

    /* Mandatory window: two wait; one leaves, the fetch goes on; the last leaves, it stops. */
    CHECK_INT_EQ(api_credentials_start(p, t0 + 3600 - 300, &out, count_done, (void *)0, &a, &err),
                 API_CREDENTIALS_PENDING);
    CHECK_INT_EQ(api_credentials_start(p, t0 + 3600 - 300, &out, count_done, (void *)1, &b, &err),
                 API_CREDENTIALS_PENDING);
    CHECK_INT_EQ(f->fetches, 2);
    api_credentials_op_cancel(a);
    CHECK_INT_EQ(f->cancels, 0);
    api_credentials_op_cancel(b);
    CHECK_INT_EQ(f->cancels, 1);
    CHECK_INT_EQ(done_calls, 2);

    /* Advisory window: the cached ones at once, one refresh behind for everyone. */
    CHECK_INT_EQ(api_credentials_start(p, t0 + 3600 - 800, &out, count_done, (void *)0, &a, &err),
                 0);
    CHECK_STR_EQ(out.access_key_id, "ASIAFAKE1");
    api_credentials_clear(&out);
    CHECK_INT_EQ(api_credentials_start(p, t0 + 3600 - 799, &out, count_done, (void *)0, &a, &err),
                 0);
    api_credentials_clear(&out);
    CHECK_INT_EQ(f->fetches, 3);
    fake_answer(f);
    CHECK_INT_EQ(done_calls, 2); /* nobody waited */
    CHECK_INT_EQ(api_credentials_start(p, t0 + 3600 - 798, &out, count_done, (void *)0, &a, &err),
                 0);
    CHECK_STR_EQ(out.access_key_id, "ASIAFAKE3");
    api_credentials_clear(&out);
    /* Freeing the provider stops what runs, without a callback. */
    CHECK_INT_EQ(api_credentials_start(p, t0 + 2 * 3600, &out, count_done, (void *)0, &a, &err),
                 API_CREDENTIALS_PENDING);
    api_credentials_provider_free(p);
    CHECK_INT_EQ(done_calls, 2);
}

/* api_credentials_expiration(): what the provider holds now, without asking. */
static void test_expiration_reported(void)
{
    struct fake *f = fake_new(3600);
    struct api_credentials_provider *p = &f->r.base;
    struct api_credentials out = {0}, fixed = {0};
    struct api_error err;
    time_t t0 = 2000000;

    api_error_clear(&err);
    CHECK_INT_EQ(api_credentials_expiration(NULL), 0);
    /* Nothing fetched yet: nothing to report, and asking fetches nothing. */
    CHECK_INT_EQ(api_credentials_expiration(p), 0);
    CHECK_INT_EQ(f->fetches, 0);
    CHECK_INT_EQ(api_credentials_get(p, t0, &out, &err), 0);
    api_credentials_clear(&out);
    CHECK_INT_EQ(api_credentials_expiration(p), t0 + 3600);
    /* A refresh moves it along. */
    CHECK_INT_EQ(api_credentials_get(p, t0 + 3600 - 11 * 60, &out, &err), 0);
    api_credentials_clear(&out);
    CHECK_INT_EQ(f->fetches, 2);
    CHECK_INT_EQ(api_credentials_expiration(p), t0 + 2 * 3600 - 11 * 60);
    api_credentials_provider_free(p);

    /* Static credentials: their own expiration, 0 when they do not expire. */
    fixed.access_key_id = strdup("AKIDEXAMPLE");
    fixed.secret_access_key = strdup("static-secret");
    p = api_credentials_static_new(&fixed, "env", &err);
    CHECK(p != NULL);
    CHECK_INT_EQ(api_credentials_expiration(p), 0);
    api_credentials_provider_free(p);
    fixed.expiration = t0 + 99;
    p = api_credentials_static_new(&fixed, "process", &err);
    CHECK(p != NULL);
    CHECK_INT_EQ(api_credentials_expiration(p), t0 + 99);
    api_credentials_provider_free(p);
    api_credentials_clear(&fixed);
}

static void test_refresh_refuses_expired_answer(void)
{
    struct fake *f = fake_new(-5);
    struct api_credentials out = {0};
    struct api_error err;

    api_error_clear(&err);
    CHECK_INT_EQ(api_credentials_get(&f->r.base, 5000, &out, &err), -1);
    CHECK(strstr(err.message, "already expired") != NULL);
    api_credentials_provider_free(&f->r.base);
}

static void test_parse_time(void)
{
    time_t t = 0;

    CHECK_INT_EQ(cred_parse_time("2026-11-24T16:05:00Z", &t), 0);
    CHECK_INT_EQ(t, 1795536300);
    CHECK_INT_EQ(cred_parse_time("2026-11-24T16:05:00.123456Z", &t), 0);
    CHECK_INT_EQ(t, 1795536300);
    CHECK_INT_EQ(cred_parse_time("2026-11-24T16:05:00+00:00", &t), 0);
    CHECK_INT_EQ(t, 1795536300);
    CHECK_INT_EQ(cred_parse_time("2026-11-24T16:05:00UTC", &t), 0); /* botocore's caches */
    CHECK_INT_EQ(t, 1795536300);
    CHECK_INT_EQ(cred_parse_time("1970-01-01T00:00:00Z", &t), 0);
    CHECK_INT_EQ(t, 0);
    CHECK_INT_EQ(cred_parse_time("2026-11-24 16:05:00Z", &t), 0);
    CHECK_INT_EQ(cred_parse_time("2026-11-24T16:05:00", &t), -1); /* zone required */
    CHECK_INT_EQ(cred_parse_time("2026-11-24T16:05:00+02:00", &t), -1);
    CHECK_INT_EQ(cred_parse_time("2026-13-24T16:05:00Z", &t), -1);
    CHECK_INT_EQ(cred_parse_time("tomorrow", &t), -1);
    CHECK_INT_EQ(cred_parse_time("", &t), -1);
    CHECK_INT_EQ(cred_parse_time(NULL, &t), -1);
    CHECK_INT_EQ(cred_parse_time("2026-11-24T16:05:00Zjunk", &t), -1);
}

static void xml_is(const char *xml, const char *tag, const char *want)
{
    char *got = cred_xml_text(xml, xml + strlen(xml), tag);

    if (want)
        CHECK_STR_EQ(got, want);
    else if (got) {
        char why[200];
        snprintf(why, sizeof why, "<%s> in %.60s gave \"%.60s\", expected nothing", tag, xml, got);
        check_fail(__FILE__, __LINE__, why);
    }
    free(got);
}

static void test_xml_extractor(void)
{
    xml_is("<R><Credentials><AccessKeyId>ASIA1</AccessKeyId></Credentials></R>", "AccessKeyId",
           "ASIA1");
    xml_is("<SecretAccessKey>a&amp;b&lt;c&gt;d&quot;e&apos;f</SecretAccessKey>", "SecretAccessKey",
           "a&b<c>d\"e'f");
    xml_is("<T>&#65;&#x42;&#xe9;&#x1F600;</T>", "T", "AB\xc3\xa9\xf0\x9f\x98\x80");
    xml_is("<T></T>", "T", "");
    xml_is("<T>x", "T", NULL);             /* unterminated */
    xml_is("<T><U>x</U></T>", "T", NULL);  /* not plain text */
    xml_is("<T>a&bogus;b</T>", "T", NULL); /* unknown entity */
    xml_is("<T>a&amp b</T>", "T", NULL);   /* entity without ; */
    xml_is("<T>&#0;</T>", "T", NULL);
    xml_is("<T>&#x110000;</T>", "T", NULL);
    xml_is("<TT>no</TT><T>yes</T>", "T", "yes"); /* exact tag */
    xml_is("<Code>AccessDenied</Code>", "Message", NULL);
}

static void test_form_encoding(void)
{
    struct cred_buf b = {0};

    cred_form_append(&b, "Action", "AssumeRole");
    cred_form_append(&b, "RoleArn", "arn:aws:iam::1:role/a b+c");
    cred_form_append(&b, "Code", "~-_.\xc3\xa9&=");
    CHECK(!b.failed);
    CHECK_STR_EQ(b.data, "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b%2Bc&"
                         "Code=~-_.%C3%A9%26%3D");
    cred_buf_free(&b);
    CHECK(b.data == NULL);
}

/* What the fuzz harness (fuzz/credentials_json.c) found: an error about an
 * answer never quotes it (the answer holds secrets), and an SSO expiration
 * under a second is not "never expires". */
static void test_answers_found_by_fuzzing(void)
{
    struct api_credentials c = {0};
    struct api_error err;
    const char *bad_time = "{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": "
                           "\"s3cr3t\", \"Expiration\": \"s3cr3t-2030\"}";
    const char *bad_version = "{\"Version\": \"s3cr3t\", \"AccessKeyId\": \"A\"}";
    const char *ms = "{\"roleCredentials\": {\"accessKeyId\": \"ASIA\", \"secretAccessKey\": "
                     "\"x\", \"expiration\": 5}}";

    api_error_clear(&err);
    CHECK_INT_EQ(cred_process_answer(bad_time, strlen(bad_time), "p", &c, &err), -1);
    CHECK(strstr(err.message, "Expiration is not an ISO 8601 UTC time") != NULL);
    CHECK(strstr(err.message, "s3cr3t") == NULL);
    CHECK_INT_EQ(cred_process_answer(bad_version, strlen(bad_version), "p", &c, &err), -1);
    CHECK(strstr(err.message, "Version (not a number)") != NULL);
    CHECK(strstr(err.message, "s3cr3t") == NULL);
    CHECK_INT_EQ(cred_sso_role_credentials(ms, strlen(ms), &c, &err), -1);
    CHECK(strstr(err.message, "no expiration") != NULL);
    CHECK(c.access_key_id == NULL);
}

int main(void)
{
    RUN(test_clear_wipes_every_secret_byte);
    RUN(test_provider_free_wipes_its_copy);
    RUN(test_copy_is_deep);
    RUN(test_static_provider);
    RUN(test_refresh_windows);
    RUN(test_refresh_once_per_window);
    RUN(test_failure_backoff);
    RUN(test_shared_and_cancelled_fetches);
    RUN(test_refresh_refuses_expired_answer);
    RUN(test_expiration_reported);
    RUN(test_parse_time);
    RUN(test_xml_extractor);
    RUN(test_form_encoding);
    RUN(test_answers_found_by_fuzzing);
    return check_finish();
}
