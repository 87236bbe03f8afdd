/* tui/prune_checkpoint.c — a prune job's SQLite state (prune_checkpoint.h). */
#include "tui/prune_checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tui/state_dir.h"

#define CHECKPOINT_VERSION 1

static const char *const schema =
    "CREATE TABLE job(key TEXT NOT NULL, pool_id TEXT NOT NULL, region TEXT NOT NULL,"
    " endpoint TEXT NOT NULL, modified_before REAL, created_before REAL,"
    " limit_n INTEGER NOT NULL DEFAULT 0, phase INTEGER NOT NULL DEFAULT 0, next_token TEXT,"
    " pages INTEGER NOT NULL DEFAULT 0, listed INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL, elapsed REAL NOT NULL DEFAULT 0,"
    " list_requests INTEGER NOT NULL DEFAULT 0, delete_requests INTEGER NOT NULL DEFAULT 0,"
    " other_requests INTEGER NOT NULL DEFAULT 0, throttled INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE candidates(identity_id TEXT PRIMARY KEY, seq INTEGER NOT NULL,"
    " state INTEGER NOT NULL DEFAULT 0, error_code TEXT, tries INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX candidates_state ON candidates(state, seq);";

struct prune_checkpoint {
    sqlite3 *db;
    char path[4400];
    long long next_seq;
    sqlite3_stmt *add, *exclude, *set_state, *tries;
};

static int fail(struct prune_checkpoint *cp, char *errbuf, size_t errsize, const char *what)
{
    snprintf(errbuf, errsize, "job checkpoint %.300s: %s: %s",
             cp->path[0] ? cp->path : "(temporary)", what,
             cp->db ? sqlite3_errmsg(cp->db) : "cannot open");
    return -1;
}

const char *prune_phase_name(enum prune_phase phase)
{
    static const char *const names[] = {"listing", "listing enabled", "deleting", "done"};
    return (unsigned)phase < 4 ? names[phase] : "?";
}

void prune_job_row_clear(struct prune_job_row *r)
{
    free(r->next_token);
    r->next_token = NULL;
}

int prune_checkpoint_path(const char *pool_id, char *out, size_t size, char *errbuf, size_t errsize)
{
    char dir[4096], name[256];

    if (state_dir_path("jobs", dir, sizeof dir, errbuf, errsize) != 0)
        return -1;
    if (state_pool_file_name(pool_id, ".sqlite", name, sizeof name) != 0) {
        snprintf(errbuf, errsize, "pool id '%.100s' cannot name a file", pool_id);
        return -1;
    }
    if ((size_t)snprintf(out, size, "%s/prune-%s", dir, name) >= size) {
        snprintf(errbuf, errsize, "the checkpoint's path is too long");
        return -1;
    }
    return 0;
}

void prune_checkpoint_remove(const char *path)
{
    char extra[4500];

    if (!path || !path[0])
        return;
    unlink(path);
    snprintf(extra, sizeof extra, "%s-wal", path);
    unlink(extra);
    snprintf(extra, sizeof extra, "%s-shm", path);
    unlink(extra);
}

