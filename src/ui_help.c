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
	{ "{move-left|move-down|move-up|move-right}", N_("select the nearest card that way (cells and tray)") },
	{ "{pick-up}", N_("pick the card up; again to drop it") },
	{ "  {move-left|move-down|move-up|move-right}", N_("while carrying: move it one cell (down from the bottom: tray)") },
	{ "  Esc", N_("while carrying: put it back where it was") },
	{ "{next-grid} {previous-grid}", N_("next / previous grid") },
	{ "1 … 9", N_("grid N") },
	{ "{add}", N_("add a card (then choose its theme)") },
	{ "{edit}", N_("edit the card's text") },
	{ "{theme}", N_("change the card's theme") },
	{ "{delete}", N_("delete the card (asks y/n)") },
	{ "{details}", N_("details: full text, author, pair, cells, history (PgDn: more)") },
	{ "  r", N_("in details: the versions of the text; the facilitator restores one") },
	{ "{undo}  {redo}", N_("undo / redo your own changes (others see them)") },
	{ "{search}", N_("a new search, as you type (↑ recalls the last one)") },
	{ "{next-match} {previous-match}", N_("next / previous match of the last search") },
	{ "{clear-search}", N_("clear the search") },
	{ "{next-debated}", N_("next debated card (⁉), through the grids") }, /* UI_MARK_DEBATED */
	{ "{my-cards}", N_("my cards: the arrows visit only mine, the others are dimmed") },
	{ "{sieve}", N_("the sieve: every card ranked, sorted and filtered at will") },
	{ "{list}", N_("the grid as a list: each card's place in words, theme, decision; = again: the grid") },
	{ "{report}", N_("write the report to a new dated file next to the board") },
	{ "{who}", N_("who is here: the others on the board, their grid, the card they move (✋)") }, /* UI_MARK_CARRIED */
	{ "{changes}", N_("the last changes others made to my cards (Enter shows the card)") },
	{ N_("facilitator:"), "" },
	{ "  {lock}", N_("lock / unlock the card (⊠): pairs cannot move it") }, /* UI_MARK_LOCKED */
	{ "  {decide}", N_("decide: undecided → V1 → V2 → elsewhere (→), with a rationale") },
	{ "  {zones}", N_("zones: Space chooses cells, Enter names their zone") },
	{ "    e  x", N_("in zones: the easiest zone (★) / cells out of their zone") },
	{ "  {frame}", N_("the frame: add or rename criteria, flip the easier pole, add grids, cells") },
	{ "{help}", N_("this help (↑↓ scroll)") },
	{ "{quit}", N_("quit (every change is already saved)") },
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
	struct strbuf key = STRBUF_INIT;
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
	/* The cursor on the first line shown: a screen reader reads from there. */
	cursor->x = r.x + 2;
	cursor->y = r.y + 1;
	for (i = 0; i < rows && i + help->top < n; i++) {
		const struct ui_hint *h = &ui_help_all[i + help->top];

		strbuf_reset(&key);
		ui_keys_expand(_(h->key), &key);
		ui_draw_put(r.y + 1 + i, r.x + 2, kw, key.buf, ui_color_attr(ROLE_HINT_KEY));
		if (*h->what)
			ui_draw_put(r.y + 1 + i, r.x + 2 + kw, r.w - 4 - kw, _(h->what),
				    ui_color_attr(ROLE_POPUP));
	}
	if (help->top + rows < n)
		ui_draw_put(r.y + r.h - 3, r.x + r.w - 8, 6, "↓ …", ui_color_attr(ROLE_POPUP));
	ui_draw_put(r.y + r.h - 2, r.x + 2, r.w - 4,
		    _("Every change is saved at once and seen live by everyone on this board."),
		    ui_color_attr(ROLE_POPUP));
	strbuf_release(&key);
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
