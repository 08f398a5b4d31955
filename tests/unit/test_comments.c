/*
 * Unit tests for the comments of a board file (docs/FORMAT.md, "Comments"):
 * found in the bytes and written back where they were, through the
 * operations (op.h), a merge, streaming reads; a board without comments
 * written as before. Tests go from text to text, so that they also run (and
 * fail) on a tamis that drops comments.
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
#include "merge.h"
#include "op.h"
#include "store.h"
#include "strbuf.h"

/* --- Helpers ------------------------------------------------------------ */

/* The criteria, and the themes, criteria and grid, of every board here. */
#define CRITERIA                                                               \
	"criteria:\n"                                                          \
	"  - id: a\n"                                                          \
	"    low: A\n"                                                         \
	"    high: B\n"                                                        \
	"    easy: low\n"                                                      \
	"  - id: b\n"                                                          \
	"    low: C\n"                                                         \
	"    high: D\n"                                                        \
	"    easy: high\n"

#define FRAME                                                                  \
	"themes:\n"                                                            \
	"  - id: t\n"                                                          \
	"    label: L\n"                                                       \
	"    color: red\n"                                                     \
	"\n" CRITERIA                                                          \
	"\n"                                                                   \
	"grids:\n"                                                             \
	"  - id: g\n"                                                          \
	"    x: a\n"                                                           \
	"    y: b\n"                                                           \
	"    cells: 2\n"

/* The top of every board here, as tamis writes it. */
#define BOARD_TOP "tamis: 1\ntitle: T\n\n" FRAME "\n"

#define ID1 "00000000-0000-4000-8000-000000000001"
#define ID2 "00000000-0000-4000-8000-000000000002"
#define ID3 "00000000-0000-4000-8000-000000000003"

static struct board *parse(const char *yaml)
{
	struct store_errors e;
	struct strbuf msg = STRBUF_INIT;
	struct board *b = NULL;

	store_errors_init(&e, "board.yaml");
	if (store_parse(yaml, strlen(yaml), &b, &e) < 0) {
		store_errors_format(&e, &msg);
		print_message("does not load:\n%s--- the board:\n%s", msg.buf, yaml);
		fail();
	}
	store_errors_release(&e);
	strbuf_release(&msg);
	return b;
}

/* store_format() of b, checked to load again and to be written the same then. */
static char *format(const struct board *b)
{
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT;
	struct board *b2 = parse((store_format(b, &out), out.buf));

	store_format(b2, &again);
	if (strcmp(out.buf, again.buf)) {
		print_message("not a fixed point:\n--- first:\n%s--- second:\n%s", out.buf,
			      again.buf);
		fail();
	}
	board_free(b2);
	strbuf_release(&again);
	return strbuf_detach(&out, NULL);
}

static void expect_text(const char *got, const char *want)
{
	if (strcmp(got, want)) {
		print_message("--- got:\n%s--- wanted:\n%s", got, want);
		fail();
	}
}

/* Reads yaml and writes it: the result must be want. */
static void expect_written(const char *yaml, const char *want)
{
	struct board *b = parse(yaml);
	char *got = format(b);

	expect_text(got, want);
	free(got);
	board_free(b);
}

static void apply(struct board *b, struct op *op)
{
	struct strbuf why = STRBUF_INIT;

	if (op_apply(b, op, &why) != 0) {
		print_message("op does not apply: %s\n", why.buf);
		fail();
	}
	strbuf_release(&why);
}

static void set_card(struct op *op, enum op_kind kind, const char *id)
{
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->at = 1561716000; /* 2019-06-28T10:00:00Z */
	op->facilitator = true;
	assert_int_equal(uuid_parse(id, op->card), 0);
}

/* --- Where comments go ---------------------------------------------------- */

#define HEAD_TAIL                                                              \
	"# Atelier du 28 juin\n"                                               \
	"# préparé par Claire\n"                                               \
	"\n"                                                                   \
	"tamis: 1\n"                                                           \
	"title: T\n"                                                           \
	"\n" FRAME                                                             \
	"\n"                                                                   \
	"cards: []\n"                                                          \
	"\n"                                                                   \
	"# fin du fichier\n"

