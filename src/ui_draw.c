/*
 * ui_draw.c - draws the terminal board from the state in struct ui and the
 * geometry in struct layout. Every piece of board text (card text, labels,
 * the title...) goes through text_fit()/text_wrap(), which escape control
 * characters, escape sequences and bidi overrides, before reaching curses.
 */
#include <curses.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "board.h"
#include "i18n.h"
#include "layout.h"
#include "report.h"
#include "sign.h"
#include "text.h"
#include "timeutil.h"
#include "ui_color.h"
#include "ui_editor.h"
#include "ui_int.h"
#include "xmalloc.h"

/* --- Primitives, all clipped to the screen --- */

/* Draws s cut to w columns at (y, x). Returns the columns used. */
static int ui_put(int y, int x, int w, const char *s, attr_t attr)
{
	struct strbuf sb = STRBUF_INIT;
	int used;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (w > COLS - x)
		w = COLS - x;
	if (w <= 0)
		return 0;
	used = text_fit(&sb, s, w);
	attrset(attr);
	mvaddstr(y, x, sb.buf);
	attrset(A_NORMAL);
	strbuf_release(&sb);
	return used;
}

/* Like ui_put() but pads with spaces to exactly w columns. */
static void ui_put_pad(int y, int x, int w, const char *s, attr_t attr)
{
	struct strbuf sb = STRBUF_INIT;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	if (w > COLS - x)
		w = COLS - x;
	if (w <= 0)
		return;
	text_fit_pad(&sb, s, w);
	attrset(attr);
	mvaddstr(y, x, sb.buf);
	attrset(A_NORMAL);
	strbuf_release(&sb);
}

int ui_draw_put(int y, int x, int w, const char *s, attr_t attr)
{
	return ui_put(y, x, w, s, attr);
}

void ui_draw_put_pad(int y, int x, int w, const char *s, attr_t attr)
{
	ui_put_pad(y, x, w, s, attr);
}

/* Draws s right-aligned so that it ends before column 'end'. */
static void ui_put_right(int y, int end, int w, const char *s, attr_t attr)
{
	int tw = text_width(s);

	if (tw > w)
		tw = w;
	ui_put(y, end - tw, tw, s, attr);
}

static void ui_put_wch(int y, int x, wchar_t c, attr_t attr)
{
	cchar_t cc;
	wchar_t s[2] = { c, 0 };

	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	setcchar(&cc, s, attr, 0, NULL);
	mvadd_wch(y, x, &cc);
}

static void ui_fill(struct rect r, attr_t attr)
{
	int y;

	for (y = r.y; y < r.y + r.h; y++)
		ui_put_pad(y, r.x, r.w, "", attr);
}

/* --- Box drawing --- */

enum { ARM_UP = 1, ARM_DOWN = 2, ARM_LEFT = 4, ARM_RIGHT = 8 };

/* The box-drawing character joining 'arms', with double horizontal/vertical lines. */
static wchar_t ui_box(int arms, bool hd, bool vd)
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

/* A box around r (borders included) with a title in the top border. */
static void ui_frame(struct rect r, const char *title, attr_t attr, attr_t title_attr)
{
	int x, y;

	if (r.w < 2 || r.h < 2)
		return;
	ui_fill(r, attr);
	for (x = r.x + 1; x < r.x + r.w - 1; x++) {
		ui_put_wch(r.y, x, L'─', attr);
		ui_put_wch(r.y + r.h - 1, x, L'─', attr);
	}
	for (y = r.y + 1; y < r.y + r.h - 1; y++) {
		ui_put_wch(y, r.x, L'│', attr);
		ui_put_wch(y, r.x + r.w - 1, L'│', attr);
	}
	ui_put_wch(r.y, r.x, L'┌', attr);
	ui_put_wch(r.y, r.x + r.w - 1, L'┐', attr);
	ui_put_wch(r.y + r.h - 1, r.x, L'└', attr);
	ui_put_wch(r.y + r.h - 1, r.x + r.w - 1, L'┘', attr);
	if (title && *title && r.w > 6) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, " %s ", title);
		ui_put(r.y, r.x + 2, r.w - 4, sb.buf, title_attr);
		strbuf_release(&sb);
	}
}

/* --- The parts of the screen --- */

void ui_draw_tab_label(const struct ui *ui, size_t g, struct strbuf *out)
{
	const struct board *b = ui->board;
	const struct grid *grid = &b->grids[g];

	strbuf_addf(out, "%zu %s × %s", g + 1, b->criteria[grid->x].id, b->criteria[grid->y].id);
}

static void ui_draw_tabs(struct ui *ui)
{
	const struct layout *l = &ui->layout;
	int i;

	for (i = 0; i < l->ntabs; i++) {
		struct strbuf label = STRBUF_INIT, sb = STRBUF_INIT;
		bool active = (size_t)i == ui->grid;

		ui_draw_tab_label(ui, (size_t)i, &label);
		strbuf_addch(&sb, ' ');
		text_fit(&sb, label.buf, l->tab[i].w - 2);
		strbuf_addch(&sb, ' ');
		ui_put_pad(l->tab[i].y, l->tab[i].x, l->tab[i].w, sb.buf,
			   ui_color_attr(active ? ROLE_TAB_ACTIVE : ROLE_TAB));
		strbuf_release(&label);
		strbuf_release(&sb);
	}
	if (l->ntabs < (int)ui->board->ngrids)
		ui_put(0, COLS - 1, 1, "…", ui_color_attr(ROLE_TAB));
}

/* Is screen cell (column i, row j from the top) of the grid in the easy zone? */
static bool ui_easy(const struct ui *ui, int i, int j)
{
	const struct grid *grid = &ui->board->grids[ui->grid];
	int n = grid->cells;

	if (i < 0 || j < 0 || i >= n || j >= n)
		return false;
	return grid_cell_is_easy(ui->board, grid, i + 1, n - j);
}

/* The facilitator's zone holding screen cell (column i, row j from the top), or -1. */
static int ui_zone(const struct ui *ui, int i, int j)
{
	const struct grid *grid = &ui->board->grids[ui->grid];
	int n = grid->cells;

	if (i < 0 || j < 0 || i >= n || j >= n)
		return -1;
	return grid_zone_at(grid, i + 1, n - j);
}

/* The line between two cells of zones za and zb: in a zone's colour where it bounds one. */
static attr_t ui_zone_line(const struct ui *ui, int za, int zb, attr_t line)
{
	const struct grid *grid = &ui->board->grids[ui->grid];
	int z = za >= 0 ? za : zb;

	if (za == zb || z < 0)
		return line;
	return ui_color_zone(grid->zones[z].color);
}

static void ui_draw_lines(struct ui *ui)
{
	const struct layout *l = &ui->layout;
	attr_t line = ui_color_attr(ROLE_LINE), easy = ui_color_attr(ROLE_EASY_LINE);
	int n = l->cells, i, j, x, y;

	/* Segments: double where they separate the easy zone from the rest. */
	for (j = 0; j <= n; j++) {
		for (i = 0; i < n; i++) {
			bool d = ui_easy(ui, i, j - 1) != ui_easy(ui, i, j);
			attr_t a = d ? easy : ui_zone_line(ui, ui_zone(ui, i, j - 1), ui_zone(ui, i, j), line);

			for (x = l->colx[i] + 1; x < l->colx[i + 1]; x++)
				ui_put_wch(l->rowy[j], x, d ? L'═' : L'─', a);
		}
	}
	for (i = 0; i <= n; i++) {
		for (j = 0; j < n; j++) {
			bool d = ui_easy(ui, i - 1, j) != ui_easy(ui, i, j);
			attr_t a = d ? easy : ui_zone_line(ui, ui_zone(ui, i - 1, j), ui_zone(ui, i, j), line);

			for (y = l->rowy[j] + 1; y < l->rowy[j + 1]; y++)
				ui_put_wch(y, l->colx[i], d ? L'║' : L'│', a);
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
				up = ui_easy(ui, i - 1, j - 1) != ui_easy(ui, i, j - 1);
				a = ui_zone_line(ui, ui_zone(ui, i - 1, j - 1), ui_zone(ui, i, j - 1), a);
			}
			if (j < n) {
				arms |= ARM_DOWN;
				down = ui_easy(ui, i - 1, j) != ui_easy(ui, i, j);
				a = a != line ? a : ui_zone_line(ui, ui_zone(ui, i - 1, j), ui_zone(ui, i, j), a);
			}
			if (i > 0) {
				arms |= ARM_LEFT;
				left = ui_easy(ui, i - 1, j - 1) != ui_easy(ui, i - 1, j);
				a = a != line ? a
					      : ui_zone_line(ui, ui_zone(ui, i - 1, j - 1), ui_zone(ui, i - 1, j), a);
			}
			if (i < n) {
				arms |= ARM_RIGHT;
				right = ui_easy(ui, i, j - 1) != ui_easy(ui, i, j);
				a = a != line ? a : ui_zone_line(ui, ui_zone(ui, i, j - 1), ui_zone(ui, i, j), a);
			}
			ui_put_wch(l->rowy[j], l->colx[i], ui_box(arms, left || right, up || down),
				   (up || down || left || right) ? easy : a);
		}
	}
}

