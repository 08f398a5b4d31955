/*
 * comments.h - the comments of a board file, carried with the board between a
 * load and a save so that they are written back where they were
 * (docs/FORMAT.md, "Comments").
 *
 * Pure: no I/O, no yaml. The store captures the comments of a file and writes
 * them back (store.h); the model only holds, copies and unites them.
 *
 * A struct comments is a set of records, one per key or list item of the file
 * that has comments, each keyed by a path that names that key or item the
 * same way whatever the board goes through (ids and names, never positions in
 * a list that can shrink):
 *
 *   the board (board->comments):
 *     ""                      the file itself: before = the lines at its top,
 *                             below = the lines at its end (after unused)
 *     "title", "themes", ...  a key of the board
 *     "facilitators/NAME"     a facilitator
 *     "themes/ID", "themes/ID/label", "criteria/ID/low"...
 *     "grids/ID/zones/NAME", "grids/ID/zones/NAME/cells"...
 *     "decisions/N", "decisions/N/rationale"   N: the entry's place in the
 *                             log, counted from 0 (the log only grows)
 *   a card (card->comments, so that a card deleted takes its comments along
 *   and a copy of a card, for undo or a merge, keeps them):
 *     ""                      the card's list item
 *     "text", "place", "place/GRID", "history"...
 *     "history/AT"            the event at AT (seconds since the epoch, UTC);
 *                             "history/AT+K" the K-th other one at that time
 *
 * Segments are joined with '/'; in a segment, '%' and '/' are written %25 and
 * %2F (comments_path_add()), so any name makes one segment.
 *
 * Each record holds whole comment lines, from their '#' to the end of their
 * line, without indentation or line break; several lines are joined by '\n':
 *
 *   before  the lines just above the key or item
 *   after   the comment at the end of its line (one line)
 *   below   the lines just under its line
 *
 * A record whose key or item is not on the board (a zone deleted, a history
 * event dropped past CARD_HISTORY_MAX) is kept but not written. Ownership: a
 * struct comments owns its records and their strings; getters return
 * borrowed pointers, valid until the set is changed. Out of memory is fatal.
 */
#ifndef TAMIS_COMMENTS_H
#define TAMIS_COMMENTS_H

#include <stddef.h>

#include "strbuf.h"

enum comment_place { COMMENT_BEFORE, COMMENT_AFTER, COMMENT_BELOW };

struct comment {
	char *path;
	char *before; /* NULL when none */
	char *after;  /* NULL when none; never holds '\n' */
	char *below;  /* NULL when none */
};

struct comments {
	struct comment *v; /* sorted by path (bytewise) */
	size_t n, alloc;
};

#define COMMENTS_INIT { NULL, 0, 0 }

void comments_init(struct comments *c);
/* Frees every record and leaves c empty and reusable. */
void comments_release(struct comments *c);
/* A new empty set on the heap (free with comments_free()). */
struct comments *comments_new(void);
void comments_free(struct comments *c);
/* A deep copy on the heap, or NULL when c is NULL or empty. */
struct comments *comments_dup(const struct comments *c);

/* The record of path, or NULL (c may be NULL). */
const struct comment *comments_find(const struct comments *c, const char *path);
/*
 * Adds text (one comment line, or several joined by '\n') to the record of
 * path, made when missing: appended under the lines already there for
 * COMMENT_BEFORE and COMMENT_BELOW; for COMMENT_AFTER, the record's comment
 * at the end of the line when it has none, else appended to its lines below
 * (never lost, never two on one line).
 */
void comments_add(struct comments *c, const char *path, enum comment_place where,
		  const char *text);
/*
 * Adds to dst, under path dst_path, every line of record src (a copy), unless
 * dst already has a record for dst_path (then dst's is kept as it is).
 */
void comments_add_missing(struct comments *dst, const char *dst_path, const struct comment *src);

/* Appends one segment to a path: '/' first unless path is empty, '%' and '/' escaped. */
void comments_path_add(struct strbuf *path, const char *segment);

#endif