static void test_head_and_tail(void **state)
{
	(void)state;
	expect_written(HEAD_TAIL, HEAD_TAIL);
	/*
	 * A document marker, another first key: still the head, with what was
	 * above 'tamis' (the head, when read back), and a blank line.
	 */
	expect_written("---  # début\n"
		       "# à propos du titre\n"
		       "title: T\n"
		       "# la version\n"
		       "tamis: 1\n" FRAME "cards: []\n"
		       "...\n"
		       "# après la fin\n",
		       "# début\n"
		       "# à propos du titre\n"
		       "# la version\n"
		       "\n"
		       "tamis: 1\n"
		       "title: T\n"
		       "\n" FRAME
		       "\n"
		       "cards: []\n"
		       "\n"
		       "# après la fin\n");
}

static void test_above_and_after(void **state)
{
	(void)state;
	expect_written("tamis: 1  # le format\n"
		       "title: T # le titre\n"
		       "# les thèmes\n"
		       "themes:\n"
		       "# premier thème\n"
		       "  - id: t  # son id\n"
		       "    # le libellé\n"
		       "    label: L\t# tabulation avant\n"
		       "    color: red\n" CRITERIA "grids:\n"
		       "  - id: g  # grille 1 : a × b\n"
		       "    x: a\n"
		       "    y: b\n"
		       "cards: []  # aucune carte\n",
		       "tamis: 1  # le format\n"
		       "title: T  # le titre\n"
		       "\n"
		       "# les thèmes\n"
		       "themes:\n"
		       "  # premier thème\n"
		       "  - id: t  # son id\n"
		       "    # le libellé\n"
		       "    label: L  # tabulation avant\n"
		       "    color: red\n"
		       "\n" CRITERIA "\n"
		       "grids:\n"
		       "  - id: g  # grille 1 : a × b\n"
		       "    x: a\n"
		       "    y: b\n"
		       "    cells: 2\n"
		       "\n"
		       "cards: []  # aucune carte\n");
}

/* A comment after a list item's dash alone goes with that item. */
static void test_after_dash(void **state)
{
	(void)state;
	expect_written("tamis: 1\n"
		       "title: T\n" FRAME "cards:\n"
		       "  -   # carte 1\n"
		       "    id: " ID1 "\n"
		       "    text: un\n"
		       "    theme: t\n"
		       "  - # carte 2\n"
		       "    id: " ID2 "\n"
		       "    text: deux\n"
		       "    theme: t\n",
		       BOARD_TOP "cards:\n"
		       "  # carte 1\n"
		       "  - id: " ID1 "\n"
		       "    text: un\n"
		       "    theme: t\n"
		       "    decision: undecided\n"
		       "  # carte 2\n"
		       "  - id: " ID2 "\n"
		       "    text: deux\n"
		       "    theme: t\n"
		       "    decision: undecided\n");
}

/* A '#' in a quoted, plain or block scalar is text, not a comment. */
static void test_hash_in_scalars(void **state)
{
	(void)state;
	expect_written("tamis: 1\n"
		       "title: \"a # b\"  # vrai commentaire\n"
		       "description: |  # en-tête du bloc\n"
		       "  ligne # pas un commentaire\n"
		       "  # pas un commentaire non plus\n"
		       "# un vrai, moins indenté\n" FRAME
		       "cards:\n"
		       "  - id: " ID1 "\n"
		       "    text: 'c # d' # après\n"
		       "    theme: t\n"
		       "    note: e#f\n"
		       "    by: \"#1\"\n",
		       "tamis: 1\n"
		       "title: \"a # b\"  # vrai commentaire\n"
		       "description: \"ligne # pas un commentaire\\n# pas un commentaire non "
		       "plus\\n\"  # en-tête du bloc\n"
		       "\n"
		       "# un vrai, moins indenté\n" FRAME
		       "\n"
		       "cards:\n"
		       "  - id: " ID1 "\n"
		       "    text: \"c # d\"  # après\n"
		       "    theme: t\n"
		       "    by: \"#1\"\n"
		       "    note: e#f\n"
		       "    decision: undecided\n");
}

