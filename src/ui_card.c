/*
 * ui_card.c - a card drawn in its slot as a post-it on its theme's colour
 * (a letter badge without colours), its text wrapped or cut by display
 * columns, its marks ending its first line; the selected card reversed
 * with ▸, the carried one between ▶ and ◀ (> and < when the locale is not
 * UTF-8): not « », which French card texts use as quotation marks.
 */
#include <curses.h>
#include <langinfo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "board.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_int.h"
#include "xmalloc.h"

void ui_card_marks(const struct ui *ui, const struct card *card, struct strbuf *out)
{
	const char *badge = ui_decision_badge(card->decision);

	if (*badge)
		strbuf_addstr(out, badge);
	if (card->locked)
		strbuf_addstr(out, UI_MARK_LOCKED);
	if (card_is_debated(ui->board, card))
		strbuf_addstr(out, UI_MARK_DEBATED);
	if (ui_presence_carrier(ui, card))
		strbuf_addstr(out, UI_MARK_CARRIED);
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

static bool ui_card_put_cells(int y, int x, const char *s, attr_t attr)
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

/* True when the locale tamis writes in is UTF-8 (ncursesw encodes by it). */
static bool ui_card_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return !strcmp(cs, "UTF-8") || !strcmp(cs, "utf8");
}

/* The columns before a card's text in a slot w wide: the ▸ column, the badge. */
static int ui_card_text_offset(int w)
{
	return (w >= 6 ? 1 : 0) + (ui_color_mono() && w >= 4 ? 2 : 0);
}

bool ui_card_cursor(const struct ui *ui, const struct card *card, struct ui_cursor *cursor)
{
	struct rect r;

	if (!card || !ui_card_slot(ui, card, &r) || r.w < 1 || r.h < 1)
		return false;
	cursor->x = r.x + ui_card_text_offset(r.w);
	if (cursor->x >= r.x + r.w)
		cursor->x = r.x;
	cursor->y = r.y;
	return true;
}

void ui_card_draw(struct ui *ui, const struct card *card, struct rect r, enum ui_card_look look)
{
	const char *carry_left = ui_card_utf8() ? "▶" : ">";
	const char *carry_right = ui_card_utf8() ? "◀" : "<";
	const struct board *b = ui->board;
	bool mono = ui_color_mono(), selected = look != UI_CARD_PLAIN;
	bool carried = look == UI_CARD_CARRIED;
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
	ui_card_marks(ui, card, &marks);
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
			strbuf_addstr(&sb, i ? " " : carried ? carry_left : selected ? "▸" : " ");
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
			strbuf_addstr(&sb, carried && i == 0 ? carry_right : " ");
		if (!exact || !ui_card_put_cells(r.y + i, r.x, sb.buf, attr))
			ui_draw_put_pad(r.y + i, r.x, r.w, sb.buf, attr);
	}
	strbuf_release(&sb);
	strbuf_release(&marks);
}

bool ui_card_slot(const struct ui *ui, const struct card *card, struct rect *r)
{
	const struct layout *l = &ui->layout;
	struct layout_pos pos;
	size_t first, cap;

	if (!layout_view_find(&ui->view, card, &pos))
		return false;
	if (pos.x) {
		first = (size_t)ui->scroll.cell[pos.x - 1][pos.y - 1] * (size_t)l->slot_cols;
		cap = (size_t)layout_cell_capacity(l);
	} else {
		first = (size_t)ui->scroll.tray * (size_t)l->tray_cols;
		cap = (size_t)layout_tray_capacity(l);
	}
	if (pos.index < first || pos.index >= first + cap)
		return false;
	if (pos.x)
		*r = layout_cell_slot(l, pos.x, pos.y, (int)(pos.index - first));
	else
		*r = layout_tray_slot(l, (int)(pos.index - first));
	return true;
}
