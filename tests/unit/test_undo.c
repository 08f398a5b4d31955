/*
 * test_undo.c - undo/redo of this instance's changes as operations with
 * inverses, applied as new changes through a target (here op_apply()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "op.h"
#include "undo.h"
#include "xmalloc.h"

#define NOW 1561716000

static struct board *make_board(void)
{
	struct board *b = board_new("t");

	board_add_theme(b, "a", "Alpha", HUE_RED);
	board_add_theme(b, "b", "Beta", HUE_BLUE);
	board_add_criterion(b, "c1", "low1", "high1", POLE_LOW);
	board_add_criterion(b, "c2", "low2", "high2", POLE_HIGH);
	board_add_grid(b, "g1", 0, 1, 2);
	board_add_grid(b, "g2", 1, 0, 3);
	return b;
}

static void make_id(uuid_t id, unsigned char tag)
{
	memset(id, 0, sizeof(uuid_t));
	id[0] = tag;
	id[6] = 0x40;
	id[8] = 0x80;
}

static struct card *add(struct board *b, unsigned char tag, const char *text)
{
	uuid_t id;

	make_id(id, tag);
	return board_add_card(b, id, text, 0);
}

/* The target: a board changed by op_apply(), or failing on demand. */
struct target {
	struct board *b;
	int fail;      /* 0, or what apply returns without doing anything */
	size_t calls;
	bool facilitator; /* undo and redo with facilitator rights */
};

static struct board *target_board(void *data)
{
	return ((struct target *)data)->b;
}

static int target_apply(const struct op *op, void *data, struct strbuf *why)
{
	struct target *t = data;

	t->calls++;
	if (t->fail) {
		strbuf_addstr(why, "failing on purpose");
		return t->fail;
	}
	return op_apply(t->b, op, why);
}

static struct undo_target target_of(struct target *t)
{
	struct undo_target ut = { target_board, target_apply, t };

	return ut;
}

/* As the UI does: inverse first, then apply, then record. */
static int change(struct undo *u, struct board *b, struct op *op)
{
	struct op inv;
	bool has_inv = undo_inverse(b, op, &inv) == 0;
	int r = op_apply(b, op, NULL);

	if (r >= 0 && has_inv)
		undo_record(u, b, op, &inv);
	if (has_inv)
		op_release(&inv);
	op_release(op);
	return r;
}

static int move(struct undo *u, struct board *b, const struct card *c, const char *grid, int x,
		int y)
{
	struct op op = OP_INIT;

	op.kind = OP_MOVE;
	op.at = NOW;
	op_set(&op.by, "me");
	memcpy(op.card, c->id, sizeof(uuid_t));
	op_set(&op.grid, grid);
	op.x = x;
	op.y = y;
	return change(u, b, &op);
}

/* Undo and redo by the author of the changes, as in the UI (--by is one person). */
static int do_undo(struct undo *u, struct target *t, struct undo_result *res)
{
	struct undo_target ut = target_of(t);
	struct strbuf why = STRBUF_INIT;
	int r = undo_undo(u, &ut, "me", NOW + 60, t->facilitator, res, &why);

	strbuf_release(&why);
	return r;
}

static int do_redo(struct undo *u, struct target *t, struct undo_result *res)
{
	struct undo_target ut = target_of(t);
	struct strbuf why = STRBUF_INIT;
	int r = undo_redo(u, &ut, "me", NOW + 120, t->facilitator, res, &why);

	strbuf_release(&why);
	return r;
}

