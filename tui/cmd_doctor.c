/* tui/cmd_doctor.c — the `doctor` verb (contract in cmd_doctor.h). */
#include "tui/cmd_doctor.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "api/doctor.h"
#include "api/doctor_source.h"
#include "api/operations.h"
#include "api/secret_file.h"
#include "tui/cmd_audit.h"
#include "tui/cmd_call.h"
#include "tui/csv.h"
#include "tui/journal.h"
#include "tui/tty_prompt.h"

#define TOKEN_FILE_MAX (64 * 1024)

/* The live step's changes (GetId creates an identity) are journaled as
 * every verb's are. */
static void journal_sent(void *ctx, const char *op, json_object *in, json_object *out_json,
                         const struct api_error *e)
{
    const struct api_config *cfg = ctx;
    const struct api_operation *o = api_operation_find(op);
    char why[300];
    if (!o || !o->mutates)
        return;
    struct journal_entry j = {cfg->profile, cfg->region, op, in, e, out_json, NULL};
    (void)journal_record(&j, why, sizeof why);
}

static void line(FILE *out, const char *s)
{
    text_write_terminal(out, s, strlen(s), true);
}

static void print_error_hint(FILE *out, const char *message)
{
    const struct api_doctor_error_hint *h;
    fputs("error: ", out);
    line(out, message);
    fputs("\n", out);
    if (api_doctor_map_error(message, &h)) {
        fprintf(out, "  from the %s step%s%s: %s\n", api_doctor_step_names[h->step],
                h->has_also ? " or the " : "", h->has_also ? api_doctor_step_names[h->also] : "",
                h->check);
    } else {
        fputs("  not a message the doctor knows (it reads the identity pool errors of "
              "GetId, GetCredentialsForIdentity and GetOpenIdToken)\n",
              out);
    }
}

static json_object *error_json(const char *message)
{
    const struct api_doctor_error_hint *h;
    json_object *o = json_object_new_object();
    bool known = api_doctor_map_error(message, &h);
    json_object_object_add(o, "message", json_object_new_string(message));
    json_object_object_add(o, "step",
                           known ? json_object_new_string(api_doctor_step_names[h->step]) : NULL);
    json_object_object_add(o, "check", known ? json_object_new_string(h->check) : NULL);
    if (known && h->has_also)
        json_object_object_add(o, "also_step",
                               json_object_new_string(api_doctor_step_names[h->also]));
    return o;
}

static void print_text(FILE *out, const struct api_doctor_report *r, const char *pool_id,
                       const char *who)
{
    fputs("doctor: pool ", out);
    line(out, pool_id);
    fputs(", ", out);
    line(out, who);
    fputs("\n", out);
    for (int i = 0; i < API_DOCTOR_N_STEPS; i++) {
        const struct api_doctor_step *s = &r->steps[i];
        fprintf(out, "  %-4s %-15s ",
                s->status == API_DOCTOR_OK     ? "ok"
                : s->status == API_DOCTOR_FAIL ? "FAIL"
                                               : "-",
                api_doctor_step_names[i]);
        line(out, s->detail);
        fputs("\n", out);
        if (s->fix[0]) {
            fputs("       fix: ", out);
            line(out, s->fix);
            fputs("\n", out);
        }
        if (s->status == API_DOCTOR_FAIL && s->evidence) {
            fputs("       evidence:\n", out);
            for (const char *p = s->evidence; *p;) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);
                fputs("         ", out);
                text_write_terminal(out, p, n, true);
                fputs("\n", out);
                p = nl ? nl + 1 : p + n;
            }
        }
    }
    fprintf(out, "verdict: %s", r->ok ? "ok" : "fail");
    if (r->failed_step >= 0)
        fprintf(out, " at the %s step", api_doctor_step_names[r->failed_step]);
    if (r->role_arn) {
        fputs("; role ", out);
        line(out, r->role_arn);
    }
    fputs("\n", out);
}

