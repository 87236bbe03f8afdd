/* tui/identities_criteria.h — which identities the console's Identities pane
 * is about in its inventory view (tui/inventory_view.h), and what its
 * Prune… job (tui/identities_prune.h) deletes: one set of criteria, so the
 * rows shown and marked are the ones the job is told to match.
 *
 * The fields' meanings are prune's (tui/identity_filter.h): provider is
 * exact; idle N days is "not modified for N days" (LastModifiedDate before
 * now − N × 86400 s, an identity without a date never matches); created
 * before is ISO 8601 (tui/time_arg.h). Two more narrow the view only: the
 * id's text, and "authenticated" / "enabled" (prune deletes by what
 * matches, never by what does not).
 *
 * Forms: criteria_form_add() puts the fields on a form (prefilled),
 * criteria_from_form() reads them back, checking each (the message goes
 * under the field; the form stays open with what was typed).
 */
#ifndef TUI_IDENTITIES_CRITERIA_H
#define TUI_IDENTITIES_CRITERIA_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/identity_filter.h"
#include "tui/inventory_view.h"
#include "widgets/form.h"

enum criteria_logins { CRITERIA_ANY = 0, CRITERIA_UNAUTHENTICATED = 1, CRITERIA_AUTHENTICATED = 2 };
enum criteria_state { CRITERIA_STATE_ANY = 0, CRITERIA_DISABLED = 1, CRITERIA_ENABLED = 2 };

struct identities_criteria {
    int logins; /* enum criteria_logins */
    char provider[256];
    int idle_days; /* > 0: not modified for that many days */
    bool has_created_before;
    double created_before;
    char created_text[64]; /* as typed */
    int state;             /* enum criteria_state */
    char id_contains[128];
};

/* Whether any criterion is set. */
bool criteria_any(const struct identities_criteria *c);

/* Adds the fields to f, prefilled from c. `view` adds the view-only
 * choices (id text, authenticated, enabled); without it the form is
 * prune's. `providers`: the pool's login providers for the hint (may be
 * NULL). 0, or -1 when out of memory. */
int criteria_form_add(struct form *f, const struct identities_criteria *c, bool view,
                      const char *providers);

/* Reads the fields criteria_form_add() put on f into *out. Returns 0, or
 * the number of fields in error (their messages set on the form). */
int criteria_from_form(struct form *f, bool view, struct identities_criteria *out);

/* The inventory view's filter for c at `now` (epoch seconds); its strings
 * point into c. */
void criteria_to_view(const struct identities_criteria *c, double now,
                      struct inventory_view_filter *out);

/* Prune's filter for c (strings point into c; the idle cutoff is left for
 * the job to fix when it is created). -1 with why filled when c holds a
 * view-only criterion prune cannot take ("authenticated", "enabled", id
 * text) or none at all. */
int criteria_to_prune(const struct identities_criteria *c, struct identity_filter *out, char *why,
                      size_t size);

/* The criteria in words ("provider graph.facebook.com, idle 90 days"),
 * "" when none. Raw text (the provider as typed): sanitize to draw. Returns buf. */
char *criteria_describe(const struct identities_criteria *c, char *buf, size_t size);

#endif
