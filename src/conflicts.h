/*
 * conflicts.h - operations that were saved but no longer apply, kept beside
 * the board in ".NAME.conflicts" so that nothing acknowledged is dropped.
 *
 * An operation is acknowledged once it is durable in the live journal. It can
 * still fail to apply when the journal is read again: the board file was
 * edited under the journal and the card it changes is gone, a change that
 * waited (pending) was saved after someone else deleted its card, or a line
 * cannot be read as an operation at all. Such lines are never simply dropped
 * when the journal is folded into the board or re-based: they are copied
 * here first, and `tamis show-conflicts FILE` lists them (docs/SHARING.md).
 *
 * Format: a header line "tamis-conflicts 1", then one line per operation in
 * the journal's framing ("CRC PAYLOAD", journal.h), the payload as it was in
 * the journal. A line already there is not added twice. The caller holds the
 * board's writers' lock around appends.
 */
#ifndef TAMIS_CONFLICTS_H
#define TAMIS_CONFLICTS_H

#include <stddef.h>

#include "board.h"
#include "fileio.h"
#include "strbuf.h"

/* The conflicts file's path for a board: ".NAME.conflicts" beside it (caller frees). */
char *conflicts_path(const char *board_path);

/* One operation line: its payload (no newline). */
struct conflicts_line {
	const char *payload;
	size_t len;
};

/*
 * Appends the lines that are not there yet, durably (one write, fdatasync),
 * creating the file with the permissions perm (NULL: the default). Returns
 * how many were added, or -1 with a reason in err (nothing is then known to
 * be durable).
 */
int conflicts_add(const char *board_path, const struct conflicts_line *lines, size_t n,
		  const struct file_perm *perm, struct strbuf *err);

/*
 * Calls fn for each well-framed line, in order. Returns how many, 0 when
 * there is no file, -1 on an error (reason in err). Damaged lines are
 * counted in *damaged (if non-NULL) and skipped.
 */
typedef void (*conflicts_line_fn)(const char *payload, size_t len, void *data);
int conflicts_read(const char *board_path, conflicts_line_fn fn, void *data, size_t *damaged,
		   struct strbuf *err);

/*
 * How many changes the conflicts file keeps (0 when there is none or it
 * cannot be read), and in *unverified how many of them are facilitator
 * operations that are not signed as board b requires (sign.h): forged lines
 * end here once the journal that held them is folded.
 */
size_t conflicts_tally(const char *board_path, const struct board *b, size_t *unverified);

#endif
