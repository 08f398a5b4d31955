/*
 * ui_conflict.c - my text against theirs: someone else saved another text
 * of the card while I was editing it (the editor knows the text it started
 * from, ui_cardtext.c). Both are shown, with who saved theirs and when:
 * t keeps theirs, m keeps mine, e opens the editor on the two merged
 * (text_merge3(): both edits when they touch different words, else the two
 * side by side). Whatever is chosen, my text is saved too, first, so that
 * both versions stay in the card's history (r in its details lists them);
 * Esc keeps theirs likewise.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board.h"
#include "i18n.h"
#include "op.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"
#include "undo.h"
#include "xmalloc.h"

#define UI_CONFLICT_LINES 4 /* lines of each text shown */

struct ui_conflict {
	struct strbuf base;       /* the text my edit started from */
	struct strbuf mine;
};

static void ui_conflict_release(void *state)
{
	struct ui_conflict *c = state;

	strbuf_release(&c->base);
	strbuf_release(&c->mine);
}

static bool ui_conflict_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_conflict *c = state;
	const struct ui_cardtext_arg *a = arg;

	if (!ui_selected(ui) || !a || !a->text || !a->base)
		return false;
	strbuf_reset(&c->base);
	strbuf_reset(&c->mine);
	strbuf_addstr(&c->base, a->base);
	strbuf_addstr(&c->mine, a->text);
	return true;
}

/* Saves mine, then (keeping theirs) theirs again: one step for undo. */
static void ui_conflict_keep(struct ui *ui, struct ui_conflict *c, bool mine)
{
	struct card *card = ui_selected(ui);
	char *theirs = card ? xstrdup(card->text) : NULL;
	struct op op;

	ui_screen_close(ui);
	if (!card)
		return;
	undo_begin(&ui->undo);
	ui_op_init(&op, OP_TEXT, card);
	op_set(&op.text, c->mine.buf);
	if (ui_apply(ui, &op) >= 0 && !mine && (card = ui_selected(ui))) {
		ui_op_init(&op, OP_TEXT, card);
		op_set(&op.text, theirs);
		ui_apply(ui, &op);
	}
	undo_end(&ui->undo);
	ui_message(ui, "%s", mine ? _("your text kept; theirs is among the card's versions (i, r)")
				  : _("their text kept; yours is among the card's versions (i, r)"));
	free(theirs);
}

static void ui_conflict_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_conflict *c = state;
	struct card *card = ui_selected(ui);

	if (ui_is_char(ev, L'm')) {
		ui_conflict_keep(ui, c, true);
	} else if (ui_is_char(ev, L't') || ui_is_key(ev, UI_KEY_ESC)) {
		ui_conflict_keep(ui, c, false);
	} else if (ui_is_char(ev, L'e') && card) {
		struct strbuf merged = STRBUF_INIT;
		struct ui_cardtext_arg a = { false, NULL, NULL, NULL };

		text_merge3(c->base.buf, card->text, c->mine.buf, &merged);
		a.text = merged.buf;
		a.before = c->mine.buf;
		a.base = card->text;
		ui_screen_close(ui);
		ui_screen_open(ui, UI_SCREEN_CARDTEXT, &a);
		strbuf_release(&merged);
	}
}

/* The conflict over a card someone else deleted: my text is offered as a new card. */
static void ui_conflict_changed(struct ui *ui, void *state)
{
	struct ui_conflict *c = state;
	struct ui_cardtext_arg a = { true, NULL, NULL, NULL };

	if (ui_selected(ui))
		return;
	a.text = c->mine.buf;
	ui_card_gone(ui);
	ui_screen_open(ui, UI_SCREEN_CARDTEXT, &a);
}

/* A label, then the text wrapped over at most UI_CONFLICT_LINES lines. */
static int ui_conflict_text(struct rect r, int y, const char *label, const char *s)
{
	struct strbuf lines[UI_CONFLICT_LINES];
	int i, n;

	ui_draw_put_pad(y++, r.x + 2, r.w - 4, label, ui_color_attr(ROLE_POPUP_TITLE));
	for (i = 0; i < UI_CONFLICT_LINES; i++)
		strbuf_init(&lines[i], 0);
	n = text_wrap(s, r.w - 6, lines, UI_CONFLICT_LINES);
	for (i = 0; i < n; i++)
		ui_draw_put_pad(y++, r.x + 4, r.w - 6, lines[i].buf, ui_color_attr(ROLE_POPUP));
	for (i = 0; i < UI_CONFLICT_LINES; i++)
		strbuf_release(&lines[i]);
	return y;
}

static bool ui_conflict_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_conflict *c = state;
	struct card *card = ui_selected(ui);
	const struct card_event *e = NULL;
	struct strbuf label = STRBUF_INIT;
	char when[16] = "?";
	struct tm tm;
	struct rect r;
	size_t i;
	int y, w = COLS - 6 < 74 ? COLS - 6 : 74;

	if (!ui_screen_draw_under(ui, cursor) || !card || w < 20)
		return true;
	for (i = card->nhistory; i-- > 0 && !e;)
		if (card->history[i].kind == EVENT_EDITED)
			e = &card->history[i];
	if (e && localtime_r(&e->at, &tm))
		strftime(when, sizeof(when), "%H:%M", &tm);
	r = ui_draw_popup(&ui->layout, w + 4, 2 * UI_CONFLICT_LINES + 6,
			  _("Changed meanwhile by someone else"));
	if (r.h < 6)
		return true;
	strbuf_addf(&label, _("Their text, saved by %s at %s:"),
		    e && e->by ? e->by : _("someone"), when);
	y = ui_conflict_text(r, r.y + 1, label.buf, card->text);
	ui_conflict_text(r, y + 1, _("Your text:"), c->mine.buf);
	cursor->y = r.y + 1;
	cursor->x = r.x + 2;
	strbuf_release(&label);
	return true;
}

static const struct ui_hint ui_conflict_keys[] = {
	{ "t", N_("keep theirs") }, { "m", N_("keep mine") }, { "e", N_("edit both together") },
	{ NULL, NULL },
};

const struct ui_screen_ops ui_conflict_screen = {
	.name = "conflict",
	.state_size = sizeof(struct ui_conflict),
	.release = ui_conflict_release,
	.open = ui_conflict_open,
	.event = ui_conflict_event,
	.draw = ui_conflict_draw,
	.keys = ui_conflict_keys,
	.flags = UI_SCREEN_SMALL_OK,
	.changed = ui_conflict_changed,
};
