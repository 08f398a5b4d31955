/* Unit tests for board operations: apply, idempotence, inverses, rights. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "board.h"
#include "op.h"
#include "sieve_ref.h"

static struct board *fixture(void)
{
	struct board *b = board_new("ops");
	uuid_t id;
	int i;

	board_add_theme(b, "t1", "One", HUE_RED);
	board_add_theme(b, "t2", "Two", HUE_BLUE);
	board_add_criterion(b, "a", "a-", "a+", POLE_LOW);
	board_add_criterion(b, "b", "b-", "b+", POLE_HIGH);
	board_add_grid(b, "g", 0, 1, 3);
	for (i = 1; i <= 3; i++) {
		memset(id, 0, sizeof(id));
		id[0] = (unsigned char)i;
		board_add_card(b, id, i == 1 ? "first" : i == 2 ? "second" : "third", 0);
	}
	return b;
}

static void op_on(struct op *op, enum op_kind kind, const struct card *card)
{
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->at = 1000;
	op_set(&op->by, "Binôme 1");
	if (card)
		memcpy(op->card, card->id, sizeof(uuid_t));
}

/* Applies op, checks the result, then that applying again changes nothing. */
static void apply_twice(struct board *b, const struct op *op)
{
	assert_int_equal(op_apply(b, op, NULL), RESULT_OK);
	assert_int_equal(op_apply(b, op, NULL), RESULT_UNCHANGED);
}

static void test_kind_names(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < OP_COUNT; k++)
		assert_int_equal(op_kind_parse(op_kind_name((enum op_kind)k)), k);
	assert_int_equal(op_kind_parse("nope"), -1);
}

static void test_card_ops(void **state)
{
	struct board *b = fixture();
	struct card *c = b->cards[0];
	struct op op;

	(void)state;
	op_on(&op, OP_MOVE, c);
	op_set(&op.grid, "g");
	op.x = 3;
	op.y = 2;
	apply_twice(b, &op);
	assert_int_equal(c->place[0].x, 3);
	assert_int_equal(c->nhistory, 1);
	assert_string_equal(c->history[0].by, "Binôme 1");
	op_release(&op);

	op_on(&op, OP_TEXT, c);
	op_set(&op.text, "Réception « colis » 😀");
	apply_twice(b, &op);
	assert_string_equal(c->text, "Réception « colis » 😀");
	op_release(&op);

	op_on(&op, OP_THEME, c);
	op_set(&op.name, "t2");
	apply_twice(b, &op);
	assert_int_equal(c->theme, 1);
	op_set(&op.name, "t9");
	assert_int_equal(op_apply(b, &op, NULL), RESULT_REFUSED);
	op_release(&op);

	op_on(&op, OP_NOTE, c);
	op_set(&op.text, "à revoir");
	apply_twice(b, &op);
	assert_string_equal(c->note, "à revoir");
	op_release(&op);

	op_on(&op, OP_PAIR, c);
	op_set(&op.text, "Binôme 2");
	apply_twice(b, &op);
	assert_string_equal(c->pair, "Binôme 2");
	op_release(&op);

	op_on(&op, OP_DELETE, c);
	apply_twice(b, &op);
	assert_int_equal(b->ncards, 2);
	op_release(&op);
	board_free(b);
}

