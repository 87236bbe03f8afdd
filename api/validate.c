/* api/validate.c — model constraints; see api/validate.h for the rules. */
#include "api/validate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "api/operations.h"

/* Compiled patterns, indexed like api_shapes[]; filled on first use. */
static pcre2_code **compiled;
static pcre2_match_data *match_data;

void api_validate_cleanup(void)
{
    if (compiled) {
        for (size_t i = 0; i < api_n_shapes; i++)
            pcre2_code_free(compiled[i]);
        free(compiled);
        compiled = NULL;
    }
    pcre2_match_data_free(match_data);
    match_data = NULL;
}

long api_utf8_length(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    long count = 0;
    size_t i = 0;

    while (i < n) {
        unsigned char c = s[i];
        size_t len;
        unsigned long cp;

        if (c < 0x80) {
            i++;
            count++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            len = 2, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            len = 3, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            len = 4, cp = c & 0x07;
        else
            return -1; /* continuation byte first, 0xc0/0xc1 (overlong) or 0xf5+ */
        if (n - i < len)
            return -1;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return -1;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return -1;
        i += len;
        count++;
    }
    return count;
}

int api_pattern_match(int shape_index, const char *s, size_t n, struct api_error *err)
{
    const struct api_shape *sh = api_shape_at(shape_index);
    int rc;

    if (!sh || !sh->pattern)
        return api_error_set(err, API_ERR_INVALID_INPUT, "shape %d has no pattern", shape_index);
    if (!compiled && !(compiled = calloc(api_n_shapes, sizeof *compiled)))
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    if (!compiled[shape_index]) {
        int code;
        PCRE2_SIZE offset;
        /* ANCHORED + ENDANCHORED: the whole value must match, as Java's
         * Matcher.matches() on the service side requires. */
        compiled[shape_index] = pcre2_compile(
            (PCRE2_SPTR)sh->pattern, PCRE2_ZERO_TERMINATED,
            PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED | PCRE2_ENDANCHORED, &code, &offset, NULL);
        if (!compiled[shape_index]) {
            PCRE2_UCHAR msg[160];
            pcre2_get_error_message(code, msg, sizeof msg);
            return api_error_set(err, API_ERR_INVALID_INPUT,
                                 "the model pattern of %s does not compile at %zu: %s", sh->name,
                                 (size_t)offset, (const char *)msg);
        }
    }
    if (!match_data && !(match_data = pcre2_match_data_create(1, NULL)))
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    rc = pcre2_match(compiled[shape_index], (PCRE2_SPTR)s, n, 0, 0, match_data, NULL);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(rc, msg, sizeof msg);
        return api_error_set(err, API_ERR_INVALID_INPUT, "pattern match failed: %s",
                             (const char *)msg);
    }
}

/* ---- the walk ---- */

struct path {
    char buf[256];
    size_t len;
};

static size_t path_push(struct path *p, const char *sep, const char *name, size_t name_len)
{
    size_t old = p->len;
    int w;

    if (p->len == 0)
        sep = "";
    w = snprintf(p->buf + p->len, sizeof p->buf - p->len, "%s%.*s", sep, (int)name_len, name);
    if (w > 0)
        p->len += (size_t)w < sizeof p->buf - p->len ? (size_t)w : sizeof p->buf - p->len - 1;
    return old;
}

static void path_index(struct path *p, size_t i)
{
    int w = snprintf(p->buf + p->len, sizeof p->buf - p->len, "[%zu]", i);
    if (w > 0)
        p->len += (size_t)w < sizeof p->buf - p->len ? (size_t)w : sizeof p->buf - p->len - 1;
}

static void path_pop(struct path *p, size_t old)
{
    p->len = old;
    p->buf[old] = '\0';
}

static const char *path_or_input(const struct path *p)
{
    return p->len ? p->buf : "input";
}

static int fail(struct api_error *err, const struct path *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct api_error *err, const struct path *p, const char *fmt, ...)
{
    char what[700];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    api_error_set(err, API_ERR_INVALID_INPUT, "%s: %s", path_or_input(p), what);
    snprintf(err->field, sizeof err->field, "%s", p->buf);
    return -1;
}

static const char *json_type_word(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "a boolean";
    case json_type_double:
        return "a non-integer number";
    case json_type_int:
        return "an integer";
    case json_type_object:
        return "an object";
    case json_type_array:
        return "an array";
    case json_type_string:
        return "a string";
    }
    return "something else";
}

