/* tui/pane_audit.c — the Audit pane: the audit (tui/audit.h) of every pool
 * of the console's Region, its findings grouped by pool and severity (the
 * engine's order), Enter for the evidence (the offending statement
 * highlighted) and the fix.
 *
 * The engine drives clients of its own (one for the Region, one for IAM,
 * each with its rate limiter), so the pane gives the console loop their
 * descriptors (pane_ops.pollfds/perform). It runs when the pane is first
 * shown and again on refresh (r); Esc stops it (the pools not judged then
 * are "not audited: cancelled").
 *
 * Fix… (f): for a Cognito-side fix (guest access off, classic flow off,
 * AmbiguousRoleResolution Deny) the pool's current settings are read anew,
 * the one change is shown as a diff and Enter sends it through the
 * ordinary path (tui/form_send.h: foreground, journalled, the api's
 * read-only guard); after it the audit runs again. The action mutates, so
 * read-only mode never offers it. IAM-side fixes are not sent from here
 * (the console holds no IAM write): the detail shows the corrected trust
 * policy and the `aws iam update-assume-role-policy` line to run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/audit.h"
#include "tui/form_send.h"
#include "tui/json_get.h"
#include "tui/pane.h"
#include "tui/view_detail.h"
#include "tui/view_diff.h"
#include "tui/view_dialog.h"
#include "widgets/detail.h"
#include "widgets/diff.h"
#include "widgets/table.h"
#include "widgets/text.h"

/* While the audit runs the loop wakes at least this often (progress). */
#define PROGRESS_MS 100

struct audit_pane {
    struct pane base;
    struct audit *audit; /* running or finished; NULL before the first run */
    bool finished;
    char error[900]; /* the audit failed as a whole, or could not start */
    struct audit_progress progress;
    const struct audit_findings *findings; /* the finished audit's */
    struct table *table;
};

static const struct audit_finding *finding_at(const struct audit_pane *ap, size_t row)
{
    return ap->findings && row < ap->findings->n ? &ap->findings->v[row] : NULL;
}

static const char *cell(void *ctx, size_t row, int col, char *buf, size_t cap)
{
    const struct audit_finding *f = finding_at(ctx, row);
    if (!f)
        return NULL;
    switch (col) {
    case 0:
        return audit_severity_name(f->check->severity);
    case 1:
        return f->check->id;
    case 2:
        snprintf(buf, cap, "%s (%s)", f->pool_name ? f->pool_name : "", f->pool_id);
        return buf;
    case 3:
        return f->resource;
    default:
        return f->title;
    }
}

static const char *row_key(void *ctx, size_t row, char *buf, size_t cap)
{
    const struct audit_finding *f = finding_at(ctx, row);
    if (!f)
        return NULL;
    snprintf(buf, cap, "%s|%s|%s|%s", f->pool_id, f->check->id, f->resource ? f->resource : "",
             f->title ? f->title : "");
    return buf;
}

static int row_role(void *ctx, size_t row)
{
    const struct audit_finding *f = finding_at(ctx, row);
    if (!f)
        return -1;
    return f->check->severity == AUDIT_HIGH     ? ROLE_ERROR
           : f->check->severity == AUDIT_MEDIUM ? ROLE_WARNING
           : f->check->severity == AUDIT_INFO   ? ROLE_DIM
                                                : -1;
}

/* Sorting by severity means high first, as the engine orders them. */
static int compare(void *ctx, size_t x, size_t y, int col)
{
    const struct audit_finding *a = finding_at(ctx, x), *b = finding_at(ctx, y);
    char bx[600], by[600];
    if (!a || !b)
        return 0;
    if (col == 0)
        return (int)b->check->severity - (int)a->check->severity;
    return text_compare(cell(ctx, x, col, bx, sizeof bx), cell(ctx, y, col, by, sizeof by));
}

static void stop(struct audit_pane *ap)
{
    audit_free(ap->audit);
    ap->audit = NULL;
    ap->findings = NULL;
    ap->finished = false;
    memset(&ap->progress, 0, sizeof ap->progress);
    table_reload(ap->table, 0, false);
}

