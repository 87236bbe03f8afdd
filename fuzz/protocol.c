/* fuzz/protocol.c — libFuzzer harness for the answer parser (api/protocol.c)
 * and the input validator (api/validate.c): whatever a server or a user
 * sends, the result is an object or a clear error, never a crash or a leak.
 *
 * Input layout: byte 0 picks the operation, byte 1 the HTTP status; the rest
 * is "ERRORTYPE\n\nBODY" (an x-amzn-ErrorType header, then the body) or, when
 * there is no blank line, the body alone. The body is also validated as the
 * operation's input. Build and run: make fuzz (FUZZ_SECONDS=N). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/operations.h"
#include "api/protocol.h"
#include "api/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const long statuses[] = {200, 204, 301, 400, 403, 404, 429, 500, 502, 503, 504, 299};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const struct api_operation *op = &api_operations[data[0] % api_n_operations];
    long status = statuses[data[1] % (sizeof statuses / sizeof *statuses)];
    const char *rest = (const char *)data + 2;
    size_t n = size - 2;

    /* Copies: NUL-terminated, as the transport hands them over. */
    char *text = malloc(n + 1);
    if (!text)
        return 0;
    memcpy(text, rest, n);
    text[n] = '\0';
    char *sep = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (text[i] == '\n' && text[i + 1] == '\n') {
            sep = text + i;
            break;
        }

    struct api_http_response_header hdr[2];
    struct api_http_response resp = {0};
    resp.status = status;
    resp.headers = hdr;
    hdr[0].name = (char *)"x-amzn-RequestId";
    hdr[0].value = (char *)"fuzz-request";
    resp.n_headers = 1;
    if (sep) {
        *sep = '\0';
        hdr[1].name = (char *)"x-amzn-ErrorType";
        hdr[1].value = text;
        resp.n_headers = 2;
        resp.body = sep + 2;
        resp.body_len = n - (size_t)(sep + 2 - text);
    } else {
        resp.body = text;
        resp.body_len = n;
    }

    json_object *out = NULL;
    char rid[64];
    struct api_error err;
    api_error_clear(&err);
    if (api_protocol_parse_response(op, &resp, &out, rid, sizeof rid, &err) == 0) {
        if (!out)
            abort(); /* success must give an object */
        json_object_put(out);
    } else if (out || err.kind == API_ERR_NONE || !memchr(err.message, '\0', sizeof err.message)) {
        abort(); /* failure must give a described error and no object */
    }

    char line[128], code[64];
    api_protocol_one_line(rest, n, line, sizeof line);
    api_protocol_clean_code(text, code, sizeof code);

    /* The same bytes as a user's input for this operation. */
    json_object *in = json_tokener_parse(resp.body);
    if (in) {
        if (api_validate(op->input, in, &err) == 0) {
            char *body = NULL;
            size_t len = 0;
            if (api_protocol_body(op, in, data[1] & 1, &body, &len, &err) == 0)
                free(body);
        }
        json_object_put(in);
    }
    free(text);
    return 0;
}
