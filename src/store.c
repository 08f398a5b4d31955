/*
 * store.c - boards in YAML files.
 *
 * Reading goes in three steps, each refusing what the next cannot handle:
 *
 *  1. the raw bytes are checked for invalid UTF-8 and raw control characters,
 *     with positions computed from byte offsets (libyaml reports invalid
 *     UTF-8 at 1:1); a file is read and checked 64 KiB at a time, libyaml
 *     seeing only checked bytes, so that it is never whole in memory;
 *  2. libyaml's event API builds a small tree of nodes in an arena, refusing
 *     anchors and aliases (never expanded), foreign tags, several documents,
 *     oversized scalars, too many nodes, and nesting deeper than
 *     STORE_MAX_DEPTH (checked on every start event, before libyaml's
 *     scanner can wander into a deeply nested file);
 *  3. the tree is validated into a board through board.h, collecting one
 *     error per problem.
 *
 * Writing does not use libyaml's emitter, which escapes every character
 * outside the BMP (emoji) as \UXXXXXXXX: a hand-written emitter produces
 * block-style YAML with UTF-8 as is, quoting only the scalars that need it
 * (a card's history is written one flow mapping per line).
 *
 * Comments, which libyaml does not report, are found in the bytes as they
 * are handed to libyaml, attached to the keys and list items they go with,
 * kept in the model (comments.h) and written back by the emitter: see
 * "Comments: found in the bytes" and "Writing comments back".
 *
 * Operations for the live-sharing journal go through the same two halves:
 * store_format_op() writes one flow mapping on one line, every string
 * double-quoted; store_parse_op() reads it with steps 1 and 2 (never
 * streaming) and checks the tree per kind, an added card exactly as a card of
 * the file, against the caller's board, which it only reads.
 */
#include "store.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "comments.h"
#include "lockfile.h"
#include "op.h"
#include "sign.h"
#include "text.h"
#include "timeutil.h"
#include "xmalloc.h"

/* --- Errors ------------------------------------------------------------- */

void store_errors_init(struct store_errors *e, const char *file)
{
	e->file = file ? xstrdup(file) : NULL;
	e->v = NULL;
	e->n = 0;
	e->alloc = 0;
	e->dropped = 0;
}

void store_errors_release(struct store_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->v[i].message);
	free(e->v);
	free(e->file);
	e->file = NULL;
	e->v = NULL;
	e->n = 0;
	e->alloc = 0;
	e->dropped = 0;
}

/* True when one more problem would be kept (not just counted). */
static bool store_errors_room(const struct store_errors *e)
{
	return e->n < STORE_MAX_ERRORS;
}

__attribute__((format(printf, 5, 0)))
static void store_errors_vadd(struct store_errors *e, int line, int column, const char *prefix,
			      const char *fmt, va_list ap)
{
	struct strbuf msg = STRBUF_INIT;

	if (!store_errors_room(e)) {
		e->dropped++;
		return;
	}
	if (prefix)
		strbuf_addstr(&msg, prefix);
	strbuf_vaddf(&msg, fmt, ap);
	ALLOC_GROW(e->v, e->n + 1, e->alloc);
	e->v[e->n].line = line > 0 ? line : 0;
	e->v[e->n].column = line > 0 ? column : 0;
	e->v[e->n].message = strbuf_detach(&msg, NULL);
	e->n++;
}

void store_errors_add(struct store_errors *e, int line, int column, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	store_errors_vadd(e, line, column, NULL, fmt, ap);
	va_end(ap);
}

/* Puts problems in file order (stable: equal positions keep their order). */
static void store_errors_sort(struct store_errors *e)
{
	size_t i, j;

	for (i = 1; i < e->n; i++) {
		struct store_error tmp = e->v[i];

		for (j = i; j > 0; j--) {
			const struct store_error *prev = &e->v[j - 1];

			if (prev->line < tmp.line ||
			    (prev->line == tmp.line && prev->column <= tmp.column))
				break;
			e->v[j] = e->v[j - 1];
		}
		e->v[j] = tmp;
	}
}

void store_errors_format(const struct store_errors *e, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		const struct store_error *er = &e->v[i];

		/* A message without a location names its file itself. */
		if (er->line > 0) {
			if (e->file) {
				text_sanitize(out, e->file);
				strbuf_addch(out, ':');
			}
			strbuf_addf(out, "%d:%d: ", er->line, er->column);
		}
		text_sanitize(out, er->message);
		strbuf_addch(out, '\n');
	}
	if (e->dropped) {
		if (e->file) {
			text_sanitize(out, e->file);
			strbuf_addstr(out, ": ");
		}
		strbuf_addf(out, "%zu more problem%s\n", e->dropped, e->dropped == 1 ? "" : "s");
	}
}

/* Forgets the problems reported after the first n (and dropped ones). */
static void store_errors_truncate(struct store_errors *e, size_t n, size_t dropped)
{
	while (e->n > n)
		free(e->v[--e->n].message);
	e->dropped = dropped;
}

/* --- The arena ---------------------------------------------------------- */

/*
 * Nodes and scalar bytes live in big chunks freed all at once: a board of
 * 100,000 cards is a few million nodes, and one malloc each would cost more
 * than libyaml's own parsing.
 */
struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used; /* data follows the header, which keeps 8-byte alignment */
};

/* Chunks newest first; only the newest one is being filled. */
struct arena {
	struct arena_chunk *head;
	size_t next_size; /* of the next chunk: small boards stay small */
	struct arena_chunk *spare; /* the last chunk a reset let go, kept for reuse */
};

/* A point to come back to: everything allocated after it is freed at once. */
struct arena_mark {
	struct arena_chunk *chunk;
	size_t used;
};

/* The first chunk, doubling up to the largest. */
#define ARENA_FIRST_CHUNK ((size_t)4 << 10)
#define ARENA_CHUNK_SIZE ((size_t)1 << 20)

static void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;

	n = (n + 7) & ~(size_t)7;
	if (!c || c->size - c->used < n) {
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

static struct arena_mark arena_mark(const struct arena *a)
{
	struct arena_mark m = { a->head, a->head ? a->head->used : 0 };

	return m;
}

static void arena_reset(struct arena *a, const struct arena_mark *m)
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

static void arena_release(struct arena *a)
{
	struct arena_mark none = { NULL, 0 };

	arena_reset(a, &none);
	free(a->spare);
	a->spare = NULL;
}

/* --- The node tree ------------------------------------------------------ */

enum snode_kind { SNODE_SCALAR, SNODE_SEQ, SNODE_MAP };

/*
 * How a scalar may be typed. Only an untagged plain scalar is subject to
 * implicit typing (numbers, booleans, null); quoted and block scalars are
 * strings; a standard tag says explicitly what the scalar is.
 */
enum sstyle { SSTYLE_PLAIN, SSTYLE_STR, SSTYLE_INT, SSTYLE_BOOL, SSTYLE_NULL };

/* The 'cards' list whose items were checked as they came (see store_scan()). */
#define SSTYLE_STREAMED 1

struct snode {
	unsigned char kind;  /* enum snode_kind */
	unsigned char style; /* enum sstyle for scalars; SSTYLE_STREAMED for lists */
	int line, col;       /* 1-based start of the node */
	uint32_t n;          /* scalar: bytes; seq: items; map: 2 * pairs */
	union {
		const char *s;             /* NUL-terminated, may hold NULs */
		const struct snode *kids;  /* maps: key, value, key, value... */
	} u;
};

/* An open collection and the children gathered so far. */
struct slevel {
	struct snode head;
	struct snode *v;
	size_t n, alloc;
	bool flow; /* a flow collection ([...] or {...}) */
};

/* Ids that were defined but invalid: references to them are not reported again. */
struct snames {
	const char **v;
	size_t n, alloc;
};

/*
 * Line and column (1-based, in code points) of a byte offset, counted the
 * way libyaml counts its marks: a leading BOM is not a column, and CR LF, CR
 * and LF each end a line. An invalid byte counts as one column. A position
 * is a pure function of the offset; an spos carries one along the input.
 */
struct spos {
	size_t off;      /* the next byte to count (at or just past a target) */
	int line, col;   /* line 0: not started */
};

/* A byte problem found by step 1, reported once the whole input is checked. */
enum sbad_kind { SBAD_UTF8, SBAD_CONTROL, SBAD_SEPARATOR };

struct sbad {
	int line, col;
	unsigned char kind;
	unsigned value; /* the byte, or the code point */
};

/* The problems of one check, in the order found, and a position for them. */
struct sbytes {
	struct sbad v[STORE_MAX_ERRORS];
	size_t n, more; /* more: problems past the first STORE_MAX_ERRORS */
	struct spos pos;
};

#define SINPUT_WINDOW ((size_t)64 << 10)
/* Bytes after the last one checked that its checks may read. */
#define SINPUT_LOOKAHEAD 3

/*
 * The input, read in windows of SINPUT_WINDOW bytes (or all of it in
 * memory): buf[0..len) holds the bytes at offsets start..start+len. Each
 * window is checked (step 1) before libyaml sees a byte of it: [0..checked)
 * is decided, [0..given) handed to libyaml. Never more than a window in
 * memory, whatever the size of the file.
 */
struct sinput {
	store_read_fn *read; /* NULL: the whole input is buf[0..len) */
	void *read_data;
	const char *buf;
	char *own;           /* the window's storage when reading */
	size_t start, len, checked, given;
	bool eof, bad, failed;
	const char *wide;    /* "UTF-16LE"...: the input starts like that, or NULL */
	int read_errno;
	struct strbuf why;   /* the read failure */

	size_t u8, ctl;      /* the next offsets of the two checks */
	bool u8_skip;        /* skipping the rest of an invalid sequence */
	struct sbytes bad_u8, bad_ctl;

	struct spos base;    /* at or before start + given: where others start from */
	struct spos reject;  /* the first code point libyaml refuses, or line 0 */
	struct spos end;     /* the end of the input, or line 0 until known */
};

/* A '#' not known yet to start a comment or to sit in a scalar (see snotes_scan()). */
struct scand {
	int line, col;
	bool dash;        /* only blanks and '-' before it on its line: "  - # ..." */
	size_t text, len; /* its bytes in snotes.text: to the next '#' or the end of its line */
};

/* The comments of one anchor (a key or a list item of the file), by where it starts. */
struct snote {
	int line, col;     /* of its node, as in struct snode */
	bool item;         /* a list item (else a mapping key at the same place) */
	bool taken;        /* moved to the model */
	struct strbuf before, after, below; /* comment lines, '\n' between */
};

/* The comments of a file being read (see "Comments" below). */
struct snotes {
	bool on;
	struct scand *cand;   /* candidates, in file order: [chead, ncand) */
	size_t chead, ncand, cand_alloc;
	struct strbuf text;   /* the candidates' bytes, from the first one's */
	bool open;            /* the last candidate's line goes on in the next bytes */
	struct spos cursor;   /* where the last candidate is */

	struct snote *v;      /* anchors with comments, in file order */
	size_t n, alloc;
	bool anchored;        /* an anchor has started */
	int line, col;        /* the last one to start */
	bool item;
	int mark_line;        /* the furthest line of an event so far */
	int flow;             /* flow collections open */
	struct strbuf queue;  /* whole lines waiting for the next anchor */
	struct strbuf head, tail;
};

struct store_parse {
	struct store_errors *err;
	struct sinput in;
	struct snotes notes;

	struct arena arena;
	struct slevel levels[STORE_MAX_DEPTH];
	size_t depth;
	size_t nodes;
	struct snode root;
	bool have_root;

	bool bad_yaml;      /* a problem below the model: the model is not checked */
	bool op_line;       /* an operation (store_parse_op()): no streaming, b only read */

	/*
	 * Streaming: when themes, criteria and grids come before the cards (the
	 * order tamis writes), each card is checked and added as soon as its
	 * mapping ends, and its nodes are freed (arena reset to card_mark): a
	 * big board never exists as a tree. Otherwise the cards are checked
	 * from the tree once the file is read.
	 */
	bool streaming, prelude_done;
	struct arena_mark card_mark;
	/*
	 * The streamed card that ended at the last event, checked at the next
	 * one: comments at the end of its last line are known only then.
	 */
	struct snode card;
	bool card_waiting;
	size_t card_nodes;  /* nodes of the streamed card being read */
	size_t ncards;
	size_t err_n, err_dropped; /* error counts when the model checks began */

	/* Every valid card id met, for finding duplicates once all are known. */
	struct card_seen *seen;
	size_t nseen, seen_alloc;
	struct cell *cells; /* scratch placements of one card, one per grid */
	struct card_event *events; /* scratch history of one card; 'by' in the arena */

	struct board *b;
	const char *prefix; /* put before every message ("card 6f1c2a8e: ") */
	const struct snode **theme_ids, **criterion_ids, **grid_ids; /* by index */
	struct snames bad_themes, bad_criteria, bad_grids;
};

__attribute__((format(printf, 4, 5)))
static void store_err_at(struct store_parse *p, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	store_errors_vadd(p->err, line, col, p->prefix, fmt, ap);
	va_end(ap);
}

/*
 * Reports a problem without location: its message names the file itself
 * ("'board.yaml' holds no board"), as store_errors_format() prints it alone.
 */
static void store_err_nowhere(struct store_parse *p, const char *before, const char *after)
{
	if (p->err->file)
		store_err_at(p, 0, 0, "%s'%s'%s", before, p->err->file, after);
	else
		store_err_at(p, 0, 0, "%sthe file%s", before, after);
}

__attribute__((format(printf, 3, 4)))
static void store_err(struct store_parse *p, const struct snode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	store_errors_vadd(p->err, n->line, n->col, p->prefix, fmt, ap);
	va_end(ap);
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
static struct spos sinput_pos(const struct sinput *in, const struct spos *from, size_t off)
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

/*
 * Step 1: the bytes. Invalid UTF-8 (every bad spot, not just the first) and
 * raw control characters: C0 but TAB, LF and CR; DEL; C1, including NEL,
 * which YAML 1.1 would silently take as a line break; and the Unicode line
 * and paragraph separators, line breaks to YAML 1.1 and not to 1.2 (nor to
 * editors), so positions and meaning would depend on the reader. Escaped in
 * a double-quoted scalar, all of these are fine where the field allows them.
 *
 * Two checks, each going through the bytes up to limit: they report in this
 * order (every UTF-8 problem, then every control character), as a check of
 * the whole file at once would.
 */
static void sinput_check_utf8(struct sinput *in, size_t limit)
{
	size_t end = in->start + in->len, off = in->u8;
	const unsigned char *s = (const unsigned char *)in->buf - in->start;

	while (off < limit) {
		unsigned char c = s[off];
		uint32_t cp;
		size_t n;

		if (c && c < 0x80) {
			off++;
			continue;
		}
		if (in->u8_skip) {
			/* The rest of a broken sequence is not another problem. */
			if ((c & 0xC0) == 0x80) {
				off++;
				continue;
			}
			in->u8_skip = false;
		}
		if (!c) {
			off++; /* NUL is valid UTF-8: reported as a control below */
			continue;
		}
		n = utf8_decode((const char *)s + off, end - off, &cp);
		if (n) {
			/* Refused by libyaml's reader: its message needs the position. */
			if ((cp == 0xFFFE || cp == 0xFFFF) && !in->reject.line)
				in->reject = sinput_pos(in, &in->base, off);
			off += n;
			continue;
		}
		sinput_bad(in, &in->bad_u8, off, SBAD_UTF8, c);
		off++;
		in->u8_skip = true;
	}
	in->u8 = off;
}

static void sinput_check_controls(struct sinput *in, size_t limit)
{
	size_t end = in->start + in->len, i;
	const unsigned char *s = (const unsigned char *)in->buf - in->start;

	for (i = in->ctl; i < limit; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7F)
			continue;
		if (c < 0x20) {
			if (c == '\t' || c == '\n' || c == '\r')
				continue;
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
	}
	in->ctl = i;
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
static void sinput_check(struct sinput *in)
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
	sinput_check_utf8(in, limit);
	sinput_check_controls(in, limit);
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
static void sinput_drain(struct sinput *in)
{
	while (in->read && !in->eof && !in->failed) {
		in->given = in->checked;
		sinput_fill(in);
	}
}

static void snotes_scan(struct store_parse *p, size_t from, size_t to);

/*
 * libyaml's read handler (data: the store_parse): checked bytes only, and
 * none after a byte problem. Comments are looked for in what it hands out.
 */
static int sinput_yaml_read(void *data, unsigned char *buffer, size_t size, size_t *size_read)
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
static bool sinput_end(struct sinput *in, int *line, int *col)
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
static void sinput_report(struct store_parse *p)
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
__attribute__((format(printf, 3, 4)))
static void store_err_off(struct store_parse *p, size_t off, const char *fmt, ...)
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

/* --- Step 2: libyaml events to nodes ------------------------------------ */

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

/* A tag as the user would write it, for messages. */
static const char *store_tag_name(const char *tag, char *buf, size_t size)
{
	size_t plen = strlen(YAML_TAG_PREFIX);

	if (!strncmp(tag, YAML_TAG_PREFIX, plen)) {
		snprintf(buf, size, "!!%s", tag + plen);
		return buf;
	}
	return tag;
}

static void store_mark(struct store_parse *p, const yaml_mark_t *m, int *line, int *col);

static void store_bad_tag(struct store_parse *p, const yaml_event_t *ev, const char *tag)
{
	char buf[128];
	int line, col;

	p->bad_yaml = true;
	store_mark(p, &ev->start_mark, &line, &col);
	store_err_at(p, line, col,
		     "tag '%s' is not allowed (only !!str, !!int, !!bool, !!null, !!seq and !!map)",
		     store_tag_name(tag, buf, sizeof(buf)));
}

/* The style of a scalar event, or -1 after reporting a foreign tag. */
static int store_scalar_style(struct store_parse *p, const yaml_event_t *ev)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	size_t plen = strlen(YAML_TAG_PREFIX);

	if (!tag)
		return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? SSTYLE_PLAIN : SSTYLE_STR;
	if (!strncmp(tag, YAML_TAG_PREFIX, plen)) {
		tag += plen;
		if (!strcmp(tag, "str"))
			return SSTYLE_STR;
		if (!strcmp(tag, "int"))
			return SSTYLE_INT;
		if (!strcmp(tag, "bool"))
			return SSTYLE_BOOL;
		if (!strcmp(tag, "null"))
			return SSTYLE_NULL;
	}
	store_bad_tag(p, ev, (const char *)ev->data.scalar.tag);
	return -1;
}

static void store_card(struct store_parse *p, const struct snode *c);
static bool store_prelude(struct store_parse *p);

/*
 * Adds a finished node to the open collection, or makes it the root. While
 * streaming, an item of the cards list (depth 2) is checked at once instead,
 * until a YAML problem is met: problems found in the cards before it stay
 * reported, the cards after it (which may hold placeholders) are not checked.
 */
static void store_node_add(struct store_parse *p, const struct snode *n)
{
	struct slevel *lv;

	if (p->streaming && p->depth == 2) {
		p->card = *n;
		p->card_waiting = true; /* until the next event: store_card_flush() */
		return;
	}
	if (!p->depth) {
		p->root = *n;
		p->have_root = true;
		return;
	}
	lv = &p->levels[p->depth - 1];
	ALLOC_GROW(lv->v, lv->n + 1, lv->alloc);
	lv->v[lv->n++] = *n;
}

/*
 * Checks the streamed card that ended at the last event, if any, and frees
 * its nodes; before anything else happens after that event.
 */
static void store_card_flush(struct store_parse *p)
{
	if (!p->card_waiting)
		return;
	p->card_waiting = false;
	if (!p->bad_yaml)
		store_card(p, &p->card);
	arena_reset(&p->arena, &p->card_mark);
	p->card_nodes = 0;
}

/*
 * Counts a node kept in the tree; true (a problem) past STORE_MAX_NODES. The
 * nodes of streamed cards are freed card by card: they count against the
 * limit one card at a time.
 */
static bool store_count_node(struct store_parse *p)
{
	if (p->streaming && p->depth >= 2) {
		if (++p->card_nodes <= STORE_MAX_NODES)
			return false;
		p->bad_yaml = true;
		return true;
	}
	if (++p->nodes <= STORE_MAX_NODES)
		return false;
	p->bad_yaml = true;
	return true;
}

/*
 * A libyaml mark as a 1-based line and column. libyaml puts the end of a
 * file without a final line break on the line after the last one: such a
 * mark (or any past the end) is put just after the last character.
 */
static void store_mark(struct store_parse *p, const yaml_mark_t *m, int *line, int *col)
{
	int end_line, end_col;

	*line = (int)m->line + 1;
	*col = (int)m->column + 1;
	/* Such a mark only comes once libyaml has read to the end. */
	if (!sinput_end(&p->in, &end_line, &end_col))
		return;
	if (*line > end_line || (*line == end_line && *col > end_col)) {
		*line = end_line;
		*col = end_col;
	}
}

/* Reports a libyaml failure; the parser stops there. */
static void store_yaml_error(struct store_parse *p, const yaml_parser_t *yp)
{
	const char *problem = yp->problem ? yp->problem : "unknown error";
	int line, col, cline, ccol;

	p->bad_yaml = true;
	switch (yp->error) {
	case YAML_MEMORY_ERROR:
		store_err_nowhere(p, "out of memory while parsing ", "");
		break;
	case YAML_READER_ERROR:
		if (yp->problem_value >= 0)
			store_err_off(p, yp->problem_offset, "character U+%04X is not allowed",
				      (unsigned)yp->problem_value);
		else
			store_err_off(p, yp->problem_offset, "invalid input: %s", problem);
		break;
	default:
		store_mark(p, &yp->problem_mark, &line, &col);
		if (yp->context) {
			store_mark(p, &yp->context_mark, &cline, &ccol);
			store_err_at(p, line, col,
				     "syntax error: %s (%s starting at line %d, column %d)",
				     problem, yp->context, cline, ccol);
		} else {
			store_err_at(p, line, col, "syntax error: %s", problem);
		}
		break;
	}
}

/* --- Comments: found in the bytes, attached to anchors ------------------- */

/*
 * libyaml reports no comments, so tamis finds them in the bytes it hands to
 * libyaml: every '#' is a candidate (its position, and its bytes up to the
 * next '#' or the end of its line), in file order. Outside comments, a '#'
 * can only be inside a scalar (quoted, plain or block; tags and anchors that
 * could hold one are refused): a candidate inside a scalar's range is dropped
 * when the scalar's event comes, and one before the start of an event that
 * no scalar took starts a comment running to the end of its line. Each
 * comment is attached at once to an anchor, a mapping key or list item of
 * the file in block style (known by where its node starts, struct snote);
 * once the tree is whole, store_card() and store_validate() move each
 * anchor's comments to the path that names it in the model (comments.h).
 * Only comments and the candidates libyaml has read ahead of its events are
 * kept: reading a file still takes memory that does not grow with it.
 *
 * Where a comment goes (the writer, store_format(), puts each one back so
 * that reading its output gives the same):
 *  - before the first anchor: the head of the file;
 *  - after a token on its own line: the last anchor started, as its 'after'
 *    comment, or 'below' it when it has one (flow collections and scalars
 *    over several lines);
 *  - after a list item's '-' alone on its line: 'before' that item;
 *  - a whole line inside a flow collection: 'below' the anchor holding it;
 *  - another whole line: 'before' the next anchor, unless it is indented
 *    deeper than the next line (with none before it in the gap going to the
 *    next anchor): then 'below' the last anchor, so that a comment indented
 *    as the keys of a card stays with that card;
 *  - after the last anchor: 'below' it, or the tail of the file for the
 *    lines not indented.
 */

/*
 * True when the bytes before offset off on its line are blanks and at least
 * one '-' (a list item's dash), as far as the window holds them.
 */
static bool snotes_dash(const struct store_parse *p, size_t off)
{
	const char *s = p->in.buf - p->in.start;
	bool dash = false;

	while (off > p->in.start &&
	       (s[off - 1] == ' ' || s[off - 1] == '\t' || s[off - 1] == '-')) {
		dash |= s[off - 1] == '-';
		off--;
	}
	return dash && (!off || s[off - 1] == '\n' || s[off - 1] == '\r');
}

/* Finds the candidates in the bytes at offsets [from, to) of the input. */
static void snotes_scan(struct store_parse *p, size_t from, size_t to)
{
	struct snotes *c = &p->notes;
	const char *s = p->in.buf - p->in.start;
	size_t i = from, end;

	while (i < to) {
		struct scand *k;

		if (!c->open) {
			const char *h = memchr(s + i, '#', to - i);

			if (!h)
				return;
			i = (size_t)(h - s);
			c->cursor = sinput_pos(&p->in, &c->cursor, i);
			ALLOC_GROW(c->cand, c->ncand + 1, c->cand_alloc);
			k = &c->cand[c->ncand++];
			k->line = c->cursor.line;
			k->col = c->cursor.col;
			k->dash = snotes_dash(p, i);
			k->text = c->text.len;
			strbuf_addch(&c->text, '#');
			c->open = true;
			i++;
		}
		for (end = i; end < to && s[end] != '#' && s[end] != '\n' && s[end] != '\r'; end++)
			;
		/* Unless it was decided already (then every candidate was). */
		if (c->ncand) {
			strbuf_add(&c->text, s + i, end - i);
			k = &c->cand[c->ncand - 1];
			k->len = c->text.len - k->text;
		}
		if (end < to)
			c->open = false;
		i = end;
	}
}

static bool spos_before(int line, int col, int line2, int col2)
{
	return line < line2 || (line == line2 && col < col2);
}

/* Drops the candidate at the front. */
static void snotes_pop(struct snotes *c)
{
	c->chead++;
	if (c->chead == c->ncand) {
		c->chead = c->ncand = 0;
		strbuf_reset(&c->text);
	} else if (c->chead >= 64 && c->chead * 2 >= c->ncand) {
		/* Keep the queue and its bytes as small as what is undecided. */
		size_t i, skip = c->cand[c->chead].text;

		c->ncand -= c->chead;
		memmove(c->cand, c->cand + c->chead, c->ncand * sizeof(*c->cand));
		c->chead = 0;
		for (i = 0; i < c->ncand; i++)
			c->cand[i].text -= skip;
		memmove(c->text.buf, c->text.buf + skip, c->text.len - skip);
		strbuf_setlen(&c->text, c->text.len - skip);
	}
}

/* The anchor that started last, with an entry for its comments. */
static struct snote *snotes_last(struct snotes *c)
{
	struct snote *t;

	if (c->n) {
		t = &c->v[c->n - 1];
		if (t->line == c->line && t->col == c->col && t->item == c->item)
			return t;
	}
	ALLOC_GROW(c->v, c->n + 1, c->alloc);
	t = &c->v[c->n++];
	memset(t, 0, sizeof(*t));
	t->line = c->line;
	t->col = c->col;
	t->item = c->item;
	strbuf_init(&t->before, 0);
	strbuf_init(&t->after, 0);
	strbuf_init(&t->below, 0);
	return t;
}

/* Appends one line (or several, '\n' between) to sb. */
static void snotes_line(struct strbuf *sb, const char *text, size_t len)
{
	if (sb->len)
		strbuf_addch(sb, '\n');
	strbuf_add(sb, text, len);
}

/*
 * Attaches the comment at line, col (text[0..len)): next is the column of
 * the next line's anchor (0-based), to which a whole line may go; dash: a
 * list item starts on its line, with nothing else before it.
 */
static void snotes_attach(struct snotes *c, int line, int col, bool dash, const char *text,
			  size_t len, int next)
{
	struct snote *t;

	if (!c->anchored) {
		snotes_line(&c->head, text, len);
		return;
	}
	if (c->mark_line == line) {
		t = snotes_last(c);
		snotes_line(t->after.len ? &t->below : &t->after, text, len);
	} else if (c->flow || (!dash && !c->queue.len && col - 1 > next)) {
		snotes_line(&snotes_last(c)->below, text, len);
	} else {
		snotes_line(&c->queue, text, len);
	}
}

/* The candidate at the front starts a comment: attaches it with the rest of its line. */
static void snotes_comment(struct snotes *c, int next)
{
	const struct scand *k = &c->cand[c->chead];
	struct strbuf text = STRBUF_INIT;
	int line = k->line, col = k->col;
	bool dash = k->dash;
	size_t i, n = 0, len = 0;

	/* The candidates after it on its line are in it: their bytes follow. */
	for (i = c->chead; i < c->ncand && c->cand[i].line == line; i++) {
		len += c->cand[i].len;
		n++;
	}
	while (len > 1 && (c->text.buf[k->text + len - 1] == ' ' ||
			   c->text.buf[k->text + len - 1] == '\t'))
		len--;
	strbuf_add(&text, c->text.buf + k->text, len);
	for (i = 0; i < n; i++)
		snotes_pop(c);
	snotes_attach(c, line, col, dash, text.buf, text.len, next);
	strbuf_release(&text);
}

/* Every candidate before line, col starts a comment (next: as for snotes_attach()). */
static void snotes_before(struct snotes *c, int line, int col, int next)
{
	while (c->chead < c->ncand &&
	       spos_before(c->cand[c->chead].line, c->cand[c->chead].col, line, col))
		snotes_comment(c, next);
}

/*
 * The comments, the anchor and the scalar of an event, before store_scan()
 * handles it (line, col: where it starts).
 */
static void snotes_event(struct store_parse *p, const yaml_event_t *ev, int line, int col)
{
	struct snotes *c = &p->notes;
	const struct slevel *lv = p->depth ? &p->levels[p->depth - 1] : NULL;
	int next = col - 1, eline, ecol;
	bool anchor = false, item = false;

	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
		return;
	case YAML_STREAM_END_EVENT:
	case YAML_DOCUMENT_END_EVENT:
		next = 0;
		break;
	case YAML_SCALAR_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
	case YAML_ALIAS_EVENT:
		if (!lv || lv->flow)
			break;
		if (lv->head.kind == SNODE_SEQ) {
			anchor = item = true;
			next = lv->head.col - 1; /* where its '-' is */
		} else {
			anchor = !(lv->n % 2);
		}
		break;
	default:
		break;
	}
	snotes_before(c, line, col, next);
	if (anchor) {
		c->anchored = true;
		c->line = line;
		c->col = col;
		c->item = item;
		if (c->queue.len) {
			snotes_line(&snotes_last(c)->before, c->queue.buf, c->queue.len);
			strbuf_reset(&c->queue);
		}
	}
	store_mark(p, &ev->end_mark, &eline, &ecol);
	if (ev->type == YAML_SCALAR_EVENT) {
		yaml_scalar_style_t st = ev->data.scalar.style;

		/* A block scalar starts on the next line: its header may end with a comment. */
		if (st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE) {
			c->mark_line = line;
			while (c->chead < c->ncand && c->cand[c->chead].line == line)
				snotes_comment(c, next);
		}
		while (c->chead < c->ncand &&
		       spos_before(c->cand[c->chead].line, c->cand[c->chead].col, eline, ecol))
			snotes_pop(c);
	}
	/* A block collection's start or end is no token: a '-' or the next key. */
	if (eline > c->mark_line && (eline != line || ecol != col))
		c->mark_line = eline;
	if ((ev->type == YAML_SEQUENCE_START_EVENT &&
	     ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE) ||
	    (ev->type == YAML_MAPPING_START_EVENT &&
	     ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE))
		c->flow++;
	else if ((ev->type == YAML_SEQUENCE_END_EVENT || ev->type == YAML_MAPPING_END_EVENT) &&
		 lv && lv->flow)
		c->flow--;
}

/* At the end of the file: the last comments, and the lines for the tail. */
static void snotes_end(struct snotes *c)
{
	snotes_before(c, INT_MAX, INT_MAX, 0);
	if (c->queue.len) {
		snotes_line(&c->tail, c->queue.buf, c->queue.len);
		strbuf_reset(&c->queue);
	}
}

static void snotes_release(struct snotes *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		strbuf_release(&c->v[i].before);
		strbuf_release(&c->v[i].after);
		strbuf_release(&c->v[i].below);
	}
	free(c->v);
	free(c->cand);
	strbuf_release(&c->text);
	strbuf_release(&c->queue);
	strbuf_release(&c->head);
	strbuf_release(&c->tail);
}

