/* tui/cmd_call.c — the `call` verb and the pieces every verb shares
 * (contract in cmd_call.h). */
#include "tui/cmd_call.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "api/client_config.h"
#include "api/dry_run.h"
#include "api/operations.h"
#include "api/reconcile.h"
#include "tui/csv.h"
#include "tui/input_json.h"
#include "tui/interrupt.h"
#include "tui/journal.h"
#include "tui/tty_prompt.h"

int cli_session_open(struct cli_session *s, const struct global_options *g, struct api_error *err)
{
    struct api_config_options config = g->config;

    memset(s, 0, sizeof *s);
    if (!config.mfa_prompt)
        config.mfa_prompt = tty_mfa_prompt;
    if (api_config_resolve(&config, &s->config, err) < 0)
        return -1;
    s->client = api_client_new_for_config(&s->config, err);
    if (!s->client) {
        api_config_free(&s->config);
        memset(s, 0, sizeof *s);
        return -1;
    }
    return 0;
}

void cli_session_close(struct cli_session *s)
{
    if (s->client) {
        api_client_free(s->client);
        api_config_free(&s->config);
    }
    memset(s, 0, sizeof *s);
}

void cli_session_clock_note(FILE *err, const struct cli_session *s)
{
    char note[300];

    if (s->client && api_client_clock_note(s->client, note, sizeof note))
        cli_report(err, 0, "Warning", note);
}

int cli_report(FILE *err, int code, const char *kind, const char *message)
{
    fputs("cognito-tui: ", err);
    text_write_terminal(err, kind, strlen(kind), true);
    fputs(": ", err);
    text_write_terminal(err, message, strlen(message), true);
    fputc('\n', err);
    fflush(err);
    return code;
}

int cli_report_error(FILE *err, const struct api_error *e)
{
    char line[2048];

    api_error_format(e, line, sizeof line);
    fputs("cognito-tui: ", err);
    /* The message and code may come from the service: one line, no controls. */
    text_write_terminal(err, line, strlen(line), true);
    fputc('\n', err);
    fflush(err);
    return api_error_exit_code(e);
}

void cmd_call_list(FILE *out)
{
    for (size_t i = 0; i < api_n_operations; i++)
        fprintf(out, "%s\n", api_operations[i].name);
}

static int unknown_operation(FILE *err, const char *name)
{
    char msg[512];
    const char *near = NULL;

    for (size_t i = 0; i < api_n_operations && !near; i++)
        if (strcasecmp(api_operations[i].name, name) == 0)
            near = api_operations[i].name;
    if (near)
        snprintf(msg, sizeof msg, "unknown operation '%.100s' (did you mean %s?)", name, near);
    else
        snprintf(msg, sizeof msg,
                 "unknown operation '%.100s' (cognito-tui call --list shows the %zu operations)",
                 name, api_n_operations);
    return cli_report(err, 2, "InvalidInput", msg);
}

static void journal(FILE *err, const struct cli_session *s, const char *operation,
                    json_object *input, json_object *output, const struct api_error *e)
{
    struct journal_entry entry = {
        .profile = s->config.profile,
        .region = s->config.region,
        .operation = operation,
        .input = input,
        .error = e,
        .output = output,
    };
    char why[512] = "";

    if (journal_record(&entry, why, sizeof why) < 0) {
        char msg[600];
        snprintf(msg, sizeof msg, "the call was made but not journaled: %s", why);
        cli_report(err, 0, "Warning", msg);
    }
}

/* How long Ctrl-C waits for the answer of a change already sent. */
#define INTERRUPT_GRACE_MS 2000

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct call_wait {
    bool done;
    json_object *output;
    struct api_error err;
};

static void call_done(void *ctx, json_object *output, const struct api_error *err)
{
    struct call_wait *w = ctx;
    w->done = true;
    w->output = output;
    w->err = *err;
}

/* How an interrupted call was stopped. */
enum stop {
    STOP_NONE,    /* not interrupted, or the answer came within the grace */
    STOP_AT_ONCE, /* a read, or nothing in flight past the sent point */
    STOP_GRACE,   /* no answer within INTERRUPT_GRACE_MS */
    STOP_TWICE,   /* a second interrupt during the grace */
};

