/* tui/console.c — console_run(): settings, the screen, the one event loop
 * (tui/console.h).
 *
 * The loop polls the terminal, a self-pipe written by the signal handlers
 * and the api client's sockets, so typing, resizing and Esc (cancel) all
 * work while requests are in flight. It draws only when something changed
 * (or the spinner turns), then runs the work that waited for the frame.
 */
#include "tui/console.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "tui/dispatch.h"
#include "tui/pane.h"
#include "tui/screen.h"
#include "tui/view.h"
#include "tui/view_dialog.h"
#include "widgets/dialog.h"
#include "widgets/widget.h"

static int winch_pipe[2] = {-1, -1};
static volatile sig_atomic_t stop_signal;

/* Both only write to the self-pipe: the loop does the work. */
static void on_winch(int sig)
{
    int saved = errno;
    (void)sig;
    if (winch_pipe[1] >= 0)
        (void)!write(winch_pipe[1], "w", 1);
    errno = saved;
}

/* ^C, a closed SSH session, kill: leave through the normal path, so the
 * terminal is restored and requests are cancelled. */
static void on_stop(int sig)
{
    int saved = errno;
    stop_signal = sig;
    if (winch_pipe[1] >= 0)
        (void)!write(winch_pipe[1], "s", 1);
    errno = saved;
}

void console_print_keys(FILE *out)
{
    struct keymap *km = keymap_new();
    if (!km)
        return;
    keymap_print(km, out);
    keymap_free(km);
}

static void update_size(struct app *a)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        if (ws.ws_row != (unsigned)LINES || ws.ws_col != (unsigned)COLS)
            resizeterm(ws.ws_row, ws.ws_col);
    }
    screen_size(a);
    clearok(curscr, TRUE);
    a->dirty = true;
}

/* After an Esc from curses: curses waited ESCDELAY for a known key, so a
 * '[' or 'O' already waiting is the rest of a sequence this terminal's
 * terminfo does not name (a modified function key, say). It is dropped
 * whole: its letters must not run actions. Returns 0 when dropped, 27 for a
 * plain Esc (the key after it is pushed back). */
static int unknown_sequence(void)
{
    int next = widget_read_key(stdscr);
    if (next < 0)
        return 27;
    if (next != '[' && next != 'O') {
        if (next < KEYMAP_FKEY_BIT)
            unget_wch((wchar_t)next);
        else
            ungetch(next & ~KEYMAP_FKEY_BIT);
        return 27;
    }
    /* CSI: parameters and intermediates (0x20-0x3f), then a final byte
     * (0x40-0x7e); SS3: one final byte. */
    for (int i = 0, c; i < 32 && (c = widget_read_key(stdscr)) >= 0; i++)
        if (next == 'O' || (c >= 0x40 && c <= 0x7e))
            break;
    return 0;
}

static void drain_winch_pipe(void)
{
    char buf[64];
    while (winch_pipe[0] >= 0 && read(winch_pipe[0], buf, sizeof buf) > 0)
        ;
}

/* ---- the MFA code: asked in a dialog, answered later (api/mfa.h) ---- */

struct mfa_ask {
    struct app *a;
    struct api_mfa_question *q;
    struct dialog *d;
    bool answered; /* or withdrawn: q is not to be answered any more */
};

static unsigned mfa_ok(struct app *a, struct view *v, void *ctx)
{
    struct mfa_ask *m = ctx;
    (void)v;
    (void)a;
    /* Copied; the dialog wipes its own. While STS checks it the status line
     * says the credentials are being fetched (app_foreground_label). */
    api_mfa_answer(m->q, dialog_typed(m->d));
    m->answered = true;
    return RES_CLOSE;
}

static unsigned mfa_cancel(struct app *a, struct view *v, void *ctx)
{
    struct mfa_ask *m = ctx;
    (void)v;
    api_mfa_answer(m->q, NULL);
    m->answered = true;
    app_status(a, STATUS_WARN, "No MFA code given: the role was not assumed.");
    return RES_CLOSE;
}

