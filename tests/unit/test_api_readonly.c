/* tests/unit/test_api_readonly.c — the read-only guard (DESIGN.md): all 23
 * operations through a read-only client. The 8 pure reads go out; the 15
 * others come back API_ERR_READ_ONLY with no credentials fetched, nothing
 * signed, nothing in the server's log — through api_call, api_call_start and
 * api_dry_run alike. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/client.h"
#include "api/dry_run.h"
#include "api/operations.h"
#include "tests/api/client_fixture.h"
#include "tests/api/fake_server.h"
#include "tests/api/minimal_inputs.h"
#include "tests/unit/check.h"

static struct fake_server fs;

static const char *const pure_reads[] = {
    "DescribeIdentityPool",    "DescribeIdentity",
    "ListIdentityPools",       "ListIdentities",
    "GetIdentityPoolRoles",    "ListTagsForResource",
    "LookupDeveloperIdentity", "GetPrincipalTagAttributeMap",
};

static bool is_pure_read(const char *op)
{
    for (size_t i = 0; i < sizeof pure_reads / sizeof *pure_reads; i++)
        if (strcmp(pure_reads[i], op) == 0)
            return true;
    return false;
}

static void never_called(void *ctx, json_object *output, const struct api_error *err)
{
    (*(int *)ctx)++;
    json_object_put(output);
}

static void test_walk_all_23_operations(void)
{
    struct counting_provider *cp = counting_new(true);
    struct hooks h = {time(NULL), 0.5, {0}, 0};
    struct api_client *c = fixture_client(&fs, cp, &h, true, 0);
    int sent = 0, refused = 0;

    CHECK(c != NULL && api_client_read_only(c));
    CHECK_INT_EQ(N_MINIMAL_INPUTS, 23);
    for (size_t i = 0; c && i < N_MINIMAL_INPUTS; i++) {
        const char *op = minimal_inputs[i].op;
        json_object *in = json_tokener_parse(minimal_inputs[i].json), *out = NULL;
        struct api_error err;
        int gets_before = cp->gets;
        char *text = NULL;
        int callbacks = 0;

        CHECK_STR_EQ(op, api_operations[i].name); /* every table entry, in order */
        fake_reset(&fs);
        int rc = api_call(c, op, in, &out, &err);
        if (is_pure_read(op)) {
            sent++;
            CHECK_INT_EQ(rc, 0);
            CHECK_INT_EQ(fake_log_count(&fs), 1);
            CHECK_INT_EQ(cp->gets, gets_before + 1); /* signed, so credentials were used */
            json_object_put(out);
        } else {
            refused++;
            CHECK_INT_EQ(rc, -1);
            CHECK_INT_EQ(err.kind, API_ERR_READ_ONLY);
            CHECK(strstr(err.message, op) != NULL);
            CHECK(strstr(err.message, "read-only") != NULL);
            CHECK_INT_EQ(api_error_exit_code(&err), 3);
            CHECK(out == NULL);
            /* The other two ways in are guarded as well. */
            CHECK(api_call_start(c, op, in, never_called, &callbacks, &err) == NULL);
            CHECK_INT_EQ(err.kind, API_ERR_READ_ONLY);
            CHECK_INT_EQ(api_dry_run(c, op, in, &text, &err), -1);
            CHECK_INT_EQ(err.kind, API_ERR_READ_ONLY);
            CHECK(text == NULL);
            /* Refused before anything else, even with input the model would refuse. */
            json_object *junk = json_tokener_parse("{\"Bogus\": 1}");
            CHECK_INT_EQ(api_call(c, op, junk, &out, &err), -1);
            CHECK_INT_EQ(err.kind, API_ERR_READ_ONLY);
            json_object_put(junk);
            CHECK_INT_EQ(callbacks, 0);
            CHECK_INT_EQ(cp->gets, gets_before);  /* no credentials fetched, nothing signed */
            CHECK_INT_EQ(fake_log_count(&fs), 0); /* nothing sent */
            CHECK_INT_EQ(api_client_pending(c), 0);
        }
        json_object_put(in);
    }
    CHECK_INT_EQ(sent, 8);
    CHECK_INT_EQ(refused, 15);
    api_client_free(c);

    /* The same walk with a read-write client sends all 23. */
    c = fixture_client(&fs, cp, &h, false, 0);
    fake_reset(&fs);
    for (size_t i = 0; c && i < N_MINIMAL_INPUTS; i++) {
        json_object *in = json_tokener_parse(minimal_inputs[i].json), *out = NULL;
        struct api_error err;
        CHECK_INT_EQ(api_call(c, minimal_inputs[i].op, in, &out, &err), 0);
        json_object_put(out);
        json_object_put(in);
    }
    CHECK_INT_EQ(fake_log_count(&fs), 23);
    api_client_free(c);
    api_credentials_provider_free(&cp->base);
}

int main(void)
{
    if (fake_start(&fs) != 0) {
        printf("not ok - fake_server: did not start\n");
        return 1;
    }
    RUN(test_walk_all_23_operations);
    fake_stop(&fs);
    return check_finish();
}
