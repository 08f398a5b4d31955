/*
 * Unit tests for who is on a live board (presence.h): the entries' format
 * read back, merged and pruned; stale entries (a dead pid, an old
 * heartbeat) ignored; a torn or garbage file read as nothing, without a
 * crash; the file written, read and removed by the last one out. And the
 * changes others made to my cards (heard.h): newest first, each once,
 * capped at HEARD_MAX; and the session's hook that hears them, each
 * journal line once, before and after it applies.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "board.h"
#include "heard.h"
#include "lockfile.h"
#include "op.h"
#include "presence.h"
#include "session.h"
#include "strbuf.h"
#include "live_fixture.h"

static char dir[64], board[128], side[160];
static const time_t now = 1561719600; /* 2019-06-28T11:00:00Z */

static int setup(void **state)
{
	int fd;

	(void)state;
	strcpy(dir, "/tmp/tamis-presence.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(board, sizeof(board), "%s/b.yaml", dir);
	snprintf(side, sizeof(side), "%s/.b.yaml.presence", dir);
	fd = open(board, O_WRONLY | O_CREAT, 0640);
	assert_true(fd >= 0);
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	(void)state;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	return 0;
}

/* An entry of this host (pid: this process, alive) unless said otherwise. */
static void entry(struct presence_entry *e, const char *name, bool fac, const char *grid,
		  const char *card)
{
	memset(e, 0, sizeof(*e));
	uuid_generate_random(e->id);
	e->pid = getpid();
	e->host = presence_host();
	e->beat = now;
	e->facilitator = fac;
	e->grid = grid ? strdup(grid) : NULL;
	e->name = name ? strdup(name) : NULL;
	e->carrying = card != NULL;
	if (card)
		assert_int_equal(uuid_parse(card, e->card), 0);
}

static bool all_alive(pid_t pid)
{
	(void)pid;
	return true;
}

static bool none_alive(pid_t pid)
{
	(void)pid;
	return false;
}

static void test_format_reads_back(void **state)
{
	struct presence_list l = PRESENCE_LIST_INIT, back = PRESENCE_LIST_INIT;
	struct presence_entry a, b;
	struct strbuf out = STRBUF_INIT;
	size_t i;

	(void)state;
	/* Names are untrusted: spaces, "%", a newline, an escape, "-" itself. */
	entry(&a, "Binôme B\n\x1b[31m 100%", false, "autonomie-frequence",
	      "6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f");
	entry(&b, "-", true, NULL, NULL);
	presence_list_put(&l, &a);
	presence_list_put(&l, &b);
	presence_format(&l, &out);
	assert_non_null(strstr(out.buf, "tamis-presence 1\n"));
	assert_null(strchr(strchr(out.buf, '\n') + 1, '\x1b'));
	assert_int_equal(presence_parse(out.buf, out.len, &back), 2);
	assert_int_equal(back.n, 2);
	for (i = 0; i < 2; i++)
		assert_true(presence_entry_same(&back.v[i], &l.v[i]));
	assert_string_equal(back.v[0].name, "Binôme B\n\x1b[31m 100%");
	assert_string_equal(back.v[1].name, "-");
	assert_null(back.v[1].grid);
	assert_false(back.v[1].carrying);
	assert_true(back.v[1].facilitator);
	/* Nobody's name: none, never "someone" written down. */
	free(a.name);
	a.name = NULL;
	presence_list_put(&l, &a);
	strbuf_reset(&out);
	presence_format(&l, &out);
	presence_list_release(&back);
	presence_parse(out.buf, out.len, &back);
	assert_null(presence_list_find(&back, a.id)->name);
	presence_entry_release(&a);
	presence_entry_release(&b);
	presence_list_release(&l);
	presence_list_release(&back);
	strbuf_release(&out);
}

static void test_merge_replaces_and_drops(void **state)
{
	struct presence_list l = PRESENCE_LIST_INIT;
	struct presence_entry a, b;

	(void)state;
	entry(&a, "Claire", true, "g1", NULL);
	entry(&b, "Binôme B", false, "g1", NULL);
	presence_list_put(&l, &a);
	presence_list_put(&l, &b);
	free(a.grid);
	a.grid = strdup("g2");
	presence_list_put(&l, &a); /* the same instance: replaced, in place */
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].grid, "g2");
	presence_list_drop(&l, a.id);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, "Binôme B");
	assert_null(presence_list_find(&l, a.id));
	presence_list_drop(&l, a.id); /* twice: harmless */
	assert_int_equal(l.n, 1);
	presence_entry_release(&a);
	presence_entry_release(&b);
	presence_list_release(&l);
}

