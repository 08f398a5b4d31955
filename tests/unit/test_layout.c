/*
 * test_layout.c - screen geometry of the terminal board, without a terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "layout.h"

static void compute(struct layout *l, int cols, int rows, int cells, size_t max_in_cell,
		    size_t ntray)
{
	static const int tabs[3] = { 20, 25, 22 };
	struct layout_params p = { cols, rows, cells, max_in_cell, ntray, 3, tabs };

	layout_compute(l, &p);
}

static bool inside(struct rect in, struct rect out)
{
	return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
	       in.y + in.h <= out.y + out.h;
}

static bool overlap(struct rect a, struct rect b)
{
	if (a.w <= 0 || a.h <= 0 || b.w <= 0 || b.h <= 0)
		return false;
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static void test_too_small(void **state)
{
	struct layout l;

	(void)state;
	compute(&l, 1, 1, 2, 3, 3);
	assert_true(l.too_small);
	compute(&l, 0, 0, 2, 3, 3);
	assert_true(l.too_small);
	compute(&l, 39, 24, 2, 3, 3);
	assert_true(l.too_small);
	compute(&l, 80, 11, 2, 3, 3);
	assert_true(l.too_small);
	compute(&l, 40, 12, 2, 3, 3);
	assert_false(l.too_small);
	compute(&l, 40, 12, 3, 3, 3);
	assert_false(l.too_small);
	/* A 9x9 grid needs 19 rows of grid: more than 40x12 leaves. */
	compute(&l, 40, 12, 9, 3, 3);
	assert_true(l.too_small);
	assert_true(l.need_rows > 12);
	compute(&l, 40, l.need_rows, 9, 3, 3);
	assert_false(l.too_small);
	/* Nothing is hit or has room when too small. */
	compute(&l, 10, 5, 2, 3, 3);
	assert_int_equal(layout_hit_test(&l, 3, 3).kind, HIT_NONE);
	assert_int_equal(layout_cell_capacity(&l), 0);
	assert_int_equal(layout_tray_capacity(&l), 0);
}

/* Every region is on screen, and no two overlap, at every size and grid. */
static void test_regions_fit(void **state)
{
	struct layout l;
	int cols, rows, n, x, y, k;

	(void)state;
	for (cols = 40; cols <= 220; cols += 7) {
		for (rows = 12; rows <= 70; rows += 3) {
			for (n = 2; n <= 9; n++) {
				struct rect screen = { 0, 0, cols, rows };
				struct rect all[8];
				int i, j;

				compute(&l, cols, rows, n, (size_t)(cols + rows + n) % 40, 17);
				if (l.too_small)
					continue;
				all[0] = l.tabs;
				all[1] = l.grid;
				all[2] = l.tray;
				all[3] = l.legend;
				all[4] = l.status;
				all[5] = l.hints;
				all[6] = l.side_left;
				all[7] = l.side_right;
				for (i = 0; i < 8; i++) {
					if (all[i].w > 0 && all[i].h > 0)
						assert_true(inside(all[i], screen));
					for (j = i + 1; j < 8; j++)
						assert_false(overlap(all[i], all[j]));
				}
				assert_int_equal(l.colx[0], l.grid.x);
				assert_int_equal(l.colx[n], l.grid.x + l.grid.w - 1);
				assert_int_equal(l.rowy[0], l.grid.y);
				assert_int_equal(l.rowy[n], l.grid.y + l.grid.h - 1);
				for (i = 0; i < n; i++) {
					assert_true(l.colx[i + 1] - l.colx[i] >= 2);
					assert_true(l.rowy[i + 1] - l.rowy[i] >= 2);
				}
				assert_true(layout_cell_capacity(&l) >= 1);
				assert_true(l.card_w <= LAYOUT_CARD_MAX_W);
				/* Every slot of every cell lies inside its cell. */
				for (x = 1; x <= n; x++) {
					for (y = 1; y <= n; y++) {
						struct rect c = layout_cell_rect(&l, x, y);

						for (k = 0; k < layout_cell_capacity(&l); k++)
							assert_true(inside(layout_cell_slot(&l, x, y, k), c));
					}
				}
				for (k = 0; k < layout_tray_capacity(&l); k++)
					assert_true(inside(layout_tray_slot(&l, k), l.tray));
			}
		}
	}
}

