/*
 * layout.c - screen geometry of the terminal board (see layout.h).
 */
#include "layout.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static int layout_min(int a, int b)
{
	return a < b ? a : b;
}

static int layout_max(int a, int b)
{
	return a > b ? a : b;
}

/* Rows kept for the tray's cards on a terminal 'rows' high. */
static int layout_tray_max_rows(int rows)
{
	if (rows >= 40)
		return 6;
	if (rows >= 30)
		return 4;
	if (rows >= 20)
		return 3;
	if (rows >= 16)
		return 2;
	return 1;
}

/* Columns of each side label (x poles); 0 puts them on the bottom border. */
static int layout_side_width(int cols)
{
	if (cols >= 120)
		return 16;
	if (cols >= 80)
		return 12;
	if (cols >= 64)
		return 10;
	return 0;
}

static void layout_tabs(struct layout *l, const struct layout_params *p)
{
	int n = (int)(p->ngrids < LAYOUT_MAX_TABS ? p->ngrids : LAYOUT_MAX_TABS);
	int cap = 1, i, x, total;

	l->tabs = (struct rect){ 0, 0, l->cols, 1 };
	l->ntabs = 0;
	if (n == 0 || !p->tab_widths)
		return;
	for (i = 0; i < n; i++)
		cap = layout_max(cap, p->tab_widths[i]);
	/* Shrink every label to the same cap until the tabs fit. */
	for (; cap > 1; cap--) {
		total = n - 1;
		for (i = 0; i < n; i++)
			total += layout_min(layout_max(p->tab_widths[i], 1), cap) + 2;
		if (total <= l->cols)
			break;
	}
	x = 0;
	for (i = 0; i < n; i++) {
		int w = layout_min(layout_max(p->tab_widths[i], 1), cap) + 2;

		if (x + w > l->cols)
			break;
		l->tab[i] = (struct rect){ x, 0, w, 1 };
		x += w + 1;
		l->ntabs = i + 1;
	}
}

/* Splits 'total' columns (or rows) into n parts after lines: positions of n+1 lines. */
static void layout_lines(int *pos, int start, int total, int n)
{
	int inner = total - (n + 1);
	int base = inner / n, rem = inner % n;
	int i;

	pos[0] = start;
	for (i = 0; i < n; i++)
		pos[i + 1] = pos[i] + 1 + base + (i < rem ? 1 : 0);
}

/*
 * Chooses the card geometry for cells of iw x ih holding up to m cards: when
 * several geometries fit every card, the one giving each card the most text
 * room; when none does, one-line cards in as many columns as stay readable.
 */
static void layout_slots(struct layout *l, int iw, int ih, size_t m)
{
	int best_area = -1, best_cap = -1;
	int h, c;

	l->card_w = layout_max(iw, 1);
	l->card_h = 1;
	l->gap_x = 1;
	l->gap_y = 0;
	l->slot_cols = 1;
	l->slot_rows = layout_max(ih, 0);
	if (m < 1)
		m = 1;
	for (h = 1; h <= 3; h++) {
		int gy = h > 1 ? 1 : 0;
		int rows = (ih + gy) / (h + gy);
		int cmin = (iw + 1 + LAYOUT_CARD_MAX_W) / (LAYOUT_CARD_MAX_W + 1);

		if (rows < 1)
			continue;
		for (c = layout_max(cmin, 1);; c++) {
			int w = (iw - (c - 1)) / c;
			int cap = c * rows;

			if (w < 1 || (c > 1 && w < LAYOUT_CARD_MIN_W))
				break;
			if ((size_t)cap < m)
				continue;
			if (w * h > best_area) {
				best_area = w * h;
				l->card_w = w;
				l->card_h = h;
				l->gap_y = gy;
				l->slot_cols = c;
				l->slot_rows = rows;
			}
		}
	}
	if (best_area >= 0)
		return;
	/* Nothing holds every card: one-line cards, as many as stay readable. */
	for (c = 1;; c++) {
		int w = (iw - (c - 1)) / c;

		if (w < 1 || (c > 1 && w < LAYOUT_CARD_MIN_W))
			break;
		if (c * ih > best_cap) {
			best_cap = c * ih;
			l->card_w = w;
			l->slot_cols = c;
		}
	}
	l->card_h = 1;
	l->gap_y = 0;
	l->slot_rows = ih;
}

