/* tui/options.h — the command line (DESIGN.md "Command line").
 *
 * OWNER: the command-line verbs work (tui/main.c, tui/options.c).
 * Parsed once in main(); the console (tui/console.h) and the verbs read them.
 *
 *   cognito-tui [GLOBAL]                                  the console
 *   cognito-tui [GLOBAL] call OPERATION [JSON | @file | -] [--dry-run]
 *   cognito-tui [GLOBAL] call --list
 *   cognito-tui [GLOBAL] export pools|identities|roles|tags|pool-backup
 *               [--pool ID] [--format json|csv] [-o FILE] [--account ID]
 *   cognito-tui [GLOBAL] audit [--region R]... [--all-regions] [--pool ID]...
 *               [--format table|json|csv|sarif|markdown] [-o FILE] [--fail-on SEV]
 *   cognito-tui [GLOBAL] inventory --pool ID [--refresh] [--disabled] [--rate-share PCT]
 *               [--format table|json]
 *   cognito-tui [GLOBAL] prune --pool ID FILTER... [--limit N] [--dry-run] [--yes]
 *               [--rate-share PCT] [--format text|json]
 *   cognito-tui [GLOBAL] doctor --pool ID (--login PROVIDER=TOKEN|PROVIDER=@FILE |
 *               --unauthenticated | --developer-user ID) [--live] [--format text|json]
 *               [--error "MESSAGE"]       (--error alone: which step a service error is from)
 *   cognito-tui --help | --version
 *   GLOBAL: --profile P --region R --endpoint-url URL --read-only --theme T
 *
 * Global options may come before or after the verb; a verb's own options
 * only after it. `--opt value` and `--opt=value` are both accepted; `--`
 * ends the options (so a JSON argument may start with '-'); a lone `-` is a
 * positional (stdin). When an option is repeated, the last one wins.
 */
#ifndef TUI_OPTIONS_H
#define TUI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "api/config.h"

struct global_options {
    struct api_config_options config; /* --profile, --region, --endpoint-url, --read-only */
    const char *theme;                /* --theme NAME or path; NULL = default */
};

enum cli_verb {
    CLI_CONSOLE = 0, /* no verb */
    CLI_HELP,
    CLI_VERSION,
    CLI_CALL,
    CLI_EXPORT,
    CLI_AUDIT,
    CLI_INVENTORY,
    CLI_PRUNE,
    CLI_DOCTOR,
};

enum export_format {
    EXPORT_FORMAT_JSON,
    EXPORT_FORMAT_CSV,
};

struct call_options {
    const char *operation; /* NULL only with list */
    const char *input;     /* the JSON argument as given ("{...}", "@file", "-"); NULL = {} */
    bool dry_run;
    bool list; /* --list: print the operation names */
};

/* The export's words as typed; export_check() (tui/cmd_export.h) says whether
 * they make sense together, from its table of export kinds. */
struct export_options {
    const char *kind; /* "pools", "identities", ...; NULL only when missing */
    enum export_format format;
    bool format_given;
    const char *pool;    /* --pool ID, or NULL */
    const char *output;  /* -o FILE, or NULL (stdout; "-" is stdout too) */
    const char *account; /* --account ID (tags ARN), or NULL */
};

struct inventory_options {
    const char *pool; /* --pool ID (required) */
    bool refresh;     /* --refresh */
    bool disabled;    /* --disabled */
    int rate_share;   /* --rate-share PCT, 100 by default */
    bool json;        /* --format json (default table) */
};

/* Filters as typed; times are parsed by the verb (tui/time_arg.h). At
 * least one filter is given (checked by the parser). */
struct prune_options {
    const char *pool;
    bool unauthenticated;
    const char *provider;
    const char *modified_before;
    int idle_days; /* 0 = not given */
    const char *created_before;
    bool disabled;
    long limit; /* 0 = no limit */
    bool dry_run, yes;
    int rate_share; /* percent, 100 by default */
    bool json;      /* --format json (default text) */
};

#define AUDIT_MAX_LIST 256

struct audit_cli_options {
    const char *regions[AUDIT_MAX_LIST]; /* every --region given, in order (also global) */
    size_t n_regions;
    bool all_regions;
    const char *pools[AUDIT_MAX_LIST]; /* every --pool given */
    size_t n_pools;
    const char *format;  /* table|json|csv|sarif|markdown; NULL = table */
    const char *output;  /* -o FILE, or NULL */
    const char *fail_on; /* info|low|medium|high, or NULL (never exit 7) */
};

/* The doctor's words as typed (tui/cmd_doctor.h reads the token file). */
struct doctor_cli_options {
    const char *pool;           /* --pool ID */
    const char *login;          /* --login PROVIDER=TOKEN or PROVIDER=@FILE (a secret) */
    bool unauthenticated;       /* --unauthenticated */
    const char *developer_user; /* --developer-user ID */
    bool live;                  /* --live */
    bool json;                  /* --format json (default text) */
    const char *error;          /* --error "MESSAGE" */
};

struct command_line {
    struct global_options global;
    enum cli_verb verb;
    struct call_options call;
    struct export_options export_;
    struct audit_cli_options audit;
    struct inventory_options inventory;
    struct prune_options prune;
    struct doctor_cli_options doctor;
};

/* Parses argv (argv[0] is skipped). The result borrows argv's strings.
 * Returns 0, or -1 with a one-line reason (no "cognito-tui:" prefix, no
 * newline) in errbuf: an unknown option or verb, a missing value, a verb
 * option before its verb, an option that does not apply, a missing or extra
 * argument. */
int options_parse(int argc, const char *const argv[], struct command_line *out, char *errbuf,
                  size_t errsize);

/* The --help text (usage, verbs, options, exit codes, pool-backup replay). */
void options_print_usage(FILE *out);

#endif
