/*
 * merge.h - merging boards made at different tables ("tamis merge").
 *
 * Pure: boards in, board out, no I/O.
 *
 * Themes, criteria and grids are matched by id; one defined differently in
 * two boards (another label or colour; other poles or easy pole; other axes
 * or cells) is a clash, reported with both files and lines, and nothing is
 * merged. Cards are matched by UUID: a card the first board lacks is added
 * (its placements mapped by grid id); a card both hold keeps the first
 * board's placements, except that a grid where only the later board places
 * it takes that placement; its text, theme, note, decision and lock are the
 * later board's when that board changed them later (by the cards'
 * histories), else the first board's. A card placed on different cells of
 * the same grid becomes debated: it keeps the first placement, carries the
 * debated mark, and its history gains both moves (to the other cell by the
 * other board, back by the merge), once: merging the same board again
 * changes nothing. Histories are united (events sorted by time, the oldest
 * dropped past CARD_HISTORY_MAX), and so are the decision logs, the
 * facilitators and the facilitator keys (the first board's key for a name
 * wins: decisions signed with another one read unverified, sign.h). The
 * comments of the files (comments.h): dst keeps its own, and gains src's for
 * what only src had: a card (its comments come with it), a theme, criterion,
 * grid, facilitator or decision; those of what both had stay dst's alone
 * (the same comment may sit on another key in each file, once written by
 * tamis).
 */
#ifndef TAMIS_MERGE_H
#define TAMIS_MERGE_H

#include <stddef.h>
#include <time.h>

#include "board.h"
#include "store_errors.h"

struct merge_stats {
	size_t added;     /* cards new to the merged board */
	size_t matched;   /* cards both boards held */
	size_t debated;   /* cards placed differently on the same grid */
	size_t frame;     /* themes, criteria and grids added */
	size_t updated;   /* fields and placements taken from the later board */
	size_t events;    /* history events the merged board did not have */
	size_t decisions; /* decision log entries it did not have */
};

/* True when the merge changed the first board at all. */
#define MERGE_CHANGED(st) \
	((st)->added || (st)->debated || (st)->frame || (st)->updated || (st)->events || \
	 (st)->decisions)

/*
 * Merges src (read from src_name, its themes/criteria/grids defined at the
 * lines in src_lines) into dst (dst_name, dst_lines); the moves recording a
 * conflict are dated now. Returns 0, or -1 with
 * one problem per clash in err (dst is then unchanged).
 */
int merge_board(struct board *dst, const char *dst_name, const struct board_lines *dst_lines,
		const struct board *src, const char *src_name,
		const struct board_lines *src_lines, time_t now, struct merge_stats *stats,
		struct store_errors *err);

/*
 * Appends what merging src (named src_name, sanitized here) did, in one or
 * two translated lines: "b.yaml: 2 new cards, 47 matched, 1 now debated",
 * then the later changes taken, if any.
 */
void merge_format_stats(const struct merge_stats *st, const char *src_name, struct strbuf *out);

/*
 * Appends one line per card of src that merging src into dst would add (dst
 * lacks its UUID) and whose text is the text of a card of dst, by import.h's
 * rule for duplicates (text_key(): NFC or NFD, case and spaces aside). Such cards are the
 * same idea written at two tables; the merge keeps both (each has its own
 * placements and history) and names them so, e.g.
 *   b.yaml: card 3f2a1b0c has the same text as card 9e8d7c6b ('Café'): both kept
 * translated, src_name and the text sanitized, the text cut to 40 columns.
 * Call it before merge_board(dst, ..., src, ...).
 */
void merge_format_duplicates(const struct board *dst, const struct board *src,
			     const char *src_name, struct strbuf *out);

#endif
