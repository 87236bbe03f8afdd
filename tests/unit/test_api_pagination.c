/* The NextToken rule: follow a new token; stop on an absent, empty or
 * non-string one, and on a repeated one (told apart, so it can be reported). */
#include <stdlib.h>

#include "api/pagination.h"
#include "tests/unit/check.h"

static enum api_page_step advance(char **token, const char *answer)
{
    json_object *page = json_tokener_parse(answer);
    enum api_page_step step = api_page_advance(token, page);
    json_object_put(page);
    return step;
}

static void test_follows_new_tokens(void)
{
    char *token = NULL;

    CHECK_INT_EQ(advance(&token, "{\"NextToken\": \"a\"}"), API_PAGE_NEXT);
    CHECK_STR_EQ(token, "a");
    CHECK_INT_EQ(advance(&token, "{\"NextToken\": \"b\", \"Identities\": []}"), API_PAGE_NEXT);
    CHECK_STR_EQ(token, "b");
    free(token);
}

static void test_stops_on_absent_empty_null_or_odd_token(void)
{
    const char *ends[] = {"{}", "{\"NextToken\": \"\"}", "{\"NextToken\": null}",
                          "{\"NextToken\": 7}"};

    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        char *token = strdup("previous");
        CHECK_INT_EQ(advance(&token, ends[i]), API_PAGE_DONE);
        CHECK(token == NULL);
    }
}

static void test_stops_on_repeated_token(void)
{
    char *token = NULL;

    CHECK_INT_EQ(advance(&token, "{\"NextToken\": \"same\"}"), API_PAGE_NEXT);
    CHECK_INT_EQ(advance(&token, "{\"NextToken\": \"same\"}"), API_PAGE_REPEATED);
    CHECK(token == NULL);
}

int main(void)
{
    RUN(test_follows_new_tokens);
    RUN(test_stops_on_absent_empty_null_or_odd_token);
    RUN(test_stops_on_repeated_token);
    return check_finish();
}
