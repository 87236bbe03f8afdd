/* tui/cmd_job.c — the bulk-job verbs' shared driving (cmd_job.h). */
#include "tui/cmd_job.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t interrupts;

static void on_interrupt(int sig)
{
    (void)sig;
    interrupts++;
}

struct api_rate_limiter *cmd_job_limiter(struct api_client *c, int share_percent)
{
    struct api_rate_limiter_options o = {.share_percent = share_percent, .start_at_cap = true};
    struct api_rate_limiter *l = api_rate_limiter_new(&o);

    if (l)
        api_client_set_rate_limiter(c, l);
    return l;
}

int cmd_job_drive(struct api_client *c, const struct cmd_job_driver *d)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa, old[3];
    int handled = 0;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt; /* no SA_RESTART: poll() returns at once */
    sigemptyset(&sa.sa_mask);
    interrupts = 0;
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &sa, &old[i]);
    while (!d->finished(d->job)) {
        if (interrupts > handled) {
            handled++;
            if (handled == 1)
                d->stop(d->job);
            else
                d->abort(d->job);
            continue;
        }
        if (d->idle) {
            d->idle(d->job);
            if (d->finished(d->job))
                break;
        }
        struct pollfd fds[64];
        int timeout = -1;
        int n = api_client_pollfds(c, fds, 64, &timeout);
        if (timeout < 0 || timeout > 1000)
            timeout = 1000;
        if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
            break;
        api_client_perform(c);
    }
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &old[i], NULL);
    return handled;
}
