/*
 * ui.c - the terminal board: opening the board live and the terminal (or a
 * headless screen for a script), who plays, and the one input loop.
 *
 * The loop (tig's get_input(), tmux's proc loop): bring the computed state
 * up to date (ui_sync()), draw, wait for one event (a key, the mouse, a
 * resize, a signal, the live-sharing wake-up, a timer), handle it: the
 * core's own events here, keys and the mouse to the screen on top
 * (ui_screen.h). Signals arrive as events; nothing is done in a signal
 * handler.
 */
#include "ui.h"

#include <curses.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "board.h"
#include "i18n.h"
#include "result.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_input.h"
#include "ui_int.h"
#include "ui_term.h"
#include "xmalloc.h"

#define UI_POLL_MS 100    /* without inotify: look at the files this often */
#define UI_RETRY_MS 1000  /* unsaved changes: try again this often */

/* --- Events --- */

/* How long the loop may wait for nothing: polling without inotify, retrying. */
static void ui_set_timer(struct ui *ui)
{
	int ms = -1;

	if (session_fd(&ui->session) < 0 && session_shared(&ui->session))
		ms = UI_POLL_MS;
	if (ui->session.npending && (ms < 0 || ms > UI_RETRY_MS))
		ms = UI_RETRY_MS;
	if (ui_presence_timeout_ms(ui) >= 0 && (ms < 0 || ms > ui_presence_timeout_ms(ui)))
		ms = ui_presence_timeout_ms(ui);
	ui_input_set_timeout(ui->input, ms);
}

static void ui_dump(const struct ui_event *ev)
{
	if (ev->arg.len) {
		FILE *f = fopen(ev->arg.buf, "w");

		if (f) {
			ui_draw_dump(f);
			fclose(f);
		}
	} else {
		ui_draw_dump(stdout);
		fflush(stdout);
	}
}

/* The core's own events; false for those that go to the screen on top. */
static bool ui_handle_core(struct ui *ui, const struct ui_event *ev)
{
	switch (ev->kind) {
	case EV_SIGNAL:
	case EV_EOF:
		/* A script's end is no accident: what it leaves typed is dropped on purpose. */
		if (ev->kind == EV_SIGNAL || !ui_input_is_script(ui->input))
			ui_screen_rescue(ui);
		ui->quit = true;
		return true;
	case EV_RESIZE:
		ui->reveal = true;
		return true;
	case EV_WAKE:
	case EV_TICK:
		ui_poll(ui);
		ui_presence_poll(ui);
		return true;
	case EV_DUMP:
		ui_dump(ev);
		return true;
	case EV_MOUSE:
		/* A drag's message stays through its release. */
		if (ev->mouse != MOUSE_DRAG && ev->mouse != MOUSE_RELEASE)
			strbuf_reset(&ui->message);
		ui_screen_event(ui, ev);
		return true;
	case EV_PASTE:
		/* A paste is text: it goes only where text is typed. */
		return !(ui_screen_flags(ui) & UI_SCREEN_TEXT);
	case EV_KEY:
	case EV_CHAR:
		return false;
	default:
		return true;
	}
}

/* Keys typed into a dialog someone else's change just closed (ui_card_gone()). */
static bool ui_keys_held(struct ui *ui, const struct ui_event *ev)
{
	if (!ui->keys_held_until || (ev->kind != EV_KEY && ev->kind != EV_CHAR))
		return false;
	if (ui_clock_ms() >= ui->keys_held_until || (ui_screen_flags(ui) & UI_SCREEN_TEXT)) {
		ui->keys_held_until = 0;
		return false;
	}
	return true;
}

static void ui_handle(struct ui *ui, const struct ui_event *ev)
{
	if (ui_handle_core(ui, ev) || ui_keys_held(ui, ev))
		return;
	strbuf_reset(&ui->message);
	if (ui->layout.too_small && !(ui_screen_flags(ui) & UI_SCREEN_SMALL_OK)) {
		/* Nothing can be seen: only quitting makes sense. */
		if (ui_is_char(ev, L'q'))
			ui->quit = true;
		return;
	}
	ui_screen_event(ui, ev);
}

