/* Cross-check of api/ini.c against botocore's own reader (Debian's
 * python3-botocore): 900 generated files, each read by both;
 *  - botocore.configloader.raw_config_parse: the same sections (by their
 *    exact text), keys, values and sub-sections, or an error from both;
 *  - botocore.configloader.load_config: the same profiles and sso-sessions,
 *    each the same section (aws_config_profile(), aws_config_section()),
 *    whatever spellings of a name the file uses (`[profile  p1]`,
 *    `[profile "p1"]`, `[ default ]`, `[profile default]`, ...): the last
 *    section naming a profile is the profile.
 *
 * Deliberate differences, kept out of the generator: we refuse text after a
 * section's `]` other than a comment (botocore ignores it); we refuse a
 * sub-section line with an empty key (`  = v`, which botocore stores under
 * the key ""). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "api/ini.h"
#include "tests/unit/check.h"
#include "tests/unit/run_capture.h"
#include "tests/unit/test_api_credentials_env.h"

#define N_FILES 900

static const char *const PY = "import sys, json\n"
                              "import botocore.configloader as c\n"
                              "out = []\n"
                              "for p in sys.argv[1:]:\n"
                              "    try:\n"
                              "        m = c.load_config(p)\n"
                              "        out.append([c.raw_config_parse(p), m['profiles'],\n"
                              "                    m['sso_sessions']])\n"
                              "    except Exception:\n"
                              "        out.append(None)\n"
                              "print(json.dumps(out))\n";

static unsigned rng_state = 12345;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 8) % n;
}

/* One generated file. `bad` lines are rare so most files parse. */
static void generate(FILE *f)
{
    int lines = 1 + (int)rnd(14);

    /* Spellings of a few names: botocore's, and some it does not take. */
    static const char *const headers[] = {"[profile p1]",   "[profile  p1]",    "[profile\tp1]",
                                          "[ profile p1]",  "[profile \"p1\"]", "[profile 'p 1']",
                                          "[profiles p1]",  "[profile p1 x]",   "[profile 'p1]",
                                          "[default]",      "[ default ]",      "[profile default]",
                                          "[profile p2]",   "[sso-session s1]", "[sso-session  s1]",
                                          "[profile p1\\]", "[profile]",        "[ p1 ]"};

    if (rnd(10) != 0)
        fprintf(f, "[%s]\n", rnd(2) ? "default" : "profile p1");
    for (int i = 0; i < lines; i++) {
        switch (rnd(20)) {
        case 0:
            if (rnd(2))
                fprintf(f, "[profile p%u]\n", rnd(4));
            else
                fprintf(f, "%s\n", headers[rnd(sizeof headers / sizeof headers[0])]);
            break;
        case 1:
            fprintf(f, "[services s%u]\n", rnd(3));
            break;
        case 2:
            fprintf(f, "# comment %u\n", rnd(100));
            break;
        case 3:
            fprintf(f, "; comment\n");
            break;
        case 4:
            fprintf(f, "   # indented comment\n");
            break;
        case 5:
            fprintf(f, "\n");
            break;
        case 6:
            fprintf(f, "key%u = value %u # kept\n", rnd(5), rnd(100));
            break;
        case 7:
            fprintf(f, "Key%u=V%u\n", rnd(5), rnd(100));
            break;
        case 8:
            fprintf(f, "k%u: colon value\n", rnd(5));
            break;
        case 9:
            fprintf(f, "  continued %u\n", rnd(100));
            break;
        case 10:
            fprintf(f, "svc%u =\n  endpoint_url = http://127.0.0.1:%u\n  other = o\n", rnd(3),
                    1 + rnd(60000));
            break;
        case 11:
            fprintf(f, "region = eu-west-%u\r\n", rnd(3));
            break;
        case 12:
            fprintf(f, "empty%u =\n", rnd(3));
            break;
        case 13:
            fprintf(f, "url%u = https://x.example/a=b;c\n", rnd(3));
            break;
        case 14:
            fprintf(f, "\tk%u = tabbed\n", rnd(5));
            break;
        case 15:
            fprintf(f, "multi%u = a\n    b\n\n    c\n", rnd(3));
            break;
        case 16:
            if (rnd(4) == 0)
                fprintf(f, "just words\n");
            break;
        case 17:
            if (rnd(4) == 0)
                fprintf(f, "= nokey\n");
            break;
        case 18:
            if (rnd(6) == 0)
                fprintf(f, "[unclosed\n");
            break;
        default:
            fprintf(f, "aws_access_key_id = AKID%u\n", rnd(1000));
            break;
        }
    }
}

static char *run_botocore(char **paths, int n)
{
    static char python[] = "/usr/bin/python3", dash_c[] = "-c";
    char **argv = calloc((size_t)n + 4, sizeof *argv);
    char *text;

    if (!argv)
        return NULL;
    argv[0] = python;
    argv[1] = dash_c;
    argv[2] = (char *)PY;
    for (int i = 0; i < n; i++)
        argv[3 + i] = paths[i];
    text = run_capture(argv);
    free(argv);
    return text;
}

