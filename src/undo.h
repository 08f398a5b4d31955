/*
 * undo.h - undo and redo of the changes made to a board in one session.
 *
 * Each change is applied through this module, which records it as an
 * operation that knows its inverse (add <-> delete, move from <-> to, old
 * text <-> new text, old theme <-> new theme), never as a copy of the whole
 * board. The history is unlimited; recording a new change drops whatever
 * could still be redone (as in every editor).
 *
 * Operations name cards by UUID, not by pointer, so a card deleted and
 * brought back by undo is the same card (same id, text, theme, author, date,
 * note, decision, placements and position in the board). An operation whose
 * card is no longer on the board (it may have been removed by someone else
 * in a later version) is skipped: undo_undo()/undo_redo() then return -1, and
 * the next call goes on with the operation before (after) it.
 *
 * No curses, no I/O; the caller saves the board after each successful call.
 */
#ifndef TAMIS_UNDO_H
#define TAMIS_UNDO_H

#include <stdbool.h>
#include <stddef.h>
#include <uuid/uuid.h>

#include "board.h"

enum undo_kind {
	UNDO_ADD,    /* a card was added */
	UNDO_DELETE, /* a card was deleted */
	UNDO_MOVE,   /* a card changed cell on one grid */
	UNDO_TEXT,   /* a card's text changed */
	UNDO_THEME,  /* a card's theme changed */
};

struct undo_op;

struct undo {
	struct undo_op **ops;
	size_t n, alloc;
	size_t pos;        /* ops[0..pos) are done, ops[pos..n) can be redone */
};

#define UNDO_INIT { NULL, 0, 0, 0 }

void undo_init(struct undo *u);
/* Frees the whole history. */
void undo_release(struct undo *u);

bool undo_can_undo(const struct undo *u);
bool undo_can_redo(const struct undo *u);
/* What the next undo / redo would do (undefined when there is none). */
enum undo_kind undo_next_undo_kind(const struct undo *u);
enum undo_kind undo_next_redo_kind(const struct undo *u);

/*
 * Records a card that the caller has just added to b (with board_add_card()
 * and its setters), so that undo deletes it and redo brings it back.
 */
void undo_record_add(struct undo *u, const struct board *b, const struct card *card);

/* Deletes card from b (the pointer is then invalid) and records it. */
void undo_delete(struct undo *u, struct board *b, struct card *card);

/*
 * Places card on grid g at (x, y) ((0, 0): the tray) and records the move.
 * Returns -1 (nothing recorded) when the place is invalid, 0 otherwise; a
 * move to where the card already is records nothing.
 */
int undo_move(struct undo *u, struct board *b, struct card *card, size_t g, int x, int y);

/*
 * Records a move the caller already made (e.g. while carrying a card around
 * the grid): from 'from' to where the card is now on grid g.
 */
void undo_record_move(struct undo *u, const struct card *card, size_t g, struct cell from);

/* Sets card's text and records the change (nothing when it is the same). */
void undo_set_text(struct undo *u, struct card *card, const char *text);

/* Sets card's theme (an index into b->themes) and records the change. */
int undo_set_theme(struct undo *u, const struct board *b, struct card *card, size_t theme);

/*
 * Undoes the last done operation / redoes the next undone one. Returns 0 and
 * writes the id of the card concerned to 'card_id' (if non-NULL) and, for a
 * move, its grid to *grid (if non-NULL; set to (size_t)-1 for other kinds),
 * so the UI can show it; -1 when there is nothing to do or the card is gone
 * (see above).
 */
int undo_undo(struct undo *u, struct board *b, uuid_t card_id, size_t *grid);
int undo_redo(struct undo *u, struct board *b, uuid_t card_id, size_t *grid);

#endif
