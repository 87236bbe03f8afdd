/* api/doctor.c — the credential doctor's offline steps and report (api/doctor.h). */
#include "api/doctor.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/arn.h"
#include "api/policy.h"
#include "api/role_select.h"
#include "api/user_pool.h"

#define COGNITO_PRINCIPAL "cognito-identity.amazonaws.com"
#define MAX_CLAIMS        200
#define MAX_TAGS          50 /* STS: session tags a session may carry */
#define TAG_KEY_MAX       128
#define TAG_VALUE_MAX     256

const char *const api_doctor_step_names[API_DOCTOR_N_STEPS] = {
    "token", "provider", "unauthenticated", "role", "trust", "tags", "live"};

const char *api_doctor_status_name(enum api_doctor_status s)
{
    return s == API_DOCTOR_OK ? "ok" : s == API_DOCTOR_FAIL ? "fail" : "skip";
}

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
    if (!o || !json_object_object_get_ex(o, name, &v))
        return NULL;
    return v;
}

static void say(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

static void set_step(struct api_doctor_report *r, enum api_doctor_step_id id,
                     enum api_doctor_status st, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void set_step(struct api_doctor_report *r, enum api_doctor_step_id id,
                     enum api_doctor_status st, const char *fix, const char *fmt, ...)
{
    struct api_doctor_step *s = &r->steps[id];
    va_list ap;
    s->status = st;
    va_start(ap, fmt);
    vsnprintf(s->detail, sizeof s->detail, fmt, ap);
    va_end(ap);
    snprintf(s->fix, sizeof s->fix, "%s", fix ? fix : "");
}

static void set_evidence(struct api_doctor_report *r, enum api_doctor_step_id id, const char *text)
{
    free(r->steps[id].evidence);
    r->steps[id].evidence = text ? strdup(text) : NULL;
}

static void iso_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, size, "%lld", (long long)t);
}

/* ---- what the pool says about a provider ---- */

enum provider_kind {
    PROVIDER_NONE,
    PROVIDER_USER_POOL,
    PROVIDER_OIDC,
    PROVIDER_SAML,
    PROVIDER_SOCIAL,
    PROVIDER_DEVELOPER,
};

static bool list_has(json_object *list, const char *s)
{
    if (!list || !json_object_is_type(list, json_type_array))
        return false;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i);
        if (json_object_is_type(e, json_type_string) && strcmp(json_object_get_string(e), s) == 0)
            return true;
    }
    return false;
}

/* The pool's OIDC provider ARN for host `provider` (arn:...:oidc-provider/HOST), or NULL. */
static const char *oidc_arn(json_object *pool, const char *provider)
{
    json_object *list = jget(pool, "OpenIdConnectProviderARNs");
    if (!list || !json_object_is_type(list, json_type_array))
        return NULL;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        const char *arn = json_object_get_string(json_object_array_get_idx(list, i));
        const char *slash = arn ? strstr(arn, ":oidc-provider/") : NULL;
        if (slash && strcmp(slash + strlen(":oidc-provider/"), provider) == 0)
            return arn;
    }
    return NULL;
}

static bool user_pool_configured(json_object *pool, const char *provider)
{
    json_object *list = jget(pool, "CognitoIdentityProviders");
    for (size_t i = 0;
         list && json_object_is_type(list, json_type_array) && i < json_object_array_length(list);
         i++) {
        const char *name = jstr(json_object_array_get_idx(list, i), "ProviderName");
        if (name && strcmp(name, provider) == 0)
            return true;
    }
    return false;
}

static bool user_pool_client_configured(json_object *pool, const char *provider, const char *client)
{
    json_object *list = jget(pool, "CognitoIdentityProviders");
    for (size_t i = 0;
         list && json_object_is_type(list, json_type_array) && i < json_object_array_length(list);
         i++) {
        json_object *e = json_object_array_get_idx(list, i);
        const char *name = jstr(e, "ProviderName"), *id = jstr(e, "ClientId");
        if (name && id && client && strcmp(name, provider) == 0 && strcmp(id, client) == 0)
            return true;
    }
    return false;
}

static void configured_clients(json_object *pool, const char *provider, char *buf, size_t size)
{
    json_object *list = jget(pool, "CognitoIdentityProviders");
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; list && json_object_is_type(list, json_type_array) &&
                       i < json_object_array_length(list) && used < size;
         i++) {
        json_object *e = json_object_array_get_idx(list, i);
        const char *name = jstr(e, "ProviderName"), *id = jstr(e, "ClientId");
        if (name && id && strcmp(name, provider) == 0) {
            int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", id);
            if (w > 0)
                used += (size_t)w;
        }
    }
}

static enum provider_kind classify(json_object *pool, const char *provider)
{
    char region[32], up[64];
    if (api_user_pool_of_provider(provider, region, sizeof region, up, sizeof up))
        return user_pool_configured(pool, provider) ? PROVIDER_USER_POOL : PROVIDER_NONE;
    if (oidc_arn(pool, provider))
        return PROVIDER_OIDC;
    if (list_has(jget(pool, "SamlProviderARNs"), provider))
        return PROVIDER_SAML;
    if (jget(jget(pool, "SupportedLoginProviders"), provider))
        return PROVIDER_SOCIAL;
    const char *dev = jstr(pool, "DeveloperProviderName");
    if (dev && strcmp(dev, provider) == 0)
        return PROVIDER_DEVELOPER;
    return PROVIDER_NONE;
}

