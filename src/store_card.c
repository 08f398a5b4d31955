/*
 * store_card.c - step 3 of reading (store_int.h) for cards: a card of a
 * board file, or the card of an operation that adds one, checked and built.
 */
#include <endian.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "xmalloc.h"

/* A valid card id met in the file, for finding duplicates by sorting. */
struct card_seen {
	uuid_t id;
	size_t index;  /* position in the cards list */
	int line, col; /* of the id */
};

/* Half of an id as a number that sorts as memcmp() sorts the bytes: big-endian. */
static uint64_t card_seen_half(const unsigned char *id)
{
	uint64_t v;

	memcpy(&v, id, sizeof(v));
	return be64toh(v);
}

/* By id (as memcmp() orders them), then by place in the list. */
static int card_seen_cmp(const void *a, const void *b)
{
	const struct card_seen *x = a, *y = b;
	uint64_t xa = card_seen_half(x->id), ya = card_seen_half(y->id);

	if (xa == ya) {
		xa = card_seen_half(x->id + 8);
		ya = card_seen_half(y->id + 8);
	}
	if (xa != ya)
		return xa < ya ? -1 : 1;
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
bool store_uuid_parse(const struct snode *n, uuid_t out)
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
	const struct snode *room[BOARD_MAX_GRIDS], **seen = room;
	bool ok = true;
	uint32_t i;

	if (!store_present(v))
		return true;
	if (v->kind != SNODE_MAP) {
		store_err(p, v, "'place' must be a mapping of grid ids to [x, y] cells, not %s",
			  store_kind_name(v));
		return false;
	}
	/* The key of each grid met: on the stack, for a board of at most BOARD_MAX_GRIDS. */
	if (p->b->ngrids > BOARD_MAX_GRIDS)
		seen = xcalloc(p->b->ngrids, sizeof(*seen));
	else
		memset(room, 0, p->b->ngrids * sizeof(*room));
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
	if (seen != room)
		free(seen);
	return ok;
}

/* --- History events ----------------------------------------------------------- */

static const char *store_event_name(int k)
{
	return event_name((enum event_kind)k);
}

static const struct snameset store_events = {
	"event", "an event", event_parse, store_event_name, EVENT_COUNT,
	" (events are created, moved, edited, themed, noted, decided, locked and unlocked)",
};

/* The kind of a history event: its name. */
static bool store_read_event_kind(struct store_parse *p, const struct snode *v,
				  const struct sfield *f, void *obj)
{
	struct sevent *e = obj;

	return (e->kind = store_name(p, v, f->key, &store_events)) >= 0;
}

/* The grid of a 'moved' event: its id. */
static bool store_read_event_grid(struct store_parse *p, const struct snode *v,
				  const struct sfield *f, void *obj)
{
	struct sevent *e = obj;
	const char *name = store_string(p, v, f->key, 0);
	int g;

	if (!name)
		return false;
	if ((g = board_grid_index(p->b, name)) < 0) {
		store_unknown_ref(p, v, REF_GRID, name);
		return false;
	}
	e->grid = (size_t)g;
	return true;
}

/* A cell of a 'moved' event, on its grid: [x, y] or the word tray. */
static bool store_read_event_cell(struct store_parse *p, const struct snode *v,
				  const struct sfield *f, void *obj)
{
	struct sevent *e = obj;
	const struct grid *grid = &p->b->grids[e->grid];
	struct cell *out = (struct cell *)((char *)obj + f->at);
	const struct snode *bad;

	out->x = out->y = 0;
	if (v->kind == SNODE_SCALAR && store_key_is(v, "tray"))
		return true;
	if (!(bad = store_xy(v, grid->cells, out)))
		return true;
	store_err(p, bad, "'%s' on grid '%s' must be [x, y] with x and y from 1 to %d, or tray",
		  f->key, grid->id, grid->cells);
	return false;
}

enum { EK_AT, EK_BY, EK_EVENT, EK_GRID, EK_FROM, EK_TO, EK_COUNT };

static const struct sfield event_fields[EK_COUNT] = {
	SFIELD("at", SFT_TIME, SF_REQUIRED, offsetof(struct sevent, at), NULL),
	SFIELD("by", SFT_STRING, 0, offsetof(struct sevent, by), NULL),
	SFIELD_READ("event", SF_REQUIRED | SF_STOP, 0, store_read_event_kind, NULL),
	/* Read for each kind below. */
	SFIELD("grid", SFT_NODE, 0, 0, NULL),
	SFIELD("from", SFT_NODE, 0, 0, NULL),
	SFIELD("to", SFT_NODE, 0, 0, NULL),
};
static const struct smap event_map = { "history event", event_fields, EK_COUNT };

/* From EK_GRID on, for a 'moved' event. */
static const struct sfield moved_fields[] = {
	SFIELD_READ("grid", SF_NEEDED | SF_STOP, 0, store_read_event_grid, NULL),
	SFIELD_READ("from", SF_REQUIRED, offsetof(struct sevent, from), store_read_event_cell,
		    " ([x, y] or tray)"),
	SFIELD_READ("to", SF_REQUIRED, offsetof(struct sevent, to), store_read_event_cell,
		    " ([x, y] or tray)"),
};
static const struct smap moved_map = { "a 'moved' event", moved_fields,
				       STORE_COUNT(moved_fields) };

