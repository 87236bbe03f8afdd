/* Unit tests of api/sigv4: each stage and building block on its own, the
 * key cache, the wipe, and bad arguments. The whole signer is checked
 * against the published suites by sigv4-vectors and against botocore by
 * test_sigv4_botocore.py; here each rule is pinned down where it lives. */
#include "api/sigv4.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

/* AWS's documented example inputs (the suites' fixed credentials). */
#define AKID   "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define T_2015 1440938160 /* 2015-08-30T12:36:00Z */
#define DAY    86400

static struct sigv4_params base_params(void)
{
    struct sigv4_params p = {
        .access_key_id = AKID,
        .secret_access_key = SECRET,
        .region = "us-east-1",
        .service = "service",
        .time = T_2015,
        .normalize_path = true,
    };
    return p;
}

/* CHECK_STR_EQ through a function: with long string literals inline, GCC's
 * -Wformat-truncation warns about check.h's message buffer. */
static void str_eq_at(const char *got, const char *want, const char *expr, int line)
{
    if (!got || !want || strcmp(got, want) != 0) {
        char m[440];
        snprintf(m, sizeof m, "%.60s: \"%.170s\" != \"%.170s\"", expr, got ? got : "(null)",
                 want ? want : "(null)");
        check_fail(__FILE__, line, m);
    }
}
#undef CHECK_STR_EQ
#define CHECK_STR_EQ(a, b) str_eq_at((a), (b), #a, __LINE__)

static const struct sigv4_header HOST_ONLY[] = {{"Host", "example.amazonaws.com"}};

/* ---- helpers that run one building block into a fresh buffer ---- */

static char result_text[8192];

static const char *uri(const char *path, bool normalize)
{
    struct sigv4_buf b;
    sigv4_buf_init(&b);
    const char *why = NULL;
    int rc = sigv4_canonical_uri(&b, path, strlen(path), normalize, &why);
    snprintf(result_text, sizeof result_text, "%s", rc == 0 ? b.data : "(refused)");
    sigv4_buf_free(&b);
    return result_text;
}

static const char *query(const char *q)
{
    struct sigv4_buf b;
    sigv4_buf_init(&b);
    const char *why = NULL;
    int rc = sigv4_canonical_query(&b, q, strlen(q), &why);
    snprintf(result_text, sizeof result_text, "%s", rc == 0 ? b.data : "(refused)");
    sigv4_buf_free(&b);
    return result_text;
}

/* Canonical headers block, then "|", then the signed names. */
static const char *headers(const struct sigv4_header *h, size_t n)
{
    struct sigv4_buf b, names;
    sigv4_buf_init(&b);
    sigv4_buf_init(&names);
    const char *why = NULL;
    int rc = sigv4_canonical_headers(&b, &names, h, n, &why);
    snprintf(result_text, sizeof result_text, "%s|%s", rc == 0 ? b.data : "(refused)",
             rc == 0 ? names.data : why);
    sigv4_buf_free(&b);
    sigv4_buf_free(&names);
    return result_text;
}

static void hex(const unsigned char *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", in[i]);
}

/* ---- URI encoding ---- */

static void test_uri_encode_every_byte(void)
{
    for (int c = 0; c < 256; c++) {
        char in = (char)c;
        struct sigv4_buf b;
        sigv4_buf_init(&b);
        sigv4_uri_encode(&b, &in, 1, false);
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || strchr("-_.~", c) != NULL;
        char want[4];
        if (unreserved && c)
            snprintf(want, sizeof want, "%c", c);
        else
            snprintf(want, sizeof want, "%%%02X", c);
        CHECK_STR_EQ(b.data, want);
        sigv4_buf_free(&b);
    }
}

static void test_uri_encode_slash_and_utf8(void)
{
    struct sigv4_buf b;
    sigv4_buf_init(&b);
    const char *raw = "/a b/\xe1\x88\xb4";
    sigv4_uri_encode(&b, raw, strlen(raw), true);
    CHECK_STR_EQ(b.data, "/a%20b/%E1%88%B4");
    sigv4_buf_free(&b);
    sigv4_uri_encode(&b, "/a b/", 5, false);
    CHECK_STR_EQ(b.data, "%2Fa%20b%2F");
    sigv4_buf_free(&b);
}

/* ---- canonical URI ---- */

