/* fuzz/credentials_json.c — libFuzzer harness for what credential sources
 * read from outside as JSON: a credential_process's stdout
 * (cred_process_answer), an IAM Identity Center token cache file
 * (cred_sso_cache_parse) and a GetRoleCredentials answer
 * (cred_sso_role_credentials). The same bytes go to all three.
 *
 * Any bytes give credentials or an error, never a crash, a leak or a read
 * out of bounds; credentials always have an id and a secret; an error never
 * quotes a secret (seeds put "FUZZSECRET" in secret fields: it must never
 * appear in a message). Build and run: make fuzz (FUZZ_SECONDS=N). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/credentials_sources.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_answer(int rc, const struct api_credentials *c, const struct api_error *err)
{
    if (rc == 0) {
        if (!c->access_key_id || !c->access_key_id[0] || !c->secret_access_key ||
            !c->secret_access_key[0])
            __builtin_trap(); /* "success" without usable credentials */
    } else if (!err->message[0] || err->kind != API_ERR_CREDENTIALS ||
               strstr(err->message, "FUZZSECRET")) {
        __builtin_trap(); /* an error must say why, and never quote a secret */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* NUL-terminated, as the pipe reader and the file reader hand it over. */
    char *text = malloc(size + 1);
    struct api_credentials c = {0};
    struct api_error err;
    json_object *cache = NULL;
    time_t expires = 0;
    bool refreshable = false;
    int rc;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    api_error_clear(&err);
    rc = cred_process_answer(text, size, "fuzz: credential_process", &c, &err);
    check_answer(rc, &c, &err);
    api_credentials_clear(&c);

    api_error_clear(&err);
    rc = cred_sso_cache_parse(text, size, "fuzz: the token cache", 1700000000, &cache, &expires,
                              &refreshable, &err);
    if (rc == 0 && !cache)
        __builtin_trap();
    if (rc != 0 && (!err.message[0] || strstr(err.message, "FUZZSECRET")))
        __builtin_trap();
    cred_json_put_wiped(cache);

    api_error_clear(&err);
    rc = cred_sso_role_credentials(text, size, &c, &err);
    check_answer(rc, &c, &err);
    if (rc == 0 && c.expiration <= 0)
        __builtin_trap(); /* the expiration is required */
    api_credentials_clear(&c);

    memset(text, 0, size); /* as the sources wipe what they read */
    free(text);
    return 0;
}
