/* api/client.h — the one way to call the cognito-identity service.
 *
 * OWNER: the api core work (client, transport, protocol, operations,
 * validation, retries). This header is the contract the verbs and the
 * console rely on; extend it, don't change what is here.
 *
 * Every call takes the same path: look the operation up in the one table
 * (api/operations.h) → refuse it if the client is read-only and the operation
 * is not a pure read (API_ERR_READ_ONLY, nothing signed or sent) → validate
 * the input against the model (API_ERR_INVALID_INPUT naming the member) →
 * sign (unless the operation is unsigned) → send → retry as the standard
 * mode says → parse the answer or the error.
 *
 * Ownership: `input` is borrowed (never modified). Outputs are new json-c
 * objects the receiver owns (json_object_put). Operations without output
 * give an empty object, never NULL, on success.
 *
 * Threads: none. A client and its requests belong to the thread that made them.
 */
#ifndef API_CLIENT_H
#define API_CLIENT_H

#include <poll.h>
#include <stdbool.h>
#include <time.h>

#include <json-c/json.h>

#include "api/credentials.h"
#include "api/error.h"
#include "api/operations.h"
#include "api/sigv4.h"
#include "api/transport.h"

struct api_client;
struct api_request;
struct api_rate_limiter;

typedef time_t (*api_clock_fn)(void *ctx);                  /* now, UTC seconds */
typedef void (*api_sleep_fn)(void *ctx, long milliseconds); /* blocking retries only */
typedef double (*api_random_fn)(void *ctx);                 /* uniform in [0, 1) */
typedef double (*api_monotonic_fn)(void *ctx); /* seconds on a monotonic clock (rate limiter) */

struct api_client_options {
    const char *region;       /* required; the signing region whatever the host */
    const char *endpoint_url; /* required; https://..., or http:// to a loopback address */
    const char *ca_bundle;    /* NULL, or a PEM file of extra trusted CAs */
    bool read_only;
    int max_attempts;        /* 0 = 3 */
    long connect_timeout_ms; /* 0 = 5000 */
    long timeout_ms;         /* total per attempt; 0 = 60000 */
    bool adaptive;           /* retry_mode adaptive: the client's own plain adaptive limiter */
    struct api_credentials_provider
        *credentials; /* borrowed; may be NULL if only unsigned calls are made */
    /* Test hooks; NULL = the real clock, nanosleep, and a real random source. */
    api_clock_fn clock;
    api_sleep_fn sleep;
    api_random_fn random;
    api_monotonic_fn monotonic; /* the rate limiter's time; NULL = CLOCK_MONOTONIC */
    void *hook_ctx;
};

/* Copies the options' strings. Returns NULL with err filled (bad URL,
 * plain http to a non-loopback host). */
struct api_client *api_client_new(const struct api_client_options *opt, struct api_error *err);
void api_client_free(struct api_client *c);

/* Adaptive retry mode: every attempt of every call (retries too) first
 * takes a token from the client's rate limiter (api/rate_limiter.h), and
 * every answer is recorded in it, throttling or not. options.adaptive gives
 * the client a plain adaptive one of its own; this sets another (borrowed:
 * it must outlive the client or be unset first), a bulk job's with its cap.
 * NULL goes back to the client's own (none: standard mode).
 * An attempt that must wait for its token waits with the sleep hook in a
 * blocking call, and on a timer that api_client_pollfds() reports in an
 * asynchronous one (the token comes first, then the attempt's credentials);
 * api_request_stop_retries() on a call still waiting for its first token
 * ends it with API_ERR_CANCELLED, nothing sent. */
void api_client_set_rate_limiter(struct api_client *c, struct api_rate_limiter *limiter);

/* Whether the read-only guard is on. There is no way to turn it off: a new
 * client must be made. */
bool api_client_read_only(const struct api_client *c);

/* Blocking call (the verbs and the tests). Returns 0 and sets *output, or -1
 * with err filled and *output NULL. Unlike other api/ functions, on success
 * it also writes err: kind API_ERR_NONE, the answer's request id (the journal
 * records it), sent, and repeated_after_unknown. */
int api_call(struct api_client *c, const char *operation, json_object *input, json_object **output,
             struct api_error *err);

/* One attempt's request, built and signed but not sent (api/dry_run.c
 * formats it). Everything in it is valid until api_prepared_request_wipe(). */
