/* The audit's checks (tui/audit_checks.h) on crafted pools and policies:
 * each check both firing and not firing, evidence and fixes, and the
 * report formats' shapes (tui/audit_report.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"
#include "tui/audit_checks.h"
#include "tui/audit_report.h"

#define POOL    "us-east-1:12345678-1234-1234-1234-123456789012"
#define ACCT    "123456789012"
#define ROLE(n) "arn:aws:iam::" ACCT ":role/" n

/* ---- a crafted world: roles by ARN ---- */

struct fake_role {
    struct audit_role r;
    struct audit_permission_policy pols[4];
};

static struct fake_role roles[16];
static size_t n_roles;

static const struct audit_role *lookup(void *ctx, const char *arn)
{
    (void)ctx;
    for (size_t i = 0; i < n_roles; i++)
        if (strcmp(roles[i].r.arn, arn) == 0)
            return &roles[i].r;
    return NULL;
}

static struct api_policy *policy(const char *text)
{
    struct api_error err;
    struct api_policy *p = api_policy_parse(text, strlen(text), &err);
    if (!p)
        fprintf(stderr, "  bad test policy: %s\n", err.message);
    return p;
}

static void reset(void)
{
    for (size_t i = 0; i < n_roles; i++) {
        api_policy_free(roles[i].r.trust);
        for (size_t k = 0; k < roles[i].r.n_policies; k++)
            api_policy_free(roles[i].pols[k].policy);
    }
    memset(roles, 0, sizeof roles);
    n_roles = 0;
}

/* A role with a trust policy and permission policies (NULL-terminated). */
static struct fake_role *add_role(const char *arn, const char *trust, ...)
{
    struct fake_role *f = &roles[n_roles++];
    va_list ap;
    const char *doc;

    f->r.arn = arn;
    f->r.state = AUDIT_ROLE_OK;
    f->r.trust = policy(trust);
    va_start(ap, trust);
    while ((doc = va_arg(ap, const char *)) && f->r.n_policies < 4) {
        f->pols[f->r.n_policies].name = "inline";
        f->pols[f->r.n_policies].policy = policy(doc);
        f->r.n_policies++;
    }
    va_end(ap);
    f->r.permissions_read = true;
    f->r.policies = f->pols;
    return f;
}

static char *trust(const char *amr, const char *extra_action)
{
    static char buf[8][1024];
    static int k;
    char *b = buf[k++ % 8];
    snprintf(b, 1024,
             "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
             "{\"Federated\":\"cognito-identity.amazonaws.com\"},\"Action\":["
             "\"sts:AssumeRoleWithWebIdentity\"%s],\"Condition\":{\"StringEquals\":"
             "{\"cognito-identity.amazonaws.com:aud\":\"" POOL "\"},\"ForAnyValue:StringLike\":"
             "{\"cognito-identity.amazonaws.com:amr\":\"%s\"}}}]}",
             extra_action ? extra_action : "", amr);
    return b;
}

static const char *no_aud_trust =
    "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
    "\"cognito-identity.amazonaws.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
    "\"Condition\":{\"ForAnyValue:StringLike\":{\"cognito-identity.amazonaws.com:amr\":"
    "\"authenticated\"}}}]}";

struct world {
    json_object *pool, *roles, *tags;
    struct audit_findings f;
};

static void run(struct world *w, const char *pool_json, const char *roles_json,
                const char *tags_json)
{
    memset(&w->f, 0, sizeof w->f);
    w->pool = json_tokener_parse(pool_json);
    w->roles = json_tokener_parse(roles_json);
    w->tags = tags_json ? json_tokener_parse(tags_json) : NULL;
    struct audit_pool_view v = {"us-east-1", POOL, "app", w->pool, w->roles, w->tags, lookup, NULL};
    audit_run_checks(&v, &w->f);
}

static void done(struct world *w)
{
    audit_findings_free(&w->f);
    json_object_put(w->pool);
    json_object_put(w->roles);
    json_object_put(w->tags);
    reset();
}

static size_t count(const struct world *w, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < w->f.n; i++)
        n += strcmp(w->f.v[i].check->id, id) == 0;
    return n;
}

