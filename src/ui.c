/*
 * ui.c - the terminal board: opening the board live and the terminal, the
 * one input loop, the modes and the actions on the board, every change made
 * as an operation through the live session.
 *
 * The loop (tig's get_input(), tmux's proc loop): bring the computed state
 * up to date (ui_sync()), draw, wait for one event (a key, the mouse, a
 * resize, a signal, the live-sharing wake-up, a timer), handle it. Signals
 * arrive as events; nothing is done in a signal handler.
 *
 * Saving. Every change is a struct op applied through the session as
 * session_apply() does (which first takes in what others did), signed first
 * when the facilitator makes it (sign_prepare_op()): saved (appended to the
 * live journal, or the board file rewritten), or pending (written later:
 * said in red in the status bar and retried on the next change and on a
 * timer), or refused (e.g. the card was locked meanwhile: said, nothing
 * changed). When the board cannot even be locked, the change is applied at
 * once all the same and joins the session's pending changes
 * (session_apply_later()): one queue, saved in order after others' changes.
 * What is still unsaved when quitting is written to a rescue copy and the
 * exit status is 74.
 */
#include "ui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "board.h"
#include "conflicts.h"
#include "i18n.h"
#include "layout.h"
#include "lockfile.h"
#include "op.h"
#include "rescue.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "timeutil.h"
#include "ui_color.h"
#include "ui_editor.h"
#include "ui_input.h"
#include "ui_int.h"
#include "ui_term.h"
#include "undo.h"
#include "xmalloc.h"

#define UI_POLL_MS 100    /* without inotify: look at the files this often */
#define UI_RETRY_MS 1000  /* unsaved changes: try again this often */

void ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(&ui->message);
	ui->message_read_error = false;
	va_start(ap, fmt);
	strbuf_vaddf(&ui->message, fmt, ap);
	va_end(ap);
}

struct card *ui_selected(struct ui *ui)
{
	return ui->has_sel ? board_find_card(ui->board, ui->sel) : NULL;
}

void ui_select(struct ui *ui, const struct card *card)
{
	if (!card) {
		ui->has_sel = false;
		return;
	}
	memcpy(ui->sel, card->id, sizeof(uuid_t));
	ui->has_sel = true;
}

bool ui_card_matches(const struct ui *ui, const struct card *card)
{
	wchar_t *hay, *needle;
	bool found;

	if (!ui->query.len)
		return true;
	hay = text_fold(card->text);
	needle = text_fold(ui->query.buf);
	found = wcsstr(hay, needle) != NULL;
	free(hay);
	free(needle);
	return found;
}

bool ui_card_is_mine(const struct ui *ui, const struct card *card)
{
	if (!ui->by)
		return false;
	return (card->pair && !strcmp(card->pair, ui->by)) || (card->by && !strcmp(card->by, ui->by));
}

bool ui_card_dimmed(const struct ui *ui, const struct card *card)
{
	return ui->mine && !ui_card_is_mine(ui, card);
}

const char *ui_grid_id(const struct ui *ui)
{
	return ui->board->ngrids ? ui->board->grids[ui->grid].id : "";
}

void ui_op_init(struct op *op, enum op_kind kind, const struct card *card)
{
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	if (card)
		memcpy(op->card, card->id, sizeof(uuid_t));
}

/* --- Badges --- */

/* Gives every theme a distinct letter badge, from its label, then its id. */
static void ui_make_badges(struct ui *ui)
{
	struct board *b = ui->board;
	size_t t, u;

	free(ui->badges);
	ui->nbadges = b->nthemes;
	ui->badges = xcalloc(b->nthemes ? b->nthemes : 1, sizeof(*ui->badges));
	for (t = 0; t < b->nthemes; t++) {
		const char *sources[3] = { b->themes[t].label, b->themes[t].id,
					   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" };
		int s;

		for (s = 0; s < 3 && !ui->badges[t][0]; s++) {
			const char *p = sources[s];
			size_t len = strlen(p), i = 0;

			while (i < len && !ui->badges[t][0]) {
				uint32_t cp;
				size_t k = utf8_decode(p + i, len - i, &cp);
				struct strbuf sb = STRBUF_INIT;
				bool used = false;

				if (!k)
					k = 1;
				i += k;
				if (!k || !iswalnum((wint_t)cp) || text_cp_width(cp) != 1)
					continue;
				utf8_encode(&sb, (uint32_t)towupper((wint_t)cp));
				for (u = 0; u < t; u++)
					if (!strcmp(ui->badges[u], sb.buf))
						used = true;
				if (!used && sb.len < UI_BADGE_MAX)
					memcpy(ui->badges[t], sb.buf, sb.len + 1);
				strbuf_release(&sb);
			}
		}
		if (!ui->badges[t][0])
			strcpy(ui->badges[t], "?");
	}
}

/* --- The live session --- */

static void ui_carry_end(struct ui *ui)
{
	ui->mode = MODE_NORMAL;
	ui->carry_mouse = false;
	ui->mouse_down = false;
	ui->reveal = true;
}

/* What others did may have taken the carried card away, or locked it. */
static void ui_carry_recheck(struct ui *ui)
{
	struct card *card;
	int n;

	if (ui->mode != MODE_CARRY)
		return;
	card = ui_selected(ui);
	if (!card) {
		ui_carry_end(ui);
		ui_message(ui, "%s", _("this card was deleted by someone else"));
		return;
	}
	if (ui->carry_grid >= ui->board->ngrids) {
		ui_carry_end(ui);
		return;
	}
	if (card->locked && !ui->facilitator) {
		ui_carry_end(ui);
		ui_message(ui, "%s", _("this card was just locked by the facilitator: put back"));
		return;
	}
	/* Moved by someone else meanwhile: that is where it comes from now. */
	ui->carry_from = card->place[ui->carry_grid];
	/* The facilitator may have taken cells off the grid meanwhile. */
	n = ui->board->grids[ui->carry_grid].cells;
	if (ui->carry_to.x > n)
		ui->carry_to.x = (unsigned char)n;
	if (ui->carry_to.y > n)
		ui->carry_to.y = (unsigned char)n;
}

/*
 * What the session found that the person must know: the board edited under
 * its journal, a broken journal set aside, changes that no longer apply,
 * journal lines skipped (and why: torn by a stopped writer is not the same
 * as lines nobody can read). One line on the message line.
 */
static void ui_check_journal(struct ui *ui)
{
	struct session *s = &ui->session;
	size_t skipped = s->torn + s->invalid + s->refused;
	const char *nl;

	if (s->notice.len) {
		nl = strchr(s->notice.buf, '\n');
		ui_message(ui, "%.*s", (int)(nl ? (size_t)(nl - s->notice.buf) : s->notice.len),
			   s->notice.buf);
		strbuf_reset(&s->notice);
	} else if (skipped > ui->skipped_seen) {
		strbuf_reset(&ui->message);
		session_describe_skipped(s, NULL, &ui->message);
		ui->message_read_error = false;
	}
	ui->skipped_seen = skipped;
	/* A forged lock or decision (sign.h): refused here as everywhere, and said. */
	if (ui->session.unverified > ui->unverified_seen)
		ui_message(ui, "%s", _("warning: a facilitator change in the live journal is not "
				       "signed by a key the board lists: made as a pair's"));
	ui->unverified_seen = ui->session.unverified;
}

/*
 * On opening: what about the files needs a person, most urgent first (a
 * rescue copy holding changes the board lacks, then the journal, then
 * changes that no longer apply, then a network file system). One line on
 * the message line; `tamis check FILE` says all of it.
 */
static void ui_open_warnings(struct ui *ui)
{
	struct strbuf lines = STRBUF_INIT;
	size_t unsigned_, kept = conflicts_tally(ui->session.path, ui->board, &unsigned_), n;
	const char *nl;

	n = rescue_pending(ui->session.path, ui->path, ui->board, &lines);
	if (n) {
		nl = strchr(lines.buf, '\n');
		ui_message(ui, "%.*s", (int)(nl ? (size_t)(nl - lines.buf) : lines.len), lines.buf);
		strbuf_reset(&ui->session.notice);
		ui->skipped_seen = ui->session.torn + ui->session.invalid + ui->session.refused;
	} else {
		ui_check_journal(ui);
	}
	if (!ui->message.len && unsigned_)
		ui_message(ui, ngettext("warning: %zu facilitator change kept aside is not signed by "
					"a key the board lists: see 'tamis show-conflicts %s'",
					"warning: %zu facilitator changes kept aside are not signed "
					"by a key the board lists: see 'tamis show-conflicts %s'",
					unsigned_),
			   unsigned_, ui->path);
	else if (!ui->message.len && kept)
		ui_message(ui, ngettext("%zu saved change no longer applies to this board: see "
					"'tamis show-conflicts %s'",
					"%zu saved changes no longer apply to this board: see "
					"'tamis show-conflicts %s'", kept),
			   kept, ui->path);
	if (!ui->message.len && ui->session.network_fs)
		ui_message(ui, "%s", _("warning: the board is on a network file system: live sharing is not reliable there"));
	strbuf_release(&lines);
}

/* After a session call: the board may be a new object. */
static void ui_session_end(struct ui *ui)
{
	ui->board = ui->session.board;
	if (ui->grid >= ui->board->ngrids)
		ui->grid = 0;
	if (ui->nbadges != ui->board->nthemes)
		ui_make_badges(ui);
	ui_carry_recheck(ui);
	/* Acting on a card someone else deleted: never on another one instead. */
	if (!ui_selected(ui) && (ui->mode == MODE_CONFIRM || ui->mode == MODE_DETAILS ||
				 ((ui->mode == MODE_EDIT || ui->mode == MODE_THEME) && !ui->adding))) {
		ui->mode = MODE_NORMAL;
		ui_message(ui, "%s", _("this card was deleted by someone else"));
	}
	ui_check_journal(ui);
}

static void ui_set_error(struct ui *ui, const struct strbuf *err)
{
	const char *nl = strchr(err->buf, '\n');

	strbuf_reset(&ui->save_error);
	strbuf_add(&ui->save_error, err->buf, nl ? (size_t)(nl - err->buf) : err->len);
	if (!ui->save_error.len)
		strbuf_addstr(&ui->save_error, _("unknown error"));
}

/* After a change was saved or the unsaved ones were retried. */
static void ui_check_saved(struct ui *ui, bool saved_now)
{
	if (ui->session.npending)
		return;
	if (saved_now || ui->save_error.len)
		ui->saved_at = clock_now();
	strbuf_reset(&ui->save_error);
	/*
	 * "Not added yet, retrying" was said: say when it is done, unless
	 * something more telling was said meanwhile (the board written back...).
	 */
	if (ui->retry_said) {
		ui->retry_said = false;
		if (!ui->message.len ||
		    !strcmp(ui->message.buf, _("not moved yet: the board is busy or unreachable, retrying")) ||
		    !strcmp(ui->message.buf, _("not added yet: the board is busy or unreachable, retrying")))
			ui_message(ui, "%s", _("saved now: the changes that waited for the board are written"));
	}
}

/*
 * The board file is gone (removed with its directory...) while changes
 * wait: it is written back (with what others had saved in the journal),
 * never over a file that came back meanwhile.
 */
static void ui_rewrite_missing(struct ui *ui)
{
	struct strbuf err = STRBUF_INIT;

	if (session_restore_missing(&ui->session, &err) > 0)
		ui_message(ui, "%s", _("the board file had gone: written back from this screen"));
	ui->board = ui->session.board;
	strbuf_release(&err);
}

/*
 * For tests: with $TAMIS_ACK_LOG set, every change that is saved (durable,
 * with everything before it) is written there as "saved KIND CARD-UUID" at
 * once, with one write(2), before the screen says so. A test that kills the
 * UI then knows what it had acknowledged (tests/cli/crash.sh).
 */
static void ui_ack_log(const struct op *op)
{
	static int fd = -2;
	struct strbuf line = STRBUF_INIT;
	char id[37];
	ssize_t n;

	if (fd == -2) {
		const char *path = getenv("TAMIS_ACK_LOG");

		fd = path && *path ? open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600) : -1;
	}
	if (fd < 0)
		return;
	uuid_unparse_lower(op->card, id);
	strbuf_addf(&line, "saved %s %s\n", op_kind_name(op->kind), id);
	n = write(fd, line.buf, line.len);
	(void)n;
	strbuf_release(&line);
}

