/*
 * ui.c - the terminal board: opening the terminal, the one input loop, the
 * modes and the actions on the board, and saving after every change.
 *
 * The loop (tig's get_input(), tmux's proc loop): bring the computed state
 * up to date (ui_sync()), draw, wait for one event, handle it. Signals
 * arrive as events; nothing is done in a signal handler.
 */
#include "ui.h"

#include <curses.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "board.h"
#include "i18n.h"
#include "layout.h"
#include "lockfile.h"
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

static void ui_message(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(&ui->message);
	va_start(ap, fmt);
	strbuf_vaddf(&ui->message, fmt, ap);
	va_end(ap);
}

struct card *ui_selected(struct ui *ui)
{
	return ui->has_sel ? board_find_card(ui->board, ui->sel) : NULL;
}

static void ui_select(struct ui *ui, const struct card *card)
{
	if (!card) {
		ui->has_sel = false;
		return;
	}
	memcpy(ui->sel, card->id, sizeof(uuid_t));
	ui->has_sel = true;
}

/* Lowercases s into a wide string (caller frees). */
static wchar_t *ui_fold(const char *s)
{
	size_t len = strlen(s), i = 0, n = 0;
	wchar_t *w = xcalloc(len + 1, sizeof(*w));

	while (i < len) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);

		if (!k) {
			cp = 0xFFFD;
			k = 1;
		}
		w[n++] = (wchar_t)towlower((wint_t)cp);
		i += k;
	}
	w[n] = 0;
	return w;
}

bool ui_card_matches(const struct ui *ui, const struct card *card)
{
	wchar_t *hay, *needle;
	bool found;

	if (!ui->query.len)
		return true;
	hay = ui_fold(card->text);
	needle = ui_fold(ui->query.buf);
	found = wcsstr(hay, needle) != NULL;
	free(hay);
	free(needle);
	return found;
}

/* --- Saving --- */

/*
 * Saves the board under the writers' lock. A failure is shown in the status
 * bar and the board stays in memory; the next change saves it again.
 */
static void ui_save(struct ui *ui)
{
	struct board_lock lk = BOARD_LOCK_INIT;
	struct strbuf err = STRBUF_INIT;
	int r;

	r = board_lock_acquire(&lk, ui->path, board_lock_timeout_ms(), &err);
	if (r == 0)
		r = store_save(ui->path, ui->board, &err);
	board_lock_release(&lk);
	strbuf_reset(&ui->save_error);
	if (r < 0) {
		char *nl = strchr(err.buf, '\n');

		if (nl)
			strbuf_setlen(&err, (size_t)(nl - err.buf));
		strbuf_addstr(&ui->save_error, err.len ? err.buf : _("unknown error"));
		ui->dirty = true;
	} else {
		ui->dirty = false;
		ui->saved_at = clock_now();
	}
	strbuf_release(&err);
}

/* After quitting with a board that could not be saved: put it somewhere safe. */
static int ui_rescue(struct ui *ui)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	const char *tmp = getenv("TMPDIR");
	int r;

	fprintf(stderr, _("tamis: cannot save '%s': %s\n"), ui->path, ui->save_error.buf);
	strbuf_addf(&path, "%s.rescue-%ld.yaml", ui->path, (long)getpid());
	r = store_save(path.buf, ui->board, &err);
	if (r < 0) {
		const char *base = strrchr(ui->path, '/');

		strbuf_reset(&path);
		strbuf_reset(&err);
		strbuf_addf(&path, "%s/%s.rescue-%ld.yaml", tmp && *tmp ? tmp : "/tmp",
			    base ? base + 1 : ui->path, (long)getpid());
		r = store_save(path.buf, ui->board, &err);
	}
	if (r == 0)
		fprintf(stderr, _("tamis: your board was saved to '%s' instead\n"), path.buf);
	else
		fprintf(stderr, _("tamis: and cannot save a copy either: %s\n"), err.buf);
	strbuf_release(&path);
	strbuf_release(&err);
	return EX_IOERR;
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

