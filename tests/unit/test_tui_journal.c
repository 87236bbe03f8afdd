/* tests/unit/test_tui_journal.c — the audit journal: fields, outcomes (ok,
 * partial, failed, unknown, refused), what the answer adds, no secrets,
 * escapes for terminals, modes, and whole lines under concurrent writers. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "check.h"
#include "tui/journal.h"
#include "widgets/text.h"

static char state_dir[256];

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void journal_path(char *buf, size_t size)
{
    snprintf(buf, size, "%s/cognito-tui/journal.jsonl", state_dir);
}

static void test_fields_and_no_secrets(void)
{
    json_object *in = json_tokener_parse(
        "{\"IdentityId\":\"us-east-1:1111\",\"Logins\":{\"graph.facebook.com\":\"SECRET-TOKEN-"
        "XYZ\"},"
        "\"LoginsToRemove\":[\"graph.facebook.com\"],\"CustomRoleArn\":\"arn:secret-role\"}");
    struct api_error ok;
    api_error_clear(&ok);
    snprintf(ok.request_id, sizeof ok.request_id, "req-123");
    struct journal_entry e = {"admin", "eu-west-1", "UnlinkIdentity", in, &ok, NULL, NULL};
    char why[300] = "";
    CHECK_INT_EQ(journal_record(&e, why, sizeof why), 0);
    json_object_put(in);

    char path[512];
    journal_path(path, sizeof path);
    char *text = read_all(path);
    CHECK(text != NULL);
    if (!text)
        return;
    CHECK(strstr(text, "SECRET-TOKEN-XYZ") == NULL);
    CHECK(strstr(text, "arn:secret-role") == NULL);
    CHECK_INT_EQ(strchr(text, '\n') - text + 1, (long)strlen(text)); /* exactly one line */
    json_object *line = json_tokener_parse(text);
    CHECK(line != NULL);
    json_object *v;
    CHECK(json_object_object_get_ex(line, "time", &v) && strlen(json_object_get_string(v)) == 20);
    CHECK(json_object_object_get_ex(line, "user", &v) && json_object_get_string_len(v) > 0);
    CHECK(json_object_object_get_ex(line, "profile", &v));
    CHECK_STR_EQ(json_object_get_string(v), "admin");
    CHECK(json_object_object_get_ex(line, "region", &v));
    CHECK_STR_EQ(json_object_get_string(v), "eu-west-1");
    CHECK(json_object_object_get_ex(line, "operation", &v));
    CHECK_STR_EQ(json_object_get_string(v), "UnlinkIdentity");
    CHECK(json_object_object_get_ex(line, "outcome", &v));
    CHECK_STR_EQ(json_object_get_string(v), "ok");
    CHECK(json_object_object_get_ex(line, "request_id", &v));
    CHECK_STR_EQ(json_object_get_string(v), "req-123");
    json_object *t;
    CHECK(json_object_object_get_ex(line, "targets", &t));
    CHECK(json_object_object_get_ex(t, "IdentityId", &v));
    CHECK_STR_EQ(json_object_get_string(v), "us-east-1:1111");
    CHECK(!json_object_object_get_ex(t, "Logins", &v));
    json_object_put(line);
}

static void test_modes_and_append(void)
{
    char path[512], dir[512];
    journal_path(path, sizeof path);
    snprintf(dir, sizeof dir, "%s/cognito-tui", state_dir);
    struct stat st;
    CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    /* A journal made loose by hand is tightened on the next write. */
    chmod(path, 0644);
    json_object *in =
        json_tokener_parse("{\"IdentityIdsToDelete\":[\"us-east-1:a\",\"us-east-1:b\"]}");
    struct api_error fail;
    api_error_set(&fail, API_ERR_AWS, "Rate exceeded");
    snprintf(fail.code, sizeof fail.code, "TooManyRequestsException");
    struct journal_entry e = {"p", "r", "DeleteIdentities", in, &fail, NULL, NULL};
    char why[300] = "";
    CHECK_INT_EQ(journal_record(&e, why, sizeof why), 0);
    json_object_put(in);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    char *text = read_all(path);
    CHECK(text != NULL);
    if (!text)
        return;
    char *second = strchr(text, '\n');
    CHECK(second && second[1]);
    if (!second)
        return;
    json_object *line = json_tokener_parse(second + 1);
    json_object *v, *t;
    CHECK(json_object_object_get_ex(line, "outcome", &v));
    CHECK_STR_EQ(json_object_get_string(v), "failed");
    CHECK(json_object_object_get_ex(line, "error", &v));
    CHECK_STR_EQ(json_object_get_string(v), "TooManyRequestsException");
    CHECK(json_object_object_get_ex(line, "targets", &t) &&
          json_object_object_get_ex(t, "IdentityIdsToDelete", &v) &&
          json_object_array_length(v) == 2);
    json_object_put(line);
}

