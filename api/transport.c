/* api/transport.c — libcurl multi transport; see api/transport.h for the contract. */
#include "api/transport.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define DEFAULT_CONNECT_TIMEOUT_MS 5000L
#define DEFAULT_TIMEOUT_MS         60000L

/* ---- URL policy ---- */

static bool host_is_loopback(const char *host)
{
    char buf[64];
    size_t n = strlen(host);
    unsigned char addr[16];

    if (strcasecmp(host, "localhost") == 0)
        return true; /* libcurl resolves "localhost" to loopback without DNS */
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        if (n - 2 >= sizeof buf)
            return false;
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = '\0';
        if (inet_pton(AF_INET6, buf, addr) != 1)
            return false;
        static const unsigned char v6_loopback[16] = {[15] = 1};
        static const unsigned char v4_mapped[12] = {[10] = 0xff, [11] = 0xff};
        return memcmp(addr, v6_loopback, 16) == 0 ||
               (memcmp(addr, v4_mapped, 12) == 0 && addr[12] == 127);
    }
    if (inet_pton(AF_INET, host, addr) == 1)
        return addr[0] == 127;
    return false;
}

static bool host_matches(const char *host, const char *allowed)
{
    size_t n = strlen(host), m = strlen(allowed);

    if (strcasecmp(host, allowed) == 0)
        return true;
    /* "[fd00:ec2::254]" in the URL matches "fd00:ec2::254" in the list. */
    return n == m + 2 && host[0] == '[' && host[n - 1] == ']' &&
           strncasecmp(host + 1, allowed, m) == 0;
}

/* Whether url may be used, and whether it must go direct (never through a
 * proxy): plain http, and anything to loopback or a listed host. */
static int url_route(const char *url, const char *const *hosts, size_t n_hosts, bool *direct,
                     struct api_error *err)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    int rc = -1;
    bool listed = false;

    if (!u)
        return api_error_set(err, API_ERR_TRANSPORT, "out of memory");
    if (!url || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host[0]) {
        api_error_set(err, API_ERR_TRANSPORT, "not a usable URL: %.200s", url ? url : "(none)");
        goto out;
    }
    listed = host_is_loopback(host);
    for (size_t i = 0; !listed && i < n_hosts; i++)
        listed = hosts[i] && host_matches(host, hosts[i]);
    if (strcasecmp(scheme, "https") == 0) {
        rc = 0;
        *direct = listed;
    } else if (strcasecmp(scheme, "http") == 0) {
        rc = listed ? 0 : -1;
        *direct = true;
        if (rc != 0)
            api_error_set(err, API_ERR_TRANSPORT,
                          "plain http is only allowed to a loopback address, not to %.200s; use "
                          "https",
                          host);
    } else {
        api_error_set(err, API_ERR_TRANSPORT, "unsupported URL scheme \"%.32s\" (https only)",
                      scheme);
    }
out:
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

int api_http_url_allowed(const char *url, const char *const *hosts, size_t n_hosts,
                         struct api_error *err)
{
    bool direct;

    return url_route(url, hosts, n_hosts, &direct, err);
}

/* ---- Responses ---- */

const char *api_http_response_header(const struct api_http_response *resp, const char *name)
{
    for (size_t i = resp->n_headers; i-- > 0;)
        if (strcasecmp(resp->headers[i].name, name) == 0)
            return resp->headers[i].value;
    return NULL;
}

static void free_headers(struct api_http_response *resp)
{
    for (size_t i = 0; i < resp->n_headers; i++) {
        free(resp->headers[i].name);
        free(resp->headers[i].value);
    }
    free(resp->headers);
    resp->headers = NULL;
    resp->n_headers = 0;
}

void api_http_response_free(struct api_http_response *resp)
{
    free_headers(resp);
    if (resp->body) {
        OPENSSL_cleanse(resp->body, resp->body_len);
        free(resp->body);
    }
    memset(resp, 0, sizeof *resp);
}

