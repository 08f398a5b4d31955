/*
 * presence.c - who else has a board open live: the entries of
 * ".NAME.presence", their format and their file (presence.h).
 */
#include "presence.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "xmalloc.h"

#define PRESENCE_HEADER "tamis-presence 1\n"
#define PRESENCE_LOCK_MS 500 /* how long a write waits for the others' */

/* --- Entries and lists (pure) --- */

void presence_entry_copy(struct presence_entry *dst, const struct presence_entry *src)
{
	*dst = *src;
	dst->host = src->host ? xstrdup(src->host) : NULL;
	dst->grid = src->grid ? xstrdup(src->grid) : NULL;
	dst->name = src->name ? xstrdup(src->name) : NULL;
}

void presence_entry_release(struct presence_entry *e)
{
	free(e->host);
	free(e->grid);
	free(e->name);
	memset(e, 0, sizeof(*e));
}

static bool presence_str_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

bool presence_entry_same(const struct presence_entry *a, const struct presence_entry *b)
{
	return !uuid_compare(a->id, b->id) && a->pid == b->pid &&
	       presence_str_same(a->host, b->host) && a->facilitator == b->facilitator &&
	       presence_str_same(a->grid, b->grid) && a->carrying == b->carrying &&
	       (!a->carrying || !uuid_compare(a->card, b->card)) &&
	       presence_str_same(a->name, b->name);
}

void presence_list_release(struct presence_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		presence_entry_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const struct presence_entry *presence_list_find(const struct presence_list *l, const uuid_t id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!uuid_compare(l->v[i].id, id))
			return &l->v[i];
	return NULL;
}

void presence_list_put(struct presence_list *l, const struct presence_entry *e)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (!uuid_compare(l->v[i].id, e->id)) {
			presence_entry_release(&l->v[i]);
			presence_entry_copy(&l->v[i], e);
			return;
		}
	}
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	presence_entry_copy(&l->v[l->n++], e);
}

/* Takes out entry i, keeping the order of the others. */
static void presence_list_remove(struct presence_list *l, size_t i)
{
	presence_entry_release(&l->v[i]);
	memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(l->v[0]));
	l->n--;
}

void presence_list_drop(struct presence_list *l, const uuid_t id)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (!uuid_compare(l->v[i].id, id)) {
			presence_list_remove(l, i);
			return;
		}
	}
}

static bool presence_pid_alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH);
}

bool presence_is_stale(const struct presence_entry *e, time_t now, const char *host,
		       presence_alive_fn *alive)
{
	if (e->beat < now - PRESENCE_STALE || e->beat > now + PRESENCE_STALE)
		return true;
	if (host && e->host && !strcmp(host, e->host))
		return !(alive ? alive : presence_pid_alive)(e->pid);
	return false;
}

void presence_list_prune(struct presence_list *l, time_t now, const char *host,
			 presence_alive_fn *alive)
{
	size_t i = 0;

	while (i < l->n) {
		if (presence_is_stale(&l->v[i], now, host, alive))
			presence_list_remove(l, i);
		else
			i++;
	}
}

/* --- The format (pure) --- */

/* A string field: percent-encoded, "-" for none. */
static void presence_put_str(struct strbuf *out, const char *s)
{
	if (!s) {
		strbuf_addch(out, '-');
		return;
	}
	if (!strcmp(s, "-")) {
		strbuf_addstr(out, "%2D");
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x21 || c == '%' || c == 0x7f)
			strbuf_addf(out, "%%%02X", c);
		else
			strbuf_addch(out, (char)c);
	}
}

