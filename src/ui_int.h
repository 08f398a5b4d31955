/*
 * ui_int.h - the state of the terminal board shared by the UI modules: ui.c
 * (the loop, the live session, the modes and the actions on the board),
 * ui_facil.c (the facilitator's keys: locks, decisions, zones; the debated
 * cards, "my cards", the report), ui_sieve.c (the sieve view), ui_draw.c (the
 * screen) and ui_input.c (events). Not part of the public interface (ui.h).
 *
 * Each mode is a pair of functions, one drawing and one handling events
 * (ncdu's foo_draw() and foo_key()), chosen by ui->mode.
 *
 * The board is live (session.h): ui->board is always the session's current
 * board, and a session call (applying a change, taking in others' changes)
 * may replace it with a new object. So no struct card * or struct board * is
 * kept across a session call: cards are named by UUID (the selection, the
 * carried card, the sieve's cursor) and looked up again.
 */
#ifndef TAMIS_UI_INT_H
#define TAMIS_UI_INT_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <uuid/uuid.h>

#include "board.h"
#include "layout.h"
#include "op.h"
#include "session.h"
#include "sign.h"
#include "strbuf.h"
#include "ui.h"
#include "ui_editor.h"
#include "ui_input.h"
#include "undo.h"

enum ui_mode {
	MODE_NORMAL,
	MODE_CARRY,      /* a card is picked up and moves with the arrows */
	MODE_EDIT,       /* the text editor (adding or editing a card) */
	MODE_THEME,      /* the theme picker */
	MODE_CONFIRM,    /* "delete this card? y/n" */
	MODE_DETAILS,    /* the details popup */
	MODE_HELP,       /* the keys */
	MODE_SEARCH,     /* typing a search */
	MODE_NAME,       /* "who is playing?", once at start */
	MODE_RATIONALE,  /* the optional rationale of a decision */
	MODE_ZONE,       /* choosing cells of the current grid for a zone */
	MODE_ZONE_NAME,  /* typing the name of the zone for those cells */
	MODE_ZONE_COLOR, /* choosing a new zone's colour */
	MODE_SIEVE,      /* the sieve view: every card ranked, in a table */
	MODE_FRAME,      /* the frame editor: criteria and grids */
	MODE_FRAME_PROMPT, /* typing a criterion's id or poles */
};

#define UI_BADGE_MAX 8 /* bytes of a theme's letter badge, NUL included */

/* The sieve view's columns, in order: text, theme, one per grid, then these. */
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
	enum ui_mode back; /* where s / Esc go back to */
};

/* What MODE_FRAME_PROMPT asks for. */
enum ui_frame_step { FRAME_STEP_ID, FRAME_STEP_LOW, FRAME_STEP_HIGH };

/* MODE_FRAME: the cursor on the criteria then the grids, and what is typed. */
struct ui_frame {
	size_t cur;
	size_t top;               /* first line shown */
	bool pairing;             /* 'g' pressed: choosing the vertical axis */
	char pair_x[BOARD_ID_MAX + 1];
	enum ui_frame_step step;
	bool adding;              /* a new criterion, not a rename */
	char id[BOARD_ID_MAX + 1];
	struct strbuf low;        /* the low pole, typed before the high one */
};

struct ui {
	const char *path;
	const struct ui_options *opt;
	struct session session;
	struct board *board;      /* always session.board */
	struct undo undo;
	struct ui_input *input;

	/* Who plays. */
	char *by;                 /* owned; NULL when nobody said */
	bool facilitator;         /* --facilitator, and allowed by the board */
	struct sign_key key;      /* the facilitator's: signs facilitator changes (sign.h) */

	size_t grid;              /* the current grid */
	bool has_sel;
	uuid_t sel;               /* the selected card */
	enum ui_mode mode;

	/* Computed before each event and each drawing (ui_sync()). */
	struct layout layout;
	struct layout_view view;
	struct layout_scroll scroll;
	bool reveal;              /* scroll the selection into view at the next sync */

