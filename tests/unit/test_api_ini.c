/* Tests of api/ini.c: the shared config/credentials file format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api/ini.h"
#include "tests/unit/check.h"

static int parse(const char *text, struct ini_file *f, struct api_error *err)
{
    api_error_clear(err);
    return ini_parse(text, strlen(text), "cfg", f, err);
}

static const char *get(const struct ini_file *f, const char *section, const char *key)
{
    const struct ini_entry *e = ini_entry_find(ini_section_find(f, section), key);
    return e ? e->value : NULL;
}

static void test_sections_and_keys(void)
{
    struct ini_file f;
    struct api_error err;
    const char *text = "[default]\n"
                       "region = eu-west-1\n"
                       "[profile admin]\n"
                       "Region=us-east-2\n"
                       "output:json\n"
                       "empty =\n"
                       "[sso-session corp]\n"
                       "sso_start_url = https://corp.awsapps.com/start\n";

    CHECK_INT_EQ(parse(text, &f, &err), 0);
    CHECK_INT_EQ(f.n_sections, 3);
    CHECK_STR_EQ(get(&f, "default", "region"), "eu-west-1");
    CHECK_STR_EQ(get(&f, "profile admin", "region"), "us-east-2"); /* keys are case-insensitive */
    CHECK_STR_EQ(get(&f, "profile admin", "output"), "json");      /* `:` separates too */
    CHECK_STR_EQ(get(&f, "profile admin", "empty"), "");
    CHECK_STR_EQ(get(&f, "sso-session corp", "sso_start_url"), "https://corp.awsapps.com/start");
    CHECK(get(&f, "default", "output") == NULL);
    CHECK_INT_EQ(ini_entry_find(ini_section_find(&f, "profile admin"), "output")->line, 5);
    ini_free(&f);
}

static void test_comments_and_whitespace(void)
{
    struct ini_file f;
    struct api_error err;
    const char *text = "\xEF\xBB\xBF# a comment\n"
                       "; another\n"
                       "\n"
                       "[ default ]   # trailing comment on a header\n"
                       "   # indented comment\n"
                       "key = value # stays: botocore keeps inline text\n"
                       "semi = a ; b\r\n"
                       "url = https://x.example/a=b\n"
                       "\t\n";

    CHECK_INT_EQ(parse(text, &f, &err), 0);
    CHECK_INT_EQ(f.n_sections, 1);
    CHECK_STR_EQ(get(&f, "default", "key"), "value # stays: botocore keeps inline text");
    CHECK_STR_EQ(get(&f, "default", "semi"), "a ; b"); /* and the CR of CRLF is gone */
    CHECK_STR_EQ(get(&f, "default", "url"), "https://x.example/a=b");
    CHECK_INT_EQ(ini_section_find(&f, "default")->n_entries, 3);
    ini_free(&f);
}

static void test_continuation_lines(void)
{
    struct ini_file f;
    struct api_error err;
    const char *text = "[default]\n"
                       "multi = first\n"
                       "   second\n"
                       "   # a comment inside\n"
                       "\n"
                       "\tthird\n"
                       "next = 1\n"
                       "  indented_key = 2\n"
                       "     more of indented_key\n";

    CHECK_INT_EQ(parse(text, &f, &err), 0);
    /* The blank line stays (botocore), the comment does not. */
    CHECK_STR_EQ(get(&f, "default", "multi"), "first\nsecond\n\nthird");
    /* Indented deeper than `next = 1`'s line: it continues `next`, `=` and all (botocore). */
    CHECK_STR_EQ(get(&f, "default", "next"), "1\nindented_key = 2\nmore of indented_key");
    CHECK(get(&f, "default", "indented_key") == NULL);
    ini_free(&f);
}

static void test_indentation_decides_continuation(void)
{
    struct ini_file f;
    struct api_error err;
    /* A line at the same indentation as its key's line is a new key. */
    const char *text = "[s]\n"
                       "  a = 1\n"
                       "  b = 2\n"
                       "    continued\n"
                       "c = 3\n";

    CHECK_INT_EQ(parse(text, &f, &err), 0);
    CHECK_STR_EQ(get(&f, "s", "a"), "1");
    CHECK_STR_EQ(get(&f, "s", "b"), "2\ncontinued");
    CHECK_STR_EQ(get(&f, "s", "c"), "3");
    ini_free(&f);
}