struct ui_change {
	struct ui *ui;
	const struct op *op;
	struct strbuf *why;
};

/* Gets op ready as whoever plays makes it, on b: sign_prepare_op() with their key. */
static int ui_sign(struct ui *ui, struct board *b, struct op *op, struct op_list *ops,
		   struct strbuf *note)
{
	return sign_prepare_op(b, ui->facilitator ? &ui->key : NULL, op, ops, note);
}

/* session_apply()'s change, the op signed first when the facilitator makes it. */
static int ui_change_one(struct board *b, struct op_list *ops, void *data)
{
	struct ui_change *c = data;
	struct strbuf note = STRBUF_INIT;
	struct op op;
	int r, unsigned_;

	op_copy(&op, c->op, b);
	unsigned_ = ui_sign(c->ui, b, &op, ops, &note);
	r = op_apply_record(b, &op, ops, c->why);
	if (r < 0 && unsigned_)
		strbuf_addf(c->why, " (%s)", note.buf);
	op_release(&op);
	strbuf_release(&note);
	return r < 0 ? SESSION_REFUSED : 0;
}

/* session_apply() of op as whoever plays makes it: signed when they facilitate (sign.h). */
static int ui_session_change(struct ui *ui, const struct op *op, struct strbuf *err)
{
	struct ui_change c = { ui, op, err };
	int r = session_update(&ui->session, ui_change_one, &c, err);

	return r == SESSION_REFUSED ? -1 : r;
}

/*
 * The board could not even be locked: op is applied here at once all the
 * same, signed as ui_change_one() does (a key-add first, when needed), and
 * queued with the session's pending changes, which the session saves in
 * order, after others' changes: at the next change, on the timer, when
 * closing. Returns 0, or -1 when op does not apply (why).
 */
static int ui_apply_later(struct ui *ui, const struct op *op, struct strbuf *why)
{
	struct op_list ops = OP_LIST_INIT;
	struct strbuf note = STRBUF_INIT;
	struct op later;
	size_t k;
	int r, unsigned_;

	op_copy(&later, op, ui->board);
	unsigned_ = ui_sign(ui, ui->session.board, &later, &ops, &note);
	for (k = 0; k < ops.n; k++)
		session_apply_later(&ui->session, &ops.v[k], NULL);
	r = session_apply_later(&ui->session, &later, why);
	if (r < 0 && unsigned_)
		strbuf_addf(why, " (%s)", note.buf);
	op_release(&later);
	op_list_release(&ops);
	strbuf_release(&note);
	return r;
}

/*
 * Applies op through the session, recording it for undo. Returns as
 * ui_apply() does; err says why it is refused or not saved yet.
 */
static int ui_session_apply(struct ui *ui, const struct op *op, struct strbuf *err)
{
	struct op inv;
	bool has_inv = undo_inverse(ui->board, op, &inv) == 0;
	int r = ui_session_change(ui, op, err);

	if (r == -2) {
		struct strbuf why = STRBUF_INIT;

		/* err keeps why the board could not be locked, for the status bar. */
		r = ui_apply_later(ui, op, &why) < 0 ? -1 : 2;
		if (r < 0) {
			strbuf_reset(err);
			strbuf_addstr(err, why.buf);
		}
		strbuf_release(&why);
	}
	if (r == 0)
		ui_ack_log(op);
	ui->board = ui->session.board;
	if (r >= 0 && has_inv)
		undo_record(&ui->undo, ui->board, op, &inv);
	if (has_inv)
		op_release(&inv);
	if (r == 1 || r == 2)
		ui_set_error(ui, err);
	return r;
}

int ui_apply(struct ui *ui, struct op *op)
{
	struct strbuf err = STRBUF_INIT;
	int r;

	op_set(&op->by, ui->by);
	op->at = clock_now();
	op->facilitator = ui->facilitator;
	if (ui->session.npending)
		ui_rewrite_missing(ui);
	r = ui_session_apply(ui, op, &err);
	if (r == -1)
		ui_message(ui, _("not done: %s"), err.buf);
	ui_check_saved(ui, r == 0);
	ui_session_end(ui);
	strbuf_release(&err);
	op_release(op);
	return r;
}

