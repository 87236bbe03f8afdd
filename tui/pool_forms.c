/* tui/pool_forms.c — a pool's detail view, create, update (with diff) and
 * delete (counted, typed name) (tui/pool_forms.h). */
#include "tui/pool_forms.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/pagination.h"
#include "tui/form_send.h"
#include "tui/json_get.h"
#include "tui/model_field.h"
#include "tui/principal_tags.h"
#include "tui/roles_detail.h"
#include "tui/view_detail.h"
#include "tui/view_dialog.h"
#include "tui/view_diff.h"
#include "tui/view_form.h"
#include "widgets/text.h"

/* The members of an IdentityPool with empty lists, maps and nulls dropped,
 * so a diff shows only real changes. New object. */
static json_object *pool_normalized(json_object *pool)
{
    json_object *out = json_object_new_object();
    if (pool && json_object_is_type(pool, json_type_object)) {
        json_object_object_foreach(pool, k, v)
        {
            if (!jempty(v))
                json_object_object_add(out, k, json_object_get(v));
        }
    }
    return out;
}

/* ---- detail: settings, then roles and principal tags as they come ---- */

#define MAX_PROVIDERS 12

struct pool_detail {
    json_object *desc;  /* DescribeIdentityPool */
    json_object *roles; /* GetIdentityPoolRoles, once answered */
    char roles_error[400];
    const char *providers[MAX_PROVIDERS]; /* into desc */
    size_t n_providers;
    json_object *ptags[MAX_PROVIDERS]; /* each provider's map, once answered */
    char ptags_error[MAX_PROVIDERS][400];
};

static void pool_detail_free(void *p)
{
    struct pool_detail *pd = p;
    if (!pd)
        return;
    json_object_put(pd->desc);
    json_object_put(pd->roles);
    for (size_t i = 0; i < pd->n_providers; i++)
        json_object_put(pd->ptags[i]);
    free(pd);
}

static void add_list(struct detail *d, const char *title, json_object *arr)
{
    if (!arr || !json_object_array_length(arr))
        return;
    detail_add_section(d, title);
    for (size_t i = 0; i < json_object_array_length(arr); i++)
        detail_add_line(d, 1, jitem_str(arr, i), ROLE_NORMAL);
}

static void add_map(struct detail *d, const char *title, json_object *map)
{
    if (!map || !json_object_object_length(map))
        return;
    detail_add_section(d, title);
    json_object_object_foreach(map, k, v) detail_add_kv(d, 1, k, json_object_get_string(v));
}

static void fill_detail(struct detail *d, const struct pool_detail *pd)
{
    json_object *p = pd->desc;
    detail_clear(d);
    detail_add_section(d, "Pool");
    detail_add_kv(d, 1, "Name", jstr(p, "IdentityPoolName"));
    detail_add_kv(d, 1, "Id", jstr(p, "IdentityPoolId"));
    detail_add_kv(d, 1, "Unauthenticated identities",
                  jbool(p, "AllowUnauthenticatedIdentities") ? "allowed" : "not allowed");
    detail_add_kv(d, 1, "Basic (classic) flow", jbool(p, "AllowClassicFlow") ? "on" : "off");
    detail_add_kv(d, 1, "Developer provider", jstr_or(p, "DeveloperProviderName", "-"));
    add_map(d, "Login providers", jobj(p, "SupportedLoginProviders"));
    json_object *cips = jarr(p, "CognitoIdentityProviders");
    if (cips && json_object_array_length(cips)) {
        detail_add_section(d, "Cognito user pools");
        for (size_t i = 0; i < json_object_array_length(cips); i++) {
            json_object *c = json_object_array_get_idx(cips, i);
            detail_add_kv(d, 1, "Provider", jstr(c, "ProviderName"));
            detail_add_kv(d, 2, "Client id", jstr(c, "ClientId"));
            detail_add_kv(d, 2, "Server-side token check",
                          jbool(c, "ServerSideTokenCheck") ? "on" : "off");
        }
    }
    add_list(d, "OpenID Connect providers", jarr(p, "OpenIdConnectProviderARNs"));
    add_list(d, "SAML providers", jarr(p, "SamlProviderARNs"));
    add_map(d, "Tags", jobj(p, "IdentityPoolTags"));
    if (pd->roles) {
        roles_describe(d, pd->roles);
    } else {
        detail_add_section(d, "Roles");
        detail_add_line(d, 1, pd->roles_error[0] ? pd->roles_error : "reading...",
                        pd->roles_error[0] ? ROLE_WARNING : ROLE_DIM);
    }
    if (pd->n_providers) {
        detail_add_section(d, "Principal tags (tag = claim)");
        for (size_t i = 0; i < pd->n_providers; i++) {
            json_object *m = pd->ptags[i];
            detail_add_line(d, 1, pd->providers[i], ROLE_TITLE);
            if (!m) {
                detail_add_line(d, 2, pd->ptags_error[i][0] ? pd->ptags_error[i] : "reading...",
                                pd->ptags_error[i][0] ? ROLE_WARNING : ROLE_DIM);
                continue;
            }
            json_object *tags = jobj(m, "PrincipalTags");
            detail_add_kv(d, 2, "Use defaults", jbool(m, "UseDefaults") ? "yes" : "no");
            if (tags) {
                json_object_object_foreach(tags, k, v)
                    detail_add_kv(d, 2, k, json_object_get_string(v));
            }
        }
    }
    detail_add_section(d, "As JSON");
    detail_add_json(d, 1, p);
}

