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

#include "conflicts.h"
#include "i18n.h"
#include "lockfile.h"
#include "presence.h"
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

void session_contested_clear(struct session *s)
{
	size_t i;

	for (i = 0; i < s->ncontested; i++)
		op_release(&s->contested[i]);
	s->ncontested = 0;
}

/* Forgets what the journal's lines did: a new state is being read. */
static void session_skipped_clear(struct session *s)
{
	size_t i;

	for (i = 0; i < s->nskipped; i++) {
		free(s->skipped[i].payload);
		free(s->skipped[i].why);
	}
	s->nskipped = 0;
	s->torn = s->invalid = s->refused = s->unverified = 0;
	s->journal_lines = 0;
}

static void session_skip(struct session *s, const char *payload, size_t len, const char *why,
			 bool invalid)
{
	struct session_skip *k;

	ALLOC_GROW(s->skipped, s->nskipped + 1, s->skipped_alloc);
	k = &s->skipped[s->nskipped++];
	k->line = s->journal_lines;
	k->payload = xstrndup(payload, len);
	k->len = len;
	k->why = xstrdup(why && *why ? why : "unknown reason");
	k->invalid = invalid;
	if (invalid)
		s->invalid++;
	else
		s->refused++;
}

/*
 * Applies an operation of the log to the state as every instance does: with
 * facilitator rights only when its signature verifies (sign.h).
 */
static int session_apply_logged(struct session *s, const struct op *op, struct strbuf *why)
{
	struct op checked = *op; /* shallow: only its rights may change */
	bool taken = sign_op_check(s->board, &checked);
	size_t at = why ? why->len : 0;
	int r;

	if (taken)
		s->unverified++;
	r = op_apply(s->board, &checked, why);
	if (r < 0 && taken && why) {
		/* Why it was made a pair's, before why a pair may not. */
		struct strbuf said = STRBUF_INIT;

		strbuf_add(&said, why->buf + at, why->len - at);
		strbuf_setlen(why, at);
		strbuf_addf(why, _("not signed by a key the board lists, so made as a pair's: %s"),
			    said.buf);
		strbuf_release(&said);
	}
	return r;
}

struct session_replay {
	struct session *s;
	struct strbuf why;
};

/* Marks the journal's first lines lines as handed over to heard (another journal: anew). */
static void session_heard_mark(struct session *s, size_t lines)
{
	if (s->journal.dev != s->heard_dev || s->journal.ino != s->heard_ino) {
		s->heard_dev = s->journal.dev;
		s->heard_ino = s->journal.ino;
		s->heard_lines = 0;
	}
	if (s->heard_lines < lines)
		s->heard_lines = lines;
}

/* Every line read or written so far is handed over. */
static void session_heard_upto(struct session *s)
{
	session_heard_mark(s, s->journal_lines);
}

/* True when the line being read (the journal_lines-th) goes to heard: it is new. */
static bool session_heard_news(struct session *s)
{
	bool news;

	if (!s->heard)
		return false;
	news = s->journal.dev != s->heard_dev || s->journal.ino != s->heard_ino ||
	       s->journal_lines >= s->heard_lines;
	session_heard_mark(s, s->journal_lines + 1);
	return news;
}

void session_hear(struct session *s, session_heard_fn heard, void *data)
{
	s->heard = heard;
	s->heard_data = data;
	session_heard_upto(s);
}

static void session_replay_line(const char *payload, size_t len, void *data)
{
	struct session_replay *r = data;
	struct session *s = r->s;
	struct op op = OP_INIT;
	bool news;

	strbuf_reset(&r->why);
	if (store_parse_op(s->board, payload, len, &op, &r->why) < 0) {
		session_skip(s, payload, len, r->why.buf, true);
	} else {
		news = session_heard_news(s);
		if (news)
			s->heard(s->heard_data, s->board, &op, false);
		if (session_apply_logged(s, &op, &r->why) < 0)
			session_skip(s, payload, len, r->why.buf, false);
		else if (news)
			s->heard(s->heard_data, s->board, &op, true);
	}
	op_release(&op);
	s->journal_lines++;
}

/* Applies the journal lines after the current position. Returns lines applied or -1. */
static int session_read_journal(struct session *s, struct strbuf *err)
{
	struct session_replay r = { s, STRBUF_INIT };
	int n = journal_read(&s->journal, session_replay_line, &r, &s->torn, err);

	strbuf_release(&r.why);
	return n;
}

