/*
 * store.c - boards in YAML files.
 *
 * Reading goes in three steps, each refusing what the next cannot handle:
 *
 *  1. the raw bytes are checked for invalid UTF-8 and raw control characters,
 *     with positions computed from byte offsets (libyaml reports invalid
 *     UTF-8 at 1:1);
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
 * block-style YAML with UTF-8 as is, quoting only the scalars that need it.
 */
#include "store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "lockfile.h"
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

		if (e->file) {
			text_sanitize(out, e->file);
			strbuf_addch(out, ':');
		}
		if (er->line > 0)
			strbuf_addf(out, "%d:%d:", er->line, er->column);
		if (e->file || er->line > 0)
			strbuf_addch(out, ' ');
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
};

/* A point to come back to: everything allocated after it is freed at once. */
struct arena_mark {
	struct arena_chunk *chunk;
	size_t used;
};

#define ARENA_CHUNK_SIZE ((size_t)1 << 20)

static void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;

	n = (n + 7) & ~(size_t)7;
	if (!c || c->size - c->used < n) {
		size_t size = n > ARENA_CHUNK_SIZE ? n : ARENA_CHUNK_SIZE;

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

		free(a->head);
		a->head = next;
	}
	if (a->head)
		a->head->used = m->used;
}

static void arena_release(struct arena *a)
{
	struct arena_mark none = { NULL, 0 };

	arena_reset(a, &none);
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
};

/* Ids that were defined but invalid: references to them are not reported again. */
struct snames {
	const char **v;
	size_t n, alloc;
};

struct store_parse {
	struct store_errors *err;
	const char *data;
	size_t len;

	struct arena arena;
	struct slevel levels[STORE_MAX_DEPTH];
	size_t depth;
	size_t nodes;
	struct snode root;
	bool have_root;

	/* Position cache for store_offset_pos(): offsets only grow in a scan. */
	size_t pos_off;
	int pos_line, pos_col;

	bool bad_yaml;      /* a problem below the model: the model is not checked */

	/*
	 * Streaming: when themes, criteria and grids come before the cards (the
	 * order tamis writes), each card is checked and added as soon as its
	 * mapping ends, and its nodes are freed (arena reset to card_mark): a
	 * big board never exists as a tree. Otherwise the cards are checked
	 * from the tree once the file is read.
	 */
	bool streaming, prelude_done;
	struct arena_mark card_mark;
	size_t ncards;
	size_t err_n, err_dropped; /* error counts when the model checks began */

