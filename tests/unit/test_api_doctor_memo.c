/* The doctor's memo source (api/doctor_memo.h): a run misses what is not
 * fetched yet and says so; once everything is put in, its report is the one
 * a blocking source with the same answers gives, errors included; a read
 * is asked for once. */
#include <stdlib.h>
#include <string.h>

#include "api/doctor.h"
#include "api/doctor_memo.h"
#include "api/xml.h"
#include "check.h"

#define POOL "us-east-1:11111111-2222-3333-4444-555555555555"
#define ROLE "arn:aws:iam::123456789012:role/Guest"
#define NOW  1700000000
#define TRUST                                                                                      \
    "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C"  \
    "%22Principal%22%3A%7B%22Federated%22%3A%22cognito-identity.amazonaws.com%22%7D%2C%22Action"   \
    "%22%3A%22sts%3AAssumeRoleWithWebIdentity%22%2C%22Condition%22%3A%7B%22StringEquals%22%3A%7B"  \
    "%22cognito-identity.amazonaws.com%3Aaud%22%3A%22" POOL "%22%7D%2C%22ForAnyValue%3AStringLike" \
    "%22%3A%7B%22cognito-identity.amazonaws.com%3Aamr%22%3A%22unauthenticated%22%7D%7D%7D%5D%7D"

static const char pool_json[] = "{\"IdentityPoolId\": \"" POOL "\", \"IdentityPoolName\": \"p\","
                                " \"AllowUnauthenticatedIdentities\": true}";
static const char roles_json[] =
    "{\"IdentityPoolId\": \"" POOL "\", \"Roles\": {\"unauthenticated\": \"" ROLE "\"}}";
static const char role_xml[] =
    "<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetRoleResult><Role>"
    "<Path>/</Path><RoleName>Guest</RoleName><RoleId>AROAEXAMPLE</RoleId><Arn>" ROLE "</Arn>"
    "<AssumeRolePolicyDocument>" TRUST "</AssumeRolePolicyDocument></Role></GetRoleResult>"
    "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetRoleResponse>";

/* What the fixtures answer; role_missing: GetRole says NoSuchEntity. */
static bool role_missing, pool_fails;

static void no_such_role(struct api_error *err)
{
    api_error_set(err, API_ERR_AWS, "The role with name Guest cannot be found.");
    snprintf(err->code, sizeof err->code, "NoSuchEntity");
    err->http_status = 404;
}

static void pool_refused(struct api_error *err)
{
    api_error_set(err, API_ERR_AWS, "not your pool");
    snprintf(err->code, sizeof err->code, "NotAuthorizedException");
}

/* ---- a blocking source over the fixtures: what the memo must agree with ---- */

static int direct_describe(void *ctx, const char *pool_id, json_object **out, struct api_error *err)
{
    (void)ctx;
    (void)pool_id;
    *out = NULL;
    if (pool_fails) {
        pool_refused(err);
        return -1;
    }
    *out = json_tokener_parse(pool_json);
    return 0;
}

static int direct_roles(void *ctx, const char *pool_id, json_object **out, struct api_error *err)
{
    (void)ctx;
    (void)pool_id;
    (void)err;
    *out = json_tokener_parse(roles_json);
    return 0;
}

static int direct_role(void *ctx, const char *name, struct api_iam_role *out, struct api_error *err)
{
    (void)ctx;
    memset(out, 0, sizeof *out);
    if (role_missing || strcmp(name, "Guest") != 0) {
        no_such_role(err);
        return -1;
    }
    struct xml_node *doc = api_xml_parse(role_xml, strlen(role_xml), err);
    int rc = doc ? api_iam_read_role(doc, out, err) : -1;
    api_xml_free(doc);
    return rc;
}

