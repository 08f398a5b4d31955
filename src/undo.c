/*
 * undo.c - undo/redo of this instance's changes as operations (see undo.h).
 */
#include "undo.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void undo_init(struct undo *u)
{
	memset(u, 0, sizeof(*u));
}

static void undo_step_release(struct undo_step *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		op_release(&s->ops[i]);
		op_release(&s->inv[i]);
	}
	free(s->ops);
	free(s->inv);
	free(s->ngrids);
	free(s->kept);
	memset(s, 0, sizeof(*s));
}

void undo_release(struct undo *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		undo_step_release(&u->steps[i]);
	free(u->steps);
	undo_init(u);
}

bool undo_can_undo(const struct undo *u)
{
	return u->pos > 0;
}

bool undo_can_redo(const struct undo *u)
{
	return u->pos < u->n;
}

const struct op *undo_next_undo(const struct undo *u)
{
	return u->pos > 0 && u->steps[u->pos - 1].n ? &u->steps[u->pos - 1].ops[0] : NULL;
}

const struct op *undo_next_redo(const struct undo *u)
{
	return u->pos < u->n && u->steps[u->pos].n ? &u->steps[u->pos].ops[0] : NULL;
}

int undo_inverse(const struct board *b, const struct op *op, struct op *inv)
{
	const struct zone *zone;
	int g, z;

	if (op->kind == OP_CRITERION) {
		/* Renaming or flipping a criterion: back to its poles of now. */
		const struct criterion *cr;
		int c = op->name ? board_criterion_index(b, op->name) : -1;

		memset(inv, 0, sizeof(*inv));
		if (c < 0)
			return -1; /* a new criterion: no operation takes it away */
		cr = &b->criteria[c];
		inv->kind = OP_CRITERION;
		inv->facilitator = op->facilitator;
		op_set(&inv->name, cr->id);
		op_set(&inv->text, cr->low);
		op_set(&inv->text2, cr->high);
		inv->value = (int)cr->easy;
		return 0;
	}
	if (op->kind != OP_ZONE_ADD && op->kind != OP_ZONE_DEL) {
		if (op_inverse(b, op, inv) < 0) {
			op_release(inv);
			return -1;
		}
		return 0;
	}
	memset(inv, 0, sizeof(*inv));
	g = op->grid ? board_grid_index(b, op->grid) : -1;
	if (g < 0 || !op->name)
		return -1;
	z = grid_zone_index(&b->grids[g], op->name);
	inv->facilitator = op->facilitator;
	op_set(&inv->grid, op->grid);
	op_set(&inv->name, op->name);
	if (z < 0) {
		if (op->kind == OP_ZONE_DEL) {
			op_release(inv);
			return -1; /* deleting nothing: nothing to undo */
		}
		inv->kind = OP_ZONE_DEL;
		return 0;
	}
	zone = &b->grids[g].zones[z];
	inv->kind = OP_ZONE_ADD;
	inv->value = (int)zone->color;
	inv->x = zone->easy ? 1 : 0;
	return 0;
}

void undo_begin(struct undo *u)
{
	if (u->depth++ == 0)
		u->joined = false;
}

void undo_end(struct undo *u)
{
	if (u->depth > 0)
		u->depth--;
}

/* Appends op and its inverse inv (copies) to step s. */
static void undo_step_add(struct undo_step *s, const struct board *b, const struct op *op,
			  const struct op *inv)
{
	if (s->n + 1 > s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 4;
		s->ops = xreallocarray(s->ops, s->alloc, sizeof(*s->ops));
		s->inv = xreallocarray(s->inv, s->alloc, sizeof(*s->inv));
		s->ngrids = xreallocarray(s->ngrids, s->alloc, sizeof(*s->ngrids));
		s->kept = xreallocarray(s->kept, s->alloc, sizeof(*s->kept));
	}
	op_copy(&s->ops[s->n], op, b);
	op_copy(&s->inv[s->n], inv, b);
	s->ngrids[s->n] = b->ngrids;
	s->kept[s->n] = false;
	s->n++;
}

void undo_record(struct undo *u, const struct board *b, const struct op *op,
		 const struct op *inv)
{
	size_t i;

	if (!u->depth || !u->joined) {
		for (i = u->pos; i < u->n; i++)
			undo_step_release(&u->steps[i]);
		u->n = u->pos;
		ALLOC_GROW(u->steps, u->n + 1, u->alloc);
		memset(&u->steps[u->n], 0, sizeof(u->steps[u->n]));
		u->n++;
		u->pos = u->n;
		u->joined = u->depth > 0;
	}
	undo_step_add(&u->steps[u->n - 1], b, op, inv);
}

/*
 * Applies one operation of a step as a new change, after computing its own
 * inverse on the board of this moment, which replaces *back. Returns what
 * the target's apply returned; or, with *kept set and nothing applied,
 * RESULT_UNCHANGED when the board no longer holds what *back left:
 * someone changed it since.
 */
