/*
 * ui_term.c - terminal capabilities (see ui_term.h).
 */
#include "ui_term.h"

#include <curses.h>
#include <stdbool.h>
#include <term.h>

#include "i18n.h"

int ui_term_check(const char *term, int fd, struct strbuf *err)
{
	TERMINAL *saved = cur_term, *mine;
	const char *cup;
	int e = 0;
	bool ok;

	if (!term || !*term) {
		strbuf_addstr(err, _("TERM is not set: tamis needs to know the terminal's type"));
		return -1;
	}
	if (setupterm(term, fd, &e) != OK) {
		if (e == 0)
			strbuf_addf(err, _("unknown terminal type '%s' (set TERM, e.g. xterm-256color)"),
				    term);
		else
			strbuf_addf(err, _("no terminal description for '%s' (is ncurses-base installed?)"),
				    term);
		return -1;
	}
	mine = cur_term;
	cup = tigetstr("cup");
	ok = cup && cup != (char *)-1 && tigetflag("hc") <= 0 && tigetflag("gn") <= 0;
	set_curterm(saved);
	del_curterm(mine);
	if (!ok) {
		strbuf_addf(err, _("terminal '%s' cannot place the cursor (set TERM, e.g. xterm-256color)"),
			    term);
		return -1;
	}
	return 0;
}
