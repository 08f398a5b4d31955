/* Unit tests for merging boards from different tables. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "board.h"
#include "merge.h"
#include "sieve_ref.h"
#include "store.h"
#include "strbuf.h"

static struct board *table(const char *title, int first, int n)
{
	struct board *b = board_new(title);
	uuid_t id;
	int i;

	board_add_theme(b, "mobilite", "Mobilité", HUE_GREEN);
	board_add_criterion(b, "a", "a-", "a+", POLE_LOW);
	board_add_criterion(b, "f", "f-", "f+", POLE_HIGH);
	board_add_grid(b, "g", 0, 1, 2);
	for (i = first; i < first + n; i++) {
		memset(id, 0, sizeof(id));
		id[0] = (unsigned char)i;
		board_add_card(b, id, "idée", 0);
	}
	return b;
}

static struct card *card_n(struct board *b, int n)
{
	uuid_t id = { 0 };

	id[0] = (unsigned char)n;
	return board_find_card(b, id);
}

static void test_identical(void **state)
{
	struct board *a = table("A", 1, 3), *b = table("B", 1, 3);
	struct merge_stats st = { 0 };
	struct store_errors err;
	struct board_lines none = { NULL, NULL, NULL };

	(void)state;
	board_place_card(a, a->cards[0], 0, 1, 2);
	board_place_card(b, b->cards[0], 0, 1, 2);
	store_errors_init(&err, "B.yaml");
	assert_int_equal(merge_board(a, "A.yaml", &none, b, "B.yaml", &none, 5, &st, &err), 0);
	assert_int_equal(a->ncards, 3);
	assert_int_equal(st.matched, 3);
	assert_int_equal(st.added, 0);
	assert_int_equal(st.debated, 0);
	assert_false(card_is_debated(a, a->cards[0]));
	store_errors_release(&err);
	board_free(a);
	board_free(b);
}

static void test_disjoint(void **state)
{
	struct board *a = table("A", 1, 2), *b = table("B", 10, 2);
	struct merge_stats st = { 0 };
	struct store_errors err;
	struct board_lines none = { NULL, NULL, NULL };

	(void)state;
	/* B has a theme and a grid A lacks, and places its card there. */
	board_add_theme(b, "sante", "Santé", HUE_CYAN);
	board_add_grid(b, "h", 1, 0, 3);
	b->cards[1]->theme = 1;
	board_place_card(b, b->cards[1], 1, 3, 3);
	store_errors_init(&err, "B.yaml");
	assert_sieve_right(a);
	assert_int_equal(merge_board(a, "A.yaml", &none, b, "B.yaml", &none, 5, &st, &err), 0);
	/* Cards and a grid the merge added. */
	assert_sieve_right(a);
	assert_int_equal(a->ncards, 4);
	assert_int_equal(st.added, 2);
	assert_int_equal(st.frame, 2);
	assert_int_equal(board_theme_index(a, "sante"), 1);
	assert_int_equal(card_n(a, 11)->theme, 1);
	assert_int_equal(card_n(a, 11)->place[board_grid_index(a, "h")].x, 3);
	assert_false(card_is_placed(card_n(a, 1), 1));
	store_errors_release(&err);
	board_free(a);
	board_free(b);
}

