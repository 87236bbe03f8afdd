/* api/query.c — the query-protocol call path (query.h): table → read-only
 * guard → form → sign → send → standard retries → XML. The retry policy
 * (what is retried, the delays, the quota) is api/retry.c's; this file only
 * drives it, as api/client.c does for the JSON protocol. */
#include "api/query.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "api/endpoint.h"
#include "api/rate_limiter.h"
#include "api/retry.h"
#include "api/sigv4.h"
#include "api/transport.h"

#ifndef COGNITO_TUI_VERSION
#define COGNITO_TUI_VERSION "0.1.0"
#endif
#define USER_AGENT   "cognito-tui/" COGNITO_TUI_VERSION
#define CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"

struct api_query_client {
    const struct api_query_service *svc;
    char *region, *url, *host, *path;
    bool read_only;
    int max_attempts;
    long connect_timeout_ms, timeout_ms;
    struct api_credentials_provider *credentials;
    api_clock_fn clock;
    api_sleep_fn sleep;
    api_random_fn random;
    api_monotonic_fn monotonic;
    void *hook_ctx;
    struct api_rate_limiter *limiter;     /* in use; NULL = standard mode */
    struct api_rate_limiter *own_limiter; /* made for options.adaptive */
    struct api_transport *transport;
    struct sigv4_key_cache key_cache;
    struct api_retry_quota quota;
    long long skew_s, clock_offset_s;
    bool have_skew;
    struct api_query_request *requests;
    int pending;
};

struct api_query_request {
    struct api_query_client *qc;
    struct api_query_request *prev, *next;
    const struct api_query_action *action;
    char *body;
    size_t body_len;
    int attempts, last_cost;
    bool skew_retried, blocking;
    bool limited; /* the attempt in flight took a token from the rate limiter */
    struct api_transfer *xfer;
    long long retry_at_ms;
    api_query_done_fn done;
    void *ctx;
};

static time_t real_clock(void *ctx)
{
    (void)ctx;
    return time(NULL);
}

static void real_sleep(void *ctx, long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    (void)ctx;
    while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static double real_random(void *ctx)
{
    uint64_t v = 0;
    (void)ctx;
    if (RAND_bytes((unsigned char *)&v, sizeof v) != 1)
        return 0.5;
    return (double)(v >> 11) / 9007199254740992.0;
}

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double real_monotonic(void *ctx)
{
    (void)ctx;
    return monotonic_ms() / 1e3;
}

/* ---- the form ---- */

static int put(char **buf, size_t *len, size_t *cap, const char *s, bool encode)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s), need = *len + (encode ? 3 * n : n) + 2;

    if (need > *cap) {
        size_t c = *cap ? *cap : 256;
        while (c < need)
            c *= 2;
        char *grown = malloc(c);
        if (!grown)
            return -1;
        if (*buf) {
            memcpy(grown, *buf, *len);
            OPENSSL_cleanse(*buf, *cap);
            free(*buf);
        }
        *buf = grown;
        *cap = c;
    }
    for (const unsigned char *v = (const unsigned char *)s; *v; v++) {
        if (!encode || (*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') ||
            (*v >= '0' && *v <= '9') || *v == '-' || *v == '_' || *v == '.' || *v == '~') {
            (*buf)[(*len)++] = (char)*v;
        } else {
            (*buf)[(*len)++] = '%';
            (*buf)[(*len)++] = hex[*v >> 4];
            (*buf)[(*len)++] = hex[*v & 15];
        }
    }
    (*buf)[*len] = '\0';
    return 0;
}

char *api_query_form(const struct api_query_service *svc, const char *action,
                     const struct api_query_param *params, size_t n_params, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0, n = 0;
    bool failed = put(&buf, &n, &cap, "Action=", false) || put(&buf, &n, &cap, action, true) ||
                  put(&buf, &n, &cap, "&Version=", false) ||
                  put(&buf, &n, &cap, svc->version, true);

    for (size_t i = 0; i < n_params && !failed; i++) {
        if (!params[i].name || !params[i].value)
            continue;
        failed = put(&buf, &n, &cap, "&", false) || put(&buf, &n, &cap, params[i].name, true) ||
                 put(&buf, &n, &cap, "=", false) || put(&buf, &n, &cap, params[i].value, true);
    }
    if (failed) {
        if (buf)
            OPENSSL_cleanse(buf, cap);
        free(buf);
        return NULL;
    }
    if (len)
        *len = n;
    return buf;
}

