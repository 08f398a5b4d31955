/*
 * test_collab.c - several people, one board, at random (issue 16).
 *
 * Four instances share one journal, as live sessions do: each catches up
 * with the journal, then makes a change, an undo or a redo, whose operation
 * is applied to its board and appended to the journal. After 500 steps (and
 * other seeds with TAMIS_COLLAB_SEED / TAMIS_COLLAB_STEPS, see make stress):
 *
 *  - no undo or redo changed a field that another author changed after the
 *    change it undid (checked against the journal, field by field);
 *  - every instance, once caught up, holds the same board;
 *  - replaying the journal on the first board gives that board too.
 *
 * The instances go through the same code as the UI: op_apply(), undo.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "board.h"
#include "op.h"
#include "store.h"
#include "strbuf.h"
#include "undo.h"
#include "xmalloc.h"

#define NINST 4
#define NCARDS 8
#define NOW 1561716000

/* The shared journal: every operation applied, in order, and who made it. */
static struct op_list journal = OP_LIST_INIT;

struct inst {
	char name[16];
	struct board *b;
	struct undo u;
	size_t seen;            /* journal operations applied here */
	/*
	 * For each undo step (one operation each here): the journal index of
	 * what it last applied (the change, its redo, or its undo).
	 */
	size_t *last;
	size_t nlast;
};

static uint64_t rng_state;
/* What the undos and redos came to: applied, and left to someone else. */
static size_t undos_applied, undos_kept;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % n);
}

static struct board *make_board(void)
{
	struct board *b = board_new("collab");
	uuid_t id;
	int i;

	board_add_theme(b, "a", "Alpha", HUE_RED);
	board_add_theme(b, "b", "Beta", HUE_BLUE);
	board_add_criterion(b, "c1", "low1", "high1", POLE_LOW);
	board_add_criterion(b, "c2", "low2", "high2", POLE_HIGH);
	board_add_grid(b, "g", 0, 1, 3);
	board_add_grid(b, "h", 1, 0, 2);
	for (i = 0; i < NCARDS; i++) {
		char text[16];

		memset(id, 0, sizeof(id));
		id[0] = (unsigned char)(i + 1);
		id[6] = 0x40;
		id[8] = 0x80;
		snprintf(text, sizeof(text), "card %d", i);
		board_add_card(b, id, text, (size_t)(i % 2));
	}
	return b;
}

static char *format(const struct board *b)
{
	struct strbuf sb = STRBUF_INIT;

	store_format(b, &sb);
	return strbuf_detach(&sb, NULL);
}

static void catch_up(struct inst *in)
{
	for (; in->seen < journal.n; in->seen++)
		op_apply(in->b, &journal.v[in->seen], NULL);
}

/* Appends op (applied) to the journal; returns its index. */
static size_t journal_add(const struct inst *in, const struct op *op)
{
	struct op *j = op_list_add(&journal, op->kind, op->at, op->by);

	op_release(j);
	op_copy(j, op, in->b);
	return journal.n - 1;
}

/* Whether two operations set the same field of the same card. */
static bool same_field(const struct op *a, const struct op *b)
{
	if (uuid_compare(a->card, b->card))
		return false;
	if (a->kind != b->kind)
		return false;
	return a->kind != OP_MOVE || !strcmp(a->grid, b->grid);
}

/*
 * The invariant: the operation at journal index now, by an undo or redo of
 * the change last applied at index before, sets a field nobody else set in
 * between.
 */
static void check_not_over_others(size_t before, size_t now)
{
	const struct op *undo = &journal.v[now];
	size_t k;

	for (k = before + 1; k < now; k++) {
		const struct op *o = &journal.v[k];

		if (same_field(o, undo) && strcmp(o->by, undo->by)) {
			size_t d;

			for (d = before; d <= now; d++)
				if (!uuid_compare(journal.v[d].card, undo->card))
					print_message("  %zu %s %s %s %d,%d %s\n", d, journal.v[d].by,
						      op_kind_name(journal.v[d].kind),
						      journal.v[d].grid ? journal.v[d].grid : "",
						      journal.v[d].x, journal.v[d].y,
						      journal.v[d].text ? journal.v[d].text : "");
			fail_msg("step %zu: %s's undo/redo of op %zu overwrote %s's op %zu (%s)", now,
				 undo->by, before, o->by, k, op_kind_name(o->kind));
		}
	}
}

/* The undo target: the instance's board, and the journal. */
struct target {
	struct inst *in;
	size_t applied;     /* journal index of the last operation applied, or SIZE_MAX */
};

static struct board *target_board(void *data)
{
	return ((struct target *)data)->in->b;
}

static int target_apply(const struct op *op, void *data, struct strbuf *why)
{
	struct target *t = data;
	int r = op_apply(t->in->b, op, why);

	if (r == RESULT_OK) {
		t->applied = journal_add(t->in, op);
		t->in->seen = journal.n;
	}
	return r;
}

