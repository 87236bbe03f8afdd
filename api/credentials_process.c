/* api/credentials_process.c — the profile's credential_process.
 *
 * The command line is split like a POSIX shell splits words (api/shlex.h),
 * the way botocore splits it, and run with posix_spawnp(): never through a
 * shell. The child gets /dev/null as stdin (the console owns the
 * terminal), pipes as stdout and stderr, default signal handling, and no
 * other descriptor of ours (closefrom 3 in the child, O_CLOEXEC on
 * everything we open: it must not inherit the live TLS connection). It runs
 * asynchronously: its pipes are non-blocking on our side and watched by the
 * chain's loop, so the console keeps drawing and Esc can stop it (killed by
 * its own pid). stdout must be JSON Version 1: {"Version": 1, "AccessKeyId",
 * "SecretAccessKey", "SessionToken"?, "Expiration"?}. stderr is captured:
 * when the process fails, the last line it wrote (up to 200 bytes, control
 * characters replaced) is quoted in the error so the user sees why; stdout
 * is never quoted (it holds secrets). A process still running after 120 s
 * is killed; one writing more than 1 MiB too. How often it runs is the
 * refresh layer's rule (api/credentials.h): once per window, shared, with
 * a back-off after failures. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "api/credentials_loop.h"
#include "api/credentials_sources.h"
#include "api/shlex.h"

#define PROCESS_TIMEOUT_MS  (120 * 1000)
#define PROCESS_MAX_STDOUT  (1024 * 1024)
#define PROCESS_KEEP_STDERR 4096
#define PROCESS_REAP_MS     10 /* between looks for the exit after both pipes closed */

struct process_source {
    struct cred_refreshing r;
    char *command;   /* as written in the file */
    char **argv;     /* split */
    char where[300]; /* "profile NAME (FILE line N)" */
};

/* One run in flight. */
struct process_job {
    struct api_credentials_op op;
    struct process_source *ps;
    pid_t pid; /* 0 once reaped */
    int status;
    int out_fd, err_fd;
    struct cred_watch *out_w, *err_w, *timer;
    long long deadline_ms;
    char *buf; /* stdout, wiped */
    size_t len, cap;
    char errbuf[PROCESS_KEEP_STDERR];
    size_t errlen;
    bool too_big;
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

int cred_process_answer(const char *text, size_t len, const char *what, struct api_credentials *out,
                        struct api_error *err)
{
    json_object *o = cred_json_parse(text, len, what, err), *version = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if (!o)
        return -1;
    if (!json_object_object_get_ex(o, "Version", &version) ||
        !json_object_is_type(version, json_type_int) || json_object_get_int64(version) != 1) {
        char shown[32] = "(missing)";
        /* Only a number is quoted: a string there could be anything. */
        if (version && json_object_is_type(version, json_type_int))
            snprintf(shown, sizeof shown, "%lld", (long long)json_object_get_int64(version));
        else if (version)
            snprintf(shown, sizeof shown, "(not a number)");
        api_error_set(err, API_ERR_CREDENTIALS,
                      "%s answered Version %s; only Version 1 is supported", what, shown);
        cred_json_put_wiped(o);
        return -1;
    }
    rc = cred_from_json(o, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", what,
                        out, err);
    cred_json_put_wiped(o);
    return rc;
}

static void close_pipe(int *fd, struct cred_watch **w)
{
    cred_watch_remove(*w);
    *w = NULL;
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void job_free(struct process_job *j)
{
    if (j->pid > 0) {
        kill(j->pid, SIGKILL); /* our own child, by its id */
        while (waitpid(j->pid, &j->status, 0) < 0 && errno == EINTR)
            ;
    }
    close_pipe(&j->out_fd, &j->out_w);
    close_pipe(&j->err_fd, &j->err_w);
    cred_watch_remove(j->timer);
    if (j->buf) {
        OPENSSL_cleanse(j->buf, j->cap);
        free(j->buf);
    }
    free(j);
}

static void job_cancel(struct api_credentials_op *op)
{
    job_free((struct process_job *)op);
}

static const char *job_waiting_for(const struct api_credentials_op *op)
{
    return "process";
}

/* The answer, once the child is gone: credentials, or why not. */
static int read_answer(struct process_job *j, struct api_credentials *out, struct api_error *err)
{
    struct process_source *ps = j->ps;
    int status = j->status;
    char err_line[256], what[400];

    last_line(j->errbuf, j->errlen, err_line, sizeof err_line);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFSIGNALED(status))
            return api_error_set(err, API_ERR_CREDENTIALS,
                                 "%s: credential_process was killed by signal %d%s%s", ps->where,
                                 WTERMSIG(status), err_line[0] ? ": " : "", err_line);
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "%s: credential_process failed with status %d%s%s", ps->where,
                             WEXITSTATUS(status), err_line[0] ? ": " : "", err_line);
    }
    snprintf(what, sizeof what, "%s: credential_process", ps->where);
    return cred_process_answer(j->buf ? j->buf : "", j->len, what, out, err);
}

