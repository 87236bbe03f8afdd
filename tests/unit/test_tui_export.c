/* The export's own logic without a service (tui/cmd_export.c): the option
 * checks read from the table of kinds, and the row mappers fed canned
 * answers holding any JSON value where a string, list or object is
 * expected. Every export must end with rows or a described error, never a
 * crash (ASan and UBSan watch), and its JSON output must stay valid JSON. */
#include <stdlib.h>

#include "tests/unit/check.h"
#include "tui/cmd_export.h"

/* ---- export_check(): the table decides ---- */

static int check_words(const char *kind, const char *pool, bool csv, const char *account, char *why,
                       size_t size)
{
    struct export_options o;

    memset(&o, 0, sizeof o);
    o.kind = kind;
    o.pool = pool;
    o.format = csv ? EXPORT_FORMAT_CSV : EXPORT_FORMAT_JSON;
    o.format_given = csv;
    o.account = account;
    return export_check(&o, why, size);
}

static void test_check_from_the_table(void)
{
    char why[256];

    CHECK_INT_EQ(check_words("pools", NULL, true, NULL, why, sizeof why), 0);
    CHECK_INT_EQ(check_words("identities", "x:1", true, NULL, why, sizeof why), 0);
    CHECK_INT_EQ(check_words("roles", NULL, false, NULL, why, sizeof why), 0);
    CHECK_INT_EQ(check_words("roles", "x:1", true, NULL, why, sizeof why), 0);
    CHECK_INT_EQ(check_words("tags", NULL, true, "123456789012", why, sizeof why), 0);
    CHECK_INT_EQ(check_words("pool-backup", "x:1", false, NULL, why, sizeof why), 0);

    CHECK_INT_EQ(check_words("users", NULL, false, NULL, why, sizeof why), -1);
    CHECK_STR_EQ(why, "unknown export 'users' (exports: pools, identities, roles, tags, "
                      "pool-backup)");
    CHECK_INT_EQ(check_words("identities", NULL, false, NULL, why, sizeof why), -1);
    CHECK_STR_EQ(why, "export identities needs --pool ID");
    CHECK_INT_EQ(check_words("pool-backup", NULL, false, NULL, why, sizeof why), -1);
    CHECK_INT_EQ(check_words("pools", "x:1", false, NULL, why, sizeof why), -1);
    CHECK_STR_EQ(why, "--pool does not apply to export pools");
    CHECK_INT_EQ(check_words("pool-backup", "x:1", true, NULL, why, sizeof why), -1);
    CHECK_STR_EQ(why, "export pool-backup is JSON only");
    CHECK_INT_EQ(check_words("pools", NULL, false, "123456789012", why, sizeof why), -1);
    CHECK_STR_EQ(why, "--account applies to export tags only");
    CHECK_INT_EQ(check_words("tags", NULL, false, "12345", why, sizeof why), -1);
    CHECK(strstr(why, "12-digit") != NULL);
    /* A short buffer still gets a terminated message. */
    CHECK_INT_EQ(check_words("users", NULL, false, NULL, why, 20), -1);
    CHECK_INT_EQ(strlen(why), 19);
}

/* ---- export_write() with canned answers ---- */

/* Answers by operation name: a JSON object { "Operation": answer }; an
 * answer that is an object with "__error" fails with that AWS code. */
struct canned {
    json_object *answers;
    int calls;
};

static int canned_call(void *ctx, const char *operation, json_object *input, json_object **output,
                       struct api_error *err)
{
    struct canned *c = ctx;
    json_object *a = NULL, *code;

    (void)input;
    c->calls++;
    if (c->calls > 1000)
        return api_error_set(err, API_ERR_TRANSPORT, "too many calls");
    if (!json_object_object_get_ex(c->answers, operation, &a))
        return api_error_set(err, API_ERR_TRANSPORT, "no answer for %s", operation);
    if (json_object_object_get_ex(a, "__error", &code)) {
        api_error_set(err, API_ERR_AWS, "canned");
        snprintf(err->code, sizeof err->code, "%s", json_object_get_string(code));
        return -1;
    }
    *output = json_object_get(a);
    return 0;
}