/* Does [a0, a1) on row y meet one of the labels? */
static bool ui_hits_label(int y, int a0, int a1, const struct rect *labels, int n)
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
static struct rect ui_draw_easy_label(struct ui *ui, const struct rect *markers, int nmarkers)
{
	const struct layout *l = &ui->layout;
	int n = l->cells, i, j, ilo = n, ihi = -1, jtop = n, jbot = -1;
	int row, x0, x1, w, x, best = 0, bx = 0;
	struct strbuf sb = STRBUF_INIT;
	struct rect where = { 0, 0, 0, 0 };

	for (j = 0; j < n; j++)
		for (i = 0; i < n; i++)
			if (ui_easy(ui, i, j)) {
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

		while (end < x1 && !ui_hits_label(row, end, end + 1, markers, nmarkers))
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
		ui_put(row, where.x, w, sb.buf, ui_color_attr(ROLE_EASY_LABEL));
	}
	strbuf_release(&sb);
	return where;
}

/*
 * Each zone's name on the border of its first cell (top row first), on the
 * cell's top border or else its bottom one, clear of the other labels.
 */
static void ui_draw_zone_labels(struct ui *ui, const struct rect *labels, int nlabels)
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

					while (end < x1 && !ui_hits_label(row, end - 1 + pass,
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

			ui_put(brow, bx, w, sb.buf, ui_color_swatch(grid->zones[z].color));
			taken[ntaken++] = (struct rect){ bx, brow, w, 1 };
		}
		strbuf_release(&sb);
	}
	free(taken);
}

/* MODE_ZONE: the cursor cell framed in heavy lines, the chosen cells ticked. */
static void ui_draw_zone_cursor(struct ui *ui)
{
	const struct layout *l = &ui->layout;
	attr_t sel = ui_color_attr(ROLE_SELECTED);
	int n = l->cells, x, y, i, j, k;

	for (y = 1; y <= n; y++) {
		for (x = 1; x <= n; x++) {
			if (!ui_facil_zone_chosen(ui, x, y))
				continue;
			i = x - 1;
			j = n - y;
			ui_put(l->rowy[j + 1], l->colx[i] + 1, l->colx[i + 1] - l->colx[i] - 1, " ✓ ",
			       sel);
		}
	}
	i = ui->zone_x - 1;
	j = n - ui->zone_y;
	if (i < 0 || j < 0 || i >= n || j >= n)
		return;
	for (k = l->colx[i] + 1; k < l->colx[i + 1]; k++) {
		ui_put_wch(l->rowy[j], k, L'━', sel);
		if (!ui_facil_zone_chosen(ui, ui->zone_x, ui->zone_y))
			ui_put_wch(l->rowy[j + 1], k, L'━', sel);
	}
	for (k = l->rowy[j] + 1; k < l->rowy[j + 1]; k++) {
		ui_put_wch(k, l->colx[i], L'┃', sel);
		ui_put_wch(k, l->colx[i + 1], L'┃', sel);
	}
	ui_put_wch(l->rowy[j], l->colx[i], L'┏', sel);
	ui_put_wch(l->rowy[j], l->colx[i + 1], L'┓', sel);
	ui_put_wch(l->rowy[j + 1], l->colx[i], L'┗', sel);
	ui_put_wch(l->rowy[j + 1], l->colx[i + 1], L'┛', sel);
}

static attr_t ui_pole_attr(const struct criterion *c, enum pole p)
{
	return ui_color_attr(c->easy == p ? ROLE_POLE_EASY : ROLE_POLE);
}

/* Draws s centred on the span [x0, x1) of row y; returns where it went. */
static struct rect ui_put_centred(int y, int x0, int x1, const char *s, attr_t attr)
{
	int w = text_width(s);
	struct rect r;

	if (w > x1 - x0)
		w = x1 - x0;
	r = (struct rect){ x0 + (x1 - x0 - w) / 2, y, w, 1 };
	if (w > 0)
		ui_put(y, r.x, w, s, attr);
	return r;
}

/*
 * Wraps the pole label s into the side column r, vertically centred, with
 * an arrow pointing outwards: "◀ " before the first line on the left (lines
 * aligned right, against the grid), " ▶" after the last on the right.
 */
static void ui_draw_side(struct rect r, const char *s, bool left, attr_t attr)
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
			ui_put_right(top + i, r.x + r.w - 1, w, lines[i].buf, attr);
		else
			ui_put(top + i, r.x + 1, w, lines[i].buf, attr);
	}
	for (i = 0; i < 9; i++)
		strbuf_release(&lines[i]);
}

/* Pole labels on the four sides; returns the spans taken on the borders. */
static void ui_draw_poles(struct ui *ui, struct rect *top, struct rect *bottom)
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
	*top = ui_put_centred(l->grid.y, x0, x1, sb.buf, ui_pole_attr(cy, POLE_HIGH));
	strbuf_reset(&sb);
	strbuf_addstr(&sb, " ▼ ");
	strbuf_addstr(&sb, cy->low);
	strbuf_addch(&sb, ' ');
	if (l->side_left.w > 0) {
		*bottom = ui_put_centred(ybot, x0, x1, sb.buf, ui_pole_attr(cy, POLE_LOW));
		ui_draw_side(l->side_left, cx->low, true, ui_pole_attr(cx, POLE_LOW));
		ui_draw_side(l->side_right, cx->high, false, ui_pole_attr(cx, POLE_HIGH));
	} else {
		/* Narrow: all three on the bottom border, x low left, x high right. */
		int third = (x1 - x0) / 3;
		struct strbuf lo = STRBUF_INIT, hi = STRBUF_INIT;

		*bottom = ui_put_centred(ybot, x0 + third, x1 - third, sb.buf,
					 ui_pole_attr(cy, POLE_LOW));
		strbuf_addstr(&lo, "◀ ");
		strbuf_addstr(&lo, cx->low);
		strbuf_addch(&lo, ' ');
		strbuf_addch(&hi, ' ');
		strbuf_addstr(&hi, cx->high);
		strbuf_addstr(&hi, " ▶");
		ui_put(ybot, x0, bottom->x - x0, lo.buf, ui_pole_attr(cx, POLE_LOW));
		ui_put_right(ybot, x1, x1 - (bottom->x + bottom->w), hi.buf,
			     ui_pole_attr(cx, POLE_HIGH));
		bottom->x = x0;
		bottom->w = x1 - x0;
		strbuf_release(&lo);
		strbuf_release(&hi);
	}
	strbuf_release(&sb);
}

/* "+N ▼" / "▲ N" on a cell's border, clear of the labels when possible. */
static struct rect ui_draw_marker(int y, int x0, int x1, const char *s, bool prefer_left,
				  const struct rect *labels, int nlabels)
{
	int w = text_width(s), right = x1 - 1 - w, left = x0 + 1, at;

	if (w > x1 - x0 - 1)
		return (struct rect){ 0, 0, 0, 0 };
	at = prefer_left ? left : right;
	if (ui_hits_label(y, at, at + w, labels, nlabels)) {
		int other = prefer_left ? right : left;

		if (!ui_hits_label(y, other, other + w, labels, nlabels))
			at = other;
	}
	ui_put(y, at, w, s, ui_color_attr(ROLE_TRAY));
	return (struct rect){ at, y, w, 1 };
}

void ui_draw_card_marks(const struct ui *ui, const struct card *card, struct strbuf *out)
{
	const char *badge = ui_facil_badge(card->decision);

	if (*badge)
		strbuf_addstr(out, badge);
	if (card->locked)
		strbuf_addstr(out, UI_MARK_LOCKED);
	if (card_is_debated(ui->board, card))
		strbuf_addstr(out, UI_MARK_DEBATED);
}