/*
 * Builds the node tree from libyaml's events. Returns 0, or -1 when the file
 * is not acceptable YAML (problems reported); the model is then not checked.
 */
static int store_scan(struct store_parse *p)
{
	yaml_parser_t yp;
	yaml_event_t ev;
	int documents = 0;
	bool done = false;

	if (!yaml_parser_initialize(&yp)) {
		store_err_nowhere(p, "out of memory while parsing ", "");
		return -1;
	}
	if (p->in.read)
		yaml_parser_set_input(&yp, sinput_yaml_read, p);
	else
		yaml_parser_set_input_string(&yp, (const unsigned char *)p->in.buf, p->in.len);

	while (!done) {
		int line, col;
		struct snode n;
		int style;

		if (!yaml_parser_parse(&yp, &ev)) {
			store_card_flush(p);
			store_yaml_error(p, &yp);
			break;
		}
		store_mark(p, &ev.start_mark, &line, &col);
		if (p->notes.on)
			snotes_event(p, &ev, line, col);
		store_card_flush(p);
		memset(&n, 0, sizeof(n));
		n.line = line;
		n.col = col;

		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (documents++) {
				p->bad_yaml = true;
				store_err_at(p, line, col, "a board file holds one document");
				done = true;
			}
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_ALIAS_EVENT:
			p->bad_yaml = true;
			store_err_at(p, line, col, "aliases and anchors are not allowed");
			n.kind = SNODE_SCALAR;
			n.style = SSTYLE_NULL;
			n.u.s = "";
			store_node_add(p, &n);
			break;
		case YAML_SCALAR_EVENT:
			if (store_count_node(p)) {
				store_err_at(p, line, col,
					     "too many values in one file (more than %u)",
					     STORE_MAX_NODES);
				done = true;
				break;
			}
			if (ev.data.scalar.anchor) {
				p->bad_yaml = true;
				store_err_at(p, line, col, "aliases and anchors are not allowed");
			}
			style = store_scalar_style(p, &ev);
			n.kind = SNODE_SCALAR;
			n.style = (unsigned char)(style < 0 ? SSTYLE_STR : style);
			if (ev.data.scalar.length > STORE_MAX_SCALAR) {
				p->bad_yaml = true;
				store_err_at(p, line, col,
					     "value too long (%zu bytes, the limit is %u)",
					     ev.data.scalar.length, STORE_MAX_SCALAR);
				n.u.s = "";
			} else {
				char *s = arena_alloc(&p->arena, ev.data.scalar.length + 1);

				memcpy(s, ev.data.scalar.value, ev.data.scalar.length);
				s[ev.data.scalar.length] = '\0';
				n.u.s = s;
				n.n = (uint32_t)ev.data.scalar.length;
			}
			store_node_add(p, &n);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
			const char *tag = (const char *)(seq ? ev.data.sequence_start.tag
							     : ev.data.mapping_start.tag);
			const void *anchor = seq ? ev.data.sequence_start.anchor
						 : ev.data.mapping_start.anchor;
			struct slevel *lv;

			/* Checked before anything else: libyaml has no limit of its own. */
			if (p->depth >= STORE_MAX_DEPTH) {
				p->bad_yaml = true;
				store_err_at(p, line, col, "nesting too deep (more than %d levels)",
					     STORE_MAX_DEPTH);
				done = true;
				break;
			}
			if (store_count_node(p)) {
				store_err_at(p, line, col,
					     "too many values in one file (more than %u)",
					     STORE_MAX_NODES);
				done = true;
				break;
			}
			if (anchor) {
				p->bad_yaml = true;
				store_err_at(p, line, col, "aliases and anchors are not allowed");
			}
			if (tag && strcmp(tag, seq ? YAML_TAG_PREFIX "seq" : YAML_TAG_PREFIX "map"))
				store_bad_tag(p, &ev, tag);
			/* The value of the root's 'cards' key: maybe stream its items. */
			if (seq && p->depth == 1 && !p->bad_yaml && !p->op_line &&
			    store_prelude(p)) {
				p->streaming = true;
				n.style = SSTYLE_STREAMED;
			}
			lv = &p->levels[p->depth++];
			lv->head = n;
			lv->head.kind = seq ? SNODE_SEQ : SNODE_MAP;
			lv->n = 0;
			lv->flow = seq ? ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
				       : ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
			if (p->streaming && p->depth == 2)
				p->card_mark = arena_mark(&p->arena);
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: {
			struct slevel *lv = &p->levels[--p->depth];
			struct snode *kids = NULL;

			if (lv->n) {
				kids = arena_alloc(&p->arena, lv->n * sizeof(*kids));
				memcpy(kids, lv->v, lv->n * sizeof(*kids));
			}
			lv->head.u.kids = kids;
			lv->head.n = (uint32_t)lv->n;
			if (p->streaming && p->depth == 1)
				p->streaming = false; /* the end of the cards list */
			store_node_add(p, &lv->head);
			break;
		}
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	store_card_flush(p);
	if (p->notes.on && !p->bad_yaml)
		snotes_end(&p->notes);
	p->streaming = false;
	return p->bad_yaml ? -1 : 0;
}

/* --- Step 3: typed access to nodes -------------------------------------- */

static bool store_is_null(const struct snode *n)
{
	if (n->kind != SNODE_SCALAR)
		return false;
	if (n->style == SSTYLE_NULL)
		return true;
	return n->style == SSTYLE_PLAIN &&
	       (!n->n || !strcmp(n->u.s, "~") || !strcmp(n->u.s, "null") ||
		!strcmp(n->u.s, "Null") || !strcmp(n->u.s, "NULL"));
}

/* Value of an optional key: NULL when absent or null. */
static const struct snode *store_present(const struct snode *n)
{
	return n && !store_is_null(n) ? n : NULL;
}

/*
 * A copy of s short enough to quote in a message: at most 60 code points,
 * the cut marked with "…" (the full value is at the reported position).
 */
static const char *store_cut(struct store_parse *p, const char *s)
{
	size_t i = 0, cps = 0, len = strlen(s);
	char *copy;

	while (i < len && cps < 60) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		i += n ? n : 1;
		cps++;
	}
	if (i >= len)
		return s;
	copy = arena_alloc(&p->arena, i + sizeof("…"));
	memcpy(copy, s, i);
	memcpy(copy + i, "…", sizeof("…"));
	return copy;
}

/* Did-you-mean: the closest candidate offered to suggest_try(). */
struct suggest {
	const char *word;
	const char *best;
	size_t dist;
};

