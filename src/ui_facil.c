/*
 * ui_facil.c - the facilitator's keys on the terminal board (locking a
 * card, deciding with a rationale, drawing zones on a grid), and the keys
 * that serve the whole session: the next debated card, "my cards", the
 * report written next to the board.
 *
 * Whoever is not the facilitator is told why a facilitator's key does
 * nothing; the check is only a workflow guard (the operations themselves
 * carry the right, op_needs_facilitator()).
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
#include "op.h"
#include "report.h"
#include "text.h"
#include "timeutil.h"
#include "ui_int.h"
#include "undo.h"
#include "xmalloc.h"

const char *ui_facil_badge(enum decision d)
{
	switch (d) {
	case DECISION_V1: return "V1";
	case DECISION_V2: return "V2";
	case DECISION_ELSEWHERE: return "→";
	default: return "";
	}
}

const char *ui_facil_decision(enum decision d)
{
	switch (d) {
	case DECISION_V1: return _("V1");
	case DECISION_V2: return _("V2");
	case DECISION_ELSEWHERE: return _("elsewhere");
	default: return _("undecided");
	}
}

bool ui_facil_allowed(struct ui *ui, const char *what)
{
	if (ui->facilitator)
		return true;
	if (ui->opt && ui->opt->facilitator)
		ui_message(ui, _("only the facilitator may %s, and your account is not among "
				 "this board's facilitators"),
			   what);
	else
		ui_message(ui, _("only the facilitator may %s (tamis --facilitator FILE)"), what);
	return false;
}

const char *ui_facil_trim(struct strbuf *sb)
{
	size_t start, end;

	for (start = 0; sb->buf[start] == ' '; start++)
		;
	for (end = sb->len; end > start && sb->buf[end - 1] == ' '; end--)
		;
	strbuf_setlen(sb, end);
	return sb->buf + start;
}

/* --- Locks and decisions --- */

void ui_facil_lock(struct ui *ui, const uuid_t id)
{
	struct card *card = board_find_card(ui->board, id);
	struct op op;
	bool lock;

	if (!card || !ui_facil_allowed(ui, _("lock cards")))
		return;
	lock = !card->locked;
	ui_op_init(&op, OP_LOCK, card);
	op.value = lock;
	if (ui_apply(ui, &op) < 0)
		return;
	ui_message(ui, "%s",
		   lock ? _("locked: pairs can no longer move or delete it (L unlocks)")
			: _("unlocked: pairs can move it again"));
}

void ui_facil_decide(struct ui *ui, const uuid_t id, enum ui_mode back)
{
	struct card *card = board_find_card(ui->board, id);

	if (!card || !ui_facil_allowed(ui, _("decide")))
		return;
	ui->decide_to = (enum decision)((card->decision + 1) % DECISION_COUNT);
	memcpy(ui->decide_card, id, sizeof(uuid_t));
	ui->prompt_back = back;
	ui_editor_set(&ui->prompt, "");
	ui->mode = MODE_RATIONALE;
}

void ui_facil_rationale_event(struct ui *ui, const struct ui_event *ev)
{
	struct strbuf text = STRBUF_INIT;
	const char *why;
	struct card *card;
	struct op op;

	/* Tab goes on through the cycle without leaving the prompt. */
	if (ui_is_key(ev, UI_KEY_TAB) || ui_is_key(ev, KEY_BTAB)) {
		int step = ui_is_key(ev, UI_KEY_TAB) ? 1 : DECISION_COUNT - 1;

		ui->decide_to = (enum decision)((ui->decide_to + step) % DECISION_COUNT);
		return;
	}
	switch (ui_editor_event(&ui->prompt, ev)) {
	case EDITOR_CONTINUE:
		return;
	case EDITOR_CANCEL:
		ui->mode = ui->prompt_back;
		ui_message(ui, "%s", _("decision not changed"));
		return;
	case EDITOR_DONE:
		break;
	}
	ui->mode = ui->prompt_back;
	card = board_find_card(ui->board, ui->decide_card);
	if (!card) {
		ui_message(ui, "%s", _("this card was deleted by someone else"));
		return;
	}
	if (card->decision == ui->decide_to) {
		ui_message(ui, _("already decided: %s"), ui_facil_decision(ui->decide_to));
		return;
	}
	ui_editor_text(&ui->prompt, &text);
	why = ui_facil_trim(&text);
	ui_op_init(&op, OP_DECIDE, card);
	op.value = (int)ui->decide_to;
	op_set(&op.text, *why ? why : NULL);
	if (ui_apply(ui, &op) >= 0)
		ui_message(ui, *why ? _("decided: %s, with its rationale (the report keeps both)")
				    : _("decided: %s"),
			   ui_facil_decision(ui->decide_to));
	strbuf_release(&text);
}

