/* tui/screen.c — the frame around the panes (tui/screen.h). */
#include "tui/screen.h"

#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "tui/pane.h"
#include "tui/view.h"
#include "widgets/keybar.h"
#include "widgets/prompt.h"
#include "widgets/status.h"
#include "widgets/tabbar.h"
#include "widgets/table.h"
#include "widgets/text.h"
#include "widgets/theme.h"

struct screen {
    struct tabbar *tabs;
    struct status *status;
    struct keybar *bar;
    SCREEN *scr; /* made by screen_open; NULL when attached */
    bool ixon;   /* XON/XOFF was on before screen_open turned it off */
    long long last_tick_ms;
};

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
    const char *name = a->opt && a->opt->theme ? a->opt->theme : "default";
    if (theme_load_named(&t, name, dirs, sizeof dirs / sizeof dirs[0], err, sizeof err) != 0)
        app_status(a, STATUS_WARN, "Theme %s not used: %s", name, err);
    theme_apply(&t, -1);
}

int screen_attach(struct app *a)
{
    struct screen *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    const char *labels[PANE_COUNT];
    for (int p = 0; p < PANE_COUNT; p++)
        labels[p] = pane_label((enum pane_id)p);
    s->tabs = tabbar_new(labels, PANE_COUNT);
    s->status = status_new();
    s->bar = keybar_new();
    a->screen = s;
    keypad(stdscr, TRUE); /* function keys known: the key bar asks which this terminal has */
    if (!s->tabs || !s->status || !s->bar) {
        screen_close(a);
        return -1;
    }
    screen_size(a);
    return 0;
}

int screen_open(struct app *a)
{
    /* ^S would stop the output (XON/XOFF) instead of reaching the console:
     * off while the console runs, as it was afterwards. */
    struct termios tio;
    bool ixon = false;
    if (tcgetattr(STDIN_FILENO, &tio) == 0 && (tio.c_iflag & IXON)) {
        ixon = true;
        tio.c_iflag &= ~(tcflag_t)IXON;
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
    }
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr)
        goto fail;
    set_term(scr);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    text_init_locale();
    load_theme(a);
    if (screen_attach(a) != 0) {
        endwin();
        delscreen(scr);
        goto fail;
    }
    a->screen->scr = scr;
    a->screen->ixon = ixon;
    return 0;
fail:
    if (ixon && tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_iflag |= IXON;
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
    }
    return -1;
}

void screen_close(struct app *a)
{
    struct screen *s = a->screen;
    if (!s)
        return;
    tabbar_delete(s->tabs);
    status_delete(s->status);
    keybar_delete(s->bar);
    if (s->scr) {
        endwin();
        delscreen(s->scr);
        struct termios tio;
        if (s->ixon && tcgetattr(STDIN_FILENO, &tio) == 0) {
            tio.c_iflag |= IXON;
            tcsetattr(STDIN_FILENO, TCSANOW, &tio);
        }
    }
    free(s);
    a->screen = NULL;
}

void screen_size(struct app *a)
{
    a->frame.rows = LINES;
    a->frame.cols = COLS;
    a->frame.pane_top = 2;
    a->frame.pane_height = LINES - 4 > 0 ? LINES - 4 : 0;
}

bool screen_too_small(const struct app *a)
{
    return a->frame.cols < SCREEN_MIN_COLS || a->frame.rows < SCREEN_MIN_ROWS;
}

/* A key the bar can offer on any terminal: not a function key F1..F12.
 * terminfo is no proof that the key reaches us: under TERM=vt100 its kf10
 * is the keypad's ESC O x, while the keyboard's F10 sends what the
 * emulator sends for xterm, which vt100's entry does not know. */
