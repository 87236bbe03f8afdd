/* ARNs and partitions (api/arn.h): parsing, accounts, role ARNs, pool ARNs. */
#include <string.h>

#include "api/arn.h"
#include "tests/unit/check.h"

static void test_partition_of_region(void)
{
    CHECK_STR_EQ(api_partition_of_region("us-east-1")->name, "aws");
    CHECK_STR_EQ(api_partition_of_region("eu-west-3")->name, "aws");
    CHECK_STR_EQ(api_partition_of_region("cn-northwest-1")->name, "aws-cn");
    CHECK_STR_EQ(api_partition_of_region("cn-north-1")->dns_suffix, "amazonaws.com.cn");
    CHECK_STR_EQ(api_partition_of_region("us-gov-east-1")->name, "aws-us-gov");
    CHECK_STR_EQ(api_partition_of_region("us-gov-east-1")->global_region, "us-gov-west-1");
    CHECK_STR_EQ(api_partition_of_region("us-iso-east-1")->name, "aws-iso");
    CHECK_STR_EQ(api_partition_of_region("us-isob-east-1")->name, "aws-iso-b");
    CHECK_STR_EQ(api_partition_of_region(NULL)->name, "aws");
    CHECK_STR_EQ(api_partition_of_region("cn")->name, "aws");
    CHECK_STR_EQ(api_partition_named("aws")->iam_host, "iam.amazonaws.com");
    CHECK_STR_EQ(api_partition_named("aws-cn")->global_region, "cn-north-1");
    CHECK(api_partition_named("aws-moon") == NULL);
}

static void test_parse_splits_six_fields(void)
{
    struct api_arn a;
    const char *why = "unset";

    CHECK_INT_EQ(api_arn_parse("arn:aws:iam::123456789012:role/path/to/Name", &a, &why), 0);
    CHECK(why == NULL);
    CHECK_STR_EQ(a.partition, "aws");
    CHECK_STR_EQ(a.service, "iam");
    CHECK_STR_EQ(a.region, "");
    CHECK_STR_EQ(a.account, "123456789012");
    CHECK_STR_EQ(a.resource, "role/path/to/Name");
    CHECK_INT_EQ(api_arn_parse("arn:aws-cn:cognito-identity:cn-north-1:123456789012:"
                               "identitypool/cn-north-1:abc",
                               &a, &why),
                 0);
    CHECK_STR_EQ(a.resource, "identitypool/cn-north-1:abc");
}

static void test_parse_refuses_what_is_not_an_arn(void)
{
    const char *bad[] = {NULL,
                         "",
                         "arn",
                         "arn:aws",
                         "arn:aws:iam",
                         "arn::iam:::role/x",
                         "arn:aws::::x",
                         "arn:aws:iam:::",
                         "ARN:aws:iam::123456789012:role/x",
                         "role/x"};
    struct api_arn a;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = NULL;
        CHECK_INT_EQ(api_arn_parse(bad[i], &a, &why), -1);
        CHECK(why != NULL && *why);
        CHECK_STR_EQ(a.partition, "");
    }
}

static void test_account_from_arn_every_partition(void)
{
    char account[13], partition[32];

    CHECK(api_account_from_arn("arn:aws-us-gov:iam::210987654321:role/r", account, sizeof account,
                               partition, sizeof partition));
    CHECK_STR_EQ(account, "210987654321");
    CHECK_STR_EQ(partition, "aws-us-gov");
    CHECK(api_account_from_arn("arn:aws-cn:iam::111122223333:oidc-provider/x", account,
                               sizeof account, NULL, 0));
    CHECK_STR_EQ(account, "111122223333");
    CHECK(!api_account_from_arn("arn:aws:iam::12345:role/r", account, sizeof account, NULL, 0));
    CHECK(!api_account_from_arn("arn:aws:iam::1234567890123:role/r", account, sizeof account, NULL,
                                0));
    CHECK(!api_account_from_arn("arn:aws:s3:::bucket", account, sizeof account, NULL, 0));
}

static void test_role_arn_problem(void)
{
    CHECK(api_role_arn_problem("arn:aws:iam::123456789012:role/Cognito_Auth") == NULL);
    CHECK(api_role_arn_problem("arn:aws-cn:iam::123456789012:role/service-role/a+b=c,d.e@f-g") ==
          NULL);
    CHECK(api_role_arn_problem("Cognito_Auth") != NULL);
    CHECK(api_role_arn_problem("arn:aws:iam::123456789012:user/bob") != NULL);
    CHECK(api_role_arn_problem("arn:aws:iam:us-east-1:123456789012:role/r") != NULL);
    CHECK(api_role_arn_problem("arn:aws:iam::12345678901:role/r") != NULL);
    CHECK(api_role_arn_problem("arn:aws-moon:iam::123456789012:role/r") != NULL);
    CHECK(api_role_arn_problem("arn:aws:iam::123456789012:role/") != NULL);
    CHECK(api_role_arn_problem("arn:aws:iam::123456789012:role/bad name") != NULL);
    CHECK(api_role_arn_problem("arn:aws:iam::123456789012:role/"
                               "a234567890123456789012345678901234567890123456789012345678901234"
                               "5") != NULL);
    CHECK_STR_EQ(api_role_name_of_arn("arn:aws:iam::123456789012:role/p/q/Name"), "Name");
    CHECK(api_role_name_of_arn("arn:aws:iam::123456789012:user/Name") == NULL);
}

static void test_pool_arn_takes_partition_from_region(void)
{
    char out[256];

    CHECK(api_pool_arn("us-east-1", "123456789012", "us-east-1:abc", out, sizeof out) > 0);
    CHECK_STR_EQ(out, "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:abc");
    CHECK(api_pool_arn("cn-north-1", "123456789012", "cn-north-1:abc", out, sizeof out) > 0);
    CHECK_STR_EQ(out,
                 "arn:aws-cn:cognito-identity:cn-north-1:123456789012:identitypool/cn-north-1:abc");
    CHECK(api_pool_arn("us-gov-west-1", "123456789012", "p", out, sizeof out) > 0);
    CHECK(strncmp(out, "arn:aws-us-gov:", 15) == 0);
    CHECK_INT_EQ(api_pool_arn("us-east-1", "123456789012", "p", out, 20), -1);
    CHECK_STR_EQ(out, "");
    CHECK_INT_EQ(api_pool_arn("us-east-1", NULL, "p", out, sizeof out), -1);
    CHECK_INT_EQ(api_pool_arn("", "123456789012", "p", out, sizeof out), -1);
}

int main(void)
{
    RUN(test_partition_of_region);
    RUN(test_parse_splits_six_fields);
    RUN(test_parse_refuses_what_is_not_an_arn);
    RUN(test_account_from_arn_every_partition);
    RUN(test_role_arn_problem);
    RUN(test_pool_arn_takes_partition_from_region);
    return check_finish();
}