/* Takes in what others changed (the wake-up or the timer), and retries. */
static void ui_poll(struct ui *ui)
{
	struct strbuf err = STRBUF_INIT;
	int r;

	if (ui->session.npending)
		ui_rewrite_missing(ui);
	r = session_poll(&ui->session, &err);
	ui->board = ui->session.board;
	if (r < 0) {
		ui_message(ui, _("cannot read the others' changes: %s"), err.buf);
		ui->message_read_error = true;
	} else if (ui->message_read_error) {
		/* Not true any more: an error must not stay beside "saved". */
		strbuf_reset(&ui->message);
		ui->message_read_error = false;
	}
	ui_check_saved(ui, false);
	ui_session_end(ui);
	strbuf_release(&err);
}

/* How long the loop may wait for nothing: polling without inotify, retrying. */
static void ui_set_timer(struct ui *ui)
{
	int ms = -1;

	if (session_fd(&ui->session) < 0 && session_shared(&ui->session))
		ms = UI_POLL_MS;
	if (ui->session.npending && (ms < 0 || ms > UI_RETRY_MS))
		ms = UI_RETRY_MS;
	ui_input_set_timeout(ui->input, ms);
}

/*
 * The board as this screen shows it, for a rescue copy: with the text that
 * was being typed in a card when a signal came (never saved into the board
 * itself: it is unfinished). Appends it to data as YAML.
 */
static void ui_rescue_data(struct ui *ui, struct strbuf *data)
{
	struct store_errors e;
	struct board *copy = NULL;
	struct card *card;

	store_format(ui->board, data);
	if (!ui->draft.len)
		return;
	store_errors_init(&e, ui->path);
	if (store_parse(data->buf, data->len, &copy, &e) == 0 &&
	    (card = board_find_card(copy, ui->draft_card))) {
		struct op op;

		ui_op_init(&op, OP_TEXT, card);
		op.at = clock_now();
		op_set(&op.by, ui->by);
		op_set(&op.text, ui->draft.buf);
		op_apply(copy, &op, NULL);
		op_release(&op);
		strbuf_reset(data);
		store_format(copy, data);
	}
	board_free(copy);
	store_errors_release(&e);
}

/*
 * Puts what could not be saved (and a card text being typed when a signal
 * came) in a rescue copy beside the board (rescue.h), and says so on stderr:
 * the next opening, `tamis check` and `tamis list` say it again until it is
 * merged or removed.
 */
static void ui_rescue(struct ui *ui, const char *real, const struct file_perm *perm,
		      const struct strbuf *data, bool unsaved)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT, name = STRBUF_INIT;
	struct store_errors e;
	struct board *b = NULL;
	int r = -1;

	text_sanitize(&name, ui->path);
	if (unsaved)
		fprintf(stderr, _("tamis: cannot save '%s': %s\n"), name.buf,
			ui->save_error.len ? ui->save_error.buf : _("unknown error"));
	store_errors_init(&e, ui->path);
	if (store_parse(data->buf, data->len, &b, &e) == 0)
		r = rescue_write(real, b, perm, clock_now(), &path, &err);
	else
		strbuf_addstr(&err, "the board cannot be formatted");
	store_errors_release(&e);
	board_free(b);
	strbuf_reset(&name);
	text_sanitize(&name, path.buf);
	if (r < 0)
		fprintf(stderr, _("tamis: and cannot keep a rescue copy either: %s\n"), err.buf);
	else if (!unsaved)
		fprintf(stderr, _("tamis: the card text you were typing is kept in '%s'\n"), name.buf);
	else
		fprintf(stderr, _("tamis: your changes are kept in '%s' instead\n"), name.buf);
	if (r == 0) {
		strbuf_reset(&path);
		text_sanitize(&path, ui->path);
		fprintf(stderr, _("tamis: 'tamis check %s' says how to bring them back\n"), path.buf);
	} else if (r > 0) {
		fprintf(stderr, "%s\n", _("tamis: (the board's directory refused it: it is not looked "
					  "for there; merge it with 'tamis merge')"));
	}
	strbuf_release(&path);
	strbuf_release(&err);
	strbuf_release(&name);
}

/*
 * Closes the session (the last instance out compacts the board): its last
 * try and the compaction save the pending changes with the rest. Returns
 * the exit status: 74 only when changes really could not be saved (a rescue
 * copy then holds them).
 */
static int ui_close(struct ui *ui)
{
	struct strbuf data = STRBUF_INIT, err = STRBUF_INIT;
	struct file_perm perm = ui->session.perm;
	char *real = xstrdup(ui->session.path);
	int status = 0, r;

	ui->board = ui->session.board;
	/* Everything this screen holds, in case it cannot be saved. */
	if (ui->session.npending || ui->draft.len)
		ui_rescue_data(ui, &data);
	r = session_close(&ui->session, &err);
	ui->board = NULL;
	if (r == 1) {
		if (err.len && !ui->save_error.len)
			ui_set_error(ui, &err);
		ui_rescue(ui, real, &perm, &data, true);
		status = EX_IOERR;
	} else {
		if (ui->draft.len)
			ui_rescue(ui, real, &perm, &data, false);
		if (err.len) {
			struct strbuf name = STRBUF_INIT;

			/* Saved in the journal, but the board file could not be rewritten. */
			text_sanitize(&name, ui->path);
			fprintf(stderr, _("tamis: warning: %s\ntamis: nothing is lost: the changes are "
					  "in the live journal beside '%s' ('tamis compact' folds them "
					  "in)\n"),
				err.buf, name.buf);
			strbuf_release(&name);
		}
	}
	free(real);
	strbuf_release(&data);
	strbuf_release(&err);
	return status;
}

/* --- Keeping the computed state in step --- */

/* Selection on opening: the first placed card of the first grid, else the first card. */
static void ui_select_default(struct ui *ui)
{
	struct board *b = ui->board;
	size_t i;

	for (i = 0; i < b->ncards; i++) {
		if (b->ngrids && card_is_placed(b->cards[i], 0)) {
			ui_select(ui, b->cards[i]);
			return;
		}
	}
	ui_select(ui, b->ncards ? b->cards[0] : NULL);
}

void ui_sync(struct ui *ui)
{
	struct board *b = ui->board;
	struct layout_params p;
	struct layout_pos pos;
	struct card *sel;
	int *widths;
	size_t g;

	if (ui->grid >= b->ngrids)
		ui->grid = 0;
	layout_view_update(&ui->view, b, ui->grid);
	/* The carried card is shown where it goes; the board has it where it is. */
	if (ui->mode == MODE_CARRY && ui->carry_grid == ui->grid)
		layout_view_preview(&ui->view, ui_selected(ui), ui->carry_to);
	widths = xcalloc(b->ngrids ? b->ngrids : 1, sizeof(*widths));
	for (g = 0; g < b->ngrids; g++) {
		struct strbuf sb = STRBUF_INIT;

		ui_draw_tab_label(ui, g, &sb);
		widths[g] = text_width(sb.buf);
		strbuf_release(&sb);
	}
	p.cols = COLS;
	p.rows = LINES;
	p.cells = b->ngrids ? b->grids[ui->grid].cells : 0;
	p.max_in_cell = ui->view.max_in_cell;
	p.ntray = ui->view.ntray;
	p.ngrids = b->ngrids;
	p.tab_widths = widths;
	layout_compute(&ui->layout, &p);
	free(widths);
	layout_scroll_clamp(&ui->layout, &ui->view, &ui->scroll);
	if (ui->zone_x > p.cells || ui->zone_y > p.cells) {
		ui->zone_x = ui->zone_y = 1;
		memset(ui->zone_sel, 0, sizeof(ui->zone_sel));
	}

	sel = ui_selected(ui);
	if (!sel) {
		ui_select_default(ui);
		sel = ui_selected(ui);
		ui->reveal = true;
	}
	if (sel && ui->reveal && layout_view_find(&ui->view, sel, &pos)) {
		int *sc = pos.x ? &ui->scroll.cell[pos.x - 1][pos.y - 1] : &ui->scroll.tray;

		layout_scroll_to(&ui->layout, pos.x, pos.y, pos.index, sc);
		ui->reveal = false;
	}
}

void ui_select_reveal(struct ui *ui, const struct card *card)
{
	ui_select(ui, card);
	ui->reveal = true;
}

void ui_switch_grid(struct ui *ui, size_t g)
{
	if (g >= ui->board->ngrids)
		return;
	if (g != ui->grid)
		memset(ui->zone_sel, 0, sizeof(ui->zone_sel));
	ui->grid = g;
	memset(&ui->scroll, 0, sizeof(ui->scroll));
	ui->reveal = true;
}

/* --- Actions --- */