static const struct audit_finding *first(const struct world *w, const char *id)
{
    for (size_t i = 0; i < w->f.n; i++)
        if (strcmp(w->f.v[i].check->id, id) == 0)
            return &w->f.v[i];
    return NULL;
}

static void dump(const struct world *w)
{
    for (size_t i = 0; i < w->f.n; i++)
        fprintf(stderr, "  finding %s %s: %s\n", w->f.v[i].check->id, w->f.v[i].resource,
                w->f.v[i].title);
}

/* A pool that does everything right: no finding at all. */
#define GOOD_POOL                                                                                  \
    "{\"IdentityPoolId\":\"" POOL "\",\"AllowUnauthenticatedIdentities\":false,"                   \
    "\"AllowClassicFlow\":false,\"CognitoIdentityProviders\":[{\"ProviderName\":"                  \
    "\"cognito-idp.us-east-1.amazonaws.com/us-east-1_abc\",\"ClientId\":\"c\","                    \
    "\"ServerSideTokenCheck\":true}]}"
#define AUTH_ONLY "{\"Roles\":{\"authenticated\":\"" ROLE("Auth") "\"}}"

static void test_clean_pool_has_no_finding(void)
{
    struct world w;
    add_role(ROLE("Auth"), trust("authenticated", NULL), NULL);
    run(&w, GOOD_POOL, AUTH_ONLY, NULL);
    CHECK_INT_EQ(w.f.n, 0);
    if (w.f.n)
        dump(&w);
    done(&w);
}

static void test_cip001_guest_access(void)
{
    struct world w;
    add_role(ROLE("Auth"), trust("authenticated", NULL), NULL);
    add_role(ROLE("Guest"), trust("unauthenticated", NULL),
             "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
             "\"Resource\":\"arn:aws:s3:::public-assets/*\"}}",
             NULL);
    run(&w, "{\"AllowUnauthenticatedIdentities\":true,\"AllowClassicFlow\":false}",
        "{\"Roles\":{\"authenticated\":\"" ROLE("Auth") "\",\"unauthenticated\":\"" ROLE(
            "Guest") "\"}}",
        NULL);
    CHECK_INT_EQ(count(&w, "CIP-001"), 1);
    CHECK_INT_EQ(w.f.n, 1); /* a narrow guest role with the right trust: nothing else */
    const struct audit_finding *f = first(&w, "CIP-001");
    CHECK(f && strstr(f->fix, "AllowUnauthenticatedIdentities false") != NULL);
    CHECK(f && f->check->severity == AUDIT_MEDIUM);
    done(&w);
}

static void test_cip002_classic_flow(void)
{
    struct world w;
    run(&w, "{\"AllowClassicFlow\":true}", "{\"Roles\":{}}", NULL);
    CHECK_INT_EQ(count(&w, "CIP-002"), 1);
    done(&w);
    run(&w, "{}", "{\"Roles\":{}}", NULL); /* never set: still open */
    CHECK_INT_EQ(count(&w, "CIP-002"), 1);
    CHECK(strstr(first(&w, "CIP-002")->title, "never set") != NULL);
    json_object *ev = first(&w, "CIP-002")->evidence, *v = NULL;
    CHECK(json_object_object_get_ex(ev, "AllowClassicFlow", &v) && v == NULL);
    done(&w);
    run(&w, "{\"AllowClassicFlow\":false}", "{\"Roles\":{}}", NULL);
    CHECK_INT_EQ(count(&w, "CIP-002"), 0);
    done(&w);
}

