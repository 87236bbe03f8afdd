/* api/sigv4_canonical.c — the pieces of the SigV4 canonical request: URI
 * encoding, the canonical URI (path normalization), the canonical query
 * string and the canonical headers. The rules are stated in api/sigv4.h;
 * the request itself is assembled in sigv4.c. */
#include "api/sigv4.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* ---- Buffer ---- */

void sigv4_buf_init(struct sigv4_buf *b)
{
    b->data = b->small;
    b->len = 0;
    b->cap = sizeof b->small;
    b->failed = false;
    b->small[0] = '\0';
}

static bool buf_reserve(struct sigv4_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra < b->cap - b->len) /* room for extra bytes and the NUL */
        return true;
    if (extra >= SIGV4_BUF_LIMIT - b->len) {
        b->failed = true;
        return false;
    }
    size_t cap = b->cap;
    while (cap - b->len <= extra)
        cap *= 2;
    char *p = malloc(cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    memcpy(p, b->data, b->len + 1);
    /* The old storage may have held secret material (the session token). */
    OPENSSL_cleanse(b->data, b->len);
    if (b->data != b->small)
        free(b->data);
    b->data = p;
    b->cap = cap;
    return true;
}

void sigv4_buf_append(struct sigv4_buf *b, const void *data, size_t len)
{
    if (!buf_reserve(b, len))
        return;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

static inline void buf_putc(struct sigv4_buf *b, char c)
{
    if (b->cap - b->len > 1) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
    } else {
        sigv4_buf_append(b, &c, 1);
    }
}

void sigv4_buf_free(struct sigv4_buf *b)
{
    OPENSSL_cleanse(b->data, b->len);
    if (b->data != b->small)
        free(b->data);
    sigv4_buf_init(b);
}

/* ---- Scratch arrays: on the stack for the usual handful, else the heap ---- */

#define SMALL_COUNT 32

static void *scratch_array(void *stack_array, size_t n, size_t elem)
{
    if (n <= SMALL_COUNT)
        return stack_array;
    if (n > SIZE_MAX / elem)
        return NULL;
    return malloc(n * elem);
}

static void scratch_free(void *p, void *stack_array)
{
    if (p != stack_array)
        free(p);
}

/* ---- URI encoding ---- */

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

static const char HEX_UPPER[] = "0123456789ABCDEF";

static inline void encode_byte(struct sigv4_buf *out, unsigned char c, bool keep_slash)
{
    if (is_unreserved(c) || (keep_slash && c == '/')) {
        buf_putc(out, (char)c);
    } else {
        char e[3] = {'%', HEX_UPPER[c >> 4], HEX_UPPER[c & 15]};
        sigv4_buf_append(out, e, 3);
    }
}

void sigv4_uri_encode(struct sigv4_buf *out, const char *src, size_t len, bool keep_slash)
{
    size_t i = 0;
    while (i < len) {
        /* Copy runs that need no encoding in one go. */
        size_t run = i;
        while (run < len &&
               (is_unreserved((unsigned char)src[run]) || (keep_slash && src[run] == '/')))
            run++;
        if (run > i) {
            sigv4_buf_append(out, src + i, run - i);
            i = run;
            continue;
        }
        encode_byte(out, (unsigned char)src[i], keep_slash);
        i++;
    }
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes %XX sequences of src[0..len) and encodes the result: the query's
 * "decode, then encode" in one pass. */
static void reencode(struct sigv4_buf *out, const char *src, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '%' && i + 2 < len) {
            int hi = hex_value(src[i + 1]), lo = hex_value(src[i + 2]);
            if (hi >= 0 && lo >= 0) {
                c = (unsigned char)(hi << 4 | lo);
                i += 2;
            }
        }
        encode_byte(out, c, false);
    }
}

/* ---- Canonical URI ---- */

struct segment {
    const char *start;
    size_t len;
};

int sigv4_canonical_uri(struct sigv4_buf *out, const char *path, size_t len, bool normalize,
                        const char **why)
{
    if (len == 0) {
        buf_putc(out, '/');
        return 0;
    }
    if (path[0] != '/') {
        *why = "the path does not start with '/'";
        return -1;
    }
    if (!normalize) {
        sigv4_uri_encode(out, path, len, true);
        return 0;
    }

    /* RFC 3986 5.2.4 over the segments between slashes; empty segments
     * (repeated slashes) go too. */
    size_t max_segments = 1;
    for (size_t i = 0; i < len; i++)
        max_segments += path[i] == '/';
    struct segment stack_segments[SMALL_COUNT];
    struct segment *segs = scratch_array(stack_segments, max_segments, sizeof *segs);
    if (!segs) {
        *why = "out of memory";
        return -1;
    }
    size_t n = 0;
    bool trailing_slash = false;
    size_t i = 1;
    while (i <= len) {
        size_t end = i;
        while (end < len && path[end] != '/')
            end++;
        const char *s = path + i;
        size_t sl = end - i;
        bool last = end >= len;
        if (sl == 0) {
            trailing_slash = last; /* "...a/" */
        } else if (sl == 1 && s[0] == '.') {
            trailing_slash = last;
        } else if (sl == 2 && s[0] == '.' && s[1] == '.') {
            if (n)
                n--;
            trailing_slash = last;
        } else {
            segs[n].start = s;
            segs[n].len = sl;
            n++;
            trailing_slash = false;
        }
        i = end + 1;
    }
    buf_putc(out, '/');
    for (size_t k = 0; k < n; k++) {
        if (k)
            buf_putc(out, '/');
        sigv4_uri_encode(out, segs[k].start, segs[k].len, false);
    }
    if (n && trailing_slash)
        buf_putc(out, '/');
    scratch_free(segs, stack_segments);
    return 0;
}

