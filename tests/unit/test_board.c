/* Unit tests for the board model: placement, the easy zone, the sieve. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "board.h"
#include "sieve_ref.h"

/* A deterministic id: byte 0 = n, the rest zero. */
static void make_id(uuid_t id, unsigned n)
{
	memset(id, 0, sizeof(uuid_t));
	id[0] = (unsigned char)(n >> 8);
	id[1] = (unsigned char)n;
}

/* One criterion per axis with the given easy poles, one grid of n cells. */
static struct board *board_with_grid(int n, enum pole ex, enum pole ey)
{
	struct board *b = board_new("t");

	assert_int_equal(board_add_theme(b, "th", "Theme", HUE_GREEN), 0);
	assert_int_equal(board_add_criterion(b, "cx", "x low", "x high", ex), 0);
	assert_int_equal(board_add_criterion(b, "cy", "y low", "y high", ey), 1);
	assert_int_equal(board_add_grid(b, "g", 0, 1, n), 0);
	return b;
}

static struct card *add(struct board *b, unsigned n, const char *text)
{
	uuid_t id;
	struct card *c;

	make_id(id, n);
	c = board_add_card(b, id, text, 0);
	assert_non_null(c);
	return c;
}

/* Where a card is, in words: the pole each axis of a cell leans to. */
static void test_cell_pole(void **state)
{
	struct board *b = board_with_grid(3, POLE_LOW, POLE_HIGH);
	const struct cell corner = { 1, 3 }, mid = { 2, 1 }, tray = { 0, 0 }, out = { 4, 1 };

	(void)state;
	assert_string_equal(grid_cell_pole(b, 0, corner, AXIS_X), "x low");
	assert_string_equal(grid_cell_pole(b, 0, corner, AXIS_Y), "y high");
	/* The middle cell of an odd axis leans to neither pole. */
	assert_null(grid_cell_pole(b, 0, mid, AXIS_X));
	assert_string_equal(grid_cell_pole(b, 0, mid, AXIS_Y), "y low");
	/* The tray, a cell off the grid, a grid that is not there: nowhere. */
	assert_null(grid_cell_pole(b, 0, tray, AXIS_X));
	assert_null(grid_cell_pole(b, 0, out, AXIS_Y));
	assert_null(grid_cell_pole(b, 1, corner, AXIS_X));
	/* Four cells: two per half, whichever pole is the easy one. */
	assert_int_equal(board_resize_grid(b, 0, 4), 0);
	assert_string_equal(grid_cell_pole(b, 0, (struct cell){ 3, 2 }, AXIS_X), "x high");
	assert_string_equal(grid_cell_pole(b, 0, (struct cell){ 3, 2 }, AXIS_Y), "y low");
	board_free(b);
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(hue_parse("green"), HUE_GREEN);
	assert_int_equal(hue_parse("Green"), -1);
	assert_string_equal(hue_name(HUE_MAGENTA), "magenta");
	assert_int_equal(decision_parse("elsewhere"), DECISION_ELSEWHERE);
	assert_int_equal(decision_parse("V1"), -1);
	assert_string_equal(decision_name(DECISION_V2), "v2");
	assert_int_equal(pole_parse("high"), POLE_HIGH);
	assert_int_equal(pole_parse("middle"), -1);
}

static void test_id_valid(void **state)
{
	char longid[BOARD_ID_MAX + 2];

	(void)state;
	assert_true(board_id_valid("autonomie-frequence"));
	assert_true(board_id_valid("a_b.c9"));
	assert_false(board_id_valid(""));
	assert_false(board_id_valid("-x"));
	assert_false(board_id_valid("a b"));
	assert_false(board_id_valid("mobilité"));
	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	assert_false(board_id_valid(longid));
	longid[BOARD_ID_MAX] = '\0';
	assert_true(board_id_valid(longid));
}

static void test_duplicates_refused(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	uuid_t id;

	(void)state;
	assert_int_equal(board_add_theme(b, "th", "Again", HUE_RED), -1);
	assert_int_equal(board_add_criterion(b, "cx", "a", "b", POLE_LOW), -1);
	assert_int_equal(board_add_grid(b, "g", 0, 1, 2), -1);
	assert_int_equal(board_add_grid(b, "h", 0, 5, 2), -1);
	assert_int_equal(board_add_grid(b, "h", 0, 1, 1), -1);
	assert_int_equal(board_add_grid(b, "h", 0, 1, 10), -1);
	add(b, 1, "one");
	make_id(id, 1);
	assert_null(board_add_card(b, id, "dup", 0));
	make_id(id, 2);
	assert_null(board_add_card(b, id, "bad theme", 3));
	assert_int_equal(b->ncards, 1);
	board_free(b);
}

static void test_place_and_tray(void **state)
{
	struct board *b = board_with_grid(3, POLE_LOW, POLE_HIGH);
	struct card *c = add(b, 1, "card");

	(void)state;
	assert_false(card_is_placed(c, 0));
	assert_int_equal(board_place_card(b, c, 0, 3, 1), 0);
	assert_true(card_is_placed(c, 0));
	assert_int_equal(c->place[0].x, 3);
	assert_int_equal(c->place[0].y, 1);
	/* Out of range changes nothing. */
	assert_int_equal(board_place_card(b, c, 0, 4, 1), -1);
	assert_int_equal(board_place_card(b, c, 0, 1, 0), -1);
	assert_int_equal(board_place_card(b, c, 1, 1, 1), -1);
	assert_int_equal(c->place[0].x, 3);
	assert_int_equal(board_place_card(b, c, 0, 0, 0), 0);
	assert_false(card_is_placed(c, 0));
	board_free(b);
}

static void test_new_grid_puts_cards_in_tray(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	struct card *c = add(b, 1, "card");

	(void)state;
	board_place_card(b, c, 0, 2, 2);
	assert_int_equal(board_add_grid(b, "g2", 1, 0, 4), 1);
	assert_false(card_is_placed(c, 1));
	assert_int_equal(c->place[0].x, 2);
	assert_int_equal(board_place_card(b, c, 1, 4, 4), 0);
	board_free(b);
}

