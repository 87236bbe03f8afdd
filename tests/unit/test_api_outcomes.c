/* tests/unit/test_api_outcomes.c — issue 11: three outcomes, not two. Every
 * failure point of a request against tests/api/fake_server.py (refused
 * before sending, closed with no answer, answer cut, timeout, complete 5xx,
 * unreadable 2xx, cancel before and after sending, a reused connection that
 * closes) for every operation: what api/ says (sent, outcome_unknown, exit
 * code) and how often the request reached the server. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/client.h"
#include "api/operations.h"
#include "tests/api/client_fixture.h"
#include "tests/api/fake_server.h"
#include "tests/api/minimal_inputs.h"
#include "tests/unit/check.h"

static struct fake_server fs;

struct env {
    struct counting_provider *cp;
    struct hooks h;
    struct api_client *c;
};

static void env_open_url(struct env *e, const char *url, long timeout_ms)
{
    struct api_client_options o = {0};
    struct api_error err;

    memset(e, 0, sizeof *e);
    e->cp = counting_new(false);
    e->h.now = time(NULL);
    e->h.rand = 0.01; /* blocking calls count the sleeps, never sleep them */
    o.region = "us-east-1";
    o.endpoint_url = url;
    o.max_attempts = 3;
    o.timeout_ms = timeout_ms;
    o.credentials = &e->cp->base;
    o.clock = hook_clock;
    o.sleep = hook_sleep;
    o.random = hook_random;
    o.hook_ctx = &e->h;
    e->c = api_client_new(&o, &err);
    CHECK(e->c != NULL);
}

static void env_open(struct env *e)
{
    env_open_url(e, fs.url, 20000);
    fake_reset(&fs);
}

static void env_close(struct env *e)
{
    api_client_free(e->c);
    api_credentials_provider_free(&e->cp->base);
}

static const char *minimal(const char *op)
{
    for (size_t i = 0; i < N_MINIMAL_INPUTS; i++)
        if (strcmp(minimal_inputs[i].op, op) == 0)
            return minimal_inputs[i].json;
    return "{}";
}

static int call_op(struct env *e, const char *op, json_object **out, struct api_error *err)
{
    json_object *in = json_tokener_parse(minimal(op));
    int rc = api_call(e->c, op, in, out, err);
    json_object_put(in);
    return rc;
}

/* The server may log a request a moment after the client gave up on it. */
static int settled_log_count(int at_least)
{
    int n = fake_log_count(&fs);
    for (int i = 0; i < 100 && n < at_least; i++) {
        usleep(20000);
        n = fake_log_count(&fs);
    }
    return n;
}

static void fail_op(const char *op, const char *what, long long got, long long want)
{
    char m[300];
    snprintf(m, sizeof m, "%s: %s = %lld, want %lld", op, what, got, want);
    check_fail(__FILE__, __LINE__, m);
}

#define CHECK_OP(op, what, got, want)                                                              \
    do {                                                                                           \
        long long g_ = (long long)(got), w_ = (long long)(want);                                   \
        if (g_ != w_)                                                                              \
            fail_op(op, what, g_, w_);                                                             \
    } while (0)

/* A port nothing listens on: bound, then closed. */
static int closed_port(void)
{
    struct sockaddr_in a = {0};
    socklen_t n = sizeof a;
    int s = socket(AF_INET, SOCK_STREAM, 0), port = 0;

    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(s, (struct sockaddr *)&a, &n) == 0)
        port = ntohs(a.sin_port);
    if (s >= 0)
        close(s);
    return port;
}

static void test_refused_before_sending_is_a_failure_and_retried(void)
{
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", closed_port());
    for (size_t i = 0; i < api_n_operations; i++) {
        const char *op = api_operations[i].name;
        struct env e;
        json_object *out = NULL;
        struct api_error err;

        env_open_url(&e, url, 20000);
        CHECK_OP(op, "rc", call_op(&e, op, &out, &err), -1);
        CHECK_OP(op, "kind", err.kind, API_ERR_TRANSPORT);
        CHECK_OP(op, "sent", err.sent, false);
        CHECK_OP(op, "outcome_unknown", err.outcome_unknown, false);
        CHECK_OP(op, "exit", api_error_exit_code(&err), 4);
        /* Nothing reached the service: safe to try again, whatever the operation. */
        CHECK_OP(op, "sleeps", e.h.n_sleeps, 2);
        env_close(&e);
    }
}

