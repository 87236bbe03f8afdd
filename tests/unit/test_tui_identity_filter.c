/* Tests of prune's matching rules (tui/identity_filter.c), the ISO 8601
 * arguments (tui/time_arg.c) and the job progress line (tui/progress.c). */
#include <math.h>
#include <string.h>

#include "tests/unit/check.h"
#include "tui/identity_filter.h"
#include "tui/progress.h"
#include "tui/time_arg.h"

static double parse_ok(const char *text)
{
    double t = -1;
    char why[256] = "";
    if (time_arg_parse(text, &t, why, sizeof why) != 0) {
        char m[400];
        snprintf(m, sizeof m, "time_arg_parse(%s) failed: %s", text, why);
        check_fail(__FILE__, __LINE__, m);
    }
    return t;
}

static void test_time_arguments(void)
{
    CHECK(parse_ok("2024-01-01") == 1704067200.0);
    CHECK(parse_ok("2024-01-01T13:11:06Z") == 1704067200.0 + 13 * 3600 + 11 * 60 + 6);
    CHECK(parse_ok("2024-01-01t13:11:06z") == 1704067200.0 + 13 * 3600 + 11 * 60 + 6);
    CHECK(fabs(parse_ok("2024-01-01T00:00:00.25Z") - 1704067200.25) < 1e-9);
    CHECK(parse_ok("2024-01-01T02:00:00+02:00") == 1704067200.0);
    CHECK(parse_ok("2023-12-31T19:30:00-0430") == 1704067200.0);
    CHECK(parse_ok("2024-02-29") == 1709164800.0); /* a leap day */
    CHECK(parse_ok("1970-01-01") == 0);

    const char *bad[] = {"",
                         "2024",
                         "2024-1-1",
                         "2024-13-01",
                         "2023-02-29", /* no such day */
                         "2024-04-31",
                         "2024-01-01T25:00:00Z",
                         "2024-01-01T13:11Z",
                         "2024-01-01T13:11:06", /* no zone: refused, never guessed */
                         "2024-01-01 13:11:06Z",
                         "2024-01-01T13:11:06Zjunk",
                         "2024-01-01T13:11:06.Z",
                         "2024-01-01T13:11:06+2",
                         "1969-12-31",
                         "yesterday"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double t;
        char why[256] = "";
        CHECK_INT_EQ(time_arg_parse(bad[i], &t, why, sizeof why), -1);
        CHECK(strstr(why, "is not a time") != NULL);
    }
    char why[256];
    double t;
    time_arg_parse("2024-01-01T13:11:06", &t, why, sizeof why);
    CHECK(strstr(why, "zone") != NULL);
    time_arg_parse("2023-02-29", &t, why, sizeof why);
    CHECK(strstr(why, "no such date") != NULL);
}

static json_object *item(const char *id, const char *logins_json, double created, double modified)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "IdentityId", json_object_new_string(id));
    if (logins_json)
        json_object_object_add(o, "Logins", json_tokener_parse(logins_json));
    if (created >= 0)
        json_object_object_add(o, "CreationDate", json_object_new_double(created));
    if (modified >= 0)
        json_object_object_add(o, "LastModifiedDate", json_object_new_double(modified));
    return o;
}

static bool matches(const struct identity_filter *f, json_object *o)
{
    struct identity_record r;
    if (identity_record_from_json(o, &r) != 0)
        return false;
    return identity_filter_matches(f, &r);
}

static void test_records(void)
{
    struct identity_record r;
    json_object *o = item("us-east-1:a", "[\"graph.facebook.com\", 7]", 10, 20);

    CHECK_INT_EQ(identity_record_from_json(o, &r), 0);
    CHECK_STR_EQ(r.id, "us-east-1:a");
    CHECK_INT_EQ(r.n_logins, 2);
    CHECK_STR_EQ(identity_record_login(&r, 0), "graph.facebook.com");
    CHECK(identity_record_login(&r, 1) == NULL); /* not a string */
    CHECK(identity_record_login(&r, 2) == NULL);
    CHECK(r.has_created && r.created == 10);
    CHECK(r.has_modified && r.modified == 20);
    json_object_put(o);

    /* JSON integers are times too (the service sends numbers). */
    o = json_tokener_parse("{\"IdentityId\": \"x:1\", \"CreationDate\": 5, "
                           "\"LastModifiedDate\": \"2024-01-01\"}");
    CHECK_INT_EQ(identity_record_from_json(o, &r), 0);
    CHECK(r.has_created && r.created == 5);
    CHECK(!r.has_modified); /* a string is not a date we trust */
    CHECK_INT_EQ(r.n_logins, 0);
    json_object_put(o);

    const char *bad[] = {"{}", "{\"IdentityId\": \"\"}", "{\"IdentityId\": 3}", "[]", "null"};
    for (size_t i = 0; i < 5; i++) {
        o = json_tokener_parse(bad[i]);
        CHECK_INT_EQ(identity_record_from_json(o, &r), -1);
        json_object_put(o);
    }
}

