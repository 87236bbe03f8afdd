/* tui/outcome_check.h — after a change's outcome is unknown the console
 * re-reads what it touched and says what it found (issue 11, "Reconcile
 * instead of guessing"). Which read settles which change, and how its
 * answer is read, is api/reconcile.h's; this runs the reads asynchronously
 * in the foreground (Esc stops them: the outcome then stays unknown) and
 * shows the finding in a result view (tui/view_result.h). Nothing blocks.
 *
 * outcome_check_start(): `op` was sent with `sent` (borrowed) and its
 * outcome is unknown. The finding, by change:
 *   CreateIdentityPool   the pools named like the new one that are not in
 *                        `before` (the pool ids listed before sending, from
 *                        outcome_pools_before; NULL: every pool of that
 *                        name). Applied when there is one; the view offers
 *                        to open them with open_pool (may be NULL).
 *   DeleteIdentityPool   applied when the pool is gone.
 *   UpdateIdentityPool, SetIdentityPoolRoles, SetPrincipalTagAttributeMap
 *                        the resource now beside what was sent: applied
 *                        when they are the same, else not applied.
 *   TagResource          applied when every tag sent is there with its value.
 *   UntagResource        applied when none of the keys sent is there.
 *   UnlinkIdentity       applied when none of the logins removed is linked.
 *   anything else        the read api_reconcile_check names, shown as it
 *                        answered, with what to look for: still unknown.
 * A read that fails leaves it unknown (the view says why). settled(a,
 * verdict, ctx) runs once, after the view is up (also when nothing could
 * be read); not at all when the settings changed meanwhile (:profile) —
 * then settled runs with OUTCOME_STILL_UNKNOWN and no view opens.
 */
#ifndef TUI_OUTCOME_CHECK_H
#define TUI_OUTCOME_CHECK_H

#include <json-c/json.h>

#include "tui/app.h"

enum outcome_verdict {
    OUTCOME_APPLIED,       /* the read proves the change was made */
    OUTCOME_NOT_APPLIED,   /* the read proves it was not (or not as sent) */
    OUTCOME_STILL_UNKNOWN, /* the read could not tell */
};

typedef void (*outcome_settled_fn)(struct app *a, enum outcome_verdict verdict, void *ctx);

void outcome_check_start(struct app *a, const char *op, const char *label, json_object *sent,
                         json_object *before, void (*open_pool)(struct app *a, const char *id),
                         outcome_settled_fn settled, void *ctx);

/* The ids of every pool now (ListIdentityPools, every page, foreground),
 * for a create's check. done(a, ids, ctx): ids is a new array (the callee
 * puts it), or NULL when the listing failed or was stopped (the check then
 * counts every pool of the name). */
void outcome_pools_before(struct app *a, void (*done)(struct app *a, json_object *ids, void *ctx),
                          void *ctx);

/* A batch delete's check: DescribeIdentity of each of `ids` (borrowed; an
 * array of strings), one after the other in the foreground. done(a,
 * remaining, undecided, ctx): the ids that still exist and those whose read
 * failed otherwise (Esc, throttling: not known), both borrowed. */
typedef void (*outcome_ids_fn)(struct app *a, json_object *remaining, json_object *undecided,
                               void *ctx);
void outcome_check_identities(struct app *a, json_object *ids, outcome_ids_fn done, void *ctx);

#endif
