/*
 * ui_frame.c - the frame editor (F): the board's criteria and grids, edited
 * by the facilitator while the board is live.
 *
 * One screen lists the criteria, then the grids. On a criterion: r renames
 * its poles, e flips which pole is easier to launch, g pairs it with another
 * criterion in a new grid. a adds a criterion. On a grid: + and - change its
 * resolution (the cards keep their relative place, board_resize_grid()),
 * Enter shows it. Every change is an operation (OP_CRITERION, OP_GRID_ADD,
 * OP_GRID_CELLS) made through the session like any other, so the others see
 * it at once.
 *
 * Renaming and flipping a criterion can be undone with u; adding and
 * resizing cannot (the operations have no inverse), which the messages say.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "op.h"
#include "store.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_editor.h"
#include "ui_int.h"
#include "xmalloc.h"

/* What the prompt asks for. */
enum ui_frame_step { FRAME_STEP_ID, FRAME_STEP_LOW, FRAME_STEP_HIGH };

/* The cursor on the criteria then the grids, and what is typed. */
struct ui_frame {
	size_t cur;
	size_t top;               /* first line shown */
	bool pairing;             /* 'g' pressed: choosing the vertical axis */
	char pair_x[BOARD_ID_MAX + 1];
	bool prompting;           /* a criterion's id or poles are typed */
	struct ui_editor editor;
	enum ui_frame_step step;
	bool adding;              /* a new criterion, not a rename */
	char id[BOARD_ID_MAX + 1];
	struct strbuf low;        /* the low pole, typed before the high one */
};

/* Rows of the screen: the criteria, then the grids. */
static size_t ui_frame_rows(const struct ui *ui)
{
	return ui->board->ncriteria + ui->board->ngrids;
}

/* The cursor, kept on a row (others may change the frame meanwhile). */
static size_t ui_frame_cursor(struct ui *ui, struct ui_frame *f)
{
	size_t n = ui_frame_rows(ui);

	if (f->cur >= n)
		f->cur = n ? n - 1 : 0;
	return f->cur;
}

/* The criterion under the cursor, or -1 when it is on a grid. */
static int ui_frame_criterion(struct ui *ui, struct ui_frame *f)
{
	size_t cur = ui_frame_cursor(ui, f);

	return cur < ui->board->ncriteria ? (int)cur : -1;
}

/* The grid under the cursor, or -1 when it is on a criterion. */
static int ui_frame_grid(struct ui *ui, struct ui_frame *f)
{
	size_t cur = ui_frame_cursor(ui, f);

	if (cur < ui->board->ncriteria || cur - ui->board->ncriteria >= ui->board->ngrids)
		return -1;
	return (int)(cur - ui->board->ncriteria);
}

static void ui_frame_init(struct ui *ui, void *state)
{
	struct ui_frame *f = state;

	(void)ui;
	ui_editor_init(&f->editor);
	strbuf_init(&f->low, 0);
}

static void ui_frame_release(void *state)
{
	struct ui_frame *f = state;

	ui_editor_release(&f->editor);
	strbuf_release(&f->low);
}

static bool ui_frame_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_frame *f = state;

	(void)arg;
	if (!ui_facilitator_allowed(ui, _("change the board's frame")))
		return false;
	f->cur = 0;
	f->top = 0;
	f->pairing = false;
	f->prompting = false;
	ui_message(ui, "%s", _("the board's frame: its criteria and grids, changed live for everyone"));
	return true;
}

/* Sets criterion id's poles and easy pole (an existing one, or a new one). */
static int ui_frame_set_criterion(struct ui *ui, const char *id, const char *low,
				  const char *high, enum pole easy)
{
	struct op op;

	ui_op_init(&op, OP_CRITERION, NULL);
	op_set(&op.name, id);
	op_set(&op.text, low);
	op_set(&op.text2, high);
	op.value = (int)easy;
	return ui_apply(ui, &op);
}

static void ui_frame_flip(struct ui *ui, size_t c)
{
	const struct criterion *cr = &ui->board->criteria[c];
	enum pole easy = cr->easy == POLE_LOW ? POLE_HIGH : POLE_LOW;
	char *id = xstrdup(cr->id), *low = xstrdup(cr->low), *high = xstrdup(cr->high);

	if (ui_frame_set_criterion(ui, id, low, high, easy) >= 0)
		ui_message(ui, _("%s: the easier pole is now “%s”; the easiest-to-launch zones follow "
				 "(u undoes)"),
			   id, easy == POLE_LOW ? low : high);
	free(id);
	free(low);
	free(high);
}

