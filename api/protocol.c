/* api/protocol.c — AWS JSON 1.1 requests and answers; see api/protocol.h. */
#include "api/protocol.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

/* ---- text helpers ---- */

/* Length of the valid UTF-8 sequence at s (at most n bytes) and its code
 * point in *cp, or 0 when the bytes there are not valid UTF-8. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned long *cp)
{
    size_t len;
    unsigned long c;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        len = 2, c = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        len = 3, c = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        len = 4, c = s[0] & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[k] & 0x3f);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

void api_protocol_one_line(const char *text, size_t len, char *out, size_t size)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, o = 0;

    if (size == 0)
        return;
    while (i < len && o + 1 < size) {
        unsigned long cp;
        size_t n = utf8_seq(s + i, len - i, &cp);
        bool bad = n == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
                   (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
                   cp == 0x200e || cp == 0x200f || cp == 0x061c;
        if (bad) {
            /* Newlines and tabs read better as spaces in a one-line message. */
            out[o++] = n == 1 && (cp == '\n' || cp == '\r' || cp == '\t') ? ' ' : '?';
            i += n ? n : 1;
            continue;
        }
        if (o + n >= size)
            break; /* never cut a character */
        memcpy(out + o, s + i, n);
        o += n;
        i += n;
    }
    out[o] = '\0';
}

void api_protocol_clean_code(const char *raw, char *out, size_t size)
{
    const char *end, *start;
    char tmp[256];

    if (!raw) {
        if (size)
            out[0] = '\0';
        return;
    }
    /* awsJson1_1: drop everything from the first ':', then keep what follows the last '#'. */
    end = strchr(raw, ':');
    if (!end)
        end = raw + strlen(raw);
    start = raw;
    for (const char *p = raw; p < end; p++)
        if (*p == '#')
            start = p + 1;
    while (start < end && isspace((unsigned char)*start))
        start++;
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    api_protocol_one_line(start, (size_t)(end - start), tmp, sizeof tmp);
    snprintf(out, size, "%s", tmp);
}

/* ---- requests ---- */

int api_protocol_target(const struct api_operation *op, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s%s", API_PROTOCOL_TARGET_PREFIX, op->name);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* A copy of v without null members; sensitive values replaced when redacting. */
static json_object *filtered_copy(int shape_index, json_object *v, int redact)
{
    const struct api_shape *sh = api_shape_at(shape_index);
    json_object *out;

    if (sh && sh->sensitive && redact)
        return json_object_new_string("***REDACTED***");
    if (json_object_is_type(v, json_type_object)) {
        out = json_object_new_object();
        if (!out)
            return NULL;
        json_object_object_foreach(v, key, val)
        {
            int child = -1;
            if (!val)
                continue; /* null means absent */
            if (sh && sh->type == API_SHAPE_MAP) {
                child = sh->value;
            } else if (sh && sh->type == API_SHAPE_STRUCTURE) {
                for (int i = 0; i < sh->n_members; i++)
                    if (strcmp(sh->members[i].name, key) == 0)
                        child = sh->members[i].shape;
            }
            json_object *c = filtered_copy(child, val, redact);
            if (!c || json_object_object_add(out, key, c) != 0) {
                json_object_put(c);
                json_object_put(out);
                return NULL;
            }
        }
        return out;
    }
    if (json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v);
        out = json_object_new_array_ext((int)n);
        if (!out)
            return NULL;
        for (size_t i = 0; i < n; i++) {
            json_object *e = json_object_array_get_idx(v, i);
            json_object *c =
                e ? filtered_copy(sh && sh->type == API_SHAPE_LIST ? sh->member : -1, e, redact)
                  : NULL;
            if ((e && !c) || json_object_array_add(out, c) != 0) {
                json_object_put(c);
                json_object_put(out);
                return NULL;
            }
        }
        return out;
    }
    return json_object_get(v); /* scalars are shared, never modified */
}

