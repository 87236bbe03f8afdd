/* The credentials sources against the emulator's STS, IAM Identity Center,
 * OIDC, container and instance metadata endpoints, reached through the
 * standard settings only (AWS_ENDPOINT_URL_STS, ..._SSO, ..._SSO_OIDC,
 * AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_EC2_METADATA_SERVICE_ENDPOINT).
 * Each source: success, refresh, failures; and no secret in any message. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/evp.h>

#include "api/client.h"
#include "api/config.h"
#include "api/credentials_loop.h"
#include "tests/unit/check.h"
#include "tests/unit/test_api_credentials_emulator.h"
#include "tests/unit/test_api_credentials_env.h"

#define KEY_ID "AKIAIOSFODNN7EXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

/* Strings that must never show in a message. */
static const char *const secrets[] = {SECRET,
                                      "emulator-sso-token",
                                      "emulator-refresh-token",
                                      "emulator-ecs-token",
                                      "my-web-identity-token",
                                      "process-secret-value",
                                      "client-secret-value",
                                      "654321"};

static void check_no_secret(const char *file, int line, const char *msg)
{
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
        if (strstr(msg, secrets[i])) {
            char why[400];
            snprintf(why, sizeof why, "secret \"%.40s\" in message: %.300s", secrets[i], msg);
            check_fail(file, line, why);
        }
    }
}
#define CHECK_NO_SECRET(msg) check_no_secret(__FILE__, __LINE__, msg)

#define CHECK_HAS(msg, needle)                                                                     \
    do {                                                                                           \
        if (!strstr((msg), (needle))) {                                                            \
            char why_[400];                                                                        \
            snprintf(why_, sizeof why_, "\"%.300s\" lacks \"%.60s\"", (msg), (needle));            \
            check_fail(__FILE__, __LINE__, why_);                                                  \
        }                                                                                          \
    } while (0)

/* Config with the emulator as STS, SSO and OIDC. */
static void setup(const char *config, const char *credentials)
{
    tenv_reset();
    emu_control("/_emulator/reset", "{}");
    setenv("AWS_ENDPOINT_URL_STS", emu_url, 1);
    setenv("AWS_ENDPOINT_URL_SSO", emu_url, 1);
    setenv("AWS_ENDPOINT_URL_SSO_OIDC", emu_url, 1);
    setenv("AWS_REGION", "us-east-1", 1);
    if (config)
        tenv_write(".aws/config", config);
    if (credentials)
        tenv_write(".aws/credentials", credentials);
}

static void sha1_hex(const char *s, char out[41]);

static int mfa_calls;
static const char *mfa_answer;

static int mfa_prompt(void *ctx, const char *serial, char *code, size_t size)
{
    mfa_calls++;
    CHECK_STR_EQ((const char *)ctx, "ctx");
    CHECK_STR_EQ(serial, "arn:aws:iam::123456789012:mfa/admin");
    if (!mfa_answer)
        return -1;
    snprintf(code, size, "%s", mfa_answer);
    return 0;
}

/* Resolves `profile` and gets credentials at `now`. Returns 0/-1 (resolve
 * failure = -2); cfg stays resolved on 0 and -1 (caller frees). */
static int get(const char *profile, struct api_config *cfg, struct api_credentials *c,
               struct api_error *err)
{
    static char ctx[] = "ctx";
    struct api_config_options opt = {.profile = profile, .mfa_prompt = mfa_prompt, .mfa_ctx = ctx};

    memset(c, 0, sizeof *c);
    api_error_clear(err);
    if (api_config_resolve(&opt, cfg, err) != 0)
        return -2;
    return api_credentials_get(cfg->credentials, time(NULL), c, err);
}

static bool temporary(const struct api_credentials *c)
{
    return c->access_key_id && strncmp(c->access_key_id, "ASIA", 4) == 0 && c->session_token &&
           c->session_token[0] && c->secret_access_key && c->expiration > time(NULL);
}

/* ---- assume role ---- */

static const char *ROLES = "[profile base]\n"
                           "aws_access_key_id = " KEY_ID "\n"
                           "aws_secret_access_key = " SECRET "\n"
                           "[profile admin]\n"
                           "role_arn = arn:aws:iam::123456789012:role/Admin\n"
                           "source_profile = base\n"
                           "role_session_name = tester\n"
                           "duration_seconds = 900\n"
                           "[profile chained]\n"
                           "role_arn = arn:aws:iam::123456789012:role/Second\n"
                           "source_profile = admin\n"
                           "[profile external]\n"
                           "role_arn = arn:aws:iam::123456789012:role/partner-external\n"
                           "source_profile = base\n"
                           "external_id = emulator-external-id\n"
                           "[profile external-wrong]\n"
                           "role_arn = arn:aws:iam::123456789012:role/partner-external\n"
                           "source_profile = base\n"
                           "external_id = not-the-one\n"
                           "[profile mfa]\n"
                           "role_arn = arn:aws:iam::123456789012:role/MfaAdmin\n"
                           "source_profile = base\n"
                           "mfa_serial = arn:aws:iam::123456789012:mfa/admin\n"
                           "[profile cycle-a]\n"
                           "role_arn = arn:aws:iam::123456789012:role/A\n"
                           "source_profile = cycle-b\n"
                           "[profile cycle-b]\n"
                           "role_arn = arn:aws:iam::123456789012:role/B\n"
                           "source_profile = cycle-a\n"
                           "[profile self]\n"
                           "role_arn = arn:aws:iam::123456789012:role/Self\n"
                           "source_profile = self\n"
                           "aws_access_key_id = " KEY_ID "\n"
                           "aws_secret_access_key = " SECRET "\n"
                           "[profile both]\n"
                           "role_arn = arn:aws:iam::123456789012:role/X\n"
                           "source_profile = base\n"
                           "credential_source = Environment\n"
                           "[profile neither]\n"
                           "role_arn = arn:aws:iam::123456789012:role/X\n"
                           "[profile from-env]\n"
                           "role_arn = arn:aws:iam::123456789012:role/FromEnv\n"
                           "credential_source = Environment\n"
                           "[profile bad-source]\n"
                           "role_arn = arn:aws:iam::123456789012:role/X\n"
                           "credential_source = Laptop\n"
                           "[profile bad-duration]\n"
                           "role_arn = arn:aws:iam::123456789012:role/X\n"
                           "source_profile = base\n"
                           "duration_seconds = 60\n"
                           "[profile missing-source]\n"
                           "role_arn = arn:aws:iam::123456789012:role/X\n"
                           "source_profile = nowhere\n"
                           "[profile wrong-account]\n"
                           "role_arn = arn:aws:iam::999999999999:role/X\n"
                           "source_profile = base\n";

