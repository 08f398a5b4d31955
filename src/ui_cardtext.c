/*
 * ui_cardtext.c - typing a card's text: a new card's (a, then its theme is
 * chosen, ui_theme.c) or the selected card's (e). A text takes what the
 * file format takes (ui_editor.h); surrounding spaces are never meant.
 *
 * When the session ends while a text is typed (a signal, the terminal
 * gone), nothing typed is lost: a new card is added with it; an edit,
 * unfinished, is never saved over the card's text but kept for the rescue
 * copy (ui_close()).
 *
 * When someone else deletes the card being edited, the editor stays open
 * with what was typed, and the keys go on into it (never to the board):
 * Enter offers the text as a new card (its theme asked next), Esc drops it.
 */
#include <curses.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "import.h"
#include "op.h"
#include "text.h"
#include "ui_draw.h"
#include "ui_editor.h"
#include "ui_int.h"
#include "undo.h"

struct ui_cardtext {
	struct ui_editor editor;
	bool adding;              /* a new card, not an edit */
	bool orphan;              /* an edit whose card someone else deleted: now adding */
	struct strbuf base;       /* an edit: the card's text it started from */
	struct strbuf before;     /* saved first, to keep it in the history (a conflict's) */
};

static void ui_cardtext_release(void *state)
{
	struct ui_cardtext *t = state;

	ui_editor_release(&t->editor);
	strbuf_release(&t->base);
	strbuf_release(&t->before);
}

static bool ui_cardtext_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_cardtext *t = state;
	const struct ui_cardtext_arg *a = arg;
	struct card *sel = ui_selected(ui);

	t->adding = a->adding;
	t->orphan = false;
	if (!t->adding && !sel)
		return false;
	strbuf_reset(&t->base);
	strbuf_reset(&t->before);
	if (!t->adding)
		strbuf_addstr(&t->base, a->base ? a->base : sel->text);
	if (a->before)
		strbuf_addstr(&t->before, a->before);
	ui_editor_set(&t->editor, a->text ? a->text : t->adding ? "" : sel->text);
	return true;
}

/* Saves text as the selected card's, after t->before when a conflict kept it. */
static void ui_cardtext_save(struct ui *ui, struct ui_cardtext *t, struct card *sel,
			     const char *text)
{
	struct op op;
	uuid_t id;

	memcpy(id, sel->id, sizeof(uuid_t));
	undo_begin(&ui->undo);
	if (t->before.len && strcmp(sel->text, t->before.buf)) {
		ui_op_init(&op, OP_TEXT, sel);
		op_set(&op.text, t->before.buf);
		ui_apply(ui, &op);
	}
	if ((sel = board_find_card(ui->board, id)) && strcmp(sel->text, text)) {
		ui_op_init(&op, OP_TEXT, sel);
		op_set(&op.text, text);
		if (ui_apply(ui, &op) >= 0)
			ui_message(ui, "%s", _("text changed"));
	}
	undo_end(&ui->undo);
}

/* The text typed, in text, without its surrounding spaces; the screen closes. */
static const char *ui_cardtext_take(struct ui *ui, struct ui_cardtext *t, struct strbuf *text)
{
	ui_editor_text(&t->editor, text);
	ui_screen_close(ui);
	return text_trim(text);
}

/* Enter: a new card's theme is asked next; an edited text is saved. */
static void ui_cardtext_done(struct ui *ui, struct ui_cardtext *t)
{
	struct strbuf text = STRBUF_INIT;
	struct card *sel = ui_selected(ui);
	const char *s = ui_cardtext_take(ui, t, &text);

	if (!*s) {
		ui_message(ui, "%s", _("a card needs some text"));
	} else if (t->adding && import_find_text(ui->board, s) >= 0) {
		/* Already on the board (as tamis add checks it): asked first. */
		ui_screen_open(ui, UI_SCREEN_CONFIRM, s);
	} else if (t->adding) {
		ui_screen_open(ui, UI_SCREEN_THEME, s);
	} else if (sel && strcmp(sel->text, t->base.buf) && strcmp(sel->text, s) && !t->before.len) {
		/* Someone else saved another text meanwhile: theirs and mine, side by side. */
		struct ui_cardtext_arg a = { false, s, NULL, t->base.buf };

		ui_screen_open(ui, UI_SCREEN_CONFLICT, &a);
	} else if (sel && (strcmp(sel->text, s) || t->before.len)) {
		ui_cardtext_save(ui, t, sel, s);
	} else if (!sel) {
		ui_message(ui, "%s", _("this card was deleted by someone else"));
	}
	strbuf_release(&text);
}