/* Starts typing: a new criterion's id, or a criterion's low pole. */
static void ui_frame_prompt(struct ui_frame *f, enum ui_frame_step step, const char *text)
{
	f->step = step;
	ui_editor_set(&f->editor, text);
	f->prompting = true;
}

static void ui_frame_rename(struct ui *ui, struct ui_frame *f, size_t c)
{
	const struct criterion *cr = &ui->board->criteria[c];

	f->adding = false;
	snprintf(f->id, sizeof(f->id), "%s", cr->id);
	ui_frame_prompt(f, FRAME_STEP_LOW, cr->low);
}

static void ui_frame_add(struct ui *ui, struct ui_frame *f)
{
	if (ui->board->ncriteria >= STORE_MAX_CRITERIA) {
		ui_message(ui, _("a board has at most %u criteria"), STORE_MAX_CRITERIA);
		return;
	}
	f->adding = true;
	f->id[0] = '\0';
	ui_frame_prompt(f, FRAME_STEP_ID, "");
}

/* A free id for a grid pairing x and y: "x-y", else "x-y-2"..., else "grid-N". */
static void ui_frame_grid_id(const struct board *b, const char *x, const char *y,
			     char id[BOARD_ID_MAX + 1])
{
	char try[BOARD_ID_MAX + 16];
	size_t n;

	for (n = 1; n < 1000; n++) {
		if (n == 1)
			snprintf(try, sizeof(try), "%s-%s", x, y);
		else
			snprintf(try, sizeof(try), "%s-%s-%zu", x, y, n);
		if (strlen(try) <= BOARD_ID_MAX && board_id_valid(try) &&
		    board_grid_index(b, try) < 0) {
			memcpy(id, try, strlen(try) + 1);
			return;
		}
	}
	for (n = b->ngrids + 1;; n++) {
		snprintf(try, sizeof(try), "grid-%zu", n);
		if (board_grid_index(b, try) < 0) {
			memcpy(id, try, strlen(try) + 1);
			return;
		}
	}
}

/* 'g' on a criterion: it becomes the horizontal axis; the next one chosen, the vertical. */
static void ui_frame_pair(struct ui *ui, struct ui_frame *f, size_t c)
{
	const struct board *b = ui->board;
	char id[BOARD_ID_MAX + 1];
	struct op op;
	int x;

	if (!f->pairing) {
		if (b->ngrids >= STORE_MAX_GRIDS) {
			ui_message(ui, _("a board has at most %u grids"), STORE_MAX_GRIDS);
			return;
		}
		if (b->ncriteria < 2) {
			ui_message(ui, "%s", _("a grid pairs two criteria: add another one first (a)"));
			return;
		}
		f->pairing = true;
		snprintf(f->pair_x, sizeof(f->pair_x), "%s", b->criteria[c].id);
		ui_message(ui, _("new grid: %s across; now choose the criterion up the grid and press "
				 "Enter (Esc cancels)"),
			   b->criteria[c].id);
		return;
	}
	x = board_criterion_index(b, f->pair_x);
	if (x < 0) {
		f->pairing = false;
		ui_message(ui, "%s", _("that criterion is gone: no grid made"));
		return;
	}
	if ((size_t)x == c) {
		ui_message(ui, "%s", _("a grid pairs two different criteria: choose another one"));
		return;
	}
	f->pairing = false;
	ui_frame_grid_id(b, b->criteria[x].id, b->criteria[c].id, id);
	ui_op_init(&op, OP_GRID_ADD, NULL);
	op_set(&op.grid, id);
	op_set(&op.text, b->criteria[x].id);
	op_set(&op.text2, b->criteria[c].id);
	op.value = 3;
	if (ui_apply(ui, &op) >= 0) {
		f->cur = ui->board->ncriteria + ui->board->ngrids - 1;
		ui_message(ui, _("grid %s added, 3×3, every card in its tray: + / - change its "
				 "cells, Enter shows it"),
			   id);
	}
}