/* From EK_FROM on, for a 'decided' event. */
static const struct sfield decided_fields[] = {
	SFIELD("from", SFT_DECISION, SF_REQUIRED, offsetof(struct sevent, dfrom),
	       " (the decision before)"),
	SFIELD("to", SFT_DECISION, SF_REQUIRED, offsetof(struct sevent, dto),
	       " (the decision made)"),
};
static const struct smap decided_map = { "a 'decided' event", decided_fields,
					 STORE_COUNT(decided_fields) };

/* From EK_FROM on, for an 'edited', 'noted' or 'themed' event (both or neither). */
static const struct sfield values_fields[] = {
	SFIELD("from", SFT_TEXT, 0, offsetof(struct sevent, vfrom), " (what the change replaced)"),
	SFIELD("to", SFT_TEXT, 0, offsetof(struct sevent, vto), " (what the change left)"),
};
static const struct smap values_map = { "a change's values", values_fields,
					STORE_COUNT(values_fields) };

/* The values of an 'edited', 'noted' or 'themed' event: from and to, or neither. */
static bool store_event_values(struct store_parse *p, const struct snode *n,
			       const struct snode **f, struct sevent *e)
{
	bool from = f[0] != NULL, to = f[1] != NULL; /* given, even as ~ */

	if (from != to) {
		store_err(p, from ? store_key_of(f[0]) : store_key_of(f[1]),
			  "'%s' events need both 'from' and 'to', or neither",
			  event_name((enum event_kind)e->kind));
		return false;
	}
	if (!from)
		return true;
	e->values = true;
	return store_fields_read(p, n, &values_map, f, 0, values_map.n, e);
}

/* Reports a key that the event's kind does not use: false when there was one. */
static bool store_event_extra(struct store_parse *p, const struct snode *v, int kind)
{
	if (!store_present(v))
		return true;
	store_err(p, store_key_of(v), "'%s' is not used by a '%s' event", store_key_of(v)->u.s,
		  event_name((enum event_kind)kind));
	return false;
}

/* One event of a card's history into *e. False after reporting a problem. */
static bool store_event(struct store_parse *p, const struct snode *n, struct sevent *e)
{
	const struct snode *f[EK_COUNT];
	bool ok;

	memset(e, 0, sizeof(*e));
	e->kind = -1;
	if (n->kind != SNODE_MAP) {
		store_err(p, n, "a history event must be a mapping with at and event");
		return false;
	}
	store_fields(p, n, &event_map, f);
	ok = store_fields_read(p, n, &event_map, f, EK_AT, EK_GRID, e);
	if (e->kind < 0)
		return false;
	if (e->kind == EVENT_MOVED)
		return store_fields_read(p, n, &moved_map, f + EK_GRID, 0, moved_map.n, e) && ok;
	ok = store_event_extra(p, f[EK_GRID], e->kind) && ok;
	if (e->kind == EVENT_DECIDED)
		return store_fields_read(p, n, &decided_map, f + EK_FROM, 0, decided_map.n, e) &&
		       ok;
	if (e->kind == EVENT_EDITED || e->kind == EVENT_NOTED || e->kind == EVENT_THEMED)
		return store_event_values(p, n, f + EK_FROM, e) && ok;
	ok = store_event_extra(p, f[EK_FROM], e->kind) && ok;
	return store_event_extra(p, f[EK_TO], e->kind) && ok;
}

/* A card's history into p->events[0..sc->nevents). */
static bool store_read_history(struct store_parse *p, const struct snode *v,
			       const struct sfield *f, void *obj)
{
	struct scard *sc = obj;
	const struct snode *items;
	size_t count, i;
	bool ok = true;

	items = store_list(p, v, f->key, "history events", CARD_HISTORY_MAX, &count);
	if (v->kind != SNODE_SEQ || v->n > CARD_HISTORY_MAX)
		ok = false;
	if (!count)
		return ok;
	if (!p->events)
		p->events = xcalloc(CARD_HISTORY_MAX, sizeof(*p->events));
	for (i = 0; i < count; i++)
		if (!store_event(p, &items[i], &p->events[i]))
			ok = false;
	sc->nevents = count;
	return ok;
}

/* --- Cards ------------------------------------------------------------------------ */

/* A card's id: store_card_prefix() read it already. */
static bool store_read_card_id(struct store_parse *p, const struct snode *v,
			       const struct sfield *f, void *obj)
{
	const struct scard *sc = obj;

	if (sc->id_ok)
		return true;
	store_bad_uuid(p, v, "id", f->key);
	return false;
}

/* A card's theme: its id. */
static bool store_read_card_theme(struct store_parse *p, const struct snode *v,
				  const struct sfield *f, void *obj)
{
	struct scard *sc = obj;
	const char *s = store_string(p, v, f->key, 0);

	if (!s)
		return false;
	if ((sc->theme = board_theme_index(p->b, s)) < 0) {
		store_unknown_ref(p, v, REF_THEME, s);
		return false;
	}
	return true;
}

