/* tui/dispatch.c — keys to actions, and the frame's own actions (tui/dispatch.h). */
#include "tui/dispatch.h"

#include <stdlib.h>
#include <string.h>

#include "tui/pane.h"
#include "tui/screen.h"
#include "tui/view.h"
#include "tui/view_dialog.h"
#include "tui/view_help.h"
#include "widgets/prompt.h"
#include "widgets/table.h"

/* The scope keys are looked up in now: the view on top, else the pane. */
static unsigned current_scope(const struct app *a)
{
    return a->view ? a->view->ops->scope : pane_scope(a->pane);
}

/* ---- quitting ---- */

static unsigned quit_ok(struct app *a, struct view *v, void *ctx)
{
    (void)v;
    (void)ctx;
    a->quit = true;
    return RES_CLOSE;
}

static void quit_question_gone(void *ctx)
{
    struct app *a = ctx;
    a->quit_question = 0;
}

/* Leaves the console, asking first when marks or a form's edits would be
 * lost, or a background job (a prune, an inventory refresh) would stop (a
 * second quit key in that question leaves at once). */
static void dispatch_quit(struct app *a)
{
    size_t marks = 0;
    for (int p = 0; p < PANE_COUNT; p++) {
        struct table *t = pane_table(a->panes[p]);
        if (t)
            marks += table_mark_count(t);
    }
    bool work = view_any_holds_work(a);
    if ((!marks && !work && !a->jobs) || (a->quit_question && view_find(a, a->quit_question))) {
        a->quit = true;
        return;
    }
    char text[500];
    snprintf(text, sizeof text, "%s%s%sQuit the console anyway?", marks ? "Rows are marked. " : "",
             work ? "A form holds edits that were not sent. " : "",
             a->jobs ? "A background job is running: quitting stops it where it is (it can be "
                       "resumed). "
                     : "");
    struct view *v = view_dialog_open(a, dialog_question("Quit?", text, "Quit"), quit_ok, NULL, a,
                                      quit_question_gone);
    a->quit_question = view_serial(v);
}

/* ---- help ---- */

static void open_help(struct app *a)
{
    unsigned scope = current_scope(a);
    struct help_item items[2][ACT_COUNT];
    char keys[ACT_COUNT][64];
    size_t counts[2] = {0, 0};
    for (int act = 1; act < ACT_COUNT; act++) {
        const struct action_info *ai = &action_table[act];
        if (!(ai->scope & scope) || !app_action_allowed(a, act))
            continue;
        if (!a->view && !pane_offers(a->panes[a->pane], a, (enum action)act))
            continue;
        keymap_keys_in(a->keys, (enum action)act, scope, NULL, 8, keys[act], sizeof keys[act]);
        if (!keys[act][0])
            continue;
        int sec = (ai->scope & ~scope) == 0 ? 0 : 1;
        items[sec][counts[sec]++] = (struct help_item){keys[act], ai->help};
    }
    char title0[64];
    if (a->view)
        snprintf(title0, sizeof title0, "This %s", a->view->ops->name);
    else
        snprintf(title0, sizeof title0, "%s pane", pane_label(a->pane));
    struct help_section secs[4];
    size_t ns = 0;
    static const struct help_item ro_items[] = {
        {"READ-ONLY", "Changing actions are not offered; restart without --read-only to change"}};
    static const struct help_item text_items[] = {
        {"Typing", "Printable keys type; Enter, Space and the arrows edit and choose"}};
    if (a->read_only)
        secs[ns++] = (struct help_section){"Read-only mode", ro_items, 1};
    if (scope & SCOPE_TEXT)
        secs[ns++] = (struct help_section){"Text", text_items, 1};
    secs[ns++] = (struct help_section){title0, items[0], counts[0]};
    secs[ns++] = (struct help_section){"Here too", items[1], counts[1]};
    view_help_open(a, help_new("Keys", secs, ns));
}

/* ---- the prompt: `/` filter, `:` command ---- */

static void dispatch_action(struct app *a, enum action act);

static void close_prompt(struct app *a)
{
    prompt_delete(a->prompt.w);
    a->prompt.w = NULL;
    a->prompt.kind = PROMPT_NONE;
    a->dirty = true;
}