static int undo_apply_one(const struct undo_target *t, struct op *op, size_t *ngrids,
			  struct op *back, const char *by, time_t at, bool facilitator,
			  bool *kept, struct strbuf *why)
{
	struct board *b = t->board(t->data);
	struct op now, fresh;
	bool has_fresh;
	int r;

	if ((*kept = !op_holds(b, back)))
		return RESULT_UNCHANGED;
	/* An added card is as wide as the grids of its time. */
	if (op->card_data && *ngrids != b->ngrids) {
		strbuf_addstr(why, "the board's grids changed since");
		return RESULT_REFUSED;
	}
	op_copy(&now, op, b);
	op_set(&now.by, by);
	now.at = at;
	now.facilitator = facilitator;
	/* A new change: signed again, if at all, when it is made (sign.h). */
	op_set(&now.key, NULL);
	op_set(&now.sig, NULL);
	has_fresh = undo_inverse(b, &now, &fresh) == 0;
	if (has_fresh) {
		/* What this change leaves, by its author at its time (op_holds()). */
		op_set(&fresh.by, by);
		fresh.at = at;
	}
	r = t->apply(&now, t->data, why);
	if (r >= 0) {
		/* Applied as made now: what it leaves is checked as such (op_holds()). */
		op_set(&op->by, by);
		op->at = at;
	}
	if (r >= 0 && has_fresh) {
		b = t->board(t->data);
		op_release(back);
		op_copy(back, &fresh, b);
		*ngrids = b->ngrids;
	}
	if (has_fresh)
		op_release(&fresh);
	op_release(&now);
	return r;
}

/* Goes through step s backwards (undo) or forwards (redo). */
static int undo_walk(struct undo_step *s, bool forward, const struct undo_target *t,
		     const char *by, time_t at, bool facilitator, struct undo_result *res,
		     struct strbuf *why)
{
	size_t k;

	for (k = 0; k < s->n; k++) {
		size_t i = forward ? k : s->n - 1 - k;
		struct op *op = forward ? &s->ops[i] : &s->inv[i];
		struct op *back = forward ? &s->inv[i] : &s->ops[i];
		int r;

		/* What an undo left to someone else, a redo leaves too. */
		if (forward && s->kept[i]) {
			if (!res->kept++)
				res->kept_first = back;
			continue;
		}
		if (why && k)
			strbuf_reset(why);
		r = undo_apply_one(t, op, &s->ngrids[i], back, by, at, facilitator, &s->kept[i],
				   why);
		/* Nothing could be done at all (not refused): the step stays. */
		if (r < 0 && r != RESULT_REFUSED && k == 0)
			return r;
		if (s->kept[i] && !res->kept++)
			res->kept_first = back;
		else if (s->kept[i])
			continue;
		else if (r >= 0)
			res->applied++;
		else
			res->refused++;
	}
	return RESULT_OK;
}

int undo_undo(struct undo *u, const struct undo_target *t, const char *by, time_t at,
	      bool facilitator, struct undo_result *res, struct strbuf *why)
{
	struct undo_step *s;
	int r;

	memset(res, 0, sizeof(*res));
	if (!u->pos)
		return RESULT_UNCHANGED;
	s = &u->steps[u->pos - 1];
	r = undo_walk(s, false, t, by, at, facilitator, res, why);
	if (r < 0)
		return r;
	u->pos--;
	res->first = s->n ? &s->ops[0] : NULL;
	return RESULT_OK;
}

int undo_redo(struct undo *u, const struct undo_target *t, const char *by, time_t at,
	      bool facilitator, struct undo_result *res, struct strbuf *why)
{
	struct undo_step *s;
	int r;

	memset(res, 0, sizeof(*res));
	if (u->pos >= u->n)
		return RESULT_UNCHANGED;
	s = &u->steps[u->pos];
	r = undo_walk(s, true, t, by, at, facilitator, res, why);
	if (r < 0)
		return r;
	u->pos++;
	res->first = s->n ? &s->ops[0] : NULL;
	return RESULT_OK;
}

/* --- After a restart: the author's changes from the cards' histories --- */

/* The rationale of card's decision log entry to 'to' made at 'at' or before; NULL when none. */
static const char *undo_rationale(const struct board *b, const struct card *card, time_t at,
				  enum decision to)
{
	size_t i = b->ndecisions;

	while (i--) {
		const struct decision_entry *d = &b->decisions[i];

		if (!uuid_compare(d->card, card->id) && d->at <= at && d->to == to)
			return d->rationale;
	}
	return NULL;
}