static void ui_cardtext_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_cardtext *t = state;

	if (ev->kind == EV_MOUSE) {
		ui_mouse_wheel(ui, ev);
		return;
	}
	switch (ui_type(ui, &t->editor, ev)) {
	case EDITOR_CONTINUE:
		return;
	case EDITOR_CANCEL:
		ui_screen_close(ui);
		return;
	case EDITOR_DONE:
		ui_cardtext_done(ui, t);
		return;
	}
}

/* Editing a card someone else deleted: never another one instead, nor lost. */
static void ui_cardtext_changed(struct ui *ui, void *state)
{
	struct ui_cardtext *t = state;

	if (t->adding || ui_selected(ui))
		return;
	t->adding = t->orphan = true;
	ui_message(ui, "%s", _("deleted by someone else: Enter keeps your text as a new card, "
			       "Esc drops it"));
}

static void ui_cardtext_rescue(struct ui *ui, void *state)
{
	struct ui_cardtext *t = state;
	struct strbuf text = STRBUF_INIT;
	struct card *sel = ui_selected(ui);
	const char *s = ui_cardtext_take(ui, t, &text);

	if (*s && t->adding) {
		size_t theme = sel ? sel->theme : 0;

		if (theme < ui->board->nthemes)
			ui_add_card(ui, s, theme);
	} else if (*s && sel && strcmp(sel->text, s)) {
		strbuf_reset(&ui->draft);
		strbuf_addstr(&ui->draft, s);
		memcpy(ui->draft_card, sel->id, sizeof(uuid_t));
	}
	strbuf_release(&text);
}

static bool ui_cardtext_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_cardtext *t = state;
	struct strbuf title = STRBUF_INIT, name = STRBUF_INIT;
	const char *above[1];

	if (!ui_screen_draw_under(ui, cursor))
		return false;
	if (t->orphan) {
		above[0] = _("Your text, kept: the card was deleted by someone else.");
		ui_draw_prompt(&ui->layout, &t->editor, _("Card deleted"), above, 1,
			       _("Enter: add it as a new card   Esc: drop it"), cursor);
		return true;
	}
	above[0] = t->adding ? _("Text of the new card:") : _("Text:");
	if (t->adding) {
		strbuf_addstr(&title, _("New card"));
	} else {
		/* The title names the card edited, as it was. */
		strbuf_addf(&title, _("Edit %s"), "");
		ui_card_quoted(ui_selected(ui), ui_prompt_title_room() - text_width(title.buf), &name);
		strbuf_reset(&title);
		strbuf_addf(&title, _("Edit %s"), name.buf);
	}
	ui_draw_prompt(&ui->layout, &t->editor, title.buf, above,
		       1,
		       t->adding ? _("Enter: choose its theme   Esc: cancel")
				 : _("Enter: save   Esc: cancel"),
		       cursor);
	strbuf_release(&title);
	strbuf_release(&name);
	return true;
}

static const struct ui_hint ui_cardtext_keys[] = {
	{ "Enter", N_("done") }, { "Esc", N_("cancel") }, { "←→ Home End", N_("move") },
	{ "BS Del", N_("erase") }, { NULL, NULL },
};



const struct ui_screen_ops ui_cardtext_screen = {
	.name = "cardtext",
	.state_size = sizeof(struct ui_cardtext),
	.release = ui_cardtext_release,
	.open = ui_cardtext_open,
	.event = ui_cardtext_event,
	.draw = ui_cardtext_draw,
	.keys = ui_cardtext_keys,
	.flags = UI_SCREEN_SMALL_OK | UI_SCREEN_TEXT,
	.changed = ui_cardtext_changed,
	.rescue = ui_cardtext_rescue,
};