/* ---- the client ---- */

static const struct api_query_action *find_action(const struct api_query_service *svc,
                                                  const char *name)
{
    for (size_t i = 0; name && i < svc->n_actions; i++)
        if (strcmp(svc->actions[i].name, name) == 0)
            return &svc->actions[i];
    return NULL;
}

int api_query_check(const struct api_query_service *svc, bool read_only, const char *action,
                    struct api_error *err)
{
    const struct api_query_action *a = find_action(svc, action);

    if (!a)
        return api_error_set(err, API_ERR_INVALID_INPUT, "%s: unknown action %.100s", svc->label,
                             action ? action : "(none)");
    if (read_only && !a->pure_read)
        return api_error_set(err, API_ERR_READ_ONLY,
                             "%s %s is refused in read-only mode (only reads are allowed)",
                             svc->label, a->name);
    return 0;
}

struct api_query_client *api_query_client_new(const struct api_query_options *opt,
                                              struct api_error *err)
{
    struct api_query_client *qc;
    struct api_transport_options topt = {0};

    if (!opt || !opt->service || !opt->region || !opt->region[0] || !opt->endpoint_url ||
        !opt->endpoint_url[0]) {
        api_error_set(err, API_ERR_CREDENTIALS, "%s: no region or endpoint URL",
                      opt && opt->service ? opt->service->label : "query client");
        return NULL;
    }
    qc = calloc(1, sizeof *qc);
    if (!qc || !(qc->region = strdup(opt->region))) {
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        free(qc);
        return NULL;
    }
    qc->svc = opt->service;
    if (api_endpoint_split(opt->endpoint_url, &qc->url, &qc->host, &qc->path, err) != 0)
        goto fail;
    qc->read_only = opt->read_only;
    qc->max_attempts = opt->max_attempts > 0 ? opt->max_attempts : API_RETRY_DEFAULT_MAX_ATTEMPTS;
    qc->connect_timeout_ms = opt->connect_timeout_ms > 0 ? opt->connect_timeout_ms : 5000;
    qc->timeout_ms = opt->timeout_ms > 0 ? opt->timeout_ms : 60000;
    qc->credentials = opt->credentials;
    qc->clock = opt->clock ? opt->clock : real_clock;
    qc->sleep = opt->sleep ? opt->sleep : real_sleep;
    qc->random = opt->random ? opt->random : real_random;
    qc->monotonic = opt->monotonic ? opt->monotonic : real_monotonic;
    qc->hook_ctx = opt->hook_ctx;
    if (opt->adaptive) {
        qc->own_limiter = qc->limiter = api_rate_limiter_new(NULL);
        if (!qc->limiter) {
            api_error_set(err, API_ERR_TRANSPORT, "out of memory");
            goto fail;
        }
    }
    api_retry_quota_init(&qc->quota);
    topt.ca_bundle = opt->ca_bundle;
    qc->transport = api_transport_new(&topt, err);
    if (!qc->transport)
        goto fail;
    return qc;
fail:
    api_query_client_free(qc);
    return NULL;
}

static void request_free(struct api_query_request *r)
{
    struct api_query_client *qc = r->qc;

    if (r->prev)
        r->prev->next = r->next;
    else
        qc->requests = r->next;
    if (r->next)
        r->next->prev = r->prev;
    qc->pending--;
    if (r->xfer)
        api_transfer_cancel(r->xfer);
    if (r->body) {
        OPENSSL_cleanse(r->body, r->body_len);
        free(r->body);
    }
    free(r);
}

void api_query_client_free(struct api_query_client *qc)
{
    if (!qc)
        return;
    while (qc->requests)
        request_free(qc->requests);
    api_transport_free(qc->transport);
    api_rate_limiter_free(qc->own_limiter);
    sigv4_key_cache_wipe(&qc->key_cache);
    free(qc->region);
    free(qc->url);
    free(qc->host);
    free(qc->path);
    free(qc);
}

/* ---- one attempt ---- */

static void on_transfer_done(void *ctx, struct api_http_response *resp,
                             const struct api_error *terr);

