#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board.h"
#include "conflicts.h"
#include "fileio.h"
#include "i18n.h"
#include "import.h"
#include "merge.h"
#include "op.h"
#include "report.h"
#include "rescue.h"
#include "result.h"
#include "session.h"
#include "sign.h"
#include "store.h"
#include "text.h"
#include "timeutil.h"
#include "xmalloc.h"

int cli_error(int status, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT, safe = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	text_sanitize(&safe, msg.buf);
	fprintf(stderr, "tamis: %s\n", safe.buf);
	strbuf_release(&msg);
	strbuf_release(&safe);
	return status;
}

/* --- Output of untrusted text ------------------------------------------ */

enum cli_escape {
	CLI_ESCAPE_TERMINAL, /* every unsafe code point as a visible escape */
	CLI_ESCAPE_LINE,     /* raw, but one record per line: \n \r \t escaped */
	CLI_ESCAPE_TSV,      /* like LINE, and \ doubled so it reads back */
};

static enum cli_escape cli_escape_for(bool tsv)
{
	if (isatty(STDOUT_FILENO))
		return CLI_ESCAPE_TERMINAL;
	return tsv ? CLI_ESCAPE_TSV : CLI_ESCAPE_LINE;
}

/* Appends s made safe for the given output. */
static void cli_text(struct strbuf *out, const char *s, enum cli_escape mode)
{
	if (mode == CLI_ESCAPE_TERMINAL) {
		text_sanitize(out, s);
		return;
	}
	for (;;) {
		size_t n = strcspn(s, "\n\r\t\\");

		strbuf_add(out, s, n);
		s += n;
		switch (*s) {
		case '\0': return;
		case '\n': strbuf_addstr(out, "\\n"); break;
		case '\r': strbuf_addstr(out, "\\r"); break;
		case '\t': strbuf_addstr(out, "\\t"); break;
		default: strbuf_addstr(out, mode == CLI_ESCAPE_TSV ? "\\\\" : "\\"); break;
		}
		s++;
	}
}

/* True when s is printable ASCII without '\\': the same in every mode, one column a byte. */
static bool cli_plain(const char *s, size_t *len)
{
	const char *p;

	for (p = s; *p >= 0x20 && *p < 0x7F && *p != '\\'; p++)
		;
	*len = (size_t)(p - s);
	return !*p;
}

/* Appends s padded with spaces to width display columns (never cut). */
static void cli_pad(struct strbuf *out, const char *s, int width, enum cli_escape mode)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t len;
	int w;

	if (cli_plain(s, &len)) {
		strbuf_add(out, s, len);
		if (width > 0 && len < (size_t)width)
			strbuf_addchars(out, ' ', (size_t)width - len);
		return;
	}
	cli_text(&tmp, s, mode);
	w = text_width(tmp.buf);
	strbuf_add(out, tmp.buf, tmp.len);
	if (w < width)
		strbuf_addchars(out, ' ', (size_t)(width - w));
	strbuf_release(&tmp);
}

static int cli_write(struct strbuf *out)
{
	if (fwrite(out->buf, 1, out->len, stdout) != out->len || fflush(stdout) == EOF)
		return cli_error(EX_IOERR, _("cannot write output: %s"), strerror(errno));
	return 0;
}

/* --- Loading and changing boards --------------------------------------- */

/* Prints every problem; returns the exit status for session_open()'s result. */
static int cli_open_status(int r, const struct store_errors *err)
{
	struct strbuf msg = STRBUF_INIT;

	store_errors_format(err, &msg);
	fputs(msg.buf, stderr);
	strbuf_release(&msg);
	return result_exit_status(r);
}

/* Prints each line of text as a warning ("tamis: warning: ..."). Returns how many. */
static size_t cli_warn_lines(const char *text)
{
	size_t n = 0;

	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char *line = xstrndup(text, len);

		if (len) {
			cli_error(0, _("warning: %s"), line);
			n++;
		}
		free(line);
		text += len + (nl ? 1 : 0);
	}
	return n;
}

/*
 * Says what the session found that a person must know (a journal set
 * aside, the board edited under its journal...), once, and how many journal
 * lines were skipped and why (one line). Returns how many lines it said.
 */
static size_t cli_notices(struct session *s, const char *path)
{
	struct strbuf line = STRBUF_INIT;
	size_t n = cli_warn_lines(s->notice.buf);

	strbuf_reset(&s->notice);
	session_describe_skipped(s, path, &line);
	n += cli_warn_lines(line.buf);
	strbuf_release(&line);
	return n;
}

/* Opens path for reading (the board file plus its live journal); 0 or a status. */
static int cli_open(const char *path, enum session_mode mode, struct session *s)
{
	struct store_errors err;
	int r, status = 0;

	store_errors_init(&err, path);
	r = session_open(s, path, mode, &err);
	if (r < 0)
		status = cli_open_status(r, &err);
	store_errors_release(&err);
	if (!status)
		cli_notices(s, path);
	return status;
}

/*
 * What a command does to the board, under the writers' lock: like a
 * session_change_fn (session.h), but it returns 0 to keep its change or
 * the command's exit status to abandon it (having said why).
 */
typedef int cli_change_fn(struct board *b, struct op_list *ops, void *data);

struct cli_change {
	cli_change_fn *fn;
	void *data;
	int status; /* the exit status fn abandoned with */
};

static int cli_change_one(struct board *b, struct op_list *ops, void *data)
{
	struct cli_change *c = data;

	c->status = c->fn(b, ops, c->data);
	return c->status ? RESULT_ABANDONED : RESULT_OK;
}

/*
 * Opens the board, applies change under the writers' lock (after catching up
 * with others) and makes it durable: the board file is rewritten, or, while
 * the board is open live elsewhere, the change goes to its journal. Returns
 * the exit status.
 */
static int cli_update(const char *path, cli_change_fn *change, void *data)
{
	struct cli_change c = { change, data, 0 };
	struct strbuf err = STRBUF_INIT;
	struct session s;
	int status, r;

	if ((status = cli_open(path, SESSION_WRITE, &s)))
		return status;
	r = session_update(&s, cli_change_one, &c, &err);
	if (r == RESULT_ABANDONED)
		status = c.status;
	else if (r != RESULT_OK && r != RESULT_UNCHANGED)
		status = cli_error(result_exit_status(r), "%s", err.buf);
	cli_warn_lines(s.notice.buf);
	session_close(&s, NULL);
	strbuf_release(&err);
	return status;
}

/*
 * Says that changes saved in the journal were kept aside because they no
 * longer apply (conflicts.h), until a person has dealt with them; forged
 * facilitator operations end there too. Returns how many lines it said.
 */
static size_t cli_warn_kept(const struct session *s, const char *path)
{
	struct { size_t n, unverified; } k;

	k.n = conflicts_tally(s->path, s->board, &k.unverified);
	if (!k.n)
		return 0;
	cli_error(0, ngettext("warning: %zu saved change no longer applies to '%s': "
			      "see 'tamis show-conflicts %s'",
			      "warning: %zu saved changes no longer apply to '%s': "
			      "see 'tamis show-conflicts %s'", k.n),
		  k.n, path, path);
	if (k.unverified)
		cli_error(0, ngettext("warning: '%s': %zu of them is a facilitator operation not "
				      "signed by a key the board lists",
				      "warning: '%s': %zu of them are facilitator operations not "
				      "signed by a key the board lists", k.unverified),
			  path, k.unverified);
	return 1 + (k.unverified > 0);
}

/* What cli_load() does besides reading. */
enum {
	CLI_LOAD_FOLD = 1,   /* fold a journal left by an instance that is gone */
	CLI_LOAD_RESCUE = 2, /* say which rescue copies hold changes the board lacks */
};

/*
 * Loads the current state of path (board file and live journal) for
 * reading; *unverified (if non-NULL) gets the number of facilitator
 * operations of the journal that were applied as a pair's (sign.h),
 * which are otherwise reported as a warning.
 */
static int cli_load_flags(const char *path, struct board **out, unsigned flags,
			  size_t *unverified)
{
	struct strbuf err = STRBUF_INIT, lines = STRBUF_INIT;
	struct session s;
	int status = cli_open(path, SESSION_READ, &s);
	size_t unsigned_ops;

	if (status)
		return status;
	unsigned_ops = s.unverified; /* as read: a fold forgets the journal's lines */
	/* Nobody live any more, yet a journal: an instance was killed. Fold it, if we can now. */
	if ((flags & CLI_LOAD_FOLD) && session_fold_abandoned(&s, &err) < 0)
		cli_error(0, _("warning: %s"), err.buf);
	cli_warn_lines(s.notice.buf);
	if (flags & CLI_LOAD_RESCUE) {
		rescue_pending(s.path, path, s.board, &lines);
		cli_warn_lines(lines.buf);
	}
	cli_warn_kept(&s, path);
	if (unverified)
		*unverified = unsigned_ops;
	else if (unsigned_ops)
		cli_error(0, ngettext("warning: '%s': %zu facilitator operation of the live journal "
				      "is not signed by a key the board lists: applied as a pair's",
				      "warning: '%s': %zu facilitator operations of the live journal "
				      "are not signed by a key the board lists: applied as a pair's",
				      unsigned_ops),
			  path, unsigned_ops);
	*out = s.board;
	s.board = NULL;
	session_close(&s, NULL);
	strbuf_release(&err);
	strbuf_release(&lines);
	return 0;
}

static int cli_load(const char *path, struct board **out)
{
	return cli_load_flags(path, out, CLI_LOAD_FOLD, NULL);
}

/* Applies op for a command, saying why when it does not apply. */
static int cli_apply(struct board *b, const struct op *op, struct op_list *ops)
{
	struct strbuf why = STRBUF_INIT;
	int status = 0;

	if (op_apply_record(b, op, ops, &why) < 0)
		status = cli_error(EX_NOPERM, "%s", why.buf);
	strbuf_release(&why);
	return status;
}

/*
 * Applies op, made with facilitator rights, for a command: signed with this
 * account's key (loaded on first need into *key), or made as a pair's when
 * it cannot be signed so that it verifies, saying why (sign_prepare_op()).
 */
static int cli_apply_facilitator(struct board *b, struct op *op, struct op_list *ops,
				 struct sign_key *key)
{
	struct strbuf why = STRBUF_INIT, note = STRBUF_INIT;
	int status = 0, r;

