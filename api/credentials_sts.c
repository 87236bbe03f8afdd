/* api/credentials_sts.c — the STS query-protocol call shared by assume role
 * and web identity: a form-encoded POST (Action=...&Version=2011-06-15),
 * SigV4-signed with service `sts` when there are credentials to sign with,
 * and an XML answer. libxml2 is not a dependency, so the few elements needed
 * (Credentials/AccessKeyId, SecretAccessKey, SessionToken, Expiration;
 * Error/Code, Message) are taken by a small extractor: it finds an element by
 * its exact tag, refuses nested or unterminated ones, and decodes the five
 * predefined entities and numeric character references. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/credentials_sts.h"
#include "api/sigv4.h"
#include "api/transport.h"

#define STS_TIMEOUT_MS 30000

int cred_form_append(struct cred_buf *b, const char *key, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t need = b->len + strlen(key) + 3 * strlen(value) + 3;

    if (b->failed)
        return -1;
    if (need > b->cap) {
        size_t cap = need * 2;
        char *grown = malloc(cap);
        if (!grown) {
            b->failed = true;
            return -1;
        }
        if (b->data) {
            memcpy(grown, b->data, b->len);
            OPENSSL_cleanse(b->data, b->cap);
            free(b->data);
        }
        b->data = grown, b->cap = cap;
    }
    if (b->len)
        b->data[b->len++] = '&';
    for (const char *k = key; *k; k++)
        b->data[b->len++] = *k;
    b->data[b->len++] = '=';
    for (const unsigned char *v = (const unsigned char *)value; *v; v++) {
        if ((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') || (*v >= '0' && *v <= '9') ||
            *v == '-' || *v == '_' || *v == '.' || *v == '~') {
            b->data[b->len++] = (char)*v;
        } else {
            b->data[b->len++] = '%';
            b->data[b->len++] = hex[*v >> 4];
            b->data[b->len++] = hex[*v & 15];
        }
    }
    b->data[b->len] = '\0';
    return 0;
}

void cred_buf_free(struct cred_buf *b)
{
    if (b->data) {
        OPENSSL_cleanse(b->data, b->cap);
        free(b->data);
    }
    memset(b, 0, sizeof *b);
}

/* Appends the UTF-8 encoding of code point cp. */
static size_t put_utf8(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

char *cred_xml_text(const char *from, const char *to, const char *tag)
{
    char open[80], close[80];
    const char *a, *b;
    char *out, *o;

    if (snprintf(open, sizeof open, "<%s>", tag) >= (int)sizeof open)
        return NULL;
    snprintf(close, sizeof close, "</%s>", tag);
    a = memmem(from, (size_t)(to - from), open, strlen(open));
    if (!a)
        return NULL;
    a += strlen(open);
    b = memmem(a, (size_t)(to - a), close, strlen(close));
    if (!b || memchr(a, '<', (size_t)(b - a))) /* unterminated, or not plain text */
        return NULL;
    out = malloc((size_t)(b - a) + 1);
    if (!out)
        return NULL;
    for (o = out; a < b;) {
        if (*a != '&') {
            *o++ = *a++;
            continue;
        }
        const char *semi = memchr(a, ';', (size_t)(b - a));
        size_t n = semi ? (size_t)(semi - a) : 0;
        if (n == 3 && !memcmp(a, "&lt", 3))
            *o++ = '<';
        else if (n == 3 && !memcmp(a, "&gt", 3))
            *o++ = '>';
        else if (n == 4 && !memcmp(a, "&amp", 4))
            *o++ = '&';
        else if (n == 5 && !memcmp(a, "&quot", 5))
            *o++ = '"';
        else if (n == 5 && !memcmp(a, "&apos", 5))
            *o++ = '\'';
        else if (n >= 3 && n <= 9 && a[1] == '#') {
            char num[12];
            char *end;
            unsigned long cp;
            memcpy(num, a + 2, n - 2);
            num[n - 2] = '\0';
            cp = num[0] == 'x' ? strtoul(num + 1, &end, 16) : strtoul(num, &end, 10);
            if (*end || end == num || cp == 0 || cp > 0x10FFFF || (num[0] == 'x' && !num[1])) {
                *o = '\0';
                cred_wipe_free(out);
                return NULL;
            }
            o += put_utf8(o, cp); /* an entity is at least 4 bytes, its UTF-8 at most 4 */
        } else {
            *o = '\0';
            cred_wipe_free(out);
            return NULL;
        }
        a = semi + 1;
    }
    *o = '\0';
    return out;
}

/* "https://host:port/path" → Host header value and request path. */
static int split_url(const char *url, char *host, size_t host_size, const char **path)
{
    const char *h = strstr(url, "://"), *slash;

    if (!h)
        return -1;
    h += 3;
    slash = strchr(h, '/');
    *path = slash ? slash : "/";
    size_t n = slash ? (size_t)(slash - h) : strlen(h);
    if (n == 0 || n >= host_size)
        return -1;
    memcpy(host, h, n);
    host[n] = '\0';
    return 0;
}

static int sts_error(const struct api_http_response *resp, const char *action, const char *what,
                     struct api_error *err)
{
    const char *body = resp->body, *end = resp->body + resp->body_len;
    char *code = cred_xml_text(body, end, "Code"), *msg = cred_xml_text(body, end, "Message");

    if (code) {
        api_error_set(err, API_ERR_CREDENTIALS, "%s: STS %s failed: %s%s%.300s (HTTP %ld)", what,
                      action, code, msg ? ": " : "", msg ? msg : "", resp->status);
        snprintf(err->code, sizeof err->code, "%s", code);
    } else {
        api_error_set(err, API_ERR_CREDENTIALS,
                      "%s: STS %s failed with HTTP %ld and no STS error in the answer", what,
                      action, resp->status);
    }
    err->http_status = resp->status;
    free(code);
    free(msg);
    return -1;
}

struct cred_sts_call {
    struct api_transfer *xfer;
    cred_sts_done_fn done;
    void *ctx;
    char action[64];
    char what[300];
    char endpoint[300];
};

static void sts_answered(void *ctx, struct api_http_response *resp, const struct api_error *terr)
{
    struct cred_sts_call *c = ctx;
    cred_sts_done_fn done = c->done;
    void *done_ctx = c->ctx;
    struct api_error err = *terr;
    int rc = -1;

    if (terr->kind != API_ERR_NONE)
        cred_error_prefix(&err, "%.200s: STS %s at %.200s", c->what, c->action, c->endpoint);
    else if (resp->status != 200)
        sts_error(resp, c->action, c->what, &err);
    else
        rc = 0;
    free(c);
    if (rc != 0)
        api_http_response_free(resp);
    done(done_ctx, rc, rc == 0 ? resp : NULL, &err);
    if (rc == 0)
        api_http_response_free(resp);
}

struct cred_sts_call *cred_sts_start(const struct cred_sts_request *rq, cred_sts_done_fn done,
                                     void *ctx, struct api_error *err)
{
    char host[256];
    const char *path;
    struct sigv4_header sig_headers[2];
    struct api_http_header headers[6];
    struct sigv4_result sig;
    struct api_http_request req = {0};
    struct cred_sts_call *c;
    size_t nh = 0;

    if (split_url(rq->endpoint, host, sizeof host, &path) != 0) {
        api_error_set(err, API_ERR_CREDENTIALS, "%s: bad STS endpoint %.200s", rq->what,
                      rq->endpoint);
        return NULL;
    }
    headers[nh++] = (struct api_http_header){"Host", host};
    headers[nh++] = (struct api_http_header){"Content-Type",
                                             "application/x-www-form-urlencoded; charset=utf-8"};
    if (rq->signer) {
        struct sigv4_params sp = {.access_key_id = rq->signer->access_key_id,
                                  .secret_access_key = rq->signer->secret_access_key,
                                  .session_token = rq->signer->session_token,
                                  .region = rq->region,
                                  .service = "sts",
                                  .time = rq->now,
                                  .normalize_path = true};
        sig_headers[0] = (struct sigv4_header){"Host", host};
        sig_headers[1] = (struct sigv4_header){"Content-Type", headers[1].value};
        if (sigv4_sign_request(&sp, "POST", path, sig_headers, 2, rq->body, strlen(rq->body),
                               &sig) != 0) {
            api_error_set(err, API_ERR_CREDENTIALS,
                          "%s: cannot sign the STS request (bad source credentials?)", rq->what);
            return NULL;
        }
        headers[nh++] = (struct api_http_header){"X-Amz-Date", sig.amz_date};
        headers[nh++] = (struct api_http_header){"Authorization", sig.authorization};
        if (sig.add_security_token)
            headers[nh++] =
                (struct api_http_header){"X-Amz-Security-Token", rq->signer->session_token};
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        if (rq->signer)
            OPENSSL_cleanse(&sig, sizeof sig);
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    c->done = done;
    c->ctx = ctx;
    snprintf(c->action, sizeof c->action, "%s", rq->action);
    snprintf(c->what, sizeof c->what, "%s", rq->what);
    snprintf(c->endpoint, sizeof c->endpoint, "%s", rq->endpoint);
    req.method = "POST";
    req.url = rq->endpoint;
    req.headers = headers;
    req.n_headers = nh;
    req.body = rq->body;
    req.body_len = strlen(rq->body);
    req.timeout_ms = STS_TIMEOUT_MS;
    c->xfer = cred_loop_http(rq->loop, &req, sts_answered, c, err); /* https or loopback */
    if (rq->signer)
        OPENSSL_cleanse(&sig, sizeof sig); /* the transport copied what it sends */
    if (!c->xfer) {
        cred_error_prefix(err, "%.200s: STS %s at %.200s", rq->what, rq->action, rq->endpoint);
        free(c);
        return NULL;
    }
    return c;
}

void cred_sts_cancel(struct cred_sts_call *c)
{
    if (c) {
        api_transfer_cancel(c->xfer);
        free(c);
    }
}

int cred_sts_credentials(const struct api_http_response *resp, const char *action, const char *what,
                         struct api_credentials *out, struct api_error *err)
{
    const char *body = resp->body, *end = resp->body + resp->body_len;
    const char *creds = memmem(body, resp->body_len, "<Credentials>", 13);
    char *exp = NULL;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (creds) {
        out->access_key_id = cred_xml_text(creds, end, "AccessKeyId");
        out->secret_access_key = cred_xml_text(creds, end, "SecretAccessKey");
        out->session_token = cred_xml_text(creds, end, "SessionToken");
        exp = cred_xml_text(creds, end, "Expiration");
    }
    if (!out->access_key_id || !out->secret_access_key || !out->session_token || !exp ||
        cred_parse_time(exp, &out->expiration) != 0) {
        api_credentials_clear(out);
        api_error_set(err, API_ERR_CREDENTIALS,
                      "%s: the STS %s answer has no complete Credentials element", what, action);
    } else {
        rc = 0;
    }
    free(exp);
    return rc;
}
