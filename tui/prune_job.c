/* tui/prune_job.c — the prune job (prune_job.h). */
#include "tui/prune_job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/quotas.h"
#include "tui/identity_lister.h"
#include "tui/journal.h"
#include "tui/progress.h"
#include "tui/state_dir.h"

#define N_SLOTS PRUNE_BATCHES_IN_FLIGHT

struct slot {
    struct prune_job *job;
    struct api_request *req; /* NULL = free */
    bool describe;           /* DescribeIdentity of a reconcile, else DeleteIdentities */
    json_object *input;
    char id[160]; /* describe: the identity */
};

struct prune_job {
    struct api_client *client;
    struct api_rate_limiter *limiter;
    char *pool_id, *region, *endpoint, *profile, *provider;
    struct identity_filter filter;
    long limit;
    bool dry_run;
    long long estimate_identities;
    void (*progress)(void *ctx, const struct prune_progress *p);
    void (*journal_failed)(void *ctx, const char *why);
    void *ctx;

    struct pool_lock lock;
    char path[4400];
    struct prune_checkpoint *cp;
    struct prune_job_row row;
    struct prune_counts counts;
    struct identity_lister *lister;
    struct slot slots[N_SLOTS];
    int inflight;

    bool awaiting, finished, stop_requested, aborting, freeing, failing;
    int status;
    struct api_error err;
    char why[700];
    int failures;
    json_object *sample;

