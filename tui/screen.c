/* tui/screen.c — the frame around the panes and the key dispatch (tui/screen.h). */
#include "tui/screen.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "tui/pool_forms.h"
#include "tui/views.h"
#include "widgets/help.h"
#include "widgets/keybar.h"
#include "widgets/prompt.h"
#include "widgets/status.h"
#include "widgets/tabbar.h"
#include "widgets/table.h"
#include "widgets/text.h"
#include "widgets/theme.h"

enum prompt_kind { PROMPT_NONE, PROMPT_FILTER, PROMPT_COMMAND };

static struct {
    struct tabbar *tabs;
    struct status *status;
    struct keybar *bar;
    struct prompt *prompt;
    enum prompt_kind prompt_kind;
    char *filter_before; /* restored when the filter prompt is cancelled */
    struct prompt_history *hist_filter, *hist_cmd;
    SCREEN *scr;
} S;

int screen_pane_top(const struct app *a)
{
    (void)a;
    return 2;
}

int screen_pane_height(const struct app *a)
{
    return a->rows - 4;
}

int screen_nav_key(enum action act)
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
    default:
        return 0;
    }
}

static void load_theme(struct app *a)
{
    struct theme t;
    char err[600] = "";
    char user_dir[4096] = "", exe_dir[4096] = "", share_dir[4096] = "";
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(user_dir, sizeof user_dir, "%s/cognito-tui/themes", xdg);
    else if (home && *home)
        snprintf(user_dir, sizeof user_dir, "%s/.config/cognito-tui/themes", home);
    /* Beside the binary: PREFIX/bin/../share/cognito-tui/themes once
     * installed, and the repository's themes/ from a build tree. */
    char exe[3800];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(share_dir, sizeof share_dir, "%s/../share/cognito-tui/themes", exe);
            snprintf(exe_dir, sizeof exe_dir, "%s/../themes", exe);
        }
    }
    const char *dirs[] = {user_dir, share_dir, exe_dir, "/usr/local/share/cognito-tui/themes",
                          "/usr/share/cognito-tui/themes"};
    const char *name = a->opt->theme ? a->opt->theme : "default";
    if (theme_load_named(&t, name, dirs, sizeof dirs / sizeof dirs[0], err, sizeof err) != 0)
        app_status(a, STATUS_WARN, "Theme %s not used: %s", name, err);
    theme_apply(&t, -1);
}

int screen_open(struct app *a)
{
    S.scr = newterm(NULL, stdout, stdin);
    if (!S.scr)
        return -1;
    set_term(S.scr);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    text_init_locale();
    load_theme(a);
    const char *labels[] = {"Pools", "Identities", "Roles", "Tags"};
    S.tabs = tabbar_new(labels, 4);
    S.status = status_new();
    S.bar = keybar_new();
    S.hist_filter = prompt_history_new(50);
    S.hist_cmd = prompt_history_new(50);
    if (!S.tabs || !S.status || !S.bar || !S.hist_cmd || !S.hist_filter) {
        screen_close(a);
        return -1;
    }
    return 0;
}

void screen_close(struct app *a)
{
    (void)a;
    tabbar_delete(S.tabs);
    status_delete(S.status);
    keybar_delete(S.bar);
    prompt_delete(S.prompt);
    prompt_history_free(S.hist_filter);
    prompt_history_free(S.hist_cmd);
    free(S.filter_before);
    if (S.scr) {
        endwin();
        delscreen(S.scr);
    }
    memset(&S, 0, sizeof S);
}

/* ---- drawing ---- */

/* " · expires 14:32" (local time; the date too when not today), or "" when
 * the credentials in use do not expire or none were fetched yet. */
static void expiry_text(const struct app *a, const char *dot, char *buf, size_t size)
{
    time_t exp = api_credentials_expiration(a->cfg.credentials), now = time(NULL);
    struct tm when, today;
    char hm[32];
    buf[0] = '\0';
    if (exp <= 0 || !localtime_r(&exp, &when) || !localtime_r(&now, &today))
        return;
    bool same_day = when.tm_year == today.tm_year && when.tm_yday == today.tm_yday;
    strftime(hm, sizeof hm, same_day ? "%H:%M" : "%Y-%m-%d %H:%M", &when);
    snprintf(buf, size, " %s expires %s", dot, hm);
}

