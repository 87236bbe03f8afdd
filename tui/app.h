/* tui/app.h — the console's state: settings in use, the api client, the
 * loaded data of each pane, the view stack, requests in flight.
 *
 * Ownership: one struct app per console_run(); everything it points to is
 * its own. Panes (tui/pane_*.c) and views (tui/view_*.c, tui/form_*.c)
 * read and change it from the event loop's thread only.
 *
 * Requests: app_call() starts an asynchronous call; its callback runs inside
 * the event loop (api_client_perform) or synchronously when cancelled. A
 * callback must check `gen` against app->generation when its result belongs
 * to a pool or profile that may have changed meanwhile.
 */
#ifndef TUI_APP_H
#define TUI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "api/client.h"
#include "api/config.h"
#include "api/pagination.h"
#include "tui/actions.h"
#include "tui/keymap.h"
#include "tui/options.h"

enum pane_id { PANE_POOLS, PANE_IDENTITIES, PANE_ROLES, PANE_TAGS, PANE_COUNT };

struct pool_row {
    char *id;
    char *name;
};

struct identity_row {
    char *id;
    char *logins; /* provider names joined by ", " ("" when none) */
    time_t created, modified;
    bool marked;
};

/* A list loaded page by page. `walk.token` is the NextToken still to fetch
 * (NULL when the list is complete or loading has not started). */
struct paged {
    bool started;  /* the first page was asked for */
    bool complete; /* no more pages */
    bool loading;  /* a page request is in flight */
    bool load_all; /* keep asking for pages until complete (L) */
    struct api_page_walk walk;
    unsigned pages;
    struct app_req *req; /* the page in flight */
    char error[600];     /* the last failure, shown in the pane */
};

enum status_kind { STATUS_INFO, STATUS_OK, STATUS_WARN, STATUS_ERROR };

struct view;
struct app;

/* A view stacked over the panes (detail, form, dialog, help). */
struct view_ops {
    const char *name;
    unsigned scope; /* SCOPE_* for the key table; 0 = the view reads raw keys */
    void (*draw)(struct view *v, struct app *a);
    /* Returns true when the view wants to close itself after this key. */
    bool (*key)(struct view *v, struct app *a, int key);
    void (*free)(struct view *v);
    /* A resize happened (optional). */
    void (*resize)(struct view *v, struct app *a);
};

struct view {
    const struct view_ops *ops;
    struct view *below;
};

struct pane_ops {
    const char *title;
    unsigned scope;
    /* The pane is shown: start loading what it needs (idempotent). */
    void (*enter)(struct app *a);
    void (*draw)(struct app *a, int top, int height);
    /* Returns true when it handled the action. */
    bool (*action)(struct app *a, enum action act);
    /* Forget the loaded data (pool changed, refresh). */
    void (*reset)(struct app *a);
};

struct app {
    const struct global_options *opt;
    struct api_config cfg;
    struct api_client *client;
    struct keymap *keys;
    bool read_only;
    char cred_source[128];
    unsigned generation;  /* bumped on :profile/:region and on pool change */
    unsigned profile_gen; /* bumped on :profile/:region only */

    int rows, cols;
    bool quit, dirty;
    enum pane_id pane;
    struct view *view; /* top of the view stack, NULL = the pane */

    /* Pools pane */
    struct pool_row *pools;
    size_t n_pools, cap_pools;
    struct paged pools_pg;
    void *pools_table; /* the table widget of the pane */
    size_t *pools_vis; /* indices of the filtered rows */

    /* The selected pool (Identities, Roles, Tags act on it) */
    char *pool_id, *pool_name;
    json_object *pool_desc; /* DescribeIdentityPool answer, or NULL */

    /* Identities pane */
    struct identity_row *ids;
    size_t n_ids, cap_ids;
    struct paged ids_pg;
    bool hide_disabled;
    void *ids_table;