/* --- Who plays --- */

/*
 * The facilitator's signing key (sign.h), made on first need. Without one,
 * a board that lists keys would take every facilitator change for a
 * pair's: better play as a pair at once, saying why.
 */
static void ui_player_key(struct ui *ui)
{
	struct strbuf err = STRBUF_INIT;

	ui->facilitator = true;
	if (sign_key_load(&ui->key, &err) == 0) {
		strbuf_release(&err);
		return;
	}
	if (ui->board->nkeys) {
		ui->facilitator = false;
		ui_message(ui, _("not the facilitator: your changes cannot be signed: %s; you play "
				 "as a pair"),
			   err.buf);
	} else {
		ui_message(ui, _("warning: your facilitator changes will not be signed: %s"), err.buf);
	}
	strbuf_release(&err);
}

/* Who plays, and whether as the facilitator. */
static void ui_player(struct ui *ui)
{
	const struct passwd *pw;
	const char *account;

	ui->by = ui->opt && ui->opt->by && *ui->opt->by ? xstrdup(ui->opt->by) : NULL;
	if (!ui->opt || !ui->opt->facilitator)
		return;
	pw = getpwuid(getuid());
	account = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : NULL;
	if (account && board_may_facilitate(ui->board, account)) {
		ui_player_key(ui);
		return;
	}
	if (account)
		ui_message(ui, _("not the facilitator: account '%s' is not among this board's "
				 "facilitators; you play as a pair"),
			   account);
	else
		ui_message(ui, "%s", _("not the facilitator: your account has no name; you play as a pair"));
}

/* --- Opening and closing --- */

/* The terminal the board is drawn on: the real one, or a headless screen. */
struct ui_terminal {
	SCREEN *screen;
	FILE *out, *in;
};

/* Headless (tig's TIG_SCRIPT): a virtual screen of $TAMIS_SCRIPT_SIZE on /dev/null. */
static int ui_terminal_headless(struct ui_terminal *t, const char **term)
{
	const char *size = getenv("TAMIS_SCRIPT_SIZE");
	char buf[16];
	int cols = 80, rows = 24;

	if (size && sscanf(size, "%dx%d", &cols, &rows) != 2)
		cols = 80, rows = 24;
	snprintf(buf, sizeof(buf), "%d", cols > 0 ? cols : 80);
	setenv("COLUMNS", buf, 1);
	snprintf(buf, sizeof(buf), "%d", rows > 0 ? rows : 24);
	setenv("LINES", buf, 1);
	if (!*term || !**term || !strcmp(*term, "dumb"))
		*term = "xterm-256color";
	t->out = fopen("/dev/null", "w");
	t->in = fopen("/dev/null", "r");
	if (!t->out || !t->in) {
		fprintf(stderr, _("tamis: cannot open /dev/null: %s\n"), strerror(errno));
		return EX_OSERR;
	}
	return 0;
}

static void ui_terminal_close(struct ui_terminal *t)
{
	if (t->screen) {
		endwin();
		delscreen(t->screen);
	}
	if (t->out && t->out != stdout)
		fclose(t->out);
	if (t->in && t->in != stdin)
		fclose(t->in);
	memset(t, 0, sizeof(*t));
}

/*
 * Takes over the terminal (after checking it can place the cursor) or
 * makes the headless screen, with the input the events come from. Returns
 * 0, or an exit status having said why on stderr.
 */
