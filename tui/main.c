/* tui/main.c — cognito-tui's entry point: parses the command line and runs
 * the console (no verb) or a verb. Exit codes: DESIGN.md "Command line". */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/atomic_file.h"
#include "tui/cmd_audit.h"
#include "tui/cmd_doctor.h"
#include "tui/cmd_call.h"
#include "tui/cmd_export.h"
#include "tui/cmd_inventory.h"
#include "tui/cmd_prune.h"
#include "tui/console.h"
#include "tui/options.h"

#ifndef COGNITO_TUI_VERSION
#define COGNITO_TUI_VERSION "0.1.0"
#endif

/* A closed 0, 1 or 2 is the next descriptor open() or socket() hands out:
 * libcurl's connection could become "stdout" and receive the rows. Each
 * closed one is taken by /dev/null, opened the wrong way round (0 for
 * writing, 1 and 2 for reading) so that using it fails: a write to a closed
 * stdout is then an error, never a silent success. */
static int occupy_standard_descriptors(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int n = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
        if (n < 0)
            return -1;
        if (n != fd) {
            if (dup2(n, fd) < 0)
                return -1;
            close(n);
        }
    }
    return 0;
}

/* Whatever a verb printed must have reached stdout: a failed write or flush
 * (closed descriptor, full disk, EPIPE) turns success into exit 1. */
static int finish_stdout(int rc)
{
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc == 0) {
        char why[300];
        snprintf(why, sizeof why, "cannot write to standard output: %s", strerror(errno));
        rc = cli_report(stderr, 1, "Output", why);
    }
    return rc;
}

int main(int argc, char **argv)
{
    struct command_line cl;
    char why[512];

    if (occupy_standard_descriptors() < 0)
        return 1;
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
        return finish_stdout(0);
    case CLI_VERSION:
        printf("cognito-tui %s\n", COGNITO_TUI_VERSION);
        return finish_stdout(0);
    case CLI_CONSOLE:
        return console_run(&cl.global);
    case CLI_CALL:
        return finish_stdout(cmd_call_run(&cl, stdin, stdout, stderr));
    case CLI_EXPORT:
        /* An export killed by any signal (or crashing) removes its temporary
         * file, then dies of the same signal so the parent sees why. */
        atomic_file_cleanup_on_fatal_signals();
        return finish_stdout(cmd_export_run(&cl, stdout, stderr));
    case CLI_AUDIT:
        atomic_file_cleanup_on_fatal_signals(); /* its -o FILE too */
        return finish_stdout(cmd_audit_run(&cl, stdout, stderr));
    case CLI_INVENTORY:
        return finish_stdout(cmd_inventory_run(&cl, stdout, stderr));
    case CLI_PRUNE:
        return finish_stdout(cmd_prune_run(&cl, stdout, stderr));
    case CLI_DOCTOR:
        return finish_stdout(cmd_doctor_run(&cl, stdout, stderr));
    }
    return 2;
}
