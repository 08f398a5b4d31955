/*
 * test_import.c - bringing ideas in: text and CSV parsing, themes, duplicates,
 * errors with positions, all-or-nothing.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "board.h"
#include "import.h"
#include "store.h"
#include "strbuf.h"

#define NOW ((time_t)1561716000) /* 2019-06-28T10:00:00Z */

/* Two themes (green, red) and a grid, plus one card. */
static struct board *make_board(void)
{
	struct board *b = board_new("t");
	uuid_t id;

	assert_int_equal(board_add_theme(b, "mobilite", "Mobilité", HUE_GREEN), 0);
	assert_int_equal(board_add_theme(b, "sante", "Santé", HUE_RED), 1);
	assert_int_equal(board_add_criterion(b, "c1", "low1", "high1", POLE_LOW), 0);
	assert_int_equal(board_add_criterion(b, "c2", "low2", "high2", POLE_HIGH), 1);
	assert_int_equal(board_add_grid(b, "g", 0, 1, 2), 0);
	memset(id, 0x11, sizeof(id));
	assert_non_null(board_add_card(b, id, "Navette entre les sites", 0));
	return b;
}

struct run {
	struct import_result res;
	struct store_errors err;
	struct strbuf msg;    /* the errors, formatted */
	int rc;
};

static void run_import(struct run *r, struct board *b, const char *file, const char *data,
		       size_t len)
{
	struct import_options opt = { "Binôme 1", NOW, -1, NULL };

	import_result_init(&r->res);
	store_errors_init(&r->err, file);
	strbuf_init(&r->msg, 0);
	r->rc = import_ideas(b, data, len, &opt, &r->res, &r->err);
	store_errors_format(&r->err, &r->msg);
}

static void run_release(struct run *r)
{
	import_result_release(&r->res);
	store_errors_release(&r->err);
	strbuf_release(&r->msg);
}

/* Imports a NUL-terminated input that must succeed. */
static void import_ok(struct run *r, struct board *b, const char *data)
{
	run_import(r, b, "ideas.txt", data, strlen(data));
	if (r->rc)
		fail_msg("import failed: %s", r->msg.buf);
}

static const struct card *card_at(const struct board *b, size_t i)
{
	assert_true(i < b->ncards);
	return b->cards[i];
}

static void test_text_lines(void **state)
{
	struct board *b = make_board();
	const struct card *c;
	struct run r;

	(void)state;
	import_ok(&r, b, "Crèche d'entreprise\n\n   \n  Salle de sport  \nDernière idée");
	assert_int_equal(r.res.format, IMPORT_FORMAT_TEXT);
	assert_int_equal(r.res.added, 3);
	assert_int_equal(r.res.first_card, 1);
	assert_int_equal(r.res.nskips, 0);
	assert_int_equal(b->ncards, 4);
	c = card_at(b, 1);
	assert_string_equal(c->text, "Crèche d'entreprise");
	assert_int_equal(c->theme, 0);
	assert_string_equal(c->by, "Binôme 1");
	assert_int_equal(c->created, NOW);
	assert_int_equal(c->decision, DECISION_UNDECIDED);
	assert_false(card_is_placed(c, 0));
	assert_int_equal(c->nhistory, 1);
	assert_int_equal(c->history[0].kind, EVENT_CREATED);
	assert_int_equal(c->history[0].at, NOW);
	assert_string_equal(c->history[0].by, "Binôme 1");
	assert_string_equal(card_at(b, 2)->text, "Salle de sport");
	assert_string_equal(card_at(b, 3)->text, "Dernière idée");
	/* Fresh, distinct, non-null ids that the board finds. */
	assert_true(uuid_is_null(card_at(b, 1)->id) == 0);
	assert_true(memcmp(card_at(b, 1)->id, card_at(b, 2)->id, sizeof(uuid_t)));
	assert_ptr_equal(board_find_card(b, card_at(b, 3)->id), card_at(b, 3));
	run_release(&r);
	board_free(b);
}