/* api_call(), with Ctrl-C (SIGINT, SIGTERM, SIGHUP) as an event: a read
 * stops at once; a change not yet sent is cancelled (nothing was done); a
 * change whose request left gets INTERRUPT_GRACE_MS for its answer, no new
 * attempt is sent, and a second signal stops the wait at once. *signo gets
 * the signal when the call was cut short by one (0 otherwise), *stop how. */
static int call_interruptible(FILE *err, struct api_client *c, const struct api_operation *op,
                              json_object *input, json_object **output, struct api_error *e,
                              int *signo, enum stop *stop)
{
    struct call_wait w = {0};
    struct api_request *r;
    long long deadline = -1;

    *output = NULL;
    *signo = 0;
    *stop = STOP_NONE;
    /* Credentials are fetched inside the start; until it returns, Ctrl-C
     * ends the process as usual (nothing has been sent). */
    r = api_call_start(c, op->name, input, call_done, &w, e);
    if (!r)
        return -1;
    interrupt_catch();
    while (!w.done) {
        struct pollfd fds[65];
        int timeout = -1;
        int n = api_client_pollfds(c, fds, 64, &timeout);
        if (interrupt_fd() >= 0)
            fds[n++] = (struct pollfd){.fd = interrupt_fd(), .events = POLLIN};
        if (deadline >= 0) {
            long long left = deadline - now_ms();
            if (timeout < 0 || timeout > left)
                timeout = left < 0 ? 0 : (int)left;
        }
        if (timeout < 0 || timeout > 1000)
            timeout = 1000;
        poll(fds, (nfds_t)n, timeout);
        interrupt_drain();
        api_client_perform(c);
        if (w.done || interrupt_count() == 0)
            continue;
        api_request_stop_retries(r);
        bool wait = op->mutates && api_request_awaiting_answer(r) && interrupt_count() == 1;
        if (wait && deadline < 0) {
            deadline = now_ms() + INTERRUPT_GRACE_MS;
            /* A person pressed Ctrl-C and nothing stops: say why. */
            if (isatty(fileno(err)))
                fprintf(err,
                        "cognito-tui: %s was sent; waiting up to 2 s for its answer "
                        "(Ctrl-C again to stop now)\n",
                        op->name);
        }
        if (!wait || now_ms() >= deadline) {
            *signo = interrupt_signal();
            *stop = deadline < 0 ? STOP_AT_ONCE : interrupt_count() > 1 ? STOP_TWICE : STOP_GRACE;
            api_request_cancel(r); /* fires call_done */
        }
    }
    interrupt_release();
    *e = w.err;
    *output = w.output;
    return w.err.kind == API_ERR_NONE ? 0 : -1;
}

/* Appends s to buf, quoted for a POSIX shell: '...' with ' as '\''. */
static void shell_quote(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    if (n + 1 < size)
        buf[n++] = '\'';
    for (; *s && n + 5 < size; s++) {
        if (*s == '\'') {
            memcpy(buf + n, "'\\''", 4);
            n += 4;
        } else {
            buf[n++] = *s;
        }
    }
    if (n + 1 < size)
        buf[n++] = '\'';
    buf[n < size ? n : size - 1] = '\0';
}

/* The exit-6 line: the change may have been applied, and how to check. */
static int report_unknown(FILE *err, const struct api_operation *op, json_object *input,
                          const struct api_error *e, enum stop stop)
{
    char msg[4800], check[1024] = "";
    const char *read_op = NULL, *look_for = NULL;
    json_object *read_in = NULL;
    struct api_error cerr;

    if (api_reconcile_check(op->name, input, &read_op, &read_in, &look_for, &cerr) == 0) {
        snprintf(check, sizeof check, " Check with: cognito-tui [same options] call %s ", read_op);
        shell_quote(check, sizeof check,
                    json_object_to_json_string_ext(read_in, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE));
        size_t n = strlen(check);
        snprintf(check + n, sizeof check - n, " (look for: %s).", look_for);
    }
    json_object_put(read_in);
    const char *why = stop == STOP_GRACE     ? "no answer came within 2 s of the interrupt"
                      : stop == STOP_TWICE   ? "the wait for its answer was interrupted twice"
                      : stop == STOP_AT_ONCE ? "the wait for its answer was interrupted"
                                             : e->message;
    char later[1400];
    if (stop == STOP_NONE && e->http_status >= 300 &&
        (e->kind == API_ERR_AWS || e->kind == API_ERR_HTTP)) {
        /* A complete answer came, to a later attempt: it cannot say what the
         * earlier one, whose answer was lost, did. */
        snprintf(later, sizeof later, "an answer was lost and the attempt sent again got %s (%s)",
                 e->kind == API_ERR_AWS && e->code[0] ? e->code : "an error", e->message);
        why = later;
    } else if (stop == STOP_NONE && e->kind == API_ERR_HTTP && e->http_status > 0) {
        snprintf(later, sizeof later, "its answer (HTTP %ld) could not be read: %s", e->http_status,
                 e->message);
        why = later;
    }
    snprintf(msg, sizeof msg, "%s was sent but %s: the change may have been applied.%s", op->name,
             why, check);
    cli_report(err, 6, "OutcomeUnknown", msg);
    return 6;
}

