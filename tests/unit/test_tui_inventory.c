/* Tests of the SQLite inventory (tui/inventory_store.c), its paging view
 * (tui/inventory_view.c), the state folder and the per-pool lock
 * (tui/state_dir.c), on synthetic ListIdentities pages. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/check.h"
#include "tui/inventory_store.h"
#include "tui/inventory_view.h"
#include "tui/state_dir.h"

#define POOL "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
#define NOW  1800000000 /* 2027-01-15 */

static char state_dir[256];

/* Identity i: ids sort as i does; every 3rd is a guest, the others have
 * facebook, every 5th google too; created 1000 + i, modified NOW - i days. */
static void make_id(int i, char *buf, size_t size)
{
    snprintf(buf, size, "us-east-1:%08d-0000-4000-8000-000000000000", i);
}

static json_object *page(int from, int n)
{
    json_object *a = json_object_new_array();
    for (int i = from; i < from + n; i++) {
        char id[64];
        json_object *o = json_object_new_object(), *logins = json_object_new_array();
        make_id(i, id, sizeof id);
        json_object_object_add(o, "IdentityId", json_object_new_string(id));
        if (i % 3 != 0)
            json_object_array_add(logins, json_object_new_string("graph.facebook.com"));
        if (i % 5 == 0 && i % 3 != 0)
            json_object_array_add(logins, json_object_new_string("accounts.google.com"));
        json_object_object_add(o, "Logins", logins);
        json_object_object_add(o, "CreationDate", json_object_new_double(1000 + i));
        json_object_object_add(o, "LastModifiedDate",
                               json_object_new_double(NOW - i * 86400.0 - 1));
        json_object_array_add(a, o);
    }
    return a;
}

static struct inventory_store *open_store(const char *path, char *why, size_t size)
{
    return inventory_store_open(path, POOL, "us-east-1", "http://127.0.0.1:1", true, why, size);
}

/* A full pass of identities [0, n) in pages of 60. */
static void fill(struct inventory_store *s, int n, int skip_from, int skip_to)
{
    char why[512];
    size_t added;
    CHECK_INT_EQ(inventory_store_begin_pass(s, INVENTORY_PASS_ALL, NOW, why, sizeof why), 0);
    for (int i = 0; i < n; i += 60) {
        int m = n - i < 60 ? n - i : 60;
        json_object *p = page(i, m);
        /* identities in [skip_from, skip_to) were deleted on the service */
        json_object *kept = json_object_new_array();
        for (int k = 0; k < m; k++)
            if (i + k < skip_from || i + k >= skip_to)
                json_object_array_add(kept, json_object_get(json_object_array_get_idx(p, k)));
        CHECK_INT_EQ(inventory_store_add_page(s, INVENTORY_PASS_ALL, kept,
                                              i + 60 < n ? "token" : NULL, NOW, &added, why,
                                              sizeof why),
                     0);
        json_object_put(p);
        json_object_put(kept);
    }
    CHECK_INT_EQ(inventory_store_end_pass(s, INVENTORY_PASS_ALL, NOW, why, sizeof why), 0);
}

static long long get_int(json_object *o, const char *key)
{
    json_object *v = NULL;
    json_object_object_get_ex(o, key, &v);
    return v ? json_object_get_int64(v) : -1;
}

static void test_paths_and_modes(void)
{
    char path[4400], why[512], name[256];
    struct stat st;

    CHECK_INT_EQ(inventory_path(POOL, path, sizeof path, why, sizeof why), 0);
    CHECK(strstr(path, "/cognito-tui/inventory/us-east-1_0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
                       ".sqlite") != NULL);
    char dir[4400];
    snprintf(dir, sizeof dir, "%s/cognito-tui/inventory", state_dir);
    CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700);
    struct inventory_store *s = open_store(path, why, sizeof why);
    CHECK(s != NULL);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    inventory_store_close(s);

    CHECK_INT_EQ(state_pool_file_name("a/b:c", ".x", name, sizeof name), -1);
    CHECK_INT_EQ(state_pool_file_name("..:c", ".x", name, sizeof name), -1);
    CHECK_INT_EQ(state_pool_file_name(POOL, ".lock", name, 10), -1);

    /* Another pool's file, another endpoint, and no file at all. */
    s = inventory_store_open(path, "us-east-1:11111111-0000-4000-8000-000000000000", "us-east-1",
                             "http://127.0.0.1:1", true, why, sizeof why);
    CHECK(s == NULL);
    CHECK(strstr(why, "belongs to pool") != NULL);
    s = inventory_store_open(path, POOL, "us-east-1", "https://elsewhere.example.com", true, why,
                             sizeof why);
    CHECK(s == NULL);
    CHECK(strstr(why, "was made from") != NULL);
    unlink(path);
    s = inventory_store_open(path, POOL, "us-east-1", "http://127.0.0.1:1", false, why, sizeof why);
    CHECK(s == NULL);
    CHECK(strstr(why, "no inventory") != NULL);
}

