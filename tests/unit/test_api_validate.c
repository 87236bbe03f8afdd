/* tests/unit/test_api_validate.c — model constraints (api/validate.c): required,
 * length in code points, whole-value patterns with Unicode classes, enums,
 * list and map sizes, numeric ranges, nested members, unknown members, types. */
#include <string.h>

#include "api/operations.h"
#include "api/validate.h"
#include "tests/api/minimal_inputs.h"
#include "tests/unit/check.h"

#define POOL     "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
#define IDENTITY "us-east-1:11111111-2222-3333-4444-555555555555"

static int input_of(const char *op)
{
    const struct api_operation *o = api_operation_find(op);
    return o ? o->input : -1;
}

/* Validates `json` as the input of `op`; returns 0/-1 and fills err. */
static int check_json(const char *op, const char *json, struct api_error *err)
{
    json_object *v = json_tokener_parse(json);
    int rc;

    api_error_clear(err);
    if (!v && strcmp(json, "null") != 0) {
        api_error_set(err, API_ERR_NONE, "test JSON does not parse: %s", json);
        return -2;
    }
    rc = api_validate(input_of(op), v, err);
    json_object_put(v);
    return rc;
}

/* Expects a refusal naming `field` and a message containing `words`. */
#define REFUSED(op, json, field_, words)                                                           \
    do {                                                                                           \
        struct api_error e_;                                                                       \
        int rc_ = check_json(op, json, &e_);                                                       \
        CHECK_INT_EQ(rc_, -1);                                                                     \
        CHECK_INT_EQ(e_.kind, API_ERR_INVALID_INPUT);                                              \
        CHECK_STR_EQ(e_.field, field_);                                                            \
        if (!strstr(e_.message, words))                                                            \
            CHECK_STR_EQ(e_.message, words);                                                       \
        if (strncmp(e_.message, field_, strlen(field_)) != 0)                                      \
            CHECK_STR_EQ(e_.message, "(starts with the field) " field_);                           \
    } while (0)

#define ACCEPTED(op, json)                                                                         \
    do {                                                                                           \
        struct api_error e_;                                                                       \
        int rc_ = check_json(op, json, &e_);                                                       \
        if (rc_ != 0)                                                                              \
            CHECK_STR_EQ(e_.message, "(accepted)");                                                \
    } while (0)

static void test_utf8_length_counts_code_points(void)
{
    CHECK_INT_EQ(api_utf8_length("", 0), 0);
    CHECK_INT_EQ(api_utf8_length("abc", 3), 3);
    CHECK_INT_EQ(api_utf8_length("\xc3\xa9t\xc3\xa9", 5), 3);        /* été */
    CHECK_INT_EQ(api_utf8_length("\xe6\x97\xa5\xe6\x9c\xac", 6), 2); /* 日本 */
    CHECK_INT_EQ(api_utf8_length("\xf0\x9f\x98\x80", 4), 1);         /* U+1F600 */
    CHECK_INT_EQ(api_utf8_length("a\0b", 3), 3);                     /* NUL is a character */
    CHECK_INT_EQ(api_utf8_length("\xc3", 1), -1);                    /* truncated */
    CHECK_INT_EQ(api_utf8_length("\xc0\xaf", 2), -1);                /* overlong '/' */
    CHECK_INT_EQ(api_utf8_length("\xe0\x80\xaf", 3), -1);            /* overlong */
    CHECK_INT_EQ(api_utf8_length("\xed\xa0\x80", 3), -1);            /* surrogate */
    CHECK_INT_EQ(api_utf8_length("\xf4\x90\x80\x80", 4), -1);        /* > U+10FFFF */
    CHECK_INT_EQ(api_utf8_length("\x80", 1), -1);                    /* lone continuation */
}

static void test_required_members(void)
{
    ACCEPTED("DescribeIdentityPool", "{\"IdentityPoolId\": \"" POOL "\"}");
    REFUSED("DescribeIdentityPool", "{}", "IdentityPoolId", "missing required member");
    REFUSED("DescribeIdentityPool", "null", "IdentityPoolId", "missing required member");
    /* JSON null is absent. */
    REFUSED("DescribeIdentityPool", "{\"IdentityPoolId\": null}", "IdentityPoolId",
            "missing required member");
    REFUSED("CreateIdentityPool", "{\"IdentityPoolName\": \"p\"}", "AllowUnauthenticatedIdentities",
            "missing required member");
    ACCEPTED("CreateIdentityPool",
             "{\"IdentityPoolName\": \"p\", \"AllowUnauthenticatedIdentities\": false,"
             " \"AllowClassicFlow\": null}");
}

