/* tui/pool_extra.c — principal tag attribute maps and "test an identity"
 * (GetId -> GetOpenIdToken -> GetCredentialsForIdentity, secrets masked until
 * asked for; the Pools pane does not offer it in read-only mode). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "tui/pool_forms.h"
#include "tui/views.h"

static const char *jstr(json_object *o, const char *name)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* ---- principal tag attribute maps ---- */

struct ptag_ctx {
    char *pool_id;
    char *provider;
};

static void ptag_free(void *p)
{
    struct ptag_ctx *c = p;
    if (!c)
        return;
    free(c->pool_id);
    free(c->provider);
    free(c);
}

static bool ptag_set_submit(struct app *a, struct view *v, void *ctx)
{
    struct ptag_ctx *c = ctx;
    struct form *f = views_form_of(v);
    json_object *in = json_object_new_object(), *tags = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(c->pool_id));
    json_object_object_add(in, "IdentityProviderName", json_object_new_string(c->provider));
    json_object_object_add(in, "UseDefaults", json_object_new_boolean(form_bool(f, "UseDefaults")));
    for (size_t i = 0; i < form_count(f, "PrincipalTags"); i++)
        json_object_object_add(tags, form_map_key(f, "PrincipalTags", i),
                               json_object_new_string(form_map_value(f, "PrincipalTags", i)));
    json_object_object_add(in, "PrincipalTags", tags);
    form_set_error(f, NULL, NULL);
    views_form_send(a, views_serial(v), "SetPrincipalTagAttributeMap", in, "Principal tags", NULL);
    return false;
}

static void ptag_read(struct app *a, json_object *out, const char *label)
{
    (void)label;
    const char *provider = jstr(out, "IdentityProviderName");
    json_object *tags, *ud;
    bool use_defaults =
        json_object_object_get_ex(out, "UseDefaults", &ud) && json_object_get_boolean(ud);
    bool has_tags = json_object_object_get_ex(out, "PrincipalTags", &tags) &&
                    json_object_is_type(tags, json_type_object);
    if (a->read_only) {
        struct detail *d = detail_new("Principal tag attribute map");
        if (!d)
            return;
        detail_add_section(d, provider ? provider : "");
        detail_add_kv(d, 1, "Use defaults", use_defaults ? "yes" : "no");
        detail_add_section(d, "Principal tags (tag = claim)");
        if (has_tags) {
            json_object_object_foreach(tags, k, v)
                detail_add_kv(d, 1, k, json_object_get_string(v));
        }
        views_detail(a, d, NULL, NULL, NULL);
        return;
    }
    char title[300];
    snprintf(title, sizeof title, "Principal tags of %s", provider ? provider : "");
    struct form *f = form_new(title);
    struct ptag_ctx *c = calloc(1, sizeof *c);
    if (!f || !c) {
        form_delete(f);
        free(c);
        return;
    }
    c->pool_id = app_strdup(jstr(out, "IdentityPoolId") ? jstr(out, "IdentityPoolId") : a->pool_id);
    c->provider = app_strdup(provider ? provider : "");
    form_add_bool(f, "UseDefaults", "Use the default mappings (username, client id)", use_defaults);
    form_add_map(f, "PrincipalTags", "Principal tags (tag = token claim)", 0, 50, NULL, NULL);
    if (has_tags) {
        json_object_object_foreach(tags, k, v)
            form_map_append(f, "PrincipalTags", k, json_object_get_string(v));
    }
    views_form(a, f, ptag_set_submit, c, ptag_free);
}

static bool ptag_get_submit(struct app *a, struct view *v, void *ctx)
{
    struct ptag_ctx *c = ctx;
    struct form *f = views_form_of(v);
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(c->pool_id));
    json_object_object_add(in, "IdentityProviderName",
                           json_object_new_string(form_text(f, "IdentityProviderName")));
    form_set_error(f, NULL, NULL);
    views_form_send(a, views_serial(v), "GetPrincipalTagAttributeMap", in, "Read principal tags",
                    ptag_read);
    return false;
}

