/* tui/cmd_prune.c — the `prune` verb (cmd_prune.h). */
#include "tui/cmd_prune.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/cmd_call.h"
#include "tui/cmd_job.h"
#include "tui/csv.h"
#include "tui/inventory_store.h"
#include "tui/journal.h"
#include "tui/prune_job.h"
#include "tui/progress.h"
#include "tui/time_arg.h"
#include "tui/tty_prompt.h"

struct run {
    struct prune_job *job;
    struct progress progress;
    FILE *err;
    bool yes;
    bool asked;
    bool refused; /* the count was not typed */
    char question[1400];
};

static bool job_finished(void *job)
{
    return prune_job_finished(((struct run *)job)->job);
}

static void job_stop(void *job)
{
    prune_job_stop(((struct run *)job)->job);
}

static void job_abort(void *job)
{
    prune_job_abort(((struct run *)job)->job);
}

/* The confirmation, once the listing ended. */
static void job_idle(void *job)
{
    struct run *r = job;
    unsigned long long n;

    if (!prune_job_awaiting_confirmation(r->job) || r->asked)
        return;
    r->asked = true;
    n = prune_job_to_delete(r->job);
    if (r->yes || n == 0) {
        prune_job_confirm(r->job, true);
        return;
    }
    progress_end(&r->progress);
    char full[1600];
    snprintf(full, sizeof full, "%llu identit%s of %s will be deleted. There is no undo.", n,
             n == 1 ? "y" : "ies", r->question);
    int answer = tty_confirm_count(full, n);
    if (answer != 1)
        r->refused = true;
    prune_job_confirm(r->job, answer == 1);
}

static void on_progress(void *ctx, const struct prune_progress *p)
{
    struct run *r = ctx;
    char extra[128];
    struct progress_job f;

    prune_progress_job(p, &f, extra, sizeof extra);
    progress_job_update(&r->progress, &f);
}

static void on_journal_failed(void *ctx, const char *why)
{
    struct run *r = ctx;
    char msg[600];
    progress_end(&r->progress);
    snprintf(msg, sizeof msg, "a batch was sent but not journalled: %s", why);
    cli_report(r->err, 0, "Warning", msg);
}

static int parse_time(FILE *err, const char *opt, const char *text, double *out)
{
    char why[256], msg[400];
    if (time_arg_parse(text, out, why, sizeof why) == 0)
        return 0;
    snprintf(msg, sizeof msg, "%s %s", opt, why);
    return cli_report(err, 2, "Usage", msg);
}

/* The estimate of the listing's length: the inventory's count, if one exists. */
static long long inventory_estimate(const char *pool, const struct api_config *cfg)
{
    char path[4400], why[256];
    long long n = -1;

    if (inventory_path(pool, path, sizeof path, why, sizeof why) != 0 || access(path, R_OK) != 0)
        return -1;
    struct inventory_store *s =
        inventory_store_open(path, pool, cfg->region, cfg->endpoint_url, false, why, sizeof why);
    if (s)
        n = inventory_store_count(s);
    inventory_store_close(s);
    return n;
}

static void journal_refusal(FILE *err, const struct cli_session *s, const char *pool,
                            const char *reason)
{
    json_object *in = json_object_new_object();
    char why[512];

    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool));
    struct journal_entry e = {
        .profile = s->config.profile,
        .region = s->config.region,
        .operation = "DeleteIdentities",
        .input = in,
        .refused_reason = reason,
    };
    if (journal_record(&e, why, sizeof why) != 0)
        cli_report(err, 0, "Warning", why);
    json_object_put(in);
}

struct id_list {
    json_object *array;
    FILE *out;
    bool text, terminal;
};

static void collect_unprocessed(void *ctx, const char *id, const char *code)
{
    struct id_list *l = ctx;
    if (l->text) {
        fputs("  unprocessed ", l->out);
        if (l->terminal) {
            text_write_terminal(l->out, id, strlen(id), true);
            fputs(" (", l->out);
            text_write_terminal(l->out, code, strlen(code), true);
        } else {
            fprintf(l->out, "%s (%s", id, code);
        }
        fputs(")\n", l->out);
        return;
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "IdentityId", json_object_new_string(id));
    json_object_object_add(o, "ErrorCode", json_object_new_string(code));
    json_object_array_add(l->array, o);
}

