/* tui/options.c — the command-line parser.
 *
 * A hand parser rather than getopt_long: global options are accepted on both
 * sides of the verb while the verb's own options are not accepted before it,
 * a lone "-" and a JSON argument are positionals, and errors must be one
 * line in our own words. getopt_long's permutation and its own messages on
 * stderr fit none of that, and the parser stays a pure function the unit
 * tests can drive.
 */
#include "tui/options.h"

#include <stdarg.h>
#include <string.h>

/* SCOPE_EXPORT options (--pool, --format, -o) are shared with audit. */
enum opt_scope { SCOPE_GLOBAL, SCOPE_CALL, SCOPE_EXPORT, SCOPE_AUDIT };

enum opt_id {
    OPT_PROFILE,
    OPT_REGION,
    OPT_ENDPOINT,
    OPT_READ_ONLY,
    OPT_THEME,
    OPT_HELP,
    OPT_VERSION,
    OPT_DRY_RUN,
    OPT_LIST,
    OPT_POOL,
    OPT_FORMAT,
    OPT_OUTPUT,
    OPT_ACCOUNT,
    OPT_ALL_REGIONS,
    OPT_FAIL_ON,
};

struct opt_def {
    const char *name; /* without the leading "--" */
    char short_name;  /* 0 = none */
    bool takes_value;
    enum opt_scope scope;
    enum opt_id id;
};

static const struct opt_def opt_table[] = {
    {"profile", 0, true, SCOPE_GLOBAL, OPT_PROFILE},
    {"region", 0, true, SCOPE_GLOBAL, OPT_REGION},
    {"endpoint-url", 0, true, SCOPE_GLOBAL, OPT_ENDPOINT},
    {"read-only", 0, false, SCOPE_GLOBAL, OPT_READ_ONLY},
    {"theme", 0, true, SCOPE_GLOBAL, OPT_THEME},
    {"help", 'h', false, SCOPE_GLOBAL, OPT_HELP},
    {"version", 0, false, SCOPE_GLOBAL, OPT_VERSION},
    {"dry-run", 0, false, SCOPE_CALL, OPT_DRY_RUN},
    {"list", 0, false, SCOPE_CALL, OPT_LIST},
    {"pool", 0, true, SCOPE_EXPORT, OPT_POOL},
    {"format", 0, true, SCOPE_EXPORT, OPT_FORMAT},
    {"output", 'o', true, SCOPE_EXPORT, OPT_OUTPUT},
    {"account", 0, true, SCOPE_EXPORT, OPT_ACCOUNT},
    {"all-regions", 0, false, SCOPE_AUDIT, OPT_ALL_REGIONS},
    {"fail-on", 0, true, SCOPE_AUDIT, OPT_FAIL_ON},
};