static void complete_command(void *ctx, const char *text, const char *word,
                             struct prompt_completions *out)
{
    struct app *a = ctx;
    size_t wl = strlen(word);
    if (word != text)
        return; /* the second word: nothing to offer beyond what the admin knows */
    static const char *const cmds[] = {"profile", "region", "quit"};
    for (size_t i = 0; i < 3; i++)
        if (!strncmp(cmds[i], word, wl))
            prompt_complete_add(out, cmds[i]);
    for (int act = 1; act < ACT_COUNT; act++)
        if (!strncmp(action_table[act].name, word, wl) && app_action_allowed(a, act))
            prompt_complete_add(out, action_table[act].name);
}

static void open_prompt(struct app *a, enum prompt_kind kind)
{
    if (!a->prompt.filters)
        a->prompt.filters = prompt_history_new(50);
    if (!a->prompt.commands)
        a->prompt.commands = prompt_history_new(50);
    close_prompt(a);
    if (kind == PROMPT_FILTER) {
        struct table *t = a->view ? NULL : pane_table(a->panes[a->pane]);
        if (!t) {
            app_status(a, STATUS_WARN, "Nothing to filter here.");
            return;
        }
        free(a->prompt.before);
        a->prompt.before = app_strdup(table_filter(t));
        a->prompt.w = prompt_new("/", table_filter(t), a->prompt.filters, NULL, NULL);
    } else {
        a->prompt.w = prompt_new(":", NULL, a->prompt.commands, complete_command, a);
    }
    a->prompt.kind = a->prompt.w ? kind : PROMPT_NONE;
}

static void run_command(struct app *a, const char *line)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", line);
    char *save = NULL;
    char *cmd = strtok_r(buf, " \t", &save);
    char *arg = strtok_r(NULL, " \t", &save);
    if (!cmd)
        return;
    if (!strcmp(cmd, "q") || !strcmp(cmd, "quit")) {
        dispatch_quit(a);
    } else if (!strcmp(cmd, "profile") || !strcmp(cmd, "region")) {
        if (!arg) {
            app_status(a, STATUS_WARN, "Usage: :%s NAME", cmd);
            return;
        }
        view_close_all(a);
        app_switch_to(a, !strcmp(cmd, "profile") ? arg : NULL, !strcmp(cmd, "region") ? arg : NULL);
    } else {
        enum action act = action_by_name(cmd);
        if (act == ACT_NONE) {
            app_status(a, STATUS_ERROR,
                       "Unknown command '%.60s' (:profile NAME, :region NAME, :quit, or an action "
                       "name; ? lists them).",
                       cmd);
            return;
        }
        dispatch_action(a, act);
    }
}

static void prompt_key(struct app *a, int key)
{
    int r = widget_handle(prompt_widget(a->prompt.w), key);
    struct table *t = pane_table(a->panes[a->pane]);
    a->dirty = true;
    if (a->prompt.kind == PROMPT_FILTER && (r & WR_CHANGED) && t)
        table_set_filter(t, prompt_text(a->prompt.w));
    if (r & WR_SUBMIT) {
        char text[512];
        enum prompt_kind kind = a->prompt.kind;
        snprintf(text, sizeof text, "%s", prompt_text(a->prompt.w));
        close_prompt(a);
        if (kind == PROMPT_COMMAND) {
            run_command(a, text);
        } else if (t) {
            table_set_filter(t, text);
            /* n / N look for it too, also once the filter is cleared again
             * (an empty filter keeps the last text to look for). */
            if (text[0])
                table_set_search(t, text);
        }
    } else if (r & WR_CANCEL) {
        if (a->prompt.kind == PROMPT_FILTER && t)
            table_set_filter(t, a->prompt.before);
        close_prompt(a);
    }
}

void dispatch_close(struct app *a)
{
    close_prompt(a);
    prompt_history_free(a->prompt.filters);
    prompt_history_free(a->prompt.commands);
    free(a->prompt.before);
    memset(&a->prompt, 0, sizeof a->prompt);
}

/* ---- actions no pane or view took ---- */

