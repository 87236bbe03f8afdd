/* tui/main.c — cognito-tui's entry point: parses the command line and runs
 * the console (no verb) or a verb. Exit codes: DESIGN.md "Command line". */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tui/atomic_file.h"
#include "tui/cmd_audit.h"
#include "tui/cmd_call.h"
#include "tui/cmd_export.h"
#include "tui/console.h"
#include "tui/options.h"

#ifndef COGNITO_TUI_VERSION
#define COGNITO_TUI_VERSION "0.1.0"
#endif

/* An interrupted export must not leave its temporary file behind: remove
 * it, then die of the same signal so the parent sees why we stopped. */
static void on_fatal_signal(int sig)
{
    atomic_file_cleanup_on_signal();
    signal(sig, SIG_DFL);
    raise(sig);
}

int main(int argc, char **argv)
{
    struct command_line cl;
    char why[512];

    if (options_parse(argc, (const char *const *)argv, &cl, why, sizeof why) < 0) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s (see cognito-tui --help)", why);
        return cli_report(stderr, 2, "Usage", msg);
    }
    switch (cl.verb) {
    case CLI_HELP:
        options_print_usage(stdout);
        fputs("\nConsole keys:\n", stdout);
        console_print_keys(stdout);
        return 0;
    case CLI_VERSION:
        printf("cognito-tui %s\n", COGNITO_TUI_VERSION);
        return 0;
    case CLI_CONSOLE:
        return console_run(&cl.global);
    case CLI_CALL:
        return cmd_call_run(&cl, stdin, stdout, stderr);
    case CLI_EXPORT:
        signal(SIGINT, on_fatal_signal);
        signal(SIGTERM, on_fatal_signal);
        signal(SIGHUP, on_fatal_signal);
        return cmd_export_run(&cl, stdout, stderr);
    case CLI_AUDIT:
        signal(SIGINT, on_fatal_signal);
        signal(SIGTERM, on_fatal_signal);
        signal(SIGHUP, on_fatal_signal);
        return cmd_audit_run(&cl, stdout, stderr);
    }
    return 2;
}
