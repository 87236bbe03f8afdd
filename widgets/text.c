/* widgets/text.c — the sanitizer and width functions (see text.h). */
#include "widgets/text.h"

#include <langinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

static int utf8_state = -1; /* -1 unknown, 0 no, 1 yes */

void text_init_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    utf8_state = cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

void text_set_utf8(bool utf8)
{
    utf8_state = utf8 ? 1 : 0;
}

bool text_utf8(void)
{
    if (utf8_state < 0)
        text_init_locale();
    return utf8_state == 1;
}

/* Decodes one UTF-8 character at s[0..n). Returns the code point and sets
 * *used, or -1 with *used = 1 for a byte that does not start a valid,
 * shortest-form, non-surrogate sequence. */
static long utf8_decode(const unsigned char *s, size_t n, size_t *used)
{
    unsigned char c = s[0];
    *used = 1;
    if (c < 0x80)
        return c;
    size_t need;
    long cp, min;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 1, cp = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 2, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3, cp = c & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if (n < need + 1)
        return -1;
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    *used = need + 1;
    return cp;
}

/* The one list of what is never sent to a terminal as itself: controls,
 * the characters that change how a terminal orders text (bidi), and the
 * invisible ones (Unicode's default-ignorable code points) that would make
 * two different names look the same. Kept out of it: the zero width
 * non-joiner and joiner (U+200C/D) and the variation selectors (U+180B-D,
 * U+180F, U+FE00-FE0F, U+E0100-E01EF), which emoji sequences and some
 * scripts need and which only change the look of the character before. */
static const struct {
    unsigned long lo, hi;
} escaped_ranges[] = {
    {0x0000, 0x001f},   /* C0 controls */
    {0x007f, 0x009f},   /* DEL, C1 controls */
    {0x00ad, 0x00ad},   /* soft hyphen */
    {0x034f, 0x034f},   /* combining grapheme joiner */
    {0x061c, 0x061c},   /* Arabic letter mark */
    {0x115f, 0x1160},   /* Hangul choseong and jungseong fillers */
    {0x17b4, 0x17b5},   /* Khmer inherent vowels */
    {0x180e, 0x180e},   /* Mongolian vowel separator */
    {0x200b, 0x200b},   /* zero width space */
    {0x200e, 0x200f},   /* left-to-right and right-to-left marks */
    {0x2028, 0x202e},   /* line and paragraph separators, bidi embeddings */
    {0x2060, 0x206f},   /* word joiner, invisible operators, bidi isolates */
    {0x3164, 0x3164},   /* Hangul filler */
    {0xfeff, 0xfeff},   /* zero width no-break space (BOM) */
    {0xffa0, 0xffa0},   /* halfwidth Hangul filler */
    {0xfff0, 0xfffb},   /* unassigned, interlinear annotation */
    {0x1bca0, 0x1bca3}, /* shorthand format controls */
    {0x1d173, 0x1d17a}, /* musical symbol format controls */
    {0xe0000, 0xe00ff}, /* tag characters (U+E0000-E007F) and unassigned */
    {0xe01f0, 0xe0fff}, /* unassigned, default-ignorable */
};

bool text_cp_escaped(unsigned long cp)
{
    if (cp >= 0xa0 && cp < 0xad)
        return false;
    for (size_t i = 0; i < sizeof escaped_ranges / sizeof escaped_ranges[0]; i++) {
        if (cp < escaped_ranges[i].lo)
            return false; /* sorted */
        if (cp <= escaped_ranges[i].hi)
            return true;
    }
    return false;
}

static void set_escape(struct text_glyph *g, const char *esc)
{
    size_t n = strlen(esc);
    memcpy(g->esc, esc, n + 1);
    g->esclen = (int)n;
    g->width = (int)n;
    g->wc = 0;
}

static void escape_cp(struct text_glyph *g, long cp)
{
    char b[16];
    unsigned v = (unsigned)cp & 0x1fffffu; /* cp <= 0x10ffff: 8 hex digits at most */
    if (v > 0xffff)
        snprintf(b, sizeof b, "\\U%08x", v);
    else
        snprintf(b, sizeof b, "\\u%04x", v);
    set_escape(g, b);
}