static void pool_providers(json_object *pool, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
#define ADD(s)                                                                                     \
    do {                                                                                           \
        int w_ =                                                                                   \
            snprintf(buf + used, used < size ? size - used : 0, "%s%s", used ? ", " : "", (s));    \
        if (w_ > 0)                                                                                \
            used += (size_t)w_;                                                                    \
    } while (0)
    json_object *l = jget(pool, "CognitoIdentityProviders");
    for (size_t i = 0; l && json_object_is_type(l, json_type_array) &&
                       i < json_object_array_length(l) && used < size;
         i++) {
        const char *n = jstr(json_object_array_get_idx(l, i), "ProviderName");
        if (n)
            ADD(n);
    }
    json_object *s = jget(pool, "SupportedLoginProviders");
    if (s && json_object_is_type(s, json_type_object)) {
        json_object_object_foreach(s, k, v)
        {
            (void)v;
            if (used < size)
                ADD(k);
        }
    }
    l = jget(pool, "OpenIdConnectProviderARNs");
    for (size_t i = 0; l && json_object_is_type(l, json_type_array) &&
                       i < json_object_array_length(l) && used < size;
         i++) {
        const char *a = json_object_get_string(json_object_array_get_idx(l, i));
        const char *h = a ? strstr(a, ":oidc-provider/") : NULL;
        if (h)
            ADD(h + strlen(":oidc-provider/"));
    }
    l = jget(pool, "SamlProviderARNs");
    for (size_t i = 0; l && json_object_is_type(l, json_type_array) &&
                       i < json_object_array_length(l) && used < size;
         i++)
        ADD(json_object_get_string(json_object_array_get_idx(l, i)));
#undef ADD
    if (!buf[0])
        snprintf(buf, size, "none");
}

/* ---- the steps ---- */

struct run {
    const struct api_doctor_source *src;
    const char *pool_id;
    const struct api_doctor_login *login;
    time_t now;
    struct api_doctor_report *r;
    json_object *pool, *roles;
    enum provider_kind kind;
    struct api_jwt jwt;
    bool have_jwt;
    const char *aud; /* the first audience, borrowed from jwt */
    struct api_role_claim claims[MAX_CLAIMS];
    char *claim_text[MAX_CLAIMS];
    size_t n_claims;
    bool tags_apply;
    const char *amr[3];
    size_t n_amr;
    char amr_buf[2][600];
};

static bool step_token(struct run *x)
{
    struct api_doctor_report *r = x->r;
    const struct api_doctor_login *l = x->login;
    struct api_error err;

    if (l->kind == API_DOCTOR_GUEST) {
        set_step(r, API_DOCTOR_TOKEN, API_DOCTOR_SKIP, NULL, "a guest has no token");
        return true;
    }
    if (l->kind == API_DOCTOR_DEVELOPER) {
        set_step(r, API_DOCTOR_TOKEN, API_DOCTOR_SKIP, NULL,
                 "a developer user signs in through your back end "
                 "(GetOpenIdTokenForDeveloperIdentity): no token to check");
        return true;
    }
    if (x->kind == PROVIDER_SAML) {
        set_step(r, API_DOCTOR_TOKEN, API_DOCTOR_SKIP, NULL,
                 "a SAML assertion is not a JWT: not checked here");
        return true;
    }
    if (api_jwt_decode(l->token, &x->jwt, &err) != 0) {
        if (x->kind == PROVIDER_SOCIAL) {
            set_step(r, API_DOCTOR_TOKEN, API_DOCTOR_SKIP, NULL,
                     "not a JWT (%s): an opaque token of %.200s that only the provider can check",
                     err.message, l->provider);
            return true;
        }
        set_step(r, API_DOCTOR_TOKEN, API_DOCTOR_FAIL,
                 "Paste the whole token the provider returned (for a Cognito user pool, the ID "
                 "token: idToken / IdToken).",
                 "the token does not decode: %s", err.message);
        return false;
    }
    x->have_jwt = true;
    const char *auds[4];
    x->aud = api_jwt_audiences(&x->jwt, auds, 4) > 0 ? auds[0] : NULL;
    set_evidence(r, API_DOCTOR_TOKEN,
                 json_object_to_json_string_ext(x->jwt.claims, JSON_C_TO_STRING_PRETTY |
                                                                   JSON_C_TO_STRING_NOSLASHESCAPE));
    const char *use = api_jwt_claim_string(&x->jwt, "token_use");
    /* The issuer's user pool, whatever the Logins key says: the provider
     * step compares the two; this one checks the token as its issuer made it. */
    const char *iss = api_jwt_claim_string(&x->jwt, "iss");
    char region[32], up[64];
    const char *issuer_pool = NULL;
    if (iss && strncmp(iss, "https://", 8) == 0 &&
        api_user_pool_of_provider(iss + 8, region, sizeof region, up, sizeof up))
        issuer_pool = iss + 8;
    if (issuer_pool || use) {
        if ((use && strcmp(use, "id") != 0) || !x->aud) {
            set_step(r, API_DOCTOR_TOKEN, API_DOCTOR_FAIL,
                     "Send the ID token (idToken / IdToken) in Logins, not the access token.",
                     "this is %s (token_use \"%.40s\"%s); an identity pool takes the ID token "
                     "(the service answers \"Invalid login token. Missing a required claim: "
                     "aud\")",
                     use && strcmp(use, "access") == 0 ? "an access token" : "not an ID token",
                     use ? use : "absent", x->aud ? "" : ", no aud claim");
            return false;
        }
    }
    int64_t exp = 0;
    char when[40] = "";
    bool has_exp = api_jwt_claim_time(&x->jwt, "exp", &exp);
    if (has_exp) {
        iso_time(exp, when, sizeof when);
        if ((int64_t)x->now >= exp) {
            set_step(r, API_DOCTOR_TOKEN, API_DOCTOR_FAIL,
                     "Sign in again (or refresh the tokens) and use the new ID token; ID tokens "
                     "of user pools live 5 minutes to 1 day (the app client's setting).",
                     "the token expired at %s, %lld min ago (the service answers \"Invalid login "
                     "token. Token expired\")",
                     when, (long long)((int64_t)x->now - exp) / 60);
            return false;
        }
    }
    char sig[400];
    if (issuer_pool && x->src->user_pool_keys) {
        struct api_jwks *ks = x->src->user_pool_keys(x->src->ctx, issuer_pool, &err);
        if (!ks) {
            say(sig, sizeof sig,
                "signature NOT verified: the key set of %.200s could not be read (%s)", issuer_pool,
                err.message);
        } else {
            char why[300];
            enum api_jwt_check c = api_jwt_verify(&x->jwt, ks, why, sizeof why);
            api_jwks_free(ks);
            if (c != API_JWT_VALID) {
                set_step(r, API_DOCTOR_TOKEN, API_DOCTOR_FAIL,
                         "Use the token exactly as the user pool issued it: one changed after "
                         "signing, or signed by another key, is refused.",
                         "%s (the service answers \"Invalid login token. Couldn't verify signed "
                         "token.\")",
                         why);
                return false;
            }
            say(sig, sizeof sig, "%s", why);
        }
    } else {
        say(sig, sizeof sig, "signature NOT verified: %s",
            x->kind == PROVIDER_OIDC ? "the OIDC provider's keys are not fetched here"
                                     : "only Cognito user pools' key sets are fetched here");
    }
    const char *sub = api_jwt_claim_string(&x->jwt, "sub");
    set_step(r, API_DOCTOR_TOKEN, API_DOCTOR_OK, NULL, "%s%s of %.200s, %s%s; %s",
             use ? use : "a JWT", use ? " token" : "", sub ? sub : "(no sub)",
             has_exp ? "expires " : "no exp claim", when, sig);
    return true;
}

