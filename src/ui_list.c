/*
 * ui_list.c - the list view (=): the current grid as lines, one card each,
 * in reading order (the cells from the top row, left to right, then the
 * tray), with its place in words (the poles its cell leans to: "Autonomie
 * de l'usager · Fréquent"), its theme and its decision. Made for a screen
 * reader, or anyone who reads better in lines than in a grid: the terminal's
 * cursor sits on the selected line.
 *
 * The selection is the board's: a line chosen here is the card selected on
 * the grid, and back. The arrows, PgUp/PgDn, Home/End move it (over my cards
 * only while "my cards" is on); every other key goes to the board under it
 * (ui_screen_event_under()), so that deciding, editing, the details, picking
 * up and moving (the carried card's line shows where it goes), switching
 * grids... are the board's own actions. = (or Esc, with no search) goes back.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"
#include "ui_keys.h"

struct ui_list {
	size_t top; /* first line shown */
};

/* The lines between the column headers and the status bar. */
static int ui_list_visible(void)
{
	return LINES - 4 > 1 ? LINES - 4 : 1;
}

/*
 * Where card is on the grid shown, in words: its poles, ★ in the
 * easiest-to-launch zone. From the view, which shows a carried card where it
 * goes.
 */
static void ui_list_place(const struct ui *ui, const struct card *card, struct strbuf *out)
{
	const struct board *b = ui->board;
	const struct grid *grid;
	struct layout_pos pos;
	struct cell at;
	enum axis a;

	if (!b->ngrids || !layout_view_find(&ui->view, card, &pos) || !pos.x) {
		strbuf_addstr(out, _("tray"));
		return;
	}
	grid = &b->grids[ui->grid];
	at = (struct cell){ (unsigned char)pos.x, (unsigned char)pos.y };
	for (a = AXIS_X; a <= AXIS_Y; a++) {
		const struct criterion *c = &b->criteria[a == AXIS_X ? grid->x : grid->y];
		const char *pole = grid_cell_pole(b, ui->grid, at, a);

		if (a == AXIS_Y)
			strbuf_addstr(out, " · ");
		if (pole)
			strbuf_addstr(out, pole);
		else
			strbuf_addf(out, _("between %s and %s"), c->low, c->high);
	}
	/* More than two cells a half: the cell too, to tell them apart. */
	if (grid->cells > 3)
		strbuf_addf(out, " (%d,%d)", pos.x, pos.y);
	if (grid_cell_is_easy(b, grid, pos.x, pos.y))
		strbuf_addstr(out, " ★");
}

/* The index of the selected card in list (n entries), or 0. */
static size_t ui_list_current(struct ui *ui, struct card **list, size_t n)
{
	struct card *sel = ui_selected(ui);
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == sel)
			return i;
	return 0;
}

/*
 * Selects the line 'to' (clamped), or with "my cards" on the nearest of mine
 * from there going 'step' (then back the other way); nothing when none is.
 */
static void ui_list_go(struct ui *ui, struct card **list, size_t n, long to, int step)
{
	long i;

	if (!n)
		return;
	if (to < 0)
		to = 0;
	if (to >= (long)n)
		to = (long)n - 1;
	for (i = to; ui->mine && i >= 0 && i < (long)n; i += step)
		if (ui_card_is_mine(ui, list[i]))
			break;
	if (ui->mine && (i < 0 || i >= (long)n))
		for (i = to; i >= 0 && i < (long)n; i -= step)
			if (ui_card_is_mine(ui, list[i]))
				break;
	if (i < 0 || i >= (long)n) {
		ui_message(ui, "%s", _("no card of yours that way (m: all cards)"));
		return;
	}
	ui_select_reveal(ui, list[i]);
}

/* The keys that move along the lines; false for the others. */
static bool ui_list_move(struct ui *ui, const struct ui_event *ev)
{
	struct card **list;
	size_t n = ui_reading_order(&ui->view, true, &list), cur = ui_list_current(ui, list, n);
	long page = ui_list_visible(), c = (long)cur;
	bool moved = true;

	if (ui_keys_is(ev, KEYMAP_MOVE_DOWN))
		ui_list_go(ui, list, n, c + 1, 1);
	else if (ui_keys_is(ev, KEYMAP_MOVE_UP))
		ui_list_go(ui, list, n, c - 1, -1);
	else if (ui_is_key(ev, KEY_NPAGE))
		ui_list_go(ui, list, n, c + page, 1);
	else if (ui_is_key(ev, KEY_PPAGE))
		ui_list_go(ui, list, n, c - page, -1);
	else if (ui_is_key(ev, KEY_HOME))
		ui_list_go(ui, list, n, 0, 1);
	else if (ui_is_key(ev, KEY_END))
		ui_list_go(ui, list, n, (long)n - 1, -1);
	else
		moved = false;
	free(list);
	return moved;
}