/* Flow style becomes block style; its comments go with the key holding it. */
static void test_flow_style(void **state)
{
	(void)state;
	expect_written("tamis: 1\n"
		       "title: T\n"
		       "facilitators: [claire,  # animatrice\n"
		       "  # co-animation\n"
		       "  karim]  # fin de la liste\n"
		       "themes: [{id: t, label: L, color: red}]  # un seul thème\n"
		       "criteria:\n"
		       "  - {id: a, low: A, high: B, easy: low}  # critère a\n"
		       "  - {id: b, low: C,\n"
		       "     high: D, easy: high}  # critère b, sur deux lignes\n"
		       "grids: [{id: g, x: a, y: b}]\n"
		       "cards:\n"
		       "  - {id: " ID1 ", text: x, theme: t,  # carte en flow\n"
		       "     place: {g: [1, 2]}}\n",
		       "tamis: 1\n"
		       "title: T\n"
		       "\n"
		       "facilitators:  # animatrice\n"
		       "  # co-animation\n"
		       "  # fin de la liste\n"
		       "  - claire\n"
		       "  - karim\n"
		       "\n"
		       "themes:  # un seul thème\n"
		       "  - id: t\n"
		       "    label: L\n"
		       "    color: red\n"
		       "\n"
		       "criteria:\n"
		       "  - id: a  # critère a\n"
		       "    low: A\n"
		       "    high: B\n"
		       "    easy: low\n"
		       "  - id: b  # critère b, sur deux lignes\n"
		       "    low: C\n"
		       "    high: D\n"
		       "    easy: high\n"
		       "\n"
		       "grids:\n"
		       "  - id: g\n"
		       "    x: a\n"
		       "    y: b\n"
		       "    cells: 2\n"
		       "\n"
		       "cards:\n"
		       "  - id: " ID1 "  # carte en flow\n"
		       "    text: x\n"
		       "    theme: t\n"
		       "    decision: undecided\n"
		       "    place:\n"
		       "      g: [1, 2]\n");
}

/*
 * A comment indented as the keys of a card stays with the card; one at the
 * list's indentation goes with the next card; those of a key tamis does not
 * write (a value left empty or false) stay where the key would be, above
 * the next key written. A history event written in block style is written
 * in flow style: its inner comments go under it.
 */
static void test_card_comments(void **state)
{
	(void)state;
	expect_written("tamis: 1\n"
		       "title: T\n" FRAME "cards:\n"
		       "  # carte 1\n"
		       "  - id: " ID1 "\n"
		       "    text: x  # idée\n"
		       "    theme: t\n"
		       "    note: ~  # à compléter\n"
		       "    locked: false  # on verra\n"
		       "    place:\n"
		       "      g: [1, 2]  # posée\n"
		       "    # fin de la carte 1\n"
		       "# carte 2\n"
		       "  - id: " ID2 "\n"
		       "    text: deux\n"
		       "    theme: t\n"
		       "    history:\n"
		       "      # créée à la main\n"
		       "      - {at: 2019-06-28T10:12:00Z, event: created}  # la première\n"
		       "      - at: 2019-06-28T10:12:00Z  # la même seconde\n"
		       "        event: edited  # corrigée\n"
		       "    debated: false\n"
		       "    # fin de la carte 2\n"
		       "decisions: []  # rien encore\n",
		       BOARD_TOP "cards:\n"
		       "  # carte 1\n"
		       "  - id: " ID1 "\n"
		       "    text: x  # idée\n"
		       "    theme: t\n"
		       "    # à compléter\n"
		       "    decision: undecided\n"
		       "    # on verra\n"
		       "    place:\n"
		       "      g: [1, 2]  # posée\n"
		       "      # fin de la carte 1\n"
		       "  # carte 2\n"
		       "  - id: " ID2 "\n"
		       "    text: deux\n"
		       "    theme: t\n"
		       "    decision: undecided\n"
		       "    # fin de la carte 2\n"
		       "    history:\n"
		       "      # créée à la main\n"
		       "      - {at: 2019-06-28T10:12:00Z, event: created}  # la première\n"
		       "      - {at: 2019-06-28T10:12:00Z, event: edited}  # la même seconde\n"
		       "      # corrigée\n"
		       "\n"
		       "# rien encore\n");
}

/* A decision of the log, with a comment above it. */
#define DECISION                                                               \
	"  # la seule décision\n"                                              \
	"  - at: 2019-06-28T11:02:00Z\n"                                       \
	"    card: " ID1 "\n"                                                  \
	"    text: x\n"                                                        \
	"    from: undecided\n"                                                \
	"    to: v1\n"