    /* figures: what the checkpoint held at start, and the limiter then */
    double run_start, phase_start;
    unsigned long base_list, base_delete, base_other, base_throttled;
    double base_elapsed;
    unsigned long sent0_list, sent0_delete, sent0_describe, throttled0;
    unsigned long phase_sent0;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void stats(const struct prune_job *j, const char *op, struct api_rate_stats *st)
{
    api_rate_limiter_stats(j->limiter, op, st);
}

static unsigned long throttled_total(const struct prune_job *j)
{
    static const char *const ops[] = {"ListIdentities", "DeleteIdentities", "DescribeIdentity"};
    unsigned long n = 0;
    for (size_t i = 0; i < 3; i++) {
        struct api_rate_stats st;
        stats(j, ops[i], &st);
        n += st.throttled;
    }
    return n;
}

static const char *phase_operation(enum prune_phase phase)
{
    return phase == PRUNE_PHASE_DELETE ? "DeleteIdentities" : "ListIdentities";
}

/* The row's figures: what earlier runs stored plus this run's. */
static void update_figures(struct prune_job *j)
{
    struct api_rate_stats l, d, r;

    stats(j, "ListIdentities", &l);
    stats(j, "DeleteIdentities", &d);
    stats(j, "DescribeIdentity", &r);
    j->row.list_requests = j->base_list + (l.sent - j->sent0_list);
    j->row.delete_requests = j->base_delete + (d.sent - j->sent0_delete);
    j->row.other_requests = j->base_other + (r.sent - j->sent0_describe);
    j->row.throttled = j->base_throttled + (throttled_total(j) - j->throttled0);
    j->row.elapsed = j->base_elapsed + (now_s() - j->run_start);
}

static void begin_phase_clock(struct prune_job *j)
{
    struct api_rate_stats st;
    stats(j, phase_operation(j->row.phase), &st);
    j->phase_start = now_s();
    j->phase_sent0 = st.sent;
}

static unsigned long long matched(const struct prune_job *j)
{
    unsigned long long n = 0;
    for (int s = 0; s < 7; s++)
        if (s != PRUNE_EXCLUDED)
            n += j->counts.states[s];
    return n;
}

static void report(struct prune_job *j)
{
    struct prune_progress p;
    struct api_rate_stats st;
    const char *op = phase_operation(j->row.phase);

    if (!j->progress || j->freeing)
        return;
    update_figures(j);
    memset(&p, 0, sizeof p);
    p.phase = j->row.phase;
    p.pages = j->row.pages;
    p.listed = j->row.listed;
    p.matched = matched(j);
    p.deleted = j->counts.states[PRUNE_DELETED];
    p.remaining = j->counts.states[PRUNE_PENDING] + j->counts.states[PRUNE_INFLIGHT] +
                  j->counts.states[PRUNE_RECONCILE];
    p.requests = j->row.phase == PRUNE_PHASE_DELETE ? j->row.delete_requests : j->row.list_requests;
    p.throttled = j->row.throttled;
    stats(j, op, &st);
    double dt = now_s() - j->phase_start;
    p.rate = dt > 0.5 ? (st.sent - j->phase_sent0) / dt : 0;
    p.quota = api_rate_limiter_cap(j->limiter, op);
    p.estimate_pages = j->estimate_identities >= 0
                           ? (j->estimate_identities + PRUNE_BATCH_SIZE - 1) / PRUNE_BATCH_SIZE
                           : -1;
    p.elapsed = j->row.elapsed;
    j->progress(j->ctx, &p);
}

static void finish(struct prune_job *j, int status)
{
    if (j->finished)
        return;
    j->finished = true;
    j->awaiting = false;
    j->status = status;
    update_figures(j);
    if (j->cp) {
        char why[256];
        if (prune_checkpoint_begin(j->cp, why, sizeof why) == 0) {
            prune_checkpoint_save_figures(j->cp, &j->row);
            prune_checkpoint_commit(j->cp, why, sizeof why);
        }
    }
    report(j);
}

/* Stops issuing; the job ends with `status` once nothing is in flight. */
static void fail_with(struct prune_job *j, const struct api_error *err, const char *why)
{
    if (!j->failing) {
        j->failing = true;
        if (err)
            j->err = *err;
        else
            api_error_clear(&j->err);
        snprintf(j->why, sizeof j->why, "%s", why ? why : "");
    }
}

static void recount(struct prune_job *j)
{
    char why[256];
    prune_checkpoint_counts(j->cp, &j->counts, why, sizeof why);
}

/* ---- listing ---- */

static int on_page(void *ctx, json_object *identities, const char *next_token, char *errbuf,
                   size_t errsize)
{
    struct prune_job *j = ctx;
    size_t n =
        json_object_is_type(identities, json_type_array) ? json_object_array_length(identities) : 0;
    unsigned long listed = 0;

    if (prune_checkpoint_begin(j->cp, errbuf, errsize) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct identity_record r;
        if (identity_record_from_json(json_object_array_get_idx(identities, i), &r) != 0)
            continue;
        listed++;
        int rc = 0;
        if (j->row.phase == PRUNE_PHASE_LIST) {
            if (!identity_filter_matches(&j->filter, &r))
                continue;
            rc = prune_checkpoint_add_candidate(j->cp, r.id);
            if (rc == 1) {
                j->counts.states[PRUNE_PENDING]++;
                if (j->sample && json_object_array_length(j->sample) < PRUNE_SAMPLE)
                    json_object_array_add(j->sample, json_object_new_string(r.id));
            }
        } else {
            rc = prune_checkpoint_exclude(j->cp, r.id);
            if (rc == 1) {
                j->counts.states[PRUNE_PENDING]--;
                j->counts.states[PRUNE_EXCLUDED]++;
            }
        }
        if (rc < 0)
            goto fail;
    }
    if (prune_checkpoint_page_done(j->cp, next_token, listed) != 0)
        goto fail;
    j->row.pages++;
    j->row.listed += listed;
    update_figures(j);
    if (prune_checkpoint_save_figures(j->cp, &j->row) != 0 ||
        prune_checkpoint_commit(j->cp, errbuf, errsize) != 0)
        goto fail;
    report(j);
    return 0;
fail:
    prune_checkpoint_rollback(j->cp);
    if (!errbuf[0])
        snprintf(errbuf, errsize, "cannot store a page in the job checkpoint %.300s", j->path);
    return -1;
}

static void on_restarted(void *ctx)
{
    struct prune_job *j = ctx;
    char why[256];

    /* The token was refused: the listing starts over; candidates already
     * recorded are seen again (and ignored as duplicates). */
    if (prune_checkpoint_begin(j->cp, why, sizeof why) == 0) {
        prune_checkpoint_set_phase(j->cp, j->row.phase, 0);
        prune_checkpoint_commit(j->cp, why, sizeof why);
    }
}

static void on_listing_done(void *ctx, const struct api_error *err);
static const struct identity_lister_events lister_events = {on_page, on_restarted, on_listing_done};

static int start_listing(struct prune_job *j, const char *token, struct api_error *err)
{
    begin_phase_clock(j);
    j->lister = identity_lister_start(j->client, j->pool_id, j->row.phase == PRUNE_PHASE_ENABLED,
                                      token, &lister_events, j, err);
    return j->lister ? 0 : -1;
}

static int set_phase(struct prune_job *j, enum prune_phase phase)
{
    char why[512];

    if (prune_checkpoint_begin(j->cp, why, sizeof why) != 0 ||
        prune_checkpoint_set_phase(j->cp, phase, j->limit) != 0 ||
        prune_checkpoint_commit(j->cp, why, sizeof why) != 0) {
        prune_checkpoint_rollback(j->cp);
        fail_with(j, NULL, why[0] ? why : "cannot write the job checkpoint");
        return -1;
    }
    j->row.phase = phase;
    recount(j);
    begin_phase_clock(j);
    return 0;
}

static void on_listing_done(void *ctx, const struct api_error *err)
{
    struct prune_job *j = ctx;

    identity_lister_free(j->lister);
    j->lister = NULL;
    if (err->kind == API_ERR_CANCELLED) {
        finish(j, j->failing ? -1 : 1);
        return;
    }
    if (err->kind != API_ERR_NONE) {
        fail_with(j, err, NULL);
        finish(j, -1);
        return;
    }
    if (j->row.phase == PRUNE_PHASE_LIST && j->filter.disabled) {
        if (set_phase(j, PRUNE_PHASE_ENABLED) != 0) {
            finish(j, -1);
            return;
        }
        if (j->stop_requested) {
            finish(j, 1);
            return;
        }
        struct api_error e;
        if (start_listing(j, NULL, &e) != 0) {
            fail_with(j, &e, NULL);
            finish(j, -1);
        }
        return;
    }
    if (set_phase(j, PRUNE_PHASE_DELETE) != 0) {
        finish(j, -1);
        return;
    }
    if (j->dry_run) {
        finish(j, 0);
        return;
    }
    j->awaiting = true;
    report(j);
}

/* ---- deleting and reconciling ---- */

static void pump(struct prune_job *j);

static void journal_batch(struct prune_job *j, json_object *input, json_object *output,
                          const struct api_error *err)
{
    struct journal_entry e = {
        .profile = j->profile,
        .region = j->region,
        .operation = "DeleteIdentities",
        .input = input,
        .error = err,
        .output = err->kind == API_ERR_NONE ? output : NULL,
    };
    char why[512] = "";

    if (journal_record(&e, why, sizeof why) != 0 && j->journal_failed)
        j->journal_failed(j->ctx, why);
}

static const char *unprocessed_code(json_object *output, const char *id)
{
    json_object *list = NULL;

    if (!output || !json_object_object_get_ex(output, "UnprocessedIdentityIds", &list) ||
        !json_object_is_type(list, json_type_array))
        return NULL;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *u = json_object_array_get_idx(list, i), *v = NULL;
        if (!json_object_object_get_ex(u, "IdentityId", &v) ||
            strcmp(json_object_get_string(v), id) != 0)
            continue;
        json_object *code = NULL;
        json_object_object_get_ex(u, "ErrorCode", &code);
        const char *c = code ? json_object_get_string(code) : NULL;
        return c && *c ? c : "Unknown";
    }
    return NULL;
}

