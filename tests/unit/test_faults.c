/*
 * Fault injection along live sharing's writes (session.c, journal.c,
 * lockfile.c): the k-th write, fsync, fdatasync, rename, open, mkostemp,
 * unlink or allocation fails, for every k along an append to the journal
 * (the first, which creates it, and a later one), a command's save of the
 * board file, a compaction with an instance live (the journal is reset) and
 * alone (it is removed), and the last live instance's compaction on close.
 * The libc calls made by the core objects are wrapped (-Wl,--wrap); writes
 * are cut in two while a fault is armed, so a failed write can leave half a
 * line behind.
 *
 * After every fault: no crash; every file loads; nothing acknowledged
 * before is lost, nor the change itself when it was acknowledged; a change
 * that failed stays pending and the retry saves it once the fault is gone;
 * the instance and a fresh reader agree. A failed fsync or fdatasync also
 * cuts the file back to what was last synced, as a crash after it would, so
 * going on as if the data were safe is caught. Out of memory is fatal by design
 * (xmalloc): the allocation faults run in a child process, which must exit
 * with 71 and "out of memory" on stderr, or succeed, and the files are then
 * checked the same way.
 *
 * Also: a read-only directory and a read-only file system (EACCES, EROFS on
 * every call that would create, write or remove; the tests run as root, so
 * chmod cannot show it), and the board file deleted or replaced while a
 * session is open.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "board.h"
#include "journal.h"
#include "lockfile.h"
#include "op.h"
#include "session.h"
#include "store.h"

/* --- Fault injection ------------------------------------------------------ */

enum fault_kind {
	FAULT_WRITE,
	FAULT_FSYNC,
	FAULT_FDATASYNC,
	FAULT_RENAME,
	FAULT_OPEN,
	FAULT_MKOSTEMP,
	FAULT_UNLINK,
	FAULT_ALLOC,
	FAULT_KINDS
};

static const char *const fault_names[FAULT_KINDS] = {
	"write", "fsync", "fdatasync", "rename", "open", "mkostemp", "unlink", "alloc",
};
static const int fault_errnos[FAULT_KINDS] = {
	ENOSPC, EIO, EIO, EXDEV, EACCES, EACCES, EACCES, ENOMEM,
};

static bool armed;                      /* count (and fail) calls */
static int calls[FAULT_KINDS];
static int fail_at[FAULT_KINDS];        /* 1-based; 0: never */
static int readonly;                    /* 0, EACCES (directory) or EROFS (file system) */

static void faults_arm(enum fault_kind kind, int k)
{
	memset(calls, 0, sizeof(calls));
	memset(fail_at, 0, sizeof(fail_at));
	if (k)
		fail_at[kind] = k;
	armed = true;
}

static bool fault(enum fault_kind kind)
{
	if (!armed || ++calls[kind] != fail_at[kind])
		return false;
	errno = fault_errnos[kind];
	return true;
}

ssize_t __real_write(int fd, const void *buf, size_t n);
int __real_fsync(int fd);
int __real_fdatasync(int fd);
int __real_rename(const char *from, const char *to);
int __real_open(const char *path, int flags, ...);
int __real_mkostemp(char *tmpl, int flags);
int __real_unlink(const char *path);
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
int __wrap_fsync(int fd);
int __wrap_fdatasync(int fd);
int __wrap_rename(const char *from, const char *to);
int __wrap_open(const char *path, int flags, ...);
int __wrap_mkostemp(char *tmpl, int flags);
int __wrap_unlink(const char *path);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

/*
 * What a failed sync loses: the data written since the last good one. Each
 * descriptor remembers the size its file had when last known durable (when
 * opened, or synced); an injected fsync or fdatasync failure cuts the file
 * back to it, so code that went on as if the data were safe is caught.
 */
#define SYNCED_FDS 4096
static off_t synced[SYNCED_FDS];

