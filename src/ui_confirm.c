/*
 * ui_confirm.c - a yes-or-no question on the hints line, about a card.
 * "Delete this card?" (x): y deletes the selected card, any other key keeps
 * it; the next card of its cell is selected then. "A card with this text
 * already exists: add anyway?" (a, a text already on the board, as tamis
 * add checks it): y goes on to the new card's theme, any other key adds
 * nothing.
 */
#include <curses.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "import.h"
#include "layout.h"
#include "op.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"

struct ui_confirm {
	bool duplicate;       /* adding a card whose text is already on the board */
	struct strbuf text;   /* its text */
	uuid_t other;         /* the card that has it */
};

static void ui_confirm_init(struct ui *ui, void *state)
{
	struct ui_confirm *c = state;

	(void)ui;
	strbuf_init(&c->text, 0);
}

static void ui_confirm_release(void *state)
{
	struct ui_confirm *c = state;

	strbuf_release(&c->text);
}

/* arg: NULL to delete the selected card, or a new card's text already on the board. */
static bool ui_confirm_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_confirm *c = state;
	long i;

	c->duplicate = arg != NULL;
	strbuf_reset(&c->text);
	if (!c->duplicate)
		return ui_selected(ui) != NULL;
	strbuf_addstr(&c->text, arg);
	i = import_find_text(ui->board, c->text.buf);
	if (i < 0)
		return false;
	memcpy(c->other, ui->board->cards[i]->id, sizeof(uuid_t));
	return true;
}

static void ui_confirm_delete(struct ui *ui)
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

static void ui_confirm_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_confirm *c = state;
	bool yes = ui_is_char(ev, L'y') || ui_is_char(ev, L'Y');

	if (ev->kind == EV_MOUSE) {
		ui_mouse_wheel(ui, ev);
		return;
	}
	ui_screen_close(ui);
	if (c->duplicate && yes)
		ui_screen_open(ui, UI_SCREEN_THEME, c->text.buf);
	else if (c->duplicate)
		ui_message(ui, "%s", _("card not added"));
	else if (yes)
		ui_confirm_delete(ui);
	else
		ui_message(ui, "%s", _("not deleted"));
}

/* Deleting a card someone else deleted: never another one instead. */
static void ui_confirm_changed(struct ui *ui, void *state)
{
	struct ui_confirm *c = state;

	if (!c->duplicate && !ui_selected(ui))
		ui_card_gone(ui);
}

/* The session ends while asking about a duplicate: what was typed is added all the same. */
static void ui_confirm_rescue(struct ui *ui, void *state)
{
	struct ui_confirm *c = state;
	struct card *other = board_find_card(ui->board, c->other);

	ui_screen_close(ui);
	if (c->duplicate && ui->board->nthemes)
		ui_add_card(ui, c->text.buf, other ? other->theme : 0);
}

/* The board under it; the terminal's cursor on the question (the hints line). */
static bool ui_confirm_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	(void)state;
	if (!ui_screen_draw_under(ui, cursor))
		return false;
	cursor->x = 0;
	cursor->y = ui->layout.hints.h ? ui->layout.hints.y : ui->layout.status.y;
	return true;
}

/* The question, with the card's text, in place of the keys. */
static void ui_confirm_hints(struct ui *ui, void *state, int y, int x)
{
	struct ui_confirm *c = state;
	struct strbuf sb = STRBUF_INIT;
	struct card *card = c->duplicate ? board_find_card(ui->board, c->other) : ui_selected(ui);
	int w = COLS;

	strbuf_addstr(&sb, c->duplicate ? _("A card with this text already exists: ")
					: _("Delete this card? "));
	x += ui_draw_put(y, x, w - x, sb.buf, ui_color_attr(ROLE_MESSAGE));
	strbuf_reset(&sb);
	ui_card_quoted(card, 42, &sb);
	strbuf_addch(&sb, ' ');
	x += ui_draw_put(y, x, w - x, sb.buf, ui_color_attr(ROLE_HINTS));
	if (c->duplicate)
		x += ui_draw_put(y, x, w - x, _("add anyway? "), ui_color_attr(ROLE_MESSAGE));
	x += ui_draw_put(y, x, w - x, "y", ui_color_attr(ROLE_HINT_KEY));
	ui_draw_put(y, x, w - x,
		    c->duplicate ? _(" adds it, any other key adds nothing")
				 : _(" deletes, any other key keeps it"),
		    ui_color_attr(ROLE_HINTS));
	strbuf_release(&sb);
}


const struct ui_screen_ops ui_confirm_screen = {
	.name = "confirm",
	.state_size = sizeof(struct ui_confirm),
	.init = ui_confirm_init,
	.release = ui_confirm_release,
	.open = ui_confirm_open,
	.event = ui_confirm_event,
	.draw = ui_confirm_draw,
	.hints = ui_confirm_hints,
	.flags = UI_SCREEN_ASKS,
	.changed = ui_confirm_changed,
	.rescue = ui_confirm_rescue,
};