static bool key_everywhere(int key)
{
    int k = key & ~KEYMAP_FKEY_BIT;
    return !(key & KEYMAP_FKEY_BIT) || k < KEY_F(1) || k > KEY_F(12);
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
    int cols = a->frame.cols;
    draw_fill(stdscr, 0, 0, cols, ROLE_HEADER);
    const char *badge = a->read_only ? " READ-ONLY " : "";
    int bw = (int)strlen(badge);
    const char *dot = theme_glyph(GLYPH_DOT);
    char line[2048], expires[64], pool[400] = "", filter[300] = "";
    /* The source is asked each time: the chain names the source that
     * answered only once it has (the first call), and the expiry moves on
     * each refresh. Both are plain reads, never a fetch. */
    const char *src = a->cfg.credentials ? api_credentials_source(a->cfg.credentials) : NULL;
    expiry_text(a, dot, expires, sizeof expires);
    if (a->pool_id)
        snprintf(pool, sizeof pool, " %s pool %s", dot,
                 a->pool_name && *a->pool_name ? a->pool_name : a->pool_id);
    struct table *t = a->view ? NULL : pane_table(a->panes[a->pane]);
    if (t && table_filter(t)[0])
        snprintf(filter, sizeof filter, " %s filter \"%s\"", dot, table_filter(t));
    snprintf(line, sizeof line, " profile %s %s creds %s%s %s region %s%s%s %s endpoint %s",
             a->cfg.profile ? a->cfg.profile : "-", dot, src && *src ? src : a->cred_source,
             expires, dot, a->cfg.region ? a->cfg.region : "-", pool, filter, dot,
             a->cfg.endpoint_url ? a->cfg.endpoint_url : "-");
    draw_text(stdscr, 0, 0, cols - bw - 1, line, TEXT_NUL, ROLE_HEADER, TEXT_ELLIPSIS);
    if (bw) {
        attr_t badge_attr = theme_attr(ROLE_BADGE_READONLY);
        /* Without colours the badge and the header can get the same look:
         * then the badge is drawn the other way round, so it stands out. */
        if (badge_attr == theme_attr(ROLE_HEADER))
            badge_attr ^= A_REVERSE;
        draw_text_attr(stdscr, 0, cols - bw, bw, badge, TEXT_NUL, badge_attr | A_BOLD, 0);
    }
}

/* Whether the bar offers `act` in `scope` now. */
static bool bar_offers(struct app *a, enum action act, unsigned scope)
{
    const struct action_info *ai = &action_table[act];
    if (!(ai->bar & scope) || !(ai->scope & scope) || !app_action_allowed(a, act))
        return false;
    if (a->view)
        return !a->view->ops->offers || a->view->ops->offers(a->view, act);
    struct pane *p = a->panes[a->pane];
    if ((act == ACT_FILTER || act == ACT_SORT) && !pane_table(p))
        return false;
    return pane_offers(p, a, act);
}

static void fill_keybar(struct app *a)
{
    struct keybar_item items[ACT_COUNT];
    char keys[ACT_COUNT][32];
    int priority[ACT_COUNT];
    size_t n = 0;
    unsigned scope = a->view ? a->view->ops->scope : pane_scope(a->pane);
    /* What belongs to this pane or view first, then what applies widely. */
    for (int pass = 0; pass < 2; pass++)
        for (int act = 1; act < ACT_COUNT; act++) {
            const struct action_info *ai = &action_table[act];
            bool own = (ai->scope & ~scope) == 0;
            if (own != (pass == 0) || !bar_offers(a, (enum action)act, scope))
                continue;
            /* A key every terminal has first (^S rather than F10); a
             * function key only when the action has nothing else there. */
            keymap_keys_in(a->keys, (enum action)act, scope, key_everywhere, 1, keys[n],
                           sizeof keys[n]);
            if (!keys[n][0])
                keymap_keys_in(a->keys, (enum action)act, scope, NULL, 1, keys[n], sizeof keys[n]);
            if (!keys[n][0])
                continue;
            items[n].key = keys[n];
            items[n].label = ai->label;
            /* What gives way last on a narrow screen: the way out, then
             * what belongs here, then help, then the rest. */
            priority[n] = act == ACT_BACK || act == ACT_QUIT || act == ACT_CANCEL ? 4
                          : own || act == ACT_OPEN                                ? 3
                          : act == ACT_HELP                                       ? 2
                                                                                  : 1;
            n++;
        }
    keybar_set(a->screen->bar, items, n);
    for (size_t i = 0; i < n; i++) {
        /* Short: the label's first word ("Load all" -> "Load"). */
        char brief[32];
        snprintf(brief, sizeof brief, "%s", items[i].label);
        char *sp = strchr(brief, ' ');
        if (sp)
            *sp = '\0';
        keybar_set_priority(a->screen->bar, i, priority[i], sp ? brief : NULL);
    }
}

