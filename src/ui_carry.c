/*
 * ui_carry.c - a card picked up (Enter, or dragged with the mouse) and
 * carried over the board: the arrows move it one cell, Enter drops it (one
 * move, seen by everyone), Esc puts it back.
 *
 * The card is the selected one; the board keeps it where it is until the
 * drop, and the view shows it where it goes (layout_view_preview(), in
 * sync). Meanwhile others may move it (it then comes from there), lock it or
 * delete it (carrying ends, said). A card someone else is moving is picked
 * up only once the question "X is moving this card: pick it up anyway?"
 * is answered y; the others see what this one carries (ui_presence.c).
 */
#include <curses.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "layout.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"

struct ui_carry {
	size_t grid;            /* the grid it is carried on */
	struct cell to;         /* where it is shown there */
	bool mouse;             /* carried by a mouse drag */
	bool asking;            /* someone else is moving it: pick it up anyway? */
};

static bool ui_carry_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_carry *c = state;
	struct card *card = ui_selected(ui);

	if (!card)
		return false;
	if (!ui->board->ngrids) {
		ui_message(ui, "%s", _("this board has no grid to place cards on"));
		return false;
	}
	if (ui_locked_for_me(ui, card))
		return false;
	c->to = card->place[ui->grid];
	c->grid = ui->grid;
	c->mouse = *(const bool *)arg;
	/* Asked first, by the keyboard: a drag stops there. */
	c->asking = ui_presence_carrier(ui, card) != NULL;
	if (c->asking) {
		c->mouse = false;
		ui->mouse_down = false;
	} else {
		ui_presence_carry(ui, card);
	}
	return true;
}

static void ui_carry_close(struct ui *ui, void *state)
{
	struct ui_carry *c = state;

	ui_presence_carry(ui, NULL);
	c->asking = false;
	c->mouse = false;
	ui->mouse_down = false;
	ui->reveal = true;
}

/* Shows the carried card at (x, y) of its grid. */
static void ui_carry_show(struct ui *ui, struct ui_carry *c, int x, int y)
{
	c->to.x = (unsigned char)x;
	c->to.y = (unsigned char)y;
	ui->reveal = true;
}

static void ui_carry_step(struct ui *ui, struct ui_carry *c, enum layout_dir dir)
{
	struct card *card = ui_selected(ui);
	struct layout_pos pos;
	struct rect r = { 0, 0, 0, 0 };
	int x, y;

	if (!card)
		return;
	if (layout_view_find(&ui->view, card, &pos))
		layout_card_rect(&ui->layout, &ui->scroll, &pos, &r);
	x = c->to.x;
	y = c->to.y;
	if (layout_carry_step(&ui->layout, &x, &y, dir, r.x + r.w / 2))
		ui_carry_show(ui, c, x, y);
}

/* Drops the carried card where it is shown: one move from where it really is. */
static void ui_carry_drop(struct ui *ui, struct ui_carry *c)
{
	struct cell to = c->to;
	size_t g = c->grid;
	uuid_t id;

	if (!ui->has_sel) {
		ui_screen_close(ui);
		return;
	}
	memcpy(id, ui->sel, sizeof(uuid_t));
	ui_screen_close(ui);
	ui_move_card(ui, id, g, to.x, to.y);
}

/* While dragged: the card follows the mouse, and goes where it is released. */
static void ui_carry_mouse(struct ui *ui, struct ui_carry *c, const struct ui_event *ev)
{
	struct layout_hit h;
	size_t g = c->grid;

	if (ui_mouse_wheel(ui, ev) || !c->mouse)
		return;
	switch (ev->mouse) {
	case MOUSE_PRESS:
		ui_mouse_press(ui, ev);
		return;
	case MOUSE_DRAG:
		if (!ui->mouse_down || !board_find_card(ui->board, ui->mouse_card))
			return;
		h = layout_hit_test(&ui->layout, ev->x, ev->y);
		if (h.kind == HIT_CELL)
			ui_carry_show(ui, c, h.x, h.y);
		else if (h.kind == HIT_TRAY)
			ui_carry_show(ui, c, 0, 0);
		return;
	case MOUSE_RELEASE:
		if (!ui->mouse_down)
			return;
		ui->mouse_down = false;
		ui_screen_close(ui);
		ui_mouse_drop(ui, ev, g);
		return;
	default:
		return;
	}
}

/* The answer to "X is moving this card: pick it up anyway?". */
static void ui_carry_answer(struct ui *ui, struct ui_carry *c, const struct ui_event *ev)
{
	if (ev->kind == EV_MOUSE) {
		ui_mouse_wheel(ui, ev);
		return;
	}
	if (ui_is_char(ev, L'y') || ui_is_char(ev, L'Y')) {
		c->asking = false;
		ui_presence_carry(ui, ui_selected(ui));
		return;
	}
	ui_screen_close(ui);
	ui_message(ui, "%s", _("not picked up"));
}

