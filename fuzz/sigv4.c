/* fuzz/sigv4.c — libFuzzer harness for api/sigv4.
 *
 * Input layout (anything else is still fed in, just less usefully):
 *   byte 0      flags: 1 normalize, 2 sign_body, 4 omit token, 8 with a token,
 *               16 payload hash override, 32 odd region/service
 *   bytes 1-4   time offset (seconds, little endian) from 2015-08-30
 *   then lines: method, path and query, header lines `name:value` up to an
 *               empty line (a line starting with space or tab continues the
 *               previous value, as an obs-fold), then the body.
 * Properties checked beyond "no crash, no sanitizer report":
 *   - a signature with the key cache equals one without;
 *   - the one-call entry point and the stages agree;
 *   - a refusal always names its reason and leaves no Authorization.
 */
#include "api/sigv4.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *dup_range(const uint8_t *p, size_t n)
{
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

/* The next '\n'-terminated line of data[*pos..size), malloc'd. */
static char *next_line(const uint8_t *data, size_t size, size_t *pos)
{
    if (*pos > size)
        return NULL;
    const uint8_t *start = data + *pos;
    const uint8_t *nl = memchr(start, '\n', size - *pos);
    size_t n = nl ? (size_t)(nl - start) : size - *pos;
    *pos += n + 1;
    return dup_range(start, n);
}

static struct sigv4_key_cache cache; /* kept across inputs: hits and misses */

#define MAX_HEADERS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    uint8_t flags = data[0];
    uint32_t offset = (uint32_t)data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16 |
                      (uint32_t)data[4] << 24;
    size_t pos = 5;
    char *method = next_line(data, size, &pos);
    char *target = next_line(data, size, &pos);
    struct sigv4_header headers[MAX_HEADERS];
    size_t n = 0;
    for (;;) {
        char *line = next_line(data, size, &pos);
        if (!line)
            break;
        if (!*line) {
            free(line);
            break;
        }
        if ((line[0] == ' ' || line[0] == '\t') && n) {
            /* obs-fold: append "\n<line>" to the previous value */
            char *prev = (char *)headers[n - 1].value;
            size_t a = strlen(prev), b = strlen(line);
            char *joined = realloc(prev, a + b + 2);
            if (joined) {
                joined[a] = '\n';
                memcpy(joined + a + 1, line, b + 1);
                headers[n - 1].value = joined;
            }
            free(line);
            continue;
        }
        if (n == MAX_HEADERS) {
            free(line);
            break;
        }
        char *colon = strchr(line, ':');
        if (colon) {
            *colon = '\0';
            headers[n].name = line;
            headers[n].value = strdup(colon + 1);
        } else {
            headers[n].name = line;
            headers[n].value = strdup("");
        }
        n++;
    }
    const uint8_t *body = pos < size ? data + pos : NULL;
    size_t body_len = pos < size ? size - pos : 0;

    struct sigv4_params p = {
        .access_key_id = "AKIDFUZZ",
        .secret_access_key = "fuzz-secret",
        .session_token = (flags & 8) ? "FUZZ/TOKEN+==" : NULL,
        .region = (flags & 32) ? "r\xc3\xa9gion" : "us-east-1",
        .service = (flags & 32) ? (method ? method : "x") : "service",
        .time = (time_t)1440938160 + (time_t)offset,
        .normalize_path = flags & 1,
        .sign_body = flags & 2,
        .omit_session_token = flags & 4,
        .payload_hash = (flags & 16) ? (target ? target : "") : NULL,
    };

    struct sigv4_result uncached, cached, staged;
    int rc1 = sigv4_sign_request(&p, method, target, headers, n, body, body_len, &uncached);
    p.cache = &cache;
    int rc2 = sigv4_sign_request(&p, method, target, headers, n, body, body_len, &cached);
    if (rc1 != rc2 || (rc1 == 0 && strcmp(uncached.authorization, cached.authorization) != 0))
        __builtin_trap(); /* the cache changed the answer */
    if (rc1 != 0 && (!uncached.error || uncached.authorization[0]))
        __builtin_trap(); /* a refusal without a reason, or with a signature */

    struct sigv4_request req = {method, target, headers, n, body, body_len};
    struct sigv4_state st;
    int rc3 = sigv4_begin(&st, &p, &req);
    rc3 = rc3 ? rc3 : sigv4_canonical_request(&st);
    rc3 = rc3 ? rc3 : sigv4_string_to_sign(&st);
    rc3 = rc3 ? rc3 : sigv4_signing_key(&st);
    rc3 = rc3 ? rc3 : sigv4_signature(&st);
    rc3 = rc3 ? rc3 : sigv4_authorization(&st, &staged);
    if ((rc3 == 0) != (rc1 == 0) ||
        (rc3 == 0 && strcmp(staged.authorization, uncached.authorization) != 0))
        __builtin_trap(); /* the stages and the one call disagree */
    sigv4_end(&st);

    /* The building blocks on raw pieces of the input. */
    if (target) {
        struct sigv4_buf b;
        const char *why;
        sigv4_buf_init(&b);
        sigv4_canonical_query(&b, target, strlen(target), &why);
        sigv4_buf_free(&b);
        sigv4_canonical_uri(&b, target, strlen(target), !(flags & 1), &why);
        sigv4_buf_free(&b);
    }

    for (size_t i = 0; i < n; i++) {
        free((char *)headers[i].name);
        free((char *)headers[i].value);
    }
    free(method);
    free(target);
    if (flags == 0xff)
        sigv4_key_cache_wipe(&cache); /* now and then, from empty again */
    return 0;
}
