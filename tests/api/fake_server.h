/* tests/api/fake_server.h — starts tests/api/fake_server.py for a C test and
 * talks to its control endpoints. Header-only (static functions), test use only.
 *
 * Call order: fake_start() → fake_script()/fake_log()/fake_reset() → fake_stop().
 * The server runs as a child process of the test; fake_stop() ends it (SIGTERM).
 */
#ifndef TESTS_API_FAKE_SERVER_H
#define TESTS_API_FAKE_SERVER_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "api/transport.h"

struct fake_server {
    pid_t pid;
    char url[128]; /* "http://127.0.0.1:PORT" or https */
    int port;
};

static inline const char *fake_python(void)
{
    const char *py = getenv("PYTHON");
    return py && py[0] ? py : "/usr/bin/python3";
}

/* Extra arguments (e.g. "--tls-cert", F, "--tls-key", K), NULL-terminated list of up to 6. */
static inline int fake_start_args(struct fake_server *fs, const char *const *extra)
{
    int pipefd[2];
    const char *argv[16];
    int n = 0;

    memset(fs, 0, sizeof *fs);
    if (pipe(pipefd) != 0)
        return -1;
    argv[n++] = fake_python();
    argv[n++] = "tests/api/fake_server.py";
    for (int i = 0; extra && extra[i] && n < 14; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    fs->pid = fork();
    if (fs->pid < 0)
        return -1;
    if (fs->pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(pipefd[1]);
    FILE *f = fdopen(pipefd[0], "r");
    char line[256] = "";
    if (!f || !fgets(line, sizeof line, f)) {
        if (f)
            fclose(f);
        kill(fs->pid, SIGTERM);
        waitpid(fs->pid, NULL, 0);
        return -1;
    }
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    const char *u = strstr(line, "http");
    if (!u)
        return -1;
    snprintf(fs->url, sizeof fs->url, "%s", u);
    const char *colon = strrchr(fs->url, ':');
    fs->port = colon ? atoi(colon + 1) : 0;
    return fs->port > 0 ? 0 : -1;
}

static inline int fake_start(struct fake_server *fs)
{
    return fake_start_args(fs, NULL);
}

static inline void fake_stop(struct fake_server *fs)
{
    if (fs->pid > 0) {
        kill(fs->pid, SIGTERM);
        waitpid(fs->pid, NULL, 0);
        fs->pid = 0;
    }
}

/* Control requests always go over plain http to the control port; with TLS
 * the caller passes the CA. */
static inline int fake_control(struct fake_server *fs, const char *method, const char *path,
                               const char *body, const char *ca, json_object **out)
{
    char url[256];
    struct api_http_request req = {0};
    struct api_http_response resp;
    struct api_error err;
    int rc;

    snprintf(url, sizeof url, "%s%s", fs->url, path);
    req.method = method;
    req.url = url;
    req.body = body;
    req.body_len = body ? strlen(body) : 0;
    req.ca_bundle = ca;
    req.timeout_ms = 20000;
    rc = api_http_request(&req, &resp, &err);
    if (rc == 0 && resp.status != 200)
        rc = -1;
    if (rc == 0 && out)
        *out = json_tokener_parse(resp.body);
    api_http_response_free(&resp);
    return rc;
}

static inline int fake_script(struct fake_server *fs, const char *json_list)
{
    return fake_control(fs, "POST", "/_fake/script", json_list, NULL, NULL);
}

static inline int fake_reset(struct fake_server *fs)
{
    return fake_control(fs, "POST", "/_fake/reset", "{}", NULL, NULL);
}

/* The request log's "requests" array (caller puts the returned root). */
static inline json_object *fake_log(struct fake_server *fs, json_object **root)
{
    json_object *reqs = NULL;
    *root = NULL;
    if (fake_control(fs, "GET", "/_fake/log", NULL, NULL, root) != 0 || !*root)
        return NULL;
    json_object_object_get_ex(*root, "requests", &reqs);
    return reqs;
}

static inline int fake_log_count(struct fake_server *fs)
{
    json_object *root;
    json_object *reqs = fake_log(fs, &root);
    int n = reqs ? (int)json_object_array_length(reqs) : -1;
    json_object_put(root);
    return n;
}

/* Value of header `name` in logged request `i` (copied into out), or "" when absent. */
static inline const char *fake_log_header(json_object *reqs, size_t i, const char *name, char *out,
                                          size_t size)
{
    json_object *r = json_object_array_get_idx(reqs, i), *hs = NULL;
    out[0] = '\0';
    if (r && json_object_object_get_ex(r, "headers", &hs)) {
        for (size_t k = 0; k < json_object_array_length(hs); k++) {
            json_object *pair = json_object_array_get_idx(hs, k);
            if (strcasecmp(json_object_get_string(json_object_array_get_idx(pair, 0)), name) == 0)
                snprintf(out, size, "%s",
                         json_object_get_string(json_object_array_get_idx(pair, 1)));
        }
    }
    return out;
}

#endif
