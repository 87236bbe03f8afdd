/* api/query_loop.c — a query client driven by a credentials loop (api/query_loop.h). */
#include "api/query_loop.h"

#include <stdlib.h>

#include "api/credentials_loop.h"
#include "api/credentials_provider.h"

#define MAX_FDS 16

struct api_query_loop {
    struct api_query_client *qc;
    struct cred_loop *loop;
    struct cred_watch *watches[MAX_FDS + 1];
    int n;
};

/* When the client names no deadline while requests are in flight, it is
 * looked at this often all the same (libcurl normally sets one). */
#define IDLE_CHECK_MS 250

static void unwatch(struct api_query_loop *ql)
{
    for (int i = 0; i < ql->n; i++)
        cred_watch_remove(ql->watches[i]);
    ql->n = 0;
}

static void fire(void *ctx, short revents)
{
    struct api_query_loop *ql = ctx;
    (void)revents;
    api_query_perform(ql->qc);
    api_query_loop_kick(ql);
}

void api_query_loop_kick(struct api_query_loop *ql)
{
    struct pollfd fds[MAX_FDS];
    int timeout = -1;
    unwatch(ql);
    if (api_query_pending(ql->qc) == 0)
        return;
    int n = api_query_pollfds(ql->qc, fds, MAX_FDS, &timeout);
    for (int i = 0; i < n; i++) {
        struct cred_watch *w = cred_loop_watch(ql->loop, fds[i].fd, fds[i].events, -1, fire, ql);
        if (w)
            ql->watches[ql->n++] = w;
    }
    if (timeout < 0 || timeout > IDLE_CHECK_MS)
        timeout = IDLE_CHECK_MS;
    struct cred_watch *w = cred_loop_watch(ql->loop, -1, 0, cred_loop_now_ms() + timeout, fire, ql);
    if (w)
        ql->watches[ql->n++] = w;
}

struct api_query_loop *api_query_loop_new(struct api_query_client *qc,
                                          struct api_credentials_provider *credentials,
                                          struct api_error *err)
{
    struct cred_loop *loop = credentials ? cred_provider_loop(credentials) : NULL;
    struct api_query_loop *ql = loop ? calloc(1, sizeof *ql) : NULL;
    if (!ql) {
        api_error_set(err, API_ERR_CREDENTIALS,
                      credentials ? "out of memory" : "no credentials configured");
        return NULL;
    }
    ql->qc = qc;
    ql->loop = loop;
    return ql;
}

void api_query_loop_free(struct api_query_loop *ql)
{
    if (!ql)
        return;
    unwatch(ql);
    free(ql);
}
