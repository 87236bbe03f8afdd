/* tests/unit/test_api_transport.c — api/transport.c against tests/api/fake_server.py:
 * URL policy, headers as given, no redirects, 16 MiB limit, timeouts,
 * keep-alive, async driving and cancellation, TLS verification and extra CAs. */
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/transport.h"
#include "tests/api/fake_server.h"
#include "tests/unit/check.h"

static struct fake_server fs;

static int get(const char *path, struct api_http_response *resp, struct api_error *err)
{
    char url[256];
    struct api_http_request req = {0};

    snprintf(url, sizeof url, "%s%s", fs.url, path);
    req.method = "GET";
    req.url = url;
    req.timeout_ms = 20000;
    return api_http_request(&req, resp, err);
}

static void test_url_policy(void)
{
    struct api_error err;
    const char *const link_local[] = {"169.254.169.254", "169.254.170.2", "fd00:ec2::254"};

    CHECK_INT_EQ(
        api_http_url_allowed("https://cognito-identity.eu-west-1.amazonaws.com/", NULL, 0, &err),
        0);
    CHECK_INT_EQ(api_http_url_allowed("http://127.0.0.1:8080/", NULL, 0, &err), 0);
    CHECK_INT_EQ(api_http_url_allowed("http://127.9.8.7/", NULL, 0, &err), 0);
    CHECK_INT_EQ(api_http_url_allowed("http://[::1]:9/", NULL, 0, &err), 0);
    CHECK_INT_EQ(api_http_url_allowed("http://LOCALHOST:9/", NULL, 0, &err), 0);
    CHECK_INT_EQ(api_http_url_allowed("http://example.com/", NULL, 0, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_TRANSPORT);
    CHECK(strstr(err.message, "loopback") != NULL);
    CHECK_INT_EQ(api_http_url_allowed("http://128.0.0.1/", NULL, 0, &err), -1);
    CHECK_INT_EQ(api_http_url_allowed("http://127.0.0.1.evil.com/", NULL, 0, &err), -1);
    CHECK_INT_EQ(api_http_url_allowed("http://169.254.169.254/latest", NULL, 0, &err), -1);
    CHECK_INT_EQ(api_http_url_allowed("http://169.254.169.254/latest", link_local, 3, &err), 0);
    CHECK_INT_EQ(api_http_url_allowed("http://[fd00:ec2::254]/latest", link_local, 3, &err), 0);
    CHECK_INT_EQ(api_http_url_allowed("http://169.254.169.253/", link_local, 3, &err), -1);
    CHECK_INT_EQ(api_http_url_allowed("ftp://127.0.0.1/", NULL, 0, &err), -1);
    CHECK(strstr(err.message, "scheme") != NULL);
    CHECK_INT_EQ(api_http_url_allowed("not a url", NULL, 0, &err), -1);
    CHECK_INT_EQ(api_http_url_allowed(NULL, NULL, 0, &err), -1);
}

static void test_refused_before_connecting(void)
{
    struct api_http_request req = {0};
    struct api_http_response resp;
    struct api_error err;
    char url[128];

    fake_reset(&fs);
    /* The fake server listens on 127.0.0.1 only; 0.0.0.0-style tricks aside,
     * a non-loopback http URL must fail without any request reaching anyone. */
    snprintf(url, sizeof url, "http://192.0.2.1:%d/", fs.port);
    req.url = url;
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_TRANSPORT);
    CHECK(resp.body == NULL);
    api_http_response_free(&resp);
}

