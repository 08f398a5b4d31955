/*
 * ui_board_draw.c - the board screen drawn: the tabs, the current grid
 * (its lines, the easiest-to-launch zone and the facilitator's zones, the
 * poles, the cards of every cell), the tray, the theme legend, the status
 * bar and the hints line; "terminal too small" when the grid cannot fit.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "layout.h"
#include "text.h"
#include "ui_board.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"
#include "xmalloc.h"

/* How the board draws card: the selected one reversed. */
static enum ui_card_look ui_board_draw_look(struct ui *ui, const struct card *card)
{
	return card == ui_selected(ui) ? UI_CARD_SELECTED : UI_CARD_PLAIN;
}

enum { ARM_UP = 1, ARM_DOWN = 2, ARM_LEFT = 4, ARM_RIGHT = 8 };

/* The box-drawing character joining 'arms', with double horizontal/vertical lines. */
static wchar_t ui_board_draw_junction(int arms, bool hd, bool vd)
{
	int i = (hd ? 1 : 0) + (vd ? 2 : 0);

	switch (arms) {
	case ARM_DOWN | ARM_RIGHT: return L"┌╒╓╔"[i];
	case ARM_DOWN | ARM_LEFT: return L"┐╕╖╗"[i];
	case ARM_UP | ARM_RIGHT: return L"└╘╙╚"[i];
	case ARM_UP | ARM_LEFT: return L"┘╛╜╝"[i];
	case ARM_UP | ARM_DOWN | ARM_RIGHT: return L"├╞╟╠"[i];
	case ARM_UP | ARM_DOWN | ARM_LEFT: return L"┤╡╢╣"[i];
	case ARM_DOWN | ARM_LEFT | ARM_RIGHT: return L"┬╤╥╦"[i];
	case ARM_UP | ARM_LEFT | ARM_RIGHT: return L"┴╧╨╩"[i];
	case ARM_UP | ARM_DOWN | ARM_LEFT | ARM_RIGHT: return L"┼╪╫╬"[i];
	case ARM_LEFT:
	case ARM_RIGHT:
	case ARM_LEFT | ARM_RIGHT: return hd ? L'═' : L'─';
	default: return vd ? L'║' : L'│';
	}
}

static void ui_board_draw_tabs(struct ui *ui)
{
	const struct layout *l = &ui->layout;
	int i;

	for (i = 0; i < l->ntabs; i++) {
		struct strbuf label = STRBUF_INIT, sb = STRBUF_INIT;
		bool active = (size_t)i == ui->grid;

		ui_tab_label(ui, (size_t)i, &label);
		strbuf_addch(&sb, ' ');
		text_fit(&sb, label.buf, l->tab[i].w - 2);
		strbuf_addch(&sb, ' ');
		ui_draw_put_pad(l->tab[i].y, l->tab[i].x, l->tab[i].w, sb.buf,
			   ui_color_attr(active ? ROLE_TAB_ACTIVE : ROLE_TAB));
		strbuf_release(&label);
		strbuf_release(&sb);
	}
	if (l->ntabs < (int)ui->board->ngrids)
		ui_draw_put(0, COLS - 1, 1, "…", ui_color_attr(ROLE_TAB));
}

/* Is screen cell (column i, row j from the top) of the grid in the easy zone? */
static bool ui_board_draw_easy(const struct ui *ui, int i, int j)
{
	const struct grid *grid = &ui->board->grids[ui->grid];
	int n = grid->cells;

	if (i < 0 || j < 0 || i >= n || j >= n)
		return false;
	return grid_cell_is_easy(ui->board, grid, i + 1, n - j);
}

/* The facilitator's zone holding screen cell (column i, row j from the top), or -1. */
static int ui_board_draw_zone(const struct ui *ui, int i, int j)
{
	const struct grid *grid = &ui->board->grids[ui->grid];
	int n = grid->cells;

	if (i < 0 || j < 0 || i >= n || j >= n)
		return -1;
	return grid_zone_at(grid, i + 1, n - j);
}

