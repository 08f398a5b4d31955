/*
 * ui_sieve.c - the sieve view (s): every card of the board in one
 * full-screen table, ranked by the sieve (board_sieve()), with its theme, its
 * cell on each grid (marked * in the easiest-to-launch zone, or with the
 * initial of the facilitator's zone holding it), its score, its decision and
 * its debated and locked marks. Sorted by any column, filtered by theme;
 * decisions are made from here and Enter shows the card on its grid.
 *
 * Rows are computed afresh for each event and each drawing from the current
 * board (which a live change may replace); the cursor is a card's UUID.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "board.h"
#include "i18n.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"
#include "xmalloc.h"

/* The columns, in order: text, theme, one per grid, then these. */
enum ui_sieve_column {
	SIEVE_COL_TEXT,
	SIEVE_COL_THEME,
	SIEVE_COL_GRID0, /* SIEVE_COL_GRID0 + g: grid g; then the ones below */
};
/* The columns after the grids, counted from SIEVE_COL_GRID0 + ngrids. */
enum ui_sieve_tail { SIEVE_TAIL_SCORE, SIEVE_TAIL_DECISION, SIEVE_TAIL_DEBATED,
		     SIEVE_TAIL_LOCKED, SIEVE_TAIL_COUNT };

struct ui_sieve {
	int column;        /* the sort column; -1: the sieve's rank */
	bool reverse;
	int theme;         /* only that theme's cards; -1: all */
	bool has_cur;
	uuid_t cur;        /* the card under the cursor */
	size_t top;        /* first row shown */
};

enum ui_sieve_kind { KIND_TEXT, KIND_THEME, KIND_GRID, KIND_SCORE, KIND_DECISION, KIND_DEBATED,
		     KIND_LOCKED };

struct ui_sieve_row {
	struct card *card;
	size_t rank;      /* 1-based, in the sieve */
	int hits;
	wchar_t *folded;  /* the text lowercased, when sorting by it */
};

static int ui_sieve_ncolumns(const struct ui *ui)
{
	return SIEVE_COL_GRID0 + (int)ui->board->ngrids + SIEVE_TAIL_COUNT;
}

/* What column c shows (and its grid, for a grid column). */
static enum ui_sieve_kind ui_sieve_kind(const struct ui *ui, int c, size_t *g)
{
	int ng = (int)ui->board->ngrids;

	if (c < 0)
		return KIND_SCORE;
	if (c == SIEVE_COL_TEXT)
		return KIND_TEXT;
	if (c == SIEVE_COL_THEME)
		return KIND_THEME;
	if (c < SIEVE_COL_GRID0 + ng) {
		if (g)
			*g = (size_t)(c - SIEVE_COL_GRID0);
		return KIND_GRID;
	}
	switch (c - SIEVE_COL_GRID0 - ng) {
	case SIEVE_TAIL_DECISION: return KIND_DECISION;
	case SIEVE_TAIL_DEBATED: return KIND_DEBATED;
	case SIEVE_TAIL_LOCKED: return KIND_LOCKED;
	default: return KIND_SCORE;
	}
}

/* Decisions in the order a facilitator reads them: V1, V2, elsewhere, undecided. */
static int ui_sieve_decision_order(enum decision d)
{
	return d == DECISION_UNDECIDED ? DECISION_COUNT : (int)d;
}

/* A grid cell's sort key: easy zone first, then facilitator zones, then top to bottom. */
static long ui_sieve_cell_key(const struct board *b, const struct card *card, size_t g)
{
	const struct grid *grid = &b->grids[g];
	int z;

	if (!card_is_placed(card, g))
		return 1L << 30;
	z = grid_zone_at(grid, card->place[g].x, card->place[g].y);
	return (card_in_easy_zone(b, card, g) ? 0L : 1L << 20) + (z < 0 ? GRID_MAX_ZONES : z) * 1000L +
	       (BOARD_MAX_CELLS - card->place[g].y) * 10L + card->place[g].x;
}

/* What the rows are sorted by. */
struct ui_sieve_sort {
	const struct ui *ui;
	const struct ui_sieve *s;
};

