/*
 * layout.h - where everything goes on the terminal board, computed apart from
 * drawing so it can be unit-tested without a terminal (no curses here).
 *
 * The screen, top to bottom:
 *
 *   row 0          grid tabs ("1 autonomie × frequence  2 ...")
 *   grid box       the current grid: outer border carrying the y poles (high
 *                  on the top border, low on the bottom one), x poles in
 *                  side columns (low on the left, high on the right) when
 *                  the terminal is wide enough, else on the bottom border
 *   tray           a header line ("Tray (12)") and rows of unplaced cards
 *   legend         the theme legend (dropped on short terminals)
 *   status         title, grid, counts, player, last save
 *   hints          key hints for the current mode (dropped on short ones)
 *
 * Coordinates are 0-based screen columns (x) and rows (y). Grid cells are
 * 1-based as in the model: cell (1,1) is the low/low corner, drawn bottom
 * left; the y axis grows upwards on screen.
 *
 * Cards sit in "slots": every cell of a grid has the same slot geometry
 * (columns of cards, each card_h lines high), chosen so that the fullest cell
 * fits when possible; a cell holding more cards than slots scrolls by slot
 * rows. The tray has its own one-line slots.
 *
 * A layout is plain data filled by layout_compute(); nothing is allocated.
 */
#ifndef TAMIS_LAYOUT_H
#define TAMIS_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "board.h"

#define LAYOUT_MIN_COLS 40   /* below this: "terminal too small" */
#define LAYOUT_MIN_ROWS 12
#define LAYOUT_MAX_TABS 64   /* tabs past this are not drawn */
#define LAYOUT_CARD_MIN_W 16 /* narrowest card side by side with another */
#define LAYOUT_CARD_MAX_W 32 /* widest card; wider cells hold more columns */

struct rect {
	int x, y, w, h;
};

enum layout_dir { DIR_LEFT, DIR_RIGHT, DIR_UP, DIR_DOWN };

/* What the layout needs to know about the board and the current grid. */
struct layout_params {
	int cols, rows;        /* terminal size */
	int cells;             /* cells per axis of the current grid; 0: no grid */
	size_t max_in_cell;    /* most cards in one cell of the current grid */
	size_t ntray;          /* cards in the current grid's tray */
	size_t ngrids;         /* tabs */
	const int *tab_widths; /* wanted width of each tab label (ngrids entries) */
};

struct layout {
	int cols, rows;
	bool too_small;        /* only 'cols', 'rows' and 'need_*' are meaningful */
	int need_cols, need_rows;

	struct rect tabs;
	int ntabs;                    /* tabs drawn (<= LAYOUT_MAX_TABS) */
	struct rect tab[LAYOUT_MAX_TABS];

	int cells;                    /* 0 when the board has no grid */
	struct rect grid;             /* outer box, borders included */
	struct rect side_left, side_right; /* x pole labels; w == 0: on the border */
	/*
	 * Line positions: colx[0..cells] are the columns of the vertical lines
	 * (colx[0] = grid.x, colx[cells] = grid.x + grid.w - 1); rowy[0..cells]
	 * the rows of the horizontal lines from the top (rowy[0] = grid.y).
	 */
	int colx[BOARD_MAX_CELLS + 1];
	int rowy[BOARD_MAX_CELLS + 1];

	/* Slot geometry shared by every cell. */
	int pad;                      /* columns left blank inside each side of a cell */
	int card_w, card_h;           /* a card's columns and text lines */
	int gap_x, gap_y;             /* blank columns/rows between cards */
	int slot_cols, slot_rows;     /* slots per cell = slot_cols * slot_rows */

	struct rect tray;             /* header line included */
	int tray_card_w, tray_cols, tray_rows;

	struct rect legend;           /* h == 0 when dropped */
	struct rect status;
	struct rect hints;            /* h == 0 when dropped */
};

/* Fills l for the given parameters. Never fails; check l->too_small. */
void layout_compute(struct layout *l, const struct layout_params *p);

/* The inner area of cell (x, y) of the current grid (between its lines). */
struct rect layout_cell_rect(const struct layout *l, int x, int y);
/* Slots per cell and in the tray's visible window. */
int layout_cell_capacity(const struct layout *l);
int layout_tray_capacity(const struct layout *l);
/* Screen rect of visible slot k (0-based, row-major) of cell (x, y) / the tray. */
struct rect layout_cell_slot(const struct layout *l, int x, int y, int k);
struct rect layout_tray_slot(const struct layout *l, int k);

/* A popup of the wanted size (clipped to the screen), centred. */
struct rect layout_popup(const struct layout *l, int want_w, int want_h);

enum layout_hit_kind {
	HIT_NONE,
	HIT_TAB,   /* index: the tab */
	HIT_CELL,  /* x, y: the cell; slot: visible slot or -1 (cell background) */
	HIT_TRAY,  /* slot: visible slot or -1 */
};

struct layout_hit {
	enum layout_hit_kind kind;
	int index;
	int x, y;
	int slot;
};

/* What is at screen position (sx, sy). */
struct layout_hit layout_hit_test(const struct layout *l, int sx, int sy);

