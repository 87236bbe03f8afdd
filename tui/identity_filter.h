/* tui/identity_filter.h — which identities a prune job deletes: the matching
 * rules, applied to the service's own listing (ListIdentities items).
 *
 * OWNER: the lifecycle work (issue 13).
 *
 * Filters combine with AND; a job needs at least one. Each rule, on an
 * identity as ListIdentities describes it:
 *   unauthenticated      no linked login (Logins absent or empty);
 *   provider P           one of its Logins is exactly P;
 *   modified before T    LastModifiedDate < T (strictly); an identity
 *                        without LastModifiedDate does not match;
 *   idle N days          modified before (job start − N × 86400 s), the
 *                        cutoff fixed once when the job is created so a
 *                        resumed job decides as the first run did;
 *   created before T     CreationDate < T; none: no match;
 *   disabled             absent from the HideDisabled listing (decided by
 *                        the job's second listing, not by this module).
 * Missing or malformed data never matches: a filter that deletes must not
 * guess.
 */
#ifndef TUI_IDENTITY_FILTER_H
#define TUI_IDENTITY_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

/* One identity, as a ListIdentities item gives it. Borrowed from the item. */
struct identity_record {
    const char *id;
    json_object *logins; /* array of provider names, or NULL */
    size_t n_logins;
    bool has_created, has_modified;
    double created, modified; /* epoch seconds */
};

/* Returns 0, or -1 when the item has no IdentityId string (skip it). */
int identity_record_from_json(json_object *item, struct identity_record *out);

/* The i-th provider name, or NULL (not a string, or out of range). */
const char *identity_record_login(const struct identity_record *r, size_t i);

struct identity_filter {
    bool unauthenticated;
    const char *provider; /* borrowed; NULL = any */
    bool has_modified_before;
    double modified_before; /* epoch s: --modified-before, or the idle cutoff */
    int idle_days;          /* > 0: modified_before came from --idle-days */
    bool has_created_before;
    double created_before;
    bool disabled;
};

/* Whether at least one filter is set. */
bool identity_filter_any(const struct identity_filter *f);

/* Whether r matches every filter except `disabled` (that one needs the
 * second listing). */
bool identity_filter_matches(const struct identity_filter *f, const struct identity_record *r);

/* The filters in words, for messages and as the job's identity:
 * "unauthenticated, provider graph.facebook.com, idle 90 days, created
 * before 2024-01-01T00:00:00Z, disabled". With `resolved`, an idle filter
 * shows its cutoff ("modified before ..."); without, "idle N days" (what
 * the user typed, the same on every rerun). Returns buf. */
char *identity_filter_describe(const struct identity_filter *f, bool resolved, char *buf,
                               size_t size);

#endif
