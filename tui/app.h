/* tui/app.h — the console's shared state: the settings in use, the api
 * client, the key map, the frame's geometry, the status line, the requests
 * in flight, the pool the panes follow, and the panes and views themselves
 * (opaque here: tui/pane.h, tui/view.h).
 *
 * Ownership: one struct app per console (tui/console.h makes and frees
 * it); everything it points to is its own. Everything runs on the event
 * loop's thread. Nothing here names a pane: panes are reached through the
 * PANES list (tui/panes.h) and their class table (tui/pane.h).
 *
 * Requests: app_call() starts an asynchronous call; its callback runs inside
 * the event loop (api_client_perform) or, when cancelled, inside
 * app_cancel*(). A callback whose result belongs to a pool or to settings
 * that may have changed meanwhile compares the generation it started with
 * (a->generation / a->profile_gen) before using it.
 */
#ifndef TUI_APP_H
#define TUI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "api/account.h"
#include "api/client.h"
#include "api/config.h"
#include "tui/actions.h"
#include "tui/keymap.h"
#include "tui/options.h"
#include "tui/panes.h"

enum status_kind { STATUS_INFO, STATUS_OK, STATUS_WARN, STATUS_ERROR };

struct app;
struct pane;
struct view;
struct screen;
struct prompt;
struct prompt_history;

/* Where things go on the screen (rows from 0), set by the frame on each
 * resize: the pane area is rows pane_top .. pane_top + pane_height - 1. */
struct app_frame {
    int rows, cols;
    int pane_top, pane_height;
};

/* The `/` filter or `:` command line the frame shows in the status row. */
enum prompt_kind { PROMPT_NONE, PROMPT_FILTER, PROMPT_COMMAND };
struct app_prompt {
    struct prompt *w; /* NULL when closed */
    enum prompt_kind kind;
    char *before; /* the filter to restore when the filter prompt is cancelled */
    struct prompt_history *filters, *commands;
};

struct app {
    const struct global_options *opt;
    struct api_config cfg;
    struct api_client *client;
    /* The client's rate limiter (api/rate_limiter.h): the published quotas
     * as caps, from the first request, CUBIC after a throttle. One for the
     * settings in use (quotas count per account and Region), shared by
     * every request of the console: paging, L, and a prune running in the
     * background draw on the same budget. */
    struct api_rate_limiter *limiter;
    struct keymap *keys;
    bool read_only; /* sticky: once on, never off while the console runs */
    char cred_source[128];
    unsigned generation;                  /* bumped when the followed pool or the settings change */
    unsigned profile_gen;                 /* bumped when the settings change (:profile, :region) */
    char *profile_choice, *region_choice; /* :profile / :region; NULL = the command line's */
    struct api_mfa_asker mfa_ask;         /* how the console asks for an MFA code (api/mfa.h) */

    struct app_frame frame;
    bool quit, dirty;
    enum pane_id pane;              /* the pane shown */
    struct pane *panes[PANE_COUNT]; /* every pane, made by pane_new_all() */
    struct view *view;              /* top of the view stack; NULL = the pane */
    struct app_prompt prompt;
    unsigned quit_question; /* the open "Quit?" dialog (tui/dispatch.c), 0 when none */
    struct screen *screen;  /* the frame's widgets (tui/screen.h); NULL headless without one */

    /* The pool panes other than Pools are about: the one under the Pools
     * pane's cursor (app_follow_pool). NULL when none. */
    char *pool_id, *pool_name;
    json_object *pool_desc;   /* its DescribeIdentityPool answer, once read (app_pool_desc) */
    struct app_req *desc_req; /* that read in flight */

    /* Status line. */
    char status[600];
    enum status_kind status_kind;
    time_t status_time;
    unsigned status_seq; /* bumped by every app_status */
    bool status_failure; /* the status says a request failed (app_status_error) */

    /* The foreground request (Esc cancels it; the status line shows it). */
    struct app_req *fg;
    char fg_label[120];
    struct app_req *reqs; /* every request in flight */
    /* Background jobs that drive the client outside app_call (a prune, an
     * inventory refresh): while non-zero the loop draws after every turn,
     * so the panes' sync sees their progress and their end, and the
     * spinner turns. Their owners count them in and out. */
    unsigned jobs;

    /* The account id for ARNs lives in a->cfg.cache (api/account.h): the one
     * place. These say whether it was asked for these settings, the lookup
     * in flight, who waits for it, and why it could not be found. */
    bool account_tried;
    char account_error[600];
    struct api_account_lookup *account_lookup;
    void (*account_waiter)(struct app *a, void *ctx);
    void *account_waiter_ctx;
};

/* Callback of app_call(). `out` is owned by the callee (NULL on error). */
typedef void (*app_done_fn)(struct app *a, void *ctx, json_object *out,
                            const struct api_error *err);

enum app_call_flags {
    APP_CALL_FOREGROUND =
        1, /* Esc cancels it, the status line shows it; calls without it
              yield rate-limiter tokens to those with it (api_call_start_background) */
};

struct app_req {
    struct app *app;
    const char *op;
    json_object *input; /* kept for the journal of a mutating call */
    bool mutates;
    app_done_fn done;
    void *ctx;
    struct api_request *handle;
    struct app_req *next;
    bool foreground;
    unsigned status_seq; /* a->status_seq when it started */
};