	if (!key->ok && !key->problem)
		sign_key_load(key, NULL);
	r = sign_prepare_op(b, key, op, ops, &note);
	if (op_apply_record(b, op, ops, &why) < 0)
		status = r ? cli_error(EX_NOPERM, "%s (%s)", why.buf, note.buf)
			   : cli_error(EX_NOPERM, "%s", why.buf);
	else if (r)
		cli_error(0, _("warning: %s: made as a pair's change"), note.buf);
	else if (op->facilitator && !op->sig)
		cli_error(0, _("warning: your facilitator change is not signed: %s"),
			  key->problem ? key->problem : _("it names nobody (--by NAME)"));
	strbuf_release(&why);
	strbuf_release(&note);
	return status;
}

/* --- Arguments ---------------------------------------------------------- */

static int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	cli_error(EX_USAGE, "%s", msg.buf);
	fprintf(stderr, _("Try 'tamis %s --help'.\n"), cmd);
	strbuf_release(&msg);
	return EX_USAGE;
}

static void cli_command_help(const struct cli_command *cmd)
{
	printf(_("Usage: tamis %s %s\n"), cmd->name, cmd->args);
	printf("%s\n", _(cmd->summary));
}

/* Parses "X,Y" into a cell; returns -1 when malformed. */
static int cli_parse_cell(const char *s, int *x, int *y)
{
	char *end;
	long a, b;

	errno = 0;
	a = strtol(s, &end, 10);
	if (end == s || *end != ',')
		return -1;
	s = end + 1;
	b = strtol(s, &end, 10);
	if (end == s || *end || errno || a < 0 || a > 99 || b < 0 || b > 99)
		return -1;
	*x = (int)a;
	*y = (int)b;
	return 0;
}

static int cli_find_grid(const char *cmd, const struct board *b, const char *id, size_t *out)
{
	int g = board_grid_index(b, id);

	if (g < 0) {
		struct strbuf known = STRBUF_INIT;
		size_t i;

		for (i = 0; i < b->ngrids; i++)
			strbuf_addf(&known, "%s%s", i ? ", " : "", b->grids[i].id);
		cli_usage_error(cmd, _("unknown grid '%s' (grids: %s)"), id, known.buf);
		strbuf_release(&known);
		return EX_USAGE;
	}
	*out = (size_t)g;
	return 0;
}

static int cli_check_cell(const char *cmd, const struct board *b, size_t g, int x, int y)
{
	int n = b->grids[g].cells;

	if (x < 1 || x > n || y < 1 || y > n)
		return cli_usage_error(cmd, _("cell %d,%d is outside grid '%s' (1..%d on each axis)"),
				       x, y, b->grids[g].id, n);
	return 0;
}

static int cli_find_card(const char *cmd, struct board *b, const char *prefix, struct card **out)
{
	switch (board_find_card_prefix(b, prefix, out)) {
	case 0:
		return 0;
	case -1:
		return cli_usage_error(cmd, ngettext("'%s' is not a card id (give at least %d hex "
						     "digit)",
						     "'%s' is not a card id (give at least %d hex "
						     "digits)", CARD_MIN_PREFIX),
				       prefix, CARD_MIN_PREFIX);
	case -2:
		return cli_usage_error(cmd, _("no card '%s' on this board"), prefix);
	default:
		return cli_usage_error(cmd, _("card id '%s' is ambiguous: give more digits"), prefix);
	}
}

/* Options common to every command. */
#define CLI_OPT_HELP 'H'

/* --- new ----------------------------------------------------------------- */

/* The frame of the sample board (boards/comptoir-des-services.yaml). */
static void cli_sample_frame(struct board *b)
{
	static const struct { const char *id, *label; enum hue color; } themes[] = {
		{ "mobilite", "Mobilité", HUE_GREEN },
		{ "conciergerie", "Vie quotidienne & conciergerie", HUE_YELLOW },
		{ "sante", "Santé & bien-être", HUE_CYAN },
		{ "famille", "Famille", HUE_MAGENTA },
		{ "demarches", "Démarches & logement", HUE_BLUE },
		{ "numerique", "Numérique", HUE_WHITE },
		{ "alimentation", "Restauration & alimentation", HUE_RED },
	};
	static const struct { const char *id, *low, *high; enum pole easy; } criteria[] = {
		{ "autonomie", "Autonomie de l’usager", "Présence physique nécessaire", POLE_LOW },
		{ "frequence", "Exceptionnel", "Fréquent", POLE_HIGH },
		{ "centralisation", "Décentralisé", "Centralisé", POLE_HIGH },
	};
	static const struct { const char *id, *x, *y; int cells; } grids[] = {
		{ "autonomie-frequence", "autonomie", "frequence", 2 },
		{ "autonomie-centralisation", "autonomie", "centralisation", 3 },
		{ "frequence-centralisation", "frequence", "centralisation", 2 },
	};
	struct op op;
	size_t i;

	/* As every change: operations, the frame's made with the facilitator's rights. */
	for (i = 0; i < sizeof(themes) / sizeof(themes[0]); i++) {
		op_new_theme(&op, themes[i].id, themes[i].label, themes[i].color, NULL, 0);
		op_apply(b, &op, NULL);
		op_release(&op);
	}
	for (i = 0; i < sizeof(criteria) / sizeof(criteria[0]); i++) {
		memset(&op, 0, sizeof(op));
		op.kind = OP_CRITERION;
		op.facilitator = true;
		op_set(&op.name, criteria[i].id);
		op_set(&op.text, criteria[i].low);
		op_set(&op.text2, criteria[i].high);
		op.value = (int)criteria[i].easy;
		op_apply(b, &op, NULL);
		op_release(&op);
	}
	for (i = 0; i < sizeof(grids) / sizeof(grids[0]); i++) {
		memset(&op, 0, sizeof(op));
		op.kind = OP_GRID_ADD;
		op.facilitator = true;
		op_set(&op.grid, grids[i].id);
		op_set(&op.text, grids[i].x);
		op_set(&op.text2, grids[i].y);
		op.value = grids[i].cells;
		op_apply(b, &op, NULL);
		op_release(&op);
	}
}

