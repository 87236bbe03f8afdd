/* tui/roles_forms.c — the roles editor and the rules tester (tui/roles_forms.h). */
#include "tui/roles_forms.h"

#include <stdlib.h>
#include <string.h>

#include "tui/form_send.h"
#include "tui/json_get.h"
#include "tui/model_field.h"
#include "tui/rules.h"
#include "tui/view_dialog.h"
#include "tui/view_diff.h"
#include "tui/view_form.h"

#define OP   "SetIdentityPoolRoles"
#define RULE "RoleMappings{value}.RulesConfiguration.Rules[]."

static const struct model_member role_arn = {OP, "Roles{value}"};
static const struct model_member provider = {OP, "RoleMappings{key}"};
static const struct model_member mapping_type = {OP, "RoleMappings{value}.Type"};
static const struct model_member resolution = {OP, "RoleMappings{value}.AmbiguousRoleResolution"};
static const struct model_member claim = {OP, RULE "Claim"};
static const struct model_member match_type = {OP, RULE "MatchType"};
static const struct model_member claim_value = {OP, RULE "Value"};
static const struct model_member rule_role = {OP, RULE "RoleARN"};

static struct form *make_rule(void *ctx)
{
    (void)ctx;
    struct form *r = form_new("Rule");
    if (!r)
        return NULL;
    model_add_text(r, "Claim", "Claim", "", FORM_REQUIRED, &claim);
    model_add_choice(r, "MatchType", "Match", NULL, &match_type);
    model_add_text(r, "Value", "Value", "", FORM_REQUIRED, &claim_value);
    form_add_text(r, "RoleARN", "Role ARN", "", FORM_REQUIRED, model_check_role_arn,
                  (void *)&rule_role);
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
    model_add_text(m, "Provider", "Identity provider", "", FORM_REQUIRED, &provider);
    form_set_hint(m, "Provider",
                  "e.g. graph.facebook.com or cognito-idp.REGION.amazonaws.com/POOL:CLIENT");
    model_add_choice(m, "Type", "Type", "Rules", &mapping_type);
    model_add_choice(m, "AmbiguousRoleResolution", "If no rule matches", NULL, &resolution);
    form_add_records(m, "Rules", "Rules (first match wins; Shift-Up/Down reorders)", 0,
                     RULES_MAX_PER_PROVIDER, make_rule, rule_summary, NULL);
    return m;
}

static const char *mapping_summary(void *ctx, const struct form *m, char *buf, size_t cap)
{
    (void)ctx;
    size_t n = form_count(m, "Rules");
    snprintf(buf, cap, "%s: %s, %zu rule%s", form_text(m, "Provider"), form_text(m, "Type"), n,
             n == 1 ? "" : "s");
    return buf;
}

/* The request the form describes (SetIdentityPoolRoles replaces every role
 * and mapping: what is left out is gone). */
