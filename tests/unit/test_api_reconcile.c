/* tests/unit/test_api_reconcile.c — what settles an unknown outcome
 * (api/reconcile.c) and the lost-update check (api/lost_update.c): the read
 * for every change, the interpretation of its answers, the three-way
 * picture, and the blocking helpers against tests/api/fake_server.py. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/lost_update.h"
#include "api/operations.h"
#include "api/reconcile.h"
#include "api/validate.h"
#include "tests/api/client_fixture.h"
#include "tests/api/fake_server.h"
#include "tests/api/minimal_inputs.h"
#include "tests/unit/check.h"

static struct fake_server fs;

static json_object *J(const char *text)
{
    json_object *o = json_tokener_parse(text);
    CHECK(o != NULL);
    return o;
}

static const char *str(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v))
        return NULL;
    return json_object_get_string(v);
}

static void test_every_change_has_a_check(void)
{
    int changes = 0;
    for (size_t i = 0; i < N_MINIMAL_INPUTS; i++) {
        const struct api_operation *op = api_operation_find(minimal_inputs[i].op);
        json_object *in = J(minimal_inputs[i].json), *read_in = NULL;
        const char *read = NULL, *look = NULL;
        struct api_error err;
        int rc = api_reconcile_check(op->name, in, &read, &read_in, &look, &err);
        if (!op->mutates) {
            CHECK_INT_EQ(rc, -1); /* nothing to reconcile for a read */
            CHECK_INT_EQ(err.kind, API_ERR_INVALID_INPUT);
            json_object_put(in);
            continue;
        }
        changes++;
        CHECK_INT_EQ(rc, 0);
        if (rc == 0) {
            const struct api_operation *r = api_operation_find(read);
            CHECK(r && r->pure_read);
            CHECK(look && look[0]);
            /* The read is a valid request as built. */
            struct api_error verr;
            if (r && api_validate(r->input, read_in, &verr) != 0) {
                char m[300];
                snprintf(m, sizeof m, "%s: %s input invalid: %.200s", op->name, read, verr.message);
                check_fail(__FILE__, __LINE__, m);
            }
            /* Never a login token. */
            const char *text = json_object_to_json_string(read_in);
            CHECK(strstr(text, "Logins") == NULL);
            json_object *logins = NULL;
            if (json_object_object_get_ex(in, "Logins", &logins)) {
                json_object_object_foreach(logins, provider, token)
                {
                    char quoted[64];
                    (void)provider;
                    snprintf(quoted, sizeof quoted, "\"%s\"", json_object_get_string(token));
                    CHECK(strstr(text, quoted) == NULL);
                }
            }
        }
        json_object_put(read_in);
        json_object_put(in);
    }
    CHECK_INT_EQ(changes, 13);
}

static void test_check_inputs(void)
{
    const char *read, *look;
    json_object *in, *r;
    struct api_error err;

    in = J("{\"IdentityIdsToDelete\":[\"us-east-1:a\",\"us-east-1:b\"]}");
    CHECK_INT_EQ(api_reconcile_check("DeleteIdentities", in, &read, &r, &look, &err), 0);
    CHECK_STR_EQ(read, "DescribeIdentity");
    CHECK_STR_EQ(str(r, "IdentityId"), "us-east-1:a");
    json_object_put(r);
    json_object_put(in);

    in = J("{\"SourceUserIdentifier\":\"src\",\"DestinationUserIdentifier\":\"dst\","
           "\"DeveloperProviderName\":\"login.app\",\"IdentityPoolId\":\"us-east-1:p\"}");
    CHECK_INT_EQ(api_reconcile_check("MergeDeveloperIdentities", in, &read, &r, NULL, &err), 0);
    CHECK_STR_EQ(read, "LookupDeveloperIdentity");
    CHECK_STR_EQ(str(r, "DeveloperUserIdentifier"), "src");
    CHECK_STR_EQ(str(r, "IdentityPoolId"), "us-east-1:p");
    json_object_put(r);
    json_object_put(in);

    /* A developer token with an identity named: that identity. */
    in = J("{\"IdentityPoolId\":\"us-east-1:p\",\"IdentityId\":\"us-east-1:i\","
           "\"Logins\":{\"login.app\":\"SECRET\"}}");
    CHECK_INT_EQ(
        api_reconcile_check("GetOpenIdTokenForDeveloperIdentity", in, &read, &r, NULL, &err), 0);
    CHECK_STR_EQ(read, "DescribeIdentity");
    CHECK(strstr(json_object_to_json_string(r), "SECRET") == NULL);
    json_object_put(r);
    json_object_put(in);

    in = J("{\"IdentityPoolId\":\"us-east-1:p\",\"IdentityPoolName\":\"n\","
           "\"AllowUnauthenticatedIdentities\":true}");
    CHECK_INT_EQ(api_reconcile_check("UpdateIdentityPool", in, &read, &r, NULL, &err), 0);
    CHECK_STR_EQ(read, "DescribeIdentityPool");
    CHECK_STR_EQ(json_object_to_json_string_ext(r, JSON_C_TO_STRING_PLAIN),
                 "{\"IdentityPoolId\":\"us-east-1:p\"}");
    json_object_put(r);
    json_object_put(in);

    /* Missing what the read needs. */
    in = J("{\"IdentityIdsToDelete\":[]}");
    CHECK_INT_EQ(api_reconcile_check("DeleteIdentities", in, &read, &r, NULL, &err), -1);
    CHECK(r == NULL);
    json_object_put(in);
    CHECK_INT_EQ(api_reconcile_check("Nope", NULL, &read, &r, NULL, &err), -1);
}