/* ---- Transport ---- */

struct watched_socket {
    curl_socket_t fd;
    int what; /* CURL_POLL_IN / OUT / INOUT */
};

struct api_transport {
    CURLM *multi;
    STACK_OF(X509) * extra_cas; /* NULL when no ca_bundle */
    char **plain_http_hosts;
    size_t n_plain_http_hosts;
    struct watched_socket *sockets;
    size_t n_sockets, cap_sockets;
    long long deadline_ms;          /* monotonic; -1 = no timer */
    struct api_transfer *transfers; /* in flight, doubly linked */
    int pending;
};

struct api_transfer {
    struct api_transport *t;
    struct api_transfer *prev, *next;
    CURL *easy;
    struct curl_slist *headers;
    char *body; /* our copy of the request body, wiped on free */
    size_t body_len;
    struct api_http_response resp;
    size_t body_cap, max_body;
    bool too_big, oom;
    bool sent;      /* libcurl passed the point just before sending (prereq_cb) */
    bool send_once; /* never let libcurl send the request a second time */
    api_transfer_done_fn done;
    void *ctx;
    char errbuf[CURL_ERROR_SIZE];
};

static long long monotonic_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
    struct api_transport *t = userp;
    size_t i;

    for (i = 0; i < t->n_sockets; i++)
        if (t->sockets[i].fd == s)
            break;
    if (what == CURL_POLL_REMOVE) {
        if (i < t->n_sockets)
            t->sockets[i] = t->sockets[--t->n_sockets];
        return 0;
    }
    if (i == t->n_sockets) {
        if (t->n_sockets == t->cap_sockets) {
            size_t cap = t->cap_sockets ? t->cap_sockets * 2 : 8;
            struct watched_socket *n = realloc(t->sockets, cap * sizeof *n);
            if (!n)
                return -1;
            t->sockets = n;
            t->cap_sockets = cap;
        }
        t->n_sockets++;
    }
    t->sockets[i].fd = s;
    t->sockets[i].what = what;
    return 0;
}

static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    struct api_transport *t = userp;

    t->deadline_ms = timeout_ms < 0 ? -1 : monotonic_ms() + timeout_ms;
    return 0;
}

static int load_extra_cas(struct api_transport *t, const char *path, struct api_error *err)
{
    BIO *bio = BIO_new_file(path, "r");
    STACK_OF(X509_INFO) * infos;

    if (!bio)
        return api_error_set(err, API_ERR_TLS, "cannot read the CA bundle %.200s: %s", path,
                             strerror(errno ? errno : ENOENT));
    infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
    BIO_free(bio);
    t->extra_cas = sk_X509_new_null();
    if (!t->extra_cas) {
        sk_X509_INFO_pop_free(infos, X509_INFO_free);
        return api_error_set(err, API_ERR_TLS, "out of memory");
    }
    for (int i = 0; infos && i < sk_X509_INFO_num(infos); i++) {
        X509_INFO *info = sk_X509_INFO_value(infos, i);
        if (info->x509 && sk_X509_push(t->extra_cas, info->x509) > 0)
            info->x509 = NULL; /* now owned by extra_cas */
    }
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    if (sk_X509_num(t->extra_cas) == 0)
        return api_error_set(err, API_ERR_TLS, "the CA bundle %.200s holds no PEM certificate",
                             path);
    return 0;
}

struct api_transport *api_transport_new(const struct api_transport_options *opt,
                                        struct api_error *err)
{
    struct api_transport *t = calloc(1, sizeof *t);

