/* api/error.h — the one error type of the api/ layer.
 *
 * Contract: every api/ function that can fail takes `struct api_error *err`
 * (may not be NULL), returns -1 (or NULL) on failure and fills it; on success
 * it leaves err untouched. api/ never exits, aborts or prints: the caller
 * decides what an error means (the verbs map kinds to exit codes with
 * api_error_exit_code(); the console shows them in a dialog).
 * Strings are plain text from the service or from us; whoever draws them on a
 * terminal sanitizes them first.
 */
#ifndef API_ERROR_H
#define API_ERROR_H

#include <stdbool.h>

enum api_error_kind {
    API_ERR_NONE = 0,
    API_ERR_TRANSPORT, /* connect, DNS, timeout, dropped connection, body too large */
    API_ERR_TLS,       /* certificate or handshake failure */
    API_ERR_HTTP, /* an answer that is not a well-formed AWS error (HTML page, 403 XML, bad JSON) */
    API_ERR_AWS,  /* a well-formed AWS error: code and message from the service */
    API_ERR_READ_ONLY,     /* refused by the read-only guard before anything was signed or sent */
    API_ERR_INVALID_INPUT, /* the request breaks the model's constraints; `field` names the member
                            */
    API_ERR_CANCELLED,     /* the caller cancelled the request in flight */
    API_ERR_CREDENTIALS,   /* no credentials, bad config file, unknown profile */
};

struct api_error {
    enum api_error_kind kind;
    long http_status;     /* 0 when no answer came */
    char code[128];       /* AWS error code (e.g. ResourceNotFoundException), or "" */
    char message[1024];   /* human-readable, one line */
    char request_id[128]; /* x-amzn-RequestId, or "" */
    char field[256];      /* for API_ERR_INVALID_INPUT: the member path (e.g.
                             "Logins.graph.facebook.com") */
    bool retryable;
    /* Whether any byte of the request may have reached the service: set once
     * the transport passed the point just before sending (api/transport.h).
     * False for every failure before it (DNS, connect, TLS handshake, and the
     * refusals: read-only, invalid input, credentials): nothing was done. */
    bool sent;
    /* Only for operations that change state (api_operation.mutates), set by
     * api/client.c for the whole call: an attempt was sent and no complete
     * answer says how it ended (connection reset or closed mid-answer, timeout
     * waiting for the answer, cancelled after sending, a 2xx answer that
     * cannot be read), and no later attempt succeeded. The change may have
     * been applied: say so, never "failed". A complete error answer from the
     * service (4xx, throttling, 5xx) is a known failure and leaves it false. */
    bool outcome_unknown;
    /* Only on success (kind API_ERR_NONE), from api/client.c: an earlier
     * attempt's outcome was unknown and the call, safe to repeat, was sent
     * again, so the answer may describe a second application (DeleteIdentities
     * may list as unprocessed ids the earlier attempt deleted). */
    bool repeated_after_unknown;
};

/* Resets err to "no error". */
void api_error_clear(struct api_error *err);

/* Fills err (kind, message formatted like printf); other members are cleared. Returns -1. */
int api_error_set(struct api_error *err, enum api_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Stable names used in messages: "Transport", "TLS", "HTTP", the AWS code for API_ERR_AWS,
 * "ReadOnly", "InvalidInput", "Cancelled", "Credentials". */
const char *api_error_kind_name(enum api_error_kind kind);

/* Exit code of the command-line verbs for this error (DESIGN.md "Command line"):
 * 6 when outcome_unknown (whatever the kind), else 1 AWS/HTTP error, 2 invalid
 * input, 3 read-only, 4 transport/TLS, 5 credentials, 1 cancelled. */
int api_error_exit_code(const struct api_error *err);

/* One line, `<Kind>: <message> (request id <id>)` (no request id part when there is none),
 * written to buf (always NUL-terminated). Returns buf. */
char *api_error_format(const struct api_error *err, char *buf, unsigned long size);

#endif
