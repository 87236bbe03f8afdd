/* tui/view_dialog.c — the dialog view class (tui/view_dialog.h). */
#include "tui/view_dialog.h"

#include <stdlib.h>

struct dialog_view {
    struct view base;
    view_ok_fn on_ok, on_cancel;
};

/* What the dialog widget said, as the view's result. */
static unsigned outcome(struct view *v, struct app *a, int r)
{
    struct dialog_view *dv = (struct dialog_view *)v;
    if (r & WR_SUBMIT)
        return RES_HANDLED | (dv->on_ok ? dv->on_ok(a, v, v->ctx) : RES_CLOSE);
    if (r & WR_CANCEL)
        return RES_HANDLED | (dv->on_cancel ? dv->on_cancel(a, v, v->ctx) : RES_CLOSE);
    return r ? RES_HANDLED | RES_REDRAW : RES_HANDLED;
}

static unsigned dialog_action(struct view *v, struct app *a, enum action act)
{
    switch (act) {
    case ACT_DIALOG_SWITCH:
        return outcome(v, a, widget_handle(v->w, '\t'));
    case ACT_DIALOG_CHOOSE:
        return outcome(v, a, widget_handle(v->w, '\n'));
    case ACT_CANCEL:
        return outcome(v, a, widget_handle(v->w, WKEY_ESC) | WR_CANCEL);
    default:
        return 0;
    }
}

static unsigned dialog_key(struct view *v, struct app *a, int key)
{
    return outcome(v, a, widget_handle(v->w, key));
}

static void dialog_free_view(struct view *v)
{
    view_release(v);
    free(v);
}

static const struct view_ops dialog_ops = {
    .name = "dialog",
    .scope = SCOPE_DIALOG,
    .full_screen = true,
    .action = dialog_action,
    .key = dialog_key,
    .free = dialog_free_view,
};

struct view *view_dialog_open(struct app *a, struct dialog *d, view_ok_fn on_ok,
                              view_ok_fn on_cancel, void *ctx, void (*free_ctx)(void *))
{
    struct dialog_view *dv = d ? calloc(1, sizeof *dv) : NULL;
    if (dv) {
        dv->on_ok = on_ok;
        dv->on_cancel = on_cancel;
    }
    return view_push(a, dv ? &dv->base : NULL, &dialog_ops, d ? dialog_widget(d) : NULL, ctx,
                     free_ctx);
}

void view_error(struct app *a, const char *title, const struct api_error *err)
{
    char msg[700];
    app_describe_error(err, msg, sizeof msg);
    struct dialog *d =
        dialog_error(title, msg, err->code[0] ? err->code : api_error_kind_name(err->kind),
                     err->message, err->request_id[0] ? err->request_id : NULL);
    view_dialog_open(a, d, NULL, NULL, NULL, NULL);
}

void view_message(struct app *a, const char *title, const char *text)
{
    view_dialog_open(a, dialog_message(title, text), NULL, NULL, NULL, NULL);
}
