/*
 * Unit tests for live sharing: sessions on one board in several processes
 * (flock and inotify behave between processes as between machines' users),
 * the journal's torn-line and stale-journal handling, pending changes, and
 * convergence of concurrent writers. A reader that found no journal before
 * reading the board, and one after, is made to happen by -Wl,--wrap=access.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "board.h"
#include "fileio.h"
#include "journal.h"
#include "op.h"
#include "session.h"
#include "store.h"

static char dir[64], path[128], jpath[160];

/* When set, access() says the journal is not there, once (as if it came just after). */
static bool hide_journal;

int __real_access(const char *p, int mode);
int __wrap_access(const char *p, int mode);

int __wrap_access(const char *p, int mode)
{
	if (hide_journal && !strcmp(p, jpath)) {
		hide_journal = false;
		errno = ENOENT;
		return -1;
	}
	return __real_access(p, mode);
}

#include "live_fixture.h"

static int setup(void **state)
{
	FILE *f;

	(void)state;
	strcpy(dir, "/tmp/tamis-session.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/board.yaml", dir);
	snprintf(jpath, sizeof(jpath), "%s/.board.yaml.journal", dir);
	f = fopen(path, "w");
	fputs(board_yaml, f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void open_ok(struct session *s, enum session_mode mode)
{
	struct store_errors err;

	store_errors_init(&err, path);
	assert_int_equal(session_open(s, path, mode, &err), RESULT_OK);
	store_errors_release(&err);
}


/* The state of a board as text, for comparing instances. */
static char *state_of(struct board *b)
{
	struct strbuf sb = STRBUF_INIT;

	store_format(b, &sb);
	return strbuf_detach(&sb, NULL);
}

/* Two instances show the same board. */
static void assert_same_state(struct board *x, struct board *y)
{
	char *sx = state_of(x), *sy = state_of(y);

	assert_string_equal(sx, sy);
	free(sx);
	free(sy);
}


static void test_write_alone_rewrites_the_board(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session s;
	struct op op;
	char *text;

	(void)state;
	open_ok(&s, SESSION_WRITE);
	live_move_op(&op, 1, 1, 3, "A");
	assert_int_equal(session_apply(&s, &op, &err), RESULT_OK);
	session_close(&s, NULL);
	op_release(&op);
	/* Nobody live: the board file alone holds the change, no journal. */
	assert_int_equal(access(jpath, F_OK), -1);
	text = live_file_text(path);
	assert_non_null(strstr(text, "g: [1, 3]"));
	free(text);
	strbuf_release(&err);
}

static void test_live_sessions_see_each_other(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session a, b, w;
	struct op op;
	char *sa;

	(void)state;
	open_ok(&a, SESSION_LIVE);
	open_ok(&b, SESSION_LIVE);
	assert_true(session_shared(&a));
	live_move_op(&op, 2, 3, 1, "A");
	assert_int_equal(session_apply(&a, &op, &err), RESULT_OK);
	op_release(&op);
	/* The change went to the journal, and b applies it. */
	assert_int_equal(access(jpath, F_OK), 0);
	assert_int_equal(session_poll(&b, &err), RESULT_OK);
	assert_int_equal(live_card(b.board, 2)->place[0].x, 3);
	assert_int_equal(session_poll(&b, &err), RESULT_UNCHANGED);
	/* A command while instances are live appends to the journal too. */
	open_ok(&w, SESSION_WRITE);
	live_move_op(&op, 3, 2, 2, "cli");
	assert_int_equal(session_apply(&w, &op, &err), RESULT_OK);
	session_close(&w, NULL);
	op_release(&op);
	assert_int_equal(session_poll(&a, &err), RESULT_OK);
	assert_int_equal(session_poll(&b, &err), RESULT_OK);
	assert_same_state(a.board, b.board);
	/* The last one out folds the journal into the board file. */
	session_close(&a, NULL);
	assert_int_equal(access(jpath, F_OK), 0);
	session_close(&b, NULL);
	assert_int_equal(access(jpath, F_OK), -1);
	sa = live_file_text(path);
	assert_non_null(strstr(sa, "g: [3, 1]"));
	assert_non_null(strstr(sa, "g: [2, 2]"));
	free(sa);
	strbuf_release(&err);
}

/*
 * A reader with no journal reads no CRC of the board (snap_crc stays 0);
 * nor does a command, until it writes a journal (it reads it from the file
 * then). A reader whose journal came while it read the board reads it
 * again, with the CRC its header names: the journal is current, its change
 * applied.
 */
static void test_reader_and_a_journal_that_comes(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session r, w, live;
	struct op op;

	(void)state;
	open_ok(&r, SESSION_READ);
	assert_int_equal(r.journal.state, JOURNAL_NONE);
	assert_int_equal(r.snap_crc, 0);
	session_close(&r, NULL);

	open_ok(&live, SESSION_LIVE);
	open_ok(&w, SESSION_WRITE);
	assert_false(w.snap_crc_known);
	live_move_op(&op, 2, 3, 1, "A");
	assert_int_equal(session_apply(&w, &op, &err), 0);
	assert_true(w.snap_crc_known);
	assert_int_equal(w.snap_crc, live.snap_crc);
	session_close(&w, NULL);
	op_release(&op);
	assert_int_equal(access(jpath, F_OK), 0);

	hide_journal = true;
	open_ok(&r, SESSION_READ);
	assert_false(hide_journal);
	assert_int_equal(r.journal.state, JOURNAL_CURRENT);
	assert_int_equal(r.snap_crc, live.snap_crc);
	assert_int_equal(live_card(r.board, 2)->place[0].x, 3);
	assert_int_equal(r.notice.len, 0);
	session_close(&r, NULL);
	session_close(&live, NULL);
	strbuf_release(&err);
}

static void test_refused_op_changes_nothing(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session a;
	struct op op;

	(void)state;
	open_ok(&a, SESSION_LIVE);
	live_move_op(&op, 9, 1, 1, "A"); /* no such card */
	assert_int_equal(session_apply(&a, &op, &err), RESULT_REFUSED);
	assert_non_null(strstr(err.buf, "no card"));
	op_release(&op);
	assert_int_equal(access(jpath, F_OK), -1);
	session_close(&a, NULL);
	strbuf_release(&err);
}

static void test_torn_and_stale_journals(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session a, b;
	struct op op;
	int fd;

	(void)state;
	open_ok(&a, SESSION_LIVE);
	live_move_op(&op, 1, 2, 2, "A");
	assert_int_equal(session_apply(&a, &op, &err), RESULT_OK);
	op_release(&op);
	/* A writer killed mid-line leaves a torn tail. */
	fd = open(jpath, O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "0badc0de {op: mo", 16), 16);
	close(fd);
	live_move_op(&op, 2, 3, 3, "A");
	assert_int_equal(session_apply(&a, &op, &err), RESULT_OK);
	op_release(&op);
	/* A fresh reader skips the torn line with a count, and keeps the rest. */
	open_ok(&b, SESSION_READ);
	assert_int_equal(b.torn, 1);
	assert_int_equal(live_card(b.board, 1)->place[0].x, 2);
	assert_int_equal(live_card(b.board, 2)->place[0].x, 3);
	session_close(&b, NULL);
	session_close(&a, NULL);
	/* After compaction a leftover journal of the old board is ignored. */
	fd = open(jpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	{
		const char stale[] = "tamis-journal 1 12 00000000\n";
		assert_int_equal(write(fd, stale, sizeof(stale) - 1), (ssize_t)sizeof(stale) - 1);
	}
	close(fd);
	open_ok(&b, SESSION_READ);
	assert_int_equal(live_card(b.board, 2)->place[0].x, 3);
	session_close(&b, NULL);
	strbuf_release(&err);
}

/* A write that fails stays pending, shown as such, and is retried. */
static void test_pending_then_flushed(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session a, b;
	struct rlimit old, small;
	struct op op;

	(void)state;
	open_ok(&a, SESSION_LIVE);
	open_ok(&b, SESSION_LIVE);
	live_move_op(&op, 1, 1, 1, "A");
	assert_int_equal(session_apply(&a, &op, &err), RESULT_OK); /* creates the journal */
	op_release(&op);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	small = old;
	small.rlim_cur = 10; /* every append now fails */
	setrlimit(RLIMIT_FSIZE, &small);
	live_move_op(&op, 3, 3, 3, "A");
	strbuf_reset(&err);
	assert_int_equal(session_apply(&a, &op, &err), RESULT_PENDING);
	op_release(&op);
	assert_int_equal(a.npending, 1);
	assert_int_equal(live_card(a.board, 3)->place[0].x, 3); /* shown here */
	setrlimit(RLIMIT_FSIZE, &old);
	assert_int_equal(session_poll(&b, &err), RESULT_OK);
	assert_int_equal(live_card(b.board, 3)->place[0].x, 0); /* not yet there */
	assert_int_equal(session_flush(&a, &err), RESULT_OK);
	assert_int_equal(a.npending, 0);
	assert_int_equal(session_poll(&b, &err), RESULT_OK);
	assert_int_equal(live_card(b.board, 3)->place[0].x, 3);
	session_close(&a, NULL);
	session_close(&b, NULL);
	strbuf_release(&err);
}

/*
 * A compaction while another instance is live writes a board of many 64 KiB
 * pieces and starts a fresh journal stamped with the new file's size and
 * CRC-32. Both instances' next changes go to that journal, and an instance
 * opened afterwards takes the journal as current: it sees them.
 */
static void test_compaction_of_a_big_board(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct store_errors errs;
	struct session a, b, c;
	struct board *big;
	struct op op;
	struct stat st;
	char text[256], *sb;
	int k;

	(void)state;
	store_errors_init(&errs, path);
	assert_int_equal(store_load(path, &big, &errs), 0);
	store_errors_release(&errs);
	for (k = 0; k < 1500; k++) {
		uuid_t id = { 0 };

		id[6] = 0x40;
		id[8] = 0x80;
		id[13] = 1;
		id[14] = (unsigned char)(k >> 8);
		id[15] = (unsigned char)k;
		snprintf(text, sizeof(text), "Idée n° %d : « permanence » d’accueil, %0*d", k, 100, k);
		assert_non_null(board_add_card(big, id, text, 0));
	}
	assert_int_equal(store_save(path, big, &err), 0);
	board_free(big);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 3 * 65536);

	open_ok(&a, SESSION_LIVE);
	open_ok(&b, SESSION_LIVE);
	live_move_op(&op, 1, 2, 2, "A");
	assert_int_equal(session_apply(&a, &op, &err), RESULT_OK);
	op_release(&op);
	assert_int_equal(session_compact(&a, &err), RESULT_OK);
	/* The file holds a's change now, and the journal is b's to append to. */
	sb = live_file_text(path);
	assert_non_null(sb);
	assert_non_null(strstr(sb, "g: [2, 2]"));
	free(sb);
	assert_int_equal(access(jpath, F_OK), 0);
	live_move_op(&op, 3, 1, 3, "A");
	assert_int_equal(session_apply(&a, &op, &err), RESULT_OK);
	op_release(&op);
	live_move_op(&op, 2, 3, 3, "B");
	assert_int_equal(session_apply(&b, &op, &err), RESULT_OK);
	op_release(&op);
	open_ok(&c, SESSION_LIVE);
	assert_int_equal(live_card(c.board, 1)->place[0].x, 2);
	assert_int_equal(live_card(c.board, 2)->place[0].x, 3);
	assert_int_equal(live_card(c.board, 3)->place[0].x, 1);
	assert_int_equal(c.board->ncards, b.board->ncards);
	assert_same_state(b.board, c.board);
	session_close(&a, NULL);
	session_close(&b, NULL);
	session_close(&c, NULL);
	strbuf_release(&err);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Another process applies a change within 100 ms, woken by its descriptor. */
static void test_latency(void **state)
{
	struct strbuf err = STRBUF_INIT;
	int ready[2], done[2], status;
	struct session a;
	struct op op;
	double t0, dt;
	char c;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(done), 0);
	pid = fork();
	if (pid == 0) {
		struct session b;
		struct store_errors e;
		struct pollfd pfd;

		store_errors_init(&e, path);
		if (session_open(&b, path, SESSION_LIVE, &e) < 0)
			_exit(2);
		pfd.fd = session_fd(&b);
		pfd.events = POLLIN;
		(void)!write(ready[1], "r", 1);
		for (;;) {
			if (poll(&pfd, 1, 2000) <= 0)
				_exit(3);
			session_poll(&b, &err);
			if (live_card(b.board, 1)->place[0].x == 2)
				break;
		}
		(void)!write(done[1], "d", 1);
		session_close(&b, NULL);
		_exit(0);
	}
	open_ok(&a, SESSION_LIVE);
	assert_int_equal(read(ready[0], &c, 1), 1);
	live_move_op(&op, 1, 2, 3, "A");
	t0 = now_ms();
	assert_int_equal(session_apply(&a, &op, &err), RESULT_OK);
	assert_int_equal(read(done[0], &c, 1), 1);
	dt = now_ms() - t0;
	op_release(&op);
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(dt < 100.0);
	session_close(&a, NULL);
	strbuf_release(&err);
}

/* One random operation, as an instance's user would make it. */
static void random_op(struct board *b, unsigned *seed, int who, int k, struct op *op)
{
	static const char *const words[] = { "Réception", "colis", "😀", "« vite »", "漢字" };
	unsigned r;

	*seed = *seed * 1103515245u + 12345u;
	r = *seed >> 8;
	memset(op, 0, sizeof(*op));
	op->at = 1000 + k;
	op->by = malloc(8);
	snprintf(op->by, 8, "P%d", who);
	if (b->ncards == 0 || r % 10 == 0) {
		struct card *c = calloc(1, sizeof(*c));

		uuid_generate_random(c->id);
		c->text = strdup(words[r % 5]);
		c->place = calloc(b->ngrids, sizeof(*c->place));
		op->kind = OP_ADD;
		op->card_data = c;
		op->x = (int)b->ncards;
		return;
	}
	memcpy(op->card, b->cards[(r >> 4) % b->ncards]->id, sizeof(uuid_t));
	switch (r % 7) {
	case 0:
		op->kind = OP_TEXT;
		op->text = strdup(words[(r >> 7) % 5]);
		break;
	case 1:
		op->kind = OP_DECIDE;
		op->facilitator = true;
		op->value = (int)((r >> 7) % DECISION_COUNT);
		break;
	case 2:
		if (b->ncards > 3) {
			op->kind = OP_DELETE;
			break;
		}
		/* fall through */
	default:
		op->kind = OP_MOVE;
		op->grid = strdup("g");
		op->x = (int)((r >> 9) % 4);
		op->y = op->x ? (int)((r >> 13) % 3) + 1 : 0;
		break;
	}
}

#define WRITERS 4
#define OPS 500

static void child_writer(int who, int done_fd, int go_fd, int end_fd)
{
	struct strbuf err = STRBUF_INIT;
	struct store_errors e;
	struct session s;
	unsigned seed = 977u * (unsigned)(who + 1);
	char name[200], c;
	char *text;
	FILE *f;
	int k, r;

	store_errors_init(&e, path);
	if (session_open(&s, path, SESSION_LIVE, &e) < 0) {
		struct strbuf m = STRBUF_INIT;

		store_errors_format(&e, &m);
		fprintf(stderr, "writer %d: %s", who, m.buf);
		_exit(2);
	}
	for (k = 0; k < OPS; k++) {
		struct op op;

		random_op(s.board, &seed, who, k, &op);
		strbuf_reset(&err);
		r = session_apply(&s, &op, &err);
		if (r < 0 && r != RESULT_REFUSED) {
			fprintf(stderr, "writer %d: %s\n", who, err.buf);
			_exit(3);
		}
		op_release(&op);
		if (k % 7 == 0)
			session_poll(&s, &err);
	}
	if (session_flush(&s, &err) != 0) {
		fprintf(stderr, "writer %d: flush: %s\n", who, err.buf);
		_exit(4);
	}
	(void)!write(done_fd, "d", 1);
	if (read(go_fd, &c, 1) != 1)
		_exit(5);
	session_poll(&s, &err);
	text = state_of(s.board);
	snprintf(name, sizeof(name), "%s/state.%d", dir, who);
	f = fopen(name, "w");
	fputs(text, f);
	fclose(f);
	free(text);
	(void)!write(done_fd, "s", 1);
	/* Stay open until every instance has written its state. */
	if (read(end_fd, &c, 1) != 1)
		_exit(6);
	session_close(&s, NULL);
	strbuf_release(&err);
	_exit(0);
}

/*
 * 4 processes each apply 500 random operations to one board at the same
 * time; afterwards every instance's state, a replay from scratch and the
 * compacted file are identical.
 */
/* Reads one byte from fd within 60 s; false when every writer end closed or time ran out. */
static bool read_one(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char c;

	return poll(&p, 1, 60000) == 1 && read(fd, &c, 1) == 1;
}

static void test_convergence(void **state)
{
	int done[2], go[2], end[2], i, status;
	pid_t pids[WRITERS];
	char *states[WRITERS], name[200], *replay, *file, *initial;
	struct session r;

	(void)state;
	open_ok(&r, SESSION_READ);
	initial = state_of(r.board);
	session_close(&r, NULL);
	assert_int_equal(pipe(done), 0);
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(end), 0);
	for (i = 0; i < WRITERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			free(initial); /* the parent's: a child that exits leaks nothing */
			close(done[0]);
			close(go[1]);
			close(end[1]);
			child_writer(i, done[1], go[0], end[0]);
		}
	}
	close(done[1]);
	close(go[0]);
	close(end[0]);
	for (i = 0; i < WRITERS; i++)
		assert_true(read_one(done[0]));
	/* Everyone has written everything: a replay from scratch now. */
	open_ok(&r, SESSION_READ);
	replay = state_of(r.board);
	assert_string_not_equal(replay, initial);
	session_close(&r, NULL);
	for (i = 0; i < WRITERS; i++)
		assert_int_equal(write(go[1], "g", 1), 1);
	for (i = 0; i < WRITERS; i++)
		assert_true(read_one(done[0]));
	/* A second pipe: a fast child must not take another's first "go". */
	for (i = 0; i < WRITERS; i++)
		assert_int_equal(write(end[1], "e", 1), 1);
	close(go[1]);
	close(end[1]);
	close(done[0]);
	for (i = 0; i < WRITERS; i++) {
		waitpid(pids[i], &status, 0);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	for (i = 0; i < WRITERS; i++) {
		snprintf(name, sizeof(name), "%s/state.%d", dir, i);
		states[i] = live_file_text(name);
		assert_non_null(states[i]);
		assert_string_equal(states[i], replay);
	}
	/* The last instance out compacted: the file is the state, no journal. */
	assert_int_equal(access(jpath, F_OK), -1);
	file = live_file_text(path);
	assert_string_equal(file, replay);
	free(file);
	for (i = 0; i < WRITERS; i++)
		free(states[i]);
	free(replay);
	free(initial);
}

