/*
 * fuzz_journal.c - libFuzzer harness for the live-sharing journal reader:
 * journal_open() and journal_read() on a file, each payload through
 * store_parse_op() and op_apply() on a fixed board.
 *
 * The input is a journal body (the lines after the header). It is read twice:
 *
 *  1. as it is, behind a header for the fixed snapshot: the framing. Every
 *     complete line is passed on or counted as torn, never both; reading
 *     stops after the last newline;
 *  2. re-framed: each line (a leading "XXXXXXXX " frame dropped) gets its
 *     right CRC, so that the fuzzer reaches the operations parser without
 *     having to forge CRC-32s. Every line must be passed on.
 *
 * For every payload that store_parse_op() accepts: written again with
 * store_format_op() it must read back into an op written the same way; so
 * must its inverse (op_inverse(), for undo), which must also apply to the
 * board once the op is applied. Then the op is applied to the board. After
 * all, the board must survive
 * store_format() / store_parse(): no sequence of operations from a journal
 * may leave a board that cannot be saved and loaded.
 */
#define FUZZ_NAME fuzz_journal
#include "fuzz.h"

#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>

#include "journal.h"
#include "op.h"

#define FUZZ_SNAP_SIZE 16110
#define FUZZ_SNAP_CRC 0x5eed1234u
static const struct journal_snap fuzz_snap = { FUZZ_SNAP_SIZE, FUZZ_SNAP_CRC, 0, 0, { 0, 0 } };

static char fuzz_dir[] = "/tmp/tamis-fuzz-journal.XXXXXX";
static char *fuzz_board_path;
static struct strbuf fuzz_header = STRBUF_INIT;

struct fuzz_ctx {
	struct board *b;
	size_t lines;
	struct strbuf err, line, again, why;
};

