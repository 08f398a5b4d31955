/*
 * rescue.h - rescue copies: what an instance could not save, kept beside the
 * board until it is merged back.
 *
 * When an interactive instance quits with changes it could not save (the
 * writers' lock stuck, a disk full, a file it may not write...), it writes
 * the whole board as it showed it, unsaved changes included, to a rescue
 * copy beside the board: ".NAME.rescue-YYYYMMDD-HHMMSS.yaml", an ordinary
 * board file with the board's group and permission bits. Reopening the
 * board, `tamis check` and `tamis list` then say that the copy holds changes
 * the board lacks and how to bring them back (`tamis merge`), until it is
 * merged or removed.
 *
 * "Holds changes the board lacks" is decided by merging the copy into the
 * board (merge.h) in memory: the copy is pending when that changes anything
 * (a card, a field changed later, a placement, a history event, a decision).
 * Merging it for real (tamis merge NEW BOARD COPY) makes that false. A copy
 * whose frame clashes with the board's cannot be merged in memory: it is
 * said to be pending, for a person to look at.
 *
 * No curses. Reads and writes files (lockfile.h, store.h).
 */
#ifndef TAMIS_RESCUE_H
#define TAMIS_RESCUE_H

#include <time.h>

#include "board.h"
#include "fileio.h"
#include "strbuf.h"

/*
 * Writes b to a new rescue copy beside board_path (never over a file: a
 * "-2", "-3"... suffix when the name is taken) with the permissions perm.
 * When the board's directory refuses it, writes it under
 * $XDG_STATE_HOME/tamis (or ~/.local/state/tamis), then $TMPDIR or /tmp,
 * where it is not looked for later. Appends the path written to written.
 * Returns 0, 1 when it had to go elsewhere than beside the board, or -1
 * (reasons in err).
 */
int rescue_write(const char *board_path, const struct board *b, const struct file_perm *perm,
		 time_t now, struct strbuf *written, struct strbuf *err);

/*
 * Appends one line per rescue copy beside board_path that holds changes b
 * lacks ("'.b.yaml.rescue-…' holds changes that are not in 'b.yaml': ..."),
 * each ending in '\n'. display names the board in the lines (the path the
 * user gave). Returns how many.
 */
size_t rescue_pending(const char *board_path, const char *display, const struct board *b,
		      struct strbuf *out);

#endif