static int presence_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Reads a string field of tok[0..len); *out NULL for "-". 0, or -1 when it does not read. */
static int presence_get_str(const char *tok, size_t len, char **out)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	*out = NULL;
	if (len == 1 && tok[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		if (tok[i] != '%') {
			strbuf_addch(&sb, tok[i]);
			continue;
		}
		if (i + 2 >= len || presence_hex(tok[i + 1]) < 0 || presence_hex(tok[i + 2]) < 0 ||
		    (!presence_hex(tok[i + 1]) && !presence_hex(tok[i + 2]))) {
			strbuf_release(&sb);
			return -1;
		}
		strbuf_addch(&sb, (char)(presence_hex(tok[i + 1]) * 16 + presence_hex(tok[i + 2])));
		i += 2;
	}
	*out = strbuf_detach(&sb, NULL);
	return 0;
}

/* One entry's line, without the CRC and the newline. */
static void presence_format_entry(const struct presence_entry *e, struct strbuf *out)
{
	char id[37];

	uuid_unparse_lower(e->id, id);
	strbuf_addf(out, "%s %ld ", id, (long)e->pid);
	presence_put_str(out, e->host);
	strbuf_addf(out, " %lld %c ", (long long)e->beat, e->facilitator ? 'f' : 'p');
	presence_put_str(out, e->grid);
	strbuf_addch(out, ' ');
	if (e->carrying) {
		uuid_unparse_lower(e->card, id);
		strbuf_addstr(out, id);
	} else {
		strbuf_addch(out, '-');
	}
	strbuf_addch(out, ' ');
	presence_put_str(out, e->name);
}

void presence_format(const struct presence_list *l, struct strbuf *out)
{
	struct strbuf line = STRBUF_INIT;
	size_t i;

	strbuf_addstr(out, PRESENCE_HEADER);
	for (i = 0; i < l->n; i++) {
		strbuf_reset(&line);
		presence_format_entry(&l->v[i], &line);
		strbuf_addf(out, "%08lx %s\n",
			    (unsigned long)crc32_z(0, (const unsigned char *)line.buf, line.len),
			    line.buf);
	}
	strbuf_release(&line);
}

#define PRESENCE_FIELDS 8

/* Splits s[0..len) at single spaces into exactly n fields. */
static bool presence_split(const char *s, size_t len, const char **tok, size_t *tlen, int n)
{
	const char *end = s + len;
	int k;

	for (k = 0; k < n; k++) {
		const char *sp = memchr(s, ' ', (size_t)(end - s));

		if (k == n - 1)
			sp = sp ? NULL : end;
		if (!sp || sp == s)
			return false;
		tok[k] = s;
		tlen[k] = (size_t)(sp - s);
		s = sp + 1;
	}
	return true;
}

