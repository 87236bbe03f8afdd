/* tui/audit_checks.c — the checks of the audit (contract in audit_checks.h).
 *
 * Trust checks ask the policy evaluator (api/policy.h) the questions STS
 * asks, rather than pattern-matching the JSON: may
 * Federated cognito-identity.amazonaws.com do sts:AssumeRoleWithWebIdentity
 * with aud = this pool and amr = the role's kind? with the other kind? with
 * aud = a pool that is not this one? may it sts:TagSession? Whatever way the
 * policy is written (StringLike on aud, lists, NotPrincipal, Deny
 * statements), the answer is the one STS would give.
 *
 * Sources: the Amazon Cognito Developer Guide, "Security best practices for
 * Amazon Cognito identity pools", "IAM roles" (trust policies; the services
 * the enhanced flow leaves to guests), "Role-based access control" (Token
 * and Rules mappings, AmbiguousRoleResolution, claims users can change), and
 * the AWS managed policy AmazonCognitoUnAuthedIdentitiesSessionPolicy.
 */
#include "tui/audit_checks.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COGNITO_PRINCIPAL "cognito-identity.amazonaws.com"
#define AUD_KEY           "cognito-identity.amazonaws.com:aud"
#define AMR_KEY           "cognito-identity.amazonaws.com:amr"
#define ASSUME            "sts:AssumeRoleWithWebIdentity"
#define TAG_SESSION       "sts:TagSession"

/* ---- severities ---- */

static const char *const severity_names[] = {"info", "low", "medium", "high"};

const char *audit_severity_name(enum audit_severity s)
{
    return (unsigned)s < 4 ? severity_names[s] : "?";
}

int audit_severity_parse(const char *text, enum audit_severity *out)
{
    for (int i = 0; text && i < 4; i++)
        if (strcmp(text, severity_names[i]) == 0) {
            *out = (enum audit_severity)i;
            return 0;
        }
    return -1;
}

/* ---- findings ---- */

static char *dup0(const char *s)
{
    return strdup(s ? s : "");
}

void audit_add(struct audit_findings *out, const struct audit_check *check, const char *region,
               const char *pool_id, const char *pool_name, const char *resource,
               json_object *evidence, const char *fix, const char *fmt, ...)
{
    struct audit_finding *f;
    char title[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(title, sizeof title, fmt, ap);
    va_end(ap);
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        struct audit_finding *grown = realloc(out->v, cap * sizeof *grown);
        if (!grown) {
            out->failed = true;
            json_object_put(evidence);
            return;
        }
        out->v = grown;
        out->cap = cap;
    }
    f = &out->v[out->n++];
    f->check = check;
    f->region = dup0(region);
    f->pool_id = dup0(pool_id);
    f->pool_name = dup0(pool_name);
    f->resource = dup0(resource);
    f->title = dup0(title);
    f->evidence = evidence ? evidence : json_object_new_object();
    f->fix = dup0(fix ? fix : check->fix);
    if (!f->region || !f->pool_id || !f->pool_name || !f->resource || !f->title || !f->fix)
        out->failed = true;
}

static int compare(const void *a, const void *b)
{
    const struct audit_finding *x = a, *y = b;
    int c = strcmp(x->region, y->region);

    if (!c)
        c = strcmp(x->pool_id, y->pool_id);
    if (!c)
        c = (int)y->check->severity - (int)x->check->severity;
    if (!c)
        c = strcmp(x->check->id, y->check->id);
    if (!c)
        c = strcmp(x->resource, y->resource);
    return c;
}

void audit_findings_sort(struct audit_findings *f)
{
    if (f->n > 1)
        qsort(f->v, f->n, sizeof *f->v, compare);
}

void audit_findings_free(struct audit_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        struct audit_finding *x = &f->v[i];
        free(x->region);
        free(x->pool_id);
        free(x->pool_name);
        free(x->resource);
        free(x->title);
        free(x->fix);
        json_object_put(x->evidence);
    }
    free(f->v);
    memset(f, 0, sizeof *f);
}

