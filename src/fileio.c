#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xmalloc.h"

int file_fail(struct strbuf *err, const char *what, const char *path)
{
	int saved = errno;

	if (err)
		strbuf_addf(err, "%s '%s': %s", what, path, strerror(saved));
	errno = saved;
	return -1;
}

/* Splits path into a directory (caller frees) and a pointer to its last component. */
static char *fileio_dir(const char *path, const char **base)
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

int file_write_all(int fd, const void *data, size_t len)
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

static int fileio_fsync_dir(const char *dir, struct strbuf *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return file_fail(err, "cannot open directory", dir);
	if (fsync(fd) < 0 && errno != EINVAL) {
		file_fail(err, "cannot sync directory", dir);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static mode_t fileio_umask(void)
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
		return file_fail(err, "cannot open", path);
	if (fstat(fd, &st) < 0) {
		file_fail(err, "cannot stat", path);
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
			file_fail(err, "cannot read", path);
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
			return file_fail(err, "cannot read", path);
	}
}

void file_perm_like(struct file_perm *perm, const struct stat *st)
{
	perm->mode = (st->st_mode & 0666) & (mode_t)~S_IWOTH;
	perm->gid = st->st_gid;
	perm->set = true;
}

void file_perm_apply(int fd, const struct file_perm *perm)
{
	if (!perm || !perm->set)
		return;
	/* The group first: changing it may clear set-id bits, never ours. */
	(void)!fchown(fd, (uid_t)-1, perm->gid);
	(void)!fchmod(fd, perm->mode);
}

/*
 * What file_write_atomic() writes to: the file a symlink at path points at
 * (*target, to free) or path itself, its stat (*have when it exists) and the
 * mode the new file gets (the old one's, or 0666 less the umask; never
 * world-writable). Returns the path, or NULL.
 */
static const char *fileio_target(const char *path, char **target, struct stat *st, int *have,
				   mode_t *mode, struct strbuf *err)
{
	*target = NULL;
	/* Replace what a symlink points at, not the link itself. */
	if (lstat(path, st) == 0 && S_ISLNK(st->st_mode)) {
		*target = realpath(path, NULL);
		if (!*target) {
			file_fail(err, "cannot resolve", path);
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
	*mode = *have ? (st->st_mode & 07777) : (0666 & ~fileio_umask());
	*mode &= (mode_t)~S_IWOTH; /* never world-writable */
	return path;
}

/* The temporary file being written, as a fill writes it. */
struct fileio_out {
	int fd;
	int error; /* errno of the first failed write, or 0 */
};

static int fileio_out_write(void *ctx, const char *buf, size_t len)
{
	struct fileio_out *o = ctx;

	if (!o->error && file_write_all(o->fd, buf, len) < 0)
		o->error = errno ? errno : EIO;
	if (o->error) {
		errno = o->error;
		return -1;
	}
	return 0;
}

/* How the temporary file of one atomic write is made. */
struct fileio_temp {
	const char *dir, *base;
	const char *name;            /* the target, as messages name it */
	mode_t mode;
	const struct stat *owner;    /* the file replaced: its owner and group, if any */
	const struct file_write_opts *opts;
};

/*
 * Writes what fill(data, ...) produces to a new temporary file in t->dir,
 * synced, with its mode and owner, then runs the commit hook; returns its
 * path (caller frees), or NULL with no temporary file left. Messages name
 * the target: the temporary file is nothing the user knows of.
 */
static char *fileio_write_temp(const struct fileio_temp *t, file_fill_fn *fill, void *data,
				 struct strbuf *err)
{
	const struct file_write_opts *opts = t->opts;
	struct strbuf tmp = STRBUF_INIT;
	struct fileio_out o = { -1, 0 };
	int saved;

	strbuf_addf(&tmp, "%s/.%s.XXXXXX", t->dir, t->base);
	o.fd = mkostemp(tmp.buf, O_CLOEXEC);
	if (o.fd < 0) {
		file_fail(err, "cannot create a temporary file in", t->dir);
		strbuf_release(&tmp);
		return NULL;
	}
	if (t->owner && fchown(o.fd, t->owner->st_uid, t->owner->st_gid) < 0)
		(void)!fchown(o.fd, (uid_t)-1, t->owner->st_gid); /* best effort */
	if (opts && opts->perm && opts->perm->set)
		file_perm_apply(o.fd, opts->perm);
	else if (fchmod(o.fd, t->mode) < 0)
		o.error = errno;
	if (o.error || fill(data, fileio_out_write, &o) < 0 || o.error || fsync(o.fd) < 0) {
		if (o.error)
			errno = o.error;
		file_fail(err, "cannot write", t->name);
		close(o.fd);
		goto fail;
	}
	if (opts && opts->before_commit && opts->before_commit(opts->commit_data, o.fd, err) < 0) {
		saved = errno;
		close(o.fd);
		errno = saved;
		goto fail;
	}
	if (close(o.fd) < 0) {
		file_fail(err, "cannot write", t->name);
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
struct fileio_bytes {
	const void *data;
	size_t len;
};

static int fileio_fill_bytes(void *data, file_write_fn *write, void *ctx)
{
	const struct fileio_bytes *b = data;

	return write(ctx, b->data, b->len);
}

int file_replace(const char *path, const void *data, size_t len, struct strbuf *err)
{
	struct fileio_bytes b = { data, len };

	return file_write_atomic(path, fileio_fill_bytes, &b, NULL, err);
}

int file_replace_stream(const char *path, file_fill_fn *fill, void *data, struct strbuf *err)
{
	return file_write_atomic(path, fill, data, NULL, err);
}

/* Gives the temporary file the name path without replacing anything there. */
static int fileio_link(const char *tmp, const char *path, struct strbuf *err)
{
	int r = 0, saved;

	/* link() fails with EEXIST rather than replace a file made meanwhile. */
	if (link(tmp, path) < 0)
		r = file_fail(err, "cannot create", path);
	saved = errno;
	unlink(tmp);
	errno = saved;
	return r;
}

int file_write_atomic(const char *path, file_fill_fn *fill, void *data,
		      const struct file_write_opts *opts, struct strbuf *err)
{
	struct fileio_temp t = { NULL, NULL, path, 0, NULL, opts };
	char *target = NULL, *dir, *tmp;
	struct stat st;
	int ret = -1, have = 0;

	if (opts && opts->create) {
		if (lstat(path, &st) == 0) {
			errno = EEXIST;
			return file_fail(err, "cannot create", path);
		}
		t.mode = (0666 & ~fileio_umask()) & (mode_t)~S_IWOTH;
	} else if (!(path = fileio_target(path, &target, &st, &have, &t.mode, err))) {
		return -1;
	}
	t.owner = have ? &st : NULL;
	dir = fileio_dir(path, &t.base);
	t.dir = dir;
	tmp = fileio_write_temp(&t, fill, data, err);
	if (!tmp)
		goto out;
	if (opts && opts->create) {
		if (fileio_link(tmp, path, err) == 0)
			ret = fileio_fsync_dir(dir, err);
	} else if (rename(tmp, path) < 0) {
		int saved = errno;

		file_fail(err, "cannot rename a temporary file over", path);
		unlink(tmp);
		errno = saved;
	} else {
		ret = fileio_fsync_dir(dir, err);
	}
	free(tmp);
out:
	free(dir);
	free(target);
	return ret;
}

int file_create(const char *path, const void *data, size_t len, struct strbuf *err)
{
	return file_create_mode(path, data, len, (0666 & ~fileio_umask()) & (mode_t)~S_IWOTH,
				err);
}

int file_create_mode(const char *path, const void *data, size_t len, mode_t mode,
		     struct strbuf *err)
{
	struct fileio_bytes b = { data, len };
	/* The group stays the process's: fchown(-1, -1) changes nothing. */
	struct file_perm perm = { mode, (gid_t)-1, true };
	struct file_write_opts opts = { &perm, NULL, NULL, true };

	return file_write_atomic(path, fileio_fill_bytes, &b, &opts, err);
}

char *file_side_path(const char *board_path, const char *suffix)
{
	struct strbuf sb = STRBUF_INIT;
	const char *slash = strrchr(board_path, '/');

	if (slash)
		strbuf_add(&sb, board_path, (size_t)(slash - board_path + 1));
	strbuf_addf(&sb, ".%s%s", slash ? slash + 1 : board_path, suffix);
	return strbuf_detach(&sb, NULL);
}