static void move(struct prune_job *j, const char *id, enum prune_state from, enum prune_state to,
                 const char *code, bool count_try)
{
    if (prune_checkpoint_set_state(j->cp, id, to, code, count_try) == 0) {
        j->counts.states[from]--;
        j->counts.states[to]++;
    }
}

static void on_deleted(void *ctx, json_object *output, const struct api_error *err)
{
    struct slot *s = ctx;
    struct prune_job *j = s->job;
    json_object *ids = NULL;
    char why[512] = "";

    s->req = NULL;
    j->inflight--;
    json_object_object_get_ex(s->input, "IdentityIdsToDelete", &ids);
    size_t n = ids ? json_object_array_length(ids) : 0;
    bool ok = err->kind == API_ERR_NONE;

    if (prune_checkpoint_begin(j->cp, why, sizeof why) != 0) {
        fail_with(j, NULL, why);
    } else {
        for (size_t i = 0; i < n; i++) {
            const char *id = json_object_get_string(json_object_array_get_idx(ids, i));
            if (ok) {
                const char *code = unprocessed_code(output, id);
                if (!code) {
                    move(j, id, PRUNE_INFLIGHT, PRUNE_DELETED, NULL, true);
                } else if (strcmp(code, "InternalServerError") == 0) {
                    bool again = prune_checkpoint_tries(j->cp, id) + 1 < PRUNE_MAX_TRIES;
                    move(j, id, PRUNE_INFLIGHT, again ? PRUNE_PENDING : PRUNE_UNPROCESSED,
                         again ? NULL : code, true);
                } else if (err->repeated_after_unknown && (strcmp(code, "AccessDenied") == 0 ||
                                                           strcmp(code, "ResourceNotFound") == 0)) {
                    /* Maybe deleted by the attempt whose answer was lost. */
                    move(j, id, PRUNE_INFLIGHT, PRUNE_RECONCILE, NULL, true);
                } else {
                    move(j, id, PRUNE_INFLIGHT, PRUNE_UNPROCESSED, code, true);
                }
            } else if (err->outcome_unknown) {
                move(j, id, PRUNE_INFLIGHT, PRUNE_RECONCILE, NULL, true);
            } else {
                move(j, id, PRUNE_INFLIGHT, PRUNE_PENDING, NULL, false);
            }
        }
        update_figures(j);
        prune_checkpoint_save_figures(j->cp, &j->row);
        if (prune_checkpoint_commit(j->cp, why, sizeof why) != 0)
            fail_with(j, NULL, why);
    }
    if (ok || err->sent)
        journal_batch(j, s->input, output, err);

    if (ok) {
        j->failures = 0;
    } else if (err->kind == API_ERR_CANCELLED) {
        /* stop or abort: their owner decides */
    } else if ((err->outcome_unknown || err->retryable) && ++j->failures <= PRUNE_MAX_FAILURES) {
        /* reconciled, or sent again; batches whose answers are lost time
         * after time (a front door answering garbage) end the job too */
    } else {
        fail_with(j, err, NULL);
    }
    json_object_put(output);
    json_object_put(s->input);
    s->input = NULL;
    report(j);
    pump(j);
}

