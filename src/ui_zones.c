/*
 * ui_zones.c - the facilitator's zones of the current grid (z): a cell
 * cursor (heavy frame) moves with the arrows; Space chooses cells (✓),
 * Enter asks the zone's name for the chosen cells (or the cursor's): an
 * existing zone's name adds them to it, a new name then asks its colour and
 * makes the zone; e makes the zone under the cursor the easiest to launch
 * (again: no longer); x takes the cells out of their zone (a zone left empty
 * goes). A zone with its cells is one step for undo.
 */
#include <curses.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "layout.h"
#include "op.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_editor.h"
#include "ui_int.h"
#include "undo.h"
#include "xmalloc.h"

enum ui_zones_step {
	ZONES_CELLS,  /* choosing cells */
	ZONES_NAMING, /* typing the name of their zone */
	ZONES_COLOUR, /* choosing a new zone's colour */
};

struct ui_zones {
	enum ui_zones_step step;
	int x, y;                           /* the cursor's cell */
	uint16_t chosen[BOARD_MAX_CELLS];   /* bit x-1 of [y-1]: cell (x, y) */
	struct ui_editor editor;            /* the zone's name */
	struct strbuf name;                 /* a new zone's name, while its colour is chosen */
	size_t colour;
};

static bool ui_zones_chosen(const struct ui_zones *z, int x, int y)
{
	if (x < 1 || y < 1 || x > BOARD_MAX_CELLS || y > BOARD_MAX_CELLS)
		return false;
	return z->chosen[y - 1] >> (x - 1) & 1;
}

/* The cells the zone keys act on: those chosen, else the cursor's. */
static int ui_zones_cells(struct ui *ui, const struct ui_zones *z, struct cell *cells)
{
	int n = 0, x, y, size = ui->board->grids[ui->grid].cells;

	for (y = size; y >= 1; y--)
		for (x = 1; x <= size; x++)
			if (ui_zones_chosen(z, x, y))
				cells[n++] = (struct cell){ (unsigned char)x, (unsigned char)y };
	if (!n)
		cells[n++] = (struct cell){ (unsigned char)z->x, (unsigned char)z->y };
	return n;
}

/* Makes the zone under the cursor the easiest-to-launch zone, or no longer. */
static void ui_zones_easy(struct ui *ui, struct ui_zones *z)
{
	const struct grid *grid = &ui->board->grids[ui->grid];
	int k = grid_zone_at(grid, z->x, z->y);
	struct op op;
	char *name;
	bool easy;

	if (k < 0) {
		ui_message(ui, "%s", _("this cell is in no zone: Enter puts it in one first"));
		return;
	}
	easy = !grid->zones[k].easy;
	name = xstrdup(grid->zones[k].name);
	ui_op_init(&op, OP_ZONE_ADD, NULL);
	op_set(&op.grid, grid->id);
	op_set(&op.name, name);
	op.value = (int)grid->zones[k].color;
	op.x = easy;
	if (ui_apply(ui, &op) >= 0)
		ui_message(ui, easy ? _("zone '%s' is now the easiest to launch (★)")
				    : _("zone '%s' is no longer the easiest to launch"),
			   name);
	free(name);
}

/* Takes the cells out of their zones; a zone left empty goes too. */
static void ui_zones_clear(struct ui *ui, struct ui_zones *z)
{
	struct cell cells[BOARD_MAX_CELLS * BOARD_MAX_CELLS];
	int n = ui_zones_cells(ui, z, cells), i, done = 0;
	char *grid_id = xstrdup(ui->board->grids[ui->grid].id);
	size_t k;

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
	for (k = ui->board->grids[ui->grid].nzones; done && k-- > 0;) {
		const struct zone *zone;
		struct op op;
		int y, any = 0;

		if (k >= ui->board->grids[ui->grid].nzones)
			continue;
		zone = &ui->board->grids[ui->grid].zones[k];
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
	memset(z->chosen, 0, sizeof(z->chosen));
	if (done)
		ui_message(ui,
			   ngettext("%d cell taken out of its zone", "%d cells taken out of their zone",
				    (unsigned long)done),
			   done);
	else
		ui_message(ui, "%s", _("these cells are in no zone"));
}

/* Puts the cells in zone 'name' (which exists on the current grid). */
static void ui_zones_assign(struct ui *ui, struct ui_zones *z, const char *name)
{
	struct cell cells[BOARD_MAX_CELLS * BOARD_MAX_CELLS];
	int n = ui_zones_cells(ui, z, cells), i, done = 0;
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
	memset(z->chosen, 0, sizeof(z->chosen));
	if (done == n)
		ui_message(ui, ngettext("%d cell in zone '%s'", "%d cells in zone '%s'", (unsigned long)done),
			   done, name);
}

static void ui_zones_init(struct ui *ui, void *state)
{
	struct ui_zones *z = state;

	(void)ui;
	ui_editor_init(&z->editor);
	strbuf_init(&z->name, 0);
	z->x = z->y = 1;
}

static void ui_zones_release(void *state)
{
	struct ui_zones *z = state;

	ui_editor_release(&z->editor);
	strbuf_release(&z->name);
}

/* The cursor starts on the selected card's cell, else the top left one. */
static bool ui_zones_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_zones *z = state;
	struct card *sel = ui_selected(ui);
	int n;

	(void)arg;
	if (!ui_facilitator_allowed(ui, _("draw zones")))
		return false;
	if (!ui->board->ngrids) {
		ui_message(ui, "%s", _("this board has no grid to draw zones on"));
		return false;
	}
	n = ui->board->grids[ui->grid].cells;
	if (sel && card_is_placed(sel, ui->grid)) {
		z->x = sel->place[ui->grid].x;
		z->y = sel->place[ui->grid].y;
	} else {
		z->x = 1;
		z->y = n;
	}
	memset(z->chosen, 0, sizeof(z->chosen));
	z->step = ZONES_CELLS;
	return true;
}