static void test_move_undo_redo(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_result res;
	const struct card_event *e;

	(void)state;
	assert_false(undo_can_undo(&u));
	assert_null(undo_next_undo(&u));
	assert_int_equal(move(&u, b, c, "g2", 2, 3), 0);
	assert_int_equal(move(&u, b, c, "g2", 1, 1), 0);
	assert_int_equal(move(&u, b, c, "g2", 4, 1), -1); /* out of range: nothing recorded */
	assert_int_equal(u.n, 2);

	assert_true(undo_can_undo(&u));
	assert_int_equal(undo_next_undo(&u)->kind, OP_MOVE);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 1);
	assert_int_equal(res.refused, 0);
	assert_int_equal(res.first->kind, OP_MOVE);
	assert_string_equal(res.first->grid, "g2");
	assert_memory_equal(res.first->card, c->id, sizeof(uuid_t));
	assert_int_equal(c->place[1].x, 2);
	assert_int_equal(c->place[1].y, 3);
	/* The undo is a new change, by whoever undid it, now. */
	e = &c->history[c->nhistory - 1];
	assert_int_equal(e->kind, EVENT_MOVED);
	assert_string_equal(e->by, "me");
	assert_int_equal(e->at, NOW + 60);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(c->place[1].x, 0);
	assert_int_equal(c->place[1].y, 0);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_UNCHANGED);
	assert_false(undo_can_undo(&u));

	assert_true(undo_can_redo(&u));
	assert_int_equal(undo_next_redo(&u)->kind, OP_MOVE);
	assert_int_equal(do_redo(&u, &t, &res), RESULT_OK);
	assert_int_equal(c->place[1].x, 2);
	assert_int_equal(c->place[1].y, 3);
	assert_int_equal(do_redo(&u, &t, &res), RESULT_OK);
	assert_int_equal(c->place[1].x, 1);
	assert_int_equal(c->place[1].y, 1);
	assert_int_equal(do_redo(&u, &t, &res), RESULT_UNCHANGED);
	assert_int_equal(c->nhistory, 6);
	undo_release(&u);
	board_free(b);
}

static void test_text_theme(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "Café ☕");
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_result res;
	struct op op = OP_INIT;

	(void)state;
	op.kind = OP_THEME;
	memcpy(op.card, c->id, sizeof(uuid_t));
	op_set(&op.name, "b");
	assert_int_equal(change(&u, b, &op), 0);
	assert_int_equal(c->theme, 1);
	op.kind = OP_TEXT;
	memcpy(op.card, c->id, sizeof(uuid_t));
	op_set(&op.text, "Café ☕ 東京");
	assert_int_equal(change(&u, b, &op), 0);

	assert_int_equal(undo_next_undo(&u)->kind, OP_TEXT);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_string_equal(c->text, "Café ☕");
	assert_int_equal(undo_next_undo(&u)->kind, OP_THEME);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(c->theme, 0);
	assert_int_equal(do_redo(&u, &t, &res), RESULT_OK);
	assert_int_equal(c->theme, 1);
	assert_int_equal(do_redo(&u, &t, &res), RESULT_OK);
	assert_string_equal(c->text, "Café ☕ 東京");
	undo_release(&u);
	board_free(b);
}