static int check_string(const struct api_shape *sh, int index, const char *s, size_t n,
                        const struct path *p, struct api_error *err)
{
    long len = api_utf8_length(s, n);

    if (len < 0)
        return fail(err, p, "is not valid UTF-8");
    if (sh->has_min && len < sh->min)
        return fail(err, p, "must be at least %lld character%s long (is %ld)", sh->min,
                    sh->min == 1 ? "" : "s", len);
    if (sh->has_max && len > sh->max)
        return fail(err, p, "must be at most %lld character%s long (is %ld)", sh->max,
                    sh->max == 1 ? "" : "s", len);
    if (sh->n_enum) {
        bool found = false;
        for (int i = 0; i < sh->n_enum && !found; i++)
            found = strlen(sh->enum_values[i]) == n && memcmp(sh->enum_values[i], s, n) == 0;
        if (!found) {
            char list[400] = "";
            size_t used = 0;
            for (int i = 0; i < sh->n_enum; i++) {
                int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 sh->enum_values[i]);
                if (w < 0 || (size_t)w >= sizeof list - used)
                    break;
                used += (size_t)w;
            }
            return fail(err, p, "must be one of %s", list);
        }
    }
    if (sh->pattern) {
        int m = api_pattern_match(index, s, n, err);
        if (m < 0) {
            snprintf(err->field, sizeof err->field, "%s", p->buf);
            return -1;
        }
        if (m == 0)
            return fail(err, p, "does not match the pattern %s", sh->pattern);
    }
    return 0;
}

/* unit: "item" or "entry"; made plural here when the bound is not 1. */
static int check_size(const struct api_shape *sh, long long n, const char *unit,
                      const struct path *p, struct api_error *err)
{
    bool entry = strcmp(unit, "entry") == 0;
    long long bound = sh->has_min && n < sh->min ? sh->min : sh->max;
    const char *units = bound == 1 ? unit : entry ? "entries" : "items";

    if (sh->has_min && n < sh->min)
        return fail(err, p, "must have at least %lld %s (has %lld)", sh->min, units, n);
    if (sh->has_max && n > sh->max)
        return fail(err, p, "must have at most %lld %s (has %lld)", sh->max, units, n);
    return 0;
}

static int check_value(int index, json_object *v, struct path *p, struct api_error *err);

static int check_structure(const struct api_shape *sh, json_object *v, struct path *p,
                           struct api_error *err)
{
    if (!json_object_is_type(v, json_type_object))
        return fail(err, p, "must be an object, not %s", json_type_word(v));
    /* Unknown members first: a misspelt required member reads better as "unknown". */
    json_object_object_foreach(v, key, val)
    {
        bool known = false;
        (void)val;
        for (int i = 0; i < sh->n_members && !known; i++)
            known = strcmp(sh->members[i].name, key) == 0;
        if (!known) {
            char names[600] = "";
            size_t used = 0;
            size_t old = path_push(p, ".", key, strlen(key));
            for (int i = 0; i < sh->n_members; i++) {
                int w = snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                 sh->members[i].name);
                if (w < 0 || (size_t)w >= sizeof names - used)
                    break;
                used += (size_t)w;
            }
            int rc = sh->n_members ? fail(err, p, "unknown member (%s takes %s)", sh->name, names)
                                   : fail(err, p, "unknown member (%s takes none)", sh->name);
            path_pop(p, old);
            return rc;
        }
    }
    for (int i = 0; i < sh->n_members; i++) {
        const struct api_member *m = &sh->members[i];
        json_object *mv = NULL;
        bool present = json_object_object_get_ex(v, m->name, &mv) && mv != NULL;
        size_t old = path_push(p, ".", m->name, strlen(m->name));
        int rc = 0;

        if (!present) {
            if (m->required)
                rc = fail(err, p, "missing required member");
        } else {
            rc = check_value(m->shape, mv, p, err);
        }
        path_pop(p, old);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int check_value(int index, json_object *v, struct path *p, struct api_error *err)
{
    const struct api_shape *sh = api_shape_at(index);

    if (!sh)
        return fail(err, p, "no such shape in the model (%d)", index);
    switch (sh->type) {
    case API_SHAPE_STRUCTURE:
        return check_structure(sh, v, p, err);
    case API_SHAPE_LIST: {
        if (!json_object_is_type(v, json_type_array))
            return fail(err, p, "must be a list, not %s", json_type_word(v));
        size_t n = json_object_array_length(v);
        if (check_size(sh, (long long)n, "item", p, err) != 0)
            return -1;
        for (size_t i = 0; i < n; i++) {
            size_t old = p->len;
            path_index(p, i);
            int rc = check_value(sh->member, json_object_array_get_idx(v, i), p, err);
            path_pop(p, old);
            if (rc != 0)
                return rc;
        }
        return 0;
    }
    case API_SHAPE_MAP: {
        const struct api_shape *key = api_shape_at(sh->key);
        if (!json_object_is_type(v, json_type_object))
            return fail(err, p, "must be a map (a JSON object), not %s", json_type_word(v));
        if (check_size(sh, json_object_object_length(v), "entry", p, err) != 0)
            return -1;
        json_object_object_foreach(v, k, val)
        {
            size_t old = path_push(p, ".", k, strlen(k));
            int rc = key ? check_string(key, sh->key, k, strlen(k), p, err) : 0;
            if (rc != 0) {
                /* Say it is the key that is wrong, not its value. */
                size_t at = strlen(path_or_input(p)) + 2; /* after "path: " */
                size_t len = strnlen(err->message, sizeof err->message - 5);
                if (at <= len) {
                    memmove(err->message + at + 4, err->message + at, len - at);
                    memcpy(err->message + at, "key ", 4);
                    err->message[len + 4] = '\0';
                }
            }
            if (rc == 0)
                rc = check_value(sh->value, val, p, err);
            path_pop(p, old);
            if (rc != 0)
                return rc;
        }
        return 0;
    }
    case API_SHAPE_STRING:
        if (!json_object_is_type(v, json_type_string))
            return fail(err, p, "must be a string, not %s", json_type_word(v));
        return check_string(sh, index, json_object_get_string(v),
                            (size_t)json_object_get_string_len(v), p, err);
    case API_SHAPE_BOOLEAN:
        if (!json_object_is_type(v, json_type_boolean))
            return fail(err, p, "must be true or false, not %s", json_type_word(v));
        return 0;
    case API_SHAPE_INTEGER:
    case API_SHAPE_LONG: {
        if (!json_object_is_type(v, json_type_int))
            return fail(err, p, "must be an integer, not %s", json_type_word(v));
        long long n = json_object_get_int64(v);
        if (sh->type == API_SHAPE_INTEGER && (n < -2147483648LL || n > 2147483647LL))
            return fail(err, p, "does not fit a 32-bit integer");
        if ((sh->has_min && n < sh->min) || (sh->has_max && n > sh->max)) {
            if (sh->has_min && sh->has_max)
                return fail(err, p, "must be between %lld and %lld (is %lld)", sh->min, sh->max, n);
            return fail(err, p, "must be %s %lld (is %lld)", sh->has_min ? "at least" : "at most",
                        sh->has_min ? sh->min : sh->max, n);
        }
        return 0;
    }
    case API_SHAPE_TIMESTAMP:
        if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double) &&
            !json_object_is_type(v, json_type_string))
            return fail(err, p, "must be a timestamp (epoch seconds or a string), not %s",
                        json_type_word(v));
        return 0;
    }
    return fail(err, p, "unsupported shape type");
}