void session_describe_skipped(const struct session *s, const char *name, struct strbuf *out)
{
	size_t n = s->torn + s->invalid + s->refused;
	const char *sep = "";

	if (!n)
		return;
	if (name)
		strbuf_addf(out, ngettext("%zu line of the live journal of '%s' was skipped: ",
					  "%zu lines of the live journal of '%s' were skipped: ", n),
			    n, name);
	else
		strbuf_addf(out, ngettext("%zu line of the live journal was skipped: ",
					  "%zu lines of the live journal were skipped: ", n),
			    n);
	if (s->torn) {
		strbuf_addf(out, ngettext("%zu torn or damaged (a writer stopped mid-line?)",
					  "%zu torn or damaged (a writer stopped mid-line?)", s->torn),
			    s->torn);
		sep = ", ";
	}
	if (s->invalid) {
		strbuf_addf(out, ngettext("%s%zu that is not an operation this tamis can read",
					  "%s%zu that are not operations this tamis can read",
					  s->invalid),
			    sep, s->invalid);
		sep = ", ";
	}
	if (s->refused)
		strbuf_addf(out, ngettext("%s%zu that no longer applies", "%s%zu that no longer apply",
					  s->refused),
			    sep, s->refused);
	if (s->nskipped)
		strbuf_addf(out, _(" (first: %s; see 'tamis show-conflicts')"), s->skipped[0].why);
}

/*
 * Keeps the lines that did not apply in the conflicts file before the
 * journal that holds them is replaced or removed. The writers' lock is held.
 */
static int session_keep_skipped(struct session *s, struct strbuf *err)
{
	struct conflicts_line *lines;
	size_t i;
	int r;

	if (!s->nskipped)
		return 0;
	lines = xcalloc(s->nskipped, sizeof(*lines));
	for (i = 0; i < s->nskipped; i++) {
		lines[i].payload = s->skipped[i].payload;
		lines[i].len = s->skipped[i].len;
	}
	r = conflicts_add(s->path, lines, s->nskipped, &s->perm, err);
	free(lines);
	if (r > 0)
		strbuf_addf(&s->notice,
			    ngettext("%d change of the live journal no longer applies: kept, "
				     "see 'tamis show-conflicts %s'\n",
				     "%d changes of the live journal no longer apply: kept, "
				     "see 'tamis show-conflicts %s'\n", r),
			    r, s->path);
	return r < 0 ? -1 : 0;
}

/*
 * Keeps the contested operations nobody answered for (the session closes
 * with them) in the conflicts file: never written over the others', never
 * dropped. Says so in err.
 */
static void session_keep_contested(struct session *s, struct strbuf *err)
{
	struct conflicts_line *lines;
	struct strbuf *text;
	size_t i;

	if (!s->ncontested)
		return;
	lines = xcalloc(s->ncontested, sizeof(*lines));
	text = xcalloc(s->ncontested, sizeof(*text));
	for (i = 0; i < s->ncontested; i++) {
		strbuf_init(&text[i], 0);
		store_format_op(s->board, &s->contested[i], &text[i]);
		lines[i].payload = text[i].buf;
		lines[i].len = text[i].len;
	}
	if (conflicts_add(s->path, lines, s->ncontested, &s->perm, err) >= 0)
		strbuf_addf(err,
			    ngettext("%zu change not saved, someone having changed the same thing "
				     "meanwhile: kept, see 'tamis show-conflicts %s'",
				     "%zu changes not saved, someone having changed the same things "
				     "meanwhile: kept, see 'tamis show-conflicts %s'",
				     s->ncontested),
			    s->ncontested, s->path);
	for (i = 0; i < s->ncontested; i++)
		strbuf_release(&text[i]);
	free(text);
	free(lines);
}

/* The size and CRC-32 of a board file, as store_load_keep() reads it. */
struct session_snap {
	size_t size;
	uint32_t crc;
	bool no_crc; /* the size only */
};

static void session_snap_observe(void *data, const char *buf, size_t len)
{
	struct session_snap *snap = data;

	snap->size += len;
	if (!snap->no_crc)
		snap->crc = journal_crc32_update(snap->crc, buf, len);
}

#define SESSION_CRC_CHUNK 65536

/*
 * The board file this state starts from, as the journal names it. Its CRC-32
 * is read from the held file when it was not computed on the way: a command
 * (SESSION_WRITE, the writers' lock held from open to close) needs it only
 * when it writes a journal. Should that read fail, the CRC is 0: the journal
 * is then taken for one the file was edited under, and still applied.
 */
static void session_current_snap(struct session *s, struct journal_snap *snap)
{
	char *buf;
	ssize_t n;
	off_t at = 0;

	if (!s->snap_crc_known && s->snap_fd >= 0) {
		buf = xmalloc(SESSION_CRC_CHUNK);
		s->snap_crc = journal_crc32("", 0);
		for (;;) {
			n = pread(s->snap_fd, buf, SESSION_CRC_CHUNK, at);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			s->snap_crc = journal_crc32_update(s->snap_crc, buf, (size_t)n);
			at += n;
		}
		if (n < 0)
			s->snap_crc = 0;
		s->snap_crc_known = true;
		free(buf);
	}
	journal_snap_of(snap, s->snap_fd, s->snap_size, s->snap_crc);
}