static const char *ui_where(struct ui *ui, const struct card *card, size_t g, char *buf,
			    size_t len)
{
	if (g >= ui->board->ngrids || !card_is_placed(card, g))
		snprintf(buf, len, "%s", _("the tray"));
	else
		snprintf(buf, len, _("cell %d,%d"), card->place[g].x, card->place[g].y);
	return buf;
}

/* Says so and returns true when card is locked against whoever plays. */
static bool ui_locked_for_me(struct ui *ui, const struct card *card)
{
	if (!card->locked || ui->facilitator)
		return false;
	ui_message(ui, "%s", _("this card is locked by the facilitator: only the facilitator may move or delete it"));
	return true;
}

static void ui_carry_start(struct ui *ui, bool mouse)
{
	struct card *card = ui_selected(ui);

	if (!card)
		return;
	if (!ui->board->ngrids) {
		ui_message(ui, "%s", _("this board has no grid to place cards on"));
		return;
	}
	if (ui_locked_for_me(ui, card))
		return;
	ui->carry_from = card->place[ui->grid];
	ui->carry_to = ui->carry_from;
	ui->carry_grid = ui->grid;
	ui->carry_mouse = mouse;
	ui->mode = MODE_CARRY;
}

/* Puts the carried card back where it was picked up. */
static void ui_carry_cancel(struct ui *ui)
{
	ui_carry_end(ui);
}

/* Moves card to (x, y) of grid g as one change. */
static void ui_move_card(struct ui *ui, const uuid_t id, size_t g, int x, int y)
{
	struct card *card = board_find_card(ui->board, id);
	struct op op;
	char where[64];
	int r;

	if (!card || g >= ui->board->ngrids)
		return;
	if (card->place[g].x == x && card->place[g].y == y)
		return;
	ui_op_init(&op, OP_MOVE, card);
	op_set(&op.grid, ui->board->grids[g].id);
	op.x = x;
	op.y = y;
	r = ui_apply(ui, &op);
	if (r == 2 && !ui->message.len) {
		ui_message(ui, "%s", _("not moved yet: the board is busy or unreachable, retrying"));
		ui->retry_said = true;
	}
	if (r < 0 || r == 2)
		return;
	card = board_find_card(ui->board, id);
	if (card)
		ui_message(ui, _("moved to %s"), ui_where(ui, card, g, where, sizeof(where)));
	ui->reveal = true;
}

/* Drops the carried card where it is now: one move from where it really was. */
static void ui_carry_drop(struct ui *ui)
{
	struct cell to = ui->carry_to;
	size_t g = ui->carry_grid;
	uuid_t id;

	if (!ui->has_sel) {
		ui_carry_cancel(ui);
		return;
	}
	memcpy(id, ui->sel, sizeof(uuid_t));
	ui_carry_cancel(ui);
	ui_move_card(ui, id, g, to.x, to.y);
}

/* Shows the carried card at (x, y) of its grid. */
static void ui_carry_show(struct ui *ui, int x, int y)
{
	ui->carry_to.x = (unsigned char)x;
	ui->carry_to.y = (unsigned char)y;
	ui->reveal = true;
}

static void ui_carry_step(struct ui *ui, enum layout_dir dir)
{
	struct card *card = ui_selected(ui);
	struct layout_pos pos;
	struct rect r = { 0, 0, 0, 0 };
	int x, y;

	if (!card)
		return;
	if (layout_view_find(&ui->view, card, &pos))
		layout_card_rect(&ui->layout, &ui->scroll, &pos, &r);
	x = ui->carry_to.x;
	y = ui->carry_to.y;
	if (layout_carry_step(&ui->layout, &x, &y, dir, r.x + r.w / 2))
		ui_carry_show(ui, x, y);
}

static const char *ui_op_kind_name(const struct op *op)
{
	switch (op->kind) {
	case OP_ADD: return _("add");
	case OP_DELETE: return _("delete");
	case OP_MOVE: return _("move");
	case OP_TEXT: return _("text edit");
	case OP_THEME: return _("theme change");
	case OP_NOTE: return _("note");
	case OP_PAIR: return _("pair");
	case OP_DECIDE: return _("decision");
	case OP_LOCK: return op->value ? _("lock") : _("unlock");
	case OP_ZONE_ADD:
	case OP_ZONE_DEL:
	case OP_ZONE_CELL: return _("zone");
	default: return op_kind_name(op->kind);
	}
}

static struct board *ui_undo_board(void *data)
{
	return ((struct ui *)data)->board;
}

static int ui_undo_apply(const struct op *op, void *data, struct strbuf *why)
{
	struct ui *ui = data;
	int r = ui_session_change(ui, op, why);

	ui->board = ui->session.board;
	if (r == 1 || r == -2)
		ui_set_error(ui, why);
	return r;
}

static void ui_undo_redo(struct ui *ui, bool redo)
{
	struct undo_target t = { ui_undo_board, ui_undo_apply, ui };
	struct undo_result res;
	struct strbuf why = STRBUF_INIT;
	struct card *card;
	uuid_t id;
	bool has_card = false;
	char *grid = NULL;
	const char *what;
	int r;

	r = redo ? undo_redo(&ui->undo, &t, ui->by, clock_now(), ui->facilitator, &res, &why)
		 : undo_undo(&ui->undo, &t, ui->by, clock_now(), ui->facilitator, &res, &why);
	ui_check_saved(ui, r == 0 && res.applied);
	ui_session_end(ui);
	if (r == -1) {
		ui_message(ui, "%s", redo ? _("nothing to redo") : _("nothing to undo"));
	} else if (r == -2) {
		ui_message(ui, _("cannot %s now: %s"), redo ? _("redo") : _("undo"), why.buf);
	} else if (!res.applied) {
		ui_message(ui, _("skipped: %s"), why.buf);
	} else {
		what = ui_op_kind_name(res.first);
		if (op_targets_card(res.first) || res.first->kind == OP_ADD) {
			memcpy(id, res.first->card_data ? res.first->card_data->id : res.first->card,
			       sizeof(uuid_t));
			has_card = true;
		}
		if (res.first->grid)
			grid = xstrdup(res.first->grid);
		ui_message(ui, redo ? _("redone: %s") : _("undone: %s"), what);
		if (res.refused)
			strbuf_addf(&ui->message, _(" (%zu skipped: %s)"), res.refused, why.buf);
	}
	if (grid) {
		int g = board_grid_index(ui->board, grid);

		if (g >= 0 && (size_t)g != ui->grid)
			ui_switch_grid(ui, (size_t)g);
		free(grid);
	}
	if (has_card && (card = board_find_card(ui->board, id)))
		ui_select_reveal(ui, card);
	strbuf_release(&why);
}

/* The cards of the current grid in reading order: cells top to bottom, then the tray. */
static size_t ui_reading_order(struct ui *ui, struct card ***out)
{
	struct layout_view *v = &ui->view;
	struct card **list = xcalloc(ui->board->ncards ? ui->board->ncards : 1, sizeof(*list));
	size_t n = 0, k, m;
	struct card **c;
	int x, y;

	for (y = v->cells; y >= 1; y--) {
		for (x = 1; x <= v->cells; x++) {
			c = layout_view_list(v, x, y, &m);
			for (k = 0; k < m; k++)
				list[n++] = c[k];
		}
	}
	c = layout_view_list(v, 0, 0, &m);
	for (k = 0; k < m; k++)
		list[n++] = c[k];
	*out = list;
	return n;
}

/* Selects the next (or previous) match from the selection; 'here' counts the selection. */
static bool ui_search_jump(struct ui *ui, int step, bool here)
{
	struct card **list, *sel = ui_selected(ui);
	size_t n = ui_reading_order(ui, &list), i, start = 0, k;
	bool found = false;

	for (i = 0; i < n; i++)
		if (list[i] == sel)
			start = i;
	for (k = here ? 0 : 1; n && k <= n; k++) {
		size_t j = step > 0 ? (start + k) % n : (start + n - k % n) % n;

		if (ui_card_matches(ui, list[j])) {
			ui_select_reveal(ui, list[j]);
			found = true;
			break;
		}
	}
	free(list);
	return found;
}

static size_t ui_count_matches(struct ui *ui)
{
	size_t i, n = 0;

	for (i = 0; i < ui->board->ncards; i++)
		if (ui_card_matches(ui, ui->board->cards[i]))
			n++;
	return n;
}

