/* The XML reader (api/xml.h): IAM's answer shapes, entities, namespaces,
 * and every kind of bad input refused with a line number, never a crash. */
#include <stdlib.h>
#include <string.h>

#include "api/xml.h"
#include "tests/unit/check.h"

static struct xml_node *parse(const char *s, struct api_error *err)
{
    api_error_clear(err);
    return api_xml_parse(s, strlen(s), err);
}

static void test_reads_iam_get_role_answer(void)
{
    const char *doc =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n"
        "  <GetRoleResult>\n"
        "    <Role>\n"
        "      <Path>/</Path>\n"
        "      <AssumeRolePolicyDocument>%7B%22a%22%3A1%7D</AssumeRolePolicyDocument>\n"
        "      <RoleName>guest</RoleName>\n"
        "      <Arn>arn:aws:iam::123456789012:role/guest</Arn>\n"
        "    </Role>\n"
        "  </GetRoleResult>\n"
        "  <ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata>\n"
        "</GetRoleResponse>\n";
    struct api_error err;
    struct xml_node *root = parse(doc, &err);

    CHECK(root != NULL);
    CHECK_STR_EQ(root->name, "GetRoleResponse");
    CHECK_STR_EQ(api_xml_text(root, "GetRoleResult/Role/RoleName"), "guest");
    CHECK_STR_EQ(api_xml_text(root, "GetRoleResult/Role/AssumeRolePolicyDocument"),
                 "%7B%22a%22%3A1%7D");
    CHECK_STR_EQ(api_xml_text(root, "ResponseMetadata/RequestId"), "rid-1");
    CHECK(api_xml_text(root, "GetRoleResult/Role/Missing") == NULL);
    CHECK(api_xml_path(root, "") == root);
    api_xml_free(root);
}

static void test_decodes_entities_and_character_references(void)
{
    struct api_error err;
    struct xml_node *root = parse("<a><b>x &lt;&gt;&amp;&quot;&apos; &#233;&#x263A;</b></a>", &err);

    CHECK(root != NULL);
    CHECK_STR_EQ(api_xml_text(root, "b"), "x <>&\"' \xc3\xa9\xe2\x98\xba");
    api_xml_free(root);
    root = parse("<a><![CDATA[<not a tag>]]></a>", &err);
    CHECK(root != NULL);
    CHECK_STR_EQ(root->text, "<not a tag>");
    api_xml_free(root);
}

static void test_prefixed_namespace_gives_local_name(void)
{
    struct api_error err;
    struct xml_node *root =
        parse("<x:R xmlns:x=\"urn:a\"><x:Code>Throttling</x:Code><Plain>1</Plain></x:R>", &err);

    CHECK(root != NULL);
    CHECK_STR_EQ(root->name, "R");
    CHECK_STR_EQ(api_xml_text(root, "Code"), "Throttling");
    CHECK_STR_EQ(api_xml_text(root, "Plain"), "1");
    api_xml_free(root);
}

static void test_lists_of_members_in_order(void)
{
    struct api_error err;
    struct xml_node *root =
        parse("<L><PolicyNames><member>a</member><member>b</member><member>c</member>"
              "</PolicyNames><IsTruncated>true</IsTruncated></L>",
              &err);
    const struct xml_node *list = api_xml_child(root, "PolicyNames");
    char seen[8] = "";
    size_t k = 0;

    for (const struct xml_node *m = list ? list->first_child : NULL; m && k < 7; m = m->next)
        seen[k++] = m->text[0];
    CHECK_STR_EQ(seen, "abc");
    CHECK(api_xml_true(root, "IsTruncated"));
    CHECK(!api_xml_true(root, "PolicyNames"));
    api_xml_free(root);
}

static void test_refuses_truncated_and_malformed(void)
{
    const char *bad[] = {
        "<GetRoleResponse><GetRoleResult>", /* truncated */
        "<a><b></a></b>",                   /* mismatched */
        "<a>&nosuch;</a>",                  /* undefined entity */
        "<a>\xff\xfe</a>",                  /* not UTF-8 */
        "just text",                        /* no element */
        "<a></a><b></b>",                   /* two roots */
        "<a><b attr=\"1></b></a>",          /* broken attribute */
        "<a>&#0;</a>",                      /* NUL character */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct api_error err;
        struct xml_node *root = parse(bad[i], &err);
        CHECK(root == NULL);
        CHECK_INT_EQ(err.kind, API_ERR_HTTP);
        CHECK(strstr(err.message, "line ") != NULL || strstr(err.message, "no XML") != NULL);
    }
    struct api_error err;
    CHECK(api_xml_parse("", 0, &err) == NULL);
    CHECK(strstr(err.message, "empty") != NULL);
}

static void test_refuses_dtd_and_entity_expansion(void)
{
    const char *laughs = "<?xml version=\"1.0\"?>\n"
                         "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                         "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>\n"
                         "<lolz>&lol2;</lolz>";
    const char *external = "<?xml version=\"1.0\"?>\n"
                           "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
    struct api_error err;

    CHECK(parse(laughs, &err) == NULL);
    CHECK(strstr(err.message, "DTD") != NULL);
    CHECK(parse(external, &err) == NULL);
    CHECK(strstr(err.message, "DTD") != NULL);
}

static void test_depth_limit(void)
{
    size_t depth = API_XML_MAX_DEPTH + 1;
    char *doc = malloc(depth * 7 + 1), *p = doc;
    struct api_error err;

    for (size_t i = 0; i < depth; i++)
        p += sprintf(p, "<a>");
    for (size_t i = 0; i < depth; i++)
        p += sprintf(p, "</a>");
    CHECK(parse(doc, &err) == NULL);
    CHECK(strstr(err.message, "nested deeper") != NULL);
    free(doc);
    /* exactly at the limit is fine */
    doc = malloc(API_XML_MAX_DEPTH * 7 + 1);
    p = doc;
    for (size_t i = 0; i < API_XML_MAX_DEPTH; i++)
        p += sprintf(p, "<a>");
    for (size_t i = 0; i < API_XML_MAX_DEPTH; i++)
        p += sprintf(p, "</a>");
    struct xml_node *root = parse(doc, &err);
    CHECK(root != NULL);
    api_xml_free(root);
    free(doc);
}

static void test_long_text_of_entities(void)
{
    /* 200,000 entities: expat may hand each over alone; must stay linear. */
    size_t n = 200000;
    char *doc = malloc(n * 5 + 16), *p = doc;
    struct api_error err;

    p += sprintf(p, "<a>");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "&amp;");
    sprintf(p, "</a>");
    struct xml_node *root = parse(doc, &err);
    CHECK(root != NULL);
    CHECK_INT_EQ(root ? root->text_len : 0, n);
    api_xml_free(root);
    free(doc);
}

int main(void)
{
    RUN(test_reads_iam_get_role_answer);
    RUN(test_decodes_entities_and_character_references);
    RUN(test_prefixed_namespace_gives_local_name);
    RUN(test_lists_of_members_in_order);
    RUN(test_refuses_truncated_and_malformed);
    RUN(test_refuses_dtd_and_entity_expansion);
    RUN(test_depth_limit);
    RUN(test_long_text_of_entities);
    return check_finish();
}