int cmd_doctor_run(const struct command_line *cl, FILE *out, FILE *err)
{
    const struct doctor_cli_options *o = &cl->doctor;
    bool alone = !o->login && !o->unauthenticated && !o->developer_user;

    if (alone) {
        const struct api_doctor_error_hint *h;
        bool known = api_doctor_map_error(o->error, &h);
        if (o->json) {
            json_object *j = json_object_new_object();
            json_object_object_add(j, "error", error_json(o->error));
            json_text_write(out, json_object_to_json_string_ext(j, CLI_JSON_PRETTY),
                            isatty(fileno(out)));
            fputs("\n", out);
            json_object_put(j);
        } else {
            print_error_hint(out, o->error);
        }
        return known ? 0 : CLI_EXIT_FINDINGS;
    }

    struct api_doctor_login login = {0};
    char *provider = NULL, *file_token = NULL;
    size_t file_len = 0;
    struct api_error e;
    int rc = 0;
    char who[400];

    if (o->login) {
        const char *eq = strchr(o->login, '=');
        provider = strndup(o->login, (size_t)(eq - o->login));
        login.kind = API_DOCTOR_LOGIN;
        login.provider = provider;
        if (eq[1] == '@') {
            int got = secret_file_read(eq + 2, TOKEN_FILE_MAX, 0, &file_token, &file_len, &e);
            if (got != 0) {
                char why[700];
                snprintf(why, sizeof why, "--login %.200s=@FILE: %.450s", provider,
                         got > 0 ? "no such file" : e.message);
                free(provider);
                return cli_report(err, 2, "Usage", why);
            }
            /* A file ends with a newline, a token never does. */
            while (file_len > 0 &&
                   (file_token[file_len - 1] == '\n' || file_token[file_len - 1] == '\r' ||
                    file_token[file_len - 1] == ' '))
                file_token[--file_len] = '\0';
            login.token = file_token;
        } else {
            login.token = eq + 1;
        }
        snprintf(who, sizeof who, "login %.300s", provider);
    } else if (o->developer_user) {
        login.kind = API_DOCTOR_DEVELOPER;
        login.developer_user = o->developer_user;
        snprintf(who, sizeof who, "developer user %.300s", o->developer_user);
    } else {
        login.kind = API_DOCTOR_GUEST;
        snprintf(who, sizeof who, "a guest (no login)");
    }

    struct global_options g = cl->global;
    if (!g.config.mfa_prompt)
        g.config.mfa_prompt = tty_mfa_prompt;
    struct cli_session s;
    struct api_doctor_source src = {0};
    struct api_doctor_report r;
    memset(&r, 0, sizeof r);
    if (cli_session_open(&s, &g, &e) != 0) {
        rc = cli_report_error(err, &e);
        goto out;
    }
    if (o->live && api_client_read_only(s.client)) {
        /* The api guard decides, before anything else is read or sent. */
        struct api_prepared_request p;
        json_object *probe = json_object_new_object();
        json_object_object_add(probe, "IdentityPoolId", json_object_new_string(o->pool));
        bool refused = api_client_prepare(s.client, "GetId", probe, &p, &e) != 0 &&
                       e.kind == API_ERR_READ_ONLY;
        api_prepared_request_wipe(&p);
        json_object_put(probe);
        if (refused) {
            rc = cli_report(err, api_error_exit_code(&e), "ReadOnly",
                            "doctor --live calls GetId, which creates an identity: refused in "
                            "read-only mode (run it without --live for the offline steps)");
            cli_session_close(&s);
            goto out;
        }
    }
    if (api_doctor_source_open(&src, s.client, &s.config, &e) != 0 ||
        api_doctor_run(&src, o->pool, &login, time(NULL), &r, &e) != 0) {
        rc = cli_report_error(err, &e);
        api_doctor_source_close(&src);
        cli_session_close(&s);
        goto out;
    }
    if (o->live &&
        api_doctor_live(s.client, o->pool, &login, &r, journal_sent, &s.config, &e) != 0) {
        rc = cli_report_error(err, &e);
        api_doctor_report_clear(&r);
        api_doctor_source_close(&src);
        cli_session_close(&s);
        goto out;
    }
    if (o->json) {
        json_object *j = api_doctor_report_json(&r);
        if (o->error)
            json_object_object_add(j, "error", error_json(o->error));
        json_text_write(out, json_object_to_json_string_ext(j, CLI_JSON_PRETTY),
                        isatty(fileno(out)));
        fputs("\n", out);
        json_object_put(j);
    } else {
        print_text(out, &r, o->pool, who);
        if (o->error)
            print_error_hint(out, o->error);
    }
    rc = r.ok ? 0 : CLI_EXIT_FINDINGS;
    cli_session_clock_note(err, &s);
    api_doctor_report_clear(&r);
    api_doctor_source_close(&src);
    cli_session_close(&s);
out:
    if (file_token)
        secret_file_free(file_token, file_len);
    free(provider);
    return rc;
}