/*
 * An instance is woken by any file written in the board's directory; only
 * the board's own files make it look at them again (the wake-up is read
 * and dropped for the rest). last_sync says when it last looked.
 */
static void test_wakes_only_for_its_files(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session a, w;
	struct op op;
	char other[200];
	FILE *f;

	(void)state;
	setenv("TAMIS_TIME_NOW", "100", 1);
	open_ok(&a, SESSION_LIVE);
	open_ok(&w, SESSION_WRITE);
	live_move_op(&op, 1, 1, 1, "w");
	assert_int_equal(session_apply(&w, &op, &err), RESULT_OK);
	op_release(&op);
	session_close(&w, NULL);
	setenv("TAMIS_TIME_NOW", "200", 1);
	assert_int_equal(session_poll(&a, &err), RESULT_OK); /* the journal: looked at */
	assert_int_equal(a.last_sync, 200);
	setenv("TAMIS_TIME_NOW", "300", 1);
	snprintf(other, sizeof(other), "%s/notes.txt", dir);
	f = fopen(other, "w");
	fputs("autre chose\n", f);
	fclose(f);
	assert_int_equal(session_poll(&a, &err), RESULT_UNCHANGED);
	assert_int_equal(a.last_sync, 200); /* not looked at */
	unsetenv("TAMIS_TIME_NOW");
	session_close(&a, NULL);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_alone_rewrites_the_board, setup, teardown),
		cmocka_unit_test_setup_teardown(test_live_sessions_see_each_other, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_and_a_journal_that_comes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_op_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_and_stale_journals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_then_flushed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compaction_of_a_big_board, setup, teardown),
		cmocka_unit_test_setup_teardown(test_latency, setup, teardown),
		cmocka_unit_test_setup_teardown(test_convergence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wakes_only_for_its_files, setup, teardown),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