/* ---- Canonical query string ---- */

struct query_param {
    const char *key, *value; /* encoded, in the scratch buffer */
    size_t key_len, value_len;
    size_t key_off, value_off;
};

static int bytes_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    if (c)
        return c;
    return al < bl ? -1 : al > bl;
}

static int query_param_cmp(const void *pa, const void *pb)
{
    const struct query_param *a = pa, *b = pb;
    int c = bytes_cmp(a->key, a->key_len, b->key, b->key_len);
    return c ? c : bytes_cmp(a->value, a->value_len, b->value, b->value_len);
}

int sigv4_canonical_query(struct sigv4_buf *out, const char *query, size_t len, const char **why)
{
    if (len == 0)
        return 0;
    size_t max_params = 1;
    for (size_t i = 0; i < len; i++)
        max_params += query[i] == '&';
    struct query_param stack_params[SMALL_COUNT];
    struct query_param *params = scratch_array(stack_params, max_params, sizeof *params);
    if (!params) {
        *why = "out of memory";
        return -1;
    }
    struct sigv4_buf scratch;
    sigv4_buf_init(&scratch);

    size_t n = 0;
    for (size_t i = 0; i <= len;) {
        size_t end = i;
        while (end < len && query[end] != '&')
            end++;
        if (end > i) {
            const char *eq = memchr(query + i, '=', end - i);
            size_t key_end = eq ? (size_t)(eq - query) : end;
            struct query_param *p = &params[n++];
            p->key_off = scratch.len;
            reencode(&scratch, query + i, key_end - i);
            p->key_len = scratch.len - p->key_off;
            p->value_off = scratch.len;
            if (eq)
                reencode(&scratch, eq + 1, end - key_end - 1);
            p->value_len = scratch.len - p->value_off;
        }
        i = end + 1;
    }
    int rc = 0;
    if (scratch.failed) {
        *why = "the query string is too long";
        rc = -1;
    } else {
        /* The scratch buffer no longer moves: offsets become pointers. */
        for (size_t k = 0; k < n; k++) {
            params[k].key = scratch.data + params[k].key_off;
            params[k].value = scratch.data + params[k].value_off;
        }
        qsort(params, n, sizeof *params, query_param_cmp);
        for (size_t k = 0; k < n; k++) {
            if (k)
                buf_putc(out, '&');
            sigv4_buf_append(out, params[k].key, params[k].key_len);
            buf_putc(out, '=');
            sigv4_buf_append(out, params[k].value, params[k].value_len);
        }
    }
    sigv4_buf_free(&scratch);
    scratch_free(params, stack_params);
    return rc;
}

/* ---- Canonical headers ---- */