/* A click selects the line under it; the wheel moves three lines. */
static void ui_list_mouse(struct ui *ui, struct ui_list *s, const struct ui_event *ev)
{
	struct card **list;
	size_t n = ui_reading_order(&ui->view, true, &list), cur = ui_list_current(ui, list, n);
	size_t at = s->top + (size_t)(ev->y - 2);

	if (ev->mouse == MOUSE_PRESS && ev->y >= 2 && ev->y < 2 + ui_list_visible() && at < n)
		ui_select(ui, list[at]);
	else if (ev->mouse == MOUSE_WHEEL_DOWN)
		ui_list_go(ui, list, n, (long)cur + 3, 1);
	else if (ev->mouse == MOUSE_WHEEL_UP)
		ui_list_go(ui, list, n, (long)cur - 3, -1);
	free(list);
}

static void ui_list_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_list *s = state;

	if (ev->kind == EV_MOUSE)
		ui_list_mouse(ui, s, ev);
	else if (ui_list_move(ui, ev))
		return;
	else if (ui_keys_is(ev, KEYMAP_LIST) || (ui_is_key(ev, UI_KEY_ESC) && !ui->query.len))
		ui_screen_close(ui);
	else if (ui_keys_is(ev, KEYMAP_MOVE_LEFT) || ui_keys_is(ev, KEYMAP_MOVE_RIGHT))
		return; /* the grid's sideways moves mean nothing in a list */
	else
		ui_screen_event_under(ui, ev);
}

/* --- Drawing --- */

struct ui_list_cols {
	int text, place, theme, decision;
};

static void ui_list_widths(struct ui *ui, struct card **list, size_t n, struct ui_list_cols *w)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int d;

	w->place = text_width(_("Place"));
	for (i = 0; i < n; i++) {
		strbuf_reset(&sb);
		ui_list_place(ui, list[i], &sb);
		if (text_width(sb.buf) > w->place)
			w->place = text_width(sb.buf);
	}
	w->place += 2;
	w->theme = 6;
	for (i = 0; i < ui->board->nthemes; i++)
		if (text_width(ui->board->themes[i].label) + 5 > w->theme)
			w->theme = text_width(ui->board->themes[i].label) + 5;
	if (w->theme > 16)
		w->theme = 16;
	w->decision = text_width(_("Decision")) + 1;
	for (d = 0; d < DECISION_COUNT; d++)
		if (text_width(ui_decision_name((enum decision)d)) + 5 > w->decision)
			w->decision = text_width(ui_decision_name((enum decision)d)) + 5;
	/* The text keeps at least a quarter; the place gives way first. */
	if (w->place > COLS - 2 - COLS / 4 - w->theme - w->decision)
		w->place = COLS - 2 - COLS / 4 - w->theme - w->decision;
	if (w->place < 8)
		w->place = 8;
	w->text = COLS - 2 - w->place - w->theme - w->decision;
	if (w->text < 8)
		w->text = 8;
	strbuf_release(&sb);
}

/* The title, and the column headers. */
static void ui_list_draw_top(struct ui *ui, const struct ui_list_cols *w, size_t n)
{
	struct strbuf sb = STRBUF_INIT, grid = STRBUF_INIT;
	int x = 2;

	if (ui->board->ngrids)
		ui_tab_label(ui, ui->grid, &grid);
	/* One sentence to translate; the way back is on the hints line, as remapped. */
	strbuf_addch(&sb, ' ');
	strbuf_addf(&sb, ngettext("%s: %zu card, as a list", "%s: %zu cards, as a list", n),
		    grid.buf, n);
	strbuf_release(&grid);
	ui_draw_put_pad(0, 0, COLS, sb.buf, ui_color_attr(ROLE_TAB_ACTIVE));
	ui_draw_put_pad(1, 0, COLS, "", ui_color_attr(ROLE_POLE));
	ui_draw_put(1, x, w->text, _("Card"), ui_color_attr(ROLE_POLE));
	x += w->text;
	ui_draw_put(1, x + 1, w->place - 1, _("Place"), ui_color_attr(ROLE_POLE));
	x += w->place;
	ui_draw_put(1, x + 1, w->theme - 1, _("Theme"), ui_color_attr(ROLE_POLE));
	x += w->theme;
	ui_draw_put(1, x + 1, w->decision - 1, _("Decision"), ui_color_attr(ROLE_POLE));
	strbuf_release(&sb);
}

