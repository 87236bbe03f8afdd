/* tests/unit/test_api_protocol.c — AWS JSON 1.1 (api/protocol.c): request
 * bodies, and every answer shape of DESIGN.md "protocol": success, empty
 * success, null members, truncated, not JSON, too deep, HTML 5xx page, 403
 * XML, error codes from the header or the body, messages, request ids. */
#include <stdlib.h>
#include <string.h>

#include "api/operations.h"
#include "api/protocol.h"
#include "tests/unit/check.h"

static int rc_;
#define EXPECT(want, call)                                                                         \
    do {                                                                                           \
        rc_ = (call);                                                                              \
        CHECK_INT_EQ(rc_, want);                                                                   \
    } while (0)

static const struct api_operation *op(const char *name)
{
    return api_operation_find(name);
}

/* A response with the given status, body and up to 3 headers (name, value pairs). */
struct fake_resp {
    struct api_http_response r;
    struct api_http_response_header h[3];
};

static void make(struct fake_resp *f, long status, const char *body, const char *h1, const char *v1,
                 const char *h2, const char *v2)
{
    memset(f, 0, sizeof *f);
    f->r.status = status;
    f->r.body = (char *)body;
    f->r.body_len = body ? strlen(body) : 0;
    f->r.headers = f->h;
    if (h1) {
        f->h[f->r.n_headers].name = (char *)h1;
        f->h[f->r.n_headers++].value = (char *)v1;
    }
    if (h2) {
        f->h[f->r.n_headers].name = (char *)h2;
        f->h[f->r.n_headers++].value = (char *)v2;
    }
}

static int parse(const char *opname, long status, const char *body, const char *h1, const char *v1,
                 const char *h2, const char *v2, json_object **out, char *rid,
                 struct api_error *err)
{
    struct fake_resp f;
    make(&f, status, body, h1, v1, h2, v2);
    api_error_clear(err);
    return api_protocol_parse_response(op(opname), &f.r, out, rid, 128, err);
}

static void test_request_body_and_target(void)
{
    char *body;
    size_t len;
    char target[128];
    struct api_error err;
    json_object *in;

    CHECK_INT_EQ(api_protocol_body(op("ListIdentityPools"), NULL, 0, &body, &len, &err), 0);
    CHECK_STR_EQ(body, "{}");
    CHECK_INT_EQ(len, 2);
    free(body);

    in = json_tokener_parse("{\"IdentityPoolId\":\"us-east-1:ab\",\"Logins\":{\"graph.facebook"
                            ".com\":\"SECRET-TOKEN\",\"x\":null},\"AccountId\":null}");
    CHECK_INT_EQ(api_protocol_body(op("GetId"), in, 0, &body, &len, &err), 0);
    /* Null members are absent on the wire; slashes are not escaped. */
    CHECK_STR_EQ(body, "{\"IdentityPoolId\":\"us-east-1:ab\",\"Logins\":{\"graph.facebook.com\":"
                       "\"SECRET-TOKEN\"}}");
    CHECK_INT_EQ(len, strlen(body));
    free(body);
    CHECK_INT_EQ(api_protocol_body(op("GetId"), in, 1, &body, &len, &err), 0);
    CHECK(strstr(body, "SECRET-TOKEN") == NULL);
    CHECK(strstr(body, "\"graph.facebook.com\":\"***REDACTED***\"") != NULL);
    CHECK(strstr(body, "us-east-1:ab") != NULL);
    free(body);
    /* The input itself is untouched. */
    json_object *x;
    CHECK(json_object_object_get_ex(in, "AccountId", &x) && x == NULL);
    json_object_put(in);

    CHECK_INT_EQ(api_protocol_target(op("GetIdentityPoolRoles"), target, sizeof target), 0);
    CHECK_STR_EQ(target, "AWSCognitoIdentityService.GetIdentityPoolRoles");
    CHECK_INT_EQ(api_protocol_target(op("GetIdentityPoolRoles"), target, 10), -1);
}

