/* Unit tests of the command-line parser (tui/options.c). */
#include "tests/unit/check.h"
#include "tui/options.h"

#define ARGV(...) ((const char *const[]){"cognito-tui", __VA_ARGS__, NULL})
#define ARGC(...)                                                                                  \
    ((int)(sizeof((const char *const[]){"cognito-tui", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(cl, err, ...) options_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), cl, err, sizeof err)

static void test_no_arguments_is_the_console(void)
{
    struct command_line cl;
    char err[256];
    const char *const argv[] = {"cognito-tui", NULL};

    CHECK_INT_EQ(options_parse(1, argv, &cl, err, sizeof err), 0);
    CHECK_INT_EQ(cl.verb, CLI_CONSOLE);
    CHECK(cl.global.config.profile == NULL);
    CHECK(!cl.global.config.read_only);
}

static void test_globals_before_and_after_the_verb(void)
{
    struct command_line cl;
    char err[256];

    CHECK_INT_EQ(PARSE(&cl, err, "--profile", "admin", "call", "ListIdentityPools",
                       "{\"MaxResults\":1}", "--region=eu-west-1", "--read-only", "--endpoint-url",
                       "http://127.0.0.1:9"),
                 0);
    CHECK_INT_EQ(cl.verb, CLI_CALL);
    CHECK_STR_EQ(cl.global.config.profile, "admin");
    CHECK_STR_EQ(cl.global.config.region, "eu-west-1");
    CHECK_STR_EQ(cl.global.config.endpoint_url, "http://127.0.0.1:9");
    CHECK(cl.global.config.read_only);
    CHECK_STR_EQ(cl.call.operation, "ListIdentityPools");
    CHECK_STR_EQ(cl.call.input, "{\"MaxResults\":1}");
    CHECK(!cl.call.dry_run);
}

static void test_console_with_globals(void)
{
    struct command_line cl;
    char err[256];

    CHECK_INT_EQ(PARSE(&cl, err, "--theme", "mono", "--read-only"), 0);
    CHECK_INT_EQ(cl.verb, CLI_CONSOLE);
    CHECK_STR_EQ(cl.global.theme, "mono");
    CHECK(cl.global.config.read_only);
}

static void test_call_dry_run_stdin_and_dash_dash(void)
{
    struct command_line cl;
    char err[256];

    CHECK_INT_EQ(PARSE(&cl, err, "call", "--dry-run", "GetId", "-"), 0);
    CHECK(cl.call.dry_run);
    CHECK_STR_EQ(cl.call.operation, "GetId");
    CHECK_STR_EQ(cl.call.input, "-");
    CHECK_INT_EQ(PARSE(&cl, err, "call", "GetId", "--", "-x"), 0);
    CHECK_STR_EQ(cl.call.input, "-x");
    CHECK_INT_EQ(PARSE(&cl, err, "call", "DescribeIdentityPool", "@in.json"), 0);
    CHECK_STR_EQ(cl.call.input, "@in.json");
    CHECK_INT_EQ(PARSE(&cl, err, "call", "--list"), 0);
    CHECK(cl.call.list);
}

static void test_export_options(void)
{
    struct command_line cl;
    char err[256];

    CHECK_INT_EQ(PARSE(&cl, err, "export", "identities", "--pool", "us-east-1:abc", "--format",
                       "csv", "-o", "out.csv", "--profile", "p"),
                 0);
    CHECK_INT_EQ(cl.verb, CLI_EXPORT);
    CHECK_STR_EQ(cl.export_.kind, "identities");
    CHECK_INT_EQ(cl.export_.format, EXPORT_FORMAT_CSV);
    CHECK(cl.export_.format_given);
    CHECK_STR_EQ(cl.export_.pool, "us-east-1:abc");
    CHECK_STR_EQ(cl.export_.output, "out.csv");
    CHECK_STR_EQ(cl.global.config.profile, "p");
    CHECK_INT_EQ(PARSE(&cl, err, "export", "pools", "-oX.json"), 0);
    CHECK_STR_EQ(cl.export_.output, "X.json");
    CHECK_INT_EQ(cl.export_.format, EXPORT_FORMAT_JSON);
    CHECK(!cl.export_.format_given);
    CHECK_INT_EQ(PARSE(&cl, err, "export", "tags", "--account=123456789012"), 0);
    CHECK_STR_EQ(cl.export_.account, "123456789012");
    CHECK_INT_EQ(PARSE(&cl, err, "export", "pool-backup", "--pool", "x:1"), 0);
    CHECK_STR_EQ(cl.export_.kind, "pool-backup");
    /* The kind's meaning is the verb's (export_check(), test_tui_export.c). */
    CHECK_INT_EQ(PARSE(&cl, err, "export", "users"), 0);
    CHECK_STR_EQ(cl.export_.kind, "users");
}

static void test_help_and_version(void)
{
    struct command_line cl;
    char err[256];

    CHECK_INT_EQ(PARSE(&cl, err, "--help"), 0);
    CHECK_INT_EQ(cl.verb, CLI_HELP);
    CHECK_INT_EQ(PARSE(&cl, err, "call", "-h"), 0);
    CHECK_INT_EQ(cl.verb, CLI_HELP);
    CHECK_INT_EQ(PARSE(&cl, err, "--version"), 0);
    CHECK_INT_EQ(cl.verb, CLI_VERSION);
}

static void test_inventory_and_prune_options(void)
{
    struct command_line cl;
    char err[256];

    CHECK_INT_EQ(PARSE(&cl, err, "inventory", "--pool", "p:1", "--refresh", "--disabled",
                       "--format", "json", "--region", "eu-west-1"),
                 0);
    CHECK_INT_EQ(cl.verb, CLI_INVENTORY);
    CHECK_STR_EQ(cl.inventory.pool, "p:1");
    CHECK(cl.inventory.refresh && cl.inventory.disabled && cl.inventory.json);
    CHECK_INT_EQ(cl.inventory.rate_share, 100);
    CHECK_STR_EQ(cl.global.config.region, "eu-west-1");
    CHECK_INT_EQ(PARSE(&cl, err, "inventory", "--pool", "p:1", "--rate-share", "400"), 0);
    CHECK_INT_EQ(cl.inventory.rate_share, 400);
    CHECK_INT_EQ(PARSE(&cl, err, "inventory", "--pool", "p:1", "--format", "table"), 0);
    CHECK(!cl.inventory.json);

    CHECK_INT_EQ(PARSE(&cl, err, "prune", "--pool", "p:1", "--unauthenticated", "--idle-days", "90",
                       "--created-before", "2024-01-01", "--disabled", "--limit", "500",
                       "--dry-run", "--yes", "--rate-share", "40", "--format=json"),
                 0);
    CHECK_INT_EQ(cl.verb, CLI_PRUNE);
    CHECK_STR_EQ(cl.prune.pool, "p:1");
    CHECK(cl.prune.unauthenticated && cl.prune.disabled && cl.prune.dry_run && cl.prune.yes);
    CHECK_INT_EQ(cl.prune.idle_days, 90);
    CHECK_STR_EQ(cl.prune.created_before, "2024-01-01");
    CHECK_INT_EQ(cl.prune.limit, 500);
    CHECK_INT_EQ(cl.prune.rate_share, 40);
    CHECK(cl.prune.json);
    CHECK(!cl.call.dry_run); /* --dry-run went to prune */
    CHECK_INT_EQ(PARSE(&cl, err, "prune", "--pool", "p:1", "--provider", "graph.facebook.com",
                       "--modified-before", "2024-01-01T00:00:00Z"),
                 0);
    CHECK_INT_EQ(cl.prune.rate_share, 100); /* the default */
    CHECK_INT_EQ(cl.prune.limit, 0);
    CHECK_STR_EQ(cl.prune.provider, "graph.facebook.com");
    CHECK_STR_EQ(cl.prune.modified_before, "2024-01-01T00:00:00Z");

    /* Refusals, each naming the problem. */
    CHECK_INT_EQ(PARSE(&cl, err, "prune", "--pool", "p:1"), -1);
    CHECK(strstr(err, "at least one filter") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "prune", "--unauthenticated"), -1);
    CHECK(strstr(err, "--pool") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "prune", "--pool", "p", "--idle-days", "3", "--modified-before",
                       "2024-01-01"),
                 -1);
    CHECK_INT_EQ(PARSE(&cl, err, "prune", "--pool", "p", "--unauthenticated", "--provider", "x"),
                 -1);
    const char *bad_numbers[][2] = {{"--idle-days", "0"},     {"--idle-days", "36501"},
                                    {"--idle-days", "9x"},    {"--limit", "0"},
                                    {"--rate-share", "1001"}, {"--rate-share", "-5"}};
    for (size_t i = 0; i < sizeof bad_numbers / sizeof bad_numbers[0]; i++) {
        CHECK_INT_EQ(PARSE(&cl, err, "prune", "--pool", "p", "--disabled", bad_numbers[i][0],
                           bad_numbers[i][1]),
                     -1);
        CHECK(strstr(err, bad_numbers[i][0]) != NULL);
    }
    CHECK_INT_EQ(PARSE(&cl, err, "prune", "--pool", "p", "--disabled", "--format", "table"), -1);
    CHECK(strstr(err, "text or json") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "inventory", "--pool", "p", "--format", "text"), -1);
    CHECK(strstr(err, "table or json") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "inventory", "--pool", "p", "--yes"), -1);
    CHECK(strstr(err, "the prune verb") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "export", "pools", "--refresh"), -1);
    CHECK(strstr(err, "the inventory verb") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "--pool", "p", "prune", "--disabled"), -1);
    CHECK(strstr(err, "the export, audit, inventory, prune and doctor verbs") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "call", "GetId", "--disabled"), -1);
    CHECK(strstr(err, "the inventory and prune verbs") != NULL);
}