/* The line between two cells of zones za and zb: in a zone's colour where it bounds one. */
static attr_t ui_board_draw_zone_line(const struct ui *ui, int za, int zb, attr_t line)
{
	const struct grid *grid = &ui->board->grids[ui->grid];
	int z = za >= 0 ? za : zb;

	if (za == zb || z < 0)
		return line;
	return ui_color_zone(grid->zones[z].color);
}

static void ui_board_draw_lines(struct ui *ui)
{
	const struct layout *l = &ui->layout;
	attr_t line = ui_color_attr(ROLE_LINE), easy = ui_color_attr(ROLE_EASY_LINE);
	int n = l->cells, i, j, x, y;

	/* Segments: double where they separate the easy zone from the rest. */
	for (j = 0; j <= n; j++) {
		for (i = 0; i < n; i++) {
			bool d = ui_board_draw_easy(ui, i, j - 1) != ui_board_draw_easy(ui, i, j);
			attr_t a = d ? easy : ui_board_draw_zone_line(ui, ui_board_draw_zone(ui, i, j - 1), ui_board_draw_zone(ui, i, j), line);

			for (x = l->colx[i] + 1; x < l->colx[i + 1]; x++)
				ui_draw_put_wch(l->rowy[j], x, d ? L'═' : L'─', a);
		}
	}
	for (i = 0; i <= n; i++) {
		for (j = 0; j < n; j++) {
			bool d = ui_board_draw_easy(ui, i - 1, j) != ui_board_draw_easy(ui, i, j);
			attr_t a = d ? easy : ui_board_draw_zone_line(ui, ui_board_draw_zone(ui, i - 1, j), ui_board_draw_zone(ui, i, j), line);

			for (y = l->rowy[j] + 1; y < l->rowy[j + 1]; y++)
				ui_draw_put_wch(y, l->colx[i], d ? L'║' : L'│', a);
		}
	}
	/* Junctions. */
	for (j = 0; j <= n; j++) {
		for (i = 0; i <= n; i++) {
			int arms = 0;
			bool up = false, down = false, left = false, right = false;
			attr_t a = line;

			if (j > 0) {
				arms |= ARM_UP;
				up = ui_board_draw_easy(ui, i - 1, j - 1) != ui_board_draw_easy(ui, i, j - 1);
				a = ui_board_draw_zone_line(ui, ui_board_draw_zone(ui, i - 1, j - 1), ui_board_draw_zone(ui, i, j - 1), a);
			}
			if (j < n) {
				arms |= ARM_DOWN;
				down = ui_board_draw_easy(ui, i - 1, j) != ui_board_draw_easy(ui, i, j);
				a = a != line ? a : ui_board_draw_zone_line(ui, ui_board_draw_zone(ui, i - 1, j), ui_board_draw_zone(ui, i, j), a);
			}
			if (i > 0) {
				arms |= ARM_LEFT;
				left = ui_board_draw_easy(ui, i - 1, j - 1) != ui_board_draw_easy(ui, i - 1, j);
				a = a != line ? a
					      : ui_board_draw_zone_line(ui, ui_board_draw_zone(ui, i - 1, j - 1), ui_board_draw_zone(ui, i - 1, j), a);
			}
			if (i < n) {
				arms |= ARM_RIGHT;
				right = ui_board_draw_easy(ui, i, j - 1) != ui_board_draw_easy(ui, i, j);
				a = a != line ? a : ui_board_draw_zone_line(ui, ui_board_draw_zone(ui, i, j - 1), ui_board_draw_zone(ui, i, j), a);
			}
			ui_draw_put_wch(l->rowy[j], l->colx[i], ui_board_draw_junction(arms, left || right, up || down),
				   (up || down || left || right) ? easy : a);
		}
	}
}

/* Does [a0, a1) on row y meet one of the labels? */
static bool ui_board_draw_hits(int y, int a0, int a1, const struct rect *labels, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (labels[i].w > 0 && labels[i].y == y && a0 < labels[i].x + labels[i].w &&
		    labels[i].x < a1)
			return true;
	return false;
}

/*
 * The "easiest to launch" label, on the easy zone's border inside the grid
 * (the top of its bounding box, or the bottom when it touches the grid's
 * top), in the widest stretch of that border left free by the overflow
 * markers. Returns where it went (w == 0: nowhere).
 */