static void finish(struct audit_pane *ap, struct app *a)
{
    struct api_error err;
    ap->finished = true;
    a->dirty = true;
    audit_get_progress(ap->audit, &ap->progress);
    if (audit_error(ap->audit, &err) != 0) {
        app_describe_error(&err, ap->error, sizeof ap->error);
        app_status_error(a, "Audit", &err);
        return;
    }
    ap->findings = audit_findings(ap->audit);
    table_reload(ap->table, ap->findings->n, false);
    app_status(a, STATUS_OK, "Audit: %zu finding%s in %zu pool%s.", ap->findings->n,
               ap->findings->n == 1 ? "" : "s", audit_pools_audited(ap->audit),
               audit_pools_audited(ap->audit) == 1 ? "" : "s");
}

static void start(struct audit_pane *ap, struct app *a)
{
    const char *regions[1] = {a->cfg.region};
    struct audit_options o = {0};
    struct api_error err;

    stop(ap);
    ap->error[0] = '\0';
    o.regions = regions;
    o.n_regions = 1;
    o.account = app_account_id(a);
    o.endpoint_url = a->opt ? a->opt->config.endpoint_url : NULL;
    ap->audit = audit_new(&a->cfg, &o, &err);
    if (!ap->audit || audit_start(ap->audit, &err) != 0) {
        app_describe_error(&err, ap->error, sizeof ap->error);
        audit_free(ap->audit);
        ap->audit = NULL;
        return;
    }
    if (audit_finished(ap->audit))
        finish(ap, a);
    a->dirty = true;
}

static bool running(const struct audit_pane *ap)
{
    return ap->audit && !ap->finished;
}

/* ---- Fix… ---- */

enum fix_kind { FIX_NONE, FIX_GUEST_OFF, FIX_CLASSIC_OFF, FIX_AMBIGUOUS_DENY };

/* The Cognito-side fix of a finding, if it has one. */
static enum fix_kind fix_of(const struct audit_finding *f)
{
    if (!f)
        return FIX_NONE;
    if (strcmp(f->check->id, "CIP-001") == 0)
        return FIX_GUEST_OFF;
    if (strcmp(f->check->id, "CIP-002") == 0)
        return FIX_CLASSIC_OFF;
    if (strcmp(f->check->id, "CIP-006") == 0) {
        json_object *m = jobj(f->evidence, "role_mapping");
        const char *amb = jstr(f->evidence, "AmbiguousRoleResolution");
        if (!amb && m)
            amb = jstr(m, "AmbiguousRoleResolution");
        if (amb && strcmp(amb, "AuthenticatedRole") == 0)
            return FIX_AMBIGUOUS_DENY;
    }
    return FIX_NONE;
}

static const char *const fix_labels[] = {
    [FIX_NONE] = "",
    [FIX_GUEST_OFF] = "Fix: guest access off",
    [FIX_CLASSIC_OFF] = "Fix: classic flow off",
    [FIX_AMBIGUOUS_DENY] = "Fix: AmbiguousRoleResolution Deny",
};

/* What a fix needs after the finding is gone (the audit runs again). */
struct fix {
    enum fix_kind kind;
    char *pool_id, *provider;
    unsigned gen;
};

static void fix_free(void *p)
{
    struct fix *x = p;
    if (!x)
        return;
    free(x->pool_id);
    free(x->provider);
    free(x);
}

static struct fix *fix_new(const struct audit_finding *f, unsigned gen)
{
    struct fix *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->kind = fix_of(f);
    x->gen = gen;
    x->pool_id = app_strdup(f->pool_id);
    x->provider = app_strdup(f->resource);
    if (!x->pool_id || !x->provider) {
        fix_free(x);
        return NULL;
    }
    return x;
}

struct fix_send {
    struct fix *fix;
    json_object *input;
};

