/*
 * test_undo.c - undo/redo of board changes as operations with inverses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "board.h"
#include "undo.h"

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

static struct card *add(struct board *b, unsigned char tag, const char *text)
{
	uuid_t id;

	memset(id, 0, sizeof(id));
	id[0] = tag;
	id[6] = 0x40;
	id[8] = 0x80;
	return board_add_card(b, id, text, 0);
}

static void test_move_undo_redo(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;
	uuid_t id;
	size_t g;

	(void)state;
	assert_false(undo_can_undo(&u));
	assert_int_equal(undo_move(&u, b, c, 1, 2, 3), 0);
	assert_int_equal(c->place[1].x, 2);
	assert_int_equal(c->place[1].y, 3);
	assert_int_equal(undo_move(&u, b, c, 1, 1, 1), 0);
	assert_int_equal(undo_move(&u, b, c, 1, 4, 1), -1); /* out of range */
	assert_int_equal(u.n, 2);
	assert_int_equal(undo_move(&u, b, c, 1, 1, 1), 0); /* no change: no op */
	assert_int_equal(u.n, 2);

	assert_true(undo_can_undo(&u));
	assert_int_equal(undo_next_undo_kind(&u), UNDO_MOVE);
	assert_int_equal(undo_undo(&u, b, id, &g), 0);
	assert_memory_equal(id, c->id, sizeof(uuid_t));
	assert_int_equal(g, 1);
	assert_int_equal(c->place[1].x, 2);
	assert_int_equal(c->place[1].y, 3);
	assert_int_equal(undo_undo(&u, b, NULL, NULL), 0);
	assert_int_equal(c->place[1].x, 0);
	assert_int_equal(c->place[1].y, 0);
	assert_int_equal(undo_undo(&u, b, NULL, NULL), -1);

	assert_true(undo_can_redo(&u));
	assert_int_equal(undo_redo(&u, b, NULL, NULL), 0);
	assert_int_equal(c->place[1].x, 2);
	assert_int_equal(undo_redo(&u, b, NULL, NULL), 0);
	assert_int_equal(c->place[1].x, 1);
	assert_int_equal(undo_redo(&u, b, NULL, NULL), -1);
	/* The other grid was never touched. */
	assert_int_equal(c->place[0].x, 0);
	undo_release(&u);
	board_free(b);
}

static void test_record_move(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;
	struct cell from = c->place[0];

	(void)state;
	/* Carried around by hand, then recorded once. */
	board_place_card(b, c, 0, 1, 1);
	board_place_card(b, c, 0, 2, 1);
	board_place_card(b, c, 0, 2, 2);
	undo_record_move(&u, c, 0, from);
	assert_int_equal(u.n, 1);
	assert_int_equal(undo_undo(&u, b, NULL, NULL), 0);
	assert_int_equal(c->place[0].x, 0);
	assert_int_equal(undo_redo(&u, b, NULL, NULL), 0);
	assert_int_equal(c->place[0].x, 2);
	assert_int_equal(c->place[0].y, 2);
	undo_release(&u);
	board_free(b);
}

static void test_text_theme(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "Café ☕");
	struct undo u = UNDO_INIT;

	(void)state;
	undo_set_text(&u, c, "Café ☕ 東京");
	undo_set_text(&u, c, "Café ☕ 東京"); /* same: nothing */
	assert_int_equal(u.n, 1);
	assert_int_equal(undo_set_theme(&u, b, c, 1), 0);
	assert_int_equal(undo_set_theme(&u, b, c, 7), -1);
	assert_int_equal(c->theme, 1);
	assert_int_equal(undo_next_undo_kind(&u), UNDO_THEME);
	assert_int_equal(undo_undo(&u, b, NULL, NULL), 0);
	assert_int_equal(c->theme, 0);
	assert_int_equal(undo_next_undo_kind(&u), UNDO_TEXT);
	assert_int_equal(undo_undo(&u, b, NULL, NULL), 0);
	assert_string_equal(c->text, "Café ☕");
	assert_int_equal(undo_redo(&u, b, NULL, NULL), 0);
	assert_string_equal(c->text, "Café ☕ 東京");
	undo_release(&u);
	board_free(b);
}