/* The server reads each attempt whole, then closes with no answer. */
static void test_closed_with_no_answer_per_operation(void)
{
    for (size_t i = 0; i < api_n_operations; i++) {
        const struct api_operation *o = &api_operations[i];
        struct env e;
        json_object *out = NULL;
        struct api_error err;

        env_open(&e);
        fake_script(&fs, "[{\"reset\": true}, {\"reset\": true}, {\"reset\": true}]");
        CHECK_OP(o->name, "rc", call_op(&e, o->name, &out, &err), -1);
        int want_sends = o->mutates && !o->repeatable ? 1 : 3;
        CHECK_OP(o->name, "requests", settled_log_count(want_sends), want_sends);
        CHECK_OP(o->name, "kind", err.kind, API_ERR_TRANSPORT);
        CHECK_OP(o->name, "sent", err.sent, true);
        CHECK_OP(o->name, "outcome_unknown", err.outcome_unknown, o->mutates);
        CHECK_OP(o->name, "exit", api_error_exit_code(&err), o->mutates ? 6 : 4);
        env_close(&e);
    }
}

static void test_answer_cut_short(void)
{
    static const char *const ops[] = {"CreateIdentityPool", "DeleteIdentities",
                                      "ListIdentityPools"};
    for (size_t i = 0; i < 3; i++) {
        const struct api_operation *o = api_operation_find(ops[i]);
        struct env e;
        json_object *out = NULL;
        struct api_error err;

        env_open(&e);
        /* The status line and half of the body, then the connection closes. */
        fake_script(&fs, "[{\"body\": \"{\\\"IdentityPoolId\\\": \\\"x\\\"}\", \"short\": 8},"
                         " {\"body\": \"{\\\"IdentityPoolId\\\": \\\"x\\\"}\", \"short\": 8},"
                         " {\"body\": \"{\\\"IdentityPoolId\\\": \\\"x\\\"}\", \"short\": 8}]");
        CHECK_OP(o->name, "rc", call_op(&e, o->name, &out, &err), -1);
        int want_sends = o->repeatable ? 3 : 1;
        CHECK_OP(o->name, "requests", settled_log_count(want_sends), want_sends);
        CHECK_OP(o->name, "sent", err.sent, true);
        CHECK_OP(o->name, "outcome_unknown", err.outcome_unknown, o->mutates);
        env_close(&e);
    }
}

static void test_timeout_waiting_for_the_answer(void)
{
    static const char *const ops[] = {"CreateIdentityPool", "SetIdentityPoolRoles"};
    for (size_t i = 0; i < 2; i++) {
        const struct api_operation *o = api_operation_find(ops[i]);
        struct env e;
        json_object *out = NULL;
        struct api_error err;

        env_open_url(&e, fs.url, 200);
        fake_reset(&fs);
        fake_script(&fs, "[{\"delay_ms\": 700}, {\"delay_ms\": 700}, {\"delay_ms\": 700}]");
        CHECK_OP(o->name, "rc", call_op(&e, o->name, &out, &err), -1);
        CHECK_STR_EQ(err.code, "Timeout");
        CHECK(err.sent && err.outcome_unknown);
        CHECK_OP(o->name, "exit", api_error_exit_code(&err), 6);
        int want_sends = o->repeatable ? 3 : 1;
        CHECK_OP(o->name, "requests", settled_log_count(want_sends), want_sends);
        env_close(&e);
        usleep(800000); /* the server finishes the answers it still owes */
    }
}

