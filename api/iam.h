/* api/iam.h — IAM, read-only: the reads the audit and the credential doctor
 * need, over the query-protocol path (api/query.h).
 *
 * Protocol: form-encoded POST, Version=2010-05-08, signing name `iam`,
 * signed for the partition's global Region (us-east-1, cn-north-1,
 * us-gov-west-1, ...: api/arn.h) whatever the Region of the pools, sent to
 * the partition's IAM endpoint unless AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL,
 * the profile's [services] `iam` section or its endpoint_url say otherwise
 * (api/endpoint.h, the same rule as every service).
 *
 * The read-only guard: api_iam_service's table lists exactly these actions,
 * all pure reads, so a read-only client allows them and refuses anything
 * else (API_ERR_READ_ONLY, nothing sent): GetRole, ListRolePolicies,
 * GetRolePolicy, ListAttachedRolePolicies, GetPolicy, GetPolicyVersion,
 * GetOpenIDConnectProvider.
 *
 * Two ways to call: the blocking api_iam_get_*() below, or api_query_start()
 * with an action of the table and the api_iam_read_*() functions on the
 * answer (the audit drives many Regions and roles at once that way).
 * Policy documents arrive URL-encoded: every reader hands them back decoded
 * (JSON text, not yet parsed: api/policy.h parses).
 *
 * Ownership: every struct filled here owns its strings; clear it with its
 * *_clear() function. Readers leave *out cleared when they fail.
 */
#ifndef API_IAM_H
#define API_IAM_H

#include <stdbool.h>
#include <stddef.h>

#include "api/config.h"
#include "api/error.h"
#include "api/query.h"
#include "api/xml.h"

#define API_IAM_VERSION "2010-05-08"

extern const struct api_query_service api_iam_service;

/* The IAM client of a configuration: endpoint resolved as above for the
 * partition of `region` (NULL = cfg->region), signed for that partition's
 * global Region, with the config's credentials, CA bundle, read-only flag,
 * max_attempts and retry mode (adaptive: a plain adaptive limiter of its
 * own; api_query_set_rate_limiter() sets another). Returns NULL with err
 * (API_ERR_CREDENTIALS for a bad endpoint setting or config file).
 *
 * IAM's request rates: AWS publishes none. IAM throttles with token
 * buckets whose size and refill "depend on the API" (AWS Security Blog,
 * "How to monitor and query IAM resources at scale – Part 2"); the "IAM and
 * AWS STS quotas" page lists object and size quotas only. So api/quotas.h
 * has no IAM entry, and a limiter learns IAM's rate from its `Throttling`
 * answers alone (plain adaptive). */
struct api_query_client *api_iam_client_new(const struct api_config *cfg, const char *region,
                                            struct api_error *err);

/* ---- what the reads give ---- */

struct api_iam_role {
    char *arn, *name, *path, *role_id;
    char *trust_policy; /* AssumeRolePolicyDocument, decoded JSON text; never NULL on success */
};

struct api_iam_attached_policy {
    char *name, *arn;
};

struct api_iam_oidc_provider {
    char *url;
    char **client_ids; /* the audience list */
    size_t n_client_ids;
    char **thumbprints;
    size_t n_thumbprints;
};

void api_iam_role_clear(struct api_iam_role *r);
void api_iam_oidc_provider_clear(struct api_iam_oidc_provider *p);
void api_iam_strings_free(char **v, size_t n);
void api_iam_attached_free(struct api_iam_attached_policy *v, size_t n);

/* ---- readers of one answer (doc: the root api_query gave) ----
 * Each returns 0, or -1 with err (API_ERR_HTTP: the answer lacks what the
 * action always gives, or a document that does not decode). */

int api_iam_read_role(const struct xml_node *doc, struct api_iam_role *out, struct api_error *err);

/* ListRolePolicies: appends the page's PolicyNames to *names (*n grows). */
int api_iam_read_policy_names(const struct xml_node *doc, char ***names, size_t *n,
                              struct api_error *err);

/* ListAttachedRolePolicies: appends the page's AttachedPolicies. */
int api_iam_read_attached(const struct xml_node *doc, struct api_iam_attached_policy **v, size_t *n,
                          struct api_error *err);

/* GetRolePolicy (PolicyDocument) or GetPolicyVersion (PolicyVersion/Document):
 * the decoded document, malloc'd. */
int api_iam_read_document(const struct xml_node *doc, const char *action, char **out,
                          struct api_error *err);

/* GetPolicy: the DefaultVersionId, malloc'd. */
int api_iam_read_default_version(const struct xml_node *doc, char **out, struct api_error *err);

int api_iam_read_oidc_provider(const struct xml_node *doc, struct api_iam_oidc_provider *out,
                               struct api_error *err);

/* The listing rule for Marker/IsTruncated: after a page of `action`, says
 * whether to ask for the next one. *marker is owned by the caller (NULL
 * before the first page); returns 1 with *marker replaced by the next page's
 * marker, or 0 when done: IsTruncated is not "true", the Marker is absent or
 * empty, or it repeats the one just sent (following it would loop). -1 when
 * out of memory. */
int api_iam_next_marker(const struct xml_node *doc, const char *action, char **marker);

/* Decodes %XX escapes (RFC 3986; '+' is left as it is, as IAM sends it).
 * Returns a malloc'd string, or NULL when a '%' is not followed by two hex
 * digits, the result holds a NUL byte, or out of memory. */
char *api_iam_url_decode(const char *s);

/* ---- blocking reads (simple use; pagination followed to the end) ---- */

int api_iam_get_role(struct api_query_client *qc, const char *role_name, struct api_iam_role *out,
                     struct api_error *err);
int api_iam_list_role_policies(struct api_query_client *qc, const char *role_name, char ***names,
                               size_t *n, struct api_error *err);
int api_iam_get_role_policy(struct api_query_client *qc, const char *role_name,
                            const char *policy_name, char **document, struct api_error *err);
int api_iam_list_attached_role_policies(struct api_query_client *qc, const char *role_name,
                                        struct api_iam_attached_policy **v, size_t *n,
                                        struct api_error *err);
/* GetPolicy then GetPolicyVersion of its default version. */
int api_iam_get_policy_document(struct api_query_client *qc, const char *policy_arn,
                                char **document, struct api_error *err);
int api_iam_get_oidc_provider(struct api_query_client *qc, const char *provider_arn,
                              struct api_iam_oidc_provider *out, struct api_error *err);

#endif
