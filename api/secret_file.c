/* api/secret_file.c — read small secret files without blocking, write them
 * 0600 and atomically (contract in api/secret_file.h). */
#include "api/secret_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

static const char *kind_of(mode_t m)
{
    return S_ISFIFO(m)   ? "a FIFO"
           : S_ISSOCK(m) ? "a socket"
           : S_ISDIR(m)  ? "a folder"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
                         : "not a plain file";
}

static void size_text(size_t n, char *out, size_t size)
{
    if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
        snprintf(out, size, "%zu MiB", n / (1024 * 1024));
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(out, size, "%zu KiB", n / 1024);
    else
        snprintf(out, size, "%zu bytes", n);
}

void secret_file_free(char *buf, size_t len)
{
    if (buf) {
        OPENSSL_cleanse(buf, len + 1);
        free(buf);
    }
}

int secret_file_read(const char *path, size_t max, unsigned flags, char **out, size_t *len,
                     struct api_error *err)
{
    struct stat st;
    char *buf = NULL, limit[32];
    size_t got = 0;
    int fd, e;

    *out = NULL;
    *len = 0;
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 1;
        return api_error_set(err, API_ERR_CREDENTIALS, "cannot read %s: %s", path, strerror(errno));
    }
    if (fstat(fd, &st) != 0) {
        e = errno;
        close(fd);
        return api_error_set(err, API_ERR_CREDENTIALS, "cannot read %s: %s", path, strerror(e));
    }
    if (S_ISCHR(st.st_mode) && (flags & SECRET_FILE_DEVICE_IS_EMPTY)) {
        close(fd); /* never read: a tty or /dev/zero must not hang or flood the caller */
        *out = calloc(1, 1);
        return *out ? 0 : api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return api_error_set(err, API_ERR_CREDENTIALS, "cannot read %s: not a regular file (%s)",
                             path, kind_of(st.st_mode));
    }
    size_text(max, limit, sizeof limit);
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        return api_error_set(err, API_ERR_CREDENTIALS, "%s is over %s", path, limit);
    }
    /* One byte more than fstat said: a file that grows is noticed. */
    buf = malloc((size_t)st.st_size + 2);
    if (!buf) {
        close(fd);
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory reading %s", path);
    }
    for (;;) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size + 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = errno;
            close(fd);
            secret_file_free(buf, got);
            return api_error_set(err, API_ERR_CREDENTIALS, "cannot read %s: %s", path, strerror(e));
        }
        got += (size_t)n;
        if (n == 0 || got > (size_t)st.st_size)
            break;
    }
    close(fd);
    if (got > (size_t)st.st_size) {
        secret_file_free(buf, got);
        return api_error_set(err, API_ERR_CREDENTIALS, "%s changed while it was read", path);
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return 0;
}

/* mkdir -p of the folders leading to `path`, private. */
static void make_dirs(const char *path)
{
    char dir[PATH_MAX];

    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir || !strrchr(dir, '/'))
        return;
    *strrchr(dir, '/') = '\0';
    for (char *p = dir + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(dir, 0700);
        *p = '/';
    }
    if (dir[0])
        mkdir(dir, 0700);
}

static void tmp_free(struct secret_file_tmp *t)
{
    free(t->target);
    free(t->temp);
    t->target = t->temp = NULL;
    t->fd = -1;
    t->unnamed = false;
}