	/*
	 * MODE_CARRY: the selected card is carried on grid carry_grid. Its real
	 * place (in the session's state) is carry_from; the view shows it at
	 * carry_to (layout_view_preview()), the board never does.
	 */
	struct cell carry_from, carry_to;
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
	struct strbuf last_query; /* the last one kept with Enter: n, N and ↑ recall it */

	/* One-line prompts: the player's name, a rationale, a zone's name. */
	struct ui_editor prompt;
	enum ui_mode prompt_back; /* the mode after the rationale */
	enum decision decide_to;  /* MODE_RATIONALE: the decision being made */
	uuid_t decide_card;

	/* "My cards": the others are dimmed. */
	bool mine;

	/* MODE_ZONE: a cell cursor and the cells chosen on the current grid. */
	int zone_x, zone_y;
	uint16_t zone_sel[BOARD_MAX_CELLS]; /* bit x-1 of [y-1]: cell (x, y) */
	struct strbuf zone_name;  /* MODE_ZONE_COLOR: the new zone's name */
	size_t color_cursor;

	struct ui_sieve sieve;
	struct ui_frame frame;
	int popup_top;            /* MODE_HELP, MODE_DETAILS: first line shown */

	/* Saving: every change is an operation applied through the session. */
	bool retry_said;          /* the message said a change waits for the lock, retried */
	time_t saved_at;          /* 0: nothing saved in this session */
	struct strbuf save_error; /* why the last change is not saved; "" when all is */
	size_t skipped_seen;      /* journal lines skipped, as last reported */
	/* Text being typed when a signal ended the session: kept in the rescue copy. */
	struct strbuf draft;
	uuid_t draft_card;        /* the card whose text it is */
	size_t unverified_seen;   /* unverified facilitator operations, as last reported */

	struct strbuf message;    /* shown until the next key */
	bool message_read_error;  /* it says the others' changes cannot be read: cleared once they can */
	bool quit;
	int exit_status;

	char (*badges)[UI_BADGE_MAX]; /* per theme */
	size_t nbadges;
};

