/*
 * lockfile.h - the writers' lock of a board.
 *
 * The writers' lock (board_lock) is an flock() on a separate lock file beside
 * the board, ".NAME.lock", which is never renamed or deleted: a lock on the
 * board itself would be lost when an atomic save renames a new file over it.
 * Every writer takes the lock, re-reads the board, changes it and saves it
 * before releasing the lock, so concurrent writers never lose changes.
 * Live instances also hold a shared lock on ".NAME.live" (lock_file_take()).
 *
 * Failures return -1 and append a one-line reason, git style ("cannot lock
 * 'x': reason"), to err; errno is preserved for the caller's exit code.
 */
#ifndef TAMIS_LOCKFILE_H
#define TAMIS_LOCKFILE_H

#include "fileio.h"
#include "strbuf.h"

/* The lock file's path for a board: ".NAME.lock" in the board's directory (caller frees). */
char *board_lock_path(const char *board_path);

struct board_lock {
	int fd; /* -1 when not held */
};

#define BOARD_LOCK_INIT { -1 }

/*
 * Takes the exclusive writers' lock of board_path, waiting up to timeout_ms
 * milliseconds (0: try once). Returns 0, or -1 with errno EWOULDBLOCK when the
 * lock was not obtained in time, or another errno when the lock file cannot
 * be opened. Symlinks at the lock path are not followed. A lock file made
 * here takes the board file's permissions (file_perm_like()). board_path
 * must name the board itself, not a symlink to it (session.h resolves it),
 * so that every writer takes the same lock; when it names something that is
 * not a regular file, no lock file is made: -1, errno EINVAL.
 */
int board_lock_acquire(struct board_lock *lk, const char *board_path, int timeout_ms,
		       struct strbuf *err);
/* Like board_lock_acquire() but shared: readers exclude writers, not each other. */
int board_lock_acquire_shared(struct board_lock *lk, const char *board_path, int timeout_ms,
			      struct strbuf *err);

/*
 * Opens (creating with the permissions perm, or 0664 less the umask when
 * perm is NULL; never following a symlink) the lock file at lock_path and
 * flock()s it with op (LOCK_SH or LOCK_EX), waiting up to timeout_ms
 * milliseconds. Returns the descriptor, or -1 (errno EWOULDBLOCK when not
 * obtained in time).
 */
int lock_file_take(const char *lock_path, int op, int timeout_ms, const struct file_perm *perm,
		   struct strbuf *err);

/* Releases the lock if held; safe to call twice. */
void board_lock_release(struct board_lock *lk);

/* Milliseconds writers wait for the lock: $TAMIS_LOCK_TIMEOUT (seconds) or 10 s. */
int board_lock_timeout_ms(void);

#endif
