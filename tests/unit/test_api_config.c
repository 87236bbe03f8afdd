/* Tests of api_config_resolve(): the AWS CLI v2 order of every setting. */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

#include "api/config.h"
#include "tests/unit/check.h"
#include "tests/unit/test_api_credentials_env.h"

static const char *CONFIG = "[default]\n"
                            "region = eu-west-1\n"
                            "[profile admin]\n"
                            "region = us-east-2\n"
                            "max_attempts = 7\n"
                            "ca_bundle = ~/ca.pem\n"
                            "cognito_tui_read_only = true\n"
                            "[profile keys-in-config]\n"
                            "region = ap-south-1\n"
                            "aws_access_key_id = AKIDCONFIG\n"
                            "aws_secret_access_key = secret-config\n"
                            "[profile both]\n"
                            "region = sa-east-1\n"
                            "aws_access_key_id = AKIDCONFIGBOTH\n"
                            "aws_secret_access_key = secret-config-both\n";

static const char *CREDENTIALS = "[default]\n"
                                 "aws_access_key_id = AKIDDEFAULT\n"
                                 "aws_secret_access_key = secret-default\n"
                                 "[admin]\n"
                                 "aws_access_key_id = AKIDADMIN\n"
                                 "aws_secret_access_key = secret-admin\n"
                                 "aws_session_token = token-admin\n"
                                 "[both]\n"
                                 "aws_access_key_id = AKIDCREDSBOTH\n"
                                 "aws_secret_access_key = secret-creds-both\n";

static void setup(void)
{
    tenv_reset();
    tenv_write(".aws/config", CONFIG);
    tenv_write(".aws/credentials", CREDENTIALS);
}

/* Resolves and fetches the credentials' access key id (into key). */
static int resolve(const struct api_config_options *opt, struct api_config *cfg,
                   struct api_error *err, char *key, size_t key_size)
{
    struct api_credentials c = {0};

    api_error_clear(err);
    if (api_config_resolve(opt, cfg, err) != 0)
        return -1;
    if (key) {
        key[0] = '\0';
        if (api_credentials_get(cfg->credentials, time(NULL), &c, err) != 0)
            return -2;
        snprintf(key, key_size, "%s", c.access_key_id);
        api_credentials_clear(&c);
    }
    return 0;
}

static void test_default_profile(void)
{
    struct api_config_options opt = {0};
    struct api_config cfg;
    struct api_error err;
    char key[64];

    setup();
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, key, sizeof key), 0);
    CHECK_STR_EQ(cfg.profile, "default");
    CHECK_STR_EQ(cfg.region, "eu-west-1");
    CHECK_STR_EQ(cfg.endpoint_url, "https://cognito-identity.eu-west-1.amazonaws.com");
    CHECK_STR_EQ(key, "AKIDDEFAULT");
    CHECK_STR_EQ(api_credentials_source(cfg.credentials), "profile default");
    CHECK_INT_EQ(cfg.max_attempts, 3);
    CHECK(!cfg.read_only);
    CHECK(cfg.ca_bundle == NULL);
    api_config_free(&cfg);
}

static void test_named_profile_settings(void)
{
    struct api_config_options opt = {.profile = "admin"};
    struct api_config cfg;
    struct api_error err;
    struct api_credentials c = {0};
    char expect_ca[128];

    setup();
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_STR_EQ(cfg.profile, "admin");
    CHECK_STR_EQ(cfg.region, "us-east-2");
    CHECK_INT_EQ(cfg.max_attempts, 7);
    CHECK(cfg.read_only);
    snprintf(expect_ca, sizeof expect_ca, "%s/ca.pem", tenv_home);
    CHECK_STR_EQ(cfg.ca_bundle, expect_ca);
    CHECK_INT_EQ(api_credentials_get(cfg.credentials, time(NULL), &c, &err), 0);
    CHECK_STR_EQ(c.access_key_id, "AKIDADMIN");
    CHECK_STR_EQ(c.secret_access_key, "secret-admin");
    CHECK_STR_EQ(c.session_token, "token-admin");
    CHECK_STR_EQ(api_credentials_source(cfg.credentials), "profile admin");
    api_credentials_clear(&c);
    api_config_free(&cfg);
}