/*
 * A card's text as a slot shows it: wrapped and each line fitted and padded
 * to the width. The same cards are drawn frame after frame, so the lines
 * are kept, per card, in a small table (two ways per set, found by the
 * card's address) with a copy of the text they came from: an entry is used
 * only for the same card, text, width and number of lines. About 400 slots
 * fit on a screen; a miss costs one text_wrap() as before.
 */
#define UI_WRAP_SET_BITS 11
#define UI_WRAP_WAYS 2
#define UI_WRAP_LINES 3

struct ui_wrap {
	const struct card *card;
	char *text;    /* the text the lines were made from */
	int width, max;
	unsigned long used; /* when last used, for replacing the oldest */
	char *lines[UI_WRAP_LINES];
};

static struct ui_wrap ui_wrap_cache[1 << UI_WRAP_SET_BITS][UI_WRAP_WAYS];
static unsigned long ui_wrap_clock;

/* The max lines of card's text, each exactly width columns (borrowed). */
static char *const *ui_card_lines(const struct card *card, int width, int max)
{
	/* Fibonacci hashing: cards lie at regular strides in memory. */
	uint64_t h = (uint64_t)(uintptr_t)card * 0x9E3779B97F4A7C15u;
	struct ui_wrap *set = ui_wrap_cache[h >> (64 - UI_WRAP_SET_BITS)], *w = &set[0];
	struct strbuf lines[UI_WRAP_LINES], sb = STRBUF_INIT;
	int n, i;

	ui_wrap_clock++;
	for (i = 0; i < UI_WRAP_WAYS; i++) {
		if (set[i].card == card && set[i].width == width && set[i].max == max &&
		    set[i].text && !strcmp(set[i].text, card->text)) {
			set[i].used = ui_wrap_clock;
			return set[i].lines;
		}
		if (set[i].used < w->used)
			w = &set[i];
	}
	for (i = 0; i < UI_WRAP_LINES; i++) {
		strbuf_init(&lines[i], 0);
		free(w->lines[i]);
		w->lines[i] = NULL;
	}
	free(w->text);
	n = text_wrap(card->text, width, lines, max);
	for (i = 0; i < max; i++) {
		strbuf_reset(&sb);
		text_fit_pad(&sb, i < n ? lines[i].buf : "", width);
		w->lines[i] = strbuf_detach(&sb, NULL);
	}
	for (i = 0; i < UI_WRAP_LINES; i++)
		strbuf_release(&lines[i]);
	w->card = card;
	w->text = xstrdup(card->text);
	w->width = width;
	w->max = max;
	w->used = ui_wrap_clock;
	return w->lines;
}

/*
 * Puts a row of safe characters, each one or two columns wide, straight into
 * the window's cells (wadd_wchnstr()), as waddstr() would have put them but
 * without its work per character. Returns false, having drawn nothing, for
 * anything else (the caller then draws the row the usual way).
 */
#define UI_ROW_MAX 512

static bool ui_put_cells(int y, int x, const char *s, attr_t attr)
{
	cchar_t cells[UI_ROW_MAX + 1];
	mbstate_t st;
	wchar_t wc[2] = { 0, 0 };
	size_t k = 0, n;
	short pair = (short)PAIR_NUMBER(attr);
	attr_t a = attr & ~A_COLOR;
	int w;

	memset(&st, 0, sizeof(st));
	while (*s) {
		if ((unsigned char)*s < 0x80) {
			wc[0] = (unsigned char)*s;
			n = 1;
			w = *s >= 0x20 && *s < 0x7F ? 1 : -1;
		} else {
			n = mbrtowc(&wc[0], s, MB_CUR_MAX, &st);
			if (n == (size_t)-1 || n == (size_t)-2 || !n)
				return false;
			w = wcwidth(wc[0]);
		}
		if ((w != 1 && w != 2) || k == UI_ROW_MAX)
			return false;
		setcchar(&cells[k++], wc, a, pair, NULL);
		s += n;
	}
	wc[0] = 0;
	setcchar(&cells[k], wc, A_NORMAL, 0, NULL);
	mvadd_wchnstr(y, x, cells, (int)k);
	return true;
}

static void ui_draw_card(struct ui *ui, const struct card *card, struct rect r)
{
	const struct board *b = ui->board;
	struct card *sel = ui_selected(ui);
	bool mono = ui_color_mono(), selected = card == sel;
	bool carried = selected && ui->mode == MODE_CARRY;
	attr_t attr = ui_color_card(b->themes[card->theme].color);
	struct strbuf sb = STRBUF_INIT, marks = STRBUF_INIT;
	int pad = r.w >= 6 ? 1 : 0, badge = mono && r.w >= 4 ? 2 : 0;
	int tw = r.w - 2 * pad - badge, i, mw, rows = r.h < 3 ? r.h : 3;
	char *const *lines = NULL;
	bool exact;

	if (r.w < 1 || r.h < 1 || r.y < 0 || r.y + r.h > LINES)
		return;
	if (ui->query.len)
		attr |= ui_color_attr(ui_card_matches(ui, card) ? ROLE_MATCH : ROLE_DIMMED);
	if (ui_card_dimmed(ui, card))
		attr |= ui_color_attr(ROLE_DIMMED);
	if (selected)
		attr |= ui_color_attr(ROLE_SELECTED);
	/* Decision, lock and debate marks end the first line; the text wraps before them. */
	ui_draw_card_marks(ui, card, &marks);
	mw = marks.len ? text_width(marks.buf) + 1 : 0;
	if (mw && tw - mw < 3)
		mw = 0; /* too narrow: the details (i) still tell */
	if (tw - mw > 0)
		lines = ui_card_lines(card, tw - mw, rows);
	/*
	 * Each piece of a row is safe and of known width: a row that fills the
	 * slot exactly and is not clipped by the screen goes out as it is,
	 * without being fitted again.
	 */
	exact = lines && r.x >= 0 && r.x + r.w <= COLS &&
		(!badge || text_width(ui->badges[card->theme]) == 1);
	for (i = 0; i < rows; i++) {
		strbuf_reset(&sb);
		if (pad)
			strbuf_addstr(&sb, i ? " " : carried ? "»" : selected ? "▸" : " ");
		if (badge) {
			if (i == 0)
				strbuf_addstr(&sb, ui->badges[card->theme]);
			else
				strbuf_addch(&sb, ' ');
			strbuf_addch(&sb, ' ');
		}
		if (lines)
			strbuf_addstr(&sb, lines[i]);
		if (mw) {
			strbuf_addch(&sb, ' ');
			if (i == 0)
				strbuf_addstr(&sb, marks.buf);
			else
				text_fit_pad(&sb, "", mw - 1);
		}
		if (pad)
			strbuf_addstr(&sb, carried && i == 0 ? "«" : " ");
		if (!exact || !ui_put_cells(r.y + i, r.x, sb.buf, attr))
			ui_put_pad(r.y + i, r.x, r.w, sb.buf, attr);
	}
	strbuf_release(&sb);
	strbuf_release(&marks);
}

/* Cards of every cell, and overflow markers (returned in markers, counted in *nmarkers). */
static void ui_draw_cells(struct ui *ui, const struct rect *labels, int nlabels,
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
				ui_draw_card(ui, list[k], layout_cell_slot(l, x, y, (int)(k - first)));
			shown = k - first;
			if (first > 0) {
				strbuf_addf(&sb, " ▲ %zu ", first);
				markers[(*nmarkers)++] =
					ui_draw_marker(l->rowy[j], l->colx[x - 1], l->colx[x],
						       sb.buf, true, labels, nlabels);
			}
			if (first + shown < n) {
				strbuf_reset(&sb);
				strbuf_addf(&sb, " +%zu ▼ ", n - first - shown);
				markers[(*nmarkers)++] =
					ui_draw_marker(l->rowy[j + 1], l->colx[x - 1], l->colx[x],
						       sb.buf, false, labels, nlabels);
			}
			strbuf_release(&sb);
		}
	}
}