/* Closed unanswered (the console quits): the fetch is told "no code". */
static void mfa_free(void *ctx)
{
    struct mfa_ask *m = ctx;
    if (!m->answered)
        api_mfa_answer(m->q, NULL);
    free(m);
}

static void mfa_ask(void *ctx, struct api_mfa_question *q, const char *serial)
{
    struct app *a = ctx;
    char text[700];
    snprintf(text, sizeof text,
             "Profile %.200s assumes a role that needs the current code of the MFA device "
             "%.300s.",
             a->cfg.profile ? a->cfg.profile : "default", serial ? serial : "?");
    struct mfa_ask *m = calloc(1, sizeof *m);
    struct dialog *d =
        m ? dialog_input("MFA code", text, "OK", "Code (Enter sends, Esc cancels):", true) : NULL;
    if (!m || !d) {
        free(m);
        dialog_delete(d);
        api_mfa_answer(q, NULL);
        return;
    }
    m->a = a;
    m->q = q;
    m->d = d;
    view_dialog_open(a, d, mfa_ok, mfa_cancel, m, mfa_free);
    a->dirty = true;
}

/* The fetch no longer needs the code (its request was cancelled). */
static void mfa_withdraw(void *ctx, struct api_mfa_question *q)
{
    struct app *a = ctx;
    for (struct view *v = a->view; v; v = v->below)
        if (v->free_ctx == mfa_free && ((struct mfa_ask *)v->ctx)->q == q) {
            ((struct mfa_ask *)v->ctx)->answered = true;
            view_close(a, v);
            return;
        }
}

/* ---- making and freeing ---- */

static struct app *make(const struct global_options *opt, bool terminal, int *exit_code, char *why,
                        size_t size)
{
    struct keymap *keys = keymap_new();
    if (!keys) {
        snprintf(why, size, "out of memory");
        *exit_code = 1;
        return NULL;
    }
    char path[4096], keyerr[600] = "";
    keymap_config_path(path, sizeof path);
    int bad = path[0] ? keymap_load_file(keys, path, keyerr, sizeof keyerr) : 0;
    struct api_error err;
    api_error_clear(&err);
    static const struct api_mfa_asker asker = {mfa_ask, mfa_withdraw, NULL};
    struct app *a = app_new(opt, keys, &asker, &err);
    if (!a) {
        api_error_format(&err, why, size);
        *exit_code = 5;
        return NULL;
    }
    if ((terminal ? screen_open(a) : screen_attach(a)) != 0) {
        snprintf(why, size, "cannot open the terminal (TERM=%s)",
                 getenv("TERM") ? getenv("TERM") : "");
        app_free(a);
        *exit_code = 1;
        return NULL;
    }
    if (bad) {
        /* "PATH:LINE: why" reads better as "config:LINE: why (in PATH)". */
        char shown[700] = "";
        size_t plen = strlen(path), used = 0;
        for (const char *p = keyerr; *p && used + 8 < sizeof shown;) {
            if (!strncmp(p, path, plen) && p[plen] == ':') {
                used += (size_t)snprintf(shown + used, sizeof shown - used, "config");
                p += plen;
            } else {
                shown[used++] = *p++;
                shown[used] = '\0';
            }
        }
        app_status(a, STATUS_WARN, "Key bindings: %s (in %s)", shown, path);
    }
    app_switch_pane(a, 0);
    return a;
}

struct app *console_new(const struct global_options *opt, char *why, size_t size)
{
    int code;
    return make(opt, false, &code, why, size);
}

void console_free(struct app *a)
{
    if (!a)
        return;
    app_cancel_all(a);
    view_close_all(a);
    dispatch_close(a);
    screen_close(a);
    app_free(a);
}

void console_key(struct app *a, int key)
{
    dispatch_key(a, key);
}