static json_object *roles_input(const char *pool_id, struct form *f)
{
    json_object *in = json_object_new_object(), *roles = json_object_new_object(),
                *maps = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
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

struct roles_edit {
    char *pool_id;
    json_object *before; /* what was read: the diff's left side */
};

static void roles_edit_free(void *p)
{
    struct roles_edit *e = p;
    free(e->pool_id);
    json_object_put(e->before);
    free(e);
}

struct roles_send {
    unsigned form;
    json_object *input;
};

static void roles_send_free(void *p)
{
    struct roles_send *s = p;
    json_object_put(s->input);
    free(s);
}

/* The roles changed since the form read them: the fresh read is the
 * form's new original (issue 11, lost updates). */
static void roles_rebase(struct view *form, json_object *theirs)
{
    struct roles_edit *e = form->ctx;
    json_object_put(e->before);
    e->before = json_object_get(theirs);
}

static unsigned diff_send(struct app *a, struct view *v, void *ctx)
{
    (void)v;
    struct roles_send *s = ctx;
    struct view *form = view_find(a, s->form);
    struct roles_edit *e = form ? form->ctx : NULL;
    struct form_send_opts o = {
        .op = OP, .label = "Set roles", .original = e ? e->before : NULL, .rebase = roles_rebase};
    form_send(a, form, json_object_get(s->input), &o);
    return RES_CLOSE; /* back to the form, which stays until the answer */
}

static unsigned roles_submit(struct app *a, struct view *v, void *ctx)
{
    struct roles_edit *e = ctx;
    struct form *f = view_form_of(v);
    json_object *in = roles_input(e->pool_id, f);
    char why[400];
    if (rules_check(jobj(in, "RoleMappings"), why, sizeof why) != 0) {
        form_set_error(f, "RoleMappings", why);
        form_set_error(f, NULL, "Fix the role mappings first.");
        json_object_put(in);
        return RES_REDRAW;
    }
    form_set_error(f, NULL, NULL);
    json_object *before = json_object_new_object();
    json_object_object_add(before, "IdentityPoolId", json_object_new_string(e->pool_id));
    json_object *r = jobj(e->before, "Roles"), *m = jobj(e->before, "RoleMappings");
    json_object_object_add(before, "Roles", r ? json_object_get(r) : json_object_new_object());
    json_object_object_add(before, "RoleMappings",
                           m ? json_object_get(m) : json_object_new_object());
    struct diff *d = diff_new("Roles and mappings to send (Enter sends, q returns to the form)");
    struct roles_send *s = calloc(1, sizeof *s);
    if (!d || !s || diff_set_json(d, before, in) != 0) {
        diff_delete(d);
        free(s);
        json_object_put(before);
        json_object_put(in);
        form_set_error(f, NULL, "Out of memory.");
        return RES_REDRAW;
    }
    json_object_put(before);
    if (diff_changes(d) == 0) {
        diff_delete(d);
        free(s);
        json_object_put(in);
        form_set_error(f, NULL, "Nothing changed: nothing to send.");
        return RES_REDRAW;
    }
    s->form = view_serial(v);
    s->input = in;
    view_diff_open(a, d, diff_send, s, roles_send_free);
    return RES_REDRAW;
}

void roles_edit_form(struct app *a, const char *pool_id, json_object *roles)
{
    struct form *f = form_new("Roles and role mappings");
    struct roles_edit *e = calloc(1, sizeof *e);
    if (!f || !e) {
        form_delete(f);
        free(e);
        return;
    }
    e->pool_id = app_strdup(pool_id);
    e->before = json_object_get(roles);
    json_object *r = jobj(roles, "Roles");
    form_add_text(f, "authenticated", "Authenticated role ARN", jstr(r, "authenticated"), 0,
                  model_check_role_arn, (void *)&role_arn);
    form_add_text(f, "unauthenticated", "Unauthenticated role ARN", jstr(r, "unauthenticated"), 0,
                  model_check_role_arn, (void *)&role_arn);
    form_add_records(f, "RoleMappings", "Role mappings (one per provider)", 0, 10, make_mapping,
                     mapping_summary, NULL);
    json_object *maps = jobj(roles, "RoleMappings");
    if (maps) {
        json_object_object_foreach(maps, prov, m)
        {
            struct form *mf = form_records_append(f, "RoleMappings");
            if (!mf)
                break;
            form_set_text(mf, "Provider", prov);
            size_t n;
            const char *const *types = model_choices(&mapping_type, &n);
            for (size_t i = 0; i < n; i++)
                if (jstr(m, "Type") && !strcmp(types[i], jstr(m, "Type")))
                    form_set_choice(mf, "Type", i);
            const char *const *res = model_choices(&resolution, &n);
            for (size_t i = 0; i < n; i++)
                if (jstr(m, "AmbiguousRoleResolution") &&
                    !strcmp(res[i], jstr(m, "AmbiguousRoleResolution")))
                    form_set_choice(mf, "AmbiguousRoleResolution", i);
            json_object *rules = jarr(jobj(m, "RulesConfiguration"), "Rules");
            for (size_t i = 0; rules && i < json_object_array_length(rules); i++) {
                json_object *rule = json_object_array_get_idx(rules, i);
                struct form *rf = form_records_append(mf, "Rules");
                if (!rf)
                    break;
                form_set_text(rf, "Claim", jstr(rule, "Claim"));
                const char *const *mt = model_choices(&match_type, &n);
                for (size_t k = 0; k < n; k++)
                    if (jstr(rule, "MatchType") && !strcmp(mt[k], jstr(rule, "MatchType")))
                        form_set_choice(rf, "MatchType", k);
                form_set_text(rf, "Value", jstr(rule, "Value"));
                form_set_text(rf, "RoleARN", jstr(rule, "RoleARN"));
            }
        }
    }
    view_form_open(a, f, 0, roles_submit, e, roles_edit_free);
}

/* ---- the tester ---- */

static unsigned tester_submit(struct app *a, struct view *v, void *ctx)
{
    json_object *roles = ctx;
    struct form *f = view_form_of(v);
    size_t n = form_count(f, "Claims");
    struct api_role_claim *claims = calloc(n ? n : 1, sizeof *claims);
    if (!claims)
        return 0;
    for (size_t i = 0; i < n; i++) {
        claims[i].name = form_map_key(f, "Claims", i);
        claims[i].value = form_map_value(f, "Claims", i);
    }
    struct api_role_choice r;
    api_role_select(roles, form_text(f, "Provider"), claims, n, NULL, &r);
    free(claims);
    char role[1100];
    snprintf(role, sizeof role, "Role: %s", r.role ? r.role : "none (no credentials)");
    /* Paragraphs: a dialog never takes a byte of its text as a line break. */
    struct dialog *d = dialog_message(r.role ? "Role" : "Denied", r.why);
    if (d) {
        dialog_add_paragraph(d, "");
        dialog_add_paragraph(d, role);
        view_dialog_open(a, d, NULL, NULL, NULL, NULL);
    }
    return RES_REDRAW; /* the form stays for the next try */
}

static void roles_put(void *p)
{
    json_object_put(p);
}

void rules_tester_form(struct app *a, json_object *roles)
{
    struct form *f = form_new("Rules tester: which role would these claims get?");
    if (!f)
        return;
    const char *first = NULL;
    json_object *maps = jobj(roles, "RoleMappings");
    if (maps) {
        json_object_object_foreach(maps, prov, m)
        {
            (void)m;
            if (!first)
                first = prov;
        }
    }
    form_add_text(f, "Provider", "Identity provider", first, FORM_REQUIRED, NULL, NULL);
    form_add_map(f, "Claims", "Claims of the token (claim = value)", 0, 50, NULL, NULL);
    form_set_hint(f, "Claims", "Token mappings read cognito:preferred_role");
    view_form_open(a, f, VIEW_FORM_QUERY, tester_submit, json_object_get(roles), roles_put);
}
