/* tui/principal_tags.c — principal tag attribute maps (tui/principal_tags.h). */
#include "tui/principal_tags.h"

#include <stdlib.h>
#include <string.h>

#include "tui/form_send.h"
#include "tui/json_get.h"
#include "tui/model_field.h"
#include "tui/view_detail.h"
#include "tui/view_dialog.h"
#include "tui/view_diff.h"
#include "tui/view_form.h"

#define OTHER "(another: type it below)"

static const struct model_member provider_name = {"GetPrincipalTagAttributeMap",
                                                  "IdentityProviderName"};
static const struct model_member tag_name = {"SetPrincipalTagAttributeMap", "PrincipalTags{key}"};

size_t pool_providers(json_object *desc, const char **out, size_t max)
{
    size_t n = 0;
    json_object *cips = jarr(desc, "CognitoIdentityProviders");
    for (size_t i = 0; cips && i < json_object_array_length(cips) && n < max; i++) {
        const char *p = jstr(json_object_array_get_idx(cips, i), "ProviderName");
        if (p)
            out[n++] = p;
    }
    json_object *logins = jobj(desc, "SupportedLoginProviders");
    if (logins) {
        json_object_object_foreach(logins, k, v)
        {
            (void)v;
            if (n < max)
                out[n++] = k;
        }
    }
    static const char *const arns[] = {"OpenIdConnectProviderARNs", "SamlProviderARNs"};
    for (size_t l = 0; l < 2; l++) {
        json_object *list = jarr(desc, arns[l]);
        for (size_t i = 0; list && i < json_object_array_length(list) && n < max; i++)
            if (jitem_str(list, i))
                out[n++] = jitem_str(list, i);
    }
    return n;
}

struct ptags {
    char *pool_id;
    char *provider;
    json_object *before; /* the map as read: {"UseDefaults": b, "PrincipalTags": {...}} */
};

static void ptags_free(void *p)
{
    struct ptags *c = p;
    if (!c)
        return;
    free(c->pool_id);
    free(c->provider);
    json_object_put(c->before);
    free(c);
}

/* ---- edit, diff, send ---- */

static json_object *map_of(struct form *f)
{
    json_object *m = json_object_new_object(), *tags = json_object_new_object();
    json_object_object_add(m, "UseDefaults", json_object_new_boolean(form_bool(f, "UseDefaults")));
    for (size_t i = 0; i < form_count(f, "PrincipalTags"); i++)
        json_object_object_add(tags, form_map_key(f, "PrincipalTags", i),
                               json_object_new_string(form_map_value(f, "PrincipalTags", i)));
    json_object_object_add(m, "PrincipalTags", tags);
    return m;
}

struct ptags_send {
    unsigned form;
    json_object *input;
};

static void ptags_send_free(void *p)
{
    struct ptags_send *s = p;
    json_object_put(s->input);
    free(s);
}

/* The map as the form compares it: {"UseDefaults", "PrincipalTags"} of a
 * GetPrincipalTagAttributeMap answer. New object. */
static json_object *map_read(json_object *out)
{
    json_object *m = json_object_new_object(), *tags = jobj(out, "PrincipalTags"), *copy = NULL;
    json_object_object_add(m, "UseDefaults", json_object_new_boolean(jbool(out, "UseDefaults")));
    if (!tags || json_object_deep_copy(tags, &copy, NULL) != 0)
        copy = json_object_new_object();
    json_object_object_add(m, "PrincipalTags", copy);
    return m;
}

/* The map changed since the form read it: the fresh read is the form's new
 * original (issue 11, lost updates). */
static void ptags_rebase(struct view *form, json_object *theirs)
{
    struct ptags *c = form->ctx;
    json_object_put(c->before);
    c->before = map_read(theirs);
}

static unsigned diff_send(struct app *a, struct view *v, void *ctx)
{
    (void)v;
    struct ptags_send *s = ctx;
    struct view *form = view_find(a, s->form);
    struct ptags *c = form ? form->ctx : NULL;
    struct form_send_opts o = {.op = "SetPrincipalTagAttributeMap",
                               .label = "Principal tags",
                               .original = c ? c->before : NULL,
                               .rebase = ptags_rebase};
    form_send(a, form, json_object_get(s->input), &o);
    return RES_CLOSE;
}

static unsigned set_submit(struct app *a, struct view *v, void *ctx)
{
    struct ptags *c = ctx;
    struct form *f = view_form_of(v);
    json_object *after = map_of(f);
    struct diff *d = diff_new("Principal tags to send (Enter sends, q returns to the form)");
    struct ptags_send *s = calloc(1, sizeof *s);
    if (!d || !s || diff_set_json(d, c->before, after) != 0) {
        diff_delete(d);
        free(s);
        json_object_put(after);
        form_set_error(f, NULL, "Out of memory.");
        return RES_REDRAW;
    }
    if (diff_changes(d) == 0) {
        diff_delete(d);
        free(s);
        json_object_put(after);
        form_set_error(f, NULL, "Nothing changed: nothing to send.");
        return RES_REDRAW;
    }
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(c->pool_id));
    json_object_object_add(in, "IdentityProviderName", json_object_new_string(c->provider));
    json_object_object_add(in, "UseDefaults", json_object_get(jget(after, "UseDefaults")));
    json_object_object_add(in, "PrincipalTags", json_object_get(jget(after, "PrincipalTags")));
    json_object_put(after);
    s->form = view_serial(v);
    s->input = in;
    form_set_error(f, NULL, NULL);
    view_diff_open(a, d, diff_send, s, ptags_send_free);
    return RES_REDRAW;
}

