/*
 * ui_term.c - terminal capabilities (see ui_term.h).
 */
#include "ui_term.h"

#include <curses.h>
#include <stdbool.h>

#include "text.h" /* before <term.h>, whose macros (lines...) clash with it */

#include <term.h>

#include "i18n.h"

int ui_term_check(const char *term, int fd, struct strbuf *err)
{
	struct strbuf name = STRBUF_INIT;
	TERMINAL *saved = cur_term, *mine;
	const char *cup;
	int e = 0, r = 0;
	bool ok;

	if (!term || !*term) {
		strbuf_addstr(err, _("TERM is not set: tamis needs to know the terminal's type"));
		return -1;
	}
	/* Quoted back to the terminal: never raw. */
	text_sanitize(&name, term);
	if (setupterm(term, fd, &e) != OK) {
		if (e == 0)
			strbuf_addf(err, _("unknown terminal type '%s' (set TERM, e.g. xterm-256color)"),
				    name.buf);
		else
			strbuf_addf(err, _("no terminal description for '%s' (is ncurses-base installed?)"),
				    name.buf);
		strbuf_release(&name);
		return -1;
	}
	mine = cur_term;
	cup = tigetstr("cup");
	ok = cup && cup != (char *)-1 && tigetflag("hc") <= 0 && tigetflag("gn") <= 0;
	set_curterm(saved);
	del_curterm(mine);
	if (!ok) {
		strbuf_addf(err, _("terminal '%s' cannot place the cursor (set TERM, e.g. xterm-256color)"),
			    name.buf);
		r = -1;
	}
	strbuf_release(&name);
	return r;
}