static void ui_draw_grid(struct ui *ui)
{
	const struct layout *l = &ui->layout;
	struct rect labels[3 + 2 * BOARD_MAX_CELLS * BOARD_MAX_CELLS];
	int nmarkers = 0;

	if (!l->cells) {
		ui_put_centred(l->grid.y + l->grid.h / 2, 0, COLS, _("this board has no grid"),
			       ui_color_attr(ROLE_POLE));
		return;
	}
	ui_draw_lines(ui);
	ui_draw_poles(ui, &labels[0], &labels[1]);
	ui_draw_cells(ui, labels, 2, labels + 3, &nmarkers);
	labels[2] = ui_draw_easy_label(ui, labels + 3, nmarkers);
	ui_draw_zone_labels(ui, labels, 3 + nmarkers);
	if (ui->mode == MODE_ZONE || ui->mode == MODE_ZONE_NAME || ui->mode == MODE_ZONE_COLOR)
		ui_draw_zone_cursor(ui);
}

static void ui_draw_tray(struct ui *ui)
{
	const struct layout *l = &ui->layout;
	struct strbuf sb = STRBUF_INIT;
	size_t n, k, first, cap = (size_t)layout_tray_capacity(l);
	struct card **list = layout_view_list(&ui->view, 0, 0, &n);
	int x, used;

	for (x = 0; x < l->tray.w; x++)
		ui_put_wch(l->tray.y, l->tray.x + x, L'─', ui_color_attr(ROLE_LINE));
	if (n)
		strbuf_addf(&sb, _(" Tray: %zu not placed on this grid "), n);
	else
		strbuf_addstr(&sb, _(" Tray: empty (a card moved down from the bottom row lands here) "));
	used = ui_put(l->tray.y, 1, l->tray.w - 2, sb.buf, ui_color_attr(ROLE_TRAY));
	first = (size_t)ui->scroll.tray * (size_t)l->tray_cols;
	for (k = first; k < n && k < first + cap; k++)
		ui_draw_card(ui, list[k], layout_tray_slot(l, (int)(k - first)));
	strbuf_reset(&sb);
	if (first > 0)
		strbuf_addf(&sb, " ▲ %zu ", first);
	if (k < n)
		strbuf_addf(&sb, " +%zu ▼ ", n - k);
	if (sb.len && text_width(sb.buf) < l->tray.w - used - 3)
		ui_put_right(l->tray.y, l->tray.w - 1, l->tray.w - used - 3, sb.buf,
			     ui_color_attr(ROLE_TRAY));
	strbuf_release(&sb);
}

static void ui_draw_legend(struct ui *ui)
{
	const struct layout *l = &ui->layout;
	const struct board *b = ui->board;
	int x = 0, end = l->legend.w;
	size_t t;

	if (l->legend.h < 1)
		return;
	x += ui_put(l->legend.y, x, end - x, _("Themes: "), ui_color_attr(ROLE_POLE));
	for (t = 0; t < b->nthemes && end - x >= 6; t++) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, " %s ", ui->badges[t]);
		x += ui_put(l->legend.y, x, end - x, sb.buf, ui_color_swatch(b->themes[t].color));
		strbuf_reset(&sb);
		strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, b->themes[t].label);
		strbuf_addstr(&sb, "  ");
		x += ui_put(l->legend.y, x, end - x, sb.buf, ui_color_attr(ROLE_NORMAL));
		strbuf_release(&sb);
	}
}

/*
 * The right part of the status bar, at a level of detail: 0 full, 1 fewer
 * words, 2 the fewest (for narrow terminals).
 */
static void ui_status_right(struct ui *ui, int level, struct strbuf *out)
{
	const struct board *b = ui->board;
	const struct session *s = &ui->session;
	size_t placed = 0, unplaced = b->ncards, easy = 0;
	char iso[ISO8601_LEN + 1];

	if (b->ngrids) {
		/* From the cells (ui_sync() keeps the view current), not a pass over the cards. */
		if (ui->view.storage && ui->view.board == b && ui->view.grid == ui->grid &&
		    ui->view.generation == b->generation)
			layout_view_counts(&ui->view, b, &placed, &unplaced, &easy);
		else
			board_grid_counts(b, ui->grid, &placed, &unplaced, &easy);
		strbuf_addf(out, level ? " │ %zu/%zu" : _(" │ grid %zu/%zu"), ui->grid + 1,
			    b->ngrids);
	}
	if (level)
		strbuf_addf(out, _(" │ %zu placed · %zu tray · %zu easy"), placed, unplaced, easy);
	else
		strbuf_addf(out, _(" │ %zu placed · %zu in tray · %zu in easy zone"), placed,
			    unplaced, easy);
	if (ui->by && ui->facilitator && level == 2)
		strbuf_addf(out, " │ ⚑ %s", ui->by);
	else if (ui->by && ui->facilitator)
		strbuf_addf(out, level ? _(" │ %s (facilitator)") : _(" │ by %s, facilitator"), ui->by);
	else if (ui->by)
		strbuf_addf(out, level ? " │ %s" : _(" │ by %s"), ui->by);
	else if (ui->facilitator)
		strbuf_addstr(out, level == 2 ? " │ ⚑" : _(" │ facilitator"));
	if (ui->mine)
		strbuf_addstr(out, level ? _(" │ mine") : _(" │ my cards"));
	if (s->network_fs)
		strbuf_addstr(out, level ? _(" │ ⚠ NFS") : _(" │ ⚠ network file system"));
	/* Live: when the state last matched the files. */
	if (session_shared(s) && level < 2) {
		iso8601_format(s->last_sync ? s->last_sync : clock_now(), iso);
		strbuf_addf(out, level ? _(" │ live %.8s") : _(" │ live, synced %.8s"), iso + 11);
	}
	if (ui->saved_at) {
		iso8601_format(ui->saved_at, iso);
		/* "2019-06-28T10:12:00Z" -> "10:12:00" (UTC) */
		strbuf_addf(out, _(" │ saved %.8s"), iso + 11);
	} else if (level == 2 && session_shared(s)) {
		strbuf_addstr(out, _(" │ live"));
	} else {
		strbuf_addf(out, " │ %s", level ? _("unchanged") : _("not changed yet"));
	}
	strbuf_addch(out, ' ');
}

void ui_draw_status(struct ui *ui, int y)
{
	struct strbuf right = STRBUF_INIT, left = STRBUF_INIT;
	int w = COLS, rw, level;

	ui_put_pad(y, 0, w, "", ui_color_attr(ROLE_STATUS));
	for (level = 0; level < 3; level++) {
		strbuf_reset(&right);
		ui_status_right(ui, level, &right);
		if (text_width(right.buf) + 2 + text_width(ui->board->title) <= w)
			break;
	}
	if (ui->save_error.len) {
		strbuf_addf(&left, _(" NOT SAVED: %s — retrying "), ui->save_error.buf);
		rw = ui_put(y, 0, w, left.buf, ui_color_attr(ROLE_STATUS_ERROR));
		ui_put(y, rw, w - rw, right.buf, ui_color_attr(ROLE_STATUS));
	} else {
		/* The title gets what the rest leaves. */
		rw = text_width(right.buf);
		if (rw > w)
			rw = w;
		strbuf_addch(&left, ' ');
		strbuf_addstr(&left, ui->board->title);
		ui_put(y, 0, w - rw, left.buf, ui_color_attr(ROLE_STATUS) | A_BOLD);
		ui_put_right(y, w, rw, right.buf, ui_color_attr(ROLE_STATUS));
	}
	strbuf_release(&left);
	strbuf_release(&right);
}

struct ui_hint {
	const char *key;
	const char *what;
};

