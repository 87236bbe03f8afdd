/* tui/cmd_call.c — the `call` verb and the pieces every verb shares
 * (contract in cmd_call.h). */
#include "tui/cmd_call.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/client_config.h"
#include "api/operations.h"
#include "tui/csv.h"
#include "tui/input_json.h"
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

/* Whether the request may have reached the service: the journal records
 * every mutating call that was sent, and only those. Refusals before
 * sending (read-only, invalid input, credentials, TLS handshake) are not. */
static bool was_sent(const struct api_error *e)
{
    switch (e->kind) {
    case API_ERR_NONE:
    case API_ERR_AWS:
    case API_ERR_HTTP:
    case API_ERR_TRANSPORT: /* a timeout or a dropped connection may follow the request */
    case API_ERR_CANCELLED:
        return true;
    case API_ERR_TLS:
    case API_ERR_READ_ONLY:
    case API_ERR_INVALID_INPUT:
    case API_ERR_CREDENTIALS:
        return false;
    }
    return false;
}

static void journal(FILE *err, const struct cli_session *s, const char *operation,
                    json_object *input, const struct api_error *e)
{
    struct journal_entry entry = {
        .profile = s->config.profile,
        .region = s->config.region,
        .operation = operation,
        .input = input,
        .error = e,
    };
    char why[512] = "";

    if (journal_record(&entry, why, sizeof why) < 0) {
        char msg[600];
        snprintf(msg, sizeof msg, "the call was made but not journaled: %s", why);
        cli_report(err, 0, "Warning", msg);
    }
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

    rc = api_call(s.client, op->name, input, &output, &e);
    if (op->mutates && was_sent(&e))
        journal(err, &s, op->name, input, &e);
    if (rc < 0) {
        rc = cli_report_error(err, &e);
    } else {
        /* Operations without output answer {} (json-c would print "{\n}"). */
        const char *text =
            json_object_is_type(output, json_type_object) && json_object_object_length(output) == 0
                ? "{}"
                : json_object_to_json_string_ext(output, CLI_JSON_PRETTY);
        if (json_text_write(out, text, terminal) < 0 || fputc('\n', out) == EOF || fflush(out) != 0)
            rc = cli_report(err, 1, "Output", "cannot write the answer to stdout");
        else
            rc = 0;
    }
    json_object_put(output);
    json_object_put(input);
    cli_session_close(&s);
    return rc;
}
