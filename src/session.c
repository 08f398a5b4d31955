#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "lockfile.h"
#include "sign.h"
#include "timeutil.h"
#include "xmalloc.h"

/* Network file systems, where flock() and inotify cannot be trusted. */
static bool session_is_network_fs(const char *path)
{
	static const long magic[] = {
		0x6969,      /* NFS */
		0x517B,      /* SMB */
		(long)0xFF534D42, /* CIFS */
		(long)0xFE534D42, /* SMB2 */
		0x65735546,  /* FUSE (sshfs...) */
		0x00C36400,  /* Ceph */
		0x5346414F,  /* AFS */
		0x01021997,  /* 9p */
		0x73757245,  /* Coda */
	};
	struct statfs st;
	size_t i;

	if (statfs(path, &st) < 0)
		return false;
	for (i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
		if ((long)st.f_type == magic[i])
			return true;
	return false;
}

static char *session_side_path(const char *board_path, const char *suffix)
{
	struct strbuf sb = STRBUF_INIT;
	const char *slash = strrchr(board_path, '/');

	if (slash)
		strbuf_add(&sb, board_path, (size_t)(slash - board_path + 1));
	strbuf_addf(&sb, ".%s%s", slash ? slash + 1 : board_path, suffix);
	return strbuf_detach(&sb, NULL);
}

static char *session_dir(const char *board_path)
{
	const char *slash = strrchr(board_path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == board_path)
		return xstrdup("/");
	return xstrndup(board_path, (size_t)(slash - board_path));
}

static void session_pending_clear(struct session *s)
{
	size_t i;

	for (i = 0; i < s->npending; i++)
		op_release(&s->pending[i]);
	s->npending = 0;
}

/*
 * Applies an operation of the log to the state as every instance does: with
 * facilitator rights only when its signature verifies (sign.h).
 */
static int session_apply_logged(struct session *s, const struct op *op, struct strbuf *why)
{
	struct op checked = *op; /* shallow: only its rights may change */

	if (sign_op_check(s->board, &checked))
		s->unverified++;
	return op_apply(s->board, &checked, why);
}

struct session_replay {
	struct session *s;
	struct strbuf why;
};

static void session_replay_line(const char *payload, size_t len, void *data)
{
	struct session_replay *r = data;
	struct op op = OP_INIT;

	strbuf_reset(&r->why);
	if (store_parse_op(r->s->board, payload, len, &op, &r->why) < 0) {
		r->s->refused++;
		return;
	}
	if (session_apply_logged(r->s, &op, &r->why) < 0)
		r->s->refused++;
	op_release(&op);
}

/* Applies the journal lines after the current position. Returns lines applied or -1. */
static int session_read_journal(struct session *s, struct strbuf *err)
{
	struct session_replay r = { s, STRBUF_INIT };
	int n = journal_read(&s->journal, session_replay_line, &r, &s->torn, err);

	strbuf_release(&r.why);
	return n;
}

/* The size and CRC-32 of a board file, as store_load_keep() reads it. */
struct session_snap {
	size_t size;
	uint32_t crc;
};

static void session_snap_observe(void *data, const char *buf, size_t len)
{
	struct session_snap *snap = data;

	snap->size += len;
	snap->crc = journal_crc32_update(snap->crc, buf, len);
}

/*
 * Loads the board file and its journal into a new state. The caller holds
 * the writers' lock (shared or exclusive). Returns 0, -1 invalid, -2 unreadable.
 */
static int session_load(struct session *s, struct store_errors *err)
{
	struct strbuf msg = STRBUF_INIT;
	struct session_snap snap = { 0, 0 };
	struct board *b = NULL;
	int r, fd = -1;

	/* One read of the file, never whole in memory: its size and CRC on the way. */
	r = store_load_keep(s->path, &b, err, &fd, session_snap_observe, &snap);
	if (r < 0)
		return r;
	board_free(s->board);
	s->board = b;
	s->snap_size = snap.size;
	s->snap_crc = snap.crc;
	if (s->snap_fd >= 0)
		close(s->snap_fd);
	s->snap_fd = fd;
	if (fstat(fd, &s->snap_stat) < 0)
		memset(&s->snap_stat, 0, sizeof(s->snap_stat));
	r = journal_open(&s->journal, s->snap_size, s->snap_crc, &msg);
	if (r > 0)
		r = session_read_journal(s, &msg);
	if (r < 0) {
		store_errors_add(err, 0, 0, "%s", msg.buf);
		strbuf_release(&msg);
		return -2;
	}
	strbuf_release(&msg);
	s->last_sync = clock_now();
	return 0;
}

/* Reloads from the files and applies pending operations again on top. */
static int session_reload(struct session *s, struct strbuf *err)
{
	struct store_errors e;
	size_t i;
	int r;

	store_errors_init(&e, s->path);
	r = session_load(s, &e);
	if (r < 0) {
		store_errors_format(&e, err);
		if (err->len && err->buf[err->len - 1] == '\n')
			strbuf_setlen(err, err->len - 1);
	}
	store_errors_release(&e);
	if (r < 0)
		return -1;
	for (i = 0; i < s->npending; i++)
		session_apply_logged(s, &s->pending[i], NULL);
	return 0;
}

/*
 * True when the board file at the path is not the one loaded: another file
 * (the loaded one is held open, so its inode cannot be reused by a new
 * file), or the same file written over in place (its size or modification
 * time is not what it was when loaded).
 */
static bool session_board_replaced(const struct session *s)
{
	const struct stat *had = &s->snap_stat;
	struct stat now;

	if (s->snap_fd < 0 || stat(s->path, &now) < 0)
		return true;
	return now.st_dev != had->st_dev || now.st_ino != had->st_ino ||
	       now.st_size != had->st_size || now.st_mtim.tv_sec != had->st_mtim.tv_sec ||
	       now.st_mtim.tv_nsec != had->st_mtim.tv_nsec;
}

/* Brings the state up to date with the files. Returns 1 changed, 0 not, -1 error. */
static int session_catch_up(struct session *s, struct strbuf *err)
{
	int n;

	if (session_board_replaced(s) || journal_replaced(&s->journal))
		return session_reload(s, err) < 0 ? -1 : 1;
	if (s->npending) {
		/* Others' operations must come before ours: rebuild in log order. */
		struct stat st;

		if (s->journal.fd >= 0 && fstat(s->journal.fd, &st) == 0 &&
		    st.st_size > s->journal.pos)
			return session_reload(s, err) < 0 ? -1 : 1;
		return 0;
	}
	n = session_read_journal(s, err);
	if (n < 0)
		return -1;
	if (n >= 0)
		s->last_sync = clock_now();
	return n > 0;
}

int session_open(struct session *s, const char *path, enum session_mode mode,
		 struct store_errors *err)
{
	struct board_lock lock = BOARD_LOCK_INIT;
	struct strbuf msg = STRBUF_INIT;
	int r;

	memset(s, 0, sizeof(*s));
	s->path = xstrdup(path);
	s->mode = mode;
	s->presence_fd = -1;
	s->watch_fd = -1;
	s->snap_fd = -1;
	s->write_lock.fd = -1;
	journal_init(&s->journal, path);
	if (mode == SESSION_LIVE) {
		char *live = session_side_path(path, ".live");

		/* Without it (read-only directory) we still work, alone. */
		s->presence_fd = lock_file_take(live, LOCK_SH, board_lock_timeout_ms(), NULL);
		free(live);
	}
	if ((mode == SESSION_WRITE
		     ? board_lock_acquire(&s->write_lock, path, board_lock_timeout_ms(), &msg)
		     : board_lock_acquire_shared(&lock, path, board_lock_timeout_ms(), &msg)) < 0 &&
	    (errno == EWOULDBLOCK || mode == SESSION_WRITE)) {
		/* A command never writes without the lock: others' changes would be lost. */
		int saved = errno;

		store_errors_add(err, 0, 0, "%s", msg.buf);
		strbuf_release(&msg);
		session_close(s, NULL);
		errno = saved;
		return saved == EWOULDBLOCK ? -3 : -2;
	}
	/* A lock that cannot even be created (read-only dir): read unlocked. */
	r = session_load(s, err);
	board_lock_release(&lock);
	strbuf_release(&msg);
	if (r < 0) {
		int saved = errno;

		session_close(s, NULL);
		errno = saved;
		return r;
	}
	s->network_fs = session_is_network_fs(path);
	if (mode == SESSION_LIVE) {
		char *dir = session_dir(path);

		s->watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (s->watch_fd >= 0 &&
		    inotify_add_watch(s->watch_fd, dir, IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO |
				      IN_CREATE | IN_DELETE | IN_MOVED_FROM) < 0) {
			close(s->watch_fd);
			s->watch_fd = -1;
		}
		free(dir);
	}
	return 0;
}

bool session_shared(const struct session *s)
{
	return s->mode == SESSION_LIVE && s->presence_fd >= 0;
}

int session_fd(const struct session *s)
{
	return s->watch_fd;
}

/* Appends ops to the journal (creating it when needed) in one durable write. 0 or -1. */
static int session_append(struct session *s, const struct op *ops, size_t n, struct strbuf *err)
{
	struct strbuf line = STRBUF_INIT, framed = STRBUF_INIT;
	size_t i;
	int r;

	if (s->journal.fd < 0 &&
	    journal_reset(&s->journal, s->snap_size, s->snap_crc, err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		strbuf_reset(&line);
		store_format_op(s->board, &ops[i], &line);
		journal_frame(&framed, line.buf, line.len);
	}
	r = journal_append_framed(&s->journal, framed.buf, framed.len, err);
	strbuf_release(&line);
	strbuf_release(&framed);
	if (r == 0)
		s->last_sync = clock_now();
	return r;
}

/* The board file was just written, size bytes of CRC-32 crc: the state starts from it now. */
static void session_snapshot_written(struct session *s, size_t size, uint32_t crc)
{
	s->snap_size = size;
	s->snap_crc = crc;
	if (s->snap_fd >= 0)
		close(s->snap_fd);
	s->snap_fd = open(s->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->snap_fd < 0 || fstat(s->snap_fd, &s->snap_stat) < 0)
		memset(&s->snap_stat, 0, sizeof(s->snap_stat));
	s->last_sync = clock_now();
}

/* The board streamed into the new file, and the size and CRC-32 of what went. */
struct session_snapshot {
	const struct board *board;
	file_write_fn *write;
	void *ctx;
	size_t size;
	uint32_t crc;
};

static int session_snapshot_write(void *data, const char *buf, size_t len)
{
	struct session_snapshot *snap = data;

	if (snap->write(snap->ctx, buf, len) < 0)
		return -1;
	snap->size += len;
	snap->crc = journal_crc32_update(snap->crc, buf, len);
	return 0;
}

static int session_snapshot_fill(void *data, file_write_fn *write, void *ctx)
{
	struct session_snapshot *snap = data;

	snap->write = write;
	snap->ctx = ctx;
	snap->size = 0;
	snap->crc = journal_crc32("", 0);
	return store_format_stream(snap->board, session_snapshot_write, snap);
}

/* Rewrites the board file from the state, never all in memory. 0 or -1. */
static int session_write_snapshot(struct session *s, struct strbuf *err)
{
	struct session_snapshot snap = { s->board, NULL, NULL, 0, 0 };
	int r = file_replace_stream(s->path, session_snapshot_fill, &snap, err);

	if (r == 0)
		session_snapshot_written(s, snap.size, snap.crc);
	return r;
}

/* Appends pending operations in order. The lock is held. 0 when none is left, 1 if some are. */
static int session_flush_locked(struct session *s, struct strbuf *err)
{
	size_t i;

	if (!s->npending || session_append(s, s->pending, s->npending, err) < 0)
		return s->npending ? 1 : 0;
	for (i = 0; i < s->npending; i++)
		op_release(&s->pending[i]);
	s->npending = 0;
	return 0;
}

static void session_pend(struct session *s, const struct op *ops, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ALLOC_GROW(s->pending, s->npending + 1, s->pending_alloc);
		op_copy(&s->pending[s->npending++], &ops[i], s->board);
	}
}

/* Takes the presence lock exclusively when no live instance holds it: fd or -1. */
static int session_nobody_live(const struct session *s)
{
	char *live = session_side_path(s->path, ".live");
	int fd = lock_file_take(live, LOCK_EX, 0, NULL);

	free(live);
	return fd;
}

/*
 * Makes ops (already applied to the state) durable; the writers' lock is
 * held. Returns 0 when durable, 1 when pending.
 */
static int session_persist(struct session *s, const struct op *ops, size_t n,
			   struct strbuf *err)
{
	int alone_fd, status;

	if (!n)
		return s->npending ? 1 : 0;
	if (s->mode == SESSION_WRITE && (alone_fd = session_nobody_live(s)) >= 0) {
		/* Nobody has it open live: the board file alone is the state. */
		status = session_write_snapshot(s, err) < 0 ? 1 : 0;
		if (!status)
			journal_remove(&s->journal, NULL);
		close(alone_fd);
		return status;
	}
	if (s->npending)
		session_flush_locked(s, err);
	if (s->npending || session_append(s, ops, n, err) < 0) {
		session_pend(s, ops, n);
		return 1;
	}
	return 0;
}

int session_update(struct session *s, session_change_fn fn, void *data, struct strbuf *err)
{
	struct board_lock lock = BOARD_LOCK_INIT;
	struct op_list ops = OP_LIST_INIT;
	int status;

	if (s->mode == SESSION_READ) {
		strbuf_addstr(err, "the board is open read-only");
		return -2;
	}
	/* A command holds the lock since it loaded the board: nothing to catch up. */
	if (s->write_lock.fd < 0) {
		if (board_lock_acquire(&lock, s->path, board_lock_timeout_ms(), err) < 0)
			return -2;
		if (session_catch_up(s, err) < 0) {
			board_lock_release(&lock);
			return -2;
		}
	}
	status = fn(s->board, &ops, data);
	if (status) {
		/* Abandoned: forget whatever fn did change. */
		if (ops.n)
			session_reload(s, err);
	} else {
		status = session_persist(s, ops.v, ops.n, err);
	}
	board_lock_release(&lock);
	op_list_release(&ops);
	return status;
}

struct session_one {
	const struct op *op;
	struct strbuf *why;
};

static int session_apply_one(struct board *b, struct op_list *ops, void *data)
{
	struct session_one *one = data;

	return op_apply_record(b, one->op, ops, one->why) < 0 ? SESSION_REFUSED : 0;
}

int session_apply(struct session *s, const struct op *op, struct strbuf *err)
{
	struct session_one one = { op, err };
	int r = session_update(s, session_apply_one, &one, err);

	return r == SESSION_REFUSED ? -1 : r;
}

/* session_flush(), waiting up to timeout_ms for the writers' lock. */
static int session_flush_wait(struct session *s, int timeout_ms, struct strbuf *err)
{
	struct board_lock lock = BOARD_LOCK_INIT;
	int r;

	if (!s->npending)
		return 0;
	if (s->write_lock.fd < 0) {
		if (board_lock_acquire(&lock, s->path, timeout_ms, err) < 0)
			return -2;
		if (session_catch_up(s, err) < 0) {
			board_lock_release(&lock);
			return 1;
		}
	}
	r = session_flush_locked(s, err);
	board_lock_release(&lock);
	return r;
}

int session_flush(struct session *s, struct strbuf *err)
{
	return session_flush_wait(s, 0, err);
}

int session_poll(struct session *s, struct strbuf *err)
{
	char buf[4096];
	int r;

	if (s->watch_fd >= 0)
		while (read(s->watch_fd, buf, sizeof(buf)) > 0)
			;
	if (s->npending) {
		r = session_flush(s, err);
		return r < 0 ? 0 : 1;
	}
	if (session_board_replaced(s) || journal_replaced(&s->journal)) {
		struct board_lock lock = BOARD_LOCK_INIT;

		/* Read both files as one consistent pair. */
		if (board_lock_acquire_shared(&lock, s->path, 1000, err) < 0 && errno == EWOULDBLOCK)
			return 0;
		r = session_reload(s, err);
		board_lock_release(&lock);
		return r < 0 ? -1 : 1;
	}
	r = session_read_journal(s, err);
	if (r < 0)
		return -1;
	s->last_sync = clock_now();
	return r > 0;
}

int session_compact(struct session *s, struct strbuf *err)
{
	struct board_lock lock = BOARD_LOCK_INIT;
	int alone_fd, r;

	if (s->write_lock.fd < 0 &&
	    board_lock_acquire(&lock, s->path, board_lock_timeout_ms(), err) < 0)
		return -2;
	if (session_catch_up(s, err) < 0 || session_flush_locked(s, err) != 0) {
		board_lock_release(&lock);
		return -1;
	}
	alone_fd = s->mode == SESSION_LIVE ? -1 : session_nobody_live(s);
	r = session_write_snapshot(s, err);
	if (r == 0) {
		if (alone_fd >= 0)
			r = journal_remove(&s->journal, err);
		else
			r = journal_reset(&s->journal, s->snap_size, s->snap_crc, err);
	}
	if (alone_fd >= 0)
		close(alone_fd);
	board_lock_release(&lock);
	return r;
}

/* Reads the whole board file held open (it may have no name any more) into data. */
static int session_read_held(const struct session *s, struct strbuf *data)
{
	off_t off = 0;

	if (s->snap_fd < 0) {
		errno = EBADF;
		return -1;
	}
	for (;;) {
		ssize_t n;

		strbuf_grow(data, 65536);
		n = pread(s->snap_fd, data->buf + data->len, data->alloc - data->len - 1, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return 0;
		data->len += (size_t)n;
		data->buf[data->len] = '\0';
		off += n;
		if (data->len > STORE_MAX_FILE_SIZE) {
			errno = EFBIG;
			return -1;
		}
	}
}

/*
 * Rebuilds the state from the board file held open and the whole journal
 * that extends it (others' operations included), then the pending ones.
 */
static int session_rebuild_held(struct session *s, struct strbuf *err)
{
	struct strbuf data = STRBUF_INIT;
	struct store_errors e;
	struct board *b = NULL;
	size_t torn = s->torn, i;
	int r;

	if (session_read_held(s, &data) < 0) {
		strbuf_addf(err, "cannot read '%s' any more: %s", s->path, strerror(errno));
		strbuf_release(&data);
		return -1;
	}
	store_errors_init(&e, s->path);
	r = store_parse(data.buf, data.len, &b, &e);
	store_errors_release(&e);
	strbuf_release(&data);
	if (r < 0) {
		strbuf_addf(err, "cannot read '%s' any more: it changed", s->path);
		return -1;
	}
	board_free(s->board);
	s->board = b;
	/* Whichever journal is at the path, if it extends the held file. */
	if (journal_open(&s->journal, s->snap_size, s->snap_crc, NULL) > 0)
		session_read_journal(s, NULL);
	s->torn = torn; /* counted when first read */
	for (i = 0; i < s->npending; i++)
		session_apply_logged(s, &s->pending[i], NULL);
	return 0;
}

int session_restore_missing(struct session *s, struct strbuf *err)
{
	struct board_lock lock = BOARD_LOCK_INIT;
	struct strbuf data = STRBUF_INIT;
	struct stat st;
	int r = -1;

	if (s->mode == SESSION_READ || stat(s->path, &st) == 0 || errno != ENOENT)
		return 0;
	if (s->write_lock.fd < 0 &&
	    board_lock_acquire(&lock, s->path, board_lock_timeout_ms(), err) < 0)
		return -1;
	if (stat(s->path, &st) == 0 || errno != ENOENT) {
		r = 0; /* another instance wrote it back first */
		goto out;
	}
	if (session_rebuild_held(s, err) < 0)
		goto out;
	store_format(s->board, &data);
	if (file_create(s->path, data.buf, data.len, err) < 0)
		goto out;
	/* The board file alone holds everything now: ours are durable. */
	session_pending_clear(s);
	session_snapshot_written(s, data.len, journal_crc32(data.buf, data.len));
	/* The old journal is stale now; others live get a fresh one. */
	if (s->mode == SESSION_LIVE)
		journal_reset(&s->journal, s->snap_size, s->snap_crc, NULL);
	else
		journal_remove(&s->journal, NULL);
	r = 1;
out:
	board_lock_release(&lock);
	strbuf_release(&data);
	return r;
}

int session_close(struct session *s, struct strbuf *err)
{
	struct strbuf scratch = STRBUF_INIT;
	int status = 0;

	/* A session that failed to open is closed with err NULL: reasons go nowhere. */
	if (!err)
		err = &scratch;
	/* The last try: worth waiting for a writer that holds the lock right now. */
	if (s->npending && session_flush_wait(s, board_lock_timeout_ms(), err) != 0)
		status = 1;
	if (s->presence_fd >= 0) {
		int alone_fd;

		close(s->presence_fd);
		s->presence_fd = -1;
		/* The last live instance to leave makes the board one clean file again. */
		alone_fd = session_nobody_live(s);
		if (alone_fd >= 0) {
			struct board_lock lock = BOARD_LOCK_INIT;

			if (s->board && board_lock_acquire(&lock, s->path, board_lock_timeout_ms(),
							   err) == 0) {
				if (session_catch_up(s, err) >= 0 && s->journal.fd >= 0 &&
				    session_write_snapshot(s, err) == 0)
					journal_remove(&s->journal, err);
				board_lock_release(&lock);
			}
			close(alone_fd);
		}
	}
	if (s->watch_fd >= 0)
		close(s->watch_fd);
	if (s->snap_fd >= 0)
		close(s->snap_fd);
	board_lock_release(&s->write_lock);
	session_pending_clear(s);
	free(s->pending);
	journal_release(&s->journal);
	board_free(s->board);
	free(s->path);
	memset(s, 0, sizeof(*s));
	s->presence_fd = s->watch_fd = s->snap_fd = s->write_lock.fd = -1;
	strbuf_release(&scratch);
	return status;
}
