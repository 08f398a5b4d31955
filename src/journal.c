#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "fileio.h"
#include "xmalloc.h"

#define JOURNAL_MAGIC "tamis-journal 1 "
#define JOURNAL_READ_CHUNK 65536

/* zlib's CRC-32 is this one (ISO 3309, the one of gzip and PNG), and several times faster. */
uint32_t journal_crc32(const void *data, size_t len)
{
	return journal_crc32_update(0, data, len);
}

uint32_t journal_crc32_update(uint32_t crc, const void *data, size_t len)
{
	return (uint32_t)crc32_z(crc, data, len);
}

char *journal_path(const char *board_path)
{
	return file_side_path(board_path, ".journal");
}

/* A fill (fileio.h) for a journal's whole content, in memory. */
static int journal_fill(void *data, file_write_fn *write, void *ctx)
{
	const struct strbuf *sb = data;

	return write(ctx, sb->buf, sb->len);
}

void journal_init(struct journal *j, const char *board_path)
{
	memset(j, 0, sizeof(*j));
	j->path = journal_path(board_path);
	j->fd = -1;
}

void journal_close(struct journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	j->pos = 0;
	j->skip = 0;
}

void journal_release(struct journal *j)
{
	journal_close(j);
	free(j->path);
	j->path = NULL;
}

void journal_snap_of(struct journal_snap *snap, int fd, size_t size, uint32_t crc)
{
	struct stat st;

	memset(snap, 0, sizeof(*snap));
	snap->size = size;
	snap->crc = crc;
	if (fd >= 0 && fstat(fd, &st) == 0) {
		snap->dev = st.st_dev;
		snap->ino = st.st_ino;
		snap->mtime = st.st_mtim;
	}
}

static void journal_header(struct strbuf *sb, const struct journal_snap *snap)
{
	strbuf_addf(sb, JOURNAL_MAGIC "%zu %08" PRIx32 "\n", snap->size, snap->crc);
}

