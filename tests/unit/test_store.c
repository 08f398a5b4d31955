/*
 * Unit tests for the YAML store: every validation error with its exact line,
 * column and message; hostile files; round trips and byte stability; loading
 * and saving files; and that Python's yaml reads our output as we meant it.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "board.h"
#include "sieve_ref.h"
#include "lockfile.h"
#include "op.h"
#include "store.h"
#include "strbuf.h"
#include "text.h"
#include "timeutil.h"

/* --- Helpers ------------------------------------------------------------ */

static int parse_len(const char *yaml, size_t len, struct board **b, struct store_errors *e)
{
	*b = NULL;
	store_errors_init(e, "board.yaml");
	return store_parse(yaml, len, b, e);
}

/* Prints every problem, for failures. */
static void dump_errors(const struct store_errors *e)
{
	struct strbuf out = STRBUF_INIT;

	store_errors_format(e, &out);
	print_message("problems reported:\n%s", out.buf);
	strbuf_release(&out);
}

static bool has_problem(const struct store_errors *e, int line, int col, const char *msg)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (e->v[i].line == line && e->v[i].column == col && !strcmp(e->v[i].message, msg))
			return true;
	return false;
}

/*
 * The YAML must be refused, and the problem (line, col, msg) must be among
 * those reported; with 'only', it must be the only one.
 */
static void check_problem(const char *yaml, size_t len, int line, int col, const char *msg,
			  bool only, int at)
{
	struct store_errors e;
	struct board *b;
	int r = parse_len(yaml, len, &b, &e);

	if (r != -1 || b || !has_problem(&e, line, col, msg) || (only && e.n != 1) ||
	    (only && e.dropped)) {
		print_message("test line %d: wanted %s%d:%d: %s (parse returned %d)\n", at,
			      only ? "only " : "", line, col, msg, r);
		dump_errors(&e);
		store_errors_release(&e);
		if (b)
			board_free(b);
		fail();
	}
	store_errors_release(&e);
}

#define expect_problem(yaml, line, col, msg) \
	check_problem(yaml, strlen(yaml), line, col, msg, false, __LINE__)
#define expect_only(yaml, line, col, msg) \
	check_problem(yaml, strlen(yaml), line, col, msg, true, __LINE__)
#define expect_only_len(yaml, len, line, col, msg) \
	check_problem(yaml, len, line, col, msg, true, __LINE__)

/* The YAML must load; returns the board (caller frees). */
static struct board *load_ok_len(const char *yaml, size_t len, int at)
{
	struct store_errors e;
	struct board *b;
	int r = parse_len(yaml, len, &b, &e);

	if (r != 0 || !b || e.n || e.dropped) {
		print_message("test line %d: the board should load (parse returned %d)\n", at, r);
		dump_errors(&e);
		store_errors_release(&e);
		fail();
	}
	store_errors_release(&e);
	return b;
}

#define load_ok(yaml) load_ok_len(yaml, strlen(yaml), __LINE__)

static void id_from(uuid_t id, const char *s)
{
	assert_int_equal(uuid_parse(s, id), 0);
}

static char *format_board(const struct board *b)
{
	struct strbuf out = STRBUF_INIT;

	store_format(b, &out);
	return strbuf_detach(&out, NULL);
}

static void assert_str_or_null_equal(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Field-by-field equality of two cards of boards with the same grids (of board a). */
static void assert_cards_equal(const struct board *a, const struct card *x, const struct card *y)
{
	size_t g;

	assert_memory_equal(x->id, y->id, sizeof(uuid_t));
	assert_string_equal(x->text, y->text);
	assert_int_equal(x->theme, y->theme);
	assert_str_or_null_equal(x->by, y->by);
	assert_str_or_null_equal(x->pair, y->pair);
	assert_int_equal(x->created, y->created);
	assert_str_or_null_equal(x->note, y->note);
	assert_int_equal(x->decision, y->decision);
	assert_int_equal(x->locked, y->locked);
	assert_int_equal(x->debated_mark, y->debated_mark);
	for (g = 0; g < a->ngrids; g++) {
		assert_int_equal(x->place[g].x, y->place[g].x);
		assert_int_equal(x->place[g].y, y->place[g].y);
	}
	assert_int_equal(x->nhistory, y->nhistory);
	for (g = 0; g < x->nhistory; g++) {
		const struct card_event *e = &x->history[g], *f = &y->history[g];

		assert_int_equal(e->at, f->at);
		assert_str_or_null_equal(e->by, f->by);
		assert_int_equal(e->kind, f->kind);
		if (e->kind == EVENT_MOVED) {
			assert_int_equal(e->grid, f->grid);
			assert_int_equal(e->from.x, f->from.x);
			assert_int_equal(e->from.y, f->from.y);
			assert_int_equal(e->to.x, f->to.x);
			assert_int_equal(e->to.y, f->to.y);
		}
		if (e->kind == EVENT_DECIDED) {
			assert_int_equal(e->dfrom, f->dfrom);
			assert_int_equal(e->dto, f->dto);
		}
	}
}

/* Field-by-field equality of two boards. */
static void assert_boards_equal(const struct board *a, const struct board *b)
{
	size_t i, g;

	assert_string_equal(a->title, b->title);
	assert_str_or_null_equal(a->description, b->description);
	assert_str_or_null_equal(a->lang, b->lang);
	assert_int_equal(a->nthemes, b->nthemes);
	for (i = 0; i < a->nthemes; i++) {
		assert_string_equal(a->themes[i].id, b->themes[i].id);
		assert_string_equal(a->themes[i].label, b->themes[i].label);
		assert_int_equal(a->themes[i].color, b->themes[i].color);
	}
	assert_int_equal(a->ncriteria, b->ncriteria);
	for (i = 0; i < a->ncriteria; i++) {
		assert_string_equal(a->criteria[i].id, b->criteria[i].id);
		assert_string_equal(a->criteria[i].low, b->criteria[i].low);
		assert_string_equal(a->criteria[i].high, b->criteria[i].high);
		assert_int_equal(a->criteria[i].easy, b->criteria[i].easy);
	}
	assert_int_equal(a->ngrids, b->ngrids);
	for (i = 0; i < a->ngrids; i++) {
		const struct grid *x = &a->grids[i], *y = &b->grids[i];

		assert_string_equal(x->id, y->id);
		assert_int_equal(x->x, y->x);
		assert_int_equal(x->y, y->y);
		assert_int_equal(x->cells, y->cells);
		assert_int_equal(x->nzones, y->nzones);
		for (g = 0; g < x->nzones; g++) {
			assert_string_equal(x->zones[g].name, y->zones[g].name);
			assert_int_equal(x->zones[g].color, y->zones[g].color);
			assert_int_equal(x->zones[g].easy, y->zones[g].easy);
			assert_memory_equal(x->zones[g].rows, y->zones[g].rows,
					    sizeof(x->zones[g].rows));
		}
	}
	assert_int_equal(a->ncards, b->ncards);
	for (i = 0; i < a->ncards; i++)
		assert_cards_equal(a, a->cards[i], b->cards[i]);
	assert_int_equal(a->nfacilitators, b->nfacilitators);
	for (i = 0; i < a->nfacilitators; i++)
		assert_string_equal(a->facilitators[i], b->facilitators[i]);
	assert_int_equal(a->ndecisions, b->ndecisions);
	for (i = 0; i < a->ndecisions; i++) {
		const struct decision_entry *x = &a->decisions[i], *y = &b->decisions[i];

		assert_int_equal(x->at, y->at);
		assert_str_or_null_equal(x->by, y->by);
		assert_memory_equal(x->card, y->card, sizeof(uuid_t));
		assert_string_equal(x->text, y->text);
		assert_int_equal(x->from, y->from);
		assert_int_equal(x->to, y->to);
		assert_str_or_null_equal(x->rationale, y->rationale);
	}
}

/*
 * A valid head of board, 20 lines: cards follow on line 21. Both criteria,
 * two themes, one grid of 3 x 3 cells.
 */
#define HEAD                                                            \
	"tamis: 1\n"                                    /*  1 */        \
	"title: Comptoir des services\n"                /*  2 */        \
	"themes:\n"                                     /*  3 */        \
	"  - id: mobilite\n"                            /*  4 */        \
	"    label: Mobilité\n"                         /*  5 */        \
	"    color: green\n"                            /*  6 */        \
	"  - id: sante\n"                               /*  7 */        \
	"    label: Santé\n"                            /*  8 */        \
	"    color: cyan\n"                             /*  9 */        \
	"criteria:\n"                                   /* 10 */        \
	"  - id: autonomie\n"                           /* 11 */        \
	"    low: Autonomie de l’usager\n"              /* 12 */        \
	"    high: Présence physique nécessaire\n"      /* 13 */        \
	"    easy: low\n"                               /* 14 */        \
	"  - id: frequence\n"                           /* 15 */        \
	"    low: Exceptionnel\n"                       /* 16 */        \
	"    high: Fréquent\n"                          /* 17 */        \
	"    easy: high\n"                              /* 18 */        \
	"grids:\n"                                      /* 19 */        \
	"  - {id: autonomie-frequence, x: autonomie, y: frequence, cells: 3}\n" /* 20 */

#define ID1 "6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f"
#define ID2 "0b7e3c11-2f4a-4d8b-8c6e-1a2b3c4d5e6f"

/* --- Valid boards ------------------------------------------------------- */

static void test_parse_example(void **state)
{
	/* The example of the format's specification, with every card field. */
	static const char yaml[] =
		"tamis: 1\n"
		"title: Comptoir des services\n"
		"description: Atelier du 28 juin\n"
		"themes:\n"
		"  - {id: mobilite, label: Mobilité, color: green}\n"
		"criteria:\n"
		"  - {id: autonomie, low: Autonomie de l'usager,\n"
		"     high: Présence physique nécessaire, easy: low}\n"
		"  - {id: frequence, low: Exceptionnel, high: Fréquent, easy: high}\n"
		"grids:\n"
		"  - {id: autonomie-frequence, x: autonomie, y: frequence, cells: 2}\n"
		"cards:\n"
		"  - id: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f\n"
		"    text: Réception de colis sur le lieu de travail\n"
		"    theme: mobilite\n"
		"    by: Binôme 3\n"
		"    created: 2019-06-28T10:12:00Z\n"
		"    note: Un local existe déjà\n"
		"    decision: v1\n"
		"    locked: true\n"
		"    place: {autonomie-frequence: [1, 2]}\n";
	struct board *b = load_ok(yaml);
	struct card *c;
	uuid_t id;
	time_t t;

	(void)state;
	assert_string_equal(b->title, "Comptoir des services");
	assert_string_equal(b->description, "Atelier du 28 juin");
	assert_int_equal(b->nthemes, 1);
	assert_string_equal(b->themes[0].id, "mobilite");
	assert_string_equal(b->themes[0].label, "Mobilité");
	assert_int_equal(b->themes[0].color, HUE_GREEN);
	assert_int_equal(b->ncriteria, 2);
	assert_string_equal(b->criteria[0].low, "Autonomie de l'usager");
	assert_string_equal(b->criteria[0].high, "Présence physique nécessaire");
	assert_int_equal(b->criteria[0].easy, POLE_LOW);
	assert_int_equal(b->criteria[1].easy, POLE_HIGH);
	assert_int_equal(b->ngrids, 1);
	assert_int_equal(b->grids[0].x, 0);
	assert_int_equal(b->grids[0].y, 1);
	assert_int_equal(b->grids[0].cells, 2);
	assert_int_equal(b->ncards, 1);
	c = b->cards[0];
	id_from(id, ID1);
	assert_memory_equal(c->id, id, sizeof(uuid_t));
	assert_string_equal(c->text, "Réception de colis sur le lieu de travail");
	assert_int_equal(c->theme, 0);
	assert_string_equal(c->by, "Binôme 3");
	assert_true(iso8601_parse("2019-06-28T10:12:00Z", &t));
	assert_int_equal(c->created, t);
	assert_string_equal(c->note, "Un local existe déjà");
	assert_int_equal(c->decision, DECISION_V1);
	assert_true(c->locked);
	assert_int_equal(c->place[0].x, 1);
	assert_int_equal(c->place[0].y, 2);
	board_free(b);
}

/*
 * A board read from a file ranks as the sieve is worded, as it was read and
 * after changes (the index built while reading follows them): 300 cards,
 * more than are put in place one at a time, placed on two grids or not.
 */
static void test_parse_then_sieve(void **state)
{
	static const char *const texts[] = { "Conciergerie", "Conciergerie numérique", "Atelier",
					     "Écrivain public", "Atelier" };
	struct strbuf yaml = STRBUF_INIT;
	struct board *b;
	unsigned seed = 5;
	size_t i;

	(void)state;
	strbuf_addstr(&yaml, "tamis: 1\ntitle: Tri\n"
			     "themes: [{id: t, label: T, color: green}]\n"
			     "criteria:\n"
			     "  - {id: a, low: a-, high: a+, easy: low}\n"
			     "  - {id: f, low: f-, high: f+, easy: high}\n"
			     "grids:\n"
			     "  - {id: g, x: a, y: f, cells: 3}\n"
			     "  - {id: h, x: f, y: a, cells: 2}\n"
			     "cards:\n");
	for (i = 0; i < 300; i++) {
		seed = seed * 1103515245u + 12345u;
		strbuf_addf(&yaml, "  - id: %08x-0000-4000-8000-%012zx\n    text: %s\n    theme: t\n",
			    seed >> 4, i, texts[(seed >> 8) % 5]);
		if ((seed >> 12) % 4 == 0)
			continue;
		strbuf_addf(&yaml, "    place: {g: [%u, %u]", 1 + (seed >> 14) % 3, 1 + (seed >> 16) % 3);
		if ((seed >> 18) % 2)
			strbuf_addf(&yaml, ", h: [%u, %u]", 1 + (seed >> 20) % 2, 1 + (seed >> 21) % 2);
		strbuf_addstr(&yaml, "}\n");
	}
	b = load_ok(yaml.buf);
	assert_int_equal(b->ncards, 300);
	assert_sieve_right(b);
	board_place_card(b, b->cards[7], 1, 1, 2);
	board_set_card_text(b, b->cards[9], "Atelier");
	board_remove_card(b, b->cards[11]);
	assert_sieve_right(b);
	board_free(b);
	strbuf_release(&yaml);
}

static void test_parse_flow_style(void **state)
{
	static const char yaml[] =
		"{tamis: 1, title: 'Flow', themes: [{id: t, label: T, color: red}],\n"
		" criteria: [{id: a, low: A-, high: A+, easy: low},\n"
		"            {id: b, low: B-, high: B+, easy: high}],\n"
		" grids: [{id: g, x: a, y: b}],\n"
		" cards: [{id: " ID1 ", text: \"un, deux\", theme: t, place: {g: [2, 1]}},\n"
		"         {id: " ID2 ", text: trois, theme: t}]}\n";
	struct board *b = load_ok(yaml);

	(void)state;
	assert_string_equal(b->title, "Flow");
	assert_int_equal(b->grids[0].cells, BOARD_DEFAULT_CELLS);
	assert_int_equal(b->ncards, 2);
	assert_string_equal(b->cards[0]->text, "un, deux");
	assert_int_equal(b->cards[0]->place[0].x, 2);
	assert_int_equal(b->cards[0]->place[0].y, 1);
	assert_false(card_is_placed(b->cards[1], 0));
	board_free(b);
}

static void test_parse_bom_comments_quotes(void **state)
{
	static const char yaml[] =
		"\xEF\xBB\xBF"
		"%YAML 1.1\n"
		"--- # a board\n"
		"# the version first\n"
		"tamis: 1   # format\n"
		"'title': 'L''atelier # pas un commentaire'\n"
		"description: |\n"
		"  Deux lignes\n"
		"  de description\n"
		"themes:\n"
		"  # one theme\n"
		"  - id: \"mobilite\"\n"
		"    label: >-\n"
		"      Mobilité\n"
		"      douce\n"
		"    color: green\n"
		"criteria: []\n"
		"grids: []\n"
		"cards:\n"
		"  - id: 6F1C2A8E-5B3D-4C1E-9A7F-2D4E6B8C0A1F   # upper case is fine\n"
		"    text: \"Guillemets \\\"doubles\\\" et \\u00e9 échappé\"\n"
		"    theme: mobilite\n"
		"...\n";
	struct board *b = load_ok(yaml);
	uuid_t id;

	(void)state;
	assert_string_equal(b->title, "L'atelier # pas un commentaire");
	assert_string_equal(b->description, "Deux lignes\nde description\n");
	assert_string_equal(b->themes[0].label, "Mobilité douce");
	id_from(id, ID1);
	assert_memory_equal(b->cards[0]->id, id, sizeof(uuid_t));
	assert_string_equal(b->cards[0]->text, "Guillemets \"doubles\" et é échappé");
	board_free(b);
}

static void test_parse_defaults_and_nulls(void **state)
{
	static const char yaml[] =
		HEAD
		"description: ~\n"
		"cards:\n"
		"  - id: " ID1 "\n"
		"    text: a\n"
		"    theme: mobilite\n"
		"    by:\n"
		"    note: null\n"
		"    created: ~\n"
		"    decision:\n"
		"    locked: ~\n"
		"    place: {autonomie-frequence: ~}\n"
		"  - id: " ID2 "\n"
		"    text: b\n"
		"    theme: sante\n"
		"    place: ~\n"
		"    locked: false\n";
	struct board *b = load_ok(yaml);
	const struct card *c = b->cards[0];

	(void)state;
	assert_null(b->description);
	assert_null(c->by);
	assert_null(c->note);
	assert_int_equal(c->created, 0);
	assert_int_equal(c->decision, DECISION_UNDECIDED);
	assert_false(c->locked);
	assert_false(card_is_placed(c, 0));
	assert_false(card_is_placed(b->cards[1], 0));
	assert_false(b->cards[1]->locked);
	board_free(b);

	/* Lists may be empty or absent. */
	b = load_ok("tamis: 1\ntitle: vide\nthemes: []\ncards:\n");
	assert_int_equal(b->nthemes, 0);
	assert_int_equal(b->ncriteria, 0);
	assert_int_equal(b->ncards, 0);
	board_free(b);
}

static void test_parse_scalar_typing(void **state)
{
	/* A plain scalar where a string is expected is the text as written. */
	static const char yaml[] =
		"tamis: 1\n"
		"title: 2019\n"
		"themes:\n"
		"  - {id: 123, label: yes, color: red}\n"
		"  - {id: t2, label: !!str 1.50, color: blue}\n"
		"criteria:\n"
		"  - {id: a, low: ~x, high: 0x1F, easy: low}\n"
		"  - {id: b, low: null-ish, high: true, easy: high}\n"
		"grids:\n"
		"  - {id: g, x: a, y: b, cells: !!int 4}\n"
		"cards:\n"
		"  - {id: " ID1 ", text: 1:20, theme: 123, locked: True, place: {g: [4, 4]}}\n"
		"  - {id: " ID2 ", text: !!str false, theme: t2, locked: !!bool false,\n"
		"     note: !!null '', by: 007}\n";
	struct board *b = load_ok(yaml);

	(void)state;
	assert_string_equal(b->title, "2019");
	assert_string_equal(b->themes[0].id, "123");
	assert_string_equal(b->themes[0].label, "yes");
	assert_string_equal(b->themes[1].label, "1.50");
	assert_string_equal(b->criteria[0].low, "~x");
	assert_string_equal(b->criteria[0].high, "0x1F");
	assert_string_equal(b->criteria[1].high, "true");
	assert_int_equal(b->grids[0].cells, 4);
	assert_string_equal(b->cards[0]->text, "1:20");
	assert_true(b->cards[0]->locked);
	assert_int_equal(b->cards[0]->place[0].x, 4);
	assert_string_equal(b->cards[1]->text, "false");
	assert_false(b->cards[1]->locked);
	assert_null(b->cards[1]->note);
	assert_string_equal(b->cards[1]->by, "007");
	board_free(b);
}

static void test_escaped_controls_in_free_text(void **state)
{
	/* Card text and notes are untrusted text: escaped controls are kept. */
	static const char yaml[] =
		HEAD
		"description: \"ligne 1\\nligne 2\"\n"
		"cards:\n"
		"  - id: " ID1 "\n"
		"    text: \"\\e[31mrouge\\e[0m \\u202Eevil\"\n"
		"    note: \"a\\tb\\nc\\x07\"\n"
		"    theme: mobilite\n";
	struct board *b = load_ok(yaml);

	(void)state;
	assert_string_equal(b->description, "ligne 1\nligne 2");
	assert_string_equal(b->cards[0]->text, "\x1b[31mrouge\x1b[0m \xE2\x80\256evil");
	assert_string_equal(b->cards[0]->note, "a\tb\nc\a");
	board_free(b);
}

static void test_key_order_does_not_matter(void **state)
{
	/*
	 * Cards after themes, criteria and grids are checked as they are read;
	 * cards first are checked from the tree. Both give the same board.
	 */
	static const char cards[] =
		"cards:\n"
		"  - id: " ID1 "\n"
		"    text: un\n"
		"    theme: sante\n"
		"    place: {autonomie-frequence: [3, 1]}\n"
		"  - {id: " ID2 ", text: deux, theme: mobilite, decision: v2}\n";
	char *yaml1 = NULL, *yaml2 = NULL, *f1, *f2;
	struct board *b1, *b2;
	size_t n;

	(void)state;
	n = strlen(HEAD) + strlen(cards) + 1;
	yaml1 = malloc(n);
	yaml2 = malloc(n);
	assert_non_null(yaml1);
	assert_non_null(yaml2);
	snprintf(yaml1, n, "%s%s", HEAD, cards);
	snprintf(yaml2, n, "%s%s", cards, HEAD);
	b1 = load_ok(yaml1);
	b2 = load_ok(yaml2);
	assert_boards_equal(b1, b2);
	f1 = format_board(b1);
	f2 = format_board(b2);
	assert_string_equal(f1, f2);
	assert_int_equal(b1->ncards, 2);
	assert_int_equal(b1->cards[0]->place[0].x, 3);
	free(f1);
	free(f2);
	free(yaml1);
	free(yaml2);
	board_free(b1);
	board_free(b2);
}

/* --- The version -------------------------------------------------------- */

static void test_version(void **state)
{
	(void)state;
	/* A newer version is the only problem reported, whatever else is there. */
	expect_only("tamis: 2\ntitle: x\nzones: [1]\n", 1, 8,
		    "unsupported format version 2 (this tamis reads version 1)");
	expect_only("title: x\nzones: [1]\nthemes: {bad: 1}\ntamis: 3\n", 4, 8,
		    "unsupported format version 3 (this tamis reads version 1)");
	/* Even when it comes after cards that were already being checked. */
	expect_only("title: x\nthemes: []\ncriteria: []\ngrids: []\n"
		    "cards:\n  - {id: nope, text: y, theme: z}\ntamis: 2\n",
		    7, 8, "unsupported format version 2 (this tamis reads version 1)");
	expect_only("tamis: \"1\"\ntitle: x\n", 1, 8, "'tamis' must be the format version, 1");
	expect_only("tamis: 1.0\ntitle: x\n", 1, 8, "'tamis' must be the format version, 1");
	expect_only("title: x\n", 1, 1,
		    "missing key 'tamis' (the format version: start the file with 'tamis: 1')");
}

/* A board's language: read, kept where it is, written back; a bad one refused. */
static void test_lang(void **state)
{
	struct board *b = load_ok("tamis: 1\ntitle: x\nlang: fr\n");
	char *out;

	(void)state;
	assert_string_equal(b->lang, "fr");
	out = format_board(b);
	assert_true(!strncmp(out, "tamis: 1\ntitle: x\nlang: fr\n\nthemes: []\n", 39));
	free(out);
	board_set_lang(b, NULL);
	out = format_board(b);
	assert_true(!strncmp(out, "tamis: 1\ntitle: x\n\nthemes: []\n", 30));
	free(out);
	board_free(b);
	b = load_ok("tamis: 1\ntitle: x\n");
	assert_null(b->lang);
	board_free(b);
	expect_only("tamis: 1\ntitle: x\nlang: French\n", 3, 7,
		    "'lang' must be a language code such as fr, en or pt_BR, not 'French'");
	expect_only("tamis: 1\ntitle: x\nlang: [fr]\n", 3, 7,
		    "'lang' must be a string, not a list");
	assert_true(board_lang_valid("fr"));
	assert_true(board_lang_valid("ast"));
	assert_true(board_lang_valid("pt_BR"));
	assert_false(board_lang_valid("f"));
	assert_false(board_lang_valid("fran"));
	assert_false(board_lang_valid("FR"));
	assert_false(board_lang_valid("fr_br"));
	assert_false(board_lang_valid("fr_BRA"));
	assert_false(board_lang_valid("fr-FR"));
	assert_false(board_lang_valid("fr_"));
	assert_false(board_lang_valid(""));
}

/* --- Keys ----------------------------------------------------------------- */

static void test_unknown_keys(void **state)
{
	(void)state;
	expect_only("tamis: 1\ntitle: x\ntitel: y\n", 3, 1,
		    "unknown key 'titel' (did you mean 'title'?)");
	expect_only("tamis: 1\ntitle: x\ndescripton: y\n", 3, 1,
		    "unknown key 'descripton' (did you mean 'description'?)");
	expect_only("tamis: 1\ntitle: x\nzzz: y\n", 3, 1, "unknown key 'zzz'");
	expect_only("tamis: 1\ntitle: x\nthemes:\n  - {id: a, label: A, color: red, colour: red}\n",
		    4, 35, "unknown key 'colour' (did you mean 'color'?)");
	expect_only(HEAD "cards:\n  - id: " ID1 "\n    txet: a\n    text: b\n    theme: sante\n",
		    23, 5, "card 6f1c2a8e: unknown key 'txet' (did you mean 'text'?)");
	expect_only("tamis: 1\ntitle: x\n[a]: 1\n", 3, 1, "keys must be plain strings, not a list");
}

static void test_missing_keys(void **state)
{
	(void)state;
	expect_only("tamis: 1\n", 1, 1, "missing key 'title'");
	expect_only("tamis: 1\ntitle: x\nthemes:\n  - id: a\n    color: red\n", 4, 5,
		    "missing key 'label' in theme");
	expect_only("tamis: 1\ntitle: x\nthemes:\n  - {id: a, label: A}\n", 4, 5,
		    "missing key 'color' in theme");
	expect_only("tamis: 1\ntitle: x\nthemes:\n  - {label: A, color: red}\n", 4, 5,
		    "missing key 'id' in theme");
	expect_only("tamis: 1\ntitle: x\ncriteria:\n  - {id: a, low: A, high: B}\n", 4, 5,
		    "missing key 'easy' in criterion (low or high: the pole easier to launch)");
	expect_only("tamis: 1\ntitle: x\ncriteria:\n  - {id: a, high: B, easy: low}\n", 4, 5,
		    "missing key 'low' in criterion (the name of the low pole)");
	expect_only(HEAD "  - {id: g2, y: autonomie}\n", 21, 5,
		    "missing key 'x' in grid (the criterion across)");
	expect_only(HEAD "cards:\n  - id: " ID1 "\n    theme: sante\n", 22, 5,
		    "card 6f1c2a8e: missing key 'text'");
	expect_only(HEAD "cards:\n  - id: " ID1 "\n    text: a\n", 22, 5,
		    "card 6f1c2a8e: missing key 'theme'");
	expect_only(HEAD "cards:\n  - text: a\n    theme: sante\n", 22, 5,
		    "card #1: missing key 'id' (a UUID, as made by uuidgen)");
}

static void test_duplicate_keys(void **state)
{
	(void)state;
	expect_only("tamis: 1\ntitle: x\ntitle: y\n", 3, 1, "duplicate key 'title' (first at line 2)");
	expect_only(HEAD "cards:\n  - id: " ID1 "\n    text: a\n    theme: sante\n    text: b\n",
		    25, 5, "card 6f1c2a8e: duplicate key 'text' (first at line 23)");
	expect_only(HEAD "cards:\n  - id: " ID1 "\n    text: a\n    theme: sante\n"
		    "    place:\n      autonomie-frequence: [1, 1]\n"
		    "      autonomie-frequence: [2, 2]\n",
		    27, 7, "card 6f1c2a8e: duplicate key 'autonomie-frequence' (first at line 26)");
}

/* --- Types and values --------------------------------------------------- */

static void test_wrong_types(void **state)
{
	(void)state;
	expect_only("tamis: 1\ntitle: x\nthemes: 3\n", 3, 9,
		    "'themes' must be a list, not a single value");
	expect_only("tamis: 1\ntitle: x\nthemes: {id: a}\n", 3, 9,
		    "'themes' must be a list, not a mapping");
	expect_only("tamis: 1\ntitle: [x]\n", 2, 8, "'title' must be a string, not a list");
	expect_only("tamis: 1\ntitle:\n", 2, 7, "'title' must be a string, not empty");
	expect_only("tamis: 1\ntitle: x\nthemes:\n  - mobilite\n", 4, 5,
		    "a theme must be a mapping with id, label and color");
	expect_only("tamis: 1\ntitle: x\ncriteria: [[a]]\n", 3, 12,
		    "a criterion must be a mapping with id, low, high and easy");
	expect_only(HEAD "  - {id: g2, x: autonomie, y: frequence, cells: \"2\"}\n", 21, 49,
		    "'cells' must be an integer from 2 to 9");
	expect_only(HEAD "  - {id: g2, x: autonomie, y: frequence, cells: 10}\n", 21, 49,
		    "'cells' must be an integer from 2 to 9");
	expect_only(HEAD "  - {id: g2, x: autonomie, y: frequence, cells: 1}\n", 21, 49,
		    "'cells' must be an integer from 2 to 9");
	expect_only(HEAD "  - {id: g2, x: autonomie, y: frequence, cells: two}\n", 21, 49,
		    "'cells' must be an integer from 2 to 9");
	expect_only("tamis: 1\ntitle: x\ncriteria:\n  - {id: a, low: A, high: B, easy: medium}\n",
		    4, 36, "'easy' must be low or high");
	expect_only("tamis: 1\ntitle: x\nthemes:\n  - {id: a, label: A, color: gren}\n", 4, 30,
		    "unknown color 'gren' (did you mean 'green'?)");
	expect_only("tamis: 1\ntitle: x\nthemes:\n  - {id: a, label: A, color: purple}\n", 4, 30,
		    "unknown color 'purple' (colors are black, red, green, yellow, blue, magenta, "
		    "cyan and white)");
	expect_only(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: sante, locked: yes}\n", 22, 79,
		    "card 6f1c2a8e: 'locked' must be true or false");
	expect_only(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: sante, locked: \"true\"}\n", 22, 79,
		    "card 6f1c2a8e: 'locked' must be true or false");
	expect_only(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: sante, decision: v3}\n", 22, 81,
		    "card 6f1c2a8e: 'decision' must be undecided, v1, v2 or elsewhere");
	expect_only(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: sante, created: hier}\n", 22, 80,
		    "card 6f1c2a8e: 'created' must be a date and time such as 2019-06-28T10:12:00Z");
	/* Four-digit years only, as tamis writes them back. */
	expect_only(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: sante, created: 0999-12-31}\n",
		    22, 80, "card 6f1c2a8e: 'created' must be a date and time such as "
		    "2019-06-28T10:12:00Z");
	expect_only(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: sante, "
		    "created: 1000-01-01T00:30:00+01:00}\n", 22, 80,
		    "card 6f1c2a8e: 'created' must be a date and time such as "
		    "2019-06-28T10:12:00Z");
	board_free(load_ok(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: sante, "
			   "created: 1000-01-01T00:30:00+00:30}\n"));
	board_free(load_ok(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: sante, "
			   "created: 9999-12-31T23:59:59Z}\n"));
	expect_only(HEAD "cards:\n  - {id: " ID1 ", text: [a], theme: sante}\n", 22, 54,
		    "card 6f1c2a8e: 'text' must be a string, not a list");
	expect_only(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: sante, place: [1, 2]}\n", 22, 78,
		    "card 6f1c2a8e: 'place' must be a mapping of grid ids to [x, y] cells, not a list");
	expect_only(HEAD "cards:\n  - - " ID1 "\n", 22, 5,
		    "card #1: must be a mapping with id, text and theme");
}