/* ---- reading the pool ---- */

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *string_of(json_object *o, const char *key)
{
    json_object *v = member(o, key);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* 1 true, 0 false, -1 absent. */
static int bool_of(json_object *o, const char *key)
{
    json_object *v = member(o, key);
    if (!v || !json_object_is_type(v, json_type_boolean))
        return -1;
    return json_object_get_boolean(v) ? 1 : 0;
}

static size_t count_of(json_object *o, const char *key)
{
    json_object *v = member(o, key);
    if (json_object_is_type(v, json_type_array))
        return json_object_array_length(v);
    if (json_object_is_type(v, json_type_object))
        return (size_t)json_object_object_length(v);
    return 0;
}

static json_object *copy_of(json_object *v)
{
    json_object *c = NULL;
    if (!v || json_object_deep_copy(v, &c, NULL) != 0)
        return NULL;
    return c;
}

static void add_evidence(json_object *ev, const char *key, json_object *value)
{
    json_object_object_add(ev, key, value ? value : json_object_new_null());
}

#define ADD(out, v, check_id, resource, evidence, fix, ...)                                        \
    audit_add(out, audit_check_find(check_id), (v)->region, (v)->pool_id, (v)->pool_name,          \
              resource, evidence, fix, __VA_ARGS__)

/* The names a login of this pool may carry in the token's amr: each
 * provider's name as Cognito puts it there. */
struct names {
    const char *v[64];
    char own[64][300];
    size_t n;
};

static void names_add(struct names *n, const char *s)
{
    if (!s || n->n >= 64)
        return;
    snprintf(n->own[n->n], sizeof n->own[n->n], "%s", s);
    n->v[n->n] = n->own[n->n];
    n->n++;
}

/* arn:aws:iam::123456789012:oidc-provider/login.example.com/path -> login.example.com/path */
static const char *oidc_name(const char *arn)
{
    const char *p = arn ? strstr(arn, ":oidc-provider/") : NULL;
    return p ? p + 15 : arn;
}

static void pool_providers(json_object *pool, struct names *out)
{
    json_object *v;

    memset(out, 0, sizeof *out);
    if ((v = member(pool, "SupportedLoginProviders")) && json_object_is_type(v, json_type_object)) {
        json_object_object_foreach(v, name, id)
        {
            (void)id;
            names_add(out, name);
        }
    }
    if ((v = member(pool, "CognitoIdentityProviders")) && json_object_is_type(v, json_type_array))
        for (size_t i = 0; i < json_object_array_length(v); i++)
            names_add(out, string_of(json_object_array_get_idx(v, i), "ProviderName"));
    if ((v = member(pool, "OpenIdConnectProviderARNs")) && json_object_is_type(v, json_type_array))
        for (size_t i = 0; i < json_object_array_length(v); i++)
            names_add(out, oidc_name(json_object_get_string(json_object_array_get_idx(v, i))));
    if ((v = member(pool, "SamlProviderARNs")) && json_object_is_type(v, json_type_array))
        for (size_t i = 0; i < json_object_array_length(v); i++)
            names_add(out, json_object_get_string(json_object_array_get_idx(v, i)));
    names_add(out, string_of(pool, "DeveloperProviderName"));
}

/* ---- the roles a pool uses ---- */

struct usage {
    const char *arn;
    bool authenticated;
    const char *provider; /* the mapping's provider for rule roles, else NULL */
    const char *how;      /* "default authenticated role", "rule 2 of graph.facebook.com", ... */
    char how_buf[200];
};

struct usages {
    struct usage v[128];
    size_t n;
};

static void usage_add(struct usages *u, const char *arn, bool auth, const char *provider,
                      const char *how)
{
    if (!arn || !arn[0] || u->n >= 128)
        return;
    for (size_t i = 0; i < u->n; i++)
        if (strcmp(u->v[i].arn, arn) == 0 && u->v[i].authenticated == auth &&
            ((!u->v[i].provider && !provider) ||
             (u->v[i].provider && provider && strcmp(u->v[i].provider, provider) == 0)))
            return;
    struct usage *x = &u->v[u->n++];
    x->arn = arn;
    x->authenticated = auth;
    x->provider = provider;
    snprintf(x->how_buf, sizeof x->how_buf, "%s", how);
    x->how = x->how_buf;
}

static void pool_usages(const struct audit_pool_view *v, struct usages *u)
{
    json_object *roles = member(v->roles, "Roles"), *maps = member(v->roles, "RoleMappings");

    u->n = 0;
    usage_add(u, string_of(roles, "authenticated"), true, NULL, "default authenticated role");
    usage_add(u, string_of(roles, "unauthenticated"), false, NULL, "guest (unauthenticated) role");
    if (!maps || !json_object_is_type(maps, json_type_object))
        return;
    json_object_object_foreach(maps, provider, mapping)
    {
        json_object *rules = member(member(mapping, "RulesConfiguration"), "Rules");
        for (size_t i = 0; rules && json_object_is_type(rules, json_type_array) &&
                           i < json_object_array_length(rules);
             i++) {
            char how[200];
            snprintf(how, sizeof how, "role of rule %zu for %.150s", i + 1, provider);
            usage_add(u, string_of(json_object_array_get_idx(rules, i), "RoleARN"), true, provider,
                      how);
        }
    }
}

static const struct audit_role *role_of(const struct audit_pool_view *v, const char *arn)
{
    return v->role ? v->role(v->role_ctx, arn) : NULL;
}

/* ---- trust questions ---- */

struct probe {
    enum api_policy_decision own, other, foreign, tag;
    struct api_policy_result own_r, other_r, foreign_r, tag_r;
};

static void ask(const struct api_policy *trust, const char *action, const char *aud,
                const struct names *amr, struct api_policy_result *out)
{
    const char *aud_v[] = {aud};
    struct api_policy_context_value ctx[] = {{AUD_KEY, aud_v, 1}, {AMR_KEY, amr->v, amr->n}};
    struct api_policy_request rq = {action, NULL, "Federated", COGNITO_PRINCIPAL, ctx, 2};
    api_policy_evaluate(trust, &rq, out);
}

static void probe_trust(const struct audit_pool_view *v, const struct api_policy *trust,
                        const struct usage *u, struct probe *p)
{
    struct names auth, guest, providers;
    char foreign[128];

    pool_providers(v->pool, &providers);
    memset(&auth, 0, sizeof auth);
    memset(&guest, 0, sizeof guest);
    names_add(&auth, "authenticated");
    if (u->provider)
        names_add(&auth, u->provider);
    else
        for (size_t i = 0; i < providers.n; i++)
            names_add(&auth, providers.v[i]);
    names_add(&guest, "unauthenticated");
    /* a pool id of the same Region that is not this pool's */
    snprintf(foreign, sizeof foreign, "%s:00000000-0000-4000-8000-%s", v->region,
             strstr(v->pool_id, "000000000000") ? "111111111111" : "000000000000");
    const struct names *own = u->authenticated ? &auth : &guest;
    const struct names *other = u->authenticated ? &guest : &auth;
    ask(trust, ASSUME, v->pool_id, own, &p->own_r);
    ask(trust, ASSUME, v->pool_id, other, &p->other_r);
    ask(trust, ASSUME, foreign, own, &p->foreign_r);
    ask(trust, TAG_SESSION, v->pool_id, own, &p->tag_r);
    p->own = p->own_r.decision;
    p->other = p->other_r.decision;
    p->foreign = p->foreign_r.decision;
    p->tag = p->tag_r.decision;
}

/* Evidence of a trust finding: the role, the statement that decided (or
 * came closest), the whole trust policy, and the evaluator's reason. */
static json_object *trust_evidence(const struct usage *u, const struct audit_role *r,
                                   const struct api_policy_result *res)
{
    json_object *ev = json_object_new_object();
    const struct api_policy_statement *s =
        res->statement >= 0 ? api_policy_statement(r->trust, (size_t)res->statement) : NULL;

    add_evidence(ev, "role", json_object_new_string(u->arn));
    add_evidence(ev, "used_as", json_object_new_string(u->how));
    add_evidence(ev, "statement_index", s ? json_object_new_int((int)s->index) : NULL);
    add_evidence(ev, "statement", s ? copy_of(s->json) : NULL);
    add_evidence(ev, "trust_policy", copy_of(api_policy_json(r->trust)));
    add_evidence(ev, "evaluation", json_object_new_string(res->why));
    return ev;
}

/* "Replace the trust policy ..." with the corrected policy to paste. */
static char *trust_fix(const struct audit_pool_view *v, const struct usage *u, bool tags)
{
    json_object *t = audit_recommended_trust(v->pool_id, u->authenticated, tags);
    const char *name = strrchr(u->arn, '/');
    char *out = NULL;

    if (asprintf(&out,
                 "Replace the trust policy of %s with the policy below (aws iam "
                 "update-assume-role-policy --role-name %s --policy-document file://trust.json); "
                 "if other identity pools use this role, list their ids under %s too.\n%s",
                 u->arn, name ? name + 1 : u->arn, AUD_KEY,
                 json_object_to_json_string_ext(t, JSON_C_TO_STRING_PRETTY |
                                                       JSON_C_TO_STRING_SPACED |
                                                       JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
        out = NULL;
    json_object_put(t);
    return out;
}

json_object *audit_recommended_trust(const char *pool_id, bool authenticated, bool tags)
{
    json_object *doc = json_object_new_object(), *st = json_object_new_object();
    json_object *list = json_object_new_array(), *principal = json_object_new_object();
    json_object *cond = json_object_new_object(), *eq = json_object_new_object();
    json_object *like = json_object_new_object();

    json_object_object_add(doc, "Version", json_object_new_string("2012-10-17"));
    json_object_object_add(st, "Effect", json_object_new_string("Allow"));
    json_object_object_add(principal, "Federated", json_object_new_string(COGNITO_PRINCIPAL));
    json_object_object_add(st, "Principal", principal);
    if (tags) {
        json_object *acts = json_object_new_array();
        json_object_array_add(acts, json_object_new_string(ASSUME));
        json_object_array_add(acts, json_object_new_string(TAG_SESSION));
        json_object_object_add(st, "Action", acts);
    } else {
        json_object_object_add(st, "Action", json_object_new_string(ASSUME));
    }
    json_object_object_add(eq, AUD_KEY, json_object_new_string(pool_id));
    json_object_object_add(
        like, AMR_KEY, json_object_new_string(authenticated ? "authenticated" : "unauthenticated"));
    json_object_object_add(cond, "StringEquals", eq);
    json_object_object_add(cond, "ForAnyValue:StringLike", like);
    json_object_object_add(st, "Condition", cond);
    json_object_array_add(list, st);
    json_object_object_add(doc, "Statement", list);
    return doc;
}

/* Whether principal tags apply to logins through `provider` (NULL: through
 * any provider of the pool). */
static bool tags_active(const struct audit_pool_view *v, const char *provider)
{
    if (!v->tag_maps || !json_object_is_type(v->tag_maps, json_type_object))
        return false;
    json_object_object_foreach(v->tag_maps, name, map)
    {
        if (provider && strcmp(provider, name) != 0)
            continue;
        if (bool_of(map, "UseDefaults") == 1 || count_of(map, "PrincipalTags") > 0)
            return true;
    }
    return false;
}

/* The usable trust policy of a usage's role, or NULL (the gap is reported
 * once, by check_unreadable). */
static const struct audit_role *trusted_role(const struct audit_pool_view *v, const struct usage *u)
{
    const struct audit_role *r = role_of(v, u->arn);
    return r && r->state == AUDIT_ROLE_OK && r->trust ? r : NULL;
}

/* ---- the checks ---- */

static void check_guest_access(const struct audit_pool_view *v, struct audit_findings *out)
{
    if (bool_of(v->pool, "AllowUnauthenticatedIdentities") != 1)
        return;
    json_object *ev = json_object_new_object();
    add_evidence(ev, "AllowUnauthenticatedIdentities", json_object_new_boolean(1));
    add_evidence(ev, "unauthenticated_role",
                 copy_of(member(member(v->roles, "Roles"), "unauthenticated")));
    ADD(out, v, "CIP-001", v->pool_id, ev, NULL,
        "guest (unauthenticated) access is enabled: anyone can get AWS credentials from this "
        "pool");
}

static void check_classic_flow(const struct audit_pool_view *v, struct audit_findings *out)
{
    int classic = bool_of(v->pool, "AllowClassicFlow");
    if (classic == 0)
        return;
    json_object *ev = json_object_new_object();
    add_evidence(ev, "AllowClassicFlow", classic == 1 ? json_object_new_boolean(1) : NULL);
    ADD(out, v, "CIP-002", v->pool_id, ev, NULL,
        classic == 1 ? "the basic (classic) flow is enabled: GetOpenIdToken tokens can be "
                       "taken to STS for any role that trusts the pool"
                     : "AllowClassicFlow was never set: the service still answers "
                       "GetOpenIdToken, so the basic flow is open");
}

static void check_trust_audience(const struct audit_pool_view *v, struct audit_findings *out)
{
    struct usages u;
    pool_usages(v, &u);
    for (size_t i = 0; i < u.n; i++) {
        const struct audit_role *r = trusted_role(v, &u.v[i]);
        struct probe p;
        if (!r)
            continue;
        probe_trust(v, r->trust, &u.v[i], &p);
        if (p.foreign != API_POLICY_ALLOW)
            continue;
        char *fix = trust_fix(v, &u.v[i], tags_active(v, u.v[i].provider));
        ADD(out, v, "CIP-003", u.v[i].arn, trust_evidence(&u.v[i], r, &p.foreign_r), fix,
            "the %s trusts %s without a %s condition naming this pool: identities of any pool "
            "can assume it",
            u.v[i].how, COGNITO_PRINCIPAL, AUD_KEY);
        free(fix);
    }
}

static void check_trust_amr(const struct audit_pool_view *v, struct audit_findings *out)
{
    struct usages u;
    pool_usages(v, &u);
    for (size_t i = 0; i < u.n; i++) {
        const struct audit_role *r = trusted_role(v, &u.v[i]);
        struct probe p;
        if (!r)
            continue;
        probe_trust(v, r->trust, &u.v[i], &p);
        const char *kind = u.v[i].authenticated ? "authenticated" : "unauthenticated";
        const char *other = u.v[i].authenticated ? "guest" : "authenticated";
        char *fix = NULL;
        if (p.own == API_POLICY_ALLOW && p.other == API_POLICY_ALLOW) {
            fix = trust_fix(v, &u.v[i], tags_active(v, u.v[i].provider));
            ADD(out, v, "CIP-004", u.v[i].arn, trust_evidence(&u.v[i], r, &p.other_r), fix,
                "the %s has no %s condition for %s identities: %s identities of the pool can "
                "assume it too",
                u.v[i].how, AMR_KEY, kind, other);
        } else if (p.own != API_POLICY_ALLOW && p.other == API_POLICY_ALLOW) {
            fix = trust_fix(v, &u.v[i], tags_active(v, u.v[i].provider));
            ADD(out, v, "CIP-004", u.v[i].arn, trust_evidence(&u.v[i], r, &p.own_r), fix,
                "the %s names the wrong kind in %s: only %s identities can assume it", u.v[i].how,
                AMR_KEY, other);
        }
        free(fix);
    }
}

/* ---- what a role may do ---- */

/* The services (and actions) the enhanced flow leaves to guest credentials:
 * "IAM roles" (access policies) of the developer guide, plus the actions of
 * the AWS managed policy AmazonCognitoUnAuthedIdentitiesSessionPolicy. */
static const char *const guest_scope[] = {
    "appsync:*",
    "cloudwatch:*",
    "cognito-identity:*",
    "cognito-sync:*",
    "comprehend:*",
    "dynamodb:*",
    "gamelift:*",
    "iot:*",
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "firehose:*",
    "kinesis:*",
    "lambda:*",
    "lex:*",
    "geo:*",
    "machinelearning:*",
    "mobileanalytics:*",
    "mobiletargeting:*",
    "polly:*",
    "rekognition:*",
    "sdb:*",
    "ses:*",
    "sns:*",
    "sqs:*",
    "s3:*",
    "sumerian:View*",
    "transcribe:*",
    "translate:*",
    "sagemaker:InvokeEndpoint",
    "textract:DetectDocumentText",
    "textract:AnalyzeDocument",
    "rum:PutRumEvents",
    "personalize:*",
};

static bool in_guest_scope(const char *action)
{
    for (size_t i = 0; i < sizeof guest_scope / sizeof *guest_scope; i++)
        if (api_policy_globs_overlap(action, guest_scope[i], true))
            return true;
    return false;
}

/* Verbs that change or remove things (IAM's Write and Permissions
 * management access levels, by the name's first word). */
static const char *const write_verbs[] = {
    "Put",     "Post",       "Delete",      "Create",       "Update",      "Write",    "Remove",
    "Attach",  "Detach",     "Set",         "Modify",       "Upload",      "Add",      "Replace",
    "Restore", "Start",      "Stop",        "Terminate",    "Send",        "Publish",  "Reset",
    "Enable",  "Disable",    "Associate",   "Disassociate", "Import",      "Copy",     "Change",
    "Tag",     "Untag",      "Revoke",      "Grant",        "Pass",        "Register", "Deregister",
    "Execute", "Run",        "Submit",      "Complete",     "Abort",       "Cancel",   "Purge",
    "Admin",   "BatchWrite", "BatchDelete", "BatchPut",     "Merge",       "Unlink",   "Link",
    "Confirm", "Forget",     "Schedule",    "Subscribe",    "Unsubscribe", "Invoke",   "Restore",
};

/* Why `action` is risky for guests ("wildcard", "write or delete"), or NULL. */
static const char *risky_action(const char *action)
{
    const char *colon = strchr(action, ':');
    const char *verb = colon ? colon + 1 : action;

    if (strchr(action, '*') || strchr(action, '?'))
        return "wildcard action";
    for (size_t i = 0; i < sizeof write_verbs / sizeof *write_verbs; i++) {
        size_t n = strlen(write_verbs[i]);
        if (strncasecmp(verb, write_verbs[i], n) == 0 &&
            (verb[n] == '\0' || (verb[n] >= 'A' && verb[n] <= 'Z')))
            return "write or delete action";
    }
    return NULL;
}

static void check_guest_permissions(const struct audit_pool_view *v, struct audit_findings *out)
{
    const char *arn = string_of(member(v->roles, "Roles"), "unauthenticated");
    const struct audit_role *r;

    if (bool_of(v->pool, "AllowUnauthenticatedIdentities") != 1 || !arn)
        return;
    r = role_of(v, arn);
    if (!r || r->state != AUDIT_ROLE_OK || !r->permissions_read)
        return;
    bool classic = bool_of(v->pool, "AllowClassicFlow") != 0;
    json_object *bad = json_object_new_array();
    for (size_t k = 0; k < r->n_policies; k++) {
        const struct api_policy *pol = r->policies[k].policy;
        for (size_t i = 0; pol && i < api_policy_count(pol); i++) {
            const struct api_policy_statement *s = api_policy_statement(pol, i);
            json_object *why = json_object_new_array();
            bool effective = false;
            if (!s->allow) {
                json_object_put(why);
                continue;
            }
            if (s->not_action) {
                effective = true;
                json_object_array_add(why, json_object_new_string("NotAction allows every "
                                                                  "action not listed"));
            }
            for (size_t a = 0; a < s->actions.n && !s->not_action; a++) {
                const char *act = s->actions.v[a];
                if (!classic && !in_guest_scope(act))
                    continue;
                effective = true;
                const char *risk = risky_action(act);
                if (risk) {
                    char line[300];
                    snprintf(line, sizeof line, "%s: %.200s", risk, act);
                    json_object_array_add(why, json_object_new_string(line));
                }
            }
            bool star = false;
            for (size_t x = 0; x < s->resources.n; x++)
                if (strcmp(s->resources.v[x], "*") == 0)
                    star = true;
            if (effective && (s->not_resource || star))
                json_object_array_add(
                    why, json_object_new_string(s->not_resource ? "NotResource: every resource "
                                                                  "not listed"
                                                                : "resource \"*\""));
            if (json_object_array_length(why) == 0) {
                json_object_put(why);
                continue;
            }
            json_object *item = json_object_new_object();
            add_evidence(item, "policy", json_object_new_string(r->policies[k].name));
            add_evidence(item, "statement_index", json_object_new_int((int)i));
            add_evidence(item, "statement", copy_of(s->json));
            add_evidence(item, "why", why);
            json_object_array_add(bad, item);
        }
    }
    if (json_object_array_length(bad) == 0) {
        json_object_put(bad);
        return;
    }
    json_object *ev = json_object_new_object();
    add_evidence(ev, "role", json_object_new_string(arn));
    add_evidence(ev, "flow",
                 json_object_new_string(classic ? "basic (classic) flow: the whole "
                                                  "policy applies"
                                                : "enhanced flow: intersected with "
                                                  "the guest scope-down"));
    add_evidence(ev, "statements", bad);
    ADD(out, v, "CIP-005", arn, ev, NULL,
        "the guest role's effective permissions include write, delete or wildcard actions or "
        "\"*\" resources (%zu statement%s)",
        json_object_array_length(bad), json_object_array_length(bad) == 1 ? "" : "s");
}

/* Every action pattern a role's policies allow (borrowed strings), and
 * whether some statement uses NotAction (allows everything else). */
struct allowed {
    const char *v[512];
    size_t n;
    bool not_action;
};

static bool role_allowed(const struct audit_role *r, struct allowed *a)
{
    a->n = 0;
    a->not_action = false;
    if (!r || r->state != AUDIT_ROLE_OK || !r->permissions_read)
        return false;
    for (size_t k = 0; k < r->n_policies; k++)
        for (size_t i = 0; r->policies[k].policy && i < api_policy_count(r->policies[k].policy);
             i++) {
            const struct api_policy_statement *s = api_policy_statement(r->policies[k].policy, i);
            if (!s->allow)
                continue;
            if (s->not_action)
                a->not_action = true;
            for (size_t x = 0; x < s->actions.n && !s->not_action && a->n < 512; x++)
                a->v[a->n++] = s->actions.v[x];
        }
    return true;
}

/* An action `a` allows that `b` does not, or NULL when b covers a. */
static const char *broader(const struct allowed *a, const struct allowed *b)
{
    bool b_all = false;

    for (size_t j = 0; j < b->n; j++)
        if (strcmp(b->v[j], "*") == 0)
            b_all = true;
    if (a->not_action && !b_all)
        return "NotAction";
    for (size_t i = 0; i < a->n; i++) {
        bool covered = false;
        for (size_t j = 0; j < b->n && !covered; j++)
            covered = api_policy_glob_covers(b->v[j], a->v[i], true);
        if (!covered)
            return a->v[i];
    }
    return NULL;
}

static void check_role_mapping(const struct audit_pool_view *v, struct audit_findings *out)
{
    json_object *maps = member(v->roles, "RoleMappings");
    const char *def = string_of(member(v->roles, "Roles"), "authenticated");
    struct allowed def_a, rule_a;
    bool have_def = role_allowed(def ? role_of(v, def) : NULL, &def_a);

    if (!maps || !json_object_is_type(maps, json_type_object))
        return;
    json_object_object_foreach(maps, provider, mapping)
    {
        const char *type = string_of(mapping, "Type");
        const char *amb = string_of(mapping, "AmbiguousRoleResolution");
        json_object *rules = member(member(mapping, "RulesConfiguration"), "Rules");
        bool fallback = amb && strcmp(amb, "AuthenticatedRole") == 0;

        if (type && strcmp(type, "Token") == 0 && fallback) {
            json_object *ev = json_object_new_object();
            add_evidence(ev, "provider", json_object_new_string(provider));
            add_evidence(ev, "role_mapping", copy_of(mapping));
            add_evidence(ev, "default_authenticated_role",
                         def ? json_object_new_string(def) : NULL);
            ADD(out, v, "CIP-006", provider, ev, NULL,
                "the Token role mapping of %s lets the token choose the role "
                "(cognito:preferred_role, CustomRoleArn among cognito:roles), and a token "
                "without a usable role falls back to the default authenticated role",
                provider);
        }
        for (size_t i = 0; rules && json_object_is_type(rules, json_type_array) &&
                           i < json_object_array_length(rules);
             i++) {
            json_object *rule = json_object_array_get_idx(rules, i);
            const char *claim = string_of(rule, "Claim"), *arn = string_of(rule, "RoleARN");
            if (!arn || !role_allowed(role_of(v, arn), &rule_a))
                continue;
            const char *extra;
            if (fallback && have_def && (extra = broader(&def_a, &rule_a))) {
                json_object *ev = json_object_new_object();
                add_evidence(ev, "provider", json_object_new_string(provider));
                add_evidence(ev, "rule", copy_of(rule));
                add_evidence(ev, "AmbiguousRoleResolution", json_object_new_string(amb));
                add_evidence(ev, "default_authenticated_role", json_object_new_string(def));
                add_evidence(ev, "allowed_by_default_not_by_rule", json_object_new_string(extra));
                ADD(out, v, "CIP-006", provider, ev,
                    "Set AmbiguousRoleResolution to Deny for this provider (cognito-tui: Roles "
                    "pane, edit the mapping), or make the default authenticated role no broader "
                    "than the rule roles.",
                    "a login of %s that matches no rule gets the default authenticated role, "
                    "which allows %s that the role of rule %zu does not",
                    provider, extra, i + 1);
            }
            if (claim && strncmp(claim, "custom:", 7) == 0 && have_def &&
                (extra = broader(&rule_a, &def_a))) {
                json_object *ev = json_object_new_object();
                add_evidence(ev, "provider", json_object_new_string(provider));
                add_evidence(ev, "rule", copy_of(rule));
                add_evidence(ev, "allowed_by_rule_not_by_default", json_object_new_string(extra));
                ADD(out, v, "CIP-006", provider, ev,
                    "Map the privileged role on a claim users cannot set (cognito:groups, or an "
                    "attribute the app clients cannot write), or make the custom attribute "
                    "read-only for every app client of the user pool.",
                    "rule %zu of %s gives a more privileged role (it allows %s) on the claim "
                    "%s, a custom attribute users may be able to set",
                    i + 1, provider, extra, claim);
            }
        }
    }
}

static void check_tag_session(const struct audit_pool_view *v, struct audit_findings *out)
{
    struct usages u;
    pool_usages(v, &u);
    for (size_t i = 0; i < u.n; i++) {
        const struct audit_role *r = trusted_role(v, &u.v[i]);
        struct probe p;
        if (!r || !u.v[i].authenticated || !tags_active(v, u.v[i].provider))
            continue;
        probe_trust(v, r->trust, &u.v[i], &p);
        if (p.own != API_POLICY_ALLOW || p.tag == API_POLICY_ALLOW)
            continue; /* a role that cannot be assumed at all is CIP-012's */
        char *fix = trust_fix(v, &u.v[i], true);
        ADD(out, v, "CIP-007", u.v[i].arn, trust_evidence(&u.v[i], r, &p.tag_r), fix,
            "principal tags are mapped for this pool's logins but the trust policy of the %s "
            "does not allow sts:TagSession: getting credentials fails",
            u.v[i].how);
        free(fix);
    }
}

static void check_token_check(const struct audit_pool_view *v, struct audit_findings *out)
{
    json_object *list = member(v->pool, "CognitoIdentityProviders");
    for (size_t i = 0;
         list && json_object_is_type(list, json_type_array) && i < json_object_array_length(list);
         i++) {
        json_object *p = json_object_array_get_idx(list, i);
        if (bool_of(p, "ServerSideTokenCheck") == 1)
            continue;
        const char *name = string_of(p, "ProviderName");
        ADD(out, v, "CIP-008", name ? name : "", copy_of(p), NULL,
            "the user-pool provider %s has ServerSideTokenCheck off: tokens of signed-out or "
            "deleted users are still accepted",
            name ? name : "(unnamed)");
    }
}

static void check_developer_mix(const struct audit_pool_view *v, struct audit_findings *out)
{
    const char *dev = string_of(v->pool, "DeveloperProviderName");
    size_t external = count_of(v->pool, "SupportedLoginProviders") +
                      count_of(v->pool, "CognitoIdentityProviders") +
                      count_of(v->pool, "OpenIdConnectProviderARNs") +
                      count_of(v->pool, "SamlProviderARNs");
    if (!dev || !dev[0] || external == 0)
        return;
    json_object *ev = json_object_new_object();
    static const char *const keys[] = {"DeveloperProviderName", "SupportedLoginProviders",
                                       "CognitoIdentityProviders", "OpenIdConnectProviderARNs",
                                       "SamlProviderARNs"};
    for (size_t i = 0; i < 5; i++)
        if (member(v->pool, keys[i]))
            add_evidence(ev, keys[i], copy_of(member(v->pool, keys[i])));
    ADD(out, v, "CIP-009", dev, ev, NULL,
        "the developer provider %s shares the pool with %zu external provider%s: a backend that "
        "links developer identities can be used to take over external logins",
        dev, external, external == 1 ? "" : "s");
}

static void check_missing_roles(const struct audit_pool_view *v, struct audit_findings *out)
{
    struct usages u;
    pool_usages(v, &u);
    for (size_t i = 0; i < u.n; i++) {
        const struct audit_role *r = role_of(v, u.v[i].arn);
        bool seen = false;
        if (!r || r->state != AUDIT_ROLE_MISSING)
            continue;
        for (size_t k = 0; k < i && !seen; k++) /* one finding per ARN */
            seen = strcmp(u.v[k].arn, u.v[i].arn) == 0;
        if (seen)
            continue;
        json_object *ev = json_object_new_object();
        add_evidence(ev, "role", json_object_new_string(u.v[i].arn));
        add_evidence(ev, "used_as", json_object_new_string(u.v[i].how));
        add_evidence(ev, "iam", json_object_new_string(r->why ? r->why : "NoSuchEntity"));
        if (r->found_arn)
            add_evidence(ev, "existing_role_arn", json_object_new_string(r->found_arn));
        ADD(out, v, "CIP-010", u.v[i].arn, ev, NULL, "the %s names a role that does not exist%s",
            u.v[i].how, r->found_arn ? " (a role of that name exists under another path)" : "");
    }
}

static void check_no_roles(const struct audit_pool_view *v, struct audit_findings *out)
{
    struct usages u;
    pool_usages(v, &u);
    if (u.n > 0 || count_of(v->roles, "RoleMappings") > 0)
        return;
    json_object *ev = json_object_new_object();
    add_evidence(ev, "Roles", copy_of(member(v->roles, "Roles")));
    add_evidence(ev, "RoleMappings", copy_of(member(v->roles, "RoleMappings")));
    ADD(out, v, "CIP-011", v->pool_id, ev, NULL,
        "the pool names no role at all: no identity can get credentials");
}

static void check_trust_broken(const struct audit_pool_view *v, struct audit_findings *out)
{
    struct usages u;
    pool_usages(v, &u);
    for (size_t i = 0; i < u.n; i++) {
        const struct audit_role *r = trusted_role(v, &u.v[i]);
        struct probe p;
        const char *why;
        if (!r)
            continue;
        probe_trust(v, r->trust, &u.v[i], &p);
        if (p.own == API_POLICY_ALLOW || p.other == API_POLICY_ALLOW || p.own == API_POLICY_UNKNOWN)
            continue; /* works, or CIP-004 (wrong kind), or cannot be told */
        if (p.own == API_POLICY_DENY)
            why = "a Deny statement refuses this pool";
        else if (p.own_r.stage == API_POLICY_STAGE_PRINCIPAL || p.own_r.statement < 0)
            why = "it trusts another principal, not " COGNITO_PRINCIPAL;
        else if (p.own_r.stage == API_POLICY_STAGE_ACTION)
            why = "its statement for " COGNITO_PRINCIPAL " allows another action (such as "
                  "sts:AssumeRole), not " ASSUME;
        else if (strcasecmp(p.own_r.key, AUD_KEY) == 0)
            why = "its " AUD_KEY " condition names another identity pool";
        else
            why = "a condition of its trust statement is never met for this pool";
        char *fix = trust_fix(v, &u.v[i], tags_active(v, u.v[i].provider));
        ADD(out, v, "CIP-012", u.v[i].arn, trust_evidence(&u.v[i], r, &p.own_r), fix,
            "the trust policy of the %s cannot work for this pool: %s", u.v[i].how, why);
        free(fix);
    }
}

/* Roles that could not be judged: CIP-000, once per ARN. */
static void check_unreadable(const struct audit_pool_view *v, struct audit_findings *out)
{
    struct usages u;
    pool_usages(v, &u);
    for (size_t i = 0; i < u.n; i++) {
        const struct audit_role *r = role_of(v, u.v[i].arn);
        char what[700] = "";
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(u.v[k].arn, u.v[i].arn) == 0;
        if (seen)
            continue;
        if (!r || r->state == AUDIT_ROLE_PENDING)
            snprintf(what, sizeof what, "the role was not fetched");
        else if (r->state == AUDIT_ROLE_UNREADABLE)
            snprintf(what, sizeof what, "%.650s", r->why ? r->why : "it could not be read");
        else if (r->state == AUDIT_ROLE_OK && !r->trust)
            snprintf(what, sizeof what, "its trust policy does not parse: %.600s",
                     r->trust_error ? r->trust_error : "?");
        else if (r->state == AUDIT_ROLE_OK && r->permissions_error)
            snprintf(what, sizeof what, "its permission policies could not be read: %.600s",
                     r->permissions_error);
        for (size_t k = 0; !what[0] && r && r->state == AUDIT_ROLE_OK && k < r->n_policies; k++)
            if (!r->policies[k].policy)
                snprintf(what, sizeof what, "its policy %.200s does not parse: %.400s",
                         r->policies[k].name, r->policies[k].error ? r->policies[k].error : "?");
        if (!what[0])
            continue;
        json_object *ev = json_object_new_object();
        add_evidence(ev, "role", json_object_new_string(u.v[i].arn));
        add_evidence(ev, "used_as", json_object_new_string(u.v[i].how));
        add_evidence(ev, "error", json_object_new_string(what));
        ADD(out, v, "CIP-000", u.v[i].arn, ev, NULL, "not audited: role %s: %s", u.v[i].arn, what);
    }
}

/* ---- the table ---- */

const struct audit_check audit_checks[] = {
    {"CIP-000", AUDIT_MEDIUM, "NotAudited",
     "a pool or role that could not be read or judged (not audited)", check_unreadable,
     "Give the auditing identity read access (cognito-identity:Describe*, Get*, List*; "
     "iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, "
     "iam:GetPolicy, iam:GetPolicyVersion) and run the audit again."},
    {"CIP-001", AUDIT_MEDIUM, "GuestAccessEnabled", "guest (unauthenticated) access enabled",
     check_guest_access,
     "Turn guest access off unless the app needs it: update the pool with "
     "AllowUnauthenticatedIdentities false (cognito-tui: Pools pane, Update; it shows the diff). "
     "If guests are needed, keep the guest role to the least it needs."},
    {"CIP-002", AUDIT_MEDIUM, "ClassicFlowEnabled",
     "basic (classic) flow enabled, or AllowClassicFlow never set", check_classic_flow,
     "Update the pool with AllowClassicFlow false (cognito-tui: Pools pane, Update; it shows "
     "the diff), and use GetCredentialsForIdentity (the enhanced flow)."},
    {"CIP-003", AUDIT_HIGH, "TrustWithoutAudience",
     "a role the pool uses trusts cognito-identity.amazonaws.com without an aud condition naming "
     "this pool",
     check_trust_audience,
     "Add a StringEquals condition on cognito-identity.amazonaws.com:aud naming the pool's id "
     "to the role's trust policy."},
    {"CIP-004", AUDIT_HIGH, "TrustAmrWrongOrMissing",
     "the role's amr condition is missing or names the wrong kind", check_trust_amr,
     "Add ForAnyValue:StringLike cognito-identity.amazonaws.com:amr = authenticated (or "
     "unauthenticated for the guest role) to the role's trust policy."},
    {"CIP-005", AUDIT_HIGH, "GuestRoleTooBroad",
     "the guest role's effective permissions include write, delete or wildcard actions or \"*\" "
     "resources",
     check_guest_permissions,
     "Narrow the guest role's policies to the read actions and the resources guests need "
     "(name them; use ${cognito-identity.amazonaws.com:sub} to confine each identity), and "
     "turn the basic flow off."},
    {"CIP-006", AUDIT_LOW, "RoleMappingTokenChooses",
     "role mapping that lets a token choose a broader role", check_role_mapping,
     "Set AmbiguousRoleResolution to Deny, map privileged roles on claims users cannot set, "
     "and keep the default authenticated role no broader than the rule roles."},
    {"CIP-007", AUDIT_MEDIUM, "TagSessionMissing",
     "principal tags mapped while the role's trust policy lacks sts:TagSession", check_tag_session,
     "Add sts:TagSession to the Action of the trust statement for "
     "cognito-identity.amazonaws.com."},
    {"CIP-008", AUDIT_LOW, "ServerSideTokenCheckOff",
     "a Cognito user-pool provider with ServerSideTokenCheck off", check_token_check,
     "Update the pool with ServerSideTokenCheck true for this provider (cognito-tui: Pools "
     "pane, Update)."},
    {"CIP-009", AUDIT_LOW, "DeveloperProviderMixed",
     "a developer provider in the same pool as external providers", check_developer_mix,
     "Keep developer-authenticated identities in a pool of their own, or make sure the backend "
     "never links a developer identity to an identity it has not authenticated."},
    {"CIP-010", AUDIT_HIGH, "RoleMissing", "a role ARN the pool names does not exist",
     check_missing_roles,
     "Create the role, or point the pool at an existing one (cognito-tui: Roles pane)."},
    {"CIP-011", AUDIT_INFO, "NoRoles", "no roles at all (nothing can get credentials)",
     check_no_roles,
     "Set an authenticated role (and a guest role if guests are allowed), or delete the pool "
     "if it is unused."},
    {"CIP-012", AUDIT_HIGH, "TrustCannotWork",
     "a role's trust policy cannot work for this pool (other principal, sts:AssumeRole, or aud "
     "naming another pool)",
     check_trust_broken,
     "Replace the role's trust policy with one that allows cognito-identity.amazonaws.com "
     "sts:AssumeRoleWithWebIdentity for this pool."},
};

const size_t audit_n_checks = sizeof audit_checks / sizeof audit_checks[0];

const struct audit_check *audit_check_find(const char *id)
{
    for (size_t i = 0; i < audit_n_checks; i++)
        if (strcmp(audit_checks[i].id, id) == 0)
            return &audit_checks[i];
    return NULL;
}

void audit_run_checks(const struct audit_pool_view *v, struct audit_findings *out)
{
    for (size_t i = 0; i < audit_n_checks; i++)
        if (audit_checks[i].run)
            audit_checks[i].run(v, out);
}
