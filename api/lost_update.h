/* api/lost_update.h — nothing is sent from a stale read (issue 11, "Lost
 * updates"). Pure functions: no I/O.
 *
 * UpdateIdentityPool, SetIdentityPoolRoles and SetPrincipalTagAttributeMap
 * replace a whole resource: whatever another admin changed since the form
 * was read is reverted silently unless the form looks again. The console's
 * sequence (the console work builds the views; this is what they use):
 *
 *   1. opening the form: keep the read the form starts from (`original`);
 *   2. on submit, before sending `mine`: api_lost_update_read() gives the
 *      pure read to run now (the operations table's `reread`, api/operations.h),
 *      e.g. DescribeIdentityPool {IdentityPoolId}; run it (async or not);
 *   3. api_lost_update_compare(op, original, mine, theirs = that answer):
 *      when it says stale, show the picture (yours, theirs, the original for
 *      each item that differs) and ask again, with `theirs` as the new
 *      original; otherwise send `mine`.
 * The same comparison with original NULL tells, after an unknown outcome,
 * whether the resource now is what was sent (api/reconcile.h).
 */
#ifndef API_LOST_UPDATE_H
#define API_LOST_UPDATE_H

#include <stdbool.h>

#include <json-c/json.h>

#include "api/error.h"

/* The pure read that shows what the write `operation` replaces, and its
 * input built from the write's `input` (the read's members, copied from the
 * write's members of the same names). *read_input is new (caller puts it);
 * *read_op is the table's static name. Returns 0, or -1 with err
 * (API_ERR_INVALID_INPUT: an operation with no re-read, or an input that
 * lacks a member the read requires). */
int api_lost_update_read(const char *operation, json_object *input, const char **read_op,
                         json_object **read_input, struct api_error *err);

/* How one item changed. */
enum api_change {
    API_CHANGE_MINE,     /* only mine differs from the original */
    API_CHANGE_THEIRS,   /* only theirs (changed by someone since the form was read) */
    API_CHANGE_SAME,     /* both changed it to the same value */
    API_CHANGE_CONFLICT, /* both changed it, differently */
};

/* Compares the write's items in original (may be NULL), mine (what would be
 * sent) and theirs (a fresh read). Items are the members of the write's
 * input shape, except those naming the resource (IdentityPoolId,
 * IdentityProviderName); a member that is a map is compared key by key
 * (RoleMappings, Roles, SupportedLoginProviders, PrincipalTags,
 * IdentityPoolTags), so the picture says which provider or tag changed.
 * Absent, null, false, {} and [] are the same value (the service omits
 * what is empty, and UpdateIdentityPool resets what it is not sent).
 *
 * Returns a new array (caller puts it), one object an item that differs
 * anywhere, in the shape's member order then key order:
 *   {"item": "RoleMappings[graph.facebook.com]", "change": "theirs",
 *    "original": v, "mine": v, "theirs": v}   (v absent when absent)
 * With original NULL, only mine against theirs: "change" is "mine" for every
 * item that differs. *stale (may be NULL) is set to whether any item changed
 * theirs-side (API_CHANGE_THEIRS or API_CHANGE_CONFLICT; with original NULL:
 * whether any item differs). NULL when out of memory or the operation is
 * not a write of the table (no input shape). */
json_object *api_lost_update_compare(const char *operation, json_object *original,
                                     json_object *mine, json_object *theirs, bool *stale);

/* "mine", "theirs", "same", "conflict". */
const char *api_change_name(enum api_change change);

#endif