static void draw_header(struct app *a)
{
    draw_fill(stdscr, 0, 0, a->cols, ROLE_HEADER);
    const char *badge = a->read_only ? " READ-ONLY " : "";
    int bw = (int)strlen(badge);
    char line[1024], expires[64];
    const char *dot = theme_glyph(GLYPH_DOT);
    /* The source is asked each time: the chain names the source that
     * answered only once it has (the first call), and the expiry moves on
     * each refresh. Both are plain reads, never a fetch. */
    const char *src = a->cfg.credentials ? api_credentials_source(a->cfg.credentials) : NULL;
    expiry_text(a, dot, expires, sizeof expires);
    snprintf(line, sizeof line,
             " cognito-tui %s profile %s %s creds %s%s %s region %s %s endpoint %s", dot,
             a->cfg.profile ? a->cfg.profile : "-", dot, src && *src ? src : a->cred_source,
             expires, dot, a->cfg.region ? a->cfg.region : "-", dot,
             a->cfg.endpoint_url ? a->cfg.endpoint_url : "-");
    draw_text(stdscr, 0, 0, a->cols - bw - 1, line, TEXT_NUL, ROLE_HEADER, TEXT_ELLIPSIS);
    if (bw)
        draw_text(stdscr, 0, a->cols - bw, bw, badge, TEXT_NUL, ROLE_BADGE_READONLY, 0);
}

static struct table *pane_table(struct app *a)
{
    switch (a->pane) {
    case PANE_POOLS:
        return a->pools_table;
    case PANE_IDENTITIES:
        return a->ids_table;
    case PANE_TAGS:
        return a->tags_table;
    default:
        return NULL;
    }
}

static void fill_keybar(struct app *a)
{
    struct keybar_item items[24];
    char keys[24][64];
    size_t n = 0;
    if (a->view) {
        static const struct keybar_item form_keys[] = {{"Tab", "Next"},
                                                       {"Enter", "Next/Choose"},
                                                       {"F10", "Submit"},
                                                       {"^D", "Delete item"},
                                                       {"Esc", "Cancel"}};
        static const struct keybar_item detail_keys[] = {{"q", "Back"}, {"Up/Dn", "Scroll"}};
        static const struct keybar_item diff_keys[] = {{"Enter", "Send"},
                                                       {"q", "Back to the form"}};
        static const struct keybar_item dialog_keys[] = {
            {"Tab", "Switch"}, {"Enter", "Choose"}, {"Esc", "Cancel"}};
        static const struct keybar_item help_keys[] = {{"q", "Close"}};
        switch (views_kind(a->view)) {
        case VIEW_FORM:
            keybar_set(S.bar, form_keys, sizeof form_keys / sizeof form_keys[0]);
            return;
        case VIEW_DIFF:
            keybar_set(S.bar, diff_keys, 2);
            return;
        case VIEW_DIALOG:
            keybar_set(S.bar, dialog_keys, 3);
            return;
        case VIEW_HELP:
            keybar_set(S.bar, help_keys, 1);
            return;
        case VIEW_DETAIL:
        default:
            keybar_set(S.bar, detail_keys, 2);
            return;
        }
    }
    unsigned scope = app_pane(a->pane)->scope;
    for (int act = 1; act < ACT_COUNT && n < 24; act++) {
        const struct action_info *ai = &action_table[act];
        if (!(ai->flags & ACTF_BAR) || !(ai->scope & scope) || !app_action_allowed(a, act))
            continue;
        char all[64];
        keymap_keys_of(a->keys, (enum action)act, all, sizeof all);
        if (!all[0])
            continue;
        char *sp = strchr(all, ' ');
        if (sp)
            *sp = '\0';
        snprintf(keys[n], sizeof keys[n], "%s", all);
        items[n].key = keys[n];
        items[n].label = ai->label;
        n++;
    }
    keybar_set(S.bar, items, n);
}

