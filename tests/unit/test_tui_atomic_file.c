/* Unit tests of the atomic file writer (tui/atomic_file.c): replacing a
 * regular file whole (unnamed and named temporary files), never replacing
 * anything else, and no temporary file left by any fatal signal. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
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

/* Whether this file system gives unnamed files (O_TMPFILE). */
static bool unnamed_supported(void)
{
    int fd = open(dir, O_TMPFILE | O_WRONLY, 0600);

    if (fd < 0)
        return false;
    close(fd);
    return true;
}

static void commit_replaces_the_file(bool unnamed)
{
    char path[512], buf[128], why[256];
    struct atomic_file *af;

    make_dir();
    atomic_file_allow_unnamed(unnamed);
    snprintf(path, sizeof path, "%s/out.json", dir);
    write_file(path, "old");
    chmod(path, 0640);
    af = atomic_file_open(path, why, sizeof why);
    CHECK(af != NULL);
    if (!af)
        return;
    fputs("new content", atomic_file_stream(af));
    /* Until the commit, readers still see the old file; a named temporary
     * file beside it, or none at all where O_TMPFILE works. */
    read_file(path, buf, sizeof buf);
    CHECK_STR_EQ(buf, "old");
    CHECK_INT_EQ(count_entries(), unnamed && unnamed_supported() ? 1 : 2);
    CHECK_INT_EQ(atomic_file_commit(af, why, sizeof why), 0);
    read_file(path, buf, sizeof buf);
    CHECK_STR_EQ(buf, "new content");
    CHECK_INT_EQ(count_entries(), 1);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
    atomic_file_allow_unnamed(true);
    cleanup(path);
}

static void test_commit_replaces_the_file(void)
{
    commit_replaces_the_file(true);
    commit_replaces_the_file(false);
}

static void abort_keeps_the_old_file(bool unnamed)
{
    char path[512], buf[128], why[256];
    struct atomic_file *af;

    make_dir();
    atomic_file_allow_unnamed(unnamed);
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
    atomic_file_allow_unnamed(true);
    cleanup(path);
}

static void test_abort_keeps_the_old_file(void)
{
    abort_keeps_the_old_file(true);
    abort_keeps_the_old_file(false);
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

/* A child writes through a named temporary file (the fallback where
 * O_TMPFILE is missing) and is killed by `sig` part-way: nothing but the old
 * file may be left, and the child must still end as the signal says. */
static void killed_part_way(int sig, bool unnamed)
{
    char path[512], buf[64], why[256];
    int fds[2];
    pid_t pid;
    int status = 0;

    make_dir();
    snprintf(path, sizeof path, "%s/ids.json", dir);
    write_file(path, "before");
    CHECK(pipe(fds) == 0);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        atomic_file_cleanup_on_fatal_signals();
        atomic_file_allow_unnamed(unnamed);
        struct atomic_file *af = atomic_file_open(path, why, sizeof why);
        if (!af)
            _exit(99);
        fputs("[\n{\"half\": ", atomic_file_stream(af));
        fflush(atomic_file_stream(af));
        if (write(fds[1], "w", 1) != 1) /* the temporary file exists now */
            _exit(98);
        if (sig == SIGKILL)
            pause();
        int null = open("/dev/null", O_WRONLY); /* a sanitizer's report of the crash */
        if (null >= 0)
            dup2(null, 2);
        raise(sig);
        _exit(97); /* the signal was not fatal */
    }
    close(fds[1]);
    char c;
    CHECK(read(fds[0], &c, 1) == 1);
    close(fds[0]);
    if (sig == SIGKILL)
        kill(pid, SIGKILL);
    CHECK(waitpid(pid, &status, 0) == pid);
    /* Crash signals may be reported by a sanitizer's handler, which exits. */
    bool crash = sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL;
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == sig) &&
        !(crash && WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) < 97)) {
        char m[128];
        snprintf(m, sizeof m, "signal %d (%s): status %#x", sig, unnamed ? "unnamed" : "named",
                 status);
        check_fail(__FILE__, __LINE__, m);
    }
    if (count_entries() != 1) {
        char m[128];
        snprintf(m, sizeof m, "signal %d (%s): %d entries left", sig, unnamed ? "unnamed" : "named",
                 count_entries());
        check_fail(__FILE__, __LINE__, m);
    }
    read_file(path, buf, sizeof buf);
    CHECK_STR_EQ(buf, "before");
    cleanup(path);
}