static void test_delete_restores_everything(void **state)
{
	struct board *b = make_board();
	struct card *c2;
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_result res;
	struct op op = OP_INIT;
	uuid_t want;

	(void)state;
	add(b, 1, "one");
	c2 = add(b, 2, "two");
	add(b, 3, "three");
	card_set_by(c2, "Binôme 3");
	card_set_note(c2, "a note");
	card_set_pair(c2, "Binôme 1");
	c2->created = 1561716720;
	c2->decision = DECISION_V2;
	c2->theme = 1;
	board_move_card(b, c2, 0, 2, 1, NOW, "Binôme 3");
	board_place_card(b, c2, 1, 3, 2);
	memcpy(want, c2->id, sizeof(want));

	op.kind = OP_DELETE;
	memcpy(op.card, want, sizeof(uuid_t));
	assert_int_equal(change(&u, b, &op), 0);
	assert_int_equal(b->ncards, 2);
	assert_null(board_find_card(b, want));
	assert_int_equal(undo_next_undo(&u)->kind, OP_DELETE);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 1);
	assert_int_equal(res.first->kind, OP_DELETE);
	assert_memory_equal(res.first->card, want, sizeof(uuid_t));
	assert_int_equal(b->ncards, 3);
	c2 = board_find_card(b, want);
	assert_non_null(c2);
	assert_ptr_equal(b->cards[1], c2); /* back at its place */
	assert_string_equal(b->cards[0]->text, "one");
	assert_string_equal(b->cards[2]->text, "three");
	assert_string_equal(c2->text, "two");
	assert_string_equal(c2->by, "Binôme 3");
	assert_string_equal(c2->note, "a note");
	assert_string_equal(c2->pair, "Binôme 1");
	assert_int_equal(c2->created, 1561716720);
	assert_int_equal(c2->decision, DECISION_V2);
	assert_int_equal(c2->theme, 1);
	assert_int_equal(c2->place[0].x, 2);
	assert_int_equal(c2->place[0].y, 1);
	assert_int_equal(c2->place[1].x, 3);
	assert_int_equal(c2->place[1].y, 2);
	assert_int_equal(c2->nhistory, 1); /* its history comes back too */
	assert_string_equal(c2->history[0].by, "Binôme 3");

	assert_int_equal(do_redo(&u, &t, &res), RESULT_OK);
	assert_int_equal(b->ncards, 2);
	assert_null(board_find_card(b, want));
	undo_release(&u);
	board_free(b);
}

/* A card of mine: its addition undone removes it, and redo brings it back. */
static struct card *added(struct undo *u, struct board *b, int n, const char *text)
{
	struct card *c = xcalloc(1, sizeof(*c));
	struct op op = OP_INIT;
	uuid_t want;

	make_id(c->id, n);
	c->text = xstrdup(text);
	c->by = xstrdup("me");
	c->place = xcalloc(b->ngrids, sizeof(*c->place));
	card_record(c, EVENT_CREATED, NOW, "me");
	memcpy(want, c->id, sizeof(want));
	op.kind = OP_ADD;
	op.card_data = c;
	op.at = NOW;
	op_set(&op.by, "me");
	memcpy(op.card, want, sizeof(uuid_t));
	op.x = (int)b->ncards;
	assert_int_equal(change(u, b, &op), 0);
	return board_find_card(b, want);
}

static void test_add_undo_redo(void **state)
{
	struct board *b = make_board();
	struct card *c;
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_result res;
	uuid_t want;

	(void)state;
	add(b, 1, "one");
	c = added(&u, b, 2, "new");
	assert_non_null(c);
	memcpy(want, c->id, sizeof(want));
	assert_int_equal(undo_next_undo(&u)->kind, OP_ADD);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.first->kind, OP_ADD);
	assert_int_equal(res.applied, 1);
	assert_int_equal(b->ncards, 1);
	assert_null(board_find_card(b, want));
	assert_int_equal(do_redo(&u, &t, &res), RESULT_OK);
	c = board_find_card(b, want);
	assert_non_null(c);
	assert_string_equal(c->text, "new");
	assert_string_equal(c->by, "me");
	assert_ptr_equal(b->cards[1], c);
	undo_release(&u);
	board_free(b);
}

/* A card of mine that someone else has moved since is theirs too: not taken away. */
static void test_add_kept_once_others_worked_on_it(void **state)
{
	struct board *b = make_board();
	struct card *c;
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_result res;
	const struct card_event *e;

	(void)state;
	c = added(&u, b, 2, "new");
	board_move_card(b, c, 0, 1, 1, NOW + 5, "someone else");
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 0);
	assert_int_equal(res.kept, 1);
	assert_int_equal(res.kept_first->kind, OP_ADD);
	assert_int_equal(b->ncards, 1);
	assert_int_equal(c->place[0].x, 1);
	e = op_last_change(b, res.kept_first);
	assert_non_null(e);
	assert_string_equal(e->by, "someone else");
	assert_int_equal(e->at, NOW + 5);
	assert_false(undo_can_undo(&u));
	/* Nothing was undone, so redo has nothing to put back. */
	assert_int_equal(do_redo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 0);
	assert_int_equal(b->ncards, 1);
	undo_release(&u);
	board_free(b);
}