static void ui_frame_cells(struct ui *ui, size_t g, int step)
{
	const struct grid *grid = &ui->board->grids[g];
	int cells = grid->cells + step;
	char *id;
	struct op op;

	if (cells < BOARD_MIN_CELLS || cells > BOARD_MAX_CELLS) {
		ui_message(ui, _("a grid has %d to %d cells per axis"), BOARD_MIN_CELLS,
			   BOARD_MAX_CELLS);
		return;
	}
	id = xstrdup(grid->id);
	ui_op_init(&op, OP_GRID_CELLS, NULL);
	op_set(&op.grid, id);
	op.value = cells;
	if (ui_apply(ui, &op) >= 0)
		ui_message(ui, _("%s: %d×%d cells, the cards keep their relative place (not undone "
				 "by u: + / - again)"),
			   id, cells, cells);
	free(id);
}

static void ui_frame_list_event(struct ui *ui, struct ui_frame *f, const struct ui_event *ev)
{
	size_t n = ui_frame_rows(ui), cur = ui_frame_cursor(ui, f);
	int c = ui_frame_criterion(ui, f), g = ui_frame_grid(ui, f);

	if (ui_is_key(ev, KEY_UP) || ui_is_char(ev, L'k')) {
		if (cur > 0)
			f->cur--;
	} else if (ui_is_key(ev, KEY_DOWN) || ui_is_char(ev, L'j')) {
		if (cur + 1 < n)
			f->cur++;
	} else if (ui_is_key(ev, KEY_HOME)) {
		f->cur = 0;
	} else if (ui_is_key(ev, KEY_END)) {
		f->cur = n ? n - 1 : 0;
	} else if (ui_is_key(ev, UI_KEY_ESC) && f->pairing) {
		f->pairing = false;
		ui_message(ui, "%s", _("no grid made"));
	} else if (ui_is_key(ev, UI_KEY_ESC) || ui_is_char(ev, L'F') || ui_is_char(ev, L'q')) {
		f->pairing = false;
		ui_screen_close(ui);
	} else if (ui_is_char(ev, L'a')) {
		f->pairing = false;
		ui_frame_add(ui, f);
	} else if (c >= 0 && (ui_is_char(ev, L'g') || (f->pairing && ui_is_enter(ev)))) {
		ui_frame_pair(ui, f, (size_t)c);
	} else if (c >= 0 && (ui_is_char(ev, L'r') || ui_is_enter(ev))) {
		ui_frame_rename(ui, f, (size_t)c);
	} else if (c >= 0 && ui_is_char(ev, L'e')) {
		ui_frame_flip(ui, (size_t)c);
	} else if (g >= 0 && (ui_is_char(ev, L'+') || ui_is_char(ev, L'='))) {
		ui_frame_cells(ui, (size_t)g, 1);
	} else if (g >= 0 && ui_is_char(ev, L'-')) {
		ui_frame_cells(ui, (size_t)g, -1);
	} else if (g >= 0 && ui_is_enter(ev)) {
		f->pairing = false;
		ui_screen_close(ui);
		ui_switch_grid(ui, (size_t)g);
	} else if (g >= 0 && (ui_is_char(ev, L'r') || ui_is_char(ev, L'e') || ui_is_char(ev, L'g'))) {
		ui_message(ui, "%s", _("on a grid: + / - change its cells, Enter shows it"));
	} else if (c >= 0 && (ui_is_char(ev, L'+') || ui_is_char(ev, L'-'))) {
		ui_message(ui, "%s", _("on a criterion: r renames its poles, e flips the easier one, "
				       "g pairs it in a new grid"));
	}
}

/* A click on a criterion or a grid moves the cursor there. */
static void ui_frame_mouse(struct ui *ui, struct ui_frame *f, const struct ui_event *ev)
{
	const struct board *b = ui->board;
	size_t line;

	if (ev->mouse != MOUSE_PRESS || ev->y < 2 || ev->y >= LINES - 2)
		return;
	/* The lines drawn by ui_frame_draw(): header, criteria, blank, header, grids. */
	line = f->top + (size_t)(ev->y - 2);
	if (line >= 1 && line <= b->ncriteria)
		f->cur = line - 1;
	else if (line >= b->ncriteria + 3 && line < b->ncriteria + 3 + b->ngrids)
		f->cur = line - 3;
}