static bool step_provider(struct run *x)
{
    struct api_doctor_report *r = x->r;
    const struct api_doctor_login *l = x->login;
    char list[800], fix[700];

    if (l->kind == API_DOCTOR_GUEST) {
        set_step(r, API_DOCTOR_PROVIDER, API_DOCTOR_SKIP, NULL, "a guest has no provider");
        return true;
    }
    if (l->kind == API_DOCTOR_DEVELOPER) {
        const char *dev = jstr(x->pool, "DeveloperProviderName");
        if (!dev) {
            set_step(r, API_DOCTOR_PROVIDER, API_DOCTOR_FAIL,
                     "Set the pool's DeveloperProviderName (UpdateIdentityPool; it cannot change "
                     "once set).",
                     "the pool has no developer provider name: "
                     "GetOpenIdTokenForDeveloperIdentity is refused");
            return false;
        }
        set_step(r, API_DOCTOR_PROVIDER, API_DOCTOR_OK, NULL,
                 "developer provider %.200s, user %.200s", dev, l->developer_user);
        return true;
    }
    pool_providers(x->pool, list, sizeof list);
    if (x->kind == PROVIDER_NONE) {
        char region[32], up[64];
        bool is_up = api_user_pool_of_provider(l->provider, region, sizeof region, up, sizeof up);
        say(fix, sizeof fix,
            "Add %.200s to the pool's %s (UpdateIdentityPool), or use the Logins key of a "
            "provider the pool has: %.300s.",
            l->provider,
            is_up ? "CognitoIdentityProviders (ProviderName and the app client's ClientId)"
                  : "providers",
            list);
        set_step(r, API_DOCTOR_PROVIDER, API_DOCTOR_FAIL, fix,
                 "%.200s is not a provider of this pool (its providers: %.400s); the service "
                 "answers \"Token is not from a supported provider of this identity pool.\"",
                 l->provider, list);
        return false;
    }
    if (x->kind == PROVIDER_DEVELOPER) {
        set_step(r, API_DOCTOR_PROVIDER, API_DOCTOR_FAIL,
                 "Use --developer-user ID: a developer user's token comes from "
                 "GetOpenIdTokenForDeveloperIdentity.",
                 "%.200s is the pool's developer provider: it is not sent in Logins with a token",
                 l->provider);
        return false;
    }
    const char *iss = x->have_jwt ? api_jwt_claim_string(&x->jwt, "iss") : NULL;
    if (x->have_jwt && (x->kind == PROVIDER_USER_POOL || x->kind == PROVIDER_OIDC)) {
        char want[700];
        say(want, sizeof want, "https://%s", l->provider);
        if (!iss || strcmp(iss, want) != 0) {
            say(fix, sizeof fix,
                "Send the token under the Logins key of its issuer (%.300s without https://), or "
                "sign in with %.300s.",
                iss ? iss : "?", l->provider);
            set_step(r, API_DOCTOR_PROVIDER, API_DOCTOR_FAIL, fix,
                     "the token's issuer is %.300s, not %.300s (the service answers \"Invalid "
                     "login token. Issuer doesn't match providerName\")",
                     iss ? iss : "(none)", want);
            return false;
        }
    }
    if (x->kind == PROVIDER_USER_POOL) {
        if (!user_pool_client_configured(x->pool, l->provider, x->aud)) {
            char clients[400];
            configured_clients(x->pool, l->provider, clients, sizeof clients);
            say(fix, sizeof fix,
                "Sign in through an app client the pool lists (%.300s), or add {ProviderName: "
                "%.150s, ClientId: %.100s} to CognitoIdentityProviders.",
                clients, l->provider, x->aud ? x->aud : "?");
            set_step(r, API_DOCTOR_PROVIDER, API_DOCTOR_FAIL, fix,
                     "the token's audience (app client) %.100s is not a ClientId the pool lists "
                     "for %.200s (%.300s); the service answers \"Token is not from a supported "
                     "provider of this identity pool.\"",
                     x->aud ? x->aud : "(none)", l->provider, clients);
            return false;
        }
        set_step(r, API_DOCTOR_PROVIDER, API_DOCTOR_OK, NULL,
                 "user pool %.200s, app client %.100s: both configured on the pool", l->provider,
                 x->aud);
        return true;
    }
    if (x->kind == PROVIDER_OIDC) {
        const char *arn = oidc_arn(x->pool, l->provider);
        struct api_iam_oidc_provider op = {0};
        struct api_error err;
        if (!x->src->oidc_provider || x->src->oidc_provider(x->src->ctx, arn, &op, &err) != 0) {
            set_step(r, API_DOCTOR_PROVIDER, API_DOCTOR_OK, NULL,
                     "OIDC provider %.300s is configured; its audience list was NOT checked "
                     "(IAM GetOpenIDConnectProvider: %.300s)",
                     arn, x->src->oidc_provider ? err.message : "not read");
            return true;
        }
        bool found = false;
        const char *auds[8];
        size_t n = x->have_jwt ? api_jwt_audiences(&x->jwt, auds, 8) : 0;
        for (size_t i = 0; i < op.n_client_ids; i++)
            for (size_t k = 0; k < n && k < 8; k++)
                found = found || strcmp(op.client_ids[i], auds[k]) == 0;
        if (!found && x->have_jwt) {
            say(fix, sizeof fix,
                "Add the token's audience %.200s to the IAM OIDC provider's client ids "
                "(AddClientIDToOpenIDConnectProvider), or use a token for a listed client.",
                x->aud ? x->aud : "?");
            set_step(r, API_DOCTOR_PROVIDER, API_DOCTOR_FAIL, fix,
                     "the token's audience %.200s is not among the %zu client ids of %.300s (the "
                     "service answers \"Invalid login token. Incorrect token audience.\")",
                     x->aud ? x->aud : "(none)", op.n_client_ids, arn);
            api_iam_oidc_provider_clear(&op);
            return false;
        }
        set_step(r, API_DOCTOR_PROVIDER, API_DOCTOR_OK, NULL,
                 "OIDC provider %.300s; the audience is one of its %zu client ids", arn,
                 op.n_client_ids);
        api_iam_oidc_provider_clear(&op);
        return true;
    }
    set_step(r, API_DOCTOR_PROVIDER, API_DOCTOR_OK, NULL, "%.200s is a %s provider of the pool",
             l->provider, x->kind == PROVIDER_SAML ? "SAML" : "supported login");
    return true;
}

