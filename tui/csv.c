/* tui/csv.c — RFC 4180 records and terminal-safe text (contract in csv.h). */
#include "tui/csv.h"

#include <string.h>

#include "widgets/text.h"

/* Length of the valid UTF-8 sequence at s (1..4) and its code point, or 0
 * when the bytes are not valid UTF-8 (overlong, surrogate, out of range,
 * truncated). */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned long *cp)
{
    unsigned char c = s[0];
    size_t n;
    unsigned long v, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* Calls emit(ctx, text, len) for each piece of the escaped form of s. */
typedef int (*emit_fn)(void *ctx, const char *text, size_t len);

static int escape_terminal(const char *s, size_t len, bool one_line, emit_fn emit, void *ctx)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    char esc[24];

    while (i < len) {
        unsigned long cp;
        size_t n = utf8_decode(p + i, len - i, &cp);

        if (n == 0) {
            snprintf(esc, sizeof esc, "\\x%02x", p[i]);
            if (emit(ctx, esc, 4) < 0)
                return -1;
            i++;
            continue;
        }
        if (cp < 0x20 || cp == 0x7F) {
            if (!one_line && (cp == '\n' || cp == '\t')) {
                if (emit(ctx, s + i, 1) < 0)
                    return -1;
            } else {
                snprintf(esc, sizeof esc, "\\x%02lx", cp);
                if (emit(ctx, esc, 4) < 0)
                    return -1;
            }
        } else if (text_cp_escaped(cp)) { /* the console's list (widgets/text.h) */
            int w = snprintf(esc, sizeof esc, cp > 0xFFFF ? "\\U%08lx" : "\\u%04lx", cp);
            if (emit(ctx, esc, (size_t)w) < 0)
                return -1;
        } else if (emit(ctx, s + i, n) < 0) {
            return -1;
        }
        i += n;
    }
    return 0;
}

static int emit_file(void *ctx, const char *text, size_t len)
{
    return fwrite(text, 1, len, (FILE *)ctx) == len ? 0 : -1;
}

int text_write_terminal(FILE *out, const char *s, size_t len, bool one_line)
{
    return escape_terminal(s, len, one_line, emit_file, out);
}

struct buf_sink {
    char *buf;
    size_t size, used;
    bool full;
};

static int emit_buf(void *ctx, const char *text, size_t len)
{
    struct buf_sink *b = ctx;

    if (b->full || b->used + len >= b->size) {
        b->full = true; /* stop at a whole escape or character */
        return -1;
    }
    memcpy(b->buf + b->used, text, len);
    b->used += len;
    return 0;
}

void text_escape_terminal(const char *s, char *buf, size_t size, bool one_line)
{
    struct buf_sink b = {buf, size, 0, false};

    if (size == 0)
        return;
    escape_terminal(s, strlen(s), one_line, emit_buf, &b);
    buf[b.used] = '\0';
}

static bool needs_quotes(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (strchr(",\"\r\n", s[i]) && s[i])
            return true;
    return false;
}

/* A spreadsheet takes a cell starting with one of these as a formula. */
static bool looks_like_formula(const char *s, size_t len)
{
    return len && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

static int write_field(FILE *out, const char *s, size_t len, bool terminal)
{
    bool quote = needs_quotes(s, len);
    const char *p = s, *end = s + len;

    if (quote && fputc('"', out) == EOF)
        return -1;
    if (looks_like_formula(s, len) && fputc('\'', out) == EOF)
        return -1;
    while (p < end) {
        /* Write up to the next quote, then the quote doubled. */
        const char *q = quote ? memchr(p, '"', (size_t)(end - p)) : NULL;
        size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
        int rc = terminal ? text_write_terminal(out, p, n, false) : emit_file(out, p, n);

        if (rc < 0)
            return -1;
        p += n;
        if (q) {
            if (fputs("\"\"", out) == EOF)
                return -1;
            p++;
        }
    }
    if (quote && fputc('"', out) == EOF)
        return -1;
    return 0;
}

/* lens NULL: each field's strlen. */
static int write_record(FILE *out, const char *const *fields, const size_t *lens, size_t n,
                        bool terminal)
{
    for (size_t i = 0; i < n; i++) {
        const char *f = fields[i] ? fields[i] : "";
        if (i > 0 && fputc(',', out) == EOF)
            return -1;
        if (write_field(out, f, !fields[i] ? 0 : lens ? lens[i] : strlen(f), terminal) < 0)
            return -1;
    }
    if (fputs("\r\n", out) == EOF)
        return -1;
    return ferror(out) ? -1 : 0;
}

int csv_write_record_len(FILE *out, const char *const *fields, const size_t *lens, size_t n,
                         bool terminal)
{
    return write_record(out, fields, lens, n, terminal);
}

int csv_write_record(FILE *out, const char *const *fields, size_t n, bool terminal)
{
    return write_record(out, fields, NULL, n, terminal);
}

int json_text_write(FILE *out, const char *text, bool terminal)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t len = strlen(text), i = 0, run = 0;
    char esc[24];

    if (!terminal)
        return emit_file(out, text, len);
    /* Copy runs of harmless bytes in one write; escape the rest. */
    while (i < len) {
        unsigned long cp;
        size_t n = utf8_decode(p + i, len - i, &cp);
        /* json-c escapes C0 itself; the rest of the console's list here. */
        bool escape = n == 0 || (cp >= 0x7F && text_cp_escaped(cp));

        if (!escape) {
            i += n;
            run += n;
            continue;
        }
        if (emit_file(out, text + i - run, run) < 0)
            return -1;
        run = 0;
        if (n == 0)
            cp = 0xFFFD;
        int w = cp > 0xFFFF /* a surrogate pair, as JSON spells it */
                    ? snprintf(esc, sizeof esc, "\\u%04lx\\u%04lx", 0xD800 + ((cp - 0x10000) >> 10),
                               0xDC00 + ((cp - 0x10000) & 0x3FF))
                    : snprintf(esc, sizeof esc, "\\u%04lx", cp);
        if (emit_file(out, esc, (size_t)w) < 0)
            return -1;
        i += n ? n : 1;
    }
    return emit_file(out, text + i - run, run);
}