static void test_complete_5xx_is_a_known_failure_and_retried(void)
{
    struct env e;
    json_object *out = NULL;
    struct api_error err;
    const char *five =
        "{\"status\": 500, \"body\": \"{\\\"__type\\\": \\\"InternalErrorException\\\"}\"}";
    char script[512];

    /* Even a change not safe to repeat: the service said it did not do it. */
    env_open(&e);
    snprintf(script, sizeof script,
             "[%s, {\"status\": 503, \"body\": \"\"}, "
             "{\"body\": \"{\\\"IdentityPoolId\\\": \\\"us-east-1:new\\\"}\"}]",
             five);
    fake_script(&fs, script);
    CHECK_INT_EQ(call_op(&e, "CreateIdentityPool", &out, &err), 0);
    CHECK_INT_EQ(fake_log_count(&fs), 3);
    CHECK_INT_EQ(err.kind, API_ERR_NONE);
    CHECK(err.sent);
    CHECK(!err.repeated_after_unknown);
    json_object_put(out);
    env_close(&e);

    env_open(&e);
    snprintf(script, sizeof script, "[%s, %s, %s]", five, five, five);
    fake_script(&fs, script);
    CHECK_INT_EQ(call_op(&e, "CreateIdentityPool", &out, &err), -1);
    CHECK_INT_EQ(fake_log_count(&fs), 3);
    CHECK_STR_EQ(err.code, "InternalErrorException");
    CHECK(err.sent);
    CHECK(!err.outcome_unknown);
    CHECK_INT_EQ(api_error_exit_code(&err), 1);
    env_close(&e);
}

static void test_unreadable_2xx_is_unknown(void)
{
    struct env e;
    json_object *out = NULL;
    struct api_error err;

    env_open(&e);
    fake_script(&fs, "[{\"body\": \"{\\\"IdentityPoolId\\\": \\\"us-ea\"}, {\"body\": \"{}\"}]");
    CHECK_INT_EQ(call_op(&e, "CreateIdentityPool", &out, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_HTTP);
    CHECK_INT_EQ(err.http_status, 200);
    CHECK(err.sent && err.outcome_unknown);
    CHECK_INT_EQ(api_error_exit_code(&err), 6);
    CHECK_INT_EQ(fake_log_count(&fs), 1);
    env_close(&e);
}

static void test_unknown_is_sticky_over_attempts(void)
{
    struct env e;
    json_object *out = NULL;
    struct api_error err;
    const char *five =
        "{\"status\": 500, \"body\": \"{\\\"__type\\\": \\\"InternalErrorException\\\"}\"}";
    char script[512];

    /* A repeatable change: the first attempt's fate is unknown; the later
     * known failures do not make it "failed". */
    env_open(&e);
    snprintf(script, sizeof script, "[{\"reset\": true}, %s, %s]", five, five);
    fake_script(&fs, script);
    CHECK_INT_EQ(call_op(&e, "SetIdentityPoolRoles", &out, &err), -1);
    CHECK_INT_EQ(settled_log_count(3), 3);
    CHECK_STR_EQ(err.code, "InternalErrorException");
    CHECK(err.outcome_unknown);
    CHECK_INT_EQ(api_error_exit_code(&err), 6);
    env_close(&e);

    /* ... and a later success says it repeated an unknown attempt. */
    env_open(&e);
    fake_script(&fs, "[{\"reset\": true}, {\"body\": \"{}\"}]");
    CHECK_INT_EQ(call_op(&e, "DeleteIdentities", &out, &err), 0);
    CHECK(err.repeated_after_unknown);
    json_object_put(out);
    /* A fresh call starts clean. */
    fake_script(&fs, "[{\"body\": \"{}\"}]");
    CHECK_INT_EQ(call_op(&e, "DeleteIdentities", &out, &err), 0);
    CHECK(!err.repeated_after_unknown);
    json_object_put(out);
    env_close(&e);
}

/* libcurl re-sends a request on a fresh connection when a reused one closes
 * before any answer byte: never for a change not safe to repeat. */
static void test_reused_connection_closing_is_not_resent(void)
{
    static const char *const ops[] = {"CreateIdentityPool", "TagResource", "SetIdentityPoolRoles"};
    for (size_t i = 0; i < 3; i++) {
        const struct api_operation *o = api_operation_find(ops[i]);
        struct env e;
        json_object *out = NULL;
        struct api_error err;

        env_open(&e);
        fake_script(&fs, "[{\"body\": \"{}\"}, {\"reset\": true}, {\"body\": \"{}\"}]");
        CHECK_INT_EQ(call_op(&e, "ListIdentityPools", &out, &err), 0); /* opens the connection */
        json_object_put(out);
        out = NULL;
        int rc = call_op(&e, o->name, &out, &err);
        json_object_put(out);
        json_object *root = NULL, *reqs = fake_log(&fs, &root);
        int n = reqs ? (int)json_object_array_length(reqs) : -1;
        if (o->repeatable) {
            /* Re-sent (by libcurl or by a retry): the answer counts. */
            CHECK_OP(o->name, "rc", rc, 0);
            CHECK_OP(o->name, "requests", n, 3);
        } else {
            CHECK_OP(o->name, "rc", rc, -1);
            CHECK_OP(o->name, "requests", n, 2);
            CHECK_OP(o->name, "outcome_unknown", err.outcome_unknown, true);
            CHECK_OP(o->name, "exit", api_error_exit_code(&err), 6);
        }
        /* The reused connection was the first one. */
        if (n >= 2) {
            json_object *c0 = NULL, *c1 = NULL;
            json_object_object_get_ex(json_object_array_get_idx(reqs, 0), "connection", &c0);
            json_object_object_get_ex(json_object_array_get_idx(reqs, 1), "connection", &c1);
            CHECK_OP(o->name, "same connection", json_object_get_int(c0), json_object_get_int(c1));
        }
        json_object_put(root);
        env_close(&e);
    }
}

struct async_result {
    int calls;
    struct api_error err;
};

static void async_done(void *ctx, json_object *output, const struct api_error *err)
{
    struct async_result *r = ctx;
    r->calls++;
    r->err = *err;
    json_object_put(output);
}

static void run_until(struct api_client *c, bool (*cond)(void *), void *ctx, int max_ms)
{
    struct pollfd fds[16];
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        if (cond(ctx))
            return;
        clock_gettime(CLOCK_MONOTONIC, &t);
        long el = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
        if (el > max_ms)
            return;
        int timeout = -1;
        int n = api_client_pollfds(c, fds, 16, &timeout);
        if (timeout < 0 || timeout > 20)
            timeout = 20;
        poll(fds, (nfds_t)n, timeout);
        api_client_perform(c);
    }
}