/* A decimal number filling tok[0..len). */
static bool presence_number(const char *tok, size_t len, long long *out)
{
	char buf[24], *end;

	if (!len || len >= sizeof(buf) || tok[0] == '-' || tok[0] == '+')
		return false;
	memcpy(buf, tok, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtoll(buf, &end, 10);
	return !errno && !*end;
}

static bool presence_uuid(const char *tok, size_t len, uuid_t out)
{
	char buf[37];

	if (len != 36)
		return false;
	memcpy(buf, tok, 36);
	buf[36] = '\0';
	return uuid_parse(buf, out) == 0;
}

/* Reads the fields of one line (its CRC checked) into e. 0, or -1 (e left released). */
static int presence_parse_fields(const char **tok, const size_t *tlen, struct presence_entry *e)
{
	long long pid, beat;

	memset(e, 0, sizeof(*e));
	if (!presence_uuid(tok[0], tlen[0], e->id) || !presence_number(tok[1], tlen[1], &pid) ||
	    pid <= 0 || pid > INT32_MAX || !presence_number(tok[3], tlen[3], &beat) ||
	    tlen[4] != 1 || (tok[4][0] != 'f' && tok[4][0] != 'p'))
		return -1;
	e->pid = (pid_t)pid;
	e->beat = (time_t)beat;
	e->facilitator = tok[4][0] == 'f';
	e->carrying = !(tlen[6] == 1 && tok[6][0] == '-');
	if ((e->carrying && !presence_uuid(tok[6], tlen[6], e->card)) ||
	    presence_get_str(tok[2], tlen[2], &e->host) < 0 || !e->host ||
	    presence_get_str(tok[5], tlen[5], &e->grid) < 0 ||
	    presence_get_str(tok[7], tlen[7], &e->name) < 0) {
		presence_entry_release(e);
		return -1;
	}
	return 0;
}

/* One line "CRC REST" (no newline) into e: 0, or -1 when it does not read. */
static int presence_parse_line(const char *s, size_t len, struct presence_entry *e)
{
	const char *tok[PRESENCE_FIELDS];
	size_t tlen[PRESENCE_FIELDS];
	unsigned long crc = 0;
	size_t i;

	if (len < 10 || s[8] != ' ')
		return -1;
	for (i = 0; i < 8; i++) {
		int h = presence_hex(s[i]);

		if (h < 0)
			return -1;
		crc = crc * 16 + (unsigned long)h;
	}
	s += 9;
	len -= 9;
	if (crc != (unsigned long)crc32_z(0, (const unsigned char *)s, len) ||
	    !presence_split(s, len, tok, tlen, PRESENCE_FIELDS))
		return -1;
	return presence_parse_fields(tok, tlen, e);
}

size_t presence_parse(const char *buf, size_t len, struct presence_list *l)
{
	size_t hl = strlen(PRESENCE_HEADER), n = 0;
	const char *p = buf + hl, *end = buf + len;

	if (len < hl || memcmp(buf, PRESENCE_HEADER, hl))
		return 0;
	while (p < end && n < PRESENCE_MAX_ENTRIES) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct presence_entry e;

		if (!nl)
			break; /* an unfinished line: torn */
		if (presence_parse_line(p, (size_t)(nl - p), &e) == 0) {
			presence_list_put(l, &e);
			presence_entry_release(&e);
			n++;
		}
		p = nl + 1;
	}
	return n;
}

/* --- The file --- */

char *presence_path(const char *board_path)
{
	return file_side_path(board_path, PRESENCE_SUFFIX);
}

char *presence_host(void)
{
	char buf[256];

	if (gethostname(buf, sizeof(buf) - 1) < 0 || !buf[0])
		return xstrdup("localhost");
	buf[sizeof(buf) - 1] = '\0';
	return xstrdup(buf);
}

/* flock() fd with op, waiting up to PRESENCE_LOCK_MS. 0 or -1. */
static int presence_flock(int fd, int op)
{
	struct timespec pause = { 0, 2 * 1000 * 1000 };
	int waited = 0;

	while (flock(fd, op | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK || waited >= PRESENCE_LOCK_MS)
			return -1;
		nanosleep(&pause, NULL);
		waited += 2;
	}
	return 0;
}

/*
 * Opens the presence file (to write with LOCK_EX, creating it with perm
 * when create; to read with LOCK_SH) and locks it, again until the path
 * names the file locked (someone may have removed it meanwhile). The
 * descriptor, or -1 (errno ENOENT: no file).
 */
static int presence_open_locked(const char *path, bool create, const struct file_perm *perm,
				int op)
{
	int mode = op == LOCK_EX ? O_RDWR : O_RDONLY;
	int tries;

	for (tries = 0; tries < 8; tries++) {
		struct stat have, now;
		/*
		 * Never blocking on a FIFO put there, never following a symlink;
		 * made here (O_EXCL: surely by us), it takes the board's permissions.
		 */
		int flags = mode | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
		int fd = create ? open(path, flags | O_CREAT | O_EXCL, 0664 & ~S_IWOTH) : -1;

		if (fd >= 0)
			file_perm_apply(fd, perm);
		else if (!create || errno == EEXIST)
			fd = open(path, flags);
		if (fd < 0 && create && errno == ENOENT)
			continue; /* removed between the two: made anew */
		if (fd < 0)
			return -1;
		if (fstat(fd, &have) < 0 || !S_ISREG(have.st_mode)) {
			close(fd);
			errno = EINVAL;
			return -1;
		}
		if (presence_flock(fd, op) < 0) {
			int saved = errno;

			close(fd);
			errno = saved;
			return -1;
		}
		if (stat(path, &now) == 0 && now.st_dev == have.st_dev && now.st_ino == have.st_ino)
			return fd;
		close(fd);
	}
	errno = EAGAIN;
	return -1;
}

