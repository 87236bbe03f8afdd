/* tests/unit/test_tui_identities_criteria.c — the Identities pane's criteria
 * (tui/identities_criteria.h): what the inventory view filters and what
 * Prune... is told to match are the same criteria, read from the same form. */
#include <math.h>
#include <string.h>

#include "tests/unit/check.h"
#include "tui/identities_criteria.h"

static void test_prune_takes_only_what_it_can_match(void)
{
    struct identities_criteria c;
    struct identity_filter f;
    char why[300];

    memset(&c, 0, sizeof c);
    CHECK(!criteria_any(&c));
    CHECK_INT_EQ(criteria_to_prune(&c, &f, why, sizeof why), -1); /* none at all */
    CHECK(strstr(why, "at least one") != NULL);

    c.logins = CRITERIA_AUTHENTICATED; /* prune never deletes by what does not match */
    CHECK_INT_EQ(criteria_to_prune(&c, &f, why, sizeof why), -1);
    c.logins = CRITERIA_ANY;
    c.state = CRITERIA_ENABLED;
    CHECK_INT_EQ(criteria_to_prune(&c, &f, why, sizeof why), -1);
    c.state = CRITERIA_STATE_ANY;
    strcpy(c.id_contains, "abc");
    CHECK_INT_EQ(criteria_to_prune(&c, &f, why, sizeof why), -1);
    c.id_contains[0] = '\0';

    c.logins = CRITERIA_UNAUTHENTICATED;
    c.idle_days = 90;
    c.has_created_before = true;
    c.created_before = 1704067200;
    c.state = CRITERIA_DISABLED;
    CHECK(criteria_any(&c));
    CHECK_INT_EQ(criteria_to_prune(&c, &f, why, sizeof why), 0);
    CHECK(f.unauthenticated);
    CHECK(f.provider == NULL);
    CHECK_INT_EQ(f.idle_days, 90);
    CHECK(!f.has_modified_before); /* the job fixes the cutoff when it is created */
    CHECK(f.has_created_before && f.created_before == 1704067200);
    CHECK(f.disabled);
}

static void test_view_filter(void)
{
    struct identities_criteria c;
    struct inventory_view_filter v;

    memset(&c, 0, sizeof c);
    strcpy(c.provider, "graph.facebook.com");
    c.idle_days = 30;
    c.state = CRITERIA_ENABLED;
    strcpy(c.id_contains, "us-east");
    criteria_to_view(&c, 1000000000.0, &v);
    CHECK_STR_EQ(v.provider, "graph.facebook.com");
    CHECK(v.has_modified_before);
    CHECK(fabs(v.modified_before - (1000000000.0 - 30 * 86400.0)) < 1e-6);
    CHECK(!v.has_created_before);
    CHECK_INT_EQ(v.disabled, 2);
    CHECK_STR_EQ(v.id_contains, "us-east");
    memset(&c, 0, sizeof c);
    criteria_to_view(&c, 1.0, &v);
    CHECK(v.provider == NULL && v.id_contains == NULL && !v.has_modified_before);
}

static void test_describe(void)
{
    struct identities_criteria c;
    char buf[300];

    memset(&c, 0, sizeof c);
    CHECK_STR_EQ(criteria_describe(&c, buf, sizeof buf), "");
    c.logins = CRITERIA_UNAUTHENTICATED;
    c.idle_days = 7;
    strcpy(c.created_text, "2024-01-01");
    c.has_created_before = true;
    CHECK_STR_EQ(criteria_describe(&c, buf, sizeof buf),
                 "unauthenticated, idle 7 days, created before 2024-01-01");
    char small[10];
    criteria_describe(&c, small, sizeof small); /* cut, terminated */
    CHECK(strlen(small) < sizeof small);
}

/* The form's fields back: bad values are named under their field and the
 * criteria are left as they were. */
static void test_form_round_trip(void)
{
    struct identities_criteria c, out;

    memset(&c, 0, sizeof c);
    strcpy(c.provider, "login.demo.app");
    c.idle_days = 12;
    for (int view = 0; view < 2; view++) {
        struct form *f = form_new("t");
        CHECK(f != NULL);
        if (!f)
            return;
        CHECK_INT_EQ(criteria_form_add(f, &c, view, "login.demo.app (3)"), 0);
        memset(&out, 0, sizeof out);
        CHECK_INT_EQ(criteria_from_form(f, view, &out), 0);
        CHECK_STR_EQ(out.provider, "login.demo.app");
        CHECK_INT_EQ(out.idle_days, 12);
        CHECK(!out.has_created_before);

        form_set_text(f, "idle", "0");
        form_set_text(f, "created", "2024-02-30");
        out.idle_days = 99;
        CHECK_INT_EQ(criteria_from_form(f, view, &out), 2);
        CHECK_INT_EQ(out.idle_days, 99);
        CHECK(form_error(f, "idle") != NULL);
        CHECK(form_error(f, "created") != NULL);

        form_set_text(f, "idle", "");
        form_set_text(f, "created", "2024-01-01T13:11:06Z");
        CHECK_INT_EQ(criteria_from_form(f, view, &out), 0);
        CHECK(out.has_created_before && out.created_before == 1704114666.0);
        CHECK_STR_EQ(out.created_text, "2024-01-01T13:11:06Z");
        form_delete(f);
    }
    /* Unauthenticated and a provider match nothing: said, not run. */
    c.logins = CRITERIA_UNAUTHENTICATED;
    struct form *f = form_new("t");
    if (!f)
        return;
    criteria_form_add(f, &c, false, NULL);
    CHECK_INT_EQ(criteria_from_form(f, false, &out), 1);
    CHECK(form_error(f, "provider") != NULL);
    form_delete(f);
}

int main(void)
{
    RUN(test_prune_takes_only_what_it_can_match);
    RUN(test_view_filter);
    RUN(test_describe);
    RUN(test_form_round_trip);
    return check_finish();
}