static void test_bom_crlf(void **state)
{
	struct board *b = make_board();
	struct run r;

	(void)state;
	import_ok(&r, b, "\xEF\xBB\xBFPremière\r\n\r\nDeuxième\r\nTroisième\rQuatrième\r\n"
			 "deuxième\r\n");
	assert_int_equal(r.res.added, 4);
	assert_string_equal(card_at(b, 1)->text, "Première");
	assert_string_equal(card_at(b, 2)->text, "Deuxième");
	assert_string_equal(card_at(b, 3)->text, "Troisième");
	assert_string_equal(card_at(b, 4)->text, "Quatrième");
	/* Lines are counted across CRLF, blank lines and lone CR alike. */
	assert_int_equal(r.res.nskips, 1);
	assert_int_equal(r.res.skips[0].line, 6);
	assert_int_equal(r.res.skips[0].reason, IMPORT_SKIP_IN_FILE);
	assert_int_equal(r.res.skips[0].earlier, 3);
	run_release(&r);
	board_free(b);
}

static void test_theme_prefix(void **state)
{
	static const struct {
		const char *line, *text, *theme; /* theme NULL: the default (index 0) */
	} cases[] = {
		{ "Mobilité: Vélos de service", "Vélos de service", "mobilite" },
		{ "sante : Médecin sur site", "Médecin sur site", "sante" },
		{ "SANTE\u00a0: Yoga", "Yoga", "sante" },
		{ "  mobilite :   Covoiturage  ", "Covoiturage", "mobilite" },
		{ "Aide : démarches en ligne", "démarches en ligne", "aide" },
		{ "Vie pratique: pressing", "pressing", "vie-pratique" },
		{ "Note: à 10:30 le matin", "à 10:30 le matin", "note" },
		{ "Rappel du 12/06: réunion", "Rappel du 12/06: réunion", NULL },
		{ "http://example.org/idee", "http://example.org/idee", NULL },
		{ "Ex. : un exemple", "Ex. : un exemple", NULL },
		{ "Un deux trois quatre: trop de mots", "Un deux trois quatre: trop de mots", NULL },
		{ "Ceci est un préfixe vraiment beaucoup trop long: x",
		  "Ceci est un préfixe vraiment beaucoup trop long: x", NULL },
		{ "Ligne 14 : métro prolongé", "métro prolongé", "ligne-14" },
		{ "Tableau:sans espace", "Tableau:sans espace", NULL },
		{ "Question (urgent): x", "Question (urgent): x", NULL },
	};
	struct board *b = make_board();
	struct strbuf in = STRBUF_INIT;
	struct run r;
	size_t i;

	(void)state;
	/* A theme whose label has a digit is still matched by name. */
	assert_int_equal(board_add_theme(b, "ligne-14", "Ligne 14", HUE_BLUE), 2);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		strbuf_addf(&in, "%s\n", cases[i].line);
	strbuf_addstr(&in, "Aide :\n");
	import_ok(&r, b, in.buf);
	assert_int_equal(r.res.added, sizeof(cases) / sizeof(cases[0]));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct card *c = card_at(b, 1 + i);

		assert_string_equal(c->text, cases[i].text);
		assert_string_equal(b->themes[c->theme].id,
				    cases[i].theme ? cases[i].theme : "mobilite");
	}
	/* "Aide :" has a theme and nothing after it. */
	assert_int_equal(r.res.nskips, 1);
	assert_int_equal(r.res.skips[0].reason, IMPORT_SKIP_NO_TEXT);
	assert_int_equal(r.res.skips[0].line, (int)(sizeof(cases) / sizeof(cases[0])) + 1);
	/* New themes keep the label as written. */
	assert_string_equal(b->themes[board_theme_index(b, "aide")].label, "Aide");
	assert_string_equal(b->themes[board_theme_index(b, "vie-pratique")].label,
			    "Vie pratique");
	assert_int_equal(r.res.nnew_themes, 3);
	strbuf_release(&in);
	run_release(&r);
	board_free(b);
}

