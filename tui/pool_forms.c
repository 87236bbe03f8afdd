/* tui/pool_forms.c — pool detail, create, update (with diff), delete (typed
 * name), principal tag maps, test an identity (tui/pool_forms.h). */
#include "tui/pool_forms.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/views.h"
#include "widgets/text.h"

/* ---- small helpers ---- */

static const char *jstr(json_object *o, const char *name)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static bool jbool(json_object *o, const char *name)
{
    json_object *v;
    return o && json_object_object_get_ex(o, name, &v) && json_object_get_boolean(v);
}

static json_object *jget(json_object *o, const char *name)
{
    json_object *v;
    return o && json_object_object_get_ex(o, name, &v) ? v : NULL;
}

static bool is_empty(json_object *v)
{
    if (!v)
        return true;
    if (json_object_is_type(v, json_type_array))
        return json_object_array_length(v) == 0;
    if (json_object_is_type(v, json_type_object))
        return json_object_object_length(v) == 0;
    if (json_object_is_type(v, json_type_string))
        return json_object_get_string_len(v) == 0;
    return false;
}

json_object *pool_normalized(json_object *pool)
{
    json_object *out = json_object_new_object();
    if (!pool)
        return out;
    json_object_object_foreach(pool, k, v)
    {
        if (is_empty(v))
            continue;
        json_object_object_add(out, k, json_object_get(v));
    }
    return out;
}

/* Async callbacks outlive views: they carry the serial, never the view. */
struct pending {
    unsigned serial;
    unsigned gen;
    char *id;
    char *name;
    json_object *extra;
};

static struct pending *pending_new(struct app *a, unsigned serial, const char *id, const char *name)
{
    struct pending *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->serial = serial;
    p->gen = a->profile_gen;
    p->id = app_strdup(id);
    p->name = app_strdup(name);
    return p;
}

static void pending_free(struct pending *p)
{
    if (!p)
        return;
    free(p->id);
    free(p->name);
    json_object_put(p->extra);
    free(p);
}

/* ---- detail ---- */

static void add_list(struct detail *d, const char *title, json_object *arr)
{
    if (!arr || !json_object_is_type(arr, json_type_array) || !json_object_array_length(arr))
        return;
    detail_add_section(d, title);
    for (size_t i = 0; i < json_object_array_length(arr); i++)
        detail_add_line(d, 1, json_object_get_string(json_object_array_get_idx(arr, i)),
                        ROLE_NORMAL);
}

static void add_map(struct detail *d, const char *title, json_object *map)
{
    if (!map || !json_object_is_type(map, json_type_object) || !json_object_object_length(map))
        return;
    detail_add_section(d, title);
    json_object_object_foreach(map, k, v) detail_add_kv(d, 1, k, json_object_get_string(v));
}

static void fill_pool_detail(struct detail *d, json_object *p)
{
    detail_add_section(d, "Pool");
    detail_add_kv(d, 1, "Name", jstr(p, "IdentityPoolName"));
    detail_add_kv(d, 1, "Id", jstr(p, "IdentityPoolId"));
    detail_add_kv(d, 1, "Unauthenticated identities",
                  jbool(p, "AllowUnauthenticatedIdentities") ? "allowed" : "not allowed");
    detail_add_kv(d, 1, "Basic (classic) flow", jbool(p, "AllowClassicFlow") ? "on" : "off");
    const char *dev = jstr(p, "DeveloperProviderName");
    detail_add_kv(d, 1, "Developer provider", dev ? dev : "-");
    add_map(d, "Login providers", jget(p, "SupportedLoginProviders"));
    json_object *cips = jget(p, "CognitoIdentityProviders");
    if (cips && json_object_is_type(cips, json_type_array) && json_object_array_length(cips)) {
        detail_add_section(d, "Cognito user pools");
        for (size_t i = 0; i < json_object_array_length(cips); i++) {
            json_object *c = json_object_array_get_idx(cips, i);
            detail_add_kv(d, 1, "Provider", jstr(c, "ProviderName"));
            detail_add_kv(d, 2, "Client id", jstr(c, "ClientId"));
            detail_add_kv(d, 2, "Server-side token check",
                          jbool(c, "ServerSideTokenCheck") ? "on" : "off");
        }
    }
    add_list(d, "OpenID Connect providers", jget(p, "OpenIdConnectProviderARNs"));
    add_list(d, "SAML providers", jget(p, "SamlProviderARNs"));
    add_map(d, "Tags", jget(p, "IdentityPoolTags"));
    detail_add_section(d, "As JSON");
    detail_add_json(d, 1, p);
}

