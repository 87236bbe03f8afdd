/* api/doctor_memo.c — the doctor's memo source (api/doctor_memo.h). */
#include "api/doctor_memo.h"

#include <stdlib.h>
#include <string.h>

#include "api/iam.h"
#include "api/jwt.h"

enum entry_state { WANTED, ASKED, ANSWERED };

struct entry {
    struct api_doctor_need need; /* first: a need is its entry */
    char *pool_id, *name;
    enum entry_state state;
    json_object *json;
    struct xml_node *xml;
    char *text; /* a key set document */
    size_t text_len;
    struct api_error err; /* when the read failed */
    bool failed;
    struct entry *next;
};

struct api_doctor_memo {
    struct entry *entries; /* in the order the runs missed them */
    size_t misses;         /* in the run going on */
};

struct api_doctor_memo *api_doctor_memo_new(void)
{
    return calloc(1, sizeof(struct api_doctor_memo));
}

void api_doctor_memo_free(struct api_doctor_memo *m)
{
    if (!m)
        return;
    for (struct entry *e = m->entries, *next; e; e = next) {
        next = e->next;
        free(e->pool_id);
        free(e->name);
        json_object_put(e->json);
        api_xml_free(e->xml);
        free(e->text);
        free(e);
    }
    free(m);
}