#define API_PREPARED_MAX_HEADERS 10
struct api_prepared_request {
    const struct api_operation *op;
    const char *url; /* the client's endpoint */
    /* Host, Content-Type, X-Amz-Target, then (signed operations) X-Amz-Date,
     * X-Amz-Security-Token (with a session token), Authorization; User-Agent
     * last. Values point into this struct or the client. */
    struct api_http_header headers[API_PREPARED_MAX_HEADERS];
    size_t n_headers;
    char content_length[32];
    char *body; /* the body as sent (secrets in clear: never print it) */
    size_t body_len;
    /* Storage behind the header values. */
    char target[128];
    struct sigv4_result sig;
    bool signed_request;
    bool has_token;
    struct api_credentials creds;
};

/* Runs every check a real call would (table, read-only guard, validation)
 * and builds the request an attempt would send now, signed at the current
 * time (credentials fetched as for a real attempt). Sends nothing. Returns 0
 * with *out filled, or -1 with err filled and *out empty. Always call
 * api_prepared_request_wipe(out) after. */
int api_client_prepare(struct api_client *c, const char *operation, json_object *input,
                       struct api_prepared_request *out, struct api_error *err);

/* Wipes the credentials, the signature and the body; frees the body. */
void api_prepared_request_wipe(struct api_prepared_request *p);

/* ---- Asynchronous calls (the console's event loop) ----
 *
 * Call order: api_call_start() any number of times; then loop:
 *   n = api_client_pollfds(c, fds, max, &timeout_ms);  poll(fds, n, timeout_ms);
 *   api_client_perform(c);
 * Callbacks fire only inside api_client_perform() (or api_request_cancel()),
 * once per request; after its callback the request handle is gone. */
typedef void (*api_done_fn)(void *ctx, json_object *output /* owned by callee, NULL on error */,
                            const struct api_error *err /* kind API_ERR_NONE on success,
                                                          with request_id set */);

/* Returns a handle, or NULL with err filled when the call is refused before
 * sending (unknown operation, read-only, invalid input, no credentials
 * provider, credentials that fail at once); the callback does not fire
 * then. NEVER BLOCKS: when the credentials have to be fetched (a
 * credential_process, STS, IAM Identity Center, an MFA code...), the
 * request waits in the "fetching credentials" state (api_request_waiting_for)
 * while api_client_pollfds()/api_client_perform() drive the fetch; it is
 * then signed and sent from inside api_client_perform(), or fails there
 * through its callback. */
struct api_request *api_call_start(struct api_client *c, const char *operation, json_object *input,
                                   api_done_fn done, void *ctx, struct api_error *err);

/* The same, for a request nobody is waiting on (a listing behind the one on
 * screen): with a rate limiter, it takes a token only when no foreground
 * request of its operation is waiting for one. Among equals, the request
 * that has waited longest goes first. */
struct api_request *api_call_start_background(struct api_client *c, const char *operation,
                                              json_object *input, api_done_fn done, void *ctx,
                                              struct api_error *err);

/* Fills up to `max` entries the client waits on; *timeout_ms is the longest
 * the caller may sleep (-1 = no deadline). Returns the count (0 when idle). */
int api_client_pollfds(struct api_client *c, struct pollfd *fds, int max, int *timeout_ms);

/* Does the work that needs no waiting and fires callbacks of finished requests. */
void api_client_perform(struct api_client *c);

/* Number of requests in flight (those fetching credentials included). */
int api_client_pending(const struct api_client *c);

/* What the request waits for while it is fetching credentials, for the
 * console's status line ("fetching credentials (process)…"): the source
 * ("process", "assume-role", "sso", "web-identity", "container", "imds")
 * or "MFA code"; NULL when it is not fetching credentials (sent, waiting
 * for a retry, or done). Never a secret. */
const char *api_request_waiting_for(const struct api_request *r);

/* The same for the client: what the first request fetching credentials
 * waits for, or NULL when none is. */
const char *api_client_waiting_for(const struct api_client *c);

/* Whether any attempt of this request may have reached the service (the
 * transport passed its "sent" point, api/transport.h). Before that a cancel
 * changes nothing on the service; after it the outcome of a change is unknown. */
bool api_request_sent(const struct api_request *r);