/*
 * The cards of one grid sorted into its cells and its tray, each list in
 * board order. Borrowed card pointers: valid until the board changes.
 */
struct layout_view {
	size_t grid;
	int cells;
	struct card **cell[BOARD_MAX_CELLS][BOARD_MAX_CELLS]; /* [x-1][y-1] */
	size_t ncell[BOARD_MAX_CELLS][BOARD_MAX_CELLS];
	struct card **tray;
	size_t ntray;
	size_t max_in_cell;
	struct card **storage; /* owned: all the lists above point into it */

	/* Private, for layout_view_update(): what the view was built from. */
	const struct board *board;
	unsigned long generation;
	size_t *pos;           /* owned: board position of each storage entry */
	size_t nstorage;
	bool previewing;       /* layout_view_preview() moved preview.card */
	struct board_move preview;
};

/* Sorts the cards of grid g (b->ngrids == 0: everything in the tray). */
void layout_view_build(struct layout_view *v, const struct board *b, size_t g);
/*
 * Brings v (built, updated, or all zeros) up to date with grid g of b: does
 * nothing while the board's generation is the one v saw, follows the few
 * cards placed since (board_move_since()) without a pass over the board,
 * and rebuilds otherwise. Same result as layout_view_build().
 */
void layout_view_update(struct layout_view *v, const struct board *b, size_t g);
/*
 * Shows card in v at place 'at' of v's grid ({0, 0}: the tray) instead of
 * where the board has it, the board untouched: a card being carried. It
 * joins that list at its board position, as if it had been placed there.
 * The next layout_view_update() takes it back first, so call this after
 * each update. Does nothing when card is not in v.
 */
void layout_view_preview(struct layout_view *v, const struct card *card, struct cell at);
void layout_view_release(struct layout_view *v);
/*
 * Counts on the view's grid: cards on a cell, in the tray, and on a cell of
 * the easy zone (as board_grid_counts(), without a pass over the cards).
 */
void layout_view_counts(const struct layout_view *v, const struct board *b, size_t *placed,
			size_t *unplaced, size_t *easy);

/* Where a card is in a view: the cell (0,0 for the tray) and its index there. */
struct layout_pos {
	int x, y;
	size_t index;
};

/* Finds card in v; returns false when it is not in the view. */
bool layout_view_find(const struct layout_view *v, const struct card *card,
		      struct layout_pos *pos);
/* The list and count of the container at pos (cell or tray). */
struct card **layout_view_list(const struct layout_view *v, int x, int y, size_t *n);

/*
 * Scroll offsets, in slot rows, of the cells and the tray: the first visible
 * row of each container.
 */
struct layout_scroll {
	int cell[BOARD_MAX_CELLS][BOARD_MAX_CELLS]; /* [x-1][y-1] */
	int tray;
};

/* Slot columns and visible slot rows of the container at (x, y) (0,0: tray). */
void layout_container_slots(const struct layout *l, int x, int y, int *cols, int *rows);
/* The largest useful scroll offset of a container holding n cards. */
int layout_max_scroll(const struct layout *l, int x, int y, size_t n);
/* Brings index into view by changing *scroll as little as possible. */
void layout_scroll_to(const struct layout *l, int x, int y, size_t index, int *scroll);
/* Clamps every offset to the range valid for v. */
void layout_scroll_clamp(const struct layout *l, const struct layout_view *v,
			 struct layout_scroll *s);

/*
 * Screen rect of the card at pos given the scroll offsets. Returns false
 * when it is scrolled out of view (the rect is then where it would be).
 */
bool layout_card_rect(const struct layout *l, const struct layout_scroll *s,
		      const struct layout_pos *pos, struct rect *r);

/*
 * The card the selection moves to from 'from' in direction dir: first the
 * next card in that direction inside the same cell (or tray), scrolling
 * through cards out of view; else the nearest visible card in that direction
 * on screen, in any cell or the tray. Returns NULL when there is none.
 */
struct card *layout_nearest(const struct layout *l, const struct layout_view *v,
			    const struct layout_scroll *s, const struct card *from,
			    enum layout_dir dir);

/* A filter on cards: true for those to keep. */
typedef bool (*layout_keep_fn)(const struct card *card, const void *arg);
/*
 * layout_nearest() among the cards keep(card, arg) keeps only (keep NULL:
 * every card): inside the container it steps on over the others; across
 * containers it weighs only kept cards. 'from' itself need not be kept
 * ("my cards": the arrows visit only whoever plays' cards).
 */
struct card *layout_nearest_if(const struct layout *l, const struct layout_view *v,
			       const struct layout_scroll *s, const struct card *from,
			       enum layout_dir dir, layout_keep_fn keep, const void *arg);

/*
 * Where a card being carried goes when moved one step in direction dir from
 * cell (*x, *y) ((0, 0): the tray): one cell over, clamped at the grid's
 * edges; down from the bottom row into the tray; from the tray into the
 * bottom row, in the column under screen column 'tray_sx'. Returns true when
 * the place changed.
 */
bool layout_carry_step(const struct layout *l, int *x, int *y, enum layout_dir dir,
		       int tray_sx);

#endif
