/* fuzz/jwt.c — libFuzzer harness for the JWT decoder and the key-set parser
 * (api/jwt.c): any text gives a decoded token or a described error, any key
 * set a parsed set or a described error, and verifying any token against
 * any set gives one of the four verdicts with a reason; never a crash, a
 * hang or a leak.
 *
 * Input: "TOKEN\nJWKS" — the first line is the token, the rest the key set
 * document (without a newline the whole input is the token and there is no
 * set). Build and run: make fuzz (FUZZ_SECONDS=N). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *nl = strchr(text, '\n');
    const char *set_text = NULL;
    if (nl) {
        *nl = '\0';
        set_text = nl + 1;
    }
    struct api_error err;
    struct api_jwks *ks = NULL;
    if (set_text) {
        size_t set_len = size - (size_t)(set_text - text);
        ks = api_jwks_parse(set_text, set_len, &err);
        if (!ks && (err.kind == API_ERR_NONE || !err.message[0]))
            abort();
        if (ks && api_jwks_count(ks) == 0)
            abort();
    }
    struct api_jwt j;
    if (api_jwt_decode(text, &j, &err) != 0) {
        if (err.kind != API_ERR_INVALID_INPUT || !err.message[0] || j.header || j.claims)
            abort();
    } else {
        if (!j.header || !j.claims || !j.signed_part)
            abort();
        char why[300] = "";
        enum api_jwt_check c = api_jwt_verify(&j, ks, why, sizeof why);
        if (c > API_JWT_UNSUPPORTED || !why[0])
            abort();
        const char *aud[4];
        size_t n = api_jwt_audiences(&j, aud, 4);
        for (size_t i = 0; i < n && i < 4; i++)
            if (!aud[i])
                abort();
        char buf[64];
        (void)api_jwt_claim_text(&j, "cognito:groups", buf, sizeof buf);
        int64_t t;
        (void)api_jwt_claim_time(&j, "exp", &t);
        api_jwt_clear(&j);
    }
    api_jwks_free(ks);
    free(text);
    return 0;
}