/* Whether an attempt is in flight past the "sent" point, its answer awaited
 * (false while connecting, and while waiting to retry). */
bool api_request_awaiting_answer(const struct api_request *r);

/* No further attempt of this request is sent: the attempt in flight (if any)
 * still ends as it ends; a failure then ends the request, and a request
 * waiting to retry ends at the next api_client_perform() with the failure it
 * was going to retry. For the verbs' Ctrl-C: nothing new leaves after it. */
void api_request_stop_retries(struct api_request *r);

/* Cancels a request in flight: its callback fires now with API_ERR_CANCELLED,
 * err->sent as api_request_sent() said, and err->outcome_unknown for a change
 * cancelled after it was sent (or whose earlier attempt's outcome is unknown). */
void api_request_cancel(struct api_request *r);

#define API_CLIENT_MAX_CORRECTION_S (24 * 3600)
#define API_CLIENT_CLOCK_NOTE_S     (5 * 60)

/* When the last answer's Date was more than 5 minutes from this machine's
 * clock: true, with one line for the user in buf ("this machine's clock is
 * 2 h 3 min behind the service's: requests are signed at the service's time",
 * or that it is beyond the 24 h the client corrects). False otherwise. */
bool api_client_clock_note(const struct api_client *c, char *buf, size_t size);

/* Notes on the above:
 *  - api_client_free() drops requests still in flight WITHOUT firing their
 *    callbacks. Never free the client from inside a callback.
 *  - A blocking api_call() drives the client's other transfers too: callbacks
 *    of asynchronous requests may fire inside it.
 *  - Credentials: api_call_start() never waits for them. Each attempt asks
 *    the provider (api_credentials_start); cached ones sign at once, a fetch
 *    runs on the provider's loop, whose descriptors and deadlines
 *    api_client_pollfds() includes and api_client_perform() drives.
 *    Requests waiting at once share one fetch. api_request_cancel() (Esc)
 *    on a request fetching credentials stops the fetch (kills a
 *    credential_process, withdraws an MFA question) unless another request
 *    waits for it too. An MFA code is asked through
 *    api_config_options.mfa_ask from inside api_client_perform(), or, for a
 *    blocking api_call() (which fetches its credentials blocking) and
 *    without an asker, through mfa_prompt. api_client_prepare() also
 *    fetches blocking.
 *  - Retries of asynchronous calls wait on a timer that api_client_pollfds()
 *    includes in *timeout_ms (the sleep hook is for blocking calls only).
 *  - A read-only refusal, a validation error or a credentials error happens
 *    before anything is signed or sent; the credentials are asked for once
 *    per signature (per attempt) and the copy is wiped right after signing.
 *  - Clock skew: every answer's Date is compared with the clock; when a signed
 *    call fails with a skew code (RequestTimeTooSkewed, InvalidSignatureException,
 *    SignatureDoesNotMatch, RequestExpired, ...) and the skew is over 4 minutes,
 *    it is sent once more signed at the server's time (not counted as an
 *    attempt), and the correction stays for the client's later calls. The
 *    correction is at most ±24 h (API_CLIENT_MAX_CORRECTION_S): a Date from
 *    a broken or hostile server never makes us sign for another year.
 *    api_client_clock_note() says when the clock is off by over 5 minutes.
 *  - User-Agent: cognito-tui/<version>. Only Host, Content-Type and
 *    X-Amz-Target (plus X-Amz-Date and the session token) are signed.
 *  - Outcomes (issue 11): every error says whether the request may have
 *    reached the service (err->sent) and, for a change, whether its outcome is
 *    unknown (err->outcome_unknown: sent, and no complete answer): see
 *    api/error.h. Three outcomes, never guessed: success; a known failure
 *    (refused before sending, or a complete error answer: 4xx, throttling,
 *    5xx); unknown. Retries follow the standard mode, except that an
 *    operation whose table entry is not `repeatable` (api/operations.h) is
 *    never sent again once an attempt's outcome is unknown, not even by
 *    libcurl's own re-send on a fresh connection (api_http_request.send_once).
 *    A known failure (throttling, 5xx the service sent) is retried as the
 *    standard mode says, whatever the operation. Unknown is sticky: once an
 *    attempt's outcome is unknown, a later known failure of a repeated
 *    attempt still ends the call unknown, and a later success carries
 *    err->repeated_after_unknown. */

#endif