static int send_attempt(struct api_query_request *r, struct api_error *err)
{
    struct api_query_client *qc = r->qc;
    struct api_http_header headers[8];
    struct api_credentials creds = {0};
    struct sigv4_result sig;
    struct api_http_request req = {0};
    size_t nh = 0;

    memset(&sig, 0, sizeof sig);
    headers[nh++] = (struct api_http_header){"Host", qc->host};
    headers[nh++] = (struct api_http_header){"Content-Type", CONTENT_TYPE};
    if (!r->action->is_unsigned) {
        time_t now = qc->clock(qc->hook_ctx) + (time_t)qc->clock_offset_s;
        struct sigv4_header to_sign[2] = {{"Host", qc->host}, {"Content-Type", CONTENT_TYPE}};
        struct sigv4_params sp = {0};

        if (!qc->credentials)
            return api_error_set(err, API_ERR_CREDENTIALS,
                                 "%s %s must be signed and no credentials are configured",
                                 qc->svc->label, r->action->name);
        if (api_credentials_get(qc->credentials, now, &creds, err) != 0)
            return -1;
        sp.access_key_id = creds.access_key_id;
        sp.secret_access_key = creds.secret_access_key;
        sp.session_token = creds.session_token;
        sp.region = qc->region;
        sp.service = qc->svc->signing_name;
        sp.time = now;
        sp.normalize_path = true;
        sp.cache = &qc->key_cache;
        if (sigv4_sign_request(&sp, "POST", qc->path, to_sign, 2, r->body, r->body_len, &sig) !=
            0) {
            api_credentials_clear(&creds);
            OPENSSL_cleanse(&sig, sizeof sig);
            return api_error_set(err, API_ERR_CREDENTIALS,
                                 "%s %s: cannot sign (credentials or region unusable)",
                                 qc->svc->label, r->action->name);
        }
        headers[nh++] = (struct api_http_header){"X-Amz-Date", sig.amz_date};
        if (sig.add_security_token && creds.session_token && creds.session_token[0])
            headers[nh++] = (struct api_http_header){"X-Amz-Security-Token", creds.session_token};
        headers[nh++] = (struct api_http_header){"Authorization", sig.authorization};
    }
    headers[nh++] = (struct api_http_header){"User-Agent", USER_AGENT};
    req.method = "POST";
    req.url = qc->url;
    req.headers = headers;
    req.n_headers = nh;
    req.body = r->body;
    req.body_len = r->body_len;
    req.connect_timeout_ms = qc->connect_timeout_ms;
    req.timeout_ms = qc->timeout_ms;
    r->xfer = api_transport_start(qc->transport, &req, on_transfer_done, r, err);
    api_credentials_clear(&creds); /* the transport copied what it sends */
    OPENSSL_cleanse(&sig, sizeof sig);
    if (!r->xfer)
        return -1;
    r->attempts++;
    return 0;
}

void api_query_set_rate_limiter(struct api_query_client *qc, struct api_rate_limiter *limiter)
{
    qc->limiter = limiter ? limiter : qc->own_limiter;
}

/* An attempt, once the rate limiter (adaptive mode) gives it a token: at
 * once, after a blocking wait, or later from api_query_perform() (a timer
 * api_query_pollfds() reports). Returns what send_attempt() returns; 0 also
 * when the attempt is set for later. */
static int launch(struct api_query_request *r, struct api_error *err)
{
    struct api_query_client *qc = r->qc;

    r->limited = false;
    if (qc->limiter) {
        for (;;) {
            double wait =
                api_rate_limiter_acquire(qc->limiter, r->action->name, qc->monotonic(qc->hook_ctx));
            if (wait <= 0)
                break;
            long ms = (long)(wait * 1000.0) + 1;
            if (!r->blocking) {
                r->retry_at_ms = monotonic_ms() + ms;
                return 0;
            }
            qc->sleep(qc->hook_ctx, ms);
        }
        r->limited = true;
    }
    return send_attempt(r, err);
}

static void finish(struct api_query_request *r, struct xml_node *doc, const struct api_error *err)
{
    api_query_done_fn done = r->done;
    void *ctx = r->ctx;

    request_free(r);
    if (done)
        done(ctx, doc, err);
    else
        api_xml_free(doc);
}

static void track_date(struct api_query_client *qc, const struct api_http_response *resp)
{
    const char *date = api_http_response_header(resp, "Date");
    time_t server = date ? curl_getdate(date, NULL) : (time_t)-1;

    if (server == (time_t)-1)
        return;
    qc->skew_s = (long long)server - (long long)qc->clock(qc->hook_ctx);
    qc->have_skew = true;
}