static bool step_unauthenticated(struct run *x)
{
    struct api_doctor_report *r = x->r;
    if (x->login->kind != API_DOCTOR_GUEST) {
        set_step(r, API_DOCTOR_UNAUTHENTICATED, API_DOCTOR_SKIP, NULL, "not a guest");
        return true;
    }
    json_object *allow = jget(x->pool, "AllowUnauthenticatedIdentities");
    json_object *classic = jget(x->pool, "AllowClassicFlow");
    const char *flow = classic && json_object_get_boolean(classic)
                           ? "the classic flow (GetOpenIdToken) is on too"
                           : "the classic flow (GetOpenIdToken) is off: use GetId + "
                             "GetCredentialsForIdentity";
    if (!allow || !json_object_get_boolean(allow)) {
        set_step(r, API_DOCTOR_UNAUTHENTICATED, API_DOCTOR_FAIL,
                 "Turn on AllowUnauthenticatedIdentities (UpdateIdentityPool) if guests are "
                 "meant to get credentials, or sign in first.",
                 "the pool does not allow guests (the service answers \"Unauthenticated access "
                 "is not supported for this identity pool.\"); %s",
                 flow);
        return false;
    }
    set_step(r, API_DOCTOR_UNAUTHENTICATED, API_DOCTOR_OK, NULL, "the pool allows guests; %s",
             flow);
    return true;
}

static void collect_claims(struct run *x)
{
    if (!x->have_jwt)
        return;
    json_object_object_foreach(x->jwt.claims, name, v)
    {
        (void)v;
        if (x->n_claims == MAX_CLAIMS)
            break;
        char buf[2048];
        const char *t = api_jwt_claim_text(&x->jwt, name, buf, sizeof buf);
        x->claim_text[x->n_claims] = strdup(t ? t : "");
        x->claims[x->n_claims].name = name;
        x->claims[x->n_claims].value = x->claim_text[x->n_claims];
        x->n_claims++;
    }
}