static void test_unknown_members_and_types(void)
{
    REFUSED("DescribeIdentityPool", "{\"IdentityPoolId\": \"" POOL "\", \"Extra\": 1}", "Extra",
            "unknown member");
    REFUSED("DescribeIdentityPool", "{\"identityPoolId\": \"" POOL "\"}", "identityPoolId",
            "IdentityPoolId"); /* the message lists the real names */
    REFUSED("DescribeIdentityPool", "[]", "", "must be an object");
    REFUSED("DescribeIdentityPool", "{\"IdentityPoolId\": 12}", "IdentityPoolId",
            "must be a string, not an integer");
    REFUSED("CreateIdentityPool",
            "{\"IdentityPoolName\": \"p\", \"AllowUnauthenticatedIdentities\": \"yes\"}",
            "AllowUnauthenticatedIdentities", "must be true or false");
    REFUSED("ListIdentityPools", "{\"MaxResults\": 1.5}", "MaxResults", "must be an integer");
    REFUSED("ListIdentityPools", "{\"MaxResults\": \"10\"}", "MaxResults", "must be an integer");
    REFUSED("DeleteIdentities", "{\"IdentityIdsToDelete\": \"" IDENTITY "\"}",
            "IdentityIdsToDelete", "must be a list");
    REFUSED("GetId", "{\"IdentityPoolId\": \"" POOL "\", \"Logins\": []}", "Logins",
            "must be a map");
}

static void test_lengths_in_code_points(void)
{
    char name[300], json[600];

    /* 128 characters of two bytes each: 256 bytes, still within max 128. */
    name[0] = '\0';
    for (int i = 0; i < 128; i++)
        strcat(name, "\xc3\xa9");
    snprintf(json, sizeof json,
             "{\"IdentityPoolName\": \"%s\", \"AllowUnauthenticatedIdentities\": true}", name);
    ACCEPTED("CreateIdentityPool", json);
    strcat(name, "a");
    snprintf(json, sizeof json,
             "{\"IdentityPoolName\": \"%s\", \"AllowUnauthenticatedIdentities\": true}", name);
    REFUSED("CreateIdentityPool", json, "IdentityPoolName", "at most 128 characters long (is 129)");
    REFUSED("CreateIdentityPool",
            "{\"IdentityPoolName\": \"\", \"AllowUnauthenticatedIdentities\": true}",
            "IdentityPoolName", "at least 1 character long (is 0)");
    REFUSED("DescribeIdentityPool",
            "{\"IdentityPoolId\": \"us-east-1:0123456789abcdef0123456789abcdef0123456789abcdef\"}",
            "IdentityPoolId", "at most 55");
}

static void test_patterns_whole_value_and_unicode(void)
{
    /* Unanchored, "[\w-]+:[0-9a-f-]+" would find a match inside these. */
    REFUSED("DescribeIdentityPool", "{\"IdentityPoolId\": \"!us-east-1:abc\"}", "IdentityPoolId",
            "does not match the pattern [\\w-]+:[0-9a-f-]+");
    REFUSED("DescribeIdentityPool", "{\"IdentityPoolId\": \"us-east-1:abcX\"}", "IdentityPoolId",
            "does not match the pattern");
    REFUSED("DescribeIdentityPool", "{\"IdentityPoolId\": \"us-east-1:abc\\n\"}", "IdentityPoolId",
            "does not match the pattern");
    ACCEPTED("DescribeIdentityPool", "{\"IdentityPoolId\": \"us-east-1:abc\"}");
    /* \w and \s with Unicode classes (PCRE2_UCP): letters with accents, CJK. */
    ACCEPTED("CreateIdentityPool",
             "{\"IdentityPoolName\": \"Pool \xc3\xa9t\xc3\xa9 \xe6\x97\xa5 +=,.@-\","
             " \"AllowUnauthenticatedIdentities\": true}");
    REFUSED("CreateIdentityPool",
            "{\"IdentityPoolName\": \"bad/name\", \"AllowUnauthenticatedIdentities\": true}",
            "IdentityPoolName", "does not match the pattern");
    /* \p{L}\p{M}\p{S}\p{N}\p{P}: a claim name may be any letter, mark, symbol,
     * number or punctuation, but no space or control. Nested in a map of rules. */
#define RULES_TPL                                                                                  \
    "{\"IdentityPoolId\": \"" POOL "\", \"Roles\": {\"authenticated\":"                            \
    " \"arn:aws:iam::123456789012:role/Auth\"}, \"RoleMappings\": {\"graph.facebook.com\":"        \
    " {\"Type\": \"Rules\", \"AmbiguousRoleResolution\": \"Deny\", \"RulesConfiguration\":"        \
    " {\"Rules\": [{\"Claim\": \"%s\", \"MatchType\": \"Equals\", \"Value\": \"x\","               \
    " \"RoleARN\": \"arn:aws:iam::123456789012:role/R\"}]}}}}"
    char json[1024];
    snprintf(json, sizeof json, RULES_TPL, "\xc3\xa9:sub\xe2\x82\xac");
    ACCEPTED("SetIdentityPoolRoles", json);
    snprintf(json, sizeof json, RULES_TPL, "has space");
    REFUSED("SetIdentityPoolRoles", json,
            "RoleMappings.graph.facebook.com.RulesConfiguration.Rules[0].Claim",
            "does not match the pattern");
    /* The compiled pattern is cached: the same answer every time. */
    for (int i = 0; i < 3; i++)
        REFUSED("SetIdentityPoolRoles", json,
                "RoleMappings.graph.facebook.com.RulesConfiguration.Rules[0].Claim",
                "does not match");
    struct api_error err;
    CHECK_INT_EQ(api_pattern_match(input_of("GetId"), "x", 1, &err), -1); /* no pattern there */
}

