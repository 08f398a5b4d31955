/*
 * test_report.c - the workshop's deliverable: golden Markdown and CSV of a
 * fixture board holding every case, every card exactly once in the lists,
 * hostile text rendered literally, CSV quoting and formula injection.
 *
 * The goldens are tests/data/report/board.md and board.csv under $TAMIS_TOP
 * (or "."). Run with TAMIS_UPDATE_GOLDEN=1 to rewrite them, then review the
 * diff; otherwise the output must match them byte for byte.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "board.h"
#include "report.h"
#include "strbuf.h"
#include "timeutil.h"

static time_t at(const char *iso)
{
	time_t t;

	assert_true(iso8601_parse(iso, &t));
	return t;
}

/* A deterministic id whose short id is "0000000N" style: byte 3 = n. */
static struct card *add(struct board *b, unsigned n, const char *text, const char *theme,
			const char *by, const char *created)
{
	struct card *c;
	uuid_t id;
	int t = board_theme_index(b, theme);

	assert_true(t >= 0);
	memset(id, 0, sizeof(id));
	id[2] = (unsigned char)(0xA0 + n);
	id[3] = (unsigned char)n;
	id[15] = (unsigned char)n;
	c = board_add_card(b, id, text, (size_t)t);
	assert_non_null(c);
	card_set_by(c, by);
	c->created = at(created);
	card_record(c, EVENT_CREATED, c->created, by);
	return c;
}

static void place(struct board *b, struct card *c, const char *grid, int x, int y)
{
	int g = board_grid_index(b, grid);

	assert_true(g >= 0);
	assert_int_equal(board_place_card(b, c, (size_t)g, x, y), 0);
}

static void move(struct board *b, struct card *c, const char *grid, int x, int y,
		 const char *when, const char *by)
{
	int g = board_grid_index(b, grid);

	assert_true(g >= 0);
	assert_int_equal(board_move_card(b, c, (size_t)g, x, y, at(when), by), RESULT_OK);
}

static void decide(struct board *b, struct card *c, enum decision d, const char *when,
		   const char *rationale)
{
	assert_int_equal(board_decide(b, c, d, at(when), "Animatrice", rationale), RESULT_OK);
}

#define G1 "autonomie-frequence"
#define G2 "lieu-autonomie"

/*
 * The fixture: 2 grids (a 2x2 with the computed easy zone, a 3x3 with a
 * facilitator easy zone and an "other actors" zone), 3 themes, and a card for
 * every list and mark, some with hostile text.
 */
static struct board *fixture(void)
{
	struct board *b = board_new("Comptoir des services (atelier #2)");
	struct card *c;
	int z;

	board_set_description(b, "Atelier du 28 juin 2019 avec les agents.\n"
				 "Trois binômes.\n\n"
				 "- Les idées *non retenues* restent dans le carnet.");
	assert_int_equal(board_add_theme(b, "mobilite", "Mobilité", HUE_GREEN), 0);
	assert_int_equal(board_add_theme(b, "sante", "Santé", HUE_RED), 1);
	assert_int_equal(board_add_theme(b, "vie", "Vie pratique", HUE_YELLOW), 2);
	assert_int_equal(board_add_criterion(b, "autonomie", "Autonomie de l'usager",
					     "Présence physique nécessaire", POLE_LOW), 0);
	assert_int_equal(board_add_criterion(b, "frequence", "Exceptionnel", "Fréquent",
					     POLE_HIGH), 1);
	assert_int_equal(board_add_criterion(b, "lieu", "Décentralisé", "Centralisé", POLE_HIGH),
			 2);
	assert_int_equal(board_add_grid(b, G1, 0, 1, 2), 0);
	assert_int_equal(board_add_grid(b, G2, 2, 0, 3), 1);
	z = grid_add_zone(b, 1, "V1 — quick wins", HUE_GREEN, true);
	assert_int_equal(z, 0);
	assert_int_equal(grid_assign_cell(b, 1, z, 3, 1), 0);
	assert_int_equal(grid_assign_cell(b, 1, z, 3, 2), 0);
	assert_int_equal(grid_assign_cell(b, 1, z, 2, 1), 0);
	z = grid_add_zone(b, 1, "Autres acteurs", HUE_BLUE, false);
	assert_int_equal(z, 1);
	assert_int_equal(grid_assign_cell(b, 1, z, 1, 3), 0);
	assert_int_equal(grid_assign_cell(b, 1, z, 2, 3), 0);

