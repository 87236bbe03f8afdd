/* Tests of api/secret_file.c: reading small secret files without ever
 * blocking, writing them 0600 and atomically. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api/secret_file.h"
#include "tests/unit/check.h"

static char dir[64];

static const char *at(const char *name)
{
    static char path[4][160];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", dir, name);
    return p;
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(at(name), "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_read_regular_and_missing(void)
{
    struct api_error err;
    char *buf = NULL;
    size_t len = 0;

    api_error_clear(&err);
    put("plain", "secret text\n");
    CHECK_INT_EQ(secret_file_read(at("plain"), 64, 0, &buf, &len, &err), 0);
    CHECK_STR_EQ(buf, "secret text\n");
    CHECK_INT_EQ(len, 12);
    secret_file_free(buf, len);
    CHECK_INT_EQ(secret_file_read(at("missing"), 64, 0, &buf, &len, &err), 1);
    CHECK(buf == NULL);
    CHECK_INT_EQ(err.kind, API_ERR_NONE);
    CHECK_INT_EQ(secret_file_read(at("plain"), 11, 0, &buf, &len, &err), -1);
    CHECK(strstr(err.message, "is over 11 bytes") != NULL);
    put("empty", "");
    CHECK_INT_EQ(secret_file_read(at("empty"), 64, 0, &buf, &len, &err), 0);
    CHECK_STR_EQ(buf, "");
    secret_file_free(buf, len);
}

/* A FIFO with no writer hangs open() and read() of a plain reader: here
 * it is refused at once. Run in a child so a regression hangs only it. */
