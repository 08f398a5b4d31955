#include "conflicts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal.h"
#include "op.h"
#include "sign.h"
#include "store.h"
#include "xmalloc.h"

#define CONFLICTS_HEADER "tamis-conflicts 1\n"

char *conflicts_path(const char *board_path)
{
	return file_side_path(board_path, ".conflicts");
}

/* Calls fn on each good line of data (the whole file); counts the bad ones. */
static size_t conflicts_each(const struct strbuf *data, conflicts_line_fn fn, void *fndata,
			     size_t *damaged)
{
	const char *p = data->buf, *end = data->buf + data->len;
	size_t n = 0;

	if (data->len >= sizeof(CONFLICTS_HEADER) - 1 &&
	    !memcmp(p, CONFLICTS_HEADER, sizeof(CONFLICTS_HEADER) - 1))
		p += sizeof(CONFLICTS_HEADER) - 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (journal_line_ok(p, len)) {
			fn(p + 9, len - 9, fndata);
			n++;
		} else if (damaged && len) {
			(*damaged)++;
		}
		p += len + (nl ? 1 : 0);
	}
	return n;
}

int conflicts_read(const char *board_path, conflicts_line_fn fn, void *data, size_t *damaged,
		   struct strbuf *err)
{
	char *path = conflicts_path(board_path);
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	int r = 0;

	if (file_read(path, STORE_MAX_FILE_SIZE, &text, &why) < 0) {
		if (errno != ENOENT) {
			r = -1;
			if (err)
				strbuf_add(err, why.buf, why.len);
		}
	} else {
		r = (int)conflicts_each(&text, fn, data, damaged);
	}
	strbuf_release(&text);
	strbuf_release(&why);
	free(path);
	return r;
}

/* Collects what a conflicts file holds, to add nothing twice. */
struct conflicts_known {
	char **v;
	size_t *len;
	size_t n, alloc, len_alloc;
};

static void conflicts_know(const char *payload, size_t len, void *data)
{
	struct conflicts_known *k = data;

	ALLOC_GROW(k->v, k->n + 1, k->alloc);
	ALLOC_GROW(k->len, k->n + 1, k->len_alloc);
	k->v[k->n] = xstrndup(payload, len);
	k->len[k->n++] = len;
}

static bool conflicts_known_has(const struct conflicts_known *k, const char *payload, size_t len)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (k->len[i] == len && !memcmp(k->v[i], payload, len))
			return true;
	return false;
}

int conflicts_add(const char *board_path, const struct conflicts_line *lines, size_t n,
		  const struct file_perm *perm, struct strbuf *err)
{
	char *path = conflicts_path(board_path);
	struct conflicts_known known = { NULL, NULL, 0, 0, 0 };
	struct strbuf text = STRBUF_INIT, add = STRBUF_INIT;
	struct stat st;
	size_t i, added = 0;
	int fd = -1, r = -1;

	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0664 & ~S_IWOTH);
	if (fd < 0) {
		file_fail(err, "cannot open", path);
		goto out;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		errno = EINVAL;
		file_fail(err, "cannot use", path);
		goto out;
	}
	if (st.st_size == 0) {
		file_perm_apply(fd, perm);
		strbuf_addstr(&add, CONFLICTS_HEADER);
	} else if (file_read(path, STORE_MAX_FILE_SIZE, &text, err) < 0) {
		goto out;
	} else {
		conflicts_each(&text, conflicts_know, &known, NULL);
		if (text.buf[text.len - 1] != '\n')
			strbuf_addch(&add, '\n'); /* end a torn line: it stays one bad line */
	}
	for (i = 0; i < n; i++) {
		if (conflicts_known_has(&known, lines[i].payload, lines[i].len))
			continue;
		journal_frame(&add, lines[i].payload, lines[i].len);
		conflicts_know(lines[i].payload, lines[i].len, &known);
		added++;
	}
	if (!added) {
		r = 0;
		goto out;
	}
	if (file_write_all(fd, add.buf, add.len) < 0 || fdatasync(fd) < 0) {
		file_fail(err, "cannot write", path);
		goto out;
	}
	r = (int)added;
out:
	if (fd >= 0)
		close(fd);
	for (i = 0; i < known.n; i++)
		free(known.v[i]);
	free(known.v);
	free(known.len);
	strbuf_release(&text);
	strbuf_release(&add);
	free(path);
	return r;
}

/* Counts the kept lines, and the unsigned facilitator ones among them. */
struct conflicts_tally {
	const struct board *b;
	size_t n, unverified;
};

static void conflicts_tally_line(const char *payload, size_t len, void *data)
{
	struct conflicts_tally *t = data;
	struct op op = OP_INIT;

	t->n++;
	if (store_parse_op(t->b, payload, len, &op, NULL) == 0 &&
	    sign_op_status(t->b, &op, NULL) == SIGN_UNVERIFIED)
		t->unverified++;
	op_release(&op);
}

size_t conflicts_tally(const char *board_path, const struct board *b, size_t *unverified)
{
	struct conflicts_tally t = { b, 0, 0 };

	conflicts_read(board_path, conflicts_tally_line, &t, NULL, NULL);
	*unverified = t.unverified;
	return t.n;
}
