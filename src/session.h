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
#include "store.h"
#include "strbuf.h"

enum session_mode {
	SESSION_READ,  /* load the current state, change nothing */
	SESSION_WRITE, /* a command: holds the writers' lock from open to close */
	SESSION_LIVE,  /* an interactive instance sharing the board */
};

struct session {
	char *path;
	enum session_mode mode;
	struct board *board;   /* the current state; owned */
	struct journal journal;
	size_t snap_size;      /* the board file this state starts from */
	uint32_t snap_crc;
	int snap_fd;           /* the board file read; held so its inode is not reused */
	struct stat snap_stat; /* and what it was then (size, time: written over in place?) */
	struct board_lock write_lock; /* SESSION_WRITE: held from open to close */
	int presence_fd;       /* SESSION_LIVE: shared lock on .NAME.live */
	int watch_fd;          /* SESSION_LIVE: inotify descriptor, or -1 */
	struct op *pending;    /* applied here, not yet durable, in order */
	size_t npending, pending_alloc;
	size_t torn;           /* torn journal lines skipped */
	size_t refused;        /* journal operations that did not apply */
	size_t unverified;     /* facilitator operations applied as a pair's (sign.h) */
	time_t last_sync;      /* last time the state matched the files */
	bool network_fs;       /* the board is on a network file system */
};

/*
 * Opens the board at path. Returns 0, -1 when the board is invalid (problems
 * in err), -2 when it cannot be opened or read, -3 when a lock cannot be had
 * in time (one problem in err, errno EWOULDBLOCK). Reading works without the
 * writers' lock when its file cannot be created (a read-only directory);
 * SESSION_WRITE does not: -2, with the reason.
 */
int session_open(struct session *s, const char *path, enum session_mode mode,
		 struct store_errors *err);

/*
 * Applies op (copied) and makes it durable. Returns 0 when it is saved, 1
 * when it is applied but pending (could not be written: reason in err, retried
 * later), -1 when it was refused (it does not apply to the current state, e.g.
 * the card was deleted or locked meanwhile; reason in err; nothing changed),
 * -2 when nothing could be done (lock timeout; err).
 */
int session_apply(struct session *s, const struct op *op, struct strbuf *err);

/*
 * What a change does to the board, for session_update(): fn changes b with
 * op_apply_record() so that ops lists exactly what it did, in order. It
 * returns 0 to keep the change, or a status (>= 64, a sysexits code) to
 * abandon it; it has then said why.
 */
typedef int (*session_change_fn)(struct board *b, struct op_list *ops, void *data);

/* What session_apply's change function returns when the op does not apply. */
#define SESSION_REFUSED 1000

/*
 * Under the writers' lock: catches up with the files, calls fn, and makes
 * what it did durable (as session_apply()). Returns 0 saved, 1 pending, -2
 * when nothing could be done (lock timeout, files unreadable; err), or fn's
 * status when it abandoned (the state is then reloaded from the files).
 */
int session_update(struct session *s, session_change_fn fn, void *data, struct strbuf *err);

/*
 * Retries pending operations, without waiting for the writers' lock (for a
 * timer). Returns 0 when none is left, 1 when some are, -2 when the lock is
 * busy.
 */
int session_flush(struct session *s, struct strbuf *err);

/*
 * Applies what others appended since the last call. Returns 1 when the state
 * changed, 0 when not, -1 on an error (reason in err; the state is kept).
 */
int session_poll(struct session *s, struct strbuf *err);

/* A descriptor that becomes readable when others may have changed the board, or -1. */
int session_fd(const struct session *s);

/* True when other live instances may have the board open. */
bool session_shared(const struct session *s);

/*
 * Rewrites the board file from the current state and starts a fresh journal
 * (or none when no live instance remains). Takes the writers' lock.
 */
int session_compact(struct session *s, struct strbuf *err);

/*
 * The board file is gone (deleted with its directory's contents...) while
 * this session has it open: writes it back, under the writers' lock, from
 * the file as it was when loaded (still held open) plus the whole journal
 * that extends it, others' operations included, plus the pending ones
 * (which are then saved), and starts a fresh journal (SESSION_LIVE) or none.
 * Returns 1 when written back, 0 when the file is there (nothing done), -1
 * on an error (reason in err).
 */
int session_restore_missing(struct session *s, struct strbuf *err);

/*
 * Closes the session: a live session that is the last one open compacts the
 * board. Pending operations are retried once, waiting for the writers' lock
 * up to board_lock_timeout_ms(); if they still fail the returned value is 1
 * (they are lost only with the process). Frees everything.
 */
int session_close(struct session *s, struct strbuf *err);

#endif