    if (!t) {
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        return NULL;
    }
    t->deadline_ms = -1;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(t->multi = curl_multi_init())) {
        api_error_set(err, API_ERR_TRANSPORT, "cannot initialise libcurl");
        goto fail;
    }
    curl_multi_setopt(t->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
    curl_multi_setopt(t->multi, CURLMOPT_SOCKETDATA, t);
    curl_multi_setopt(t->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(t->multi, CURLMOPT_TIMERDATA, t);
    if (opt && opt->ca_bundle && opt->ca_bundle[0] && load_extra_cas(t, opt->ca_bundle, err) != 0)
        goto fail;
    if (opt && opt->n_plain_http_hosts) {
        t->plain_http_hosts = calloc(opt->n_plain_http_hosts, sizeof *t->plain_http_hosts);
        if (!t->plain_http_hosts) {
            api_error_set(err, API_ERR_TRANSPORT, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < opt->n_plain_http_hosts; i++) {
            t->plain_http_hosts[i] = strdup(opt->plain_http_hosts[i]);
            t->n_plain_http_hosts++;
            if (!t->plain_http_hosts[i]) {
                api_error_set(err, API_ERR_TRANSPORT, "out of memory");
                goto fail;
            }
        }
    }
    return t;
fail:
    api_transport_free(t);
    return NULL;
}

static void transfer_free(struct api_transfer *x)
{
    struct api_transport *t = x->t;

    if (x->prev)
        x->prev->next = x->next;
    else
        t->transfers = x->next;
    if (x->next)
        x->next->prev = x->prev;
    t->pending--;
    if (x->easy) {
        curl_multi_remove_handle(t->multi, x->easy);
        curl_easy_cleanup(x->easy);
    }
    /* Header lines may carry a session or metadata token. */
    for (struct curl_slist *l = x->headers; l; l = l->next)
        OPENSSL_cleanse(l->data, strlen(l->data));
    curl_slist_free_all(x->headers);
    if (x->body) {
        OPENSSL_cleanse(x->body, x->body_len);
        free(x->body);
    }
    api_http_response_free(&x->resp);
    free(x);
}

void api_transport_free(struct api_transport *t)
{
    if (!t)
        return;
    while (t->transfers)
        transfer_free(t->transfers);
    if (t->multi)
        curl_multi_cleanup(t->multi);
    if (t->extra_cas)
        sk_X509_pop_free(t->extra_cas, X509_free);
    for (size_t i = 0; i < t->n_plain_http_hosts; i++)
        free(t->plain_http_hosts[i]);
    free(t->plain_http_hosts);
    free(t->sockets);
    free(t);
}

/* CURLOPT_SSL_CTX_FUNCTION: runs after libcurl has loaded the default CA store
 * into the context, so adding here extends the system store instead of
 * replacing it (which CURLOPT_CAINFO would do). */
static CURLcode add_extra_cas(CURL *easy, void *ssl_ctx, void *userp)
{
    struct api_transport *t = userp;
    X509_STORE *store = SSL_CTX_get_cert_store((SSL_CTX *)ssl_ctx);

    if (!store)
        return CURLE_SSL_CACERT_BADFILE;
    for (int i = 0; i < sk_X509_num(t->extra_cas); i++)
        X509_STORE_add_cert(store, sk_X509_value(t->extra_cas, i)); /* duplicates are fine */
    return CURLE_OK;
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
    struct api_transfer *x = userp;
    size_t n = size * nmemb;

    if (x->resp.body_len + n > x->max_body) {
        x->too_big = true;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    if (x->resp.body_len + n + 1 > x->body_cap) {
        size_t cap = x->body_cap ? x->body_cap : 4096;
        while (cap < x->resp.body_len + n + 1)
            cap *= 2;
        char *nb = malloc(cap);
        if (!nb) {
            x->oom = true;
            return 0;
        }
        /* Copy and wipe rather than realloc: the old block may hold credentials. */
        if (x->resp.body) {
            memcpy(nb, x->resp.body, x->resp.body_len);
            OPENSSL_cleanse(x->resp.body, x->resp.body_len);
            free(x->resp.body);
        }
        x->resp.body = nb;
        x->body_cap = cap;
    }
    memcpy(x->resp.body + x->resp.body_len, data, n);
    x->resp.body_len += n;
    x->resp.body[x->resp.body_len] = '\0';
    return n;
}

static char *dup_trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

static size_t header_cb(char *data, size_t size, size_t nmemb, void *userp)
{
    struct api_transfer *x = userp;
    size_t n = size * nmemb;
    const char *colon;

    if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        free_headers(&x->resp); /* a new status line: drop a 1xx response's headers */
        return n;
    }
    colon = memchr(data, ':', n);
    if (!colon || colon == data)
        return n; /* blank line ending the headers, or junk: ignored */
    struct api_http_response_header *nh =
        realloc(x->resp.headers, (x->resp.n_headers + 1) * sizeof *nh);
    if (!nh) {
        x->oom = true;
        return 0;
    }
    x->resp.headers = nh;
    char *name = dup_trimmed(data, (size_t)(colon - data));
    char *value = dup_trimmed(colon + 1, n - (size_t)(colon - data) - 1);
    if (!name || !value) {
        free(name);
        free(value);
        x->oom = true;
        return 0;
    }
    nh[x->resp.n_headers].name = name;
    nh[x->resp.n_headers].value = value;
    x->resp.n_headers++;
    return n;
}

/* CURLOPT_PREREQFUNCTION: libcurl calls it once the connection is ready
 * (connected or reused, TLS handshake done) and just before it writes the
 * request. Up to here nothing of the request can have reached the server;
 * from here on any byte may have. libcurl calls it again when it re-sends the
 * request on a fresh connection because a reused one closed before any byte
 * of an answer came: for a request that must go once, that second sending is
 * refused and the transfer fails (outcome unknown) instead. */
static int prereq_cb(void *userp, char *primary_ip, char *local_ip, int primary_port,
                     int local_port)
{
    struct api_transfer *x = userp;

    if (x->sent && x->send_once)
        return CURL_PREREQFUNC_ABORT;
    x->sent = true;
    return CURL_PREREQFUNC_OK;
}

static bool has_header(const struct api_http_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            return true;
    return false;
}

static int append_header(struct curl_slist **list, const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 3;
    char *line = malloc(n);
    struct curl_slist *l;

    if (!line)
        return -1;
    /* "Name;" is libcurl's spelling of a header with an empty value; "Name:" removes it. */
    if (value[0])
        snprintf(line, n, "%s: %s", name, value);
    else
        snprintf(line, n, "%s;", name);
    l = curl_slist_append(*list, line);
    OPENSSL_cleanse(line, n); /* may be a token */
    free(line);
    if (!l)
        return -1;
    *list = l;
    return 0;
}

static int setup_easy(struct api_transport *t, struct api_transfer *x,
                      const struct api_http_request *req, bool direct, struct api_error *err)
{
    CURL *e = x->easy;
    bool plain_http = strncasecmp(req->url, "http:", 5) == 0;
    const char *method = req->method ? req->method : "GET";

    for (size_t i = 0; i < req->n_headers; i++) {
        if (strpbrk(req->headers[i].name, ":\r\n") || strpbrk(req->headers[i].value, "\r\n"))
            return api_error_set(err, API_ERR_TRANSPORT, "bad header %.64s", req->headers[i].name);
        if (append_header(&x->headers, req->headers[i].name, req->headers[i].value) != 0)
            return api_error_set(err, API_ERR_TRANSPORT, "out of memory");
    }
    /* What goes on the wire is exactly what the caller (and the signer) saw:
     * no Expect: 100-continue, no default Accept or form Content-Type. */
    static const char *const drop[] = {"Expect", "Accept", "Content-Type"};
    for (size_t i = 0; i < sizeof drop / sizeof *drop; i++) {
        char line[32];
        struct curl_slist *l;
        if (has_header(req, drop[i]))
            continue;
        snprintf(line, sizeof line, "%s:", drop[i]);
        if (!(l = curl_slist_append(x->headers, line)))
            return api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        x->headers = l;
    }

    if (curl_easy_setopt(e, CURLOPT_URL, req->url) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, plain_http ? "http" : "https") != CURLE_OK)
        return api_error_set(err, API_ERR_TRANSPORT, "libcurl refused the URL %.200s", req->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    /* A proxy never sees a request in clear text: "" turns the proxy
     * variables off for direct transfers, and the others reach the proxy
     * only through a CONNECT tunnel (the proxy learns the host name, never a
     * signature, token or body). */
    if (direct)
        curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_HTTPPROXYTUNNEL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     req->connect_timeout_ms > 0 ? req->connect_timeout_ms
                                                 : DEFAULT_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
                     req->timeout_ms > 0 ? req->timeout_ms : DEFAULT_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_body);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, prereq_cb);
    curl_easy_setopt(e, CURLOPT_PREREQDATA, x);
    if (t->extra_cas) {
        if (curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, add_extra_cas) != CURLE_OK)
            return api_error_set(err, API_ERR_TLS,
                                 "this libcurl cannot add a CA bundle (needs the OpenSSL backend)");
        curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, t);
        /* libcurl (7.87+) caches the CA store across connections; our additions
         * must not leak into a store shared with a client without them. */
        curl_easy_setopt(e, CURLOPT_CA_CACHE_TIMEOUT, 0L);
    }

    if (req->body && req->body_len) {
        x->body = malloc(req->body_len);
        if (!x->body)
            return api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        memcpy(x->body, req->body, req->body_len);
        x->body_len = req->body_len;
    }
    if (strcmp(method, "GET") == 0 && !x->body) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body ? x->body : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body_len);
        if (strcmp(method, "POST") != 0)
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    }
    return 0;
}