static void test_environment_keys_win_unless_profile_given(void)
{
    struct api_config_options opt = {0};
    struct api_config cfg;
    struct api_error err;
    char key[64];

    setup();
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secret-env", 1);
    setenv("AWS_PROFILE", "admin", 1);
    /* AWS_PROFILE picks the profile, yet the environment's keys still come first. */
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, key, sizeof key), 0);
    CHECK_STR_EQ(key, "AKIDENV");
    CHECK_STR_EQ(cfg.profile, "admin");
    CHECK_STR_EQ(api_credentials_source(cfg.credentials), "env");
    api_config_free(&cfg);

    /* --profile skips the environment's keys. */
    opt.profile = "admin";
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, key, sizeof key), 0);
    CHECK_STR_EQ(key, "AKIDADMIN");
    api_config_free(&cfg);
}

static void test_environment_partial_keys(void)
{
    struct api_config_options opt = {0};
    struct api_config cfg;
    struct api_error err;

    setup();
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK(tenv_contains(err.message, "AWS_SECRET_ACCESS_KEY"));
}

static void test_credentials_file_before_config_file(void)
{
    struct api_config_options opt = {.profile = "both"};
    struct api_config cfg;
    struct api_error err;
    char key[64];

    setup();
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, key, sizeof key), 0);
    CHECK_STR_EQ(key, "AKIDCREDSBOTH");
    api_config_free(&cfg);
    opt.profile = "keys-in-config";
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, key, sizeof key), 0);
    CHECK_STR_EQ(key, "AKIDCONFIG");
    CHECK_STR_EQ(api_credentials_source(cfg.credentials), "profile keys-in-config");
    api_config_free(&cfg);
}

static void test_unknown_profile(void)
{
    struct api_config_options opt = {.profile = "nobody"};
    struct api_config cfg;
    struct api_error err;

    setup();
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK(tenv_contains(err.message, "\"nobody\" (from --profile)"));
    CHECK(cfg.profile == NULL && cfg.credentials == NULL);

    opt.profile = NULL;
    setenv("AWS_PROFILE", "ghost", 1);
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK(tenv_contains(err.message, "\"ghost\" (from AWS_PROFILE)"));
    CHECK_INT_EQ(api_error_exit_code(&err), 5);
}