static const struct ini_section *find_raw(const struct ini_file *f, const char *raw)
{
    for (size_t i = 0; i < f->n_sections; i++)
        if (strcmp(f->sections[i].raw, raw) == 0)
            return &f->sections[i];
    return NULL;
}

/* Whether section s holds exactly the keys and values of botocore's dict. */
static bool same_section(const struct ini_section *s, json_object *section)
{
    if (!s || (size_t)json_object_object_length(section) != s->n_entries)
        return false;
    json_object_object_foreach(section, key, value)
    {
        const struct ini_entry *e = ini_entry_find(s, key);
        if (!e)
            return false;
        if (json_object_is_type(value, json_type_object)) {
            if ((size_t)json_object_object_length(value) != e->n_sub)
                return false;
            json_object_object_foreach(value, sk, sv)
            {
                const struct ini_entry *se = ini_sub_find(e, sk);
                if (!se || strcmp(se->value, json_object_get_string(sv)) != 0)
                    return false;
            }
        } else if (e->n_sub || strcmp(e->value, json_object_get_string(value)) != 0) {
            return false;
        }
    }
    return true;
}

/* botocore's profile (or sso-session) map against aws_config_section():
 * every name it has is the same section here, and every section here that
 * names a `kind` names one botocore has. */
static int compare_names(const char *path, const struct ini_file *ours, const char *kind,
                         json_object *map, char *why, size_t size)
{
    struct aws_files files = {.config = *ours};

    json_object_object_foreach(map, name, section)
    {
        if (!same_section(aws_config_section(&files, kind, name), section)) {
            snprintf(why, size, "%s: %s \"%s\" is another section here", path, kind, name);
            return -1;
        }
    }
    for (size_t i = 0; i < ours->n_sections; i++) {
        const struct ini_section *s = &ours->sections[i];
        const char *ours_name = NULL;
        if (strcmp(kind, "profile") == 0 && strcmp(s->raw, "default") == 0)
            ours_name = "default";
        else if (s->word2 && strncmp(s->raw, kind, strlen(kind)) == 0)
            ours_name = s->word2;
        if (ours_name && !json_object_object_get_ex(map, ours_name, NULL)) {
            snprintf(why, size, "%s: [%s] is %s \"%s\" here, not in botocore", path, s->raw, kind,
                     ours_name);
            return -1;
        }
    }
    return 0;
}

/* Compares one file's parse with botocore's [raw dict, profiles, sso
 * sessions] (or null). Returns 0 when equal. */
static int compare(const char *path, const struct ini_file *ours, bool ours_ok,
                   const char *our_error, json_object *answer, char *why, size_t size)
{
    json_object *theirs = answer ? json_object_array_get_idx(answer, 0) : NULL;

    if (json_object_is_type(theirs, json_type_null) || !theirs) {
        if (ours_ok) {
            snprintf(why, size, "%s: botocore refuses it, we accept it", path);
            return -1;
        }
        return 0;
    }
    if (!ours_ok) {
        snprintf(why, size, "botocore accepts it, we refuse it: %.400s", our_error);
        return -1;
    }
    if ((size_t)json_object_object_length(theirs) != ours->n_sections) {
        snprintf(why, size, "%s: %d sections in botocore, %zu here", path,
                 json_object_object_length(theirs), ours->n_sections);
        return -1;
    }
    json_object_object_foreach(theirs, name, section)
    {
        if (!same_section(find_raw(ours, name), section)) {
            snprintf(why, size, "%s: section [%s] differs", path, name);
            return -1;
        }
    }
    if (compare_names(path, ours, "profile", json_object_array_get_idx(answer, 1), why, size) ||
        compare_names(path, ours, "sso-session", json_object_array_get_idx(answer, 2), why, size))
        return -1;
    return 0;
}

static void test_same_as_botocore(void)
{
    char *paths[N_FILES], *text;
    json_object *all;
    int differ = 0;

    tenv_reset();
    for (int i = 0; i < N_FILES; i++) {
        char rel[32];
        FILE *f;
        snprintf(rel, sizeof rel, "case%03d.ini", i);
        paths[i] = strdup(tenv_write(rel, ""));
        f = fopen(paths[i], "w");
        if (f) {
            generate(f);
            fclose(f);
        }
    }
    text = run_botocore(paths, N_FILES);
    all = text ? json_tokener_parse(text) : NULL;
    CHECK(all && json_object_is_type(all, json_type_array));
    if (all && json_object_array_length(all) == N_FILES) {
        for (int i = 0; i < N_FILES; i++) {
            struct ini_file f;
            struct api_error err;
            bool found;
            char why[600];
            api_error_clear(&err);
            bool ok = ini_load(paths[i], &f, &found, &err) == 0;
            if (compare(paths[i], &f, ok, err.message, json_object_array_get_idx(all, (size_t)i),
                        why, sizeof why) != 0) {
                if (differ++ < 5)
                    fprintf(stderr, "  %s\n", why);
            }
            if (ok)
                ini_free(&f);
        }
    }
    CHECK_INT_EQ(differ, 0);
    json_object_put(all);
    free(text);
    for (int i = 0; i < N_FILES; i++)
        free(paths[i]);
}

int main(void)
{
    RUN(test_same_as_botocore);
    return check_finish();
}
