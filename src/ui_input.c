/*
 * ui_input.c - keys, mouse, resizes and signals as events (see ui_input.h).
 */
#include "ui_input.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lockfile.h"
#include "text.h"
#include "xmalloc.h"

/* Bracketed paste markers, as keys (define_key()). */
#define UI_KEY_PASTE_BEGIN (KEY_MAX + 1)
#define UI_KEY_PASTE_END (KEY_MAX + 2)
/* The start of a mouse report, SGR or X10, as keys: the rest is read here. */
#define UI_KEY_MOUSE_SGR (KEY_MAX + 3)
#define UI_KEY_MOUSE_X10 (KEY_MAX + 4)
/* How long the rest of a mouse report may take to come, once it started. */
#define UI_MOUSE_WAIT_MS 100
/* xterm's mouse modes: presses and releases, drags, SGR reports. */
#define UI_MOUSE_ON "\033[?1000h\033[?1002h\033[?1006h"
#define UI_MOUSE_OFF "\033[?1006l\033[?1002l\033[?1000l"

#define UI_QUEUE 8

struct ui_input {
	bool script;
	/* Terminal. */
	int tty_fd;
	int extra_fd;
	int timeout_ms;     /* -1: none */
	bool pasting;
	struct strbuf paste; /* the paste arriving, while pasting */
	bool paste_cut;     /* it went past UI_PASTE_MAX */
	bool mouse;         /* we turn on xterm's mouse reports */
	bool paste_mode;    /* we turn on bracketed paste */
	bool modes_sent;    /* motion and paste modes are on (after the first draw) */
	int idle_reads;     /* readable yet nothing decoded: the tty went away */
	/* Script. */
	char **lines;
	size_t nlines, line;
	/* Events read ahead (a click's release, a peeked key, a script line). */
	struct ui_event queue[UI_QUEUE];
	size_t qhead, qlen;
	/* Script lines can hold many keys: they are decoded one by one. */
	const char *rest;
	struct sigaction old[4];
};

static const int ui_input_signals[4] = { SIGTERM, SIGHUP, SIGINT, SIGWINCH };
static volatile sig_atomic_t ui_input_term_signo;
static volatile sig_atomic_t ui_input_winch;
static int ui_input_pipe[2] = { -1, -1 };

/* No work here: note the signal and wake the loop up. */
static void ui_input_on_signal(int signo)
{
	int saved = errno;

	if (signo == SIGWINCH)
		ui_input_winch = 1;
	else
		ui_input_term_signo = signo;
	if (ui_input_pipe[1] >= 0) {
		ssize_t r = write(ui_input_pipe[1], "", 1);

		(void)r;
	}
	errno = saved;
}

static int ui_input_signals_install(struct ui_input *in, struct strbuf *err)
{
	struct sigaction sa;
	size_t i;

	if (ui_input_pipe[0] < 0) {
		if (pipe2(ui_input_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
			strbuf_addf(err, "cannot create a pipe: %s", strerror(errno));
			return -1;
		}
	}
	ui_input_term_signo = 0;
	ui_input_winch = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ui_input_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 4; i++)
		sigaction(ui_input_signals[i], &sa, &in->old[i]);
	return 0;
}

static struct ui_input *ui_input_new(bool script)
{
	struct ui_input *in = xcalloc(1, sizeof(*in));
	size_t i;

	in->script = script;
	in->tty_fd = -1;
	in->extra_fd = -1;
	in->timeout_ms = -1;
	for (i = 0; i < UI_QUEUE; i++)
		strbuf_init(&in->queue[i].arg, 0);
	strbuf_init(&in->paste, 0);
	return in;
}

struct ui_input *ui_input_terminal(struct strbuf *err)
{
	struct ui_input *in = ui_input_new(false);
	const char *kmous, *be;