/* Tray rows on a terminal 'rows' high holding ntray cards in tray_cols columns. */
static int layout_tray_rows(int rows, size_t ntray, int tray_cols)
{
	int need = (int)((ntray + (size_t)tray_cols - 1) / (size_t)tray_cols);

	return layout_max(1, layout_min(need, layout_tray_max_rows(rows)));
}

/* Rows left for the grid box on a terminal 'rows' high. */
static int layout_grid_rows(int rows, size_t ntray, int tray_cols)
{
	return rows - 1 - (rows >= 16) - 1 - (rows >= 20) - 1 -
	       layout_tray_rows(rows, ntray, tray_cols);
}

void layout_compute(struct layout *l, const struct layout_params *p)
{
	int cols = p->cols, rows = p->rows;
	int by, avail, gh, gw, sw, n = p->cells;
	int iw, ih;

	memset(l, 0, sizeof(*l));
	l->cols = cols;
	l->rows = rows;
	l->need_cols = LAYOUT_MIN_COLS;
	l->need_rows = LAYOUT_MIN_ROWS;
	if (n < 0 || n > BOARD_MAX_CELLS)
		n = 0;
	if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
		l->too_small = true;
		return;
	}

	layout_tabs(l, p);

	/* Bottom up: hints, status, legend, tray. */
	by = rows;
	if (rows >= 16) {
		l->hints = (struct rect){ 0, by - 1, cols, 1 };
		by--;
	}
	l->status = (struct rect){ 0, by - 1, cols, 1 };
	by--;
	if (rows >= 20) {
		l->legend = (struct rect){ 0, by - 1, cols, 1 };
		by--;
	}
	l->tray_card_w = cols >= 120 ? 28 : cols >= 80 ? 24 : 18;
	avail = cols - 2;
	l->tray_cols = layout_max(1, (avail + 1) / (l->tray_card_w + 1));
	l->tray_card_w = (avail - (l->tray_cols - 1)) / l->tray_cols;
	l->tray_rows = layout_tray_rows(rows, p->ntray, l->tray_cols);
	l->tray = (struct rect){ 0, by - 1 - l->tray_rows, cols, 1 + l->tray_rows };
	by -= 1 + l->tray_rows;

	/* The grid takes what is left between the tabs and the tray. */
	gh = by - 1;
	l->cells = n;
	assert(gh == layout_grid_rows(rows, p->ntray, l->tray_cols));
	if (n == 0) {
		l->grid = (struct rect){ 0, 1, cols, gh };
		return;
	}
	sw = layout_side_width(cols);
	gw = cols - 2 * sw;
	if (gh < 2 * n + 1 || gw < 3 * n + 1) {
		l->too_small = true;
		l->need_rows = rows;
		while (layout_grid_rows(l->need_rows, p->ntray, l->tray_cols) < 2 * n + 1)
			l->need_rows++;
		l->need_cols = cols;
		while (l->need_cols - 2 * layout_side_width(l->need_cols) < 3 * n + 1)
			l->need_cols++;
		return;
	}
	l->grid = (struct rect){ sw, 1, gw, gh };
	if (sw > 0) {
		l->side_left = (struct rect){ 0, 1, sw, gh };
		l->side_right = (struct rect){ cols - sw, 1, sw, gh };
	}
	layout_lines(l->colx, l->grid.x, gw, n);
	layout_lines(l->rowy, l->grid.y, gh, n);

	/* Every cell gets the geometry of the smallest one. */
	iw = (gw - (n + 1)) / n;
	ih = (gh - (n + 1)) / n;
	l->pad = iw >= 14 ? 1 : 0;
	layout_slots(l, iw - 2 * l->pad, ih, p->max_in_cell);
}

struct rect layout_cell_rect(const struct layout *l, int x, int y)
{
	struct rect r = { 0, 0, 0, 0 };
	int i = x - 1, j = l->cells - y;