static void on_described(void *ctx, json_object *output, const struct api_error *err)
{
    struct slot *s = ctx;
    struct prune_job *j = s->job;
    char why[512] = "";

    s->req = NULL;
    j->inflight--;
    json_object_put(output);
    json_object_put(s->input);
    s->input = NULL;
    enum prune_state to = PRUNE_RECONCILE;
    if (err->kind == API_ERR_NONE) {
        /* Still there: it matched when listed, delete it again. The lost
         * delete did not happen, so it still counts as a failure in a row. */
        to = PRUNE_PENDING;
    } else if (err->kind == API_ERR_AWS && strcmp(err->code, "ResourceNotFoundException") == 0) {
        to = PRUNE_DELETED;
        j->failures = 0;
    } else if (err->kind != API_ERR_CANCELLED &&
               !(err->retryable && ++j->failures <= PRUNE_MAX_FAILURES)) {
        fail_with(j, err, NULL);
    }
    if (prune_checkpoint_begin(j->cp, why, sizeof why) == 0) {
        move(j, s->id, PRUNE_INFLIGHT, to, NULL, false);
        update_figures(j);
        prune_checkpoint_save_figures(j->cp, &j->row);
        if (prune_checkpoint_commit(j->cp, why, sizeof why) != 0)
            fail_with(j, NULL, why);
    } else {
        fail_with(j, NULL, why);
    }
    report(j);
    pump(j);
}

static struct slot *free_slot(struct prune_job *j)
{
    for (int i = 0; i < N_SLOTS; i++)
        if (!j->slots[i].req && !j->slots[i].input)
            return &j->slots[i];
    return NULL;
}

/* Takes up to n ids in `state`, marks them INFLIGHT and commits, before any
 * request leaves: a killed run finds them INFLIGHT and reconciles them. */