static void test_cells_orientation(void **state)
{
	struct layout l;
	struct rect lo, hi, r21;

	(void)state;
	compute(&l, 100, 30, 2, 4, 5);
	assert_false(l.too_small);
	lo = layout_cell_rect(&l, 1, 1);
	hi = layout_cell_rect(&l, 2, 2);
	r21 = layout_cell_rect(&l, 2, 1);
	/* (1,1) is bottom left, y grows upwards. */
	assert_true(lo.x < hi.x);
	assert_true(lo.y > hi.y);
	assert_int_equal(r21.y, lo.y);
	assert_true(r21.x > lo.x);
	/* Out-of-range cells are empty. */
	assert_int_equal(layout_cell_rect(&l, 0, 1).w, 0);
	assert_int_equal(layout_cell_rect(&l, 3, 1).w, 0);
	/* x pole labels beside the grid at 100 columns, not at 50. */
	assert_true(l.side_left.w > 0);
	assert_int_equal(l.side_left.x + l.side_left.w, l.grid.x);
	compute(&l, 50, 20, 2, 4, 5);
	assert_int_equal(l.side_left.w, 0);
	assert_int_equal(l.grid.w, 50);
	/* 80x24 keeps hints, status, legend, tray. */
	compute(&l, 80, 24, 3, 6, 20);
	assert_false(l.too_small);
	assert_int_equal(l.hints.h, 1);
	assert_int_equal(l.legend.h, 1);
	assert_int_equal(l.status.y, 22);
	assert_true(l.tray_rows >= 1);
	/* 40x12 drops hints and legend but keeps the status bar and tray. */
	compute(&l, 40, 12, 2, 6, 20);
	assert_int_equal(l.hints.h, 0);
	assert_int_equal(l.legend.h, 0);
	assert_int_equal(l.status.y, 11);
	assert_int_equal(l.tray_rows, 1);
}

/* Fewer cards get bigger post-its; a full cell gets more, smaller ones. */
static void test_slot_geometry(void **state)
{
	struct layout l;

	(void)state;
	compute(&l, 100, 30, 2, 1, 0);
	assert_true(l.card_h >= 2);
	assert_true(layout_cell_capacity(&l) >= 1);
	compute(&l, 100, 30, 2, 8, 0);
	assert_true(layout_cell_capacity(&l) >= 8);
	compute(&l, 100, 30, 2, 500, 0);
	assert_int_equal(l.card_h, 1);
	assert_true(layout_cell_capacity(&l) < 500);
	assert_true(l.card_w >= 14);
	/* A huge terminal still has readable, not endless, cards. */
	compute(&l, 400, 100, 2, 3, 0);
	assert_true(l.card_w <= LAYOUT_CARD_MAX_W);
}

static void test_tabs(void **state)
{
	struct layout l;
	struct layout_hit h;

	(void)state;
	compute(&l, 100, 30, 2, 1, 0);
	assert_int_equal(l.ntabs, 3);
	assert_int_equal(l.tab[0].w, 22);
	assert_int_equal(l.tab[1].x, 23);
	h = layout_hit_test(&l, l.tab[1].x + 3, 0);
	assert_int_equal(h.kind, HIT_TAB);
	assert_int_equal(h.index, 1);
	h = layout_hit_test(&l, 99, 0);
	assert_int_equal(h.kind, HIT_NONE);
	/* Narrow: labels shrink so that every tab fits. */
	compute(&l, 40, 12, 2, 1, 0);
	assert_int_equal(l.ntabs, 3);
	assert_true(l.tab[2].x + l.tab[2].w <= 40);
}