/* The decision before an event's: the entry of the log the card had then. */
static void undo_decided_ops(const struct board *b, const struct card *card,
			     const struct card_event *e, struct op *fwd, struct op *inv)
{
	size_t i = b->ndecisions;
	const char *before = NULL;

	fwd->value = (int)e->dto;
	op_set(&fwd->text, undo_rationale(b, card, e->at, e->dto));
	while (i--) {
		const struct decision_entry *d = &b->decisions[i];

		if (!uuid_compare(d->card, card->id) && d->at < e->at) {
			before = d->to == e->dfrom ? d->rationale : NULL;
			break;
		}
	}
	inv->value = (int)e->dfrom;
	op_set(&inv->text, before);
	fwd->facilitator = inv->facilitator = true;
}

/* The change an event records, and its inverse; false when it keeps too little. */
static bool undo_event_ops(const struct board *b, const struct card *card,
			   const struct card_event *e, struct op *fwd, struct op *inv)
{
	static const enum op_kind kinds[EVENT_COUNT] = {
		[EVENT_CREATED] = OP_ADD, [EVENT_MOVED] = OP_MOVE,   [EVENT_EDITED] = OP_TEXT,
		[EVENT_THEMED] = OP_THEME, [EVENT_NOTED] = OP_NOTE, [EVENT_DECIDED] = OP_DECIDE,
		[EVENT_LOCKED] = OP_LOCK,  [EVENT_UNLOCKED] = OP_LOCK,
	};

	if ((e->kind == EVENT_EDITED || e->kind == EVENT_THEMED || e->kind == EVENT_NOTED) &&
	    !e->values)
		return false;
	if (e->kind == EVENT_MOVED && e->grid >= b->ngrids)
		return false;
	fwd->kind = inv->kind = kinds[e->kind];
	memcpy(fwd->card, card->id, sizeof(uuid_t));
	memcpy(inv->card, card->id, sizeof(uuid_t));
	switch (e->kind) {
	case EVENT_CREATED:
		fwd->card_data = card_dup(b, card);
		fwd->x = (int)board_card_pos(b, card);
		inv->kind = OP_DELETE;
		return true;
	case EVENT_MOVED:
		op_set(&fwd->grid, b->grids[e->grid].id);
		op_set(&inv->grid, b->grids[e->grid].id);
		fwd->x = e->to.x, fwd->y = e->to.y;
		inv->x = e->from.x, inv->y = e->from.y;
		return true;
	case EVENT_THEMED:
		op_set(&fwd->name, e->vto);
		op_set(&inv->name, e->vfrom);
		return e->vto && e->vfrom && board_theme_index(b, e->vfrom) >= 0;
	case EVENT_EDITED:
	case EVENT_NOTED:
		op_set(&fwd->text, e->vto);
		op_set(&inv->text, e->vfrom);
		return e->kind == EVENT_NOTED || (e->vto && e->vfrom);
	case EVENT_DECIDED:
		undo_decided_ops(b, card, e, fwd, inv);
		return true;
	default:
		fwd->value = e->kind == EVENT_LOCKED;
		inv->value = !fwd->value;
		fwd->facilitator = inv->facilitator = true;
		return true;
	}
}

/* Whether (at, card, event) comes before the mark. */
static bool undo_before(const struct undo_mark *m, time_t at, size_t card, size_t event)
{
	if (!m->set || at != m->at)
		return !m->set || at < m->at;
	return card != m->card ? card < m->card : event < m->event;
}

int undo_history_find(const struct board *b, const char *by, struct undo_mark *mark,
		      struct op *fwd, struct op *inv)
{
	struct undo_mark best = { false, 0, 0, 0 };
	size_t c, i;

	if (!by)
		return -1;
	for (;;) {
		for (c = 0; c < b->ncards; c++) {
			const struct card *card = b->cards[c];

			for (i = 0; i < card->nhistory; i++) {
				const struct card_event *e = &card->history[i];

				if (!e->by || strcmp(e->by, by) || !undo_before(mark, e->at, c, i))
					continue;
				if (!best.set || !undo_before(&best, e->at, c, i))
					best = (struct undo_mark){ true, e->at, c, i };
			}
		}
		if (!best.set)
			return -1;
		*mark = best;
		best.set = false;
		memset(fwd, 0, sizeof(*fwd));
		memset(inv, 0, sizeof(*inv));
		if (undo_event_ops(b, b->cards[mark->card], &b->cards[mark->card]->history[mark->event],
				   fwd, inv)) {
			fwd->at = b->cards[mark->card]->history[mark->event].at;
			op_set(&fwd->by, by);
			if (op_holds(b, fwd))
				return 0;
		}
		op_release(fwd);
		op_release(inv);
	}
}

void undo_record_undone(struct undo *u, const struct board *b, const struct op *fwd,
			const struct op *inv)
{
	/* A step inserted where redo takes the next one: steps[pos..n) are undone. */
	ALLOC_GROW(u->steps, u->n + 1, u->alloc);
	memmove(&u->steps[u->pos + 1], &u->steps[u->pos], (u->n - u->pos) * sizeof(*u->steps));
	memset(&u->steps[u->pos], 0, sizeof(u->steps[u->pos]));
	u->n++;
	undo_step_add(&u->steps[u->pos], b, fwd, inv);
}