/* Says what a journal found at load means for the person. */
static void session_journal_notice(struct session *s)
{
	switch (s->journal.state) {
	case JOURNAL_BROKEN:
		strbuf_addf(&s->notice,
			    _("the live journal '%s' cannot be read (damaged, or written by a later "
			      "tamis): its changes are not shown; it is set aside, never deleted, "
			      "at the next change\n"),
			    s->journal.path);
		break;
	case JOURNAL_EDITED:
		if (!s->journal_lines)
			break;
		strbuf_addf(&s->notice,
			    ngettext("'%s' was changed under its live journal (edited by hand?): "
				     "the journal's %zu change was applied to it\n",
				     "'%s' was changed under its live journal (edited by hand?): "
				     "the journal's %zu changes were applied to it\n",
				     s->journal_lines),
			    s->path, s->journal_lines);
		break;
	default:
		break;
	}
}

/*
 * Loads the board file and its journal into a new state. The caller holds
 * the writers' lock (shared or exclusive), or checks afterwards that
 * neither file was replaced meanwhile (session_read_consistent()).
 * RESULT_OK, RESULT_INVALID or RESULT_NOINPUT.
 *
 * The board file's CRC-32 (with crc) is what the journal's header and fold
 * records are compared with, and what a new journal names. A reader or a
 * command (SESSION_READ, SESSION_WRITE) with no journal beside the board
 * does not compute it (session_load()): when a journal comes while the file
 * is read, the file is read again with it; a command that writes a journal
 * reads it from the held file then (session_current_snap()).
 */
static int session_load_crc(struct session *s, struct store_errors *err, bool crc)
{
	struct strbuf msg = STRBUF_INIT;
	struct session_snap snap = { 0, 0, !crc };
	struct journal_snap jsnap;
	struct board *b = NULL;
	int r, fd = -1;

	/* One read of the file, never whole in memory: its size and CRC on the way. */
	r = store_load_keep(s->path, &b, err, &fd, session_snap_observe, &snap);
	if (r < 0)
		return r == -1 ? RESULT_INVALID : RESULT_NOINPUT;
	board_free(s->board);
	s->board = b;
	s->snap_size = snap.size;
	s->snap_crc = snap.crc;
	s->snap_crc_known = crc;
	if (s->snap_fd >= 0)
		close(s->snap_fd);
	s->snap_fd = fd;
	if (fstat(fd, &s->snap_stat) < 0)
		memset(&s->snap_stat, 0, sizeof(s->snap_stat));
	else
		file_perm_like(&s->perm, &s->snap_stat);
	s->journal.perm = s->perm;
	session_skipped_clear(s);
	/* Without its CRC (0) when there was no journal: see below. */
	journal_snap_of(&jsnap, s->snap_fd, s->snap_size, s->snap_crc);
	r = journal_open(&s->journal, &jsnap, &msg);
	if (!crc && r >= 0 && s->journal.state != JOURNAL_NONE) {
		/* It came meanwhile: it is compared with the file's CRC. */
		strbuf_release(&msg);
		return session_load_crc(s, err, true);
	}
	s->journal_first = s->journal.pos;
	if (r >= 0 && s->journal.fd >= 0)
		r = session_read_journal(s, &msg);
	if (r < 0) {
		store_errors_add(err, 0, 0, "%s", msg.buf);
		strbuf_release(&msg);
		return RESULT_NOINPUT;
	}
	session_journal_notice(s);
	strbuf_release(&msg);
	s->last_sync = clock_now();
	/* Ready to rank: an instance's first sieve takes no longer than the next. */
	if (s->mode == SESSION_LIVE)
		board_sieve_prepare(s->board);
	return RESULT_OK;
}

static int session_load(struct session *s, struct store_errors *err)
{
	return session_load_crc(s, err,
				s->mode == SESSION_LIVE || access(s->journal.path, F_OK) == 0 ||
					errno != ENOENT);
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

/*
 * A journal that is not the current one for the board file is put right
 * now that the writers' lock is held: a broken one set aside (never
 * deleted), a stale or edited one re-based on the board file as it is (the
 * lines that did not apply kept in the conflicts file first). Returns -1
 * only when a broken journal cannot be set aside: no new journal can be
 * made beside it then.
 */
static int session_settle_locked(struct session *s, struct strbuf *err);
static int session_settle_broken(struct session *s, struct strbuf *err);

/* Brings the state up to date with the files (the lock is held). 1 changed, 0 not, -1 error. */
static int session_catch_up(struct session *s, struct strbuf *err)
{
	int n;

	if (session_board_replaced(s) || journal_replaced(&s->journal)) {
		n = session_reload(s, err) < 0 ? -1 : 1;
	} else if (s->npending) {
		/* Others' operations must come before ours: rebuild in log order. */
		struct stat st;

		n = 0;
		if (s->journal.fd >= 0 && fstat(s->journal.fd, &st) == 0 &&
		    st.st_size > s->journal.pos)
			n = session_reload(s, err) < 0 ? -1 : 1;
	} else {
		n = session_read_journal(s, err);
		if (n >= 0)
			s->last_sync = clock_now();
		n = n < 0 ? -1 : n > 0;
	}
	if (n >= 0 && session_settle_locked(s, err) < 0)
		return -1;
	return n;
}

/*
 * The path the session works on: the file a symlink at path points to (so
 * every instance names its side files after the board itself), else path.
 */
static char *session_resolve(const char *path)
{
	struct stat st;
	char *real;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && (real = realpath(path, NULL))) {
		char *copy = xstrdup(real);

		free(real);
		/* A link to what is no board (a directory, a device): messages name the link. */
		if (stat(copy, &st) == 0 && S_ISREG(st.st_mode))
			return copy;
		free(copy);
	}
	return xstrdup(path);
}