static void ui_sync(struct ui *ui)
{
	struct board *b = ui->board;
	struct layout_params p;
	struct layout_pos pos;
	struct card *sel;
	int *widths;
	size_t g;

	if (ui->grid >= b->ngrids)
		ui->grid = 0;
	layout_view_release(&ui->view);
	layout_view_build(&ui->view, b, ui->grid);
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

/* Selects card and scrolls it into view at the next sync. */
static void ui_select_reveal(struct ui *ui, const struct card *card)
{
	ui_select(ui, card);
	ui->reveal = true;
}

static void ui_switch_grid(struct ui *ui, size_t g)
{
	if (g >= ui->board->ngrids)
		return;
	ui->grid = g;
	memset(&ui->scroll, 0, sizeof(ui->scroll));
	ui->reveal = true;
}

/* --- Actions --- */

static const char *ui_where(struct ui *ui, const struct card *card, char *buf, size_t len)
{
	if (!ui->board->ngrids || !card_is_placed(card, ui->grid))
		snprintf(buf, len, "%s", _("the tray"));
	else
		snprintf(buf, len, _("cell %d,%d"), card->place[ui->grid].x,
			 card->place[ui->grid].y);
	return buf;
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
	ui->carry_from = card->place[ui->grid];
	ui->carry_grid = ui->grid;
	ui->carry_mouse = mouse;
	ui->mode = MODE_CARRY;
}

/* Puts the carried card back where it was picked up. */
static void ui_carry_cancel(struct ui *ui)
{
	struct card *card = ui_selected(ui);

	if (card && ui->carry_grid < ui->board->ngrids)
		board_place_card(ui->board, card, ui->carry_grid, ui->carry_from.x,
				 ui->carry_from.y);
	ui->mode = MODE_NORMAL;
	ui->carry_mouse = false;
	ui->reveal = true;
}

/* Drops the carried card where it is now: one undoable move, saved. */
static void ui_carry_drop(struct ui *ui)
{
	struct card *card = ui_selected(ui);
	struct cell now;
	char where[64];

	ui->mode = MODE_NORMAL;
	ui->carry_mouse = false;
	if (!card || ui->carry_grid >= ui->board->ngrids)
		return;
	now = card->place[ui->carry_grid];
	if (now.x == ui->carry_from.x && now.y == ui->carry_from.y)
		return;
	undo_record_move(&ui->undo, card, ui->carry_grid, ui->carry_from);
	ui_save(ui);
	ui_message(ui, _("moved to %s"), ui_where(ui, card, where, sizeof(where)));
	ui->reveal = true;
}

/* Moves card to (x, y) of the current grid as one undoable, saved change. */
static void ui_move_card(struct ui *ui, struct card *card, int x, int y)
{
	char where[64];
	struct cell was = card->place[ui->grid];

	if (was.x == x && was.y == y)
		return;
	if (undo_move(&ui->undo, ui->board, card, ui->grid, x, y) < 0)
		return;
	ui_save(ui);
	ui_message(ui, _("moved to %s"), ui_where(ui, card, where, sizeof(where)));
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
	x = card->place[ui->grid].x;
	y = card->place[ui->grid].y;
	if (layout_carry_step(&ui->layout, &x, &y, dir, r.x + r.w / 2)) {
		board_place_card(ui->board, card, ui->grid, x, y);
		ui->reveal = true;
	}
}

static const char *ui_undo_kind_name(enum undo_kind k)
{
	switch (k) {
	case UNDO_ADD: return _("add");
	case UNDO_DELETE: return _("delete");
	case UNDO_MOVE: return _("move");
	case UNDO_TEXT: return _("text edit");
	case UNDO_THEME: return _("theme change");
	}
	return "";
}

static void ui_undo_redo(struct ui *ui, bool redo)
{
	enum undo_kind kind;
	uuid_t id;
	size_t g;
	struct card *card;

	if (redo ? !undo_can_redo(&ui->undo) : !undo_can_undo(&ui->undo)) {
		ui_message(ui, "%s", redo ? _("nothing to redo") : _("nothing to undo"));
		return;
	}
	kind = redo ? undo_next_redo_kind(&ui->undo) : undo_next_undo_kind(&ui->undo);
	if ((redo ? undo_redo(&ui->undo, ui->board, id, &g)
		  : undo_undo(&ui->undo, ui->board, id, &g)) < 0) {
		ui_message(ui, "%s", _("that card is gone: skipped"));
		return;
	}
	ui_save(ui);
	if (g != (size_t)-1 && g < ui->board->ngrids && g != ui->grid)
		ui_switch_grid(ui, g);
	card = board_find_card(ui->board, id);
	if (card)
		ui_select_reveal(ui, card);
	ui_message(ui, redo ? _("redone: %s") : _("undone: %s"), ui_undo_kind_name(kind));
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
	uuid_t id;
	struct card *card;

	uuid_generate(id);
	card = board_add_card(ui->board, id, ui->new_text.buf, theme);
	if (!card)
		return;
	card_set_by(card, ui->opt && ui->opt->by ? ui->opt->by : NULL);
	card->created = clock_now();
	undo_record_add(&ui->undo, ui->board, card);
	ui_save(ui);
	ui_select_reveal(ui, card);
	ui_message(ui, "%s", _("added to the tray: Enter picks it up to place it"));
}

static void ui_delete_selected(struct ui *ui)
{
	struct card *card = ui_selected(ui), **list, *next = NULL;
	struct layout_pos pos;
	size_t n;

	if (!card)
		return;
	if (layout_view_find(&ui->view, card, &pos)) {
		list = layout_view_list(&ui->view, pos.x, pos.y, &n);
		if (pos.index + 1 < n)
			next = list[pos.index + 1];
		else if (pos.index > 0)
			next = list[pos.index - 1];
	}
	undo_delete(&ui->undo, ui->board, card);
	ui_save(ui);
	ui_select_reveal(ui, next);
	ui_message(ui, "%s", _("deleted (u undoes)"));
}

/* --- Events, by mode --- */

static bool ui_key_dir(const struct ui_event *ev, enum layout_dir *dir)
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

static bool ui_is_enter(const struct ui_event *ev)
{
	return (ev->kind == EV_KEY && ev->key == KEY_ENTER) ||
	       (ev->kind == EV_CHAR && ev->ch == L' ' && !ev->pasted);
}

static bool ui_is_key(const struct ui_event *ev, int key)
{
	return ev->kind == EV_KEY && ev->key == key;
}

static bool ui_is_char(const struct ui_event *ev, wchar_t c)
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
		if (sel)
			ui->mode = MODE_CONFIRM;
		break;
	case L'i':
		if (sel)
			ui->mode = MODE_DETAILS;
		break;
	case L'u':
		ui_undo_redo(ui, false);
		break;
	case L'/':
		ui_editor_set(&ui->search, ui->query.buf);
		ui->mode = MODE_SEARCH;
		break;
	case L'n':
	case L'N':
		if (!ui->query.len)
			ui_message(ui, "%s", _("no search: / starts one"));
		else if (!ui_search_jump(ui, ev->ch == L'n' ? 1 : -1, false))
			ui_message(ui, "%s", _("no match on this grid"));
		break;
	case L'?':
		ui->mode = MODE_HELP;
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
	if (start == end) {
		ui_message(ui, "%s", _("a card needs some text"));
		ui->mode = MODE_NORMAL;
	} else if (ui->adding) {
		strbuf_reset(&ui->new_text);
		strbuf_addstr(&ui->new_text, text.buf + start);
		ui->theme_cursor = sel ? sel->theme : 0;
		ui->mode = MODE_THEME;
	} else if (sel) {
		if (strcmp(sel->text, text.buf + start)) {
			undo_set_text(&ui->undo, sel, text.buf + start);
			ui_save(ui);
			ui_message(ui, "%s", _("text changed"));
		}
		ui->mode = MODE_NORMAL;
	} else {
		ui->mode = MODE_NORMAL;
	}
	strbuf_release(&text);
}

