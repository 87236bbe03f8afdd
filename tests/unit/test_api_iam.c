/* The IAM read client (api/iam.h) over the query path (api/query.h),
 * against tests/api/fake_server.py: the wire form, signing for the
 * partition's global Region with service `iam`, pagination by Marker,
 * retries of throttling and 5xx, errors as IAM sends them, hostile answers,
 * the read-only guard, the endpoint override chain. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/credentials.h"
#include "api/endpoint.h"
#include "api/iam.h"
#include "api/query.h"
#include "api/rate_limiter.h"
#include "tests/api/fake_server.h"
#include "tests/unit/check.h"
#include "tests/unit/test_api_credentials_env.h"

static struct fake_server fs;
static struct api_credentials_provider *creds;
static int n_sleeps;

static void no_sleep(void *ctx, long ms)
{
    (void)ctx, (void)ms;
    n_sleeps++;
}

static double half(void *ctx)
{
    (void)ctx;
    return 0.5;
}

/* A client on the fake server signing for `region`'s partition as
 * api_iam_client_new() would, with test hooks. */
static struct api_query_client *client(bool read_only)
{
    struct api_query_options o = {0};
    struct api_error err;

    o.service = &api_iam_service;
    o.endpoint_url = fs.url;
    o.region = "us-east-1";
    o.read_only = read_only;
    o.credentials = creds;
    o.sleep = no_sleep;
    o.random = half;
    struct api_query_client *qc = api_query_client_new(&o, &err);
    if (!qc)
        fprintf(stderr, "  client: %s\n", err.message);
    return qc;
}

static void script(const char *json)
{
    fake_reset(&fs);
    if (fake_script(&fs, json) != 0)
        fprintf(stderr, "  could not script the fake server\n");
}

static const char *logged_body(json_object *reqs, size_t i)
{
    json_object *r = json_object_array_get_idx(reqs, i), *b = NULL;
    return r && json_object_object_get_ex(r, "body", &b) ? json_object_get_string(b) : "";
}

#define XML_HEADERS "\"headers\": {\"Content-Type\": \"text/xml\"}"

static void test_get_role_wire_and_answer(void)
{
    struct api_query_client *qc = client(true); /* reads pass the read-only guard */
    struct api_iam_role role;
    struct api_error err;
    json_object *root;
    char h[512];

    script("[{\"status\": 200, " XML_HEADERS ", \"body\": "
           "\"<GetRoleResponse xmlns=\\\"https://iam.amazonaws.com/doc/2010-05-08/\\\">"
           "<GetRoleResult><Role><Path>/app/</Path><RoleName>guest</RoleName>"
           "<RoleId>AROA1</RoleId><Arn>arn:aws:iam::123456789012:role/app/guest</Arn>"
           "<AssumeRolePolicyDocument>%7B%22Statement%22%3A%5B%5D%7D</AssumeRolePolicyDocument>"
           "</Role></GetRoleResult><ResponseMetadata><RequestId>rid-7</RequestId>"
           "</ResponseMetadata></GetRoleResponse>\"}]");
    CHECK_INT_EQ(api_iam_get_role(qc, "guest role", &role, &err), 0);
    CHECK_STR_EQ(role.arn, "arn:aws:iam::123456789012:role/app/guest");
    CHECK_STR_EQ(role.path, "/app/");
    CHECK_STR_EQ(role.trust_policy, "{\"Statement\":[]}");
    CHECK_STR_EQ(err.request_id, "rid-7");
    api_iam_role_clear(&role);

    json_object *reqs = fake_log(&fs, &root);
    CHECK(reqs && json_object_array_length(reqs) == 1);
    CHECK_STR_EQ(logged_body(reqs, 0), "Action=GetRole&Version=2010-05-08&RoleName=guest%20role");
    CHECK_STR_EQ(fake_log_header(reqs, 0, "Content-Type", h, sizeof h),
                 "application/x-www-form-urlencoded; charset=utf-8");
    fake_log_header(reqs, 0, "Authorization", h, sizeof h);
    CHECK(strstr(h, "/us-east-1/iam/aws4_request") != NULL);
    CHECK(strstr(h, "SignedHeaders=content-type;host;x-amz-date") != NULL);
    json_object_put(root);
    api_query_client_free(qc);
}

