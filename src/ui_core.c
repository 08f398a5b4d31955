/*
 * ui_core.c - the state every screen of the terminal board shares: the
 * message line, the selected card and the grid shown, the layout computed
 * before each event and drawing, the search and "my cards", the themes'
 * badges, the keys several screens take, and the mouse on the board.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include "board.h"
#include "i18n.h"
#include "layout.h"
#include "text.h"
#include "ui_editor.h"
#include "ui_int.h"
#include "undo.h"
#include "xmalloc.h"

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

void ui_card_quoted(const struct card *card, int room, struct strbuf *out)
{
	struct strbuf text = STRBUF_INIT, quotes = STRBUF_INIT;

	strbuf_addf(&quotes, _("“%s”"), "");
	room -= text_width(quotes.buf);
	text_fit(&text, card ? card->text : "", room < 6 ? 6 : room);
	strbuf_addf(out, _("“%s”"), text.buf);
	strbuf_release(&text);
	strbuf_release(&quotes);
}

int ui_prompt_title_room(void)
{
	/* 72 columns, less on a narrow terminal; the title sits between "┌─ " and " ─┐". */
	int w = COLS - 4 < 72 && COLS > 24 ? COLS - 4 : 72;

	return w - 6;
}

void ui_op_init(struct op *op, enum op_kind kind, const struct card *card)
{
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	if (card)
		memcpy(op->card, card->id, sizeof(uuid_t));
}

/* --- Badges and labels --- */

void ui_make_badges(struct ui *ui)
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

void ui_tab_label(const struct ui *ui, size_t g, struct strbuf *out)
{
	const struct board *b = ui->board;
	const struct grid *grid = &b->grids[g];

	strbuf_addf(out, "%zu %s × %s", g + 1, b->criteria[grid->x].id, b->criteria[grid->y].id);
}

const char *ui_decision_badge(enum decision d)
{
	switch (d) {
	case DECISION_V1: return "V1";
	case DECISION_V2: return "V2";
	case DECISION_ELSEWHERE: return "→";
	default: return "";
	}
}

const char *ui_decision_name(enum decision d)
{
	switch (d) {
	case DECISION_V1: return _("V1");
	case DECISION_V2: return _("V2");
	case DECISION_ELSEWHERE: return _("elsewhere");
	default: return _("undecided");
	}
}


/* --- Keeping the computed state in step --- */