static bool step_role(struct run *x)
{
    struct api_doctor_report *r = x->r;
    const struct api_doctor_login *l = x->login;
    struct api_role_choice c;
    const char *key = NULL;

    if (l->kind == API_DOCTOR_LOGIN) {
        if (x->kind == PROVIDER_USER_POOL && x->aud)
            say(r->mapping_key, sizeof r->mapping_key, "%s:%s", l->provider, x->aud);
        else
            say(r->mapping_key, sizeof r->mapping_key, "%s", l->provider);
        key = r->mapping_key;
    } else if (l->kind == API_DOCTOR_DEVELOPER) {
        /* Developer identities get credentials with the service's own token:
         * no role mapping can name that provider. */
        say(r->mapping_key, sizeof r->mapping_key, "%s", COGNITO_PRINCIPAL);
        key = r->mapping_key;
    }
    collect_claims(x);
    api_role_select(x->roles, key, x->claims, x->n_claims, l->custom_role_arn, &c);
    if (c.mapping) {
        char ev[1500];
        say(ev, sizeof ev, "role mapping %.300s:\n%.1100s", key,
            json_object_to_json_string_ext(c.mapping, JSON_C_TO_STRING_PRETTY |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE));
        set_evidence(r, API_DOCTOR_ROLE, ev);
    }
    if (!c.role) {
        const char *fix =
            c.outcome == API_ROLE_DENIED
                ? "Add a rule this login matches, give the token a cognito:preferred_role (a "
                  "group with a role and a precedence), or set AmbiguousRoleResolution to "
                  "AuthenticatedRole."
            : l->kind == API_DOCTOR_GUEST
                ? "Set the pool's unauthenticated role (SetIdentityPoolRoles "
                  "Roles.unauthenticated)."
                : "Set the pool's authenticated role (SetIdentityPoolRoles Roles.authenticated).";
        set_step(r, API_DOCTOR_ROLE, API_DOCTOR_FAIL, fix, "%s (the service answers \"%s\")", c.why,
                 c.outcome == API_ROLE_DENIED
                     ? "The ambiguous role mapping rules for: PROVIDER denied this request."
                     : "Invalid identity pool configuration. Check assigned IAM roles for this "
                       "pool.");
        return false;
    }
    r->role_arn = strdup(c.role);
    const char *problem = api_role_arn_problem(c.role);
    if (problem) {
        set_step(r, API_DOCTOR_ROLE, API_DOCTOR_FAIL,
                 "Use a full role ARN (arn:aws:iam::ACCOUNT:role/NAME).",
                 "%s: %.300s, but that is not a role ARN (%s)", c.why, c.role, problem);
        return false;
    }
    set_step(r, API_DOCTOR_ROLE, API_DOCTOR_OK, NULL, "%.400s (%s)", c.role, c.why);
    return true;
}

static bool step_tags(struct run *x, bool record)
{
    struct api_doctor_report *r = x->r;
    const struct api_doctor_login *l = x->login;

    if (l->kind != API_DOCTOR_LOGIN || x->kind == PROVIDER_DEVELOPER) {
        if (record)
            set_step(r, API_DOCTOR_TAGS, API_DOCTOR_SKIP, NULL,
                     l->kind == API_DOCTOR_GUEST
                         ? "guests get no principal tags"
                         : "a developer user's tags come from the back end's "
                           "GetOpenIdTokenForDeveloperIdentity call (PrincipalTags)");
        return true;
    }
    json_object *map = NULL;
    struct api_error err;
    if (!x->src->principal_tags ||
        x->src->principal_tags(x->src->ctx, x->pool_id, l->provider, &map, &err) != 0) {
        if (record)
            set_step(r, API_DOCTOR_TAGS, API_DOCTOR_SKIP, NULL,
                     "the principal tag map could not be read (%s): tags NOT checked",
                     x->src->principal_tags ? err.message : "no reader");
        return true;
    }
    json_object *use_defaults = jget(map, "UseDefaults");
    json_object *tags = jget(map, "PrincipalTags");
    bool defaults = use_defaults && json_object_get_boolean(use_defaults);
    bool has_tags =
        tags && json_object_is_type(tags, json_type_object) && json_object_object_length(tags) > 0;
    x->tags_apply = defaults || has_tags;
    if (!record) {
        json_object_put(map);
        return true;
    }
    json_object *out = json_object_new_object();
    char problem[600] = "";
    /* The defaults (developer guide, "Using attributes for access control"):
     * client = aud and username = sub for user pools and OIDC providers. */
    struct {
        const char *tag, *claim;
    } pairs[MAX_TAGS + 2];
    size_t n = 0;
    if (defaults) {
        pairs[n].tag = "client";
        pairs[n++].claim = "aud";
        pairs[n].tag = "username";
        pairs[n++].claim = "sub";
    }
    if (has_tags) {
        json_object_object_foreach(tags, tag, claim)
        {
            if (n < MAX_TAGS + 2) {
                pairs[n].tag = tag;
                pairs[n++].claim = json_object_get_string(claim);
            }
        }
    }
    size_t set = 0;
    for (size_t i = 0; i < n; i++) {
        char buf[2048];
        const char *v = x->have_jwt && pairs[i].claim
                            ? api_jwt_claim_text(&x->jwt, pairs[i].claim, buf, sizeof buf)
                            : NULL;
        if (!v)
            continue;
        set++;
        json_object_object_add(out, pairs[i].tag, json_object_new_string(v));
        if (!problem[0] && strlen(pairs[i].tag) > TAG_KEY_MAX)
            say(problem, sizeof problem, "tag key %.60s... is over %d characters", pairs[i].tag,
                TAG_KEY_MAX);
        if (!problem[0] && strlen(v) > TAG_VALUE_MAX)
            say(problem, sizeof problem,
                "tag %.100s: the value of claim %.100s is over %d characters", pairs[i].tag,
                pairs[i].claim, TAG_VALUE_MAX);
    }
    if (!problem[0] && set > MAX_TAGS)
        say(problem, sizeof problem, "%zu tags, over STS's %d", set, MAX_TAGS);
    json_object_put(r->principal_tags);
    r->principal_tags = out;
    json_object_put(map);
    if (problem[0]) {
        set_step(r, API_DOCTOR_TAGS, API_DOCTOR_FAIL,
                 "Map fewer or shorter claims (SetPrincipalTagAttributeMap).",
                 "%s: STS refuses the session", problem);
        return false;
    }
    if (!x->tags_apply)
        set_step(r, API_DOCTOR_TAGS, API_DOCTOR_OK, NULL, "no principal tags for %.200s",
                 l->provider);
    else
        set_step(r, API_DOCTOR_TAGS, API_DOCTOR_OK, NULL,
                 "%zu principal tag%s (%s%s): within STS's limits", set, set == 1 ? "" : "s",
                 defaults ? "the provider's defaults" : "the pool's map",
                 defaults && has_tags ? " and the pool's map" : "");
    return true;
}