static void test_counts_refresh_and_disabled(void)
{
    char path[4400], why[512];
    inventory_path(POOL, path, sizeof path, why, sizeof why);
    unlink(path);
    struct inventory_store *s = open_store(path, why, sizeof why);
    bool listed = true, known = true;

    CHECK_INT_EQ(inventory_store_state(s, &listed, &known, why, sizeof why), 0);
    CHECK(!listed && !known);
    fill(s, 1000, 0, 0);
    json_object *sum = inventory_store_summary(s, NOW, why, sizeof why);
    CHECK(sum != NULL);
    CHECK_INT_EQ(get_int(sum, "identities"), 1000);
    CHECK_INT_EQ(get_int(sum, "unauthenticated"), 334); /* i % 3 == 0 in [0, 1000) */
    json_object *idle = json_object_object_get(sum, "idle");
    CHECK_INT_EQ(get_int(idle, "7"), 1000 - 7); /* modified more than 7 days ago: i >= 7 */
    CHECK_INT_EQ(get_int(idle, "365"), 1000 - 365);
    json_object *prov = json_object_object_get(sum, "providers");
    CHECK_INT_EQ(get_int(prov, "graph.facebook.com"), 666);
    CHECK_INT_EQ(get_int(prov, "accounts.google.com"), 133); /* i%5==0 and i%3!=0 */
    CHECK(json_object_object_get(sum, "disabled") == NULL);  /* unknown */
    CHECK(json_object_get_boolean(json_object_object_get(sum, "complete")));
    CHECK_INT_EQ(get_int(sum, "age_s"), 0);
    json_object_put(sum);

    /* A refresh where 100 identities are gone removes them. */
    fill(s, 1000, 200, 300);
    CHECK_INT_EQ(inventory_store_count(s), 900);

    /* The enabled pass: those it does not list are the disabled ones. */
    size_t added;
    CHECK_INT_EQ(inventory_store_begin_pass(s, INVENTORY_PASS_ENABLED, NOW, why, sizeof why), 0);
    json_object *p = page(0, 60); /* only [0, 60) listed as enabled ... */
    CHECK_INT_EQ(
        inventory_store_add_page(s, INVENTORY_PASS_ENABLED, p, NULL, NOW, &added, why, sizeof why),
        0);
    json_object_put(p);
    CHECK_INT_EQ(inventory_store_end_pass(s, INVENTORY_PASS_ENABLED, NOW + 1, why, sizeof why), 0);
    sum = inventory_store_summary(s, NOW + 1, why, sizeof why);
    CHECK_INT_EQ(get_int(sum, "disabled"), 840); /* ... so the other 840 are disabled */
    json_object_put(sum);
    CHECK_INT_EQ(inventory_store_state(s, &listed, &known, why, sizeof why), 0);
    CHECK(listed && known);
    inventory_store_close(s);
}