/* The easy zone for every n and every pair of easy poles, against the rule. */
static void test_easy_zone_all_sizes(void **state)
{
	int n, ex, ey, x, y;

	(void)state;
	for (n = BOARD_MIN_CELLS; n <= BOARD_MAX_CELLS; n++)
		for (ex = 0; ex < 2; ex++)
			for (ey = 0; ey < 2; ey++) {
				struct board *b = board_with_grid(n, ex, ey);
				const struct grid *g = &b->grids[0];
				int count = 0;

				for (x = 1; x <= n; x++)
					for (y = 1; y <= n; y++) {
						/* Easy half: strictly below / above the middle. */
						bool xin = ex == POLE_LOW ? 2 * x <= n : 2 * x > n + 1;
						bool yin = ey == POLE_LOW ? 2 * y <= n : 2 * y > n + 1;

						assert_int_equal(grid_cell_is_easy(b, g, x, y), xin && yin);
						count += xin && yin;
					}
				assert_int_equal(count, (n / 2) * (n / 2));
				board_free(b);
			}
}

static void test_easy_zone_quadrant_and_odd_middle(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_HIGH);
	int lo, hi;

	(void)state;
	/* N = 2: exactly the easy quadrant, here x low and y high. */
	assert_true(grid_cell_is_easy(b, &b->grids[0], 1, 2));
	assert_false(grid_cell_is_easy(b, &b->grids[0], 1, 1));
	assert_false(grid_cell_is_easy(b, &b->grids[0], 2, 2));
	board_free(b);

	/* N = 5: the middle row and column are in neither half. */
	b = board_with_grid(5, POLE_HIGH, POLE_LOW);
	grid_easy_range(b, &b->grids[0], AXIS_X, &lo, &hi);
	assert_int_equal(lo, 4);
	assert_int_equal(hi, 5);
	grid_easy_range(b, &b->grids[0], AXIS_Y, &lo, &hi);
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 2);
	assert_false(grid_cell_is_easy(b, &b->grids[0], 3, 1));
	assert_false(grid_cell_is_easy(b, &b->grids[0], 4, 3));
	assert_true(grid_cell_is_easy(b, &b->grids[0], 4, 2));
	assert_int_equal(grid_easy_corner(b, &b->grids[0]).x, 5);
	assert_int_equal(grid_easy_corner(b, &b->grids[0]).y, 1);
	board_free(b);
}

static void test_counts(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	size_t placed, unplaced, easy;

	(void)state;
	board_place_card(b, add(b, 1, "a"), 0, 1, 1);
	board_place_card(b, add(b, 2, "b"), 0, 2, 1);
	add(b, 3, "c");
	board_grid_counts(b, 0, &placed, &unplaced, &easy);
	assert_int_equal(placed, 2);
	assert_int_equal(unplaced, 1);
	assert_int_equal(easy, 1);
	board_free(b);
}

static void test_find_card_and_prefix(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	struct card *found = NULL, *c1, *c2;
	char full[CARD_UUID_LEN + 1], shortid[CARD_SHORT_ID_LEN + 1];
	uuid_t id;
	unsigned i;

	(void)state;
	c1 = add(b, 0x1234, "a");
	c2 = add(b, 0x1235, "b");
	card_uuid(c1, full);
	assert_string_equal(full, "12340000-0000-0000-0000-000000000000");
	card_short_id(c2, shortid);
	assert_string_equal(shortid, "12350000");
	assert_int_equal(board_find_card_prefix(b, "1234", &found), 0);
	assert_ptr_equal(found, c1);
	assert_int_equal(board_find_card_prefix(b, "1235-0000", &found), 0);
	assert_ptr_equal(found, c2);
	assert_int_equal(board_find_card_prefix(b, "123", &found), -1);
	assert_int_equal(board_find_card_prefix(b, "12zz", &found), -1);
	assert_int_equal(board_find_card_prefix(b, "9999", &found), -2);
	assert_int_equal(board_find_card_prefix(b, "12-3", &found), -1);
	add(b, 0x1230, "c");
	assert_int_equal(board_find_card_prefix(b, "123", &found), -1);
	assert_int_equal(board_find_card_prefix(b, "1230", &found), 0);
	/* Many cards: the index keeps finding them, across removals. */
	for (i = 1; i < 2000; i++)
		add(b, 0x2000 + i, "x");
	for (i = 1; i < 2000; i += 2) {
		make_id(id, 0x2000 + i);
		board_remove_card(b, board_find_card(b, id));
	}
	for (i = 1; i < 2000; i++) {
		make_id(id, 0x2000 + i);
		if (i % 2)
			assert_null(board_find_card(b, id));
		else
			assert_non_null(board_find_card(b, id));
	}
	make_id(id, 0x1234);
	assert_ptr_equal(board_find_card(b, id), c1);
	board_free(b);
}

static void test_remove_keeps_order(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	struct card *a = add(b, 1, "a"), *c = add(b, 3, "c");
	struct card *m = add(b, 2, "m");

	(void)state;
	(void)m;
	board_remove_card(b, c);
	assert_int_equal(b->ncards, 2);
	assert_ptr_equal(b->cards[0], a);
	assert_string_equal(b->cards[1]->text, "m");
	assert_int_equal(board_card_pos(b, a), 0);
	board_free(b);
}