static void test_matching_rules(void)
{
    json_object *guest_old = item("g:old", NULL, 100, 200);
    json_object *guest_empty = item("g:empty", "[]", 100, 200);
    json_object *guest_new = item("g:new", NULL, 1000, 2000);
    json_object *fb_old = item("f:old", "[\"graph.facebook.com\"]", 100, 200);
    json_object *two = item("t:two", "[\"accounts.google.com\", \"graph.facebook.com\"]", 100, 200);
    json_object *no_dates = item("n:nodates", NULL, -1, -1);

    struct identity_filter f = {.unauthenticated = true};
    CHECK(matches(&f, guest_old) && matches(&f, guest_empty) && matches(&f, guest_new));
    CHECK(!matches(&f, fb_old) && !matches(&f, two));
    CHECK(matches(&f, no_dates));

    f = (struct identity_filter){.provider = "graph.facebook.com"};
    CHECK(matches(&f, fb_old) && matches(&f, two));
    CHECK(!matches(&f, guest_old));
    f.provider = "graph.facebook"; /* exact names only */
    CHECK(!matches(&f, fb_old));

    /* Strictly before; missing dates never match. */
    f = (struct identity_filter){.has_modified_before = true, .modified_before = 200};
    CHECK(!matches(&f, guest_old));
    f.modified_before = 200.001;
    CHECK(matches(&f, guest_old));
    CHECK(!matches(&f, guest_new));
    CHECK(!matches(&f, no_dates));
    f = (struct identity_filter){.has_created_before = true, .created_before = 500};
    CHECK(matches(&f, guest_old) && matches(&f, fb_old));
    CHECK(!matches(&f, guest_new) && !matches(&f, no_dates));

    /* AND of everything given. */
    f = (struct identity_filter){.unauthenticated = true,
                                 .has_created_before = true,
                                 .created_before = 500,
                                 .has_modified_before = true,
                                 .modified_before = 300};
    CHECK(matches(&f, guest_old));
    CHECK(!matches(&f, guest_new));
    CHECK(!matches(&f, fb_old));
    f.modified_before = 150;
    CHECK(!matches(&f, guest_old));

    /* `disabled` is the job's second listing: here it filters nothing. */
    f = (struct identity_filter){.disabled = true};
    CHECK(identity_filter_any(&f));
    CHECK(matches(&f, fb_old));
    f = (struct identity_filter){0};
    CHECK(!identity_filter_any(&f));

    json_object_put(guest_old);
    json_object_put(guest_empty);
    json_object_put(guest_new);
    json_object_put(fb_old);
    json_object_put(two);
    json_object_put(no_dates);
}

static void test_describe(void)
{
    char buf[512];
    struct identity_filter f = {.unauthenticated = true,
                                .idle_days = 90,
                                .has_modified_before = true,
                                .modified_before = 1704067200,
                                .has_created_before = true,
                                .created_before = 1704067200.5,
                                .disabled = true};
    CHECK_STR_EQ(identity_filter_describe(&f, false, buf, sizeof buf),
                 "unauthenticated, idle 90 days, created before 2024-01-01T00:00:00.500Z, "
                 "disabled");
    CHECK_STR_EQ(identity_filter_describe(&f, true, buf, sizeof buf),
                 "unauthenticated, modified before 2024-01-01T00:00:00Z, created before "
                 "2024-01-01T00:00:00.500Z, disabled");
    f = (struct identity_filter){.provider = "accounts.google.com"};
    CHECK_STR_EQ(identity_filter_describe(&f, false, buf, sizeof buf),
                 "provider accounts.google.com");
    /* A small buffer is cut, never overrun. */
    char tiny[8];
    identity_filter_describe(&f, false, tiny, sizeof tiny);
    CHECK_INT_EQ(strlen(tiny), 7);
}

static void test_progress_line(void)
{
    char buf[256];
    struct progress_job f = {.phase = "deleting",
                             .done = 10,
                             .total = 40,
                             .unit = "batches",
                             .rate = 9.84,
                             .quota = 10,
                             .extra = "600 deleted"};
    CHECK_STR_EQ(progress_job_format(&f, buf, sizeof buf),
                 "deleting [#####...............] 10/40 batches  9.8/s of 10/s  ETA 3s  600 "
                 "deleted");
    f = (struct progress_job){
        .phase = "listing", .done = 90, .total = -1, .unit = "pages", .rate = 4.9, .quota = 5};
    CHECK_STR_EQ(progress_job_format(&f, buf, sizeof buf), "listing 90 pages  4.9/s of 5/s");
    /* ETA at the quota; hours and minutes for long jobs (1,000,000 at 5 pages/s). */
    f = (struct progress_job){
        .phase = "listing", .done = 0, .total = 16667, .unit = "pages", .quota = 5};
    CHECK(strstr(progress_job_format(&f, buf, sizeof buf), "ETA 55m33s") != NULL);
    f.total = 100000;
    CHECK(strstr(progress_job_format(&f, buf, sizeof buf), "ETA 5h33m") != NULL);
    /* More done than expected (the estimate was low): a full bar, no ETA. */
    f = (struct progress_job){
        .phase = "listing", .done = 50, .total = 40, .unit = "pages", .quota = 5};
    progress_job_format(&f, buf, sizeof buf);
    CHECK(strstr(buf, "[####################] 50/40") != NULL);
    CHECK(strstr(buf, "ETA") == NULL);
}

int main(void)
{
    RUN(test_time_arguments);
    RUN(test_records);
    RUN(test_matching_rules);
    RUN(test_describe);
    RUN(test_progress_line);
    return check_finish();
}