static void frame_action(struct app *a, enum action act)
{
    struct pane *p = a->panes[a->pane];
    struct table *t = pane_table(p);
    int pane = action_pane(act);
    if (pane >= 0) {
        app_switch_pane(a, (enum pane_id)pane);
        return;
    }
    switch (act) {
    case ACT_QUIT:
        dispatch_quit(a);
        return;
    case ACT_BACK:
    case ACT_CANCEL:
        if (a->pane != 0)
            app_switch_pane(a, 0); /* back to the first pane */
        else if (act == ACT_BACK)
            dispatch_quit(a);
        return;
    case ACT_HELP:
        open_help(a);
        return;
    case ACT_COMMAND:
        open_prompt(a, PROMPT_COMMAND);
        return;
    case ACT_FILTER:
        if (!a->view)
            open_prompt(a, PROMPT_FILTER);
        return;
    case ACT_NEXT_PANE:
        app_switch_pane(a, (enum pane_id)((a->pane + 1) % PANE_COUNT));
        return;
    case ACT_PREV_PANE:
        app_switch_pane(a, (enum pane_id)((a->pane + PANE_COUNT - 1) % PANE_COUNT));
        return;
    case ACT_REFRESH:
        if (p && p->ops->reload)
            p->ops->reload(p, a);
        return;
    case ACT_SORT:
    case ACT_SORT_PREV:
        if (t)
            table_sort_step(t, act == ACT_SORT ? 1 : -1);
        return;
    case ACT_SORT_INVERT:
        if (t)
            table_sort_reverse(t);
        return;
    case ACT_SEARCH_NEXT:
    case ACT_SEARCH_PREV:
        if (!t)
            return;
        if (!table_search(t)[0])
            app_status(a, STATUS_WARN, "Nothing to look for: / sets the text first.");
        else if (!(table_search_next(t, act == ACT_SEARCH_PREV) & WR_MOVED))
            app_status(a, STATUS_WARN, "No other row holds \"%s\".", table_search(t));
        return;
    default:
        if (!a->view && pane_nav(t, act))
            return;
        app_status(a, STATUS_WARN, "%s: nothing to do here.", action_table[act].name);
        return;
    }
}

/* Closes a view that asked to be closed: the one that answered (another
 * may have opened over it meanwhile). */
static void view_result(struct app *a, struct view *v, unsigned r)
{
    if (r & RES_CLOSE)
        view_close(a, v);
    if (r & RES_QUIT)
        dispatch_quit(a);
    a->dirty = true;
}

static void run(struct app *a, enum action act, int key)
{
    if (act != ACT_NONE && !app_action_allowed(a, act)) {
        app_status(a, STATUS_WARN, "Read-only mode: %s is not offered.", action_table[act].name);
        return;
    }
    if (a->view) {
        struct view *v = a->view;
        unsigned r = act != ACT_NONE ? v->ops->action(v, a, act) : 0;
        if (!r && act != ACT_NONE && (act == ACT_HELP || act == ACT_QUIT || act == ACT_COMMAND)) {
            frame_action(a, act);
            return;
        }
        if (!r && key >= 0)
            r = v->ops->key(v, a, key);
        view_result(a, v, r);
        return;
    }
    if (act == ACT_NONE)
        return; /* a key with nothing to do in this pane */
    struct pane *p = a->panes[a->pane];
    unsigned r = p ? p->ops->action(p, a, act) : 0;
    if (r & RES_QUIT)
        dispatch_quit(a);
    if (!r)
        frame_action(a, act);
    a->dirty = true;
}

/* Runs one action as if its key was pressed where the focus is (`:name`). */
static void dispatch_action(struct app *a, enum action act)
{
    if (act <= ACT_NONE || act >= ACT_COUNT)
        return;
    if (!app_action_allowed(a, act)) {
        run(a, act, -1); /* says why */
        return;
    }
    if (!(action_table[act].scope & current_scope(a))) {
        app_status(a, STATUS_WARN, "%s: not available here.", action_table[act].name);
        return;
    }
    run(a, act, -1);
}

void dispatch_key(struct app *a, int key)
{
    a->dirty = true;
    if (screen_too_small(a)) {
        enum action act = keymap_lookup(a->keys, key, pane_scope(a->pane));
        if (act == ACT_QUIT || act == ACT_BACK)
            a->quit = true;
        else if (act == ACT_CANCEL && app_foreground_busy(a)) {
            app_status(a, STATUS_WARN, "Cancelled.");
            app_stop_foreground(a);
        }
        return;
    }
    if (a->prompt.w) {
        prompt_key(a, key);
        return;
    }
    enum action act = keymap_lookup(a->keys, key, current_scope(a));
    /* Esc stops the request in flight wherever the focus is (a form being
     * sent stays open with what was typed); a dialog on top answers it
     * first (the MFA question is what the request waits for). */
    if (act == ACT_CANCEL && app_foreground_busy(a) &&
        !(a->view && a->view->ops->scope == SCOPE_DIALOG)) {
        /* Said before cancelling: the callback may say more (where loading stopped). */
        app_status(a, STATUS_WARN, "Cancelled.");
        app_stop_foreground(a);
        return;
    }
    run(a, act, key);
}
