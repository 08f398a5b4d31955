#include "rescue.h"

#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "merge.h"
#include "store.h"
#include "xmalloc.h"

/* A fill (fileio.h) for a board. */
static int rescue_fill(void *data, file_write_fn *write, void *ctx)
{
	return store_format_stream(data, (store_write_fn *)write, ctx);
}

/* Writes b at DIR/.BASE.rescue-STAMP[-N].yaml (dir NULL: here), never over a file. */
static int rescue_write_in(const char *dir, const char *base, const struct board *b,
			   const struct file_perm *perm, const char *stamp, struct strbuf *written,
			   struct strbuf *err)
{
	struct file_write_opts opts = { perm, NULL, NULL, true };
	struct strbuf path = STRBUF_INIT;
	int i, r = -1;

	for (i = 1; i < 100; i++) {
		strbuf_reset(&path);
		if (dir)
			strbuf_addf(&path, "%s/", dir);
		strbuf_addf(&path, ".%s.rescue-%s", base, stamp);
		if (i > 1)
			strbuf_addf(&path, "-%d", i);
		strbuf_addstr(&path, ".yaml");
		strbuf_reset(err);
		r = file_write_atomic(path.buf, rescue_fill, (void *)b, &opts, err);
		if (r == 0 || errno != EEXIST)
			break;
	}
	if (r == 0)
		strbuf_add(written, path.buf, path.len);
	strbuf_release(&path);
	return r;
}

/* Makes dir and its parents (0700 for those made here); best effort. */
static void rescue_mkdirs(char *dir)
{
	char *p;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)!mkdir(dir, 0700);
		*p = '/';
	}
	(void)!mkdir(dir, 0700);
}

int rescue_write(const char *board_path, const struct board *b, const struct file_perm *perm,
		 time_t now, struct strbuf *written, struct strbuf *err)
{
	const char *slash = strrchr(board_path, '/'), *base = slash ? slash + 1 : board_path;
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME"), *tmp = getenv("TMPDIR");
	struct strbuf dir = STRBUF_INIT, why = STRBUF_INIT;
	char stamp[32];
	struct tm tm;
	int r;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	if (slash)
		strbuf_add(&dir, board_path, slash == board_path ? 1 : (size_t)(slash - board_path));
	/* Beside the board: named as the board is (no "./" for a bare name). */
	r = rescue_write_in(slash ? dir.buf : NULL, base, b, perm, stamp, written, &why);
	if (r == 0)
		goto out;
	strbuf_addf(err, "%s", why.buf);
	/* Somewhere of this account's own: the board's directory refused it. */
	strbuf_reset(&dir);
	if (state && *state == '/')
		strbuf_addf(&dir, "%s/tamis", state);
	else if (home && *home == '/')
		strbuf_addf(&dir, "%s/.local/state/tamis", home);
	if (dir.len) {
		rescue_mkdirs(dir.buf);
		if (rescue_write_in(dir.buf, base, b, NULL, stamp, written, &why) == 0) {
			r = 1;
			goto out;
		}
		strbuf_addf(err, "; %s", why.buf);
	}
	strbuf_reset(&dir);
	strbuf_addstr(&dir, tmp && *tmp == '/' ? tmp : "/tmp");
	if (rescue_write_in(dir.buf, base, b, NULL, stamp, written, &why) == 0) {
		r = 1;
		goto out;
	}
	strbuf_addf(err, "; %s", why.buf);
	r = -1;
out:
	strbuf_release(&dir);
	strbuf_release(&why);
	return r;
}

/* A copy of b (through its file form, so nothing is shared). */
static struct board *rescue_board_copy(const struct board *b)
{
	struct strbuf text = STRBUF_INIT;
	struct store_errors e;
	struct board *copy = NULL;

	store_format(b, &text);
	store_errors_init(&e, "copy");
	if (store_parse(text.buf, text.len, &copy, &e) < 0)
		copy = NULL;
	store_errors_release(&e);
	strbuf_release(&text);
	return copy;
}

/* True when the rescue copy at path holds something b lacks (or cannot tell). */
static bool rescue_holds_changes(const char *path, const char *board_path, const struct board *b)
{
	struct board *r = NULL, *copy;
	struct merge_stats st = { 0 };
	struct store_errors e;
	bool pending = true;

	store_errors_init(&e, path);
	if (store_load(path, &r, &e) < 0) {
		store_errors_release(&e);
		return true; /* unreadable: a person must look at it */
	}
	store_errors_release(&e);
	copy = rescue_board_copy(b);
	store_errors_init(&e, path);
	if (copy && merge_board(copy, board_path, NULL, r, path, NULL, 0, &st, &e) == 0)
		pending = MERGE_CHANGED(&st);
	store_errors_release(&e);
	board_free(copy);
	board_free(r);
	return pending;
}

size_t rescue_pending(const char *board_path, const char *display, const struct board *b,
		      struct strbuf *out)
{
	const char *slash = strrchr(board_path, '/');
	const char *dslash = strrchr(display, '/');
	struct strbuf pattern = STRBUF_INIT, shown = STRBUF_INIT;
	size_t i, n = 0;
	glob_t g;

	if (slash)
		strbuf_add(&pattern, board_path, (size_t)(slash - board_path + 1));
	strbuf_addf(&pattern, ".%s.rescue-*.yaml", slash ? slash + 1 : board_path);
	if (glob(pattern.buf, GLOB_NOSORT, NULL, &g) != 0) {
		strbuf_release(&pattern);
		return 0;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		const char *name = strrchr(g.gl_pathv[i], '/');

		if (!rescue_holds_changes(g.gl_pathv[i], board_path, b))
			continue;
		/* Named beside the board as the user named it. */
		name = name ? name + 1 : g.gl_pathv[i];
		strbuf_reset(&shown);
		if (dslash)
			strbuf_add(&shown, display, (size_t)(dslash - display + 1));
		strbuf_addstr(&shown, name);
		strbuf_addf(out,
			    _("'%s' holds changes that are not in '%s' (kept when they could not be "
			      "saved): bring them back with 'tamis merge NEW.yaml %s %s' and put "
			      "NEW.yaml in its place, or remove the copy\n"),
			    shown.buf, display, display, shown.buf);
		n++;
	}
	globfree(&g);
	strbuf_release(&pattern);
	strbuf_release(&shown);
	return n;
}