static int cli_new(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const char *title = NULL;
	struct strbuf yaml = STRBUF_INIT, err = STRBUF_INIT;
	struct board *b;
	int c, status = 0;

	while ((c = getopt_long(argc, argv, "t:", opts, NULL)) != -1) {
		switch (c) {
		case 't': title = optarg; break;
		case CLI_OPT_HELP: cli_command_help(cli_find("new")); return 0;
		default: return cli_usage_error("new", _("unknown option"));
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("new", _("expected one FILE"));
	if (title && (!*title || !text_is_safe(title)))
		return cli_usage_error("new", _("the title must be non-empty, without control characters"));
	b = board_new(title ? title : _("New board"));
	cli_sample_frame(b);
	store_format(b, &yaml);
	if (file_create(argv[optind], yaml.buf, yaml.len, &err) < 0)
		status = cli_error(errno == EEXIST ? EX_CANTCREAT : EX_CANTCREAT, "%s", err.buf);
	board_free(b);
	strbuf_release(&yaml);
	strbuf_release(&err);
	return status;
}

/* --- add ----------------------------------------------------------------- */

struct cli_add {
	const char *text, *theme, *by, *grid;
	int x, y;
	bool cell, force;
	char short_id[CARD_SHORT_ID_LEN + 1];
};

/*
 * Refuses a text already on the board (import's rule: NFC or NFD, case and
 * spaces aside), naming the card that holds it, unless --force: in a
 * workshop two pairs often write the same idea, and two cards would split
 * its placements in the sieve. Returns 0 or EX_DATAERR, having said why.
 */
static int cli_add_duplicate(const struct board *b, const struct cli_add *a)
{
	struct strbuf text = STRBUF_INIT;
	char short_id[CARD_SHORT_ID_LEN + 1];
	const struct card *card;
	long i;

	if (a->force || (i = import_find_text(b, a->text)) < 0)
		return 0;
	card = b->cards[i];
	card_short_id(card, short_id);
	text_fit(&text, card->text, 40);
	cli_error(EX_DATAERR, _("'%s' is already on the board: card %s (theme %s)"), text.buf,
		  short_id, b->themes[card->theme].label);
	cli_error(EX_DATAERR, _("nothing added; to add a second card with this text all the "
				"same, run the command again with --force"));
	strbuf_release(&text);
	return EX_DATAERR;
}

static int cli_add_change(struct board *b, struct op_list *ops, void *data)
{
	struct cli_add *a = data;
	size_t g = 0;
	int theme = 0, status;
	time_t now = clock_now();
	struct op op = OP_INIT;
	uuid_t id;

	if (!b->nthemes)
		return cli_error(EX_DATAERR, _("the board has no theme to put the card in"));
	if (a->theme && (theme = board_theme_index(b, a->theme)) < 0) {
		struct strbuf known = STRBUF_INIT;
		size_t i;

		for (i = 0; i < b->nthemes; i++)
			strbuf_addf(&known, "%s%s", i ? ", " : "", b->themes[i].id);
		status = cli_usage_error("add", _("unknown theme '%s' (themes: %s)"), a->theme,
					 known.buf);
		strbuf_release(&known);
		return status;
	}
	if (a->grid && (status = cli_find_grid("add", b, a->grid, &g)))
		return status;
	if (a->grid && (status = cli_check_cell("add", b, g, a->x, a->y)))
		return status;
	if ((status = cli_add_duplicate(b, a)))
		return status;
	do
		uuid_generate_random(id);
	while (board_find_card(b, id));
	/* Made as every change is: operations, applied and recorded. */
	op_new_card(&op, b, id, a->text, (size_t)theme, a->by, now);
	status = cli_apply(b, &op, ops);
	op_release(&op);
	if (!status && a->grid) {
		op.kind = OP_MOVE;
		op.at = now;
		op_set(&op.by, a->by);
		memcpy(op.card, id, sizeof(uuid_t));
		op_set(&op.grid, b->grids[g].id);
		op.x = a->x;
		op.y = a->y;
		status = cli_apply(b, &op, ops);
		op_release(&op);
	}
	if (!status)
		card_short_id(board_find_card(b, id), a->short_id);
	return status;
}

static int cli_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "theme", required_argument, NULL, 't' },
		{ "by", required_argument, NULL, 'b' },
		{ "grid", required_argument, NULL, 'g' },
		{ "cell", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_add a;
	int c, status;

	memset(&a, 0, sizeof(a));
	a.by = getenv("TAMIS_BY");
	while ((c = getopt_long(argc, argv, "t:b:g:c:", opts, NULL)) != -1) {
		switch (c) {
		case 't': a.theme = optarg; break;
		case 'b': a.by = optarg; break;
		case 'g': a.grid = optarg; break;
		case 'f': a.force = true; break;
		case 'c':
			if (cli_parse_cell(optarg, &a.x, &a.y) < 0)
				return cli_usage_error("add", _("bad cell '%s': expected X,Y"), optarg);
			a.cell = true;
			break;
		case CLI_OPT_HELP: cli_command_help(cli_find("add")); return 0;
		default: return cli_usage_error("add", _("unknown option"));
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("add", _("expected FILE and TEXT"));
	if (!a.grid != !a.cell)
		return cli_usage_error("add", _("--grid and --cell go together"));
	if (a.by && !*a.by)
		a.by = NULL;
	if (a.by && !text_is_safe(a.by))
		return cli_usage_error("add", _("the name must not hold control characters"));
	a.text = argv[optind + 1];
	if (!*a.text || !utf8_valid(a.text, strlen(a.text), NULL))
		return cli_usage_error("add", _("the text must be non-empty UTF-8"));
	if (strlen(a.text) > STORE_MAX_SCALAR)
		return cli_usage_error("add", ngettext("the text is too long (at most %u byte)",
						       "the text is too long (at most %u bytes)",
						       STORE_MAX_SCALAR),
				       STORE_MAX_SCALAR);
	status = cli_update(argv[optind], cli_add_change, &a);
	if (!status)
		printf("%s\n", a.short_id);
	return status;
}

/* --- move ---------------------------------------------------------------- */

struct cli_move {
	const char *card, *grid, *by;
	int x, y;
};

static int cli_move_change(struct board *b, struct op_list *ops, void *data)
{
	struct cli_move *m = data;
	struct card *card;
	struct op op = OP_INIT;
	size_t g;
	int status;

	if ((status = cli_find_card("move", b, m->card, &card)) ||
	    (status = cli_find_grid("move", b, m->grid, &g)))
		return status;
	if (m->x && (status = cli_check_cell("move", b, g, m->x, m->y)))
		return status;
	op.kind = OP_MOVE;
	op.at = clock_now();
	op_set(&op.by, m->by);
	memcpy(op.card, card->id, sizeof(uuid_t));
	op_set(&op.grid, m->grid);
	op.x = m->x;
	op.y = m->y;
	status = cli_apply(b, &op, ops);
	op_release(&op);
	return status;
}

static int cli_move(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "grid", required_argument, NULL, 'g' },
		{ "cell", required_argument, NULL, 'c' },
		{ "unplace", no_argument, NULL, 'u' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_move m = { NULL, NULL, NULL, 0, 0 };
	bool cell = false, unplace = false;
	int c;

	m.by = getenv("TAMIS_BY");
	while ((c = getopt_long(argc, argv, "g:c:ub:", opts, NULL)) != -1) {
		switch (c) {
		case 'g': m.grid = optarg; break;
		case 'b': m.by = optarg; break;
		case 'c':
			if (cli_parse_cell(optarg, &m.x, &m.y) < 0 || !m.x || !m.y)
				return cli_usage_error("move", _("bad cell '%s': expected X,Y"), optarg);
			cell = true;
			break;
		case 'u': unplace = true; break;
		case CLI_OPT_HELP: cli_command_help(cli_find("move")); return 0;
		default: return cli_usage_error("move", _("unknown option"));
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("move", _("expected FILE and CARD"));
	if (!m.grid)
		return cli_usage_error("move", _("--grid is required"));
	if (cell == unplace)
		return cli_usage_error("move", _("give either --cell X,Y or --unplace"));
	if (unplace)
		m.x = m.y = 0;
	m.card = argv[optind + 1];
	return cli_update(argv[optind], cli_move_change, &m);
}

/* --- restore ------------------------------------------------------------- */

struct cli_restore {
	const char *card, *by;
	long at;
};

static int cli_restore_change(struct board *b, struct op_list *ops, void *data)
{
	struct cli_restore *r = data;
	struct card_version v[CARD_VERSIONS_MAX];
	struct card *card;
	struct op op = OP_INIT;
	size_t n;
	int status;

	if ((status = cli_find_card("restore", b, r->card, &card)))
		return status;
	n = card_versions(card, v);
	if (r->at < 1 || (size_t)r->at > n)
		return cli_error(EX_DATAERR,
				 ngettext("card %.8s has %zu version of its text ('tamis show' "
					  "lists it)",
					  "card %.8s has %zu versions of its text ('tamis show' "
					  "lists them)",
					  n),
				 r->card, n);
	if ((size_t)r->at == n)
		return 0; /* the text it has */
	op.kind = OP_TEXT;
	op.at = clock_now();
	op_set(&op.by, r->by);
	memcpy(op.card, card->id, sizeof(uuid_t));
	op_set(&op.text, v[r->at - 1].text);
	status = cli_apply(b, &op, ops);
	op_release(&op);
	return status;
}

static int cli_restore(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_restore r = { NULL, getenv("TAMIS_BY"), 0 };
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "a:b:", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			errno = 0;
			r.at = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || r.at < 1)
				return cli_usage_error("restore", _("bad version '%s': expected a "
								    "number from 1"), optarg);
			break;
		case 'b': r.by = optarg; break;
		case CLI_OPT_HELP: cli_command_help(cli_find("restore")); return 0;
		default: return cli_usage_error("restore", _("unknown option"));
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("restore", _("expected FILE and CARD"));
	if (!r.at)
		return cli_usage_error("restore", _("--at N is required"));
	r.card = argv[optind + 1];
	return cli_update(argv[optind], cli_restore_change, &r);
}

/* --- list ---------------------------------------------------------------- */

enum cli_format { CLI_FORMAT_TEXT, CLI_FORMAT_TSV, CLI_FORMAT_YAML };

static int cli_parse_format(const char *cmd, const char *s, bool yaml_ok, enum cli_format *out)
{
	if (!strcmp(s, "text"))
		*out = CLI_FORMAT_TEXT;
	else if (!strcmp(s, "tsv"))
		*out = CLI_FORMAT_TSV;
	else if (yaml_ok && !strcmp(s, "yaml"))
		*out = CLI_FORMAT_YAML;
	else
		return cli_usage_error(cmd, _("unknown format '%s' (use %s)"), s,
				       yaml_ok ? "text, tsv or yaml" : "text or tsv");
	return 0;
}

/* Appends n in decimal: the cells' coordinates, a few thousand of them in a list. */
static void cli_add_number(struct strbuf *out, int n)
{
	char digits[3];

	if (n < 0 || n > 99) {
		strbuf_addf(out, "%d", n);
		return;
	}
	digits[0] = (char)('0' + n / 10);
	digits[1] = (char)('0' + n % 10);
	strbuf_add(out, digits + (n < 10), n < 10 ? 1 : 2);
}

/* "X,Y" for a placed card, "-" for the tray; '*' marks the easy zone if asked. */
static void cli_cell(struct strbuf *out, const struct board *b, const struct card *card,
		     size_t g, bool mark_easy)
{
	if (!card_is_placed(card, g)) {
		strbuf_addch(out, '-');
		return;
	}
	cli_add_number(out, card->place[g].x);
	strbuf_addch(out, ',');
	cli_add_number(out, card->place[g].y);
	if (mark_easy && card_in_easy_zone(b, card, g))
		strbuf_addch(out, '*');
}

/* The card's move history, one indented line per move. */
static void cli_moves(struct strbuf *out, const struct board *b, const struct card *card,
		      enum cli_escape esc)
{
	char when[ISO8601_LEN + 1];
	size_t i;

	for (i = 0; i < card->nhistory; i++) {
		const struct card_event *e = &card->history[i];

		if (e->kind != EVENT_MOVED || e->grid >= b->ngrids)
			continue;
		iso8601_format(e->at, when);
		strbuf_addf(out, "          %s  ", when);
		cli_text(out, e->by ? e->by : "?", esc == CLI_ESCAPE_TERMINAL ? esc : CLI_ESCAPE_LINE);
		strbuf_addf(out, "  %s ", b->grids[e->grid].id);
		report_move(out, e->from, e->to);
		strbuf_addch(out, '\n');
	}
}

/* Width of the widest theme id, at least that of the header. */
static int cli_theme_width(const struct board *b, const char *header)
{
	int w = text_width(header);
	size_t i;

	for (i = 0; i < b->nthemes; i++)
		if (text_width(b->themes[i].id) > w)
			w = text_width(b->themes[i].id);
	return w;
}

/* Each grid's column in the table: as wide as its id, at least 5 (caller frees). */
static int *cli_cell_widths(const struct board *b)
{
	int *w = xcalloc(b->ngrids ? b->ngrids : 1, sizeof(*w));
	size_t g;

	for (g = 0; g < b->ngrids; g++) {
		w[g] = text_width(b->grids[g].id);
		if (w[g] < 5)
			w[g] = 5;
	}
	return w;
}

/*
 * Prints cards in a table. With rank set (the sieve), each row starts with
 * the rank and score, and cells in the easy zone carry '*'.
 */
static void cli_table(struct strbuf *out, const struct board *b, struct card *const *cards,
		      const struct sieve_entry *rank, size_t n, int only_grid, enum cli_format fmt,
		      bool history)
{
	enum cli_escape esc = cli_escape_for(fmt == CLI_FORMAT_TSV);
	struct strbuf cell = STRBUF_INIT;
	int theme_w = cli_theme_width(b, _("THEME")), *cell_w = cli_cell_widths(b);
	size_t i, g;

	if (fmt == CLI_FORMAT_TSV) {
		if (rank)
			strbuf_addstr(out, "rank\thits\tplaced\tdistance\t");
		strbuf_addstr(out, "id\ttheme\tby\tcreated\tdecision\tlocked");
		for (g = 0; g < b->ngrids; g++)
			if (only_grid < 0 || (size_t)only_grid == g)
				strbuf_addf(out, "\t%s", b->grids[g].id);
		strbuf_addstr(out, "\ttext\n");
	} else {
		if (rank) {
			cli_pad(out, _("RANK"), 4, esc);
			strbuf_addstr(out, "  ");
			cli_pad(out, _("SCORE"), 5, esc);
			strbuf_addstr(out, "  ");
		}
		cli_pad(out, _("ID"), CARD_SHORT_ID_LEN, esc);
		strbuf_addstr(out, "  ");
		cli_pad(out, _("THEME"), theme_w, esc);
		for (g = 0; g < b->ngrids; g++)
			if (only_grid < 0 || (size_t)only_grid == g) {
				strbuf_addstr(out, "  ");
				cli_pad(out, b->grids[g].id, 5, esc);
			}
		strbuf_addf(out, "  %s\n", _("TEXT"));
	}
	for (i = 0; i < n; i++) {
		const struct card *card = cards ? cards[i] : rank[i].card;
		char id[CARD_UUID_LEN + 1], when[ISO8601_LEN + 1];

		if (fmt == CLI_FORMAT_TSV) {
			if (rank)
				strbuf_addf(out, "%zu\t%d\t%d\t%ld\t", i + 1, rank[i].hits,
					    rank[i].placed, rank[i].distance);
			card_uuid(card, id);
			strbuf_addf(out, "%s\t%s\t", id, b->themes[card->theme].id);
			cli_text(out, card->by ? card->by : "", esc);
			if (card->created)
				iso8601_format(card->created, when);
			strbuf_addf(out, "\t%s\t%s\t%s", card->created ? when : "",
				    decision_name(card->decision), card->locked ? "true" : "false");
			for (g = 0; g < b->ngrids; g++) {
				if (only_grid >= 0 && (size_t)only_grid != g)
					continue;
				strbuf_addch(out, '\t');
				if (card_is_placed(card, g))
					cli_cell(out, b, card, g, false);
			}
			strbuf_addch(out, '\t');
			cli_text(out, card->text, esc);
			strbuf_addch(out, '\n');
			continue;
		}
		if (rank)
			strbuf_addf(out, "%4zu  %d/%-3zu  ", i + 1, rank[i].hits, b->ngrids);
		card_short_id(card, id);
		strbuf_addstr(out, id);
		strbuf_addstr(out, "  ");
		cli_pad(out, b->themes[card->theme].id, theme_w, esc);
		for (g = 0; g < b->ngrids; g++) {
			if (only_grid >= 0 && (size_t)only_grid != g)
				continue;
			strbuf_reset(&cell);
			cli_cell(&cell, b, card, g, rank != NULL);
			strbuf_addstr(out, "  ");
			cli_pad(out, cell.buf, cell_w[g], esc);
		}
		strbuf_addstr(out, "  ");
		cli_text(out, card->text, esc == CLI_ESCAPE_TERMINAL ? esc : CLI_ESCAPE_LINE);
		strbuf_addch(out, '\n');
		if (history)
			cli_moves(out, b, card, esc);
	}
	free(cell_w);
	strbuf_release(&cell);
}

static int cli_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "grid", required_argument, NULL, 'g' },
		{ "format", required_argument, NULL, 'f' },
		{ "debated", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	enum cli_format fmt = CLI_FORMAT_TEXT;
	const char *grid = NULL;
	struct strbuf out = STRBUF_INIT;
	struct card **cards;
	bool debated = false;
	struct board *b;
	size_t g, i, n = 0;
	int c, status;

	while ((c = getopt_long(argc, argv, "g:f:d", opts, NULL)) != -1) {
		switch (c) {
		case 'g': grid = optarg; break;
		case 'd': debated = true; break;
		case 'f':
			if ((status = cli_parse_format("list", optarg, true, &fmt)))
				return status;
			break;
		case CLI_OPT_HELP: cli_command_help(cli_find("list")); return 0;
		default: return cli_usage_error("list", _("unknown option"));
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("list", _("expected one FILE"));
	if (grid && fmt == CLI_FORMAT_YAML)
		return cli_usage_error("list", _("--grid does not apply to --format yaml"));
	if ((status = cli_load_flags(argv[optind], &b, CLI_LOAD_FOLD | CLI_LOAD_RESCUE, NULL)))
		return status;
	if (grid && (status = cli_find_grid("list", b, grid, &g))) {
		board_free(b);
		return status;
	}
	cards = xcalloc(b->ncards + 1, sizeof(*cards));
	for (i = 0; i < b->ncards; i++)
		if (!debated || card_is_debated(b, b->cards[i]))
			cards[n++] = b->cards[i];
	if (fmt == CLI_FORMAT_YAML)
		store_format_cards(b, cards, n, &out);
	else
		cli_table(&out, b, cards, NULL, n, grid ? (int)g : -1, fmt, debated);
	status = cli_write(&out);
	free(cards);
	strbuf_release(&out);
	board_free(b);
	return status;
}

/* --- show ---------------------------------------------------------------- */

static void cli_field(struct strbuf *out, const char *label, const char *value,
		      enum cli_escape esc)
{
	cli_pad(out, label, 10, CLI_ESCAPE_TERMINAL);
	strbuf_addch(out, ' ');
	cli_text(out, value, esc);
	strbuf_addch(out, '\n');
}

/*
 * The card's decision, with whether its signature verifies (sign.h), then
 * when, by whom and why, from its last entry in the decision log.
 */
static void cli_show_decision(struct strbuf *out, const struct board *b, const struct card *card,
			      enum cli_escape esc)
{
	struct strbuf value = STRBUF_INIT, why = STRBUF_INIT;
	const struct decision_entry *d;
	enum sign_status st = sign_card_decision(b, card, &d, &why);
	char when[ISO8601_LEN + 1], fp[SIGN_FINGERPRINT_LEN + 1];

	strbuf_addstr(&value, decision_name(card->decision));
	if (st == SIGN_UNVERIFIED)
		strbuf_addf(&value, " (%s: %s)", sign_status_name(st), why.buf);
	else if (d)
		strbuf_addf(&value, " (%s)", sign_status_name(st));
	cli_field(out, _("decision:"), value.buf, esc);
	if (d) {
		strbuf_reset(&value);
		iso8601_format(d->at, when);
		strbuf_addstr(&value, when);
		if (d->by)
			strbuf_addf(&value, _(" by %s"), d->by);
		if (st == SIGN_VERIFIED) {
			sign_fingerprint(d->key, fp);
			strbuf_addf(&value, _(", signed with key %s"), fp);
		}
		cli_field(out, _("decided:"), value.buf, esc);
		if (d->rationale)
			cli_field(out, _("rationale:"), d->rationale, esc);
	}
	strbuf_release(&value);
	strbuf_release(&why);
}

/* The versions of the card's text, numbered for 'tamis restore --at N', when it has had more than one. */
static void cli_show_versions(struct strbuf *out, const struct card *card, enum cli_escape esc)
{
	struct card_version v[CARD_VERSIONS_MAX];
	char when[ISO8601_LEN + 1];
	size_t i, n = card_versions(card, v);

	if (n < 2)
		return;
	strbuf_addf(out, "%s\n", _("versions:"));
	for (i = 0; i < n; i++) {
		strbuf_addf(out, "  %2zu  ", i + 1);
		if (v[i].event) {
			iso8601_format(v[i].event->at, when);
			strbuf_addf(out, "%s  ", when);
			cli_text(out, v[i].event->by ? v[i].event->by : "?",
				 esc == CLI_ESCAPE_TERMINAL ? esc : CLI_ESCAPE_LINE);
			strbuf_addstr(out, "  ");
		}
		cli_text(out, v[i].text, esc == CLI_ESCAPE_TERMINAL ? esc : CLI_ESCAPE_LINE);
		if (i + 1 == n)
			strbuf_addf(out, "  %s", _("(now)"));
		strbuf_addch(out, '\n');
	}
}

static int cli_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf out = STRBUF_INIT, tmp = STRBUF_INIT;
	enum cli_escape esc = cli_escape_for(false);
	char id[CARD_UUID_LEN + 1], when[ISO8601_LEN + 1];
	struct board *b;
	struct card *card;
	size_t g;
	int c, status, gw = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == CLI_OPT_HELP) {
			cli_command_help(cli_find("show"));
			return 0;
		}
		return cli_usage_error("show", _("unknown option"));
	}
	if (argc - optind != 2)
		return cli_usage_error("show", _("expected FILE and CARD"));
	if ((status = cli_load(argv[optind], &b)))
		return status;
	if ((status = cli_find_card("show", b, argv[optind + 1], &card))) {
		board_free(b);
		return status;
	}
	card_uuid(card, id);
	cli_field(&out, _("id:"), id, esc);
	cli_field(&out, _("text:"), card->text, esc);
	strbuf_addf(&tmp, "%s (%s)", b->themes[card->theme].label, b->themes[card->theme].id);
	cli_field(&out, _("theme:"), tmp.buf, esc);
	cli_field(&out, _("by:"), card->by ? card->by : "-", esc);
	if (card->created)
		iso8601_format(card->created, when);
	cli_field(&out, _("created:"), card->created ? when : "-", esc);
	cli_show_decision(&out, b, card, esc);
	cli_field(&out, _("locked:"), card->locked ? _("yes") : _("no"), esc);
	cli_field(&out, _("note:"), card->note ? card->note : "-", esc);
	strbuf_addf(&out, "%s\n", _("placement:"));
	for (g = 0; g < b->ngrids; g++)
		if (text_width(b->grids[g].id) > gw)
			gw = text_width(b->grids[g].id);
	for (g = 0; g < b->ngrids; g++) {
		const struct grid *grid = &b->grids[g];
		const struct criterion *cx = &b->criteria[grid->x], *cy = &b->criteria[grid->y];

		strbuf_addstr(&out, "  ");
		cli_pad(&out, grid->id, gw, esc);
		strbuf_addstr(&out, "  ");
		if (!card_is_placed(card, g)) {
			strbuf_addf(&out, "%s\n", _("tray (not placed)"));
			continue;
		}
		strbuf_reset(&tmp);
		cli_cell(&tmp, b, card, g, false);
		cli_pad(&out, tmp.buf, 4, esc);
		/* The profile: which pole the card leans to on each axis. */
		strbuf_addstr(&out, "  ");
		cli_text(&out, card->place[g].x * 2 <= grid->cells ? cx->low : cx->high, esc);
		if (grid->cells % 2 && card->place[g].x * 2 == grid->cells + 1)
			strbuf_addf(&out, " ~ ");
		strbuf_addstr(&out, " / ");
		cli_text(&out, card->place[g].y * 2 <= grid->cells ? cy->low : cy->high, esc);
		if (card_in_easy_zone(b, card, g))
			strbuf_addf(&out, "  [%s]", _("easiest to launch"));
		strbuf_addch(&out, '\n');
	}
	cli_show_versions(&out, card, esc);
	status = cli_write(&out);
	strbuf_release(&out);
	strbuf_release(&tmp);
	board_free(b);
	return status;
}

/* --- check and show-conflicts ---------------------------------------------- */

/* One operation, as a line of a listing: when, who, what. */
static void cli_op_line(struct strbuf *out, const struct op *op, enum cli_escape esc)
{
	char when[ISO8601_LEN + 1], id[CARD_UUID_LEN + 1];

	iso8601_format(op->at, when);
	strbuf_addf(out, "%s  ", when);
	cli_text(out, op->by ? op->by : "?", esc == CLI_ESCAPE_TERMINAL ? esc : CLI_ESCAPE_LINE);
	strbuf_addf(out, "  %s", op_kind_name(op->kind));
	if (op->kind == OP_ADD && op->card_data) {
		card_short_id(op->card_data, id);
		strbuf_addf(out, " %s", id);
	} else if (op_targets_card(op)) {
		uuid_unparse_lower(op->card, id);
		strbuf_addf(out, " %.8s", id);
	}
	if (op->grid) {
		strbuf_addch(out, ' ');
		cli_text(out, op->grid, esc);
		if (op->kind == OP_MOVE && op->x)
			strbuf_addf(out, " %d,%d", op->x, op->y);
		else if (op->kind == OP_MOVE)
			strbuf_addf(out, " %s", _("tray"));
	}
	if (op->name) {
		strbuf_addch(out, ' ');
		cli_text(out, op->name, esc);
	}
	if (op->kind == OP_ADD && op->card_data) {
		strbuf_addstr(out, " “");
		cli_text(out, op->card_data->text, esc == CLI_ESCAPE_TERMINAL ? esc : CLI_ESCAPE_LINE);
		strbuf_addstr(out, "”");
	} else if (op->text) {
		strbuf_addstr(out, " “");
		cli_text(out, op->text, esc == CLI_ESCAPE_TERMINAL ? esc : CLI_ESCAPE_LINE);
		strbuf_addstr(out, "”");
	}
}

/* Lists changes that were saved and do not apply: the conflicts file's and the journal's. */
struct cli_conflicts {
	struct session *s;
	struct strbuf *out;
	enum cli_escape esc;
	size_t n;
};

static void cli_conflict_line(struct cli_conflicts *c, const char *payload, size_t len,
			      const char *why)
{
	struct strbuf reason = STRBUF_INIT;
	struct op op = OP_INIT;

	strbuf_addstr(c->out, "  ");
	if (store_parse_op(c->s->board, payload, len, &op, &reason) < 0) {
		char *raw = xstrndup(payload, len);

		strbuf_addf(c->out, "%s ", _("not an operation:"));
		cli_text(c->out, raw, c->esc == CLI_ESCAPE_TERMINAL ? c->esc : CLI_ESCAPE_LINE);
		free(raw);
	} else {
		cli_op_line(c->out, &op, c->esc);
		/* Why not now: tried on the board as it is (a listing only, never saved). */
		if (!why) {
			struct strbuf said = STRBUF_INIT;
			bool taken = sign_op_check(c->s->board, &op);

			strbuf_reset(&reason);
			if (op_apply(c->s->board, &op, &said) >= 0)
				strbuf_addstr(&said, _("it would apply now"));
			if (taken)
				strbuf_addf(&reason, _("not signed by a key the board lists, so made as "
						       "a pair's: %s"), said.buf);
			else
				strbuf_add(&reason, said.buf, said.len);
			strbuf_release(&said);
		}
	}
	strbuf_addstr(c->out, "  — ");
	cli_text(c->out, why ? why : reason.buf, CLI_ESCAPE_LINE);
	strbuf_addch(c->out, '\n');
	op_release(&op);
	strbuf_release(&reason);
	c->n++;
}

static void cli_conflict_kept(const char *payload, size_t len, void *data)
{
	cli_conflict_line(data, payload, len, NULL);
}

/*
 * Appends one line per saved change that does not apply to the board: those
 * kept in the conflicts file, then the journal's not yet there. Returns how
 * many, or -1 when the conflicts file cannot be read (reason printed).
 */
static long cli_list_conflicts(struct session *s, struct strbuf *out)
{
	struct cli_conflicts c = { s, out, cli_escape_for(false), 0 };
	struct strbuf err = STRBUF_INIT;
	size_t i;
	int r;

	/* The journal's first: the conflicts file's are tried on the board as it is. */
	for (i = 0; i < s->nskipped; i++)
		cli_conflict_line(&c, s->skipped[i].payload, s->skipped[i].len, s->skipped[i].why);
	r = conflicts_read(s->path, cli_conflict_kept, &c, NULL, &err);
	if (r < 0) {
		cli_error(0, "%s", err.buf);
		strbuf_release(&err);
		return -1;
	}
	strbuf_release(&err);
	return (long)c.n;
}

/*
 * Reports, one warning each, what does not verify on board b (sign.h):
 * facilitator operations of its live journal applied as a pair's, entries
 * of its decision log and decided cards. Returns how many.
 */
static size_t cli_check_signatures(const char *path, const struct board *b, size_t unverified)
{
	struct strbuf why = STRBUF_INIT;
	const struct decision_entry *d, **last;
	enum sign_status *entry = xcalloc(b->ndecisions ? b->ndecisions : 1, sizeof(*entry));
	char when[ISO8601_LEN + 1], id[CARD_UUID_LEN + 1];
	size_t i, n = unverified;

	if (unverified)
		cli_error(0, ngettext("warning: '%s': %zu facilitator operation of the live journal "
				      "is unverified: applied as a pair's",
				      "warning: '%s': %zu facilitator operations of the live journal "
				      "are unverified: applied as a pair's",
				      unverified),
			  path, unverified);
	for (i = 0; i < b->ndecisions; i++) {
		d = &b->decisions[i];
		strbuf_reset(&why);
		if ((entry[i] = sign_decision_status(b, d, &why)) != SIGN_UNVERIFIED)
			continue;
		iso8601_format(d->at, when);
		uuid_unparse_lower(d->card, id);
		cli_error(0, _("warning: '%s': the decision on card %.8s of %s by %s is unverified: %s"),
			  path, id, when, d->by ? d->by : "?", why.buf);
		n++;
	}
	/*
	 * Each card as sign_card_decision() sees it. An entry that does not
	 * verify is reported above; a card is reported with its own reason.
	 */
	last = sign_last_entries(b);
	for (i = 0; i < b->ncards; i++) {
		strbuf_reset(&why);
		d = last[i];
		if (sign_card_entry_status(b, b->cards[i], d,
					   d ? entry[d - b->decisions] : SIGN_UNSIGNED,
					   &why) != SIGN_UNVERIFIED ||
		    (d && d->to == b->cards[i]->decision))
			continue;
		card_short_id(b->cards[i], id);
		cli_error(0, _("warning: '%s': card %s is decided %s, unverified: %s"), path, id,
			  decision_name(b->cards[i]->decision), why.buf);
		n++;
	}
	free(last);
	free(entry);
	strbuf_release(&why);
	return n;
}

static int cli_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "strict", no_argument, NULL, 's' },
		{ "journal", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	bool strict = false, journal = false;
	int c, status, i, worst = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': strict = true; break;
		case 'j': journal = true; break;
		case CLI_OPT_HELP: cli_command_help(cli_find("check")); return 0;
		default: return cli_usage_error("check", _("unknown option"));
		}
	}
	if (argc - optind < 1)
		return cli_usage_error("check", _("expected FILE"));
	for (i = optind; i < argc; i++) {
		struct strbuf lines = STRBUF_INIT, out = STRBUF_INIT;
		struct session s;
		size_t warned;

		if ((status = cli_open(argv[i], SESSION_READ, &s))) {
			if (!worst)
				worst = status;
			continue;
		}
		/* cli_open() said what the journal needs; count it again for --strict. */
		warned = s.torn + s.invalid + s.refused + (s.journal.state == JOURNAL_BROKEN);
		warned += cli_warn_kept(&s, argv[i]);
		warned += rescue_pending(s.path, argv[i], s.board, &lines);
		warned += cli_check_signatures(argv[i], s.board, s.unverified);
		cli_warn_lines(lines.buf);
		if (journal && cli_list_conflicts(&s, &out) > 0)
			cli_write(&out);
		if (strict && warned && !worst)
			worst = EX_DATAERR;
		session_close(&s, NULL);
		strbuf_release(&lines);
		strbuf_release(&out);
	}
	return worst;
}

