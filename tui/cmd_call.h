/* tui/cmd_call.h — the `call` verb, and what every verb shares: the client
 * session built from the resolved configuration and the one-line errors.
 *
 * Contract: each *_run() function returns the process exit code (DESIGN.md
 * "Command line": 0 ok, 1 AWS/HTTP, 2 usage or invalid input, 3 read-only,
 * 4 transport/TLS, 5 credentials/configuration, 6 a change sent whose outcome
 * is unknown, 128+N stopped by signal N before any outcome) and has printed at
 * most one error line on `err`: `cognito-tui: <Kind>: <message> (request id …)`.
 * Messages are escaped for a terminal (service text may carry control
 * sequences). Nothing here prints a credential.
 */
#ifndef TUI_CMD_CALL_H
#define TUI_CMD_CALL_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "api/client.h"
#include "api/config.h"
#include "tui/options.h"

/* How the verbs print whole documents: indented, "key": value, and "/" not
 * escaped (json-c escapes it by default; ARNs and provider names are full
 * of slashes). */
#define CLI_JSON_PRETTY                                                                            \
    (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

/* A resolved configuration and the client made from it. */
struct cli_session {
    struct api_config config;
    struct api_client *client;
};

/* api_config_resolve() then api_client_new(). Returns 0, or -1 with err
 * filled (API_ERR_CREDENTIALS for configuration problems: exit 5). */
int cli_session_open(struct cli_session *s, const struct global_options *g, struct api_error *err);
void cli_session_close(struct cli_session *s);

/* Prints `cognito-tui: Warning: <note>` when the session's client found this
 * machine's clock more than 5 minutes off the service's
 * (api_client_clock_note()); nothing otherwise. */
void cli_session_clock_note(FILE *err, const struct cli_session *s);

/* Prints `cognito-tui: <formatted error>` and returns api_error_exit_code(). */
int cli_report_error(FILE *err, const struct api_error *e);

/* Prints `cognito-tui: <kind>: <message>` for errors of our own (usage,
 * output files) and returns `code`. */
int cli_report(FILE *err, int code, const char *kind, const char *message);

/* Prints the operation names of the api table, one a line. */
void cmd_call_list(FILE *out);

/* The `call` verb. `in` is read for the "-" input. A change whose outcome is
 * unknown (api/error.h) exits 6 with one line: "OutcomeUnknown: <Op> was sent
 * but <why>: the change may have been applied. Check with: cognito-tui [same
 * options] call <Read> '<input>' (look for: ...)" (api/reconcile.h names the
 * read). Ctrl-C (or SIGTERM, SIGHUP) while the call is in flight: a read, or
 * a change not yet sent, stops at once (exit 128+N, nothing journaled for an
 * unsent change); a change already sent gets up to 2 s for its answer, sends
 * no further attempt, and a second Ctrl-C stops the wait at once; without an
 * answer it is journaled "unknown" and exits 6. */
int cmd_call_run(const struct command_line *cl, FILE *in, FILE *out, FILE *err);

#endif