/* --- Debated cards, my cards, the report --- */

/* The placed cards of grid g in reading order (rows top to bottom); caller frees. */
static size_t ui_facil_grid_order(const struct board *b, size_t g, struct card ***out)
{
	struct layout_view v;
	struct card **list = xcalloc(b->ncards ? b->ncards : 1, sizeof(*list)), **c;
	size_t n = 0, k, m;
	int x, y;

	memset(&v, 0, sizeof(v));
	layout_view_build(&v, b, g);
	for (y = v.cells; y >= 1; y--) {
		for (x = 1; x <= v.cells; x++) {
			c = layout_view_list(&v, x, y, &m);
			for (k = 0; k < m; k++)
				list[n++] = c[k];
		}
	}
	layout_view_release(&v);
	*out = list;
	return n;
}

void ui_facil_next_debated(struct ui *ui)
{
	struct board *b = ui->board;
	struct card *sel = ui_selected(ui), *found = NULL;
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
		n = ui_facil_grid_order(b, g, &list);
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
	ui_message(ui, _("debated (%zu on the board): moved back and forth or by several people; "
			 "i shows its moves"),
		   total);
}

void ui_facil_toggle_mine(struct ui *ui)
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
	ui_message(ui, _("my cards: %zu dealt to or written by %s; the others are dimmed (m again: all)"),
		   n, ui->by);
}

/*
 * "BOARD-report-YYYY-MM-DD-HHMM.md" next to the board file, for the local time
 * when; from the second try on, "-2", "-3"... before ".md".
 */
