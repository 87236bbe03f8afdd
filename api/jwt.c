/* api/jwt.c — JWT decoding and RSA signature checks (api/jwt.h). */
#include "api/jwt.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#define JWT_JSON_DEPTH 32

struct jwk {
    char *kid; /* NULL when the key has none */
    EVP_PKEY *key;
};

struct api_jwks {
    struct jwk *v;
    size_t n;
};

/* Base64url to bytes through OpenSSL's decoder: the alphabet is mapped to
 * the standard one and padding added, since EVP_DecodeBlock wants both.
 * Returns a malloc'd buffer (one spare NUL byte after *len), or NULL. */
static unsigned char *b64url_decode(const char *s, size_t n, size_t *len)
{
    while (n > 0 && s[n - 1] == '=')
        n--;
    if (n % 4 == 1)
        return NULL;
    size_t padded = (n + 3) / 4 * 4;
    char *std = malloc(padded + 1);
    unsigned char *out = malloc(padded / 4 * 3 + 1);
    if (!std || !out) {
        free(std);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
        else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            OPENSSL_cleanse(std, i);
            free(std);
            free(out);
            return NULL;
        }
        std[i] = c;
    }
    for (size_t i = n; i < padded; i++)
        std[i] = '=';
    std[padded] = '\0';
    int got = padded ? EVP_DecodeBlock(out, (const unsigned char *)std, (int)padded) : 0;
    OPENSSL_cleanse(std, padded);
    free(std);
    if (got < 0) {
        free(out);
        return NULL;
    }
    *len = (size_t)got - (padded - n);
    out[*len] = '\0';
    return out;
}