/* An answer for the detail view `serial`: which part it is. */
struct detail_part {
    unsigned serial, gen;
    int provider; /* -1: the roles */
};

static void part_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct detail_part *part = ctx;
    struct view *v = part->gen == a->profile_gen ? view_find(a, part->serial) : NULL;
    struct detail *d = view_detail_of(v);
    if (d) {
        struct pool_detail *pd = v->ctx;
        char why[400] = "";
        if (!out)
            app_describe_error(err, why, sizeof why);
        if (part->provider < 0) {
            pd->roles = json_object_get(out);
            snprintf(pd->roles_error, sizeof pd->roles_error, "%s", why);
        } else if ((size_t)part->provider < pd->n_providers) {
            pd->ptags[part->provider] = json_object_get(out);
            snprintf(pd->ptags_error[part->provider], sizeof pd->ptags_error[0], "%s", why);
        }
        fill_detail(d, pd);
        a->dirty = true;
    }
    json_object_put(out);
    free(part);
}

static void ask_part(struct app *a, unsigned serial, const char *op, json_object *in, int provider)
{
    struct detail_part *part = calloc(1, sizeof *part);
    struct api_error err;
    if (!part) {
        json_object_put(in);
        return;
    }
    part->serial = serial;
    part->gen = a->profile_gen;
    part->provider = provider;
    /* In the background: the view is up; what does not come says why. */
    if (!app_call(a, op, in, part_done, part, 0, NULL, &err))
        part_done(a, part, NULL, &err);
}

static void detail_read(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    unsigned gen = (unsigned)(uintptr_t)ctx;
    if (gen != a->profile_gen || !out) {
        if (!out && err->kind != API_ERR_CANCELLED)
            view_error(a, "Pool details", err);
        json_object_put(out);
        return;
    }
    app_pool_desc_offer(a, out);
    struct pool_detail *pd = calloc(1, sizeof *pd);
    char title[300];
    snprintf(title, sizeof title, "Pool %s", jstr_or(out, "IdentityPoolName", ""));
    struct detail *d = pd ? detail_new(title) : NULL;
    if (!d) {
        free(pd);
        json_object_put(out);
        return;
    }
    pd->desc = out;
    pd->n_providers = pool_providers(out, pd->providers, MAX_PROVIDERS);
    fill_detail(d, pd);
    struct view *v = view_detail_open(a, d, NULL, pd, pool_detail_free);
    if (!v)
        return;
    const char *id = jstr(out, "IdentityPoolId");
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(id ? id : ""));
    ask_part(a, view_serial(v), "GetIdentityPoolRoles", in, -1);
    for (size_t i = 0; i < pd->n_providers; i++) {
        in = json_object_new_object();
        json_object_object_add(in, "IdentityPoolId", json_object_new_string(id ? id : ""));
        json_object_object_add(in, "IdentityProviderName",
                               json_object_new_string(pd->providers[i]));
        ask_part(a, view_serial(v), "GetPrincipalTagAttributeMap", in, (int)i);
    }
}

