/* The NextToken rule: follow a new token, stop on an absent, empty or repeated one. */
#include <stdlib.h>

#include "tests/unit/check.h"
#include "tui/paging.h"

static bool advance(char **token, const char *answer)
{
    json_object *out = json_tokener_parse(answer);
    bool more = paging_advance(token, out);
    json_object_put(out);
    return more;
}

static void test_follows_new_tokens(void)
{
    char *token = NULL;

    CHECK(advance(&token, "{\"NextToken\": \"a\"}"));
    CHECK_STR_EQ(token, "a");
    CHECK(advance(&token, "{\"NextToken\": \"b\"}"));
    CHECK_STR_EQ(token, "b");
    free(token);
}

static void test_stops_on_absent_empty_null_or_odd_token(void)
{
    const char *ends[] = {"{}", "{\"NextToken\": \"\"}", "{\"NextToken\": null}",
                          "{\"NextToken\": 7}"};

    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        char *token = strdup("previous");
        CHECK(!advance(&token, ends[i]));
        CHECK(token == NULL);
    }
}

static void test_stops_on_repeated_token(void)
{
    char *token = NULL;

    CHECK(advance(&token, "{\"NextToken\": \"same\"}"));
    CHECK(!advance(&token, "{\"NextToken\": \"same\"}"));
    CHECK(token == NULL);
}

int main(void)
{
    RUN(test_follows_new_tokens);
    RUN(test_stops_on_absent_empty_null_or_odd_token);
    RUN(test_stops_on_repeated_token);
    return check_finish();
}