static int cli_show_conflicts(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "clear", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf out = STRBUF_INIT;
	struct session s;
	bool clear = false;
	int c, status;
	long n;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': clear = true; break;
		case CLI_OPT_HELP: cli_command_help(cli_find("show-conflicts")); return 0;
		default: return cli_usage_error("show-conflicts", _("unknown option"));
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("show-conflicts", _("expected one FILE"));
	if ((status = cli_open(argv[optind], SESSION_READ, &s)))
		return status;
	n = cli_list_conflicts(&s, &out);
	if (n < 0) {
		status = EX_IOERR;
	} else if (n == 0) {
		printf(_("every saved change applies to '%s': none is left over\n"), argv[optind]);
	} else {
		printf(ngettext("%ld saved change does not apply to '%s' (when, who, what — why):\n",
				"%ld saved changes do not apply to '%s' (when, who, what — why):\n", n),
		       n, argv[optind]);
		status = cli_write(&out);
	}
	if (!status && clear && n > 0) {
		/* Dealt with by a person: the kept ones go; the journal's stay until re-based. */
		char *path = conflicts_path(s.path);

		if (unlink(path) < 0 && errno != ENOENT)
			status = cli_error(EX_IOERR, _("cannot remove '%s': %s"), path, strerror(errno));
		free(path);
	}
	session_close(&s, NULL);
	strbuf_release(&out);
	return status;
}