static void synced_note(int fd)
{
	struct stat st;

	if (fd >= 0 && fd < SYNCED_FDS && fstat(fd, &st) == 0)
		synced[fd] = S_ISREG(st.st_mode) ? st.st_size : -1;
}

static void synced_lose(int fd)
{
	if (fd >= 0 && fd < SYNCED_FDS && synced[fd] >= 0 && ftruncate(fd, synced[fd]) < 0)
		fail_msg("cannot cut back fd %d", fd);
}

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	if (readonly == EROFS) {
		errno = EROFS;
		return -1;
	}
	if (fault(FAULT_WRITE))
		return -1;
	/* Armed: short writes, so a failure can leave half a line. */
	return __real_write(fd, buf, armed && n > 7 ? n / 2 : n);
}

int __wrap_fsync(int fd)
{
	if (fault(FAULT_FSYNC)) {
		synced_lose(fd);
		errno = EIO;
		return -1;
	}
	synced_note(fd);
	return __real_fsync(fd);
}

int __wrap_fdatasync(int fd)
{
	if (fault(FAULT_FDATASYNC)) {
		synced_lose(fd);
		errno = EIO;
		return -1;
	}
	synced_note(fd);
	return __real_fdatasync(fd);
}

int __wrap_rename(const char *from, const char *to)
{
	if (readonly) {
		errno = readonly;
		return -1;
	}
	return fault(FAULT_RENAME) ? -1 : __real_rename(from, to);
}

int __wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	struct stat st;
	int fd;

	if (flags & O_CREAT) {
		va_list ap;

		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (readonly == EROFS && (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) &&
	    ((flags & (O_WRONLY | O_RDWR | O_TRUNC)) || stat(path, &st) < 0)) {
		errno = EROFS;
		return -1;
	}
	if (readonly == EACCES && (flags & O_CREAT) && stat(path, &st) < 0) {
		errno = EACCES; /* a new name in a directory we cannot write */
		return -1;
	}
	if (fault(FAULT_OPEN))
		return -1;
	fd = __real_open(path, flags, mode);
	synced_note(fd);
	return fd;
}

int __wrap_mkostemp(char *tmpl, int flags)
{
	if (readonly) {
		errno = readonly;
		return -1;
	}
	int fd;

	if (fault(FAULT_MKOSTEMP))
		return -1;
	fd = __real_mkostemp(tmpl, flags);
	synced_note(fd);
	return fd;
}

int __wrap_unlink(const char *path)
{
	if (readonly) {
		errno = readonly;
		return -1;
	}
	return fault(FAULT_UNLINK) ? -1 : __real_unlink(path);
}

void *__wrap_malloc(size_t n)
{
	return fault(FAULT_ALLOC) ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fault(FAULT_ALLOC) ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fault(FAULT_ALLOC) ? NULL : __real_realloc(p, n);
}

/* --- A board and its changes --------------------------------------------- */

static char dir[64], path[128], jpath[160];

#include "live_fixture.h"

