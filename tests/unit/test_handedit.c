/*
 * Unit tests for what live sharing must never lose when something happens
 * to the files under it (issue "nothing acknowledged is ever lost"):
 *
 *  - the board file edited under a journal that holds operations (renamed
 *    over, or written over in place): the operations apply to the edited
 *    board, the journal is re-based by the next writer, an operation whose
 *    card the edit deleted is kept in the conflicts file, never dropped;
 *  - a compaction stopped between writing the board and replacing the
 *    journal: the fold record tells it from an edit, so nothing is applied
 *    twice, and a fold stopped before the rename changes nothing;
 *  - a journal whose header cannot be read: read by nobody, set aside (not
 *    deleted) by the first writer;
 *  - a board opened through a symlink: one set of side files, the board's;
 *  - side files made with the board's permissions whatever the umask;
 *  - readers that never wait for the writers' lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <locale.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "board.h"
#include "conflicts.h"
#include "journal.h"
#include "lockfile.h"
#include "op.h"
#include "session.h"
#include "store.h"

static char dir[64], path[128], jpath[160], cpath[160];

#include "live_fixture.h"

static void write_file(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}


static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/tamis-handedit.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/board.yaml", dir);
	snprintf(jpath, sizeof(jpath), "%s/.board.yaml.journal", dir);
	snprintf(cpath, sizeof(cpath), "%s/.board.yaml.conflicts", dir);
	write_file(path, board_yaml);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void open_at(struct session *s, const char *p, enum session_mode mode)
{
	struct store_errors err;

	store_errors_init(&err, p);
	assert_int_equal(session_open(s, p, mode, &err), RESULT_OK);
	store_errors_release(&err);
}

static void open_ok(struct session *s, enum session_mode mode)
{
	open_at(s, path, mode);
}


/* Applies a move through a command (SESSION_WRITE), as `tamis move` does. */
static void command_move(int card, int x, int y)
{
	struct strbuf err = STRBUF_INIT;
	struct session w;
	struct op op;

	open_ok(&w, SESSION_WRITE);
	live_move_op(&op, card, x, y, "cli");
	assert_int_equal(session_apply(&w, &op, &err), RESULT_OK);
	op_release(&op);
	assert_int_equal(session_close(&w, NULL), RESULT_OK);
	strbuf_release(&err);
}

/* Where card n is on grid g for a fresh reader, as x * 10 + y (0: tray). */
static int placed(int n)
{
	struct session r;
	struct card *c;
	int at;

	open_ok(&r, SESSION_READ);
	c = live_card(r.board, n);
	at = c ? c->place[0].x * 10 + c->place[0].y : -1;
	session_close(&r, NULL);
	return at;
}

static char *title(void)
{
	struct session r;
	char *t;

	open_ok(&r, SESSION_READ);
	t = strdup(r.board->title);
	session_close(&r, NULL);
	return t;
}

/* The board file edited by hand: its title changed, and card 3 deleted when asked. */
static void hand_edit(bool in_place, bool delete_three)
{
	char *text = live_file_text(path), *at, *three;
	char tmp[200];

	assert_non_null(text);
	at = strstr(text, "title: Live\n");
	assert_non_null(at);
	memcpy(at, "title: Hand", 11);
	if (delete_three) {
		three = strstr(text, "  - id: 00000000-0000-4000-8000-000000000003\n");
		assert_non_null(three);
		*three = '\0';
	}
	if (in_place) {
		/* Same inode, as `cat new > board.yaml` does. */
		int fd = open(path, O_WRONLY | O_TRUNC);

		assert_true(fd >= 0);
		assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
		close(fd);
	} else {
		/* A new file renamed over it, as `sed -i` and editors do. */
		snprintf(tmp, sizeof(tmp), "%s/edit.tmp", dir);
		write_file(tmp, text);
		assert_int_equal(rename(tmp, path), 0);
	}
	free(text);
}