static char *direct_report(const struct api_doctor_login *login, int *rc_out)
{
    struct api_doctor_source src = {NULL, direct_describe, direct_roles, NULL, NULL,
                                    NULL, direct_role};
    struct api_doctor_report r;
    struct api_error err;
    int rc = api_doctor_run(&src, POOL, login, NOW, &r, &err);
    *rc_out = rc;
    char *s = NULL;
    if (rc == 0) {
        json_object *j = api_doctor_report_json(&r);
        s = strdup(json_object_to_json_string(j));
        json_object_put(j);
    } else {
        s = strdup(err.message);
    }
    api_doctor_report_clear(&r);
    return s;
}

/* ---- the memo, fed by an "event loop" that answers every need ---- */

static void answer(struct api_doctor_memo *m, const struct api_doctor_need *n, int *asked)
{
    struct api_error err;
    api_error_clear(&err);
    asked[n->what]++;
    switch (n->what) {
    case API_DOCTOR_READ_POOL:
        CHECK_STR_EQ(n->pool_id, POOL);
        if (pool_fails) {
            pool_refused(&err);
            api_doctor_memo_put_json(m, n, NULL, &err);
        } else {
            api_doctor_memo_put_json(m, n, json_tokener_parse(pool_json), &err);
        }
        break;
    case API_DOCTOR_READ_ROLES:
        api_doctor_memo_put_json(m, n, json_tokener_parse(roles_json), &err);
        break;
    case API_DOCTOR_READ_ROLE:
        CHECK_STR_EQ(n->name, "Guest");
        if (role_missing) {
            no_such_role(&err);
            api_doctor_memo_put_xml(m, n, NULL, &err);
        } else {
            api_doctor_memo_put_xml(m, n, api_xml_parse(role_xml, strlen(role_xml), &err), &err);
        }
        break;
    default:
        check_fail(__FILE__, __LINE__, "a read the guest check does not need");
        api_error_set(&err, API_ERR_HTTP, "unexpected");
        api_doctor_memo_put_json(m, n, NULL, &err);
    }
}

/* Runs the memo to the end, as the console does; returns the final report
 * (JSON text) or error message, and the number of runs. */
static char *memo_report(const struct api_doctor_login *login, int *rc_out, int *runs, int *asked)
{
    struct api_doctor_memo *m = api_doctor_memo_new();
    struct api_doctor_report r;
    struct api_error err;
    size_t misses;
    int rc;
    *runs = 0;
    for (;;) {
        rc = api_doctor_memo_run(m, POOL, login, NOW, &r, &misses, &err);
        ++*runs;
        if (misses == 0 || *runs > 10)
            break;
        CHECK(r.pool == NULL && r.role_arn == NULL); /* nothing of a run with misses is kept */
        const struct api_doctor_need *n, *got[8];
        size_t k = 0;
        while ((n = api_doctor_memo_next_need(m)) && k < 8)
            got[k++] = n;
        CHECK(k > 0);
        CHECK_INT_EQ(api_doctor_memo_pending(m), k);
        CHECK(api_doctor_memo_next_need(m) == NULL); /* each is asked once */
        for (size_t i = 0; i < k; i++)
            answer(m, got[i], asked);
        CHECK_INT_EQ(api_doctor_memo_pending(m), 0);
    }
    *rc_out = rc;
    char *s;
    if (rc == 0) {
        json_object *j = api_doctor_report_json(&r);
        s = strdup(json_object_to_json_string(j));
        json_object_put(j);
    } else {
        s = strdup(err.message);
    }
    api_doctor_report_clear(&r);
    api_doctor_memo_free(m);
    return s;
}

static void same_as_direct(const struct api_doctor_login *login, int want_rc, const char *want)
{
    int rc_d, rc_m, runs, asked[API_DOCTOR_READ_ROLE + 1] = {0};
    char *d = direct_report(login, &rc_d);
    char *m = memo_report(login, &rc_m, &runs, asked);
    CHECK_INT_EQ(rc_d, want_rc);
    CHECK_INT_EQ(rc_m, rc_d);
    CHECK_STR_EQ(m, d);
    CHECK(strstr(d, want) != NULL);
    for (int i = 0; i <= API_DOCTOR_READ_ROLE; i++)
        CHECK(asked[i] <= 1);
    free(d);
    free(m);
}

