/*
 * ui_live.c - the terminal board's live session: every change made as an
 * operation through it, others' changes taken in, undo and redo, what is
 * said about the files, and closing with what could not be saved.
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
 *
 * After every session call the board may be a new object: the open screens
 * hear of it (ui_screen_changed()) and let go of a card someone else deleted.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "conflicts.h"
#include "i18n.h"
#include "op.h"
#include "rescue.h"
#include "session.h"
#include "sign.h"
#include "store.h"
#include "text.h"
#include "timeutil.h"
#include "ui_int.h"
#include "undo.h"
#include "xmalloc.h"

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
void ui_open_warnings(struct ui *ui)
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

/* After a session call: the board may be a new object, a card gone. */
static void ui_session_end(struct ui *ui)
{
	ui->board = ui->session.board;
	if (ui->grid >= ui->board->ngrids)
		ui->grid = 0;
	if (ui->nbadges != ui->board->nthemes)
		ui_make_badges(ui);
	ui_screen_changed(ui);
	ui_check_journal(ui);
	/* My changes that waited while someone changed the same: asked, one by one. */
	if (ui->session.ncontested && ui_screen_top(ui) != UI_SCREEN_LATE &&
	    ui_screen_open(ui, UI_SCREEN_LATE, NULL))
		strbuf_reset(&ui->message); /* the question takes the whole line */
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
		/* Held back instead, someone having changed the same: asked (ui_late.c). */
		if (ui->session.ncontested)
			return;
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

	if (session_restore_missing(&ui->session, &err) == RESULT_OK)
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
	return r < 0 ? RESULT_REFUSED : RESULT_OK;
}

/* session_apply() of op as whoever plays makes it: signed when they facilitate (sign.h). */
static int ui_session_change(struct ui *ui, const struct op *op, struct strbuf *err)
{
	struct ui_change c = { ui, op, err };

	return session_update(&ui->session, ui_change_one, &c, err);
}

/*
 * The board could not even be locked: op is applied here at once all the
 * same, signed as ui_change_one() does (a key-add first, when needed), and
 * queued with the session's pending changes, which the session saves in
 * order, after others' changes: at the next change, on the timer, when
 * closing. RESULT_QUEUED, or RESULT_REFUSED when op does not apply (why).
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

	if (r < 0 && r != RESULT_REFUSED) {
		struct strbuf why = STRBUF_INIT;

		/* err keeps why the board could not be locked, for the status bar. */
		r = ui_apply_later(ui, op, &why);
		if (r < 0) {
			strbuf_reset(err);
			strbuf_addstr(err, why.buf);
		}
		strbuf_release(&why);
	}
	if (r == RESULT_OK)
		ui_ack_log(op);
	ui->board = ui->session.board;
	if (r >= 0 && has_inv)
		undo_record(&ui->undo, ui->board, op, &inv);
	if (r >= 0)
		ui->changed_here = true;
	if (has_inv)
		op_release(&inv);
	if (r == RESULT_PENDING || r == RESULT_QUEUED)
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
	ui_check_saved(ui, r == RESULT_OK);
	ui_session_end(ui);
	strbuf_release(&err);
	op_release(op);
	return r;
}

void ui_poll(struct ui *ui)
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

void ui_save_now(struct ui *ui)
{
	struct strbuf err = STRBUF_INIT;

	if (ui->session.npending && session_flush(&ui->session, &err) == 0)
		ui_check_saved(ui, true);
	ui->board = ui->session.board;
	strbuf_release(&err);
}

/* --- Undo --- */

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

/*
 * Appends to out what someone else did since to what an undo or redo left
 * alone: "Binôme B moved it to 2,2 at 10:42".
 */
