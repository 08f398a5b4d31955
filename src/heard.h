/*
 * heard.h - the changes others made to my cards, as this instance heard of
 * them from the live journal: the last HEARD_MAX, newest first (the UI's
 * message line and its `!` list).
 *
 * Which changes count (someone else's, to a card dealt to or written by
 * whoever plays) is the caller's choice; this list only keeps them: it
 * copies what it is given, keeps each change once (the same journal line
 * read again after a reload is not a new change) and forgets the oldest
 * beyond HEARD_MAX. Pure: no I/O.
 */
#ifndef TAMIS_HEARD_H
#define TAMIS_HEARD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <uuid/uuid.h>

#include "op.h"

#define HEARD_MAX 50

struct heard_change {
	time_t at;           /* when it was made (the operation's time) */
	char *by;            /* who made it; NULL: someone */
	enum op_kind kind;   /* OP_MOVE, OP_TEXT, OP_THEME, OP_NOTE, OP_DECIDE, OP_LOCK, OP_DELETE... */
	int value;           /* OP_LOCK: 1 locked, 0 unlocked; OP_DECIDE: the decision */
	uuid_t card;
	char *text;          /* the card's text as it was just before the change */
	char *grid;          /* OP_MOVE: the grid's id */
	int x, y;            /* OP_MOVE: the cell ((0, 0): the tray) */
	bool told;           /* said on the message line already */
};

struct heard_list {
	struct heard_change v[HEARD_MAX]; /* v[0] the newest */
	size_t n;
};

/* An empty list (no allocation). */
void heard_init(struct heard_list *l);
void heard_release(struct heard_list *l);

/*
 * Fills c (overwritten; heard_change_release() frees it) from op, made on a
 * card whose text was text just before it.
 */
void heard_change_from_op(struct heard_change *c, const struct op *op, const char *text);
void heard_change_release(struct heard_change *c);

/*
 * Adds c (taken over: the list owns its strings from now on, and c is
 * zeroed) as the newest, forgetting the oldest beyond HEARD_MAX. A change
 * already in the list (the same time, author, kind, card and values) is not
 * added again: c is released and false returned.
 */
bool heard_add(struct heard_list *l, struct heard_change *c);

/* The i-th newest change (0: the newest), or NULL. */
const struct heard_change *heard_get(const struct heard_list *l, size_t i);
/*
 * The newest change not told yet, marking every change as told (one
 * message for several at once: the newest, and how many more): NULL when
 * none. *more says how many others were not told.
 */
const struct heard_change *heard_tell(struct heard_list *l, size_t *more);

#endif
