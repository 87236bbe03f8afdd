/* api/secret_file.h — small files that may hold secrets (the AWS config
 * and credentials files, the SSO token cache, the assumed-role cache, token
 * files): read whole without ever blocking, written 0600 and atomically.
 *
 * Reading: the file is opened with O_NONBLOCK | O_NOCTTY | O_CLOEXEC and
 * checked with fstat() before a byte is read, so a FIFO with no writer, a
 * terminal or a socket never hangs the caller; anything but a regular file
 * is refused. The buffer is wiped when freed (secret_file_free).
 *
 * Writing: secret_file_create() makes a temporary file (mode `mode`,
 * O_CLOEXEC) in the target's folder: unnamed (O_TMPFILE) where the file
 * system has it, so a crash or SIGKILL leaves nothing behind, else
 * ".NAME.XXXXXX"; the caller writes to t->fd; then exactly one of
 * secret_file_commit() (fsync, name it ".NAME.XXXXXX" if it had no name,
 * rename over the target, fsync the folder) or secret_file_abort() (the
 * temporary file is closed and removed).
 * Readers see the old file or the whole new one, never a part. A symlink
 * at the target is followed and its target replaced (the link stays); a
 * target that exists and is not a regular file (FIFO, device, folder) is
 * refused, never replaced.
 *
 * Errors: API_ERR_CREDENTIALS, the message naming the file and why
 * ("cannot read PATH: not a regular file (a FIFO)"); callers add what the
 * file was for. Nothing is printed.
 */
#ifndef API_SECRET_FILE_H
#define API_SECRET_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "api/error.h"

/* secret_file_read() flags. */
#define SECRET_FILE_DEVICE_IS_EMPTY                                                                \
    1u /* a character device reads as an empty file, unread                                        \
        * (AWS_CONFIG_FILE=/dev/null says "no config") */
/* secret_file_create() / secret_file_write() flags. */
#define SECRET_FILE_MAKE_DIRS 2u /* create missing folders on the way, mode 0700 */

/* Reads `path` whole: *out (malloc'd, NUL-terminated, *len bytes before the
 * NUL). Returns 0; 1 when there is no such file (*out NULL, err untouched);
 * -1 with err: not a regular file, over `max` bytes, unreadable, or grown
 * while it was read. */
int secret_file_read(const char *path, size_t max, unsigned flags, char **out, size_t *len,
                     struct api_error *err);

/* Wipes `len` bytes of buf (and its NUL) and frees it; NULL is fine. */
void secret_file_free(char *buf, size_t len);

struct secret_file_tmp {
    int fd;       /* write here */
    char *target; /* the file replaced on commit (a symlink's target) */
    char *temp;   /* the temporary file's name (what it will be, while unnamed) */
    bool unnamed; /* O_TMPFILE: no name in the folder yet */
};

/* Returns 0 with *t ready, or -1 with err (nothing left behind). */
int secret_file_create(struct secret_file_tmp *t, const char *path, mode_t mode, unsigned flags,
                       struct api_error *err);

/* Both free *t. commit returns 0, or -1 with err (the target untouched, the
 * temporary file removed). */
int secret_file_commit(struct secret_file_tmp *t, struct api_error *err);
void secret_file_abort(struct secret_file_tmp *t);

/* Gives the unnamed (O_TMPFILE) file open as `fd` a name: `temp` is a
 * path ending in "XXXXXX", overwritten in place with random letters until
 * linkat() finds a name nothing uses. `naming`, when not NULL, hears each
 * name just before it is tried (a signal handler that removes it must know
 * it first). Returns 0, or -1 with errno. Needs /proc/self/fd. */
int secret_file_link_unnamed(int fd, char *temp, void (*naming)(const char *temp));

/* The whole cycle for `len` bytes of data, mode 0600. Returns 0 or -1 with err. */
int secret_file_write(const char *path, const void *data, size_t len, unsigned flags,
                      struct api_error *err);

#endif