static void ui_kept_since(const struct board *b, const struct op *kept, struct strbuf *out)
{
	const struct card_event *e = op_last_change(b, kept);
	char when[16] = "?";
	struct tm tm;
	const char *who;

	if (!e) {
		strbuf_addstr(out, _("someone changed it since"));
		return;
	}
	if (localtime_r(&e->at, &tm))
		strftime(when, sizeof(when), "%H:%M", &tm);
	who = e->by ? e->by : _("someone");
	switch (e->kind) {
	case EVENT_MOVED:
		if (e->to.x)
			strbuf_addf(out, _("%s moved it to %d,%d at %s"), who, e->to.x, e->to.y, when);
		else
			strbuf_addf(out, _("%s put it back in the tray at %s"), who, when);
		break;
	case EVENT_EDITED: strbuf_addf(out, _("%s edited its text at %s"), who, when); break;
	case EVENT_THEMED: strbuf_addf(out, _("%s changed its theme at %s"), who, when); break;
	case EVENT_NOTED: strbuf_addf(out, _("%s changed its note at %s"), who, when); break;
	case EVENT_DECIDED:
		strbuf_addf(out, _("%s decided it (%s) at %s"), who,
			    ui_decision_name(e->dto), when);
		break;
	case EVENT_LOCKED: strbuf_addf(out, _("%s locked it at %s"), who, when); break;
	case EVENT_UNLOCKED: strbuf_addf(out, _("%s unlocked it at %s"), who, when); break;
	default: strbuf_addf(out, _("%s changed it at %s"), who, when); break;
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
	if (r == RESULT_PENDING || (r < 0 && r != RESULT_REFUSED))
		ui_set_error(ui, why);
	return r;
}

/*
 * Undo with nothing recorded here (the board was reopened, and nothing
 * changed since but by undoing): my last change still undoable, from the
 * cards' histories (undo_history_find()). Fills res as undo_undo() does (the
 * step recorded for redo).
 */
static int ui_undo_history(struct ui *ui, struct undo_result *res, struct strbuf *why)
{
	struct op fwd, inv;
	int r;

	memset(res, 0, sizeof(*res));
	if (undo_history_find(ui->board, ui->by, &ui->undo_mark, &fwd, &inv) < 0)
		return RESULT_UNCHANGED;
	op_set(&inv.by, ui->by);
	inv.at = clock_now();
	inv.facilitator = ui->facilitator;
	r = ui_undo_apply(&inv, ui, why);
	if (r >= 0) {
		undo_record_undone(&ui->undo, ui->board, &fwd, &inv);
		res->applied = 1;
		res->first = &ui->undo.steps[ui->undo.pos].ops[0];
	} else if (r == RESULT_REFUSED) {
		res->refused = 1;
		r = RESULT_OK;
	}
	op_release(&fwd);
	op_release(&inv);
	return r;
}

void ui_undo(struct ui *ui, bool redo)
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

	/* The histories only before this instance changed anything itself. */
	if (!redo && !undo_can_undo(&ui->undo) && !ui->changed_here)
		r = ui_undo_history(ui, &res, &why);
	else if (redo)
		r = undo_redo(&ui->undo, &t, ui->by, clock_now(), ui->facilitator, &res, &why);
	else
		r = undo_undo(&ui->undo, &t, ui->by, clock_now(), ui->facilitator, &res, &why);
	ui_check_saved(ui, r == RESULT_OK && res.applied);
	ui_session_end(ui);
	if (r == RESULT_UNCHANGED) {
		ui_message(ui, "%s", redo ? _("nothing to redo") : _("nothing to undo"));
	} else if (r < 0) {
		ui_message(ui, _("cannot %s now: %s"), redo ? _("redo") : _("undo"), why.buf);
	} else if (!res.applied && res.kept) {
		ui_message(ui, "%s", redo ? _("not redone: ") : _("not undone: "));
		ui_kept_since(ui->board, res.kept_first, &ui->message);
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
			strbuf_addf(&ui->message, ngettext(" (%zu skipped: %s)", " (%zu skipped: %s)", res.refused),
				    res.refused, why.buf);
		if (res.kept) {
			strbuf_addstr(&ui->message, redo ? _("; not redone: ") : _("; not undone: "));
			ui_kept_since(ui->board, res.kept_first, &ui->message);
		}
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

/* --- Closing --- */

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
int ui_close(struct ui *ui)
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
	if (r == RESULT_PENDING) {
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