static void test_frame_comments(void **state)
{
	(void)state;
	expect_written("tamis: 1\n"
		       "title: T\n"
		       "description: ~  # à écrire\n"
		       "facilitators:\n"
		       "  - claire  # animatrice\n"
		       "  # la suivante\n"
		       "  - \"50% / karim\"\n" FRAME "    zones:\n"
		       "      # zone du matin\n"
		       "      - name: V1 / matin\n"
		       "        color: green\n"
		       "        easy: false  # pas la plus facile\n"
		       "        cells:\n"
		       "          - [1, 2]  # le coin\n"
		       "cards: []\n"
		       "decisions:\n" DECISION "    rationale: ~  # à demander\n",
		       "tamis: 1\n"
		       "title: T\n"
		       "\n"
		       "# à écrire\n"
		       "facilitators:\n"
		       "  - claire  # animatrice\n"
		       "  # la suivante\n"
		       "  - 50% / karim\n"
		       "\n" FRAME "    zones:\n"
		       "      # zone du matin\n"
		       "      - name: V1 / matin\n"
		       "        color: green\n"
		       "        # pas la plus facile\n"
		       "        cells: [[1, 2]]  # le coin\n"
		       "\n"
		       "cards: []\n"
		       "\n"
		       "decisions:\n" DECISION "    # à demander\n");
}

/* Line breaks CR LF and CR end a comment like LF. */
/* The facilitators' keys (sign.h): each item's comments stay with it, by its name. */
static void test_key_comments(void **state)
{
	(void)state;
	expect_written("tamis: 1\n"
		       "title: T\n"
		       "# les clés des animateurs\n"
		       "facilitator_keys:\n"
		       "  # ajoutée le matin\n"
		       "  - name: claire  # elle anime\n"
		       "    key: \"ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"  # sa clé\n"
		       "    added: 2019-06-28T11:00:00Z\n" FRAME "cards: []\n",
		       "tamis: 1\n"
		       "title: T\n"
		       "\n"
		       "# les clés des animateurs\n"
		       "facilitator_keys:\n"
		       "  # ajoutée le matin\n"
		       "  - name: claire  # elle anime\n"
		       "    key: ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=  # sa clé\n"
		       "    added: 2019-06-28T11:00:00Z\n"
		       "\n" FRAME "\n"
		       "cards: []\n");
}

static void test_line_breaks(void **state)
{
	(void)state;
	expect_written("# tête\r\ntamis: 1\r\ntitle: T  # titre\r\n" FRAME "cards: []\r# fin\r",
		       "# tête\n"
		       "\n"
		       "tamis: 1\n"
		       "title: T  # titre\n"
		       "\n" FRAME
		       "\n"
		       "cards: []\n"
		       "\n"
		       "# fin\n");
}

/* --- Through the operations ----------------------------------------------- */

static const char board_three[] =
	"# trois cartes\n"
	"tamis: 1\n"
	"title: T\n" FRAME "cards:\n"
	"  # carte 1\n"
	"  - id: " ID1 "\n"
	"    text: un  # idée 1\n"
	"    theme: t\n"
	"    note: à voir  # la note\n"
	"    place:\n"
	"      g: [1, 2]  # posée\n"
	"  # carte 2\n"
	"  - id: " ID2 "\n"
	"    text: deux  # idée 2\n"
	"    theme: t\n"
	"    # dans le bac\n"
	"  # carte 3\n"
	"  - id: " ID3 "\n"
	"    text: trois  # idée 3\n"
	"    theme: t\n"
	"# fin\n";

/* True when s holds line, whole. */
static bool has_line(const char *s, const char *line)
{
	size_t len = strlen(line);
	const char *p = s;

	while ((p = strstr(p, line))) {
		if ((p == s || p[-1] == '\n') && (p[len] == '\n' || !p[len]))
			return true;
		p++;
	}
	return false;
}

/* line a is followed by line b (with only comment lines between when loose). */
static void expect_lines(const char *s, const char *a, const char *b)
{
	struct strbuf both = STRBUF_INIT;

	strbuf_addf(&both, "%s\n%s\n", a, b);
	if (!strstr(s, both.buf)) {
		print_message("'%s' is not followed by '%s' in:\n%s", a, b, s);
		fail();
	}
	strbuf_release(&both);
}

/* expect_lines() for each pair of lines of want[0..n). */
static void expect_pairs(const char *s, const char *const (*want)[2], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		expect_lines(s, want[i][0], want[i][1]);
}

