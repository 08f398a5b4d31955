/*
 * Unit tests for the mouse reports (src/mouse.c): both encodings, SGR and
 * X10, as terminals send them, whole, cut short, out of range and malformed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mouse.h"

/* Parses the string s (its length: NULs and bytes past 127 included). */
static int parse(const char *s, size_t len, struct mouse_report *m)
{
	return mouse_parse((const unsigned char *)s, len, m);
}
#define PARSE(lit, m) parse(lit, sizeof(lit) - 1, m)

static void expect(const struct mouse_report *m, enum mouse_action a, int button, int x, int y,
		   unsigned mods)
{
	assert_int_equal(m->action, a);
	assert_int_equal(m->button, button);
	assert_int_equal(m->x, x);
	assert_int_equal(m->y, y);
	assert_int_equal(m->mods, mods);
}

static void test_sgr_press_release(void **state)
{
	struct mouse_report m;

	(void)state;
	assert_int_equal(PARSE("\033[<0;1;1M", &m), 9);
	expect(&m, MOUSE_PRESS, 1, 0, 0, 0);
	/* Past column 223, which X10 cannot say: a 300-column terminal. */
	assert_int_equal(PARSE("\033[<0;250;10M", &m), 12);
	expect(&m, MOUSE_PRESS, 1, 249, 9, 0);
	assert_int_equal(PARSE("\033[<0;300;80m", &m), 12);
	expect(&m, MOUSE_RELEASE, 1, 299, 79, 0);
	assert_int_equal(PARSE("\033[<2;5;6M", &m), 9);
	expect(&m, MOUSE_PRESS, 3, 4, 5, 0);
	assert_int_equal(PARSE("\033[<1;5;6m", &m), 9);
	expect(&m, MOUSE_RELEASE, 2, 4, 5, 0);
	/* Only the report is taken: what follows is the next key. */
	assert_int_equal(PARSE("\033[<0;12;3Mq", &m), 10);
	expect(&m, MOUSE_PRESS, 1, 11, 2, 0);
}

static void test_sgr_drag_wheel_mods(void **state)
{
	struct mouse_report m;

	(void)state;
	assert_int_equal(PARSE("\033[<32;251;11M", &m), 13);
	expect(&m, MOUSE_DRAG, 1, 250, 10, 0);
	assert_int_equal(PARSE("\033[<35;7;8M", &m), 10);
	expect(&m, MOUSE_MOVE, 0, 6, 7, 0);
	assert_int_equal(PARSE("\033[<64;280;20M", &m), 13);
	expect(&m, MOUSE_WHEEL_UP, 4, 279, 19, 0);
	assert_int_equal(PARSE("\033[<65;280;20M", &m), 13);
	expect(&m, MOUSE_WHEEL_DOWN, 5, 279, 19, 0);
	assert_int_equal(PARSE("\033[<66;3;3M", &m), 10);
	expect(&m, MOUSE_PRESS, 6, 2, 2, 0);
	/* Shift 4, Meta 8, Ctrl 16 on a press, a drag and the wheel. */
	assert_int_equal(PARSE("\033[<4;2;2M", &m), 9);
	expect(&m, MOUSE_PRESS, 1, 1, 1, MOUSE_SHIFT);
	assert_int_equal(PARSE("\033[<56;2;2M", &m), 10);
	expect(&m, MOUSE_DRAG, 1, 1, 1, MOUSE_META | MOUSE_CTRL);
	assert_int_equal(PARSE("\033[<93;2;2M", &m), 10);
	expect(&m, MOUSE_WHEEL_DOWN, 5, 1, 1, MOUSE_SHIFT | MOUSE_META | MOUSE_CTRL);
	assert_int_equal(PARSE("\033[<128;2;2M", &m), 11);
	expect(&m, MOUSE_PRESS, 8, 1, 1, 0);
}

static void test_sgr_incomplete(void **state)
{
	static const char whole[] = "\033[<32;251;11M";
	struct mouse_report m;
	size_t i;

	(void)state;
	/* Every cut short of the end asks for more. */
	for (i = 0; i < sizeof(whole) - 1; i++)
		assert_int_equal(parse(whole, i, &m), 0);
	assert_int_equal(parse(whole, sizeof(whole) - 1, &m), 13);
}