/* Counts the operation lines of the journal (not its header, not fold records). */
static int journal_ops(void)
{
	char *text = live_file_text(jpath), *line, *save = NULL;
	int n = -1;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strstr(line, " !fold "))
			n++;
	free(text);
	return n;
}

static void hand_edit_keeps_the_journal(bool in_place)
{
	struct strbuf err = STRBUF_INIT;
	struct session live, w;
	struct op op;
	char *t;

	open_ok(&live, SESSION_LIVE);
	command_move(1, 3, 3); /* acknowledged: in the journal */
	assert_int_equal(journal_ops(), 1);
	hand_edit(in_place, false);
	/* A reader applies the journal to the edited board, and is told. */
	{
		struct session r;

		open_ok(&r, SESSION_READ);
		assert_int_equal(r.journal.state, JOURNAL_EDITED);
		assert_string_equal(r.board->title, "Hand");
		assert_int_equal(live_card(r.board, 1)->place[0].x, 3);
		assert_non_null(strstr(r.notice.buf, "was changed under its live journal"));
		session_close(&r, NULL);
	}
	/* The live instance too, when it takes in the change. */
	assert_int_equal(session_poll(&live, &err), RESULT_OK);
	assert_string_equal(live.board->title, "Hand");
	assert_int_equal(live_card(live.board, 1)->place[0].x, 3);
	/* The next writer re-bases the journal on the edited board, keeping its line. */
	open_ok(&w, SESSION_WRITE);
	assert_int_equal(w.journal.state, JOURNAL_CURRENT);
	live_move_op(&op, 2, 2, 2, "cli");
	assert_int_equal(session_apply(&w, &op, &err), RESULT_OK);
	op_release(&op);
	session_close(&w, NULL);
	assert_int_equal(journal_ops(), 2);
	assert_int_equal(placed(1), 33);
	assert_int_equal(placed(2), 22);
	/* The last one out folds both into the edited board. */
	assert_int_equal(session_poll(&live, &err), RESULT_OK);
	assert_int_equal(session_close(&live, &err), RESULT_OK);
	assert_int_equal(access(jpath, F_OK), -1);
	t = title();
	assert_string_equal(t, "Hand");
	free(t);
	assert_int_equal(placed(1), 33);
	assert_int_equal(placed(2), 22);
	strbuf_release(&err);
}

static void test_hand_edit_renamed_over(void **state)
{
	(void)state;
	hand_edit_keeps_the_journal(false);
}

static void test_hand_edit_in_place(void **state)
{
	(void)state;
	hand_edit_keeps_the_journal(true);
}

/* An operation whose card the edit deleted is kept, listed, never dropped. */
struct seen_lines {
	int n;
	char last[512];
};

static void on_conflict(const char *payload, size_t len, void *data)
{
	struct seen_lines *s = data;

	s->n++;
	snprintf(s->last, sizeof(s->last), "%.*s", (int)len, payload);
}

static void test_hand_edit_deleting_a_card_keeps_its_change(void **state)
{
	struct strbuf err = STRBUF_INIT, line = STRBUF_INIT;
	struct seen_lines seen = { 0, "" };
	struct session live, r;

	(void)state;
	open_ok(&live, SESSION_LIVE);
	command_move(3, 1, 2);
	command_move(1, 2, 1);
	hand_edit(false, true);
	open_ok(&r, SESSION_READ);
	assert_null(live_card(r.board, 3));
	assert_int_equal(live_card(r.board, 1)->place[0].x, 2);
	assert_int_equal(r.refused, 1);
	assert_int_equal(r.nskipped, 1);
	assert_non_null(strstr(r.skipped[0].why, "no card 00000000"));
	session_describe_skipped(&r, "board.yaml", &line);
	assert_non_null(strstr(line.buf, "1 line of the live journal"));
	assert_non_null(strstr(line.buf, "no longer applies"));
	session_close(&r, NULL);
	/* The next writer re-bases: the line that no longer applies goes to the conflicts file. */
	command_move(2, 3, 1);
	assert_int_equal(conflicts_read(path, on_conflict, &seen, NULL, &err), 1);
	assert_non_null(strstr(seen.last, "card: 00000000-0000-4000-8000-000000000003"));
	assert_int_equal(journal_ops(), 2); /* 1's move and 2's */
	/* Folding and re-basing again never adds it twice, never loses it. */
	assert_int_equal(session_poll(&live, &err), RESULT_OK);
	assert_int_equal(session_close(&live, &err), RESULT_OK);
	seen.n = 0;
	assert_int_equal(conflicts_read(path, on_conflict, &seen, NULL, &err), 1);
	assert_int_equal(placed(1), 21);
	assert_int_equal(placed(2), 31);
	strbuf_release(&err);
	strbuf_release(&line);
}