/* True when neither file was replaced since the state was read from them. */
static bool session_read_consistent(const struct session *s)
{
	return !session_board_replaced(s) && !journal_replaced(&s->journal);
}

/*
 * Loads without the writers' lock: reads the board file, then the journal,
 * and again whenever a writer replaced either meanwhile (a compaction, a
 * rebase). Past a few dozen tries, waits for the lock as readers used to.
 */
static int session_load_unlocked(struct session *s, struct store_errors *err)
{
	struct timespec pause = { 0, 1000 * 1000 };
	struct board_lock lock = BOARD_LOCK_INIT;
	int tries, r;

	for (tries = 0; tries < 50; tries++) {
		if (tries)
			nanosleep(&pause, NULL);
		strbuf_reset(&s->notice);
		r = session_load(s, err);
		if (r < 0 || session_read_consistent(s))
			return r;
	}
	r = board_lock_acquire_shared(&lock, s->path, board_lock_timeout_ms(), NULL);
	if (r < 0 && errno == EWOULDBLOCK) {
		store_errors_add(err, 0, 0, "cannot read '%s': it keeps changing while read",
				 s->path);
		errno = EWOULDBLOCK;
		return RESULT_BUSY;
	}
	strbuf_reset(&s->notice);
	r = session_load(s, err);
	board_lock_release(&lock);
	return r;
}

int session_open(struct session *s, const char *path, enum session_mode mode,
		 struct store_errors *err)
{
	struct strbuf msg = STRBUF_INIT;
	struct stat st;
	int r;

	memset(s, 0, sizeof(*s));
	s->path = session_resolve(path);
	s->mode = mode;
	s->presence_fd = -1;
	s->watch_fd = -1;
	s->snap_fd = -1;
	s->write_lock.fd = -1;
	strbuf_init(&s->notice, 0);
	journal_init(&s->journal, s->path);
	/* Not a regular file (a device, a FIFO...) or none: say so, and make no side file. */
	if (stat(s->path, &st) < 0 || !S_ISREG(st.st_mode)) {
		int saved;

		r = session_load(s, err);
		if (r < 0 || stat(s->path, &st) < 0) {
			saved = errno;
			session_close(s, NULL);
			errno = saved;
			return r < 0 ? r : RESULT_NOINPUT;
		}
		/* Made meanwhile: carry on as for any board (it is read again below). */
	}
	file_perm_like(&s->perm, &st);
	if (mode == SESSION_LIVE) {
		char *live = file_side_path(s->path, ".live");

		/* Without it (read-only directory) we still work, alone. */
		s->presence_fd = lock_file_take(live, LOCK_SH, board_lock_timeout_ms(), &s->perm,
						NULL);
		free(live);
	}
	if (mode == SESSION_WRITE &&
	    board_lock_acquire(&s->write_lock, s->path, board_lock_timeout_ms(), &msg) < 0) {
		/* A command never writes without the lock: others' changes would be lost. */
		int saved = errno;

		store_errors_add(err, 0, 0, "%s", msg.buf);
		strbuf_release(&msg);
		session_close(s, NULL);
		errno = saved;
		return saved == EWOULDBLOCK ? RESULT_BUSY : RESULT_NOINPUT;
	}
	strbuf_release(&msg);
	r = mode == SESSION_WRITE ? session_load(s, err) : session_load_unlocked(s, err);
	if (r == 0 && mode == SESSION_WRITE) {
		struct strbuf why = STRBUF_INIT;

		/* A command holds the lock: put a stale, edited or broken journal right now. */
		if (session_settle_locked(s, &why) < 0)
			strbuf_addf(&s->notice, "%s\n", why.buf);
		strbuf_release(&why);
	}
	if (r < 0) {
		int saved = errno;

		session_close(s, NULL);
		errno = saved;
		return r;
	}
	s->network_fs = session_is_network_fs(s->path);
	if (mode == SESSION_LIVE) {
		char *dir = session_dir(s->path);

		s->watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (s->watch_fd >= 0 &&
		    inotify_add_watch(s->watch_fd, dir, IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO |
				      IN_CREATE | IN_DELETE | IN_MOVED_FROM) < 0) {
			close(s->watch_fd);
			s->watch_fd = -1;
		}
		free(dir);
	}
	return RESULT_OK;
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

