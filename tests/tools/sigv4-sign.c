/* sigv4-sign — signs a batch of requests read from stdin, for cross-checks
 * (tests/unit/test_sigv4_botocore.py) that would pay a process a request.
 *
 * Framing: every field is a netstring, `<decimal length>:<bytes>,`.
 * A request is these fields, in order:
 *   access key id, secret, session token ("" = none), region, service,
 *   time (decimal UTC seconds), flags (any of: n = normalize the path,
 *   b = sign the body, o = omit the session token from the signature),
 *   method, path and query, header count N, then N (name, value) pairs,
 *   then the body.
 * For each request, three netstrings on stdout: "OK" or "ERR"; the
 * Authorization value or why the signer refused; the canonical request
 * (empty when refused). Exit status: 0, or 2 when the input is malformed.
 */
#include "api/sigv4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
    char *data; /* fields are NUL-terminated in place */
    size_t len, pos;
};

/* Returns the next field, NUL-terminated (the ',' is overwritten), or NULL. */
static char *next_field(struct reader *r, size_t *len_out)
{
    size_t n = 0, i = r->pos;
    if (i >= r->len || r->data[i] < '0' || r->data[i] > '9')
        return NULL;
    while (i < r->len && r->data[i] >= '0' && r->data[i] <= '9') {
        if (n > (size_t)1 << 40)
            return NULL;
        n = n * 10 + (size_t)(r->data[i++] - '0');
    }
    if (i >= r->len || r->data[i] != ':' || n > r->len - i - 1 || r->len - i - 1 - n < 1 ||
        r->data[i + 1 + n] != ',')
        return NULL;
    char *field = r->data + i + 1;
    field[n] = '\0';
    r->pos = i + 1 + n + 1;
    if (len_out)
        *len_out = n;
    return field;
}

static void put_netstring(const char *s, size_t n)
{
    printf("%zu:", n);
    fwrite(s, 1, n, stdout);
    putchar(',');
}

static char *read_all(FILE *f, size_t *len_out)
{
    size_t cap = 1 << 16, len = 0, n;
    char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    *len_out = len;
    return buf;
}

int main(void)
{
    struct reader r = {0};
    r.data = read_all(stdin, &r.len);
    if (!r.data) {
        fprintf(stderr, "sigv4-sign: cannot read stdin\n");
        return 2;
    }
    struct sigv4_header *headers = NULL;
    size_t headers_cap = 0;
    int status = 0;
    while (r.pos < r.len) {
        char *f[9];
        for (int i = 0; i < 9; i++)
            if (!(f[i] = next_field(&r, NULL)))
                goto malformed;
        char *count = next_field(&r, NULL);
        if (!count)
            goto malformed;
        size_t n = strtoul(count, NULL, 10);
        if (n > 100000)
            goto malformed;
        if (n > headers_cap) {
            struct sigv4_header *h = realloc(headers, n * sizeof *h);
            if (!h)
                goto malformed;
            headers = h;
            headers_cap = n;
        }
        for (size_t i = 0; i < n; i++) {
            headers[i].name = next_field(&r, NULL);
            headers[i].value = next_field(&r, NULL);
            if (!headers[i].name || !headers[i].value)
                goto malformed;
        }
        size_t body_len = 0;
        const char *body = next_field(&r, &body_len);
        if (!body)
            goto malformed;

        struct sigv4_params params = {
            .access_key_id = f[0],
            .secret_access_key = f[1],
            .session_token = f[2],
            .region = f[3],
            .service = f[4],
            .time = (time_t)strtoll(f[5], NULL, 10),
            .normalize_path = strchr(f[6], 'n') != NULL,
            .sign_body = strchr(f[6], 'b') != NULL,
            .omit_session_token = strchr(f[6], 'o') != NULL,
        };
        struct sigv4_request req = {f[7], f[8], headers, n, body, body_len};
        struct sigv4_state st;
        struct sigv4_result res;
        int rc = sigv4_begin(&st, &params, &req);
        rc = rc ? rc : sigv4_canonical_request(&st);
        rc = rc ? rc : sigv4_string_to_sign(&st);
        rc = rc ? rc : sigv4_signing_key(&st);
        rc = rc ? rc : sigv4_signature(&st);
        rc = rc ? rc : sigv4_authorization(&st, &res);
        if (rc == 0) {
            put_netstring("OK", 2);
            put_netstring(res.authorization, strlen(res.authorization));
            put_netstring(st.canonical_request.data, st.canonical_request.len);
        } else {
            const char *why = st.error ? st.error : "?";
            put_netstring("ERR", 3);
            put_netstring(why, strlen(why));
            put_netstring("", 0);
        }
        sigv4_end(&st);
    }
    goto done;
malformed:
    fprintf(stderr, "sigv4-sign: malformed input at byte %zu\n", r.pos);
    status = 2;
done:
    free(headers);
    free(r.data);
    fflush(stdout);
    return status;
}