static void detail_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct pending *p = ctx;
    if (p->gen != a->profile_gen) {
        json_object_put(out);
        pending_free(p);
        return;
    }
    if (!out) {
        if (err->kind != API_ERR_CANCELLED)
            views_error(a, "Pool details", err);
        pending_free(p);
        return;
    }
    char title[300];
    snprintf(title, sizeof title, "Pool %s",
             jstr(out, "IdentityPoolName") ? jstr(out, "IdentityPoolName") : "");
    struct detail *d = detail_new(title);
    if (d)
        fill_pool_detail(d, out);
    if (a->pool_id && p->id && !strcmp(a->pool_id, p->id)) {
        json_object_put(a->pool_desc);
        a->pool_desc = json_object_get(out);
    }
    views_detail(a, d, NULL, NULL, NULL);
    json_object_put(out);
    pending_free(p);
}

static void describe(struct app *a, const char *pool_id, app_done_fn done, struct pending *p,
                     const char *label)
{
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    struct api_error err;
    if (!app_call(a, "DescribeIdentityPool", in, done, p, APP_CALL_FOREGROUND, label, &err)) {
        views_error(a, label, &err);
        pending_free(p);
    }
}

void pool_show_detail(struct app *a, const char *pool_id)
{
    struct pending *p = pending_new(a, 0, pool_id, NULL);
    if (p)
        describe(a, pool_id, detail_done, p, "Reading the pool");
}

/* ---- create and update ---- */

static const char *validate_pool_name(void *ctx, const char *v)
{
    (void)ctx;
    size_t n = strlen(v);
    if (n < 1 || n > 128)
        return "1 to 128 characters";
    for (const unsigned char *c = (const unsigned char *)v; *c; c++)
        if (!(isalnum(*c) || *c == '_' || isspace(*c) || strchr("+=,.@-", *c)))
            return "letters, digits, spaces and _ + = , . @ - only";
    return NULL;
}

static const char *validate_dev_provider(void *ctx, const char *v)
{
    (void)ctx;
    size_t n = strlen(v);
    if (n == 0)
        return NULL;
    if (n > 128)
        return "at most 128 characters";
    for (const unsigned char *c = (const unsigned char *)v; *c; c++)
        if (!(isalnum(*c) || *c == '_' || *c == '.' || *c == '-'))
            return "letters, digits, '.', '_' and '-' only";
    return NULL;
}

static const char *validate_arn(void *ctx, const char *v)
{
    (void)ctx;
    size_t n = strlen(v);
    if (n < 20 || n > 2048)
        return "an ARN: 20 to 2048 characters (arn:aws:iam::ACCOUNT:...)";
    if (strncmp(v, "arn:", 4) != 0)
        return "an ARN starts with arn:";
    return NULL;
}

static struct form *make_user_pool_record(void *ctx)
{
    (void)ctx;
    struct form *r = form_new("Cognito user pool");
    if (!r)
        return NULL;
    form_add_text(r, "ProviderName", "Provider name", "", FORM_REQUIRED, NULL, NULL);
    form_set_hint(r, "ProviderName", "cognito-idp.REGION.amazonaws.com/REGION_POOLID");
    form_add_text(r, "ClientId", "App client id", "", FORM_REQUIRED, NULL, NULL);
    form_add_bool(r, "ServerSideTokenCheck", "Server-side token check", false);
    return r;
}