/* Prefixes err's message with "<label> <Action>: ". */
static void name_error(const struct api_query_request *r, struct api_error *err)
{
    char msg[sizeof err->message];

    snprintf(msg, sizeof msg, "%s %s: %.900s", r->qc->svc->label, r->action->name, err->message);
    snprintf(err->message, sizeof err->message, "%s", msg);
}

/* Reads an answer: 0 with *doc, or -1 with err. */
static int parse_answer(struct api_query_request *r, const struct api_http_response *resp,
                        struct xml_node **doc, struct api_error *err)
{
    const char *rid = api_http_response_header(resp, "x-amzn-RequestId");
    struct api_error perr;
    struct xml_node *root;

    *doc = NULL;
    api_error_clear(&perr);
    root = api_xml_parse(resp->body, resp->body_len, &perr);
    if (resp->status >= 200 && resp->status < 300) {
        if (!root) {
            *err = perr;
            err->http_status = resp->status;
            name_error(r, err);
            return -1;
        }
        const char *xrid = api_xml_text(root, "ResponseMetadata/RequestId");
        api_error_clear(err);
        snprintf(err->request_id, sizeof err->request_id, "%s", xrid ? xrid : rid ? rid : "");
        *doc = root;
        return 0;
    }
    const struct xml_node *e = api_xml_path(root, "Error");
    const char *code = api_xml_text(e, "Code"), *msg = api_xml_text(e, "Message");
    const char *xrid = api_xml_text(root, "RequestId");
    if (code && code[0]) {
        /* the code goes in err->code: api_error_format() puts it first */
        api_error_set(err, API_ERR_AWS, "%.800s", msg && msg[0] ? msg : code);
        snprintf(err->code, sizeof err->code, "%s", code);
    } else {
        if (root)
            api_error_set(err, API_ERR_HTTP, "HTTP %ld without a %s error code in the answer",
                          resp->status, r->qc->svc->label);
        else
            api_error_set(err, API_ERR_HTTP, "HTTP %ld and an answer that is not %s XML (%.300s)",
                          resp->status, r->qc->svc->label, perr.message);
    }
    err->http_status = resp->status;
    snprintf(err->request_id, sizeof err->request_id, "%s", xrid ? xrid : rid ? rid : "");
    name_error(r, err);
    api_xml_free(root);
    return -1;
}

static void on_transfer_done(void *ctx, struct api_http_response *resp,
                             const struct api_error *terr)
{
    struct api_query_request *r = ctx;
    struct api_query_client *qc = r->qc;
    struct api_error err;
    struct xml_node *doc = NULL;
    int rc = -1;

    r->xfer = NULL;
    if (terr->kind != API_ERR_NONE) {
        err = *terr;
        name_error(r, &err);
    } else {
        track_date(qc, resp);
        rc = parse_answer(r, resp, &doc, &err);
    }
    api_http_response_free(resp);
    if (r->limited && qc->limiter)
        api_rate_limiter_record(qc->limiter, r->action->name, qc->monotonic(qc->hook_ctx),
                                rc != 0 && api_retry_classify(&err) == API_RETRY_THROTTLE);
    r->limited = false;
    if (rc == 0) {
        api_retry_quota_release(&qc->quota, r->last_cost);
        finish(r, doc, &err);
        return;
    }

    long long signing_skew = qc->skew_s - qc->clock_offset_s;
    if ((err.kind == API_ERR_AWS || err.kind == API_ERR_HTTP) && api_retry_is_skew_code(err.code) &&
        !r->action->is_unsigned && !r->skew_retried && qc->have_skew &&
        (signing_skew > API_RETRY_SKEW_THRESHOLD_S || signing_skew < -API_RETRY_SKEW_THRESHOLD_S)) {
        struct api_error serr;
        r->skew_retried = true;
        qc->clock_offset_s = qc->skew_s;
        r->attempts--;
        if (launch(r, &serr) == 0)
            return;
        r->attempts++;
    }

    enum api_retry_class cls = api_retry_classify(&err);
    if (cls != API_RETRY_NO && r->attempts < qc->max_attempts) {
        int cost = api_retry_quota_acquire(&qc->quota, cls);
        if (cost > 0) {
            long delay = api_retry_delay_ms(r->attempts, qc->random(qc->hook_ctx));
            r->last_cost = cost;
            if (!r->blocking) {
                r->retry_at_ms = monotonic_ms() + delay;
                return;
            }
            if (delay > 0)
                qc->sleep(qc->hook_ctx, delay);
            struct api_error serr;
            if (launch(r, &serr) == 0)
                return;
            err = serr;
            cls = API_RETRY_NO;
        }
    }
    err.retryable = cls != API_RETRY_NO;
    finish(r, NULL, &err);
}