void pool_detail_show(struct app *a, const char *pool_id)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    struct api_error err;
    if (!app_call(a, "DescribeIdentityPool", in, detail_read, (void *)(uintptr_t)a->profile_gen,
                  APP_CALL_FOREGROUND, "Reading the pool", &err))
        view_error(a, "Pool details", &err);
}

/* ---- create and update ---- */

static const struct model_member m_name = {"CreateIdentityPool", "IdentityPoolName"};
static const struct model_member m_dev = {"CreateIdentityPool", "DeveloperProviderName"};
static const struct model_member m_login = {"CreateIdentityPool", "SupportedLoginProviders{key}"};
static const struct model_member m_cip_name = {"CreateIdentityPool",
                                               "CognitoIdentityProviders[].ProviderName"};
static const struct model_member m_cip_client = {"CreateIdentityPool",
                                                 "CognitoIdentityProviders[].ClientId"};
static const struct model_member m_oidc = {"CreateIdentityPool", "OpenIdConnectProviderARNs[]"};
static const struct model_member m_saml = {"CreateIdentityPool", "SamlProviderARNs[]"};
static const struct model_member m_tag = {"CreateIdentityPool", "IdentityPoolTags{key}"};

static struct form *make_user_pool_record(void *ctx)
{
    (void)ctx;
    struct form *r = form_new("Cognito user pool");
    if (!r)
        return NULL;
    model_add_text(r, "ProviderName", "Provider name", "", FORM_REQUIRED, &m_cip_name);
    form_set_hint(r, "ProviderName", "cognito-idp.REGION.amazonaws.com/REGION_POOLID");
    model_add_text(r, "ClientId", "App client id", "", FORM_REQUIRED, &m_cip_client);
    form_add_bool(r, "ServerSideTokenCheck", "Server-side token check", false);
    return r;
}

static struct form *pool_form_new(const char *title, json_object *cur, bool update)
{
    struct form *f = form_new(title);
    if (!f)
        return NULL;
    model_add_text(f, "IdentityPoolName", "Pool name", jstr(cur, "IdentityPoolName"), FORM_REQUIRED,
                   &m_name);
    form_set_hint(f, "IdentityPoolName", "1-128: letters, digits, spaces, _ + = , . @ -");
    form_add_bool(f, "AllowUnauthenticatedIdentities", "Allow unauthenticated identities",
                  jbool(cur, "AllowUnauthenticatedIdentities"));
    form_add_bool(f, "AllowClassicFlow", "Allow the basic (classic) flow",
                  jbool(cur, "AllowClassicFlow"));
    const char *dev = jstr(cur, "DeveloperProviderName");
    bool fixed = update && dev && *dev;
    model_add_text(f, "DeveloperProviderName", "Developer provider name", dev,
                   fixed ? FORM_READONLY : 0, &m_dev);
    form_set_hint(f, "DeveloperProviderName",
                  fixed ? "cannot be changed once set" : "cannot be changed once set; optional");
    form_add_map(f, "SupportedLoginProviders", "Login providers (provider = app id)", 0, 10,
                 model_check, (void *)&m_login);
    json_object *m = jobj(cur, "SupportedLoginProviders");
    if (m) {
        json_object_object_foreach(m, k, v)
            form_map_append(f, "SupportedLoginProviders", k, json_object_get_string(v));
    }
    form_add_records(f, "CognitoIdentityProviders", "Cognito user pools", 0, 0,
                     make_user_pool_record, NULL, NULL);
    json_object *cips = jarr(cur, "CognitoIdentityProviders");
    for (size_t i = 0; cips && i < json_object_array_length(cips); i++) {
        json_object *c = json_object_array_get_idx(cips, i);
        struct form *r = form_records_append(f, "CognitoIdentityProviders");
        if (!r)
            break;
        form_set_text(r, "ProviderName", jstr(c, "ProviderName"));
        form_set_text(r, "ClientId", jstr(c, "ClientId"));
        form_set_bool(r, "ServerSideTokenCheck", jbool(c, "ServerSideTokenCheck"));
    }
    static const struct {
        const char *key, *label;
        const struct model_member *m;
    } lists[] = {{"OpenIdConnectProviderARNs", "OpenID Connect provider ARNs", &m_oidc},
                 {"SamlProviderARNs", "SAML provider ARNs", &m_saml}};
    for (size_t l = 0; l < 2; l++) {
        form_add_list(f, lists[l].key, lists[l].label, 0, 0, model_check, (void *)lists[l].m);
        json_object *arr = jarr(cur, lists[l].key);
        for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
            form_list_append(f, lists[l].key, jitem_str(arr, i));
    }
    form_add_map(f, "IdentityPoolTags", "Tags (key = value)", 0, 50, model_check, (void *)&m_tag);
    json_object *tags = jobj(cur, "IdentityPoolTags");
    if (tags) {
        json_object_object_foreach(tags, k, v)
            form_map_append(f, "IdentityPoolTags", k, json_object_get_string(v));
    }
    return f;
}