static void fix_send_free(void *p)
{
    struct fix_send *s = p;
    if (!s)
        return;
    fix_free(s->fix);
    json_object_put(s->input);
    free(s);
}

static unsigned fix_send(struct app *a, struct view *v, void *ctx)
{
    (void)v;
    struct fix_send *s = ctx;
    struct form_send_opts o = {.op = s->fix->kind == FIX_AMBIGUOUS_DENY ? "SetIdentityPoolRoles"
                                                                        : "UpdateIdentityPool",
                               .label = fix_labels[s->fix->kind]};
    /* No form: a refusal or failure is an error dialog; success reloads the
     * pane the diff was opened over (this one: the audit runs again). */
    form_send(a, NULL, json_object_get(s->input), &o);
    return RES_CLOSE;
}

/* The change itself, on a copy of what was read. 0, or -1 when the
 * settings no longer hold what the finding named. */
static int apply(const struct fix *x, json_object *in)
{
    switch (x->kind) {
    case FIX_GUEST_OFF:
        json_object_object_add(in, "AllowUnauthenticatedIdentities", json_object_new_boolean(0));
        return 0;
    case FIX_CLASSIC_OFF:
        json_object_object_add(in, "AllowClassicFlow", json_object_new_boolean(0));
        return 0;
    case FIX_AMBIGUOUS_DENY: {
        json_object *m = jobj(jobj(in, "RoleMappings"), x->provider);
        if (!m)
            return -1;
        json_object_object_add(m, "AmbiguousRoleResolution", json_object_new_string("Deny"));
        return 0;
    }
    default:
        return -1;
    }
}

static void fix_read(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct fix *x = ctx;
    if (x->gen != a->profile_gen || !out) {
        if (!out && err->kind != API_ERR_CANCELLED)
            view_error(a, fix_labels[x->kind], err);
        json_object_put(out);
        fix_free(x);
        return;
    }
    /* What is sent is what was read, the one change applied: the update
     * resets what it is not sent. GetIdentityPoolRoles answers what
     * SetIdentityPoolRoles takes; DescribeIdentityPool what UpdateIdentityPool takes. */
    json_object *before = NULL;
    if (json_object_deep_copy(out, &before, NULL) != 0)
        before = NULL;
    json_object *in = out;
    struct diff *d = diff_new("Changes to send (Enter sends, q cancels)");
    struct fix_send *s = calloc(1, sizeof *s);
    int rc = before && d && s && apply(x, in) == 0 ? diff_set_json(d, before, in) : -1;
    json_object_put(before);
    if (rc != 0 || diff_changes(d) == 0) {
        app_status(a, STATUS_WARN, "%s: %s", fix_labels[x->kind],
                   rc != 0 ? "the pool no longer has what the finding named (r audits again)."
                           : "already done, nothing to send (r audits again).");
        diff_delete(d);
        free(s);
        json_object_put(in);
        fix_free(x);
        return;
    }
    app_status_clear(a);
    s->fix = x;
    s->input = in;
    view_diff_open(a, d, fix_send, s, fix_send_free);
}

/* f: read the settings the fix changes, then the diff. */
static unsigned fix_start(struct app *a, const struct audit_finding *f)
{
    struct api_error err;
    if (!app_action_allowed(a, ACT_AUDIT_FIX)) {
        app_status(a, STATUS_WARN, "Read-only mode: the audit shows findings, it changes nothing.");
        return RES_HANDLED;
    }
    if (fix_of(f) == FIX_NONE) {
        app_status(a, STATUS_WARN, "%s",
                   f ? "No Cognito-side fix for this finding: the detail (Enter) says what to do."
                     : "No finding under the cursor.");
        return RES_HANDLED;
    }
    struct fix *x = fix_new(f, a->profile_gen);
    if (!x) {
        app_status(a, STATUS_ERROR, "Out of memory.");
        return RES_HANDLED;
    }
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(x->pool_id));
    const char *op =
        x->kind == FIX_AMBIGUOUS_DENY ? "GetIdentityPoolRoles" : "DescribeIdentityPool";
    if (!app_call(a, op, in, fix_read, x, APP_CALL_FOREGROUND, "Reading the pool to fix", &err)) {
        view_error(a, fix_labels[x->kind], &err);
        fix_free(x);
    }
    return RES_HANDLED | RES_REDRAW;
}

