/* tui/cmd_audit.h — the `audit` verb.
 *
 *   cognito-tui [GLOBAL] audit [--region R]... [--all-regions] [--pool ID]...
 *       [--format table|json|csv|sarif|markdown] [-o FILE] [--fail-on SEV]
 *
 * Contract: resolves the configuration (api/config.h) and the account id
 * (api/account.h: AWS_ACCOUNT_ID, aws_account_id, STS; unknown is allowed
 * and said so in the report), runs the audit engine (tui/audit.h) with a
 * progress line on stderr when it is a terminal, and writes the report
 * (tui/audit_report.h) to stdout or, with -o, atomically to FILE
 * (tui/atomic_file.h: on failure the old FILE stays as it was).
 *
 * Returns the exit code: 0, or 7 when a finding is at or above --fail-on,
 * or the usual code of the error that stopped the audit (cmd_call.h; 2 for
 * an unwritable -o FILE). At most one error line on `err`.
 */
#ifndef TUI_CMD_AUDIT_H
#define TUI_CMD_AUDIT_H

#include <stdio.h>

#include "tui/options.h"

#define CLI_EXIT_FINDINGS 7

int cmd_audit_run(const struct command_line *cl, FILE *out, FILE *err);

#endif
