/*
 * ui.h - the full-screen terminal board (ncursesw).
 *
 * The UI modules (src/ui*.c) are the only ones that include curses. Layout is
 * computed apart from drawing, in layout.h, which is curses-free.
 */
#ifndef TAMIS_UI_H
#define TAMIS_UI_H

#include <stdbool.h>

struct ui_options {
	const char *by;      /* who is playing: --by NAME or $TAMIS_BY; may be NULL */
	bool facilitator;    /* --facilitator (used by the facilitation features) */
};

/*
 * Opens the board file at path full-screen until the user quits. Loads the
 * board before touching the terminal (an invalid board or an unusable
 * terminal is reported on stderr without taking over the screen). Returns a
 * process exit status (0, or a sysexits code).
 */
int ui_run(const char *path, const struct ui_options *opt);

#endif
