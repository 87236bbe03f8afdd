/* api/query.h — the AWS query protocol: one request path for the services
 * that speak it (IAM now; STS can move to it).
 *
 * A call is a form-encoded POST (Content-Type
 * application/x-www-form-urlencoded; charset=utf-8) of
 * Action=NAME&Version=VERSION&<params>, SigV4-signed with the service's
 * signing name for the region given (IAM: its partition's global Region,
 * whatever the host), and an XML answer read with expat (api/xml.h).
 *
 * Every call takes the same path, as the cognito-identity client does
 * (api/client.h): look the action up in the service's table → refuse it when
 * the client is read-only and the action is not listed as a pure read
 * (API_ERR_READ_ONLY, nothing signed or sent) → sign (unless the action is
 * unsigned) → send → retry as the standard mode says (api/retry.h: throttling
 * codes such as IAM's `Throttling`, HTTP 500/502/503/504, connection errors;
 * the skew retry at the server's time) → parse.
 *
 * Answers:
 *  - 2xx: the document's root element (<ActionResponse>), owned by the
 *    receiver (api_xml_free). api_query_result() gives <ActionResult>.
 *    err holds kind API_ERR_NONE and the request id.
 *  - an <ErrorResponse><Error><Code/><Message/></Error>: API_ERR_AWS with the
 *    code, message, HTTP status and request id.
 *  - anything else (an HTML page, truncated or hostile XML): API_ERR_HTTP
 *    saying what was wrong, with the HTTP status.
 * Messages start with "<label> <Action>: " (e.g. "IAM GetRole: ").
 *
 * Call order and threads: as api/client.h (start any number of requests,
 * then pollfds/poll/perform; callbacks fire only inside perform, cancel or
 * the blocking call; never free the client from inside a callback).
 * Secrets: request bodies are wiped when freed; the XML tree wipes its text.
 */
#ifndef API_QUERY_H
#define API_QUERY_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "api/client.h"
#include "api/credentials.h"
#include "api/error.h"
#include "api/xml.h"

struct api_query_action {
    const char *name; /* "GetRole" */
    bool pure_read;   /* allowed in read-only mode */
    bool is_unsigned; /* sent without a signature (STS AssumeRoleWithWebIdentity) */
};

struct api_query_service {
    const char *label;        /* "IAM": starts every message */
    const char *signing_name; /* "iam" */
    const char *version;      /* "2010-05-08" */
    const struct api_query_action *actions;
    size_t n_actions;
};

struct api_query_options {
    const struct api_query_service *service; /* borrowed; must outlive the client */
    const char *endpoint_url; /* required: https://..., or http:// to a loopback address */
    const char *region;       /* required: the signing region */
    const char *ca_bundle;    /* NULL, or a PEM file of extra trusted CAs */
    bool read_only;
    int max_attempts;                             /* 0 = 3 */
    long connect_timeout_ms;                      /* 0 = 5000 */
    long timeout_ms;                              /* total per attempt; 0 = 60000 */
    struct api_credentials_provider *credentials; /* borrowed; NULL only for unsigned actions */
    api_clock_fn clock; /* test hooks, as api_client_options; NULL = the real ones */
    api_sleep_fn sleep;
    api_random_fn random;
    void *hook_ctx;
    bool adaptive;              /* retry_mode adaptive: the client's own plain adaptive limiter */
    api_monotonic_fn monotonic; /* the rate limiter's time; NULL = CLOCK_MONOTONIC */
};

struct api_query_param {
    const char *name;  /* "RoleName", "Marker" */
    const char *value; /* sent percent-encoded; NULL = left out */
};

struct api_query_client;
struct api_query_request;

/* Copies the strings. Returns NULL with err filled (missing endpoint or
 * region: API_ERR_CREDENTIALS; a URL the transport refuses: API_ERR_TRANSPORT). */
struct api_query_client *api_query_client_new(const struct api_query_options *opt,
                                              struct api_error *err);
/* Drops requests in flight without their callbacks; wipes the key cache. */
void api_query_client_free(struct api_query_client *qc);

/* Adaptive retry mode, as api_client_set_rate_limiter() (api/client.h):
 * every attempt (retries and the skew re-send too) first takes a token from
 * the limiter for its action's name, waiting with the sleep hook in a
 * blocking call and on a timer api_query_pollfds() reports in an
 * asynchronous one; every answer is recorded in it, throttling
 * (api/retry.h API_RETRY_THROTTLE: IAM's `Throttling`) or not. The limiter
 * is borrowed: it must outlive the client or be unset first; NULL goes back
 * to the client's own (options.adaptive), or none (standard mode). One
 * limiter may serve several clients that share a quota. */
void api_query_set_rate_limiter(struct api_query_client *qc, struct api_rate_limiter *limiter);

/* `doc` is owned by the callee (NULL on error); err as described above. */
typedef void (*api_query_done_fn)(void *ctx, struct xml_node *doc, const struct api_error *err);

/* Starts a call. Returns a handle (valid until its callback) or NULL with
 * err filled when refused before sending (unknown action, read-only, no
 * credentials); the callback then never fires. */
struct api_query_request *api_query_start(struct api_query_client *qc, const char *action,
                                          const struct api_query_param *params, size_t n_params,
                                          api_query_done_fn done, void *ctx, struct api_error *err);

/* Blocking call: 0 with *doc (caller frees; err kind API_ERR_NONE with the
 * request id), or -1 with err and *doc NULL. Drives other requests too. */
int api_query_call(struct api_query_client *qc, const char *action,
                   const struct api_query_param *params, size_t n_params, struct xml_node **doc,
                   struct api_error *err);

/* Cancels a request: its callback fires now with API_ERR_CANCELLED. */
void api_query_cancel(struct api_query_request *r);

/* As api_client_pollfds/perform/pending. */
int api_query_pollfds(struct api_query_client *qc, struct pollfd *fds, int max, int *timeout_ms);
void api_query_perform(struct api_query_client *qc);
int api_query_pending(const struct api_query_client *qc);

/* <ActionResult> of an answer's root, or NULL. */
const struct xml_node *api_query_result(const struct xml_node *doc, const char *action);

/* The form body of one call, Action and Version first, each value
 * percent-encoded as RFC 3986 says (unreserved characters kept). Returns a
 * malloc'd NUL-terminated string (caller wipes and frees), or NULL when out
 * of memory. */
char *api_query_form(const struct api_query_service *svc, const char *action,
                     const struct api_query_param *params, size_t n_params, size_t *len);

/* The refusal a read-only client gives `action` of `svc`: 0 when the action
 * is listed and allowed, else -1 with err (API_ERR_INVALID_INPUT for an
 * action not in the table, API_ERR_READ_ONLY for a listed one that is not
 * a pure read). Used by api_query_start(); exposed for tests and dry runs. */
int api_query_check(const struct api_query_service *svc, bool read_only, const char *action,
                    struct api_error *err);

#endif