static void test_cip003_no_audience(void)
{
    struct world w;
    add_role(ROLE("Auth"), no_aud_trust, NULL);
    run(&w, GOOD_POOL, AUTH_ONLY, NULL);
    CHECK_INT_EQ(count(&w, "CIP-003"), 1);
    const struct audit_finding *f = first(&w, "CIP-003");
    CHECK(f && strcmp(f->resource, ROLE("Auth")) == 0);
    CHECK(f && f->check->severity == AUDIT_HIGH);
    /* the fix is the corrected trust policy, naming this pool */
    CHECK(f && strstr(f->fix, "update-assume-role-policy --role-name Auth") != NULL);
    CHECK(f && strstr(f->fix, "\"cognito-identity.amazonaws.com:aud\": \"" POOL "\"") != NULL);
    /* the evidence names the statement that let another pool in */
    json_object *idx = NULL;
    CHECK(f && json_object_object_get_ex(f->evidence, "statement_index", &idx) &&
          json_object_get_int(idx) == 0);
    CHECK_INT_EQ(count(&w, "CIP-012"), 0);
    done(&w);

    /* an aud wildcard lets every pool of the Region in too */
    add_role(ROLE("Auth"),
             "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
             "\"cognito-identity.amazonaws.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
             "\"Condition\":{\"StringLike\":{\"cognito-identity.amazonaws.com:aud\":"
             "\"us-east-1:*\"},\"ForAnyValue:StringLike\":{\"cognito-identity.amazonaws.com:amr\":"
             "\"authenticated\"}}}]}",
             NULL);
    run(&w, GOOD_POOL, AUTH_ONLY, NULL);
    CHECK_INT_EQ(count(&w, "CIP-003"), 1);
    done(&w);

    /* the fix itself passes */
    json_object *t = audit_recommended_trust(POOL, true, false);
    const char *text = json_object_to_json_string(t);
    add_role(ROLE("Auth"), text, NULL);
    json_object_put(t);
    run(&w, GOOD_POOL, AUTH_ONLY, NULL);
    CHECK_INT_EQ(w.f.n, 0);
    done(&w);
}

static void test_cip004_amr(void)
{
    struct world w;
    /* no amr condition on the authenticated role: guests may assume it */
    add_role(ROLE("Auth"),
             "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
             "\"cognito-identity.amazonaws.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
             "\"Condition\":{\"StringEquals\":{\"cognito-identity.amazonaws.com:aud\":\"" POOL
             "\"}}}]}",
             NULL);
    run(&w, GOOD_POOL, AUTH_ONLY, NULL);
    CHECK_INT_EQ(count(&w, "CIP-004"), 1);
    CHECK(strstr(first(&w, "CIP-004")->title, "no cognito-identity.amazonaws.com:amr") != NULL);
    CHECK_INT_EQ(count(&w, "CIP-003"), 0);
    done(&w);
    /* the wrong kind */
    add_role(ROLE("Auth"), trust("unauthenticated", NULL), NULL);
    run(&w, GOOD_POOL, AUTH_ONLY, NULL);
    CHECK_INT_EQ(count(&w, "CIP-004"), 1);
    CHECK(strstr(first(&w, "CIP-004")->title, "wrong kind") != NULL);
    CHECK_INT_EQ(count(&w, "CIP-012"), 0); /* one finding, not two */
    done(&w);
    /* right kind */
    add_role(ROLE("Auth"), trust("authenticated", NULL), NULL);
    run(&w, GOOD_POOL, AUTH_ONLY, NULL);
    CHECK_INT_EQ(count(&w, "CIP-004"), 0);
    done(&w);
}

#define GUEST_POOL(classic)                                                                        \
    "{\"AllowUnauthenticatedIdentities\":true,\"AllowClassicFlow\":" classic "}"
#define GUEST_ROLES "{\"Roles\":{\"unauthenticated\":\"" ROLE("Guest") "\"}}"