static int ui_sieve_cmp(const void *pa, const void *pb, void *data)
{
	const struct ui_sieve_sort *sort = data;
	const struct ui *ui = sort->ui;
	const struct ui_sieve *s = sort->s;
	const struct board *b = ui->board;
	const struct ui_sieve_row *a = pa, *c = pb;
	size_t g = 0;
	long ka = 0, kc = 0;
	int r = 0;

	switch (ui_sieve_kind(ui, s->column, &g)) {
	case KIND_TEXT: r = wcscmp(a->folded, c->folded); break;
	case KIND_THEME: ka = (long)a->card->theme; kc = (long)c->card->theme; break;
	case KIND_GRID:
		ka = ui_sieve_cell_key(b, a->card, g);
		kc = ui_sieve_cell_key(b, c->card, g);
		break;
	case KIND_SCORE: break;
	case KIND_DECISION:
		ka = ui_sieve_decision_order(a->card->decision);
		kc = ui_sieve_decision_order(c->card->decision);
		break;
	case KIND_DEBATED: ka = !card_is_debated(b, a->card); kc = !card_is_debated(b, c->card); break;
	case KIND_LOCKED: ka = !a->card->locked; kc = !c->card->locked; break;
	}
	if (!r)
		r = ka < kc ? -1 : ka > kc;
	if (!r)
		r = a->rank < c->rank ? -1 : a->rank > c->rank;
	return s->reverse ? -r : r;
}

/* The rows shown, sorted; returns their count (the caller frees with ui_sieve_free()). */
static size_t ui_sieve_rows(struct ui *ui, struct ui_sieve *s, struct ui_sieve_row **out)
{
	const struct board *b = ui->board;
	struct ui_sieve_sort sort = { ui, s };
	struct sieve_entry *e = board_sieve(b);
	struct ui_sieve_row *rows = xcalloc(b->ncards ? b->ncards : 1, sizeof(*rows));
	bool by_text = ui_sieve_kind(ui, s->column, NULL) == KIND_TEXT;
	size_t i, n = 0;

	if (s->theme >= (int)b->nthemes)
		s->theme = -1;
	for (i = 0; i < b->ncards; i++) {
		if (s->theme >= 0 && e[i].card->theme != (size_t)s->theme)
			continue;
		rows[n].card = e[i].card;
		rows[n].rank = i + 1;
		rows[n].hits = e[i].hits;
		rows[n].folded = by_text ? text_fold(e[i].card->text) : NULL;
		n++;
	}
	free(e);
	qsort_r(rows, n, sizeof(*rows), ui_sieve_cmp, &sort);
	*out = rows;
	return n;
}

static void ui_sieve_free(struct ui_sieve_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rows[i].folded);
	free(rows);
}

/* The cursor's row (found by its card, else the first), kept in s->cur. */
static size_t ui_sieve_cursor(struct ui_sieve *s, const struct ui_sieve_row *rows, size_t n)
{
	size_t i;

	if (s->has_cur)
		for (i = 0; i < n; i++)
			if (!memcmp(rows[i].card->id, s->cur, sizeof(uuid_t)))
				return i;
	s->has_cur = n > 0;
	if (n)
		memcpy(s->cur, rows[0].card->id, sizeof(uuid_t));
	return 0;
}

static void ui_sieve_set_cursor(struct ui_sieve *s, const struct ui_sieve_row *rows, size_t n,
				long i)
{
	if (!n)
		return;
	if (i < 0)
		i = 0;
	if ((size_t)i >= n)
		i = (long)n - 1;
	memcpy(s->cur, rows[i].card->id, sizeof(uuid_t));
	s->has_cur = true;
}

static int ui_sieve_visible(void)
{
	return LINES - 4 > 1 ? LINES - 4 : 1;
}

static void ui_sieve_init(struct ui *ui, void *state)
{
	struct ui_sieve *s = state;

	(void)ui;
	s->column = -1;
	s->theme = -1;
}

/* The cursor starts on the selected card; the sort and the filter stay as they were. */
static bool ui_sieve_open(struct ui *ui, void *state, const void *arg)
{
	struct ui_sieve *s = state;
	struct card *sel = ui_selected(ui);

	(void)arg;
	s->has_cur = sel != NULL;
	if (sel)
		memcpy(s->cur, sel->id, sizeof(uuid_t));
	s->top = 0;
	return true;
}

/* Enter: the card on a grid where it is placed (this one if it is), selected. */
static void ui_sieve_jump(struct ui *ui, struct card *card)
{
	size_t g;

	if (ui->board->ngrids && !card_is_placed(card, ui->grid))
		for (g = 0; g < ui->board->ngrids; g++)
			if (card_is_placed(card, g)) {
				ui_switch_grid(ui, g);
				break;
			}
	ui_select_reveal(ui, card);
	ui_screen_close(ui);
}

