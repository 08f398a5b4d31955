/*
 * ui_search.c - a search typed on the hints line (/), from an empty prompt,
 * as you type: matches are highlighted, the others dimmed, and the
 * selection kept on a match. ↑ recalls the last search; Enter keeps it
 * (n, N go on from the board), Esc clears it.
 */
#include <curses.h>

#include "board.h"
#include "i18n.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_editor.h"
#include "ui_int.h"

struct ui_search {
	struct ui_editor editor;
};

static void ui_search_release(void *state)
{
	struct ui_search *s = state;

	ui_editor_release(&s->editor);
}

/* A new search starts empty; ↑ in it recalls the last one. */
static bool ui_search_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_search *s = state;

	(void)arg;
	ui_editor_set(&s->editor, "");
	strbuf_reset(&ui->query);
	return true;
}

static void ui_search_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_search *s = state;
	enum ui_editor_result r = EDITOR_CONTINUE;

	if (ev->kind == EV_MOUSE) {
		ui_mouse_wheel(ui, ev);
		return;
	}
	if (ev->kind == EV_KEY && ev->key == KEY_UP && !ev->pasted)
		ui_editor_set(&s->editor, ui->last_query.buf); /* recall the last search */
	else
		r = ui_type(ui, &s->editor, ev);
	strbuf_reset(&ui->query);
	if (r == EDITOR_CANCEL) {
		ui_screen_close(ui);
		return;
	}
	ui_editor_text(&s->editor, &ui->query);
	if (r == EDITOR_DONE) {
		ui_screen_close(ui);
		if (ui->query.len) {
			strbuf_reset(&ui->last_query);
			strbuf_add(&ui->last_query, ui->query.buf, ui->query.len);
			ui_message(ui,
				   ngettext("%zu matching card: n next, N previous, Esc clears",
					    "%zu matching cards: n next, N previous, Esc clears",
					    ui_count_matches(ui)),
				   ui_count_matches(ui));
		}
		return;
	}
	/* Incremental: keep the selection on a match as the query grows. */
	if (ui->query.len) {
		struct card *sel = ui_selected(ui);

		if (!sel || !ui_card_matches(ui, sel))
			ui_search_jump(ui, 1, true);
	}
}

/* The board, and the search typed on the hints line (in place of the status bar if need be). */
static bool ui_search_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_search *s = state;
	const struct layout *l = &ui->layout;
	int y = l->hints.h ? l->hints.y : l->status.y, x, fw;
	struct strbuf sb = STRBUF_INIT;
	size_t matches;

	if (!ui_screen_draw_under(ui, cursor))
		return false;
	matches = ui_count_matches(ui);
	ui_draw_put_pad(y, 0, COLS, "", ui_color_attr(ROLE_HINTS));
	x = ui_draw_put(y, 0, COLS, "/", ui_color_attr(ROLE_HINT_KEY));
	if (ui->last_query.len)
		strbuf_addf(&sb,
			    ngettext("  %zu matching · Enter keep · Esc clear · ↑ last search",
				     "  %zu matching · Enter keep · Esc clear · ↑ last search", matches),
			    matches);
	else
		strbuf_addf(&sb,
			    ngettext("  %zu matching · Enter keep · Esc clear",
				     "  %zu matching · Enter keep · Esc clear", matches),
			    matches);
	fw = COLS - x - text_width(sb.buf);
	if (fw < 10)
		fw = COLS - x;
	if (fw > 40)
		fw = 40;
	cursor->x = ui_draw_editor_line(&s->editor, y, x, fw, A_UNDERLINE);
	cursor->y = y;
	ui_draw_put(y, x + fw, COLS - x - fw, sb.buf, ui_color_attr(ROLE_HINTS));
	strbuf_release(&sb);
	return true;
}


/* No hints: the search line is drawn over the hints line. */
const struct ui_screen_ops ui_search_screen = {
	.name = "search",
	.state_size = sizeof(struct ui_search),
	.release = ui_search_release,
	.open = ui_search_open,
	.event = ui_search_event,
	.draw = ui_search_draw,
	.flags = UI_SCREEN_SMALL_OK | UI_SCREEN_TEXT | UI_SCREEN_ASKS,
};