static void test_pagination_follows_marker(void)
{
    struct api_query_client *qc = client(false);
    struct api_error err;
    char **names = NULL;
    size_t n = 0;
    json_object *root;

    script("[{\"status\": 200, \"body\": \"<ListRolePoliciesResponse><ListRolePoliciesResult>"
           "<PolicyNames><member>a</member><member>b</member></PolicyNames>"
           "<IsTruncated>true</IsTruncated><Marker>m1</Marker></ListRolePoliciesResult>"
           "</ListRolePoliciesResponse>\"},"
           "{\"status\": 200, \"body\": \"<ListRolePoliciesResponse><ListRolePoliciesResult>"
           "<PolicyNames><member>c</member></PolicyNames><IsTruncated>false</IsTruncated>"
           "</ListRolePoliciesResult></ListRolePoliciesResponse>\"}]");
    CHECK_INT_EQ(api_iam_list_role_policies(qc, "r", &names, &n, &err), 0);
    CHECK_INT_EQ(n, 3);
    if (n == 3) {
        CHECK_STR_EQ(names[0], "a");
        CHECK_STR_EQ(names[2], "c");
    }
    api_iam_strings_free(names, n);
    json_object *reqs = fake_log(&fs, &root);
    CHECK(reqs && json_object_array_length(reqs) == 2);
    CHECK(strstr(logged_body(reqs, 1), "&Marker=m1") != NULL);
    json_object_put(root);

    /* a repeated marker stops instead of looping */
    script("[{\"status\": 200, \"body\": \"<R><ListAttachedRolePoliciesResult><AttachedPolicies>"
           "<member><PolicyName>P</PolicyName><PolicyArn>arn:aws:iam::aws:policy/P</PolicyArn>"
           "</member></AttachedPolicies><IsTruncated>true</IsTruncated><Marker>same</Marker>"
           "</ListAttachedRolePoliciesResult></R>\"},"
           "{\"status\": 200, \"body\": \"<R><ListAttachedRolePoliciesResult><AttachedPolicies/>"
           "<IsTruncated>true</IsTruncated><Marker>same</Marker>"
           "</ListAttachedRolePoliciesResult></R>\"}]");
    struct api_iam_attached_policy *att = NULL;
    CHECK_INT_EQ(api_iam_list_attached_role_policies(qc, "r", &att, &n, &err), 0);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(fake_log_count(&fs), 2);
    api_iam_attached_free(att, n);
    api_query_client_free(qc);
}

static void test_managed_policy_document(void)
{
    struct api_query_client *qc = client(false);
    struct api_error err;
    char *doc = NULL;
    json_object *root;

    script("[{\"status\": 200, \"body\": \"<GetPolicyResponse><GetPolicyResult><Policy>"
           "<DefaultVersionId>v3</DefaultVersionId></Policy></GetPolicyResult>"
           "</GetPolicyResponse>\"},"
           "{\"status\": 200, \"body\": \"<GetPolicyVersionResponse><GetPolicyVersionResult>"
           "<PolicyVersion><Document>%7B%22Version%22%3A%222012-10-17%22%7D</Document>"
           "<VersionId>v3</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>"
           "</GetPolicyVersionResult></GetPolicyVersionResponse>\"}]");
    CHECK_INT_EQ(api_iam_get_policy_document(qc, "arn:aws:iam::aws:policy/P", &doc, &err), 0);
    CHECK_STR_EQ(doc, "{\"Version\":\"2012-10-17\"}");
    free(doc);
    json_object *reqs = fake_log(&fs, &root);
    CHECK(strstr(logged_body(reqs, 1),
                 "PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FP&VersionId=v3") != NULL);
    json_object_put(root);
    api_query_client_free(qc);
}

