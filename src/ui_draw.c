/*
 * ui_draw.c - the drawing primitives of the terminal board (ui_draw.h), the
 * status bar and the hints line every full screen ends with, and the frame
 * drawn at each turn of the loop: the screens, then the cursor.
 */
#include "ui_draw.h"

#include <curses.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "board.h"
#include "i18n.h"
#include "layout.h"
#include "session.h"
#include "text.h"
#include "timeutil.h"
#include "ui_color.h"
#include "ui_editor.h"
#include "ui_int.h"

/* --- Primitives, all clipped to the screen --- */

int ui_draw_put(int y, int x, int w, const char *s, attr_t attr)
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

void ui_draw_put_pad(int y, int x, int w, const char *s, attr_t attr)
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

void ui_draw_put_right(int y, int end, int w, const char *s, attr_t attr)
{
	int tw = text_width(s);

	if (tw > w)
		tw = w;
	ui_draw_put(y, end - tw, tw, s, attr);
}

struct rect ui_draw_put_centred(int y, int x0, int x1, const char *s, attr_t attr)
{
	int w = text_width(s);
	struct rect r;

	if (w > x1 - x0)
		w = x1 - x0;
	r = (struct rect){ x0 + (x1 - x0 - w) / 2, y, w, 1 };
	if (w > 0)
		ui_draw_put(y, r.x, w, s, attr);
	return r;
}

void ui_draw_put_wch(int y, int x, wchar_t c, attr_t attr)
{
	cchar_t cc;
	wchar_t s[2] = { c, 0 };

	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	setcchar(&cc, s, attr, 0, NULL);
	mvadd_wch(y, x, &cc);
}

static void ui_draw_fill(struct rect r, attr_t attr)
{
	int y;

	for (y = r.y; y < r.y + r.h; y++)
		ui_draw_put_pad(y, r.x, r.w, "", attr);
}

void ui_draw_box(struct rect r, const char *title, attr_t attr, attr_t title_attr)
{
	int x, y;

	if (r.w < 2 || r.h < 2)
		return;
	ui_draw_fill(r, attr);
	for (x = r.x + 1; x < r.x + r.w - 1; x++) {
		ui_draw_put_wch(r.y, x, L'─', attr);
		ui_draw_put_wch(r.y + r.h - 1, x, L'─', attr);
	}
	for (y = r.y + 1; y < r.y + r.h - 1; y++) {
		ui_draw_put_wch(y, r.x, L'│', attr);
		ui_draw_put_wch(y, r.x + r.w - 1, L'│', attr);
	}
	ui_draw_put_wch(r.y, r.x, L'┌', attr);
	ui_draw_put_wch(r.y, r.x + r.w - 1, L'┐', attr);
	ui_draw_put_wch(r.y + r.h - 1, r.x, L'└', attr);
	ui_draw_put_wch(r.y + r.h - 1, r.x + r.w - 1, L'┘', attr);
	if (title && *title && r.w > 6) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, " %s ", title);
		ui_draw_put(r.y, r.x + 2, r.w - 4, sb.buf, title_attr);
		strbuf_release(&sb);
	}
}

struct rect ui_draw_popup(const struct layout *l, int want_w, int want_h, const char *title)
{
	struct rect r = layout_popup(l, want_w, want_h);

	ui_draw_box(r, title, ui_color_attr(ROLE_POPUP), ui_color_attr(ROLE_POPUP_TITLE));
	return r;
}

struct rect ui_draw_field_popup(const struct layout *l, int h, const char *title)
{
	struct rect r = layout_popup(l, 72, h);

	if (r.w > COLS - 4 && COLS > 24)
		r = layout_popup(l, COLS - 4, h);
	ui_draw_box(r, title, ui_color_attr(ROLE_POPUP), ui_color_attr(ROLE_POPUP_TITLE));
	return r;
}

int ui_draw_editor_line(struct ui_editor *ed, int y, int x, int w, attr_t attr)
{
	struct strbuf line = STRBUF_INIT;
	int cx;

	if (w < 1)
		return x;
	cx = ui_editor_view(ed, w, &line);
	attron((int)attr);
	mvaddstr(y, x, line.buf);
	attroff((int)attr);
	strbuf_release(&line);
	return x + cx;
}

void ui_draw_prompt(const struct layout *l, struct ui_editor *ed, const char *title,
		    const char *const *above, int nabove, const char *footer,
		    struct ui_cursor *cursor)
{
	struct rect r = ui_draw_field_popup(l, 5 + nabove, title);
	int i;

	for (i = 0; i < nabove; i++)
		ui_draw_put(r.y + 1 + i, r.x + 2, r.w - 4, above[i], ui_color_attr(ROLE_POPUP));
	cursor->x = ui_draw_editor_line(ed, r.y + 1 + nabove, r.x + 2, r.w - 4, A_UNDERLINE);
	cursor->y = r.y + 1 + nabove;
	ui_draw_put(r.y + 3 + nabove, r.x + 2, r.w - 4, footer, ui_color_attr(ROLE_POPUP));
}

const struct ui_hint ui_draw_prompt_hints[] = {
	{ "Enter", N_("done") }, { "Esc", N_("cancel") }, { NULL, NULL },
};

/* --- The status bar and the hints line --- */

/*
 * The right part of the status bar, at a level of detail: 0 full, 1 fewer
 * words, 2 the fewest (for narrow terminals).
 */