static int journal_hex(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * Reads the header line from buf[0..n): "tamis-journal 1 SIZE CRC\n". Returns
 * its length, or 0 when it is not one this tamis can read.
 */
static size_t journal_header_parse(const char *buf, size_t n, size_t *size, uint32_t *crc)
{
	size_t i = sizeof(JOURNAL_MAGIC) - 1, start;
	uintmax_t v = 0;

	if (n < i || memcmp(buf, JOURNAL_MAGIC, i))
		return 0;
	for (start = i; i < n && buf[i] >= '0' && buf[i] <= '9' && i - start < 19; i++)
		v = v * 10 + (uintmax_t)(buf[i] - '0');
	if (i == start || i + 10 > n || buf[i] != ' ' || buf[i + 9] != '\n' ||
	    journal_hex(buf + i + 1, crc) < 0 || v > SIZE_MAX)
		return 0;
	*size = (size_t)v;
	return i + 10;
}

bool journal_line_ok(const char *line, size_t len)
{
	uint32_t crc;

	return len >= 9 && len <= JOURNAL_MAX_LINE && line[8] == ' ' &&
	       !journal_hex(line, &crc) && journal_crc32(line + 9, len - 9) == crc;
}

#define JOURNAL_FOLD "!fold "

/* Called for each good line: its payload, and the offset just after its newline. */
typedef void journal_scan_fn(const char *payload, size_t len, off_t end, void *data);

/*
 * Reads by chunks and keeps at most one unterminated line of up to
 * JOURNAL_MAX_LINE bytes in memory. A longer one (a hostile or broken file:
 * writers never make one) is not kept: j->skip counts its bytes after j->pos,
 * and once its end comes it is one torn line. So j->pos always stops just
 * after a newline, and memory stays bounded whatever the file holds.
 */
static int journal_scan(struct journal *j, journal_scan_fn *fn, void *data, size_t *torn,
			struct strbuf *err)
{
	struct strbuf buf = STRBUF_INIT; /* the bytes from j->pos + j->skip on */
	int lines = 0;

	if (j->fd < 0)
		return 0;
	for (;;) {
		size_t start = 0;
		ssize_t n;
		char *nl;

		strbuf_grow(&buf, JOURNAL_READ_CHUNK);
		n = pread(j->fd, buf.buf + buf.len, buf.alloc - buf.len - 1,
			  j->pos + (off_t)j->skip + (off_t)buf.len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			strbuf_release(&buf);
			return file_fail(err, "cannot read", j->path);
		}
		if (n == 0)
			break;
		buf.len += (size_t)n;
		buf.buf[buf.len] = '\0';
		while ((nl = memchr(buf.buf + start, '\n', buf.len - start))) {
			const char *line = buf.buf + start;
			size_t len = (size_t)(nl - line);

			start += len + 1;
			if (j->skip) {
				/* The end of an over-long line. */
				if (torn)
					(*torn)++;
				j->pos += (off_t)j->skip;
				j->skip = 0;
			} else if (journal_line_ok(line, len)) {
				fn(line + 9, len - 9, j->pos + (off_t)(len + 1), data);
				lines++;
			} else if (torn) {
				(*torn)++;
			}
			j->pos += (off_t)(len + 1);
		}
		/* Keep the unterminated rest: being written, or torn by a crash. */
		memmove(buf.buf, buf.buf + start, buf.len - start);
		strbuf_setlen(&buf, buf.len - start);
		if (j->skip || buf.len > JOURNAL_MAX_LINE) {
			j->skip += buf.len;
			strbuf_setlen(&buf, 0);
		}
	}
	strbuf_release(&buf);
	return lines;
}

static bool journal_is_fold(const char *payload, size_t len)
{
	return len >= sizeof(JOURNAL_FOLD) - 1 && !memcmp(payload, JOURNAL_FOLD, sizeof(JOURNAL_FOLD) - 1);
}

/* Formats the fold record's payload for snap. */
static void journal_fold_payload(struct strbuf *out, const struct journal_snap *snap)
{
	strbuf_addf(out, JOURNAL_FOLD "%zu %08" PRIx32 " %ju %ju %lld %ld", snap->size, snap->crc,
		    (uintmax_t)snap->dev, (uintmax_t)snap->ino, (long long)snap->mtime.tv_sec,
		    (long)snap->mtime.tv_nsec);
}

/* Looking for the last fold record naming a board file. */
struct journal_fold_find {
	struct strbuf want;
	off_t after;   /* just after the last matching record, or 0 */
};

static void journal_fold_line(const char *payload, size_t len, off_t end, void *data)
{
	struct journal_fold_find *f = data;

	if (len == f->want.len && !memcmp(payload, f->want.buf, len))
		f->after = end;
}

/*
 * The header does not name the board file: FOLDED when the last fold record
 * names it exactly (j->pos then after it), else EDITED (j->pos at the first
 * line). The whole journal is read once. -1 on a read error.
 */
static int journal_classify(struct journal *j, const struct journal_snap *snap, off_t first,
			    struct strbuf *err)
{
	struct journal_fold_find f = { STRBUF_INIT, 0 };
	int r = 0;

	/* A board whose identity is unknown is never taken for a compaction's. */
	if (snap->dev || snap->ino) {
		journal_fold_payload(&f.want, snap);
		j->pos = first;
		j->skip = 0;
		r = journal_scan(j, journal_fold_line, &f, NULL, err);
	}
	strbuf_release(&f.want);
	if (r < 0)
		return -1;
	j->pos = f.after ? f.after : first;
	j->skip = 0;
	return f.after ? JOURNAL_FOLDED : JOURNAL_EDITED;
}

/* Opens the journal's file, read-write if possible. Returns the fd, or -1 (ENOENT: none). */
static int journal_open_file(struct journal *j)
{
	int fd;

	j->ro_errno = 0;
	fd = open(j->path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
		/* Readable but not writable here: read it; appending says why not. */
		j->ro_errno = errno;
		fd = open(j->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	}
	return fd;
}

int journal_open(struct journal *j, const struct journal_snap *snap, struct strbuf *err)
{
	char buf[128];
	struct stat st;
	size_t hlen, size = 0;
	uint32_t crc = 0;
	ssize_t n;
	int fd;

	journal_close(j);
	j->state = JOURNAL_NONE;
	fd = journal_open_file(j);
	if (fd < 0)
		return errno == ENOENT ? JOURNAL_NONE : file_fail(err, "cannot open", j->path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return file_fail(err, "cannot use", j->path);
	}
	/* Its creator widens what a narrower umask made it (journal.h, perm). */
	if (j->perm.set && !j->ro_errno && st.st_uid == geteuid() &&
	    (st.st_mode & 0777) != j->perm.mode)
		file_perm_apply(fd, &j->perm);
	n = pread(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		close(fd);
		return file_fail(err, "cannot read", j->path);
	}
	j->fd = fd;
	j->dev = st.st_dev;
	j->ino = st.st_ino;
	j->skip = 0;
	hlen = journal_header_parse(buf, (size_t)n, &size, &crc);
	if (!hlen) {
		/* Damaged, or from a later tamis: neither read nor removed. */
		journal_close(j);
		j->state = JOURNAL_BROKEN;
		return JOURNAL_BROKEN;
	}
	j->snap_size = size;
	j->snap_crc = crc;
	j->pos = (off_t)hlen;
	if (size == snap->size && crc == snap->crc) {
		j->state = JOURNAL_CURRENT;
	} else {
		int r = journal_classify(j, snap, (off_t)hlen, err);

		if (r < 0) {
			journal_close(j);
			return -1;
		}
		j->state = (enum journal_state)r;
	}
	return (int)j->state;
}

/* Opens the journal just written at the path: every line of it taken as read. */
static int journal_reopen_written(struct journal *j, const struct journal_snap *snap,
				  struct strbuf *err)
{
	struct stat st;
	int fd = journal_open_file(j);

	if (fd < 0)
		return file_fail(err, "cannot reopen", j->path);
	if (fstat(fd, &st) < 0) {
		file_fail(err, "cannot stat", j->path);
		close(fd);
		return -1;
	}
	j->fd = fd;
	j->dev = st.st_dev;
	j->ino = st.st_ino;
	j->pos = st.st_size;
	j->skip = 0;
	j->snap_size = snap->size;
	j->snap_crc = snap->crc;
	j->state = JOURNAL_CURRENT;
	return 0;
}

int journal_replace(struct journal *j, const struct journal_snap *snap, const char *body,
		    size_t len, struct strbuf *err)
{
	struct strbuf data = STRBUF_INIT;
	int r;

	journal_close(j);
	journal_header(&data, snap);
	strbuf_add(&data, body, len);
	r = file_write_atomic(j->path, journal_fill, &data,
			      &(struct file_write_opts){ &j->perm, NULL, NULL, false }, err);
	strbuf_release(&data);
	if (r < 0)
		return -1;
	return journal_reopen_written(j, snap, err);
}

int journal_reset(struct journal *j, const struct journal_snap *snap, struct strbuf *err)
{
	return journal_replace(j, snap, "", 0, err);
}

int journal_remove(struct journal *j, struct strbuf *err)
{
	journal_close(j);
	j->state = JOURNAL_NONE;
	if (unlink(j->path) < 0 && errno != ENOENT)
		return file_fail(err, "cannot remove", j->path);
	return 0;
}

int journal_set_aside(struct journal *j, time_t now, struct strbuf *where, struct strbuf *err)
{
	struct strbuf name = STRBUF_INIT;
	struct tm tm;
	char stamp[32];
	int i, r = -1;

	journal_close(j);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (i = 1; i < 1000; i++) {
		strbuf_reset(&name);
		strbuf_addf(&name, "%s.broken-%s", j->path, stamp);
		if (i > 1)
			strbuf_addf(&name, "-%d", i);
		/* link() never replaces what is there: an earlier broken journal stays. */
		if (link(j->path, name.buf) == 0) {
			r = 0;
			break;
		}
		if (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP) {
			struct stat st;

			/* No hard links here: rename, under the writers' lock, to a free name. */
			if (lstat(name.buf, &st) == 0)
				continue;
			if (rename(j->path, name.buf) == 0) {
				r = 1;
				break;
			}
		}
		if (errno != EEXIST)
			break;
	}
	if (r < 0) {
		file_fail(err, "cannot set aside", j->path);
	} else if (r == 1) {
		r = 0;
		if (where)
			strbuf_add(where, name.buf, name.len);
	} else if (unlink(j->path) < 0 && errno != ENOENT) {
		r = file_fail(err, "cannot set aside", j->path);
		unlink(name.buf);
	} else if (where) {
		strbuf_add(where, name.buf, name.len);
	}
	strbuf_release(&name);
	if (r == 0)
		j->state = JOURNAL_NONE;
	return r;
}

bool journal_replaced(const struct journal *j)
{
	struct stat st;

	if (j->fd < 0)
		return stat(j->path, &st) == 0;
	if (stat(j->path, &st) < 0)
		return true;
	return st.st_dev != j->dev || st.st_ino != j->ino;
}

/* What journal_read() passes on: the operations, never fold records. */
struct journal_ops {
	journal_line_fn fn;
	void *data;
	int lines;
};

static void journal_op_line(const char *payload, size_t len, off_t end, void *data)
{
	struct journal_ops *o = data;

	(void)end;
	if (journal_is_fold(payload, len))
		return;
	o->fn(payload, len, o->data);
	o->lines++;
}

int journal_read(struct journal *j, journal_line_fn fn, void *data, size_t *torn,
		 struct strbuf *err)
{
	struct journal_ops o = { fn, data, 0 };

	if (journal_scan(j, journal_op_line, &o, torn, err) < 0)
		return -1;
	return o.lines;
}

void journal_frame(struct strbuf *out, const char *payload, size_t len)
{
	strbuf_addf(out, "%08" PRIx32 " ", journal_crc32(payload, len));
	strbuf_add(out, payload, len);
	strbuf_addch(out, '\n');
}

/* Opened read-only: opens the same file to write, now that it may be possible. */
static int journal_reopen_rw(struct journal *j)
{
	int fd = open(j->path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0) {
		if (errno == ENOENT)
			errno = j->ro_errno;
		return -1;
	}
	if (fstat(fd, &st) < 0 || st.st_dev != j->dev || st.st_ino != j->ino) {
		close(fd);
		errno = j->ro_errno;
		return -1;
	}
	close(j->fd);
	j->fd = fd;
	j->ro_errno = 0;
	return 0;
}

/* True when no line of p[0..len) is longer than readers accept. */
static bool journal_lines_fit(const char *p, size_t len)
{
	while (len) {
		const char *nl = memchr(p, '\n', len);
		size_t line = nl ? (size_t)(nl - p) : len;

		if (line > JOURNAL_MAX_LINE)
			return false;
		if (!nl)
			break;
		p += line + 1;
		len -= line + 1;
	}
	return true;
}

/*
 * The journal cannot be written by this process (someone else made it with
 * too narrow permissions): replaces it with a copy of itself, a torn tail
 * ended, the framed lines added. The directory must allow it.
 */
static int journal_append_by_replacing(struct journal *j, const char *framed, size_t len,
				       struct strbuf *err)
{
	struct strbuf data = STRBUF_INIT;
	struct journal_snap snap;
	off_t end;
	int r;

	memset(&snap, 0, sizeof(snap));
	snap.size = j->snap_size;
	snap.crc = j->snap_crc;
	for (;;) {
		ssize_t n;

		strbuf_grow(&data, JOURNAL_READ_CHUNK);
		n = pread(j->fd, data.buf + data.len, data.alloc - data.len - 1, (off_t)data.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			strbuf_release(&data);
			return file_fail(err, "cannot read", j->path);
		}
		if (n == 0)
			break;
		strbuf_setlen(&data, data.len + (size_t)n);
	}
	if (data.len && data.buf[data.len - 1] != '\n')
		strbuf_addch(&data, '\n');
	strbuf_add(&data, framed, len);
	end = (off_t)data.len;
	r = file_write_atomic(j->path, journal_fill, &data,
			      &(struct file_write_opts){ &j->perm, NULL, NULL, false }, err);
	strbuf_release(&data);
	if (r < 0)
		return -1;
	journal_close(j);
	if (journal_reopen_written(j, &snap, err) < 0)
		return -1;
	j->pos = end;
	return 0;
}

int journal_append_framed(struct journal *j, const char *framed, size_t len,
			  struct strbuf *err)
{
	struct stat st;
	char last;

	if (j->fd < 0) {
		errno = EBADF;
		return file_fail(err, "cannot append to", j->path);
	}
	if (!journal_lines_fit(framed, len)) {
		errno = EFBIG;
		return file_fail(err, "cannot append an over-long line to", j->path);
	}
	if (j->ro_errno && journal_reopen_rw(j) < 0) {
		if (errno != EACCES && errno != EPERM)
			return file_fail(err, "cannot write", j->path);
		if (journal_append_by_replacing(j, framed, len, NULL) == 0)
			return 0;
		errno = EACCES;
		return file_fail(err, "cannot write", j->path);
	}
	if (fstat(j->fd, &st) < 0)
		return file_fail(err, "cannot stat", j->path);
	/* A crashed writer's torn tail: end it so it stays a single bad line. */
	if (st.st_size > 0 && pread(j->fd, &last, 1, st.st_size - 1) == 1 && last != '\n') {
		if (file_write_all(j->fd, "\n", 1) < 0)
			return file_fail(err, "cannot write", j->path);
		st.st_size++;
	}
	if (file_write_all(j->fd, framed, len) < 0 || fdatasync(j->fd) < 0)
		return file_fail(err, "cannot write", j->path);
	/* The caller has read everything before (under the writers' lock). */
	j->pos = st.st_size + (off_t)len;
	j->skip = 0;
	return 0;
}

int journal_append(struct journal *j, const char *payload, size_t len, struct strbuf *err)
{
	struct strbuf line = STRBUF_INIT;
	int r;

	journal_frame(&line, payload, len);
	r = journal_append_framed(j, line.buf, line.len, err);
	strbuf_release(&line);
	return r;
}

int journal_record_fold(struct journal *j, const struct journal_snap *snap, struct strbuf *err)
{
	struct strbuf payload = STRBUF_INIT;
	int r;

	journal_fold_payload(&payload, snap);
	r = journal_append(j, payload.buf, payload.len, err);
	strbuf_release(&payload);
	return r;
}