static struct entry *find(struct api_doctor_memo *m, enum api_doctor_read what, const char *pool_id,
                          const char *name)
{
    for (struct entry *e = m->entries; e; e = e->next)
        if (e->need.what == what && strcmp(e->pool_id, pool_id) == 0 && strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

/* The entry answered for this read, or NULL after noting the miss (err
 * filled then). */
static struct entry *lookup(struct api_doctor_memo *m, enum api_doctor_read what,
                            const char *pool_id, const char *name, struct api_error *err)
{
    pool_id = pool_id ? pool_id : "";
    name = name ? name : "";
    struct entry *e = find(m, what, pool_id, name);
    if (e && e->state == ANSWERED)
        return e;
    m->misses++;
    api_error_set(err, API_ERR_CANCELLED, "not read yet");
    if (e)
        return NULL;
    e = calloc(1, sizeof *e);
    if (e && (e->pool_id = strdup(pool_id)) && (e->name = strdup(name))) {
        e->need = (struct api_doctor_need){what, e->pool_id, e->name};
        struct entry **tail = &m->entries;
        while (*tail)
            tail = &(*tail)->next;
        *tail = e;
        return NULL;
    }
    if (e) {
        free(e->pool_id);
        free(e);
    }
    /* Out of memory: the read can never be asked, so this run's answer is
     * final rather than missing. */
    m->misses--;
    api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    return NULL;
}

/* The stored failure, or 0 for an answer. */
static int failure(const struct entry *e, struct api_error *err)
{
    if (!e->failed)
        return 0;
    *err = e->err;
    return -1;
}

static int json_of(struct api_doctor_memo *m, enum api_doctor_read what, const char *pool_id,
                   const char *name, json_object **out, struct api_error *err)
{
    *out = NULL;
    struct entry *e = lookup(m, what, pool_id, name, err);
    if (!e || failure(e, err) != 0)
        return -1;
    /* The doctor keeps and may change what it is given: a copy each run. */
    if (json_object_deep_copy(e->json, out, NULL) != 0 || !*out)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    return 0;
}

static int memo_describe(void *ctx, const char *pool_id, json_object **out, struct api_error *err)
{
    return json_of(ctx, API_DOCTOR_READ_POOL, pool_id, NULL, out, err);
}

static int memo_roles(void *ctx, const char *pool_id, json_object **out, struct api_error *err)
{
    return json_of(ctx, API_DOCTOR_READ_ROLES, pool_id, NULL, out, err);
}

static int memo_tags(void *ctx, const char *pool_id, const char *provider, json_object **out,
                     struct api_error *err)
{
    return json_of(ctx, API_DOCTOR_READ_TAGS, pool_id, provider, out, err);
}

static struct api_jwks *memo_keys(void *ctx, const char *provider, struct api_error *err)
{
    struct entry *e = lookup(ctx, API_DOCTOR_READ_KEYS, NULL, provider, err);
    if (!e || failure(e, err) != 0)
        return NULL;
    return api_jwks_parse(e->text, e->text_len, err);
}

static int memo_oidc(void *ctx, const char *arn, struct api_iam_oidc_provider *out,
                     struct api_error *err)
{
    memset(out, 0, sizeof *out);
    struct entry *e = lookup(ctx, API_DOCTOR_READ_OIDC, NULL, arn, err);
    if (!e || failure(e, err) != 0)
        return -1;
    return api_iam_read_oidc_provider(e->xml, out, err);
}

static int memo_role(void *ctx, const char *name, struct api_iam_role *out, struct api_error *err)
{
    memset(out, 0, sizeof *out);
    struct entry *e = lookup(ctx, API_DOCTOR_READ_ROLE, NULL, name, err);
    if (!e || failure(e, err) != 0)
        return -1;
    return api_iam_read_role(e->xml, out, err);
}

int api_doctor_memo_run(struct api_doctor_memo *m, const char *pool_id,
                        const struct api_doctor_login *login, time_t now,
                        struct api_doctor_report *out, size_t *misses, struct api_error *err)
{
    struct api_doctor_source src = {m,         memo_describe, memo_roles, memo_tags,
                                    memo_keys, memo_oidc,     memo_role};
    m->misses = 0;
    int rc = api_doctor_run(&src, pool_id, login, now, out, err);
    *misses = m->misses;
    if (m->misses > 0 || rc != 0)
        api_doctor_report_clear(out);
    return rc;
}

const struct api_doctor_need *api_doctor_memo_next_need(struct api_doctor_memo *m)
{
    for (struct entry *e = m->entries; e; e = e->next)
        if (e->state == WANTED) {
            e->state = ASKED;
            return &e->need;
        }
    return NULL;
}

size_t api_doctor_memo_pending(const struct api_doctor_memo *m)
{
    size_t n = 0;
    for (const struct entry *e = m->entries; e; e = e->next)
        n += e->state == ASKED;
    return n;
}

/* The entry of `need` when it still waits for its answer, else NULL. */
static struct entry *answering(struct api_doctor_memo *m, const struct api_doctor_need *need,
                               const struct api_error *err)
{
    for (struct entry *e = m->entries; e; e = e->next)
        if (&e->need == need) {
            if (e->state == ANSWERED)
                return NULL;
            e->state = ANSWERED;
            e->failed = err && err->kind != API_ERR_NONE;
            if (e->failed)
                e->err = *err;
            return e;
        }
    return NULL;
}

void api_doctor_memo_put_json(struct api_doctor_memo *m, const struct api_doctor_need *need,
                              json_object *answer, const struct api_error *err)
{
    struct entry *e = answering(m, need, answer ? NULL : err);
    if (e && !e->failed && !answer) {
        e->failed = true;
        api_error_set(&e->err, API_ERR_HTTP, "no answer");
    }
    if (e && !e->failed)
        e->json = answer;
    else
        json_object_put(answer);
}

void api_doctor_memo_put_xml(struct api_doctor_memo *m, const struct api_doctor_need *need,
                             struct xml_node *doc, const struct api_error *err)
{
    struct entry *e = answering(m, need, doc ? NULL : err);
    if (e && !e->failed && !doc) {
        e->failed = true;
        api_error_set(&e->err, API_ERR_HTTP, "no answer");
    }
    if (e && !e->failed)
        e->xml = doc;
    else
        api_xml_free(doc);
}

void api_doctor_memo_put_keys(struct api_doctor_memo *m, const struct api_doctor_need *need,
                              const char *text, size_t len, const struct api_error *err)
{
    struct entry *e = answering(m, need, text ? NULL : err);
    if (!e || e->failed)
        return;
    if (!text || !(e->text = malloc(len + 1))) {
        e->failed = true;
        api_error_set(&e->err, API_ERR_HTTP, text ? "out of memory" : "no answer");
        return;
    }
    memcpy(e->text, text, len);
    e->text[len] = '\0';
    e->text_len = len;
}