/* Each bad command line fails with a message naming what is wrong. */
static void test_usage_errors(void)
{
    struct command_line cl;
    char err[256];

    CHECK_INT_EQ(PARSE(&cl, err, "--bogus"), -1);
    CHECK(strstr(err, "--bogus") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "frobnicate"), -1);
    CHECK(strstr(err, "frobnicate") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "--region"), -1);
    CHECK(strstr(err, "needs a value") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "--region="), -1);
    CHECK(strstr(err, "non-empty") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "--read-only=yes"), -1);
    CHECK(strstr(err, "takes no value") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "--dry-run", "call", "GetId"), -1);
    CHECK(strstr(err, "call") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "--pool", "x", "export", "identities"), -1);
    CHECK(strstr(err, "export") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "call", "--pool", "x"), -1);
    CHECK_INT_EQ(PARSE(&cl, err, "call"), -1);
    CHECK(strstr(err, "OPERATION") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "call", "GetId", "{}", "{}"), -1);
    CHECK(strstr(err, "extra") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "export"), -1);
    CHECK(strstr(err, "export") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "export", "pools", "--format", "xml"), -1);
    CHECK(strstr(err, "xml") != NULL);
    CHECK_INT_EQ(PARSE(&cl, err, "export", "pools", "extra"), -1);
    CHECK_INT_EQ(PARSE(&cl, err, "call", "--list", "GetId"), -1);
    CHECK_INT_EQ(PARSE(&cl, err, "-x"), -1);
    CHECK(strchr(err, '\n') == NULL);
}

int main(void)
{
    RUN(test_no_arguments_is_the_console);
    RUN(test_globals_before_and_after_the_verb);
    RUN(test_console_with_globals);
    RUN(test_call_dry_run_stdin_and_dash_dash);
    RUN(test_export_options);
    RUN(test_help_and_version);
    RUN(test_usage_errors);
    RUN(test_inventory_and_prune_options);
    return check_finish();
}
