/* tui/atomic_file.c — temporary file + fsync + rename (contract in atomic_file.h). */
#include "tui/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct atomic_file {
    char *target;
    char *temp;
    char *dir;
    FILE *stream;
};

/* The one temporary file in progress, for the signal handler. A process
 * writes one export at a time, so one slot is enough. */
static char signal_temp_path[4096];
static volatile sig_atomic_t signal_temp_set;

static void remember_temp(const char *path)
{
    size_t n = strlen(path);

    if (n < sizeof signal_temp_path) {
        memcpy(signal_temp_path, path, n + 1);
        signal_temp_set = 1;
    }
}

static void forget_temp(void)
{
    signal_temp_set = 0;
}

void atomic_file_cleanup_on_signal(void)
{
    if (signal_temp_set)
        unlink(signal_temp_path);
}

static void free_handle(struct atomic_file *af)
{
    free(af->target);
    free(af->temp);
    free(af->dir);
    free(af);
}

struct atomic_file *atomic_file_open(const char *path, char *errbuf, size_t errsize)
{
    struct atomic_file *af = calloc(1, sizeof *af);
    char *copy_dir = strdup(path), *copy_base = strdup(path);
    struct stat st;
    mode_t mode, mask;
    int fd = -1;

    if (!af || !copy_dir || !copy_base) {
        snprintf(errbuf, errsize, "%s: out of memory", path);
        goto fail;
    }
    af->target = strdup(path);
    af->dir = strdup(dirname(copy_dir));
    const char *base = basename(copy_base);
    size_t tlen = strlen(af->dir ? af->dir : "") + strlen(base) + 16;
    af->temp = malloc(tlen);
    if (!af->target || !af->dir || !af->temp) {
        snprintf(errbuf, errsize, "%s: out of memory", path);
        goto fail;
    }
    if (base[0] == '\0' || strcmp(base, "/") == 0 || strcmp(base, ".") == 0 ||
        strcmp(base, "..") == 0) {
        snprintf(errbuf, errsize, "%s: not a file name", path);
        goto fail;
    }
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            snprintf(errbuf, errsize, "%s: is a directory", path);
            goto fail;
        }
        mode = st.st_mode & 07777;
    } else {
        mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    snprintf(af->temp, tlen, "%s/.%s.XXXXXX", af->dir, base);
    fd = mkstemp(af->temp);
    if (fd < 0) {
        snprintf(errbuf, errsize, "%s: cannot create a temporary file in %s: %s", path, af->dir,
                 strerror(errno));
        goto fail;
    }
    remember_temp(af->temp);
    if (fchmod(fd, mode) < 0 || !(af->stream = fdopen(fd, "w"))) {
        snprintf(errbuf, errsize, "%s: %s", af->temp, strerror(errno));
        close(fd);
        unlink(af->temp);
        forget_temp();
        goto fail;
    }
    free(copy_dir);
    free(copy_base);
    return af;
fail:
    free(copy_dir);
    free(copy_base);
    if (af)
        free_handle(af);
    return NULL;
}

FILE *atomic_file_stream(struct atomic_file *af)
{
    return af->stream;
}

int atomic_file_commit(struct atomic_file *af, char *errbuf, size_t errsize)
{
    int rc = -1, dfd;

    if (fflush(af->stream) != 0 || ferror(af->stream)) {
        snprintf(errbuf, errsize, "%s: write failed: %s", af->target, strerror(errno));
    } else if (fsync(fileno(af->stream)) != 0) {
        snprintf(errbuf, errsize, "%s: fsync failed: %s", af->target, strerror(errno));
    } else {
        rc = 0;
    }
    if (fclose(af->stream) != 0 && rc == 0) {
        snprintf(errbuf, errsize, "%s: close failed: %s", af->target, strerror(errno));
        rc = -1;
    }
    af->stream = NULL;
    if (rc == 0 && rename(af->temp, af->target) != 0) {
        snprintf(errbuf, errsize, "%s: rename failed: %s", af->target, strerror(errno));
        rc = -1;
    }
    if (rc != 0) {
        unlink(af->temp);
    } else {
        /* The rename is durable only once the folder itself is synced. */
        dfd = open(af->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    forget_temp();
    free_handle(af);
    return rc;
}

void atomic_file_abort(struct atomic_file *af)
{
    if (af->stream)
        fclose(af->stream);
    unlink(af->temp);
    forget_temp();
    free_handle(af);
}