	in->tty_fd = STDIN_FILENO;
	if (ui_input_signals_install(in, err) < 0) {
		ui_input_free(in);
		return NULL;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	/*
	 * A terminal whose mouse key is xterm's gets xterm's modes; its reports
	 * are read here rather than by curses, which reads either SGR or X10
	 * (as terminfo's kmous says) and nothing past column 223 in X10.
	 */
	kmous = tigetstr("kmous");
	in->mouse = kmous && kmous != (char *)-1 && !strncmp(kmous, "\033[", 2);
	if (in->mouse) {
		define_key("\033[<", 0);
		define_key("\033[M", 0);
		define_key("\033[<", UI_KEY_MOUSE_SGR);
		define_key("\033[M", UI_KEY_MOUSE_X10);
	}
	be = tigetstr("BE");
	if (be && be != (char *)-1) {
		in->paste_mode = true;
		define_key("\033[200~", UI_KEY_PASTE_BEGIN);
		define_key("\033[201~", UI_KEY_PASTE_END);
	}
	return in;
}

/* Reads the whole script into lines. */
struct ui_input *ui_input_script(const char *path, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct ui_input *in;
	char *p, *nl;
	size_t alloc = 0;

	if (file_read(path, 16u << 20, &sb, err) < 0)
		return NULL;
	in = ui_input_new(true);
	if (ui_input_signals_install(in, err) < 0) {
		strbuf_release(&sb);
		ui_input_free(in);
		return NULL;
	}
	for (p = sb.buf; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		ALLOC_GROW(in->lines, in->nlines + 1, alloc);
		in->lines[in->nlines++] = xstrndup(p, (size_t)(nl - p));
		if (!*nl)
			break;
	}
	strbuf_release(&sb);
	return in;
}

void ui_input_free(struct ui_input *in)
{
	size_t i;

	if (!in)
		return;
	if (!in->script && in->modes_sent) {
		if (in->mouse)
			putp(UI_MOUSE_OFF);
		if (in->paste_mode) {
			const char *bd = tigetstr("BD");

			putp(bd && bd != (char *)-1 ? bd : "\033[?2004l");
		}
		fflush(stdout);
	}
	for (i = 0; i < 4; i++)
		sigaction(ui_input_signals[i], &in->old[i], NULL);
	for (i = 0; i < in->nlines; i++)
		free(in->lines[i]);
	free(in->lines);
	for (i = 0; i < UI_QUEUE; i++)
		strbuf_release(&in->queue[i].arg);
	strbuf_release(&in->paste);
	free(in);
}

void ui_input_watch_fd(struct ui_input *in, int fd)
{
	in->extra_fd = fd;
}

void ui_input_set_timeout(struct ui_input *in, int ms)
{
	in->timeout_ms = ms < 0 ? -1 : ms;
}

bool ui_input_is_script(const struct ui_input *in)
{
	return in->script;
}

static void ui_event_copy(struct ui_event *dst, const struct ui_event *src)
{
	struct strbuf arg = dst->arg;

	*dst = *src;
	dst->arg = arg;
	strbuf_reset(&dst->arg);
	strbuf_add(&dst->arg, src->arg.buf, src->arg.len);
}

static void ui_event_clear(struct ui_event *ev)
{
	struct strbuf arg = ev->arg;

	memset(ev, 0, sizeof(*ev));
	ev->arg = arg;
	strbuf_reset(&ev->arg);
}

static void ui_input_push(struct ui_input *in, const struct ui_event *ev)
{
	if (in->qlen == UI_QUEUE)
		return;
	ui_event_copy(&in->queue[(in->qhead + in->qlen) % UI_QUEUE], ev);
	in->qlen++;
}

static bool ui_input_pop(struct ui_input *in, struct ui_event *ev)
{
	if (!in->qlen)
		return false;
	ui_event_copy(ev, &in->queue[in->qhead]);
	in->qhead = (in->qhead + 1) % UI_QUEUE;
	in->qlen--;
	return true;
}

/* Starts gathering a paste. */
static void ui_input_paste_begin(struct ui_input *in)
{
	in->pasting = true;
	in->paste_cut = false;
	strbuf_reset(&in->paste);
}

/* Adds a character of the paste (not a Unicode scalar value: left out). */
static void ui_input_paste_add(struct ui_input *in, wchar_t c)
{
	uint32_t cp = (uint32_t)c;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return;
	if (in->paste.len + 4 > UI_PASTE_MAX)
		in->paste_cut = true;
	else
		utf8_encode(&in->paste, cp);
}

/* The paste gathered, as one event. */
static void ui_input_paste_end(struct ui_input *in, struct ui_event *ev)
{
	ui_event_clear(ev);
	ev->kind = EV_PASTE;
	ev->pasted = true;
	ev->cut = in->paste_cut;
	strbuf_add(&ev->arg, in->paste.buf, in->paste.len);
	in->pasting = false;
	strbuf_reset(&in->paste);
}

/* A mouse report as an event: button 1 and the wheel; false for the others. */
static bool ui_input_mouse_event(const struct mouse_report *m, struct ui_event *ev)
{
	ev->kind = EV_MOUSE;
	ev->mouse = m->action;
	ev->x = m->x;
	ev->y = m->y;
	switch (m->action) {
	case MOUSE_WHEEL_UP:
	case MOUSE_WHEEL_DOWN:
		return true;
	case MOUSE_RELEASE:
		return m->button <= 1; /* X10 does not say which button */
	case MOUSE_PRESS:
	case MOUSE_DRAG:
		return m->button == 1;
	default:
		return false;
	}
}

/*
 * The rest of a mouse report whose start (ESC [ < or ESC [ M) came as a
 * key: its bytes, one by one as curses holds them (wgetch(): X10's bytes
 * past 127 are no UTF-8), until mouse_parse() has it whole. False when it
 * is no report, or when its end never comes: what was read is dropped.
 */
static bool ui_input_mouse(struct ui_input *in, const char *start, struct ui_event *ev)
{
	unsigned char buf[MOUSE_REPORT_MAX];
	struct mouse_report m;
	size_t len = strlen(start);
	int r, c, waits = 0;

	memcpy(buf, start, len);
	while ((r = mouse_parse(buf, len, &m)) == 0 && len < sizeof(buf)) {
		c = wgetch(stdscr);
		if (c == ERR) {
			struct pollfd fd = { in->tty_fd, POLLIN, 0 };

			if (++waits > 3 || poll(&fd, 1, UI_MOUSE_WAIT_MS) <= 0)
				return false;
			continue;
		}
		if (c < 0 || c > 255)
			return false;
		buf[len++] = (unsigned char)c;
	}
	return r > 0 && ui_input_mouse_event(&m, ev);
}

/* Enter, or a line break inside a paste. */
static bool ui_input_enter(const struct ui_input *in, struct ui_event *ev)
{
	ev->kind = in->pasting ? EV_CHAR : EV_KEY;
	ev->key = KEY_ENTER;
	ev->ch = L'\n';
	ev->pasted = in->pasting;
	return true;
}

static bool ui_input_decode1(struct ui_input *in, int r, wint_t wch, struct ui_event *ev)
{
	ui_event_clear(ev);
	if (r == KEY_CODE_YES) {
		switch (wch) {
		case KEY_RESIZE:
			ev->kind = EV_RESIZE;
			return true;
		case UI_KEY_PASTE_BEGIN:
			ui_input_paste_begin(in);
			return false;
		case UI_KEY_PASTE_END:
			if (!in->pasting)
				return false;
			ui_input_paste_end(in, ev);
			return true;
		case UI_KEY_MOUSE_SGR:
			return ui_input_mouse(in, "\033[<", ev);
		case UI_KEY_MOUSE_X10:
			return ui_input_mouse(in, "\033[M", ev);
		case KEY_ENTER:
			return ui_input_enter(in, ev);
		default:
			ev->kind = EV_KEY;
			ev->key = (int)wch;
			return true;
		}
	}
	if (wch == L'\r' || wch == L'\n')
		return ui_input_enter(in, ev);
	if (wch == 127 || wch == 8) {
		ev->kind = EV_KEY;
		ev->key = KEY_BACKSPACE;
		return true;
	}
	if (wch < 32) {
		if (in->pasting && wch == '\t') {
			ev->kind = EV_CHAR;
			ev->ch = L' ';
			ev->pasted = true;
			return true;
		}
		ev->kind = EV_KEY;
		ev->key = (int)wch;
		return true;
	}
	ev->kind = EV_CHAR;
	ev->ch = (wchar_t)wch;
	ev->pasted = in->pasting;
	return true;
}

static bool ui_input_decode(struct ui_input *in, int r, wint_t wch, struct ui_event *ev)
{
	if (!ui_input_decode1(in, r, wch, ev))
		return false;
	/*
	 * Keys inside a paste are text, never commands (a pasted Esc...): its
	 * characters are gathered for one EV_PASTE at its end, other keys left out.
	 */
	if (in->pasting && ev->kind == EV_CHAR)
		ui_input_paste_add(in, ev->ch);
	return !(in->pasting && (ev->kind == EV_KEY || ev->kind == EV_CHAR));
}

static void ui_input_drain_pipe(void)
{
	char buf[64];

	while (read(ui_input_pipe[0], buf, sizeof(buf)) > 0)
		;
}

/* The terminal's new size, applied to curses. */
static void ui_input_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

/* A signal or resize noted by the handlers, as an event. */
static bool ui_input_signalled(struct ui_event *ev)
{
	if (ui_input_term_signo) {
		ui_event_clear(ev);
		ev->kind = EV_SIGNAL;
		ev->signo = ui_input_term_signo;
		ui_input_term_signo = 0;
		return true;
	}
	return false;
}

/*
 * Turns on xterm's mouse reports (1000 presses and releases, 1002 motion
 * with a button down: a dragged card follows the pointer, 1006 SGR reports:
 * any column) and bracketed paste. Sent after the first screen update: entering the
 * alternate screen there resets them in some terminals (tmux).
 */
static void ui_input_modes(struct ui_input *in)
{
	const char *be = tigetstr("BE");

	in->modes_sent = true;
	if (in->mouse)
		putp(UI_MOUSE_ON);
	if (in->paste_mode && be && be != (char *)-1)
		putp(be);
	fflush(stdout);
}

static void ui_input_terminal_next(struct ui_input *in, struct ui_event *ev)
{
	struct pollfd fds[3];
	wint_t wch;
	int r, nfds;

	if (!in->modes_sent)
		ui_input_modes(in);

	for (;;) {
		if (ui_input_signalled(ev))
			return;
		if (ui_input_winch) {
			ui_input_winch = 0;
			ui_input_resize();
			ui_event_clear(ev);
			ev->kind = EV_RESIZE;
			return;
		}
		r = wget_wch(stdscr, &wch);
		if (r != ERR) {
			in->idle_reads = 0;
			if (ui_input_decode(in, r, wch, ev))
				return;
			continue;
		}
		fds[0] = (struct pollfd){ in->tty_fd, POLLIN, 0 };
		fds[1] = (struct pollfd){ ui_input_pipe[0], POLLIN, 0 };
		nfds = 2;
		if (in->extra_fd >= 0)
			fds[nfds++] = (struct pollfd){ in->extra_fd, POLLIN, 0 };
		r = poll(fds, (nfds_t)nfds, in->pasting ? UI_PASTE_WAIT_MS : in->timeout_ms);
		if (r == 0 && in->pasting) {
			ui_input_paste_end(in, ev); /* its end never came */
			return;
		}
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			ui_event_clear(ev);
			ev->kind = EV_EOF;
			return;
		}
		if (r == 0) {
			ui_event_clear(ev);
			ev->kind = EV_TICK;
			return;
		}
		if (fds[1].revents)
			ui_input_drain_pipe();
		if (nfds > 2 && fds[2].revents) {
			ui_event_clear(ev);
			ev->kind = EV_WAKE;
			return;
		}
		/*
		 * Readable but nothing came out, again and again: the terminal
		 * is gone (end of file, hang-up). Never spin on it.
		 */
		if ((fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) ||
		    ((fds[0].revents & POLLIN) && ++in->idle_reads > 50)) {
			ui_event_clear(ev);
			ev->kind = EV_EOF;
			return;
		}
	}
}