static void suggest_init(struct suggest *sg, const char *word)
{
	sg->word = word;
	sg->best = NULL;
	sg->dist = (size_t)-1;
}

/*
 * A candidate is close enough when a third of its letters (at least 2) would
 * do, and when the edit does not replace the whole of the shorter word.
 */
static void suggest_try(struct suggest *sg, const char *cand)
{
	size_t lw = strlen(sg->word), lc = strlen(cand);
	size_t longer = lw > lc ? lw : lc, shorter = lw < lc ? lw : lc;
	size_t limit = longer / 3 > 2 ? longer / 3 : 2, d;

	if (lw > lc + limit || lc > lw + limit)
		return;
	d = text_distance(sg->word, cand, limit);
	if (d <= limit && d < shorter && d < sg->dist) {
		sg->best = cand;
		sg->dist = d;
	}
}

/* The " (did you mean 'X'?)" end of a message, or "" without a suggestion. */
static const char *suggest_text(struct store_parse *p, const struct suggest *sg)
{
	char *s;
	size_t len;

	if (!sg->best)
		return "";
	len = strlen(sg->best) + sizeof(" (did you mean ''?)");
	s = arena_alloc(&p->arena, len);
	snprintf(s, len, " (did you mean '%s'?)", sg->best);
	return s;
}

/* True when k is the scalar name (a key holding a NUL never matches). */
static bool store_key_is(const struct snode *k, const char *name)
{
	return k->kind == SNODE_SCALAR && k->n == strlen(name) && !memcmp(k->u.s, name, k->n);
}

/* The first value for key name in mapping n, or NULL. */
static const struct snode *store_map_get(const struct snode *n, const char *name)
{
	uint32_t i;

	if (n->kind != SNODE_MAP)
		return NULL;
	for (i = 0; i + 1 < n->n; i += 2)
		if (store_key_is(&n->u.kids[i], name))
			return &n->u.kids[i + 1];
	return NULL;
}

/* Keys must be scalars; reports the others. Returns the key's text or NULL. */
static const char *store_key(struct store_parse *p, const struct snode *k)
{
	if (k->kind != SNODE_SCALAR) {
		store_err(p, k, "keys must be plain strings, not a %s",
			  k->kind == SNODE_MAP ? "mapping" : "list");
		return NULL;
	}
	return k->u.s;
}

#define STORE_MAX_FIELDS 16

/*
 * Sorts the pairs of mapping n onto its known keys: out[i] is the value of
 * names[i], or NULL when absent. Reports keys that are not scalars, unknown
 * keys (with a suggestion) and duplicate keys; the first of duplicates wins.
 */
static void store_fields(struct store_parse *p, const struct snode *n, const char *const *names,
			 size_t nnames, const struct snode **out)
{
	const struct snode *keys[STORE_MAX_FIELDS];
	uint32_t i;
	size_t k;

	for (k = 0; k < nnames; k++) {
		out[k] = NULL;
		keys[k] = NULL;
	}
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct snode *key = &n->u.kids[i];
		const char *name = store_key(p, key);

		if (!name)
			continue;
		for (k = 0; k < nnames; k++)
			if (store_key_is(key, names[k]))
				break;
		if (k == nnames) {
			struct suggest sg;

			if (!store_errors_room(p->err)) {
				p->err->dropped++;
				continue;
			}
			suggest_init(&sg, name);
			for (k = 0; k < nnames; k++)
				suggest_try(&sg, names[k]);
			store_err(p, key, "unknown key '%s'%s", store_cut(p, name),
				  suggest_text(p, &sg));
		} else if (keys[k]) {
			store_err(p, key, "duplicate key '%s' (first at line %d)", names[k],
				  keys[k]->line);
		} else {
			keys[k] = key;
			out[k] = &n->u.kids[i + 1];
		}
	}
}

static const char *store_kind_name(const struct snode *n)
{
	switch (n->kind) {
	case SNODE_SEQ:
		return "a list";
	case SNODE_MAP:
		return "a mapping";
	default:
		return store_is_null(n) ? "empty" : "a single value";
	}
}

/* Code points that identifiers, labels, titles, poles and names may not hold. */
static bool store_check_safe(struct store_parse *p, const struct snode *n, const char *what)
{
	size_t i = 0;

	while (i < n->n) {
		uint32_t cp;
		size_t len = utf8_decode(n->u.s + i, n->n - i, &cp);

		if (!len) { /* cannot happen: libyaml hands out valid UTF-8 */
			store_err(p, n, "'%s' is not valid UTF-8", what);
			return false;
		}
		if (text_cp_unsafe(cp)) {
			store_err(p, n, "'%s' must not contain control characters (found U+%04X)",
				  what, (unsigned)cp);
			return false;
		}
		i += len;
	}
	return true;
}

enum { STR_FREE = 1 }; /* card text, notes, description: controls allowed */

/*
 * The string value of n for key 'what', or NULL after reporting why not. Any
 * scalar that is not null will do: a plain 2019 is the string "2019", as the
 * user wrote it. No string may hold NUL; only free text may hold controls.
 */
static const char *store_string(struct store_parse *p, const struct snode *n, const char *what,
				int flags)
{
	if (n->kind != SNODE_SCALAR || store_is_null(n)) {
		store_err(p, n, "'%s' must be a string, not %s", what, store_kind_name(n));
		return NULL;
	}
	if (memchr(n->u.s, '\0', n->n)) {
		store_err(p, n, "'%s' must not contain NUL characters", what);
		return NULL;
	}
	if (!(flags & STR_FREE) && !store_check_safe(p, n, what))
		return NULL;
	return n->u.s;
}

/* A facilitator's public key for key 'what' (sign.h), or NULL after reporting why not. */
static const char *store_key_id(struct store_parse *p, const struct snode *n, const char *what)
{
	const char *s = store_string(p, n, what, 0);

	if (s && !sign_key_id_valid(s)) {
		store_err(p, n, "'%s' must be a public key: \"%s\" and 44 base64 characters", what,
			  SIGN_KEY_PREFIX);
		return NULL;
	}
	return s;
}

/* A signature for key 'what' (sign.h), or NULL after reporting why not. */
static const char *store_sig(struct store_parse *p, const struct snode *n, const char *what)
{
	const char *s = store_string(p, n, what, 0);

	if (s && !sign_sig_valid(s)) {
		store_err(p, n, "'%s' must be a signature: %d base64 characters", what, SIGN_SIG_LEN);
		return NULL;
	}
	return s;
}

/* Parses a plain decimal integer ("-3", "+7", "12"); false if it is not one. */
static bool store_parse_int(const char *s, long *out)
{
	long v = 0;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v < 100000000L)
			v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	return true;
}

/* An untagged plain or !!int scalar holding a decimal integer. */
static bool store_int(const struct snode *n, long *out)
{
	if (n->kind != SNODE_SCALAR || (n->style != SSTYLE_PLAIN && n->style != SSTYLE_INT))
		return false;
	return store_parse_int(n->u.s, out);
}

/* true/false/True/False, plain or !!bool. */
static bool store_bool(const struct snode *n, bool *out)
{
	if (n->kind != SNODE_SCALAR || (n->style != SSTYLE_PLAIN && n->style != SSTYLE_BOOL))
		return false;
	if (!strcmp(n->u.s, "true") || !strcmp(n->u.s, "True")) {
		*out = true;
		return true;
	}
	if (!strcmp(n->u.s, "false") || !strcmp(n->u.s, "False")) {
		*out = false;
		return true;
	}
	return false;
}

static bool store_names_has(const struct snames *ns, const char *s)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], s))
			return true;
	return false;
}

static void store_names_add(struct snames *ns, const char *s)
{
	ALLOC_GROW(ns->v, ns->n + 1, ns->alloc);
	ns->v[ns->n++] = s;
}

/*
 * The id of a theme, criterion or grid (kind names it in messages; index
 * finds an existing one). Returns NULL after reporting an invalid or
 * duplicate id; an invalid one is noted in bad so that references to it are
 * not reported as well.
 */
static const char *store_item_id(struct store_parse *p, const struct snode *n, const char *kind,
				 int (*index)(const struct board *, const char *),
				 const struct snode *const *ids, struct snames *bad)
{
	const char *id = store_string(p, n, "id", 0);
	int existing;

	if (!id)
		return NULL;
	if (!board_id_valid(id)) {
		store_err(p, n, "invalid %s id '%s' (ids are 1 to %d letters, digits, '-', '_' "
			  "or '.', starting with a letter or digit)",
			  kind, store_cut(p, id), BOARD_ID_MAX);
		store_names_add(bad, id);
		return NULL;
	}
	existing = index(p->b, id);
	if (existing >= 0) {
		store_err(p, n, "duplicate %s id '%s' (first at line %d)", kind, id,
			  ids[existing]->line);
		return NULL;
	}
	return id;
}

/* Reports a missing required key of an item (what: "theme"...). */
static void store_missing(struct store_parse *p, const struct snode *n, const char *key,
			  const char *what, const char *hint)
{
	store_err(p, n, "missing key '%s' in %s%s", key, what, hint);
}

/*
 * The items of list-valued key 'key' ('what' names them in messages), or
 * NULL (with *count = 0) when absent or null. Past max items (0: no limit),
 * reports it and gives the first max.
 */
static const struct snode *store_list(struct store_parse *p, const struct snode *v,
				      const char *key, const char *what, size_t max,
				      size_t *count)
{
	*count = 0;
	if (!store_present(v))
		return NULL;
	if (v->kind != SNODE_SEQ) {
		store_err(p, v, "'%s' must be a list, not %s", key, store_kind_name(v));
		return NULL;
	}
	*count = v->n;
	if (max && v->n > max) {
		store_err(p, v, "too many %s (%u, the limit is %zu)", what, v->n, max);
		*count = max;
	}
	return v->u.kids;
}

/* The colour named by n, or -1 after reporting why not. */
static int store_hue(struct store_parse *p, const struct snode *n)
{
	struct suggest sg;
	int hue, h;

	if (n->kind != SNODE_SCALAR) {
		store_err(p, n, "'color' must be a color name, not %s", store_kind_name(n));
		return -1;
	}
	if ((hue = hue_parse(n->u.s)) >= 0)
		return hue;
	suggest_init(&sg, n->u.s);
	for (h = 0; h < HUE_COUNT; h++)
		suggest_try(&sg, hue_name((enum hue)h));
	store_err(p, n, "unknown color '%s'%s", store_cut(p, n->u.s),
		  sg.best ? suggest_text(p, &sg)
			  : " (colors are black, red, green, yellow, blue, magenta, cyan and "
			    "white)");
	return -1;
}

/*
 * A timestamp for key 'what'; false after reporting why not. Years 1000 to
 * 9999 only: what iso8601_format() writes back as the same four-digit year.
 */
static bool store_time(struct store_parse *p, const struct snode *n, const char *what,
		       time_t *out)
{
	if (n->kind != SNODE_SCALAR || memchr(n->u.s, '\0', n->n) ||
	    !iso8601_parse(n->u.s, out) || (long long)*out < -30610224000LL ||
	    (long long)*out > 253402300799LL) {
		store_err(p, n, "'%s' must be a date and time such as 2019-06-28T10:12:00Z", what);
		return false;
	}
	return true;
}

/* A decision name for key 'what', or -1 after reporting why not. */
static int store_decision(struct store_parse *p, const struct snode *n, const char *what)
{
	int d = n->kind == SNODE_SCALAR ? decision_parse(n->u.s) : -1;

	if (d < 0)
		store_err(p, n, "'%s' must be undecided, v1, v2 or elsewhere", what);
	return d;
}

/*
 * The key node of the value node v that store_fields() handed out: keys and
 * values sit side by side in their mapping's children.
 */
static const struct snode *store_key_of(const struct snode *v)
{
	return v - 1;
}

enum ref_kind { REF_THEME, REF_CRITERION, REF_GRID };

static const char *const ref_kind_names[] = { "theme", "criterion", "grid" };

/* The ids a reference of that kind may name, and the invalid ones already reported. */
static size_t store_ref_ids(struct store_parse *p, enum ref_kind kind, size_t i,
			    const char **id, const struct snames **bad)
{
	const struct board *b = p->b;

	switch (kind) {
	case REF_THEME:
		*bad = &p->bad_themes;
		*id = i < b->nthemes ? b->themes[i].id : NULL;
		return b->nthemes;
	case REF_CRITERION:
		*bad = &p->bad_criteria;
		*id = i < b->ncriteria ? b->criteria[i].id : NULL;
		return b->ncriteria;
	default:
		*bad = &p->bad_grids;
		*id = i < b->ngrids ? b->grids[i].id : NULL;
		return b->ngrids;
	}
}

/* Reports a reference to an undefined item, unless that item was reported. */
static void store_unknown_ref(struct store_parse *p, const struct snode *n, enum ref_kind kind,
			      const char *name)
{
	const struct snames *bad;
	const char *id;
	struct suggest sg;
	size_t i, count = store_ref_ids(p, kind, 0, &id, &bad);

	if (store_names_has(bad, name))
		return;
	if (!store_errors_room(p->err)) {
		p->err->dropped++;
		return;
	}
	suggest_init(&sg, name);
	for (i = 0; i < count; i++) {
		store_ref_ids(p, kind, i, &id, &bad);
		suggest_try(&sg, id);
	}
	store_err(p, n, "unknown %s '%s'%s", ref_kind_names[kind], store_cut(p, name),
		  suggest_text(p, &sg));
}

static void store_themes(struct store_parse *p, const struct snode *v)
{
	static const char *const names[] = { "id", "label", "color" };
	const struct snode *items, *f[3];
	size_t count, i;

	items = store_list(p, v, "themes", "themes", STORE_MAX_THEMES, &count);
	p->theme_ids = xcalloc(count ? count : 1, sizeof(*p->theme_ids));
	for (i = 0; i < count; i++) {
		const struct snode *t = &items[i];
		const char *id = NULL, *label = NULL;
		int hue = HUE_WHITE;

		if (t->kind != SNODE_MAP) {
			store_err(p, t, "a theme must be a mapping with id, label and color");
			continue;
		}
		store_fields(p, t, names, 3, f);
		if (!f[0])
			store_missing(p, t, "id", "theme", "");
		else
			id = store_item_id(p, f[0], "theme", board_theme_index, p->theme_ids,
					   &p->bad_themes);
		if (!f[1])
			store_missing(p, t, "label", "theme", "");
		else
			label = store_string(p, f[1], "label", 0);
		if (!f[2])
			store_missing(p, t, "color", "theme", "");
		else if ((hue = store_hue(p, f[2])) < 0)
			hue = HUE_WHITE;
		if (id) {
			int at = board_add_theme(p->b, id, label ? label : "", (enum hue)hue);

			if (at >= 0)
				p->theme_ids[at] = f[0];
		}
	}
}

static void store_criteria(struct store_parse *p, const struct snode *v)
{
	static const char *const names[] = { "id", "low", "high", "easy" };
	const struct snode *items, *f[4];
	size_t count, i;

	items = store_list(p, v, "criteria", "criteria", STORE_MAX_CRITERIA, &count);
	p->criterion_ids = xcalloc(count ? count : 1, sizeof(*p->criterion_ids));
	for (i = 0; i < count; i++) {
		const struct snode *c = &items[i];
		const char *id = NULL, *low = NULL, *high = NULL;
		int easy = POLE_LOW;

		if (c->kind != SNODE_MAP) {
			store_err(p, c,
				  "a criterion must be a mapping with id, low, high and easy");
			continue;
		}
		store_fields(p, c, names, 4, f);
		if (!f[0])
			store_missing(p, c, "id", "criterion", "");
		else
			id = store_item_id(p, f[0], "criterion", board_criterion_index,
					   p->criterion_ids,
					   &p->bad_criteria);
		if (!f[1])
			store_missing(p, c, "low", "criterion", " (the name of the low pole)");
		else
			low = store_string(p, f[1], "low", 0);
		if (!f[2])
			store_missing(p, c, "high", "criterion", " (the name of the high pole)");
		else
			high = store_string(p, f[2], "high", 0);
		if (!f[3]) {
			store_missing(p, c, "easy", "criterion",
				      " (low or high: the pole easier to launch)");
		} else if (f[3]->kind != SNODE_SCALAR || (easy = pole_parse(f[3]->u.s)) < 0) {
			easy = POLE_LOW;
			store_err(p, f[3], "'easy' must be low or high");
		}
		if (id) {
			int at = board_add_criterion(p->b, id, low ? low : "", high ? high : "",
						     (enum pole)easy);

			if (at >= 0)
				p->criterion_ids[at] = f[0];
		}
	}
}

/* A grid's axis: the index of the criterion named by v, or -1. */
static int store_axis(struct store_parse *p, const struct snode *v, const char *what)
{
	const char *name = store_string(p, v, what, 0);
	int at;

	if (!name)
		return -1;
	at = board_criterion_index(p->b, name);
	if (at < 0)
		store_unknown_ref(p, v, REF_CRITERION, name);
	return at;
}

/*
 * Reads a cell [x, y] with x and y from 1 to cells. Returns NULL when it is
 * one, else the node at fault (v itself, or the bad coordinate).
 */
static const struct snode *store_xy(const struct snode *v, int cells, struct cell *out)
{
	long xy[2];
	int i;

	if (v->kind != SNODE_SEQ || v->n != 2)
		return v;
	for (i = 0; i < 2; i++)
		if (!store_int(&v->u.kids[i], &xy[i]) || xy[i] < 1 || xy[i] > cells)
			return &v->u.kids[i];
	out->x = (unsigned char)xy[0];
	out->y = (unsigned char)xy[1];
	return NULL;
}

enum { ZK_NAME, ZK_COLOR, ZK_EASY, ZK_CELLS, ZK_COUNT };

/*
 * The zones of grid g (-1 when the grid could not be made: the zones are
 * still checked, against its cells, but not added). Names are unique within
 * the grid, and a cell is in at most one zone.
 */
