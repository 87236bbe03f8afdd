/* tui/atomic_file.c — temporary file + fsync + rename, special files
 * written straight into (contract in atomic_file.h). */
#include "tui/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/secret_file.h"

enum how {
    WRITE_NAMED,   /* .NAME.XXXXXX from the start, renamed over the target */
    WRITE_UNNAMED, /* O_TMPFILE, linked then renamed over the target */
    WRITE_DIRECT,  /* a FIFO or character device: written into */
};

struct atomic_file {
    enum how how;
    char *target; /* where the content lands: symbolic links resolved */
    char *dir;    /* target's folder */
    char *temp;   /* the temporary file's name, once it has one */
    FILE *stream;
};

static bool unnamed_allowed = true;

void atomic_file_allow_unnamed(bool allow)
{
    unnamed_allowed = allow;
}

/* ---- fatal signals ---- */

/* The one named temporary file in progress, for the signal handler. A
 * process writes one export at a time, so one slot is enough. */
static char signal_temp_path[PATH_MAX];
static volatile sig_atomic_t signal_temp_set;

static void remember_temp(const char *path)
{
    size_t n = strlen(path);

    if (n < sizeof signal_temp_path) {
        signal_temp_set = 0;
        memcpy(signal_temp_path, path, n + 1);
        signal_temp_set = 1;
    }
}

static void forget_temp(void)
{
    signal_temp_set = 0;
}

/* Every signal whose default action ends the process (signal(7)). */
static const int fatal_signals[] = {
    SIGHUP,    SIGINT,  SIGQUIT,   SIGILL,  SIGTRAP, SIGABRT, SIGBUS,
    SIGFPE,    SIGUSR1, SIGSEGV,   SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
    SIGXCPU,   SIGXFSZ, SIGVTALRM, SIGPROF, SIGIO,   SIGPWR,  SIGSYS,
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};

static struct sigaction previous_action[NSIG];

static void on_fatal_signal(int sig)
{
    int saved = errno;

    if (signal_temp_set)
        unlink(signal_temp_path);
    /* Back to what was there (the default, or a sanitizer's handler); the
     * signal raised here is delivered to it once this handler returns, and
     * a fault re-executed hits it too. */
    sigaction(sig, &previous_action[sig], NULL);
    raise(sig);
    errno = saved;
}

void atomic_file_cleanup_on_fatal_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigfillset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        int sig = fatal_signals[i];
        if (sigaction(sig, NULL, &previous_action[sig]) != 0 ||
            previous_action[sig].sa_handler == SIG_IGN)
            continue; /* a signal ignored by whoever started us stays ignored */
        sigaction(sig, &sa, NULL);
    }
}

/* ---- what the target is ---- */

static void free_handle(struct atomic_file *af)
{
    free(af->target);
    free(af->temp);
    free(af->dir);
    free(af);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *s = malloc(n);

    if (s)
        snprintf(s, n, "%s/%s", dir, name);
    return s;
}

static char *dir_of(const char *path)
{
    char *copy = strdup(path), *dir;

    if (!copy)
        return NULL;
    dir = strdup(dirname(copy));
    free(copy);
    return dir;
}

/* Where a dangling chain of symbolic links leads: the first name in it that
 * does not exist. NULL with errno set on a loop or an error. */
static char *follow_dangling(const char *path)
{
    char *p = strdup(path);

    for (int hops = 0; p && hops < 40; hops++) {
        struct stat st;
        char link[PATH_MAX];
        ssize_t n;

        if (lstat(p, &st) != 0)
            return errno == ENOENT ? p : (free(p), NULL);
        if (!S_ISLNK(st.st_mode))
            return p; /* appeared meanwhile: the open() that follows decides */
        n = readlink(p, link, sizeof link - 1);
        if (n < 0) {
            free(p);
            return NULL;
        }
        link[n] = '\0';
        char *next;
        if (link[0] == '/') {
            next = strdup(link);
        } else {
            char *dir = dir_of(p);
            next = dir ? join(dir, link) : NULL;
            free(dir);
        }
        free(p);
        p = next;
    }
    if (p) {
        free(p);
        errno = ELOOP;
    }
    return NULL;
}

