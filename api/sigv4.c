/* api/sigv4.c — the SigV4 pipeline: begin → canonical request → string to
 * sign → signing key → signature → Authorization. The contract is in
 * api/sigv4.h; the canonicalization rules live in sigv4_canonical.c. */
#include "api/sigv4.h"

#include <pthread.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#define ALGORITHM         "AWS4-HMAC-SHA256"
#define MAX_ACCESS_KEY_ID 127
#define MAX_SCOPE_PART    63 /* region, service */

/* ---- OpenSSL: SHA-256 and HMAC-SHA256 ----
 * Fetching an algorithm costs about as much as hashing a request, so the
 * two are fetched once per process and kept (they hold no secret). */

static EVP_MD *sha256_md;
static EVP_MAC_CTX *hmac_template; /* HMAC with SHA-256 chosen, no key yet */
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;

static void crypto_init(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (!mac)
        return;
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac); /* the context keeps its own reference */
    if (!ctx)
        return;
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (EVP_MAC_CTX_set_params(ctx, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        return;
    }
    hmac_template = ctx;
}

static bool crypto_ready(void)
{
    return pthread_once(&crypto_once, crypto_init) == 0 && sha256_md && hmac_template;
}

static int sha256(const void *data, size_t len, unsigned char out[32])
{
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, sha256_md, NULL) == 1 && n == 32 ? 0 : -1;
}

/* A MAC context for one signing; it is re-keyed for each step of the chain.
 * Freeing it wipes the key OpenSSL copied. */
static EVP_MAC_CTX *hmac_new(void)
{
    return EVP_MAC_CTX_dup(hmac_template);
}

/* key NULL: reuse the key the context already holds (no re-keying). */
static int hmac(EVP_MAC_CTX *ctx, const unsigned char *key, size_t key_len, const void *msg,
                size_t msg_len, unsigned char out[32])
{
    size_t n = 0;
    if (EVP_MAC_init(ctx, key, key_len, NULL) != 1 || EVP_MAC_update(ctx, msg, msg_len) != 1 ||
        EVP_MAC_final(ctx, out, &n, 32) != 1 || n != 32)
        return -1;
    return 0;
}

static void hex_lower(const unsigned char *in, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
}

/* ---- Signing key and its cache ---- */

static int derive_with(EVP_MAC_CTX *ctx, const char *secret, const char *date, const char *region,
                       const char *service, unsigned char key[32])
{
    size_t secret_len = strlen(secret);
    unsigned char k1[32], k2[32];
    unsigned char *aws4_secret = OPENSSL_malloc(secret_len + 4);
    if (!aws4_secret)
        return -1;
    memcpy(aws4_secret, "AWS4", 4);
    memcpy(aws4_secret + 4, secret, secret_len);
    int rc = hmac(ctx, aws4_secret, secret_len + 4, date, strlen(date), k1);          /* kDate */
    rc = rc ? rc : hmac(ctx, k1, 32, region, strlen(region), k2);                     /* kRegion */
    rc = rc ? rc : hmac(ctx, k2, 32, service, strlen(service), k1);                   /* kService */
    rc = rc ? rc : hmac(ctx, k1, 32, "aws4_request", sizeof "aws4_request" - 1, key); /* kSigning */
    OPENSSL_clear_free(aws4_secret, secret_len + 4);
    OPENSSL_cleanse(k1, sizeof k1);
    OPENSSL_cleanse(k2, sizeof k2);
    if (rc)
        OPENSSL_cleanse(key, 32);
    return rc;
}

int sigv4_derive_key(const char *secret, const char *date, const char *region, const char *service,
                     unsigned char key[32])
{
    if (!secret || !date || !region || !service || !crypto_ready())
        return -1;
    EVP_MAC_CTX *ctx = hmac_new();
    if (!ctx)
        return -1;
    int rc = derive_with(ctx, secret, date, region, service, key);
    EVP_MAC_CTX_free(ctx);
    return rc;
}

void sigv4_key_cache_wipe(struct sigv4_key_cache *cache)
{
    if (!cache)
        return;
    EVP_MAC_CTX_free(cache->mac); /* OpenSSL wipes the key material it holds */
    OPENSSL_cleanse(cache, sizeof *cache);
}

