/* sigv4-vectors DIR — runs the SigV4 signer over every test case under DIR.
 *
 * Cases are found by shape, at any depth, never by name:
 *   classic    D/<base>.req with .creq, .sts, .authz beside it (AWS's
 *              aws-sig-v4-test-suite as botocore keeps it). Credentials are
 *              the suite's fixed ones, region us-east-1, service "service",
 *              the time from the request's X-Amz-Date. A token in the
 *              request is signed; a token only in the .creq is signed; a
 *              token only in the .sreq was added after signing (unsigned).
 *   aws-c-auth D/context.json with request.txt and header-*.txt: credentials,
 *              region, service, time, normalize, sign_body,
 *              omit_session_token and signed_body_value from context.json.
 *              Only the Authorization-header variant is run; the presigned
 *              (query) variant is skipped and not counted.
 * Each case prints `ok - NAME` or `not ok - NAME: <stage> differs` (the first
 * stage that differs: canonical request, string to sign, signature), with
 * the expected and actual text on stderr; then `N passed, N failed`.
 * Exit status: 0 all passed, 1 a case failed or none was found, 2 usage.
 */
#include "api/sigv4.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <json-c/json.h>

/* The classic suite's fixed inputs (its README). Test data, not product code. */
#define CLASSIC_ACCESS_KEY_ID "AKIDEXAMPLE"
#define CLASSIC_SECRET        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define CLASSIC_REGION        "us-east-1"
#define CLASSIC_SERVICE       "service"
#define CLASSIC_TIME          "20150830T123600Z"

static int passed, failed;

/* ---- Files ---- */

static char *read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[len] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
}