static void store_zones(struct store_parse *p, const struct snode *v, int g, int cells)
{
	static const char *const names[ZK_COUNT] = { "name", "color", "easy", "cells" };
	const struct snode *items, *f[ZK_COUNT], *seen[GRID_MAX_ZONES];
	const struct snode *owner[BOARD_MAX_CELLS][BOARD_MAX_CELLS]; /* the cell's [x, y] */
	const char *owner_name[BOARD_MAX_CELLS][BOARD_MAX_CELLS];
	size_t count, i, nseen = 0, j;

	memset(owner, 0, sizeof(owner));
	items = store_list(p, v, "zones", "zones", GRID_MAX_ZONES, &count);
	for (i = 0; i < count; i++) {
		const struct snode *z = &items[i];
		const char *name = NULL;
		struct cell list[BOARD_MAX_CELLS * BOARD_MAX_CELLS];
		size_t ncells = 0;
		bool easy = false, ok = true;
		int hue = -1;

		if (z->kind != SNODE_MAP) {
			store_err(p, z, "a zone must be a mapping with name, color and cells");
			continue;
		}
		store_fields(p, z, names, ZK_COUNT, f);
		if (!f[ZK_NAME]) {
			store_missing(p, z, "name", "zone", "");
			ok = false;
		} else if (!(name = store_string(p, f[ZK_NAME], "name", 0))) {
			ok = false;
		} else {
			for (j = 0; j < nseen; j++)
				if (!strcmp(seen[j]->u.s, name))
					break;
			if (j < nseen) {
				store_err(p, f[ZK_NAME], "duplicate zone name '%s' (first at "
					  "line %d)", store_cut(p, name), seen[j]->line);
				ok = false;
			} else {
				seen[nseen++] = f[ZK_NAME];
			}
		}
		if (!f[ZK_COLOR])
			store_missing(p, z, "color", "zone", "");
		else
			hue = store_hue(p, f[ZK_COLOR]);
		if (hue < 0)
			ok = false;
		if (store_present(f[ZK_EASY]) && !store_bool(f[ZK_EASY], &easy)) {
			store_err(p, f[ZK_EASY], "'easy' must be true or false");
			ok = false;
		}
		if (store_present(f[ZK_CELLS]) && f[ZK_CELLS]->kind != SNODE_SEQ) {
			store_err(p, f[ZK_CELLS], "'cells' must be a list of [x, y] cells, not %s",
				  store_kind_name(f[ZK_CELLS]));
			ok = false;
		} else if (store_present(f[ZK_CELLS])) {
			for (j = 0; j < f[ZK_CELLS]->n; j++) {
				const struct snode *c = &f[ZK_CELLS]->u.kids[j], *bad;
				struct cell xy;
				int x, y;

				if ((bad = store_xy(c, cells, &xy))) {
					store_err(p, bad, "a cell of a zone must be [x, y] with x "
						  "and y from 1 to %d", cells);
					ok = false;
					continue;
				}
				x = xy.x - 1;
				y = xy.y - 1;
				if (owner[y][x]) {
					store_err(p, c, "cell [%d, %d] is already in zone '%s' "
						  "(line %d)", xy.x, xy.y,
						  store_cut(p, owner_name[y][x]),
						  owner[y][x]->line);
					ok = false;
					continue;
				}
				owner[y][x] = c;
				owner_name[y][x] = name ? name : "?";
				list[ncells++] = xy; /* at most one per cell: no overflow */
			}
		}
		if (ok && g >= 0) {
			int at = grid_add_zone(p->b, (size_t)g, name, (enum hue)hue, easy);

			for (j = 0; at >= 0 && j < ncells; j++)
				grid_assign_cell(p->b, (size_t)g, at, list[j].x, list[j].y);
		}
	}
}

static void store_grids(struct store_parse *p, const struct snode *v)
{
	static const char *const names[] = { "id", "x", "y", "cells", "zones" };
	const struct snode *items, *f[5];
	size_t count, i;

	items = store_list(p, v, "grids", "grids", STORE_MAX_GRIDS, &count);
	p->grid_ids = xcalloc(count ? count : 1, sizeof(*p->grid_ids));
	for (i = 0; i < count; i++) {
		const struct snode *g = &items[i];
		const char *id = NULL;
		int x = -1, y = -1;
		long cells = BOARD_DEFAULT_CELLS;
		bool ok = true;

		if (g->kind != SNODE_MAP) {
			store_err(p, g, "a grid must be a mapping with id, x, y and cells");
			continue;
		}
		store_fields(p, g, names, 5, f);
		if (!f[0])
			store_missing(p, g, "id", "grid", "");
		else
			id = store_item_id(p, f[0], "grid", board_grid_index, p->grid_ids,
					   &p->bad_grids);
		if (!f[1])
			store_missing(p, g, "x", "grid", " (the criterion across)");
		else
			x = store_axis(p, f[1], "x");
		if (!f[2])
			store_missing(p, g, "y", "grid", " (the criterion up)");
		else
			y = store_axis(p, f[2], "y");
		if (x >= 0 && x == y) {
			store_err(p, f[2], "a grid must cross two different criteria ('%s' is "
				  "on both axes)", p->b->criteria[x].id);
			ok = false;
		}
		if (store_present(f[3]) && (!store_int(f[3], &cells) || cells < BOARD_MIN_CELLS ||
					    cells > BOARD_MAX_CELLS)) {
			store_err(p, f[3], "'cells' must be an integer from %d to %d",
				  BOARD_MIN_CELLS, BOARD_MAX_CELLS);
			cells = BOARD_DEFAULT_CELLS;
		}
		if (id && (x < 0 || y < 0 || !ok)) {
			/* Placements on a grid that could not be made are not checked. */
			store_names_add(&p->bad_grids, id);
			id = NULL;
		}
		if (id) {
			int at = board_add_grid(p->b, id, (size_t)x, (size_t)y, (int)cells);

			if (at >= 0)
				p->grid_ids[at] = f[0];
			store_zones(p, f[4], at, (int)cells);
		} else {
			store_zones(p, f[4], -1, (int)cells);
		}
	}
}

/* A valid card id met in the file, for finding duplicates by sorting. */
struct card_seen {
	uuid_t id;
	size_t index;  /* position in the cards list */
	int line, col; /* of the id */
};

