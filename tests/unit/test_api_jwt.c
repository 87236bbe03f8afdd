/* tests/unit/test_api_jwt.c — JWT decoding and RS256 checks (api/jwt.h), with
 * tokens signed here by a key made for the run (OpenSSL), so every verdict
 * comes from a real signature. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "api/jwt.h"
#include "check.h"

static EVP_PKEY *key, *other_key;

static void b64url(const unsigned char *in, size_t n, char *out)
{
    int len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);
    for (int i = 0; i < len; i++) {
        if (out[i] == '+')
            out[i] = '-';
        else if (out[i] == '/')
            out[i] = '_';
    }
    while (len > 0 && out[len - 1] == '=')
        len--;
    out[len] = '\0';
}

static void bn_b64url(EVP_PKEY *k, const char *name, char *out)
{
    BIGNUM *bn = NULL;
    EVP_PKEY_get_bn_param(k, name, &bn);
    unsigned char buf[600];
    int n = BN_bn2bin(bn, buf);
    b64url(buf, (size_t)n, out);
    BN_free(bn);
}

/* {"keys": [RSA key `kid` of k]} */
static char *jwks_of(EVP_PKEY *k, const char *kid)
{
    char n[1000], e[32];
    bn_b64url(k, OSSL_PKEY_PARAM_RSA_N, n);
    bn_b64url(k, OSSL_PKEY_PARAM_RSA_E, e);
    char *out = malloc(1400);
    snprintf(out, 1400,
             "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"ec\",\"crv\":\"P-256\"},"
             "{\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\",\"kid\":\"%s\",\"n\":\"%s\","
             "\"e\":\"%s\"}]}",
             kid, n, e);
    return out;
}

/* HEADER.PAYLOAD.SIGNATURE signed by k with SHA-256 (whatever the header says). */
static char *sign(EVP_PKEY *k, const char *header, const char *payload)
{
    char *out = malloc(8192);
    char h[1024], p[4096];
    b64url((const unsigned char *)header, strlen(header), h);
    b64url((const unsigned char *)payload, strlen(payload), p);
    int n = snprintf(out, 8192, "%s.%s", h, p);
    unsigned char sig[512];
    size_t siglen = sizeof sig;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k);
    EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)out, (size_t)n);
    EVP_MD_CTX_free(ctx);
    out[n] = '.';
    b64url(sig, siglen, out + n + 1);
    return out;
}

static const char *id_header = "{\"kid\":\"k1\",\"alg\":\"RS256\"}";
static const char *id_claims =
    "{\"sub\":\"u-1\",\"aud\":\"client1\",\"token_use\":\"id\",\"exp\":2000000000,"
    "\"iss\":\"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc\","
    "\"cognito:groups\":[\"admins\",\"ops\"],\"custom:n\":7}";

static void test_decode_claims(void)
{
    char *t = sign(key, id_header, id_claims);
    struct api_jwt j;
    struct api_error err;
    CHECK_INT_EQ(api_jwt_decode(t, &j, &err), 0);
    CHECK_STR_EQ(api_jwt_header_string(&j, "kid"), "k1");
    CHECK_STR_EQ(api_jwt_claim_string(&j, "token_use"), "id");
    int64_t exp = 0;
    CHECK(api_jwt_claim_time(&j, "exp", &exp));
    CHECK_INT_EQ(exp, 2000000000);
    CHECK(!api_jwt_claim_time(&j, "nbf", &exp));
    const char *aud[2];
    CHECK_INT_EQ(api_jwt_audiences(&j, aud, 2), 1);
    CHECK_STR_EQ(aud[0], "client1");
    char buf[64];
    CHECK_STR_EQ(api_jwt_claim_text(&j, "cognito:groups", buf, sizeof buf), "admins,ops");
    CHECK_STR_EQ(api_jwt_claim_text(&j, "custom:n", buf, sizeof buf), "7");
    CHECK(api_jwt_claim_text(&j, "missing", buf, sizeof buf) == NULL);
    api_jwt_clear(&j);
    api_jwt_clear(&j); /* twice is harmless */
    free(t);
}

