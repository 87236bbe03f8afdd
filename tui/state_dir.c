/* tui/state_dir.c — the state folder and the per-pool lock (state_dir.h). */
#include "tui/state_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int make_dirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0700);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

int state_dir_path(const char *sub, char *out, size_t size, char *errbuf, size_t errsize)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int n;

    if (state && *state == '/')
        n = snprintf(out, size, "%s/cognito-tui/%s", state, sub);
    else if (home && *home)
        n = snprintf(out, size, "%s/.local/state/cognito-tui/%s", home, sub);
    else {
        snprintf(errbuf, errsize, "no state folder: neither XDG_STATE_HOME nor HOME is set");
        return -1;
    }
    if (n < 0 || (size_t)n >= size) {
        snprintf(errbuf, errsize, "the state folder's path is too long");
        return -1;
    }
    if (make_dirs(out) != 0) {
        snprintf(errbuf, errsize, "cannot create %.300s: %s", out, strerror(errno));
        return -1;
    }
    return 0;
}

static const char *kind_of(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISLNK(mode))
        return "a symbolic link";
    return "something else";
}

int state_file_open(const char *path, int flags, const char *what, char *errbuf, size_t errsize)
{
    struct stat st;
    int fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0600), e;

    if (fd < 0) {
        e = errno;
        if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
            snprintf(errbuf, errsize, "cannot open %s %.300s: it is %s, not a regular file", what,
                     path, kind_of(st.st_mode));
        else
            snprintf(errbuf, errsize, "cannot open %s %.300s: %s", what, path, strerror(e));
        errno = e;
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        e = errno;
        snprintf(errbuf, errsize, "cannot open %s %.300s: it is %s, not a regular file", what, path,
                 kind_of(st.st_mode));
        close(fd);
        errno = e ? e : EINVAL;
        return -1;
    }
    if ((st.st_mode & 0077) && fchmod(fd, 0600) != 0) {
        /* Still usable; only as exposed as someone made it. */
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

int state_pool_file_name(const char *pool_id, const char *suffix, char *out, size_t size)
{
    size_t n = strlen(pool_id), m = strlen(suffix);

    if (n == 0 || n + m + 1 > size)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = pool_id[i];
        if (c == '/' || c == '.' || (unsigned char)c < 0x20)
            return -1;
        out[i] = c == ':' ? '_' : c;
    }
    memcpy(out + n, suffix, m + 1);
    return 0;
}

int pool_lock_take(struct pool_lock *l, const char *pool_id, const char *what, char *errbuf,
                   size_t errsize)
{
    char dir[4096], name[256], path[4400];
    int fd;

    l->fd = -1;
    if (state_dir_path("locks", dir, sizeof dir, errbuf, errsize) != 0)
        return -1;
    if (state_pool_file_name(pool_id, ".lock", name, sizeof name) != 0) {
        snprintf(errbuf, errsize, "pool id '%.100s' cannot name a file", pool_id);
        return -1;
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fd = state_file_open(path, O_RDWR | O_CREAT, "the lock", errbuf, errsize);
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        char holder[128] = "";
        ssize_t got = pread(fd, holder, sizeof holder - 1, 0);
        close(fd);
        if (e != EWOULDBLOCK) {
            snprintf(errbuf, errsize, "cannot lock %.300s: %s", path, strerror(e));
            return -1;
        }
        holder[got > 0 ? got : 0] = '\0';
        holder[strcspn(holder, "\n")] = '\0';
        snprintf(errbuf, errsize, "another job is running on pool %.100s (%s); wait for it to end",
                 pool_id, holder[0] ? holder : "holder unknown");
        return 1;
    }
    char who[128];
    int len = snprintf(who, sizeof who, "%s, pid %ld\n", what, (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, who, (size_t)len, 0) != len) {
        /* The lock holds without the note; only the message to a second job is poorer. */
    }
    l->fd = fd;
    return 0;
}

void pool_lock_release(struct pool_lock *l)
{
    if (l->fd >= 0) {
        if (ftruncate(l->fd, 0) != 0) {
            /* Nothing to do: the lock goes with the descriptor. */
        }
        close(l->fd);
    }
    l->fd = -1;
}
