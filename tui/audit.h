/* tui/audit.h — the audit engine: every pool of the chosen Regions joined
 * with its roles' IAM policies, judged by the checks (tui/audit_checks.h).
 *
 * Usable from an event loop (the console's Audit pane) or blocking (the
 * `audit` verb):
 *
 *   a = audit_new(cfg, &opt, &err);
 *   audit_start(a, &err);
 *   while (!audit_finished(a)) {
 *       n = audit_pollfds(a, fds, max, &timeout_ms);  poll(fds, n, timeout_ms);
 *       audit_perform(a);
 *       audit_get_progress(a, &p);                     (the status line)
 *   }
 *   audit_findings(a) ...;  audit_free(a);
 * or audit_run(a, progress, ctx, &err) which does the loop.
 *
 * What it does: Regions run concurrently, each through its own
 * cognito-identity client (one curl multi handle each) with its own limiter;
 * IAM goes through one client per partition. ListIdentityPools (every page,
 * unless pools are named), then per pool DescribeIdentityPool,
 * GetIdentityPoolRoles and GetPrincipalTagAttributeMap of each provider;
 * each distinct role ARN is fetched once whatever the number of pools that
 * name it (GetRole; its permission policies only when a check needs them:
 * ListRolePolicies, GetRolePolicy, ListAttachedRolePolicies, GetPolicy,
 * GetPolicyVersion), and each managed policy once. A pool is judged as soon
 * as everything it names has arrived.
 *
 * Pacing: each Region's client has its own rate limiter (api/rate_limiter.h,
 * the SDKs' adaptive mode: AWS counts quotas per account and Region), and
 * each partition's IAM client one more (IAM's quotas are per account).
 * None of the calls has a published rate (api/quotas.h, api/iam.h), so
 * each limiter lets requests through until the service throttles, then
 * paces at the rate CUBIC finds. A call still throttled after the client's
 * retries goes back to its queue (at most 5 times) and waits for a token
 * there. Apart from that, at most `window` requests are in flight a client.

 * Errors: what cannot be read (AccessDenied, a role of another account, a
 * Region that does not answer, throttling that does not end) becomes a
 * CIP-000 "not audited" finding, never a silent gap. The audit fails as a
 * whole (audit_error()) only when no pool at all could be listed or read and
 * the reason is the configuration, the credentials or the network, or on a
 * credentials error, which no other pool would escape.
 *
 * Nothing here prints; api/ reads only (the client may be read-only).
 */
#ifndef TUI_AUDIT_H
#define TUI_AUDIT_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "api/config.h"
#include "api/error.h"
#include "tui/audit_checks.h"

/* The Regions of cognito-identity in the aws partition (--all-regions),
 * as botocore's endpoint data lists them. */
extern const char *const audit_all_regions[];
extern const size_t audit_n_all_regions;

struct audit_options {
    const char *const *regions; /* NULL/0: the configuration's Region */
    size_t n_regions;
    const char *const *pools; /* named pools (their Region is the id's prefix); 0 = all */
    size_t n_pools;
    const char *account;      /* the audited account (12 digits), or NULL when unknown */
    const char *endpoint_url; /* cognito-identity endpoint for every Region (--endpoint-url),
                                 or NULL: each Region's own (api/endpoint.h) */
    int window;               /* requests in flight per client at most; 0 = 16 */
};

struct audit_progress {
    size_t regions, regions_listed;
    size_t pools, pools_done;
    size_t roles, roles_done;
    size_t requests; /* calls answered so far (after retries) */
};

struct audit;

/* Copies what it keeps of cfg (credentials provider borrowed: it must
 * outlive the audit) and opt. Returns NULL with err (a bad Region name, a
 * pool id without a Region, an endpoint that cannot be resolved). */
struct audit *audit_new(const struct api_config *cfg, const struct audit_options *opt,
                        struct api_error *err);
void audit_free(struct audit *a);

/* Starts the first requests. Returns 0, or -1 with err. */
int audit_start(struct audit *a, struct api_error *err);

int audit_pollfds(struct audit *a, struct pollfd *fds, int max, int *timeout_ms);
void audit_perform(struct audit *a);
bool audit_finished(const struct audit *a);
void audit_get_progress(const struct audit *a, struct audit_progress *p);

/* Stops every request; the audit is then finished with what it has (the
 * pools not judged are reported as CIP-000 "not audited: cancelled"). */
void audit_cancel(struct audit *a);

/* The blocking loop; `progress` (may be NULL) is called after each step.
 * Returns 0, or -1 with err when the audit failed as a whole. */
int audit_run(struct audit *a, void (*progress)(void *ctx, const struct audit_progress *p),
              void *ctx, struct api_error *err);

/* After the audit finished: the findings, sorted (audit_findings_sort). */
const struct audit_findings *audit_findings(const struct audit *a);
size_t audit_pools_audited(const struct audit *a);
/* The Regions audited, in the order given. */
size_t audit_region_count(const struct audit *a);
const char *audit_region(const struct audit *a, size_t i);
/* 0, or -1 with *err when the audit failed as a whole (see above). */
int audit_error(const struct audit *a, struct api_error *err);

#endif