	if (l->too_small || x < 1 || y < 1 || x > l->cells || y > l->cells)
		return r;
	r.x = l->colx[i] + 1;
	r.w = l->colx[i + 1] - l->colx[i] - 1;
	r.y = l->rowy[j] + 1;
	r.h = l->rowy[j + 1] - l->rowy[j] - 1;
	return r;
}

int layout_cell_capacity(const struct layout *l)
{
	if (l->too_small || l->cells == 0)
		return 0;
	return l->slot_cols * l->slot_rows;
}

int layout_tray_capacity(const struct layout *l)
{
	if (l->too_small)
		return 0;
	return l->tray_cols * l->tray_rows;
}

struct rect layout_cell_slot(const struct layout *l, int x, int y, int k)
{
	struct rect c = layout_cell_rect(l, x, y);
	struct rect r = { 0, 0, 0, 0 };

	if (c.w <= 0 || k < 0 || l->slot_cols < 1)
		return r;
	r.x = c.x + l->pad + (k % l->slot_cols) * (l->card_w + l->gap_x);
	r.y = c.y + (k / l->slot_cols) * (l->card_h + l->gap_y);
	r.w = l->card_w;
	r.h = l->card_h;
	return r;
}

struct rect layout_tray_slot(const struct layout *l, int k)
{
	struct rect r = { 0, 0, 0, 0 };

	if (l->too_small || k < 0 || l->tray_cols < 1)
		return r;
	r.x = l->tray.x + 1 + (k % l->tray_cols) * (l->tray_card_w + 1);
	r.y = l->tray.y + 1 + k / l->tray_cols;
	r.w = l->tray_card_w;
	r.h = 1;
	return r;
}

struct rect layout_popup(const struct layout *l, int want_w, int want_h)
{
	struct rect r;

	r.w = layout_max(0, layout_min(want_w, l->cols));
	r.h = layout_max(0, layout_min(want_h, l->rows));
	r.x = (l->cols - r.w) / 2;
	r.y = (l->rows - r.h) / 2;
	return r;
}

