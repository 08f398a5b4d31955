/*
 * ui_help.c - every key (?), scrolled with the arrows when they do not all
 * fit; any other key closes.
 */
#include <curses.h>

#include "i18n.h"
#include "layout.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"

struct ui_help {
	int top;                  /* first line shown */
};

static const struct ui_hint ui_help_all[] = {
	{ "←↓↑→ h j k l", N_("select the nearest card that way (cells and tray)") },
	{ "Enter Space", N_("pick the card up; again to drop it") },
	{ "  ←↓↑→ h j k l", N_("while carrying: move it one cell (down from the bottom: tray)") },
	{ "  Esc", N_("while carrying: put it back where it was") },
	{ "Tab S-Tab", N_("next / previous grid") },
	{ "1 … 9", N_("grid N") },
	{ "a", N_("add a card (then choose its theme)") },
	{ "e", N_("edit the card's text") },
	{ "t", N_("change the card's theme") },
	{ "x", N_("delete the card (asks y/n)") },
	{ "i", N_("details: full text, author, pair, cells, history (PgDn: more)") },
	{ "u  Ctrl-R", N_("undo / redo your own changes (others see them)") },
	{ "/", N_("a new search, as you type (↑ recalls the last one)") },
	{ "n N", N_("next / previous match of the last search") },
	{ "Esc", N_("clear the search") },
	{ "d", N_("next debated card (⁉), through the grids") }, /* UI_MARK_DEBATED */
	{ "m", N_("my cards: dim the cards not dealt to or written by me") },
	{ "s", N_("the sieve: every card ranked, sorted and filtered at will") },
	{ "R", N_("write the report to a new dated file next to the board") },
	{ "w", N_("who is here: the others on the board, their grid, the card they move (✋)") }, /* UI_MARK_CARRIED */
	{ "!", N_("the last changes others made to my cards (Enter shows the card)") },
	{ N_("facilitator:"), "" },
	{ "  L", N_("lock / unlock the card (⊠): pairs cannot move it") }, /* UI_MARK_LOCKED */
	{ "  v", N_("decide: undecided → V1 → V2 → elsewhere (→), with a rationale") },
	{ "  z", N_("zones: Space chooses cells, Enter names their zone") },
	{ "    e  x", N_("in zones: the easiest zone (★) / cells out of their zone") },
	{ "  F", N_("the frame: add or rename criteria, flip the easier pole, add grids, cells") },
	{ "?", N_("this help (↑↓ scroll)") },
	{ "q", N_("quit (every change is already saved)") },
	{ N_("mouse"), N_("click selects, drag & drop moves, click a tab, wheel scrolls") },
	{ NULL, NULL },
};

static bool ui_help_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_help *h = state;

	(void)ui;
	(void)arg;
	h->top = 0;
	return true;
}

static void ui_help_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_help *h = state;

	if (ev->kind == EV_MOUSE) {
		if (ev->mouse == MOUSE_PRESS)
			ui_screen_close(ui);
	} else if (ui_is_key(ev, KEY_DOWN) || ui_is_char(ev, L'j')) {
		h->top++;
	} else if (ui_is_key(ev, KEY_UP) || ui_is_char(ev, L'k')) {
		if (h->top > 0)
			h->top--;
	} else if (ui_is_key(ev, KEY_NPAGE)) {
		h->top += 10;
	} else if (ui_is_key(ev, KEY_PPAGE)) {
		h->top = h->top > 10 ? h->top - 10 : 0;
	} else {
		ui_screen_close(ui);
	}
}

static bool ui_help_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_help *help = state;
	int n = 0, i, kw = 16, rows;
	struct rect r;

	if (!ui_screen_draw_under(ui, cursor))
		return false;
	while (ui_help_all[n].key)
		n++;
	r = ui_draw_popup(&ui->layout, 84, n + 4, _("Keys"));
	rows = r.h - 4;
	if (rows < 1)
		return true;
	if (help->top > n - rows)
		help->top = n - rows > 0 ? n - rows : 0;
	for (i = 0; i < rows && i + help->top < n; i++) {
		const struct ui_hint *h = &ui_help_all[i + help->top];

		ui_draw_put(r.y + 1 + i, r.x + 2, kw, _(h->key), ui_color_attr(ROLE_HINT_KEY));
		if (*h->what)
			ui_draw_put(r.y + 1 + i, r.x + 2 + kw, r.w - 4 - kw, _(h->what),
				    ui_color_attr(ROLE_POPUP));
	}
	if (help->top + rows < n)
		ui_draw_put(r.y + r.h - 3, r.x + r.w - 8, 6, "↓ …", ui_color_attr(ROLE_POPUP));
	ui_draw_put(r.y + r.h - 2, r.x + 2, r.w - 4,
		    _("Every change is saved at once and seen live by everyone on this board."),
		    ui_color_attr(ROLE_POPUP));
	return true;
}

static const struct ui_hint ui_help_keys[] = {
	{ "↑↓", N_("scroll") }, { N_("any other key"), N_("close") }, { NULL, NULL },
};


const struct ui_screen_ops ui_help_screen = {
	.name = "help",
	.state_size = sizeof(struct ui_help),
	.open = ui_help_open,
	.event = ui_help_event,
	.draw = ui_help_draw,
	.keys = ui_help_keys,
};
