/*
 * undo.h - undo and redo of this instance's own changes, as operations.
 *
 * Every change the UI makes is an operation (op.h). Before applying one, the
 * UI computes its inverse on the board as it is then (undo_inverse()) and,
 * once the change is made, records both (undo_record()). Undo applies the
 * inverse as a NEW change, made now by the same person, which every other
 * instance sees like any other change; redo applies the operation again.
 * Others' changes are never undone: only what was recorded here, and only
 * where the board still holds what it left (op_holds()). Where someone
 * changed the same field since (the card's cell on that grid, its text, its
 * decision...), that operation is not undone, the rest of the step is, and
 * the result says so (kept); redoing the step leaves it alone as well.
 *
 * A step is one action of the user: one or more operations (a zone is its
 * creation, then one operation per cell). Undoing a step applies the inverses
 * in reverse order; redoing it applies the operations in order. The history
 * is unlimited; recording a new step drops whatever could still be redone.
 *
 * Before each operation of an undo (redo), its own inverse is computed on
 * the board of that moment and replaces the operation that redo (undo) will
 * apply, so that redo restores exactly what undo changed even when others
 * changed the card in between.
 *
 * This module never touches a board itself: the caller's apply function does
 * (through the live session in the UI, op_apply() in the tests), and the
 * board may be a different object after each call (a session reload), so it
 * is fetched again through the target before each operation. No curses, no
 * I/O.
 */
#ifndef TAMIS_UNDO_H
#define TAMIS_UNDO_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "board.h"
#include "op.h"
#include "strbuf.h"

struct undo_step {
	struct op *ops;    /* forward, in the order they were applied */
	struct op *inv;    /* inv[i] undoes ops[i] */
	size_t *ngrids;    /* grids on the board when each was recorded (OP_ADD cards) */
	bool *kept;        /* the last undo left ops[i] alone: someone changed it since */
	size_t n, alloc;
};

struct undo {
	struct undo_step *steps;
	size_t n, alloc;
	size_t pos;        /* steps[0..pos) are done, steps[pos..n) can be redone */
	int depth;         /* undo_begin() nesting: records join the open step */
	bool joined;       /* the open step has received an operation */
};

#define UNDO_INIT { NULL, 0, 0, 0, 0, false }

void undo_init(struct undo *u);
/* Frees the whole history. */
void undo_release(struct undo *u);

bool undo_can_undo(const struct undo *u);
bool undo_can_redo(const struct undo *u);

/*
 * The first operation of the step the next undo / redo would apply (its
 * kind, card and grid say what it is about), borrowed; NULL when none.
 */
const struct op *undo_next_undo(const struct undo *u);
const struct op *undo_next_redo(const struct undo *u);

/*
 * Fills inv with the operation undoing op, computed on b BEFORE op is
 * applied: op_inverse(), and also a zone's creation (undone by deleting it)
 * or change of colour or easiness (undone by setting them back), and a
 * zone's deletion (undone by adding it back, empty), and a criterion's new
 * poles or easy pole (undone by setting the old ones back; adding one
 * cannot be undone, nor can adding or resizing a grid). Returns 0, or -1 when
 * op cannot be undone (inv is then zeroed).
 */
int undo_inverse(const struct board *b, const struct op *op, struct op *inv);

/*
 * Between undo_begin() and undo_end(), every undo_record() goes into one
 * step (nesting is counted). Without them, each record is a step of its own.
 */
void undo_begin(struct undo *u);
void undo_end(struct undo *u);

/*
 * Records op, just applied to b, and inv, its inverse computed before (both
 * copied; b is the board op was applied to, for copying an added card).
 * Drops the steps that could be redone when this starts a new step.
 */
void undo_record(struct undo *u, const struct board *b, const struct op *op,
		 const struct op *inv);

/* Where undo_undo() and undo_redo() apply operations. */
struct undo_target {
	/* The board as it is now. */
	struct board *(*board)(void *data);
	/*
	 * Applies op as a new change; returns an enum result (result.h): done
	 * (zero or more: saved, or kept to be saved), RESULT_REFUSED (the card
	 * is gone or locked...: the reason in why), or another negative result
	 * when nothing could be done (the board could not be locked, its files
	 * not read: try again later; the reason in why).
	 */
	int (*apply)(const struct op *op, void *data, struct strbuf *why);
	void *data;
};

/* What an undo or redo did. */
struct undo_result {
	const struct op *first; /* the step's first operation (borrowed), or NULL */
	size_t applied;         /* operations applied */
	size_t refused;         /* operations refused (skipped) */
	size_t kept;            /* operations not undone: someone changed it since */
	/* The first of those (borrowed): op_last_change() says who and when. */
	const struct op *kept_first;
};

/*
 * Undoes the last done step / redoes the next undone one, each operation
 * stamped as made by 'by' at 'at' with the given facilitator rights.
 * Returns RESULT_OK when the step was gone through (res says how many
 * operations applied, how many were refused and how many kept because
 * someone changed their fields since: a step whose operations were all
 * refused or kept is skipped, and the next call goes on with the one
 * before / after it), RESULT_UNCHANGED when there is nothing to undo /
 * redo, or the target's negative result when the first operation could not
 * be applied at all (nothing changed; the step stays to try again; the
 * reason in why).
 */
int undo_undo(struct undo *u, const struct undo_target *t, const char *by, time_t at,
	      bool facilitator, struct undo_result *res, struct strbuf *why);
int undo_redo(struct undo *u, const struct undo_target *t, const char *by, time_t at,
	      bool facilitator, struct undo_result *res, struct strbuf *why);

/*
 * After a restart the instance has recorded nothing: the author's last
 * changes are found in the cards' histories instead, which keep what each
 * change replaced (the text, note and theme before, the cell moved from,
 * the decision before). A mark says how far back the search has gone.
 */
struct undo_mark {
	bool set;
	time_t at;
	size_t card, event;   /* the card's position on the board, its event's */
};

/*
 * Finds by's latest change on b, older than *mark (when set), that can
 * still be undone: one whose history event keeps what it replaced and whose
 * fields still hold what it left (op_holds(): changes someone else changed
 * since are passed over). Fills fwd with the change (made by 'by' at its
 * time) and inv with its inverse, moves *mark to it and returns 0; -1 when
 * there is none. Created cards (undone by deleting them, when nobody else
 * changed them), moves, texts, notes, themes, decisions with their
 * rationale, locks.
 */
int undo_history_find(const struct board *b, const char *by, struct undo_mark *mark,
		      struct op *fwd, struct op *inv);

/*
 * Records fwd, a change undone outside the history (undo_history_find()),
 * undone by inv (just applied), as the next step redo brings back.
 */
void undo_record_undone(struct undo *u, const struct board *b, const struct op *fwd,
			const struct op *inv);

#endif