	/* 1: decided V1, locked, with a rationale holding a pipe. */
	c = add(b, 1, "Conciergerie : pressing sur le lieu de travail", "vie", "Binôme 1",
		"2019-06-28T09:01:00Z");
	place(b, c, G1, 1, 2);
	place(b, c, G2, 3, 1);
	decide(b, c, DECISION_V1, "2019-06-28T15:00:00Z", "Peu coûteux | déjà testé ailleurs");
	assert_int_equal(board_lock_card(b, c, true, at("2019-06-28T15:01:00Z"), "Animatrice"), RESULT_OK);

	/* 2: a candidate once decided V2 then back to undecided; a note. */
	c = add(b, 2, "Réception de colis", "vie", "Binôme 2", "2019-06-28T09:02:00Z");
	place(b, c, G1, 1, 2);
	place(b, c, G2, 2, 1);
	card_set_note(c, "Voir avec la logistique\n(quai B)");
	decide(b, c, DECISION_V2, "2019-06-28T15:05:00Z", NULL);
	decide(b, c, DECISION_UNDECIDED, "2019-06-28T15:06:00Z", "Finalement facile");

	/* 3: a candidate with emphasis characters. */
	c = add(b, 3, "Covoiturage *entre* collègues_du_site", "mobilite", "Binôme 3",
		"2019-06-28T09:03:00Z");
	place(b, c, G1, 1, 2);
	place(b, c, G2, 3, 2);

	/* 4: still to decide (easy on 1 grid of 2), heading and table syntax. */
	c = add(b, 4, "# Title | x |", "mobilite", "Binôme 1", "2019-06-28T09:04:00Z");
	place(b, c, G1, 1, 1);
	place(b, c, G2, 3, 1);

	/* 5: V2 (santé), HTML. */
	c = add(b, 5, "<script>alert(1)</script> & co", "sante", "Binôme 2",
		"2019-06-28T09:05:00Z");
	place(b, c, G1, 2, 2);
	decide(b, c, DECISION_V2, "2019-06-28T15:10:00Z", "Plus tard");

	/* 6: elsewhere, in the facilitator's "other actors" zone, link syntax. */
	c = add(b, 6, "[a](b) ![i](c) aide aux démarches", "vie", "Binôme 3",
		"2019-06-28T09:06:00Z");
	place(b, c, G2, 1, 3);
	decide(b, c, DECISION_ELSEWHERE, "2019-06-28T15:12:00Z", "Relève de la DRH");

	/* 7: unplaced, terminal escapes, bidi override, line breaks and a tab. */
	c = add(b, 7, "\x1b]0;x\x07 titre\u202e volé\r\nsuite\tfin", "sante", NULL,
		"2019-06-28T09:07:00Z");

	/* 8: V2 (mobilité), a spreadsheet formula with quotes. */
	c = add(b, 8, "=HYPERLINK(\"http://x.example\",\"clic\")", "mobilite", "Binôme 1",
		"2019-06-28T09:08:00Z");
	place(b, c, G1, 2, 1);
	decide(b, c, DECISION_V2, "2019-06-28T15:14:00Z", "-à revoir");

	/* 9: debated (moved across a boundary by two people), though easy on both. */
	c = add(b, 9, "Navette entre les sites", "mobilite", "Binôme 2", "2019-06-28T09:09:00Z");
	move(b, c, G1, 1, 1, "2019-06-28T10:00:00Z", "Alice");
	move(b, c, G1, 2, 2, "2019-06-28T10:05:00Z", "Alice");
	move(b, c, G1, 1, 2, "2019-06-28T10:30:00Z", "Bob");
	place(b, c, G2, 3, 1);

	/* 10: decided V1 and debated (a merge mark). */
	c = add(b, 10, "Médecin du travail sur rendez-vous", "sante", "Binôme 3",
		"2019-06-28T09:10:00Z");
	place(b, c, G1, 2, 2);
	c->debated_mark = true;
	decide(b, c, DECISION_V1, "2019-06-28T15:20:00Z", NULL);

	/* 11: unplaced. */
	c = add(b, 11, "Salle de sport", "sante", "Binôme 1", "2019-06-28T09:11:00Z");

