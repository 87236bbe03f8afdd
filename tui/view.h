/* tui/view.h — the view protocol: what the console stacks over its panes
 * (detail, diff, dialog, form, help). Each kind is a small const class
 * (htop's Panel classes) wrapping one widget and its owner's callbacks:
 * tui/view_detail.h, view_diff.h, view_dialog.h, view_form.h, view_help.h.
 *
 * Keys: the frame (tui/dispatch.c) looks a key up in the view's scope
 * (ops->scope, tui/actions.h) and gives the action to ops->action; a key
 * that is no action there (and every printable key in a form or dialog)
 * goes to ops->key, which hands it to the widget. Both return RES_* flags:
 * RES_CLOSE closes the view, RES_QUIT leaves the console, 0 means "not
 * mine" (the frame then runs the generic actions: help, quit).
 *
 * Ownership: a view owns its widget and, through free_ctx, its owner's
 * context; it is freed when closed. The stack belongs to the app
 * (a->view, each view's `below`).
 *
 * Requests outlive views: code that acts on a view after an answer keeps
 * its serial (view_serial) and finds it again with view_find, which gives
 * NULL when it was closed meanwhile. A view remembers the pane it was
 * opened over (`origin`): what a form changes is reloaded there.
 */
#ifndef TUI_VIEW_H
#define TUI_VIEW_H

#include <stdbool.h>

#include "tui/actions.h"
#include "tui/app.h"
#include "widgets/widget.h"

struct view;

struct view_ops {
    const char *name;
    unsigned scope;   /* SCOPE_* of its keys */
    bool full_screen; /* placed over the whole screen (dialogs), else over the pane area */
    unsigned (*action)(struct view *v, struct app *a, enum action act);
    unsigned (*key)(struct view *v, struct app *a, int key);
    /* Optional: whether `act`, which the key map gives this scope, does
     * something in this view now (the key bar shows only that). NULL: all. */
    bool (*offers)(const struct view *v, enum action act);
    /* Optional: quitting now would lose work (a form with edits). */
    bool (*holds_work)(const struct view *v);
    void (*free)(struct view *v);
};

/* What the five classes share: one widget and the owner's context. */
struct view {
    const struct view_ops *ops;
    struct view *below;
    unsigned serial;
    enum pane_id origin;
    struct widget *w;
    void *ctx;
    void (*free_ctx)(void *ctx);
};

/* Fills the shared part and pushes the view on a's stack (serial and origin
 * set). `v` must be allocated by the class; on failure (v NULL or w NULL)
 * the widget and ctx are freed, the status line says so, and NULL comes back. */
struct view *view_push(struct app *a, struct view *v, const struct view_ops *ops, struct widget *w,
                       void *ctx, void (*free_ctx)(void *));

/* Frees the shared part (the widget, the context); for the classes' free. */
void view_release(struct view *v);

unsigned view_serial(const struct view *v);
struct view *view_find(struct app *a, unsigned serial);
/* Removes v from the stack (wherever it is) and frees it. */
void view_close(struct app *a, struct view *v);
/* Closes every view. */
void view_close_all(struct app *a);

/* Places and draws the view (the frame calls it bottom-up). */
void view_draw(struct view *v, struct app *a);

/* The widget key the navigation action means (Up, PgDn, ...), or 0. */
int view_nav_key(enum action act);

/* Whether any open view would lose work if the console quit now. */
bool view_any_holds_work(const struct app *a);

#endif
