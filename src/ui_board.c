/*
 * ui_board.c - the board screen, always at the bottom of the screens: the
 * keys and the mouse on the grid, its tray and its tabs. Most keys open
 * another screen over it (a card's text, details, the sieve, the list
 * view, which hands it back the keys they share...); the others
 * act at once: select, undo, search again, the next debated card, "my
 * cards", the report written next to the board, a lock. Its drawing is in
 * ui_board_draw.c.
 */
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board.h"
#include "i18n.h"
#include "layout.h"
#include "lockfile.h"
#include "report.h"
#include "timeutil.h"
#include "ui_board.h"
#include "ui_draw.h"
#include "ui_int.h"
#include "xmalloc.h"

/* --- What the keys do at once --- */

/* The placed cards of grid g in reading order (rows top to bottom); caller frees. */
static size_t ui_board_grid_order(const struct board *b, size_t g, struct card ***out)
{
	struct layout_view v;
	size_t n;

	memset(&v, 0, sizeof(v));
	layout_view_build(&v, b, g);
	n = ui_reading_order(&v, false, out);
	layout_view_release(&v);
	return n;
}

static void ui_board_next_debated(struct ui *ui, struct card *sel)
{
	struct board *b = ui->board;
	struct card *found = NULL;
	size_t ng = b->ngrids, total = 0, i, k, found_grid = ui->grid;

	for (i = 0; i < b->ncards; i++)
		if (card_is_debated(b, b->cards[i]))
			total++;
	if (!total) {
		ui_message(ui, "%s", _("no debated card: none was moved back and forth or by several people"));
		return;
	}
	/* Through the grids from this one, after the selection; the current grid last again. */
	for (k = 0; k <= ng && !found; k++) {
		size_t g = (ui->grid + k) % (ng ? ng : 1), n, j, from = 0;
		struct card **list;

		if (!ng)
			break;
		n = ui_board_grid_order(b, g, &list);
		if (k == 0 && sel)
			for (j = 0; j < n; j++)
				if (list[j] == sel)
					from = j + 1;
		for (j = from; j < n && !found; j++) {
			if (k == ng && list[j] == sel)
				break;
			if (card_is_debated(b, list[j])) {
				found = list[j];
				found_grid = g;
			}
		}
		free(list);
	}
	/* Debated and placed nowhere (a merge's mark): in the tray. */
	for (i = 0; i < b->ncards && !found; i++)
		if (card_is_debated(b, b->cards[i]) && card_is_unplaced(b, b->cards[i]))
			found = b->cards[i];
	if (!found) {
		ui_message(ui, "%s", _("no other debated card"));
		return;
	}
	if (found_grid != ui->grid)
		ui_switch_grid(ui, found_grid);
	ui_select_reveal(ui, found);
	ui_message(ui,
		   ngettext("debated (%zu on the board): moved back and forth or by several people; "
			    "i shows its moves",
			    "debated (%zu on the board): moved back and forth or by several people; "
			    "i shows its moves",
			    total),
		   total);
}

/* "My cards" on: the selection goes to the first of them on this grid, if it is not one. */
static void ui_board_select_mine(struct ui *ui, struct card *sel)
{
	struct card **list;
	size_t n, i;

	if (sel && ui_card_is_mine(ui, sel))
		return;
	n = ui_reading_order(&ui->view, true, &list);
	for (i = 0; i < n; i++) {
		if (ui_card_is_mine(ui, list[i])) {
			ui_select_reveal(ui, list[i]);
			break;
		}
	}
	free(list);
}

