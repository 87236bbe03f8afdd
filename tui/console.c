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

/* api_config_options.mfa_prompt for the console: asks for the MFA code in a
 * dialog over the console.
 *
 * It is called from inside api_credentials_get(), that is from inside some
 * pane's or view's api_call_start(), in the middle of one turn of loop().
 * So it runs a loop of its own that reads only the terminal and the signal
 * pipe: it never drives the client (api_client_perform), so no request
 * callback can run while the caller is half-way through starting its
 * request, and it never asks twice at once. Resize redraws; ^C, TERM, HUP
 * or a terminal that went away cancel it and make the console quit. The
 * typed code goes only into `code` (the dialog wipes its copy when deleted);
 * the screen is drawn again, without the dialog, before returning, because
 * the STS call that follows may take a while. */
static int console_mfa_prompt(void *ctx, const char *serial, char *code, size_t size)
{
    static bool asking;
    struct app *a = ctx;
    if (!a || !a->screen || winch_pipe[0] < 0 || asking || a->quit || size == 0)
        return -1;
    char text[700];
    snprintf(text, sizeof text,
             "Profile %.200s assumes a role that needs the current code of the MFA device "
             "%.300s.",
             a->cfg.profile ? a->cfg.profile : "default", serial ? serial : "?");
    struct dialog *d =
        dialog_input("MFA code", text, "OK", "Code (Enter sends, Esc cancels):", true);
    if (!d)
        return -1;
    asking = true;
    struct widget *w = dialog_widget(d);
    int result = -1;
    bool done = false;
    while (!done) {
        /* Keys first: curses may hold some already (typed ahead of the
         * dialog), and poll() would not see those on the descriptor. */
        for (int key; !done && (key = widget_read_key(stdscr)) >= 0;) {
            if (key == KEYMAP_FKEY(KEY_RESIZE)) {
                update_size(a);
                continue;
            }
            if (key == 27 && (key = unknown_sequence()) == 0)
                continue;
            int r = widget_handle(w, key);
            if (r & WR_SUBMIT) {
                const char *typed = dialog_typed(d);
                size_t n = strlen(typed);
                if (n < size) {
                    memcpy(code, typed, n + 1);
                    result = 0;
                }
                done = true;
            } else if (r & WR_CANCEL) {
                done = true;
            }
        }
        if (done)
            break;
        screen_draw_over(a, w);
        struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
                                {.fd = winch_pipe[0], .events = POLLIN}};
        nfds_t nfds = winch_pipe[0] >= 0 ? 2 : 1;
        int rc = poll(fds, nfds, -1);
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (nfds == 2 && (fds[1].revents & POLLIN)) {
            drain_winch_pipe();
            if (stop_signal) {
                a->quit = true;
                break;
            }
            update_size(a);
        }
        if ((fds[0].revents & (POLLHUP | POLLERR)) && !(fds[0].revents & POLLIN)) {
            a->quit = true; /* the terminal went away */
            break;
        }
    }
    dialog_delete(d); /* wipes the typed code */
    asking = false;
    if (result == 0) {
        /* Said only while STS is asked: the caller reports how it went. */
        char saved[sizeof a->status];
        enum status_kind saved_kind = a->status_kind;
        memcpy(saved, a->status, sizeof saved);
        app_status(a, STATUS_INFO, "Checking the MFA code with STS...");
        if (!a->quit)
            screen_draw(a);
        memcpy(a->status, saved, sizeof saved);
        a->status_kind = saved_kind;
    } else {
        app_status(a, STATUS_WARN, "No MFA code given: the role was not assumed.");
    }
    a->dirty = true;
    return result;
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
    struct app *a = app_new(opt, keys, console_mfa_prompt, &err);
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

bool console_quitting(const struct app *a)
{
    return a->quit;
}

void console_draw(struct app *a)
{
    screen_draw(a);
    a->dirty = false;
    app_run_deferred(a);
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
    while (a->reqs || a->deferred) {
        if (a->deferred)
            app_run_deferred(a);
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
        /* The spinner turns while something is in flight. */
        if (a->reqs && (timeout < 0 || timeout > 120))
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
            if (fds[0].revents & (POLLHUP | POLLERR) && !(fds[0].revents & POLLIN))
                break; /* the terminal went away */
            for (int key; !a->quit && (key = widget_read_key(stdscr)) >= 0;) {
                if (key == KEYMAP_FKEY(KEY_RESIZE)) {
                    update_size(a);
                    continue;
                }
                if (key == 27 && (key = unknown_sequence()) == 0)
                    continue;
                dispatch_key(a, key);
            }
        }
        app_perform(a);
        screen_tick(a); /* turns the spinner while requests are in flight */
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