static void test_oidc_provider_audiences(void)
{
    struct api_query_client *qc = client(true);
    struct api_iam_oidc_provider p;
    struct api_error err;

    script("[{\"status\": 200, \"body\": \"<GetOpenIDConnectProviderResponse>"
           "<GetOpenIDConnectProviderResult><ClientIDList><member>app-1</member>"
           "<member>app-2</member></ClientIDList><ThumbprintList><member>abc</member>"
           "</ThumbprintList><Url>login.example.com</Url></GetOpenIDConnectProviderResult>"
           "</GetOpenIDConnectProviderResponse>\"}]");
    CHECK_INT_EQ(api_iam_get_oidc_provider(
                     qc, "arn:aws:iam::123456789012:oidc-provider/login.example.com", &p, &err),
                 0);
    CHECK_INT_EQ(p.n_client_ids, 2);
    if (p.n_client_ids == 2)
        CHECK_STR_EQ(p.client_ids[1], "app-2");
    CHECK_STR_EQ(p.url, "login.example.com");
    api_iam_oidc_provider_clear(&p);
    api_query_client_free(qc);
}

static void test_throttling_and_5xx_are_retried(void)
{
    struct api_query_client *qc = client(false);
    struct api_iam_role role;
    struct api_error err;

    n_sleeps = 0;
    script("[{\"status\": 400, \"body\": \"<ErrorResponse><Error><Type>Sender</Type>"
           "<Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
           "<RequestId>t1</RequestId></ErrorResponse>\"},"
           "{\"status\": 200, \"body\": \"<GetRoleResponse><GetRoleResult><Role>"
           "<RoleName>r</RoleName><Arn>arn:aws:iam::1:role/r</Arn>"
           "<AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument></Role>"
           "</GetRoleResult></GetRoleResponse>\"}]");
    CHECK_INT_EQ(api_iam_get_role(qc, "r", &role, &err), 0);
    CHECK_INT_EQ(fake_log_count(&fs), 2);
    CHECK_INT_EQ(n_sleeps, 1);
    api_iam_role_clear(&role);

    script("[{\"status\": 500, \"body\": \"<ErrorResponse><Error><Code>ServiceFailure</Code>"
           "<Message>boom</Message></Error></ErrorResponse>\"},"
           "{\"status\": 503, \"body\": \"<html>Service Unavailable</html>\"},"
           "{\"status\": 500, \"body\": \"<ErrorResponse><Error><Code>ServiceFailure</Code>"
           "<Message>boom</Message></Error><RequestId>r3</RequestId></ErrorResponse>\"}]");
    CHECK_INT_EQ(api_iam_get_role(qc, "r", &role, &err), -1);
    CHECK_INT_EQ(fake_log_count(&fs), 3); /* three attempts, then the error as it is */
    CHECK_INT_EQ(err.kind, API_ERR_AWS);
    CHECK_STR_EQ(err.code, "ServiceFailure");
    CHECK_INT_EQ(err.http_status, 500);
    CHECK(err.retryable);
    CHECK_STR_EQ(err.request_id, "r3");
    CHECK_STR_EQ(err.message, "IAM GetRole: boom");
    api_query_client_free(qc);
}

/* The fake monotonic clock of the limiter; the sleep hook advances it. */
static double fake_mono;
static long slept_ms;

static void mono_sleep(void *ctx, long ms)
{
    (void)ctx;
    fake_mono += ms / 1000.0;
    slept_ms += ms;
}

static double mono(void *ctx)
{
    (void)ctx;
    return fake_mono;
}

#define THROTTLE_XML                                                                               \
    "{\"status\": 400, \"body\": \"<ErrorResponse><Error><Type>Sender</Type>"                      \
    "<Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>\"}"
