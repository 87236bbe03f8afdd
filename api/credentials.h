/* api/credentials.h — AWS credentials and the provider chain that finds them.
 *
 * OWNER: the config/credentials work (api/config.c, api/credentials*.c).
 *
 * Contract:
 *  - struct api_credentials owns its strings (heap); api_credentials_clear()
 *    wipes them with OPENSSL_cleanse and frees them. Never print, log or
 *    journal any of them except access_key_id.
 *  - A provider is made by api_config_resolve() (api/config.h) from the
 *    settings it found; the client borrows it and calls
 *    api_credentials_get() before every signature: the provider caches, and
 *    refreshes temporary credentials before they expire.
 */
#ifndef API_CREDENTIALS_H
#define API_CREDENTIALS_H

#include <stddef.h>
#include <time.h>

#include "api/error.h"

struct api_credentials {
    char *access_key_id;
    char *secret_access_key;
    char *session_token; /* NULL when none */
    time_t expiration;   /* 0 = does not expire */
};

/* Test hook: when set, called with each string's memory right after
 * api_credentials_clear() wiped it and just before it is freed, so a test can
 * check that the bytes really are gone. NULL (unused) in the product. */
extern void (*api_credentials_wipe_observer)(const void *mem, size_t len);

/* Wipes and frees the strings; the struct is zeroed and reusable. */
void api_credentials_clear(struct api_credentials *c);

/* Deep copy; returns 0 or -1 (out of memory) with err filled. */
int api_credentials_copy(struct api_credentials *dst, const struct api_credentials *src,
                         struct api_error *err);

struct api_credentials_provider;

/* Fills *out (caller owns; clear it after signing) with credentials valid at
 * `now`. Returns 0, or -1 with err->kind == API_ERR_CREDENTIALS (or
 * API_ERR_TRANSPORT / API_ERR_TLS when a credentials endpoint could not be
 * reached); the message names the profile and the source.
 * BLOCKS when the source has to be asked: the first call, and a refresh once
 * under 15 minutes remain (STS and IAM Identity Center: up to 30 s;
 * credential_process: up to 120 s; container: 2 s a try, two tries; instance
 * metadata: 1 s a request). An assumed role with mfa_serial calls the
 * api_config_options.mfa_prompt callback from inside this call. */
int api_credentials_get(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
                        struct api_error *err);

/* Short description of the source for the console header, e.g. "env",
 * "profile admin", "assume-role", "sso". Never a secret. */
const char *api_credentials_source(const struct api_credentials_provider *p);

/* When the credentials the provider holds now expire (UTC seconds), or 0:
 * none fetched yet, none held, or they do not expire. Never contacts the
 * source (no network, no process, no prompt): it reports what the last
 * api_credentials_get() left, so the console can show it in its header.
 * For the chain: the source that answered. NULL gives 0. */
time_t api_credentials_expiration(const struct api_credentials_provider *p);

/* A provider over fixed credentials (tests, and the chain's static sources).
 * Copies `c`. Returns NULL with err filled. */
struct api_credentials_provider *api_credentials_static_new(const struct api_credentials *c,
                                                            const char *source,
                                                            struct api_error *err);

void api_credentials_provider_free(struct api_credentials_provider *p);

#endif