static int ui_terminal_open(struct ui *ui, struct ui_terminal *t, const char *script)
{
	struct strbuf err = STRBUF_INIT;
	const char *term = getenv("TERM"), *no_color = getenv("NO_COLOR");
	int status = 0;

	t->out = stdout;
	t->in = stdin;
	if (script) {
		status = ui_terminal_headless(t, &term);
	} else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s\n",
			_("tamis: the board opens in a terminal; use 'tamis list' and the other commands in scripts"));
		status = EX_USAGE;
	} else if (ui_term_check(term, STDOUT_FILENO, &err) < 0) {
		fprintf(stderr, "tamis: %s\n", err.buf);
		status = EX_UNAVAILABLE;
	}
	if (!status && !(t->screen = newterm(term, t->out, t->in))) {
		text_sanitize(&err, term ? term : "");
		fprintf(stderr, _("tamis: cannot use terminal '%s'\n"), err.buf);
		status = EX_UNAVAILABLE;
	}
	if (!status) {
		set_term(t->screen);
		ui_color_init(no_color && *no_color);
		ui->input = script ? ui_input_script(script, &err) : ui_input_terminal(&err);
		if (!ui->input) {
			/* Said once the terminal is restored. */
			ui_terminal_close(t);
			fprintf(stderr, "tamis: %s\n", err.buf);
			status = EX_NOINPUT;
		}
	}
	if (status)
		ui_terminal_close(t);
	else if (script)
		resizeterm(atoi(getenv("LINES")), atoi(getenv("COLUMNS")));
	strbuf_release(&err);
	return status;
}

/* The state on opening: badges, a selected card, what the files need said, who plays. */
static void ui_start(struct ui *ui)
{
	ui_state_init(ui);
	ui_screen_init(ui);
	ui_make_badges(ui);
	ui_select_default(ui);
	ui->reveal = true;
	ui_open_warnings(ui);
	ui_player(ui);
	if (!ui->by)
		ui_screen_open(ui, UI_SCREEN_NAME, NULL);
	ui_input_watch_fd(ui->input, session_fd(&ui->session));
	ui_presence_start(ui);
}

static void ui_loop(struct ui *ui)
{
	struct ui_event ev;

	strbuf_init(&ev.arg, 0);
	while (!ui->quit) {
		ui_set_timer(ui);
		ui_sync(ui);
		/*
		 * One redraw for keys that come in together (typed ahead, a
		 * paste, a drag): draw only when no input is waiting. A script
		 * draws after every event, its dumps show each step.
		 */
		if (ui_input_is_script(ui->input) || !ui_input_pending(ui->input))
			ui_draw(ui);
		ui_input_next(ui->input, &ev);
		ui_handle(ui, &ev);
		ui_presence_update(ui);
	}
	strbuf_release(&ev.arg);
}

/*
 * The keys of one's own (keymap.h), before anything else: a bad key file
 * is said in one line, and the board is not opened. Returns 0 or EX_CONFIG.
 */
static int ui_load_keys(void)
{
	struct strbuf err = STRBUF_INIT;
	struct keymap km;

	if (keymap_load(&km, &err) < 0) {
		fprintf(stderr, "tamis: %s\n", err.buf);
		strbuf_release(&err);
		return EX_CONFIG;
	}
	ui_keys_set(&km);
	return 0;
}

int ui_run(const char *path, const struct ui_options *opt)
{
	struct store_errors errs;
	struct strbuf err = STRBUF_INIT;
	struct ui_terminal term;
	struct ui ui;
	const char *script = getenv("TAMIS_SCRIPT");
	int r;

	memset(&ui, 0, sizeof(ui));
	memset(&term, 0, sizeof(term));
	ui.path = path;
	ui.opt = opt;
	if ((r = ui_load_keys()))
		return r;
	store_errors_init(&errs, path);
	r = session_open(&ui.session, path, SESSION_LIVE, &errs);
	if (r < 0) {
		store_errors_format(&errs, &err);
		fputs(err.buf, stderr);
		strbuf_release(&err);
		store_errors_release(&errs);
		return result_exit_status(r);
	}
	store_errors_release(&errs);
	ui.board = ui.session.board;
	i18n_fallback(ui.board->lang);
	r = ui_terminal_open(&ui, &term, script && *script ? script : NULL);
	if (r) {
		session_close(&ui.session, NULL);
		return r;
	}
	curs_set(0);
	ui_start(&ui);
	ui_loop(&ui);
	ui_save_now(&ui);
	ui_presence_stop(&ui);
	ui_input_free(ui.input);
	ui_terminal_close(&term);
	r = ui_close(&ui);
	ui_screen_release(&ui);
	ui_release(&ui);
	return r;
}