static void test_verify(void)
{
    char *set = jwks_of(key, "k1");
    struct api_error err;
    struct api_jwks *ks = api_jwks_parse(set, strlen(set), &err);
    CHECK(ks != NULL);
    CHECK_INT_EQ(api_jwks_count(ks), 1); /* the EC key is skipped */
    char why[300];
    struct api_jwt j;

    char *good = sign(key, id_header, id_claims);
    CHECK_INT_EQ(api_jwt_decode(good, &j, &err), 0);
    CHECK_INT_EQ(api_jwt_verify(&j, ks, why, sizeof why), API_JWT_VALID);
    CHECK(strstr(why, "k1") != NULL);
    api_jwt_clear(&j);

    /* Another key under the same kid: a forged signature. */
    char *forged = sign(other_key, id_header, id_claims);
    CHECK_INT_EQ(api_jwt_decode(forged, &j, &err), 0);
    CHECK_INT_EQ(api_jwt_verify(&j, ks, why, sizeof why), API_JWT_BAD_SIGNATURE);
    api_jwt_clear(&j);

    /* The payload changed after signing. */
    char *tampered = strdup(good);
    char *dot = strchr(tampered, '.');
    dot[3] = dot[3] == 'A' ? 'B' : 'A';
    if (api_jwt_decode(tampered, &j, &err) == 0) {
        CHECK_INT_EQ(api_jwt_verify(&j, ks, why, sizeof why), API_JWT_BAD_SIGNATURE);
        api_jwt_clear(&j);
    }

    char *other_kid = sign(key, "{\"kid\":\"k2\",\"alg\":\"RS256\"}", id_claims);
    CHECK_INT_EQ(api_jwt_decode(other_kid, &j, &err), 0);
    CHECK_INT_EQ(api_jwt_verify(&j, ks, why, sizeof why), API_JWT_NO_KEY);
    CHECK(strstr(why, "k2") != NULL);
    api_jwt_clear(&j);

    static const char *const refused[] = {"{\"kid\":\"k1\",\"alg\":\"none\"}",
                                          "{\"kid\":\"k1\",\"alg\":\"HS256\"}", "{\"kid\":\"k1\"}"};
    for (size_t i = 0; i < 3; i++) {
        char *t = sign(key, refused[i], id_claims);
        CHECK_INT_EQ(api_jwt_decode(t, &j, &err), 0);
        CHECK_INT_EQ(api_jwt_verify(&j, ks, why, sizeof why), API_JWT_UNSUPPORTED);
        api_jwt_clear(&j);
        free(t);
    }
    free(good);
    free(forged);
    free(tampered);
    free(other_kid);
    api_jwks_free(ks);
    free(set);
}

static void test_decode_errors(void)
{
    struct api_jwt j;
    struct api_error err;
    CHECK_INT_EQ(api_jwt_decode("", &j, &err), -1);
    CHECK_INT_EQ(api_jwt_decode("abc", &j, &err), -1);
    CHECK(strstr(err.message, "not a JWT") != NULL);
    CHECK_INT_EQ(api_jwt_decode("a.b.c.d.e", &j, &err), -1);
    CHECK(strstr(err.message, "JWE") != NULL);
    CHECK_INT_EQ(api_jwt_decode("e30.e30.a*b", &j, &err), -1); /* {} {} and a bad signature */
    CHECK_INT_EQ(api_jwt_decode("e30.WzFd.", &j, &err), -1);   /* payload [1] */
    CHECK(strstr(err.message, "payload is not a JSON object") != NULL);
    CHECK_INT_EQ(api_jwt_decode("e3.e30.", &j, &err), -1);
    CHECK(strstr(err.message, "header") != NULL);
    CHECK_INT_EQ(api_jwt_decode("e30.e30.", &j, &err), 0); /* unsigned shape decodes... */
    struct api_jwks *none = NULL;
    char why[200];
    CHECK_INT_EQ(api_jwt_verify(&j, none, why, sizeof why),
                 API_JWT_UNSUPPORTED); /* ...never verifies */
    api_jwt_clear(&j);
    CHECK(j.header == NULL && j.claims == NULL);
}

static void test_jwks_errors(void)
{
    struct api_error err;
    static const char *const bad[] = {"", "[]", "{\"keys\":{}}", "{\"keys\":[]}",
                                      "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"!!\",\"e\":\"AQAB\"}]}"};
    for (size_t i = 0; i < 5; i++) {
        CHECK(api_jwks_parse(bad[i], strlen(bad[i]), &err) == NULL);
        CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    }
}

int main(void)
{
    key = EVP_RSA_gen(2048);
    other_key = EVP_RSA_gen(2048);
    RUN(test_decode_claims);
    RUN(test_verify);
    RUN(test_decode_errors);
    RUN(test_jwks_errors);
    EVP_PKEY_free(key);
    EVP_PKEY_free(other_key);
    return check_finish();
}