static void build_amr(struct run *x)
{
    const struct api_doctor_login *l = x->login;
    x->n_amr = 0;
    if (l->kind == API_DOCTOR_GUEST) {
        x->amr[x->n_amr++] = "unauthenticated";
        return;
    }
    x->amr[x->n_amr++] = "authenticated";
    if (l->kind == API_DOCTOR_DEVELOPER) {
        const char *dev = jstr(x->pool, "DeveloperProviderName");
        say(x->amr_buf[0], sizeof x->amr_buf[0], "%s", dev ? dev : "");
        say(x->amr_buf[1], sizeof x->amr_buf[1], "%s:%s:%s", dev ? dev : "", x->pool_id,
            l->developer_user ? l->developer_user : "");
        x->amr[x->n_amr++] = x->amr_buf[0];
        x->amr[x->n_amr++] = x->amr_buf[1];
        return;
    }
    x->amr[x->n_amr++] = l->provider;
    const char *sub = x->have_jwt ? api_jwt_claim_string(&x->jwt, "sub") : NULL;
    if (x->kind == PROVIDER_USER_POOL && sub) {
        /* As the service writes it: PROVIDER:CognitoSignIn:SUB. */
        say(x->amr_buf[0], sizeof x->amr_buf[0], "%s:CognitoSignIn:%s", l->provider, sub);
        x->amr[x->n_amr++] = x->amr_buf[0];
    }
}

static const char *trust_fix(const struct api_policy_result *pr, const char *pool_id, char *buf,
                             size_t size)
{
    if (pr->stage == API_POLICY_STAGE_PRINCIPAL)
        say(buf, size, "Make the trust statement's Principal {\"Federated\": \"%s\"}.",
            COGNITO_PRINCIPAL);
    else if (pr->stage == API_POLICY_STAGE_ACTION)
        say(buf, size, "Allow the action sts:AssumeRoleWithWebIdentity in the trust statement.");
    else if (strstr(pr->key, ":aud"))
        say(buf, size,
            "The trust policy is for another identity pool: put %s in its "
            "cognito-identity.amazonaws.com:aud condition.",
            pool_id);
    else if (strstr(pr->key, ":amr"))
        say(buf, size,
            "The trust policy's cognito-identity.amazonaws.com:amr condition does not accept "
            "this login (\"authenticated\" for signed-in users, \"unauthenticated\" for "
            "guests): use the role meant for it, or change the condition.");
    else if (pr->statement < 0)
        say(buf, size,
            "Add a trust statement allowing {\"Federated\": \"%s\"} to "
            "sts:AssumeRoleWithWebIdentity with cognito-identity.amazonaws.com:aud = %s.",
            COGNITO_PRINCIPAL, pool_id);
    else
        say(buf, size,
            "Change the trust policy so that this login is allowed (see the statement).");
    return buf;
}