static void test_resume_checkpoint(void)
{
    char path[4400], why[512];
    inventory_path(POOL, path, sizeof path, why, sizeof why);
    unlink(path);
    struct inventory_store *s = open_store(path, why, sizeof why);
    enum inventory_pass pass;
    char *token = NULL;
    size_t added;

    CHECK_INT_EQ(inventory_store_pending(s, &pass, &token, why, sizeof why), 0);
    inventory_store_begin_pass(s, INVENTORY_PASS_ALL, NOW, why, sizeof why);
    json_object *p = page(0, 60);
    inventory_store_add_page(s, INVENTORY_PASS_ALL, p, "after-page-1", NOW, &added, why,
                             sizeof why);
    json_object_put(p);
    inventory_store_close(s); /* interrupted */

    s = open_store(path, why, sizeof why);
    CHECK_INT_EQ(inventory_store_pending(s, &pass, &token, why, sizeof why), 1);
    CHECK_INT_EQ(pass, INVENTORY_PASS_ALL);
    CHECK_STR_EQ(token, "after-page-1");
    free(token);
    /* Resuming keeps the same pass: the first page's rows count as seen. */
    inventory_store_begin_pass(s, INVENTORY_PASS_ALL, NOW, why, sizeof why);
    p = page(60, 40);
    inventory_store_add_page(s, INVENTORY_PASS_ALL, p, NULL, NOW, &added, why, sizeof why);
    json_object_put(p);
    inventory_store_end_pass(s, INVENTORY_PASS_ALL, NOW, why, sizeof why);
    CHECK_INT_EQ(inventory_store_count(s), 100);
    CHECK_INT_EQ(inventory_store_pending(s, &pass, &token, why, sizeof why), 0);

    /* A refused token: the pass restarts from its first page. */
    inventory_store_begin_pass(s, INVENTORY_PASS_ALL, NOW, why, sizeof why);
    p = page(0, 60);
    inventory_store_add_page(s, INVENTORY_PASS_ALL, p, "stale", NOW, &added, why, sizeof why);
    json_object_put(p);
    CHECK_INT_EQ(inventory_store_restart_pass(s, INVENTORY_PASS_ALL, why, sizeof why), 0);
    CHECK_INT_EQ(inventory_store_pending(s, &pass, &token, why, sizeof why), 1);
    CHECK(token == NULL);
    inventory_store_close(s);
}

static int count_ids(void *ctx, const char *id)
{
    int *n = ctx;
    (*n)++;
    return 0;
}

/* The view's rows by index equal the whole order computed here. */
static void test_view_paging(void)
{
    char path[4400], why[512];
    inventory_path(POOL, path, sizeof path, why, sizeof why);
    unlink(path);
    struct inventory_store *s = open_store(path, why, sizeof why);
    const int n = 1000;
    fill(s, n, 0, 0);
    inventory_store_close(s);

    struct inventory_view *v = inventory_view_open(path, why, sizeof why);
    CHECK(v != NULL);
    struct inventory_row r;
    CHECK_INT_EQ(inventory_view_row(v, 0, &r), 1); /* before a query */

    /* By id ascending: identity i at index i. Read from the far end first
     * (the reversed window) and then jump around. */
    CHECK_INT_EQ(inventory_view_query(v, INVENTORY_SORT_ID, false, NULL, why, sizeof why), 0);
    CHECK_INT_EQ(inventory_view_count(v), n);
    size_t order[] = {999, 998, 871, 0, 1, 127, 128, 500, 501, 640, 999};
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        char want[64];
        make_id((int)order[k], want, sizeof want);
        CHECK_INT_EQ(inventory_view_row(v, order[k], &r), 0);
        CHECK_STR_EQ(r.id, want);
    }
    CHECK_INT_EQ(inventory_view_row(v, n, &r), 1);
    make_id(10, r.id, sizeof r.id);
    inventory_view_row(v, 10, &r);
    CHECK_STR_EQ(r.providers, "accounts.google.com graph.facebook.com");
    CHECK_INT_EQ(r.logins, 2);
    CHECK(r.has_created && r.created == 1010);
    CHECK_INT_EQ(r.disabled, -1);

    /* Modified descending = i ascending (modified falls with i). */
    CHECK_INT_EQ(inventory_view_query(v, INVENTORY_SORT_MODIFIED, true, NULL, why, sizeof why), 0);
    for (size_t i = 0; i < (size_t)n; i += 37) {
        char want[64];
        make_id((int)i, want, sizeof want);
        CHECK_INT_EQ(inventory_view_row(v, i, &r), 0);
        CHECK_STR_EQ(r.id, want);
    }
    /* Created ascending, the last row through the reversed window. */
    CHECK_INT_EQ(inventory_view_query(v, INVENTORY_SORT_CREATED, false, NULL, why, sizeof why), 0);
    inventory_view_row(v, 999, &r);
    CHECK(r.created == 1999);

    /* Filters: guests idle for 90+ days, newest first by creation. */
    struct inventory_view_filter f = {
        .logins = 1, .has_modified_before = true, .modified_before = NOW - 90 * 86400.0};
    CHECK_INT_EQ(inventory_view_query(v, INVENTORY_SORT_CREATED, true, &f, why, sizeof why), 0);
    size_t want_count = 0;
    for (int i = 0; i < n; i++)
        want_count += i % 3 == 0 && i >= 90;
    CHECK_INT_EQ(inventory_view_count(v), want_count);
    inventory_view_row(v, 0, &r);
    char want[64];
    make_id(999, want, sizeof want);
    CHECK_STR_EQ(r.id, want);
    inventory_view_row(v, want_count - 1, &r);
    make_id(90, want, sizeof want);
    CHECK_STR_EQ(r.id, want);

    f = (struct inventory_view_filter){.provider = "accounts.google.com"};
    inventory_view_query(v, INVENTORY_SORT_ID, false, &f, why, sizeof why);
    CHECK_INT_EQ(inventory_view_count(v), 133);
    f = (struct inventory_view_filter){.logins = 2, .id_contains = "00000999-"};
    inventory_view_query(v, INVENTORY_SORT_ID, false, &f, why, sizeof why);
    CHECK_INT_EQ(inventory_view_count(v), 0); /* 999 is a guest */
    f.id_contains = "00000998-0000-4000";
    inventory_view_query(v, INVENTORY_SORT_ID, false, &f, why, sizeof why);
    CHECK_INT_EQ(inventory_view_count(v), 1);

    /* Every matching id, in order. */
    int seen = 0;
    f = (struct inventory_view_filter){.logins = 1};
    inventory_view_query(v, INVENTORY_SORT_ID, false, &f, why, sizeof why);
    CHECK_INT_EQ(inventory_view_each_id(v, count_ids, &seen), 0);
    CHECK_INT_EQ(seen, 334);
    inventory_view_close(v);

    /* The view is read-only. */
    CHECK(inventory_view_open("/nonexistent/inventory.sqlite", why, sizeof why) == NULL);
}

