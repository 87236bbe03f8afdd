/* Tests of api/endpoint.c: the endpoint order and the URL checks. */
#include "api/config.h"
#include "api/endpoint.h"
#include "tests/unit/check.h"
#include "tests/unit/test_api_credentials_env.h"

static const char *CONFIG = "[default]\n"
                            "region = eu-west-1\n"
                            "services = local\n"
                            "endpoint_url = https://profile.example\n"
                            "[profile plain]\n"
                            "region = eu-west-1\n"
                            "endpoint_url = https://plain.example:8443/base\n"
                            "[profile ignoring]\n"
                            "region = eu-west-1\n"
                            "endpoint_url = https://ignored.example\n"
                            "ignore_configured_endpoint_urls = true\n"
                            "[profile dangling]\n"
                            "region = eu-west-1\n"
                            "services = nowhere\n"
                            "[profile bad-url]\n"
                            "region = eu-west-1\n"
                            "endpoint_url = ftp://x.example\n"
                            "[services local]\n"
                            "sts =\n"
                            "  endpoint_url = http://127.0.0.1:9001\n"
                            "cognito_identity =\n"
                            "  endpoint_url = http://127.0.0.1:9000\n";

static char *endpoint_of(const char *profile, const char *cli, struct api_error *err)
{
    struct api_config_options opt = {.profile = profile, .endpoint_url = cli};
    struct api_config cfg;
    char *url = NULL;

    api_error_clear(err);
    if (api_config_resolve(&opt, &cfg, err) != 0)
        return NULL;
    url = strdup(cfg.endpoint_url);
    api_config_free(&cfg);
    return url;
}

#define CHECK_ENDPOINT(profile, cli, expect)                                                       \
    do {                                                                                           \
        struct api_error e_;                                                                       \
        char *u_ = endpoint_of(profile, cli, &e_);                                                 \
        if (!u_)                                                                                   \
            fprintf(stderr, "  error: %s\n", e_.message);                                          \
        CHECK_STR_EQ(u_, expect);                                                                  \
        free(u_);                                                                                  \
    } while (0)

static void test_order(void)
{
    tenv_reset();
    tenv_write(".aws/config", CONFIG);
    /* 5: profile endpoint_url when the services section has no entry for us */
    CHECK_ENDPOINT("plain", NULL, "https://plain.example:8443/base");
    /* 4: [services] beats the profile's endpoint_url */
    CHECK_ENDPOINT(NULL, NULL, "http://127.0.0.1:9000");
    /* 3: AWS_ENDPOINT_URL beats the files */
    setenv("AWS_ENDPOINT_URL", "https://global.example", 1);
    CHECK_ENDPOINT(NULL, NULL, "https://global.example");
    /* 2: the service's own variable beats AWS_ENDPOINT_URL */
    setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY", "https://service.example", 1);
    CHECK_ENDPOINT(NULL, NULL, "https://service.example");
    /* 1: the command line beats everything */
    CHECK_ENDPOINT(NULL, "http://localhost:4566", "http://localhost:4566");
}

static void test_default_endpoint(void)
{
    struct api_config_options opt = {.region = "ap-northeast-1"};
    struct api_config cfg;
    struct api_error err;

    tenv_reset();
    api_error_clear(&err);
    CHECK_INT_EQ(api_config_resolve(&opt, &cfg, &err), 0);
    CHECK_STR_EQ(cfg.endpoint_url, "https://cognito-identity.ap-northeast-1.amazonaws.com");
    api_config_free(&cfg);
}

static void test_ignore_configured(void)
{
    tenv_reset();
    tenv_write(".aws/config", CONFIG);
    setenv("AWS_ENDPOINT_URL", "https://global.example", 1);
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
    CHECK_ENDPOINT(NULL, NULL, "https://cognito-identity.eu-west-1.amazonaws.com");
    /* never the command line */
    CHECK_ENDPOINT(NULL, "https://cli.example", "https://cli.example");
    /* the variable set to false wins over the profile's true */
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false", 1);
    unsetenv("AWS_ENDPOINT_URL");
    CHECK_ENDPOINT("ignoring", NULL, "https://ignored.example");
    unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    CHECK_ENDPOINT("ignoring", NULL, "https://cognito-identity.eu-west-1.amazonaws.com");
}

