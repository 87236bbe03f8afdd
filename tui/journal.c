/* tui/journal.c — one JSON line a change (tui/journal.h). */
#include "tui/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/protocol.h"
#include "tui/state_dir.h"
#include "widgets/text.h"

/* The members of an input that name what a change acts on, copied as they
 * are (strings, or lists of strings). Ids and names only: Logins (tokens),
 * role ARNs in rules and tag values are never copied. */
static const char *const target_members[] = {
    "IdentityPoolId",
    "IdentityPoolName",
    "IdentityId",
    "IdentityIdsToDelete",
    "ResourceArn",
    "TagKeys",
    "DeveloperProviderName",
    "DeveloperUserIdentifier",
    "SourceUserIdentifier",
    "DestinationUserIdentifier",
    "IdentityProviderName",
    "LoginsToRemove",
};

/* Maps of the input whose KEYS say what is touched (the values are tag
 * values, role ARNs, rules: never copied), and the target they go under. */
static const struct {
    const char *member, *target;
} key_members[] = {
    {"Tags", "TagKeys"},
    {"IdentityPoolTags", "TagKeys"},
    {"RoleMappings", "Providers"},
    {"Roles", "Roles"},
};

/* Members of an answer worth keeping: ids the change created or chose. */
static const char *const result_members[] = {"IdentityPoolId", "IdentityId"};

/* mkdir -p with 0700 for the folders we create; existing ones are left alone. */
static int make_dirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0700);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static const char *local_user(void)
{
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name && *pw->pw_name)
        return pw->pw_name;
    const char *u = getenv("USER");
    return u && *u ? u : "unknown";
}

static size_t unprocessed_count(json_object *output)
{
    json_object *u;
    if (!output || !json_object_object_get_ex(output, "UnprocessedIdentityIds", &u) ||
        !json_object_is_type(u, json_type_array))
        return 0;
    return json_object_array_length(u);
}

static size_t sent_ids_count(json_object *input)
{
    json_object *ids;
    if (!input || !json_object_object_get_ex(input, "IdentityIdsToDelete", &ids) ||
        !json_object_is_type(ids, json_type_array))
        return 0;
    return json_object_array_length(ids);
}

enum journal_outcome journal_outcome_of(const struct journal_entry *entry)
{
    const struct api_error *e = entry->error;

    if (entry->refused_reason || (e && e->kind == API_ERR_READ_ONLY))
        return JOURNAL_REFUSED;
    if (e && e->kind != API_ERR_NONE)
        return e->outcome_unknown ? JOURNAL_UNKNOWN : JOURNAL_FAILED;
    size_t unprocessed = unprocessed_count(entry->output);
    if (unprocessed == 0)
        return JOURNAL_OK;
    /* Sent again after an attempt whose fate is unknown: an id the answer
     * lists as unprocessed may have been deleted by that first attempt. */
    if (e && e->repeated_after_unknown)
        return JOURNAL_UNKNOWN;
    return unprocessed >= sent_ids_count(entry->input) ? JOURNAL_FAILED : JOURNAL_PARTIAL;
}

const char *journal_outcome_name(enum journal_outcome outcome)
{
    switch (outcome) {
    case JOURNAL_OK:
        return "ok";
    case JOURNAL_PARTIAL:
        return "partial";
    case JOURNAL_FAILED:
        return "failed";
    case JOURNAL_UNKNOWN:
        return "unknown";
    case JOURNAL_REFUSED:
        return "refused";
    }
    return "unknown";
}

static void add_string(json_object *obj, const char *key, const char *value)
{
    json_object_object_add(obj, key, json_object_new_string(value ? value : ""));
}

/* A list of the strings in v (a string or a list; anything else gives []). */
static json_object *strings_of(json_object *v)
{
    json_object *arr = json_object_new_array();
    if (json_object_is_type(v, json_type_string)) {
        json_object_array_add(arr, json_object_new_string(json_object_get_string(v)));
    } else if (json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v);
        for (size_t k = 0; k < n; k++) {
            json_object *e = json_object_array_get_idx(v, k);
            if (json_object_is_type(e, json_type_string))
                json_object_array_add(arr, json_object_new_string(json_object_get_string(e)));
        }
    }
    return arr;
}