static void test_no_temporary_file_survives_a_fatal_signal(void)
{
    static const int sigs[] = {SIGINT,  SIGTERM, SIGHUP,    SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2,
                               SIGALRM, SIGXFSZ, SIGVTALRM, SIGABRT, SIGSEGV, SIGBUS};

    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        killed_part_way(sigs[i], false);
    /* Nothing can catch SIGKILL: only an unnamed file leaves nothing. */
    make_dir();
    bool unnamed = unnamed_supported();
    rmdir(dir);
    if (unnamed)
        killed_part_way(SIGKILL, true);
}

/* A signal ignored by whoever started us stays ignored (nohup). */
static void test_ignored_signal_stays_ignored(void)
{
    pid_t pid = fork();
    int status = 0;

    if (pid == 0) {
        signal(SIGHUP, SIG_IGN);
        atomic_file_cleanup_on_fatal_signals();
        raise(SIGHUP);
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* ---- never replace what is not a regular file ---- */

static void test_fifo_is_written_into(void)
{
    char path[512], why[256], buf[64] = "";
    struct stat st;

    make_dir();
    snprintf(path, sizeof path, "%s/pipe", dir);
    CHECK(mkfifo(path, 0600) == 0);
    int reader = open(path, O_RDONLY | O_NONBLOCK); /* so the writer's open does not wait */
    CHECK(reader >= 0);
    struct atomic_file *af = atomic_file_open(path, why, sizeof why);
    CHECK(af != NULL);
    if (af) {
        fputs("rows", atomic_file_stream(af));
        CHECK_INT_EQ(atomic_file_commit(af, why, sizeof why), 0);
        ssize_t n = read(reader, buf, sizeof buf - 1);
        CHECK_INT_EQ(n, 4);
        buf[n > 0 ? n : 0] = '\0';
        CHECK_STR_EQ(buf, "rows");
    }
    close(reader);
    CHECK(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode));
    CHECK_INT_EQ(count_entries(), 1);
    cleanup(path);
}

static void test_character_device_is_written_into(void)
{
    char path[512], why[256];
    struct stat before, after;

    make_dir();
    /* A null device of our own (mknod needs root; else the system's, whose
     * inode must not change). */
    snprintf(path, sizeof path, "%s/null", dir);
    if (mknod(path, S_IFCHR | 0666, makedev(1, 3)) != 0)
        snprintf(path, sizeof path, "/dev/null");
    CHECK(stat(path, &before) == 0 && S_ISCHR(before.st_mode));
    struct atomic_file *af = atomic_file_open(path, why, sizeof why);
    CHECK(af != NULL);
    if (af) {
        fputs("into the void", atomic_file_stream(af));
        CHECK_INT_EQ(atomic_file_commit(af, why, sizeof why), 0);
    }
    CHECK(stat(path, &after) == 0 && S_ISCHR(after.st_mode));
    CHECK(before.st_ino == after.st_ino && before.st_rdev == after.st_rdev);
    /* An aborted write to a device leaves it as it was too. */
    af = atomic_file_open(path, why, sizeof why);
    CHECK(af != NULL);
    if (af)
        atomic_file_abort(af);
    CHECK(stat(path, &after) == 0 && before.st_ino == after.st_ino);
    if (strcmp(path, "/dev/null") != 0)
        unlink(path);
    cleanup("");
}

static void test_symlink_target_is_replaced(void)
{
    char path[512], link1[512], link2[512], dangling[512], made[512], buf[64], why[256];
    struct stat st;

    make_dir();
    snprintf(path, sizeof path, "%s/real.json", dir);
    snprintf(link1, sizeof link1, "%s/link1", dir);
    snprintf(link2, sizeof link2, "%s/link2", dir);
    write_file(path, "old");
    chmod(path, 0604);
    CHECK(symlink("real.json", link1) == 0); /* relative */
    CHECK(symlink(link1, link2) == 0);       /* a chain, absolute */
    struct atomic_file *af = atomic_file_open(link2, why, sizeof why);
    CHECK(af != NULL);
    if (af) {
        fputs("new", atomic_file_stream(af));
        CHECK_INT_EQ(atomic_file_commit(af, why, sizeof why), 0);
    }
    read_file(path, buf, sizeof buf);
    CHECK_STR_EQ(buf, "new");
    CHECK(lstat(link1, &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(lstat(link2, &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0604);
    CHECK_INT_EQ(count_entries(), 3);
    /* A dangling link: the file it names is created. */
    snprintf(dangling, sizeof dangling, "%s/dangling", dir);
    snprintf(made, sizeof made, "%s/made.csv", dir);
    CHECK(symlink("made.csv", dangling) == 0);
    af = atomic_file_open(dangling, why, sizeof why);
    CHECK(af != NULL);
    if (af) {
        fputs("x", atomic_file_stream(af));
        CHECK_INT_EQ(atomic_file_commit(af, why, sizeof why), 0);
    }
    read_file(made, buf, sizeof buf);
    CHECK_STR_EQ(buf, "x");
    CHECK(lstat(dangling, &st) == 0 && S_ISLNK(st.st_mode));
    /* A loop is refused. */
    snprintf(made, sizeof made, "%s/loop", dir);
    CHECK(symlink("loop", made) == 0);
    CHECK(atomic_file_open(made, why, sizeof why) == NULL);
    CHECK(strstr(why, "loop") != NULL);
    unlink(made);
    unlink(dangling);
    snprintf(made, sizeof made, "%s/made.csv", dir);
    unlink(made);
    unlink(link2);
    unlink(link1);
    cleanup(path);
}

static void test_other_kinds_are_refused(void)
{
    char path[512], why[256] = "";
    struct sockaddr_un sa;
    int s;

    make_dir();
    snprintf(path, sizeof path, "%s/sock", dir);
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path) < sizeof sa.sun_path ? strlen(path) + 1 : 0);
    CHECK(s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof sa) == 0);
    CHECK(atomic_file_open(path, why, sizeof why) == NULL);
    CHECK(strstr(why, "is a socket") != NULL);
    CHECK(strstr(why, path) != NULL);
    close(s);
    unlink(path);
    snprintf(path, sizeof path, "%s/blk", dir);
    if (mknod(path, S_IFBLK | 0600, makedev(7, 0)) == 0) {
        CHECK(atomic_file_open(path, why, sizeof why) == NULL);
        CHECK(strstr(why, "is a block device") != NULL);
        struct stat st;
        CHECK(lstat(path, &st) == 0 && S_ISBLK(st.st_mode));
        unlink(path);
    }
    CHECK_INT_EQ(count_entries(), 0);
    cleanup("");
}

static void test_errors_name_the_file(void)
{
    char why[256] = "";

    CHECK(atomic_file_open("/nonexistent-dir-cognito/x.json", why, sizeof why) == NULL);
    CHECK(strstr(why, "/nonexistent-dir-cognito/x.json") != NULL);
    make_dir();
    CHECK(atomic_file_open(dir, why, sizeof why) == NULL);
    CHECK(strstr(why, "is a directory") != NULL);
    rmdir(dir);
}

int main(void)
{
    RUN(test_commit_replaces_the_file);
    RUN(test_abort_keeps_the_old_file);
    RUN(test_new_file_follows_the_umask);
    RUN(test_no_temporary_file_survives_a_fatal_signal);
    RUN(test_ignored_signal_stays_ignored);
    RUN(test_fifo_is_written_into);
    RUN(test_character_device_is_written_into);
    RUN(test_symlink_target_is_replaced);
    RUN(test_other_kinds_are_refused);
    RUN(test_errors_name_the_file);
    return check_finish();
}