/* ---- the detail (Enter) ---- */

#define WRAP_COLS 76

/* Adds each line of `text` in `role`, word-wrapped at WRAP_COLS columns
 * (widgets/text.h text_wrap). */
static void add_lines(struct detail *d, int indent, const char *text, enum theme_role role)
{
    while (text && *text) {
        size_t n = strcspn(text, "\n"), at = 0, next;
        do {
            size_t len = text_wrap(text + at, n - at, WRAP_COLS, &next);
            char *line = strndup(text + at, len);
            if (line)
                detail_add_line(d, indent, line, role);
            free(line);
            at += next ? next : n - at;
        } while (at < n);
        text += n + (text[n] == '\n');
    }
}

/* Pretty JSON of v, each line in `role` (the widget's JSON colours would
 * hide the highlight). */
static void add_json_lines(struct detail *d, int indent, json_object *v, enum theme_role role)
{
    if (v)
        add_lines(d, indent,
                  json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY |
                                                        JSON_C_TO_STRING_SPACED |
                                                        JSON_C_TO_STRING_NOSLASHESCAPE),
                  role);
}

/* The detail's copy of its finding, so Fix… works after the audit ran again. */
struct finding_view {
    struct audit_finding f;
    struct audit_check check;
};

static void finding_view_free(void *p)
{
    struct finding_view *fv = p;
    if (!fv)
        return;
    free(fv->f.region);
    free(fv->f.pool_id);
    free(fv->f.pool_name);
    free(fv->f.resource);
    free(fv->f.title);
    free(fv->f.fix);
    json_object_put(fv->f.evidence);
    free(fv);
}

static unsigned detail_action(struct app *a, struct view *v, void *ctx, enum action act)
{
    (void)v;
    struct finding_view *fv = ctx;
    if (act != ACT_AUDIT_FIX)
        return 0;
    return fix_start(a, &fv->f);
}

static void open_detail(struct app *a, const struct audit_finding *f)
{
    struct finding_view *fv = calloc(1, sizeof *fv);
    char title[300];
    snprintf(title, sizeof title, "%s %s: %s", f->check->id,
             audit_severity_name(f->check->severity), f->check->title);
    struct detail *d = detail_new(title);
    if (!fv || !d) {
        free(fv);
        detail_delete(d);
        app_status(a, STATUS_ERROR, "Out of memory.");
        return;
    }
    fv->check = *f->check;
    fv->f.check = &fv->check;
    fv->f.region = app_strdup(f->region);
    fv->f.pool_id = app_strdup(f->pool_id);
    fv->f.pool_name = app_strdup(f->pool_name);
    fv->f.resource = app_strdup(f->resource);
    fv->f.title = app_strdup(f->title);
    fv->f.fix = app_strdup(f->fix);
    fv->f.evidence = json_object_get(f->evidence);

    detail_add_section(d, "Finding");
    detail_add_kv(d, 0, "Check", f->check->id);
    detail_add_kv(d, 0, "Severity", audit_severity_name(f->check->severity));
    detail_add_kv(d, 0, "Region", f->region);
    detail_add_kv(d, 0, "Pool", f->pool_id);
    detail_add_kv(d, 0, "Pool name", f->pool_name ? f->pool_name : "");
    detail_add_kv(d, 0, "Resource", f->resource ? f->resource : "");
    add_lines(d, 0, f->title, ROLE_NORMAL);

    detail_add_section(d, "Evidence");
    json_object *stmt = jget(f->evidence, "statement"), *list = jarr(f->evidence, "statements");
    if (stmt) {
        json_object *idx = jget(f->evidence, "statement_index");
        char head[120];
        snprintf(head, sizeof head, "The offending statement (index %s of the policy):",
                 idx ? json_object_get_string(idx) : "?");
        detail_add_line(d, 0, head, ROLE_DANGER);
        add_json_lines(d, 1, stmt, ROLE_DANGER);
    }
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        json_object *item = json_object_array_get_idx(list, i);
        char head[600];
        snprintf(head, sizeof head, "The offending statement of %s: %s",
                 jstr_or(item, "policy", "?"), jstr_or(item, "why", ""));
        add_lines(d, 0, head, ROLE_DANGER);
        add_json_lines(d, 1, jget(item, "statement"), ROLE_DANGER);
    }
    if (stmt || list)
        detail_add_line(d, 0, "All the evidence:", ROLE_DIM);
    detail_add_json(d, 0, f->evidence);

    detail_add_section(d, "Fix");
    add_lines(d, 0, f->fix, ROLE_NORMAL);
    if (fix_of(f) != FIX_NONE)
        detail_add_line(d, 0,
                        app_action_allowed(a, ACT_AUDIT_FIX)
                            ? "f: Fix... shows this change to the pool as a diff; Enter sends it."
                            : "Read-only mode: the fix is shown, not offered.",
                        ROLE_TITLE);
    view_detail_open(a, d, detail_action, fv, finding_view_free);
}

