/*
 * op.h - board operations: every change a person makes, as data.
 *
 * An operation says what changed (move this card to that cell, set that
 * card's decision...), who made it and when. Applying operations in the same
 * order to the same board gives the same board everywhere: this is how live
 * sharing converges (every instance applies the shared log in log order) and
 * how undo works (an undo is a new operation, the inverse of an old one).
 *
 * Operations name cards by UUID and themes, criteria, grids and zones by id or
 * name, never by pointer or index, so they stay meaningful in other instances
 * and after a reload. Applying records the change in the card's history (who,
 * when) exactly as the direct model calls do.
 *
 * An operation made with facilitator rights carries the signature of its
 * maker (key, sig; see sign.h), which every instance checks before applying
 * it: op_apply() itself trusts op->facilitator, the caller verifies.
 *
 * Pure: no I/O, no curses, no yaml. The store serialises operations for the
 * live-sharing journal (store_format_op / store_parse_op).
 */
#ifndef TAMIS_OP_H
#define TAMIS_OP_H

#include <stdbool.h>
#include <time.h>
#include <uuid/uuid.h>

#include "board.h"
#include "result.h"
#include "strbuf.h"

enum op_kind {
	OP_ADD,        /* card_data: a whole card, inserted at position x */
	OP_DELETE,     /* card */
	OP_MOVE,       /* card, grid, x, y ((0, 0): the tray) */
	OP_TEXT,       /* card, text */
	OP_THEME,      /* card, name: theme id */
	OP_NOTE,       /* card, text (NULL clears) */
	OP_PAIR,       /* card, text (NULL clears) */
	OP_DECIDE,     /* card, value: decision, text: rationale (may be NULL),
			  text2: the card's text as decided (NULL: as it is) */
	OP_LOCK,       /* card, value: 1 lock, 0 unlock */
	OP_ZONE_ADD,   /* grid, name, value: colour, x: 1 when it is the easy zone */
	OP_ZONE_DEL,   /* grid, name */
	OP_ZONE_CELL,  /* grid, name (NULL: no zone), x, y */
	OP_THEME_ADD,  /* name: id, text: label, value: colour */
	OP_CRITERION,  /* name: id, text: low, text2: high, value: easy pole; adds or updates */
	OP_GRID_ADD,   /* grid: id, text: x criterion id, text2: y criterion id, value: cells */
	OP_GRID_CELLS, /* grid, value: cells */
	OP_TITLE,      /* text */
	OP_KEY_ADD,    /* by's facilitator key is key (listed on the board); signed with it */
	OP_COUNT
};

struct op {
	enum op_kind kind;
	time_t at;
	char *by;            /* who; NULL when unknown */
	bool facilitator;    /* made with facilitator rights */
	uuid_t card;
	char *grid;
	char *name;
	char *text;
	char *text2;
	int x, y;
	int value;
	struct card *card_data; /* OP_ADD: owned by the op */
	char *key;           /* the signer's public key, "ed25519:..."; NULL: not signed */
	char *sig;           /* the signature of the operation's line (sign.h); NULL: none */
};

#define OP_INIT { 0 }

/* A growable list of operations. */
struct op_list {
	struct op *v;
	size_t n, alloc;
};

#define OP_LIST_INIT { NULL, 0, 0 }

/* Appends a zeroed operation of that kind, made by 'by' at 'at', and returns it. */
struct op *op_list_add(struct op_list *l, enum op_kind kind, time_t at, const char *by);
void op_list_release(struct op_list *l);

/*
 * Fills op (overwritten) with the addition of a new card to b: id (new to
 * b), text, theme (an index into b->themes), made by 'by' (NULL: unknown)
 * at 'at' with its "created" event, in the tray of every grid, at the end
 * of the board. The one way the CLI, the importer and the UI make a card.
 */
void op_new_card(struct op *op, const struct board *b, const uuid_t id, const char *text,
		 size_t theme, const char *by, time_t at);
/* Fills op (overwritten) with the addition of a theme (id, label, colour). */
void op_new_theme(struct op *op, const char *id, const char *label, enum hue color,
		  const char *by, time_t at);

/*
 * Applies op (see op_apply()) and, when it changed the board, appends a copy
 * to l (unless l is NULL): for code that changes a board and must say how,
 * as operations.
 */
int op_apply_record(struct board *b, const struct op *op, struct op_list *l,
		    struct strbuf *why);

/* The operation's kind as a word ("move", "decide", ...), and back (or -1). */
const char *op_kind_name(enum op_kind kind);
int op_kind_parse(const char *name);

/* Frees what the op owns and zeroes it. */
void op_release(struct op *op);
/* A deep copy of src into dst (which is overwritten, not released). */
void op_copy(struct op *dst, const struct op *src, const struct board *b);
/* Sets a string field (copying; NULL clears). */
void op_set(char **field, const char *value);

/* True when the operation changes a card that exists (not OP_ADD). */
bool op_targets_card(const struct op *op);
/* True when only a facilitator may make it (decisions, locks, zones, frame, keys). */
bool op_needs_facilitator(const struct op *op);

/*
 * Applies op to b. Returns an enum result (result.h): RESULT_OK when it
 * changed the board, RESULT_UNCHANGED when it changed nothing (already so:
 * applying twice is harmless), RESULT_REFUSED when it does not apply
 * (unknown card, grid, theme or zone; a locked card changed without
 * facilitator rights; a facilitator operation without them; out of range;
 * a key for a name that has another one), with the reason in why (if
 * non-NULL). The same board and the same ops in the same order always give
 * the same result. A decision keeps the operation's key and signature (and
 * text2) in its entry of the decision log.
 */
int op_apply(struct board *b, const struct op *op, struct strbuf *why);

/*
 * Whether b still holds what op left, field by field: the card's cell on the
 * op's grid, its text, theme, note, pair, decision with its rationale, lock
 * (and nobody but op's author changed it since op->at, even back to the
 * same value: the card's history has no such event of theirs; times are to
 * the second, so another's change in that second counts);
 * a zone's cell, colour and easiness; a criterion's poles; a deleted card
 * still gone; an added card still there and changed by nobody else since
 * op->at. Operations on the rest of the frame always hold, and so do those
 * on a card that is gone (undoing them is refused: no card). Undo and redo
 * apply nothing where it no longer holds (undo.h): someone changed it since.
 */
bool op_holds(const struct board *b, const struct op *op);

/*
 * Whether someone else changed what op changes (the card's cell on op's
 * grid, its text...) at op->at or after, by the card's history: a change
 * that waited to be written and comes after theirs. False for changes of
 * the frame and of cards that are gone.
 */
bool op_contested(const struct board *b, const struct op *op);

/*
 * The last event of the card op is about that changed what op changes (its
 * cell on op's grid, its text...; for other kinds, the last event by someone
 * else than op's author), or NULL: who changed it, and when, for messages.
 */
const struct card_event *op_last_change(const struct board *b, const struct op *op);

/*
 * Fills inv with the operation that undoes op, computed on the board as it is
 * BEFORE op is applied (so call it first); a decision's inverse carries the
 * rationale of the decision it restores. Returns -1 when op cannot be undone
 * (frame operations) or does not apply.
 */
int op_inverse(const struct board *b, const struct op *op, struct op *inv);

#endif