static void ui_facil_report_path(const char *path, time_t when, unsigned n, struct strbuf *out)
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
void ui_facil_report(struct ui *ui)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, path = STRBUF_INIT;
	time_t now = clock_now();
	unsigned n;
	int r = -1;

	report_format(ui->board, REPORT_MARKDOWN, now, &out);
	for (n = 1; n <= UI_REPORT_TRIES; n++) {
		strbuf_reset(&path);
		strbuf_reset(&err);
		ui_facil_report_path(ui->path, now, n, &path);
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

/* --- Zones --- */

bool ui_facil_zone_chosen(const struct ui *ui, int x, int y)
{
	if (x < 1 || y < 1 || x > BOARD_MAX_CELLS || y > BOARD_MAX_CELLS)
		return false;
	return ui->zone_sel[y - 1] >> (x - 1) & 1;
}

/* The cells the zone keys act on: those chosen, else the cursor's. */
static int ui_facil_zone_cells(struct ui *ui, struct cell *cells)
{
	int n = 0, x, y, size = ui->board->grids[ui->grid].cells;

	for (y = size; y >= 1; y--)
		for (x = 1; x <= size; x++)
			if (ui_facil_zone_chosen(ui, x, y))
				cells[n++] = (struct cell){ (unsigned char)x, (unsigned char)y };
	if (!n)
		cells[n++] = (struct cell){ (unsigned char)ui->zone_x, (unsigned char)ui->zone_y };
	return n;
}

void ui_facil_zone_start(struct ui *ui)
{
	struct card *sel = ui_selected(ui);
	int n;

	if (!ui_facil_allowed(ui, _("draw zones")))
		return;
	if (!ui->board->ngrids) {
		ui_message(ui, "%s", _("this board has no grid to draw zones on"));
		return;
	}
	n = ui->board->grids[ui->grid].cells;
	if (sel && card_is_placed(sel, ui->grid)) {
		ui->zone_x = sel->place[ui->grid].x;
		ui->zone_y = sel->place[ui->grid].y;
	} else {
		ui->zone_x = 1;
		ui->zone_y = n;
	}
	memset(ui->zone_sel, 0, sizeof(ui->zone_sel));
	ui->mode = MODE_ZONE;
}

/* Makes grid's zone z the easiest-to-launch zone, or no longer. */
static void ui_facil_zone_easy(struct ui *ui)
{
	const struct grid *grid = &ui->board->grids[ui->grid];
	int z = grid_zone_at(grid, ui->zone_x, ui->zone_y);
	struct op op;
	char *name;
	bool easy;

	if (z < 0) {
		ui_message(ui, "%s", _("this cell is in no zone: Enter puts it in one first"));
		return;
	}
	easy = !grid->zones[z].easy;
	name = xstrdup(grid->zones[z].name);
	ui_op_init(&op, OP_ZONE_ADD, NULL);
	op_set(&op.grid, grid->id);
	op_set(&op.name, name);
	op.value = (int)grid->zones[z].color;
	op.x = easy;
	if (ui_apply(ui, &op) >= 0)
		ui_message(ui, easy ? _("zone '%s' is now the easiest to launch (★)")
				    : _("zone '%s' is no longer the easiest to launch"),
			   name);
	free(name);
}

/* Takes the cells out of their zones; a zone left empty goes too. */
static void ui_facil_zone_clear(struct ui *ui)
{
	struct cell cells[BOARD_MAX_CELLS * BOARD_MAX_CELLS];
	int n = ui_facil_zone_cells(ui, cells), i, done = 0;
	char *grid_id = xstrdup(ui->board->grids[ui->grid].id);
	size_t z;

	undo_begin(&ui->undo);
	for (i = 0; i < n; i++) {
		struct op op;

		if (grid_zone_at(&ui->board->grids[ui->grid], cells[i].x, cells[i].y) < 0)
			continue;
		ui_op_init(&op, OP_ZONE_CELL, NULL);
		op_set(&op.grid, grid_id);
		op.x = cells[i].x;
		op.y = cells[i].y;
		if (ui_apply(ui, &op) >= 0)
			done++;
	}
	for (z = ui->board->grids[ui->grid].nzones; done && z-- > 0;) {
		const struct zone *zone;
		struct op op;
		int y, any = 0;

		if (z >= ui->board->grids[ui->grid].nzones)
			continue;
		zone = &ui->board->grids[ui->grid].zones[z];
		for (y = 0; y < BOARD_MAX_CELLS; y++)
			any |= zone->rows[y];
		if (any)
			continue;
		ui_op_init(&op, OP_ZONE_DEL, NULL);
		op_set(&op.grid, grid_id);
		op_set(&op.name, zone->name);
		ui_apply(ui, &op);
	}
	undo_end(&ui->undo);
	free(grid_id);
	memset(ui->zone_sel, 0, sizeof(ui->zone_sel));
	if (done)
		ui_message(ui, _("%d cells taken out of their zone"), done);
	else
		ui_message(ui, "%s", _("these cells are in no zone"));
}

void ui_facil_zone_event(struct ui *ui, const struct ui_event *ev)
{
	int n = ui->board->ngrids ? ui->board->grids[ui->grid].cells : 0;
	enum layout_dir dir;

	if (!n) {
		ui->mode = MODE_NORMAL;
		return;
	}
	/* The facilitator's own frame may change under the cursor (another instance). */
	if (ui->zone_x > n)
		ui->zone_x = n;
	if (ui->zone_y > n)
		ui->zone_y = n;
	/* Space chooses (before ui_is_enter(), which takes it for Enter). */
	if (ui_is_char(ev, L' ')) {
		ui->zone_sel[ui->zone_y - 1] ^= (uint16_t)(1u << (ui->zone_x - 1));
		return;
	}
	if (ui_key_dir(ev, &dir)) {
		switch (dir) {
		case DIR_LEFT: if (ui->zone_x > 1) ui->zone_x--; break;
		case DIR_RIGHT: if (ui->zone_x < n) ui->zone_x++; break;
		case DIR_UP: if (ui->zone_y < n) ui->zone_y++; break;
		case DIR_DOWN: if (ui->zone_y > 1) ui->zone_y--; break;
		}
		return;
	}
	if (ui_is_enter(ev)) {
		ui_editor_set(&ui->prompt, "");
		ui->mode = MODE_ZONE_NAME;
		return;
	}
	if (ui_is_key(ev, UI_KEY_ESC) || ui_is_char(ev, L'z') || ui_is_char(ev, L'q')) {
		memset(ui->zone_sel, 0, sizeof(ui->zone_sel));
		ui->mode = MODE_NORMAL;
		return;
	}
	if (ui_is_char(ev, L'e'))
		ui_facil_zone_easy(ui);
	else if (ui_is_char(ev, L'x'))
		ui_facil_zone_clear(ui);
}

/* Puts the cells in zone 'name' (which exists on the current grid). */
static void ui_facil_zone_assign(struct ui *ui, const char *name)
{
	struct cell cells[BOARD_MAX_CELLS * BOARD_MAX_CELLS];
	int n = ui_facil_zone_cells(ui, cells), i, done = 0;
	char *grid_id = xstrdup(ui->board->grids[ui->grid].id);

	undo_begin(&ui->undo);
	for (i = 0; i < n; i++) {
		struct op op;

		ui_op_init(&op, OP_ZONE_CELL, NULL);
		op_set(&op.grid, grid_id);
		op_set(&op.name, name);
		op.x = cells[i].x;
		op.y = cells[i].y;
		if (ui_apply(ui, &op) < 0)
			break;
		done++;
	}
	undo_end(&ui->undo);
	free(grid_id);
	memset(ui->zone_sel, 0, sizeof(ui->zone_sel));
	if (done == n)
		ui_message(ui, _("%d cells in zone '%s'"), done, name);
}

void ui_facil_zone_name_event(struct ui *ui, const struct ui_event *ev)
{
	struct strbuf text = STRBUF_INIT;
	const struct grid *grid;
	const char *name;
	size_t z;
	bool used[HUE_COUNT];

	switch (ui_editor_event(&ui->prompt, ev)) {
	case EDITOR_CONTINUE:
		return;
	case EDITOR_CANCEL:
		ui->mode = MODE_ZONE;
		return;
	case EDITOR_DONE:
		break;
	}
	ui->mode = MODE_ZONE;
	ui_editor_text(&ui->prompt, &text);
	name = ui_facil_trim(&text);
	grid = &ui->board->grids[ui->grid];
	if (!*name) {
		ui_message(ui, "%s", _("a zone needs a name"));
	} else if (grid_zone_index(grid, name) >= 0) {
		ui_facil_zone_assign(ui, name);
	} else if (grid->nzones >= GRID_MAX_ZONES) {
		ui_message(ui, _("a grid has at most %d zones"), GRID_MAX_ZONES);
	} else {
		/* A new zone: its colour first, the next one no zone uses. */
		strbuf_reset(&ui->zone_name);
		strbuf_addstr(&ui->zone_name, name);
		memset(used, 0, sizeof(used));
		for (z = 0; z < grid->nzones; z++)
			used[grid->zones[z].color] = true;
		ui->color_cursor = HUE_GREEN;
		for (z = 0; z < HUE_COUNT; z++) {
			size_t h = (HUE_GREEN + z) % HUE_COUNT;

			if (!used[h] && h != HUE_BLACK) {
				ui->color_cursor = h;
				break;
			}
		}
		ui->mode = MODE_ZONE_COLOR;
	}
	strbuf_release(&text);
}

void ui_facil_zone_color_event(struct ui *ui, const struct ui_event *ev)
{
	struct op op;
	char *grid_id;

	if (ui_is_key(ev, KEY_UP) || ui_is_char(ev, L'k') || ui_is_key(ev, KEY_BTAB)) {
		ui->color_cursor = (ui->color_cursor + HUE_COUNT - 1) % HUE_COUNT;
		return;
	}
	if (ui_is_key(ev, KEY_DOWN) || ui_is_char(ev, L'j') || ui_is_key(ev, UI_KEY_TAB)) {
		ui->color_cursor = (ui->color_cursor + 1) % HUE_COUNT;
		return;
	}
	if (ui_is_key(ev, UI_KEY_ESC)) {
		ui->mode = MODE_ZONE;
		ui_message(ui, "%s", _("zone not made"));
		return;
	}
	if (!ui_is_enter(ev))
		return;
	ui->mode = MODE_ZONE;
	grid_id = xstrdup(ui->board->grids[ui->grid].id);
	undo_begin(&ui->undo);
	ui_op_init(&op, OP_ZONE_ADD, NULL);
	op_set(&op.grid, grid_id);
	op_set(&op.name, ui->zone_name.buf);
	op.value = (int)ui->color_cursor;
	if (ui_apply(ui, &op) >= 0)
		ui_facil_zone_assign(ui, ui->zone_name.buf);
	undo_end(&ui->undo);
	free(grid_id);
}
