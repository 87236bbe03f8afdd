/* tui/view_detail.c — the detail view class (tui/view_detail.h). */
#include "tui/view_detail.h"

#include <stdlib.h>

struct detail_view {
    struct view base;
    struct detail *d;
    view_action_fn on_action;
};

static unsigned detail_action(struct view *v, struct app *a, enum action act)
{
    struct detail_view *dv = (struct detail_view *)v;
    int nav = view_nav_key(act);
    if (nav) {
        widget_handle(v->w, nav);
        return RES_HANDLED | RES_REDRAW;
    }
    if (act == ACT_BACK || act == ACT_CANCEL)
        return RES_HANDLED | RES_CLOSE;
    return dv->on_action ? dv->on_action(a, v, v->ctx, act) : 0;
}

static unsigned detail_key(struct view *v, struct app *a, int key)
{
    (void)a;
    return widget_handle(v->w, key) & WR_REDRAW ? RES_HANDLED | RES_REDRAW : 0;
}

static void detail_free(struct view *v)
{
    view_release(v);
    free(v);
}

static const struct view_ops detail_ops = {
    .name = "detail",
    .scope = SCOPE_DETAIL,
    .action = detail_action,
    .key = detail_key,
    .free = detail_free,
};

struct view *view_detail_open(struct app *a, struct detail *d, view_action_fn on_action, void *ctx,
                              void (*free_ctx)(void *))
{
    struct detail_view *dv = d ? calloc(1, sizeof *dv) : NULL;
    if (dv) {
        dv->d = d;
        dv->on_action = on_action;
    }
    return view_push(a, dv ? &dv->base : NULL, &detail_ops, d ? detail_widget(d) : NULL, ctx,
                     free_ctx);
}

struct detail *view_detail_of(struct view *v)
{
    return v && v->ops == &detail_ops ? ((struct detail_view *)v)->d : NULL;
}