static void test_new_change_drops_redo(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_result res;
	struct op op = OP_INIT;

	(void)state;
	move(&u, b, c, "g1", 1, 1);
	move(&u, b, c, "g1", 2, 2);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_true(undo_can_redo(&u));
	op.kind = OP_TEXT;
	memcpy(op.card, c->id, sizeof(uuid_t));
	op_set(&op.text, "changed");
	assert_int_equal(change(&u, b, &op), 0);
	assert_false(undo_can_redo(&u));
	assert_int_equal(u.n, 2);
	assert_int_equal(do_redo(&u, &t, &res), RESULT_UNCHANGED);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(c->place[0].x, 0);
	assert_string_equal(c->text, "one");
	undo_release(&u);
	board_free(b);
}

/* An operation that is refused (its card has gone) is skipped; the history goes on. */
static void test_refused_is_skipped(void **state)
{
	struct board *b = make_board();
	struct card *c1 = add(b, 1, "one"), *c2 = add(b, 2, "two");
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_result res;

	(void)state;
	move(&u, b, c1, "g1", 1, 1);
	move(&u, b, c2, "g1", 2, 2);
	board_remove_card(b, c2); /* by someone else */
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 0);
	assert_int_equal(res.refused, 1);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 1);
	assert_int_equal(c1->place[0].x, 0);
	undo_release(&u);
	board_free(b);
}

/* A card locked meanwhile refuses a pair's undo, not a facilitator's. */
static void test_locked_refuses_pairs(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_target ut = target_of(&t);
	struct undo_result res;
	struct strbuf why = STRBUF_INIT;

	(void)state;
	move(&u, b, c, "g1", 1, 1);
	board_lock_card(b, c, true, NOW, "claire");
	assert_int_equal(undo_undo(&u, &ut, "me", NOW, false, &res, &why), RESULT_OK);
	assert_int_equal(res.refused, 1);
	assert_non_null(strstr(why.buf, "locked"));
	assert_int_equal(c->place[0].x, 1);
	assert_int_equal(undo_redo(&u, &ut, "me", NOW, false, &res, &why), RESULT_OK);
	strbuf_reset(&why);
	assert_int_equal(undo_undo(&u, &ut, "claire", NOW, true, &res, &why), RESULT_OK);
	assert_int_equal(res.applied, 1);
	assert_int_equal(c->place[0].x, 0);
	strbuf_release(&why);
	undo_release(&u);
	board_free(b);
}

/* When nothing can be done (the board cannot be locked), the step stays. */
static void test_failure_keeps_the_step(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;
	struct target t = { b, RESULT_BUSY, 0, false };
	struct undo_result res;

	(void)state;
	move(&u, b, c, "g1", 1, 1);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_BUSY);
	assert_true(undo_can_undo(&u));
	assert_false(undo_can_redo(&u));
	assert_int_equal(c->place[0].x, 1);
	t.fail = 0;
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(c->place[0].x, 0);
	undo_release(&u);
	board_free(b);
}

/* Undo leaves a later move by someone else alone, and says who made it. */
static void test_undo_keeps_others_later_move(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_result res;
	const struct card_event *e;

	(void)state;
	move(&u, b, c, "g2", 1, 1);
	board_move_card(b, c, 1, 3, 3, NOW + 60, "Binôme B");
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 0);
	assert_int_equal(res.kept, 1);
	assert_int_equal(c->place[1].x, 3); /* B's move stands */
	assert_int_equal(c->place[1].y, 3);
	assert_false(card_is_debated(b, c));
	e = op_last_change(b, res.kept_first);
	assert_non_null(e);
	assert_string_equal(e->by, "Binôme B");
	assert_int_equal(e->to.x, 3);
	assert_int_equal(e->to.y, 3);
	assert_int_equal(e->at, NOW + 60);
	/* Redo does not move it either. */
	assert_int_equal(do_redo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 0);
	assert_int_equal(c->place[1].x, 3);
	undo_release(&u);
	board_free(b);
}

