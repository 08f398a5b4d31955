/*
 * Unit tests for the UI's one-line editor (src/ui_editor.c), which needs no
 * terminal: linked without -lncursesw, like the core. Its limit is the board
 * format's (STORE_MAX_SCALAR bytes of UTF-8), never a silent cut.
 */
#include <curses.h> /* KEY_* codes only */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>

#include "store.h"
#include "strbuf.h"
#include "ui_editor.h"

static void type_char(struct ui_editor *ed, wchar_t c)
{
	struct ui_event ev;

	memset(&ev, 0, sizeof(ev));
	strbuf_init(&ev.arg, 0);
	ev.kind = EV_CHAR;
	ev.ch = c;
	assert_int_equal(ui_editor_event(ed, &ev), EDITOR_CONTINUE);
}

static enum ui_editor_result type_key(struct ui_editor *ed, int key)
{
	struct ui_event ev;

	memset(&ev, 0, sizeof(ev));
	strbuf_init(&ev.arg, 0);
	ev.kind = EV_KEY;
	ev.key = key;
	return ui_editor_event(ed, &ev);
}

static void paste(struct ui_editor *ed, const char *s, bool cut)
{
	struct ui_event ev;

	memset(&ev, 0, sizeof(ev));
	strbuf_init(&ev.arg, 0);
	ev.kind = EV_PASTE;
	ev.pasted = true;
	ev.cut = cut;
	strbuf_addstr(&ev.arg, s);
	assert_int_equal(ui_editor_event(ed, &ev), EDITOR_CONTINUE);
	strbuf_release(&ev.arg);
}

/* The editor's text (freed by the caller). */
static char *text(const struct ui_editor *ed)
{
	struct strbuf sb = STRBUF_INIT;

	ui_editor_text(ed, &sb);
	return strbuf_detach(&sb, NULL);
}

static void assert_text(const struct ui_editor *ed, const char *want)
{
	char *got = text(ed);

	assert_string_equal(got, want);
	assert_int_equal(ed->bytes, strlen(want));
	free(got);
}

/* Whether the last events were refused, and the message said then. */
static bool refused(struct ui_editor *ed, const char *want)
{
	struct strbuf why = STRBUF_INIT;
	bool r = ui_editor_refusal(ed, &why);

	if (want)
		assert_non_null(strstr(why.buf, want));
	strbuf_release(&why);
	return r;
}

/* "a" repeated n times (freed by the caller). */
static char *as(size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, 'a', n);
	s[n] = '\0';
	return s;
}

static void test_limit_is_the_format(void **state)
{
	(void)state;
	assert_int_equal(UI_EDITOR_MAX, STORE_MAX_SCALAR);
	assert_true(UI_PASTE_MAX > UI_EDITOR_MAX);
}

static void test_typing_counts_bytes(void **state)
{
	struct ui_editor ed;

	(void)state;
	ui_editor_init(&ed);
	type_char(&ed, L'c');
	type_char(&ed, L'é');
	type_char(&ed, L'😀');
	type_char(&ed, 0x1B); /* an escape: left out */
	type_char(&ed, L'\t'); /* a tab: a space */
	assert_text(&ed, "cé😀 ");
	type_key(&ed, KEY_LEFT);
	type_key(&ed, KEY_BACKSPACE);
	assert_text(&ed, "cé ");
	type_key(&ed, KEY_HOME);
	type_key(&ed, KEY_DC);
	assert_text(&ed, "é ");
	type_key(&ed, UI_KEY_CTRL('k'));
	assert_text(&ed, "");
	assert_false(refused(&ed, NULL));
	assert_int_equal(type_key(&ed, KEY_ENTER), EDITOR_DONE);
	assert_int_equal(type_key(&ed, UI_KEY_ESC), EDITOR_CANCEL);
	ui_editor_release(&ed);
}

/* A 10,010-character text takes one more (it was cut to 4,000). */
static void test_long_text_grows(void **state)
{
	struct ui_editor ed;
	char *s = as(10010), *got;

	(void)state;
	ui_editor_init(&ed);
	ui_editor_set(&ed, s);
	assert_int_equal(ed.len, 10010);
	type_char(&ed, L'x');
	got = text(&ed);
	assert_int_equal(strlen(got), 10011);
	assert_int_equal(got[10010], 'x');
	assert_false(refused(&ed, NULL));
	free(got);
	free(s);
	ui_editor_release(&ed);
}