	if (session_settle_locked(s, err) < 0)
		return -1;
	if (s->journal.fd < 0) {
		struct journal_snap snap;

		session_current_snap(s, &snap);
		if (journal_reset(&s->journal, &snap, err) < 0)
			return -1;
		s->journal_first = s->journal.pos;
		s->journal_lines = 0;
	}
	for (i = 0; i < n; i++) {
		strbuf_reset(&line);
		store_format_op(s->board, &ops[i], &line);
		journal_frame(&framed, line.buf, line.len);
	}
	r = journal_append_framed(&s->journal, framed.buf, framed.len, err);
	strbuf_release(&line);
	strbuf_release(&framed);
	if (r == 0) {
		s->journal_lines += n;
		s->last_sync = clock_now();
		/* Our own lines: never heard as others'. */
		session_heard_upto(s);
	}
	return r;
}

/* The board file was just written (snap): the state starts from it now. */
static void session_snapshot_written(struct session *s, const struct journal_snap *snap)
{
	s->snap_size = snap->size;
	s->snap_crc = snap->crc;
	if (s->snap_fd >= 0)
		close(s->snap_fd);
	s->snap_fd = open(s->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->snap_fd < 0 || fstat(s->snap_fd, &s->snap_stat) < 0)
		memset(&s->snap_stat, 0, sizeof(s->snap_stat));
	s->last_sync = clock_now();
}

/* The board streamed into the new file, and what went: size, CRC-32, then the file. */
struct session_snapshot {
	struct session *s;
	file_write_fn *write;
	void *ctx;
	size_t size;
	uint32_t crc;
	bool crc_needed; /* a journal names the new file, or a live instance will */
	struct journal_snap written; /* filled once the file is complete */
};

static int session_snapshot_write(void *data, const char *buf, size_t len)
{
	struct session_snapshot *snap = data;

	if (snap->write(snap->ctx, buf, len) < 0)
		return -1;
	snap->size += len;
	if (snap->crc_needed)
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
	snap->crc_needed = snap->s->mode == SESSION_LIVE || snap->s->journal.fd >= 0;
	return store_format_stream(snap->s->board, session_snapshot_write, snap);
}

/*
 * The new board file is complete and synced, not yet in place: a journal
 * beside it gets the fold record naming it (journal.h) first, so that if we
 * stop right after the rename, the journal is known to be folded in.
 */
static int session_snapshot_commit(void *data, int fd, struct strbuf *err)
{
	struct session_snapshot *snap = data;
	struct journal *j = &snap->s->journal;

	journal_snap_of(&snap->written, fd, snap->size, snap->crc);
	if (j->fd < 0)
		return 0;
	return journal_record_fold(j, &snap->written, err);
}

/*
 * Writes the board file from the state, never all in memory; as a new file
 * (restoring one that was deleted) when create. 0 or -1.
 */
static int session_write_snapshot(struct session *s, bool create, struct strbuf *err)
{
	struct session_snapshot snap;
	struct file_write_opts opts = { NULL, session_snapshot_commit, &snap, create };
	int r;

	memset(&snap, 0, sizeof(snap));
	snap.s = s;
	/* A board written back after it was deleted gets its old permissions. */
	if (create)
		opts.perm = &s->perm;
	r = file_write_atomic(s->path, session_snapshot_fill, &snap, &opts, err);
	if (r == 0) {
		session_snapshot_written(s, &snap.written);
		s->snap_crc_known = snap.crc_needed;
	}
	return r;
}

/*
 * Writes the whole state into the board file and starts a fresh journal
 * (keep: others are live) or none. What did not apply goes to the conflicts
 * file first. The writers' lock is held and the state caught up. 0 or -1.
 */
static int session_fold_locked(struct session *s, bool keep, bool create, struct strbuf *err)
{
	if (session_settle_broken(s, err) < 0 || session_keep_skipped(s, err) < 0 ||
	    session_write_snapshot(s, create, err) < 0)
		return -1;
	session_skipped_clear(s);
	if (keep) {
		struct journal_snap snap;

		session_current_snap(s, &snap);
		if (journal_reset(&s->journal, &snap, err) < 0)
			return -1;
		s->journal_first = s->journal.pos;
		return 0;
	}
	return journal_remove(&s->journal, err);
}

/*
 * Rewrites the journal for the board file as it is, with every line that
 * applied, in order; those that did not are kept in the conflicts file.
 */
struct session_rebase {
	struct session *s;
	struct strbuf body;
	size_t line, next; /* the line being read; the next skipped one (index into s->skipped) */
};

static void session_rebase_line(const char *payload, size_t len, void *data)
{
	struct session_rebase *r = data;
	struct session *s = r->s;

	if (r->next < s->nskipped && s->skipped[r->next].line == r->line)
		r->next++;
	else
		journal_frame(&r->body, payload, len);
	r->line++;
}