static struct rect ui_board_draw_easy_label(struct ui *ui, const struct rect *markers, int nmarkers)
{
	const struct layout *l = &ui->layout;
	int n = l->cells, i, j, ilo = n, ihi = -1, jtop = n, jbot = -1;
	int row, x0, x1, w, x, best = 0, bx = 0;
	struct strbuf sb = STRBUF_INIT;
	struct rect where = { 0, 0, 0, 0 };

	for (j = 0; j < n; j++)
		for (i = 0; i < n; i++)
			if (ui_board_draw_easy(ui, i, j)) {
				ilo = i < ilo ? i : ilo;
				ihi = i > ihi ? i : ihi;
				jtop = j < jtop ? j : jtop;
				jbot = j > jbot ? j : jbot;
			}
	if (ihi < 0)
		return where;
	row = jtop == 0 ? l->rowy[jbot + 1] : l->rowy[jtop];
	x0 = l->colx[ilo] + 1;
	x1 = l->colx[ihi + 1];
	for (x = x0; x < x1;) {
		int end = x;

		while (end < x1 && !ui_board_draw_hits(row, end, end + 1, markers, nmarkers))
			end++;
		if (end - x > best) {
			best = end - x;
			bx = x;
		}
		x = end + 1;
	}
	strbuf_addf(&sb, " ★ %s ", _("easiest to launch"));
	w = text_width(sb.buf);
	if (w > best - 2)
		w = best - 2;
	if (w > 0) {
		where = (struct rect){ bx + (best - w) / 2, row, w, 1 };
		ui_draw_put(row, where.x, w, sb.buf, ui_color_attr(ROLE_EASY_LABEL));
	}
	strbuf_release(&sb);
	return where;
}

/*
 * Each zone's name on the border of its first cell (top row first), on the
 * cell's top border or else its bottom one, clear of the other labels.
 */
static void ui_board_draw_zone_labels(struct ui *ui, const struct rect *labels, int nlabels)
{
	const struct layout *l = &ui->layout;
	const struct grid *grid = &ui->board->grids[ui->grid];
	struct rect *taken = xcalloc((size_t)nlabels + grid->nzones + 1, sizeof(*taken));
	int n = l->cells, ntaken = nlabels, x, y, k, pass, best, brow = 0, bx = 0;
	size_t z;

	memcpy(taken, labels, (size_t)nlabels * sizeof(*taken));
	for (z = 0; z < grid->nzones; z++) {
		struct strbuf sb = STRBUF_INIT;
		bool found = false;

		for (y = n; y >= 1 && !found; y--)
			for (x = 1; x <= n && !found; x++)
				found = zone_has_cell(&grid->zones[z], x, y);
		if (!found) {
			strbuf_release(&sb);
			continue;
		}
		y++;
		x--;
		strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, grid->zones[z].name);
		strbuf_addch(&sb, ' ');
		/*
		 * The widest free stretch of the cell's top border, else of its
		 * bottom one: first a column away from other labels, then touching.
		 */
		best = 0;
		for (pass = 0; pass < 2 && best < text_width(sb.buf); pass++) {
			best = 0;
			for (k = 0; k < 2; k++) {
				int row = l->rowy[k == 0 ? n - y : n - y + 1];
				int x0 = l->colx[x - 1] + 2, x1 = l->colx[x] - 1, at;

				for (at = x0; at < x1;) {
					int end = at;

					while (end < x1 && !ui_board_draw_hits(row, end - 1 + pass,
									  end + 2 - pass, taken, ntaken))
						end++;
					if (end - at > best) {
						best = end - at;
						brow = row;
						bx = at;
					}
					at = end + 1;
				}
				if (best >= text_width(sb.buf))
					break;
			}
		}
		if (best >= 4) {
			int w = text_width(sb.buf) < best ? text_width(sb.buf) : best;

			ui_draw_put(brow, bx, w, sb.buf, ui_color_swatch(grid->zones[z].color));
			taken[ntaken++] = (struct rect){ bx, brow, w, 1 };
		}
		strbuf_release(&sb);
	}
	free(taken);
}

