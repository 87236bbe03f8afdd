/* api/client.c — the one call path (api/client.h): table → read-only guard →
 * validation → sign → send → standard retries → parse. */
#include "api/client.h"
#include "api/pagination.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "api/endpoint.h"
#include "api/operations.h"
#include "api/protocol.h"
#include "api/retry.h"
#include "api/sigv4.h"
#include "api/transport.h"
#include "api/validate.h"

#ifndef COGNITO_TUI_VERSION
#define COGNITO_TUI_VERSION "0.1.0"
#endif
#define USER_AGENT      "cognito-tui/" COGNITO_TUI_VERSION
#define SIGNING_SERVICE "cognito-identity"
#define REDACTED        "***REDACTED***"

struct api_client {
    char *region;
    char *url;  /* endpoint, as requests go to it */
    char *host; /* Host header: host[:port], port only when not the scheme's default */
    char *path; /* request path, "/" unless the endpoint names one */
    bool read_only;
    int max_attempts;
    long connect_timeout_ms, timeout_ms;
    struct api_credentials_provider *credentials;
    api_clock_fn clock;
    api_sleep_fn sleep;
    api_random_fn random;
    void *hook_ctx;
    struct api_transport *transport;
    struct sigv4_key_cache key_cache; /* wiped on free */
    struct api_retry_quota quota;
    long long skew_s; /* server Date minus our clock, from the last answer with a Date */
    bool have_skew;
    long long clock_offset_s; /* added to our clock when signing, after a skew error */
    struct api_request *requests;
    int pending;
};

struct api_request {
    struct api_client *c;
    struct api_request *prev, *next;
    const struct api_operation *op;
    char *body;
    size_t body_len;
    int attempts;  /* attempts sent so far (the skew retry not counted) */
    int last_cost; /* quota taken by the last retry, 0 when none */
    bool skew_retried;
    bool blocking; /* api_call: back off with the sleep hook, inline */
    struct api_transfer *xfer;
    long long retry_at_ms; /* monotonic time of the next attempt; -1 = none due */
    api_done_fn done;
    void *ctx;
};

/* ---- hooks ---- */

static time_t real_clock(void *ctx)
{
    return time(NULL);
}