static const struct {
	const char *name;
	int key;
} ui_input_keys[] = {
	{ "Enter", KEY_ENTER }, { "Esc", UI_KEY_ESC },       { "Tab", UI_KEY_TAB },
	{ "S-Tab", KEY_BTAB },  { "Up", KEY_UP },            { "Down", KEY_DOWN },
	{ "Left", KEY_LEFT },   { "Right", KEY_RIGHT },      { "Home", KEY_HOME },
	{ "End", KEY_END },     { "PgUp", KEY_PPAGE },       { "PgDn", KEY_NPAGE },
	{ "BS", KEY_BACKSPACE }, { "Backspace", KEY_BACKSPACE }, { "Del", KEY_DC },
};

/* Decodes the next key of a script line at *s into ev; advances *s. */
static void ui_input_script_key(const char **s, struct ui_event *ev)
{
	const char *p = *s;
	mbstate_t mbs;
	wchar_t wc;
	size_t n, i;

	ui_event_clear(ev);
	if (*p == '<') {
		const char *end = strchr(p, '>');

		if (end && end > p + 1) {
			size_t len = (size_t)(end - p - 1);

			for (i = 0; i < sizeof(ui_input_keys) / sizeof(ui_input_keys[0]); i++) {
				if (strlen(ui_input_keys[i].name) == len &&
				    !strncasecmp(p + 1, ui_input_keys[i].name, len)) {
					ev->kind = EV_KEY;
					ev->key = ui_input_keys[i].key;
					*s = end + 1;
					return;
				}
			}
			if (len == 5 && !strncasecmp(p + 1, "Space", 5)) {
				ev->kind = EV_CHAR;
				ev->ch = L' ';
				*s = end + 1;
				return;
			}
			if (len == 2 && !strncasecmp(p + 1, "lt", 2)) {
				ev->kind = EV_CHAR;
				ev->ch = L'<';
				*s = end + 1;
				return;
			}
			if ((len == 2 || len == 3) && p[1] == 'F' && atoi(p + 2) >= 1 &&
			    atoi(p + 2) <= 12) {
				ev->kind = EV_KEY;
				ev->key = KEY_F(atoi(p + 2));
				*s = end + 1;
				return;
			}
			if (len == 3 && (p[1] == 'C' || p[1] == 'c') && p[2] == '-') {
				ev->kind = EV_KEY;
				ev->key = UI_KEY_CTRL(p[3]);
				*s = end + 1;
				return;
			}
		}
	}
	memset(&mbs, 0, sizeof(mbs));
	n = mbrtowc(&wc, p, strlen(p), &mbs);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		wc = (unsigned char)*p;
		n = 1;
	}
	ev->kind = EV_CHAR;
	ev->ch = wc;
	*s = p + n;
}