static void test_new_themes(void **state)
{
	static const enum hue want[] = {
		HUE_YELLOW, HUE_BLUE, HUE_MAGENTA, HUE_CYAN, HUE_WHITE, HUE_RED, HUE_GREEN,
	};
	struct board *b = make_board();
	struct run r;
	size_t i;

	(void)state;
	assert_int_equal(board_add_theme(b, "vie-pratique", "Quotidien", HUE_BLACK), 2);
	import_ok(&r, b,
		  "Vie   pratique: a\n"   /* not "Quotidien", and its slug is taken */
		  "Aide: b\n"
		  "Éducation & Santé: c\n"
		  "Œuvres sociales: d\n"
		  "Sport: e\n"
		  "Loisirs: f\n"
		  "Culture: g\n"
		  "aide: h\n");           /* the theme made two lines above */
	assert_int_equal(r.res.added, 8);
	assert_int_equal(r.res.nnew_themes, 7);
	assert_string_equal(b->themes[r.res.new_themes[0]].id, "vie-pratique-2");
	assert_string_equal(b->themes[r.res.new_themes[0]].label, "Vie   pratique");
	assert_string_equal(b->themes[r.res.new_themes[1]].id, "aide");
	assert_string_equal(b->themes[r.res.new_themes[2]].id, "education-sante");
	assert_string_equal(b->themes[r.res.new_themes[3]].id, "oeuvres-sociales");
	/* Free hues first (black never), then the least used, in hue order. */
	for (i = 0; i < 7; i++)
		assert_int_equal(b->themes[r.res.new_themes[i]].color, want[i]);
	assert_int_equal(card_at(b, 8)->theme, (size_t)board_theme_index(b, "aide"));
	run_release(&r);
	board_free(b);
}

static void test_slug(void **state)
{
	struct board *b = make_board();
	struct strbuf sb = STRBUF_INIT;
	char longlabel[300];

	(void)state;
	import_theme_slug(b, "  Ça, c'est l'Été !  ", &sb);
	assert_string_equal(sb.buf, "ca-c-est-l-ete");
	strbuf_reset(&sb);
	import_theme_slug(b, "中文", &sb);
	assert_string_equal(sb.buf, "theme");
	strbuf_reset(&sb);
	import_theme_slug(b, "Santé", &sb);
	assert_string_equal(sb.buf, "sante-2");
	strbuf_reset(&sb);
	import_theme_slug(b, "E\u0301ducation ﬁnancière", &sb); /* NFD, a ligature */
	assert_string_equal(sb.buf, "education-financiere");
	strbuf_reset(&sb);
	memset(longlabel, 'x', sizeof(longlabel) - 1);
	longlabel[sizeof(longlabel) - 1] = '\0';
	import_theme_slug(b, longlabel, &sb);
	assert_true(board_id_valid(sb.buf));
	assert_true(sb.len < BOARD_ID_MAX);
	strbuf_release(&sb);
	board_free(b);
}

static void test_default_theme(void **state)
{
	struct board *b = board_new("empty");
	struct import_options opt = { NULL, NOW, 1, NULL };
	struct import_result res;
	struct store_errors err;

	(void)state;
	import_result_init(&res);
	store_errors_init(&err, "ideas.txt");
	assert_int_equal(import_ideas(b, "une idée\n", strlen("une idée\n"), &opt, &res, &err), 0);
	assert_int_equal(b->nthemes, 1);
	assert_string_equal(b->themes[0].label, "Unsorted");
	assert_string_equal(b->themes[0].id, "unsorted");
	assert_null(b->cards[0]->by);
	assert_null(b->cards[0]->history[0].by);
	/* A given default theme is used. */
	assert_int_equal(board_add_theme(b, "autre", "Autre", HUE_BLUE), 1);
	assert_int_equal(import_ideas(b, "deux\n", 5, &opt, &res, &err), 0);
	assert_int_equal(b->cards[1]->theme, 1);
	import_result_release(&res);
	store_errors_release(&err);
	board_free(b);
}

