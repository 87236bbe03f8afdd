/* tui/view_diff.c — the diff view class (tui/view_diff.h). */
#include "tui/view_diff.h"

#include <stdlib.h>

struct diff_view {
    struct view base;
    view_ok_fn on_send;
};

static unsigned diff_action(struct view *v, struct app *a, enum action act)
{
    struct diff_view *dv = (struct diff_view *)v;
    int nav = view_nav_key(act);
    if (nav) {
        widget_handle(v->w, nav);
        return RES_HANDLED | RES_REDRAW;
    }
    switch (act) {
    case ACT_BACK:
    case ACT_CANCEL:
        return RES_HANDLED | RES_CLOSE;
    case ACT_DIFF_SEND:
        return RES_HANDLED | (dv->on_send ? dv->on_send(a, v, v->ctx) : RES_CLOSE);
    default:
        return 0;
    }
}

static unsigned diff_key(struct view *v, struct app *a, int key)
{
    (void)a;
    return widget_handle(v->w, key) & WR_REDRAW ? RES_HANDLED | RES_REDRAW : 0;
}

static void diff_free(struct view *v)
{
    view_release(v);
    free(v);
}

static const struct view_ops diff_ops = {
    .name = "diff",
    .scope = SCOPE_DIFF,
    .action = diff_action,
    .key = diff_key,
    .free = diff_free,
};

struct view *view_diff_open(struct app *a, struct diff *d, view_ok_fn on_send, void *ctx,
                            void (*free_ctx)(void *))
{
    struct diff_view *dv = d ? calloc(1, sizeof *dv) : NULL;
    if (dv)
        dv->on_send = on_send;
    return view_push(a, dv ? &dv->base : NULL, &diff_ops, d ? diff_widget(d) : NULL, ctx, free_ctx);
}