int secret_file_link_unnamed(int fd, char *temp, void (*naming)(const char *temp))
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    size_t n = strlen(temp);
    char proc[64];

    if (n < 6) {
        errno = EINVAL;
        return -1;
    }
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    for (int tries = 0; tries < 100; tries++) {
        unsigned char rnd[6];
        if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
            return -1;
        for (int i = 0; i < 6; i++)
            temp[n - 6 + i] = letters[rnd[i] % (sizeof letters - 1)];
        if (naming)
            naming(temp);
        if (linkat(AT_FDCWD, proc, AT_FDCWD, temp, AT_SYMLINK_FOLLOW) == 0)
            return 0;
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

/* An unnamed file in `dir`, or -1 where the file system (or a missing
 * /proc, which linkat() needs to name it) does not allow one. */
static int open_unnamed(const char *dir)
{
#ifdef O_TMPFILE
    if (access("/proc/self/fd", X_OK) == 0)
        return open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
#else
    (void)dir;
#endif
    return -1;
}

int secret_file_create(struct secret_file_tmp *t, const char *path, mode_t mode, unsigned flags,
                       struct api_error *err)
{
    struct stat st;
    char *copy = NULL, *base, *dir;
    size_t n;

    t->fd = -1;
    t->target = t->temp = NULL;
    if (flags & SECRET_FILE_MAKE_DIRS)
        make_dirs(path);
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        /* Replace what the link points to, keep the link. */
        t->target = realpath(path, NULL);
        if (!t->target)
            return api_error_set(err, API_ERR_CREDENTIALS,
                                 "cannot write %s: it is a symbolic link that leads nowhere (%s)",
                                 path, strerror(errno));
    } else {
        t->target = strdup(path);
        if (!t->target)
            return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    }
    if (stat(t->target, &st) == 0 && !S_ISREG(st.st_mode)) {
        api_error_set(err, API_ERR_CREDENTIALS, "%s is not a regular file (%s); not replaced",
                      t->target, kind_of(st.st_mode));
        tmp_free(t);
        return -1;
    }
    copy = strdup(t->target);
    if (!copy) {
        tmp_free(t);
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    }
    base = strrchr(copy, '/');
    if (base) {
        *base++ = '\0';
        dir = copy[0] ? copy : (char *)"/";
    } else {
        base = copy;
        dir = (char *)".";
    }
    n = strlen(dir) + strlen(base) + 16;
    t->temp = malloc(n);
    if (t->temp)
        snprintf(t->temp, n, "%s/.%s.XXXXXX", dir, base);
    t->fd = t->temp ? open_unnamed(dir) : -1;
    free(copy);
    if (!t->temp) {
        tmp_free(t);
        return api_error_set(err, API_ERR_CREDENTIALS, "out of memory");
    }
    /* Unnamed, nothing is left behind by a crash or SIGKILL: it gets its
     * name only for the instant between linkat() and rename(). */
    t->unnamed = t->fd >= 0;
    if (!t->unnamed)
        t->fd = mkostemp(t->temp, O_CLOEXEC);
    if (t->fd < 0 || fchmod(t->fd, mode) != 0) {
        int e = errno;
        api_error_set(err, API_ERR_CREDENTIALS, "cannot write %s: %s", t->target, strerror(e));
        if (t->fd >= 0) {
            close(t->fd);
            if (!t->unnamed)
                unlink(t->temp);
        }
        tmp_free(t);
        return -1;
    }
    return 0;
}

void secret_file_abort(struct secret_file_tmp *t)
{
    if (t->fd >= 0)
        close(t->fd);
    if (t->temp && !t->unnamed)
        unlink(t->temp);
    tmp_free(t);
}

int secret_file_commit(struct secret_file_tmp *t, struct api_error *err)
{
    int e = 0;

    if (fsync(t->fd) != 0)
        e = errno;
    if (!e && t->unnamed) {
        if (secret_file_link_unnamed(t->fd, t->temp, NULL) != 0)
            e = errno ? errno : EEXIST;
        else
            t->unnamed = false; /* named now: abort removes it */
    }
    if (close(t->fd) != 0 && !e)
        e = errno;
    t->fd = -1;
    if (!e && rename(t->temp, t->target) != 0)
        e = errno;
    if (e) {
        api_error_set(err, API_ERR_CREDENTIALS, "cannot write %s: %s", t->target, strerror(e));
        secret_file_abort(t);
        return -1;
    }
    /* The rename lasts only once the folder itself is on disk. */
    char *slash = strrchr(t->target, '/');
    if (slash) {
        char c = slash[1];
        slash[1] = '\0';
        int dfd = open(t->target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        slash[1] = c;
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    tmp_free(t);
    return 0;
}

int secret_file_write(const char *path, const void *data, size_t len, unsigned flags,
                      struct api_error *err)
{
    struct secret_file_tmp t;
    const char *p = data;

    if (secret_file_create(&t, path, 0600, flags, err) != 0)
        return -1;
    while (len > 0) {
        ssize_t n = write(t.fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            api_error_set(err, API_ERR_CREDENTIALS, "cannot write %s: %s", t.target,
                          n < 0 ? strerror(errno) : "nothing written");
            secret_file_abort(&t);
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return secret_file_commit(&t, err);
}
