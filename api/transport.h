/* api/transport.h — HTTP over libcurl for the api/ layer.
 *
 * OWNER: the api core work.
 *
 * Two ways in:
 *  - api_http_request(): one BLOCKING request (the credentials sources use it
 *    for STS, SSO, container and instance metadata calls).
 *  - struct api_transport: a curl multi handle (connection cache, so one
 *    keep-alive connection is reused per endpoint) driving any number of
 *    asynchronous transfers; the client (api/client.c) runs every service call
 *    through it, and api_transport_wait() gives it a blocking path.
 *
 * Rules both enforce (DESIGN.md "transport"):
 *  - https only; plain http only to a loopback host (127.0.0.0/8, ::1,
 *    "localhost", which libcurl resolves to loopback itself) or to a host
 *    named in `plain_http_hosts` (the credentials sources pass the link-local
 *    container and instance metadata addresses). Anything else is refused
 *    with API_ERR_TRANSPORT before a connection is made.
 *  - TLS peer and host verification are always on; nothing here can turn them
 *    off. `ca_bundle` ADDS the CAs of a PEM file to the system store (it is
 *    loaded into the connection's X509_STORE from CURLOPT_SSL_CTX_FUNCTION;
 *    CURLOPT_CAINFO would replace the system store instead).
 *  - No redirect is followed (a 3xx is returned as it is).
 *  - Connect and total timeouts.
 *  - Proxies: plain http goes only directly (to loopback or a listed host,
 *    above), and loopback and listed hosts never use a proxy, even over
 *    https: a signed request, a session token or a container token never
 *    crosses a proxy in clear text, whatever http_proxy/ALL_PROXY say. Other
 *    https follows the proxy variables (https_proxy, all_proxy, no_proxy) as
 *    libcurl reads them, always through a CONNECT tunnel, so even a plain
 *    http proxy sees the host name only. A proxy setting never shows in an
 *    error message (libcurl quotes one it cannot use, password included):
 *    it is named by its variable ("$https_proxy"), and "user:pass@" after
 *    any "://" reads "***@".
 *  - A response body larger than `max_body` (default 16 MiB) aborts the
 *    transfer with API_ERR_TRANSPORT ("response body over 16 MiB").
 *
 * Errors: API_ERR_TRANSPORT (DNS, connect, timeout, dropped connection, body
 * too large, refused URL), API_ERR_TLS (certificate, handshake, CA file),
 * API_ERR_CANCELLED. An HTTP status of any value is NOT an error here: the
 * caller reads resp->status.
 *
 * The "may have reached" point (issue 11): libcurl's CURLOPT_PREREQFUNCTION
 * fires once the connection is ready (connected or reused, TLS handshake
 * done) and just before the request is written. A failure before it (DNS,
 * connect, handshake, refused URL) leaves err->sent false: nothing of the
 * request left this machine. From it on, err->sent is true (reset or closed
 * connection, timeout waiting for the answer, a body cut short, an oversized
 * answer), and err->http_status is the status of the answer when its status
 * line came before the failure (0 otherwise). api_transfer_sent() tells the
 * same for a transfer still in flight (cancelling it after that point leaves
 * the outcome unknown).
 *
 * Secrets: request bodies and headers may hold secrets (tokens), response
 * bodies may hold credentials; api_http_response_free() wipes the body
 * (OPENSSL_cleanse) before freeing it. Nothing here logs or prints.
 */
#ifndef API_TRANSPORT_H
#define API_TRANSPORT_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "api/error.h"

#define API_HTTP_MAX_BODY_DEFAULT ((size_t)16 * 1024 * 1024)

struct api_http_header {
    const char *name;
    const char *value;
};

/* Everything borrowed; only needs to live until api_http_request() returns
 * or api_transport_start() returns (the transport copies what it keeps). */
struct api_http_request {
    const char *method; /* "GET", "PUT", "POST", ... */
    const char *url;    /* https://host[:port]/path?query, or http:// as above */
    /* Sent as given (an empty value is sent empty); may be NULL. libcurl adds
     * Host (unless given), Content-Length and nothing else: no Accept,
     * Expect or form Content-Type of its own. CR/LF in a header is refused. */
    const struct api_http_header *headers;
    size_t n_headers;
    const void *body; /* may be NULL */
    size_t body_len;
    long connect_timeout_ms; /* 0 = 5000 */
    long timeout_ms;         /* whole transfer; 0 = 60000 */
    /* Hosts (as written in URLs: "169.254.169.254", "[fd00:ec2::254]" or
     * "fd00:ec2::254") to which plain http is allowed besides loopback. */
    const char *const *plain_http_hosts;
    size_t n_plain_http_hosts;
    const char *ca_bundle; /* NULL, or a PEM file of CAs to trust in addition */
    size_t max_body;       /* 0 = API_HTTP_MAX_BODY_DEFAULT */
    /* The request must reach the server at most once in this transfer: a
     * change not safe to repeat. libcurl re-sends a request on a fresh
     * connection when a reused connection closed before any byte of an answer
     * came (the server may have acted on it all the same); with send_once the
     * transfer fails then instead, err->sent true. */
    bool send_once;
};

