/* tests/unit/test_tui_journal.c — the audit journal: fields, no secrets, modes. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "check.h"
#include "tui/journal.h"

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
    struct journal_entry e = {"admin", "eu-west-1", "UnlinkIdentity", in, &ok};
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
    struct journal_entry e = {"p", "r", "DeleteIdentities", in, &fail};
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
    struct journal_entry e = {"p", "r", "DeleteIdentityPool", NULL, &ok};
    char why[300] = "";
    CHECK_INT_EQ(journal_record(&e, why, sizeof why), -1);
    CHECK(strstr(why, "journal not written") != NULL);
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
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", state_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", state_dir);
    return check_finish();
}