static const struct ui_hint ui_hints_normal[] = {
	{ "←↓↑→", N_("select") }, { "Enter", N_("pick up") }, { "Tab", N_("grid") },
	{ "a", N_("add") },       { "e", N_("edit") },
	{ "x", N_("delete") },    { "i", N_("info") },       { "/", N_("search") },
	{ "u", N_("undo") },      { "s", N_("sieve") },      { "?", N_("all keys") },
	{ "q", N_("quit") },      { NULL, NULL },
};
static const struct ui_hint ui_hints_facilitator[] = {
	{ "←↓↑→", N_("select") }, { "Enter", N_("pick up") }, { "L", N_("lock") },
	{ "v", N_("decide") },    { "z", N_("zones") },      { "d", N_("debated") },
	{ "s", N_("sieve") },     { "R", N_("report") },     { "F", N_("frame") },
	{ "i", N_("info") },      { "u", N_("undo") },       { "?", N_("all keys") },
	{ "q", N_("quit") },
	{ NULL, NULL },
};
static const struct ui_hint ui_hints_carry[] = {
	{ "←↓↑→", N_("move the card one cell") }, { "Enter", N_("drop it here") },
	{ "Esc", N_("put it back") },              { NULL, NULL },
};
static const struct ui_hint ui_hints_edit[] = {
	{ "Enter", N_("done") }, { "Esc", N_("cancel") }, { "←→ Home End", N_("move") },
	{ "BS Del", N_("erase") }, { NULL, NULL },
};
static const struct ui_hint ui_hints_theme[] = {
	{ "↑↓", N_("choose") }, { "Enter", N_("this theme") }, { N_("letter"), N_("that theme") },
	{ "Esc", N_("cancel") }, { NULL, NULL },
};
static const struct ui_hint ui_hints_details[] = {
	{ "←↓↑→", N_("other card") }, { "Tab", N_("other grid") }, { N_("any other key"), N_("close") },
	{ NULL, NULL },
};
static const struct ui_hint ui_hints_help[] = {
	{ "↑↓", N_("scroll") }, { N_("any other key"), N_("close") }, { NULL, NULL },
};
static const struct ui_hint ui_hints_prompt[] = {
	{ "Enter", N_("done") }, { "Esc", N_("cancel") }, { NULL, NULL },
};
static const struct ui_hint ui_hints_rationale[] = {
	{ "Enter", N_("decide (the rationale may stay empty)") }, { "Tab", N_("next decision") },
	{ "Esc", N_("cancel") }, { NULL, NULL },
};
static const struct ui_hint ui_hints_zone[] = {
	{ "←↓↑→", N_("cell") }, { "Space", N_("choose") }, { "Enter", N_("put in a zone") },
	{ "e", N_("easiest zone") }, { "x", N_("out of its zone") }, { "Esc", N_("done") },
	{ NULL, NULL },
};
static const struct ui_hint ui_hints_color[] = {
	{ "↑↓", N_("choose") }, { "Enter", N_("this colour") }, { "Esc", N_("cancel") },
	{ NULL, NULL },
};
static const struct ui_hint ui_hints_sieve[] = {
	{ "↑↓", N_("card") }, { "1-9 < >", N_("sort") }, { "r", N_("reverse") },
	{ "f", N_("theme") }, { "v", N_("decide") }, { "L", N_("lock") },
	{ "Enter", N_("show on its grid") }, { "s", N_("back") }, { NULL, NULL },
};
static const struct ui_hint ui_hints_frame[] = {
	{ "↑↓", N_("choose") }, { "a", N_("add a criterion") }, { "r", N_("rename poles") },
	{ "e", N_("flip the easier pole") }, { "g", N_("new grid") }, { "+ -", N_("cells") },
	{ "Enter", N_("show the grid") }, { "Esc", N_("back") }, { NULL, NULL },
};

/* Key hints after an optional message, on row y. */
void ui_draw_hints_line(struct ui *ui, int y)
{
	const struct ui_hint *h = ui->facilitator ? ui_hints_facilitator : ui_hints_normal;
	int x = 0, w = COLS;

	ui_put_pad(y, 0, w, "", ui_color_attr(ROLE_HINTS));
	if (ui->message.len) {
		x += ui_put(y, x, w - x, ui->message.buf, ui_color_attr(ROLE_MESSAGE));
		x += ui_put(y, x, w - x, "  ", ui_color_attr(ROLE_HINTS));
	}
	switch (ui->mode) {
	case MODE_CARRY: h = ui_hints_carry; break;
	case MODE_EDIT: h = ui_hints_edit; break;
	case MODE_THEME: h = ui_hints_theme; break;
	case MODE_DETAILS: h = ui_hints_details; break;
	case MODE_HELP: h = ui_hints_help; break;
	case MODE_NAME:
	case MODE_ZONE_NAME: h = ui_hints_prompt; break;
	case MODE_RATIONALE: h = ui_hints_rationale; break;
	case MODE_ZONE: h = ui_hints_zone; break;
	case MODE_ZONE_COLOR: h = ui_hints_color; break;
	case MODE_SIEVE: h = ui_hints_sieve; break;
	case MODE_FRAME: h = ui_hints_frame; break;
	case MODE_FRAME_PROMPT: h = ui_hints_prompt; break;
	case MODE_CONFIRM: {
		struct strbuf sb = STRBUF_INIT;
		struct card *sel = ui_selected(ui);

		strbuf_addstr(&sb, _("Delete this card? "));
		x += ui_put(y, x, w - x, sb.buf, ui_color_attr(ROLE_MESSAGE));
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "“");
		text_fit(&sb, sel ? sel->text : "", 40);
		strbuf_addstr(&sb, "” ");
		x += ui_put(y, x, w - x, sb.buf, ui_color_attr(ROLE_HINTS));
		x += ui_put(y, x, w - x, "y", ui_color_attr(ROLE_HINT_KEY));
		x += ui_put(y, x, w - x, _(" deletes, any other key keeps it"), ui_color_attr(ROLE_HINTS));
		strbuf_release(&sb);
		return;
	}
	case MODE_SEARCH:
		return; /* drawn by ui_draw_search() */
	default:
		break;
	}
	for (; h->key && x < w; h++) {
		x += ui_put(y, x, w - x, _(h->key), ui_color_attr(ROLE_HINT_KEY));
		x += ui_put(y, x, w - x, " ", ui_color_attr(ROLE_HINTS));
		x += ui_put(y, x, w - x, _(h->what), ui_color_attr(ROLE_HINTS));
		x += ui_put(y, x, w - x, "  ", ui_color_attr(ROLE_HINTS));
	}
}

static void ui_draw_hints(struct ui *ui)
{
	const struct layout *l = &ui->layout;

	if (!l->hints.h && !ui->message.len && ui->mode != MODE_CONFIRM &&
	    ui->mode != MODE_SEARCH)
		return; /* no room: the status bar stays */
	ui_draw_hints_line(ui, l->hints.h ? l->hints.y : l->status.y);
}

/* An editor's text in w columns at (y, x); returns the cursor's screen column. */
static int ui_draw_editor_line(struct ui_editor *ed, int y, int x, int w, int attr)
{
	struct strbuf line = STRBUF_INIT;
	int cx;

	if (w < 1)
		return x;
	cx = ui_editor_view(ed, w, &line);
	attron(attr);
	mvaddstr(y, x, line.buf);
	attroff(attr);
	strbuf_release(&line);
	return x + cx;
}

/* Returns the cursor column on the hints line. */
static int ui_draw_search(struct ui *ui, int *cy)
{
	const struct layout *l = &ui->layout;
	int y = l->hints.h ? l->hints.y : l->status.y, x, cx, fw;
	struct strbuf sb = STRBUF_INIT;
	size_t i, matches = 0;

	for (i = 0; i < ui->board->ncards; i++)
		if (ui_card_matches(ui, ui->board->cards[i]))
			matches++;
	ui_put_pad(y, 0, COLS, "", ui_color_attr(ROLE_HINTS));
	x = ui_put(y, 0, COLS, "/", ui_color_attr(ROLE_HINT_KEY));
	if (ui->last_query.len)
		strbuf_addf(&sb, _("  %zu matching · Enter keep · Esc clear · ↑ last search"), matches);
	else
		strbuf_addf(&sb, _("  %zu matching · Enter keep · Esc clear"), matches);
	fw = COLS - x - text_width(sb.buf);
	if (fw < 10)
		fw = COLS - x;
	if (fw > 40)
		fw = 40;
	cx = ui_draw_editor_line(&ui->search, y, x, fw, (int)A_UNDERLINE);
	ui_put(y, x + fw, COLS - x - fw, sb.buf, ui_color_attr(ROLE_HINTS));
	strbuf_release(&sb);
	*cy = y;
	return cx;
}

static int ui_draw_editor(struct ui *ui, int *cy)
{
	struct rect r = layout_popup(&ui->layout, 72, 6);
	int cx;

	if (r.w > COLS - 4 && COLS > 24)
		r = layout_popup(&ui->layout, COLS - 4, 6);
	ui_frame(r, ui->adding ? _("New card") : _("Edit card"), ui_color_attr(ROLE_POPUP),
		 ui_color_attr(ROLE_POPUP_TITLE));
	ui_put(r.y + 1, r.x + 2, r.w - 4, ui->adding ? _("Text of the new card:") : _("Text:"),
	       ui_color_attr(ROLE_POPUP));
	cx = ui_draw_editor_line(&ui->editor, r.y + 2, r.x + 2, r.w - 4, (int)A_UNDERLINE);
	ui_put(r.y + 4, r.x + 2, r.w - 4,
	       ui->adding ? _("Enter: choose its theme   Esc: cancel") : _("Enter: save   Esc: cancel"),
	       ui_color_attr(ROLE_POPUP));
	*cy = r.y + 2;
	return cx;
}