/* A DeleteIdentities sent again after a lost answer, whose second answer
 * lists unprocessed ids: the first sending may have deleted them. */
static int report_repeated(FILE *err, const struct api_operation *op, json_object *input)
{
    struct api_error e;
    api_error_set(&e, API_ERR_TRANSPORT,
                  "its first answer was lost and the ids the second answer lists as unprocessed "
                  "may have been deleted by the first sending");
    e.outcome_unknown = true;
    return report_unknown(err, op, input, &e, STOP_NONE);
}

int cmd_call_run(const struct command_line *cl, FILE *in, FILE *out, FILE *err)
{
    const struct call_options *opt = &cl->call;
    const struct api_operation *op;
    struct cli_session s;
    struct api_error e;
    json_object *input, *output = NULL;
    char why[512];
    int rc;

    if (opt->list) {
        cmd_call_list(out);
        return 0;
    }
    op = api_operation_find(opt->operation);
    if (!op)
        return unknown_operation(err, opt->operation);
    input = input_json_load(opt->input, in, why, sizeof why);
    if (!input)
        return cli_report(err, 2, "InvalidInput", why);

    api_error_clear(&e);
    if (cli_session_open(&s, &cl->global, &e) < 0) {
        json_object_put(input);
        return cli_report_error(err, &e);
    }

    bool terminal = isatty(fileno(out));
    if (opt->dry_run) {
        char *text = NULL;
        if (api_dry_run(s.client, op->name, input, &text, &e) < 0) {
            rc = cli_report_error(err, &e);
        } else {
            /* The request text holds the body as sent: service-bound text
             * the user typed, shown escaped on a terminal like any other. */
            if (terminal)
                text_write_terminal(out, text, strlen(text), false);
            else
                fputs(text, out);
            if (text[0] && text[strlen(text) - 1] != '\n')
                fputc('\n', out);
            rc = 0;
        }
        free(text);
        json_object_put(input);
        cli_session_close(&s);
        return rc;
    }

    int signo = 0;
    enum stop stop;
    rc = call_interruptible(err, s.client, op, input, &output, &e, &signo, &stop);
    /* Every change that was sent, and changes the read-only guard refused. */
    if (op->mutates && (rc == 0 || e.sent || e.kind == API_ERR_READ_ONLY))
        journal(err, &s, op->name, input, output, &e);
    if (rc < 0 && e.outcome_unknown) {
        rc = report_unknown(err, op, input, &e, stop);
    } else if (rc < 0 && signo) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s %s", op->name,
                 !e.sent       ? "was not sent: nothing was changed"
                 : op->mutates ? "was stopped: the service had refused it"
                               : "was stopped");
        rc = cli_report(err, 128 + signo, "Interrupted", msg);
    } else if (rc < 0) {
        rc = cli_report_error(err, &e);
    } else {
        /* Operations without output answer {} (json-c would print "{\n}"). */
        const char *text =
            json_object_is_type(output, json_type_object) && json_object_object_length(output) == 0
                ? "{}"
                : json_object_to_json_string_ext(output, CLI_JSON_PRETTY);
        if (json_text_write(out, text, terminal) < 0 || fputc('\n', out) == EOF || fflush(out) != 0)
            rc = cli_report(err, 1, "Output", "cannot write the answer to stdout");
        else if (e.repeated_after_unknown && journal_outcome_of(&(struct journal_entry){
                                                 .operation = op->name,
                                                 .input = input,
                                                 .error = &e,
                                                 .output = output,
                                             }) == JOURNAL_UNKNOWN)
            rc = report_repeated(err, op, input);
        else
            rc = 0;
    }
    cli_session_clock_note(err, &s);
    json_object_put(output);
    json_object_put(input);
    cli_session_close(&s);
    return rc;
}