static void test_sieve_ranking(void **state)
{
	struct board *b = board_new("sieve");
	struct sieve_entry *r;
	struct card *both, *one_corner, *one_far, *none_near, *tray;

	(void)state;
	board_add_theme(b, "t", "T", HUE_RED);
	board_add_criterion(b, "a", "a-", "a+", POLE_LOW);
	board_add_criterion(b, "b", "b-", "b+", POLE_HIGH);
	board_add_grid(b, "g1", 0, 1, 2);  /* easy cell (1,2) */
	board_add_grid(b, "g2", 1, 0, 4);  /* x = b (easy high), y = a (easy low) */
	tray = add(b, 5, "aaa tray");
	none_near = add(b, 4, "none");
	one_far = add(b, 3, "one far");
	one_corner = add(b, 2, "one corner");
	both = add(b, 1, "both");
	board_place_card(b, both, 0, 1, 2);
	board_place_card(b, both, 1, 3, 2);
	board_place_card(b, one_corner, 0, 1, 2);
	board_place_card(b, one_corner, 1, 4, 4); /* not easy, 3 steps */
	board_place_card(b, one_far, 0, 1, 2);
	board_place_card(b, one_far, 1, 1, 4);    /* not easy, 6 steps */
	board_place_card(b, none_near, 0, 2, 1);  /* 2 steps on g1 */
	r = board_sieve(b);
	assert_ptr_equal(r[0].card, both);
	assert_int_equal(r[0].hits, 2);
	assert_int_equal(r[0].placed, 2);
	/* (3,2) is 1+1 steps from the corner (4,1) of a 4-cell grid: 2/6. */
	assert_int_equal(r[0].distance, 2 * SIEVE_DISTANCE_UNIT / 6);
	assert_ptr_equal(r[1].card, one_corner);
	assert_ptr_equal(r[2].card, one_far);
	assert_int_equal(r[2].distance, 6 * SIEVE_DISTANCE_UNIT / 6);
	assert_ptr_equal(r[3].card, none_near);
	assert_int_equal(r[3].hits, 0);
	/* Unplaced on g2: a full unit, plus 2/2 of g1. */
	assert_int_equal(r[3].distance, 2 * SIEVE_DISTANCE_UNIT);
	assert_ptr_equal(r[4].card, tray);
	assert_int_equal(r[4].placed, 0);
	free(r);
	board_free(b);
}

static void test_sieve_ties(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	struct sieve_entry *r;
	struct card *z, *a2, *a1, *t2, *t1;

	(void)state;
	z = add(b, 9, "zebra");
	a2 = add(b, 8, "alpha");
	a1 = add(b, 7, "alpha");
	t2 = add(b, 6, "beta");
	t1 = add(b, 5, "alpha");
	board_place_card(b, z, 0, 1, 1);
	board_place_card(b, a2, 0, 1, 1);
	board_place_card(b, a1, 0, 1, 1);
	/* Unplaced cards rank last whatever their text. */
	(void)t2;
	(void)t1;
	r = board_sieve(b);
	assert_ptr_equal(r[0].card, a1); /* same text: lower id first */
	assert_ptr_equal(r[1].card, a2);
	assert_ptr_equal(r[2].card, z);
	assert_ptr_equal(r[3].card, t1);
	assert_ptr_equal(r[4].card, t2);
	assert_true(sieve_entry_cmp(&r[0], &r[1]) < 0);
	assert_true(sieve_entry_cmp(&r[1], &r[0]) > 0);
	assert_int_equal(sieve_entry_cmp(&r[2], &r[2]), 0);
	free(r);
	board_free(b);
}

/*
 * Many cards, few ranks, texts sharing long prefixes (some equal, some
 * shorter than 8 bytes): the order is sieve_entry_cmp()'s, and each entry's
 * figures are the card's.
 */
static void test_sieve_many_ties(void **state)
{
	static const char *const heads[] = { "", "a", "Atelier", "Atelier ", "Atelier de vélos",
					     "Atelier de cybersécurité", "Atelier de vélos!" };
	static const char *const tails[] = { "", " nord", " sud", " — à tester", " nord" };
	struct board *b = board_new("ties");
	struct sieve_entry *r;
	char text[128];
	unsigned seed = 7, i;
	size_t g;

	(void)state;
	board_add_theme(b, "t", "T", HUE_RED);
	board_add_criterion(b, "a", "a-", "a+", POLE_LOW);
	board_add_criterion(b, "b", "b-", "b+", POLE_HIGH);
	board_add_grid(b, "g2", 0, 1, 2);
	board_add_grid(b, "g3", 1, 0, 3);
	board_add_grid(b, "g4", 0, 1, 4);
	for (i = 0; i < 3000; i++) {
		struct card *c;

		seed = seed * 1103515245u + 12345u;
		snprintf(text, sizeof(text), "%s%s", heads[(seed >> 8) % 7], tails[(seed >> 16) % 5]);
		c = add(b, 3000 - i, text);
		for (g = 0; g < 3; g++) {
			int cells = b->grids[g].cells;

			seed = seed * 1103515245u + 12345u;
			if ((seed >> 12) % 5)
				board_place_card(b, c, g, 1 + (int)((seed >> 16) % (unsigned)cells),
						 1 + (int)((seed >> 20) % (unsigned)cells));
		}
	}
	r = board_sieve(b);
	for (i = 0; i < b->ncards; i++) {
		int hits = 0, placed = 0;

		for (g = 0; g < b->ngrids; g++) {
			placed += card_is_placed(r[i].card, g);
			hits += card_in_easy_zone(b, r[i].card, g);
		}
		assert_int_equal(r[i].hits, hits);
		assert_int_equal(r[i].placed, placed);
		if (i)
			assert_true(sieve_entry_cmp(&r[i - 1], &r[i]) < 0);
	}
	free(r);
	board_free(b);
}

static void test_sieve_empty_board(void **state)
{
	struct board *b = board_new("empty");
	struct sieve_entry *r = board_sieve(b);

	(void)state;
	assert_non_null(r);
	assert_int_equal(b->ncards, 0);
	free(r);
	board_free(b);
}

static void test_card_setters(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	struct card *c = add(b, 1, "old");

	(void)state;
	card_set_text(c, "Réception de colis « vite » 😀");
	assert_string_equal(c->text, "Réception de colis « vite » 😀");
	card_set_by(c, "Binôme 3");
	assert_string_equal(c->by, "Binôme 3");
	card_set_by(c, NULL);
	assert_null(c->by);
	card_set_note(c, "n");
	card_set_note(c, NULL);
	assert_null(c->note);
	board_set_description(b, "d");
	assert_string_equal(b->description, "d");
	board_set_title(b, "T2");
	assert_string_equal(b->title, "T2");
	board_free(b);
}

