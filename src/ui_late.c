/*
 * ui_late.c - a change of mine that waited to be written (the lock busy,
 * the disk full) while someone else changed the same thing: the session
 * took it out instead of writing it over theirs (session->contested). One
 * question each, on the hints line: y keeps mine (made again now, a new
 * change everyone sees), any other key keeps theirs.
 */
#include <curses.h>
#include <string.h>
#include <time.h>

#include "board.h"
#include "i18n.h"
#include "op.h"
#include "session.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"

struct ui_late {
	size_t next;              /* the contested change asked about */
};

static bool ui_late_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_late *l = state;

	(void)arg;
	l->next = 0;
	return ui->session.ncontested > 0;
}

static void ui_late_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_late *l = state;
	bool mine = ui_is_char(ev, L'y') || ui_is_char(ev, L'Y');
	struct op op;

	if (ev->kind == EV_MOUSE || l->next >= ui->session.ncontested)
		return;
	op_copy(&op, &ui->session.contested[l->next++], ui->board);
	if (l->next >= ui->session.ncontested) {
		session_contested_clear(&ui->session);
		ui_screen_close(ui);
	}
	if (mine) {
		/* Made again, now: by this person, checked and saved as any change. */
		if (ui_apply(ui, &op) >= 0)
			ui_message(ui, "%s", _("your change is made again"));
	} else {
		op_release(&op);
		ui_message(ui, "%s", _("their change stands; yours is not made"));
	}
}

/* One line of the question, fitted to the popup. */
static void ui_late_line(struct rect r, int y, const char *s, attr_t attr)
{
	ui_draw_put_pad(y, r.x + 2, r.w - 4, s, attr);
}

/*
 * "Your change to « X » waited to be saved; meanwhile Binôme B changed it
 * (10:05). Keep yours, made again now?"
 */
static bool ui_late_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_late *l = state;
	const struct op *op;
	const struct card_event *e;
	const struct card *card;
	struct strbuf sb = STRBUF_INIT;
	char when[16] = "?";
	struct tm tm;
	struct rect r;
	int w = COLS - 6 < 70 ? COLS - 6 : 70;

	if (!ui_screen_draw_under(ui, cursor) || l->next >= ui->session.ncontested || w < 20)
		return true;
	op = &ui->session.contested[l->next];
	card = board_find_card(ui->board, op->card);
	e = op_last_change(ui->board, op);
	if (e && localtime_r(&e->at, &tm))
		strftime(when, sizeof(when), "%H:%M", &tm);
	r = ui_draw_popup(&ui->layout, w + 4, 6, _("Not saved in time"));
	if (r.h < 6)
		return true;
	strbuf_addstr(&sb, _("Your change to: "));
	text_fit(&sb, card ? card->text : "", w - text_width(sb.buf));
	ui_late_line(r, r.y + 1, sb.buf, ui_color_attr(ROLE_POPUP_TITLE));
	strbuf_reset(&sb);
	strbuf_addf(&sb, _("waited to be saved; meanwhile %s changed it (%s)."),
		    e && e->by ? e->by : _("someone"), when);
	ui_late_line(r, r.y + 2, sb.buf, ui_color_attr(ROLE_POPUP));
	ui_late_line(r, r.y + 4, _("Keep yours, made again now (y), or theirs (any other key)?"),
		     ui_color_attr(ROLE_POPUP));
	cursor->y = r.y + 4;
	cursor->x = r.x + 2;
	strbuf_release(&sb);
	return true;
}

static const struct ui_hint ui_late_keys[] = {
	{ "y", N_("keep mine") }, { N_("any other key"), N_("keep theirs") }, { NULL, NULL },
};

const struct ui_screen_ops ui_late_screen = {
	.name = "late",
	.state_size = sizeof(struct ui_late),
	.open = ui_late_open,
	.event = ui_late_event,
	.draw = ui_late_draw,
	.keys = ui_late_keys,
	.flags = UI_SCREEN_SMALL_OK,
};
