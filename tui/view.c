/* tui/view.c — the view stack and what every view class shares (tui/view.h). */
#include "tui/view.h"

#include <stdlib.h>

static unsigned next_serial = 1;

struct view *view_push(struct app *a, struct view *v, const struct view_ops *ops, struct widget *w,
                       void *ctx, void (*free_ctx)(void *))
{
    if (!v || !w) {
        free(v);
        widget_delete(w);
        if (free_ctx)
            free_ctx(ctx);
        app_status(a, STATUS_ERROR, "Out of memory: the view was not opened.");
        return NULL;
    }
    v->ops = ops;
    v->w = w;
    v->ctx = ctx;
    v->free_ctx = free_ctx;
    v->serial = next_serial++;
    v->origin = a->pane;
    v->below = a->view;
    a->view = v;
    a->dirty = true;
    return v;
}

void view_release(struct view *v)
{
    widget_delete(v->w);
    v->w = NULL;
    if (v->free_ctx)
        v->free_ctx(v->ctx);
    v->ctx = NULL;
}

unsigned view_serial(const struct view *v)
{
    return v ? v->serial : 0;
}

struct view *view_find(struct app *a, unsigned serial)
{
    for (struct view *v = a->view; v; v = v->below)
        if (v->serial == serial)
            return v;
    return NULL;
}

void view_close(struct app *a, struct view *v)
{
    for (struct view **p = &a->view; *p; p = &(*p)->below)
        if (*p == v) {
            *p = v->below;
            v->ops->free(v);
            a->dirty = true;
            return;
        }
}

void view_close_all(struct app *a)
{
    while (a->view)
        view_close(a, a->view);
}

void view_draw(struct view *v, struct app *a)
{
    if (v->ops->full_screen)
        widget_place(v->w, 0, 0, a->frame.rows - 1, a->frame.cols);
    else
        widget_place(v->w, a->frame.pane_top, 0, a->frame.pane_height, a->frame.cols);
    widget_draw(v->w, stdscr);
}

int view_nav_key(enum action act)
{
    switch (act) {
    case ACT_UP:
        return WKEY_FN(KEY_UP);
    case ACT_DOWN:
        return WKEY_FN(KEY_DOWN);
    case ACT_PAGE_UP:
        return WKEY_FN(KEY_PPAGE);
    case ACT_PAGE_DOWN:
        return WKEY_FN(KEY_NPAGE);
    case ACT_FIRST:
        return WKEY_FN(KEY_HOME);
    case ACT_LAST:
        return WKEY_FN(KEY_END);
    case ACT_SCROLL_LEFT:
        return WKEY_FN(KEY_LEFT);
    case ACT_SCROLL_RIGHT:
        return WKEY_FN(KEY_RIGHT);
    default:
        return 0;
    }
}

bool view_any_holds_work(const struct app *a)
{
    for (const struct view *v = a->view; v; v = v->below)
        if (v->ops->holds_work && v->ops->holds_work(v))
            return true;
    return false;
}
