/* tui/atomic_file.h — write a file so that readers see the old one or the
 * complete new one, never a part.
 *
 * Call order: atomic_file_open() → write to atomic_file_stream() →
 * atomic_file_commit() (flush, fsync, rename over the target, fsync the
 * folder) or atomic_file_abort() (the temporary file is removed, the target
 * is untouched). Either one frees the handle; exactly one must be called.
 *
 * The temporary file is ".NAME.XXXXXX" in the target's folder (a rename
 * across file systems would not be atomic). The new file gets the mode of
 * the file it replaces, or 0666 less the umask for a new one, as a plain
 * open() would have made it.
 *
 * While a temporary file exists its name is also kept where
 * atomic_file_cleanup_on_signal() can reach it: a SIGINT/SIGTERM handler
 * calls that (it only calls unlink, which is async-signal-safe) so an
 * interrupted export leaves no stray file behind.
 *
 * Errors: -1 / NULL with a one-line reason in errbuf naming the file.
 */
#ifndef TUI_ATOMIC_FILE_H
#define TUI_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

struct atomic_file;

struct atomic_file *atomic_file_open(const char *path, char *errbuf, size_t errsize);
FILE *atomic_file_stream(struct atomic_file *af);
int atomic_file_commit(struct atomic_file *af, char *errbuf, size_t errsize);
void atomic_file_abort(struct atomic_file *af);

void atomic_file_cleanup_on_signal(void);

#endif