/* Expected order for the scan test: key (NULL first ascending), then id. */
struct expect_row {
    char id[64];
    bool null;
    double key;
};
static bool expect_desc;

static int expect_cmp(const void *a, const void *b)
{
    const struct expect_row *x = a, *y = b;
    int c;
    if (x->null != y->null)
        c = x->null ? -1 : 1;
    else if (!x->null && x->key != y->key)
        c = x->key < y->key ? -1 : 1;
    else
        c = strcmp(x->id, y->id);
    return expect_desc ? -c : c;
}

/* Every row, scrolled forward and backward (the windows next to the one
 * held come by keyset), in every order, with identities lacking dates and
 * many equal keys. */
static void test_view_scrolls_every_order(void)
{
    char path[4400], why[512];
    const int n = 9000; /* beyond two anchors (INVENTORY_VIEW_ANCHOR) */
    static struct expect_row rows[9000];
    inventory_path(POOL, path, sizeof path, why, sizeof why);
    unlink(path);
    struct inventory_store *s = open_store(path, why, sizeof why);
    size_t added;
    inventory_store_begin_pass(s, INVENTORY_PASS_ALL, NOW, why, sizeof why);
    json_object *a = json_object_new_array();
    for (int i = 0; i < n; i++) {
        char id[64];
        json_object *o = json_object_new_object(), *logins = json_object_new_array();
        make_id((i * 7919) % n, id, sizeof id); /* ids not in creation order */
        json_object_object_add(o, "IdentityId", json_object_new_string(id));
        for (int k = 0; k < i % 3; k++)
            json_object_array_add(logins, json_object_new_string(k ? "b.example" : "a.example"));
        json_object_object_add(o, "Logins", logins);
        if (i % 11 != 0 && i < n - 200) { /* every 11th and the last 200 have no dates */
            json_object_object_add(o, "CreationDate", json_object_new_double(1000 + i % 50));
            json_object_object_add(o, "LastModifiedDate", json_object_new_double(5000 - i));
        }
        json_object_array_add(a, o);
    }
    CHECK_INT_EQ(
        inventory_store_add_page(s, INVENTORY_PASS_ALL, a, NULL, NOW, &added, why, sizeof why), 0);
    inventory_store_end_pass(s, INVENTORY_PASS_ALL, NOW, why, sizeof why);
    inventory_store_close(s);

    struct inventory_view *v = inventory_view_open(path, why, sizeof why);
    enum inventory_sort sorts[] = {INVENTORY_SORT_ID, INVENTORY_SORT_CREATED,
                                   INVENTORY_SORT_MODIFIED, INVENTORY_SORT_LOGINS};
    for (size_t si = 0; si < 4; si++) {
        for (int desc = 0; desc < 2; desc++) {
            for (int i = 0; i < n; i++) {
                json_object *o = json_object_array_get_idx(a, (size_t)i), *t = NULL;
                snprintf(rows[i].id, sizeof rows[i].id, "%s",
                         json_object_get_string(json_object_object_get(o, "IdentityId")));
                rows[i].null = false;
                rows[i].key = 0;
                if (sorts[si] == INVENTORY_SORT_LOGINS) {
                    rows[i].key = i % 3;
                } else if (sorts[si] != INVENTORY_SORT_ID) {
                    const char *k =
                        sorts[si] == INVENTORY_SORT_CREATED ? "CreationDate" : "LastModifiedDate";
                    rows[i].null = !json_object_object_get_ex(o, k, &t);
                    rows[i].key = t ? json_object_get_double(t) : 0;
                }
            }
            expect_desc = desc;
            qsort(rows, (size_t)n, sizeof rows[0], expect_cmp);
            CHECK_INT_EQ(inventory_view_query(v, sorts[si], desc, NULL, why, sizeof why), 0);
            struct inventory_row r;
            int wrong = 0;
            for (int i = 0; i < n; i++)
                if (inventory_view_row(v, (size_t)i, &r) != 0 || strcmp(r.id, rows[i].id) != 0)
                    wrong++;
            for (int i = n - 1; i >= 0; i--)
                if (inventory_view_row(v, (size_t)i, &r) != 0 || strcmp(r.id, rows[i].id) != 0)
                    wrong++;
            /* Jumps: from the nearest anchor. */
            unsigned seed = 7;
            for (int k = 0; k < 60; k++) {
                seed = seed * 1103515245u + 12345u;
                int i = (int)((seed >> 8) % (unsigned)n);
                if (inventory_view_row(v, (size_t)i, &r) != 0 || strcmp(r.id, rows[i].id) != 0)
                    wrong++;
            }
            if (wrong) {
                char m[128];
                snprintf(m, sizeof m, "sort %zu desc %d: %d rows out of place", si, desc, wrong);
                check_fail(__FILE__, __LINE__, m);
            }
        }
    }
    json_object_put(a);
    inventory_view_close(v);
}

