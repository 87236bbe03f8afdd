/* api/jwt.h — JSON Web Tokens as identity pools receive them: decoded, and
 * RS256 (RS384, RS512) signatures checked against a JSON Web Key Set.
 *
 * Decoding (RFC 7519, JWS compact form, RFC 7515 §7.1): exactly three
 * base64url parts, HEADER.PAYLOAD.SIGNATURE; the header and the payload are
 * JSON objects (json-c, nesting at most 32 deep). Base64url without padding
 * as the RFC says, padding tolerated; any other character is an error. Five
 * parts is an encrypted token (JWE), which is named as such. A token over
 * 64 KiB is refused.
 *
 * Verification (RFC 7518 §3.3): the key is the set's RSA key whose `kid` is
 * the header's (the only RSA key when the header names none); `alg` must be
 * RS256, RS384 or RS512 (OpenSSL EVP over SHA-2, PKCS#1 v1.5). "none" and
 * the HMAC algorithms are never accepted: a key set holds public keys only.
 *
 * Secrets: a token is a bearer credential. api_jwt_clear() wipes what
 * decoding copied (OPENSSL_cleanse); nothing here logs or prints.
 * Ownership: a decoded token owns its JSON and buffers until api_jwt_clear();
 * strings handed out point into it.
 */
#ifndef API_JWT_H
#define API_JWT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "api/error.h"

#define API_JWT_MAX_LEN (64 * 1024)

struct api_jwt {
    json_object *header; /* owned */
    json_object *claims; /* owned: the payload */
    char *signed_part;   /* "HEADER.PAYLOAD" as received */
    size_t signed_len;
    unsigned char *signature;
    size_t signature_len;
};

/* Decodes `token` (NUL-terminated; surrounding blanks are not allowed).
 * Returns 0 with *out filled, or -1 with err (API_ERR_INVALID_INPUT, saying
 * which part is wrong) and *out cleared. */
int api_jwt_decode(const char *token, struct api_jwt *out, struct api_error *err);

/* Wipes and frees; *j is then empty (and may be cleared again). */
void api_jwt_clear(struct api_jwt *j);

/* A string member of the header or the claims, or NULL (absent or not a string). */
const char *api_jwt_header_string(const struct api_jwt *j, const char *name);
const char *api_jwt_claim_string(const struct api_jwt *j, const char *name);

/* A NumericDate claim (exp, iat, nbf, auth_time) in seconds: true with *out,
 * false when absent or not a number. */
bool api_jwt_claim_time(const struct api_jwt *j, const char *name, int64_t *out);

/* The audiences: `aud` as a string or a list of strings. Returns how many
 * there are (0: absent), filling up to `max` of them in out (borrowed). */
size_t api_jwt_audiences(const struct api_jwt *j, const char **out, size_t max);

/* A claim as one string the way role-mapping rules compare it: a string as
 * it is, a list joined with ',', anything else as JSON text. Writes into
 * buf (NUL-terminated, cut at size) and returns buf, or NULL when absent. */
const char *api_jwt_claim_text(const struct api_jwt *j, const char *name, char *buf, size_t size);

/* ---- key sets ---- */

struct api_jwks;

/* Parses a JWKS document ({"keys": [...]}). Keys that are not RSA, or lack
 * n or e, are skipped (a set may hold EC keys); a document that is not JSON,
 * has no "keys" list or no usable RSA key is an error. Returns the set, or
 * NULL with err (API_ERR_HTTP: the text came from a server). */
struct api_jwks *api_jwks_parse(const char *text, size_t len, struct api_error *err);
void api_jwks_free(struct api_jwks *ks);
size_t api_jwks_count(const struct api_jwks *ks);

enum api_jwt_check {
    API_JWT_VALID,
    API_JWT_BAD_SIGNATURE, /* a key was found and the signature does not verify */
    API_JWT_NO_KEY,        /* no key of the set has the token's kid */
    API_JWT_UNSUPPORTED,   /* an alg other than RS256/RS384/RS512 (none, HS256, ES256...) */
};

/* Checks the signature of `j` against `ks`. Writes one line saying what was
 * found in why (always NUL-terminated when size > 0). */
enum api_jwt_check api_jwt_verify(const struct api_jwt *j, const struct api_jwks *ks, char *why,
                                  size_t size);

#endif