/* The request body the form describes (UpdateIdentityPool sends it whole:
 * what is left out is reset by the service). */
static json_object *pool_input(struct form *f, const char *pool_id)
{
    json_object *in = json_object_new_object();
    if (pool_id)
        json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    json_object_object_add(in, "IdentityPoolName",
                           json_object_new_string(form_text(f, "IdentityPoolName")));
    json_object_object_add(in, "AllowUnauthenticatedIdentities",
                           json_object_new_boolean(form_bool(f, "AllowUnauthenticatedIdentities")));
    json_object_object_add(in, "AllowClassicFlow",
                           json_object_new_boolean(form_bool(f, "AllowClassicFlow")));
    const char *dev = form_text(f, "DeveloperProviderName");
    if (dev && *dev)
        json_object_object_add(in, "DeveloperProviderName", json_object_new_string(dev));
    static const char *const maps[] = {"SupportedLoginProviders", "IdentityPoolTags"};
    for (size_t m = 0; m < 2; m++) {
        size_t n = form_count(f, maps[m]);
        if (!n)
            continue;
        json_object *o = json_object_new_object();
        for (size_t i = 0; i < n; i++)
            json_object_object_add(o, form_map_key(f, maps[m], i),
                                   json_object_new_string(form_map_value(f, maps[m], i)));
        json_object_object_add(in, maps[m], o);
    }
    static const char *const lists[] = {"OpenIdConnectProviderARNs", "SamlProviderARNs"};
    for (size_t l = 0; l < 2; l++) {
        size_t n = form_count(f, lists[l]);
        if (!n)
            continue;
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < n; i++)
            json_object_array_add(arr, json_object_new_string(form_list_item(f, lists[l], i)));
        json_object_object_add(in, lists[l], arr);
    }
    size_t n = form_count(f, "CognitoIdentityProviders");
    if (n) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < n; i++) {
            struct form *r = form_record(f, "CognitoIdentityProviders", i);
            json_object *c = json_object_new_object();
            json_object_object_add(c, "ProviderName",
                                   json_object_new_string(form_text(r, "ProviderName")));
            json_object_object_add(c, "ClientId", json_object_new_string(form_text(r, "ClientId")));
            json_object_object_add(c, "ServerSideTokenCheck",
                                   json_object_new_boolean(form_bool(r, "ServerSideTokenCheck")));
            json_object_array_add(arr, c);
        }
        json_object_object_add(in, "CognitoIdentityProviders", arr);
    }
    return in;
}

/* The pool as the service answered: the followed pool's description when
 * it is that one. */
static void pool_sent(struct app *a, json_object *out, void *ctx)
{
    (void)ctx;
    app_pool_desc_offer(a, out);
}

static unsigned create_submit(struct app *a, struct view *v, void *ctx)
{
    (void)ctx;
    struct form_send_opts o = {.op = "CreateIdentityPool",
                               .label = "Create pool",
                               .after = pool_sent,
                               .list_pools_first = true,
                               .open_pool = pool_detail_show};
    form_send(a, v, pool_input(view_form_of(v), NULL), &o);
    return RES_REDRAW; /* stays open until the answer */
}

void pool_create_form(struct app *a)
{
    struct form *f = pool_form_new("Create identity pool", NULL, false);
    view_form_open(a, f, 0, create_submit, NULL, NULL);
}

/* What the update form needs besides its fields: the pool as it was read. */
struct pool_edit {
    char *pool_id;
    json_object *before;
};

static void pool_edit_free(void *p)
{
    struct pool_edit *e = p;
    free(e->pool_id);
    json_object_put(e->before);
    free(e);
}

struct pool_send {
    unsigned form;
    json_object *input;
};

