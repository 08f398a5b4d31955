/*
 * Unit tests for the keys of one's own (src/keymap.c): the defaults, a good
 * key file, and each kind of bad line with its file, line and column.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "keymap.h"
#include "strbuf.h"

static struct keymap_key ch(uint32_t c)
{
	struct keymap_key k = { KEYMAP_CHAR, c };

	return k;
}

static struct keymap_key named(enum keymap_named n)
{
	struct keymap_key k = { KEYMAP_NAMED, (uint32_t)n };

	return k;
}

static struct keymap_key ctrl(char c)
{
	struct keymap_key k = { KEYMAP_CTRL, (uint32_t)(c - 'a' + 1) };

	return k;
}

static int find(const struct keymap *km, struct keymap_key k)
{
	return keymap_find(km, &k);
}

/* The keys of action a as the screen shows them, space-separated. */
static void labels(const struct keymap *km, enum keymap_action a, struct strbuf *out)
{
	unsigned i;

	strbuf_reset(out);
	for (i = 0; i < km->nkeys[a]; i++) {
		if (i)
			strbuf_addch(out, ' ');
		keymap_key_label(&km->keys[a][i], out);
	}
}

static void test_defaults(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct keymap km;

	(void)state;
	keymap_init(&km);
	assert_int_equal(find(&km, named(KEYMAP_KEY_LEFT)), KEYMAP_MOVE_LEFT);
	assert_int_equal(find(&km, ch('h')), KEYMAP_MOVE_LEFT);
	assert_int_equal(find(&km, ch(' ')), KEYMAP_PICK_UP);
	assert_int_equal(find(&km, named(KEYMAP_KEY_SHIFT_TAB)), KEYMAP_PREVIOUS_GRID);
	assert_int_equal(find(&km, ctrl('r')), KEYMAP_REDO);
	assert_int_equal(find(&km, named(KEYMAP_KEY_ESC)), KEYMAP_CLEAR_SEARCH);
	assert_int_equal(find(&km, ch('?')), KEYMAP_HELP);
	assert_int_equal(find(&km, ch('N')), KEYMAP_PREVIOUS_MATCH);
	assert_int_equal(find(&km, ch('F')), KEYMAP_FRAME);
	assert_int_equal(find(&km, ch('w')), KEYMAP_WHO);
	assert_int_equal(find(&km, ch('!')), KEYMAP_CHANGES);
	assert_int_equal(find(&km, ch('=')), KEYMAP_LIST);
	assert_int_equal(find(&km, ch('y')), -1);
	assert_int_equal(find(&km, named(KEYMAP_KEY_F1)), -1);
	labels(&km, KEYMAP_MOVE_UP, &sb);
	assert_string_equal(sb.buf, "↑ k");
	labels(&km, KEYMAP_PICK_UP, &sb);
	assert_string_equal(sb.buf, "Enter Space");
	labels(&km, KEYMAP_REDO, &sb);
	assert_string_equal(sb.buf, "Ctrl-R");
	labels(&km, KEYMAP_PREVIOUS_GRID, &sb);
	assert_string_equal(sb.buf, "S-Tab");
	assert_string_equal(keymap_action_name(KEYMAP_NEXT_DEBATED), "next-debated");
	assert_int_equal(keymap_action_by_name("decide", 6), KEYMAP_DECIDE);
	assert_int_equal(keymap_action_by_name("decid", 5), -1);
	strbuf_release(&sb);
}

static void test_good_file(void **state)
{
	static const char text[] = "# my keys\n"
				   "\n"
				   "   help F1   # the help\n"
				   "help\tF12\r\n"
				   "quit Ctrl-x\n"
				   "move-left é\n"
				   "move-left PgUp\n"
				   "pick-up space\n"
				   "decide D\n"
				   "next-debated ENTER\n"
				   "next-grid Shift-Tab\n"
				   "previous-grid Tab";
	struct strbuf err = STRBUF_INIT, sb = STRBUF_INIT;
	struct keymap km;

	(void)state;
	keymap_init(&km);
	assert_int_equal(keymap_parse(&km, "/k", text, sizeof(text) - 1, &err), 0);
	assert_string_equal(err.buf, "");
	/* The file's keys replace the defaults of the actions it names. */
	assert_int_equal(find(&km, named(KEYMAP_KEY_F1)), KEYMAP_HELP);
	assert_int_equal(find(&km, named(12)), KEYMAP_HELP);
	assert_int_equal(find(&km, ch('?')), -1);
	assert_int_equal(find(&km, ctrl('x')), KEYMAP_QUIT);
	assert_int_equal(find(&km, ch('q')), -1);
	labels(&km, KEYMAP_MOVE_LEFT, &sb);
	assert_string_equal(sb.buf, "é PgUp");
	assert_int_equal(find(&km, ch('h')), -1);
	assert_int_equal(find(&km, named(KEYMAP_KEY_ENTER)), KEYMAP_NEXT_DEBATED);
	assert_int_equal(find(&km, ch(' ')), KEYMAP_PICK_UP);
	assert_int_equal(find(&km, ch('D')), KEYMAP_DECIDE);
	assert_int_equal(find(&km, named(KEYMAP_KEY_TAB)), KEYMAP_PREVIOUS_GRID);
	/* The others keep theirs. */
	assert_int_equal(find(&km, ch('d')), -1);
	assert_int_equal(find(&km, ch('v')), -1);
	assert_int_equal(find(&km, ch('a')), KEYMAP_ADD);
	assert_int_equal(find(&km, named(KEYMAP_KEY_RIGHT)), KEYMAP_MOVE_RIGHT);
	strbuf_release(&err);
	strbuf_release(&sb);
}