struct api_transfer *api_transport_start(struct api_transport *t,
                                         const struct api_http_request *req,
                                         api_transfer_done_fn done, void *ctx,
                                         struct api_error *err)
{
    struct api_transfer *x;
    bool direct = true;

    if (url_route(req->url, (const char *const *)t->plain_http_hosts, t->n_plain_http_hosts,
                  &direct, err) != 0)
        return NULL;
    x = calloc(1, sizeof *x);
    if (!x) {
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        return NULL;
    }
    x->t = t;
    x->done = done;
    x->ctx = ctx;
    x->max_body = req->max_body ? req->max_body : API_HTTP_MAX_BODY_DEFAULT;
    x->send_once = req->send_once;
    x->next = t->transfers;
    if (t->transfers)
        t->transfers->prev = x;
    t->transfers = x;
    t->pending++;
    x->easy = curl_easy_init();
    if (!x->easy) {
        api_error_set(err, API_ERR_TRANSPORT, "cannot make a libcurl handle");
        goto fail;
    }
    if (setup_easy(t, x, req, direct, err) != 0)
        goto fail;
    if (curl_multi_add_handle(t->multi, x->easy) != CURLM_OK) {
        api_error_set(err, API_ERR_TRANSPORT, "cannot start the transfer");
        goto fail;
    }
    return x;
fail:
    transfer_free(x);
    return NULL;
}