bool text_next(const char *s, size_t len, size_t *pos, struct text_glyph *g)
{
    size_t p = *pos;
    if (len == TEXT_NUL ? s[p] == '\0' : p >= len)
        return false;
    size_t avail = len == TEXT_NUL ? strnlen(s + p, 4) : len - p;
    if (avail == 0) /* TEXT_NUL with s[p] != 0 cannot get here; keeps analysers calm */
        avail = 1;
    const unsigned char *u = (const unsigned char *)s + p;
    size_t used;
    long cp = utf8_decode(u, avail, &used);
    g->nbytes = used;
    g->esclen = 0;
    g->esc[0] = '\0';
    *pos = p + used;
    if (cp < 0) {
        char b[8];
        snprintf(b, sizeof b, "\\x%02x", u[0]);
        set_escape(g, b);
        return true;
    }
    if (cp < 0x20 || cp == 0x7f) {
        char b[3] = {'^', (char)(cp == 0x7f ? '?' : cp + 0x40), 0};
        set_escape(g, b);
        return true;
    }
    if (cp < 0x7f) {
        g->wc = (wchar_t)cp;
        g->width = 1;
        return true;
    }
    if (text_cp_escaped((unsigned long)cp) || !text_utf8()) {
        escape_cp(g, cp);
        return true;
    }
    int w = wcwidth((wchar_t)cp);
    if (w < 0 || w > 2) {
        escape_cp(g, cp);
        return true;
    }
    g->wc = (wchar_t)cp;
    g->width = w;
    return true;
}

int text_width(const char *s, size_t len)
{
    size_t pos = 0;
    struct text_glyph g;
    int w = 0;
    while (text_next(s, len, &pos, &g))
        w += g.width;
    return w;
}

const char *text_ellipsis(void)
{
    return text_utf8() ? "\u2026" : "~";
}

size_t text_cut(const char *s, size_t len, int maxw, unsigned flags, int *width)
{
    size_t pos = 0, fit = 0, fit_ell = 0;
    int w = 0, w_ell = 0;
    struct text_glyph g;
    bool all = true;
    if (maxw < 0)
        maxw = 0;
    while (true) {
        size_t before = pos;
        if (!text_next(s, len, &pos, &g))
            break;
        if (w + g.width > maxw) {
            all = false;
            pos = before;
            break;
        }
        w += g.width;
        fit = pos;
        /* The prefix that leaves a column for the ellipsis: a zero-width mark
         * extends it only while its base is in it. */
        if (w <= maxw - 1 && (g.width > 0 || fit_ell == before)) {
            fit_ell = pos;
            w_ell = w;
        }
    }
    if (!all && (flags & TEXT_ELLIPSIS) && maxw >= 1) {
        if (width)
            *width = w_ell;
        return fit_ell;
    }
    if (width)
        *width = w;
    return fit;
}

static size_t glyph_utf8(const struct text_glyph *g, const char *src, char *out)
{
    if (g->esclen) {
        memcpy(out, g->esc, (size_t)g->esclen);
        return (size_t)g->esclen;
    }
    memcpy(out, src, g->nbytes);
    return g->nbytes;
}

size_t text_sanitize(char *dst, size_t cap, const char *s, size_t len)
{
    size_t pos = 0, out = 0;
    struct text_glyph g;
    if (cap == 0)
        return 0;
    while (true) {
        size_t before = pos;
        if (!text_next(s, len, &pos, &g))
            break;
        size_t need = g.esclen ? (size_t)g.esclen : g.nbytes;
        if (out + need + 1 > cap)
            break;
        out += glyph_utf8(&g, s + before, dst + out);
    }
    dst[out] = '\0';
    return out;
}

char *text_sanitize_dup(const char *s, size_t len)
{
    size_t n = len == TEXT_NUL ? strlen(s) : len;
    /* The longest expansion is "\x.." (4) per input byte, or "\U0010ffff" (10)
     * for a 4-byte character: never more than 4 output bytes per input byte. */
    if (n > (SIZE_MAX - 1) / 4)
        return NULL;
    char *d = malloc(n * 4 + 1);
    if (d)
        text_sanitize(d, n * 4 + 1, s, len);
    return d;
}

size_t text_wrap(const char *s, size_t len, int width, size_t *next)
{
    size_t n = len == TEXT_NUL ? strlen(s) : len;
    size_t pos = 0, last_space_end = 0, cut = 0;
    int w = 0;
    struct text_glyph g;
    if (n == 0) {
        *next = 0;
        return 0;
    }
    if (width < 1)
        width = 1;
    while (pos < n) {
        size_t before = pos;
        text_next(s, n, &pos, &g);
        if (w + g.width > width && before > 0) {
            size_t end = before, start = before;
            if (s[before] != ' ' && last_space_end > 0)
                end = start = last_space_end; /* break after the last space */
            /* the line drops its trailing spaces, the next its leading ones */
            while (end > 0 && s[end - 1] == ' ')
                end--;
            while (start < n && s[start] == ' ')
                start++;
            *next = start;
            return end;
        }
        w += g.width;
        cut = pos;
        if (s[before] == ' ')
            last_space_end = pos;
    }
    *next = n;
    return cut;
}

