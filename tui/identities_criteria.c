/* tui/identities_criteria.c — the Identities pane's criteria (identities_criteria.h). */
#include "tui/identities_criteria.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/time_arg.h"

static const char *const logins_choices[] = {"any", "unauthenticated (no login)",
                                             "authenticated (a login)"};
static const char *const state_choices[] = {"any", "disabled", "enabled"};

bool criteria_any(const struct identities_criteria *c)
{
    return c->logins || c->provider[0] || c->idle_days > 0 || c->has_created_before || c->state ||
           c->id_contains[0];
}

/* "" or a whole number of days from 1 to 100 years' worth. */
static int parse_days(const char *text, int *days)
{
    char *end;
    long v;

    *days = 0;
    if (!text[0])
        return 0;
    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || *end || end == text || v < 1 || v > 36500)
        return -1;
    *days = (int)v;
    return 0;
}

static const char *check_days(void *ctx, const char *value)
{
    int d;
    (void)ctx;
    return parse_days(value, &d) == 0 ? NULL : "a whole number of days, 1 to 36500 (empty: any)";
}

static const char *check_time(void *ctx, const char *value)
{
    static char why[300];
    double t;
    (void)ctx;
    if (!value[0] || time_arg_parse(value, &t, why, sizeof why) == 0)
        return NULL;
    return why; /* the form copies it at once */
}

int criteria_form_add(struct form *f, const struct identities_criteria *c, bool view,
                      const char *providers)
{
    char days[16] = "";
    int rc = 0; /* the adders return the field's index, or -1 */

    if (c->idle_days > 0)
        snprintf(days, sizeof days, "%d", c->idle_days);
    if (view)
        rc |= 0 > form_add_text(f, "id", "Id contains", c->id_contains, 0, NULL, NULL);
    if (view)
        rc |= 0 > form_add_choice(f, "logins", "Logins", logins_choices, 3, (size_t)c->logins);
    else
        rc |= 0 >
              form_add_bool(f, "logins", "Unauthenticated", c->logins == CRITERIA_UNAUTHENTICATED);
    rc |= 0 > form_add_text(f, "provider", "Login provider", c->provider, 0, NULL, NULL);
    if (rc == 0 && providers && providers[0]) {
        char hint[600];
        snprintf(hint, sizeof hint, "exact; in the inventory: %s", providers);
        form_set_hint(f, "provider", hint);
    }
    rc |= 0 > form_add_text(f, "idle", "Idle days", days, 0, check_days, NULL);
    rc |= 0 > form_add_text(f, "created", "Created before", c->created_text, 0, check_time, NULL);
    if (rc == 0) {
        form_set_hint(f, "idle", "not modified for that many days");
        form_set_hint(f, "created", "2024-01-01 or 2024-01-01T13:11:06Z");
    }
    if (view)
        rc |= 0 > form_add_choice(f, "state", "Disabled", state_choices, 3, (size_t)c->state);
    else
        rc |= 0 > form_add_bool(f, "state", "Disabled only", c->state == CRITERIA_DISABLED);
    return rc ? -1 : 0;
}

int criteria_from_form(struct form *f, bool view, struct identities_criteria *out)
{
    struct identities_criteria c;
    char why[300];
    int bad = 0;

    memset(&c, 0, sizeof c);
    if (view) {
        snprintf(c.id_contains, sizeof c.id_contains, "%s", form_text(f, "id"));
        c.logins = (int)form_choice(f, "logins");
        c.state = (int)form_choice(f, "state");
    } else {
        c.logins = form_bool(f, "logins") ? CRITERIA_UNAUTHENTICATED : CRITERIA_ANY;
        c.state = form_bool(f, "state") ? CRITERIA_DISABLED : CRITERIA_STATE_ANY;
    }
    snprintf(c.provider, sizeof c.provider, "%s", form_text(f, "provider"));
    if (parse_days(form_text(f, "idle"), &c.idle_days) != 0) {
        form_set_error(f, "idle", check_days(NULL, form_text(f, "idle")));
        bad++;
    }
    snprintf(c.created_text, sizeof c.created_text, "%s", form_text(f, "created"));
    if (c.created_text[0]) {
        if (time_arg_parse(c.created_text, &c.created_before, why, sizeof why) != 0) {
            form_set_error(f, "created", why);
            bad++;
        } else {
            c.has_created_before = true;
        }
    }
    if (!bad && c.logins == CRITERIA_UNAUTHENTICATED && c.provider[0]) {
        form_set_error(f, "provider",
                       "an unauthenticated identity has no provider: the two match nothing");
        bad++;
    }
    if (!bad)
        *out = c;
    return bad;
}

void criteria_to_view(const struct identities_criteria *c, double now,
                      struct inventory_view_filter *out)
{
    memset(out, 0, sizeof *out);
    out->logins = c->logins;
    out->provider = c->provider[0] ? c->provider : NULL;
    if (c->idle_days > 0) {
        out->has_modified_before = true;
        out->modified_before = now - (double)c->idle_days * 86400.0;
    }
    out->has_created_before = c->has_created_before;
    out->created_before = c->created_before;
    out->disabled = c->state;
    out->id_contains = c->id_contains[0] ? c->id_contains : NULL;
}

int criteria_to_prune(const struct identities_criteria *c, struct identity_filter *out, char *why,
                      size_t size)
{
    memset(out, 0, sizeof *out);
    if (c->logins == CRITERIA_AUTHENTICATED || c->state == CRITERIA_ENABLED || c->id_contains[0]) {
        snprintf(why, size,
                 "prune matches by provider, idle days, creation date, "
                 "unauthenticated or disabled only: clear the view's other criteria");
        return -1;
    }
    out->unauthenticated = c->logins == CRITERIA_UNAUTHENTICATED;
    out->provider = c->provider[0] ? c->provider : NULL;
    out->idle_days = c->idle_days;
    out->has_created_before = c->has_created_before;
    out->created_before = c->created_before;
    out->disabled = c->state == CRITERIA_DISABLED;
    if (!identity_filter_any(out)) {
        snprintf(why, size, "prune needs at least one criterion");
        return -1;
    }
    return 0;
}

char *criteria_describe(const struct identities_criteria *c, char *buf, size_t size)
{
    size_t used = 0;
    int n;

#define ADD(...)                                                                                   \
    do {                                                                                           \
        if (used < size && (n = snprintf(buf + used, size - used, "%s", used ? ", " : "")) > 0)    \
            used += (size_t)n;                                                                     \
        if (used < size && (n = snprintf(buf + used, size - used, __VA_ARGS__)) > 0)               \
            used += (size_t)n;                                                                     \
    } while (0)

    if (size)
        buf[0] = '\0';
    if (c->id_contains[0])
        ADD("id has \"%s\"", c->id_contains);
    if (c->logins == CRITERIA_UNAUTHENTICATED)
        ADD("unauthenticated");
    else if (c->logins == CRITERIA_AUTHENTICATED)
        ADD("authenticated");
    if (c->provider[0])
        ADD("provider %s", c->provider);
    if (c->idle_days > 0)
        ADD("idle %d days", c->idle_days);
    if (c->has_created_before)
        ADD("created before %s", c->created_text);
    if (c->state == CRITERIA_DISABLED)
        ADD("disabled");
    else if (c->state == CRITERIA_ENABLED)
        ADD("enabled");
#undef ADD
    if (used >= size && size)
        buf[size - 1] = '\0';
    return buf;
}
