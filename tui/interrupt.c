/* tui/interrupt.c — signals to a self-pipe (tui/interrupt.h). */
#include "tui/interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t caught, last_signal;
static int pipe_fds[2] = {-1, -1};
static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction previous[3]; /* what the signals did before: restored after */

static void on_signal(int sig)
{
    int saved = errno;
    caught++;
    last_signal = sig;
    if (pipe_fds[1] >= 0) {
        char b = 1;
        ssize_t n = write(pipe_fds[1], &b, 1); /* full pipe: the count says enough */
        (void)n;
    }
    errno = saved;
}

int interrupt_catch(void)
{
    struct sigaction sa;

    caught = 0;
    last_signal = 0;
    if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        pipe_fds[0] = pipe_fds[1] = -1;
        return -1;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: poll() returns at once */
    for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
        sigaction(signals[i], &sa, &previous[i]);
    return 0;
}

int interrupt_fd(void)
{
    return pipe_fds[0];
}

void interrupt_drain(void)
{
    char buf[64];
    while (pipe_fds[0] >= 0 && read(pipe_fds[0], buf, sizeof buf) > 0)
        ;
}

int interrupt_count(void)
{
    return caught;
}

int interrupt_signal(void)
{
    return last_signal;
}

void interrupt_release(void)
{
    if (pipe_fds[0] < 0)
        return;
    for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
        sigaction(signals[i], &previous[i], NULL);
    for (int i = 0; i < 2; i++) {
        if (pipe_fds[i] >= 0)
            close(pipe_fds[i]);
        pipe_fds[i] = -1;
    }
}