static void test_csv_quoting(void **state)
{
	struct board *b = make_board();
	struct run r;

	(void)state;
	import_ok(&r, b,
		  "Text,Theme,By\n"
		  "\"Pressing, cordonnerie\",Mobilité,Alice\n"
		  "\"Dire \"\"bonjour\"\" le matin\",,\n"
		  "\"Sur deux\r\nlignes\",santé,  Bob  \n"
		  "  \"Espaces avant\"  ,sante,\n"
		  "Un \"guillemet\" au milieu,,\n"
		  "\n"
		  ",,\n"
		  "Aide: pas de préfixe en CSV,Nouveau thème,\n"
		  "Dernière,,Carole");
	assert_int_equal(r.res.format, IMPORT_FORMAT_CSV);
	assert_int_equal(r.res.added, 7);
	assert_string_equal(card_at(b, 1)->text, "Pressing, cordonnerie");
	assert_string_equal(card_at(b, 1)->by, "Alice");
	assert_int_equal(card_at(b, 1)->theme, 0);
	assert_string_equal(card_at(b, 2)->text, "Dire \"bonjour\" le matin");
	assert_string_equal(card_at(b, 2)->by, "Binôme 1");
	assert_string_equal(card_at(b, 3)->text, "Sur deux\nlignes");
	assert_string_equal(card_at(b, 3)->by, "Bob");
	assert_int_equal(card_at(b, 3)->theme, 1);
	assert_string_equal(card_at(b, 4)->text, "Espaces avant");
	assert_string_equal(card_at(b, 5)->text, "Un \"guillemet\" au milieu");
	assert_string_equal(card_at(b, 6)->text, "Aide: pas de préfixe en CSV");
	assert_string_equal(b->themes[card_at(b, 6)->theme].id, "nouveau-theme");
	assert_string_equal(b->themes[card_at(b, 6)->theme].label, "Nouveau thème");
	assert_string_equal(card_at(b, 7)->text, "Dernière");
	assert_string_equal(card_at(b, 7)->history[0].by, "Carole");
	run_release(&r);

	/* Line numbers count the line breaks inside quotes. */
	import_ok(&r, b, "text\n\"a\nb\nc\"\n\"Pressing, cordonnerie\"\n");
	assert_int_equal(r.res.added, 1);
	assert_int_equal(r.res.nskips, 1);
	assert_int_equal(r.res.skips[0].line, 5);
	assert_int_equal(r.res.skips[0].reason, IMPORT_SKIP_ON_BOARD);
	run_release(&r);
	board_free(b);
}

static void test_csv_semicolon(void **state)
{
	struct board *b = make_board();
	struct run r;

	(void)state;
	import_ok(&r, b,
		  "\xEF\xBB\xBF\r\n"
		  "Thème;Texte;Par;Remarques\r\n"
		  "Santé;Visite médicale, sur place;Dominique;x\r\n"
		  "Mobilité;\"Vélos; trottinettes\";;\r\n"
		  "Sport;Salle de sport;Éric\r\n"
		  ";;;\r\n");
	assert_int_equal(r.res.format, IMPORT_FORMAT_CSV);
	assert_int_equal(r.res.added, 3);
	assert_string_equal(card_at(b, 1)->text, "Visite médicale, sur place");
	assert_int_equal(card_at(b, 1)->theme, 1);
	assert_string_equal(card_at(b, 1)->by, "Dominique");
	assert_string_equal(card_at(b, 2)->text, "Vélos; trottinettes");
	assert_int_equal(card_at(b, 2)->theme, 0);
	assert_string_equal(b->themes[card_at(b, 3)->theme].id, "sport");
	run_release(&r);

	/* A header of one "text" column is a CSV too. */
	import_ok(&r, b, "TEXT\n\"Une, idée\"\n");
	assert_int_equal(r.res.format, IMPORT_FORMAT_CSV);
	assert_string_equal(card_at(b, 4)->text, "Une, idée");
	run_release(&r);
	board_free(b);
}