static void ui_zones_close(struct ui *ui, void *state)
{
	struct ui_zones *z = state;

	(void)ui;
	memset(z->chosen, 0, sizeof(z->chosen));
}

static void ui_zones_cells_event(struct ui *ui, struct ui_zones *z, const struct ui_event *ev)
{
	int n = ui->board->ngrids ? ui->board->grids[ui->grid].cells : 0;
	enum layout_dir dir;

	if (!n) {
		ui_screen_close(ui);
		return;
	}
	/* The facilitator's own frame may change under the cursor (another instance). */
	if (z->x > n)
		z->x = n;
	if (z->y > n)
		z->y = n;
	/* Space chooses (before ui_is_enter(), which takes it for Enter). */
	if (ui_is_char(ev, L' ')) {
		z->chosen[z->y - 1] ^= (uint16_t)(1u << (z->x - 1));
	} else if (ui_key_dir(ev, &dir)) {
		switch (dir) {
		case DIR_LEFT: if (z->x > 1) z->x--; break;
		case DIR_RIGHT: if (z->x < n) z->x++; break;
		case DIR_UP: if (z->y < n) z->y++; break;
		case DIR_DOWN: if (z->y > 1) z->y--; break;
		}
	} else if (ui_is_enter(ev)) {
		ui_editor_set(&z->editor, "");
		z->step = ZONES_NAMING;
	} else if (ui_is_key(ev, UI_KEY_ESC) || ui_is_char(ev, L'z') || ui_is_char(ev, L'q')) {
		ui_screen_close(ui);
	} else if (ui_is_char(ev, L'e')) {
		ui_zones_easy(ui, z);
	} else if (ui_is_char(ev, L'x')) {
		ui_zones_clear(ui, z);
	}
}

/* A new zone's colour: the next one no zone of the grid uses, from green. */
static size_t ui_zones_free_colour(const struct grid *grid)
{
	bool used[HUE_COUNT];
	size_t k;

	memset(used, 0, sizeof(used));
	for (k = 0; k < grid->nzones; k++)
		used[grid->zones[k].color] = true;
	for (k = 0; k < HUE_COUNT; k++) {
		size_t h = (HUE_GREEN + k) % HUE_COUNT;

		if (!used[h] && h != HUE_BLACK)
			return h;
	}
	return HUE_GREEN;
}

/* The zone's name: an existing zone takes the cells, a new one asks its colour. */
static void ui_zones_name_event(struct ui *ui, struct ui_zones *z, const struct ui_event *ev)
{
	struct strbuf text = STRBUF_INIT;
	const struct grid *grid;
	const char *name;

	switch (ui_type(ui, &z->editor, ev)) {
	case EDITOR_CONTINUE:
		return;
	case EDITOR_CANCEL:
		z->step = ZONES_CELLS;
		return;
	case EDITOR_DONE:
		break;
	}
	z->step = ZONES_CELLS;
	ui_editor_text(&z->editor, &text);
	name = text_trim(&text);
	grid = &ui->board->grids[ui->grid];
	if (!*name) {
		ui_message(ui, "%s", _("a zone needs a name"));
	} else if (grid_zone_index(grid, name) >= 0) {
		ui_zones_assign(ui, z, name);
	} else if (grid->nzones >= GRID_MAX_ZONES) {
		ui_message(ui, _("a grid has at most %d zones"), GRID_MAX_ZONES);
	} else {
		strbuf_reset(&z->name);
		strbuf_addstr(&z->name, name);
		z->colour = ui_zones_free_colour(grid);
		z->step = ZONES_COLOUR;
	}
	strbuf_release(&text);
}