static void test_default_profile_need_not_exist(void)
{
    struct api_config_options opt = {.region = "us-west-2"};
    struct api_config cfg;
    struct api_error err;

    tenv_reset(); /* no files at all */
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_STR_EQ(cfg.profile, "default");
    /* No source at all: the error comes when credentials are asked for. */
    struct api_credentials c = {0};
    CHECK_INT_EQ(api_credentials_get(cfg.credentials, time(NULL), &c, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK(tenv_contains(err.message, "no credentials found for profile default"));
    CHECK(tenv_contains(err.message, "AWS_EC2_METADATA_DISABLED"));
    api_config_free(&cfg);
}

static void test_region_order(void)
{
    struct api_config_options opt = {0};
    struct api_config cfg;
    struct api_error err;

    setup();
    setenv("AWS_DEFAULT_REGION", "ca-central-1", 1);
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_STR_EQ(cfg.region, "ca-central-1"); /* over the profile's */
    api_config_free(&cfg);
    setenv("AWS_REGION", "eu-north-1", 1);
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_STR_EQ(cfg.region, "eu-north-1"); /* over AWS_DEFAULT_REGION */
    CHECK_STR_EQ(cfg.endpoint_url, "https://cognito-identity.eu-north-1.amazonaws.com");
    api_config_free(&cfg);
    opt.region = "me-south-1";
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_STR_EQ(cfg.region, "me-south-1"); /* --region over all */
    api_config_free(&cfg);
}

static void test_missing_or_bad_region(void)
{
    struct api_config_options opt = {0};
    struct api_config cfg;
    struct api_error err;

    tenv_reset();
    tenv_write(".aws/config", "[default]\noutput = json\n");
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK(tenv_contains(err.message, "no region"));
    CHECK(tenv_contains(err.message, "--region"));

    tenv_write(".aws/config", "[default]\nregion = us-east-1 # prod\n");
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK(tenv_contains(err.message, "\"us-east-1 # prod\""));
    CHECK(tenv_contains(err.message, "config line 2"));

    setenv("AWS_REGION", "eu-west-1/../x", 1);
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK(tenv_contains(err.message, "from AWS_REGION"));
}

static void test_read_only_sources(void)
{
    struct api_config_options opt = {0};
    struct api_config cfg;
    struct api_error err;

    setup();
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK(!cfg.read_only);
    api_config_free(&cfg);
    opt.read_only = true;
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK(cfg.read_only);
    api_config_free(&cfg);
    opt.read_only = false;
    setenv("COGNITO_TUI_READ_ONLY", "1", 1);
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK(cfg.read_only);
    api_config_free(&cfg);
    setenv("COGNITO_TUI_READ_ONLY", "perhaps", 1);
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK(tenv_contains(err.message, "COGNITO_TUI_READ_ONLY"));
    /* The profile cannot switch off what the environment switched on, and vice versa. */
    setenv("COGNITO_TUI_READ_ONLY", "0", 1);
    opt.profile = "admin";
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK(cfg.read_only);
    api_config_free(&cfg);

    tenv_write(".aws/config", "[default]\nregion = eu-west-1\ncognito_tui_read_only = maybe\n");
    opt.profile = NULL;
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK(tenv_contains(err.message, "config line 3: cognito_tui_read_only"));
}

/* Read-only fails closed: any section that may be the profile's, the
 * credentials file or the environment saying true makes it read-only;
 * nothing says false over another's true. */
static void test_read_only_fails_closed(void)
{
    static const struct {
        const char *config, *credentials, *profile;
    } cases[] = {
        /* Two spellings of one profile: the first one says it... */
        {"[profile  audit]\nregion = eu-west-1\ncognito_tui_read_only = true\n"
         "[profile audit]\nregion = eu-west-1\n",
         NULL, "audit"},
        /* ...or the later one, which the AWS CLI reads. */
        {"[profile audit]\nregion = eu-west-1\n"
         "[profile  audit]\nregion = eu-west-1\ncognito_tui_read_only = true\n",
         NULL, "audit"},
        {"[profile default]\nregion = eu-west-1\n"
         "[default]\nregion = eu-west-1\ncognito_tui_read_only = true\n",
         NULL, NULL},
        {"[default]\nregion = eu-west-1\ncognito_tui_read_only = true\n"
         "[profile default]\nregion = eu-west-1\n",
         NULL, NULL},
        {"[profile\taudit]\nregion = eu-west-1\ncognito_tui_read_only = true\n"
         "[profile \"audit\"]\nregion = eu-west-1\n",
         NULL, "audit"},
        /* `false` in the credentials file no longer wins over the config's `true`. */
        {"[profile audit]\nregion = eu-west-1\ncognito_tui_read_only = true\n",
         "[audit]\ncognito_tui_read_only = false\n", "audit"},
        {"[profile audit]\nregion = eu-west-1\ncognito_tui_read_only = false\n",
         "[audit]\ncognito_tui_read_only = true\n", "audit"},
        {"[profile audit]\nregion = eu-west-1\n", "[ audit ]\ncognito_tui_read_only = TRUE\n",
         "audit"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct api_config_options opt = {.profile = cases[i].profile};
        struct api_config cfg;
        struct api_error err;
        int rc;

        tenv_reset();
        tenv_write(".aws/config", cases[i].config);
        tenv_write(".aws/credentials", cases[i].credentials ? cases[i].credentials : "");
        rc = resolve(&opt, &cfg, &err, NULL, 0);
        CHECK_INT_EQ(rc, 0);
        if (rc != 0) {
            fprintf(stderr, "  case %zu: %s\n", i, err.message);
            continue;
        }
        if (!cfg.read_only)
            fprintf(stderr, "  case %zu is not read-only\n", i);
        CHECK(cfg.read_only);
        api_config_free(&cfg);
    }
}

/* Which section is the profile, as botocore decides: the last of the
 * sections naming it (`[profile  x]`, `[profile "x"]`, `[profile x]`; for
 * default also `[default]`), whole, never a mix. */
static void test_later_section_wins(void)
{
    struct api_config_options opt = {.profile = "audit"};
    struct api_config cfg;
    struct api_error err;

    tenv_reset();
    tenv_write(".aws/config", "[profile audit]\nregion = eu-west-1\nmax_attempts = 9\n"
                              "[profile  audit]\nregion = us-west-2\n");
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_STR_EQ(cfg.region, "us-west-2");
    CHECK_INT_EQ(cfg.max_attempts, 3); /* the first section is not read at all */
    api_config_free(&cfg);

    opt.profile = NULL;
    tenv_write(".aws/config",
               "[default]\nregion = eu-west-1\n[profile default]\nregion = us-west-2\n");
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_STR_EQ(cfg.region, "us-west-2");
    api_config_free(&cfg);
    tenv_write(".aws/config",
               "[profile default]\nregion = us-west-2\n[default]\nregion = eu-west-1\n");
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_STR_EQ(cfg.region, "eu-west-1");
    api_config_free(&cfg);

    /* `[ profile audit ]` and `[profile a b]` are no profile for botocore. */
    opt.profile = "audit";
    tenv_write(".aws/config", "[ profile audit ]\nregion = eu-west-1\n");
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK(tenv_contains(err.message, "profile \"audit\""));
    tenv_write(".aws/config",
               "[profile 'audit']\nregion = eu-west-1\n[profile audit x]\nregion = x\n");
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_STR_EQ(cfg.region, "eu-west-1");
    api_config_free(&cfg);
}

static void test_max_attempts(void)
{
    struct api_config_options opt = {.profile = "admin"};
    struct api_config cfg;
    struct api_error err;

    setup();
    setenv("AWS_MAX_ATTEMPTS", "2", 1);
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_INT_EQ(cfg.max_attempts, 2); /* over the profile's 7 */
    api_config_free(&cfg);
    const char *bad[] = {"0", "-1", "three", "5x", "", "101", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("AWS_MAX_ATTEMPTS", bad[i], 1);
        int rc = resolve(&opt, &cfg, &err, NULL, 0);
        if (bad[i][0] == '\0') { /* empty = unset: the profile's 7 */
            CHECK_INT_EQ(rc, 0);
            CHECK_INT_EQ(cfg.max_attempts, 7);
            api_config_free(&cfg);
            continue;
        }
        CHECK_INT_EQ(rc, -1);
        CHECK(tenv_contains(err.message, "AWS_MAX_ATTEMPTS"));
    }
    unsetenv("AWS_MAX_ATTEMPTS");
    tenv_write(".aws/config", "[profile admin]\nregion = eu-west-1\nmax_attempts = many\n");
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK(tenv_contains(err.message, "\"many\""));
    CHECK(tenv_contains(err.message, "config line 3"));
}

static void test_retry_mode(void)
{
    struct api_config_options opt = {.profile = "admin"};
    struct api_config cfg;
    struct api_error err;

    setup();
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_INT_EQ(cfg.retry_mode, API_RETRY_MODE_STANDARD); /* unset */
    api_config_free(&cfg);
    tenv_write(".aws/config", "[profile admin]\nregion = eu-west-1\nretry_mode = adaptive\n");
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_INT_EQ(cfg.retry_mode, API_RETRY_MODE_ADAPTIVE);
    api_config_free(&cfg);
    setenv("AWS_RETRY_MODE", "standard", 1); /* the environment wins */
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_INT_EQ(cfg.retry_mode, API_RETRY_MODE_STANDARD);
    api_config_free(&cfg);
    setenv("AWS_RETRY_MODE", "legacy", 1); /* the SDKs' old mode: run as standard */
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_INT_EQ(cfg.retry_mode, API_RETRY_MODE_STANDARD);
    api_config_free(&cfg);
    setenv("AWS_RETRY_MODE", "Adaptive", 1); /* the SDKs compare exactly */
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK(tenv_contains(err.message, "AWS_RETRY_MODE"));
    CHECK(tenv_contains(err.message, "\"Adaptive\""));
    unsetenv("AWS_RETRY_MODE");
    tenv_write(".aws/config", "[profile admin]\nregion = eu-west-1\nretry_mode = fast\n");
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK(tenv_contains(err.message, "\"fast\""));
    CHECK(tenv_contains(err.message, "config line 3"));
    CHECK(tenv_contains(err.message, "standard, adaptive or legacy"));
}

static void test_ca_bundle_order(void)
{
    struct api_config_options opt = {.profile = "admin"};
    struct api_config cfg;
    struct api_error err;

    setup();
    setenv("AWS_CA_BUNDLE", "/etc/corp-ca.pem", 1);
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_STR_EQ(cfg.ca_bundle, "/etc/corp-ca.pem");
    api_config_free(&cfg);
}

static void test_file_variables_and_bad_file(void)
{
    struct api_config_options opt = {.profile = "elsewhere"};
    struct api_config cfg;
    struct api_error err;
    char key[64];
    const char *path;

    setup();
    path = tenv_write("other-config", "[profile elsewhere]\nregion = eu-south-1\n");
    setenv("AWS_CONFIG_FILE", path, 1);
    path = tenv_write("other-creds", "[elsewhere]\naws_access_key_id = AKIDELSEWHERE\n"
                                     "aws_secret_access_key = s\n");
    setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, key, sizeof key), 0);
    CHECK_STR_EQ(cfg.region, "eu-south-1");
    CHECK_STR_EQ(key, "AKIDELSEWHERE");
    api_config_free(&cfg);

    setenv("AWS_CONFIG_FILE", "~/other-config", 1); /* ~ expands */
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    api_config_free(&cfg);

    path = tenv_write("other-creds", "[elsewhere]\naws_access_key_id = AKID\n  \n[broken\n");
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK(tenv_contains(err.message, path));
    CHECK(tenv_contains(err.message, "line 4"));
}

static void test_partial_keys_in_file(void)
{
    struct api_config_options opt = {0};
    struct api_config cfg;
    struct api_error err;

    setup();
    tenv_write(".aws/credentials", "[default]\naws_access_key_id = AKIDHALF\n");
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), -1);
    CHECK(tenv_contains(err.message, "credentials line 2: profile default"));
    CHECK(tenv_contains(err.message, "no aws_secret_access_key"));
}

