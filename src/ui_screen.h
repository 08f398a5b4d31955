/*
 * ui_screen.h - the screens of the terminal board behind one table of
 * operations (tig's struct view_ops), and the core's screen switch.
 *
 * A screen is one file, src/ui_NAME.c, holding its own state (a struct the
 * core allocates once, zeroed, when the UI starts, and frees when it ends:
 * what it keeps lasts from one opening to the next, e.g. the sieve's sort)
 * and the functions of its `const struct ui_screen_ops ui_NAME_screen`.
 * Screens never call one another: they open and close screens through the
 * core (ui_screen_open(), ui_screen_close()), which keeps them in a stack.
 * The board is always at its bottom; a screen opened over another either
 * covers the whole terminal (the sieve, the frame) or draws what is under
 * it first (ui_screen_draw_under()) and itself over it (a popup, a prompt,
 * the carried card, the zone cursor). The screen on top takes the events
 * and says the keys on the hints line.
 *
 * How to add a screen:
 *   1. Write src/ui_NAME.c: its state, its operations, and
 *      const struct ui_screen_ops ui_NAME_screen = { ... }.
 *   2. Add X(ID, NAME) to UI_SCREENS below, with what its open() takes.
 *   3. Open it with ui_screen_open(ui, UI_SCREEN_ID, arg) where a key leads
 *      to it (a key of the screen under it, usually).
 * Nothing else changes: the Makefile builds every src/ui*.c, and the core
 * finds the screen in the table made from UI_SCREENS (ui_screen.c).
 */
#ifndef TAMIS_UI_SCREEN_H
#define TAMIS_UI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "ui_input.h"

struct ui;
struct ui_hint;

/*
 * The screens, in one table: X(ID, NAME) for UI_SCREEN_ID, defined in
 * src/ui_NAME.c as ui_NAME_screen. The comment says what open() takes.
 */
#define UI_SCREENS(X)                                                                     \
	X(BOARD, board)       /* the grid, its tray, the legend; always at the bottom */   \
	X(CARRY, carry)       /* a card picked up; arg: const bool *, true by the mouse */ \
	X(CARDTEXT, cardtext) /* a card's text; arg: const struct ui_cardtext_arg * */     \
	X(THEME, theme)       /* a card's theme; arg: the new card's text, or NULL */      \
	X(CONFIRM, confirm)   /* arg NULL: "delete this card?"; a text: "add it again?" */  \
	X(DETAILS, details)   /* the selected card's details */                             \
	X(HELP, help)         /* every key */                                               \
	X(SEARCH, search)     /* typing a search */                                         \
	X(NAME, name)         /* "who is playing?", once at start */                       \
	X(DECIDE, decide)     /* a decision and its rationale; arg: the card's uuid_t */   \
	X(ZONES, zones)       /* the facilitator's zones of the current grid */            \
	X(SIEVE, sieve)       /* every card ranked, in a table */                          \
	X(FRAME, frame)       /* the board's criteria and grids */                        \
	X(LIST, list)         /* the current grid as lines, places in words (=) */        \
	X(VERSIONS, versions) /* the versions of the selected card's text (r in details) */ \
	X(CONFLICT, conflict) /* my text vs theirs; arg: const struct ui_cardtext_arg * */ \
	X(WHO, who)           /* who is here: the others on the board */                  \
	X(CHANGES, changes)   /* the changes others made to my cards */                   \
	X(LATE, late)         /* my changes that waited while others changed the same */

/*
 * What the card text screen opens with: a new card's text (adding), or an
 * edit of the selected card's, from its text or from text (the two texts of
 * a conflict, merged), saved after before (my text, kept in the history).
 * The conflict screen takes base (the text the edit started from) and text
 * (mine).
 */
struct ui_cardtext_arg {
	bool adding;
	const char *text;     /* NULL: the card's text (or nothing, adding) */
	const char *before;   /* NULL, or saved first */
	const char *base;
};

enum ui_screen_id {
#define UI_SCREEN_ID(id, name) UI_SCREEN_##id,
	UI_SCREENS(UI_SCREEN_ID)
#undef UI_SCREEN_ID
	UI_SCREEN_COUNT
};

/* How many screens may be open at once, one over the other. */
#define UI_SCREEN_DEPTH 6

/* What a screen is now, for the core (ui_screen_ops.flags). */
enum ui_screen_flag {
	UI_SCREEN_SMALL_OK = 1 << 0, /* takes keys while the board does not fit the terminal */
	UI_SCREEN_TEXT = 1 << 1,     /* text is typed in it: a paste goes to it */
	UI_SCREEN_ASKS = 1 << 2,     /* its hints line asks something: drawn even with no row */
};