int api_protocol_body(const struct api_operation *op, json_object *input, int redact, char **body,
                      size_t *body_len, struct api_error *err)
{
    json_object *copy;
    const char *text;
    size_t len;

    *body = NULL;
    *body_len = 0;
    copy = input ? filtered_copy(op->input, input, redact) : json_object_new_object();
    if (!copy)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory building the request");
    text = json_object_to_json_string_length(
        copy, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    *body = text ? malloc(len + 1) : NULL;
    if (!*body) {
        json_object_put(copy);
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory building the request");
    }
    memcpy(*body, text, len + 1);
    *body_len = len;
    /* The text lives in copy's own print buffer and may hold login tokens:
     * wipe it before json-c frees it (json-c's earlier, smaller buffers,
     * freed as the text grew, are beyond reach). */
    OPENSSL_cleanse((char *)text, len);
    json_object_put(copy);
    return 0;
}

/* ---- answers ---- */

enum parse_result { PARSE_OK, PARSE_EMPTY, PARSE_TRUNCATED, PARSE_TOO_DEEP, PARSE_NOT_JSON };

static bool all_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

static enum parse_result parse_json(const char *body, size_t len, int depth, json_object **out)
{
    struct json_tokener *tok;
    enum json_tokener_error jerr;
    enum parse_result r;

    *out = NULL;
    if (all_space(body, len))
        return PARSE_EMPTY;
    if (len > (size_t)INT32_MAX)
        return PARSE_NOT_JSON;
    /* json-c counts a scalar inside the innermost container as one more level
     * than the containers themselves ({"a":1} needs 2), hence + 1. */
    tok = json_tokener_new_ex(depth + 1);
    if (!tok)
        return PARSE_NOT_JSON;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    *out = json_tokener_parse_ex(tok, body, (int)len);
    jerr = json_tokener_get_error(tok);
    if (jerr == json_tokener_success && *out) {
        size_t end = json_tokener_get_parse_end(tok);
        r = all_space(body + end, len - end) ? PARSE_OK : PARSE_NOT_JSON;
    } else if (jerr == json_tokener_continue && !*out) {
        /* A bare number only ends at a delimiter: a terminating NUL tells apart
         * "complete scalar" from "cut in the middle". */
        *out = json_tokener_parse_ex(tok, "", 1);
        jerr = json_tokener_get_error(tok);
        r = jerr == json_tokener_success && *out ? PARSE_OK : PARSE_TRUNCATED;
    } else if (jerr == json_tokener_continue) {
        r = PARSE_TRUNCATED;
    } else if (jerr == json_tokener_error_depth) {
        r = PARSE_TOO_DEEP;
    } else {
        r = PARSE_NOT_JSON;
    }
    if (r != PARSE_OK) {
        json_object_put(*out);
        *out = NULL;
    }
    json_tokener_free(tok);
    return r;
}

/* Removes null members of objects, at every level ("null means absent"). */
static void strip_nulls(json_object *v)
{
    if (json_object_is_type(v, json_type_object)) {
        const char *doomed[64];
        size_t n;
        do {
            n = 0;
            json_object_object_foreach(v, key, val)
            {
                if (!val) {
                    if (n < 64)
                        doomed[n++] = key;
                } else {
                    strip_nulls(val);
                }
            }
            for (size_t i = 0; i < n; i++)
                json_object_object_del(v, doomed[i]);
        } while (n == 64);
    } else if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(v); i++)
            strip_nulls(json_object_array_get_idx(v, i));
    }
}

