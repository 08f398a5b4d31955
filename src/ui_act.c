/*
 * ui_act.c - the changes of the terminal board that more than one screen
 * makes: moving a card (a drop, a drag, a click), adding one (the text,
 * then its theme, or a signal while typing it), locking one (the board,
 * the sieve), dropping the card the mouse pressed (the board, the carry).
 * Each is one operation through ui_apply(), and says what it did on the
 * message line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "board.h"
#include "i18n.h"
#include "op.h"
#include "timeutil.h"
#include "ui_int.h"
#include "xmalloc.h"

static const char *ui_where(struct ui *ui, const struct card *card, size_t g, char *buf,
			    size_t len)
{
	if (g >= ui->board->ngrids || !card_is_placed(card, g))
		snprintf(buf, len, "%s", _("the tray"));
	else
		snprintf(buf, len, _("cell %d,%d"), card->place[g].x, card->place[g].y);
	return buf;
}

void ui_move_card(struct ui *ui, const uuid_t id, size_t g, int x, int y)
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
	if (r == RESULT_QUEUED && !ui->message.len) {
		ui_message(ui, "%s", _("not moved yet: the board is busy or unreachable, retrying"));
		ui->retry_said = true;
	}
	if (r < 0 || r == RESULT_QUEUED)
		return;
	card = board_find_card(ui->board, id);
	if (card)
		ui_message(ui, _("moved to %s"), ui_where(ui, card, g, where, sizeof(where)));
	ui->reveal = true;
}

void ui_add_card(struct ui *ui, const char *text, size_t theme)
{
	struct board *b = ui->board;
	struct op op;
	uuid_t id;
	int r;

	do
		uuid_generate(id);
	while (board_find_card(b, id));
	/* The one way a card is made (op.h); ui_apply() says who and when. */
	op_new_card(&op, b, id, text, theme, ui->by, clock_now());
	r = ui_apply(ui, &op);
	if (r < 0)
		return;
	ui_select_reveal(ui, board_find_card(ui->board, id));
	if (r != RESULT_QUEUED) {
		ui_message(ui, "%s", _("added to the tray: Enter picks it up to place it"));
	} else if (!ui->message.len) {
		ui_message(ui, "%s", _("not added yet: the board is busy or unreachable, retrying"));
		ui->retry_said = true;
	}
}

void ui_lock_card(struct ui *ui, const uuid_t id)
{
	struct card *card = board_find_card(ui->board, id);
	struct op op;
	bool lock;

	if (!card || !ui_facilitator_allowed(ui, _("lock cards")))
		return;
	lock = !card->locked;
	ui_op_init(&op, OP_LOCK, card);
	op.value = lock;
	if (ui_apply(ui, &op) < 0)
		return;
	ui_message(ui, "%s",
		   lock ? _("locked: pairs can no longer move or delete it (L unlocks)")
			: _("unlocked: pairs can move it again"));
}

void ui_mouse_drop(struct ui *ui, const struct ui_event *ev, size_t g)
{
	struct layout_hit h = layout_hit_test(&ui->layout, ev->x, ev->y);
	struct card *card;
	uuid_t id;

	memcpy(id, ui->mouse_card, sizeof(uuid_t));
	/* Dropped outside the grid and the tray: it stays where it was. */
	if (!ui->board->ngrids || (h.kind != HIT_CELL && h.kind != HIT_TRAY))
		return;
	if ((card = board_find_card(ui->board, id)) && ui_locked_for_me(ui, card))
		return;
	if (h.kind == HIT_CELL)
		ui_move_card(ui, id, g, h.x, h.y);
	else
		ui_move_card(ui, id, g, 0, 0);
}
