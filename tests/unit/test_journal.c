/*
 * Unit tests for the journal's reader on lines being written: a line read
 * before its end is read again once complete, never lost; over-long lines
 * (JOURNAL_MAX_LINE) are skipped as torn without being held in memory (the
 * sizes asked of malloc/realloc are watched with -Wl,--wrap); writers refuse
 * to make one. The CRC-32 is the one journals were always written with.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "journal.h"

/* --- The largest allocation asked for ------------------------------------- */

void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_realloc(void *p, size_t n);

static size_t largest;

void *__wrap_malloc(size_t n)
{
	if (n > largest)
		largest = n;
	return __real_malloc(n);
}

void *__wrap_realloc(void *p, size_t n)
{
	if (n > largest)
		largest = n;
	return __real_realloc(p, n);
}

/* --- Helpers -------------------------------------------------------------- */

static char dir[64], board[128];
static struct journal j;

#define SNAP_SIZE 100
#define SNAP_CRC 0x12345678u
static const struct journal_snap snap = { SNAP_SIZE, SNAP_CRC, 0, 0, { 0, 0 } };

static int setup(void **state)
{
	struct strbuf err = STRBUF_INIT;

	(void)state;
	strcpy(dir, "/tmp/tamis-journal.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(board, sizeof(board), "%s/board.yaml", dir);
	journal_init(&j, board);
	assert_int_equal(journal_reset(&j, &snap, &err), 0);
	strbuf_release(&err);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	journal_release(&j);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* Appends raw bytes to the journal file, as a writer's write() would. */
static void raw(const char *p, size_t len)
{
	int fd = open(j.path, O_WRONLY | O_APPEND);

	assert_true(fd >= 0);
	while (len) {
		ssize_t n = write(fd, p, len > 65536 ? 65536 : len);

		assert_true(n > 0);
		p += n;
		len -= (size_t)n;
	}
	close(fd);
}

/* Appends n bytes of 'x' with no newline. */
static void raw_junk(size_t n)
{
	char *x = malloc(n);

	assert_non_null(x);
	memset(x, 'x', n);
	raw(x, n);
	free(x);
}

struct seen {
	int n;
	char last[64];
};

static void on_line(const char *payload, size_t len, void *data)
{
	struct seen *s = data;

	s->n++;
	snprintf(s->last, sizeof(s->last), "%.*s", (int)len, payload);
}

static int read_all(struct seen *s, size_t *torn)
{
	struct strbuf err = STRBUF_INIT;
	int r = journal_read(&j, on_line, s, torn, &err);

	assert_int_equal(err.len, 0);
	strbuf_release(&err);
	return r;
}

/* --- Tests ---------------------------------------------------------------- */

/* A reader that meets a line before its end reads it once it is complete. */
static void test_line_read_before_its_end(void **state)
{
	struct strbuf line = STRBUF_INIT;
	struct seen s = { 0, "" };
	size_t torn = 0, half;
	off_t before = j.pos;

	(void)state;
	journal_frame(&line, "{op: title, text: \"one\"}", 24);
	half = line.len / 2;
	raw(line.buf, half);
	assert_int_equal(read_all(&s, &torn), 0);
	assert_int_equal(j.pos, before); /* not consumed, not counted */
	assert_int_equal(torn, 0);
	raw(line.buf + half, line.len - half - 1); /* all but the newline */
	assert_int_equal(read_all(&s, &torn), 0);
	assert_int_equal(torn, 0);
	raw("\n", 1);
	assert_int_equal(read_all(&s, &torn), 1);
	assert_string_equal(s.last, "{op: title, text: \"one\"}");
	assert_int_equal(torn, 0);
	assert_int_equal(j.pos, before + (off_t)line.len);
	strbuf_release(&line);
}

/* A writer's torn tail, ended by the next writer: one torn line, then the new one. */
static void test_torn_tail_then_append(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct seen s = { 0, "" };
	size_t torn = 0;

	(void)state;
	raw("0badc0de {op: ti", 16);
	assert_int_equal(read_all(&s, &torn), 0);
	assert_int_equal(journal_append(&j, "{op: title, text: \"two\"}", 24, &err), 0);
	/* This reader appended: it is past both lines. A fresh one sees both. */
	journal_close(&j);
	assert_int_equal(journal_open(&j, &snap, &err), JOURNAL_CURRENT);
	assert_int_equal(read_all(&s, &torn), 1);
	assert_int_equal(torn, 1);
	assert_string_equal(s.last, "{op: title, text: \"two\"}");
	strbuf_release(&err);
}

/*
 * An unterminated tail longer than JOURNAL_MAX_LINE is not kept in memory,
 * whether it is met at once or grows between reads; once ended it is one
 * torn line and the lines after it are read.
 */
static void test_over_long_tail_is_bounded(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct seen s = { 0, "" };
	size_t torn = 0;
	off_t start = j.pos;
	struct journal fresh;

	(void)state;
	raw_junk(JOURNAL_MAX_LINE / 2);
	largest = 0;
	assert_int_equal(read_all(&s, &torn), 0); /* growing: kept for now */
	assert_int_equal(j.pos, start);
	raw_junk(JOURNAL_MAX_LINE);
	assert_int_equal(read_all(&s, &torn), 0); /* over-long now: dropped */
	assert_int_equal(j.pos, start);
	assert_true(j.skip > JOURNAL_MAX_LINE);
	assert_true(largest < 2 * JOURNAL_MAX_LINE + 65536);
	raw_junk(3 * JOURNAL_MAX_LINE); /* its own buffer is 3 MiB: not counted */
	largest = 0;
	assert_int_equal(read_all(&s, &torn), 0);
	assert_int_equal(torn, 0);
	assert_true(largest < 2 * JOURNAL_MAX_LINE + 65536);

	/* A fresh reader meeting 4.5 MiB at once. */
	journal_init(&fresh, board);
	assert_int_equal(journal_open(&fresh, &snap, &err), JOURNAL_CURRENT);
	largest = 0;
	assert_int_equal(journal_read(&fresh, on_line, &s, &torn, &err), 0);
	assert_true(largest < 2 * JOURNAL_MAX_LINE + 65536);
	assert_int_equal(fresh.pos, start);

	/* The next writer ends it: one torn line, then its own line is read. */
	assert_int_equal(journal_append(&fresh, "{op: title, text: \"after\"}", 26, &err), 0);
	assert_int_equal(read_all(&s, &torn), 1);
	assert_int_equal(torn, 1);
	assert_int_equal(j.skip, 0);
	assert_string_equal(s.last, "{op: title, text: \"after\"}");
	assert_int_equal(j.pos, fresh.pos);
	journal_release(&fresh);
	strbuf_release(&err);
}

/* A complete line over the limit, with a right CRC, is torn too; the next one is read. */
static void test_over_long_line_is_torn(void **state)
{
	struct strbuf line = STRBUF_INIT, payload = STRBUF_INIT;
	struct seen s = { 0, "" };
	size_t torn = 0;

	(void)state;
	strbuf_addstr(&payload, "{op: title, text: \"");
	while (payload.len < JOURNAL_MAX_LINE)
		strbuf_addstr(&payload, "xxxxxxxxxxxxxxxx");
	strbuf_addstr(&payload, "\"}");
	journal_frame(&line, payload.buf, payload.len);
	journal_frame(&line, "{op: title, text: \"ok\"}", 23);
	raw(line.buf, line.len);
	largest = 0;
	assert_int_equal(read_all(&s, &torn), 1);
	assert_int_equal(torn, 1);
	assert_string_equal(s.last, "{op: title, text: \"ok\"}");
	assert_true(largest < 2 * JOURNAL_MAX_LINE + 65536);
	strbuf_release(&line);
	strbuf_release(&payload);
}

/* Writers never make a line readers would skip. */
static void test_writer_refuses_over_long_line(void **state)
{
	struct strbuf err = STRBUF_INIT;
	char *big = malloc(JOURNAL_MAX_LINE);
	off_t pos = j.pos;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', JOURNAL_MAX_LINE);
	assert_int_equal(journal_append(&j, big, JOURNAL_MAX_LINE, &err), -1);
	assert_int_equal(errno, EFBIG);
	assert_non_null(strstr(err.buf, "over-long"));
	assert_int_equal(j.pos, pos);
	/* Up to the limit is fine: 9 bytes of CRC and space, then the payload. */
	strbuf_reset(&err);
	assert_int_equal(journal_append(&j, big, JOURNAL_MAX_LINE - 9, &err), 0);
	free(big);
	strbuf_release(&err);
}

/* The CRC-32 (zlib's) gives the values journals were written with, in one piece or several. */
static void test_crc32_values(void **state)
{
	static const char line[] = "{op: move, at: 2019-06-28T10:12:00Z, by: \"A\", card: "
				   "00000000-0000-4000-8000-000000000001, grid: \"g\", x: 1, y: 2}";
	uint32_t crc = 0;
	size_t i;

	(void)state;
	assert_int_equal(journal_crc32("", 0), 0);
	assert_int_equal(journal_crc32("123456789", 9), 0xCBF43926u);
	/* A line of a journal written by the tamis of before (tests/fuzz/corpus/journal). */
	assert_int_equal(journal_crc32(line, strlen(line)), 0x21e7d5a5u);
	for (i = 0; i < strlen(line); i += 7)
		crc = journal_crc32_update(crc, line + i, strlen(line) - i < 7 ? strlen(line) - i : 7);
	assert_int_equal(crc, 0x21e7d5a5u);
	assert_true(journal_line_ok("21e7d5a5 {op: move, at: 2019-06-28T10:12:00Z, by: \"A\", "
				    "card: 00000000-0000-4000-8000-000000000001, grid: \"g\", x: 1, "
				    "y: 2}", 9 + strlen(line)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_line_read_before_its_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_then_append, setup, teardown),
		cmocka_unit_test_setup_teardown(test_over_long_tail_is_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_over_long_line_is_torn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_refuses_over_long_line, setup, teardown),
		cmocka_unit_test(test_crc32_values),
	};

	return cmocka_run_group_tests_name("journal", tests, NULL, NULL);
}