/* --- sieve --------------------------------------------------------------- */

static int cli_sieve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	enum cli_format fmt = CLI_FORMAT_TEXT;
	struct strbuf out = STRBUF_INIT;
	struct sieve_entry *rank;
	struct board *b;
	int c, status;

	while ((c = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if ((status = cli_parse_format("sieve", optarg, false, &fmt)))
				return status;
			break;
		case CLI_OPT_HELP: cli_command_help(cli_find("sieve")); return 0;
		default: return cli_usage_error("sieve", _("unknown option"));
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("sieve", _("expected one FILE"));
	if ((status = cli_load(argv[optind], &b)))
		return status;
	rank = board_sieve(b);
	cli_table(&out, b, NULL, rank, b->ncards, -1, fmt, false);
	status = cli_write(&out);
	free(rank);
	strbuf_release(&out);
	board_free(b);
	return status;
}

/* --- import ------------------------------------------------------------- */

struct cli_import {
	const char *file;
	const char *data;
	size_t len;
	const char *by, *theme;
	struct import_result res;
};

static int cli_import_change(struct board *b, struct op_list *ops, void *data)
{
	struct cli_import *im = data;
	struct import_options opt = { im->by, clock_now(), -1, ops };
	struct store_errors err;
	struct strbuf msg = STRBUF_INIT;
	int status = 0;

	if (im->theme && (opt.theme = board_theme_index(b, im->theme)) < 0)
		return cli_usage_error("import", _("unknown theme '%s'"), im->theme);
	store_errors_init(&err, im->file);
	if (import_ideas(b, im->data, im->len, &opt, &im->res, &err) < 0) {
		store_errors_format(&err, &msg);
		fputs(msg.buf, stderr);
		status = EX_DATAERR;
	}
	store_errors_release(&err);
	strbuf_release(&msg);
	return status;
}

static int cli_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "theme", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf data = STRBUF_INIT, err = STRBUF_INIT, out = STRBUF_INIT;
	struct cli_import im;
	struct board *b = NULL;
	int c, status;

	memset(&im, 0, sizeof(im));
	im.by = getenv("TAMIS_BY");
	while ((c = getopt_long(argc, argv, "b:t:", opts, NULL)) != -1) {
		switch (c) {
		case 'b': im.by = optarg; break;
		case 't': im.theme = optarg; break;
		case CLI_OPT_HELP: cli_command_help(cli_find("import")); return 0;
		default: return cli_usage_error("import", _("unknown option"));
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("import", _("expected FILE and IDEAS"));
	im.file = argv[optind + 1];
	if (file_read(im.file, STORE_MAX_FILE_SIZE, &data, &err) < 0) {
		status = cli_error(EX_NOINPUT, "%s", err.buf);
		strbuf_release(&err);
		strbuf_release(&data);
		return status;
	}
	im.data = data.buf;
	im.len = data.len;
	import_result_init(&im.res);
	status = cli_update(argv[optind], cli_import_change, &im);
	if (!status && !(status = cli_load(argv[optind], &b))) {
		import_result_format(b, &im.res, im.file, &out);
		status = cli_write(&out);
	}
	board_free(b);
	import_result_release(&im.res);
	strbuf_release(&out);
	strbuf_release(&data);
	return status;
}

/* --- deal ----------------------------------------------------------------- */

struct cli_deal {
	char **pairs;
	size_t npairs;
	size_t dealt;
	const char *by;
};

static int cli_deal_change(struct board *b, struct op_list *ops, void *data)
{
	struct cli_deal *d = data;
	long *plan = xcalloc(b->ncards + 1, sizeof(*plan));
	time_t now = clock_now();
	size_t i;

	d->dealt = board_deal_plan(b, d->npairs, plan);
	for (i = 0; i < b->ncards; i++) {
		struct op op = OP_INIT;

		if (plan[i] < 0)
			continue;
		op.kind = OP_PAIR;
		op.at = now;
		op_set(&op.by, d->by);
		memcpy(op.card, b->cards[i]->id, sizeof(uuid_t));
		op_set(&op.text, d->pairs[plan[i]]);
		op_apply_record(b, &op, ops, NULL);
		op_release(&op);
	}
	free(plan);
	return 0;
}

static int cli_deal(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pairs", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_deal d = { NULL, 0, 0, NULL };
	const char *pairs = NULL, *p;
	int c, status;
	size_t i;

	while ((c = getopt_long(argc, argv, "p:", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pairs = optarg; break;
		case CLI_OPT_HELP: cli_command_help(cli_find("deal")); return 0;
		default: return cli_usage_error("deal", _("unknown option"));
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("deal", _("expected one FILE"));
	if (!pairs)
		return cli_usage_error("deal", _("--pairs is required, e.g. --pairs \"Binôme 1,Binôme 2\""));
	/* Split on commas, trimming white space; empty names are refused. */
	for (p = pairs;; p++) {
		const char *start = p, *end;
		size_t a, z;

		while (*p && *p != ',')
			p++;
		text_trim_range(start, (size_t)(p - start), &a, &z);
		end = start + z;
		start += a;
		if (end == start) {
			status = cli_usage_error("deal", _("empty pair name in '%s'"), pairs);
			goto out;
		}
		d.pairs = xreallocarray(d.pairs, d.npairs + 1, sizeof(*d.pairs));
		d.pairs[d.npairs++] = xstrndup(start, (size_t)(end - start));
		if (!text_is_safe(d.pairs[d.npairs - 1])) {
			status = cli_usage_error("deal", _("pair names must not hold control characters"));
			goto out;
		}
		if (!*p)
			break;
	}
	d.by = getenv("TAMIS_BY");
	status = cli_update(argv[optind], cli_deal_change, &d);
	if (!status) {
		/* Two counts, each its own plural: "dealt 1 card to 2 pairs". */
		printf(ngettext("dealt %zu card", "dealt %zu cards", d.dealt), d.dealt);
		printf(ngettext(" to %zu pair\n", " to %zu pairs\n", d.npairs), d.npairs);
	}
out:
	for (i = 0; i < d.npairs; i++)
		free(d.pairs[i]);
	free(d.pairs);
	return status;
}

/* --- the frame: criteria and grids ------------------------------------------ */

/*
 * Changing the board's frame is the facilitator's: allowed unless the board
 * names its facilitators and the real user's account is not among them (a
 * workflow guard, as in the terminal board; see board_may_facilitate()).
 */
static int cli_check_facilitator(const char *cmd, const struct board *b)
{
	const struct passwd *pw = getpwuid(getuid());
	const char *account = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : NULL;

	if (account && board_may_facilitate(b, account))
		return 0;
	if (account)
		return cli_error(EX_NOPERM, _("%s: only the facilitator may change the board's frame, "
					      "and account '%s' is not among this board's facilitators"),
				 cmd, account);
	return cli_error(EX_NOPERM, _("%s: only the facilitator may change the board's frame, "
				      "and your account has no name"),
			 cmd);
}

/* Appends "ID: LOW ↔ HIGH  (easier: POLE)" for criterion c, made safe for stdout. */
static void cli_criterion_line(struct strbuf *out, const struct criterion *c)
{
	enum cli_escape esc = cli_escape_for(false);
	struct strbuf pole = STRBUF_INIT;

	cli_text(out, c->id, esc);
	strbuf_addstr(out, ": ");
	cli_text(out, c->low, esc);
	strbuf_addstr(out, " ↔ ");
	cli_text(out, c->high, esc);
	strbuf_addstr(out, "  ");
	cli_text(&pole, c->easy == POLE_LOW ? c->low : c->high, esc);
	strbuf_addf(out, _("(easier: %s)"), pole.buf);
	strbuf_release(&pole);
}

struct cli_criterion {
	const char *id, *low, *high, *by;
	int easy;        /* POLE_LOW, POLE_HIGH, -1: unchanged, -2: flip */
	bool added;
	struct strbuf line;
	struct sign_key key;
};

static int cli_criterion_change(struct board *b, struct op_list *ops, void *data)
{
	struct cli_criterion *cr = data;
	struct op op = OP_INIT;
	int c = board_criterion_index(b, cr->id), status;
	enum pole easy;

	if ((status = cli_check_facilitator("criterion", b)))
		return status;
	if (c < 0) {
		if (!cr->low || !cr->high)
			return cli_usage_error("criterion", _("a new criterion needs --low and --high"));
		if (cr->easy == -2)
			return cli_usage_error("criterion", _("--easy flip needs an existing criterion"));
		if (b->ncriteria >= STORE_MAX_CRITERIA)
			return cli_error(EX_DATAERR, ngettext("a board has at most %u criterion",
							      "a board has at most %u criteria",
							      STORE_MAX_CRITERIA),
					 STORE_MAX_CRITERIA);
		easy = cr->easy < 0 ? POLE_LOW : (enum pole)cr->easy;
	} else {
		const struct criterion *old = &b->criteria[c];

		easy = cr->easy == -1 ? old->easy
		       : cr->easy == -2 ? (old->easy == POLE_LOW ? POLE_HIGH : POLE_LOW)
					: (enum pole)cr->easy;
		if (!cr->low)
			cr->low = old->low;
		if (!cr->high)
			cr->high = old->high;
	}
	cr->added = c < 0;
	op.kind = OP_CRITERION;
	op.at = clock_now();
	op.facilitator = true;
	op_set(&op.by, cr->by);
	op_set(&op.name, cr->id);
	op_set(&op.text, cr->low);
	op_set(&op.text2, cr->high);
	op.value = (int)easy;
	status = cli_apply_facilitator(b, &op, ops, &cr->key);
	op_release(&op);
	if (!status)
		cli_criterion_line(&cr->line, &b->criteria[board_criterion_index(b, cr->id)]);
	return status;
}

/* A pole's label given on the command line: non-empty, one safe line. */
static int cli_check_label(const char *cmd, const char *what, const char *s)
{
	if (!*s || !utf8_valid(s, strlen(s), NULL) || !text_is_safe(s))
		return cli_usage_error(cmd, _("%s must be non-empty text without control characters"),
				       what);
	if (strlen(s) > STORE_MAX_SCALAR)
		return cli_usage_error(cmd, ngettext("%s is too long (at most %u byte)",
						     "%s is too long (at most %u bytes)", STORE_MAX_SCALAR),
				       what, STORE_MAX_SCALAR);
	return 0;
}

static int cli_criterion(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "low", required_argument, NULL, 'l' },
		{ "high", required_argument, NULL, 'i' },
		{ "easy", required_argument, NULL, 'e' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_criterion cr = { NULL, NULL, NULL, NULL, -1, false, STRBUF_INIT, SIGN_KEY_INIT };
	int c, status;

	cr.by = getenv("TAMIS_BY");
	while ((c = getopt_long(argc, argv, "l:i:e:b:", opts, NULL)) != -1) {
		switch (c) {
		case 'l': cr.low = optarg; break;
		case 'i': cr.high = optarg; break;
		case 'b': cr.by = optarg; break;
		case 'e':
			if (!strcmp(optarg, "low"))
				cr.easy = POLE_LOW;
			else if (!strcmp(optarg, "high"))
				cr.easy = POLE_HIGH;
			else if (!strcmp(optarg, "flip"))
				cr.easy = -2;
			else
				return cli_usage_error("criterion", _("bad --easy '%s': use low, high or flip"),
						       optarg);
			break;
		case CLI_OPT_HELP: cli_command_help(cli_find("criterion")); return 0;
		default: return cli_usage_error("criterion", _("unknown option"));
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("criterion", _("expected FILE and ID"));
	cr.id = argv[optind + 1];
	if (!board_id_valid(cr.id))
		return cli_usage_error("criterion",
				       ngettext("bad id '%s': use 1 to %d letter, digit, '-' or '_'",
						"bad id '%s': use 1 to %d letters, digits, '-' or '_'",
						BOARD_ID_MAX),
				       cr.id, BOARD_ID_MAX);
	if ((cr.low && (status = cli_check_label("criterion", "--low", cr.low))) ||
	    (cr.high && (status = cli_check_label("criterion", "--high", cr.high))))
		return status;
	if (!cr.low && !cr.high && cr.easy == -1)
		return cli_usage_error("criterion", _("nothing to change: give --low, --high or --easy"));
	if (cr.by && !*cr.by)
		cr.by = NULL;
	if (cr.by && !text_is_safe(cr.by))
		return cli_usage_error("criterion", _("the name must not hold control characters"));
	status = cli_update(argv[optind], cli_criterion_change, &cr);
	if (!status)
		printf(cr.added ? _("added criterion %s\n") : _("criterion %s\n"), cr.line.buf);
	strbuf_release(&cr.line);
	sign_key_release(&cr.key);
	return status;
}

struct cli_grid {
	const char *id, *x, *y, *by;
	int cells;       /* 0: unchanged (or 3 for a new grid) */
	bool added;
	size_t placed;   /* cards placed on the grid */
	struct sign_key key;
};

static int cli_grid_change(struct board *b, struct op_list *ops, void *data)
{
	struct cli_grid *gr = data;
	struct op op = OP_INIT;
	int g = board_grid_index(b, gr->id), status;
	size_t i;

	if ((status = cli_check_facilitator("grid", b)))
		return status;
	op.at = clock_now();
	op.facilitator = true;
	op_set(&op.by, gr->by);
	op_set(&op.grid, gr->id);
	if (g < 0) {
		if (!gr->x)
			return cli_usage_error("grid", _("a new grid needs --axes X,Y (two criterion ids)"));
		if (board_criterion_index(b, gr->x) < 0 || board_criterion_index(b, gr->y) < 0) {
			struct strbuf known = STRBUF_INIT;

			for (i = 0; i < b->ncriteria; i++)
				strbuf_addf(&known, "%s%s", i ? ", " : "", b->criteria[i].id);
			status = cli_usage_error("grid", _("unknown criterion '%s' (criteria: %s)"),
						 board_criterion_index(b, gr->x) < 0 ? gr->x : gr->y,
						 known.buf);
			strbuf_release(&known);
			op_release(&op);
			return status;
		}
		if (b->ngrids >= STORE_MAX_GRIDS) {
			op_release(&op);
			return cli_error(EX_DATAERR, ngettext("a board has at most %u grid",
							      "a board has at most %u grids",
							      STORE_MAX_GRIDS),
					 STORE_MAX_GRIDS);
		}
		op.kind = OP_GRID_ADD;
		op_set(&op.text, gr->x);
		op_set(&op.text2, gr->y);
		op.value = gr->cells ? gr->cells : 3;
	} else {
		if (gr->x) {
			op_release(&op);
			return cli_usage_error("grid", _("grid '%s' exists: its axes cannot change "
							 "(add a new grid instead)"),
					       gr->id);
		}
		if (!gr->cells) {
			op_release(&op);
			return cli_usage_error("grid", _("grid '%s' exists: give --cells N to change "
							 "its resolution"),
					       gr->id);
		}
		op.kind = OP_GRID_CELLS;
		op.value = gr->cells;
	}
	gr->added = g < 0;
	status = cli_apply_facilitator(b, &op, ops, &gr->key);
	op_release(&op);
	g = board_grid_index(b, gr->id);
	gr->cells = g >= 0 ? b->grids[g].cells : gr->cells;
	for (i = 0; g >= 0 && i < b->ncards; i++)
		gr->placed += card_is_placed(b->cards[i], (size_t)g);
	return status;
}

/* Splits --axes X,Y (axes is modified) into gr's two criterion ids: 0 or a status. */
static int cli_grid_axes(struct cli_grid *gr, char *axes)
{
	char *comma = strchr(axes, ',');

	if (!comma || strchr(comma + 1, ',') || comma == axes || !comma[1])
		return cli_usage_error("grid", _("bad --axes '%s': expected X,Y, two criterion ids"),
				       axes);
	*comma = '\0';
	gr->x = axes;
	gr->y = comma + 1;
	if (!strcmp(gr->x, gr->y))
		return cli_usage_error("grid", _("a grid pairs two different criteria, not '%s' "
						 "twice"),
				       gr->x);
	return 0;
}

static int cli_grid(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "axes", required_argument, NULL, 'a' },
		{ "cells", required_argument, NULL, 'c' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_grid gr = { NULL, NULL, NULL, NULL, 0, false, 0, SIGN_KEY_INIT };
	char *axes = NULL, *end;
	long cells;
	int c, status;

	gr.by = getenv("TAMIS_BY");
	while ((c = getopt_long(argc, argv, "a:c:b:", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			free(axes);
			axes = xstrdup(optarg);
			break;
		case 'c':
			errno = 0;
			cells = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || cells < BOARD_MIN_CELLS ||
			    cells > BOARD_MAX_CELLS) {
				free(axes);
				return cli_usage_error("grid",
						       ngettext("bad --cells '%s': a grid has %d to %d "
								"cell per axis",
								"bad --cells '%s': a grid has %d to %d "
								"cells per axis", BOARD_MAX_CELLS),
						       optarg, BOARD_MIN_CELLS, BOARD_MAX_CELLS);
			}
			gr.cells = (int)cells;
			break;
		case 'b': gr.by = optarg; break;
		case CLI_OPT_HELP: free(axes); cli_command_help(cli_find("grid")); return 0;
		default: free(axes); return cli_usage_error("grid", _("unknown option"));
		}
	}
	status = 0;
	if (argc - optind != 2) {
		status = cli_usage_error("grid", _("expected FILE and ID"));
		goto out;
	}
	gr.id = argv[optind + 1];
	if (!board_id_valid(gr.id)) {
		status = cli_usage_error("grid",
					 ngettext("bad id '%s': use 1 to %d letter, digit, '-' or '_'",
						  "bad id '%s': use 1 to %d letters, digits, '-' or '_'",
						  BOARD_ID_MAX),
					 gr.id, BOARD_ID_MAX);
		goto out;
	}
	if (axes && (status = cli_grid_axes(&gr, axes)))
		goto out;
	if (gr.by && !*gr.by)
		gr.by = NULL;
	if (gr.by && !text_is_safe(gr.by)) {
		status = cli_usage_error("grid", _("the name must not hold control characters"));
		goto out;
	}
	status = cli_update(argv[optind], cli_grid_change, &gr);
	if (!status && gr.added)
		printf(_("added grid %s: %s × %s, %d×%d cells; every card waits in its tray\n"), gr.id,
		       gr.x, gr.y, gr.cells, gr.cells);
	else if (!status)
		printf(ngettext("grid %s: %d×%d cells; %zu placed card kept its relative place\n",
				"grid %s: %d×%d cells; %zu placed cards kept their relative place\n",
				gr.placed),
		       gr.id, gr.cells, gr.cells, gr.placed);
out:
	free(axes);
	sign_key_release(&gr.key);
	return status;
}

/* --- report ----------------------------------------------------------------- */

/* True when st and the file at other are the same file (through links too). */
static bool cli_same_file(const struct stat *st, const char *other)
{
	struct stat ost;

	return stat(other, &ost) == 0 && ost.st_dev == st->st_dev && ost.st_ino == st->st_ino;
}

/*
 * Why the report must not replace the existing file output, even with
 * --force: it is the board at board_path being reported, or one of its side
 * files (whose changes or lock would be lost), or any board. NULL when
 * nothing forbids it.
 */
static const char *cli_report_protected(const char *board_path, const char *output)
{
	static const char *const suffixes[] = { ".journal", ".lock", ".live", ".conflicts" };
	struct store_errors serr;
	struct board *other = NULL;
	const char *why = NULL;
	char *real = realpath(board_path, NULL);
	struct stat st;
	size_t i;

	if (stat(output, &st) < 0) {
		free(real);
		return NULL; /* a dangling link: it points at no board */
	}
	if (cli_same_file(&st, board_path))
		why = _("it is the board being reported");
	/* Side files are named after the board itself, a link resolved (session.h). */
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]) && !why; i++) {
		char *side = file_side_path(real ? real : board_path, suffixes[i]);

		if (cli_same_file(&st, side))
			why = _("it is a file of the board being reported");
		free(side);
	}
	free(real);
	store_errors_init(&serr, output);
	if (!why && S_ISREG(st.st_mode) && store_load(output, &other, &serr) == 0)
		why = _("it is a board");
	board_free(other);
	store_errors_release(&serr);
	return why;
}

/*
 * Writes the report to output: as a new file (never over one made
 * meanwhile), or with force in place of an existing file that
 * cli_report_protected() allows. A refusal leaves the file as it was.
 */
static int cli_report_write(const char *board_path, const char *output, bool force,
			    const struct strbuf *report)
{
	struct strbuf err = STRBUF_INIT;
	const char *why;
	struct stat st;
	int status = 0;

	if (lstat(output, &st) < 0) {
		/* A new file: link() never replaces one made there meanwhile. */
		if (file_create(output, report->buf, report->len, &err) == 0)
			goto out;
		if (errno != EEXIST) {
			status = cli_error(EX_CANTCREAT, "%s", err.buf);
			goto out;
		}
		strbuf_reset(&err); /* made meanwhile: as if it had been there */
	}
	if ((why = cli_report_protected(board_path, output)))
		status = cli_error(EX_CANTCREAT,
				   _("cannot write the report to '%s': %s, never replaced by a "
				     "report (not even with --force)"),
				   output, why);
	else if (!force)
		status = cli_error(EX_CANTCREAT,
				   _("cannot write the report to '%s': it exists (--force replaces it)"),
				   output);
	else if (file_replace(output, report->buf, report->len, &err) < 0)
		status = cli_error(EX_CANTCREAT, "%s", err.buf);
out:
	strbuf_release(&err);
	return status;
}

static int cli_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf out = STRBUF_INIT;
	enum report_format fmt = REPORT_MARKDOWN;
	const char *output = NULL;
	bool force = false;
	struct board *b;
	int c, status, f;

	while ((c = getopt_long(argc, argv, "o:f:", opts, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'F': force = true; break;
		case 'f':
			if ((f = report_format_parse(optarg)) < 0)
				return cli_usage_error("report", _("unknown format '%s' (use md or csv)"),
						       optarg);
			fmt = (enum report_format)f;
			break;
		case CLI_OPT_HELP:
			cli_command_help(cli_find("report"));
			printf("%s", _("\nWithout -o the report goes to standard output. -o OUT writes it to a\n"
				       "new file OUT; when OUT exists, --force replaces it, unless OUT is a\n"
				       "board (the one reported or any other): a report never replaces a board.\n"));
			return 0;
		default: return cli_usage_error("report", _("unknown option"));
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("report", _("expected one FILE"));
	if (force && !output)
		return cli_usage_error("report", _("--force goes with -o OUT"));
	if ((status = cli_load(argv[optind], &b)))
		return status;
	report_format(b, fmt, clock_now(), &out);
	if (output) {
		status = cli_report_write(argv[optind], output, force, &out);
	} else if (isatty(STDOUT_FILENO)) {
		/* CSV keeps card text byte for byte: make it safe for a terminal. */
		struct strbuf safe = STRBUF_INIT;

		text_sanitize(&safe, out.buf);
		strbuf_release(&out);
		out = safe;
		status = cli_write(&out);
	} else {
		status = cli_write(&out);
	}
	strbuf_release(&out);
	board_free(b);
	return status;
}

/* --- compact ------------------------------------------------------------------ */

static int cli_compact(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf err = STRBUF_INIT;
	struct session s;
	int c, status, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == CLI_OPT_HELP) {
			cli_command_help(cli_find("compact"));
			return 0;
		}
		return cli_usage_error("compact", _("unknown option"));
	}
	if (argc - optind != 1)
		return cli_usage_error("compact", _("expected one FILE"));
	if ((status = cli_open(argv[optind], SESSION_WRITE, &s)))
		return status;
	if ((r = session_compact(&s, &err)) < 0)
		status = cli_error(result_exit_status(r), "%s", err.buf);
	session_close(&s, NULL);
	strbuf_release(&err);
	return status;
}

/* --- merge ------------------------------------------------------------------- */

/* Loads path's current state, and where its frame is defined in the file. */
static int cli_load_lines(const char *path, struct board **out, struct board_lines *lines)
{
	struct strbuf data = STRBUF_INIT, err = STRBUF_INIT;
	struct store_errors e;
	struct board *tmp = NULL;
	int status;

	if ((status = cli_load(path, out)))
		return status;
	/* Lines come from the board file itself (the journal has no frame). */
	store_errors_init(&e, path);
	if (file_read(path, STORE_MAX_FILE_SIZE, &data, &err) == 0 &&
	    store_parse_lines(data.buf, data.len, &tmp, &e, lines) == 0)
		board_free(tmp);
	store_errors_release(&e);
	strbuf_release(&data);
	strbuf_release(&err);
	return 0;
}

static int cli_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, CLI_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf yaml = STRBUF_INIT, err = STRBUF_INIT, msg = STRBUF_INIT, name = STRBUF_INIT;
	struct strbuf dups = STRBUF_INIT;
	struct board_lines first_lines = { NULL, NULL, NULL };
	struct merge_stats total = { 0 };
	struct board *merged = NULL;
	struct stat st;
	int c, status, i;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == CLI_OPT_HELP) {
			cli_command_help(cli_find("merge"));
			return 0;
		}
		return cli_usage_error("merge", _("unknown option"));
	}
	if (argc - optind < 3)
		return cli_usage_error("merge", _("expected OUT and at least two boards"));
	if (lstat(argv[optind], &st) == 0)
		return cli_error(EX_CANTCREAT, _("'%s' exists: merge writes a new file"), argv[optind]);
	if ((status = cli_load_lines(argv[optind + 1], &merged, &first_lines)))
		return status;
	for (i = optind + 2; i < argc && !status; i++) {
		struct board_lines lines = { NULL, NULL, NULL };
		struct merge_stats st1 = { 0 };
		struct store_errors e;
		struct board *b = NULL;

		if ((status = cli_load_lines(argv[i], &b, &lines)))
			break;
		store_errors_init(&e, argv[i]);
		/* The same idea written at two tables: named, both cards kept. */
		strbuf_reset(&dups);
		merge_format_duplicates(merged, b, argv[i], &dups);
		if (merge_board(merged, argv[optind + 1], &first_lines, b, argv[i], &lines,
				clock_now(), &st1, &e) < 0) {
			store_errors_format(&e, &msg);
			fputs(msg.buf, stderr);
			status = EX_DATAERR;
		} else {
			strbuf_reset(&msg);
			merge_format_stats(&st1, argv[i], &msg);
			fputs(msg.buf, stdout);
			fputs(dups.buf, stdout);
			total.added += st1.added;
			total.debated += st1.debated;
		}
		store_errors_release(&e);
		board_lines_release(&lines);
		board_free(b);
	}
	if (!status) {
		store_format(merged, &yaml);
		if (file_create(argv[optind], yaml.buf, yaml.len, &err) < 0)
			status = cli_error(EX_CANTCREAT, "%s", err.buf);
		else {
			/* File names are data too: never raw on a terminal. */
			strbuf_reset(&name);
			text_sanitize(&name, argv[optind]);
			printf(ngettext("merged %d board into %s", "merged %d boards into %s",
					(unsigned long)(argc - optind - 1)),
			       argc - optind - 1, name.buf);
			printf(ngettext(": %zu card", ": %zu cards", merged->ncards), merged->ncards);
			printf(ngettext(", %zu debated\n", ", %zu debated\n", total.debated),
			       total.debated);
		}
	}
	board_lines_release(&first_lines);
	board_free(merged);
	strbuf_release(&yaml);
	strbuf_release(&err);
	strbuf_release(&msg);
	strbuf_release(&name);
	strbuf_release(&dups);
	return status;
}

/* --- the table ------------------------------------------------------------ */

static const struct cli_command cli_commands[] = {
	{ "new", "FILE [--title TEXT]",
	  N_("Create a board with the sample board's themes, criteria and grids, and no cards."),
	  cli_new },
	{ "add", "FILE TEXT [--theme ID] [--by NAME] [--grid ID --cell X,Y] [--force]",
	  N_("Add a card and print its short id; a text already on the board (accents typed "
	     "or pasted, capitals aside) is refused unless --force."),
	  cli_add },
	{ "move", "FILE CARD --grid ID (--cell X,Y | --unplace) [--by NAME]",
	  N_("Place a card on a cell of a grid, or put it back in the tray."), cli_move },
	{ "list", "FILE [--grid ID] [--debated] [--format text|tsv|yaml]",
	  N_("List the cards with their placements."), cli_list },
	{ "show", "FILE CARD", N_("Show everything about one card, with the versions of its text."),
	  cli_show },
	{ "restore", "FILE CARD --at N [--by NAME]",
	  N_("Give a card back version N of its text ('tamis show' numbers them), as a new change."),
	  cli_restore },
	{ "check", "FILE... [--strict] [--journal]",
	  N_("Validate boards: print nothing and exit 0 when they are good. Warnings (journal "
	     "lines skipped, changes that no longer apply, rescue copies, facilitator operations "
	     "and decisions whose signature does not verify) fail with --strict; --journal lists "
	     "the changes that no longer apply."),
	  cli_check },
	{ "show-conflicts", "FILE [--clear]",
	  N_("List the saved changes that no longer apply to the board (kept, never dropped); "
	     "--clear removes the kept ones once dealt with."),
	  cli_show_conflicts },
	{ "sieve", "FILE [--format text|tsv]",
	  N_("Rank the cards by the sieve; '*' marks a cell in the easiest-to-launch zone."),
	  cli_sieve },
	{ "import", "FILE IDEAS [--by NAME] [--theme ID]",
	  N_("Add the ideas of a text or CSV file as cards (duplicates are skipped)."), cli_import },
	{ "deal", "FILE --pairs \"A,B,C\"",
	  N_("Deal the cards placed nowhere to pairs, round-robin within each theme."), cli_deal },
	{ "report", "FILE [-o OUT [--force]] [--format md|csv]",
	  N_("Write the workshop's report: grids, decisions, V1 list, V2 notebook..."), cli_report },
	{ "merge", "OUT A.yaml B.yaml...",
	  N_("Merge boards made at different tables into a new board OUT."), cli_merge },
	{ "compact", "FILE",
	  N_("Fold the live-sharing journal back into the board file."), cli_compact },
	{ "criterion", "FILE ID [--low TEXT] [--high TEXT] [--easy low|high|flip]",
	  N_("Add a criterion, rename its poles or choose its easier pole (facilitator)."),
	  cli_criterion },
	{ "grid", "FILE ID (--axes X,Y [--cells N] | --cells N)",
	  N_("Add a grid pairing two criteria, or change its resolution (facilitator)."),
	  cli_grid },
};

const struct cli_command *cli_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cli_commands) / sizeof(cli_commands[0]); i++)
		if (!strcmp(cli_commands[i].name, name))
			return &cli_commands[i];
	return NULL;
}

void cli_usage(FILE *f)
{
	size_t i;

	fprintf(f, "%s", _("Usage: tamis [--by NAME] [--facilitator] FILE\n"
			   "       tamis COMMAND ARGS...\n"
			   "       tamis --help | --version\n\n"
			   "Open FILE, a board, full-screen in the terminal, or run a command:\n\n"));
	for (i = 0; i < sizeof(cli_commands) / sizeof(cli_commands[0]); i++)
		fprintf(f, "  %-9s %s\n            %s\n", cli_commands[i].name, cli_commands[i].args,
			_(cli_commands[i].summary));
	fprintf(f, "%s", _("\nCARD is a card's UUID or a unique prefix of at least 4 hex digits;\n"
			   "cells are X,Y counted from 1 at the low pole of each axis.\n"
			   "'tamis COMMAND --help' describes one command; 'man tamis' all of them.\n"));
}
