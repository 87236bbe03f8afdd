/* credential_process splitting (shlex_split) against Python's
 * shlex.split, which botocore uses: generated command lines of words,
 * blanks, quotes and backslashes; the same words, or an error from both. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "api/shlex.h"
#include "tests/unit/check.h"
#include "tests/unit/run_capture.h"
#include "tests/unit/test_api_credentials_env.h"

#define N_CASES 2000

static const char *const PY = "import sys, json, shlex\n"
                              "out = []\n"
                              "for s in json.load(open(sys.argv[1])):\n"
                              "    try:\n"
                              "        w = shlex.split(s)\n"
                              "        out.append(w if w else None)\n"
                              "    except ValueError:\n"
                              "        out.append(None)\n"
                              "print(json.dumps(out))\n";

static unsigned rng_state = 2024;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 8) % n;
}

static void generate(char *buf, size_t size)
{
    static const char *const pieces[] = {"a",  "bc", " ", "  ",    "\t",         "'",   "\"", "\\",
                                         "$x", "#",  "é", "'q r'", "\"s\\\"t\"", "\\ ", "=",  "\n"};
    size_t n = 0, count = 1 + rnd(10);

    for (size_t i = 0; i < count; i++) {
        const char *p = pieces[rnd(sizeof pieces / sizeof pieces[0])];
        if (n + strlen(p) + 1 >= size)
            break;
        memcpy(buf + n, p, strlen(p));
        n += strlen(p);
    }
    buf[n] = '\0';
}

static char *run_python(const char *json_path)
{
    static char python[] = "/usr/bin/python3", dash_c[] = "-c";
    char *argv[] = {python, dash_c, (char *)PY, (char *)json_path, NULL};

    return run_capture(argv);
}

static void test_same_as_shlex(void)
{
    json_object *cases = json_object_new_array(), *answers;
    char cmd[256], *text;
    const char *path;
    int differ = 0;

    tenv_reset();
    for (int i = 0; i < N_CASES; i++) {
        generate(cmd, sizeof cmd);
        json_object_array_add(cases, json_object_new_string(cmd));
    }
    path = tenv_write("cases.json", json_object_to_json_string(cases));
    text = run_python(path);
    answers = text ? json_tokener_parse(text) : NULL;
    CHECK(answers && json_object_array_length(answers) == N_CASES);
    for (int i = 0; answers && i < N_CASES && i < (int)json_object_array_length(answers); i++) {
        const char *line = json_object_get_string(json_object_array_get_idx(cases, (size_t)i));
        json_object *want = json_object_array_get_idx(answers, (size_t)i);
        const char *why = NULL;
        char **got = shlex_split(line, &why);
        bool same = true;

        if (!want || !got) {
            same = !want && !got;
        } else {
            size_t n = 0;
            while (got[n])
                n++;
            same = n == json_object_array_length(want);
            for (size_t k = 0; same && k < n; k++)
                same =
                    strcmp(got[k], json_object_get_string(json_object_array_get_idx(want, k))) == 0;
        }
        if (!same && differ++ < 5)
            fprintf(stderr, "  differs on [%s]: shlex %s, ours %s\n", line,
                    want ? json_object_to_json_string(want) : "error", got ? got[0] : why);
        shlex_free(got);
    }
    CHECK_INT_EQ(differ, 0);
    fprintf(stderr, "  %d command lines compared\n",
            answers ? (int)json_object_array_length(answers) : 0);
    json_object_put(cases);
    json_object_put(answers);
    free(text);
}

static void test_examples(void)
{
    const char *why = NULL;
    char **w = shlex_split("  /opt/bin/helper --profile \"my prod\" 'a\\b' c\\ d  ", &why);

    CHECK(w != NULL);
    if (w) {
        CHECK_STR_EQ(w[0], "/opt/bin/helper");
        CHECK_STR_EQ(w[1], "--profile");
        CHECK_STR_EQ(w[2], "my prod");
        CHECK_STR_EQ(w[3], "a\\b");
        CHECK_STR_EQ(w[4], "c d");
        CHECK(w[5] == NULL);
    }
    shlex_free(w);
    CHECK(shlex_split("helper 'open", &why) == NULL);
    CHECK_STR_EQ(why, "a single quote is not closed");
    CHECK(shlex_split("   ", &why) == NULL);
    CHECK_STR_EQ(why, "it is empty");
    CHECK(shlex_split("x\\", &why) == NULL);
    CHECK_STR_EQ(why, "it ends with a backslash");
}

int main(void)
{
    RUN(test_examples);
    RUN(test_same_as_shlex);
    return check_finish();
}