static json_object *claim(struct prune_job *j, enum prune_state state, size_t n)
{
    char why[512] = "";
    json_object *ids;

    if (prune_checkpoint_begin(j->cp, why, sizeof why) != 0) {
        fail_with(j, NULL, why);
        return NULL;
    }
    ids = prune_checkpoint_take(j->cp, state, n, true, PRUNE_INFLIGHT);
    if (!ids || prune_checkpoint_commit(j->cp, why, sizeof why) != 0) {
        prune_checkpoint_rollback(j->cp);
        json_object_put(ids);
        fail_with(j, NULL, why[0] ? why : "cannot write the job checkpoint");
        return NULL;
    }
    size_t got = json_object_array_length(ids);
    j->counts.states[state] -= got;
    j->counts.states[PRUNE_INFLIGHT] += got;
    if (got == 0) {
        json_object_put(ids);
        return NULL;
    }
    return ids;
}

/* Puts claimed ids back when their request could not even start. */
static void unclaim(struct prune_job *j, json_object *ids, enum prune_state back)
{
    char why[256];
    if (prune_checkpoint_begin(j->cp, why, sizeof why) != 0)
        return;
    for (size_t i = 0; i < json_object_array_length(ids); i++)
        move(j, json_object_get_string(json_object_array_get_idx(ids, i)), PRUNE_INFLIGHT, back,
             NULL, false);
    prune_checkpoint_commit(j->cp, why, sizeof why);
}

static bool start_describe(struct prune_job *j, struct slot *s)
{
    json_object *ids = claim(j, PRUNE_RECONCILE, 1);
    struct api_error err;

    if (!ids)
        return false;
    snprintf(s->id, sizeof s->id, "%s", json_object_get_string(json_object_array_get_idx(ids, 0)));
    s->input = json_object_new_object();
    json_object_object_add(s->input, "IdentityId", json_object_new_string(s->id));
    s->describe = true;
    s->job = j;
    j->inflight++;
    s->req = api_call_start(j->client, "DescribeIdentity", s->input, on_described, s, &err);
    if (!s->req) {
        j->inflight--;
        unclaim(j, ids, PRUNE_RECONCILE);
        json_object_put(s->input);
        s->input = NULL;
        fail_with(j, &err, NULL);
        json_object_put(ids);
        return false;
    }
    json_object_put(ids);
    return true;
}

static bool start_delete(struct prune_job *j, struct slot *s)
{
    json_object *ids = claim(j, PRUNE_PENDING, PRUNE_BATCH_SIZE);
    struct api_error err;

    if (!ids)
        return false;
    s->input = json_object_new_object();
    json_object_object_add(s->input, "IdentityIdsToDelete", json_object_get(ids));
    s->describe = false;
    s->job = j;
    j->inflight++;
    s->req = api_call_start(j->client, "DeleteIdentities", s->input, on_deleted, s, &err);
    if (!s->req) {
        j->inflight--;
        unclaim(j, ids, PRUNE_PENDING);
        json_object_put(s->input);
        s->input = NULL;
        fail_with(j, &err, NULL);
        json_object_put(ids);
        return false;
    }
    json_object_put(ids);
    return true;
}

static void pump(struct prune_job *j)
{
    if (j->finished || j->awaiting || j->row.phase != PRUNE_PHASE_DELETE)
        return;
    if (j->failing || j->stop_requested || j->aborting || j->freeing) {
        if (j->inflight == 0)
            finish(j, j->failing ? -1 : 1);
        return;
    }
    for (struct slot *s; (s = free_slot(j)) != NULL;) {
        if (j->counts.states[PRUNE_RECONCILE] > 0) {
            if (!start_describe(j, s))
                break;
        } else if (j->counts.states[PRUNE_PENDING] > 0) {
            if (!start_delete(j, s))
                break;
        } else {
            break;
        }
        if (j->failing || j->finished)
            break;
    }
    if (j->inflight == 0) {
        if (j->failing) {
            finish(j, -1);
        } else if (j->counts.states[PRUNE_PENDING] == 0 && j->counts.states[PRUNE_RECONCILE] == 0 &&
                   j->counts.states[PRUNE_INFLIGHT] == 0) {
            if (set_phase(j, PRUNE_PHASE_DONE) == 0)
                finish(j, 0);
            else
                finish(j, -1);
        }
    }
}