static void test_request_and_headers(void)
{
    char url[256], v[256];
    struct api_http_header hs[] = {
        {"X-Test", "one two"}, {"Content-Type", "text/plain"}, {"Accept", "application/json"}};
    struct api_http_request req = {0};
    struct api_http_response resp;
    struct api_error err;
    json_object *root;

    fake_reset(&fs);
    fake_script(&fs, "[{\"status\": 201, \"headers\": {\"X-Answer\": \" forty two \"}, "
                     "\"body\": \"hello\"}]");
    snprintf(url, sizeof url, "%s/some/path?q=1", fs.url);
    req.method = "PUT";
    req.url = url;
    req.headers = hs;
    req.n_headers = 3;
    req.body = "payload";
    req.body_len = 7;
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), 0);
    CHECK_INT_EQ(resp.status, 201);
    CHECK_STR_EQ(resp.body, "hello");
    CHECK_INT_EQ(resp.body_len, 5);
    CHECK_STR_EQ(api_http_response_header(&resp, "x-answer"), "forty two");
    CHECK_STR_EQ(api_http_response_header(&resp, "X-AMZN-REQUESTID"), "fake-1");
    CHECK(api_http_response_header(&resp, "X-Nope") == NULL);
    api_http_response_free(&resp);
    CHECK(resp.body == NULL && resp.n_headers == 0);

    json_object *reqs = fake_log(&fs, &root);
    CHECK(reqs && json_object_array_length(reqs) == 1);
    if (reqs && json_object_array_length(reqs) == 1) {
        json_object *r = json_object_array_get_idx(reqs, 0), *x;
        json_object_object_get_ex(r, "method", &x);
        CHECK_STR_EQ(json_object_get_string(x), "PUT");
        json_object_object_get_ex(r, "path", &x);
        CHECK_STR_EQ(json_object_get_string(x), "/some/path?q=1");
        json_object_object_get_ex(r, "body", &x);
        CHECK_STR_EQ(json_object_get_string(x), "payload");
        CHECK_STR_EQ(fake_log_header(reqs, 0, "X-Test", v, sizeof v), "one two");
        CHECK_STR_EQ(fake_log_header(reqs, 0, "Content-Type", v, sizeof v), "text/plain");
        /* Nothing the caller (and the signer) did not see. */
        CHECK_STR_EQ(fake_log_header(reqs, 0, "Expect", v, sizeof v), "");
        CHECK_STR_EQ(fake_log_header(reqs, 0, "Accept", v, sizeof v), "application/json");
    }
    json_object_put(root);

    /* Without the caller's Accept/Content-Type, libcurl adds none of its own. */
    fake_reset(&fs);
    req.n_headers = 1;
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), 0);
    api_http_response_free(&resp);
    reqs = fake_log(&fs, &root);
    CHECK(reqs && json_object_array_length(reqs) == 1);
    CHECK_STR_EQ(fake_log_header(reqs, 0, "Accept", v, sizeof v), "");
    CHECK_STR_EQ(fake_log_header(reqs, 0, "Content-Type", v, sizeof v), "");
    CHECK_STR_EQ(fake_log_header(reqs, 0, "Expect", v, sizeof v), "");
    json_object_put(root);
}

static void test_status_is_not_an_error_and_no_redirects(void)
{
    struct api_http_response resp;
    struct api_error err;

    fake_reset(&fs);
    fake_script(&fs, "[{\"status\": 404, \"body\": \"nope\"},"
                     " {\"status\": 302, \"headers\": {\"Location\": \"/elsewhere\"}}]");
    CHECK_INT_EQ(get("/", &resp, &err), 0);
    CHECK_INT_EQ(resp.status, 404);
    CHECK_STR_EQ(resp.body, "nope");
    api_http_response_free(&resp);
    CHECK_INT_EQ(get("/", &resp, &err), 0);
    CHECK_INT_EQ(resp.status, 302);
    CHECK_STR_EQ(resp.body, "");
    api_http_response_free(&resp);
    CHECK_INT_EQ(fake_log_count(&fs), 2); /* /elsewhere was never asked for */
}

