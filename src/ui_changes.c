/*
 * ui_changes.c - the changes others made to my cards (!): the last
 * HEARD_MAX, newest first, with who, what, which card and when
 * (ui_presence.c, heard.h). ↑↓ choose one, Enter shows its card (selected,
 * on its grid), Esc closes.
 */
#include <curses.h>
#include <time.h>

#include "board.h"
#include "heard.h"
#include "i18n.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"

struct ui_changes {
	int cur, top;
};

static int ui_changes_rows(const struct ui *ui)
{
	int n = 0;

	while (ui_presence_change(ui, (size_t)n))
		n++;
	return n;
}

static bool ui_changes_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_changes *c = state;

	(void)arg;
	if (!ui->by) {
		ui_message(ui, "%s", _("changes to my cards: tamis needs your name for that (--by NAME)"));
		return false;
	}
	c->cur = c->top = 0;
	return true;
}

/* The grid to show card on after change ch: the move's, this one, else where it is placed. */
static size_t ui_changes_grid(const struct ui *ui, const struct card *card,
			      const struct heard_change *ch)
{
	int g = ch->kind == OP_MOVE && ch->grid ? board_grid_index(ui->board, ch->grid) : -1;
	size_t k;

	if (g >= 0 && ch->x)
		return (size_t)g;
	if (card_is_placed(card, ui->grid))
		return ui->grid;
	for (k = 0; k < ui->board->ngrids; k++)
		if (card_is_placed(card, k))
			return k;
	return ui->grid;
}

/* Enter: the card of the change, selected on its grid. */
static void ui_changes_show(struct ui *ui, const struct heard_change *ch)
{
	struct card *card = board_find_card(ui->board, ch->card);
	size_t g;

	ui_screen_close(ui);
	if (!card) {
		ui_message(ui, "%s", _("this card is no longer on the board"));
		return;
	}
	g = ui_changes_grid(ui, card, ch);
	if (g != ui->grid)
		ui_switch_grid(ui, g);
	ui_select_reveal(ui, board_find_card(ui->board, ch->card));
}

static void ui_changes_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_changes *c = state;
	const struct heard_change *ch;

	if (ev->kind == EV_MOUSE) {
		if (ev->mouse == MOUSE_PRESS)
			ui_screen_close(ui);
		return;
	}
	if (ui_presence_list_key(ev, &c->cur, ui_changes_rows(ui)))
		return;
	if (ui_is_enter(ev) && (ch = ui_presence_change(ui, (size_t)c->cur))) {
		ui_changes_show(ui, ch);
		return;
	}
	if (ui_is_key(ev, UI_KEY_ESC) || ui_is_char(ev, L'!') || ui_is_char(ev, L'q') ||
	    ui_is_enter(ev))
		ui_screen_close(ui);
}

static void ui_changes_line(struct ui *ui, const struct heard_change *ch, bool cur, int y,
			    struct rect r)
{
	attr_t attr = ui_color_attr(ROLE_POPUP) | (cur ? A_REVERSE : 0);
	struct strbuf sb = STRBUF_INIT;
	char when[16] = "--:--";
	struct tm tm;

	if (localtime_r(&ch->at, &tm))
		strftime(when, sizeof(when), "%H:%M", &tm);
	strbuf_addf(&sb, "%s%s  ", cur ? "▸ " : "  ", when);
	ui_presence_describe(ui, ch, r.w > 80 ? r.w - 50 : 30, &sb);
	ui_draw_put_pad(y, r.x + 1, r.w - 2, "", attr);
	ui_draw_put(y, r.x + 2, r.w - 4, sb.buf, attr);
	strbuf_release(&sb);
}

static bool ui_changes_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_changes *c = state;
	int n = ui_changes_rows(ui), rows, i;
	struct rect r;

	if (!ui_screen_draw_under(ui, cursor))
		return false;
	if (c->cur >= n)
		c->cur = n > 0 ? n - 1 : 0;
	r = ui_draw_popup(&ui->layout, 96, (n ? n : 1) + 4,
			  _("Changes by others to your cards, newest first"));
	rows = r.h - 4;
	if (rows < 1)
		return true;
	ui_presence_list_scroll(c->cur, rows, &c->top);
	for (i = 0; i < rows && c->top + i < n; i++)
		ui_changes_line(ui, ui_presence_change(ui, (size_t)(c->top + i)), c->top + i == c->cur,
				r.y + 1 + i, r);
	ui_draw_put(r.y + r.h - 2, r.x + 2, r.w - 4,
		    n ? _("Enter: show the card on its grid.")
		      : _("Nobody else has changed your cards since you opened the board."),
		    ui_color_attr(ROLE_POPUP));
	return true;
}

static const struct ui_hint ui_changes_keys[] = {
	{ "↑↓", N_("choose") }, { "Enter", N_("show the card") }, { "Esc", N_("close") },
	{ NULL, NULL },
};

const struct ui_screen_ops ui_changes_screen = {
	.name = "changes",
	.state_size = sizeof(struct ui_changes),
	.open = ui_changes_open,
	.event = ui_changes_event,
	.draw = ui_changes_draw,
	.keys = ui_changes_keys,
};