static void ui_add_card(struct ui *ui, size_t theme)
{
	struct board *b = ui->board;
	struct card *card = xcalloc(1, sizeof(*card));
	struct op op;
	time_t now = clock_now();
	uuid_t id;
	int r;

	do
		uuid_generate(id);
	while (board_find_card(b, id));
	memcpy(card->id, id, sizeof(uuid_t));
	card->text = xstrdup(ui->new_text.buf);
	card->theme = theme;
	card->by = ui->by ? xstrdup(ui->by) : NULL;
	card->created = now;
	card->place = xcalloc(b->ngrids ? b->ngrids : 1, sizeof(*card->place));
	card_record(card, EVENT_CREATED, now, ui->by);
	ui_op_init(&op, OP_ADD, NULL);
	memcpy(op.card, id, sizeof(uuid_t));
	op.card_data = card; /* owned by the op from here */
	op.x = (int)b->ncards;
	r = ui_apply(ui, &op);
	if (r < 0)
		return;
	ui_select_reveal(ui, board_find_card(ui->board, id));
	if (r != 2) {
		ui_message(ui, "%s", _("added to the tray: Enter picks it up to place it"));
	} else if (!ui->message.len) {
		ui_message(ui, "%s", _("not added yet: the board is busy or unreachable, retrying"));
		ui->retry_said = true;
	}
}

static void ui_delete_selected(struct ui *ui)
{
	struct card *card = ui_selected(ui), **list, *next = NULL;
	struct layout_pos pos;
	struct op op;
	uuid_t next_id;
	size_t n;

	if (!card || ui_locked_for_me(ui, card))
		return;
	if (layout_view_find(&ui->view, card, &pos)) {
		list = layout_view_list(&ui->view, pos.x, pos.y, &n);
		if (pos.index + 1 < n)
			next = list[pos.index + 1];
		else if (pos.index > 0)
			next = list[pos.index - 1];
	}
	if (next)
		memcpy(next_id, next->id, sizeof(uuid_t));
	ui_op_init(&op, OP_DELETE, card);
	if (ui_apply(ui, &op) < 0)
		return;
	ui_select_reveal(ui, next ? board_find_card(ui->board, next_id) : NULL);
	ui_message(ui, "%s", _("deleted (u undoes)"));
}

/* --- Events, by mode --- */

bool ui_key_dir(const struct ui_event *ev, enum layout_dir *dir)
{
	if (ev->kind == EV_KEY) {
		switch (ev->key) {
		case KEY_LEFT: *dir = DIR_LEFT; return true;
		case KEY_RIGHT: *dir = DIR_RIGHT; return true;
		case KEY_UP: *dir = DIR_UP; return true;
		case KEY_DOWN: *dir = DIR_DOWN; return true;
		}
		return false;
	}
	if (ev->kind == EV_CHAR && !ev->pasted) {
		switch (ev->ch) {
		case L'h': *dir = DIR_LEFT; return true;
		case L'l': *dir = DIR_RIGHT; return true;
		case L'k': *dir = DIR_UP; return true;
		case L'j': *dir = DIR_DOWN; return true;
		}
	}
	return false;
}

bool ui_is_enter(const struct ui_event *ev)
{
	return (ev->kind == EV_KEY && ev->key == KEY_ENTER) ||
	       (ev->kind == EV_CHAR && ev->ch == L' ' && !ev->pasted);
}

bool ui_is_key(const struct ui_event *ev, int key)
{
	return ev->kind == EV_KEY && ev->key == key;
}

bool ui_is_char(const struct ui_event *ev, wchar_t c)
{
	return ev->kind == EV_CHAR && ev->ch == c && !ev->pasted;
}

static void ui_move_selection(struct ui *ui, enum layout_dir dir)
{
	struct card *sel = ui_selected(ui), *next;

	if (!sel)
		return;
	next = layout_nearest(&ui->layout, &ui->view, &ui->scroll, sel, dir);
	if (next)
		ui_select_reveal(ui, next);
}

/* Grid switching keys, shared by several modes. Returns true when handled. */
static bool ui_grid_keys(struct ui *ui, const struct ui_event *ev)
{
	size_t n = ui->board->ngrids;

	if (!n)
		return false;
	if (ui_is_key(ev, UI_KEY_TAB)) {
		ui_switch_grid(ui, (ui->grid + 1) % n);
		return true;
	}
	if (ui_is_key(ev, KEY_BTAB)) {
		ui_switch_grid(ui, (ui->grid + n - 1) % n);
		return true;
	}
	if (ev->kind == EV_CHAR && !ev->pasted && ev->ch >= L'1' && ev->ch <= L'9') {
		size_t g = (size_t)(ev->ch - L'1');

		if (g < n)
			ui_switch_grid(ui, g);
		else
			ui_message(ui, _("there is no grid %zu"), g + 1);
		return true;
	}
	return false;
}

static void ui_normal_event(struct ui *ui, const struct ui_event *ev)
{
	struct card *sel = ui_selected(ui);
	enum layout_dir dir;

	if (ui_key_dir(ev, &dir)) {
		ui_move_selection(ui, dir);
		return;
	}
	if (ui_grid_keys(ui, ev))
		return;
	if (ui_is_enter(ev)) {
		ui_carry_start(ui, false);
		return;
	}
	if (ui_is_key(ev, UI_KEY_CTRL('r'))) {
		ui_undo_redo(ui, true);
		return;
	}
	if (ui_is_key(ev, UI_KEY_ESC)) {
		strbuf_reset(&ui->query);
		return;
	}
	if (ev->kind != EV_CHAR || ev->pasted)
		return;
	switch (ev->ch) {
	case L'q':
		ui->quit = true;
		break;
	case L'a':
		if (!ui->board->nthemes) {
			ui_message(ui, "%s", _("this board has no theme: add one to the file first"));
			break;
		}
		ui_editor_set(&ui->editor, "");
		ui->adding = true;
		ui->mode = MODE_EDIT;
		break;
	case L'e':
		if (!sel)
			break;
		ui_editor_set(&ui->editor, sel->text);
		ui->adding = false;
		ui->mode = MODE_EDIT;
		break;
	case L't':
		if (!sel)
			break;
		ui->theme_cursor = sel->theme;
		ui->adding = false;
		ui->mode = MODE_THEME;
		break;
	case L'x':
		if (sel && !ui_locked_for_me(ui, sel))
			ui->mode = MODE_CONFIRM;
		break;
	case L'i':
		ui->popup_top = 0;
		if (sel)
			ui->mode = MODE_DETAILS;
		break;
	case L'u':
		ui_undo_redo(ui, false);
		break;
	case L'/':
		/* A new search starts empty; ↑ in it recalls the last one. */
		ui_editor_set(&ui->search, "");
		strbuf_reset(&ui->query);
		ui->mode = MODE_SEARCH;
		break;
	case L'n':
	case L'N':
		/* After Esc cleared it, n and N take the last search up again. */
		if (!ui->query.len)
			strbuf_addstr(&ui->query, ui->last_query.buf);
		if (!ui->query.len)
			ui_message(ui, "%s", _("no search: / starts one"));
		else if (!ui_search_jump(ui, ev->ch == L'n' ? 1 : -1, false))
			ui_message(ui, "%s", _("no match on this grid"));
		break;
	case L'?':
		ui->popup_top = 0;
		ui->mode = MODE_HELP;
		break;
	case L'L':
		if (sel)
			ui_facil_lock(ui, sel->id);
		break;
	case L'v':
		if (sel)
			ui_facil_decide(ui, sel->id, MODE_NORMAL);
		break;
	case L'd':
		ui_facil_next_debated(ui);
		break;
	case L'm':
		ui_facil_toggle_mine(ui);
		break;
	case L'z':
		ui_facil_zone_start(ui);
		break;
	case L's':
		ui_sieve_open(ui);
		break;
	case L'R':
		ui_facil_report(ui);
		break;
	case L'F':
		ui_frame_open(ui);
		break;
	default:
		break;
	}
}

static void ui_carry_event(struct ui *ui, const struct ui_event *ev)
{
	enum layout_dir dir;

	if (ui_key_dir(ev, &dir))
		ui_carry_step(ui, dir);
	else if (ui_is_enter(ev))
		ui_carry_drop(ui);
	else if (ui_is_key(ev, UI_KEY_ESC))
		ui_carry_cancel(ui);
	else if (ui_is_char(ev, L'q')) {
		ui_carry_cancel(ui);
		ui->quit = true;
	}
}

