/* tui/inventory_store.c — the SQLite inventory of a pool (inventory_store.h). */
#include "tui/inventory_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tui/cmd_export.h"
#include "tui/identity_filter.h"
#include "tui/state_dir.h"

static const char *const schema =
    "CREATE TABLE pool(pool_id TEXT NOT NULL, region TEXT NOT NULL, endpoint TEXT NOT NULL,"
    " listed_at INTEGER, disabled_listed_at INTEGER, pass_id INTEGER NOT NULL DEFAULT 0,"
    " enabled_pass_id INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE identities(identity_id TEXT PRIMARY KEY, created REAL, modified REAL,"
    " logins INTEGER NOT NULL, seen INTEGER NOT NULL, seen_pass INTEGER NOT NULL,"
    " enabled_pass INTEGER, disabled INTEGER) WITHOUT ROWID;"
    /* The sort indexes carry the columns the filters test: a sorted,
     * filtered walk never leaves them (tui/inventory_view.c). */
    "CREATE INDEX identities_modified ON identities(modified, identity_id, logins, disabled,"
    " created);"
    "CREATE INDEX identities_created ON identities(created, identity_id, logins, disabled,"
    " modified);"
    "CREATE INDEX identities_logins ON identities(logins, identity_id);"
    "CREATE TABLE logins(identity_id TEXT NOT NULL, provider TEXT NOT NULL,"
    " PRIMARY KEY(identity_id, provider)) WITHOUT ROWID;"
    "CREATE INDEX logins_provider ON logins(provider, identity_id);"
    "CREATE TABLE refresh(pass TEXT PRIMARY KEY, next_token TEXT,"
    " pages INTEGER NOT NULL DEFAULT 0, rows INTEGER NOT NULL DEFAULT 0,"
    " started INTEGER NOT NULL);";

struct inventory_store {
    sqlite3 *db;
    char *path;
    char *pool_id;
    sqlite3_stmt *upsert, *forget_logins, *add_login, *save_token;
};

static const char *pass_name(enum inventory_pass pass)
{
    return pass == INVENTORY_PASS_ENABLED ? "enabled" : "all";
}

static int fail(struct inventory_store *s, char *errbuf, size_t errsize, const char *what)
{
    snprintf(errbuf, errsize, "inventory %.300s: %s: %s", s->path, what,
             s->db ? sqlite3_errmsg(s->db) : "cannot open");
    return -1;
}

static int exec(struct inventory_store *s, const char *sql, char *errbuf, size_t errsize)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return fail(s, errbuf, errsize, "cannot update");
    return 0;
}

int inventory_path(const char *pool_id, char *out, size_t size, char *errbuf, size_t errsize)
{
    char dir[4096], name[256];

    if (state_dir_path("inventory", dir, sizeof dir, errbuf, errsize) != 0)
        return -1;
    if (state_pool_file_name(pool_id, ".sqlite", name, sizeof name) != 0) {
        snprintf(errbuf, errsize, "pool id '%.100s' cannot name a file", pool_id);
        return -1;
    }
    if ((size_t)snprintf(out, size, "%s/%s", dir, name) >= size) {
        snprintf(errbuf, errsize, "the inventory's path is too long");
        return -1;
    }
    return 0;
}

/* The file exists with mode 0600 (tightened if someone loosened it) before
 * SQLite opens it: SQLite gives its -wal and -shm files the same mode. */
static int prepare_file(const char *path, bool create, char *errbuf, size_t errsize)
{
    int fd =
        state_file_open(path, O_RDWR | (create ? O_CREAT : 0), "the inventory", errbuf, errsize);

    if (fd < 0) {
        if (errno == ENOENT)
            snprintf(errbuf, errsize,
                     "no inventory at %.300s (run `cognito-tui inventory --pool ID` first)", path);
        return -1;
    }
    close(fd);
    return 0;
}