static void test_enums(void)
{
    char json[1024];
#define ENUM_TPL                                                                                   \
    "{\"IdentityPoolId\": \"" POOL "\", \"Roles\": {}, \"RoleMappings\":"                          \
    " {\"accounts.google.com\": {\"Type\": \"%s\"}}}"
    snprintf(json, sizeof json, ENUM_TPL, "Token");
    ACCEPTED("SetIdentityPoolRoles", json);
    snprintf(json, sizeof json, ENUM_TPL, "token");
    REFUSED("SetIdentityPoolRoles", json, "RoleMappings.accounts.google.com.Type",
            "must be one of Token, Rules");
}

static void test_list_and_map_sizes(void)
{
    char json[8192];
    size_t used;

    /* IdentityIdsToDelete: 1..60 items. */
    REFUSED("DeleteIdentities", "{\"IdentityIdsToDelete\": []}", "IdentityIdsToDelete",
            "at least 1 item (has 0)");
    used = (size_t)snprintf(json, sizeof json, "{\"IdentityIdsToDelete\": [");
    for (int i = 0; i < 61; i++)
        used +=
            (size_t)snprintf(json + used, sizeof json - used, "%s\"" IDENTITY "\"", i ? "," : "");
    snprintf(json + used, sizeof json - used, "]}");
    REFUSED("DeleteIdentities", json, "IdentityIdsToDelete", "at most 60 items (has 61)");
    /* The 60th is fine, the element pattern still applies. */
    REFUSED("DeleteIdentities", "{\"IdentityIdsToDelete\": [\"" IDENTITY "\", \"bad\"]}",
            "IdentityIdsToDelete[1]", "does not match the pattern");
    /* RolesMap: at most 2 entries, keys must be (un)authenticated. */
    REFUSED("SetIdentityPoolRoles",
            "{\"IdentityPoolId\": \"" POOL "\", \"Roles\": {\"authenticated\": \""
            "arn:aws:iam::123456789012:role/A\", \"unauthenticated\": "
            "\"arn:aws:iam::123456789012:role/B\", \"x\": \"arn:aws:iam::123456789012:role/C\"}}",
            "Roles", "at most 2 entries (has 3)");
    REFUSED("SetIdentityPoolRoles",
            "{\"IdentityPoolId\": \"" POOL "\", \"Roles\": {\"admin\": "
            "\"arn:aws:iam::123456789012:role/A\"}}",
            "Roles.admin", "Roles.admin: key does not match the pattern (un)?authenticated");
    /* Map values are checked too: ARNString is 20..2048. */
    REFUSED("SetIdentityPoolRoles",
            "{\"IdentityPoolId\": \"" POOL "\", \"Roles\": {\"authenticated\": \"arn:short\"}}",
            "Roles.authenticated", "at least 20 characters");
    /* Logins: at most 10 entries. */
    used = (size_t)snprintf(json, sizeof json, "{\"IdentityPoolId\": \"" POOL "\", \"Logins\": {");
    for (int i = 0; i < 11; i++)
        used += (size_t)snprintf(json + used, sizeof json - used, "%s\"p%d.example.com\": \"t\"",
                                 i ? "," : "", i);
    snprintf(json + used, sizeof json - used, "}}");
    REFUSED("GetId", json, "Logins", "at most 10 entries (has 11)");
    /* Rules list of a mapping: 1..400. */
    REFUSED("SetIdentityPoolRoles",
            "{\"IdentityPoolId\": \"" POOL "\", \"Roles\": {}, \"RoleMappings\": {\"p\": {\"Type\":"
            " \"Rules\", \"RulesConfiguration\": {\"Rules\": []}}}}",
            "RoleMappings.p.RulesConfiguration.Rules", "at least 1 item (has 0)");
}

