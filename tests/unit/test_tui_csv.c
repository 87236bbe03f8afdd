/* Unit tests of CSV records and terminal-safe text (tui/csv.c). */
#include <stdlib.h>

#include "tests/unit/check.h"
#include "tui/csv.h"

/* Runs fn into a memory stream and returns what it wrote (caller frees). */
static char *record(const char *const *fields, size_t n, bool terminal)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    CHECK(csv_write_record(f, fields, n, terminal) == 0);
    fclose(f);
    return buf;
}

static void test_plain_fields_are_not_quoted(void)
{
    const char *f[] = {"a", "b c", "", "d"};
    char *s = record(f, 4, false);

    CHECK_STR_EQ(s, "a,b c,,d\r\n");
    free(s);
}

static void test_rfc4180_quoting(void)
{
    const char *f[] = {"x,y", "say \"hi\"", "two\nlines", "cr\rhere", "\""};
    char *s = record(f, 5, false);

    CHECK_STR_EQ(s, "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",\"\"\"\"\r\n");
    free(s);
}

/* OWASP's advice against formula injection: a cell a spreadsheet would take
 * as a formula (=, +, -, @, TAB, CR first) gets a leading ' ; the rest of the
 * cell is unchanged and still quoted as RFC 4180 says. */
static void test_formula_cells_are_defused(void)
{
    const char *f[] = {
        "=1+2", "+1",      "-1", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\",\"y\")",
        "a=b",  "'quoted", ""};
    char *s = record(f, 10, false);

    CHECK_STR_EQ(
        s, "'=1+2,'+1,'-1,'@SUM(A1),'\tx,\"'\rx\",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","
           "a=b,'quoted,\r\n");
    free(s);
    /* The same on a terminal, where the TAB stays and the CR is escaped. */
    s = record(f, 6, true);
    CHECK_STR_EQ(s, "'=1+2,'+1,'-1,'@SUM(A1),'\tx,\"'\\x0dx\"\r\n");
    free(s);
}

static void test_null_field_is_empty(void)
{
    const char *f[] = {NULL, "z"};
    char *s = record(f, 2, false);

    CHECK_STR_EQ(s, ",z\r\n");
    free(s);
}

static void test_exact_bytes_without_terminal(void)
{
    const char *f[] = {"\x1b[31mred\xe2\x80\xae"};
    char *s = record(f, 1, false);

    CHECK_STR_EQ(s, "\x1b[31mred\xe2\x80\xae\r\n");
    free(s);
}

static void test_terminal_escapes_controls(void)
{
    /* ESC, CR, C1 CSI (U+009B), RLO (U+202E), DEL, an invalid byte; é stays. */
    const char *f[] = {"\x1b[2Jcaf\xc3\xa9\r\xc2\x9b\xe2\x80\xae\x7f\xff", "a,\"b\""};
    char *s = record(f, 2, true);

    /* Quoted because of the CR, which shows escaped inside the quotes. */
    CHECK_STR_EQ(s, "\"\\x1b[2Jcaf\xc3\xa9\\x0d\\u009b\\u202e\\x7f\\xff\",\"a,\"\"b\"\"\"\r\n");
    free(s);
}

static void test_escape_into_buffer(void)
{
    char buf[64];

    text_escape_terminal("a\nb\tc\x1b", buf, sizeof buf, true);
    CHECK_STR_EQ(buf, "a\\x0ab\\x09c\\x1b");
    text_escape_terminal("a\nb", buf, sizeof buf, false);
    CHECK_STR_EQ(buf, "a\nb");
    /* Cut at a whole escape: never half of "\x1b". */
    text_escape_terminal("ab\x1b", buf, 5, true);
    CHECK_STR_EQ(buf, "ab");
    /* Bidi isolates and marks too. */
    text_escape_terminal("\xe2\x81\xa6x\xe2\x80\x8f\xd8\x9c", buf, sizeof buf, true);
    CHECK_STR_EQ(buf, "\\u2066x\\u200f\\u061c");
}

static void test_overlong_and_surrogates_are_invalid(void)
{
    char buf[64];

    text_escape_terminal("\xc0\xaf\xed\xa0\x80", buf, sizeof buf, true);
    CHECK_STR_EQ(buf, "\\xc0\\xaf\\xed\\xa0\\x80");
}

static char *json_out(const char *text, bool terminal)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    CHECK(json_text_write(f, text, terminal) == 0);
    fclose(f);
    return buf;
}

static void test_json_text_on_a_terminal(void)
{
    char *s = json_out("{\"k\":\"a\xc2\x9b\xe2\x80\xae\x7f\xfe\xc3\xa9\"}", true);

    CHECK_STR_EQ(s, "{\"k\":\"a\\u009b\\u202e\\u007f\\ufffd\xc3\xa9\"}");
    free(s);
    s = json_out("{\"k\":\"\xe2\x80\xae\"}", false);
    CHECK_STR_EQ(s, "{\"k\":\"\xe2\x80\xae\"}");
    free(s);
}

int main(void)
{
    RUN(test_plain_fields_are_not_quoted);
    RUN(test_rfc4180_quoting);
    RUN(test_formula_cells_are_defused);
    RUN(test_null_field_is_empty);
    RUN(test_exact_bytes_without_terminal);
    RUN(test_terminal_escapes_controls);
    RUN(test_escape_into_buffer);
    RUN(test_overlong_and_surrogates_are_invalid);
    RUN(test_json_text_on_a_terminal);
    return check_finish();
}