/* Redo, computed at undo time, never overwrites a move made after the undo. */
static void test_redo_keeps_others_move_after_undo(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_result res;

	(void)state;
	move(&u, b, c, "g2", 1, 1);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 1);
	assert_int_equal(c->place[1].x, 0);
	board_move_card(b, c, 1, 3, 3, NOW + 60, "someone else");
	assert_int_equal(do_redo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 0);
	assert_int_equal(res.kept, 1);
	assert_int_equal(c->place[1].x, 3);
	undo_release(&u);
	board_free(b);
}

/* A step is undone field by field: what nobody touched is undone, the rest kept. */
static void test_step_partly_kept(void **state)
{
	struct board *b = make_board();
	struct card *c1 = add(b, 1, "one"), *c2 = add(b, 2, "two");
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_result res;

	(void)state;
	undo_begin(&u);
	move(&u, b, c1, "g1", 1, 1);
	move(&u, b, c2, "g1", 2, 2);
	undo_end(&u);
	assert_int_equal(board_move_card(b, c2, 0, 1, 2, NOW + 60, "Binôme B"), RESULT_OK);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 1);
	assert_int_equal(res.kept, 1);
	assert_int_equal(c1->place[0].x, 0);
	assert_int_equal(c2->place[0].x, 1);
	/* Undo then redo with nothing in between: as it was. */
	assert_int_equal(do_redo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 1);
	assert_int_equal(c1->place[0].x, 1);
	assert_int_equal(c2->place[0].x, 1);
	assert_int_equal(c2->place[0].y, 2);
	undo_release(&u);
	board_free(b);
}

/* Text: someone else's later edit stands; a decision comes back with its reason. */
static void test_text_kept_decision_rationale_back(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "Café-philo du samedi");
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, true };
	struct undo_result res;
	struct op op = OP_INIT, inv = OP_INIT;

	(void)state;
	op.kind = OP_TEXT;
	op.at = NOW;
	memcpy(op.card, c->id, sizeof(uuid_t));
	op_set(&op.text, "Café-philo du samedi (mensuel)");
	assert_int_equal(change(&u, b, &op), 0);
	op_release(&op);
	board_set_card_text(b, c, "Café-philo du samedi (mensuel) matin");
	card_record(c, EVENT_EDITED, NOW + 30, "Binôme B");
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.kept, 1);
	assert_string_equal(c->text, "Café-philo du samedi (mensuel) matin");

	assert_int_equal(board_decide(b, c, DECISION_V2, NOW, "Claire", "trop tôt"), 0);
	op.kind = OP_DECIDE;
	op.facilitator = true;
	op.at = NOW + 90;
	memcpy(op.card, c->id, sizeof(uuid_t));
	op.value = DECISION_V1;
	op_set(&op.text, "facile");
	assert_int_equal(undo_inverse(b, &op, &inv), 0);
	assert_int_equal(inv.value, DECISION_V2);
	assert_string_equal(inv.text, "trop tôt");
	op_release(&inv);
	assert_int_equal(change(&u, b, &op), 0);
	op_release(&op);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 1);
	assert_int_equal(c->decision, DECISION_V2);
	assert_string_equal(b->decisions[b->ndecisions - 1].rationale, "trop tôt");
	undo_release(&u);
	board_free(b);
}

