/*
 * ui_int.h - the core of the terminal board, which every screen uses. Not
 * part of the public interface (ui.h).
 *
 * The UI modules in layers, each calling only those below it (no circle):
 *
 *   ui.c            opening the board and the terminal, the one input loop
 *   screens         one file each, behind struct ui_screen_ops (ui_screen.h):
 *                   ui_board.c (and its drawing, ui_board_draw.c), ui_carry.c,
 *                   ui_cardtext.c, ui_theme.c, ui_confirm.c, ui_details.c,
 *                   ui_help.c, ui_search.c, ui_name.c, ui_decide.c,
 *                   ui_zones.c, ui_sieve.c, ui_frame.c, ui_list.c, ui_who.c,
 *                   ui_changes.c, ui_versions.c, ui_conflict.c, ui_late.c
 *   ui_act.c        changes more than one screen makes (move, add, lock)
 *   ui_draw.c       the drawing primitives, prompts, the status bar and the
 *                   hints line, the frame drawn at each turn (ui_draw.h)
 *   ui_card.c       a card in its slot (ui_draw.h)
 *   ui_presence.c   the others on the board, their changes to my cards
 *   ui_live.c       the live session: every change, retries, closing
 *   ui_core.c       what the screens share: the selection, the grid shown,
 *                   the layout, the search and "my cards", keys, messages
 *   ui_screen.c     the screen table and the stack of open screens
 *   ui_input.c, ui_editor.c, ui_color.c, ui_term.c: events, the one-line
 *                   editor, colours, terminfo (they know nothing of struct ui)
 *
 * struct ui is the core's state only; each screen keeps its own.
 *
 * The board is live (session.h): ui->board is always the session's current
 * board, and a session call (applying a change, taking in others' changes)
 * may replace it with a new object. So no struct card * or struct board * is
 * kept across a session call: cards are named by UUID (the selection, the
 * card a decision is about, the sieve's cursor) and looked up again.
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
#include "ui_keys.h"
#include "ui_input.h"
#include "ui_screen.h"
#include "undo.h"

#define UI_BADGE_MAX 8 /* bytes of a theme's letter badge, NUL included */

struct ui {
	const char *path;
	const struct ui_options *opt;
	struct session session;
	struct board *board;      /* always session.board */
	struct undo undo;
	struct undo_mark undo_mark; /* how far back undo went in the histories (undo.h) */
	bool changed_here;        /* a change was made here: undo keeps to what was recorded */
	struct ui_input *input;

	/* Who plays. */
	char *by;                 /* owned; NULL when nobody said */
	bool facilitator;         /* --facilitator, and allowed by the board */
	struct sign_key key;      /* the facilitator's: signs facilitator changes (sign.h) */

	/* What the board shows: a grid, a selected card, the cards that match. */
	size_t grid;              /* the current grid */
	bool has_sel;
	uuid_t sel;               /* the selected card */
	struct strbuf query;      /* the search: matches highlighted while not empty */
	struct strbuf last_query; /* the last one kept with Enter: n, N and ↑ recall it */
	bool mine;                /* "my cards": the others are dimmed */
	char (*badges)[UI_BADGE_MAX]; /* per theme */
	size_t nbadges;

	/* Computed before each event and each drawing (ui_sync()). */
	struct layout layout;
	struct layout_view view;
	struct layout_scroll scroll;
	bool reveal;              /* scroll the selection into view at the next sync */

	/* Mouse: button 1 went down on a card, maybe the start of a drag. */
	bool mouse_down;
	uuid_t mouse_card;

	/* The screens: each one's state, and those open, the board first. */
	void *screen_state[UI_SCREEN_COUNT];
	enum ui_screen_id screens[UI_SCREEN_DEPTH];
	int nscreens;
	int screen_drawing;       /* the level being drawn (ui_screen_draw_under()) */

	/* Saving: every change is an operation applied through the session. */
	bool retry_said;          /* the message said a change waits for the lock, retried */
	time_t saved_at;          /* 0: nothing saved in this session */
	struct strbuf save_error; /* why the last change is not saved; "" when all is */
	size_t skipped_seen;      /* journal lines skipped, as last reported */
	size_t unverified_seen;   /* unverified facilitator operations, as last reported */
	/* Text being typed when a signal ended the session: kept in the rescue copy. */
	struct strbuf draft;
	uuid_t draft_card;        /* the card whose text it is */

	/*
	 * A dialog closed under the typing by someone else's change: keys until
	 * then (CLOCK_MONOTONIC, ms) are not taken as board commands.
	 */
	long long keys_held_until;

	struct ui_presence *presence; /* the others on the board (ui_presence.c) */