static void pool_send_free(void *p)
{
    struct pool_send *s = p;
    json_object_put(s->input);
    free(s);
}

/* The pool changed since the form read it: the fresh read is the form's
 * new original, so the next diff shows the changes against it. */
static void pool_rebase(struct view *form, json_object *theirs)
{
    struct pool_edit *e = form->ctx;
    json_object_put(e->before);
    e->before = json_object_get(theirs);
}

static unsigned diff_send(struct app *a, struct view *v, void *ctx)
{
    (void)v;
    struct pool_send *s = ctx;
    struct view *form = view_find(a, s->form);
    struct pool_edit *e = form ? form->ctx : NULL;
    struct form_send_opts o = {.op = "UpdateIdentityPool",
                               .label = "Update pool",
                               .after = pool_sent,
                               .original = e ? e->before : NULL,
                               .rebase = pool_rebase};
    form_send(a, form, json_object_get(s->input), &o);
    return RES_CLOSE; /* back to the form, which stays until the answer */
}

static unsigned update_submit(struct app *a, struct view *v, void *ctx)
{
    struct pool_edit *e = ctx;
    struct form *f = view_form_of(v);
    form_set_error(f, NULL, NULL);
    json_object *in = pool_input(f, e->pool_id);
    json_object *before = pool_normalized(e->before);
    json_object *after = pool_normalized(in);
    struct diff *d = diff_new("Changes to send (Enter sends, q returns to the form)");
    struct pool_send *s = calloc(1, sizeof *s);
    int rc = d && s ? diff_set_json(d, before, after) : -1;
    json_object_put(before);
    json_object_put(after);
    if (rc != 0 || diff_changes(d) == 0) {
        diff_delete(d);
        free(s);
        json_object_put(in);
        form_set_error(f, NULL, rc != 0 ? "Out of memory." : "Nothing changed: nothing to send.");
        return RES_REDRAW;
    }
    s->form = view_serial(v);
    s->input = in;
    view_diff_open(a, d, diff_send, s, pool_send_free);
    return RES_REDRAW;
}

static void update_read(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    unsigned gen = (unsigned)(uintptr_t)ctx;
    if (gen != a->profile_gen || !out) {
        if (!out && err->kind != API_ERR_CANCELLED)
            view_error(a, "Edit pool", err);
        json_object_put(out);
        return;
    }
    char title[300];
    snprintf(title, sizeof title, "Edit pool %s", jstr_or(out, "IdentityPoolName", ""));
    struct form *f = pool_form_new(title, out, true);
    struct pool_edit *e = calloc(1, sizeof *e);
    if (!f || !e) {
        form_delete(f);
        free(e);
        json_object_put(out);
        return;
    }
    app_pool_desc_offer(a, out);
    e->pool_id = app_strdup(jstr(out, "IdentityPoolId"));
    e->before = out;
    app_status_clear(a);
    view_form_open(a, f, 0, update_submit, e, pool_edit_free);
}

void pool_update_form(struct app *a, const char *pool_id)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    struct api_error err;
    if (!app_call(a, "DescribeIdentityPool", in, update_read, (void *)(uintptr_t)a->profile_gen,
                  APP_CALL_FOREGROUND, "Reading the pool to edit", &err))
        view_error(a, "Edit pool", &err);
}

/* ---- delete: count, then type the name ---- */

struct pool_delete {
    char *id, *name;
    unsigned gen;
    enum pane_id origin;
    unsigned long long counted;
    unsigned pages;
    struct api_page_walk walk;
};

static void pool_delete_free(void *p)
{
    struct pool_delete *pd = p;
    if (!pd)
        return;
    free(pd->id);
    free(pd->name);
    api_page_walk_free(&pd->walk);
    free(pd);
}

static void deleted(struct app *a, json_object *out, void *ctx)
{
    (void)out;
    struct pool_delete *pd = ctx;
    app_status(a, STATUS_OK, "Deleted pool %s (%s).", pd->name, pd->id);
    app_forget_pool(a, pd->id);
}