static void test_cells(void **state)
{
	(void)state;
	/* The grid of HEAD has 3 x 3 cells. */
	expect_only(HEAD "cards:\n  - id: " ID1 "\n    text: a\n    theme: sante\n"
		    "    place: {autonomie-frequence: [4, 1]}\n", 25, 35,
		    "card 6f1c2a8e: x on grid 'autonomie-frequence' must be an integer from 1 to 3");
	expect_only(HEAD "cards:\n  - id: " ID1 "\n    text: a\n    theme: sante\n"
		    "    place: {autonomie-frequence: [1, 0]}\n", 25, 38,
		    "card 6f1c2a8e: y on grid 'autonomie-frequence' must be an integer from 1 to 3");
	expect_only(HEAD "cards:\n  - id: " ID1 "\n    text: a\n    theme: sante\n"
		    "    place: {autonomie-frequence: [1, \"2\"]}\n", 25, 38,
		    "card 6f1c2a8e: y on grid 'autonomie-frequence' must be an integer from 1 to 3");
	expect_only(HEAD "cards:\n  - id: " ID1 "\n    text: a\n    theme: sante\n"
		    "    place: {autonomie-frequence: [1, 2, 3]}\n", 25, 34,
		    "card 6f1c2a8e: the cell on grid 'autonomie-frequence' must be [x, y] with x "
		    "and y from 1 to 3");
	expect_only(HEAD "cards:\n  - id: " ID1 "\n    text: a\n    theme: sante\n"
		    "    place: {autonomie-frequence: 1}\n", 25, 34,
		    "card 6f1c2a8e: the cell on grid 'autonomie-frequence' must be [x, y] with x "
		    "and y from 1 to 3");
}

/* --- Ids and references ------------------------------------------------- */

static void test_duplicate_ids(void **state)
{
	(void)state;
	expect_only("tamis: 1\ntitle: x\nthemes:\n  - {id: a, label: A, color: red}\n"
		    "  - {id: a, label: B, color: red}\n", 5, 10,
		    "duplicate theme id 'a' (first at line 4)");
	expect_only(HEAD "  - {id: autonomie-frequence, x: frequence, y: autonomie}\n", 21, 10,
		    "duplicate grid id 'autonomie-frequence' (first at line 20)");
	expect_only("tamis: 1\ntitle: x\ncriteria:\n  - {id: c, low: A, high: B, easy: low}\n"
		    "  - {id: c, low: A, high: B, easy: low}\n", 5, 10,
		    "duplicate criterion id 'c' (first at line 4)");
	/* Cards: checked while streaming, then from the tree (cards first). */
	expect_only(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: sante}\n"
		    "  - {id: " ID2 ", text: b, theme: sante}\n"
		    "  - {id: " ID1 ", text: c, theme: sante}\n", 24, 10,
		    "card 6f1c2a8e: duplicate id (first at line 22)");
	expect_only("cards:\n  - {id: " ID1 ", text: a, theme: t}\n"
		    "  - {id: 6F1C2A8E-5B3D-4C1E-9A7F-2D4E6B8C0A1F, text: c, theme: t}\n"
		    "tamis: 1\ntitle: x\nthemes: [{id: t, label: T, color: red}]\n", 3, 10,
		    "card 6f1c2a8e: duplicate id (first at line 2)");
	/* The first card being invalid does not hide the duplicate. */
	expect_problem(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: nope}\n"
		       "  - {id: " ID1 ", text: b, theme: sante}\n", 23, 10,
		       "card 6f1c2a8e: duplicate id (first at line 22)");
}

static void test_invalid_ids(void **state)
{
	(void)state;
	/* A card naming an invalid theme is not reported again. */
	expect_only("tamis: 1\ntitle: x\nthemes:\n  - {id: Mobilité, label: A, color: red}\n"
		    "cards:\n  - {id: " ID1 ", text: a, theme: Mobilité}\n", 4, 10,
		    "invalid theme id 'Mobilité' (ids are 1 to 64 letters, digits, '-', '_' or '.', "
		    "starting with a letter or digit)");
	expect_only(HEAD "  - {id: -g, x: autonomie, y: frequence}\n", 21, 10,
		    "invalid grid id '-g' (ids are 1 to 64 letters, digits, '-', '_' or '.', "
		    "starting with a letter or digit)");
	expect_only(HEAD "cards:\n  - {id: 6f1c2a8e, text: a, theme: sante}\n", 22, 10,
		    "card #1: invalid id '6f1c2a8e' (a card id is a UUID such as "
		    "6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f)");
	expect_problem(HEAD "cards:\n  - {text: a, theme: sante}\n"
		       "  - {id: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1g, "
		       "text: a, theme: sante}\n", 22, 5,
		       "card #1: missing key 'id' (a UUID, as made by uuidgen)");
	expect_problem(HEAD "cards:\n  - {text: a, theme: sante}\n"
		       "  - {id: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1g, "
		       "text: a, theme: sante}\n", 23, 10,
		       "card #2: invalid id '6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1g' (a card id is a "
		       "UUID such as 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f)");
	expect_only(HEAD "cards:\n  - {id: {a: b}, text: a, theme: sante}\n", 22, 10,
		    "card #1: 'id' must be a UUID, not a mapping");
}

static void test_references(void **state)
{
	(void)state;
	/* The example of the specification, to the letter. */
	expect_only(HEAD "cards:\n"
		    "  - id: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f\n"
		    "    text: Réception de colis\n"
		    "    theme: mobilty\n", 24, 12,
		    "card 6f1c2a8e: unknown theme 'mobilty' (did you mean 'mobilite'?)");
	expect_only(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: zzz}\n", 22, 64,
		    "card 6f1c2a8e: unknown theme 'zzz'");
	expect_only(HEAD "  - {id: g2, x: autonomy, y: frequence}\n", 21, 17,
		    "unknown criterion 'autonomy' (did you mean 'autonomie'?)");
	expect_only(HEAD "  - {id: g2, x: frequence, y: frequence}\n", 21, 31,
		    "a grid must cross two different criteria ('frequence' is on both axes)");
	expect_only(HEAD "cards:\n  - id: " ID1 "\n    text: a\n    theme: sante\n"
		    "    place:\n      autonomie-frequense: [1, 1]\n", 26, 7,
		    "card 6f1c2a8e: unknown grid 'autonomie-frequense' (did you mean "
		    "'autonomie-frequence'?)");
	/* A grid with a bad axis is not made; placements on it are not reported. */
	expect_only(HEAD "  - {id: g2, x: nope, y: frequence}\n"
		    "cards:\n  - {id: " ID1 ", text: a, theme: sante, place: {g2: [1, 1]}}\n",
		    21, 17, "unknown criterion 'nope'");
}

/* --- Bytes: UTF-8 and control characters -------------------------------- */