/* Reads the whole file open at fd into l (bounded). 0 or -1. */
static int presence_load(int fd, const char *path, struct presence_list *l, struct strbuf *err)
{
	struct strbuf buf = STRBUF_INIT;
	char chunk[4096];
	off_t off = 0;

	for (;;) {
		ssize_t n = pread(fd, chunk, sizeof(chunk), off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			strbuf_release(&buf);
			return file_fail(err, "cannot read", path);
		}
		if (n == 0)
			break;
		strbuf_add(&buf, chunk, (size_t)n);
		off += n;
		if (buf.len > PRESENCE_MAX_FILE) {
			/* Not ours: read as nothing, and written over by the next entry. */
			strbuf_reset(&buf);
			break;
		}
	}
	presence_parse(buf.buf, buf.len, l);
	strbuf_release(&buf);
	return 0;
}

/* Writes l over the file open at fd. 0 or -1. */
static int presence_store(int fd, const char *path, const struct presence_list *l,
			  struct strbuf *err)
{
	struct strbuf out = STRBUF_INIT;
	int r = 0;

	presence_format(l, &out);
	if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0 ||
	    file_write_all(fd, out.buf, out.len) < 0)
		r = file_fail(err, "cannot write", path);
	strbuf_release(&out);
	return r;
}

/*
 * The read-merge-write under the exclusive lock: me put in (when not
 * NULL) or instance id taken out, the stale ones dropped; the file removed
 * when nothing is left.
 */
static int presence_change(const char *board_path, const struct file_perm *perm,
			   const struct presence_entry *me, const uuid_t id, time_t now,
			   struct strbuf *err)
{
	struct presence_list l = PRESENCE_LIST_INIT;
	char *path = presence_path(board_path), *host = presence_host();
	int fd = presence_open_locked(path, me != NULL, perm, LOCK_EX), r = 0;

	if (fd < 0) {
		r = errno == ENOENT && !me ? 0 : file_fail(err, "cannot open", path);
		goto out;
	}
	if (presence_load(fd, path, &l, err) < 0) {
		r = -1;
	} else {
		presence_list_prune(&l, now, host, NULL);
		if (me) {
			struct presence_entry e;

			presence_entry_copy(&e, me);
			e.beat = now;
			presence_list_put(&l, &e);
			presence_entry_release(&e);
		} else {
			presence_list_drop(&l, id);
		}
		if (!l.n && unlink(path) < 0 && errno != ENOENT)
			r = file_fail(err, "cannot remove", path);
		else if (l.n)
			r = presence_store(fd, path, &l, err);
	}
	close(fd);
out:
	presence_list_release(&l);
	free(path);
	free(host);
	return r;
}

int presence_publish(const char *board_path, const struct file_perm *perm,
		     const struct presence_entry *me, time_t now, struct strbuf *err)
{
	return presence_change(board_path, perm, me, me->id, now, err);
}

int presence_leave(const char *board_path, const uuid_t id, time_t now, struct strbuf *err)
{
	return presence_change(board_path, NULL, NULL, id, now, err);
}

int presence_read(const char *board_path, time_t now, struct presence_list *out,
		  struct strbuf *err)
{
	char *path = presence_path(board_path), *host;
	int fd, r;

	presence_list_release(out);
	fd = presence_open_locked(path, false, NULL, LOCK_SH);
	if (fd < 0) {
		r = errno == ENOENT ? 0 : file_fail(err, "cannot open", path);
		free(path);
		return r;
	}
	r = presence_load(fd, path, out, err);
	close(fd);
	host = presence_host();
	presence_list_prune(out, now, host, NULL);
	free(host);
	free(path);
	return r;
}