/* 1-9, <, >, r: the column sorted by, and which way. */
static void ui_sieve_sort_keys(struct ui *ui, struct ui_sieve *s, const struct ui_event *ev)
{
	int ncols = ui_sieve_ncolumns(ui);

	if (ev->kind == EV_CHAR && !ev->pasted && ev->ch >= L'1' && ev->ch <= L'9') {
		int c = (int)(ev->ch - L'1');

		if (c >= ncols) {
			ui_message(ui, _("there are %d columns"), ncols);
		} else if (c == s->column) {
			s->reverse = !s->reverse;
		} else {
			s->column = c;
			s->reverse = false;
		}
	} else if (ui_is_char(ev, L'<') || ui_is_char(ev, L'>')) {
		int c = s->column < 0 ? SIEVE_COL_GRID0 + (int)ui->board->ngrids : s->column;

		c = (c + (ui_is_char(ev, L'>') ? 1 : ncols - 1)) % ncols;
		s->column = c;
		s->reverse = false;
	} else if (ui_is_char(ev, L'r')) {
		s->reverse = !s->reverse;
	}
}

/* The keys on the card under the cursor, and leaving. */
static void ui_sieve_card_keys(struct ui *ui, struct card *card, const struct ui_event *ev)
{
	uuid_t id;

	if (card)
		memcpy(id, card->id, sizeof(uuid_t));
	if (ui_is_char(ev, L'v')) {
		if (card)
			ui_screen_open(ui, UI_SCREEN_DECIDE, id);
	} else if (ui_is_char(ev, L'L')) {
		if (card)
			ui_lock_card(ui, id);
	} else if (ui_is_enter(ev)) {
		if (card)
			ui_sieve_jump(ui, card);
	} else if (ui_is_char(ev, L's') || ui_is_char(ev, L'q') || ui_is_key(ev, UI_KEY_ESC)) {
		ui_screen_close(ui);
	}
}

static void ui_sieve_event(struct ui *ui, void *state, const struct ui_event *ev)
{
	struct ui_sieve *s = state;
	struct ui_sieve_row *rows;
	size_t n, cur;
	int page = ui_sieve_visible();

	if (ev->kind == EV_MOUSE)
		return;
	n = ui_sieve_rows(ui, s, &rows);
	cur = ui_sieve_cursor(s, rows, n);
	if (ui_is_key(ev, KEY_DOWN) || ui_is_char(ev, L'j')) {
		ui_sieve_set_cursor(s, rows, n, (long)cur + 1);
	} else if (ui_is_key(ev, KEY_UP) || ui_is_char(ev, L'k')) {
		ui_sieve_set_cursor(s, rows, n, (long)cur - 1);
	} else if (ui_is_key(ev, KEY_NPAGE)) {
		ui_sieve_set_cursor(s, rows, n, (long)cur + page);
	} else if (ui_is_key(ev, KEY_PPAGE)) {
		ui_sieve_set_cursor(s, rows, n, (long)cur - page);
	} else if (ui_is_key(ev, KEY_HOME)) {
		ui_sieve_set_cursor(s, rows, n, 0);
	} else if (ui_is_key(ev, KEY_END)) {
		ui_sieve_set_cursor(s, rows, n, (long)n - 1);
	} else if (ui_is_char(ev, L'f')) {
		int nt = (int)ui->board->nthemes;

		s->theme = s->theme + 1 >= nt ? -1 : s->theme + 1;
	} else {
		ui_sieve_sort_keys(ui, s, ev);
		ui_sieve_card_keys(ui, n ? rows[cur].card : NULL, ev);
	}
	ui_sieve_free(rows, n);
}

/* --- Drawing --- */

struct ui_sieve_cols {
	int rank, text, theme, grid, score, decision, mark;
};

static void ui_sieve_widths(const struct ui *ui, struct ui_sieve_cols *w)
{
	const struct board *b = ui->board;
	int ng = (int)b->ngrids, fixed, d;
	size_t t;

	w->rank = 4;
	w->grid = 6;
	w->score = 7;
	w->mark = 2;
	w->decision = 9;
	for (d = 0; d < DECISION_COUNT; d++)
		if (text_width(ui_decision_name((enum decision)d)) + 1 > w->decision)
			w->decision = text_width(ui_decision_name((enum decision)d)) + 1;
	w->theme = 6;
	for (t = 0; t < b->nthemes; t++)
		if (text_width(b->themes[t].label) + 4 > w->theme)
			w->theme = text_width(b->themes[t].label) + 4;
	if (w->theme > 18)
		w->theme = 18;
	fixed = w->rank + w->theme + ng * w->grid + w->score + w->decision + 2 * w->mark;
	w->text = COLS - fixed;
	if (w->text < 16) {
		w->theme = 4; /* the badge alone */
		fixed = w->rank + w->theme + ng * w->grid + w->score + w->decision + 2 * w->mark;
		w->text = COLS - fixed;
	}
	if (w->text < 8)
		w->text = 8;
}