static void ui_board_toggle_mine(struct ui *ui, struct card *sel)
{
	size_t i, n = 0;

	if (!ui->by) {
		ui_message(ui, "%s", _("my cards: tamis needs your name for that (--by NAME)"));
		return;
	}
	ui->mine = !ui->mine;
	if (!ui->mine) {
		ui_message(ui, "%s", _("all cards shown alike"));
		return;
	}
	for (i = 0; i < ui->board->ncards; i++)
		if (ui_card_is_mine(ui, ui->board->cards[i]))
			n++;
	ui_board_select_mine(ui, sel);
	ui_message(ui,
		   ngettext("my cards: %zu dealt to or written by %s; the arrows visit only it, "
			    "the others are dimmed (m again: all)",
			    "my cards: %zu dealt to or written by %s; the arrows visit only them, "
			    "the others are dimmed (m again: all)",
			    n),
		   n, ui->by);
}

/*
 * "BOARD-report-YYYY-MM-DD-HHMM.md" next to the board file, for the local time
 * when; from the second try on, "-2", "-3"... before ".md".
 */
static void ui_board_report_path(const char *path, time_t when, unsigned n, struct strbuf *out)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t len = strlen(path);
	char stamp[32];
	struct tm tm;

	if (len - (size_t)(base - path) > 5 && !strcmp(path + len - 5, ".yaml"))
		len -= 5;
	else if (len - (size_t)(base - path) > 4 && !strcmp(path + len - 4, ".yml"))
		len -= 4;
	if (!localtime_r(&when, &tm) || !strftime(stamp, sizeof(stamp), "%Y-%m-%d-%H%M", &tm))
		strcpy(stamp, "undated");
	strbuf_add(out, path, len);
	strbuf_addf(out, "-report-%s", stamp);
	if (n > 1)
		strbuf_addf(out, "-%u", n);
	strbuf_addstr(out, ".md");
}

/* The most names tried for one minute's report before giving up. */
#define UI_REPORT_TRIES 100

/*
 * Writes the report to a new file next to the board, never over an existing
 * one (file_create() fails when a file is there, even one made meanwhile).
 */
static void ui_board_report(struct ui *ui, struct card *sel)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, path = STRBUF_INIT;
	time_t now = clock_now();
	unsigned n;
	int r = -1;

	(void)sel;
	report_format(ui->board, REPORT_MARKDOWN, now, &out);
	for (n = 1; n <= UI_REPORT_TRIES; n++) {
		strbuf_reset(&path);
		strbuf_reset(&err);
		ui_board_report_path(ui->path, now, n, &path);
		if ((r = file_create(path.buf, out.buf, out.len, &err)) == 0 || errno != EEXIST)
			break;
	}
	if (r == 0)
		ui_message(ui, _("report written to '%s'"), path.buf);
	else
		ui_message(ui, _("cannot write the report: %s"), err.buf);
	strbuf_release(&path);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void ui_board_quit(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui->quit = true;
}

static void ui_board_add(struct ui *ui, struct card *sel)
{
	static const struct ui_cardtext_arg adding = { true, NULL, NULL, NULL };

	(void)sel;
	if (!ui->board->nthemes) {
		ui_message(ui, "%s", _("this board has no theme: add one to the file first"));
		return;
	}
	ui_screen_open(ui, UI_SCREEN_CARDTEXT, &adding);
}

static void ui_board_edit(struct ui *ui, struct card *sel)
{
	static const struct ui_cardtext_arg editing = { false, NULL, NULL, NULL };

	if (sel)
		ui_screen_open(ui, UI_SCREEN_CARDTEXT, &editing);
}

static void ui_board_theme(struct ui *ui, struct card *sel)
{
	if (sel)
		ui_screen_open(ui, UI_SCREEN_THEME, NULL);
}

static void ui_board_delete(struct ui *ui, struct card *sel)
{
	if (sel && !ui_locked_for_me(ui, sel))
		ui_screen_open(ui, UI_SCREEN_CONFIRM, NULL);
}

static void ui_board_details(struct ui *ui, struct card *sel)
{
	if (sel)
		ui_screen_open(ui, UI_SCREEN_DETAILS, NULL);
}

static void ui_board_undo(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui_undo(ui, false);
}

static void ui_board_search(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui_screen_open(ui, UI_SCREEN_SEARCH, NULL);
}

