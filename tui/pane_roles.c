/* tui/pane_roles.c — the Roles pane: the pool's roles and role mappings
 * (GetIdentityPoolRoles), the roles and rules editor (SetIdentityPoolRoles,
 * after a diff) and the rules tester (tui/rules.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/pool_forms.h"
#include "tui/rules.h"
#include "tui/screen.h"
#include "tui/views.h"
#include "widgets/dialog.h"
#include "widgets/text.h"

static const char *jstr(json_object *o, const char *name)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static json_object *jget(json_object *o, const char *name)
{
    json_object *v;
    return o && json_object_object_get_ex(o, name, &v) ? v : NULL;
}

static void roles_fill(struct app *a)
{
    struct detail *d = a->roles_view;
    if (!d)
        return;
    detail_clear(d);
    json_object *roles = jget(a->roles, "Roles");
    detail_add_section(d, "Roles");
    const char *auth = jstr(roles, "authenticated"), *unauth = jstr(roles, "unauthenticated");
    detail_add_kv(d, 1, "Authenticated", auth ? auth : "-");
    detail_add_kv(d, 1, "Unauthenticated", unauth ? unauth : "-");
    json_object *maps = jget(a->roles, "RoleMappings");
    detail_add_section(d, "Role mappings");
    if (!maps || !json_object_object_length(maps)) {
        detail_add_line(d, 1, "none: every provider gets the authenticated role", ROLE_DIM);
        return;
    }
    json_object_object_foreach(maps, provider, m)
    {
        char line[600];
        snprintf(line, sizeof line, "%s: %s, if ambiguous: %s", provider,
                 jstr(m, "Type") ? jstr(m, "Type") : "?",
                 jstr(m, "AmbiguousRoleResolution") ? jstr(m, "AmbiguousRoleResolution") : "-");
        detail_add_line(d, 1, line, ROLE_TITLE);
        json_object *rules = jget(jget(m, "RulesConfiguration"), "Rules");
        size_t n = rules && json_object_is_type(rules, json_type_array)
                       ? json_object_array_length(rules)
                       : 0;
        for (size_t i = 0; i < n; i++) {
            json_object *r = json_object_array_get_idx(rules, i);
            snprintf(line, sizeof line, "%zu. %s %s \"%s\" -> %s", i + 1,
                     jstr(r, "Claim") ? jstr(r, "Claim") : "",
                     jstr(r, "MatchType") ? jstr(r, "MatchType") : "",
                     jstr(r, "Value") ? jstr(r, "Value") : "",
                     jstr(r, "RoleARN") ? jstr(r, "RoleARN") : "");
            detail_add_line(d, 2, line, ROLE_NORMAL);
        }
    }
}

static void roles_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    unsigned gen = (unsigned)(uintptr_t)ctx;
    if (gen != a->generation) {
        json_object_put(out);
        return;
    }
    a->roles_loading = false;
    if (!out) {
        app_describe_error(err, a->roles_error, sizeof a->roles_error);
        return;
    }
    json_object_put(a->roles);
    a->roles = out;
    a->roles_error[0] = '\0';
    if (!a->roles_view)
        a->roles_view = detail_new(NULL);
    roles_fill(a);
}

static void roles_load(struct app *a)
{
    if (!a->pool_id || a->roles_loading)
        return;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(a->pool_id));
    struct api_error err;
    if (app_call(a, "GetIdentityPoolRoles", in, roles_done, (void *)(uintptr_t)a->generation,
                 APP_CALL_FOREGROUND, "Reading roles", &err))
        a->roles_loading = true;
    else
        app_describe_error(&err, a->roles_error, sizeof a->roles_error);
}

static void roles_enter(struct app *a)
{
    if (!a->roles_view)
        a->roles_view = detail_new(NULL);
    if (!a->roles && !a->roles_loading)
        roles_load(a);
}

static void roles_draw(struct app *a, int top, int height)
{
    char title[400];
    snprintf(title, sizeof title, "Roles of pool %s (%s)", a->pool_name ? a->pool_name : "",
             a->pool_id ? a->pool_id : "");
    draw_text(stdscr, top, 1, a->cols - 2, title, TEXT_NUL, ROLE_TITLE, TEXT_ELLIPSIS);
    if (a->roles_error[0]) {
        draw_text(stdscr, top + 1, 1, a->cols - 2, a->roles_error, TEXT_NUL, ROLE_ERROR,
                  TEXT_ELLIPSIS);
        return;
    }
    if (!a->roles) {
        draw_text(stdscr, top + 1, 1, a->cols - 2, a->roles_loading ? "Loading roles..." : "",
                  TEXT_NUL, ROLE_DIM, 0);
        return;
    }
    struct detail *d = a->roles_view;
    if (!d)
        return;
    widget_place(detail_widget(d), top + 1, 0, height - 1, a->cols);
    widget_draw(detail_widget(d), stdscr);
}

static void roles_reset(struct app *a)
{
    json_object_put(a->roles);
    a->roles = NULL;
    a->roles_loading = false;
    a->roles_error[0] = '\0';
    detail_delete(a->roles_view);
    a->roles_view = NULL;
}

/* ---- the editor ---- */