static void ui_theme_chosen(struct ui *ui, size_t theme)
{
	struct card *sel = ui_selected(ui);

	ui->mode = MODE_NORMAL;
	if (ui->adding) {
		ui_add_card(ui, theme);
	} else if (sel && sel->theme != theme) {
		undo_set_theme(&ui->undo, ui->board, sel, theme);
		ui_save(ui);
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
	enum ui_editor_result r = ui_editor_event(&ui->search, ev);

	if (r == EDITOR_CANCEL) {
		strbuf_reset(&ui->query);
		ui->mode = MODE_NORMAL;
		return;
	}
	strbuf_reset(&ui->query);
	ui_editor_text(&ui->search, &ui->query);
	if (r == EDITOR_DONE) {
		ui->mode = MODE_NORMAL;
		if (ui->query.len)
			ui_message(ui, _("%zu matching cards: n next, N previous, Esc clears"),
				   ui_count_matches(ui));
		return;
	}
	/* Incremental: keep the selection on a match as the query grows. */
	if (ui->query.len) {
		struct card *sel = ui_selected(ui);

		if (!sel || !ui_card_matches(ui, sel))
			ui_search_jump(ui, 1, true);
	}
}

static void ui_popup_event(struct ui *ui, const struct ui_event *ev)
{
	enum layout_dir dir;

	/* In the details, the arrows follow other cards. */
	if (ui->mode == MODE_DETAILS && ui_key_dir(ev, &dir)) {
		ui_move_selection(ui, dir);
		return;
	}
	if (ui->mode == MODE_DETAILS && ui_grid_keys(ui, ev))
		return;
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
			if (ui->mode != MODE_CARRY)
				return;
		}
		if (h.kind == HIT_CELL)
			board_place_card(ui->board, card, ui->grid, h.x, h.y);
		else if (h.kind == HIT_TRAY)
			board_place_card(ui->board, card, ui->grid, 0, 0);
		return;
	case MOUSE_RELEASE:
		if (!ui->mouse_down)
			return;
		ui->mouse_down = false;
		card = board_find_card(ui->board, ui->mouse_card);
		if (ui->mode == MODE_CARRY) {
			/* Dropped outside the grid and the tray: put it back. */
			if (h.kind != HIT_CELL && h.kind != HIT_TRAY) {
				ui_carry_cancel(ui);
				return;
			}
			ui_carry_cancel(ui);
		}
		if (!card || !ui->board->ngrids)
			return;
		if (h.kind == HIT_CELL)
			ui_move_card(ui, card, h.x, h.y);
		else if (h.kind == HIT_TRAY)
			ui_move_card(ui, card, 0, 0);
		return;
	default:
		return;
	}
}