static void test_delete_restores_everything(void **state)
{
	struct board *b = make_board();
	struct card *c1 = add(b, 1, "one"), *c2 = add(b, 2, "two"), *c3 = add(b, 3, "three");
	struct undo u = UNDO_INIT;
	uuid_t id, want;

	(void)state;
	(void)c1;
	(void)c3;
	card_set_by(c2, "Binôme 3");
	card_set_note(c2, "a note");
	c2->created = 1561716720;
	c2->decision = DECISION_V2;
	c2->locked = true;
	c2->theme = 1;
	board_place_card(b, c2, 0, 2, 1);
	board_place_card(b, c2, 1, 3, 2);
	memcpy(want, c2->id, sizeof(want));

	undo_delete(&u, b, c2);
	assert_int_equal(b->ncards, 2);
	assert_null(board_find_card(b, want));
	assert_int_equal(undo_next_undo_kind(&u), UNDO_DELETE);
	assert_int_equal(undo_undo(&u, b, id, NULL), 0);
	assert_memory_equal(id, want, sizeof(uuid_t));
	assert_int_equal(b->ncards, 3);
	c2 = board_find_card(b, want);
	assert_non_null(c2);
	assert_ptr_equal(b->cards[1], c2); /* back at its place */
	assert_string_equal(b->cards[0]->text, "one");
	assert_string_equal(b->cards[2]->text, "three");
	assert_string_equal(c2->text, "two");
	assert_string_equal(c2->by, "Binôme 3");
	assert_string_equal(c2->note, "a note");
	assert_int_equal(c2->created, 1561716720);
	assert_int_equal(c2->decision, DECISION_V2);
	assert_true(c2->locked);
	assert_int_equal(c2->theme, 1);
	assert_int_equal(c2->place[0].x, 2);
	assert_int_equal(c2->place[0].y, 1);
	assert_int_equal(c2->place[1].x, 3);
	assert_int_equal(c2->place[1].y, 2);

	assert_int_equal(undo_redo(&u, b, NULL, NULL), 0);
	assert_int_equal(b->ncards, 2);
	assert_null(board_find_card(b, want));
	undo_release(&u);
	board_free(b);
}

static void test_add_undo_redo(void **state)
{
	struct board *b = make_board();
	struct card *c;
	struct undo u = UNDO_INIT;
	uuid_t want;

	(void)state;
	add(b, 1, "one");
	c = add(b, 2, "new");
	card_set_by(c, "me");
	memcpy(want, c->id, sizeof(want));
	undo_record_add(&u, b, c);
	assert_int_equal(undo_undo(&u, b, NULL, NULL), 0);
	assert_int_equal(b->ncards, 1);
	assert_null(board_find_card(b, want));
	assert_int_equal(undo_redo(&u, b, NULL, NULL), 0);
	c = board_find_card(b, want);
	assert_non_null(c);
	assert_string_equal(c->text, "new");
	assert_string_equal(c->by, "me");
	assert_ptr_equal(b->cards[1], c);
	undo_release(&u);
	board_free(b);
}

static void test_new_change_drops_redo(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;

	(void)state;
	undo_move(&u, b, c, 0, 1, 1);
	undo_move(&u, b, c, 0, 2, 2);
	assert_int_equal(undo_undo(&u, b, NULL, NULL), 0);
	assert_true(undo_can_redo(&u));
	undo_set_text(&u, c, "changed");
	assert_false(undo_can_redo(&u));
	assert_int_equal(u.n, 2);
	assert_int_equal(undo_redo(&u, b, NULL, NULL), -1);
	assert_int_equal(undo_undo(&u, b, NULL, NULL), 0);
	assert_int_equal(undo_undo(&u, b, NULL, NULL), 0);
	assert_int_equal(c->place[0].x, 0);
	assert_string_equal(c->text, "one");
	undo_release(&u);
	board_free(b);
}

/* An operation whose card has gone is skipped; the history goes on. */
static void test_card_gone_is_skipped(void **state)
{
	struct board *b = make_board();
	struct card *c1 = add(b, 1, "one"), *c2 = add(b, 2, "two");
	struct undo u = UNDO_INIT;

	(void)state;
	undo_move(&u, b, c1, 0, 1, 1);
	undo_move(&u, b, c2, 0, 2, 2);
	board_remove_card(b, c2); /* behind the history's back */
	assert_int_equal(undo_undo(&u, b, NULL, NULL), -1);
	assert_int_equal(undo_undo(&u, b, NULL, NULL), 0);
	assert_int_equal(c1->place[0].x, 0);
	undo_release(&u);
	board_free(b);
}

/* Unlimited: a long history undoes back to the start. */
static void test_long_history(void **state)
{
	struct board *b = make_board();
	struct card *c = add(b, 1, "one");
	struct undo u = UNDO_INIT;
	int i;

	(void)state;
	for (i = 0; i < 5000; i++)
		undo_move(&u, b, c, 1, 1 + i % 3, 1 + (i / 3) % 3);
	while (undo_can_undo(&u))
		assert_int_equal(undo_undo(&u, b, NULL, NULL), 0);
	assert_int_equal(c->place[1].x, 0);
	assert_int_equal(c->place[1].y, 0);
	undo_release(&u);
	board_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move_undo_redo),
		cmocka_unit_test(test_record_move),
		cmocka_unit_test(test_text_theme),
		cmocka_unit_test(test_delete_restores_everything),
		cmocka_unit_test(test_add_undo_redo),
		cmocka_unit_test(test_new_change_drops_redo),
		cmocka_unit_test(test_card_gone_is_skipped),
		cmocka_unit_test(test_long_history),
	};

	return cmocka_run_group_tests_name("undo", tests, NULL, NULL);
}