static void show_map(struct app *a, struct ptags *c, json_object *out)
{
    bool use_defaults = jbool(out, "UseDefaults");
    c->before = map_read(out);
    json_object *copy = jobj(c->before, "PrincipalTags");
    if (a->read_only) {
        struct detail *d = detail_new("Principal tag attribute map");
        if (d) {
            detail_add_section(d, c->provider);
            detail_add_kv(d, 1, "Use defaults", use_defaults ? "yes" : "no");
            detail_add_section(d, "Principal tags (tag = claim)");
            json_object_object_foreach(copy, k, v)
                detail_add_kv(d, 1, k, json_object_get_string(v));
        }
        view_detail_open(a, d, NULL, NULL, NULL);
        ptags_free(c);
        return;
    }
    char title[300];
    snprintf(title, sizeof title, "Principal tags of %s", c->provider);
    struct form *f = form_new(title);
    if (!f) {
        ptags_free(c);
        return;
    }
    form_add_bool(f, "UseDefaults", "Use the default mappings (username, client id)", use_defaults);
    form_add_map(f, "PrincipalTags", "Principal tags (tag = token claim)", 0, 50, model_check,
                 (void *)&tag_name);
    json_object_object_foreach(copy, k, v)
        form_map_append(f, "PrincipalTags", k, json_object_get_string(v));
    view_form_open(a, f, 0, set_submit, c, ptags_free);
}

/* ---- which provider ---- */

struct ptags_read {
    unsigned form, gen;
    struct ptags *c;
};

static void read_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct ptags_read *r = ctx;
    struct view *v = r->gen == a->profile_gen ? view_find(a, r->form) : NULL;
    if (!out) {
        struct form *f = view_form_of(v);
        if (f)
            form_show_error(f, err);
        else if (err->kind != API_ERR_CANCELLED)
            view_error(a, "Principal tags", err);
        ptags_free(r->c);
    } else if (r->gen == a->profile_gen) {
        if (v)
            view_close(a, v);
        app_status_clear(a);
        show_map(a, r->c, out);
    } else {
        ptags_free(r->c);
    }
    json_object_put(out);
    free(r);
}

static unsigned choose_submit(struct app *a, struct view *v, void *ctx)
{
    const char *pool_id = ctx;
    struct form *f = view_form_of(v);
    const char *prov = form_text(f, "Provider");
    if (!prov || !strcmp(prov, OTHER) || form_field_index(f, "Provider") < 0)
        prov = form_text(f, "Other");
    if (!prov || !*prov) {
        form_set_error(f, "Other", "Type the provider's name.");
        return RES_REDRAW;
    }
    struct ptags_read *r = calloc(1, sizeof *r);
    struct ptags *c = calloc(1, sizeof *c);
    if (!r || !c) {
        free(r);
        free(c);
        return 0;
    }
    c->pool_id = app_strdup(pool_id);
    c->provider = app_strdup(prov);
    r->c = c;
    r->form = view_serial(v);
    r->gen = a->profile_gen;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    json_object_object_add(in, "IdentityProviderName", json_object_new_string(prov));
    struct api_error err;
    form_set_error(f, NULL, NULL);
    if (!app_call(a, "GetPrincipalTagAttributeMap", in, read_done, r, APP_CALL_FOREGROUND,
                  "Reading principal tags", &err)) {
        form_show_error(f, &err);
        ptags_free(c);
        free(r);
    }
    return RES_REDRAW;
}

static void described(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    char *pool_id = ctx;
    if (!out && err->kind == API_ERR_CANCELLED) {
        free(pool_id);
        return;
    }
    /* A pool that cannot be read still lets the admin type a provider. */
    const char *provs[40];
    size_t n = out ? pool_providers(out, provs, 39) : 0;
    struct form *f = form_new("Principal tag attribute map");
    if (!f) {
        free(pool_id);
        json_object_put(out);
        return;
    }
    if (n) {
        provs[n] = OTHER;
        form_add_choice(f, "Provider", "Identity provider", provs, n + 1, 0);
        form_set_hint(f, "Provider", "the pool's providers; Left/Right or Space picks");
    }
    model_add_text(f, "Other", n ? "Or another provider" : "Identity provider", "", 0,
                   &provider_name);
    form_set_hint(f, "Other", "e.g. cognito-idp.REGION.amazonaws.com/POOL or accounts.google.com");
    app_pool_desc_offer(a, out);
    json_object_put(out);
    app_status_clear(a);
    view_form_open(a, f, VIEW_FORM_QUERY, choose_submit, pool_id, free);
}

void principal_tags_open(struct app *a, const char *pool_id)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    char *ctx = app_strdup(pool_id);
    struct api_error err;
    if (!app_call(a, "DescribeIdentityPool", in, described, ctx, APP_CALL_FOREGROUND,
                  "Reading the pool's providers", &err)) {
        view_error(a, "Principal tags", &err);
        free(ctx);
    }
}
