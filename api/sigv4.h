/* api/sigv4.h — AWS Signature Version 4, as a staged pipeline over one state struct.
 *
 * Pure: no I/O, no clock (the caller passes the time), no logging. Secrets,
 * derived keys and every buffer that held them are wiped (OPENSSL_cleanse)
 * before their memory is freed or goes out of scope. SHA-256 and HMAC come
 * from OpenSSL (EVP).
 *
 * Two ways in:
 *   - sigv4_sign_request(): one call, what the client uses.
 *   - the stages, for tests and the vector runner:
 *         struct sigv4_state st;
 *         sigv4_begin(&st, params, &request);     validate, date, payload hash
 *         sigv4_canonical_request(&st);           st.canonical_request, st.signed_headers
 *         sigv4_string_to_sign(&st);              st.string_to_sign
 *         sigv4_signing_key(&st);                 st.signing_key (from the cache or derived)
 *         sigv4_signature(&st);                   st.signature
 *         sigv4_authorization(&st, &result);      the header values the caller adds
 *         sigv4_end(&st);                         always, even after a failure
 *     Each stage needs the previous ones; each returns 0, or -1 with
 *     st.error naming the problem. A stage called after a failed one fails too.
 *
 * What is signed (the contract with the caller):
 *
 * Path. `path_and_query` is the request target: the path, then optionally
 * '?' and the query. The path is taken as a literal byte string and never
 * percent-decoded. With normalize_path, empty, "." and ".." segments are
 * removed (RFC 3986 section 5.2.4, plus repeated slashes, as every service
 * but S3 wants); a trailing '/', or a trailing "."/".." segment, leaves a
 * trailing '/' ("/a/b/.." is "/a/"; botocore, the one place it differs,
 * gives "/a"). Then every byte other than A-Z a-z 0-9 - _ . ~ and '/' is
 * percent-encoded once (uppercase hex). So:
 *   - a request path passed as it goes on the wire ("/", "/a%20b") is
 *     encoded again ("/a%2520b"): the double encoding AWS services other
 *     than S3 verify, and what botocore does;
 *   - the test suites' raw paths ("/example space/", UTF-8) get their single
 *     encoding ("/example%20space/").
 * The path must start with '/' (an empty path means "/").
 *
 * Query. Split on '&' (empty pieces dropped), each piece at its first '='
 * (no '=' means an empty value), each key and value percent-decoded (%XX
 * with valid hex; anything else, '+' included, is literal) and re-encoded
 * (unreserved bytes kept, all else %XX), then sorted by key, then by value,
 * bytewise. Repeated keys are all kept.
 *
 * Headers. `headers` are the headers that will be sent; Host must be among
 * them. All are signed except those an HTTP library or a proxy may add,
 * change or drop: Expect, Transfer-Encoding, User-Agent, X-Amzn-Trace-Id
 * (botocore leaves out the same, Transfer-Encoding aside).
 * Names are matched without regard to case and signed lowercased; a value is
 * trimmed of spaces and tabs and each inner run of them becomes one space.
 * Repeated headers are joined with ',' in the order given. A value may carry
 * obs-fold continuation lines (CRLF or LF, then a space or tab): each line
 * counts as one more value of that header, as the test suites read them.
 * Authorization, X-Amz-Date, X-Amz-Security-Token and X-Amz-Content-SHA256
 * are the signer's: passing them is an error. A name must be an HTTP token;
 * a value may not hold control characters other than tab and obs-fold.
 *
 * Added by the signer: X-Amz-Date (signed); X-Amz-Security-Token when the
 * params carry a session token (signed, or added after signing and unsigned
 * with omit_session_token); x-amz-content-sha256 with sign_body (signed).
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
 * Zero-initialise; call sigv4_key_cache_wipe() when done. Not thread-safe.
 * An access key id is taken to name one secret, as in AWS: if a secret can
 * change under the same id, wipe the cache when it does. sigv4_begin limits
 * the access key id to 127 bytes and region and service to 63, so they fit. */
struct evp_mac_ctx_st; /* OpenSSL's EVP_MAC_CTX */
struct sigv4_key_cache {
    char access_key_id[128];
    char date[9];
    char region[64];
    char service[64];
    unsigned char key[32];
    bool valid;
    /* An HMAC context already keyed with `key`: re-keying HMAC costs about a
     * quarter of a signature. Owned by the cache, freed (and so wiped by
     * OpenSSL) by sigv4_key_cache_wipe() or when the key changes. Because of
     * it a cache must not be copied. */
    struct evp_mac_ctx_st *mac;
};
/* Wipes the key and everything it was keyed on, frees the HMAC context;
 * the cache is empty (all zero) after. */
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
    /* NULL = hex SHA-256 of the body. Otherwise the payload line of the
     * canonical request as given (e.g. "UNSIGNED-PAYLOAD"): at most 64
     * printable, non-space characters. */
    const char *payload_hash;
};