/* ---- the job ---- */

static int describe_key(const struct identity_filter *f, long limit, char *key, size_t size)
{
    char words[900];
    identity_filter_describe(f, false, words, sizeof words);
    if (limit > 0)
        return snprintf(key, size, "%s; limit %ld", words, limit) >= (int)size ? -1 : 0;
    return snprintf(key, size, "%s", words) >= (int)size ? -1 : 0;
}

static struct prune_job *alloc_job(const struct prune_job_options *opt)
{
    struct prune_job *j = calloc(1, sizeof *j);

    if (!j)
        return NULL;
    j->lock.fd = -1;
    j->client = opt->client;
    j->limiter = opt->limiter;
    j->filter = opt->filter;
    j->limit = opt->limit;
    j->dry_run = opt->dry_run;
    j->estimate_identities = opt->estimate_identities;
    j->progress = opt->progress;
    j->journal_failed = opt->journal_failed;
    j->ctx = opt->ctx;
    j->pool_id = strdup(opt->pool_id);
    j->region = strdup(opt->region ? opt->region : "");
    j->endpoint = strdup(opt->endpoint ? opt->endpoint : "");
    j->profile = strdup(opt->profile ? opt->profile : "");
    j->provider = opt->filter.provider ? strdup(opt->filter.provider) : NULL;
    j->filter.provider = j->provider;
    if (!j->pool_id || !j->region || !j->endpoint || !j->profile ||
        (opt->filter.provider && !j->provider)) {
        prune_job_free(j);
        return NULL;
    }
    return j;
}

static int open_checkpoint(struct prune_job *j, const char *key, bool *conflict, char *errbuf,
                           size_t errsize)
{
    int loaded;

    j->cp = prune_checkpoint_open(j->path, errbuf, errsize);
    if (!j->cp)
        return -1;
    loaded = prune_checkpoint_load(j->cp, &j->row, errbuf, errsize);
    if (loaded < 0)
        return -1;
    if (loaded == 1) {
        if (strcmp(j->row.key, key) != 0 || strcmp(j->row.pool_id, j->pool_id) != 0) {
            char started[40];
            struct tm tm;
            gmtime_r(&j->row.created_at, &tm);
            strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", &tm);
            *conflict = true;
            snprintf(errbuf, errsize,
                     "an unfinished prune of pool %.100s is waiting (%.300s; started %s, %s): "
                     "run that prune again to finish it, or remove %.300s to abandon it",
                     j->pool_id, j->row.key, started, prune_phase_name(j->row.phase), j->path);
            return -1;
        }
        if (strcmp(j->row.region, j->region) != 0 || strcmp(j->row.endpoint, j->endpoint) != 0) {
            *conflict = true;
            snprintf(errbuf, errsize,
                     "the unfinished prune of pool %.100s was started against %.300s (%.40s), "
                     "not %.300s (%.40s)",
                     j->pool_id, j->row.endpoint, j->row.region, j->endpoint, j->region);
            return -1;
        }
        return 0;
    }
    snprintf(j->row.key, sizeof j->row.key, "%s", key);
    snprintf(j->row.pool_id, sizeof j->row.pool_id, "%s", j->pool_id);
    snprintf(j->row.region, sizeof j->row.region, "%s", j->region);
    snprintf(j->row.endpoint, sizeof j->row.endpoint, "%s", j->endpoint);
    j->row.created_at = time(NULL);
    j->row.limit = j->limit;
    if (j->filter.idle_days > 0 && !j->filter.has_modified_before) {
        j->row.has_modified_before = true;
        j->row.modified_before = (double)j->row.created_at - j->filter.idle_days * 86400.0;
    } else {
        j->row.has_modified_before = j->filter.has_modified_before;
        j->row.modified_before = j->filter.modified_before;
    }
    j->row.has_created_before = j->filter.has_created_before;
    j->row.created_before = j->filter.created_before;
    return prune_checkpoint_create(j->cp, &j->row, errbuf, errsize);
}