static void test_cip005_guest_permissions(void)
{
    struct world w;
    const char *broad = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\","
                        "\"iam:*\"],\"Resource\":\"arn:aws:s3:::b/*\"}]}";

    /* classic flow: the whole policy counts, iam:* included */
    add_role(ROLE("Guest"), trust("unauthenticated", NULL), broad, NULL);
    run(&w, GUEST_POOL("true"), GUEST_ROLES, NULL);
    CHECK_INT_EQ(count(&w, "CIP-005"), 1);
    const struct audit_finding *f = first(&w, "CIP-005");
    const char *ev = f ? json_object_to_json_string(f->evidence) : "";
    CHECK(strstr(ev, "iam:*") != NULL && strstr(ev, "s3:PutObject") != NULL);
    done(&w);

    /* enhanced flow: iam is outside the guest scope-down, s3 is not */
    add_role(ROLE("Guest"), trust("unauthenticated", NULL),
             "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:*\",\"sts:*\"],"
             "\"Resource\":\"*\"}]}",
             NULL);
    run(&w, GUEST_POOL("false"), GUEST_ROLES, NULL);
    CHECK_INT_EQ(count(&w, "CIP-005"), 0);
    done(&w);
    add_role(ROLE("Guest"), trust("unauthenticated", NULL), broad, NULL);
    run(&w, GUEST_POOL("false"), GUEST_ROLES, NULL);
    CHECK_INT_EQ(count(&w, "CIP-005"), 1);
    /* the reasons name s3:PutObject and not iam:* (the statement shows both) */
    json_object *sts = NULL, *why = NULL;
    json_object_object_get_ex(first(&w, "CIP-005")->evidence, "statements", &sts);
    json_object_object_get_ex(json_object_array_get_idx(sts, 0), "why", &why);
    ev = json_object_to_json_string(why);
    CHECK(strstr(ev, "s3:PutObject") != NULL && strstr(ev, "iam:*") == NULL);
    done(&w);

    /* reads on named resources: fine; a "*" resource is not */
    add_role(ROLE("Guest"), trust("unauthenticated", NULL),
             "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
             "\"Resource\":\"arn:aws:s3:::b/public/*\"}]}",
             NULL);
    run(&w, GUEST_POOL("false"), GUEST_ROLES, NULL);
    CHECK_INT_EQ(count(&w, "CIP-005"), 0);
    done(&w);
    add_role(ROLE("Guest"), trust("unauthenticated", NULL),
             "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
             "\"Resource\":\"*\"}]}",
             NULL);
    run(&w, GUEST_POOL("false"), GUEST_ROLES, NULL);
    CHECK_INT_EQ(count(&w, "CIP-005"), 1);
    done(&w);
    /* guests off: the guest role is not judged */
    add_role(ROLE("Guest"), trust("unauthenticated", NULL), broad, NULL);
    run(&w, "{\"AllowUnauthenticatedIdentities\":false,\"AllowClassicFlow\":true}", GUEST_ROLES,
        NULL);
    CHECK_INT_EQ(count(&w, "CIP-005"), 0);
    done(&w);
}

/* A Rules mapping for graph.facebook.com: AmbiguousRoleResolution, then the rule's claim. */
#define MAPS_FMT                                                                                   \
    "{\"Roles\":{\"authenticated\":\"" ROLE(                                                       \
        "Auth") "\"},\"RoleMappings\":{"                                                           \
                "\"graph.facebook.com\":{\"Type\":\"Rules\",\"AmbiguousRoleResolution\":\"%s\","   \
                "\"RulesConfiguration\":{\"Rules\":[{\"Claim\":\"%s\",\"MatchType\":\"Equals\","   \
                "\"Value\":\"x\",\"RoleARN\":\"" ROLE("Rule") "\"}]}}}}"

static void test_cip006_role_mapping(void)
{
    struct world w;
    const char *wide = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                       "\"Resource\":\"*\"}}";
    const char *narrow = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                         "\"Resource\":\"*\"}}";
    char maps[1024];

    /* fallback to a default role broader than the rule role */
    add_role(ROLE("Auth"), trust("authenticated", NULL), wide, NULL);
    add_role(ROLE("Rule"), trust("authenticated", NULL), narrow, NULL);
    snprintf(maps, sizeof maps, MAPS_FMT, "AuthenticatedRole", "email");
    run(&w, GOOD_POOL, maps, NULL);
    CHECK_INT_EQ(count(&w, "CIP-006"), 1);
    CHECK(strstr(first(&w, "CIP-006")->title, "s3:*") != NULL);
    done(&w);
    /* Deny: no fallback */
    add_role(ROLE("Auth"), trust("authenticated", NULL), wide, NULL);
    add_role(ROLE("Rule"), trust("authenticated", NULL), narrow, NULL);
    snprintf(maps, sizeof maps, MAPS_FMT, "Deny", "email");
    run(&w, GOOD_POOL, maps, NULL);
    CHECK_INT_EQ(count(&w, "CIP-006"), 0);
    done(&w);
    /* a custom: claim for a more privileged role */
    add_role(ROLE("Auth"), trust("authenticated", NULL), narrow, NULL);
    add_role(ROLE("Rule"), trust("authenticated", NULL), wide, NULL);
    snprintf(maps, sizeof maps, MAPS_FMT, "Deny", "custom:tier");
    run(&w, GOOD_POOL, maps, NULL);
    CHECK_INT_EQ(count(&w, "CIP-006"), 1);
    CHECK(strstr(first(&w, "CIP-006")->title, "custom:tier") != NULL);
    done(&w);
    /* ... but not for a claim users cannot set */
    add_role(ROLE("Auth"), trust("authenticated", NULL), narrow, NULL);
    add_role(ROLE("Rule"), trust("authenticated", NULL), wide, NULL);
    snprintf(maps, sizeof maps, MAPS_FMT, "Deny", "cognito:groups");
    run(&w, GOOD_POOL, maps, NULL);
    CHECK_INT_EQ(count(&w, "CIP-006"), 0);
    done(&w);
    /* Token mapping falling back to the default role */
    add_role(ROLE("Auth"), trust("authenticated", NULL), narrow, NULL);
    run(&w, GOOD_POOL,
        "{\"Roles\":{\"authenticated\":\"" ROLE(
            "Auth") "\"},\"RoleMappings\":{\"p\":{\"Type\":"
                    "\"Token\",\"AmbiguousRoleResolution\":\"AuthenticatedRole\"}}}",
        NULL);
    CHECK_INT_EQ(count(&w, "CIP-006"), 1);
    done(&w);
}