static void ui_edit_event(struct ui *ui, const struct ui_event *ev)
{
	struct strbuf text = STRBUF_INIT;
	struct card *sel = ui_selected(ui);
	size_t start, end;

	switch (ui_editor_event(&ui->editor, ev)) {
	case EDITOR_CONTINUE:
		return;
	case EDITOR_CANCEL:
		ui->mode = MODE_NORMAL;
		return;
	case EDITOR_DONE:
		break;
	}
	ui_editor_text(&ui->editor, &text);
	/* Surrounding spaces are never meant. */
	for (start = 0; text.buf[start] == ' '; start++)
		;
	for (end = text.len; end > start && text.buf[end - 1] == ' '; end--)
		;
	strbuf_setlen(&text, end);
	ui->mode = MODE_NORMAL;
	if (start == end) {
		ui_message(ui, "%s", _("a card needs some text"));
	} else if (ui->adding) {
		strbuf_reset(&ui->new_text);
		strbuf_addstr(&ui->new_text, text.buf + start);
		ui->theme_cursor = sel ? sel->theme : 0;
		ui->mode = MODE_THEME;
	} else if (sel && strcmp(sel->text, text.buf + start)) {
		struct op op;

		ui_op_init(&op, OP_TEXT, sel);
		op_set(&op.text, text.buf + start);
		if (ui_apply(ui, &op) >= 0)
			ui_message(ui, "%s", _("text changed"));
	} else if (!sel) {
		ui_message(ui, "%s", _("this card was deleted by someone else"));
	}
	strbuf_release(&text);
}

static void ui_theme_chosen(struct ui *ui, size_t theme)
{
	struct card *sel = ui_selected(ui);

	ui->mode = MODE_NORMAL;
	if (ui->adding) {
		ui_add_card(ui, theme);
	} else if (sel && sel->theme != theme && theme < ui->board->nthemes) {
		struct op op;

		ui_op_init(&op, OP_THEME, sel);
		op_set(&op.name, ui->board->themes[theme].id);
		if (ui_apply(ui, &op) >= 0)
			ui_message(ui, "%s", _("theme changed"));
	}
}

static void ui_theme_event(struct ui *ui, const struct ui_event *ev)
{
	size_t n = ui->board->nthemes, i;

	if (!n) {
		ui->mode = MODE_NORMAL;
		return;
	}
	if (ui->theme_cursor >= n)
		ui->theme_cursor = 0;
	if (ui_is_key(ev, KEY_UP) || ui_is_char(ev, L'k') || ui_is_key(ev, KEY_BTAB)) {
		ui->theme_cursor = (ui->theme_cursor + n - 1) % n;
	} else if (ui_is_key(ev, KEY_DOWN) || ui_is_char(ev, L'j') || ui_is_key(ev, UI_KEY_TAB)) {
		ui->theme_cursor = (ui->theme_cursor + 1) % n;
	} else if (ui_is_enter(ev)) {
		ui_theme_chosen(ui, ui->theme_cursor);
	} else if (ui_is_key(ev, UI_KEY_ESC)) {
		ui->mode = MODE_NORMAL;
		if (ui->adding)
			ui_message(ui, "%s", _("card not added"));
	} else if (ev->kind == EV_CHAR && !ev->pasted) {
		/* A theme's badge letter picks it at once. */
		struct strbuf key = STRBUF_INIT;

		utf8_encode(&key, (uint32_t)towupper((wint_t)ev->ch));
		for (i = 0; i < n; i++) {
			if (!strcmp(ui->badges[i], key.buf)) {
				ui_theme_chosen(ui, i);
				break;
			}
		}
		strbuf_release(&key);
	}
}

static void ui_confirm_event(struct ui *ui, const struct ui_event *ev)
{
	ui->mode = MODE_NORMAL;
	if (ui_is_char(ev, L'y') || ui_is_char(ev, L'Y'))
		ui_delete_selected(ui);
	else
		ui_message(ui, "%s", _("not deleted"));
}

static void ui_search_event(struct ui *ui, const struct ui_event *ev)
{
	enum ui_editor_result r = EDITOR_CONTINUE;

	if (ev->kind == EV_KEY && ev->key == KEY_UP && !ev->pasted)
		ui_editor_set(&ui->search, ui->last_query.buf); /* recall the last search */
	else
		r = ui_editor_event(&ui->search, ev);
	if (r == EDITOR_CANCEL) {
		strbuf_reset(&ui->query);
		ui->mode = MODE_NORMAL;
		return;
	}
	strbuf_reset(&ui->query);
	ui_editor_text(&ui->search, &ui->query);
	if (r == EDITOR_DONE) {
		ui->mode = MODE_NORMAL;
		if (ui->query.len) {
			strbuf_reset(&ui->last_query);
			strbuf_add(&ui->last_query, ui->query.buf, ui->query.len);
			ui_message(ui, _("%zu matching cards: n next, N previous, Esc clears"),
				   ui_count_matches(ui));
		}
		return;
	}
	/* Incremental: keep the selection on a match as the query grows. */
	if (ui->query.len) {
		struct card *sel = ui_selected(ui);

		if (!sel || !ui_card_matches(ui, sel))
			ui_search_jump(ui, 1, true);
	}
}

/* "Who is playing?", asked once at start when neither --by nor $TAMIS_BY said. */
static void ui_name_event(struct ui *ui, const struct ui_event *ev)
{
	struct strbuf name = STRBUF_INIT;
	size_t start, end;

	switch (ui_editor_event(&ui->prompt, ev)) {
	case EDITOR_CONTINUE:
		return;
	case EDITOR_CANCEL:
		ui->mode = MODE_NORMAL;
		ui_message(ui, "%s", _("playing without a name: your changes will not say who made them"));
		return;
	case EDITOR_DONE:
		break;
	}
	ui_editor_text(&ui->prompt, &name);
	for (start = 0; name.buf[start] == ' '; start++)
		;
	for (end = name.len; end > start && name.buf[end - 1] == ' '; end--)
		;
	strbuf_setlen(&name, end);
	ui->mode = MODE_NORMAL;
	if (start < end) {
		free(ui->by);
		ui->by = xstrdup(name.buf + start);
		ui_message(ui, _("hello %s: your changes are signed with this name"), ui->by);
	} else {
		ui_message(ui, "%s", _("playing without a name: your changes will not say who made them"));
	}
	strbuf_release(&name);
}

static void ui_popup_event(struct ui *ui, const struct ui_event *ev)
{
	enum layout_dir dir;

	/* In the details, the arrows follow other cards. */
	if (ui->mode == MODE_DETAILS && ui_key_dir(ev, &dir)) {
		ui->popup_top = 0;
		ui_move_selection(ui, dir);
		return;
	}
	if (ui->mode == MODE_DETAILS && (ui_is_key(ev, KEY_NPAGE) || ui_is_key(ev, KEY_PPAGE))) {
		if (ui_is_key(ev, KEY_NPAGE))
			ui->popup_top += 10;
		else
			ui->popup_top = ui->popup_top > 10 ? ui->popup_top - 10 : 0;
		return;
	}
	if (ui->mode == MODE_DETAILS && ui_grid_keys(ui, ev))
		return;
	/* The keys scroll when they do not all fit. */
	if (ui->mode == MODE_HELP) {
		if (ui_is_key(ev, KEY_DOWN) || ui_is_char(ev, L'j')) {
			ui->popup_top++;
			return;
		}
		if (ui_is_key(ev, KEY_UP) || ui_is_char(ev, L'k')) {
			if (ui->popup_top > 0)
				ui->popup_top--;
			return;
		}
		if (ui_is_key(ev, KEY_NPAGE)) {
			ui->popup_top += 10;
			return;
		}
		if (ui_is_key(ev, KEY_PPAGE)) {
			ui->popup_top = ui->popup_top > 10 ? ui->popup_top - 10 : 0;
			return;
		}
	}
	ui->mode = MODE_NORMAL;
}

/* The card in visible slot 'slot' of the container hit, or NULL. */
static struct card *ui_card_at(struct ui *ui, const struct layout_hit *h)
{
	struct card **list;
	size_t n, k;
	int cols, rows, scroll, x = 0, y = 0;

