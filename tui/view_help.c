/* tui/view_help.c — the help view class (tui/view_help.h). */
#include "tui/view_help.h"

#include <stdlib.h>

static unsigned help_action(struct view *v, struct app *a, enum action act)
{
    (void)a;
    int nav = view_nav_key(act);
    if (nav) {
        widget_handle(v->w, nav);
        return RES_HANDLED | RES_REDRAW;
    }
    if (act == ACT_BACK || act == ACT_CANCEL || act == ACT_HELP)
        return RES_HANDLED | RES_CLOSE;
    return 0;
}

static unsigned help_key(struct view *v, struct app *a, int key)
{
    (void)v;
    (void)a;
    (void)key;
    return RES_HANDLED; /* keys that are no action do nothing here */
}

static void help_free(struct view *v)
{
    view_release(v);
    free(v);
}

static const struct view_ops help_ops = {
    .name = "help",
    .scope = SCOPE_HELP,
    .action = help_action,
    .key = help_key,
    .free = help_free,
};

struct view *view_help_open(struct app *a, struct help *h)
{
    struct view *v = h ? calloc(1, sizeof *v) : NULL;
    return view_push(a, v, &help_ops, h ? help_widget(h) : NULL, NULL, NULL);
}
