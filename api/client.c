/* api/client.c — the one call path (api/client.h): table → read-only guard →
 * validation → sign → send → standard retries → parse. */
#include "api/client.h"

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
#include "api/rate_limiter.h"
#include "api/retry.h"
#include "api/sigv4.h"
#include "api/transport.h"
#include "api/validate.h"

#ifndef COGNITO_TUI_VERSION
#define COGNITO_TUI_VERSION "0.1.0"
#endif
#define USER_AGENT      "cognito-tui/" COGNITO_TUI_VERSION
#define SIGNING_SERVICE "cognito-identity"

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
    api_monotonic_fn monotonic;
    void *hook_ctx;
    struct api_transport *transport;
    struct sigv4_key_cache key_cache; /* wiped on free */
    struct api_retry_quota quota;
    long long skew_s; /* server Date minus our clock, from the last answer with a Date */
    bool have_skew;
    long long clock_offset_s; /* added to our clock when signing, after a skew error */
    struct api_request *requests;
    int pending;
    struct api_rate_limiter *limiter;     /* in use; NULL = standard mode */
    struct api_rate_limiter *own_limiter; /* made for options.adaptive */
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
    bool blocking;             /* api_call: back off with the sleep hook, inline */
    bool background;           /* yields limiter tokens to foreground requests of its operation */
    bool sent;                 /* an attempt may have reached the service */
    bool unknown;              /* an attempt of a mutating call ended sent and unanswered */
    bool no_more;              /* api_request_stop_retries(): no further attempt */
    struct api_error last_err; /* the failure a pending retry would answer */
    struct api_transfer *xfer;
    struct api_credentials_op *cred_op; /* fetching credentials for the next attempt */
    long long retry_at_ms;              /* monotonic time of the next attempt; -1 = none due */
    long long token_wait_ms;            /* since when it waits for a token; -1 = not waiting */
    bool limited;                       /* this attempt took a token from the rate limiter */
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

static double real_monotonic(void *ctx)
{
    return monotonic_ms() / 1e3;
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
    c->monotonic = opt->monotonic ? opt->monotonic : real_monotonic;
    c->hook_ctx = opt->hook_ctx;
    api_retry_quota_init(&c->quota);
    if (opt->adaptive) {
        c->own_limiter = c->limiter = api_rate_limiter_new(NULL);
        if (!c->limiter) {
            api_error_set(err, API_ERR_TRANSPORT, "out of memory");
            goto fail;
        }
    }
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
    api_credentials_op_cancel(r->cred_op); /* nobody else waiting: the fetch stops */
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
    api_rate_limiter_free(c->own_limiter);
    sigv4_key_cache_wipe(&c->key_cache);
    free(c->region);
    free(c->url);
    free(c->host);
    free(c->path);
    free(c);
}

void api_client_set_rate_limiter(struct api_client *c, struct api_rate_limiter *limiter)
{
    c->limiter = limiter ? limiter : c->own_limiter;
}

bool api_client_read_only(const struct api_client *c)
{
    return c->read_only;
}

/* ---- building and signing one attempt ---- */

void api_prepared_request_wipe(struct api_prepared_request *p)
{
    api_credentials_clear(&p->creds);
    OPENSSL_cleanse(&p->sig, sizeof p->sig);
    if (p->body) {
        OPENSSL_cleanse(p->body, p->body_len);
        free(p->body);
    }
    p->body = NULL;
    p->body_len = 0;
}

/* Fills p->headers for op with body; signs unless the operation is unsigned,
 * with `creds` (taken: moved into p->creds, which holds them only until
 * api_prepared_request_wipe(); NULL for an unsigned operation). */