static void test_sub_sections(void)
{
    struct ini_file f;
    struct api_error err;
    const struct ini_entry *e;
    const char *text = "[services local]\n"
                       "cognito_identity =\n"
                       "  endpoint_url = http://127.0.0.1:4566\n"
                       "  # comment\n"
                       "  Other=x=y\n"
                       "sts =\n"
                       "  endpoint_url = http://127.0.0.1:9\n";

    CHECK_INT_EQ(parse(text, &f, &err), 0);
    e = ini_entry_find(ini_section_find(&f, "services local"), "cognito_identity");
    CHECK(e != NULL);
    if (e) {
        CHECK_INT_EQ(e->n_sub, 2);
        CHECK_STR_EQ(ini_sub_find(e, "endpoint_url")->value, "http://127.0.0.1:4566");
        CHECK_INT_EQ(ini_sub_find(e, "endpoint_url")->line, 3);
        CHECK_STR_EQ(ini_sub_find(e, "other")->value, "x=y");
    }
    e = ini_entry_find(ini_section_find(&f, "services local"), "sts");
    CHECK(e && ini_sub_find(e, "endpoint_url") &&
          strcmp(ini_sub_find(e, "endpoint_url")->value, "http://127.0.0.1:9") == 0);
    ini_free(&f);
}

/* Each bad input: the error names the file and the right line. */
static void expect_error(const char *text, const char *needle)
{
    struct ini_file f;
    struct api_error err;
    int rc = parse(text, &f, &err);

    CHECK_INT_EQ(rc, -1);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    if (!strstr(err.message, needle)) {
        char why[400];
        snprintf(why, sizeof why, "message \"%.300s\" lacks \"%.60s\"", err.message, needle);
        check_fail(__FILE__, __LINE__, why);
    }
    CHECK(f.sections == NULL && f.n_sections == 0);
}

static void test_bad_lines(void)
{
    expect_error("[default]\nregion = x\njust words\n", "cfg line 3: expected `key = value`");
    expect_error("key = value\n[default]\n", "cfg line 1: a setting before any [section]");
    expect_error("[default\nx=1\n", "cfg line 1: section header without `]`");
    expect_error("\n\n[]\n", "cfg line 3: empty section name");
    expect_error("[a] junk\n", "cfg line 1: unexpected text after the section header");
    expect_error("[a]\n = 1\n", "cfg line 2: a setting with no name");
    expect_error("[a]\nx=1\n[b]\n[a]\n", "cfg line 4: duplicate section (first at line 1)");
    expect_error("[a]\nx=1\nX = 2\n", "cfg line 3: duplicate setting `x` (first at line 2)");
    expect_error("[s]\nsvc =\n  endpoint_url\n", "cfg line 3: expected `key = value`");
}

static void test_nul_byte_is_reported(void)
{
    static const char text[] = "[a]\nx=1\ny=\0z\n";
    struct ini_file f;
    struct api_error err;

    api_error_clear(&err);
    CHECK_INT_EQ(ini_parse(text, sizeof text - 1, "nul.ini", &f, &err), -1);
    CHECK(strstr(err.message, "nul.ini line 3") != NULL);
}

static void test_load_files(void)
{
    char dir[] = "/tmp/test_api_ini.XXXXXX", path[128];
    struct ini_file f;
    struct api_error err;
    bool found = true;
    FILE *fp;

    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/missing", dir);
    api_error_clear(&err);
    CHECK_INT_EQ(ini_load(path, &f, &found, &err), 0); /* a missing file is an empty one */
    CHECK(!found);
    CHECK_INT_EQ(f.n_sections, 0);
    ini_free(&f);

    CHECK_INT_EQ(ini_load(dir, &f, &found, &err), -1); /* a directory is not */
    CHECK(strstr(err.message, dir) != NULL);

    snprintf(path, sizeof path, "%s/config", dir);
    fp = fopen(path, "w");
    CHECK(fp != NULL);
    if (fp) {
        fputs("[default]\nregion = eu-west-3\noops\n", fp);
        fclose(fp);
    }
    CHECK_INT_EQ(ini_load(path, &f, &found, &err), -1);
    CHECK(strstr(err.message, path) != NULL && strstr(err.message, "line 3") != NULL);

    fp = fopen(path, "w");
    if (fp) {
        fputs("[default]\nregion = eu-west-3\n", fp);
        fclose(fp);
    }
    CHECK_INT_EQ(ini_load(path, &f, &found, &err), 0);
    CHECK(found);
    CHECK_STR_EQ(get(&f, "default", "region"), "eu-west-3");
    CHECK_STR_EQ(f.path, path);
    ini_free(&f);

    if (geteuid() != 0) { /* root reads anything */
        chmod(path, 0);
        CHECK_INT_EQ(ini_load(path, &f, &found, &err), -1);
        CHECK(strstr(err.message, "cannot read") != NULL);
    }
    unlink(path);
    rmdir(dir);
}

