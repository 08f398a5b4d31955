/*
 * ui_confirm.c - "Delete this card?" on the hints line (x): y deletes the
 * selected card, any other key keeps it. The next card of its cell is
 * selected then.
 */
#include <curses.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "layout.h"
#include "op.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"

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
	(void)state;
	if (ev->kind == EV_MOUSE) {
		ui_mouse_wheel(ui, ev);
		return;
	}
	ui_screen_close(ui);
	if (ui_is_char(ev, L'y') || ui_is_char(ev, L'Y'))
		ui_confirm_delete(ui);
	else
		ui_message(ui, "%s", _("not deleted"));
}

/* Deleting a card someone else deleted: never another one instead. */
static void ui_confirm_changed(struct ui *ui, void *state)
{
	(void)state;
	if (!ui_selected(ui))
		ui_card_gone(ui);
}

static bool ui_confirm_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	(void)state;
	return ui_screen_draw_under(ui, cursor);
}

/* The question, with the card's text, in place of the keys. */
static void ui_confirm_hints(struct ui *ui, void *state, int y, int x)
{
	struct strbuf sb = STRBUF_INIT;
	struct card *sel = ui_selected(ui);
	int w = COLS;

	(void)state;
	strbuf_addstr(&sb, _("Delete this card? "));
	x += ui_draw_put(y, x, w - x, sb.buf, ui_color_attr(ROLE_MESSAGE));
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "“");
	text_fit(&sb, sel ? sel->text : "", 40);
	strbuf_addstr(&sb, "” ");
	x += ui_draw_put(y, x, w - x, sb.buf, ui_color_attr(ROLE_HINTS));
	x += ui_draw_put(y, x, w - x, "y", ui_color_attr(ROLE_HINT_KEY));
	ui_draw_put(y, x, w - x, _(" deletes, any other key keeps it"), ui_color_attr(ROLE_HINTS));
	strbuf_release(&sb);
}


const struct ui_screen_ops ui_confirm_screen = {
	.name = "confirm",
	.event = ui_confirm_event,
	.draw = ui_confirm_draw,
	.hints = ui_confirm_hints,
	.flags = UI_SCREEN_ASKS,
	.changed = ui_confirm_changed,
};