/* Turns a ":" line of the script into events in the queue. */
static void ui_input_script_command(struct ui_input *in, const char *line)
{
	struct ui_event ev;
	char word[32];
	int a = 0, b = 0;

	memset(&ev, 0, sizeof(ev));
	strbuf_init(&ev.arg, 0);
	if (!strncmp(line, ":dump", 5) && (line[5] == ' ' || !line[5])) {
		ev.kind = EV_DUMP;
		line += 5;
		while (*line == ' ')
			line++;
		strbuf_addstr(&ev.arg, line);
		ui_input_push(in, &ev);
	} else if (sscanf(line, ":resize %d %d", &a, &b) == 2) {
		if (a < 1)
			a = 1;
		if (b < 1)
			b = 1;
		resizeterm(b, a);
		ev.kind = EV_RESIZE;
		ui_input_push(in, &ev);
	} else if (sscanf(line, ":mouse %31s %d %d", word, &a, &b) == 3) {
		ev.kind = EV_MOUSE;
		ev.x = a;
		ev.y = b;
		if (!strcmp(word, "press"))
			ev.mouse = MOUSE_PRESS;
		else if (!strcmp(word, "release"))
			ev.mouse = MOUSE_RELEASE;
		else if (!strcmp(word, "drag"))
			ev.mouse = MOUSE_DRAG;
		else if (!strcmp(word, "wheel-up"))
			ev.mouse = MOUSE_WHEEL_UP;
		else if (!strcmp(word, "wheel-down"))
			ev.mouse = MOUSE_WHEEL_DOWN;
		else
			ev.kind = EV_NONE;
		if (ev.kind != EV_NONE)
			ui_input_push(in, &ev);
	} else if (!strncmp(line, ":paste ", 7)) {
		struct ui_event key;
		const char *p = line + 7;

		memset(&key, 0, sizeof(key));
		strbuf_init(&key.arg, 0);
		ui_input_paste_begin(in);
		while (*p) {
			ui_input_script_key(&p, &key);
			if (key.kind == EV_CHAR)
				ui_input_paste_add(in, key.ch);
			else if (key.key == KEY_ENTER || key.key == UI_KEY_TAB)
				ui_input_paste_add(in, key.key == KEY_ENTER ? L'\n' : L'\t');
		}
		strbuf_release(&key.arg);
		ui_input_paste_end(in, &ev);
		ui_input_push(in, &ev);
	} else if (!strcmp(line, ":poll")) {
		ev.kind = EV_WAKE;
		ui_input_push(in, &ev);
	} else if (!strncmp(line, ":run ", 5)) {
		int st;

		fflush(stdout);
		st = system(line + 5);
		(void)st;
		ev.kind = EV_WAKE;
		ui_input_push(in, &ev);
	} else if (sscanf(line, ":signal %31s", word) == 1) {
		if (!strcmp(word, "TERM"))
			raise(SIGTERM);
		else if (!strcmp(word, "HUP"))
			raise(SIGHUP);
		else if (!strcmp(word, "INT"))
			raise(SIGINT);
	}
	strbuf_release(&ev.arg);
}

