/* tui/cmd_doctor.h — the `doctor` verb: the credential doctor (api/doctor.h)
 * on the command line.
 *
 *   cognito-tui [GLOBAL] doctor --pool ID (--login PROVIDER=TOKEN | --login PROVIDER=@FILE |
 *       --unauthenticated | --developer-user ID) [--live] [--format text|json] [--error "MESSAGE"]
 *   cognito-tui doctor --error "MESSAGE"
 *
 * Contract: resolves the configuration and a client (cmd_call.h), runs the
 * offline steps and, with --live, the live step (refused by the api
 * read-only guard in read-only mode: exit 3, nothing sent), and prints the
 * report: a checklist (text) or the JSON of api_doctor_report_json(), with
 * "error": {"message", "step", "check"} when --error was given. --error
 * alone prints only what the message means. A token in @FILE is read
 * without blocking and wiped after use; a token is never printed.
 *
 * Returns 0 when the verdict is ok, 7 (CLI_EXIT_FINDINGS) when a step
 * failed, or the usual code of the error that stopped it (a pool that
 * cannot be read, the read-only refusal of --live...). --error alone: 0
 * when the message is known, 7 when it is not.
 */
#ifndef TUI_CMD_DOCTOR_H
#define TUI_CMD_DOCTOR_H

#include <stdio.h>

#include "tui/options.h"

int cmd_doctor_run(const struct command_line *cl, FILE *out, FILE *err);

#endif
