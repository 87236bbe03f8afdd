/* fuzz/sanitize.c — libFuzzer harness for the sanitizer and the width and
 * cut functions of widgets/text.h. The first byte picks the locale mode and
 * a width; the rest is the text. Every property checked here is a contract
 * of text.h; a violation aborts so the fuzzer reports it. (Theme files are
 * fuzz/config.c's.)
 */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    setlocale(LC_ALL, "C.UTF-8");
    return 0;
}

static void require(int ok)
{
    if (!ok)
        abort();
}

/* The sanitized form: printable ASCII, or (UTF-8 mode) valid UTF-8 with no
 * code point of the list (text_cp_escaped: C1, bidi, invisible). */
static void check_clean(const char *s, size_t n, int utf8)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        require(c >= 0x20 && c != 0x7f);
        require(utf8 || c < 0x80);
    }
    size_t pos = 0;
    struct text_glyph g;
    while (text_next(s, n, &pos, &g)) {
        require(g.esclen == 0 ||
                (g.esclen >= 2 && s[pos - g.nbytes] == (g.esc[0] == '^' ? '^' : '\\')));
        require(g.esclen > 0 || !text_cp_escaped((unsigned long)g.wc));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int utf8 = data[0] & 1;
    int maxw = data[0] >> 1;
    text_set_utf8(utf8);
    const char *s = (const char *)data + 1;
    size_t len = size - 1;

    char *dup = text_sanitize_dup(s, len);
    require(dup != NULL);
    size_t dl = strlen(dup);
    check_clean(dup, dl, utf8);
    require(text_width(dup, TEXT_NUL) == text_width(s, len));
    /* sanitizing twice changes nothing but escapes' backslashes/carets,
     * which are printable: the width of the clean text is its own */
    free(dup);

    char small[17];
    size_t sn = text_sanitize(small, sizeof small, s, len);
    require(sn < sizeof small && small[sn] == '\0');
    check_clean(small, sn, utf8);

    for (unsigned flags = 0; flags < 2; flags++) {
        int w;
        size_t cut = text_cut(s, len, maxw, flags ? TEXT_ELLIPSIS : 0, &w);
        require(cut <= len);
        require(w >= 0 && w <= maxw);
        require(text_width(s, cut) == w);
        /* the cut is on a unit boundary: decoding the prefix consumes it exactly */
        size_t pos = 0;
        struct text_glyph g;
        while (pos < cut && text_next(s, cut, &pos, &g))
            ;
        require(pos == cut);
    }

    size_t off = 0;
    int lines = 0;
    while (off < len && lines < 10000) {
        size_t next;
        size_t n = text_wrap(s + off, len - off, maxw ? maxw : 1, &next);
        require(n <= len - off);
        require(next > 0 && next <= len - off);
        off += next;
        lines++;
    }

    for (size_t p = 0; p < len;) {
        size_t q = text_next_char(s, len, p);
        require(q > p && q <= len);
        require(text_prev_char(s, len, q) == p);
        p = q;
    }

    char needle[64];
    size_t nl = len > 4 ? 4 : len;
    char raw[5];
    memcpy(raw, s, nl);
    raw[nl] = '\0';
    size_t fl = text_fold(needle, sizeof needle, raw);
    (void)text_contains_folded(s, len, needle, fl);

    char *text = malloc(len + 1);
    require(text != NULL);
    memcpy(text, s, len);
    text[len] = '\0';
    /* the sort order is antisymmetric: a before b is b after a */
    size_t half = strlen(text) / 2;
    char *second = strdup(text + half);
    require(second != NULL);
    text[half] = '\0';
    int ab = text_compare(text, second), ba = text_compare(second, text);
    require((ab > 0) == (ba < 0) && (ab == 0) == (ba == 0));
    free(second);
    free(text);
    return 0;
}
