/*
 * ui_who.c - who is here (w): everyone with the board open live, this
 * instance first, with their role, the grid they look at and the card they
 * carry (ui_presence.c). ↑↓ choose one, Enter shows their grid (and the card
 * they carry, selected), Esc closes.
 */
#include <curses.h>

#include "board.h"
#include "i18n.h"
#include "presence.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"

struct ui_who {
	int cur, top;
};

#define UI_WHO_NAME_COLS 22

/* Row i: this instance first, then the others. */
static const struct presence_entry *ui_who_row(const struct ui *ui, int i, bool *me)
{
	const struct presence_entry *mine = ui_presence_me(ui);

	*me = mine && i == 0;
	if (*me)
		return mine;
	return ui_presence_other(ui, (size_t)(i - (mine ? 1 : 0)));
}

static int ui_who_rows(const struct ui *ui)
{
	return (int)ui_presence_count(ui) + (ui_presence_me(ui) ? 1 : 0);
}

static bool ui_who_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_who *w = state;

	(void)arg;
	if (!session_shared(&ui->session)) {
		ui_message(ui, "%s", _("this board is not shared live here: nobody else can be seen"));
		return false;
	}
	w->cur = w->top = 0;
	return true;
}

/* Enter: their grid, and the card they carry selected. */
static void ui_who_show(struct ui *ui, const struct presence_entry *e)
{
	int g = e->grid ? board_grid_index(ui->board, e->grid) : -1;
	struct card *card = e->carrying ? board_find_card(ui->board, e->card) : NULL;

	ui_screen_close(ui);
	if (g >= 0 && (size_t)g != ui->grid)
		ui_switch_grid(ui, (size_t)g);
	if (card)
		ui_select_reveal(ui, card);
}

static void ui_who_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_who *w = state;
	const struct presence_entry *e;
	bool me;

	if (ev->kind == EV_MOUSE) {
		if (ev->mouse == MOUSE_PRESS)
			ui_screen_close(ui);
		return;
	}
	if (ui_presence_list_key(ev, &w->cur, ui_who_rows(ui)))
		return;
	if (ui_is_enter(ev) && (e = ui_who_row(ui, w->cur, &me))) {
		ui_who_show(ui, e);
		return;
	}
	if (ui_is_key(ev, UI_KEY_ESC) || ui_is_char(ev, L'w') || ui_is_char(ev, L'q') ||
	    ui_is_enter(ev))
		ui_screen_close(ui);
}

/* One row: who (you), the role, the grid, the card carried. */
static void ui_who_line(struct ui *ui, const struct presence_entry *e, bool me, bool cur,
			int y, struct rect r)
{
	attr_t attr = ui_color_attr(ROLE_POPUP) | (cur ? A_REVERSE : 0);
	struct strbuf sb = STRBUF_INIT;
	int g = e->grid ? board_grid_index(ui->board, e->grid) : -1, x = r.x + 2;
	const struct card *card = e->carrying ? board_find_card(ui->board, e->card) : NULL;

	ui_draw_put_pad(y, r.x + 1, r.w - 2, "", attr);
	strbuf_addstr(&sb, cur ? "▸ " : "  ");
	ui_presence_who(e, UI_WHO_NAME_COLS - 4, &sb);
	if (me)
		strbuf_addf(&sb, " (%s)", _("you"));
	ui_draw_put(y, x, UI_WHO_NAME_COLS + 6, sb.buf, attr | A_BOLD);
	x += UI_WHO_NAME_COLS + 7;
	ui_draw_put(y, x, 12, e->facilitator ? _("facilitator") : _("in a pair"), attr);
	x += 13;
	strbuf_reset(&sb);
	if (g >= 0)
		ui_tab_label(ui, (size_t)g, &sb);
	else
		strbuf_addstr(&sb, "—");
	x += ui_draw_put(y, x, 24, sb.buf, attr) + 2;
	strbuf_reset(&sb);
	if (card) {
		strbuf_addstr(&sb, UI_MARK_CARRIED " « ");
		text_fit(&sb, card->text, r.x + r.w - x - 8 > 4 ? r.x + r.w - x - 8 : 4);
		strbuf_addstr(&sb, " »");
	}
	ui_draw_put(y, x, r.x + r.w - 1 - x, sb.buf, attr);
	strbuf_release(&sb);
}

static bool ui_who_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_who *w = state;
	struct strbuf title = STRBUF_INIT;
	int n = ui_who_rows(ui), rows, i;
	struct rect r;

	if (!ui_screen_draw_under(ui, cursor))
		return false;
	if (w->cur >= n)
		w->cur = n > 0 ? n - 1 : 0;
	strbuf_addf(&title, ngettext("Who is here: %d on this board", "Who is here: %d on this board",
				     n),
		    n);
	r = ui_draw_popup(&ui->layout, 96, (n ? n : 1) + 4, title.buf);
	strbuf_release(&title);
	rows = r.h - 4;
	if (rows < 1)
		return true;
	ui_presence_list_scroll(w->cur, rows, &w->top);
	for (i = 0; i < rows && w->top + i < n; i++) {
		bool me;
		const struct presence_entry *e = ui_who_row(ui, w->top + i, &me);

		if (e)
			ui_who_line(ui, e, me, w->top + i == w->cur, r.y + 1 + i, r);
	}
	ui_draw_put(r.y + r.h - 2, r.x + 2, r.w - 4,
		    ui_presence_count(ui) ? _("✋: the card they are moving. Enter: show their grid.")
					  : _("Nobody else has this board open."),
		    ui_color_attr(ROLE_POPUP));
	return true;
}

static const struct ui_hint ui_who_keys[] = {
	{ "↑↓", N_("choose") }, { "Enter", N_("show their grid") }, { "Esc", N_("close") },
	{ NULL, NULL },
};

const struct ui_screen_ops ui_who_screen = {
	.name = "who",
	.state_size = sizeof(struct ui_who),
	.open = ui_who_open,
	.event = ui_who_event,
	.draw = ui_who_draw,
	.keys = ui_who_keys,
};