static void test_stale_entries_are_ignored(void **state)
{
	struct presence_list l = PRESENCE_LIST_INIT;
	struct presence_entry live, old, dead, far, future;
	char *host = presence_host();

	(void)state;
	entry(&live, "live", false, NULL, NULL);
	entry(&old, "old", false, NULL, NULL);
	old.beat = now - PRESENCE_STALE - 1;
	entry(&future, "future", false, NULL, NULL);
	future.beat = now + PRESENCE_STALE + 1;
	entry(&dead, "dead", false, NULL, NULL);
	entry(&far, "far", false, NULL, NULL);
	free(far.host);
	far.host = strdup("another-host");
	assert_false(presence_is_stale(&live, now, host, all_alive));
	assert_true(presence_is_stale(&old, now, host, all_alive));
	assert_true(presence_is_stale(&future, now, host, all_alive));
	assert_true(presence_is_stale(&dead, now, host, none_alive));
	/* Another host's pid says nothing here: its heartbeat does. */
	assert_false(presence_is_stale(&far, now, host, none_alive));
	/* The real check: this process is alive; pid 2^22+ is not a process here. */
	assert_false(presence_is_stale(&live, now, host, NULL));
	dead.pid = 4194305;
	assert_true(presence_is_stale(&dead, now, host, NULL));
	presence_list_put(&l, &live);
	presence_list_put(&l, &old);
	presence_list_put(&l, &dead);
	presence_list_put(&l, &far);
	presence_list_prune(&l, now, host, NULL);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "live");
	assert_string_equal(l.v[1].name, "far");
	presence_entry_release(&live);
	presence_entry_release(&old);
	presence_entry_release(&future);
	presence_entry_release(&dead);
	presence_entry_release(&far);
	presence_list_release(&l);
	free(host);
}

static void test_torn_and_garbage_read_as_nothing(void **state)
{
	struct presence_list l = PRESENCE_LIST_INIT, back = PRESENCE_LIST_INIT;
	struct presence_entry a, b;
	struct strbuf out = STRBUF_INIT, bad = STRBUF_INIT;
	size_t cut;
	char *second;
	int i;

	(void)state;
	entry(&a, "A", false, "g", NULL);
	entry(&b, "B", false, "g", NULL);
	presence_list_put(&l, &a);
	presence_list_put(&l, &b);
	presence_format(&l, &out);
	/* Cut anywhere: never more than the whole lines before the cut, never a crash. */
	for (cut = 0; cut <= out.len; cut++) {
		size_t n = presence_parse(out.buf, cut, &back);

		assert_true(n <= 2);
		presence_list_release(&back);
	}
	/* A changed byte in the second line: that line goes, the first stays. */
	strbuf_add(&bad, out.buf, out.len);
	second = strchr(strchr(bad.buf, '\n') + 1, '\n') + 1;
	second[20] ^= 1;
	assert_int_equal(presence_parse(bad.buf, bad.len, &back), 1);
	assert_string_equal(back.v[0].name, "A");
	presence_list_release(&back);
	/* No header: nothing. Garbage: nothing. */
	assert_int_equal(presence_parse(out.buf + 17, out.len - 17, &back), 0);
	strbuf_reset(&bad);
	strbuf_addstr(&bad, "tamis-presence 1\n");
	for (i = 0; i < 2000; i++)
		strbuf_addch(&bad, (char)((i * 7919) % 251 + 1));
	strbuf_addstr(&bad, "\n00000000 x y z w v u t s\n%%%%\n\n");
	assert_int_equal(presence_parse(bad.buf, bad.len, &back), 0);
	assert_int_equal(presence_parse("", 0, &back), 0);
	assert_int_equal(back.n, 0);
	presence_entry_release(&a);
	presence_entry_release(&b);
	presence_list_release(&l);
	strbuf_release(&out);
	strbuf_release(&bad);
}