static int card_seen_cmp(const void *a, const void *b)
{
	const struct card_seen *x = a, *y = b;
	int c = memcmp(x->id, y->id, sizeof(uuid_t));

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int store_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parses the 36-character form of a UUID (hex digits in either case, dashes
 * at 8, 13, 18 and 23), as uuid_parse() does but several times faster: it
 * runs once per card.
 */
static bool store_uuid_parse(const struct snode *n, uuid_t out)
{
	const char *s = n->u.s;
	size_t i, k = 0;

	if (n->kind != SNODE_SCALAR || n->n != CARD_UUID_LEN)
		return false;
	for (i = 0; i < CARD_UUID_LEN; i += 2) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
			i++;
		}
		hi = store_hex(s[i]);
		lo = store_hex(s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[k++] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

/*
 * The card's placements from its 'place' mapping into cells[] (one per grid,
 * zeroed by the caller). Returns false after reporting a problem.
 */
static bool store_card_place(struct store_parse *p, const struct snode *v, struct cell *cells)
{
	const struct snode **seen;
	bool ok = true;
	uint32_t i;

	if (!store_present(v))
		return true;
	if (v->kind != SNODE_MAP) {
		store_err(p, v, "'place' must be a mapping of grid ids to [x, y] cells, not %s",
			  store_kind_name(v));
		return false;
	}
	seen = xcalloc(p->b->ngrids ? p->b->ngrids : 1, sizeof(*seen));
	for (i = 0; i + 1 < v->n; i += 2) {
		const struct snode *key = &v->u.kids[i], *val = &v->u.kids[i + 1];
		const char *name = store_key(p, key);
		const struct grid *grid;
		long xy[2];
		int g;

		if (!name) {
			ok = false;
			continue;
		}
		g = board_grid_index(p->b, name);
		if (g < 0) {
			if (!store_names_has(&p->bad_grids, name))
				store_unknown_ref(p, key, REF_GRID, name);
			ok = false;
			continue;
		}
		if (seen[g]) {
			store_err(p, key, "duplicate key '%s' (first at line %d)", name,
				  seen[g]->line);
			ok = false;
			continue;
		}
		seen[g] = key;
		if (store_is_null(val))
			continue; /* in the tray */
		grid = &p->b->grids[g];
		if (val->kind != SNODE_SEQ || val->n != 2) {
			store_err(p, val, "the cell on grid '%s' must be [x, y] with x and y from "
				  "1 to %d", name, grid->cells);
			ok = false;
			continue;
		}
		if (!store_int(&val->u.kids[0], &xy[0]) || xy[0] < 1 || xy[0] > grid->cells) {
			store_err(p, &val->u.kids[0], "x on grid '%s' must be an integer from 1 "
				  "to %d", name, grid->cells);
			ok = false;
			continue;
		}
		if (!store_int(&val->u.kids[1], &xy[1]) || xy[1] < 1 || xy[1] > grid->cells) {
			store_err(p, &val->u.kids[1], "y on grid '%s' must be an integer from 1 "
				  "to %d", name, grid->cells);
			ok = false;
			continue;
		}
		cells[g].x = (unsigned char)xy[0];
		cells[g].y = (unsigned char)xy[1];
	}
	free(seen);
	return ok;
}

/* --- Cards ---------------------------------------------------------------- */

enum { EK_AT, EK_BY, EK_EVENT, EK_GRID, EK_FROM, EK_TO, EK_COUNT };

/*
 * A cell of a 'moved' event on grid g, from key 'what': [x, y] or the word
 * tray. False after reporting why not.
 */
static bool store_event_cell(struct store_parse *p, const struct snode *v, const char *what,
			     size_t g, struct cell *out)
{
	const struct grid *grid = &p->b->grids[g];
	const struct snode *bad;

	out->x = out->y = 0;
	if (v->kind == SNODE_SCALAR && store_key_is(v, "tray"))
		return true;
	if (!(bad = store_xy(v, grid->cells, out)))
		return true;
	store_err(p, bad, "'%s' on grid '%s' must be [x, y] with x and y from 1 to %d, or tray",
		  what, grid->id, grid->cells);
	return false;
}

/* Reports a key that the event's kind does not use. */
static void store_event_extra(struct store_parse *p, const struct snode *v, const char *key,
			      int kind)
{
	if (store_present(v))
		store_err(p, store_key_of(v), "'%s' is not used by a '%s' event", key,
			  event_name((enum event_kind)kind));
}

/*
 * One event of a card's history into *e ('by' points into the tree). False
 * after reporting a problem.
 */
static bool store_event(struct store_parse *p, const struct snode *n, struct card_event *e)
{
	static const char *const names[EK_COUNT] = { "at", "by", "event", "grid", "from", "to" };
	const struct snode *f[EK_COUNT];
	bool ok = true;
	int kind = -1, g;

	memset(e, 0, sizeof(*e));
	if (n->kind != SNODE_MAP) {
		store_err(p, n, "a history event must be a mapping with at and event");
		return false;
	}
	store_fields(p, n, names, EK_COUNT, f);
	if (!f[EK_AT]) {
		store_missing(p, n, "at", "history event", "");
		ok = false;
	} else if (!store_time(p, f[EK_AT], "at", &e->at)) {
		ok = false;
	}
	if (store_present(f[EK_BY]) && !(e->by = (char *)store_string(p, f[EK_BY], "by", 0)))
		ok = false;
	if (!f[EK_EVENT]) {
		store_missing(p, n, "event", "history event", "");
		return false;
	}
	if (f[EK_EVENT]->kind == SNODE_SCALAR)
		kind = event_parse(f[EK_EVENT]->u.s);
	if (kind < 0) {
		struct suggest sg;
		int k;

		if (f[EK_EVENT]->kind != SNODE_SCALAR) {
			store_err(p, f[EK_EVENT], "'event' must be an event name, not %s",
				  store_kind_name(f[EK_EVENT]));
			return false;
		}
		suggest_init(&sg, f[EK_EVENT]->u.s);
		for (k = 0; k < EVENT_COUNT; k++)
			suggest_try(&sg, event_name((enum event_kind)k));
		store_err(p, f[EK_EVENT], "unknown event '%s'%s", store_cut(p, f[EK_EVENT]->u.s),
			  sg.best ? suggest_text(p, &sg)
				  : " (events are created, moved, edited, themed, noted, decided, "
				    "locked and unlocked)");
		return false;
	}
	e->kind = (enum event_kind)kind;

	if (kind == EVENT_MOVED) {
		const char *name = NULL;

		if (!store_present(f[EK_GRID])) {
			store_missing(p, n, "grid", "a 'moved' event", "");
			return false;
		}
		if (!(name = store_string(p, f[EK_GRID], "grid", 0)))
			return false;
		if ((g = board_grid_index(p->b, name)) < 0) {
			store_unknown_ref(p, f[EK_GRID], REF_GRID, name);
			return false;
		}
		e->grid = (size_t)g;
		if (!f[EK_FROM]) {
			store_missing(p, n, "from", "a 'moved' event", " ([x, y] or tray)");
			ok = false;
		} else if (!store_event_cell(p, f[EK_FROM], "from", e->grid, &e->from)) {
			ok = false;
		}
		if (!f[EK_TO]) {
			store_missing(p, n, "to", "a 'moved' event", " ([x, y] or tray)");
			ok = false;
		} else if (!store_event_cell(p, f[EK_TO], "to", e->grid, &e->to)) {
			ok = false;
		}
		return ok;
	}
	store_event_extra(p, f[EK_GRID], "grid", kind);
	if (kind != EVENT_DECIDED) {
		store_event_extra(p, f[EK_FROM], "from", kind);
		store_event_extra(p, f[EK_TO], "to", kind);
		return ok && !store_present(f[EK_GRID]) && !store_present(f[EK_FROM]) &&
		       !store_present(f[EK_TO]);
	}
	if (!f[EK_FROM]) {
		store_missing(p, n, "from", "a 'decided' event", " (the decision before)");
		ok = false;
	} else if ((g = store_decision(p, f[EK_FROM], "from")) < 0) {
		ok = false;
	} else {
		e->dfrom = (enum decision)g;
	}
	if (!f[EK_TO]) {
		store_missing(p, n, "to", "a 'decided' event", " (the decision made)");
		ok = false;
	} else if ((g = store_decision(p, f[EK_TO], "to")) < 0) {
		ok = false;
	} else {
		e->dto = (enum decision)g;
	}
	return ok && !store_present(f[EK_GRID]);
}

/* A card's history into p->events[0..*n). False after reporting a problem. */
static bool store_card_history(struct store_parse *p, const struct snode *v, size_t *n)
{
	const struct snode *items;
	size_t count, i;
	bool ok = true;

	*n = 0;
	items = store_list(p, v, "history", "history events", CARD_HISTORY_MAX, &count);
	if (store_present(v) && (v->kind != SNODE_SEQ || v->n > CARD_HISTORY_MAX))
		ok = false;
	if (!count)
		return ok;
	if (!p->events)
		p->events = xcalloc(CARD_HISTORY_MAX, sizeof(*p->events));
	for (i = 0; i < count; i++)
		if (!store_event(p, &items[i], &p->events[i]))
			ok = false;
	*n = count;
	return ok;
}

enum { CK_ID, CK_TEXT, CK_THEME, CK_BY, CK_PAIR, CK_CREATED, CK_NOTE, CK_DECISION, CK_LOCKED,
       CK_DEBATED, CK_PLACE, CK_HISTORY, CK_COUNT };

/* A card read from the file, checked: strings point into the tree. */
struct scard {
	uuid_t id;
	const char *text, *by, *pair, *note;
	int theme;
	time_t created;
	enum decision decision;
	bool locked, debated;
	size_t nevents; /* history in p->events, placements in p->cells */
};

/*
 * Checks card mapping c into *sc (whose id is set by the caller when uu_ok),
 * reporting every problem under p->prefix. True when the card can be made.
 */
static bool store_card_check(struct store_parse *p, const struct snode *c, bool uu_ok,
			     struct scard *sc)
{
	static const char *const names[CK_COUNT] = {
		"id", "text", "theme", "by", "pair", "created", "note", "decision", "locked",
		"debated", "place", "history",
	};
	const struct snode *f[CK_COUNT];
	const char *s;
	bool ok = true;
	int d;

	sc->text = sc->by = sc->pair = sc->note = NULL;
	sc->theme = -1;
	sc->created = 0;
	sc->decision = DECISION_UNDECIDED;
	sc->locked = sc->debated = false;
	sc->nevents = 0;
	if (c->kind != SNODE_MAP) {
		store_err(p, c, "must be a mapping with id, text and theme");
		return false;
	}
	store_fields(p, c, names, CK_COUNT, f);

	if (!f[CK_ID]) {
		store_err(p, c, "missing key 'id' (a UUID, as made by uuidgen)");
		ok = false;
	} else if (!uu_ok) {
		if (f[CK_ID]->kind == SNODE_SCALAR && !store_is_null(f[CK_ID]))
			store_err(p, f[CK_ID], "invalid id '%s' (a card id is a UUID such as "
				  "6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f)",
				  store_cut(p, f[CK_ID]->u.s));
		else
			store_err(p, f[CK_ID], "'id' must be a UUID, not %s",
				  store_kind_name(f[CK_ID]));
		ok = false;
	}

	if (!f[CK_TEXT]) {
		store_err(p, c, "missing key 'text'");
		ok = false;
	} else if (!(sc->text = store_string(p, f[CK_TEXT], "text", STR_FREE))) {
		ok = false;
	}

	if (!f[CK_THEME]) {
		store_err(p, c, "missing key 'theme'");
		ok = false;
	} else if (!(s = store_string(p, f[CK_THEME], "theme", 0))) {
		ok = false;
	} else if ((sc->theme = board_theme_index(p->b, s)) < 0) {
		store_unknown_ref(p, f[CK_THEME], REF_THEME, s);
		ok = false;
	}

	if (store_present(f[CK_BY]) && !(sc->by = store_string(p, f[CK_BY], "by", 0)))
		ok = false;
	if (store_present(f[CK_PAIR]) && !(sc->pair = store_string(p, f[CK_PAIR], "pair", 0)))
		ok = false;
	if (store_present(f[CK_NOTE]) &&
	    !(sc->note = store_string(p, f[CK_NOTE], "note", STR_FREE)))
		ok = false;
	if (store_present(f[CK_CREATED]) && !store_time(p, f[CK_CREATED], "created", &sc->created))
		ok = false;
	if (store_present(f[CK_DECISION])) {
		if ((d = store_decision(p, f[CK_DECISION], "decision")) < 0)
			ok = false;
		else
			sc->decision = (enum decision)d;
	}
	if (store_present(f[CK_LOCKED]) && !store_bool(f[CK_LOCKED], &sc->locked)) {
		store_err(p, f[CK_LOCKED], "'locked' must be true or false");
		ok = false;
	}
	if (store_present(f[CK_DEBATED]) && !store_bool(f[CK_DEBATED], &sc->debated)) {
		store_err(p, f[CK_DEBATED], "'debated' must be true or false");
		ok = false;
	}
	if (!p->cells)
		p->cells = xcalloc(p->b->ngrids ? p->b->ngrids : 1, sizeof(*p->cells));
	memset(p->cells, 0, p->b->ngrids * sizeof(*p->cells));
	if (!store_card_place(p, f[CK_PLACE], p->cells))
		ok = false;
	if (!store_card_history(p, f[CK_HISTORY], &sc->nevents))
		ok = false;
	return ok;
}

/* Gives card (made with sc's id, text and theme) the rest of sc, through the model. */
static void store_card_fill(struct store_parse *p, struct card *card, const struct scard *sc)
{
	size_t i;

	card_set_by(card, sc->by);
	card_set_pair(card, sc->pair);
	card_set_note(card, sc->note);
	card->created = sc->created;
	card->decision = sc->decision;
	card->locked = sc->locked;
	card->debated_mark = sc->debated;
	memcpy(card->place, p->cells, p->b->ngrids * sizeof(*p->cells));
	if (sc->nevents > card->history_alloc) {
		/* Exactly the events read: most cards never gain another. */
		card->history = xreallocarray(card->history, sc->nevents, sizeof(*card->history));
		card->history_alloc = sc->nevents;
	}
	for (i = 0; i < sc->nevents; i++) {
		const struct card_event *from = &p->events[i];
		struct card_event *e = card_record(card, from->kind, from->at, from->by);

		e->grid = from->grid;
		e->from = from->from;
		e->to = from->to;
		e->dfrom = from->dfrom;
		e->dto = from->dto;
	}
}

/* --- Comments: from anchors to paths in the model ----------------------- */

/*
 * Appends the path segment of a card's history event at 'at' (comments.h):
 * its time, and +k for the k-th other event at that time.
 */
static void store_history_key(struct strbuf *path, time_t at, unsigned k)
{
	char seg[48];

	if (k)
		snprintf(seg, sizeof(seg), "%lld+%u", (long long)at, k);
	else
		snprintf(seg, sizeof(seg), "%lld", (long long)at);
	comments_path_add(path, seg);
}

/* The comments of the anchor of node n (a list item, or a mapping key), or NULL. */
static struct snote *snotes_find(struct snotes *c, const struct snode *n, bool item)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct snote *t = &c->v[mid];

		/* An item comes before its first key, which starts at the same place. */
		if (t->line == n->line && t->col == n->col && t->item == item)
			return t->taken ? NULL : &c->v[mid];
		if (spos_before(t->line, t->col, n->line, n->col) ||
		    (t->line == n->line && t->col == n->col && t->item))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Moves one anchor's comments to path in dst; with under, the anchor is
 * inside what path names: its lines go below path.
 */
static void snotes_take(struct snotes *c, const struct snode *n, bool item, struct comments *dst,
			const char *path, bool under)
{
	struct snote *t = snotes_find(c, n, item);

	if (!t)
		return;
	t->taken = true;
	/* A comment at the end of a line stays at the end of one while it can. */
	comments_add(dst, path, under ? COMMENT_BELOW : COMMENT_BEFORE, t->before.buf);
	comments_add(dst, path, COMMENT_AFTER, t->after.buf);
	comments_add(dst, path, COMMENT_BELOW, t->below.buf);
}

/*
 * What a collection is in the format, for naming its keys and items. A key
 * or item the format does not name (inside a value: the items of a zone's
 * 'cells' written as a block list...) gives its comments to the nearest one
 * that it does, below it, where the writer puts what it holds.
 */
enum swhere {
	SW_VALUE,    /* nothing inside is named */
	SW_BOARD,    /* the root: keys */
	SW_ITEM,     /* a theme, criterion, zone or decision: keys */
	SW_GRID,     /* keys; 'zones' */
	SW_CARD,     /* keys; 'place', 'history' */
	SW_PLACE,    /* keys: grid ids */
	SW_BY_ID,    /* themes, criteria: items by their id */
	SW_GRIDS,    /* items by their id */
	SW_ZONES,    /* items by their name */
	SW_KEYS,     /* facilitator keys: items by their name */
	SW_NAMES,    /* facilitators: items by their value */
	SW_LOG,      /* decisions: items by their place in the list */
	SW_HISTORY,  /* items by their time */
};

/* What the value of key in a collection of kind w is. */
static enum swhere snotes_key_where(enum swhere w, const struct snode *key)
{
	switch (w) {
	case SW_BOARD:
		if (store_key_is(key, "themes") || store_key_is(key, "criteria"))
			return SW_BY_ID;
		if (store_key_is(key, "grids"))
			return SW_GRIDS;
		if (store_key_is(key, "facilitators"))
			return SW_NAMES;
		if (store_key_is(key, "facilitator_keys"))
			return SW_KEYS;
		if (store_key_is(key, "decisions"))
			return SW_LOG;
		return SW_VALUE;
	case SW_GRID:
		return store_key_is(key, "zones") ? SW_ZONES : SW_VALUE;
	case SW_CARD:
		if (store_key_is(key, "place"))
			return SW_PLACE;
		return store_key_is(key, "history") ? SW_HISTORY : SW_VALUE;
	default:
		return SW_VALUE;
	}
}

/* The time of history event n, read again: false when it has none. */
static bool snotes_event_time(const struct snode *n, time_t *at)
{
	const struct snode *v = store_map_get(n, "at");

	return v && v->kind == SNODE_SCALAR && iso8601_parse(v->u.s, at);
}

/*
 * Appends the path segment of item i of a list of kind w to path, and says
 * what the item is; SW_VALUE (nothing appended) when the list does not name
 * its items. For SW_HISTORY, the items before i are looked at too.
 */
static enum swhere snotes_item(enum swhere w, const struct snode *items, uint32_t i,
			       struct strbuf *path)
{
	const struct snode *it = &items[i], *name;
	char num[32];
	time_t at, other;
	uint32_t j, k = 0;

	switch (w) {
	case SW_BY_ID:
	case SW_GRIDS:
	case SW_ZONES:
	case SW_KEYS:
		name = store_map_get(it, w == SW_ZONES || w == SW_KEYS ? "name" : "id");
		if (!name || name->kind != SNODE_SCALAR)
			return SW_VALUE;
		comments_path_add(path, name->u.s);
		return w == SW_GRIDS ? SW_GRID : SW_ITEM;
	case SW_NAMES:
		if (it->kind != SNODE_SCALAR)
			return SW_VALUE;
		comments_path_add(path, it->u.s);
		return SW_VALUE;
	case SW_LOG:
		snprintf(num, sizeof(num), "%u", i);
		comments_path_add(path, num);
		return SW_ITEM;
	case SW_HISTORY:
		if (!snotes_event_time(it, &at))
			return SW_VALUE;
		for (j = 0; j < i; j++)
			k += snotes_event_time(&items[j], &other) && other == at;
		store_history_key(path, at, k);
		return SW_VALUE;
	default:
		return SW_VALUE;
	}
}

/*
 * Moves the comments of the anchors inside n, a collection of kind w named
 * path, to dst: each to its own path, or below path when w does not name it.
 */
static void snotes_walk(struct snotes *c, const struct snode *n, enum swhere w,
			struct comments *dst, struct strbuf *path)
{
	bool keys = w == SW_BOARD || w == SW_ITEM || w == SW_GRID || w == SW_CARD ||
		    w == SW_PLACE;
	size_t base = path->len;
	uint32_t i;

	if (n->kind == SNODE_MAP) {
		for (i = 0; i + 1 < n->n; i += 2) {
			const struct snode *k = &n->u.kids[i], *v = &n->u.kids[i + 1];
			bool named = keys && k->kind == SNODE_SCALAR;
			enum swhere sub = SW_VALUE;

			if (named) {
				comments_path_add(path, k->u.s);
				sub = snotes_key_where(w, k);
			}
			snotes_take(c, k, false, dst, path->buf, !named);
			/* Cards are items of their own (snotes_card()). */
			if (!(w == SW_BOARD && named && store_key_is(k, "cards")))
				snotes_walk(c, v, sub, dst, path);
			strbuf_setlen(path, base);
		}
	} else if (n->kind == SNODE_SEQ) {
		for (i = 0; i < n->n; i++) {
			const struct snode *it = &n->u.kids[i];
			enum swhere sub = keys ? SW_VALUE : snotes_item(w, n->u.kids, i, path);
			bool named = path->len != base;

			snotes_take(c, it, true, dst, path->buf, !named);
			snotes_walk(c, it, sub, dst, path);
			strbuf_setlen(path, base);
		}
	}
}

/* True when some comments not taken yet belong to n or what follows it. */
static bool snotes_from(const struct snotes *c, const struct snode *n)
{
	const struct snote *t = c->n ? &c->v[c->n - 1] : NULL;

	return t && !spos_before(t->line, t->col, n->line, n->col);
}

/* Forgets the anchors whose comments were taken. */
static void snotes_compact(struct snotes *c)
{
	size_t i, k = 0;

	for (i = 0; i < c->n; i++) {
		if (c->v[i].taken) {
			strbuf_release(&c->v[i].before);
			strbuf_release(&c->v[i].after);
			strbuf_release(&c->v[i].below);
		} else {
			c->v[k++] = c->v[i];
		}
	}
	c->n = k;
}

/* The comments of card c (its item and what it holds) into card. */
static void snotes_card(struct store_parse *p, const struct snode *c, struct card *card)
{
	struct strbuf path = STRBUF_INIT;
	struct comments *cm;

	if (!snotes_from(&p->notes, c))
		return;
	cm = comments_new();
	snotes_take(&p->notes, c, true, cm, "", false);
	snotes_walk(&p->notes, c, SW_CARD, cm, &path);
	if (cm->n)
		card->comments = cm;
	else
		comments_free(cm);
	snotes_compact(&p->notes);
	strbuf_release(&path);
}

/*
 * The rest of the comments into the board read: the head and tail of the
 * file, the board's keys and what they hold. Any anchor left (none should
 * be) gives its comments to the tail: never lost.
 */
static void snotes_board(struct store_parse *p)
{
	struct snotes *c = &p->notes;
	struct strbuf path = STRBUF_INIT;
	size_t i;

	comments_add(&p->b->comments, "", COMMENT_BEFORE, c->head.buf);
	if (c->n && p->have_root)
		snotes_walk(c, &p->root, SW_BOARD, &p->b->comments, &path);
	for (i = 0; i < c->n; i++) {
		if (c->v[i].taken)
			continue;
		comments_add(&p->b->comments, "", COMMENT_BELOW, c->v[i].before.buf);
		comments_add(&p->b->comments, "", COMMENT_BELOW, c->v[i].after.buf);
		comments_add(&p->b->comments, "", COMMENT_BELOW, c->v[i].below.buf);
	}
	comments_add(&p->b->comments, "", COMMENT_BELOW, c->tail.buf);
	strbuf_release(&path);
}

/*
 * Sets p->prefix for the messages about card c (the index-th of its list, or
 * the only one for (size_t)-1): its short id when it has a valid one (then in
 * *uu, and true).
 */
static bool store_card_prefix(struct store_parse *p, const struct snode *c, size_t index,
			      char *prefix, size_t size, uuid_t uu, const struct snode **idn)
{
	bool uu_ok;

	*idn = store_map_get(c, "id");
	uu_ok = *idn && store_uuid_parse(*idn, uu);
	if (uu_ok)
		snprintf(prefix, size, "card %02x%02x%02x%02x: ", uu[0], uu[1], uu[2], uu[3]);
	else if (index == (size_t)-1)
		snprintf(prefix, size, "card: ");
	else
		snprintf(prefix, size, "card #%zu: ", index + 1);
	p->prefix = prefix;
	return uu_ok;
}

/*
 * One item of the cards list. A valid card is added to the board; a card
 * whose id is already on the board is not, and is reported with every other
 * duplicate by store_cards_end().
 */
static void store_card(struct store_parse *p, const struct snode *c)
{
	const struct snode *idn;
	size_t index = p->ncards++;
	struct scard sc;
	struct card *card;
	char prefix[32];
	bool uu_ok, ok;

	/* Every message names the card, by its short id when it has one. */
	uu_ok = store_card_prefix(p, c, index, prefix, sizeof(prefix), sc.id, &idn);
	if (uu_ok) {
		struct card_seen *cs;

		ALLOC_GROW(p->seen, p->nseen + 1, p->seen_alloc);
		cs = &p->seen[p->nseen++];
		memcpy(cs->id, sc.id, sizeof(uuid_t));
		cs->index = index;
		cs->line = idn->line;
		cs->col = idn->col;
	}
	ok = store_card_check(p, c, uu_ok, &sc);
	p->prefix = NULL;
	if (!ok || !(card = board_add_card(p->b, sc.id, sc.text, (size_t)sc.theme)))
		return;
	store_card_fill(p, card, &sc);
	if (p->notes.on)
		snotes_card(p, c, card);
}

/* The cards list from the tree, unless it was checked while reading. */
static void store_cards(struct store_parse *p, const struct snode *v)
{
	const struct snode *items;
	size_t count, i;

	if (v && v->kind == SNODE_SEQ && v->style == SSTYLE_STREAMED)
		return;
	items = store_list(p, v, "cards", "cards", 0, &count);
	for (i = 0; i < count; i++)
		store_card(p, &items[i]);
}

/*
 * Duplicate card ids, once every card is known: by sorting, n log n whatever
 * the ids (no hash for a hostile file to flood). Every card after the first
 * with an id is reported, pointing back at the first.
 */
static void store_cards_end(struct store_parse *p)
{
	size_t i, j;

	if (!p->nseen)
		return;
	qsort(p->seen, p->nseen, sizeof(*p->seen), card_seen_cmp);
	for (i = 0; i < p->nseen; i = j) {
		const struct card_seen *first = &p->seen[i];

		for (j = i + 1; j < p->nseen && !memcmp(p->seen[j].id, first->id, sizeof(uuid_t));
		     j++) {
			char prefix[32];

			snprintf(prefix, sizeof(prefix), "card %02x%02x%02x%02x: ", first->id[0],
				 first->id[1], first->id[2], first->id[3]);
			p->prefix = prefix;
			store_err_at(p, p->seen[j].line, p->seen[j].col,
				     "duplicate id (first at line %d)", first->line);
			p->prefix = NULL;
		}
	}
}

/*
 * Called when a list starts at depth 1. When it is the value of the root's
 * first 'cards' key, and themes, criteria and grids came before it (and the
 * version, if given, is one this tamis reads), checks those now so that the
 * cards can be checked one by one as they come. Returns true to stream.
 */
static bool store_prelude(struct store_parse *p)
{
	const struct slevel *root = &p->levels[0];
	const struct snode *themes = NULL, *criteria = NULL, *grids = NULL, *ver = NULL;
	long version;
	size_t i;

	if (root->head.kind != SNODE_MAP || root->n % 2 != 1 ||
	    !store_key_is(&root->v[root->n - 1], "cards"))
		return false;
	for (i = 0; i + 1 < root->n; i += 2) {
		const struct snode *k = &root->v[i], *v = &root->v[i + 1];

		if (store_key_is(k, "cards"))
			return false; /* a second 'cards': left to the checks on the tree */
		if (store_key_is(k, "themes") && !themes)
			themes = v;
		else if (store_key_is(k, "criteria") && !criteria)
			criteria = v;
		else if (store_key_is(k, "grids") && !grids)
			grids = v;
		else if (store_key_is(k, "tamis") && !ver)
			ver = v;
	}
	if (!themes || !criteria || !grids)
		return false;
	if (ver && (!store_int(ver, &version) || version != STORE_FORMAT_VERSION))
		return false;
	p->err_n = p->err->n;
	p->err_dropped = p->err->dropped;
	p->b = board_new("");
	store_themes(p, themes);
	store_criteria(p, criteria);
	store_grids(p, grids);
	p->prelude_done = true;
	return true;
}

/* Accounts allowed to facilitate: names without control characters, each once. */
static void store_facilitators(struct store_parse *p, const struct snode *v)
{
	const struct snode *items;
	size_t count, i, j;

	items = store_list(p, v, "facilitators", "facilitators", STORE_MAX_FACILITATORS, &count);
	for (i = 0; i < count; i++) {
		const struct snode *n = &items[i];
		const char *name;

		if (n->kind != SNODE_SCALAR || store_is_null(n)) {
			store_err(p, n, "a facilitator must be an account name, not %s",
				  store_kind_name(n));
			continue;
		}
		if (!(name = store_string(p, n, "facilitators", 0)))
			continue;
		for (j = 0; j < i; j++)
			if (store_key_is(&items[j], name))
				break;
		if (j < i) {
			store_err(p, n, "duplicate facilitator '%s' (first at line %d)",
				  store_cut(p, name), items[j].line);
			continue;
		}
		board_add_facilitator(p->b, name);
	}
}

enum { FK_NAME, FK_KEY, FK_ADDED, FK_COUNT };

/* The facilitators' public keys: one per name. */
static void store_facilitator_keys(struct store_parse *p, const struct snode *v)
{
	static const char *const names[FK_COUNT] = { "name", "key", "added" };
	const struct snode *items, *f[FK_COUNT];
	size_t count, i, j;

	items = store_list(p, v, "facilitator_keys", "facilitator keys", STORE_MAX_FACILITATORS,
			   &count);
	for (i = 0; i < count; i++) {
		const struct snode *n = &items[i];
		const char *name = NULL, *key = NULL;
		time_t added = 0;
		bool ok = true;

		if (n->kind != SNODE_MAP) {
			store_err(p, n, "a facilitator key must be a mapping with name and key");
			continue;
		}
		store_fields(p, n, names, FK_COUNT, f);
		if (!f[FK_NAME]) {
			store_missing(p, n, "name", "a facilitator key", " (who signs with it)");
			ok = false;
		} else if (!(name = store_string(p, f[FK_NAME], "name", 0))) {
			ok = false;
		}
		if (!f[FK_KEY]) {
			store_missing(p, n, "key", "a facilitator key", " (the public key)");
			ok = false;
		} else if (!(key = store_key_id(p, f[FK_KEY], "key"))) {
			ok = false;
		}
		if (store_present(f[FK_ADDED]) && !store_time(p, f[FK_ADDED], "added", &added))
			ok = false;
		for (j = 0; name && j < i; j++) {
			const struct snode *other = store_map_get(&items[j], "name");

			if (other && store_key_is(other, name)) {
				store_err(p, f[FK_NAME], "duplicate facilitator key for '%s' (first at "
					  "line %d): one key per name", store_cut(p, name),
					  other->line);
				ok = false;
				break;
			}
		}
		if (ok)
			board_add_key(p->b, name, key, added);
	}
}

enum { DK_AT, DK_BY, DK_CARD, DK_TEXT, DK_FROM, DK_TO, DK_RATIONALE, DK_KEY, DK_SIG, DK_COUNT };

/* The decision log. An entry may name a card that is no longer on the board. */
static void store_decisions(struct store_parse *p, const struct snode *v)
{
	static const char *const names[DK_COUNT] = { "at", "by", "card", "text", "from", "to",
						     "rationale", "key", "sig" };
	const struct snode *items, *f[DK_COUNT];
	size_t count, i;

	items = store_list(p, v, "decisions", "decisions", 0, &count);
	for (i = 0; i < count; i++) {
		const struct snode *n = &items[i];
		struct decision_entry d;
		bool ok = true;
		int k;

		memset(&d, 0, sizeof(d));
		if (n->kind != SNODE_MAP) {
			store_err(p, n, "a decision must be a mapping with at, card, text, from "
				  "and to");
			continue;
		}
		store_fields(p, n, names, DK_COUNT, f);
		if (!f[DK_AT]) {
			store_missing(p, n, "at", "decision", " (when it was made)");
			ok = false;
		} else if (!store_time(p, f[DK_AT], "at", &d.at)) {
			ok = false;
		}
		if (store_present(f[DK_BY]) && !(d.by = (char *)store_string(p, f[DK_BY], "by", 0)))
			ok = false;
		if (!f[DK_CARD]) {
			store_missing(p, n, "card", "decision", " (the card's id)");
			ok = false;
		} else if (!store_uuid_parse(f[DK_CARD], d.card)) {
			if (f[DK_CARD]->kind == SNODE_SCALAR && !store_is_null(f[DK_CARD]))
				store_err(p, f[DK_CARD], "invalid card id '%s' (a card id is a "
					  "UUID such as 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f)",
					  store_cut(p, f[DK_CARD]->u.s));
			else
				store_err(p, f[DK_CARD], "'card' must be a UUID, not %s",
					  store_kind_name(f[DK_CARD]));
			ok = false;
		}
		if (!f[DK_TEXT]) {
			store_missing(p, n, "text", "decision", " (the card's text)");
			ok = false;
		} else if (!(d.text = (char *)store_string(p, f[DK_TEXT], "text", STR_FREE))) {
			ok = false;
		}
		if (!f[DK_FROM]) {
			store_missing(p, n, "from", "decision", " (the decision before)");
			ok = false;
		} else if ((k = store_decision(p, f[DK_FROM], "from")) < 0) {
			ok = false;
		} else {
			d.from = (enum decision)k;
		}
		if (!f[DK_TO]) {
			store_missing(p, n, "to", "decision", " (the decision made)");
			ok = false;
		} else if ((k = store_decision(p, f[DK_TO], "to")) < 0) {
			ok = false;
		} else {
			d.to = (enum decision)k;
		}
		if (store_present(f[DK_RATIONALE]) &&
		    !(d.rationale = (char *)store_string(p, f[DK_RATIONALE], "rationale",
							 STR_FREE)))
			ok = false;
		if (store_present(f[DK_KEY]) && !(d.key = (char *)store_key_id(p, f[DK_KEY], "key")))
			ok = false;
		if (store_present(f[DK_SIG]) && !(d.sig = (char *)store_sig(p, f[DK_SIG], "sig")))
			ok = false;
		if (ok && !d.key != !d.sig) {
			store_err(p, d.key ? f[DK_KEY] : f[DK_SIG], "a decision's 'key' and 'sig' go "
				  "together (the signature and the key it verifies with)");
			ok = false;
		}
		if (ok)
			board_log_decision(p->b, &d);
	}
}

enum { TK_TAMIS, TK_TITLE, TK_DESCRIPTION, TK_FACILITATORS, TK_FACILITATOR_KEYS, TK_THEMES,
       TK_CRITERIA, TK_GRIDS, TK_CARDS, TK_DECISIONS, TK_COUNT };

/* Step 3: the tree (and what streaming left of it) into a board, in p->b. */
static void store_validate(struct store_parse *p)
{
	static const char *const names[TK_COUNT] = { "tamis", "title", "description",
						     "facilitators", "facilitator_keys", "themes",
						     "criteria", "grids", "cards", "decisions" };
	const struct snode *root = &p->root, *f[TK_COUNT], *ver;
	const char *title = NULL, *description = NULL;
	long version;

	if (!p->have_root) {
		store_err_nowhere(p, "", " holds no board (it is empty or only comments)");
		return;
	}
	if (root->kind != SNODE_MAP) {
		store_err(p, root, "a board must be a mapping of keys (tamis, title, themes, "
			  "criteria, grids, cards), not %s", store_kind_name(root));
		return;
	}
	if (!p->prelude_done) {
		p->err_n = p->err->n;
		p->err_dropped = p->err->dropped;
	}
	/*
	 * A file from a newer tamis may use keys or values this one does not
	 * know: an unsupported version is the only problem reported (streaming
	 * only started once a version given before the cards was known good).
	 */
	ver = store_map_get(root, "tamis");
	if (ver) {
		if (!store_int(ver, &version)) {
			store_err(p, ver, "'tamis' must be the format version, %d",
				  STORE_FORMAT_VERSION);
		} else if (version != STORE_FORMAT_VERSION) {
			store_errors_truncate(p->err, p->err_n, p->err_dropped);
			store_err(p, ver,
				  "unsupported format version %ld (this tamis reads version %d)",
				  version, STORE_FORMAT_VERSION);
			return;
		}
	}
	store_fields(p, root, names, TK_COUNT, f);
	if (!f[TK_TAMIS])
		store_err(p, root, "missing key 'tamis' (the format version: start the file with "
			  "'tamis: %d')", STORE_FORMAT_VERSION);
	if (!f[TK_TITLE])
		store_err(p, root, "missing key 'title'");
	else
		title = store_string(p, f[TK_TITLE], "title", 0);
	if (store_present(f[TK_DESCRIPTION]))
		description = store_string(p, f[TK_DESCRIPTION], "description", STR_FREE);

	if (!p->prelude_done) {
		p->b = board_new("");
		store_themes(p, f[TK_THEMES]);
		store_criteria(p, f[TK_CRITERIA]);
		store_grids(p, f[TK_GRIDS]);
	}
	board_set_title(p->b, title ? title : "");
	if (description)
		board_set_description(p->b, description);
	store_facilitators(p, f[TK_FACILITATORS]);
	store_facilitator_keys(p, f[TK_FACILITATOR_KEYS]);
	store_cards(p, f[TK_CARDS]);
	store_cards_end(p);
	store_decisions(p, f[TK_DECISIONS]);
}

void board_lines_release(struct board_lines *l)
{
	free(l->themes);
	free(l->criteria);
	free(l->grids);
	memset(l, 0, sizeof(*l));
}

/* The line of each item's id node, index-aligned with the board's array. */
static int *store_item_lines(const struct snode **ids, size_t n)
{
	int *v = xcalloc(n ? n : 1, sizeof(*v));
	size_t i;

	for (i = 0; ids && i < n; i++)
		v[i] = ids[i] ? ids[i]->line : 0;
	return v;
}

/*
 * Steps 1 to 3 on p->in, and the end of every board parse. From a reader,
 * the bytes are checked as they are read: libyaml stops at the first byte
 * problem, the rest is read and checked all the same, and then only the byte
 * problems are reported (what libyaml and the model made of the bytes
 * before is forgotten), as when the whole file is checked first.
 */
static int store_parse_input(struct store_parse *p, struct board **out, struct board_lines *lines)
{
	struct store_errors *err = p->err;
	struct sinput *in = &p->in;
	size_t n = err->n, dropped = err->dropped, i;
	int ret = -1, scanned;

	p->notes.on = true;
	strbuf_init(&p->notes.text, 0);
	strbuf_init(&p->notes.queue, 0);
	strbuf_init(&p->notes.head, 0);
	strbuf_init(&p->notes.tail, 0);
	if (in->read) {
		scanned = store_scan(p);
		sinput_drain(in);
	} else {
		sinput_check(in);
		if (!in->bad)
			snotes_scan(p, 0, in->len);
		scanned = in->bad ? -1 : store_scan(p);
	}
	if (in->failed) {
		store_errors_truncate(err, n, dropped);
		store_errors_add(err, 0, 0, "%s", in->why.buf);
		ret = -2;
	} else if (in->bad) {
		store_errors_truncate(err, n, dropped);
		sinput_report(p);
	} else if (!scanned) {
		store_validate(p);
	}

	if (ret != -2 && err->n + err->dropped == n + dropped) {
		/* Ready to rank: the first sieve takes no longer than the next. */
		board_sieve_prepare(p->b);
		snotes_board(p);
		*out = p->b;
		ret = 0;
		if (lines) {
			lines->themes = store_item_lines(p->theme_ids, p->b->nthemes);
			lines->criteria = store_item_lines(p->criterion_ids, p->b->ncriteria);
			lines->grids = store_item_lines(p->grid_ids, p->b->ngrids);
		}
	} else if (p->b) {
		board_free(p->b);
	}
	store_errors_sort(err);

	for (i = 0; i < STORE_MAX_DEPTH; i++)
		free(p->levels[i].v);
	free(p->seen);
	free(p->cells);
	free(p->events);
	free(p->theme_ids);
	free(p->criterion_ids);
	free(p->grid_ids);
	free(p->bad_themes.v);
	free(p->bad_criteria.v);
	free(p->bad_grids.v);
	snotes_release(&p->notes);
	arena_release(&p->arena);
	free(in->own);
	strbuf_release(&in->why);
	if (ret == -2)
		errno = in->read_errno;
	return ret;
}

int store_parse(const char *data, size_t len, struct board **out, struct store_errors *err)
{
	return store_parse_lines(data, len, out, err, NULL);
}

int store_parse_lines(const char *data, size_t len, struct board **out,
		      struct store_errors *err, struct board_lines *lines)
{
	struct store_parse p;

	memset(&p, 0, sizeof(p));
	p.err = err;
	p.in.buf = data;
	p.in.len = len;
	p.in.eof = true;
	strbuf_init(&p.in.why, 0);
	return store_parse_input(&p, out, lines);
}

int store_parse_stream(store_read_fn *read, void *data, struct board **out,
		       struct store_errors *err, struct board_lines *lines)
{
	struct store_parse p;

	memset(&p, 0, sizeof(p));
	p.err = err;
	p.in.read = read;
	p.in.read_data = data;
	p.in.own = xmalloc(SINPUT_WINDOW);
	p.in.buf = p.in.own;
	strbuf_init(&p.in.why, 0);
	return store_parse_input(&p, out, lines);
}

/* A board file, read for store_parse_stream(). */
struct store_file {
	int fd;
	const char *path;
	size_t size;
	store_observe_fn *observe;
	void *observe_data;
};

static long store_file_read(void *data, char *buf, size_t size, struct strbuf *err)
{
	struct store_file *f = data;
	long n = file_read_some(f->fd, f->path, buf, size, err);

	if (n <= 0)
		return n;
	f->size += (size_t)n;
	if (f->size > STORE_MAX_FILE_SIZE) {
		errno = EFBIG;
		strbuf_addf(err, "cannot read '%s': too large (the limit is %zu bytes)", f->path,
			    (size_t)STORE_MAX_FILE_SIZE);
		return -1;
	}
	if (f->observe)
		f->observe(f->observe_data, buf, (size_t)n);
	return n;
}

int store_load(const char *path, struct board **out, struct store_errors *err)
{
	return store_load_keep(path, out, err, NULL, NULL, NULL);
}

int store_load_keep(const char *path, struct board **out, struct store_errors *err, int *keep_fd,
		    store_observe_fn *observe, void *observe_data)
{
	struct store_file f = { -1, path, 0, observe, observe_data };
	struct strbuf msg = STRBUF_INIT;
	int ret, saved;

	f.fd = file_open_read(path, STORE_MAX_FILE_SIZE, &msg);
	if (f.fd < 0) {
		saved = errno;
		while (msg.len && msg.buf[msg.len - 1] == '\n')
			strbuf_setlen(&msg, msg.len - 1);
		store_errors_add(err, 0, 0, "%s", msg.buf);
		strbuf_release(&msg);
		errno = saved;
		return -2;
	}
	ret = store_parse_stream(store_file_read, &f, out, err, NULL);
	saved = errno;
	if (!ret && keep_fd)
		*keep_fd = f.fd;
	else
		close(f.fd);
	errno = saved;
	return ret;
}

/* --- Writing ------------------------------------------------------------ */

static bool store_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skips [set]* at *s; returns how many characters matched. */
static size_t store_span(const char **s, const char *set)
{
	size_t n = strspn(*s, set);

	*s += n;
	return n;
}

#define DIGITS "0123456789"

/*
 * True when s reads as a number to a YAML 1.1 or 1.2 resolver. A superset of
 * both (underscores anywhere after the first digit, sexagesimal "1:20", any
 * exponent): quoting too much is harmless, too little changes the value.
 */
static bool store_looks_number(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	if (*s == '.') {
		const char *w = s + 1;

		if (!strcmp(w, "inf") || !strcmp(w, "Inf") || !strcmp(w, "INF") ||
		    !strcmp(w, "nan") || !strcmp(w, "NaN") || !strcmp(w, "NAN"))
			return true;
	}
	if (s[0] == '0' && (s[1] == 'b' || s[1] == 'o' || s[1] == 'x')) {
		const char *set = s[1] == 'b' ? "01_" : s[1] == 'o' ? "01234567_"
								  : DIGITS "abcdefABCDEF_";

		s += 2;
		return store_span(&s, set) > 0 && !*s;
	}
	if (store_is_digit(*s)) {
		store_span(&s, DIGITS "_");
		while (*s == ':' && store_is_digit(s[1])) { /* sexagesimal */
			s++;
			store_span(&s, DIGITS);
		}
		if (*s == '.') {
			s++;
			store_span(&s, DIGITS "_");
		}
	} else if (*s == '.' && store_is_digit(s[1])) {
		s++;
		store_span(&s, DIGITS "_");
	} else {
		return false;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!store_span(&s, DIGITS))
			return false;
	}
	return !*s;
}

/* Exactly n digits at *s (advanced); with n < 0, one or two. */
static bool store_digits(const char **s, int n)
{
	int i, max = n < 0 ? 2 : n, min = n < 0 ? 1 : n;

	for (i = 0; i < max && store_is_digit((*s)[i]); i++)
		;
	if (i < min)
		return false;
	*s += i;
	return true;
}

/* True when s is a YAML 1.1 timestamp (PyYAML reads it as a date). */
static bool store_looks_timestamp(const char *s)
{
	if (!store_digits(&s, 4) || *s++ != '-' || !store_digits(&s, -1) || *s++ != '-' ||
	    !store_digits(&s, -1))
		return false;
	if (!*s)
		return true;
	if (*s == 'T' || *s == 't')
		s++;
	else if (!store_span(&s, " \t"))
		return false;
	if (!store_digits(&s, -1) || *s++ != ':' || !store_digits(&s, 2) || *s++ != ':' ||
	    !store_digits(&s, 2))
		return false;
	if (*s == '.') {
		s++;
		store_span(&s, DIGITS);
	}
	store_span(&s, " \t");
	if (*s == 'Z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		s++;
		if (!store_digits(&s, -1))
			return false;
		if (*s == ':') {
			s++;
			if (!store_digits(&s, 2))
				return false;
		}
	}
	return !*s;
}

/* True when a plain s would not read back as the string s. */
static bool store_looks_typed(const char *s)
{
	static const char *const words[] = {
		"~", "null", "Null", "NULL",
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF",
		"<<", "=",
	};
	size_t i;

	if (store_is_digit(*s) || *s == '+' || *s == '-' || *s == '.')
		return store_looks_number(s) || store_looks_timestamp(s);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(s, words[i]))
			return true;
	return false;
}

