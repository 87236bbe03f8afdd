/* tui/audit.c — the audit engine (contract in audit.h). */
#include "tui/audit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/arn.h"
#include "api/client.h"
#include "api/endpoint.h"
#include "api/iam.h"
#include "api/ini.h"
#include "api/pagination.h"
#include "api/policy.h"
#include "api/query.h"
#include "api/rate_limiter.h"
#include "api/retry.h"

const char *const audit_all_regions[] = {
    "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
    "ca-central-1",   "eu-central-1",   "eu-north-1", "eu-south-1",     "eu-west-1",
    "eu-west-2",      "eu-west-3",      "me-south-1", "sa-east-1",      "us-east-1",
    "us-east-2",      "us-west-1",      "us-west-2",
};
const size_t audit_n_all_regions = sizeof audit_all_regions / sizeof audit_all_regions[0];

#define IN_FLIGHT_MAX  16
#define MAX_REQUEUES   5
#define HASH_BUCKETS   4096
#define LIST_PAGE_SIZE 60

enum op_kind {
    OP_LIST,
    OP_DESCRIBE,
    OP_ROLES,
    OP_TAGMAP,
    OP_GET_ROLE,
    OP_LIST_INLINE,
    OP_GET_INLINE,
    OP_LIST_ATTACHED,
    OP_GET_POLICY,
    OP_GET_VERSION,
};

struct lane;

struct op {
    enum op_kind kind;
    struct lane *lane;
    size_t idx;  /* region, pool, role or managed policy */
    size_t slot; /* the role's policy slot (OP_GET_INLINE) */
    char *arg, *arg2;
    int requeues;
    struct op *next;
};

/* One client and its queue: a Region's cognito-identity client or a
 * partition's IAM client. */
struct lane {
    struct audit *a;
    struct api_client *client;        /* cognito-identity, or NULL */
    struct api_query_client *qc;      /* IAM, or NULL */
    char *name;                       /* Region, or partition */
    struct api_rate_limiter *limiter; /* the Region's (or partition's) quota scope */
    struct op *head, *tail;
    struct op *flying; /* started, callback not yet fired (freed by a cancel) */
    int in_flight;
};

struct region {
    struct lane lane;
    struct api_page_walk walk; /* the listing's NextToken walk (api/pagination.h) */
    bool listed;
};

struct pool {
    size_t region;
    char *id, *name;
    json_object *desc, *roles, *tagmaps, *notes; /* notes: "not audited" lines */
    int waiting;                                 /* Cognito calls outstanding */
    bool failed;       /* DescribeIdentityPool or GetIdentityPoolRoles failed */
    bool roles_wanted; /* its roles were asked for */
    bool judged;
};

struct role {
    char *arn, *name;
    size_t partition;
    struct audit_role pub;
    char *why, *found_arn, *trust_error, *perms_error;
    bool want_perms, trust_done, perms_started, perms_done;
    bool inline_listed, attached_listed;
    int pending;
    struct audit_permission_policy *pols;
    bool *owned; /* pols[i].policy belongs to the role (inline) */
    size_t n_pols;
    struct role *hash_next;
};

struct waiter {
    size_t role, slot;
};

struct managed {
    char *arn;
    size_t partition;
    struct api_policy *policy;
    char *error;
    bool done;
    struct waiter *waiters;
    size_t n_waiters;
    struct managed *hash_next;
};

struct iam_lane {
    struct lane lane;
    const struct api_partition *partition;
};

struct audit {
    const struct api_config *cfg;
    char *account;
    char *endpoint_url;
    struct region *regions;
    size_t n_regions;
    struct iam_lane *iams;
    size_t n_iams;
    struct pool **pools;
    size_t n_pools, cap_pools;
    struct role **roles;
    size_t n_roles, cap_roles;
    struct role *role_hash[HASH_BUCKETS];
    struct managed **managed;
    size_t n_managed, cap_managed;
    struct managed *managed_hash[HASH_BUCKETS];
    bool named_pools;
    int in_flight_max;
    struct audit_findings findings;
    size_t pools_audited, requests;
    bool started, cancelled, any_success, fatal, sorted;
    struct api_error fatal_err, first_err;
};

/* ---- small helpers ---- */

static size_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % HASH_BUCKETS;
}