static void test_hit_test(void **state)
{
	struct layout l;
	struct layout_hit h;
	struct rect r;
	int x, y, k;

	(void)state;
	compute(&l, 100, 30, 3, 5, 30);
	for (x = 1; x <= 3; x++) {
		for (y = 1; y <= 3; y++) {
			for (k = 0; k < layout_cell_capacity(&l); k++) {
				r = layout_cell_slot(&l, x, y, k);
				h = layout_hit_test(&l, r.x, r.y);
				assert_int_equal(h.kind, HIT_CELL);
				assert_int_equal(h.x, x);
				assert_int_equal(h.y, y);
				assert_int_equal(h.slot, k);
				h = layout_hit_test(&l, r.x + r.w - 1, r.y + r.h - 1);
				assert_int_equal(h.slot, k);
			}
		}
	}
	for (k = 0; k < layout_tray_capacity(&l); k++) {
		r = layout_tray_slot(&l, k);
		h = layout_hit_test(&l, r.x + r.w / 2, r.y);
		assert_int_equal(h.kind, HIT_TRAY);
		assert_int_equal(h.slot, k);
	}
	/* The tray's header line is the tray, on no slot. */
	h = layout_hit_test(&l, 5, l.tray.y);
	assert_int_equal(h.kind, HIT_TRAY);
	assert_int_equal(h.slot, -1);
	/* Grid lines hit nothing; the status bar neither. */
	h = layout_hit_test(&l, l.colx[1], l.rowy[1] + 1);
	assert_int_equal(h.kind, HIT_NONE);
	h = layout_hit_test(&l, 3, l.status.y);
	assert_int_equal(h.kind, HIT_NONE);
	/* Empty part of a cell: the cell, no slot. */
	r = layout_cell_rect(&l, 2, 2);
	h = layout_hit_test(&l, r.x, r.y + r.h - 1);
	assert_int_equal(h.kind, HIT_CELL);
}

/* A board with one 2x2 grid; cards placed as given ((0,0): tray). */
static struct board *make_board(const int *places, size_t n)
{
	struct board *b = board_new("t");
	size_t i;

	board_add_theme(b, "a", "Alpha", HUE_RED);
	board_add_criterion(b, "c1", "low1", "high1", POLE_LOW);
	board_add_criterion(b, "c2", "low2", "high2", POLE_HIGH);
	board_add_grid(b, "g", 0, 1, 2);
	for (i = 0; i < n; i++) {
		uuid_t id;
		char text[32];
		struct card *c;

		memset(id, 0, sizeof(id));
		id[0] = (unsigned char)(i + 1);
		snprintf(text, sizeof(text), "c%zu", i);
		c = board_add_card(b, id, text, 0);
		board_place_card(b, c, 0, places[2 * i], places[2 * i + 1]);
	}
	return b;
}

static void test_view(void **state)
{
	static const int places[][2] = { { 1, 1 }, { 2, 2 }, { 0, 0 }, { 1, 1 }, { 0, 0 } };
	struct board *b = make_board(&places[0][0], 5);
	struct layout_view v;
	struct layout_pos pos;
	size_t n;
	struct card **list;

	(void)state;
	layout_view_build(&v, b, 0);
	assert_int_equal(v.cells, 2);
	assert_int_equal(v.ncell[0][0], 2);
	assert_int_equal(v.ncell[1][1], 1);
	assert_int_equal(v.ntray, 2);
	assert_int_equal(v.max_in_cell, 2);
	list = layout_view_list(&v, 1, 1, &n);
	assert_int_equal(n, 2);
	assert_ptr_equal(list[0], b->cards[0]);
	assert_ptr_equal(list[1], b->cards[3]);
	assert_true(layout_view_find(&v, b->cards[3], &pos));
	assert_int_equal(pos.x, 1);
	assert_int_equal(pos.y, 1);
	assert_int_equal(pos.index, 1);
	assert_true(layout_view_find(&v, b->cards[4], &pos));
	assert_int_equal(pos.x, 0);
	assert_int_equal(pos.index, 1);
	assert_false(layout_view_find(&v, NULL, &pos));
	layout_view_release(&v);
	board_free(b);
}