#define ROLE_XML                                                                                   \
    "{\"status\": 200, \"body\": \"<GetRoleResponse><GetRoleResult><Role>"                         \
    "<RoleName>r</RoleName><Arn>arn:aws:iam::1:role/r</Arn>"                                       \
    "<AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument></Role>"                           \
    "</GetRoleResult></GetRoleResponse>\"}"

/* Adaptive mode on the query path: every attempt takes a token and every
 * answer is recorded, IAM's Throttling as a throttle; after it the limiter
 * paces the next attempts (a wait slept on the limiter's clock). */
static void test_rate_limiter_paces_and_learns(void)
{
    struct api_query_options o = {0};
    struct api_error err;
    struct api_iam_role role;
    struct api_rate_stats st;

    o.service = &api_iam_service;
    o.endpoint_url = fs.url;
    o.region = "us-east-1";
    o.credentials = creds;
    o.sleep = mono_sleep;
    o.random = half;
    o.monotonic = mono;
    struct api_query_client *qc = api_query_client_new(&o, &err);
    struct api_rate_limiter *lim = api_rate_limiter_new(NULL);
    CHECK(qc && lim);
    api_query_set_rate_limiter(qc, lim);
    fake_mono = 100;
    slept_ms = 0;
    script("[" THROTTLE_XML "," ROLE_XML "," ROLE_XML "," ROLE_XML "," ROLE_XML "]");
    CHECK_INT_EQ(api_iam_get_role(qc, "r", &role, &err), 0);
    api_iam_role_clear(&role);
    api_rate_limiter_stats(lim, "GetRole", &st);
    CHECK_INT_EQ((int)st.sent, 2);
    CHECK_INT_EQ((int)st.throttled, 1);
    CHECK(st.limiting);
    long before = slept_ms;
    for (int i = 0; i < 3; i++) {
        CHECK_INT_EQ(api_iam_get_role(qc, "r", &role, &err), 0);
        api_iam_role_clear(&role);
    }
    api_rate_limiter_stats(lim, "GetRole", &st);
    CHECK_INT_EQ((int)st.sent, 5);
    CHECK_INT_EQ((int)st.throttled, 1);
    CHECK(slept_ms > before); /* paced: the calls waited for their tokens */
    CHECK_INT_EQ(fake_log_count(&fs), 5);

    /* back to none (standard mode): nothing more is recorded in it */
    api_query_set_rate_limiter(qc, NULL);
    script("[" ROLE_XML "]");
    CHECK_INT_EQ(api_iam_get_role(qc, "r", &role, &err), 0);
    api_iam_role_clear(&role);
    api_rate_limiter_stats(lim, "GetRole", &st);
    CHECK_INT_EQ((int)st.sent, 5);
    api_query_client_free(qc);
    api_rate_limiter_free(lim);
}

static void test_errors_are_not_retried(void)
{
    struct api_query_client *qc = client(false);
    struct api_iam_role role;
    struct api_error err;

    script("[{\"status\": 404, \"body\": \"<ErrorResponse><Error><Type>Sender</Type>"
           "<Code>NoSuchEntity</Code><Message>The role with name gone cannot be found."
           "</Message></Error><RequestId>n1</RequestId></ErrorResponse>\"}]");
    CHECK_INT_EQ(api_iam_get_role(qc, "gone", &role, &err), -1);
    CHECK_STR_EQ(err.code, "NoSuchEntity");
    CHECK_INT_EQ(err.http_status, 404);
    CHECK_INT_EQ(fake_log_count(&fs), 1);

    script("[{\"status\": 403, \"body\": \"<ErrorResponse><Error><Code>AccessDenied</Code>"
           "<Message>User: arn:aws:iam::1:user/a is not authorized to perform: iam:GetRole"
           "</Message></Error></ErrorResponse>\"}]");
    CHECK_INT_EQ(api_iam_get_role(qc, "x", &role, &err), -1);
    CHECK_STR_EQ(err.code, "AccessDenied");
    CHECK(!err.retryable);
    CHECK_INT_EQ(fake_log_count(&fs), 1);
    api_query_client_free(qc);
}