static void draw_status(struct app *a)
{
    int row = a->rows - 2;
    if (S.prompt) {
        draw_fill(stdscr, row, 0, a->cols, ROLE_NORMAL);
        widget_place(prompt_widget(S.prompt), row, 0, 1, a->cols);
        widget_draw(prompt_widget(S.prompt), stdscr);
        return;
    }
    status_set_busy(S.status, a->reqs != NULL);
    status_set_progress(S.status, a->fg ? a->fg_label : NULL);
    static const enum theme_role roles[] = {ROLE_STATUS, ROLE_STATUS, ROLE_WARNING, ROLE_ERROR};
    status_set_message(S.status, roles[a->status_kind], a->status);
    char right[96] = "";
    struct table *t = a->view ? NULL : pane_table(a);
    if (t)
        table_count_text(t, right, sizeof right);
    status_set_right(S.status, right);
    widget_place(status_widget(S.status), row, 0, 1, a->cols);
    widget_draw(status_widget(S.status), stdscr);
}

static void draw_too_small(struct app *a)
{
    char msg[160];
    snprintf(msg, sizeof msg, "Terminal too small: %dx%d, need at least %dx%d.", a->cols, a->rows,
             SCREEN_MIN_COLS, SCREEN_MIN_ROWS);
    int y = a->rows / 2;
    int w = text_width(msg, TEXT_NUL);
    int x = a->cols > w ? (a->cols - w) / 2 : 0;
    draw_text(stdscr, y > 0 ? y - 1 : 0, x, a->cols - x, msg, TEXT_NUL, ROLE_WARNING,
              TEXT_ELLIPSIS);
    if (a->rows > 2)
        draw_text(stdscr, y + 1 < a->rows ? y + 1 : y, 0, a->cols,
                  " Enlarge the window, or Q to quit.", TEXT_NUL, ROLE_NORMAL, TEXT_ELLIPSIS);
}

void screen_draw(struct app *a)
{
    screen_draw_over(a, NULL);
}

void screen_draw_over(struct app *a, struct widget *modal)
{
    a->rows = LINES;
    a->cols = COLS;
    werase(stdscr);
    curs_set(0);
    if (a->cols < SCREEN_MIN_COLS || a->rows < SCREEN_MIN_ROWS) {
        draw_too_small(a);
        if (modal) {
            /* A question that blocks must still be seen, however cramped. */
            widget_place(modal, 0, 0, a->rows, a->cols);
            widget_draw(modal, stdscr);
        }
        wnoutrefresh(stdscr);
        doupdate();
        return;
    }
    draw_header(a);
    tabbar_set_active(S.tabs, (size_t)a->pane);
    widget_place(tabbar_widget(S.tabs), 1, 0, 1, a->cols);
    widget_draw(tabbar_widget(S.tabs), stdscr);
    app_pane(a->pane)->draw(a, screen_pane_top(a), screen_pane_height(a));
    /* Views bottom-up, so a dialog shows over the form it belongs to. */
    struct view *stack[32];
    int n = 0;
    for (struct view *v = a->view; v && n < 32; v = v->below)
        stack[n++] = v;
    for (int i = n - 1; i >= 0; i--)
        stack[i]->ops->draw(stack[i], a);
    draw_status(a);
    fill_keybar(a);
    widget_place(keybar_widget(S.bar), a->rows - 1, 0, 1, a->cols);
    widget_draw(keybar_widget(S.bar), stdscr);
    if (modal) {
        widget_place(modal, 0, 0, a->rows - 1, a->cols);
        widget_draw(modal, stdscr);
    }
    struct widget *cw = modal      ? modal
                        : S.prompt ? prompt_widget(S.prompt)
                        : a->view  ? views_widget(a->view)
                                   : NULL;
    if (cw && cw->cursor_on) {
        curs_set(1);
        wmove(stdscr, cw->cursor_y, cw->cursor_x);
    }
    wnoutrefresh(stdscr);
    doupdate();
}

void screen_tick(struct app *a)
{
    /* One step of the spinner every 100 ms, however often the loop turns. */
    static long long last_ms;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    long long now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    if (now - last_ms < 100)
        return;
    last_ms = now;
    if (S.status && status_tick(S.status) & WR_REDRAW)
        a->dirty = true;
}