/*
 * A compaction that stopped right after the rename: the journal still
 * names the old board, but its fold record names the new one exactly.
 */
static void stop_a_fold_after_the_rename(bool rename_it)
{
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	struct journal_snap snap;
	struct session s;
	char tmp[200];
	int fd;

	open_ok(&s, SESSION_READ);
	store_format(s.board, &text);
	session_close(&s, NULL);
	snprintf(tmp, sizeof(tmp), "%s/.board.yaml.fold", dir);
	write_file(tmp, text.buf);
	fd = open(tmp, O_RDONLY);
	journal_snap_of(&snap, fd, text.len, journal_crc32(text.buf, text.len));
	close(fd);
	{
		struct journal j;
		struct stat st;

		journal_init(&j, path);
		assert_int_equal(stat(path, &st), 0);
		fd = open(path, O_RDONLY);
		{
			char *board = live_file_text(path);
			struct journal_snap cur;

			journal_snap_of(&cur, fd, strlen(board), journal_crc32(board, strlen(board)));
			assert_int_equal(journal_open(&j, &cur, &err), JOURNAL_CURRENT);
			free(board);
		}
		close(fd);
		assert_true(journal_read(&j, on_conflict, &(struct seen_lines){ 0, "" }, NULL,
					 &err) >= 0);
		assert_int_equal(journal_record_fold(&j, &snap, &err), 0);
		journal_release(&j);
	}
	if (rename_it)
		assert_int_equal(rename(tmp, path), 0);
	else
		unlink(tmp);
	strbuf_release(&text);
	strbuf_release(&err);
}

static void test_fold_stopped_after_rename(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session live, r;

	(void)state;
	open_ok(&live, SESSION_LIVE);
	command_move(1, 3, 3);
	stop_a_fold_after_the_rename(true);
	open_ok(&r, SESSION_READ);
	assert_int_equal(r.journal.state, JOURNAL_FOLDED);
	assert_int_equal(live_card(r.board, 1)->place[0].x, 3);
	assert_null(strstr(r.notice.buf, "changed under its live journal"));
	session_close(&r, NULL);
	/* The next writer starts afresh: the folded line is not kept twice. */
	command_move(2, 1, 1);
	assert_int_equal(journal_ops(), 1);
	assert_int_equal(placed(1), 33);
	assert_int_equal(placed(2), 11);
	session_close(&live, NULL);
	strbuf_release(&err);
}

static void test_fold_stopped_before_rename(void **state)
{
	struct session live, r;

	(void)state;
	open_ok(&live, SESSION_LIVE);
	command_move(1, 3, 3);
	stop_a_fold_after_the_rename(false);
	/* The board was never replaced: the record is skipped, the journal is current. */
	open_ok(&r, SESSION_READ);
	assert_int_equal(r.journal.state, JOURNAL_CURRENT);
	assert_int_equal(r.torn + r.invalid + r.refused, 0);
	assert_int_equal(live_card(r.board, 1)->place[0].x, 3);
	session_close(&r, NULL);
	command_move(2, 1, 1);
	assert_int_equal(journal_ops(), 2);
	assert_int_equal(placed(1), 33);
	assert_int_equal(placed(2), 11);
	session_close(&live, NULL);
	assert_int_equal(placed(1), 33);
}