static void fresh_board(void)
{
	char cmd[128];
	FILE *f;

	if (dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
	}
	strcpy(dir, "/tmp/tamis-faults.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/board.yaml", dir);
	snprintf(jpath, sizeof(jpath), "%s/.board.yaml.journal", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(board_yaml, f);
	fclose(f);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	armed = false;
	readonly = 0;
	if (dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			return -1;
	}
	dir[0] = '\0';
	return 0;
}

/*
 * Makes the writers' lock file, as the first writer on a board does: readers
 * no longer take the lock, so nothing else makes it before a test turns the
 * directory read-only.
 */
static void make_lock_file(void)
{
	struct board_lock lock = BOARD_LOCK_INIT;

	assert_int_equal(board_lock_acquire(&lock, path, 0, NULL), 0);
	board_lock_release(&lock);
}

static void open_ok(struct session *s, enum session_mode mode)
{
	struct store_errors err;

	store_errors_init(&err, path);
	assert_int_equal(session_open(s, path, mode, &err), RESULT_OK);
	store_errors_release(&err);
}

static int apply_move(struct session *s, int n, int x, struct strbuf *err)
{
	struct op op;
	int r;

	live_move_op(&op, n, x, x, "faults");
	r = session_apply(s, &op, err);
	op_release(&op);
	return r;
}

/* Where card n is on the board as a fresh reader loads it (-1: does not load). */
static int placed_x(int n)
{
	struct store_errors err;
	struct session s;
	uuid_t id = { 0 };
	struct card *c;
	int x;

	store_errors_init(&err, path);
	if (session_open(&s, path, SESSION_READ, &err) < 0) {
		store_errors_release(&err);
		return -1;
	}
	store_errors_release(&err);
	id[6] = 0x40;
	id[8] = 0x80;
	id[15] = (unsigned char)n;
	c = board_find_card(s.board, id);
	x = c ? c->place[0].x : -1;
	session_close(&s, NULL);
	return x;
}

/* The board as a fresh reader loads it, as text (caller frees), or NULL. */
static char *loaded_state(void)
{
	struct store_errors err;
	struct strbuf sb = STRBUF_INIT;
	struct session s;

	store_errors_init(&err, path);
	if (session_open(&s, path, SESSION_READ, &err) < 0) {
		store_errors_release(&err);
		return NULL;
	}
	store_errors_release(&err);
	store_format(s.board, &sb);
	session_close(&s, NULL);
	return strbuf_detach(&sb, NULL);
}

static void assert_same_state(struct session *s)
{
	struct strbuf mine = STRBUF_INIT;
	char *theirs = loaded_state();

	assert_non_null(theirs);
	store_format(s->board, &mine);
	assert_string_equal(mine.buf, theirs);
	strbuf_release(&mine);
	free(theirs);
}

/* A one-line reason: no newline inside, not empty. */
static void assert_one_line(const struct strbuf *err)
{
	assert_true(err->len > 0);
	assert_null(strchr(err->buf, '\n'));
}

/* --- The operations under test -------------------------------------------- */

enum scenario {
	APPEND_FIRST,   /* a live instance's first change: creates the journal */
	APPEND_LATER,   /* a live instance's change to an existing journal */
	SAVE_ALONE,     /* a command's change with nobody live: the board is rewritten */
	COMPACT_LIVE,   /* tamis compact with an instance live: the journal is reset */
	COMPACT_ALONE,  /* tamis compact of a journal left by a killed instance */
	CLOSE_LAST,     /* the last live instance closes: it compacts */
	SCENARIOS
};

static const char *const scenario_names[SCENARIOS] = {
	"append (first)", "append", "save alone", "compact (live)", "compact (alone)",
	"close (last)",
};

/* The live instance of a scenario, open across the fault. */
static struct session live;
static bool live_open;

/*
 * Sets the scenario up: card 1 moved to (1,1) and acknowledged before the
 * fault; returns with live open when the scenario has a live instance.
 */
static void scenario_setup(enum scenario sc)
{
	struct strbuf err = STRBUF_INIT;

	fresh_board();
	live_open = false;
	if (sc == SAVE_ALONE || sc == APPEND_FIRST) {
		struct session w;

		open_ok(&w, SESSION_WRITE);
		assert_int_equal(apply_move(&w, 1, 1, &err), RESULT_OK);
		session_close(&w, NULL);
	} else if (sc == COMPACT_ALONE) {
		/* An instance killed while live: its journal stays, nobody is live. */
		pid_t pid = fork();
		int status;

		assert_true(pid >= 0);
		if (pid == 0) {
			struct session l;
			struct store_errors e;

			store_errors_init(&e, path);
			if (session_open(&l, path, SESSION_LIVE, &e) < 0 ||
			    apply_move(&l, 1, 1, &err) != 0)
				_exit(1);
			_exit(0);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		assert_int_equal(access(jpath, F_OK), 0);
	}
	if (sc != SAVE_ALONE && sc != COMPACT_ALONE) {
		open_ok(&live, SESSION_LIVE);
		live_open = true;
		if (sc != APPEND_FIRST)
			assert_int_equal(apply_move(&live, 1, 1, &err), RESULT_OK);
	}
	assert_int_equal(placed_x(1), 1);
	strbuf_release(&err);
}

/*
 * Runs the scenario's operation (armed by the caller): card 2 to (2,2), or
 * the compaction. Returns the operation's result.
 */
static int scenario_run(enum scenario sc, struct strbuf *err)
{
	struct session w;
	struct store_errors e;
	int r;

	switch (sc) {
	case APPEND_FIRST:
	case APPEND_LATER:
		return apply_move(&live, 2, 2, err);
	case SAVE_ALONE:
	case COMPACT_LIVE:
	case COMPACT_ALONE:
		store_errors_init(&e, path);
		r = session_open(&w, path, SESSION_WRITE, &e);
		if (r < 0) {
			store_errors_format(&e, err);
			strbuf_setlen(err, err->len - (err->len && err->buf[err->len - 1] == '\n'));
		}
		store_errors_release(&e);
		if (r < 0)
			return r;
		r = sc == SAVE_ALONE ? apply_move(&w, 2, 2, err) : session_compact(&w, err);
		session_close(&w, NULL);
		return r;
	case CLOSE_LAST:
		live_open = false;
		return session_close(&live, err);
	default:
		return -9;
	}
}

/*
 * After the fault is gone: what was acknowledged is there, the files load,
 * a failed change is pending and the retry saves it; everyone agrees.
 */
static void scenario_check(enum scenario sc, int r, const struct strbuf *err)
{
	struct strbuf e2 = STRBUF_INIT;
	bool is_change = sc == APPEND_FIRST || sc == APPEND_LATER || sc == SAVE_ALONE;

	if (r != RESULT_OK)
		assert_one_line(err);
	assert_int_equal(placed_x(1), 1); /* acknowledged before: never lost */
	if (is_change && r == RESULT_OK)
		assert_int_equal(placed_x(2), 2);
	if (sc == APPEND_FIRST || sc == APPEND_LATER) {
		/*
		 * Saved, pending (retried by the next flush) or nothing done (the lock
		 * could not be had, the files not read): never refused.
		 */
		assert_true(r == RESULT_OK || r == RESULT_PENDING || (r < 0 && r != RESULT_REFUSED));
		if (r == RESULT_PENDING) {
			assert_int_equal(live.npending, 1);
			assert_int_equal(session_flush(&live, &e2), RESULT_OK);
			assert_int_equal(live.npending, 0);
		} else if (r < 0) {
			assert_int_equal(apply_move(&live, 2, 2, &e2), RESULT_OK);
		}
		assert_int_equal(placed_x(2), 2);
	} else if (sc == SAVE_ALONE) {
		/* The command failed and said so; running it again works. */
		assert_true(r == RESULT_OK || r == RESULT_PENDING || (r < 0 && r != RESULT_REFUSED));
		if (r != RESULT_OK) {
			struct session w;

			open_ok(&w, SESSION_WRITE);
			assert_int_equal(apply_move(&w, 2, 2, &e2), RESULT_OK);
			session_close(&w, NULL);
		}
		assert_int_equal(placed_x(2), 2);
	} else if (sc == COMPACT_LIVE || sc == COMPACT_ALONE) {
		struct session w;

		assert_true(r == RESULT_OK || (r < 0 && r != RESULT_REFUSED));
		open_ok(&w, SESSION_WRITE);
		assert_int_equal(session_compact(&w, &e2), RESULT_OK);
		session_close(&w, NULL);
		assert_int_equal(placed_x(1), 1);
		if (sc == COMPACT_ALONE)
			assert_int_equal(access(jpath, F_OK), -1); /* one clean file again */
	}
	if (live_open) {
		/* The live instance goes on: takes in what changed, and saves. */
		assert_true(session_poll(&live, &e2) >= 0);
		assert_same_state(&live);
		assert_int_equal(apply_move(&live, 3, 3, &e2), RESULT_OK);
		assert_int_equal(placed_x(3), 3);
		assert_same_state(&live);
		assert_int_equal(session_close(&live, NULL), RESULT_OK);
		live_open = false;
	}
	/* And the board is one clean file again, which loads. */
	assert_int_equal(placed_x(1), 1);
	strbuf_release(&e2);
}

/* How many calls of each kind the scenario makes, without faults. */
static void scenario_count(enum scenario sc, int counts[FAULT_KINDS])
{
	struct strbuf err = STRBUF_INIT;
	int r;

	scenario_setup(sc);
	faults_arm(FAULT_WRITE, 0);
	r = scenario_run(sc, &err);
	armed = false;
	memcpy(counts, calls, sizeof(calls));
	assert_int_equal(r, 0);
	scenario_check(sc, r, &err);
	strbuf_release(&err);
}

static int points_total, faults_hit;

/* Every k of every kind but allocations, in this process. */
static void test_every_fault(void **state)
{
	int sc, kind, k;

	(void)state;
	for (sc = 0; sc < SCENARIOS; sc++) {
		int counts[FAULT_KINDS];
		struct strbuf line = STRBUF_INIT;

		scenario_count(sc, counts);
		strbuf_addf(&line, "# %-16s", scenario_names[sc]);
		for (kind = 0; kind < FAULT_KINDS; kind++) {
			strbuf_addf(&line, " %s %d", fault_names[kind], counts[kind]);
			if (kind == FAULT_ALLOC)
				continue;
			for (k = 1; k <= counts[kind]; k++) {
				struct strbuf err = STRBUF_INIT;
				int r;

				scenario_setup(sc);
				faults_arm(kind, k);
				r = scenario_run(sc, &err);
				armed = false;
				points_total++;
				if (r != 0)
					faults_hit++;
				scenario_check(sc, r, &err);
				strbuf_release(&err);
			}
		}
		printf("%s\n", line.buf);
		strbuf_release(&line);
	}
	printf("# %d fault points, %d of them made the operation fail\n", points_total,
	       faults_hit);
	assert_true(points_total > 100);
	assert_true(faults_hit > 50);
}

/*
 * Every allocation: in a child, which must either succeed or die with 71 and
 * a message; the files are then checked as after any other fault.
 */
static void test_every_allocation(void **state)
{
	int sc, k, died = 0, total = 0;

	(void)state;
	for (sc = 0; sc < SCENARIOS; sc++) {
		int counts[FAULT_KINDS];

		scenario_count(sc, counts);
		assert_true(counts[FAULT_ALLOC] > 0);
		for (k = 1; k <= counts[FAULT_ALLOC]; k++) {
			struct strbuf err = STRBUF_INIT;
			char msg[256] = "";
			int pipefd[2], status, r;
			ssize_t n;
			pid_t pid;

			scenario_setup(sc);
			assert_int_equal(pipe(pipefd), 0);
			fflush(stdout);
			pid = fork();
			assert_true(pid >= 0);
			if (pid == 0) {
				dup2(pipefd[1], 2);
				close(pipefd[0]);
				faults_arm(FAULT_ALLOC, k);
				r = scenario_run(sc, &err);
				armed = false;
				_exit(r == 0 ? 0 : 3);
			}
			close(pipefd[1]);
			/* The child owns the live instance now: drop ours quietly. */
			if (live_open) {
				close(live.presence_fd);
				live.presence_fd = -1;
				session_close(&live, NULL);
				live_open = false;
			}
			n = read(pipefd[0], msg, sizeof(msg) - 1);
			msg[n > 0 ? n : 0] = '\0';
			close(pipefd[0]);
			assert_int_equal(waitpid(pid, &status, 0), pid);
			assert_true(WIFEXITED(status)); /* never a crash */
			total++;
			if (WEXITSTATUS(status) == 71) {
				died++;
				assert_non_null(strstr(msg, "tamis: out of memory"));
				assert_ptr_equal(strchr(msg, '\n'), msg + strlen(msg) - 1); /* one line */
			} else {
				assert_int_equal(WEXITSTATUS(status), 0);
			}
			/* Acknowledged before: there. The change: all or nothing. */
			assert_int_equal(placed_x(1), 1);
			if (WEXITSTATUS(status) == 0 && sc != COMPACT_LIVE && sc != COMPACT_ALONE &&
			    sc != CLOSE_LAST)
				assert_int_equal(placed_x(2), 2);
			assert_true(placed_x(2) == 0 || placed_x(2) == 2);
			strbuf_release(&err);
		}
	}
	printf("# allocations: %d points, %d died cleanly of it (status 71)\n", total, died);
	assert_true(died > 0);
}

/* --- Read-only places ----------------------------------------------------- */

/* A directory where nothing can be created, renamed or removed (EACCES). */
static void test_readonly_directory(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session w, l, m;
	char *before;

	(void)state;
	fresh_board();
	before = loaded_state();
	/* A command cannot even take the lock when its file cannot be made: one line. */
	readonly = EACCES;
	{
		struct store_errors e;

		store_errors_init(&e, path);
		assert_int_equal(session_open(&w, path, SESSION_WRITE, &e), RESULT_NOINPUT);
		assert_int_equal(e.n, 1);
		assert_non_null(strstr(e.v[0].message, "Permission denied"));
		store_errors_release(&e);
	}
	readonly = 0;
	make_lock_file();
	/* A command: refused with one line, the board intact; works once writable. */
	readonly = EACCES;
	open_ok(&w, SESSION_WRITE);
	assert_int_equal(apply_move(&w, 1, 1, &err), RESULT_PENDING);
	assert_one_line(&err);
	assert_non_null(strstr(err.buf, "Permission denied"));
	session_close(&w, NULL);
	readonly = 0;
	{
		char *now = loaded_state();

		assert_string_equal(now, before);
		free(now);
	}
	open_ok(&w, SESSION_WRITE);
	strbuf_reset(&err);
	assert_int_equal(apply_move(&w, 1, 1, &err), RESULT_OK);
	session_close(&w, NULL);
	assert_int_equal(placed_x(1), 1);

	/* A live instance without a journal yet: pending, then saved. */
	readonly = EACCES;
	open_ok(&l, SESSION_LIVE);
	strbuf_reset(&err);
	assert_int_equal(apply_move(&l, 2, 2, &err), RESULT_PENDING);
	assert_one_line(&err);
	assert_int_equal(l.npending, 1);
	assert_int_equal(session_flush(&l, &err), RESULT_PENDING); /* still read-only */
	readonly = 0;
	assert_int_equal(session_flush(&l, &err), RESULT_OK);
	assert_int_equal(placed_x(2), 2);
	/* With the journal there, appending to it needs no directory write. */
	readonly = EACCES;
	open_ok(&m, SESSION_LIVE);
	assert_int_equal(apply_move(&m, 3, 3, &err), RESULT_OK);
	assert_int_equal(session_poll(&l, &err), RESULT_OK);
	assert_same_state(&l);
	/* The last one out cannot compact here: nothing lost, it says why. */
	session_close(&m, NULL);
	strbuf_reset(&err);
	session_close(&l, &err);
	assert_one_line(&err);
	readonly = 0;
	assert_int_equal(placed_x(3), 3);
	free(before);
	strbuf_release(&err);
}

/* A read-only file system (EROFS): the board and its journal still load. */
static void test_readonly_filesystem(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session l, r;

	(void)state;
	fresh_board();
	open_ok(&l, SESSION_LIVE);
	assert_int_equal(apply_move(&l, 1, 1, &err), RESULT_OK); /* in the journal */
	readonly = EROFS;
	/* A reader sees the journal's changes. */
	assert_int_equal(placed_x(1), 1);
	/* A live instance opened now can read, not write: pending, one line. */
	open_ok(&r, SESSION_LIVE);
	assert_int_equal(apply_move(&r, 2, 2, &err), RESULT_PENDING);
	assert_one_line(&err);
	assert_non_null(strstr(err.buf, "Read-only file system"));
	readonly = 0;
	assert_int_equal(session_flush(&r, &err), RESULT_OK);
	assert_int_equal(placed_x(2), 2);
	session_close(&r, NULL);
	session_close(&l, NULL);
	assert_int_equal(access(jpath, F_OK), -1);
	assert_int_equal(placed_x(1), 1);
	assert_int_equal(placed_x(2), 2);
	strbuf_release(&err);
}

/*
 * Closing with a change still pending while a writer holds the lock for a
 * moment: the last try waits for the lock (it used to try once, and the UI
 * then wrote a rescue copy of a change the compaction saved anyway).
 */
static void test_close_waits_for_the_lock(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session l;
	int ready[2];
	char c;
	pid_t pid;

	(void)state;
	fresh_board();
	make_lock_file();
	open_ok(&l, SESSION_LIVE);
	readonly = EACCES; /* no journal can be made: pending */
	assert_int_equal(apply_move(&l, 2, 2, &err), RESULT_PENDING);
	readonly = 0;
	assert_int_equal(l.npending, 1);
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct board_lock lock = BOARD_LOCK_INIT;

		if (board_lock_acquire(&lock, path, 1000, NULL) < 0)
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		usleep(300 * 1000);
		_exit(0);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	strbuf_reset(&err);
	assert_int_equal(session_close(&l, &err), RESULT_OK);
	assert_int_equal(placed_x(2), 2);
	waitpid(pid, NULL, 0);
	close(ready[0]);
	close(ready[1]);
	strbuf_release(&err);
}

/*
 * The last instance closes with a change pending whose last try fails (the
 * journal's sync fails once more), but its compaction writes the board file
 * with everything: the change is saved, and the close must say so (it used
 * to report it unsaved, and the UI wrote a rescue copy and exited 74).
 */
static void test_close_saves_pending_by_compaction(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session l;

	(void)state;
	fresh_board();
	make_lock_file();
	open_ok(&l, SESSION_LIVE);
	assert_int_equal(apply_move(&l, 1, 1, &err), RESULT_OK); /* the journal exists */
	faults_arm(FAULT_FDATASYNC, 1);
	strbuf_reset(&err);
	assert_int_equal(apply_move(&l, 2, 2, &err), RESULT_PENDING);
	assert_int_equal(l.npending, 1);
	/* The close's last try of the append fails again; the compaction syncs by fsync. */
	faults_arm(FAULT_FDATASYNC, 1);
	strbuf_reset(&err);
	assert_int_equal(session_close(&l, &err), RESULT_OK);
	armed = false;
	assert_int_equal(err.len, 0);
	assert_int_equal(placed_x(1), 1);
	assert_int_equal(placed_x(2), 2);
	assert_int_equal(access(jpath, F_OK), -1);
	strbuf_release(&err);
}

/* --- The board file deleted or replaced while open ------------------------- */

static void test_board_deleted_while_open(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session a, b;
	char cmd[512];

	(void)state;
	fresh_board();
	open_ok(&a, SESSION_LIVE);
	open_ok(&b, SESSION_LIVE);
	assert_int_equal(apply_move(&a, 1, 1, &err), RESULT_OK);
	snprintf(cmd, sizeof(cmd), "mv '%s' '%s.away'", path, path);
	assert_int_equal(system(cmd), 0);
	/* A change cannot be made: nothing done, one line naming the file. */
	assert_int_equal(apply_move(&a, 2, 2, &err), RESULT_NOINPUT);
	assert_one_line(&err);
	assert_non_null(strstr(err.buf, "board.yaml"));
	assert_int_equal(a.npending, 0);
	/* The file comes back: it goes on. */
	snprintf(cmd, sizeof(cmd), "mv '%s.away' '%s'", path, path);
	assert_int_equal(system(cmd), 0);
	strbuf_reset(&err);
	assert_int_equal(apply_move(&a, 2, 2, &err), RESULT_OK);
	assert_int_equal(placed_x(2), 2);

	/*
	 * Gone for good, after b saved a change a has not read yet: a writes the
	 * board back with b's change too (from the journal), not from its screen.
	 */
	assert_int_equal(apply_move(&b, 3, 3, &err), RESULT_OK);
	snprintf(cmd, sizeof(cmd), "rm '%s'", path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(session_restore_missing(&b, &err), RESULT_OK);
	assert_int_equal(session_restore_missing(&a, &err), RESULT_UNCHANGED); /* b did it first */
	assert_int_equal(placed_x(1), 1);
	assert_int_equal(placed_x(2), 2);
	assert_int_equal(placed_x(3), 3);
	assert_int_equal(session_poll(&a, &err), RESULT_OK);
	assert_same_state(&a);
	snprintf(cmd, sizeof(cmd), "rm '%s'", path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(apply_move(&b, 3, 1, &err), RESULT_NOINPUT);
	strbuf_reset(&err);
	assert_int_equal(session_restore_missing(&a, &err), RESULT_OK); /* a had not read b's */
	assert_int_equal(placed_x(3), 3);
	assert_int_equal(apply_move(&b, 3, 1, &err), RESULT_OK);
	assert_int_equal(apply_move(&a, 1, 2, &err), RESULT_OK);
	assert_same_state(&a);
	assert_int_equal(session_poll(&b, &err), RESULT_OK);
	assert_same_state(&b);
	session_close(&a, NULL);
	session_close(&b, NULL);
	assert_int_equal(placed_x(1), 2);
	assert_int_equal(placed_x(3), 1);
	assert_int_equal(access(jpath, F_OK), -1);
	strbuf_release(&err);
}

static void test_board_replaced_while_open(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session l;
	FILE *f;

	(void)state;
	fresh_board();
	open_ok(&l, SESSION_LIVE);
	assert_int_equal(apply_move(&l, 1, 1, &err), RESULT_OK);
	/* Someone writes another board over it, in place (same inode). */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(board_yaml, f);
	fputs("  - id: 00000000-0000-4000-8000-000000000004\n"
	      "    text: four\n"
	      "    theme: t\n"
	      "    decision: undecided\n", f);
	fclose(f);
	/* The instance takes it in, and its changes go on top of it. */
	assert_int_equal(session_poll(&l, &err), RESULT_OK);
	assert_int_equal(l.board->ncards, 4);
	assert_int_equal(apply_move(&l, 4, 3, &err), RESULT_OK);
	assert_int_equal(placed_x(4), 3);
	assert_same_state(&l);
	session_close(&l, NULL);
	assert_int_equal(placed_x(4), 3);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_every_fault, teardown),
		cmocka_unit_test_teardown(test_every_allocation, teardown),
		cmocka_unit_test_teardown(test_readonly_directory, teardown),
		cmocka_unit_test_teardown(test_readonly_filesystem, teardown),
		cmocka_unit_test_teardown(test_close_saves_pending_by_compaction, teardown),
		cmocka_unit_test_teardown(test_close_waits_for_the_lock, teardown),
		cmocka_unit_test_teardown(test_board_deleted_while_open, teardown),
		cmocka_unit_test_teardown(test_board_replaced_while_open, teardown),
	};

	return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