static void test_canonical_uri_normalized(void)
{
    CHECK_STR_EQ(uri("", true), "/");
    CHECK_STR_EQ(uri("/", true), "/");
    CHECK_STR_EQ(uri("//", true), "/");
    CHECK_STR_EQ(uri("/./", true), "/");
    CHECK_STR_EQ(uri("/.", true), "/");
    CHECK_STR_EQ(uri("/..", true), "/");
    CHECK_STR_EQ(uri("/../a", true), "/a");
    CHECK_STR_EQ(uri("/example/..", true), "/");
    CHECK_STR_EQ(uri("/example1/example2/../..", true), "/");
    CHECK_STR_EQ(uri("/a/b/../c", true), "/a/c");
    CHECK_STR_EQ(uri("/a/./b/", true), "/a/b/");
    CHECK_STR_EQ(uri("//example//", true), "/example/");
    CHECK_STR_EQ(uri("/a/.", true), "/a/");          /* RFC 3986: a final dot segment keeps a '/' */
    CHECK_STR_EQ(uri("/a/b/..", true), "/a/");       /* ditto */
    CHECK_STR_EQ(uri("/a..b/.x", true), "/a..b/.x"); /* dots inside names are names */
}

static void test_canonical_uri_encoding(void)
{
    CHECK_STR_EQ(uri("/example space/", true), "/example%20space/");
    CHECK_STR_EQ(uri("/\xe1\x88\xb4", true), "/%E1%88%B4");
    CHECK_STR_EQ(uri("/example/$delete", true), "/example/%24delete");
    CHECK_STR_EQ(uri("/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", true),
                 "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    /* The path is literal: a '%' is encoded again (services other than S3). */
    CHECK_STR_EQ(uri("/a%20b", true), "/a%2520b");
}

static void test_canonical_uri_unnormalized(void)
{
    CHECK_STR_EQ(uri("//example//", false), "//example//");
    CHECK_STR_EQ(uri("/./a/../b", false), "/./a/../b");
    CHECK_STR_EQ(uri("/a b", false), "/a%20b");
    CHECK_STR_EQ(uri("", false), "/");
}

static void test_canonical_uri_refuses_relative_path(void)
{
    CHECK_STR_EQ(uri("example/a", true), "(refused)");
    CHECK_STR_EQ(uri("*", false), "(refused)");
}

static void test_canonical_uri_many_segments(void)
{
    /* More segments than the on-stack array: the heap path. */
    static char path[4001];
    for (int i = 0; i < 1000; i++)
        memcpy(path + 4 * i, i % 2 ? "/../" : "/abc", 4);
    path[4000] = '\0';
    /* "/abc/../" pairs cancel out; the final "/../" leaves the root. */
    CHECK_STR_EQ(uri(path, true), "/");
    path[3999] = 'x'; /* the last "/../" becomes "/..x": a name, which keeps the "abc" before it */
    CHECK_STR_EQ(uri(path, true), "/abc/..x");
}

/* ---- canonical query ---- */

static void test_canonical_query_sorting(void)
{
    CHECK_STR_EQ(query(""), "");
    CHECK_STR_EQ(query("Param2=value2&Param1=value1"), "Param1=value1&Param2=value2");
    CHECK_STR_EQ(query("Param1=value2&Param1=Value1"), "Param1=Value1&Param1=value2");
    CHECK_STR_EQ(query("b=1&B=2"), "B=2&b=1"); /* bytewise: uppercase first */
    /* By key, then value: "a" sorts before "a-" whatever the values. */
    CHECK_STR_EQ(query("a-=1&a=2"), "a=2&a-=1");
    CHECK_STR_EQ(query("a=2&a=1&a=2"), "a=1&a=2&a=2"); /* repeats kept */
}

static void test_canonical_query_encoding(void)
{
    CHECK_STR_EQ(query("Param1"), "Param1=");
    CHECK_STR_EQ(query("Param1="), "Param1=");
    CHECK_STR_EQ(query("=v"), "=v");
    CHECK_STR_EQ(query("&&a=1&"), "a=1");
    CHECK_STR_EQ(query("\xe1\x88\xb4=bar"), "%E1%88%B4=bar");
    CHECK_STR_EQ(query("%e1%88%b4=bar"), "%E1%88%B4=bar"); /* decoded, then re-encoded */
    CHECK_STR_EQ(query("%41=%7e"), "A=~");
    CHECK_STR_EQ(query("a b=c+d"), "a%20b=c%2Bd"); /* '+' is a plus */
    CHECK_STR_EQ(query("k=a=b"), "k=a%3Db");
    CHECK_STR_EQ(query("k=%zz&j=%4"), "j=%254&k=%25zz"); /* broken escapes are literal */
    CHECK_STR_EQ(query("-._~=-._~"), "-._~=-._~");
}

static void test_canonical_query_many_params(void)
{
    /* More parameters than the on-stack array, in reverse order. */
    static char q[8000], want[8000];
    size_t n = 0, m = 0;
    for (int i = 199; i >= 0; i--)
        n += (size_t)snprintf(q + n, sizeof q - n, "%sk%03d=%d", i == 199 ? "" : "&", i, i);
    for (int i = 0; i < 200; i++)
        m += (size_t)snprintf(want + m, sizeof want - m, "%sk%03d=%d", i ? "&" : "", i, i);
    CHECK_STR_EQ(query(q), want);
}

/* ---- canonical headers ---- */

static void test_canonical_headers_rules(void)
{
    const struct sigv4_header h[] = {
        {"Host", "example.amazonaws.com"},
        {"My-Header2", "  \"a   b \t c\"  "},
        {"my-header1", "value4"},
        {"MY-HEADER1", "value1"},
        {"x-empty", "   "},
        {"My-Header1", " value3 "},
    };
    CHECK_STR_EQ(headers(h, 6), "host:example.amazonaws.com\n"
                                "my-header1:value4,value1,value3\n"
                                "my-header2:\"a b c\"\n"
                                "x-empty:\n"
                                "|host;my-header1;my-header2;x-empty");
}

static void test_canonical_headers_obs_fold(void)
{
    const struct sigv4_header lf[] = {{"My-Header1", "value1\n  value2\n     value3"}};
    CHECK_STR_EQ(headers(lf, 1), "my-header1:value1,value2,value3\n|my-header1");
    const struct sigv4_header crlf[] = {{"A", "x \r\n\ty  z"}};
    CHECK_STR_EQ(headers(crlf, 1), "a:x,y z\n|a");
}

/* The trim rule, written plainly: a reference for the signer's faster scan. */
static void reference_trim(const char *v, char *out)
{
    size_t n = 0;
    bool space = false;
    for (; *v; v++) {
        if (*v == ' ' || *v == '\t') {
            space = n > 0;
        } else {
            if (space)
                out[n++] = ' ';
            space = false;
            out[n++] = *v;
        }
    }
    out[n] = '\0';
}

static void test_canonical_headers_whitespace_at_every_offset(void)
{
    /* Spaces, tabs, UTF-8 and DEL at every offset of a value longer than
     * the signer's 8-byte scan, so each lands in every position of a word. */
    static const char *const fillers[] = {" ", "\t", "  \t ", "\xc3\xa9"};
    for (size_t f = 0; f < 4; f++) {
        for (size_t at = 0; at < 40; at++) {
            char value[64], want[128];
            memset(value, 'a', 40);
            value[40] = '\0';
            size_t fl = strlen(fillers[f]);
            memcpy(value + at, fillers[f], fl < 40 - at ? fl : 40 - at);
            char expected[64];
            reference_trim(value, expected);
            snprintf(want, sizeof want, "x:%s\n|x", expected);
            const struct sigv4_header h[] = {{"X", value}};
            CHECK_STR_EQ(headers(h, 1), want);
        }
    }
    for (size_t at = 0; at < 40; at++) {
        char value[41];
        memset(value, 'b', 40);
        value[40] = '\0';
        value[at] = 0x7f;
        const struct sigv4_header h[] = {{"X", value}};
        CHECK(strstr(headers(h, 1), "(refused)") != NULL);
    }
}

static void test_canonical_headers_unsigned_ones(void)
{
    const struct sigv4_header h[] = {{"User-Agent", "curl/8"},
                                     {"Host", "h"},
                                     {"expect", "100-continue"},
                                     {"X-Amzn-Trace-Id", "Root=1"},
                                     {"Transfer-Encoding", "chunked"}};
    CHECK_STR_EQ(headers(h, 5), "host:h\n|host");
}

static void test_canonical_headers_refuse_bad_ones(void)
{
    const struct sigv4_header space_in_name[] = {{"My Header", "v"}};
    CHECK(strstr(headers(space_in_name, 1), "(refused)") != NULL);
    const struct sigv4_header colon_in_name[] = {{"a:b", "v"}};
    CHECK(strstr(headers(colon_in_name, 1), "(refused)") != NULL);
    const struct sigv4_header empty_name[] = {{"", "v"}};
    CHECK(strstr(headers(empty_name, 1), "(refused)") != NULL);
    const struct sigv4_header bare_lf[] = {{"a", "x\ny"}};
    CHECK(strstr(headers(bare_lf, 1), "(refused)") != NULL);
    const struct sigv4_header final_lf[] = {{"a", "x\n"}};
    CHECK(strstr(headers(final_lf, 1), "(refused)") != NULL);
    const struct sigv4_header bare_cr[] = {{"a", "x\r y"}};
    CHECK(strstr(headers(bare_cr, 1), "(refused)") != NULL);
    const struct sigv4_header control[] = {{"a", "x\x01y"}};
    CHECK(strstr(headers(control, 1), "(refused)") != NULL);
    const struct sigv4_header null_value[] = {{"a", NULL}};
    CHECK(strstr(headers(null_value, 1), "(refused)") != NULL);
}

static void test_canonical_headers_many(void)
{
    /* 100 repeats of one header past the on-stack array, plus a big value. */
    struct sigv4_header h[101];
    static char big[20001];
    memset(big, 'v', 20000);
    big[20000] = '\0';
    for (int i = 0; i < 100; i++)
        h[i] = (struct sigv4_header){i % 2 ? "X-R" : "x-r", i % 2 ? "b" : "a"};
    h[100] = (struct sigv4_header){"Big", big};
    struct sigv4_buf b, names;
    sigv4_buf_init(&b);
    sigv4_buf_init(&names);
    const char *why = NULL;
    CHECK_INT_EQ(sigv4_canonical_headers(&b, &names, h, 101, &why), 0);
    CHECK_INT_EQ(b.len, strlen("big:") + 20000 + 1 + strlen("x-r:") + 199 + 1);
    CHECK(strncmp(b.data + strlen("big:") + 20001, "x-r:a,b,a,b,", 12) == 0);
    CHECK_STR_EQ(names.data, "big;x-r");
    sigv4_buf_free(&b);
    sigv4_buf_free(&names);
}

/* ---- key derivation ---- */

static void test_derive_key_known_value(void)
{
    /* AWS's documented example: IAM, us-east-1, 2012-02-15. */
    unsigned char key[32];
    char h[65];
    CHECK_INT_EQ(sigv4_derive_key(SECRET, "20120215", "us-east-1", "iam", key), 0);
    hex(key, 32, h);
    CHECK_STR_EQ(h, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    CHECK_INT_EQ(sigv4_derive_key(NULL, "20120215", "us-east-1", "iam", key), -1);
}

/* ---- the stages ---- */

static void test_stages_of_a_known_request(void)
{
    /* The suite's get-vanilla, stage by stage. */
    struct sigv4_params p = base_params();
    struct sigv4_request r = {"GET", "/", HOST_ONLY, 1, NULL, 0};
    struct sigv4_state st;
    struct sigv4_result res;
    CHECK_INT_EQ(sigv4_begin(&st, &p, &r), 0);
    CHECK_STR_EQ(st.amz_date, "20150830T123600Z");
    CHECK_STR_EQ(st.date, "20150830");
    CHECK_STR_EQ(st.payload_hash,
                 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_INT_EQ(sigv4_canonical_request(&st), 0);
    CHECK_STR_EQ(
        st.canonical_request.data,
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
        "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_INT_EQ(sigv4_string_to_sign(&st), 0);
    CHECK_STR_EQ(st.scope, "20150830/us-east-1/service/aws4_request");
    CHECK_STR_EQ(st.string_to_sign,
                 "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                 "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
    CHECK_INT_EQ(sigv4_signing_key(&st), 0);
    CHECK(!st.key_from_cache);
    CHECK_INT_EQ(sigv4_signature(&st), 0);
    CHECK_STR_EQ(st.signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    CHECK_INT_EQ(sigv4_authorization(&st, &res), 0);
    CHECK_STR_EQ(res.authorization,
                 "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                 "SignedHeaders=host;x-amz-date, "
                 "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    CHECK_STR_EQ(res.amz_date, "20150830T123600Z");
    CHECK_STR_EQ(res.content_sha256, "");
    CHECK(!res.add_security_token);
    CHECK(res.error == NULL);

    /* sigv4_end wipes what the stages made. */
    sigv4_end(&st);
    static const unsigned char zero[32];
    CHECK(memcmp(st.signing_key, zero, 32) == 0);
    CHECK_INT_EQ(st.canonical_request.len, 0);
    CHECK_STR_EQ(st.string_to_sign, "");
}

static void test_stages_out_of_order(void)
{
    struct sigv4_params p = base_params();
    struct sigv4_request r = {"GET", "/", HOST_ONLY, 1, NULL, 0};
    struct sigv4_state st;
    CHECK_INT_EQ(sigv4_begin(&st, &p, &r), 0);
    CHECK_INT_EQ(sigv4_string_to_sign(&st), -1); /* skipped the canonical request */
    CHECK(st.error != NULL);
    CHECK_INT_EQ(sigv4_canonical_request(&st), -1); /* and the failure sticks */
    sigv4_end(&st);

    /* After a failed begin, every stage fails and the end is safe. */
    struct sigv4_request no_host = {"GET", "/", NULL, 0, NULL, 0};
    struct sigv4_result res;
    CHECK_INT_EQ(sigv4_begin(&st, &p, &no_host), -1);
    CHECK_INT_EQ(sigv4_canonical_request(&st), -1);
    CHECK_INT_EQ(sigv4_authorization(&st, &res), -1);
    CHECK(res.error != NULL);
    sigv4_end(&st);
}

static int sign(const struct sigv4_params *p, const char *method, const char *target,
                const struct sigv4_header *h, size_t n, const char *body, struct sigv4_result *out)
{
    return sigv4_sign_request(p, method, target, h, n, body, body ? strlen(body) : 0, out);
}

static const char *signature_of(const struct sigv4_result *res)
{
    const char *s = strstr(res->authorization, "Signature=");
    return s ? s + strlen("Signature=") : "";
}

static void test_session_token_signed_or_omitted(void)
{
    struct sigv4_params p = base_params();
    struct sigv4_result plain, signed_token, omitted;
    CHECK_INT_EQ(sign(&p, "POST", "/", HOST_ONLY, 1, NULL, &plain), 0);
    p.session_token = "TOKEN/with+chars==";
    CHECK_INT_EQ(sign(&p, "POST", "/", HOST_ONLY, 1, NULL, &signed_token), 0);
    CHECK(
        strstr(signed_token.authorization, "SignedHeaders=host;x-amz-date;x-amz-security-token,"));
    CHECK(signed_token.add_security_token);
    CHECK(strcmp(signature_of(&signed_token), signature_of(&plain)) != 0);

    p.omit_session_token = true;
    CHECK_INT_EQ(sign(&p, "POST", "/", HOST_ONLY, 1, NULL, &omitted), 0);
    CHECK(strstr(omitted.authorization, "SignedHeaders=host;x-amz-date,"));
    CHECK(omitted.add_security_token); /* added after signing, unsigned */
    CHECK_STR_EQ(omitted.authorization, plain.authorization);

    p.session_token = ""; /* "" is no token */
    p.omit_session_token = false;
    CHECK_INT_EQ(sign(&p, "POST", "/", HOST_ONLY, 1, NULL, &omitted), 0);
    CHECK(!omitted.add_security_token);
    CHECK_STR_EQ(omitted.authorization, plain.authorization);
}

static void test_sign_body_and_payload_override(void)
{
    struct sigv4_params p = base_params();
    const struct sigv4_header h[] = {{"Host", "example.amazonaws.com"},
                                     {"Content-Type", "application/x-www-form-urlencoded"}};
    struct sigv4_result res;
    p.sign_body = true;
    CHECK_INT_EQ(sign(&p, "POST", "/", h, 2, "Param1=value1", &res), 0);
    /* printf 'Param1=value1' | sha256sum */
    CHECK_STR_EQ(res.content_sha256,
                 "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
    CHECK(strstr(res.authorization, "SignedHeaders=content-type;host;x-amz-content-sha256;"
                                    "x-amz-date,"));

    struct sigv4_request r = {"PUT", "/", h, 2, "abc", 3};
    struct sigv4_state st;
    p.payload_hash = "UNSIGNED-PAYLOAD";
    CHECK_INT_EQ(sigv4_begin(&st, &p, &r), 0);
    CHECK_INT_EQ(sigv4_canonical_request(&st), 0);
    const char *cr = st.canonical_request.data;
    CHECK(strstr(cr, "\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n") != NULL);
    CHECK(strlen(cr) > 16 && strcmp(cr + strlen(cr) - 17, "\nUNSIGNED-PAYLOAD") == 0);
    sigv4_end(&st);

    p.payload_hash = "two words";
    CHECK_INT_EQ(sign(&p, "PUT", "/", h, 2, "abc", &res), -1);
    CHECK(res.error != NULL);
}

static void test_query_and_path_reach_the_canonical_request(void)
{
    struct sigv4_params p = base_params();
    struct sigv4_request r = {"GET", "/a/../b c/?z=1&a=%2f&a", HOST_ONLY, 1, NULL, 0};
    struct sigv4_state st;
    CHECK_INT_EQ(sigv4_begin(&st, &p, &r), 0);
    CHECK_INT_EQ(sigv4_canonical_request(&st), 0);
    const char *want = "GET\n/b%20c/\na=&a=%2F&z=1\nhost:";
    CHECK(strncmp(st.canonical_request.data, want, strlen(want)) == 0);
    sigv4_end(&st);
}

/* ---- the key cache ---- */

static void test_cache_miss_then_hit(void)
{
    struct sigv4_key_cache cache = {0};
    struct sigv4_params p = base_params();
    p.cache = &cache;
    struct sigv4_request r = {"GET", "/", HOST_ONLY, 1, NULL, 0};
    struct sigv4_state st;
    struct sigv4_result first, second, uncached;

    CHECK_INT_EQ(sign(&p, "GET", "/", HOST_ONLY, 1, NULL, &first), 0);
    CHECK(cache.valid);
    CHECK_STR_EQ(cache.access_key_id, AKID);
    CHECK_STR_EQ(cache.date, "20150830");
    CHECK_STR_EQ(cache.region, "us-east-1");
    CHECK_STR_EQ(cache.service, "service");

    /* Later the same day: a hit, and the same answer as without a cache. */
    p.time = T_2015 + 3600;
    CHECK_INT_EQ(sigv4_begin(&st, &p, &r), 0);
    CHECK_INT_EQ(sigv4_canonical_request(&st), 0);
    CHECK_INT_EQ(sigv4_string_to_sign(&st), 0);
    CHECK_INT_EQ(sigv4_signing_key(&st), 0);
    CHECK(st.key_from_cache);
    CHECK(memcmp(st.signing_key, cache.key, 32) == 0);
    /* The signature reuses the cache's HMAC context, already keyed. */
    CHECK(cache.mac != NULL);
    CHECK(st.keyed_mac == cache.mac);
    CHECK_INT_EQ(sigv4_signature(&st), 0);
    sigv4_end(&st);
    p.cache = NULL;
    CHECK_INT_EQ(sign(&p, "GET", "/", HOST_ONLY, 1, NULL, &uncached), 0);
    p.cache = &cache;
    for (int i = 0; i < 3; i++) { /* the reused context gives the same answer each time */
        CHECK_INT_EQ(sign(&p, "GET", "/", HOST_ONLY, 1, NULL, &second), 0);
        CHECK_STR_EQ(second.authorization, uncached.authorization);
    }

    /* The cached key is the derived one. */
    unsigned char derived[32];
    CHECK_INT_EQ(sigv4_derive_key(SECRET, "20150830", "us-east-1", "service", derived), 0);
    CHECK(memcmp(derived, cache.key, 32) == 0);
    sigv4_key_cache_wipe(&cache);
}

/* Signs once to fill the cache with `base`, then with `changed`: must miss,
 * rekey the cache, and match a signature made without a cache. */
static void check_cache_miss(const struct sigv4_params *base, const struct sigv4_params *changed)
{
    struct sigv4_key_cache cache = {0};
    struct sigv4_params a = *base, b = *changed, fresh = *changed;
    a.cache = b.cache = &cache;
    fresh.cache = NULL;
    struct sigv4_request r = {"GET", "/", HOST_ONLY, 1, NULL, 0};
    struct sigv4_result res, want;
    struct sigv4_state st;
    CHECK_INT_EQ(sign(&a, "GET", "/", HOST_ONLY, 1, NULL, &res), 0);
    CHECK_INT_EQ(sigv4_begin(&st, &b, &r), 0);
    CHECK_INT_EQ(sigv4_canonical_request(&st), 0);
    CHECK_INT_EQ(sigv4_string_to_sign(&st), 0);
    CHECK_INT_EQ(sigv4_signing_key(&st), 0);
    CHECK(!st.key_from_cache);
    sigv4_end(&st);
    CHECK_STR_EQ(cache.access_key_id, b.access_key_id);
    CHECK_STR_EQ(cache.region, b.region);
    CHECK_STR_EQ(cache.service, b.service);
    CHECK_INT_EQ(sign(&b, "GET", "/", HOST_ONLY, 1, NULL, &res), 0);
    CHECK_INT_EQ(sign(&fresh, "GET", "/", HOST_ONLY, 1, NULL, &want), 0);
    CHECK_STR_EQ(res.authorization, want.authorization);
    sigv4_key_cache_wipe(&cache);
}

static void test_cache_invalidation(void)
{
    struct sigv4_params base = base_params(), changed;
    changed = base;
    changed.time = T_2015 + DAY; /* the next day */
    check_cache_miss(&base, &changed);
    changed = base;
    changed.access_key_id = "AKIDOTHER";
    changed.secret_access_key = "another secret";
    check_cache_miss(&base, &changed);
    changed = base;
    changed.region = "eu-west-1";
    check_cache_miss(&base, &changed);
    changed = base;
    changed.service = "cognito-identity";
    check_cache_miss(&base, &changed);
}

static void test_cache_wipe(void)
{
    struct sigv4_key_cache cache = {0}, zero = {0};
    struct sigv4_params p = base_params();
    p.cache = &cache;
    struct sigv4_result res;
    CHECK_INT_EQ(sign(&p, "GET", "/", HOST_ONLY, 1, NULL, &res), 0);
    CHECK(memcmp(&cache, &zero, sizeof cache) != 0);
    sigv4_key_cache_wipe(&cache);
    CHECK(memcmp(&cache, &zero, sizeof cache) == 0);
    CHECK(!cache.valid);
    sigv4_key_cache_wipe(NULL); /* harmless */
}

/* ---- bad arguments ---- */

static void expect_refused(const struct sigv4_params *p, const char *method, const char *target,
                           const struct sigv4_header *h, size_t n, const char *why_part, int line)
{
    struct sigv4_result res;
    memset(&res, 'x', sizeof res);
    int rc = sigv4_sign_request(p, method, target, h, n, NULL, 0, &res);
    char msg[300];
    snprintf(msg, sizeof msg, "line %d: expected a refusal mentioning \"%s\", got rc %d, \"%s\"",
             line, why_part, rc, res.error ? res.error : "(none)");
    if (rc != -1 || !res.error || !strstr(res.error, why_part))
        check_fail(__FILE__, line, msg);
    if (res.authorization[0] != '\0')
        check_fail(__FILE__, line, "an Authorization value was left after a refusal");
}

#define REFUSED(p, m, t, h, n, why) expect_refused(p, m, t, h, n, why, __LINE__)

static void test_bad_arguments(void)
{
    struct sigv4_params p = base_params(), q;
    const struct sigv4_header no_host[] = {{"Content-Type", "x"}};
    const struct sigv4_header empty_host[] = {{"host", ""}};
    const struct sigv4_header with_date[] = {{"Host", "h"}, {"X-AMZ-DATE", "20150830T123600Z"}};
    const struct sigv4_header with_auth[] = {{"Host", "h"}, {"authorization", "x"}};
    const struct sigv4_header with_token[] = {{"Host", "h"}, {"X-Amz-Security-Token", "t"}};
    const struct sigv4_header with_sha[] = {{"Host", "h"}, {"X-Amz-Content-SHA256", "t"}};
    const struct sigv4_header bad_value[] = {{"Host", "h"}, {"X-A", "a\r\nInjected: yes"}};

    REFUSED(&p, "GET", "/", no_host, 1, "Host");
    REFUSED(&p, "GET", "/", NULL, 0, "Host");
    REFUSED(&p, "GET", "/", empty_host, 1, "Host");
    REFUSED(&p, "GET", "/", with_date, 2, "signer adds");
    REFUSED(&p, "GET", "/", with_auth, 2, "signer adds");
    REFUSED(&p, "GET", "/", with_token, 2, "signer adds");
    REFUSED(&p, "GET", "/", with_sha, 2, "signer adds");
    REFUSED(&p, "GET", "/", bad_value, 2, "line break");
    REFUSED(NULL, "GET", "/", HOST_ONLY, 1, "no parameters");
    REFUSED(&p, "GET", "relative", HOST_ONLY, 1, "'/'");
    REFUSED(&p, "GET", NULL, HOST_ONLY, 1, "path");
    REFUSED(&p, "GE T", "/", HOST_ONLY, 1, "method");
    REFUSED(&p, "", "/", HOST_ONLY, 1, "method");
    REFUSED(&p, NULL, "/", HOST_ONLY, 1, "method");

    q = p;
    q.secret_access_key = NULL;
    REFUSED(&q, "GET", "/", HOST_ONLY, 1, "credentials");
    q = p;
    q.secret_access_key = "";
    REFUSED(&q, "GET", "/", HOST_ONLY, 1, "credentials");
    q = p;
    q.access_key_id = "AKID/X";
    REFUSED(&q, "GET", "/", HOST_ONLY, 1, "access key id");
    q = p;
    q.region = "us east";
    REFUSED(&q, "GET", "/", HOST_ONLY, 1, "region");
    q = p;
    q.region = NULL;
    REFUSED(&q, "GET", "/", HOST_ONLY, 1, "region");
    q = p;
    q.service = "a-service-name-that-is-far-too-long-to-be-any-real-aws-signing-name";
    REFUSED(&q, "GET", "/", HOST_ONLY, 1, "service");
    q = p;
    q.time = -1;
    REFUSED(&q, "GET", "/", HOST_ONLY, 1, "time");
    q = p;
    q.session_token = "tok\nen";
    REFUSED(&q, "GET", "/", HOST_ONLY, 1, "token");

    /* A body length without a body. */
    struct sigv4_result res;
    CHECK_INT_EQ(sigv4_sign_request(&p, "POST", "/", HOST_ONLY, 1, NULL, 5, &res), -1);
    CHECK(res.error && strstr(res.error, "body"));
    CHECK_INT_EQ(sigv4_sign_request(&p, "POST", "/", HOST_ONLY, 1, NULL, 0, NULL), -1);
}

static void test_authorization_too_long(void)
{
    /* Enough signed header names to overflow the 1024-byte Authorization. */
    static char names[60][32];
    struct sigv4_header h[61];
    h[0] = (struct sigv4_header){"Host", "h"};
    for (int i = 0; i < 60; i++) {
        snprintf(names[i], sizeof names[i], "x-header-number-%02d", i);
        h[i + 1] = (struct sigv4_header){names[i], "v"};
    }
    struct sigv4_params p = base_params();
    REFUSED(&p, "GET", "/", h, 61, "too long");
    struct sigv4_result res;
    CHECK_INT_EQ(sigv4_sign_request(&p, "GET", "/", h, 20, NULL, 0, &res), 0);
}

int main(void)
{
    RUN(test_uri_encode_every_byte);
    RUN(test_uri_encode_slash_and_utf8);
    RUN(test_canonical_uri_normalized);
    RUN(test_canonical_uri_encoding);
    RUN(test_canonical_uri_unnormalized);
    RUN(test_canonical_uri_refuses_relative_path);
    RUN(test_canonical_uri_many_segments);
    RUN(test_canonical_query_sorting);
    RUN(test_canonical_query_encoding);
    RUN(test_canonical_query_many_params);
    RUN(test_canonical_headers_rules);
    RUN(test_canonical_headers_obs_fold);
    RUN(test_canonical_headers_whitespace_at_every_offset);
    RUN(test_canonical_headers_unsigned_ones);
    RUN(test_canonical_headers_refuse_bad_ones);
    RUN(test_canonical_headers_many);
    RUN(test_derive_key_known_value);
    RUN(test_stages_of_a_known_request);
    RUN(test_stages_out_of_order);
    RUN(test_session_token_signed_or_omitted);
    RUN(test_sign_body_and_payload_override);
    RUN(test_query_and_path_reach_the_canonical_request);
    RUN(test_cache_miss_then_hit);
    RUN(test_cache_invalidation);
    RUN(test_cache_wipe);
    RUN(test_bad_arguments);
    RUN(test_authorization_too_long);
    return check_finish();
}
