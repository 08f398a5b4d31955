/*
 * store_int.h - what the files of the store (src/store*.c) share: the input,
 * the node tree, the parse state, and the functions one file calls in another.
 * Not for the rest of tamis: store.h is the store's interface.
 *
 * Reading a board goes in three steps, each refusing what the next cannot
 * handle:
 *
 *  1. the raw bytes are checked for invalid UTF-8 and raw control characters,
 *     with positions computed from byte offsets (libyaml reports invalid
 *     UTF-8 at 1:1); a file is read and checked 64 KiB at a time, libyaml
 *     seeing only checked bytes, so that it is never whole in memory
 *     (store_input.c);
 *  2. libyaml's event API builds a small tree of nodes in an arena, refusing
 *     anchors and aliases (never expanded), foreign tags, several documents,
 *     oversized scalars, too many nodes, and nesting deeper than
 *     STORE_MAX_DEPTH (checked on every start event, before libyaml's
 *     scanner can wander into a deeply nested file) (store_scan.c);
 *  3. the tree is validated into a board through board.h, collecting one
 *     error per problem: each mapping's keys through one table-driven reader
 *     (store_fields.c), the board (store_read.c), its cards (store_card.c).
 *
 * Comments, which libyaml does not report, are found in the bytes as they
 * are handed to libyaml, attached to the keys and list items they go with,
 * and moved to the model (comments.h) once the tree is whole (store_notes.c);
 * the writer (store_write.c) puts them back.
 *
 * Writing does not use libyaml's emitter, which escapes every character
 * outside the BMP (emoji) as \UXXXXXXXX: a hand-written emitter produces
 * block-style YAML with UTF-8 as is, quoting only the scalars that need it
 * (a card's history is written one flow mapping per line).
 *
 * Operations for the live-sharing journal go through the same two halves
 * (store_op.c): store_format_op() writes one flow mapping on one line, every
 * string double-quoted; store_parse_op() reads it with steps 1 and 2 (never
 * streaming) and checks the tree per kind, an added card exactly as a card of
 * the file, against the caller's board, which it only reads.
 */
#ifndef TAMIS_STORE_INT_H
#define TAMIS_STORE_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <yaml.h>

#include "board.h"
#include "comments.h"
#include "store.h"
#include "strbuf.h"
#include "timeutil.h"

/* --- The arena (store_input.c) ---------------------------------------------- */

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
	struct sevent *events; /* scratch history of one card */

	struct board *b;
	const char *prefix; /* put before every message ("card 6f1c2a8e: ") */
	const struct snode **theme_ids, **criterion_ids, **grid_ids; /* by index */
	struct snames bad_themes, bad_criteria, bad_grids;
};


/* --- Allocation in the arena (store_input.c) ------------------------------- */

/* n bytes (a multiple of 8) from a new chunk, or the spare one. */
void *arena_alloc_chunk(struct arena *a, size_t n);
struct arena_mark arena_mark(const struct arena *a);
void arena_reset(struct arena *a, const struct arena_mark *m);
void arena_release(struct arena *a);

/* n bytes, 8-byte aligned, freed with the arena. */
static inline void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;

	n = (n + 7) & ~(size_t)7;
	if (!c || c->size - c->used < n)
		return arena_alloc_chunk(a, n);
	c->used += n;
	return (char *)(c + 1) + c->used - n;
}

/* --- Problems (store_errors.c) ---------------------------------------------- */

