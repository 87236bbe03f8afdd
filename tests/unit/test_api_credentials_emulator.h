/* Starts the emulator (tests/emulator/emulator.py, its credential endpoints
 * included) for the credentials source tests, and talks to its control
 * endpoints. The tests run from the top of the tree (tests/run.sh cd's there). */
#ifndef TEST_API_CREDENTIALS_EMULATOR_H
#define TEST_API_CREDENTIALS_EMULATOR_H

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api/transport.h"

static pid_t emu_pid;
static char emu_url[128];     /* http://127.0.0.1:PORT */
static int emu_lifeline = -1; /* write end of the emulator's stdin: it stops when this closes */

static int emu_start(void)
{
    int out[2], in[2];
    static char python[] = "/usr/bin/python3", script[] = "tests/emulator/emulator.py",
                port_opt[] = "--port", port[] = "0", lifeline[] = "--exit-on-stdin-eof";
    char *argv[] = {python, script, port_opt, port, lifeline, NULL};
    posix_spawn_file_actions_t fa;
    char line[256];
    size_t n = 0;

    /* The emulator reads its stdin and stops at end of file: the write end stays here
     * (close-on-exec, so no other child holds it), so however this test ends — a failed
     * check, a sanitizer abort, the suite's timeout — the emulator ends with it. */
    if (pipe2(out, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(in, O_CLOEXEC) != 0) {
        close(out[0]);
        close(out[1]);
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    if (posix_spawn(&emu_pid, argv[0], &fa, NULL, argv, environ) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(in[0]);
    emu_lifeline = in[1];
    while (n + 1 < sizeof line && read(out[0], line + n, 1) == 1 && line[n] != '\n')
        n++;
    line[n] = '\0';
    /* Keep the pipe open (the emulator may print more). */
    if (sscanf(line, "listening on %127s", emu_url) != 1) {
        fprintf(stderr, "emulator did not start: \"%s\"\n", line);
        return -1;
    }
    return 0;
}

static void emu_stop(void)
{
    int status;

    if (emu_pid > 0) {
        kill(emu_pid, SIGTERM); /* the emulator we started, by its id */
        waitpid(emu_pid, &status, 0);
        emu_pid = 0;
    }
    if (emu_lifeline >= 0) {
        close(emu_lifeline);
        emu_lifeline = -1;
    }
}

/* POST a control request; returns the HTTP status (or -1). */
static long emu_control(const char *path, const char *json)
{
    char url[256];
    struct api_http_header h[1] = {{"Content-Type", "application/json"}};
    struct api_http_request req = {0};
    struct api_http_response resp = {0};
    struct api_error err;
    long status = -1;

    snprintf(url, sizeof url, "%s%s", emu_url, path);
    req.method = "POST";
    req.url = url;
    req.headers = h;
    req.n_headers = 1;
    req.body = json;
    req.body_len = strlen(json);
    api_error_clear(&err);
    if (api_http_request(&req, &resp, &err) == 0)
        status = resp.status;
    else
        fprintf(stderr, "  control %s: %s\n", path, err.message);
    api_http_response_free(&resp);
    return status;
}

static void emu_faults(const char *spec)
{
    char body[300];

    snprintf(body, sizeof body, "{\"spec\": \"%s\"}", spec);
    emu_control("/_emulator/faults", body);
}

#endif
