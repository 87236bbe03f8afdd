/* tests/unit/run_capture.h — runs a program and returns all it wrote on
 * standard output, for tests that compare us with a reference (botocore,
 * Python's shlex).
 *
 * Contract: argv is NULL-terminated, argv[0] an absolute path (no PATH
 * search: a pyenv shim must never stand in for /usr/bin/python3). Returns a
 * malloc'd NUL-terminated string the caller frees, or NULL when the program
 * could not be started or memory ran out. The exit status is not checked:
 * callers compare the output, which a failed run cannot fake.
 */
#ifndef TESTS_RUN_CAPTURE_H
#define TESTS_RUN_CAPTURE_H

#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static inline char *run_capture(char *const argv[])
{
    int out[2], status;
    pid_t pid;
    posix_spawn_file_actions_t fa;
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap), *bigger;
    ssize_t r;

    if (!buf || pipe(out) != 0) {
        free(buf);
        return NULL;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    r = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (r != 0) {
        close(out[0]);
        free(buf);
        return NULL;
    }
    while ((r = read(out[0], buf + len, cap - len - 1)) > 0) {
        len += (size_t)r;
        if (len + 1 == cap) {
            bigger = realloc(buf, cap *= 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
        }
    }
    close(out[0]);
    waitpid(pid, &status, 0);
    if (buf)
        buf[len] = '\0';
    return buf;
}

#endif