static void test_file_written_read_and_removed(void **state)
{
	struct presence_list l = PRESENCE_LIST_INIT;
	struct presence_entry a, b;
	struct file_perm perm;
	struct strbuf err = STRBUF_INIT;
	struct stat st;

	(void)state;
	assert_int_equal(stat(board, &st), 0);
	file_perm_like(&perm, &st);
	/* No file yet: nobody. */
	assert_int_equal(presence_read(board, now, &l, &err), 0);
	assert_int_equal(l.n, 0);
	entry(&a, "Claire", true, "g1", NULL);
	entry(&b, "Binôme B", false, "g2", "6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f");
	assert_int_equal(presence_publish(board, &perm, &a, now, &err), 0);
	assert_int_equal(presence_publish(board, &perm, &b, now, &err), 0);
	assert_int_equal(stat(side, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640); /* the board's bits, whatever the umask */
	assert_int_equal(presence_read(board, now, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_true(presence_list_find(&l, b.id)->carrying);
	/* A change replaces the entry. */
	b.carrying = false;
	assert_int_equal(presence_publish(board, &perm, &b, now, &err), 0);
	assert_int_equal(presence_read(board, now, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_false(presence_list_find(&l, b.id)->carrying);
	/* Much later, an entry that was not written again is gone for the readers. */
	assert_int_equal(presence_read(board, now + PRESENCE_STALE + 1, &l, &err), 0);
	assert_int_equal(l.n, 0);
	/* Leaving: one less; the last one out removes the file. */
	assert_int_equal(presence_leave(board, a.id, now, &err), 0);
	assert_int_equal(presence_read(board, now, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(presence_leave(board, b.id, now, &err), 0);
	assert_int_equal(stat(side, &st), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(presence_leave(board, b.id, now, &err), 0); /* no file: nothing to do */
	assert_int_equal(err.len, 0);
	presence_entry_release(&a);
	presence_entry_release(&b);
	presence_list_release(&l);
	strbuf_release(&err);
}

static void test_file_garbage_and_fifo(void **state)
{
	struct presence_list l = PRESENCE_LIST_INIT;
	struct presence_entry a;
	struct strbuf err = STRBUF_INIT;
	int fd;

	(void)state;
	/* Garbage in the file: read as nobody, and written over by the next entry. */
	fd = open(side, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "tamis-presence 1\nxx\n\x01\x02", 23), 23);
	close(fd);
	assert_int_equal(presence_read(board, now, &l, &err), 0);
	assert_int_equal(l.n, 0);
	entry(&a, "A", false, NULL, NULL);
	assert_int_equal(presence_publish(board, NULL, &a, now, &err), 0);
	assert_int_equal(presence_read(board, now, &l, &err), 0);
	assert_int_equal(l.n, 1);
	/* A FIFO in its place: never waited on, never written. */
	unlink(side);
	assert_int_equal(mkfifo(side, 0600), 0);
	assert_int_equal(presence_read(board, now, &l, &err), -1);
	assert_int_equal(l.n, 0);
	strbuf_reset(&err);
	assert_int_equal(presence_publish(board, NULL, &a, now, &err), -1);
	assert_non_null(strstr(err.buf, ".b.yaml.presence"));
	presence_entry_release(&a);
	presence_list_release(&l);
	strbuf_release(&err);
}

/* --- Changes to my cards --- */

static void change(struct heard_change *c, time_t at, const char *by, enum op_kind kind,
		   int value)
{
	struct op op = OP_INIT;

	op.kind = kind;
	op.at = at;
	op.by = (char *)by;
	op.value = value;
	memset(op.card, (int)(at & 0xff), sizeof(uuid_t));
	heard_change_from_op(c, &op, "Navette");
}

static void test_heard_newest_first_capped(void **state)
{
	struct heard_list l;
	struct heard_change c;
	size_t i, more;
	const struct heard_change *told;

	(void)state;
	heard_init(&l);
	for (i = 0; i < HEARD_MAX + 7; i++) {
		change(&c, now + (time_t)i, "Claire", OP_LOCK, 1);
		assert_true(heard_add(&l, &c));
	}
	assert_int_equal(l.n, HEARD_MAX);
	assert_int_equal(heard_get(&l, 0)->at, now + HEARD_MAX + 6); /* the newest first */
	assert_int_equal(heard_get(&l, HEARD_MAX - 1)->at, now + 7); /* the oldest kept */
	assert_null(heard_get(&l, HEARD_MAX));
	assert_string_equal(heard_get(&l, 0)->text, "Navette");
	assert_string_equal(heard_get(&l, 0)->by, "Claire");
	/* The same change heard again (a reload read the line again): kept once. */
	change(&c, now + HEARD_MAX + 6, "Claire", OP_LOCK, 1);
	assert_false(heard_add(&l, &c));
	assert_int_equal(l.n, HEARD_MAX);
	/* Told once: the newest, and how many more. */
	told = heard_tell(&l, &more);
	assert_non_null(told);
	assert_int_equal(told->at, now + HEARD_MAX + 6);
	assert_int_equal(more, HEARD_MAX - 1);
	assert_null(heard_tell(&l, &more));
	assert_int_equal(more, 0);
	change(&c, now + 1000, NULL, OP_DELETE, 0);
	assert_true(heard_add(&l, &c));
	told = heard_tell(&l, &more);
	assert_null(told->by);
	assert_int_equal(told->kind, OP_DELETE);
	assert_int_equal(more, 0);
	heard_release(&l);
	assert_int_equal(l.n, 0);
}

/* --- The session hears others' operations --- */

struct hearing {
	int before, after;       /* calls */
	char text_before[16];    /* the card's text on the board before the last one */
	bool card_there_after;
	char by[16];
};

static void heard_op(void *data, struct board *b, const struct op *op, bool applied)
{
	struct hearing *h = data;
	struct card *card = board_find_card(b, op->card);

	if (applied) {
		h->after++;
		h->card_there_after = card != NULL;
		return;
	}
	h->before++;
	snprintf(h->text_before, sizeof(h->text_before), "%s", card ? card->text : "");
	snprintf(h->by, sizeof(h->by), "%s", op->by ? op->by : "");
}

static void live_open(struct session *s)
{
	struct store_errors e;

	store_errors_init(&e, board);
	assert_int_equal(session_open(s, board, SESSION_LIVE, &e), RESULT_OK);
	store_errors_release(&e);
}

static void test_session_hears_others_once(void **state)
{
	struct hearing h;
	struct strbuf err = STRBUF_INIT;
	struct session a, b;
	struct op op;
	FILE *f;

	(void)state;
	f = fopen(board, "w");
	fputs(board_yaml, f);
	fclose(f);
	memset(&h, 0, sizeof(h));
	live_open(&a);
	live_move_op(&op, 1, 1, 1, "A");
	assert_int_equal(session_apply(&a, &op, &err), RESULT_OK); /* before b listens */
	op_release(&op);
	live_open(&b);
	session_hear(&b, heard_op, &h);
	live_move_op(&op, 1, 2, 2, "B");
	assert_int_equal(session_apply(&b, &op, &err), RESULT_OK); /* its own: never heard */
	op_release(&op);
	assert_int_equal(h.before + h.after, 0);
	live_move_op(&op, 2, 3, 3, "A");
	assert_int_equal(session_apply(&a, &op, &err), RESULT_OK);
	op_release(&op);
	assert_int_equal(session_poll(&b, &err), RESULT_OK);
	assert_int_equal(h.before, 1);
	assert_int_equal(h.after, 1);
	assert_string_equal(h.by, "A");
	/* A delete: heard first with the card still there. */
	memset(&op, 0, sizeof(op));
	op.kind = OP_DELETE;
	op.at = 1001;
	op_set(&op.by, "A");
	memcpy(op.card, live_card(a.board, 3)->id, sizeof(uuid_t));
	assert_int_equal(session_apply(&a, &op, &err), RESULT_OK);
	op_release(&op);
	assert_int_equal(session_poll(&b, &err), RESULT_OK);
	assert_int_equal(h.before, 2);
	assert_int_equal(h.after, 2);
	assert_string_equal(h.text_before, "three");
	assert_false(h.card_there_after);
	/* b's own change while a's is pending in the journal: a's heard, b's not. */
	live_move_op(&op, 1, 1, 3, "A");
	assert_int_equal(session_apply(&a, &op, &err), RESULT_OK);
	op_release(&op);
	live_move_op(&op, 2, 1, 2, "B");
	assert_int_equal(session_apply(&b, &op, &err), RESULT_OK);
	op_release(&op);
	assert_int_equal(h.before, 3);
	assert_int_equal(session_poll(&b, &err), RESULT_UNCHANGED);
	assert_int_equal(h.before, 3);
	session_close(&a, NULL);
	session_close(&b, NULL);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_reads_back),
		cmocka_unit_test(test_merge_replaces_and_drops),
		cmocka_unit_test(test_stale_entries_are_ignored),
		cmocka_unit_test(test_torn_and_garbage_read_as_nothing),
		cmocka_unit_test_setup_teardown(test_file_written_read_and_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_garbage_and_fifo, setup, teardown),
		cmocka_unit_test(test_heard_newest_first_capped),
		cmocka_unit_test_setup_teardown(test_session_hears_others_once, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
