/* tui/journal.h — the audit journal of changes (DESIGN.md "Journal", issue 11).
 *
 * OWNER: the outcomes work. Used by the console (tui/app.c), the `call`
 * verb and the bulk jobs (prune): one call of journal_record() per change.
 *
 * When to call: once for every change that was sent (err->sent, or a
 * success), after its answer or its failure is known; and once for a change
 * refused before sending when the refusal is worth an audit line (the
 * read-only guard refusing `call`, a job's own guard: outcome "refused").
 * Not for calls that never left for other reasons (invalid input, no
 * credentials, cancelled before sending): nothing was attempted on the
 * service. Reads are never journaled.
 *
 * Where: $XDG_STATE_HOME/cognito-tui/journal.jsonl (~/.local/state/... when
 * unset), the folder created 0700, the file 0600 (tightened back to 0600 if
 * someone loosened it). One JSON object a line, appended with ONE write()
 * on an O_APPEND descriptor, so lines from concurrent consoles, verbs and
 * jobs never interleave (tests/unit/test_tui_journal.c: two processes, 1,000
 * lines each).
 *
 * A line (keys always present unless said otherwise):
 *   time        UTC, "2024-05-01T12:00:00Z"
 *   user        the local user
 *   profile, region, operation
 *   targets     what the change is about, taken from the input: ids and
 *               names only (IdentityPoolId, IdentityPoolName, IdentityId,
 *               IdentityIdsToDelete, ResourceArn, DeveloperProviderName,
 *               DeveloperUserIdentifier, Source/DestinationUserIdentifier,
 *               IdentityProviderName, LoginsToRemove), plus
 *                 TagKeys    the keys of Tags / IdentityPoolTags (TagResource,
 *                            create, update) or the TagKeys removed (never a
 *                            tag value);
 *                 Providers  the providers whose role mappings were sent
 *                            (SetIdentityPoolRoles replaces the whole set);
 *                 Roles      which roles were set ("authenticated", ...),
 *                            never the role ARNs.
 *   outcome     "ok"       applied as asked;
 *               "partial"  applied in part: DeleteIdentities with some ids
 *                          in UnprocessedIdentityIds;
 *               "failed"   not applied: the service's complete error answer
 *                          (or every DeleteIdentities id unprocessed);
 *               "unknown"  sent, no complete answer (err->outcome_unknown):
 *                          may have been applied, e.g. interrupted or
 *                          cancelled after sending; also a DeleteIdentities
 *                          sent again after an unknown attempt whose answer
 *                          lists unprocessed ids (the first attempt may have
 *                          deleted them);
 *               "refused"  not sent: refused before anything left.
 *   error       (failed, unknown, refused) the AWS error code, else the
 *               error kind ("HTTP", "Transport", "Cancelled", "ReadOnly");
 *               for a partial/failed DeleteIdentities, the first ErrorCode
 *   reason      (refused only) why, one line
 *   request_id  the answer's request id ("" when none came)
 *   result      (ok, partial, failed when the answer came) what the answer
 *               adds: IdentityPoolId of a created pool, IdentityId of
 *               GetId / GetOpenIdTokenForDeveloperIdentity / a merge, and
 *               UnprocessedIdentityIds [{IdentityId, ErrorCode}]
 *   repeated_after_unknown  (only when true) the call was sent again after
 *               an attempt whose outcome is unknown (api/error.h)
 * Never in a line: a secret, a login token or Logins value, an OpenID
 * token, credentials, a tag value, a role ARN of a rule.
 * Text that comes from outside (ids, names, codes) is escaped where a
 * terminal would be fooled by it: C1 controls, DEL, bidi and invisible
 * format characters (the list of widgets/text.h) become \uXXXX and invalid
 * UTF-8 becomes \ufffd, so `tail -f journal.jsonl` shows them as text.
 */
#ifndef TUI_JOURNAL_H
#define TUI_JOURNAL_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "api/error.h"

enum journal_outcome {
    JOURNAL_OK,
    JOURNAL_PARTIAL,
    JOURNAL_FAILED,
    JOURNAL_UNKNOWN,
    JOURNAL_REFUSED,
};

/* Field order is fixed: older callers initialise the first five by position. */
struct journal_entry {
    const char *profile;
    const char *region;
    const char *operation;
    json_object *input;            /* borrowed; only targets are taken from it; may be NULL */
    const struct api_error *error; /* the call's error; NULL or kind API_ERR_NONE = success */
    json_object *output;           /* borrowed; the answer on success, else NULL */
    /* Non-NULL: the caller refused the change itself before sending (a job's
     * guard); the line is "refused" with this reason. */
    const char *refused_reason;
};

/* What the line's outcome is for this entry (see above): refused_reason or
 * an API_ERR_READ_ONLY error → refused; err->outcome_unknown → unknown;
 * another error → failed; a success → ok, except DeleteIdentities whose
 * answer lists unprocessed ids: partial (some) or failed (all), or unknown
 * when err->repeated_after_unknown. */
enum journal_outcome journal_outcome_of(const struct journal_entry *entry);

/* "ok", "partial", "failed", "unknown", "refused". */
const char *journal_outcome_name(enum journal_outcome outcome);

/* The line for entry at time `now` (without the newline), malloc'd; the
 * caller frees it. NULL when out of memory. journal_record() writes exactly
 * this; exposed for the tests. */
char *journal_format(const struct journal_entry *entry, time_t now);

/* Appends the line for entry, now. Returns 0, or -1 with a one-line reason
 * in errbuf ("journal not written: ..."): a journal that cannot be written is
 * reported to the user; it does not undo or block the call. */
int journal_record(const struct journal_entry *entry, char *errbuf, size_t errsize);

#endif