/* A new app: the settings resolved from `opt` and the environment
 * (api_config_resolve; `mfa_ask`, copied, asks for an assumed role's MFA
 * code without blocking, its ctx NULL meaning the app; may be NULL: such a
 * profile then fails with a clear error), the key map `keys` (taken), the
 * client and every pane. Loads nothing yet. Returns NULL with err filled
 * (settings that cannot be resolved: API_ERR_CREDENTIALS; the client could
 * not be made); keys are freed then. */
struct app *app_new(const struct global_options *opt, struct keymap *keys,
                    const struct api_mfa_asker *mfa_ask, struct api_error *err);
/* Cancels every request (callbacks fire), frees the panes, the client, the
 * settings, the key map and the app. The views must be closed first
 * (tui/view.h: view_close_all). NULL is fine. */
void app_free(struct app *a);

/* :profile NAME / :region NAME: resolves the settings anew from the
 * command line's with `profile` or `region` (NULL: as before) instead
 * (read-only stays on if it was), then a new client, every request
 * cancelled, every pane made anew, the followed pool and account forgotten.
 * The views must be closed first. On failure the old settings stay and the status
 * line says why. 0 or -1. */
int app_switch_to(struct app *a, const char *profile, const char *region);

/* Starts `op` with `input` (taken: the app frees it). On refusal before
 * sending (read-only, invalid input, no credentials) returns NULL with err
 * filled and neither calls `done` nor journals. Mutating calls that were sent
 * are journaled when they finish, whatever the outcome. A foreground call
 * that succeeds clears what the status line still said about a request that
 * failed before it started (app_status_error: stale now), before `done` runs. */
struct app_req *app_call(struct app *a, const char *op, json_object *input, app_done_fn done,
                         void *ctx, unsigned flags, const char *label, struct api_error *err);

/* Cancels one request in flight (its callback fires with API_ERR_CANCELLED). */
void app_cancel(struct app *a, struct app_req *r);

/* What Esc stops: the foreground request, else the account lookup. Whether
 * there is one, and stopping it. */
bool app_foreground_busy(const struct app *a);
void app_stop_foreground(struct app *a);

/* What the foreground work waits for, for the status line: "Fetching
 * credentials (process)..." while the credentials of a request are being
 * fetched, "Finding the account id" during the lookup, else the foreground
 * request's label; NULL when nothing is in the foreground. Returns buf or NULL. */
const char *app_foreground_label(const struct app *a, char *buf, size_t size);

/* Cancels every request in flight (their callbacks fire with API_ERR_CANCELLED). */
void app_cancel_all(struct app *a);

/* Drives the client: what the sockets allow, callbacks of finished requests. */
void app_perform(struct app *a);

void app_status(struct app *a, enum status_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The status line for an api error, with advice for the usual causes. */
void app_status_error(struct app *a, const char *what, const struct api_error *err);
/* Clears the status line (after a success that leaves nothing to say). */
void app_status_clear(struct app *a);
/* One line saying what went wrong and what to do, for panes and dialogs. */
void app_describe_error(const struct api_error *err, char *buf, size_t size);

/* Whether an action is offered now (read-only hides the mutating ones). */
bool app_action_allowed(const struct app *a, enum action act);

/* Shows pane `id`: it starts loading what it needs. */
void app_switch_pane(struct app *a, enum pane_id id);
/* Reloads pane `id` from the service (after a change sent from a form or
 * dialog opened over it); its rows stay on screen until the answer. */
void app_reload_pane(struct app *a, enum pane_id id);

/* The pool the panes follow (NULL id: none). A different pool forgets its
 * description and resets every pane (tui/pane.h `reset`); the same one does
 * nothing. Strings are copied. */
void app_follow_pool(struct app *a, const char *id, const char *name);
/* The pool `id` is gone (deleted): followed no more. */
void app_forget_pool(struct app *a, const char *id);

/* The followed pool's DescribeIdentityPool answer, or NULL when not read
 * yet (app_pool_desc_load asks, in the background, once per pool). */
json_object *app_pool_desc(const struct app *a);
void app_pool_desc_load(struct app *a);
/* A pool's answer read elsewhere (detail, update): kept when it is the
 * followed pool's. `desc` is borrowed. */
void app_pool_desc_offer(struct app *a, json_object *desc);

/* The account id of the settings in use, for ARNs, or NULL when not known
 * (yet). Never blocks. */
const char *app_account_id(const struct app *a);
/* Finds it (AWS_ACCOUNT_ID, the profile's aws_account_id, else STS
 * GetCallerIdentity: api_account_id_start), unless it was asked already for
 * these settings. NEVER BLOCKS: returns the id when it is known now; else
 * NULL, and when a lookup is in flight done(a, ctx) runs once it ended
 * (found, failed, or stopped with Esc: app_stop_foreground), from the loop.
 * One waiter: a later call replaces it. A failure stays (a->account_error)
 * until app_account_retry(). The lookup is driven by the client's loop. */
const char *app_account_find(struct app *a, void (*done)(struct app *a, void *ctx), void *ctx);
/* Whether a lookup is in flight. Stopping it (Esc, app_stop_foreground)
 * calls the waiter with a->account_error saying it was stopped. */
bool app_account_finding(const struct app *a);
/* Lets the next app_account_find() ask again after a failure (refresh). */
void app_account_retry(struct app *a);
/* The account id the admin typed (when it could not be found): kept for
 * these settings. 0, or -1 when it is not 12 digits. */
int app_account_set(struct app *a, const char *id);

/* Duplicates s, or NULL. */
char *app_strdup(const char *s);

#endif