static void test_body_limit(void)
{
    struct api_http_response resp;
    struct api_error err;
    char url[256];
    struct api_http_request req = {0};

    fake_reset(&fs);
    /* Announced length over the limit, then a streamed body without length. */
    fake_script(&fs, "[{\"repeat\": 16777217}, {\"repeat\": 17000000, \"no_length\": true},"
                     " {\"repeat\": 16777216}]");
    CHECK_INT_EQ(get("/", &resp, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_TRANSPORT);
    CHECK(strstr(err.message, "over 16 MiB") != NULL);
    CHECK_INT_EQ(err.http_status, 200);
    CHECK(!err.retryable);
    api_http_response_free(&resp);
    CHECK_INT_EQ(get("/", &resp, &err), -1);
    CHECK(strstr(err.message, "over 16 MiB") != NULL);
    api_http_response_free(&resp);
    /* Exactly 16 MiB is allowed. */
    CHECK_INT_EQ(get("/", &resp, &err), 0);
    CHECK_INT_EQ(resp.body_len, 16777216);
    api_http_response_free(&resp);

    /* A caller's own smaller limit. */
    fake_script(&fs, "[{\"repeat\": 2000}]");
    snprintf(url, sizeof url, "%s/", fs.url);
    req.url = url;
    req.max_body = 1000;
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
    CHECK(strstr(err.message, "refused") != NULL);
    api_http_response_free(&resp);
}

static void test_timeouts_and_connection_errors(void)
{
    struct api_http_request req = {0};
    struct api_http_response resp;
    struct api_error err;
    char url[256];

    fake_reset(&fs);
    fake_script(&fs, "[{\"delay_ms\": 1500}]");
    snprintf(url, sizeof url, "%s/", fs.url);
    req.url = url;
    req.timeout_ms = 200;
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_TRANSPORT);
    CHECK_STR_EQ(err.code, "Timeout");
    CHECK(err.retryable);
    CHECK(strstr(err.message, "timed out") != NULL);
    api_http_response_free(&resp);

    /* A port nobody listens on (the fake server's own port + a closed neighbour
     * is not guaranteed closed; port 1 on loopback is). */
    req.url = "http://127.0.0.1:1/";
    req.timeout_ms = 2000;
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_TRANSPORT);
    CHECK(err.retryable);
    api_http_response_free(&resp);

    /* Connection closed half-way through the body. */
    fake_script(&fs, "[{\"body\": \"{\\\"a\\\": \\\"0123456789\\\"}\", \"short\": 5}]");
    req.url = url;
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_TRANSPORT);
    CHECK(err.retryable);
    api_http_response_free(&resp);
    usleep(200000); /* let the fake server finish the delayed answer it still owes */
}

struct collected {
    int calls;
    long status[8];
    int failed;
    struct api_error last_err;
};

static void collect(void *ctx, struct api_http_response *resp, const struct api_error *err)
{
    struct collected *c = ctx;
    if (c->calls < 8)
        c->status[c->calls] = err->kind == API_ERR_NONE ? resp->status : -1;
    c->calls++;
    if (err->kind != API_ERR_NONE) {
        c->failed++;
        c->last_err = *err;
    }
    api_http_response_free(resp);
}

static void drive(struct api_transport *t, int max_loops)
{
    struct pollfd fds[16];
    for (int i = 0; i < max_loops && api_transport_pending(t) > 0; i++) {
        int timeout = -1;
        int n = api_transport_pollfds(t, fds, 16, &timeout);
        CHECK(n >= 0 && n <= 16);
        if (timeout < 0 || timeout > 500)
            timeout = 500;
        poll(fds, (nfds_t)n, timeout);
        api_transport_perform(t);
    }
}

static void test_keep_alive_one_connection(void)
{
    struct api_error err;
    struct api_transport *t = api_transport_new(NULL, &err);
    struct collected got = {0};
    char url[256];
    struct api_http_request req = {0};
    json_object *root;

    CHECK(t != NULL);
    if (!t)
        return;
    fake_reset(&fs);
    snprintf(url, sizeof url, "%s/", fs.url);
    req.method = "POST";
    req.url = url;
    req.body = "{}";
    req.body_len = 2;
    for (int i = 0; i < 4; i++) {
        bool done = false;
        int before = got.calls;
        CHECK(api_transport_start(t, &req, collect, &got, &err) != NULL);
        drive(t, 200);
        done = got.calls == before + 1;
        CHECK(done);
    }
    CHECK_INT_EQ(got.calls, 4);
    CHECK_INT_EQ(got.failed, 0);
    json_object *reqs = fake_log(&fs, &root);
    CHECK(reqs && json_object_array_length(reqs) == 4);
    for (size_t i = 1; reqs && i < json_object_array_length(reqs); i++) {
        json_object *a, *b;
        json_object_object_get_ex(json_object_array_get_idx(reqs, 0), "connection", &a);
        json_object_object_get_ex(json_object_array_get_idx(reqs, i), "connection", &b);
        CHECK_INT_EQ(json_object_get_int(a), json_object_get_int(b));
    }
    json_object_put(root);
    api_transport_free(t);
}