/* Code points written escaped in a double-quoted scalar. */
static bool store_cp_escaped(uint32_t cp)
{
	return text_cp_unsafe(cp) || cp == 0xFEFF || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0xFFFE || cp == 0xFFFF;
}

/* True when s can be written as a plain scalar that reads back as s. */
static bool store_plain_ok(const char *s)
{
	size_t len = strlen(s), i;

	if (!len || s[0] == ' ' || s[len - 1] == ' ' || s[len - 1] == ':')
		return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
		return false;
	if (strstr(s, ": ") || strstr(s, " #"))
		return false;
	for (i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (!n || store_cp_escaped(cp))
			return false;
		i += n;
	}
	return !store_looks_typed(s);
}

static void store_quote(struct strbuf *out, const char *s)
{
	size_t len = strlen(s), i = 0;

	strbuf_addch(out, '"');
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (!n) {
			/* Never in a board that came from a file; written as U+FFFD. */
			strbuf_addstr(out, "\\uFFFD");
			i++;
			continue;
		}
		switch (cp) {
		case '"': strbuf_addstr(out, "\\\""); break;
		case '\\': strbuf_addstr(out, "\\\\"); break;
		case 0x07: strbuf_addstr(out, "\\a"); break;
		case '\b': strbuf_addstr(out, "\\b"); break;
		case '\t': strbuf_addstr(out, "\\t"); break;
		case '\n': strbuf_addstr(out, "\\n"); break;
		case '\v': strbuf_addstr(out, "\\v"); break;
		case '\f': strbuf_addstr(out, "\\f"); break;
		case '\r': strbuf_addstr(out, "\\r"); break;
		case 0x1B: strbuf_addstr(out, "\\e"); break;
		default:
			if (!store_cp_escaped(cp))
				strbuf_add(out, s + i, n);
			else if (cp < 0x100)
				strbuf_addf(out, "\\x%02X", (unsigned)cp);
			else
				strbuf_addf(out, "\\u%04X", (unsigned)cp);
			break;
		}
		i += n;
	}
	strbuf_addch(out, '"');
}

void store_format_scalar(struct strbuf *out, const char *s)
{
	if (store_plain_ok(s))
		strbuf_addstr(out, s);
	else
		store_quote(out, s);
}

/*
 * Appends s as a scalar inside a flow collection: plain only when that is
 * safe there too (no flow indicators, no ':'), else double-quoted; always
 * double-quoted with quote_all (operation lines).
 */
static void store_flow_scalar(struct strbuf *out, const char *s, bool quote_all)
{
	if (!quote_all && store_plain_ok(s) && !strpbrk(s, ",[]{}:?#"))
		strbuf_addstr(out, s);
	else
		store_quote(out, s);
}

/* A timestamp, never quoted (it is not a string). */
static void store_put_time(struct strbuf *out, time_t t)
{
	char when[ISO8601_LEN + 1];

	iso8601_format(t, when);
	strbuf_addstr(out, when);
}

/* A cell of a moved event: [x, y], or tray. */
static void store_put_event_cell(struct strbuf *out, struct cell c, int cells)
{
	if (!c.x || !c.y) {
		strbuf_addstr(out, "tray");
		return;
	}
	/*
	 * Events recorded before the grid was made smaller may name cells it
	 * no longer has: kept inside the grid so that the file always loads.
	 */
	strbuf_addf(out, "[%d, %d]", c.x > cells ? cells : c.x, c.y > cells ? cells : c.y);
}

/*
 * One history event as a flow mapping: at, by, event, then grid, from, to
 * (moved) or from, to (decided).
 */
static void store_format_event(const struct board *b, const struct card_event *e,
			       bool quote_all, struct strbuf *out)
{
	strbuf_addstr(out, "{at: ");
	store_put_time(out, e->at);
	if (e->by) {
		strbuf_addstr(out, ", by: ");
		store_flow_scalar(out, e->by, quote_all);
	}
	strbuf_addf(out, ", event: %s", event_name(e->kind));
	if (e->kind == EVENT_MOVED && e->grid < b->ngrids) {
		const struct grid *grid = &b->grids[e->grid];

		strbuf_addstr(out, ", grid: ");
		store_flow_scalar(out, grid->id, quote_all);
		strbuf_addstr(out, ", from: ");
		store_put_event_cell(out, e->from, grid->cells);
		strbuf_addstr(out, ", to: ");
		store_put_event_cell(out, e->to, grid->cells);
	} else if (e->kind == EVENT_DECIDED) {
		strbuf_addf(out, ", from: %s, to: %s", decision_name(e->dfrom),
			    decision_name(e->dto));
	}
	strbuf_addch(out, '}');
}

/* True when the event can be written (a move names a grid of the board). */
static bool store_event_ok(const struct board *b, const struct card_event *e)
{
	return e->kind != EVENT_MOVED || e->grid < b->ngrids;
}

/* --- Writing comments back ----------------------------------------------- */

/*
 * A board being written, with its comments (comments.h). Each line written
 * is the line of one key or list item (two for an item whose first key is
 * on its line): its 'before' comments go above it at its indentation, its
 * 'after' comment at its end, its 'below' ones wait in pending for the next
 * line. Comments of a key not written (a value left out: no note, not
 * locked, in the tray of a grid) wait there too. Waiting lines go just
 * above the next line, indented as the deeper of the two lines around them,
 * so that reading the file back puts each one where it was (see "Comments:
 * found in the bytes"). Without comments, only the bytes of the board.
 */
struct store_fmt {
	struct strbuf *out;
	const struct comments *cm; /* of what is being written; NULL: none */
	struct strbuf path;        /* the item being written, in cm */
	struct strbuf key;         /* scratch: the path of one of its keys */
	struct strbuf pending;     /* comment lines for above the next line, '\n' after each */
	int *homes;                /* for each, the indentation of what it was with */
	size_t nhomes, homes_alloc;
	int indent;                /* of the last line written */
};

static void fmt_init(struct store_fmt *f, struct strbuf *out)
{
	f->out = out;
	f->cm = NULL;
	strbuf_init(&f->path, 0);
	strbuf_init(&f->key, 0);
	strbuf_init(&f->pending, 0);
	f->homes = NULL;
	f->nhomes = f->homes_alloc = 0;
	f->indent = 0;
}