static bool file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Expected files end with or without a newline; compare without it. */
static void strip_trailing_newlines(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* ---- The suites' raw request format ---- */

struct raw_request {
    char *method, *path;
    struct sigv4_header *headers; /* names and values malloc'd */
    size_t n_headers;
    const char *body; /* points into the file text */
    size_t body_len;
};

static void raw_request_free(struct raw_request *r)
{
    free(r->method);
    free(r->path);
    for (size_t i = 0; i < r->n_headers; i++) {
        free((char *)r->headers[i].name);
        free((char *)r->headers[i].value);
    }
    free(r->headers);
    memset(r, 0, sizeof *r);
}

static char *dup_range(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* `METHOD SP path SP HTTP/1.1`, header lines (`Name:value`; a line starting
 * with a space or tab continues the previous value: RFC 7230's obs-fold,
 * which a recipient reads as one value with the fold, the line break and the
 * continuation's leading whitespace, replaced by a single space), a blank
 * line, the body. The path is
 * everything between the first and the last space: it may hold spaces. */
static int parse_request(const char *text, size_t len, struct raw_request *r, const char **why)
{
    memset(r, 0, sizeof *r);
    const char *end = text + len;
    const char *eol = memchr(text, '\n', len);
    const char *line_end = eol ? eol : end;
    size_t line_len = (size_t)(line_end - text);
    if (line_len && text[line_len - 1] == '\r')
        line_len--;
    const char *sp1 = memchr(text, ' ', line_len);
    const char *sp2 = NULL;
    for (const char *p = text + line_len; p > text; p--)
        if (p[-1] == ' ') {
            sp2 = p - 1;
            break;
        }
    if (!sp1 || sp1 == sp2 || !sp2) {
        *why = "the request line is not `METHOD path HTTP/x`";
        return -1;
    }
    r->method = dup_range(text, (size_t)(sp1 - text));
    r->path = dup_range(sp1 + 1, (size_t)(sp2 - sp1 - 1));

    size_t cap = 8;
    r->headers = malloc(cap * sizeof *r->headers);
    if (!r->method || !r->path || !r->headers) {
        *why = "out of memory";
        return -1;
    }
    const char *p = eol ? eol + 1 : end;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t ll = (size_t)(le - p);
        if (ll && p[ll - 1] == '\r')
            ll--;
        if (ll == 0) { /* the blank line: the body follows */
            p = nl ? nl + 1 : end;
            r->body = p;
            r->body_len = (size_t)(end - p);
            return 0;
        }
        if (p[0] == ' ' || p[0] == '\t') {
            if (r->n_headers == 0) {
                *why = "a continuation line before any header";
                return -1;
            }
            char **value = (char **)&r->headers[r->n_headers - 1].value;
            size_t old = strlen(*value), skip = 0;
            while (skip < ll && (p[skip] == ' ' || p[skip] == '\t'))
                skip++;
            char *v = realloc(*value, old + 1 + (ll - skip) + 1);
            if (!v) {
                *why = "out of memory";
                return -1;
            }
            v[old] = ' ';
            memcpy(v + old + 1, p + skip, ll - skip);
            v[old + 1 + ll - skip] = '\0';
            *value = v;
        } else {
            const char *colon = memchr(p, ':', ll);
            if (!colon) {
                *why = "a header line without ':'";
                return -1;
            }
            if (r->n_headers == cap) {
                struct sigv4_header *h = realloc(r->headers, 2 * cap * sizeof *h);
                if (!h) {
                    *why = "out of memory";
                    return -1;
                }
                r->headers = h;
                cap *= 2;
            }
            struct sigv4_header *h = &r->headers[r->n_headers++];
            h->name = dup_range(p, (size_t)(colon - p));
            h->value = dup_range(colon + 1, (size_t)(p + ll - colon - 1));
            if (!h->name || !h->value) {
                *why = "out of memory";
                return -1;
            }
        }
        p = nl ? nl + 1 : end;
    }
    r->body = end;
    r->body_len = 0;
    return 0;
}

/* Removes header `name` (any case) and returns its value (malloc'd), or NULL. */
static char *take_header(struct raw_request *r, const char *name)
{
    for (size_t i = 0; i < r->n_headers; i++) {
        if (strcasecmp(r->headers[i].name, name) == 0) {
            char *value = (char *)r->headers[i].value;
            free((char *)r->headers[i].name);
            memmove(&r->headers[i], &r->headers[i + 1],
                    (r->n_headers - i - 1) * sizeof *r->headers);
            r->n_headers--;
            return value;
        }
    }
    return NULL;
}

/* The value of the first `Name:value` line of text whose name is `name`
 * (any case), trimmed, malloc'd; NULL when there is none. */
static char *find_header_line(const char *text, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = text; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t ll = e ? (size_t)(e - p) : strlen(p);
        if (ll > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
            const char *v = p + nl + 1;
            size_t vl = ll - nl - 1;
            while (vl && (*v == ' ' || *v == '\t'))
                v++, vl--;
            while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t' || v[vl - 1] == '\r'))
                vl--;
            return dup_range(v, vl);
        }
        p = e ? e + 1 : NULL;
    }
    return NULL;
}

static int parse_amz_date(const char *s, time_t *out)
{
    struct tm tm = {0};
    char z = 0;
    if (!s ||
        sscanf(s, "%4d%2d%2dT%2d%2d%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &z) != 7 ||
        z != 'Z')
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = timegm(&tm);
    return 0;
}

static int parse_iso8601(const char *s, time_t *out)
{
    struct tm tm = {0};
    char z = 0;
    if (!s ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &z) != 7 ||
        z != 'Z')
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = timegm(&tm);
    return 0;
}

/* ---- Running one case ---- */

struct expected {
    char *canonical_request, *string_to_sign;
    char *signature;     /* aws-c-auth: hex only */
    char *authorization; /* classic: the whole header value */
};

static void expected_free(struct expected *e)
{
    free(e->canonical_request);
    free(e->string_to_sign);
    free(e->signature);
    free(e->authorization);
}

static void report_diff(const char *name, const char *stage, const char *want, const char *got)
{
    printf("not ok - %s: %s differs\n", name, stage);
    fprintf(stderr, "--- %s: expected %s:\n%s\n--- got:\n%s\n---\n", name, stage, want, got);
    failed++;
}

static void report_error(const char *name, const char *why)
{
    printf("not ok - %s: %s\n", name, why);
    failed++;
}

/* Signs through the stages and compares each with what the case expects. */
static void run_case(const char *name, const struct sigv4_params *params,
                     const struct raw_request *r, const struct expected *e)
{
    struct sigv4_request req = {r->method, r->path, r->headers, r->n_headers, r->body, r->body_len};
    struct sigv4_state st;
    struct sigv4_result res;
    int rc = sigv4_begin(&st, params, &req);
    rc = rc ? rc : sigv4_canonical_request(&st);
    if (rc == 0 && strcmp(st.canonical_request.data, e->canonical_request) != 0) {
        report_diff(name, "canonical request", e->canonical_request, st.canonical_request.data);
        goto out;
    }
    rc = rc ? rc : sigv4_string_to_sign(&st);
    if (rc == 0 && strcmp(st.string_to_sign, e->string_to_sign) != 0) {
        report_diff(name, "string to sign", e->string_to_sign, st.string_to_sign);
        goto out;
    }
    rc = rc ? rc : sigv4_signing_key(&st);
    rc = rc ? rc : sigv4_signature(&st);
    rc = rc ? rc : sigv4_authorization(&st, &res);
    if (rc) {
        char why[300];
        snprintf(why, sizeof why, "the signer refused: %s", st.error ? st.error : "?");
        report_error(name, why);
        goto out;
    }
    if (e->signature && strcmp(st.signature, e->signature) != 0) {
        report_diff(name, "signature", e->signature, st.signature);
        goto out;
    }
    if (e->authorization && strcmp(res.authorization, e->authorization) != 0) {
        report_diff(name, "signature (Authorization header)", e->authorization, res.authorization);
        goto out;
    }
    printf("ok - %s\n", name);
    passed++;
out:
    sigv4_end(&st);
}

static char *read_expected(const char *dir, const char *file)
{
    char *path = path_join(dir, file);
    char *text = path ? read_file(path, NULL) : NULL;
    free(path);
    if (text)
        strip_trailing_newlines(text);
    return text;
}

static void run_classic(const char *dir, const char *base, const char *name)
{
    char file[512];
    struct expected e = {0};
    struct raw_request r = {0};
    char *req_text = NULL, *sreq = NULL, *date = NULL, *token = NULL;
    const char *why = NULL;

    snprintf(file, sizeof file, "%s.creq", base);
    e.canonical_request = read_expected(dir, file);
    snprintf(file, sizeof file, "%s.sts", base);
    e.string_to_sign = read_expected(dir, file);
    snprintf(file, sizeof file, "%s.authz", base);
    e.authorization = read_expected(dir, file);
    snprintf(file, sizeof file, "%s.req", base);
    char *req_path = path_join(dir, file);
    size_t req_len = 0;
    req_text = req_path ? read_file(req_path, &req_len) : NULL;
    free(req_path);
    if (!req_text || !e.canonical_request || !e.string_to_sign || !e.authorization) {
        report_error(name, "a .req, .creq, .sts or .authz file is missing or unreadable");
        goto out;
    }
    if (parse_request(req_text, req_len, &r, &why) < 0) {
        report_error(name, why);
        goto out;
    }

    struct sigv4_params params = {
        .access_key_id = CLASSIC_ACCESS_KEY_ID,
        .secret_access_key = CLASSIC_SECRET,
        .region = CLASSIC_REGION,
        .service = CLASSIC_SERVICE,
        .normalize_path = true,
    };
    date = take_header(&r, "X-Amz-Date");
    if (parse_amz_date(date ? date : CLASSIC_TIME, &params.time) < 0) {
        report_error(name, "the request's X-Amz-Date is not YYYYMMDDTHHMMSSZ");
        goto out;
    }
    /* Where the token is tells whether it was signed (see the top comment). */
    token = take_header(&r, "X-Amz-Security-Token");
    if (!token)
        token = find_header_line(e.canonical_request, "x-amz-security-token");
    if (!token) {
        snprintf(file, sizeof file, "%s.sreq", base);
        char *sreq_path = path_join(dir, file);
        sreq = sreq_path ? read_file(sreq_path, NULL) : NULL;
        free(sreq_path);
        token = sreq ? find_header_line(sreq, "X-Amz-Security-Token") : NULL;
        params.omit_session_token = token != NULL;
    }
    params.session_token = token;
    run_case(name, &params, &r, &e);
out:
    raw_request_free(&r);
    expected_free(&e);
    free(req_text);
    free(sreq);
    free(date);
    free(token);
}

static const char *json_string(json_object *obj, const char *key)
{
    json_object *v;
    if (!obj || !json_object_object_get_ex(obj, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static bool ctx_bool(json_object *obj, const char *key, bool dflt)
{
    json_object *v;
    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_boolean))
        return dflt;
    return json_object_get_boolean(v);
}

static void run_aws_c_auth(const char *dir, const char *name)
{
    struct expected e = {0};
    struct raw_request r = {0};
    json_object *ctx = NULL;
    char *req_text = NULL;
    const char *why = NULL;

    e.canonical_request = read_expected(dir, "header-canonical-request.txt");
    e.string_to_sign = read_expected(dir, "header-string-to-sign.txt");
    e.signature = read_expected(dir, "header-signature.txt");
    if (!e.canonical_request && !e.string_to_sign && !e.signature) {
        printf("# skip %s: no header (Authorization) variant\n", name);
        goto out;
    }
    if (!e.canonical_request || !e.string_to_sign || !e.signature) {
        report_error(name, "a header-*.txt file is missing or unreadable");
        goto out;
    }
    char *ctx_path = path_join(dir, "context.json");
    ctx = ctx_path ? json_object_from_file(ctx_path) : NULL;
    free(ctx_path);
    char *req_path = path_join(dir, "request.txt");
    size_t req_len = 0;
    req_text = req_path ? read_file(req_path, &req_len) : NULL;
    free(req_path);
    if (!ctx || !json_object_is_type(ctx, json_type_object)) {
        report_error(name, "context.json is missing or not a JSON object");
        goto out;
    }
    if (!req_text || parse_request(req_text, req_len, &r, &why) < 0) {
        report_error(name, why ? why : "request.txt is missing or unreadable");
        goto out;
    }
    json_object *creds = NULL;
    json_object_object_get_ex(ctx, "credentials", &creds);
    struct sigv4_params params = {
        .access_key_id = json_string(creds, "access_key_id"),
        .secret_access_key = json_string(creds, "secret_access_key"),
        .session_token = json_string(creds, "token"),
        .region = json_string(ctx, "region"),
        .service = json_string(ctx, "service"),
        .normalize_path = ctx_bool(ctx, "normalize", true),
        .sign_body = ctx_bool(ctx, "sign_body", false),
        .omit_session_token = ctx_bool(ctx, "omit_session_token", false),
        .payload_hash = json_string(ctx, "signed_body_value"),
    };
    if (parse_iso8601(json_string(ctx, "timestamp"), &params.time) < 0) {
        report_error(name, "context.json has no timestamp like 2015-08-30T12:36:00Z");
        goto out;
    }
    run_case(name, &params, &r, &e);
out:
    json_object_put(ctx);
    raw_request_free(&r);
    expected_free(&e);
    free(req_text);
}

/* ---- Finding cases ---- */

static int walk(const char *root, const char *dir, int depth)
{
    if (depth > 16)
        return 0;
    const char *rel = dir + strlen(root);
    while (*rel == '/')
        rel++;
    const char *base = strrchr(dir, '/');
    base = base ? base + 1 : dir;
    const char *name = *rel ? rel : base;

    char file[512];
    snprintf(file, sizeof file, "%s.req", base);
    char *classic = path_join(dir, file);
    char *context = path_join(dir, "context.json");
    char *request = path_join(dir, "request.txt");
    if (classic && file_exists(classic))
        run_classic(dir, base, name);
    else if (context && request && file_exists(context) && file_exists(request))
        run_aws_c_auth(dir, name);
    free(classic);
    free(context);
    free(request);

    struct dirent **entries = NULL;
    int n = scandir(dir, &entries, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "sigv4-vectors: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const char *entry = entries[i]->d_name;
        if (entry[0] != '.') {
            char *sub = path_join(dir, entry);
            struct stat sb;
            if (sub && stat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
                walk(root, sub, depth + 1);
            free(sub);
        }
        free(entries[i]);
    }
    free(entries);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: sigv4-vectors DIR\n");
        return 2;
    }
    char *root = strdup(argv[1]);
    if (!root)
        return 2;
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        root[--n] = '\0';
    struct stat sb;
    if (stat(root, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "sigv4-vectors: %s: not a directory\n", root);
        free(root);
        return 2;
    }
    walk(root, root, 0);
    free(root);
    if (passed + failed == 0)
        fprintf(stderr, "sigv4-vectors: no test case found under %s\n", argv[1]);
    printf("%d passed, %d failed\n", passed, failed);
    return failed || passed == 0 ? 1 : 0;
}
