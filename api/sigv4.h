/* api/sigv4.h — AWS Signature Version 4, as a staged pipeline over one state struct.
 *
 * OWNER: the sigv4 work. The stage functions and the state struct are
 * filled in there; the entry point below is the contract the client uses and
 * must keep its shape.
 *
 * Pure: no I/O, no clock (the caller passes the time), no logging. Secrets
 * and derived keys are wiped (OPENSSL_cleanse) before their memory is freed
 * or goes out of scope.
 */
#ifndef API_SIGV4_H
#define API_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct sigv4_header {
    const char *name;
    const char *value;
};

/* Caches the derived signing key per (access key id, date, region, service).
 * Zero-initialise; call sigv4_key_cache_wipe() when done. Not thread-safe. */
struct sigv4_key_cache {
    char access_key_id[128];
    char date[9];
    char region[64];
    char service[64];
    unsigned char key[32];
    bool valid;
};
void sigv4_key_cache_wipe(struct sigv4_key_cache *cache);

struct sigv4_params {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token; /* NULL or "" = none */
    const char *region;
    const char *service;
    time_t time;                   /* request time, UTC seconds */
    bool normalize_path;           /* true for every service but S3 */
    bool sign_body;                /* add and sign x-amz-content-sha256 */
    bool omit_session_token;       /* add the token after signing, unsigned */
    struct sigv4_key_cache *cache; /* NULL = derive every time */
};

/* What the caller adds to the request. Strings are NUL-terminated. */
struct sigv4_result {
    char amz_date[17];        /* X-Amz-Date value, e.g. 20150830T123600Z */
    char content_sha256[65];  /* x-amz-content-sha256 value when sign_body, else "" */
    char authorization[1024]; /* Authorization header value */
    bool add_security_token;  /* true: add X-Amz-Security-Token: <session_token> */
};

/* Signs one request. `path_and_query` is the request target as sent (already
 * percent-encoded as it goes on the wire, e.g. "/" or "/a%20b?x=1").
 * `headers` are the headers that will be sent (Host must be among them);
 * X-Amz-Date, the token and x-amz-content-sha256 are added by the signer
 * and must not be in `headers`. Returns 0, or -1 when an argument is unusable
 * (too long, missing Host, NULL credentials). */
int sigv4_sign_request(const struct sigv4_params *params, const char *method,
                       const char *path_and_query, const struct sigv4_header *headers,
                       size_t n_headers, const void *body, size_t body_len,
                       struct sigv4_result *out);

#endif