static void test_invalid_utf8_position(void **state)
{
	/* A bad byte at line 7, column 12 (columns count characters). */
	static const char yaml[] =
		"tamis: 1\n"
		"title: x\n"
		"themes:\n"
		"  - id: t\n"
		"    label: é\n"
		"    color: red\n"
		"# é à ô ü !\xff after\n";
	static const char two[] = "tamis: 1\ntitle: \xe2\x82\n  x: \xff\xfe\n";
	static const char bom[] = "\xEF\xBB\xBFtamis: 1\ntitle: \xc3";

	(void)state;
	expect_only(yaml, 7, 12, "invalid UTF-8 (byte 0xff)");
	/* Every bad spot, once per broken sequence. */
	expect_problem(two, 2, 8, "invalid UTF-8 (byte 0xe2)");
	expect_problem(two, 3, 6, "invalid UTF-8 (byte 0xff)");
	expect_problem(two, 3, 7, "invalid UTF-8 (byte 0xfe)");
	/* A sequence cut by the end of the file; the BOM is not a column. */
	expect_only(bom, 2, 8, "invalid UTF-8 (byte 0xc3)");
	expect_only("\xEF\xBB\xBFtamis: 1\xff\n", 1, 9, "invalid UTF-8 (byte 0xff)");
	expect_only("\xEF\xBB\xBFtamis: \x01\n", 1, 8, "control character U+0001 is not allowed");
	expect_only("\xEF\xBB\xBFtamis: 2\n", 1, 8,
		    "unsupported format version 2 (this tamis reads version 1)");
	/* Overlong and surrogate forms are invalid too. */
	expect_only("tamis: 1\ntitle: \xc0\xaf\n", 2, 8, "invalid UTF-8 (byte 0xc0)");
	expect_only("tamis: 1\ntitle: \xed\xa0\x80\n", 2, 8, "invalid UTF-8 (byte 0xed)");
}

static void test_raw_control_characters(void **state)
{
	static const char nul[] = "tamis: 1\ntitle: x\0y\n";

	(void)state;
	expect_only("tamis: 1\ntitle: \"a\x1b[31m\"\n", 2, 10,
		    "control character U+001B is not allowed");
	expect_only_len(nul, sizeof(nul) - 1, 2, 9, "control character U+0000 is not allowed");
	expect_only("tamis: 1\ntitle: x\x7f\n", 2, 9, "control character U+007F is not allowed");
	expect_only("tamis: 1\ntitle: é\xc2\205b\n", 2, 9,
		    "control character U+0085 is not allowed");
	expect_only("tamis: 1\ntitle: x\xe2\x80\xa8y\n", 2, 9,
		    "line separator U+2028 is not allowed (write it escaped, \"\\u2028\")");
	/* CR LF and lone CR end lines as for libyaml. */
	expect_only("tamis: 1\r\ntitle: x\rthemes: \x01\n", 3, 9,
		    "control character U+0001 is not allowed");
	/* Found by libyaml's reader, placed from its byte offset. */
	expect_only("tamis: 1\ntitle: ab\xef\xbf\xbe\n", 2, 10, "character U+FFFE is not allowed");
}

static void test_escaped_controls_refused(void **state)
{
	(void)state;
	expect_only("tamis: 1\ntitle: \"\\e[31m\"\n", 2, 8,
		    "'title' must not contain control characters (found U+001B)");
	expect_only("tamis: 1\ntitle: x\nthemes:\n  - {id: a, label: \"\\u202Eevil\", color: red}\n",
		    4, 20, "'label' must not contain control characters (found U+202E)");
	expect_only("tamis: 1\ntitle: x\ncriteria:\n  - {id: a, low: \"a\\tb\", high: B, easy: low}\n",
		    4, 18, "'low' must not contain control characters (found U+0009)");
	expect_only(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: sante, by: \"\\x9b\"}\n", 22, 75,
		    "card 6f1c2a8e: 'by' must not contain control characters (found U+009B)");
	/* NUL cannot be held by any string, free text included. */
	expect_only(HEAD "cards:\n  - {id: " ID1 ", text: \"a\\0b\", theme: sante}\n", 22, 54,
		    "card 6f1c2a8e: 'text' must not contain NUL characters");
}

/* --- Hostile files ------------------------------------------------------- */

static void test_aliases_refused(void **state)
{
	(void)state;
	expect_problem("tamis: 1\ntitle: &t x\ndescription: *t\n", 2, 8,
		       "aliases and anchors are not allowed");
	expect_problem("tamis: 1\ntitle: &t x\ndescription: *t\n", 3, 14,
		       "aliases and anchors are not allowed");
	expect_only("tamis: 1\ntitle: x\nthemes: &l []\n", 3, 9, "aliases and anchors are not allowed");
	/*
	 * Streamed cards: a problem found before the alias stays reported; the
	 * card holding it and those after are not checked (no placeholder noise).
	 */
	expect_problem(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: zzz}\n"
		       "  - {id: " ID2 ", text: *t, theme: sante}\n"
		       "  - {id: 00000000-0000-4000-8000-000000000000, text: b, theme: yyy}\n",
		       22, 64, "card 6f1c2a8e: unknown theme 'zzz'");
	expect_problem(HEAD "cards:\n  - {id: " ID1 ", text: a, theme: zzz}\n"
		       "  - {id: " ID2 ", text: *t, theme: sante}\n"
		       "  - {id: 00000000-0000-4000-8000-000000000000, text: b, theme: yyy}\n",
		       23, 54, "aliases and anchors are not allowed");
	{
		static const char yaml[] = HEAD "cards:\n  - {id: " ID1 ", text: a, theme: zzz}\n"
			"  - {id: " ID2 ", text: *t, theme: sante}\n"
			"  - {id: 00000000-0000-4000-8000-000000000000, text: b, theme: yyy}\n";
		struct store_errors e;
		struct board *b;

		assert_int_equal(parse_len(yaml, strlen(yaml), &b, &e), -1);
		assert_int_equal(e.n, 2);
		store_errors_release(&e);
	}
}

static void test_billion_laughs(void **state)
{
	static const char yaml[] =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	struct store_errors e;
	struct board *b;

	(void)state;
	assert_int_equal(parse_len(yaml, strlen(yaml), &b, &e), -1);
	assert_null(b);
	/* Each anchor and alias is a problem; nothing is expanded. */
	assert_int_equal(e.n, STORE_MAX_ERRORS);
	assert_int_equal(e.n + e.dropped, 9 + 8 * 9);
	assert_int_equal(e.v[0].line, 1);
	assert_int_equal(e.v[0].column, 4);
	assert_string_equal(e.v[0].message, "aliases and anchors are not allowed");
	store_errors_release(&e);
}

static void test_deep_nesting(void **state)
{
	size_t n = 100000, i;
	char *deep = malloc(n + 1);
	struct strbuf s = STRBUF_INIT;

	(void)state;
	assert_non_null(deep);
	memset(deep, '[', n);
	deep[n] = '\0';
	/* Stopped at the 17th level at once, not after the 20 s libyaml would take. */
	expect_only(deep, 1, 17, "nesting too deep (more than 16 levels)");
	memset(deep, '{', n);
	expect_only(deep, 1, 17, "nesting too deep (more than 16 levels)");
	free(deep);

	/* 16 levels are YAML we read (then refused as a board); 17 are not. */
	strbuf_addstr(&s, "tamis: 1\ntitle: x\ndescription: ");
	for (i = 0; i < 15; i++)
		strbuf_addch(&s, '[');
	for (i = 0; i < 15; i++)
		strbuf_addch(&s, ']');
	strbuf_addch(&s, '\n');
	expect_only(s.buf, 3, 14, "'description' must be a string, not a list");
	strbuf_reset(&s);
	strbuf_addstr(&s, "tamis: 1\ntitle: x\ndescription: ");
	for (i = 0; i < 16; i++)
		strbuf_addch(&s, '[');
	for (i = 0; i < 16; i++)
		strbuf_addch(&s, ']');
	strbuf_addch(&s, '\n');
	expect_only(s.buf, 3, 29, "nesting too deep (more than 16 levels)");
	strbuf_release(&s);
}

/* A board whose one card's note is n bytes of 'x'. */
static void board_with_note(struct strbuf *s, size_t n)
{
	strbuf_reset(s);
	strbuf_addstr(s, HEAD "cards:\n  - id: " ID1 "\n    text: a\n    theme: sante\n    note: ");
	strbuf_addchars(s, 'x', n);
	strbuf_addch(s, '\n');
}

static void test_scalar_size(void **state)
{
	struct strbuf s = STRBUF_INIT;
	struct board *b;

	(void)state;
	board_with_note(&s, STORE_MAX_SCALAR);
	b = load_ok_len(s.buf, s.len, __LINE__);
	assert_int_equal(strlen(b->cards[0]->note), STORE_MAX_SCALAR);
	board_free(b);
	board_with_note(&s, STORE_MAX_SCALAR + 1);
	expect_only_len(s.buf, s.len, 25, 11, "value too long (65537 bytes, the limit is 65536)");
	board_with_note(&s, 10u << 20);
	expect_only_len(s.buf, s.len, 25, 11, "value too long (10485760 bytes, the limit is 65536)");
	strbuf_release(&s);
}

static void test_tags(void **state)
{
	(void)state;
	expect_only("tamis: 1\ntitle: !foo x\n", 2, 8,
		    "tag '!foo' is not allowed (only !!str, !!int, !!bool, !!null, !!seq and !!map)");
	expect_only("tamis: 1\ntitle: !!binary eA==\n", 2, 8,
		    "tag '!!binary' is not allowed "
		    "(only !!str, !!int, !!bool, !!null, !!seq and !!map)");
	expect_only("tamis: !!float 1\ntitle: x\n", 1, 8,
		    "tag '!!float' is not allowed "
		    "(only !!str, !!int, !!bool, !!null, !!seq and !!map)");
	expect_only("tamis: 1\ntitle: x\ncards: !!set {}\n", 3, 8,
		    "tag '!!set' is not allowed (only !!str, !!int, !!bool, !!null, !!seq and !!map)");
	expect_only("tamis: 1\ntitle: x\nthemes: !!map []\n", 3, 9,
		    "tag '!!map' is not allowed (only !!str, !!int, !!bool, !!null, !!seq and !!map)");
	expect_only("tamis: 1\ntitle: ! x\n", 2, 8,
		    "tag '!' is not allowed (only !!str, !!int, !!bool, !!null, !!seq and !!map)");
}

static void test_documents_and_syntax(void **state)
{
	(void)state;
	expect_only("tamis: 1\ntitle: x\n---\ntamis: 1\n", 3, 1, "a board file holds one document");
	expect_only("tamis: 1\ntitle: x\n--- \n", 3, 1, "a board file holds one document");
	expect_only("tamis: 1\ntitle: x\n  bad: indent\n", 3, 6,
		    "syntax error: mapping values are not allowed in this context");
	expect_only("tamis: 1\ntitle: \"unclosed\n", 3, 1,
		    "syntax error: found unexpected end of stream (while scanning a quoted scalar "
		    "starting at line 2, column 8)");
	expect_only("tamis: 1\ntitle: [a, b\n", 3, 1,
		    "syntax error: did not find expected ',' or ']' (while parsing a flow sequence "
		    "starting at line 2, column 8)");
	/* The end of a file without a final line break is after its last character. */
	expect_only("\n  \"1e3\": [", 2, 11,
		    "syntax error: did not find expected node content (while parsing a flow node "
		    "starting at line 2, column 11)");
	expect_only("", 0, 0, "'board.yaml' holds no board (it is empty or only comments)");
	expect_only("# nothing\n\n", 0, 0,
		    "'board.yaml' holds no board (it is empty or only comments)");
	expect_only("- a\n- b\n", 1, 1, "a board must be a mapping of keys (tamis, title, themes, "
		    "criteria, grids, cards), not a list");
}

static void test_list_limits(void **state)
{
	struct strbuf s = STRBUF_INIT;
	int i;

	(void)state;
	strbuf_addstr(&s, HEAD);
	for (i = 0; i < (int)STORE_MAX_GRIDS; i++)
		strbuf_addf(&s, "  - {id: g%d, x: autonomie, y: frequence}\n", i);
	expect_only(s.buf, 20, 3, "too many grids (101, the limit is 100)");
	strbuf_release(&s);
}

/* --- Errors -------------------------------------------------------------- */

static void test_errors_sorted_capped_formatted(void **state)
{
	struct strbuf s = STRBUF_INIT, out = STRBUF_INIT;
	struct store_errors e;
	struct board *b;
	int i;

	(void)state;
	/* Cards first (checked from the tree), problems out of file order. */
	strbuf_addstr(&s, "cards:\n");
	for (i = 0; i < 25; i++)
		strbuf_addf(&s, "  - {id: %08x-0000-4000-8000-000000000000, text: t, "
			    "theme: nope}\n", i);
	strbuf_addstr(&s, "tamis: 1\ntitle: x\n\"a\\eb\": 1\n");
	assert_int_equal(parse_len(s.buf, s.len, &b, &e), -1);
	assert_int_equal(e.n, STORE_MAX_ERRORS);
	assert_int_equal(e.dropped, 6);
	for (i = 1; i < (int)e.n; i++)
		assert_true(e.v[i - 1].line < e.v[i].line ||
			    (e.v[i - 1].line == e.v[i].line && e.v[i - 1].column <= e.v[i].column));
	store_errors_format(&e, &out);
	assert_true(!strncmp(out.buf,
			     "board.yaml:2:64: card 00000000: unknown theme 'nope'\n"
			     "board.yaml:3:64: card 00000001: unknown theme 'nope'\n",
			     strlen("board.yaml:2:64: card 00000000: unknown theme 'nope'\n"
				    "board.yaml:3:64: card 00000001: unknown theme 'nope'\n")));
	assert_non_null(strstr(out.buf, "\nboard.yaml: 6 more problems\n"));
	store_errors_release(&e);

	/* Messages are made safe for a terminal: the ESC of a key is shown escaped. */
	strbuf_reset(&out);
	assert_int_equal(parse_len("tamis: 1\ntitle: x\n\"a\\eb\": 1\n", 28, &b, &e), -1);
	store_errors_format(&e, &out);
	assert_string_equal(out.buf, "board.yaml:3:1: unknown key 'a\\eb'\n");
	store_errors_release(&e);

	/* Without a file name, and without a location. */
	strbuf_reset(&out);
	store_errors_init(&e, NULL);
	store_errors_add(&e, 0, 0, "cannot open '%s': %s", "x", "gone");
	store_errors_add(&e, 2, 5, "bad");
	store_errors_format(&e, &out);
	assert_string_equal(out.buf, "cannot open 'x': gone\n2:5: bad\n");
	store_errors_release(&e);

	/* A message without location names the file itself: it is printed alone. */
	strbuf_reset(&out);
	store_errors_init(&e, "x.yaml");
	store_errors_add(&e, 0, 0, "cannot open '%s': %s", "x.yaml", "gone");
	store_errors_add(&e, 2, 5, "bad");
	store_errors_format(&e, &out);
	assert_string_equal(out.buf, "cannot open 'x.yaml': gone\nx.yaml:2:5: bad\n");
	store_errors_release(&e);
	strbuf_release(&out);
	strbuf_release(&s);
}

static void test_long_values_cut_in_messages(void **state)
{
	struct strbuf s = STRBUF_INIT, want = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&s, "tamis: 1\ntitle: x\n");
	strbuf_addchars(&s, 'k', 500);
	strbuf_addstr(&s, ": 1\n");
	strbuf_addstr(&want, "unknown key '");
	strbuf_addchars(&want, 'k', 60);
	strbuf_addstr(&want, "…'");
	expect_only(s.buf, 3, 1, want.buf);
	strbuf_release(&s);
	strbuf_release(&want);
}

/* --- Writing -------------------------------------------------------------- */

static void scalar_is(const char *s, const char *want)
{
	struct strbuf out = STRBUF_INIT;

	store_format_scalar(&out, s);
	if (strcmp(out.buf, want)) {
		print_message("scalar [%s]: got [%s], wanted [%s]\n", s, out.buf, want);
		strbuf_release(&out);
		fail();
	}
	strbuf_release(&out);
}