	if (h->slot < 0 || (h->kind != HIT_CELL && h->kind != HIT_TRAY))
		return NULL;
	if (h->kind == HIT_CELL) {
		x = h->x;
		y = h->y;
	}
	list = layout_view_list(&ui->view, x, y, &n);
	layout_container_slots(&ui->layout, x, y, &cols, &rows);
	scroll = x ? ui->scroll.cell[x - 1][y - 1] : ui->scroll.tray;
	k = (size_t)scroll * (size_t)cols + (size_t)h->slot;
	return k < n ? list[k] : NULL;
}

static void ui_mouse_event(struct ui *ui, const struct ui_event *ev)
{
	struct layout_hit h = layout_hit_test(&ui->layout, ev->x, ev->y);
	struct card *card;

	if (ui->mode == MODE_DETAILS || ui->mode == MODE_HELP) {
		if (ev->mouse == MOUSE_PRESS)
			ui->mode = MODE_NORMAL;
		return;
	}
	if (ui->mode == MODE_FRAME) {
		ui_frame_mouse(ui, ev);
		return;
	}
	if (ui->mode == MODE_SIEVE || ui->mode == MODE_ZONE || ui->mode == MODE_FRAME_PROMPT)
		return;
	if (ev->mouse == MOUSE_WHEEL_UP || ev->mouse == MOUSE_WHEEL_DOWN) {
		int d = ev->mouse == MOUSE_WHEEL_UP ? -1 : 1;

		if (h.kind == HIT_CELL)
			ui->scroll.cell[h.x - 1][h.y - 1] += d;
		else if (h.kind == HIT_TRAY)
			ui->scroll.tray += d;
		return; /* clamped at the next sync */
	}
	if (ui->mode != MODE_NORMAL && !(ui->mode == MODE_CARRY && ui->carry_mouse))
		return;
	switch (ev->mouse) {
	case MOUSE_PRESS:
		if (h.kind == HIT_TAB) {
			ui_switch_grid(ui, (size_t)h.index);
			return;
		}
		card = ui_card_at(ui, &h);
		ui->mouse_down = card != NULL;
		if (card) {
			ui_select(ui, card);
			memcpy(ui->mouse_card, card->id, sizeof(uuid_t));
		}
		return;
	case MOUSE_DRAG:
		if (!ui->mouse_down || !(card = board_find_card(ui->board, ui->mouse_card)))
			return;
		if (ui->mode != MODE_CARRY) {
			ui_select(ui, card);
			ui_carry_start(ui, true);
			if (ui->mode != MODE_CARRY) {
				ui->mouse_down = false;
				return;
			}
		}
		if (h.kind == HIT_CELL)
			ui_carry_show(ui, h.x, h.y);
		else if (h.kind == HIT_TRAY)
			ui_carry_show(ui, 0, 0);
		return;
	case MOUSE_RELEASE: {
		uuid_t id;
		size_t g = ui->grid;

		if (!ui->mouse_down)
			return;
		ui->mouse_down = false;
		memcpy(id, ui->mouse_card, sizeof(uuid_t));
		if (ui->mode == MODE_CARRY) {
			g = ui->carry_grid;
			ui_carry_cancel(ui);
		}
		/* Dropped outside the grid and the tray: it stays where it was. */
		if (!ui->board->ngrids || (h.kind != HIT_CELL && h.kind != HIT_TRAY))
			return;
		if ((card = board_find_card(ui->board, id)) && ui_locked_for_me(ui, card))
			return;
		if (h.kind == HIT_CELL)
			ui_move_card(ui, id, g, h.x, h.y);
		else
			ui_move_card(ui, id, g, 0, 0);
		return;
	}
	default:
		return;
	}
}

/*
 * The session ends (a signal, the terminal gone) while a card's text is
 * being typed: nothing typed is lost. A new card is added with it (in the
 * tray, in the theme being chosen); an edit of a card, unfinished, is never
 * saved over its text: it goes to a rescue copy (ui_close()).
 */
static void ui_keep_draft(struct ui *ui)
{
	struct strbuf text = STRBUF_INIT;
	struct card *sel = ui_selected(ui);
	size_t start, end;

	if (ui->mode == MODE_EDIT)
		ui_editor_text(&ui->editor, &text);
	else if (ui->mode == MODE_THEME && ui->adding)
		strbuf_addstr(&text, ui->new_text.buf);
	else
		return;
	for (start = 0; text.buf[start] == ' '; start++)
		;
	for (end = text.len; end > start && text.buf[end - 1] == ' '; end--)
		;
	strbuf_setlen(&text, end);
	if (start < end && ui->adding) {
		size_t theme = ui->mode == MODE_THEME ? ui->theme_cursor : sel ? sel->theme : 0;

		strbuf_reset(&ui->new_text);
		strbuf_addstr(&ui->new_text, text.buf + start);
		ui->mode = MODE_NORMAL;
		if (theme < ui->board->nthemes)
			ui_add_card(ui, theme);
	} else if (start < end && sel && strcmp(sel->text, text.buf + start)) {
		strbuf_reset(&ui->draft);
		strbuf_addstr(&ui->draft, text.buf + start);
		memcpy(ui->draft_card, sel->id, sizeof(uuid_t));
	}
	ui->mode = MODE_NORMAL;
	strbuf_release(&text);
}

/* True for the modes where text is typed, into one of the editors. */
static bool ui_mode_types_text(enum ui_mode mode)
{
	return mode == MODE_EDIT || mode == MODE_SEARCH || mode == MODE_NAME ||
	       mode == MODE_RATIONALE || mode == MODE_ZONE_NAME || mode == MODE_FRAME_PROMPT;
}

/* Says why an editor refused what was typed or pasted (past the format's limit). */
static void ui_say_refusal(struct ui *ui)
{
	struct ui_editor *editors[] = { &ui->editor, &ui->search, &ui->prompt };
	struct strbuf why = STRBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(editors) / sizeof(editors[0]); i++) {
		if (ui_editor_refusal(editors[i], &why)) {
			ui_message(ui, "%s", why.buf);
			break;
		}
	}
	strbuf_release(&why);
}

static void ui_handle(struct ui *ui, const struct ui_event *ev)
{
	switch (ev->kind) {
	case EV_SIGNAL:
	case EV_EOF:
		if (ui->mode == MODE_CARRY)
			ui_carry_cancel(ui);
		/* A script's end is no accident: what it leaves typed is dropped on purpose. */
		if (ev->kind == EV_SIGNAL || !ui_input_is_script(ui->input))
			ui_keep_draft(ui);
		ui->quit = true;
		return;
	case EV_RESIZE:
		ui->reveal = true;
		return;
	case EV_WAKE:
	case EV_TICK:
		ui_poll(ui);
		return;
	case EV_DUMP:
		if (ev->arg.len) {
			FILE *f = fopen(ev->arg.buf, "w");

			if (f) {
				ui_draw_dump(f);
				fclose(f);
			}
		} else {
			ui_draw_dump(stdout);
			fflush(stdout);
		}
		return;
	case EV_MOUSE:
		/* A drag's message stays through its release. */
		if (ev->mouse != MOUSE_DRAG && ev->mouse != MOUSE_RELEASE)
			strbuf_reset(&ui->message);
		ui_mouse_event(ui, ev);
		return;
	case EV_PASTE:
		if (!ui_mode_types_text(ui->mode))
			return; /* a paste is text: it goes only where text is typed */
		break;
	case EV_KEY:
	case EV_CHAR:
		break;
	default:
		return;
	}
	strbuf_reset(&ui->message);
	if (ui->layout.too_small && ui->mode != MODE_EDIT && ui->mode != MODE_SEARCH &&
	    ui->mode != MODE_NAME && ui->mode != MODE_RATIONALE && ui->mode != MODE_SIEVE &&
	    ui->mode != MODE_ZONE_NAME && ui->mode != MODE_FRAME && ui->mode != MODE_FRAME_PROMPT) {
		/* Nothing can be seen: only quitting makes sense. */
		if (ui_is_char(ev, L'q')) {
			if (ui->mode == MODE_CARRY)
				ui_carry_cancel(ui);
			ui->quit = true;
		}
		return;
	}
	switch (ui->mode) {
	case MODE_NORMAL: ui_normal_event(ui, ev); break;
	case MODE_CARRY: ui_carry_event(ui, ev); break;
	case MODE_EDIT: ui_edit_event(ui, ev); break;
	case MODE_THEME: ui_theme_event(ui, ev); break;
	case MODE_CONFIRM: ui_confirm_event(ui, ev); break;
	case MODE_SEARCH: ui_search_event(ui, ev); break;
	case MODE_DETAILS:
	case MODE_HELP: ui_popup_event(ui, ev); break;
	case MODE_NAME: ui_name_event(ui, ev); break;
	case MODE_RATIONALE: ui_facil_rationale_event(ui, ev); break;
	case MODE_ZONE: ui_facil_zone_event(ui, ev); break;
	case MODE_ZONE_NAME: ui_facil_zone_name_event(ui, ev); break;
	case MODE_ZONE_COLOR: ui_facil_zone_color_event(ui, ev); break;
	case MODE_SIEVE: ui_sieve_event(ui, ev); break;
	case MODE_FRAME: ui_frame_event(ui, ev); break;
	case MODE_FRAME_PROMPT: ui_frame_prompt_event(ui, ev); break;
	}
	ui_say_refusal(ui);
}

