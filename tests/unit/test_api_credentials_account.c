/* api_account_id() (api/account.h): AWS_ACCOUNT_ID, then the profile's
 * aws_account_id, then STS GetCallerIdentity on the emulator, signed with
 * the config's credentials; bad settings named; the answer cached in the
 * config and failures not cached. */
#include <json-c/json.h>

#include "api/account.h"
#include "api/config.h"
#include "tests/unit/check.h"
#include "tests/unit/test_api_credentials_emulator.h"
#include "tests/unit/test_api_credentials_env.h"

#define KEY_ID      "AKIAIOSFODNN7EXAMPLE"
#define SECRET      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define EMU_ACCOUNT "123456789012"
/* Nothing listens there: a test that must not reach STS points STS here. */
#define NO_STS "http://127.0.0.1:9"

#define CHECK_HAS(msg, needle)                                                                     \
    do {                                                                                           \
        if (!strstr((msg), (needle))) {                                                            \
            char why_[600];                                                                        \
            snprintf(why_, sizeof why_, "\"%.400s\" lacks \"%.60s\"", (msg), (needle));            \
            check_fail(__FILE__, __LINE__, why_);                                                  \
        }                                                                                          \
    } while (0)

static const char *CONFIG = "[profile keys]\n"
                            "region = us-east-1\n"
                            "[profile admin]\n"
                            "region = us-east-1\n"
                            "role_arn = arn:aws:iam::123456789012:role/Admin\n"
                            "source_profile = keys\n"
                            "[profile named]\n"
                            "region = us-east-1\n"
                            "aws_account_id = 444455556666\n"
                            "[profile bad]\n"
                            "region = us-east-1\n"
                            "aws_account_id = 4444-5555-6666\n"
                            "[profile nokeys]\n"
                            "region = us-east-1\n";

static const char *CREDENTIALS = "[keys]\n"
                                 "aws_access_key_id = " KEY_ID "\n"
                                 "aws_secret_access_key = " SECRET "\n"
                                 "[named]\n"
                                 "aws_access_key_id = " KEY_ID "\n"
                                 "aws_secret_access_key = " SECRET "\n";

static void setup(const char *sts_url)
{
    tenv_reset();
    unsetenv("AWS_ACCOUNT_ID");
    emu_control("/_emulator/reset", "{}");
    setenv("AWS_ENDPOINT_URL_STS", sts_url, 1);
    tenv_write(".aws/config", CONFIG);
    tenv_write(".aws/credentials", CREDENTIALS);
}

static int resolve(const char *profile, struct api_config *cfg)
{
    struct api_config_options opt = {.profile = profile};
    struct api_error err;

    api_error_clear(&err);
    memset(cfg, 0, sizeof *cfg);
    int rc = api_config_resolve(&opt, cfg, &err);
    if (rc != 0)
        fprintf(stderr, "  resolve %s: %s\n", profile, err.message);
    return rc;
}

/* The access key ids the emulator saw GetCallerIdentity signed with, space
 * separated ("" when none). */
static void caller_identity_keys(char *out, size_t size)
{
    char url[256];
    struct api_http_request req = {0};
    struct api_http_response resp = {0};
    struct api_error err;
    json_object *o = NULL, *list;

    out[0] = '\0';
    snprintf(url, sizeof url, "%s/_emulator/requests", emu_url);
    req.method = "GET";
    req.url = url;
    api_error_clear(&err);
    if (api_http_request(&req, &resp, &err) == 0 && resp.status == 200)
        o = json_tokener_parse(resp.body);
    if (o && json_object_object_get_ex(o, "requests", &list)) {
        for (size_t i = 0; i < json_object_array_length(list); i++) {
            json_object *r = json_object_array_get_idx(list, i), *op, *key;
            if (json_object_object_get_ex(r, "operation", &op) &&
                !strcmp(json_object_get_string(op), "GetCallerIdentity") &&
                json_object_object_get_ex(r, "access_key_id", &key))
                snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? " " : "",
                         json_object_get_string(key));
        }
    }
    json_object_put(o);
    api_http_response_free(&resp);
}

