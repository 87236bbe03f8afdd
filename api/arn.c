/* api/arn.c — see arn.h. The partition table follows the SDKs' endpoint
 * data (partitions.json: regionRegex, dnsSuffix, and IAM's global endpoint
 * per partition). */
#include "api/arn.h"

#include <stdio.h>
#include <string.h>

struct partition_rule {
    const char *region_prefix; /* NULL: the default partition */
    struct api_partition partition;
};

static const struct partition_rule partitions[] = {
    {"cn-", {"aws-cn", "amazonaws.com.cn", "cn-north-1", "iam.cn-north-1.amazonaws.com.cn"}},
    {"us-gov-", {"aws-us-gov", "amazonaws.com", "us-gov-west-1", "iam.us-gov.amazonaws.com"}},
    {"us-iso-", {"aws-iso", "c2s.ic.gov", "us-iso-east-1", "iam.us-iso-east-1.c2s.ic.gov"}},
    {"us-isob-",
     {"aws-iso-b", "sc2s.sgov.gov", "us-isob-east-1", "iam.us-isob-east-1.sc2s.sgov.gov"}},
    {NULL, {"aws", "amazonaws.com", "us-east-1", "iam.amazonaws.com"}},
};
#define N_PARTITIONS (sizeof partitions / sizeof partitions[0])

const struct api_partition *api_partition_of_region(const char *region)
{
    for (size_t i = 0; i < N_PARTITIONS - 1; i++)
        if (region &&
            strncmp(region, partitions[i].region_prefix, strlen(partitions[i].region_prefix)) == 0)
            return &partitions[i].partition;
    return &partitions[N_PARTITIONS - 1].partition;
}

const struct api_partition *api_partition_named(const char *name)
{
    for (size_t i = 0; name && i < N_PARTITIONS; i++)
        if (strcmp(partitions[i].partition.name, name) == 0)
            return &partitions[i].partition;
    return NULL;
}

/* Copies the field of `text` that ends at the next ':' (or at the end when
 * last) into out. Returns the position after it, or NULL. */
static const char *take_field(const char *text, char *out, size_t size, bool last)
{
    size_t n = last ? strlen(text) : strcspn(text, ":");

    if ((!last && text[n] != ':') || n >= size)
        return NULL;
    memcpy(out, text, n);
    out[n] = '\0';
    return last ? text + n : text + n + 1;
}

int api_arn_parse(const char *text, struct api_arn *out, const char **why)
{
    const char *p;

    memset(out, 0, sizeof *out);
    *why = "not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)";
    if (!text || strncmp(text, "arn:", 4) != 0)
        return -1;
    p = text + 4;
    if (!(p = take_field(p, out->partition, sizeof out->partition, false)) ||
        !(p = take_field(p, out->service, sizeof out->service, false)) ||
        !(p = take_field(p, out->region, sizeof out->region, false)) ||
        !(p = take_field(p, out->account, sizeof out->account, false)) ||
        !take_field(p, out->resource, sizeof out->resource, true)) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    if (!out->partition[0] || !out->service[0] || !out->resource[0]) {
        *why = !out->partition[0] ? "an ARN with no partition"
               : !out->service[0] ? "an ARN with no service"
                                  : "an ARN with no resource";
        memset(out, 0, sizeof *out);
        return -1;
    }
    *why = NULL;
    return 0;
}

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool api_account_from_arn(const char *arn, char *account, size_t account_size, char *partition,
                          size_t partition_size)
{
    struct api_arn a;
    const char *why;

    if (api_arn_parse(arn, &a, &why) < 0 || !all_digits(a.account, 12) || account_size < 13)
        return false;
    snprintf(account, account_size, "%s", a.account);
    if (partition && partition_size)
        snprintf(partition, partition_size, "%s", a.partition);
    return true;
}

/* IAM's role-name characters: [\w+=,.@-] (the IAM API reference, RoleName). */
static bool role_name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("_+=,.@-", c) != NULL;
}

const char *api_role_arn_problem(const char *text)
{
    struct api_arn a;
    const char *why, *name;

    if (api_arn_parse(text, &a, &why) < 0)
        return "not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)";
    if (!api_partition_named(a.partition))
        return "an ARN with an unknown partition";
    if (strcmp(a.service, "iam") != 0 || strncmp(a.resource, "role/", 5) != 0)
        return "not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)";
    if (a.region[0])
        return "an IAM role ARN has no region (arn:aws:iam::ACCOUNT:role/NAME)";
    if (!all_digits(a.account, 12))
        return "an IAM role ARN needs a 12-digit account";
    name = strrchr(a.resource, '/') + 1;
    if (!*name || strlen(name) > 64)
        return "a role name has 1 to 64 characters";
    for (const char *c = a.resource + 5; *c; c++)
        if (*c != '/' && !role_name_char((unsigned char)*c))
            return "a role name has only letters, digits and _+=,.@-";
    return NULL;
}

const char *api_role_name_of_arn(const char *arn)
{
    const char *slash;

    if (api_role_arn_problem(arn))
        return NULL;
    slash = strrchr(arn, '/');
    return slash ? slash + 1 : NULL;
}

int api_pool_arn(const char *region, const char *account, const char *pool_id, char *out,
                 size_t size)
{
    int n;

    if (size)
        out[0] = '\0';
    if (!region || !*region || !account || !*account || !pool_id || !*pool_id || !size)
        return -1;
    n = snprintf(out, size, "arn:%s:cognito-identity:%s:%s:identitypool/%s",
                 api_partition_of_region(region)->name, region, account, pool_id);
    if (n < 0 || (size_t)n >= size) {
        out[0] = '\0';
        return -1;
    }
    return n;
}
