/* tests/unit/test_api_role_select.c — role selection as GetCredentialsForIdentity makes it
 * (api/role_select.h): rules in order, NotEqual on an absent claim, Token mappings,
 * CustomRoleArn, AmbiguousRoleResolution, guests. */
#include <stdlib.h>
#include <string.h>

#include "api/role_select.h"
#include "check.h"

static const char *config_text =
    "{\"Roles\":{\"authenticated\":\"arn:aws:iam::1:role/Auth\","
    "\"unauthenticated\":\"arn:aws:iam::1:role/Unauth\"},"
    "\"RoleMappings\":{"
    " \"graph.facebook.com\":{\"Type\":\"Rules\",\"AmbiguousRoleResolution\":\"Deny\","
    "  \"RulesConfiguration\":{\"Rules\":["
    "   "
    "{\"Claim\":\"isAdmin\",\"MatchType\":\"Equals\",\"Value\":\"yes\",\"RoleARN\":\"arn:aws:iam::"
    "1:role/Admin\"},"
    "   "
    "{\"Claim\":\"email\",\"MatchType\":\"StartsWith\",\"Value\":\"ops\",\"RoleARN\":\"arn:aws:iam:"
    ":1:role/Ops\"},"
    "   "
    "{\"Claim\":\"plan\",\"MatchType\":\"Contains\",\"Value\":\"paid\",\"RoleARN\":\"arn:aws:iam::"
    "1:role/Paid\"},"
    "   "
    "{\"Claim\":\"tier\",\"MatchType\":\"NotEqual\",\"Value\":\"free\",\"RoleARN\":\"arn:aws:iam::"
    "1:role/NotFree\"}]}},"
    " \"accounts.google.com\":{\"Type\":\"Token\",\"AmbiguousRoleResolution\":"
    "\"AuthenticatedRole\"},"
    " \"login.example\":{\"Type\":\"Rules\",\"AmbiguousRoleResolution\":\"AuthenticatedRole\","
    "  \"RulesConfiguration\":{\"Rules\":["
    "   "
    "{\"Claim\":\"a\",\"MatchType\":\"Equals\",\"Value\":\"1\",\"RoleARN\":\"arn:aws:iam::1:role/"
    "A\"}]}}}}";

static void test_first_matching_rule_wins(void)
{
    json_object *cfg = json_tokener_parse(config_text);
    struct api_role_choice r;
    struct api_role_claim both[] = {{"email", "ops@x"}, {"isAdmin", "yes"}};
    api_role_select(cfg, "graph.facebook.com", both, 2, NULL, &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_MATCHED);
    CHECK_INT_EQ(r.rule, 0);
    CHECK_STR_EQ(r.role, "arn:aws:iam::1:role/Admin");

    struct api_role_claim ops[] = {{"email", "ops@x"}, {"isAdmin", "no"}};
    api_role_select(cfg, "graph.facebook.com", ops, 2, NULL, &r);
    CHECK_INT_EQ(r.rule, 1);
    CHECK_STR_EQ(r.role, "arn:aws:iam::1:role/Ops");
    CHECK(strstr(r.why, "rule 2") != NULL);

    struct api_role_claim plan[] = {{"plan", "gold-paid-2024"}};
    api_role_select(cfg, "graph.facebook.com", plan, 1, NULL, &r);
    CHECK_INT_EQ(r.rule, 2);

    struct api_role_claim tier[] = {{"tier", "gold"}};
    api_role_select(cfg, "graph.facebook.com", tier, 1, NULL, &r);
    CHECK_INT_EQ(r.rule, 3);
    json_object_put(cfg);
}