static void ui_draw_status_right(struct ui *ui, int level, struct strbuf *out)
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
	/* Three counts, each its own plural (ngettext). */
	strbuf_addf(out, ngettext(" │ %zu placed", " │ %zu placed", placed), placed);
	if (level)
		strbuf_addf(out, ngettext(" · %zu tray", " · %zu tray", unplaced), unplaced);
	else
		strbuf_addf(out, ngettext(" · %zu in tray", " · %zu in tray", unplaced), unplaced);
	if (level)
		strbuf_addf(out, ngettext(" · %zu easy", " · %zu easy", easy), easy);
	else
		strbuf_addf(out, ngettext(" · %zu in easy zone", " · %zu in easy zone", easy), easy);
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

/* The minimum a title keeps for the others to be named in the status bar. */
#define UI_STATUS_TITLE_MIN 12

/*
 * Who else is on the board goes first in the right part (at level, as
 * chosen for the rest), when it fits with the title cut down to a
 * minimum: their names, with fewer words for the rest if need be; else
 * how many they are; else nothing.
 */
static void ui_draw_status_others(struct ui *ui, int level, struct strbuf *right)
{
	struct strbuf others = STRBUF_INIT, rest = STRBUF_INIT;
	int title = text_width(ui->board->title), l;
	bool fits = false;

	if (title > UI_STATUS_TITLE_MIN)
		title = UI_STATUS_TITLE_MIN;
	ui_presence_status(ui, 0, &others);
	for (l = level; others.len && l < 3 && !fits; l++) {
		strbuf_reset(&rest);
		ui_draw_status_right(ui, l, &rest);
		fits = text_width(others.buf) + text_width(rest.buf) + 2 + title <= COLS;
	}
	if (others.len && !fits) {
		strbuf_reset(&others);
		ui_presence_status(ui, 1, &others);
		strbuf_reset(&rest);
		strbuf_addstr(&rest, right->buf);
		fits = text_width(others.buf) + text_width(rest.buf) + 2 + title <= COLS;
	}
	if (fits) {
		strbuf_reset(right);
		strbuf_addstr(right, others.buf);
		strbuf_addstr(right, rest.buf);
	}
	strbuf_release(&others);
	strbuf_release(&rest);
}

void ui_draw_status(struct ui *ui, int y)
{
	struct strbuf right = STRBUF_INIT, left = STRBUF_INIT;
	int w = COLS, rw, level;

	ui_draw_put_pad(y, 0, w, "", ui_color_attr(ROLE_STATUS));
	for (level = 0; level < 3; level++) {
		strbuf_reset(&right);
		ui_draw_status_right(ui, level, &right);
		if (text_width(right.buf) + 2 + text_width(ui->board->title) <= w)
			break;
	}
	ui_draw_status_others(ui, level < 3 ? level : 2, &right);
	if (ui->save_error.len) {
		strbuf_addf(&left, _(" NOT SAVED: %s — retrying "), ui->save_error.buf);
		rw = ui_draw_put(y, 0, w, left.buf, ui_color_attr(ROLE_STATUS_ERROR));
		ui_draw_put(y, rw, w - rw, right.buf, ui_color_attr(ROLE_STATUS));
	} else {
		/* The title gets what the rest leaves. */
		rw = text_width(right.buf);
		if (rw > w)
			rw = w;
		strbuf_addch(&left, ' ');
		strbuf_addstr(&left, ui->board->title);
		ui_draw_put(y, 0, w - rw, left.buf, ui_color_attr(ROLE_STATUS) | A_BOLD);
		ui_draw_put_right(y, w, rw, right.buf, ui_color_attr(ROLE_STATUS));
	}
	strbuf_release(&left);
	strbuf_release(&right);
}

int ui_draw_hint_table(int y, int x, const struct ui_hint *h)
{
	struct strbuf key = STRBUF_INIT;
	int w = COLS;

	for (; h->key && x < w; h++) {
		strbuf_reset(&key);
		ui_keys_expand(_(h->key), &key);
		x += ui_draw_put(y, x, w - x, key.buf, ui_color_attr(ROLE_HINT_KEY));
		x += ui_draw_put(y, x, w - x, " ", ui_color_attr(ROLE_HINTS));
		x += ui_draw_put(y, x, w - x, _(h->what), ui_color_attr(ROLE_HINTS));
		x += ui_draw_put(y, x, w - x, "  ", ui_color_attr(ROLE_HINTS));
	}
	strbuf_release(&key);
	return x;
}

void ui_draw_hints_line(struct ui *ui, int y)
{
	int x = 0, w = COLS;

	ui_draw_put_pad(y, 0, w, "", ui_color_attr(ROLE_HINTS));
	if (ui->message.len) {
		x += ui_draw_put(y, x, w - x, ui->message.buf, ui_color_attr(ROLE_MESSAGE));
		x += ui_draw_put(y, x, w - x, "  ", ui_color_attr(ROLE_HINTS));
	}
	if (ui_screen_keys(ui))
		ui_draw_hint_table(y, x, ui_screen_keys(ui));
	else
		ui_screen_hints(ui, y, x);
}

/* --- The whole screen --- */

/*
 * The screens say where the cursor goes: a typing field, else what is
 * selected (a card's text, a list's row). It is shown there, not only
 * placed: screen readers (Orca, NVDA, brltty's cursor routing) and
 * magnifiers follow the terminal's caret, and some ignore a hidden one;
 * for anyone it is a second mark of the selection besides reverse video.
 * Only a screen that selects nothing hides it.
 */
void ui_draw(struct ui *ui)
{
	struct ui_cursor cursor = { -1, -1 };

	erase();
	ui_screen_draw(ui, &cursor);
	if (cursor.x >= 0 && cursor.y >= 0 && cursor.x < COLS && cursor.y < LINES) {
		curs_set(1);
		move(cursor.y, cursor.x);
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