/* One card's line on row y: its mark, text, place, theme, decision and marks. */
static void ui_list_draw_line(struct ui *ui, const struct ui_list_cols *w, const struct card *card,
			      int y, bool selected, bool carried)
{
	const struct board *b = ui->board;
	struct strbuf sb = STRBUF_INIT;
	attr_t attr = ui_color_attr(selected ? ROLE_SELECTED : ROLE_NORMAL);
	int x = 2;

	if (!selected && (ui_card_dimmed(ui, card) || !ui_card_matches(ui, card)))
		attr |= ui_color_attr(ROLE_DIMMED);
	else if (!selected && ui->query.len)
		attr |= ui_color_attr(ROLE_MATCH);
	ui_draw_put_pad(y, 0, COLS, carried ? "▶" : selected ? "▸" : "", attr);
	ui_draw_put(y, x, w->text - 1, card->text, attr);
	x += w->text;
	ui_list_place(ui, card, &sb);
	ui_draw_put(y, x + 1, w->place - 1, sb.buf, attr);
	x += w->place;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s", ui->badges[card->theme]);
	ui_draw_put(y, x + 1, 1, sb.buf, ui_color_swatch(b->themes[card->theme].color));
	ui_draw_put(y, x + 3, w->theme - 3, b->themes[card->theme].label, attr);
	x += w->theme;
	strbuf_reset(&sb);
	strbuf_addstr(&sb, ui_decision_name(card->decision));
	if (card->locked)
		strbuf_addstr(&sb, " " UI_MARK_LOCKED);
	if (card_is_debated(b, card))
		strbuf_addstr(&sb, " " UI_MARK_DEBATED);
	ui_draw_put(y, x + 1, COLS - x - 1, sb.buf, attr);
	strbuf_release(&sb);
}

/* The whole terminal; the cursor on the selected line's text. */
static bool ui_list_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_list *s = state;
	struct card **list;
	struct ui_list_cols w;
	size_t n, cur;
	int visible = ui_list_visible(), y;
	bool carrying = ui_screen_top(ui) == UI_SCREEN_CARRY;

	if (COLS < LAYOUT_MIN_COLS || LINES < 8) {
		ui_draw_put(LINES / 2, 0, COLS, _("terminal too small"), ui_color_attr(ROLE_POLE));
		return true;
	}
	n = ui_reading_order(&ui->view, true, &list);
	cur = ui_list_current(ui, list, n);
	if (cur < s->top)
		s->top = cur;
	if (cur >= s->top + (size_t)visible)
		s->top = cur - (size_t)visible + 1;
	if (s->top > n)
		s->top = 0;
	ui_list_widths(ui, list, n, &w);
	ui_list_draw_top(ui, &w, n);
	for (y = 0; y < visible && s->top + (size_t)y < n; y++) {
		bool selected = s->top + (size_t)y == cur;

		ui_list_draw_line(ui, &w, list[s->top + (size_t)y], 2 + y, selected,
				  selected && carrying);
		if (selected)
			*cursor = (struct ui_cursor){ 2, 2 + y };
	}
	if (!n)
		ui_draw_put(3, 2, COLS - 4, _("no card on this grid nor in its tray (a adds one)"),
			    ui_color_attr(ROLE_POLE));
	ui_draw_status(ui, LINES - 2);
	ui_draw_hints_line(ui, LINES - 1);
	free(list);
	return true;
}

/* The keys in effect, as ui_keys.h expands them (the board's actions work here). */
static const struct ui_hint ui_list_keys[] = {
	{ "{move-up|move-down:1} PgUp PgDn", N_("card") }, { "{pick-up:1}", N_("pick up") },
	{ "{edit:1}", N_("edit") },                          { "{details:1}", N_("info") },
	{ "{decide:1}", N_("decide") },                      { "{next-grid:1}", N_("grid") },
	{ "{list:1}", N_("back to the grid") },              { "{help:1}", N_("all keys") },
	{ NULL, NULL },
};

const struct ui_screen_ops ui_list_screen = {
	.name = "list",
	.state_size = sizeof(struct ui_list),
	.event = ui_list_event,
	.draw = ui_list_draw,
	.keys = ui_list_keys,
	.flags = UI_SCREEN_SMALL_OK,
};