static void test_conflicting_placements(void **state)
{
	struct board *a = table("A", 1, 2), *b = table("B", 1, 2);
	struct merge_stats st = { 0 };
	struct store_errors err;
	struct board_lines none = { NULL, NULL, NULL };
	struct card *c;

	(void)state;
	board_move_card(a, a->cards[0], 0, 1, 1, 10, "Binôme 1");
	board_move_card(b, b->cards[0], 0, 2, 2, 11, "Binôme 2");
	/* Only B placed card 2: it takes B's placement, not debated. */
	board_place_card(b, b->cards[1], 0, 2, 1);
	assert_sieve_right(a);
	store_errors_init(&err, "B.yaml");
	assert_int_equal(merge_board(a, "A.yaml", &none, b, "B.yaml", &none, 50, &st, &err), 0);
	/* Placements the merge made on a board already ranked. */
	assert_sieve_right(a);
	c = card_n(a, 1);
	assert_int_equal(st.debated, 1);
	assert_true(card_is_debated(a, c));
	assert_int_equal(c->place[0].x, 1); /* the first file's placement */
	/* Both tables' moves, then the conflict's two moves. */
	assert_int_equal(c->nhistory, 4);
	assert_string_equal(c->history[0].by, "Binôme 1");
	assert_string_equal(c->history[1].by, "Binôme 2");
	assert_string_equal(c->history[2].by, "B.yaml");
	assert_int_equal(c->history[2].to.x, 2);
	assert_int_equal(c->history[3].to.x, 1);
	assert_false(card_is_debated(a, card_n(a, 2)));
	assert_int_equal(card_n(a, 2)->place[0].x, 2);
	store_errors_release(&err);
	board_free(a);
	board_free(b);
}

static void test_clashing_themes(void **state)
{
	struct board *a = table("A", 1, 1), *b = table("B", 2, 1);
	struct merge_stats st = { 0 };
	struct store_errors err;
	struct strbuf out = STRBUF_INIT;
	int al_t[] = { 6 }, al_c[] = { 10, 14 }, al_g[] = { 19 };
	int bl_t[] = { 7 }, bl_c[] = { 11, 15 }, bl_g[] = { 20 };
	struct board_lines al = { al_t, al_c, al_g }, bl = { bl_t, bl_c, bl_g };

	(void)state;
	b->themes[0].color = HUE_RED;
	b->criteria[1].easy = POLE_LOW;
	store_errors_init(&err, "B.yaml");
	assert_int_equal(merge_board(a, "A.yaml", &al, b, "B.yaml", &bl, 5, &st, &err), -1);
	store_errors_format(&err, &out);
	assert_non_null(strstr(out.buf, "B.yaml:7:1: theme 'mobilite' clashes with its definition in A.yaml:6"));
	assert_non_null(strstr(out.buf, "B.yaml:15:1: criterion 'f' clashes with its definition in A.yaml:14"));
	/* Nothing was merged. */
	assert_int_equal(a->ncards, 1);
	assert_int_equal(a->themes[0].color, HUE_GREEN);
	strbuf_release(&out);
	store_errors_release(&err);
	board_free(a);
	board_free(b);
}

/* Merges b into a; returns the stats (the merge must succeed). */
static struct merge_stats merge_ok(struct board *a, const struct board *b, time_t now)
{
	struct merge_stats st = { 0 };
	struct store_errors err;
	struct board_lines none = { NULL, NULL, NULL };

	store_errors_init(&err, "B.yaml");
	assert_int_equal(merge_board(a, "A.yaml", &none, b, "B.yaml", &none, now, &st, &err), 0);
	store_errors_release(&err);
	return st;
}

/*
 * Text, theme, note, decision and lock: the board that changed a field
 * later wins it (a rescue copy's edit comes back), by the cards' histories.
 */
