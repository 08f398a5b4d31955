/*
 * ui_versions.c - the versions of the selected card's text (r in its
 * details), oldest first, as its history keeps them (card_versions()): who
 * made each and when. The facilitator gives the card one of them back with
 * Enter, as a new change that everyone sees (and undoes with u); a pair
 * only reads them.
 */
#include <curses.h>
#include <string.h>
#include <time.h>

#include "board.h"
#include "i18n.h"
#include "op.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"

struct ui_versions {
	size_t sel;               /* the version chosen, from 0 */
};

static bool ui_versions_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_versions *v = state;
	struct card_version all[CARD_VERSIONS_MAX];
	struct card *card = ui_selected(ui);

	(void)arg;
	if (!card)
		return false;
	v->sel = card_versions(card, all) - 1;
	return true;
}

/* Gives the selected card version v->sel of its text back. */
static void ui_versions_restore(struct ui *ui, struct ui_versions *v)
{
	struct card_version all[CARD_VERSIONS_MAX];
	struct card *card = ui_selected(ui);
	size_t n;
	struct op op;

	if (!card || !ui_facilitator_allowed(ui, _("restore a version")))
		return;
	n = card_versions(card, all);
	if (v->sel + 1 >= n) {
		ui_message(ui, "%s", _("this is the text it has now"));
		return;
	}
	ui_op_init(&op, OP_TEXT, card);
	op_set(&op.text, all[v->sel].text);
	ui_screen_close(ui);
	if (ui_apply(ui, &op) >= 0)
		ui_message(ui, _("version %zu restored (u undoes)"), v->sel + 1);
}

static void ui_versions_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_versions *v = state;
	struct card_version all[CARD_VERSIONS_MAX];
	struct card *card = ui_selected(ui);
	size_t n = card ? card_versions(card, all) : 1;

	if (ui_is_key(ev, KEY_UP) && v->sel > 0)
		v->sel--;
	else if (ui_is_key(ev, KEY_DOWN) && v->sel + 1 < n)
		v->sel++;
	else if (ui_is_key(ev, KEY_HOME))
		v->sel = 0;
	else if (ui_is_key(ev, KEY_END))
		v->sel = n - 1;
	else if (ui_is_enter(ev))
		ui_versions_restore(ui, v);
	else if (ui_is_key(ev, UI_KEY_ESC) || ui_is_char(ev, L'q'))
		ui_screen_close(ui);
}

/* The versions of a card someone else deleted: never another one's. */
static void ui_versions_changed(struct ui *ui, void *state)
{
	(void)state;
	if (!ui_selected(ui))
		ui_card_gone(ui);
}

/* One version's line: "3  10:42 Binôme B  the text", the text fitted to w columns. */
static void ui_versions_line(const struct card_version *v, size_t i, bool now, int w,
			     struct strbuf *out)
{
	char when[16] = "";
	struct tm tm;

	strbuf_addf(out, "%2zu  ", i + 1);
	if (v->event && localtime_r(&v->event->at, &tm))
		strftime(when, sizeof(when), "%H:%M", &tm);
	if (v->event)
		strbuf_addf(out, "%s %s  ", when, v->event->by ? v->event->by : _("someone"));
	if (now)
		strbuf_addf(out, "%s  ", _("(now)"));
	text_fit(out, v->text, w - text_width(out->buf) > 8 ? w - text_width(out->buf) : 8);
}

static bool ui_versions_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_versions *v = state;
	struct card_version all[CARD_VERSIONS_MAX];
	struct card *card = ui_selected(ui);
	struct strbuf sb = STRBUF_INIT;
	size_t n, i, top;
	struct rect r;
	int w = COLS - 6 < 74 ? COLS - 6 : 74, rows;

	if (!ui_screen_draw_under(ui, cursor) || !card || w < 10)
		return true;
	n = card_versions(card, all);
	if (v->sel >= n)
		v->sel = n - 1;
	r = ui_draw_popup(&ui->layout, w + 4, (int)n + 2, _("Versions of the text"));
	rows = r.h - 2;
	if (rows < 1)
		return true;
	top = v->sel >= (size_t)rows ? v->sel - (size_t)rows + 1 : 0;
	for (i = top; i < n && (int)(i - top) < rows; i++) {
		int y = r.y + 1 + (int)(i - top);

		strbuf_reset(&sb);
		ui_versions_line(&all[i], i, i + 1 == n, r.w - 4, &sb);
		ui_draw_put_pad(y, r.x + 2, r.w - 4, sb.buf,
				ui_color_attr(i == v->sel ? ROLE_SELECTED : ROLE_POPUP));
		if (i == v->sel) {
			cursor->y = y;
			cursor->x = r.x + 2;
		}
	}
	strbuf_release(&sb);
	return true;
}

static const struct ui_hint ui_versions_keys[] = {
	{ "↑↓", N_("choose") }, { "Enter", N_("restore it (facilitator)") }, { "Esc", N_("back") },
	{ NULL, NULL },
};

const struct ui_screen_ops ui_versions_screen = {
	.name = "versions",
	.state_size = sizeof(struct ui_versions),
	.open = ui_versions_open,
	.event = ui_versions_event,
	.draw = ui_versions_draw,
	.keys = ui_versions_keys,
	.changed = ui_versions_changed,
};
