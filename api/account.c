/* api/account.c — api_account_id(): the account id from the environment,
 * the profile, or STS GetCallerIdentity (order and contract in
 * api/account.h). The STS call goes through credentials_sts.c, the same
 * client assume role uses: one STS client in the tree. */
#include "api/account.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/credentials_sts.h"
#include "api/endpoint.h"
#include "api/ini.h"

static bool account_valid(const char *s)
{
    if (!s || strlen(s) != API_ACCOUNT_ID_LEN)
        return false;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return true;
}

static int bad_setting(const char *value, const char *where, struct api_error *err)
{
    return api_error_set(err, API_ERR_CREDENTIALS,
                         "account id \"%.40s\" from %s is not 12 digits (like 111122223333)", value,
                         where);
}

/* GetCallerIdentity's <Account>, into out (13+ bytes). */
static int ask_sts(const struct api_config *cfg, const struct aws_files *files, char *out,
                   struct api_error *err)
{
    struct api_credentials creds = {0};
    struct api_http_response resp;
    char *endpoint = NULL, *account = NULL, what[300];
    const char *body = "Action=GetCallerIdentity&Version=2011-06-15";
    time_t now = time(NULL);
    int rc = -1;

    snprintf(what, sizeof what, "profile %.100s, account id", cfg->profile ? cfg->profile : "-");
    if (api_endpoint_resolve(&api_endpoint_sts, files, cfg->profile, NULL, cfg->region, &endpoint,
                             err) != 0)
        return -1;
    if (api_credentials_get(cfg->credentials, now, &creds, err) != 0) {
        free(endpoint);
        return -1;
    }
    struct cred_sts_request rq = {
        endpoint, cfg->region, cfg->ca_bundle, "GetCallerIdentity", body, &creds, now, what};
    if (cred_sts_post(&rq, &resp, err) == 0) {
        const char *from = resp.body, *to = resp.body + resp.body_len;
        const char *result = memmem(from, resp.body_len, "<GetCallerIdentityResult>", 25);
        account = result ? cred_xml_text(result, to, "Account") : NULL;
        if (!account_valid(account))
            api_error_set(err, API_ERR_CREDENTIALS,
                          "%s: the STS GetCallerIdentity answer has no 12-digit Account", what);
        else {
            memcpy(out, account, API_ACCOUNT_ID_LEN + 1);
            rc = 0;
        }
        api_http_response_free(&resp);
    }
    free(account);
    free(endpoint);
    api_credentials_clear(&creds);
    return rc;
}

int api_account_id(const struct api_config *cfg, char *out, size_t size, struct api_error *err)
{
    char found[API_ACCOUNT_ID_LEN + 1] = "", where[600];
    const char *env = getenv("AWS_ACCOUNT_ID");
    struct aws_files files;
    struct aws_setting s;
    int rc = 0;

    if (!cfg || !out || size < sizeof found)
        return api_error_set(err, API_ERR_INVALID_INPUT,
                             "api_account_id needs a config and 13 bytes for the answer");
    if (cfg->cache && cfg->cache->account_id[0]) {
        snprintf(out, size, "%s", cfg->cache->account_id);
        return 0;
    }
    if (env && env[0]) {
        if (!account_valid(env))
            return bad_setting(env, "AWS_ACCOUNT_ID", err);
        memcpy(found, env, sizeof found);
    } else {
        if (aws_files_load(&files, err) != 0)
            return -1;
        if (aws_profile_get(&files, cfg->profile ? cfg->profile : "default", "aws_account_id",
                            &s) &&
            s.value[0]) {
            snprintf(where, sizeof where, "aws_account_id in %.400s line %d", s.file, s.line);
            if (account_valid(s.value))
                memcpy(found, s.value, sizeof found);
            else
                rc = bad_setting(s.value, where, err);
        } else {
            rc = ask_sts(cfg, &files, found, err);
        }
        aws_files_free(&files);
        if (rc != 0)
            return -1;
    }
    if (cfg->cache)
        memcpy(cfg->cache->account_id, found, sizeof found);
    memcpy(out, found, sizeof found);
    return 0;
}