/* Imports data that must fail without touching the board; r has the errors. */
#define import_fails(r, file, lit) import_fails_len(r, file, lit, sizeof(lit) - 1)
static void import_fails_len(struct run *r, const char *file, const char *data, size_t len)
{
	struct board *b = make_board();

	run_import(r, b, file, data, len);
	assert_int_equal(r->rc, -1);
	assert_int_equal(b->ncards, 1);
	assert_int_equal(b->nthemes, 2);
	assert_int_equal(r->res.added, 0);
	board_free(b);
}

static void test_csv_errors(void **state)
{
	struct run r;

	(void)state;
	import_fails(&r, "ideas.csv", "idea,theme\nfoo,bar\n");
	assert_string_equal(r.msg.buf, "ideas.csv:1:1: the CSV header has no 'text' column\n");
	run_release(&r);
	import_fails(&r, "ideas.csv", "\n\nIdée ; Thème ; Auteur\r\nfoo;bar;baz\r\n");
	assert_string_equal(r.msg.buf, "ideas.csv:3:1: the CSV header has no 'text' column\n");
	run_release(&r);

	/* Rows before the error carry a new theme: nothing is created. */
	import_fails(&r, "ideas.csv",
		     "text,theme\nbonne,Neuf\nbonne 2,Neuf\nligne 4,\"é\n\npas fermée\n");
	assert_string_equal(r.msg.buf, "ideas.csv:4:9: unterminated quoted field\n");
	run_release(&r);

	import_fails(&r, "ideas.csv", "text\n\"abc\"def\n");
	assert_string_equal(r.msg.buf,
			    "ideas.csv:2:6: unexpected character after a closing quote (a "
			    "quote inside a quoted field is written \"\")\n");
	run_release(&r);

	import_fails(&r, "ideas.csv", "text;by\nun;deux\nà;b;trois;;\nok;x;;\n");
	assert_string_equal(r.msg.buf,
			    "ideas.csv:3:5: more fields than the header's 2 (quote a field that "
			    "holds ';')\n");
	run_release(&r);

	import_fails(&r, "ideas.csv", "Text,theme,TEXTE\na,b,c\n");
	assert_string_equal(r.msg.buf,
			    "ideas.csv:1:12: duplicate column 'text' in the CSV header\n");
	run_release(&r);
}

static void test_invalid_utf8(void **state)
{
	struct run r;

	(void)state;
	import_fails(&r, "ideas.txt", "ok\nhé\xFFho\n\xEF\xBB\ncafé\xC3(\n");
	assert_string_equal(r.msg.buf,
			    "ideas.txt:2:3: invalid UTF-8 (byte 0xff)\n"
			    "ideas.txt:3:1: invalid UTF-8 (byte 0xef)\n"
			    "ideas.txt:4:5: invalid UTF-8 (byte 0xc3)\n");
	run_release(&r);

	/* The column ignores a leading BOM. */
	import_fails(&r, "ideas.txt", "\xEF\xBB\xBF\xC3\xA9t\xC3\n");
	assert_string_equal(r.msg.buf, "ideas.txt:1:3: invalid UTF-8 (byte 0xc3)\n");
	run_release(&r);

	import_fails(&r, "ideas.txt", "a\nb\0c\n");
	assert_string_equal(r.msg.buf, "ideas.txt:2:2: NUL byte (the file is not text)\n");
	run_release(&r);

	import_fails(&r, "ideas.txt", "\xFF\xFEi\0d\0");
	assert_string_equal(r.msg.buf,
			    "ideas.txt:1:1: UTF-16 text is not supported (save the file as "
			    "UTF-8)\n");
	run_release(&r);

	/* In a CSV, inside a quoted field spanning lines. */
	import_fails(&r, "ideas.csv", "text\n\"a\nbb\x80\"\n");
	assert_string_equal(r.msg.buf, "ideas.csv:3:3: invalid UTF-8 (byte 0x80)\n");
	run_release(&r);
}

