/* tui/audit_checks.h — the audit's checks of one identity pool joined with
 * its roles' IAM policies: ONE table (id, severity, title, check function,
 * fix), and the findings they give.
 *
 * Ids are stable (issue 14): CIP-001 … CIP-012, plus CIP-000 for what could
 * not be read ("not audited: …": a pool or role the caller may not read, a
 * policy that does not parse) so a gap is never silent.
 *
 * Checks are pure: they read a struct audit_pool_view (everything fetched
 * for one pool, roles looked up through a callback) and append findings.
 * No I/O, no api/ calls: the engine (tui/audit.h) fetches, the checks judge,
 * the report (tui/audit_report.h) prints.
 *
 * Ownership: a finding owns its strings and its evidence (json_object);
 * audit_findings_free() frees them all.
 */
#ifndef TUI_AUDIT_CHECKS_H
#define TUI_AUDIT_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "api/policy.h"

enum audit_severity { AUDIT_INFO, AUDIT_LOW, AUDIT_MEDIUM, AUDIT_HIGH };

/* "info", "low", "medium", "high". */
const char *audit_severity_name(enum audit_severity s);
/* 0 with *out, or -1 when `text` is none of the four names. */
int audit_severity_parse(const char *text, enum audit_severity *out);

/* What the engine knows of one role ARN. */
enum audit_role_state {
    AUDIT_ROLE_PENDING,    /* not fetched (yet) */
    AUDIT_ROLE_OK,         /* GetRole answered; trust may still be unparsable */
    AUDIT_ROLE_MISSING,    /* IAM NoSuchEntity, or an ARN that names no role */
    AUDIT_ROLE_UNREADABLE, /* AccessDenied, another account, a transport error, ... */
};

struct audit_permission_policy {
    const char *name;          /* inline name, or the managed policy ARN */
    struct api_policy *policy; /* NULL when the document does not parse */
    const char *error;         /* why policy is NULL */
};

struct audit_role {
    const char *arn;
    enum audit_role_state state;
    const char *why;               /* for MISSING / UNREADABLE: the error, one line */
    const char *found_arn;         /* the ARN IAM gave (may differ in path) */
    struct api_policy *trust;      /* NULL when the trust document does not parse */
    const char *trust_error;       /* why trust is NULL */
    bool permissions_read;         /* the permission policies below are complete */
    const char *permissions_error; /* why not, when they were wanted */
    const struct audit_permission_policy *policies;
    size_t n_policies;
};

struct audit_pool_view {
    const char *region;
    const char *pool_id;
    const char *pool_name;
    json_object *pool;     /* DescribeIdentityPool's answer */
    json_object *roles;    /* GetIdentityPoolRoles' answer */
    json_object *tag_maps; /* provider name -> GetPrincipalTagAttributeMap answer (may be NULL) */
    /* The engine's record of a role, or NULL when it knows nothing of it. */
    const struct audit_role *(*role)(void *ctx, const char *arn);
    void *role_ctx;
};

struct audit_check;

struct audit_finding {
    const struct audit_check *check;
    char *region, *pool_id, *pool_name;
    char *resource; /* role ARN, provider, or the pool id for pool settings */
    char *title;    /* what was found, one sentence */
    json_object *evidence;
    char *fix;
};

struct audit_findings {
    struct audit_finding *v;
    size_t n, cap;
    bool failed; /* out of memory at some point: the list is incomplete */
};

typedef void (*audit_check_fn)(const struct audit_pool_view *v, struct audit_findings *out);

struct audit_check {
    const char *id; /* "CIP-003" */
    enum audit_severity severity;
    const char *name;   /* CamelCase, for SARIF rules: "TrustWithoutAudience" */
    const char *title;  /* the table's wording */
    audit_check_fn run; /* NULL for CIP-000 (the engine adds those) */
    const char *fix;    /* the general fix; findings may carry a specific one */
};

extern const struct audit_check audit_checks[];
extern const size_t audit_n_checks;

/* The check of id `id`, or NULL. */
const struct audit_check *audit_check_find(const char *id);

/* Runs every check of the table on one pool. */
void audit_run_checks(const struct audit_pool_view *v, struct audit_findings *out);

/* Appends a finding (copies the strings; takes `evidence`; `fix` NULL =
 * the check's). Title is printf-formatted. */
void audit_add(struct audit_findings *out, const struct audit_check *check, const char *region,
               const char *pool_id, const char *pool_name, const char *resource,
               json_object *evidence, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));

/* Orders findings: pool (region, id), then severity (high first), then check id. */
void audit_findings_sort(struct audit_findings *f);
void audit_findings_free(struct audit_findings *f);

/* The trust policy recommended for `pool_id`'s `authenticated` (or guest)
 * identities, with sts:TagSession when `tags`. New object, caller puts. */
json_object *audit_recommended_trust(const char *pool_id, bool authenticated, bool tags);

#endif
