#include "op.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static const char *const op_kind_names[OP_COUNT] = {
	"add", "delete", "move", "text", "theme", "note", "pair", "decide", "lock",
	"zone-add", "zone-delete", "zone-cell", "theme-add", "criterion", "grid-add",
	"grid-cells", "title", "key-add",
};

const char *op_kind_name(enum op_kind kind)
{
	return (unsigned)kind < OP_COUNT ? op_kind_names[kind] : "?";
}

int op_kind_parse(const char *name)
{
	int i;

	for (i = 0; i < OP_COUNT; i++)
		if (!strcmp(name, op_kind_names[i]))
			return i;
	return -1;
}

void op_set(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

void op_release(struct op *op)
{
	free(op->by);
	free(op->grid);
	free(op->name);
	free(op->text);
	free(op->text2);
	free(op->key);
	free(op->sig);
	card_free(op->card_data);
	memset(op, 0, sizeof(*op));
}

void op_copy(struct op *dst, const struct op *src, const struct board *b)
{
	*dst = *src;
	dst->by = src->by ? xstrdup(src->by) : NULL;
	dst->grid = src->grid ? xstrdup(src->grid) : NULL;
	dst->name = src->name ? xstrdup(src->name) : NULL;
	dst->text = src->text ? xstrdup(src->text) : NULL;
	dst->text2 = src->text2 ? xstrdup(src->text2) : NULL;
	dst->key = src->key ? xstrdup(src->key) : NULL;
	dst->sig = src->sig ? xstrdup(src->sig) : NULL;
	dst->card_data = src->card_data ? card_dup(b, src->card_data) : NULL;
}

bool op_targets_card(const struct op *op)
{
	return op->kind >= OP_DELETE && op->kind <= OP_LOCK;
}

bool op_needs_facilitator(const struct op *op)
{
	switch (op->kind) {
	case OP_DECIDE:
	case OP_LOCK:
	case OP_ZONE_ADD:
	case OP_ZONE_DEL:
	case OP_ZONE_CELL:
	case OP_CRITERION:
	case OP_GRID_ADD:
	case OP_GRID_CELLS:
	case OP_TITLE:
	case OP_KEY_ADD:
		return true;
	default:
		return false;
	}
}

static int op_fail(struct strbuf *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int op_fail(struct strbuf *why, const char *fmt, ...)
{
	va_list ap;

	if (why) {
		va_start(ap, fmt);
		strbuf_vaddf(why, fmt, ap);
		va_end(ap);
	}
	return RESULT_REFUSED;
}

static bool op_same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static int op_find_grid(const struct board *b, const struct op *op, struct strbuf *why)
{
	int g = op->grid ? board_grid_index(b, op->grid) : -1;

	if (g < 0)
		op_fail(why, "no grid '%s'", op->grid ? op->grid : "");
	return g;
}

/* Changes to a card. */
static int op_apply_card(struct board *b, const struct op *op, struct card *card,
			 struct strbuf *why)
{
	char shortid[CARD_SHORT_ID_LEN + 1];
	int g, t, r;

	card_short_id(card, shortid);
	if (card->locked && !op->facilitator && (op->kind == OP_MOVE || op->kind == OP_DELETE))
		return op_fail(why, "card %s is locked by the facilitator", shortid);
	switch (op->kind) {
	case OP_DELETE:
		board_remove_card(b, card);
		return RESULT_OK;
	case OP_MOVE:
		if ((g = op_find_grid(b, op, why)) < 0)
			return RESULT_REFUSED;
		r = board_move_card(b, card, (size_t)g, op->x, op->y, op->at, op->by);
		if (r < 0)
			return op_fail(why, "cell %d,%d is outside grid '%s'", op->x, op->y, op->grid);
		return r;
	case OP_TEXT:
		if (!op->text || !*op->text)
			return op_fail(why, "empty text");
		if (!strcmp(card->text, op->text))
			return RESULT_UNCHANGED;
		/* The event keeps the text replaced: versions, undo after a restart. */
		card_event_set_values(card_record(card, EVENT_EDITED, op->at, op->by), card->text,
				      op->text);
		board_set_card_text(b, card, op->text);
		return RESULT_OK;
	case OP_THEME:
		if (!op->name || (t = board_theme_index(b, op->name)) < 0)
			return op_fail(why, "no theme '%s'", op->name ? op->name : "");
		if (card->theme == (size_t)t)
			return RESULT_UNCHANGED;
		card_event_set_values(card_record(card, EVENT_THEMED, op->at, op->by),
				      b->themes[card->theme].id, op->name);
		card->theme = (size_t)t;
		return RESULT_OK;
	case OP_NOTE:
		if (op_same(card->note, op->text))
			return RESULT_UNCHANGED;
		card_event_set_values(card_record(card, EVENT_NOTED, op->at, op->by), card->note,
				      op->text);
		card_set_note(card, op->text);
		return RESULT_OK;
	case OP_PAIR:
		if (op_same(card->pair, op->text))
			return RESULT_UNCHANGED;
		card_set_pair(card, op->text);
		return RESULT_OK;
	case OP_DECIDE:
		if (op->value < 0 || op->value >= DECISION_COUNT)
			return op_fail(why, "bad decision");
		r = board_decide(b, card, (enum decision)op->value, op->at, op->by, op->text);
		if (r == 0 && (op->text2 || op->key))
			decision_entry_sign(&b->decisions[b->ndecisions - 1], op->text2, op->key,
					    op->sig);
		return r;
	case OP_LOCK:
		return board_lock_card(b, card, op->value != 0, op->at, op->by);
	default:
		return op_fail(why, "not a card operation");
	}
}

/* A whole card added (undoing a deletion, or a new card: op_new_card()). */
static int op_apply_add(struct board *b, const struct op *op, struct strbuf *why)
{
	struct card *card;

	if (!op->card_data)
		return op_fail(why, "no card to add");
	if (board_find_card(b, op->card_data->id))
		return RESULT_UNCHANGED;
	/* A locked card comes back only by the facilitator (undoing a deletion). */
	if (op->card_data->locked && !op->facilitator)
		return op_fail(why, "only the facilitator may add a locked card");
	card = card_dup(b, op->card_data);
	if (board_insert_card(b, card, op->x < 0 ? 0 : (size_t)op->x) < 0) {
		card_free(card);
		return op_fail(why, "the card's theme is not on the board");
	}
	return RESULT_OK;
}

/* The facilitator's zones of a grid. */
static int op_apply_zone(struct board *b, const struct op *op, struct strbuf *why)
{
	int g = op_find_grid(b, op, why), z = -1;

	if (g < 0)
		return RESULT_REFUSED;
	switch (op->kind) {
	case OP_ZONE_ADD:
		if (!op->name)
			return RESULT_REFUSED;
		if (op->value < 0 || op->value >= HUE_COUNT)
			return op_fail(why, "bad colour");
		if ((z = grid_zone_index(&b->grids[g], op->name)) >= 0) {
			struct zone *zone = &b->grids[g].zones[z];

			if (zone->color == (enum hue)op->value && zone->easy == (op->x != 0))
				return RESULT_UNCHANGED;
			zone->color = (enum hue)op->value;
			zone->easy = op->x != 0;
			return RESULT_OK;
		}
		if (grid_add_zone(b, (size_t)g, op->name, (enum hue)op->value, op->x != 0) < 0)
			return op_fail(why, "cannot add zone '%s'", op->name);
		return RESULT_OK;
	case OP_ZONE_DEL:
		if (!op->name || (z = grid_zone_index(&b->grids[g], op->name)) < 0)
			return RESULT_UNCHANGED;
		grid_remove_zone(b, (size_t)g, (size_t)z);
		return RESULT_OK;
	default: /* OP_ZONE_CELL */
		if (op->name && (z = grid_zone_index(&b->grids[g], op->name)) < 0)
			return op_fail(why, "no zone '%s'", op->name);
		if (grid_zone_at(&b->grids[g], op->x, op->y) == z)
			return RESULT_UNCHANGED;
		if (grid_assign_cell(b, (size_t)g, z, op->x, op->y) < 0)
			return op_fail(why, "cell %d,%d is outside grid '%s'", op->x, op->y, op->grid);
		return RESULT_OK;
	}
}

/* A theme added, or its label and colour changed. */
static int op_apply_theme(struct board *b, const struct op *op, struct strbuf *why)
{
	int c;

	if (!op->name || !board_id_valid(op->name) || !op->text || op->value < 0 ||
	    op->value >= HUE_COUNT)
		return op_fail(why, "bad theme");
	if ((c = board_theme_index(b, op->name)) >= 0) {
		struct theme *t = &b->themes[c];

		if (!strcmp(t->label, op->text) && t->color == (enum hue)op->value)
			return RESULT_UNCHANGED;
		free(t->label);
		t->label = xstrdup(op->text);
		t->color = (enum hue)op->value;
		return RESULT_OK;
	}
	return board_add_theme(b, op->name, op->text, (enum hue)op->value) < 0 ? RESULT_REFUSED
										 : RESULT_OK;
}

/* A criterion added, or its poles or easier pole changed. */
static int op_apply_criterion(struct board *b, const struct op *op, struct strbuf *why)
{
	int c;

	if (!op->name || !board_id_valid(op->name) || !op->text || !op->text2 ||
	    (op->value != POLE_LOW && op->value != POLE_HIGH))
		return op_fail(why, "bad criterion");
	if ((c = board_criterion_index(b, op->name)) >= 0) {
		const struct criterion *cr = &b->criteria[c];

		if (!strcmp(cr->low, op->text) && !strcmp(cr->high, op->text2) &&
		    cr->easy == (enum pole)op->value)
			return RESULT_UNCHANGED;
		board_set_criterion(b, (size_t)c, op->text, op->text2, (enum pole)op->value);
		return RESULT_OK;
	}
	if (b->ncriteria >= BOARD_MAX_CRITERIA)
		return op_fail(why, "a board has at most %u criteria", BOARD_MAX_CRITERIA);
	board_add_criterion(b, op->name, op->text, op->text2, (enum pole)op->value);
	return RESULT_OK;
}

/* A grid added, or its resolution changed. */
static int op_apply_grid(struct board *b, const struct op *op, struct strbuf *why)
{
	int g, x, y;

	if (op->kind == OP_GRID_CELLS) {
		if ((g = op_find_grid(b, op, why)) < 0)
			return RESULT_REFUSED;
		if (b->grids[g].cells == op->value)
			return RESULT_UNCHANGED;
		if (board_resize_grid(b, (size_t)g, op->value) < 0)
			return op_fail(why, "a grid has 2 to 9 cells per axis");
		return RESULT_OK;
	}
	if (!op->grid || !op->text || !op->text2)
		return op_fail(why, "bad grid");
	if (board_grid_index(b, op->grid) >= 0)
		return RESULT_UNCHANGED;
	x = board_criterion_index(b, op->text);
	y = board_criterion_index(b, op->text2);
	if (x >= 0 && x == y)
		return op_fail(why, "a grid pairs two different criteria");
	if (b->ngrids >= BOARD_MAX_GRIDS)
		return op_fail(why, "a board has at most %u grids", BOARD_MAX_GRIDS);
	if (!board_id_valid(op->grid) || x < 0 || y < 0 ||
	    board_add_grid(b, op->grid, (size_t)x, (size_t)y, op->value) < 0)
		return op_fail(why, "cannot add grid '%s'", op->grid);
	return RESULT_OK;
}

int op_apply(struct board *b, const struct op *op, struct strbuf *why)
{
	struct card *card;
	int c;

	if (op_needs_facilitator(op) && !op->facilitator)
		return op_fail(why, "only the facilitator may %s", op_kind_name(op->kind));
	if (op_targets_card(op)) {
		card = board_find_card(b, op->card);
		if (!card) {
			char id[37];

			if (op->kind == OP_DELETE)
				return RESULT_UNCHANGED; /* already gone */
			uuid_unparse_lower(op->card, id);
			return op_fail(why, "no card %.8s", id);
		}
		return op_apply_card(b, op, card, why);
	}
	switch (op->kind) {
	case OP_ADD:
		return op_apply_add(b, op, why);
	case OP_ZONE_ADD:
	case OP_ZONE_DEL:
	case OP_ZONE_CELL:
		return op_apply_zone(b, op, why);
	case OP_THEME_ADD:
		return op_apply_theme(b, op, why);
	case OP_CRITERION:
		return op_apply_criterion(b, op, why);
	case OP_GRID_ADD:
	case OP_GRID_CELLS:
		return op_apply_grid(b, op, why);
	case OP_TITLE:
		if (!op->text || !*op->text)
			return op_fail(why, "empty title");
		if (!strcmp(b->title, op->text))
			return RESULT_UNCHANGED;
		board_set_title(b, op->text);
		return RESULT_OK;
	case OP_KEY_ADD:
		if (!op->by || !op->key)
			return op_fail(why, "a facilitator key needs a name and a key");
		c = board_add_key(b, op->by, op->key, op->at);
		if (c < 0)
			return op_fail(why, "the board lists another key for '%s'", op->by);
		return c;
	default:
		return op_fail(why, "unknown operation");
	}
}

/* The rationale of the card's decision as it stands, from the log; NULL when none. */
static const char *op_rationale(const struct board *b, const struct card *card)
{
	size_t i = b->ndecisions;

	while (i--) {
		const struct decision_entry *d = &b->decisions[i];

		if (!uuid_compare(d->card, card->id))
			return d->to == card->decision ? d->rationale : NULL;
	}
	return NULL;
}

/*
 * Whether event e changed what op changes: the card's cell on grid g, its
 * text...; for kinds without a field of their own, any event by someone
 * else. A pair has no event.
 */
static bool op_event_touches(const struct op *op, int g, const struct card_event *e)
{
	switch (op->kind) {
	case OP_MOVE: return e->kind == EVENT_MOVED && (int)e->grid == g;
	case OP_TEXT: return e->kind == EVENT_EDITED;
	case OP_THEME: return e->kind == EVENT_THEMED;
	case OP_NOTE: return e->kind == EVENT_NOTED;
	case OP_DECIDE: return e->kind == EVENT_DECIDED;
	case OP_LOCK: return e->kind == EVENT_LOCKED || e->kind == EVENT_UNLOCKED;
	case OP_PAIR: return false;
	default: return !op_same(e->by, op->by);
	}
}

/*
 * Whether someone but op's author changed what op changes at op->at or after
 * (times are to the second: someone else's change in op's second counts).
 */
static bool op_touched_since(const struct card *card, const struct op *op, int g)
{
	size_t i;

	for (i = 0; i < card->nhistory; i++) {
		const struct card_event *e = &card->history[i];

		if (e->at >= op->at && !op_same(e->by, op->by) && op_event_touches(op, g, e))
			return true;
	}
	return false;
}

bool op_contested(const struct board *b, const struct op *op)
{
	struct board *mb = (struct board *)b; /* board_find_card() refreshes its index */
	const struct card *card;

	if (!op_targets_card(op) || op->kind == OP_DELETE || op->kind == OP_PAIR ||
	    !(card = board_find_card(mb, op->card)))
		return false;
	return op_touched_since(card, op, op->grid ? board_grid_index(b, op->grid) : -1);
}

/* What op did to a card, still so on b (op_holds()). */
static bool op_holds_card(const struct board *b, const struct op *op, const struct card *card)
{
	int g = op->grid ? board_grid_index(b, op->grid) : -1;

	/* Changed since by someone else, even back to the same value: theirs. */
	if (op_touched_since(card, op, g))
		return false;

	switch (op->kind) {
	case OP_MOVE:
		return g >= 0 && (size_t)g < card->nplace && card->place[g].x == op->x &&
		       card->place[g].y == op->y;
	case OP_TEXT: return op_same(card->text, op->text);
	case OP_THEME: return op->name && !strcmp(b->themes[card->theme].id, op->name);
	case OP_NOTE: return op_same(card->note, op->text);
	case OP_PAIR: return op_same(card->pair, op->text);
	case OP_DECIDE:
		return card->decision == (enum decision)op->value &&
		       op_same(op_rationale(b, card), op->text);
	case OP_LOCK: return card->locked == (op->value != 0);
	default: return true;
	}
}

/* Whether nobody but op's author changed the card since op->at. */
static bool op_card_untouched(const struct card *card, const struct op *op)
{
	size_t i;

	for (i = 0; i < card->nhistory; i++) {
		const struct card_event *e = &card->history[i];

		if (e->at >= op->at && !op_same(e->by, op->by))
			return false;
	}
	return true;
}

bool op_holds(const struct board *b, const struct op *op)
{
	struct board *mb = (struct board *)b; /* board_find_card() refreshes its index */
	const struct card *card;
	int g, z;

	switch (op->kind) {
	case OP_ADD:
		card = op->card_data ? board_find_card(mb, op->card_data->id) : NULL;
		return !card || op_card_untouched(card, op);
	case OP_DELETE:
		return !board_find_card(mb, op->card);
	case OP_ZONE_CELL:
	case OP_ZONE_ADD:
	case OP_ZONE_DEL:
		if ((g = op->grid ? board_grid_index(b, op->grid) : -1) < 0)
			return false;
		if (op->kind == OP_ZONE_CELL) {
			z = grid_zone_at(&b->grids[g], op->x, op->y);
			return op_same(z >= 0 ? b->grids[g].zones[z].name : NULL, op->name);
		}
		z = op->name ? grid_zone_index(&b->grids[g], op->name) : -1;
		if (op->kind == OP_ZONE_DEL)
			return z < 0;
		return z >= 0 && (int)b->grids[g].zones[z].color == op->value &&
		       b->grids[g].zones[z].easy == (op->x != 0);
	case OP_CRITERION:
		g = op->name ? board_criterion_index(b, op->name) : -1;
		return g >= 0 && op_same(b->criteria[g].low, op->text) &&
		       op_same(b->criteria[g].high, op->text2) &&
		       (int)b->criteria[g].easy == op->value;
	default:
		if (!op_targets_card(op))
			return true;
		card = board_find_card(mb, op->card);
		return !card || op_holds_card(b, op, card);
	}
}

const struct card_event *op_last_change(const struct board *b, const struct op *op)
{
	struct board *mb = (struct board *)b;
	const uuid_t *id = op->kind == OP_ADD && op->card_data ? &op->card_data->id : &op->card;
	const struct card *card = board_find_card(mb, *id);
	int g = op->grid ? board_grid_index(b, op->grid) : -1;
	size_t i;

	if (!card)
		return NULL;
	for (i = card->nhistory; i-- > 0;)
		if (op_event_touches(op, g, &card->history[i]))
			return &card->history[i];
	return NULL;
}

int op_inverse(const struct board *b, const struct op *op, struct op *inv)
{
	struct board *mb = (struct board *)b; /* board_find_card() refreshes its index */
	const struct card *card = NULL;
	int g, z;

	memset(inv, 0, sizeof(*inv));
	inv->kind = op->kind;
	inv->facilitator = op->facilitator;
	memcpy(inv->card, op->card, sizeof(uuid_t));
	if (op_targets_card(op) && !(card = board_find_card(mb, op->card)))
		return -1;
	switch (op->kind) {
	case OP_ADD:
		if (!op->card_data)
			return -1;
		inv->kind = OP_DELETE;
		memcpy(inv->card, op->card_data->id, sizeof(uuid_t));
		return 0;
	case OP_DELETE:
		inv->kind = OP_ADD;
		inv->card_data = card_dup(b, card);
		inv->x = (int)board_card_pos(b, card);
		return 0;
	case OP_MOVE:
		if ((g = board_grid_index(b, op->grid ? op->grid : "")) < 0)
			return -1;
		op_set(&inv->grid, op->grid);
		inv->x = card->place[g].x;
		inv->y = card->place[g].y;
		return 0;
	case OP_TEXT:
		op_set(&inv->text, card->text);
		return 0;
	case OP_THEME:
		op_set(&inv->name, b->themes[card->theme].id);
		return 0;
	case OP_NOTE:
		op_set(&inv->text, card->note);
		return 0;
	case OP_PAIR:
		op_set(&inv->text, card->pair);
		return 0;
	case OP_DECIDE:
		inv->value = (int)card->decision;
		/* The decision back with the reason it was given. */
		op_set(&inv->text, op_rationale(b, card));
		return 0;
	case OP_LOCK:
		inv->value = card->locked;
		return 0;
	case OP_ZONE_CELL:
		if ((g = board_grid_index(b, op->grid ? op->grid : "")) < 0)
			return -1;
		op_set(&inv->grid, op->grid);
		inv->x = op->x;
		inv->y = op->y;
		z = grid_zone_at(&b->grids[g], op->x, op->y);
		op_set(&inv->name, z >= 0 ? b->grids[g].zones[z].name : NULL);
		return 0;
	default:
		return -1;
	}
}

struct op *op_list_add(struct op_list *l, enum op_kind kind, time_t at, const char *by)
{
	struct op *op;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	op = &l->v[l->n++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->at = at;
	op->by = by ? xstrdup(by) : NULL;
	return op;
}

void op_list_release(struct op_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		op_release(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

void op_new_card(struct op *op, const struct board *b, const uuid_t id, const char *text,
		 size_t theme, const char *by, time_t at)
{
	struct card *card = xcalloc(1, sizeof(*card));

	memcpy(card->id, id, sizeof(uuid_t));
	card->text = xstrdup(text);
	card->theme = theme;
	card->by = by ? xstrdup(by) : NULL;
	card->created = at;
	card->nplace = b->ngrids;
	card->place = xcalloc(b->ngrids ? b->ngrids : 1, sizeof(*card->place));
	card_record(card, EVENT_CREATED, at, by);
	memset(op, 0, sizeof(*op));
	op->kind = OP_ADD;
	op->at = at;
	op_set(&op->by, by);
	memcpy(op->card, id, sizeof(uuid_t));
	op->card_data = card;
	op->x = (int)b->ncards;
}

void op_new_theme(struct op *op, const char *id, const char *label, enum hue color,
		  const char *by, time_t at)
{
	memset(op, 0, sizeof(*op));
	op->kind = OP_THEME_ADD;
	op->at = at;
	op_set(&op->by, by);
	op_set(&op->name, id);
	op_set(&op->text, label);
	op->value = (int)color;
}

int op_apply_record(struct board *b, const struct op *op, struct op_list *l, struct strbuf *why)
{
	int r = op_apply(b, op, why);

	if (r == 0 && l) {
		ALLOC_GROW(l->v, l->n + 1, l->alloc);
		op_copy(&l->v[l->n++], op, b);
	}
	return r;
}