static void print_result(FILE *out, struct prune_job *job, const struct prune_result *res,
                         bool json, bool complete, const char *filters)
{
    bool terminal = isatty(fileno(out));
    char why[256];
    unsigned long long would = res->matched - res->skipped;

    if (json) {
        json_object *o = json_object_new_object();
        struct id_list l = {json_object_new_array(), out, false, terminal};
        json_object_object_add(o, "dry_run", json_object_new_boolean(res->dry_run));
        json_object_object_add(o, "complete", json_object_new_boolean(complete));
        json_object_object_add(o, "matched", json_object_new_int64((int64_t)res->matched));
        json_object_object_add(o, "deleted", json_object_new_int64((int64_t)res->deleted));
        json_object_object_add(o, "unprocessed", json_object_new_int64((int64_t)res->unprocessed));
        json_object_object_add(o, "skipped", json_object_new_int64((int64_t)res->skipped));
        char secs[32];
        snprintf(secs, sizeof secs, "%.3f", res->elapsed_s);
        json_object_object_add(o, "elapsed_s", json_object_new_double_s(res->elapsed_s, secs));
        json_object_object_add(o, "list_requests", json_object_new_int64(res->list_requests));
        json_object_object_add(o, "delete_requests", json_object_new_int64(res->delete_requests));
        json_object_object_add(o, "describe_requests", json_object_new_int64(res->other_requests));
        json_object_object_add(o, "throttled", json_object_new_int64(res->throttled));
        prune_job_each_unprocessed(job, collect_unprocessed, &l, why, sizeof why);
        json_object_object_add(o, "unprocessed_ids", l.array);
        if (res->dry_run) {
            json_object_object_add(o, "would_delete", json_object_new_int64((int64_t)would));
            json_object_object_add(
                o, "sample", res->sample ? json_object_get(res->sample) : json_object_new_array());
        }
        json_text_write(out, json_object_to_json_string_ext(o, CLI_JSON_PRETTY), terminal);
        fputc('\n', out);
        json_object_put(o);
        return;
    }
    fputs("filters: ", out);
    text_write_terminal(out, filters, strlen(filters), true);
    fputc('\n', out);
    if (res->dry_run) {
        fprintf(out,
                "dry run: %llu identit%s match, %llu would be deleted%s; nothing was sent "
                "but listings\n",
                res->matched, res->matched == 1 ? "y" : "ies", would,
                res->skipped ? " (--limit)" : "");
        size_t n = res->sample ? json_object_array_length(res->sample) : 0;
        for (size_t i = 0; i < n; i++) {
            const char *id = json_object_get_string(json_object_array_get_idx(res->sample, i));
            fputs("  ", out);
            if (terminal)
                text_write_terminal(out, id, strlen(id), true);
            else
                fputs(id, out);
            fputc('\n', out);
        }
    } else {
        fprintf(out, "matched %llu, deleted %llu, unprocessed %llu, skipped %llu%s\n", res->matched,
                res->deleted, res->unprocessed, res->skipped, complete ? "" : " (unfinished)");
        struct id_list l = {NULL, out, true, terminal};
        prune_job_each_unprocessed(job, collect_unprocessed, &l, why, sizeof why);
    }
    fprintf(out,
            "requests: %lu ListIdentities, %lu DeleteIdentities, %lu DescribeIdentity, %lu "
            "throttled; %.1f s\n",
            res->list_requests, res->delete_requests, res->other_requests, res->throttled,
            res->elapsed_s);
}