/* n, N: the next or previous match; after Esc cleared it, the last search comes back. */
static void ui_board_search_again(struct ui *ui, int step)
{
	if (!ui->query.len)
		strbuf_addstr(&ui->query, ui->last_query.buf);
	if (!ui->query.len)
		ui_message(ui, "%s", _("no search: / starts one"));
	else if (!ui_search_jump(ui, step, false))
		ui_message(ui, "%s", _("no match on this grid"));
}

static void ui_board_next_match(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui_board_search_again(ui, 1);
}

static void ui_board_previous_match(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui_board_search_again(ui, -1);
}

static void ui_board_help(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui_screen_open(ui, UI_SCREEN_HELP, NULL);
}

static void ui_board_lock(struct ui *ui, struct card *sel)
{
	if (sel)
		ui_lock_card(ui, sel->id);
}

static void ui_board_decide(struct ui *ui, struct card *sel)
{
	if (sel)
		ui_screen_open(ui, UI_SCREEN_DECIDE, sel->id);
}

static void ui_board_zones(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui_screen_open(ui, UI_SCREEN_ZONES, NULL);
}

static void ui_board_sieve(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui_screen_open(ui, UI_SCREEN_SIEVE, NULL);
}

static void ui_board_list(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui_screen_open(ui, UI_SCREEN_LIST, NULL);
}

static void ui_board_frame(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui_screen_open(ui, UI_SCREEN_FRAME, NULL);
}

static void ui_board_who(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui_screen_open(ui, UI_SCREEN_WHO, NULL);
}

static void ui_board_changes(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui_screen_open(ui, UI_SCREEN_CHANGES, NULL);
}

static void ui_board_redo(struct ui *ui, struct card *sel)
{
	(void)sel;
	ui_undo(ui, true);
}

static void ui_board_clear_search(struct ui *ui, struct card *sel)
{
	(void)sel;
	strbuf_reset(&ui->query);
}

/*
 * What the board's actions do at once, with the selected card (NULL when
 * none); their keys are the user's (ui_keys.h). Moving the selection,
 * picking a card up and changing grid are the core's (ui_key_dir(),
 * ui_grid_keys()), shared with other screens.
 */
static void (*const ui_board_actions[KEYMAP_NACTIONS])(struct ui *ui, struct card *sel) = {
	[KEYMAP_QUIT] = ui_board_quit,           [KEYMAP_ADD] = ui_board_add,
	[KEYMAP_EDIT] = ui_board_edit,           [KEYMAP_THEME] = ui_board_theme,
	[KEYMAP_DELETE] = ui_board_delete,       [KEYMAP_DETAILS] = ui_board_details,
	[KEYMAP_UNDO] = ui_board_undo,           [KEYMAP_REDO] = ui_board_redo,
	[KEYMAP_SEARCH] = ui_board_search,       [KEYMAP_CLEAR_SEARCH] = ui_board_clear_search,
	[KEYMAP_NEXT_MATCH] = ui_board_next_match,
	[KEYMAP_PREVIOUS_MATCH] = ui_board_previous_match,
	[KEYMAP_HELP] = ui_board_help,           [KEYMAP_LOCK] = ui_board_lock,
	[KEYMAP_DECIDE] = ui_board_decide,       [KEYMAP_NEXT_DEBATED] = ui_board_next_debated,
	[KEYMAP_MY_CARDS] = ui_board_toggle_mine, [KEYMAP_SIEVE] = ui_board_sieve,
	[KEYMAP_REPORT] = ui_board_report,       [KEYMAP_ZONES] = ui_board_zones,
	[KEYMAP_FRAME] = ui_board_frame,         [KEYMAP_LIST] = ui_board_list,
	[KEYMAP_WHO] = ui_board_who,           [KEYMAP_CHANGES] = ui_board_changes,
};

/* --- Events --- */

/*
 * Button 1: a press selects (or shows a tab's grid), a drag picks the card
 * up and carries it (the carry screen then follows the drag), a release
 * without a drag drops it where it is released.
 */
