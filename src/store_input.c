/*
 * store_input.c - step 1 of reading (store_int.h): the input, read and
 * checked a window at a time before libyaml sees it, positions of byte
 * offsets; and the arena that holds the node tree.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "text.h"
#include "xmalloc.h"

/* --- The arena ---------------------------------------------------------- */

/* The first chunk, doubling up to the largest. */
#define ARENA_FIRST_CHUNK ((size_t)4 << 10)
#define ARENA_CHUNK_SIZE ((size_t)1 << 20)

void *arena_alloc_chunk(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;

	{
		size_t size;

		if (a->spare && a->spare->size >= n) {
			/* A card's nodes come and go: reuse, do not malloc and free. */
			c = a->spare;
			a->spare = NULL;
			c->used = 0;
			c->next = a->head;
			a->head = c;
			c->used += n;
			return (char *)(c + 1) + c->used - n;
		}
		if (a->next_size < ARENA_FIRST_CHUNK)
			a->next_size = ARENA_FIRST_CHUNK;
		size = n > a->next_size ? n : a->next_size;
		if (a->next_size < ARENA_CHUNK_SIZE)
			a->next_size *= 2;

		c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	c->used += n;
	return (char *)(c + 1) + c->used - n;
}

struct arena_mark arena_mark(const struct arena *a)
{
	struct arena_mark m = { a->head, a->head ? a->head->used : 0 };

	return m;
}

void arena_reset(struct arena *a, const struct arena_mark *m)
{
	while (a->head && a->head != m->chunk) {
		struct arena_chunk *next = a->head->next;

		if (m->chunk && (!a->spare || a->spare->size < a->head->size)) {
			free(a->spare);
			a->spare = a->head;
		} else {
			free(a->head);
		}
		a->head = next;
	}
	if (a->head)
		a->head->used = m->used;
}

void arena_release(struct arena *a)
{
	struct arena_mark none = { NULL, 0 };

	arena_reset(a, &none);
	free(a->spare);
	a->spare = NULL;
}
/* --- Positions and byte checks --------------------------------------------- */

#define SINPUT_ONES UINT64_C(0x0101010101010101)
#define SINPUT_HIGHS UINT64_C(0x8080808080808080)

/* The 8 bytes at s, in any order (each test below looks at every byte alike). */
static inline uint64_t sinput_word(const unsigned char *s)
{
	uint64_t w;

	memcpy(&w, s, sizeof(w));
	return w;
}

/*
 * True when [i, off) is valid UTF-8 without CR, as the UTF-8 check found
 * it: lines and columns can then be counted with memchr() and utf8_count().
 */
static bool spos_plain(const struct sinput *in, size_t i, size_t off)
{
	return !in->bad_u8.n && !in->bad_u8.more && off <= in->u8 &&
	       !memchr(in->buf + (i - in->start), '\r', off - i);
}

/*
 * Moves t to off (or just past it, when off falls inside a character).
 * Every byte that a character at or before off needs must be in the window:
 * off + SINPUT_LOOKAHEAD within it, or the input fully read.
 */
static void spos_advance(const struct sinput *in, struct spos *t, size_t off)
{
	const char *s = in->buf;
	size_t end = in->start + in->len, i;
	int l = t->line, c = t->col;

	if (off > end)
		off = end;
	if (!l) {
		i = 0;
		l = 1;
		c = 1;
		if (in->len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
			i = 3;
	} else {
		i = t->off;
	}
	if (i < off && spos_plain(in, i, off)) {
		const char *p = s + (i - in->start), *e = s + (off - in->start), *nl;

		while ((nl = memchr(p, '\n', (size_t)(e - p)))) {
			l++;
			c = 1;
			p = nl + 1;
		}
		c += (int)utf8_count(p, (size_t)(e - p));
		/* Just past a character that off falls inside. */
		while (off < end && ((unsigned char)s[off - in->start] & 0xC0) == 0x80)
			off++;
		i = off;
	}
	while (i < off) {
		unsigned char ch = (unsigned char)s[i - in->start];
		uint32_t cp;
		size_t n;

		if (ch >= 0x20 && ch < 0x80) {
			c++;
			i++;
		} else if (ch == '\n' || (ch == '\r' && (i + 1 >= end || s[i + 1 - in->start] != '\n'))) {
			l++;
			c = 1;
			i++;
		} else if (ch == '\r') {
			i++; /* the LF that follows ends the line */
		} else if (ch < 0x80) {
			c++;
			i++;
		} else {
			n = utf8_decode(s + i - in->start, end - i, &cp);
			i += n ? n : 1;
			c++;
		}
	}
	t->off = i;
	t->line = l;
	t->col = c;
}

/* The position of off, counted from the nearest known place before it. */
struct spos sinput_pos(const struct sinput *in, const struct spos *from, size_t off)
{
	struct spos t = *from;

	if (!t.line || t.off < in->base.off || t.off > off)
		t = in->base;
	spos_advance(in, &t, off);
	return t;
}

static void sinput_bad(struct sinput *in, struct sbytes *bs, size_t off, enum sbad_kind kind,
		       unsigned value)
{
	struct sbad *b;

	in->bad = true;
	if (bs->n == STORE_MAX_ERRORS) {
		bs->more++;
		return;
	}
	bs->pos = sinput_pos(in, &bs->pos, off);
	b = &bs->v[bs->n++];
	b->line = bs->pos.line;
	b->col = bs->pos.col;
	b->kind = (unsigned char)kind;
	b->value = value;
}

/* The UTF-8 check of the byte at off, not from 0x01 to 0x7F: the next to look at. */
static size_t sinput_check_utf8(struct sinput *in, size_t off)
{
	size_t end = in->start + in->len, n;
	const unsigned char *s = (const unsigned char *)in->buf - in->start;
	unsigned char c = s[off];
	uint32_t cp;

	if (in->u8_skip) {
		/* The rest of a broken sequence is not another problem. */
		if ((c & 0xC0) == 0x80)
			return off + 1;
		in->u8_skip = false;
	}
	if (!c)
		return off + 1; /* NUL is valid UTF-8: reported as a control */
	n = utf8_decode((const char *)s + off, end - off, &cp);
	if (n) {
		/* Refused by libyaml's reader: its message needs the position. */
		if ((cp == 0xFFFE || cp == 0xFFFF) && !in->reject.line)
			in->reject = sinput_pos(in, &in->base, off);
		return off + n;
	}
	sinput_bad(in, &in->bad_u8, off, SBAD_UTF8, c);
	in->u8_skip = true;
	return off + 1;
}

/* The control check of the byte at i, not from 0x20 to 0x7E: the next to look at. */
static size_t sinput_check_control(struct sinput *in, size_t i)
{
	size_t end = in->start + in->len;
	const unsigned char *s = (const unsigned char *)in->buf - in->start;
	unsigned char c = s[i];

	if (c < 0x20) {
		if (c != '\t' && c != '\n' && c != '\r')
			sinput_bad(in, &in->bad_ctl, i, SBAD_CONTROL, c);
	} else if (c == 0x7F) {
		sinput_bad(in, &in->bad_ctl, i, SBAD_CONTROL, c);
	} else if (c == 0xC2 && i + 1 < end && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) {
		sinput_bad(in, &in->bad_ctl, i, SBAD_CONTROL, s[i + 1]);
		i++;
	} else if (c == 0xE2 && i + 2 < end && s[i + 1] == 0x80 &&
		   (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
		sinput_bad(in, &in->bad_ctl, i, SBAD_SEPARATOR, 0x2000u + s[i + 2] - 0x80u);
		i += 2;
	}
	return i + 1;
}

/* True when the 8 bytes of w are each printable ASCII (0x20 to 0x7E) or LF. */
static bool sinput_plain_word(uint64_t w)
{
	uint64_t lf = w ^ ('\n' * SINPUT_ONES), low7 = ~SINPUT_HIGHS;
	/* Exact, byte by byte: those under 0x20 (of the bytes under 0x80), those that are LF. */
	uint64_t under = ~((w | SINPUT_HIGHS) - 0x20 * SINPUT_ONES) & SINPUT_HIGHS;
	uint64_t is_lf = ~(((lf & low7) + low7) | lf) & SINPUT_HIGHS;

	/* Then 0x7F and up (a carry past 0xFF only adds a false alarm). */
	return !((w | (w + SINPUT_ONES) | (under & ~is_lf)) & SINPUT_HIGHS);
}

/*
 * Step 1: the bytes. Invalid UTF-8 (every bad spot, not just the first) and
 * raw control characters: C0 but TAB, LF and CR; DEL; C1, including NEL,
 * which YAML 1.1 would silently take as a line break; and the Unicode line
 * and paragraph separators, line breaks to YAML 1.1 and not to 1.2 (nor to
 * editors), so positions and meaning would depend on the reader. Escaped in
 * a double-quoted scalar, all of these are fine where the field allows them.
 *
 * Two checks up to limit, reported in this order (every UTF-8 problem, then
 * every control character), as a check of the whole file at once would; in
 * one pass. 8 bytes of printable ASCII or LF are nothing to either (most of
 * a board); each check goes through any other 8 byte by byte. The UTF-8
 * check may then end a few bytes past the other, inside a character it read
 * whole: nothing there for the control check, so both go on from the
 * furthest. Each check ends where it would alone (the bytes handed to
 * libyaml are those both passed).
 */
static void sinput_check_bytes(struct sinput *in, size_t limit)
{
	const unsigned char *s = (const unsigned char *)in->buf - in->start;
	size_t pos = in->u8 > in->ctl ? in->u8 : in->ctl, stop;

	while (pos < limit) {
		stop = limit;
		if (pos + 8 <= limit) {
			if (sinput_plain_word(sinput_word(s + pos))) {
				pos += 8;
				in->u8 = in->ctl = pos;
				continue;
			}
			stop = pos + 8;
		}
		in->u8 = pos;
		while (in->u8 < stop)
			in->u8 = s[in->u8] && s[in->u8] < 0x80 ? in->u8 + 1
							      : sinput_check_utf8(in, in->u8);
		in->ctl = pos;
		while (in->ctl < stop)
			in->ctl = s[in->ctl] >= 0x20 && s[in->ctl] < 0x7F
					  ? in->ctl + 1
					  : sinput_check_control(in, in->ctl);
		pos = in->u8 > in->ctl ? in->u8 : in->ctl;
	}
}

/*
 * The encoding the first 4 bytes of the input look like when it is UTF-16 or
 * UTF-32 (a byte order mark, or ASCII with NUL bytes between), else NULL: one
 * clear problem instead of one per byte.
 */
static const char *sinput_wide(const unsigned char *u)
{
	bool a0 = u[0] && u[0] < 0x80, a1 = u[1] && u[1] < 0x80, a2 = u[2] && u[2] < 0x80,
	     a3 = u[3] && u[3] < 0x80;

	if ((u[0] == 0xFF && u[1] == 0xFE && !u[2] && !u[3]) || (a0 && !u[1] && !u[2] && !u[3]))
		return "UTF-32LE";
	if ((!u[0] && !u[1] && u[2] == 0xFE && u[3] == 0xFF) || (!u[0] && !u[1] && !u[2] && a3))
		return "UTF-32BE";
	if ((u[0] == 0xFF && u[1] == 0xFE) || (a0 && !u[1] && a2 && !u[3]))
		return "UTF-16LE";
	if ((u[0] == 0xFE && u[1] == 0xFF) || (!u[0] && a1 && !u[2] && a3))
		return "UTF-16BE";
	return NULL;
}

/* Checks the window as far as its bytes allow: all of it at the end of the input. */
void sinput_check(struct sinput *in)
{
	size_t end = in->start + in->len, limit;
	const unsigned char *u = (const unsigned char *)in->buf;

	if (in->start == 0 && in->u8 == 0 && in->len >= 4)
		in->wide = sinput_wide(u);
	if (in->eof)
		limit = end;
	else if (in->len > SINPUT_LOOKAHEAD)
		limit = end - SINPUT_LOOKAHEAD;
	else
		limit = in->start;
	sinput_check_bytes(in, limit);
	limit = in->u8 < in->ctl ? in->u8 : in->ctl;
	in->checked = limit - in->start;
}

/*
 * Reads the next bytes into the window, after dropping those libyaml has
 * (the position moves past them first). Sets eof, or failed with a reason.
 */
static void sinput_fill(struct sinput *in)
{
	long n;

	spos_advance(in, &in->base, in->start + in->given);
	memmove(in->own, in->own + in->given, in->len - in->given);
	in->start += in->given;
	in->len -= in->given;
	in->checked -= in->given;
	in->given = 0;
	n = in->read(in->read_data, in->own + in->len, SINPUT_WINDOW - in->len, &in->why);
	if (n < 0) {
		in->read_errno = errno;
		in->failed = true;
		return;
	}
	if (!n) {
		in->eof = true;
	} else {
		in->len += (size_t)n;
	}
	sinput_check(in);
}

/* Reads and checks the rest of the input, whatever libyaml took of it. */
void sinput_drain(struct sinput *in)
{
	while (in->read && !in->eof && !in->failed) {
		in->given = in->checked;
		sinput_fill(in);
	}
}

/*
 * libyaml's read handler (data: the store_parse): checked bytes only, and
 * none after a byte problem. Comments are looked for in what it hands out.
 */
int sinput_yaml_read(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
	struct store_parse *p = data;
	struct sinput *in = &p->in;
	size_t n;

	while (in->given == in->checked && !in->eof && !in->failed && !in->bad)
		sinput_fill(in);
	*size_read = 0;
	if (in->failed)
		return 0;
	if (in->bad)
		return 1; /* the end, for libyaml: the problems are the bytes */
	n = in->checked - in->given;
	if (n > size)
		n = size;
	if (p->notes.on)
		snotes_scan(p, in->start + in->given, in->start + in->given + n);
	memcpy(buffer, in->buf + in->given, n);
	in->given += n;
	*size_read = n;
	return 1;
}

/* The end of the input, once read to the end: false before. */
bool sinput_end(struct sinput *in, int *line, int *col)
{
	if (!in->eof)
		return false;
	if (!in->end.line)
		in->end = sinput_pos(in, &in->base, in->start + in->len);
	*line = in->end.line;
	*col = in->end.col;
	return true;
}

/* The problems of step 1, in the order of a check of the whole input. */
void sinput_report(struct store_parse *p)
{
	const struct sinput *in = &p->in;
	size_t i;

	if (in->wide && in->bad) {
		store_err_at(p, 1, 1, "the file is %s, tamis reads UTF-8 (convert it: iconv -f %s -t UTF-8)",
			     in->wide, in->wide);
		return;
	}
	for (i = 0; i < in->bad_u8.n; i++)
		store_err_at(p, in->bad_u8.v[i].line, in->bad_u8.v[i].col,
			     "invalid UTF-8 (byte 0x%02x)", in->bad_u8.v[i].value);
	p->err->dropped += in->bad_u8.more;
	for (i = 0; i < in->bad_ctl.n; i++) {
		const struct sbad *b = &in->bad_ctl.v[i];

		if (b->kind == SBAD_CONTROL)
			store_err_at(p, b->line, b->col, "control character U+%04X is not allowed",
				     b->value);
		else
			store_err_at(p, b->line, b->col,
				     "%s separator U+%04X is not allowed (write it escaped, "
				     "\"\\u%04X\")",
				     b->value == 0x2028 ? "line" : "paragraph", b->value, b->value);
	}
	p->err->dropped += in->bad_ctl.more;
}

/* A problem at a byte offset that libyaml reports. */
void store_err_off(struct store_parse *p, size_t off, const char *fmt, ...)
{
	va_list ap;
	struct spos t = { 0, 0, 0 };

	if (p->in.reject.line && p->in.reject.off == off)
		t = p->in.reject;
	else if (off >= p->in.base.off)
		t = sinput_pos(&p->in, &p->in.base, off);
	va_start(ap, fmt);
	store_errors_vadd(p->err, t.line, t.col, p->prefix, fmt, ap);
	va_end(ap);
}