/* The new zone's colour: the zone is made with its cells, one step for undo. */
static void ui_zones_colour_event(struct ui *ui, struct ui_zones *z, const struct ui_event *ev)
{
	struct op op;
	char *grid_id;

	if (ui_is_key(ev, KEY_UP) || ui_is_char(ev, L'k') || ui_is_key(ev, KEY_BTAB)) {
		z->colour = (z->colour + HUE_COUNT - 1) % HUE_COUNT;
		return;
	}
	if (ui_is_key(ev, KEY_DOWN) || ui_is_char(ev, L'j') || ui_is_key(ev, UI_KEY_TAB)) {
		z->colour = (z->colour + 1) % HUE_COUNT;
		return;
	}
	if (ui_is_key(ev, UI_KEY_ESC)) {
		z->step = ZONES_CELLS;
		ui_message(ui, "%s", _("zone not made"));
		return;
	}
	if (!ui_is_enter(ev))
		return;
	z->step = ZONES_CELLS;
	grid_id = xstrdup(ui->board->grids[ui->grid].id);
	undo_begin(&ui->undo);
	ui_op_init(&op, OP_ZONE_ADD, NULL);
	op_set(&op.grid, grid_id);
	op_set(&op.name, z->name.buf);
	op.value = (int)z->colour;
	if (ui_apply(ui, &op) >= 0)
		ui_zones_assign(ui, z, z->name.buf);
	undo_end(&ui->undo);
	free(grid_id);
}

static void ui_zones_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_zones *z = state;

	if (ev->kind == EV_MOUSE) {
		/* The cells are chosen with the keys; the wheel scrolls under a popup. */
		if (z->step != ZONES_CELLS)
			ui_mouse_wheel(ui, ev);
		return;
	}
	switch (z->step) {
	case ZONES_CELLS: ui_zones_cells_event(ui, z, ev); break;
	case ZONES_NAMING: ui_zones_name_event(ui, z, ev); break;
	case ZONES_COLOUR: ui_zones_colour_event(ui, z, ev); break;
	}
}

/* Cells taken off the grid meanwhile: the cursor goes back to the first one. */
static void ui_zones_sync(struct ui *ui, void *state)
{
	struct ui_zones *z = state;
	int n = ui->board->ngrids ? ui->board->grids[ui->grid].cells : 0;

	if (z->x > n || z->y > n) {
		z->x = z->y = 1;
		memset(z->chosen, 0, sizeof(z->chosen));
	}
}

/* The cursor cell framed in heavy lines (the terminal's cursor inside it), the chosen cells ticked. */
static void ui_zones_draw_cursor(struct ui *ui, const struct ui_zones *z, struct ui_cursor *cursor)
{
	const struct layout *l = &ui->layout;
	attr_t sel = ui_color_attr(ROLE_SELECTED);
	int n = l->cells, x, y, i, j, k;

	for (y = 1; y <= n; y++) {
		for (x = 1; x <= n; x++) {
			if (!ui_zones_chosen(z, x, y))
				continue;
			i = x - 1;
			j = n - y;
			ui_draw_put(l->rowy[j + 1], l->colx[i] + 1, l->colx[i + 1] - l->colx[i] - 1,
				    " ✓ ", sel);
		}
	}
	i = z->x - 1;
	j = n - z->y;
	if (i < 0 || j < 0 || i >= n || j >= n)
		return;
	cursor->x = l->colx[i] + 1;
	cursor->y = l->rowy[j] + 1;
	for (k = l->colx[i] + 1; k < l->colx[i + 1]; k++) {
		ui_draw_put_wch(l->rowy[j], k, L'━', sel);
		if (!ui_zones_chosen(z, z->x, z->y))
			ui_draw_put_wch(l->rowy[j + 1], k, L'━', sel);
	}
	for (k = l->rowy[j] + 1; k < l->rowy[j + 1]; k++) {
		ui_draw_put_wch(k, l->colx[i], L'┃', sel);
		ui_draw_put_wch(k, l->colx[i + 1], L'┃', sel);
	}
	ui_draw_put_wch(l->rowy[j], l->colx[i], L'┏', sel);
	ui_draw_put_wch(l->rowy[j], l->colx[i + 1], L'┓', sel);
	ui_draw_put_wch(l->rowy[j + 1], l->colx[i], L'┗', sel);
	ui_draw_put_wch(l->rowy[j + 1], l->colx[i + 1], L'┛', sel);
}