static void test_no_match_ambiguous(void)
{
    json_object *cfg = json_tokener_parse(config_text);
    struct api_role_choice r;
    struct api_role_claim free_tier[] = {{"tier", "free"}, {"email", "dev@x"}};
    api_role_select(cfg, "graph.facebook.com", free_tier, 2, NULL, &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_DENIED);
    CHECK(r.role == NULL);
    CHECK(strstr(r.why, "Deny") != NULL);

    struct api_role_claim none[] = {{"a", "2"}};
    api_role_select(cfg, "login.example", none, 1, NULL, &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_DEFAULT_ROLE);
    CHECK_STR_EQ(r.role, "arn:aws:iam::1:role/Auth");

    /* An absent claim matches nothing, NotEqual included. */
    api_role_select(cfg, "graph.facebook.com", NULL, 0, NULL, &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_DENIED);

    api_role_select(cfg, "unmapped.example", NULL, 0, NULL, &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_DEFAULT_ROLE);
    CHECK_STR_EQ(r.role, "arn:aws:iam::1:role/Auth");
    json_object_put(cfg);
}

static void test_token_mapping(void)
{
    json_object *cfg = json_tokener_parse(config_text);
    struct api_role_choice r;
    struct api_role_claim pref[] = {{"cognito:roles", "arn:r/A,arn:r/B"},
                                    {"cognito:preferred_role", "arn:r/B"}};
    api_role_select(cfg, "accounts.google.com", pref, 2, NULL, &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_TOKEN_ROLE);
    CHECK_STR_EQ(r.role, "arn:r/B");
    api_role_select(cfg, "accounts.google.com", pref, 1, NULL, &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_DEFAULT_ROLE);
    /* cognito:roles alone is not a choice: the ambiguous resolution decides. */
    struct api_role_claim one[] = {{"cognito:roles", "arn:r/A"}};
    api_role_select(cfg, "accounts.google.com", one, 1, NULL, &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_DEFAULT_ROLE);
    CHECK_STR_EQ(r.role, "arn:aws:iam::1:role/Auth");
    json_object_put(cfg);
}

static void test_custom_role_arn(void)
{
    json_object *cfg = json_tokener_parse(config_text);
    struct api_role_choice r;
    /* Token: CustomRoleArn among the token's cognito:roles wins over the preferred role. */
    struct api_role_claim pref[] = {{"cognito:roles", "arn:r/A,arn:r/B"},
                                    {"cognito:preferred_role", "arn:r/B"}};
    api_role_select(cfg, "accounts.google.com", pref, 2, "arn:r/A", &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_CUSTOM_ROLE);
    CHECK_STR_EQ(r.role, "arn:r/A");
    /* ...and is ignored when the token does not allow it. */
    api_role_select(cfg, "accounts.google.com", pref, 2, "arn:r/C", &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_TOKEN_ROLE);
    CHECK_STR_EQ(r.role, "arn:r/B");
    /* Rules: the role of any matching rule, not only the first. */
    struct api_role_claim both[] = {{"email", "ops@x"}, {"isAdmin", "yes"}};
    api_role_select(cfg, "graph.facebook.com", both, 2, "arn:aws:iam::1:role/Ops", &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_CUSTOM_ROLE);
    CHECK_INT_EQ(r.rule, 1);
    api_role_select(cfg, "graph.facebook.com", both, 2, "arn:aws:iam::1:role/Paid", &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_MATCHED);
    CHECK_INT_EQ(r.rule, 0);
    json_object_put(cfg);
}

static void test_guest_and_no_role(void)
{
    json_object *cfg = json_tokener_parse(config_text);
    struct api_role_choice r;
    api_role_select(cfg, NULL, NULL, 0, NULL, &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_DEFAULT_ROLE);
    CHECK_STR_EQ(r.role, "arn:aws:iam::1:role/Unauth");
    json_object *bare = json_tokener_parse("{\"Roles\":{}}");
    api_role_select(bare, NULL, NULL, 0, NULL, &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_NO_ROLE);
    CHECK(r.role == NULL);
    api_role_select(bare, "accounts.google.com", NULL, 0, NULL, &r);
    CHECK_INT_EQ(r.outcome, API_ROLE_NO_ROLE);
    json_object_put(bare);
    json_object_put(cfg);
}

int main(void)
{
    RUN(test_first_matching_rule_wins);
    RUN(test_no_match_ambiguous);
    RUN(test_token_mapping);
    RUN(test_custom_role_arn);
    RUN(test_guest_and_no_role);
    return check_finish();
}