/* AWS_CONFIG_FILE=/dev/null means "no config" to the AWS CLI; it must to us too. */
static void test_dev_null_is_an_empty_file(void)
{
    struct ini_file f;
    struct api_error err;
    bool found = false;

    api_error_clear(&err);
    CHECK_INT_EQ(ini_load("/dev/null", &f, &found, &err), 0);
    CHECK(found);
    CHECK_INT_EQ(f.n_sections, 0);
    CHECK_INT_EQ(err.kind, API_ERR_NONE);
    ini_free(&f);
}

/* Files near the 4 MiB cap, in every shape that used to cost time
 * quadratic in their size (each line compared with all before it, or a
 * value copied whole for each line added): 100,000 profiles, one section of
 * 100,000 keys, one value of 400,000 continuation lines, one sub-section of
 * 100,000 lines. Each is parsed whole and right. (The time is measured by
 * bench/ini_parse.c, as medians; here only that it finishes, correctly.) */
enum big_shape { PROFILES, KEYS, CONTINUED, SUB_SECTION };

static char *big(size_t n, const char *head, enum big_shape shape)
{
    size_t cap = n * 64 + 256, len = 0;
    char *buf = malloc(cap);

    len += (size_t)snprintf(buf, cap, "%s", head);
    for (size_t i = 0; i < n; i++) {
        char *at = buf + len;
        size_t left = cap - len, m = i % 7;
        switch (shape) {
        case PROFILES:
            len += (size_t)snprintf(at, left, "[profile p%zu]\nregion = eu-west-%zu\n", i, m);
            break;
        case KEYS:
            len += (size_t)snprintf(at, left, "key%zu = %zu\n", i, m);
            break;
        case CONTINUED:
            len += (size_t)snprintf(at, left, "  line %zu %zu\n", i, m);
            break;
        case SUB_SECTION:
            len += (size_t)snprintf(at, left, "  k%zu = %zu\n", i, m);
            break;
        }
    }
    return buf;
}

static void test_large_files_are_linear(void)
{
    struct ini_file f;
    struct api_error err;
    char name[64];
    char *text;

    text = big(100000, "", PROFILES);
    CHECK_INT_EQ(parse(text, &f, &err), 0);
    CHECK_INT_EQ(f.n_sections, 100000);
    CHECK_STR_EQ(get(&f, "profile p99999", "region"), "eu-west-4");
    {
        struct aws_files files = {.config = f};
        snprintf(name, sizeof name, "p%d", 77777);
        CHECK_STR_EQ(ini_entry_find(aws_config_profile(&files, name), "region")->value,
                     "eu-west-0");
    }
    ini_free(&f);
    free(text);

    text = big(100000, "[default]\n", KEYS);
    CHECK_INT_EQ(parse(text, &f, &err), 0);
    CHECK_INT_EQ(ini_section_find(&f, "default")->n_entries, 100000);
    CHECK_STR_EQ(get(&f, "default", "key54321"), "1");
    ini_free(&f);
    free(text);

    text = big(400000, "[default]\nlong = start\n", CONTINUED);
    CHECK(strlen(text) > 4 * 1000 * 1000);
    CHECK_INT_EQ(parse(text, &f, &err), 0);
    {
        const char *v = get(&f, "default", "long");
        CHECK(v && strncmp(v, "start\nline 0 0\nline 1 1\n", 24) == 0);
        CHECK(v && strcmp(v + strlen(v) - 14, "\nline 399999 5") == 0);
    }
    ini_free(&f);
    free(text);

    text = big(100000, "[services big]\ns3 =\n", SUB_SECTION);
    CHECK_INT_EQ(parse(text, &f, &err), 0);
    {
        const struct ini_entry *e = ini_entry_find(ini_section_find(&f, "services big"), "s3");
        CHECK(e && e->n_sub == 100000);
        CHECK_STR_EQ(ini_sub_find(e, "k99998")->value, "3");
    }
    ini_free(&f);
    free(text);

    /* Duplicates are still found, however far apart. */
    text = big(50000, "", PROFILES);
    text = realloc(text, strlen(text) + 64);
    strcat(text, "[profile p3]\n");
    CHECK_INT_EQ(parse(text, &f, &err), -1);
    CHECK(strstr(err.message, "line 100001: duplicate section (first at line 7)") != NULL);
    free(text);
}

