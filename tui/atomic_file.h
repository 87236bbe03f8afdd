/* tui/atomic_file.h — write a file so that readers see the old one or the
 * complete new one, never a part; and never replace what is not a regular
 * file.
 *
 * Call order: atomic_file_open() → write to atomic_file_stream() →
 * atomic_file_commit() or atomic_file_abort(). Either one frees the handle;
 * exactly one must be called.
 *
 * What the target is decides how it is written:
 *  - a regular file, or nothing yet: the new content goes to a temporary
 *    file in the same folder (a rename across file systems would not be
 *    atomic); commit flushes, fsyncs, puts it in place with one rename over
 *    the target and fsyncs the folder; abort leaves the target untouched.
 *    The temporary file is unnamed (O_TMPFILE) where the file system has it,
 *    so a crash or SIGKILL leaves nothing behind; it gets its name,
 *    ".NAME.XXXXXX", only for the instant between linkat() and rename().
 *    Elsewhere it is ".NAME.XXXXXX" from the start.
 *  - a symbolic link (a chain of them, or a dangling one): the file it
 *    leads to is the target, replaced as above; the link stays.
 *  - a FIFO or a character device (/dev/null, /dev/stdout, a terminal):
 *    written straight into; commit flushes and closes; abort only closes
 *    (what was written is gone). Opening a FIFO waits for its reader, as a
 *    shell redirection does.
 *  - anything else (a directory, a block device, a socket): refused, with
 *    a message saying what it is.
 * The new file gets the mode of the file it replaces, or 0666 less the
 * umask for a new one, as a plain open() would have made it.
 *
 * atomic_file_cleanup_on_fatal_signals() installs, for every signal whose
 * default action ends the process and that is not ignored, a handler that
 * removes a named temporary file in progress (unlink only: async-signal-
 * safe) and then lets the signal do what it did before (the previous
 * handler, e.g. a sanitizer's, or the default). Call it once, before
 * atomic_file_open(), in a process that writes one such file at a time.
 *
 * Errors: -1 / NULL with a one-line reason in errbuf naming the file.
 */
#ifndef TUI_ATOMIC_FILE_H
#define TUI_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct atomic_file;

struct atomic_file *atomic_file_open(const char *path, char *errbuf, size_t errsize);
FILE *atomic_file_stream(struct atomic_file *af);
int atomic_file_commit(struct atomic_file *af, char *errbuf, size_t errsize);
void atomic_file_abort(struct atomic_file *af);

void atomic_file_cleanup_on_fatal_signals(void);

/* Whether atomic_file_open() may use an unnamed temporary file (default
 * true). Tests turn it off to try the named fallback where O_TMPFILE works. */
void atomic_file_allow_unnamed(bool allow);

#endif
