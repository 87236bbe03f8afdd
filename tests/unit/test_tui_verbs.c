/* Unit tests of the verbs' shared pieces: one-line errors (tui/cmd_call.c)
 * and ISO 8601 dates (tui/cmd_export.c). */
#include <stdlib.h>

#include "tests/unit/check.h"
#include "tui/cmd_call.h"
#include "tui/cmd_export.h"

static char *capture_report(const struct api_error *e, int *code)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    *code = cli_report_error(f, e);
    fclose(f);
    return buf;
}

static void test_aws_error_line(void)
{
    struct api_error e;
    int code;
    char *s;

    api_error_set(&e, API_ERR_AWS, "IdentityPool 'x' not found.");
    snprintf(e.code, sizeof e.code, "ResourceNotFoundException");
    snprintf(e.request_id, sizeof e.request_id, "abc-123");
    s = capture_report(&e, &code);
    CHECK_INT_EQ(code, 1);
    CHECK_STR_EQ(s,
                 "cognito-tui: ResourceNotFoundException: IdentityPool 'x' not found. (request id "
                 "abc-123)\n");
    free(s);
}

static void test_exit_codes_follow_the_kind(void)
{
    struct api_error e;
    int code;
    char *s;

    api_error_set(&e, API_ERR_READ_ONLY, "refused");
    free(capture_report(&e, &code));
    CHECK_INT_EQ(code, 3);
    api_error_set(&e, API_ERR_INVALID_INPUT, "MaxResults: too big");
    free(capture_report(&e, &code));
    CHECK_INT_EQ(code, 2);
    api_error_set(&e, API_ERR_TLS, "bad certificate");
    s = capture_report(&e, &code);
    CHECK_INT_EQ(code, 4);
    CHECK(strncmp(s, "cognito-tui: TLS: bad certificate", 33) == 0);
    free(s);
    api_error_set(&e, API_ERR_CREDENTIALS, "unknown profile x");
    free(capture_report(&e, &code));
    CHECK_INT_EQ(code, 5);
}

/* Service text in an error stays on one line and cannot drive the terminal. */
static void test_error_line_is_escaped(void)
{
    struct api_error e;
    int code;
    char *s;

    api_error_set(&e, API_ERR_AWS, "line one\nline two \x1b[2J\xe2\x80\xae");
    snprintf(e.code, sizeof e.code, "Bad");
    s = capture_report(&e, &code);
    CHECK_STR_EQ(s, "cognito-tui: Bad: line one\\x0aline two \\x1b[2J\\u202e\n");
    free(s);
}

static void test_own_report(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    CHECK_INT_EQ(cli_report(f, 2, "Usage", "unknown option --x"), 2);
    fclose(f);
    CHECK_STR_EQ(buf, "cognito-tui: Usage: unknown option --x\n");
    free(buf);
}

static void test_iso8601(void)
{
    char buf[40];

    export_iso8601(0, buf, sizeof buf);
    CHECK_STR_EQ(buf, "1970-01-01T00:00:00Z");
    export_iso8601(1704067277.25, buf, sizeof buf);
    CHECK_STR_EQ(buf, "2024-01-01T00:01:17.250Z");
    export_iso8601(1704067199.9996, buf, sizeof buf); /* rounds up into the next second */
    CHECK_STR_EQ(buf, "2024-01-01T00:00:00Z");
    export_iso8601(951782400, buf, sizeof buf); /* 2000-02-29, a leap day */
    CHECK_STR_EQ(buf, "2000-02-29T00:00:00Z");
}

int main(void)
{
    RUN(test_aws_error_line);
    RUN(test_exit_codes_follow_the_kind);
    RUN(test_error_line_is_escaped);
    RUN(test_own_report);
    RUN(test_iso8601);
    return check_finish();
}