size_t text_fold(char *dst, size_t cap, const char *s)
{
    size_t pos = 0, out = 0, n = strlen(s);
    if (cap == 0)
        return 0;
    while (pos < n) {
        size_t used;
        long cp = utf8_decode((const unsigned char *)s + pos, n - pos, &used);
        char buf[8];
        size_t bl;
        if (cp >= 0x80 && text_utf8()) {
            cp = (long)towlower((wint_t)cp);
            mbstate_t st;
            memset(&st, 0, sizeof st);
            bl = wcrtomb(buf, (wchar_t)cp, &st);
            if (bl == (size_t)-1) {
                memcpy(buf, s + pos, used);
                bl = used;
            }
        } else if (cp >= 0 && cp < 0x80) {
            buf[0] = (char)((cp >= 'A' && cp <= 'Z') ? cp + 32 : cp);
            bl = 1;
        } else {
            memcpy(buf, s + pos, used);
            bl = used;
        }
        if (out + bl + 1 > cap)
            break;
        memcpy(dst + out, buf, bl);
        out += bl;
        pos += used;
    }
    dst[out] = '\0';
    return out;
}

int text_compare(const char *a, const char *b)
{
    char fa[1024], fb[1024];
    text_fold(fa, sizeof fa, a ? a : "");
    text_fold(fb, sizeof fb, b ? b : "");
    return strverscmp(fa, fb);
}

static inline unsigned char ascii_lower(unsigned char c)
{
    return (unsigned char)(c - 'A') < 26u ? (unsigned char)(c + 32) : c;
}

/* Slow path: compares code point by code point with towlower. */
static bool contains_wide(const char *hay, size_t haylen, const char *needle, size_t nlen)
{
    for (size_t start = 0; start < haylen;) {
        size_t hp = start, np = 0;
        while (np < nlen && hp < haylen) {
            size_t hu, nu;
            long hc = utf8_decode((const unsigned char *)hay + hp, haylen - hp, &hu);
            long nc = utf8_decode((const unsigned char *)needle + np, nlen - np, &nu);
            if (hc >= 0)
                hc = hc < 0x80 ? ascii_lower((unsigned char)hc) : (long)towlower((wint_t)hc);
            if (hc != nc)
                break;
            hp += hu;
            np += nu;
        }
        if (np == nlen)
            return true;
        size_t used;
        utf8_decode((const unsigned char *)hay + start, haylen - start, &used);
        start += used;
    }
    return false;
}

bool text_contains_folded(const char *hay, size_t haylen, const char *needle, size_t nlen)
{
    if (nlen == 0)
        return true;
    if (haylen < nlen && !text_utf8())
        return false;
    bool ascii = true;
    for (size_t i = 0; i < nlen; i++)
        if ((unsigned char)needle[i] >= 0x80)
            ascii = false;
    if (ascii) {
        /* An ASCII needle can only match ASCII bytes (UTF-8 never reuses
         * them inside a multi-byte character), so a byte scan is exact. */
        const unsigned char *h = (const unsigned char *)hay;
        unsigned char first = (unsigned char)needle[0];
        unsigned char first_up = (first >= 'a' && first <= 'z') ? first - 32 : first;
        unsigned char high = 0; /* any byte >= 0x80 seen (for the check below) */
        size_t i;
        for (i = 0; i + nlen <= haylen; i++) {
            high |= h[i];
            if (h[i] != first && h[i] != first_up)
                continue;
            size_t k = 1;
            while (k < nlen && ascii_lower(h[i + k]) == (unsigned char)needle[k])
                k++;
            if (k == nlen)
                return true;
        }
        /* A non-ASCII character can lower-case to ASCII (KELVIN SIGN to 'k'). */
        if (!text_utf8())
            return false;
        for (; i < haylen; i++)
            high |= h[i];
        return (high & 0x80) ? contains_wide(hay, haylen, needle, nlen) : false;
    }
    if (!text_utf8())
        return memmem(hay, haylen, needle, nlen) != NULL;
    /* towlower maps ASCII to ASCII: all-ASCII text cannot hold a folded
     * non-ASCII needle, and most text is all ASCII */
    for (size_t i = 0; i < haylen; i++)
        if ((unsigned char)hay[i] >= 0x80)
            return contains_wide(hay, haylen, needle, nlen);
    return false;
}

size_t text_next_char(const char *s, size_t len, size_t pos)
{
    struct text_glyph g;
    if (!text_next(s, len, &pos, &g))
        return pos;
    for (;;) {
        size_t p = pos;
        if (!text_next(s, len, &p, &g) || g.width != 0 || g.esclen)
            return pos;
        pos = p;
    }
}

size_t text_prev_char(const char *s, size_t len, size_t pos)
{
    /* Walk forward from the start: UTF-8 could be resynchronised backwards,
     * but invalid bytes and combining marks make forward the simple truth. */
    size_t p = 0, prev = 0;
    while (p < pos) {
        prev = p;
        size_t q = text_next_char(s, len, p);
        if (q == p)
            break;
        p = q;
    }
    return prev;
}

char *text_thousands(char *buf, size_t cap, unsigned long long n)
{
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%llu", n);
    char out[48];
    int o = 0;
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    snprintf(buf, cap, "%s", out);
    return buf;
}