static void test_format_scalar(void **state)
{
	static const char *const plain[] = {
		"Réception de colis", "a:b", "a#b", "l’agent «Réservé»", "😀 漢字", "x - y",
		"http://example.org/a?b=c", "3 pommes", "1:20 du matin", "~x", "null-ish",
		"yess", "0x", "2019-06-28 au soir", "<<<", "a, b [c] {d}", "...", "back\\slash",
		"mid 'quote' and \"double\"", "a\\b\"c", "\\", "tab-free", "é", "0b", "_1", "E",
		"1-2", "12h30",
	};
	static const char *const quoted[][2] = {
		{ "", "\"\"" }, { "yes", "\"yes\"" }, { "No", "\"No\"" }, { "ON", "\"ON\"" },
		{ "y", "\"y\"" }, { "N", "\"N\"" }, { "off", "\"off\"" }, { "True", "\"True\"" },
		{ "FALSE", "\"FALSE\"" }, { "~", "\"~\"" }, { "null", "\"null\"" },
		{ "Null", "\"Null\"" }, { "NULL", "\"NULL\"" }, { "123", "\"123\"" },
		{ "+12", "\"+12\"" }, { "0x1F", "\"0x1F\"" }, { "0o17", "\"0o17\"" },
		{ "0b101", "\"0b101\"" }, { "017", "\"017\"" }, { "1:20", "\"1:20\"" },
		{ "190:20:30", "\"190:20:30\"" }, { "1.5", "\"1.5\"" }, { ".5", "\".5\"" },
		{ "1.", "\"1.\"" }, { "1e3", "\"1e3\"" }, { "1E+3", "\"1E+3\"" },
		{ "1_000.5", "\"1_000.5\"" }, { "1_", "\"1_\"" }, { ".inf", "\".inf\"" },
		{ "+.INF", "\"+.INF\"" },
		{ ".NaN", "\".NaN\"" }, { "2019-06-28", "\"2019-06-28\"" },
		{ "2019-6-8", "\"2019-6-8\"" },
		{ "2019-06-28T10:12:00Z", "\"2019-06-28T10:12:00Z\"" },
		{ "2019-06-28 10:12:00.5 +02:00", "\"2019-06-28 10:12:00.5 +02:00\"" },
		{ "<<", "\"<<\"" }, { "=", "\"=\"" },
		{ "- x", "\"- x\"" }, { "-x", "\"-x\"" }, { "---", "\"---\"" }, { "? x", "\"? x\"" },
		{ ":x", "\":x\"" }, { "a: b", "\"a: b\"" }, { "a:", "\"a:\"" }, { "a #b", "\"a #b\"" },
		{ "#x", "\"#x\"" }, { "[x]", "\"[x]\"" }, { "{x}", "\"{x}\"" }, { ",x", "\",x\"" },
		{ "&a", "\"&a\"" }, { "*a", "\"*a\"" }, { "!t", "\"!t\"" }, { "|", "\"|\"" },
		{ ">", "\">\"" }, { "%x", "\"%x\"" }, { "@x", "\"@x\"" }, { "`x", "\"`x\"" },
		{ "'s'", "\"'s'\"" }, { "\"q\"", "\"\\\"q\\\"\"" }, { "  lead", "\"  lead\"" },
		{ "trail ", "\"trail \"" }, { "a\\b: c", "\"a\\\\b: c\"" },
		{ "l1\nl2", "\"l1\\nl2\"" }, { "a\tb", "\"a\\tb\"" }, { "\r", "\"\\r\"" },
		{ "\x1b]0;title\a", "\"\\e]0;title\\a\"" }, { "\b\v\f", "\"\\b\\v\\f\"" },
		{ "\x01\x7f", "\"\\x01\\x7F\"" }, { "\xc2\x85\xc2\x9b", "\"\\x85\\x9B\"" },
		{ "\xe2\x80\256evil", "\"\\u202Eevil\"" }, { "\xe2\x81\xa6x", "\"\\u2066x\"" },
		{ "a\xe2\x80\250b\xe2\x80\xa9", "\"a\\u2028b\\u2029\"" },
		{ "\xef\xbb\277bom", "\"\\uFEFFbom\"" }, { "\xef\xbf\xbe", "\"\\uFFFE\"" },
		{ "😀: é", "\"😀: é\"" }, { "bad \xff byte", "\"bad \\uFFFD byte\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		scalar_is(plain[i], plain[i]);
	for (i = 0; i < sizeof(quoted) / sizeof(quoted[0]); i++)
		scalar_is(quoted[i][0], quoted[i][1]);
}

/* A small board with every kind of field, built through the model. */
static struct board *small_board(void)
{
	struct board *b = board_new("Comptoir des services");
	struct card *c;
	uuid_t id;

	board_set_description(b, "Atelier du 28 juin");
	assert_int_equal(board_add_theme(b, "mobilite", "Mobilité", HUE_GREEN), 0);
	assert_int_equal(board_add_theme(b, "123", "yes", HUE_MAGENTA), 1);
	assert_int_equal(board_add_criterion(b, "autonomie", "Autonomie de l’usager",
					     "Présence physique nécessaire", POLE_LOW), 0);
	assert_int_equal(board_add_criterion(b, "frequence", "Exceptionnel", "Fréquent",
					     POLE_HIGH), 1);
	assert_int_equal(board_add_grid(b, "autonomie-frequence", 0, 1, 2), 0);
	assert_int_equal(board_add_grid(b, "1.5", 1, 0, 9), 1);
	id_from(id, ID1);
	c = board_add_card(b, id, "Réception de colis sur le lieu de travail", 0);
	assert_non_null(c);
	card_set_by(c, "Binôme 3");
	assert_true(iso8601_parse("2019-06-28T10:12:00Z", &c->created));
	card_set_note(c, "ligne 1\nligne 2");
	c->decision = DECISION_V1;
	c->locked = true;
	assert_int_equal(board_place_card(b, c, 0, 1, 2), 0);
	assert_int_equal(board_place_card(b, c, 1, 9, 1), 0);
	id_from(id, ID2);
	c = board_add_card(b, id, "1:20", 1);
	assert_non_null(c);
	return b;
}

static void test_format_exact(void **state)
{
	static const char want[] =
		"tamis: 1\n"
		"title: Comptoir des services\n"
		"description: Atelier du 28 juin\n"
		"\n"
		"themes:\n"
		"  - id: mobilite\n"
		"    label: Mobilité\n"
		"    color: green\n"
		"  - id: \"123\"\n"
		"    label: \"yes\"\n"
		"    color: magenta\n"
		"\n"
		"criteria:\n"
		"  - id: autonomie\n"
		"    low: Autonomie de l’usager\n"
		"    high: Présence physique nécessaire\n"
		"    easy: low\n"
		"  - id: frequence\n"
		"    low: Exceptionnel\n"
		"    high: Fréquent\n"
		"    easy: high\n"
		"\n"
		"grids:\n"
		"  - id: autonomie-frequence\n"
		"    x: autonomie\n"
		"    y: frequence\n"
		"    cells: 2\n"
		"  - id: \"1.5\"\n"
		"    x: frequence\n"
		"    y: autonomie\n"
		"    cells: 9\n"
		"\n"
		"cards:\n"
		"  - id: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f\n"
		"    text: Réception de colis sur le lieu de travail\n"
		"    theme: mobilite\n"
		"    by: Binôme 3\n"
		"    created: 2019-06-28T10:12:00Z\n"
		"    note: \"ligne 1\\nligne 2\"\n"
		"    decision: v1\n"
		"    locked: true\n"
		"    place:\n"
		"      autonomie-frequence: [1, 2]\n"
		"      \"1.5\": [9, 1]\n"
		"  - id: 0b7e3c11-2f4a-4d8b-8c6e-1a2b3c4d5e6f\n"
		"    text: \"1:20\"\n"
		"    theme: \"123\"\n"
		"    decision: undecided\n";
	struct board *b = small_board(), *back;
	char *out = format_board(b), *again;

	(void)state;
	assert_string_equal(out, want);
	back = load_ok(out);
	assert_boards_equal(b, back);
	again = format_board(back);
	assert_string_equal(again, out);
	free(again);
	free(out);
	board_free(back);
	board_free(b);
}

static void test_format_empty_board(void **state)
{
	struct board *b = board_new("vide"), *back;
	char *out = format_board(b);

	(void)state;
	assert_string_equal(out, "tamis: 1\ntitle: vide\n\nthemes: []\n\ncriteria: []\n\n"
				 "grids: []\n\ncards: []\n");
	back = load_ok(out);
	assert_boards_equal(b, back);
	free(out);
	board_free(back);
	board_free(b);
}

/* Strings that a careless writer would change or break, for every field. */
static const char *const tricky[] = {
	"yes", "123", "1:20", "null", "- x", "a: b", "a #b", "#x", "  lead", "trail ",
	"\"q\"", "'s'", "emoji 😀", "漢字", "«Réservé» l’agent", "~", "No", "0o17", "1e3",
	".inf", "2019-06-28", "<<", "=", "...", "---", "a\\b", "[x]", "{y}", "x, y", "!t",
	"&a", "*a", "|", ">", "%p", "@x", "`x", "? x", ":x", "a:", "é: x", "😀", "",
	"\xef\xbb\277bom", "\xef\xbf\xbe",
};
/* Only for card text and notes: control characters and friends. */
static const char *const tricky_text[] = {
	"\x1b]0;title\a", "ligne 1\nligne 2", "tab\there", "\r\n", "\xe2\x80\256evil",
	"a\xe2\x80\250b", "\xc2\x85", "\x7f", " ", "\x01\x02\x1f",
};

#define NTRICKY (sizeof(tricky) / sizeof(tricky[0]))
#define NTRICKY_TEXT (sizeof(tricky_text) / sizeof(tricky_text[0]))

static struct board *tricky_board(void)
{
	static const char *const ids[] = { "123", "1.0", "yes", "null", "0x10", "1e3", "a-b_c.d" };
	struct board *b = board_new("yes");
	size_t i, n = 0;

	board_set_description(b, "\x1b[1m«description»\nsur deux lignes");
	for (i = 0; i < NTRICKY; i++) {
		char id[16];

		snprintf(id, sizeof(id), "t%zu", i);
		assert_true(board_add_theme(b, i < 7 ? ids[i] : id, tricky[i],
					    (enum hue)(i % HUE_COUNT)) >= 0);
	}
	assert_int_equal(board_add_criterion(b, "null", "1:20", "yes", POLE_HIGH), 0);
	assert_int_equal(board_add_criterion(b, "0x10", "- x", "«Présence»", POLE_LOW), 1);
	assert_int_equal(board_add_grid(b, "1e3", 0, 1, 5), 0);
	assert_int_equal(board_add_grid(b, "true", 1, 0, 2), 1);
	/* Facilitators and zone names are names: no control characters. */
	for (i = 0; i < NTRICKY; i++)
		board_add_facilitator(b, tricky[i]);
	for (i = 0; i < GRID_MAX_ZONES; i++)
		assert_int_equal(grid_add_zone(b, 0, tricky[i], (enum hue)(i % HUE_COUNT),
					       i % 4 == 0), (int)i);
	for (i = 0; i < 25; i += 2)
		assert_int_equal(grid_assign_cell(b, 0, (int)(i * 7 % GRID_MAX_ZONES),
						  (int)(i % 5) + 1, (int)(i / 5) + 1), 0);
	for (i = 0; i < NTRICKY + NTRICKY_TEXT; i++) {
		const char *s = i < NTRICKY ? tricky[i] : tricky_text[i - NTRICKY];
		struct card *c;
		uuid_t id;

		memset(id, 0, sizeof(id));
		id[0] = (unsigned char)i;
		id[15] = 0xab;
		c = board_add_card(b, id, s, i % b->nthemes);
		assert_non_null(c);
		if (i < NTRICKY)
			card_set_by(c, s);
		card_set_note(c, i % 3 ? s : NULL);
		c->created = i % 2 ? (time_t)1561716720 + (time_t)i : 0;
		c->decision = (enum decision)(i % DECISION_COUNT);
		c->locked = i % 5 == 0;
		c->debated_mark = i % 7 == 0;
		if (i % 2)
			card_set_pair(c, tricky[(i + 1) % NTRICKY]);
		/* History: who is a name (no controls); what was decided is free text. */
		card_record(c, EVENT_CREATED, c->created, i % 3 ? tricky[i % NTRICKY] : NULL);
		if (i % 4 == 1) {
			assert_int_equal(board_move_card(b, c, 0, 5, 3, 1561716720 + 60,
							 tricky[(i + 2) % NTRICKY]), RESULT_OK);
			enum decision to = (enum decision)((i + 1) % DECISION_COUNT);

			assert_int_equal(board_decide(b, c, to, 1561716720 + 120,
						      tricky[(i + 3) % NTRICKY],
						      i % 8 == 1 ? tricky_text[i % NTRICKY_TEXT]
								 : tricky[i % NTRICKY]), RESULT_OK);
			assert_int_equal(board_lock_card(b, c, !c->locked, 1561716720 + 180, NULL),
					 RESULT_OK);
			card_record(c, EVENT_EDITED, 1561716720 + 240, "");
		}
		assert_int_equal(board_move_card(b, c, 0, (int)(i % 5) + 1, (int)(i % 3) + 1,
						 1561716720 + 300, tricky[(i + 4) % NTRICKY]),
				 i % 4 == 1 && i % 5 == 4 && i % 3 == 2 ? RESULT_UNCHANGED : RESULT_OK);
		if (i % 2)
			assert_int_equal(board_place_card(b, c, 1, 2, 1), 0);
		n++;
	}
	assert_int_equal(b->ncards, n);
	return b;
}

static void test_round_trip_tricky(void **state)
{
	struct board *b = tricky_board(), *back;
	char *out = format_board(b), *again, *twice = format_board(b);

	(void)state;
	/* The same board gives the same bytes. */
	assert_string_equal(out, twice);
	/* UTF-8 as is, never \u escapes for printable characters. */
	assert_non_null(strstr(out, "emoji 😀"));
	assert_non_null(strstr(out, "«Réservé» l’agent"));
	assert_non_null(strstr(out, "漢字"));
	assert_null(strstr(out, "\\U"));
	assert_null(strstr(out, "\\u00"));
	assert_non_null(strstr(out, "    text: \"\\e]0;title\\a\"\n"));
	assert_non_null(strstr(out, "\n  - id: \"123\"\n    label: \"yes\"\n"));
	assert_non_null(strstr(out, "\n      \"1e3\": ["));
	assert_non_null(strstr(out, "\n      \"true\": [2, 1]\n"));
	/* Every byte of the output is printable or a newline. */
	for (again = out; *again; again++)
		assert_true((unsigned char)*again >= 0x20 || *again == '\n');

	back = load_ok(out);
	assert_boards_equal(b, back);
	again = format_board(back);
	assert_string_equal(again, out);
	free(again);
	free(twice);
	free(out);
	board_free(back);
	board_free(b);
}

static void test_format_cards(void **state)
{
	struct board *b = small_board();
	struct strbuf out = STRBUF_INIT;
	struct card *cards[2];

	(void)state;
	cards[0] = b->cards[1];
	cards[1] = b->cards[0];
	store_format_cards(b, cards, 2, &out);
	assert_string_equal(out.buf,
			    "cards:\n"
			    "  - id: 0b7e3c11-2f4a-4d8b-8c6e-1a2b3c4d5e6f\n"
			    "    text: \"1:20\"\n"
			    "    theme: \"123\"\n"
			    "    decision: undecided\n"
			    "  - id: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f\n"
			    "    text: Réception de colis sur le lieu de travail\n"
			    "    theme: mobilite\n"
			    "    by: Binôme 3\n"
			    "    created: 2019-06-28T10:12:00Z\n"
			    "    note: \"ligne 1\\nligne 2\"\n"
			    "    decision: v1\n"
			    "    locked: true\n"
			    "    place:\n"
			    "      autonomie-frequence: [1, 2]\n"
			    "      \"1.5\": [9, 1]\n");
	strbuf_reset(&out);
	store_format_cards(b, cards, 0, &out);
	assert_string_equal(out.buf, "cards: []\n");
	strbuf_release(&out);
	board_free(b);
}

static void test_big_board_streaming(void **state)
{
	/*
	 * 20 themes with labels near the scalar limit put the cards' arena mark
	 * near the end of a chunk, so cards with long notes cross into new
	 * chunks that are freed card by card.
	 */
	struct strbuf s = STRBUF_INIT;
	struct board *b, *back;
	char *out;
	int i;

	(void)state;
	strbuf_addstr(&s, "tamis: 1\ntitle: big\nthemes:\n");
	for (i = 0; i < 20; i++) {
		strbuf_addf(&s, "  - id: t%d\n    label: ", i);
		strbuf_addchars(&s, 'a' + i % 26, 50000);
		strbuf_addstr(&s, "\n    color: red\n");
	}
	strbuf_addstr(&s, "criteria:\n  - {id: a, low: A, high: B, easy: low}\n"
			  "  - {id: b, low: A, high: B, easy: high}\n"
			  "grids:\n  - {id: g, x: a, y: b, cells: 9}\n  - {id: h, x: b, y: a}\n"
			  "cards:\n");
	for (i = 0; i < 3000; i++) {
		strbuf_addf(&s, "  - id: %08x-1111-4111-8111-111111111111\n"
			    "    text: carte %d\n    theme: t%d\n"
			    "    place: {g: [%d, %d], h: ~}\n",
			    i, i, i % 20, i % 9 + 1, i / 9 % 9 + 1);
		if (i % 100 == 0) {
			strbuf_addstr(&s, "    note: ");
			strbuf_addchars(&s, 'n', 60000);
			strbuf_addch(&s, '\n');
		}
		if (i % 3 == 0)
			strbuf_addf(&s, "    history:\n"
				    "      - {at: 2019-06-28T10:00:00Z, by: Binôme %d, "
				    "event: created}\n"
				    "      - {at: 2019-06-28T10:05:00Z, by: Binôme %d, "
				    "event: moved, grid: g, from: tray, to: [%d, %d]}\n",
				    i % 7, i % 5, i % 9 + 1, i / 9 % 9 + 1);
	}
	b = load_ok_len(s.buf, s.len, __LINE__);
	assert_int_equal(b->ncards, 3000);
	assert_int_equal(b->cards[2997]->nhistory, 2);
	assert_int_equal(b->cards[2997]->history[1].to.x, 2997 % 9 + 1);
	assert_string_equal(b->cards[2997]->history[1].by, "Binôme 2");
	assert_int_equal(b->cards[2998]->nhistory, 0);
	assert_int_equal(b->cards[2999]->place[0].x, 2999 % 9 + 1);
	assert_int_equal(strlen(b->cards[2900]->note), 60000);
	out = format_board(b);
	back = load_ok(out);
	assert_boards_equal(b, back);
	free(out);
	board_free(back);
	board_free(b);
	strbuf_release(&s);
}

/* --- Facilitation: facilitators, zones, pairs, history, decisions ------- */

/* HEAD and a second grid, g2 (2 x 2 cells), whose zones start on line 25. */
#define ZONE_HEAD HEAD "  - id: g2\n    x: frequence\n    y: autonomie\n    zones:\n"
/* HEAD and a card whose next key is on line 25. */
#define CARD_HEAD HEAD "cards:\n  - id: " ID1 "\n    text: a\n    theme: sante\n"
/* HEAD, no card, and the decision log whose entries start on line 23. */
#define DECISION_HEAD HEAD "cards: []\ndecisions:\n"

/* What an edit, a note or a theme change replaced and left, read and written back. */
static void test_event_values(void **state)
{
	const char *yaml = CARD_HEAD "    history:\n"
		"      - {at: 2019-06-28T10:00:00Z, by: A, event: edited, from: \"b: c\", to: a}\n"
		"      - {at: 2019-06-28T10:01:00Z, event: noted, from: ~, to: \"~\"}\n"
		"      - {at: 2019-06-28T10:02:00Z, event: themed, from: mobilite, to: sante}\n"
		"      - {at: 2019-06-28T10:03:00Z, event: edited}\n";
	struct board *b = load_ok(yaml), *again;
	const struct card *c = b->cards[0];
	char *out;

	(void)state;
	assert_int_equal(c->nhistory, 4);
	assert_true(c->history[0].values);
	assert_string_equal(c->history[0].vfrom, "b: c");
	assert_string_equal(c->history[0].vto, "a");
	assert_null(c->history[1].vfrom);
	assert_string_equal(c->history[1].vto, "~");
	assert_string_equal(c->history[2].vto, "sante");
	assert_false(c->history[3].values);
	out = format_board(b);
	assert_non_null(strstr(out, "event: edited, from: \"b: c\", to: a}"));
	assert_non_null(strstr(out, "event: noted, from: ~, to: \"~\"}"));
	assert_non_null(strstr(out, "event: edited}"));
	again = load_ok(out);
	assert_boards_equal(b, again);
	free(out);
	board_free(again);
	board_free(b);
}

static void test_facilitators_errors(void **state)
{
	(void)state;
	expect_only("tamis: 1\ntitle: x\n" "facilitators: claire\n",
		    3, 15, "'facilitators' must be a list, not a single value");
	expect_only("tamis: 1\ntitle: x\n" "facilitators: [claire, [a]]\n",
		    3, 24, "a facilitator must be an account name, not a list");
	expect_only("tamis: 1\ntitle: x\n" "facilitators: [claire, ~]\n",
		    3, 24, "a facilitator must be an account name, not empty");
	expect_only("tamis: 1\ntitle: x\n" "facilitators: [\"a\\eb\"]\n",
		    3, 16, "'facilitators' must not contain control characters (found U+001B)");
	expect_only("tamis: 1\ntitle: x\n" "facilitators:\n" "  - claire\n" "  - marc\n"
		    "  - claire\n",
		    6, 5, "duplicate facilitator 'claire' (first at line 4)");
	expect_only("tamis: 1\ntitle: x\n" "facilitator: [a]\n",
		    3, 1, "unknown key 'facilitator' (did you mean 'facilitators'?)");

}

static void test_zones_errors(void **state)
{
	struct strbuf s = STRBUF_INIT;
	int i;

	(void)state;
	expect_only(HEAD "  - {id: g2, x: frequence, y: autonomie, zones: 3}\n",
		    21, 49, "'zones' must be a list, not a single value");
	expect_only(ZONE_HEAD "      - V1\n",
		    25, 9, "a zone must be a mapping with name, color and cells");
	expect_only(ZONE_HEAD "      - {color: red}\n",
		    25, 9, "missing key 'name' in zone");
	expect_only(ZONE_HEAD "      - {name: A}\n",
		    25, 9, "missing key 'color' in zone");
	expect_only(ZONE_HEAD "      - {name: A, color: gren}\n",
		    25, 26, "unknown color 'gren' (did you mean 'green'?)");
	expect_only(ZONE_HEAD "      - {name: A, color: red, easy: yes}\n",
		    25, 37, "'easy' must be true or false");
	expect_problem(ZONE_HEAD "      - {name: A, color: red, cells: [1, 2]}\n",
		    25, 39, "a cell of a zone must be [x, y] with x and y from 1 to 2");
	expect_only(ZONE_HEAD "      - {name: A, color: red, cells: [[1, 3]]}\n",
		    25, 43, "a cell of a zone must be [x, y] with x and y from 1 to 2");
	expect_only(ZONE_HEAD "      - {name: A, color: red, cells: [[1, 1, 1]]}\n",
		    25, 39, "a cell of a zone must be [x, y] with x and y from 1 to 2");
	expect_only(ZONE_HEAD "      - {name: A, color: red, cells: {x: 1}}\n",
		    25, 38, "'cells' must be a list of [x, y] cells, not a mapping");
	expect_only(ZONE_HEAD "      - {name: A, color: red, cells: [[1, 1], [2, 2]]}\n"
		    "      - {name: B, color: blue, cells: [[2, 1], [2, 2]]}\n",
		    26, 48, "cell [2, 2] is already in zone 'A' (line 25)");
	expect_only(ZONE_HEAD "      - {name: A, color: red, cells: [[1, 1], [1, 1]]}\n",
		    25, 47, "cell [1, 1] is already in zone 'A' (line 25)");
	expect_only(ZONE_HEAD "      - {name: A, color: red}\n" "      - name: A\n"
		    "        color: blue\n",
		    26, 15, "duplicate zone name 'A' (first at line 25)");
	expect_only(ZONE_HEAD "      - {name: A, color: red, colour: red}\n",
		    25, 31, "unknown key 'colour' (did you mean 'color'?)");
	expect_only(ZONE_HEAD "      - {name: \"a\\tb\", color: red}\n",
		    25, 16, "'name' must not contain control characters (found U+0009)");

	/* At most GRID_MAX_ZONES zones per grid. */
	strbuf_addstr(&s, ZONE_HEAD);
	for (i = 0; i < GRID_MAX_ZONES; i++)
		strbuf_addf(&s, "      - {name: z%d, color: red}\n", i);
	board_free(load_ok(s.buf));
	strbuf_addstr(&s, "      - {name: z, color: red}\n");
	expect_only(s.buf, 25, 7, "too many zones (17, the limit is 16)");
	strbuf_release(&s);
}

static void test_history_errors(void **state)
{
	struct strbuf s = STRBUF_INIT;
	int i;

	(void)state;
	expect_only(CARD_HEAD "    pair: \"\\e\"\n",
		    25, 11, "card 6f1c2a8e: 'pair' must not contain control characters (found "
		    "U+001B)");
	expect_only(CARD_HEAD "    paire: Binôme 1\n",
		    25, 5, "card 6f1c2a8e: unknown key 'paire' (did you mean 'pair'?)");
	expect_only(CARD_HEAD "    debated: yes\n",
		    25, 14, "card 6f1c2a8e: 'debated' must be true or false");
	expect_only(CARD_HEAD "    debate: true\n",
		    25, 5, "card 6f1c2a8e: unknown key 'debate' (did you mean 'debated'?)");
	expect_only(CARD_HEAD "    history: {a: 1}\n",
		    25, 14, "card 6f1c2a8e: 'history' must be a list, not a mapping");
	expect_only(CARD_HEAD "    history:\n" "      - moved\n",
		    26, 9, "card 6f1c2a8e: a history event must be a mapping with at and event");
	expect_only(CARD_HEAD "    history:\n" "      - {event: created}\n",
		    26, 9, "card 6f1c2a8e: missing key 'at' in history event");
	expect_only(CARD_HEAD "    history:\n" "      - {at: hier, event: created}\n",
		    26, 14, "card 6f1c2a8e: 'at' must be a date and time such as "
		    "2019-06-28T10:12:00Z");
	expect_only(CARD_HEAD "    history:\n" "      - {at: 2019-06-28}\n",
		    26, 9, "card 6f1c2a8e: missing key 'event' in history event");
	expect_only(CARD_HEAD "    history:\n" "      - {at: 2019-06-28, event: movd}\n",
		    26, 33, "card 6f1c2a8e: unknown event 'movd' (did you mean 'moved'?)");
	expect_only(CARD_HEAD "    history:\n" "      - {at: 2019-06-28, event: zzz}\n",
		    26, 33, "card 6f1c2a8e: unknown event 'zzz' (events are created, moved, "
		    "edited, themed, noted, decided, locked and unlocked)");
	expect_only(CARD_HEAD "    history:\n" "      - {at: 2019-06-28, event: [moved]}\n",
		    26, 33, "card 6f1c2a8e: 'event' must be an event name, not a list");
	expect_only(CARD_HEAD "    history:\n" "      - {at: 2019-06-28, event: created, bye: x}\n",
		    26, 42, "card 6f1c2a8e: unknown key 'bye' (did you mean 'by'?)");
	expect_only(CARD_HEAD "    history:\n"
		    "      - {at: 2019-06-28, by: \"\\x9b\", event: created}\n",
		    26, 30, "card 6f1c2a8e: 'by' must not contain control characters (found "
		    "U+009B)");
	expect_only(CARD_HEAD "    history:\n"
		    "      - {at: 2019-06-28, event: moved, from: tray, to: [1, 1]}\n",
		    26, 9, "card 6f1c2a8e: missing key 'grid' in a 'moved' event");
	expect_only(CARD_HEAD "    history:\n" "      - {at: 2019-06-28, event: moved, "
		    "grid: autonomie-frequense, from: tray, to: [1, 1]}\n",
		    26, 46, "card 6f1c2a8e: unknown grid 'autonomie-frequense' (did you mean "
		    "'autonomie-frequence'?)");
	expect_only(CARD_HEAD "    history:\n" "      - {at: 2019-06-28, event: moved, "
		    "grid: autonomie-frequence, from: [4, 1], to: [1, 1]}\n",
		    26, 74, "card 6f1c2a8e: 'from' on grid 'autonomie-frequence' must be [x, y] "
		    "with x and y from 1 to 3, or tray");
	expect_only(CARD_HEAD "    history:\n" "      - {at: 2019-06-28, event: moved, "
		    "grid: autonomie-frequence, from: tray, to: nowhere}\n",
		    26, 83, "card 6f1c2a8e: 'to' on grid 'autonomie-frequence' must be [x, y] "
		    "with x and y from 1 to 3, or tray");
	expect_only(CARD_HEAD "    history:\n" "      - {at: 2019-06-28, event: moved, "
		    "grid: autonomie-frequence, from: tray}\n",
		    26, 9, "card 6f1c2a8e: missing key 'to' in a 'moved' event ([x, y] or tray)");
	expect_only(CARD_HEAD "    history:\n"
		    "      - {at: 2019-06-28, event: created, grid: autonomie-frequence}\n",
		    26, 42, "card 6f1c2a8e: 'grid' is not used by a 'created' event");
	expect_only(CARD_HEAD "    history:\n" "      - {at: 2019-06-28, event: locked, to: v1}\n",
		    26, 41, "card 6f1c2a8e: 'to' is not used by a 'locked' event");
	expect_only(CARD_HEAD "    history:\n" "      - {at: 2019-06-28, event: edited, from: a}\n",
		    26, 41, "card 6f1c2a8e: 'edited' events need both 'from' and 'to', or neither");
	expect_only(CARD_HEAD "    history:\n"
		    "      - {at: 2019-06-28, event: noted, from: ~, to: [x]}\n",
		    26, 53, "card 6f1c2a8e: 'to' must be a string, not a list");
	expect_only(CARD_HEAD "    history:\n"
		    "      - {at: 2019-06-28, event: decided, from: maybe, to: v1}\n",
		    26, 48, "card 6f1c2a8e: 'from' must be undecided, v1, v2 or elsewhere");
	expect_only(CARD_HEAD "    history:\n"
		    "      - {at: 2019-06-28, event: decided, from: v1}\n",
		    26, 9, "card 6f1c2a8e: missing key 'to' in a 'decided' event (the decision "
		    "made)");
	expect_only(CARD_HEAD "    history:\n" "      - {at: 2019-06-28, event: decided, "
		    "grid: autonomie-frequence, from: v1, to: v2}\n",
		    26, 42, "card 6f1c2a8e: 'grid' is not used by a 'decided' event");

	/* Cards first, checked from the tree: the same problems at the same places. */
	expect_only("cards:\n  - id: " ID1 "\n    text: a\n    theme: sante\n    history:\n"
		    "      - {at: 2019-06-28, event: moved, grid: autonomie-frequense, "
		    "from: tray, to: [1, 1]}\n" HEAD, 6, 46,
		    "card 6f1c2a8e: unknown grid 'autonomie-frequense' (did you mean "
		    "'autonomie-frequence'?)");
	/* Events on a grid that could not be made are not reported again. */
	expect_only(HEAD "  - {id: g2, x: nope, y: frequence}\n"
		    "cards:\n  - id: " ID1 "\n    text: a\n    theme: sante\n    history:\n"
		    "      - {at: 2019-06-28, event: moved, grid: g2, from: tray, to: [1, 1]}\n",
		    21, 17, "unknown criterion 'nope'");

	/* At most CARD_HISTORY_MAX events per card. */
	strbuf_addstr(&s, CARD_HEAD "    history:\n");
	for (i = 0; i < CARD_HISTORY_MAX; i++)
		strbuf_addf(&s, "      - {at: 2019-06-28, event: %s}\n",
			    i % 2 ? "locked" : "unlocked");
	board_free(load_ok(s.buf));
	strbuf_addstr(&s, "      - {at: 2019-06-28, event: edited}\n");
	expect_only(s.buf, 26, 7, "card 6f1c2a8e: too many history events (65, the limit is 64)");
	strbuf_release(&s);
}

static void test_decisions_errors(void **state)
{
	struct board *b;

	(void)state;
	expect_only(HEAD "cards: []\n" "decisions: {a: 1}\n",
		    22, 12, "'decisions' must be a list, not a mapping");
	expect_only(DECISION_HEAD "  - v1\n",
		    23, 5, "a decision must be a mapping with at, card, text, from and to");
	expect_only(DECISION_HEAD "  - {card: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f, text: a, "
		    "from: undecided, to: v1}\n",
		    23, 5, "missing key 'at' in decision (when it was made)");
	expect_only(DECISION_HEAD "  - {at: 2019-06-28, text: a, from: undecided, to: v1}\n",
		    23, 5, "missing key 'card' in decision (the card's id)");
	expect_only(DECISION_HEAD
		    "  - {at: 2019-06-28, card: 6f1c2a8e, text: a, from: undecided, to: v1}\n",
		    23, 28, "invalid card id '6f1c2a8e' (a card id is a UUID such as "
		    "6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f)");
	expect_only(DECISION_HEAD
		    "  - {at: 2019-06-28, card: [1], text: a, from: undecided, to: v1}\n",
		    23, 28, "'card' must be a UUID, not a list");
	expect_only(DECISION_HEAD "  - {at: 2019-06-28, "
		    "card: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f, from: undecided, to: v1}\n",
		    23, 5, "missing key 'text' in decision (the card's text)");
	expect_only(DECISION_HEAD "  - {at: 2019-06-28, "
		    "card: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f, text: a, from: v3, to: v1}\n",
		    23, 81, "'from' must be undecided, v1, v2 or elsewhere");
	expect_only(DECISION_HEAD "  - {at: 2019-06-28, "
		    "card: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f, text: a, from: v1}\n",
		    23, 5, "missing key 'to' in decision (the decision made)");
	expect_only(DECISION_HEAD "  - {at: 2019-06-28, "
		    "card: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f, text: a, "
		    "from: v1, to: v2, rational: x}\n",
		    23, 93, "unknown key 'rational' (did you mean 'rationale'?)");
	expect_only(DECISION_HEAD "  - {at: 28/06/2019, "
		    "card: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f, text: a, from: v1, to: v2}\n",
		    23, 10, "'at' must be a date and time such as 2019-06-28T10:12:00Z");
	expect_only(DECISION_HEAD "  - {at: 2019-06-28, by: \"\\e\", "
		    "card: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f, text: a, from: v1, to: v2}\n",
		    23, 26, "'by' must not contain control characters (found U+001B)");

	/* Free text in text and rationale; the card may be gone from the board. */
	b = load_ok(DECISION_HEAD "  - {at: 2019-06-28, card: " ID1 ", text: \"a\\e[1m\", "
		    "from: v1, to: v2, rationale: \"\\u202E\"}\n");
	assert_int_equal(b->ndecisions, 1);
	assert_string_equal(b->decisions[0].text, "a\x1b[1m");
	assert_string_equal(b->decisions[0].rationale, "\xe2\x80\xae");
	assert_null(b->decisions[0].by);
	assert_int_equal(b->decisions[0].from, DECISION_V1);
	assert_int_equal(b->decisions[0].to, DECISION_V2);
	board_free(b);
}

/* The complete example of docs/FORMAT.md: what tamis writes for example_board(). */
static const char example_yaml[] =
	"tamis: 1\n"
	"title: Comptoir des services\n"
	"description: Atelier du 28 juin 2019\n"
	"\n"
	"facilitators:\n"
	"  - claire\n"
	"\n"
	"themes:\n"
	"  - id: mobilite\n"
	"    label: Mobilité\n"
	"    color: green\n"
	"  - id: conciergerie\n"
	"    label: Vie quotidienne & conciergerie\n"
	"    color: yellow\n"
	"\n"
	"criteria:\n"
	"  - id: autonomie\n"
	"    low: Autonomie de l’usager\n"
	"    high: Présence physique nécessaire\n"
	"    easy: low\n"
	"  - id: frequence\n"
	"    low: Exceptionnel\n"
	"    high: Fréquent\n"
	"    easy: high\n"
	"\n"
	"grids:\n"
	"  - id: autonomie-frequence\n"
	"    x: autonomie\n"
	"    y: frequence\n"
	"    cells: 2\n"
	"    zones:\n"
	"      - name: V1 — tout de suite\n"
	"        color: green\n"
	"        easy: true\n"
	"        cells: [[1, 2]]\n"
	"      - name: V2 — plus tard\n"
	"        color: blue\n"
	"        cells: [[2, 1], [2, 2]]\n"
	"\n"
	"cards:\n"
	"  - id: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f\n"
	"    text: Réception de colis sur le lieu de travail\n"
	"    theme: conciergerie\n"
	"    by: Binôme 3\n"
	"    pair: Binôme 3\n"
	"    created: 2019-06-28T10:12:00Z\n"
	"    note: \"Retenu pour la V1 — un local existe déjà.\\nÀ voir avec les services "
	"généraux.\"\n"
	"    decision: v1\n"
	"    locked: true\n"
	"    place:\n"
	"      autonomie-frequence: [1, 2]\n"
	"    history:\n"
	"      - {at: 2019-06-28T10:12:00Z, by: Binôme 3, event: created}\n"
	"      - {at: 2019-06-28T10:15:00Z, by: Binôme 3, event: moved, "
	"grid: autonomie-frequence, from: tray, to: [2, 2]}\n"
	"      - {at: 2019-06-28T10:40:00Z, by: Binôme 1, event: moved, "
	"grid: autonomie-frequence, from: [2, 2], to: [1, 2]}\n"
	"      - {at: 2019-06-28T11:02:00Z, by: claire, event: decided, from: undecided, "
	"to: v1}\n"
	"      - {at: 2019-06-28T11:02:30Z, by: claire, event: locked}\n"
	"  - id: 0b7e3c11-2f4a-4d8b-8c6e-1a2b3c4d5e6f\n"
	"    text: Atelier de réparation de vélos 🚲\n"
	"    theme: mobilite\n"
	"    pair: Binôme 1\n"
	"    decision: undecided\n"
	"    debated: true\n"
	"\n"
	"decisions:\n"
	"  - at: 2019-06-28T11:02:00Z\n"
	"    by: claire\n"
	"    card: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f\n"
	"    text: Réception de colis sur le lieu de travail\n"
	"    from: undecided\n"
	"    to: v1\n"
	"    rationale: Un local existe déjà\n";

static time_t at(const char *iso)
{
	time_t t;

	assert_true(iso8601_parse(iso, &t));
	return t;
}

/* The board of example_yaml, made through the model as a workshop would make it. */
static struct board *example_board(void)
{
	struct board *b = board_new("Comptoir des services");
	struct card *c;
	uuid_t id;
	int z;

	board_set_description(b, "Atelier du 28 juin 2019");
	board_add_facilitator(b, "claire");
	assert_int_equal(board_add_theme(b, "mobilite", "Mobilité", HUE_GREEN), 0);
	assert_int_equal(board_add_theme(b, "conciergerie", "Vie quotidienne & conciergerie",
					 HUE_YELLOW), 1);
	assert_int_equal(board_add_criterion(b, "autonomie", "Autonomie de l’usager",
					     "Présence physique nécessaire", POLE_LOW), 0);
	assert_int_equal(board_add_criterion(b, "frequence", "Exceptionnel", "Fréquent",
					     POLE_HIGH), 1);
	assert_int_equal(board_add_grid(b, "autonomie-frequence", 0, 1, 2), 0);
	z = grid_add_zone(b, 0, "V1 — tout de suite", HUE_GREEN, true);
	assert_int_equal(grid_assign_cell(b, 0, z, 1, 2), 0);
	z = grid_add_zone(b, 0, "V2 — plus tard", HUE_BLUE, false);
	assert_int_equal(grid_assign_cell(b, 0, z, 2, 2), 0);
	assert_int_equal(grid_assign_cell(b, 0, z, 2, 1), 0);

	id_from(id, ID1);
	c = board_add_card(b, id, "Réception de colis sur le lieu de travail", 1);
	assert_non_null(c);
	card_set_by(c, "Binôme 3");
	card_set_pair(c, "Binôme 3");
	c->created = at("2019-06-28T10:12:00Z");
	card_set_note(c, "Retenu pour la V1 — un local existe déjà.\n"
		      "À voir avec les services généraux.");
	card_record(c, EVENT_CREATED, c->created, "Binôme 3");
	assert_int_equal(board_move_card(b, c, 0, 2, 2, at("2019-06-28T10:15:00Z"), "Binôme 3"),
			 RESULT_OK);
	assert_int_equal(board_move_card(b, c, 0, 1, 2, at("2019-06-28T10:40:00Z"), "Binôme 1"),
			 RESULT_OK);
	assert_int_equal(board_decide(b, c, DECISION_V1, at("2019-06-28T11:02:00Z"), "claire",
				      "Un local existe déjà"), RESULT_OK);
	assert_int_equal(board_lock_card(b, c, true, at("2019-06-28T11:02:30Z"), "claire"), RESULT_OK);

	id_from(id, ID2);
	c = board_add_card(b, id, "Atelier de réparation de vélos 🚲", 0);
	assert_non_null(c);
	card_set_pair(c, "Binôme 1");
	c->debated_mark = true;
	return b;
}

static void test_parse_facilitation_example(void **state)
{
	struct board *b = load_ok(example_yaml);
	const struct grid *g;
	const struct card *c;
	uuid_t id;

	(void)state;
	assert_int_equal(b->nfacilitators, 1);
	assert_string_equal(b->facilitators[0], "claire");
	g = &b->grids[0];
	assert_int_equal(g->nzones, 2);
	assert_string_equal(g->zones[0].name, "V1 — tout de suite");
	assert_int_equal(g->zones[0].color, HUE_GREEN);
	assert_true(g->zones[0].easy);
	assert_true(zone_has_cell(&g->zones[0], 1, 2));
	assert_false(zone_has_cell(&g->zones[0], 2, 2));
	assert_false(g->zones[1].easy);
	assert_int_equal(grid_zone_at(g, 2, 1), 1);
	assert_int_equal(grid_zone_at(g, 2, 2), 1);
	assert_int_equal(grid_zone_at(g, 1, 1), -1);
	assert_true(grid_cell_is_easy(b, g, 1, 2));
	assert_false(grid_cell_is_easy(b, g, 1, 1));

	c = b->cards[0];
	assert_string_equal(c->pair, "Binôme 3");
	assert_false(c->debated_mark);
	assert_int_equal(c->nhistory, 5);
	assert_int_equal(c->history[0].kind, EVENT_CREATED);
	assert_int_equal(c->history[0].at, at("2019-06-28T10:12:00Z"));
	assert_int_equal(c->history[1].kind, EVENT_MOVED);
	assert_int_equal(c->history[1].grid, 0);
	assert_int_equal(c->history[1].from.x, 0);
	assert_int_equal(c->history[1].from.y, 0);
	assert_int_equal(c->history[1].to.x, 2);
	assert_int_equal(c->history[1].to.y, 2);
	assert_string_equal(c->history[2].by, "Binôme 1");
	assert_int_equal(c->history[2].from.x, 2);
	assert_int_equal(c->history[2].to.x, 1);
	assert_int_equal(c->history[3].kind, EVENT_DECIDED);
	assert_int_equal(c->history[3].dfrom, DECISION_UNDECIDED);
	assert_int_equal(c->history[3].dto, DECISION_V1);
	assert_int_equal(c->history[4].kind, EVENT_LOCKED);
	assert_string_equal(c->history[4].by, "claire");
	c = b->cards[1];
	assert_true(c->debated_mark);
	assert_true(card_is_debated(b, c));
	assert_int_equal(c->nhistory, 0);

	assert_int_equal(b->ndecisions, 1);
	id_from(id, ID1);
	assert_memory_equal(b->decisions[0].card, id, sizeof(uuid_t));
	assert_string_equal(b->decisions[0].by, "claire");
	assert_string_equal(b->decisions[0].text, "Réception de colis sur le lieu de travail");
	assert_int_equal(b->decisions[0].from, DECISION_UNDECIDED);
	assert_int_equal(b->decisions[0].to, DECISION_V1);
	assert_string_equal(b->decisions[0].rationale, "Un local existe déjà");
	board_free(b);
}

static void test_format_facilitation_exact(void **state)
{
	struct board *b = example_board(), *back;
	char *out = format_board(b), *again;

	(void)state;
	assert_string_equal(out, example_yaml);
	back = load_ok(out);
	assert_boards_equal(b, back);
	again = format_board(back);
	assert_string_equal(again, out);
	free(again);
	free(out);
	board_free(back);
	board_free(b);
}

static void test_facilitation_any_order(void **state)
{
	/*
	 * Decisions and facilitators first, cards before the grids (checked from
	 * the tree), keys in any order, flow style, unsorted cells, an offset in
	 * a time: the same board as the example, written back the same.
	 */
	static const char yaml[] =
		"decisions: [{rationale: Un local existe déjà, to: v1, from: undecided,\n"
		"             text: Réception de colis sur le lieu de travail,\n"
		"             card: " ID1 ", by: claire, at: 2019-06-28T13:02:00+02:00}]\n"
		"cards:\n"
		"  - history:\n"
		"      - at: 2019-06-28T10:12:00Z\n"
		"        event: created\n"
		"        by: Binôme 3\n"
		"      - {to: [2, 2], from: tray, grid: autonomie-frequence, event: moved,\n"
		"         by: Binôme 3, at: 2019-06-28T10:15:00Z}\n"
		"      - {at: 2019-06-28T10:40:00Z, by: Binôme 1, event: moved,\n"
		"         grid: autonomie-frequence, from: [2, 2], to: [1, 2]}\n"
		"      - {at: 2019-06-28T11:02:00Z, by: claire, event: decided, from: undecided,\n"
		"         to: v1, grid: ~}\n"
		"      - {at: 2019-06-28T11:02:30Z, by: claire, event: locked}\n"
		"    id: " ID1 "\n"
		"    text: Réception de colis sur le lieu de travail\n"
		"    place: {autonomie-frequence: [1, 2]}\n"
		"    theme: conciergerie\n"
		"    pair: Binôme 3\n"
		"    by: Binôme 3\n"
		"    created: 2019-06-28T10:12:00Z\n"
		"    note: \"Retenu pour la V1 — un local existe déjà.\\nÀ voir avec les services "
		"généraux.\"\n"
		"    decision: v1\n"
		"    locked: true\n"
		"  - {id: " ID2 ", text: Atelier de réparation de vélos 🚲, theme: mobilite,\n"
		"     debated: true, pair: Binôme 1, locked: false}\n"
		"grids:\n"
		"  - id: autonomie-frequence\n"
		"    zones:\n"
		"      - {cells: [[1, 2]], name: V1 — tout de suite, easy: true, color: green}\n"
		"      - {cells: [[2, 2], [2, 1]], color: blue, name: V2 — plus tard,\n"
		"         easy: false}\n"
		"    x: autonomie\n"
		"    y: frequence\n"
		"criteria:\n"
		"  - {id: autonomie, low: Autonomie de l’usager,\n"
		"     high: Présence physique nécessaire, easy: low}\n"
		"  - {id: frequence, low: Exceptionnel, high: Fréquent, easy: high}\n"
		"themes:\n"
		"  - {id: mobilite, label: Mobilité, color: green}\n"
		"  - {id: conciergerie, label: Vie quotidienne & conciergerie, color: yellow}\n"
		"facilitators: [claire]\n"
		"description: Atelier du 28 juin 2019\n"
		"title: Comptoir des services\n"
		"tamis: 1\n";
	struct board *b = load_ok(yaml), *want = example_board();
	char *out;

	(void)state;
	assert_boards_equal(want, b);
	out = format_board(b);
	assert_string_equal(out, example_yaml);
	free(out);
	board_free(b);
	board_free(want);
}

static void test_history_after_resize(void **state)
{
	/*
	 * A move recorded on a 9 x 9 grid made 2 x 2 later (board_resize_grid()
	 * leaves history as it was): the file written still loads.
	 */
	struct board *b = small_board(), *back;
	char *out;

	(void)state;
	assert_int_equal(board_move_card(b, b->cards[1], 1, 9, 9, 1000, "x"), RESULT_OK);
	assert_int_equal(board_resize_grid(b, 1, 2), 0);
	out = format_board(b);
	back = load_ok(out);
	assert_int_equal(back->cards[1]->place[1].x, 2);
	assert_int_equal(back->cards[1]->nhistory, 1);
	assert_true(back->cards[1]->history[0].to.x <= 2);
	free(out);
	board_free(back);
	board_free(b);
}

/* --- Files ----------------------------------------------------------------- */

static char *tmpdir_make(void)
{
	char tmpl[] = "/tmp/tamis-store.XXXXXX";
	char *d = mkdtemp(tmpl);

	assert_non_null(d);
	return strdup(d);
}

static void tmpdir_remove(char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

static void test_save_and_load(void **state)
{
	char *dir = tmpdir_make(), path[256];
	struct board *b = tricky_board(), *back = NULL;
	struct strbuf err = STRBUF_INIT, data = STRBUF_INIT;
	struct store_errors e;
	char *want = format_board(b);
	FILE *f;
	char buf[4096];
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/board.yaml", dir);
	assert_int_equal(store_save(path, b, &err), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&data, buf, n);
	fclose(f);
	assert_string_equal(data.buf, want);

	store_errors_init(&e, path);
	assert_int_equal(store_load(path, &back, &e), 0);
	assert_int_equal(e.n, 0);
	assert_boards_equal(b, back);
	store_errors_release(&e);

	/* A save that cannot be made leaves a reason. */
	snprintf(path, sizeof(path), "%s/no/such/dir/board.yaml", dir);
	assert_int_equal(store_save(path, b, &err), -1);
	assert_true(err.len > 0);

	strbuf_release(&err);
	strbuf_release(&data);
	free(want);
	board_free(back);
	board_free(b);
	tmpdir_remove(dir);
}

static void test_load_failures(void **state)
{
	char *dir = tmpdir_make(), path[256], want[320];
	struct strbuf out = STRBUF_INIT;
	struct store_errors e;
	struct board *b = NULL;
	int fd;

	(void)state;
	/* Missing: -2, one problem without location, errno kept. */
	snprintf(path, sizeof(path), "%s/missing.yaml", dir);
	store_errors_init(&e, path);
	errno = 0;
	assert_int_equal(store_load(path, &b, &e), -2);
	assert_int_equal(errno, ENOENT);
	assert_null(b);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.v[0].line, 0);
	snprintf(want, sizeof(want), "cannot open '%s': %s", path, strerror(ENOENT));
	assert_string_equal(e.v[0].message, want);
	/* Printed once, not after the file's name again. */
	store_errors_format(&e, &out);
	assert_string_equal(out.buf, strcat(want, "\n"));
	strbuf_release(&out);
	store_errors_release(&e);

	/* A directory. */
	store_errors_init(&e, dir);
	assert_int_equal(store_load(dir, &b, &e), -2);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(e.n, 1);
	assert_null(b);
	store_errors_release(&e);

	/* A FIFO is not opened for a blocking read. */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	store_errors_init(&e, path);
	assert_int_equal(store_load(path, &b, &e), -2);
	assert_int_equal(e.n, 1);
	store_errors_release(&e);

	/* Larger than STORE_MAX_FILE_SIZE (a sparse file: no disk used). */
	snprintf(path, sizeof(path), "%s/huge.yaml", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)STORE_MAX_FILE_SIZE + 1), 0);
	close(fd);
	store_errors_init(&e, path);
	assert_int_equal(store_load(path, &b, &e), -2);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(e.n, 1);
	store_errors_release(&e);

	/* An invalid board is -1, with its problems. */
	snprintf(path, sizeof(path), "%s/bad.yaml", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "tamis: 1\ntitel: x\n", 18), 18);
	close(fd);
	store_errors_init(&e, path);
	assert_int_equal(store_load(path, &b, &e), -1);
	assert_int_equal(e.n, 2);
	assert_null(b);
	store_errors_release(&e);

	tmpdir_remove(dir);
}