static int session_rebase_locked(struct session *s, struct strbuf *err)
{
	struct session_rebase r = { s, STRBUF_INIT, 0, 0 };
	struct journal_snap snap;
	size_t kept;
	int n;

	if (session_keep_skipped(s, err) < 0)
		return -1;
	s->journal.pos = s->journal_first;
	s->journal.skip = 0;
	n = journal_read(&s->journal, session_rebase_line, &r, NULL, err);
	kept = r.line - r.next;
	session_current_snap(s, &snap);
	if (n < 0 || journal_replace(&s->journal, &snap, r.body.buf, r.body.len, err) < 0) {
		strbuf_release(&r.body);
		return -1;
	}
	strbuf_release(&r.body);
	session_skipped_clear(s);
	s->journal_first = s->journal.pos - (off_t)r.body.len;
	s->journal_lines = kept;
	session_heard_upto(s); /* the same lines, heard already */
	return 0;
}

static int session_settle_broken(struct session *s, struct strbuf *err)
{
	struct strbuf where = STRBUF_INIT;

	if (s->journal.state != JOURNAL_BROKEN)
		return 0;
	if (journal_set_aside(&s->journal, clock_now(), &where, err) < 0) {
		strbuf_release(&where);
		return -1;
	}
	strbuf_addf(&s->notice, _("the live journal of '%s' could not be read: set aside as '%s'\n"),
		    s->path, where.buf);
	strbuf_release(&where);
	return 0;
}

static int session_settle_locked(struct session *s, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;

	switch (s->journal.state) {
	case JOURNAL_BROKEN:
		return session_settle_broken(s, err);
	case JOURNAL_FOLDED:
	case JOURNAL_EDITED:
		/* Tidying only: lines appended to such a journal still apply. */
		if (session_rebase_locked(s, &why) < 0)
			strbuf_addf(&s->notice, _("cannot re-base the live journal: %s\n"), why.buf);
		strbuf_release(&why);
		return 0;
	default:
		return 0;
	}
}

/*
 * Takes out of the pending operations, about to be written after the
 * others' (the state caught up, the lock held), those whose field someone
 * else changed after they were made: into s->contested, for the caller to
 * ask about. The state is read again without them.
 */
static void session_hold_contested(struct session *s, struct strbuf *err)
{
	size_t i, kept = 0;

	for (i = 0; i < s->npending; i++) {
		if (op_contested(s->board, &s->pending[i])) {
			ALLOC_GROW(s->contested, s->ncontested + 1, s->contested_alloc);
			s->contested[s->ncontested++] = s->pending[i];
		} else {
			s->pending[kept++] = s->pending[i];
		}
	}
	if (kept == s->npending)
		return;
	s->npending = kept;
	session_reload(s, err);
}

/* Appends pending operations in order. The lock is held. RESULT_OK or RESULT_PENDING. */
static int session_flush_locked(struct session *s, struct strbuf *err)
{
	size_t i;

	if (!s->npending || session_append(s, s->pending, s->npending, err) < 0)
		return s->npending ? RESULT_PENDING : RESULT_OK;
	for (i = 0; i < s->npending; i++)
		op_release(&s->pending[i]);
	s->npending = 0;
	return RESULT_OK;
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
	char *live = file_side_path(s->path, ".live");
	int fd = lock_file_take(live, LOCK_EX, 0, &s->perm, NULL);

	free(live);
	return fd;
}

/*
 * Makes ops (already applied to the state) durable; the writers' lock is
 * held. RESULT_OK when durable, RESULT_PENDING when not.
 */
static int session_persist(struct session *s, const struct op *ops, size_t n,
			   struct strbuf *err)
{
	int alone_fd, status;

	if (!n)
		return s->npending ? RESULT_PENDING : RESULT_OK;
	if (s->mode == SESSION_WRITE && (alone_fd = session_nobody_live(s)) >= 0) {
		/* Nobody has it open live: the board file alone is the state. */
		status = session_fold_locked(s, false, false, err) < 0 ? RESULT_PENDING : RESULT_OK;
		close(alone_fd);
		return status;
	}
	if (s->npending)
		session_flush_locked(s, err);
	if (s->npending || session_append(s, ops, n, err) < 0) {
		session_pend(s, ops, n);
		return RESULT_PENDING;
	}
	return RESULT_OK;
}