bool api_transfer_sent(const struct api_transfer *x)
{
    return x->sent;
}

void api_transfer_cancel(struct api_transfer *x)
{
    if (x)
        transfer_free(x);
}

int api_transport_pollfds(struct api_transport *t, struct pollfd *fds, int max, int *timeout_ms)
{
    int n = 0;

    for (size_t i = 0; i < t->n_sockets && n < max; i++) {
        fds[n].fd = t->sockets[i].fd;
        fds[n].events = (short)(((t->sockets[i].what & CURL_POLL_IN) ? POLLIN : 0) |
                                ((t->sockets[i].what & CURL_POLL_OUT) ? POLLOUT : 0));
        fds[n].revents = 0;
        n++;
    }
    if (timeout_ms) {
        if (t->deadline_ms < 0) {
            *timeout_ms = -1;
        } else {
            long long left = t->deadline_ms - monotonic_ms();
            *timeout_ms = left < 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
        }
    }
    return n;
}

/* libcurl quotes a proxy setting it cannot use whole, password included
 * ("Unsupported proxy syntax in 'http://user:PASSWORD@host'"). The message
 * shows the setting by its variable's name instead, and any "user:pass@"
 * left after a "://" as "***@". */
static const char *const proxy_variables[] = {"https_proxy", "HTTPS_PROXY", "all_proxy",
                                              "ALL_PROXY",   "http_proxy",  "HTTP_PROXY"};