static void test_debate_two_people(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	struct card *c = add(b, 1, "debated");

	(void)state;
	/* Placing from the tray and moving within a quadrant do not count. */
	assert_int_equal(board_move_card(b, c, 0, 1, 1, 10, "A"), RESULT_OK);
	assert_false(card_is_debated(b, c));
	assert_int_equal(board_move_card(b, c, 0, 1, 1, 11, "B"), RESULT_UNCHANGED); /* no change */
	assert_int_equal(board_move_card(b, c, 0, 2, 1, 12, "A"), RESULT_OK);
	assert_false(card_is_debated(b, c));
	assert_int_equal(board_move_card(b, c, 0, 2, 2, 13, "B"), RESULT_OK);
	assert_true(card_is_debated(b, c));
	assert_int_equal(c->nhistory, 3);
	assert_int_equal(c->history[2].kind, EVENT_MOVED);
	assert_string_equal(c->history[2].by, "B");
	assert_int_equal(c->history[2].from.x, 2);
	assert_int_equal(c->history[2].to.y, 2);
	board_free(b);
}

static void test_debate_back_and_forth(void **state)
{
	struct board *b = board_with_grid(3, POLE_LOW, POLE_LOW);
	struct card *c = add(b, 1, "hesitant");

	(void)state;
	board_move_card(b, c, 0, 1, 1, 1, "A");
	board_move_card(b, c, 0, 3, 1, 2, "A");
	board_move_card(b, c, 0, 1, 1, 3, "A");
	assert_false(card_is_debated(b, c)); /* twice, one person */
	/* Into the middle column of an odd grid crosses too. */
	board_move_card(b, c, 0, 2, 1, 4, "A");
	assert_true(card_is_debated(b, c));
	/* Going to the tray and back is not a crossing. */
	c = add(b, 2, "tray");
	board_move_card(b, c, 0, 1, 1, 1, "A");
	board_move_card(b, c, 0, 0, 0, 2, "B");
	board_move_card(b, c, 0, 3, 3, 3, "C");
	board_move_card(b, c, 0, 0, 0, 4, "D");
	assert_false(card_is_debated(b, c));
	c->debated_mark = true;
	assert_true(card_is_debated(b, c));
	board_free(b);
}

static void test_history_is_bounded(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	struct card *c = add(b, 1, "busy");
	int i;

	(void)state;
	for (i = 0; i < CARD_HISTORY_MAX + 10; i++)
		card_record(c, EVENT_EDITED, i, "X");
	assert_int_equal(c->nhistory, CARD_HISTORY_MAX);
	assert_int_equal(c->history[0].at, 10);
	assert_int_equal(c->history[CARD_HISTORY_MAX - 1].at, CARD_HISTORY_MAX + 9);
	board_free(b);
}

static void test_decide_logs(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	struct card *c = add(b, 1, "Colis");

	(void)state;
	assert_int_equal(board_decide(b, c, DECISION_V1, 100, "Joana", "rapide"), RESULT_OK);
	assert_int_equal(board_decide(b, c, DECISION_V1, 101, "Joana", NULL), RESULT_UNCHANGED);
	assert_int_equal(board_decide(b, c, DECISION_V2, 102, "Joana", ""), RESULT_OK);
	assert_int_equal(c->decision, DECISION_V2);
	assert_int_equal(b->ndecisions, 2);
	assert_int_equal(b->decisions[0].from, DECISION_UNDECIDED);
	assert_int_equal(b->decisions[0].to, DECISION_V1);
	assert_string_equal(b->decisions[0].rationale, "rapide");
	assert_string_equal(b->decisions[0].text, "Colis");
	assert_memory_equal(b->decisions[0].card, c->id, sizeof(uuid_t));
	assert_null(b->decisions[1].rationale);
	assert_int_equal(c->nhistory, 2);
	assert_int_equal(c->history[1].dfrom, DECISION_V1);
	assert_int_equal(c->history[1].dto, DECISION_V2);
	assert_int_equal(board_lock_card(b, c, true, 103, "Joana"), RESULT_OK);
	assert_int_equal(board_lock_card(b, c, true, 104, "Joana"), RESULT_UNCHANGED);
	assert_true(c->locked);
	assert_int_equal(c->history[2].kind, EVENT_LOCKED);
	board_free(b);
}

static void test_zones(void **state)
{
	struct board *b = board_with_grid(3, POLE_LOW, POLE_LOW);
	struct grid *g = &b->grids[0];
	int v1, v2;

	(void)state;
	v1 = grid_add_zone(b, 0, "V1 — quick wins", HUE_GREEN, false);
	v2 = grid_add_zone(b, 0, "V2 — later", HUE_YELLOW, false);
	assert_int_equal(v1, 0);
	assert_int_equal(v2, 1);
	assert_int_equal(grid_add_zone(b, 0, "V2 — later", HUE_RED, false), -1);
	assert_int_equal(grid_assign_cell(b, 0, v1, 2, 3), 0);
	assert_int_equal(grid_zone_at(g, 2, 3), v1);
	/* A cell belongs to one zone at most. */
	assert_int_equal(grid_assign_cell(b, 0, v2, 2, 3), 0);
	assert_int_equal(grid_zone_at(g, 2, 3), v2);
	assert_false(zone_has_cell(&g->zones[v1], 2, 3));
	assert_int_equal(grid_assign_cell(b, 0, -1, 2, 3), 0);
	assert_int_equal(grid_zone_at(g, 2, 3), -1);
	assert_int_equal(grid_assign_cell(b, 0, v1, 4, 1), -1);
	/* The computed easy zone holds until a zone is marked easy. */
	assert_true(grid_cell_is_easy(b, g, 1, 1));
	assert_false(grid_has_easy_zone(g));
	g->zones[v1].easy = true;
	grid_assign_cell(b, 0, v1, 3, 3);
	assert_true(grid_has_easy_zone(g));
	assert_false(grid_cell_is_easy(b, g, 1, 1));
	assert_true(grid_cell_is_easy(b, g, 3, 3));
	assert_int_equal(grid_zone_index(g, "V2 — later"), v2);
	grid_remove_zone(b, 0, (size_t)v1);
	assert_int_equal(g->nzones, 1);
	assert_int_equal(grid_zone_index(g, "V2 — later"), 0);
	assert_true(grid_cell_is_easy(b, g, 1, 1));
	board_free(b);
}