static bool grow(void *pv, size_t *cap, size_t n, size_t size)
{
    void **p = pv;
    if (n < *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 64;
    void *g = realloc(*p, c * size);
    if (!g)
        return false;
    *p = g;
    *cap = c;
    return true;
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

static json_object *jget(json_object *o, const char *key)
{
    json_object *v = NULL;
    return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* Remembers the first error that says nothing can be reached. */
static void note_error(struct audit *a, const struct api_error *e)
{
    if (e->kind == API_ERR_CREDENTIALS && !a->fatal) {
        a->fatal = true;
        a->fatal_err = *e;
    }
    if ((e->kind == API_ERR_TRANSPORT || e->kind == API_ERR_TLS ||
         e->kind == API_ERR_CREDENTIALS) &&
        a->first_err.kind == API_ERR_NONE)
        a->first_err = *e;
}

static void one_line(const struct api_error *e, char *buf, size_t size)
{
    api_error_format(e, buf, size);
}

/* ---- records ---- */

static struct role *role_find(const struct audit *a, const char *arn)
{
    for (struct role *r = a->role_hash[hash(arn)]; r; r = r->hash_next)
        if (strcmp(r->arn, arn) == 0)
            return r;
    return NULL;
}

static size_t role_index(const struct audit *a, const struct role *r)
{
    for (size_t i = 0; i < a->n_roles; i++)
        if (a->roles[i] == r)
            return i;
    return (size_t)-1;
}

static const struct audit_role *role_lookup(void *ctx, const char *arn)
{
    struct role *r = role_find(ctx, arn);
    return r ? &r->pub : NULL;
}

static size_t partition_lane(struct audit *a, const char *region)
{
    const struct api_partition *p = api_partition_of_region(region);
    for (size_t i = 0; i < a->n_iams; i++)
        if (a->iams[i].partition == p)
            return i;
    return (size_t)-1;
}

/* ---- queues ---- */

static void pump(struct lane *l);

static void enqueue(struct lane *l, enum op_kind kind, size_t idx, size_t slot, const char *arg,
                    const char *arg2)
{
    struct op *o = calloc(1, sizeof *o);

    if (!o || (arg && !(o->arg = strdup(arg))) || (arg2 && !(o->arg2 = strdup(arg2)))) {
        if (o) {
            free(o->arg);
            free(o);
        }
        l->a->findings.failed = true;
        return;
    }
    o->kind = kind;
    o->lane = l;
    o->idx = idx;
    o->slot = slot;
    if (l->tail)
        l->tail->next = o;
    else
        l->head = o;
    l->tail = o;
}

static void requeue(struct op *o)
{
    struct lane *l = o->lane;
    o->next = NULL;
    if (l->tail)
        l->tail->next = o;
    else
        l->head = o;
    l->tail = o;
}

/* Takes o off its lane's list of requests in flight. */
static void landed(struct op *o)
{
    for (struct op **p = &o->lane->flying; *p; p = &(*p)->next)
        if (*p == o) {
            *p = o->next;
            o->next = NULL;
            return;
        }
}

static void op_free(struct op *o)
{
    free(o->arg);
    free(o->arg2);
    free(o);
}

static void handle_cognito(struct op *o, json_object *out, const struct api_error *err);
static void handle_iam(struct op *o, struct xml_node *doc, const struct api_error *err);

/* After a call (the rate limiter has already recorded every attempt of
 * it): throttling that outlived the client's retries sends the op back to
 * the queue, where it waits for a token at the rate the limiter has cut to.
 * Returns true when the op was requeued (the caller must not touch it). */
static bool answered(struct op *o, const struct api_error *err)
{
    struct lane *l = o->lane;

    landed(o);
    l->in_flight--;
    l->a->requests++;
    if (err->kind != API_ERR_NONE && api_retry_is_throttle_code(err->code) &&
        o->requeues < MAX_REQUEUES && !l->a->cancelled) {
        o->requeues++;
        requeue(o);
        return true;
    }
    return false;
}

static void cognito_done(void *ctx, json_object *out, const struct api_error *err)
{
    struct op *o = ctx;
    struct lane *l = o->lane;

    if (answered(o, err)) {
        json_object_put(out);
        pump(l);
        return;
    }
    handle_cognito(o, out, err);
    json_object_put(out);
    op_free(o);
    pump(l);
}

static void iam_done(void *ctx, struct xml_node *doc, const struct api_error *err)
{
    struct op *o = ctx;
    struct lane *l = o->lane;

    if (answered(o, err)) {
        api_xml_free(doc);
        pump(l);
        return;
    }
    handle_iam(o, doc, err);
    api_xml_free(doc);
    op_free(o);
    pump(l);
}

static const char *const iam_actions[] = {
    [OP_GET_ROLE] = "GetRole",         [OP_LIST_INLINE] = "ListRolePolicies",
    [OP_GET_INLINE] = "GetRolePolicy", [OP_LIST_ATTACHED] = "ListAttachedRolePolicies",
    [OP_GET_POLICY] = "GetPolicy",     [OP_GET_VERSION] = "GetPolicyVersion",
};

/* Starts one op. Returns 0, or -1 with err (refused before sending). */
static int start_op(struct op *o, struct api_error *err)
{
    struct audit *a = o->lane->a;

    if (o->lane->client) {
        json_object *in = json_object_new_object();
        const char *operation = NULL;
        switch (o->kind) {
        case OP_LIST:
            operation = "ListIdentityPools";
            json_object_object_add(in, "MaxResults", json_object_new_int(LIST_PAGE_SIZE));
            if (a->regions[o->idx].walk.token)
                json_object_object_add(in, "NextToken",
                                       json_object_new_string(a->regions[o->idx].walk.token));
            break;
        case OP_DESCRIBE:
        case OP_ROLES:
        case OP_TAGMAP:
            operation = o->kind == OP_DESCRIBE ? "DescribeIdentityPool"
                        : o->kind == OP_ROLES  ? "GetIdentityPoolRoles"
                                               : "GetPrincipalTagAttributeMap";
            json_object_object_add(in, "IdentityPoolId",
                                   json_object_new_string(a->pools[o->idx]->id));
            if (o->kind == OP_TAGMAP)
                json_object_object_add(in, "IdentityProviderName", json_object_new_string(o->arg));
            break;
        default:
            break;
        }
        struct api_request *r =
            api_call_start(o->lane->client, operation, in, cognito_done, o, err);
        json_object_put(in);
        return r ? 0 : -1;
    }
    struct api_query_param p[3];
    size_t n = 0;
    switch (o->kind) {
    case OP_GET_ROLE:
    case OP_LIST_INLINE:
    case OP_LIST_ATTACHED:
        p[n++] = (struct api_query_param){"RoleName", a->roles[o->idx]->name};
        if (o->arg)
            p[n++] = (struct api_query_param){"Marker", o->arg};
        break;
    case OP_GET_INLINE:
        p[n++] = (struct api_query_param){"RoleName", a->roles[o->idx]->name};
        p[n++] = (struct api_query_param){"PolicyName", o->arg};
        break;
    case OP_GET_POLICY:
        p[n++] = (struct api_query_param){"PolicyArn", a->managed[o->idx]->arn};
        break;
    case OP_GET_VERSION:
        p[n++] = (struct api_query_param){"PolicyArn", a->managed[o->idx]->arn};
        p[n++] = (struct api_query_param){"VersionId", o->arg};
        break;
    default:
        break;
    }
    return api_query_start(o->lane->qc, iam_actions[o->kind], p, n, iam_done, o, err) ? 0 : -1;
}

static void pump(struct lane *l)
{
    while (l->head && l->in_flight < l->a->in_flight_max && !l->a->cancelled) {
        struct op *o = l->head;
        struct api_error err;
        l->head = o->next;
        if (!l->head)
            l->tail = NULL;
        o->next = l->flying;
        l->flying = o;
        l->in_flight++;
        if (start_op(o, &err) != 0) {
            /* refused before sending: handled as an answer */
            landed(o);
            l->in_flight--;
            if (l->client)
                handle_cognito(o, NULL, &err);
            else
                handle_iam(o, NULL, &err);
            op_free(o);
        }
    }
}

/* ---- pools ---- */

static void judge_ready(struct audit *a);

static struct pool *pool_add(struct audit *a, size_t region, const char *id, const char *name)
{
    struct pool *p;

    for (size_t i = 0; i < a->n_pools; i++)
        if (strcmp(a->pools[i]->id, id) == 0)
            return NULL; /* named twice, or listed again */
    if (!grow(&a->pools, &a->cap_pools, a->n_pools, sizeof *a->pools) ||
        !(p = calloc(1, sizeof *p)) || !(p->id = strdup(id)) ||
        !(p->name = strdup(name ? name : ""))) {
        a->findings.failed = true;
        return NULL;
    }
    p->region = region;
    p->notes = json_object_new_array();
    a->pools[a->n_pools++] = p;
    size_t idx = a->n_pools - 1;
    p->waiting = 2;
    enqueue(&a->regions[region].lane, OP_DESCRIBE, idx, 0, NULL, NULL);
    enqueue(&a->regions[region].lane, OP_ROLES, idx, 0, NULL, NULL);
    return p;
}

static void pool_note(struct pool *p, const char *subject, const char *what,
                      const struct api_error *err)
{
    char line[1500], e[1200];
    one_line(err, e, sizeof e);
    snprintf(line, sizeof line, "%s %.200s: %s", subject, what, e);
    json_object_array_add(p->notes, json_object_new_string(line));
}

/* The providers whose principal tag maps the pool may have. */
static void ask_tag_maps(struct audit *a, size_t idx)
{
    struct pool *p = a->pools[idx];
    struct lane *l = &a->regions[p->region].lane;
    json_object *v;

    if ((v = jget(p->desc, "SupportedLoginProviders")) &&
        json_object_is_type(v, json_type_object)) {
        json_object_object_foreach(v, name, id)
        {
            (void)id;
            p->waiting++;
            enqueue(l, OP_TAGMAP, idx, 0, name, NULL);
        }
    }
    static const char *const lists[] = {"CognitoIdentityProviders", "OpenIdConnectProviderARNs",
                                        "SamlProviderARNs"};
    for (size_t k = 0; k < 3; k++) {
        v = jget(p->desc, lists[k]);
        for (size_t i = 0;
             v && json_object_is_type(v, json_type_array) && i < json_object_array_length(v); i++) {
            json_object *e = json_object_array_get_idx(v, i);
            const char *name = k == 0 ? jstr(e, "ProviderName") : json_object_get_string(e);
            if (!name)
                continue;
            p->waiting++;
            enqueue(l, OP_TAGMAP, idx, 0, name, NULL);
        }
    }
}

/* ---- roles ---- */

static void role_resolved(struct audit *a)
{
    judge_ready(a);
}

static void role_start_permissions(struct audit *a, size_t idx)
{
    struct role *r = a->roles[idx];
    struct lane *l = &a->iams[r->partition].lane;

    if (r->perms_started || r->pub.state != AUDIT_ROLE_OK)
        return;
    r->perms_started = true;
    r->pending = 2;
    enqueue(l, OP_LIST_INLINE, idx, 0, NULL, NULL);
    enqueue(l, OP_LIST_ATTACHED, idx, 0, NULL, NULL);
}

static void role_fail(struct role *r, enum audit_role_state state, const char *why)
{
    free(r->why);
    r->why = strdup(why);
    r->pub.why = r->why;
    r->pub.state = state;
    r->trust_done = true;
    r->perms_done = true;
}

/* Makes sure the role is (being) fetched, with its permissions when asked. */
static void role_want(struct audit *a, const char *arn, bool perms)
{
    struct role *r = role_find(a, arn);
    const char *problem;

    if (!r) {
        if (!grow(&a->roles, &a->cap_roles, a->n_roles, sizeof *a->roles) ||
            !(r = calloc(1, sizeof *r)) || !(r->arn = strdup(arn))) {
            free(r);
            a->findings.failed = true;
            return;
        }
        r->pub.arn = r->arn;
        r->pub.state = AUDIT_ROLE_PENDING;
        size_t h = hash(arn);
        r->hash_next = a->role_hash[h];
        a->role_hash[h] = r;
        a->roles[a->n_roles++] = r;
        size_t idx = a->n_roles - 1;
        struct api_arn parsed;
        const char *why = NULL;
        if ((problem = api_role_arn_problem(arn))) {
            char msg[300];
            snprintf(msg, sizeof msg, "not a role ARN: %s", problem);
            role_fail(r, AUDIT_ROLE_MISSING, msg);
            return;
        }
        api_arn_parse(arn, &parsed, &why);
        r->name = strdup(api_role_name_of_arn(arn));
        const struct api_partition *part = api_partition_named(parsed.partition);
        r->partition = (size_t)-1;
        for (size_t i = 0; part && i < a->n_iams; i++)
            if (a->iams[i].partition == part)
                r->partition = i;
        if (a->account && a->account[0] && strcmp(parsed.account, a->account) != 0) {
            char msg[300];
            snprintf(msg, sizeof msg,
                     "the role belongs to account %s, not the audited account %s (IAM reads only "
                     "the caller's own roles)",
                     parsed.account, a->account);
            role_fail(r, AUDIT_ROLE_UNREADABLE, msg);
            return;
        }
        if (r->partition == (size_t)-1 || !r->name) {
            role_fail(r, AUDIT_ROLE_UNREADABLE,
                      "no IAM client for the role's partition (its pools are in another one)");
            return;
        }
        r->want_perms = perms;
        enqueue(&a->iams[r->partition].lane, OP_GET_ROLE, idx, 0, NULL, NULL);
        return;
    }
    if (perms && !r->want_perms) {
        r->want_perms = true;
        if (r->trust_done) {
            r->perms_done = false;
            role_start_permissions(a, role_index(a, r));
            if (!r->perms_started)
                r->perms_done = true;
        }
    }
}

static bool role_complete(const struct role *r)
{
    return r->trust_done && (!r->want_perms || r->perms_done);
}

static void role_check_done(struct audit *a, struct role *r)
{
    if (r->perms_started && r->pending == 0 && r->inline_listed && r->attached_listed &&
        !r->perms_done) {
        r->perms_done = true;
        r->pub.permissions_read = r->perms_error == NULL;
        r->pub.policies = r->pols;
        r->pub.n_policies = r->n_pols;
        role_resolved(a);
    }
}

static void perms_fail(struct audit *a, struct role *r, const struct api_error *err)
{
    char e[1200];
    if (!r->perms_error) {
        one_line(err, e, sizeof e);
        r->perms_error = strdup(e);
        r->pub.permissions_error = r->perms_error;
    }
    (void)a;
}

/* A slot for one permission policy of a role; returns its index. */
static size_t role_slot(struct role *r, const char *name, bool owned)
{
    struct audit_permission_policy *g = realloc(r->pols, (r->n_pols + 1) * sizeof *g);
    bool *o = g ? realloc(r->owned, (r->n_pols + 1) * sizeof *o) : NULL;

    if (g)
        r->pols = g;
    if (!g || !o)
        return (size_t)-1;
    r->owned = o;
    r->pols[r->n_pols] = (struct audit_permission_policy){strdup(name), NULL, NULL};
    r->owned[r->n_pols] = owned;
    return r->n_pols++;
}

static void parse_into(struct role *r, size_t slot, const char *text)
{
    struct api_error e;
    struct api_policy *p = api_policy_parse(text, strlen(text), &e);
    r->pols[slot].policy = p;
    if (!p)
        r->pols[slot].error = strdup(e.message);
}

/* ---- managed policies (each fetched once) ---- */

static void managed_finish(struct audit *a, struct managed *m)
{
    m->done = true;
    for (size_t i = 0; i < m->n_waiters; i++) {
        struct role *r = a->roles[m->waiters[i].role];
        size_t s = m->waiters[i].slot;
        r->pols[s].policy = m->policy;
        if (!m->policy)
            r->pols[s].error = m->error ? strdup(m->error) : strdup("no document");
        r->pending--;
        role_check_done(a, r);
    }
    free(m->waiters);
    m->waiters = NULL;
    m->n_waiters = 0;
}

static void managed_want(struct audit *a, size_t role_idx, const char *arn)
{
    struct role *r = a->roles[role_idx];
    size_t slot = role_slot(r, arn, false);
    struct managed *m = NULL;

    if (slot == (size_t)-1) {
        a->findings.failed = true;
        return;
    }
    for (m = a->managed_hash[hash(arn)]; m && strcmp(m->arn, arn) != 0; m = m->hash_next)
        ;
    if (m && m->done) {
        r->pols[slot].policy = m->policy;
        if (!m->policy)
            r->pols[slot].error = m->error ? strdup(m->error) : NULL;
        return;
    }
    if (!m) {
        if (!grow(&a->managed, &a->cap_managed, a->n_managed, sizeof *a->managed) ||
            !(m = calloc(1, sizeof *m)) || !(m->arn = strdup(arn))) {
            free(m);
            a->findings.failed = true;
            return;
        }
        m->partition = r->partition;
        size_t h = hash(arn);
        m->hash_next = a->managed_hash[h];
        a->managed_hash[h] = m;
        a->managed[a->n_managed++] = m;
        enqueue(&a->iams[m->partition].lane, OP_GET_POLICY, a->n_managed - 1, 0, NULL, NULL);
    }
    struct waiter *w = realloc(m->waiters, (m->n_waiters + 1) * sizeof *w);
    if (!w) {
        a->findings.failed = true;
        return;
    }
    m->waiters = w;
    m->waiters[m->n_waiters++] = (struct waiter){role_idx, slot};
    r->pending++;
}

/* ---- answers ---- */

static void handle_iam(struct op *o, struct xml_node *doc, const struct api_error *err)
{
    struct audit *a = o->lane->a;
    struct api_error e;
    char line[1200];

    if (err->kind != API_ERR_NONE)
        note_error(a, err);
    else
        a->any_success = true;
    if (o->kind == OP_GET_POLICY || o->kind == OP_GET_VERSION) {
        struct managed *m = a->managed[o->idx];
        char *text = NULL;
        if (err->kind != API_ERR_NONE) {
            one_line(err, line, sizeof line);
            m->error = strdup(line);
            managed_finish(a, m);
        } else if (o->kind == OP_GET_POLICY) {
            if (api_iam_read_default_version(doc, &text, &e) != 0) {
                m->error = strdup(e.message);
                managed_finish(a, m);
            } else {
                enqueue(o->lane, OP_GET_VERSION, o->idx, 0, text, NULL);
            }
            free(text);
        } else {
            if (api_iam_read_document(doc, "GetPolicyVersion", &text, &e) != 0) {
                m->error = strdup(e.message);
            } else {
                m->policy = api_policy_parse(text, strlen(text), &e);
                if (!m->policy)
                    m->error = strdup(e.message);
            }
            free(text);
            managed_finish(a, m);
        }
        return;
    }

    struct role *r = a->roles[o->idx];
    size_t idx = o->idx;
    switch (o->kind) {
    case OP_GET_ROLE: {
        struct api_iam_role role;
        if (err->kind != API_ERR_NONE) {
            one_line(err, line, sizeof line);
            role_fail(r,
                      strcmp(err->code, "NoSuchEntity") == 0 ? AUDIT_ROLE_MISSING
                                                             : AUDIT_ROLE_UNREADABLE,
                      line);
            role_resolved(a);
            return;
        }
        if (api_iam_read_role(doc, &role, &e) != 0) {
            role_fail(r, AUDIT_ROLE_UNREADABLE, e.message);
            role_resolved(a);
            return;
        }
        if (strcmp(role.arn, r->arn) != 0) {
            struct api_arn mine, theirs;
            const char *why;
            bool same_account = api_arn_parse(r->arn, &mine, &why) == 0 &&
                                api_arn_parse(role.arn, &theirs, &why) == 0 &&
                                strcmp(mine.account, theirs.account) == 0;
            if (same_account) {
                role_fail(r, AUDIT_ROLE_MISSING, "NoSuchEntity: no role at this ARN's path");
                r->found_arn = strdup(role.arn);
                r->pub.found_arn = r->found_arn;
            } else {
                snprintf(line, sizeof line,
                         "the role belongs to another account than the caller's (%s was read "
                         "instead)",
                         role.arn);
                role_fail(r, AUDIT_ROLE_UNREADABLE, line);
            }
            api_iam_role_clear(&role);
            role_resolved(a);
            return;
        }
        r->pub.trust = api_policy_parse(role.trust_policy, strlen(role.trust_policy), &e);
        if (!r->pub.trust) {
            r->trust_error = strdup(e.message);
            r->pub.trust_error = r->trust_error;
        }
        api_iam_role_clear(&role);
        r->pub.state = AUDIT_ROLE_OK;
        r->trust_done = true;
        if (r->want_perms)
            role_start_permissions(a, idx);
        else
            r->perms_done = true;
        role_resolved(a);
        return;
    }
    case OP_LIST_INLINE:
    case OP_LIST_ATTACHED: {
        bool inl = o->kind == OP_LIST_INLINE;
        if (err->kind != API_ERR_NONE) {
            perms_fail(a, r, err);
        } else {
            int rc;
            char *marker = o->arg ? strdup(o->arg) : NULL;
            if (inl) {
                char **names = NULL;
                size_t n = 0;
                rc = api_iam_read_policy_names(doc, &names, &n, &e);
                for (size_t i = 0; rc == 0 && i < n; i++) {
                    size_t slot = role_slot(r, names[i], true);
                    if (slot == (size_t)-1)
                        continue;
                    r->pending++;
                    enqueue(o->lane, OP_GET_INLINE, idx, slot, names[i], NULL);
                }
                api_iam_strings_free(names, n);
            } else {
                struct api_iam_attached_policy *att = NULL;
                size_t n = 0;
                rc = api_iam_read_attached(doc, &att, &n, &e);
                for (size_t i = 0; rc == 0 && i < n; i++)
                    managed_want(a, idx, att[i].arn);
                api_iam_attached_free(att, n);
            }
            if (rc != 0) {
                perms_fail(a, r, &e);
            } else if (api_iam_next_marker(doc,
                                           inl ? "ListRolePolicies" : "ListAttachedRolePolicies",
                                           &marker) == 1) {
                enqueue(o->lane, o->kind, idx, 0, marker, NULL);
                free(marker);
                return; /* the listing goes on */
            }
            free(marker);
        }
        if (inl)
            r->inline_listed = true;
        else
            r->attached_listed = true;
        r->pending--;
        role_check_done(a, r);
        return;
    }
    case OP_GET_INLINE: {
        char *text = NULL;
        if (err->kind != API_ERR_NONE)
            perms_fail(a, r, err);
        else if (api_iam_read_document(doc, "GetRolePolicy", &text, &e) != 0)
            perms_fail(a, r, &e);
        else
            parse_into(r, o->slot, text);
        free(text);
        r->pending--;
        role_check_done(a, r);
        return;
    }
    default:
        return;
    }
}

/* The roles a pool names, and which of them the checks need the
 * permissions of (the guest role with guests allowed; the default and rule
 * roles of a mapping that falls back to the default role or maps on a
 * custom: claim). */
static void want_pool_roles(struct audit *a, struct pool *p)
{
    json_object *roles = jget(p->roles, "Roles"), *maps = jget(p->roles, "RoleMappings");
    bool guests = json_object_get_boolean(jget(p->desc, "AllowUnauthenticatedIdentities"));
    bool compare = false;

    p->roles_wanted = true;
    if (maps && json_object_is_type(maps, json_type_object)) {
        json_object_object_foreach(maps, prov, m)
        {
            (void)prov;
            const char *amb = jstr(m, "AmbiguousRoleResolution");
            json_object *rules = jget(jget(m, "RulesConfiguration"), "Rules");
            if (amb && strcmp(amb, "AuthenticatedRole") == 0)
                compare = true;
            for (size_t i = 0; rules && json_object_is_type(rules, json_type_array) &&
                               i < json_object_array_length(rules);
                 i++) {
                const char *claim = jstr(json_object_array_get_idx(rules, i), "Claim");
                if (claim && strncmp(claim, "custom:", 7) == 0)
                    compare = true;
            }
        }
        json_object_object_foreach(maps, prov2, m2)
        {
            (void)prov2;
            json_object *rules = jget(jget(m2, "RulesConfiguration"), "Rules");
            for (size_t i = 0; rules && json_object_is_type(rules, json_type_array) &&
                               i < json_object_array_length(rules);
                 i++) {
                const char *arn = jstr(json_object_array_get_idx(rules, i), "RoleARN");
                if (arn)
                    role_want(a, arn, compare);
            }
        }
    }
    const char *auth = jstr(roles, "authenticated"), *unauth = jstr(roles, "unauthenticated");
    if (auth)
        role_want(a, auth, compare);
    if (unauth)
        role_want(a, unauth, guests);
}

static bool pool_ready(const struct audit *a, const struct pool *p)
{
    struct usage_list {
        const char *v[160];
        size_t n;
    } u = {{0}, 0};
    json_object *roles = jget(p->roles, "Roles"), *maps = jget(p->roles, "RoleMappings");

    if (p->judged || p->waiting > 0 || (!p->failed && !p->roles_wanted))
        return false;
    if (p->failed)
        return true;
    u.v[u.n++] = jstr(roles, "authenticated");
    u.v[u.n++] = jstr(roles, "unauthenticated");
    if (maps && json_object_is_type(maps, json_type_object)) {
        json_object_object_foreach(maps, prov, m)
        {
            (void)prov;
            json_object *rules = jget(jget(m, "RulesConfiguration"), "Rules");
            for (size_t i = 0; rules && json_object_is_type(rules, json_type_array) &&
                               i < json_object_array_length(rules) && u.n < 160;
                 i++)
                u.v[u.n++] = jstr(json_object_array_get_idx(rules, i), "RoleARN");
        }
    }
    for (size_t i = 0; i < u.n; i++) {
        const struct role *r = u.v[i] ? role_find(a, u.v[i]) : NULL;
        if (u.v[i] && (!r || !role_complete(r)))
            return false;
    }
    return true;
}

static void judge(struct audit *a, struct pool *p)
{
    const struct audit_check *na = audit_check_find("CIP-000");
    const char *region = a->regions[p->region].lane.name;

    p->judged = true;
    for (size_t i = 0; i < json_object_array_length(p->notes); i++) {
        json_object *ev = json_object_new_object();
        const char *line = json_object_get_string(json_object_array_get_idx(p->notes, i));
        json_object_object_add(ev, "error", json_object_new_string(line));
        audit_add(&a->findings, na, region, p->id, p->name, p->id, ev, NULL, "not audited: %s",
                  line);
    }
    if (p->failed)
        return;
    struct audit_pool_view v = {region,   p->id,      p->name,     p->desc,
                                p->roles, p->tagmaps, role_lookup, a};
    audit_run_checks(&v, &a->findings);
    a->pools_audited++;
}

static void judge_ready(struct audit *a)
{
    for (size_t i = 0; i < a->n_pools; i++)
        if (pool_ready(a, a->pools[i]))
            judge(a, a->pools[i]);
}

static void pool_step(struct audit *a, size_t idx)
{
    struct pool *p = a->pools[idx];

    if (!p->failed && p->desc && p->roles && !p->roles_wanted)
        want_pool_roles(a, p);
    if (pool_ready(a, p))
        judge(a, p);
}

static void handle_cognito(struct op *o, json_object *out, const struct api_error *err)
{
    struct audit *a = o->lane->a;

    if (err->kind != API_ERR_NONE)
        note_error(a, err);
    else
        a->any_success = true;
    if (o->kind == OP_LIST) {
        struct region *rg = &a->regions[o->idx];
        if (err->kind != API_ERR_NONE) {
            const struct audit_check *na = audit_check_find("CIP-000");
            json_object *ev = json_object_new_object();
            char line[1200];
            one_line(err, line, sizeof line);
            json_object_object_add(ev, "error", json_object_new_string(line));
            audit_add(&a->findings, na, rg->lane.name, "", "", rg->lane.name, ev, NULL,
                      "not audited: the pools of %s could not be listed: %s", rg->lane.name, line);
            rg->listed = true;
            return;
        }
        json_object *list = jget(out, "IdentityPools");
        for (size_t i = 0; list && json_object_is_type(list, json_type_array) &&
                           i < json_object_array_length(list);
             i++) {
            json_object *e = json_object_array_get_idx(list, i);
            const char *id = jstr(e, "IdentityPoolId");
            if (id)
                pool_add(a, o->idx, id, jstr(e, "IdentityPoolName"));
        }
        enum api_page_step step = api_page_advance(&rg->walk, out);
        struct api_error stop;
        api_error_clear(&stop);
        if (step == API_PAGE_NEXT) {
            enqueue(&rg->lane, OP_LIST, o->idx, 0, NULL, NULL);
            return;
        }
        if (api_page_error(step, &rg->walk, "ListIdentityPools", &stop) < 0) {
            const struct audit_check *na = audit_check_find("CIP-000");
            json_object *ev = json_object_new_object();
            char line[1200];
            one_line(&stop, line, sizeof line);
            json_object_object_add(ev, "error", json_object_new_string(line));
            audit_add(&a->findings, na, rg->lane.name, "", "", rg->lane.name, ev, NULL,
                      "not audited: the pools of %s could not be listed: %s", rg->lane.name, line);
        }
        rg->listed = true;
        return;
    }
    struct pool *p = a->pools[o->idx];
    p->waiting--;
    switch (o->kind) {
    case OP_DESCRIBE:
    case OP_ROLES:
        if (err->kind != API_ERR_NONE) {
            if (!p->failed)
                pool_note(p, "pool", p->id, err);
            p->failed = true;
        } else if (o->kind == OP_DESCRIBE) {
            p->desc = json_object_get(out);
            const char *name = jstr(out, "IdentityPoolName");
            if (name && !p->name[0]) {
                free(p->name);
                p->name = strdup(name);
            }
            ask_tag_maps(a, o->idx);
        } else {
            p->roles = json_object_get(out);
        }
        break;
    case OP_TAGMAP:
        if (err->kind == API_ERR_NONE) {
            if (!p->tagmaps)
                p->tagmaps = json_object_new_object();
            json_object_object_add(p->tagmaps, o->arg, json_object_get(out));
        } else if (strcmp(err->code, "ResourceNotFoundException") != 0) {
            pool_note(p, "principal tags of provider", o->arg, err);
        }
        break;
    default:
        break;
    }
    pool_step(a, o->idx);
}

/* ---- life cycle ---- */

/* Frees the queue and the ops of requests in flight: call it only with the
 * lane's client freed or about to be (which drops them without callbacks). */
static void lane_drop(struct lane *l)
{
    for (struct op **list = &l->head; list; list = list == &l->head ? &l->flying : NULL)
        while (*list) {
            struct op *o = *list;
            *list = o->next;
            op_free(o);
        }
    l->tail = NULL;
}

static bool valid_region(const char *r)
{
    return r && api_region_valid(r);
}

struct audit *audit_new(const struct api_config *cfg, const struct audit_options *opt,
                        struct api_error *err)
{
    struct audit *a = calloc(1, sizeof *a);
    const char *one[1] = {cfg->region};
    const char *const *regions = opt && opt->n_regions ? opt->regions : one;
    size_t n_regions = opt && opt->n_regions ? opt->n_regions : 1;
    struct aws_files files;
    bool files_loaded = false;
    char(*pool_regions)[64] = NULL;
    /* AWS publishes no rate for any call the audit makes (api/quotas.h,
     * api/iam.h): plain adaptive, its rate learnt from throttling. */
    const struct api_rate_limiter_options limiter_opt = {0};

    if (!a) {
        api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
        return NULL;
    }
    a->cfg = cfg;
    a->in_flight_max = opt && opt->window > 0 ? opt->window : IN_FLIGHT_MAX;
    if (opt && opt->account && opt->account[0])
        a->account = strdup(opt->account);
    /* named pools add their Regions */
    const char **all = calloc(n_regions + (opt ? opt->n_pools : 0) + 1, sizeof *all);
    size_t n_all = 0;
    if (!all)
        goto oom;
    for (size_t i = 0; i < n_regions; i++)
        all[n_all++] = regions[i];
    pool_regions = calloc(opt && opt->n_pools ? opt->n_pools : 1, sizeof *pool_regions);
    if (!pool_regions)
        goto oom;
    for (size_t i = 0; opt && i < opt->n_pools; i++) {
        const char *colon = strchr(opt->pools[i], ':');
        if (!colon || colon == opt->pools[i] || (size_t)(colon - opt->pools[i]) >= 64) {
            api_error_set(err, API_ERR_INVALID_INPUT,
                          "--pool %.100s is not an identity pool id (REGION:GUID)", opt->pools[i]);
            free(all);
            free(pool_regions);
            audit_free(a);
            return NULL;
        }
        snprintf(pool_regions[i], sizeof pool_regions[i], "%.*s", (int)(colon - opt->pools[i]),
                 opt->pools[i]);
        if (!opt->n_regions && n_all == 1 && i == 0)
            n_all = 0; /* named pools alone decide the Regions */
        all[n_all++] = pool_regions[i];
    }
    a->regions = calloc(n_all ? n_all : 1, sizeof *a->regions);
    if (!a->regions)
        goto oom;
    if (aws_files_load(&files, err) != 0) {
        free(all);
        free(pool_regions);
        audit_free(a);
        return NULL;
    }
    files_loaded = true;
    for (size_t i = 0; i < n_all; i++) {
        bool dup = false;
        for (size_t k = 0; k < a->n_regions; k++)
            dup = dup || strcmp(a->regions[k].lane.name, all[i]) == 0;
        if (dup)
            continue;
        if (!valid_region(all[i])) {
            api_error_set(err, API_ERR_INVALID_INPUT, "not a Region name: %.100s", all[i]);
            goto fail;
        }
        struct region *rg = &a->regions[a->n_regions];
        struct api_client_options co = {0};
        char *url = NULL;
        rg->lane.a = a;
        rg->lane.name = strdup(all[i]);
        a->n_regions++;
        if (!rg->lane.name || !(rg->lane.limiter = api_rate_limiter_new(&limiter_opt)))
            goto oom_files;
        if (api_endpoint_resolve(&api_endpoint_cognito_identity, &files, cfg->profile,
                                 opt ? opt->endpoint_url : NULL, all[i], &url, err) != 0)
            goto fail;
        co.region = all[i];
        co.endpoint_url = url;
        co.ca_bundle = cfg->ca_bundle;
        co.read_only = cfg->read_only;
        co.max_attempts = cfg->max_attempts;
        co.credentials = cfg->credentials;
        rg->lane.client = api_client_new(&co, err);
        free(url);
        if (!rg->lane.client)
            goto fail;
        api_client_set_rate_limiter(rg->lane.client, rg->lane.limiter);
        /* one IAM client per partition */
        const struct api_partition *part = api_partition_of_region(all[i]);
        if (partition_lane(a, all[i]) == (size_t)-1) {
            struct iam_lane *g = realloc(a->iams, (a->n_iams + 1) * sizeof *g);
            if (!g)
                goto oom_files;
            a->iams = g;
            struct iam_lane *il = &a->iams[a->n_iams];
            memset(il, 0, sizeof *il);
            il->partition = part;
            il->lane.a = a;
            il->lane.name = strdup(part->name);
            il->lane.limiter = api_rate_limiter_new(&limiter_opt);
            il->lane.qc = api_iam_client_new(cfg, all[i], err);
            a->n_iams++;
            if (!il->lane.qc)
                goto fail;
            if (!il->lane.name || !il->lane.limiter)
                goto oom_files;
            api_query_set_rate_limiter(il->lane.qc, il->lane.limiter);
        }
    }
    for (size_t i = 0; opt && i < opt->n_pools; i++) {
        size_t r = 0;
        while (r < a->n_regions && strcmp(a->regions[r].lane.name, pool_regions[i]) != 0)
            r++;
        if (r < a->n_regions)
            pool_add(a, r, opt->pools[i], NULL);
    }
    a->named_pools = opt && opt->n_pools > 0;
    if (a->named_pools)
        for (size_t r = 0; r < a->n_regions; r++)
            a->regions[r].listed = true;
    aws_files_free(&files);
    free(all);
    free(pool_regions);
    return a;
oom_files:
    api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
fail:
    if (files_loaded)
        aws_files_free(&files);
    free(all);
    free(pool_regions);
    audit_free(a);
    return NULL;
oom:
    api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    free(all);
    free(pool_regions);
    audit_free(a);
    return NULL;
}

int audit_start(struct audit *a, struct api_error *err)
{
    (void)err;
    if (a->started)
        return 0;
    a->started = true;
    for (size_t r = 0; r < a->n_regions; r++) {
        if (!a->named_pools)
            enqueue(&a->regions[r].lane, OP_LIST, r, 0, NULL, NULL);
        pump(&a->regions[r].lane);
    }
    return 0;
}

int audit_pollfds(struct audit *a, struct pollfd *fds, int max, int *timeout_ms)
{
    int n = 0, t = -1;

    for (size_t r = 0; r < a->n_regions && n < max; r++) {
        int tt = -1;
        if (!a->regions[r].lane.client)
            continue;
        n += api_client_pollfds(a->regions[r].lane.client, fds + n, max - n, &tt);
        if (tt >= 0 && (t < 0 || tt < t))
            t = tt;
    }
    for (size_t i = 0; i < a->n_iams && n < max; i++) {
        int tt = -1;
        if (!a->iams[i].lane.qc)
            continue;
        n += api_query_pollfds(a->iams[i].lane.qc, fds + n, max - n, &tt);
        if (tt >= 0 && (t < 0 || tt < t))
            t = tt;
    }
    if (timeout_ms)
        *timeout_ms = t;
    return n;
}

void audit_perform(struct audit *a)
{
    for (size_t r = 0; r < a->n_regions && !a->cancelled; r++) {
        api_client_perform(a->regions[r].lane.client);
        pump(&a->regions[r].lane);
    }
    for (size_t i = 0; i < a->n_iams && !a->cancelled; i++) {
        api_query_perform(a->iams[i].lane.qc);
        pump(&a->iams[i].lane);
    }
}

static bool idle(const struct audit *a)
{
    for (size_t r = 0; r < a->n_regions; r++)
        if (a->regions[r].lane.head || a->regions[r].lane.in_flight > 0 || !a->regions[r].listed)
            return false;
    for (size_t i = 0; i < a->n_iams; i++)
        if (a->iams[i].lane.head || a->iams[i].lane.in_flight > 0)
            return false;
    return true;
}

/* Pools still unjudged once nothing moves (cancelled, or a bug): reported. */
static void close_out(struct audit *a)
{
    const struct audit_check *na = audit_check_find("CIP-000");

    for (size_t i = 0; i < a->n_pools; i++) {
        struct pool *p = a->pools[i];
        if (p->judged)
            continue;
        p->judged = true;
        json_object *ev = json_object_new_object();
        json_object_object_add(ev, "error",
                               json_object_new_string(a->cancelled ? "cancelled" : "incomplete"));
        audit_add(&a->findings, na, a->regions[p->region].lane.name, p->id, p->name, p->id, ev,
                  NULL, "not audited: pool %s: %s", p->id,
                  a->cancelled ? "the audit was cancelled" : "its data did not all arrive");
    }
    if (!a->sorted) {
        audit_findings_sort(&a->findings);
        a->sorted = true;
    }
}

bool audit_finished(const struct audit *a)
{
    if (!a->started)
        return false;
    if (a->fatal || a->cancelled || idle(a)) {
        close_out((struct audit *)a);
        return true;
    }
    return false;
}

void audit_get_progress(const struct audit *a, struct audit_progress *p)
{
    memset(p, 0, sizeof *p);
    p->regions = a->n_regions;
    for (size_t r = 0; r < a->n_regions; r++)
        p->regions_listed += a->regions[r].listed;
    p->pools = a->n_pools;
    for (size_t i = 0; i < a->n_pools; i++)
        p->pools_done += a->pools[i]->judged;
    p->roles = a->n_roles;
    for (size_t i = 0; i < a->n_roles; i++)
        p->roles_done += role_complete(a->roles[i]);
    p->requests = a->requests;
}

void audit_cancel(struct audit *a)
{
    a->cancelled = true;
    for (size_t r = 0; r < a->n_regions; r++) {
        lane_drop(&a->regions[r].lane);
        api_client_free(a->regions[r].lane.client); /* drops requests without callbacks */
        a->regions[r].lane.client = NULL;
        a->regions[r].lane.in_flight = 0;
        a->regions[r].listed = true;
    }
    for (size_t i = 0; i < a->n_iams; i++) {
        lane_drop(&a->iams[i].lane);
        api_query_client_free(a->iams[i].lane.qc);
        a->iams[i].lane.qc = NULL;
        a->iams[i].lane.in_flight = 0;
    }
}

int audit_run(struct audit *a, void (*progress)(void *ctx, const struct audit_progress *p),
              void *ctx, struct api_error *err)
{
    struct pollfd fds[256];

    if (audit_start(a, err) != 0)
        return -1;
    while (!audit_finished(a)) {
        int timeout = -1;
        int n = audit_pollfds(a, fds, 256, &timeout);
        if (n > 0 || timeout >= 0)
            poll(fds, (nfds_t)n, timeout < 0 ? 1000 : timeout);
        audit_perform(a);
        if (progress) {
            struct audit_progress p;
            audit_get_progress(a, &p);
            progress(ctx, &p);
        }
    }
    return audit_error(a, err);
}

const struct audit_findings *audit_findings(const struct audit *a)
{
    return &a->findings;
}

size_t audit_pools_audited(const struct audit *a)
{
    return a->pools_audited;
}

size_t audit_region_count(const struct audit *a)
{
    return a->n_regions;
}

const char *audit_region(const struct audit *a, size_t i)
{
    return i < a->n_regions ? a->regions[i].lane.name : NULL;
}

int audit_error(const struct audit *a, struct api_error *err)
{
    if (a->fatal) {
        *err = a->fatal_err;
        return -1;
    }
    if (!a->any_success && a->first_err.kind != API_ERR_NONE && a->pools_audited == 0) {
        *err = a->first_err;
        return -1;
    }
    if (a->findings.failed)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory: the audit is incomplete");
    return 0;
}

void audit_free(struct audit *a)
{
    if (!a)
        return;
    for (size_t r = 0; r < a->n_regions; r++) {
        lane_drop(&a->regions[r].lane);
        api_client_free(a->regions[r].lane.client);
        api_rate_limiter_free(a->regions[r].lane.limiter);
        free(a->regions[r].lane.name);
        api_page_walk_free(&a->regions[r].walk);
    }
    free(a->regions);
    for (size_t i = 0; i < a->n_iams; i++) {
        lane_drop(&a->iams[i].lane);
        api_query_client_free(a->iams[i].lane.qc);
        api_rate_limiter_free(a->iams[i].lane.limiter);
        free(a->iams[i].lane.name);
    }
    free(a->iams);
    for (size_t i = 0; i < a->n_pools; i++) {
        struct pool *p = a->pools[i];
        free(p->id);
        free(p->name);
        json_object_put(p->desc);
        json_object_put(p->roles);
        json_object_put(p->tagmaps);
        json_object_put(p->notes);
        free(p);
    }
    free(a->pools);
    for (size_t i = 0; i < a->n_roles; i++) {
        struct role *r = a->roles[i];
        for (size_t k = 0; k < r->n_pols; k++) {
            free((char *)r->pols[k].name);
            free((char *)r->pols[k].error);
            if (r->owned[k])
                api_policy_free(r->pols[k].policy);
        }
        free(r->pols);
        free(r->owned);
        api_policy_free(r->pub.trust);
        free(r->arn);
        free(r->name);
        free(r->why);
        free(r->found_arn);
        free(r->trust_error);
        free(r->perms_error);
        free(r);
    }
    free(a->roles);
    for (size_t i = 0; i < a->n_managed; i++) {
        struct managed *m = a->managed[i];
        api_policy_free(m->policy);
        free(m->arn);
        free(m->error);
        free(m->waiters);
        free(m);
    }
    free(a->managed);
    audit_findings_free(&a->findings);
    free(a->account);
    free(a->endpoint_url);
    free(a);
}
