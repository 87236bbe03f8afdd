/* The policy evaluator (api/policy.h): the trust policies of the Cognito
 * developer guide, the condition operators, deny precedence, what decided
 * and why; malformed and huge documents give clear errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/policy.h"
#include "tests/unit/check.h"

#define POOL  "us-east-1:12345678-1234-1234-1234-123456789012"
#define OTHER "us-east-1:99999999-9999-9999-9999-999999999999"
#define AUD   "cognito-identity.amazonaws.com:aud"
#define AMR   "cognito-identity.amazonaws.com:amr"

/* The "Role trust and permissions" example of the developer guide. */
static const char *guide_trust =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"\",\"Effect\":\"Allow\","
    "\"Principal\":{\"Federated\":\"cognito-identity.amazonaws.com\"},"
    "\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{"
    "\"StringEquals\":{\"" AUD "\":\"" POOL "\"},"
    "\"ForAnyValue:StringLike\":{\"" AMR "\":\"authenticated\"}}}]}";

static struct api_policy *parse(const char *text)
{
    struct api_error err;
    struct api_policy *p = api_policy_parse(text, strlen(text), &err);
    if (!p)
        fprintf(stderr, "  parse failed: %s\n", err.message);
    return p;
}

static enum api_policy_decision assume(const struct api_policy *p, const char *action,
                                       const char *aud, const char *amr0, const char *amr1,
                                       struct api_policy_result *out)
{
    const char *aud_v[] = {aud};
    const char *amr_v[] = {amr0, amr1};
    struct api_policy_context_value ctx[] = {
        {AUD, aud_v, aud ? 1 : 0},
        {AMR, amr_v,
         amr1   ? 2
         : amr0 ? 1
                : 0},
    };
    struct api_policy_request rq = {action, NULL, "Federated", "cognito-identity.amazonaws.com",
                                    ctx,    2};
    return api_policy_evaluate(p, &rq, out);
}

