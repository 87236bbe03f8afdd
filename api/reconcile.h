/* api/reconcile.h — after an unknown outcome, find out what happened instead
 * of guessing (issue 11, "Reconcile instead of guessing").
 *
 * When a change ends with err->outcome_unknown (api/error.h), it may or may
 * not have been applied. Each change has a pure read that shows which:
 * api_reconcile_check() names it (the `call` verb prints it in its exit-6
 * line; the console runs it). The pieces below interpret the answers, so the
 * console can run the reads asynchronously (app_call) and the verbs and jobs
 * can use the blocking helpers at the end:
 *
 *   create pool     the pools now named like the new one that were not there
 *                   before the request (api_reconcile_pools_named per page of
 *                   ListIdentityPools; api_reconcile_created_pools walks them);
 *                   the service gives pools no creation date, so "since the
 *                   request" is "not in the list taken before sending" (pass
 *                   NULL when none was taken: every pool of that name);
 *   batch delete    which of the ids sent still exist (DescribeIdentity each:
 *                   api_reconcile_presence; api_reconcile_remaining_identities);
 *   update, roles,  the resource as it is now beside what was sent
 *   principal tags  (api_lost_update_read + api_lost_update_compare with
 *                   original NULL, api/lost_update.h; api_reconcile_reread).
 * A change is known applied only when the read proves it; the console keeps a
 * form open until then.
 */
#ifndef API_RECONCILE_H
#define API_RECONCILE_H

#include <json-c/json.h>

#include "api/client.h"
#include "api/error.h"

/* The read that shows whether `operation` with `input` was applied:
 *   CreateIdentityPool          ListIdentityPools {MaxResults: 60}, every page
 *   DeleteIdentityPool          DescribeIdentityPool {IdentityPoolId}
 *   DeleteIdentities            DescribeIdentity {IdentityId} of each id sent
 *                               (built here for the first)
 *   UpdateIdentityPool, SetIdentityPoolRoles, SetPrincipalTagAttributeMap
 *                               the table's re-read (api/lost_update.h)
 *   TagResource, UntagResource  ListTagsForResource {ResourceArn}
 *   MergeDeveloperIdentities    LookupDeveloperIdentity {IdentityPoolId,
 *                               DeveloperUserIdentifier: the source user}
 *   UnlinkDeveloperIdentity     LookupDeveloperIdentity {IdentityPoolId,
 *                               DeveloperUserIdentifier}
 *   UnlinkIdentity              DescribeIdentity {IdentityId}
 *   GetId, GetOpenIdTokenForDeveloperIdentity
 *                               DescribeIdentity {IdentityId} when the input
 *                               names one, else ListIdentities {IdentityPoolId,
 *                               MaxResults: 60}
 * *read_op is static; *read_input is new (caller puts it); *look_for
 * (static, may be NULL to skip) says in a few words what in the answer tells
 * ("ResourceNotFoundException means it was deleted"). Never copies a login
 * token. Returns 0, or -1 with err (API_ERR_INVALID_INPUT: not a change, or
 * an input that lacks what the read needs). */
int api_reconcile_check(const char *operation, json_object *input, const char **read_op,
                        json_object **read_input, const char **look_for, struct api_error *err);

/* What a read of one resource (DescribeIdentity, DescribeIdentityPool) says. */
enum api_presence {
    API_PRESENT,          /* the read succeeded: it exists */
    API_GONE,             /* ResourceNotFoundException: it does not */
    API_PRESENCE_UNKNOWN, /* any other failure: the read says nothing */
};
enum api_presence api_reconcile_presence(const struct api_error *read_err);

/* The pools of one ListIdentityPools page (borrowed) named exactly `name`
 * and whose id is not in `before` (an array of id strings; NULL = none),
 * appended to `found` (an array: {"IdentityPoolId", "IdentityPoolName"}).
 * Returns how many were appended, or -1 when out of memory. */
int api_reconcile_pools_named(json_object *page, const char *name, json_object *before,
                              json_object *found);

/* ---- Blocking helpers (the verbs, jobs and tests) ---- */

/* Walks every page of ListIdentityPools with api_reconcile_pools_named.
 * Returns 0 with *found (new array; caller puts it), or -1 with err. */
int api_reconcile_created_pools(struct api_client *c, const char *name, json_object *before,
                                json_object **found, struct api_error *err);

/* DescribeIdentity for each id of `ids` (an array of strings). Returns 0 with
 * *remaining (new array of the ids that still exist) and *undecided (new
 * array of the ids whose read failed otherwise; may be NULL to drop them),
 * or -1 with err (out of memory). */
int api_reconcile_remaining_identities(struct api_client *c, json_object *ids,
                                       json_object **remaining, json_object **undecided,
                                       struct api_error *err);

/* For UpdateIdentityPool, SetIdentityPoolRoles, SetPrincipalTagAttributeMap:
 * the resource now (the table's re-read) and the items where it differs from
 * what was sent (api_lost_update_compare with original NULL; an empty array:
 * it is what was sent). Returns 0 with *current and *differences (new; the
 * caller puts them), or -1 with err (the read's error). */
int api_reconcile_reread(struct api_client *c, const char *operation, json_object *sent,
                         json_object **current, json_object **differences, struct api_error *err);

#endif