/* Secrets (the credentials file, the environment's keys, fetched
 * credentials) never land in a core dump: from the first resolve on, the
 * process is not dumpable and its core limit is 0. */
static void test_no_core_dumps_once_resolved(void)
{
    struct api_config_options opt = {0};
    struct api_config cfg;
    struct api_error err;
    struct rlimit rl;

    setup();
    CHECK_INT_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
    CHECK_INT_EQ(resolve(&opt, &cfg, &err, NULL, 0), 0);
    CHECK_INT_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
    CHECK_INT_EQ(getrlimit(RLIMIT_CORE, &rl), 0);
    CHECK_INT_EQ(rl.rlim_cur, 0);
    CHECK_INT_EQ(rl.rlim_max, 0);
    api_config_free(&cfg);
}

int main(void)
{
    RUN(test_no_core_dumps_once_resolved);
    RUN(test_default_profile);
    RUN(test_named_profile_settings);
    RUN(test_environment_keys_win_unless_profile_given);
    RUN(test_environment_partial_keys);
    RUN(test_credentials_file_before_config_file);
    RUN(test_unknown_profile);
    RUN(test_default_profile_need_not_exist);
    RUN(test_region_order);
    RUN(test_missing_or_bad_region);
    RUN(test_read_only_sources);
    RUN(test_read_only_fails_closed);
    RUN(test_later_section_wins);
    RUN(test_max_attempts);
    RUN(test_retry_mode);
    RUN(test_ca_bundle_order);
    RUN(test_file_variables_and_bad_file);
    RUN(test_partial_keys_in_file);
    return check_finish();
}
