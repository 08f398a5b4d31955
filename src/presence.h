/*
 * presence.h - who else has a board open live: the side file
 * ".NAME.presence" (docs/SHARING.md, "Presence").
 *
 * Every live instance keeps one entry there: who plays (the name, or none:
 * "someone"), whether as the facilitator, the grid it shows, the card it
 * carries (picked up, being moved), and, to tell live entries from those of
 * instances that died without leaving, its process id, its host and a
 * heartbeat (the time it last wrote). An instance writes its entry when
 * any of it changes and at least every PRESENCE_BEAT seconds, and takes it
 * out when it closes; the last one out removes the file.
 *
 * The format, one entry a line after a header:
 *
 *     tamis-presence 1
 *     CRC ID PID HOST BEAT ROLE GRID CARD NAME
 *
 * CRC is the CRC-32 of the rest of the line ("ID ... NAME") in 8 hex
 * digits; ID the instance's own UUID (made at random when it opens the
 * board); PID and BEAT (seconds since the epoch) decimal; ROLE "f" for the
 * facilitator, "p" for a pair; CARD the carried card's UUID or "-"; HOST,
 * GRID (a grid id) and NAME percent-encoded (every byte below 0x21, "%"
 * and 0x7f as %HH; "-" alone for none, "%2D" for a real "-"). A file
 * without the header, a line with a wrong CRC or a field that does not
 * read is ignored: a torn write never makes anything up.
 *
 * Writing: the file is never renamed (an flock on it would be lost), it is
 * rewritten in place under an exclusive flock on itself: read, merge (this
 * instance's entry replaced, the dead ones dropped), truncate and write.
 * Readers take the lock shared. Whoever removes the file does it under the
 * exclusive lock, and whoever locks it checks afterwards that the path still
 * names the file it locked (else it opens it again), so nobody writes into
 * a file that is gone. It takes the board file's permissions
 * (file_perm_like()); nothing is made beside a path that is not a regular
 * file (the caller checks, as for the other side files).
 *
 * Staleness: an entry is ignored, and dropped at the next write, when its
 * heartbeat is more than PRESENCE_STALE seconds old (or more than that in
 * the future), or when its host is this one and no process has its pid.
 *
 * Everything here but presence_publish(), presence_leave() and
 * presence_read() is pure (no I/O): the unit tests call it directly.
 */
#ifndef TAMIS_PRESENCE_H
#define TAMIS_PRESENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>
#include <uuid/uuid.h>

#include "fileio.h"
#include "strbuf.h"

#define PRESENCE_SUFFIX ".presence"
#define PRESENCE_BEAT 10     /* seconds between two writes of an entry, at most */
#define PRESENCE_STALE 30    /* seconds without a write after which an entry is gone */
#define PRESENCE_MAX_FILE (256 * 1024) /* a longer file is not read */
#define PRESENCE_MAX_ENTRIES 256       /* entries kept from one file, at most */

struct presence_entry {
	uuid_t id;          /* the instance */
	pid_t pid;
	char *host;         /* owned; never NULL once parsed or set */
	time_t beat;        /* when it last wrote */
	bool facilitator;
	char *grid;         /* owned: the id of the grid it shows, or NULL */
	bool carrying;
	uuid_t card;        /* the card it carries, when carrying */
	char *name;         /* owned: who plays, or NULL (shown as "someone") */
};

struct presence_list {
	struct presence_entry *v;
	size_t n, alloc;
};

#define PRESENCE_LIST_INIT { NULL, 0, 0 }

/* Tells whether a process of this host with that pid exists (for tests: a fake). */
typedef bool presence_alive_fn(pid_t pid);

/* Copies src into dst (overwritten, not released). */
void presence_entry_copy(struct presence_entry *dst, const struct presence_entry *src);
/* Frees what e owns and zeroes it. */
void presence_entry_release(struct presence_entry *e);
/* True when a and b say the same (the heartbeat aside). */
bool presence_entry_same(const struct presence_entry *a, const struct presence_entry *b);

void presence_list_release(struct presence_list *l);
/* Replaces the entry of e's instance with a copy of e, or appends one. */
void presence_list_put(struct presence_list *l, const struct presence_entry *e);
/* Takes out the entry of instance id, if there is one. */
void presence_list_drop(struct presence_list *l, const uuid_t id);
/* The entry of instance id, or NULL. */
const struct presence_entry *presence_list_find(const struct presence_list *l, const uuid_t id);

/*
 * True when e is no longer live at now, seen from host (see above); alive
 * tells whether a pid of this host runs (NULL: kill(pid, 0)).
 */
bool presence_is_stale(const struct presence_entry *e, time_t now, const char *host,
		       presence_alive_fn *alive);
/* Takes out every stale entry. */
void presence_list_prune(struct presence_list *l, time_t now, const char *host,
			 presence_alive_fn *alive);

/*
 * Reads the file's bytes into l (appended; at most PRESENCE_MAX_ENTRIES):
 * returns how many entries were read. Anything that does not read as above
 * is skipped; a buffer without the header gives none.
 */
size_t presence_parse(const char *buf, size_t len, struct presence_list *l);
/* Appends the file's bytes for l (header included) to out. */
void presence_format(const struct presence_list *l, struct strbuf *out);

/* ".NAME.presence" beside the board (caller frees). */
char *presence_path(const char *board_path);
/* This host's name, for entries (caller frees; "localhost" when unknown). */
char *presence_host(void);

/*
 * Writes me (its heartbeat set to now) into the presence file of the board
 * at board_path, creating it with perm (NULL: the default), dropping stale
 * entries. 0, or -1 with a reason in err (a read-only directory...).
 */
int presence_publish(const char *board_path, const struct file_perm *perm,
		     const struct presence_entry *me, time_t now, struct strbuf *err);
/*
 * Takes instance id out of the presence file; removes the file when no live
 * entry is left. 0, or -1 with a reason in err.
 */
int presence_leave(const char *board_path, const uuid_t id, time_t now, struct strbuf *err);
/*
 * The live entries of the presence file into out (cleared first): 0 (none
 * when there is no file, or it cannot be read as one), or -1 with a reason
 * in err when it cannot be read at all.
 */
int presence_read(const char *board_path, time_t now, struct presence_list *out,
		  struct strbuf *err);

#endif