static void test_hostile_answers(void)
{
    struct api_query_client *qc = client(false);
    struct api_iam_role role;
    struct api_error err;
    const char *answers[] = {
        /* truncated */
        "[{\"status\": 200, \"body\": \"<GetRoleResponse><GetRoleResult><Role><RoleName>x\"}]",
        /* entity expansion */
        "[{\"status\": 200, \"body\": \"<!DOCTYPE a [<!ENTITY b \\\"bbbb\\\">]><a>&b;</a>\"}]",
        /* well-formed but not a GetRole answer */
        "[{\"status\": 200, \"body\": \"<Other/>\"}]",
        /* a trust policy that is not URL-encoded as IAM sends it */
        "[{\"status\": 200, \"body\": \"<GetRoleResponse><GetRoleResult><Role>"
        "<RoleName>r</RoleName><Arn>a</Arn><AssumeRolePolicyDocument>%7G</AssumeRolePolicyDocument>"
        "</Role></GetRoleResult></GetRoleResponse>\"}]",
        /* an error status with no error document */
        "[{\"status\": 403, \"body\": \"<html><body>Forbidden</body></html>\"}]",
        /* a 2xx that is no XML */
        "[{\"status\": 200, \"body\": \"\"}]",
    };
    const char *expect[] = {"malformed XML",   "DTD",      "no Role element",
                            "not URL-encoded", "HTTP 403", "empty"};
    for (size_t i = 0; i < sizeof answers / sizeof *answers; i++) {
        script(answers[i]);
        CHECK_INT_EQ(api_iam_get_role(qc, "r", &role, &err), -1);
        CHECK_INT_EQ(err.kind, API_ERR_HTTP);
        if (!strstr(err.message, expect[i])) {
            fprintf(stderr, "  answer %zu: \"%s\" lacks \"%s\"\n", i, err.message, expect[i]);
            CHECK(strstr(err.message, expect[i]) != NULL);
        }
        CHECK(role.arn == NULL);
    }
    api_query_client_free(qc);
}