static int fail(char *errbuf, size_t errsize, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *errbuf, size_t errsize, const char *fmt, ...)
{
    va_list ap;

    if (errsize) {
        va_start(ap, fmt);
        vsnprintf(errbuf, errsize, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static const struct opt_def *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof opt_table / sizeof opt_table[0]; i++)
        if (strlen(opt_table[i].name) == len && memcmp(opt_table[i].name, name, len) == 0)
            return &opt_table[i];
    return NULL;
}

static const struct opt_def *find_short(char c)
{
    for (size_t i = 0; i < sizeof opt_table / sizeof opt_table[0]; i++)
        if (opt_table[i].short_name == c)
            return &opt_table[i];
    return NULL;
}

static const char *scope_verb(enum opt_scope scope)
{
    return scope == SCOPE_CALL ? "call" : scope == SCOPE_AUDIT ? "audit" : "export";
}

static bool scope_allows(enum opt_scope scope, enum cli_verb verb)
{
    switch (scope) {
    case SCOPE_GLOBAL:
        return true;
    case SCOPE_CALL:
        return verb == CLI_CALL;
    case SCOPE_EXPORT:
        return verb == CLI_EXPORT || verb == CLI_AUDIT;
    case SCOPE_AUDIT:
        return verb == CLI_AUDIT;
    }
    return false;
}

static int apply(struct command_line *cl, const struct opt_def *d, const char *shown,
                 const char *value, bool *help, bool *version, char *errbuf, size_t errsize)
{
    if (d->takes_value && value[0] == '\0')
        return fail(errbuf, errsize, "option %s needs a non-empty value", shown);
    switch (d->id) {
    case OPT_PROFILE:
        cl->global.config.profile = value;
        break;
    case OPT_REGION:
        cl->global.config.region = value;
        if (cl->audit.n_regions >= AUDIT_MAX_LIST)
            return fail(errbuf, errsize, "too many --region options (at most %d)", AUDIT_MAX_LIST);
        cl->audit.regions[cl->audit.n_regions++] = value;
        break;
    case OPT_ENDPOINT:
        cl->global.config.endpoint_url = value;
        break;
    case OPT_READ_ONLY:
        cl->global.config.read_only = true;
        break;
    case OPT_THEME:
        cl->global.theme = value;
        break;
    case OPT_HELP:
        *help = true;
        break;
    case OPT_VERSION:
        *version = true;
        break;
    case OPT_DRY_RUN:
        cl->call.dry_run = true;
        break;
    case OPT_LIST:
        cl->call.list = true;
        break;
    case OPT_POOL:
        if (cl->verb == CLI_AUDIT) {
            if (cl->audit.n_pools >= AUDIT_MAX_LIST)
                return fail(errbuf, errsize, "too many --pool options (at most %d)",
                            AUDIT_MAX_LIST);
            cl->audit.pools[cl->audit.n_pools++] = value;
            break;
        }
        cl->export_.pool = value;
        break;
    case OPT_FORMAT:
        if (cl->verb == CLI_AUDIT) {
            static const char *const formats[] = {"table", "json", "csv", "sarif", "markdown"};
            bool known = false;
            for (size_t k = 0; k < 5; k++)
                known = known || strcmp(value, formats[k]) == 0;
            if (!known)
                return fail(errbuf, errsize,
                            "--format must be table, json, csv, sarif or markdown, not '%.64s'",
                            value);
            cl->audit.format = value;
            break;
        }
        if (strcmp(value, "json") == 0)
            cl->export_.format = EXPORT_FORMAT_JSON;
        else if (strcmp(value, "csv") == 0)
            cl->export_.format = EXPORT_FORMAT_CSV;
        else
            return fail(errbuf, errsize, "--format must be json or csv, not '%.64s'", value);
        cl->export_.format_given = true;
        break;
    case OPT_OUTPUT:
        if (cl->verb == CLI_AUDIT)
            cl->audit.output = value;
        else
            cl->export_.output = value;
        break;
    case OPT_ACCOUNT:
        cl->export_.account = value;
        break;
    case OPT_ALL_REGIONS:
        cl->audit.all_regions = true;
        break;
    case OPT_FAIL_ON:
        if (strcmp(value, "info") != 0 && strcmp(value, "low") != 0 &&
            strcmp(value, "medium") != 0 && strcmp(value, "high") != 0)
            return fail(errbuf, errsize, "--fail-on must be info, low, medium or high, not '%.64s'",
                        value);
        cl->audit.fail_on = value;
        break;
    }
    return 0;
}

static int positional(struct command_line *cl, const char *arg, int *npos, char *errbuf,
                      size_t errsize)
{
    int n = (*npos)++;

    if (n == 0) {
        if (strcmp(arg, "call") == 0)
            cl->verb = CLI_CALL;
        else if (strcmp(arg, "export") == 0)
            cl->verb = CLI_EXPORT;
        else if (strcmp(arg, "audit") == 0)
            cl->verb = CLI_AUDIT;
        else if (strcmp(arg, "help") == 0)
            cl->verb = CLI_HELP;
        else
            return fail(errbuf, errsize, "unknown verb '%.64s' (verbs: call, export, audit)", arg);
        return 0;
    }
    if (cl->verb == CLI_CALL) {
        if (n == 1) {
            cl->call.operation = arg;
            return 0;
        }
        if (n == 2) {
            cl->call.input = arg;
            return 0;
        }
        return fail(errbuf, errsize,
                    "call takes one input argument (JSON, @file or -); extra argument '%.64s'",
                    arg);
    }
    if (cl->verb == CLI_EXPORT && n == 1) {
        cl->export_.kind = arg; /* checked by the verb, against its table */
        return 0;
    }
    return fail(errbuf, errsize, "unexpected argument '%.64s'", arg);
}

/* Checks that only make sense once every argument is seen. */
static int finish(struct command_line *cl, char *errbuf, size_t errsize)
{
    if (cl->verb == CLI_CALL) {
        if (cl->call.list) {
            if (cl->call.operation || cl->call.dry_run)
                return fail(errbuf, errsize, "call --list takes no operation and no --dry-run");
            return 0;
        }
        if (!cl->call.operation)
            return fail(errbuf, errsize,
                        "call needs an OPERATION (cognito-tui call --list shows them)");
        return 0;
    }
    if (cl->verb == CLI_AUDIT) {
        if (cl->export_.account)
            return fail(errbuf, errsize, "--account applies to export tags only");
        if (cl->audit.all_regions && cl->audit.n_regions > 1)
            return fail(errbuf, errsize, "--all-regions and --region R... are exclusive");
        return 0;
    }
    if (cl->verb == CLI_EXPORT && !cl->export_.kind)
        return fail(errbuf, errsize, "export needs what to export (e.g. export pools)");
    return 0;
}

int options_parse(int argc, const char *const argv[], struct command_line *out, char *errbuf,
                  size_t errsize)
{
    bool help = false, version = false, only_positionals = false;
    int npos = 0;

    memset(out, 0, sizeof *out);
    out->verb = CLI_CONSOLE;
    out->export_.format = EXPORT_FORMAT_JSON;
    if (errsize)
        errbuf[0] = '\0';

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const struct opt_def *d = NULL;
        const char *value = NULL;
        char shown[80];

        if (!only_positionals && strcmp(arg, "--") == 0) {
            only_positionals = true;
            continue;
        }
        if (only_positionals || arg[0] != '-' || arg[1] == '\0') {
            if (positional(out, arg, &npos, errbuf, errsize) < 0)
                return -1;
            continue;
        }
        if (arg[1] == '-') {
            const char *name = arg + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);

            d = find_long(name, len);
            snprintf(shown, sizeof shown, "--%.*s", (int)(len > 64 ? 64 : len), name);
            if (!d)
                return fail(errbuf, errsize, "unknown option %s", shown);
            if (eq) {
                if (!d->takes_value)
                    return fail(errbuf, errsize, "option %s takes no value", shown);
                value = eq + 1;
            }
        } else {
            d = find_short(arg[1]);
            snprintf(shown, sizeof shown, "-%c", arg[1]);
            if (!d)
                return fail(errbuf, errsize, "unknown option %s", shown);
            if (arg[2] != '\0') {
                if (!d->takes_value)
                    return fail(errbuf, errsize, "option %s takes no value", shown);
                value = arg + 2;
            }
        }
        if (!scope_allows(d->scope, out->verb)) {
            if (d->scope == SCOPE_EXPORT)
                return fail(errbuf, errsize,
                            "option %s belongs to the export and audit verbs (put it after "
                            "'export' or 'audit')",
                            shown);
            return fail(errbuf, errsize, "option %s belongs to the %s verb (put it after '%s')",
                        shown, scope_verb(d->scope), scope_verb(d->scope));
        }
        if (d->takes_value && !value) {
            if (i + 1 >= argc)
                return fail(errbuf, errsize, "option %s needs a value", shown);
            value = argv[++i];
        }
        if (apply(out, d, shown, value ? value : "", &help, &version, errbuf, errsize) < 0)
            return -1;
    }

    if (help || out->verb == CLI_HELP) {
        out->verb = CLI_HELP;
        return 0;
    }
    if (version) {
        out->verb = CLI_VERSION;
        return 0;
    }
    return finish(out, errbuf, errsize);
}