static void test_guest_ok_as_blocking(void)
{
    struct api_doctor_login guest = {.kind = API_DOCTOR_GUEST};
    role_missing = pool_fails = false;
    same_as_direct(&guest, 0, "\"verdict\": \"ok\"");
}

static void test_read_error_kept_as_blocking(void)
{
    struct api_doctor_login guest = {.kind = API_DOCTOR_GUEST};
    role_missing = true;
    pool_fails = false;
    same_as_direct(&guest, 0, "NoSuchEntity");
    role_missing = false;
}

static void test_pool_error_is_the_run_error(void)
{
    struct api_doctor_login guest = {.kind = API_DOCTOR_GUEST};
    pool_fails = true;
    same_as_direct(&guest, -1, "not your pool");
    pool_fails = false;
}

static void test_runs_ask_in_order(void)
{
    struct api_doctor_login guest = {.kind = API_DOCTOR_GUEST};
    int rc, runs, asked[API_DOCTOR_READ_ROLE + 1] = {0};
    char *s = memo_report(&guest, &rc, &runs, asked);
    /* Pool, then its roles, then the role: three rounds, a fourth run complete. */
    CHECK_INT_EQ(runs, 4);
    CHECK_INT_EQ(asked[API_DOCTOR_READ_POOL], 1);
    CHECK_INT_EQ(asked[API_DOCTOR_READ_ROLES], 1);
    CHECK_INT_EQ(asked[API_DOCTOR_READ_ROLE], 1);
    CHECK_INT_EQ(asked[API_DOCTOR_READ_KEYS], 0);
    free(s);
}

static void test_answer_twice_and_unasked(void)
{
    struct api_doctor_memo *m = api_doctor_memo_new();
    struct api_doctor_report r;
    struct api_error err;
    size_t misses;
    struct api_doctor_login guest = {.kind = API_DOCTOR_GUEST};
    CHECK_INT_EQ(api_doctor_memo_run(m, POOL, &guest, NOW, &r, &misses, &err), -1);
    CHECK_INT_EQ(misses, 1);
    CHECK_INT_EQ(err.kind, API_ERR_CANCELLED);
    const struct api_doctor_need *n = api_doctor_memo_next_need(m);
    CHECK(n && n->what == API_DOCTOR_READ_POOL);
    api_error_clear(&err);
    api_doctor_memo_put_json(m, n, json_tokener_parse(pool_json), &err);
    /* A second answer to the same read is dropped (and freed: ASan). */
    api_doctor_memo_put_json(m, n, json_tokener_parse("{\"IdentityPoolId\": \"other\"}"), &err);
    /* A run now misses the roles only: the pool answer stayed. */
    CHECK_INT_EQ(api_doctor_memo_run(m, POOL, &guest, NOW, &r, &misses, &err), -1);
    CHECK_INT_EQ(misses, 1);
    n = api_doctor_memo_next_need(m);
    CHECK(n && n->what == API_DOCTOR_READ_ROLES);
    /* A missing answer without an error is a failure, not a crash. */
    api_error_clear(&err);
    api_doctor_memo_put_json(m, n, NULL, &err);
    CHECK_INT_EQ(api_doctor_memo_run(m, POOL, &guest, NOW, &r, &misses, &err), -1);
    CHECK_INT_EQ(misses, 0);
    CHECK(err.kind != API_ERR_NONE);
    api_doctor_report_clear(&r);
    api_doctor_memo_free(m);
}

int main(void)
{
    RUN(test_guest_ok_as_blocking);
    RUN(test_read_error_kept_as_blocking);
    RUN(test_pool_error_is_the_run_error);
    RUN(test_runs_ask_in_order);
    RUN(test_answer_twice_and_unasked);
    return check_finish();
}
