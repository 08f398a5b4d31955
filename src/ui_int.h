/*
 * ui_int.h - the state of the terminal board shared by the UI modules: ui.c
 * (the loop, the modes and the actions on the board), ui_draw.c (the screen)
 * and ui_input.c (events). Not part of the public interface (ui.h).
 *
 * Each mode is a pair of functions, one drawing and one handling events
 * (ncdu's foo_draw() and foo_key()), chosen by ui->mode.
 */
#ifndef TAMIS_UI_INT_H
#define TAMIS_UI_INT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <uuid/uuid.h>

#include "board.h"
#include "layout.h"
#include "strbuf.h"
#include "ui.h"
#include "ui_editor.h"
#include "ui_input.h"
#include "undo.h"

enum ui_mode {
	MODE_NORMAL,
	MODE_CARRY,   /* a card is picked up and moves with the arrows */
	MODE_EDIT,    /* the text editor (adding or editing a card) */
	MODE_THEME,   /* the theme picker */
	MODE_CONFIRM, /* "delete this card? y/n" */
	MODE_DETAILS, /* the details popup */
	MODE_HELP,    /* the keys */
	MODE_SEARCH,  /* typing a search */
};

#define UI_BADGE_MAX 8 /* bytes of a theme's letter badge, NUL included */

struct ui {
	const char *path;
	const struct ui_options *opt;
	struct board *board;
	struct undo undo;
	struct ui_input *input;

	size_t grid;              /* the current grid */
	bool has_sel;
	uuid_t sel;               /* the selected card */
	enum ui_mode mode;

	/* Computed before each event and each drawing (ui_sync()). */
	struct layout layout;
	struct layout_view view;
	struct layout_scroll scroll;
	bool reveal;              /* scroll the selection into view at the next sync */

	/* MODE_CARRY: the card's place on this grid before it was picked up. */
	struct cell carry_from;
	size_t carry_grid;
	bool carry_mouse;         /* carried by a mouse drag */

	/* Mouse: button 1 went down on a card, maybe the start of a drag. */
	bool mouse_down;
	uuid_t mouse_card;

	/* MODE_EDIT and MODE_THEME. */
	struct ui_editor editor;
	bool adding;              /* a new card, not an edit */
	struct strbuf new_text;   /* the new card's text, waiting for its theme */
	size_t theme_cursor;

	/* Search: the query; matches are highlighted while it is not empty. */
	struct ui_editor search;
	struct strbuf query;

	/* Saving: every change is saved at once. */
	bool dirty;               /* the last save failed: retry on the next change */
	time_t saved_at;          /* 0: not saved in this session */
	struct strbuf save_error;

	struct strbuf message;    /* shown until the next key */
	bool quit;
	int exit_status;

	char (*badges)[UI_BADGE_MAX]; /* per theme */
};

/* ui.c */
/* The selected card, or NULL. */
struct card *ui_selected(struct ui *ui);
/* True when card matches the search (always true without a search). */
bool ui_card_matches(const struct ui *ui, const struct card *card);

/* ui_draw.c */
/* Draws the whole screen for the current state (to stdscr, then doupdate()). */
void ui_draw(struct ui *ui);
/* Writes the screen as text to f, one line per row, trailing spaces cut. */
void ui_draw_dump(FILE *f);
/* The tab label of grid g ("1 autonomie × frequence"), appended to out. */
void ui_draw_tab_label(const struct ui *ui, size_t g, struct strbuf *out);

#endif