static void test_delete_takes_comments(void **state)
{
	struct board *b = parse(board_three);
	struct op op, inv;
	char *got;

	(void)state;
	set_card(&op, OP_DELETE, ID2);
	assert_int_equal(op_inverse(b, &op, &inv), 0);
	apply(b, &op);
	got = format(b);
	assert_false(strstr(got, "carte 2"));
	assert_false(strstr(got, "idée 2"));
	assert_false(strstr(got, "dans le bac"));
	expect_lines(got, "  # carte 1", "  - id: " ID1);
	expect_lines(got, "  # carte 3", "  - id: " ID3);
	expect_lines(got, "    text: trois  # idée 3", "    theme: t");
	assert_true(has_line(got, "# trois cartes"));
	assert_true(has_line(got, "# fin"));
	free(got);

	/* Undoing the deletion brings the card back with its comments. */
	apply(b, &inv);
	got = format(b);
	expect_lines(got, "  # carte 2", "  - id: " ID2);
	expect_lines(got, "    text: deux  # idée 2", "    theme: t");
	assert_true(has_line(got, "    # dans le bac"));
	free(got);
	op_release(&inv);
	board_free(b);
}

/* Moves card id to (x, y) on grid g, (0, 0) for the tray. */
static void move(struct board *b, const char *id, int x, int y)
{
	char grid[] = "g";
	struct op op;

	set_card(&op, OP_MOVE, id);
	op.grid = grid;
	op.x = x;
	op.y = y;
	apply(b, &op);
}

static void test_changes_keep_comments(void **state)
{
	static const char *const changed[][2] = {
		{ "  # carte 1", "  - id: " ID1 },
		{ "    text: un, modifiée  # idée 1", "    theme: t" },
		{ "    note: à voir  # la note", "    decision: v1" },
		{ "    locked: true", "    place:" },
		{ "      g: [2, 2]  # posée", "    history:" },
		{ "    text: deux  # idée 2", "    theme: t" },
		{ "    theme: t", "    # dans le bac" },
	};
	struct board *b = parse(board_three);
	char text[] = "un, modifiée";
	struct op op;
	char *got;

	(void)state;
	/* Edit, move to another cell, decide, lock. */
	set_card(&op, OP_TEXT, ID1);
	op.text = text;
	apply(b, &op);
	move(b, ID1, 2, 2);
	set_card(&op, OP_DECIDE, ID1);
	op.value = DECISION_V1;
	apply(b, &op);
	set_card(&op, OP_LOCK, ID1);
	op.value = 1;
	apply(b, &op);
	move(b, ID2, 1, 1);
	got = format(b);
	expect_pairs(got, changed, sizeof(changed) / sizeof(changed[0]));
	free(got);

	/* Back to the tray, note cleared: their comments stay in the card. */
	move(b, ID1, 0, 0);
	set_card(&op, OP_NOTE, ID1);
	apply(b, &op);
	got = format(b);
	expect_lines(got, "    theme: t", "    # la note");
	expect_lines(got, "    # la note", "    decision: v1");
	expect_lines(got, "    locked: true", "    # posée");
	expect_lines(got, "    # posée", "    history:");
	free(got);
	board_free(b);
}

/*
 * A card added (by the CLI, another instance) comes without comments; the
 * others keep theirs.
 */
static void test_add_keeps_comments(void **state)
{
	struct board *b = parse(board_three);
	struct board *other = parse("tamis: 1\ntitle: T\n" FRAME "cards:\n"
				    "  - {id: 00000000-0000-4000-8000-000000000004, text: w, "
				    "theme: t}\n");
	struct op op;
	char *got;

	(void)state;
	set_card(&op, OP_ADD, "00000000-0000-4000-8000-000000000004");
	op.card_data = card_dup(other, other->cards[0]);
	op.x = 1;
	apply(b, &op);
	card_free(op.card_data);
	got = format(b);
	expect_lines(got, "  # carte 1", "  - id: " ID1);
	expect_lines(got, "      g: [1, 2]  # posée", "  - id: 00000000-0000-4000-8000-000000000004");
	expect_lines(got, "    text: w", "    theme: t");
	expect_lines(got, "    decision: undecided", "  # carte 2");
	expect_lines(got, "  # carte 2", "  - id: " ID2);
	free(got);
	board_free(other);
	board_free(b);
}