static void test_numeric_ranges(void)
{
    ACCEPTED("ListIdentityPools", "{\"MaxResults\": 1}");
    ACCEPTED("ListIdentityPools", "{\"MaxResults\": 60}");
    REFUSED("ListIdentityPools", "{\"MaxResults\": 0}", "MaxResults",
            "must be between 1 and 60 (is 0)");
    REFUSED("ListIdentityPools", "{\"MaxResults\": 61}", "MaxResults", "between 1 and 60 (is 61)");
    REFUSED("ListIdentityPools", "{\"MaxResults\": 4294967297}", "MaxResults",
            "does not fit a 32-bit integer");
    /* TokenDuration is a long: 1..86400. */
#define TOKEN_TPL                                                                                  \
    "{\"IdentityPoolId\": \"" POOL "\", \"Logins\": {\"login.app\": \"u\"}, \"TokenDuration\": "   \
    "%s}"
    char json[512];
    snprintf(json, sizeof json, TOKEN_TPL, "86400");
    ACCEPTED("GetOpenIdTokenForDeveloperIdentity", json);
    snprintf(json, sizeof json, TOKEN_TPL, "86401");
    REFUSED("GetOpenIdTokenForDeveloperIdentity", json, "TokenDuration",
            "between 1 and 86400 (is 86401)");
}

static void test_nested_structures(void)
{
    REFUSED("CreateIdentityPool",
            "{\"IdentityPoolName\": \"p\", \"AllowUnauthenticatedIdentities\": true,"
            " \"CognitoIdentityProviders\": [{\"ProviderName\": \"cognito-idp.us-east-1"
            ".amazonaws.com/us-east-1_abc\", \"ClientId\": \"abc\"}, {\"ClientId\": \"bad id\"}]}",
            "CognitoIdentityProviders[1].ClientId", "does not match the pattern [\\w_]+");
    REFUSED("CreateIdentityPool",
            "{\"IdentityPoolName\": \"p\", \"AllowUnauthenticatedIdentities\": true,"
            " \"CognitoIdentityProviders\": [{\"Bogus\": 1}]}",
            "CognitoIdentityProviders[0].Bogus", "unknown member");
    /* A map key with dots, as in the field example of api/error.h. */
    REFUSED("GetId",
            "{\"IdentityPoolId\": \"" POOL "\", \"Logins\": {\"graph.facebook.com\": \"\"}}",
            "Logins.graph.facebook.com", "at least 1 character long");
}

static void test_invalid_utf8_refused(void)
{
    json_object *v = json_object_new_object();
    struct api_error err;

    json_object_object_add(v, "IdentityPoolId", json_object_new_string_len("us-east-1:a\xff", 12));
    CHECK_INT_EQ(api_validate(input_of("DescribeIdentityPool"), v, &err), -1);
    CHECK_STR_EQ(err.field, "IdentityPoolId");
    CHECK(strstr(err.message, "not valid UTF-8") != NULL);
    json_object_put(v);
}

static void test_every_operation_accepts_its_minimal_input(void)
{
    /* Each operation's required members with valid values: no false refusal. */
    CHECK_INT_EQ(N_MINIMAL_INPUTS, api_n_operations);
    for (size_t i = 0; i < N_MINIMAL_INPUTS; i++) {
        struct api_error err;
        if (check_json(minimal_inputs[i].op, minimal_inputs[i].json, &err) != 0)
            CHECK_STR_EQ(err.message, minimal_inputs[i].op);
        /* ... and refuses it with one required member taken away. */
        json_object *v = json_tokener_parse(minimal_inputs[i].json);
        const struct api_shape *sh = api_shape_at(input_of(minimal_inputs[i].op));
        for (int m = 0; sh && m < sh->n_members; m++) {
            if (!sh->members[m].required)
                continue;
            json_object *copy = NULL;
            json_object_deep_copy(v, &copy, NULL);
            json_object_object_del(copy, sh->members[m].name);
            CHECK_INT_EQ(api_validate(input_of(minimal_inputs[i].op), copy, &err), -1);
            CHECK_STR_EQ(err.field, sh->members[m].name);
            json_object_put(copy);
        }
        json_object_put(v);
    }
}

/* One member as typed in a form: the same rules as the whole request. */
#define MEMBER_OK(op, member, value)                                                               \
    do {                                                                                           \
        struct api_error e_;                                                                       \
        if (api_validate_member(op, member, value, &e_) != 0)                                      \
            CHECK_STR_EQ(e_.message, "(accepted) " value);                                         \
    } while (0)