	struct strbuf message;    /* shown until the next key */
	bool message_read_error;  /* it says the others' changes cannot be read: cleared once they can */
	bool quit;
};

#define UI_MARK_LOCKED "⊠"
#define UI_MARK_DEBATED "⁉"
#define UI_MARK_CARRIED "✋" /* someone else is moving it (ui_presence.c) */

/* --- ui_core.c: the state every screen shares --- */

/* The buffers and defaults of a new state (its session and screens apart). */
void ui_state_init(struct ui *ui);
/* Frees what ui_state_init() and the loop made (not the session, nor the screens). */
void ui_release(struct ui *ui);
/* Replaces the message shown until the next key. */
void ui_message(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Gives every theme a distinct letter badge, from its label, then its id. */
void ui_make_badges(struct ui *ui);
/* The selected card, or NULL. */
struct card *ui_selected(struct ui *ui);
void ui_select(struct ui *ui, const struct card *card);
/* Selects card and scrolls it into view at the next sync. */
void ui_select_reveal(struct ui *ui, const struct card *card);
/* Selection on opening: the first placed card of the first grid, else the first card. */
void ui_select_default(struct ui *ui);
void ui_switch_grid(struct ui *ui, size_t g);
/*
 * Sorts the cards into cells and lays out the screen: done before every
 * event and drawing. The open screens' sync comes between the two.
 */
void ui_sync(struct ui *ui);
/* The tab label of grid g ("1 autonomie × frequence"), appended to out. */
void ui_tab_label(const struct ui *ui, size_t g, struct strbuf *out);
/* True when card matches the search (always true without a search). */
bool ui_card_matches(const struct ui *ui, const struct card *card);
/* True when "my cards" is on and card is someone else's (drawn dimmed). */
bool ui_card_dimmed(const struct ui *ui, const struct card *card);
/* True when card was dealt to or written by whoever plays. */
bool ui_card_is_mine(const struct ui *ui, const struct card *card);
/*
 * The cards of view v in reading order: cells from the top row, left to
 * right, then the tray when with_tray. *out is the caller's to free.
 */
size_t ui_reading_order(const struct layout_view *v, bool with_tray, struct card ***out);
/* Selects the next (step > 0) or previous match from the selection; here: it counts. */
bool ui_search_jump(struct ui *ui, int step, bool here);
/* The cards matching the search. */
size_t ui_count_matches(const struct ui *ui);
/*
 * From a screen's changed: the card it was about was deleted by someone
 * else. Closes it (never acting on another card instead), and says so.
 */
void ui_card_gone(struct ui *ui);
/* Milliseconds of CLOCK_MONOTONIC. */
long long ui_clock_ms(void);
/* How long keys are held after someone else's change closed a dialog. */
#define UI_KEYS_HELD_MS 1000
/* Says so and returns true when card is locked against whoever plays. */
bool ui_locked_for_me(struct ui *ui, const struct card *card);
/* Says why not and returns false unless whoever plays is the facilitator. */
bool ui_facilitator_allowed(struct ui *ui, const char *what);
/* The short label of a decision: "V1", "V2", "→", or "" when undecided. */
const char *ui_decision_badge(enum decision d);
/* The translated name of a decision ("V1", "elsewhere"...). */
const char *ui_decision_name(enum decision d);
/*
 * Appends card's text between quotation marks ("“%s”", « %s » in French),
 * sanitized and cut with … to fit room display columns, quotes included
 * (at least a few letters): how a prompt names the card it acts on.
 */
void ui_card_quoted(const struct card *card, int room, struct strbuf *out);
/* The columns a one-line prompt's title has on this terminal (ui_draw_field_popup()). */
int ui_prompt_title_room(void);
/* A new operation of that kind on card (may be NULL), zeroed otherwise. */
void ui_op_init(struct op *op, enum op_kind kind, const struct card *card);

/* Keys. */
bool ui_key_dir(const struct ui_event *ev, enum layout_dir *dir);
bool ui_is_enter(const struct ui_event *ev);
bool ui_is_key(const struct ui_event *ev, int key);
bool ui_is_char(const struct ui_event *ev, wchar_t c);
/* Tab, Shift-Tab and 1-9 switch grids. Returns true when ev was one of them. */
bool ui_grid_keys(struct ui *ui, const struct ui_event *ev);
/* Selects the nearest card in direction dir. */
void ui_move_selection(struct ui *ui, enum layout_dir dir);
/* ev into the editor ed, saying on the message line why it was refused, if it was. */
enum ui_editor_result ui_type(struct ui *ui, struct ui_editor *ed, const struct ui_event *ev);

/* The mouse on the board. */
/* The card in visible slot of the container hit, or NULL. */
struct card *ui_card_at(struct ui *ui, const struct layout_hit *h);
/* The wheel scrolls the cell or the tray under it: true when ev was the wheel. */
bool ui_mouse_wheel(struct ui *ui, const struct ui_event *ev);
/* Button 1 pressed: a tab shows its grid, a card is selected (and may be dragged). */
void ui_mouse_press(struct ui *ui, const struct ui_event *ev);

/* --- ui_live.c: the live session --- */

/*
 * Makes op (filled by the caller; its by, at and facilitator are set here)
 * as a change of whoever plays, recorded for undo (joining the step opened
 * by undo_begin(), if any). Returns an enum result (result.h): RESULT_OK
 * saved; RESULT_PENDING applied but not saved yet (it could not be written:
 * said in the status bar, retried); RESULT_QUEUED applied but not saved yet
 * because the board could not even be locked (said and retried the same
 * way: the caller may say it waits); RESULT_REFUSED (the reason is the
 * message). op is released.
 */
int ui_apply(struct ui *ui, struct op *op);
/* Takes in what others changed (the wake-up or the timer), and retries. */
void ui_poll(struct ui *ui);
/* Undoes (redoes) the last step of whoever plays, as a new change. */
void ui_undo(struct ui *ui, bool redo);
/* What about the files needs a person on opening, on the message line. */
void ui_open_warnings(struct ui *ui);
/* A last try at the changes not saved yet, before the terminal is given back. */
void ui_save_now(struct ui *ui);
/*
 * Closes the session (the last instance out compacts the board), saying on
 * stderr what could not be saved and where it is kept. Returns the exit
 * status: 74 only when changes really could not be saved.
 */
int ui_close(struct ui *ui);

/* --- ui_presence.c: the others on the board, and their changes to my cards --- */

struct presence_entry;
struct heard_change;

/* Writes this instance's entry and listens to others' changes (a live board only). */
void ui_presence_start(struct ui *ui);
/* Takes this instance's entry out (the last one out removes the file); frees it all. */
void ui_presence_stop(struct ui *ui);
/* After each event: writes this instance's entry when it changed or its heartbeat is due. */
void ui_presence_update(struct ui *ui);
/* After ui_poll(): reads the others' entries when the file changed; says changes to my cards. */
void ui_presence_poll(struct ui *ui);
/* Milliseconds until the next heartbeat is due, or -1 (for the loop's timer). */
int ui_presence_timeout_ms(const struct ui *ui);
/* The carry screen says what it carries (NULL: nothing any more). */
void ui_presence_carry(struct ui *ui, const struct card *card);
/* The others live on the board (this instance aside), and the i-th of them. */
size_t ui_presence_count(const struct ui *ui);
const struct presence_entry *ui_presence_other(const struct ui *ui, size_t i);
/* This instance's entry as written, or NULL when none is. */
const struct presence_entry *ui_presence_me(const struct ui *ui);
/* Someone else carrying card (picked up, being moved), or NULL. */
const struct presence_entry *ui_presence_carrier(const struct ui *ui, const struct card *card);
/* Appends e's name (or "someone"), sanitized and cut to cols, and ⚑ for the facilitator. */
void ui_presence_who(const struct presence_entry *e, int cols, struct strbuf *out);
/* The status bar's part on the others (" │ +2: Claire⚑, Binôme B"; level > 0: " │ +2"). */
void ui_presence_status(const struct ui *ui, int level, struct strbuf *out);
/* The i-th newest change others made to my cards (0: the newest), or NULL. */
const struct heard_change *ui_presence_change(const struct ui *ui, size_t i);
/* Appends "Claire locked « Navette »" for c, the card's text cut to text_cols. */
void ui_presence_describe(const struct ui *ui, const struct heard_change *c, int text_cols,
			  struct strbuf *out);

/* The cursor of a list of n rows (w, !) moved by ev's key: false when ev is none of them. */
bool ui_presence_list_key(const struct ui_event *ev, int *cur, int n);
/* The first row shown (*top) so that row cur is among the rows shown. */
void ui_presence_list_scroll(int cur, int rows, int *top);

/* --- ui_act.c: changes more than one screen makes --- */

/* Moves card id to (x, y) of grid g ((0, 0): the tray) as one change, and says so. */
void ui_move_card(struct ui *ui, const uuid_t id, size_t g, int x, int y);
/* Adds a card with text (trimmed, not empty) in theme to the tray, selected. */
void ui_add_card(struct ui *ui, const char *text, size_t theme);
/* Locks or unlocks card id (the facilitator). */
void ui_lock_card(struct ui *ui, const uuid_t id);
/* Button 1 released at ev: the card pressed (mouse_card) goes there on grid g. */
void ui_mouse_drop(struct ui *ui, const struct ui_event *ev, size_t g);

#endif
