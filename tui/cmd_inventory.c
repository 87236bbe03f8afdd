/* tui/cmd_inventory.c — the `inventory` verb (cmd_inventory.h). */
#include "tui/cmd_inventory.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/cmd_call.h"
#include "tui/cmd_job.h"
#include "tui/csv.h"
#include "tui/inventory_job.h"
#include "tui/progress.h"

struct run {
    struct inventory_job *job;
    struct progress progress;
};

static bool job_finished(void *job)
{
    return inventory_job_finished(((struct run *)job)->job);
}

static void job_stop(void *job)
{
    inventory_job_stop(((struct run *)job)->job);
}

static void on_progress(void *ctx, const struct inventory_progress *p)
{
    struct run *r = ctx;
    char extra[64];
    struct progress_job f = {
        .phase = p->pass == INVENTORY_PASS_ENABLED ? "listing enabled" : "listing",
        .done = p->pages,
        .total = p->estimate > 0 ? (p->estimate + 59) / 60 : -1,
        .unit = "pages",
        .extra = extra,
    };
    snprintf(extra, sizeof extra, "%llu identities", p->rows);
    progress_job_update(&r->progress, &f);
}

static void print_row(FILE *out, bool terminal, const char *label, const char *value)
{
    fprintf(out, "%-28s ", label);
    if (terminal)
        text_write_terminal(out, value, strlen(value), true);
    else
        fputs(value, out);
    fputc('\n', out);
}

static const char *int_text(json_object *o, const char *key, char *buf, size_t size)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return NULL;
    snprintf(buf, size, "%lld", (long long)json_object_get_int64(v));
    return buf;
}

static void print_table(FILE *out, json_object *s, bool terminal)
{
    char buf[128], label[300];
    json_object *v = NULL;
    const char *t;

    print_row(out, terminal, "pool", json_object_get_string(json_object_object_get(s, "pool_id")));
    print_row(out, terminal, "database",
              json_object_get_string(json_object_object_get(s, "database")));
    json_object_object_get_ex(s, "listed_at", &v);
    if (v) {
        long long age = json_object_get_int64(json_object_object_get(s, "age_s"));
        snprintf(buf, sizeof buf, "%s (%lld h %02lld min ago)%s", json_object_get_string(v),
                 age / 3600, (age % 3600) / 60,
                 json_object_get_boolean(json_object_object_get(s, "complete"))
                     ? ""
                     : ", a refresh is unfinished");
        print_row(out, terminal, "listed", buf);
    } else {
        print_row(out, terminal, "listed", "never completely (run again to continue)");
    }
    print_row(out, terminal, "identities", int_text(s, "identities", buf, sizeof buf));
    print_row(out, terminal, "unauthenticated", int_text(s, "unauthenticated", buf, sizeof buf));
    t = int_text(s, "disabled", buf, sizeof buf);
    print_row(out, terminal, "disabled", t ? t : "unknown (inventory --disabled)");
    json_object *idle = json_object_object_get(s, "idle");
    json_object_object_foreach(idle, days, count)
    {
        snprintf(label, sizeof label, "not modified for %s+ days", days);
        snprintf(buf, sizeof buf, "%lld", (long long)json_object_get_int64(count));
        print_row(out, terminal, label, buf);
    }
    json_object *providers = json_object_object_get(s, "providers");
    if (json_object_object_length(providers) > 0)
        fputs("by provider\n", out);
    json_object_object_foreach(providers, name, n)
    {
        fputs("  ", out);
        if (terminal)
            text_write_terminal(out, name, strlen(name), true);
        else
            fputs(name, out);
        fprintf(out, "  %lld\n", (long long)json_object_get_int64(n));
    }
}

int cmd_inventory_run(const struct command_line *cl, FILE *out, FILE *err)
{
    const struct inventory_options *o = &cl->inventory;
    struct cli_session s;
    struct api_error e;
    struct run r;
    char why[1024] = "";
    bool locked = false;
    int rc;

    api_error_clear(&e);
    if (cli_session_open(&s, &cl->global, &e) < 0)
        return cli_report_error(err, &e);
    struct api_rate_limiter *limiter = cmd_job_limiter(s.client, o->rate_share);
    if (!limiter) {
        cli_session_close(&s);
        return cli_report(err, 1, "Inventory", "out of memory");
    }
    memset(&r, 0, sizeof r);
    progress_begin(&r.progress, err, "inventory");
    struct inventory_job_options jo = {
        .client = s.client,
        .pool_id = o->pool,
        .region = s.config.region,
        .endpoint = s.config.endpoint_url,
        .refresh = o->refresh,
        .disabled = o->disabled,
        .progress = on_progress,
        .ctx = &r,
    };
    r.job = inventory_job_start(&jo, &e, &locked, why, sizeof why);
    if (!r.job) {
        rc = e.kind != API_ERR_NONE ? cli_report_error(err, &e)
                                    : cli_report(err, locked ? 2 : 1, "Inventory", why);
        goto out;
    }
    struct cmd_job_driver d = {job_finished, job_stop, job_stop, NULL, &r};
    cmd_job_drive(s.client, &d);
    progress_end(&r.progress);
    int status = inventory_job_status(r.job, &e, why, sizeof why);
    if (status < 0) {
        rc = e.kind != API_ERR_NONE ? cli_report_error(err, &e)
                                    : cli_report(err, 1, "Inventory", why);
        goto out;
    }
    json_object *summary = inventory_job_summary(r.job, time(NULL), why, sizeof why);
    if (!summary) {
        rc = cli_report(err, 1, "Inventory", why);
        goto out;
    }
    bool terminal = isatty(fileno(out));
    if (o->json) {
        json_text_write(out, json_object_to_json_string_ext(summary, CLI_JSON_PRETTY), terminal);
        fputc('\n', out);
    } else {
        print_table(out, summary, terminal);
    }
    json_object_put(summary);
    if (fflush(out) != 0 || ferror(out))
        rc = cli_report(err, 1, "Output", "cannot write to stdout");
    else if (status == 1)
        rc = cli_report(err, CMD_JOB_EXIT_STOPPED, "Stopped",
                        "the listing stopped; what was listed is kept: run the same command "
                        "again to continue");
    else
        rc = 0;
out:
    progress_end(&r.progress);
    inventory_job_free(r.job);
    api_client_set_rate_limiter(s.client, NULL);
    api_rate_limiter_free(limiter);
    cli_session_close(&s);
    return rc;
}
