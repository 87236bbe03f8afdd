/* tui/journal.h — the audit journal of mutating calls (DESIGN.md "Journal").
 *
 * OWNER: the console work; the `call` verb uses it too.
 *
 * Contract: journal_record() is called once for every mutating call that was
 * actually sent (not for calls refused before sending: read-only, invalid
 * input), after its answer (or failure) is known. It appends one JSON line to
 * $XDG_STATE_HOME/cognito-tui/journal.jsonl (~/.local/state/... when unset),
 * creating the folder (0700) and file (0600): time (UTC, ISO 8601), local
 * user, profile, region, operation, the target ids found in the input
 * (IdentityPoolId, IdentityId, IdentityIdsToDelete, ResourceArn,
 * DeveloperUserIdentifier, ...: ids only, never tokens, logins' values or
 * any secret), outcome ("ok" or the error code) and request id.
 * Returns 0, or -1 with a one-line reason in errbuf: a journal that cannot be
 * written is reported to the user, it does not undo or block the call.
 */
#ifndef TUI_JOURNAL_H
#define TUI_JOURNAL_H

#include <stddef.h>

#include <json-c/json.h>

#include "api/error.h"

struct journal_entry {
    const char *profile;
    const char *region;
    const char *operation;
    json_object *input;            /* borrowed; only target ids are taken from it */
    const struct api_error *error; /* the outcome; kind API_ERR_NONE = ok, with request_id */
};

int journal_record(const struct journal_entry *entry, char *errbuf, size_t errsize);

#endif