static void test_facilitator_rights(void **state)
{
	struct board *b = fixture();
	struct card *c = b->cards[1];
	struct strbuf why = STRBUF_INIT;
	struct op op;

	(void)state;
	op_on(&op, OP_DECIDE, c);
	op.value = DECISION_V1;
	op_set(&op.text, "rapide à lancer");
	assert_int_equal(op_apply(b, &op, &why), RESULT_REFUSED);
	assert_string_equal(why.buf, "only the facilitator may decide");
	op.facilitator = true;
	apply_twice(b, &op);
	assert_int_equal(c->decision, DECISION_V1);
	assert_int_equal(b->ndecisions, 1);
	assert_string_equal(b->decisions[0].rationale, "rapide à lancer");
	op_release(&op);

	op_on(&op, OP_LOCK, c);
	op.value = 1;
	op.facilitator = true;
	apply_twice(b, &op);
	op_release(&op);

	/* A pair cannot move or delete a locked card; the facilitator can. */
	op_on(&op, OP_MOVE, c);
	op_set(&op.grid, "g");
	op.x = op.y = 1;
	strbuf_reset(&why);
	assert_int_equal(op_apply(b, &op, &why), RESULT_REFUSED);
	assert_non_null(strstr(why.buf, "locked"));
	assert_false(card_is_placed(c, 0));
	op.facilitator = true;
	assert_int_equal(op_apply(b, &op, NULL), RESULT_OK);
	op_release(&op);
	op_on(&op, OP_DELETE, c);
	assert_int_equal(op_apply(b, &op, NULL), RESULT_REFUSED);
	assert_int_equal(b->ncards, 3);
	/*
	 * Nor bring a locked card back: the facilitator deletes it, and only the
	 * facilitator's undo (an add with the right) restores it, which the
	 * inverse (a delete with the same right) can undo again.
	 */
	op.facilitator = true;
	{
		struct op inv;
		uuid_t id;

		memcpy(id, c->id, sizeof(uuid_t));
		assert_int_equal(op_inverse(b, &op, &inv), 0);
		assert_int_equal(op_apply(b, &op, NULL), RESULT_OK);
		inv.facilitator = false;
		strbuf_reset(&why);
		assert_int_equal(op_apply(b, &inv, &why), RESULT_REFUSED);
		assert_string_equal(why.buf, "only the facilitator may add a locked card");
		assert_int_equal(b->ncards, 2);
		inv.facilitator = true;
		assert_int_equal(op_apply(b, &inv, NULL), RESULT_OK);
		assert_int_equal(b->ncards, 3);
		assert_true(board_find_card(b, id)->locked);
		op_release(&inv);
	}
	c = b->cards[1];
	/* Text edits stay open to pairs. */
	op_release(&op);
	op_on(&op, OP_TEXT, c);
	op_set(&op.text, "edited");
	assert_int_equal(op_apply(b, &op, NULL), RESULT_OK);
	op_release(&op);
	strbuf_release(&why);
	board_free(b);
}

static void test_zone_and_frame_ops(void **state)
{
	struct board *b = fixture();
	struct op op;

	(void)state;
	op_on(&op, OP_ZONE_ADD, NULL);
	op.facilitator = true;
	op_set(&op.grid, "g");
	op_set(&op.name, "V1 — quick wins");
	op.value = HUE_GREEN;
	op.x = 1;
	apply_twice(b, &op);
	assert_int_equal(b->grids[0].nzones, 1);
	assert_true(b->grids[0].zones[0].easy);
	op_release(&op);

	op_on(&op, OP_ZONE_CELL, NULL);
	op.facilitator = true;
	op_set(&op.grid, "g");
	op_set(&op.name, "V1 — quick wins");
	op.x = 3;
	op.y = 3;
	apply_twice(b, &op);
	assert_true(grid_cell_is_easy(b, &b->grids[0], 3, 3));
	assert_false(grid_cell_is_easy(b, &b->grids[0], 1, 3));
	op_release(&op);

	op_on(&op, OP_GRID_CELLS, NULL);
	op.facilitator = true;
	op_set(&op.grid, "g");
	op.value = 5;
	apply_twice(b, &op);
	assert_int_equal(b->grids[0].cells, 5);
	op.value = 12;
	assert_int_equal(op_apply(b, &op, NULL), RESULT_REFUSED);
	op_release(&op);

	op_on(&op, OP_CRITERION, NULL);
	op.facilitator = true;
	op_set(&op.name, "c");
	op_set(&op.text, "Décentralisé");
	op_set(&op.text2, "Centralisé");
	op.value = POLE_HIGH;
	apply_twice(b, &op);
	op_release(&op);
	op_on(&op, OP_GRID_ADD, NULL);
	op.facilitator = true;
	op_set(&op.grid, "a-c");
	op_set(&op.text, "a");
	op_set(&op.text2, "c");
	op.value = 2;
	apply_twice(b, &op);
	assert_int_equal(b->ngrids, 2);
	assert_false(card_is_placed(b->cards[0], 1));
	op_release(&op);
	/* One criterion on both axes: the store would refuse the file, so the op is refused. */
	op_on(&op, OP_GRID_ADD, NULL);
	op.facilitator = true;
	op_set(&op.grid, "c-c");
	op_set(&op.text, "c");
	op_set(&op.text2, "c");
	op.value = 3;
	assert_int_equal(op_apply(b, &op, NULL), RESULT_REFUSED);
	assert_int_equal(b->ngrids, 2);
	op_release(&op);

	op_on(&op, OP_THEME_ADD, NULL);
	op_set(&op.name, "t3");
	op_set(&op.text, "Trois");
	op.value = HUE_CYAN;
	apply_twice(b, &op);
	assert_int_equal(b->nthemes, 3);
	op_release(&op);

	op_on(&op, OP_TITLE, NULL);
	op_set(&op.text, "Nouveau titre");
	assert_int_equal(op_apply(b, &op, NULL), RESULT_REFUSED); /* facilitator only */
	op.facilitator = true;
	apply_twice(b, &op);
	assert_string_equal(b->title, "Nouveau titre");
	op_release(&op);
	board_free(b);
}