static const char *ci_find(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (strncasecmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

/* Text between <tag ...> and </tag> (case-insensitive), one-lined into out. */
static bool xml_element(const char *body, size_t len, const char *tag, char *out, size_t size)
{
    char open[64], close[64];
    const char *p, *start, *end;

    snprintf(open, sizeof open, "<%s", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    for (p = body; (p = ci_find(p, len - (size_t)(p - body), open)); p++) {
        char after = p + strlen(open) < body + len ? p[strlen(open)] : '\0';
        if (after != '>' && after != ' ')
            continue;
        start = memchr(p, '>', len - (size_t)(p - body));
        if (!start)
            return false;
        start++;
        end = ci_find(start, len - (size_t)(start - body), close);
        if (!end)
            return false;
        while (start < end && isspace((unsigned char)*start))
            start++;
        while (end > start && isspace((unsigned char)end[-1]))
            end--;
        api_protocol_one_line(start, (size_t)(end - start), out, size);
        return true;
    }
    return false;
}

/* Name of the first element that is not <?xml ...?>, a comment or a doctype. */
static bool xml_root(const char *body, size_t len, char *out, size_t size)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (body[i] != '<' || body[i + 1] == '?' || body[i + 1] == '!' || body[i + 1] == '/')
            continue;
        size_t j = i + 1;
        while (j < len && (isalnum((unsigned char)body[j]) || body[j] == '_' || body[j] == '-' ||
                           body[j] == '.' || body[j] == ':'))
            j++;
        if (j == i + 1)
            return false;
        api_protocol_one_line(body + i + 1, j - i - 1, out, size);
        return true;
    }
    return false;
}

static int describe_non_aws(long status, const char *body, size_t len, enum parse_result pr,
                            const char *what_expected, struct api_error *err)
{
    char snippet[96];
    size_t skip = 0;

    while (skip < len && isspace((unsigned char)body[skip]))
        skip++;
    api_protocol_one_line(body + skip, len - skip < 80 ? len - skip : 80, snippet, sizeof snippet);
    if (pr == PARSE_EMPTY) {
        api_error_set(err, API_ERR_HTTP, "empty body %s", what_expected);
    } else if (skip < len && body[skip] == '<') {
        const char *b = body + skip;
        size_t n = len - skip;
        char title[160] = "", code[128] = "", message[512] = "";
        if (ci_find(b, n < 512 ? n : 512, "<html") ||
            ci_find(b, n < 512 ? n : 512, "<!doctype html")) {
            if (xml_element(b, n, "title", title, sizeof title) && title[0])
                api_error_set(err, API_ERR_HTTP, "an HTML page (\"%s\") %s", title, what_expected);
            else
                api_error_set(err, API_ERR_HTTP, "an HTML page %s", what_expected);
        } else {
            if (!xml_element(b, n, "Code", code, sizeof code))
                xml_root(b, n, code, sizeof code);
            xml_element(b, n, "Message", message, sizeof message);
            api_error_set(err, API_ERR_HTTP, "an XML answer (%s%s%s) %s",
                          code[0] ? code : "no code", message[0] ? ": " : "", message,
                          what_expected);
            snprintf(err->code, sizeof err->code, "%s", code);
        }
    } else if (pr == PARSE_TRUNCATED) {
        api_error_set(err, API_ERR_HTTP, "truncated JSON (%zu bytes) %s", len, what_expected);
    } else if (pr == PARSE_TOO_DEEP) {
        api_error_set(err, API_ERR_HTTP, "JSON nested deeper than the model allows %s",
                      what_expected);
    } else if (pr == PARSE_OK) {
        api_error_set(err, API_ERR_HTTP, "JSON without an error code (%s)", snippet);
    } else {
        api_error_set(err, API_ERR_HTTP, "an answer that is not JSON (\"%s\") %s", snippet,
                      what_expected);
    }
    err->http_status = status;
    return -1;
}

static const char *json_string_member(json_object *obj, const char *name)
{
    json_object *v;
    if (json_object_object_get_ex(obj, name, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

static int parse_error(const struct api_operation *op, const struct api_http_response *resp,
                       const char *body, size_t len, struct api_error *err)
{
    const char *header = api_http_response_header(resp, "x-amzn-ErrorType");
    json_object *obj = NULL;
    int depth = op && op->max_response_depth > 2 ? op->max_response_depth : 2;
    enum parse_result pr = parse_json(body, len, depth, &obj);
    char code[128] = "";
    const char *message = NULL;

    if (header)
        api_protocol_clean_code(header, code, sizeof code);
    if (pr == PARSE_OK && json_object_is_type(obj, json_type_object)) {
        if (!code[0])
            api_protocol_clean_code(json_string_member(obj, "__type"), code, sizeof code);
        if (!code[0])
            api_protocol_clean_code(json_string_member(obj, "code"), code, sizeof code);
        message = json_string_member(obj, "message");
        if (!message)
            message = json_string_member(obj, "Message");
    }
    if (code[0]) {
        char msg[sizeof err->message];
        if (message)
            api_protocol_one_line(message, strlen(message), msg, sizeof msg);
        else
            snprintf(msg, sizeof msg, "(the service sent no message)");
        api_error_set(err, API_ERR_AWS, "%s", msg);
        snprintf(err->code, sizeof err->code, "%s", code);
        err->http_status = resp->status;
    } else if (resp->status >= 300 && resp->status < 400) {
        const char *loc = api_http_response_header(resp, "Location");
        char where[256] = "";
        if (loc)
            api_protocol_one_line(loc, strlen(loc), where, sizeof where);
        api_error_set(err, API_ERR_HTTP, "redirect%s%s not followed (check the endpoint URL)",
                      loc ? " to " : "", where);
        err->http_status = resp->status;
    } else {
        describe_non_aws(resp->status, body, len, pr, "instead of an AWS error", err);
    }
    json_object_put(obj);
    return -1;
}

static void copy_request_id(const struct api_http_response *resp, char *out, size_t size)
{
    const char *rid = api_http_response_header(resp, "x-amzn-RequestId");
    if (!rid)
        rid = api_http_response_header(resp, "x-amz-request-id");
    if (size)
        out[0] = '\0';
    if (rid && size)
        api_protocol_one_line(rid, strlen(rid), out, size);
}

int api_protocol_parse_response(const struct api_operation *op,
                                const struct api_http_response *resp, json_object **output,
                                char *request_id, size_t request_id_size, struct api_error *err)
{
    const char *body = resp->body ? resp->body : "";
    size_t len = resp->body ? resp->body_len : 0;
    char rid[128];

    *output = NULL;
    copy_request_id(resp, rid, sizeof rid);
    if (resp->status < 200 || resp->status > 299) {
        parse_error(op, resp, body, len, err);
        snprintf(err->request_id, sizeof err->request_id, "%s", rid);
        return -1;
    }
    const struct api_shape *out_shape = api_shape_at(op->output);
    json_object *obj = NULL;
    enum parse_result pr = parse_json(body, len, op->max_response_depth, &obj);
    char expected[160];

    snprintf(expected, sizeof expected, "where the %s answer was expected", op->name);
    if (pr == PARSE_EMPTY && (!out_shape || out_shape->n_members == 0)) {
        obj = json_object_new_object();
        if (!obj)
            return api_error_set(err, API_ERR_HTTP, "out of memory");
    } else if (pr != PARSE_OK) {
        describe_non_aws(resp->status, body, len, pr, expected, err);
        snprintf(err->request_id, sizeof err->request_id, "%s", rid);
        return -1;
    } else if (!json_object_is_type(obj, json_type_object)) {
        json_object_put(obj);
        api_error_set(err, API_ERR_HTTP, "JSON that is not an object %s", expected);
        err->http_status = resp->status;
        snprintf(err->request_id, sizeof err->request_id, "%s", rid);
        return -1;
    }
    strip_nulls(obj);
    *output = obj;
    if (request_id && request_id_size)
        snprintf(request_id, request_id_size, "%s", rid);
    return 0;
}