static void ui_handle(struct ui *ui, const struct ui_event *ev)
{
	switch (ev->kind) {
	case EV_SIGNAL:
	case EV_EOF:
		if (ui->mode == MODE_CARRY)
			ui_carry_cancel(ui);
		ui->quit = true;
		return;
	case EV_RESIZE:
		ui->reveal = true;
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
		strbuf_reset(&ui->message);
		ui_mouse_event(ui, ev);
		return;
	case EV_KEY:
	case EV_CHAR:
		break;
	default:
		return;
	}
	strbuf_reset(&ui->message);
	if (ui->layout.too_small && ui->mode != MODE_EDIT && ui->mode != MODE_SEARCH) {
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
	}
}

/* --- Opening and closing --- */

/* Gives every theme a distinct letter badge, from its label, then its id. */
static void ui_make_badges(struct ui *ui)
{
	struct board *b = ui->board;
	size_t t, u;

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

static void ui_release(struct ui *ui)
{
	layout_view_release(&ui->view);
	undo_release(&ui->undo);
	ui_editor_release(&ui->editor);
	ui_editor_release(&ui->search);
	strbuf_release(&ui->new_text);
	strbuf_release(&ui->query);
	strbuf_release(&ui->save_error);
	strbuf_release(&ui->message);
	free(ui->badges);
	board_free(ui->board);
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
	r = store_load(path, &ui.board, &errs);
	if (r < 0) {
		store_errors_format(&errs, &err);
		fputs(err.buf, stderr);
		strbuf_release(&err);
		store_errors_release(&errs);
		return r == -1 ? EX_DATAERR : EX_NOINPUT;
	}
	store_errors_release(&errs);

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
			fprintf(stderr, "tamis: cannot open /dev/null: %s\n", strerror(errno));
			board_free(ui.board);
			return EX_OSERR;
		}
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr, "%s\n",
				_("tamis: the board opens in a terminal; use 'tamis list' and the other commands in scripts"));
			board_free(ui.board);
			return EX_USAGE;
		}
		if (ui_term_check(term, STDOUT_FILENO, &err) < 0) {
			fprintf(stderr, "tamis: %s\n", err.buf);
			strbuf_release(&err);
			board_free(ui.board);
			return EX_UNAVAILABLE;
		}
	}

	screen = newterm(term, out, in);
	if (!screen) {
		fprintf(stderr, _("tamis: cannot use terminal '%s'\n"), term ? term : "");
		board_free(ui.board);
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
		board_free(ui.board);
		return EX_NOINPUT;
	}
	if (script && *script)
		resizeterm(atoi(getenv("LINES")), atoi(getenv("COLUMNS")));
	curs_set(0);

	undo_init(&ui.undo);
	ui_editor_init(&ui.editor);
	ui_editor_init(&ui.search);
	strbuf_init(&ui.new_text, 0);
	strbuf_init(&ui.query, 0);
	strbuf_init(&ui.save_error, 0);
	strbuf_init(&ui.message, 0);
	strbuf_init(&ev.arg, 0);
	ui_make_badges(&ui);
	ui_select_default(&ui);
	ui.reveal = true;

	while (!ui.quit) {
		ui_sync(&ui);
		ui_draw(&ui);
		ui_input_next(ui.input, &ev);
		ui_handle(&ui, &ev);
	}
	if (ui.dirty)
		ui_save(&ui);

	ui_input_free(ui.input);
	endwin();
	delscreen(screen);
	if (out != stdout)
		fclose(out);
	if (in != stdin)
		fclose(in);
	strbuf_release(&ev.arg);
	strbuf_release(&err);
	r = ui.dirty ? ui_rescue(&ui) : 0;
	ui_release(&ui);
	return r;
}
