/* api/credentials_answer.c — reading what a source answered: JSON objects
 * (credential_process, container, instance metadata, IAM Identity Center),
 * ISO 8601 times, and the wiped strings they become. */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/credentials_sources.h"

void cred_wipe_free(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
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
        /* The value is not quoted: the answer around it holds secrets. */
        if (!json_object_is_type(exp_obj, json_type_string) ||
            cred_parse_time(json_object_get_string(exp_obj), &out->expiration) != 0)
            return api_error_set(err, API_ERR_CREDENTIALS,
                                 "%s: %s is not an ISO 8601 UTC time (like "
                                 "2030-01-31T23:59:59Z)",
                                 what, expiration_key);
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

void cred_error_prefix(struct api_error *err, const char *fmt, ...)
{
    char prefix[400], msg[sizeof err->message];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "%s: %.*s", prefix, (int)(sizeof msg - strlen(prefix) - 3),
             err->message);
    snprintf(err->message, sizeof err->message, "%s", msg);
    if (err->kind == API_ERR_NONE)
        err->kind = API_ERR_CREDENTIALS;
}
