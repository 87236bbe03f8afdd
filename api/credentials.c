/* api/credentials.c — credentials values, the static provider, and what the
 * sources share (refresh, time parsing). */
#include "api/credentials.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/credentials_provider.h"
#include "api/credentials_sources.h"

void (*api_credentials_wipe_observer)(const void *mem, size_t len);

static void wipe_string(char **s)
{
    if (*s) {
        size_t n = strlen(*s);
        OPENSSL_cleanse(*s, n);
        if (api_credentials_wipe_observer)
            api_credentials_wipe_observer(*s, n);
        free(*s);
        *s = NULL;
    }
}

void api_credentials_clear(struct api_credentials *c)
{
    wipe_string(&c->access_key_id);
    wipe_string(&c->secret_access_key);
    wipe_string(&c->session_token);
    c->expiration = 0;
}

int api_credentials_copy(struct api_credentials *dst, const struct api_credentials *src,
                         struct api_error *err)
{
    memset(dst, 0, sizeof *dst);
    dst->access_key_id = src->access_key_id ? strdup(src->access_key_id) : NULL;
    dst->secret_access_key = src->secret_access_key ? strdup(src->secret_access_key) : NULL;
    dst->session_token = src->session_token ? strdup(src->session_token) : NULL;
    dst->expiration = src->expiration;
    if ((src->access_key_id && !dst->access_key_id) ||
        (src->secret_access_key && !dst->secret_access_key) ||
        (src->session_token && !dst->session_token)) {
        api_credentials_clear(dst);
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory copying credentials");
    }
    return 0;
}

int api_credentials_get(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
                        struct api_error *err)
{
    if (!p)
        return api_error_set(err, API_ERR_CREDENTIALS, "no credentials configured");
    return p->ops->get(p, now, out, err) == 0 ? 0 : -1;
}

const char *api_credentials_source(const struct api_credentials_provider *p)
{
    return p ? p->source : "none";
}

void api_credentials_provider_free(struct api_credentials_provider *p)
{
    if (p)
        p->ops->free(p);
}

struct static_provider {
    struct api_credentials_provider base;
    struct api_credentials creds;
};

static int static_get(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
                      struct api_error *err)
{
    struct static_provider *sp = (struct static_provider *)p;

    if (sp->creds.expiration && sp->creds.expiration <= now)
        return api_error_set(err, API_ERR_CREDENTIALS, "the %s credentials have expired",
                             p->source);
    return api_credentials_copy(out, &sp->creds, err);
}

static void static_free(struct api_credentials_provider *p)
{
    struct static_provider *sp = (struct static_provider *)p;

    api_credentials_clear(&sp->creds);
    free(sp);
}

static const struct api_credentials_provider_ops static_ops = {static_get, static_free};

struct api_credentials_provider *api_credentials_static_new(const struct api_credentials *c,
                                                            const char *source,
                                                            struct api_error *err)
{
    struct static_provider *sp = calloc(1, sizeof *sp);

    if (!sp) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    if (!c->access_key_id || !c->secret_access_key || !c->access_key_id[0] ||
        !c->secret_access_key[0]) {
        free(sp);
        api_error_set(err, API_ERR_CREDENTIALS,
                      "%s credentials need both an access key id and a secret access key", source);
        return NULL;
    }
    if (api_credentials_copy(&sp->creds, c, err) != 0) {
        free(sp);
        return NULL;
    }
    sp->base.ops = &static_ops;
    snprintf(sp->base.source, sizeof sp->base.source, "%s", source);
    return &sp->base;
}

/* ---- Shared by the sources (api/credentials_sources.h) ---- */

void cred_wipe_free(char *s)
{
    wipe_string(&s);
}

char *cred_strdup(const char *s, bool *oom)
{
    char *d;

    if (!s)
        return NULL;
    d = strdup(s);
    if (!d)
        *oom = true;
    return d;
}

static int digits(const char **p, int n, int *out)
{
    *out = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        *out = *out * 10 + (**p - '0');
    }
    return 0;
}

int cred_parse_time(const char *text, time_t *out)
{
    const char *p = text;
    struct tm tm = {0};
    int y, mo, d, h, mi, s;
    time_t t;

    if (!text)
        return -1;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
        digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
        return -1;
    p++;
    if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' || digits(&p, 2, &s))
        return -1;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p == 'Z' || *p == 'z')
        p++;
    else if (strcmp(p, "UTC") == 0) /* botocore's own cache files: strftime %Z */
        p += 3;
    else if (strcmp(p, "+00:00") == 0 || strcmp(p, "+0000") == 0)
        p += strlen(p);
    else
        return -1;
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    t = timegm(&tm);
    if (t == (time_t)-1)
        return -1;
    *out = t;
    return 0;
}

static int refreshing_get(struct api_credentials_provider *p, time_t now,
                          struct api_credentials *out, struct api_error *err)
{
    struct cred_refreshing *r = (struct cred_refreshing *)p;
    struct api_credentials fresh = {0};
    struct api_error fetch_err;
    int rc;
    bool have = r->cached.access_key_id != NULL;
    time_t exp = r->cached.expiration;