static attr_t ui_board_draw_pole_attr(const struct criterion *c, enum pole p)
{
	return ui_color_attr(c->easy == p ? ROLE_POLE_EASY : ROLE_POLE);
}

/*
 * Wraps the pole label s into the side column r, vertically centred, with
 * an arrow pointing outwards: "◀ " before the first line on the left (lines
 * aligned right, against the grid), " ▶" after the last on the right.
 */
static void ui_board_draw_side(struct rect r, const char *s, bool left, attr_t attr)
{
	struct strbuf lines[9];
	int n, i, top, w = r.w - 1, first, last;

	if (w < 1 || r.h < 1)
		return;
	for (i = 0; i < 9; i++)
		strbuf_init(&lines[i], 0);
	n = text_wrap(s, w, lines, r.h < 8 ? r.h : 8);
	first = text_width(lines[0].buf);
	last = text_width(lines[n - 1].buf);
	if (left) {
		if (first + 2 <= w) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addstr(&sb, "◀ ");
			strbuf_addstr(&sb, lines[0].buf);
			strbuf_reset(&lines[0]);
			strbuf_addstr(&lines[0], sb.buf);
			strbuf_release(&sb);
		} else if (n < r.h && n < 9) {
			memmove(&lines[1], &lines[0], (size_t)n * sizeof(lines[0]));
			strbuf_init(&lines[0], 0);
			strbuf_addstr(&lines[0], "◀");
			n++;
		}
	} else {
		if (last + 2 <= w)
			strbuf_addstr(&lines[n - 1], " ▶");
		else if (n < r.h && n < 9)
			strbuf_addstr(&lines[n++], "▶");
	}
	top = r.y + (r.h - n) / 2;
	for (i = 0; i < n; i++) {
		if (left)
			ui_draw_put_right(top + i, r.x + r.w - 1, w, lines[i].buf, attr);
		else
			ui_draw_put(top + i, r.x + 1, w, lines[i].buf, attr);
	}
	for (i = 0; i < 9; i++)
		strbuf_release(&lines[i]);
}

/* Pole labels on the four sides; returns the spans taken on the borders. */
static void ui_board_draw_poles(struct ui *ui, struct rect *top, struct rect *bottom)
{
	const struct layout *l = &ui->layout;
	const struct board *b = ui->board;
	const struct grid *grid = &b->grids[ui->grid];
	const struct criterion *cx = &b->criteria[grid->x], *cy = &b->criteria[grid->y];
	int x0 = l->grid.x + 1, x1 = l->grid.x + l->grid.w - 1;
	int ybot = l->grid.y + l->grid.h - 1;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, " ▲ ");
	strbuf_addstr(&sb, cy->high);
	strbuf_addch(&sb, ' ');
	*top = ui_draw_put_centred(l->grid.y, x0, x1, sb.buf, ui_board_draw_pole_attr(cy, POLE_HIGH));
	strbuf_reset(&sb);
	strbuf_addstr(&sb, " ▼ ");
	strbuf_addstr(&sb, cy->low);
	strbuf_addch(&sb, ' ');
	if (l->side_left.w > 0) {
		*bottom = ui_draw_put_centred(ybot, x0, x1, sb.buf, ui_board_draw_pole_attr(cy, POLE_LOW));
		ui_board_draw_side(l->side_left, cx->low, true, ui_board_draw_pole_attr(cx, POLE_LOW));
		ui_board_draw_side(l->side_right, cx->high, false, ui_board_draw_pole_attr(cx, POLE_HIGH));
	} else {
		/* Narrow: all three on the bottom border, x low left, x high right. */
		int third = (x1 - x0) / 3;
		struct strbuf lo = STRBUF_INIT, hi = STRBUF_INIT;

		*bottom = ui_draw_put_centred(ybot, x0 + third, x1 - third, sb.buf,
					 ui_board_draw_pole_attr(cy, POLE_LOW));
		strbuf_addstr(&lo, "◀ ");
		strbuf_addstr(&lo, cx->low);
		strbuf_addch(&lo, ' ');
		strbuf_addch(&hi, ' ');
		strbuf_addstr(&hi, cx->high);
		strbuf_addstr(&hi, " ▶");
		ui_draw_put(ybot, x0, bottom->x - x0, lo.buf, ui_board_draw_pole_attr(cx, POLE_LOW));
		ui_draw_put_right(ybot, x1, x1 - (bottom->x + bottom->w), hi.buf,
			     ui_board_draw_pole_attr(cx, POLE_HIGH));
		bottom->x = x0;
		bottom->w = x1 - x0;
		strbuf_release(&lo);
		strbuf_release(&hi);
	}
	strbuf_release(&sb);
}