	/* 12: still to decide, dealt to a pair, an ordered-list marker. */
	c = add(b, 12, "1. Crèche d'entreprise", "vie", "Binôme 2", "2019-06-28T09:12:00Z");
	place(b, c, G1, 2, 1);
	card_set_pair(c, "Binôme 2");

	/* 13: still to decide, a bullet marker, placed on one grid only. */
	c = add(b, 13, "- Permanence mutuelle", "sante", "Binôme 3", "2019-06-28T09:13:00Z");
	place(b, c, G2, 1, 1);
	(void)c;
	return b;
}

#define NOW "2019-06-28T17:30:00Z"

static char *golden_path(const char *name)
{
	const char *top = getenv("TAMIS_TOP");
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/tests/data/report/%s", top && *top ? top : ".", name);
	return strbuf_detach(&sb, NULL);
}

/* Compares out with the golden file, or rewrites it under TAMIS_UPDATE_GOLDEN. */
static void check_golden(const char *name, const struct strbuf *out)
{
	char *path = golden_path(name);
	const char *update = getenv("TAMIS_UPDATE_GOLDEN");
	struct strbuf want = STRBUF_INIT;
	char buf[4096];
	size_t n, i, line = 1;
	FILE *f;

	if (update && *update && strcmp(update, "0")) {
		f = fopen(path, "wb");
		if (!f)
			fail_msg("cannot write '%s'", path);
		assert_int_equal(fwrite(out->buf, 1, out->len, f), out->len);
		assert_int_equal(fclose(f), 0);
		free(path);
		return;
	}
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open '%s' (TAMIS_UPDATE_GOLDEN=1 makes it)", path);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&want, buf, n);
	fclose(f);
	for (i = 0; i < want.len && i < out->len && want.buf[i] == out->buf[i]; i++)
		if (want.buf[i] == '\n')
			line++;
	if (i < want.len || i < out->len)
		fail_msg("%s differs from the output at line %zu (byte %zu); "
			 "TAMIS_UPDATE_GOLDEN=1 rewrites it", path, line, i);
	strbuf_release(&want);
	free(path);
}

static void test_golden_markdown(void **state)
{
	struct board *b = fixture();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	report_format(b, REPORT_MARKDOWN, at(NOW), &out);
	check_golden("board.md", &out);
	strbuf_release(&out);
	board_free(b);
}

static void test_golden_csv(void **state)
{
	struct board *b = fixture();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	report_format(b, REPORT_CSV, at(NOW), &out);
	check_golden("board.csv", &out);
	strbuf_release(&out);
	board_free(b);
}

/* The fixture has every list, and the lists are what the rules say. */
static void test_lists(void **state)
{
	static const enum report_list want[] = {
		REPORT_LIST_V1, REPORT_LIST_CANDIDATE, REPORT_LIST_CANDIDATE,
		REPORT_LIST_UNDECIDED, REPORT_LIST_V2, REPORT_LIST_ELSEWHERE,
		REPORT_LIST_UNPLACED, REPORT_LIST_V2, REPORT_LIST_DEBATED,
		REPORT_LIST_V1, REPORT_LIST_UNPLACED, REPORT_LIST_UNDECIDED,
		REPORT_LIST_UNDECIDED,
	};
	struct board *b = fixture();
	size_t i;

	(void)state;
	assert_int_equal(b->ncards, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < b->ncards; i++)
		if (report_card_list(b, b->cards[i]) != want[i])
			fail_msg("card %zu in list %s, not %s", i + 1,
				 report_list_name(report_card_list(b, b->cards[i])),
				 report_list_name(want[i]));
	board_free(b);
}

