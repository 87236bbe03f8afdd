/* tui/identity_test.h — the pool's "test an identity" view: the credential
 * doctor (api/doctor.h) in the console.
 *
 * A form asks who to check (a login: provider and token; a guest; a
 * developer user); submitting runs the offline steps and shows them as a
 * checklist in a detail view, the failing step expanded with what was found,
 * the fix and the evidence (the token's claims, the role mapping, the trust
 * statement). The live step is an explicit action of that view
 * (doctor-live, ACTF_MUTATES: not offered in read-only mode, and refused by
 * the api guard anyway) that says it creates an identity; the credentials it
 * gets are wiped at once and never shown.
 *
 * The form stays under the view, so a token typed is not lost for another
 * try; the view keeps its own copy for the live step, wiped when it closes.
 * Tokens are sent to the service only, never journaled or shown.
 *
 * The steps never block the screen (tui/doctor_job.h): while they read the
 * pool, IAM and the key set, the view says what is being read (so does
 * the status line) and shows no half report; Esc stops them (the requests
 * in flight are cancelled, the view closes back to the form, "stopped").
 * The live step runs the same way under the finished checklist; Esc stops
 * it (a GetId already sent is journalled with its outcome unknown, never
 * sent again). Closing the view, however, cancels whatever it still runs.
 */
#ifndef TUI_IDENTITY_TEST_H
#define TUI_IDENTITY_TEST_H

#include "tui/app.h"

void identity_test_open(struct app *a, const char *pool_id);

#endif
