/* tui/cmd_audit.c — the `audit` verb (contract in cmd_audit.h). */
#include "tui/cmd_audit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/account.h"
#include "api/config.h"
#include "tui/atomic_file.h"
#include "tui/audit.h"
#include "tui/audit_report.h"
#include "tui/cmd_call.h"
#include "tui/cmd_export.h"
#include "tui/tty_prompt.h"

struct progress_line {
    FILE *out; /* NULL: not a terminal */
    time_t last;
    bool shown;
};

static void show_progress(void *ctx, const struct audit_progress *p)
{
    struct progress_line *pl = ctx;
    time_t now = time(NULL);

    if (!pl->out || now == pl->last)
        return;
    pl->last = now;
    pl->shown = true;
    fprintf(pl->out, "\raudit: %zu/%zu Regions listed, %zu/%zu pools, %zu/%zu roles, %zu calls ",
            p->regions_listed, p->regions, p->pools_done, p->pools, p->roles_done, p->roles,
            p->requests);
    fflush(pl->out);
}

int cmd_audit_run(const struct command_line *cl, FILE *out, FILE *err)
{
    const struct audit_cli_options *o = &cl->audit;
    struct api_config_options copt = cl->global.config;
    struct api_config cfg;
    struct api_error e;
    struct audit_options ao = {0};
    enum audit_format fmt = AUDIT_FORMAT_TABLE;
    enum audit_severity threshold = AUDIT_INFO;
    char account[16] = "", when[40];
    int rc = 0;

    if (o->format && audit_format_parse(o->format, &fmt) != 0)
        return cli_report(err, 2, "Usage", "unknown --format");
    if (o->fail_on && audit_severity_parse(o->fail_on, &threshold) != 0)
        return cli_report(err, 2, "Usage", "unknown --fail-on");
    if (!copt.mfa_prompt)
        copt.mfa_prompt = tty_mfa_prompt;
    if (api_config_resolve(&copt, &cfg, &e) != 0)
        return cli_report_error(err, &e);
    /* The account names the pools in SARIF and tells roles of other
     * accounts apart; the audit still runs when it cannot be found. */
    struct api_error ae;
    if (api_account_id(&cfg, account, sizeof account, &ae) != 0)
        account[0] = '\0';

    if (o->all_regions) {
        ao.regions = audit_all_regions;
        ao.n_regions = audit_n_all_regions;
    } else if (o->n_regions > 0) {
        ao.regions = o->regions;
        ao.n_regions = o->n_regions;
    }
    /* Named pools with no --region: their own Regions only. */
    if (o->n_pools > 0 && !o->all_regions && o->n_regions == 0)
        ao.n_regions = 0;
    ao.pools = o->pools;
    ao.n_pools = o->n_pools;
    ao.account = account[0] ? account : NULL;
    ao.endpoint_url = cl->global.config.endpoint_url;

    struct audit *a = audit_new(&cfg, &ao, &e);
    if (!a) {
        rc = cli_report_error(err, &e);
        api_config_free(&cfg);
        return rc;
    }
    struct progress_line pl = {isatty(fileno(err)) ? err : NULL, 0, false};
    int run = audit_run(a, show_progress, &pl, &e);
    if (pl.shown)
        fputs("\n", err);
    if (run != 0) {
        rc = cli_report_error(err, &e);
        audit_free(a);
        api_config_free(&cfg);
        return rc;
    }

    const char *regions[AUDIT_MAX_LIST];
    size_t n = audit_region_count(a);
    for (size_t i = 0; i < n && i < AUDIT_MAX_LIST; i++)
        regions[i] = audit_region(a, i);
    export_iso8601((double)time(NULL), when, sizeof when);
    struct audit_report_meta meta = {when, account[0] ? account : NULL, regions,
                                     n < AUDIT_MAX_LIST ? n : AUDIT_MAX_LIST,
                                     audit_pools_audited(a)};
    const struct audit_findings *f = audit_findings(a);

    bool to_stdout = !o->output || strcmp(o->output, "-") == 0;
    char why[700];
    if (to_stdout) {
        if (audit_report_write(out, fmt, &meta, f, isatty(fileno(out))) != 0)
            rc = cli_report(err, 4, "Output", "could not write the report to stdout");
    } else {
        struct atomic_file *af = atomic_file_open(o->output, why, sizeof why);
        if (!af) {
            rc = cli_report(err, 2, "Output", why);
        } else if (audit_report_write(atomic_file_stream(af), fmt, &meta, f, false) != 0) {
            atomic_file_abort(af);
            snprintf(why, sizeof why, "could not write %.600s", o->output);
            rc = cli_report(err, 2, "Output", why);
        } else if (atomic_file_commit(af, why, sizeof why) != 0) {
            rc = cli_report(err, 2, "Output", why);
        }
    }
    if (rc == 0 && o->fail_on)
        for (size_t i = 0; i < f->n; i++)
            if (f->v[i].check->severity >= threshold)
                rc = CLI_EXIT_FINDINGS;
    audit_free(a);
    api_config_free(&cfg);
    return rc;
}