int session_update(struct session *s, session_change_fn fn, void *data, struct strbuf *err)
{
	struct board_lock lock = BOARD_LOCK_INIT;
	struct op_list ops = OP_LIST_INIT;
	int status;

	if (s->mode == SESSION_READ) {
		strbuf_addstr(err, "the board is open read-only");
		return RESULT_REFUSED;
	}
	/* A command holds the lock since it loaded the board: nothing to catch up. */
	if (s->write_lock.fd < 0) {
		if (board_lock_acquire(&lock, s->path, board_lock_timeout_ms(), err) < 0)
			return errno == EWOULDBLOCK ? RESULT_BUSY : RESULT_IOERR;
		if (session_catch_up(s, err) < 0) {
			board_lock_release(&lock);
			return RESULT_NOINPUT;
		}
		session_hold_contested(s, err);
	}
	status = fn(s->board, &ops, data);
	if (status < 0) {
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

	return op_apply_record(b, one->op, ops, one->why) < 0 ? RESULT_REFUSED : RESULT_OK;
}

int session_apply(struct session *s, const struct op *op, struct strbuf *err)
{
	struct session_one one = { op, err };

	return session_update(s, session_apply_one, &one, err);
}

int session_apply_later(struct session *s, const struct op *op, struct strbuf *why)
{
	if (s->mode == SESSION_READ || session_apply_logged(s, op, why) < 0)
		return RESULT_REFUSED;
	session_pend(s, op, 1);
	return RESULT_QUEUED;
}

/* session_flush(), waiting up to timeout_ms for the writers' lock. */
static int session_flush_wait(struct session *s, int timeout_ms, struct strbuf *err)
{
	struct board_lock lock = BOARD_LOCK_INIT;
	int r;

	if (!s->npending)
		return RESULT_OK;
	if (s->write_lock.fd < 0) {
		if (board_lock_acquire(&lock, s->path, timeout_ms, err) < 0)
			return RESULT_BUSY;
		if (session_catch_up(s, err) < 0) {
			board_lock_release(&lock);
			return RESULT_PENDING;
		}
		session_hold_contested(s, err);
	}
	r = session_flush_locked(s, err);
	board_lock_release(&lock);
	return r;
}

int session_flush(struct session *s, struct strbuf *err)
{
	return session_flush_wait(s, 0, err);
}

/*
 * Reads the directory's pending inotify events: true when one names the
 * board file or its journal, or some were lost (the queue overflowed).
 * Others' files in the same directory wake the instance, but never make it
 * look at the files again.
 */
static bool session_watch_says_changed(struct session *s)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const char *board = strrchr(s->path, '/'), *journal = strrchr(s->journal.path, '/');
	char *presence_file = presence_path(s->path);
	const char *presence = strrchr(presence_file, '/');
	bool changed = false;
	ssize_t n;

	board = board ? board + 1 : s->path;
	journal = journal ? journal + 1 : s->journal.path;
	presence = presence ? presence + 1 : presence_file;
	while ((n = read(s->watch_fd, buf, sizeof(buf))) > 0) {
		const char *p = buf;

		while (p + sizeof(struct inotify_event) <= buf + n) {
			const struct inotify_event *ev = (const struct inotify_event *)(const void *)p;

			if ((ev->mask & IN_Q_OVERFLOW) ||
			    (ev->len && (!strcmp(ev->name, board) || !strcmp(ev->name, journal))))
				changed = true;
			if ((ev->mask & IN_Q_OVERFLOW) || (ev->len && !strcmp(ev->name, presence)))
				s->presence_woken = true;
			p += sizeof(*ev) + ev->len;
		}
	}
	free(presence_file);
	return changed;
}

int session_poll(struct session *s, struct strbuf *err)
{
	int r;

	/* Without a watch, the presence file is looked at as often as the rest. */
	if (s->watch_fd < 0)
		s->presence_woken = true;
	/* Woken for another file of the directory: nothing to look at. */
	if (s->watch_fd >= 0 && !session_watch_says_changed(s) && !s->npending && !s->network_fs)
		return RESULT_UNCHANGED;
	if (s->npending) {
		/* Saving them takes in the others' changes first. */
		r = session_flush(s, err);
		return r == RESULT_BUSY ? RESULT_UNCHANGED : RESULT_OK;
	}
	if (session_board_replaced(s) || journal_replaced(&s->journal)) {
		struct board_lock lock = BOARD_LOCK_INIT;

		/* Read both files as one consistent pair. */
		if (board_lock_acquire_shared(&lock, s->path, 1000, err) < 0 && errno == EWOULDBLOCK)
			return RESULT_UNCHANGED;
		r = session_reload(s, err);
		board_lock_release(&lock);
		return r < 0 ? RESULT_NOINPUT : RESULT_OK;
	}
	r = session_read_journal(s, err);
	if (r < 0)
		return RESULT_NOINPUT;
	s->last_sync = clock_now();
	return r > 0 ? RESULT_OK : RESULT_UNCHANGED;
}

int session_compact(struct session *s, struct strbuf *err)
{
	struct board_lock lock = BOARD_LOCK_INIT;
	int alone_fd, r;

	if (s->write_lock.fd < 0 &&
	    board_lock_acquire(&lock, s->path, board_lock_timeout_ms(), err) < 0)
		return errno == EWOULDBLOCK ? RESULT_BUSY : RESULT_IOERR;
	if (session_catch_up(s, err) < 0) {
		board_lock_release(&lock);
		return RESULT_NOINPUT;
	}
	if (session_flush_locked(s, err) != RESULT_OK) {
		board_lock_release(&lock);
		return RESULT_IOERR;
	}
	alone_fd = s->mode == SESSION_LIVE ? -1 : session_nobody_live(s);
	r = session_fold_locked(s, alone_fd < 0, false, err);
	if (alone_fd >= 0)
		close(alone_fd);
	board_lock_release(&lock);
	return r < 0 ? RESULT_IOERR : RESULT_OK;
}