/* --- Other YAML readers ------------------------------------------------- */

static void hex(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		strbuf_addf(out, "%02x", (unsigned char)*s);
}

/*
 * Python's yaml (PyYAML, YAML 1.1) must read our output as the same strings:
 * it prints every string of the board in hex, and we compare.
 */
static void test_python_reads_our_output(void **state)
{
	static const char script[] =
		"import sys, yaml\n"
		"d = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))\n"
		"h = lambda s: s.encode('utf-8').hex()\n"
		"t = lambda v: v.strftime('%Y-%m-%dT%H:%M:%SZ')\n"
		"w = lambda v: '-' if v is None else '%d,%d' % tuple(v) if type(v) is list else v\n"
		"print(h(d['title']), h(d['description']))\n"
		"print(' '.join(h(f) for f in d['facilitators']))\n"
		"for t_ in d['themes']: print(h(t_['id']), h(t_['label']), t_['color'])\n"
		"for c in d['criteria']: print(h(c['id']), h(c['low']), h(c['high']), c['easy'])\n"
		"for g in d['grids']:\n"
		"    print(h(g['id']), h(g['x']), h(g['y']), g['cells'])\n"
		"    for z in g.get('zones', []):\n"
		"        print(' ', h(z['name']), z['color'], z.get('easy', False),\n"
		"              ' '.join('%d,%d' % (x, y) for x, y in z['cells']))\n"
		"for c in d['cards']:\n"
		"    p = c.get('place', {})\n"
		"    print(c['id'], h(c['text']), h(c['theme']), h(c.get('by') or '-'),\n"
		"          h(c.get('note') or '-'), c['decision'], c.get('locked', False),\n"
		"          ' '.join('%s=%d,%d' % (h(k), v[0], v[1]) for k, v in p.items()))\n"
		"    print(' ', h(c.get('pair') or '-'), c.get('debated', False))\n"
		"    for e in c.get('history', []):\n"
		"        print(' ', t(e['at']), h(e.get('by') or '-'), e['event'],\n"
		"              h(e.get('grid', '-')), w(e.get('from')), w(e.get('to')))\n"
		"for e in d['decisions']:\n"
		"    print(t(e['at']), h(e.get('by') or '-'), e['card'], h(e['text']), e['from'],\n"
		"          e['to'], h(e.get('rationale') or '-'))\n";
	char *dir, path[256], spath[256], cmd[700];
	struct board *b;
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT, err = STRBUF_INIT;
	FILE *f;
	size_t i, g, n;
	char buf[4096];
	int status;

	(void)state;
	if (system("python3 -c 'import yaml' >/dev/null 2>&1") != 0) {
		print_message("python3 with yaml is not installed: skipped\n");
		skip();
	}
	dir = tmpdir_make();
	b = tricky_board();
	snprintf(path, sizeof(path), "%s/tricky.yaml", dir);
	snprintf(spath, sizeof(spath), "%s/read.py", dir);
	assert_int_equal(store_save(path, b, &err), 0);
	f = fopen(spath, "w");
	assert_non_null(f);
	fputs(script, f);
	fclose(f);

	hex(&want, b->title);
	strbuf_addch(&want, ' ');
	hex(&want, b->description);
	strbuf_addch(&want, '\n');
	for (i = 0; i < b->nfacilitators; i++) {
		if (i)
			strbuf_addch(&want, ' ');
		hex(&want, b->facilitators[i]);
	}
	strbuf_addch(&want, '\n');
	for (i = 0; i < b->nthemes; i++) {
		hex(&want, b->themes[i].id);
		strbuf_addch(&want, ' ');
		hex(&want, b->themes[i].label);
		strbuf_addf(&want, " %s\n", hue_name(b->themes[i].color));
	}
	for (i = 0; i < b->ncriteria; i++) {
		hex(&want, b->criteria[i].id);
		strbuf_addch(&want, ' ');
		hex(&want, b->criteria[i].low);
		strbuf_addch(&want, ' ');
		hex(&want, b->criteria[i].high);
		strbuf_addf(&want, " %s\n", pole_name(b->criteria[i].easy));
	}
	for (i = 0; i < b->ngrids; i++) {
		hex(&want, b->grids[i].id);
		strbuf_addch(&want, ' ');
		hex(&want, b->criteria[b->grids[i].x].id);
		strbuf_addch(&want, ' ');
		hex(&want, b->criteria[b->grids[i].y].id);
		strbuf_addf(&want, " %d\n", b->grids[i].cells);
		for (g = 0; g < b->grids[i].nzones; g++) {
			const struct zone *z = &b->grids[i].zones[g];
			int x, y;
			bool first = true;

			strbuf_addstr(&want, "  ");
			hex(&want, z->name);
			strbuf_addf(&want, " %s %s ", hue_name(z->color),
				    z->easy ? "True" : "False");
			for (y = 1; y <= b->grids[i].cells; y++) {
				for (x = 1; x <= b->grids[i].cells; x++) {
					if (!zone_has_cell(z, x, y))
						continue;
					strbuf_addf(&want, "%s%d,%d", first ? "" : " ", x, y);
					first = false;
				}
			}
			strbuf_addch(&want, '\n');
		}
	}
	for (i = 0; i < b->ncards; i++) {
		const struct card *c = b->cards[i];
		char id[CARD_UUID_LEN + 1];
		bool first = true;

		card_uuid(c, id);
		strbuf_addf(&want, "%s ", id);
		hex(&want, c->text);
		strbuf_addch(&want, ' ');
		hex(&want, b->themes[c->theme].id);
		strbuf_addch(&want, ' ');
		hex(&want, c->by && *c->by ? c->by : "-");
		strbuf_addch(&want, ' ');
		hex(&want, c->note && *c->note ? c->note : "-");
		strbuf_addf(&want, " %s %s ", decision_name(c->decision),
			    c->locked ? "True" : "False");
		for (g = 0; g < b->ngrids; g++) {
			if (!card_is_placed(c, g))
				continue;
			if (!first)
				strbuf_addch(&want, ' ');
			first = false;
			hex(&want, b->grids[g].id);
			strbuf_addf(&want, "=%d,%d", c->place[g].x, c->place[g].y);
		}
		strbuf_addstr(&want, "\n  ");
		hex(&want, c->pair && *c->pair ? c->pair : "-");
		strbuf_addf(&want, " %s\n", c->debated_mark ? "True" : "False");
		for (g = 0; g < c->nhistory; g++) {
			const struct card_event *e = &c->history[g];
			char when[ISO8601_LEN + 1];

			iso8601_format(e->at, when);
			strbuf_addf(&want, "  %s ", when);
			hex(&want, e->by && *e->by ? e->by : "-");
			strbuf_addf(&want, " %s ", event_name(e->kind));
			if (e->kind == EVENT_MOVED) {
				hex(&want, b->grids[e->grid].id);
				strbuf_addch(&want, ' ');
				if (e->from.x)
					strbuf_addf(&want, "%d,%d ", e->from.x, e->from.y);
				else
					strbuf_addstr(&want, "tray ");
				if (e->to.x)
					strbuf_addf(&want, "%d,%d\n", e->to.x, e->to.y);
				else
					strbuf_addstr(&want, "tray\n");
			} else if (e->kind == EVENT_DECIDED) {
				hex(&want, "-");
				strbuf_addf(&want, " %s %s\n", decision_name(e->dfrom),
					    decision_name(e->dto));
			} else {
				hex(&want, "-");
				strbuf_addstr(&want, " - -\n");
			}
		}
	}
	for (i = 0; i < b->ndecisions; i++) {
		const struct decision_entry *d = &b->decisions[i];
		char when[ISO8601_LEN + 1], id[CARD_UUID_LEN + 1];

		iso8601_format(d->at, when);
		uuid_unparse_lower(d->card, id);
		strbuf_addf(&want, "%s ", when);
		hex(&want, d->by && *d->by ? d->by : "-");
		strbuf_addf(&want, " %s ", id);
		hex(&want, d->text);
		strbuf_addf(&want, " %s %s ", decision_name(d->from), decision_name(d->to));
		hex(&want, d->rationale && *d->rationale ? d->rationale : "-");
		strbuf_addch(&want, '\n');
	}

	snprintf(cmd, sizeof(cmd), "python3 '%s' '%s' 2>&1", spath, path);
	f = popen(cmd, "r");
	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&got, buf, n);
	status = pclose(f);
	if (status != 0 || strcmp(got.buf, want.buf)) {
		print_message("python3 exited with %d and printed:\n%s\nwanted:\n%s\n", status,
			      got.buf, want.buf);
		fail();
	}
	strbuf_release(&want);
	strbuf_release(&got);
	strbuf_release(&err);
	board_free(b);
	tmpdir_remove(dir);
}