struct prune_job *prune_job_start(const struct prune_job_options *opt, struct api_error *err,
                                  bool *locked, bool *conflict, char *errbuf, size_t errsize)
{
    struct prune_job *j;
    char key[1024];

    api_error_clear(err);
    *locked = *conflict = false;
    errbuf[0] = '\0';
    if (identity_lister_check_pool(opt->pool_id, err) != 0)
        return NULL;
    if (!identity_filter_any(&opt->filter)) {
        api_error_set(err, API_ERR_INVALID_INPUT, "prune needs at least one filter");
        return NULL;
    }
    if (!opt->dry_run && api_client_read_only(opt->client)) {
        api_error_set(err, API_ERR_READ_ONLY,
                      "prune deletes identities: refused in read-only mode (--dry-run only lists)");
        return NULL;
    }
    if (describe_key(&opt->filter, opt->limit, key, sizeof key) != 0) {
        snprintf(errbuf, errsize, "the filters are too long");
        return NULL;
    }
    j = alloc_job(opt);
    if (!j) {
        snprintf(errbuf, errsize, "out of memory");
        return NULL;
    }
    if (!opt->dry_run) {
        int lr = pool_lock_take(&j->lock, opt->pool_id, "prune", errbuf, errsize);
        if (lr != 0) {
            *locked = lr == 1;
            goto fail;
        }
        if (prune_checkpoint_path(opt->pool_id, j->path, sizeof j->path, errbuf, errsize) != 0)
            goto fail;
    } else {
        j->sample = json_object_new_array();
    }
    if (open_checkpoint(j, key, conflict, errbuf, errsize) != 0)
        goto fail;
    /* The cutoffs are the job's, from its first run. */
    j->filter.has_modified_before = j->row.has_modified_before;
    j->filter.modified_before = j->row.modified_before;
    j->filter.has_created_before = j->row.has_created_before;
    j->filter.created_before = j->row.created_before;
    j->limit = j->row.limit;

    char why[256];
    if (prune_checkpoint_begin(j->cp, why, sizeof why) != 0 ||
        prune_checkpoint_move_all(j->cp, PRUNE_INFLIGHT, PRUNE_RECONCILE) != 0 ||
        prune_checkpoint_commit(j->cp, why, sizeof why) != 0) {
        prune_checkpoint_rollback(j->cp);
        snprintf(errbuf, errsize, "%s", why);
        goto fail;
    }
    recount(j);

    struct api_rate_stats st;
    j->run_start = now_s();
    j->base_list = j->row.list_requests;
    j->base_delete = j->row.delete_requests;
    j->base_other = j->row.other_requests;
    j->base_throttled = j->row.throttled;
    j->base_elapsed = j->row.elapsed;
    stats(j, "ListIdentities", &st);
    j->sent0_list = st.sent;
    stats(j, "DeleteIdentities", &st);
    j->sent0_delete = st.sent;
    stats(j, "DescribeIdentity", &st);
    j->sent0_describe = st.sent;
    j->throttled0 = throttled_total(j);
    begin_phase_clock(j);

    switch (j->row.phase) {
    case PRUNE_PHASE_LIST:
    case PRUNE_PHASE_ENABLED:
        if (start_listing(j, j->row.next_token, err) != 0)
            goto fail;
        break;
    case PRUNE_PHASE_DELETE:
        j->awaiting = true;
        break;
    case PRUNE_PHASE_DONE:
        finish(j, 0);
        break;
    }
    return j;
fail:
    prune_job_free(j);
    return NULL;
}

bool prune_job_finished(const struct prune_job *j)
{
    return j->finished;
}

bool prune_job_awaiting_confirmation(const struct prune_job *j)
{
    return j->awaiting && !j->finished;
}

unsigned long long prune_job_to_delete(const struct prune_job *j)
{
    return j->counts.states[PRUNE_PENDING] + j->counts.states[PRUNE_RECONCILE] +
           j->counts.states[PRUNE_INFLIGHT];
}

void prune_job_confirm(struct prune_job *j, bool go)
{
    if (!prune_job_awaiting_confirmation(j))
        return;
    j->awaiting = false;
    if (!go) {
        finish(j, 1);
        return;
    }
    begin_phase_clock(j);
    pump(j);
}