/* A card's cell on grid g: "2,1", then "*" in the easy zone or the zone's initial. */
static void ui_sieve_cell(const struct board *b, const struct card *card, size_t g,
			  struct strbuf *out)
{
	const struct grid *grid = &b->grids[g];
	int z;

	if (!card_is_placed(card, g)) {
		strbuf_addstr(out, "·");
		return;
	}
	strbuf_addf(out, "%d,%d", card->place[g].x, card->place[g].y);
	if (card_in_easy_zone(b, card, g)) {
		strbuf_addstr(out, " *");
	} else if ((z = grid_zone_at(grid, card->place[g].x, card->place[g].y)) >= 0) {
		strbuf_addch(out, ' ');
		text_fit(out, grid->zones[z].name, 1);
	}
}

/* The header of column c: its name, with ▲ / ▼ when the table is sorted by it. */
static void ui_sieve_header(const struct ui *ui, const struct ui_sieve *s, int c,
			    struct strbuf *out)
{
	size_t g = 0;
	bool sorted = c == s->column ||
		      (s->column < 0 && ui_sieve_kind(ui, c, NULL) == KIND_SCORE);

	switch (ui_sieve_kind(ui, c, &g)) {
	case KIND_TEXT: strbuf_addstr(out, _("Card")); break;
	case KIND_THEME: strbuf_addstr(out, _("Theme")); break;
	case KIND_GRID: strbuf_addf(out, _("G%zu"), g + 1); break;
	case KIND_SCORE: strbuf_addstr(out, _("Score")); break;
	case KIND_DECISION: strbuf_addstr(out, _("Decision")); break;
	case KIND_DEBATED: strbuf_addstr(out, UI_MARK_DEBATED); break;
	case KIND_LOCKED: strbuf_addstr(out, UI_MARK_LOCKED); break;
	}
	if (sorted)
		strbuf_addstr(out, s->reverse ? "▼" : "▲");
}

static int ui_sieve_col_width(const struct ui_sieve_cols *w, enum ui_sieve_kind k)
{
	switch (k) {
	case KIND_TEXT: return w->text;
	case KIND_THEME: return w->theme;
	case KIND_GRID: return w->grid;
	case KIND_SCORE: return w->score;
	case KIND_DECISION: return w->decision;
	default: return w->mark;
	}
}

/* The title and the column headers. */
static void ui_sieve_draw_top(struct ui *ui, const struct ui_sieve *s, const struct ui_sieve_cols *w,
			      size_t n)
{
	const struct board *b = ui->board;
	struct strbuf sb = STRBUF_INIT;
	int ncols = ui_sieve_ncolumns(ui), x, c;

	strbuf_addf(&sb,
		    ngettext(" Sieve: %zu of %zu card", " Sieve: %zu of %zu cards", b->ncards), n,
		    b->ncards);
	strbuf_addf(&sb,
		    ngettext(", ranked by the easy zones of %zu grid",
			     ", ranked by the easy zones of %zu grids", b->ngrids),
		    b->ngrids);
	strbuf_addstr(&sb, " · ");
	if (s->theme >= 0)
		strbuf_addf(&sb, _("theme: %s"), b->themes[s->theme].label);
	else
		strbuf_addstr(&sb, _("all themes"));
	ui_draw_put_pad(0, 0, COLS, sb.buf, ui_color_attr(ROLE_TAB_ACTIVE));
	ui_draw_put_pad(1, 0, COLS, "", ui_color_attr(ROLE_POLE));
	x = ui_draw_put(1, 0, w->rank, "   #", ui_color_attr(ROLE_POLE)) > 0 ? w->rank : 0;
	for (c = 0; c < ncols; c++) {
		int cw = ui_sieve_col_width(w, ui_sieve_kind(ui, c, NULL));

		strbuf_reset(&sb);
		strbuf_addch(&sb, ' ');
		ui_sieve_header(ui, s, c, &sb);
		ui_draw_put(1, x, cw, sb.buf, ui_color_attr(ROLE_POLE));
		x += cw;
	}
	strbuf_release(&sb);
}