static void draw_status(struct app *a)
{
    struct screen *s = a->screen;
    int row = a->frame.rows - 2;
    if (a->prompt.w) {
        draw_fill(stdscr, row, 0, a->frame.cols, ROLE_NORMAL);
        widget_place(prompt_widget(a->prompt.w), row, 0, 1, a->frame.cols);
        widget_draw(prompt_widget(a->prompt.w), stdscr);
        return;
    }
    bool busy = a->reqs || a->jobs || app_account_finding(a);
    if (status_busy(s->status) != busy)
        status_set_busy(s->status, busy);
    char label[200];
    status_set_progress(s->status, app_foreground_label(a, label, sizeof label));
    static const enum theme_role roles[] = {ROLE_STATUS, ROLE_STATUS, ROLE_WARNING, ROLE_ERROR};
    status_set_message(s->status, roles[a->status_kind], a->status);
    char right[96] = "";
    struct table *t = a->view ? NULL : pane_table(a->panes[a->pane]);
    if (t)
        table_count_text(t, right, sizeof right);
    status_set_right(s->status, right);
    widget_place(status_widget(s->status), row, 0, 1, a->frame.cols);
    widget_draw(status_widget(s->status), stdscr);
}

static void draw_too_small(struct app *a)
{
    char msg[160];
    int rows = a->frame.rows, cols = a->frame.cols;
    snprintf(msg, sizeof msg, "Terminal too small: %dx%d, need at least %dx%d.", cols, rows,
             SCREEN_MIN_COLS, SCREEN_MIN_ROWS);
    int y = rows / 2;
    int w = text_width(msg, TEXT_NUL);
    int x = cols > w ? (cols - w) / 2 : 0;
    draw_text(stdscr, y > 0 ? y - 1 : 0, x, cols - x, msg, TEXT_NUL, ROLE_WARNING, TEXT_ELLIPSIS);
    if (rows > 2)
        draw_text(stdscr, y + 1 < rows ? y + 1 : y, 0, cols, " Enlarge the window, or ^X to quit.",
                  TEXT_NUL, ROLE_NORMAL, TEXT_ELLIPSIS);
}

void screen_draw(struct app *a)
{
    screen_size(a);
    for (int p = 0; p < PANE_COUNT; p++)
        if (a->panes[p] && a->panes[p]->ops->sync)
            a->panes[p]->ops->sync(a->panes[p], a);
    werase(stdscr);
    curs_set(0);
    if (screen_too_small(a)) {
        draw_too_small(a);
        wnoutrefresh(stdscr);
        doupdate();
        return;
    }
    struct screen *s = a->screen;
    draw_header(a);
    tabbar_set_active(s->tabs, (size_t)a->pane);
    widget_place(tabbar_widget(s->tabs), 1, 0, 1, a->frame.cols);
    widget_draw(tabbar_widget(s->tabs), stdscr);
    struct pane *p = a->panes[a->pane];
    if (p)
        p->ops->draw(p, a);
    /* Views bottom-up, so a dialog shows over the form it belongs to. */
    struct view *stack[32];
    int n = 0;
    for (struct view *v = a->view; v && n < 32; v = v->below)
        stack[n++] = v;
    for (int i = n - 1; i >= 0; i--)
        view_draw(stack[i], a);
    draw_status(a);
    fill_keybar(a);
    widget_place(keybar_widget(s->bar), a->frame.rows - 1, 0, 1, a->frame.cols);
    widget_draw(keybar_widget(s->bar), stdscr);
    struct widget *cw = a->prompt.w ? prompt_widget(a->prompt.w) : a->view ? a->view->w : NULL;
    if (cw && cw->cursor_on) {
        curs_set(1);
        wmove(stdscr, cw->cursor_y, cw->cursor_x);
    }
    wnoutrefresh(stdscr);
    doupdate();
}

void screen_tick(struct app *a)
{
    struct screen *s = a->screen;
    if (!s)
        return;
    /* One step of the spinner every 100 ms, however often the loop turns. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    long long now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    if (now - s->last_tick_ms < 100)
        return;
    s->last_tick_ms = now;
    if ((a->reqs || a->jobs || app_account_finding(a)) && !status_busy(s->status))
        status_set_busy(s->status, true);
    if (status_tick(s->status) & WR_REDRAW)
        a->dirty = true;
}