/* What the caller adds to the request. Strings are NUL-terminated. */
struct sigv4_result {
    char amz_date[17];        /* X-Amz-Date value, e.g. 20150830T123600Z */
    char content_sha256[65];  /* x-amz-content-sha256 value when sign_body, else "" */
    char authorization[1024]; /* Authorization header value */
    bool add_security_token;  /* true: add X-Amz-Security-Token: <session_token> */
    const char *error;        /* after -1: why, a static string; NULL after success */
};

/* Signs one request (see the contract above). Returns 0, or -1 with
 * out->error set when an argument is unusable (too long, missing Host, a
 * header the signer owns, bad characters, NULL credentials, a time outside
 * years 1970-9999). Wipes everything it derived before it returns. */
int sigv4_sign_request(const struct sigv4_params *params, const char *method,
                       const char *path_and_query, const struct sigv4_header *headers,
                       size_t n_headers, const void *body, size_t body_len,
                       struct sigv4_result *out);

/* ---- The stages ---- */

/* A growable byte buffer, NUL-terminated, that wipes itself when freed. It
 * starts in `small` and moves to the heap past that, so it must not be
 * copied. After an allocation failure or past SIGV4_BUF_LIMIT it is marked
 * failed and later appends do nothing. */
#define SIGV4_BUF_LIMIT (1u << 20)
struct sigv4_buf {
    char *data;
    size_t len, cap;
    bool failed;
    char small[1024];
};
void sigv4_buf_init(struct sigv4_buf *b);
void sigv4_buf_append(struct sigv4_buf *b, const void *data, size_t len);
void sigv4_buf_free(struct sigv4_buf *b); /* wipes, frees; the buffer is empty and usable after */

struct sigv4_request {
    const char *method;         /* an HTTP token, e.g. "POST" (signed as given) */
    const char *path_and_query; /* see "Path" and "Query" above */
    const struct sigv4_header *headers;
    size_t n_headers;
    const void *body; /* may be NULL when body_len is 0 */
    size_t body_len;
};

/* One signing in progress. Fields are outputs of the stage named beside
 * them; read them, don't write them. Not copyable (see sigv4_buf). The
 * state borrows the params, the request and the key cache: they must stay
 * as they are until sigv4_end(). */
struct sigv4_state {
    const struct sigv4_params *params; /* borrowed, like the request */
    struct sigv4_request req;
    const char *error; /* static text once a stage failed, else NULL */

    /* sigv4_begin */
    char amz_date[17];     /* 20150830T123600Z */
    char date[9];          /* 20150830 */
    char payload_hash[65]; /* hex SHA-256 of the body, or params->payload_hash */
    bool with_token;       /* a session token is present */

    /* sigv4_canonical_request */
    struct sigv4_buf canonical_request;
    struct sigv4_buf signed_headers; /* "host;x-amz-date" */

    /* sigv4_string_to_sign */
    char scope[256]; /* 20150830/us-east-1/service/aws4_request */
    char string_to_sign[384];

    /* sigv4_signing_key */
    unsigned char signing_key[32];
    bool key_from_cache;              /* true when the cache supplied the key */
    struct evp_mac_ctx_st *keyed_mac; /* the cache's context keyed with it, or NULL */

    /* sigv4_signature */
    char signature[65]; /* lowercase hex */

    int stage; /* how far the pipeline got */
};

int sigv4_begin(struct sigv4_state *st, const struct sigv4_params *params,
                const struct sigv4_request *req);
int sigv4_canonical_request(struct sigv4_state *st);
int sigv4_string_to_sign(struct sigv4_state *st);
int sigv4_signing_key(struct sigv4_state *st);
int sigv4_signature(struct sigv4_state *st);
int sigv4_authorization(struct sigv4_state *st, struct sigv4_result *out);
void sigv4_end(struct sigv4_state *st); /* wipes the state; safe after any stage */

/* ---- Building blocks of the canonical request (exposed for tests) ----
 * Each appends to `out` and returns 0, or -1 with *why set (static text). */

/* Percent-encodes src[0..len): every byte but A-Z a-z 0-9 - _ . ~ (and '/'
 * when keep_slash) becomes %XX, uppercase hex. */
void sigv4_uri_encode(struct sigv4_buf *out, const char *src, size_t len, bool keep_slash);

/* The canonical URI of a path (see "Path" above). */
int sigv4_canonical_uri(struct sigv4_buf *out, const char *path, size_t len, bool normalize,
                        const char **why);

/* The canonical query string of a raw query (without the '?'). */
int sigv4_canonical_query(struct sigv4_buf *out, const char *query, size_t len, const char **why);

/* The canonical headers block ("name:value\n" each) into `out`, and the
 * signed header names ("a;b;c") into `names` (see "Headers" above; the
 * signer-owned names are not refused here, only by sigv4_begin). */
int sigv4_canonical_headers(struct sigv4_buf *out, struct sigv4_buf *names,
                            const struct sigv4_header *headers, size_t n, const char **why);

/* The SigV4 signing key: HMAC chain over "AWS4"+secret, date (YYYYMMDD),
 * region, service, "aws4_request". Returns 0, or -1 when OpenSSL fails. */
int sigv4_derive_key(const char *secret, const char *date, const char *region, const char *service,
                     unsigned char key[32]);

#endif
