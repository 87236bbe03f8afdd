/* tui/inventory_store.h — a pool's identity inventory: one SQLite file a
 * pool, filled from ListIdentities, queried by `inventory` and the console.
 *
 * OWNER: the lifecycle work (issue 13).
 *
 * File: $XDG_STATE_HOME/cognito-tui/inventory/<pool id, ':' as '_'>.sqlite,
 * mode 0600 in a 0700 folder, WAL journal (a reader, like the console's
 * Identities pane, never blocks a refresh). The schema (user_version 1) is
 * in README.md "Inventory" for users of `sqlite3`:
 *
 *   pool(pool_id, region, endpoint, listed_at, disabled_listed_at, pass_id,
 *        enabled_pass_id)        one row; times in epoch seconds; listed_at
 *                                NULL until a full listing ended
 *   identities(identity_id PRIMARY KEY, created, modified, logins, seen,
 *        seen_pass, enabled_pass, disabled)
 *                                created/modified: CreationDate and
 *                                LastModifiedDate, epoch seconds (REAL, NULL
 *                                when the service gave none); logins: how
 *                                many linked logins (0 = unauthenticated);
 *                                seen: when a listing last saw it; disabled:
 *                                1/0, NULL until a --disabled pass
 *   logins(identity_id, provider)   one row a linked login's provider
 *   refresh(pass, next_token, pages, rows, started)
 *                                the checkpoint of a listing in progress
 *                                (pass 'all' or 'enabled'); empty when none
 *
 * A refresh is a full listing (the service has no "changed since"): every
 * page is written in one transaction with the NextToken that follows it, so
 * an interrupted refresh resumes after its last stored page. When a full
 * pass ends, identities it did not see are removed (deleted on the
 * service). The `enabled` pass lists with HideDisabled: identities it does
 * not see are the disabled ones.
 *
 * Errors: functions return -1 with a one-line reason in errbuf (never an
 * api_error: this is a local file).
 */
#ifndef TUI_INVENTORY_STORE_H
#define TUI_INVENTORY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#define INVENTORY_SCHEMA_VERSION 1

struct inventory_store;

enum inventory_pass {
    INVENTORY_PASS_ALL,     /* every identity */
    INVENTORY_PASS_ENABLED, /* HideDisabled: the enabled ones */
};

/* The inventory file of `pool_id` (created folders 0700). Returns 0, or -1. */
int inventory_path(const char *pool_id, char *out, size_t size, char *errbuf, size_t errsize);

/* Opens `path`. With `create`, a missing file is made (0600) for the pool,
 * region and endpoint given; without, a missing file is an error. An
 * existing file must hold this pool (and this schema version); a different
 * endpoint or region is refused (the same id elsewhere is another pool).
 * NULL on error. */
struct inventory_store *inventory_store_open(const char *path, const char *pool_id,
                                             const char *region, const char *endpoint, bool create,
                                             char *errbuf, size_t errsize);
void inventory_store_close(struct inventory_store *s);

/* Whether a pass is unfinished: returns 1 with *pass and *token (malloc'd,
 * NULL = from the first page; the caller frees) filled, 0 when none, -1. */
int inventory_store_pending(struct inventory_store *s, enum inventory_pass *pass, char **token,
                            char *errbuf, size_t errsize);

/* Starts a pass (a new pass id) or, when it is the unfinished one, keeps it. */
int inventory_store_begin_pass(struct inventory_store *s, enum inventory_pass pass, time_t now,
                               char *errbuf, size_t errsize);

/* The listing refused the stored token (expired): the same pass goes on
 * from its first page (rows already stored stay; they are seen again). */
int inventory_store_restart_pass(struct inventory_store *s, enum inventory_pass pass, char *errbuf,
                                 size_t errsize);

/* One page of the pass: upserts its Identities (borrowed array of
 * ListIdentities items) and stores next_token (NULL: this was the last
 * page), in one transaction. *added counts the identities written. */
int inventory_store_add_page(struct inventory_store *s, enum inventory_pass pass,
                             json_object *identities, const char *next_token, time_t now,
                             size_t *added, char *errbuf, size_t errsize);

/* Ends the pass: ALL removes identities it did not see and sets listed_at;
 * ENABLED sets `disabled` for every identity and disabled_listed_at. */
int inventory_store_end_pass(struct inventory_store *s, enum inventory_pass pass, time_t now,
                             char *errbuf, size_t errsize);

/* The figures `inventory` prints, as of `now` (a new object the caller
 * owns, NULL on error):
 *   {"pool_id", "database", "listed_at" (ISO or null), "age_s" (or null),
 *    "complete" (a full listing ended and none is in progress),
 *    "identities", "unauthenticated",
 *    "providers": {"graph.facebook.com": n, ...} (most first),
 *    "idle": {"7": n, "30": n, "90": n, "365": n} (not modified for that
 *    many days or more; identities without a date are not counted),
 *    "disabled": n or null (unknown: no --disabled pass since the last
 *    full listing)} */
json_object *inventory_store_summary(struct inventory_store *s, time_t now, char *errbuf,
                                     size_t errsize);

/* Whether a full listing ever ended (listed_at set), and whether the
 * disabled state is known (an enabled pass ended after it). */
int inventory_store_state(struct inventory_store *s, bool *listed, bool *disabled_known,
                          char *errbuf, size_t errsize);

/* Number of identities stored (the progress estimate of a listing). -1 on error. */
long long inventory_store_count(struct inventory_store *s);

#endif
