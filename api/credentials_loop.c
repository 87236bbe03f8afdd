/* api/credentials_loop.c — the event loop credential fetches run on
 * (contract in api/credentials_loop.h). */
#include "api/credentials_loop.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/transport.h"

/* Plain http is allowed to these besides loopback (container and instance
 * metadata); each source checks its own narrower rule before it asks. */
static const char *const link_local_hosts[] = {"169.254.170.2", "169.254.170.23", "fd00:ec2::23",
                                               "169.254.169.254", "fd00:ec2::254"};

struct cred_watch {
    struct cred_loop *l;
    struct cred_watch *next;
    int fd;
    short events;
    long long deadline_ms;
    cred_watch_fn fire;
    void *ctx;
    bool removed; /* swept after the current perform */
};

struct cred_loop {
    char *ca_bundle;
    struct api_transport *transport;
    struct cred_watch *watches;
    int performing; /* nesting depth of perform: removal is deferred meanwhile */
    int blocking;
};

static long long clock_offset_ms;

long long cred_loop_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + clock_offset_ms;
}

void cred_loop_clock_shift(long long ms)
{
    clock_offset_ms += ms;
}

struct cred_loop *cred_loop_new(const char *ca_bundle)
{
    struct cred_loop *l = calloc(1, sizeof *l);

    if (l && ca_bundle && !(l->ca_bundle = strdup(ca_bundle))) {
        free(l);
        return NULL;
    }
    return l;
}

static void sweep(struct cred_loop *l)
{
    for (struct cred_watch **w = &l->watches; *w;) {
        if ((*w)->removed) {
            struct cred_watch *dead = *w;
            *w = dead->next;
            free(dead);
        } else {
            w = &(*w)->next;
        }
    }
}

void cred_loop_free(struct cred_loop *l)
{
    if (!l)
        return;
    api_transport_free(l->transport);
    for (struct cred_watch *w = l->watches; w; w = w->next)
        w->removed = true;
    sweep(l);
    free(l->ca_bundle);
    free(l);
}

struct api_transport *cred_loop_transport(struct cred_loop *l, struct api_error *err)
{
    if (!l->transport) {
        struct api_transport_options o = {l->ca_bundle, link_local_hosts,
                                          sizeof link_local_hosts / sizeof link_local_hosts[0]};
        l->transport = api_transport_new(&o, err);
    }
    return l->transport;
}

struct api_transfer *cred_loop_http(struct cred_loop *l, const struct api_http_request *req,
                                    api_transfer_done_fn done, void *ctx, struct api_error *err)
{
    struct api_transport *t;

    if (api_http_url_allowed(req->url, req->plain_http_hosts, req->n_plain_http_hosts, err) != 0 ||
        !(t = cred_loop_transport(l, err)))
        return NULL;
    return api_transport_start(t, req, done, ctx, err);
}

struct cred_watch *cred_loop_watch(struct cred_loop *l, int fd, short events, long long deadline_ms,
                                   cred_watch_fn fire, void *ctx)
{
    struct cred_watch *w = calloc(1, sizeof *w);

    if (!w)
        return NULL;
    w->l = l;
    w->fd = fd;
    w->events = events;
    w->deadline_ms = deadline_ms;
    w->fire = fire;
    w->ctx = ctx;
    w->next = l->watches;
    l->watches = w;
    return w;
}

void cred_watch_set_deadline(struct cred_watch *w, long long deadline_ms)
{
    if (w)
        w->deadline_ms = deadline_ms;
}

void cred_watch_remove(struct cred_watch *w)
{
    if (!w)
        return;
    w->removed = true;
    if (!w->l->performing)
        sweep(w->l);
}

bool cred_loop_busy(const struct cred_loop *l)
{
    for (const struct cred_watch *w = l->watches; w; w = w->next)
        if (!w->removed)
            return true;
    return l->transport && api_transport_pending(l->transport) > 0;
}

int cred_loop_pollfds(struct cred_loop *l, struct pollfd *fds, int max, int *timeout_ms)
{
    int n = 0, t = -1;
    long long now = cred_loop_now_ms();

    if (l->transport)
        n = api_transport_pollfds(l->transport, fds, max, &t);
    for (struct cred_watch *w = l->watches; w; w = w->next) {
        if (w->removed)
            continue;
        if (w->fd >= 0 && n < max)
            fds[n++] = (struct pollfd){.fd = w->fd, .events = w->events};
        if (w->deadline_ms >= 0) {
            long long left = w->deadline_ms - now;
            int ms = left < 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
            if (t < 0 || ms < t)
                t = ms;
        }
    }
    if (timeout_ms)
        *timeout_ms = t;
    return n;
}

void cred_loop_perform(struct cred_loop *l)
{
    long long now;

    l->performing++;
    if (l->transport)
        api_transport_perform(l->transport);
    now = cred_loop_now_ms();
    /* Newest first; a watch added by a callback waits for the next round. */
    for (struct cred_watch *w = l->watches; w; w = w->next) {
        short revents = 0;
        if (w->removed)
            continue;
        if (w->fd >= 0) {
            struct pollfd p = {.fd = w->fd, .events = w->events};
            if (poll(&p, 1, 0) > 0)
                revents = p.revents;
        }
        if (revents) {
            w->fire(w->ctx, revents);
        } else if (w->deadline_ms >= 0 && w->deadline_ms <= now) {
            w->deadline_ms = -1;
            w->fire(w->ctx, 0);
        }
    }
    if (--l->performing == 0)
        sweep(l);
}

void cred_loop_run(struct cred_loop *l, const bool *done)
{
    struct pollfd fds[32];

    l->blocking++;
    while (!*done && cred_loop_busy(l)) {
        int timeout = -1;
        int n = cred_loop_pollfds(l, fds, 32, &timeout);
        if (timeout < 0 || timeout > 1000)
            timeout = 1000; /* never sleep unbounded */
        if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
            break;
        cred_loop_perform(l);
    }
    l->blocking--;
}

bool cred_loop_blocking(const struct cred_loop *l)
{
    return l && l->blocking > 0;
}

void cred_loop_block(struct cred_loop *l, int delta)
{
    if (l)
        l->blocking += delta;
}