static void test_resize_keeps_relative_position(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	struct card *lo = add(b, 1, "lo"), *hi = add(b, 2, "hi"), *tray = add(b, 3, "t");
	int z;

	(void)state;
	board_place_card(b, lo, 0, 1, 1);
	board_place_card(b, hi, 0, 2, 1);
	z = grid_add_zone(b, 0, "V1", HUE_GREEN, true);
	grid_assign_cell(b, 0, z, 2, 2);
	/* A cell maps to the new cell holding its centre: 2 -> 4 cells. */
	assert_int_equal(board_resize_grid(b, 0, 4), 0);
	assert_int_equal(lo->place[0].x, 2);
	assert_int_equal(lo->place[0].y, 2);
	assert_int_equal(hi->place[0].x, 4);
	assert_int_equal(hi->place[0].y, 2);
	assert_false(card_is_placed(tray, 0));
	/* Each half stays a half: both cards keep their quadrant. */
	assert_int_equal(grid_half(4, lo->place[0].x), -1);
	assert_int_equal(grid_half(4, hi->place[0].x), 1);
	/* The zone's quadrant becomes the matching 2x2 block. */
	assert_true(zone_has_cell(&b->grids[0].zones[z], 3, 3));
	assert_true(zone_has_cell(&b->grids[0].zones[z], 4, 4));
	assert_false(zone_has_cell(&b->grids[0].zones[z], 2, 2));
	assert_false(zone_has_cell(&b->grids[0].zones[z], 2, 4));
	/* 4 -> 3: column 2 (centre 3/8) is column 2 of 3, column 4 is 3. */
	assert_int_equal(board_resize_grid(b, 0, 3), 0);
	assert_int_equal(lo->place[0].x, 2);
	assert_int_equal(hi->place[0].x, 3);
	assert_int_equal(board_resize_grid(b, 0, 10), -1);
	assert_int_equal(b->grids[0].cells, 3);
	board_set_criterion(b, 0, "bas", NULL, POLE_HIGH);
	assert_string_equal(b->criteria[0].low, "bas");
	assert_string_equal(b->criteria[0].high, "x high");
	assert_int_equal(b->criteria[0].easy, POLE_HIGH);
	board_free(b);
}

static void test_resize_rescales_history(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	struct card *c = add(b, 1, "moved");

	(void)state;
	board_move_card(b, c, 0, 2, 2, 1, "A");
	board_move_card(b, c, 0, 1, 2, 2, "B");
	assert_int_equal(board_resize_grid(b, 0, 4), 0);
	/* The recorded moves keep naming the same places, and stay on the grid. */
	assert_int_equal(c->history[0].from.x, 0);
	assert_int_equal(c->history[0].to.x, 4);
	assert_int_equal(c->history[1].from.x, 4);
	assert_int_equal(c->history[1].to.x, 2);
	assert_int_equal(c->history[1].to.y, 4);
	board_free(b);
}

/* A copy made before a grid was added goes back in that grid's tray. */
static void test_insert_old_copy_after_grid_added(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	struct card *c = add(b, 1, "old"), *copy;

	(void)state;
	board_place_card(b, c, 0, 2, 1);
	copy = card_dup(b, c);
	board_remove_card(b, c);
	assert_int_equal(board_add_grid(b, "g2", 1, 0, 3), 1);
	assert_int_equal(copy->nplace, 1);
	assert_int_equal(board_insert_card(b, copy, 0), 0);
	assert_int_equal(copy->nplace, 2);
	assert_int_equal(copy->place[0].x, 2);
	assert_false(card_is_placed(copy, 1));
	c = card_dup(b, copy);
	assert_int_equal(c->nplace, 2);
	card_free(c);
	board_free(b);
}

static void test_facilitators(void **state)
{
	struct board *b = board_new("f");

	(void)state;
	assert_true(board_may_facilitate(b, "anyone"));
	board_add_facilitator(b, "joana");
	board_add_facilitator(b, "joana");
	assert_int_equal(b->nfacilitators, 1);
	assert_true(board_may_facilitate(b, "joana"));
	assert_false(board_may_facilitate(b, "binome3"));
	assert_false(board_may_facilitate(b, NULL));
	board_free(b);
}

static void test_dup_and_insert(void **state)
{
	struct board *b = board_with_grid(2, POLE_LOW, POLE_LOW);
	struct card *a = add(b, 1, "a"), *c = add(b, 2, "c"), *copy;

	(void)state;
	card_set_note(c, "note");
	card_set_pair(c, "Binôme 1");
	board_move_card(b, c, 0, 2, 2, 5, "A");
	copy = card_dup(b, c);
	board_remove_card(b, c);
	assert_int_equal(b->ncards, 1);
	assert_int_equal(board_insert_card(b, copy, 0), 0);
	assert_ptr_equal(b->cards[0], copy);
	assert_ptr_equal(b->cards[1], a);
	assert_ptr_equal(board_find_card(b, copy->id), copy);
	assert_string_equal(copy->note, "note");
	assert_string_equal(copy->pair, "Binôme 1");
	assert_int_equal(copy->place[0].x, 2);
	assert_int_equal(copy->nhistory, 1);
	assert_string_equal(copy->history[0].by, "A");
	/* The same id cannot go in twice. */
	c = card_dup(b, copy);
	assert_int_equal(board_insert_card(b, c, 5), -1);
	card_free(c);
	board_free(b);
}

