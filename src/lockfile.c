#include "lockfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *board_lock_path(const char *board_path)
{
	return file_side_path(board_path, ".lock");
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

int lock_file_take(const char *lock_path, int op, int timeout_ms, const struct file_perm *perm,
		   struct strbuf *err)
{
	struct timespec pause = { 0, 2 * 1000 * 1000 };
	int waited = 0, fd;

	/*
	 * Read-only is enough for flock, and lets group members share the lock.
	 * Made here: it takes the board's permissions, whatever our umask.
	 */
	fd = open(lock_path, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0664 & ~S_IWOTH);
	if (fd >= 0)
		file_perm_apply(fd, perm);
	else if (errno == EEXIST)
		fd = open(lock_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return file_fail(err, "cannot open lock file", lock_path);
	while (flock(fd, op | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK || waited >= timeout_ms) {
			int saved = errno;

			if (saved != EWOULDBLOCK)
				file_fail(err, "cannot lock", lock_path);
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
	struct file_perm perm = { 0, 0, false };
	struct stat st;
	char *path;
	int fd;

	if (stat(board_path, &st) == 0) {
		/* No side file beside a device, a FIFO or a directory. */
		if (!S_ISREG(st.st_mode)) {
			errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
			if (err)
				strbuf_addf(err, "cannot lock '%s': %s", board_path,
					    errno == EISDIR ? "is a directory" : "not a regular file");
			return -1;
		}
		file_perm_like(&perm, &st);
	}
	path = board_lock_path(board_path);
	fd = lock_file_take(path, op, timeout_ms, &perm, err);
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