static void ui_board_mouse(struct ui *ui, const struct ui_event *ev)
{
	static const bool by_mouse = true;
	struct card *card;

	if (ui_mouse_wheel(ui, ev))
		return;
	switch (ev->mouse) {
	case MOUSE_PRESS:
		ui_mouse_press(ui, ev);
		return;
	case MOUSE_DRAG:
		if (!ui->mouse_down || !(card = board_find_card(ui->board, ui->mouse_card)))
			return;
		ui_select(ui, card);
		if (!ui_screen_open(ui, UI_SCREEN_CARRY, &by_mouse)) {
			ui->mouse_down = false;
			return;
		}
		ui_screen_event(ui, ev);
		return;
	case MOUSE_RELEASE:
		if (!ui->mouse_down)
			return;
		ui->mouse_down = false;
		ui_mouse_drop(ui, ev, ui->grid);
		return;
	default:
		return;
	}
}

static void ui_board_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	static const bool by_mouse = false;
	struct card *sel = ui_selected(ui);
	enum layout_dir dir;
	int a;

	(void)state;
	if (ev->kind == EV_MOUSE) {
		ui_board_mouse(ui, ev);
	} else if (ui_key_dir(ev, &dir)) {
		ui_move_selection(ui, dir);
	} else if (ui_grid_keys(ui, ev)) {
		return;
	} else if (ui_keys_is(ev, KEYMAP_PICK_UP)) {
		ui_screen_open(ui, UI_SCREEN_CARRY, &by_mouse);
	} else if ((a = ui_keys_action(ev)) >= 0 && ui_board_actions[a]) {
		ui_board_actions[a](ui, sel);
	}
}

/* --- Drawing --- */

/* The keys in effect, as ui_keys.h expands them. */
#define UI_BOARD_SELECT "{move-left|move-down|move-up|move-right:1}"
static const struct ui_hint ui_board_hints_pair[] = {
	{ UI_BOARD_SELECT, N_("select") }, { "{pick-up:1}", N_("pick up") },
	{ "{next-grid:1}", N_("grid") },   { "{add:1}", N_("add") },
	{ "{edit:1}", N_("edit") },        { "{delete:1}", N_("delete") },
	{ "{details:1}", N_("info") },     { "{search:1}", N_("search") },
	{ "{undo:1}", N_("undo") },        { "{sieve:1}", N_("sieve") },
	{ "{help:1}", N_("all keys") },    { "{quit:1}", N_("quit") },
	{ NULL, NULL },
};
static const struct ui_hint ui_board_hints_facilitator[] = {
	{ UI_BOARD_SELECT, N_("select") }, { "{pick-up:1}", N_("pick up") },
	{ "{lock:1}", N_("lock") },        { "{decide:1}", N_("decide") },
	{ "{zones:1}", N_("zones") },      { "{next-debated:1}", N_("debated") },
	{ "{sieve:1}", N_("sieve") },      { "{report:1}", N_("report") },
	{ "{frame:1}", N_("frame") },      { "{details:1}", N_("info") },
	{ "{undo:1}", N_("undo") },        { "{help:1}", N_("all keys") },
	{ "{quit:1}", N_("quit") },        { NULL, NULL },
};
/* The board, the terminal's cursor on the selected card's text. */
static bool ui_board_draw_op(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	(void)state;
	if (!ui_board_draw(ui))
		return false;
	ui_card_cursor(ui, ui_selected(ui), cursor);
	return true;
}

static void ui_board_hints(struct ui *ui, void *state, int y, int x)
{
	(void)state;
	ui_draw_hint_table(y, x, ui->facilitator ? ui_board_hints_facilitator : ui_board_hints_pair);
}

const struct ui_screen_ops ui_board_screen = {
	.name = "board",
	.event = ui_board_event,
	.draw = ui_board_draw_op,
	.hints = ui_board_hints,
};