int cmd_prune_run(const struct command_line *cl, FILE *out, FILE *err)
{
    const struct prune_options *o = &cl->prune;
    struct identity_filter f = {0};
    struct cli_session s;
    struct api_error e;
    struct run r;
    char why[1200] = "";
    bool locked = false, conflict = false;
    int rc;

    f.unauthenticated = o->unauthenticated;
    f.provider = o->provider;
    f.disabled = o->disabled;
    f.idle_days = o->idle_days;
    if (o->modified_before) {
        if (parse_time(err, "--modified-before", o->modified_before, &f.modified_before) != 0)
            return 2;
        f.has_modified_before = true;
        if (f.modified_before > (double)time(NULL))
            return cli_report(err, 2, "Usage",
                              "--modified-before is in the future: it would match identities in "
                              "use right now");
    }
    if (o->created_before) {
        if (parse_time(err, "--created-before", o->created_before, &f.created_before) != 0)
            return 2;
        f.has_created_before = true;
    }

    api_error_clear(&e);
    if (cli_session_open(&s, &cl->global, &e) < 0)
        return cli_report_error(err, &e);
    if (s.config.read_only && !o->dry_run) {
        journal_refusal(err, &s, o->pool, "prune refused in read-only mode");
        cli_session_close(&s);
        return cli_report(err, 3, "ReadOnly",
                          "prune deletes identities: refused in read-only mode (--dry-run lists "
                          "what would match)");
    }
    if (!o->dry_run && !o->yes && !tty_can_ask()) {
        cli_session_close(&s);
        return cli_report(err, 2, "Usage",
                          "prune asks for the count to be typed and there is no terminal: give "
                          "--yes to delete without asking, or --dry-run to count");
    }
    struct api_rate_limiter *limiter = cmd_job_limiter(s.client, o->rate_share);
    if (!limiter) {
        cli_session_close(&s);
        return cli_report(err, 1, "Prune", "out of memory");
    }
    memset(&r, 0, sizeof r);
    r.err = err;
    r.yes = o->yes;
    char filters[1024];
    identity_filter_describe(&f, false, filters, sizeof filters);
    char escaped[1100];
    text_escape_terminal(filters, escaped, sizeof escaped, true);
    char pool_shown[200];
    text_escape_terminal(o->pool, pool_shown, sizeof pool_shown, true);
    snprintf(r.question, sizeof r.question, "pool %s matching: %s", pool_shown, escaped);
    progress_begin(&r.progress, err, "prune");
    struct prune_job_options jo = {
        .client = s.client,
        .limiter = limiter,
        .pool_id = o->pool,
        .region = s.config.region,
        .endpoint = s.config.endpoint_url,
        .profile = s.config.profile,
        .filter = f,
        .limit = o->limit,
        .dry_run = o->dry_run,
        .estimate_identities = inventory_estimate(o->pool, &s.config),
        .progress = on_progress,
        .journal_failed = on_journal_failed,
        .ctx = &r,
    };
    r.job = prune_job_start(&jo, &e, &locked, &conflict, why, sizeof why);
    if (!r.job) {
        rc = e.kind != API_ERR_NONE ? cli_report_error(err, &e)
                                    : cli_report(err, locked || conflict ? 2 : 1, "Prune", why);
        goto out;
    }
    struct cmd_job_driver d = {job_finished, job_stop, job_abort, job_idle, &r};
    int interrupts = cmd_job_drive(s.client, &d);
    progress_end(&r.progress);

    int status = prune_job_status(r.job, &e, why, sizeof why);
    struct prune_result res;
    prune_job_result(r.job, &res);
    print_result(out, r.job, &res, o->json, status == 0, filters);
    if (fflush(out) != 0 || ferror(out)) {
        rc = cli_report(err, 1, "Output", "cannot write to stdout");
    } else if (status < 0) {
        rc = e.kind != API_ERR_NONE ? cli_report_error(err, &e) : cli_report(err, 1, "Prune", why);
        cli_report(err, 0, "Note", "what was done is kept: run the same command to continue");
    } else if (status == 1 && r.refused) {
        rc = cli_report(err, 2, "Refused",
                        "the count was not typed: nothing was deleted (the listing is kept; run "
                        "the same command to be asked again)");
    } else if (status == 1) {
        rc = cli_report(err, interrupts ? CMD_JOB_EXIT_STOPPED : 1, "Stopped",
                        "the job stopped after the batch in flight: run the same command to "
                        "continue");
    } else if (res.unprocessed > 0) {
        snprintf(why, sizeof why, "%llu identit%s not deleted (unprocessed)", res.unprocessed,
                 res.unprocessed == 1 ? "y was" : "ies were");
        rc = cli_report(err, 1, "Unprocessed", why);
    } else {
        rc = 0;
    }
    if (status == 0 && !ferror(out))
        prune_job_forget(r.job); /* the result is out: the next run is a new job */
out:
    progress_end(&r.progress);
    prune_job_free(r.job);
    api_client_set_rate_limiter(s.client, NULL);
    api_rate_limiter_free(limiter);
    cli_session_close(&s);
    return rc;
}