static void ui_draw_theme_picker(struct ui *ui)
{
	const struct board *b = ui->board;
	int want_w = 20, i, top, rows;
	struct rect r;

	for (i = 0; i < (int)b->nthemes; i++)
		if (text_width(b->themes[i].label) + 12 > want_w)
			want_w = text_width(b->themes[i].label) + 12;
	r = layout_popup(&ui->layout, want_w, (int)b->nthemes + 2);
	ui_frame(r, ui->adding ? _("Theme of the new card") : _("Theme"),
		 ui_color_attr(ROLE_POPUP), ui_color_attr(ROLE_POPUP_TITLE));
	rows = r.h - 2;
	if (rows < 1)
		return;
	top = (int)ui->theme_cursor - rows + 1;
	if (top < 0)
		top = 0;
	for (i = 0; i < rows && top + i < (int)b->nthemes; i++) {
		size_t t = (size_t)(top + i);
		struct strbuf sb = STRBUF_INIT;
		bool cur = t == ui->theme_cursor;
		int x = r.x + 1;

		x += ui_put(r.y + 1 + i, x, 2, cur ? "▶ " : "  ", ui_color_attr(ROLE_POPUP));
		strbuf_addf(&sb, " %s ", ui->badges[t]);
		x += ui_put(r.y + 1 + i, x, r.x + r.w - 1 - x, sb.buf,
			    ui_color_swatch(b->themes[t].color));
		strbuf_reset(&sb);
		strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, b->themes[t].label);
		ui_put_pad(r.y + 1 + i, x, r.x + r.w - 1 - x, sb.buf,
			   cur ? ui_color_attr(ROLE_SELECTED) : ui_color_attr(ROLE_POPUP));
		strbuf_release(&sb);
	}
}

/* A one-line prompt popup: a title, lines of text above the field, a footer. */
int ui_draw_prompt(struct ui *ui, const char *title, const char *const *above, int nabove,
		   const char *footer, int *cy)
{
	struct rect r = layout_popup(&ui->layout, 72, 5 + nabove);
	int cx, i;

	if (r.w > COLS - 4 && COLS > 24)
		r = layout_popup(&ui->layout, COLS - 4, 5 + nabove);
	ui_frame(r, title, ui_color_attr(ROLE_POPUP), ui_color_attr(ROLE_POPUP_TITLE));
	for (i = 0; i < nabove; i++)
		ui_put(r.y + 1 + i, r.x + 2, r.w - 4, above[i], ui_color_attr(ROLE_POPUP));
	cx = ui_draw_editor_line(&ui->prompt, r.y + 1 + nabove, r.x + 2, r.w - 4, (int)A_UNDERLINE);
	ui_put(r.y + 3 + nabove, r.x + 2, r.w - 4, footer, ui_color_attr(ROLE_POPUP));
	*cy = r.y + 1 + nabove;
	return cx;
}

static int ui_draw_name_prompt(struct ui *ui, int *cy)
{
	const char *above[1] = { _("Your name (or your pair's), kept with every change you make:") };

	return ui_draw_prompt(ui, _("Who is playing?"), above, 1,
			      _("Enter: play   Esc: play without a name"), cy);
}

static int ui_draw_rationale_prompt(struct ui *ui, int *cy)
{
	struct card *card = board_find_card(ui->board, ui->decide_card);
	struct strbuf line1 = STRBUF_INIT, line2 = STRBUF_INIT, title = STRBUF_INIT;
	const char *above[3];
	int cx;

	strbuf_addstr(&line1, "“");
	text_fit(&line1, card ? card->text : "", 60);
	strbuf_addstr(&line1, "”");
	strbuf_addf(&line2, _("%s → %s   (Tab: next decision)"),
		    ui_facil_decision(card ? card->decision : DECISION_UNDECIDED),
		    ui_facil_decision(ui->decide_to));
	strbuf_addf(&title, _("Decision: %s"), ui_facil_decision(ui->decide_to));
	above[0] = line1.buf;
	above[1] = line2.buf;
	above[2] = _("Why? One line, optional:");
	cx = ui_draw_prompt(ui, title.buf, above, 3, _("Enter: decide   Esc: cancel"), cy);
	strbuf_release(&line1);
	strbuf_release(&line2);
	strbuf_release(&title);
	return cx;
}

static int ui_draw_frame_prompt(struct ui *ui, int *cy)
{
	struct strbuf title = STRBUF_INIT;
	const char *above[2];
	int nabove, cx;

	ui_frame_prompt_lines(ui, &title, above, &nabove);
	cx = ui_draw_prompt(ui, title.buf, above, nabove, _("Enter: next   Esc: cancel"), cy);
	strbuf_release(&title);
	return cx;
}

static int ui_draw_zone_prompt(struct ui *ui, int *cy)
{
	const struct grid *grid = &ui->board->grids[ui->grid];
	struct strbuf zones = STRBUF_INIT, title = STRBUF_INIT;
	const char *above[2];
	int x, y, n = 0, cx;
	size_t z;

	for (y = 1; y <= grid->cells; y++)
		for (x = 1; x <= grid->cells; x++)
			n += ui_facil_zone_chosen(ui, x, y);
	strbuf_addf(&title, _("Zone for %d cells"), n ? n : 1);
	if (grid->nzones) {
		strbuf_addstr(&zones, _("Zones of this grid: "));
		for (z = 0; z < grid->nzones; z++)
			strbuf_addf(&zones, "%s%s%s", z ? ", " : "", grid->zones[z].name,
				    grid->zones[z].easy ? " ★" : "");
	} else {
		strbuf_addstr(&zones, _("No zone on this grid yet."));
	}
	above[0] = zones.buf;
	above[1] = _("The zone's name (an existing one adds the cells to it):");
	cx = ui_draw_prompt(ui, title.buf, above, 2, _("Enter: done   Esc: back"), cy);
	strbuf_release(&zones);
	strbuf_release(&title);
	return cx;
}

static const char *const ui_hue_names[HUE_COUNT] = {
	N_("black"), N_("red"), N_("green"), N_("yellow"),
	N_("blue"), N_("magenta"), N_("cyan"), N_("white"),
};

static void ui_draw_zone_colors(struct ui *ui)
{
	struct strbuf title = STRBUF_INIT;
	struct rect r;
	int i;

	strbuf_addf(&title, _("Colour of zone '%s'"), ui->zone_name.buf);
	r = layout_popup(&ui->layout, 36, HUE_COUNT + 2);
	ui_frame(r, title.buf, ui_color_attr(ROLE_POPUP), ui_color_attr(ROLE_POPUP_TITLE));
	for (i = 0; i < HUE_COUNT && i < r.h - 2; i++) {
		bool cur = (size_t)i == ui->color_cursor;
		int x = r.x + 1;

		x += ui_put(r.y + 1 + i, x, 2, cur ? "▶ " : "  ", ui_color_attr(ROLE_POPUP));
		x += ui_put(r.y + 1 + i, x, 4, "    ", ui_color_swatch((enum hue)i));
		ui_put_pad(r.y + 1 + i, x, r.x + r.w - 1 - x, _(ui_hue_names[i]),
			   cur ? ui_color_attr(ROLE_SELECTED) : ui_color_attr(ROLE_POPUP));
	}
	strbuf_release(&title);
}

/* One history event as a line: "06-28 10:15  Binôme 3  moved on 1: tray → 2,2". */
static void ui_details_event(const struct card_event *e, struct strbuf *out)
{
	char iso[ISO8601_LEN + 1];

	iso8601_format(e->at, iso);
	strbuf_addf(out, "  %.5s %.5s  %s  ", iso + 5, iso + 11, e->by ? e->by : "—");
	switch (e->kind) {
	case EVENT_CREATED: strbuf_addstr(out, _("created it")); break;
	case EVENT_MOVED:
		strbuf_addf(out, _("moved it on grid %zu: "), e->grid + 1);
		report_move(out, e->from, e->to);
		break;
	case EVENT_EDITED: strbuf_addstr(out, _("edited its text")); break;
	case EVENT_THEMED: strbuf_addstr(out, _("changed its theme")); break;
	case EVENT_NOTED: strbuf_addstr(out, _("changed its note")); break;
	case EVENT_DECIDED:
		strbuf_addf(out, _("decided: %s → %s"), ui_facil_decision(e->dfrom),
			    ui_facil_decision(e->dto));
		break;
	case EVENT_LOCKED: strbuf_addstr(out, _("locked it")); break;
	case EVENT_UNLOCKED: strbuf_addstr(out, _("unlocked it")); break;
	default: break;
	}
}

