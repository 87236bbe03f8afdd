/* tui/pane_roles.c — the Roles pane: the followed pool's roles and role
 * mappings with their rules (GetIdentityPoolRoles); the editor and the rules
 * tester are tui/roles_forms.h. */
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/json_get.h"
#include "tui/pane.h"
#include "tui/roles_detail.h"
#include "tui/roles_forms.h"
#include "widgets/detail.h"
#include "widgets/text.h"

struct roles_pane {
    struct pane base;
    json_object *roles;  /* the answer shown, or NULL */
    struct app_req *req; /* the read in flight */
    bool asked;          /* read once for this pool (a failure is not retried by entering) */
    char error[900];
    struct detail *view;
};

static void fill(struct roles_pane *rp)
{
    struct detail *d = rp->view;
    detail_clear(d);
    roles_describe(d, rp->roles);
}

static void roles_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct roles_pane *rp = ctx;
    rp->req = NULL;
    a->dirty = true;
    if (!out) {
        char why[560];
        app_describe_error(err, why, sizeof why);
        if (err->kind == API_ERR_CANCELLED)
            snprintf(rp->error, sizeof rp->error, "Reading stopped (Esc)%s; r reads again.",
                     rp->roles ? ": the roles shown are from before" : "");
        else
            snprintf(rp->error, sizeof rp->error, "%s%s",
                     rp->roles ? "Refresh failed; the roles shown are from before. " : "", why);
        return;
    }
    json_object_put(rp->roles);
    rp->roles = out;
    rp->error[0] = '\0';
    fill(rp);
}

static void load(struct roles_pane *rp, struct app *a)
{
    if (!a->pool_id || rp->req)
        return;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(a->pool_id));
    struct api_error err;
    rp->asked = true;
    rp->error[0] = '\0';
    rp->req = app_call(a, "GetIdentityPoolRoles", in, roles_done, rp, APP_CALL_FOREGROUND,
                       rp->roles ? "Refreshing roles" : "Reading roles", &err);
    if (!rp->req)
        app_describe_error(&err, rp->error, sizeof rp->error);
}

static struct pane *roles_new(struct app *a)
{
    (void)a;
    struct roles_pane *rp = calloc(1, sizeof *rp);
    if (!rp)
        return NULL;
    if (!(rp->view = detail_new(NULL))) {
        free(rp);
        return NULL;
    }
    return &rp->base;
}

static void roles_reset(struct pane *p, struct app *a)
{
    struct roles_pane *rp = (struct roles_pane *)p;
    if (rp->req)
        app_cancel(a, rp->req);
    json_object_put(rp->roles);
    rp->roles = NULL;
    rp->asked = false;
    rp->error[0] = '\0';
    detail_clear(rp->view);
}

static void roles_free(struct pane *p, struct app *a)
{
    struct roles_pane *rp = (struct roles_pane *)p;
    roles_reset(p, a);
    detail_delete(rp->view);
    free(rp);
}

static void roles_enter(struct pane *p, struct app *a)
{
    struct roles_pane *rp = (struct roles_pane *)p;
    if (!rp->asked)
        load(rp, a);
}

static void roles_draw(struct pane *p, struct app *a)
{
    struct roles_pane *rp = (struct roles_pane *)p;
    int top = a->frame.pane_top, height = a->frame.pane_height, cols = a->frame.cols;
    if (!a->pool_id) {
        pane_note(top + 1, cols, 2, "No pool: highlight one in the Pools pane (1).", ROLE_DIM);
        return;
    }
    char title[400];
    snprintf(title, sizeof title, "Roles of pool %s (%s)", a->pool_name ? a->pool_name : "",
             a->pool_id);
    draw_text(stdscr, top, 1, cols - 2, title, TEXT_NUL, ROLE_TITLE, TEXT_ELLIPSIS);
    int used = 1;
    if (rp->error[0])
        used += pane_note(top + used, cols, 3, rp->error, rp->roles ? ROLE_WARNING : ROLE_ERROR);
    if (!rp->roles) {
        if (rp->req)
            draw_text(stdscr, top + used, 1, cols - 2, "Loading roles...", TEXT_NUL, ROLE_DIM, 0);
        return;
    }
    widget_place(detail_widget(rp->view), top + used, 0, height - used, cols);
    widget_draw(detail_widget(rp->view), stdscr);
}

static unsigned roles_action(struct pane *p, struct app *a, enum action act)
{
    struct roles_pane *rp = (struct roles_pane *)p;
    int nav = 0;
    switch (act) {
    case ACT_UP:
        nav = WKEY_FN(KEY_UP);
        break;
    case ACT_DOWN:
        nav = WKEY_FN(KEY_DOWN);
        break;
    case ACT_PAGE_UP:
        nav = WKEY_FN(KEY_PPAGE);
        break;
    case ACT_PAGE_DOWN:
        nav = WKEY_FN(KEY_NPAGE);
        break;
    case ACT_FIRST:
        nav = WKEY_FN(KEY_HOME);
        break;
    case ACT_LAST:
        nav = WKEY_FN(KEY_END);
        break;
    case ACT_ROLES_EDIT:
    case ACT_RULES_TEST:
        if (!rp->roles) {
            app_status(a, STATUS_WARN, "The roles are not loaded yet (r reloads).");
            return RES_HANDLED;
        }
        if (act == ACT_ROLES_EDIT)
            roles_edit_form(a, a->pool_id, rp->roles);
        else
            rules_tester_form(a, rp->roles);
        return RES_HANDLED;
    default:
        return 0;
    }
    widget_handle(detail_widget(rp->view), nav);
    return RES_HANDLED | RES_REDRAW;
}

static bool roles_offers(const struct pane *p, const struct app *a, enum action act)
{
    const struct roles_pane *rp = (const struct roles_pane *)p;
    if (act == ACT_OPEN)
        return false;
    if (act == ACT_ROLES_EDIT || act == ACT_RULES_TEST)
        return rp->roles != NULL;
    return a->pool_id || act == ACT_BACK;
}

static void roles_refresh(struct pane *p, struct app *a)
{
    load((struct roles_pane *)p, a);
}

const struct pane_ops pane_roles_ops = {
    .new = roles_new,
    .free = roles_free,
    .enter = roles_enter,
    .draw = roles_draw,
    .action = roles_action,
    .offers = roles_offers,
    .reload = roles_refresh,
    .reset = roles_reset,
};