static void test_later_change_wins(void **state)
{
	struct board *a = table("A", 1, 3), *b = table("B", 1, 3);
	struct merge_stats st;
	struct card *c;

	(void)state;
	board_add_theme(a, "sante", "Santé", HUE_CYAN);
	board_add_theme(b, "sante", "Santé", HUE_CYAN);
	/* Card 1: B edited it later than A. */
	board_set_card_text(a, card_n(a, 1), "idée (A)");
	card_record(card_n(a, 1), EVENT_EDITED, 10, "A");
	board_set_card_text(b, card_n(b, 1), "idée (B, plus tard)");
	card_record(card_n(b, 1), EVENT_EDITED, 20, "B");
	/* Card 2: A edited it later: A's text stays. */
	board_set_card_text(a, card_n(a, 2), "deux (A, plus tard)");
	card_record(card_n(a, 2), EVENT_EDITED, 30, "A");
	board_set_card_text(b, card_n(b, 2), "deux (B)");
	card_record(card_n(b, 2), EVENT_EDITED, 20, "B");
	/* Card 3: B gave it a theme, a note, a decision and a lock. */
	c = card_n(b, 3);
	c->theme = 1;
	card_record(c, EVENT_THEMED, 40, "B");
	card_set_note(c, "à revoir");
	card_record(c, EVENT_NOTED, 41, "B");
	board_decide(b, c, DECISION_V2, 42, "claire", "plus tard");
	board_lock_card(b, c, true, 43, "claire");
	st = merge_ok(a, b, 100);
	assert_string_equal(card_n(a, 1)->text, "idée (B, plus tard)");
	assert_string_equal(card_n(a, 2)->text, "deux (A, plus tard)");
	c = card_n(a, 3);
	assert_string_equal(a->themes[c->theme].id, "sante");
	assert_string_equal(c->note, "à revoir");
	assert_int_equal(c->decision, DECISION_V2);
	assert_true(c->locked);
	assert_int_equal(st.updated, 5);
	assert_int_equal(st.decisions, 1);
	assert_true(st.events > 0);
	assert_true(MERGE_CHANGED(&st));
	board_free(a);
	board_free(b);
}

/* Merging the same board twice: the second merge changes nothing, debates included. */
static void test_merging_twice_changes_nothing(void **state)
{
	struct board *a = table("A", 1, 2), *b = table("B", 1, 3);
	struct merge_stats st;

	(void)state;
	board_move_card(a, a->cards[0], 0, 1, 1, 10, "Binôme 1");
	board_move_card(b, b->cards[0], 0, 2, 2, 11, "Binôme 2");
	board_set_card_text(b, card_n(b, 2), "nouveau texte");
	card_record(card_n(b, 2), EVENT_EDITED, 12, "B");
	st = merge_ok(a, b, 50);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.debated, 1);
	assert_true(MERGE_CHANGED(&st));
	st = merge_ok(a, b, 60);
	assert_false(MERGE_CHANGED(&st));
	assert_int_equal(card_n(a, 1)->nhistory, 4);
	board_free(a);
	board_free(b);
}

/*
 * Cards are matched by UUID; the same idea written at two tables (its text
 * typed in NFC at one, pasted in NFD or in capitals at the other) is two
 * cards, both kept and named after the merge.
 */
static void test_same_text(void **state)
{
	struct board *a = table("A", 1, 0), *b = table("B", 1, 0);
	struct merge_stats st = { 0 };
	struct store_errors err;
	struct board_lines none = { NULL, NULL, NULL };
	struct strbuf out = STRBUF_INIT;
	uuid_t id = { 0 };

	(void)state;
	id[0] = 1;
	board_add_card(a, id, "Café numérique", 0);
	board_add_card(b, id, "Café numérique", 0);     /* the same card: matched */
	id[0] = 2;
	board_add_card(a, id, "Navette", 0);
	id[0] = 10;
	board_add_card(b, id, "CAFE\u0301  NUME\u0301RIQUE", 0); /* another card, same idea */
	id[0] = 11;
	board_add_card(b, id, "Navettes", 0);
	store_errors_init(&err, "B.yaml");
	merge_format_duplicates(a, b, "B.yaml", &out);
	assert_int_equal(merge_board(a, "A.yaml", &none, b, "B.yaml", &none, 5, &st, &err), 0);
	assert_int_equal(a->ncards, 4);
	assert_string_equal(out.buf, "B.yaml: card 0a000000 has the same text as card 01000000 "
				     "('CAFE\u0301  NUME\u0301RIQUE'): both kept\n");
	strbuf_release(&out);
	store_errors_release(&err);
	board_free(a);
	board_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_disjoint),
		cmocka_unit_test(test_conflicting_placements),
		cmocka_unit_test(test_clashing_themes),
		cmocka_unit_test(test_later_change_wins),
		cmocka_unit_test(test_merging_twice_changes_nothing),
		cmocka_unit_test(test_same_text),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests_name("merge", tests, NULL, NULL);
}
