/*
 * mouse.h - xterm mouse reports, decoded from the bytes a terminal sends.
 * No curses and no I/O: the UI (ui_input.c) reads the bytes and hands them
 * here, so every encoding is a unit test (tests/unit/test_mouse.c).
 *
 * Two encodings (xterm's ctlseqs, "Mouse Tracking"):
 *
 *   SGR (mode 1006)  ESC [ < Pb ; Px ; Py M   a press or a motion
 *                    ESC [ < Pb ; Px ; Py m   a release
 *                    the numbers in decimal: any column, any row
 *   X10 (the default, the fallback when 1006 is not understood)
 *                    ESC [ M Cb Cx Cy          three bytes, each value + 32:
 *                    columns and rows past 223 cannot be said (a terminal
 *                    then sends a byte below 33, or nothing)
 *
 * Pb and Cb - 32 are the same bits: the button in the low two bits (0, 1, 2
 * for buttons 1, 2, 3; 3 for "released" in X10, "none" in a motion), +4
 * Shift, +8 Meta, +16 Ctrl, +32 a motion, +64 the wheel (buttons 4 to 7),
 * +128 buttons 8 to 11. Px and Py count from 1.
 */
#ifndef TAMIS_MOUSE_H
#define TAMIS_MOUSE_H

#include <stddef.h>

enum mouse_action {
	MOUSE_PRESS,      /* a button went down */
	MOUSE_RELEASE,    /* a button went up (button 0: X10 does not say which) */
	MOUSE_DRAG,       /* a motion with a button down */
	MOUSE_WHEEL_UP,   /* button 4 */
	MOUSE_WHEEL_DOWN, /* button 5 */
	MOUSE_MOVE,       /* a motion with no button down (mode 1003) */
	MOUSE_UNUSABLE,   /* a whole report that says no place: out of range */
};

/* The modifier keys held, as bits of mouse_report.mods. */
#define MOUSE_SHIFT 1u
#define MOUSE_META 2u
#define MOUSE_CTRL 4u

/* The longest report mouse_parse() reads; past it, a report is malformed. */
#define MOUSE_REPORT_MAX 24

struct mouse_report {
	enum mouse_action action;
	int button;    /* 1 to 11; 0 for an X10 release or a motion with none */
	int x, y;      /* 0-based column and row */
	unsigned mods; /* MOUSE_SHIFT | MOUSE_META | MOUSE_CTRL */
};

/*
 * Decodes the report at the start of buf (len bytes, from its ESC). Returns
 * the number of bytes it takes (> 0) and fills *m; 0 when buf is the start
 * of a report and more bytes are needed; -1 when buf is not a mouse report
 * (another sequence, a malformed or over-long one: the caller drops it).
 * A whole report with a place out of range (X10's bytes below 33, 0 in SGR,
 * SGR numbers of more than 5 digits are malformed) is MOUSE_UNUSABLE.
 */
int mouse_parse(const unsigned char *buf, size_t len, struct mouse_report *m);

#endif
