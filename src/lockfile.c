#include "lockfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xmalloc.h"

/* Appends "what 'path': strerror(errno)" to err, keeping errno. */
static int lockfile_fail(struct strbuf *err, const char *what, const char *path)
{
	int saved = errno;

	if (err)
		strbuf_addf(err, "%s '%s': %s", what, path, strerror(saved));
	errno = saved;
	return -1;
}

/* Splits path into a directory (caller frees) and a pointer to its last component. */
static char *lockfile_dir(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		*base = path;
		return xstrdup(".");
	}
	*base = slash + 1;
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static int lockfile_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int lockfile_fsync_dir(const char *dir, struct strbuf *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return lockfile_fail(err, "cannot open directory", dir);
	if (fsync(fd) < 0 && errno != EINVAL) {
		lockfile_fail(err, "cannot sync directory", dir);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static mode_t lockfile_umask(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

int file_read(const char *path, size_t max, struct strbuf *out, struct strbuf *err)
{
	return file_read_keep(path, max, out, err, NULL);
}

int file_open_read(const char *path, size_t max, struct strbuf *err)
{
	struct stat st;
	int fd;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return lockfile_fail(err, "cannot open", path);
	if (fstat(fd, &st) < 0) {
		lockfile_fail(err, "cannot stat", path);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size > max) {
		close(fd);
		errno = !S_ISREG(st.st_mode) ? (S_ISDIR(st.st_mode) ? EISDIR : EINVAL) : EFBIG;
		if (err && errno == EFBIG)
			strbuf_addf(err, "cannot read '%s': too large (%lld bytes, the limit is %zu)",
				    path, (long long)st.st_size, max);
		else if (err)
			strbuf_addf(err, "cannot read '%s': %s", path,
				    errno == EISDIR ? "is a directory" : "not a regular file");
		return -1;
	}
	return fd;
}

int file_read_keep(const char *path, size_t max, struct strbuf *out, struct strbuf *err,
		   int *keep_fd)
{
	struct stat st;
	int fd = file_open_read(path, max, err);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0)
		strbuf_grow(out, (size_t)st.st_size);
	for (;;) {
		ssize_t n;

		strbuf_grow(out, 65536);
		n = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			lockfile_fail(err, "cannot read", path);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->buf[out->len] = '\0';
		if (out->len > max) {
			close(fd);
			errno = EFBIG;
			if (err)
				strbuf_addf(err, "cannot read '%s': too large (the limit is %zu bytes)",
					    path, max);
			return -1;
		}
	}
	if (keep_fd)
		*keep_fd = fd;
	else
		close(fd);
	return 0;
}

long file_read_some(int fd, const char *path, void *buf, size_t size, struct strbuf *err)
{
	for (;;) {
		ssize_t n = read(fd, buf, size);

		if (n >= 0)
			return (long)n;
		if (errno != EINTR)
			return lockfile_fail(err, "cannot read", path);
	}
}

/*
 * What file_replace() and file_replace_stream() write to: the file a
 * symlink at path points at (*target, to free) or path itself, its stat
 * (*have when it exists) and the mode the new file gets (the old one's, or
 * 0666 less the umask; never world-writable). Returns the path, or NULL.
 */
static const char *lockfile_target(const char *path, char **target, struct stat *st, int *have,
				   mode_t *mode, struct strbuf *err)
{
	*target = NULL;
	/* Replace what a symlink points at, not the link itself. */
	if (lstat(path, st) == 0 && S_ISLNK(st->st_mode)) {
		*target = realpath(path, NULL);
		if (!*target) {
			lockfile_fail(err, "cannot resolve", path);
			return NULL;
		}
		path = *target;
	}
	*have = stat(path, st) == 0;
	if (*have && !S_ISREG(st->st_mode)) {
		free(*target);
		*target = NULL;
		errno = EINVAL;
		if (err)
			strbuf_addf(err, "cannot write '%s': not a regular file", path);
		return NULL;
	}
	*mode = *have ? (st->st_mode & 07777) : (0666 & ~lockfile_umask());
	*mode &= (mode_t)~S_IWOTH; /* never world-writable */
	return path;
}

/* The temporary file being written, as a fill writes it. */
struct lockfile_out {
	int fd;
	int error; /* errno of the first failed write, or 0 */
};

static int lockfile_out_write(void *ctx, const char *buf, size_t len)
{
	struct lockfile_out *o = ctx;

	if (!o->error && lockfile_write_all(o->fd, buf, len) < 0)
		o->error = errno ? errno : EIO;
	if (o->error) {
		errno = o->error;
		return -1;
	}
	return 0;
}

/*
 * Writes what fill(data, ...) produces to a new temporary file in dir,
 * synced, with the given mode (and owner's owner, if given); returns its
 * path (caller frees), or NULL with no temporary file left.
 */
static char *lockfile_write_temp(const char *dir, const char *base, file_fill_fn *fill,
				 void *data, mode_t mode, const struct stat *owner,
				 struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT;
	struct lockfile_out o = { -1, 0 };
	int saved;

	strbuf_addf(&tmp, "%s/.%s.XXXXXX", dir, base);
	o.fd = mkostemp(tmp.buf, O_CLOEXEC);
	if (o.fd < 0) {
		lockfile_fail(err, "cannot create a temporary file in", dir);
		strbuf_release(&tmp);
		return NULL;
	}
	if (owner && fchown(o.fd, owner->st_uid, owner->st_gid) < 0)
		(void)!fchown(o.fd, (uid_t)-1, owner->st_gid); /* best effort */
	if (fchmod(o.fd, mode) < 0 || fill(data, lockfile_out_write, &o) < 0 || o.error ||
	    fsync(o.fd) < 0) {
		if (o.error)
			errno = o.error;
		lockfile_fail(err, "cannot write", tmp.buf);
		close(o.fd);
		goto fail;
	}
	if (close(o.fd) < 0) {
		lockfile_fail(err, "cannot write", tmp.buf);
		goto fail;
	}
	return strbuf_detach(&tmp, NULL);
fail:
	saved = errno;
	unlink(tmp.buf);
	errno = saved;
	strbuf_release(&tmp);
	return NULL;
}

/* A fill for content already in memory. */
struct lockfile_bytes {
	const void *data;
	size_t len;
};

static int lockfile_fill_bytes(void *data, file_write_fn *write, void *ctx)
{
	const struct lockfile_bytes *b = data;

	return write(ctx, b->data, b->len);
}

int file_replace(const char *path, const void *data, size_t len, struct strbuf *err)
{
	struct lockfile_bytes b = { data, len };

	return file_replace_stream(path, lockfile_fill_bytes, &b, err);
}

int file_replace_stream(const char *path, file_fill_fn *fill, void *data, struct strbuf *err)
{
	char *target = NULL, *dir, *tmp;
	const char *base;
	struct stat st;
	mode_t mode;
	int ret = -1, have;

	if (!(path = lockfile_target(path, &target, &st, &have, &mode, err)))
		return -1;
	dir = lockfile_dir(path, &base);
	tmp = lockfile_write_temp(dir, base, fill, data, mode, have ? &st : NULL, err);
	if (!tmp)
		goto out;
	if (rename(tmp, path) < 0) {
		int saved = errno;

		lockfile_fail(err, "cannot rename a temporary file over", path);
		unlink(tmp);
		errno = saved;
		goto out_tmp;
	}
	ret = lockfile_fsync_dir(dir, err);
out_tmp:
	free(tmp);
out:
	free(dir);
	free(target);
	return ret;
}

int file_create(const char *path, const void *data, size_t len, struct strbuf *err)
{
	return file_create_mode(path, data, len, (0666 & ~lockfile_umask()) & (mode_t)~S_IWOTH,
				err);
}

int file_create_mode(const char *path, const void *data, size_t len, mode_t mode,
		     struct strbuf *err)
{
	struct lockfile_bytes b = { data, len };
	const char *base;
	char *dir, *tmp;
	struct stat st;
	int ret = -1;

	if (lstat(path, &st) == 0) {
		errno = EEXIST;
		return lockfile_fail(err, "cannot create", path);
	}
	dir = lockfile_dir(path, &base);
	tmp = lockfile_write_temp(dir, base, lockfile_fill_bytes, &b, mode, NULL, err);
	if (!tmp)
		goto out;
	/* link() fails with EEXIST rather than replace a file made meanwhile. */
	if (link(tmp, path) < 0) {
		lockfile_fail(err, "cannot create", path);
	} else {
		ret = lockfile_fsync_dir(dir, err);
	}
	{
		int saved = errno;

		unlink(tmp);
		errno = saved;
	}
	free(tmp);
out:
	free(dir);
	return ret;
}

char *board_lock_path(const char *board_path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *base;
	char *dir = lockfile_dir(board_path, &base);

	strbuf_addf(&sb, "%s/.%s.lock", dir, base);
	free(dir);
	return strbuf_detach(&sb, NULL);
}

int board_lock_timeout_ms(void)
{
	const char *env = getenv("TAMIS_LOCK_TIMEOUT");
	char *end;
	double s;

	if (env && *env) {
		s = strtod(env, &end);
		if (!*end && s >= 0 && s < INT_MAX / 1000.0)
			return (int)(s * 1000);
	}
	return 10000;
}

int lock_file_take(const char *lock_path, int op, int timeout_ms, struct strbuf *err)
{
	struct timespec pause = { 0, 2 * 1000 * 1000 };
	int waited = 0, fd;

	/* Read-only is enough for flock, and lets group members share the lock. */
	fd = open(lock_path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0664 & ~S_IWOTH);
	if (fd < 0)
		return lockfile_fail(err, "cannot open lock file", lock_path);
	while (flock(fd, op | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK || waited >= timeout_ms) {
			int saved = errno;

			if (saved != EWOULDBLOCK)
				lockfile_fail(err, "cannot lock", lock_path);
			close(fd);
			errno = saved;
			return -1;
		}
		nanosleep(&pause, NULL);
		waited += 2;
	}
	return fd;
}

static int board_lock_take(struct board_lock *lk, const char *board_path, int op,
			   int timeout_ms, struct strbuf *err)
{
	char *path = board_lock_path(board_path);
	int fd = lock_file_take(path, op, timeout_ms, err);

	free(path);
	if (fd < 0) {
		if (errno == EWOULDBLOCK && err)
			strbuf_addf(err, "cannot lock '%s': another tamis is writing it "
				    "(waited %d.%d s)", board_path, timeout_ms / 1000,
				    timeout_ms % 1000 / 100);
		return -1;
	}
	lk->fd = fd;
	return 0;
}

int board_lock_acquire(struct board_lock *lk, const char *board_path, int timeout_ms,
		       struct strbuf *err)
{
	return board_lock_take(lk, board_path, LOCK_EX, timeout_ms, err);
}

int board_lock_acquire_shared(struct board_lock *lk, const char *board_path, int timeout_ms,
			      struct strbuf *err)
{
	return board_lock_take(lk, board_path, LOCK_SH, timeout_ms, err);
}

void board_lock_release(struct board_lock *lk)
{
	if (lk->fd < 0)
		return;
	flock(lk->fd, LOCK_UN);
	close(lk->fd);
	lk->fd = -1;
}