/* After a restart: my changes found in the histories, newest first, others' left alone. */
static void test_history_after_restart(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one"), *d = add(b, 2, "two");
	struct undo u = UNDO_INIT, fresh = UNDO_INIT;
	struct undo_mark mark = { false, 0, 0, 0 };
	struct op op = OP_INIT, fwd, inv;

	(void)state;
	move(&u, b, c, "g1", 1, 1);
	op.kind = OP_TEXT;
	op.at = NOW + 1;
	op_set(&op.by, "me");
	memcpy(op.card, c->id, sizeof(uuid_t));
	op_set(&op.text, "one, edited");
	assert_int_equal(change(&u, b, &op), 0);
	move(&u, b, d, "g1", 2, 2);
	/* Someone else moved d since: that change of mine is passed over. */
	assert_int_equal(board_move_card(b, d, 0, 1, 2, NOW + 5, "other"), RESULT_OK);
	undo_release(&u);

	assert_int_equal(undo_history_find(b, "me", &mark, &fwd, &inv), 0);
	assert_int_equal(inv.kind, OP_TEXT);
	assert_string_equal(inv.text, "one");
	assert_string_equal(fwd.text, "one, edited");
	assert_int_equal(op_apply(b, &inv, NULL), RESULT_OK);
	undo_record_undone(&fresh, b, &fwd, &inv);
	op_release(&fwd);
	op_release(&inv);
	assert_false(undo_can_undo(&fresh));
	assert_true(undo_can_redo(&fresh));

	assert_int_equal(undo_history_find(b, "me", &mark, &fwd, &inv), 0);
	assert_int_equal(inv.kind, OP_MOVE);
	assert_memory_equal(inv.card, c->id, sizeof(uuid_t));
	assert_int_equal(inv.x, 0);
	assert_int_equal(fwd.x, 1);
	op_release(&fwd);
	op_release(&inv);
	/* Nothing older of mine; "other" has its own. */
	assert_int_equal(undo_history_find(b, "me", &mark, &fwd, &inv), -1);
	memset(&mark, 0, sizeof(mark));
	assert_int_equal(undo_history_find(b, "other", &mark, &fwd, &inv), 0);
	assert_memory_equal(inv.card, d->id, sizeof(uuid_t));
	assert_int_equal(inv.x, 2);
	op_release(&fwd);
	op_release(&inv);
	undo_release(&fresh);
	board_free(b);
}

static struct op *zone_op(struct op *op, enum op_kind kind, const char *name, int x, int y)
{
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->facilitator = true;
	op_set(&op->grid, "g2");
	op_set(&op->name, name);
	op->x = x;
	op->y = y;
	return op;
}

/* A zone and its cells are one step. */
static void test_zone_step(void **state)
{
	struct board *b = make_board();
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, true };
	struct undo_result res;
	struct op op;
	struct grid *g = &b->grids[1];

	(void)state;
	undo_begin(&u);
	zone_op(&op, OP_ZONE_ADD, "V1", 0, 0);
	op.value = HUE_GREEN;
	assert_int_equal(change(&u, b, &op), 0);
	undo_begin(&u); /* nested: still the same step */
	assert_int_equal(change(&u, b, zone_op(&op, OP_ZONE_CELL, "V1", 1, 1)), 0);
	undo_end(&u);
	assert_int_equal(change(&u, b, zone_op(&op, OP_ZONE_CELL, "V1", 2, 1)), 0);
	undo_end(&u);
	assert_int_equal(u.n, 1);
	assert_int_equal(u.steps[0].n, 3);
	assert_int_equal(g->nzones, 1);
	assert_int_equal(grid_zone_at(g, 2, 1), 0);

	/* Making it the easy zone is a step of its own. */
	zone_op(&op, OP_ZONE_ADD, "V1", 1, 0);
	op.value = HUE_GREEN;
	assert_int_equal(change(&u, b, &op), 0);
	assert_int_equal(u.n, 2);
	assert_true(g->zones[0].easy);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_false(g->zones[0].easy);
	assert_int_equal(g->zones[0].color, HUE_GREEN);

	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.applied, 3);
	assert_int_equal(res.first->kind, OP_ZONE_ADD);
	assert_int_equal(g->nzones, 0);
	assert_int_equal(do_redo(&u, &t, &res), RESULT_OK);
	assert_int_equal(g->nzones, 1);
	assert_string_equal(g->zones[0].name, "V1");
	assert_int_equal(g->zones[0].color, HUE_GREEN);
	assert_int_equal(grid_zone_at(g, 1, 1), 0);
	assert_int_equal(grid_zone_at(g, 2, 1), 0);
	assert_int_equal(grid_zone_at(g, 3, 1), -1);
	undo_release(&u);
	board_free(b);
}