static void fuzz_cleanup(void)
{
	char *path = journal_path(fuzz_board_path);

	unlink(path);
	free(path);
	rmdir(fuzz_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct strbuf err = STRBUF_INIT, path = STRBUF_INIT;
	struct journal j;
	char buf[128];
	ssize_t n;
	int fd;

	(void)argc;
	(void)argv;
	if (!mkdtemp(fuzz_dir))
		fuzz_fail("cannot make a temporary directory", fuzz_dir);
	strbuf_addf(&path, "%s/b.yaml", fuzz_dir);
	fuzz_board_path = strbuf_detach(&path, NULL);
	atexit(fuzz_cleanup);

	/* The header exactly as journal_reset() writes it. */
	journal_init(&j, fuzz_board_path);
	if (journal_reset(&j, &fuzz_snap, &err) < 0)
		fuzz_fail("journal_reset() failed", err.buf);
	fd = open(j.path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	if (n <= 0 || !memchr(buf, '\n', (size_t)n))
		fuzz_fail("cannot read the journal header back", j.path);
	strbuf_add(&fuzz_header, buf, (size_t)((char *)memchr(buf, '\n', (size_t)n) - buf + 1));
	close(fd);
	journal_release(&j);
	strbuf_release(&err);
	return 0;
}

/*
 * What we write of an op must read back into an op written the same way: the
 * journal holds what store_format_op() writes.
 */
static void fuzz_op_line(struct fuzz_ctx *c, const struct op *op, const char *what)
{
	struct op back;

	strbuf_reset(&c->line);
	strbuf_reset(&c->again);
	strbuf_reset(&c->err);
	store_format_op(c->b, op, &c->line);
	if (memchr(c->line.buf, '\n', c->line.len)) {
		fprintf(stderr, "fuzz: %s\n", what);
		fuzz_fail("store_format_op() wrote more than one line", c->line.buf);
	}
	if (store_parse_op(c->b, c->line.buf, c->line.len, &back, &c->err) < 0) {
		strbuf_addf(&c->err, "\n--- %s, as written: %s", what, c->line.buf);
		fuzz_fail("store_parse_op() refuses what store_format_op() wrote", c->err.buf);
	}
	store_format_op(c->b, &back, &c->again);
	if (strcmp(c->line.buf, c->again.buf)) {
		strbuf_addf(&c->line, "\n%s\n(%s)", c->again.buf, what);
		fuzz_fail("an op written, read back and written again changed", c->line.buf);
	}
	op_release(&back);
}

/* A copy of b, through the store (whose round trip is checked elsewhere). */
static struct board *fuzz_copy(const struct board *b)
{
	struct strbuf yaml = STRBUF_INIT;
	struct store_errors err;
	struct board *copy = NULL;

	store_format(b, &yaml);
	store_errors_init(&err, "copy.yaml");
	if (store_parse(yaml.buf, yaml.len, &copy, &err) < 0)
		fuzz_fail("a board as store_format() writes it does not load", yaml.buf);
	store_errors_release(&err);
	strbuf_release(&yaml);
	return copy;
}

static void fuzz_op(const char *payload, size_t len, void *data)
{
	struct fuzz_ctx *c = data;
	struct op op, inv;
	bool has_inv;

	c->lines++;
	strbuf_reset(&c->err);
	if (store_parse_op(c->b, payload, len, &op, &c->err) < 0) {
		if (!c->err.len || memchr(c->err.buf, '\n', c->err.len))
			fuzz_fail("store_parse_op() refused without a one-line reason", c->err.buf);
		return;
	}
	if (c->err.len)
		fuzz_fail("store_parse_op() accepted with a reason", c->err.buf);

	fuzz_op_line(c, &op, "an op");

	/*
	 * Undo: the inverse, computed before, must itself be writable to the
	 * journal and apply to the board the op made (tried on a copy, so that
	 * the ops of the input keep building on each other).
	 */
	has_inv = op_inverse(c->b, &op, &inv) == 0;
	if (has_inv)
		fuzz_op_line(c, &inv, "the inverse of an op");
	strbuf_reset(&c->why);
	if (op_apply(c->b, &op, &c->why) == RESULT_OK && has_inv) {
		struct board *copy = fuzz_copy(c->b);

		strbuf_reset(&c->why);
		if (op_apply(copy, &inv, &c->why) < 0) {
			strbuf_reset(&c->line);
			store_format_op(copy, &inv, &c->line);
			strbuf_addf(&c->why, "\n--- the op: %.*s\n--- its inverse: %s", (int)len,
				    payload, c->line.buf);
			fuzz_fail("the inverse of an applied op does not apply", c->why.buf);
		}
		board_free(copy);
	}
	if (has_inv)
		op_release(&inv);
	op_release(&op);
}

/* Writes header + body as the journal file, opens and reads it; returns the lines passed on. */
static size_t fuzz_read(struct fuzz_ctx *c, const char *body, size_t len, size_t *torn)
{
	struct strbuf err = STRBUF_INIT;
	struct journal j;
	size_t i, end = 0, complete = 0, records = 0;
	int fd, r;

	journal_init(&j, fuzz_board_path);
	fd = open(j.path, O_WRONLY | O_TRUNC | O_CREAT, 0600);
	if (fd < 0 || write(fd, fuzz_header.buf, fuzz_header.len) != (ssize_t)fuzz_header.len ||
	    (len && write(fd, body, len) != (ssize_t)len) || close(fd) < 0)
		fuzz_fail("cannot write the journal", j.path);
	if (journal_open(&j, &fuzz_snap, &err) != JOURNAL_CURRENT)
		fuzz_fail("journal_open() refused its own header", err.buf);

	c->lines = 0;
	*torn = 0;
	r = journal_read(&j, fuzz_op, c, torn, &err);
	if (r < 0 || (size_t)r != c->lines)
		fuzz_fail("journal_read() failed or miscounted its lines", err.buf);

	/*
	 * It read up to the last newline, and every complete line is counted
	 * once: passed on, torn, or a fold record (framed right, skipped).
	 */
	for (i = 0; i < len; i++)
		if (body[i] == '\n') {
			complete++;
			if (journal_line_ok(body + end, i - end) && i - end >= 9 + 6 &&
			    !memcmp(body + end + 9, "!fold ", 6))
				records++;
			end = i + 1;
		}
	if ((size_t)j.pos != fuzz_header.len + end)
		fuzz_fail("journal_read() stopped elsewhere than after the last newline", NULL);
	if (*torn + c->lines + records != complete)
		fuzz_fail("complete lines and lines passed on + torn + fold records do not match", NULL);

	journal_release(&j);
	strbuf_release(&err);
	return c->lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct strbuf framed = STRBUF_INIT;
	struct fuzz_ctx c;
	size_t torn, start, lines = 0;

	memset(&c, 0, sizeof(c));
	strbuf_init(&c.err, 0);
	strbuf_init(&c.line, 0);
	strbuf_init(&c.again, 0);
	strbuf_init(&c.why, 0);
	c.b = fuzz_board();

	/* 1. The bytes as they are. */
	fuzz_read(&c, body, size, &torn);

	/* 2. Every line re-framed with its right CRC. */
	for (start = 0; start < size;) {
		const char *nl = memchr(body + start, '\n', size - start);
		size_t len = nl ? (size_t)(nl - (body + start)) : size - start;
		const char *line = body + start;

		if (len >= 9 && line[8] == ' ' && strspn(line, "0123456789abcdefABCDEF") >= 8) {
			line += 9;
			len -= 9;
		}
		journal_frame(&framed, line, len);
		/* Fold records are framed lines readers skip, not operations. */
		if (len < 6 || memcmp(line, "!fold ", 6))
			lines++;
		start += (size_t)(line - (body + start)) + len + 1;
	}
	if (fuzz_read(&c, framed.buf, framed.len, &torn) != lines || torn)
		fuzz_fail("an operation line framed by journal_frame() was not passed on", framed.buf);

	fuzz_round_trip(c.b, NULL);

	board_free(c.b);
	strbuf_release(&c.err);
	strbuf_release(&c.line);
	strbuf_release(&c.again);
	strbuf_release(&c.why);
	strbuf_release(&framed);
	return 0;
}
