/*
 * journal.h - the live-sharing log: an append-only file of operations beside
 * the board, ".NAME.journal".
 *
 * Format (docs/SHARING.md): a header line naming the snapshot it extends,
 *
 *     tamis-journal 1 SIZE CRC
 *
 * (the board file's size in bytes and CRC-32 in hex), then one line per
 * operation, "CRC PAYLOAD", where CRC is the CRC-32 of PAYLOAD in 8 hex
 * digits and PAYLOAD is the operation as one line of YAML
 * (store_format_op()). A line whose CRC does not match (a torn write) is
 * skipped and counted; an unterminated last line is left for later (it may
 * still be being written).
 *
 * Fold records. A compaction writes the board and the journal's operations
 * into a new board file. Just before that file takes the board's name, it
 * appends a fold record, a framed line whose payload is
 *
 *     !fold SIZE CRC DEV INO SEC NSEC
 *
 * naming the new file exactly: its size and CRC-32, its device and inode
 * numbers and its modification time (the file is never written again; a
 * rename keeps all of these). Then the journal is replaced by a fresh one, or
 * removed. So when the board file no longer matches the journal's header,
 * the two cases that a mismatch alone cannot tell apart are told apart for
 * sure:
 *
 *  - the last fold record names the board file as it is: a compaction wrote
 *    it and stopped before replacing the journal. Everything before the
 *    record is in the board (JOURNAL_FOLDED);
 *  - no record names it: the board file was edited (by hand, by another
 *    program) under the journal, whose operations are not in it and apply to
 *    the edited board (JOURNAL_EDITED).
 *
 * Readers of an older tamis take a fold record for an operation they cannot
 * read and skip it.
 *
 * A journal whose header cannot be read (damaged, or written by a later
 * tamis) is JOURNAL_BROKEN: it is never read and never removed or replaced;
 * a writer sets it aside under a new name (journal_set_aside()).
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
#include <time.h>

#include "fileio.h"
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

/* A board file as the journal names it. */
struct journal_snap {
	size_t size;          /* bytes */
	uint32_t crc;         /* CRC-32 of them */
	dev_t dev;            /* identity, for fold records: 0/0 when unknown */
	ino_t ino;
	struct timespec mtime;
};

/* The snapshot identity of the file fd, whose bytes have this size and CRC. */
void journal_snap_of(struct journal_snap *snap, int fd, size_t size, uint32_t crc);

/* What the journal beside a board says of the board file (journal_open()). */
enum journal_state {
	JOURNAL_NONE,    /* there is none: the board file alone is the state */
	JOURNAL_CURRENT, /* it extends the board file as it is */
	JOURNAL_FOLDED,  /* stale: a compaction wrote it into the board file */
	JOURNAL_EDITED,  /* the board file was edited under it: its lines still apply */
	JOURNAL_BROKEN,  /* its header cannot be read: never read, never deleted */
};

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
	enum journal_state state; /* as journal_open() found it */
	struct file_perm perm;    /* what a journal made here gets (the board's) */
};

void journal_init(struct journal *j, const char *board_path);
void journal_close(struct journal *j);
void journal_release(struct journal *j);

/*
 * Opens the journal, if there is one, and says what it is for the board
 * file snap (enum journal_state, also kept in j->state). It is left open,
 * ready for journal_read() from the first line still to apply, when it is
 * CURRENT, FOLDED (after the fold record that names snap: normally nothing
 * is left) or EDITED (every line). Returns -1 on an I/O error (reason in
 * err). A journal that can be read but not written (EACCES, EROFS) is opened
 * read-only: appends then try to replace it (journal_append_framed()).
 */
int journal_open(struct journal *j, const struct journal_snap *snap, struct strbuf *err);

/*
 * Replaces the journal with one for the snapshot snap holding the framed
 * lines body[0..len) (journal_frame()), atomically (temp file, fsync,
 * rename, fsync dir), with the permissions j->perm, and opens it with every
 * line taken as read. The caller holds the writers' lock and has handled
 * every line of the old one.
 */
int journal_replace(struct journal *j, const struct journal_snap *snap, const char *body,
		    size_t len, struct strbuf *err);

/* journal_replace() with no line: an empty journal for snap. */
int journal_reset(struct journal *j, const struct journal_snap *snap, struct strbuf *err);

/* Removes the journal file (the board alone is the state). */
int journal_remove(struct journal *j, struct strbuf *err);

/*
 * Moves a JOURNAL_BROKEN journal out of the way, never deleting it:
 * renamed to ".NAME.journal.broken-YYYYMMDD-HHMMSS" (with "-2", "-3"... if
 * that exists). The new path is appended to where (when not NULL). 0 or -1.
 */
int journal_set_aside(struct journal *j, time_t now, struct strbuf *where, struct strbuf *err);

/* True when the file at the journal's path is no longer the one open. */
bool journal_replaced(const struct journal *j);

/*
 * Calls fn for each complete operation line after j->pos, advancing j->pos.
 * Lines with a bad CRC or longer than JOURNAL_MAX_LINE are skipped and
 * counted in *torn (if non-NULL); fold records are skipped. Stops at an
 * unterminated last line, to be read once it is complete (an over-long one
 * is skipped as it comes, without keeping it). Memory stays under about
 * twice JOURNAL_MAX_LINE whatever the file holds. Returns the number of
 * lines passed to fn, or -1 on a read error.
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
 * True when line[0..len) (no newline) is a framed line with the right CRC;
 * its payload is then at line + 9, len - 9 bytes long.
 */
bool journal_line_ok(const char *line, size_t len);
/*
 * Appends already framed lines (journal_frame()) with one write and one
 * fdatasync; otherwise as journal_append(). A journal this process may not
 * write (EACCES, EPERM: made by someone else with too narrow permissions) is
 * replaced instead, under the writers' lock, by a copy of itself with the
 * lines added and the permissions j->perm, when the directory allows it.
 */
int journal_append_framed(struct journal *j, const char *framed, size_t len,
			  struct strbuf *err);

/*
 * Appends the fold record naming snap, the new board file a compaction is
 * about to put in place (see above), durably. 0 or -1.
 */
int journal_record_fold(struct journal *j, const struct journal_snap *snap, struct strbuf *err);

#endif