static bool fits(const char *s, size_t field_size)
{
    return strlen(s) < field_size;
}

static bool cache_matches(const struct sigv4_key_cache *c, const struct sigv4_params *p,
                          const char *date)
{
    return c->valid && strcmp(c->date, date) == 0 &&
           strcmp(c->access_key_id, p->access_key_id) == 0 && strcmp(c->region, p->region) == 0 &&
           strcmp(c->service, p->service) == 0;
}

/* ---- Argument checks ---- */

static bool is_token(const char *s) /* an HTTP token (RFC 9110) */
{
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              strchr("!#$%&'*+-.^_`|~", c)))
            return false;
    }
    return true;
}

/* Goes into the credential scope: no separators, spaces or controls. */
static bool is_scope_part(const char *s, size_t max)
{
    if (!s || !*s || strlen(s) > max)
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c >= 0x7f || c == '/' || c == ',' || c == ';' || c == '=')
            return false;
    }
    return true;
}

static bool is_printable_nonspace(const char *s, size_t max)
{
    if (!s || !*s || strlen(s) > max)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
            return true;
    return false;
}

static bool name_is(const char *name, const char *lower)
{
    for (; *name && *lower; name++, lower++) {
        char c = *name >= 'A' && *name <= 'Z' ? (char)(*name + 32) : *name;
        if (c != *lower)
            return false;
    }
    return !*name && !*lower;
}

static void put_digits(char *out, int value, int n)
{
    for (int i = n - 1; i >= 0; i--, value /= 10)
        out[i] = (char)('0' + value % 10);
}

/* YYYYMMDDTHHMMSSZ; strftime costs more than a tenth of a signature. */
static void format_amz_date(const struct tm *tm, char out[17])
{
    put_digits(out, tm->tm_year + 1900, 4);
    put_digits(out + 4, tm->tm_mon + 1, 2);
    put_digits(out + 6, tm->tm_mday, 2);
    out[8] = 'T';
    put_digits(out + 9, tm->tm_hour, 2);
    put_digits(out + 11, tm->tm_min, 2);
    put_digits(out + 13, tm->tm_sec, 2);
    out[15] = 'Z';
    out[16] = '\0';
}

/* Appends s to out at *pos when it fits in size (NUL kept); false when not. */
static bool put(char *out, size_t size, size_t *pos, const char *s, size_t len)
{
    if (len >= size - *pos)
        return false;
    memcpy(out + *pos, s, len);
    *pos += len;
    out[*pos] = '\0';
    return true;
}

static int fail(struct sigv4_state *st, const char *why)
{
    if (!st->error)
        st->error = why;
    return -1;
}

/* Each stage runs once, in order, and only while nothing has failed. */
static bool stage_ready(struct sigv4_state *st, int stage)
{
    if (st->error)
        return false;
    if (st->stage != stage - 1) {
        st->error = "sigv4 stages called out of order";
        return false;
    }
    return true;
}

/* ---- Stage 0: arguments, date, payload hash ---- */