/* Checks one answer; says why not and returns false when it cannot be taken. */
static bool ui_frame_answer_ok(struct ui *ui, const struct ui_frame *f, const char *s)
{
	if (!*s) {
		ui_message(ui, "%s", f->step == FRAME_STEP_ID ? _("a criterion needs an id")
								     : _("a pole needs a name"));
		return false;
	}
	if (strlen(s) > STORE_MAX_SCALAR || !text_is_safe(s)) {
		ui_message(ui, "%s", _("that name cannot be kept: too long or with control characters"));
		return false;
	}
	if (f->step != FRAME_STEP_ID)
		return true;
	if (!board_id_valid(s)) {
		ui_message(ui, _("an id is 1 to %d letters, digits, '-' or '_' (no spaces, no accents)"),
			   BOARD_ID_MAX);
		return false;
	}
	if (board_criterion_index(ui->board, s) >= 0) {
		ui_message(ui, _("there is already a criterion %s"), s);
		return false;
	}
	return true;
}

static void ui_frame_prompt_event(struct ui *ui, struct ui_frame *f, const struct ui_event *ev)
{
	struct strbuf text = STRBUF_INIT;
	const char *answer;
	int c;

	switch (ui_type(ui, &f->editor, ev)) {
	case EDITOR_CONTINUE:
		return;
	case EDITOR_CANCEL:
		f->prompting = false;
		ui_message(ui, "%s", f->adding ? _("no criterion added")
						      : _("criterion not changed"));
		return;
	case EDITOR_DONE:
		break;
	}
	ui_editor_text(&f->editor, &text);
	answer = text_trim(&text);
	if (!ui_frame_answer_ok(ui, f, answer)) {
		strbuf_release(&text);
		return; /* stay in the prompt, the message says why */
	}
	c = f->adding ? -1 : board_criterion_index(ui->board, f->id);
	if (!f->adding && c < 0) {
		f->prompting = false;
		ui_message(ui, "%s", _("this criterion is gone"));
		strbuf_release(&text);
		return;
	}
	switch (f->step) {
	case FRAME_STEP_ID:
		snprintf(f->id, sizeof(f->id), "%s", answer);
		ui_frame_prompt(f, FRAME_STEP_LOW, "");
		break;
	case FRAME_STEP_LOW:
		strbuf_reset(&f->low);
		strbuf_addstr(&f->low, answer);
		ui_frame_prompt(f, FRAME_STEP_HIGH, c >= 0 ? ui->board->criteria[c].high : "");
		break;
	case FRAME_STEP_HIGH: {
		enum pole easy = c >= 0 ? ui->board->criteria[c].easy : POLE_LOW;
		bool adding = f->adding;

		f->prompting = false;
		if (adding && board_criterion_index(ui->board, f->id) >= 0) {
			ui_message(ui, _("someone added a criterion %s meanwhile: not changed"),
				   f->id);
			break;
		}
		if (ui_frame_set_criterion(ui, f->id, f->low.buf, answer, easy) < 0)
			break;
		if (adding) {
			f->cur = (size_t)board_criterion_index(ui->board, f->id);
			ui_message(ui, _("criterion %s added, its low pole easier (e flips it); g pairs it "
					 "in a new grid"),
				   f->id);
		} else {
			ui_message(ui, _("%s renamed (u undoes)"), f->id);
		}
		break;
	}
	}
	strbuf_release(&text);
}

/* --- Drawing --- */

/* Draws s at (y, x) in at most w columns; returns the columns used. */
static int ui_frame_put(int y, int x, int w, const char *s, attr_t attr)
{
	return w > 0 ? ui_draw_put(y, x, w, s, attr) : 0;
}

