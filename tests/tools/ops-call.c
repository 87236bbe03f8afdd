/* tests/tools/ops-call.c — drives api/client.h from a script, for the Python
 * integration tests against the emulator (tests/api/test_client_emulator.py).
 *
 *   ops-call [--read-only] [--max-attempts N] [--ca FILE] [--timeout-ms N]
 *            [--random R] [--skew S] ENDPOINT < script
 *
 * One client for the whole script (so connection reuse can be observed).
 * Script lines (stdin):  CALL OP JSON | DRY OP JSON | PAGE OP JSON | ASYNC N OP JSON
 * One JSON line out per result:
 *   {"ok": true, "output": {...}, "request_id": "...", "creds": N}
 *   {"ok": false, "kind", "status", "code", "message", "field", "request_id",
 *    "retryable", "exit", "creds"}
 *   DRY adds "text"; PAGE gives "pages" and "items" (elements of every array
 *   member of every page).
 * Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN;
 * region AWS_REGION (default us-east-1). --random R fixes the backoff draw;
 * --skew S runs the client's clock S seconds off the real one.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/client.h"
#include "api/dry_run.h"
#include "api/pagination.h"
#include "api/credentials_provider.h"

struct counter {
    struct api_credentials_provider base;
    struct api_credentials_provider *inner;
    int gets;
};

static int counter_get(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
                       struct api_error *err)
{
    struct counter *c = (struct counter *)p;
    c->gets++;
    return api_credentials_get(c->inner, now, out, err);
}

static void counter_free(struct api_credentials_provider *p)
{
    (void)p; /* static storage */
}

static const struct api_credentials_provider_ops counter_ops = {.get = counter_get,
                                                                .free = counter_free};
static struct counter creds = {{.ops = &counter_ops, .source = "env"}, NULL, 0};

struct hook_state {
    double random;
    long skew;
};

static double fixed_random(void *ctx)
{
    return ((struct hook_state *)ctx)->random;
}

static time_t skewed_clock(void *ctx)
{
    return time(NULL) + ((struct hook_state *)ctx)->skew;
}

static void print_result(json_object *output, const struct api_error *err, const char *text)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "ok", json_object_new_boolean(err->kind == API_ERR_NONE));
    if (err->kind == API_ERR_NONE) {
        if (output)
            json_object_object_add(o, "output", json_object_get(output));
    } else {
        json_object_object_add(o, "kind", json_object_new_string(api_error_kind_name(err->kind)));
        json_object_object_add(o, "status", json_object_new_int64(err->http_status));
        json_object_object_add(o, "code", json_object_new_string(err->code));
        json_object_object_add(o, "message", json_object_new_string(err->message));
        json_object_object_add(o, "field", json_object_new_string(err->field));
        json_object_object_add(o, "retryable", json_object_new_boolean(err->retryable));
        json_object_object_add(o, "exit", json_object_new_int(api_error_exit_code(err)));
    }
    json_object_object_add(o, "request_id", json_object_new_string(err->request_id));
    json_object_object_add(o, "creds", json_object_new_int(creds.gets));
    if (text)
        json_object_object_add(o, "text", json_object_new_string(text));
    puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    fflush(stdout);
    json_object_put(o);
}

struct page_count {
    int pages;
    long items;
};

static int on_page(void *ctx, json_object *page, struct api_error *err)
{
    struct page_count *pc = ctx;
    pc->pages++;
    json_object_object_foreach(page, key, val)
    {
        (void)key;
        if (json_object_is_type(val, json_type_array))
            pc->items += (long)json_object_array_length(val);
    }
    return 0;
}

static void async_done(void *ctx, json_object *output, const struct api_error *err)
{
    (*(int *)ctx)++;
    print_result(output, err, NULL);
    json_object_put(output);
}