int sigv4_begin(struct sigv4_state *st, const struct sigv4_params *p,
                const struct sigv4_request *req)
{
    memset(st, 0, offsetof(struct sigv4_state, canonical_request));
    st->keyed_mac = NULL;
    sigv4_buf_init(&st->canonical_request);
    sigv4_buf_init(&st->signed_headers);
    st->scope[0] = st->string_to_sign[0] = st->signature[0] = '\0';
    memset(st->signing_key, 0, sizeof st->signing_key);
    st->key_from_cache = false;
    st->stage = 0;
    st->params = p;

    if (!p || !req)
        return fail(st, "no parameters or no request");
    st->req = *req;
    if (!crypto_ready())
        return fail(st, "OpenSSL offers no SHA-256 or HMAC");
    if (!p->access_key_id || !p->secret_access_key || !*p->secret_access_key)
        return fail(st, "no credentials");
    if (!is_scope_part(p->access_key_id, MAX_ACCESS_KEY_ID))
        return fail(st, "the access key id is empty, too long or holds a separator");
    if (!is_scope_part(p->region, MAX_SCOPE_PART))
        return fail(st, "the region is empty, too long or holds a separator");
    if (!is_scope_part(p->service, MAX_SCOPE_PART))
        return fail(st, "the service name is empty, too long or holds a separator");
    if (!is_token(req->method))
        return fail(st, "the method is not an HTTP token");
    if (!req->path_and_query)
        return fail(st, "no path");
    if (req->n_headers && !req->headers)
        return fail(st, "no headers");
    if (req->body_len && !req->body)
        return fail(st, "a body length without a body");

    bool host = false;
    for (size_t i = 0; i < req->n_headers; i++) {
        const char *name = req->headers[i].name;
        if (!name || !req->headers[i].value)
            return fail(st, "a header has no name or no value");
        bool signers;
        switch (strlen(name)) { /* by length first: this runs for every header */
        case 4:
            host = host || (name_is(name, "host") && req->headers[i].value[0]);
            signers = false;
            break;
        case 10:
            signers = name_is(name, "x-amz-date");
            break;
        case 13:
            signers = name_is(name, "authorization");
            break;
        case 20:
            signers =
                name_is(name, "x-amz-security-token") || name_is(name, "x-amz-content-sha256");
            break;
        default:
            signers = false;
        }
        if (signers)
            return fail(st, "the headers hold one the signer adds (Authorization, X-Amz-Date, "
                            "X-Amz-Security-Token, x-amz-content-sha256)");
    }
    if (!host)
        return fail(st, "no Host header");

    st->with_token = p->session_token && *p->session_token;
    if (st->with_token && has_control(p->session_token))
        return fail(st, "the session token holds a control character");

    struct tm tm;
    if (!gmtime_r(&p->time, &tm) || tm.tm_year < 70 || tm.tm_year > 9999 - 1900)
        return fail(st, "the time is outside the years 1970-9999");
    format_amz_date(&tm, st->amz_date);
    memcpy(st->date, st->amz_date, 8);
    st->date[8] = '\0';

    if (p->payload_hash) {
        if (!is_printable_nonspace(p->payload_hash, 64))
            return fail(st, "the payload hash is empty, too long or holds spaces");
        strcpy(st->payload_hash, p->payload_hash);
    } else {
        unsigned char digest[32];
        if (sha256(req->body_len ? req->body : "", req->body_len, digest) < 0)
            return fail(st, "SHA-256 failed");
        hex_lower(digest, 32, st->payload_hash);
    }
    st->stage = 1;
    return 0;
}

/* ---- Stage 1: the canonical request ---- */

int sigv4_canonical_request(struct sigv4_state *st)
{
    if (!stage_ready(st, 2))
        return -1;
    const struct sigv4_params *p = st->params;
    const struct sigv4_request *r = &st->req;
    const char *why = NULL;

    /* The caller's headers plus the ones the signer signs. */
    enum { ADDED_MAX = 3, STACK_HEADERS = 32 };
    struct sigv4_header stack_headers[STACK_HEADERS];
    struct sigv4_header *all = stack_headers;
    size_t n_all = r->n_headers + ADDED_MAX;
    if (n_all > STACK_HEADERS) {
        if (r->n_headers > SIGV4_BUF_LIMIT)
            return fail(st, "too many headers");
        all = malloc(n_all * sizeof *all);
        if (!all)
            return fail(st, "out of memory");
    }
    size_t n = 0;
    for (size_t i = 0; i < r->n_headers; i++)
        all[n++] = r->headers[i];
    all[n++] = (struct sigv4_header){"x-amz-date", st->amz_date};
    if (st->with_token && !p->omit_session_token)
        all[n++] = (struct sigv4_header){"x-amz-security-token", p->session_token};
    if (p->sign_body)
        all[n++] = (struct sigv4_header){"x-amz-content-sha256", st->payload_hash};

    const char *path = r->path_and_query;
    const char *qmark = strchr(path, '?');
    size_t path_len = qmark ? (size_t)(qmark - path) : strlen(path);

    /* The canonical request, one element a line (SigV4 "Task 1"):
     *
     *   HTTPMethod                 POST
     *   CanonicalURI               /            normalized, each byte encoded once
     *   CanonicalQueryString       a=1&b=2      sorted; an empty line when there is none
     *   CanonicalHeaders           host:x\n     every signed header "name:value\n",
     *                              x-amz-...\n  so a blank line ends the block
     *   SignedHeaders              host;x-amz-date
     *   HashedPayload              hex SHA-256 of the body (no final newline)
     */
    struct sigv4_buf *cr = &st->canonical_request;
    int rc = 0;
    sigv4_buf_append(cr, r->method, strlen(r->method));
    sigv4_buf_append(cr, "\n", 1);
    rc = sigv4_canonical_uri(cr, path, path_len, p->normalize_path, &why);
    sigv4_buf_append(cr, "\n", 1);
    if (rc == 0 && qmark)
        rc = sigv4_canonical_query(cr, qmark + 1, strlen(qmark + 1), &why);
    sigv4_buf_append(cr, "\n", 1);
    if (rc == 0)
        rc = sigv4_canonical_headers(cr, &st->signed_headers, all, n, &why);
    sigv4_buf_append(cr, "\n", 1);
    sigv4_buf_append(cr, st->signed_headers.data, st->signed_headers.len);
    sigv4_buf_append(cr, "\n", 1);
    sigv4_buf_append(cr, st->payload_hash, strlen(st->payload_hash));

    if (all != stack_headers)
        free(all);
    if (rc < 0)
        return fail(st, why);
    if (cr->failed || st->signed_headers.failed)
        return fail(st, "the request is too large to sign");
    st->stage = 2;
    return 0;
}