static void test_deal_plan(void **state)
{
	struct board *b = board_new("deal");
	long plan[7];
	uuid_t id;
	int i;

	(void)state;
	board_add_theme(b, "a", "A", HUE_RED);
	board_add_theme(b, "b", "B", HUE_BLUE);
	board_add_criterion(b, "x", "x-", "x+", POLE_LOW);
	board_add_grid(b, "g", 0, 0, 2);
	/* Themes interleaved in board order: a b a a b b a */
	for (i = 0; i < 7; i++) {
		memset(id, 0, sizeof(id));
		id[0] = (unsigned char)(i + 1);
		board_add_card(b, id, "c", (size_t)(i == 1 || i == 4 || i == 5));
	}
	board_place_card(b, b->cards[2], 0, 1, 1); /* placed: not dealt */
	card_set_pair(b->cards[6], "old");           /* already dealt */
	assert_int_equal(board_deal_plan(b, 2, plan), 5);
	/* Theme a: cards 0, 3 -> pairs 0, 1; theme b: 1, 4, 5 -> 0, 1, 0. */
	assert_int_equal(plan[0], 0);
	assert_int_equal(plan[3], 1);
	assert_int_equal(plan[1], 0);
	assert_int_equal(plan[4], 1);
	assert_int_equal(plan[5], 0);
	assert_int_equal(plan[2], -1);
	assert_int_equal(plan[6], -1);
	assert_true(card_is_unplaced(b, b->cards[0]));
	assert_false(card_is_unplaced(b, b->cards[2]));
	assert_int_equal(board_deal_plan(b, 0, plan), 0);
	board_free(b);
}

/* The generation moves with every change a view depends on; placements are logged. */
static void test_generation(void **state)
{
	struct board *b = board_with_grid(3, POLE_LOW, POLE_LOW), *o;
	struct card *c1, *c2;
	const struct board_move *m;
	unsigned long g0, g1, g2;
	int i;

	(void)state;
	c1 = add(b, 1, "one");
	c2 = add(b, 2, "two");
	g0 = b->generation;
	assert_int_equal(board_place_card(b, c1, 0, 2, 3), 0);
	g1 = b->generation;
	assert_true(g1 != g0);
	m = board_move_since(b, g0);
	assert_non_null(m);
	assert_ptr_equal(m->card, c1);
	assert_int_equal(m->grid, 0);
	assert_int_equal(m->from.x, 0);
	assert_int_equal(m->to.x, 2);
	assert_int_equal(m->to.y, 3);
	assert_int_equal(m->after, g1);
	/* No change, no new generation; a refused place neither. */
	assert_int_equal(board_place_card(b, c1, 0, 2, 3), 0);
	assert_int_equal(board_place_card(b, c1, 0, 4, 1), -1);
	assert_int_equal(b->generation, g1);
	assert_null(board_move_since(b, g1));
	/* A move through the history is a placement too. */
	assert_int_equal(board_move_card(b, c2, 0, 1, 1, 1000, "ann"), RESULT_OK);
	g2 = b->generation;
	m = board_move_since(b, g1);
	assert_non_null(m);
	assert_ptr_equal(m->card, c2);
	assert_int_equal(m->after, g2);
	/* Past the log's length, the oldest are forgotten. */
	for (i = 0; i < 20; i++)
		board_place_card(b, c1, 0, i % 2 ? 1 : 2, 1);
	assert_null(board_move_since(b, g0));
	/* Other changes start afresh. */
	g2 = b->generation;
	add(b, 3, "three");
	assert_true(b->generation != g2);
	assert_null(board_move_since(b, g2));
	g2 = b->generation;
	board_resize_grid(b, 0, 4);
	assert_true(b->generation != g2);
	g2 = b->generation;
	board_remove_card(b, c2);
	assert_true(b->generation != g2);
	g2 = b->generation;
	board_add_grid(b, "g2", 1, 0, 2);
	assert_true(b->generation != g2);
	/* No two boards share a generation. */
	o = board_with_grid(3, POLE_LOW, POLE_LOW);
	assert_true(o->generation != b->generation);
	board_free(o);
	board_free(b);
}

/* board_sieve() is right on b (sieve_ref.h). Frees b. */
static void assert_sieve_as_cmp(struct board *b)
{
	assert_sieve_right(b);
	board_free(b);
}

/*
 * Adds card number i (below 65,536) with text; its id starts with 'lead', so
 * that ids can be put in an order of their own, not the board's.
 */
static struct card *add_led(struct board *b, size_t i, unsigned char lead, const char *text)
{
	uuid_t id;
	struct card *c;

	memset(id, 0, sizeof(id));
	id[0] = lead;
	id[14] = (unsigned char)(i >> 8);
	id[15] = (unsigned char)i;
	c = board_add_card(b, id, text, 0);
	assert_non_null(c);
	return c;
}

/*
 * Many ties (few cells, texts sharing long prefixes, short, equal and
 * non-ASCII texts): the order is the one sorting by sieve_entry_cmp() gives,
 * whatever order the cards were added in.
 */
static void test_sieve_same_as_cmp(void **state)
{
	static const char *const texts[] = {
		"a", "ab", "abc", "abcdefgh", "abcdefghi", "abcdefgh!", "abcdefgg", "", "é", "éa",
		"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9z", "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9y", "zz",
		"Réception de colis", "Réception de colis", "Réception de coli",
	};
	struct board *b = board_with_grid(3, POLE_LOW, POLE_HIGH);
	unsigned seed = 99;
	size_t i, n = 600;

	(void)state;
	assert_int_equal(board_add_grid(b, "g2", 1, 0, 2), 1);
	for (i = 0; i < n; i++) {
		struct card *c;

		seed = seed * 1103515245u + 12345u;
		c = add_led(b, i, (unsigned char)(seed >> 16),
			    texts[(seed >> 8) % (sizeof(texts) / sizeof(texts[0]))]);
		if ((seed >> 20) % 4)
			board_place_card(b, c, 0, 1 + (int)((seed >> 4) % 3), 1 + (int)((seed >> 6) % 3));
		if ((seed >> 22) % 3)
			board_place_card(b, c, 1, 1 + (int)((seed >> 10) % 2), 1 + (int)((seed >> 12) % 2));
	}
	assert_sieve_as_cmp(b);
}

/*
 * The sort on a scale where its every path runs: 20,000 cards in few ranks;
 * texts sharing 100 bytes and more, or ending inside a word of 8 bytes, or
 * prefixes of one another, with bytes above 0x7F; hundreds of cards with the
 * same text and rank, told apart by id only (ids in no particular order).
 */