void ui_select_default(struct ui *ui)
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
	ui_screen_sync(ui);
	widths = xcalloc(b->ngrids ? b->ngrids : 1, sizeof(*widths));
	for (g = 0; g < b->ngrids; g++) {
		struct strbuf sb = STRBUF_INIT;

		ui_tab_label(ui, g, &sb);
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

void ui_select_reveal(struct ui *ui, const struct card *card)
{
	ui_select(ui, card);
	ui->reveal = true;
}

void ui_switch_grid(struct ui *ui, size_t g)
{
	if (g >= ui->board->ngrids)
		return;
	ui->grid = g;
	memset(&ui->scroll, 0, sizeof(ui->scroll));
	ui->reveal = true;
}

/* --- The search, and what whoever plays may do --- */

size_t ui_reading_order(const struct layout_view *v, bool with_tray, struct card ***out)
{
	struct card **list, **c;
	size_t n = with_tray ? v->ntray : 0, k, m;
	int x, y;

	for (x = 1; x <= v->cells; x++)
		for (y = 1; y <= v->cells; y++)
			n += v->ncell[x - 1][y - 1];
	list = xcalloc(n ? n : 1, sizeof(*list));
	n = 0;
	for (y = v->cells; y >= 1; y--) {
		for (x = 1; x <= v->cells; x++) {
			c = layout_view_list(v, x, y, &m);
			for (k = 0; k < m; k++)
				list[n++] = c[k];
		}
	}
	c = layout_view_list(v, 0, 0, &m);
	for (k = 0; with_tray && k < m; k++)
		list[n++] = c[k];
	*out = list;
	return n;
}

bool ui_search_jump(struct ui *ui, int step, bool here)
{
	struct card **list, *sel = ui_selected(ui);
	size_t n = ui_reading_order(&ui->view, true, &list), i, start = 0, k;
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

size_t ui_count_matches(const struct ui *ui)
{
	size_t i, n = 0;

	for (i = 0; i < ui->board->ncards; i++)
		if (ui_card_matches(ui, ui->board->cards[i]))
			n++;
	return n;
}

long long ui_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The dialog goes, and what the person was typing into it must not become
 * board commands: the keys of the next second are held (ui_handle()), and
 * the message stays.
 */
void ui_card_gone(struct ui *ui)
{
	ui_screen_close(ui);
	ui_message(ui, "%s", _("this card was deleted by someone else"));
	ui->keys_held_until = ui_clock_ms() + UI_KEYS_HELD_MS;
}

bool ui_locked_for_me(struct ui *ui, const struct card *card)
{
	if (!card->locked || ui->facilitator)
		return false;
	ui_message(ui, "%s", _("this card is locked by the facilitator: only the facilitator may move or delete it"));
	return true;
}

bool ui_facilitator_allowed(struct ui *ui, const char *what)
{
	if (ui->facilitator)
		return true;
	if (ui->opt && ui->opt->facilitator)
		ui_message(ui, _("only the facilitator may %s, and your account is not among "
				 "this board's facilitators"),
			   what);
	else
		ui_message(ui, _("only the facilitator may %s (tamis --facilitator FILE)"), what);
	return false;
}

/* --- Keys --- */

bool ui_key_dir(const struct ui_event *ev, enum layout_dir *dir)
{
	switch (ui_keys_action(ev)) {
	case KEYMAP_MOVE_LEFT: *dir = DIR_LEFT; return true;
	case KEYMAP_MOVE_RIGHT: *dir = DIR_RIGHT; return true;
	case KEYMAP_MOVE_UP: *dir = DIR_UP; return true;
	case KEYMAP_MOVE_DOWN: *dir = DIR_DOWN; return true;
	default: return false;
	}
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

static bool ui_keep_mine(const struct card *card, const void *arg)
{
	return ui_card_is_mine(arg, card);
}

void ui_move_selection(struct ui *ui, enum layout_dir dir)
{
	struct card *sel = ui_selected(ui), *next;

	if (!sel)
		return;
	/* With "my cards" on, the arrows visit only them. */
	next = layout_nearest_if(&ui->layout, &ui->view, &ui->scroll, sel, dir,
				 ui->mine ? ui_keep_mine : NULL, ui);
	if (next)
		ui_select_reveal(ui, next);
	else if (ui->mine)
		ui_message(ui, "%s", _("no card of yours that way (m: all cards)"));
}

bool ui_grid_keys(struct ui *ui, const struct ui_event *ev)
{
	size_t n = ui->board->ngrids;

	if (!n)
		return false;
	if (ui_keys_is(ev, KEYMAP_NEXT_GRID)) {
		ui_switch_grid(ui, (ui->grid + 1) % n);
		return true;
	}
	if (ui_keys_is(ev, KEYMAP_PREVIOUS_GRID)) {
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

enum ui_editor_result ui_type(struct ui *ui, struct ui_editor *ed, const struct ui_event *ev)
{
	enum ui_editor_result r = ui_editor_event(ed, ev);
	struct strbuf why = STRBUF_INIT;

	/* Past the format's limit: said, nothing cut silently. */
	if (ui_editor_refusal(ed, &why))
		ui_message(ui, "%s", why.buf);
	strbuf_release(&why);
	return r;
}

/* --- The mouse on the board --- */

struct card *ui_card_at(struct ui *ui, const struct layout_hit *h)
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

bool ui_mouse_wheel(struct ui *ui, const struct ui_event *ev)
{
	struct layout_hit h;
	int d;

	if (ev->mouse != MOUSE_WHEEL_UP && ev->mouse != MOUSE_WHEEL_DOWN)
		return false;
	h = layout_hit_test(&ui->layout, ev->x, ev->y);
	d = ev->mouse == MOUSE_WHEEL_UP ? -1 : 1;
	if (h.kind == HIT_CELL)
		ui->scroll.cell[h.x - 1][h.y - 1] += d;
	else if (h.kind == HIT_TRAY)
		ui->scroll.tray += d;
	return true; /* clamped at the next sync */
}

void ui_mouse_press(struct ui *ui, const struct ui_event *ev)
{
	struct layout_hit h = layout_hit_test(&ui->layout, ev->x, ev->y);
	struct card *card;

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
}

/* --- The state --- */

void ui_state_init(struct ui *ui)
{
	undo_init(&ui->undo);
	strbuf_init(&ui->draft, 0);
	strbuf_init(&ui->query, 0);
	strbuf_init(&ui->last_query, 0);
	strbuf_init(&ui->save_error, 0);
	strbuf_init(&ui->message, 0);
}

void ui_release(struct ui *ui)
{
	layout_view_release(&ui->view);
	undo_release(&ui->undo);
	strbuf_release(&ui->draft);
	strbuf_release(&ui->query);
	strbuf_release(&ui->last_query);
	strbuf_release(&ui->save_error);
	strbuf_release(&ui->message);
	free(ui->badges);
	free(ui->by);
	sign_key_release(&ui->key);
}