static int prepare(struct prune_checkpoint *cp, char *errbuf, size_t errsize)
{
    if (sqlite3_prepare_v2(cp->db,
                           "INSERT OR IGNORE INTO candidates(identity_id, seq) VALUES(?1, ?2)", -1,
                           &cp->add, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(cp->db,
                           "UPDATE candidates SET state = 5 WHERE identity_id = ?1 AND state = 0",
                           -1, &cp->exclude, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(cp->db,
                           "UPDATE candidates SET state = ?2, error_code = ?3,"
                           " tries = tries + ?4 WHERE identity_id = ?1",
                           -1, &cp->set_state, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(cp->db, "SELECT tries FROM candidates WHERE identity_id = ?1", -1,
                           &cp->tries, NULL) != SQLITE_OK)
        return fail(cp, errbuf, errsize, "cannot prepare");
    return 0;
}

struct prune_checkpoint *prune_checkpoint_open(const char *path, char *errbuf, size_t errsize)
{
    struct prune_checkpoint *cp = calloc(1, sizeof *cp);
    sqlite3_stmt *st = NULL;

    if (!cp) {
        snprintf(errbuf, errsize, "out of memory");
        return NULL;
    }
    snprintf(cp->path, sizeof cp->path, "%s", path);
    if (path[0]) {
        int fd = state_file_open(path, O_RDWR | O_CREAT, "the job checkpoint", errbuf, errsize);
        if (fd < 0) {
            free(cp);
            return NULL;
        }
        close(fd);
    }
    if (sqlite3_open_v2(path, &cp->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
                        NULL) != SQLITE_OK) {
        fail(cp, errbuf, errsize, "cannot open");
        prune_checkpoint_close(cp);
        return NULL;
    }
    sqlite3_busy_timeout(cp->db, 10000);
    if (path[0] && sqlite3_exec(cp->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
                                NULL, NULL, NULL) != SQLITE_OK)
        goto db_error;
    if (sqlite3_prepare_v2(cp->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto db_error;
    int version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (version == 0) {
        if (sqlite3_exec(cp->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(cp->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(cp->db, "PRAGMA user_version = 1; COMMIT", NULL, NULL, NULL) !=
                SQLITE_OK) {
            sqlite3_exec(cp->db, "ROLLBACK", NULL, NULL, NULL);
            goto db_error;
        }
    } else if (version != CHECKPOINT_VERSION) {
        snprintf(errbuf, errsize,
                 "job checkpoint %.300s was written by another version of cognito-tui (remove it "
                 "to start the job again)",
                 path);
        prune_checkpoint_close(cp);
        return NULL;
    }
    if (prepare(cp, errbuf, errsize) != 0) {
        prune_checkpoint_close(cp);
        return NULL;
    }
    if (sqlite3_prepare_v2(cp->db, "SELECT coalesce(max(seq), 0) FROM candidates", -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto db_error;
    cp->next_seq = sqlite3_column_int64(st, 0) + 1;
    sqlite3_finalize(st);
    return cp;
db_error:
    sqlite3_finalize(st);
    fail(cp, errbuf, errsize, "not a job checkpoint");
    prune_checkpoint_close(cp);
    return NULL;
}

void prune_checkpoint_close(struct prune_checkpoint *cp)
{
    if (!cp)
        return;
    sqlite3_finalize(cp->add);
    sqlite3_finalize(cp->exclude);
    sqlite3_finalize(cp->set_state);
    sqlite3_finalize(cp->tries);
    sqlite3_close(cp->db);
    free(cp);
}

static void copy_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", t ? t : "");
}

int prune_checkpoint_load(struct prune_checkpoint *cp, struct prune_job_row *out, char *errbuf,
                          size_t errsize)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;

    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(cp->db,
                           "SELECT key, pool_id, region, endpoint, modified_before, created_before,"
                           " limit_n, phase, next_token, pages, listed, created_at, elapsed,"
                           " list_requests, delete_requests, other_requests, throttled FROM job",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(cp, errbuf, errsize, "cannot read");
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        copy_text(out->key, sizeof out->key, st, 0);
        copy_text(out->pool_id, sizeof out->pool_id, st, 1);
        copy_text(out->region, sizeof out->region, st, 2);
        copy_text(out->endpoint, sizeof out->endpoint, st, 3);
        out->has_modified_before = sqlite3_column_type(st, 4) != SQLITE_NULL;
        out->modified_before = sqlite3_column_double(st, 4);
        out->has_created_before = sqlite3_column_type(st, 5) != SQLITE_NULL;
        out->created_before = sqlite3_column_double(st, 5);
        out->limit = (long)sqlite3_column_int64(st, 6);
        out->phase = (enum prune_phase)sqlite3_column_int(st, 7);
        const char *tok = (const char *)sqlite3_column_text(st, 8);
        out->next_token = tok ? strdup(tok) : NULL;
        out->pages = (unsigned long)sqlite3_column_int64(st, 9);
        out->listed = (unsigned long)sqlite3_column_int64(st, 10);
        out->created_at = (time_t)sqlite3_column_int64(st, 11);
        out->elapsed = sqlite3_column_double(st, 12);
        out->list_requests = (unsigned long)sqlite3_column_int64(st, 13);
        out->delete_requests = (unsigned long)sqlite3_column_int64(st, 14);
        out->other_requests = (unsigned long)sqlite3_column_int64(st, 15);
        out->throttled = (unsigned long)sqlite3_column_int64(st, 16);
        if (tok && !out->next_token) {
            snprintf(errbuf, errsize, "out of memory");
            rc = -1;
        } else {
            rc = 1;
        }
    } else if (step != SQLITE_DONE) {
        rc = fail(cp, errbuf, errsize, "cannot read");
    }
    sqlite3_finalize(st);
    return rc;
}

int prune_checkpoint_create(struct prune_checkpoint *cp, const struct prune_job_row *job,
                            char *errbuf, size_t errsize)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(cp->db,
                           "INSERT INTO job(key, pool_id, region, endpoint, modified_before,"
                           " created_before, limit_n, created_at) VALUES(?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(cp, errbuf, errsize, "cannot create the job");
    sqlite3_bind_text(st, 1, job->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, job->pool_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, job->region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, job->endpoint, -1, SQLITE_STATIC);
    if (job->has_modified_before)
        sqlite3_bind_double(st, 5, job->modified_before);
    if (job->has_created_before)
        sqlite3_bind_double(st, 6, job->created_before);
    sqlite3_bind_int64(st, 7, job->limit);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)job->created_at);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    else
        fail(cp, errbuf, errsize, "cannot create the job");
    sqlite3_finalize(st);
    return rc;
}

int prune_checkpoint_begin(struct prune_checkpoint *cp, char *errbuf, size_t errsize)
{
    if (sqlite3_exec(cp->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fail(cp, errbuf, errsize, "cannot write");
    return 0;
}

int prune_checkpoint_commit(struct prune_checkpoint *cp, char *errbuf, size_t errsize)
{
    if (sqlite3_exec(cp->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        fail(cp, errbuf, errsize, "cannot write");
        prune_checkpoint_rollback(cp);
        return -1;
    }
    return 0;
}

void prune_checkpoint_rollback(struct prune_checkpoint *cp)
{
    if (!sqlite3_get_autocommit(cp->db))
        sqlite3_exec(cp->db, "ROLLBACK", NULL, NULL, NULL);
}

static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

int prune_checkpoint_add_candidate(struct prune_checkpoint *cp, const char *identity_id)
{
    sqlite3_bind_text(cp->add, 1, identity_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(cp->add, 2, cp->next_seq++);
    return step_done(cp->add) == 0 ? sqlite3_changes(cp->db) : -1;
}

int prune_checkpoint_exclude(struct prune_checkpoint *cp, const char *identity_id)
{
    sqlite3_bind_text(cp->exclude, 1, identity_id, -1, SQLITE_STATIC);
    return step_done(cp->exclude) == 0 ? sqlite3_changes(cp->db) : -1;
}

int prune_checkpoint_page_done(struct prune_checkpoint *cp, const char *next_token,
                               unsigned long listed)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(
            cp->db, "UPDATE job SET next_token = ?1, pages = pages + 1, listed = listed + ?2", -1,
            &st, NULL) != SQLITE_OK)
        return -1;
    if (next_token)
        sqlite3_bind_text(st, 1, next_token, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)listed);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

int prune_checkpoint_set_state(struct prune_checkpoint *cp, const char *identity_id,
                               enum prune_state state, const char *error_code, bool count_try)
{
    sqlite3_bind_text(cp->set_state, 1, identity_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(cp->set_state, 2, (int)state);
    if (error_code)
        sqlite3_bind_text(cp->set_state, 3, error_code, -1, SQLITE_STATIC);
    sqlite3_bind_int(cp->set_state, 4, count_try ? 1 : 0);
    return step_done(cp->set_state);
}

int prune_checkpoint_tries(struct prune_checkpoint *cp, const char *identity_id)
{
    int n = 0;

    sqlite3_bind_text(cp->tries, 1, identity_id, -1, SQLITE_STATIC);
    if (sqlite3_step(cp->tries) == SQLITE_ROW)
        n = sqlite3_column_int(cp->tries, 0);
    sqlite3_reset(cp->tries);
    sqlite3_clear_bindings(cp->tries);
    return n;
}

int prune_checkpoint_move_all(struct prune_checkpoint *cp, enum prune_state from,
                              enum prune_state to)
{
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE candidates SET state = %d WHERE state = %d", (int)to,
             (int)from);
    return sqlite3_exec(cp->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int prune_checkpoint_set_phase(struct prune_checkpoint *cp, enum prune_phase phase, long limit)
{
    char sql[512];

    if (phase == PRUNE_PHASE_DELETE && limit > 0) {
        snprintf(sql, sizeof sql,
                 "UPDATE candidates SET state = %d WHERE state = %d AND seq > (SELECT coalesce(max("
                 "seq), 0) FROM (SELECT seq FROM candidates WHERE state = %d ORDER BY seq LIMIT "
                 "%ld)) AND (SELECT phase FROM job) < %d",
                 PRUNE_SKIPPED, PRUNE_PENDING, PRUNE_PENDING, limit, (int)PRUNE_PHASE_DELETE);
        if (sqlite3_exec(cp->db, sql, NULL, NULL, NULL) != SQLITE_OK)
            return -1;
    }
    snprintf(sql, sizeof sql, "UPDATE job SET phase = %d, next_token = NULL", (int)phase);
    return sqlite3_exec(cp->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int prune_checkpoint_save_figures(struct prune_checkpoint *cp, const struct prune_job_row *job)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (sqlite3_prepare_v2(cp->db,
                           "UPDATE job SET elapsed = ?1, list_requests = ?2, delete_requests = ?3,"
                           " other_requests = ?4, throttled = ?5",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_double(st, 1, job->elapsed);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)job->list_requests);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)job->delete_requests);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)job->other_requests);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)job->throttled);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

json_object *prune_checkpoint_take(struct prune_checkpoint *cp, enum prune_state state, size_t n,
                                   bool mark, enum prune_state mark_as)
{
    sqlite3_stmt *st = NULL;
    json_object *ids = json_object_new_array();
    int step;

    if (!ids)
        return NULL;
    if (sqlite3_prepare_v2(cp->db,
                           "SELECT identity_id FROM candidates WHERE state = ?1 ORDER BY seq"
                           " LIMIT ?2",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int(st, 1, (int)state);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)n);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (!id || json_object_array_add(ids, json_object_new_string(id)) != 0)
            goto fail;
    }
    if (step != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    st = NULL;
    if (mark)
        for (size_t i = 0; i < json_object_array_length(ids); i++)
            if (prune_checkpoint_set_state(
                    cp, json_object_get_string(json_object_array_get_idx(ids, i)), mark_as, NULL,
                    false) != 0)
                goto fail;
    return ids;
fail:
    sqlite3_finalize(st);
    json_object_put(ids);
    return NULL;
}

int prune_checkpoint_counts(struct prune_checkpoint *cp, struct prune_counts *out, char *errbuf,
                            size_t errsize)
{
    sqlite3_stmt *st = NULL;
    int step;

    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(cp->db, "SELECT state, count(*) FROM candidates GROUP BY state", -1, &st,
                           NULL) != SQLITE_OK)
        return fail(cp, errbuf, errsize, "cannot read");
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int s = sqlite3_column_int(st, 0);
        if (s >= 0 && s < 7)
            out->states[s] = (unsigned long long)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : fail(cp, errbuf, errsize, "cannot read");
}

int prune_checkpoint_each(struct prune_checkpoint *cp, enum prune_state state,
                          void (*fn)(void *ctx, const char *id, const char *error_code), void *ctx,
                          char *errbuf, size_t errsize)
{
    sqlite3_stmt *st = NULL;
    int step;

    if (sqlite3_prepare_v2(cp->db,
                           "SELECT identity_id, error_code FROM candidates WHERE state = ?1"
                           " ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(cp, errbuf, errsize, "cannot read");
    sqlite3_bind_int(st, 1, (int)state);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 1);
        fn(ctx, (const char *)sqlite3_column_text(st, 0), code ? code : "");
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : fail(cp, errbuf, errsize, "cannot read");
}