struct outcome {
    int rc;
    char *text;
    size_t len; /* of text: a NUL inside a value is written as it is */
    struct export_result res;
};

static struct outcome run_export(const char *answers, const char *kind, const char *pool,
                                 enum export_format format)
{
    struct canned c = {json_tokener_parse(answers), 0};
    struct export_options o;
    struct export_source src = {canned_call, &c, "us-east-1", NULL};
    struct outcome r;
    size_t len = 0;
    FILE *f;

    CHECK(c.answers != NULL);
    memset(&o, 0, sizeof o);
    o.kind = kind;
    o.pool = pool;
    o.format = format;
    o.account = "123456789012";
    if (strcmp(kind, "tags") != 0)
        o.account = NULL;
    r.text = NULL;
    f = open_memstream(&r.text, &len);
    r.rc = export_write(&o, &src, f, false, NULL, &r.res);
    fclose(f);
    r.len = len;
    json_object_put(c.answers);
    return r;
}

/* The crash: a null inside an identity's Logins, in CSV. */
static void test_null_in_logins(void)
{
    const char *answers =
        "{\"ListIdentities\": {\"Identities\": [{\"IdentityId\": \"us-east-1:a\", \"Logins\": "
        "[\"graph.facebook.com\", null, 5, {\"k\": 1}, \"accounts.google.com\"], "
        "\"CreationDate\": 0}]}}";
    struct outcome r = run_export(answers, "identities", "x:1", EXPORT_FORMAT_CSV);

    CHECK_INT_EQ(r.rc, 0);
    CHECK_STR_EQ(r.text, "IdentityId,Logins,CreationDate,LastModifiedDate\r\n"
                         "us-east-1:a,\"graph.facebook.com;5;{\"\"k\"\":1};accounts.google.com\","
                         "1970-01-01T00:00:00Z,\r\n");
    free(r.text);
    r = run_export(answers, "identities", "x:1", EXPORT_FORMAT_JSON);
    CHECK_INT_EQ(r.rc, 0);
    CHECK_STR_EQ(r.text, "[\n{\"IdentityId\":\"us-east-1:a\",\"Logins\":[\"graph.facebook.com\","
                         "\"5\",\"{\\\"k\\\":1}\",\"accounts.google.com\"],\"CreationDate\":"
                         "\"1970-01-01T00:00:00Z\"}\n]\n");
    free(r.text);
}

/* Strings where lists are expected and the other way round. */
static void test_odd_types_become_text(void)
{
    struct outcome r = run_export("{\"ListIdentities\": {\"Identities\": [null, 7, \"x\", "
                                  "{\"IdentityId\": [1, 2], \"Logins\": \"solo\", "
                                  "\"CreationDate\": {\"a\": true}}]}}",
                                  "identities", "x:1", EXPORT_FORMAT_JSON);

    CHECK_INT_EQ(r.rc, 0);
    CHECK_INT_EQ(r.res.rows, 1); /* null, 7 and "x" are no identities */
    CHECK_STR_EQ(r.text, "[\n{\"IdentityId\":\"[1,2]\",\"Logins\":[\"solo\"],\"CreationDate\":"
                         "\"{\\\"a\\\":true}\"}\n]\n");
    free(r.text);
}

/* Every value of a small zoo, at every place a mapper reads, for every kind
 * and both formats: rows or an error, and valid JSON when it succeeds. */
static const char *const zoo[] = {
    "null",          "0",  "-1.5e300", "true",   "\"\"", "\"=cmd|x\"",
    "\"a\\u0000b\"", "[]", "[null]",   "[[[]]]", "{}",   "{\"a\": null}"};

