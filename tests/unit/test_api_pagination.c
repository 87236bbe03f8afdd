/* The NextToken rule: follow a new token; stop on an absent, empty or
 * non-string one, and stop with an error on one the walk followed already,
 * however far back. */
#include <stdlib.h>

#include "api/pagination.h"
#include "tests/unit/check.h"

static enum api_page_step advance(struct api_page_walk *w, const char *answer)
{
    json_object *page = json_tokener_parse(answer);
    enum api_page_step step = api_page_advance(w, page);
    json_object_put(page);
    return step;
}

static enum api_page_step advance_token(struct api_page_walk *w, const char *token)
{
    json_object *page = json_object_new_object();
    json_object_object_add(page, "NextToken", json_object_new_string(token));
    enum api_page_step step = api_page_advance(w, page);
    json_object_put(page);
    return step;
}

static void test_follows_new_tokens(void)
{
    struct api_page_walk w = API_PAGE_WALK_INIT;

    CHECK_INT_EQ(advance(&w, "{\"NextToken\": \"a\"}"), API_PAGE_NEXT);
    CHECK_STR_EQ(w.token, "a");
    CHECK_INT_EQ(advance(&w, "{\"NextToken\": \"b\", \"Identities\": []}"), API_PAGE_NEXT);
    CHECK_STR_EQ(w.token, "b");
    api_page_walk_free(&w);
    CHECK(w.token == NULL && w.seen == NULL && w.pages == 0);
}

static void test_stops_on_absent_empty_null_or_odd_token(void)
{
    const char *ends[] = {
        "{}", "{\"NextToken\": \"\"}", "{\"NextToken\": null}", "{\"NextToken\": 7}", "[]", "null"};

    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        struct api_page_walk w = API_PAGE_WALK_INIT;
        CHECK_INT_EQ(advance(&w, "{\"NextToken\": \"previous\"}"), API_PAGE_NEXT);
        CHECK_INT_EQ(advance(&w, ends[i]), API_PAGE_DONE);
        CHECK(w.token == NULL);
        api_page_walk_free(&w);
    }
}

static void test_stops_on_repeated_token(void)
{
    struct api_page_walk w = API_PAGE_WALK_INIT;
    struct api_error err;

    CHECK_INT_EQ(advance(&w, "{\"NextToken\": \"same\"}"), API_PAGE_NEXT);
    CHECK_INT_EQ(advance(&w, "{\"NextToken\": \"same\"}"), API_PAGE_REPEATED);
    CHECK(w.token == NULL);
    api_error_clear(&err);
    CHECK_INT_EQ(api_page_error(API_PAGE_REPEATED, &w, "ListIdentities", &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK(strstr(err.message, "ListIdentities: page 2 ") != NULL);
    api_page_walk_free(&w);
}

/* A server alternating two tokens, or coming back to the first after many
 * pages, loops as surely as one repeating a token. */
static void test_stops_on_a_token_repeated_anywhere(void)
{
    struct api_page_walk w = API_PAGE_WALK_INIT;
    char token[32];

    CHECK_INT_EQ(advance_token(&w, "A"), API_PAGE_NEXT);
    CHECK_INT_EQ(advance_token(&w, "B"), API_PAGE_NEXT);
    CHECK_INT_EQ(advance_token(&w, "A"), API_PAGE_REPEATED);
    api_page_walk_free(&w);

    for (int i = 0; i < 5000; i++) {
        snprintf(token, sizeof token, "token-%d", i);
        if (advance_token(&w, token) != API_PAGE_NEXT)
            CHECK(!"a new token stopped the walk");
    }
    CHECK_INT_EQ(advance_token(&w, "token-17"), API_PAGE_REPEATED);
    CHECK_INT_EQ(w.pages, 5001);
    api_page_walk_free(&w);

    /* A new walk starts with nothing seen. */
    CHECK_INT_EQ(advance_token(&w, "A"), API_PAGE_NEXT);
    api_page_walk_free(&w);
}

static void test_other_steps_are_not_errors(void)
{
    struct api_page_walk w = API_PAGE_WALK_INIT;
    struct api_error err;

    api_error_clear(&err);
    CHECK_INT_EQ(api_page_error(API_PAGE_NEXT, &w, "ListIdentities", &err), 0);
    CHECK_INT_EQ(api_page_error(API_PAGE_DONE, &w, "ListIdentities", &err), 0);
    CHECK_INT_EQ(err.kind, API_ERR_NONE);
}

int main(void)
{
    RUN(test_follows_new_tokens);
    RUN(test_stops_on_absent_empty_null_or_odd_token);
    RUN(test_stops_on_repeated_token);
    RUN(test_stops_on_a_token_repeated_anywhere);
    RUN(test_other_steps_are_not_errors);
    return check_finish();
}
