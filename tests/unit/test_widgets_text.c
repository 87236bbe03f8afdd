/* The sanitizer, widths and cuts of widgets/text.h, in UTF-8 and C locales. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"
#include "widgets/text.h"

static void utf8(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    text_init_locale();
}

static void clocale(void)
{
    setlocale(LC_ALL, "C");
    text_init_locale();
}

static char out[1024];

static const char *san(const char *s, size_t len)
{
    text_sanitize(out, sizeof out, s, len);
    return out;
}

static void test_locale_detection(void)
{
    utf8();
    CHECK(text_utf8());
    clocale();
    CHECK(!text_utf8());
}

/* The injection string of the issue: every dangerous byte comes out escaped
 * and no control byte survives. */
static void test_controls_escaped(void)
{
    static const char in[] = "a\x1b[2Jb\rc\bd\te\xe2\x80\xae"
                             "f\xe2\x81\xa6g\0h\x7f\xc2\x85i";
    const char *want = "a^[[2Jb^Mc^Hd^Ie\\u202ef\\u2066g^@h^?\\u0085i";
    utf8();
    CHECK_STR_EQ(san(in, sizeof in - 1), want);
    clocale();
    CHECK_STR_EQ(san(in, sizeof in - 1), want);
    for (const char *p = out; *p; p++)
        CHECK((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
    /* without a length the NUL ends the string */
    CHECK_STR_EQ(san(in, TEXT_NUL), "a^[[2Jb^Mc^Hd^Ie\\u202ef\\u2066g");
}

static void test_bidi_and_marks_escaped(void)
{
    utf8();
    CHECK_STR_EQ(san("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", TEXT_NUL),
                 "\\u202a\\u202b\\u202c\\u202d");
    CHECK_STR_EQ(san("\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", TEXT_NUL), "\\u2067\\u2068\\u2069");
    CHECK_STR_EQ(san("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", TEXT_NUL), "\\u200e\\u200f\\u061c");
    /* invisible ones too, so look-alike names differ on screen */
    CHECK_STR_EQ(san("ad\xe2\x80\x8bmin\xef\xbb\xbf\xe2\x81\xa0", TEXT_NUL),
                 "ad\\u200bmin\\ufeff\\u2060");
    /* the zero width joiner stays (emoji sequences) */
    CHECK_STR_EQ(san("a\xe2\x80\x8d"
                     "b",
                     TEXT_NUL),
                 "a\xe2\x80\x8d"
                 "b");
}

/* Issue 16's gaps: the soft hyphen, the Hangul fillers, the tag characters
 * and the other default-ignorable code points are invisible, so two names
 * differing by them would look alike: all shown escaped, in both locales. */
static void test_invisible_characters_escaped(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"ad\xc2\xadmin", "ad\\u00admin"},                /* U+00AD soft hyphen */
        {"a\xe3\x85\xa4", "a\\u3164"},                    /* U+3164 Hangul filler */
        {"a\xe1\x85\x9f\xe1\x85\xa0", "a\\u115f\\u1160"}, /* Hangul choseong fillers */
        {"a\xef\xbe\xa0", "a\\uffa0"},                    /* halfwidth Hangul filler */
        {"x\xf3\xa0\x80\x81y", "x\\U000e0001y"},          /* U+E0001 language tag */
        {"\xf3\xa0\x81\x81\xf3\xa0\x81\xbf", "\\U000e0041\\U000e007f"}, /* tag A, cancel tag */
        {"a\xcd\x8f", "a\\u034f"},                        /* combining grapheme joiner */
        {"a\xe1\xa0\x8e", "a\\u180e"},                    /* Mongolian vowel separator */
        {"a\xe1\x9e\xb4", "a\\u17b4"},                    /* Khmer inherent vowel */
        {"a\xe2\x81\xa5\xe2\x81\xaf", "a\\u2065\\u206f"}, /* rest of U+2060-206F */
        {"a\xf0\x9b\xb2\xa0", "a\\U0001bca0"},            /* shorthand format control */
        {"a\xf0\x9d\x85\xb3", "a\\U0001d173"},            /* musical format control */
    };
    for (int loc = 0; loc < 2; loc++) {
        loc ? clocale() : utf8();
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
            CHECK_STR_EQ(san(cases[i].in, TEXT_NUL), cases[i].want);
    }
    /* what scripts and emoji need stays: ZWNJ, ZWJ, variation selectors */
    utf8();
    CHECK_STR_EQ(san("a\xe2\x80\x8c\xe2\x80\x8d\xe2\x9d\xa4\xef\xb8\x8f", TEXT_NUL),
                 "a\xe2\x80\x8c\xe2\x80\x8d\xe2\x9d\xa4\xef\xb8\x8f");
    /* the list is one function the verbs' writers use too */
    CHECK(text_cp_escaped(0x00ad));
    CHECK(text_cp_escaped(0x3164));
    CHECK(text_cp_escaped(0xe0000) && text_cp_escaped(0xe007f));
    CHECK(text_cp_escaped(0x200b) && text_cp_escaped(0x202e) && text_cp_escaped(0x85));
    CHECK(text_cp_escaped(0x1b) && text_cp_escaped(0x7f) && text_cp_escaped(0));
    CHECK(!text_cp_escaped('a') && !text_cp_escaped(0xe9) && !text_cp_escaped(0x200d));
    CHECK(!text_cp_escaped(0xfe0f) && !text_cp_escaped(0x4e2d));
}

