/*
 * store_card.c - step 3 of reading (store_int.h) for cards: a card of a
 * board file, or the card of an operation that adds one, checked and built.
 */
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

/*
 * Checks card mapping c into *sc (whose id is set by the caller when uu_ok),
 * reporting every problem under p->prefix. True when the card can be made.
 */
bool store_card_check(struct store_parse *p, const struct snode *c, bool uu_ok,
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
void store_card_fill(struct store_parse *p, struct card *card, const struct scard *sc)
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

/*
 * Sets p->prefix for the messages about card c (the index-th of its list, or
 * the only one for (size_t)-1): its short id when it has a valid one (then in
 * *uu, and true).
 */
bool store_card_prefix(struct store_parse *p, const struct snode *c, size_t index,
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

			snprintf(prefix, sizeof(prefix), "card %02x%02x%02x%02x: ", first->id[0],
				 first->id[1], first->id[2], first->id[3]);
			p->prefix = prefix;
			store_err_at(p, p->seen[j].line, p->seen[j].col,
				     "duplicate id (first at line %d)", first->line);
			p->prefix = NULL;
		}
	}
}

