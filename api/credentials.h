/* api/credentials.h — AWS credentials and the providers that find them.
 *
 * OWNER: the config/credentials work (api/config.c, api/credentials*.c).
 *
 * Contract:
 *  - struct api_credentials owns its strings (heap); api_credentials_clear()
 *    wipes them with OPENSSL_cleanse and frees them. Never print, log or
 *    journal any of them except access_key_id.
 *  - A provider is made by api_config_resolve() (api/config.h) from the
 *    settings it found; the client borrows it and asks it before every
 *    signature: the provider caches, and refreshes temporary credentials
 *    before they expire.
 *  - Fetching may take long (a credential_process up to 120 s, STS and IAM
 *    Identity Center up to 30 s, an MFA code as long as the user takes), so
 *    it is asynchronous: api_credentials_start() never waits; the work runs
 *    on the provider's own loop, whose descriptors the caller adds to its
 *    poll (api_credentials_pollfds) and drives (api_credentials_perform).
 *    api_client_pollfds()/api_client_perform() (api/client.h) do both for
 *    the client's provider. api_credentials_get() is the blocking wrapper.
 *  - Refresh: credentials with more than 15 minutes left are handed out as
 *    they are. Between 15 and 10 minutes (advisory window) the cached ones
 *    are handed out at once and one refresh runs in the background (the
 *    blocking wrapper waits for it instead, and keeps the cached ones if
 *    it fails); under 10 minutes (mandatory) callers wait for the refresh
 *    and a failure is theirs. Callers waiting at the same time share one
 *    fetch. After a
 *    refresh that failed, or that brought credentials already inside the
 *    window (a credential_process with its own cache), the source is not
 *    asked again before a back-off (30 s doubling to 5 min after failures;
 *    the next window, or 60 s, after such a success): meanwhile callers get
 *    the cached credentials, or in the mandatory window the last failure.
 *    With no usable credentials at all, every call asks.
 */
#ifndef API_CREDENTIALS_H
#define API_CREDENTIALS_H

#include <poll.h>
#include <stddef.h>
#include <time.h>

#include "api/error.h"

struct api_credentials {
    char *access_key_id;
    char *secret_access_key;
    char *session_token; /* NULL when none */
    time_t expiration;   /* 0 = does not expire */
};

/* Test hook: when set, called with each string's memory right after
 * api_credentials_clear() wiped it and just before it is freed, so a test can
 * check that the bytes really are gone. NULL (unused) in the product. */
extern void (*api_credentials_wipe_observer)(const void *mem, size_t len);

/* Wipes and frees the strings; the struct is zeroed and reusable. */
void api_credentials_clear(struct api_credentials *c);

/* Deep copy; returns 0 or -1 (out of memory) with err filled. */
int api_credentials_copy(struct api_credentials *dst, const struct api_credentials *src,
                         struct api_error *err);

struct api_credentials_provider;
/* A fetch someone waits for (api_credentials_start). */
struct api_credentials_op;

/* ---- Asynchronous ---- */

#define API_CREDENTIALS_PENDING 2

/* rc 0: `creds` are valid (the callee owns them: clear them). Otherwise
 * creds is NULL and err says why (API_ERR_CREDENTIALS, API_ERR_TRANSPORT,
 * API_ERR_TLS; the message names the profile and the source). */
typedef void (*api_credentials_done_fn)(void *ctx, int rc, struct api_credentials *creds,
                                        const struct api_error *err);

/* Asks for credentials valid at `now`. Never blocks. Returns
 *  - 0: *out holds them (the caller clears them); `done` is never called;
 *  - API_CREDENTIALS_PENDING: *op is set and `done` is called exactly once,
 *    from a later api_credentials_perform(p) (or api_client_perform()),
 *    unless api_credentials_op_cancel(*op) came first;
 *  - -1 with err.
 * An assumed role with mfa_serial asks for the code through
 * api_config_options.mfa_ask (from inside api_credentials_perform), or, in
 * the blocking wrapper or without mfa_ask, mfa_prompt. */
int api_credentials_start(struct api_credentials_provider *p, time_t now,
                          struct api_credentials *out, api_credentials_done_fn done, void *ctx,
                          struct api_credentials_op **op, struct api_error *err);

/* The caller no longer waits: `done` will not be called, the handle is
 * gone. The fetch itself stops (a credential_process is killed, transfers
 * are dropped, an MFA question withdrawn) unless someone else waits for it.
 * NULL is fine. */
void api_credentials_op_cancel(struct api_credentials_op *op);

/* What the fetch waits for now, for a status line: the source's name
 * ("process", "sso", "assume-role", "container", "imds", "web-identity")
 * or "MFA code". Never a secret. */
const char *api_credentials_op_waiting_for(const struct api_credentials_op *op);

/* The descriptors the provider's fetches wait on (up to `max`), and in
 * *timeout_ms the longest the caller may sleep (-1 = no deadline). Returns
 * the count (0 when nothing is in flight). */
int api_credentials_pollfds(struct api_credentials_provider *p, struct pollfd *fds, int max,
                            int *timeout_ms);

/* Does what is ready, without waiting, and fires `done` callbacks. */
void api_credentials_perform(struct api_credentials_provider *p);

/* ---- Blocking ---- */

/* Fills *out (caller owns; clear it after signing) with credentials valid at
 * `now`. Returns 0, or -1 with err as for api_credentials_start(). BLOCKS
 * while the source is asked (driving the provider's loop); an MFA code is
 * asked with api_config_options.mfa_prompt. */
int api_credentials_get(struct api_credentials_provider *p, time_t now, struct api_credentials *out,
                        struct api_error *err);

/* ---- About a provider ---- */

/* Short description of the source for the console header, e.g. "env",
 * "profile admin", "assume-role", "sso". Never a secret. */
const char *api_credentials_source(const struct api_credentials_provider *p);

/* When the credentials the provider holds now expire (UTC seconds), or 0:
 * none fetched yet, none held, or they do not expire. Never contacts the
 * source (no network, no process, no prompt): it reports what the last
 * fetch left, so the console can show it in its header. For the chain:
 * the source that answered. NULL gives 0. */
time_t api_credentials_expiration(const struct api_credentials_provider *p);

/* A provider over fixed credentials (tests, and the chain's static sources).
 * Copies `c`. Returns NULL with err filled. */
struct api_credentials_provider *api_credentials_static_new(const struct api_credentials *c,
                                                            const char *source,
                                                            struct api_error *err);

/* Cancels what is in flight (no callbacks), wipes, frees. NULL is fine. */
void api_credentials_provider_free(struct api_credentials_provider *p);

#endif
