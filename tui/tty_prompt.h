/* tui/tty_prompt.h — asks the user at the controlling terminal, for the verbs.
 *
 * The verbs' standard input and output may be pipes (JSON in, JSON out), so
 * the question and the answer go through /dev/tty, never stdin/stdout.
 */
#ifndef TUI_TTY_PROMPT_H
#define TUI_TTY_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

/* An api_mfa_prompt_fn (api/config.h): writes "MFA code for SERIAL: " to
 * /dev/tty, reads one line with echo off, and stores it in code (at most
 * size-1 bytes, NUL-terminated, line end removed). Returns 0, or -1 when
 * there is no terminal, the input ends or is empty, or the line is too long
 * (the credentials call then fails with a clear error). The line buffer is
 * wiped; the caller wipes `code` after use. ctx is unused. */
int tty_mfa_prompt(void *ctx, const char *serial, char *code, size_t size);

/* Whether the user can be asked: standard input is a terminal and
 * /dev/tty opens (a verb run from a script or a pipe cannot be). */
bool tty_can_ask(void);

/* Writes `question` to /dev/tty, then "Type N to confirm: ", and reads one
 * line (echo on). Returns 1 when the line is exactly the number `count`
 * (digits; thousands separators not accepted), 0 when it is anything else
 * or the input ended, -1 when there is no terminal. */
int tty_confirm_count(const char *question, unsigned long long count);

#endif