static void ui_frame_draw_criterion(struct ui *ui, const struct ui_frame *f, int y, size_t c,
				    int idw, bool cur)
{
	const struct criterion *cr = &ui->board->criteria[c];
	attr_t base = cur ? ui_color_attr(ROLE_SELECTED) : ui_color_attr(ROLE_NORMAL);
	attr_t easy = base | ui_color_attr(ROLE_POLE_EASY);
	bool axis = f->pairing && !strcmp(f->pair_x, cr->id);
	int x;

	ui_draw_put_pad(y, 0, COLS, "", base);
	ui_frame_put(y, 0, 2, axis ? "→" : cur ? "▸" : "", base);
	ui_frame_put(y, 2, idw, cr->id, base);
	x = 2 + idw + 2;
	if (cr->easy == POLE_LOW)
		x += ui_frame_put(y, x, COLS - x, "★ ", easy);
	x += ui_frame_put(y, x, COLS - x, cr->low, cr->easy == POLE_LOW ? easy : base);
	x += ui_frame_put(y, x, COLS - x, "  ↔  ", base);
	if (cr->easy == POLE_HIGH)
		x += ui_frame_put(y, x, COLS - x, "★ ", easy);
	ui_frame_put(y, x, COLS - x, cr->high, cr->easy == POLE_HIGH ? easy : base);
}

static void ui_frame_draw_grid(struct ui *ui, int y, size_t g, int idw, bool cur)
{
	const struct board *b = ui->board;
	const struct grid *grid = &b->grids[g];
	attr_t base = cur ? ui_color_attr(ROLE_SELECTED) : ui_color_attr(ROLE_NORMAL);
	struct strbuf sb = STRBUF_INIT;
	size_t placed = 0, i;
	int x;

	for (i = 0; i < b->ncards; i++)
		placed += card_is_placed(b->cards[i], g);
	ui_draw_put_pad(y, 0, COLS, "", base);
	ui_frame_put(y, 0, 2, cur ? "▸" : "", base);
	ui_frame_put(y, 2, idw, grid->id, base);
	x = 2 + idw + 2;
	strbuf_addf(&sb, _("%s across × %s up"), b->criteria[grid->x].id, b->criteria[grid->y].id);
	x += ui_frame_put(y, x, COLS - x, sb.buf, base);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "   %d×%d   ", grid->cells, grid->cells);
	strbuf_addf(&sb, ngettext("%zu card placed", "%zu cards placed", placed), placed);
	if (grid->nzones)
		strbuf_addf(&sb, ngettext(", %zu zone", ", %zu zones", grid->nzones), grid->nzones);
	if (g == ui->grid)
		strbuf_addf(&sb, "   %s", _("(shown)"));
	ui_frame_put(y, x, COLS - x, sb.buf, base);
	strbuf_release(&sb);
}

static void ui_frame_draw_lines(struct ui *ui, struct ui_frame *f, struct ui_cursor *cursor)
{
	const struct board *b = ui->board;
	struct strbuf sb = STRBUF_INIT;
	size_t cur = ui_frame_cursor(ui, f), i, row, visible, nlines;
	int idw = 6, y, w;

	if (COLS < LAYOUT_MIN_COLS || LINES < 8) {
		ui_draw_put(LINES / 2, 0, COLS, _("terminal too small"), ui_color_attr(ROLE_POLE));
		return;
	}
	for (i = 0; i < b->ncriteria; i++)
		if ((w = text_width(b->criteria[i].id)) > idw)
			idw = w;
	for (i = 0; i < b->ngrids; i++)
		if ((w = text_width(b->grids[i].id)) > idw)
			idw = w;
	if (idw > COLS / 3)
		idw = COLS / 3;

	strbuf_addstr(&sb, _(" The board's frame: "));
	strbuf_addf(&sb, ngettext("%zu criterion", "%zu criteria", b->ncriteria), b->ncriteria);
	strbuf_addstr(&sb, ", ");
	strbuf_addf(&sb, ngettext("%zu grid", "%zu grids", b->ngrids), b->ngrids);
	ui_draw_put_pad(0, 0, COLS, sb.buf, ui_color_attr(ROLE_TAB_ACTIVE));

	/*
	 * Lines: "Criteria" header, the criteria, a blank, "Grids" header, the
	 * grids. Scrolled so that the cursor's line shows.
	 */
	nlines = b->ncriteria + b->ngrids + 3;
	visible = (size_t)(LINES - 4);
	row = cur < b->ncriteria ? cur + 1 : cur + 3;
	if (row < f->top)
		f->top = row ? row - 1 : 0;
	if (row >= f->top + visible)
		f->top = row - visible + 1;
	if (f->top + visible > nlines)
		f->top = nlines > visible ? nlines - visible : 0;
	for (i = f->top, y = 2; i < nlines && y < LINES - 2; i++, y++) {
		if (i == 0) {
			ui_draw_put_pad(y, 0, COLS, "", ui_color_attr(ROLE_POLE));
			ui_frame_put(y, 2, COLS - 2,
				     _("Criteria: low pole ↔ high pole, ★ the easier one to launch"),
				     ui_color_attr(ROLE_POLE));
		} else if (i <= b->ncriteria) {
			ui_frame_draw_criterion(ui, f, y, i - 1, idw, cur == i - 1);
			if (cur == i - 1)
				*cursor = (struct ui_cursor){ 2, y };
		} else if (i == b->ncriteria + 2) {
			ui_draw_put_pad(y, 0, COLS, "", ui_color_attr(ROLE_POLE));
			ui_frame_put(y, 2, COLS - 2, _("Grids: criterion across × criterion up, cells"),
				     ui_color_attr(ROLE_POLE));
		} else if (i > b->ncriteria + 2) {
			size_t g = i - b->ncriteria - 3;

			ui_frame_draw_grid(ui, y, g, idw, cur == b->ncriteria + g);
			if (cur == b->ncriteria + g)
				*cursor = (struct ui_cursor){ 2, y };
		}
	}
	ui_draw_status(ui, LINES - 2);
	ui_draw_hints_line(ui, LINES - 1);
	strbuf_release(&sb);
}