static void test_sieve_radix_same_as_cmp(void **state)
{
	static const char *const heads[] = {
		"", "Mise en place d’un guichet unique « France services » pour les démarches "
		    "administratives des agents du site, avec ",
		"Mise en place", "Mise en place d’un", "\xF0\x9F\x9A\xB2 vélo", "\x7F\xFF", "a",
	};
	static const char *const tails[] = { "", "x", "permanence", "permanence le mardi",
					     "permanence le mardi — à tester", "\xC3\xA9t\xC3\xA9",
					     "12345678", "1234567" };
	struct board *b = board_with_grid(2, POLE_LOW, POLE_HIGH);
	unsigned seed = 2026;
	size_t i, n = 20000;
	char text[256];

	(void)state;
	assert_int_equal(board_add_grid(b, "g3", 1, 0, 3), 1);
	for (i = 0; i < n; i++) {
		struct card *c;

		seed = seed * 1103515245u + 12345u;
		snprintf(text, sizeof(text), "%s%s%s", heads[(seed >> 4) % 7], tails[(seed >> 8) % 8],
			 (seed >> 12) % 4 ? "" : tails[(seed >> 14) % 8]);
		c = add_led(b, i, (unsigned char)(seed >> 24), text);
		if ((seed >> 17) % 3)
			board_place_card(b, c, 0, 1 + (int)((seed >> 19) % 2), 1 + (int)((seed >> 20) % 2));
		if ((seed >> 21) % 5 == 0)
			board_place_card(b, c, 1, 1 + (int)((seed >> 23) % 3), 1 + (int)((seed >> 25) % 3));
	}
	assert_sieve_as_cmp(b);
}

/*
 * Texts that are each a prefix of the next ("x", "xx", ... 3,000 bytes),
 * added shuffled, all of one rank: each split of the sort parts one card
 * from the rest, as deep as the texts are long.
 */
static void test_sieve_prefix_chain(void **state)
{
	struct board *b = board_with_grid(3, POLE_LOW, POLE_HIGH);
	size_t i, n = 3000;
	char *text = malloc(n + 1);
	unsigned seed = 11;
	size_t *order = malloc(n * sizeof(*order));

	(void)state;
	assert_non_null(text);
	assert_non_null(order);
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		size_t j, t;

		seed = seed * 1103515245u + 12345u;
		j = (seed >> 8) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < n; i++) {
		memset(text, 'x', order[i] + 1);
		text[order[i] + 1] = '\0';
		add_led(b, i, 0, text);
	}
	free(order);
	free(text);
	assert_sieve_as_cmp(b);
}

/*
 * Cards of one rank and one text, told apart by id only: 200 whose ids agree
 * on their first 8 bytes and part only in their last 2, and 200 whose ids
 * part on their first byte, added in an order that is not the ids'.
 */
static void test_sieve_equal_texts_by_id(void **state)
{
	struct board *b = board_with_grid(3, POLE_LOW, POLE_HIGH);
	unsigned seed = 7;
	size_t i, n = 400;

	(void)state;
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		/* i's low byte, not its order, decides the last bytes: shuffle them. */
		add_led(b, (i & 0xFF00) | ((i * 167) & 0xFF), i < n / 2 ? 0 : (unsigned char)(seed >> 16),
			"Réception de colis");
	}
	assert_sieve_as_cmp(b);
}

/*
 * Hundreds of distinct ranks (three 9x9 grids and a 7x7 one, each card on
 * some of them): the ranks' table grows many times, and every rank's
 * figures and cards come out as sorting by sieve_entry_cmp() gives.
 */
static void test_sieve_many_ranks(void **state)
{
	struct board *b = board_with_grid(9, POLE_LOW, POLE_HIGH);
	unsigned seed = 4242;
	size_t i, g, n = 6000, ranks = 1;
	struct sieve_entry *r;

	(void)state;
	assert_int_equal(board_add_grid(b, "g2", 1, 0, 9), 1);
	assert_int_equal(board_add_grid(b, "g3", 0, 1, 9), 2);
	assert_int_equal(board_add_grid(b, "g4", 1, 0, 7), 3);
	for (i = 0; i < n; i++) {
		struct card *c = add_led(b, i, (unsigned char)i, i % 3 ? "Même texte" : "Autre");

		for (g = 0; g < 4; g++) {
			int cells = g == 3 ? 7 : 9;

			seed = seed * 1103515245u + 12345u;
			if ((seed >> 28) % 4)
				board_place_card(b, c, g, 1 + (int)((seed >> 8) % (unsigned)cells),
						 1 + (int)((seed >> 16) % (unsigned)cells));
		}
	}
	r = board_sieve(b);
	for (i = 1; i < n; i++)
		if (r[i].hits != r[i - 1].hits || r[i].distance != r[i - 1].distance)
			ranks++;
	free(r);
	assert_true(ranks > 300);
	assert_sieve_as_cmp(b);
}

/*
 * 300 grids, more than a board file holds (a merge of merges may get there):
 * ranks too wide for the index's 8 bytes are sorted by comparison, and come
 * out the same.
 */
static void test_sieve_wide_ranks(void **state)
{
	struct board *b = board_with_grid(3, POLE_LOW, POLE_HIGH);
	unsigned seed = 77;
	size_t i, g, n = 60;
	char name[16];

	(void)state;
	for (g = 1; g < 300; g++) {
		snprintf(name, sizeof(name), "g%zu", g);
		assert_int_equal(board_add_grid(b, name, g % 2, 1 - g % 2, 2 + (int)(g % 8)), (int)g);
	}
	for (i = 0; i < n; i++) {
		struct card *c = add_led(b, i, (unsigned char)(i * 37), i % 4 ? "Même texte" : "Autre");

		for (g = 0; g < b->ngrids; g++) {
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 28) % 3)
				board_place_card(b, c, g, 1 + (int)((seed >> 8) % 2),
						 1 + (int)((seed >> 16) % 2));
		}
	}
	assert_sieve_as_cmp(b);
}

/*
 * A board not made by board_new() (zeroed, as the store's empty board for
 * op lines is) keeps no index: the sieve makes one for the call, and is
 * right, before and after changes.
 */