/* --- Opening and closing --- */

/*
 * The facilitator's signing key (sign.h), made on first need. Without one,
 * a board that lists keys would take every facilitator change for a
 * pair's: better play as a pair at once, saying why.
 */
static void ui_player_key(struct ui *ui)
{
	struct strbuf err = STRBUF_INIT;

	ui->facilitator = true;
	if (sign_key_load(&ui->key, &err) == 0) {
		strbuf_release(&err);
		return;
	}
	if (ui->board->nkeys) {
		ui->facilitator = false;
		ui_message(ui, _("not the facilitator: your changes cannot be signed: %s; you play "
				 "as a pair"),
			   err.buf);
	} else {
		ui_message(ui, _("warning: your facilitator changes will not be signed: %s"), err.buf);
	}
	strbuf_release(&err);
}

/* Who plays, and whether as the facilitator. */
static void ui_player(struct ui *ui)
{
	const struct passwd *pw;
	const char *account;

	ui->by = ui->opt && ui->opt->by && *ui->opt->by ? xstrdup(ui->opt->by) : NULL;
	if (!ui->opt || !ui->opt->facilitator)
		return;
	pw = getpwuid(getuid());
	account = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : NULL;
	if (account && board_may_facilitate(ui->board, account)) {
		ui_player_key(ui);
		return;
	}
	if (account)
		ui_message(ui, _("not the facilitator: account '%s' is not among this board's "
				 "facilitators; you play as a pair"),
			   account);
	else
		ui_message(ui, "%s", _("not the facilitator: your account has no name; you play as a pair"));
}

void ui_state_init(struct ui *ui)
{
	undo_init(&ui->undo);
	ui_editor_init(&ui->editor);
	ui_editor_init(&ui->search);
	ui_editor_init(&ui->prompt);
	strbuf_init(&ui->new_text, 0);
	strbuf_init(&ui->draft, 0);
	strbuf_init(&ui->query, 0);
	strbuf_init(&ui->last_query, 0);
	strbuf_init(&ui->save_error, 0);
	strbuf_init(&ui->message, 0);
	strbuf_init(&ui->zone_name, 0);
	strbuf_init(&ui->frame.low, 0);
	ui->sieve.column = -1;
	ui->sieve.theme = -1;
	ui->zone_x = ui->zone_y = 1;
}

void ui_release(struct ui *ui)
{
	layout_view_release(&ui->view);
	undo_release(&ui->undo);
	ui_editor_release(&ui->editor);
	ui_editor_release(&ui->search);
	ui_editor_release(&ui->prompt);
	strbuf_release(&ui->new_text);
	strbuf_release(&ui->draft);
	strbuf_release(&ui->query);
	strbuf_release(&ui->last_query);
	strbuf_release(&ui->save_error);
	strbuf_release(&ui->message);
	strbuf_release(&ui->zone_name);
	strbuf_release(&ui->frame.low);
	free(ui->badges);
	free(ui->by);
	sign_key_release(&ui->key);
}

int ui_run(const char *path, const struct ui_options *opt)
{
	struct store_errors errs;
	struct strbuf err = STRBUF_INIT;
	struct ui ui;
	struct ui_event ev;
	const char *script = getenv("TAMIS_SCRIPT");
	const char *term = getenv("TERM");
	const char *no_color = getenv("NO_COLOR");
	FILE *out = stdout, *in = stdin;
	SCREEN *screen;
	int r;

	memset(&ui, 0, sizeof(ui));
	ui.path = path;
	ui.opt = opt;
	store_errors_init(&errs, path);
	r = session_open(&ui.session, path, SESSION_LIVE, &errs);
	if (r < 0) {
		store_errors_format(&errs, &err);
		fputs(err.buf, stderr);
		strbuf_release(&err);
		store_errors_release(&errs);
		return r == -1 ? EX_DATAERR : r == -3 ? EX_TEMPFAIL : EX_NOINPUT;
	}
	store_errors_release(&errs);
	ui.board = ui.session.board;

	if (script && *script) {
		/* Headless (tig's TIG_SCRIPT): a virtual screen on /dev/null. */
		const char *size = getenv("TAMIS_SCRIPT_SIZE");
		char buf[16];
		int cols = 80, rows = 24;

		if (size && sscanf(size, "%dx%d", &cols, &rows) != 2)
			cols = 80, rows = 24;
		snprintf(buf, sizeof(buf), "%d", cols > 0 ? cols : 80);
		setenv("COLUMNS", buf, 1);
		snprintf(buf, sizeof(buf), "%d", rows > 0 ? rows : 24);
		setenv("LINES", buf, 1);
		if (!term || !*term || !strcmp(term, "dumb"))
			term = "xterm-256color";
		out = fopen("/dev/null", "w");
		in = fopen("/dev/null", "r");
		if (!out || !in) {
			fprintf(stderr, _("tamis: cannot open /dev/null: %s\n"), strerror(errno));
			session_close(&ui.session, NULL);
			return EX_OSERR;
		}
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr, "%s\n",
				_("tamis: the board opens in a terminal; use 'tamis list' and the other commands in scripts"));
			session_close(&ui.session, NULL);
			return EX_USAGE;
		}
		if (ui_term_check(term, STDOUT_FILENO, &err) < 0) {
			fprintf(stderr, "tamis: %s\n", err.buf);
			strbuf_release(&err);
			session_close(&ui.session, NULL);
			return EX_UNAVAILABLE;
		}
	}

	screen = newterm(term, out, in);
	if (!screen) {
		text_sanitize(&err, term ? term : "");
		fprintf(stderr, _("tamis: cannot use terminal '%s'\n"), err.buf);
		strbuf_release(&err);
		session_close(&ui.session, NULL);
		if (out != stdout)
			fclose(out);
		if (in != stdin)
			fclose(in);
		return EX_UNAVAILABLE;
	}
	set_term(screen);
	ui_color_init(no_color && *no_color);
	ui.input = script && *script ? ui_input_script(script, &err) : ui_input_terminal(&err);
	if (!ui.input) {
		endwin();
		delscreen(screen);
		fprintf(stderr, "tamis: %s\n", err.buf);
		strbuf_release(&err);
		session_close(&ui.session, NULL);
		return EX_NOINPUT;
	}
	if (script && *script)
		resizeterm(atoi(getenv("LINES")), atoi(getenv("COLUMNS")));
	curs_set(0);

	ui_state_init(&ui);
	strbuf_init(&ev.arg, 0);
	ui_make_badges(&ui);
	ui_select_default(&ui);
	ui.reveal = true;
	ui_open_warnings(&ui);
	ui_player(&ui);
	if (!ui.by) {
		ui_editor_set(&ui.prompt, "");
		ui.mode = MODE_NAME;
	}
	ui_input_watch_fd(ui.input, session_fd(&ui.session));

	while (!ui.quit) {
		ui_set_timer(&ui);
		ui_sync(&ui);
		/*
		 * One redraw for keys that come in together (typed ahead, a
		 * paste, a drag): draw only when no input is waiting. A script
		 * draws after every event, its dumps show each step.
		 */
		if (ui_input_is_script(ui.input) || !ui_input_pending(ui.input))
			ui_draw(&ui);
		ui_input_next(ui.input, &ev);
		ui_handle(&ui, &ev);
	}
	if (ui.session.npending && session_flush(&ui.session, &err) == 0)
		ui_check_saved(&ui, true);
	ui.board = ui.session.board;

	ui_input_free(ui.input);
	endwin();
	delscreen(screen);
	if (out != stdout)
		fclose(out);
	if (in != stdin)
		fclose(in);
	strbuf_release(&ev.arg);
	strbuf_release(&err);
	r = ui_close(&ui);
	ui_release(&ui);
	return r;
}