static void test_zone_inverses(void **state)
{
	struct board *b = make_board();
	struct op op, inv;

	(void)state;
	zone_op(&op, OP_ZONE_ADD, "V2", 0, 0);
	op.value = HUE_BLUE;
	assert_int_equal(undo_inverse(b, &op, &inv), 0);
	assert_int_equal(inv.kind, OP_ZONE_DEL);
	assert_string_equal(inv.name, "V2");
	assert_string_equal(inv.grid, "g2");
	assert_true(inv.facilitator);
	op_release(&inv);
	assert_int_equal(op_apply(b, &op, NULL), RESULT_OK);
	op_release(&op);

	zone_op(&op, OP_ZONE_DEL, "V2", 0, 0);
	assert_int_equal(undo_inverse(b, &op, &inv), 0);
	assert_int_equal(inv.kind, OP_ZONE_ADD);
	assert_int_equal(inv.value, HUE_BLUE);
	assert_int_equal(inv.x, 0);
	op_release(&inv);
	op_release(&op);

	zone_op(&op, OP_ZONE_DEL, "nope", 0, 0);
	assert_int_equal(undo_inverse(b, &op, &inv), -1);
	op_release(&op);
	zone_op(&op, OP_ZONE_ADD, "x", 0, 0);
	op_set(&op.grid, "no-such-grid");
	assert_int_equal(undo_inverse(b, &op, &inv), -1);
	op_release(&op);
	/* Frame operations cannot be undone. */
	memset(&op, 0, sizeof(op));
	op.kind = OP_TITLE;
	op_set(&op.text, "t2");
	assert_int_equal(undo_inverse(b, &op, &inv), -1);
	op_release(&op);
	board_free(b);
}

/* A criterion renamed and flipped is undone and redone; a new one is not undoable. */
static void test_criterion_undo(void **state)
{
	struct board *b = make_board();
	struct target t = { b, 0, 0, true };
	struct undo u = UNDO_INIT;
	struct undo_result res;
	struct op op = OP_INIT, inv;

	(void)state;
	op.kind = OP_CRITERION;
	op.facilitator = true;
	op_set(&op.name, "c1");
	op_set(&op.text, "Bas");
	op_set(&op.text2, "Haut");
	op.value = POLE_HIGH;
	assert_int_equal(change(&u, b, &op), 0);
	assert_string_equal(b->criteria[0].low, "Bas");
	assert_int_equal(b->criteria[0].easy, POLE_HIGH);

	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_string_equal(b->criteria[0].low, "low1");
	assert_string_equal(b->criteria[0].high, "high1");
	assert_int_equal(b->criteria[0].easy, POLE_LOW);
	assert_int_equal(do_redo(&u, &t, &res), RESULT_OK);
	assert_string_equal(b->criteria[0].high, "Haut");
	assert_int_equal(b->criteria[0].easy, POLE_HIGH);

	/* Adding a criterion has no inverse: no operation removes one. */
	memset(&op, 0, sizeof(op));
	op.kind = OP_CRITERION;
	op.facilitator = true;
	op_set(&op.name, "c3");
	op_set(&op.text, "l");
	op_set(&op.text2, "h");
	op.value = POLE_LOW;
	assert_int_equal(undo_inverse(b, &op, &inv), -1);
	/* Nor has a change of a grid's resolution. */
	op_release(&op);
	op.kind = OP_GRID_CELLS;
	op.facilitator = true;
	op_set(&op.grid, "g1");
	op.value = 4;
	assert_int_equal(undo_inverse(b, &op, &inv), -1);
	op_release(&op);
	undo_release(&u);
	board_free(b);
}

