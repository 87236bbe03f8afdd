/* tui/input_json.c — the JSON argument of `call` (contract in input_json.h). */
#include "tui/input_json.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* Line and column (1-based, columns in bytes) of offset `off` in text. */
static void position(const char *text, size_t off, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static bool only_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

json_object *input_json_parse(const char *text, size_t len, const char *what, char *errbuf,
                              size_t errsize)
{
    struct json_tokener *tok;
    json_object *obj;
    enum json_tokener_error jerr;
    size_t line, col, used;

    if (only_space(text, len)) {
        snprintf(errbuf, errsize, "%s is empty (give a JSON object, e.g. {})", what);
        return NULL;
    }
    if (memchr(text, '\0', len)) {
        position(text, (size_t)((const char *)memchr(text, '\0', len) - text), &line, &col);
        snprintf(errbuf, errsize, "%s, line %zu, column %zu: NUL byte", what, line, col);
        return NULL;
    }
    tok = json_tokener_new();
    if (!tok) {
        snprintf(errbuf, errsize, "out of memory");
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    obj = json_tokener_parse_ex(tok, text, (int)len);
    jerr = json_tokener_get_error(tok);
    used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (jerr == json_tokener_continue) {
        snprintf(errbuf, errsize, "%s: unexpected end of input (unclosed object, array or string)",
                 what);
        return NULL;
    }
    if (jerr != json_tokener_success || !obj) {
        /* The tokener stops on the offending byte. */
        position(text, used > len ? len : used, &line, &col);
        snprintf(errbuf, errsize, "%s, line %zu, column %zu: %s", what, line, col,
                 json_tokener_error_desc(jerr));
        json_object_put(obj);
        return NULL;
    }
    if (!only_space(text + used, len - used)) {
        position(text, used, &line, &col);
        snprintf(errbuf, errsize, "%s, line %zu, column %zu: text after the JSON value", what, line,
                 col);
        json_object_put(obj);
        return NULL;
    }
    if (!json_object_is_type(obj, json_type_object)) {
        snprintf(errbuf, errsize, "%s must be a JSON object ({...}), not %s", what,
                 json_type_to_name(json_object_get_type(obj)));
        json_object_put(obj);
        return NULL;
    }
    return obj;
}

static char *read_stream(FILE *f, const char *name, size_t *len, char *errbuf, size_t errsize)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);

    if (!buf) {
        snprintf(errbuf, errsize, "out of memory");
        return NULL;
    }
    for (;;) {
        if (n == cap) {
            char *bigger;
            if (cap >= INPUT_JSON_MAX + 1)
                break;
            cap *= 2;
            bigger = realloc(buf, cap);
            if (!bigger) {
                free(buf);
                snprintf(errbuf, errsize, "out of memory");
                return NULL;
            }
            buf = bigger;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(errbuf, errsize, "cannot read %s: %s", name, strerror(errno));
        free(buf);
        return NULL;
    }
    if (n > INPUT_JSON_MAX) {
        snprintf(errbuf, errsize, "%s is larger than %zu bytes", name, INPUT_JSON_MAX);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

json_object *input_json_load(const char *arg, FILE *stdin_stream, char *errbuf, size_t errsize)
{
    char *text, what[300];
    size_t len;
    json_object *obj;

    if (!arg)
        return json_object_new_object();
    if (strcmp(arg, "-") == 0) {
        text = read_stream(stdin_stream, "stdin", &len, errbuf, errsize);
        snprintf(what, sizeof what, "input JSON (stdin)");
    } else if (arg[0] == '@') {
        FILE *f = fopen(arg + 1, "rb");
        if (!f) {
            snprintf(errbuf, errsize, "cannot open %.256s: %s", arg + 1, strerror(errno));
            return NULL;
        }
        text = read_stream(f, arg + 1, &len, errbuf, errsize);
        fclose(f);
        snprintf(what, sizeof what, "input JSON (%.256s)", arg + 1);
    } else {
        return input_json_parse(arg, strlen(arg), "input JSON", errbuf, errsize);
    }
    if (!text)
        return NULL;
    obj = input_json_parse(text, len, what, errbuf, errsize);
    OPENSSL_cleanse(text, len); /* may hold login tokens */
    free(text);
    return obj;
}