	/* Every valid card id met, for finding duplicates once all are known. */
	struct card_seen *seen;
	size_t nseen, seen_alloc;
	struct cell *cells; /* scratch placements of one card, one per grid */

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

__attribute__((format(printf, 3, 4)))
static void store_err(struct store_parse *p, const struct snode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	store_errors_vadd(p->err, n->line, n->col, p->prefix, fmt, ap);
	va_end(ap);
}

/*
 * Line and column (1-based, in code points) of byte offset off, counted the
 * way libyaml counts its marks: a leading BOM is not a column, and CR LF, CR
 * and LF each end a line. An invalid byte counts as one column.
 */
static void store_offset_pos(struct store_parse *p, size_t off, int *line, int *col)
{
	const char *s = p->data;
	size_t i = p->pos_off;
	int l = p->pos_line, c = p->pos_col;

	if (off > p->len)
		off = p->len;
	if (off < i || !l) {
		i = 0;
		l = 1;
		c = 1;
		if (p->len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
			i = 3;
	}
	while (i < off) {
		unsigned char ch = (unsigned char)s[i];
		uint32_t cp;
		size_t n;

		if (ch == '\n' || (ch == '\r' && (i + 1 >= p->len || s[i + 1] != '\n'))) {
			l++;
			c = 1;
			i++;
		} else if (ch == '\r') {
			i++; /* the LF that follows ends the line */
		} else if (ch < 0x80) {
			c++;
			i++;
		} else {
			n = utf8_decode(s + i, p->len - i, &cp);
			i += n ? n : 1;
			c++;
		}
	}
	p->pos_off = i;
	p->pos_line = l;
	p->pos_col = c;
	*line = l;
	*col = c;
}

__attribute__((format(printf, 3, 4)))
static void store_err_off(struct store_parse *p, size_t off, const char *fmt, ...)
{
	va_list ap;
	int line = 0, col = 0;

	/* Positions cost a scan: only compute the ones that are kept. */
	if (store_errors_room(p->err))
		store_offset_pos(p, off, &line, &col);
	va_start(ap, fmt);
	store_errors_vadd(p->err, line, col, p->prefix, fmt, ap);
	va_end(ap);
}

/*
 * Step 1: the bytes. Invalid UTF-8 (every bad spot, not just the first) and
 * raw control characters: C0 but TAB, LF and CR; DEL; C1, including NEL,
 * which YAML 1.1 would silently take as a line break; and the Unicode line
 * and paragraph separators, line breaks to YAML 1.1 and not to 1.2 (nor to
 * editors), so positions and meaning would depend on the reader. Escaped in
 * a double-quoted scalar, all of these are fine where the field allows them.
 */
static bool store_check_bytes(struct store_parse *p)
{
	const unsigned char *s = (const unsigned char *)p->data;
	size_t len = p->len, off = 0, bad, i;
	bool ok = true;

	while (off < len && !utf8_valid(p->data + off, len - off, &bad)) {
		off += bad;
		if (!s[off]) {
			off++; /* NUL is valid UTF-8: reported as a control below */
			continue;
		}
		store_err_off(p, off, "invalid UTF-8 (byte 0x%02x)", s[off]);
		ok = false;
		/* The rest of a broken sequence is not another problem. */
		for (off++; off < len && (s[off] & 0xC0) == 0x80; off++)
			;
	}

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7F)
			continue;
		if (c < 0x20) {
			if (c == '\t' || c == '\n' || c == '\r')
				continue;
			store_err_off(p, i, "control character U+%04X is not allowed", c);
			ok = false;
		} else if (c == 0x7F) {
			store_err_off(p, i, "control character U+007F is not allowed");
			ok = false;
		} else if (c == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) {
			store_err_off(p, i, "control character U+%04X is not allowed", s[i + 1]);
			ok = false;
			i++;
		} else if (c == 0xE2 && i + 2 < len && s[i + 1] == 0x80 &&
			   (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
			store_err_off(p, i, "%s separator U+%04X is not allowed (write it escaped, "
				      "\"\\u%04X\")",
				      s[i + 2] == 0xA8 ? "line" : "paragraph",
				      0x2000u + s[i + 2] - 0x80u, 0x2000u + s[i + 2] - 0x80u);
			ok = false;
			i += 2;
		}
	}
	return ok;
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

static void store_bad_tag(struct store_parse *p, const yaml_event_t *ev, const char *tag)
{
	char buf[128];

	p->bad_yaml = true;
	store_err_at(p, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
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
		if (!p->bad_yaml)
			store_card(p, n);
		arena_reset(&p->arena, &p->card_mark);
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
 * Counts a node kept in the tree; true (a problem) past STORE_MAX_NODES. The
 * nodes of streamed cards are freed card by card and not counted.
 */
static bool store_count_node(struct store_parse *p)
{
	if (p->streaming && p->depth >= 2)
		return false;
	if (++p->nodes <= STORE_MAX_NODES)
		return false;
	p->bad_yaml = true;
	return true;
}

/* Reports a libyaml failure; the parser stops there. */
static void store_yaml_error(struct store_parse *p, const yaml_parser_t *yp)
{
	const char *problem = yp->problem ? yp->problem : "unknown error";

	p->bad_yaml = true;
	switch (yp->error) {
	case YAML_MEMORY_ERROR:
		store_err_at(p, 0, 0, "out of memory while parsing");
		break;
	case YAML_READER_ERROR:
		if (yp->problem_value >= 0)
			store_err_off(p, yp->problem_offset, "character U+%04X is not allowed",
				      (unsigned)yp->problem_value);
		else
			store_err_off(p, yp->problem_offset, "invalid input: %s", problem);
		break;
	default:
		if (yp->context)
			store_err_at(p, (int)yp->problem_mark.line + 1,
				     (int)yp->problem_mark.column + 1,
				     "syntax error: %s (%s starting at line %d, column %d)",
				     problem, yp->context, (int)yp->context_mark.line + 1,
				     (int)yp->context_mark.column + 1);
		else
			store_err_at(p, (int)yp->problem_mark.line + 1,
				     (int)yp->problem_mark.column + 1, "syntax error: %s", problem);
		break;
	}
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
		store_err_at(p, 0, 0, "out of memory while parsing");
		return -1;
	}
	yaml_parser_set_input_string(&yp, (const unsigned char *)p->data, p->len);

	while (!done) {
		int line, col;
		struct snode n;
		int style;

		if (!yaml_parser_parse(&yp, &ev)) {
			store_yaml_error(p, &yp);
			break;
		}
		line = (int)ev.start_mark.line + 1;
		col = (int)ev.start_mark.column + 1;
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
			if (seq && p->depth == 1 && !p->bad_yaml && store_prelude(p)) {
				p->streaming = true;
				n.style = SSTYLE_STREAMED;
			}
			lv = &p->levels[p->depth++];
			lv->head = n;
			lv->head.kind = seq ? SNODE_SEQ : SNODE_MAP;
			lv->n = 0;
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

#define STORE_MAX_FIELDS 12

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

/* A list-valued top-level key: its items, or NULL (with *n = 0). */
static const struct snode *store_list(struct store_parse *p, const struct snode *v,
				      const char *what, size_t max, size_t *count)
{
	*count = 0;
	if (!store_present(v))
		return NULL;
	if (v->kind != SNODE_SEQ) {
		store_err(p, v, "'%s' must be a list, not %s", what, store_kind_name(v));
		return NULL;
	}
	*count = v->n;
	if (max && v->n > max) {
		store_err(p, v, "too many %s (%u, the limit is %zu)", what, v->n, max);
		*count = max;
	}
	return v->u.kids;
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

	items = store_list(p, v, "themes", STORE_MAX_THEMES, &count);
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
		if (!f[2]) {
			store_missing(p, t, "color", "theme", "");
		} else if (f[2]->kind != SNODE_SCALAR || (hue = hue_parse(f[2]->u.s)) < 0) {
			struct suggest sg;
			int h;

			hue = HUE_WHITE;
			if (f[2]->kind != SNODE_SCALAR) {
				store_err(p, f[2], "'color' must be a color name, not %s",
					  store_kind_name(f[2]));
			} else {
				suggest_init(&sg, f[2]->u.s);
				for (h = 0; h < HUE_COUNT; h++)
					suggest_try(&sg, hue_name((enum hue)h));
				store_err(p, f[2], "unknown color '%s'%s", store_cut(p, f[2]->u.s),
					  sg.best ? suggest_text(p, &sg)
						  : " (colors are black, red, green, yellow, blue, "
						    "magenta, cyan and white)");
			}
		}
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

	items = store_list(p, v, "criteria", STORE_MAX_CRITERIA, &count);
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

static void store_grids(struct store_parse *p, const struct snode *v)
{
	static const char *const names[] = { "id", "x", "y", "cells" };
	const struct snode *items, *f[4];
	size_t count, i;

	items = store_list(p, v, "grids", STORE_MAX_GRIDS, &count);
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
		store_fields(p, g, names, 4, f);
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
		if (!id)
			continue;
		if (x < 0 || y < 0 || !ok) {
			/* Placements on a grid that could not be made are not checked. */
			store_names_add(&p->bad_grids, id);
			continue;
		}
		{
			int at = board_add_grid(p->b, id, (size_t)x, (size_t)y, (int)cells);

			if (at >= 0)
				p->grid_ids[at] = f[0];
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

enum { CK_ID, CK_TEXT, CK_THEME, CK_BY, CK_CREATED, CK_NOTE, CK_DECISION, CK_LOCKED, CK_PLACE,
       CK_COUNT };

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

/*
 * One item of the cards list. A valid card is added to the board; a card
 * whose id is already on the board is not, and is reported with every other
 * duplicate by store_cards_end().
 */
static void store_card(struct store_parse *p, const struct snode *c)
{
	static const char *const names[CK_COUNT] = { "id", "text", "theme", "by", "created",
						     "note", "decision", "locked", "place" };
	const struct snode *f[CK_COUNT], *idn;
	const char *text = NULL, *by = NULL, *note = NULL, *s;
	int theme = -1, decision = DECISION_UNDECIDED;
	size_t index = p->ncards++;
	time_t created = 0;
	bool locked = false, ok = true, uu_ok;
	char prefix[32];
	struct card *card;
	uuid_t uu;

	/* Every message names the card, by its short id when it has one. */
	idn = store_map_get(c, "id");
	uu_ok = idn && store_uuid_parse(idn, uu);
	if (uu_ok) {
		struct card_seen *cs;

		ALLOC_GROW(p->seen, p->nseen + 1, p->seen_alloc);
		cs = &p->seen[p->nseen++];
		memcpy(cs->id, uu, sizeof(uuid_t));
		cs->index = index;
		cs->line = idn->line;
		cs->col = idn->col;
		snprintf(prefix, sizeof(prefix), "card %02x%02x%02x%02x: ", uu[0], uu[1], uu[2],
			 uu[3]);
	} else {
		snprintf(prefix, sizeof(prefix), "card #%zu: ", index + 1);
	}
	p->prefix = prefix;
	if (c->kind != SNODE_MAP) {
		store_err(p, c, "must be a mapping with id, text and theme");
		p->prefix = NULL;
		return;
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
	} else if (!(text = store_string(p, f[CK_TEXT], "text", STR_FREE))) {
		ok = false;
	}

	if (!f[CK_THEME]) {
		store_err(p, c, "missing key 'theme'");
		ok = false;
	} else if (!(s = store_string(p, f[CK_THEME], "theme", 0))) {
		ok = false;
	} else if ((theme = board_theme_index(p->b, s)) < 0) {
		store_unknown_ref(p, f[CK_THEME], REF_THEME, s);
		ok = false;
	}

	if (store_present(f[CK_BY]) && !(by = store_string(p, f[CK_BY], "by", 0)))
		ok = false;
	if (store_present(f[CK_NOTE]) && !(note = store_string(p, f[CK_NOTE], "note", STR_FREE)))
		ok = false;
	if (store_present(f[CK_CREATED])) {
		const struct snode *v = f[CK_CREATED];

		if (v->kind != SNODE_SCALAR || memchr(v->u.s, '\0', v->n) ||
		    !iso8601_parse(v->u.s, &created)) {
			store_err(p, v, "'created' must be a date and time such as "
				  "2019-06-28T10:12:00Z");
			ok = false;
		}
	}
	if (store_present(f[CK_DECISION])) {
		const struct snode *v = f[CK_DECISION];

		if (v->kind != SNODE_SCALAR || (decision = decision_parse(v->u.s)) < 0) {
			store_err(p, v, "'decision' must be undecided, v1, v2 or elsewhere");
			ok = false;
		}
	}
	if (store_present(f[CK_LOCKED]) && !store_bool(f[CK_LOCKED], &locked)) {
		store_err(p, f[CK_LOCKED], "'locked' must be true or false");
		ok = false;
	}
	if (!p->cells)
		p->cells = xcalloc(p->b->ngrids ? p->b->ngrids : 1, sizeof(*p->cells));
	memset(p->cells, 0, p->b->ngrids * sizeof(*p->cells));
	if (!store_card_place(p, f[CK_PLACE], p->cells))
		ok = false;
	p->prefix = NULL;

	if (!ok || !(card = board_add_card(p->b, uu, text, (size_t)theme)))
		return;
	card_set_by(card, by);
	card_set_note(card, note);
	card->created = created;
	card->decision = (enum decision)decision;
	card->locked = locked;
	memcpy(card->place, p->cells, p->b->ngrids * sizeof(*p->cells));
}

/* The cards list from the tree, unless it was checked while reading. */
static void store_cards(struct store_parse *p, const struct snode *v)
{
	const struct snode *items;
	size_t count, i;

	if (v && v->kind == SNODE_SEQ && v->style == SSTYLE_STREAMED)
		return;
	items = store_list(p, v, "cards", 0, &count);
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

/* Forgets the problems reported after the first n (and dropped ones). */
static void store_errors_truncate(struct store_errors *e, size_t n, size_t dropped)
{
	while (e->n > n)
		free(e->v[--e->n].message);
	e->dropped = dropped;
}

enum { TK_TAMIS, TK_TITLE, TK_DESCRIPTION, TK_THEMES, TK_CRITERIA, TK_GRIDS, TK_CARDS, TK_COUNT };

/* Step 3: the tree (and what streaming left of it) into a board, in p->b. */
static void store_validate(struct store_parse *p)
{
	static const char *const names[TK_COUNT] = { "tamis", "title", "description", "themes",
						     "criteria", "grids", "cards" };
	const struct snode *root = &p->root, *f[TK_COUNT], *ver;
	const char *title = NULL, *description = NULL;
	long version;

	if (!p->have_root) {
		store_err_at(p, 0, 0, "the file holds no board (it is empty or only comments)");
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
	store_cards(p, f[TK_CARDS]);
	store_cards_end(p);
}

int store_parse(const char *data, size_t len, struct board **out, struct store_errors *err)
{
	struct store_parse p;
	size_t before = err->n + err->dropped, i;
	int ret = -1;

	memset(&p, 0, sizeof(p));
	p.err = err;
	p.data = data;
	p.len = len;

	if (store_check_bytes(&p) && !store_scan(&p))
		store_validate(&p);

	if (err->n + err->dropped == before) {
		*out = p.b;
		ret = 0;
	} else if (p.b) {
		board_free(p.b);
	}
	store_errors_sort(err);

	for (i = 0; i < STORE_MAX_DEPTH; i++)
		free(p.levels[i].v);
	free(p.seen);
	free(p.cells);
	free(p.theme_ids);
	free(p.criterion_ids);
	free(p.grid_ids);
	free(p.bad_themes.v);
	free(p.bad_criteria.v);
	free(p.bad_grids.v);
	arena_release(&p.arena);
	return ret;
}

int store_load(const char *path, struct board **out, struct store_errors *err)
{
	struct strbuf data = STRBUF_INIT, msg = STRBUF_INIT;
	int ret;

	if (file_read(path, STORE_MAX_FILE_SIZE, &data, &msg) < 0) {
		int saved = errno;

		while (msg.len && msg.buf[msg.len - 1] == '\n')
			strbuf_setlen(&msg, msg.len - 1);
		store_errors_add(err, 0, 0, "%s", msg.buf);
		strbuf_release(&msg);
		strbuf_release(&data);
		errno = saved;
		return -2;
	}
	ret = store_parse(data.buf, data.len, out, err);
	strbuf_release(&msg);
	strbuf_release(&data);
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

/* "KEY: VALUE\n" indented by indent spaces. */
static void store_put(struct strbuf *out, int indent, const char *key, const char *value)
{
	strbuf_addchars(out, ' ', (size_t)indent);
	strbuf_addstr(out, key);
	strbuf_addstr(out, ": ");
	store_format_scalar(out, value);
	strbuf_addch(out, '\n');
}

static void store_format_card(const struct board *b, const struct card *c, struct strbuf *out)
{
	char id[CARD_UUID_LEN + 1], when[ISO8601_LEN + 1];
	bool placed = false;
	size_t g;

	card_uuid(c, id);
	strbuf_addf(out, "  - id: %s\n", id); /* a UUID never needs quotes */
	store_put(out, 4, "text", c->text);
	store_put(out, 4, "theme", b->themes[c->theme].id);
	if (c->by)
		store_put(out, 4, "by", c->by);
	if (c->created) {
		iso8601_format(c->created, when);
		strbuf_addf(out, "    created: %s\n", when);
	}
	if (c->note)
		store_put(out, 4, "note", c->note);
	strbuf_addf(out, "    decision: %s\n", decision_name(c->decision));
	if (c->locked)
		strbuf_addstr(out, "    locked: true\n");
	for (g = 0; g < b->ngrids; g++) {
		if (!card_is_placed(c, g))
			continue;
		if (!placed)
			strbuf_addstr(out, "    place:\n");
		placed = true;
		strbuf_addchars(out, ' ', 6);
		store_format_scalar(out, b->grids[g].id);
		strbuf_addf(out, ": [%d, %d]\n", c->place[g].x, c->place[g].y);
	}
}

void store_format(const struct board *b, struct strbuf *out)
{
	size_t i;

	strbuf_addf(out, "tamis: %d\n", STORE_FORMAT_VERSION);
	store_put(out, 0, "title", b->title ? b->title : "");
	if (b->description)
		store_put(out, 0, "description", b->description);

	strbuf_addstr(out, b->nthemes ? "\nthemes:\n" : "\nthemes: []\n");
	for (i = 0; i < b->nthemes; i++) {
		const struct theme *t = &b->themes[i];

		store_put(out, 2, "- id", t->id);
		store_put(out, 4, "label", t->label);
		strbuf_addf(out, "    color: %s\n", hue_name(t->color));
	}

	strbuf_addstr(out, b->ncriteria ? "\ncriteria:\n" : "\ncriteria: []\n");
	for (i = 0; i < b->ncriteria; i++) {
		const struct criterion *c = &b->criteria[i];

		store_put(out, 2, "- id", c->id);
		store_put(out, 4, "low", c->low);
		store_put(out, 4, "high", c->high);
		strbuf_addf(out, "    easy: %s\n", pole_name(c->easy));
	}

	strbuf_addstr(out, b->ngrids ? "\ngrids:\n" : "\ngrids: []\n");
	for (i = 0; i < b->ngrids; i++) {
		const struct grid *g = &b->grids[i];

		store_put(out, 2, "- id", g->id);
		store_put(out, 4, "x", b->criteria[g->x].id);
		store_put(out, 4, "y", b->criteria[g->y].id);
		strbuf_addf(out, "    cells: %d\n", g->cells);
	}

	strbuf_addstr(out, b->ncards ? "\ncards:\n" : "\ncards: []\n");
	for (i = 0; i < b->ncards; i++)
		store_format_card(b, b->cards[i], out);
}

void store_format_cards(const struct board *b, struct card *const *cards, size_t n,
			struct strbuf *out)
{
	size_t i;

	strbuf_addstr(out, n ? "cards:\n" : "cards: []\n");
	for (i = 0; i < n; i++)
		store_format_card(b, cards[i], out);
}

int store_save(const char *path, const struct board *b, struct strbuf *err)
{
	struct strbuf data = STRBUF_INIT;
	int ret;

	store_format(b, &data);
	ret = file_replace(path, data.buf, data.len, err);
	strbuf_release(&data);
	return ret;
}