/* The run's end, from a loop callback: the job goes, then the refresh layer hears. */
static void job_finish(struct process_job *j, const char *stopped)
{
    struct cred_refreshing *r = &j->ps->r;
    struct api_credentials out = {0};
    struct api_error err;
    int rc;

    api_error_clear(&err);
    if (stopped)
        rc = api_error_set(&err, API_ERR_CREDENTIALS, "%s: credential_process %s", j->ps->where,
                           stopped);
    else
        rc = read_answer(j, &out, &err);
    job_free(j);
    cred_refresh_finish(r, rc, &out, &err);
}

/* Both pipes closed: the exit status, now or at a later look. */
static void try_reap(struct process_job *j)
{
    pid_t got;

    if (j->out_fd >= 0 || j->err_fd >= 0)
        return;
    while ((got = waitpid(j->pid, &j->status, WNOHANG)) < 0 && errno == EINTR)
        ;
    if (got == 0) {
        long long next = cred_loop_now_ms() + PROCESS_REAP_MS;
        cred_watch_set_deadline(j->timer, next < j->deadline_ms ? next : j->deadline_ms);
        return;
    }
    if (got < 0)
        j->status = 0; /* SIGCHLD ignored by someone: gone, status unknown; the output decides */
    j->pid = 0;
    job_finish(j, NULL);
}

static void on_stdout(void *ctx, short revents)
{
    struct process_job *j = ctx;
    char chunk[4096];

    for (;;) {
        ssize_t n = read(j->out_fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n <= 0) {
            close_pipe(&j->out_fd, &j->out_w);
            try_reap(j);
            return;
        }
        if (j->len + (size_t)n > PROCESS_MAX_STDOUT) {
            OPENSSL_cleanse(chunk, sizeof chunk);
            job_finish(j, "wrote more than 1 MiB");
            return;
        }
        if (j->len + (size_t)n + 1 > j->cap) {
            /* Copied and wiped, never realloc'd: the old block holds secrets. */
            size_t ncap = (j->len + (size_t)n + 1) * 2;
            char *grown = malloc(ncap);
            if (!grown) {
                OPENSSL_cleanse(chunk, sizeof chunk);
                job_finish(j, "answered, but there is no memory left to read it");
                return;
            }
            if (j->buf) {
                memcpy(grown, j->buf, j->len);
                OPENSSL_cleanse(j->buf, j->cap);
                free(j->buf);
            }
            j->buf = grown, j->cap = ncap;
        }
        memcpy(j->buf + j->len, chunk, (size_t)n);
        j->len += (size_t)n;
        j->buf[j->len] = '\0';
        OPENSSL_cleanse(chunk, sizeof chunk);
    }
}

static void on_stderr(void *ctx, short revents)
{
    struct process_job *j = ctx;
    char chunk[1024];

    for (;;) {
        ssize_t n = read(j->err_fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            close_pipe(&j->err_fd, &j->err_w);
            try_reap(j);
            return;
        }
        /* Keep the tail (chunk is smaller than errbuf). */
        if (j->errlen + (size_t)n > sizeof j->errbuf) {
            size_t drop = j->errlen + (size_t)n - sizeof j->errbuf;
            memmove(j->errbuf, j->errbuf + drop, j->errlen - drop);
            j->errlen -= drop;
        }
        memcpy(j->errbuf + j->errlen, chunk, (size_t)n);
        j->errlen += (size_t)n;
    }
}