void pool_principal_tags(struct app *a, const char *pool_id)
{
    struct form *f = form_new("Principal tag attribute map");
    struct ptag_ctx *c = calloc(1, sizeof *c);
    if (!f || !c) {
        form_delete(f);
        free(c);
        return;
    }
    c->pool_id = app_strdup(pool_id);
    form_add_text(f, "IdentityProviderName", "Identity provider", "", FORM_REQUIRED, NULL, NULL);
    form_set_hint(f, "IdentityProviderName",
                  "e.g. cognito-idp.REGION.amazonaws.com/POOL or accounts.google.com");
    views_form(a, f, ptag_get_submit, c, ptag_free);
}

/* ---- test an identity ---- */

struct test_run {
    unsigned gen;
    bool developer; /* developer-authenticated: GetOpenIdTokenForDeveloperIdentity first */
    char *pool_id;
    json_object *logins; /* the tokens the admin typed: secrets */
    char *identity_id;
    char *open_id_token;
    json_object *creds;
    bool reveal;
};

static void wipe_string(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

static void test_free(void *p)
{
    struct test_run *t = p;
    if (!t)
        return;
    free(t->pool_id);
    json_object_put(t->logins);
    free(t->identity_id);
    wipe_string(t->open_id_token);
    json_object_put(t->creds);
    free(t);
}

static const char *masked(const struct test_run *t, const char *s, char *buf, size_t cap)
{
    if (!s)
        return "-";
    if (t->reveal)
        return s;
    /* Enough to recognise it, never enough to use it. */
    snprintf(buf, cap, "%.4s******** (s shows)", s);
    return buf;
}

static void test_fill(struct detail *d, const struct test_run *t)
{
    char buf[64];
    detail_clear(d);
    detail_add_section(d, t->developer ? "GetOpenIdTokenForDeveloperIdentity" : "GetId");
    detail_add_kv(d, 1, "Identity id", t->identity_id ? t->identity_id : "-");
    if (!t->developer)
        detail_add_section(d, "GetOpenIdToken");
    detail_add_kv(d, 1, "OpenID token", masked(t, t->open_id_token, buf, sizeof buf));
    detail_add_section(d, "GetCredentialsForIdentity");
    json_object *c = NULL;
    if (t->creds)
        json_object_object_get_ex(t->creds, "Credentials", &c);
    detail_add_kv(d, 1, "Access key id", jstr(c, "AccessKeyId") ? jstr(c, "AccessKeyId") : "-");
    detail_add_kv(d, 1, "Secret key", masked(t, jstr(c, "SecretKey"), buf, sizeof buf));
    char buf2[64];
    detail_add_kv(d, 1, "Session token", masked(t, jstr(c, "SessionToken"), buf2, sizeof buf2));
    json_object *exp;
    if (c && json_object_object_get_ex(c, "Expiration", &exp)) {
        char when[64];
        time_t e = (time_t)json_object_get_double(exp);
        struct tm tm;
        gmtime_r(&e, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        detail_add_kv(d, 1, "Expires", when);
    }
}

static bool test_action(struct app *a, struct view *v, void *ctx, enum action act)
{
    struct test_run *t = ctx;
    if (act != ACT_REVEAL)
        return false;
    t->reveal = !t->reveal;
    test_fill(views_detail_of(v), t);
    a->dirty = true;
    return true;
}

static void test_show(struct app *a, struct test_run *t)
{
    struct detail *d = detail_new("Test an identity (s shows or masks the secrets)");
    if (!d) {
        test_free(t);
        return;
    }
    test_fill(d, t);
    views_detail(a, d, test_action, t, test_free);
}

static void test_step(struct app *a, struct test_run *t);

static void test_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct test_run *t = ctx;
    if (t->gen != a->profile_gen) {
        json_object_put(out);
        test_free(t);
        return;
    }
    if (!out) {
        const char *step = !t->identity_id     ? "GetId"
                           : !t->open_id_token ? "GetOpenIdToken"
                                               : "GetCredentialsForIdentity";
        char title[80];
        snprintf(title, sizeof title, "Test an identity: %s failed", step);
        views_error(a, title, err);
        if (t->identity_id)
            test_show(a, t); /* what worked so far */
        else
            test_free(t);
        return;
    }
    if (!t->identity_id) {
        t->identity_id = app_strdup(jstr(out, "IdentityId"));
        if (t->developer) /* the token comes with the id */
            t->open_id_token = app_strdup(jstr(out, "Token") ? jstr(out, "Token") : "");
    } else if (!t->open_id_token) {
        t->open_id_token = app_strdup(jstr(out, "Token") ? jstr(out, "Token") : "");
    } else {
        t->creds = out;
        test_show(a, t);
        return;
    }
    json_object_put(out);
    if (!t->identity_id) {
        struct api_error e;
        api_error_set(&e, API_ERR_HTTP, "GetId answered without an IdentityId");
        views_error(a, "Test an identity", &e);
        test_free(t);
        return;
    }
    test_step(a, t);
}

static void test_step(struct app *a, struct test_run *t)
{
    json_object *in = json_object_new_object();
    const char *op;
    json_object *logins = json_object_get(t->logins);
    if (!t->identity_id && t->developer) {
        op = "GetOpenIdTokenForDeveloperIdentity";
        json_object_object_add(in, "IdentityPoolId", json_object_new_string(t->pool_id));
    } else if (!t->identity_id) {
        op = "GetId";
        json_object_object_add(in, "IdentityPoolId", json_object_new_string(t->pool_id));
        if (a->account_id)
            json_object_object_add(in, "AccountId", json_object_new_string(a->account_id));
    } else {
        op = !t->open_id_token ? "GetOpenIdToken" : "GetCredentialsForIdentity";
        json_object_object_add(in, "IdentityId", json_object_new_string(t->identity_id));
        if (t->developer && t->open_id_token) {
            /* A developer identity gets credentials with its OpenID token. */
            json_object_put(logins);
            logins = json_object_new_object();
            json_object_object_add(logins, "cognito-identity.amazonaws.com",
                                   json_object_new_string(t->open_id_token));
        }
    }
    if (json_object_object_length(logins))
        json_object_object_add(in, "Logins", logins);
    else
        json_object_put(logins);
    struct api_error err;
    char label[80];
    snprintf(label, sizeof label, "Test: %s", op);
    if (!app_call(a, op, in, test_done, t, APP_CALL_FOREGROUND, label, &err)) {
        views_error(a, "Test an identity", &err);
        test_free(t);
    }
}

static bool test_submit(struct app *a, struct view *v, void *ctx)
{
    const char *pool_id = ctx;
    struct form *f = views_form_of(v);
    struct test_run *t = calloc(1, sizeof *t);
    if (!t)
        return false;
    t->gen = a->profile_gen;
    t->pool_id = app_strdup(pool_id);
    t->logins = json_object_new_object();
    for (size_t i = 0; i < form_count(f, "Logins"); i++)
        json_object_object_add(t->logins, form_map_key(f, "Logins", i),
                               json_object_new_string(form_map_value(f, "Logins", i)));
    const char *prov = form_text(f, "DeveloperProviderName");
    const char *user = form_text(f, "DeveloperUserIdentifier");
    if (prov && *prov && user && *user) {
        t->developer = true;
        json_object_object_add(t->logins, prov, json_object_new_string(user));
    }
    test_step(a, t);
    return true;
}

void pool_test_identity(struct app *a, const char *pool_id)
{
    if (a->read_only) { /* the action is not offered; never reached from the keys */
        app_status(a, STATUS_WARN, "Read-only mode: testing an identity is not offered.");
        return;
    }
    struct form *f = form_new("Test an identity: GetId, GetOpenIdToken, GetCredentialsForIdentity");
    if (!f)
        return;
    form_add_map(f, "Logins", "Logins (provider = token; none: unauthenticated)", 0, 10, NULL,
                 NULL);
    form_set_hint(f, "Logins", "the tokens are sent to the service only, never journaled");
    form_add_text(f, "DeveloperProviderName", "Developer provider name", "", 0, NULL, NULL);
    form_add_text(f, "DeveloperUserIdentifier", "Developer user identifier", "", 0, NULL, NULL);
    form_set_hint(f, "DeveloperUserIdentifier",
                  "both set: GetOpenIdTokenForDeveloperIdentity instead of GetId");
    views_form(a, f, test_submit, app_strdup(pool_id), free);
}
