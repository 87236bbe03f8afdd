/* tui/identity_test.c — "test an identity" (tui/identity_test.h). */
#include "tui/identity_test.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "tui/json_get.h"
#include "tui/view_detail.h"
#include "tui/view_dialog.h"
#include "tui/view_form.h"

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
    json_object *c = jobj(t->creds, "Credentials");
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

static unsigned test_action(struct app *a, struct view *v, void *ctx, enum action act)
{
    struct test_run *t = ctx;
    (void)a;
    if (act != ACT_REVEAL)
        return 0;
    t->reveal = !t->reveal;
    test_fill(view_detail_of(v), t);
    return RES_HANDLED | RES_REDRAW;
}

static void test_show(struct app *a, struct test_run *t)
{
    struct detail *d = detail_new("Test an identity (s shows or masks the secrets)");
    if (!d) {
        test_free(t);
        return;
    }
    test_fill(d, t);
    view_detail_open(a, d, test_action, t, test_free);
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
        view_error(a, title, err);
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
        view_error(a, "Test an identity", &e);
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
        if (app_account_id(a))
            json_object_object_add(in, "AccountId", json_object_new_string(app_account_id(a)));
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
        view_error(a, "Test an identity", &err);
        test_free(t);
    }
}

static unsigned test_submit(struct app *a, struct view *v, void *ctx)
{
    const char *pool_id = ctx;
    struct form *f = view_form_of(v);
    struct test_run *t = calloc(1, sizeof *t);
    if (!t)
        return 0;
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
    return RES_CLOSE;
}

void identity_test_open(struct app *a, const char *pool_id)
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
    view_form_open(a, f, 0, test_submit, app_strdup(pool_id), free);
}