/*
 * A compaction stopped after the rename, then the board edited by hand
 * before anyone opened it: the record names the file the fold wrote, not
 * the edited one, so this is an edit (the journal's lines apply again).
 */
static void test_fold_record_does_not_name_an_edit(void **state)
{
	struct session live, r;

	(void)state;
	open_ok(&live, SESSION_LIVE);
	command_move(1, 3, 3);
	stop_a_fold_after_the_rename(true);
	hand_edit(true, false);
	open_ok(&r, SESSION_READ);
	assert_int_equal(r.journal.state, JOURNAL_EDITED);
	assert_string_equal(r.board->title, "Hand");
	assert_int_equal(live_card(r.board, 1)->place[0].x, 3);
	session_close(&r, NULL);
	session_close(&live, NULL);
}

/* A journal with a header this tamis cannot read: never read, set aside, never deleted. */
static void test_broken_journal_is_set_aside(void **state)
{
	const char broken[] = "tamis-journal 9 1 00000000\n00000000 {op: from-the-future}\n";
	struct session r;
	glob_t g;
	char pattern[200], *kept;

	(void)state;
	write_file(jpath, broken);
	open_ok(&r, SESSION_READ);
	assert_int_equal(r.journal.state, JOURNAL_BROKEN);
	assert_non_null(strstr(r.notice.buf, "cannot be read"));
	session_close(&r, NULL);
	kept = live_file_text(jpath);
	assert_string_equal(kept, broken); /* a reader leaves it */
	free(kept);
	command_move(1, 2, 2);
	snprintf(pattern, sizeof(pattern), "%s.broken-*", jpath);
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	assert_int_equal(g.gl_pathc, 1);
	kept = live_file_text(g.gl_pathv[0]);
	assert_string_equal(kept, broken);
	free(kept);
	globfree(&g);
	assert_int_equal(placed(1), 22);
}

/* Through a symlink or not, every writer takes the same lock and the same journal. */
static void test_symlink_shares_side_files(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session live, w;
	char link[200], other[200];
	struct op op;

	(void)state;
	snprintf(link, sizeof(link), "%s/link.yaml", dir);
	assert_int_equal(symlink("board.yaml", link), 0);
	open_at(&live, link, SESSION_LIVE);
	assert_string_equal(live.path + strlen(live.path) - strlen("/board.yaml"), "/board.yaml");
	open_at(&w, link, SESSION_WRITE);
	live_move_op(&op, 1, 2, 3, "link");
	assert_int_equal(session_apply(&w, &op, &err), RESULT_OK);
	op_release(&op);
	session_close(&w, NULL);
	/* Nothing is named after the link. */
	snprintf(other, sizeof(other), "%s/.link.yaml.lock", dir);
	assert_int_equal(access(other, F_OK), -1);
	snprintf(other, sizeof(other), "%s/.link.yaml.live", dir);
	assert_int_equal(access(other, F_OK), -1);
	snprintf(other, sizeof(other), "%s/.link.yaml.journal", dir);
	assert_int_equal(access(other, F_OK), -1);
	/* The instance opened through the link sees it in the board's journal. */
	assert_int_equal(access(jpath, F_OK), 0);
	assert_int_equal(session_poll(&live, &err), RESULT_OK);
	assert_int_equal(live_card(live.board, 1)->place[0].x, 2);
	session_close(&live, NULL);
	/* The link is still a link: writes went to the board it names. */
	{
		struct stat st;

		assert_int_equal(lstat(link, &st), 0);
		assert_true(S_ISLNK(st.st_mode));
	}
	assert_int_equal(placed(1), 23);
	strbuf_release(&err);
}