static void test_full_refuses_typing(void **state)
{
	struct ui_editor ed;
	char *s = as(UI_EDITOR_MAX - 1);

	(void)state;
	ui_editor_init(&ed);
	ui_editor_set(&ed, s);
	type_char(&ed, L'é'); /* 2 bytes into 1 */
	assert_int_equal(ed.bytes, UI_EDITOR_MAX - 1);
	assert_true(refused(&ed, "the text is full: 65536 bytes at most"));
	assert_false(refused(&ed, NULL)); /* said once */
	type_char(&ed, L'b');
	assert_int_equal(ed.bytes, UI_EDITOR_MAX);
	assert_false(refused(&ed, NULL));
	type_char(&ed, L'c');
	assert_int_equal(ed.bytes, UI_EDITOR_MAX);
	assert_true(refused(&ed, "the text is full"));
	type_key(&ed, KEY_BACKSPACE);
	type_char(&ed, L'c');
	assert_int_equal(ed.bytes, UI_EDITOR_MAX);
	assert_false(refused(&ed, NULL));
	assert_int_equal(ed.buf[ed.len - 1], L'c');
	free(s);
	ui_editor_release(&ed);
}

static void test_paste_whole_or_nothing(void **state)
{
	struct ui_editor ed;
	char *s = as(UI_EDITOR_MAX - 10), *big = as(11), *got;

	(void)state;
	ui_editor_init(&ed);
	paste(&ed, "deux\nlignes\tet\x1b[2J un 東京", false);
	assert_text(&ed, "deux lignes et[2J un 東京");
	assert_false(refused(&ed, NULL));
	type_key(&ed, KEY_HOME);
	paste(&ed, "» ", false);
	assert_text(&ed, "» deux lignes et[2J un 東京");

	ui_editor_set(&ed, s);
	type_key(&ed, KEY_HOME);
	paste(&ed, big, false); /* 11 bytes into 10 */
	assert_int_equal(ed.bytes, UI_EDITOR_MAX - 10);
	assert_int_equal(ed.cur, 0);
	assert_true(refused(&ed, "paste refused: the text would pass 65536 bytes (nothing pasted)"));
	paste(&ed, "ééééé", false); /* exactly 10 */
	assert_int_equal(ed.bytes, UI_EDITOR_MAX);
	assert_false(refused(&ed, NULL));
	got = text(&ed);
	assert_memory_equal(got, "ééééé", 10);
	free(got);

	ui_editor_set(&ed, "");
	paste(&ed, "court", true); /* cut by the input: never part of it */
	assert_text(&ed, "");
	assert_true(refused(&ed, "paste refused"));
	free(big);
	free(s);
	ui_editor_release(&ed);
}

static void test_set_never_past_the_limit(void **state)
{
	struct ui_editor ed;
	char *s = as(UI_EDITOR_MAX + 5);

	(void)state;
	ui_editor_init(&ed);
	ui_editor_set(&ed, s);
	assert_int_equal(ed.bytes, UI_EDITOR_MAX);
	assert_int_equal(ed.cur, ed.len);
	ui_editor_set(&ed, "é");
	assert_text(&ed, "é");
	free(s);
	ui_editor_release(&ed);
}

static void test_view(void **state)
{
	struct ui_editor ed;
	struct strbuf line = STRBUF_INIT;
	char *s = as(UI_EDITOR_MAX);
	int col;

	(void)state;
	ui_editor_init(&ed);
	ui_editor_set(&ed, "ab東京");
	col = ui_editor_view(&ed, 10, &line);
	assert_string_equal(line.buf, "ab東京    ");
	assert_int_equal(col, 6);
	/* Scrolled so the cursor has a column; a wide character never split. */
	strbuf_reset(&line);
	col = ui_editor_view(&ed, 5, &line);
	assert_string_equal(line.buf, "東京 ");
	assert_int_equal(col, 4);
	assert_int_equal(ed.first, 2);
	strbuf_reset(&line);
	type_key(&ed, KEY_HOME);
	col = ui_editor_view(&ed, 5, &line);
	assert_string_equal(line.buf, "ab東 ");
	assert_int_equal(col, 0);
	/* Control characters shown as escapes, never sent. */
	ui_editor_set(&ed, "a\x1b");
	strbuf_reset(&line);
	ui_editor_view(&ed, 8, &line);
	assert_string_equal(line.buf, "a\\e     ");
	/* The whole format's worth: the end shown at once (walked back from the cursor). */
	ui_editor_set(&ed, s);
	strbuf_reset(&line);
	col = ui_editor_view(&ed, 40, &line);
	assert_int_equal(col, 39);
	assert_int_equal(ed.first, UI_EDITOR_MAX - 39);
	strbuf_release(&line);
	free(s);
	ui_editor_release(&ed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_is_the_format),
		cmocka_unit_test(test_typing_counts_bytes),
		cmocka_unit_test(test_long_text_grows),
		cmocka_unit_test(test_full_refuses_typing),
		cmocka_unit_test(test_paste_whole_or_nothing),
		cmocka_unit_test(test_set_never_past_the_limit),
		cmocka_unit_test(test_view),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
