/* tui/identity_test.h — "test an identity": GetId (or
 * GetOpenIdTokenForDeveloperIdentity) -> GetOpenIdToken ->
 * GetCredentialsForIdentity for logins the admin types, shown in a detail
 * view with the secrets masked until asked for (reveal). Not offered in
 * read-only mode (it creates an identity). The tokens typed are sent to the
 * service only, never journaled, and wiped when the view closes. */
#ifndef TUI_IDENTITY_TEST_H
#define TUI_IDENTITY_TEST_H

#include "tui/app.h"

void identity_test_open(struct app *a, const char *pool_id);

#endif