/* Side files take the board's group and permission bits whatever the umask. */
static void test_side_files_take_the_board_permissions(void **state)
{
	struct session live;
	struct stat st;
	char p[200];
	mode_t old;

	(void)state;
	assert_int_equal(chmod(path, 0664), 0);
	old = umask(077);
	open_ok(&live, SESSION_LIVE);
	command_move(1, 1, 1);
	assert_int_equal(stat(jpath, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0664);
	snprintf(p, sizeof(p), "%s/.board.yaml.lock", dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0664);
	snprintf(p, sizeof(p), "%s/.board.yaml.live", dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0664);
	session_close(&live, NULL);
	/* Never world-writable, even when the board is. */
	assert_int_equal(chmod(path, 0666), 0);
	unlink(p);
	open_ok(&live, SESSION_LIVE);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0664);
	session_close(&live, NULL);
	umask(old);
}

/* A reader never waits for a writer holding the lock. */
static void test_readers_do_not_wait_for_the_lock(void **state)
{
	struct timespec t0, t1;
	struct session r;
	int ready[2];
	pid_t pid;
	char c;

	(void)state;
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct board_lock lock = BOARD_LOCK_INIT;

		if (board_lock_acquire(&lock, path, 1000, NULL) < 0 || write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	setenv("TAMIS_LOCK_TIMEOUT", "5", 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	open_ok(&r, SESSION_READ);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	unsetenv("TAMIS_LOCK_TIMEOUT");
	session_close(&r, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(ready[0]);
	close(ready[1]);
	/* Well under the 5 s a lock wait would take. */
	assert_true(t1.tv_sec - t0.tv_sec < 2);
}

/* Nothing beside a path that is not a regular file. */
static void test_no_side_file_for_a_device(void **state)
{
	struct store_errors err;
	struct session s;
	enum session_mode modes[] = { SESSION_READ, SESSION_WRITE, SESSION_LIVE };
	char fifo[200], side[220];
	size_t i;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo.yaml", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	for (i = 0; i < 3; i++) {
		store_errors_init(&err, fifo);
		assert_int_equal(session_open(&s, fifo, modes[i], &err), RESULT_NOINPUT);
		assert_int_equal(err.n, 1);
		assert_non_null(strstr(err.v[0].message, "not a regular file"));
		store_errors_release(&err);
	}
	snprintf(side, sizeof(side), "%s/.fifo.yaml.lock", dir);
	assert_int_equal(access(side, F_OK), -1);
	snprintf(side, sizeof(side), "%s/.fifo.yaml.live", dir);
	assert_int_equal(access(side, F_OK), -1);
}

/* A journal left by a killed instance is folded by the next reader that can. */
static void test_reader_folds_an_abandoned_journal(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct session live, r;
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	if (pid == 0) {
		/* An instance that saves a change and is killed before it can compact. */
		open_ok(&live, SESSION_LIVE);
		command_move(1, 3, 2);
		raise(SIGKILL);
	}
	waitpid(pid, &status, 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(access(jpath, F_OK), 0);
	open_ok(&r, SESSION_READ);
	assert_int_equal(session_fold_abandoned(&r, &err), RESULT_OK);
	session_close(&r, NULL);
	assert_int_equal(access(jpath, F_OK), -1);
	{
		char *text = live_file_text(path);

		assert_non_null(strstr(text, "g: [3, 2]"));
		free(text);
	}
	/* With someone live, a reader leaves the journal alone. */
	open_ok(&live, SESSION_LIVE);
	command_move(2, 1, 1);
	open_ok(&r, SESSION_READ);
	assert_int_equal(session_fold_abandoned(&r, &err), RESULT_UNCHANGED);
	session_close(&r, NULL);
	assert_int_equal(access(jpath, F_OK), 0);
	session_close(&live, NULL);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hand_edit_renamed_over, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hand_edit_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hand_edit_deleting_a_card_keeps_its_change, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fold_stopped_after_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fold_stopped_before_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fold_record_does_not_name_an_edit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_journal_is_set_aside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_shares_side_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_side_files_take_the_board_permissions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_readers_do_not_wait_for_the_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_side_file_for_a_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_folds_an_abandoned_journal, setup, teardown),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests_name("handedit", tests, NULL, NULL);
}
