/* tui/state_dir.h — where cognito-tui keeps its state, and the per-pool
 * lock that keeps two jobs off one pool.
 *
 * OWNER: the lifecycle work (issue 13). The journal (tui/journal.c) keeps
 * its own copy of the folder rule for now.
 *
 * The folder: $XDG_STATE_HOME/cognito-tui (an absolute XDG_STATE_HOME only,
 * as the XDG spec says), else ~/.local/state/cognito-tui. Folders we create
 * are 0700; existing ones are left as they are.
 */
#ifndef TUI_STATE_DIR_H
#define TUI_STATE_DIR_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the path of `sub` inside the state folder ("inventory", "jobs")
 * to out, creating the folders. Returns 0, or -1 with a one-line reason. */
int state_dir_path(const char *sub, char *out, size_t size, char *errbuf, size_t errsize);

/* Opens a file kept in the state folder (the journal, an inventory, a
 * prune checkpoint, a lock) with `flags` (O_RDWR or O_WRONLY | O_APPEND,
 * with or without O_CREAT) plus O_NOFOLLOW, O_CLOEXEC and O_NOCTTY, mode
 * 0600 when created, tightened to 0600 when someone loosened it. The open
 * never blocks (O_NONBLOCK until the file is checked, then cleared) and
 * anything but a regular file is refused: a FIFO there hung the verbs, a
 * symbolic link is not followed. `what` names the file in the message
 * ("the journal"). Returns the descriptor, or -1 with errno kept and
 * errbuf "cannot open WHAT PATH: it is a FIFO, not a regular file" (or the
 * system's reason; ENOENT when it is missing and O_CREAT was not given). */
int state_file_open(const char *path, int flags, const char *what, char *errbuf, size_t errsize);

/* The file name of a pool's state: the pool id with ':' as '_' plus
 * `suffix` ("us-east-1_0f1e...-....sqlite"). The id must already be
 * valid (api_validate of IdentityPoolId: no '/' or '.' can be in it).
 * Returns 0, or -1 when it does not fit or holds a character a file name
 * must not have. */
int state_pool_file_name(const char *pool_id, const char *suffix, char *out, size_t size);

/* The per-pool job lock: an flock on $STATE/locks/<pool>.lock, held for as
 * long as the job runs and dropped by the kernel when the process ends
 * (a killed job never leaves a stale lock). The file tells who holds it. */
struct pool_lock {
    int fd; /* -1 when not held */
};

/* Takes the lock for `what` ("prune", "inventory"). Returns 0 when taken,
 * 1 when another process holds it (errbuf: which job and its pid), -1 on
 * error (errbuf says why). */
int pool_lock_take(struct pool_lock *l, const char *pool_id, const char *what, char *errbuf,
                   size_t errsize);
void pool_lock_release(struct pool_lock *l);

#endif