static void test_async_concurrent_and_cancel(void)
{
    struct api_error err;
    struct api_transport *t = api_transport_new(NULL, &err);
    struct collected got = {0};
    char url[256];
    struct api_http_request req = {0};
    struct pollfd fds[16];
    int timeout = 5;

    if (!t) {
        CHECK(t != NULL);
        return;
    }
    fake_reset(&fs);
    /* Answers are taken in arrival order; the slow one is cancelled. */
    fake_script(&fs, "[{\"delay_ms\": 3000}, {\"status\": 200}, {\"status\": 200}]");
    snprintf(url, sizeof url, "%s/", fs.url);
    req.url = url;
    CHECK_INT_EQ(api_transport_pollfds(t, fds, 16, &timeout), 0);
    CHECK_INT_EQ(timeout, -1); /* idle: no deadline */
    struct api_transfer *slow = api_transport_start(t, &req, collect, &got, &err);
    CHECK(slow != NULL);
    /* Let the slow request reach the server first. */
    for (int i = 0; i < 50 && fake_log_count(&fs) < 1; i++)
        drive(t, 1);
    CHECK(api_transport_start(t, &req, collect, &got, &err) != NULL);
    CHECK(api_transport_start(t, &req, collect, &got, &err) != NULL);
    CHECK_INT_EQ(api_transport_pending(t), 3);
    for (int i = 0; i < 400 && got.calls < 2; i++)
        drive(t, 1);
    CHECK_INT_EQ(got.calls, 2);
    CHECK_INT_EQ(got.status[0], 200);
    CHECK_INT_EQ(got.status[1], 200);
    CHECK_INT_EQ(api_transport_pending(t), 1);
    api_transfer_cancel(slow);
    CHECK_INT_EQ(api_transport_pending(t), 0);
    drive(t, 5);
    CHECK_INT_EQ(got.calls, 2); /* no callback for the cancelled one */
    api_transport_free(t);
}

/* ---- TLS ---- */

static char tls_dir[64];

static int make_certs(void)
{
    char cmd[2048];
    snprintf(tls_dir, sizeof tls_dir, "/tmp/cognito-tui-tls-XXXXXX");
    if (!mkdtemp(tls_dir))
        return -1;
    snprintf(cmd, sizeof cmd,
             "cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem "
             "-days 2 -subj /CN=cognito-tui-test-CA >/dev/null 2>&1 && "
             "openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr "
             "-subj /CN=127.0.0.1 >/dev/null 2>&1 && "
             "printf 'subjectAltName=IP:127.0.0.1\\n' > ext && "
             "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
             "-out srv.pem -days 2 -extfile ext >/dev/null 2>&1 && "
             "printf 'not a certificate\\n' > junk.pem",
             tls_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_tls_verified_and_extra_ca_adds(void)
{
    struct fake_server tls;
    char cert[128], key[128], ca[128], url[256], junk[128];
    struct api_http_request req = {0};
    struct api_http_response resp;
    struct api_error err;

    if (make_certs() != 0) {
        CHECK(!"openssl could not make test certificates");
        return;
    }
    snprintf(cert, sizeof cert, "%s/srv.pem", tls_dir);
    snprintf(key, sizeof key, "%s/srv.key", tls_dir);
    snprintf(ca, sizeof ca, "%s/ca.pem", tls_dir);
    snprintf(junk, sizeof junk, "%s/junk.pem", tls_dir);
    const char *const args[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    if (fake_start_args(&tls, args) != 0) {
        CHECK(!"TLS fake server did not start");
        return;
    }
    CHECK(strncmp(tls.url, "https://", 8) == 0);
    snprintf(url, sizeof url, "%s/", tls.url);
    req.url = url;
    req.timeout_ms = 30000;
    req.connect_timeout_ms = 30000; /* the handshake, on a loaded machine or under valgrind */

    /* Unknown CA: refused, as TLS. */
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_TLS);
    api_http_response_free(&resp);

    /* The extra CA makes it trusted. */
    req.ca_bundle = ca;
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), 0);
    CHECK_INT_EQ(resp.status, 200);
    api_http_response_free(&resp);

    /* The host name is still checked: the certificate is for 127.0.0.1 only. */
    snprintf(url, sizeof url, "https://localhost:%d/", tls.port);
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_TLS);
    api_http_response_free(&resp);

    /* Bad bundles are reported, not ignored. */
    snprintf(url, sizeof url, "%s/", tls.url);
    req.ca_bundle = junk;
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_TLS);
    CHECK(strstr(err.message, "no PEM certificate") != NULL);
    api_http_response_free(&resp);
    req.ca_bundle = "/nonexistent/ca.pem";
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_TLS);
    CHECK(strstr(err.message, "/nonexistent/ca.pem") != NULL);
    api_http_response_free(&resp);

    fake_stop(&tls);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tls_dir);
    CHECK_INT_EQ(system(cmd), 0);
}