static void test_pool_lock(void)
{
    struct pool_lock a, b;
    char why[512];

    CHECK_INT_EQ(pool_lock_take(&a, POOL, "prune", why, sizeof why), 0);
    /* Another process is refused, and told who holds the lock. */
    pid_t pid = fork();
    if (pid == 0) {
        int rc = pool_lock_take(&b, POOL, "inventory", why, sizeof why);
        _exit(rc == 1 && strstr(why, "prune, pid") ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    pool_lock_release(&a);
    CHECK_INT_EQ(pool_lock_take(&b, POOL, "inventory", why, sizeof why), 0);
    pool_lock_release(&b);
    /* Another pool is not held. */
    CHECK_INT_EQ(pool_lock_take(&a, POOL, "prune", why, sizeof why), 0);
    CHECK_INT_EQ(pool_lock_take(&b, "us-east-1:22222222-0000-4000-8000-000000000000", "prune", why,
                                sizeof why),
                 0);
    pool_lock_release(&a);
    pool_lock_release(&b);
}

int main(void)
{
    snprintf(state_dir, sizeof state_dir, "/tmp/cognito-tui-test-inventory-%ld", (long)getpid());
    mkdir(state_dir, 0700);
    setenv("XDG_STATE_HOME", state_dir, 1);
    RUN(test_paths_and_modes);
    RUN(test_counts_refresh_and_disabled);
    RUN(test_resume_checkpoint);
    RUN(test_view_paging);
    RUN(test_view_scrolls_every_order);
    RUN(test_pool_lock);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", state_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", state_dir);
    return check_finish();
}
