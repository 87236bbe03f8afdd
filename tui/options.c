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

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The verbs an option belongs to (bits); 0 = global. */
enum opt_scope {
    SCOPE_GLOBAL = 0,
    SCOPE_CALL = 1 << 0,
    SCOPE_EXPORT = 1 << 1,
    SCOPE_AUDIT = 1 << 2,
    SCOPE_INVENTORY = 1 << 3,
    SCOPE_PRUNE = 1 << 4,
    SCOPE_DOCTOR = 1 << 5,
};

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
    OPT_REFRESH,
    OPT_DISABLED,
    OPT_UNAUTHENTICATED,
    OPT_PROVIDER,
    OPT_MODIFIED_BEFORE,
    OPT_IDLE_DAYS,
    OPT_CREATED_BEFORE,
    OPT_LIMIT,
    OPT_YES,
    OPT_RATE_SHARE,
    OPT_LOGIN,
    OPT_DEVELOPER_USER,
    OPT_LIVE,
    OPT_ERROR,
};

struct opt_def {
    const char *name; /* without the leading "--" */
    char short_name;  /* 0 = none */
    bool takes_value;
    unsigned scope; /* enum opt_scope bits */
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
    {"dry-run", 0, false, SCOPE_CALL | SCOPE_PRUNE, OPT_DRY_RUN},
    {"list", 0, false, SCOPE_CALL, OPT_LIST},
    {"pool", 0, true, SCOPE_EXPORT | SCOPE_AUDIT | SCOPE_INVENTORY | SCOPE_PRUNE | SCOPE_DOCTOR,
     OPT_POOL},
    {"format", 0, true, SCOPE_EXPORT | SCOPE_AUDIT | SCOPE_INVENTORY | SCOPE_PRUNE | SCOPE_DOCTOR,
     OPT_FORMAT},
    {"output", 'o', true, SCOPE_EXPORT | SCOPE_AUDIT, OPT_OUTPUT},
    {"account", 0, true, SCOPE_EXPORT | SCOPE_AUDIT, OPT_ACCOUNT},
    {"all-regions", 0, false, SCOPE_AUDIT, OPT_ALL_REGIONS},
    {"fail-on", 0, true, SCOPE_AUDIT, OPT_FAIL_ON},
    {"refresh", 0, false, SCOPE_INVENTORY, OPT_REFRESH},
    {"disabled", 0, false, SCOPE_INVENTORY | SCOPE_PRUNE, OPT_DISABLED},
    {"unauthenticated", 0, false, SCOPE_PRUNE | SCOPE_DOCTOR, OPT_UNAUTHENTICATED},
    {"provider", 0, true, SCOPE_PRUNE, OPT_PROVIDER},
    {"modified-before", 0, true, SCOPE_PRUNE, OPT_MODIFIED_BEFORE},
    {"idle-days", 0, true, SCOPE_PRUNE, OPT_IDLE_DAYS},
    {"created-before", 0, true, SCOPE_PRUNE, OPT_CREATED_BEFORE},
    {"limit", 0, true, SCOPE_PRUNE, OPT_LIMIT},
    {"yes", 0, false, SCOPE_PRUNE, OPT_YES},
    {"rate-share", 0, true, SCOPE_INVENTORY | SCOPE_PRUNE, OPT_RATE_SHARE},
    {"login", 0, true, SCOPE_DOCTOR, OPT_LOGIN},
    {"developer-user", 0, true, SCOPE_DOCTOR, OPT_DEVELOPER_USER},
    {"live", 0, false, SCOPE_DOCTOR, OPT_LIVE},
    {"error", 0, true, SCOPE_DOCTOR, OPT_ERROR},
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

static unsigned verb_scope(enum cli_verb verb)
{
    switch (verb) {
    case CLI_CALL:
        return SCOPE_CALL;
    case CLI_EXPORT:
        return SCOPE_EXPORT;
    case CLI_AUDIT:
        return SCOPE_AUDIT;
    case CLI_INVENTORY:
        return SCOPE_INVENTORY;
    case CLI_PRUNE:
        return SCOPE_PRUNE;
    case CLI_DOCTOR:
        return SCOPE_DOCTOR;
    default:
        return 0;
    }
}

static bool scope_allows(unsigned scope, enum cli_verb verb)
{
    return scope == SCOPE_GLOBAL || (scope & verb_scope(verb)) != 0;
}

/* "the export verb", "the export, audit and prune verbs" (table order). */
static void scope_verbs(unsigned scope, char *buf, size_t size)
{
    static const char *const names[] = {"call", "export", "audit", "inventory", "prune", "doctor"};
    const size_t n_names = sizeof names / sizeof names[0];
    size_t n = 0, len, total = 0;

    for (size_t i = 0; i < n_names; i++)
        total += (scope >> i) & 1;
    len = (size_t)snprintf(buf, size, "the ");
    for (size_t i = 0; i < n_names && len < size; i++) {
        if (!((scope >> i) & 1))
            continue;
        const char *sep = n == 0 ? "" : n + 1 == total ? " and " : ", ";
        len += (size_t)snprintf(buf + len, size - len, "%s%s", sep, names[i]);
        n++;
    }
    if (len < size)
        snprintf(buf + len, size - len, total > 1 ? " verbs" : " verb");
}

/* A whole number from lo to hi. */
static int parse_count(const char *shown, const char *value, long lo, long hi, long *out,
                       char *errbuf, size_t errsize)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < lo || v > hi)
        return fail(errbuf, errsize, "%s must be a whole number from %ld to %ld, not '%.32s'",
                    shown, lo, hi, value);
    *out = v;
    return 0;
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
        if (cl->verb == CLI_PRUNE)
            cl->prune.dry_run = true;
        else
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
        if (cl->verb == CLI_INVENTORY)
            cl->inventory.pool = value;
        else if (cl->verb == CLI_DOCTOR)
            cl->doctor.pool = value;
        else if (cl->verb == CLI_PRUNE)
            cl->prune.pool = value;
        else
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
        if (cl->verb == CLI_INVENTORY) {
            if (strcmp(value, "table") != 0 && strcmp(value, "json") != 0)
                return fail(errbuf, errsize, "--format must be table or json, not '%.64s'", value);
            cl->inventory.json = strcmp(value, "json") == 0;
            break;
        }
        if (cl->verb == CLI_PRUNE || cl->verb == CLI_DOCTOR) {
            if (strcmp(value, "text") != 0 && strcmp(value, "json") != 0)
                return fail(errbuf, errsize, "--format must be text or json, not '%.64s'", value);
            if (cl->verb == CLI_PRUNE)
                cl->prune.json = strcmp(value, "json") == 0;
            else
                cl->doctor.json = strcmp(value, "json") == 0;
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
    case OPT_REFRESH:
        cl->inventory.refresh = true;
        break;
    case OPT_DISABLED:
        if (cl->verb == CLI_INVENTORY)
            cl->inventory.disabled = true;
        else
            cl->prune.disabled = true;
        break;
    case OPT_UNAUTHENTICATED:
        if (cl->verb == CLI_DOCTOR)
            cl->doctor.unauthenticated = true;
        else
            cl->prune.unauthenticated = true;
        break;
    case OPT_LOGIN:
        if (!strchr(value, '=') || value[0] == '=')
            return fail(errbuf, errsize, "--login takes PROVIDER=TOKEN or PROVIDER=@FILE");
        cl->doctor.login = value;
        break;
    case OPT_DEVELOPER_USER:
        cl->doctor.developer_user = value;
        break;
    case OPT_LIVE:
        cl->doctor.live = true;
        break;
    case OPT_ERROR:
        cl->doctor.error = value;
        break;
    case OPT_PROVIDER:
        cl->prune.provider = value;
        break;
    case OPT_MODIFIED_BEFORE:
        cl->prune.modified_before = value;
        break;
    case OPT_IDLE_DAYS: {
        long v;
        if (parse_count(shown, value, 1, 36500, &v, errbuf, errsize) < 0)
            return -1;
        cl->prune.idle_days = (int)v;
        break;
    }
    case OPT_CREATED_BEFORE:
        cl->prune.created_before = value;
        break;
    case OPT_LIMIT:
        if (parse_count(shown, value, 1, 1000000000L, &cl->prune.limit, errbuf, errsize) < 0)
            return -1;
        break;
    case OPT_YES:
        cl->prune.yes = true;
        break;
    case OPT_RATE_SHARE: {
        long v;
        if (parse_count(shown, value, 1, 1000, &v, errbuf, errsize) < 0)
            return -1;
        if (cl->verb == CLI_INVENTORY)
            cl->inventory.rate_share = (int)v;
        else
            cl->prune.rate_share = (int)v;
        break;
    }
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
        else if (strcmp(arg, "inventory") == 0)
            cl->verb = CLI_INVENTORY;
        else if (strcmp(arg, "prune") == 0)
            cl->verb = CLI_PRUNE;
        else if (strcmp(arg, "doctor") == 0)
            cl->verb = CLI_DOCTOR;
        else if (strcmp(arg, "help") == 0)
            cl->verb = CLI_HELP;
        else
            return fail(errbuf, errsize,
                        "unknown verb '%.64s' (verbs: call, export, audit, inventory, prune, "
                        "doctor)",
                        arg);
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
    if (cl->verb == CLI_INVENTORY) {
        if (!cl->inventory.pool)
            return fail(errbuf, errsize, "inventory needs --pool ID");
        return 0;
    }
    if (cl->verb == CLI_PRUNE) {
        const struct prune_options *p = &cl->prune;
        if (!p->pool)
            return fail(errbuf, errsize, "prune needs --pool ID");
        if (!p->unauthenticated && !p->provider && !p->modified_before && !p->idle_days &&
            !p->created_before && !p->disabled)
            return fail(errbuf, errsize,
                        "prune needs at least one filter: --unauthenticated, --provider, "
                        "--modified-before, --idle-days, --created-before or --disabled");
        if (p->modified_before && p->idle_days)
            return fail(errbuf, errsize,
                        "--modified-before and --idle-days are the same filter: "
                        "give one of them");
        if (p->unauthenticated && p->provider)
            return fail(errbuf, errsize,
                        "--unauthenticated (no login) and --provider (a login) match nothing "
                        "together");
        return 0;
    }
    if (cl->verb == CLI_DOCTOR) {
        const struct doctor_cli_options *d = &cl->doctor;
        int who = (d->login != NULL) + d->unauthenticated + (d->developer_user != NULL);
        if (who > 1)
            return fail(errbuf, errsize,
                        "give one of --login, --unauthenticated and --developer-user");
        if (who == 0 && !d->error)
            return fail(errbuf, errsize,
                        "doctor needs --login PROVIDER=TOKEN, --unauthenticated or "
                        "--developer-user ID (or --error \"MESSAGE\" alone)");
        if (who == 1 && !d->pool)
            return fail(errbuf, errsize, "doctor needs --pool ID");
        if (d->live && who == 0)
            return fail(errbuf, errsize, "--live needs a login to try");
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
    out->prune.rate_share = 100;
    out->inventory.rate_share = 100;
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
            char verbs[80];
            scope_verbs(d->scope, verbs, sizeof verbs);
            return fail(errbuf, errsize, "option %s belongs to %s (put it after the verb)", shown,
                        verbs);
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
          "  cognito-tui [GLOBAL] inventory --pool ID [--refresh] [--disabled]\n"
          "              [--rate-share PCT] [--format table|json]\n"
          "  cognito-tui [GLOBAL] prune --pool ID FILTER... [--limit N] [--dry-run] [--yes]\n"
          "              [--rate-share PCT] [--format text|json]\n"
          "  cognito-tui [GLOBAL] doctor --pool ID (--login PROVIDER=TOKEN|PROVIDER=@FILE |\n"
          "              --unauthenticated | --developer-user ID) [--live] [--format text|json]\n"
          "              [--error \"MESSAGE\"]\n"
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
          "inventory: lists every identity of --pool into a SQLite file under\n"
          "  $XDG_STATE_HOME/cognito-tui/inventory/ and prints its counts (total,\n"
          "  unauthenticated, by provider, idle 7/30/90/365 days, disabled, age).\n"
          "  Without an inventory it lists; with one, it prints the stored counts.\n"
          "  --refresh   list again (incremental; an interrupted listing resumes)\n"
          "  --disabled  also list with HideDisabled to count disabled identities\n"
          "              (a second full listing)\n"
          "  --rate-share PCT  as for prune\n"
          "\n"
          "prune: deletes the identities of --pool that match every FILTER, decided\n"
          "  from the service's own listing at run time; resumable (Ctrl-C stops after\n"
          "  the batch in flight; running it again continues), one job a pool.\n"
          "  FILTER: --unauthenticated     no linked login\n"
          "          --provider NAME       a login of provider NAME\n"
          "          --modified-before T   not modified since T (ISO 8601:\n"
          "                                2024-01-01 or 2024-01-01T13:11:06Z)\n"
          "          --idle-days N         not modified for N days\n"
          "          --created-before T    created before T\n"
          "          --disabled            disabled (a second listing, HideDisabled)\n"
          "  --limit N         delete at most N of the matching identities\n"
          "  --dry-run         list and count, show a sample, delete nothing\n"
          "  --yes             do not ask; without it a terminal must type the count\n"
          "                    and no terminal means refusal (exit 2)\n"
          "  --rate-share PCT  use at most PCT % of the published request rates\n"
          "                    (default 100; above 100 only if AWS raised your quota)\n"
          "\n"
          "doctor: why a login does (or does not) get credentials from --pool, step by\n"
          "  step: token (decodes; a user pool's ID token, not expired, signature checked\n"
          "  against the issuer's key set), provider, unauthenticated, role (the pool's\n"
          "  rules as the service applies them), trust (the role's trust policy, read\n"
          "  from IAM), tags (principal tags), and with --live the service itself.\n"
          "  Stops at the first step that fails and says what to fix.\n"
          "  --login PROVIDER=TOKEN   the Logins entry to check (PROVIDER=@FILE: read the\n"
          "                           token from FILE; it is never printed)\n"
          "  --unauthenticated        a guest;  --developer-user ID  a developer user\n"
          "  --live       also call GetId + GetCredentialsForIdentity (creates an identity;\n"
          "               refused in read-only mode) and say whether the service agreed\n"
          "  --format F   text (default) or json\n"
          "  --error \"MESSAGE\"  which step a pasted service error comes from and what to\n"
          "               check (alone, or with a login to run the steps too)\n"
          "  Key sets: AWS_ENDPOINT_URL_COGNITO_IDP, AWS_ENDPOINT_URL, [services]\n"
          "  cognito_idp, else https://cognito-idp.REGION.amazonaws.com.\n"
          "\n"
          "Exit codes: 0 ok, 1 AWS or HTTP error, 2 usage or invalid input,\n"
          "  3 refused by read-only mode, 4 transport or TLS, 5 credentials or configuration,\n"
          "  6 a change was sent and its outcome is unknown (it may have been applied),\n"
          "  7 audit found a problem at or above --fail-on, or a doctor step failed.\n"
          "  Ctrl-C during a change waits at most 2 s for its answer; a second one stops at once.\n"
          "  130: inventory or prune stopped by Ctrl-C (run it again to continue).\n"
          "Errors are one line on stderr: cognito-tui: <Kind>: <message> (request id ...)\n",
          out);
}
