/* api/account.c — the account id from the environment, the profile, or STS
 * GetCallerIdentity (order and contract in api/account.h). The STS call
 * goes through credentials_sts.c, the same client assume role uses (one STS
 * client in the tree), on the loop of the config's credentials. */
#include "api/account.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/credentials_loop.h"
#include "api/credentials_provider.h"
#include "api/credentials_sts.h"
#include "api/endpoint.h"
#include "api/ini.h"

struct api_account_lookup {
    const struct api_config *cfg;
    char *endpoint;
    char what[300];
    time_t now;
    struct api_credentials_op *creds_op;
    struct cred_sts_call *call;
    api_account_done_fn done;
    void *ctx;
};

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

static void lookup_free(struct api_account_lookup *l)
{
    api_credentials_op_cancel(l->creds_op);
    cred_sts_cancel(l->call);
    free(l->endpoint);
    free(l);
}

void api_account_lookup_cancel(struct api_account_lookup *l)
{
    if (l)
        lookup_free(l);
}

/* The lookup's end, from a loop callback. */
static void finish(struct api_account_lookup *l, const char *account, const struct api_error *err)
{
    api_account_done_fn done = l->done;
    void *ctx = l->ctx;
    char id[API_ACCOUNT_ID_LEN + 1] = "";

    if (account) {
        memcpy(id, account, sizeof id);
        if (l->cfg->cache)
            memcpy(l->cfg->cache->account_id, id, sizeof id);
    }
    lookup_free(l);
    done(ctx, account ? id : NULL, err);
}

static void sts_answered(void *ctx, int rc, struct api_http_response *resp,
                         const struct api_error *err)
{
    struct api_account_lookup *l = ctx;
    struct api_error e = *err;
    char *account = NULL;

    l->call = NULL;
    if (rc == 0) {
        const char *from = resp->body, *to = resp->body + resp->body_len;
        const char *result = memmem(from, resp->body_len, "<GetCallerIdentityResult>", 25);
        account = result ? cred_xml_text(result, to, "Account") : NULL;
        if (!account_valid(account)) {
            api_error_set(&e, API_ERR_CREDENTIALS,
                          "%s: the STS GetCallerIdentity answer has no 12-digit Account", l->what);
            free(account);
            account = NULL;
        }
    }
    finish(l, account, &e);
    free(account);
}

/* With credentials in hand: GetCallerIdentity. Returns
 * API_ACCOUNT_PENDING or -1 with err. */
static int ask_sts(struct api_account_lookup *l, struct api_credentials *creds,
                   struct api_error *err)
{
    struct cred_sts_request rq = {l->cfg->credentials->loop,
                                  l->endpoint,
                                  l->cfg->region,
                                  "GetCallerIdentity",
                                  "Action=GetCallerIdentity&Version=2011-06-15",
                                  creds,
                                  l->now,
                                  l->what};

    l->call = cred_sts_start(&rq, sts_answered, l, err);
    api_credentials_clear(creds); /* signed: no longer needed */
    return l->call ? API_ACCOUNT_PENDING : -1;
}

static void creds_answered(void *ctx, int rc, struct api_credentials *creds,
                           const struct api_error *err)
{
    struct api_account_lookup *l = ctx;
    struct api_error e = *err;

    l->creds_op = NULL;
    if (rc == 0) {
        api_error_clear(&e);
        if (ask_sts(l, creds, &e) == API_ACCOUNT_PENDING)
            return;
    }
    finish(l, NULL, &e);
}

/* AWS_ACCOUNT_ID, then the profile's aws_account_id: 0 with found[] set,
 * 1 when neither is set, -1 with err. The endpoint of STS, when needed. */
static int from_settings(const struct api_config *cfg, char *found, char **sts_endpoint,
                         struct api_error *err)
{
    const char *env = getenv("AWS_ACCOUNT_ID");
    struct aws_files files;
    struct aws_setting s;
    char where[600];
    int rc = 1;

