/* Unit tests of the atomic file writer (tui/atomic_file.c). */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/check.h"
#include "tui/atomic_file.h"

static char dir[256];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/test_tui_atomic_file.XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
}

static int count_entries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void read_file(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    size_t n = 0;

    buf[0] = '\0';
    if (!f)
        return;
    n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void cleanup(const char *path)
{
    unlink(path);
    rmdir(dir);
}

static void test_commit_replaces_the_file(void)
{
    char path[512], buf[128], why[256];
    struct atomic_file *af;

    make_dir();
    snprintf(path, sizeof path, "%s/out.json", dir);
    write_file(path, "old");
    chmod(path, 0640);
    af = atomic_file_open(path, why, sizeof why);
    CHECK(af != NULL);
    if (!af)
        return;
    fputs("new content", atomic_file_stream(af));
    /* Until the commit, readers still see the old file, beside a temporary one. */
    read_file(path, buf, sizeof buf);
    CHECK_STR_EQ(buf, "old");
    CHECK_INT_EQ(count_entries(), 2);
    CHECK_INT_EQ(atomic_file_commit(af, why, sizeof why), 0);
    read_file(path, buf, sizeof buf);
    CHECK_STR_EQ(buf, "new content");
    CHECK_INT_EQ(count_entries(), 1);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
    cleanup(path);
}

static void test_abort_keeps_the_old_file(void)
{
    char path[512], buf[128], why[256];
    struct atomic_file *af;

    make_dir();
    snprintf(path, sizeof path, "%s/out.csv", dir);
    write_file(path, "precious");
    af = atomic_file_open(path, why, sizeof why);
    CHECK(af != NULL);
    if (!af)
        return;
    fputs("half of a", atomic_file_stream(af));
    atomic_file_abort(af);
    read_file(path, buf, sizeof buf);
    CHECK_STR_EQ(buf, "precious");
    CHECK_INT_EQ(count_entries(), 1);
    cleanup(path);
}

static void test_new_file_follows_the_umask(void)
{
    char path[512], why[256];
    struct atomic_file *af;
    struct stat st;
    mode_t old = umask(022);

    make_dir();
    snprintf(path, sizeof path, "%s/fresh", dir);
    af = atomic_file_open(path, why, sizeof why);
    CHECK(af != NULL);
    if (af) {
        CHECK_INT_EQ(atomic_file_commit(af, why, sizeof why), 0);
        CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
    }
    umask(old);
    cleanup(path);
}

static void test_signal_cleanup_removes_the_temporary_file(void)
{
    char path[512], why[256];
    struct atomic_file *af;

    make_dir();
    snprintf(path, sizeof path, "%s/x", dir);
    af = atomic_file_open(path, why, sizeof why);
    CHECK(af != NULL);
    if (!af)
        return;
    CHECK_INT_EQ(count_entries(), 1);
    atomic_file_cleanup_on_signal();
    CHECK_INT_EQ(count_entries(), 0);
    atomic_file_abort(af); /* unlinking again is harmless */
    cleanup(path);
}

static void test_errors_name_the_file(void)
{
    char why[256] = "";

    CHECK(atomic_file_open("/nonexistent-dir-cognito/x.json", why, sizeof why) == NULL);
    CHECK(strstr(why, "/nonexistent-dir-cognito/x.json") != NULL);
    make_dir();
    CHECK(atomic_file_open(dir, why, sizeof why) == NULL);
    CHECK(strstr(why, "directory") != NULL);
    rmdir(dir);
}

int main(void)
{
    RUN(test_commit_replaces_the_file);
    RUN(test_abort_keeps_the_old_file);
    RUN(test_new_file_follows_the_umask);
    RUN(test_signal_cleanup_removes_the_temporary_file);
    RUN(test_errors_name_the_file);
    return check_finish();
}