static void test_duplicates(void **state)
{
	struct board *b = make_board();
	struct strbuf out = STRBUF_INIT;
	struct run r;

	(void)state;
	import_ok(&r, b,
		  "  navette   entre les SITES \n"  /* on the board */
		  "Nouvelle idée\n"
		  "Sport: NOUVELLE\tIDÉE\n"          /* earlier in the file, other theme */
		  "Nouvelle idee\n");                /* accents count: not a duplicate */
	assert_int_equal(r.res.added, 2);
	assert_int_equal(r.res.skipped_duplicate, 2);
	assert_int_equal(r.res.skipped_other, 0);
	assert_int_equal(r.res.skips[0].line, 1);
	assert_int_equal(r.res.skips[0].reason, IMPORT_SKIP_ON_BOARD);
	assert_string_equal(r.res.skips[0].text, "navette   entre les SITES");
	assert_int_equal(r.res.skips[1].line, 3);
	assert_int_equal(r.res.skips[1].reason, IMPORT_SKIP_IN_FILE);
	assert_int_equal(r.res.skips[1].earlier, 2);
	/* The duplicate's theme was not created. */
	assert_int_equal(board_theme_index(b, "sport"), -1);
	assert_int_equal(r.res.nnew_themes, 0);

	import_result_format(b, &r.res, "ideas.txt", &out);
	assert_string_equal(out.buf,
			    "added 2 cards, skipped 2\n"
			    "ideas.txt:1: already on the board ('navette   entre les SITES')\n"
			    "ideas.txt:3: same text as line 2 ('NOUVELLE\\tIDÉE')\n");
	strbuf_release(&out);
	run_release(&r);
	board_free(b);
}

/*
 * "Café numérique" typed on Linux (é one code point, NFC) and pasted from a
 * Mac (e and a combining accent, NFD) is one idea, whatever the case; the
 * card keeps the text as it was typed. A theme named in NFD is the board's.
 */
static void test_duplicates_nfc_nfd(void **state)
{
	struct board *b = make_board();
	struct strbuf out = STRBUF_INIT, key = STRBUF_INIT;
	struct run r;
	uuid_t id;

	(void)state;
	memset(id, 0x22, sizeof(id));
	assert_non_null(board_add_card(b, id, "Café numérique", 0));
	import_ok(&r, b,
		  "CAFE\u0301 NUME\u0301RIQUE\n"         /* on the board, NFD and capitals */
		  "Atelier re\u0301paration ve\u0301los\n" /* new, in NFD */
		  "Sante\u0301 : Atelier réparation vélos\n" /* earlier, NFC */
		  "Sante\u0301 : Straße\n");               /* theme "Santé" named in NFD */
	assert_int_equal(r.res.added, 2);
	assert_int_equal(r.res.skipped_duplicate, 2);
	assert_int_equal(r.res.skips[0].reason, IMPORT_SKIP_ON_BOARD);
	assert_int_equal(r.res.skips[1].reason, IMPORT_SKIP_IN_FILE);
	assert_int_equal(r.res.skips[1].earlier, 2);
	assert_int_equal(r.res.nnew_themes, 0);
	assert_string_equal(card_at(b, 2)->text, "Atelier re\u0301paration ve\u0301los");
	assert_int_equal(card_at(b, 3)->theme, 1);
	import_result_format(b, &r.res, "ideas.txt", &out);
	assert_string_equal(out.buf,
			    "added 2 cards, skipped 2\n"
			    "ideas.txt:1: already on the board ('CAFE\u0301 NUME\u0301RIQUE')\n"
			    "ideas.txt:3: same text as line 2 ('Atelier réparation vélos')\n");
	/* Keys are NFC and folded: ß is ss. */
	import_text_key(&key, "STRASSE");
	strbuf_reset(&out);
	import_text_key(&out, "Stra\u00DFe");
	assert_string_equal(key.buf, out.buf);
	/* The card add would duplicate (tamis add). */
	assert_int_equal(import_find_text(b, "cafe\u0301  NUMÉRIQUE "), 1);
	assert_int_equal(import_find_text(b, "Cafe numerique"), -1);
	strbuf_release(&out);
	strbuf_release(&key);
	run_release(&r);
	board_free(b);
}

