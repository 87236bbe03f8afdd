/* tui/prune_checkpoint.h — the state of a prune job, kept in SQLite so an
 * interrupted job continues where it stopped and ends as an uninterrupted
 * one would.
 *
 * OWNER: the lifecycle work (issue 13). Used by tui/prune_job.c only.
 *
 * File: $XDG_STATE_HOME/cognito-tui/jobs/prune-<pool, ':' as '_'>.sqlite
 * (0600 in a 0700 folder); a dry run uses a private temporary database
 * (path ""), gone when closed. Tables:
 *   job(key, pool_id, region, endpoint, modified_before, created_before,
 *       limit_n, phase, next_token, pages, listed, created_at, elapsed,
 *       list_requests, delete_requests, other_requests, throttled)
 *       one row: what the job is (key = its filters as typed) and how far
 *       it went; the cutoffs are fixed when the job is created
 *   candidates(identity_id, seq, state, error_code, tries)
 *       every identity that matched when listed, in listing order (seq)
 * Every step is one transaction: a page with its NextToken, a batch sent
 * (INFLIGHT before the request leaves), a batch's answer. A job killed with
 * a batch in flight finds it INFLIGHT on the next run and reconciles it.
 */
#ifndef TUI_PRUNE_CHECKPOINT_H
#define TUI_PRUNE_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

enum prune_phase {
    PRUNE_PHASE_LIST,    /* ListIdentities: candidates recorded */
    PRUNE_PHASE_ENABLED, /* --disabled: HideDisabled listing removes the enabled */
    PRUNE_PHASE_DELETE,  /* batches of DeleteIdentities, reconciles */
    PRUNE_PHASE_DONE,
};

enum prune_state {
    PRUNE_PENDING = 0,     /* to delete */
    PRUNE_INFLIGHT = 1,    /* in a DeleteIdentities sent, answer not stored yet */
    PRUNE_DELETED = 2,     /* deleted (answer, or reconcile found it gone) */
    PRUNE_UNPROCESSED = 3, /* the service refused it (error_code) */
    PRUNE_SKIPPED = 4,     /* beyond --limit */
    PRUNE_EXCLUDED = 5,    /* --disabled: the HideDisabled listing showed it enabled */
    PRUNE_RECONCILE = 6,   /* the outcome of its delete is unknown: DescribeIdentity decides */
};

struct prune_job_row {
    char key[1024];
    char pool_id[128], region[64], endpoint[1024];
    bool has_modified_before, has_created_before;
    double modified_before, created_before;
    long limit; /* 0 = none */
    enum prune_phase phase;
    char *next_token; /* malloc'd or NULL; prune_job_row_clear() frees it */
    unsigned long pages, listed;
    time_t created_at;
    double elapsed;
    unsigned long list_requests, delete_requests, other_requests, throttled;
};

void prune_job_row_clear(struct prune_job_row *r);

struct prune_counts {
    unsigned long long states[7]; /* by enum prune_state */
};

struct prune_checkpoint;

/* $STATE/cognito-tui/jobs/prune-<pool>.sqlite. Returns 0, or -1. */
int prune_checkpoint_path(const char *pool_id, char *out, size_t size, char *errbuf,
                          size_t errsize);

/* Opens (creates) path; "" = a private temporary database. NULL on error. */
struct prune_checkpoint *prune_checkpoint_open(const char *path, char *errbuf, size_t errsize);
void prune_checkpoint_close(struct prune_checkpoint *cp);

/* Removes the file and its -wal/-shm (a finished job). */
void prune_checkpoint_remove(const char *path);

/* 1 with *out filled when a job is stored, 0 when none, -1 on error. */
int prune_checkpoint_load(struct prune_checkpoint *cp, struct prune_job_row *out, char *errbuf,
                          size_t errsize);

/* Stores a new job (phase LIST, nothing listed). */
int prune_checkpoint_create(struct prune_checkpoint *cp, const struct prune_job_row *job,
                            char *errbuf, size_t errsize);

/* Explicit transactions around several calls below (one step, one commit). */
int prune_checkpoint_begin(struct prune_checkpoint *cp, char *errbuf, size_t errsize);
int prune_checkpoint_commit(struct prune_checkpoint *cp, char *errbuf, size_t errsize);
void prune_checkpoint_rollback(struct prune_checkpoint *cp);

/* Inside a transaction: */
/* A listed identity that matched: 1 recorded, 0 already there, -1 error. */
int prune_checkpoint_add_candidate(struct prune_checkpoint *cp, const char *identity_id);
/* The HideDisabled listing saw it: PENDING → EXCLUDED (1 changed, 0 not, -1). */
int prune_checkpoint_exclude(struct prune_checkpoint *cp, const char *identity_id);
/* The page is in: next token (NULL = none), pages + 1, listed + n. */
int prune_checkpoint_page_done(struct prune_checkpoint *cp, const char *next_token,
                               unsigned long listed);
/* Sets a candidate's state (and error code, or NULL); tries + 1 when asked. */
int prune_checkpoint_set_state(struct prune_checkpoint *cp, const char *identity_id,
                               enum prune_state state, const char *error_code, bool count_try);
/* How many delete attempts the candidate had (0 when unknown). */
int prune_checkpoint_tries(struct prune_checkpoint *cp, const char *identity_id);
/* Moves every candidate in state `from` to `to`. */
int prune_checkpoint_move_all(struct prune_checkpoint *cp, enum prune_state from,
                              enum prune_state to);
/* The phase; entering DELETE with a limit marks the PENDING candidates
 * beyond the first `limit` (listing order) SKIPPED, once. */
int prune_checkpoint_set_phase(struct prune_checkpoint *cp, enum prune_phase phase, long limit);
/* Figures accumulated over every run. */
int prune_checkpoint_save_figures(struct prune_checkpoint *cp, const struct prune_job_row *job);

/* Up to n candidates in state `state` in listing order, as a new JSON array
 * of strings (NULL on error); with `mark`, they become `mark_as` in the same
 * transaction the caller holds. */
json_object *prune_checkpoint_take(struct prune_checkpoint *cp, enum prune_state state, size_t n,
                                   bool mark, enum prune_state mark_as);

int prune_checkpoint_counts(struct prune_checkpoint *cp, struct prune_counts *out, char *errbuf,
                            size_t errsize);

/* Calls fn for every candidate in `state`, in listing order. */
int prune_checkpoint_each(struct prune_checkpoint *cp, enum prune_state state,
                          void (*fn)(void *ctx, const char *id, const char *error_code), void *ctx,
                          char *errbuf, size_t errsize);

const char *prune_phase_name(enum prune_phase phase);

#endif