/* ---- the pane ---- */

static struct pane *audit_pane_new(struct app *a)
{
    (void)a;
    struct audit_pane *ap = calloc(1, sizeof *ap);
    if (!ap)
        return NULL;
    static const struct table_column cols[] = {
        {"Severity", 8, 0, 0, TABLE_LEFT, true},  {"Check", 7, 0, 0, TABLE_LEFT, true},
        {"Pool", 16, 2, 60, TABLE_LEFT, true},    {"Resource", 16, 2, 100, TABLE_LEFT, true},
        {"Finding", 20, 4, 0, TABLE_LEFT, false},
    };
    struct table_source src = {
        .ctx = ap, .cell = cell, .row_key = row_key, .row_role = row_role, .compare = compare};
    if (!(ap->table = table_new(cols, 5, &src))) {
        free(ap);
        return NULL;
    }
    return &ap->base;
}

static void audit_pane_free(struct pane *p, struct app *a)
{
    (void)a;
    struct audit_pane *ap = (struct audit_pane *)p;
    stop(ap);
    table_delete(ap->table);
    free(ap);
}

static void audit_pane_enter(struct pane *p, struct app *a)
{
    struct audit_pane *ap = (struct audit_pane *)p;
    if (!ap->audit && !ap->error[0])
        start(ap, a);
}

static void audit_pane_draw(struct pane *p, struct app *a)
{
    struct audit_pane *ap = (struct audit_pane *)p;
    int top = a->frame.pane_top, height = a->frame.pane_height, cols = a->frame.cols;
    char title[400];
    if (ap->findings) {
        size_t sev[4] = {0};
        for (size_t i = 0; i < ap->findings->n; i++)
            sev[ap->findings->v[i].check->severity]++;
        snprintf(title, sizeof title,
                 "Audit of %zu pool%s in %s: %zu high, %zu medium, %zu low, %zu info",
                 audit_pools_audited(ap->audit), audit_pools_audited(ap->audit) == 1 ? "" : "s",
                 a->cfg.region, sev[AUDIT_HIGH], sev[AUDIT_MEDIUM], sev[AUDIT_LOW],
                 sev[AUDIT_INFO]);
    } else {
        snprintf(title, sizeof title, "Audit of the pools in %s", a->cfg.region);
    }
    draw_text(stdscr, top, 1, cols - 2, title, TEXT_NUL, ROLE_TITLE, TEXT_ELLIPSIS);
    int used = 1;
    if (ap->error[0])
        used += pane_note(top + used, cols, 3, ap->error, ROLE_ERROR);
    char progress[300] = "";
    if (running(ap))
        snprintf(progress, sizeof progress,
                 "Auditing (Esc stops): %zu/%zu pools judged, %zu/%zu roles read, %zu calls...",
                 ap->progress.pools_done, ap->progress.pools, ap->progress.roles_done,
                 ap->progress.roles, ap->progress.requests);
    table_set_empty_text(ap->table, progress[0]    ? progress
                                    : ap->findings ? "No findings: nothing to fix."
                                    : ap->error[0] ? "r audits again."
                                                   : "");
    widget_place(table_widget(ap->table), top + used, 0, height - used, cols);
    widget_draw(table_widget(ap->table), stdscr);
}