static void test_guide_trust_policy(void)
{
    struct api_policy *p = parse(guide_trust);
    struct api_policy_result r;

    CHECK(p != NULL);
    CHECK_INT_EQ(assume(p, "sts:AssumeRoleWithWebIdentity", POOL, "authenticated",
                        "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", &r),
                 API_POLICY_ALLOW);
    CHECK_INT_EQ(r.statement, 0);
    CHECK(strstr(r.why, "statement 1 allows") != NULL);

    CHECK_INT_EQ(assume(p, "sts:AssumeRoleWithWebIdentity", OTHER, "authenticated", NULL, &r),
                 API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(r.stage, API_POLICY_STAGE_CONDITION);
    CHECK_STR_EQ(r.key, AUD);
    CHECK(strstr(r.why, OTHER) != NULL && strstr(r.why, POOL) != NULL);

    CHECK_INT_EQ(assume(p, "sts:AssumeRoleWithWebIdentity", POOL, "unauthenticated", NULL, &r),
                 API_POLICY_IMPLICIT_DENY);
    CHECK_STR_EQ(r.key, AMR);
    CHECK_STR_EQ(r.op, "ForAnyValue:StringLike");

    /* the principal tags of the enhanced flow need sts:TagSession too */
    CHECK_INT_EQ(assume(p, "sts:TagSession", POOL, "authenticated", NULL, &r),
                 API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(r.stage, API_POLICY_STAGE_ACTION);

    /* case-insensitive action, case-insensitive condition key */
    CHECK_INT_EQ(assume(p, "STS:assumerolewithwebidentity", POOL, "authenticated", NULL, &r),
                 API_POLICY_ALLOW);
    api_policy_free(p);
}

static void test_statement_object_and_principal_forms(void)
{
    struct api_policy *p = parse("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":"
                                 "{\"Federated\":[\"accounts.google.com\","
                                 "\"cognito-identity.amazonaws.com\"]},"
                                 "\"Action\":[\"sts:AssumeRoleWithWebIdentity\","
                                 "\"sts:TagSession\"]}}");
    struct api_policy_result r;

    CHECK(p != NULL);
    CHECK_INT_EQ(api_policy_count(p), 1);
    CHECK_INT_EQ(assume(p, "sts:TagSession", OTHER, NULL, NULL, &r), API_POLICY_ALLOW);
    api_policy_free(p);

    p = parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
              "\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}");
    CHECK_INT_EQ(assume(p, "sts:AssumeRoleWithWebIdentity", POOL, "authenticated", NULL, &r),
                 API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(r.stage, API_POLICY_STAGE_PRINCIPAL);
    CHECK(strstr(r.why, "does not name the principal") != NULL);
    api_policy_free(p);

    p = parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
              "\"Action\":\"sts:*\"}]}");
    CHECK_INT_EQ(assume(p, "sts:AssumeRoleWithWebIdentity", NULL, NULL, NULL, &r),
                 API_POLICY_ALLOW);
    api_policy_free(p);

    /* the right principal with sts:AssumeRole instead of ...WithWebIdentity */
    p = parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
              "\"cognito-identity.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
    CHECK_INT_EQ(assume(p, "sts:AssumeRoleWithWebIdentity", POOL, "authenticated", NULL, &r),
                 API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(r.stage, API_POLICY_STAGE_ACTION);
    CHECK(strstr(r.why, "sts:AssumeRole\"") != NULL);
    api_policy_free(p);
}

static void test_explicit_deny_wins(void)
{
    struct api_policy *p =
        parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
              "{\"Sid\":\"NoDelete\",\"Effect\":\"Deny\",\"Action\":\"s3:Delete*\","
              "\"Resource\":\"arn:aws:s3:::b/*\"}]}");
    struct api_policy_result r;
    struct api_policy_request rq = {"s3:DeleteObject", "arn:aws:s3:::b/k", NULL, NULL, NULL, 0};

    CHECK_INT_EQ(api_policy_evaluate(p, &rq, &r), API_POLICY_DENY);
    CHECK_INT_EQ(r.statement, 1);
    CHECK(strstr(r.why, "NoDelete") != NULL);
    rq.resource = "arn:aws:s3:::other/k";
    CHECK_INT_EQ(api_policy_evaluate(p, &rq, &r), API_POLICY_ALLOW);
    CHECK_INT_EQ(r.statement, 0);
    api_policy_free(p);
}

static void test_not_action_and_not_resource(void)
{
    struct api_policy *p =
        parse("{\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\","
              "\"NotResource\":[\"arn:aws:s3:::secret\",\"arn:aws:s3:::secret/*\"]}]}");
    struct api_policy_result r;
    struct api_policy_request rq = {"s3:GetObject", "arn:aws:s3:::public/x", NULL, NULL, NULL, 0};

    CHECK_INT_EQ(api_policy_evaluate(p, &rq, &r), API_POLICY_ALLOW);
    rq.resource = "arn:aws:s3:::secret/x";
    CHECK_INT_EQ(api_policy_evaluate(p, &rq, &r), API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(r.stage, API_POLICY_STAGE_RESOURCE);
    rq.action = "iam:PassRole";
    rq.resource = "*";
    CHECK_INT_EQ(api_policy_evaluate(p, &rq, &r), API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(r.stage, API_POLICY_STAGE_ACTION);
    api_policy_free(p);
}

static enum api_policy_decision with_condition(const char *condition, const char *key,
                                               const char *const *values, size_t n)
{
    char doc[1024];
    struct api_policy_context_value ctx[] = {{key, values, n}};
    struct api_policy_request rq = {"x:Y", NULL, NULL, NULL, ctx, 1};
    struct api_policy_result r;

    snprintf(doc, sizeof doc,
             "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"x:*\",\"Condition\":%s}]}",
             condition);
    struct api_policy *p = parse(doc);
    enum api_policy_decision d = p ? api_policy_evaluate(p, &rq, &r) : API_POLICY_UNKNOWN;
    api_policy_free(p);
    return d;
}

static void test_condition_operators(void)
{
    const char *auth[] = {"authenticated", "graph.facebook.com"};
    const char *guest[] = {"unauthenticated"};
    const char *upper[] = {"AUTHENTICATED"};

    /* absent keys */
    CHECK_INT_EQ(with_condition("{\"StringEquals\":{\"k\":\"v\"}}", "k", NULL, 0),
                 API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(with_condition("{\"StringNotEquals\":{\"k\":\"v\"}}", "k", NULL, 0),
                 API_POLICY_ALLOW);
    CHECK_INT_EQ(with_condition("{\"StringEqualsIfExists\":{\"k\":\"v\"}}", "k", NULL, 0),
                 API_POLICY_ALLOW);
    CHECK_INT_EQ(with_condition("{\"ForAllValues:StringEquals\":{\"k\":\"v\"}}", "k", NULL, 0),
                 API_POLICY_ALLOW);
    CHECK_INT_EQ(with_condition("{\"ForAnyValue:StringEquals\":{\"k\":\"v\"}}", "k", NULL, 0),
                 API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(with_condition("{\"Null\":{\"k\":\"true\"}}", "k", NULL, 0), API_POLICY_ALLOW);
    CHECK_INT_EQ(with_condition("{\"Null\":{\"k\":true}}", "k", guest, 1),
                 API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(with_condition("{\"Null\":{\"k\":\"false\"}}", "k", guest, 1), API_POLICY_ALLOW);

    /* multivalued amr */
    CHECK_INT_EQ(with_condition("{\"ForAnyValue:StringLike\":{\"k\":\"graph.*\"}}", "k", auth, 2),
                 API_POLICY_ALLOW);
    CHECK_INT_EQ(with_condition("{\"ForAllValues:StringLike\":{\"k\":\"graph.*\"}}", "k", auth, 2),
                 API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(with_condition("{\"ForAllValues:StringLike\":{\"k\":[\"graph.*\","
                                "\"authenticated\"]}}",
                                "k", auth, 2),
                 API_POLICY_ALLOW);
    CHECK_INT_EQ(
        with_condition("{\"ForAnyValue:StringNotEquals\":{\"k\":\"authenticated\"}}", "k", auth, 2),
        API_POLICY_ALLOW);
    CHECK_INT_EQ(with_condition("{\"StringNotEquals\":{\"k\":\"authenticated\"}}", "k", auth, 2),
                 API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(with_condition("{\"StringEquals\":{\"k\":\"authenticated\"}}", "k", auth, 2),
                 API_POLICY_ALLOW);

    /* case rules */
    CHECK_INT_EQ(with_condition("{\"StringEquals\":{\"k\":\"authenticated\"}}", "k", upper, 1),
                 API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(
        with_condition("{\"StringEqualsIgnoreCase\":{\"k\":\"authenticated\"}}", "k", upper, 1),
        API_POLICY_ALLOW);
    CHECK_INT_EQ(with_condition("{\"StringEquals\":{\"K\":\"unauthenticated\"}}", "k", guest, 1),
                 API_POLICY_ALLOW);
    CHECK_INT_EQ(with_condition("{\"StringLike\":{\"k\":\"un*ated\"}}", "k", guest, 1),
                 API_POLICY_ALLOW);
    CHECK_INT_EQ(with_condition("{\"StringNotLike\":{\"k\":\"un*\"}}", "k", guest, 1),
                 API_POLICY_IMPLICIT_DENY);
    CHECK_INT_EQ(
        with_condition("{\"Bool\":{\"k\":true}}", (const char *)"k", (const char *[]){"TRUE"}, 1),
        API_POLICY_ALLOW);

    /* two blocks AND, two values OR */
    CHECK_INT_EQ(with_condition("{\"StringEquals\":{\"k\":[\"a\",\"unauthenticated\"]},"
                                "\"StringLike\":{\"k\":\"*\"}}",
                                "k", guest, 1),
                 API_POLICY_ALLOW);
    CHECK_INT_EQ(with_condition("{\"StringEquals\":{\"k\":[\"a\",\"unauthenticated\"]},"
                                "\"StringLike\":{\"k\":\"z*\"}}",
                                "k", guest, 1),
                 API_POLICY_IMPLICIT_DENY);

    /* operators not evaluated here are said so, never guessed */
    CHECK_INT_EQ(with_condition("{\"NumericLessThan\":{\"k\":\"3\"}}", "k", guest, 1),
                 API_POLICY_UNKNOWN);
    CHECK_INT_EQ(with_condition("{\"ForAnyValue:Null\":{\"k\":\"true\"}}", "k", guest, 1),
                 API_POLICY_UNKNOWN);
}

static void test_unknown_and_deny_interplay(void)
{
    struct api_policy *p =
        parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\"},"
              "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Condition\":{\"DateGreaterThan\":"
              "{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}}]}");
    struct api_policy_request rq = {"s3:GetObject", NULL, NULL, NULL, NULL, 0};
    struct api_policy_result r;

    CHECK_INT_EQ(api_policy_evaluate(p, &rq, &r), API_POLICY_UNKNOWN);
    CHECK_INT_EQ(r.statement, 1);
    CHECK(strstr(r.why, "DateGreaterThan") != NULL);
    api_policy_free(p);
}

static void expect_error(const char *doc, const char *needle)
{
    struct api_error err;
    struct api_policy *p = api_policy_parse(doc, strlen(doc), &err);

    CHECK(p == NULL);
    CHECK_INT_EQ(err.kind, API_ERR_INVALID_INPUT);
    if (!strstr(err.message, needle)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.message, needle);
        CHECK(strstr(err.message, needle) != NULL);
    }
    api_policy_free(p);
}

static void test_malformed_documents(void)
{
    expect_error("{\"Statement\":[", "not JSON");
    expect_error("not json", "not JSON");
    expect_error("[1,2]", "must be a JSON object");
    expect_error("{\"Version\":\"2012-10-17\"}", "no Statement");
    expect_error("{\"Statement\":[{\"Action\":\"a:b\"}]}", "statement 1: no Effect");
    expect_error("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\"},"
                 "{\"Sid\":\"Two\",\"Effect\":\"allow\",\"Action\":\"a:b\"}]}",
                 "statement 2 (Sid \"Two\"): Effect must be Allow or Deny");
    expect_error("{\"Statement\":{\"Effect\":\"Allow\"}}", "exactly one of Action and NotAction");
    expect_error("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a\",\"NotAction\":\"b\"}}",
                 "exactly one of Action and NotAction");
    expect_error("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":7}}",
                 "Action must be a string or a list of strings");
    expect_error("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a\",\"Principal\":\"me\"}}",
                 "Principal must be");
    expect_error("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a\",\"Condition\":"
                 "{\"StringEquals\":{\"k\":{\"x\":1}}}}}",
                 "values must be");
    expect_error("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a\"}} trailing",
                 "text after its JSON");
    expect_error("", "empty");

    /* nesting deeper than json-c's limit we set */
    char deep[200] = "{\"Statement\":";
    for (int i = 0; i < 40; i++)
        strcat(deep, "[");
    for (int i = 0; i < 40; i++)
        strcat(deep, "]");
    strcat(deep, "}");
    expect_error(deep, "too deep");
}

static void test_ten_thousand_statements(void)
{
    size_t n = 10000, cap = n * 80 + 64, len = 0;
    char *doc = malloc(cap);
    struct api_policy_result r;

    len += (size_t)snprintf(doc + len, cap - len, "{\"Statement\":[");
    for (size_t i = 0; i < n; i++)
        len +=
            (size_t)snprintf(doc + len, cap - len,
                             "%s{\"Effect\":\"Allow\",\"Action\":\"svc%zu:Get\"}", i ? "," : "", i);
    snprintf(doc + len, cap - len, "]}");
    struct api_policy *p = parse(doc);
    CHECK(p != NULL);
    CHECK_INT_EQ(api_policy_count(p), n);
    struct api_policy_request rq = {"svc9999:Get", NULL, NULL, NULL, NULL, 0};
    CHECK_INT_EQ(api_policy_evaluate(p, &rq, &r), API_POLICY_ALLOW);
    CHECK_INT_EQ(r.statement, 9999);
    rq.action = "svc10000:Get";
    CHECK_INT_EQ(api_policy_evaluate(p, &rq, &r), API_POLICY_IMPLICIT_DENY);
    api_policy_free(p);
    free(doc);
}

static void test_hostile_values(void)
{
    /* control characters, very long strings and pathological wildcards */
    size_t big = 100000;
    char *doc = malloc(big + 256), *star = malloc(big / 2 + 1);
    memset(star, '*', big / 2);
    star[big / 2] = '\0';
    snprintf(doc, big + 256,
             "{\"Statement\":[{\"Sid\":\"\\u001b[31m\",\"Effect\":\"Allow\",\"Action\":\"%s\"}]}",
             star);
    struct api_policy *p = parse(doc);
    struct api_policy_result r;
    struct api_policy_request rq = {
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", NULL, NULL, NULL, NULL, 0};
    CHECK(p != NULL);
    CHECK_INT_EQ(api_policy_evaluate(p, &rq, &r), API_POLICY_ALLOW);
    api_policy_free(p);
    free(doc);
    free(star);
    CHECK(!api_policy_glob_match("a*a*a*a*a*a*a*a*c", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", false));
}

static void test_glob_helpers(void)
{
    CHECK(api_policy_glob_match("s3:Get*", "s3:GetObject", false));
    CHECK(api_policy_glob_match("S3:get*", "s3:GetObject", true));
    CHECK(!api_policy_glob_match("S3:get*", "s3:GetObject", false));
    CHECK(api_policy_glob_match("a?c", "abc", false));
    CHECK(!api_policy_glob_match("a?c", "ac", false));

    CHECK(api_policy_globs_overlap("*", "geo:GetMap*", true));
    CHECK(api_policy_globs_overlap("geo:*", "geo:*Geofence", true));
    CHECK(api_policy_globs_overlap("s3:Put*", "s3:*Object", true));
    CHECK(!api_policy_globs_overlap("iam:*", "s3:*", true));
    CHECK(!api_policy_globs_overlap("kms:Encrypt", "kms:Decrypt", true));
    CHECK(api_policy_globs_overlap("KMS:encrypt", "kms:Encrypt", true));
    CHECK(api_policy_globs_overlap("a?c", "*b*", false));

    CHECK(api_policy_glob_covers("s3:*", "s3:Get*", true));
    CHECK(api_policy_glob_covers("*", "anything:*", true));
    CHECK(!api_policy_glob_covers("s3:Get*", "s3:*", true));
    CHECK(api_policy_glob_covers("s3:GetObject", "s3:getobject", true));
    CHECK(!api_policy_glob_covers("s3:GetObject?", "s3:GetObject*", true));
}

int main(void)
{
    RUN(test_guide_trust_policy);
    RUN(test_statement_object_and_principal_forms);
    RUN(test_explicit_deny_wins);
    RUN(test_not_action_and_not_resource);
    RUN(test_condition_operators);
    RUN(test_unknown_and_deny_interplay);
    RUN(test_malformed_documents);
    RUN(test_ten_thousand_statements);
    RUN(test_hostile_values);
    RUN(test_glob_helpers);
    return check_finish();
}