/* Lines of the details popup, wrapped to w columns. */

/* Appends label padded with spaces to w display columns (one space at least). */
static void ui_label(struct strbuf *sb, const char *label, int w)
{
	int lw = text_width(label);

	strbuf_addstr(sb, label);
	do
		strbuf_addch(sb, ' ');
	while (++lw < w);
}
static void ui_details_lines(struct ui *ui, const struct card *card, int w, struct strbuf *out,
			     int *nout, int max)
{
	const struct board *b = ui->board;
	struct strbuf sb = STRBUF_INIT, wrap[40];
	int i, n;
	size_t g, c, h;
	char iso[ISO8601_LEN + 1], id[CARD_SHORT_ID_LEN + 1], fp[SIGN_FINGERPRINT_LEN + 1];
	const struct decision_entry *d;
	struct strbuf why = STRBUF_INIT;
	enum sign_status st;

#define ADD_LINE(s)                                                                    \
	do {                                                                           \
		if (*nout < max) {                                                     \
			strbuf_reset(&out[*nout]);                                     \
			strbuf_addstr(&out[*nout], (s));                               \
			(*nout)++;                                                     \
		}                                                                      \
	} while (0)

	for (i = 0; i < 40; i++)
		strbuf_init(&wrap[i], 0);
	/* Wrapped lines are already sanitized; labels and values are too, by ui_put(). */
	n = text_wrap(card->text, w, wrap, 12);
	for (i = 0; i < n; i++)
		ADD_LINE(wrap[i].buf);
	ADD_LINE("");
	ui_label(&sb, _("Theme"), 10);
	strbuf_addf(&sb, "[%s] %s", ui->badges[card->theme],
		    b->themes[card->theme].label);
	ADD_LINE(sb.buf);
	strbuf_reset(&sb);
	ui_label(&sb, _("By"), 10);
	strbuf_addstr(&sb, card->by ? card->by : "—");
	ADD_LINE(sb.buf);
	strbuf_reset(&sb);
	if (card->created) {
		iso8601_format(card->created, iso);
		ui_label(&sb, _("Created"), 10);
		strbuf_addf(&sb, "%.10s %.5s", iso, iso + 11);
		ADD_LINE(sb.buf);
		strbuf_reset(&sb);
	}
	ui_label(&sb, _("Decision"), 10);
	strbuf_addstr(&sb, ui_facil_decision(card->decision));
	st = sign_card_decision(b, card, &d, &why);
	if (d && d->by)
		strbuf_addf(&sb, _(" (by %s)"), d->by);
	if (d && d->rationale)
		strbuf_addf(&sb, _(": “%s”"), d->rationale);
	ADD_LINE(sb.buf);
	strbuf_reset(&sb);
	/* Once the board lists facilitator keys: whether the decision verifies (sign.h). */
	if (st != SIGN_UNSIGNED) {
		ui_label(&sb, _("Signature"), 10);
		if (st == SIGN_VERIFIED) {
			sign_fingerprint(d->key, fp);
			strbuf_addf(&sb, _("✓ verified, key %s"), fp);
		} else {
			strbuf_addf(&sb, _("✗ UNVERIFIED: %s"), why.buf);
		}
		ADD_LINE(sb.buf);
		strbuf_reset(&sb);
	}
	if (card->pair) {
		ui_label(&sb, _("Pair"), 10);
		strbuf_addstr(&sb, card->pair);
		ADD_LINE(sb.buf);
		strbuf_reset(&sb);
	}
	if (card->locked || card_is_debated(b, card)) {
		ui_label(&sb, _("Marks"), 10);
		if (card->locked)
			strbuf_addf(&sb, "%s %s  ", UI_MARK_LOCKED, _("locked by the facilitator"));
		if (card_is_debated(b, card))
			strbuf_addf(&sb, "%s %s", UI_MARK_DEBATED, _("debated"));
		ADD_LINE(sb.buf);
		strbuf_reset(&sb);
	}
	if (card->note) {
		for (i = 0; i < 40; i++)
			strbuf_reset(&wrap[i]);
		n = text_wrap(card->note, w > 12 ? w - 10 : w, wrap, 6);
		for (i = 0; i < n; i++) {
			strbuf_reset(&sb);
			ui_label(&sb, i ? "" : _("Note"), 10);
			strbuf_addstr(&sb, wrap[i].buf);
			ADD_LINE(sb.buf);
		}
		strbuf_reset(&sb);
	}
	card_short_id(card, id);
	ui_label(&sb, _("Id"), 10);
	strbuf_addstr(&sb, id);
	ADD_LINE(sb.buf);
	strbuf_reset(&sb);
	if (b->ngrids) {
		ADD_LINE("");
		ADD_LINE(_("On every grid:"));
		for (g = 0; g < b->ngrids; g++) {
			struct strbuf label = STRBUF_INIT;

			ui_draw_tab_label(ui, g, &label);
			strbuf_reset(&sb);
			strbuf_addstr(&sb, g == ui->grid ? "▶ " : "  ");
			ui_label(&sb, label.buf, 29);
			if (card_is_placed(card, g))
				strbuf_addf(&sb, _("cell %d,%d%s"), card->place[g].x, card->place[g].y,
					    card_in_easy_zone(b, card, g) ? _("  ★ easiest to launch") : "");
			else
				strbuf_addstr(&sb, _("in the tray"));
			ADD_LINE(sb.buf);
			strbuf_release(&label);
		}
		if (card->nhistory) {
			size_t first = card->nhistory > 12 ? card->nhistory - 12 : 0;

			ADD_LINE("");
			strbuf_reset(&sb);
			if (first)
				strbuf_addf(&sb, _("History (the last 12 of %zu):"), card->nhistory);
			else
				strbuf_addstr(&sb, _("History:"));
			ADD_LINE(sb.buf);
			for (h = first; h < card->nhistory; h++) {
				strbuf_reset(&sb);
				ui_details_event(&card->history[h], &sb);
				ADD_LINE(sb.buf);
			}
		}
		ADD_LINE("");
		ADD_LINE(_("Profile across the criteria (● where the card stands):"));
		for (c = 0; c < b->ncriteria; c++) {
			const struct criterion *cr = &b->criteria[c];
			int pos = 0, cells = 0, k;

			for (g = 0; g < b->ngrids && !cells; g++) {
				if (!card_is_placed(card, g))
					continue;
				if (b->grids[g].x == c) {
					pos = card->place[g].x;
					cells = b->grids[g].cells;
				} else if (b->grids[g].y == c) {
					pos = card->place[g].y;
					cells = b->grids[g].cells;
				}
			}
			strbuf_reset(&sb);
			strbuf_addf(&sb, "  %s%s ", cr->low, cr->easy == POLE_LOW ? "★" : "");
			if (!cells)
				strbuf_addstr(&sb, "· · ·");
			for (k = 1; k <= cells; k++)
				strbuf_addstr(&sb, k == pos ? "●" : "○");
			strbuf_addf(&sb, " %s%s", cr->high, cr->easy == POLE_HIGH ? "★" : "");
			ADD_LINE(sb.buf);
		}
	}
#undef ADD_LINE
	for (i = 0; i < 40; i++)
		strbuf_release(&wrap[i]);
	strbuf_release(&sb);
	strbuf_release(&why);
}