static void ui_input_script_next(struct ui_input *in, struct ui_event *ev)
{
	for (;;) {
		if (ui_input_signalled(ev))
			return;
		if (ui_input_pop(in, ev))
			return;
		if (in->rest && *in->rest) {
			ui_input_script_key(&in->rest, ev);
			return;
		}
		in->rest = NULL;
		if (in->line >= in->nlines) {
			ui_event_clear(ev);
			ev->kind = EV_EOF;
			return;
		}
		{
			const char *line = in->lines[in->line++];

			if (!*line || *line == '#')
				continue;
			if (*line == ':')
				ui_input_script_command(in, line);
			else
				in->rest = line;
		}
	}
}

void ui_input_next(struct ui_input *in, struct ui_event *ev)
{
	if (in->script) {
		ui_input_script_next(in, ev);
		return;
	}
	if (ui_input_pop(in, ev))
		return;
	ui_input_terminal_next(in, ev);
}

bool ui_input_pending(struct ui_input *in)
{
	struct ui_event ev;
	wint_t wch;
	int r;
	bool got = false;

	if (in->qlen)
		return true;
	if (in->script)
		return in->rest && *in->rest;
	memset(&ev, 0, sizeof(ev));
	strbuf_init(&ev.arg, 0);
	while ((r = wget_wch(stdscr, &wch)) != ERR) {
		if (ui_input_decode(in, r, wch, &ev)) {
			ui_input_push(in, &ev);
			got = true;
			break;
		}
	}
	strbuf_release(&ev.arg);
	return got || in->pasting;
}