/* Where the terminal's cursor goes once drawn: a typing field; x < 0: hidden. */
struct ui_cursor {
	int x, y;
};

/*
 * A screen's operations. state is the screen's own (state_size bytes);
 * everything but event and draw may be left out (NULL, 0).
 */
struct ui_screen_ops {
	const char *name;
	size_t state_size;
	/* Once when the UI starts, and when it ends (frees what init made). */
	void (*init)(struct ui *ui, void *state);
	void (*release)(void *state);
	/* Opened with arg (see UI_SCREENS); false when it refuses (it says why). */
	bool (*open)(struct ui *ui, void *state, const void *arg);
	/* Closed: it leaves the stack (its state stays for the next opening). */
	void (*close)(struct ui *ui, void *state);
	/* One event (a key, a paste, the mouse), when it is on top. */
	void (*event)(struct ui *ui, void *state, const struct ui_event *ev);
	/*
	 * Draws it (over what is under it, for a popup) and says where the
	 * terminal's cursor goes. Returns false when nothing may be drawn over
	 * it: the board, when the terminal is too small for it.
	 */
	bool (*draw)(struct ui *ui, void *state, struct ui_cursor *cursor);
	/* The keys it takes, said on the hints line when it is on top (NULL: none)... */
	const struct ui_hint *keys;
	/* ...or said by itself there from column x: a question, keys that change. */
	void (*hints)(struct ui *ui, void *state, int y, int x);
	/* What it is, as ui_screen_flag bits; step_flags instead when that changes. */
	unsigned flags;
	unsigned (*step_flags)(const struct ui *ui, const void *state);
	/*
	 * Before each event and each drawing, the view of the current grid just
	 * brought up to date and the layout not computed yet: e.g. the carried
	 * card shown where it goes.
	 */
	void (*sync)(struct ui *ui, void *state);
	/* After a session call: the board may be another one, its card gone. */
	void (*changed)(struct ui *ui, void *state);
	/* The session ends under it (a signal, the terminal gone): keep what was typed. */
	void (*rescue)(struct ui *ui, void *state);
};

#define UI_SCREEN_DECLARE(id, name) extern const struct ui_screen_ops ui_##name##_screen;
UI_SCREENS(UI_SCREEN_DECLARE)
#undef UI_SCREEN_DECLARE

/*
 * The screen switch (ui_screen.c). ui_screen_init() allocates every
 * screen's state and opens the board; ui_screen_release() frees them.
 */
void ui_screen_init(struct ui *ui);
void ui_screen_release(struct ui *ui);
/* The screen on top. */
enum ui_screen_id ui_screen_top(const struct ui *ui);
/* Opens screen id over the others with arg; false when it refused. */
bool ui_screen_open(struct ui *ui, enum ui_screen_id id, const void *arg);
/* Closes the screen on top (never the board). */
void ui_screen_close(struct ui *ui);
/* Hands ev to the screen on top. */
void ui_screen_event(struct ui *ui, const struct ui_event *ev);
/*
 * From the top screen's event: hands ev to the screen under it, which acts
 * as if it were on top (the list view hands the board the keys it shares
 * with it, so their actions are the board's own).
 */
void ui_screen_event_under(struct ui *ui, const struct ui_event *ev);
/* The screen under the one being drawn (or under the top one): the board at the bottom. */
enum ui_screen_id ui_screen_under(const struct ui *ui);
/* Draws the screen on top (and, through it, those under it). */
void ui_screen_draw(struct ui *ui, struct ui_cursor *cursor);
/* From a screen's draw: draws the screens under it. Returns what they returned. */
bool ui_screen_draw_under(struct ui *ui, struct ui_cursor *cursor);
/* The keys of the screen on top (NULL when it says them itself). */
const struct ui_hint *ui_screen_keys(const struct ui *ui);
/* The hints of the screen on top that says them itself, on row y from column x. */
void ui_screen_hints(struct ui *ui, int y, int x);
/* The flags of the screen on top. */
unsigned ui_screen_flags(const struct ui *ui);
/* Calls every open screen's sync, bottom first. */
void ui_screen_sync(struct ui *ui);
/* Calls every open screen's changed, top first. */
void ui_screen_changed(struct ui *ui);
/* Calls the rescue of the screen on top. */
void ui_screen_rescue(struct ui *ui);

#endif
