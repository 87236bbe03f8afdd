/* api/policy.c — see policy.h. json-c parses; this file checks the shape,
 * keeps pointers into the JSON, and evaluates. */
#include "api/policy.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_JSON_DEPTH 32

struct api_policy {
    json_object *doc;
    struct api_policy_statement *st;
    size_t n;
    /* Strings made here (booleans and numbers of conditions, "*"), owned. */
    char **owned;
    size_t n_owned;
};

/* ---- patterns ---- */

static int fold(int c, bool ignore_case)
{
    return ignore_case ? tolower((unsigned char)c) : (unsigned char)c;
}

bool api_policy_glob_match(const char *pattern, const char *text, bool ignore_case)
{
    /* Iterative with one backtrack point: linear-ish, no recursion depth. */
    const char *p = pattern, *t = text, *star = NULL, *mark = NULL;

    while (*t) {
        if (*p == '*') {
            star = p++;
            mark = t;
        } else if (*p && (*p == '?' || fold(*p, ignore_case) == fold(*t, ignore_case))) {
            p++;
            t++;
        } else if (star) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

/* Pattern intersection as a walk over pairs of positions (a product
 * automaton); `seen` marks visited pairs so the walk is quadratic at most. */
static bool overlap_from(const char *a, size_t i, size_t la, const char *b, size_t j, size_t lb,
                         unsigned char *seen, bool ic)
{
    size_t *stack = malloc(sizeof *stack * 2 * (la + 1) * (lb + 1));
    size_t top = 0;
    bool found = false;

    if (!stack)
        return true; /* out of memory: say "may overlap", the cautious answer */
    stack[top++] = i;
    stack[top++] = j;
    seen[i * (lb + 1) + j] = 1;
    while (top && !found) {
        size_t y = stack[--top], x = stack[--top];
        size_t next[6][2];
        int nn = 0;
        if (x == la && y == lb) {
            found = true;
            break;
        }
        if (x < la && a[x] == '*')
            next[nn][0] = x + 1, next[nn++][1] = y;
        if (y < lb && b[y] == '*')
            next[nn][0] = x, next[nn++][1] = y + 1;
        if (x < la && y < lb) {
            char ca = a[x], cb = b[y];
            bool wa = ca == '*' || ca == '?', wb = cb == '*' || cb == '?';
            if (wa || wb || fold(ca, ic) == fold(cb, ic)) {
                /* one character consumed by both: a star stays, others move on */
                next[nn][0] = ca == '*' ? x : x + 1;
                next[nn++][1] = cb == '*' ? y : y + 1;
            }
        }
        for (int k = 0; k < nn; k++) {
            size_t idx = next[k][0] * (lb + 1) + next[k][1];
            if (!seen[idx]) {
                seen[idx] = 1;
                stack[top++] = next[k][0];
                stack[top++] = next[k][1];
            }
        }
    }
    free(stack);
    return found;
}

bool api_policy_globs_overlap(const char *a, const char *b, bool ignore_case)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char *seen;
    bool r;

    if (la > 512 || lb > 512)
        return true;
    seen = calloc((la + 1) * (lb + 1), 1);
    if (!seen)
        return true;
    r = overlap_from(a, 0, la, b, 0, lb, seen, ignore_case);
    free(seen);
    return r;
}

bool api_policy_glob_covers(const char *b, const char *a, bool ignore_case)
{
    /* b covers a when b matches a's text with a's '*' and '?' standing for
     * themselves, provided each of them lands on a '*' of b. Checked by
     * matching with a rule: a literal wildcard of `a` may only be eaten by a
     * star of b. */
    const char *p = b, *t = a, *star = NULL, *mark = NULL;

    while (*t) {
        bool wild = *t == '*' || *t == '?';
        if (*p == '*') {
            star = p++;
            mark = t;
        } else if (*p && !wild && (*p == '?' || fold(*p, ignore_case) == fold(*t, ignore_case))) {
            p++;
            t++;
        } else if (star) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

/* ---- parsing ---- */

static int bad(struct api_error *err, size_t index, const char *sid, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int bad(struct api_error *err, size_t index, const char *sid, const char *fmt, ...)
{
    char what[600];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (sid && sid[0])
        return api_error_set(err, API_ERR_INVALID_INPUT, "policy statement %zu (Sid \"%.80s\"): %s",
                             index + 1, sid, what);
    return api_error_set(err, API_ERR_INVALID_INPUT, "policy statement %zu: %s", index + 1, what);
}

static const char *keep(struct api_policy *p, const char *s)
{
    char **grown = realloc(p->owned, (p->n_owned + 1) * sizeof *grown);
    char *copy;

    if (!grown)
        return NULL;
    p->owned = grown;
    if (!(copy = strdup(s)))
        return NULL;
    p->owned[p->n_owned++] = copy;
    return copy;
}

/* A string or a list of strings (scalars too when `scalars`: condition values). */
static int take_strings(struct api_policy *p, json_object *v, bool scalars,
                        struct api_policy_strings *out, const char **why)
{
    size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 1;

    out->v = calloc(n ? n : 1, sizeof *out->v);
    out->n = 0;
    if (!out->v) {
        *why = "out of memory";
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        json_object *e =
            json_object_is_type(v, json_type_array) ? json_object_array_get_idx(v, i) : v;
        enum json_type t = json_object_get_type(e);
        if (t == json_type_string) {
            out->v[out->n++] = json_object_get_string(e);
        } else if (scalars &&
                   (t == json_type_boolean || t == json_type_int || t == json_type_double)) {
            const char *s = keep(p, json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN));
            if (!s) {
                *why = "out of memory";
                return -1;
            }
            out->v[out->n++] = s;
        } else {
            *why = scalars ? "must be a string, a number, a boolean or a list of them"
                           : "must be a string or a list of strings";
            return -1;
        }
    }
    return 0;
}

static const char *const supported_ops[] = {
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "Bool",
    "Null",
};

static int take_conditions(struct api_policy *p, struct api_policy_statement *s, json_object *c,
                           struct api_error *err)
{
    size_t cap = 0;

    if (!json_object_is_type(c, json_type_object))
        return bad(err, s->index, s->sid, "Condition must be an object");
    json_object_object_foreach(c, op, block)
    {
        char base[96];
        const char *rest = op;
        struct api_policy_condition proto = {0};

        if (!json_object_is_type(block, json_type_object))
            return bad(err, s->index, s->sid, "Condition operator %.60s must map keys to values",
                       op);
        proto.op_text = op;
        if (strncasecmp(rest, "ForAnyValue:", 12) == 0)
            proto.set = API_POLICY_SET_ANY, rest += 12;
        else if (strncasecmp(rest, "ForAllValues:", 13) == 0)
            proto.set = API_POLICY_SET_ALL, rest += 13;
        snprintf(base, sizeof base, "%s", rest);
        size_t bl = strlen(base);
        if (bl > 8 && strcmp(base + bl - 8, "IfExists") == 0) {
            proto.if_exists = true;
            base[bl - 8] = '\0';
        }
        for (size_t k = 0; k < sizeof supported_ops / sizeof *supported_ops; k++)
            if (strcmp(base, supported_ops[k]) == 0)
                proto.supported = true;
        /* Null has no IfExists or set form in IAM. */
        if (strcmp(base, "Null") == 0 && (proto.if_exists || proto.set != API_POLICY_SET_NONE))
            proto.supported = false;
        if (!(proto.base_op = keep(p, base)))
            return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
        json_object_object_foreach(block, key, values)
        {
            const char *why = NULL;
            if (s->n_conditions == cap) {
                size_t nc = cap ? cap * 2 : 4;
                struct api_policy_condition *g = realloc(s->conditions, nc * sizeof *g);
                if (!g)
                    return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
                s->conditions = g;
                cap = nc;
            }
            struct api_policy_condition *cond = &s->conditions[s->n_conditions];
            *cond = proto;
            cond->key = key;
            cond->values.v = NULL;
            s->n_conditions++;
            if (take_strings(p, values, true, &cond->values, &why) != 0)
                return bad(err, s->index, s->sid, "Condition %.60s key %.100s: values %s", op, key,
                           why);
        }
    }
    return 0;
}

static int take_principal(struct api_policy *p, struct api_policy_statement *s, json_object *v,
                          struct api_error *err)
{
    size_t cap = 0;

    if (json_object_is_type(v, json_type_string)) {
        if (strcmp(json_object_get_string(v), "*") != 0)
            return bad(err, s->index, s->sid, "Principal must be \"*\" or an object");
        s->principals = calloc(1, sizeof *s->principals);
        if (!s->principals)
            return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
        s->principals[0] = (struct api_policy_principal){"*", "*"};
        s->n_principals = 1;
        return 0;
    }
    if (!json_object_is_type(v, json_type_object))
        return bad(err, s->index, s->sid, "Principal must be \"*\" or an object");
    json_object_object_foreach(v, type, values)
    {
        struct api_policy_strings list;
        const char *why = NULL;
        if (take_strings(p, values, false, &list, &why) != 0) {
            free(list.v);
            return bad(err, s->index, s->sid, "Principal %.40s %s", type, why);
        }
        for (size_t i = 0; i < list.n; i++) {
            if (s->n_principals == cap) {
                size_t nc = cap ? cap * 2 : 4;
                struct api_policy_principal *g = realloc(s->principals, nc * sizeof *g);
                if (!g) {
                    free(list.v);
                    return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
                }
                s->principals = g;
                cap = nc;
            }
            s->principals[s->n_principals++] = (struct api_policy_principal){type, list.v[i]};
        }
        free(list.v);
    }
    return 0;
}

static int take_statement(struct api_policy *p, json_object *j, size_t index,
                          struct api_policy_statement *s, struct api_error *err)
{
    json_object *v, *effect, *action, *not_action, *res, *not_res, *pr, *not_pr, *cond;
    const char *why = NULL;

    memset(s, 0, sizeof *s);
    s->index = index;
    s->json = j;
    s->sid = "";
    if (!json_object_is_type(j, json_type_object))
        return bad(err, index, NULL, "a statement must be an object");
    if (json_object_object_get_ex(j, "Sid", &v) && json_object_is_type(v, json_type_string))
        s->sid = json_object_get_string(v);
    if (!json_object_object_get_ex(j, "Effect", &effect) ||
        !json_object_is_type(effect, json_type_string))
        return bad(err, index, s->sid, "no Effect (Allow or Deny)");
    if (strcmp(json_object_get_string(effect), "Allow") == 0)
        s->allow = true;
    else if (strcmp(json_object_get_string(effect), "Deny") != 0)
        return bad(err, index, s->sid, "Effect must be Allow or Deny, not \"%.40s\"",
                   json_object_get_string(effect));
    bool has_a = json_object_object_get_ex(j, "Action", &action);
    bool has_na = json_object_object_get_ex(j, "NotAction", &not_action);
    if (has_a == has_na)
        return bad(err, index, s->sid, "needs exactly one of Action and NotAction");
    s->not_action = has_na;
    if (take_strings(p, has_a ? action : not_action, false, &s->actions, &why) != 0)
        return bad(err, index, s->sid, "%s %s", has_a ? "Action" : "NotAction", why);
    bool has_r = json_object_object_get_ex(j, "Resource", &res);
    bool has_nr = json_object_object_get_ex(j, "NotResource", &not_res);
    if (has_r && has_nr)
        return bad(err, index, s->sid, "has both Resource and NotResource");
    if (has_r || has_nr) {
        s->has_resource = true;
        s->not_resource = has_nr;
        if (take_strings(p, has_r ? res : not_res, false, &s->resources, &why) != 0)
            return bad(err, index, s->sid, "%s %s", has_r ? "Resource" : "NotResource", why);
    }
    bool has_p = json_object_object_get_ex(j, "Principal", &pr);
    bool has_np = json_object_object_get_ex(j, "NotPrincipal", &not_pr);
    if (has_p && has_np)
        return bad(err, index, s->sid, "has both Principal and NotPrincipal");
    if (has_p || has_np) {
        s->has_principal = true;
        s->not_principal = has_np;
        if (take_principal(p, s, has_p ? pr : not_pr, err) != 0)
            return -1;
    }
    if (json_object_object_get_ex(j, "Condition", &cond) && take_conditions(p, s, cond, err) != 0)
        return -1;
    return 0;
}

static void statement_free(struct api_policy_statement *s)
{
    free(s->actions.v);
    free(s->resources.v);
    free(s->principals);
    for (size_t i = 0; i < s->n_conditions; i++)
        free(s->conditions[i].values.v);
    free(s->conditions);
}

void api_policy_free(struct api_policy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        statement_free(&p->st[i]);
    free(p->st);
    for (size_t i = 0; i < p->n_owned; i++)
        free(p->owned[i]);
    free(p->owned);
    json_object_put(p->doc);
    free(p);
}

struct api_policy *api_policy_parse(const char *text, size_t len, struct api_error *err)
{
    struct json_tokener *tok;
    struct api_policy *p;
    json_object *list;

    if (!text || len == 0) {
        api_error_set(err, API_ERR_INVALID_INPUT, "the policy document is empty");
        return NULL;
    }
    if (len > (size_t)0x7fffffff) {
        api_error_set(err, API_ERR_INVALID_INPUT, "the policy document is too large");
        return NULL;
    }
    p = calloc(1, sizeof *p);
    tok = json_tokener_new_ex(MAX_JSON_DEPTH);
    if (!p || !tok) {
        free(p);
        if (tok)
            json_tokener_free(tok);
        api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
        return NULL;
    }
    p->doc = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!p->doc || jerr != json_tokener_success) {
        api_error_set(err, API_ERR_INVALID_INPUT, "the policy document is not JSON: %s",
                      jerr == json_tokener_continue ? "it ends too early"
                                                    : json_tokener_error_desc(jerr));
        goto fail;
    }
    for (; used < len; used++)
        if (!isspace((unsigned char)text[used])) {
            api_error_set(err, API_ERR_INVALID_INPUT,
                          "the policy document has text after its JSON (at byte %zu)", used);
            goto fail;
        }
    if (!json_object_is_type(p->doc, json_type_object)) {
        api_error_set(err, API_ERR_INVALID_INPUT, "the policy document must be a JSON object");
        goto fail;
    }
    if (!json_object_object_get_ex(p->doc, "Statement", &list)) {
        api_error_set(err, API_ERR_INVALID_INPUT, "the policy document has no Statement");
        goto fail;
    }
    size_t n = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 1;
    p->st = calloc(n ? n : 1, sizeof *p->st);
    if (!p->st) {
        api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        json_object *j =
            json_object_is_type(list, json_type_array) ? json_object_array_get_idx(list, i) : list;
        p->n = i + 1;
        if (take_statement(p, j, i, &p->st[i], err) != 0)
            goto fail;
    }
    return p;
fail:
    api_policy_free(p);
    return NULL;
}

size_t api_policy_count(const struct api_policy *p)
{
    return p ? p->n : 0;
}

const struct api_policy_statement *api_policy_statement(const struct api_policy *p, size_t i)
{
    return p && i < p->n ? &p->st[i] : NULL;
}

json_object *api_policy_json(const struct api_policy *p)
{
    return p ? p->doc : NULL;
}

/* ---- evaluation ---- */

enum tri { T_FALSE, T_TRUE, T_UNKNOWN };

static bool any_glob(const struct api_policy_strings *pats, const char *text, bool ic)
{
    for (size_t i = 0; i < pats->n; i++)
        if (api_policy_glob_match(pats->v[i], text, ic))
            return true;
    return false;
}

static bool principal_matches(const struct api_policy_statement *s, const char *type,
                              const char *value)
{
    bool hit = false;

    for (size_t i = 0; i < s->n_principals && !hit; i++) {
        const struct api_policy_principal *pr = &s->principals[i];
        if (strcmp(pr->type, "*") == 0)
            hit = true;
        else if (strcmp(pr->type, type) == 0 &&
                 (strcmp(pr->value, "*") == 0 || strcasecmp(pr->value, value) == 0))
            hit = true;
    }
    return s->not_principal ? !hit : hit;
}

static const struct api_policy_context_value *find_key(const struct api_policy_request *rq,
                                                       const char *key)
{
    for (size_t i = 0; i < rq->n_context; i++)
        if (rq->context[i].key && strcasecmp(rq->context[i].key, key) == 0 &&
            rq->context[i].n_values > 0)
            return &rq->context[i];
    return NULL;
}

/* Whether the request value v matches the policy value p under the
 * operator's positive form. */
static bool value_matches(const char *base, const char *v, const char *p)
{
    if (strncmp(base, "StringLike", 10) == 0 || strncmp(base, "StringNotLike", 13) == 0)
        return api_policy_glob_match(p, v, false);
    if (strstr(base, "IgnoreCase") || strcmp(base, "Bool") == 0)
        return strcasecmp(v, p) == 0;
    return strcmp(v, p) == 0;
}

static bool negated(const char *base)
{
    return strncmp(base, "StringNot", 9) == 0;
}

/* Whether one request value satisfies the condition (OR over its values). */
static bool one_value(const struct api_policy_condition *c, const char *v)
{
    bool hit = false;

    for (size_t i = 0; i < c->values.n && !hit; i++)
        hit = value_matches(c->base_op, v, c->values.v[i]);
    return negated(c->base_op) ? !hit : hit;
}

static enum tri condition_holds(const struct api_policy_condition *c,
                                const struct api_policy_request *rq)
{
    const struct api_policy_context_value *cv = find_key(rq, c->key);

    if (!c->supported)
        return T_UNKNOWN;
    if (strcmp(c->base_op, "Null") == 0) {
        bool want_absent = false;
        for (size_t i = 0; i < c->values.n; i++)
            if (strcasecmp(c->values.v[i], "true") == 0)
                want_absent = true;
        return (want_absent ? cv == NULL : cv != NULL) ? T_TRUE : T_FALSE;
    }
    if (!cv) {
        if (c->if_exists || c->set == API_POLICY_SET_ALL)
            return T_TRUE;
        if (c->set == API_POLICY_SET_ANY)
            return T_FALSE;
        return negated(c->base_op) ? T_TRUE : T_FALSE;
    }
    if (c->set == API_POLICY_SET_ALL) {
        for (size_t i = 0; i < cv->n_values; i++)
            if (!one_value(c, cv->values[i]))
                return T_FALSE;
        return T_TRUE;
    }
    if (c->set == API_POLICY_SET_ANY || !negated(c->base_op)) {
        for (size_t i = 0; i < cv->n_values; i++)
            if (one_value(c, cv->values[i]))
                return T_TRUE;
        return T_FALSE;
    }
    /* a plain negated operator: true when no request value matches */
    for (size_t i = 0; i < cv->n_values; i++)
        if (!one_value(c, cv->values[i]))
            return T_FALSE;
    return T_TRUE;
}

struct verdict {
    enum tri applies;
    enum api_policy_stage stage; /* where it stopped (NONE when it applies) */
    const struct api_policy_condition *cond;
};

static struct verdict statement_applies(const struct api_policy_statement *s,
                                        const struct api_policy_request *rq)
{
    struct verdict v = {T_FALSE, API_POLICY_STAGE_NONE, NULL};
    bool unknown = false;

    if (rq->principal_type &&
        (!s->has_principal || !principal_matches(s, rq->principal_type, rq->principal))) {
        v.stage = API_POLICY_STAGE_PRINCIPAL;
        return v;
    }
    bool act = any_glob(&s->actions, rq->action ? rq->action : "", true);
    if (s->not_action ? act : !act) {
        v.stage = API_POLICY_STAGE_ACTION;
        return v;
    }
    if (rq->resource) {
        bool res = s->has_resource && any_glob(&s->resources, rq->resource, false);
        if (!s->has_resource || (s->not_resource ? res : !res)) {
            v.stage = API_POLICY_STAGE_RESOURCE;
            return v;
        }
    }
    for (size_t i = 0; i < s->n_conditions; i++) {
        enum tri t = condition_holds(&s->conditions[i], rq);
        if (t == T_FALSE) {
            v.stage = API_POLICY_STAGE_CONDITION;
            v.cond = &s->conditions[i];
            return v;
        }
        if (t == T_UNKNOWN && !unknown) {
            unknown = true;
            v.cond = &s->conditions[i];
        }
    }
    v.applies = unknown ? T_UNKNOWN : T_TRUE;
    v.stage = unknown ? API_POLICY_STAGE_CONDITION : API_POLICY_STAGE_NONE;
    return v;
}

static void name_statement(const struct api_policy_statement *s, char *buf, size_t size)
{
    if (s->sid[0])
        snprintf(buf, size, "statement %zu (Sid \"%.60s\")", s->index + 1, s->sid);
    else
        snprintf(buf, size, "statement %zu", s->index + 1);
}

/* "\"a\", \"b\"" for up to a few values. */
static void list_values(const char *const *v, size_t n, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && used + 4 < size; i++) {
        int w = i < 4 ? snprintf(buf + used, size - used, "%s\"%.80s\"", i ? ", " : "", v[i])
                      : snprintf(buf + used, size - used, ", ...");
        if (w < 0)
            break;
        used += (size_t)w;
        if (i >= 4)
            break;
    }
    if (used >= size)
        buf[size - 1] = '\0';
}

static void explain(const struct api_policy_statement *s, const struct verdict *v,
                    const struct api_policy_request *rq, struct api_policy_result *out)
{
    char name[128], want[400], have[400];

    name_statement(s, name, sizeof name);
    if (v->cond) {
        snprintf(out->key, sizeof out->key, "%s", v->cond->key);
        snprintf(out->op, sizeof out->op, "%s", v->cond->op_text);
    }
    switch (out->decision) {
    case API_POLICY_ALLOW:
        snprintf(out->why, sizeof out->why, "%s allows %s", name, rq->action);
        return;
    case API_POLICY_DENY:
        snprintf(out->why, sizeof out->why, "%s denies %s explicitly", name, rq->action);
        return;
    case API_POLICY_UNKNOWN:
        snprintf(out->why, sizeof out->why,
                 "%s depends on the condition %.80s on %.120s, which is not evaluated here", name,
                 v->cond ? v->cond->op_text : "?", v->cond ? v->cond->key : "?");
        return;
    case API_POLICY_IMPLICIT_DENY:
        break;
    }
    switch (v->stage) {
    case API_POLICY_STAGE_PRINCIPAL:
        snprintf(out->why, sizeof out->why,
                 "no statement allows %s; the closest, %s, does not name the principal %s %.150s",
                 rq->action, name, rq->principal_type, rq->principal);
        return;
    case API_POLICY_STAGE_ACTION:
        list_values(s->actions.v, s->actions.n, want, sizeof want);
        snprintf(out->why, sizeof out->why,
                 "no statement allows %s; the closest, %s, has %s %.300s", rq->action, name,
                 s->not_action ? "NotAction" : "Action", want);
        return;
    case API_POLICY_STAGE_RESOURCE:
        snprintf(out->why, sizeof out->why,
                 "no statement allows %s; the closest, %s, does not cover the resource %.150s",
                 rq->action, name, rq->resource);
        return;
    case API_POLICY_STAGE_CONDITION: {
        const struct api_policy_context_value *cv = find_key(rq, v->cond->key);
        list_values(v->cond->values.v, v->cond->values.n, want, sizeof want);
        if (cv)
            list_values(cv->values, cv->n_values, have, sizeof have);
        snprintf(out->why, sizeof out->why,
                 "no statement allows %s; the closest, %s, requires %.80s %.120s to be %.250s "
                 "and the request has %.250s",
                 rq->action, name, v->cond->op_text, v->cond->key, want, cv ? have : "none");
        return;
    }
    case API_POLICY_STAGE_NONE:
        break;
    }
    snprintf(out->why, sizeof out->why, "no statement allows %s", rq->action);
}

enum api_policy_decision api_policy_evaluate(const struct api_policy *p,
                                             const struct api_policy_request *rq,
                                             struct api_policy_result *out)
{
    const struct api_policy_statement *deny = NULL, *allow = NULL, *unknown = NULL, *closest = NULL;
    struct verdict deny_v = {0}, allow_v = {0}, unknown_v = {0}, closest_v = {0};
    bool unknown_deny = false;

    memset(out, 0, sizeof *out);
    out->statement = -1;
    for (size_t i = 0; p && i < p->n && !deny; i++) {
        const struct api_policy_statement *s = &p->st[i];
        struct verdict v = statement_applies(s, rq);
        if (v.applies == T_TRUE) {
            if (!s->allow)
                deny = s, deny_v = v;
            else if (!allow)
                allow = s, allow_v = v;
        } else if (v.applies == T_UNKNOWN) {
            if (!unknown || (!s->allow && !unknown_deny))
                unknown = s, unknown_v = v;
            if (!s->allow)
                unknown_deny = true;
        } else if (s->allow && (!closest || v.stage > closest_v.stage)) {
            closest = s, closest_v = v;
        }
    }
    const struct api_policy_statement *s;
    struct verdict v;
    if (deny) {
        out->decision = API_POLICY_DENY, s = deny, v = deny_v;
    } else if (unknown && (unknown_deny || !allow)) {
        out->decision = API_POLICY_UNKNOWN, s = unknown, v = unknown_v;
    } else if (allow) {
        out->decision = API_POLICY_ALLOW, s = allow, v = allow_v;
    } else {
        out->decision = API_POLICY_IMPLICIT_DENY, s = closest, v = closest_v;
    }
    if (!s) {
        snprintf(out->why, sizeof out->why, "no statement allows %s (the policy has no Allow)",
                 rq->action ? rq->action : "the action");
        return out->decision;
    }
    out->statement = (long)s->index;
    out->stage = out->decision == API_POLICY_IMPLICIT_DENY || out->decision == API_POLICY_UNKNOWN
                     ? v.stage
                     : API_POLICY_STAGE_NONE;
    explain(s, &v, rq, out);
    return out->decision;
}