    /* Roles pane */
    json_object *roles; /* GetIdentityPoolRoles answer */
    bool roles_loading;
    char roles_error[600];
    void *roles_view;

    /* Tags pane */
    json_object *tags; /* {"key": "value"} */
    bool tags_loading;
    char tags_error[600];
    void *tags_table;

    /* Status line */
    char status[600];
    enum status_kind status_kind;
    time_t status_time;

    /* The foreground request (Esc cancels it; the status line spins for it). */
    struct app_req *fg;
    char fg_label[120];
    struct app_req *reqs; /* every request in flight */

    /* For tag ARNs: app_account_id() (api_account_id), or, when that fails,
     * what the admin typed in the tag form. Forgotten on :profile/:region. */
    char *account_id;
    bool account_tried;      /* api_account_id was asked for these settings */
    char account_error[600]; /* why it failed ("" if it did not) */
    /* Set by :profile / :region; NULL = what the command line said. */
    char *profile_choice, *region_choice;
};

/* Callback of app_call(). `out` is owned by the callee (NULL on error). */
typedef void (*app_done_fn)(struct app *a, void *ctx, json_object *out,
                            const struct api_error *err);

enum app_call_flags {
    APP_CALL_FOREGROUND = 1, /* Esc cancels it, the status line shows it */
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
};

/* Starts `op` with `input` (taken: the app frees it). On refusal before
 * sending (read-only, invalid input, no credentials) returns NULL with err
 * filled and neither calls `done` nor journals. Mutating calls that were sent
 * are journaled when they finish, whatever the outcome. */
struct app_req *app_call(struct app *a, const char *op, json_object *input, app_done_fn done,
                         void *ctx, unsigned flags, const char *label, struct api_error *err);

/* Cancels one request in flight (its callback fires with API_ERR_CANCELLED). */
void app_cancel(struct app *a, struct app_req *r);

/* Cancels every request in flight (their callbacks fire with API_ERR_CANCELLED). */
void app_cancel_all(struct app *a);

void app_status(struct app *a, enum status_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The status line for an api error, with advice for the usual causes. */
void app_status_error(struct app *a, const char *what, const struct api_error *err);
/* One line saying what went wrong and what to do, for panes and dialogs. */
void app_describe_error(const struct api_error *err, char *buf, size_t size);

void app_push_view(struct app *a, struct view *v);
void app_pop_view(struct app *a);

/* Panes (tui/pane_*.c). */
extern const struct pane_ops pane_pools_ops, pane_identities_ops, pane_roles_ops, pane_tags_ops;
const struct pane_ops *app_pane(enum pane_id id);
void app_switch_pane(struct app *a, enum pane_id id);

/* Selects the pool whose data the other panes show (copies the strings). */
void app_select_pool(struct app *a, const char *id, const char *name);

/* The account id of the settings in use, for ARNs: asks api_account_id()
 * (AWS_ACCOUNT_ID, the profile's aws_account_id, else STS
 * GetCallerIdentity) the first time and keeps the answer. The STS call
 * BLOCKS (up to 30 s, usually well under one): the status line says so and
 * the screen is drawn before it. A failure is asked again only after
 * app_account_retry(); until then NULL, with a->account_error saying why. */
const char *app_account_id(struct app *a);
/* Lets the next app_account_id() ask again after a failure (refresh). */
void app_account_retry(struct app *a);
/* Forgets the account id (the settings changed). */
void app_account_forget(struct app *a);

/* Whether an action is offered now (read-only hides the mutating ones). */
bool app_action_allowed(const struct app *a, enum action act);

/* Frees loaded data of every pane. */
void app_reset_data(struct app *a);

/* :profile NAME / :region NAME (tui/console.c): resolves the settings anew
 * (read-only stays on if it was on), makes a new client and reloads. On
 * failure the old settings stay and the status line says why. Returns 0/-1. */
int console_switch(struct app *a, const char *profile, const char *region);

/* Duplicates s, or NULL. */
char *app_strdup(const char *s);

#endif