static bool rect_contains(struct rect r, int x, int y)
{
	return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

/* Which slot of a grid of cols x rows slots (cw x ch, gaps gx, gy) holds (px, py), or -1. */
static int layout_slot_at(int px, int py, int cw, int ch, int gx, int gy, int cols, int rows)
{
	int col, row;

	if (px < 0 || py < 0 || cw < 1 || ch < 1)
		return -1;
	col = px / (cw + gx);
	row = py / (ch + gy);
	if (px % (cw + gx) >= cw || py % (ch + gy) >= ch)
		return -1;
	if (col >= cols || row >= rows)
		return -1;
	return row * cols + col;
}

struct layout_hit layout_hit_test(const struct layout *l, int sx, int sy)
{
	struct layout_hit h = { HIT_NONE, -1, 0, 0, -1 };
	int i, j;

	if (l->too_small)
		return h;
	if (sy == l->tabs.y) {
		for (i = 0; i < l->ntabs; i++) {
			if (rect_contains(l->tab[i], sx, sy)) {
				h.kind = HIT_TAB;
				h.index = i;
				return h;
			}
		}
		return h;
	}
	if (l->cells > 0 && rect_contains(l->grid, sx, sy)) {
		for (i = 0; i < l->cells; i++)
			if (sx > l->colx[i] && sx < l->colx[i + 1])
				break;
		for (j = 0; j < l->cells; j++)
			if (sy > l->rowy[j] && sy < l->rowy[j + 1])
				break;
		if (i == l->cells || j == l->cells)
			return h; /* on a line */
		h.kind = HIT_CELL;
		h.x = i + 1;
		h.y = l->cells - j;
		h.slot = layout_slot_at(sx - (l->colx[i] + 1 + l->pad), sy - (l->rowy[j] + 1),
					l->card_w, l->card_h, l->gap_x, l->gap_y,
					l->slot_cols, l->slot_rows);
		return h;
	}
	if (rect_contains(l->tray, sx, sy)) {
		h.kind = HIT_TRAY;
		if (sy > l->tray.y)
			h.slot = layout_slot_at(sx - (l->tray.x + 1), sy - (l->tray.y + 1),
						l->tray_card_w, 1, 1, 0, l->tray_cols,
						l->tray_rows);
		return h;
	}
	return h;
}

/* True when place p is a cell of an n-cell view (else the card is in its tray). */
static bool layout_view_on_cell(struct cell p, int n)
{
	return n && p.x >= 1 && p.x <= n && p.y >= 1 && p.y <= n;
}

/* Points the lists into storage, in order (cells by x then y, then the tray), from the counts. */
static void layout_view_link(struct layout_view *v)
{
	size_t idx = 0;
	int x, y;

	v->max_in_cell = 0;
	for (x = 0; x < v->cells; x++) {
		for (y = 0; y < v->cells; y++) {
			v->cell[x][y] = v->storage + idx;
			idx += v->ncell[x][y];
			if (v->ncell[x][y] > v->max_in_cell)
				v->max_in_cell = v->ncell[x][y];
		}
	}
	v->tray = v->storage + idx;
}

void layout_view_build(struct layout_view *v, const struct board *b, size_t g)
{
	size_t i;
	int n = 0, x, y;
	size_t fill[BOARD_MAX_CELLS][BOARD_MAX_CELLS];
	size_t tray_fill = 0;

	memset(v, 0, sizeof(*v));
	v->grid = g;
	if (g < b->ngrids)
		n = b->grids[g].cells;
	if (n < 0 || n > BOARD_MAX_CELLS)
		n = 0;
	v->cells = n;
	v->board = b;
	v->generation = b->generation;
	v->nstorage = b->ncards;
	v->storage = xcalloc(b->ncards ? b->ncards : 1, sizeof(*v->storage));
	v->pos = xcalloc(b->ncards ? b->ncards : 1, sizeof(*v->pos));

	for (i = 0; i < b->ncards; i++) {
		const struct card *c = b->cards[i];

		if (g < b->ngrids && layout_view_on_cell(c->place[g], n))
			v->ncell[c->place[g].x - 1][c->place[g].y - 1]++;
		else
			v->ntray++;
	}
	layout_view_link(v);
	memset(fill, 0, sizeof(fill));
	for (i = 0; i < b->ncards; i++) {
		struct card *c = b->cards[i];
		size_t at;

		if (g < b->ngrids && layout_view_on_cell(c->place[g], n)) {
			x = c->place[g].x - 1;
			y = c->place[g].y - 1;
			at = (size_t)(v->cell[x][y] - v->storage) + fill[x][y]++;
		} else {
			at = (size_t)(v->tray - v->storage) + tray_fill++;
		}
		v->storage[at] = c;
		v->pos[at] = i;
	}
}

/* The range [*start, *end) of storage holding the container of place p. */
static void layout_view_range(const struct layout_view *v, struct cell p, size_t *start,
			      size_t *end)
{
	if (layout_view_on_cell(p, v->cells)) {
		*start = (size_t)(v->cell[p.x - 1][p.y - 1] - v->storage);
		*end = *start + v->ncell[p.x - 1][p.y - 1];
	} else {
		*start = (size_t)(v->tray - v->storage);
		*end = *start + v->ntray;
	}
}

/*
 * Follows one placement on the view's grid: the card leaves its list and
 * joins the other at its board position; the lists between shift by one.
 * Returns false when the card is not where the move says (rebuild then).
 */
static bool layout_view_move(struct layout_view *v, const struct board_move *m)
{
	size_t fs, fe, ts, te, ia, k, lo, hi, p;
	struct card *card;

	layout_view_range(v, m->from, &fs, &fe);
	layout_view_range(v, m->to, &ts, &te);
	for (ia = fs; ia < fe && v->storage[ia] != m->card; ia++)
		;
	if (ia == fe)
		return false;
	if (!layout_view_on_cell(m->from, v->cells) && !layout_view_on_cell(m->to, v->cells))
		return true; /* from the tray to the tray (a place outside the grid) */
	card = v->storage[ia];
	p = v->pos[ia];
	/* First entry of the destination past the card in board order. */
	lo = ts;
	hi = te;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->pos[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	k = lo;
	if (ia < k) {
		k--;
		memmove(v->storage + ia, v->storage + ia + 1, (k - ia) * sizeof(*v->storage));
		memmove(v->pos + ia, v->pos + ia + 1, (k - ia) * sizeof(*v->pos));
	} else {
		memmove(v->storage + k + 1, v->storage + k, (ia - k) * sizeof(*v->storage));
		memmove(v->pos + k + 1, v->pos + k, (ia - k) * sizeof(*v->pos));
	}
	v->storage[k] = card;
	v->pos[k] = p;
	if (layout_view_on_cell(m->from, v->cells))
		v->ncell[m->from.x - 1][m->from.y - 1]--;
	else
		v->ntray--;
	if (layout_view_on_cell(m->to, v->cells))
		v->ncell[m->to.x - 1][m->to.y - 1]++;
	else
		v->ntray++;
	layout_view_link(v);
	return true;
}

void layout_view_update(struct layout_view *v, const struct board *b, size_t g)
{
	const struct board_move *m;
	int n = g < b->ngrids ? b->grids[g].cells : 0;

	if (n < 0 || n > BOARD_MAX_CELLS)
		n = 0;
	if (!v->storage || v->board != b || v->grid != g || v->cells != n ||
	    v->nstorage != b->ncards)
		goto rebuild;
	if (v->previewing) {
		/* The carried card back where the board has it, as before the preview. */
		struct board_move back = v->preview;

		back.from = v->preview.to;
		back.to = v->preview.from;
		v->previewing = false;
		if (!layout_view_move(v, &back))
			goto rebuild;
	}
	while (v->generation != b->generation) {
		m = board_move_since(b, v->generation);
		if (!m || (m->grid == g && !layout_view_move(v, m)))
			goto rebuild;
		v->generation = m->after;
	}
	return;
rebuild:
	layout_view_release(v);
	layout_view_build(v, b, g);
}

void layout_view_preview(struct layout_view *v, const struct card *card, struct cell at)
{
	struct layout_pos pos;
	struct board_move m;

	if (v->previewing || !layout_view_find(v, card, &pos))
		return;
	memset(&m, 0, sizeof(m));
	m.card = card;
	m.grid = v->grid;
	m.from.x = (unsigned char)pos.x;
	m.from.y = (unsigned char)pos.y;
	m.to = at;
	if (layout_view_move(v, &m)) {
		v->preview = m;
		v->previewing = true;
	}
}

void layout_view_release(struct layout_view *v)
{
	free(v->storage);
	free(v->pos);
	memset(v, 0, sizeof(*v));
}

void layout_view_counts(const struct layout_view *v, const struct board *b, size_t *placed,
			size_t *unplaced, size_t *easy)
{
	size_t p = 0, e = 0;
	int x, y;

	for (x = 1; x <= v->cells; x++) {
		for (y = 1; y <= v->cells; y++) {
			p += v->ncell[x - 1][y - 1];
			if (grid_cell_is_easy(b, &b->grids[v->grid], x, y))
				e += v->ncell[x - 1][y - 1];
		}
	}
	if (placed)
		*placed = p;
	if (unplaced)
		*unplaced = v->ntray;
	if (easy)
		*easy = e;
}

struct card **layout_view_list(const struct layout_view *v, int x, int y, size_t *n)
{
	if (x >= 1 && y >= 1 && x <= v->cells && y <= v->cells) {
		*n = v->ncell[x - 1][y - 1];
		return v->cell[x - 1][y - 1];
	}
	*n = v->ntray;
	return v->tray;
}

bool layout_view_find(const struct layout_view *v, const struct card *card,
		      struct layout_pos *pos)
{
	struct card **list;
	size_t n, i;
	int x = 0, y = 0;

	if (!card)
		return false;
	if (v->cells) {
		/* A card being carried is where the preview shows it. */
		struct cell at = v->previewing && v->preview.card == card ? v->preview.to
									 : card->place[v->grid];

		x = at.x;
		y = at.y;
		if (x < 1 || y < 1 || x > v->cells || y > v->cells)
			x = y = 0;
	}
	list = layout_view_list(v, x, y, &n);
	for (i = 0; i < n; i++) {
		if (list[i] == card) {
			pos->x = x;
			pos->y = y;
			pos->index = i;
			return true;
		}
	}
	return false;
}

void layout_container_slots(const struct layout *l, int x, int y, int *cols, int *rows)
{
	if (x >= 1 && y >= 1) {
		*cols = l->slot_cols;
		*rows = l->slot_rows;
	} else {
		*cols = l->tray_cols;
		*rows = l->tray_rows;
	}
	if (l->too_small || *cols < 1 || *rows < 0) {
		*cols = 1;
		*rows = 0;
	}
}

int layout_max_scroll(const struct layout *l, int x, int y, size_t n)
{
	int cols, rows;
	long total;

	layout_container_slots(l, x, y, &cols, &rows);
	total = (long)((n + (size_t)cols - 1) / (size_t)cols);
	if (total > INT_MAX)
		total = INT_MAX;
	return layout_max(0, (int)total - rows);
}

void layout_scroll_to(const struct layout *l, int x, int y, size_t index, int *scroll)
{
	int cols, rows;
	long row;

	layout_container_slots(l, x, y, &cols, &rows);
	row = (long)(index / (size_t)cols);
	if (rows < 1)
		return;
	if (row < *scroll)
		*scroll = (int)row;
	else if (row >= (long)*scroll + rows)
		*scroll = (int)(row - rows + 1);
}

void layout_scroll_clamp(const struct layout *l, const struct layout_view *v,
			 struct layout_scroll *s)
{
	int x, y, m;

	for (x = 1; x <= BOARD_MAX_CELLS; x++) {
		for (y = 1; y <= BOARD_MAX_CELLS; y++) {
			int *sc = &s->cell[x - 1][y - 1];

			if (x > v->cells || y > v->cells) {
				*sc = 0;
				continue;
			}
			m = layout_max_scroll(l, x, y, v->ncell[x - 1][y - 1]);
			*sc = layout_max(0, layout_min(*sc, m));
		}
	}
	m = layout_max_scroll(l, 0, 0, v->ntray);
	s->tray = layout_max(0, layout_min(s->tray, m));
}

bool layout_card_rect(const struct layout *l, const struct layout_scroll *s,
		      const struct layout_pos *pos, struct rect *r)
{
	int cols, rows, scroll, row, col;
	bool cell = pos->x >= 1 && pos->y >= 1;

	layout_container_slots(l, pos->x, pos->y, &cols, &rows);
	scroll = cell ? s->cell[pos->x - 1][pos->y - 1] : s->tray;
	row = (int)(pos->index / (size_t)cols) - scroll;
	col = (int)(pos->index % (size_t)cols);
	if (cell) {
		*r = layout_cell_slot(l, pos->x, pos->y, 0);
		r->x += col * (l->card_w + l->gap_x);
		r->y += row * (l->card_h + l->gap_y);
	} else {
		*r = layout_tray_slot(l, 0);
		r->x += col * (l->tray_card_w + 1);
		r->y += row;
	}
	return !l->too_small && row >= 0 && row < rows;
}

/* Distance from centre (fx, fy) to (cx, cy) going dir (doubled units), or -1 when behind. */
static long layout_dir_score(long fx, long fy, long cx, long cy, enum layout_dir dir)
{
	long primary, secondary;

	switch (dir) {
	case DIR_LEFT:
		primary = fx - cx;
		secondary = cy - fy;
		break;
	case DIR_RIGHT:
		primary = cx - fx;
		secondary = cy - fy;
		break;
	case DIR_UP:
		primary = fy - cy;
		secondary = cx - fx;
		break;
	default:
		primary = cy - fy;
		secondary = cx - fx;
		break;
	}
	if (primary <= 0)
		return -1;
	/*
	 * Sideways, stay within a cone (a row is about two columns high), so
	 * that 'left' never jumps down into the tray; up and down may slant
	 * as much as needed to reach the tray or the grid.
	 */
	if ((dir == DIR_LEFT || dir == DIR_RIGHT) && labs(secondary) > primary)
		return -1;
	return primary + 2 * labs(secondary);
}

/* Step inside one container of n cards laid in 'cols' columns, or -1. */
static long layout_step_index(size_t i, size_t n, int cols, enum layout_dir dir)
{
	size_t c = (size_t)cols;

	switch (dir) {
	case DIR_LEFT:
		return i % c > 0 ? (long)i - 1 : -1;
	case DIR_RIGHT:
		return i % c < c - 1 && i + 1 < n ? (long)i + 1 : -1;
	case DIR_UP:
		return i >= c ? (long)(i - c) : -1;
	default:
		if (i + c < n)
			return (long)(i + c);
		if (i / c < (n - 1) / c)
			return (long)n - 1; /* the last, shorter row */
		return -1;
	}
}

/* The kept card nearest to 'from' in direction dir among the visible cards of other containers. */
static struct card *layout_nearest_across(const struct layout *l, const struct layout_view *v,
					  const struct layout_scroll *s, const struct layout_pos *from,
					  enum layout_dir dir, layout_keep_fn keep, const void *arg)
{
	struct layout_pos p;
	struct card **list, *best = NULL;
	struct rect fr, r;
	size_t n, k;
	int cols, rows, x, y;
	long fx, fy, best_score = -1;

	layout_card_rect(l, s, from, &fr);
	fx = 2L * fr.x + fr.w;
	fy = 2L * fr.y + fr.h;
	/* Every visible card of every other container; x == 0 is the tray. */
	for (x = 0; x <= v->cells; x++) {
		for (y = (x == 0 ? 0 : 1); y <= (x == 0 ? 0 : v->cells); y++) {
			int scroll;
			size_t first, last;

			if (x == from->x && y == from->y)
				continue;
			list = layout_view_list(v, x, y, &n);
			layout_container_slots(l, x, y, &cols, &rows);
			scroll = x ? s->cell[x - 1][y - 1] : s->tray;
			first = (size_t)scroll * (size_t)cols;
			last = first + (size_t)cols * (size_t)(rows > 0 ? rows : 1);
			for (k = first; k < n && k < last; k++) {
				long score;

				if (keep && !keep(list[k], arg))
					continue;
				p = (struct layout_pos){ x, y, k };
				layout_card_rect(l, s, &p, &r);
				score = layout_dir_score(fx, fy, 2L * r.x + r.w, 2L * r.y + r.h,
							 dir);
				if (score >= 0 && (best_score < 0 || score < best_score)) {
					best_score = score;
					best = list[k];
				}
			}
		}
	}
	return best;
}

struct card *layout_nearest_if(const struct layout *l, const struct layout_view *v,
			       const struct layout_scroll *s, const struct card *from,
			       enum layout_dir dir, layout_keep_fn keep, const void *arg)
{
	struct layout_pos pos;
	struct card **list;
	size_t n;
	long step;
	int cols, rows;

	if (!layout_view_find(v, from, &pos))
		return NULL;
	list = layout_view_list(v, pos.x, pos.y, &n);
	layout_container_slots(l, pos.x, pos.y, &cols, &rows);
	/* Inside its container, step on over the cards not kept (each step goes further). */
	for (step = layout_step_index(pos.index, n, cols, dir); step >= 0;
	     step = layout_step_index((size_t)step, n, cols, dir))
		if (!keep || keep(list[step], arg))
			return list[step];
	return layout_nearest_across(l, v, s, &pos, dir, keep, arg);
}

struct card *layout_nearest(const struct layout *l, const struct layout_view *v,
			    const struct layout_scroll *s, const struct card *from,
			    enum layout_dir dir)
{
	return layout_nearest_if(l, v, s, from, dir, NULL, NULL);
}

bool layout_carry_step(const struct layout *l, int *x, int *y, enum layout_dir dir,
		       int tray_sx)
{
	int n = l->cells, i;

	if (n < 1 || l->too_small)
		return false;
	if (*x < 1 || *y < 1) {
		if (dir == DIR_DOWN)
			return false;
		for (i = 0; i < n - 1; i++)
			if (tray_sx < l->colx[i + 1])
				break;
		*x = i + 1;
		*y = 1;
		return true;
	}
	switch (dir) {
	case DIR_LEFT:
		if (*x <= 1)
			return false;
		(*x)--;
		return true;
	case DIR_RIGHT:
		if (*x >= n)
			return false;
		(*x)++;
		return true;
	case DIR_UP:
		if (*y >= n)
			return false;
		(*y)++;
		return true;
	default:
		if (*y > 1)
			(*y)--;
		else
			*x = *y = 0;
		return true;
	}
}