/* Two views of the same grid hold the same lists, counts and largest cell. */
static void assert_views_equal(const struct layout_view *a, const struct layout_view *c)
{
	int x, y;
	size_t i;

	assert_int_equal(a->cells, c->cells);
	assert_int_equal(a->grid, c->grid);
	assert_int_equal(a->ntray, c->ntray);
	assert_int_equal(a->max_in_cell, c->max_in_cell);
	for (x = 0; x < a->cells; x++) {
		for (y = 0; y < a->cells; y++) {
			assert_int_equal(a->ncell[x][y], c->ncell[x][y]);
			for (i = 0; i < a->ncell[x][y]; i++)
				assert_ptr_equal(a->cell[x][y][i], c->cell[x][y][i]);
		}
	}
	for (i = 0; i < a->ntray; i++)
		assert_ptr_equal(a->tray[i], c->tray[i]);
}

/*
 * A view kept up to date through placements, card additions and removals,
 * grid changes and a board replaced by another is always what a fresh build
 * gives, and so are its counts.
 */
static void test_view_update(void **state)
{
	static const int places[][2] = { { 1, 1 }, { 2, 2 }, { 0, 0 }, { 1, 1 }, { 0, 0 },
					 { 1, 2 }, { 2, 1 }, { 2, 2 } };
	struct board *b = make_board(&places[0][0], 8), *other;
	struct layout_view v, fresh;
	unsigned long gen;
	unsigned seed = 7;
	size_t placed, unplaced, easy, p2, u2, e2;
	int step;

	(void)state;
	board_add_grid(b, "h", 1, 0, 3);
	memset(&v, 0, sizeof(v));
	layout_view_update(&v, b, 0);
	layout_view_build(&fresh, b, 0);
	assert_views_equal(&v, &fresh);
	layout_view_release(&fresh);

	/* Nothing changed: the view still saw the board's generation. */
	gen = b->generation;
	layout_view_update(&v, b, 0);
	assert_int_equal(v.generation, gen);
	/* Placing a card where it already is changes nothing. */
	gen = b->generation;
	board_place_card(b, b->cards[0], 0, 1, 1);
	assert_int_equal(b->generation, gen);

	for (step = 0; step < 2000; step++) {
		size_t g = (seed >> 4) % 2, i;
		int cells;

		seed = seed * 1103515245u + 12345u;
		i = (seed >> 16) % b->ncards;
		cells = b->grids[g].cells;
		if (step % 97 == 50) {
			/* A card added, another removed: positions change, the view rebuilds. */
			uuid_t id;

			memset(id, 0, sizeof(id));
			id[0] = (unsigned char)(100 + step % 100);
			id[1] = (unsigned char)(step / 100);
			if (board_add_card(b, id, "new", 0))
				board_place_card(b, b->cards[b->ncards - 1], 0, 1, 2);
			board_remove_card(b, b->cards[i]);
		} else if (step % 211 == 100) {
			board_resize_grid(b, 1, b->grids[1].cells == 3 ? 4 : 3);
		} else {
			int x = (int)((seed >> 8) % (unsigned)(cells + 1));
			int y = x ? 1 + (int)((seed >> 12) % (unsigned)cells) : 0;

			gen = b->generation;
			board_place_card(b, b->cards[i], g, x, y);
			/* Often several moves, on both grids, between two updates. */
			if ((seed >> 20) % 3)
				continue;
			if (b->generation != gen)
				assert_non_null(board_move_since(b, gen));
		}
		g = (seed >> 24) % 2;
		layout_view_update(&v, b, g);
		layout_view_build(&fresh, b, g);
		assert_views_equal(&v, &fresh);
		layout_view_release(&fresh);
		layout_view_counts(&v, b, &placed, &unplaced, &easy);
		board_grid_counts(b, g, &p2, &u2, &e2);
		assert_int_equal(placed, p2);
		assert_int_equal(unplaced, u2);
		assert_int_equal(easy, e2);
	}

	/* Another board, even with the same cards, is another generation. */
	other = make_board(&places[0][0], 8);
	assert_true(other->generation != b->generation);
	layout_view_update(&v, other, 0);
	layout_view_build(&fresh, other, 0);
	assert_views_equal(&v, &fresh);
	assert_ptr_equal(v.board, other);
	layout_view_release(&fresh);
	layout_view_release(&v);
	board_free(other);
	board_free(b);
}

