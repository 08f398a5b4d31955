/*
 * journal.h - the live-sharing log: an append-only file of operations beside
 * the board, ".NAME.journal".
 *
 * Format (docs/SHARING.md): a header line naming the snapshot it extends,
 *
 *     tamis-journal 1 SIZE CRC
 *
 * (the board file's size in bytes and CRC-32 in hex), then one operation per
 * line, "CRC PAYLOAD", where CRC is the CRC-32 of PAYLOAD in 8 hex digits and
 * PAYLOAD is the operation as one line of YAML (store_format_op()). A line
 * whose CRC does not match (a torn write) is skipped with a warning; an
 * unterminated last line is left for later (it may still be being written).
 * A journal whose header does not match the board file is stale (the board
 * was compacted after it) and is ignored.
 *
 * This module frames and syncs lines; it knows nothing of operations. The
 * caller holds the writers' lock (lockfile.h) around appends and rewrites.
 */
#ifndef TAMIS_JOURNAL_H
#define TAMIS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "strbuf.h"

/*
 * The longest line, "CRC PAYLOAD" without its newline, readers accept: a
 * longer one is torn (skipped and counted), and is never held in memory.
 * Writers refuse to append one (an operation is at most a few hundred KB).
 */
#define JOURNAL_MAX_LINE (1u << 20)

uint32_t journal_crc32(const void *data, size_t len);
/* The CRC-32 of bytes that follow those whose CRC-32 is crc (0 for none). */
uint32_t journal_crc32_update(uint32_t crc, const void *data, size_t len);

/* The journal's path for a board: ".NAME.journal" beside it (caller frees). */
char *journal_path(const char *board_path);

struct journal {
	char *path;
	int fd;             /* -1 when closed */
	dev_t dev;          /* identity of the open file */
	ino_t ino;
	off_t pos;          /* bytes read and handled so far (always after a newline) */
	size_t skip;        /* bytes after pos of an over-long line, not kept */
	int ro_errno;       /* open read-only: why it could not be opened to write */
	size_t snap_size;   /* from the header */
	uint32_t snap_crc;
};

void journal_init(struct journal *j, const char *board_path);
void journal_close(struct journal *j);
void journal_release(struct journal *j);

/*
 * Opens the journal if it exists and its header names the snapshot (size,
 * crc). Returns 1 when opened, 0 when there is none or it is stale (then
 * closed), -1 on an I/O error (reason in err). A journal that can be read but
 * not written (EACCES, EROFS) is opened read-only: appends then fail with
 * that errno.
 */
int journal_open(struct journal *j, size_t snap_size, uint32_t snap_crc, struct strbuf *err);

/*
 * Replaces the journal with an empty one for the given snapshot, atomically
 * (temp file, fsync, rename, fsync dir), and opens it.
 */
int journal_reset(struct journal *j, size_t snap_size, uint32_t snap_crc, struct strbuf *err);

/* Removes the journal file (the board alone is the state). */
int journal_remove(struct journal *j, struct strbuf *err);

/* True when the file at the journal's path is no longer the one open. */
bool journal_replaced(const struct journal *j);

/*
 * Calls fn for each complete line after j->pos, advancing j->pos. Lines with a
 * bad CRC or longer than JOURNAL_MAX_LINE are skipped and counted in *torn
 * (if non-NULL). Stops at an unterminated last line, to be read once it is
 * complete (an over-long one is skipped as it comes, without keeping it).
 * Memory stays under about twice JOURNAL_MAX_LINE whatever the file holds.
 * Returns the number of lines passed to fn, or -1 on a read error.
 */
typedef void (*journal_line_fn)(const char *payload, size_t len, void *data);
int journal_read(struct journal *j, journal_line_fn fn, void *data, size_t *torn,
		 struct strbuf *err);

/*
 * Appends one line for payload (no newline in it) and fdatasync()s. A torn
 * tail left by a crashed writer is terminated first so it stays one bad line.
 * Returns 0 once durable, or -1 (the line may be partly written; a retry
 * writes it afresh); errno EFBIG when a line would be longer than
 * JOURNAL_MAX_LINE. The caller must have read every line before (holding
 * the writers' lock); j->pos then moves past the new line.
 */
int journal_append(struct journal *j, const char *payload, size_t len, struct strbuf *err);

/* Appends the framed line for payload ("CRC PAYLOAD\n") to out. */
void journal_frame(struct strbuf *out, const char *payload, size_t len);
/*
 * Appends already framed lines (journal_frame()) with one write and one
 * fdatasync; otherwise as journal_append().
 */
int journal_append_framed(struct journal *j, const char *framed, size_t len,
			  struct strbuf *err);

#endif