void options_print_usage(FILE *out)
{
    fputs("Usage:\n"
          "  cognito-tui [GLOBAL]                        the console\n"
          "  cognito-tui [GLOBAL] call OPERATION [JSON | @FILE | -] [--dry-run]\n"
          "  cognito-tui call --list\n"
          "  cognito-tui [GLOBAL] export pools|identities|roles|tags|pool-backup\n"
          "              [--pool ID] [--format json|csv] [-o FILE] [--account ID]\n"
          "  cognito-tui [GLOBAL] audit [--region R]... [--all-regions] [--pool ID]...\n"
          "              [--format table|json|csv|sarif|markdown] [-o FILE] [--fail-on SEV]\n"
          "  cognito-tui --help | --version\n"
          "\n"
          "Global options (before or after the verb):\n"
          "  --profile P         profile of the AWS config and credentials files\n"
          "  --region R          region (signing region, whatever the endpoint)\n"
          "  --endpoint-url URL  service endpoint (https, or http to a loopback address)\n"
          "  --read-only         refuse every call that is not a pure read\n"
          "  --theme T           console theme name or file\n"
          "\n"
          "call: sends one operation and prints the answer as JSON on stdout. The input\n"
          "  is inline JSON, @FILE (read from a file) or - (stdin); {} when absent.\n"
          "  --dry-run  print the signed request (signature and token redacted); send nothing\n"
          "  --list     print the operation names\n"
          "\n"
          "export: walks every page and streams rows (JSON array, or CSV with a header).\n"
          "  pools        ListIdentityPools\n"
          "  identities   ListIdentities of --pool (required)\n"
          "  roles        roles, role mappings and rules of --pool, or of every pool\n"
          "  tags         tags of --pool, or of every pool; the ARN needs the account id:\n"
          "               --account ID, else AWS_ACCOUNT_ID, the profile's aws_account_id\n"
          "               or STS GetCallerIdentity, else the account of the pool's role ARNs\n"
          "  pool-backup  one JSON document of --pool (required) that `call` replays\n"
          "  -o FILE      write FILE atomically (temporary file, then rename)\n"
          "\n"
          "Replaying a pool-backup B.json (one input a step; with jq):\n"
          "  id=$(jq .CreateIdentityPool B.json | cognito-tui call CreateIdentityPool - \\\n"
          "       | jq -r .IdentityPoolId)\n"
          "  jq --arg id \"$id\" '.SetIdentityPoolRoles | .IdentityPoolId=$id' B.json \\\n"
          "       | cognito-tui call SetIdentityPoolRoles -\n"
          "  jq -c --arg id \"$id\" '.SetPrincipalTagAttributeMap[] | .IdentityPoolId=$id' \\\n"
          "       B.json | while read -r m; do\n"
          "         cognito-tui call SetPrincipalTagAttributeMap \"$m\"; done\n"
          "  Tags travel in CreateIdentityPool's IdentityPoolTags. Identities are not\n"
          "  part of a backup (they cannot be recreated with their ids).\n"
          "\n"
          "audit: every pool of the Regions joined with its roles' IAM policies (reads\n"
          "  only: cognito-identity Describe/Get/List, IAM GetRole, ListRolePolicies,\n"
          "  GetRolePolicy, ListAttachedRolePolicies, GetPolicy, GetPolicyVersion).\n"
          "  Checks CIP-001..CIP-012 (CIP-000: could not be read). IAM's endpoint:\n"
          "  AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL, [services] iam, else the partition's.\n"
          "  --region R       audit R (repeatable); default: the configured Region\n"
          "  --all-regions    every Region of cognito-identity\n"
          "  --pool ID        only these pools (repeatable; the Region is the id's prefix)\n"
          "  --format F       table (default), json, csv, sarif (2.1.0) or markdown\n"
          "  -o FILE          write FILE atomically\n"
          "  --fail-on SEV    exit 7 when a finding is at or above info|low|medium|high\n"
          "\n"
          "Exit codes: 0 ok, 1 AWS or HTTP error, 2 usage or invalid input,\n"
          "  3 refused by read-only mode, 4 transport or TLS, 5 credentials or configuration,\n"
          "  6 a change was sent and its outcome is unknown (it may have been applied),\n"
          "  7 audit found a problem at or above --fail-on.\n"
          "  Ctrl-C during a change waits at most 2 s for its answer; a second one stops at once.\n"
          "Errors are one line on stderr: cognito-tui: <Kind>: <message> (request id ...)\n",
          out);
}