static void run_line(struct api_client *c, char *line)
{
    char *verb = strtok(line, " \t\n");
    struct api_error err;
    json_object *out = NULL, *in = NULL;
    int n = 1;

    if (!verb)
        return;
    if (strcmp(verb, "ASYNC") == 0)
        n = atoi(strtok(NULL, " \t\n"));
    char *op = strtok(NULL, " \t\n");
    char *json = strtok(NULL, "\n");
    if (json) {
        in = json_tokener_parse(json);
        if (!in) {
            api_error_set(&err, API_ERR_INVALID_INPUT, "ops-call: input is not JSON");
            print_result(NULL, &err, NULL);
            return;
        }
    }
    if (strcmp(verb, "CALL") == 0) {
        api_call(c, op, in, &out, &err);
        print_result(out, &err, NULL);
        json_object_put(out);
    } else if (strcmp(verb, "DRY") == 0) {
        char *text = NULL;
        if (api_dry_run(c, op, in, &text, &err) == 0)
            api_error_clear(&err);
        print_result(NULL, &err, text);
        free(text);
    } else if (strcmp(verb, "PAGE") == 0) {
        struct page_count pc = {0, 0};
        api_paginate(c, op, in, on_page, &pc, &err);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "pages", json_object_new_int(pc.pages));
        json_object_object_add(o, "items", json_object_new_int64(pc.items));
        print_result(o, &err, NULL);
        json_object_put(o);
    } else if (strcmp(verb, "ASYNC") == 0) {
        int done = 0, started = 0;
        for (int i = 0; i < n; i++) {
            if (api_call_start(c, op, in, async_done, &done, &err))
                started++;
            else
                print_result(NULL, &err, NULL);
        }
        while (api_client_pending(c) > 0) {
            struct pollfd fds[64];
            int timeout = -1;
            int k = api_client_pollfds(c, fds, 64, &timeout);
            poll(fds, (nfds_t)k, timeout < 0 || timeout > 1000 ? 1000 : timeout);
            api_client_perform(c);
        }
        (void)started;
    } else {
        api_error_set(&err, API_ERR_INVALID_INPUT, "ops-call: unknown verb %s", verb);
        print_result(NULL, &err, NULL);
    }
    json_object_put(in);
}

int main(int argc, char **argv)
{
    struct api_client_options o = {0};
    struct hook_state hs = {0, 0};
    struct api_credentials env = {getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"),
                                  getenv("AWS_SESSION_TOKEN"), 0};
    struct api_error err;
    int i;

    o.region = getenv("AWS_REGION") ? getenv("AWS_REGION") : "us-east-1";
    for (i = 1; i < argc - 1; i++) {
        if (strcmp(argv[i], "--read-only") == 0)
            o.read_only = true;
        else if (strcmp(argv[i], "--max-attempts") == 0)
            o.max_attempts = atoi(argv[++i]);
        else if (strcmp(argv[i], "--ca") == 0)
            o.ca_bundle = argv[++i];
        else if (strcmp(argv[i], "--timeout-ms") == 0)
            o.timeout_ms = atol(argv[++i]);
        else if (strcmp(argv[i], "--random") == 0)
            hs.random = atof(argv[++i]), o.random = fixed_random;
        else if (strcmp(argv[i], "--skew") == 0)
            hs.skew = atol(argv[++i]), o.clock = skewed_clock;
        else
            break;
    }
    if (i != argc - 1) {
        fprintf(stderr, "usage: ops-call [options] ENDPOINT < script\n");
        return 2;
    }
    o.endpoint_url = argv[i];
    o.hook_ctx = &hs;
    if (env.access_key_id && env.secret_access_key) {
        creds.inner = api_credentials_static_new(&env, "env", &err);
        o.credentials = &creds.base;
    }
    struct api_client *c = api_client_new(&o, &err);
    if (!c) {
        print_result(NULL, &err, NULL);
        api_credentials_provider_free(creds.inner);
        return 1;
    }
    char line[65536];
    while (fgets(line, sizeof line, stdin))
        run_line(c, line);
    api_client_free(c);
    api_credentials_provider_free(creds.inner);
    return 0;
}
