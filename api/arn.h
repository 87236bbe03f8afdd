/* api/arn.h — ARNs and partitions: every rule about them, written once.
 *
 * An ARN is arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (the IAM User
 * Guide, "IAM identifiers"). A partition is a group of Regions with its own
 * ARNs, DNS suffix and global-service Region: aws, aws-cn, aws-us-gov, and
 * the isolated ones. Which partition a Region belongs to is decided by its
 * name's prefix (cn-, us-gov-, us-iso-, us-isob-, eu-isoe-, us-isof-), as
 * the SDKs' partitions.json regexes do.
 *
 * Pure functions: no I/O, no allocation. Out buffers are always
 * NUL-terminated when their size is non-zero.
 */
#ifndef API_ARN_H
#define API_ARN_H

#include <stdbool.h>
#include <stddef.h>

struct api_partition {
    const char *name;          /* "aws", "aws-cn", ... */
    const char *dns_suffix;    /* "amazonaws.com", "amazonaws.com.cn", ... */
    const char *global_region; /* where global services (IAM, STS global) sign: "us-east-1" */
    const char *iam_host;      /* IAM's endpoint host in this partition */
};

/* The partition of a Region name (NULL or unknown prefixes: "aws"). Never NULL. */
const struct api_partition *api_partition_of_region(const char *region);

/* The partition named `name` ("aws-cn"), or NULL when there is none. */
const struct api_partition *api_partition_named(const char *name);

/* The parts of an ARN. Each part is a copy; resource keeps everything after
 * the fifth colon (it may itself contain colons and slashes). */
struct api_arn {
    char partition[32];
    char service[64];
    char region[32];
    char account[16]; /* "" for global resources without an account */
    char resource[1024];
};

/* Splits `text` into its parts. Returns 0, or -1 with why (a short phrase,
 * static) when it is not an ARN: no "arn:" prefix, fewer than six fields, an
 * empty partition, service or resource, or a part too long. */
int api_arn_parse(const char *text, struct api_arn *out, const char **why);

/* The 12-digit account of an ARN, copied to account (size >= 13), and its
 * partition to partition (size >= 32, may be NULL). False when the ARN does
 * not parse or its account is not 12 digits. */
bool api_account_from_arn(const char *arn, char *account, size_t account_size, char *partition,
                          size_t partition_size);

/* NULL when `text` is a well-formed IAM role ARN
 * (arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME, a known partition, 12-digit
 * account, no region, a role name of 1 to 64 characters of [\w+=,.@-]);
 * otherwise a short phrase saying what is wrong (static). Says nothing of
 * whether the role exists. */
const char *api_role_arn_problem(const char *text);

/* The role name of a role ARN (the part after the last '/'), or NULL. Points into arn. */
const char *api_role_name_of_arn(const char *arn);

/* arn:PARTITION:cognito-identity:REGION:ACCOUNT:identitypool/POOL_ID, the
 * partition taken from the Region. Returns the length written, or -1 when
 * an argument is missing or the buffer is too small (out is then ""). */
int api_pool_arn(const char *region, const char *account, const char *pool_id, char *out,
                 size_t size);

#endif