/* Each undoable op followed by its inverse gives back the board it started from. */
static void test_inverses(void **state)
{
	struct board *b = fixture();
	struct card *c = b->cards[1];
	struct op op, inv;
	uuid_t id;

	(void)state;
	board_place_card(b, c, 0, 2, 2);
	memcpy(id, c->id, sizeof(id));

	op_on(&op, OP_MOVE, c);
	op_set(&op.grid, "g");
	op.x = 1;
	op.y = 3;
	assert_int_equal(op_inverse(b, &op, &inv), 0);
	assert_int_equal(op_apply(b, &op, NULL), RESULT_OK);
	assert_int_equal(op_apply(b, &inv, NULL), RESULT_OK);
	assert_int_equal(c->place[0].x, 2);
	assert_int_equal(c->place[0].y, 2);
	op_release(&op);
	op_release(&inv);

	op_on(&op, OP_TEXT, c);
	op_set(&op.text, "changed");
	assert_int_equal(op_inverse(b, &op, &inv), 0);
	op_apply(b, &op, NULL);
	op_apply(b, &inv, NULL);
	assert_string_equal(c->text, "second");
	op_release(&op);
	op_release(&inv);

	/* Delete then undo: same card, same place in the board, same cell. */
	op_on(&op, OP_DELETE, c);
	assert_int_equal(op_inverse(b, &op, &inv), 0);
	assert_int_equal(inv.kind, OP_ADD);
	op_apply(b, &op, NULL);
	assert_null(board_find_card(b, id));
	assert_int_equal(op_apply(b, &inv, NULL), RESULT_OK);
	c = board_find_card(b, id);
	assert_non_null(c);
	assert_ptr_equal(b->cards[1], c);
	assert_int_equal(c->place[0].x, 2);
	assert_string_equal(c->text, "second");
	/* ... and the inverse of that add deletes it again. */
	op_release(&op);
	assert_int_equal(op_inverse(b, &inv, &op), 0);
	assert_int_equal(op.kind, OP_DELETE);
	op_release(&op);
	op_release(&inv);

	op_on(&op, OP_ZONE_CELL, NULL);
	op_set(&op.grid, "g");
	op.x = op.y = 1;
	assert_int_equal(op_inverse(b, &op, &inv), 0);
	assert_null(inv.name);
	op_release(&op);
	op_release(&inv);

	op_on(&op, OP_TITLE, NULL);
	assert_int_equal(op_inverse(b, &op, &inv), -1);
	op_release(&op);
	op_release(&inv);
	board_free(b);
}

/* Two boards fed the same ops in the same order end the same. */
static void test_same_order_same_board(void **state)
{
	struct board *a = fixture(), *b = fixture();
	struct op ops[40];
	size_t i, k;
	unsigned seed = 7;

	(void)state;
	for (i = 0; i < 40; i++) {
		seed = seed * 1103515245 + 12345;
		op_on(&ops[i], (seed >> 8) % 3 ? OP_MOVE : OP_TEXT, a->cards[(seed >> 4) % 3]);
		op_set(&ops[i].by, (seed >> 12) % 2 ? "A" : "B");
		ops[i].at = (time_t)i;
		op_set(&ops[i].grid, "g");
		ops[i].x = (int)((seed >> 16) % 4);
		ops[i].y = ops[i].x ? (int)((seed >> 20) % 3) + 1 : 0;
		op_set(&ops[i].text, (seed >> 24) % 2 ? "x" : "y");
	}
	for (i = 0; i < 40; i++) {
		op_apply(a, &ops[i], NULL);
		op_apply(b, &ops[i], NULL);
		/* Texts and placements changed by ops: the sieve follows them. */
		assert_sieve_right(a);
	}
	for (k = 0; k < 3; k++) {
		assert_string_equal(a->cards[k]->text, b->cards[k]->text);
		assert_memory_equal(a->cards[k]->place, b->cards[k]->place, sizeof(struct cell));
		assert_int_equal(a->cards[k]->nhistory, b->cards[k]->nhistory);
		assert_int_equal(card_is_debated(a, a->cards[k]), card_is_debated(b, b->cards[k]));
	}
	for (i = 0; i < 40; i++)
		op_release(&ops[i]);
	board_free(a);
	board_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_card_ops),
		cmocka_unit_test(test_facilitator_rights),
		cmocka_unit_test(test_zone_and_frame_ops),
		cmocka_unit_test(test_inverses),
		cmocka_unit_test(test_same_order_same_board),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests_name("op", tests, NULL, NULL);
}
