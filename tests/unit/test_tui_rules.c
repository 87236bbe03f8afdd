/* tests/unit/test_tui_rules.c — the rules editor's helpers (claims, checks, reordering). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tui/rules.h"

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

static void test_parse_claims(void)
{
    char text[] = "isAdmin = yes\n\n email=a=b \nplan=";
    struct api_role_claim c[4];
    int bad = 0;
    CHECK_INT_EQ(rules_parse_claims(text, c, 4, &bad), 3);
    CHECK_STR_EQ(c[0].name, "isAdmin");
    CHECK_STR_EQ(c[0].value, "yes");
    CHECK_STR_EQ(c[1].name, "email");
    CHECK_STR_EQ(c[1].value, "a=b ");
    CHECK_STR_EQ(c[2].value, "");
    char bad_text[] = "a=1\nnovalue\n";
    CHECK_INT_EQ(rules_parse_claims(bad_text, c, 4, &bad), -1);
    CHECK_INT_EQ(bad, 2);
}

static void test_check_limits(void)
{
    json_object *cfg = json_tokener_parse(config_text);
    json_object *maps;
    json_object_object_get_ex(cfg, "RoleMappings", &maps);
    char err[300] = "";
    CHECK_INT_EQ(rules_check(maps, err, sizeof err), 0);
    /* 26 rules for one provider: refused, naming it. */
    json_object *m, *rc, *rules;
    json_object_object_get_ex(maps, "login.example", &m);
    json_object_object_get_ex(m, "RulesConfiguration", &rc);
    json_object_object_get_ex(rc, "Rules", &rules);
    for (int i = 0; i < 25; i++)
        json_object_array_add(rules, json_object_get(json_object_array_get_idx(rules, 0)));
    CHECK_INT_EQ(rules_check(maps, err, sizeof err), -1);
    CHECK(strstr(err, "login.example: 26 rules, at most 25") != NULL);
    json_object_array_del_idx(rules, 1, 25);
    json_object *bad = json_tokener_parse("{\"Claim\":\"x\",\"MatchType\":\"Like\",\"Value\":\"1\","
                                          "\"RoleARN\":\"arn:aws:iam::1:role/A\"}");
    json_object_array_add(rules, bad);
    CHECK_INT_EQ(rules_check(maps, err, sizeof err), -1);
    CHECK(strstr(err, "login.example rule 2: MatchType") != NULL);
    json_object_put(cfg);
}

static void test_move(void)
{
    json_object *cfg = json_tokener_parse(config_text);
    json_object *maps;
    json_object_object_get_ex(cfg, "RoleMappings", &maps);
    CHECK_INT_EQ(rules_move(maps, "graph.facebook.com", 3, 0), 0);
    struct api_role_choice r;
    struct api_role_claim both[] = {{"isAdmin", "yes"}, {"tier", "gold"}};
    api_role_select(cfg, "graph.facebook.com", both, 2, NULL, &r);
    CHECK_STR_EQ(r.role, "arn:aws:iam::1:role/NotFree"); /* now first */
    CHECK_INT_EQ(rules_move(maps, "graph.facebook.com", 0, 3), 0);
    api_role_select(cfg, "graph.facebook.com", both, 2, NULL, &r);
    CHECK_STR_EQ(r.role, "arn:aws:iam::1:role/Admin");
    CHECK_INT_EQ(rules_move(maps, "graph.facebook.com", 0, 4), -1);
    CHECK_INT_EQ(rules_move(maps, "nope", 0, 0), -1);
    json_object_put(cfg);
}

int main(void)
{
    RUN(test_parse_claims);
    RUN(test_check_limits);
    RUN(test_move);
    return check_finish();
}