/* --- Operations for the live-sharing journal ------------------------------ */

static void assert_ops_equal(const struct board *b, const struct op *x, const struct op *y)
{
	assert_int_equal(x->kind, y->kind);
	assert_int_equal(x->at, y->at);
	assert_str_or_null_equal(x->by, y->by);
	assert_int_equal(x->facilitator, y->facilitator);
	assert_memory_equal(x->card, y->card, sizeof(uuid_t));
	assert_str_or_null_equal(x->grid, y->grid);
	assert_str_or_null_equal(x->name, y->name);
	assert_str_or_null_equal(x->text, y->text);
	assert_str_or_null_equal(x->text2, y->text2);
	assert_int_equal(x->x, y->x);
	assert_int_equal(x->y, y->y);
	assert_int_equal(x->value, y->value);
	assert_str_or_null_equal(x->key, y->key);
	assert_str_or_null_equal(x->sig, y->sig);
	if (!x->card_data || !y->card_data)
		assert_ptr_equal(x->card_data, y->card_data);
	else
		assert_cards_equal(b, x->card_data, y->card_data);
}

/* Text that must stay on one line: newlines, quotes, emoji, ESC and friends. */
static const char op_text[] =
	"ligne 1\nligne 2\r\n\"guillemets\" 'simples' \\ 😀 漢字 \x1b[31m\t\xc2\x85"
	"\xe2\x80\xa8\xe2\x80\xae: {a, b} [c] # d";

#define NOPS (OP_COUNT + 6)

/* A key and a signature in their written form (sign.h), for the codec alone. */
#define SOME_KEY "ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define SOME_SIG "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fw=="