static void test_other_services(void)
{
    struct aws_files files;
    struct api_error err;
    char *url = NULL;

    tenv_reset();
    tenv_write(".aws/config", CONFIG);
    CHECK_INT_EQ(aws_files_load(&files, &err), 0);
    CHECK_INT_EQ(
        api_endpoint_resolve(&api_endpoint_sts, &files, "default", NULL, "eu-west-1", &url, &err),
        0);
    CHECK_STR_EQ(url, "http://127.0.0.1:9001");
    free(url);
    /* No sso entry in [services local]: the profile's endpoint_url (a global setting) */
    CHECK_INT_EQ(
        api_endpoint_resolve(&api_endpoint_sso, &files, "default", NULL, "eu-west-1", &url, &err),
        0);
    CHECK_STR_EQ(url, "https://profile.example");
    free(url);
    setenv("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:7", 1);
    CHECK_INT_EQ(api_endpoint_resolve(&api_endpoint_sso_oidc, &files, "default", NULL, "eu-west-1",
                                      &url, &err),
                 0);
    CHECK_STR_EQ(url, "http://127.0.0.1:7");
    free(url);
    CHECK_INT_EQ(
        api_endpoint_resolve(&api_endpoint_sso, &files, "plain", NULL, "us-east-1", &url, &err), 0);
    CHECK_STR_EQ(url, "https://plain.example:8443/base");
    free(url);
    CHECK_INT_EQ(
        api_endpoint_resolve(&api_endpoint_sts, NULL, "default", NULL, "us-east-1", &url, &err), 0);
    CHECK_STR_EQ(url, "https://sts.us-east-1.amazonaws.com");
    free(url);
    CHECK_INT_EQ(
        api_endpoint_resolve(&api_endpoint_sso, NULL, "default", NULL, "us-east-1", &url, &err), 0);
    CHECK_STR_EQ(url, "https://portal.sso.us-east-1.amazonaws.com");
    free(url);
    CHECK_INT_EQ(
        api_endpoint_resolve(&api_endpoint_sso_oidc, NULL, "x", NULL, "us-east-1", &url, &err), 0);
    CHECK_STR_EQ(url, "http://127.0.0.1:7"); /* the variable, with no files */
    free(url);
    aws_files_free(&files);
}

static void test_errors(void)
{
    struct api_error err;
    char *u;

    tenv_reset();
    tenv_write(".aws/config", CONFIG);
    u = endpoint_of("dangling", NULL, &err);
    CHECK(u == NULL);
    CHECK(tenv_contains(err.message, "[services nowhere]"));
    u = endpoint_of("bad-url", NULL, &err);
    CHECK(u == NULL);
    CHECK(tenv_contains(err.message, "\"ftp://x.example\""));
    CHECK(tenv_contains(err.message, "config line 17 (profile bad-url)"));
    setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY", "localhost:4566", 1);
    u = endpoint_of(NULL, NULL, &err);
    CHECK(u == NULL);
    CHECK(tenv_contains(err.message, "AWS_ENDPOINT_URL_COGNITO_IDENTITY"));
}

static void test_url_shapes(void)
{
    static const char *good[] = {"https://example.com",
                                 "https://example.com/",
                                 "http://127.0.0.1:4566",
                                 "https://[::1]:8443/path",
                                 "HTTPS://Cognito-Identity.eu-west-1.amazonaws.com",
                                 "https://a.b.c/d/e"};
    static const char *bad[] = {"",
                                "example.com",
                                "ftp://example.com",
                                "https://",
                                "https:///path",
                                "https://user:pw@example.com",
                                "https://exa mple.com",
                                "https://example.com:0",
                                "https://example.com:65536",
                                "https://example.com:12ab",
                                "https://example.com/?x=1",
                                "https://example.com#frag",
                                "https://[zz::1]/",
                                "https://ex\x01"
                                "ample.com",
                                "https://example.com\r\nX: y"};
    struct api_error err;

    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        api_error_clear(&err);
        if (api_endpoint_validate(good[i], "test", &err) != 0) {
            fprintf(stderr, "  refused %s: %s\n", good[i], err.message);
            CHECK(!"a good URL was refused");
        }
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        api_error_clear(&err);
        if (api_endpoint_validate(bad[i], "test", &err) == 0) {
            fprintf(stderr, "  accepted %s\n", bad[i]);
            CHECK(!"a bad URL was accepted");
        } else {
            CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
            CHECK(strstr(err.message, "from test") != NULL);
        }
    }
}

static void test_region_names(void)
{
    CHECK(api_region_valid("us-east-1"));
    CHECK(api_region_valid("eu-isoe-west-1"));
    CHECK(api_region_valid("local"));
    CHECK(!api_region_valid(""));
    CHECK(!api_region_valid("-us"));
    CHECK(!api_region_valid("us-"));
    CHECK(!api_region_valid("123"));
    CHECK(!api_region_valid("us east"));
    CHECK(!api_region_valid("us.east"));
    CHECK(!api_region_valid("a234567890123456789012345678901234567890123456789012345678901234"));
}

int main(void)
{
    RUN(test_order);
    RUN(test_default_endpoint);
    RUN(test_ignore_configured);
    RUN(test_other_services);
    RUN(test_errors);
    RUN(test_url_shapes);
    RUN(test_region_names);
    return check_finish();
}