static void on_timer(void *ctx, short revents)
{
    struct process_job *j = ctx;

    if (cred_loop_now_ms() >= j->deadline_ms)
        job_finish(j, "did not finish within 120 s and was stopped");
    else
        try_reap(j);
}

/* Starts argv with its stdout and stderr on pipes. Returns 0 or -1 with err. */
static int spawn(struct process_job *j, struct api_error *err)
{
    struct process_source *ps = j->ps;
    int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, rc;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, all;

    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
        rc = errno;
        for (int i = 0; i < 2; i++)
            if (out_pipe[i] >= 0)
                close(out_pipe[i]);
        return api_error_set(err, API_ERR_CREDENTIALS, "%s: credential_process: pipe: %s",
                             ps->where, strerror(rc));
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
    /* Nothing else of ours: not the TLS connection, not the terminal. */
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    /* The helper starts with default signal handling and nothing blocked,
     * whatever the console did to its own (SIGWINCH, SIGPIPE, ...). */
    sigemptyset(&none);
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawnp(&j->pid, ps->argv[0], &fa, &attr, ps->argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    close(out_pipe[1]);
    close(err_pipe[1]);
    j->out_fd = out_pipe[0];
    j->err_fd = err_pipe[0];
    if (rc != 0) {
        j->pid = 0;
        return api_error_set(err, API_ERR_CREDENTIALS,
                             "%s: credential_process: cannot run \"%.200s\": %s", ps->where,
                             ps->argv[0], strerror(rc));
    }
    /* Our ends only: the child's stay blocking, as programs expect. */
    fcntl(j->out_fd, F_SETFL, fcntl(j->out_fd, F_GETFL) | O_NONBLOCK);
    fcntl(j->err_fd, F_SETFL, fcntl(j->err_fd, F_GETFL) | O_NONBLOCK);
    return 0;
}

static int process_fetch(struct cred_refreshing *r, time_t now, struct api_credentials *out,
                         struct api_credentials_op **job, struct api_error *err)
{
    struct process_source *ps = (struct process_source *)r;
    struct cred_loop *loop = cred_provider_loop(&r->base);
    struct process_job *j = loop ? calloc(1, sizeof *j) : NULL;

    if (!j)
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    j->op.cancel = job_cancel;
    j->op.waiting_for = job_waiting_for;
    j->ps = ps;
    j->out_fd = j->err_fd = -1;
    if (spawn(j, err) != 0) {
        job_free(j);
        return -1;
    }
    j->deadline_ms = cred_loop_now_ms() + PROCESS_TIMEOUT_MS;
    j->out_w = cred_loop_watch(loop, j->out_fd, POLLIN, -1, on_stdout, j);
    j->err_w = cred_loop_watch(loop, j->err_fd, POLLIN, -1, on_stderr, j);
    j->timer = cred_loop_watch(loop, -1, 0, j->deadline_ms, on_timer, j);
    if (!j->out_w || !j->err_w || !j->timer) {
        job_free(j);
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    }
    *job = &j->op;
    return CRED_PENDING;
}

static void process_destroy(struct cred_refreshing *r)
{
    struct process_source *ps = (struct process_source *)r;

    free(ps->command);
    shlex_free(ps->argv);
}

struct api_credentials_provider *cred_process_new(const struct cred_settings *cs,
                                                  const char *profile, struct api_error *err)
{
    struct aws_setting s;
    struct process_source *ps;
    const char *why;

    api_error_clear(err);
    if (!aws_profile_get(cs->files, profile, "credential_process", &s))
        return NULL;
    ps = calloc(1, sizeof *ps);
    if (!ps) {
        api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
        return NULL;
    }
    cred_refreshing_init(&ps->r, "process", cs->loop);
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