struct api_http_response {
    long status;
    struct api_http_response_header {
        char *name;
        char *value;
    } * headers; /* in arrival order, final response only (no 100 Continue) */
    size_t n_headers;
    char *body; /* always NUL-terminated (body_len excludes the NUL); never NULL after success */
    size_t body_len;
};

/* Blocking request. Returns 0 with *resp filled (any HTTP status), or -1 with
 * err filled and *resp empty. Always call api_http_response_free(resp) after. */
int api_http_request(const struct api_http_request *req, struct api_http_response *resp,
                     struct api_error *err);

/* Value of the last header named `name` (case-insensitive), or NULL. */
const char *api_http_response_header(const struct api_http_response *resp, const char *name);

/* Wipes the body, frees everything; *resp is zeroed and reusable. */
void api_http_response_free(struct api_http_response *resp);

/* Whether `url` may be used: https, or http to loopback / one of `hosts`.
 * Returns 0, or -1 with err (API_ERR_TRANSPORT) saying why. Also checks the
 * URL parses and has a host. */
int api_http_url_allowed(const char *url, const char *const *hosts, size_t n_hosts,
                         struct api_error *err);

/* ---- Asynchronous transport (used by api/client.c) ---- */

struct api_transport;
struct api_transfer;

struct api_transport_options {
    const char *ca_bundle; /* copied; loaded (and checked) once, in api_transport_new() */
    const char *const *plain_http_hosts;
    size_t n_plain_http_hosts;
};

/* Returns NULL with err filled (API_ERR_TLS for an unreadable CA file). */
struct api_transport *api_transport_new(const struct api_transport_options *opt,
                                        struct api_error *err);
/* Cancels (without callbacks) whatever is still in flight, frees everything. */
void api_transport_free(struct api_transport *t);

/* Called once per transfer, from api_transport_perform()/api_transport_wait(),
 * unless the transfer was cancelled. `resp` is owned by the callee (free it
 * with api_http_response_free); on error it is empty and err says why. The
 * callback may start or cancel other transfers, but must not free the transport. */
typedef void (*api_transfer_done_fn)(void *ctx, struct api_http_response *resp,
                                     const struct api_error *err);

/* Starts a transfer (ca_bundle and plain_http_hosts of `req` are ignored: the
 * transport's own apply). Returns a handle valid until its callback has
 * fired or it was cancelled, or NULL with err filled (the callback never fires). */
struct api_transfer *api_transport_start(struct api_transport *t,
                                         const struct api_http_request *req,
                                         api_transfer_done_fn done, void *ctx,
                                         struct api_error *err);

/* Whether libcurl has passed the point just before sending this transfer's
 * request (see "may have reached" above): true means some of it may have
 * reached the server. */
bool api_transfer_sent(const struct api_transfer *x);

/* Stops a transfer; its callback does not fire. The handle is gone after. */
void api_transfer_cancel(struct api_transfer *x);

/* The sockets libcurl wants watched (CURLMOPT_SOCKETFUNCTION), up to `max`,
 * and in *timeout_ms the longest the caller may sleep (CURLMOPT_TIMERFUNCTION;
 * -1 = no deadline). Returns the number of entries filled. */
int api_transport_pollfds(struct api_transport *t, struct pollfd *fds, int max, int *timeout_ms);

/* Drives every transfer as far as it goes without waiting (curl_multi_socket_action
 * on every watched socket and on the timer) and fires callbacks of finished ones. */
void api_transport_perform(struct api_transport *t);

/* Transfers in flight. */
int api_transport_pending(const struct api_transport *t);

/* Blocks (poll) until `*done_flag` becomes true (set by the caller's callback)
 * or nothing is in flight any more. Other transfers progress meanwhile. */
void api_transport_wait(struct api_transport *t, const bool *done_flag);

#endif