static void without_proxy_secrets(const char *why, char *out, size_t size)
{
    size_t n = 0;

    while (*why && n + 1 < size) {
        const char *name = NULL, *value = NULL;
        for (size_t i = 0; i < sizeof proxy_variables / sizeof proxy_variables[0] && !name; i++) {
            const char *v = getenv(proxy_variables[i]);
            if (v && v[0] && strncmp(why, v, strlen(v)) == 0)
                name = proxy_variables[i], value = v;
        }
        if (name) {
            n += (size_t)snprintf(out + n, size - n, "$%s", name);
            why += strlen(value);
        } else if (strncmp(why, "://", 3) == 0) {
            size_t span = strcspn(why + 3, "@/' \"");
            if (why[3 + span] == '@') {
                n += (size_t)snprintf(out + n, size - n, "://***");
                why += 3 + span;
            } else {
                out[n++] = *why++;
            }
        } else {
            out[n++] = *why++;
        }
        if (n >= size)
            n = size - 1;
    }
    out[n] = '\0';
}

static void set_curl_error(struct api_transfer *x, CURLcode rc, struct api_error *err)
{
    char why[CURL_ERROR_SIZE + 64];
    long status = 0;

    without_proxy_secrets(x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc), why, sizeof why);

    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        api_error_set(err, API_ERR_TRANSPORT, "response body over %zu MiB refused (HTTP %ld)",
                      x->max_body / (1024 * 1024), status);
    } else if (x->oom) {
        api_error_set(err, API_ERR_TRANSPORT, "out of memory reading the response");
    } else {
        switch (rc) {
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_SSL_ENGINE_INITFAILED:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_CLIENTCERT:
        case CURLE_USE_SSL_FAILED:
            api_error_set(err, API_ERR_TLS, "%s", why);
            break;
        case CURLE_ABORTED_BY_CALLBACK:
            /* Only prereq_cb aborts: libcurl was about to send the request again. */
            api_error_set(err, API_ERR_TRANSPORT,
                          "the connection closed before any answer came (%s)", why);
            break;
        case CURLE_OPERATION_TIMEDOUT:
            api_error_set(err, API_ERR_TRANSPORT, "timed out: %s", why);
            snprintf(err->code, sizeof err->code, "Timeout"); /* api/retry.c: costs more */
            err->retryable = true;
            break;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
            /* Connection errors: another attempt may well succeed. */
            api_error_set(err, API_ERR_TRANSPORT, "%s", why);
            err->retryable = true;
            break;
        default:
            api_error_set(err, API_ERR_TRANSPORT, "%s", why);
            break;
        }
    }
    err->http_status = status;
    err->sent = x->sent;
}

static void finish_transfers(struct api_transport *t)
{
    CURLMsg *msg;
    int left;

    while ((msg = curl_multi_info_read(t->multi, &left))) {
        struct api_transfer *x = NULL;
        struct api_http_response resp;
        struct api_error err;

        if (msg->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        if (!x)
            continue;
        api_error_clear(&err);
        memset(&resp, 0, sizeof resp);
        if (msg->data.result == CURLE_OK) {
            curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->resp.status);
            if (!x->resp.body) {
                x->resp.body = calloc(1, 1);
                if (!x->resp.body)
                    x->oom = true;
            }
        }
        if (msg->data.result != CURLE_OK || x->oom) {
            set_curl_error(x, msg->data.result, &err);
        } else {
            resp = x->resp;
            memset(&x->resp, 0, sizeof x->resp);
        }
        api_transfer_done_fn done = x->done;
        void *ctx = x->ctx;
        /* Free first: the callback may start new transfers or free the transport's owner. */
        transfer_free(x);
        if (done)
            done(ctx, &resp, &err);
        else
            api_http_response_free(&resp);
    }
}

