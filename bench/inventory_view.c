/* bench/inventory_view.c — paging a pool's inventory the way the console's
 * Identities pane will (tui/inventory_view.h): memory and time for 12,000
 * and 1,000,000 identities (figures, never pass/fail).
 *
 * Each size gets a synthetic inventory (built with tui/inventory_store.h,
 * as a listing would fill it); then a child process opens the view, sorts
 * by last modification (newest first) under no filter and under a filter
 * (guests idle 90+ days), scrolls 20,000 rows down a window at a time,
 * jumps to 20 random places and to the end, and scrolls 5,000 rows back up.
 * The child's peak resident set (getrusage) is the memory figure; the
 * medians of the window reads are the time figures.
 *
 * Prints name=value lines. BENCH_VIEW_SIZES=12000,1000000 overrides the sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tui/inventory_store.h"
#include "tui/inventory_view.h"

#define POOL  "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
#define NOW   1800000000.0
#define CHUNK 10000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int build(const char *path, long n)
{
    char why[512];
    struct inventory_store *s =
        inventory_store_open(path, POOL, "us-east-1", "http://127.0.0.1:1", true, why, sizeof why);
    size_t added;

    if (!s) {
        fprintf(stderr, "%s\n", why);
        return -1;
    }
    inventory_store_begin_pass(s, INVENTORY_PASS_ALL, (time_t)NOW, why, sizeof why);
    for (long i = 0; i < n; i += CHUNK) {
        json_object *a = json_object_new_array();
        for (long k = i; k < i + CHUNK && k < n; k++) {
            char id[64];
            json_object *o = json_object_new_object(), *logins = json_object_new_array();
            unsigned long h = (unsigned long)k * 2654435761UL;
            /* Ids in listing order: the emulator (and, as far as one can
             * tell, the service) list in a stable order. */
            snprintf(id, sizeof id, "us-east-1:%08lx-0000-4000-8000-%012lx", (unsigned long)k,
                     h & 0xffffffffffffUL);
            json_object_object_add(o, "IdentityId", json_object_new_string(id));
            if (k % 5 == 1)
                json_object_array_add(logins, json_object_new_string("graph.facebook.com"));
            json_object_object_add(o, "Logins", logins);
            json_object_object_add(o, "CreationDate", json_object_new_double(1.7e9 + k));
            json_object_object_add(o, "LastModifiedDate",
                                   json_object_new_double(NOW - (double)(h % 40000000UL)));
            json_object_array_add(a, o);
        }
        if (inventory_store_add_page(s, INVENTORY_PASS_ALL, a, i + CHUNK < n ? "t" : NULL,
                                     (time_t)NOW, &added, why, sizeof why) != 0) {
            fprintf(stderr, "%s\n", why);
            json_object_put(a);
            inventory_store_close(s);
            return -1;
        }
        json_object_put(a);
    }
    inventory_store_end_pass(s, INVENTORY_PASS_ALL, (time_t)NOW, why, sizeof why);
    inventory_store_close(s);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n ? v[n / 2] : 0;
}

/* In the child: scroll and jump; writes its figures to fd. */
static void page_through(const char *path, long n, FILE *out)
{
    char why[512];
    struct inventory_view *v = inventory_view_open(path, why, sizeof why);
    struct inventory_row r;
    static double window_ms[2000], jump_ms[64];
    int nw = 0, nj = 0;
    double t0, query_ms[2];

    if (!v) {
        fprintf(out, "error %s\n", why);
        return;
    }
    struct inventory_view_filter idle = {
        .logins = 1, .has_modified_before = true, .modified_before = NOW - 90 * 86400.0};
    for (int pass = 0; pass < 2; pass++) {
        t0 = now_s();
        inventory_view_query(v, INVENTORY_SORT_MODIFIED, true, pass ? &idle : NULL, why,
                             sizeof why);
        query_ms[pass] = (now_s() - t0) * 1e3;
        size_t count = inventory_view_count(v);
        size_t down = count < 20000 ? count : 20000;
        for (size_t i = 0; i < down; i++) {
            double t = now_s();
            inventory_view_row(v, i, &r);
            if (i % INVENTORY_VIEW_WINDOW == 0 && nw < 2000)
                window_ms[nw++] = (now_s() - t) * 1e3;
        }
        srand(42);
        for (int k = 0; k < 20 && count; k++) {
            double t = now_s();
            inventory_view_row(v, (size_t)rand() % count, &r);
            jump_ms[nj++] = (now_s() - t) * 1e3;
        }
        if (count) {
            double t = now_s();
            inventory_view_row(v, count - 1, &r);
            jump_ms[nj++] = (now_s() - t) * 1e3;
            for (size_t i = count - 1, k = 0; k < 5000 && i > 0; k++, i--)
                inventory_view_row(v, i, &r);
        }
    }
    inventory_view_close(v);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(out, "%ld %.3f %.3f %.3f %.3f %ld\n", ru.ru_maxrss, median(window_ms, nw),
            median(jump_ms, nj), query_ms[0], query_ms[1], n);
}

int main(void)
{
    const char *sizes_env = getenv("BENCH_VIEW_SIZES");
    char sizes_buf[128];
    char dir[] = "/tmp/cognito-tui-bench-view-XXXXXX";
    long rss[8] = {0};
    long sizes[8];
    int nsizes = 0;

    snprintf(sizes_buf, sizeof sizes_buf, "%s", sizes_env ? sizes_env : "12000,1000000");
    for (char *t = strtok(sizes_buf, ","); t && nsizes < 8; t = strtok(NULL, ","))
        sizes[nsizes++] = atol(t);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    for (int i = 0; i < nsizes; i++) {
        char path[64];
        snprintf(path, sizeof path, "%s/inventory-%ld.sqlite", dir, sizes[i]);
        double t0 = now_s();
        if (build(path, sizes[i]) != 0)
            return 1;
        double built = now_s() - t0;
        struct stat st;
        stat(path, &st);
        int fds[2];
        if (pipe(fds) != 0)
            return 1;
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            FILE *out = fdopen(fds[1], "w");
            page_through(path, sizes[i], out);
            fclose(out);
            _exit(0);
        }
        close(fds[1]);
        FILE *in = fdopen(fds[0], "r");
        long maxrss = 0, n = 0;
        double win = 0, jump = 0, q0 = 0, q1 = 0;
        if (fscanf(in, "%ld %lf %lf %lf %lf %ld", &maxrss, &win, &jump, &q0, &q1, &n) != 6) {
            fprintf(stderr, "paging child failed\n");
            return 1;
        }
        fclose(in);
        waitpid(pid, NULL, 0);
        rss[i] = maxrss;
        printf("inventory_view_%ld_build_s=%.1f\n", sizes[i], built);
        printf("inventory_view_%ld_file_mib=%.1f\n", sizes[i], st.st_size / 1048576.0);
        printf("inventory_view_%ld_peak_rss_kib=%ld\n", sizes[i], maxrss);
        printf("inventory_view_%ld_next_window_ms=%.3f\n", sizes[i], win);
        printf("inventory_view_%ld_jump_ms=%.3f\n", sizes[i], jump);
        printf("inventory_view_%ld_query_ms=%.1f\n", sizes[i], q0);
        printf("inventory_view_%ld_filtered_query_ms=%.1f\n", sizes[i], q1);
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", path, path, path);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", path);
    }
    if (nsizes > 1 && rss[0] > 0)
        printf("inventory_view_peak_rss_ratio=%.3f\n", (double)rss[nsizes - 1] / rss[0]);
    rmdir(dir);
    return 0;
}