static int prepare(struct api_client *c, const struct api_operation *op, const char *body,
                   size_t body_len, struct api_credentials *creds, struct api_prepared_request *p,
                   struct api_error *err)
{
    memset(p, 0, sizeof *p);
    if (creds) {
        p->creds = *creds;
        memset(creds, 0, sizeof *creds);
    }
    p->url = c->url;
    if (api_protocol_target(op, p->target, sizeof p->target) != 0) {
        api_prepared_request_wipe(p);
        return api_error_set(err, API_ERR_INVALID_INPUT, "operation name too long");
    }
    snprintf(p->content_length, sizeof p->content_length, "%zu", body_len);
    p->headers[p->n_headers++] = (struct api_http_header){"Host", c->host};
    p->headers[p->n_headers++] =
        (struct api_http_header){"Content-Type", API_PROTOCOL_CONTENT_TYPE};
    p->headers[p->n_headers++] = (struct api_http_header){"X-Amz-Target", p->target};
    if (!op->is_unsigned) {
        time_t now = signing_time(c);
        struct sigv4_params sp = {0};

        if (!p->creds.access_key_id)
            return api_error_set(err, API_ERR_CREDENTIALS,
                                 "%s must be signed and no credentials are configured", op->name);
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
            api_prepared_request_wipe(p);
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

/* Signs with `creds` (taken; NULL for an unsigned operation) and sends. */
static int sign_and_send(struct api_request *r, struct api_credentials *creds,
                         struct api_error *err)
{
    struct api_client *c = r->c;
    struct api_prepared_request p;
    struct api_http_request req = {0};

    if (prepare(c, r->op, r->body, r->body_len, creds, &p, err) != 0)
        return -1;
    req.method = "POST";
    req.url = c->url;
    req.headers = p.headers;
    req.n_headers = p.n_headers;
    req.body = r->body;
    req.body_len = r->body_len;
    req.connect_timeout_ms = c->connect_timeout_ms;
    req.timeout_ms = c->timeout_ms;
    /* After an unknown outcome a retry happens only for repeatable calls; the
     * same rule holds inside one attempt, where libcurl may re-send. */
    req.send_once = !r->op->repeatable;
    r->xfer = api_transport_start(c->transport, &req, on_transfer_done, r, err);
    api_prepared_request_wipe(&p); /* the transport copied what it sends */
    if (!r->xfer)
        return -1;
    r->attempts++;
    return 0;
}

static void finish_failed(struct api_request *r, struct api_error *err);

/* The credentials an attempt waited for: sign and send, or fail. Called
 * from api_credentials_perform(), so from api_client_perform(). */
static void on_credentials(void *ctx, int rc, struct api_credentials *creds,
                           const struct api_error *err)
{
    struct api_request *r = ctx;
    struct api_error e = *err;

    r->cred_op = NULL;
    if (rc == 0) {
        api_error_clear(&e);
        if (sign_and_send(r, creds, &e) == 0)
            return;
    }
    finish_failed(r, &e);
}

/* One attempt: credentials (asked for each signature; an asynchronous
 * request waits for them in the "fetching credentials" state, a blocking
 * one fetches them here), then sign and send. Returns 0 (sent, or waiting
 * for credentials), or -1 with err. */
static int send_attempt(struct api_request *r, struct api_error *err)
{
    struct api_client *c = r->c;
    struct api_credentials creds = {0};
    int rc;

    if (r->op->is_unsigned)
        return sign_and_send(r, NULL, err);
    if (!c->credentials)
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "%s must be signed and no credentials are configured", r->op->name);
    if (r->blocking)
        rc = api_credentials_get(c->credentials, signing_time(c), &creds, err);
    else
        rc = api_credentials_start(c->credentials, signing_time(c), &creds, on_credentials, r,
                                   &r->cred_op, err);
    if (rc == API_CREDENTIALS_PENDING)
        return 0;
    if (rc != 0)
        return -1;
    return sign_and_send(r, &creds, err);
}

/* A foreground request of r's operation waiting for a token, or NULL. */
static struct api_request *foreground_waiter(struct api_client *c, const struct api_request *r)
{
    for (struct api_request *o = c->requests; o; o = o->next)
        if (o != r && o->op == r->op && !o->background && o->token_wait_ms >= 0 &&
            o->retry_at_ms >= 0 && !o->no_more)
            return o;
    return NULL;
}

/* An attempt, once the rate limiter (adaptive mode) gives it a token: at
 * once, after a blocking wait, or later from api_client_perform() when the
 * call is asynchronous (the wait is a timer api_client_pollfds() reports).
 * Returns what send_attempt() returns; 0 also when the attempt is set for
 * later. */
static int launch(struct api_request *r, struct api_error *err)
{
    struct api_client *c = r->c;

    r->limited = false;
    if (c->limiter && r->background && !r->blocking) {
        struct api_request *fg = foreground_waiter(c, r);
        if (fg) { /* after it */
            if (r->token_wait_ms < 0)
                r->token_wait_ms = monotonic_ms();
            r->retry_at_ms = fg->retry_at_ms + 1;
            return 0;
        }
    }
    if (c->limiter) {
        for (;;) {
            double wait =
                api_rate_limiter_acquire(c->limiter, r->op->name, c->monotonic(c->hook_ctx));
            if (wait <= 0)
                break;
            long ms = (long)(wait * 1000.0) + 1;
            if (!r->blocking) {
                if (r->token_wait_ms < 0)
                    r->token_wait_ms = monotonic_ms();
                r->retry_at_ms = monotonic_ms() + ms;
                return 0;
            }
            c->sleep(c->hook_ctx, ms);
        }
        r->limited = true;
        r->token_wait_ms = -1;
    }
    return send_attempt(r, err);
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

/* A failed call ends here: err gets what the whole call, over all its
 * attempts, says about reaching the service (api/error.h). */
static void finish_failed(struct api_request *r, struct api_error *err)
{
    err->sent = r->sent;
    err->outcome_unknown = r->unknown;
    finish(r, NULL, err);
}

/* Whether an attempt that failed with err, given its transport error terr
 * (kind API_ERR_NONE when an answer came whole), leaves the outcome of a
 * change unknown: it was sent and no complete answer says it failed. An
 * answer whose status line came with a status of 300 or more is the
 * service's (or its front door's) "no", whole body or not; a 2xx whose body
 * cannot be read says "done" with the details lost. */
static bool attempt_unknown(const struct api_request *r, const struct api_error *terr,
                            const struct api_error *err)
{
    bool sent = terr->kind == API_ERR_NONE || terr->sent;

    if (!r->op->mutates || !sent)
        return false;
    return err->http_status < 300;
}

bool api_client_clock_note(const struct api_client *c, char *buf, size_t size)
{
    long long s = c->skew_s, a = s < 0 ? -s : s;
    char amount[64];

    if (!c->have_skew || a <= API_CLIENT_CLOCK_NOTE_S)
        return false;
    if (a >= 2 * 86400)
        snprintf(amount, sizeof amount, "%lld days", a / 86400);
    else if (a >= 3600)
        snprintf(amount, sizeof amount, "%lld h %lld min", a / 3600, a % 3600 / 60);
    else
        snprintf(amount, sizeof amount, "%lld min", a / 60);
    snprintf(buf, size, "this machine's clock is %s %s the service's%s", amount,
             s > 0 ? "behind" : "ahead of",
             a > API_CLIENT_MAX_CORRECTION_S
                 ? ": more than the 24 h the client corrects, so requests may be refused; set "
                   "the clock right"
             : c->clock_offset_s ? ": requests are signed at the service's time"
                                 : ": the service may refuse requests; set the clock right");
    return true;
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
    if (terr->kind == API_ERR_NONE || terr->sent)
        r->sent = true;
    if (r->limited && c->limiter)
        api_rate_limiter_record(c->limiter, r->op->name, c->monotonic(c->hook_ctx),
                                rc != 0 && api_retry_classify(&err) == API_RETRY_THROTTLE);
    r->limited = false;
    if (rc == 0) {
        api_retry_quota_release(&c->quota, r->last_cost);
        api_error_clear(&err);
        snprintf(err.request_id, sizeof err.request_id, "%s", rid);
        err.sent = true;
        err.repeated_after_unknown = r->unknown;
        finish(r, output, &err);
        return;
    }
    if (attempt_unknown(r, terr, &err))
        r->unknown = true;

    /* Clock skew: one extra attempt, signed at the server's time. The skew
     * that matters is the server's time against the time we sign with (our
     * clock plus the correction so far): after a correction our own clock
     * may be set right (NTP), and the correction must then go again. */
    long long signing_skew = c->skew_s - c->clock_offset_s;
    long long correction = c->skew_s > API_CLIENT_MAX_CORRECTION_S    ? API_CLIENT_MAX_CORRECTION_S
                           : c->skew_s < -API_CLIENT_MAX_CORRECTION_S ? -API_CLIENT_MAX_CORRECTION_S
                                                                      : c->skew_s;
    if ((err.kind == API_ERR_AWS || err.kind == API_ERR_HTTP) && api_retry_is_skew_code(err.code) &&
        !r->op->is_unsigned && !r->skew_retried && c->have_skew &&
        correction != c->clock_offset_s &&
        (signing_skew > API_RETRY_SKEW_THRESHOLD_S || signing_skew < -API_RETRY_SKEW_THRESHOLD_S)) {
        struct api_error serr;
        r->skew_retried = true;
        c->clock_offset_s = correction;
        r->attempts--;
        if (launch(r, &serr) == 0)
            return;
        r->attempts++;
    }

    enum api_retry_class cls =
        r->no_more ? API_RETRY_NO : api_retry_decide(r->op, &err, r->unknown);
    if (cls != API_RETRY_NO && r->attempts < c->max_attempts) {
        int cost = api_retry_quota_acquire(&c->quota, cls);
        if (cost > 0) {
            long delay = api_retry_delay_ms(r->attempts, c->random(c->hook_ctx));
            r->last_cost = cost;
            if (!r->blocking) {
                r->retry_at_ms = monotonic_ms() + delay;
                r->last_err = err;
                r->last_err.retryable = true;
                return;
            }
            if (delay > 0)
                c->sleep(c->hook_ctx, delay);
            struct api_error serr;
            if (launch(r, &serr) == 0)
                return;
            err = serr;
            cls = API_RETRY_NO;
        }
    }
    err.retryable = cls != API_RETRY_NO;
    finish_failed(r, &err);
}

/* ---- the call path ---- */

/* Table, read-only guard, validation, body: everything before signing. */
static const struct api_operation *check_call(struct api_client *c, const char *operation,
                                              json_object *input, char **body, size_t *body_len,
                                              struct api_error *err)
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
    if (api_protocol_body(op, input, 0, body, body_len, err) != 0)
        return NULL;
    return op;
}

static struct api_request *start(struct api_client *c, const char *operation, json_object *input,
                                 bool blocking, bool background, api_done_fn done, void *ctx,
                                 struct api_error *err)
{
    char *body = NULL;
    size_t body_len = 0;
    const struct api_operation *op = check_call(c, operation, input, &body, &body_len, err);
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
    r->background = background;
    r->retry_at_ms = -1;
    r->token_wait_ms = -1;
    r->done = done;
    r->ctx = ctx;
    r->next = c->requests;
    if (c->requests)
        c->requests->prev = r;
    c->requests = r;
    c->pending++;
    if (launch(r, err) != 0) {
        request_free(r);
        return NULL;
    }
    return r;
}

int api_client_prepare(struct api_client *c, const char *operation, json_object *input,
                       struct api_prepared_request *out, struct api_error *err)
{
    char *body = NULL;
    size_t body_len = 0;
    const struct api_operation *op = check_call(c, operation, input, &body, &body_len, err);