static unsigned audit_pane_action(struct pane *p, struct app *a, enum action act)
{
    struct audit_pane *ap = (struct audit_pane *)p;
    size_t row = table_cursor(ap->table);
    const struct audit_finding *f = row == TABLE_NONE ? NULL : finding_at(ap, row);
    switch (act) {
    case ACT_OPEN:
        if (!f) {
            app_status(a, STATUS_WARN, "No finding under the cursor.");
            return RES_HANDLED;
        }
        open_detail(a, f);
        return RES_HANDLED | RES_REDRAW;
    case ACT_AUDIT_FIX:
        return fix_start(a, f);
    case ACT_CANCEL:
        if (!running(ap))
            return 0;
        audit_cancel(ap->audit);
        return RES_HANDLED | RES_REDRAW;
    default:
        return 0;
    }
}

static bool audit_pane_offers(const struct pane *p, const struct app *a, enum action act)
{
    (void)a;
    const struct audit_pane *ap = (const struct audit_pane *)p;
    size_t row = table_cursor(ap->table);
    if (act == ACT_OPEN)
        return finding_at(ap, row) != NULL;
    if (act == ACT_AUDIT_FIX)
        return fix_of(finding_at(ap, row)) != FIX_NONE;
    return true;
}

static struct table *audit_pane_table(struct pane *p)
{
    return ((struct audit_pane *)p)->table;
}

static void audit_pane_reload(struct pane *p, struct app *a)
{
    start((struct audit_pane *)p, a);
}

static void audit_pane_reset(struct pane *p, struct app *a)
{
    (void)p, (void)a; /* about every pool of the Region, not the followed one */
}

static int audit_pane_pollfds(struct pane *p, struct app *a, struct pollfd *fds, int max,
                              int *timeout_ms)
{
    (void)a;
    struct audit_pane *ap = (struct audit_pane *)p;
    if (!running(ap)) {
        *timeout_ms = -1;
        return 0;
    }
    int n = audit_pollfds(ap->audit, fds, max, timeout_ms);
    if (*timeout_ms < 0 || *timeout_ms > PROGRESS_MS)
        *timeout_ms = PROGRESS_MS;
    return n;
}

static void audit_pane_perform(struct pane *p, struct app *a)
{
    struct audit_pane *ap = (struct audit_pane *)p;
    if (!running(ap))
        return;
    audit_perform(ap->audit);
    struct audit_progress pr;
    audit_get_progress(ap->audit, &pr);
    if (memcmp(&pr, &ap->progress, sizeof pr) != 0) {
        ap->progress = pr;
        a->dirty = true;
        /* A job reports in the status line, shown or not (DESIGN.md). */
        app_status(a, STATUS_INFO, "Auditing %s: %zu/%zu pools judged, %zu/%zu roles read.",
                   a->cfg.region, pr.pools_done, pr.pools, pr.roles_done, pr.roles);
    }
    if (audit_finished(ap->audit))
        finish(ap, a);
}

const struct pane_ops pane_audit_ops = {
    .new = audit_pane_new,
    .free = audit_pane_free,
    .enter = audit_pane_enter,
    .draw = audit_pane_draw,
    .action = audit_pane_action,
    .offers = audit_pane_offers,
    .table = audit_pane_table,
    .reload = audit_pane_reload,
    .reset = audit_pane_reset,
    .pollfds = audit_pane_pollfds,
    .perform = audit_pane_perform,
};