static int prepare_statements(struct inventory_store *s, char *errbuf, size_t errsize)
{
    static const char *const upsert =
        "INSERT INTO identities(identity_id, created, modified, logins, seen, seen_pass,"
        " enabled_pass) VALUES(?1, ?2, ?3, ?4, ?5, (SELECT pass_id FROM pool), ?6)"
        " ON CONFLICT(identity_id) DO UPDATE SET created = ?2, modified = ?3, logins = ?4,"
        " seen = ?5, seen_pass = (SELECT pass_id FROM pool),"
        " enabled_pass = coalesce(?6, enabled_pass)";
    if (sqlite3_prepare_v2(s->db, upsert, -1, &s->upsert, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "DELETE FROM logins WHERE identity_id = ?1", -1,
                           &s->forget_logins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "INSERT OR IGNORE INTO logins(identity_id, provider) VALUES(?1, ?2)", -1,
                           &s->add_login, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "UPDATE refresh SET next_token = ?2, pages = pages + 1,"
                           " rows = rows + ?3 WHERE pass = ?1",
                           -1, &s->save_token, NULL) != SQLITE_OK)
        return fail(s, errbuf, errsize, "cannot prepare");
    return 0;
}

/* A new file gets the schema and its pool row; an old one must be ours. */
static int check_or_create(struct inventory_store *s, const char *pool_id, const char *region,
                           const char *endpoint, char *errbuf, size_t errsize)
{
    sqlite3_stmt *st = NULL;
    int version = -1, rc = -1;

    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto db_error;
    version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (version == 0) {
        if (exec(s, "BEGIN IMMEDIATE", errbuf, errsize) != 0)
            return -1;
        if (sqlite3_exec(s->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(s->db, "INSERT INTO pool(pool_id, region, endpoint) VALUES(?,?,?)",
                               -1, &st, NULL) != SQLITE_OK) {
            fail(s, errbuf, errsize, "cannot create the schema");
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            goto out;
        }
        sqlite3_bind_text(st, 1, pool_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, region, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, endpoint, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE ||
            sqlite3_exec(s->db, "PRAGMA user_version = 1; COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            fail(s, errbuf, errsize, "cannot create the schema");
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            goto out;
        }
        rc = 0;
        goto out;
    }
    if (version != INVENTORY_SCHEMA_VERSION) {
        snprintf(errbuf, errsize,
                 "inventory %.300s has schema version %d, this cognito-tui reads %d (move the "
                 "file away to start a new one)",
                 s->path, version, INVENTORY_SCHEMA_VERSION);
        goto out;
    }
    if (sqlite3_prepare_v2(s->db, "SELECT pool_id, region, endpoint FROM pool", -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto db_error;
    const char *p = (const char *)sqlite3_column_text(st, 0);
    const char *r = (const char *)sqlite3_column_text(st, 1);
    const char *e = (const char *)sqlite3_column_text(st, 2);
    if (!p || strcmp(p, pool_id) != 0) {
        snprintf(errbuf, errsize, "inventory %.300s belongs to pool %.100s, not %.100s", s->path,
                 p ? p : "?", pool_id);
        goto out;
    }
    if (region && endpoint && (!r || !e || strcmp(r, region) != 0 || strcmp(e, endpoint) != 0)) {
        snprintf(errbuf, errsize,
                 "inventory %.300s was made from %.200s (%.40s), not %.200s (%.40s): move it away "
                 "to inventory this endpoint",
                 s->path, e ? e : "?", r ? r : "?", endpoint, region);
        goto out;
    }
    rc = 0;
    goto out;
db_error:
    fail(s, errbuf, errsize, "not an inventory");
out:
    sqlite3_finalize(st);
    return rc;
}

struct inventory_store *inventory_store_open(const char *path, const char *pool_id,
                                             const char *region, const char *endpoint, bool create,
                                             char *errbuf, size_t errsize)
{
    struct inventory_store *s = calloc(1, sizeof *s);

    if (!s || !(s->path = strdup(path)) || !(s->pool_id = strdup(pool_id))) {
        snprintf(errbuf, errsize, "out of memory");
        inventory_store_close(s);
        return NULL;
    }
    if (prepare_file(path, create, errbuf, errsize) != 0)
        goto fail;
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) !=
        SQLITE_OK) {
        fail(s, errbuf, errsize, "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 10000);
    if (exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", errbuf, errsize) != 0 ||
        check_or_create(s, pool_id, region, endpoint, errbuf, errsize) != 0 ||
        prepare_statements(s, errbuf, errsize) != 0)
        goto fail;
    return s;
fail:
    inventory_store_close(s);
    return NULL;
}

void inventory_store_close(struct inventory_store *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->upsert);
    sqlite3_finalize(s->forget_logins);
    sqlite3_finalize(s->add_login);
    sqlite3_finalize(s->save_token);
    sqlite3_close(s->db);
    free(s->path);
    free(s->pool_id);
    free(s);
}

int inventory_store_pending(struct inventory_store *s, enum inventory_pass *pass, char **token,
                            char *errbuf, size_t errsize)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;

    *token = NULL;
    /* The full pass comes before the enabled one. */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT pass, next_token FROM refresh ORDER BY pass = 'enabled' LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, errbuf, errsize, "cannot read the checkpoint");
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *tok = (const char *)sqlite3_column_text(st, 1);
        *pass = name && strcmp(name, "enabled") == 0 ? INVENTORY_PASS_ENABLED : INVENTORY_PASS_ALL;
        if (tok && !(*token = strdup(tok))) {
            snprintf(errbuf, errsize, "out of memory");
            rc = -1;
        } else {
            rc = 1;
        }
    } else if (step != SQLITE_DONE) {
        rc = fail(s, errbuf, errsize, "cannot read the checkpoint");
    }
    sqlite3_finalize(st);
    return rc;
}