int api_validate(int shape_index, json_object *value, struct api_error *err)
{
    struct path p = {"", 0};
    json_object *empty = NULL;
    int rc;

    if (!value)
        value = empty = json_object_new_object();
    if (!value)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    rc = check_value(shape_index, value, &p, err);
    json_object_put(empty);
    return rc;
}

/* The shape `path` (see api_validate_member) leads to from `shape`, or -1. */
static int member_shape(int shape, const char *path)
{
    while (*path) {
        const struct api_shape *sh = api_shape_at(shape);
        if (!sh)
            return -1;
        if (*path == '.') {
            path++;
            continue;
        }
        if (!strncmp(path, "[]", 2)) {
            if (sh->type != API_SHAPE_LIST)
                return -1;
            shape = sh->member;
            path += 2;
        } else if (!strncmp(path, "{key}", 5) || !strncmp(path, "{value}", 7)) {
            if (sh->type != API_SHAPE_MAP)
                return -1;
            bool key = path[1] == 'k';
            shape = key ? sh->key : sh->value;
            path += key ? 5 : 7;
        } else {
            size_t n = strcspn(path, ".[{");
            int found = -1;
            if (sh->type != API_SHAPE_STRUCTURE)
                return -1;
            for (int i = 0; i < sh->n_members && found < 0; i++)
                if (strlen(sh->members[i].name) == n && !memcmp(sh->members[i].name, path, n))
                    found = sh->members[i].shape;
            if (found < 0)
                return -1;
            shape = found;
            path += n;
        }
    }
    return shape;
}

int api_member_shape(const char *operation, const char *member)
{
    const struct api_operation *op = api_operation_find(operation ? operation : "");
    return op && member ? member_shape(op->input, member) : -1;
}

int api_validate_member(const char *operation, const char *member, const char *value,
                        struct api_error *err)
{
    struct path p = {"", 0};
    int index = api_member_shape(operation, member);
    const struct api_shape *sh = api_shape_at(index);

    api_error_clear(err);
    path_push(&p, "", member ? member : "", member ? strlen(member) : 0);
    if (!value)
        value = "";
    if (!sh || (sh->type != API_SHAPE_STRING && sh->type != API_SHAPE_INTEGER &&
                sh->type != API_SHAPE_LONG))
        return fail(err, &p, "not a text member of %s in the model",
                    operation ? operation : "(no operation)");
    if (sh->type == API_SHAPE_STRING)
        return check_string(sh, index, value, strlen(value), &p, err);
    /* A number typed as text: digits only, then the range as for JSON. */
    char *end = NULL;
    errno = 0;
    long long n = strtoll(value, &end, 10);
    if (!*value || *end || errno == ERANGE)
        return fail(err, &p, "must be a whole number");
    json_object *num = json_object_new_int64(n);
    if (!num)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    int rc = check_value(index, num, &p, err);
    json_object_put(num);
    return rc;
}