    if (have && (exp == 0 || now < exp - CRED_ADVISORY_REFRESH_SECONDS))
        return api_credentials_copy(out, &r->cached, err);
    api_error_clear(&fetch_err);
    rc = r->fetch(r, now, &fresh, &fetch_err);
    if (rc != 0) {
        api_credentials_clear(&fresh);
        /* Advisory window: the old credentials are still good for 10+ minutes. */
        if (have && now < exp - CRED_MANDATORY_REFRESH_SECONDS)
            return api_credentials_copy(out, &r->cached, err);
        *err = fetch_err;
        /* CRED_NOT_AVAILABLE only means something before the source first answered. */
        return have ? -1 : rc;
    }
    if (fresh.expiration && fresh.expiration <= now) {
        api_credentials_clear(&fresh);
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "%s returned credentials that have already expired", p->source);
    }
    api_credentials_clear(&r->cached);
    r->cached = fresh;
    return api_credentials_copy(out, &r->cached, err);
}

static void refreshing_free(struct api_credentials_provider *p)
{
    struct cred_refreshing *r = (struct cred_refreshing *)p;

    api_credentials_clear(&r->cached);
    if (r->destroy)
        r->destroy(r);
    free(r);
}

static const struct api_credentials_provider_ops refreshing_ops = {refreshing_get, refreshing_free};

/* The kind of provider is told by its ops table (the ops struct is not
 * grown with an expiration member: providers outside api/, in the tests,
 * fill it positionally). Static: its own expiry; refreshing sources: the
 * cached credentials', what is in use until the next refresh; the chain:
 * the source that answered's. Any other kind: not known, 0. */
time_t api_credentials_expiration(const struct api_credentials_provider *p)
{
    time_t t = 0;

    if (!p)
        return 0;
    if (p->ops == &static_ops)
        return ((const struct static_provider *)p)->creds.expiration;
    if (p->ops == &refreshing_ops) {
        const struct cred_refreshing *r = (const struct cred_refreshing *)p;
        return r->cached.access_key_id ? r->cached.expiration : 0;
    }
    if (cred_chain_expiration(p, &t))
        return t;
    return 0;
}

void cred_refreshing_init(struct cred_refreshing *r, const char *source)
{
    r->base.ops = &refreshing_ops;
    snprintf(r->base.source, sizeof r->base.source, "%s", source);
}

/* ---- JSON answers (credential_process, container, instance metadata, SSO) ---- */

void cred_json_put_wiped(json_object *o)
{
    if (!o)
        return;
    if (json_object_is_type(o, json_type_string)) {
        /* json-c hands out its own buffer; the values may be secrets. */
        char *s = (char *)json_object_get_string(o);
        OPENSSL_cleanse(s, (size_t)json_object_get_string_len(o));
    } else if (json_object_is_type(o, json_type_object)) {
        json_object_object_foreach(o, key, val)
        {
            (void)key;
            json_object *keep = json_object_get(val);
            cred_json_put_wiped(keep);
        }
    } else if (json_object_is_type(o, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(o); i++)
            cred_json_put_wiped(json_object_get(json_object_array_get_idx(o, i)));
    }
    json_object_put(o);
}

json_object *cred_json_parse(const char *text, size_t len, const char *what, struct api_error *err)
{
    struct json_tokener *tok = json_tokener_new();
    json_object *o;
    enum json_tokener_error jerr;

    if (!tok) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    o = json_tokener_parse_ex(tok, text, (int)len);
    jerr = json_tokener_get_error(tok);
    if (o && jerr == json_tokener_success && (size_t)json_tokener_get_parse_end(tok) < len) {
        /* Only blanks may follow the value. */
        for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
            if (text[i] != ' ' && text[i] != '\n' && text[i] != '\r' && text[i] != '\t')
                jerr = json_tokener_error_parse_unexpected;
    }
    json_tokener_free(tok);
    if (!o || jerr != json_tokener_success) {
        cred_json_put_wiped(o);
        /* Never quote the text: it may hold secrets. */
        api_error_set(err, API_ERR_CREDENTIALS, "%s: the answer is not valid JSON (%s)", what,
                      jerr == json_tokener_continue ? "it ends too soon"
                                                    : json_tokener_error_desc(jerr));
        return NULL;
    }
    if (!json_object_is_type(o, json_type_object)) {
        cred_json_put_wiped(o);
        api_error_set(err, API_ERR_CREDENTIALS, "%s: the answer is not a JSON object", what);
        return NULL;
    }
    return o;
}

static const char *json_str(json_object *o, const char *key)
{
    json_object *v;

    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

int cred_from_json(json_object *o, const char *id_key, const char *secret_key,
                   const char *token_key, const char *expiration_key, const char *what,
                   struct api_credentials *out, struct api_error *err)
{
    const char *id = json_str(o, id_key), *secret = json_str(o, secret_key);
    const char *token = token_key ? json_str(o, token_key) : NULL;
    json_object *exp_obj = NULL;
    bool oom = false;

    memset(out, 0, sizeof *out);
    if (!id || !id[0] || !secret || !secret[0])
        return api_error_set(err, API_ERR_CREDENTIALS, "%s: the answer has no %s", what,
                             !id || !id[0] ? id_key : secret_key);
    if (expiration_key && json_object_object_get_ex(o, expiration_key, &exp_obj) &&
        !json_object_is_type(exp_obj, json_type_null)) {
        const char *text = json_object_get_string(exp_obj);
        if (!json_object_is_type(exp_obj, json_type_string) ||
            cred_parse_time(text, &out->expiration) != 0)
            return api_error_set(err, API_ERR_CREDENTIALS,
                                 "%s: %s \"%.60s\" is not an ISO 8601 UTC time", what,
                                 expiration_key, text ? text : "");
    }
    out->access_key_id = cred_strdup(id, &oom);
    out->secret_access_key = cred_strdup(secret, &oom);
    out->session_token = token && token[0] ? cred_strdup(token, &oom) : NULL;
    if (oom) {
        api_credentials_clear(out);
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    }
    return 0;
}