static void test_read_only_guard(void)
{
    static const struct api_query_action actions[] = {{"GetRole", true, false},
                                                      {"DeleteRole", false, false}};
    static const struct api_query_service svc = {"IAM", "iam", "2010-05-08", actions, 2};
    struct api_error err;

    /* every IAM action of the table is a listed read */
    for (size_t i = 0; i < api_iam_service.n_actions; i++) {
        CHECK(api_iam_service.actions[i].pure_read);
        CHECK_INT_EQ(api_query_check(&api_iam_service, true, api_iam_service.actions[i].name, &err),
                     0);
    }
    CHECK_INT_EQ(api_iam_service.n_actions, 7);
    CHECK_INT_EQ(api_query_check(&api_iam_service, true, "DeleteRole", &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_INVALID_INPUT);
    CHECK_INT_EQ(api_query_check(&svc, true, "DeleteRole", &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_READ_ONLY);
    CHECK_INT_EQ(api_query_check(&svc, false, "DeleteRole", &err), 0);

    /* refused before anything is sent */
    struct api_query_options o = {0};
    o.service = &svc;
    o.endpoint_url = fs.url;
    o.region = "us-east-1";
    o.read_only = true;
    o.credentials = creds;
    struct api_query_client *qc = api_query_client_new(&o, &err);
    struct xml_node *doc = NULL;
    struct api_query_param p[] = {{"RoleName", "r"}};
    fake_reset(&fs);
    CHECK_INT_EQ(api_query_call(qc, "DeleteRole", p, 1, &doc, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_READ_ONLY);
    CHECK_INT_EQ(fake_log_count(&fs), 0);
    api_query_client_free(qc);
}

static void test_endpoint_chain_and_signing_region(void)
{
    struct api_config cfg = {0};
    struct api_error err;
    struct aws_files files;
    char *url = NULL;

    tenv_reset();
    unsetenv("AWS_ENDPOINT_URL_IAM");
    CHECK_INT_EQ(
        api_endpoint_resolve(&api_endpoint_iam, NULL, "default", NULL, "eu-west-3", &url, &err), 0);
    CHECK_STR_EQ(url, "https://iam.amazonaws.com");
    free(url);
    CHECK_INT_EQ(api_endpoint_resolve(&api_endpoint_iam, NULL, "default", NULL, "cn-northwest-1",
                                      &url, &err),
                 0);
    CHECK_STR_EQ(url, "https://iam.cn-north-1.amazonaws.com.cn");
    free(url);
    tenv_write(".aws/config", "[default]\nregion = eu-west-1\nservices = s\n"
                              "[services s]\niam =\n  endpoint_url = http://127.0.0.1:1/iam\n");
    CHECK_INT_EQ(aws_files_load(&files, &err), 0);
    CHECK_INT_EQ(
        api_endpoint_resolve(&api_endpoint_iam, &files, "default", NULL, "eu-west-1", &url, &err),
        0);
    CHECK_STR_EQ(url, "http://127.0.0.1:1/iam");
    free(url);
    setenv("AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:2", 1);
    CHECK_INT_EQ(
        api_endpoint_resolve(&api_endpoint_iam, &files, "default", NULL, "eu-west-1", &url, &err),
        0);
    CHECK_STR_EQ(url, "http://127.0.0.1:2");
    free(url);
    aws_files_free(&files);

    /* the client signs for the partition's global Region, whatever the pool's */
    setenv("AWS_ENDPOINT_URL_IAM", fs.url, 1);
    cfg.profile = (char *)"default";
    cfg.region = (char *)"eu-west-1";
    cfg.credentials = creds;
    struct api_query_client *qc = api_iam_client_new(&cfg, "us-gov-east-1", &err);
    CHECK(qc != NULL);
    struct api_iam_role role;
    json_object *root;
    char h[512];
    script("[{\"status\": 404, \"body\": \"<ErrorResponse><Error><Code>NoSuchEntity</Code>"
           "</Error></ErrorResponse>\"}]");
    if (qc)
        api_iam_get_role(qc, "r", &role, &err);
    json_object *reqs = fake_log(&fs, &root);
    fake_log_header(reqs, 0, "Authorization", h, sizeof h);
    CHECK(strstr(h, "/us-gov-west-1/iam/aws4_request") != NULL);
    json_object_put(root);
    api_query_client_free(qc);
    unsetenv("AWS_ENDPOINT_URL_IAM");
}

static void test_url_decode(void)
{
    char *s = api_iam_url_decode("%7B%22a%22%3A%20%22b+c%22%7D");
    CHECK_STR_EQ(s, "{\"a\": \"b+c\"}");
    free(s);
    CHECK(api_iam_url_decode("%") == NULL);
    CHECK(api_iam_url_decode("%4") == NULL);
    CHECK(api_iam_url_decode("%zz") == NULL);
    CHECK(api_iam_url_decode("a%00b") == NULL);
}

int main(void)
{
    struct api_credentials c = {(char *)"AKIDEXAMPLE", (char *)"secret", NULL, 0};
    struct api_error err;

    if (fake_start(&fs) != 0) {
        printf("not ok - fake_server: could not start\n");
        return 1;
    }
    creds = api_credentials_static_new(&c, "test", &err);
    RUN(test_get_role_wire_and_answer);
    RUN(test_pagination_follows_marker);
    RUN(test_managed_policy_document);
    RUN(test_oidc_provider_audiences);
    RUN(test_throttling_and_5xx_are_retried);
    RUN(test_rate_limiter_paces_and_learns);
    RUN(test_errors_are_not_retried);
    RUN(test_hostile_answers);
    RUN(test_read_only_guard);
    RUN(test_endpoint_chain_and_signing_region);
    RUN(test_url_decode);
    api_credentials_provider_free(creds);
    fake_stop(&fs);
    return check_finish();
}