/* A random change of a random card, as a person makes one. */
static void random_change(struct inst *in, int step)
{
	struct card *card = in->b->cards[rnd(NCARDS)];
	struct op op = OP_INIT, inv;
	char text[32];
	bool has_inv;

	op.at = NOW + step;
	op_set(&op.by, in->name);
	op.facilitator = true;
	memcpy(op.card, card->id, sizeof(uuid_t));
	switch (rnd(6)) {
	case 0:
	case 1:
		op.kind = OP_MOVE;
		op_set(&op.grid, rnd(2) ? "g" : "h");
		op.x = (int)rnd(!strcmp(op.grid, "g") ? 4 : 3);
		op.y = op.x ? 1 + (int)rnd(!strcmp(op.grid, "g") ? 3 : 2) : 0;
		break;
	case 2:
		op.kind = OP_TEXT;
		snprintf(text, sizeof(text), "text %u by %s", rnd(5), in->name);
		op_set(&op.text, text);
		break;
	case 3:
		op.kind = OP_NOTE;
		snprintf(text, sizeof(text), "note %u", rnd(4));
		op_set(&op.text, rnd(3) ? text : NULL);
		break;
	case 4:
		op.kind = OP_DECIDE;
		op.value = (int)rnd(DECISION_COUNT);
		snprintf(text, sizeof(text), "why %u", rnd(3));
		op_set(&op.text, text);
		break;
	default:
		op.kind = OP_THEME;
		op_set(&op.name, rnd(2) ? "a" : "b");
		break;
	}
	has_inv = undo_inverse(in->b, &op, &inv) == 0;
	if (op_apply(in->b, &op, NULL) == RESULT_OK) {
		size_t at = journal_add(in, &op);

		in->seen = journal.n;
		if (has_inv) {
			undo_record(&in->u, in->b, &op, &inv);
			/* The steps past pos were dropped: the record is at pos - 1. */
			in->nlast = in->u.pos;
			in->last = xreallocarray(in->last, in->nlast, sizeof(*in->last));
			in->last[in->nlast - 1] = at;
		}
	}
	if (has_inv)
		op_release(&inv);
	op_release(&op);
}

static void random_undo(struct inst *in, int step, bool redo)
{
	struct target t = { in, SIZE_MAX };
	struct undo_target ut = { target_board, target_apply, &t };
	struct undo_result res;
	size_t s = redo ? in->u.pos : in->u.pos - 1;
	int r;

	if (redo ? !undo_can_redo(&in->u) : !undo_can_undo(&in->u))
		return;
	r = redo ? undo_redo(&in->u, &ut, in->name, NOW + step, true, &res, NULL)
		 : undo_undo(&in->u, &ut, in->name, NOW + step, true, &res, NULL);
	assert_int_equal(r, RESULT_OK);
	undos_kept += res.kept;
	if (t.applied != SIZE_MAX) {
		undos_applied++;
		check_not_over_others(in->last[s], t.applied);
		in->last[s] = t.applied;
	}
}

static void test_random_sharing(void **state)
{
	const char *seed = getenv("TAMIS_COLLAB_SEED"), *steps = getenv("TAMIS_COLLAB_STEPS");
	int nsteps = steps ? atoi(steps) : 500, step, i;
	struct board *first = make_board(), *replay = make_board();
	struct inst in[NINST];
	char *want, *got;
	size_t k, moves = 0;

	(void)state;
	rng_state = seed ? strtoull(seed, NULL, 10) : 20190628;
	for (i = 0; i < NINST; i++) {
		memset(&in[i], 0, sizeof(in[i]));
		snprintf(in[i].name, sizeof(in[i].name), "Binôme %d", i + 1);
		in[i].b = make_board();
		undo_init(&in[i].u);
	}
	for (step = 0; step < nsteps; step++) {
		struct inst *p = &in[rnd(NINST)];
		unsigned what = rnd(20);

		catch_up(p);
		if (what < 12)
			random_change(p, step);
		else if (what < 17)
			random_undo(p, step, false);
		else
			random_undo(p, step, true);
	}
	for (i = 0; i < NINST; i++)
		catch_up(&in[i]);
	want = format(in[0].b);
	for (i = 1; i < NINST; i++) {
		got = format(in[i].b);
		assert_string_equal(got, want);
		free(got);
	}
	for (k = 0; k < journal.n; k++)
		op_apply(replay, &journal.v[k], NULL);
	got = format(replay);
	assert_string_equal(got, want);
	free(got);
	/* The run made enough of each to mean something. */
	for (k = 0; k < journal.n; k++)
		moves += journal.v[k].kind == OP_MOVE;
	assert_true(journal.n > (size_t)nsteps / 2);
	assert_true(moves > 0);
	assert_true(undos_applied > (size_t)nsteps / 20);
	assert_true(undos_kept > 0);
	free(want);
	for (i = 0; i < NINST; i++) {
		undo_release(&in[i].u);
		board_free(in[i].b);
		free(in[i].last);
	}
	board_free(first);
	board_free(replay);
	op_list_release(&journal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_sharing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