static void test_presence(void)
{
    struct api_error e;
    api_error_clear(&e);
    CHECK_INT_EQ(api_reconcile_presence(&e), API_PRESENT);
    api_error_set(&e, API_ERR_AWS, "gone");
    strcpy(e.code, "ResourceNotFoundException");
    CHECK_INT_EQ(api_reconcile_presence(&e), API_GONE);
    strcpy(e.code, "TooManyRequestsException");
    CHECK_INT_EQ(api_reconcile_presence(&e), API_PRESENCE_UNKNOWN);
    api_error_set(&e, API_ERR_TRANSPORT, "reset");
    CHECK_INT_EQ(api_reconcile_presence(&e), API_PRESENCE_UNKNOWN);
}

static void test_pools_named(void)
{
    json_object *page = J("{\"IdentityPools\":["
                          "{\"IdentityPoolId\":\"us-east-1:old\",\"IdentityPoolName\":\"x\"},"
                          "{\"IdentityPoolId\":\"us-east-1:new\",\"IdentityPoolName\":\"x\"},"
                          "{\"IdentityPoolId\":\"us-east-1:other\",\"IdentityPoolName\":\"xy\"},"
                          "{\"IdentityPoolName\":\"x\"}, 7, null]}");
    json_object *before = J("[\"us-east-1:old\"]"), *found = json_object_new_array();
    CHECK_INT_EQ(api_reconcile_pools_named(page, "x", before, found), 1);
    CHECK_INT_EQ(json_object_array_length(found), 1);
    CHECK_STR_EQ(str(json_object_array_get_idx(found, 0), "IdentityPoolId"), "us-east-1:new");
    CHECK_INT_EQ(api_reconcile_pools_named(page, "x", NULL, found), 2);
    CHECK_INT_EQ(api_reconcile_pools_named(before, "x", NULL, found), 0); /* not a page */
    json_object_put(page);
    json_object_put(before);
    json_object_put(found);
}

static void test_lost_update_read(void)
{
    const char *read;
    json_object *r;
    struct api_error err;
    json_object *in = J("{\"IdentityPoolId\":\"us-east-1:p\",\"IdentityProviderName\":"
                        "\"accounts.google.com\",\"UseDefaults\":false}");
    CHECK_INT_EQ(api_lost_update_read("SetPrincipalTagAttributeMap", in, &read, &r, &err), 0);
    CHECK_STR_EQ(read, "GetPrincipalTagAttributeMap");
    CHECK_STR_EQ(str(r, "IdentityProviderName"), "accounts.google.com");
    CHECK(!json_object_object_get_ex(r, "UseDefaults", NULL));
    json_object_put(r);
    json_object_put(in);

    in = J("{\"Roles\":{}}");
    CHECK_INT_EQ(api_lost_update_read("SetIdentityPoolRoles", in, &read, &r, &err), -1);
    CHECK_STR_EQ(err.field, "IdentityPoolId");
    json_object_put(in);
    CHECK_INT_EQ(api_lost_update_read("CreateIdentityPool", NULL, &read, &r, &err), -1);
}

/* The picture's entry for `item`, or NULL. */
static json_object *item(json_object *pic, const char *name)
{
    for (size_t i = 0; pic && i < json_object_array_length(pic); i++)
        if (strcmp(str(json_object_array_get_idx(pic, i), "item"), name) == 0)
            return json_object_array_get_idx(pic, i);
    return NULL;
}