static void test_sgr_malformed(void **state)
{
	struct mouse_report m;

	(void)state;
	assert_int_equal(PARSE("\033[<0;1M", &m), -1);      /* two numbers */
	assert_int_equal(PARSE("\033[<0;1;2;3M", &m), -1);  /* four */
	assert_int_equal(PARSE("\033[<;1;2M", &m), -1);     /* one left out */
	assert_int_equal(PARSE("\033[<0;1;2x", &m), -1);    /* a wrong end */
	assert_int_equal(PARSE("\033[<0;a;2M", &m), -1);
	assert_int_equal(PARSE("\033[<0;123456;2M", &m), -1); /* too long */
	assert_int_equal(PARSE("\033[<0000000000000000000000", &m), -1);
	assert_int_equal(PARSE("\033[A", &m), -1);          /* another key */
	assert_int_equal(PARSE("\033OA", &m), -1);
	assert_int_equal(PARSE("x", &m), -1);
	/* Whole, but no place: 0 is out of range, as is a button past 255. */
	assert_int_equal(PARSE("\033[<0;0;5M", &m), 9);
	assert_int_equal(m.action, MOUSE_UNUSABLE);
	assert_int_equal(PARSE("\033[<999;5;5M", &m), 11);
	assert_int_equal(m.action, MOUSE_UNUSABLE);
}

static void test_x10(void **state)
{
	struct mouse_report m;

	(void)state;
	/* Press at the top left: button 0 + 32, column 1 + 32, row 1 + 32. */
	assert_int_equal(PARSE("\033[M !!", &m), 6);
	expect(&m, MOUSE_PRESS, 1, 0, 0, 0);
	/* Release: button 3, which X10 does not say. */
	assert_int_equal(PARSE("\033[M#+*", &m), 6);
	expect(&m, MOUSE_RELEASE, 0, 10, 9, 0);
	/* Drag (32), wheel (64, 65), with Ctrl (16) and Shift (4). */
	assert_int_equal(PARSE("\033[M@!!", &m), 6);
	expect(&m, MOUSE_DRAG, 1, 0, 0, 0);
	assert_int_equal(PARSE("\033[M`!!", &m), 6);
	expect(&m, MOUSE_WHEEL_UP, 4, 0, 0, 0);
	assert_int_equal(PARSE("\033[Ma!!", &m), 6);
	expect(&m, MOUSE_WHEEL_DOWN, 5, 0, 0, 0);
	assert_int_equal(PARSE("\033[M4!!", &m), 6);
	expect(&m, MOUSE_PRESS, 1, 0, 0, MOUSE_CTRL | MOUSE_SHIFT);
	assert_int_equal(PARSE("\033[MC!!", &m), 6);
	expect(&m, MOUSE_MOVE, 0, 0, 0, 0);
	/* Bytes past 127: columns 95 to 222, the most X10 can say. */
	assert_int_equal(PARSE("\033[M \x80\x21", &m), 6);
	expect(&m, MOUSE_PRESS, 1, 95, 0, 0);
	assert_int_equal(PARSE("\033[M \xff\xff", &m), 6);
	expect(&m, MOUSE_PRESS, 1, 222, 222, 0);
	/* Out of range: a terminal sends 0 (or a byte below 33) past 223. */
	assert_int_equal(parse("\033[M \0!", 6, &m), 6);
	assert_int_equal(m.action, MOUSE_UNUSABLE);
	assert_int_equal(PARSE("\033[M ! ", &m), 6);
	assert_int_equal(m.action, MOUSE_UNUSABLE);
	/* A button byte below 32 is no report. */
	assert_int_equal(PARSE("\033[M\x1f!!", &m), -1);
}

static void test_x10_incomplete(void **state)
{
	struct mouse_report m;

	(void)state;
	assert_int_equal(parse("", 0, &m), 0);
	assert_int_equal(PARSE("\033", &m), 0);
	assert_int_equal(PARSE("\033[", &m), 0);
	assert_int_equal(PARSE("\033[M", &m), 0);
	assert_int_equal(PARSE("\033[M ", &m), 0);
	assert_int_equal(PARSE("\033[M !", &m), 0);
	assert_int_equal(PARSE("\033[M !!x", &m), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sgr_press_release), cmocka_unit_test(test_sgr_drag_wheel_mods),
		cmocka_unit_test(test_sgr_incomplete),    cmocka_unit_test(test_sgr_malformed),
		cmocka_unit_test(test_x10),               cmocka_unit_test(test_x10_incomplete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