/* ---- help, prompt, commands ---- */

static void open_help(struct app *a)
{
    unsigned pane_scope = app_pane(a->pane)->scope;
    struct help_item items[3][ACT_COUNT];
    size_t counts[3] = {0, 0, 0};
    static char keys[ACT_COUNT][64];
    for (int act = 1; act < ACT_COUNT; act++) {
        const struct action_info *ai = &action_table[act];
        if (!app_action_allowed(a, act))
            continue;
        int sec;
        if (ai->scope == SCOPE_ALL || ai->scope == SCOPE_PANES)
            sec = 1;
        else if (ai->scope & pane_scope)
            sec = 0;
        else if (ai->scope & SCOPE_DETAIL)
            sec = 2;
        else
            continue;
        keymap_keys_of(a->keys, (enum action)act, keys[act], sizeof keys[act]);
        items[sec][counts[sec]++] = (struct help_item){keys[act][0] ? keys[act] : "-", ai->help};
    }
    char title0[64];
    snprintf(title0, sizeof title0, "%s pane", app_pane(a->pane)->title);
    struct help_section secs[4];
    size_t ns = 0;
    static const struct help_item ro_items[] = {
        {"READ-ONLY", "Changing actions are not offered; restart without --read-only to change"}};
    if (a->read_only)
        secs[ns++] = (struct help_section){"Read-only mode", ro_items, 1};
    secs[ns++] = (struct help_section){title0, items[0], counts[0]};
    secs[ns++] = (struct help_section){"Everywhere", items[1], counts[1]};
    secs[ns++] = (struct help_section){"Views", items[2], counts[2]};
    views_help(a, help_new("Keys", secs, ns));
}

static void complete_command(void *ctx, const char *text, const char *word,
                             struct prompt_completions *out)
{
    struct app *a = ctx;
    (void)a;
    size_t wl = strlen(word);
    if (word != text) {
        /* Second word: nothing to offer beyond what the admin knows. */
        return;
    }
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
    prompt_delete(S.prompt);
    S.prompt = NULL;
    if (kind == PROMPT_FILTER) {
        struct table *t = pane_table(a);
        if (!t) {
            app_status(a, STATUS_WARN, "Nothing to filter in this pane.");
            return;
        }
        free(S.filter_before);
        S.filter_before = app_strdup(table_filter(t));
        S.prompt = prompt_new("/", table_filter(t), S.hist_filter, NULL, NULL);
    } else {
        S.prompt = prompt_new(":", NULL, S.hist_cmd, complete_command, a);
    }
    S.prompt_kind = S.prompt ? kind : PROMPT_NONE;
    a->dirty = true;
}

void screen_open_filter(struct app *a)
{
    open_prompt(a, PROMPT_FILTER);
}

static void run_action(struct app *a, enum action act);

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
        a->quit = true;
    } else if (!strcmp(cmd, "profile") || !strcmp(cmd, "region")) {
        if (!arg) {
            app_status(a, STATUS_WARN, "Usage: :%s NAME", cmd);
            return;
        }
        if (!strcmp(cmd, "profile"))
            console_switch(a, arg, NULL);
        else
            console_switch(a, NULL, arg);
    } else {
        enum action act = action_by_name(cmd);
        if (act == ACT_NONE) {
            app_status(a, STATUS_ERROR,
                       "Unknown command '%.60s' (:profile NAME, :region NAME, :quit, or an action "
                       "name; ? lists them).",
                       cmd);
            return;
        }
        run_action(a, act);
    }
}