/* ---- starting calls ---- */

static struct api_query_request *start(struct api_query_client *qc, const char *action,
                                       const struct api_query_param *params, size_t n_params,
                                       bool blocking, api_query_done_fn done, void *ctx,
                                       struct api_error *err)
{
    struct api_query_request *r;

    if (api_query_check(qc->svc, qc->read_only, action, err) != 0)
        return NULL;
    r = calloc(1, sizeof *r);
    if (!r || !(r->body = api_query_form(qc->svc, action, params, n_params, &r->body_len))) {
        free(r);
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        return NULL;
    }
    r->qc = qc;
    r->action = find_action(qc->svc, action);
    r->blocking = blocking;
    r->retry_at_ms = -1;
    r->done = done;
    r->ctx = ctx;
    r->next = qc->requests;
    if (qc->requests)
        qc->requests->prev = r;
    qc->requests = r;
    qc->pending++;
    if (launch(r, err) != 0) {
        request_free(r);
        return NULL;
    }
    return r;
}

struct api_query_request *api_query_start(struct api_query_client *qc, const char *action,
                                          const struct api_query_param *params, size_t n_params,
                                          api_query_done_fn done, void *ctx, struct api_error *err)
{
    return start(qc, action, params, n_params, false, done, ctx, err);
}

struct blocking_result {
    bool done;
    struct xml_node *doc;
    struct api_error err;
};

static void blocking_done(void *ctx, struct xml_node *doc, const struct api_error *err)
{
    struct blocking_result *b = ctx;

    b->done = true;
    b->doc = doc;
    b->err = *err;
}

int api_query_call(struct api_query_client *qc, const char *action,
                   const struct api_query_param *params, size_t n_params, struct xml_node **doc,
                   struct api_error *err)
{
    struct blocking_result b = {0};

    *doc = NULL;
    if (!start(qc, action, params, n_params, true, blocking_done, &b, err))
        return -1;
    while (!b.done && api_transport_pending(qc->transport) > 0)
        api_transport_wait(qc->transport, &b.done);
    if (!b.done)
        return api_error_set(err, API_ERR_TRANSPORT, "%s %s: the request ended without an answer",
                             qc->svc->label, action);
    *err = b.err;
    if (b.err.kind != API_ERR_NONE) {
        api_xml_free(b.doc);
        return -1;
    }
    *doc = b.doc;
    return 0;
}

void api_query_cancel(struct api_query_request *r)
{
    struct api_error err;

    if (!r)
        return;
    api_error_set(&err, API_ERR_CANCELLED, "%s %s cancelled", r->qc->svc->label, r->action->name);
    finish(r, NULL, &err);
}

int api_query_pollfds(struct api_query_client *qc, struct pollfd *fds, int max, int *timeout_ms)
{
    int t = -1;
    int n = api_transport_pollfds(qc->transport, fds, max, &t);
    long long now = monotonic_ms();

    for (struct api_query_request *r = qc->requests; r; r = r->next) {
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

void api_query_perform(struct api_query_client *qc)
{
    api_transport_perform(qc->transport);
    for (;;) {
        long long now = monotonic_ms();
        struct api_query_request *due = NULL;
        for (struct api_query_request *r = qc->requests; r && !due; r = r->next)
            if (r->retry_at_ms >= 0 && r->retry_at_ms <= now)
                due = r;
        if (!due)
            break;
        due->retry_at_ms = -1;
        struct api_error err;
        if (launch(due, &err) != 0)
            finish(due, NULL, &err);
    }
}

int api_query_pending(const struct api_query_client *qc)
{
    return qc->pending;
}

const struct xml_node *api_query_result(const struct xml_node *doc, const char *action)
{
    char name[160];

    if (!doc || !action || snprintf(name, sizeof name, "%sResult", action) >= (int)sizeof name)
        return NULL;
    return api_xml_child(doc, name);
}