static void test_three_way_picture(void)
{
    bool stale = true;
    json_object *original = J(
        "{\"IdentityPoolId\":\"us-east-1:p\",\"IdentityPoolName\":\"pool\","
        "\"AllowUnauthenticatedIdentities\":false,\"SupportedLoginProviders\":{\"a.com\":\"1\"}}");
    /* I rename it; they allowed classic flow and added a provider meanwhile. */
    json_object *mine = J(
        "{\"IdentityPoolId\":\"us-east-1:p\",\"IdentityPoolName\":\"renamed\","
        "\"AllowUnauthenticatedIdentities\":false,\"SupportedLoginProviders\":{\"a.com\":\"1\"}}");
    json_object *theirs =
        J("{\"IdentityPoolId\":\"us-east-1:p\",\"IdentityPoolName\":\"pool\","
          "\"AllowUnauthenticatedIdentities\":false,\"AllowClassicFlow\":true,"
          "\"SupportedLoginProviders\":{\"a.com\":\"1\",\"b.com\":\"2\"},\"IdentityPoolTags\":{}}");
    json_object *pic =
        api_lost_update_compare("UpdateIdentityPool", original, mine, theirs, &stale);
    CHECK(pic != NULL);
    CHECK(stale);
    CHECK_INT_EQ(json_object_array_length(pic), 3);
    CHECK_STR_EQ(str(item(pic, "IdentityPoolName"), "change"), "mine");
    CHECK_STR_EQ(str(item(pic, "AllowClassicFlow"), "change"), "theirs");
    CHECK(!json_object_object_get_ex(item(pic, "AllowClassicFlow"), "mine", NULL));
    json_object *b = item(pic, "SupportedLoginProviders[b.com]");
    CHECK_STR_EQ(str(b, "change"), "theirs");
    CHECK_STR_EQ(str(b, "theirs"), "2");
    CHECK(item(pic, "SupportedLoginProviders[a.com]") == NULL);
    CHECK(item(pic, "IdentityPoolTags") == NULL); /* {} and absent are the same */
    json_object_put(pic);

    /* Nobody else touched it: not stale, and only my change shows. */
    pic = api_lost_update_compare("UpdateIdentityPool", original, mine, original, &stale);
    CHECK(!stale);
    CHECK_INT_EQ(json_object_array_length(pic), 1);
    json_object_put(pic);

    /* Both renamed: the same name is no conflict, a different one is. */
    json_object *same = J("{\"IdentityPoolName\":\"renamed\"}");
    json_object *other = J("{\"IdentityPoolName\":\"theirs\"}");
    json_object *orig2 = J("{\"IdentityPoolName\":\"pool\"}");
    pic = api_lost_update_compare("UpdateIdentityPool", orig2, same, same, &stale);
    CHECK(!stale);
    CHECK_STR_EQ(str(item(pic, "IdentityPoolName"), "change"), "same");
    json_object_put(pic);
    pic = api_lost_update_compare("UpdateIdentityPool", orig2, same, other, &stale);
    CHECK(stale);
    CHECK_STR_EQ(str(item(pic, "IdentityPoolName"), "change"), "conflict");
    CHECK_STR_EQ(str(item(pic, "IdentityPoolName"), "original"), "pool");
    json_object_put(pic);

    /* Role mappings compare provider by provider. */
    json_object *ro = J("{\"IdentityPoolId\":\"p\",\"RoleMappings\":{\"a\":{\"Type\":\"Token\"},"
                        "\"b\":{\"Type\":\"Token\"}}}");
    json_object *rm = J("{\"IdentityPoolId\":\"p\",\"RoleMappings\":{\"a\":{\"Type\":\"Token\"},"
                        "\"b\":{\"Type\":\"Rules\"}}}");
    json_object *rt = J("{\"IdentityPoolId\":\"p\",\"RoleMappings\":{\"b\":{\"Type\":\"Token\"}}}");
    pic = api_lost_update_compare("SetIdentityPoolRoles", ro, rm, rt, &stale);
    CHECK(stale);
    CHECK_INT_EQ(json_object_array_length(pic), 2);
    CHECK_STR_EQ(str(item(pic, "RoleMappings[a]"), "change"), "theirs");
    CHECK_STR_EQ(str(item(pic, "RoleMappings[b]"), "change"), "mine");
    json_object_put(pic);

    /* Reconcile: what was sent against what is there now. */
    pic = api_lost_update_compare("SetIdentityPoolRoles", NULL, rm, rm, &stale);
    CHECK(!stale);
    CHECK_INT_EQ(json_object_array_length(pic), 0);
    json_object_put(pic);
    pic = api_lost_update_compare("SetIdentityPoolRoles", NULL, rm, rt, &stale);
    CHECK(stale);
    CHECK_INT_EQ(json_object_array_length(pic), 2);
    json_object_put(pic);
    pic = api_lost_update_compare("ListIdentityPools", NULL, rm, rt, &stale);
    CHECK(pic != NULL); /* a read has an input shape too: no item of it differs */
    json_object_put(pic);
    CHECK(api_lost_update_compare("Nope", NULL, rm, rt, &stale) == NULL);

    json_object_put(ro);
    json_object_put(rm);
    json_object_put(rt);
    json_object_put(same);
    json_object_put(other);
    json_object_put(orig2);
    json_object_put(original);
    json_object_put(mine);
    json_object_put(theirs);
}