static void prompt_key(struct app *a, int key)
{
    int r = widget_handle(prompt_widget(S.prompt), key);
    a->dirty = true;
    struct table *t = pane_table(a);
    if (S.prompt_kind == PROMPT_FILTER && (r & WR_CHANGED) && t)
        table_set_filter(t, prompt_text(S.prompt));
    if (r & WR_SUBMIT) {
        char text[512];
        snprintf(text, sizeof text, "%s", prompt_text(S.prompt));
        enum prompt_kind kind = S.prompt_kind;
        prompt_delete(S.prompt);
        S.prompt = NULL;
        S.prompt_kind = PROMPT_NONE;
        if (kind == PROMPT_COMMAND)
            run_command(a, text);
        else if (t)
            table_set_filter(t, text);
    } else if (r & WR_CANCEL) {
        if (S.prompt_kind == PROMPT_FILTER && t)
            table_set_filter(t, S.filter_before);
        prompt_delete(S.prompt);
        S.prompt = NULL;
        S.prompt_kind = PROMPT_NONE;
    }
}

static void run_action(struct app *a, enum action act)
{
    if (!app_action_allowed(a, act)) {
        app_status(a, STATUS_WARN, "Read-only mode: %s is not offered.", action_table[act].name);
        return;
    }
    switch (act) {
    case ACT_QUIT:
        a->quit = true;
        return;
    case ACT_BACK:
        if (a->view)
            app_pop_view(a);
        else
            a->quit = true;
        return;
    case ACT_CANCEL:
        if (a->fg) {
            app_status(a, STATUS_WARN, "Cancelled.");
            app_cancel(a, a->fg);
        } else if (a->view) {
            app_pop_view(a);
        }
        return;
    case ACT_HELP:
        open_help(a);
        return;
    case ACT_COMMAND:
        open_prompt(a, PROMPT_COMMAND);
        return;
    case ACT_FILTER:
        open_prompt(a, PROMPT_FILTER);
        return;
    case ACT_NEXT_PANE:
        app_switch_pane(a, (enum pane_id)((a->pane + 1) % PANE_COUNT));
        return;
    case ACT_PREV_PANE:
        app_switch_pane(a, (enum pane_id)((a->pane + PANE_COUNT - 1) % PANE_COUNT));
        return;
    case ACT_PANE_POOLS:
    case ACT_PANE_IDENTITIES:
    case ACT_PANE_ROLES:
    case ACT_PANE_TAGS:
        app_switch_pane(a, (enum pane_id)(act - ACT_PANE_POOLS));
        return;
    case ACT_REFRESH: {
        const struct pane_ops *p = app_pane(a->pane);
        if (a->pane == PANE_TAGS)
            app_account_retry(a); /* the admin may have fixed what stopped it */
        if (a->pane == PANE_POOLS) {
            pools_reload(a); /* keeps the cursor on its pool */
            return;
        }
        p->reset(a);
        p->enter(a);
        return;
    }
    default:
        break;
    }
    if (!app_pane(a->pane)->action(a, act))
        app_status(a, STATUS_WARN, "%s: not available in the %s pane.", action_table[act].name,
                   app_pane(a->pane)->title);
}

void screen_handle_key(struct app *a, int key)
{
    a->dirty = true;
    if (a->cols < SCREEN_MIN_COLS || a->rows < SCREEN_MIN_ROWS) {
        enum action act = keymap_lookup(a->keys, key, SCOPE_POOLS);
        if (act == ACT_QUIT || act == ACT_BACK)
            a->quit = true;
        else if (act == ACT_CANCEL && a->fg) {
            app_status(a, STATUS_WARN, "Cancelled.");
            app_cancel(a, a->fg);
        }
        return;
    }
    if (S.prompt) {
        prompt_key(a, key);
        return;
    }
    /* Esc cancels the request in flight wherever the focus is (a form being
     * sent stays open with what was typed). */
    if (a->fg && keymap_lookup(a->keys, key, SCOPE_DETAIL) == ACT_CANCEL) {
        /* Before cancelling: the callback may say more (where loading stopped). */
        app_status(a, STATUS_WARN, "Cancelled.");
        app_cancel(a, a->fg);
        return;
    }
    if (a->view) {
        struct view *v = a->view;
        if (v->ops->key(v, a, key))
            views_close(a, v);
        return;
    }
    const struct pane_ops *p = app_pane(a->pane);
    enum action act = keymap_lookup(a->keys, key, p->scope);
    if (act == ACT_NONE) {
        struct table *t = pane_table(a);
        if (t)
            widget_handle(table_widget(t), key);
        return;
    }
    run_action(a, act);
}