static unsigned delete_ok(struct app *a, struct view *v, void *ctx)
{
    struct pool_delete *pd = ctx;
    /* The request takes its own copy: the dialog frees its context. */
    struct pool_delete *go = calloc(1, sizeof *go);
    if (!go)
        return RES_CLOSE;
    go->id = app_strdup(pd->id);
    go->name = app_strdup(pd->name);
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pd->id));
    struct form_send_opts o = {.op = "DeleteIdentityPool",
                               .label = "Delete pool",
                               .after = deleted,
                               .ctx = go,
                               .free_ctx = pool_delete_free};
    form_send(a, v, in, &o);
    return RES_CLOSE;
}

static void delete_ask(struct app *a, struct pool_delete *pd, const char *count)
{
    char text[1400];
    snprintf(text, sizeof text,
             "Delete the identity pool \"%s\" (%s)? %s Applications using it stop getting "
             "credentials.",
             pd->name, pd->id, count);
    app_status_clear(a);
    struct dialog *d = dialog_typed_confirm("Delete identity pool", text, "Delete",
                                            "Type the pool's name to delete it:", pd->name);
    view_dialog_open(a, d, delete_ok, NULL, pd, pool_delete_free);
}

static void count_page(struct app *a, struct pool_delete *pd);

/* The confirmation says how many identities go with the pool: every page
 * is counted (the status line shows how far); Esc stops the count and the
 * dialog then says "more than N". */
static void counted(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct pool_delete *pd = ctx;
    char count[700], num[32];
    if (pd->gen != a->profile_gen) {
        json_object_put(out);
        pool_delete_free(pd);
        return;
    }
    if (!out) {
        if (err->kind == API_ERR_CANCELLED && pd->pages)
            snprintf(count, sizeof count,
                     "It holds more than %s identities (the count was stopped); every one is "
                     "deleted with it.",
                     text_thousands(num, sizeof num, pd->counted));
        else if (err->kind == API_ERR_CANCELLED) {
            pool_delete_free(pd); /* Esc before anything was counted: ask nothing */
            return;
        } else {
            char why[400];
            app_describe_error(err, why, sizeof why);
            snprintf(count, sizeof count,
                     "How many identities it holds could not be read (%s); every one is deleted "
                     "with it.",
                     why);
        }
        delete_ask(a, pd, count);
        return;
    }
    pd->pages++;
    pd->counted += jlen(out, "Identities");
    enum api_page_step step = api_page_advance(&pd->walk, out);
    json_object_put(out);
    struct api_error stop;
    api_error_clear(&stop);
    if (api_page_error(step, &pd->walk, "ListIdentities", &stop) < 0) {
        char why[400];
        app_describe_error(&stop, why, sizeof why);
        snprintf(count, sizeof count,
                 "It holds more than %s identities (the count stopped: %s); every one is deleted "
                 "with it.",
                 text_thousands(num, sizeof num, pd->counted), why);
        delete_ask(a, pd, count);
        return;
    }
    if (step == API_PAGE_NEXT) {
        count_page(a, pd);
        return;
    }
    if (pd->counted == 0)
        snprintf(count, sizeof count, "It holds no identities.");
    else
        snprintf(count, sizeof count, "Its %s identit%s deleted with it.",
                 text_thousands(num, sizeof num, pd->counted),
                 pd->counted == 1 ? "y is" : "ies are");
    delete_ask(a, pd, count);
}

static void count_page(struct app *a, struct pool_delete *pd)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pd->id));
    json_object_object_add(in, "MaxResults", json_object_new_int(60));
    if (pd->walk.token)
        json_object_object_add(in, "NextToken", json_object_new_string(pd->walk.token));
    char label[120], num[32];
    snprintf(label, sizeof label, "Counting the pool's identities: %s so far (Esc stops)",
             text_thousands(num, sizeof num, pd->counted));
    struct api_error err;
    if (!app_call(a, "ListIdentities", in, counted, pd, APP_CALL_FOREGROUND, label, &err)) {
        char why[400], count[600];
        app_describe_error(&err, why, sizeof why);
        snprintf(count, sizeof count, "How many identities it holds could not be read (%s).", why);
        delete_ask(a, pd, count);
    }
}

void pool_delete_confirm(struct app *a, const char *pool_id, const char *pool_name)
{
    struct pool_delete *pd = calloc(1, sizeof *pd);
    if (!pd)
        return;
    pd->id = app_strdup(pool_id);
    pd->name = app_strdup(pool_name ? pool_name : "");
    pd->gen = a->profile_gen;
    count_page(a, pd);
}
