/* The command-line verbs' terminal writers (tui/csv.c: CSV and plain text
 * through text_write_terminal, JSON through json_text_write, used by `call`
 * and `export` when stdout is a terminal) escape exactly what the console's
 * sanitizer escapes: one list (text_cp_escaped, widgets/text.h), checked
 * here over every code point. */
#include <json.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"
#include "tui/csv.h"
#include "widgets/text.h"

static size_t utf8_encode(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static void test_plain_text_escapes_the_one_list(void)
{
    char in[8], out[64];
    size_t wrong = 0;
    for (unsigned long cp = 1; cp <= 0x10ffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff)
            continue;
        size_t n = utf8_encode(in, cp);
        in[n] = '\0';
        text_escape_terminal(in, out, sizeof out, true);
        bool escaped = strcmp(in, out) != 0;
        if (escaped != text_cp_escaped(cp) && wrong++ < 5)
            fprintf(stderr, "  U+%04lX: %s, the list says %s\n", cp, escaped ? "escaped" : "raw",
                    text_cp_escaped(cp) ? "escape" : "raw");
    }
    CHECK_INT_EQ(wrong, 0);
    /* the gaps of issue 16 by name, in a CSV record on a terminal */
    const char *f[] = {"ad\xe2\x80\x8bmin", "x\xc2\xady", "\xe3\x85\xa4",
                       "\xf3\xa0\x81\x81"
                       "b"};
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    CHECK(csv_write_record(m, f, 4, true) == 0);
    fclose(m);
    CHECK_STR_EQ(buf, "ad\\u200bmin,x\\u00ady,\\u3164,\\U000e0041b\r\n");
    free(buf);
}

static char *json_out(const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(json_text_write(f, text, true) == 0);
    fclose(f);
    return buf;
}

/* JSON on a terminal: every listed code point becomes a \u escape (a
 * surrogate pair above U+FFFF), so the text stays valid JSON with the same
 * meaning, and nothing else changes. Code points go in blocks, one JSON
 * array of one-character strings each, read back element by element. */
static void test_json_escapes_the_one_list(void)
{
    enum { BLOCK = 4096 };
    char *in = malloc(BLOCK * 8 + 4);
    size_t wrong = 0;
    for (unsigned long first = 0x20; in && first <= 0x10ffff; first += BLOCK) {
        unsigned long cps[BLOCK];
        size_t n = 0, o = 0;
        in[o++] = '[';
        for (unsigned long cp = first; cp < first + BLOCK && cp <= 0x10ffff; cp++) {
            if ((cp >= 0xd800 && cp <= 0xdfff) || cp == '"' || cp == '\\')
                continue;
            if (n)
                in[o++] = ',';
            in[o++] = '"';
            o += utf8_encode(in + o, cp);
            in[o++] = '"';
            cps[n++] = cp;
        }
        in[o++] = ']';
        in[o] = '\0';
        char *out = json_out(in);
        json_object *arr = json_tokener_parse(out);
        CHECK(arr && json_object_array_length(arr) == n);
        /* the elements as written: the output split at its "," */
        const char *p = out + 1;
        for (size_t i = 0; arr && i < n; i++) {
            const char *end = strstr(p + 1, "\"");
            char want[8];
            want[utf8_encode(want, cps[i])] = '\0';
            bool raw = (size_t)(end - p - 1) == strlen(want) && !memcmp(p + 1, want, strlen(want));
            const char *back = json_object_get_string(json_object_array_get_idx(arr, i));
            if ((raw == text_cp_escaped(cps[i]) || strcmp(back, want) != 0) && wrong++ < 5)
                fprintf(stderr, "  U+%04lX: %.*s\n", cps[i], (int)(end - p + 1), p);
            p = end + 2;
        }
        json_object_put(arr);
        free(out);
    }
    free(in);
    CHECK_INT_EQ(wrong, 0);
    char *s = json_out("{\"Tags\":{\"k\":\"a\xe2\x80\x8b\xf3\xa0\x80\x81\"}}");
    CHECK_STR_EQ(s, "{\"Tags\":{\"k\":\"a\\u200b\\udb40\\udc01\"}}");
    free(s);
}

int main(void)
{
    RUN(test_plain_text_escapes_the_one_list);
    RUN(test_json_escapes_the_one_list);
    return check_finish();
}