/* "+N ▼" / "▲ N" on a cell's border, clear of the labels when possible. */
static struct rect ui_board_draw_marker(int y, int x0, int x1, const char *s, bool prefer_left,
				  const struct rect *labels, int nlabels)
{
	int w = text_width(s), right = x1 - 1 - w, left = x0 + 1, at;

	if (w > x1 - x0 - 1)
		return (struct rect){ 0, 0, 0, 0 };
	at = prefer_left ? left : right;
	if (ui_board_draw_hits(y, at, at + w, labels, nlabels)) {
		int other = prefer_left ? right : left;

		if (!ui_board_draw_hits(y, other, other + w, labels, nlabels))
			at = other;
	}
	ui_draw_put(y, at, w, s, ui_color_attr(ROLE_TRAY));
	return (struct rect){ at, y, w, 1 };
}

/* Cards of every cell, and overflow markers (returned in markers, counted in *nmarkers). */
static void ui_board_draw_cells(struct ui *ui, const struct rect *labels, int nlabels,
			  struct rect *markers, int *nmarkers)
{
	const struct layout *l = &ui->layout;
	int x, y, cap = layout_cell_capacity(l);

	for (x = 1; x <= l->cells; x++) {
		for (y = 1; y <= l->cells; y++) {
			size_t n, k, first, shown;
			struct card **list = layout_view_list(&ui->view, x, y, &n);
			int scroll = ui->scroll.cell[x - 1][y - 1];
			int j = l->cells - y;
			struct strbuf sb = STRBUF_INIT;

			first = (size_t)scroll * (size_t)l->slot_cols;
			for (k = first; k < n && k < first + (size_t)cap; k++)
				ui_card_draw(ui, list[k], layout_cell_slot(l, x, y, (int)(k - first)),
					     ui_board_draw_look(ui, list[k]));
			shown = k - first;
			if (first > 0) {
				strbuf_addf(&sb, " ▲ %zu ", first);
				markers[(*nmarkers)++] =
					ui_board_draw_marker(l->rowy[j], l->colx[x - 1], l->colx[x],
						       sb.buf, true, labels, nlabels);
			}
			if (first + shown < n) {
				strbuf_reset(&sb);
				strbuf_addf(&sb, " +%zu ▼ ", n - first - shown);
				markers[(*nmarkers)++] =
					ui_board_draw_marker(l->rowy[j + 1], l->colx[x - 1], l->colx[x],
						       sb.buf, false, labels, nlabels);
			}
			strbuf_release(&sb);
		}
	}
}

static void ui_board_draw_grid(struct ui *ui)
{
	const struct layout *l = &ui->layout;
	struct rect labels[3 + 2 * BOARD_MAX_CELLS * BOARD_MAX_CELLS];
	int nmarkers = 0;

	if (!l->cells) {
		ui_draw_put_centred(l->grid.y + l->grid.h / 2, 0, COLS, _("this board has no grid"),
			       ui_color_attr(ROLE_POLE));
		return;
	}
	ui_board_draw_lines(ui);
	ui_board_draw_poles(ui, &labels[0], &labels[1]);
	ui_board_draw_cells(ui, labels, 2, labels + 3, &nmarkers);
	labels[2] = ui_board_draw_easy_label(ui, labels + 3, nmarkers);
	ui_board_draw_zone_labels(ui, labels, 3 + nmarkers);
}