static void test_success_shapes(void)
{
    json_object *out, *v;
    char rid[128];
    struct api_error err;

    EXPECT(0, parse("ListIdentityPools", 200,
                    "{\"IdentityPools\":[{\"IdentityPoolId\":\"a:1\",\"IdentityPoolName\":"
                    "null}],\"NextToken\":null}",
                    "x-amzn-RequestId", "rid-1", NULL, NULL, &out, rid, &err));
    CHECK_STR_EQ(rid, "rid-1");
    CHECK(out != NULL);
    /* null means absent, at every level */
    CHECK(!json_object_object_get_ex(out, "NextToken", &v));
    v = json_object_array_get_idx(json_object_object_get(out, "IdentityPools"), 0);
    CHECK(v && !json_object_object_get_ex(v, "IdentityPoolName", NULL));
    CHECK(v && json_object_object_get_ex(v, "IdentityPoolId", NULL));
    json_object_put(out);

    /* Empty 2xx: success for an operation without output, and for an empty output shape. */
    EXPECT(0, parse("DeleteIdentityPool", 200, "", NULL, NULL, NULL, NULL, &out, rid, &err));
    CHECK(out && json_object_object_length(out) == 0);
    json_object_put(out);
    EXPECT(0, parse("TagResource", 200, NULL, NULL, NULL, NULL, NULL, &out, rid, &err));
    CHECK(out && json_object_object_length(out) == 0);
    json_object_put(out);
    EXPECT(0, parse("SetIdentityPoolRoles", 204, "  \n", NULL, NULL, NULL, NULL, &out, rid, &err));
    json_object_put(out);
    /* ... but not where an answer is due. */
    EXPECT(-1, parse("DescribeIdentityPool", 200, "", "x-amzn-RequestId", "rid-2", NULL, NULL, &out,
                     rid, &err));
    CHECK(out == NULL);
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK_INT_EQ(err.http_status, 200);
    CHECK_STR_EQ(err.request_id, "rid-2");
    CHECK(strstr(err.message, "empty body") != NULL);
    CHECK(strstr(err.message, "DescribeIdentityPool") != NULL);
}