static const char *const match_types[] = {"Equals", "Contains", "StartsWith", "NotEqual"};
static const char *const mapping_types[] = {"Rules", "Token"};
static const char *const resolutions[] = {"AuthenticatedRole", "Deny"};

static size_t index_of(const char *const *list, size_t n, const char *v)
{
    for (size_t i = 0; v && i < n; i++)
        if (!strcmp(list[i], v))
            return i;
    return 0;
}

static const char *validate_arn(void *ctx, const char *v)
{
    (void)ctx;
    if (!*v)
        return NULL;
    if (strlen(v) < 20 || strncmp(v, "arn:", 4) != 0)
        return "an IAM role ARN: arn:aws:iam::ACCOUNT:role/NAME";
    return NULL;
}

static const char *validate_required_arn(void *ctx, const char *v)
{
    return *v ? validate_arn(ctx, v) : "required";
}

static struct form *make_rule(void *ctx)
{
    (void)ctx;
    struct form *r = form_new("Rule");
    if (!r)
        return NULL;
    form_add_text(r, "Claim", "Claim", "", FORM_REQUIRED, NULL, NULL);
    form_add_choice(r, "MatchType", "Match", match_types, 4, 0);
    form_add_text(r, "Value", "Value", "", FORM_REQUIRED, NULL, NULL);
    form_add_text(r, "RoleARN", "Role ARN", "", FORM_REQUIRED, validate_required_arn, NULL);
    return r;
}

static const char *rule_summary(void *ctx, const struct form *r, char *buf, size_t cap)
{
    (void)ctx;
    snprintf(buf, cap, "%s %s \"%s\" -> %s", form_text(r, "Claim"), form_text(r, "MatchType"),
             form_text(r, "Value"), form_text(r, "RoleARN"));
    return buf;
}

static struct form *make_mapping(void *ctx)
{
    (void)ctx;
    struct form *m = form_new("Role mapping");
    if (!m)
        return NULL;
    form_add_text(m, "Provider", "Identity provider", "", FORM_REQUIRED, NULL, NULL);
    form_set_hint(m, "Provider",
                  "e.g. graph.facebook.com or cognito-idp.REGION.amazonaws.com/POOL:CLIENT");
    form_add_choice(m, "Type", "Type", mapping_types, 2, 0);
    form_add_choice(m, "AmbiguousRoleResolution", "If no rule matches", resolutions, 2, 0);
    form_add_records(m, "Rules", "Rules (first match wins; Shift-Up/Down reorders)", 0,
                     RULES_MAX_PER_PROVIDER, make_rule, rule_summary, NULL);
    return m;
}

static const char *mapping_summary(void *ctx, const struct form *m, char *buf, size_t cap)
{
    (void)ctx;
    snprintf(buf, cap, "%s: %s, %zu rule%s", form_text(m, "Provider"), form_text(m, "Type"),
             form_count(m, "Rules"), form_count(m, "Rules") == 1 ? "" : "s");
    return buf;
}