static void ui_draw_details(struct ui *ui)
{
	struct card *card = ui_selected(ui);
	struct strbuf lines[64];
	struct rect r;
	int n = 0, i, w;

	if (!card)
		return;
	w = COLS - 6 < 74 ? COLS - 6 : 74;
	if (w < 10)
		return;
	for (i = 0; i < 64; i++)
		strbuf_init(&lines[i], 0);
	ui_details_lines(ui, card, w, lines, &n, 64);
	r = layout_popup(&ui->layout, w + 4, n + 2);
	ui_frame(r, _("Card details"), ui_color_attr(ROLE_POPUP), ui_color_attr(ROLE_POPUP_TITLE));
	/* PgDn / PgUp scroll what does not fit. */
	if (ui->popup_top > n - (r.h - 2))
		ui->popup_top = n - (r.h - 2) > 0 ? n - (r.h - 2) : 0;
	for (i = 0; i + ui->popup_top < n && i < r.h - 2; i++)
		ui_put(r.y + 1 + i, r.x + 2, r.w - 4, lines[i + ui->popup_top].buf,
		       i + ui->popup_top == 0 ? ui_color_attr(ROLE_POPUP_TITLE)
					      : ui_color_attr(ROLE_POPUP));
	if (n - ui->popup_top > r.h - 2 && r.h > 2)
		ui_put_pad(r.y + r.h - 2, r.x + 2, r.w - 4, _("… PgDn: more"), ui_color_attr(ROLE_POPUP));
	for (i = 0; i < 64; i++)
		strbuf_release(&lines[i]);
}

static const struct ui_hint ui_help_keys[] = {
	{ "←↓↑→ h j k l", N_("select the nearest card that way (cells and tray)") },
	{ "Enter Space", N_("pick the card up; again to drop it") },
	{ "  ←↓↑→ h j k l", N_("while carrying: move it one cell (down from the bottom: tray)") },
	{ "  Esc", N_("while carrying: put it back where it was") },
	{ "Tab S-Tab", N_("next / previous grid") },
	{ "1 … 9", N_("grid N") },
	{ "a", N_("add a card (then choose its theme)") },
	{ "e", N_("edit the card's text") },
	{ "t", N_("change the card's theme") },
	{ "x", N_("delete the card (asks y/n)") },
	{ "i", N_("details: full text, author, pair, cells, history (PgDn: more)") },
	{ "u  Ctrl-R", N_("undo / redo your own changes (others see them)") },
	{ "/", N_("a new search, as you type (↑ recalls the last one)") },
	{ "n N", N_("next / previous match of the last search") },
	{ "Esc", N_("clear the search") },
	{ "d", N_("next debated card (⁉), through the grids") }, /* UI_MARK_DEBATED */
	{ "m", N_("my cards: dim the cards not dealt to or written by me") },
	{ "s", N_("the sieve: every card ranked, sorted and filtered at will") },
	{ "R", N_("write the report to a new dated file next to the board") },
	{ N_("facilitator:"), "" },
	{ "  L", N_("lock / unlock the card (⊠): pairs cannot move it") }, /* UI_MARK_LOCKED */
	{ "  v", N_("decide: undecided → V1 → V2 → elsewhere (→), with a rationale") },
	{ "  z", N_("zones: Space chooses cells, Enter names their zone") },
	{ "    e  x", N_("in zones: the easiest zone (★) / cells out of their zone") },
	{ "  F", N_("the frame: add or rename criteria, flip the easier pole, add grids, cells") },
	{ "?", N_("this help (↑↓ scroll)") },
	{ "q", N_("quit (every change is already saved)") },
	{ N_("mouse"), N_("click selects, drag & drop moves, click a tab, wheel scrolls") },
	{ NULL, NULL },
};

static void ui_draw_help(struct ui *ui)
{
	int n = 0, i, kw = 16, rows;
	struct rect r;

	while (ui_help_keys[n].key)
		n++;
	r = layout_popup(&ui->layout, 84, n + 4);
	ui_frame(r, _("Keys"), ui_color_attr(ROLE_POPUP), ui_color_attr(ROLE_POPUP_TITLE));
	rows = r.h - 4;
	if (rows < 1)
		return;
	if (ui->popup_top > n - rows)
		ui->popup_top = n - rows > 0 ? n - rows : 0;
	for (i = 0; i < rows && i + ui->popup_top < n; i++) {
		const struct ui_hint *h = &ui_help_keys[i + ui->popup_top];

		ui_put(r.y + 1 + i, r.x + 2, kw, _(h->key), ui_color_attr(ROLE_HINT_KEY));
		if (*h->what)
			ui_put(r.y + 1 + i, r.x + 2 + kw, r.w - 4 - kw, _(h->what),
			       ui_color_attr(ROLE_POPUP));
	}
	if (ui->popup_top + rows < n)
		ui_put(r.y + r.h - 3, r.x + r.w - 8, 6, "↓ …", ui_color_attr(ROLE_POPUP));
	ui_put(r.y + r.h - 2, r.x + 2, r.w - 4,
	       _("Every change is saved at once and seen live by everyone on this board."),
	       ui_color_attr(ROLE_POPUP));
}

static void ui_draw_too_small(struct ui *ui)
{
	struct strbuf sb = STRBUF_INIT;
	int y = LINES / 2 - 1;

	if (y < 0)
		y = 0;
	ui_put_centred(y, 0, COLS, _("terminal too small"), ui_color_attr(ROLE_POLE));
	strbuf_addf(&sb, _("%dx%d, needs %dx%d"), COLS, LINES, ui->layout.need_cols,
		    ui->layout.need_rows);
	if (y + 1 < LINES)
		ui_put_centred(y + 1, 0, COLS, sb.buf, ui_color_attr(ROLE_NORMAL));
	if (y + 2 < LINES)
		ui_put_centred(y + 2, 0, COLS, _("q quits"), ui_color_attr(ROLE_NORMAL));
	strbuf_release(&sb);
}

void ui_draw(struct ui *ui)
{
	int cx = -1, cy = -1;

	erase();
	if (ui->mode == MODE_SIEVE || (ui->mode == MODE_RATIONALE && ui->prompt_back == MODE_SIEVE)) {
		ui_sieve_draw(ui);
		if (ui->mode == MODE_RATIONALE)
			cx = ui_draw_rationale_prompt(ui, &cy);
		goto done;
	}
	if (ui->mode == MODE_FRAME || ui->mode == MODE_FRAME_PROMPT) {
		ui_frame_draw(ui);
		if (ui->mode == MODE_FRAME_PROMPT)
			cx = ui_draw_frame_prompt(ui, &cy);
		goto done;
	}
	if (ui->layout.too_small) {
		ui_draw_too_small(ui);
		if (ui->mode == MODE_NAME)
			cx = ui_draw_name_prompt(ui, &cy);
		goto done;
	}
	ui_draw_tabs(ui);
	ui_draw_grid(ui);
	ui_draw_tray(ui);
	ui_draw_legend(ui);
	ui_draw_status(ui, ui->layout.status.y);
	ui_draw_hints(ui);
	switch (ui->mode) {
	case MODE_EDIT: cx = ui_draw_editor(ui, &cy); break;
	case MODE_THEME: ui_draw_theme_picker(ui); break;
	case MODE_DETAILS: ui_draw_details(ui); break;
	case MODE_HELP: ui_draw_help(ui); break;
	case MODE_SEARCH: cx = ui_draw_search(ui, &cy); break;
	case MODE_NAME: cx = ui_draw_name_prompt(ui, &cy); break;
	case MODE_RATIONALE: cx = ui_draw_rationale_prompt(ui, &cy); break;
	case MODE_ZONE_NAME: cx = ui_draw_zone_prompt(ui, &cy); break;
	case MODE_ZONE_COLOR: ui_draw_zone_colors(ui); break;
	default: break;
	}
done:
	if (cx >= 0 && cy >= 0 && cx < COLS && cy < LINES) {
		curs_set(1);
		move(cy, cx);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

void ui_draw_dump(FILE *f)
{
	int y, x;

	for (y = 0; y < LINES; y++) {
		struct strbuf line = STRBUF_INIT;
		size_t keep = 0;

		for (x = 0; x < COLS; x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t attrs;
			short pair;
			int i, w = 1;

			if (mvin_wch(y, x, &cc) == ERR ||
			    getcchar(&cc, wch, &attrs, &pair, NULL) == ERR || !wch[0]) {
				strbuf_addch(&line, ' ');
				continue;
			}
			for (i = 0; wch[i]; i++)
				utf8_encode(&line, (uint32_t)wch[i]);
			w = wcwidth(wch[0]);
			if (w > 1)
				x += w - 1; /* the next column is the same character */
			if (wch[0] != L' ' || i > 1)
				keep = line.len;
		}
		strbuf_setlen(&line, keep);
		fprintf(f, "%s\n", line.buf);
		strbuf_release(&line);
	}
}