/* An embedded NUL (JSON "\u0000") hides nothing when the length is given. */
static void test_embedded_nul_shows_the_rest(void)
{
    utf8();
    static const char v[] = "admin\0\x1b[31mhidden";
    CHECK_STR_EQ(san(v, sizeof v - 1), "admin^@^[[31mhidden");
    CHECK_INT_EQ(text_width(v, sizeof v - 1), 5 + 2 + 2 + 4 + 6);
}

static void test_invalid_utf8_escaped(void)
{
    utf8();
    CHECK_STR_EQ(san("a\xff"
                     "b",
                     TEXT_NUL),
                 "a\\xffb");
    CHECK_STR_EQ(san("\xc0\xaf", TEXT_NUL), "\\xc0\\xaf");                   /* overlong '/' */
    CHECK_STR_EQ(san("\xed\xa0\x80", TEXT_NUL), "\\xed\\xa0\\x80");          /* surrogate */
    CHECK_STR_EQ(san("\xf4\x90\x80\x80", TEXT_NUL), "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
    CHECK_STR_EQ(san("x\xe4\xb8", TEXT_NUL), "x\\xe4\\xb8");                 /* cut at the end */
    CHECK_STR_EQ(san("\xe4\xb8\xad", TEXT_NUL), "\xe4\xb8\xad");             /* 中 stays */
}

static void test_non_ascii_in_c_locale(void)
{
    clocale();
    CHECK_STR_EQ(san("caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80", TEXT_NUL),
                 "caf\\u00e9 \\u4e2d \\U0001f600");
    CHECK_INT_EQ(text_width("\xc3\xa9", TEXT_NUL), 6);
    CHECK_STR_EQ(text_ellipsis(), "~");
    utf8();
    CHECK_STR_EQ(san("caf\xc3\xa9", TEXT_NUL), "caf\xc3\xa9");
    CHECK_STR_EQ(text_ellipsis(), "\xe2\x80\xa6");
}

static void test_widths(void)
{
    utf8();
    CHECK_INT_EQ(text_width("abc", TEXT_NUL), 3);
    CHECK_INT_EQ(text_width("\xe4\xb8\xad\xe6\x96\x87", TEXT_NUL), 4); /* 中文 */
    CHECK_INT_EQ(text_width("\xf0\x9f\x98\x80", TEXT_NUL), 2);         /* 😀 */
    CHECK_INT_EQ(text_width("e\xcc\x81", TEXT_NUL), 1);                /* e + acute */
    CHECK_INT_EQ(text_width("\x1b", TEXT_NUL), 2);                     /* ^[ */
    CHECK_INT_EQ(text_width("\xe2\x80\xae", TEXT_NUL), 6);             /* \u202e */
}

/* Cuts at every column: never a split character, width never over. */
static void test_cut_every_column(void)
{
    utf8();
    const char *s = "a\xe4\xb8\xad"
                    "b\xf0\x9f\x98\x80"
                    "e\xcc\x81\xcc\x82"
                    "\xe6\x96\x87";
    int total = text_width(s, TEXT_NUL);
    CHECK_INT_EQ(total, 1 + 2 + 1 + 2 + 1 + 2);
    /* Expected byte lengths of the prefix for maxw 0..9 */
    static const size_t want[] = {0, 1, 1, 4, 5, 5, 9, 14, 14, 17};
    for (int w = 0; w <= total; w++) {
        int got_w;
        size_t n = text_cut(s, TEXT_NUL, w, 0, &got_w);
        CHECK_INT_EQ(n, want[w]);
        CHECK(got_w <= w);
        CHECK_INT_EQ(got_w, text_width(s, n));
    }
    /* with an ellipsis one column is kept when the string does not fit */
    for (int w = 1; w < total; w++) {
        int got_w;
        size_t n = text_cut(s, TEXT_NUL, w, TEXT_ELLIPSIS, &got_w);
        CHECK(got_w <= w - 1);
        CHECK(n <= want[w]);
        CHECK_INT_EQ(got_w, text_width(s, n));
    }
    int fw;
    CHECK_INT_EQ(text_cut(s, TEXT_NUL, total, TEXT_ELLIPSIS, &fw), strlen(s));
    CHECK_INT_EQ(fw, total);
    /* marks stay with their base under an ellipsis cut too */
    CHECK_INT_EQ(text_cut("e\xcc\x81xyz", TEXT_NUL, 2, TEXT_ELLIPSIS, &fw), 3);
    CHECK_INT_EQ(fw, 1);
}

static void test_cut_never_splits_escape(void)
{
    utf8();
    int w;
    /* "a" then ESC shown as "^[": 2 columns cannot hold a + ^[ */
    CHECK_INT_EQ(text_cut("a\x1b", TEXT_NUL, 2, 0, &w), 1);
    CHECK_INT_EQ(w, 1);
    CHECK_INT_EQ(text_cut("a\x1b", TEXT_NUL, 3, 0, &w), 2);
    CHECK_INT_EQ(text_cut("\xe2\x80\xae", TEXT_NUL, 5, 0, &w), 0);
}

static void test_wrap(void)
{
    utf8();
    const char *s = "the quick brown fox";
    size_t next, n = text_wrap(s, TEXT_NUL, 10, &next);
    CHECK_INT_EQ(n, 9); /* "the quick" */
    CHECK_STR_EQ(s + next, "brown fox");
    n = text_wrap("abcdefghij", TEXT_NUL, 4, &next);
    CHECK_INT_EQ(n, 4);
    /* a newline is text like any other (drawn "^J"), never a line break:
     * outside text cannot start lines of its own */
    n = text_wrap("ab\ncd", TEXT_NUL, 10, &next);
    CHECK_INT_EQ(n, 5);
    CHECK_INT_EQ(next, 5);
    n = text_wrap("ab\ncd ef", TEXT_NUL, 6, &next);
    CHECK_INT_EQ(n, 5); /* "ab^Jcd" is 6 columns */
    CHECK_INT_EQ(next, 6);
    /* a wide character that does not fit moves to the next line whole */
    n = text_wrap("a\xe4\xb8\xad", TEXT_NUL, 2, &next);
    CHECK_INT_EQ(n, 1);
}

static void test_fold_and_contains(void)
{
    char needle[64];
    utf8();
    size_t nl = text_fold(needle, sizeof needle, "PoOl");
    CHECK_STR_EQ(needle, "pool");
    const char *hay = "my-POOL-eu";
    CHECK(text_contains_folded(hay, strlen(hay), needle, nl));
    CHECK(!text_contains_folded("my-poo", 6, needle, nl));
    nl = text_fold(needle, sizeof needle, "\xc3\x89T\xc3\x89"); /* ÉTÉ */
    CHECK_STR_EQ(needle, "\xc3\xa9t\xc3\xa9");
    CHECK(text_contains_folded("un \xc3\x89t\xc3\xa9 chaud", 16, needle, nl));
    CHECK(!text_contains_folded("un ete", 6, needle, nl));
    /* KELVIN SIGN lower-cases to ASCII 'k': an ASCII needle still finds it */
    nl = text_fold(needle, sizeof needle, "K");
    CHECK(text_contains_folded("x\xe2\x84\xaay", 5, needle, nl));
    CHECK(!text_contains_folded("x\xe2\x84\xabY", 5, needle, nl));
}

static void test_char_steps(void)
{
    utf8();
    const char *s = "a\xe4\xb8\xad"
                    "e\xcc\x81"
                    "b";
    size_t len = strlen(s);
    CHECK_INT_EQ(text_next_char(s, len, 0), 1);
    CHECK_INT_EQ(text_next_char(s, len, 1), 4);
    CHECK_INT_EQ(text_next_char(s, len, 4), 7); /* e + combining acute as one */
    CHECK_INT_EQ(text_prev_char(s, len, 7), 4);
    CHECK_INT_EQ(text_prev_char(s, len, 4), 1);
    CHECK_INT_EQ(text_prev_char(s, len, 1), 0);
}

static void test_thousands(void)
{
    char b[32];
    CHECK_STR_EQ(text_thousands(b, sizeof b, 0), "0");
    CHECK_STR_EQ(text_thousands(b, sizeof b, 999), "999");
    CHECK_STR_EQ(text_thousands(b, sizeof b, 10000), "10,000");
    CHECK_STR_EQ(text_thousands(b, sizeof b, 1000000), "1,000,000");
}

static void test_sanitize_dup_bound(void)
{
    utf8();
    char in[256];
    for (int i = 0; i < 256; i++)
        in[i] = (char)(i == 0 ? 1 : 0x80 + i % 64);
    char *d = text_sanitize_dup(in, sizeof in);
    CHECK(d != NULL);
    if (d) {
        CHECK_INT_EQ(strlen(d), 2 + 255 * 4); /* ^A, then \x.. for each lone continuation byte */
        free(d);
    }
}

int main(void)
{
    RUN(test_locale_detection);
    RUN(test_controls_escaped);
    RUN(test_bidi_and_marks_escaped);
    RUN(test_invisible_characters_escaped);
    RUN(test_embedded_nul_shows_the_rest);
    RUN(test_invalid_utf8_escaped);
    RUN(test_non_ascii_in_c_locale);
    RUN(test_widths);
    RUN(test_cut_every_column);
    RUN(test_cut_never_splits_escape);
    RUN(test_wrap);
    RUN(test_fold_and_contains);
    RUN(test_char_steps);
    RUN(test_thousands);
    RUN(test_sanitize_dup_bound);
    return check_finish();
}