/* ---- proxies ----
 *
 * A recorder stands in for a proxy: it accepts connections for a while and
 * keeps the first line each one sent ("GET http://..." or "CONNECT ..."). */
struct recorder {
    int sock, port;
    char lines[4][256];
    int n;
    volatile int stop;
    pthread_t thread;
};

static void *recorder_run(void *arg)
{
    struct recorder *r = arg;

    while (!r->stop) {
        struct pollfd p = {r->sock, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0)
            continue;
        int c = accept(r->sock, NULL, NULL);
        if (c < 0)
            return NULL;
        char buf[1024];
        ssize_t got = 0, n;
        struct pollfd q = {c, POLLIN, 0};
        while (got < (ssize_t)sizeof buf - 1 && poll(&q, 1, 2000) > 0 &&
               (n = read(c, buf + got, sizeof buf - 1 - (size_t)got)) > 0) {
            got += n;
            buf[got] = '\0';
            if (strstr(buf, "\r\n"))
                break;
        }
        buf[got > 0 ? got : 0] = '\0';
        char *eol = strstr(buf, "\r\n");
        if (eol)
            *eol = '\0';
        if (r->n < 4)
            snprintf(r->lines[r->n++], sizeof r->lines[0], "%.200s", buf);
        close(c); /* no answer: the transfer fails, which is fine */
    }
    return NULL;
}

static int recorder_start(struct recorder *r)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof a;

    memset(r, 0, sizeof *r);
    r->sock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (r->sock < 0 || bind(r->sock, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(r->sock, 8) != 0 || getsockname(r->sock, (struct sockaddr *)&a, &len) != 0)
        return -1;
    r->port = ntohs(a.sin_port);
    return pthread_create(&r->thread, NULL, recorder_run, r);
}

static void recorder_stop(struct recorder *r)
{
    r->stop = 1;
    pthread_join(r->thread, NULL);
    close(r->sock);
}

static void set_proxy_env(int port)
{
    static const char *const names[] = {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy",
                                        "ALL_PROXY"};
    char url[64];

    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (port)
            setenv(names[i], url, 1);
        else
            unsetenv(names[i]);
    }
    unsetenv("no_proxy");
    unsetenv("NO_PROXY");
}

/* Plain http goes only directly to loopback or a container host; those
 * never use a proxy, whatever the environment says, so a signed request or
 * a container token never crosses a proxy in clear text. */
static void test_plain_http_never_through_a_proxy(void)
{
    struct recorder r;
    struct api_http_request req = {0};
    struct api_http_response resp;
    struct api_error err;
    char url[256];
    /* A listed plain-http host as the container hosts are, but one that
     * answers nobody (TEST-NET-1): the real link-local ones may exist. */
    const char *const container[] = {"192.0.2.1"};
    struct api_http_header token = {"Authorization", "container-secret"};

    if (recorder_start(&r) != 0) {
        CHECK(!"recorder did not start");
        return;
    }
    fake_reset(&fs);
    set_proxy_env(r.port);
    CHECK_INT_EQ(get("/ok", &resp, &err), 0);
    CHECK_INT_EQ(resp.status, 200);
    api_http_response_free(&resp);

    /* A container host: direct (and unreachable here), never the proxy. */
    req.method = "GET";
    req.url = "http://192.0.2.1/v2/credentials";
    req.headers = &token;
    req.n_headers = 1;
    req.plain_http_hosts = container;
    req.n_plain_http_hosts = 1;
    req.connect_timeout_ms = 300;
    req.timeout_ms = 1000;
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
    api_http_response_free(&resp);

    /* https to loopback: direct too (it reaches the fake server's port and
     * fails the handshake there, or is refused; never the proxy). */
    snprintf(url, sizeof url, "https://127.0.0.1:%d/", fs.port);
    req.url = url;
    req.headers = NULL;
    req.n_headers = 0;
    (void)api_http_request(&req, &resp, &err);
    api_http_response_free(&resp);

    /* https elsewhere does use the proxy, through a CONNECT tunnel: the
     * proxy sees the host name, never the request. */
    req.url = "https://cognito-identity.us-east-1.amazonaws.com/";
    req.connect_timeout_ms = 2000;
    req.timeout_ms = 3000;
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
    api_http_response_free(&resp);
    set_proxy_env(0);
    recorder_stop(&r);
    CHECK_INT_EQ(fake_log_count(&fs), 1); /* /ok reached the server itself */
    CHECK_INT_EQ(r.n, 1);
    for (int i = 0; i < r.n; i++)
        fprintf(stderr, "  proxy saw: %s\n", r.lines[i]);
    CHECK_STR_EQ(r.lines[0], "CONNECT cognito-identity.us-east-1.amazonaws.com:443 HTTP/1.1");
}