void console_draw(struct app *a)
{
    screen_draw(a);
    a->dirty = false;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int console_settle(struct app *a, int timeout_ms)
{
    long long end = now_ms() + timeout_ms;
    enum { MAXFD = 64 };
    struct pollfd fds[MAXFD];
    while (a->reqs || app_account_finding(a)) {
        long long left = end - now_ms();
        if (left <= 0)
            return -1;
        int timeout = -1;
        int n = api_client_pollfds(a->client, fds, MAXFD, &timeout);
        if (timeout < 0 || timeout > left)
            timeout = (int)left;
        if (timeout > 50)
            timeout = 50;
        if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
            return -1;
        app_perform(a);
    }
    return 0;
}

/* ---- the loop ---- */

static void loop(struct app *a)
{
    enum { MAXFD = 64 };
    struct pollfd fds[MAXFD];
    while (!a->quit) {
        if (a->dirty)
            console_draw(a);
        int timeout = -1;
        fds[0] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
        fds[1] = (struct pollfd){.fd = winch_pipe[0], .events = POLLIN};
        int n = 2 + api_client_pollfds(a->client, fds + 2, MAXFD - 2, &timeout);
        n += pane_pollfds_all(a->panes, a, fds + n, MAXFD - n, &timeout);
        /* The spinner turns while something is in flight. */
        if ((a->reqs || a->jobs || app_account_finding(a)) && (timeout < 0 || timeout > 120))
            timeout = 120;
        int rc = poll(fds, (nfds_t)n, timeout);
        if (rc < 0 && errno != EINTR)
            break;
        if (rc > 0 && (fds[1].revents & POLLIN)) {
            drain_winch_pipe();
            if (stop_signal)
                break;
            update_size(a);
        }
        if (rc > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            int keys = 0;
            for (int key; !a->quit && (key = widget_read_key(stdscr)) >= 0; keys++) {
                if (key == KEYMAP_FKEY(KEY_RESIZE)) {
                    update_size(a);
                    continue;
                }
                if (key == 27 && (key = unknown_sequence()) == 0)
                    continue;
                dispatch_key(a, key);
            }
            /* The terminal went away (an SSH session dropped). Its hangup
             * reads as "readable" with nothing to read, so without this the
             * loop would spin; no SIGHUP comes when a shell between us and
             * the terminal traps it. */
            if (!keys && (fds[0].revents & (POLLHUP | POLLERR)))
                break;
        }
        app_perform(a);
        pane_perform_all(a->panes, a);
        if (a->jobs)
            a->dirty = true; /* their owners' sync looks at them before the frame */
        screen_tick(a);      /* turns the spinner while requests are in flight */
    }
}

int console_run(const struct global_options *opt)
{
    setlocale(LC_ALL, "");
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "cognito-tui: the console needs a terminal on stdin and stdout "
                        "(for scripts: cognito-tui call / export)\n");
        return 2;
    }
    if (pipe(winch_pipe) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(winch_pipe[i], F_SETFL, fcntl(winch_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(winch_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    /* Ours before initscr(): curses then leaves SIGWINCH to us. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_winch;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, NULL);
    struct sigaction stop, old_int, old_term, old_hup, old_quit;
    memset(&stop, 0, sizeof stop);
    stop.sa_handler = on_stop;
    sigemptyset(&stop.sa_mask);
    stop_signal = 0;
    sigaction(SIGINT, &stop, &old_int);
    sigaction(SIGTERM, &stop, &old_term);
    sigaction(SIGHUP, &stop, &old_hup);
    sigaction(SIGQUIT, &stop, &old_quit); /* ^\ too: no core, the terminal restored */

    int rc = 0;
    char why[1400];
    struct app *a = make(opt, true, &rc, why, sizeof why);
    if (!a) {
        fprintf(stderr, "cognito-tui: %s\n", why);
    } else {
        loop(a);
        console_free(a);
    }

    signal(SIGWINCH, SIG_DFL);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    /* ^C, ^\ and kill leave by the normal path (terminal restored, no core)
     * with the shell's convention: 128 + the signal (^C is 130, ^\ 131). */
    if (rc == 0 && stop_signal)
        rc = 128 + stop_signal;
    for (int i = 0; i < 2; i++) {
        if (winch_pipe[i] >= 0)
            close(winch_pipe[i]);
        winch_pipe[i] = -1;
    }
    return rc;
}
