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

void undo_record(struct undo *u, const struct board *b, const struct op *op,
		 const struct op *inv)
{
	struct undo_step *s;
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
	s = &u->steps[u->n - 1];
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
