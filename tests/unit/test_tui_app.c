/* tests/unit/test_tui_app.c — what the console says about errors, which
 * actions read-only mode offers, and how it learns the account id. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tui/app.h"
#include "tui/form_send.h"

static void describe(enum api_error_kind kind, const char *code, const char *msg, char *out,
                     size_t size)
{
    struct api_error e;
    api_error_set(&e, kind, "%s", msg);
    snprintf(e.code, sizeof e.code, "%s", code);
    if (kind == API_ERR_INVALID_INPUT)
        snprintf(e.field, sizeof e.field, "IdentityPoolName");
    if (kind == API_ERR_AWS)
        snprintf(e.request_id, sizeof e.request_id, "rid-7");
    app_describe_error(&e, out, size);
}

static void test_errors_say_what_to_do(void)
{
    char m[700];
    describe(API_ERR_CREDENTIALS, "", "no credentials found", m, sizeof m);
    CHECK(strstr(m, "No usable credentials: no credentials found") != NULL);
    CHECK(strstr(m, "AWS_ACCESS_KEY_ID") != NULL);
    CHECK(strstr(m, ":profile NAME") != NULL);
    describe(API_ERR_TRANSPORT, "", "Could not connect", m, sizeof m);
    CHECK(strstr(m, "Cannot reach the endpoint: Could not connect") != NULL);
    CHECK(strstr(m, ":region NAME") != NULL);
    describe(API_ERR_TLS, "", "certificate verify failed", m, sizeof m);
    CHECK(strstr(m, "TLS failure: certificate verify failed") != NULL);
    CHECK(strstr(m, "AWS_CA_BUNDLE") != NULL);
    describe(API_ERR_INVALID_INPUT, "", "must be 1 to 128 characters", m, sizeof m);
    CHECK_STR_EQ(m, "Invalid IdentityPoolName: must be 1 to 128 characters");
    describe(API_ERR_AWS, "UnrecognizedClientException", "The security token is invalid", m,
             sizeof m);
    CHECK(strstr(m, "UnrecognizedClientException: The security token is invalid") != NULL);
    CHECK(strstr(m, "(request id rid-7)") != NULL);
    CHECK(strstr(m, "Check the credentials") != NULL);
    describe(API_ERR_AWS, "AccessDeniedException", "not authorized", m, sizeof m);
    CHECK(strstr(m, "lack the permission") != NULL);
    describe(API_ERR_READ_ONLY, "", "CreateIdentityPool is not a pure read", m, sizeof m);
    CHECK(strstr(m, "read-only mode") != NULL);
    /* A long message is cut, never overflows. */
    char small[40];
    describe(API_ERR_TRANSPORT, "", "x", small, sizeof small);
    CHECK_INT_EQ(strlen(small), sizeof small - 1);
}

static void test_mfa_errors_say_how_to_retry(void)
{
    char m[700];
    describe(API_ERR_CREDENTIALS, "AccessDenied",
             "profile p, role r: STS AssumeRole failed: AccessDenied: MultiFactorAuthentication "
             "failed with invalid MFA one time pass code.",
             m, sizeof m);
    CHECK(strstr(m, "The role was not assumed") != NULL);
    CHECK(strstr(m, "Press r to enter the MFA code again") != NULL);
    CHECK(strstr(m, "AWS_ACCESS_KEY_ID") == NULL); /* not the advice for missing keys */
}

/* app_account_find(): asks api_account_id_start once per settings (here from
 * AWS_ACCOUNT_ID: no network), keeps a failure until app_account_retry();
 * the id itself lives in one place, the config's cache, where
 * app_account_id() reads it and app_account_set() puts what the admin typed. */
static void test_account_id_asked_once(void)
{
    struct app a;
    struct api_config_cache cache;
    char profile[] = "default", region[] = "us-east-1";
    memset(&a, 0, sizeof a);
    memset(&cache, 0, sizeof cache);
    a.cfg.profile = profile;
    a.cfg.region = region;
    a.cfg.cache = &cache;
    setenv("AWS_ACCOUNT_ID", "12345", 1);
    CHECK(app_account_find(&a, NULL, NULL) == NULL);
    CHECK(a.account_tried);
    CHECK(strstr(a.account_error, "AWS_ACCOUNT_ID") != NULL);
    /* Fixed meanwhile, but not asked again until a retry. */
    setenv("AWS_ACCOUNT_ID", "111122223333", 1);
    CHECK(app_account_find(&a, NULL, NULL) == NULL);
    CHECK(app_account_id(&a) == NULL);
    app_account_retry(&a);
    CHECK_STR_EQ(app_account_find(&a, NULL, NULL), "111122223333");
    CHECK_STR_EQ(cache.account_id, "111122223333"); /* the one place */
    /* Kept: the variable changing does not matter any more... */
    setenv("AWS_ACCOUNT_ID", "444455556666", 1);
    CHECK_STR_EQ(app_account_find(&a, NULL, NULL), "111122223333");
    app_account_retry(&a); /* ...nor does a retry once known */
    CHECK_STR_EQ(app_account_id(&a), "111122223333");
    /* What the admin types: 12 digits, or refused. */
    memset(&cache, 0, sizeof cache);
    CHECK_INT_EQ(app_account_set(&a, "12345678901x"), -1);
    CHECK_INT_EQ(app_account_set(&a, "1234"), -1);
    CHECK(app_account_id(&a) == NULL);
    CHECK_INT_EQ(app_account_set(&a, "210987654321"), 0);
    CHECK_STR_EQ(app_account_id(&a), "210987654321");
    unsetenv("AWS_ACCOUNT_ID");
}

static void test_read_only_offers_no_mutating_action(void)
{
    struct app a;
    memset(&a, 0, sizeof a);
    int mutating = 0;
    for (int act = 1; act < ACT_COUNT; act++) {
        a.read_only = false;
        CHECK(app_action_allowed(&a, (enum action)act));
        a.read_only = true;
        bool m = (action_table[act].flags & ACTF_MUTATES) != 0;
        mutating += m;
        CHECK_INT_EQ(app_action_allowed(&a, (enum action)act), !m);
    }
    /* create, update, delete pool, test identity, delete identities, merge,
     * unlink x2, roles edit, tag add/remove, prune, audit fix */
    CHECK_INT_EQ(mutating, 13);
    CHECK(!app_action_allowed(&a, ACT_NONE));
    CHECK(!app_action_allowed(&a, ACT_COUNT));
}

static void test_field_key(void)
{
    char k[64];
    CHECK_STR_EQ(form_error_key("SupportedLoginProviders.graph.facebook.com", k, sizeof k),
                 "SupportedLoginProviders");
    CHECK_STR_EQ(form_error_key("CognitoIdentityProviders[0].ClientId", k, sizeof k),
                 "CognitoIdentityProviders");
    CHECK_STR_EQ(form_error_key("", k, sizeof k), "");
    CHECK_STR_EQ(form_error_key(NULL, k, sizeof k), "");
}

int main(void)
{
    RUN(test_errors_say_what_to_do);
    RUN(test_mfa_errors_say_how_to_retry);
    RUN(test_account_id_asked_once);
    RUN(test_read_only_offers_no_mutating_action);
    RUN(test_field_key);
    return check_finish();
}
