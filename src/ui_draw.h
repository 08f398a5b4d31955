/*
 * ui_draw.h - drawing the terminal board: the primitives every screen draws
 * with, all clipped to the screen (ui_draw.c), and a card in its slot
 * (ui_card.c). Every piece of board text (card text, labels, the title...)
 * goes through text_fit()/text_wrap(), which escape control characters,
 * escape sequences and bidi overrides, before reaching curses.
 */
#ifndef TAMIS_UI_DRAW_H
#define TAMIS_UI_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stdio.h>
#include <wchar.h>

#include "board.h"
#include "layout.h"
#include "strbuf.h"
#include "ui_editor.h"
#include "ui_screen.h"

/* A key and what it does, for the hints line and the help. */
struct ui_hint {
	const char *key;
	const char *what;
};

/* --- ui_draw.c --- */

/* Draws the whole screen for the current state (to stdscr, then doupdate()). */
void ui_draw(struct ui *ui);
/* Writes the screen as text to f, one line per row, trailing spaces cut. */
void ui_draw_dump(FILE *f);

/* Draws s cut to w columns at (y, x). Returns the columns used. */
int ui_draw_put(int y, int x, int w, const char *s, attr_t attr);
/* Like ui_draw_put() but pads with spaces to exactly w columns. */
void ui_draw_put_pad(int y, int x, int w, const char *s, attr_t attr);
/* Draws s right-aligned so that it ends before column 'end'. */
void ui_draw_put_right(int y, int end, int w, const char *s, attr_t attr);
/* Draws s centred on the span [x0, x1) of row y; returns where it went. */
struct rect ui_draw_put_centred(int y, int x0, int x1, const char *s, attr_t attr);
/* One character at (y, x). */
void ui_draw_put_wch(int y, int x, wchar_t c, attr_t attr);
/* A box around r (borders included) with a title in the top border. */
void ui_draw_box(struct rect r, const char *title, attr_t attr, attr_t title_attr);
/* A popup box of the wanted size with the popup's colours: where it went. */
struct rect ui_draw_popup(const struct layout *l, int want_w, int want_h, const char *title);
/* A popup h rows high for typing in: 72 columns, less on a narrow terminal. */
struct rect ui_draw_field_popup(const struct layout *l, int h, const char *title);
/* An editor's text in w columns at (y, x); returns the cursor's screen column. */
int ui_draw_editor_line(struct ui_editor *ed, int y, int x, int w, attr_t attr);
/*
 * A one-line prompt in a popup: title, the lines above the field, the
 * field (ed) and a footer. Sets the cursor at the field.
 */
void ui_draw_prompt(const struct layout *l, struct ui_editor *ed, const char *title,
		    const char *const *above, int nabove, const char *footer,
		    struct ui_cursor *cursor);
/* The keys of a one-line prompt: Enter done, Esc cancel. */
extern const struct ui_hint ui_draw_prompt_hints[];
/* The status bar on row y: the title, counts, who plays, live, saved. */
void ui_draw_status(struct ui *ui, int y);
/* The message, then the keys of the screen on top, on row y. */
void ui_draw_hints_line(struct ui *ui, int y);
/* Draws hints (ending with a NULL key) on row y from column x; returns the next column. */
int ui_draw_hint_table(int y, int x, const struct ui_hint *hints);

/* --- ui_card.c --- */

enum ui_card_look {
	UI_CARD_PLAIN,
	UI_CARD_SELECTED, /* reversed, with ▸ */
	UI_CARD_CARRIED,  /* selected and carried: ▶…◀ (>…< without UTF-8) */
};

/* The marks of a card (decision, locked, debated, carried by someone else), "" when none, appended to out. */
void ui_card_marks(const struct ui *ui, const struct card *card, struct strbuf *out);
/* The slot where the board shows card now: false when it is scrolled out of view. */
bool ui_card_slot(const struct ui *ui, const struct card *card, struct rect *r);
/*
 * Where the terminal's cursor goes for card: the first cell of its text in
 * its slot (after the ▸ column and the badge), so that a screen reader or a
 * magnifier following the cursor lands on it. False when it is not shown.
 */
bool ui_card_cursor(const struct ui *ui, const struct card *card, struct ui_cursor *cursor);
/* Draws card as a post-it in slot r. */
void ui_card_draw(struct ui *ui, const struct card *card, struct rect r, enum ui_card_look look);

#endif