void api_transport_perform(struct api_transport *t)
{
    int running = 0;
    size_t n = t->n_sockets;
    struct pollfd stack_fds[16];
    struct pollfd *fds = n <= 16 ? stack_fds : calloc(n, sizeof *fds);

    if (n && fds) {
        for (size_t i = 0; i < n; i++) {
            fds[i].fd = t->sockets[i].fd;
            fds[i].events = (short)(((t->sockets[i].what & CURL_POLL_IN) ? POLLIN : 0) |
                                    ((t->sockets[i].what & CURL_POLL_OUT) ? POLLOUT : 0));
            fds[i].revents = 0;
        }
        /* The caller polled already; this zero-timeout poll tells us which
         * sockets are ready without the caller handing revents back. */
        if (poll(fds, (nfds_t)n, 0) > 0) {
            for (size_t i = 0; i < n; i++) {
                int ev = 0;
                if (fds[i].revents & (POLLIN | POLLHUP))
                    ev |= CURL_CSELECT_IN;
                if (fds[i].revents & POLLOUT)
                    ev |= CURL_CSELECT_OUT;
                if (fds[i].revents & (POLLERR | POLLNVAL))
                    ev |= CURL_CSELECT_ERR;
                if (ev)
                    curl_multi_socket_action(t->multi, fds[i].fd, ev, &running);
            }
        }
    }
    if (fds != stack_fds)
        free(fds);
    if (t->deadline_ms >= 0 && monotonic_ms() >= t->deadline_ms) {
        t->deadline_ms = -1;
        curl_multi_socket_action(t->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
    finish_transfers(t);
}

int api_transport_pending(const struct api_transport *t)
{
    return t->pending;
}

void api_transport_wait(struct api_transport *t, const bool *done_flag)
{
    struct pollfd fds[64];

    while (!*done_flag && t->pending > 0) {
        int timeout = -1;
        int n = api_transport_pollfds(t, fds, 64, &timeout);
        if (timeout < 0 || timeout > 1000)
            timeout = 1000; /* belt and braces: never sleep unbounded */
        if (n > 0 || timeout > 0)
            poll(fds, (nfds_t)n, timeout);
        api_transport_perform(t);
    }
}

/* ---- Blocking one-shot request ---- */

struct oneshot {
    bool done;
    struct api_http_response *resp;
    struct api_error *err;
    int rc;
};

static void oneshot_done(void *ctx, struct api_http_response *resp, const struct api_error *err)
{
    struct oneshot *o = ctx;

    o->done = true;
    if (err->kind != API_ERR_NONE) {
        *o->err = *err;
        o->rc = -1;
        api_http_response_free(resp);
    } else {
        *o->resp = *resp;
        o->rc = 0;
    }
}

int api_http_request(const struct api_http_request *req, struct api_http_response *resp,
                     struct api_error *err)
{
    struct api_transport_options opt = {req->ca_bundle, req->plain_http_hosts,
                                        req->n_plain_http_hosts};
    struct oneshot o = {false, resp, err, -1};
    struct api_transport *t;

    memset(resp, 0, sizeof *resp);
    t = api_transport_new(&opt, err);
    if (!t)
        return -1;
    if (!api_transport_start(t, req, oneshot_done, &o, err)) {
        api_transport_free(t);
        return -1;
    }
    api_transport_wait(t, &o.done);
    api_transport_free(t);
    if (!o.done)
        return api_error_set(err, API_ERR_TRANSPORT, "the transfer stopped without an answer");
    return o.rc;
}