/* A proxy URL's password never shows in a message. libcurl quotes the whole
 * proxy setting when it cannot use it ("Unsupported proxy syntax in
 * 'http://user:PASSWORD@...'"), and that text became the error the user
 * reads (and a console status line). */
static void test_proxy_password_never_in_a_message(void)
{
    static const char *const settings[] = {
        "http://user:proxy-pass-secret@[::1",            /* unparsable */
        "http://user:proxy-pass-secret@127.0.0.1:99999", /* port out of range */
        "ftp://user:proxy-pass-secret@127.0.0.1:1",      /* unsupported scheme */
        "socks9://user:proxy-pass-secret@127.0.0.1:1",   /* unknown scheme */
        "user:proxy-pass-secret@bad host:3128",          /* no scheme, a space */
        "http://user:proxy-pass-secret@127.0.0.1:1",     /* nothing listens */
    };
    static const char *const names[] = {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
    struct api_http_request req = {0};
    struct api_http_response resp;
    struct api_error err;

    req.method = "GET";
    req.url = "https://cognito-identity.us-east-1.amazonaws.com/";
    req.connect_timeout_ms = 2000;
    req.timeout_ms = 3000;
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            setenv(names[k], settings[i], 1);
        unsetenv("no_proxy");
        unsetenv("NO_PROXY");
        api_error_clear(&err);
        CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
        api_http_response_free(&resp);
        CHECK(err.message[0] != '\0');
        if (strstr(err.message, "proxy-pass-secret")) {
            char why[600];
            snprintf(why, sizeof why, "proxy password in the message: %.500s", err.message);
            check_fail(__FILE__, __LINE__, why);
        }
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            unsetenv(names[k]);
    }
}

static void test_bad_header_refused(void)
{
    struct api_http_header hs[] = {{"X-Evil", "a\r\nInjected: yes"}};
    struct api_http_request req = {0};
    struct api_http_response resp;
    struct api_error err;
    char url[256];

    fake_reset(&fs);
    snprintf(url, sizeof url, "%s/", fs.url);
    req.url = url;
    req.headers = hs;
    req.n_headers = 1;
    CHECK_INT_EQ(api_http_request(&req, &resp, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_TRANSPORT);
    CHECK_INT_EQ(fake_log_count(&fs), 0);
    api_http_response_free(&resp);
}

int main(void)
{
    RUN(test_url_policy);
    if (fake_start(&fs) != 0) {
        printf("not ok - fake_server: did not start\n");
        return 1;
    }
    RUN(test_refused_before_connecting);
    RUN(test_request_and_headers);
    RUN(test_status_is_not_an_error_and_no_redirects);
    RUN(test_body_limit);
    RUN(test_timeouts_and_connection_errors);
    RUN(test_keep_alive_one_connection);
    RUN(test_async_concurrent_and_cancel);
    RUN(test_bad_header_refused);
    RUN(test_plain_http_never_through_a_proxy);
    RUN(test_proxy_password_never_in_a_message);
    RUN(test_tls_verified_and_extra_ca_adds);
    fake_stop(&fs);
    return check_finish();
}
