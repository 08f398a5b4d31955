/*
 * ui_input.h - the one source of events of the terminal board: keys, mouse,
 * resizes and signals, read from the terminal or, for tests, from a script.
 *
 * Terminal: the mouse is xterm's, read here (mouse.h decodes it): presses,
 * releases and drags of button 1 (modes 1000 and 1002) and the wheel, in
 * SGR reports (mode 1006, any column) or, from a terminal that does not
 * know 1006, X10 ones (columns and rows up to 223).
 * One poll() waits on the terminal, a self-pipe written by the
 * signal handlers (SIGTERM, SIGHUP, SIGINT, SIGWINCH: the handlers only set a
 * flag and write one byte, all the work is done here in the loop), and an
 * optional extra descriptor (the live-sharing wake-up, see
 * ui_input_watch_fd()).
 *
 * Script ($TAMIS_SCRIPT, tig's TIG_SCRIPT): a text file, one step per line:
 *
 *   # comment              ignored, as are empty lines
 *   jj<Enter>l<Enter>      keys: UTF-8 characters stand for themselves,
 *                          <Name> for a special key: <Enter> <Esc> <Tab>
 *                          <S-Tab> <Up> <Down> <Left> <Right> <Home> <End>
 *                          <PgUp> <PgDn> <BS> <Del> <Space> <F1>...<F12>
 *                          <lt> (a '<') and <C-x> for Ctrl-x
 *   :resize COLS ROWS      the terminal is resized
 *   :mouse ACTION COL ROW  press, release, drag, wheel-up or wheel-down
 *                          with button 1 at 0-based screen COL, ROW
 *   :paste TEXT            TEXT arrives as a bracketed paste (one EV_PASTE;
 *                          <Enter> and <Tab> in it are a line break and a
 *                          tab, other special keys are left out)
 *   :signal NAME           raise(SIGNAME) for TERM, HUP or INT
 *   :dump [FILE]           write the screen as text to FILE (else stdout)
 *   :poll                  the live-sharing wake-up (EV_WAKE): the board
 *                          takes in what other instances changed
 *   :run COMMAND           runs COMMAND with sh -c and waits for it (another
 *                          instance changing the board, for tests), then
 *                          the wake-up as for :poll
 *
 * The end of the script quits. A script never waits for the descriptor or
 * the timer (ui_input_watch_fd(), ui_input_set_timeout()): live changes come
 * in exactly where :poll and :run say, so dumps are the same on every run.
 */
#ifndef TAMIS_UI_INPUT_H
#define TAMIS_UI_INPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <wchar.h>

#include "mouse.h"
#include "strbuf.h"

/* Keys beyond curses' own KEY_* codes. */
#define UI_KEY_ESC 27
#define UI_KEY_TAB 9
#define UI_KEY_CTRL(c) ((c) & 0x1f)

enum ui_event_kind {
	EV_NONE,
	EV_KEY,         /* key: a curses KEY_* code, or a control character */
	EV_CHAR,        /* ch: a printable character */
	EV_PASTE,       /* arg: a whole bracketed paste, in UTF-8 (see below) */
	EV_MOUSE,
	EV_RESIZE,      /* the terminal's new size is in COLS, LINES */
	EV_DUMP,        /* arg: file, or empty for stdout */
	EV_SIGNAL,      /* signo: a terminating signal arrived */
	EV_WAKE,        /* the extra descriptor is readable */
	EV_TICK,        /* the timeout passed with nothing else happening */
	EV_EOF,         /* end of the script, or the terminal went away */
};

/*
 * A bracketed paste comes as one event, once it has all arrived: what was
 * typed in it is text, never commands (a pasted Esc, Enter, q...). Its
 * characters are kept in arg (a line break as '\n', a tab as '\t'; other
 * keys left out), up to UI_PASTE_MAX bytes: past them, cut is set and the
 * rest dropped. A paste whose end never comes ends after UI_PASTE_WAIT_MS
 * without input.
 */
#define UI_PASTE_MAX (1u << 20)
#define UI_PASTE_WAIT_MS 1000

struct ui_event {
	enum ui_event_kind kind;
	int key;
	wchar_t ch;
	bool pasted;    /* EV_PASTE, or a key that came inside a paste */
	bool cut;       /* EV_PASTE: longer than UI_PASTE_MAX bytes, cut there */
	enum mouse_action mouse; /* EV_MOUSE, button 1 or the wheel (mouse.h) */
	int x, y;
	int signo;
	struct strbuf arg;
};

struct ui_input;

/*
 * Installs the signal handlers and sets the terminal's input modes; call
 * after newterm(). Returns NULL with a reason in err on failure.
 */
struct ui_input *ui_input_terminal(struct strbuf *err);
/* Opens the script at path. Returns NULL with a reason in err. */
struct ui_input *ui_input_script(const char *path, struct strbuf *err);
/* Restores the signal handlers and frees in; NULL is fine. */
void ui_input_free(struct ui_input *in);

/* Also wake up (EV_WAKE) when fd becomes readable; -1 stops watching. */
void ui_input_watch_fd(struct ui_input *in, int fd);
/*
 * Also wake up (EV_TICK) when nothing happened for ms milliseconds (polling
 * the board without inotify, retrying unsaved changes); -1 waits forever.
 */
void ui_input_set_timeout(struct ui_input *in, int ms);

/* Waits for the next event and fills ev (ev->arg must be initialised). */
void ui_input_next(struct ui_input *in, struct ui_event *ev);
/* True when more input is already waiting (a paste arriving). */
bool ui_input_pending(struct ui_input *in);
/* True for the scripted, headless input. */
bool ui_input_is_script(const struct ui_input *in);

#endif