/* One operation of every kind, and a few variants, on example_board(). */
static size_t all_ops(const struct board *b, struct op *ops)
{
	static const enum op_kind extra[] = { OP_ADD, OP_MOVE, OP_NOTE, OP_DECIDE, OP_ZONE_CELL,
					      OP_DELETE };
	struct op *op;
	uuid_t id1, id2;
	int k;

	id_from(id1, ID1);
	id_from(id2, ID2);
	for (k = 0; k < NOPS; k++) {
		bool variant = k >= OP_COUNT;

		op = &ops[k];
		memset(op, 0, sizeof(*op));
		op->kind = variant ? extra[k - OP_COUNT] : (enum op_kind)k;
		op->at = at("2019-06-28T10:15:00Z") + k;
		if (k % 3)
			op_set(&op->by, k % 3 == 1 ? "Binôme 3" : "« B3 »: \"x\", #2 \\ 😀");
		op->facilitator = op_needs_facilitator(op) || k == OP_MOVE;
		memcpy(op->card, k % 2 ? id1 : id2, sizeof(uuid_t));
		switch (op->kind) {
		case OP_ADD:
			op->card_data = card_dup(b, b->cards[variant]);
			memcpy(op->card, op->card_data->id, sizeof(uuid_t));
			op->x = variant ? 0 : 1;
			if (variant) { /* nothing but its id, text and theme */
				op->card_data->debated_mark = false;
				card_set_pair(op->card_data, NULL);
				card_set_text(op->card_data, op_text);
			}
			break;
		case OP_MOVE:
			op_set(&op->grid, "autonomie-frequence");
			op->x = variant ? 0 : 2; /* the variant goes to the tray */
			op->y = variant ? 0 : 1;
			break;
		case OP_TEXT:
			op_set(&op->text, op_text);
			break;
		case OP_THEME:
			op_set(&op->name, "mobilite");
			break;
		case OP_NOTE: /* the variant clears the note */
			op_set(&op->text, variant ? NULL : op_text);
			break;
		case OP_PAIR:
			op_set(&op->text, "Binôme 2, « le retour »");
			break;
		case OP_DECIDE: /* the variant has no rationale, nor the card's text, nor a signature */
			op->value = variant ? DECISION_V2 : DECISION_ELSEWHERE;
			op_set(&op->text, variant ? NULL : op_text);
			op_set(&op->text2, variant ? NULL : op_text);
			op_set(&op->key, variant ? NULL : SOME_KEY);
			op_set(&op->sig, variant ? NULL : SOME_SIG);
			break;
		case OP_LOCK:
			op->value = 1;
			op_set(&op->key, SOME_KEY);
			op_set(&op->sig, SOME_SIG);
			break;
		case OP_ZONE_ADD:
			op_set(&op->grid, "autonomie-frequence");
			op_set(&op->name, "V3 — autres acteurs: \"ailleurs\"");
			op->value = HUE_MAGENTA;
			op->x = 1;
			break;
		case OP_ZONE_DEL:
			op_set(&op->grid, "autonomie-frequence");
			op_set(&op->name, "V2 — plus tard");
			break;
		case OP_ZONE_CELL: /* the variant takes the cell out of every zone */
			op_set(&op->grid, "autonomie-frequence");
			op_set(&op->name, variant ? NULL : "V1 — tout de suite");
			op->x = 2;
			op->y = variant ? 2 : 1;
			break;
		case OP_THEME_ADD:
			op_set(&op->name, "sante");
			op_set(&op->text, "Santé, « bien-être »");
			op->value = HUE_CYAN;
			break;
		case OP_CRITERION:
			op_set(&op->name, "cout");
			op_set(&op->text, "Peu coûteux");
			op_set(&op->text2, "yes");
			op->value = POLE_HIGH;
			break;
		case OP_GRID_ADD:
			op_set(&op->grid, "autonomie-cout");
			op_set(&op->text, "autonomie");
			op_set(&op->text2, "cout");
			op->value = 3;
			break;
		case OP_GRID_CELLS:
			op_set(&op->grid, "autonomie-frequence");
			op->value = 9;
			break;
		case OP_TITLE:
			op_set(&op->text, "Atelier: « V2 » — 2019");
			break;
		case OP_KEY_ADD:
			op_set(&op->by, "claire");
			op_set(&op->key, SOME_KEY);
			op_set(&op->sig, SOME_SIG);
			break;
		default:
			break;
		}
		/* Fields the kind does not use are not written, so not read back. */
		if (!op_targets_card(op) && op->kind != OP_ADD)
			memset(op->card, 0, sizeof(uuid_t));
	}
	return NOPS;
}

static void test_op_round_trip(void **state)
{
	struct board *b = example_board();
	struct op ops[NOPS], back;
	struct strbuf line = STRBUF_INIT, again = STRBUF_INIT, err = STRBUF_INIT;
	size_t n = all_ops(b, ops), i, kinds = 0;

	(void)state;
	for (i = 0; i < n; i++) {
		strbuf_reset(&line);
		strbuf_reset(&again);
		store_format_op(b, &ops[i], &line);
		/* One line, every control and separator escaped, valid UTF-8. */
		assert_null(memchr(line.buf, '\n', line.len));
		assert_null(memchr(line.buf, '\r', line.len));
		assert_true(text_is_safe(line.buf));
		assert_null(strstr(line.buf, "\xe2\x80\xa8"));
		assert_null(strstr(line.buf, "\xc2\x85"));
		if (store_parse_op(b, line.buf, line.len, &back, &err) < 0) {
			print_message("line %s\nrefused: %s\n", line.buf, err.buf);
			fail();
		}
		assert_int_equal(err.len, 0);
		assert_ops_equal(b, &ops[i], &back);
		store_format_op(b, &back, &again);
		assert_string_equal(again.buf, line.buf);
		kinds |= 1u << ops[i].kind;
		op_release(&back);
		op_release(&ops[i]);
	}
	assert_int_equal(kinds, (1u << OP_COUNT) - 1);
	strbuf_release(&line);
	strbuf_release(&again);
	strbuf_release(&err);
	board_free(b);
}

static void test_op_format_exact(void **state)
{
	struct board *b = example_board();
	struct strbuf line = STRBUF_INIT;
	struct op op = OP_INIT;

	(void)state;
	op.kind = OP_MOVE;
	op.at = at("2019-06-28T10:15:00Z");
	op_set(&op.by, "Binôme 3");
	id_from(op.card, ID1);
	op_set(&op.grid, "autonomie-frequence");
	op.x = 2;
	op.y = 2;
	store_format_op(b, &op, &line);
	assert_string_equal(line.buf, "{op: move, at: 2019-06-28T10:15:00Z, by: \"Binôme 3\", "
				      "card: " ID1 ", grid: \"autonomie-frequence\", x: 2, y: 2}");
	op_release(&op);

	strbuf_reset(&line);
	op.kind = OP_DECIDE;
	op.at = at("2019-06-28T11:02:00Z");
	op.facilitator = true;
	id_from(op.card, ID1);
	op.value = DECISION_V1;
	op_set(&op.text, "un local\n« existe »");
	store_format_op(b, &op, &line);
	assert_string_equal(line.buf, "{op: decide, at: 2019-06-28T11:02:00Z, fac: true, "
				      "card: " ID1 ", text: \"un local\\n« existe »\", value: 1}");
	op_release(&op);

	strbuf_reset(&line);
	op.kind = OP_ADD;
	op.at = at("2019-06-28T11:05:00Z");
	op.card_data = card_dup(b, b->cards[0]);
	op.x = 0;
	store_format_op(b, &op, &line);
	assert_string_equal(line.buf,
		"{op: add, at: 2019-06-28T11:05:00Z, card: {id: " ID1 ", "
		"text: \"Réception de colis sur le lieu de travail\", theme: \"conciergerie\", "
		"by: \"Binôme 3\", pair: \"Binôme 3\", created: 2019-06-28T10:12:00Z, "
		"note: \"Retenu pour la V1 — un local existe déjà.\\nÀ voir avec les services "
		"généraux.\", decision: v1, locked: true, "
		"place: {\"autonomie-frequence\": [1, 2]}, "
		"history: [{at: 2019-06-28T10:12:00Z, by: \"Binôme 3\", event: created}, "
		"{at: 2019-06-28T10:15:00Z, by: \"Binôme 3\", event: moved, "
		"grid: \"autonomie-frequence\", from: tray, to: [2, 2]}, "
		"{at: 2019-06-28T10:40:00Z, by: \"Binôme 1\", event: moved, "
		"grid: \"autonomie-frequence\", from: [2, 2], to: [1, 2]}, "
		"{at: 2019-06-28T11:02:00Z, by: \"claire\", event: decided, from: undecided, "
		"to: v1}, {at: 2019-06-28T11:02:30Z, by: \"claire\", event: locked}]}, x: 0}");
	op_release(&op);
	strbuf_release(&line);
	board_free(b);
}

/* The line must be refused with exactly that reason, and leave op zeroed. */
static void check_op_refused(const struct board *b, const char *line, size_t len,
			     const char *reason, int at_line)
{
	struct strbuf err = STRBUF_INIT;
	struct op op, zero;

	memset(&zero, 0, sizeof(zero));
	memset(&op, 0xa5, sizeof(op));
	if (store_parse_op(b, line, len, &op, &err) != -1 ||
	    (reason && strcmp(err.buf, reason)) || !err.len || memchr(err.buf, '\n', err.len)) {
		print_message("test line %d: [%s]\nwanted refused with [%s], got [%s]\n", at_line,
			      line, reason ? reason : "(any)", err.buf);
		fail();
	}
	assert_memory_equal(&op, &zero, sizeof(op));
	strbuf_release(&err);
}

#define expect_op_refused(b, line, reason) \
	check_op_refused(b, line, strlen(line), reason, __LINE__)

#define MOVE_HEAD "{op: move, at: 2019-06-28T10:15:00Z, card: " ID1 ", "
#define ADD_HEAD "{op: add, at: 2019-06-28T10:15:00Z, x: 0, card: {id: " ID1 ", text: a, "

static void test_op_refused(void **state)
{
	struct board *b = example_board();
	struct strbuf s = STRBUF_INIT, err = STRBUF_INIT;
	struct op op;
	size_t i;

	(void)state;
	/* What is good, first: the reference line loads. */
	assert_int_equal(store_parse_op(b, MOVE_HEAD "grid: g, x: 1, y: 2}",
					strlen(MOVE_HEAD "grid: g, x: 1, y: 2}"), &op, &err), 0);
	op_release(&op);

	expect_op_refused(b, "", "an empty line is not an operation");
	expect_op_refused(b, "# a comment", "an empty line is not an operation");
	expect_op_refused(b, "[move]", "column 1: an operation must be a mapping, not a list");
	expect_op_refused(b, "{at: 2019-06-28}",
			  "column 1: missing key 'op' (what the operation does)");
	expect_op_refused(b, "{op: mvoe, at: 2019-06-28}",
			  "column 6: unknown operation 'mvoe' (did you mean 'move'?)");
	expect_op_refused(b, "{op: [move]}",
			  "column 6: 'op' must be an operation name, not a list");
	expect_op_refused(b, "{op: delete, card: " ID1 "}",
			  "column 1: missing key 'at' (when the operation was made)");
	expect_op_refused(b, "{op: delete, at: hier, card: " ID1 "}",
			  "column 18: 'at' must be a date and time such as 2019-06-28T10:12:00Z");
	expect_op_refused(b, MOVE_HEAD "grid: g, x: 1, y: 2, zzz: 1}",
			  "column 103: unknown key 'zzz'");
	expect_op_refused(b, MOVE_HEAD "grid: g, x: 1, y: 2, vaule: 1}",
			  "column 103: unknown key 'vaule' (did you mean 'value'?)");
	expect_op_refused(b, MOVE_HEAD "grid: g, x: 1, y: 2, text: a}",
			  "column 103: 'text' is not used by a 'move' operation");
	expect_op_refused(b, MOVE_HEAD "grid: g, x: 1, y: 2, grid: h}",
			  "column 103: duplicate key 'grid' (first at line 1)");
	expect_op_refused(b, MOVE_HEAD "grid: g, x: \"1\", y: 2}",
			  "column 94: 'x' must be an integer from 0 to 9");
	expect_op_refused(b, MOVE_HEAD "grid: g, x: 1, y: 10}",
			  "column 100: 'y' must be an integer from 0 to 9");
	expect_op_refused(b, MOVE_HEAD "grid: g, x: 0, y: 2}",
			  "column 94: 'x' and 'y' must both be 0 (the tray) or both from 1 to 9");
	expect_op_refused(b, MOVE_HEAD "x: 1, y: 2}",
			  "column 1: missing key 'grid' in a 'move' operation");
	expect_op_refused(b, MOVE_HEAD "grid: g, x: 1}",
			  "column 1: missing key 'y' in a 'move' operation");
	expect_op_refused(b, MOVE_HEAD "grid: [g], x: 1, y: 1}",
			  "column 88: 'grid' must be a string, not a list");
	expect_op_refused(b, MOVE_HEAD "grid: \"g\\e\", x: 1, y: 1}",
			  "column 88: 'grid' must not contain control characters (found U+001B)");
	expect_op_refused(b, "{op: delete, at: 2019-06-28, card: 6f1c2a8e}",
			  "column 36: 'card' must be a card id (a UUID such as "
			  "6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f)");
	expect_op_refused(b, "{op: delete, at: 2019-06-28}",
			  "column 1: missing key 'card' in a 'delete' operation");
	expect_op_refused(b, "{op: decide, at: 2019-06-28, card: " ID1 ", value: 4}",
			  "column 81: 'value' must be an integer from 0 to 3");
	expect_op_refused(b, "{op: lock, at: 2019-06-28, card: " ID1 ", value: true}",
			  "column 79: 'value' must be an integer from 0 to 1");
	expect_op_refused(b, "{op: zone-add, at: 2019-06-28, grid: g, name: z, value: 8, x: 0}",
			  "column 57: 'value' must be an integer from 0 to 7");
	expect_op_refused(b, "{op: grid-cells, at: 2019-06-28, grid: g, value: 1}",
			  "column 50: 'value' must be an integer from 2 to 9");
	expect_op_refused(b, "{op: title, at: 2019-06-28, text: \"a\\eb\"}",
			  "column 35: 'text' must not contain control characters (found U+001B)");
	expect_op_refused(b, "{op: text, at: 2019-06-28, card: " ID1 ", text: \"a\\0b\"}",
			  "column 78: 'text' must not contain NUL characters");
	expect_op_refused(b, "{op: delete, at: 2019-06-28, fac: yes, card: " ID1 "}",
			  "column 35: 'fac' must be true or false");
	/* An added card is checked as in a file, its theme and grids resolved on the board. */
	expect_op_refused(b, ADD_HEAD "theme: mobilit}}",
			  "column 108: card 6f1c2a8e: unknown theme 'mobilit' (did you mean "
			  "'mobilite'?)");
	expect_op_refused(b, ADD_HEAD "theme: mobilite, place: {nope: [1, 1]}}}",
			  "column 126: card 6f1c2a8e: unknown grid 'nope'");
	expect_op_refused(b, ADD_HEAD "theme: mobilite, place: {autonomie-frequence: [3, 1]}}}",
			  "column 148: card 6f1c2a8e: x on grid 'autonomie-frequence' must be an "
			  "integer from 1 to 2");
	expect_op_refused(b, ADD_HEAD "theme: mobilite, history: [{at: 2019-06-28, "
			  "event: moved, grid: nope, from: tray, to: [1, 1]}]}}",
			  "column 165: card 6f1c2a8e: unknown grid 'nope'");
	expect_op_refused(b, "{op: add, at: 2019-06-28, x: 0, card: {id: 6f1c2a8e, text: a, "
			  "theme: mobilite}}",
			  "column 44: card: invalid id '6f1c2a8e' (a card id is a UUID such as "
			  "6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f)");
	expect_op_refused(b, "{op: add, at: 2019-06-28, x: 0, card: " ID1 "}",
			  "column 39: 'card' of an 'add' operation must be the whole card (a "
			  "mapping), not a single value");
	expect_op_refused(b, "{op: add, at: 2019-06-28, x: -1, card: {id: " ID1 ", text: a, "
			  "theme: mobilite}}",
			  "column 30: 'x' must be an integer from 0 to 2147483647");
	/* Without a board, no added card can be resolved. */
	expect_op_refused(NULL, ADD_HEAD "theme: mobilite}}",
			  "column 108: card 6f1c2a8e: unknown theme 'mobilite'");

	/* What the YAML layer refuses. */
	expect_op_refused(b, "{op: title, at: 2019-06-28,\n text: a}",
			  "an operation is a single line");
	expect_op_refused(b, "{op: title, at: 2019-06-28, text: a}\n",
			  "an operation is a single line");
	expect_op_refused(b, "{op: title, at: 2019-06-28, text: &a x}",
			  "column 35: aliases and anchors are not allowed");
	expect_op_refused(b, "{op: title, at: 2019-06-28, text: !!binary eA==}",
			  "column 35: tag '!!binary' is not allowed (only !!str, !!int, !!bool, "
			  "!!null, !!seq and !!map)");
	expect_op_refused(b, "{op: title, at: 2019-06-28, text: \"a\xff\"}",
			  "column 37: invalid UTF-8 (byte 0xff)");
	expect_op_refused(b, "{op: title, at: 2019-06-28, text: a\x1b}",
			  "column 36: control character U+001B is not allowed");
	expect_op_refused(b, "{op: title, at: 2019-06-28, text: \"a}",
			  "column 38: syntax error: found unexpected end of stream (while "
			  "scanning a quoted scalar starting at line 1, column 35)");
	expect_op_refused(b, "{op: title} {op: title}", NULL);
	check_op_refused(b, "{op: title\0}", 11,
			 "column 11: control character U+0000 is not allowed", __LINE__);
	/* A file's layout does not make an operation stream cards. */
	expect_op_refused(b, "{themes: [], criteria: [], grids: [], cards: [{id: " ID1 ", text: a, "
			  "theme: mobilite}]}",
			  "column 1: missing key 'op' (what the operation does)");
	for (i = 0; i < 100; i++)
		strbuf_addch(&s, '[');
	expect_op_refused(b, s.buf, "column 17: nesting too deep (more than 16 levels)");
	strbuf_reset(&s);
	strbuf_addstr(&s, "{op: title, at: 2019-06-28, text: ");
	strbuf_addchars(&s, 'x', STORE_MAX_SCALAR + 1);
	strbuf_addch(&s, '}');
	expect_op_refused(b, s.buf, "column 35: value too long (65537 bytes, the limit is 65536)");

	strbuf_release(&s);
	strbuf_release(&err);
	board_free(b);
}

/* A tiny deterministic generator (xorshift), for the mutations below. */
static uint32_t rnd_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void test_op_truncated_and_mutated(void **state)
{
	static const char alphabet[] = "{}[],:\"'\\ \n&*!#-?|>0123456789abz\xff\xc3\xa9\x1b";
	struct board *b = example_board();
	struct op ops[NOPS], op;
	struct strbuf line = STRBUF_INIT, m = STRBUF_INIT, err = STRBUF_INIT, again = STRBUF_INIT;
	size_t n = all_ops(b, ops), i, cut, good = 0;
	uint32_t seed = 2019;
	int round;

	(void)state;
	for (i = 0; i < n; i++) {
		strbuf_reset(&line);
		store_format_op(b, &ops[i], &line);
		/* Every truncation of a line is refused: a flow mapping must be closed. */
		for (cut = 0; cut < line.len; cut++) {
			strbuf_reset(&err);
			assert_int_equal(store_parse_op(b, line.buf, cut, &op, &err), -1);
			assert_true(err.len > 0);
		}
		/*
		 * Random edits never crash, and whatever is accepted writes back as a
		 * line that reads again as the same operation.
		 */
		for (round = 0; round < 300; round++) {
			int edits = 1 + (int)(rnd_next(&seed) % 4), e;

			strbuf_reset(&m);
			strbuf_add(&m, line.buf, line.len);
			for (e = 0; e < edits; e++) {
				size_t at_byte = rnd_next(&seed) % (m.len + 1);
				char c = alphabet[rnd_next(&seed) % (sizeof(alphabet) - 1)];

				switch (rnd_next(&seed) % 3) {
				case 0: /* replace */
					if (at_byte < m.len)
						m.buf[at_byte] = c;
					break;
				case 1: /* delete */
					if (at_byte < m.len) {
						memmove(m.buf + at_byte, m.buf + at_byte + 1,
							m.len - at_byte - 1);
						strbuf_setlen(&m, m.len - 1);
					}
					break;
				default: /* insert */
					strbuf_addch(&m, 0);
					memmove(m.buf + at_byte + 1, m.buf + at_byte,
						m.len - at_byte - 1);
					m.buf[at_byte] = c;
					break;
				}
			}
			strbuf_reset(&err);
			if (store_parse_op(b, m.buf, m.len, &op, &err) == 0) {
				struct op op2;

				good++;
				strbuf_reset(&again);
				store_format_op(b, &op, &again);
				if (store_parse_op(b, again.buf, again.len, &op2, &err) < 0) {
					print_message("accepted [%.*s]\nwritten [%s]\n"
						      "refused: %s\n", (int)m.len, m.buf,
						      again.buf, err.buf);
					fail();
				}
				assert_ops_equal(b, &op, &op2);
				op_release(&op2);
				op_release(&op);
			} else {
				assert_true(err.len > 0);
			}
		}
		op_release(&ops[i]);
	}
	print_message("%zu of %zu mutated lines were still operations\n", good, n * 300);
	strbuf_release(&line);
	strbuf_release(&m);
	strbuf_release(&err);
	strbuf_release(&again);
	board_free(b);
}

/* --- Reading in pieces ---------------------------------------------------- */

