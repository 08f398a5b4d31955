/*
 * ui_decide.c - the facilitator decides (v, on the board or in the sieve):
 * the next decision in the cycle undecided → V1 → V2 → elsewhere, then a
 * one-line rationale, asked at once (Enter with it or without it, Tab goes
 * on through the cycle, Esc cancels). Kept in the board's decision log with
 * who and when; signed (sign.h) as every facilitator change is.
 */
#include <curses.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "op.h"
#include "text.h"
#include "ui_draw.h"
#include "ui_editor.h"
#include "ui_int.h"

struct ui_decide {
	struct ui_editor editor;  /* the rationale */
	uuid_t card;              /* the card decided on */
	enum decision to;         /* the decision being made */
};

static void ui_decide_release(void *state)
{
	struct ui_decide *d = state;

	ui_editor_release(&d->editor);
}

/* arg: the card's UUID. */
static bool ui_decide_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_decide *d = state;
	struct card *card = board_find_card(ui->board, arg);

	if (!card || !ui_facilitator_allowed(ui, _("decide")))
		return false;
	d->to = (enum decision)((card->decision + 1) % DECISION_COUNT);
	memcpy(d->card, card->id, sizeof(uuid_t));
	ui_editor_set(&d->editor, "");
	return true;
}

/* Enter: the decision, with its rationale when one was typed. */
static void ui_decide_done(struct ui *ui, struct ui_decide *d)
{
	struct strbuf text = STRBUF_INIT;
	struct card *card = board_find_card(ui->board, d->card);
	const char *why;
	struct op op;

	ui_screen_close(ui);
	if (!card) {
		ui_message(ui, "%s", _("this card was deleted by someone else"));
		return;
	}
	if (card->decision == d->to) {
		ui_message(ui, _("already decided: %s"), ui_decision_name(d->to));
		return;
	}
	ui_editor_text(&d->editor, &text);
	why = text_trim(&text);
	ui_op_init(&op, OP_DECIDE, card);
	op.value = (int)d->to;
	op_set(&op.text, *why ? why : NULL);
	if (ui_apply(ui, &op) >= 0)
		ui_message(ui, *why ? _("decided: %s, with its rationale (the report keeps both)")
				    : _("decided: %s"),
			   ui_decision_name(d->to));
	strbuf_release(&text);
}

static void ui_decide_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_decide *d = state;

	if (ev->kind == EV_MOUSE) {
		ui_mouse_wheel(ui, ev);
		return;
	}
	/* Tab goes on through the cycle without leaving the prompt. */
	if (ui_is_key(ev, UI_KEY_TAB) || ui_is_key(ev, KEY_BTAB)) {
		int step = ui_is_key(ev, UI_KEY_TAB) ? 1 : DECISION_COUNT - 1;

		d->to = (enum decision)((d->to + step) % DECISION_COUNT);
		return;
	}
	switch (ui_type(ui, &d->editor, ev)) {
	case EDITOR_CONTINUE:
		return;
	case EDITOR_CANCEL:
		ui_screen_close(ui);
		ui_message(ui, "%s", _("decision not changed"));
		return;
	case EDITOR_DONE:
		ui_decide_done(ui, d);
		return;
	}
}

static bool ui_decide_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_decide *d = state;
	struct card *card = board_find_card(ui->board, d->card);
	struct strbuf line1 = STRBUF_INIT, line2 = STRBUF_INIT, title = STRBUF_INIT;
	const char *above[3];

	if (!ui_screen_draw_under(ui, cursor))
		return false;
	strbuf_addf(&line2, _("%s → %s   (Tab: next decision)"),
		    ui_decision_name(card ? card->decision : DECISION_UNDECIDED),
		    ui_decision_name(d->to));
	/* The title names the card: "Decision for “Café numérique”: V1". */
	strbuf_addf(&title, _("Decision for %s: %s"), "", ui_decision_name(d->to));
	ui_card_quoted(card, ui_prompt_title_room() - text_width(title.buf), &line1);
	strbuf_reset(&title);
	strbuf_addf(&title, _("Decision for %s: %s"), line1.buf, ui_decision_name(d->to));
	strbuf_reset(&line1);
	ui_card_quoted(card, 64, &line1);
	above[0] = line1.buf;
	above[1] = line2.buf;
	above[2] = _("Why? One line, optional:");
	ui_draw_prompt(&ui->layout, &d->editor, title.buf, above, 3, _("Enter: decide   Esc: cancel"),
		       cursor);
	strbuf_release(&line1);
	strbuf_release(&line2);
	strbuf_release(&title);
	return true;
}

static const struct ui_hint ui_decide_keys[] = {
	{ "Enter", N_("decide (the rationale may stay empty)") }, { "Tab", N_("next decision") },
	{ "Esc", N_("cancel") }, { NULL, NULL },
};



const struct ui_screen_ops ui_decide_screen = {
	.name = "decide",
	.state_size = sizeof(struct ui_decide),
	.release = ui_decide_release,
	.open = ui_decide_open,
	.event = ui_decide_event,
	.draw = ui_decide_draw,
	.keys = ui_decide_keys,
	.flags = UI_SCREEN_SMALL_OK | UI_SCREEN_TEXT,
};