static bool step_trust(struct run *x)
{
    struct api_doctor_report *r = x->r;
    struct api_error err;
    const char *name = api_role_name_of_arn(r->role_arn);
    struct api_iam_role role = {0};
    char fix[700];

    if (!x->src->role || !name) {
        set_step(r, API_DOCTOR_TRUST, API_DOCTOR_SKIP, NULL,
                 "the role's trust policy was NOT checked (%s)",
                 name ? "IAM is not read" : "no role name in the ARN");
        return true;
    }
    if (x->src->role(x->src->ctx, name, &role, &err) != 0) {
        if (err.kind == API_ERR_AWS && strcmp(err.code, "NoSuchEntity") == 0) {
            say(fix, sizeof fix,
                "Create the role %.100s (trusting %s for this pool), or point the pool at an "
                "existing role.",
                name, COGNITO_PRINCIPAL);
            set_step(r, API_DOCTOR_TRUST, API_DOCTOR_FAIL, fix,
                     "the role %.300s does not exist (IAM GetRole: NoSuchEntity); the service "
                     "answers \"Invalid identity pool configuration. Check assigned IAM roles "
                     "for this pool.\"",
                     r->role_arn);
            return false;
        }
        set_step(r, API_DOCTOR_TRUST, API_DOCTOR_SKIP, NULL,
                 "the role's trust policy was NOT checked: IAM GetRole failed (%s)", err.message);
        return true;
    }
    struct api_policy *p = api_policy_parse(role.trust_policy, strlen(role.trust_policy), &err);
    if (!p) {
        set_step(r, API_DOCTOR_TRUST, API_DOCTOR_FAIL, "Fix the role's trust policy document.",
                 "the trust policy of %.200s does not parse: %s", name, err.message);
        api_iam_role_clear(&role);
        return false;
    }
    const char *aud[1] = {x->pool_id};
    struct api_policy_context_value ctx[2] = {
        {"cognito-identity.amazonaws.com:aud", aud, 1},
        {"cognito-identity.amazonaws.com:amr", x->amr, x->n_amr},
    };
    struct api_policy_request rq = {
        "sts:AssumeRoleWithWebIdentity", NULL, "Federated", COGNITO_PRINCIPAL, ctx, 2};
    struct api_policy_result pr;
    enum api_policy_decision d = api_policy_evaluate(p, &rq, &pr);
    bool ok = d == API_POLICY_ALLOW;
    const char *failed_action = "sts:AssumeRoleWithWebIdentity";
    if (ok && x->tags_apply) {
        rq.action = "sts:TagSession";
        d = api_policy_evaluate(p, &rq, &pr);
        ok = d == API_POLICY_ALLOW;
        failed_action = "sts:TagSession";
    }
    if (pr.statement >= 0 && (size_t)pr.statement < api_policy_count(p)) {
        char ev[1500];
        say(ev, sizeof ev, "trust statement %ld of %.100s:\n%.1300s", pr.statement + 1, name,
            json_object_to_json_string_ext(api_policy_statement(p, (size_t)pr.statement)->json,
                                           JSON_C_TO_STRING_PRETTY |
                                               JSON_C_TO_STRING_NOSLASHESCAPE));
        set_evidence(r, API_DOCTOR_TRUST, ev);
    }
    bool result = true;
    if (d == API_POLICY_UNKNOWN) {
        set_step(r, API_DOCTOR_TRUST, API_DOCTOR_SKIP, NULL,
                 "the trust policy of %.200s could not be decided here: %.800s", name, pr.why);
    } else if (!ok && strcmp(failed_action, "sts:TagSession") == 0) {
        set_step(r, API_DOCTOR_TRUST, API_DOCTOR_FAIL,
                 "Add sts:TagSession to the Action of the trust statement (principal tags apply "
                 "to this login), or remove the provider's principal tag map.",
                 "principal tags apply to this login but the trust policy of %.200s does not "
                 "allow sts:TagSession (%.600s); the service answers \"Invalid identity pool "
                 "configuration. Check assigned IAM roles for this pool.\"",
                 name, pr.why);
        result = false;
    } else if (!ok) {
        bool on_sub = strstr(pr.key, ":sub") != NULL;
        if (on_sub) {
            set_step(r, API_DOCTOR_TRUST, API_DOCTOR_SKIP, NULL,
                     "the trust policy of %.200s depends on the identity id "
                     "(cognito-identity.amazonaws.com:sub), unknown before GetId: %.700s",
                     name, pr.why);
        } else {
            set_step(r, API_DOCTOR_TRUST, API_DOCTOR_FAIL,
                     trust_fix(&pr, x->pool_id, fix, sizeof fix),
                     "the trust policy of %.200s refuses this login: %.700s; the service answers "
                     "\"Invalid identity pool configuration. Check assigned IAM roles for this "
                     "pool.\"",
                     name, pr.why);
            result = false;
        }
    } else {
        set_step(r, API_DOCTOR_TRUST, API_DOCTOR_OK, NULL,
                 "%.200s trusts %s for this pool and this login%s (statement %ld)", name,
                 COGNITO_PRINCIPAL, x->tags_apply ? ", sts:TagSession included" : "",
                 pr.statement + 1);
    }
    api_policy_free(p);
    api_iam_role_clear(&role);
    return result;
}

static void run_free(struct run *x)
{
    for (size_t i = 0; i < x->n_claims; i++)
        free(x->claim_text[i]);
    api_jwt_clear(&x->jwt);
    json_object_put(x->roles);
}

int api_doctor_run(const struct api_doctor_source *src, const char *pool_id,
                   const struct api_doctor_login *login, time_t now, struct api_doctor_report *out,
                   struct api_error *err)
{
    memset(out, 0, sizeof *out);
    out->failed_step = -1;
    out->principal_tags = json_object_new_object();
    if (login->kind == API_DOCTOR_LOGIN && (!login->provider || !login->token))
        return api_error_set(err, API_ERR_INVALID_INPUT, "a login needs PROVIDER=TOKEN");
    struct run x = {.src = src, .pool_id = pool_id, .login = login, .now = now, .r = out};
    if (src->describe_pool(src->ctx, pool_id, &out->pool, err) != 0)
        return -1;
    x.pool = out->pool;
    if (src->pool_roles(src->ctx, pool_id, &x.roles, err) != 0) {
        api_doctor_report_clear(out);
        return -1;
    }
    x.kind = login->kind == API_DOCTOR_LOGIN ? classify(x.pool, login->provider) : PROVIDER_NONE;

    bool (*const steps[])(struct run *) = {step_token, step_provider, step_unauthenticated,
                                           step_role};
    int failed = -1;
    for (int i = 0; i < 4 && failed < 0; i++)
        if (!steps[i](&x))
            failed = i;
    if (failed < 0) {
        build_amr(&x);
        step_tags(&x, false); /* whether tags apply decides what the trust policy must allow */
        if (!step_trust(&x))
            failed = API_DOCTOR_TRUST;
        else if (!step_tags(&x, true))
            failed = API_DOCTOR_TAGS;
    }
    for (int i = failed + 1; failed >= 0 && i < API_DOCTOR_LIVE; i++)
        set_step(out, (enum api_doctor_step_id)i, API_DOCTOR_SKIP, NULL,
                 "not checked: the %s step failed", api_doctor_step_names[failed]);
    set_step(out, API_DOCTOR_LIVE, API_DOCTOR_SKIP, NULL,
             "not run (--live asks the service; it creates an identity)");
    out->failed_step = failed;
    out->ok = failed < 0;
    out->predicted_ok = out->ok;
    run_free(&x);
    return 0;
}