int session_fold_abandoned(struct session *s, struct strbuf *err)
{
	struct board_lock lock = BOARD_LOCK_INIT;
	int alone_fd, r = RESULT_UNCHANGED;

	if (s->mode != SESSION_READ ||
	    (s->journal.state == JOURNAL_NONE && !journal_replaced(&s->journal)))
		return RESULT_UNCHANGED;
	alone_fd = session_nobody_live(s);
	if (alone_fd < 0)
		return RESULT_UNCHANGED;
	if (board_lock_acquire(&lock, s->path, 0, NULL) == 0) {
		if (session_catch_up(s, err) < 0)
			r = RESULT_NOINPUT;
		else if (s->journal.fd >= 0 || s->journal.state == JOURNAL_BROKEN)
			r = session_fold_locked(s, false, false, err) < 0 ? RESULT_IOERR : RESULT_OK;
		board_lock_release(&lock);
	}
	close(alone_fd);
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
	struct journal_snap snap;
	struct store_errors e;
	struct board *b = NULL;
	size_t i;
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
	session_skipped_clear(s);
	/* Whichever journal is at the path: it extends the held file, or was edited... */
	session_current_snap(s, &snap);
	if (journal_open(&s->journal, &snap, NULL) >= 0 && s->journal.fd >= 0) {
		s->journal_first = s->journal.pos;
		session_read_journal(s, NULL);
	}
	for (i = 0; i < s->npending; i++)
		session_apply_logged(s, &s->pending[i], NULL);
	return 0;
}

int session_restore_missing(struct session *s, struct strbuf *err)
{
	struct board_lock lock = BOARD_LOCK_INIT;
	struct stat st;
	int r = RESULT_IOERR;

	if (s->mode == SESSION_READ || stat(s->path, &st) == 0 || errno != ENOENT)
		return RESULT_UNCHANGED;
	if (s->write_lock.fd < 0 &&
	    board_lock_acquire(&lock, s->path, board_lock_timeout_ms(), err) < 0)
		return errno == EWOULDBLOCK ? RESULT_BUSY : RESULT_IOERR;
	if (stat(s->path, &st) == 0 || errno != ENOENT) {
		r = RESULT_UNCHANGED; /* another instance wrote it back first */
		goto out;
	}
	if (session_rebuild_held(s, err) < 0)
		goto out;
	/* Never over a file that came back meanwhile; others live get a fresh journal. */
	if (session_fold_locked(s, s->mode == SESSION_LIVE, true, err) < 0)
		goto out;
	/* The board file alone holds everything now: ours are durable. */
	session_pending_clear(s);
	r = RESULT_OK;
out:
	board_lock_release(&lock);
	return r;
}

/*
 * The last live instance leaves: the board becomes one clean file again,
 * pending changes included (they are then saved). The presence lock is
 * held exclusively.
 */
static void session_close_last(struct session *s, struct strbuf *err)
{
	struct board_lock lock = BOARD_LOCK_INIT;

	if (!s->board || board_lock_acquire(&lock, s->path, board_lock_timeout_ms(), err) < 0)
		return;
	if (session_catch_up(s, err) >= 0 &&
	    (s->journal.fd >= 0 || s->journal.state == JOURNAL_BROKEN || s->npending) &&
	    session_fold_locked(s, false, false, err) == 0)
		session_pending_clear(s);
	board_lock_release(&lock);
}

int session_close(struct session *s, struct strbuf *err)
{
	struct strbuf scratch = STRBUF_INIT, last = STRBUF_INIT;
	size_t i;

	/* A session that failed to open is closed with err NULL: reasons go nowhere. */
	if (!err)
		err = &scratch;
	/* The last try: worth waiting for a writer that holds the lock right now. */
	if (s->npending)
		session_flush_wait(s, board_lock_timeout_ms(), &last);
	session_keep_contested(s, err);
	if (s->presence_fd >= 0) {
		int alone_fd;

		close(s->presence_fd);
		s->presence_fd = -1;
		/* The last live instance to leave makes the board one clean file again. */
		alone_fd = session_nobody_live(s);
		if (alone_fd >= 0) {
			session_close_last(s, err);
			close(alone_fd);
		}
	}
	/* Report only what really failed: changes the compaction saved are saved. */
	if (s->npending && last.len && !err->len)
		strbuf_add(err, last.buf, last.len);
	i = s->npending;
	if (s->watch_fd >= 0)
		close(s->watch_fd);
	if (s->snap_fd >= 0)
		close(s->snap_fd);
	board_lock_release(&s->write_lock);
	session_pending_clear(s);
	free(s->pending);
	session_contested_clear(s);
	free(s->contested);
	session_skipped_clear(s);
	free(s->skipped);
	strbuf_release(&s->notice);
	journal_release(&s->journal);
	board_free(s->board);
	free(s->path);
	memset(s, 0, sizeof(*s));
	s->presence_fd = s->watch_fd = s->snap_fd = s->write_lock.fd = -1;
	strbuf_release(&scratch);
	strbuf_release(&last);
	return i ? RESULT_PENDING : RESULT_OK;
}