static void test_decide_lock(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_target ut = target_of(&t);
	struct undo_result res;
	struct op op = OP_INIT;

	(void)state;
	op.kind = OP_DECIDE;
	op.facilitator = true;
	memcpy(op.card, c->id, sizeof(uuid_t));
	op.value = DECISION_V1;
	op_set(&op.text, "quick win");
	assert_int_equal(change(&u, b, &op), 0);
	op.kind = OP_LOCK;
	op.facilitator = true;
	memcpy(op.card, c->id, sizeof(uuid_t));
	op.value = 1;
	assert_int_equal(change(&u, b, &op), 0);
	assert_true(c->locked);
	assert_int_equal(b->ndecisions, 1);

	assert_int_equal(undo_undo(&u, &ut, "claire", NOW, true, &res, NULL), RESULT_OK);
	assert_false(c->locked);
	assert_int_equal(undo_undo(&u, &ut, "claire", NOW, true, &res, NULL), RESULT_OK);
	assert_int_equal(c->decision, DECISION_UNDECIDED);
	assert_int_equal(b->ndecisions, 2); /* the log keeps both */
	assert_string_equal(b->decisions[1].by, "claire");
	assert_int_equal(b->decisions[1].to, DECISION_UNDECIDED);
	assert_int_equal(undo_redo(&u, &ut, "claire", NOW, true, &res, NULL), RESULT_OK);
	assert_int_equal(c->decision, DECISION_V1);
	undo_release(&u);
	board_free(b);
}

/* An added card recorded before a grid was added is not brought back half-made. */
static void test_grids_changed(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_result res;
	struct op op = OP_INIT;

	(void)state;
	op.kind = OP_DELETE;
	memcpy(op.card, c->id, sizeof(uuid_t));
	assert_int_equal(change(&u, b, &op), 0);
	board_add_grid(b, "g3", 0, 1, 4);
	assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(res.refused, 1);
	assert_int_equal(t.calls, 0);
	assert_int_equal(b->ncards, 0);
	undo_release(&u);
	board_free(b);
}

/* Unlimited: a long history undoes back to the start. */
static void test_long_history(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;
	struct target t = { b, 0, 0, false };
	struct undo_result res;
	int i;

	(void)state;
	for (i = 0; i < 3000; i++)
		move(&u, b, c, "g2", 1 + i % 3, 1 + (i / 3) % 3);
	while (undo_can_undo(&u))
		assert_int_equal(do_undo(&u, &t, &res), RESULT_OK);
	assert_int_equal(c->place[1].x, 0);
	assert_int_equal(c->place[1].y, 0);
	undo_release(&u);
	board_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move_undo_redo),
		cmocka_unit_test(test_text_theme),
		cmocka_unit_test(test_delete_restores_everything),
		cmocka_unit_test(test_add_undo_redo),
		cmocka_unit_test(test_add_kept_once_others_worked_on_it),
		cmocka_unit_test(test_new_change_drops_redo),
		cmocka_unit_test(test_refused_is_skipped),
		cmocka_unit_test(test_locked_refuses_pairs),
		cmocka_unit_test(test_failure_keeps_the_step),
		cmocka_unit_test(test_undo_keeps_others_later_move),
		cmocka_unit_test(test_redo_keeps_others_move_after_undo),
		cmocka_unit_test(test_step_partly_kept),
		cmocka_unit_test(test_history_after_restart),
		cmocka_unit_test(test_text_kept_decision_rationale_back),
		cmocka_unit_test(test_zone_step),
		cmocka_unit_test(test_zone_inverses),
		cmocka_unit_test(test_criterion_undo),
		cmocka_unit_test(test_decide_lock),
		cmocka_unit_test(test_grids_changed),
		cmocka_unit_test(test_long_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