/*
 * A card shown elsewhere by layout_view_preview() is in the view as if the
 * board had it there, the board untouched; the next update takes it back,
 * through others' placements made meanwhile.
 */
static void test_view_preview(void **state)
{
	static const int places[][2] = { { 1, 1 }, { 2, 2 }, { 0, 0 }, { 1, 1 }, { 0, 0 },
					 { 1, 2 }, { 2, 1 }, { 2, 2 } };
	static const int to[][2] = { { 2, 2 }, { 0, 0 }, { 1, 1 }, { 1, 1 }, { 2, 1 } };
	struct board *b = make_board(&places[0][0], 8);
	struct layout_view v, fresh;
	struct layout_pos pos;
	unsigned long gen;
	size_t i, k;

	(void)state;
	memset(&v, 0, sizeof(v));
	for (k = 0; k < sizeof(to) / sizeof(to[0]); k++) {
		struct card *card = b->cards[(3 * k + 1) % b->ncards];
		struct cell was = card->place[0], at = { (unsigned char)to[k][0],
							 (unsigned char)to[k][1] };

		layout_view_update(&v, b, 0);
		gen = b->generation;
		layout_view_preview(&v, card, at);
		assert_int_equal(b->generation, gen);
		assert_true(layout_view_find(&v, card, &pos));
		assert_int_equal(pos.x, at.x);
		assert_int_equal(pos.y, at.y);
		/* The same view as the board with the card placed there. */
		board_place_card(b, card, 0, at.x, at.y);
		layout_view_build(&fresh, b, 0);
		assert_views_equal(&v, &fresh);
		layout_view_release(&fresh);
		board_place_card(b, card, 0, was.x, was.y);
		/* Someone else moves a card meanwhile. */
		i = (5 * k + 2) % b->ncards;
		board_place_card(b, b->cards[i], 0, (int)(k % 3), k % 3 ? 1 : 0);
		layout_view_update(&v, b, 0);
		layout_view_build(&fresh, b, 0);
		assert_views_equal(&v, &fresh);
		layout_view_release(&fresh);
	}
	/* A card the view does not hold: nothing. */
	layout_view_preview(&v, NULL, (struct cell){ 1, 1 });
	assert_false(v.previewing);
	layout_view_release(&v);
	board_free(b);
}

static bool keep_listed(const struct card *card, const void *arg)
{
	const struct card *const *kept = arg;

	for (; *kept; kept++)
		if (*kept == card)
			return true;
	return false;
}

