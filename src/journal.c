#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lockfile.h"
#include "xmalloc.h"

#define JOURNAL_MAGIC "tamis-journal 1 "
#define JOURNAL_READ_CHUNK 65536

static uint32_t journal_crc_table[256];

uint32_t journal_crc32(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t c = 0xFFFFFFFFu;
	size_t i;

	if (!journal_crc_table[1]) {
		uint32_t n, k, v;

		for (n = 0; n < 256; n++) {
			for (v = n, k = 0; k < 8; k++)
				v = v & 1 ? 0xEDB88320u ^ (v >> 1) : v >> 1;
			journal_crc_table[n] = v;
		}
	}
	for (i = 0; i < len; i++)
		c = journal_crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

uint32_t journal_crc32_update(uint32_t crc, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t c = crc ^ 0xFFFFFFFFu;
	size_t i;

	if (!journal_crc_table[1])
		journal_crc32("", 0); /* fills the table */
	for (i = 0; i < len; i++)
		c = journal_crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

char *journal_path(const char *board_path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *slash = strrchr(board_path, '/');

	if (slash)
		strbuf_add(&sb, board_path, (size_t)(slash - board_path + 1));
	strbuf_addf(&sb, ".%s.journal", slash ? slash + 1 : board_path);
	return strbuf_detach(&sb, NULL);
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

static int journal_fail(struct strbuf *err, const char *what, const char *path)
{
	int saved = errno;

	if (err)
		strbuf_addf(err, "%s '%s': %s", what, path, strerror(saved));
	errno = saved;
	return -1;
}

static void journal_header(struct strbuf *sb, size_t snap_size, uint32_t snap_crc)
{
	strbuf_addf(sb, JOURNAL_MAGIC "%zu %08" PRIx32 "\n", snap_size, snap_crc);
}

int journal_open(struct journal *j, size_t snap_size, uint32_t snap_crc, struct strbuf *err)
{
	struct strbuf want = STRBUF_INIT;
	char buf[128];
	struct stat st;
	ssize_t n;
	int fd;

	journal_close(j);
	j->ro_errno = 0;
	fd = open(j->path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EROFS)) {
		/* Readable but not writable here: read it; appending says why not. */
		j->ro_errno = errno;
		fd = open(j->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return errno == ENOENT ? 0 : journal_fail(err, "cannot open", j->path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return journal_fail(err, "cannot use", j->path);
	}
	journal_header(&want, snap_size, snap_crc);
	n = pread(fd, buf, want.len, 0);
	if (n < 0) {
		strbuf_release(&want);
		close(fd);
		return journal_fail(err, "cannot read", j->path);
	}
	if ((size_t)n != want.len || memcmp(buf, want.buf, want.len)) {
		/* Stale: the board was compacted after it was written. */
		strbuf_release(&want);
		close(fd);
		return 0;
	}
	j->fd = fd;
	j->dev = st.st_dev;
	j->ino = st.st_ino;
	j->pos = (off_t)want.len;
	j->skip = 0;
	j->snap_size = snap_size;
	j->snap_crc = snap_crc;
	strbuf_release(&want);
	return 1;
}

int journal_reset(struct journal *j, size_t snap_size, uint32_t snap_crc, struct strbuf *err)
{
	struct strbuf hdr = STRBUF_INIT;
	int r;

	journal_close(j);
	journal_header(&hdr, snap_size, snap_crc);
	r = file_replace(j->path, hdr.buf, hdr.len, err);
	strbuf_release(&hdr);
	if (r < 0)
		return -1;
	r = journal_open(j, snap_size, snap_crc, err);
	if (r == 0) {
		errno = EAGAIN;
		return journal_fail(err, "cannot reopen", j->path);
	}
	return r < 0 ? -1 : 0;
}

int journal_remove(struct journal *j, struct strbuf *err)
{
	journal_close(j);
	if (unlink(j->path) < 0 && errno != ENOENT)
		return journal_fail(err, "cannot remove", j->path);
	return 0;
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

/* True when line[0..len) is "CRC PAYLOAD" with the right CRC. */
static bool journal_line_ok(const char *line, size_t len)
{
	uint32_t crc;

	return len >= 9 && len <= JOURNAL_MAX_LINE && line[8] == ' ' &&
	       !journal_hex(line, &crc) && journal_crc32(line + 9, len - 9) == crc;
}

/*
 * Reads by chunks and keeps at most one unterminated line of up to
 * JOURNAL_MAX_LINE bytes in memory. A longer one (a hostile or broken file:
 * writers never make one) is not kept: j->skip counts its bytes after j->pos,
 * and once its end comes it is one torn line. So j->pos always stops just
 * after a newline, and memory stays bounded whatever the file holds.
 */
int journal_read(struct journal *j, journal_line_fn fn, void *data, size_t *torn,
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
			return journal_fail(err, "cannot read", j->path);
		}
		if (n == 0)
			break;
		buf.len += (size_t)n;
		buf.buf[buf.len] = '\0';
		while ((nl = memchr(buf.buf + start, '\n', buf.len - start))) {
			const char *line = buf.buf + start;
			size_t len = (size_t)(nl - line);

			if (j->skip) {
				/* The end of an over-long line. */
				if (torn)
					(*torn)++;
				j->pos += (off_t)j->skip;
				j->skip = 0;
			} else if (journal_line_ok(line, len)) {
				fn(line + 9, len - 9, data);
				lines++;
			} else if (torn) {
				(*torn)++;
			}
			start += len + 1;
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

static int journal_write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
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

int journal_append_framed(struct journal *j, const char *framed, size_t len,
			  struct strbuf *err)
{
	struct stat st;
	char last;

	if (j->fd < 0) {
		errno = EBADF;
		return journal_fail(err, "cannot append to", j->path);
	}
	if (j->ro_errno && journal_reopen_rw(j) < 0)
		return journal_fail(err, "cannot write", j->path);
	if (!journal_lines_fit(framed, len)) {
		errno = EFBIG;
		return journal_fail(err, "cannot append an over-long line to", j->path);
	}
	if (fstat(j->fd, &st) < 0)
		return journal_fail(err, "cannot stat", j->path);
	/* A crashed writer's torn tail: end it so it stays a single bad line. */
	if (st.st_size > 0 && pread(j->fd, &last, 1, st.st_size - 1) == 1 && last != '\n') {
		if (journal_write_all(j->fd, "\n", 1) < 0)
			return journal_fail(err, "cannot write", j->path);
		st.st_size++;
	}
	if (journal_write_all(j->fd, framed, len) < 0 || fdatasync(j->fd) < 0)
		return journal_fail(err, "cannot write", j->path);
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