static bool is_tchar(unsigned char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

static inline unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Headers no SDK signs: a proxy or the HTTP library may change or drop them.
 * `name` is lowercase. */
static bool is_unsigned_header(const char *name, size_t len)
{
    switch (len) {
    case 6:
        return memcmp(name, "expect", 6) == 0;
    case 10:
        return memcmp(name, "user-agent", 10) == 0;
    case 15:
        return memcmp(name, "x-amzn-trace-id", 15) == 0;
    case 17:
        return memcmp(name, "transfer-encoding", 17) == 0;
    default:
        return false;
    }
}

struct header_ref {
    const char *name; /* lowercased, in the scratch buffer */
    size_t name_len, name_off;
    const char *value;
    size_t order; /* position given: repeated headers keep it */
};

static int header_ref_cmp(const void *pa, const void *pb)
{
    const struct header_ref *a = pa, *b = pb;
    int c = bytes_cmp(a->name, a->name_len, b->name, b->name_len);
    if (c)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Whether any of the 8 bytes of w is below 0x21 (space, tab, a control) or
 * is DEL: the bytes a header value run stops at. */
static inline bool word_has_stop_byte(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t below = (w - ones * 0x21) & ~w & highs;
    uint64_t del = w ^ (ones * 0x7f);
    del = (del - ones) & ~del & highs;
    return (below | del) != 0;
}

/* Length of the run at p[0..len) of bytes other than spaces, controls and DEL. */
static size_t plain_run(const unsigned char *p, size_t len)
{
    size_t i = 0;
    /* Eight bytes at a time while no byte of the word ends the run. */
    while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (word_has_stop_byte(w))
            break;
        i += 8;
    }
    while (i < len && p[i] > 0x20 && p[i] != 0x7f)
        i++;
    return i;
}

/* Appends one header value, trimmed, inner runs of spaces and tabs made one
 * space, obs-fold continuation lines made extra values (joined by ','). */
static int append_header_value(struct sigv4_buf *out, const char *v, const char **why)
{
    const unsigned char *p = (const unsigned char *)v;
    size_t len = strlen(v);
    bool pending_space = false, have_text = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && p[i + 1] == '\n')
                i++;
            else if (c == '\r') {
                *why = "a header value holds a bare CR";
                return -1;
            }
            if (p[i + 1] != ' ' && p[i + 1] != '\t') {
                *why = "a header value holds a line break that is not a continuation line";
                return -1;
            }
            buf_putc(out, ',');
            pending_space = have_text = false;
        } else if (c == ' ' || c == '\t') {
            pending_space = have_text;
        } else if (c < 0x20 || c == 0x7f) {
            *why = "a header value holds a control character";
            return -1;
        } else {
            if (pending_space)
                buf_putc(out, ' ');
            pending_space = false;
            have_text = true;
            size_t run = plain_run(p + i, len - i); /* at least 1: p[i] is plain */
            sigv4_buf_append(out, p + i, run);
            i += run - 1;
        }
    }
    return 0;
}

int sigv4_canonical_headers(struct sigv4_buf *out, struct sigv4_buf *names,
                            const struct sigv4_header *headers, size_t n, const char **why)
{
    struct header_ref stack_refs[SMALL_COUNT];
    struct header_ref *refs = scratch_array(stack_refs, n ? n : 1, sizeof *refs);
    if (!refs) {
        *why = "out of memory";
        return -1;
    }
    /* Names are lowercased once, here; sorting and grouping compare bytes. */
    struct sigv4_buf lowered;
    sigv4_buf_init(&lowered);
    int rc = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = headers[i].name;
        if (!name || !*name || !headers[i].value) {
            *why = "a header has no name or no value";
            rc = -1;
            goto done;
        }
        size_t len = strlen(name);
        if (!buf_reserve(&lowered, len)) {
            *why = "the header names are too long";
            rc = -1;
            goto done;
        }
        char *l = lowered.data + lowered.len;
        for (size_t k = 0; k < len; k++) {
            unsigned char c = (unsigned char)name[k];
            if (!is_tchar(c)) {
                *why = "a header name holds a character HTTP does not allow";
                rc = -1;
                goto done;
            }
            l[k] = (char)lower(c);
        }
        if (is_unsigned_header(l, len))
            continue;
        refs[m].name_off = lowered.len;
        refs[m].name_len = len;
        refs[m].value = headers[i].value;
        refs[m].order = i;
        m++;
        lowered.len += len;
        lowered.data[lowered.len] = '\0';
    }
    /* The scratch buffer no longer moves: offsets become pointers. */
    for (size_t i = 0; i < m; i++)
        refs[i].name = lowered.data + refs[i].name_off;
    if (m <= SMALL_COUNT) {
        /* Insertion sort: for a handful of headers cheaper than qsort's setup. */
        for (size_t i = 1; i < m; i++) {
            struct header_ref r = refs[i];
            size_t j = i;
            for (; j > 0 && header_ref_cmp(&refs[j - 1], &r) > 0; j--)
                refs[j] = refs[j - 1];
            refs[j] = r;
        }
    } else {
        qsort(refs, m, sizeof *refs, header_ref_cmp);
    }

    /* "name:value,value...\n" a distinct name; the names joined by ';'. */
    for (size_t i = 0; i < m;) {
        if (names->len)
            buf_putc(names, ';');
        sigv4_buf_append(names, refs[i].name, refs[i].name_len);
        sigv4_buf_append(out, refs[i].name, refs[i].name_len);
        buf_putc(out, ':');
        size_t j = i;
        for (; j < m && refs[j].name_len == refs[i].name_len &&
               memcmp(refs[j].name, refs[i].name, refs[i].name_len) == 0;
             j++) {
            if (j > i)
                buf_putc(out, ',');
            if (append_header_value(out, refs[j].value, why) < 0) {
                rc = -1;
                goto done;
            }
        }
        buf_putc(out, '\n');
        i = j;
    }
done:
    sigv4_buf_free(&lowered);
    scratch_free(refs, stack_refs);
    return rc;
}