/* A card's placements into p->cells. */
static bool store_read_place(struct store_parse *p, const struct snode *v, const struct sfield *f,
			     void *obj)
{
	(void)f;
	(void)obj;
	return store_card_place(p, v, p->cells);
}

static const struct sfield card_fields[] = {
	SFIELD_READ("id", SF_REQUIRED, 0, store_read_card_id, " (a UUID, as made by uuidgen)"),
	SFIELD("text", SFT_TEXT, SF_REQUIRED, offsetof(struct scard, text), NULL),
	SFIELD_READ("theme", SF_REQUIRED, 0, store_read_card_theme, NULL),
	SFIELD("by", SFT_STRING, 0, offsetof(struct scard, by), NULL),
	SFIELD("pair", SFT_STRING, 0, offsetof(struct scard, pair), NULL),
	SFIELD("note", SFT_TEXT, 0, offsetof(struct scard, note), NULL),
	SFIELD("created", SFT_TIME, 0, offsetof(struct scard, created), NULL),
	SFIELD("decision", SFT_DECISION, 0, offsetof(struct scard, decision), NULL),
	SFIELD("locked", SFT_BOOL, 0, offsetof(struct scard, locked), NULL),
	SFIELD("debated", SFT_BOOL, 0, offsetof(struct scard, debated), NULL),
	SFIELD_READ("place", 0, 0, store_read_place, NULL),
	SFIELD_READ("history", 0, 0, store_read_history, NULL),
};
static const struct smap card_map = { NULL, card_fields, STORE_COUNT(card_fields) };

bool store_card_check(struct store_parse *p, const struct snode *c, bool uu_ok,
		      struct scard *sc)
{
	const struct snode *f[STORE_COUNT(card_fields)];

	sc->id_ok = uu_ok;
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
	if (!p->cells)
		p->cells = xcalloc(p->b->ngrids ? p->b->ngrids : 1, sizeof(*p->cells));
	memset(p->cells, 0, p->b->ngrids * sizeof(*p->cells));
	return store_map_read(p, c, &card_map, f, sc);
}

/* Gives card (made with sc's id, text and theme) the rest of sc, through the model. */
void store_card_fill(struct store_parse *p, struct card *card, const struct scard *sc)
{
	size_t i;

	card_set_by(card, sc->by);
	card_set_pair(card, sc->pair);
	card_set_note(card, sc->note);
	card->created = sc->created;
	card->decision = (enum decision)sc->decision;
	card->locked = sc->locked;
	card->debated_mark = sc->debated;
	memcpy(card->place, p->cells, p->b->ngrids * sizeof(*p->cells));
	if (sc->nevents > card->history_alloc) {
		/* Exactly the events read: most cards never gain another. */
		card->history = xreallocarray(card->history, sc->nevents, sizeof(*card->history));
		card->history_alloc = sc->nevents;
	}
	for (i = 0; i < sc->nevents; i++) {
		const struct sevent *from = &p->events[i];
		struct card_event *e = card_record(card, (enum event_kind)from->kind, from->at,
						   from->by);

		if (from->kind == EVENT_MOVED) {
			e->grid = from->grid;
			e->from = from->from;
			e->to = from->to;
		} else if (from->kind == EVENT_DECIDED) {
			e->dfrom = (enum decision)from->dfrom;
			e->dto = (enum decision)from->dto;
		} else if (from->values) {
			card_event_set_values(e, from->vfrom, from->vto);
		}
	}
}

/*
 * Sets p->prefix for the messages about card c (the index-th of its list, or
 * the only one for (size_t)-1): its short id when it has a valid one (then in
 * *uu, and true).
 */
/* "card 6f1c2a8e: ", the prefix of the messages about the card with id uu (16 bytes). */
static void store_card_short(char *prefix, const uuid_t uu)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	memcpy(prefix, "card ", 5);
	for (i = 0; i < 4; i++) {
		prefix[5 + 2 * i] = hex[uu[i] >> 4];
		prefix[6 + 2 * i] = hex[uu[i] & 15];
	}
	memcpy(prefix + 13, ": ", 3);
}

bool store_card_prefix(struct store_parse *p, const struct snode *c, size_t index,
			      char *prefix, size_t size, uuid_t uu, const struct snode **idn)
{
	bool uu_ok;

	*idn = store_map_get(c, "id");
	uu_ok = *idn && store_uuid_parse(*idn, uu);
	if (uu_ok)
		store_card_short(prefix, uu);
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
void store_card(struct store_parse *p, const struct snode *c)
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
void store_cards(struct store_parse *p, const struct snode *v)
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
void store_cards_end(struct store_parse *p)
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

			store_card_short(prefix, first->id);
			p->prefix = prefix;
			store_err_at(p, p->seen[j].line, p->seen[j].col,
				     "duplicate id (first at line %d)", first->line);
			p->prefix = NULL;
		}
	}
}

