/*
 * session.h - a board open for reading or changing, alone or live with
 * other instances (docs/SHARING.md).
 *
 * The state of a board is its YAML file (the snapshot) plus the operations
 * in its journal (journal.h), applied in journal order. Every change goes
 * through session_apply(): under the writers' lock it first catches up with
 * what others appended, applies the operation, and makes it durable:
 *
 *  - when no live instance has the board open, by rewriting the board file
 *    atomically (and dropping any journal);
 *  - when one has (SESSION_LIVE instances hold a shared lock on
 *    ".NAME.live"), by appending the operation to the journal and
 *    fdatasync()ing it, so every instance applies it in the same order.
 *
 * A live session watches the board's directory (inotify, else polling) and
 * applies others' operations in session_poll(). A change that cannot be
 * written (disk full, I/O error) is kept in memory as pending, shown as such,
 * and retried by the next session_apply()/session_flush(); nothing is
 * dropped. When the last live instance closes, the board is compacted back
 * into a single clean YAML file.
 *
 * The board's real path. A board opened through a symlink is opened at the
 * file the link points to, once, at session_open(): session->path names it,
 * and so every side file (".NAME.lock", ".NAME.live", ".NAME.journal",
 * ".NAME.conflicts") is named after the board itself, whichever link each
 * participant opened it through.
 *
 * The journal and the board file (journal.h). When the board file no longer
 * matches the journal's header, a fold record tells a journal already folded
 * in (stale) from a board edited under the journal, whose operations are
 * then applied to the edited board. A writer then re-bases the journal on
 * the edited board, under the writers' lock; an operation that no longer
 * applies (its card deleted by the edit...) is copied to ".NAME.conflicts"
 * (conflicts.h), never dropped. A journal whose header cannot be read is set
 * aside by the first writer, never deleted.
 *
 * Side files take the board file's group and permission bits, never
 * world-writable, whatever the umask (lockfile.h, file_perm_like()).
 *
 * Readers (SESSION_READ, and SESSION_LIVE when it loads) need no lock: they
 * read the board file and then the journal, and read again when either was
 * replaced meanwhile, so a writer holding the writers' lock never makes them
 * wait; only after many tries do they wait for the lock.
 */
#ifndef TAMIS_SESSION_H
#define TAMIS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "board.h"
#include "journal.h"
#include "lockfile.h"
#include "op.h"
#include "result.h"
#include "store.h"
#include "strbuf.h"

enum session_mode {
	SESSION_READ,  /* load the current state, change nothing */
	SESSION_WRITE, /* a command: holds the writers' lock from open to close */
	SESSION_LIVE,  /* an interactive instance sharing the board */
};

/* A journal line that did not apply (or could not be read as an operation). */
struct session_skip {
	size_t line;           /* its index among the operation lines read (journal_lines) */
	char *payload;         /* the line as it is in the journal (no newline) */
	size_t len;
	char *why;             /* one line */
	bool invalid;          /* not an operation at all (unknown op, bad field...) */
};

/*
 * Hearing others' operations (session_hear()): called for each operation
 * read from the journal that was not handed over before (every journal line
 * once, even when the same journal is read again after a reload; the
 * session's own lines never): first with applied false, on the board as it
 * is before the operation (a card it deletes is still there), then, only
 * when it applied, with applied true. b must not be changed or kept.
 */
typedef void (*session_heard_fn)(void *data, struct board *b, const struct op *op,
				 bool applied);

struct session {
	char *path;            /* the board file itself (a symlink resolved) */
	enum session_mode mode;
	struct board *board;   /* the current state; owned */
	struct journal journal;
	size_t snap_size;      /* the board file this state starts from */
	uint32_t snap_crc;
	bool snap_crc_known;   /* else computed from snap_fd when a journal needs it */
	int snap_fd;           /* the board file read; held so its inode is not reused */
	struct stat snap_stat; /* and what it was then (size, time: written over in place?) */
	struct board_lock write_lock; /* SESSION_WRITE: held from open to close */
	int presence_fd;       /* SESSION_LIVE: shared lock on .NAME.live */
	int watch_fd;          /* SESSION_LIVE: inotify descriptor, or -1 */
	struct op *pending;    /* applied here, not yet durable, in order */
	size_t npending, pending_alloc;
	/*
	 * Pending operations taken out when they were about to be written,
	 * because someone else changed the same field after they were made
	 * (op_contested()): never written over theirs unasked. The caller asks
	 * its user, applies again those to keep, then empties the list
	 * (session_contested_clear()).
	 */
	struct op *contested;
	size_t ncontested, contested_alloc;
	struct file_perm perm; /* what side files get: the board file's group and bits */
	/* The journal as read for the current state (session_describe_skipped()). */
	size_t torn;           /* lines with a bad CRC: torn by a writer that stopped, or damaged */
	size_t invalid;        /* framed lines that are not an operation this tamis can read */
	size_t refused;        /* operations that do not apply to the board (any more) */
	size_t unverified;     /* facilitator operations applied as a pair's (sign.h) */
	struct session_skip *skipped; /* the invalid and refused lines, in journal order */
	size_t nskipped, skipped_alloc;
	size_t journal_lines;  /* operation lines read from journal_first on */
	off_t journal_first;   /* the journal's first line to apply */
	/*
	 * What the person should be told, one line each, e.g. that the board
	 * file was edited under the journal or a broken journal was set aside:
	 * the caller shows it and resets it.
	 */
	struct strbuf notice;
	time_t last_sync;      /* last time the state matched the files */
	/* Others' operations as they are applied (session_hear()), or NULL. */
	session_heard_fn heard;
	void *heard_data;
	dev_t heard_dev;       /* the journal they were read from, */
	ino_t heard_ino;
	size_t heard_lines;    /* and how many of its lines were handed over */
	/* The watch saw the presence file change (presence.h): the caller resets it. */
	bool presence_woken;
	bool network_fs;       /* the board is on a network file system */
};