static void test_special_files_refused_at_once(void)
{
    struct api_error err;
    char *buf = NULL;
    size_t len = 0;
    int status = -1;
    pid_t pid;

    CHECK_INT_EQ(mkfifo(at("fifo"), 0600), 0);
    pid = fork();
    if (pid == 0) {
        api_error_clear(&err);
        int rc = secret_file_read(at("fifo"), 64, 0, &buf, &len, &err);
        _exit(rc == -1 && strstr(err.message, "not a regular file (a FIFO)") ? 0 : 1);
    }
    for (int i = 0; i < 600 && pid > 0 && waitpid(pid, &status, WNOHANG) == 0; i++)
        usleep(100 * 1000);
    if (pid > 0 && !WIFEXITED(status) && !WIFSIGNALED(status)) {
        kill(pid, SIGKILL); /* our own child, still hanging */
        waitpid(pid, &status, 0);
        check_fail(__FILE__, __LINE__, "secret_file_read() hung on a FIFO");
    } else {
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    api_error_clear(&err);
    CHECK_INT_EQ(secret_file_read(dir, 64, 0, &buf, &len, &err), -1);
    CHECK(strstr(err.message, "not a regular file (a folder)") != NULL);
    /* /dev/null: refused, unless the caller takes a device for an empty file. */
    CHECK_INT_EQ(secret_file_read("/dev/null", 64, 0, &buf, &len, &err), -1);
    CHECK(strstr(err.message, "a character device") != NULL);
    CHECK_INT_EQ(secret_file_read("/dev/zero", 64, SECRET_FILE_DEVICE_IS_EMPTY, &buf, &len, &err),
                 0);
    CHECK_INT_EQ(len, 0);
    secret_file_free(buf, len);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_mode & 07777 : 0;
}

static int count_temp_files(void)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd,
             "find %s -name "
             "'.*.[A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9]' | wc -l",
             dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

static void test_write_is_private_and_atomic(void)
{
    struct api_error err;
    struct secret_file_tmp t;
    char *buf = NULL;
    size_t len = 0;

    api_error_clear(&err);
    umask(022);
    CHECK_INT_EQ(secret_file_write(at("new.json"), "{\"a\":1}", 7, 0, &err), 0);
    CHECK_INT_EQ(mode_of(at("new.json")), 0600);
    /* Replaced whole; until the commit, the old content is what is read. */
    CHECK_INT_EQ(secret_file_create(&t, at("new.json"), 0600, 0, &err), 0);
    CHECK_INT_EQ(write(t.fd, "{\"b\":2}", 7), 7);
    CHECK_INT_EQ(secret_file_read(at("new.json"), 64, 0, &buf, &len, &err), 0);
    CHECK_STR_EQ(buf, "{\"a\":1}");
    secret_file_free(buf, len);
    CHECK_INT_EQ(secret_file_commit(&t, &err), 0);
    CHECK_INT_EQ(secret_file_read(at("new.json"), 64, 0, &buf, &len, &err), 0);
    CHECK_STR_EQ(buf, "{\"b\":2}");
    secret_file_free(buf, len);
    /* Abort leaves the old file and no temporary one. */
    CHECK_INT_EQ(secret_file_create(&t, at("new.json"), 0600, 0, &err), 0);
    CHECK_INT_EQ(write(t.fd, "x", 1), 1);
    secret_file_abort(&t);
    CHECK_INT_EQ(secret_file_read(at("new.json"), 64, 0, &buf, &len, &err), 0);
    CHECK_STR_EQ(buf, "{\"b\":2}");
    secret_file_free(buf, len);
    CHECK_INT_EQ(count_temp_files(), 0);
    /* Missing folders: made on request, private. */
    CHECK_INT_EQ(secret_file_write(at("a/b/c.json"), "c", 1, 0, &err), -1);
    CHECK(strstr(err.message, "a/b/c.json") != NULL);
    CHECK_INT_EQ(secret_file_write(at("a/b/c.json"), "c", 1, SECRET_FILE_MAKE_DIRS, &err), 0);
    CHECK_INT_EQ(mode_of(at("a/b")), 0700);
    CHECK_INT_EQ(count_temp_files(), 0);
}

/* A process killed between writing a secret and committing it leaves
 * nothing behind (an SSO token in ".token.json.XXXXXX" did): the
 * temporary file is unnamed where the file system allows it. */
static void test_killed_writer_leaves_nothing(void)
{
    char *buf = NULL;
    size_t len = 0;
    struct api_error err;
    int probe = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    pid_t pid;
    int status = 0;

    if (probe < 0) {
        printf("# %s has no O_TMPFILE: the named fallback is all there is\n", dir);
        return;
    }
    close(probe);
    put("token.json", "old");
    pid = fork();
    if (pid == 0) {
        struct secret_file_tmp t;
        struct api_error e;
        if (secret_file_create(&t, at("token.json"), 0600, 0, &e) != 0 ||
            write(t.fd, "secret-token", 12) != 12)
            _exit(3);
        raise(SIGKILL);
        _exit(4);
    }
    CHECK(pid > 0);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK_INT_EQ(count_temp_files(), 0);
    api_error_clear(&err);
    CHECK_INT_EQ(secret_file_read(at("token.json"), 64, 0, &buf, &len, &err), 0);
    CHECK_STR_EQ(buf, "old");
    secret_file_free(buf, len);
}

/* A symlink's target is replaced and the link kept; what is not a regular
 * file is never replaced. */
static void test_write_follows_links_and_spares_special_files(void)
{
    struct api_error err;
    char *buf = NULL, link_text[200];
    size_t len = 0;
    struct stat st;
    ssize_t n;

    api_error_clear(&err);
    put("real.json", "old");
    CHECK_INT_EQ(symlink("real.json", at("link.json")), 0);
    CHECK_INT_EQ(secret_file_write(at("link.json"), "new", 3, 0, &err), 0);
    CHECK(lstat(at("link.json"), &st) == 0 && S_ISLNK(st.st_mode));
    n = readlink(at("link.json"), link_text, sizeof link_text - 1);
    CHECK(n == 9 && memcmp(link_text, "real.json", 9) == 0);
    CHECK_INT_EQ(secret_file_read(at("real.json"), 64, 0, &buf, &len, &err), 0);
    CHECK_STR_EQ(buf, "new");
    secret_file_free(buf, len);

    CHECK_INT_EQ(mkfifo(at("pipe.json"), 0600), 0);
    CHECK_INT_EQ(secret_file_write(at("pipe.json"), "x", 1, 0, &err), -1);
    CHECK(strstr(err.message, "not a regular file (a FIFO); not replaced") != NULL);
    CHECK(lstat(at("pipe.json"), &st) == 0 && S_ISFIFO(st.st_mode));
    CHECK_INT_EQ(symlink("nowhere/x", at("dangling.json")), 0);
    CHECK_INT_EQ(secret_file_write(at("dangling.json"), "x", 1, 0, &err), -1);
    CHECK(strstr(err.message, "leads nowhere") != NULL);
    CHECK_INT_EQ(count_temp_files(), 0);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/test_api_secret_file.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    RUN(test_read_regular_and_missing);
    RUN(test_special_files_refused_at_once);
    RUN(test_write_is_private_and_atomic);
    RUN(test_killed_writer_leaves_nothing);
    RUN(test_write_follows_links_and_spares_special_files);
    char cmd[120];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    return check_finish();
}