static const char *kind_of(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

/* Fills af->how and af->target from what `path` is. */
static int classify(struct atomic_file *af, const char *path, mode_t *mode, char *errbuf,
                    size_t errsize)
{
    struct stat st, lst;
    mode_t mask;

    if (stat(path, &st) == 0) {
        if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
            af->how = WRITE_DIRECT;
            af->target = strdup(path);
        } else if (S_ISREG(st.st_mode)) {
            bool link = lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
            af->target = link ? realpath(path, NULL) : strdup(path);
            *mode = st.st_mode & 07777;
        } else {
            snprintf(errbuf, errsize,
                     "%s is %s: only a regular file is replaced (a FIFO or a character device "
                     "is written into)",
                     path, kind_of(st.st_mode));
            return -1;
        }
    } else if (errno == ENOENT) {
        af->target = follow_dangling(path);
        if (!af->target) {
            snprintf(errbuf, errsize, "%s: %s", path, strerror(errno));
            return -1;
        }
        mask = umask(0);
        umask(mask);
        *mode = 0666 & ~mask;
    } else {
        snprintf(errbuf, errsize, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!af->target) {
        snprintf(errbuf, errsize, "%s: %s", path, strerror(errno ? errno : ENOMEM));
        return -1;
    }
    return 0;
}

/* ---- opening ---- */

static int open_direct(struct atomic_file *af, const char *path, char *errbuf, size_t errsize)
{
    int fd = open(af->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);

    if (fd < 0 || !(af->stream = fdopen(fd, "w"))) {
        snprintf(errbuf, errsize, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return 0;
}

/* An unnamed file in af->dir, or -1 where the file system (or a missing
 * /proc, which linkat() needs to name it) does not allow it. */
static int open_unnamed(struct atomic_file *af)
{
#ifdef O_TMPFILE
    if (unnamed_allowed && access("/proc/self/fd", X_OK) == 0)
        return open(af->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
#else
    (void)af;
#endif
    return -1;
}

static char *temp_name(const struct atomic_file *af)
{
    char *copy = strdup(af->target), *name = NULL;

    if (copy) {
        const char *base = basename(copy);
        size_t n = strlen(af->dir) + strlen(base) + 16;
        if ((name = malloc(n)))
            snprintf(name, n, "%s/.%s.XXXXXX", af->dir, base);
    }
    free(copy);
    return name;
}

static int open_replacement(struct atomic_file *af, const char *path, mode_t mode, char *errbuf,
                            size_t errsize)
{
    const char *base;
    char *copy = strdup(af->target);
    int fd;

    af->dir = dir_of(af->target);
    if (!copy || !af->dir) {
        free(copy);
        snprintf(errbuf, errsize, "%s: out of memory", path);
        return -1;
    }
    base = basename(copy);
    if (base[0] == '\0' || strcmp(base, "/") == 0 || strcmp(base, ".") == 0 ||
        strcmp(base, "..") == 0) {
        free(copy);
        snprintf(errbuf, errsize, "%s: not a file name", path);
        return -1;
    }
    free(copy);
    fd = open_unnamed(af);
    if (fd >= 0) {
        af->how = WRITE_UNNAMED;
    } else {
        af->how = WRITE_NAMED;
        af->temp = temp_name(af);
        if (!af->temp) {
            snprintf(errbuf, errsize, "%s: out of memory", path);
            return -1;
        }
        fd = mkostemp(af->temp, O_CLOEXEC);
        if (fd < 0) {
            snprintf(errbuf, errsize, "%s: cannot create a temporary file in %s: %s", path, af->dir,
                     strerror(errno));
            return -1;
        }
        remember_temp(af->temp);
    }
    if (fchmod(fd, mode) < 0 || !(af->stream = fdopen(fd, "w"))) {
        snprintf(errbuf, errsize, "%s: %s", path, strerror(errno));
        close(fd);
        if (af->how == WRITE_NAMED) {
            unlink(af->temp);
            forget_temp();
        }
        return -1;
    }
    return 0;
}

struct atomic_file *atomic_file_open(const char *path, char *errbuf, size_t errsize)
{
    struct atomic_file *af = calloc(1, sizeof *af);
    mode_t mode = 0600;

    if (!af) {
        snprintf(errbuf, errsize, "%s: out of memory", path);
        return NULL;
    }
    errno = 0;
    if (classify(af, path, &mode, errbuf, errsize) < 0 ||
        (af->how == WRITE_DIRECT ? open_direct(af, path, errbuf, errsize)
                                 : open_replacement(af, path, mode, errbuf, errsize)) < 0) {
        free_handle(af);
        return NULL;
    }
    return af;
}

FILE *atomic_file_stream(struct atomic_file *af)
{
    return af->stream;
}

/* ---- committing ---- */

/* Gives the unnamed file a temporary name beside the target (a name that
 * nothing else uses: linkat() refuses an existing one), remembered for the
 * signal handler before it exists. */
static int name_unnamed(struct atomic_file *af)
{
    free(af->temp);
    af->temp = temp_name(af);
    if (!af->temp)
        return -1;
    if (secret_file_link_unnamed(fileno(af->stream), af->temp, remember_temp) == 0)
        return 0;
    forget_temp();
    return -1;
}

static void sync_folder(const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
}

int atomic_file_commit(struct atomic_file *af, char *errbuf, size_t errsize)
{
    int rc = -1;
    bool named = af->how == WRITE_NAMED;

    if (fflush(af->stream) != 0 || ferror(af->stream)) {
        snprintf(errbuf, errsize, "%s: write failed: %s", af->target, strerror(errno));
    } else if (af->how != WRITE_DIRECT && fsync(fileno(af->stream)) != 0) {
        snprintf(errbuf, errsize, "%s: fsync failed: %s", af->target, strerror(errno));
    } else if (af->how == WRITE_UNNAMED && name_unnamed(af) != 0) {
        snprintf(errbuf, errsize, "%s: cannot name the temporary file in %s: %s", af->target,
                 af->dir, strerror(errno));
    } else {
        rc = 0;
        named = af->how != WRITE_DIRECT;
    }
    if (fclose(af->stream) != 0 && rc == 0) {
        snprintf(errbuf, errsize, "%s: close failed: %s", af->target, strerror(errno));
        rc = -1;
    }
    af->stream = NULL;
    if (rc == 0 && named && rename(af->temp, af->target) != 0) {
        snprintf(errbuf, errsize, "%s: rename failed: %s", af->target, strerror(errno));
        rc = -1;
    }
    if (named && rc != 0)
        unlink(af->temp);
    else if (named)
        sync_folder(af->dir); /* the rename is durable only once the folder is */
    forget_temp();
    free_handle(af);
    return rc;
}

void atomic_file_abort(struct atomic_file *af)
{
    if (af->stream)
        fclose(af->stream); /* an unnamed file vanishes with its descriptor */
    if (af->how == WRITE_NAMED)
        unlink(af->temp);
    forget_temp();
    free_handle(af);
}