static void test_cip007_tag_session(void)
{
    struct world w;
    const char *tags = "{\"cognito-idp.us-east-1.amazonaws.com/us-east-1_abc\":{\"UseDefaults\":"
                       "false,\"PrincipalTags\":{\"dept\":\"custom:dept\"}}}";
    add_role(ROLE("Auth"), trust("authenticated", NULL), NULL);
    run(&w, GOOD_POOL, AUTH_ONLY, tags);
    CHECK_INT_EQ(count(&w, "CIP-007"), 1);
    CHECK(strstr(first(&w, "CIP-007")->fix, "sts:TagSession") != NULL);
    done(&w);
    add_role(ROLE("Auth"), trust("authenticated", ",\"sts:TagSession\""), NULL);
    run(&w, GOOD_POOL, AUTH_ONLY, tags);
    CHECK_INT_EQ(count(&w, "CIP-007"), 0);
    done(&w);
    /* no tags mapped: no need */
    add_role(ROLE("Auth"), trust("authenticated", NULL), NULL);
    run(&w, GOOD_POOL, AUTH_ONLY,
        "{\"cognito-idp.us-east-1.amazonaws.com/us-east-1_abc\":{\"UseDefaults\":false,"
        "\"PrincipalTags\":{}}}");
    CHECK_INT_EQ(count(&w, "CIP-007"), 0);
    done(&w);
}

static void test_cip008_cip009_providers(void)
{
    struct world w;
    run(&w,
        "{\"AllowClassicFlow\":false,\"DeveloperProviderName\":\"login.app\","
        "\"SupportedLoginProviders\":{\"graph.facebook.com\":\"1\"},"
        "\"CognitoIdentityProviders\":[{\"ProviderName\":\"cognito-idp.us-east-1.amazonaws.com/"
        "us-east-1_a\",\"ClientId\":\"c\",\"ServerSideTokenCheck\":false},{\"ProviderName\":"
        "\"cognito-idp.us-east-1.amazonaws.com/us-east-1_b\",\"ClientId\":\"d\"}]}",
        "{\"Roles\":{}}", NULL);
    CHECK_INT_EQ(count(&w, "CIP-008"), 2);
    CHECK_INT_EQ(count(&w, "CIP-009"), 1);
    done(&w);
    run(&w, "{\"AllowClassicFlow\":false,\"DeveloperProviderName\":\"login.app\"}",
        "{\"Roles\":{}}", NULL);
    CHECK_INT_EQ(count(&w, "CIP-009"), 0);
    CHECK_INT_EQ(count(&w, "CIP-008"), 0);
    done(&w);
}