static void test_bad_success_bodies(void)
{
    json_object *out;
    char rid[128];
    struct api_error err;

    /* Truncated (the emulator's "truncate" fault, a cut connection). */
    EXPECT(-1, parse("ListIdentityPools", 200, "{\"IdentityPools\": [{\"IdentityPoolId\": ", NULL,
                     NULL, NULL, NULL, &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK_INT_EQ(err.http_status, 200);
    CHECK(strstr(err.message, "truncated JSON") != NULL);
    /* Not JSON. */
    EXPECT(-1, parse("ListIdentityPools", 200, "hello\x1b[31m", NULL, NULL, NULL, NULL, &out, rid,
                     &err));
    CHECK(strstr(err.message, "not JSON") != NULL);
    CHECK(strchr(err.message, '\x1b') == NULL);
    /* Trailing garbage after a complete object. */
    EXPECT(-1, parse("ListIdentityPools", 200, "{} x", NULL, NULL, NULL, NULL, &out, rid, &err));
    CHECK(strstr(err.message, "not JSON") != NULL);
    /* JSON, but not an object. */
    EXPECT(-1, parse("ListIdentityPools", 200, "[]", NULL, NULL, NULL, NULL, &out, rid, &err));
    CHECK(strstr(err.message, "not an object") != NULL);
    EXPECT(-1, parse("ListIdentityPools", 200, "42", NULL, NULL, NULL, NULL, &out, rid, &err));
    CHECK(strstr(err.message, "not an object") != NULL);
    /* An HTML page with a 200. */
    EXPECT(-1, parse("ListIdentityPools", 200, "<html><title>Login</title></html>", NULL, NULL,
                     NULL, NULL, &out, rid, &err));
    CHECK(strstr(err.message, "HTML page (\"Login\")") != NULL);
    CHECK(out == NULL);
}

static void test_depth_bound_from_the_model(void)
{
    json_object *out;
    char rid[128];
    struct api_error err;
    /* GetIdentityPoolRoles: RoleMappings → map value → RulesConfiguration → Rules → rule: 6. */
    const char *six = "{\"RoleMappings\":{\"p\":{\"RulesConfiguration\":{\"Rules\":[{\"Claim\":"
                      "\"c\"}]}}}}";
    const char *seven = "{\"RoleMappings\":{\"p\":{\"RulesConfiguration\":{\"Rules\":[{\"Claim\":"
                        "[\"c\"]}]}}}}";

    EXPECT(0, parse("GetIdentityPoolRoles", 200, six, NULL, NULL, NULL, NULL, &out, rid, &err));
    json_object_put(out);
    EXPECT(-1, parse("GetIdentityPoolRoles", 200, seven, NULL, NULL, NULL, NULL, &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK(strstr(err.message, "nested deeper than the model allows") != NULL);
    /* DescribeIdentity allows 2: {"Logins": [...]} but not objects inside. */
    EXPECT(0, parse("DescribeIdentity", 200, "{\"Logins\":[\"a\"]}", NULL, NULL, NULL, NULL, &out,
                    rid, &err));
    json_object_put(out);
    EXPECT(-1, parse("DescribeIdentity", 200, "{\"Logins\":[{\"a\":1}]}", NULL, NULL, NULL, NULL,
                     &out, rid, &err));
    /* Thousands of levels: refused early, no stack exhaustion. */
    size_t n = 200000;
    char *deep = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        deep[i] = i % 2 ? '[' : '{';
    deep[0] = '[';
    deep[n] = '\0';
    EXPECT(-1, parse("ListIdentityPools", 200, deep, NULL, NULL, NULL, NULL, &out, rid, &err));
    EXPECT(-1, parse("ListIdentityPools", 500, deep, NULL, NULL, NULL, NULL, &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    free(deep);
}

static void test_error_code_sources(void)
{
    json_object *out;
    char rid[128];
    struct api_error err;

    /* Header, with the text after ':' dropped; it wins over the body. */
    EXPECT(-1, parse("DescribeIdentityPool", 400,
                     "{\"__type\":\"Other\",\"message\":\"Pool not found\"}", "x-amzn-ErrorType",
                     "ResourceNotFoundException:http://internal.amazon.com/coral/"
                     "com.amazonaws.cognito.identity/",
                     "x-amzn-RequestId", "req-9", &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_AWS);
    CHECK_STR_EQ(err.code, "ResourceNotFoundException");
    CHECK_STR_EQ(err.message, "Pool not found");
    CHECK_INT_EQ(err.http_status, 400);
    CHECK_STR_EQ(err.request_id, "req-9");
    CHECK(!err.retryable);
    CHECK(out == NULL);

    /* Body __type with a namespace before '#'. */
    EXPECT(-1, parse("DescribeIdentityPool", 400,
                     "{\"__type\":\"com.amazonaws.cognito.identity.model#NotAuthorizedException\","
                     "\"Message\":\"Not allowed\"}",
                     NULL, NULL, NULL, NULL, &out, rid, &err));
    CHECK_STR_EQ(err.code, "NotAuthorizedException");
    CHECK_STR_EQ(err.message, "Not allowed");

    /* Body "code", and both rules together: namespace#Code:detail. */
    EXPECT(-1, parse("DescribeIdentityPool", 400,
                     "{\"code\":\"aws.protocoltests#FooError:http://x/y\",\"message\":\"m\"}", NULL,
                     NULL, NULL, NULL, &out, rid, &err));
    CHECK_STR_EQ(err.code, "FooError");
    /* Code without message. */
    EXPECT(-1, parse("DescribeIdentityPool", 400, "{\"__type\":\"ThrottlingException\"}", NULL,
                     NULL, NULL, NULL, &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_AWS);
    CHECK_STR_EQ(err.code, "ThrottlingException");
    CHECK(strstr(err.message, "no message") != NULL);
    /* Header code with an empty body (a well-formed error, still AWS). */
    EXPECT(-1, parse("DescribeIdentityPool", 500, "", "X-Amzn-ErrorType",
                     "InternalErrorException:", NULL, NULL, &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_AWS);
    CHECK_STR_EQ(err.code, "InternalErrorException");
    CHECK_INT_EQ(err.http_status, 500);
    /* Messages with control characters and newlines become one printable line. */
    EXPECT(-1, parse("DescribeIdentityPool", 400,
                     "{\"__type\":\"X\",\"message\":\"line1\\nline2\\u001b[2J\\u202eevil\"}", NULL,
                     NULL, NULL, NULL, &out, rid, &err));
    CHECK_STR_EQ(err.message, "line1 line2?[2J?evil");
    char buf[64];
    api_protocol_clean_code("  a.b#Code:xyz ", buf, sizeof buf);
    CHECK_STR_EQ(buf, "Code");
    api_protocol_clean_code("", buf, sizeof buf);
    CHECK_STR_EQ(buf, "");
    api_protocol_clean_code(NULL, buf, sizeof buf);
    CHECK_STR_EQ(buf, "");
}

static void test_error_pages_that_are_not_aws_errors(void)
{
    json_object *out;
    char rid[128];
    struct api_error err;
    char line[1200];

    /* A load balancer's HTML 502. */
    EXPECT(-1, parse("ListIdentityPools", 502,
                     "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>"
                     "<h1>502 Bad Gateway</h1></body></html>",
                     "Content-Type", "text/html", NULL, NULL, &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK_INT_EQ(err.http_status, 502);
    CHECK(strstr(err.message, "HTML page (\"502 Bad Gateway\")") != NULL);
    api_error_format(&err, line, sizeof line);
    CHECK(strncmp(line, "HTTP: HTTP 502: ", 16) == 0);

    /* A proxy's 403 XML (the emulator's xml403 fault) ... */
    EXPECT(-1, parse("ListIdentityPools", 403,
                     "<AccessDeniedException><Message>Access denied by policy</Message>"
                     "</AccessDeniedException>",
                     "Content-Type", "text/xml", NULL, NULL, &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK_INT_EQ(err.http_status, 403);
    CHECK(strstr(err.message, "XML answer (AccessDeniedException: Access denied by policy)") !=
          NULL);
    /* ... and AWS's query-protocol XML error. */
    EXPECT(-1, parse("ListIdentityPools", 403,
                     "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"x\"><Error><Type>Sender"
                     "</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we "
                     "calculated does not match</Message></Error><RequestId>r</RequestId>"
                     "</ErrorResponse>",
                     NULL, NULL, NULL, NULL, &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK_STR_EQ(err.code, "SignatureDoesNotMatch");
    CHECK(strstr(err.message, "SignatureDoesNotMatch: The request signature") != NULL);
    /* Empty 503 (the emulator's 5xx:503). */
    EXPECT(-1, parse("ListIdentityPools", 503, "", NULL, NULL, NULL, NULL, &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK_INT_EQ(err.http_status, 503);
    CHECK(strstr(err.message, "empty body") != NULL);
    /* JSON without a code. */
    EXPECT(-1, parse("ListIdentityPools", 400, "{\"message\":\"what\"}", NULL, NULL, NULL, NULL,
                     &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK(strstr(err.message, "without an error code") != NULL);
    /* Truncated error JSON. */
    EXPECT(-1, parse("ListIdentityPools", 500, "{\"__type\":\"Internal", NULL, NULL, NULL, NULL,
                     &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK(strstr(err.message, "truncated JSON") != NULL);
    /* Plain text. */
    EXPECT(-1, parse("ListIdentityPools", 429, "Too Many Requests", NULL, NULL, NULL, NULL, &out,
                     rid, &err));
    CHECK(strstr(err.message, "not JSON (\"Too Many Requests\")") != NULL);
    /* A redirect is reported, not followed. */
    EXPECT(-1, parse("ListIdentityPools", 301, "", "Location", "https://elsewhere.example/", NULL,
                     NULL, &out, rid, &err));
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK(strstr(err.message, "redirect to https://elsewhere.example/ not followed") != NULL);
}

static void test_one_line(void)
{
    char out[16];

    api_protocol_one_line("a\tb\x01\x7f", 5, out, sizeof out);
    CHECK_STR_EQ(out, "a b??");
    api_protocol_one_line("\xc2\x9b"
                          "x",
                          3, out, sizeof out); /* C1 CSI */
    CHECK_STR_EQ(out, "?x");
    api_protocol_one_line("\xff\xfe", 2, out, sizeof out);
    CHECK_STR_EQ(out, "??");
    /* Never cut a character: 5 bytes of room, "ab" + 3-byte char fits only without the char. */
    char small[5];
    api_protocol_one_line("ab\xe6\x97\xa5z", 6, small, sizeof small);
    CHECK_STR_EQ(small, "ab");
    api_protocol_one_line("abc", 3, out, 1);
    CHECK_STR_EQ(out, "");
}

int main(void)
{
    RUN(test_request_body_and_target);
    RUN(test_success_shapes);
    RUN(test_bad_success_bodies);
    RUN(test_depth_bound_from_the_model);
    RUN(test_error_code_sources);
    RUN(test_error_pages_that_are_not_aws_errors);
    RUN(test_one_line);
    return check_finish();
}