int inventory_store_begin_pass(struct inventory_store *s, enum inventory_pass pass, time_t now,
                               char *errbuf, size_t errsize)
{
    char sql[512];

    snprintf(sql, sizeof sql,
             "BEGIN IMMEDIATE;"
             "UPDATE pool SET %s = %s + 1 WHERE NOT EXISTS (SELECT 1 FROM refresh WHERE pass = "
             "'%s');"
             "INSERT OR IGNORE INTO refresh(pass, started) VALUES('%s', %lld);"
             "COMMIT",
             pass == INVENTORY_PASS_ENABLED ? "enabled_pass_id" : "pass_id",
             pass == INVENTORY_PASS_ENABLED ? "enabled_pass_id" : "pass_id", pass_name(pass),
             pass_name(pass), (long long)now);
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        fail(s, errbuf, errsize, "cannot start the listing");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

int inventory_store_restart_pass(struct inventory_store *s, enum inventory_pass pass, char *errbuf,
                                 size_t errsize)
{
    char sql[256];

    snprintf(sql, sizeof sql, "UPDATE refresh SET next_token = NULL WHERE pass = '%s'",
             pass_name(pass));
    return exec(s, sql, errbuf, errsize);
}

static int store_identity(struct inventory_store *s, const struct identity_record *r, time_t now,
                          long long enabled_pass)
{
    sqlite3_reset(s->upsert);
    sqlite3_bind_text(s->upsert, 1, r->id, -1, SQLITE_STATIC);
    if (r->has_created)
        sqlite3_bind_double(s->upsert, 2, r->created);
    else
        sqlite3_bind_null(s->upsert, 2);
    if (r->has_modified)
        sqlite3_bind_double(s->upsert, 3, r->modified);
    else
        sqlite3_bind_null(s->upsert, 3);
    sqlite3_bind_int64(s->upsert, 4, (sqlite3_int64)r->n_logins);
    sqlite3_bind_int64(s->upsert, 5, (sqlite3_int64)now);
    if (enabled_pass > 0)
        sqlite3_bind_int64(s->upsert, 6, enabled_pass);
    else
        sqlite3_bind_null(s->upsert, 6);
    if (sqlite3_step(s->upsert) != SQLITE_DONE)
        return -1;
    sqlite3_reset(s->forget_logins);
    sqlite3_bind_text(s->forget_logins, 1, r->id, -1, SQLITE_STATIC);
    if (sqlite3_step(s->forget_logins) != SQLITE_DONE)
        return -1;
    for (size_t i = 0; i < r->n_logins; i++) {
        const char *provider = identity_record_login(r, i);
        if (!provider)
            continue;
        sqlite3_reset(s->add_login);
        sqlite3_bind_text(s->add_login, 1, r->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(s->add_login, 2, provider, -1, SQLITE_STATIC);
        if (sqlite3_step(s->add_login) != SQLITE_DONE)
            return -1;
    }
    return 0;
}

static long long current_pass(struct inventory_store *s, enum inventory_pass pass)
{
    sqlite3_stmt *st = NULL;
    long long id = -1;
    const char *sql = pass == INVENTORY_PASS_ENABLED ? "SELECT enabled_pass_id FROM pool"
                                                     : "SELECT pass_id FROM pool";

    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

int inventory_store_add_page(struct inventory_store *s, enum inventory_pass pass,
                             json_object *identities, const char *next_token, time_t now,
                             size_t *added, char *errbuf, size_t errsize)
{
    size_t n =
        json_object_is_type(identities, json_type_array) ? json_object_array_length(identities) : 0;
    size_t count = 0;

    *added = 0;
    if (exec(s, "BEGIN IMMEDIATE", errbuf, errsize) != 0)
        return -1;
    long long enabled_pass = pass == INVENTORY_PASS_ENABLED ? current_pass(s, pass) : 0;
    for (size_t i = 0; i < n; i++) {
        struct identity_record r;
        if (identity_record_from_json(json_object_array_get_idx(identities, i), &r) != 0)
            continue;
        if (store_identity(s, &r, now, enabled_pass) != 0)
            goto fail;
        count++;
    }
    sqlite3_reset(s->save_token);
    sqlite3_bind_text(s->save_token, 1, pass_name(pass), -1, SQLITE_STATIC);
    if (next_token)
        sqlite3_bind_text(s->save_token, 2, next_token, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s->save_token, 2);
    sqlite3_bind_int64(s->save_token, 3, (sqlite3_int64)count);
    if (sqlite3_step(s->save_token) != SQLITE_DONE)
        goto fail;
    if (exec(s, "COMMIT", errbuf, errsize) != 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    *added = count;
    return 0;
fail:
    fail(s, errbuf, errsize, "cannot store a page");
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int inventory_store_end_pass(struct inventory_store *s, enum inventory_pass pass, time_t now,
                             char *errbuf, size_t errsize)
{
    char sql[1024];

    if (pass == INVENTORY_PASS_ALL)
        snprintf(sql, sizeof sql,
                 "BEGIN IMMEDIATE;"
                 "DELETE FROM identities WHERE seen_pass < (SELECT pass_id FROM pool);"
                 "DELETE FROM logins WHERE identity_id NOT IN (SELECT identity_id FROM "
                 "identities);"
                 "UPDATE pool SET listed_at = %lld;"
                 "DELETE FROM refresh WHERE pass = 'all';"
                 "COMMIT",
                 (long long)now);
    else
        snprintf(sql, sizeof sql,
                 "BEGIN IMMEDIATE;"
                 "UPDATE identities SET disabled = (enabled_pass IS NOT (SELECT enabled_pass_id "
                 "FROM pool));"
                 "UPDATE pool SET disabled_listed_at = %lld;"
                 "DELETE FROM refresh WHERE pass = 'enabled';"
                 "COMMIT",
                 (long long)now);
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        fail(s, errbuf, errsize, "cannot end the listing");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

int inventory_store_state(struct inventory_store *s, bool *listed, bool *disabled_known,
                          char *errbuf, size_t errsize)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(s->db, "SELECT listed_at, disabled_listed_at FROM pool", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        *listed = sqlite3_column_type(st, 0) != SQLITE_NULL;
        *disabled_known = *listed && sqlite3_column_type(st, 1) != SQLITE_NULL &&
                          sqlite3_column_int64(st, 1) >= sqlite3_column_int64(st, 0);
        rc = 0;
    } else {
        fail(s, errbuf, errsize, "cannot read");
    }
    sqlite3_finalize(st);
    return rc;
}

long long inventory_store_count(struct inventory_store *s)
{
    sqlite3_stmt *st = NULL;
    long long n = -1;

    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM identities", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void add_time(json_object *o, const char *key, sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL) {
        json_object_object_add(o, key, NULL);
        return;
    }
    char when[40];
    export_iso8601((double)sqlite3_column_int64(st, col), when, sizeof when);
    json_object_object_add(o, key, json_object_new_string(when));
}

json_object *inventory_store_summary(struct inventory_store *s, time_t now, char *errbuf,
                                     size_t errsize)
{
    static const int idle_days[] = {7, 30, 90, 365};
    json_object *o = json_object_new_object(), *providers = NULL, *idle = NULL;
    sqlite3_stmt *st = NULL;
    bool complete, disabled_known;
    long long listed_at = 0;

    if (!o)
        goto oom;
    json_object_object_add(o, "pool_id", json_object_new_string(s->pool_id));
    json_object_object_add(o, "database", json_object_new_string(s->path));
    if (sqlite3_prepare_v2(s->db,
                           "SELECT listed_at, disabled_listed_at,"
                           " (SELECT count(*) FROM refresh) FROM pool",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto db_error;
    add_time(o, "listed_at", st, 0);
    if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
        json_object_object_add(o, "age_s", NULL);
    } else {
        listed_at = sqlite3_column_int64(st, 0);
        json_object_object_add(o, "age_s", json_object_new_int64((int64_t)now - listed_at));
    }
    complete = sqlite3_column_type(st, 0) != SQLITE_NULL && sqlite3_column_int64(st, 2) == 0;
    disabled_known = sqlite3_column_type(st, 1) != SQLITE_NULL &&
                     sqlite3_column_type(st, 0) != SQLITE_NULL &&
                     sqlite3_column_int64(st, 1) >= listed_at;
    json_object_object_add(o, "complete", json_object_new_boolean(complete));
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT count(*), coalesce(sum(logins = 0), 0),"
                           " coalesce(sum(disabled = 1), 0),"
                           " coalesce(sum(modified < ?1), 0), coalesce(sum(modified < ?2), 0),"
                           " coalesce(sum(modified < ?3), 0), coalesce(sum(modified < ?4), 0)"
                           " FROM identities",
                           -1, &st, NULL) != SQLITE_OK)
        goto db_error;
    for (int i = 0; i < 4; i++)
        sqlite3_bind_double(st, i + 1, (double)now - idle_days[i] * 86400.0);
    if (sqlite3_step(st) != SQLITE_ROW)
        goto db_error;
    json_object_object_add(o, "identities", json_object_new_int64(sqlite3_column_int64(st, 0)));
    json_object_object_add(o, "unauthenticated",
                           json_object_new_int64(sqlite3_column_int64(st, 1)));
    json_object_object_add(
        o, "disabled", disabled_known ? json_object_new_int64(sqlite3_column_int64(st, 2)) : NULL);
    idle = json_object_new_object();
    if (!idle)
        goto oom;
    for (int i = 0; i < 4; i++) {
        char key[8];
        snprintf(key, sizeof key, "%d", idle_days[i]);
        json_object_object_add(idle, key, json_object_new_int64(sqlite3_column_int64(st, 3 + i)));
    }
    sqlite3_finalize(st);
    st = NULL;

    providers = json_object_new_object();
    if (!providers)
        goto oom;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT provider, count(*) FROM logins GROUP BY provider"
                           " ORDER BY 2 DESC, 1",
                           -1, &st, NULL) != SQLITE_OK)
        goto db_error;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        json_object_object_add(providers, name ? name : "",
                               json_object_new_int64(sqlite3_column_int64(st, 1)));
    }
    if (step != SQLITE_DONE)
        goto db_error;
    sqlite3_finalize(st);
    json_object_object_add(o, "providers", providers);
    json_object_object_add(o, "idle", idle);
    return o;
db_error:
    fail(s, errbuf, errsize, "cannot read");
    goto out;
oom:
    snprintf(errbuf, errsize, "out of memory");
out:
    sqlite3_finalize(st);
    json_object_put(providers);
    json_object_put(idle);
    json_object_put(o);
    return NULL;
}