/* "My cards": the arrows skip the others, inside a cell and across cells. */
static void test_nearest_if(void **state)
{
	/* Bottom-left holds 0, 1, 2 (in a row or a column); top-left 3 and 4; top-right 5; tray 6. */
	static const int places[][2] = {
		{ 1, 1 }, { 1, 1 }, { 1, 1 }, { 1, 2 }, { 1, 2 }, { 2, 2 }, { 0, 0 },
	};
	struct board *b = make_board(&places[0][0], 7);
	struct card **c = b->cards;
	const struct card *mine[] = { c[0], c[2], c[4], NULL }, *none[] = { NULL };
	struct layout_view v;
	struct layout_scroll s;
	struct layout l;
	enum layout_dir along;

	(void)state;
	memset(&s, 0, sizeof(s));
	layout_view_build(&v, b, 0);
	compute(&l, 100, 40, 2, v.max_in_cell, v.ntray);
	along = l.slot_cols > 2 ? DIR_RIGHT : DIR_DOWN;
	/* Without a filter, as layout_nearest(). */
	assert_ptr_equal(layout_nearest_if(&l, &v, &s, c[0], along, NULL, NULL),
			 layout_nearest(&l, &v, &s, c[0], along));
	/* Inside the cell, over 1 to 2. */
	assert_ptr_equal(layout_nearest_if(&l, &v, &s, c[0], along, keep_listed, mine), c[2]);
	/* Up into the top-left cell: 4, not 3. */
	assert_ptr_equal(layout_nearest_if(&l, &v, &s, c[0], DIR_UP, keep_listed, mine), c[4]);
	/* Right from 4: the top-right cell holds none of mine; nothing. */
	assert_null(layout_nearest_if(&l, &v, &s, c[4], DIR_RIGHT, keep_listed, mine));
	/* From a card not kept (5, someone else's), to mine: 4 on the left. */
	assert_ptr_equal(layout_nearest_if(&l, &v, &s, c[5], DIR_LEFT, keep_listed, mine), c[4]);
	/* Nothing kept: nowhere to go. */
	assert_null(layout_nearest_if(&l, &v, &s, c[0], DIR_UP, keep_listed, none));
	layout_view_release(&v);
	board_free(b);
}

static void test_nearest(void **state)
{
	/* Bottom-left cell holds 0 and 3, top-right 1, top-left 5, tray 2 and 4. */
	static const int places[][2] = {
		{ 1, 1 }, { 2, 2 }, { 0, 0 }, { 1, 1 }, { 0, 0 }, { 1, 2 },
	};
	struct board *b = make_board(&places[0][0], 6);
	struct layout_view v;
	struct layout_scroll s;
	struct layout l;
	struct card **c = b->cards;

	(void)state;
	memset(&s, 0, sizeof(s));
	layout_view_build(&v, b, 0);
	compute(&l, 100, 30, 2, v.max_in_cell, v.ntray);
	/* Inside a cell first. */
	if (l.slot_cols > 1)
		assert_ptr_equal(layout_nearest(&l, &v, &s, c[0], DIR_RIGHT), c[3]);
	else
		assert_ptr_equal(layout_nearest(&l, &v, &s, c[0], DIR_DOWN), c[3]);
	/* Up from the bottom-left cell: the top-left one. */
	assert_ptr_equal(layout_nearest(&l, &v, &s, c[0], DIR_UP), c[5]);
	/* Right from top-left: top-right. */
	assert_ptr_equal(layout_nearest(&l, &v, &s, c[5], DIR_RIGHT), c[1]);
	/* Down from top-right: nothing in the cell below, so the tray. */
	assert_true(layout_nearest(&l, &v, &s, c[1], DIR_DOWN) == c[2] ||
		    layout_nearest(&l, &v, &s, c[1], DIR_DOWN) == c[4]);
	/* Up out of the tray into the grid, and nothing to the left of the grid. */
	assert_true(layout_nearest(&l, &v, &s, c[2], DIR_UP) == c[0] ||
		    layout_nearest(&l, &v, &s, c[2], DIR_UP) == c[3]);
	assert_ptr_equal(layout_nearest(&l, &v, &s, c[2], DIR_RIGHT), c[4]);
	assert_null(layout_nearest(&l, &v, &s, c[5], DIR_LEFT));
	assert_null(layout_nearest(&l, &v, &s, c[5], DIR_UP));
	assert_null(layout_nearest(&l, &v, &s, c[2], DIR_DOWN));
	layout_view_release(&v);
	board_free(b);
}