static void test_cip010_cip011_cip000(void)
{
    struct world w;
    struct fake_role *gone = &roles[n_roles++];
    gone->r.arn = ROLE("Gone");
    gone->r.state = AUDIT_ROLE_MISSING;
    gone->r.why = "NoSuchEntity: The role with name Gone cannot be found.";
    struct fake_role *other = &roles[n_roles++];
    other->r.arn = "arn:aws:iam::999999999999:role/Other";
    other->r.state = AUDIT_ROLE_UNREADABLE;
    other->r.why = "the role belongs to account 999999999999";
    run(&w, GOOD_POOL,
        "{\"Roles\":{\"authenticated\":\"" ROLE(
            "Gone") "\",\"unauthenticated\":"
                    "\"arn:aws:iam::999999999999:role/Other\"}}",
        NULL);
    CHECK_INT_EQ(count(&w, "CIP-010"), 1);
    CHECK_INT_EQ(count(&w, "CIP-000"), 1);
    CHECK(strstr(first(&w, "CIP-000")->title, "not audited") != NULL);
    CHECK_INT_EQ(count(&w, "CIP-011"), 0);
    done(&w);
    run(&w, GOOD_POOL, "{\"Roles\":{}}", NULL);
    CHECK_INT_EQ(count(&w, "CIP-011"), 1);
    CHECK_INT_EQ(first(&w, "CIP-011")->check->severity, AUDIT_INFO);
    done(&w);
    /* a trust policy that does not parse is not audited, never skipped */
    struct fake_role *bad = &roles[n_roles++];
    bad->r.arn = ROLE("Auth");
    bad->r.state = AUDIT_ROLE_OK;
    bad->r.trust_error = "policy statement 1: no Effect";
    run(&w, GOOD_POOL, AUTH_ONLY, NULL);
    CHECK_INT_EQ(count(&w, "CIP-000"), 1);
    CHECK(strstr(first(&w, "CIP-000")->title, "no Effect") != NULL);
    done(&w);
}

static void test_cip012_trust_cannot_work(void)
{
    struct world w;
    const char *cases[][2] = {
        {"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
         "\"Action\":\"sts:AssumeRole\"}]}",
         "another principal"},
        {"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
         "\"cognito-identity.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
         "sts:AssumeRole"},
        {"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
         "\"cognito-identity.amazonaws.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
         "\"Condition\":{\"StringEquals\":{\"cognito-identity.amazonaws.com:aud\":"
         "\"us-east-1:99999999-9999-9999-9999-999999999999\"}}}]}",
         "names another identity pool"},
    };
    for (size_t i = 0; i < 3; i++) {
        add_role(ROLE("Auth"), cases[i][0], NULL);
        run(&w, GOOD_POOL, AUTH_ONLY, NULL);
        CHECK_INT_EQ(count(&w, "CIP-012"), 1);
        const struct audit_finding *f = first(&w, "CIP-012");
        if (f && !strstr(f->title, cases[i][1])) {
            fprintf(stderr, "  case %zu: %s\n", i, f->title);
            CHECK(strstr(f->title, cases[i][1]) != NULL);
        }
        CHECK(f && strstr(f->fix, "sts:AssumeRoleWithWebIdentity") != NULL);
        CHECK_INT_EQ(count(&w, "CIP-003"), 0);
        done(&w);
    }
}

static void test_table_is_one_table(void)
{
    CHECK_INT_EQ(audit_n_checks, 13);
    for (size_t i = 0; i < audit_n_checks; i++) {
        char want[32];
        snprintf(want, sizeof want, "CIP-%03zu", i);
        CHECK_STR_EQ(audit_checks[i].id, want);
        CHECK(audit_checks[i].run != NULL);
        CHECK(audit_checks[i].title[0] && audit_checks[i].fix[0] && audit_checks[i].name[0]);
    }
    CHECK(audit_check_find("CIP-012") == &audit_checks[12]);
    CHECK(audit_check_find("CIP-013") == NULL);
    static const enum audit_severity sev[] = {
        AUDIT_MEDIUM, AUDIT_MEDIUM, AUDIT_MEDIUM, AUDIT_HIGH, AUDIT_HIGH, AUDIT_HIGH, AUDIT_LOW,
        AUDIT_MEDIUM, AUDIT_LOW,    AUDIT_LOW,    AUDIT_HIGH, AUDIT_INFO, AUDIT_HIGH};
    for (size_t i = 0; i < 13; i++)
        CHECK_INT_EQ(audit_checks[i].severity, sev[i]);
}

