/* api/credentials_loop.h — the event loop credential fetches run on.
 * Private to api/.
 *
 * One loop per credentials chain (api_config_resolve() makes it; every
 * source of the chain borrows it; the chain owns it). It drives:
 *  - HTTP (STS, IAM Identity Center, OIDC, container, instance metadata,
 *    the account lookup): a curl multi transport of its own (api/transport.h),
 *    made on first use with the chain's CA bundle and the link-local
 *    container and instance-metadata hosts allowed for plain http (each
 *    source still checks its own URL against its own rule first);
 *  - descriptors (credential_process pipes), each with a deadline;
 *  - timers and deferred calls (a deadline without a descriptor).
 * The owner of the outer loop (the client) adds the loop's descriptors to
 * its poll (cred_loop_pollfds) and calls cred_loop_perform() after; the
 * blocking wrappers use cred_loop_run(). Callbacks run only inside
 * cred_loop_perform() / cred_loop_run(), never inside the call that
 * registered them.
 */
#ifndef API_CREDENTIALS_LOOP_H
#define API_CREDENTIALS_LOOP_H

#include <poll.h>
#include <stdbool.h>

#include "api/error.h"

struct api_http_request;
struct api_http_response;
struct api_transfer;
struct api_transport;
struct cred_loop;
struct cred_watch;

/* revents: what poll() said of the descriptor, or 0 when the deadline passed. */
typedef void (*cred_watch_fn)(void *ctx, short revents);

/* Copies ca_bundle (may be NULL). NULL when out of memory. */
struct cred_loop *cred_loop_new(const char *ca_bundle);

/* Removes every watch without calling it and cancels every transfer
 * without its callback. NULL is fine. */
void cred_loop_free(struct cred_loop *l);

/* The loop's transport, made on first use. NULL with err (an unreadable CA
 * bundle: API_ERR_TLS). */
struct api_transport *cred_loop_transport(struct cred_loop *l, struct api_error *err);

/* Starts an HTTP transfer on the loop's transport (api_transport_start),
 * after checking the URL against the request's own rule: https, or http to
 * loopback or to one of req->plain_http_hosts (the transport allows the
 * hosts of every source; a source gets only its own). NULL with err when
 * nothing started (done never fires then). */
struct api_transfer *cred_loop_http(struct cred_loop *l, const struct api_http_request *req,
                                    void (*done)(void *ctx, struct api_http_response *resp,
                                                 const struct api_error *err),
                                    void *ctx, struct api_error *err);

/* Monotonic milliseconds (the clock of every deadline here). */
long long cred_loop_now_ms(void);

/* Moves that clock by `ms` for the whole process, so a test sees a
 * two-minute deadline pass without waiting for it. Never called by the
 * product. */
void cred_loop_clock_shift(long long ms);

/* Watches `fd` (-1: none, a timer only) for `events` until `deadline_ms`
 * (monotonic; -1 = none; 0 or past = at the next cred_loop_perform(): a
 * deferred call). `fire` is called whenever poll() reports the descriptor
 * ready, and once when the deadline passes (the deadline is then cleared).
 * The watch stays until removed. NULL when out of memory. */
struct cred_watch *cred_loop_watch(struct cred_loop *l, int fd, short events, long long deadline_ms,
                                   cred_watch_fn fire, void *ctx);
void cred_watch_set_deadline(struct cred_watch *w, long long deadline_ms);
/* Safe from inside any callback, its own included. NULL is fine. */
void cred_watch_remove(struct cred_watch *w);

/* Fills up to `max` descriptors (the transport's and the watches') and sets
 * *timeout_ms to the longest the caller may sleep (-1 = no deadline).
 * Returns the count. */
int cred_loop_pollfds(struct cred_loop *l, struct pollfd *fds, int max, int *timeout_ms);

/* Does whatever is ready without waiting: transfers, descriptors, deadlines. */
void cred_loop_perform(struct cred_loop *l);

/* Whether anything is in flight (a transfer or a watch). */
bool cred_loop_busy(const struct cred_loop *l);

/* Blocks, driving the loop, until *done is true or nothing is in flight.
 * While it runs, cred_loop_blocking() is true (an MFA code is then asked
 * with the synchronous prompt: nobody else drives the loop). */
void cred_loop_run(struct cred_loop *l, const bool *done);
bool cred_loop_blocking(const struct cred_loop *l);
/* Marks a blocking caller around work done before cred_loop_run() (+1 on
 * entry, -1 on leaving). NULL is fine. */
void cred_loop_block(struct cred_loop *l, int delta);

#endif