static const char *const shapes[][3] = {
    /* kind, pool, answers with @ where the zoo's value goes */
    {"pools", NULL,
     "{\"ListIdentityPools\": {\"IdentityPools\": [{\"IdentityPoolId\": @, "
     "\"IdentityPoolName\": @}]}}"},
    {"pools", NULL, "{\"ListIdentityPools\": {\"IdentityPools\": @}}"},
    {"pools", NULL, "{\"ListIdentityPools\": @}"},
    {"pools", NULL, "{\"ListIdentityPools\": {\"IdentityPools\": [@], \"NextToken\": @}}"},
    {"identities", "x:1",
     "{\"ListIdentities\": {\"Identities\": [{\"IdentityId\": @, \"Logins\": @, "
     "\"CreationDate\": @, \"LastModifiedDate\": @}]}}"},
    {"identities", "x:1", "{\"ListIdentities\": {\"Identities\": [{\"Logins\": [@, @]}]}}"},
    {"roles", "x:1",
     "{\"GetIdentityPoolRoles\": {\"Roles\": {\"authenticated\": @}, \"RoleMappings\": "
     "{\"p\": @, \"q\": {\"Type\": @, \"AmbiguousRoleResolution\": @, "
     "\"RulesConfiguration\": @}}}}"},
    {"roles", "x:1",
     "{\"GetIdentityPoolRoles\": {\"RoleMappings\": {\"q\": {\"RulesConfiguration\": {\"Rules\": "
     "[@, {\"Claim\": @, \"MatchType\": @, \"Value\": @, \"RoleARN\": @}]}}}}}"},
    {"roles", NULL,
     "{\"ListIdentityPools\": {\"IdentityPools\": [{\"IdentityPoolId\": @}, {\"IdentityPoolId\": "
     "\"us-east-1:p\"}]}, \"GetIdentityPoolRoles\": {\"Roles\": @}}"},
    {"tags", "x:1", "{\"ListTagsForResource\": {\"Tags\": {\"k\": @, \"l\": \"v\"}}}"},
    {"tags", "x:1", "{\"ListTagsForResource\": {\"Tags\": @}}"},
    {"tags", NULL,
     "{\"ListIdentityPools\": {\"IdentityPools\": [{\"IdentityPoolId\": @}]}, "
     "\"ListTagsForResource\": @}"},
    {"pool-backup", "x:1",
     "{\"DescribeIdentityPool\": {\"IdentityPoolId\": \"x:1\", \"SupportedLoginProviders\": "
     "{\"p\": @}, \"CognitoIdentityProviders\": [@, {\"ProviderName\": @}], "
     "\"OpenIdConnectProviderARNs\": [@], \"SamlProviderARNs\": @}, \"GetIdentityPoolRoles\": "
     "{\"Roles\": @, \"RoleMappings\": @}, \"GetPrincipalTagAttributeMap\": {\"PrincipalTags\": "
     "@, \"UseDefaults\": @}}"},
    {"pool-backup", "x:1",
     "{\"DescribeIdentityPool\": @, \"GetIdentityPoolRoles\": @, "
     "\"GetPrincipalTagAttributeMap\": {\"__error\": \"ResourceNotFoundException\"}}"},
};