static json_object *roles_input(struct app *a, struct form *f)
{
    json_object *in = json_object_new_object(), *roles = json_object_new_object(),
                *maps = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(a->pool_id));
    static const char *const kinds[] = {"authenticated", "unauthenticated"};
    for (size_t k = 0; k < 2; k++) {
        const char *v = form_text(f, kinds[k]);
        if (v && *v)
            json_object_object_add(roles, kinds[k], json_object_new_string(v));
    }
    json_object_object_add(in, "Roles", roles);
    for (size_t i = 0; i < form_count(f, "RoleMappings"); i++) {
        struct form *m = form_record(f, "RoleMappings", i);
        json_object *mj = json_object_new_object();
        const char *type = form_text(m, "Type");
        json_object_object_add(mj, "Type", json_object_new_string(type));
        json_object_object_add(mj, "AmbiguousRoleResolution",
                               json_object_new_string(form_text(m, "AmbiguousRoleResolution")));
        if (!strcmp(type, "Rules")) {
            json_object *rules = json_object_new_array();
            for (size_t r = 0; r < form_count(m, "Rules"); r++) {
                struct form *rf = form_record(m, "Rules", r);
                json_object *rj = json_object_new_object();
                static const char *const keys[] = {"Claim", "MatchType", "Value", "RoleARN"};
                for (size_t k = 0; k < 4; k++)
                    json_object_object_add(rj, keys[k],
                                           json_object_new_string(form_text(rf, keys[k])));
                json_object_array_add(rules, rj);
            }
            json_object *rc = json_object_new_object();
            json_object_object_add(rc, "Rules", rules);
            json_object_object_add(mj, "RulesConfiguration", rc);
        }
        json_object_object_add(maps, form_text(m, "Provider"), mj);
    }
    json_object_object_add(in, "RoleMappings", maps);
    return in;
}

struct roles_diff {
    unsigned form_serial;
    json_object *input;
};

static void roles_diff_free(void *p)
{
    struct roles_diff *d = p;
    json_object_put(d->input);
    free(d);
}

static void roles_after(struct app *a, json_object *out, const char *label)
{
    (void)out;
    (void)label;
    roles_reset(a);
    roles_enter(a);
}

static bool roles_diff_send(struct app *a, struct view *v, void *ctx)
{
    (void)v;
    struct roles_diff *d = ctx;
    views_form_send(a, d->form_serial, "SetIdentityPoolRoles", json_object_get(d->input),
                    "Set roles", roles_after);
    return true;
}

static bool roles_submit(struct app *a, struct view *v, void *ctx)
{
    (void)ctx;
    struct form *f = views_form_of(v);
    json_object *in = roles_input(a, f);
    char why[400];
    if (rules_check(jget(in, "RoleMappings"), why, sizeof why) != 0) {
        form_set_error(f, "RoleMappings", why);
        form_set_error(f, NULL, "Fix the role mappings first.");
        json_object_put(in);
        return false;
    }
    form_set_error(f, NULL, NULL);
    /* SetIdentityPoolRoles replaces every role and mapping: show what changes. */
    json_object *before = json_object_new_object();
    json_object_object_add(before, "IdentityPoolId", json_object_new_string(a->pool_id));
    json_object_object_add(before, "Roles",
                           json_object_get(jget(a->roles, "Roles") ? jget(a->roles, "Roles")
                                                                   : json_object_new_object()));
    json_object_object_add(before, "RoleMappings",
                           jget(a->roles, "RoleMappings")
                               ? json_object_get(jget(a->roles, "RoleMappings"))
                               : json_object_new_object());
    struct diff *d = diff_new("Roles and mappings to send (Enter sends, q returns to the form)");
    struct roles_diff *rd = calloc(1, sizeof *rd);
    if (!d || !rd || diff_set_json(d, before, in) != 0) {
        diff_delete(d);
        free(rd);
        json_object_put(before);
        json_object_put(in);
        return false;
    }
    json_object_put(before);
    if (diff_changes(d) == 0) {
        diff_delete(d);
        free(rd);
        json_object_put(in);
        form_set_error(f, NULL, "Nothing changed: nothing to send.");
        return false;
    }
    rd->form_serial = views_serial(v);
    rd->input = in;
    views_diff(a, d, roles_diff_send, rd, roles_diff_free);
    return false;
}

