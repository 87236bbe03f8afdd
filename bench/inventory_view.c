/* bench/inventory_view.c — paging a pool's inventory the way the console's
 * Identities pane will (tui/inventory_view.h): memory and time for 12,000
 * and 1,000,000 identities (figures, never pass/fail).
 *
 * Each size gets a synthetic inventory (built with tui/inventory_store.h,
 * as a listing would fill it); then a child process opens the view, sorts
 * by last modification (newest first) under no filter and under a filter
 * (guests idle 90+ days), scrolls 20,000 rows down a window at a time,
 * jumps to 20 random places and to the end, and scrolls 5,000 rows back up.
 * The child's peak resident set (VmHWM: it is a fresh image, run again with
 * `--page`) is the memory figure; the
 * medians of the window reads are the time figures.
 *
 * The paging child runs BENCH_RUNS times (5) a size. Prints rows of the table
 * of `make bench` (JSON lines, as bench/rows.py prints them: the largest size
 * beside the smallest), name=value lines to standard error (the log).
 * BENCH_VIEW_SIZES=12000,1000000 overrides the sizes.
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

#define POOL     "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
#define NOW      1800000000.0
#define CHUNK    10000
#define MAX_RUNS 16

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

/* The peak resident set of this process image (VmHWM, KiB). Not getrusage's
 * ru_maxrss: that keeps the high-water mark of the parent this process was
 * forked from, across exec; VmHWM starts again with the image exec made. */
static long peak_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
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
    fprintf(out, "%ld %.3f %.3f %.3f %.3f %ld\n", peak_rss_kib(), median(window_ms, nw),
            median(jump_ms, nj), query_ms[0], query_ms[1], n);
}

/* Runs this program again as a new image (`--page PATH N`, the console's
 * side: nothing of the builder's memory) to page the inventory at path, its
 * standard output into a pipe; fills its figures. */
static int page_in_child(const char *path, long size, double fig[5])
{
    char size_arg[24];
    snprintf(size_arg, sizeof size_arg, "%ld", size);
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fds[0]);
        if (dup2(fds[1], STDOUT_FILENO) < 0)
            _exit(127);
        close(fds[1]);
        execl("/proc/self/exe", "bench-inventory_view", "--page", path, size_arg, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    long maxrss = 0, n = 0;
    int got =
        fscanf(in, "%ld %lf %lf %lf %lf %ld", &maxrss, &fig[1], &fig[2], &fig[3], &fig[4], &n);
    fclose(in);
    waitpid(pid, NULL, 0);
    fig[0] = (double)maxrss;
    return got == 6 ? 0 : -1;
}

/* n with thousands separated by commas, as the table writes counts. */
static const char *grouped(long n, char buf[32])
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%ld", n), o = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

/* One row of bench/run.py's table (JSON, as bench/rows.py prints them): the
 * largest size's samples beside the smallest's. */
static void emit_row(const char *figure, const char *unit, const double *ours, const char *peer,
                     const double *theirs, int n)
{
    printf("{\"figure\": \"%s\", \"unit\": \"%s\", \"ours\": [", figure, unit);
    for (int i = 0; i < n; i++)
        printf("%s%.4f", i ? ", " : "", ours[i]);
    printf("], \"peer\": \"%s\", \"peer_values\": [", peer);
    for (int i = 0; i < n; i++)
        printf("%s%.4f", i ? ", " : "", theirs[i]);
    printf("]}\n");
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--page") == 0) {
        page_through(argv[2], atol(argv[3]), stdout);
        return 0;
    }
    const char *sizes_env = getenv("BENCH_VIEW_SIZES");
    const char *runs_env = getenv("BENCH_RUNS");
    char sizes_buf[128];
    char dir[] = "/tmp/cognito-tui-bench-view-XXXXXX";
    long sizes[8];
    int nsizes = 0;
    int runs = runs_env ? atoi(runs_env) : 5;
    /* [size][figure][run]: peak RSS KiB, next window ms, jump ms, query ms, filtered query ms */
    static double fig[8][5][MAX_RUNS];

    if (runs < 1 || runs > MAX_RUNS)
        runs = 5;
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
        for (int r = 0; r < runs; r++) {
            double one[5];
            if (page_in_child(path, sizes[i], one) != 0) {
                fprintf(stderr, "paging child failed\n");
                return 1;
            }
            for (int k = 0; k < 5; k++)
                fig[i][k][r] = one[k];
        }
        fprintf(stderr, "inventory_view_%ld_build_s=%.1f\n", sizes[i], built);
        fprintf(stderr, "inventory_view_%ld_file_mib=%.1f\n", sizes[i], st.st_size / 1048576.0);
        fprintf(stderr, "inventory_view_%ld_peak_rss_kib=%.0f (first run)\n", sizes[i],
                fig[i][0][0]);
        fprintf(stderr, "inventory_view_%ld_next_window_ms=%.3f\n", sizes[i], fig[i][1][0]);
        fprintf(stderr, "inventory_view_%ld_jump_ms=%.3f\n", sizes[i], fig[i][2][0]);
        fprintf(stderr, "inventory_view_%ld_query_ms=%.1f\n", sizes[i], fig[i][3][0]);
        fprintf(stderr, "inventory_view_%ld_filtered_query_ms=%.1f\n", sizes[i], fig[i][4][0]);
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", path, path, path);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", path);
    }
    rmdir(dir);
    if (nsizes > 1) {
        int big = nsizes - 1;
        char figure[160], peer[80], g[32];
        static const char *const what[5] = {"peak RSS", "next window read", "jump to a random row",
                                            "sort by last modified",
                                            "sort under a filter (guests idle 90+ days)"};
        static const char *const unit[5] = {"KiB", "ms", "ms", "ms", "ms"};
        snprintf(peer, sizeof peer, "the same, %s identities", grouped(sizes[0], g));
        for (int k = 0; k < 5; k++) {
            snprintf(figure, sizeof figure, "Console paging %s identities from the inventory: %s",
                     grouped(sizes[big], g), what[k]);
            emit_row(figure, unit[k], fig[big][k], peer, fig[0][k], runs);
        }
    }
    return 0;
}