static void test_assume_role(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    time_t now = time(NULL);

    setup(ROLES, NULL);
    CHECK_INT_EQ(get("admin", &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    CHECK(c.expiration >= now + 890 && c.expiration <= now + 960); /* duration_seconds = 900 */
    CHECK_STR_EQ(api_credentials_source(cfg.credentials), "assume-role");
    api_credentials_clear(&c);
    api_config_free(&cfg);

    CHECK_INT_EQ(get("chained", &cfg, &c, &err), 0); /* base -> admin -> chained */
    CHECK(temporary(&c));
    api_credentials_clear(&c);
    api_config_free(&cfg);

    CHECK_INT_EQ(get("self", &cfg, &c, &err), 0); /* its own keys as the source */
    CHECK(temporary(&c));
    api_credentials_clear(&c);
    api_config_free(&cfg);
}

/* The chain reports the expiry of the source that answered, and nothing
 * before it answered (no call made to find out). */
static void test_chain_expiration(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    struct api_config_options opt = {.profile = "admin"};

    setup(ROLES, NULL);
    api_error_clear(&err);
    CHECK_INT_EQ(api_config_resolve(&opt, &cfg, &err), 0);
    CHECK_INT_EQ(api_credentials_expiration(cfg.credentials), 0);
    CHECK_INT_EQ(api_credentials_get(cfg.credentials, time(NULL), &c, &err), 0);
    CHECK(c.expiration > time(NULL));
    CHECK_INT_EQ(api_credentials_expiration(cfg.credentials), c.expiration);
    api_credentials_clear(&c);
    api_config_free(&cfg);

    /* Static keys of a profile do not expire. */
    opt.profile = "base";
    CHECK_INT_EQ(api_config_resolve(&opt, &cfg, &err), 0);
    CHECK_INT_EQ(api_credentials_get(cfg.credentials, time(NULL), &c, &err), 0);
    CHECK_INT_EQ(api_credentials_expiration(cfg.credentials), 0);
    api_credentials_clear(&c);
    api_config_free(&cfg);
}

static void test_assume_role_external_id(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;

    setup(ROLES, NULL);
    CHECK_INT_EQ(get("external", &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    api_credentials_clear(&c);
    api_config_free(&cfg);
    CHECK_INT_EQ(get("external-wrong", &cfg, &c, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK_HAS(err.message, "profile external-wrong");
    CHECK_HAS(err.message, "AccessDenied");
    CHECK_HAS(err.message, "HTTP 403");
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);

    CHECK_INT_EQ(get("wrong-account", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "AccessDenied");
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);
}

static void test_assume_role_bad_answers(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;

    setup(ROLES, NULL);
    emu_faults("badjson*1/AssumeRole"); /* a 200 that is not STS XML */
    CHECK_INT_EQ(get("admin", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "no complete Credentials element");
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);
    emu_faults("html:502*1/AssumeRole");
    CHECK_INT_EQ(get("admin", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "HTTP 502");
    api_config_free(&cfg);
    emu_faults("truncate*1/AssumeRole");
    CHECK_INT_EQ(get("admin", &cfg, &c, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);
    emu_faults("");
}

static void test_assume_role_mfa(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    struct api_config_options opt = {.profile = "mfa"};
    char first_key[64] = "", hex[41], path[300];
    struct stat st;

    setup(ROLES, NULL);
    mfa_calls = 0;
    mfa_answer = "654321"; /* wrong (the emulator takes 123456) */
    CHECK_INT_EQ(get("mfa", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "MultiFactorAuthentication");
    CHECK_NO_SECRET(err.message);
    CHECK_INT_EQ(mfa_calls, 1);
    api_config_free(&cfg);

    mfa_answer = NULL; /* the user cancelled */
    CHECK_INT_EQ(get("mfa", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "no MFA code");
    api_config_free(&cfg);

    /* No prompt at all: a clear error, not a hang. */
    api_error_clear(&err);
    CHECK_INT_EQ(api_config_resolve(&opt, &cfg, &err), 0);
    CHECK_INT_EQ(api_credentials_get(cfg.credentials, time(NULL), &c, &err), -1);
    CHECK_HAS(err.message, "needs an MFA code");
    api_config_free(&cfg);

    mfa_calls = 0;
    mfa_answer = "123456";
    CHECK_INT_EQ(get("mfa", &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    CHECK_INT_EQ(mfa_calls, 1);
    snprintf(first_key, sizeof first_key, "%s", c.access_key_id ? c.access_key_id : "");
    api_credentials_clear(&c);
    /* Cached in the provider: no second prompt. */
    CHECK_INT_EQ(api_credentials_get(cfg.credentials, time(NULL), &c, &err), 0);
    CHECK_INT_EQ(mfa_calls, 1);
    api_credentials_clear(&c);
    api_config_free(&cfg);

    /* A new resolve (as the next command would) finds them in the AWS CLI's
     * cache, under the SHA-1 of botocore's JSON of the arguments. */
    CHECK_INT_EQ(get("mfa", &cfg, &c, &err), 0);
    CHECK_INT_EQ(mfa_calls, 1);
    CHECK_STR_EQ(c.access_key_id, first_key);
    api_credentials_clear(&c);
    api_config_free(&cfg);
    sha1_hex("{\"RoleArn\": \"arn:aws:iam::123456789012:role/MfaAdmin\", \"SerialNumber\": "
             "\"arn:aws:iam::123456789012:mfa/admin\"}",
             hex);
    snprintf(path, sizeof path, "%s/.aws/cli/cache/%s.json", tenv_home, hex);
    CHECK_INT_EQ(stat(path, &st), 0);
    CHECK_INT_EQ(st.st_mode & 0777, 0600);

    /* A damaged cache file is ignored: STS again (and the prompt). */
    snprintf(path, sizeof path, ".aws/cli/cache/%s.json", hex);
    tenv_write(path, "{\"Credentials\": {\"AccessKeyId\": ");
    CHECK_INT_EQ(get("mfa", &cfg, &c, &err), 0);
    CHECK_INT_EQ(mfa_calls, 2);
    CHECK(temporary(&c));
    api_credentials_clear(&c);
    api_config_free(&cfg);
}

static void test_assume_role_configuration_errors(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;

    setup(ROLES, NULL);
    CHECK_INT_EQ(get("cycle-a", &cfg, &c, &err), -2);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK_HAS(err.message, "cycle");
    CHECK_HAS(err.message, "cycle-a -> cycle-b -> cycle-a");
    CHECK_INT_EQ(get("both", &cfg, &c, &err), -2);
    CHECK_HAS(err.message, "not both");
    CHECK_HAS(err.message, "profile both");
    CHECK_INT_EQ(get("neither", &cfg, &c, &err), -2);
    CHECK_HAS(err.message, "needs a source_profile or a credential_source");
    CHECK_INT_EQ(get("bad-source", &cfg, &c, &err), -2);
    CHECK_HAS(err.message, "\"Laptop\"");
    CHECK_INT_EQ(get("bad-duration", &cfg, &c, &err), -2);
    CHECK_HAS(err.message, "duration_seconds \"60\"");
    CHECK_HAS(err.message, "config line");
    CHECK_INT_EQ(get("missing-source", &cfg, &c, &err), -2);
    CHECK_HAS(err.message, "source_profile \"nowhere\"");
    CHECK_INT_EQ(get("from-env", &cfg, &c, &err), -2); /* no keys in the environment */
    CHECK_HAS(err.message, "credential_source = Environment");
}

static void test_assume_role_from_environment(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;

    setup(ROLES, NULL);
    setenv("AWS_ACCESS_KEY_ID", KEY_ID, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
    /* --profile skips the environment as the chain's first source, but the
     * role still takes its source credentials from there. */
    CHECK_INT_EQ(get("from-env", &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    CHECK_STR_EQ(api_credentials_source(cfg.credentials), "assume-role");
    api_credentials_clear(&c);
    api_config_free(&cfg);
}

static void test_sts_through_services_section(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    char config[2048];

    setup(NULL, NULL);
    unsetenv("AWS_ENDPOINT_URL_STS");
    snprintf(config, sizeof config,
             "[profile base]\naws_access_key_id = " KEY_ID "\naws_secret_access_key = " SECRET
             "\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n"
             "source_profile = base\nservices = emu\n[services emu]\nsts =\n  endpoint_url = %s\n",
             emu_url);
    tenv_write(".aws/config", config);
    CHECK_INT_EQ(get("admin", &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    api_credentials_clear(&c);
    api_config_free(&cfg);
}

/* The credentials a source hands out sign real calls: the emulator's Cognito
 * side accepts them (session token included) through the api client. */
static void test_credentials_sign_cognito_calls(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    char config[2048];

    setup(NULL, NULL);
    snprintf(config, sizeof config,
             "[profile base]\naws_access_key_id = " KEY_ID "\naws_secret_access_key = " SECRET
             "\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n"
             "source_profile = base\nregion = us-east-1\nendpoint_url = %s\n",
             emu_url);
    tenv_write(".aws/config", config);
    CHECK_INT_EQ(get("admin", &cfg, &c, &err), 0);
    api_credentials_clear(&c);
    CHECK_STR_EQ(cfg.endpoint_url, emu_url);
    struct api_client_options o = {
        .region = cfg.region, .endpoint_url = cfg.endpoint_url, .credentials = cfg.credentials};
    struct api_client *client = api_client_new(&o, &err);
    CHECK(client != NULL);
    if (client) {
        json_object *in = json_tokener_parse("{\"MaxResults\": 1}"), *out = NULL;
        int rc = api_call(client, "ListIdentityPools", in, &out, &err);
        if (rc != 0)
            fprintf(stderr, "  ListIdentityPools: %s\n", err.message);
        CHECK_INT_EQ(rc, 0);
        json_object_put(in);
        json_object_put(out);
        api_client_free(client);
    }
    api_config_free(&cfg);
}

/* ---- web identity ---- */

static void test_web_identity(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    char config[1024];
    const char *token_path;

    setup(NULL, NULL);
    token_path = tenv_write("token", "my-web-identity-token\n");
    snprintf(config, sizeof config,
             "[profile web]\nrole_arn = arn:aws:iam::123456789012:role/Web\n"
             "web_identity_token_file = %s\nrole_session_name = pod\n"
             "[profile web-norole]\nweb_identity_token_file = %s\n",
             token_path, token_path);
    tenv_write(".aws/config", config);
    CHECK_INT_EQ(get("web", &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    CHECK_STR_EQ(api_credentials_source(cfg.credentials), "web-identity");
    api_credentials_clear(&c);
    api_config_free(&cfg);

    tenv_write("token", "invalid");
    CHECK_INT_EQ(get("web", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "InvalidIdentityToken");
    CHECK_HAS(err.message, "profile web");
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);

    unlink(token_path);
    CHECK_INT_EQ(get("web", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "cannot read the token file");
    api_config_free(&cfg);

    CHECK_INT_EQ(get("web-norole", &cfg, &c, &err), -2);
    CHECK_HAS(err.message, "no role_arn");

    /* The environment's variables, without any profile. */
    tenv_write("token", "my-web-identity-token");
    setenv("AWS_WEB_IDENTITY_TOKEN_FILE", token_path, 1);
    setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/EnvWeb", 1);
    setenv("AWS_ROLE_SESSION_NAME", "env-session", 1);
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    CHECK_STR_EQ(api_credentials_source(cfg.credentials), "web-identity");
    api_credentials_clear(&c);
    api_config_free(&cfg);
}

/* ---- IAM Identity Center ---- */

static void sha1_hex(const char *s, char out[41])
{
    unsigned char md[20];
    unsigned int n;

    EVP_Digest(s, strlen(s), md, &n, EVP_sha1(), NULL);
    for (int i = 0; i < 20; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void iso_time(time_t t, char *buf, size_t size)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *write_sso_cache(const char *key, const char *token, time_t expires,
                                   bool with_refresh)
{
    char hex[41], rel[128], body[1024], exp[32], reg[32];

    sha1_hex(key, hex);
    iso_time(expires, exp, sizeof exp);
    iso_time(time(NULL) + 86400 * 30, reg, sizeof reg);
    snprintf(rel, sizeof rel, ".aws/sso/cache/%s.json", hex);
    snprintf(body, sizeof body,
             "{\"startUrl\": \"https://corp.awsapps.com/start\", \"region\": \"us-east-1\", "
             "\"accessToken\": \"%s\", \"expiresAt\": \"%s\"%s%s%s}",
             token, exp, with_refresh ? ", \"refreshToken\": \"emulator-refresh-token\", " : "",
             with_refresh ? "\"clientId\": \"client-id\", \"clientSecret\": "
                            "\"client-secret-value\", \"registrationExpiresAt\": \""
                          : "",
             with_refresh ? reg : "");
    if (with_refresh)
        strcat(body, "\"}");
    else
        strcat(body, "");
    if (with_refresh) /* close the quote and the object written above */
        body[strlen(body) - 2] = '"', body[strlen(body) - 1] = '}';
    return tenv_write(rel, body);
}

static const char *SSO_CONFIG = "[profile sso]\n"
                                "sso_session = corp\n"
                                "sso_account_id = 123456789012\n"
                                "sso_role_name = ReadOnlyAdmin\n"
                                "[sso-session corp]\n"
                                "sso_start_url = https://corp.awsapps.com/start\n"
                                "sso_region = us-east-1\n"
                                "[profile legacy]\n"
                                "sso_start_url = https://legacy.awsapps.com/start\n"
                                "sso_region = us-east-1\n"
                                "sso_account_id = 123456789012\n"
                                "sso_role_name = Admin\n"
                                "[profile sso-incomplete]\n"
                                "sso_session = corp\n"
                                "[profile sso-dangling]\n"
                                "sso_session = nowhere\n"
                                "sso_account_id = 1\n"
                                "sso_role_name = r\n";

static void test_sso(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;

    setup(SSO_CONFIG, NULL);
    write_sso_cache("corp", "emulator-sso-token", time(NULL) + 3600, false);
    CHECK_INT_EQ(get("sso", &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    CHECK_STR_EQ(api_credentials_source(cfg.credentials), "sso");
    api_credentials_clear(&c);
    api_config_free(&cfg);

    /* Legacy profile: the cache file is named after the start URL. */
    write_sso_cache("https://legacy.awsapps.com/start", "emulator-sso-token", time(NULL) + 3600,
                    false);
    CHECK_INT_EQ(get("legacy", &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    api_credentials_clear(&c);
    api_config_free(&cfg);
}

static void test_sso_expired_and_refused(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    char hex[41], path[256];

    setup(SSO_CONFIG, NULL);
    CHECK_INT_EQ(get("sso", &cfg, &c, &err), -1); /* never logged in */
    CHECK_HAS(err.message, "run: aws sso login --profile sso");
    api_config_free(&cfg);

    write_sso_cache("corp", "emulator-sso-token", time(NULL) - 60, false);
    CHECK_INT_EQ(get("sso", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "has expired");
    CHECK_HAS(err.message, "run: aws sso login --profile sso");
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);

    write_sso_cache("corp", "revoked-token", time(NULL) + 3600, false);
    CHECK_INT_EQ(get("sso", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "run: aws sso login --profile sso");
    CHECK(!strstr(err.message, "revoked-token"));
    api_config_free(&cfg);

    sha1_hex("corp", hex);
    snprintf(path, sizeof path, ".aws/sso/cache/%s.json", hex);
    tenv_write(path, "{\"accessToken\": \"emulator-sso-token\"}"); /* no expiresAt */
    CHECK_INT_EQ(get("sso", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "no valid expiresAt");
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);
    tenv_write(path, "{\"accessToken\": \"emulator-sso-token\", \"expiresAt\": ");
    CHECK_INT_EQ(get("sso", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "not valid JSON");
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);

    /* A FIFO as the cache is refused at once (it used to hang the caller). */
    {
        char full[512];
        snprintf(full, sizeof full, "%s/%s", tenv_home, path);
        unlink(full);
        CHECK_INT_EQ(mkfifo(full, 0600), 0);
        CHECK_INT_EQ(get("sso", &cfg, &c, &err), -1);
        CHECK_HAS(err.message, "not a regular file (a FIFO)");
        api_config_free(&cfg);
        unlink(full);
    }

    CHECK_INT_EQ(get("sso-incomplete", &cfg, &c, &err), -2);
    CHECK_HAS(err.message, "lacks: sso_account_id sso_role_name");
    CHECK_INT_EQ(get("sso-dangling", &cfg, &c, &err), -2);
    CHECK_HAS(err.message, "[sso-session nowhere]");
}

static void test_sso_token_refresh(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    const char *path;
    struct stat st;
    char text[4096] = "";
    FILE *f;

    setup(SSO_CONFIG, NULL);
    /* 10 minutes left: refreshed through OIDC before GetRoleCredentials. */
    path = write_sso_cache("corp", "old-access-token", time(NULL) + 600, true);
    CHECK_INT_EQ(get("sso", &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    api_credentials_clear(&c);
    api_config_free(&cfg);
    CHECK_INT_EQ(stat(path, &st), 0);
    CHECK_INT_EQ(st.st_mode & 0777, 0600);
    f = fopen(path, "r");
    if (f) {
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    CHECK(strstr(text, "old-access-token") == NULL);
    CHECK(strstr(text, "emulator-access-") != NULL);    /* the new token */
    CHECK(strstr(text, "client-secret-value") != NULL); /* the rest kept */

    /* Expired, and the refresh token is refused: log in again. */
    path = write_sso_cache("corp", "old-access-token", time(NULL) - 5, true);
    f = fopen(path, "r+");
    (void)f;
    if (f)
        fclose(f);
    {
        /* Make the refresh token one the emulator does not know. */
        char body[4096];
        FILE *g = fopen(path, "r");
        size_t n = g ? fread(body, 1, sizeof body - 1, g) : 0;
        if (g)
            fclose(g);
        body[n] = '\0';
        char *p = strstr(body, "emulator-refresh-token");
        if (p)
            memcpy(p, "unknownxx-refresh-token", 22);
        tenv_write(path + strlen(tenv_home) + 1, body);
    }
    CHECK_INT_EQ(get("sso", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "could not be refreshed");
    CHECK_HAS(err.message, "run: aws sso login --profile sso");
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);
}

/* ---- credential_process ---- */

static void test_process(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    char config[4096];

    setup(NULL, NULL);
    snprintf(config, sizeof config,
             "[profile proc]\n"
             "credential_process = /usr/bin/printf '{\"Version\": 1, \"AccessKeyId\": "
             "\"AKIDPROC\", \"SecretAccessKey\": \"process-secret-value\", \"SessionToken\": "
             "\"tok\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n"
             "[profile quoted]\n"
             "credential_process = /usr/bin/python3 -c \"import sys, json; "
             "print(json.dumps({'Version': 1, 'AccessKeyId': sys.argv[1], 'SecretAccessKey': "
             "sys.argv[2]}))\" \"a b\" it\\'s\n"
             "[profile v2]\n"
             "credential_process = /usr/bin/printf '{\"Version\": 2, \"AccessKeyId\": \"A\", "
             "\"SecretAccessKey\": \"process-secret-value\"}'\n"
             "[profile badjson]\n"
             "credential_process = /usr/bin/printf '{\"Version\": 1, \"SecretAccessKey\": "
             "\"process-secret-value\"'\n"
             "[profile failing]\n"
             "credential_process = /bin/sh -c 'echo first >&2; echo \"token expired, log in\" >&2; "
             "exit 3'\n"
             "[profile missing]\n"
             "credential_process = /nonexistent/helper --x\n"
             "[profile unclosed]\n"
             "credential_process = helper \"unclosed\n"
             "[profile nosecret]\n"
             "credential_process = /usr/bin/printf '{\"Version\": 1, \"AccessKeyId\": \"A\"}'\n");
    tenv_write(".aws/config", config);
    CHECK_INT_EQ(get("proc", &cfg, &c, &err), 0);
    CHECK_STR_EQ(c.access_key_id, "AKIDPROC");
    CHECK_STR_EQ(c.secret_access_key, "process-secret-value");
    CHECK_STR_EQ(c.session_token, "tok");
    CHECK_INT_EQ(c.expiration, 4070908800);
    CHECK_STR_EQ(api_credentials_source(cfg.credentials), "process");
    api_credentials_clear(&c);
    api_config_free(&cfg);

    CHECK_INT_EQ(get("quoted", &cfg, &c, &err), 0); /* split like a shell: "a b" and it's */
    CHECK_STR_EQ(c.access_key_id, "a b");
    CHECK_STR_EQ(c.secret_access_key, "it's");
    CHECK(c.session_token == NULL && c.expiration == 0);
    api_credentials_clear(&c);
    api_config_free(&cfg);

    CHECK_INT_EQ(get("v2", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "Version 2");
    CHECK_HAS(err.message, "only Version 1");
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);

    CHECK_INT_EQ(get("badjson", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "not valid JSON");
    CHECK_HAS(err.message, "profile badjson");
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);

    CHECK_INT_EQ(get("failing", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "failed with status 3: token expired, log in");
    api_config_free(&cfg);

    CHECK_INT_EQ(get("missing", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "cannot run \"/nonexistent/helper\"");
    api_config_free(&cfg);

    CHECK_INT_EQ(get("unclosed", &cfg, &c, &err), -2);
    CHECK_HAS(err.message, "double quote is not closed");

    CHECK_INT_EQ(get("nosecret", &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "no SecretAccessKey");
    api_config_free(&cfg);
}

static void test_process_expiration_honoured(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    char config[2048], counter[200], exp[32];
    time_t now = time(NULL);
    FILE *f;
    int runs = 0;

    setup(NULL, NULL);
    snprintf(counter, sizeof counter, "%s/runs", tenv_home);
    iso_time(now + 1200, exp, sizeof exp); /* 20 minutes */
    /* The helper counts its runs in a file and answers with that expiration. */
    snprintf(config, sizeof config,
             "#!/bin/sh\necho x >> \"$1\"\nprintf '{\"Version\": 1, \"AccessKeyId\": "
             "\"AKIDSHORT\", \"SecretAccessKey\": \"s\", \"Expiration\": \"%%s\"}' \"$2\"\n");
    const char *script = tenv_write("helper.sh", config);
    snprintf(config, sizeof config, "[profile short]\ncredential_process = /bin/sh '%s' '%s' %s\n",
             script, counter, exp);
    tenv_write(".aws/config", config);
    CHECK_INT_EQ(get("short", &cfg, &c, &err), 0);
    CHECK_INT_EQ(c.expiration, now + 1200);
    api_credentials_clear(&c);
    /* 20 min left: cached. */
    CHECK_INT_EQ(api_credentials_get(cfg.credentials, now + 60, &c, &err), 0);
    api_credentials_clear(&c);
    /* 12 min left: the process runs again (advisory refresh). */
    CHECK_INT_EQ(api_credentials_get(cfg.credentials, now + 480, &c, &err), 0);
    api_credentials_clear(&c);
    api_config_free(&cfg);
    f = fopen(counter, "r");
    if (f) {
        int ch;
        while ((ch = fgetc(f)) != EOF)
            runs += ch == '\n';
        fclose(f);
    }
    CHECK_INT_EQ(runs, 2);
}

/* ---- Asynchronous fetches ---- */

struct async_result {
    bool done;
    int rc;
    char key[64];
    char message[1100];
};

static void async_done(void *ctx, int rc, struct api_credentials *creds,
                       const struct api_error *err)
{
    struct async_result *r = ctx;

    r->done = true;
    r->rc = rc;
    if (rc == 0) {
        snprintf(r->key, sizeof r->key, "%s", creds->access_key_id);
        api_credentials_clear(creds);
    } else {
        snprintf(r->message, sizeof r->message, "%s", err->message);
    }
}

/* The console's loop, in small: poll the provider's descriptors, perform,
 * until *flag (or 60 s, which only a hang reaches). */
static void drive(struct api_credentials_provider *p, const bool *flag)
{
    time_t until = time(NULL) + 60;

    while (!*flag && time(NULL) < until) {
        struct pollfd fds[16];
        int timeout = -1;
        int n = api_credentials_pollfds(p, fds, 16, &timeout);
        poll(fds, (nfds_t)n, timeout < 0 || timeout > 200 ? 200 : timeout);
        api_credentials_perform(p);
    }
}

static bool pid_alive(pid_t pid)
{
    return kill(pid, 0) == 0; /* signal 0: only asks */
}

/* credential_process runs beside the caller: starting returns at once, the
 * pipes are in the caller's poll, and cancelling kills the process. */
static void test_process_is_asynchronous(void)
{
    struct api_config cfg;
    struct api_config_options opt = {.profile = "slow"};
    struct api_credentials c = {0};
    struct api_credentials_op *op = NULL;
    struct async_result r = {0};
    struct api_error err;
    char config[1024], pidfile[300], gate[300];
    struct pollfd fds[16];
    int timeout, n;
    pid_t pid = 0;
    FILE *f;

    setup(NULL, NULL);
    snprintf(pidfile, sizeof pidfile, "%s/helper.pid", tenv_home);
    snprintf(gate, sizeof gate, "%s/gate", tenv_home);
    /* Waits until the test opens the gate (a file), then answers. */
    snprintf(config, sizeof config,
             "[profile slow]\ncredential_process = /bin/sh -c 'echo $$ > %s; while [ ! -e %s ]; "
             "do sleep 0.05; done; printf \"{\\\"Version\\\": 1, \\\"AccessKeyId\\\": "
             "\\\"AKIDSLOW\\\", \\\"SecretAccessKey\\\": \\\"s\\\"}\"'\n",
             pidfile, gate);
    tenv_write(".aws/config", config);
    api_error_clear(&err);
    CHECK_INT_EQ(api_config_resolve(&opt, &cfg, &err), 0);
    CHECK_INT_EQ(api_credentials_start(cfg.credentials, time(NULL), &c, async_done, &r, &op, &err),
                 API_CREDENTIALS_PENDING);
    CHECK_STR_EQ(api_credentials_op_waiting_for(op), "process");
    n = api_credentials_pollfds(cfg.credentials, fds, 16, &timeout);
    CHECK(n >= 2);                                        /* stdout and stderr */
    CHECK(timeout > 100 * 1000 && timeout <= 120 * 1000); /* the 120 s deadline */
    for (int i = 0; i < 400 && pid <= 0; i++) {
        usleep(25 * 1000);
        if ((f = fopen(pidfile, "r"))) {
            if (fscanf(f, "%d", &pid) != 1)
                pid = 0;
            fclose(f);
        }
    }
    CHECK(pid > 0 && pid_alive(pid));
    CHECK(!r.done);
    /* The user presses Esc: the helper is killed, no callback. */
    api_credentials_op_cancel(op);
    CHECK(pid > 0 && !pid_alive(pid));
    CHECK_INT_EQ(api_credentials_pollfds(cfg.credentials, fds, 16, &timeout), 0);
    CHECK(!r.done);

    /* Again, and this time it answers through the loop. */
    CHECK_INT_EQ(api_credentials_start(cfg.credentials, time(NULL), &c, async_done, &r, &op, &err),
                 API_CREDENTIALS_PENDING);
    tenv_write("gate", "");
    drive(cfg.credentials, &r.done);
    CHECK(r.done && r.rc == 0);
    CHECK_STR_EQ(r.key, "AKIDSLOW");
    api_config_free(&cfg);
}

/* A helper that never answers is killed after 120 s (the red team's 2 a.m.
 * case): not at 119 s, and at 121 s with a message saying so. The loop's
 * clock is moved forward instead of waiting two minutes. */
static void test_process_killed_after_120_s(void)
{
    struct api_config cfg;
    struct api_config_options opt = {.profile = "hung"};
    struct api_credentials c = {0};
    struct api_credentials_op *op = NULL;
    struct async_result r = {0};
    struct api_error err;
    char config[1024], pidfile[300];
    struct pollfd fds[16];
    int timeout, left = 0;
    pid_t pid = 0;
    FILE *f;

    setup(NULL, NULL);
    snprintf(pidfile, sizeof pidfile, "%s/helper.pid", tenv_home);
    snprintf(config, sizeof config,
             "[profile hung]\ncredential_process = /bin/sh -c 'echo $$ > %s; exec sleep 1000'\n",
             pidfile);
    tenv_write(".aws/config", config);
    api_error_clear(&err);
    CHECK_INT_EQ(api_config_resolve(&opt, &cfg, &err), 0);
    CHECK_INT_EQ(api_credentials_start(cfg.credentials, time(NULL), &c, async_done, &r, &op, &err),
                 API_CREDENTIALS_PENDING);
    for (int i = 0; i < 400 && pid <= 0; i++) {
        usleep(25 * 1000);
        if ((f = fopen(pidfile, "r"))) {
            if (fscanf(f, "%d", &pid) != 1)
                pid = 0;
            fclose(f);
        }
    }
    CHECK(pid > 0 && pid_alive(pid));

    /* Five seconds before the deadline: still running. */
    api_credentials_pollfds(cfg.credentials, fds, 16, &left);
    CHECK(left > 100 * 1000 && left <= 120 * 1000);
    cred_loop_clock_shift(left - 5000);
    api_credentials_pollfds(cfg.credentials, fds, 16, &timeout);
    CHECK(timeout > 0 && timeout <= 5000);
    api_credentials_perform(cfg.credentials);
    CHECK(!r.done);
    CHECK(pid > 0 && pid_alive(pid));

    /* Past it: stopped. */
    cred_loop_clock_shift(5000);
    api_credentials_pollfds(cfg.credentials, fds, 16, &timeout);
    CHECK_INT_EQ(timeout, 0);
    api_credentials_perform(cfg.credentials);
    cred_loop_clock_shift(-left);
    CHECK(r.done);
    CHECK(r.rc != 0);
    CHECK_HAS(r.message, "profile hung");
    CHECK_HAS(r.message, "did not finish within 120 s and was stopped");
    CHECK(pid > 0 && !pid_alive(pid)); /* killed and reaped */
    CHECK_INT_EQ(api_credentials_pollfds(cfg.credentials, fds, 16, &timeout), 0);
    api_config_free(&cfg);
}

/* The helper inherits nothing of ours but 0-2: not the TLS connection, not
 * a file the caller left open without O_CLOEXEC. */
static void test_process_inherits_no_descriptor(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    char config[1024], report[300], text[200] = "";
    int leak = open("/dev/null", O_RDONLY); /* no O_CLOEXEC, on purpose */
    FILE *f;

    setup(NULL, NULL);
    snprintf(report, sizeof report, "%s/fds", tenv_home);
    snprintf(config, sizeof config,
             "[profile fds]\ncredential_process = /usr/bin/python3 -c \"import os, json; "
             "fds = ' '.join(str(d) for d in range(1024) if os.path.exists('/proc/self/fd/%%d' "
             "%% d)); open('%s', 'w').write(fds); "
             "print(json.dumps({'Version': 1, 'AccessKeyId': 'AKIDFDS', 'SecretAccessKey': "
             "'s'}))\"\n",
             report);
    tenv_write(".aws/config", config);
    CHECK(leak >= 3);
    CHECK_INT_EQ(get("fds", &cfg, &c, &err), 0);
    CHECK_STR_EQ(c.access_key_id, "AKIDFDS");
    api_credentials_clear(&c);
    api_config_free(&cfg);
    close(leak);
    if ((f = fopen(report, "r"))) {
        if (!fgets(text, sizeof text, f))
            text[0] = '\0';
        fclose(f);
    }
    CHECK_STR_EQ(text, "0 1 2");
}

/* A helper with a cache of its own answers with 12 minutes left each time:
 * it runs once for many requests, not once per request. */
static void test_process_runs_once_per_window(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    char config[2048], counter[200], exp[32];
    time_t now = time(NULL);
    FILE *f;
    int runs = 0;

    setup(NULL, NULL);
    snprintf(counter, sizeof counter, "%s/runs", tenv_home);
    iso_time(now + 12 * 60, exp, sizeof exp);
    snprintf(config, sizeof config,
             "#!/bin/sh\necho x >> \"$1\"\nprintf '{\"Version\": 1, \"AccessKeyId\": "
             "\"AKIDSHORT\", \"SecretAccessKey\": \"s\", \"Expiration\": \"%%s\"}' \"$2\"\n");
    const char *script = tenv_write("helper.sh", config);
    snprintf(config, sizeof config, "[profile short]\ncredential_process = /bin/sh '%s' '%s' %s\n",
             script, counter, exp);
    tenv_write(".aws/config", config);
    CHECK_INT_EQ(get("short", &cfg, &c, &err), 0);
    api_credentials_clear(&c);
    for (int i = 0; i < 34; i++) {
        CHECK_INT_EQ(api_credentials_get(cfg.credentials, now + i, &c, &err), 0);
        CHECK_STR_EQ(c.access_key_id, "AKIDSHORT");
        api_credentials_clear(&c);
    }
    api_config_free(&cfg);
    if ((f = fopen(counter, "r"))) {
        int ch;
        while ((ch = fgetc(f)) != EOF)
            runs += ch == '\n';
        fclose(f);
    }
    CHECK_INT_EQ(runs, 1);
}

/* The console's freeze: api_call_start() no longer waits for a slow
 * credential_process. The request waits in the "fetching credentials"
 * state, the client's poll includes the helper's pipes, the client says
 * what it waits for, Esc (cancel) stops the helper once no request waits
 * for it, and when it answers the request is signed and sent. */
struct call_result {
    bool done;
    int kind;
    json_object *output;
};

static void call_done(void *ctx, json_object *output, const struct api_error *err)
{
    struct call_result *r = ctx;

    r->done = true;
    r->kind = err->kind;
    r->output = output;
}

static void test_client_waits_for_credentials(void)
{
    struct api_config cfg;
    struct api_config_options opt = {.profile = "gated"};
    struct api_error err;
    struct call_result r1 = {0}, r2 = {0}, r3 = {0};
    char config[2048], pidfile[300], gate[300];
    struct pollfd fds[32];
    int timeout;
    pid_t pid = 0;
    FILE *f;

    setup(NULL, NULL);
    snprintf(pidfile, sizeof pidfile, "%s/helper.pid", tenv_home);
    snprintf(gate, sizeof gate, "%s/gate", tenv_home);
    snprintf(config, sizeof config,
             "[profile gated]\nregion = us-east-1\nendpoint_url = %s\n"
             "credential_process = /bin/sh -c 'echo $$ > %s; while [ ! -e %s ]; do sleep 0.05; "
             "done; printf \"{\\\"Version\\\": 1, \\\"AccessKeyId\\\": \\\"" KEY_ID
             "\\\", \\\"SecretAccessKey\\\": \\\"" SECRET "\\\"}\"'\n",
             emu_url, pidfile, gate);
    tenv_write(".aws/config", config);
    api_error_clear(&err);
    CHECK_INT_EQ(api_config_resolve(&opt, &cfg, &err), 0);
    struct api_client_options o = {
        .region = cfg.region, .endpoint_url = cfg.endpoint_url, .credentials = cfg.credentials};
    struct api_client *client = api_client_new(&o, &err);
    CHECK(client != NULL);
    if (!client) {
        api_config_free(&cfg);
        return;
    }
    json_object *in = json_tokener_parse("{\"MaxResults\": 1}");
    struct api_request *a = api_call_start(client, "ListIdentityPools", in, call_done, &r1, &err);
    struct api_request *b = api_call_start(client, "ListIdentityPools", in, call_done, &r2, &err);
    CHECK(a != NULL && b != NULL);
    CHECK_STR_EQ(api_request_waiting_for(a), "process");
    CHECK_STR_EQ(api_client_waiting_for(client), "process");
    CHECK_INT_EQ(api_client_pending(client), 2);
    CHECK(api_client_pollfds(client, fds, 32, &timeout) >= 2); /* the helper's pipes */
    for (int i = 0; i < 400 && pid <= 0; i++) {
        usleep(25 * 1000);
        if ((f = fopen(pidfile, "r"))) {
            if (fscanf(f, "%d", &pid) != 1)
                pid = 0;
            fclose(f);
        }
    }
    CHECK(pid > 0);
    /* Esc on one: the other still waits, the helper goes on. */
    api_request_cancel(a);
    CHECK(r1.done && r1.kind == API_ERR_CANCELLED);
    CHECK(pid > 0 && pid_alive(pid));
    api_request_cancel(b);
    CHECK(r2.done && r2.kind == API_ERR_CANCELLED);
    CHECK(pid > 0 && !pid_alive(pid));
    CHECK(api_client_waiting_for(client) == NULL);

    /* This time the helper answers: the request goes out and succeeds. */
    struct api_request *c3 = api_call_start(client, "ListIdentityPools", in, call_done, &r3, &err);
    CHECK(c3 != NULL);
    tenv_write("gate", "");
    time_t until = time(NULL) + 60;
    while (!r3.done && time(NULL) < until) {
        int n = api_client_pollfds(client, fds, 32, &timeout);
        poll(fds, (nfds_t)n, timeout < 0 || timeout > 200 ? 200 : timeout);
        api_client_perform(client);
    }
    CHECK(r3.done && r3.kind == API_ERR_NONE && r3.output != NULL);
    CHECK(api_client_waiting_for(client) == NULL);
    json_object_put(r3.output);
    json_object_put(in);
    api_client_free(client);
    api_config_free(&cfg);
}

/* The console's MFA dialog: asked from inside perform (never from inside
 * the start), answered later, the fetch then going on; withdrawn when the
 * request is cancelled. */
static struct api_mfa_question *asked;
static int asks, withdrawals;
static char asked_serial[200];

static void ask(void *ctx, struct api_mfa_question *q, const char *serial)
{
    asks++;
    asked = q;
    snprintf(asked_serial, sizeof asked_serial, "%s", serial);
}

static void withdraw(void *ctx, struct api_mfa_question *q)
{
    withdrawals++;
    CHECK(q == asked);
    asked = NULL;
}

static void test_mfa_asked_asynchronously(void)
{
    struct api_config cfg;
    struct api_config_options opt = {.profile = "mfa", .mfa_ask = {ask, withdraw, NULL}};
    struct api_credentials c = {0};
    struct api_credentials_op *op = NULL;
    struct async_result r = {0};
    struct api_error err;

    setup(ROLES, NULL);
    asks = withdrawals = 0;
    asked = NULL;
    api_error_clear(&err);
    CHECK_INT_EQ(api_config_resolve(&opt, &cfg, &err), 0);
    CHECK_INT_EQ(api_credentials_start(cfg.credentials, time(NULL), &c, async_done, &r, &op, &err),
                 API_CREDENTIALS_PENDING);
    CHECK_INT_EQ(asks, 0); /* not from inside the start */
    api_credentials_perform(cfg.credentials);
    CHECK_INT_EQ(asks, 1);
    CHECK_STR_EQ(asked_serial, "arn:aws:iam::123456789012:mfa/admin");
    CHECK_STR_EQ(api_credentials_op_waiting_for(op), "MFA code");
    /* Esc on the request: the dialog is told to go. */
    api_credentials_op_cancel(op);
    CHECK_INT_EQ(withdrawals, 1);
    CHECK(!r.done);

    CHECK_INT_EQ(api_credentials_start(cfg.credentials, time(NULL), &c, async_done, &r, &op, &err),
                 API_CREDENTIALS_PENDING);
    api_credentials_perform(cfg.credentials);
    CHECK_INT_EQ(asks, 2);
    if (asked)
        api_mfa_answer(asked, "123456");
    CHECK(!r.done); /* the answer never calls back by itself */
    drive(cfg.credentials, &r.done);
    CHECK(r.done && r.rc == 0);
    CHECK(strncmp(r.key, "ASIA", 4) == 0);
    CHECK_INT_EQ(withdrawals, 1);
    api_config_free(&cfg);

    /* The user cancels the dialog: a clear failure. */
    setup(ROLES, NULL);
    memset(&r, 0, sizeof r);
    CHECK_INT_EQ(api_config_resolve(&opt, &cfg, &err), 0);
    CHECK_INT_EQ(api_credentials_start(cfg.credentials, time(NULL), &c, async_done, &r, &op, &err),
                 API_CREDENTIALS_PENDING);
    api_credentials_perform(cfg.credentials);
    if (asked)
        api_mfa_answer(asked, NULL);
    drive(cfg.credentials, &r.done);
    CHECK(r.done && r.rc != 0);
    CHECK_HAS(r.message, "no MFA code was given");
    api_config_free(&cfg);
}

/* ---- container ---- */

static void test_container(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    char url[200];
    const char *token_path;

    setup("[default]\nregion = us-east-1\n", NULL);
    snprintf(url, sizeof url, "%s/_ecs/creds", emu_url);
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "emulator-ecs-token", 1);
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    CHECK_STR_EQ(api_credentials_source(cfg.credentials), "container");
    api_credentials_clear(&c);
    api_config_free(&cfg);

    /* The token file wins over the variable. */
    token_path = tenv_write("ecs-token", "emulator-ecs-token");
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong", 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_path, 1);
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    api_credentials_clear(&c);
    api_config_free(&cfg);

    tenv_write("ecs-token", "emulator-ecs-token\r\nX-Injected: 1");
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "carriage return or line feed");
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);
    unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");

    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "emulator-ecs-token\n", 1);
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), -2);
    CHECK_HAS(err.message, "carriage return or line feed");

    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-the-token", 1);
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "HTTP 403");
    CHECK_HAS(err.message, "source container");
    api_config_free(&cfg);

    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "emulator-ecs-token", 1);
    emu_faults("badjson*2/ContainerCredentials");
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "not valid JSON");
    CHECK_NO_SECRET(err.message);
    api_config_free(&cfg);

    emu_faults("delay:3000*2/ContainerCredentials");
    time_t t0 = time(NULL);
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), -1);
    CHECK(time(NULL) - t0 <= 8); /* 2 s a try, two tries */
    CHECK_INT_EQ(err.kind, API_ERR_TRANSPORT);
    api_config_free(&cfg);
    emu_faults("");
}

static void test_container_url_rules(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    static const char *refused[] = {"http://10.0.0.1/creds", "http://169.254.170.3/x",
                                    "http://example.com/creds", "ftp://127.0.0.1/x"};
    static const char *allowed[] = {
        "http://127.0.0.1:1/x",    "http://localhost:1/x",
        "http://[::1]:1/x",        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/x", "https://creds.example.com/x"};

    setup("[default]\nregion = us-east-1\n", NULL);
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", refused[i], 1);
        CHECK_INT_EQ(get(NULL, &cfg, &c, &err), -2);
        CHECK_HAS(err.message, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    }
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
        struct api_config_options opt = {0};
        setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", allowed[i], 1);
        api_error_clear(&err);
        int rc = api_config_resolve(&opt, &cfg, &err);
        if (rc != 0)
            fprintf(stderr, "  %s: %s\n", allowed[i], err.message);
        CHECK_INT_EQ(rc, 0);
        if (rc == 0)
            api_config_free(&cfg);
    }
    /* The relative URI goes to 169.254.170.2 and wins over the full one. */
    setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "no-slash", 1);
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), -2);
    CHECK_HAS(err.message, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
}

/* ---- instance metadata ---- */

static void test_imds(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;

    setup("[default]\nregion = us-east-1\n", NULL);
    unsetenv("AWS_EC2_METADATA_DISABLED");
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", emu_url, 1);
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    CHECK_STR_EQ(api_credentials_source(cfg.credentials), "imds");
    api_credentials_clear(&c);
    api_config_free(&cfg);

    /* Token PUT refused with 403, IMDSv1 disabled: a clear error. */
    setenv("AWS_EC2_METADATA_V1_DISABLED", "true", 1);
    emu_faults("status:403*1/IMDSToken");
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "IMDSv1 is disabled");
    CHECK_HAS(err.message, "HTTP 403");
    CHECK_HAS(err.message, "no credentials found for profile default");
    api_config_free(&cfg);

    /* Token PUT refused, IMDSv1 allowed: tried without a token (the emulator
     * refuses IMDSv1 with 401), so no credentials. */
    unsetenv("AWS_EC2_METADATA_V1_DISABLED");
    emu_faults("status:403*1/IMDSToken");
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "HTTP 401 (IMDSv1, without a token)");
    api_config_free(&cfg);

    /* A token PUT that never answers: 1 s, then IMDSv1, also 1 s at most. */
    emu_faults("delay:2500*1/IMDSToken,delay:2500*1/IMDSRoleList");
    time_t t0 = time(NULL);
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), -1);
    CHECK(time(NULL) - t0 <= 4);
    CHECK_HAS(err.message, "instance metadata");
    api_config_free(&cfg);

    /* Bad JSON in the credentials answer. */
    emu_faults("badjson*1/IMDSCredentials");
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "not valid JSON");
    api_config_free(&cfg);
    emu_faults("");

    /* Disabled: not even tried. */
    setenv("AWS_EC2_METADATA_DISABLED", "TRUE", 1);
    CHECK_INT_EQ(get(NULL, &cfg, &c, &err), -1);
    CHECK_HAS(err.message, "AWS_EC2_METADATA_DISABLED");
    api_config_free(&cfg);
}

static void test_credential_source_imds_and_container(void)
{
    struct api_config cfg;
    struct api_credentials c;
    struct api_error err;
    char url[200];

    setup("[profile on-ec2]\nrole_arn = arn:aws:iam::123456789012:role/FromEc2\n"
          "credential_source = Ec2InstanceMetadata\n"
          "[profile on-ecs]\nrole_arn = arn:aws:iam::123456789012:role/FromEcs\n"
          "credential_source = EcsContainer\n",
          NULL);
    unsetenv("AWS_EC2_METADATA_DISABLED");
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", emu_url, 1);
    CHECK_INT_EQ(get("on-ec2", &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    api_credentials_clear(&c);
    api_config_free(&cfg);

    CHECK_INT_EQ(get("on-ecs", &cfg, &c, &err), -2); /* no container variables */
    CHECK_HAS(err.message, "EcsContainer");
    snprintf(url, sizeof url, "%s/_ecs/creds", emu_url);
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "emulator-ecs-token", 1);
    CHECK_INT_EQ(get("on-ecs", &cfg, &c, &err), 0);
    CHECK(temporary(&c));
    api_credentials_clear(&c);
    api_config_free(&cfg);

    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    CHECK_INT_EQ(get("on-ec2", &cfg, &c, &err), -2);
    CHECK_HAS(err.message, "AWS_EC2_METADATA_DISABLED");
}

/* ---- refresh against a real source ---- */

static void test_refresh_keeps_old_credentials_on_advisory_failure(void)
{
    struct api_config cfg;
    struct api_credentials c1, c2;
    struct api_error err;
    char url[200];
    time_t now = time(NULL);

    setup("[default]\nregion = us-east-1\n", NULL);
    emu_control("/_emulator/settings", "{\"credential_duration_seconds\": 1800}");
    snprintf(url, sizeof url, "%s/_ecs/creds", emu_url);
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "emulator-ecs-token", 1);
    CHECK_INT_EQ(get(NULL, &cfg, &c1, &err), 0);
    CHECK(c1.expiration >= now + 1790 && c1.expiration <= now + 1810);
    /* 12 minutes before expiry, the endpoint down: the old credentials. */
    emu_faults("5xx:503*2/ContainerCredentials");
    CHECK_INT_EQ(api_credentials_get(cfg.credentials, c1.expiration - 720, &c2, &err), 0);
    CHECK_STR_EQ(c2.access_key_id, c1.access_key_id);
    api_credentials_clear(&c2);
    /* Endpoint up again, but within the 30 s back-off: still the old ones. */
    emu_faults("");
    CHECK_INT_EQ(api_credentials_get(cfg.credentials, c1.expiration - 720 + 29, &c2, &err), 0);
    CHECK_STR_EQ(c2.access_key_id, c1.access_key_id);
    api_credentials_clear(&c2);
    /* After it: new credentials. */
    CHECK_INT_EQ(api_credentials_get(cfg.credentials, c1.expiration - 720 + 30, &c2, &err), 0);
    CHECK(strcmp(c2.access_key_id, c1.access_key_id) != 0);
    time_t exp2 = c2.expiration;
    api_credentials_clear(&c2);
    /* 5 minutes before the new expiry, endpoint down: an error (mandatory). */
    emu_faults("5xx:503*2/ContainerCredentials");
    CHECK_INT_EQ(api_credentials_get(cfg.credentials, exp2 - 300, &c2, &err), -1);
    CHECK_HAS(err.message, "HTTP 503");
    CHECK_NO_SECRET(err.message);
    emu_faults("");
    api_credentials_clear(&c1);
    api_config_free(&cfg);
}

int main(void)
{
    if (emu_start() != 0) {
        printf("not ok - emulator: could not start tests/emulator/emulator.py\n");
        return 1;
    }
    RUN(test_assume_role);
    RUN(test_chain_expiration);
    RUN(test_assume_role_external_id);
    RUN(test_assume_role_bad_answers);
    RUN(test_assume_role_mfa);
    RUN(test_assume_role_configuration_errors);
    RUN(test_assume_role_from_environment);
    RUN(test_sts_through_services_section);
    RUN(test_credentials_sign_cognito_calls);
    RUN(test_web_identity);
    RUN(test_sso);
    RUN(test_sso_expired_and_refused);
    RUN(test_sso_token_refresh);
    RUN(test_process);
    RUN(test_process_expiration_honoured);
    RUN(test_process_is_asynchronous);
    RUN(test_process_killed_after_120_s);
    RUN(test_process_inherits_no_descriptor);
    RUN(test_process_runs_once_per_window);
    RUN(test_mfa_asked_asynchronously);
    RUN(test_client_waits_for_credentials);
    RUN(test_container);
    RUN(test_container_url_rules);
    RUN(test_imds);
    RUN(test_credential_source_imds_and_container);
    RUN(test_refresh_keeps_old_credentials_on_advisory_failure);
    emu_stop();
    return check_finish();
}