#define MEMBER_BAD(op, member, value, words)                                                       \
    do {                                                                                           \
        struct api_error e_;                                                                       \
        CHECK_INT_EQ(api_validate_member(op, member, value, &e_), -1);                             \
        CHECK_INT_EQ(e_.kind, API_ERR_INVALID_INPUT);                                              \
        CHECK_STR_EQ(e_.field, member);                                                            \
        if (!strstr(e_.message, words))                                                            \
            CHECK_STR_EQ(e_.message, words);                                                       \
    } while (0)

static void test_member_values_as_typed(void)
{
    /* The pool name's pattern takes Unicode letters, as `call` does. */
    MEMBER_OK("CreateIdentityPool", "IdentityPoolName", "Caf\xc3\xa9 pool");
    MEMBER_OK("UpdateIdentityPool", "IdentityPoolName", "a+b=c,d.e@f-g_h");
    MEMBER_BAD("CreateIdentityPool", "IdentityPoolName", "a/b", "does not match the pattern");
    MEMBER_BAD("CreateIdentityPool", "IdentityPoolName", "", "at least 1 character");
    MEMBER_BAD("CreateIdentityPool", "DeveloperProviderName", "login mobile", "pattern");
    MEMBER_OK("CreateIdentityPool", "DeveloperProviderName", "login.mobile.app");
    /* Lists, maps and nested structures by path. */
    MEMBER_OK("CreateIdentityPool", "CognitoIdentityProviders[].ClientId", "abc_123");
    MEMBER_BAD("CreateIdentityPool", "CognitoIdentityProviders[].ClientId", "abc-123", "pattern");
    MEMBER_BAD("CreateIdentityPool", "OpenIdConnectProviderARNs[]", "arn:too-short", "at least 20");
    MEMBER_BAD("CreateIdentityPool", "IdentityPoolTags{key}", "", "at least 1");
    MEMBER_OK("CreateIdentityPool", "IdentityPoolTags{value}", "");
    MEMBER_BAD("SetIdentityPoolRoles", "Roles{key}", "admin", "pattern");
    MEMBER_OK("SetIdentityPoolRoles", "Roles{value}", "arn:aws:iam::123456789012:role/Auth");
    MEMBER_BAD("SetIdentityPoolRoles", "RoleMappings{value}.RulesConfiguration.Rules[].MatchType",
               "Like", "must be one of Equals, Contains, StartsWith, NotEqual");
    MEMBER_OK("SetIdentityPoolRoles", "RoleMappings{value}.RulesConfiguration.Rules[].Claim",
              "isAdmin");
    /* Integers are read as decimal text, then their range. */
    MEMBER_OK("ListIdentities", "MaxResults", "60");
    MEMBER_BAD("ListIdentities", "MaxResults", "61", "between 1 and 60");
    MEMBER_BAD("ListIdentities", "MaxResults", "6x", "whole number");
    /* A path the model does not have is the caller's bug, said plainly. */
    MEMBER_BAD("CreateIdentityPool", "NoSuchMember", "x",
               "not a text member of CreateIdentityPool");
    MEMBER_BAD("CreateIdentityPool", "CognitoIdentityProviders", "x", "not a text member");
    MEMBER_BAD("NoSuchOperation", "IdentityPoolName", "x", "not a text member");
    /* The shape behind a path: a form takes an enum's values from it. */
    const struct api_shape *sh = api_shape_at(
        api_member_shape("SetIdentityPoolRoles", "RoleMappings{value}.AmbiguousRoleResolution"));
    CHECK(sh && sh->n_enum == 2 && !strcmp(sh->enum_values[0], "AuthenticatedRole"));
    CHECK_INT_EQ(api_member_shape("SetIdentityPoolRoles", "RoleMappings[]"), -1);
    CHECK_INT_EQ(api_member_shape(NULL, "Roles"), -1);
}

int main(void)
{
    RUN(test_utf8_length_counts_code_points);
    RUN(test_required_members);
    RUN(test_unknown_members_and_types);
    RUN(test_lengths_in_code_points);
    RUN(test_patterns_whole_value_and_unicode);
    RUN(test_enums);
    RUN(test_list_and_map_sizes);
    RUN(test_numeric_ranges);
    RUN(test_nested_structures);
    RUN(test_invalid_utf8_refused);
    RUN(test_every_operation_accepts_its_minimal_input);
    RUN(test_member_values_as_typed);
    api_validate_cleanup();
    return check_finish();
}