/* ui.c */
/* The editors, buffers and defaults of a new screen state (its session apart). */
void ui_state_init(struct ui *ui);
/* Frees what ui_state_init() and the loop made (not the session). */
void ui_release(struct ui *ui);
/* Sorts the cards into cells and lays out the screen: done before every event and drawing. */
void ui_sync(struct ui *ui);
/* The selected card, or NULL. */
struct card *ui_selected(struct ui *ui);
void ui_select(struct ui *ui, const struct card *card);
/* Selects card and scrolls it into view at the next sync. */
void ui_select_reveal(struct ui *ui, const struct card *card);
void ui_switch_grid(struct ui *ui, size_t g);
/* True when card matches the search (always true without a search). */
bool ui_card_matches(const struct ui *ui, const struct card *card);
/* True when "my cards" is on and card is someone else's (drawn dimmed). */
bool ui_card_dimmed(const struct ui *ui, const struct card *card);
/* True when card was dealt to or written by whoever plays. */
bool ui_card_is_mine(const struct ui *ui, const struct card *card);
/* Replaces the message shown until the next key. */
void ui_message(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A new operation of that kind on card (may be NULL), zeroed otherwise. */
void ui_op_init(struct op *op, enum op_kind kind, const struct card *card);
/*
 * Makes op (filled by the caller; its by, at and facilitator are set here)
 * as a change of whoever plays, recorded for undo (joining the step opened
 * by undo_begin(), if any). Returns 0 saved; 1 applied but not saved yet
 * (it could not be written: said in the status bar, retried); 2 applied but
 * not saved yet because the board could not even be locked (said and
 * retried the same way: the caller may say it waits); -1 refused (the
 * reason is the message). op is released.
 */
int ui_apply(struct ui *ui, struct op *op);
/* The grid's id for an operation on the current grid. */
const char *ui_grid_id(const struct ui *ui);

/* Keys. */
bool ui_key_dir(const struct ui_event *ev, enum layout_dir *dir);
bool ui_is_enter(const struct ui_event *ev);
bool ui_is_key(const struct ui_event *ev, int key);
bool ui_is_char(const struct ui_event *ev, wchar_t c);

/* ui_facil.c */
/* Says why not and returns false unless whoever plays is the facilitator. */
bool ui_facil_allowed(struct ui *ui, const char *what);
void ui_facil_lock(struct ui *ui, const uuid_t card);
/* Starts a decision on card: the next one in the cycle, then its rationale. */
void ui_facil_decide(struct ui *ui, const uuid_t card, enum ui_mode back);
void ui_facil_rationale_event(struct ui *ui, const struct ui_event *ev);
void ui_facil_next_debated(struct ui *ui);
void ui_facil_toggle_mine(struct ui *ui);
void ui_facil_report(struct ui *ui);
void ui_facil_zone_start(struct ui *ui);
void ui_facil_zone_event(struct ui *ui, const struct ui_event *ev);
void ui_facil_zone_name_event(struct ui *ui, const struct ui_event *ev);
void ui_facil_zone_color_event(struct ui *ui, const struct ui_event *ev);
/* True when cell (x, y) is chosen in MODE_ZONE. */
bool ui_facil_zone_chosen(const struct ui *ui, int x, int y);
/* The short label of a decision: "V1", "V2", "→", or "" when undecided. */
const char *ui_facil_badge(enum decision d);
/* Cuts sb's trailing spaces; returns where it starts after its leading ones. */
const char *ui_facil_trim(struct strbuf *sb);
/* The translated name of a decision ("V1", "elsewhere"...). */
const char *ui_facil_decision(enum decision d);

/* ui_sieve.c */
void ui_sieve_open(struct ui *ui);
void ui_sieve_event(struct ui *ui, const struct ui_event *ev);
void ui_sieve_draw(struct ui *ui);
/* Columns of the sieve view (text, theme, grids, score, decision, marks). */
int ui_sieve_ncolumns(const struct ui *ui);

/* ui_frame.c */
void ui_frame_open(struct ui *ui);
void ui_frame_event(struct ui *ui, const struct ui_event *ev);
void ui_frame_prompt_event(struct ui *ui, const struct ui_event *ev);
/* A click on a criterion or a grid moves the cursor there. */
void ui_frame_mouse(struct ui *ui, const struct ui_event *ev);
void ui_frame_draw(struct ui *ui);
/* The title and the lines above the field of MODE_FRAME_PROMPT. */
void ui_frame_prompt_lines(struct ui *ui, struct strbuf *title, const char **above, int *nabove);

/* ui_draw.c */
/* Draws the whole screen for the current state (to stdscr, then doupdate()). */
void ui_draw(struct ui *ui);
/* Writes the screen as text to f, one line per row, trailing spaces cut. */
void ui_draw_dump(FILE *f);
/* The tab label of grid g ("1 autonomie × frequence"), appended to out. */
void ui_draw_tab_label(const struct ui *ui, size_t g, struct strbuf *out);
/* The marks of a card (decision, locked, debated), "" when none, appended to out. */
void ui_draw_card_marks(const struct ui *ui, const struct card *card, struct strbuf *out);
/* Shared drawing helpers. */
int ui_draw_put(int y, int x, int w, const char *s, attr_t attr);
void ui_draw_put_pad(int y, int x, int w, const char *s, attr_t attr);
void ui_draw_status(struct ui *ui, int y);
void ui_draw_hints_line(struct ui *ui, int y);
/*
 * A one-line prompt in a popup: title, the lines above the field, the field
 * (ui->prompt) and a footer. Returns the cursor's column, its row in *cy.
 */
int ui_draw_prompt(struct ui *ui, const char *title, const char *const *above, int nabove,
		   const char *footer, int *cy);

#define UI_MARK_LOCKED "⊠"
#define UI_MARK_DEBATED "⁉"

#endif