/* Row r on screen row y, each column starting with a space (cut at its edge). */
static void ui_sieve_draw_row(struct ui *ui, const struct ui_sieve_cols *w,
			      const struct ui_sieve_row *r, int y, attr_t attr)
{
	const struct board *b = ui->board;
	const struct card *card = r->card;
	struct strbuf sb = STRBUF_INIT;
	int ncols = ui_sieve_ncolumns(ui), x = w->rank, c;

	ui_draw_put_pad(y, 0, COLS, "", attr);
	strbuf_addf(&sb, "%4zu", r->rank);
	ui_draw_put(y, 0, w->rank, sb.buf, attr);
	for (c = 0; c < ncols; c++) {
		size_t g = 0;
		enum ui_sieve_kind k = ui_sieve_kind(ui, c, &g);
		int cw = ui_sieve_col_width(w, k);

		strbuf_reset(&sb);
		strbuf_addch(&sb, ' ');
		switch (k) {
		case KIND_TEXT:
			/* Someone else is moving it: said first, the text is cut. */
			if (ui_presence_carrier(ui, card))
				strbuf_addstr(&sb, UI_MARK_CARRIED " ");
			strbuf_addstr(&sb, card->text);
			break;
		case KIND_THEME:
			strbuf_addf(&sb, "%s ", ui->badges[card->theme]);
			ui_draw_put(y, x + 1, 3, sb.buf, ui_color_swatch(b->themes[card->theme].color));
			ui_draw_put(y, x + 5, cw - 6, b->themes[card->theme].label, attr);
			break;
		case KIND_GRID: ui_sieve_cell(b, card, g, &sb); break;
		case KIND_SCORE: strbuf_addf(&sb, "%d/%zu", r->hits, b->ngrids); break;
		case KIND_DECISION:
			if (card->decision != DECISION_UNDECIDED)
				strbuf_addstr(&sb, ui_decision_name(card->decision));
			break;
		case KIND_DEBATED:
			if (card_is_debated(b, card))
				strbuf_addstr(&sb, UI_MARK_DEBATED);
			break;
		case KIND_LOCKED:
			if (card->locked)
				strbuf_addstr(&sb, UI_MARK_LOCKED);
			break;
		}
		if (k != KIND_THEME)
			ui_draw_put(y, x, cw, sb.buf, attr);
		x += cw;
	}
	strbuf_release(&sb);
}

/* The whole terminal: drawn over nothing, and a prompt may be drawn over it. */
static bool ui_sieve_draw(struct ui *ui, void *state, struct ui_cursor *cursor)
{
	struct ui_sieve *s = state;
	struct ui_sieve_row *rows;
	struct ui_sieve_cols w;
	size_t n, cur;
	int visible = ui_sieve_visible(), y;

	if (COLS < LAYOUT_MIN_COLS || LINES < 8) {
		ui_draw_put(LINES / 2, 0, COLS, _("terminal too small"), ui_color_attr(ROLE_POLE));
		return true;
	}
	n = ui_sieve_rows(ui, s, &rows);
	cur = ui_sieve_cursor(s, rows, n);
	if (cur < s->top)
		s->top = cur;
	if (cur >= s->top + (size_t)visible)
		s->top = cur - (size_t)visible + 1;
	if (s->top > n)
		s->top = 0;
	ui_sieve_widths(ui, &w);
	ui_sieve_draw_top(ui, s, &w, n);
	for (y = 0; y < visible && s->top + (size_t)y < n; y++) {
		const struct ui_sieve_row *r = &rows[s->top + (size_t)y];
		attr_t attr = ui_color_attr(ROLE_NORMAL);

		if (s->top + (size_t)y == cur) {
			attr = ui_color_attr(ROLE_SELECTED);
			/* The cursor on the card's text, where a screen reader starts the row. */
			*cursor = (struct ui_cursor){ w.rank + 1, 2 + y };
		}
		else if (ui_card_dimmed(ui, r->card))
			attr |= ui_color_attr(ROLE_DIMMED);
		ui_sieve_draw_row(ui, &w, r, 2 + y, attr);
	}
	if (!n)
		ui_draw_put(3, 2, COLS - 4, _("no card to show (f changes the theme)"),
			    ui_color_attr(ROLE_POLE));
	ui_draw_status(ui, LINES - 2);
	ui_draw_hints_line(ui, LINES - 1);
	ui_sieve_free(rows, n);
	return true;
}

static const struct ui_hint ui_sieve_keys[] = {
	{ "↑↓", N_("card") }, { "1-9 < >", N_("sort") }, { "r", N_("reverse") },
	{ "f", N_("theme") }, { "v", N_("decide") }, { "L", N_("lock") },
	{ "Enter", N_("show on its grid") }, { "s", N_("back") }, { NULL, NULL },
};



const struct ui_screen_ops ui_sieve_screen = {
	.name = "sieve",
	.state_size = sizeof(struct ui_sieve),
	.init = ui_sieve_init,
	.open = ui_sieve_open,
	.event = ui_sieve_event,
	.draw = ui_sieve_draw,
	.keys = ui_sieve_keys,
	.flags = UI_SCREEN_SMALL_OK,
};
