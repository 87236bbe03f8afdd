/* tui/pane.h — the pane protocol (tig's view_ops, htop's Panel class): a
 * pane is an object made by its class, owning its rows, widgets and the
 * state of its requests; the frame and the app reach it only through
 * these operations, never by name.
 *
 * A class is `const struct pane_ops pane_<name>_ops` in tui/pane_<name>.c,
 * listed once in tui/panes.h. Its private state is a struct that starts
 * with `struct pane`; `new` makes it, `free` ends it.
 *
 * Life: new (when the console starts and when the settings change) ->
 * enter (each time it is shown) / action / sync + draw / reload / reset,
 * any number of times -> free. All run on the event loop's thread.
 *
 *   new      Makes the pane for `a` (loads nothing yet). NULL: out of memory.
 *   free     Cancels the pane's requests, frees it. Called before the
 *            settings change, after app_cancel_all() (so its callbacks have
 *            fired with API_ERR_CANCELLED while it was still alive).
 *   enter    The pane is shown: start loading what it needs, if it has not
 *            (idempotent; never reloads what is loaded).
 *   sync     Optional. Before each frame is drawn: bring derived state up
 *            to date (rows into the table; the Pools pane makes the app
 *            follow the pool under its cursor). May change the app.
 *   draw     Draws the pane area (a->frame.pane_top, pane_height, the full
 *            width) on stdscr, from its own state only.
 *   action   An action of the key map (tui/actions.h) while the pane is
 *            shown and no view is open. Returns RES_* flags; 0 means "not
 *            mine": the frame then does the generic thing (moves the
 *            table for the navigation actions, filter, sort, search, ...).
 *   offers   Optional. Whether `act`, which the key map gives this pane's
 *            scope, does something here now; the key bar and help show
 *            only what it offers. NULL: everything in its scope.
 *   table    Optional. The pane's table widget, or NULL: the frame's
 *            filter, sort, search, row count and "marks would be lost"
 *            question use it.
 *   reload   Reload from the service (r, and app_reload_pane() after a
 *            change). The rows on screen stay until the answer; a failed
 *            or cancelled refresh keeps them and says why.
 *   reset    The followed pool changed (app_follow_pool): forget whatever
 *            belonged to the old one (cancelling its requests); reload
 *            on the next enter. Panes about no pool do nothing.
 *   pollfds  Optional, with perform: a pane whose work runs on clients of
 *            its own besides a->client (the Audit pane's engine) gives the
 *            console loop their descriptors (at most max) and the longest
 *            the loop may sleep (*timeout_ms, -1 = no deadline); returns the
 *            count. Asked on every turn of the loop, shown or not.
 *   perform  Optional: after poll, the work that needs no waiting (its
 *            callbacks run here); sets a->dirty when the screen changes.
 *
 * Requests a pane starts carry the pane and a->generation; the callback
 * ignores an answer whose generation is stale.
 */
#ifndef TUI_PANE_H
#define TUI_PANE_H

#include <poll.h>
#include <stdbool.h>

#include "tui/actions.h"
#include "tui/panes.h"

struct app;
struct table;

struct pane_ops;

struct pane {
    const struct pane_ops *ops;
    enum pane_id id;
};

struct pane_ops {
    struct pane *(*new)(struct app *a);
    void (*free)(struct pane *p, struct app *a);
    void (*enter)(struct pane *p, struct app *a);
    void (*sync)(struct pane *p, struct app *a);
    void (*draw)(struct pane *p, struct app *a);
    unsigned (*action)(struct pane *p, struct app *a, enum action act);
    bool (*offers)(const struct pane *p, const struct app *a, enum action act);
    struct table *(*table)(struct pane *p);
    void (*reload)(struct pane *p, struct app *a);
    void (*reset)(struct pane *p, struct app *a);
    int (*pollfds)(struct pane *p, struct app *a, struct pollfd *fds, int max, int *timeout_ms);
    void (*perform)(struct pane *p, struct app *a);
};

/* The class of pane `id` (from tui/panes.h), or NULL past the list. */
const struct pane_ops *pane_class(enum pane_id id);
/* The tab label of pane `id` ("" past the list). */
const char *pane_label(enum pane_id id);
/* The key scope of pane `id` (SCOPE_<ID>). */
unsigned pane_scope(enum pane_id id);

/* The pollfds of every pane of `panes` (PANE_COUNT entries: a->panes; NULL
 * entries skipped), into fds (at most max); lowers *timeout_ms (-1 = none
 * yet) to the shortest a pane asks. Returns the count. */
int pane_pollfds_all(struct pane *const *panes, struct app *a, struct pollfd *fds, int max,
                     int *timeout_ms);
/* Every pane's perform. */
void pane_perform_all(struct pane *const *panes, struct app *a);

/* The table of pane `p` (NULL when it has none or p is NULL). */
struct table *pane_table(struct pane *p);

/* Whether pane `p` offers `act` now (its scope, then its `offers`). */
bool pane_offers(const struct pane *p, const struct app *a, enum action act);

/* Moves table `t` for a navigation action (up, page-down, last, ...):
 * the table's WR_* flags (WR_PAGE: it wants the owner's next page), or 0
 * when `act` is no navigation. */
int pane_nav(struct table *t, enum action act);

/* Draws `text` (outside text: sanitized) word-wrapped from row `top`, in at
 * most `max_rows` rows of `cols` columns (the last one cut with an
 * ellipsis), in `role` (an enum theme_role). Returns the rows used. For a
 * pane's messages above its rows: why loading failed, what to do. */
int pane_note(int top, int cols, int max_rows, const char *text, int role);

#endif