/*
 * Every function below that can fail returns an enum result (result.h).
 *
 * Opens the board at path: RESULT_OK; RESULT_INVALID when the board is not
 * valid (problems in err), RESULT_NOINPUT when it cannot be opened or read,
 * RESULT_BUSY when the writers' lock cannot be had in time (one problem in
 * err). Reading needs no lock at all; SESSION_WRITE does, and fails with
 * RESULT_NOINPUT when its lock file cannot be made (a read-only directory).
 */
int session_open(struct session *s, const char *path, enum session_mode mode,
		 struct store_errors *err);

/*
 * Applies op (copied) and makes it durable: RESULT_OK when it is saved;
 * RESULT_PENDING when it is applied but could not be written (reason in
 * err, retried later); RESULT_REFUSED when it does not apply to the current
 * state (the card was deleted or locked meanwhile; reason in err; nothing
 * changed); RESULT_BUSY (the writers' lock not had in time), RESULT_IOERR
 * (its lock file cannot be opened) or RESULT_NOINPUT (the files cannot be
 * read) when nothing could be done (err).
 */
int session_apply(struct session *s, const struct op *op, struct strbuf *err);

/*
 * What a change does to the board, for session_update(): fn changes b with
 * op_apply_record() so that ops lists exactly what it did, in order. It
 * returns RESULT_OK to keep the change, or a negative result to abandon it:
 * RESULT_REFUSED when it does not apply, RESULT_ABANDONED when it gave up
 * for a reason of its own (which it has said).
 */
typedef int (*session_change_fn)(struct board *b, struct op_list *ops, void *data);

/*
 * Under the writers' lock: catches up with the files, calls fn, and makes
 * what it did durable (as session_apply(), with the same results), or
 * returns fn's negative result when it abandoned (the state is then
 * reloaded from the files).
 */
int session_update(struct session *s, session_change_fn fn, void *data, struct strbuf *err);

/*
 * Applies op (copied) to the state and queues it as pending, without taking
 * the writers' lock: for changes made while the board could not even be
 * locked: session_flush() and session_close() save them in order, after
 * others' changes. RESULT_QUEUED, or RESULT_REFUSED when op does not apply
 * (why).
 */
int session_apply_later(struct session *s, const struct op *op, struct strbuf *why);

/*
 * Retries pending operations, without waiting for the writers' lock (for a
 * timer): RESULT_OK when none is left, RESULT_PENDING when some are,
 * RESULT_BUSY when the lock is.
 */
int session_flush(struct session *s, struct strbuf *err);

/* Frees the contested operations (session->contested) once dealt with. */
void session_contested_clear(struct session *s);

/*
 * Applies what others appended since the last call: RESULT_OK when the
 * state changed, RESULT_UNCHANGED when not, a negative result when the
 * files cannot be read (reason in err; the state is kept).
 */
int session_poll(struct session *s, struct strbuf *err);

/*
 * From now on, calls heard(data, ...) for others' operations as they are
 * applied (session_heard_fn), those read so far aside.
 */
void session_hear(struct session *s, session_heard_fn heard, void *data);

/* A descriptor that becomes readable when others may have changed the board, or -1. */
int session_fd(const struct session *s);

/* True when other live instances may have the board open. */
bool session_shared(const struct session *s);

/*
 * Rewrites the board file from the current state and starts a fresh journal
 * (or none when no live instance remains). Takes the writers' lock. Lines
 * that did not apply are first kept in the conflicts file. RESULT_OK, or
 * RESULT_BUSY, RESULT_NOINPUT, RESULT_IOERR (err).
 */
int session_compact(struct session *s, struct strbuf *err);

/*
 * For a reader: when a journal is there and no live instance has the board
 * open (an instance was killed, say), folds it into the board file, if the
 * writers' lock is free right now (it never waits): RESULT_OK when folded,
 * RESULT_UNCHANGED when there was nothing to do or it could not be done
 * now, RESULT_IOERR (reason in err; nothing is lost: the journal stays).
 */
int session_fold_abandoned(struct session *s, struct strbuf *err);

/*
 * Appends one line saying which journal lines were skipped for the current
 * state and why ("2 lines of the live journal of 'b.yaml' were skipped: 1
 * torn or damaged, 1 that no longer applies (...)"), or nothing when none
 * was. name names the board (NULL: not named, for the board's own screen).
 */
void session_describe_skipped(const struct session *s, const char *name, struct strbuf *out);

/*
 * The board file is gone (deleted with its directory's contents...) while
 * this session has it open: writes it back, under the writers' lock, from
 * the file as it was when loaded (still held open) plus the whole journal
 * that extends it, others' operations included, plus the pending ones
 * (which are then saved), and starts a fresh journal (SESSION_LIVE) or none.
 * RESULT_OK when written back, RESULT_UNCHANGED when the file is there
 * (nothing done), a negative result on an error (reason in err).
 */
int session_restore_missing(struct session *s, struct strbuf *err);

/*
 * Closes the session: a live session that is the last one open compacts the
 * board. Pending operations are retried once, waiting for the writers' lock
 * up to board_lock_timeout_ms(); then the last instance's compaction writes
 * them into the board file with the rest: RESULT_OK, or RESULT_PENDING
 * when neither saved them (they are lost only with the process: the caller
 * keeps a rescue copy). Frees everything.
 */
int session_close(struct session *s, struct strbuf *err);

#endif