    if (env && env[0]) {
        if (!account_valid(env))
            return bad_setting(env, "AWS_ACCOUNT_ID", err);
        memcpy(found, env, API_ACCOUNT_ID_LEN + 1);
        return 0;
    }
    if (aws_files_load(&files, err) != 0)
        return -1;
    if (aws_profile_get(&files, cfg->profile ? cfg->profile : "default", "aws_account_id", &s) &&
        s.value[0]) {
        snprintf(where, sizeof where, "aws_account_id in %.400s line %d", s.file, s.line);
        if (account_valid(s.value)) {
            memcpy(found, s.value, API_ACCOUNT_ID_LEN + 1);
            rc = 0;
        } else {
            rc = bad_setting(s.value, where, err);
        }
    } else if (api_endpoint_resolve(&api_endpoint_sts, &files, cfg->profile, NULL, cfg->region,
                                    sts_endpoint, err) != 0) {
        rc = -1;
    }
    aws_files_free(&files);
    return rc;
}

int api_account_id_start(const struct api_config *cfg, char *out, size_t size,
                         api_account_done_fn done, void *ctx, struct api_account_lookup **lookup,
                         struct api_error *err)
{
    char found[API_ACCOUNT_ID_LEN + 1] = "";
    struct api_credentials creds = {0};
    struct api_account_lookup *l;
    char *endpoint = NULL;
    int rc;

    *lookup = NULL;
    if (!cfg || !out || size < sizeof found)
        return api_error_set(err, API_ERR_INVALID_INPUT,
                             "api_account_id needs a config and 13 bytes for the answer");
    if (cfg->cache && cfg->cache->account_id[0]) {
        snprintf(out, size, "%s", cfg->cache->account_id);
        return 0;
    }
    rc = from_settings(cfg, found, &endpoint, err);
    if (rc == 0) {
        if (cfg->cache)
            memcpy(cfg->cache->account_id, found, sizeof found);
        memcpy(out, found, sizeof found);
        return 0;
    }
    if (rc < 0)
        return -1;
    if (!cfg->credentials || !cred_provider_loop(cfg->credentials) || !(l = calloc(1, sizeof *l))) {
        free(endpoint);
        return api_error_set(err, API_ERR_CREDENTIALS,
                             cfg->credentials ? "out of memory" : "no credentials configured");
    }
    l->cfg = cfg;
    l->endpoint = endpoint;
    l->now = time(NULL);
    l->done = done;
    l->ctx = ctx;
    snprintf(l->what, sizeof l->what, "profile %.100s, account id",
             cfg->profile ? cfg->profile : "-");
    rc = api_credentials_start(cfg->credentials, l->now, &creds, creds_answered, l, &l->creds_op,
                               err);
    if (rc == 0)
        rc = ask_sts(l, &creds, err);
    if (rc != API_ACCOUNT_PENDING) {
        lookup_free(l);
        return -1;
    }
    *lookup = l;
    return API_ACCOUNT_PENDING;
}

struct blocking {
    bool done;
    char *out;
    struct api_error *err;
};

static void blocking_done(void *ctx, const char *account_id, const struct api_error *err)
{
    struct blocking *b = ctx;

    b->done = true;
    if (account_id)
        memcpy(b->out, account_id, API_ACCOUNT_ID_LEN + 1);
    else
        *b->err = *err;
}

int api_account_id(const struct api_config *cfg, char *out, size_t size, struct api_error *err)
{
    char id[API_ACCOUNT_ID_LEN + 1] = "";
    struct blocking b = {false, id, err};
    struct api_account_lookup *l = NULL;
    struct cred_loop *loop = cfg && cfg->credentials ? cred_provider_loop(cfg->credentials) : NULL;
    int rc;

    /* Blocking from the start: an MFA code is asked with the synchronous prompt. */
    cred_loop_block(loop, 1);
    rc = api_account_id_start(cfg, out, size, blocking_done, &b, &l, err);
    if (rc == API_ACCOUNT_PENDING) {
        cred_loop_run(loop, &b.done);
        if (!b.done) {
            api_account_lookup_cancel(l);
            rc = api_error_set(err, API_ERR_CREDENTIALS,
                               "the account id lookup stopped without an answer");
        } else if (id[0]) {
            snprintf(out, size, "%s", id);
            rc = 0;
        } else {
            rc = -1;
        }
    }
    cred_loop_block(loop, -1);
    return rc;
}