static void fmt_release(struct store_fmt *f)
{
	strbuf_release(&f->path);
	strbuf_release(&f->key);
	strbuf_release(&f->pending);
	free(f->homes);
}

/* Writes what follows with the comments cm (NULL: none), in the scope of the root path. */
static void fmt_scope(struct store_fmt *f, const struct comments *cm)
{
	f->cm = cm && cm->n ? cm : NULL;
	strbuf_reset(&f->path);
}

/* Enters the item (or key) seg of the scope; returns what fmt_leave() takes to leave it. */
static size_t fmt_enter(struct store_fmt *f, const char *seg)
{
	size_t len = f->path.len;

	if (f->cm)
		comments_path_add(&f->path, seg);
	return len;
}

static void fmt_leave(struct store_fmt *f, size_t len)
{
	strbuf_setlen(&f->path, len);
}

/* The comments of the scope itself (key NULL) or of its key, or NULL. */
static const struct comment *fmt_find(struct store_fmt *f, const char *key)
{
	if (!f->cm)
		return NULL;
	strbuf_reset(&f->key);
	strbuf_add(&f->key, f->path.buf, f->path.len);
	if (key)
		comments_path_add(&f->key, key);
	return comments_find(f->cm, f->key.buf);
}

/*
 * One comment line: from its '#' ("# " is put before a line without one),
 * trailing blanks dropped, every character a board file refuses (controls
 * but TAB, line separators, invalid UTF-8) written U+FFFD: whatever a
 * comment holds, the file loads.
 */
static void fmt_comment(struct strbuf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len || s[0] != '#')
		strbuf_addstr(out, len ? "# " : "#");
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (!n || (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 ||
		    cp == 0x2029 || cp == 0xFFFE || cp == 0xFFFF)
			strbuf_addstr(out, "\xEF\xBF\xBD");
		else
			strbuf_add(out, s + i, n);
		i += n ? n : 1;
	}
}

/* Writes each line of text ('\n' between) as a comment line at indent. */
static void fmt_lines(struct strbuf *out, int indent, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		strbuf_addchars(out, ' ', (size_t)indent);
		fmt_comment(out, text, len);
		strbuf_addch(out, '\n');
		text += len + (nl != NULL);
	}
}

/* Adds lines to those waiting for the next line: they were with a line at home. */
static void fmt_wait(struct store_fmt *f, const char *text, int home)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		strbuf_add(&f->pending, text, len);
		strbuf_addch(&f->pending, '\n');
		ALLOC_GROW(f->homes, f->nhomes + 1, f->homes_alloc);
		f->homes[f->nhomes++] = home;
		text += len + (nl != NULL);
	}
}

/* Where fmt_flush() puts a blank line. */
enum fmt_blank {
	FMT_BLANK_NONE,
	FMT_BLANK,       /* before the next line, and the lines that go with it */
	FMT_BLANK_LINES, /* only before lines that go with the next line, if any */
};

/*
 * Writes the lines waiting above a line at indent. A line that was with
 * something indented deeper than that line stays with the line written
 * last: indented as the deeper of the two, before any blank line. The
 * others, and all those after the first of them, go with the next line,
 * indented as it is. Reading the file back attaches them the same way
 * (snotes_attach()).
 */
static void fmt_flush(struct store_fmt *f, int indent, enum fmt_blank blank)
{
	const char *line = f->pending.buf;
	bool next = false;
	size_t i;

	for (i = 0; i < f->nhomes; i++) {
		const char *nl = strchr(line, '\n');
		int at = f->homes[i] > indent && f->indent > indent ? f->indent : indent;

		if (at == indent && !next) {
			next = true;
			if (blank != FMT_BLANK_NONE)
				strbuf_addch(f->out, '\n');
		}
		strbuf_addchars(f->out, ' ', (size_t)(next ? indent : at));
		fmt_comment(f->out, line, (size_t)(nl - line));
		strbuf_addch(f->out, '\n');
		line = nl + 1;
	}
	if (blank == FMT_BLANK && !next)
		strbuf_addch(f->out, '\n');
	strbuf_reset(&f->pending);
	f->nhomes = 0;
}

/*
 * Starts a line at indent (after a blank line when blank) for the scope
 * itself (item) and/or its key: the lines waiting, then those above them.
 */
static void fmt_begin(struct store_fmt *f, int indent, bool blank, bool item, const char *key)
{
	const struct comment *c;

	fmt_flush(f, indent, blank ? FMT_BLANK : FMT_BLANK_NONE);
	if (item && (c = fmt_find(f, NULL)) && c->before)
		fmt_lines(f->out, indent, c->before);
	if (key && (c = fmt_find(f, key)) && c->before)
		fmt_lines(f->out, indent, c->before);
	f->indent = indent;
}

/* Ends the line begun by fmt_begin(): comments at its end, and those below it. */
static void fmt_end(struct store_fmt *f, bool item, const char *key)
{
	const struct comment *ci = item ? fmt_find(f, NULL) : NULL;
	const struct comment *ck = key ? fmt_find(f, key) : NULL;

	/* Two spaces, as yamllint wants them by default. */
	if (ci && ci->after) {
		strbuf_addstr(f->out, "  ");
		fmt_comment(f->out, ci->after, strlen(ci->after));
	}
	if (ck && ck->after) {
		strbuf_addstr(f->out, "  ");
		fmt_comment(f->out, ck->after, strlen(ck->after));
	}
	strbuf_addch(f->out, '\n');
	if (ci)
		fmt_wait(f, ci->below, f->indent);
	if (ck)
		fmt_wait(f, ck->below, f->indent);
}

/*
 * The comments of key, which is not written (it would be at indent): they
 * wait for the next line.
 */
static void fmt_skip(struct store_fmt *f, int indent, const char *key)
{
	const struct comment *c = fmt_find(f, key);

	if (!c)
		return;
	fmt_wait(f, c->before, indent);
	fmt_wait(f, c->after, indent);
	fmt_wait(f, c->below, indent);
}

/* Begins the line "[- ]KEY:" at indent (a list item's first key with item). */
static void fmt_key(struct store_fmt *f, int indent, bool blank, bool item, const char *key)
{
	fmt_begin(f, indent, blank, item, key);
	strbuf_addchars(f->out, ' ', (size_t)indent);
	if (item)
		strbuf_addstr(f->out, "- ");
	strbuf_addstr(f->out, key);
	strbuf_addch(f->out, ':');
}

/* The line "[- ]KEY: VALUE" at indent, VALUE a scalar, or written as it is with raw. */
static void store_put_line(struct store_fmt *f, int indent, bool item, const char *key,
			   const char *value, bool raw)
{
	fmt_key(f, indent, false, item, key);
	strbuf_addch(f->out, ' ');
	if (raw)
		strbuf_addstr(f->out, value);
	else
		store_format_scalar(f->out, value);
	fmt_end(f, item, key);
}

static void store_put(struct store_fmt *f, int indent, bool item, const char *key,
		      const char *value)
{
	store_put_line(f, indent, item, key, value, false);
}

static void store_put_raw(struct store_fmt *f, int indent, bool item, const char *key,
			  const char *value)
{
	store_put_line(f, indent, item, key, value, true);
}

/*
 * At the end: the lines waiting, and the tail of the file (file: the
 * record of the file, or NULL), after a blank line.
 */
static void fmt_finish(struct store_fmt *f, const struct comment *file)
{
	bool tail = file && file->below;

	fmt_flush(f, 0, tail ? FMT_BLANK : FMT_BLANK_LINES);
	if (tail)
		fmt_lines(f->out, 0, file->below);
}

/* The placements of a card, with the comments of the grids it is not placed on. */
static void store_format_place(const struct board *b, const struct card *c, struct store_fmt *f)
{
	bool placed = false;
	size_t g, len;

	for (g = 0; g < b->ngrids; g++)
		if (card_is_placed(c, g))
			placed = true;
	if (placed) {
		fmt_key(f, 4, false, false, "place");
		fmt_end(f, false, "place");
	} else if (f->cm) {
		fmt_skip(f, 4, "place");
	}
	for (g = 0; g < b->ngrids; g++) {
		if (!card_is_placed(c, g)) {
			if (f->cm) {
				len = fmt_enter(f, "place");
				fmt_skip(f, 6, b->grids[g].id);
				fmt_leave(f, len);
			}
			continue;
		}
		len = fmt_enter(f, "place");
		fmt_begin(f, 6, false, false, b->grids[g].id);
		strbuf_addchars(f->out, ' ', 6);
		store_format_scalar(f->out, b->grids[g].id);
		strbuf_addf(f->out, ": [%d, %d]", c->place[g].x, c->place[g].y);
		fmt_end(f, false, b->grids[g].id);
		fmt_leave(f, len);
	}
}

/* A card's history, one event per line. */
static void store_format_history(const struct board *b, const struct card *c,
				 struct store_fmt *f)
{
	bool history = false;
	size_t i, j, len;

	for (i = 0; i < c->nhistory; i++) {
		unsigned same = 0;

		if (!store_event_ok(b, &c->history[i]))
			continue; /* cannot happen through board.h */
		if (!history) {
			fmt_key(f, 4, false, false, "history");
			fmt_end(f, false, "history");
		}
		history = true;
		len = fmt_enter(f, "history");
		if (f->cm) {
			for (j = 0; j < i; j++)
				same += c->history[j].at == c->history[i].at;
			store_history_key(&f->path, c->history[i].at, same);
		}
		fmt_begin(f, 6, false, true, NULL);
		strbuf_addstr(f->out, "      - ");
		store_format_event(b, &c->history[i], false, f->out);
		fmt_end(f, true, NULL);
		fmt_leave(f, len);
	}
	if (!history)
		fmt_skip(f, 4, "history");
}

/* A card, with its comments (the scope of f is then the card's). */
static void store_format_card(const struct board *b, const struct card *c, struct store_fmt *f)
{
	char id[CARD_UUID_LEN + 1], when[ISO8601_LEN + 1];

	fmt_scope(f, c->comments);
	card_uuid(c, id);
	store_put_raw(f, 2, true, "id", id); /* a UUID never needs quotes */
	store_put(f, 4, false, "text", c->text);
	store_put(f, 4, false, "theme", c->theme < b->nthemes ? b->themes[c->theme].id : "");
	if (c->by)
		store_put(f, 4, false, "by", c->by);
	else
		fmt_skip(f, 4, "by");
	if (c->pair)
		store_put(f, 4, false, "pair", c->pair);
	else
		fmt_skip(f, 4, "pair");
	if (c->created) {
		iso8601_format(c->created, when);
		store_put_raw(f, 4, false, "created", when);
	} else {
		fmt_skip(f, 4, "created");
	}
	if (c->note)
		store_put(f, 4, false, "note", c->note);
	else
		fmt_skip(f, 4, "note");
	store_put_raw(f, 4, false, "decision", decision_name(c->decision));
	if (c->locked)
		store_put_raw(f, 4, false, "locked", "true");
	else
		fmt_skip(f, 4, "locked");
	if (c->debated_mark)
		store_put_raw(f, 4, false, "debated", "true");
	else
		fmt_skip(f, 4, "debated");
	store_format_place(b, c, f);
	store_format_history(b, c, f);
}

/* A zone's cells as a flow list, sorted by y then x. */
static void store_format_zone_cells(const struct grid *grid, const struct zone *z,
				    struct strbuf *out)
{
	bool first = true;
	int x, y;

	strbuf_addch(out, '[');
	for (y = 1; y <= grid->cells; y++) {
		for (x = 1; x <= grid->cells; x++) {
			if (!zone_has_cell(z, x, y))
				continue;
			strbuf_addf(out, "%s[%d, %d]", first ? "" : ", ", x, y);
			first = false;
		}
	}
	strbuf_addch(out, ']');
}

/* A grid, in the scope of the board's comments. */
static void store_format_grid(const struct board *b, const struct grid *g, struct store_fmt *f)
{
	char cells[16];
	size_t z, grid_len = fmt_enter(f, "grids"), len;

	fmt_enter(f, g->id);
	store_put(f, 2, true, "id", g->id);
	store_put(f, 4, false, "x", b->criteria[g->x].id);
	store_put(f, 4, false, "y", b->criteria[g->y].id);
	snprintf(cells, sizeof(cells), "%d", g->cells);
	store_put_raw(f, 4, false, "cells", cells);
	if (g->nzones) {
		fmt_key(f, 4, false, false, "zones");
		fmt_end(f, false, "zones");
	} else {
		fmt_skip(f, 4, "zones");
	}
	for (z = 0; z < g->nzones; z++) {
		const struct zone *zone = &g->zones[z];

		len = fmt_enter(f, "zones");
		fmt_enter(f, zone->name);
		store_put(f, 6, true, "name", zone->name);
		store_put_raw(f, 8, false, "color", hue_name(zone->color));
		if (zone->easy)
			store_put_raw(f, 8, false, "easy", "true");
		else
			fmt_skip(f, 8, "easy");
		fmt_key(f, 8, false, false, "cells");
		strbuf_addch(f->out, ' ');
		store_format_zone_cells(g, zone, f->out);
		fmt_end(f, false, "cells");
		fmt_leave(f, len);
	}
	fmt_leave(f, grid_len);
}

/* Where store_format_stream() sends its bytes: pieces of about STORE_PIECE bytes. */
struct store_sink {
	store_write_fn *write;
	void *data;
	bool failed;
};

#define STORE_PIECE ((size_t)64 << 10)

/* Hands out's bytes to the sink once there are enough of them (any with last). */
static void store_sink_flush(struct store_sink *k, struct strbuf *out, bool last)
{
	if (!k || (out->len < STORE_PIECE && !last))
		return;
	if (!k->failed && out->len && k->write(k->data, out->buf, out->len) < 0)
		k->failed = true;
	strbuf_reset(out);
}

/* The decision log, in the scope of the board's comments. */
static void store_format_decisions(const struct board *b, struct store_fmt *f,
				   struct store_sink *k)
{
	char when[ISO8601_LEN + 1], id[CARD_UUID_LEN + 1], num[32];
	size_t i, len;

	if (!b->ndecisions) {
		fmt_skip(f, 0, "decisions");
		return;
	}
	fmt_key(f, 0, true, false, "decisions");
	fmt_end(f, false, "decisions");
	for (i = 0; i < b->ndecisions; i++) {
		const struct decision_entry *d = &b->decisions[i];

		len = fmt_enter(f, "decisions");
		snprintf(num, sizeof(num), "%zu", i);
		fmt_enter(f, num);
		iso8601_format(d->at, when);
		store_put_raw(f, 2, true, "at", when);
		if (d->by)
			store_put(f, 4, false, "by", d->by);
		else
			fmt_skip(f, 4, "by");
		uuid_unparse_lower(d->card, id);
		store_put_raw(f, 4, false, "card", id);
		store_put(f, 4, false, "text", d->text ? d->text : "");
		store_put_raw(f, 4, false, "from", decision_name(d->from));
		store_put_raw(f, 4, false, "to", decision_name(d->to));
		if (d->rationale)
			store_put(f, 4, false, "rationale", d->rationale);
		else
			fmt_skip(f, 4, "rationale");
		if (d->key && d->sig) {
			store_put(f, 4, false, "key", d->key);
			store_put(f, 4, false, "sig", d->sig);
		} else {
			fmt_skip(f, 4, "key");
			fmt_skip(f, 4, "sig");
		}
		fmt_leave(f, len);
		store_sink_flush(k, f->out, false);
	}
}

/* "KEY:" alone on a line at the top level, after a blank line, " []" when empty. */
static void store_format_section(struct store_fmt *f, const char *key, bool empty)
{
	fmt_key(f, 0, true, false, key);
	if (empty)
		strbuf_addstr(f->out, " []");
	fmt_end(f, false, key);
}

/* The board in YAML into out, or through k (then out is the sink's buffer). */
static void store_format_to(const struct board *b, struct strbuf *out, struct store_sink *k)
{
	const struct comment *file = comments_find(&b->comments, ""), *top;
	struct store_fmt f;
	size_t i, len;

	fmt_init(&f, out);
	fmt_scope(&f, &b->comments);
	/* The head of the file, and what was above 'tamis' (reading puts it in the head). */
	top = fmt_find(&f, "tamis");
	if (file && file->before)
		fmt_lines(out, 0, file->before);
	if (top && top->before)
		fmt_lines(out, 0, top->before);
	if ((file && file->before) || (top && top->before))
		strbuf_addch(out, '\n');
	fmt_begin(&f, 0, false, false, NULL);
	strbuf_addf(out, "tamis: %d", STORE_FORMAT_VERSION);
	fmt_end(&f, false, "tamis");
	store_put(&f, 0, false, "title", b->title ? b->title : "");
	if (b->description)
		store_put(&f, 0, false, "description", b->description);
	else
		fmt_skip(&f, 0, "description");

	if (b->nfacilitators)
		store_format_section(&f, "facilitators", false);
	else
		fmt_skip(&f, 0, "facilitators");
	for (i = 0; i < b->nfacilitators; i++) {
		len = fmt_enter(&f, "facilitators");
		fmt_enter(&f, b->facilitators[i]);
		fmt_begin(&f, 2, false, true, NULL);
		strbuf_addstr(out, "  - ");
		store_format_scalar(out, b->facilitators[i]);
		fmt_end(&f, true, NULL);
		fmt_leave(&f, len);
	}

	if (b->nkeys)
		store_format_section(&f, "facilitator_keys", false);
	else
		fmt_skip(&f, 0, "facilitator_keys");
	for (i = 0; i < b->nkeys; i++) {
		const struct facilitator_key *fk = &b->keys[i];
		char when[ISO8601_LEN + 1];

		len = fmt_enter(&f, "facilitator_keys");
		fmt_enter(&f, fk->name);
		store_put(&f, 2, true, "name", fk->name);
		store_put(&f, 4, false, "key", fk->key);
		if (fk->added) {
			iso8601_format(fk->added, when);
			store_put_raw(&f, 4, false, "added", when);
		} else {
			fmt_skip(&f, 4, "added");
		}
		fmt_leave(&f, len);
	}

	store_format_section(&f, "themes", !b->nthemes);
	for (i = 0; i < b->nthemes; i++) {
		const struct theme *t = &b->themes[i];

		len = fmt_enter(&f, "themes");
		fmt_enter(&f, t->id);
		store_put(&f, 2, true, "id", t->id);
		store_put(&f, 4, false, "label", t->label);
		store_put_raw(&f, 4, false, "color", hue_name(t->color));
		fmt_leave(&f, len);
	}

	store_format_section(&f, "criteria", !b->ncriteria);
	for (i = 0; i < b->ncriteria; i++) {
		const struct criterion *c = &b->criteria[i];

		len = fmt_enter(&f, "criteria");
		fmt_enter(&f, c->id);
		store_put(&f, 2, true, "id", c->id);
		store_put(&f, 4, false, "low", c->low);
		store_put(&f, 4, false, "high", c->high);
		store_put_raw(&f, 4, false, "easy", pole_name(c->easy));
		fmt_leave(&f, len);
	}

	store_format_section(&f, "grids", !b->ngrids);
	for (i = 0; i < b->ngrids; i++)
		store_format_grid(b, &b->grids[i], &f);

	store_format_section(&f, "cards", !b->ncards);
	for (i = 0; i < b->ncards && !(k && k->failed); i++) {
		store_format_card(b, b->cards[i], &f);
		store_sink_flush(k, out, false);
	}

	fmt_scope(&f, &b->comments);
	store_format_decisions(b, &f, k);
	fmt_finish(&f, file);
	fmt_release(&f);
	store_sink_flush(k, out, true);
}