/* Counts the occurrences of needle in hay[0..len). */
static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void test_each_card_once(void **state)
{
	struct board *b = fixture();
	struct strbuf md = STRBUF_INIT, csv = STRBUF_INIT, needle = STRBUF_INIT;
	const char *lists, *p;
	size_t i, total = 0;

	(void)state;
	report_format(b, REPORT_MARKDOWN, at(NOW), &md);
	report_format(b, REPORT_CSV, at(NOW), &csv);
	lists = strstr(md.buf, "\n## V1 list");
	assert_non_null(lists);
	for (i = 0; i < b->ncards; i++) {
		char id[CARD_UUID_LEN + 1];

		card_short_id(b->cards[i], id);
		strbuf_reset(&needle);
		strbuf_addf(&needle, "`%s`", id);
		if (count(lists, needle.buf) != 1)
			fail_msg("card %s is %zu times in the lists", id, count(lists, needle.buf));
		card_uuid(b->cards[i], id);
		strbuf_reset(&needle);
		strbuf_addf(&needle, "\r\n%s,", id);
		assert_int_equal(count(csv.buf, needle.buf), 1);
	}
	/* The list items are exactly the cards: one "- " item line each. */
	for (p = lists; (p = strstr(p, "\n- ")); p++)
		total++;
	assert_int_equal(total, b->ncards);
	/* Rows: the header, one per card, and the line break inside card 7's text. */
	assert_int_equal(count(csv.buf, "\r\n"), 1 + b->ncards + 1);
	strbuf_release(&md);
	strbuf_release(&csv);
	strbuf_release(&needle);
	board_free(b);
}

static void test_markdown_escaping(void **state)
{
	struct board *b = fixture();
	struct strbuf md = STRBUF_INIT;

	(void)state;
	report_format(b, REPORT_MARKDOWN, at(NOW), &md);
	/* No raw control or bidi character, no raw markup from card text. */
	assert_null(strchr(md.buf, '\x1b'));
	assert_null(strchr(md.buf, '\x07'));
	assert_null(strchr(md.buf, '\r'));
	assert_null(strchr(md.buf, '\t'));
	assert_null(strstr(md.buf, "\u202e"));
	assert_null(strstr(md.buf, "<script>"));
	assert_null(strstr(md.buf, "[a](b)"));
	assert_int_equal(count(md.buf, "| x |"), 0);
	/* Each renders as its literal text. */
	assert_int_equal(strncmp(md.buf, "# Comptoir des services (atelier \\#2)\n", 38), 0);
	assert_non_null(strstr(md.buf, "\n- \\# Title \\| x \\| (Mobilité)"));
	assert_non_null(strstr(md.buf, "\\<script\\>alert(1)\\</script\\> \\& co"));
	assert_non_null(strstr(md.buf, "\\[a\\](b) !\\[i\\](c)"));
	assert_non_null(strstr(md.buf, "\n- \\\\e\\]0;x\\\\a titre\\\\u\\{202E\\} volé suite fin"));
	assert_non_null(strstr(md.buf, "\n- 1\\. Crèche d'entreprise"));
	assert_non_null(strstr(md.buf, "\n- \\- Permanence mutuelle"));
	assert_non_null(strstr(md.buf, "Covoiturage \\*entre\\* collègues\\_du\\_site"));
	assert_non_null(strstr(md.buf, "\n\\- Les idées \\*non retenues\\* restent"));
	assert_non_null(strstr(md.buf, "Peu coûteux \\| déjà testé ailleurs"));
	strbuf_release(&md);
	board_free(b);
}

static void test_csv_fields(void **state)
{
	struct board *b = fixture();
	struct strbuf csv = STRBUF_INIT;
	const char *eol;

	(void)state;
	report_format(b, REPORT_CSV, at(NOW), &csv);
	eol = strstr(csv.buf, "\r\n");
	assert_non_null(eol);
	assert_int_equal((size_t)(eol - csv.buf),
			 strlen("id,short_id,text,theme,theme_label,by,created,decision,locked,"
				"debated,pair,note,list,rank,hits,grid:autonomie-frequence,"
				"grid:lieu-autonomie,rationale,signature"));
	/* Formula injection: a leading = or - gets a quote; quotes doubled. */
	assert_non_null(strstr(csv.buf, ",\"'=HYPERLINK(\"\"http://x.example\"\",\"\"clic\"\")\","));
	assert_non_null(strstr(csv.buf, ",'- Permanence mutuelle,"));
	assert_non_null(strstr(csv.buf, ",'-à revoir,unsigned\r\n"));
	/* Line breaks stay inside a quoted field; cells are quoted. */
	assert_non_null(strstr(csv.buf, "\"\x1b]0;x\x07 titre\u202e volé\r\nsuite\tfin\""));
	assert_non_null(strstr(csv.buf, ",\"Voir avec la logistique\n(quai B)\","));
	assert_non_null(strstr(csv.buf, ",v1-candidate,4,2,\"1,2\",\"2,1\",Finalement facile,"
					"unsigned\r\n"));
	strbuf_release(&csv);
	board_free(b);
}