static void test_sieve_without_index(void **state)
{
	struct board *b = calloc(1, sizeof(*b));
	size_t i;

	(void)state;
	assert_non_null(b);
	assert_int_equal(board_add_theme(b, "th", "Theme", HUE_GREEN), 0);
	assert_int_equal(board_add_criterion(b, "cx", "x low", "x high", POLE_LOW), 0);
	assert_int_equal(board_add_criterion(b, "cy", "y low", "y high", POLE_HIGH), 1);
	assert_int_equal(board_add_grid(b, "g", 0, 1, 3), 0);
	for (i = 0; i < 100; i++)
		board_place_card(b, add_led(b, i, (unsigned char)(i * 7), i % 3 ? "b" : "a"), 0,
				 1 + (int)(i % 3), 1 + (int)(i / 3 % 3));
	assert_null(b->sieve);
	assert_sieve_right(b);
	board_set_card_text(b, b->cards[4], "c");
	board_remove_card(b, b->cards[5]);
	board_place_card(b, b->cards[6], 0, 0, 0);
	assert_sieve_right(b);
	assert_null(b->sieve);
	board_free(b);
}

/*
 * The sieve's index follows every change to the cards and the grids: cards
 * added (one at a time, and more at once than wait to be put in place one by
 * one), removed (some still waiting), placed and put back in the tray, their
 * texts changed; grids resized and added, poles flipped, easy zones drawn and
 * removed. Checked after some changes and not others, so that several wait
 * at a time: board_sieve() is what ranking from scratch gives.
 */
static void test_sieve_follows_changes(void **state)
{
	static const char *const texts[] = {
		"b", "a", "Réception", "Réception de colis « vite »", "", "zz", "a", "abcdefgh",
	};
	struct board *b = board_with_grid(3, POLE_LOW, POLE_HIGH);
	unsigned seed = 31337, next = 0;
	size_t step, k, checks = 0, most = 0;
	char name[32];

	(void)state;
	assert_int_equal(board_add_grid(b, "g2", 1, 0, 2), 1);
	for (step = 0; step < 3000; step++) {
		struct card *c;
		unsigned what;

		seed = seed * 1103515245u + 12345u;
		what = (seed >> 16) % 100;
		c = b->ncards ? b->cards[(seed >> 4) % b->ncards] : NULL;
		if (what < 30 || !c) {
			add_led(b, next++, (unsigned char)(seed >> 8), texts[(seed >> 20) % 8]);
		} else if (what < 45) {
			board_remove_card(b, c);
		} else if (what < 75) {
			size_t g = (seed >> 9) % b->ngrids;
			int cells = b->grids[g].cells, x = 0, y = 0;

			if ((seed >> 11) % 5) {
				x = 1 + (int)((seed >> 13) % (unsigned)cells);
				y = 1 + (int)((seed >> 17) % (unsigned)cells);
			}
			assert_int_equal(board_place_card(b, c, g, x, y), 0);
		} else if (what < 88) {
			board_set_card_text(b, c, texts[(seed >> 20) % 8]);
		} else if (what < 91) {
			assert_int_equal(board_resize_grid(b, 0, 2 + (int)((seed >> 9) % 8)), 0);
		} else if (what < 94) {
			board_set_criterion(b, (seed >> 9) % 2, NULL, NULL,
					    (seed >> 10) % 2 ? POLE_HIGH : POLE_LOW);
		} else if (what < 97) {
			int z;

			snprintf(name, sizeof(name), "z%zu", step);
			z = grid_add_zone(b, 1, name, HUE_RED, (seed >> 9) % 2);
			if (z >= 0)
				grid_assign_cell(b, 1, z, 1 + (int)((seed >> 11) % 2),
						 1 + (int)((seed >> 12) % 2));
			else
				grid_remove_zone(b, 1, (seed >> 11) % b->grids[1].nzones);
		} else if (what < 98 && b->ngrids < 4) {
			snprintf(name, sizeof(name), "g%zu", step);
			assert_true(board_add_grid(b, name, 0, 1, 2 + (int)((seed >> 9) % 8)) > 0);
		} else {
			for (k = 0; k < 80; k++) {
				seed = seed * 1103515245u + 12345u;
				add_led(b, next++, (unsigned char)(seed >> 8), texts[(seed >> 20) % 8]);
			}
		}
		most = b->ncards > most ? b->ncards : most;
		if ((seed >> 26) % 3 == 0) {
			assert_sieve_right(b);
			checks++;
		}
	}
	assert_sieve_right(b);
	assert_true(checks > 500);
	assert_true(most > 200);
	board_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_id_valid),
		cmocka_unit_test(test_duplicates_refused),
		cmocka_unit_test(test_place_and_tray),
		cmocka_unit_test(test_generation),
		cmocka_unit_test(test_sieve_same_as_cmp),
		cmocka_unit_test(test_sieve_radix_same_as_cmp),
		cmocka_unit_test(test_sieve_prefix_chain),
		cmocka_unit_test(test_sieve_equal_texts_by_id),
		cmocka_unit_test(test_sieve_many_ranks),
		cmocka_unit_test(test_sieve_wide_ranks),
		cmocka_unit_test(test_sieve_without_index),
		cmocka_unit_test(test_sieve_follows_changes),
		cmocka_unit_test(test_new_grid_puts_cards_in_tray),
		cmocka_unit_test(test_easy_zone_all_sizes),
		cmocka_unit_test(test_easy_zone_quadrant_and_odd_middle),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_find_card_and_prefix),
		cmocka_unit_test(test_remove_keeps_order),
		cmocka_unit_test(test_sieve_ranking),
		cmocka_unit_test(test_sieve_ties),
		cmocka_unit_test(test_sieve_many_ties),
		cmocka_unit_test(test_sieve_empty_board),
		cmocka_unit_test(test_card_setters),
		cmocka_unit_test(test_debate_two_people),
		cmocka_unit_test(test_debate_back_and_forth),
		cmocka_unit_test(test_history_is_bounded),
		cmocka_unit_test(test_decide_logs),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_resize_keeps_relative_position),
		cmocka_unit_test(test_facilitators),
		cmocka_unit_test(test_resize_rescales_history),
		cmocka_unit_test(test_insert_old_copy_after_grid_added),
		cmocka_unit_test(test_dup_and_insert),
		cmocka_unit_test(test_deal_plan),
		cmocka_unit_test(test_cell_pole),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests_name("board", tests, NULL, NULL);
}
