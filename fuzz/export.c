/* fuzz/export.c — libFuzzer harness for the export's row mappers over every
 * response shape (tui/cmd_export.c), fed through the real answer parser
 * (api/protocol.c), so any JSON a server sends where a string, list or
 * object is expected reaches the mappers.
 *
 * Input layout: byte 0 picks the kind (pools, identities, roles, tags,
 * pool-backup) and the options (bit 3 CSV, bit 4 --pool, bit 5 terminal
 * escaping); the rest is the answers, one per call, separated by NUL bytes.
 * An answer's first byte picks its HTTP status (200 mostly, else 400, 404,
 * 500), the rest is its body. Calls past the last answer fail as a transport
 * error would.
 * Properties checked beyond "no crash, no leak, no sanitizer report":
 *   - success writes valid JSON in JSON format (one array, or for
 *     pool-backup one object), and a failure is described;
 *   - with terminal escaping on, no ESC, C1 or bidi control reaches the output.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/operations.h"
#include "api/protocol.h"
#include "tui/cmd_export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const kinds[] = {"pools", "identities", "roles", "tags", "pool-backup"};
static const long statuses[] = {200, 200, 200, 200, 200, 400, 404, 500};

struct answers {
    const uint8_t *p;
    size_t left;
    int calls;
};

static int fuzz_call(void *ctx, const char *operation, json_object *input, json_object **output,
                     struct api_error *err)
{
    struct answers *a = ctx;
    const struct api_operation *op = api_operation_find(operation);
    struct api_http_response resp = {0};
    struct api_http_response_header hdr = {(char *)"x-amzn-RequestId", (char *)"fuzz"};
    char rid[64];
    size_t n;

    (void)input;
    if (!op)
        abort(); /* the export only calls operations of the table */
    if (a->left == 0 || ++a->calls > 64)
        return api_error_set(err, API_ERR_TRANSPORT, "no more answers");
    const uint8_t *end = memchr(a->p, '\0', a->left);
    n = end ? (size_t)(end - a->p) : a->left;
    char *body = malloc(n + 1);
    if (!body)
        return api_error_set(err, API_ERR_TRANSPORT, "out of memory");
    resp.status = n ? statuses[a->p[0] % (sizeof statuses / sizeof statuses[0])] : 200;
    memcpy(body, a->p + (n ? 1 : 0), n ? n - 1 : 0);
    body[n ? n - 1 : 0] = '\0';
    resp.body = body;
    resp.body_len = n ? n - 1 : 0;
    resp.headers = &hdr;
    resp.n_headers = 1;
    a->p += n + (end ? 1 : 0);
    a->left -= n + (end ? 1 : 0);
    int rc = api_protocol_parse_response(op, &resp, output, rid, sizeof rid, err);
    free(body);
    return rc;
}

static bool has_terminal_controls(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0x1b || c == 0x7f)
            return true;
        if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9f)
            return true; /* U+0080..U+009F */
        if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] >= 0xaa && (unsigned char)s[i + 2] <= 0xae)
            return true; /* U+202A..U+202E */
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct export_options o;
    struct answers a = {data + 1, size - 1, 0};
    struct export_source src = {fuzz_call, &a, "us-east-1", NULL};
    struct export_result res;
    char *text = NULL;
    size_t len = 0;
    char why[256];
    bool terminal = data[0] & 32;

    memset(&o, 0, sizeof o);
    o.kind = kinds[(data[0] & 7) % 5];
    o.format = data[0] & 8 ? EXPORT_FORMAT_CSV : EXPORT_FORMAT_JSON;
    o.format_given = true;
    if ((data[0] & 16) || strcmp(o.kind, "identities") == 0 || strcmp(o.kind, "pool-backup") == 0)
        o.pool = "us-east-1:00000000-0000-0000-0000-000000000001";
    if (strcmp(o.kind, "pools") == 0)
        o.pool = NULL;
    if (strcmp(o.kind, "pool-backup") == 0)
        o.format = EXPORT_FORMAT_JSON;
    if (strcmp(o.kind, "tags") == 0)
        o.account = "123456789012";
    if (export_check(&o, why, sizeof why) != 0)
        abort(); /* the options above are all valid */

    FILE *f = open_memstream(&text, &len);
    if (!f)
        return 0;
    int rc = export_write(&o, &src, f, terminal, NULL, &res);
    fclose(f);
    if (rc == 0 && o.format == EXPORT_FORMAT_JSON) {
        json_object *doc = json_tokener_parse(text);
        if (!doc)
            abort(); /* a finished JSON export is JSON */
        json_object_put(doc);
    } else if (rc != 0) {
        if (res.err.kind == API_ERR_NONE && !res.write_failed)
            abort(); /* a failure says why */
        if (res.err.kind != API_ERR_NONE && !res.err.message[0])
            abort();
    }
    if (terminal && has_terminal_controls(text, len))
        abort(); /* escaping let a control through */
    free(text);
    return 0;
}