#define CSV_HEAD "check,severity,region,pool_id,pool_name,resource,title,evidence,fix\r\n"

static void test_report_shapes(void)
{
    struct world w;
    add_role(ROLE("Auth"), no_aud_trust, NULL);
    run(&w, "{\"AllowUnauthenticatedIdentities\":true,\"AllowClassicFlow\":true}", AUTH_ONLY, NULL);
    audit_findings_sort(&w.f);
    CHECK(w.f.n >= 3);
    CHECK_STR_EQ(w.f.v[0].check->id, "CIP-003"); /* high first */
    const char *regions[] = {"us-east-1"};
    struct audit_report_meta m = {"2024-01-01T00:00:00Z", ACCT, regions, 1, 1};

    json_object *doc = audit_report_json(&m, &w.f), *v = NULL;
    CHECK(json_object_object_get_ex(doc, "findings", &v) && json_object_array_length(v) == w.f.n);
    json_object *f0 = json_object_array_get_idx(v, 0);
    static const char *const keys[] = {"check",    "severity", "region",   "pool_id", "pool_name",
                                       "resource", "title",    "evidence", "fix"};
    for (size_t k = 0; k < 9; k++)
        CHECK(json_object_object_get_ex(f0, keys[k], NULL));
    CHECK_INT_EQ(json_object_object_length(f0), 9);
    CHECK(json_object_object_get_ex(doc, "pools_audited", &v) && json_object_get_int(v) == 1);
    json_object_put(doc);

    json_object *sarif = audit_report_sarif(&m, &w.f), *runs = NULL, *results = NULL;
    CHECK(json_object_object_get_ex(sarif, "runs", &runs));
    json_object *run0 = json_object_array_get_idx(runs, 0);
    CHECK(json_object_object_get_ex(run0, "results", &results) &&
          json_object_array_length(results) == w.f.n);
    json_object *r0 = json_object_array_get_idx(results, 0), *level = NULL;
    CHECK(json_object_object_get_ex(r0, "level", &level) &&
          strcmp(json_object_get_string(level), "error") == 0);
    const char *text = json_object_to_json_string_ext(r0, JSON_C_TO_STRING_NOSLASHESCAPE);
    CHECK(strstr(text, "arn:aws:cognito-identity:us-east-1:" ACCT ":identitypool/" POOL) != NULL);
    json_object_put(sarif);

    /* every format writes; a table escapes a hostile pool name */
    free(w.f.v[0].pool_name);
    w.f.v[0].pool_name = strdup("evil\x1b]0;owned\x07\nname");
    for (int fmt = AUDIT_FORMAT_TABLE; fmt <= AUDIT_FORMAT_MARKDOWN; fmt++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        CHECK_INT_EQ(audit_report_write(mem, (enum audit_format)fmt, &m, &w.f, false), 0);
        fclose(mem);
        CHECK(len > 0);
        if (fmt == AUDIT_FORMAT_TABLE)
            CHECK(strchr(buf, '\x1b') == NULL && strstr(buf, "evil\\x1b") != NULL);
        if (fmt == AUDIT_FORMAT_CSV)
            CHECK(strncmp(buf, CSV_HEAD, strlen(CSV_HEAD)) == 0);
        if (fmt == AUDIT_FORMAT_MARKDOWN)
            CHECK(strstr(buf, "# Cognito identity pool audit") && strstr(buf, "```json"));
        free(buf);
    }
    done(&w);
}

int main(void)
{
    RUN(test_clean_pool_has_no_finding);
    RUN(test_cip001_guest_access);
    RUN(test_cip002_classic_flow);
    RUN(test_cip003_no_audience);
    RUN(test_cip004_amr);
    RUN(test_cip005_guest_permissions);
    RUN(test_cip006_role_mapping);
    RUN(test_cip007_tag_session);
    RUN(test_cip008_cip009_providers);
    RUN(test_cip010_cip011_cip000);
    RUN(test_cip012_trust_cannot_work);
    RUN(test_table_is_one_table);
    RUN(test_report_shapes);
    return check_finish();
}
