/*
 * fileio.h - safe file access for boards and their side files: bounded
 * whole-file reads, atomic durable replacement and creation, and the
 * permissions of side files. The writers' lock is in lockfile.h.
 *
 * Atomic replacement (file_replace): the new bytes go to a temporary file
 * created with mkstemp() in the same directory, are fsync()ed, renamed over
 * the target, and the directory is fsync()ed. The target's permission bits
 * are kept (a new file gets 0666 & ~umask, never world-writable). On any
 * failure the temporary file is removed and the target is untouched.
 *
 * Failures return -1 and append a one-line reason, git style ("cannot open
 * 'x': reason"), to err; errno is preserved for the caller's exit code.
 */
#ifndef TAMIS_FILEIO_H
#define TAMIS_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "strbuf.h"

/*
 * Reads the whole regular file at path into out. Fails (errno EFBIG) when it
 * is larger than max bytes, and (errno EISDIR / EINVAL) when it is a directory
 * or not a regular file (a FIFO is never opened for blocking reads).
 */
int file_read(const char *path, size_t max, struct strbuf *out, struct strbuf *err);
/*
 * Like file_read(), and on success hands the open descriptor to *keep_fd
 * (the caller closes it): holding it keeps the file's inode from being
 * reused, so comparing it with stat(path) tells reliably whether the file
 * was replaced since.
 */
int file_read_keep(const char *path, size_t max, struct strbuf *out, struct strbuf *err,
		   int *keep_fd);

/*
 * Opens the regular file at path for reading in pieces, with the checks and
 * messages of file_read() (not a regular file, larger than max bytes).
 * Returns the descriptor (the caller closes it), or -1.
 */
int file_open_read(const char *path, size_t max, struct strbuf *err);
/*
 * Reads up to size bytes from fd (path names it in messages), retrying when
 * interrupted. Returns how many, 0 at the end, or -1 with errno set and
 * "cannot read 'path': reason" appended to err.
 */
long file_read_some(int fd, const char *path, void *buf, size_t size, struct strbuf *err);

/* Atomically and durably replaces path with data[0..len) (see above). */
int file_replace(const char *path, const void *data, size_t len, struct strbuf *err);

/*
 * Writes len bytes to fd, retrying when interrupted or cut short: 0, or -1
 * with errno set (ENOSPC when write() takes nothing).
 */
int file_write_all(int fd, const void *data, size_t len);

/*
 * Appends "what 'path': strerror(errno)" to err (when not NULL) and returns
 * -1, keeping errno: the shape of every I/O failure message.
 */
int file_fail(struct strbuf *err, const char *what, const char *path);

/*
 * The permissions a side file of a board gets (its lock files, journal,
 * conflicts, rescue copies): the board file's group and its permission bits
 * for user, group and others, never world-writable, whatever the umask of
 * the process that creates it. So one participant's umask never keeps the
 * others of the board's group from saving.
 */
struct file_perm {
	mode_t mode;
	gid_t gid;
	bool set;     /* false: the default (0666 less the umask, the process's group) */
};

/* The side-file permissions for the board file that st describes. */
void file_perm_like(struct file_perm *perm, const struct stat *st);
/*
 * Gives fd the permissions (when set): its mode exactly, and its group when
 * the process may (best effort: a group it is not in is left as it is).
 */
void file_perm_apply(int fd, const struct file_perm *perm);

/* Writes len bytes of the new content: 0, or -1 with errno set. */
typedef int file_write_fn(void *ctx, const char *buf, size_t len);
/*
 * Produces the new content through write(ctx, ...), as many calls as it
 * needs. Returns 0, or -1 with errno set to give up (after a failed write,
 * its -1 is enough).
 */
typedef int file_fill_fn(void *data, file_write_fn *write, void *ctx);

/*
 * file_replace() of the content that fill(data, ...) writes, never all in
 * memory. The same steps and guarantees: on any failure, of a write or of
 * fill itself, the temporary file is removed and the target is untouched.
 */
int file_replace_stream(const char *path, file_fill_fn *fill, void *data, struct strbuf *err);

/*
 * Called once the new content is durable in the temporary file (fd, still
 * open), just before it takes the target's name: a caller that must record
 * what the new file is (its fstat(), say) before it becomes the target does
 * it here. Returns 0 to go on, or -1 (with a reason in err) to give up: the
 * temporary file is then removed and the target left untouched.
 */
typedef int file_commit_fn(void *data, int fd, struct strbuf *err);

struct file_write_opts {
	const struct file_perm *perm; /* NULL: keep the target's (or the default) */
	file_commit_fn *before_commit; /* NULL: none */
	void *commit_data;
	bool create;                  /* never replace: fail with EEXIST */
};

/*
 * file_replace_stream() (or file_create(), with opts->create) with options:
 * the new file's permissions, and a hook before it takes the target's name.
 */
int file_write_atomic(const char *path, file_fill_fn *fill, void *data,
		      const struct file_write_opts *opts, struct strbuf *err);

/*
 * Creates path with data[0..len), durably, failing with EEXIST when it already
 * exists (it is never overwritten).
 */
int file_create(const char *path, const void *data, size_t len, struct strbuf *err);
/* file_create() with the new file's permission bits given (0600 for a secret). */
int file_create_mode(const char *path, const void *data, size_t len, mode_t mode,
		     struct strbuf *err);

/*
 * The path of a side file of a board: "." NAME suffix in the board's
 * directory, e.g. ".b.yaml.lock" for "dir/b.yaml" and ".lock" (caller
 * frees).
 */
char *file_side_path(const char *board_path, const char *suffix);

#endif