static json_object *targets_of(json_object *input)
{
    json_object *targets = json_object_new_object();

    if (!json_object_is_type(input, json_type_object))
        return targets;
    for (size_t i = 0; i < sizeof target_members / sizeof *target_members; i++) {
        json_object *v;
        if (!json_object_object_get_ex(input, target_members[i], &v) || !v)
            continue;
        if (json_object_is_type(v, json_type_string))
            add_string(targets, target_members[i], json_object_get_string(v));
        else if (json_object_is_type(v, json_type_array))
            json_object_object_add(targets, target_members[i], strings_of(v));
    }
    for (size_t i = 0; i < sizeof key_members / sizeof *key_members; i++) {
        json_object *map, *list;
        if (!json_object_object_get_ex(input, key_members[i].member, &map) ||
            !json_object_is_type(map, json_type_object))
            continue;
        if (!json_object_object_get_ex(targets, key_members[i].target, &list)) {
            list = json_object_new_array();
            json_object_object_add(targets, key_members[i].target, list);
        }
        json_object_object_foreach(map, key, value)
        {
            (void)value;
            json_object_array_add(list, json_object_new_string(key));
        }
    }
    return targets;
}

/* What the answer adds (see the header); NULL when nothing. */
static json_object *result_of(json_object *output, const char **first_code)
{
    json_object *result = NULL, *v;

    if (!json_object_is_type(output, json_type_object))
        return NULL;
    for (size_t i = 0; i < sizeof result_members / sizeof *result_members; i++) {
        if (!json_object_object_get_ex(output, result_members[i], &v) ||
            !json_object_is_type(v, json_type_string))
            continue;
        if (!result)
            result = json_object_new_object();
        add_string(result, result_members[i], json_object_get_string(v));
    }
    if (unprocessed_count(output) > 0) {
        json_object *list = json_object_new_array(), *u;
        json_object_object_get_ex(output, "UnprocessedIdentityIds", &u);
        for (size_t k = 0; k < json_object_array_length(u); k++) {
            json_object *item = json_object_array_get_idx(u, k), *id, *code;
            json_object *copy = json_object_new_object();
            bool has_id = json_object_object_get_ex(item, "IdentityId", &id) &&
                          json_object_is_type(id, json_type_string);
            bool has_code = json_object_object_get_ex(item, "ErrorCode", &code) &&
                            json_object_is_type(code, json_type_string);
            add_string(copy, "IdentityId", has_id ? json_object_get_string(id) : "");
            add_string(copy, "ErrorCode", has_code ? json_object_get_string(code) : "");
            if (has_code && !*first_code)
                *first_code = json_object_get_string(code);
            json_object_array_add(list, copy);
        }
        if (!result)
            result = json_object_new_object();
        json_object_object_add(result, "UnprocessedIdentityIds", list);
    }
    return result;
}