static void ui_board_draw_tray(struct ui *ui)
{
	const struct layout *l = &ui->layout;
	struct strbuf sb = STRBUF_INIT;
	size_t n, k, first, cap = (size_t)layout_tray_capacity(l);
	struct card **list = layout_view_list(&ui->view, 0, 0, &n);
	int x, used;

	for (x = 0; x < l->tray.w; x++)
		ui_draw_put_wch(l->tray.y, l->tray.x + x, L'─', ui_color_attr(ROLE_LINE));
	if (n)
		strbuf_addf(&sb, ngettext(" Tray: %zu not placed on this grid ",
					  " Tray: %zu not placed on this grid ", n),
			    n);
	else
		strbuf_addstr(&sb, _(" Tray: empty (a card moved down from the bottom row lands here) "));
	used = ui_draw_put(l->tray.y, 1, l->tray.w - 2, sb.buf, ui_color_attr(ROLE_TRAY));
	first = (size_t)ui->scroll.tray * (size_t)l->tray_cols;
	for (k = first; k < n && k < first + cap; k++)
		ui_card_draw(ui, list[k], layout_tray_slot(l, (int)(k - first)),
			     ui_board_draw_look(ui, list[k]));
	strbuf_reset(&sb);
	if (first > 0)
		strbuf_addf(&sb, " ▲ %zu ", first);
	if (k < n)
		strbuf_addf(&sb, " +%zu ▼ ", n - k);
	if (sb.len && text_width(sb.buf) < l->tray.w - used - 3)
		ui_draw_put_right(l->tray.y, l->tray.w - 1, l->tray.w - used - 3, sb.buf,
			     ui_color_attr(ROLE_TRAY));
	strbuf_release(&sb);
}

static void ui_board_draw_legend(struct ui *ui)
{
	const struct layout *l = &ui->layout;
	const struct board *b = ui->board;
	int x = 0, end = l->legend.w;
	size_t t;

	if (l->legend.h < 1)
		return;
	x += ui_draw_put(l->legend.y, x, end - x, _("Themes: "), ui_color_attr(ROLE_POLE));
	for (t = 0; t < b->nthemes && end - x >= 6; t++) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, " %s ", ui->badges[t]);
		x += ui_draw_put(l->legend.y, x, end - x, sb.buf, ui_color_swatch(b->themes[t].color));
		strbuf_reset(&sb);
		strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, b->themes[t].label);
		strbuf_addstr(&sb, "  ");
		x += ui_draw_put(l->legend.y, x, end - x, sb.buf, ui_color_attr(ROLE_NORMAL));
		strbuf_release(&sb);
	}
}

static void ui_board_draw_too_small(struct ui *ui)
{
	struct strbuf sb = STRBUF_INIT;
	int y = LINES / 2 - 1;

	if (y < 0)
		y = 0;
	ui_draw_put_centred(y, 0, COLS, _("terminal too small"), ui_color_attr(ROLE_POLE));
	strbuf_addf(&sb, _("%dx%d, needs %dx%d"), COLS, LINES, ui->layout.need_cols,
		    ui->layout.need_rows);
	if (y + 1 < LINES)
		ui_draw_put_centred(y + 1, 0, COLS, sb.buf, ui_color_attr(ROLE_NORMAL));
	if (y + 2 < LINES)
		ui_draw_put_centred(y + 2, 0, COLS, _("q quits"), ui_color_attr(ROLE_NORMAL));
	strbuf_release(&sb);
}

/* The message and the keys; in place of the status bar when no row is left for them. */
static void ui_board_draw_hints(struct ui *ui)
{
	const struct layout *l = &ui->layout;

	if (!l->hints.h && !ui->message.len && !(ui_screen_flags(ui) & UI_SCREEN_ASKS))
		return; /* no room: the status bar stays */
	ui_draw_hints_line(ui, l->hints.h ? l->hints.y : l->status.y);
}

bool ui_board_draw(struct ui *ui)
{
	if (ui->layout.too_small) {
		ui_board_draw_too_small(ui);
		return false;
	}
	ui_board_draw_tabs(ui);
	ui_board_draw_grid(ui);
	ui_board_draw_tray(ui);
	ui_board_draw_legend(ui);
	ui_draw_status(ui, ui->layout.status.y);
	ui_board_draw_hints(ui);
	return true;
}
