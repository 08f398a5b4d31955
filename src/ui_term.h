/*
 * ui_term.h - what the terminal can do, asked of terminfo before the screen
 * is touched. Apart from the other UI modules because <term.h> defines a
 * macro for every capability name (lines, tab, columns...).
 */
#ifndef TAMIS_UI_TERM_H
#define TAMIS_UI_TERM_H

#include "strbuf.h"

/*
 * Checks, without writing anything to it, that 'term' names a terminal that
 * can place the cursor (not dumb, not a hardcopy or generic type). Returns 0,
 * or -1 with a one-line reason in err (TERM unset, unknown type, no cursor
 * addressing).
 */
int ui_term_check(const char *term, int fd, struct strbuf *err);

#endif
