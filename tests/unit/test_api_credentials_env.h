/* Shared by the config/credentials tests: a clean environment and a
 * temporary HOME with ~/.aws files the test writes. */
#ifndef TEST_API_CREDENTIALS_ENV_H
#define TEST_API_CREDENTIALS_ENV_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const tenv_vars[] = {"AWS_PROFILE",
                                        "AWS_DEFAULT_PROFILE",
                                        "AWS_ACCESS_KEY_ID",
                                        "AWS_SECRET_ACCESS_KEY",
                                        "AWS_SESSION_TOKEN",
                                        "AWS_REGION",
                                        "AWS_DEFAULT_REGION",
                                        "AWS_CA_BUNDLE",
                                        "AWS_CONFIG_FILE",
                                        "AWS_SHARED_CREDENTIALS_FILE",
                                        "AWS_MAX_ATTEMPTS",
                                        "AWS_RETRY_MODE",
                                        "AWS_ENDPOINT_URL",
                                        "AWS_ENDPOINT_URL_COGNITO_IDENTITY",
                                        "AWS_ENDPOINT_URL_STS",
                                        "AWS_ENDPOINT_URL_SSO",
                                        "AWS_ENDPOINT_URL_SSO_OIDC",
                                        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                        "COGNITO_TUI_READ_ONLY",
                                        "AWS_WEB_IDENTITY_TOKEN_FILE",
                                        "AWS_ROLE_ARN",
                                        "AWS_ROLE_SESSION_NAME",
                                        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                                        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                                        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                                        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                                        "AWS_EC2_METADATA_V1_DISABLED",
                                        "AWS_CREDENTIAL_EXPIRATION"};

static char tenv_home[64];

static int tenv_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* Removes the temporary HOME of the previous test, if any. */
static void tenv_cleanup(void)
{
    if (tenv_home[0])
        nftw(tenv_home, tenv_remove_one, 16, FTW_DEPTH | FTW_PHYS);
    tenv_home[0] = '\0';
}

/* Unsets every variable above, disables instance metadata, and makes a new
 * empty HOME (so the ~/.aws files are absent until tenv_write()). */
static void tenv_reset(void)
{
    for (size_t i = 0; i < sizeof tenv_vars / sizeof tenv_vars[0]; i++)
        unsetenv(tenv_vars[i]);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    if (!tenv_home[0])
        atexit(tenv_cleanup);
    tenv_cleanup();
    snprintf(tenv_home, sizeof tenv_home, "/tmp/cognito-tui-cred.XXXXXX");
    if (!mkdtemp(tenv_home))
        perror("mkdtemp");
    setenv("HOME", tenv_home, 1);
}

/* Writes HOME/rel (creating HOME/.aws); returns the path (static buffer). */
static const char *tenv_write(const char *rel, const char *text)
{
    static char path[256];
    char dir[200];
    FILE *f;

    snprintf(dir, sizeof dir, "%s/.aws", tenv_home);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/.aws/sso", tenv_home);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/.aws/sso/cache", tenv_home);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/%s", tenv_home, rel);
    f = fopen(path, "w");
    if (!f) {
        perror(path);
        return path;
    }
    fputs(text, f);
    fclose(f);
    return path;
}

static inline int tenv_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) {
        fprintf(stderr, "  message: %s\n  lacks: %s\n", hay, needle);
        return 0;
    }
    return 1;
}

#endif