static void ui_carry_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_carry *c = state;
	enum layout_dir dir;

	if (c->asking) {
		ui_carry_answer(ui, c, ev);
	} else if (ev->kind == EV_MOUSE) {
		ui_carry_mouse(ui, c, ev);
	} else if (ui_key_dir(ev, &dir)) {
		ui_carry_step(ui, c, dir);
	} else if (ui_keys_is(ev, KEYMAP_PICK_UP)) {
		ui_carry_drop(ui, c);
	} else if (ui_is_key(ev, UI_KEY_ESC)) {
		ui_screen_close(ui);
	} else if (ui_keys_is(ev, KEYMAP_QUIT)) {
		ui_screen_close(ui);
		ui->quit = true;
	}
}

/* The view shows the card where it goes; the board has it where it is. */
static void ui_carry_sync(struct ui *ui, void *state)
{
	struct ui_carry *c = state;

	if (c->grid == ui->grid && !c->asking)
		layout_view_preview(&ui->view, ui_selected(ui), c->to);
}

/* What others did may have taken the carried card away, or locked it. */
static void ui_carry_changed(struct ui *ui, void *state)
{
	struct ui_carry *c = state;
	struct card *card = ui_selected(ui);
	int n;

	if (!card) {
		ui_card_gone(ui);
		return;
	}
	if (c->grid >= ui->board->ngrids) {
		ui_screen_close(ui);
		return;
	}
	if (card->locked && !ui->facilitator) {
		ui_screen_close(ui);
		ui_message(ui, "%s", _("this card was just locked by the facilitator: put back"));
		return;
	}
	/*
	 * Moved by someone else meanwhile, it is dropped from there all the
	 * same. The facilitator may have taken cells off the grid meanwhile.
	 */
	n = ui->board->grids[c->grid].cells;
	if (c->to.x > n)
		c->to.x = (unsigned char)n;
	if (c->to.y > n)
		c->to.y = (unsigned char)n;
}

/* The board, the carried card over it as ▶…◀. */
static bool ui_carry_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_carry *c = state;
	struct card *card = ui_selected(ui);
	struct rect r;

	if (!ui_screen_draw_under(ui, cursor))
		return false;
	/* Over the list view, its row shows the card where it goes. */
	if (card && !c->asking && ui_screen_under(ui) == UI_SCREEN_BOARD &&
	    ui_card_slot(ui, card, &r))
		ui_card_draw(ui, card, r, UI_CARD_CARRIED);
	return true;
}

static const struct ui_hint ui_carry_keys[] = {
	{ "{move-left|move-down|move-up|move-right:1}", N_("move the card one cell") },
	{ "{pick-up:1}", N_("drop it here") },
	{ "Esc", N_("put it back") },              { NULL, NULL },
};

/* Its keys, or the question when someone else is moving the card. */
static void ui_carry_hints(struct ui *ui, void *state, int y, int x)
{
	struct ui_carry *c = state;
	const struct presence_entry *other;
	struct card *card = ui_selected(ui);
	struct strbuf sb = STRBUF_INIT, who = STRBUF_INIT;
	int w = COLS;

	if (!c->asking) {
		ui_draw_hint_table(y, x, ui_carry_keys);
		return;
	}
	other = card ? ui_presence_carrier(ui, card) : NULL;
	if (other)
		ui_presence_who(other, 20, &who);
	else
		strbuf_addstr(&who, _("someone"));
	strbuf_addf(&sb, _("%s is moving this card: pick it up anyway? "), who.buf);
	x += ui_draw_put(y, x, w - x, sb.buf, ui_color_attr(ROLE_MESSAGE));
	x += ui_draw_put(y, x, w - x, "y", ui_color_attr(ROLE_HINT_KEY));
	ui_draw_put(y, x, w - x, _(" picks it up, any other key leaves it"), ui_color_attr(ROLE_HINTS));
	strbuf_release(&sb);
	strbuf_release(&who);
}

static unsigned ui_carry_flags(const struct ui *ui, const void *state)
{
	const struct ui_carry *c = state;

	(void)ui;
	return c->asking ? UI_SCREEN_ASKS : 0;
}


const struct ui_screen_ops ui_carry_screen = {
	.name = "carry",
	.state_size = sizeof(struct ui_carry),
	.open = ui_carry_open,
	.close = ui_carry_close,
	.event = ui_carry_event,
	.draw = ui_carry_draw,
	.hints = ui_carry_hints,
	.step_flags = ui_carry_flags,
	.sync = ui_carry_sync,
	.changed = ui_carry_changed,
};
