/* tests/unit/console_fixture.h — the whole console, headless, against the
 * emulator: what the console's C tests share (header-only, test use only).
 *
 * Call order: fixture_start(identities) once (starts
 * tests/emulator/emulator.py --seed demo and points the environment at it:
 * its endpoint for Cognito and STS, its full-access keys, a private HOME,
 * XDG_CONFIG_HOME and XDG_STATE_HOME) -> for each screen size and locale:
 * headless_open() -> fixture_console() -> fixture_keys() / fixture_settle()
 * / fixture_frame() -> console_free() -> headless_close() -> ...
 * -> fixture_stop() (stops the emulator, removes the folder; also from an
 * atexit handler, so a failing test leaves nothing running).
 *
 * fixture_frame() draws the frame and returns the screen's text, one line
 * a row, trailing spaces removed, with the emulator's port (which changes
 * from run to run) written as P's of the same width.
 */
#ifndef TESTS_CONSOLE_FIXTURE_H
#define TESTS_CONSOLE_FIXTURE_H

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

/* headless.h is a kit of static helpers: a test uses some of them. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "headless.h"
#include "tui/app.h"
#include "tui/console.h"

struct fixture {
    pid_t pid;
    char url[300];
    char dir[256];
    struct global_options opt;
};

static struct fixture fx;

static void fixture_stop(void)
{
    if (fx.pid > 0) {
        kill(fx.pid, SIGTERM);
        waitpid(fx.pid, NULL, 0);
        fx.pid = 0;
    }
    if (fx.dir[0]) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx.dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", fx.dir);
        fx.dir[0] = '\0';
    }
}

/* 0, or -1 when the emulator did not start (the caller skips). */
static int fixture_start(const char *identities)
{
    int out[2];
    const char *py = getenv("PYTHON") && *getenv("PYTHON") ? getenv("PYTHON") : "/usr/bin/python3";
    snprintf(fx.dir, sizeof fx.dir, "/tmp/tui-fixture-XXXXXX");
    if (!mkdtemp(fx.dir) || pipe(out) != 0)
        return -1;
    atexit(fixture_stop);
    fx.pid = fork();
    if (fx.pid < 0)
        return -1;
    if (fx.pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        execl(py, py, "tests/emulator/emulator.py", "--port", "0", "--seed", "demo", "--identities",
              identities, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    char line[256] = "";
    if (!f || !fgets(line, sizeof line, f) || strncmp(line, "listening on ", 13) != 0)
        return -1;
    line[strcspn(line, "\r\n")] = '\0';
    snprintf(fx.url, sizeof fx.url, "%s", line + 13);
    fclose(f); /* the emulator writes nothing more to stdout */
    char path[400];
    setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY", fx.url, 1);
    setenv("AWS_ENDPOINT_URL_STS", fx.url, 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 1);
    setenv("AWS_REGION", "us-east-1", 1);
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_SESSION_TOKEN");
    unsetenv("AWS_ACCOUNT_ID");
    unsetenv("NO_COLOR");
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    snprintf(path, sizeof path, "%s/none", fx.dir);
    setenv("AWS_CONFIG_FILE", path, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
    setenv("HOME", fx.dir, 1);
    snprintf(path, sizeof path, "%s/config", fx.dir);
    setenv("XDG_CONFIG_HOME", path, 1);
    snprintf(path, sizeof path, "%s/state", fx.dir);
    setenv("XDG_STATE_HOME", path, 1);
    memset(&fx.opt, 0, sizeof fx.opt);
    return 0;
}

static size_t fixture_sink(void *p, size_t size, size_t n, void *ctx)
{
    struct {
        char *buf;
        size_t len;
    } *b = ctx;
    char *nb = realloc(b->buf, b->len + size * n + 1);
    if (!nb)
        return 0;
    b->buf = nb;
    memcpy(b->buf + b->len, p, size * n);
    b->len += size * n;
    b->buf[b->len] = '\0';
    return size * n;
}

/* One call to the emulator's control endpoints (/_emulator/...). The answer,
 * parsed (the caller puts it), or NULL. */
static json_object *fixture_control(const char *method, const char *path, const char *json)
{
    struct {
        char *buf;
        size_t len;
    } b = {NULL, 0};
    char url[600];
    snprintf(url, sizeof url, "%s%s", fx.url, path);
    CURL *c = curl_easy_init();
    if (!c)
        return NULL;
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (json)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fixture_sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    json_object *out = rc == CURLE_OK && b.buf ? json_tokener_parse(b.buf) : NULL;
    free(b.buf);
    return out;
}

static void fixture_faults(const char *spec)
{
    char body[300];
    snprintf(body, sizeof body, "{\"spec\": \"%s\"}", spec);
    json_object_put(fixture_control("POST", "/_emulator/faults", body));
}

/* How many requests of `op` the emulator has seen since its last reset. */
static int fixture_count(const char *op)
{
    json_object *log = fixture_control("GET", "/_emulator/requests", NULL), *list;
    int n = 0;
    if (log && json_object_object_get_ex(log, "requests", &list))
        for (size_t i = 0; i < json_object_array_length(list); i++) {
            json_object *r = json_object_array_get_idx(list, i), *o;
            if (json_object_object_get_ex(r, "operation", &o) &&
                !strcmp(json_object_get_string(o), op))
                n++;
        }
    json_object_put(log);
    return n;
}

static void fixture_reset(void)
{
    json_object_put(fixture_control("POST", "/_emulator/reset", NULL));
}

static int fixture_settle(struct app *a)
{
    return console_settle(a, 20000);
}

/* A console over the current headless screen, its first page loaded. */
static struct app *fixture_console(void)
{
    char why[600];
    struct app *a = console_new(&fx.opt, why, sizeof why);
    if (!a) {
        fprintf(stderr, "console_new: %s\n", why);
        return NULL;
    }
    fixture_settle(a);
    console_draw(a); /* the panes follow what is loaded */
    fixture_settle(a);
    return a;
}

/* Keys, each followed by the requests it started and a frame. */
static void fixture_keys(struct app *a, const int *keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        console_key(a, keys[i]);
        fixture_settle(a);
        console_draw(a);
        fixture_settle(a);
    }
}

#define FIXTURE_KEYS(a, ...)                                                                       \
    do {                                                                                           \
        const int keys_[] = {__VA_ARGS__};                                                         \
        fixture_keys(a, keys_, sizeof keys_ / sizeof keys_[0]);                                    \
    } while (0)

/* Types a string, character by character. */
static void fixture_type(struct app *a, const char *s)
{
    for (; *s; s++)
        FIXTURE_KEYS(a, (unsigned char)*s);
}

/* The frame as text (see the header comment). Returns buf. */
static char *fixture_frame(struct app *a, char *buf, size_t cap)
{
    console_draw(a);
    size_t used = 0;
    buf[0] = '\0';
    for (int y = 0; y < getmaxy(stdscr); y++) {
        char row[2048];
        headless_row_trim(y, row, sizeof row);
        int n = snprintf(buf + used, cap - used, "%s\n", row);
        if (n < 0 || (size_t)n >= cap - used)
            break;
        used += (size_t)n;
    }
    for (char *p = buf; (p = strstr(p, "127.0.0.1:"));) {
        p += 10;
        while (isdigit((unsigned char)*p))
            *p++ = 'P';
    }
    return buf;
}

#endif