static void test_unwritable_reports(void)
{
    char blocker[300];
    snprintf(blocker, sizeof blocker, "%s/file", state_dir);
    FILE *f = fopen(blocker, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    setenv("XDG_STATE_HOME", blocker, 1); /* a file where a folder must be */
    struct api_error ok;
    api_error_clear(&ok);
    struct journal_entry e = {"p", "r", "DeleteIdentityPool", NULL, &ok, NULL, NULL};
    char why[300] = "";
    CHECK_INT_EQ(journal_record(&e, why, sizeof why), -1);
    CHECK(strstr(why, "journal not written") != NULL);
    setenv("XDG_STATE_HOME", state_dir, 1);
}

/* The line journal_format() makes of an entry, parsed. */
static json_object *line_of(const char *op, const char *input, const char *output,
                            const struct api_error *err, const char *refused, char **raw)
{
    json_object *in = input ? json_tokener_parse(input) : NULL;
    json_object *out = output ? json_tokener_parse(output) : NULL;
    struct journal_entry e = {"p", "r", op, in, err, out, refused};
    char *text = journal_format(&e, 1700000000);
    json_object *line = text ? json_tokener_parse(text) : NULL;
    CHECK(line != NULL);
    if (raw)
        *raw = text;
    else
        free(text);
    json_object_put(in);
    json_object_put(out);
    return line;
}

static const char *get(json_object *o, const char *path)
{
    /* "a.b" walks objects; NULL when absent. */
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    json_object *v = o;
    for (char *tok = strtok(buf, "."); tok && v; tok = strtok(NULL, "."))
        if (!json_object_object_get_ex(v, tok, &v))
            v = NULL;
    return v ? json_object_get_string(v) : NULL;
}

#define ID(n) "\"us-east-1:0000000" #n "-0000-0000-0000-000000000000\""

static void test_outcomes(void)
{
    struct api_error ok, aws, unknown, ro;
    api_error_clear(&ok);
    snprintf(ok.request_id, sizeof ok.request_id, "rid-1");
    api_error_set(&aws, API_ERR_AWS, "no such pool");
    snprintf(aws.code, sizeof aws.code, "ResourceNotFoundException");
    aws.sent = true;
    api_error_set(&unknown, API_ERR_CANCELLED, "cancelled after it was sent");
    unknown.sent = unknown.outcome_unknown = true;
    api_error_set(&ro, API_ERR_READ_ONLY, "CreateIdentityPool is refused in read-only mode");

    const char *del = "{\"IdentityIdsToDelete\":[" ID(1) "," ID(2) "," ID(3) "]}";
    json_object *l =
        line_of("DeleteIdentities", del, "{\"UnprocessedIdentityIds\":[]}", &ok, NULL, NULL);
    CHECK_STR_EQ(get(l, "outcome"), "ok");
    CHECK_STR_EQ(get(l, "request_id"), "rid-1");
    CHECK(get(l, "error") == NULL);
    json_object_put(l);

    l = line_of("DeleteIdentities", del,
                "{\"UnprocessedIdentityIds\":[{\"IdentityId\":" ID(2) ",\"ErrorCode\":"
                                                                      "\"InternalServerError\"}]}",
                &ok, NULL, NULL);
    CHECK_STR_EQ(get(l, "outcome"), "partial");
    CHECK_STR_EQ(get(l, "error"), "InternalServerError");
    json_object *u = NULL;
    CHECK(json_object_object_get_ex(json_object_object_get(l, "result"), "UnprocessedIdentityIds",
                                    &u));
    CHECK_INT_EQ(json_object_array_length(u), 1);
    CHECK_STR_EQ(get(json_object_array_get_idx(u, 0), "IdentityId"),
                 "us-east-1:00000002-0000-0000-0000-000000000000");
    CHECK_STR_EQ(get(json_object_array_get_idx(u, 0), "ErrorCode"), "InternalServerError");
    json_object_put(l);

    /* Every id unprocessed: nothing was deleted. */
    l = line_of("DeleteIdentities", del,
                "{\"UnprocessedIdentityIds\":[{\"IdentityId\":" ID(
                    1) ",\"ErrorCode\":"
                       "\"AccessDenied\"},{\"IdentityId\":" ID(
                           2) ",\"ErrorCode\":\"AccessDenied\"},"
                              "{\"IdentityId\":" ID(3) ",\"ErrorCode\":\"AccessDenied\"}]}",
                &ok, NULL, NULL);
    CHECK_STR_EQ(get(l, "outcome"), "failed");
    CHECK_STR_EQ(get(l, "error"), "AccessDenied");
    json_object_put(l);

    l = line_of("DeleteIdentityPool", "{\"IdentityPoolId\":\"us-east-1:x\"}", NULL, &aws, NULL,
                NULL);
    CHECK_STR_EQ(get(l, "outcome"), "failed");
    CHECK_STR_EQ(get(l, "error"), "ResourceNotFoundException");
    json_object_put(l);

    l = line_of("CreateIdentityPool", "{\"IdentityPoolName\":\"n\"}", NULL, &unknown, NULL, NULL);
    CHECK_STR_EQ(get(l, "outcome"), "unknown");
    CHECK_STR_EQ(get(l, "error"), "Cancelled");
    json_object_put(l);

    l = line_of("CreateIdentityPool", "{\"IdentityPoolName\":\"n\"}", NULL, &ro, NULL, NULL);
    CHECK_STR_EQ(get(l, "outcome"), "refused");
    CHECK_STR_EQ(get(l, "error"), "ReadOnly");
    CHECK(strstr(get(l, "reason"), "read-only") != NULL);
    json_object_put(l);

    /* A job's own guard. */
    l = line_of("DeleteIdentities", del, NULL, NULL, "identity used since the plan\nwas made",
                NULL);
    CHECK_STR_EQ(get(l, "outcome"), "refused");
    CHECK(strchr(get(l, "reason"), '\n') == NULL);
    json_object_put(l);

    /* A success sent again after an unknown attempt says so. */
    ok.repeated_after_unknown = true;
    l = line_of("DeleteIdentities", del, "{}", &ok, NULL, NULL);
    CHECK_STR_EQ(get(l, "outcome"), "ok");
    CHECK_STR_EQ(get(l, "repeated_after_unknown"), "true");
    json_object_put(l);
    /* ... and the ids it calls unprocessed may be gone already. */
    l = line_of("DeleteIdentities", del,
                "{\"UnprocessedIdentityIds\":[{\"IdentityId\":" ID(1) ",\"ErrorCode\":"
                                                                      "\"AccessDenied\"}]}",
                &ok, NULL, NULL);
    CHECK_STR_EQ(get(l, "outcome"), "unknown");
    json_object_put(l);
    ok.repeated_after_unknown = false;
    l = line_of("DeleteIdentities", del, "{}", &ok, NULL, NULL);
    CHECK(get(l, "repeated_after_unknown") == NULL);
    json_object_put(l);

    CHECK_STR_EQ(journal_outcome_name(JOURNAL_PARTIAL), "partial");
}

static void test_what_each_change_records(void)
{
    struct api_error ok;
    api_error_clear(&ok);

    json_object *l =
        line_of("CreateIdentityPool",
                "{\"IdentityPoolName\":\"pool one\",\"AllowUnauthenticatedIdentities\":false,"
                "\"IdentityPoolTags\":{\"team\":\"TAG-VALUE-1\"}}",
                "{\"IdentityPoolId\":\"us-east-1:new-pool\",\"IdentityPoolName\":\"pool one\"}",
                &ok, NULL, NULL);
    CHECK_STR_EQ(get(l, "result.IdentityPoolId"), "us-east-1:new-pool");
    CHECK_STR_EQ(get(l, "targets.IdentityPoolName"), "pool one");
    json_object_put(l);

    char *raw = NULL;
    l = line_of("TagResource",
                "{\"ResourceArn\":\"arn:aws:cognito-identity:us-east-1:1:identitypool/x\","
                "\"Tags\":{\"team\":\"TAG-VALUE-2\",\"env\":\"TAG-VALUE-3\"}}",
                "{}", &ok, NULL, &raw);
    json_object *keys = NULL;
    CHECK(json_object_object_get_ex(json_object_object_get(l, "targets"), "TagKeys", &keys));
    CHECK_INT_EQ(json_object_array_length(keys), 2);
    CHECK(raw && strstr(raw, "\"team\"") && strstr(raw, "\"env\""));
    CHECK(raw && !strstr(raw, "TAG-VALUE"));
    free(raw);
    json_object_put(l);

    l = line_of("SetIdentityPoolRoles",
                "{\"IdentityPoolId\":\"us-east-1:x\",\"Roles\":{\"authenticated\":"
                "\"arn:aws:iam::1:role/ROLE-ARN-A\"},\"RoleMappings\":{\"graph.facebook.com\":"
                "{\"Type\":\"Token\",\"AmbiguousRoleResolution\":\"Deny\"},"
                "\"cognito-idp.us-east-1.amazonaws.com/us-east-1_X:client\":{\"Type\":\"Rules\","
                "\"RulesConfiguration\":{\"Rules\":[{\"Claim\":\"c\",\"MatchType\":\"Equals\","
                "\"Value\":\"v\",\"RoleARN\":\"arn:aws:iam::1:role/ROLE-ARN-B\"}]}}}}",
                "{}", &ok, NULL, &raw);
    json_object *prov = NULL;
    CHECK(json_object_object_get_ex(json_object_object_get(l, "targets"), "Providers", &prov));
    CHECK_INT_EQ(json_object_array_length(prov), 2);
    CHECK_STR_EQ(json_object_get_string(json_object_array_get_idx(prov, 0)), "graph.facebook.com");
    CHECK(raw && !strstr(raw, "ROLE-ARN"));
    free(raw);
    json_object_put(l);

    /* Never a login token or an OpenID token. */
    l = line_of("GetOpenIdTokenForDeveloperIdentity",
                "{\"IdentityPoolId\":\"us-east-1:x\",\"Logins\":{\"login.app\":\"LOGIN-VALUE\"},"
                "\"PrincipalTags\":{\"k\":\"PTAG-VALUE\"}}",
                "{\"IdentityId\":\"us-east-1:dev\",\"Token\":\"OPENID-TOKEN\"}", &ok, NULL, &raw);
    CHECK_STR_EQ(get(l, "result.IdentityId"), "us-east-1:dev");
    CHECK(raw && !strstr(raw, "LOGIN-VALUE") && !strstr(raw, "OPENID-TOKEN") &&
          !strstr(raw, "PTAG-VALUE"));
    free(raw);
    json_object_put(l);

    l = line_of("GetId", "{\"IdentityPoolId\":\"us-east-1:x\",\"Logins\":{\"p\":\"TOKEN-GETID\"}}",
                "{\"IdentityId\":\"us-east-1:id\"}", &ok, NULL, &raw);
    CHECK(raw && !strstr(raw, "TOKEN-GETID"));
    free(raw);
    json_object_put(l);
}

/* Bidi, C1, DEL and invalid UTF-8 from a target never reach a terminal that
 * tails the journal; the JSON still means the same string. */
static void test_escapes_for_terminals(void)
{
    struct api_error ok;
    api_error_clear(&ok);
    static const char name[] = "caf\xc3\xa9 \xe2\x80\xae"
                               "evil\xc2\x85 x\x7f y\xff z\xf0\x9f\x98\x80";
    char input[256];
    snprintf(input, sizeof input, "{\"IdentityPoolName\":\"%s\"}", name);

    setlocale(LC_ALL, "C.UTF-8");
    text_init_locale();
    char *raw = NULL;
    json_object *l = line_of("CreateIdentityPool", input, NULL, &ok, NULL, &raw);
    CHECK(raw != NULL);
    if (!raw)
        return;
    CHECK(strstr(raw, "\xe2\x80\xae") == NULL);
    CHECK(strstr(raw, "\\u202e") != NULL);
    CHECK(strstr(raw, "\xc2\x85") == NULL);
    CHECK(strstr(raw, "\\u0085") != NULL);
    CHECK(strchr(raw, 0x7f) == NULL);
    CHECK(strstr(raw, "\\u007f") != NULL);
    CHECK(strchr(raw, (char)0xff) == NULL);
    CHECK(strstr(raw, "\\ufffd") != NULL);
    CHECK(strstr(raw, "caf\xc3\xa9") != NULL); /* printable text stays as it is */
    /* Parsed back: the same characters (the bad byte as U+FFFD). */
    CHECK_STR_EQ(get(l, "targets.IdentityPoolName"),
                 "caf\xc3\xa9 \xe2\x80\xae"
                 "evil\xc2\x85 x\x7f y\xef\xbf\xbd z\xf0\x9f\x98\x80");
    for (const unsigned char *p = (const unsigned char *)raw; *p; p++)
        CHECK(*p >= 0x20); /* no control byte at all */
    free(raw);
    json_object_put(l);

    /* Outside UTF-8 every non-ASCII character is escaped: still the same JSON. */
    setlocale(LC_ALL, "C");
    text_init_locale();
    l = line_of("CreateIdentityPool", input, NULL, &ok, NULL, &raw);
    for (const unsigned char *p = (const unsigned char *)raw; p && *p; p++)
        CHECK(*p >= 0x20 && *p < 0x7f);
    CHECK(raw && strstr(raw, "\\ud83d\\ude00") != NULL); /* a surrogate pair */
    CHECK_STR_EQ(get(l, "targets.IdentityPoolName"),
                 "caf\xc3\xa9 \xe2\x80\xae"
                 "evil\xc2\x85 x\x7f y\xef\xbf\xbd z\xf0\x9f\x98\x80");
    free(raw);
    json_object_put(l);
}

/* Two processes append 1,000 lines each, each line larger than PIPE_BUF:
 * 2,000 whole lines come out, none cut or mixed. */
static void test_concurrent_writers_leave_whole_lines(void)
{
    char dir[300], path[400];
    snprintf(dir, sizeof dir, "%s/concurrent", state_dir);
    snprintf(path, sizeof path, "%s/cognito-tui/journal.jsonl", dir);
    setenv("XDG_STATE_HOME", dir, 1);

    /* 40 ids and 40 unprocessed entries: about 5 KB a line, over PIPE_BUF. */
    char input[8192] = "{\"IdentityIdsToDelete\":[",
         output[16384] = "{\"UnprocessedIdentityIds\":[";
    for (int i = 0; i < 40; i++) {
        char id[160];
        snprintf(id, sizeof id, "%s\"us-east-1:%08d-1111-2222-3333-444444444444\"", i ? "," : "",
                 i);
        strcat(input, id);
        snprintf(id, sizeof id,
                 "%s{\"IdentityId\":\"us-east-1:%08d-1111-2222-3333-444444444444\","
                 "\"ErrorCode\":\"InternalServerError\"}",
                 i ? "," : "", i);
        strcat(output, id);
    }
    strcat(input, "]}");
    strcat(output, "]}");

    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            json_object *in = json_tokener_parse(input), *out = json_tokener_parse(output);
            struct api_error ok;
            api_error_clear(&ok);
            struct journal_entry e = {
                k ? "writer-b" : "writer-a", "r", "DeleteIdentities", in, &ok, out, NULL};
            char why[300];
            int failures = 0;
            for (int i = 0; i < 1000; i++)
                failures += journal_record(&e, why, sizeof why) != 0;
            json_object_put(in);
            json_object_put(out);
            _exit(failures ? 1 : 0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int status = -1;
        CHECK(kids[k] > 0 && waitpid(kids[k], &status, 0) == kids[k]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }

    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    int lines = 0, a = 0, b = 0, whole = 0;
    size_t cap = 1 << 16;
    char *buf = malloc(cap);
    while (f && buf && fgets(buf, (int)cap, f)) {
        lines++;
        size_t n = strlen(buf);
        if (n == 0 || buf[n - 1] != '\n')
            continue;
        json_object *l = json_tokener_parse(buf), *ids = NULL, *u = NULL;
        if (l &&
            json_object_object_get_ex(json_object_object_get(l, "targets"), "IdentityIdsToDelete",
                                      &ids) &&
            json_object_array_length(ids) == 40 &&
            json_object_object_get_ex(json_object_object_get(l, "result"), "UnprocessedIdentityIds",
                                      &u) &&
            json_object_array_length(u) == 40) {
            whole++;
            a += strcmp(get(l, "profile"), "writer-a") == 0;
            b += strcmp(get(l, "profile"), "writer-b") == 0;
        }
        json_object_put(l);
    }
    free(buf);
    if (f)
        fclose(f);
    CHECK_INT_EQ(lines, 2000);
    CHECK_INT_EQ(whole, 2000);
    CHECK_INT_EQ(a, 1000);
    CHECK_INT_EQ(b, 1000);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    setenv("XDG_STATE_HOME", state_dir, 1);
}

int main(void)
{
    snprintf(state_dir, sizeof state_dir, "/tmp/tui-journal-XXXXXX");
    if (!mkdtemp(state_dir))
        return 1;
    setenv("XDG_STATE_HOME", state_dir, 1);
    RUN(test_fields_and_no_secrets);
    RUN(test_modes_and_append);
    RUN(test_unwritable_reports);
    RUN(test_outcomes);
    RUN(test_what_each_change_records);
    RUN(test_escapes_for_terminals);
    RUN(test_concurrent_writers_leave_whole_lines);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", state_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", state_dir);
    return check_finish();
}