/* A FIFO, a socket or a directory as a config file is refused at once:
 * opened without blocking (a FIFO with no writer would hang open() or
 * read() forever) and refused because it is not a regular file. */
static void test_special_files_refused_without_blocking(void)
{
    char dir[] = "/tmp/test_api_ini.XXXXXX", path[128];
    struct ini_file f;
    struct api_error err;
    bool found;
    pid_t pid;
    int status = -1;

    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/fifo", dir);
    CHECK_INT_EQ(mkfifo(path, 0600), 0);
    /* In a child, so a regression hangs the child, not the suite. */
    pid = fork();
    if (pid == 0) {
        api_error_clear(&err);
        int rc = ini_load(path, &f, &found, &err);
        _exit(rc == -1 && strstr(err.message, "not a regular file") && strstr(err.message, path)
                  ? 0
                  : 1);
    }
    for (int i = 0; i < 600 && pid > 0; i++) { /* 60 s: only a hang gets there */
        if (waitpid(pid, &status, WNOHANG) == pid)
            break;
        usleep(100 * 1000);
    }
    if (pid > 0 && waitpid(pid, &status, WNOHANG) == 0) {
        kill(pid, SIGKILL); /* our own child */
        waitpid(pid, &status, 0);
        check_fail(__FILE__, __LINE__, "ini_load() hung on a FIFO");
    } else {
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    unlink(path);
    rmdir(dir);
}

static void test_expand_home(void)
{
    char *p;

    setenv("HOME", "/home/tester", 1);
    p = aws_expand_home("~/.aws/config");
    CHECK_STR_EQ(p, "/home/tester/.aws/config");
    free(p);
    p = aws_expand_home("~");
    CHECK_STR_EQ(p, "/home/tester");
    free(p);
    p = aws_expand_home("/etc/~x");
    CHECK_STR_EQ(p, "/etc/~x");
    free(p);
    p = aws_expand_home("~other/x"); /* another user's home is not expanded */
    CHECK_STR_EQ(p, "~other/x");
    free(p);
}

static void test_profiles_across_files(void)
{
    struct aws_files files;
    struct api_error err;
    struct aws_setting s;
    const char *config = "[default]\nregion = eu-west-1\n"
                         "[profile admin]\nregion = us-east-1\naws_access_key_id = CONFIGKEY\n"
                         "[profile   spaced]\nregion = ap-south-1\n"
                         "[admin]\nregion = not-a-profile-in-config\n";
    const char *creds = "[admin]\naws_access_key_id = CREDKEY\n[only-creds]\nx = 1\n";

    api_error_clear(&err);
    CHECK_INT_EQ(ini_parse(config, strlen(config), "C", &files.config, &err), 0);
    CHECK_INT_EQ(ini_parse(creds, strlen(creds), "K", &files.credentials, &err), 0);

    CHECK(aws_profile_get(&files, "admin", "aws_access_key_id", &s));
    CHECK_STR_EQ(s.value, "CREDKEY"); /* the credentials file wins */
    CHECK_STR_EQ(s.file, "K");
    CHECK_INT_EQ(s.line, 2);
    CHECK(aws_profile_get(&files, "admin", "region", &s));
    CHECK_STR_EQ(s.value, "us-east-1"); /* `[admin]` in config is not profile admin */
    CHECK_STR_EQ(s.file, "C");
    CHECK(aws_profile_get(&files, "spaced", "region", &s));
    CHECK_STR_EQ(s.value, "ap-south-1");
    CHECK(aws_profile_get(&files, "default", "region", &s));
    CHECK_STR_EQ(s.value, "eu-west-1");
    CHECK(aws_profile_exists(&files, "only-creds"));
    CHECK(!aws_profile_exists(&files, "nobody"));
    CHECK(!aws_profile_get(&files, "nobody", "region", &s));
    CHECK(s.value == NULL);
    aws_files_free(&files);
}

int main(void)
{
    RUN(test_sections_and_keys);
    RUN(test_comments_and_whitespace);
    RUN(test_continuation_lines);
    RUN(test_indentation_decides_continuation);
    RUN(test_sub_sections);
    RUN(test_bad_lines);
    RUN(test_nul_byte_is_reported);
    RUN(test_load_files);
    RUN(test_dev_null_is_an_empty_file);
    RUN(test_large_files_are_linear);
    RUN(test_special_files_refused_without_blocking);
    RUN(test_expand_home);
    RUN(test_profiles_across_files);
    return check_finish();
}