/* A reader over memory that gives at most 'chunk' bytes at a time, failing past 'fail_at'. */
struct chunks {
	const char *data;
	size_t len, off, chunk, fail_at;
};

static long chunks_read(void *data, char *buf, size_t size, struct strbuf *err)
{
	struct chunks *c = data;
	size_t n = c->len - c->off;

	if (c->off >= c->fail_at) {
		errno = EIO;
		strbuf_addstr(err, "cannot read 'board.yaml': Input/output error");
		return -1;
	}
	if (n > size)
		n = size;
	if (n > c->chunk)
		n = c->chunk;
	if (c->off + n > c->fail_at)
		n = c->fail_at - c->off;
	memcpy(buf, c->data + c->off, n);
	c->off += n;
	return (long)n;
}

/* What a parse gives: its result, its problems, the board written back, its lines. */
static void parse_outcome(int ret, struct board *b, const struct store_errors *e,
			  const struct board_lines *lines, struct strbuf *out)
{
	size_t i;

	strbuf_addf(out, "ret %d\n", ret);
	store_errors_format(e, out);
	if (!b)
		return;
	store_format(b, out);
	for (i = 0; i < b->nthemes; i++)
		strbuf_addf(out, "theme line %d\n", lines->themes[i]);
	for (i = 0; i < b->ncriteria; i++)
		strbuf_addf(out, "criterion line %d\n", lines->criteria[i]);
	for (i = 0; i < b->ngrids; i++)
		strbuf_addf(out, "grid line %d\n", lines->grids[i]);
}

static void parse_memory_outcome(const char *data, size_t len, struct strbuf *out)
{
	struct board_lines lines = { NULL, NULL, NULL };
	struct store_errors e;
	struct board *b = NULL;
	int ret;

	store_errors_init(&e, "board.yaml");
	ret = store_parse_lines(data, len, &b, &e, &lines);
	parse_outcome(ret, b, &e, &lines, out);
	board_free(b);
	board_lines_release(&lines);
	store_errors_release(&e);
}

static void parse_chunks_outcome(const char *data, size_t len, size_t chunk, struct strbuf *out)
{
	struct chunks c = { data, len, 0, chunk, (size_t)-1 };
	struct board_lines lines = { NULL, NULL, NULL };
	struct store_errors e;
	struct board *b = NULL;
	int ret;

	store_errors_init(&e, "board.yaml");
	ret = store_parse_stream(chunks_read, &c, &b, &e, &lines);
	assert_int_equal(c.off, len); /* read to the end, whatever the problems */
	parse_outcome(ret, b, &e, &lines, out);
	board_free(b);
	board_lines_release(&lines);
	store_errors_release(&e);
}

/* The same bytes read in pieces of every given size: the same outcome as in memory. */
static void check_chunks(const char *data, size_t len, const size_t *chunks, size_t nchunks)
{
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	size_t i;

	parse_memory_outcome(data, len, &want);
	for (i = 0; i < nchunks; i++) {
		strbuf_reset(&got);
		parse_chunks_outcome(data, len, chunks[i], &got);
		if (strcmp(want.buf, got.buf)) {
			print_message("pieces of %zu bytes:\n--- memory\n%.2000s\n--- pieces\n%.2000s\n",
				      chunks[i], want.buf, got.buf);
			fail();
		}
	}
	strbuf_release(&want);
	strbuf_release(&got);
}

static char *top_path(const char *name)
{
	const char *top = getenv("TAMIS_TOP");
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", top && *top ? top : ".", name);
	return strbuf_detach(&sb, NULL);
}

static void read_whole(const char *path, struct strbuf *out)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(out, buf, n);
	fclose(f);
}

/* Every broken board of tests/bad and the sample board, in pieces of 1 to 64 KiB bytes. */
static void test_stream_fixtures_in_pieces(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 5, 7, 64, 4093, 65536 };
	char *dir = top_path("tests/bad"), *sample = top_path("boards/comptoir-des-services.yaml");
	struct strbuf data = STRBUF_INIT, list = STRBUF_INIT;
	struct strbuf cmd = STRBUF_INIT;
	size_t files = 0;
	char line[4096];
	FILE *ls;

	(void)state;
	strbuf_addf(&cmd, "ls '%s'/*.yaml", dir);
	ls = popen(cmd.buf, "r");
	assert_non_null(ls);
	while (fgets(line, sizeof(line), ls)) {
		line[strcspn(line, "\n")] = '\0';
		strbuf_reset(&data);
		read_whole(line, &data);
		check_chunks(data.buf, data.len, sizes, sizeof(sizes) / sizeof(sizes[0]));
		files++;
	}
	pclose(ls);
	assert_true(files >= 80);
	strbuf_reset(&data);
	read_whole(sample, &data);
	check_chunks(data.buf, data.len, sizes, sizeof(sizes) / sizeof(sizes[0]));
	strbuf_release(&data);
	strbuf_release(&list);
	strbuf_release(&cmd);
	free(dir);
	free(sample);
}

/* A valid board of about 300 KB: several windows, characters of 1 to 4 bytes everywhere. */
static void big_board_yaml(struct strbuf *out)
{
	char *sample = top_path("boards/comptoir-des-services.yaml");
	const char *cards;
	int i;

	read_whole(sample, out);
	cards = strstr(out->buf, "\ncards:\n");
	assert_non_null(cards);
	strbuf_setlen(out, (size_t)(cards - out->buf) + 8);
	for (i = 0; i < 1200; i++)
		strbuf_addf(out,
			    "  - id: 00000000-0000-4000-8000-%012d\n"
			    "    text: \"Carte %d — é😀 ok\\tfin\"\n"
			    "    theme: mobilite\n"
			    "    by: Binôme %d\n"
			    "    created: 2019-06-28T09:33:32Z\n"
			    "    place:\n"
			    "      autonomie-frequence: [%d, %d]\n",
			    i, i, i % 7, 1 + i % 2, 1 + (i / 2) % 2);
	free(sample);
}

/*
 * Byte problems, line ends and characters of every length put across the
 * window's edges (64 KiB, 128 KiB) and read in odd pieces: the same problems
 * at the same positions as in memory.
 */
static void test_stream_window_edges(void **state)
{
	static const char *const bad[] = {
		"\xC3",         "\xC3\xA9",     "\x01",         "\xC2\x85",
		"\xE2\x80\xA8", "\xEF\xBF\xBE", "\r",           "\r\n",
		"\xF0\x9F\x98\x80", "\x80\x80\x80", "\0",       "\xE2\x80",
	};
	static const size_t sizes[] = { 3, 4093, 65536 };
	static const size_t slow[] = { 1 };
	struct strbuf yaml = STRBUF_INIT, mut = STRBUF_INIT;
	size_t edge, k, d;

	(void)state;
	big_board_yaml(&yaml);
	assert_true(yaml.len > 3 * 65536);
	parse_memory_outcome(yaml.buf, yaml.len, &mut);
	assert_true(!strncmp(mut.buf, "ret 0\n", 6));
	check_chunks(yaml.buf, yaml.len, sizes, 3);
	for (edge = 65536; edge <= 131072; edge += 65536) {
		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			for (d = 0; d < 6; d++) {
				size_t at = edge - 4 + d;

				strbuf_reset(&mut);
				strbuf_add(&mut, yaml.buf, at);
				strbuf_add(&mut, bad[k], strlen(bad[k]) ? strlen(bad[k]) : 1);
				strbuf_add(&mut, yaml.buf + at, yaml.len - at);
				check_chunks(mut.buf, mut.len, sizes, 3);
				if (edge == 65536 && d == 3)
					check_chunks(mut.buf, mut.len, slow, 1);
			}
		}
		/* The file cut just around the edge: marks clamped at its end. */
		for (d = 0; d < 8; d++)
			check_chunks(yaml.buf, edge - 4 + d, sizes, 3);
	}
	/* More problems than are kept, of both kinds, on both sides of an edge. */
	strbuf_reset(&mut);
	strbuf_add(&mut, yaml.buf, yaml.len);
	for (k = 0; k < 40; k++) {
		mut.buf[65536 - 60 + 3 * k] = k % 2 ? '\x01' : '\xFF';
	}
	check_chunks(mut.buf, mut.len, sizes, 3);
	strbuf_release(&yaml);
	strbuf_release(&mut);
}

/* A read that fails half way: only its reason, -2 and errno, whatever was parsed. */
static void test_stream_read_failure(void **state)
{
	struct strbuf yaml = STRBUF_INIT;
	struct store_errors e;
	struct board *b = NULL;
	size_t at[] = { 0, 10, 70000, 200000 };
	size_t i;

	(void)state;
	big_board_yaml(&yaml);
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		struct chunks c = { yaml.buf, yaml.len, 0, 4096, at[i] };

		store_errors_init(&e, "board.yaml");
		errno = 0;
		assert_int_equal(store_parse_stream(chunks_read, &c, &b, &e, NULL), -2);
		assert_int_equal(errno, EIO);
		assert_null(b);
		assert_int_equal(e.n, 1);
		assert_int_equal(e.dropped, 0);
		assert_int_equal(e.v[0].line, 0);
		assert_string_equal(e.v[0].message, "cannot read 'board.yaml': Input/output error");
		store_errors_release(&e);
	}
	strbuf_release(&yaml);
}

/* store_load_keep() shows every byte once, in order, and hands the descriptor over. */
static void observe_bytes(void *data, const char *buf, size_t len)
{
	strbuf_add(data, buf, len);
}

static void test_load_keep_observes(void **state)
{
	char path[] = "/tmp/tamis-store-keep-XXXXXX";
	struct strbuf yaml = STRBUF_INIT, seen = STRBUF_INIT;
	struct store_errors e;
	struct board *b = NULL;
	int fd, keep = -1;
	struct stat st1, st2;

	(void)state;
	big_board_yaml(&yaml);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml.buf, yaml.len), (ssize_t)yaml.len);
	close(fd);
	store_errors_init(&e, path);
	assert_int_equal(store_load_keep(path, &b, &e, &keep, observe_bytes, &seen), 0);
	assert_non_null(b);
	assert_int_equal(b->ncards, 1200 + 0);
	assert_true(keep >= 0);
	assert_int_equal(fstat(keep, &st1), 0);
	assert_int_equal(stat(path, &st2), 0);
	assert_true(st1.st_ino == st2.st_ino);
	close(keep);
	assert_int_equal(seen.len, yaml.len);
	assert_memory_equal(seen.buf, yaml.buf, yaml.len);
	board_free(b);
	store_errors_release(&e);

	/* Invalid: every byte seen all the same, the descriptor closed. */
	yaml.buf[yaml.len - 10] = '\x01';
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, yaml.buf, yaml.len), (ssize_t)yaml.len);
	close(fd);
	strbuf_reset(&seen);
	store_errors_init(&e, path);
	keep = -1;
	b = NULL;
	assert_int_equal(store_load_keep(path, &b, &e, &keep, observe_bytes, &seen), -1);
	assert_int_equal(keep, -1);
	assert_int_equal(seen.len, yaml.len);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0].message, "control character U+0001 is not allowed");
	store_errors_release(&e);
	unlink(path);
	strbuf_release(&yaml);
	strbuf_release(&seen);
}

/* --- Writing in pieces ---------------------------------------------------- */

struct pieces {
	struct strbuf all;
	size_t calls, largest, fail_at; /* fail_at: 1-based call that fails, 0 never */
};

static int pieces_write(void *data, const char *buf, size_t len)
{
	struct pieces *p = data;

	if (++p->calls == p->fail_at) {
		errno = ENOSPC;
		return -1;
	}
	assert_true(len > 0);
	if (len > p->largest)
		p->largest = len;
	strbuf_add(&p->all, buf, len);
	return 0;
}

static struct board *big_board(void)
{
	struct strbuf yaml = STRBUF_INIT;
	struct store_errors e;
	struct board *b = NULL;

	big_board_yaml(&yaml);
	assert_int_equal(parse_len(yaml.buf, yaml.len, &b, &e), 0);
	store_errors_release(&e);
	strbuf_release(&yaml);
	return b;
}

/* store_format_stream() writes store_format()'s bytes, in pieces of about 64 KiB. */
static void test_format_stream_pieces(void **state)
{
	struct board *b = big_board(), *empty = board_new("Vide");
	struct strbuf want = STRBUF_INIT;
	struct pieces p = { STRBUF_INIT, 0, 0, 0 };

	(void)state;
	store_format(b, &want);
	assert_int_equal(store_format_stream(b, pieces_write, &p), 0);
	assert_int_equal(p.all.len, want.len);
	assert_memory_equal(p.all.buf, want.buf, want.len);
	assert_true(p.calls >= want.len / 70000);
	assert_true(p.largest < (size_t)70 << 10);

	/* A failed write stops it: nothing more is written. */
	p.calls = 0;
	p.fail_at = 2;
	strbuf_reset(&p.all);
	errno = 0;
	assert_int_equal(store_format_stream(b, pieces_write, &p), -1);
	assert_int_equal(p.calls, 2);

	/* An empty board: one piece. */
	strbuf_reset(&want);
	strbuf_reset(&p.all);
	p.calls = 0;
	p.fail_at = 0;
	store_format(empty, &want);
	assert_int_equal(store_format_stream(empty, pieces_write, &p), 0);
	assert_int_equal(p.calls, 1);
	assert_string_equal(p.all.buf, want.buf);
	board_free(b);
	board_free(empty);
	strbuf_release(&want);
	strbuf_release(&p.all);
}

/* Names in dir that start with prefix. */
static size_t count_entries(const char *dir, const char *prefix)
{
	struct strbuf cmd = STRBUF_INIT;
	char line[4096];
	size_t n = 0;
	FILE *ls;

	strbuf_addf(&cmd, "ls -a '%s'", dir);
	ls = popen(cmd.buf, "r");
	assert_non_null(ls);
	while (fgets(line, sizeof(line), ls))
		if (!strncmp(line, prefix, strlen(prefix)))
			n++;
	pclose(ls);
	strbuf_release(&cmd);
	return n;
}

static void assert_file_is(const char *path, const char *data, size_t len)
{
	struct strbuf got = STRBUF_INIT;

	read_whole(path, &got);
	assert_int_equal(got.len, len);
	assert_memory_equal(got.buf, data, len);
	strbuf_release(&got);
}

/* A fill that writes some, then gives up. */
static int half_then_fail(void *data, file_write_fn *write, void *ctx)
{
	const struct strbuf *sb = data;

	if (write(ctx, sb->buf, sb->len / 2) < 0)
		return -1;
	errno = ENOSPC;
	return -1;
}

/*
 * store_save() writes store_format()'s bytes through file_replace_stream();
 * when anything fails the old file stays as it was, and no temporary file is
 * left behind.
 */
static void test_save_stream_failures(void **state)
{
	char dir[] = "/tmp/tamis-store-save-XXXXXX";
	struct board *b = big_board(), *small = board_new("Petit");
	struct strbuf path = STRBUF_INIT, want = STRBUF_INIT, old = STRBUF_INIT;
	struct strbuf err = STRBUF_INIT, sub = STRBUF_INIT;
	struct rlimit lim, saved;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&path, "%s/board.yaml", dir);
	store_format(small, &old);
	assert_int_equal(store_save(path.buf, small, &err), 0);
	assert_file_is(path.buf, old.buf, old.len);

	/* The big board: the same bytes as store_format(), the mode kept, never o+w. */
	assert_int_equal(chmod(path.buf, 0666), 0);
	store_format(b, &want);
	assert_int_equal(store_save(path.buf, b, &err), 0);
	assert_file_is(path.buf, want.buf, want.len);
	assert_int_equal(stat(path.buf, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0664);
	assert_int_equal(store_save(path.buf, small, &err), 0);

	/* A fill that fails half way. */
	strbuf_reset(&err);
	assert_int_equal(file_replace_stream(path.buf, half_then_fail, &want, &err), -1);
	assert_int_equal(errno, ENOSPC);
	assert_non_null(strstr(err.buf, "cannot write '"));
	assert_file_is(path.buf, old.buf, old.len);
	assert_int_equal(count_entries(dir, ".board.yaml."), 0);

	/* A write refused by the file size limit, in the middle of the board. */
	strbuf_reset(&err);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &saved);
	lim = saved;
	lim.rlim_cur = 100000;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(store_save(path.buf, b, &err), -1);
	setrlimit(RLIMIT_FSIZE, &saved);
	assert_int_equal(errno, EFBIG);
	assert_file_is(path.buf, old.buf, old.len);
	assert_int_equal(count_entries(dir, ".board.yaml."), 0);

	/* No temporary file possible: a directory without write permission. */
	if (geteuid() != 0) {
		strbuf_reset(&err);
		assert_int_equal(chmod(dir, 0555), 0);
		assert_int_equal(store_save(path.buf, b, &err), -1);
		assert_int_equal(chmod(dir, 0755), 0);
		assert_non_null(strstr(err.buf, "cannot create a temporary file in"));
		assert_file_is(path.buf, old.buf, old.len);
	}

	/* Not a regular file: refused, left alone. */
	strbuf_reset(&err);
	strbuf_addf(&sub, "%s/sub", dir);
	assert_int_equal(mkdir(sub.buf, 0755), 0);
	assert_int_equal(store_save(sub.buf, b, &err), -1);
	assert_int_equal(stat(sub.buf, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	rmdir(sub.buf);

	unlink(path.buf);
	rmdir(dir);
	board_free(b);
	board_free(small);
	strbuf_release(&path);
	strbuf_release(&want);
	strbuf_release(&old);
	strbuf_release(&err);
	strbuf_release(&sub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_example),
		cmocka_unit_test(test_parse_then_sieve),
		cmocka_unit_test(test_parse_flow_style),
		cmocka_unit_test(test_parse_bom_comments_quotes),
		cmocka_unit_test(test_parse_defaults_and_nulls),
		cmocka_unit_test(test_parse_scalar_typing),
		cmocka_unit_test(test_escaped_controls_in_free_text),
		cmocka_unit_test(test_key_order_does_not_matter),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_lang),
		cmocka_unit_test(test_event_values),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_missing_keys),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_duplicate_ids),
		cmocka_unit_test(test_invalid_ids),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_invalid_utf8_position),
		cmocka_unit_test(test_raw_control_characters),
		cmocka_unit_test(test_escaped_controls_refused),
		cmocka_unit_test(test_aliases_refused),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_scalar_size),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_documents_and_syntax),
		cmocka_unit_test(test_list_limits),
		cmocka_unit_test(test_errors_sorted_capped_formatted),
		cmocka_unit_test(test_long_values_cut_in_messages),
		cmocka_unit_test(test_format_scalar),
		cmocka_unit_test(test_format_exact),
		cmocka_unit_test(test_format_empty_board),
		cmocka_unit_test(test_round_trip_tricky),
		cmocka_unit_test(test_format_cards),
		cmocka_unit_test(test_big_board_streaming),
		cmocka_unit_test(test_save_and_load),
		cmocka_unit_test(test_load_failures),
		cmocka_unit_test(test_python_reads_our_output),
		cmocka_unit_test(test_facilitators_errors),
		cmocka_unit_test(test_zones_errors),
		cmocka_unit_test(test_history_errors),
		cmocka_unit_test(test_decisions_errors),
		cmocka_unit_test(test_parse_facilitation_example),
		cmocka_unit_test(test_format_facilitation_exact),
		cmocka_unit_test(test_facilitation_any_order),
		cmocka_unit_test(test_history_after_resize),
		cmocka_unit_test(test_op_round_trip),
		cmocka_unit_test(test_op_format_exact),
		cmocka_unit_test(test_op_refused),
		cmocka_unit_test(test_op_truncated_and_mutated),
		cmocka_unit_test(test_stream_fixtures_in_pieces),
		cmocka_unit_test(test_stream_window_edges),
		cmocka_unit_test(test_stream_read_failure),
		cmocka_unit_test(test_load_keep_observes),
		cmocka_unit_test(test_format_stream_pieces),
		cmocka_unit_test(test_save_stream_failures),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