static void test_environment_first(void)
{
    struct api_config cfg;
    struct api_error err;
    char id[16] = "";

    setup(NO_STS);
    setenv("AWS_ACCOUNT_ID", "111122223333", 1);
    if (resolve("named", &cfg) != 0)
        return;
    api_error_clear(&err);
    CHECK_INT_EQ(api_account_id(&cfg, id, sizeof id, &err), 0);
    CHECK_STR_EQ(id, "111122223333"); /* over the profile's aws_account_id */
    api_config_free(&cfg);

    setenv("AWS_ACCOUNT_ID", "12345", 1);
    if (resolve("keys", &cfg) != 0)
        return;
    CHECK_INT_EQ(api_account_id(&cfg, id, sizeof id, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK_HAS(err.message, "AWS_ACCOUNT_ID");
    CHECK_HAS(err.message, "12 digits");
    CHECK_STR_EQ(cfg.cache->account_id, ""); /* a failure is not remembered */
    api_config_free(&cfg);
    unsetenv("AWS_ACCOUNT_ID");
}

static void test_profile_setting(void)
{
    struct api_config cfg;
    struct api_error err;
    char id[16] = "";

    setup(NO_STS);
    if (resolve("named", &cfg) != 0)
        return;
    api_error_clear(&err);
    CHECK_INT_EQ(api_account_id(&cfg, id, sizeof id, &err), 0);
    CHECK_STR_EQ(id, "444455556666");
    api_config_free(&cfg);

    if (resolve("bad", &cfg) != 0)
        return;
    CHECK_INT_EQ(api_account_id(&cfg, id, sizeof id, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    CHECK_HAS(err.message, "aws_account_id");
    CHECK_HAS(err.message, ".aws/config line 12");
    api_config_free(&cfg);

    /* Too small a buffer is refused, not overrun. */
    if (resolve("named", &cfg) != 0)
        return;
    char small[12];
    CHECK_INT_EQ(api_account_id(&cfg, small, sizeof small, &err), -1);
    api_config_free(&cfg);
}

static void test_sts_and_cache(void)
{
    struct api_config cfg;
    struct api_error err;
    char id[16] = "", keys[512];

    setup(emu_url);
    if (resolve("keys", &cfg) != 0)
        return;
    api_error_clear(&err);
    CHECK_INT_EQ(api_account_id(&cfg, id, sizeof id, &err), 0);
    CHECK_STR_EQ(id, EMU_ACCOUNT);
    caller_identity_keys(keys, sizeof keys);
    CHECK_STR_EQ(keys, KEY_ID); /* one call, signed with the profile's keys */
    /* Cached: STS gone, the answer stays, and nothing more is sent. */
    setenv("AWS_ENDPOINT_URL_STS", NO_STS, 1);
    memset(id, 0, sizeof id);
    CHECK_INT_EQ(api_account_id(&cfg, id, sizeof id, &err), 0);
    CHECK_STR_EQ(id, EMU_ACCOUNT);
    caller_identity_keys(keys, sizeof keys);
    CHECK_STR_EQ(keys, KEY_ID);
    /* The same config without its cache has to ask, and STS is gone now. */
    struct api_config uncached = cfg;
    uncached.cache = NULL;
    CHECK_INT_EQ(api_account_id(&uncached, id, sizeof id, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_TRANSPORT);
    CHECK_HAS(err.message, "GetCallerIdentity");
    api_config_free(&cfg);
}

static void test_sts_with_assumed_role(void)
{
    struct api_config cfg;
    struct api_error err;
    char id[16] = "", keys[512];

    setup(emu_url);
    if (resolve("admin", &cfg) != 0)
        return;
    api_error_clear(&err);
    CHECK_INT_EQ(api_account_id(&cfg, id, sizeof id, &err), 0);
    CHECK_STR_EQ(id, EMU_ACCOUNT);
    /* Signed with the role's temporary key, not the source profile's. */
    caller_identity_keys(keys, sizeof keys);
    CHECK(strncmp(keys, "ASIA", 4) == 0);
    CHECK(strchr(keys, ' ') == NULL);
    api_config_free(&cfg);
}

static void test_sts_failures_not_cached(void)
{
    struct api_config cfg;
    struct api_error err;
    char id[16] = "";

    setup(emu_url);
    /* No credentials at all: said, nothing sent. */
    if (resolve("nokeys", &cfg) != 0)
        return;
    api_error_clear(&err);
    CHECK_INT_EQ(api_account_id(&cfg, id, sizeof id, &err), -1);
    CHECK_INT_EQ(err.kind, API_ERR_CREDENTIALS);
    api_config_free(&cfg);

    /* STS answering 503 (STS calls are not retried): an error, then a
     * success once it is back. */
    if (resolve("keys", &cfg) != 0)
        return;
    emu_faults("5xx:503*1/GetCallerIdentity");
    CHECK_INT_EQ(api_account_id(&cfg, id, sizeof id, &err), -1);
    CHECK(strstr(err.message, "GetCallerIdentity") != NULL);
    CHECK(strstr(err.message, SECRET) == NULL);
    CHECK_STR_EQ(cfg.cache->account_id, "");
    emu_faults("");
    CHECK_INT_EQ(api_account_id(&cfg, id, sizeof id, &err), 0);
    CHECK_STR_EQ(id, EMU_ACCOUNT);
    api_config_free(&cfg);
}

struct lookup_result {
    bool done;
    char id[16];
    char message[1100];
};

static void lookup_done(void *ctx, const char *account_id, const struct api_error *err)
{
    struct lookup_result *r = ctx;

    r->done = true;
    if (account_id)
        snprintf(r->id, sizeof r->id, "%s", account_id);
    else
        snprintf(r->message, sizeof r->message, "%s", err->message);
}

/* The Tags pane's lookup never blocks: it starts, runs on the loop of the
 * config's credentials (assume role, then GetCallerIdentity), and answers
 * through its callback; cancelled, it says nothing and caches nothing. */
static void test_lookup_is_asynchronous(void)
{
    struct api_config cfg;
    struct api_account_lookup *l = NULL;
    struct lookup_result r = {0};
    struct api_error err;
    char id[16] = "";
    time_t until;

    setup(emu_url);
    if (resolve("admin", &cfg) != 0)
        return;
    api_error_clear(&err);
    CHECK_INT_EQ(api_account_id_start(&cfg, id, sizeof id, lookup_done, &r, &l, &err),
                 API_ACCOUNT_PENDING);
    CHECK(l != NULL);
    api_account_lookup_cancel(l);
    CHECK(!r.done);
    CHECK_STR_EQ(cfg.cache->account_id, "");

    CHECK_INT_EQ(api_account_id_start(&cfg, id, sizeof id, lookup_done, &r, &l, &err),
                 API_ACCOUNT_PENDING);
    CHECK(!r.done);
    until = time(NULL) + 60;
    while (!r.done && time(NULL) < until) {
        struct pollfd fds[16];
        int timeout = -1;
        int n = api_credentials_pollfds(cfg.credentials, fds, 16, &timeout);
        poll(fds, (nfds_t)n, timeout < 0 || timeout > 200 ? 200 : timeout);
        api_credentials_perform(cfg.credentials);
    }
    CHECK(r.done);
    CHECK_STR_EQ(r.id, EMU_ACCOUNT);
    CHECK_STR_EQ(cfg.cache->account_id, EMU_ACCOUNT);
    /* Known now: at once. */
    CHECK_INT_EQ(api_account_id_start(&cfg, id, sizeof id, lookup_done, &r, &l, &err), 0);
    CHECK_STR_EQ(id, EMU_ACCOUNT);
    api_config_free(&cfg);
}

int main(void)
{
    if (emu_start() != 0) {
        printf("not ok - emulator: could not start tests/emulator/emulator.py\n");
        return 1;
    }
    RUN(test_environment_first);
    RUN(test_profile_setting);
    RUN(test_sts_and_cache);
    RUN(test_sts_with_assumed_role);
    RUN(test_sts_failures_not_cached);
    RUN(test_lookup_is_asynchronous);
    emu_stop();
    return check_finish();
}
