/* api/protocol.h — the AWS JSON 1.1 wire format of cognito-identity
 * (DESIGN.md "protocol"). Pure functions: no I/O, no clock.
 *
 * OWNER: the api core work.
 *
 * Requests: POST /, Content-Type: application/x-amz-json-1.1,
 * X-Amz-Target: AWSCognitoIdentityService.<Operation>, the input as a JSON
 * object ("{}" when empty; JSON null members are absent and not sent).
 *
 * Answers (api_protocol_parse_response):
 *  - 2xx: the body is a JSON object (nested no deeper than the operation's
 *    max_response_depth); null members are removed ("null means absent"). An
 *    empty body is success ({}) when the operation has no output or an output
 *    without members. Anything else (empty where output is due, truncated,
 *    not JSON, too deep, not an object) is API_ERR_HTTP naming the status.
 *  - otherwise: a well-formed AWS error is API_ERR_AWS with `code` from the
 *    x-amzn-ErrorType header, else the body's `__type`, else its `code`
 *    (in each: text from the first ':' dropped, then only the text after the
 *    last '#' kept, as the awsJson1_1 spec says), `message` from the body's
 *    `message` or `Message`. An answer without a code (an HTML page from a
 *    load balancer, a 403 XML body from a proxy, an empty 5xx, junk) is
 *    API_ERR_HTTP with the status and a description of what came; for XML
 *    the <Code> (or root element) and <Message> are quoted.
 *  - The request id (x-amzn-RequestId, else x-amz-request-id) is copied into
 *    err->request_id on failure and returned through `request_id` on success.
 *  - Every text copied into an error is made one line of printable text.
 *  - err->retryable is left false: api/retry.c decides.
 */
#ifndef API_PROTOCOL_H
#define API_PROTOCOL_H

#include <stddef.h>

#include <json-c/json.h>

#include "api/error.h"
#include "api/operations.h"
#include "api/transport.h"

#define API_PROTOCOL_TARGET_PREFIX "AWSCognitoIdentityService."
#define API_PROTOCOL_CONTENT_TYPE  "application/x-amz-json-1.1"

/* Serialises `input` (NULL = {}) into *body (malloc'd, NUL-terminated;
 * caller wipes and frees) without its JSON null members. With `redact`,
 * members the model marks sensitive are written as "***REDACTED***" (dry run).
 * Returns 0 or -1 (out of memory) with err. */
int api_protocol_body(const struct api_operation *op, json_object *input, int redact, char **body,
                      size_t *body_len, struct api_error *err);

/* Writes "AWSCognitoIdentityService.<Operation>" into buf. Returns 0, or -1
 * when it does not fit. */
int api_protocol_target(const struct api_operation *op, char *buf, size_t size);

/* Parses an answer to `op` (see above). Returns 0 with *output (new object,
 * caller owns) and request_id (may be NULL) filled, or -1 with err filled and
 * *output NULL. */
int api_protocol_parse_response(const struct api_operation *op,
                                const struct api_http_response *resp, json_object **output,
                                char *request_id, size_t request_id_size, struct api_error *err);

/* The error code of an answer as the rules above find it (header, __type,
 * code), or "" — exposed for the tests and the fuzzer. */
void api_protocol_clean_code(const char *raw, char *out, size_t size);

/* Copies text into out as one line of printable text: control characters
 * (C0, DEL, C1) become '?', invalid UTF-8 bytes '?', at most size-1 bytes,
 * never cutting a UTF-8 sequence. */
void api_protocol_one_line(const char *text, size_t len, char *out, size_t size);

#endif