static json_object *parse_object(const unsigned char *text, size_t len)
{
    json_tokener *tok = json_tokener_new_ex(JWT_JSON_DEPTH);
    if (!tok)
        return NULL;
    json_object *o = json_tokener_parse_ex(tok, (const char *)text, (int)len);
    bool complete = json_tokener_get_error(tok) == json_tokener_success &&
                    json_tokener_get_parse_end(tok) == len;
    json_tokener_free(tok);
    if (!o || !complete || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

void api_jwt_clear(struct api_jwt *j)
{
    json_object_put(j->header);
    json_object_put(j->claims);
    if (j->signed_part) {
        OPENSSL_cleanse(j->signed_part, j->signed_len);
        free(j->signed_part);
    }
    free(j->signature);
    memset(j, 0, sizeof *j);
}

static int decoded_json(const char *part, size_t n, const char *what, json_object **out,
                        struct api_error *err)
{
    size_t len;
    unsigned char *raw = b64url_decode(part, n, &len);
    if (!raw)
        return api_error_set(err, API_ERR_INVALID_INPUT, "the token's %s is not base64url", what);
    if (memchr(raw, '\0', len)) {
        OPENSSL_cleanse(raw, len);
        free(raw);
        return api_error_set(err, API_ERR_INVALID_INPUT, "the token's %s holds a NUL byte", what);
    }
    *out = parse_object(raw, len);
    OPENSSL_cleanse(raw, len);
    free(raw);
    if (!*out)
        return api_error_set(err, API_ERR_INVALID_INPUT, "the token's %s is not a JSON object",
                             what);
    return 0;
}

int api_jwt_decode(const char *token, struct api_jwt *out, struct api_error *err)
{
    memset(out, 0, sizeof *out);
    size_t len = token ? strlen(token) : 0;
    if (len == 0)
        return api_error_set(err, API_ERR_INVALID_INPUT, "the token is empty");
    if (len > API_JWT_MAX_LEN)
        return api_error_set(err, API_ERR_INVALID_INPUT, "the token is over %d KiB",
                             API_JWT_MAX_LEN / 1024);
    size_t dots = 0;
    const char *dot[4] = {0};
    for (const char *p = token; *p; p++)
        if (*p == '.') {
            if (dots < 4)
                dot[dots] = p;
            dots++;
        }
    if (dots == 4)
        return api_error_set(err, API_ERR_INVALID_INPUT,
                             "the token has five parts: an encrypted token (JWE), not a signed "
                             "JWT; identity pools take the ID token");
    if (dots != 2)
        return api_error_set(err, API_ERR_INVALID_INPUT,
                             "not a JWT: %zu part%s separated by '.', a JWT has three", dots + 1,
                             dots ? "s" : "");
    if (decoded_json(token, (size_t)(dot[0] - token), "header", &out->header, err) != 0)
        return -1;
    if (decoded_json(dot[0] + 1, (size_t)(dot[1] - dot[0] - 1), "payload", &out->claims, err) !=
        0) {
        api_jwt_clear(out);
        return -1;
    }
    const char *sig = dot[1] + 1;
    out->signature = b64url_decode(sig, strlen(sig), &out->signature_len);
    out->signed_len = (size_t)(dot[1] - token);
    out->signed_part = malloc(out->signed_len + 1);
    if (!out->signature || !out->signed_part) {
        api_jwt_clear(out);
        return api_error_set(err, API_ERR_INVALID_INPUT, "the token's signature is not base64url");
    }
    memcpy(out->signed_part, token, out->signed_len);
    out->signed_part[out->signed_len] = '\0';
    return 0;
}

static const char *member_string(json_object *o, const char *name)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

const char *api_jwt_header_string(const struct api_jwt *j, const char *name)
{
    return member_string(j->header, name);
}

const char *api_jwt_claim_string(const struct api_jwt *j, const char *name)
{
    return member_string(j->claims, name);
}

bool api_jwt_claim_time(const struct api_jwt *j, const char *name, int64_t *out)
{
    json_object *v;
    if (!j->claims || !json_object_object_get_ex(j->claims, name, &v))
        return false;
    if (json_object_is_type(v, json_type_int)) {
        *out = json_object_get_int64(v);
        return true;
    }
    if (json_object_is_type(v, json_type_double)) {
        double d = json_object_get_double(v);
        if (!(d > -9.0e15 && d < 9.0e15))
            return false;
        *out = (int64_t)d;
        return true;
    }
    return false;
}

size_t api_jwt_audiences(const struct api_jwt *j, const char **out, size_t max)
{
    json_object *v;
    if (!j->claims || !json_object_object_get_ex(j->claims, "aud", &v))
        return 0;
    if (json_object_is_type(v, json_type_string)) {
        if (max > 0)
            out[0] = json_object_get_string(v);
        return 1;
    }
    if (!json_object_is_type(v, json_type_array))
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < json_object_array_length(v); i++) {
        json_object *e = json_object_array_get_idx(v, i);
        if (!json_object_is_type(e, json_type_string))
            continue;
        if (n < max)
            out[n] = json_object_get_string(e);
        n++;
    }
    return n;
}

const char *api_jwt_claim_text(const struct api_jwt *j, const char *name, char *buf, size_t size)
{
    json_object *v;
    if (size == 0 || !j->claims || !json_object_object_get_ex(j->claims, name, &v) || !v)
        return NULL;
    buf[0] = '\0';
    if (json_object_is_type(v, json_type_string)) {
        snprintf(buf, size, "%s", json_object_get_string(v));
    } else if (json_object_is_type(v, json_type_array)) {
        size_t used = 0;
        for (size_t i = 0; i < json_object_array_length(v) && used < size; i++) {
            json_object *e = json_object_array_get_idx(v, i);
            const char *s = json_object_is_type(e, json_type_string)
                                ? json_object_get_string(e)
                                : json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN);
            int w = snprintf(buf + used, size - used, "%s%s", i ? "," : "", s ? s : "");
            if (w < 0)
                break;
            used += (size_t)w;
        }
    } else {
        snprintf(buf, size, "%s", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
    }
    return buf;
}

/* ---- key sets ---- */

static BIGNUM *b64url_bignum(const char *s)
{
    size_t len;
    unsigned char *raw = s ? b64url_decode(s, strlen(s), &len) : NULL;
    if (!raw)
        return NULL;
    BIGNUM *bn = len ? BN_bin2bn(raw, (int)len, NULL) : NULL;
    free(raw);
    return bn;
}

static EVP_PKEY *rsa_public_key(const char *n64, const char *e64)
{
    BIGNUM *n = b64url_bignum(n64), *e = b64url_bignum(e64);
    EVP_PKEY *key = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;

    if (!n || !e || !bld || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
        !(params = OSSL_PARAM_BLD_to_param(bld)) ||
        !(ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) ||
        EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        key = NULL;
    if (!key)
        ERR_clear_error(); /* a bad key is skipped; its errors must not reach the next TLS call */
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return key;
}

void api_jwks_free(struct api_jwks *ks)
{
    if (!ks)
        return;
    for (size_t i = 0; i < ks->n; i++) {
        free(ks->v[i].kid);
        EVP_PKEY_free(ks->v[i].key);
    }
    free(ks->v);
    free(ks);
}

size_t api_jwks_count(const struct api_jwks *ks)
{
    return ks ? ks->n : 0;
}

struct api_jwks *api_jwks_parse(const char *text, size_t len, struct api_error *err)
{
    json_object *doc = parse_object((const unsigned char *)text, len), *keys;
    if (!doc) {
        api_error_set(err, API_ERR_HTTP, "the key set is not a JSON object");
        return NULL;
    }
    if (!json_object_object_get_ex(doc, "keys", &keys) ||
        !json_object_is_type(keys, json_type_array)) {
        json_object_put(doc);
        api_error_set(err, API_ERR_HTTP, "the key set has no \"keys\" list");
        return NULL;
    }
    struct api_jwks *ks = calloc(1, sizeof *ks);
    size_t cap = json_object_array_length(keys);
    if (ks && cap)
        ks->v = calloc(cap, sizeof *ks->v);
    if (!ks || (cap && !ks->v)) {
        json_object_put(doc);
        api_jwks_free(ks);
        api_error_set(err, API_ERR_HTTP, "out of memory reading the key set");
        return NULL;
    }
    for (size_t i = 0; i < cap; i++) {
        json_object *k = json_object_array_get_idx(keys, i);
        const char *kty = member_string(k, "kty");
        if (!kty || strcmp(kty, "RSA") != 0)
            continue;
        EVP_PKEY *key = rsa_public_key(member_string(k, "n"), member_string(k, "e"));
        if (!key)
            continue;
        const char *kid = member_string(k, "kid");
        ks->v[ks->n].kid = kid ? strdup(kid) : NULL;
        ks->v[ks->n].key = key;
        ks->n++;
    }
    json_object_put(doc);
    if (ks->n == 0) {
        api_jwks_free(ks);
        api_error_set(err, API_ERR_HTTP, "the key set holds no usable RSA key");
        return NULL;
    }
    return ks;
}

static const EVP_MD *rsa_digest(const char *alg)
{
    if (!alg)
        return NULL;
    if (strcmp(alg, "RS256") == 0)
        return EVP_sha256();
    if (strcmp(alg, "RS384") == 0)
        return EVP_sha384();
    if (strcmp(alg, "RS512") == 0)
        return EVP_sha512();
    return NULL;
}

enum api_jwt_check api_jwt_verify(const struct api_jwt *j, const struct api_jwks *ks, char *why,
                                  size_t size)
{
    const char *alg = api_jwt_header_string(j, "alg");
    const char *kid = api_jwt_header_string(j, "kid");
    const EVP_MD *md = rsa_digest(alg);

    if (!md) {
        snprintf(why, size, "algorithm \"%.40s\" is not accepted (RS256, RS384, RS512 only)",
                 alg ? alg : "(none)");
        return API_JWT_UNSUPPORTED;
    }
    const struct jwk *key = NULL;
    for (size_t i = 0; ks && i < ks->n && !key; i++)
        if (kid ? ks->v[i].kid && strcmp(ks->v[i].kid, kid) == 0 : ks->n == 1)
            key = &ks->v[i];
    if (!key) {
        snprintf(why, size, "no key of the issuer's key set has kid \"%.100s\"",
                 kid ? kid : "(none)");
        return API_JWT_NO_KEY;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, md, NULL, key->key) == 1 &&
             EVP_DigestVerify(ctx, j->signature, j->signature_len,
                              (const unsigned char *)j->signed_part, j->signed_len) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        ERR_clear_error();
        snprintf(why, size, "the signature does not verify with key \"%.100s\" (%s)",
                 key->kid ? key->kid : "(no kid)", alg);
        return API_JWT_BAD_SIGNATURE;
    }
    snprintf(why, size, "signature verified with key \"%.100s\" (%s)",
             key->kid ? key->kid : "(no kid)", alg);
    return API_JWT_VALID;
}