static bool request_sent(void *r)
{
    return api_request_sent(r);
}

static bool server_logged_one(void *unused)
{
    return fake_log_count(&fs) >= 1;
}

static bool got_callback(void *r)
{
    return ((struct async_result *)r)->calls > 0;
}

static void test_cancel_before_and_after_sending(void)
{
    struct env e;
    struct api_error err;
    struct async_result r = {0};
    json_object *in = json_tokener_parse(minimal("CreateIdentityPool"));

    env_open(&e);
    /* Before sending: libcurl has not even connected yet. */
    struct api_request *req = api_call_start(e.c, "CreateIdentityPool", in, async_done, &r, &err);
    CHECK(req != NULL);
    CHECK(!api_request_sent(req));
    api_request_cancel(req);
    CHECK_INT_EQ(r.calls, 1);
    CHECK_INT_EQ(r.err.kind, API_ERR_CANCELLED);
    CHECK(!r.err.sent);
    CHECK(!r.err.outcome_unknown);
    CHECK_INT_EQ(api_error_exit_code(&r.err), 1);

    /* After sending: the server has it and is slow to answer. */
    memset(&r, 0, sizeof r);
    fake_script(&fs, "[{\"delay_ms\": 1500}]");
    req = api_call_start(e.c, "CreateIdentityPool", in, async_done, &r, &err);
    CHECK(req != NULL);
    run_until(e.c, request_sent, req, 10000);
    CHECK(api_request_sent(req));
    run_until(e.c, server_logged_one, NULL, 10000);
    api_request_cancel(req);
    CHECK_INT_EQ(r.calls, 1);
    CHECK_INT_EQ(r.err.kind, API_ERR_CANCELLED);
    CHECK(r.err.sent);
    CHECK(r.err.outcome_unknown);
    CHECK(strstr(r.err.message, "may have been applied") != NULL);
    CHECK_INT_EQ(api_error_exit_code(&r.err), 6);

    /* A read cancelled after sending has no outcome to lose. */
    json_object *lin = json_tokener_parse(minimal("ListIdentityPools"));
    memset(&r, 0, sizeof r);
    fake_reset(&fs);
    fake_script(&fs, "[{\"delay_ms\": 1500}]");
    req = api_call_start(e.c, "ListIdentityPools", lin, async_done, &r, &err);
    run_until(e.c, server_logged_one, NULL, 10000);
    api_request_cancel(req);
    CHECK(r.err.sent);
    CHECK(!r.err.outcome_unknown);

    /* Cancelled while waiting to retry after a complete 500: known failure. */
    memset(&r, 0, sizeof r);
    fake_reset(&fs);
    e.h.rand = 0.9; /* a 900 ms backoff on the client's timer */
    fake_script(&fs, "[{\"status\": 500, \"body\": \"\"}]");
    req = api_call_start(e.c, "CreateIdentityPool", in, async_done, &r, &err);
    run_until(e.c, server_logged_one, NULL, 10000);
    run_until(e.c, got_callback, &r, 200); /* the 500 arrives; the retry waits */
    CHECK_INT_EQ(r.calls, 0);
    api_request_cancel(req);
    CHECK_INT_EQ(r.calls, 1);
    CHECK(r.err.sent);
    CHECK(!r.err.outcome_unknown);
    CHECK_INT_EQ(fake_log_count(&fs), 1);

    json_object_put(lin);
    json_object_put(in);
    env_close(&e);
    usleep(1600000); /* the server finishes the answers it still owes */
}

