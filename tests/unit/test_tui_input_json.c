/* Unit tests of the `call` JSON argument (tui/input_json.c). */
#include <stdlib.h>
#include <unistd.h>

#include "tests/unit/check.h"
#include "tui/input_json.h"

static void test_inline_object(void)
{
    char why[256];
    json_object *o = input_json_load("{\"MaxResults\": 5}", NULL, why, sizeof why);

    CHECK(o != NULL);
    CHECK_INT_EQ(json_object_get_int(json_object_object_get(o, "MaxResults")), 5);
    json_object_put(o);
}

static void test_absent_is_an_empty_object(void)
{
    char why[256];
    json_object *o = input_json_load(NULL, NULL, why, sizeof why);

    CHECK(o != NULL && json_object_is_type(o, json_type_object));
    CHECK_INT_EQ(json_object_object_length(o), 0);
    json_object_put(o);
}

static void test_position_of_a_syntax_error(void)
{
    char why[256] = "";

    CHECK(input_json_load("{\n  \"a\": 1,\n  \"b\" 2\n}", NULL, why, sizeof why) == NULL);
    CHECK(strstr(why, "line 3") != NULL);
    CHECK(strstr(why, "column 7") != NULL);
    CHECK(strchr(why, '\n') == NULL);
}

static void test_unfinished_and_trailing_text(void)
{
    char why[256] = "";

    CHECK(input_json_load("{\"a\": [1, 2", NULL, why, sizeof why) == NULL);
    CHECK(strstr(why, "end of input") != NULL);
    CHECK(input_json_load("{} {}", NULL, why, sizeof why) == NULL);
    CHECK(strstr(why, "column 4") != NULL); /* the second value */
    CHECK(input_json_load("[1]", NULL, why, sizeof why) == NULL);
    CHECK(strstr(why, "must be a JSON object") != NULL);
    CHECK(input_json_load("  ", NULL, why, sizeof why) == NULL);
    CHECK(strstr(why, "empty") != NULL);
    CHECK(input_json_load("{\"a\": tru}", NULL, why, sizeof why) == NULL);
    CHECK(strstr(why, "column 10") != NULL);
    CHECK(strstr(why, "boolean") != NULL);
}

static void test_file_and_stdin(void)
{
    char path[] = "/tmp/test_tui_input_json.XXXXXX", arg[64], why[256] = "";
    int fd = mkstemp(path);
    FILE *in;
    json_object *o;

    CHECK(fd >= 0);
    CHECK(write(fd, "{\"x\": \"y\"}\n", 11) == 11);
    close(fd);
    snprintf(arg, sizeof arg, "@%s", path);
    o = input_json_load(arg, NULL, why, sizeof why);
    CHECK(o != NULL);
    CHECK_STR_EQ(json_object_get_string(json_object_object_get(o, "x")), "y");
    json_object_put(o);

    in = fopen(path, "r");
    CHECK(in != NULL);
    if (in) {
        o = input_json_load("-", in, why, sizeof why);
        CHECK(o != NULL);
        json_object_put(o);
        fclose(in);
    }
    unlink(path);
    CHECK(input_json_load(arg, NULL, why, sizeof why) == NULL);
    CHECK(strstr(why, path) != NULL);
}

int main(void)
{
    RUN(test_inline_object);
    RUN(test_absent_is_an_empty_object);
    RUN(test_position_of_a_syntax_error);
    RUN(test_unfinished_and_trailing_text);
    RUN(test_file_and_stdin);
    return check_finish();
}