static void test_blocking_helpers(void)
{
    struct counting_provider *cp = counting_new(false);
    struct hooks h = {time(NULL), 0.01, {0}, 0};
    struct api_client *c = fixture_client(&fs, cp, &h, false, 1);
    struct api_error err;
    json_object *found = NULL, *before = J("[\"us-east-1:old\"]");

    fake_reset(&fs);
    fake_script(&fs, "[{\"body\": \"{\\\"IdentityPools\\\": [{\\\"IdentityPoolId\\\": "
                     "\\\"us-east-1:old\\\", \\\"IdentityPoolName\\\": \\\"n\\\"}], "
                     "\\\"NextToken\\\": \\\"t\\\"}\"},"
                     " {\"body\": \"{\\\"IdentityPools\\\": [{\\\"IdentityPoolId\\\": "
                     "\\\"us-east-1:new\\\", \\\"IdentityPoolName\\\": \\\"n\\\"}]}\"}]");
    CHECK_INT_EQ(api_reconcile_created_pools(c, "n", before, &found, &err), 0);
    CHECK_INT_EQ(json_object_array_length(found), 1);
    CHECK_STR_EQ(str(json_object_array_get_idx(found, 0), "IdentityPoolId"), "us-east-1:new");
    CHECK_INT_EQ(fake_log_count(&fs), 2);
    json_object_put(found);

    json_object *ids = J("[\"us-east-1:a\", \"us-east-1:b\", \"us-east-1:c\"]"), *rem, *und;
    fake_reset(&fs);
    fake_script(&fs, "[{\"body\": \"{\\\"IdentityId\\\": \\\"us-east-1:a\\\"}\"},"
                     " {\"status\": 400, \"body\": \"{\\\"__type\\\": "
                     "\\\"ResourceNotFoundException\\\"}\"},"
                     " {\"status\": 400, \"body\": \"{\\\"__type\\\": "
                     "\\\"AccessDeniedException\\\"}\"}]");
    CHECK_INT_EQ(api_reconcile_remaining_identities(c, ids, &rem, &und, &err), 0);
    CHECK_STR_EQ(json_object_to_json_string_ext(rem, JSON_C_TO_STRING_PLAIN), "[\"us-east-1:a\"]");
    CHECK_STR_EQ(json_object_to_json_string_ext(und, JSON_C_TO_STRING_PLAIN), "[\"us-east-1:c\"]");
    json_object_put(rem);
    json_object_put(und);

    json_object *sent = J("{\"IdentityPoolId\":\"" MIN_POOL "\",\"IdentityPoolName\":\"n\","
                          "\"AllowUnauthenticatedIdentities\":true}");
    json_object *cur, *diff;
    fake_reset(&fs);
    fake_script(&fs, "[{\"body\": \"{\\\"IdentityPoolId\\\": \\\"" MIN_POOL
                     "\\\", \\\"IdentityPoolName\\\": \\\"n\\\", "
                     "\\\"AllowUnauthenticatedIdentities\\\": false}\"}]");
    CHECK_INT_EQ(api_reconcile_reread(c, "UpdateIdentityPool", sent, &cur, &diff, &err), 0);
    CHECK_INT_EQ(json_object_array_length(diff), 1);
    CHECK_STR_EQ(str(json_object_array_get_idx(diff, 0), "item"), "AllowUnauthenticatedIdentities");
    json_object *reqs, *root;
    reqs = fake_log(&fs, &root);
    CHECK(reqs && json_object_array_length(reqs) == 1);
    json_object_put(root);
    json_object_put(cur);
    json_object_put(diff);

    json_object_put(sent);
    json_object_put(ids);
    json_object_put(before);
    api_client_free(c);
    api_credentials_provider_free(&cp->base);
}

int main(void)
{
    if (fake_start(&fs) != 0) {
        printf("not ok - fake_server: did not start\n");
        return 1;
    }
    RUN(test_every_change_has_a_check);
    RUN(test_check_inputs);
    RUN(test_presence);
    RUN(test_pools_named);
    RUN(test_lost_update_read);
    RUN(test_three_way_picture);
    RUN(test_blocking_helpers);
    fake_stop(&fs);
    return check_finish();
}