static struct form *pool_form_new(const char *title, json_object *cur, bool update)
{
    struct form *f = form_new(title);
    if (!f)
        return NULL;
    form_add_text(f, "IdentityPoolName", "Pool name", jstr(cur, "IdentityPoolName"), FORM_REQUIRED,
                  validate_pool_name, NULL);
    form_set_hint(f, "IdentityPoolName", "1-128: letters, digits, spaces, _ + = , . @ -");
    form_add_bool(f, "AllowUnauthenticatedIdentities", "Allow unauthenticated identities",
                  jbool(cur, "AllowUnauthenticatedIdentities"));
    form_add_bool(f, "AllowClassicFlow", "Allow the basic (classic) flow",
                  jbool(cur, "AllowClassicFlow"));
    const char *dev = jstr(cur, "DeveloperProviderName");
    form_add_text(f, "DeveloperProviderName", "Developer provider name", dev,
                  update && dev && *dev ? FORM_READONLY : 0, validate_dev_provider, NULL);
    form_set_hint(f, "DeveloperProviderName",
                  update && dev && *dev ? "cannot be changed once set"
                                        : "cannot be changed once set; optional");
    form_add_map(f, "SupportedLoginProviders", "Login providers (provider = app id)", 0, 10, NULL,
                 NULL);
    json_object *m = jget(cur, "SupportedLoginProviders");
    if (m && json_object_is_type(m, json_type_object)) {
        json_object_object_foreach(m, k, v)
            form_map_append(f, "SupportedLoginProviders", k, json_object_get_string(v));
    }
    form_add_records(f, "CognitoIdentityProviders", "Cognito user pools", 0, 0,
                     make_user_pool_record, NULL, NULL);
    json_object *cips = jget(cur, "CognitoIdentityProviders");
    for (size_t i = 0;
         cips && json_object_is_type(cips, json_type_array) && i < json_object_array_length(cips);
         i++) {
        json_object *c = json_object_array_get_idx(cips, i);
        struct form *r = form_records_append(f, "CognitoIdentityProviders");
        if (!r)
            break;
        form_set_text(r, "ProviderName", jstr(c, "ProviderName"));
        form_set_text(r, "ClientId", jstr(c, "ClientId"));
        form_set_bool(r, "ServerSideTokenCheck", jbool(c, "ServerSideTokenCheck"));
    }
    static const char *const lists[][2] = {
        {"OpenIdConnectProviderARNs", "OpenID Connect provider ARNs"},
        {"SamlProviderARNs", "SAML provider ARNs"}};
    for (size_t l = 0; l < 2; l++) {
        form_add_list(f, lists[l][0], lists[l][1], 0, 0, validate_arn, NULL);
        json_object *arr = jget(cur, lists[l][0]);
        for (size_t i = 0;
             arr && json_object_is_type(arr, json_type_array) && i < json_object_array_length(arr);
             i++)
            form_list_append(f, lists[l][0],
                             json_object_get_string(json_object_array_get_idx(arr, i)));
    }
    form_add_map(f, "IdentityPoolTags", "Tags (key = value)", 0, 50, NULL, NULL);
    json_object *tags = jget(cur, "IdentityPoolTags");
    if (tags && json_object_is_type(tags, json_type_object)) {
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

/* What the update form needs besides its fields: the pool as it was read. */
struct pool_form_ctx {
    char *pool_id;
    json_object *before;
};

static void pool_form_ctx_free(void *p)
{
    struct pool_form_ctx *c = p;
    free(c->pool_id);
    json_object_put(c->before);
    free(c);
}

static void submitted(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct pending *p = ctx;
    struct view *v = p->gen == a->profile_gen ? views_find(a, p->serial) : NULL;
    if (!out) {
        struct form *f = v ? views_form_of(v) : NULL;
        if (f)
            views_form_error(f, err);
        else
            views_error(a, p->name, err);
        app_status_error(a, p->name, err);
        pending_free(p);
        return;
    }
    if (v)
        views_close(a, v);
    const char *id = jstr(out, "IdentityPoolId");
    app_status(a, STATUS_OK, "%s: done (%s).", p->name, id ? id : p->id ? p->id : "");
    if (a->pool_id && id && !strcmp(a->pool_id, id)) {
        json_object_put(a->pool_desc);
        a->pool_desc = json_object_get(out);
    }
    json_object_put(out);
    pending_free(p);
    pools_reload(a);
}

static void send_pool(struct app *a, unsigned serial, const char *op, json_object *input,
                      const char *label)
{
    struct pending *p = pending_new(a, serial, jstr(input, "IdentityPoolId"), label);
    struct api_error err;
    if (!p) {
        json_object_put(input);
        return;
    }
    if (!app_call(a, op, input, submitted, p, APP_CALL_FOREGROUND, label, &err)) {
        struct view *v = views_find(a, serial);
        struct form *f = v ? views_form_of(v) : NULL;
        if (f)
            views_form_error(f, &err);
        app_status_error(a, label, &err);
        pending_free(p);
    }
}

static bool create_submit(struct app *a, struct view *v, void *ctx)
{
    (void)ctx;
    struct form *f = views_form_of(v);
    form_set_error(f, NULL, NULL);
    send_pool(a, views_serial(v), "CreateIdentityPool", pool_input(f, NULL), "Create pool");
    return false; /* stays open until the answer */
}

void pool_form_create(struct app *a)
{
    struct form *f = pool_form_new("Create identity pool", NULL, false);
    views_form(a, f, create_submit, NULL, NULL);
}

struct diff_ctx {
    unsigned form_serial;
    json_object *input;
};

static void diff_ctx_free(void *p)
{
    struct diff_ctx *d = p;
    json_object_put(d->input);
    free(d);
}

static bool diff_send(struct app *a, struct view *v, void *ctx)
{
    (void)v;
    struct diff_ctx *d = ctx;
    send_pool(a, d->form_serial, "UpdateIdentityPool", json_object_get(d->input), "Update pool");
    return true; /* back to the form, which stays until the answer */
}

static bool update_submit(struct app *a, struct view *v, void *ctx)
{
    struct pool_form_ctx *c = ctx;
    struct form *f = views_form_of(v);
    form_set_error(f, NULL, NULL);
    json_object *in = pool_input(f, c->pool_id);
    json_object *before = pool_normalized(c->before);
    json_object *after = pool_normalized(in);
    struct diff *d = diff_new("Changes to send (Enter sends, q returns to the form)");
    if (!d || diff_set_json(d, before, after) != 0) {
        diff_delete(d);
        json_object_put(in);
        json_object_put(before);
        json_object_put(after);
        form_set_error(f, NULL, "Out of memory.");
        return false;
    }
    size_t changes = diff_changes(d);
    json_object_put(before);
    json_object_put(after);
    if (changes == 0) {
        diff_delete(d);
        json_object_put(in);
        form_set_error(f, NULL, "Nothing changed: nothing to send.");
        return false;
    }
    struct diff_ctx *dc = calloc(1, sizeof *dc);
    if (!dc) {
        diff_delete(d);
        json_object_put(in);
        return false;
    }
    dc->form_serial = views_serial(v);
    dc->input = in;
    views_diff(a, d, diff_send, dc, diff_ctx_free);
    return false;
}

static void update_read(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct pending *p = ctx;
    if (p->gen != a->profile_gen || !out) {
        if (!out && err->kind != API_ERR_CANCELLED)
            views_error(a, "Edit pool", err);
        json_object_put(out);
        pending_free(p);
        return;
    }
    char title[300];
    snprintf(title, sizeof title, "Edit pool %s",
             jstr(out, "IdentityPoolName") ? jstr(out, "IdentityPoolName") : "");
    struct form *f = pool_form_new(title, out, true);
    struct pool_form_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        form_delete(f);
        json_object_put(out);
        pending_free(p);
        return;
    }
    c->pool_id = app_strdup(p->id);
    c->before = out;
    views_form(a, f, update_submit, c, pool_form_ctx_free);
    pending_free(p);
}

void pool_form_update(struct app *a, const char *pool_id)
{
    struct pending *p = pending_new(a, 0, pool_id, NULL);
    if (p)
        describe(a, pool_id, update_read, p, "Reading the pool to edit");
}

/* ---- delete ---- */

static void deleted(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct pending *p = ctx;
    if (!out) {
        if (err->kind != API_ERR_CANCELLED)
            views_error(a, "Delete pool", err);
        else
            app_status(a, STATUS_WARN, "Delete pool: cancelled (it may have been sent).");
        pending_free(p);
        return;
    }
    json_object_put(out);
    app_status(a, STATUS_OK, "Deleted pool %s (%s).", p->name, p->id);
    if (a->pool_id && !strcmp(a->pool_id, p->id))
        app_reset_data(a);
    pending_free(p);
    pools_reload(a);
}

static bool delete_ok(struct app *a, struct view *v, void *ctx)
{
    (void)v;
    struct pending *p = ctx;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(p->id));
    struct pending *q = pending_new(a, 0, p->id, p->name);
    struct api_error err;
    if (q && !app_call(a, "DeleteIdentityPool", in, deleted, q, APP_CALL_FOREGROUND,
                       "Deleting pool", &err)) {
        views_error(a, "Delete pool", &err);
        pending_free(q);
    }
    return true;
}