void prune_job_stop(struct prune_job *j)
{
    j->stop_requested = true;
    if (j->lister) {
        identity_lister_stop(j->lister);
        return;
    }
    if (j->awaiting) {
        j->awaiting = false;
        finish(j, 1);
        return;
    }
    pump(j);
}

void prune_job_abort(struct prune_job *j)
{
    j->aborting = true;
    j->stop_requested = true;
    if (j->lister) {
        identity_lister_abort(j->lister);
        return;
    }
    for (int i = 0; i < N_SLOTS; i++)
        if (j->slots[i].req)
            api_request_cancel(j->slots[i].req); /* their callbacks store what is known */
    if (j->awaiting) {
        j->awaiting = false;
        finish(j, 1);
    }
    pump(j);
}

int prune_job_status(const struct prune_job *j, struct api_error *err, char *errbuf, size_t errsize)
{
    *err = j->err;
    snprintf(errbuf, errsize, "%s", j->why);
    return j->status;
}

void prune_job_result(struct prune_job *j, struct prune_result *out)
{
    if (!j->finished)
        update_figures(j);
    memset(out, 0, sizeof *out);
    out->dry_run = j->dry_run;
    out->matched = matched(j);
    out->deleted = j->counts.states[PRUNE_DELETED];
    out->unprocessed = j->counts.states[PRUNE_UNPROCESSED];
    out->skipped = j->counts.states[PRUNE_SKIPPED];
    out->elapsed_s = j->row.elapsed;
    out->list_requests = j->row.list_requests;
    out->delete_requests = j->row.delete_requests;
    out->other_requests = j->row.other_requests;
    out->throttled = j->row.throttled;
    out->sample = j->sample;
}

int prune_job_each_unprocessed(struct prune_job *j,
                               void (*fn)(void *ctx, const char *id, const char *code), void *ctx,
                               char *errbuf, size_t errsize)
{
    if (!j->cp)
        return 0; /* forgotten */
    return prune_checkpoint_each(j->cp, PRUNE_UNPROCESSED, fn, ctx, errbuf, errsize);
}

const char *prune_job_checkpoint(const struct prune_job *j)
{
    return j->path;
}

void prune_job_forget(struct prune_job *j)
{
    if (j->dry_run || !j->finished || j->status != 0 || j->row.phase != PRUNE_PHASE_DONE)
        return;
    prune_checkpoint_close(j->cp);
    j->cp = NULL;
    prune_checkpoint_remove(j->path);
}

void prune_job_free(struct prune_job *j)
{
    if (!j)
        return;
    j->freeing = true;
    if (j->lister) {
        identity_lister_free(j->lister);
        j->lister = NULL;
    }
    for (int i = 0; i < N_SLOTS; i++)
        if (j->slots[i].req)
            api_request_cancel(j->slots[i].req);
    prune_checkpoint_close(j->cp);
    pool_lock_release(&j->lock);
    prune_job_row_clear(&j->row);
    json_object_put(j->sample);
    free(j->pool_id);
    free(j->region);
    free(j->endpoint);
    free(j->profile);
    free(j->provider);
    free(j);
}

void prune_progress_job(const struct prune_progress *p, struct progress_job *out, char *extra,
                        size_t extra_size)
{
    *out = (struct progress_job){
        .phase = prune_phase_name(p->phase), .rate = p->rate, .quota = p->quota, .extra = extra};
    if (p->phase == PRUNE_PHASE_DELETE || p->phase == PRUNE_PHASE_DONE) {
        unsigned long long total = p->deleted + p->remaining;
        out->phase = "deleting";
        out->done = (p->deleted + PRUNE_BATCH_SIZE - 1) / PRUNE_BATCH_SIZE;
        out->total = (long long)((total + PRUNE_BATCH_SIZE - 1) / PRUNE_BATCH_SIZE);
        out->unit = "batches";
        snprintf(extra, extra_size, "%llu of %llu deleted, %lu throttled", p->deleted, total,
                 p->throttled);
    } else {
        out->done = p->pages;
        out->total = p->estimate_pages;
        out->unit = "pages";
        snprintf(extra, extra_size, "%llu listed, %llu matched, %lu throttled", p->listed,
                 p->matched, p->throttled);
    }
}