/* Appends one JSON \u escape (a surrogate pair above U+FFFF). */
static size_t put_u_escape(char *out, unsigned long cp)
{
    if (cp > 0xffff) {
        cp -= 0x10000;
        return (size_t)sprintf(out, "\\u%04lx\\u%04lx", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    }
    return (size_t)sprintf(out, "\\u%04lx", cp);
}

/* Re-encodes serialized JSON so that whatever the terminal sanitizer
 * (widgets/text.h) would show escaped is written as a JSON \u escape: the
 * same characters, as JSON, and nothing a terminal acts on. Such characters
 * can only be inside strings, where an escape means the same. */
static char *escape_for_terminals(const char *json)
{
    size_t len = strlen(json), pos = 0, n = 0;
    /* Worst case 6 bytes out a byte in ("\ufffd" for one bad byte), plus
     * the NUL and one spare byte journal_record() uses for the newline. */
    char *out = malloc(len * 6 + 2);
    struct text_glyph g;

    if (!out)
        return NULL;
    while (text_next(json, len, &pos, &g)) {
        const unsigned char *u = (const unsigned char *)json + pos - g.nbytes;
        if (g.esclen == 0) {
            memcpy(out + n, u, g.nbytes);
            n += g.nbytes;
        } else if (g.esc[0] == '\\' && g.esc[1] == 'x') {
            n += (size_t)sprintf(out + n, "\\ufffd"); /* not UTF-8: the replacement character */
        } else {
            /* A valid character (text_next decoded it): its code point. */
            unsigned long cp = g.nbytes == 1   ? u[0]
                               : g.nbytes == 2 ? (u[0] & 0x1fUL)
                               : g.nbytes == 3 ? (u[0] & 0x0fUL)
                                               : (u[0] & 0x07UL);
            for (size_t k = 1; k < g.nbytes; k++)
                cp = (cp << 6) | (u[k] & 0x3fUL);
            n += put_u_escape(out + n, cp);
        }
    }
    out[n] = '\0';
    return out;
}

char *journal_format(const struct journal_entry *entry, time_t now)
{
    json_object *line = json_object_new_object();
    const struct api_error *e = entry->error;
    enum journal_outcome outcome = journal_outcome_of(entry);
    const char *first_code = NULL;
    char when[32];
    struct tm tm;

    if (!line)
        return NULL;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    add_string(line, "time", when);
    add_string(line, "user", local_user());
    add_string(line, "profile", entry->profile);
    add_string(line, "region", entry->region);
    add_string(line, "operation", entry->operation);
    json_object_object_add(line, "targets", targets_of(entry->input));
    add_string(line, "outcome", journal_outcome_name(outcome));
    json_object *result =
        e && e->kind != API_ERR_NONE ? NULL : result_of(entry->output, &first_code);
    if (outcome == JOURNAL_REFUSED) {
        add_string(line, "error",
                   e && e->kind != API_ERR_NONE ? api_error_kind_name(e->kind) : "Refused");
        char reason[1024];
        const char *why = entry->refused_reason ? entry->refused_reason : e ? e->message : "";
        api_protocol_one_line(why, strlen(why), reason, sizeof reason);
        add_string(line, "reason", reason);
    } else if (e && e->kind != API_ERR_NONE) {
        add_string(line, "error",
                   e->kind == API_ERR_AWS && e->code[0] ? e->code : api_error_kind_name(e->kind));
    } else if (first_code) {
        add_string(line, "error", first_code);
    }
    add_string(line, "request_id", e ? e->request_id : "");
    if (result)
        json_object_object_add(line, "result", result);
    if (e && e->repeated_after_unknown)
        json_object_object_add(line, "repeated_after_unknown", json_object_new_boolean(1));

    const char *text = json_object_to_json_string_ext(line, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE);
    char *escaped = text ? escape_for_terminals(text) : NULL;
    json_object_put(line);
    return escaped;
}

int journal_record(const struct journal_entry *entry, char *errbuf, size_t errsize)
{
    char dir[4096];
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    if (state && *state == '/')
        snprintf(dir, sizeof dir, "%s/cognito-tui", state);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.local/state/cognito-tui", home);
    else {
        snprintf(errbuf, errsize, "journal not written: neither XDG_STATE_HOME nor HOME is set");
        return -1;
    }

    char *text = journal_format(entry, time(NULL));
    if (!text) {
        snprintf(errbuf, errsize, "journal not written: out of memory");
        return -1;
    }
    size_t len = strlen(text);
    text[len] = '\n'; /* journal_format left room: its buffer has the extra byte */

    int rc = -1;
    char path[4200];
    snprintf(path, sizeof path, "%s/journal.jsonl", dir);
    if (make_dirs(dir) != 0) {
        snprintf(errbuf, errsize, "journal not written: cannot create %s: %s", dir,
                 strerror(errno));
        goto out;
    }
    /* Private (it names who changed what), and never a FIFO to block on. */
    char why[600];
    int fd = state_file_open(path, O_WRONLY | O_APPEND | O_CREAT, "the journal", why, sizeof why);
    if (fd < 0) {
        snprintf(errbuf, errsize, "journal not written: %s", why);
        goto out;
    }
    /* One write of the whole line, O_APPEND: concurrent writers never interleave lines. */
    ssize_t w = write(fd, text, len + 1);
    if (w != (ssize_t)(len + 1))
        snprintf(errbuf, errsize, "journal not written: %s: %s", path,
                 w < 0 ? strerror(errno) : "short write");
    else
        rc = 0;
    if (close(fd) != 0 && rc == 0) {
        snprintf(errbuf, errsize, "journal not written: %s: %s", path, strerror(errno));
        rc = -1;
    }
out:
    free(text);
    return rc;
}