/* In a cell holding more cards than fit, moving down scrolls. */
static void test_scroll(void **state)
{
	int places[40][2];
	struct board *b;
	struct layout_view v;
	struct layout_scroll s;
	struct layout l;
	struct layout_pos pos;
	struct rect r;
	struct card *cur;
	int i, steps = 0;

	(void)state;
	for (i = 0; i < 40; i++) {
		places[i][0] = 2;
		places[i][1] = 1;
	}
	b = make_board(&places[0][0], 40);
	memset(&s, 0, sizeof(s));
	layout_view_build(&v, b, 0);
	compute(&l, 80, 24, 2, v.max_in_cell, v.ntray);
	assert_true(layout_cell_capacity(&l) < 40);
	assert_true(layout_max_scroll(&l, 2, 1, 40) > 0);
	cur = b->cards[0];
	while ((cur = layout_nearest(&l, &v, &s, cur, DIR_DOWN)) && cur != b->cards[39] &&
	       steps < 100) {
		assert_true(layout_view_find(&v, cur, &pos));
		if (pos.x == 0)
			break;
		layout_scroll_to(&l, pos.x, pos.y, pos.index, &s.cell[1][0]);
		assert_true(layout_card_rect(&l, &s, &pos, &r));
		steps++;
	}
	assert_ptr_equal(cur, b->cards[39]);
	assert_true(s.cell[1][0] > 0);
	s.cell[1][0] = 1000;
	layout_scroll_clamp(&l, &v, &s);
	assert_int_equal(s.cell[1][0], layout_max_scroll(&l, 2, 1, 40));
	layout_view_release(&v);
	board_free(b);
}

static void test_carry(void **state)
{
	struct layout l;
	int x = 1, y = 1;

	(void)state;
	compute(&l, 100, 30, 3, 1, 1);
	assert_true(layout_carry_step(&l, &x, &y, DIR_RIGHT, 0));
	assert_int_equal(x, 2);
	assert_true(layout_carry_step(&l, &x, &y, DIR_UP, 0));
	assert_true(layout_carry_step(&l, &x, &y, DIR_UP, 0));
	assert_int_equal(y, 3);
	assert_false(layout_carry_step(&l, &x, &y, DIR_UP, 0));
	assert_true(layout_carry_step(&l, &x, &y, DIR_RIGHT, 0));
	assert_false(layout_carry_step(&l, &x, &y, DIR_RIGHT, 0));
	assert_int_equal(x, 3);
	y = 1;
	assert_true(layout_carry_step(&l, &x, &y, DIR_DOWN, 0));
	assert_int_equal(x, 0);
	assert_int_equal(y, 0);
	assert_false(layout_carry_step(&l, &x, &y, DIR_DOWN, 0));
	/* Out of the tray into the bottom row, under the card. */
	assert_true(layout_carry_step(&l, &x, &y, DIR_UP, l.colx[1] + 2));
	assert_int_equal(x, 2);
	assert_int_equal(y, 1);
	x = y = 0;
	assert_true(layout_carry_step(&l, &x, &y, DIR_UP, 0));
	assert_int_equal(x, 1);
	x = y = 0;
	assert_true(layout_carry_step(&l, &x, &y, DIR_LEFT, 10000));
	assert_int_equal(x, 3);
}

static void test_popup(void **state)
{
	struct layout l;
	struct rect r;

	(void)state;
	compute(&l, 100, 30, 2, 1, 1);
	r = layout_popup(&l, 60, 20);
	assert_int_equal(r.x, 20);
	assert_int_equal(r.y, 5);
	r = layout_popup(&l, 200, 50);
	assert_int_equal(r.w, 100);
	assert_int_equal(r.h, 30);
	assert_int_equal(r.x, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_regions_fit),
		cmocka_unit_test(test_cells_orientation),
		cmocka_unit_test(test_slot_geometry),
		cmocka_unit_test(test_tabs),
		cmocka_unit_test(test_hit_test),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_view_update),
		cmocka_unit_test(test_view_preview),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_nearest_if),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_carry),
		cmocka_unit_test(test_popup),
	};

	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
