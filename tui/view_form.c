/* tui/view_form.c — the form view class (tui/view_form.h). */
#include "tui/view_form.h"

#include <stdlib.h>

#include "tui/view_dialog.h"

struct form_view {
    struct view base;
    struct form *f;
    unsigned flags;
    view_ok_fn on_submit;
};

static unsigned discard_ok(struct app *a, struct view *dialog, void *ctx)
{
    (void)dialog;
    struct view *form = view_find(a, *(unsigned *)ctx);
    if (form)
        view_close(a, form);
    return RES_CLOSE;
}

/* The form asked to be closed (Esc, or Enter on Cancel). */
static unsigned form_cancelled(struct view *v, struct app *a)
{
    struct form_view *fv = (struct form_view *)v;
    if ((fv->flags & VIEW_FORM_QUERY) || !form_modified(fv->f))
        return RES_HANDLED | RES_CLOSE;
    /* Nothing typed is lost by one stray Esc. A question, not a destructive
     * confirmation: nothing on the service changes. */
    unsigned *serial = malloc(sizeof *serial);
    if (!serial)
        return RES_HANDLED;
    *serial = v->serial;
    view_dialog_open(a,
                     dialog_question("Discard the form?",
                                     "Close the form and lose what was typed in it?", "Discard"),
                     discard_ok, NULL, serial, free);
    return RES_HANDLED | RES_REDRAW;
}

/* What the form widget said, as the view's result. */
static unsigned outcome(struct view *v, struct app *a, int r)
{
    struct form_view *fv = (struct form_view *)v;
    if (r & WR_SUBMIT)
        return RES_HANDLED | RES_REDRAW | (fv->on_submit ? fv->on_submit(a, v, v->ctx) : RES_CLOSE);
    if (r & WR_CANCEL)
        return form_cancelled(v, a);
    return RES_HANDLED | ((r & (WR_REDRAW | WR_CHANGED)) ? RES_REDRAW : 0);
}

static unsigned form_action(struct view *v, struct app *a, enum action act)
{
    struct form_view *fv = (struct form_view *)v;
    switch (act) {
    case ACT_FORM_NEXT:
        return outcome(v, a, widget_handle(v->w, '\t'));
    case ACT_FORM_PREV:
        return outcome(v, a, widget_handle(v->w, WKEY_FN(KEY_BTAB)));
    case ACT_FORM_SUBMIT:
        return outcome(v, a, form_submit(fv->f));
    case ACT_FORM_DELETE_ITEM:
        return outcome(v, a, form_delete_item(fv->f));
    case ACT_FORM_MOVE_UP:
        return outcome(v, a, form_move_item(fv->f, -1));
    case ACT_FORM_MOVE_DOWN:
        return outcome(v, a, form_move_item(fv->f, 1));
    case ACT_CANCEL:
        return outcome(v, a, widget_handle(v->w, WKEY_ESC));
    default:
        return 0;
    }
}

static unsigned form_key(struct view *v, struct app *a, int key)
{
    return outcome(v, a, widget_handle(v->w, key));
}

static bool form_holds_work(const struct view *v)
{
    const struct form_view *fv = (const struct form_view *)v;
    return !(fv->flags & VIEW_FORM_QUERY) && form_modified(fv->f);
}

static void form_free_view(struct view *v)
{
    view_release(v);
    free(v);
}

static const struct view_ops form_ops = {
    .name = "form",
    .scope = SCOPE_FORM,
    .action = form_action,
    .key = form_key,
    .holds_work = form_holds_work,
    .free = form_free_view,
};

struct view *view_form_open(struct app *a, struct form *f, unsigned flags, view_ok_fn on_submit,
                            void *ctx, void (*free_ctx)(void *))
{
    struct form_view *fv = f ? calloc(1, sizeof *fv) : NULL;
    if (fv) {
        fv->f = f;
        fv->flags = flags;
        fv->on_submit = on_submit;
        form_set_owner_keys(f, true); /* submit, delete and move come from the key map */
    }
    return view_push(a, fv ? &fv->base : NULL, &form_ops, f ? form_widget(f) : NULL, ctx, free_ctx);
}

struct form *view_form_of(struct view *v)
{
    return v && v->ops == &form_ops ? ((struct form_view *)v)->f : NULL;
}