/* ---- Stage 2: the string to sign ---- */

int sigv4_string_to_sign(struct sigv4_state *st)
{
    if (!stage_ready(st, 3))
        return -1;
    unsigned char digest[32];
    char digest_hex[65];
    if (sha256(st->canonical_request.data, st->canonical_request.len, digest) < 0)
        return fail(st, "SHA-256 failed");
    hex_lower(digest, 32, digest_hex);
    /* Lengths are bounded by the checks in sigv4_begin, so these fit. */
    const char *region = st->params->region, *service = st->params->service;
    size_t n = 0;
    put(st->scope, sizeof st->scope, &n, st->date, 8);
    put(st->scope, sizeof st->scope, &n, "/", 1);
    put(st->scope, sizeof st->scope, &n, region, strlen(region));
    put(st->scope, sizeof st->scope, &n, "/", 1);
    put(st->scope, sizeof st->scope, &n, service, strlen(service));
    put(st->scope, sizeof st->scope, &n, "/aws4_request", 13);
    /* Algorithm, request time, credential scope, hash of the canonical request. */
    char *sts = st->string_to_sign;
    size_t m = 0;
    put(sts, sizeof st->string_to_sign, &m, ALGORITHM "\n", sizeof ALGORITHM);
    put(sts, sizeof st->string_to_sign, &m, st->amz_date, 16);
    put(sts, sizeof st->string_to_sign, &m, "\n", 1);
    put(sts, sizeof st->string_to_sign, &m, st->scope, n);
    put(sts, sizeof st->string_to_sign, &m, "\n", 1);
    put(sts, sizeof st->string_to_sign, &m, digest_hex, 64);
    st->stage = 3;
    return 0;
}

/* ---- Stage 3: the signing key, from the cache or derived ---- */

int sigv4_signing_key(struct sigv4_state *st)
{
    if (!stage_ready(st, 4))
        return -1;
    const struct sigv4_params *p = st->params;
    struct sigv4_key_cache *c = p->cache;
    if (c && cache_matches(c, p, st->date)) {
        memcpy(st->signing_key, c->key, sizeof st->signing_key);
        st->key_from_cache = true;
        st->keyed_mac = c->mac;
        st->stage = 4;
        return 0;
    }
    EVP_MAC_CTX *ctx = hmac_new();
    if (!ctx || derive_with(ctx, p->secret_access_key, st->date, p->region, p->service,
                            st->signing_key) < 0) {
        EVP_MAC_CTX_free(ctx);
        return fail(st, "HMAC-SHA256 failed");
    }
    st->key_from_cache = false;
    if (c) {
        sigv4_key_cache_wipe(c);
        if (fits(p->access_key_id, sizeof c->access_key_id) && fits(p->region, sizeof c->region) &&
            fits(p->service, sizeof c->service)) {
            strcpy(c->access_key_id, p->access_key_id);
            strcpy(c->date, st->date);
            strcpy(c->region, p->region);
            strcpy(c->service, p->service);
            memcpy(c->key, st->signing_key, sizeof c->key);
            c->valid = true;
            /* The derivation's context, keyed with the signing key, stays with the cache. */
            if (EVP_MAC_init(ctx, st->signing_key, sizeof st->signing_key, NULL) == 1) {
                c->mac = ctx;
                st->keyed_mac = ctx;
                ctx = NULL;
            }
        }
    }
    EVP_MAC_CTX_free(ctx);
    st->stage = 4;
    return 0;
}

