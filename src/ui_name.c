/*
 * ui_name.c - "Who is playing?", asked once at start when neither --by nor
 * $TAMIS_BY said: the name signs every change. Esc plays unnamed. Asked
 * even on a terminal too small for the board.
 */
#include <curses.h>
#include <stdlib.h>

#include "i18n.h"
#include "text.h"
#include "ui_draw.h"
#include "ui_editor.h"
#include "ui_int.h"
#include "xmalloc.h"

struct ui_name {
	struct ui_editor editor;
};

static void ui_name_release(void *state)
{
	struct ui_name *n = state;

	ui_editor_release(&n->editor);
}

static bool ui_name_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_name *n = state;

	(void)ui;
	(void)arg;
	ui_editor_set(&n->editor, "");
	return true;
}

static void ui_name_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_name *n = state;
	struct strbuf text = STRBUF_INIT;
	const char *name;

	if (ev->kind == EV_MOUSE) {
		ui_mouse_wheel(ui, ev);
		return;
	}
	switch (ui_type(ui, &n->editor, ev)) {
	case EDITOR_CONTINUE:
		return;
	case EDITOR_CANCEL:
		ui_screen_close(ui);
		ui_message(ui, "%s", _("playing without a name: your changes will not say who made them"));
		return;
	case EDITOR_DONE:
		break;
	}
	ui_editor_text(&n->editor, &text);
	name = text_trim(&text);
	ui_screen_close(ui);
	if (*name) {
		free(ui->by);
		ui->by = xstrdup(name);
		ui_message(ui, _("hello %s: your changes are signed with this name"), ui->by);
	} else {
		ui_message(ui, "%s", _("playing without a name: your changes will not say who made them"));
	}
	strbuf_release(&text);
}

/* Over the board, or over "terminal too small": asked all the same. */
static bool ui_name_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_name *n = state;
	const char *above[1] = { _("Your name (or your pair's), kept with every change you make:") };
	bool drawn = ui_screen_draw_under(ui, cursor);

	ui_draw_prompt(&ui->layout, &n->editor, _("Who is playing?"), above, 1,
		       _("Enter: play   Esc: play without a name"), cursor);
	return drawn;
}



const struct ui_screen_ops ui_name_screen = {
	.name = "name",
	.state_size = sizeof(struct ui_name),
	.release = ui_name_release,
	.open = ui_name_open,
	.event = ui_name_event,
	.draw = ui_name_draw,
	.keys = ui_draw_prompt_hints,
	.flags = UI_SCREEN_SMALL_OK | UI_SCREEN_TEXT,
};