/* The majority rule with 3 grids, and debated before candidate. */
static void test_candidates(void **state)
{
	struct board *b = board_new("t");
	struct card *c2, *c1, *c3, *c0;
	int g;

	(void)state;
	board_add_theme(b, "t", "T", HUE_RED);
	board_add_criterion(b, "a", "a-", "a+", POLE_LOW);
	board_add_criterion(b, "b", "b-", "b+", POLE_LOW);
	for (g = 0; g < 3; g++) {
		char id[4] = { 'g', (char)('1' + g), 0, 0 };

		assert_int_equal(board_add_grid(b, id, 0, 1, 2), g);
	}
	c2 = add(b, 1, "two of three", "t", NULL, "2019-01-01");
	c1 = add(b, 2, "one of three", "t", NULL, "2019-01-01");
	c3 = add(b, 3, "debated", "t", NULL, "2019-01-01");
	c0 = add(b, 4, "placed, not easy", "t", NULL, "2019-01-01");
	place(b, c2, "g1", 1, 1);
	place(b, c2, "g2", 1, 1);
	place(b, c2, "g3", 2, 2);
	place(b, c1, "g1", 1, 1);
	move(b, c3, "g1", 1, 1, "2019-01-01T10:00:00Z", "A");
	move(b, c3, "g1", 2, 2, "2019-01-01T10:01:00Z", "A");
	move(b, c3, "g1", 1, 1, "2019-01-01T10:02:00Z", "B");
	move(b, c3, "g2", 1, 1, "2019-01-01T10:03:00Z", "A");
	place(b, c0, "g3", 2, 1);
	assert_int_equal(report_card_hits(b, c2), 2);
	assert_int_equal(report_card_list(b, c2), REPORT_LIST_CANDIDATE);
	assert_int_equal(report_card_list(b, c1), REPORT_LIST_UNDECIDED);
	assert_int_equal(report_card_hits(b, c3), 2);
	assert_int_equal(report_card_list(b, c3), REPORT_LIST_DEBATED);
	assert_int_equal(report_card_list(b, c0), REPORT_LIST_UNDECIDED);
	board_place_card(b, c0, 2, 0, 0);
	assert_int_equal(report_card_list(b, c0), REPORT_LIST_UNPLACED);
	c0->decision = DECISION_ELSEWHERE;
	assert_int_equal(report_card_list(b, c0), REPORT_LIST_ELSEWHERE);
	board_free(b);
}

static void test_empty_board(void **state)
{
	struct board *b = board_new("Vide");
	struct strbuf md = STRBUF_INIT, csv = STRBUF_INIT;

	(void)state;
	report_format(b, REPORT_MARKDOWN, at(NOW), &md);
	report_format(b, REPORT_CSV, at(NOW), &csv);
	assert_non_null(strstr(md.buf, "# Vide\n\nWorkshop report of 2019-06-28.\n"));
	assert_int_equal(count(md.buf, "_None._"), 9);
	assert_int_equal(md.buf[md.len - 1], '\n');
	assert_int_not_equal(md.buf[md.len - 2], '\n');
	assert_string_equal(csv.buf, "id,short_id,text,theme,theme_label,by,created,decision,"
				     "locked,debated,pair,note,list,rank,hits,rationale,signature\r\n");
	strbuf_release(&md);
	strbuf_release(&csv);
	board_free(b);
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(report_format_parse("md"), REPORT_MARKDOWN);
	assert_int_equal(report_format_parse("markdown"), REPORT_MARKDOWN);
	assert_int_equal(report_format_parse("csv"), REPORT_CSV);
	assert_int_equal(report_format_parse("pdf"), -1);
	assert_string_equal(report_format_ext(REPORT_CSV), "csv");
	assert_string_equal(report_format_ext(REPORT_MARKDOWN), "md");
	assert_string_equal(report_list_name(REPORT_LIST_CANDIDATE), "v1-candidate");
	assert_string_equal(report_list_name(REPORT_LIST_UNDECIDED), "undecided");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_markdown),
		cmocka_unit_test(test_golden_csv),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_each_card_once),
		cmocka_unit_test(test_markdown_escaping),
		cmocka_unit_test(test_csv_fields),
		cmocka_unit_test(test_candidates),
		cmocka_unit_test(test_empty_board),
		cmocka_unit_test(test_names),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
