/* api/credentials_provider.h — how a credentials source plugs in. Private
 * to api/ (and to tests that build a provider of their own).
 *
 * Each source (static, environment, file, assume role, SSO, process,
 * container, instance metadata, and the chain over them) is a struct whose
 * first member is a struct api_credentials_provider, with its own ops.
 *
 * Asynchronous contract (ops->start):
 *   rc = start(p, now, out, done, ctx, &op, err);
 *   - 0: *out holds credentials valid at `now` (the caller clears them);
 *     `done` is never called.
 *   - CRED_PENDING: *op is set; `done` is called exactly once later, from
 *     cred_loop_perform()/cred_loop_run() of the provider's loop, unless
 *     api_credentials_op_cancel(*op) came first. The op is gone once done
 *     has been called.
 *   - -1 or CRED_NOT_AVAILABLE: err says why.
 * `done` gets rc 0 with credentials it then owns (and must clear), or a
 * failure (-1, or CRED_NOT_AVAILABLE from a source that is simply not
 * there) with err.
 */
#ifndef API_CREDENTIALS_PROVIDER_H
#define API_CREDENTIALS_PROVIDER_H

#include <stdbool.h>
#include <time.h>

#include "api/credentials.h"

struct cred_loop;

/* A source's start/get may also return this (with err saying why) when the
 * source is simply not there (no instance metadata service): the chain then
 * tries the next source. The public functions report it as -1. */
#define CRED_NOT_AVAILABLE 1
/* start(): the answer comes later, through `done`. */
#define CRED_PENDING API_CREDENTIALS_PENDING

typedef api_credentials_done_fn cred_done_fn;

/* Something in flight: a caller waiting on a provider, or a source's fetch.
 * Concrete ops embed this first (api/credentials.h names it for callers). */
struct api_credentials_op {
    /* Stops it; its done callback never fires; frees it. */
    void (*cancel)(struct api_credentials_op *op);
    /* What it waits for now, for the console ("process", "sso", "MFA code"). */
    const char *(*waiting_for)(const struct api_credentials_op *op);
};

struct api_credentials_provider_ops {
    /* Blocking get, for providers that have no start (tests): same
     * contract as api_credentials_get(), plus CRED_NOT_AVAILABLE. NULL
     * when start is set. */
    int (*get)(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
               struct api_error *err);
    /* Wipes every secret the provider holds, cancels what is in flight,
     * frees it. */
    void (*free)(struct api_credentials_provider *p);
    /* api_credentials_expiration(); NULL = 0 (not known). */
    time_t (*expiration)(const struct api_credentials_provider *p);
    /* The asynchronous get (above); NULL: only get. */
    int (*start)(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
                 cred_done_fn done, void *ctx, struct api_credentials_op **op,
                 struct api_error *err);
};

struct api_credentials_provider {
    const struct api_credentials_provider_ops *ops;
    char source[64]; /* api_credentials_source() */
    /* The loop its fetches run on: the chain's, shared by all its sources
     * (borrowed), or one made on first need (owned, freed with it). */
    struct cred_loop *loop;
    bool owns_loop;
};

/* ops->start (or ops->get) as it is: CRED_NOT_AVAILABLE is kept (the chain
 * needs it), where api_credentials_start() reports -1. */
int cred_start(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
               cred_done_fn done, void *ctx, struct api_credentials_op **op, struct api_error *err);

/* Keeps secrets out of core dumps from now on: the process is made
 * non-dumpable (prctl PR_SET_DUMPABLE 0: no core file, no ptrace attach by
 * another user's debugger, /proc/PID/mem closed) and RLIMIT_CORE is set to
 * 0 (inherited by helpers). Called when secrets may first come into memory
 * (api_config_resolve(), a static provider). Best effort: a failure is
 * ignored (never an exit, never a message). Idempotent. */
void cred_keep_out_of_core_dumps(void);

/* The provider's loop, made (and then owned) on first need. NULL when out
 * of memory. */
struct cred_loop *cred_provider_loop(struct api_credentials_provider *p);

#endif