static void real_sleep(void *ctx, long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static double real_random(void *ctx)
{
    uint64_t v = 0;
    if (RAND_bytes((unsigned char *)&v, sizeof v) != 1)
        return 0.5;
    return (double)(v >> 11) / 9007199254740992.0; /* 53 bits -> [0, 1) */
}

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static time_t signing_time(const struct api_client *c)
{
    return c->clock(c->hook_ctx) + (time_t)c->clock_offset_s;
}

/* ---- client ---- */

static int parse_endpoint(struct api_client *c, const char *url, struct api_error *err)
{
    return api_endpoint_split(url, &c->url, &c->host, &c->path, err);
}

struct api_client *api_client_new(const struct api_client_options *opt, struct api_error *err)
{
    struct api_client *c;
    struct api_transport_options topt = {0};

    if (!opt || !opt->region || !opt->region[0]) {
        api_error_set(err, API_ERR_CREDENTIALS, "no region configured");
        return NULL;
    }
    if (!opt->endpoint_url || !opt->endpoint_url[0]) {
        api_error_set(err, API_ERR_CREDENTIALS, "no endpoint URL");
        return NULL;
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        return NULL;
    }
    c->region = strdup(opt->region);
    if (!c->region) {
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        goto fail;
    }
    if (parse_endpoint(c, opt->endpoint_url, err) != 0)
        goto fail;
    c->read_only = opt->read_only;
    c->max_attempts = opt->max_attempts > 0 ? opt->max_attempts : API_RETRY_DEFAULT_MAX_ATTEMPTS;
    c->connect_timeout_ms = opt->connect_timeout_ms > 0 ? opt->connect_timeout_ms : 5000;
    c->timeout_ms = opt->timeout_ms > 0 ? opt->timeout_ms : 60000;
    c->credentials = opt->credentials;
    c->clock = opt->clock ? opt->clock : real_clock;
    c->sleep = opt->sleep ? opt->sleep : real_sleep;
    c->random = opt->random ? opt->random : real_random;
    c->hook_ctx = opt->hook_ctx;
    api_retry_quota_init(&c->quota);
    topt.ca_bundle = opt->ca_bundle;
    c->transport = api_transport_new(&topt, err);
    if (!c->transport)
        goto fail;
    return c;
fail:
    api_client_free(c);
    return NULL;
}

static void request_free(struct api_request *r)
{
    struct api_client *c = r->c;

    if (r->prev)
        r->prev->next = r->next;
    else
        c->requests = r->next;
    if (r->next)
        r->next->prev = r->prev;
    c->pending--;
    if (r->xfer)
        api_transfer_cancel(r->xfer);
    if (r->body) {
        OPENSSL_cleanse(r->body, r->body_len);
        free(r->body);
    }
    free(r);
}

void api_client_free(struct api_client *c)
{
    if (!c)
        return;
    while (c->requests)
        request_free(c->requests);
    api_transport_free(c->transport);
    sigv4_key_cache_wipe(&c->key_cache);
    free(c->region);
    free(c->url);
    free(c->host);
    free(c->path);
    free(c);
}

bool api_client_read_only(const struct api_client *c)
{
    return c->read_only;
}

/* ---- building and signing one attempt ---- */

#define MAX_HEADERS 10

struct prepared {
    char target[128];
    char content_length[32];
    struct sigv4_result sig;
    bool signed_request;
    bool has_token;
    struct api_credentials creds; /* only between sign and send */
    struct api_http_header headers[MAX_HEADERS];
    size_t n_headers;
};

static void prepared_wipe(struct prepared *p)
{
    api_credentials_clear(&p->creds);
    OPENSSL_cleanse(&p->sig, sizeof p->sig);
}

/* Fills p->headers for op with body; signs unless the operation is unsigned.
 * The credentials are fetched here, per signature, and stay in p->creds only
 * until prepared_wipe(). */
static int prepare(struct api_client *c, const struct api_operation *op, const char *body,
                   size_t body_len, struct prepared *p, struct api_error *err)
{
    memset(p, 0, sizeof *p);
    if (api_protocol_target(op, p->target, sizeof p->target) != 0)
        return api_error_set(err, API_ERR_INVALID_INPUT, "operation name too long");
    snprintf(p->content_length, sizeof p->content_length, "%zu", body_len);
    p->headers[p->n_headers++] = (struct api_http_header){"Host", c->host};
    p->headers[p->n_headers++] =
        (struct api_http_header){"Content-Type", API_PROTOCOL_CONTENT_TYPE};
    p->headers[p->n_headers++] = (struct api_http_header){"X-Amz-Target", p->target};
    if (!op->is_unsigned) {
        time_t now = signing_time(c);
        struct sigv4_params sp = {0};

        if (!c->credentials)
            return api_error_set(err, API_ERR_CREDENTIALS,
                                 "%s must be signed and no credentials are configured", op->name);
        if (api_credentials_get(c->credentials, now, &p->creds, err) != 0)
            return -1;
        sp.access_key_id = p->creds.access_key_id;
        sp.secret_access_key = p->creds.secret_access_key;
        sp.session_token = p->creds.session_token;
        sp.region = c->region;
        sp.service = SIGNING_SERVICE;
        sp.time = now;
        sp.normalize_path = true;
        sp.cache = &c->key_cache;
        /* Only Host, Content-Type and X-Amz-Target are signed (User-Agent may be
         * rewritten by proxies; botocore leaves it out too). */
        struct sigv4_header to_sign[3];
        for (size_t i = 0; i < 3; i++)
            to_sign[i] = (struct sigv4_header){p->headers[i].name, p->headers[i].value};
        if (sigv4_sign_request(&sp, "POST", c->path, to_sign, 3, body, body_len, &p->sig) != 0) {
            prepared_wipe(p);
            return api_error_set(err, API_ERR_CREDENTIALS,
                                 "cannot sign %s (credentials or region unusable)", op->name);
        }
        p->signed_request = true;
        p->headers[p->n_headers++] = (struct api_http_header){"X-Amz-Date", p->sig.amz_date};
        if (p->sig.add_security_token && p->creds.session_token && p->creds.session_token[0]) {
            p->headers[p->n_headers++] =
                (struct api_http_header){"X-Amz-Security-Token", p->creds.session_token};
            p->has_token = true;
        }
        p->headers[p->n_headers++] =
            (struct api_http_header){"Authorization", p->sig.authorization};
    }
    p->headers[p->n_headers++] = (struct api_http_header){"User-Agent", USER_AGENT};
    return 0;
}

static void on_transfer_done(void *ctx, struct api_http_response *resp,
                             const struct api_error *terr);

static int send_attempt(struct api_request *r, struct api_error *err)
{
    struct api_client *c = r->c;
    struct prepared p;
    struct api_http_request req = {0};

    if (prepare(c, r->op, r->body, r->body_len, &p, err) != 0)
        return -1;
    req.method = "POST";
    req.url = c->url;
    req.headers = p.headers;
    req.n_headers = p.n_headers;
    req.body = r->body;
    req.body_len = r->body_len;
    req.connect_timeout_ms = c->connect_timeout_ms;
    req.timeout_ms = c->timeout_ms;
    r->xfer = api_transport_start(c->transport, &req, on_transfer_done, r, err);
    prepared_wipe(&p); /* the transport copied what it sends */
    if (!r->xfer)
        return -1;
    r->attempts++;
    return 0;
}

static void finish(struct api_request *r, json_object *output, struct api_error *err)
{
    api_done_fn done = r->done;
    void *ctx = r->ctx;

    request_free(r);
    if (done)
        done(ctx, output, err);
    else
        json_object_put(output);
}

static void track_date(struct api_client *c, const struct api_http_response *resp)
{
    const char *date = api_http_response_header(resp, "Date");
    time_t server;

    if (!date)
        return;
    server = curl_getdate(date, NULL);
    if (server == (time_t)-1)
        return;
    c->skew_s = (long long)server - (long long)c->clock(c->hook_ctx);
    c->have_skew = true;
}

static void on_transfer_done(void *ctx, struct api_http_response *resp,
                             const struct api_error *terr)
{
    struct api_request *r = ctx;
    struct api_client *c = r->c;
    struct api_error err;
    json_object *output = NULL;
    char rid[128] = "";
    int rc = -1;

    r->xfer = NULL;
    api_error_clear(&err);
    if (terr->kind != API_ERR_NONE) {
        err = *terr;
    } else {
        track_date(c, resp);
        rc = api_protocol_parse_response(r->op, resp, &output, rid, sizeof rid, &err);
    }
    api_http_response_free(resp);
    if (rc == 0) {
        api_retry_quota_release(&c->quota, r->last_cost);
        api_error_clear(&err);
        snprintf(err.request_id, sizeof err.request_id, "%s", rid);
        finish(r, output, &err);
        return;
    }

    /* Clock skew: one extra attempt, signed at the server's time. The skew
     * that matters is the server's time against the time we sign with (our
     * clock plus the correction so far): after a correction our own clock
     * may be set right (NTP), and the correction must then go again. */
    long long signing_skew = c->skew_s - c->clock_offset_s;
    if ((err.kind == API_ERR_AWS || err.kind == API_ERR_HTTP) && api_retry_is_skew_code(err.code) &&
        !r->op->is_unsigned && !r->skew_retried && c->have_skew &&
        (signing_skew > API_RETRY_SKEW_THRESHOLD_S || signing_skew < -API_RETRY_SKEW_THRESHOLD_S)) {
        struct api_error serr;
        r->skew_retried = true;
        c->clock_offset_s = c->skew_s;
        r->attempts--;
        if (send_attempt(r, &serr) == 0)
            return;
        r->attempts++;
    }

    enum api_retry_class cls = api_retry_classify(&err);
    if (cls != API_RETRY_NO && r->attempts < c->max_attempts) {
        int cost = api_retry_quota_acquire(&c->quota, cls);
        if (cost > 0) {
            long delay = api_retry_delay_ms(r->attempts, c->random(c->hook_ctx));
            r->last_cost = cost;
            if (!r->blocking) {
                r->retry_at_ms = monotonic_ms() + delay;
                return;
            }
            if (delay > 0)
                c->sleep(c->hook_ctx, delay);
            struct api_error serr;
            if (send_attempt(r, &serr) == 0)
                return;
            err = serr;
            cls = API_RETRY_NO;
        }
    }
    err.retryable = cls != API_RETRY_NO;
    finish(r, NULL, &err);
}

/* ---- the call path ---- */

/* Table, read-only guard, validation, body: everything before signing. */
static const struct api_operation *check_call(struct api_client *c, const char *operation,
                                              json_object *input, char **body, size_t *body_len,
                                              int redact, struct api_error *err)
{
    const struct api_operation *op = api_operation_find(operation);

    if (!op) {
        api_error_set(err, API_ERR_INVALID_INPUT, "unknown operation %.100s",
                      operation ? operation : "(none)");
        return NULL;
    }
    if (c->read_only && !op->pure_read) {
        api_error_set(err, API_ERR_READ_ONLY,
                      "%s is refused in read-only mode (only the 8 pure reads are allowed)",
                      op->name);
        return NULL;
    }
    if (api_validate(op->input, input, err) != 0)
        return NULL;
    if (api_protocol_body(op, input, redact, body, body_len, err) != 0)
        return NULL;
    return op;
}

static struct api_request *start(struct api_client *c, const char *operation, json_object *input,
                                 bool blocking, api_done_fn done, void *ctx, struct api_error *err)
{
    char *body = NULL;
    size_t body_len = 0;
    const struct api_operation *op = check_call(c, operation, input, &body, &body_len, 0, err);
    struct api_request *r;

    if (!op)
        return NULL;
    r = calloc(1, sizeof *r);
    if (!r) {
        OPENSSL_cleanse(body, body_len);
        free(body);
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        return NULL;
    }
    r->c = c;
    r->op = op;
    r->body = body;
    r->body_len = body_len;
    r->blocking = blocking;
    r->retry_at_ms = -1;
    r->done = done;
    r->ctx = ctx;
    r->next = c->requests;
    if (c->requests)
        c->requests->prev = r;
    c->requests = r;
    c->pending++;
    if (send_attempt(r, err) != 0) {
        request_free(r);
        return NULL;
    }
    return r;
}

struct api_request *api_call_start(struct api_client *c, const char *operation, json_object *input,
                                   api_done_fn done, void *ctx, struct api_error *err)
{
    return start(c, operation, input, false, done, ctx, err);
}

struct blocking_result {
    bool done;
    json_object *output;
    struct api_error err;
};

static void blocking_done(void *ctx, json_object *output, const struct api_error *err)
{
    struct blocking_result *b = ctx;

    b->done = true;
    b->output = output;
    b->err = *err;
}

int api_call(struct api_client *c, const char *operation, json_object *input, json_object **output,
             struct api_error *err)
{
    struct blocking_result b = {0};

    *output = NULL;
    if (!start(c, operation, input, true, blocking_done, &b, err))
        return -1;
    while (!b.done && api_transport_pending(c->transport) > 0)
        api_transport_wait(c->transport, &b.done);
    if (!b.done)
        return api_error_set(err, API_ERR_TRANSPORT, "the request ended without an answer");
    *err = b.err;
    if (b.err.kind != API_ERR_NONE) {
        json_object_put(b.output);
        return -1;
    }
    *output = b.output;
    return 0;
}

/* ---- dry run ---- */

static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = *cap ? *cap : 1024;
        while (nc < *len + n + 1)
            nc *= 2;
        char *nb = realloc(*buf, nc);
        if (!nb)
            return -1;
        *buf = nb;
        *cap = nc;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

static int append_line(char **buf, size_t *len, size_t *cap, const char *name, const char *value)
{
    return append(buf, len, cap, name, strlen(name)) || append(buf, len, cap, ": ", 2) ||
                   append(buf, len, cap, value, strlen(value)) || append(buf, len, cap, "\n", 1)
               ? -1
               : 0;
}

/* The Authorization value with the signature cut off. */
static void redact_authorization(const char *auth, char *out, size_t size)
{
    const char *sig = strstr(auth, "Signature=");
    if (!sig)
        snprintf(out, size, "%s", REDACTED);
    else
        snprintf(out, size, "%.*sSignature=%s", (int)(sig - auth), auth, REDACTED);
}

int api_dry_run(struct api_client *c, const char *operation, json_object *input, char **text,
                struct api_error *err)
{
    char *body = NULL, *shown = NULL, *buf = NULL;
    size_t body_len = 0, shown_len = 0, len = 0, cap = 0;
    const struct api_operation *op;
    struct prepared p;
    int rc = -1;

    *text = NULL;
    op = check_call(c, operation, input, &body, &body_len, 0, err);
    if (!op)
        return -1;
    if (api_protocol_body(op, input, 1, &shown, &shown_len, err) != 0)
        goto out;
    if (prepare(c, op, body, body_len, &p, err) != 0)
        goto out;
    bool failed = append(&buf, &len, &cap, "POST ", 5) ||
                  append(&buf, &len, &cap, c->url, strlen(c->url)) ||
                  append(&buf, &len, &cap, "\n", 1);
    for (size_t i = 0; i < p.n_headers && !failed; i++) {
        const char *name = p.headers[i].name;
        char auth[sizeof p.sig.authorization + 32];
        const char *value = p.headers[i].value;
        if (strcasecmp(name, "Authorization") == 0) {
            redact_authorization(value, auth, sizeof auth);
            value = auth;
        } else if (strcasecmp(name, "X-Amz-Security-Token") == 0) {
            value = REDACTED;
        }
        failed = append_line(&buf, &len, &cap, name, value) != 0;
    }
    failed = failed || append_line(&buf, &len, &cap, "Content-Length", p.content_length) ||
             append(&buf, &len, &cap, "\n", 1) || append(&buf, &len, &cap, shown, shown_len) ||
             append(&buf, &len, &cap, "\n", 1);
    prepared_wipe(&p);
    if (failed) {
        free(buf);
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        goto out;
    }
    *text = buf;
    rc = 0;
out:
    if (body) {
        OPENSSL_cleanse(body, body_len);
        free(body);
    }
    free(shown);
    return rc;
}

/* ---- asynchronous driving ---- */

int api_client_pollfds(struct api_client *c, struct pollfd *fds, int max, int *timeout_ms)
{
    int t = -1;
    int n = api_transport_pollfds(c->transport, fds, max, &t);
    long long now = monotonic_ms();

    for (struct api_request *r = c->requests; r; r = r->next) {
        if (r->retry_at_ms < 0)
            continue;
        long long left = r->retry_at_ms - now;
        int l = left < 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
        if (t < 0 || l < t)
            t = l;
    }
    if (timeout_ms)
        *timeout_ms = t;
    return n;
}

void api_client_perform(struct api_client *c)
{
    api_transport_perform(c->transport);
    /* Start the retries that are due. One at a time, from the top: a callback
     * may start or cancel requests and change the list under us. */
    for (;;) {
        long long now = monotonic_ms();
        struct api_request *due = NULL;
        for (struct api_request *r = c->requests; r && !due; r = r->next)
            if (r->retry_at_ms >= 0 && r->retry_at_ms <= now)
                due = r;
        if (!due)
            break;
        due->retry_at_ms = -1;
        struct api_error err;
        if (send_attempt(due, &err) != 0)
            finish(due, NULL, &err);
    }
}

int api_client_pending(const struct api_client *c)
{
    return c->pending;
}

void api_request_cancel(struct api_request *r)
{
    struct api_error err;

    if (!r)
        return;
    api_error_set(&err, API_ERR_CANCELLED, "%s cancelled", r->op->name);
    finish(r, NULL, &err);
}

/* ---- pagination ---- */

int api_paginate(struct api_client *c, const char *operation, json_object *input,
                 api_page_fn on_page, void *ctx, struct api_error *err)
{
    json_object *in = input ? json_object_get(input) : json_object_new_object();
    char *previous = NULL;
    int rc = -1;

    if (!in)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    if (input) {
        json_object *copy = NULL;
        json_object_put(in);
        if (json_object_deep_copy(input, &copy, NULL) != 0 || !copy)
            return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
        in = copy;
    }
    for (;;) {
        json_object *page = NULL;
        if (api_call(c, operation, in, &page, err) != 0)
            break;
        char rid[sizeof err->request_id];
        snprintf(rid, sizeof rid, "%s", err->request_id);
        int stop = on_page(ctx, page, err);
        if (stop < 0) {
            json_object_put(page);
            break;
        }
        enum api_page_step step = stop > 0 ? API_PAGE_DONE : api_page_advance(&previous, page);
        bool done = step == API_PAGE_DONE || step == API_PAGE_REPEATED;
        if (step == API_PAGE_NO_MEMORY ||
            (step == API_PAGE_NEXT &&
             json_object_object_add(in, "NextToken", json_object_new_string(previous)) != 0)) {
            json_object_put(page);
            api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
            break;
        }
        json_object_put(page);
        if (done) {
            api_error_clear(err);
            snprintf(err->request_id, sizeof err->request_id, "%s", rid);
            rc = 0;
            break;
        }
    }
    free(previous);
    json_object_put(in);
    return rc;
}