/* --- Merge ----------------------------------------------------------------- */

static void test_merge(void **state)
{
	static const char *const merged[][2] = {
		/* A's own. */
		{ "    text: un  # idée 1", "    theme: t" },
		/* B's, for what only B had. */
		{ "  # thème de B seul", "  - id: u" },
		{ "  # carte de B seul", "  - id: 00000000-0000-4000-8000-000000000009" },
		{ "    text: w  # idée de B", "    theme: u" },
		{ "decisions:", "  # la seule décision" },
		{ "    to: v1", "    rationale: r  # pourquoi" },
	};
	struct board *a = parse(board_three);
	struct board *b = parse("# la tête de B\n"
				"tamis: 1\n"
				"title: T\n"
				"themes:\n"
				"  - id: t  # thème de A aussi\n"
				"    label: L\n"
				"    color: red\n"
				"  # thème de B seul\n"
				"  - id: u\n"
				"    label: U\n"
				"    color: blue\n"
				"criteria:\n"
				"  - {id: a, low: A, high: B, easy: low}\n"
				"  - {id: b, low: C, high: D, easy: high}\n"
				"grids:\n"
				"  - {id: g, x: a, y: b}\n"
				"cards:\n"
				"  - id: " ID1 "\n"
				"    text: un  # la version de B\n"
				"    theme: t\n"
				"    pair: p  # le binôme de B\n"
				"  # carte de B seul\n"
				"  - id: 00000000-0000-4000-8000-000000000009\n"
				"    text: w  # idée de B\n"
				"    theme: u\n"
				"decisions:\n" DECISION "    rationale: r  # pourquoi\n");
	struct board_lines none = { NULL, NULL, NULL };
	struct merge_stats st = { 0 };
	struct store_errors e;
	char *got;

	(void)state;
	store_errors_init(&e, "b.yaml");
	assert_int_equal(merge_board(a, "a.yaml", &none, b, "b.yaml", &none, 1561716000, &st,
				     &e), 0);
	store_errors_release(&e);
	got = format(a);
	assert_true(has_line(got, "# trois cartes"));
	assert_false(strstr(got, "la tête de B"));
	assert_false(strstr(got, "la version de B"));
	assert_false(strstr(got, "le binôme de B"));
	assert_false(strstr(got, "thème de A aussi"));
	expect_pairs(got, merged, sizeof(merged) / sizeof(merged[0]));
	free(got);
	board_free(a);
	board_free(b);
}

/* --- Reading in windows, odd bytes, boards without comments ---------------- */

struct chunks {
	const char *s;
	size_t len, off, step;
};

static long read_chunks(void *data, char *buf, size_t size, struct strbuf *err)
{
	struct chunks *c = data;
	size_t n = c->len - c->off;

	(void)err;
	if (n > c->step)
		n = c->step;
	if (n > size)
		n = size;
	memcpy(buf, c->s + c->off, n);
	c->off += n;
	c->step = c->step % 7 + 1; /* 1 to 7 bytes at a time */
	return (long)n;
}

/* A board of many cards, read in windows cut anywhere, gives the same comments. */
static void test_streamed(void **state)
{
	struct strbuf yaml = STRBUF_INIT, again = STRBUF_INIT;
	struct board *b = NULL;
	struct store_errors e;
	struct chunks c;
	char *want;
	int i;

	(void)state;
	strbuf_addstr(&yaml, "# tête\ntamis: 1\ntitle: T\n" FRAME "cards:\n");
	for (i = 0; i < 2000; i++)
		strbuf_addf(&yaml,
			    "  # carte %d #%d\n"
			    "  - id: 00000000-0000-4000-8000-%012d  # id\n"
			    "    text: \"texte # %d\"  # après\n"
			    "    theme: t\n"
			    "    note: |  # note\n"
			    "      # contenu %d\n"
			    "    place: {g: [1,\n"
			    "      # dans le flow\n"
			    "      2]}  # fin\n"
			    "    # fin de la carte\n",
			    i, i, i + 1, i, i);
	strbuf_addstr(&yaml, "# fin\n");
	b = parse(yaml.buf);
	want = format(b);
	board_free(b);
	b = NULL;
	c.s = yaml.buf;
	c.len = yaml.len;
	c.off = 0;
	c.step = 1;
	store_errors_init(&e, "board.yaml");
	assert_int_equal(store_parse_stream(read_chunks, &c, &b, &e, NULL), 0);
	store_format(b, &again);
	expect_text(again.buf, want);
	assert_true(strstr(want, "  # carte 1999 #1999\n  - id: 00000000-0000-4000-8000-"
				 "000000002000  # id\n    text: \"texte # 1999\"  # après\n"));
	store_errors_release(&e);
	board_free(b);
	free(want);
	strbuf_release(&yaml);
	strbuf_release(&again);
}