    memset(out, 0, sizeof *out);
    if (!op)
        return -1;
    struct api_credentials creds = {0};
    if (!op->is_unsigned && c->credentials &&
        api_credentials_get(c->credentials, signing_time(c), &creds, err) != 0) {
        OPENSSL_cleanse(body, body_len);
        free(body);
        return -1;
    }
    if (prepare(c, op, body, body_len, op->is_unsigned ? NULL : &creds, out, err) != 0) {
        OPENSSL_cleanse(body, body_len);
        free(body);
        return -1;
    }
    out->op = op;
    out->body = body;
    out->body_len = body_len;
    return 0;
}

struct api_request *api_call_start(struct api_client *c, const char *operation, json_object *input,
                                   api_done_fn done, void *ctx, struct api_error *err)
{
    return start(c, operation, input, false, false, done, ctx, err);
}

struct api_request *api_call_start_background(struct api_client *c, const char *operation,
                                              json_object *input, api_done_fn done, void *ctx,
                                              struct api_error *err)
{
    return start(c, operation, input, false, true, done, ctx, err);
}

/* Drives the transport and the credentials' loop (other requests' transfers
 * and fetches go on too) until *done or nothing is in flight. */
static void wait_for(struct api_client *c, const bool *done)
{
    struct pollfd fds[64];

    while (!*done && (api_transport_pending(c->transport) > 0 ||
                      api_credentials_pollfds(c->credentials, fds, 64, NULL) > 0)) {
        int t1 = -1, t2 = -1;
        int n = api_transport_pollfds(c->transport, fds, 64, &t1);
        n += api_credentials_pollfds(c->credentials, fds + n, 64 - n, &t2);
        int timeout = t1 < 0 ? t2 : t2 < 0 ? t1 : t1 < t2 ? t1 : t2;
        if (timeout < 0 || timeout > 1000)
            timeout = 1000; /* never sleep unbounded */
        poll(fds, (nfds_t)n, timeout);
        api_transport_perform(c->transport);
        api_credentials_perform(c->credentials);
    }
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
    if (!start(c, operation, input, true, false, blocking_done, &b, err))
        return -1;
    wait_for(c, &b.done);
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

/* ---- asynchronous driving ---- */

int api_client_pollfds(struct api_client *c, struct pollfd *fds, int max, int *timeout_ms)
{
    int t = -1, tc = -1;
    int n = api_transport_pollfds(c->transport, fds, max, &t);
    long long now = monotonic_ms();

    /* Credentials being fetched: their transfers, helper pipes, deadlines. */
    n += api_credentials_pollfds(c->credentials, fds + n, max - n, &tc);
    if (tc >= 0 && (t < 0 || tc < t))
        t = tc;

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

/* Whether waiter o goes before waiter r: foreground before background, then
 * whoever asked first. */
static bool goes_before(const struct api_request *o, const struct api_request *r)
{
    if (o->background != r->background)
        return !o->background;
    return o->token_wait_ms <= r->token_wait_ms; /* newest listed first: a tie, the older */
}

/* The waiter for a token of r's operation that should have it (r itself, or
 * one whose timer, rounded to the millisecond, is not quite due yet). */
static struct api_request *first_waiter(struct api_client *c, struct api_request *r)
{
    if (r->token_wait_ms < 0 || r->no_more)
        return r;
    for (struct api_request *o = c->requests; o; o = o->next)
        if (o->op == r->op && o->token_wait_ms >= 0 && o->retry_at_ms >= 0 && !o->no_more &&
            goes_before(o, r))
            r = o;
    return r;
}

void api_client_perform(struct api_client *c)
{
    api_transport_perform(c->transport);
    api_credentials_perform(c->credentials); /* waiting requests are signed and sent from here */
    /* Start the retries that are due, one at a time: a callback may start or
     * cancel requests and change the list under us. */
    for (;;) {
        long long now = monotonic_ms();
        struct api_request *due = NULL;
        for (struct api_request *r = c->requests; r && !due; r = r->next)
            if (r->retry_at_ms >= 0 && r->retry_at_ms <= now)
                due = r;
        if (!due)
            break;
        struct api_request *go = first_waiter(c, due);
        go->retry_at_ms = -1;
        struct api_error err;
        if (go->no_more) {
            err = go->last_err;           /* finish() frees the request */
            if (err.kind == API_ERR_NONE) /* still waiting for its first token */
                api_error_set(&err, API_ERR_CANCELLED, "%s stopped before it was sent",
                              go->op->name);
            finish_failed(go, &err);
        } else if (launch(go, &err) != 0) {
            finish_failed(go, &err);
        } else if (go != due && go->retry_at_ms >= 0) {
            due->retry_at_ms = go->retry_at_ms + 1; /* no token yet after all: both wait */
        }
    }
}

int api_client_pending(const struct api_client *c)
{
    return c->pending;
}

const char *api_request_waiting_for(const struct api_request *r)
{
    return r && r->cred_op ? api_credentials_op_waiting_for(r->cred_op) : NULL;
}

const char *api_client_waiting_for(const struct api_client *c)
{
    for (const struct api_request *r = c->requests; r; r = r->next)
        if (r->cred_op)
            return api_credentials_op_waiting_for(r->cred_op);
    return NULL;
}

bool api_request_sent(const struct api_request *r)
{
    return r->sent || (r->xfer && api_transfer_sent(r->xfer));
}

bool api_request_awaiting_answer(const struct api_request *r)
{
    return r->xfer && api_transfer_sent(r->xfer);
}

void api_request_stop_retries(struct api_request *r)
{
    r->no_more = true;
    if (r->retry_at_ms >= 0)
        r->retry_at_ms = 0; /* due now: api_client_perform() ends it */
}

void api_request_cancel(struct api_request *r)
{
    struct api_error err;

    if (!r)
        return;
    /* Cancelled after the request left: the answer that will never be read
     * may have said "done". */
    if (r->xfer && api_transfer_sent(r->xfer)) {
        r->sent = true;
        if (r->op->mutates)
            r->unknown = true;
    }
    if (r->unknown)
        api_error_set(&err, API_ERR_CANCELLED,
                      "%s cancelled after it was sent: it may have been applied", r->op->name);
    else
        api_error_set(&err, API_ERR_CANCELLED, "%s cancelled", r->op->name);
    finish_failed(r, &err);
}