/* The verbs' Ctrl-C: after api_request_stop_retries() nothing new leaves. */
static void test_stop_retries(void)
{
    struct env e;
    struct api_error err;
    struct async_result r = {0};
    json_object *in = json_tokener_parse(minimal("SetIdentityPoolRoles"));

    env_open(&e);
    e.h.rand = 0.5; /* a 500 ms backoff on the client's timer */
    fake_script(&fs, "[{\"status\": 503, \"body\": \"\"}, {\"body\": \"{}\"}]");
    struct api_request *req = api_call_start(e.c, "SetIdentityPoolRoles", in, async_done, &r, &err);
    CHECK(req != NULL);
    run_until(e.c, server_logged_one, NULL, 10000);
    run_until(e.c, got_callback, &r, 100); /* the 503 arrives; the retry waits */
    CHECK_INT_EQ(r.calls, 0);
    CHECK(!api_request_awaiting_answer(req));
    api_request_stop_retries(req);
    run_until(e.c, got_callback, &r, 5000);
    CHECK_INT_EQ(r.calls, 1);
    CHECK_INT_EQ(r.err.http_status, 503);
    CHECK(r.err.sent && !r.err.outcome_unknown);
    CHECK_INT_EQ(fake_log_count(&fs), 1);

    /* In flight past the sent point: the answer still counts. */
    memset(&r, 0, sizeof r);
    fake_reset(&fs);
    fake_script(&fs, "[{\"delay_ms\": 300, \"body\": \"{}\"}]");
    req = api_call_start(e.c, "SetIdentityPoolRoles", in, async_done, &r, &err);
    run_until(e.c, request_sent, req, 10000);
    CHECK(api_request_awaiting_answer(req));
    api_request_stop_retries(req);
    run_until(e.c, got_callback, &r, 10000);
    CHECK_INT_EQ(r.err.kind, API_ERR_NONE);
    json_object_put(in);
    env_close(&e);
}

int main(void)
{
    if (fake_start(&fs) != 0) {
        printf("not ok - fake_server: did not start\n");
        return 1;
    }
    RUN(test_refused_before_sending_is_a_failure_and_retried);
    RUN(test_closed_with_no_answer_per_operation);
    RUN(test_answer_cut_short);
    RUN(test_timeout_waiting_for_the_answer);
    RUN(test_complete_5xx_is_a_known_failure_and_retried);
    RUN(test_unreadable_2xx_is_unknown);
    RUN(test_unknown_is_sticky_over_attempts);
    RUN(test_reused_connection_closing_is_not_resent);
    RUN(test_cancel_before_and_after_sending);
    RUN(test_stop_retries);
    fake_stop(&fs);
    return check_finish();
}