static void roles_edit(struct app *a)
{
    if (!a->roles) {
        app_status(a, STATUS_WARN, "The roles are not loaded yet (r reloads).");
        return;
    }
    struct form *f = form_new("Roles and role mappings");
    if (!f)
        return;
    json_object *roles = jget(a->roles, "Roles");
    form_add_text(f, "authenticated", "Authenticated role ARN", jstr(roles, "authenticated"), 0,
                  validate_arn, NULL);
    form_add_text(f, "unauthenticated", "Unauthenticated role ARN", jstr(roles, "unauthenticated"),
                  0, validate_arn, NULL);
    form_add_records(f, "RoleMappings", "Role mappings (one per provider)", 0, 10, make_mapping,
                     mapping_summary, NULL);
    json_object *maps = jget(a->roles, "RoleMappings");
    if (maps && json_object_is_type(maps, json_type_object)) {
        json_object_object_foreach(maps, provider, m)
        {
            struct form *mf = form_records_append(f, "RoleMappings");
            if (!mf)
                break;
            form_set_text(mf, "Provider", provider);
            form_set_choice(mf, "Type", index_of(mapping_types, 2, jstr(m, "Type")));
            form_set_choice(mf, "AmbiguousRoleResolution",
                            index_of(resolutions, 2, jstr(m, "AmbiguousRoleResolution")));
            json_object *rules = jget(jget(m, "RulesConfiguration"), "Rules");
            for (size_t i = 0; rules && json_object_is_type(rules, json_type_array) &&
                               i < json_object_array_length(rules);
                 i++) {
                json_object *r = json_object_array_get_idx(rules, i);
                struct form *rf = form_records_append(mf, "Rules");
                if (!rf)
                    break;
                form_set_text(rf, "Claim", jstr(r, "Claim"));
                form_set_choice(rf, "MatchType", index_of(match_types, 4, jstr(r, "MatchType")));
                form_set_text(rf, "Value", jstr(r, "Value"));
                form_set_text(rf, "RoleARN", jstr(r, "RoleARN"));
            }
        }
    }
    views_form(a, f, roles_submit, NULL, NULL);
}

/* ---- the tester ---- */

static bool tester_submit(struct app *a, struct view *v, void *ctx)
{
    (void)ctx;
    struct form *f = views_form_of(v);
    size_t n = form_count(f, "Claims");
    struct rules_claim *claims = calloc(n ? n : 1, sizeof *claims);
    if (!claims)
        return false;
    for (size_t i = 0; i < n; i++) {
        claims[i].name = form_map_key(f, "Claims", i);
        claims[i].value = form_map_value(f, "Claims", i);
    }
    struct rules_result r;
    rules_evaluate(a->roles, form_text(f, "Provider"), claims, n, &r);
    free(claims);
    char role[1100];
    snprintf(role, sizeof role, "Role: %s", r.role ? r.role : "none (no credentials)");
    /* Paragraphs: a dialog never takes a byte of its text as a line break. */
    struct dialog *d = dialog_message(r.outcome == RULES_DENIED ? "Denied" : "Role", r.why);
    if (d) {
        dialog_add_paragraph(d, "");
        dialog_add_paragraph(d, role);
        views_dialog(a, d, NULL, NULL, NULL, NULL);
    }
    return false; /* the form stays for the next try */
}

static void rules_tester(struct app *a)
{
    if (!a->roles) {
        app_status(a, STATUS_WARN, "The roles are not loaded yet (r reloads).");
        return;
    }
    struct form *f = form_new("Rules tester: which role would these claims get?");
    if (!f)
        return;
    const char *first = NULL;
    json_object *maps = jget(a->roles, "RoleMappings");
    if (maps && json_object_is_type(maps, json_type_object)) {
        json_object_object_foreach(maps, provider, m)
        {
            (void)m;
            if (!first)
                first = provider;
        }
    }
    form_add_text(f, "Provider", "Identity provider", first, FORM_REQUIRED, NULL, NULL);
    form_add_map(f, "Claims", "Claims of the token (claim = value)", 0, 50, NULL, NULL);
    form_set_hint(f, "Claims", "Token mappings read cognito:preferred_role and cognito:roles");
    views_form(a, f, tester_submit, NULL, NULL);
}

static bool roles_action(struct app *a, enum action act)
{
    int nav = screen_nav_key(act);
    if (nav) {
        if (a->roles_view)
            widget_handle(detail_widget(a->roles_view), nav);
        return true;
    }
    switch (act) {
    case ACT_ROLES_EDIT:
        roles_edit(a);
        return true;
    case ACT_RULES_TEST:
        rules_tester(a);
        return true;
    case ACT_OPEN:
        return true;
    default:
        return false;
    }
}

const struct pane_ops pane_roles_ops = {
    .title = "Roles",
    .scope = SCOPE_ROLES,
    .enter = roles_enter,
    .draw = roles_draw,
    .action = roles_action,
    .reset = roles_reset,
};