json_object *api_doctor_report_json(const struct api_doctor_report *r)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "verdict", json_object_new_string(r->ok ? "ok" : "fail"));
    json_object_object_add(
        o, "failed_step",
        r->failed_step >= 0 ? json_object_new_string(api_doctor_step_names[r->failed_step]) : NULL);
    json_object_object_add(o, "role_arn", r->role_arn ? json_object_new_string(r->role_arn) : NULL);
    json_object_object_add(o, "principal_tags",
                           r->principal_tags ? json_object_get(r->principal_tags)
                                             : json_object_new_object());
    json_object *steps = json_object_new_array();
    for (int i = 0; i < API_DOCTOR_N_STEPS; i++) {
        const struct api_doctor_step *s = &r->steps[i];
        json_object *e = json_object_new_object();
        json_object_object_add(e, "step", json_object_new_string(api_doctor_step_names[i]));
        json_object_object_add(e, "status",
                               json_object_new_string(api_doctor_status_name(s->status)));
        json_object_object_add(e, "detail", json_object_new_string(s->detail));
        json_object_object_add(e, "fix", json_object_new_string(s->fix));
        json_object_array_add(steps, e);
    }
    json_object_object_add(o, "steps", steps);
    if (r->live_run)
        json_object_object_add(o, "live_agrees", json_object_new_boolean(r->live_agrees));
    return o;
}

void api_doctor_report_clear(struct api_doctor_report *r)
{
    free(r->role_arn);
    json_object_put(r->principal_tags);
    json_object_put(r->pool);
    for (int i = 0; i < API_DOCTOR_N_STEPS; i++)
        free(r->steps[i].evidence);
    memset(r, 0, sizeof *r);
    r->failed_step = -1;
}

/* ---- pasted errors ---- */

static const struct api_doctor_error_hint error_hints[] = {
    {.match = "Missing a required claim: aud",
     .step = API_DOCTOR_TOKEN,
     .check = "an access token was sent: send the user pool's ID token"},
    {.match = "Token expired",
     .step = API_DOCTOR_TOKEN,
     .check = "the token's exp is past: sign in again or refresh"},
    {.match = "Couldn't verify signed token",
     .step = API_DOCTOR_TOKEN,
     .check = "the signature does not verify with the issuer's keys: a token of another pool, or "
              "altered"},
    {.match = "Invalid login token. Can't pass in a Cognito token",
     .step = API_DOCTOR_PROVIDER,
     .check = "GetId was given the service's own OpenID token: give it the provider's token"},
    {.match = "Issuer doesn't match providerName",
     .step = API_DOCTOR_PROVIDER,
     .check = "the Logins key is not the token's issuer (iss without https://)"},
    {.match = "Incorrect token audience",
     .step = API_DOCTOR_PROVIDER,
     .check = "the OIDC token's aud is not in the IAM OIDC provider's client ids"},
    {.match = "Token is not from a supported provider",
     .step = API_DOCTOR_PROVIDER,
     .check = "the provider (or for a user pool, the app client) is not configured on the pool"},
    {.match = "Unauthenticated access is not supported",
     .step = API_DOCTOR_UNAUTHENTICATED,
     .check =
         "the pool does not allow guests (AllowUnauthenticatedIdentities), or no login was sent"},
    {.match = "Basic (classic) flow is not enabled",
     .step = API_DOCTOR_UNAUTHENTICATED,
     .check = "GetOpenIdToken was called on a pool without the classic flow: use GetId + "
              "GetCredentialsForIdentity"},
    {.match = "ambiguous role mapping rules",
     .step = API_DOCTOR_ROLE,
     .check = "no rule matched (or the token named no role) and AmbiguousRoleResolution is Deny"},
    {.match = "is not a valid RoleMapping ProviderName",
     .step = API_DOCTOR_ROLE,
     .check =
         "a role mapping's key must be a configured provider (a user pool as PROVIDER:CLIENTID)"},
    /* STS refusing AssumeRoleWithWebIdentity, whatever the reason: the trust
     * policy, or principal tags over its session tag limits. */
    {.match = "Invalid identity pool configuration",
     .step = API_DOCTOR_TRUST,
     .check = "the role chosen is missing, does not exist, or its trust policy refuses "
              "cognito-identity.amazonaws.com for this pool, this amr, or sts:TagSession; or the "
              "principal tags are over STS's limits (50 tags, values of 256 characters)",
     .has_also = true,
     .also = API_DOCTOR_TAGS},
    {.match = "Logins don't match",
     .step = API_DOCTOR_LIVE,
     .check = "the identity is linked to other logins: send one of them with the call"},
    {.match = "is forbidden",
     .step = API_DOCTOR_LIVE,
     .check =
         "the identity is disabled, or its last login was unlinked; or a role ARN is malformed"},
};

bool api_doctor_hint_from(const struct api_doctor_error_hint *h, int step)
{
    return h && ((int)h->step == step || (h->has_also && (int)h->also == step));
}

bool api_doctor_map_error(const char *message, const struct api_doctor_error_hint **out)
{
    for (size_t i = 0; message && i < sizeof error_hints / sizeof error_hints[0]; i++)
        if (strstr(message, error_hints[i].match)) {
            *out = &error_hints[i];
            return true;
        }
    return false;
}