/* The prompt's lines above the field, and its title, for the step being typed. */
static void ui_frame_prompt_lines(const struct ui_frame *f, struct strbuf *title,
				  const char **above, int *nabove)
{
	strbuf_reset(title);
	if (f->adding)
		strbuf_addstr(title, _("New criterion"));
	else
		strbuf_addf(title, _("Criterion %s"), f->id);
	*nabove = 1;
	switch (f->step) {
	case FRAME_STEP_ID:
		above[0] = _("Its id, used in the file and by the CLI (letters, digits, - or _):");
		break;
	case FRAME_STEP_LOW:
		above[0] = _("Its low pole, at cell 1 of its axis (e.g. “Exceptionnel”):");
		break;
	case FRAME_STEP_HIGH:
		above[0] = _("Its high pole, at the last cell of its axis (e.g. “Fréquent”):");
		break;
	}
}

static void ui_frame_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_frame *f = state;

	if (ev->kind == EV_MOUSE) {
		if (!f->prompting)
			ui_frame_mouse(ui, f, ev);
	} else if (f->prompting) {
		ui_frame_prompt_event(ui, f, ev);
	} else {
		ui_frame_list_event(ui, f, ev);
	}
}

/* The whole terminal, and the prompt over it while a criterion is typed. */
static bool ui_frame_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_frame *f = state;
	struct strbuf title = STRBUF_INIT;
	const char *above[2];
	int nabove;

	ui_frame_draw_lines(ui, f, cursor);
	if (f->prompting) {
		ui_frame_prompt_lines(f, &title, above, &nabove);
		ui_draw_prompt(&ui->layout, &f->editor, title.buf, above, nabove,
			       _("Enter: next   Esc: cancel"), cursor);
	}
	strbuf_release(&title);
	return true;
}

static const struct ui_hint ui_frame_keys[] = {
	{ "↑↓", N_("choose") }, { "a", N_("add a criterion") }, { "r", N_("rename poles") },
	{ "e", N_("flip the easier pole") }, { "g", N_("new grid") }, { "+ -", N_("cells") },
	{ "Enter", N_("show the grid") }, { "Esc", N_("back") }, { NULL, NULL },
};

static void ui_frame_hints(struct ui *ui, void *state, int y, int x)
{
	struct ui_frame *f = state;

	(void)ui;
	ui_draw_hint_table(y, x, f->prompting ? ui_draw_prompt_hints : ui_frame_keys);
}

static unsigned ui_frame_step_flags(const struct ui *ui, const void *state)
{
	const struct ui_frame *f = state;

	(void)ui;
	return UI_SCREEN_SMALL_OK | (f->prompting ? UI_SCREEN_TEXT : 0);
}

const struct ui_screen_ops ui_frame_screen = {
	.name = "frame",
	.state_size = sizeof(struct ui_frame),
	.init = ui_frame_init,
	.release = ui_frame_release,
	.open = ui_frame_open,
	.event = ui_frame_event,
	.draw = ui_frame_draw,
	.hints = ui_frame_hints,
	.step_flags = ui_frame_step_flags,
};