/* ---- Stage 4: the signature ---- */

int sigv4_signature(struct sigv4_state *st)
{
    if (!stage_ready(st, 5))
        return -1;
    unsigned char mac[32];
    size_t sts_len = strlen(st->string_to_sign);
    int rc;
    if (st->keyed_mac) {
        rc = hmac(st->keyed_mac, NULL, 0, st->string_to_sign, sts_len, mac);
    } else {
        EVP_MAC_CTX *ctx = hmac_new();
        rc = ctx ? hmac(ctx, st->signing_key, sizeof st->signing_key, st->string_to_sign, sts_len,
                        mac)
                 : -1;
        EVP_MAC_CTX_free(ctx);
    }
    if (rc < 0)
        return fail(st, "HMAC-SHA256 failed");
    hex_lower(mac, 32, st->signature);
    st->stage = 5;
    return 0;
}

/* ---- Stage 5: what the caller adds to the request ---- */

int sigv4_authorization(struct sigv4_state *st, struct sigv4_result *out)
{
    if (!out)
        return fail(st, "no result");
    memset(out, 0, sizeof *out);
    if (!stage_ready(st, 6)) {
        out->error = st->error;
        return -1;
    }
    /* AWS4-HMAC-SHA256 Credential=<key id>/<scope>, SignedHeaders=<names>, Signature=<hex> */
    char *a = out->authorization;
    size_t size = sizeof out->authorization, n = 0;
    const char *akid = st->params->access_key_id;
    bool ok = put(a, size, &n, ALGORITHM " Credential=", sizeof ALGORITHM " Credential=" - 1) &&
              put(a, size, &n, akid, strlen(akid)) && put(a, size, &n, "/", 1) &&
              put(a, size, &n, st->scope, strlen(st->scope)) &&
              put(a, size, &n, ", SignedHeaders=", 16) &&
              put(a, size, &n, st->signed_headers.data, st->signed_headers.len) &&
              put(a, size, &n, ", Signature=", 12) && put(a, size, &n, st->signature, 64);
    if (!ok) {
        memset(out->authorization, 0, sizeof out->authorization);
        out->error = "the Authorization header would be too long (too many signed headers)";
        return fail(st, out->error);
    }
    memcpy(out->amz_date, st->amz_date, sizeof out->amz_date);
    if (st->params->sign_body)
        memcpy(out->content_sha256, st->payload_hash, sizeof out->content_sha256);
    out->add_security_token = st->with_token;
    st->stage = 6;
    return 0;
}

void sigv4_end(struct sigv4_state *st)
{
    if (!st)
        return;
    sigv4_buf_free(&st->canonical_request);
    sigv4_buf_free(&st->signed_headers);
    OPENSSL_cleanse(st->signing_key, sizeof st->signing_key);
    OPENSSL_cleanse(st->string_to_sign, sizeof st->string_to_sign);
    OPENSSL_cleanse(st->signature, sizeof st->signature);
}

int sigv4_sign_request(const struct sigv4_params *params, const char *method,
                       const char *path_and_query, const struct sigv4_header *headers,
                       size_t n_headers, const void *body, size_t body_len,
                       struct sigv4_result *out)
{
    if (!out)
        return -1;
    struct sigv4_request req = {method, path_and_query, headers, n_headers, body, body_len};
    struct sigv4_state st;
    int rc = sigv4_begin(&st, params, &req);
    rc = rc ? rc : sigv4_canonical_request(&st);
    rc = rc ? rc : sigv4_string_to_sign(&st);
    rc = rc ? rc : sigv4_signing_key(&st);
    rc = rc ? rc : sigv4_signature(&st);
    rc = rc ? rc : sigv4_authorization(&st, out);
    if (rc) {
        memset(out, 0, sizeof *out);
        out->error = st.error ? st.error : "signing failed";
    }
    sigv4_end(&st);
    return rc ? -1 : 0;
}
