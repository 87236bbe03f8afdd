/* tui/journal.c — one JSON line per mutating call sent (tui/journal.h). */
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

/* The members of an input that name what a call acts on. Ids and names only:
 * Logins (tokens), role ARNs in rules and tag values are never copied. */
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

    json_object *line = json_object_new_object();
    if (!line) {
        snprintf(errbuf, errsize, "journal not written: out of memory");
        return -1;
    }
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_object_object_add(line, "time", json_object_new_string(when));
    json_object_object_add(line, "user", json_object_new_string(local_user()));
    json_object_object_add(line, "profile",
                           json_object_new_string(entry->profile ? entry->profile : ""));
    json_object_object_add(line, "region",
                           json_object_new_string(entry->region ? entry->region : ""));
    json_object_object_add(line, "operation",
                           json_object_new_string(entry->operation ? entry->operation : ""));
    json_object *targets = json_object_new_object();
    for (size_t i = 0; entry->input && i < sizeof target_members / sizeof target_members[0]; i++) {
        json_object *v;
        if (!json_object_object_get_ex(entry->input, target_members[i], &v) || !v)
            continue;
        enum json_type t = json_object_get_type(v);
        if (t == json_type_string) {
            json_object_object_add(targets, target_members[i],
                                   json_object_new_string(json_object_get_string(v)));
        } else if (t == json_type_array) {
            json_object *arr = json_object_new_array();
            size_t n = json_object_array_length(v);
            for (size_t k = 0; k < n; k++) {
                json_object *e = json_object_array_get_idx(v, k);
                if (json_object_is_type(e, json_type_string))
                    json_object_array_add(arr, json_object_new_string(json_object_get_string(e)));
            }
            json_object_object_add(targets, target_members[i], arr);
        }
    }
    json_object_object_add(line, "targets", targets);
    const struct api_error *e = entry->error;
    const char *outcome = "ok";
    if (e && e->kind != API_ERR_NONE)
        outcome = e->kind == API_ERR_AWS && e->code[0] ? e->code : api_error_kind_name(e->kind);
    json_object_object_add(line, "outcome", json_object_new_string(outcome));
    json_object_object_add(line, "request_id",
                           json_object_new_string(e && e->request_id[0] ? e->request_id : ""));

    const char *text = json_object_to_json_string_ext(line, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE);
    size_t len = strlen(text);
    char *buf = malloc(len + 2);
    if (!buf) {
        json_object_put(line);
        snprintf(errbuf, errsize, "journal not written: out of memory");
        return -1;
    }
    memcpy(buf, text, len);
    buf[len] = '\n';
    json_object_put(line);

    int rc = -1;
    char path[4200];
    snprintf(path, sizeof path, "%s/journal.jsonl", dir);
    if (make_dirs(dir) != 0) {
        snprintf(errbuf, errsize, "journal not written: cannot create %s: %s", dir,
                 strerror(errno));
        goto out;
    }
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(errbuf, errsize, "journal not written: %s: %s", path, strerror(errno));
        goto out;
    }
    /* The journal names who changed what: keep it private even if it was
     * created by hand with a looser mode. */
    struct stat st;
    if (fstat(fd, &st) == 0 && (st.st_mode & 077))
        (void)fchmod(fd, 0600);
    /* One write of the whole line, O_APPEND: concurrent consoles never interleave lines. */
    ssize_t w = write(fd, buf, len + 1);
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
    free(buf);
    return rc;
}
