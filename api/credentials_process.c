/* api/credentials_process.c — the profile's credential_process.
 *
 * The command line is split like a POSIX shell splits words (blanks
 * separate; single quotes keep everything; double quotes keep everything but
 * `\"` and `\\`; a backslash outside quotes keeps the next character), the
 * way botocore splits it, and run with posix_spawnp(): never through a shell.
 * stdin is /dev/null (the console owns the terminal). stdout must be JSON
 * Version 1: {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?,
 * "Expiration"?}. stderr is captured: when the process fails, the last line
 * it wrote (up to 200 bytes, control characters replaced) is quoted in the
 * error so the user sees why; stdout is never quoted (it holds secrets).
 * A process still running after 120 s is killed. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "api/credentials_sources.h"
#include "api/shlex.h"

#define PROCESS_TIMEOUT_MS  (120 * 1000)
#define PROCESS_MAX_STDOUT  (1024 * 1024)
#define PROCESS_KEEP_STDERR 4096

struct process_source {
    struct cred_refreshing r;
    char *command;   /* as written in the file */
    char **argv;     /* split */
    char where[300]; /* "profile NAME (FILE line N)" */
};

/* The last non-empty line of the captured stderr, printable, at most 200 bytes. */
static void last_line(const char *buf, size_t len, char *out, size_t size)
{
    size_t end = len, start, n = 0;

    while (end > 0 && (buf[end - 1] == '\n' || buf[end - 1] == '\r' || buf[end - 1] == ' '))
        end--;
    start = end;
    while (start > 0 && buf[start - 1] != '\n')
        start--;
    for (size_t i = start; i < end && n + 1 < size && n < 200; i++)
        out[n++] = (unsigned char)buf[i] < 0x20 || buf[i] == 0x7f ? '?' : buf[i];
    out[n] = '\0';
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Runs argv; fills out (stdout, malloc'd, NUL-terminated) and the last
 * stderr line. Returns the wait status, or -1 with err filled. */
static int run(struct process_source *ps, char **out, size_t *out_len, char *err_line,
               size_t err_line_size, struct api_error *err)
{
    int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, status = 0, rc;
    posix_spawn_file_actions_t fa;
    pid_t pid;
    char *buf = NULL, errbuf[PROCESS_KEEP_STDERR];
    size_t len = 0, cap = 0, errlen = 0;
    bool out_open = true, err_open = true, killed = false, too_big = false;
    struct timespec t0;

    *out = NULL;
    err_line[0] = '\0';
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
        api_error_set(err, API_ERR_CREDENTIALS, "%s: credential_process: pipe: %s", ps->where,
                      strerror(errno));
        goto close_all;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
    /* The helper starts with default signal handling and nothing blocked,
     * whatever the console did to its own (SIGWINCH, SIGPIPE, ...). */
    posix_spawnattr_t attr;
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawnp(&pid, ps->argv[0], &fa, &attr, ps->argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    close(out_pipe[1]);
    close(err_pipe[1]);
    out_pipe[1] = err_pipe[1] = -1;
    if (rc != 0) {
        api_error_set(err, API_ERR_CREDENTIALS, "%s: credential_process: cannot run \"%.200s\": %s",
                      ps->where, ps->argv[0], strerror(rc));
        goto close_all;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (out_open || err_open) {
        struct pollfd fds[2] = {{out_open ? out_pipe[0] : -1, POLLIN, 0},
                                {err_open ? err_pipe[0] : -1, POLLIN, 0}};
        long left = PROCESS_TIMEOUT_MS - elapsed_ms(&t0);
        if (left <= 0) {
            kill(pid, SIGKILL); /* our own child, by its id */
            killed = true;
            break;
        }
        if (poll(fds, 2, (int)left) < 0 && errno != EINTR)
            break;
        if (fds[0].revents) {
            char chunk[4096];
            ssize_t n = read(out_pipe[0], chunk, sizeof chunk);
            if (n <= 0) {
                out_open = n < 0 && errno == EINTR;
            } else if (len + (size_t)n > PROCESS_MAX_STDOUT) {
                too_big = true;
                kill(pid, SIGKILL);
                break;
            } else {
                if (len + (size_t)n + 1 > cap) {
                    size_t ncap = (len + (size_t)n + 1) * 2;
                    char *grown = malloc(ncap);
                    if (!grown) {
                        too_big = true;
                        kill(pid, SIGKILL);
                        break;
                    }
                    if (buf) {
                        memcpy(grown, buf, len);
                        OPENSSL_cleanse(buf, cap);
                        free(buf);
                    }
                    buf = grown, cap = ncap;
                }
                memcpy(buf + len, chunk, (size_t)n);
                len += (size_t)n;
                OPENSSL_cleanse(chunk, sizeof chunk);
            }
        }
        if (fds[1].revents) {
            char chunk[1024];
            ssize_t n = read(err_pipe[0], chunk, sizeof chunk);
            if (n <= 0) {
                err_open = n < 0 && errno == EINTR;
            } else {
                /* Keep the tail (chunk is smaller than errbuf). */
                if (errlen + (size_t)n > sizeof errbuf) {
                    size_t drop = errlen + (size_t)n - sizeof errbuf;
                    memmove(errbuf, errbuf + drop, errlen - drop);
                    errlen -= drop;
                }
                memcpy(errbuf + errlen, chunk, (size_t)n);
                errlen += (size_t)n;
            }
        }
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    last_line(errbuf, errlen, err_line, err_line_size);
    if (killed || too_big) {
        api_error_set(err, API_ERR_CREDENTIALS, "%s: credential_process %s", ps->where,
                      killed ? "did not finish within 120 s and was stopped"
                             : "wrote more than 1 MiB");
        goto close_all;
    }
    if (!buf && !(buf = calloc(1, 1))) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        goto close_all;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    buf = NULL;
    close(out_pipe[0]);
    close(err_pipe[0]);
    return status;
close_all:
    if (buf) {
        OPENSSL_cleanse(buf, cap);
        free(buf);
    }
    for (int i = 0; i < 2; i++) {
        if (out_pipe[i] >= 0)
            close(out_pipe[i]);
        if (err_pipe[i] >= 0)
            close(err_pipe[i]);
    }
    return -1;
}

static int process_fetch(struct cred_refreshing *r, time_t now, struct api_credentials *out,
                         struct api_error *err)
{
    struct process_source *ps = (struct process_source *)r;
    char *text = NULL, err_line[256], what[400];
    size_t len = 0;
    int status = run(ps, &text, &len, err_line, sizeof err_line, err);
    json_object *o, *version = NULL;
    int rc;

    if (status == -1)
        return -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        OPENSSL_cleanse(text, len);
        free(text);
        if (WIFSIGNALED(status))
            return api_error_set(err, API_ERR_CREDENTIALS,
                                 "%s: credential_process was killed by signal %d%s%s", ps->where,
                                 WTERMSIG(status), err_line[0] ? ": " : "", err_line);
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "%s: credential_process failed with status %d%s%s", ps->where,
                             WEXITSTATUS(status), err_line[0] ? ": " : "", err_line);
    }
    snprintf(what, sizeof what, "%s: credential_process", ps->where);
    o = cred_json_parse(text, len, what, err);
    OPENSSL_cleanse(text, len);
    free(text);
    if (!o)
        return -1;
    if (!json_object_object_get_ex(o, "Version", &version) ||
        !json_object_is_type(version, json_type_int) || json_object_get_int64(version) != 1) {
        api_error_set(err, API_ERR_CREDENTIALS,
                      "%s: credential_process answered Version %.40s; only Version 1 is "
                      "supported",
                      ps->where, version ? json_object_to_json_string(version) : "(missing)");
        cred_json_put_wiped(o);
        return -1;
    }
    rc = cred_from_json(o, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", what,
                        out, err);
    cred_json_put_wiped(o);
    (void)now;
    return rc;
}

static void process_destroy(struct cred_refreshing *r)
{
    struct process_source *ps = (struct process_source *)r;

    free(ps->command);
    shlex_free(ps->argv);
}

struct api_credentials_provider *cred_process_new(const struct aws_files *files,
                                                  const char *profile, struct api_error *err)
{
    struct aws_setting s;
    struct process_source *ps;
    const char *why;

    api_error_clear(err);
    if (!aws_profile_get(files, profile, "credential_process", &s))
        return NULL;
    ps = calloc(1, sizeof *ps);
    if (!ps) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    cred_refreshing_init(&ps->r, "process");
    ps->r.fetch = process_fetch;
    ps->r.destroy = process_destroy;
    snprintf(ps->where, sizeof ps->where, "profile %.100s (%.150s line %d)", profile, s.file,
             s.line);
    ps->command = strdup(s.value);
    ps->argv = shlex_split(s.value, &why);
    if (!ps->command || !ps->argv) {
        api_error_set(err, API_ERR_CREDENTIALS, "%s: credential_process cannot be split: %s",
                      ps->where, ps->argv ? "out of memory" : why);
        ps->r.base.ops->free(&ps->r.base);
        return NULL;
    }
    return &ps->r.base;
}