static char *fill(const char *shape, const char *value)
{
    size_t n = strlen(shape) + 1, m = strlen(value);
    char *out;

    for (const char *p = shape; *p; p++)
        if (*p == '@')
            n += m;
    out = malloc(n);
    if (!out)
        return NULL;
    char *o = out;
    for (const char *p = shape; *p; p++) {
        if (*p == '@') {
            memcpy(o, value, m);
            o += m;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static void test_any_value_anywhere(void)
{
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (size_t z = 0; z < sizeof zoo / sizeof zoo[0]; z++)
            for (int csv = 0; csv < 2; csv++) {
                char *answers = fill(shapes[s][2], zoo[z]);
                struct outcome r;
                if (!answers)
                    continue;
                r = run_export(answers, shapes[s][0], shapes[s][1],
                               csv ? EXPORT_FORMAT_CSV : EXPORT_FORMAT_JSON);
                if (r.rc == 0 && !csv) {
                    json_object *doc = json_tokener_parse(r.text);
                    if (!doc)
                        fprintf(stderr, "  not JSON: %s with %s: %s\n", shapes[s][0], zoo[z],
                                r.text);
                    CHECK(doc != NULL);
                    json_object_put(doc);
                } else if (r.rc != 0) {
                    /* Nothing but described failures. */
                    CHECK(r.res.err.kind != API_ERR_NONE || r.res.write_failed);
                    CHECK(r.res.err.kind == API_ERR_NONE || r.res.err.message[0]);
                }
                free(r.text);
                free(answers);
            }
}

/* Text after a \u0000 inside a value is kept: JSON escapes it again, CSV
 * writes the bytes as they are (files and pipes get the exact bytes). */
static void test_nul_inside_values(void)
{
    const char *tags = "{\"ListTagsForResource\": {\"Tags\": {\"k\": \"a\\u0000b\"}}}";
    const char *ids = "{\"ListIdentities\": {\"Identities\": [{\"IdentityId\": \"us-east-1:a\", "
                      "\"Logins\": [\"x\\u0000y\"]}]}}";
    struct outcome r = run_export(tags, "tags", "us-east-1:p", EXPORT_FORMAT_JSON);
    CHECK_INT_EQ(r.rc, 0);
    CHECK(r.text && strstr(r.text, "\"Value\":\"a\\u0000b\"") != NULL);
    free(r.text);
    r = run_export(tags, "tags", "us-east-1:p", EXPORT_FORMAT_CSV);
    CHECK_INT_EQ(r.rc, 0);
    CHECK(r.text && memmem(r.text, r.len, "us-east-1:p,k,a\0b\r\n", 19) != NULL);
    free(r.text);
    r = run_export(ids, "identities", "x:1", EXPORT_FORMAT_JSON);
    CHECK_INT_EQ(r.rc, 0);
    CHECK(r.text && strstr(r.text, "[\"x\\u0000y\"]") != NULL);
    free(r.text);
    r = run_export(ids, "identities", "x:1", EXPORT_FORMAT_CSV);
    CHECK_INT_EQ(r.rc, 0);
    CHECK(r.text && memmem(r.text, r.len, "x\0y", 3) != NULL);
    free(r.text);
}

/* A CSV export of one pool's tags through the whole table path. */
static void test_tags_csv(void)
{
    struct outcome r =
        run_export("{\"ListTagsForResource\": {\"Tags\": {\"k\": \"=1+1\", \"n\": 3}}}", "tags",
                   "us-east-1:p", EXPORT_FORMAT_CSV);

    CHECK_INT_EQ(r.rc, 0);
    CHECK_STR_EQ(r.text, "IdentityPoolId,Key,Value\r\nus-east-1:p,k,'=1+1\r\nus-east-1:p,n,3\r\n");
    CHECK_INT_EQ(r.res.pages, 1);
    CHECK_INT_EQ(r.res.rows, 2);
    free(r.text);
}

/* A stream that refuses writes: an error, never a silent success. */
static void test_write_failure_is_reported(void)
{
    struct canned c = {json_tokener_parse("{\"ListIdentityPools\": {\"IdentityPools\": "
                                          "[{\"IdentityPoolId\": \"us-east-1:p\"}]}}"),
                       0};
    struct export_options o;
    struct export_source src = {canned_call, &c, "us-east-1", NULL};
    struct export_result res;
    FILE *f = fopen("/dev/null", "r"); /* open for reading: every write fails */

    memset(&o, 0, sizeof o);
    o.kind = "pools";
    CHECK(f != NULL);
    if (f) {
        CHECK_INT_EQ(export_write(&o, &src, f, false, NULL, &res), -1);
        CHECK(res.write_failed);
        CHECK_INT_EQ(res.err.kind, API_ERR_NONE);
        fclose(f);
    }
    json_object_put(c.answers);
}

int main(void)
{
    RUN(test_check_from_the_table);
    RUN(test_null_in_logins);
    RUN(test_odd_types_become_text);
    RUN(test_any_value_anywhere);
    RUN(test_nul_inside_values);
    RUN(test_tags_csv);
    RUN(test_write_failure_is_reported);
    return check_finish();
}