/* True when one more problem would be kept (not just counted). */
bool store_errors_room(const struct store_errors *e);
void store_errors_vadd(struct store_errors *e, int line, int column, const char *prefix,
		       const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
/* Puts problems in file order (stable: equal positions keep their order). */
void store_errors_sort(struct store_errors *e);
/* Forgets the problems reported after the first n (and dropped ones). */
void store_errors_truncate(struct store_errors *e, size_t n, size_t dropped);

/* A problem at line, col, after p->prefix. */
void store_err_at(struct store_parse *p, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * Reports a problem without location: its message names the file itself
 * ("'board.yaml' holds no board"), as store_errors_format() prints it alone.
 */
void store_err_nowhere(struct store_parse *p, const char *before, const char *after);
/* A problem at node n. */
void store_err(struct store_parse *p, const struct snode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- Step 1: the input (store_input.c) ------------------------------------- */

/* The position of off, counted from the nearest known place before it. */
struct spos sinput_pos(const struct sinput *in, const struct spos *from, size_t off);
/* Checks the window as far as its bytes allow: all of it at the end of the input. */
void sinput_check(struct sinput *in);
/* Reads and checks the rest of the input, whatever libyaml took of it. */
void sinput_drain(struct sinput *in);
/*
 * libyaml's read handler (data: the store_parse): checked bytes only, and
 * none after a byte problem. Comments are looked for in what it hands out.
 */
int sinput_yaml_read(void *data, unsigned char *buffer, size_t size, size_t *size_read);
/* The end of the input, once read to the end: false before. */
bool sinput_end(struct sinput *in, int *line, int *col);
/* The problems of step 1, in the order of a check of the whole input. */
void sinput_report(struct store_parse *p);
/* A problem at a byte offset that libyaml reports. */
void store_err_off(struct store_parse *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- Step 2: libyaml events to nodes (store_scan.c) ------------------------- */

/*
 * Builds the node tree from libyaml's events. Returns 0, or -1 when the file
 * is not acceptable YAML (problems reported); the model is then not checked.
 */
int store_scan(struct store_parse *p);
/* Puts a position past the end of the input, once read to the end, at its end. */
void store_mark_end(struct store_parse *p, int *line, int *col);

/*
 * A libyaml mark as a 1-based line and column. libyaml puts the end of a
 * file without a final line break on the line after the last one: such a
 * mark (or any past the end) is put just after the last character. Such a
 * mark only comes once libyaml has read to the end.
 */
static inline void store_mark(struct store_parse *p, const yaml_mark_t *m, int *line, int *col)
{
	*line = (int)m->line + 1;
	*col = (int)m->column + 1;
	if (p->in.eof)
		store_mark_end(p, line, col);
}

/* --- Comments (store_notes.c) ----------------------------------------------- */

/* Finds the '#' that may start comments in the bytes at offsets [from, to). */
void snotes_scan(struct store_parse *p, size_t from, size_t to);
/*
 * Every candidate before line, col starts a comment (next: the column of
 * the next line's anchor, 0-based).
 */
void snotes_before(struct snotes *c, int line, int col, int next);
/* The whole lines waiting go before the anchor that just started. */
void snotes_queue(struct snotes *c);
/*
 * A scalar from line to eline, ecol: the candidates inside it are no
 * comments; the header of a block scalar (which starts on the next line)
 * may end with one.
 */
void snotes_scalar(struct snotes *c, const yaml_event_t *ev, int line, int eline, int ecol,
		   int next);

/*
 * The comments, the anchor and the scalar of an event, before store_scan()
 * handles it (line, col: where it starts; eline, ecol: where it ends).
 * Inline, for every event: what a file without comments needs is done
 * here, the rest in the functions above.
 */
static inline void snotes_event(struct store_parse *p, const yaml_event_t *ev, int line, int col,
				int eline, int ecol)
{
	struct snotes *c = &p->notes;
	const struct slevel *lv = p->depth ? &p->levels[p->depth - 1] : NULL;
	yaml_event_type_t type = ev->type;
	int next = col - 1;
	bool anchor = false, item = false;

	if (type == YAML_STREAM_START_EVENT)
		return;
	if (type == YAML_STREAM_END_EVENT || type == YAML_DOCUMENT_END_EVENT) {
		next = 0;
	} else if ((type == YAML_SCALAR_EVENT || type == YAML_SEQUENCE_START_EVENT ||
		    type == YAML_MAPPING_START_EVENT || type == YAML_ALIAS_EVENT) &&
		   lv && !lv->flow) {
		if (lv->head.kind == SNODE_SEQ) {
			anchor = item = true;
			next = lv->head.col - 1; /* where its '-' is */
		} else {
			anchor = !(lv->n % 2);
		}
	}
	if (c->chead < c->ncand)
		snotes_before(c, line, col, next);
	if (anchor) {
		c->anchored = true;
		c->line = line;
		c->col = col;
		c->item = item;
		if (c->queue.len)
			snotes_queue(c);
	}
	if (type == YAML_SCALAR_EVENT &&
	    (c->chead < c->ncand || ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
	     ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE))
		snotes_scalar(c, ev, line, eline, ecol, next);
	/* A block collection's start or end is no token: a '-' or the next key. */
	if (eline > c->mark_line && (eline != line || ecol != col))
		c->mark_line = eline;
	if ((type == YAML_SEQUENCE_START_EVENT &&
	     ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE) ||
	    (type == YAML_MAPPING_START_EVENT &&
	     ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE))
		c->flow++;
	else if ((type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) && lv &&
		 lv->flow)
		c->flow--;
}
/* At the end of the file: the last comments, and the lines for the tail. */
void snotes_end(struct snotes *c);
void snotes_release(struct snotes *c);
/* The comments of card c (its item and what it holds) into card. */
void snotes_card(struct store_parse *p, const struct snode *c, struct card *card);
/* The rest of the comments into the board read (p->b). */
void snotes_board(struct store_parse *p);
/*
 * Appends the path segment of a card's history event at 'at' (comments.h):
 * its time, and +k for the k-th other event at that time.
 */
void store_history_key(struct strbuf *path, time_t at, unsigned k);

/* --- Step 3: typed access to nodes (store_fields.c) ------------------------- */

/* True when n is a null scalar: ~, null, Null, NULL, empty, or tagged !!null. */
static inline bool store_is_null(const struct snode *n)
{
	if (n->kind != SNODE_SCALAR)
		return false;
	if (n->style == SSTYLE_NULL)
		return true;
	if (n->style != SSTYLE_PLAIN)
		return false;
	if (n->n == 1)
		return n->u.s[0] == '~';
	return !n->n || (n->n == 4 && (!memcmp(n->u.s, "null", 4) || !memcmp(n->u.s, "Null", 4) ||
				       !memcmp(n->u.s, "NULL", 4)));
}

/* Value of an optional key: NULL when absent or null. */
static inline const struct snode *store_present(const struct snode *n)
{
	return n && !store_is_null(n) ? n : NULL;
}

/* True when k is the scalar name (a key holding a NUL never matches). */
static inline bool store_key_is(const struct snode *k, const char *name)
{
	return k->kind == SNODE_SCALAR && k->n == strlen(name) && !memcmp(k->u.s, name, k->n);
}

/*
 * The key node of the value node v that store_fields() handed out: keys and
 * values sit side by side in their mapping's children.
 */
static inline const struct snode *store_key_of(const struct snode *v)
{
	return v - 1;
}

/*
 * A copy of s short enough to quote in a message: at most 60 code points,
 * the cut marked with "…" (the full value is at the reported position).
 */
const char *store_cut(struct store_parse *p, const char *s);

/* Did-you-mean: the closest candidate offered to suggest_try(). */
struct suggest {
	const char *word;
	const char *best;
	size_t dist;
};

void suggest_init(struct suggest *sg, const char *word);
void suggest_try(struct suggest *sg, const char *cand);
/* The " (did you mean 'X'?)" end of a message, or "" without a suggestion. */
const char *suggest_text(struct store_parse *p, const struct suggest *sg);

/* The first value for key name in mapping n, or NULL. */
const struct snode *store_map_get(const struct snode *n, const char *name);
/* Keys must be scalars; reports the others. Returns the key's text or NULL. */
const char *store_key(struct store_parse *p, const struct snode *k);

/*
 * The table-driven field reader. Each kind of mapping (a theme, a card, a
 * history event, an operation...) is a table of its keys, struct smap, in
 * the order they are read: what each value must be (its type), whether it
 * may be left out, and where the value read goes in the caller's struct.
 * store_fields() sorts a mapping's pairs onto the keys, store_fields_read()
 * reads them in table order, reporting each missing or wrong value once.
 */
#define STORE_MAX_FIELDS 16

/* What a field's value must be, and what goes in the caller's struct. */
enum sfield_type {
	SFT_NODE,     /* anything: the caller reads it from the node */
	SFT_STRING,   /* const char *: a string without control characters */
	SFT_TEXT,     /* const char *: free text (controls allowed) */
	SFT_KEY,      /* const char *: a facilitator's public key (sign.h) */
	SFT_SIG,      /* const char *: a signature (sign.h) */
	SFT_TIME,     /* time_t: a date and time */
	SFT_BOOL,     /* bool: true or false */
	SFT_INT,      /* int: an integer from min to max */
	SFT_DECISION, /* int: enum decision */
	SFT_HUE,      /* int: enum hue, a colour name */
	SFT_POLE,     /* int: enum pole, low or high */
	SFT_CUSTOM,   /* whatever the field's read function makes of it */
};

/* How a field may be left out, and what the reader does with its value. */
enum {
	SF_REQUIRED = 1, /* absent: "missing key"; null: a wrong value */
	SF_NEEDED = 2,   /* absent or null: "missing key" */
	SF_STOP = 4,     /* missing or wrong: the fields after it are not read */
	SF_COPY = 8,     /* strings: a new copy (char *, the caller frees it) */
};

struct sfield;
/* Reads the value v of field f into obj: false after reporting why not. */
typedef bool sfield_read_fn(struct store_parse *p, const struct snode *v,
			    const struct sfield *f, void *obj);

struct sfield {
	const char *key;
	unsigned char len;    /* strlen(key) */
	unsigned char type;   /* enum sfield_type */
	unsigned char flags;  /* SF_* */
	unsigned short at;    /* offsetof() the value in the caller's struct */
	const char *hint;     /* what ends "missing key 'KEY' in WHAT", or NULL */
	sfield_read_fn *read; /* SFT_CUSTOM */
	int min, max;         /* SFT_INT */
};

/*
 * Table entries: a field read by its type into the caller's struct at
 * offsetof() 'at'; an integer from min to max; a field read by a function.
 */
#define SFIELD(key, type, flags, at, hint) \
	{ key, sizeof(key) - 1, type, flags, at, hint, NULL, 0, 0 }
#define SFIELD_INT(key, flags, at, min, max) \
	{ key, sizeof(key) - 1, SFT_INT, flags, at, NULL, NULL, min, max }
#define SFIELD_READ(key, flags, at, read, hint) \
	{ key, sizeof(key) - 1, SFT_CUSTOM, flags, at, hint, read, 0, 0 }

/* The number of entries of an array. */
#define STORE_COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* A number as a string literal: STORE_STR(STORE_FORMAT_VERSION) is "1". */
#define STORE_STR_(x) #x
#define STORE_STR(x) STORE_STR_(x)

/* The keys of a kind of mapping, in the order they are read. */
struct smap {
	/* In messages: "missing key 'id' in theme" ("missing key 'id'" when NULL). */
	const char *what;
	const struct sfield *v;
	size_t n;
};

/*
 * Sorts the pairs of mapping n onto m's keys: f[i] is the value of m->v[i],
 * or NULL when absent. Reports keys that are not scalars, unknown keys (with
 * a suggestion) and duplicate keys; the first of duplicates wins.
 */
void store_fields(struct store_parse *p, const struct snode *n, const struct smap *m,
		  const struct snode **f);
/*
 * Reads the fields [from, to) of m, whose values store_fields() put in f, in
 * table order: reports a field missing (at n), a value that is not what its
 * type says (at the value), and writes each value read well into obj, at its
 * offset; a field not read well leaves obj as it was. Optional fields (no
 * SF_REQUIRED or SF_NEEDED) absent or null are not read. True when every
 * field read well.
 */
bool store_fields_read(struct store_parse *p, const struct snode *n, const struct smap *m,
		       const struct snode *const *f, size_t from, size_t to, void *obj);
/* store_fields() and store_fields_read() of every field of m. */
bool store_map_read(struct store_parse *p, const struct snode *n, const struct smap *m,
		    const struct snode **f, void *obj);
/* "a list", "a mapping", "empty" or "a single value", for messages. */
const char *store_kind_name(const struct snode *n);

enum { STR_FREE = 1 }; /* card text, notes, description: controls allowed */

/*
 * The string value of n for key 'what', or NULL after reporting why not. Any
 * scalar that is not null will do: a plain 2019 is the string "2019", as the
 * user wrote it. No string may hold NUL; only free text may hold controls.
 */
const char *store_string(struct store_parse *p, const struct snode *n, const char *what,
			 int flags);
/* A facilitator's public key for key 'what' (sign.h), or NULL after reporting why not. */
const char *store_key_id(struct store_parse *p, const struct snode *n, const char *what);
/* A signature for key 'what' (sign.h), or NULL after reporting why not. */
const char *store_sig(struct store_parse *p, const struct snode *n, const char *what);
/* An untagged plain or !!int scalar holding a decimal integer. */
bool store_int(const struct snode *n, long *out);
/* true/false/True/False, plain or !!bool. */
bool store_bool(const struct snode *n, bool *out);
bool store_names_has(const struct snames *ns, const char *s);
void store_names_add(struct snames *ns, const char *s);
enum ref_kind { REF_THEME, REF_CRITERION, REF_GRID };

/*
 * The field reader of the id of a theme, criterion or grid (f->min: enum
 * ref_kind), a const char * in obj at f->at: false after reporting an
 * invalid or duplicate id; an invalid one is noted so that references to it
 * are not reported as well.
 */
bool store_read_item_id(struct store_parse *p, const struct snode *v, const struct sfield *f,
			void *obj);
#define SFIELD_ID(kind, at) \
	{ "id", 2, SFT_CUSTOM, SF_REQUIRED, at, NULL, store_read_item_id, kind, 0 }
/*
 * Reports n, which is not a card id: "invalid NOUN '...' (a card id is a
 * UUID...)" for a scalar, else "'KEY' must be a UUID, not ...".
 */
void store_bad_uuid(struct store_parse *p, const struct snode *n, const char *noun,
		    const char *key);
/*
 * The items of list-valued key 'key' ('what' names them in messages), or
 * NULL (with *count = 0) when absent or null. Past max items (0: no limit),
 * reports it and gives the first max.
 */
const struct snode *store_list(struct store_parse *p, const struct snode *v, const char *key,
			       const char *what, size_t max, size_t *count);
/*
 * Reads a cell [x, y] with x and y from 1 to cells. Returns NULL when it is
 * one, else the node at fault (v itself, or the bad coordinate).
 */
const struct snode *store_xy(const struct snode *v, int cells, struct cell *out);
/* The names a value may take: an event, a colour, an operation... */
struct snameset {
	const char *noun;   /* "event": "unknown event 'x'" */
	const char *a_noun; /* "an event": "'event' must be an event name" */
	int (*parse)(const char *name); /* its number, or -1 */
	const char *(*name)(int k);     /* the name of k, from 0 to count - 1 */
	int count;
	const char *list;   /* what ends "unknown event 'x'" without a suggestion, or NULL */
};

/*
 * The number of the name that v (the value of key) holds, or -1 after
 * reporting why not, with the closest name as a suggestion.
 */
int store_name(struct store_parse *p, const struct snode *v, const char *key,
	       const struct snameset *ns);
/*
 * A timestamp for key 'what'; false after reporting why not. Years 1000 to
 * 9999 only: what iso8601_format() writes back as the same four-digit year.
 */
bool store_time(struct store_parse *p, const struct snode *n, const char *what, time_t *out);
/* A decision name for key 'what', or -1 after reporting why not. */
int store_decision(struct store_parse *p, const struct snode *n, const char *what);

/* Reports a reference to an undefined item, unless that item was reported. */
void store_unknown_ref(struct store_parse *p, const struct snode *n, enum ref_kind kind,
		       const char *name);

/* --- Cards (store_card.c) ----------------------------------------------------- */

/* A card read from the file, checked: strings point into the tree. */
struct scard {
	uuid_t id;
	bool id_ok;     /* id is the card's, a valid one */
	const char *text, *by, *pair, *note;
	int theme;
	time_t created;
	int decision;   /* enum decision */
	bool locked, debated;
	size_t nevents; /* history in p->events, placements in p->cells */
};

/* An event of a card's history, read from the file: 'by' points into the tree. */
struct sevent {
	time_t at;
	const char *by;
	int kind;             /* enum event_kind */
	size_t grid;          /* EVENT_MOVED */
	struct cell from, to; /* EVENT_MOVED */
	int dfrom, dto;       /* EVENT_DECIDED: enum decision */
	/* EVENT_EDITED, EVENT_NOTED, EVENT_THEMED: from, to when given */
	bool values;
	const char *vfrom, *vto;
};

/*
 * Parses the 36-character form of a UUID (hex digits in either case, dashes
 * at 8, 13, 18 and 23), as uuid_parse() does but several times faster: it
 * runs once per card.
 */
bool store_uuid_parse(const struct snode *n, uuid_t out);
/*
 * Sets p->prefix for the messages about card c (the index-th of its list, or
 * the only one for (size_t)-1): its short id when it has a valid one (then in
 * *uu, and true). prefix has room for size bytes, at least 32.
 */
bool store_card_prefix(struct store_parse *p, const struct snode *c, size_t index, char *prefix,
		       size_t size, uuid_t uu, const struct snode **idn);
/*
 * Checks card mapping c into *sc (whose id is set by the caller when uu_ok),
 * reporting every problem under p->prefix. True when the card can be made.
 */
bool store_card_check(struct store_parse *p, const struct snode *c, bool uu_ok,
		      struct scard *sc);
/* Gives card (made with sc's id, text and theme) the rest of sc, through the model. */
void store_card_fill(struct store_parse *p, struct card *card, const struct scard *sc);
/*
 * One item of the cards list. A valid card is added to the board; a card
 * whose id is already on the board is not, and is reported with every other
 * duplicate by store_cards_end().
 */
void store_card(struct store_parse *p, const struct snode *c);
/* The cards list from the tree, unless it was checked while reading. */
void store_cards(struct store_parse *p, const struct snode *v);
/* Duplicate card ids, once every card is known. */
void store_cards_end(struct store_parse *p);

/* --- The board (store_read.c) ------------------------------------------------- */

/*
 * Called when a list starts at depth 1. When it is the value of the root's
 * first 'cards' key, and themes, criteria and grids came before it (and the
 * version, if given, is one this tamis reads), checks those now so that the
 * cards can be checked one by one as they come. Returns true to stream.
 */
bool store_prelude(struct store_parse *p);

/* --- Writing (store_write.c) -------------------------------------------------- */

/* Appends s double-quoted, escaped as store_format_scalar() says. */
void store_quote(struct strbuf *out, const char *s);
/*
 * Appends s as a scalar inside a flow collection: plain only when that is
 * safe there too (no flow indicators, no ':'), else double-quoted; always
 * double-quoted with quote_all (operation lines).
 */
void store_flow_scalar(struct strbuf *out, const char *s, bool quote_all);
/* t as iso8601_format() writes it, quicker for the years 1000 to 9999. */
void store_time_text(time_t t, char out[ISO8601_LEN + 1]);
/* A timestamp, never quoted (it is not a string). */
void store_put_time(struct strbuf *out, time_t t);
/* "[x, y]". */
void store_put_cell(struct strbuf *out, int x, int y);
/*
 * One history event as a flow mapping: at, by, event, then grid, from, to
 * (moved) or from, to (decided).
 */
void store_format_event(const struct board *b, const struct card_event *e, bool quote_all,
			struct strbuf *out);
/* True when the event can be written (a move names a grid of the board). */
bool store_event_ok(const struct board *b, const struct card_event *e);

#endif