/* The zone's name asked for the chosen cells (or the cursor's). */
static void ui_zones_draw_prompt(struct ui *ui, struct ui_zones *z, struct ui_cursor *cursor)
{
	const struct grid *grid = &ui->board->grids[ui->grid];
	struct strbuf zones = STRBUF_INIT, title = STRBUF_INIT;
	const char *above[2];
	int x, y, n = 0;
	size_t k;

	for (y = 1; y <= grid->cells; y++)
		for (x = 1; x <= grid->cells; x++)
			n += ui_zones_chosen(z, x, y);
	n = n ? n : 1;
	strbuf_addf(&title, ngettext("Zone for %d cell", "Zone for %d cells", (unsigned long)n), n);
	if (grid->nzones) {
		strbuf_addstr(&zones, _("Zones of this grid: "));
		for (k = 0; k < grid->nzones; k++)
			strbuf_addf(&zones, "%s%s%s", k ? ", " : "", grid->zones[k].name,
				    grid->zones[k].easy ? " ★" : "");
	} else {
		strbuf_addstr(&zones, _("No zone on this grid yet."));
	}
	above[0] = zones.buf;
	above[1] = _("The zone's name (an existing one adds the cells to it):");
	ui_draw_prompt(&ui->layout, &z->editor, title.buf, above, 2, _("Enter: done   Esc: back"),
		       cursor);
	strbuf_release(&zones);
	strbuf_release(&title);
}

static const char *const ui_zones_hue_names[HUE_COUNT] = {
	N_("black"), N_("red"), N_("green"), N_("yellow"),
	N_("blue"), N_("magenta"), N_("cyan"), N_("white"),
};

/* The new zone's colour, among the eight. */
static void ui_zones_draw_colours(struct ui *ui, struct ui_zones *z, struct ui_cursor *cursor)
{
	struct strbuf title = STRBUF_INIT;
	struct rect r;
	int i;

	strbuf_addf(&title, _("Colour of zone '%s'"), z->name.buf);
	r = ui_draw_popup(&ui->layout, 36, HUE_COUNT + 2, title.buf);
	for (i = 0; i < HUE_COUNT && i < r.h - 2; i++) {
		bool cur = (size_t)i == z->colour;
		int x = r.x + 1;

		x += ui_draw_put(r.y + 1 + i, x, 2, cur ? "▶ " : "  ", ui_color_attr(ROLE_POPUP));
		x += ui_draw_put(r.y + 1 + i, x, 4, "    ", ui_color_swatch((enum hue)i));
		if (cur) {
			cursor->x = x;
			cursor->y = r.y + 1 + i;
		}
		ui_draw_put_pad(r.y + 1 + i, x, r.x + r.w - 1 - x, _(ui_zones_hue_names[i]),
				cur ? ui_color_attr(ROLE_SELECTED) : ui_color_attr(ROLE_POPUP));
	}
	strbuf_release(&title);
}

static bool ui_zones_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_zones *z = state;

	if (!ui_screen_draw_under(ui, cursor))
		return false;
	if (ui->layout.cells)
		ui_zones_draw_cursor(ui, z, cursor);
	if (z->step == ZONES_NAMING)
		ui_zones_draw_prompt(ui, z, cursor);
	else if (z->step == ZONES_COLOUR)
		ui_zones_draw_colours(ui, z, cursor);
	return true;
}

static const struct ui_hint ui_zones_hints_cells[] = {
	{ "←↓↑→", N_("cell") }, { "Space", N_("choose") }, { "Enter", N_("put in a zone") },
	{ "e", N_("easiest zone") }, { "x", N_("out of its zone") }, { "Esc", N_("done") },
	{ NULL, NULL },
};
static const struct ui_hint ui_zones_hints_colour[] = {
	{ "↑↓", N_("choose") }, { "Enter", N_("this colour") }, { "Esc", N_("cancel") },
	{ NULL, NULL },
};

static void ui_zones_hints(struct ui *ui, void *state, int y, int x)
{
	struct ui_zones *z = state;

	(void)ui;
	ui_draw_hint_table(y, x, z->step == ZONES_CELLS    ? ui_zones_hints_cells
				 : z->step == ZONES_NAMING ? ui_draw_prompt_hints
							   : ui_zones_hints_colour);
}

/* The name is typed even on a terminal too small for the board. */
static unsigned ui_zones_step_flags(const struct ui *ui, const void *state)
{
	const struct ui_zones *z = state;

	(void)ui;
	return z->step == ZONES_NAMING ? UI_SCREEN_SMALL_OK | UI_SCREEN_TEXT : 0;
}

const struct ui_screen_ops ui_zones_screen = {
	.name = "zones",
	.state_size = sizeof(struct ui_zones),
	.init = ui_zones_init,
	.release = ui_zones_release,
	.open = ui_zones_open,
	.close = ui_zones_close,
	.event = ui_zones_event,
	.draw = ui_zones_draw,
	.hints = ui_zones_hints,
	.step_flags = ui_zones_step_flags,
	.sync = ui_zones_sync,
};