/*
 * Comments are written back as they are, but a character no board file may
 * hold (made by hand through the model: a file never gives one) cannot
 * break the file: it loads, and is written the same again.
 */
static void test_odd_bytes(void **state)
{
	struct board *b = parse("tamis: 1\ntitle: T\n" FRAME "cards: []\n");
	char *got;

	(void)state;
	comments_add(&b->comments, "title", COMMENT_AFTER, "# CR\r dans le texte");
	comments_add(&b->comments, "title", COMMENT_BELOW, "# ESC \x1b[2J, NEL \xc2\x85, LS \xe2\x80\xa8");
	comments_add(&b->comments, "themes", COMMENT_BEFORE, "# octet \xff invalide\n\nsans dièse");
	comments_add(&b->comments, "themes/t/label", COMMENT_AFTER, "# bidi \xe2\x80\xae ok\t");
	got = format(b);
	assert_true(has_line(got, "title: T  # CR\xef\xbf\xbd dans le texte"));
	assert_true(has_line(got, "# ESC \xef\xbf\xbd[2J, NEL \xef\xbf\xbd, LS \xef\xbf\xbd"));
	expect_lines(got, "# octet \xef\xbf\xbd invalide", "#");
	expect_lines(got, "#", "# sans dièse");
	expect_lines(got, "# sans dièse", "themes:");
	assert_true(has_line(got, "    label: L  # bidi \xe2\x80\xae ok"));
	free(got);
	board_free(b);
}

/* What follows the description in test_no_comments_stable(). */
#define STABLE_REST                                                            \
	"\n"                                                                   \
	"facilitators:\n"                                                      \
	"  - claire\n"                                                         \
	"\n" FRAME "    zones:\n"                                              \
	"      - name: V1\n"                                                   \
	"        color: green\n"                                               \
	"        easy: true\n"                                                 \
	"        cells: [[1, 2]]\n"                                            \
	"\n"                                                                   \
	"cards:\n"                                                             \
	"  - id: " ID1 "\n"                                                    \
	"    text: \"#1 idée\"\n"                                              \
	"    theme: t\n"                                                       \
	"    decision: undecided\n"                                            \
	"    place:\n"                                                         \
	"      g: [1, 2]\n"                                                    \
	"    history:\n"                                                       \
	"      - {at: 2019-06-28T10:12:00Z, by: \"Binôme #3\", event: created}\n"

#define STABLE_HEAD "tamis: 1\ntitle: \"Titre # avec dièse\"\n"

/* A board without comments is written byte for byte as it was read. */
static void test_no_comments_stable(void **state)
{
	(void)state;
	expect_written(STABLE_HEAD "description: |\n  # pas un commentaire\n" STABLE_REST,
		       STABLE_HEAD "description: \"# pas un commentaire\\n\"\n" STABLE_REST);
	expect_written(STABLE_HEAD "description: \"# pas un commentaire\\n\"\n" STABLE_REST,
		       STABLE_HEAD "description: \"# pas un commentaire\\n\"\n" STABLE_REST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head_and_tail),
		cmocka_unit_test(test_above_and_after),
		cmocka_unit_test(test_after_dash),
		cmocka_unit_test(test_hash_in_scalars),
		cmocka_unit_test(test_flow_style),
		cmocka_unit_test(test_card_comments),
		cmocka_unit_test(test_frame_comments),
		cmocka_unit_test(test_key_comments),
		cmocka_unit_test(test_line_breaks),
		cmocka_unit_test(test_delete_takes_comments),
		cmocka_unit_test(test_changes_keep_comments),
		cmocka_unit_test(test_add_keeps_comments),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_streamed),
		cmocka_unit_test(test_odd_bytes),
		cmocka_unit_test(test_no_comments_stable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