static void test_result_format(void **state)
{
	struct board *b = make_board();
	struct strbuf out = STRBUF_INIT, big = STRBUF_INIT;
	struct run r;

	(void)state;
	strbuf_addstr(&big, "text,theme,by\n");
	strbuf_addstr(&big, "Une idée,Nouveau,\n");
	strbuf_addstr(&big, ",Autre,Alice\n");
	strbuf_addstr(&big, "Couleurs,\"\x1b[31mrouge\",\n");
	strbuf_addchars(&big, 'x', STORE_MAX_SCALAR + 1);
	strbuf_addstr(&big, ",,\n");
	strbuf_addstr(&big, "Une idée très longue dont le texte dépasse largement quarante "
			    "colonnes,,\n");
	strbuf_addstr(&big, "une IDÉE très longue dont le texte dépasse largement quarante "
			    "colonnes,,\n");
	run_import(&r, b, "in.csv", big.buf, big.len);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.added, 2);
	assert_int_equal(r.res.skipped_other, 3);
	assert_int_equal(r.res.skipped_duplicate, 1);
	import_result_format(b, &r.res, NULL, &out);
	assert_string_equal(out.buf,
			    "added 2 cards, skipped 4\n"
			    "created theme 'Nouveau' (nouveau, yellow)\n"
			    "line 3: no text\n"
			    "line 4: control characters in its theme or author ('Couleurs')\n"
			    "line 5: too long ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…')\n"
			    "line 7: same text as line 6 ('une IDÉE très longue dont le texte dépa…')\n");
	strbuf_reset(&out);
	run_release(&r);

	import_ok(&r, b, "seule\n");
	import_result_format(b, &r.res, "x.txt", &out);
	assert_string_equal(out.buf, "added 1 card\n");
	strbuf_release(&out);
	strbuf_release(&big);
	run_release(&r);
	board_free(b);
}

static void test_text_key(void **state)
{
	struct strbuf a = STRBUF_INIT, c = STRBUF_INIT;

	(void)state;
	import_text_key(&a, " \tÉTÉ  À\u00a0LA   Plage\r\n");
	import_text_key(&c, "été à la plage");
	assert_string_equal(a.buf, c.buf);
	strbuf_reset(&a);
	import_text_key(&a, "ŒUVRE ΑΒΓ ДЖ Ÿ");
	assert_string_equal(a.buf, "œuvre αβγ дж ÿ");
	strbuf_release(&a);
	strbuf_release(&c);
}

static void test_empty_inputs(void **state)
{
	struct board *b = make_board();
	struct run r;

	(void)state;
	import_ok(&r, b, "");
	assert_int_equal(r.res.added, 0);
	run_release(&r);
	/* Column names in a sentence do not make a header. */
	import_ok(&r, b, "Auteur, compositeur en résidence\nPar, exemple");
	assert_int_equal(r.res.format, IMPORT_FORMAT_TEXT);
	assert_int_equal(r.res.added, 2);
	run_release(&r);
	import_ok(&r, b, "\xEF\xBB\xBF\r\n \n");
	assert_int_equal(r.res.added, 0);
	run_release(&r);
	import_ok(&r, b, "text,theme\n");
	assert_int_equal(r.res.format, IMPORT_FORMAT_CSV);
	assert_int_equal(r.res.added, 0);
	run_release(&r);
	assert_int_equal(b->ncards, 3);
	board_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_lines),
		cmocka_unit_test(test_bom_crlf),
		cmocka_unit_test(test_theme_prefix),
		cmocka_unit_test(test_new_themes),
		cmocka_unit_test(test_slug),
		cmocka_unit_test(test_default_theme),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_semicolon),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_duplicates_nfc_nfd),
		cmocka_unit_test(test_result_format),
		cmocka_unit_test(test_text_key),
		cmocka_unit_test(test_empty_inputs),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
