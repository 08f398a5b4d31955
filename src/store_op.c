/*
 * store_op.c - operations for the live-sharing journal (store.h): one flow
 * mapping on one line each way, an added card read as a card of the file.
 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "op.h"
#include "sign.h"
#include "store_int.h"
#include "text.h"
#include "xmalloc.h"

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
		strbuf_addstr(out, ": ");
		store_put_cell(out, c->place[g].x, c->place[g].y);
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

static const char *store_op_name(int k)
{
	return op_kind_name((enum op_kind)k);
}

static const struct snameset store_ops = {
	"operation", "an operation", op_kind_parse, store_op_name, OP_COUNT, NULL,
};

/* The kind of an operation: its name. */
static bool store_read_op_kind(struct store_parse *p, const struct snode *v,
			       const struct sfield *f, void *obj)
{
	struct op *op = obj;
	int k = store_name(p, v, f->key, &store_ops);

	if (k < 0)
		return false;
	op->kind = (enum op_kind)k;
	return true;
}

/* The card of an operation: the whole card for an 'add', else its id. */
static bool store_read_op_card(struct store_parse *p, const struct snode *v,
			       const struct sfield *f, void *obj)
{
	struct op *op = obj;

	(void)f;
	if (op->kind == OP_ADD) {
		if (!(op->card_data = store_op_card(p, v)))
			return false;
		memcpy(op->card, op->card_data->id, sizeof(uuid_t));
		return true;
	}
	if (store_uuid_parse(v, op->card))
		return true;
	store_err(p, v, "'card' must be a card id (a UUID such as "
		  "6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f)");
	return false;
}

enum { OK_OP, OK_AT, OK_BY, OK_FAC, OK_CARD, OK_GRID, OK_NAME, OK_TEXT, OK_TEXT2, OK_X, OK_Y,
       OK_VALUE, OK_KEY, OK_SIG, OK_COUNT };

/*
 * The keys of an operation. From OK_CARD to OK_VALUE, each kind uses some
 * (struct store_op_spec): store_op_fields() makes their table for a kind.
 */
static const struct sfield op_fields[OK_COUNT] = {
	SFIELD_READ("op", SF_REQUIRED | SF_STOP, 0, store_read_op_kind,
		    " (what the operation does)"),
	SFIELD("at", SFT_TIME, SF_REQUIRED, offsetof(struct op, at),
	       " (when the operation was made)"),
	SFIELD("by", SFT_STRING, SF_COPY, offsetof(struct op, by), NULL),
	SFIELD("fac", SFT_BOOL, 0, offsetof(struct op, facilitator), NULL),
	SFIELD_READ("card", SF_NEEDED, 0, store_read_op_card, NULL),
	SFIELD("grid", SFT_STRING, SF_COPY, offsetof(struct op, grid), NULL),
	SFIELD("name", SFT_STRING, SF_COPY, offsetof(struct op, name), NULL),
	SFIELD("text", SFT_STRING, SF_COPY, offsetof(struct op, text), NULL),
	SFIELD("text2", SFT_STRING, SF_COPY, offsetof(struct op, text2), NULL),
	SFIELD_INT("x", SF_REQUIRED, offsetof(struct op, x), 0, 0),
	SFIELD_INT("y", SF_REQUIRED, offsetof(struct op, y), 0, 0),
	SFIELD_INT("value", SF_REQUIRED, offsetof(struct op, value), 0, 0),
	/* Read by store_op_signature(). */
	SFIELD("key", SFT_NODE, 0, 0, NULL),
	SFIELD("sig", SFT_NODE, 0, 0, NULL),
};
static const struct smap op_map = { NULL, op_fields, OK_COUNT };

/* The OF_ flag of each key from OK_CARD on. */
static const unsigned store_op_key_flags[OK_COUNT] = {
	[OK_CARD] = OF_CARD, [OK_GRID] = OF_GRID, [OK_NAME] = OF_NAME, [OK_TEXT] = OF_TEXT,
	[OK_TEXT2] = OF_TEXT2, [OK_X] = OF_X, [OK_Y] = OF_Y, [OK_VALUE] = OF_VALUE,
};

/*
 * The table of the keys of operations of kind k, in v[OK_COUNT]: those it
 * does not use are not read, strings it needs are needed, integers have
 * their range.
 */
static void store_op_fields(enum op_kind k, struct sfield *v)
{
	const struct store_op_spec *spec = &store_op_specs[k];
	unsigned fields = spec->fields;
	int i;

	memcpy(v, op_fields, sizeof(op_fields));
	v[OK_GRID].flags |= fields & OF_GRID_NEEDED ? SF_NEEDED : 0;
	v[OK_NAME].flags |= fields & OF_NAME_NEEDED ? SF_NEEDED : 0;
	v[OK_TEXT].flags |= fields & OF_TEXT_NEEDED ? SF_NEEDED : 0;
	v[OK_TEXT2].flags |= fields & OF_TEXT2_NEEDED ? SF_NEEDED : 0;
	if (fields & OF_TEXT_FREE)
		v[OK_TEXT].type = SFT_TEXT;
	if (fields & OF_TEXT2_FREE)
		v[OK_TEXT2].type = SFT_TEXT;
	v[OK_X].min = spec->xmin;
	v[OK_X].max = spec->xmax;
	v[OK_Y].min = spec->ymin;
	v[OK_Y].max = spec->ymax;
	v[OK_VALUE].min = spec->vmin;
	v[OK_VALUE].max = spec->vmax;
	for (i = OK_CARD; i <= OK_VALUE; i++) {
		if (!(fields & store_op_key_flags[i])) {
			v[i].type = SFT_NODE; /* reported as not used */
			v[i].flags = 0;
		}
	}
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
	struct sfield kind_fields[OK_COUNT];
	struct smap kind_map = { NULL, kind_fields, OK_COUNT };
	char what[64];
	int k;

	if (!p->have_root || root->kind != SNODE_MAP) {
		if (p->have_root)
			store_err(p, root, "an operation must be a mapping, not %s",
				  store_kind_name(root));
		else
			store_err_at(p, 0, 0, "an empty line is not an operation");
		return;
	}
	store_fields(p, root, &op_map, f);
	if (!store_fields_read(p, root, &op_map, f, OK_OP, OK_AT, op))
		return;
	store_fields_read(p, root, &op_map, f, OK_AT, OK_CARD, op);
	for (k = OK_CARD; k <= OK_VALUE; k++)
		if (store_present(f[k]) && !(store_op_specs[op->kind].fields & store_op_key_flags[k]))
			store_err(p, store_key_of(f[k]), "'%s' is not used by a '%s' operation",
				  op_fields[k].key, op_kind_name(op->kind));
	snprintf(what, sizeof(what), "a '%s' operation", op_kind_name(op->kind));
	kind_map.what = what;
	store_op_fields(op->kind, kind_fields);
	store_fields_read(p, root, &kind_map, f, OK_CARD, OK_X, op);
	if (store_fields_read(p, root, &kind_map, f, OK_X, OK_VALUE, op) && op->kind == OP_MOVE &&
	    !op->x != !op->y)
		store_err(p, f[OK_X], "'x' and 'y' must both be 0 (the tray) or both from 1 to %d",
			  BOARD_MAX_CELLS);
	store_fields_read(p, root, &kind_map, f, OK_VALUE, OK_KEY, op);
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