/* text must be refused with exactly want, leaving the keys as they were. */
static void bad(const char *text, const char *want)
{
	struct strbuf err = STRBUF_INIT;
	struct keymap km, before;

	keymap_init(&km);
	before = km;
	if (keymap_parse(&km, "/h/keys", text, strlen(text), &err) != -1)
		fail_msg("accepted: %s", text);
	assert_string_equal(err.buf, want);
	assert_memory_equal(&km, &before, sizeof(km));
	strbuf_release(&err);
}

static void test_bad_lines(void **state)
{
	(void)state;
	bad("help F1\nquit q\n  decide x\n",
	    "/h/keys:3:10: key 'x' is still the key of 'delete': give 'delete' another key in this file too");
	bad("help F1\n\n  dcide d\n", "/h/keys:3:3: unknown action 'dcide' (did you mean 'decide'?)");
	bad("frobnicate q\n", "/h/keys:1:1: unknown action 'frobnicate'");
	bad("help\n", "/h/keys:1:5: no key for 'help'");
	bad("help   # none\n", "/h/keys:1:8: no key for 'help'");
	bad("help F13\n", "/h/keys:1:6: unknown key name 'F13' (did you mean 'F1'?)");
	bad("help Entr\n", "/h/keys:1:6: unknown key name 'Entr' (did you mean 'Enter'?)");
	bad("help abc\n", "/h/keys:1:6: unknown key name 'abc'");
	bad("help Ctrl-1\n", "/h/keys:1:6: unknown key name 'Ctrl-1'");
	bad("quit Ctrl-c\n", "/h/keys:1:6: Ctrl-C cannot be given: the terminal interrupts tamis with it");
	bad("pick-up Ctrl-M\n", "/h/keys:1:9: Ctrl-M cannot be given: the terminal sends it as Enter");
	bad("help 3\n", "/h/keys:1:6: '3' shows grid 3 and cannot be given to an action");
	bad("help F1 F2\n", "/h/keys:1:9: one key a line: 'F2' after the key (a comment starts with '#')");
	bad("é\xff x\n", "/h/keys:1:2: not UTF-8 text");
	bad("help é\u0301\n", "/h/keys:1:6: unknown key name 'é\u0301'");
	bad("help \u200b\n", "/h/keys:1:6: not a key that types a character: '\\u{200B}'");
	bad("help\x1b[31m q\n", "/h/keys:1:1: unknown action 'help\\e[31m'");
	bad("quit a\nquit b\nquit c\nquit w\nquit y\n", "/h/keys:5:6: more than 4 keys for 'quit'");
}

static void test_duplicates(void **state)
{
	(void)state;
	/* A key given to two actions in the file... */
	bad("help F1\nquit q\nsieve F1\n", "/h/keys:3:7: key 'F1' is already given to 'help' on line 1");
	bad("help Escape\nclear-search Esc\n",
	    "/h/keys:2:14: key 'Esc' is already given to 'help' on line 1");
	bad("quit q\nquit q\n", "/h/keys:2:6: key 'q' is already given to 'quit' on line 1");
	/* ...or still the default of an action the file leaves alone. */
	bad("decide d\n",
	    "/h/keys:1:8: key 'd' is still the key of 'next-debated': give 'next-debated' another key in this file too");
	bad("move-up Left\n",
	    "/h/keys:1:9: key '←' is still the key of 'move-left': give 'move-left' another key in this file too");
	/* Swapping two keys is fine. */
	{
		static const char swap[] = "decide d\nnext-debated v\n";
		struct strbuf err = STRBUF_INIT;
		struct keymap km;

		keymap_init(&km);
		assert_int_equal(keymap_parse(&km, "/k", swap, sizeof(swap) - 1, &err), 0);
		assert_int_equal(find(&km, ch('d')), KEYMAP_DECIDE);
		assert_int_equal(find(&km, ch('v')), KEYMAP_NEXT_DEBATED);
		strbuf_release(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_duplicates),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
