/* tui/identity_forms.h — what the Identities pane opens: an identity's
 * detail, the delete of the marked identities (batches of 60,
 * UnprocessedIdentityIds reported by id), developer-identity lookup (every
 * page), merge, unlink of a developer user (its id offered from a lookup of
 * the identity) and unlink of logins. Each takes what it acts on as
 * arguments and pushes its views; nothing here blocks. What changed is
 * reloaded in the pane the form or dialog was opened over. */
#ifndef TUI_IDENTITY_FORMS_H
#define TUI_IDENTITY_FORMS_H

#include <stddef.h>

#include "tui/app.h"

void identity_detail_show(struct app *a, const char *identity_id);

/* Asks (listing up to three ids, the count, the batches), then deletes. `ids` are copied. */
void identities_delete_confirm(struct app *a, const char *pool_name, const char *const *ids,
                               size_t n);

/* identity_id may be NULL (nothing under the cursor). dev_provider: the
 * pool's developer provider, to prefill; NULL when the caller has not read
 * the pool yet (it is read first, in the foreground). */
void identity_lookup_form(struct app *a, const char *pool_id, const char *identity_id);
void identity_merge_form(struct app *a, const char *pool_id, const char *dev_provider);
void identity_unlink_developer_form(struct app *a, const char *pool_id, const char *identity_id,
                                    const char *dev_provider);
void identity_unlink_form(struct app *a, const char *identity_id);

#endif