static void pending_free_v(void *p)
{
    pending_free(p);
}

static void delete_ask(struct app *a, struct pending *p, const char *count)
{
    char text[1200];
    snprintf(text, sizeof text,
             "Delete the identity pool \"%s\" (%s)? %s Applications using it stop getting "
             "credentials.",
             p->name, p->id, count);
    struct dialog *d = dialog_typed_confirm("Delete identity pool", text, "Delete",
                                            "Type the pool's name to delete it:", p->name);
    views_dialog(a, d, delete_ok, NULL, p, pending_free_v);
}

/* The confirmation says how many identities go with the pool. One page of
 * ListIdentities gives the exact number below 60, or "at least 60": a full
 * walk of a big pool would take minutes for a number needed only roughly. */
static void delete_counted(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct pending *p = ctx;
    char count[600];

    if (p->gen != a->profile_gen || (!out && err->kind == API_ERR_CANCELLED)) {
        pending_free(p); /* switched profile, or Esc: ask nothing */
        return;
    }
    if (out) {
        json_object *ids, *tok;
        size_t n = json_object_object_get_ex(out, "Identities", &ids) &&
                           json_object_is_type(ids, json_type_array)
                       ? json_object_array_length(ids)
                       : 0;
        bool more = json_object_object_get_ex(out, "NextToken", &tok) &&
                    json_object_get_string_len(tok) > 0;
        if (more)
            snprintf(count, sizeof count,
                     "It holds at least %zu identities; every one is deleted with it.", n);
        else if (n == 0)
            snprintf(count, sizeof count, "It holds no identities.");
        else
            snprintf(count, sizeof count, "Its %zu identit%s deleted with it.", n,
                     n == 1 ? "y is" : "ies are");
        json_object_put(out);
    } else {
        char why[400];
        app_describe_error(err, why, sizeof why);
        snprintf(count, sizeof count,
                 "How many identities it holds could not be read (%s); every one is deleted "
                 "with it.",
                 why);
    }
    delete_ask(a, p, count);
}

void pool_confirm_delete(struct app *a, const char *pool_id, const char *pool_name)
{
    struct pending *p = pending_new(a, 0, pool_id, pool_name);
    json_object *in = json_object_new_object();
    struct api_error err;

    if (!p || !in) {
        pending_free(p);
        json_object_put(in);
        return;
    }
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    json_object_object_add(in, "MaxResults", json_object_new_int(60));
    if (!app_call(a, "ListIdentities", in, delete_counted, p, APP_CALL_FOREGROUND,
                  "Counting the pool's identities", &err)) {
        char why[400], count[600];
        app_describe_error(&err, why, sizeof why);
        snprintf(count, sizeof count, "How many identities it holds could not be read (%s).", why);
        delete_ask(a, p, count);
    }
}