void store_format(const struct board *b, struct strbuf *out)
{
	store_format_to(b, out, NULL);
}

int store_format_stream(const struct board *b, store_write_fn *write, void *data)
{
	struct store_sink k = { write, data, false };
	struct strbuf out = STRBUF_INIT;

	strbuf_grow(&out, STORE_PIECE + (STORE_PIECE >> 2));
	store_format_to(b, &out, &k);
	strbuf_release(&out);
	return k.failed ? -1 : 0;
}

void store_format_cards(const struct board *b, struct card *const *cards, size_t n,
			struct strbuf *out)
{
	struct store_fmt f;
	size_t i;

	fmt_init(&f, out);
	strbuf_addstr(out, n ? "cards:\n" : "cards: []\n");
	for (i = 0; i < n; i++)
		store_format_card(b, cards[i], &f);
	fmt_finish(&f, NULL);
	fmt_release(&f);
}

static int store_save_fill(void *data, file_write_fn *write, void *ctx)
{
	return store_format_stream(data, write, ctx);
}

int store_save(const char *path, const struct board *b, struct strbuf *err)
{
	return file_replace_stream(path, store_save_fill, (void *)b, err);
}

/* --- Operations, for the live-sharing journal ---------------------------- */

/* The fields an operation kind uses (op.h), and how. */
enum {
	OF_CARD = 1 << 0,       /* card: a UUID; for OP_ADD, the whole card */
	OF_GRID = 1 << 1,
	OF_NAME = 1 << 2,
	OF_TEXT = 1 << 3,
	OF_TEXT2 = 1 << 4,
	OF_X = 1 << 5,
	OF_Y = 1 << 6,
	OF_VALUE = 1 << 7,
	OF_GRID_NEEDED = 1 << 8, /* a string that may not be NULL */
	OF_NAME_NEEDED = 1 << 9,
	OF_TEXT_NEEDED = 1 << 10,
	OF_TEXT2_NEEDED = 1 << 11,
	OF_TEXT_FREE = 1 << 12,  /* text is free text: control characters allowed */
	OF_TEXT2_FREE = 1 << 13, /* text2 too */
};

struct store_op_spec {
	unsigned fields;
	int xmin, xmax, ymin, ymax, vmin, vmax; /* ranges of x, y and value */
};

#define OF_G (OF_GRID | OF_GRID_NEEDED)
#define OF_N (OF_NAME | OF_NAME_NEEDED)
#define OF_T (OF_TEXT | OF_TEXT_NEEDED)
#define OF_T2 (OF_TEXT2 | OF_TEXT2_NEEDED)

static const struct store_op_spec store_op_specs[OP_COUNT] = {
	[OP_ADD] = { OF_CARD | OF_X, 0, INT_MAX, 0, 0, 0, 0 },
	[OP_DELETE] = { OF_CARD, 0, 0, 0, 0, 0, 0 },
	[OP_MOVE] = { OF_CARD | OF_G | OF_X | OF_Y, 0, BOARD_MAX_CELLS, 0, BOARD_MAX_CELLS, 0, 0 },
	[OP_TEXT] = { OF_CARD | OF_T | OF_TEXT_FREE, 0, 0, 0, 0, 0, 0 },
	[OP_THEME] = { OF_CARD | OF_N, 0, 0, 0, 0, 0, 0 },
	[OP_NOTE] = { OF_CARD | OF_TEXT | OF_TEXT_FREE, 0, 0, 0, 0, 0, 0 },
	[OP_PAIR] = { OF_CARD | OF_TEXT, 0, 0, 0, 0, 0, 0 },
	[OP_DECIDE] = { OF_CARD | OF_VALUE | OF_TEXT | OF_TEXT_FREE | OF_TEXT2 | OF_TEXT2_FREE, 0,
			0, 0, 0, 0, DECISION_COUNT - 1 },
	[OP_LOCK] = { OF_CARD | OF_VALUE, 0, 0, 0, 0, 0, 1 },
	[OP_ZONE_ADD] = { OF_G | OF_N | OF_VALUE | OF_X, 0, 1, 0, 0, 0, HUE_COUNT - 1 },
	[OP_ZONE_DEL] = { OF_G | OF_N, 0, 0, 0, 0, 0, 0 },
	[OP_ZONE_CELL] = { OF_G | OF_NAME | OF_X | OF_Y, 1, BOARD_MAX_CELLS, 1, BOARD_MAX_CELLS,
			   0, 0 },
	[OP_THEME_ADD] = { OF_N | OF_T | OF_VALUE, 0, 0, 0, 0, 0, HUE_COUNT - 1 },
	[OP_CRITERION] = { OF_N | OF_T | OF_T2 | OF_VALUE, 0, 0, 0, 0, 0, 1 },
	[OP_GRID_ADD] = { OF_G | OF_T | OF_T2 | OF_VALUE, 0, 0, 0, 0, BOARD_MIN_CELLS,
			  BOARD_MAX_CELLS },
	[OP_GRID_CELLS] = { OF_G | OF_VALUE, 0, 0, 0, 0, BOARD_MIN_CELLS, BOARD_MAX_CELLS },
	[OP_TITLE] = { OF_T, 0, 0, 0, 0, 0, 0 },
	[OP_KEY_ADD] = { 0, 0, 0, 0, 0, 0, 0 }, /* by, and the key that signs it */
};

/* The whole card of an OP_ADD, as one flow mapping with every string quoted. */
static void store_format_card_flow(const struct board *b, const struct card *c,
				   struct strbuf *out)
{
	char id[CARD_UUID_LEN + 1];
	bool first = true;
	size_t g, i;

	card_uuid(c, id);
	strbuf_addf(out, "{id: %s, text: ", id);
	store_quote(out, c->text);
	strbuf_addstr(out, ", theme: ");
	store_quote(out, c->theme < b->nthemes ? b->themes[c->theme].id : "");
	if (c->by) {
		strbuf_addstr(out, ", by: ");
		store_quote(out, c->by);
	}
	if (c->pair) {
		strbuf_addstr(out, ", pair: ");
		store_quote(out, c->pair);
	}
	if (c->created) {
		strbuf_addstr(out, ", created: ");
		store_put_time(out, c->created);
	}
	if (c->note) {
		strbuf_addstr(out, ", note: ");
		store_quote(out, c->note);
	}
	strbuf_addf(out, ", decision: %s", decision_name(c->decision));
	if (c->locked)
		strbuf_addstr(out, ", locked: true");
	if (c->debated_mark)
		strbuf_addstr(out, ", debated: true");
	for (g = 0; g < b->ngrids && g < c->nplace; g++) {
		if (!card_is_placed(c, g))
			continue;
		strbuf_addstr(out, first ? ", place: {" : ", ");
		first = false;
		store_quote(out, b->grids[g].id);
		strbuf_addf(out, ": [%d, %d]", c->place[g].x, c->place[g].y);
	}
	if (!first)
		strbuf_addch(out, '}');
	first = true;
	for (i = 0; i < c->nhistory; i++) {
		if (!store_event_ok(b, &c->history[i]))
			continue; /* cannot happen through board.h */
		strbuf_addstr(out, first ? ", history: [" : ", ");
		first = false;
		store_format_event(b, &c->history[i], true, out);
	}
	if (!first)
		strbuf_addch(out, ']');
	strbuf_addch(out, '}');
}

/* ", KEY: "S"" when s is set. */
static void store_op_string(struct strbuf *out, const char *key, const char *s)
{
	if (!s)
		return;
	strbuf_addf(out, ", %s: ", key);
	store_quote(out, s);
}

void store_format_op(const struct board *b, const struct op *op, struct strbuf *out)
{
	unsigned fields = (unsigned)op->kind < OP_COUNT ? store_op_specs[op->kind].fields : 0;
	char id[CARD_UUID_LEN + 1];

	strbuf_addstr(out, "{op: ");
	store_flow_scalar(out, op_kind_name(op->kind), false);
	strbuf_addstr(out, ", at: ");
	store_put_time(out, op->at);
	store_op_string(out, "by", op->by);
	if (op->facilitator)
		strbuf_addstr(out, ", fac: true");
	if (op->kind == OP_ADD && op->card_data) {
		strbuf_addstr(out, ", card: ");
		store_format_card_flow(b, op->card_data, out);
	} else if (op->kind != OP_ADD && (fields & OF_CARD)) {
		uuid_unparse_lower(op->card, id);
		strbuf_addf(out, ", card: %s", id);
	}
	if (fields & OF_GRID)
		store_op_string(out, "grid", op->grid);
	if (fields & OF_NAME)
		store_op_string(out, "name", op->name);
	if (fields & OF_TEXT)
		store_op_string(out, "text", op->text);
	if (fields & OF_TEXT2)
		store_op_string(out, "text2", op->text2);
	if (fields & OF_X)
		strbuf_addf(out, ", x: %d", op->x);
	if (fields & OF_Y)
		strbuf_addf(out, ", y: %d", op->y);
	if (fields & OF_VALUE)
		strbuf_addf(out, ", value: %d", op->value);
	/* Last: what is signed is the line without them (sign.h). */
	if (op->key && op->sig) {
		store_op_string(out, "key", op->key);
		store_op_string(out, "sig", op->sig);
	}
	strbuf_addch(out, '}');
}

/* A new card outside any board, with b's grids, as board_add_card() makes one. */
static struct card *store_card_new(const struct board *b, const struct scard *sc)
{
	struct card *card = xcalloc(1, sizeof(*card));

	memcpy(card->id, sc->id, sizeof(uuid_t));
	card->text = xstrdup(sc->text);
	card->theme = (size_t)sc->theme;
	card->decision = DECISION_UNDECIDED;
	card->place = xcalloc(b->ngrids ? b->ngrids : 1, sizeof(*card->place));
	card->nplace = b->ngrids;
	return card;
}

/* The card of an OP_ADD, detached, its theme and grids resolved on p->b; or NULL. */
static struct card *store_op_card(struct store_parse *p, const struct snode *c)
{
	const struct snode *idn;
	struct scard sc;
	struct card *card;
	char prefix[32];
	bool ok;

	if (c->kind != SNODE_MAP) {
		store_err(p, c, "'card' of an 'add' operation must be the whole card (a mapping), "
			  "not %s", store_kind_name(c));
		return NULL;
	}
	ok = store_card_prefix(p, c, (size_t)-1, prefix, sizeof(prefix), sc.id, &idn);
	ok = store_card_check(p, c, ok, &sc);
	p->prefix = NULL;
	if (!ok)
		return NULL;
	card = store_card_new(p->b, &sc);
	store_card_fill(p, card, &sc);
	return card;
}

enum { OK_OP, OK_AT, OK_BY, OK_FAC, OK_CARD, OK_GRID, OK_NAME, OK_TEXT, OK_TEXT2, OK_X, OK_Y,
       OK_VALUE, OK_KEY, OK_SIG, OK_COUNT };

static const char *const store_op_keys[OK_COUNT] = {
	"op", "at", "by", "fac", "card", "grid", "name", "text", "text2", "x", "y", "value", "key",
	"sig",
};

/* The OF_ flag of each key from OK_CARD on. */
static const unsigned store_op_key_flags[OK_COUNT] = {
	[OK_CARD] = OF_CARD, [OK_GRID] = OF_GRID, [OK_NAME] = OF_NAME, [OK_TEXT] = OF_TEXT,
	[OK_TEXT2] = OF_TEXT2, [OK_X] = OF_X, [OK_Y] = OF_Y, [OK_VALUE] = OF_VALUE,
};

/* An integer field of the operation, within [min, max]. */
static bool store_op_int(struct store_parse *p, const struct snode *n, const char *key,
			 const char *kind, int min, int max, int *out)
{
	long v;

	if (!n) {
		store_err(p, &p->root, "missing key '%s' in a '%s' operation", key, kind);
		return false;
	}
	if (!store_int(n, &v) || v < min || v > max) {
		store_err(p, n, "'%s' must be an integer from %d to %d", key, min, max);
		return false;
	}
	*out = (int)v;
	return true;
}

/* A string field of the operation into *out (copied); absent or null is NULL. */
static bool store_op_str(struct store_parse *p, const struct snode *n, const char *key,
			 const char *kind, bool needed, int flags, char **out)
{
	const char *s;

	if (!store_present(n)) {
		if (!needed)
			return true;
		store_err(p, &p->root, "missing key '%s' in a '%s' operation", key, kind);
		return false;
	}
	if (!(s = store_string(p, n, key, flags)))
		return false;
	*out = xstrdup(s);
	return true;
}

/* The operation's signature (sign.h): key and sig, both or neither; a key-add needs them. */
static void store_op_signature(struct store_parse *p, const struct snode *key,
			       const struct snode *sig, struct op *op)
{
	const char *s;

	if (store_present(key) && (s = store_key_id(p, key, "key")))
		op->key = xstrdup(s);
	if (store_present(sig) && (s = store_sig(p, sig, "sig")))
		op->sig = xstrdup(s);
	if (!store_present(key) != !store_present(sig))
		store_err(p, store_present(key) ? key : sig, "'key' and 'sig' go together (the "
			  "signature and the key it verifies with)");
	if (op->kind == OP_KEY_ADD && !store_present(key))
		store_err(p, &p->root, "missing key 'key' in a 'key-add' operation (the key it adds, "
			  "which signs it)");
}

/* Step 3 for an operation: the tree into *op. */
static void store_op(struct store_parse *p, struct op *op)
{
	const struct snode *root = &p->root, *f[OK_COUNT];
	const struct store_op_spec *spec;
	const char *kind;
	unsigned fields;
	bool x_ok = false, y_ok = false;
	int k;

	if (!p->have_root || root->kind != SNODE_MAP) {
		if (p->have_root)
			store_err(p, root, "an operation must be a mapping, not %s",
				  store_kind_name(root));
		else
			store_err_at(p, 0, 0, "an empty line is not an operation");
		return;
	}
	store_fields(p, root, store_op_keys, OK_COUNT, f);
	if (!f[OK_OP]) {
		store_err(p, root, "missing key 'op' (what the operation does)");
		return;
	}
	k = f[OK_OP]->kind == SNODE_SCALAR ? op_kind_parse(f[OK_OP]->u.s) : -1;
	if (k < 0) {
		struct suggest sg;
		int i;

		if (f[OK_OP]->kind != SNODE_SCALAR) {
			store_err(p, f[OK_OP], "'op' must be an operation name, not %s",
				  store_kind_name(f[OK_OP]));
			return;
		}
		suggest_init(&sg, f[OK_OP]->u.s);
		for (i = 0; i < OP_COUNT; i++)
			suggest_try(&sg, op_kind_name((enum op_kind)i));
		store_err(p, f[OK_OP], "unknown operation '%s'%s", store_cut(p, f[OK_OP]->u.s),
			  suggest_text(p, &sg));
		return;
	}
	op->kind = (enum op_kind)k;
	kind = op_kind_name(op->kind);
	spec = &store_op_specs[k];
	fields = spec->fields;

	if (!f[OK_AT])
		store_err(p, root, "missing key 'at' (when the operation was made)");
	else
		store_time(p, f[OK_AT], "at", &op->at);
	store_op_str(p, f[OK_BY], "by", kind, false, 0, &op->by);
	if (store_present(f[OK_FAC]) && !store_bool(f[OK_FAC], &op->facilitator))
		store_err(p, f[OK_FAC], "'fac' must be true or false");
	for (k = OK_CARD; k <= OK_VALUE; k++)
		if (store_present(f[k]) && !(fields & store_op_key_flags[k]))
			store_err(p, store_key_of(f[k]), "'%s' is not used by a '%s' operation",
				  store_op_keys[k], kind);

	if (fields & OF_CARD) {
		if (!store_present(f[OK_CARD]))
			store_err(p, root, "missing key 'card' in a '%s' operation", kind);
		else if (op->kind == OP_ADD)
			op->card_data = store_op_card(p, f[OK_CARD]);
		else if (!store_uuid_parse(f[OK_CARD], op->card))
			store_err(p, f[OK_CARD], "'card' must be a card id (a UUID such as "
				  "6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f)");
		if (op->card_data)
			memcpy(op->card, op->card_data->id, sizeof(uuid_t));
	}
	if (fields & OF_GRID)
		store_op_str(p, f[OK_GRID], "grid", kind, fields & OF_GRID_NEEDED, 0, &op->grid);
	if (fields & OF_NAME)
		store_op_str(p, f[OK_NAME], "name", kind, fields & OF_NAME_NEEDED, 0, &op->name);
	if (fields & OF_TEXT)
		store_op_str(p, f[OK_TEXT], "text", kind, fields & OF_TEXT_NEEDED,
			     fields & OF_TEXT_FREE ? STR_FREE : 0, &op->text);
	if (fields & OF_TEXT2)
		store_op_str(p, f[OK_TEXT2], "text2", kind, fields & OF_TEXT2_NEEDED,
			     fields & OF_TEXT2_FREE ? STR_FREE : 0, &op->text2);
	if (fields & OF_X)
		x_ok = store_op_int(p, f[OK_X], "x", kind, spec->xmin, spec->xmax, &op->x);
	if (fields & OF_Y)
		y_ok = store_op_int(p, f[OK_Y], "y", kind, spec->ymin, spec->ymax, &op->y);
	if (op->kind == OP_MOVE && x_ok && y_ok && !op->x != !op->y)
		store_err(p, f[OK_X], "'x' and 'y' must both be 0 (the tray) or both from 1 to %d",
			  BOARD_MAX_CELLS);
	if (fields & OF_VALUE)
		store_op_int(p, f[OK_VALUE], "value", kind, spec->vmin, spec->vmax, &op->value);
	store_op_signature(p, f[OK_KEY], f[OK_SIG], op);
	if (op->kind == OP_KEY_ADD && !store_present(f[OK_BY]))
		store_err(p, root, "missing key 'by' in a 'key-add' operation (whose key it is)");
}

int store_parse_op(const struct board *b, const char *line, size_t len, struct op *op,
		   struct strbuf *err)
{
	struct store_errors errs;
	struct store_parse p;
	struct board empty;
	size_t i;
	int ret = 0;

	memset(op, 0, sizeof(*op));
	memset(&p, 0, sizeof(p));
	memset(&empty, 0, sizeof(empty));
	store_errors_init(&errs, NULL);
	p.err = &errs;
	p.in.buf = line;
	p.in.len = len;
	p.in.eof = true;
	p.op_line = true;
	/* Only read: themes and grids of an added card are looked up in it. */
	p.b = b ? (struct board *)b : &empty;

	if (len && (memchr(line, '\n', len) || memchr(line, '\r', len)))
		store_err_at(&p, 0, 0, "an operation is a single line");
	else if (sinput_check(&p.in), p.in.bad)
		sinput_report(&p);
	else if (!store_scan(&p))
		store_op(&p, op);

	if (errs.n || errs.dropped) {
		const struct store_error *first;

		store_errors_sort(&errs);
		first = &errs.v[0];
		if (first->line > 0)
			strbuf_addf(err, "column %d: ", first->column);
		text_sanitize(err, first->message);
		op_release(op);
		ret = -1;
	}
	store_errors_release(&errs);
	for (i = 0; i < STORE_MAX_DEPTH; i++)
		free(p.levels[i].v);
	free(p.cells);
	free(p.events);
	arena_release(&p.arena);
	return ret;
}
