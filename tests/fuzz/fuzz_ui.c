/*
 * fuzz_ui.c - libFuzzer harness for the terminal board's input handling.
 *
 * The input bytes become a script of key, mouse, resize, paste and wake-up
 * events (src/ui_input.h) that the real UI, ui_run() with $TAMIS_SCRIPT,
 * applies to a copy of the fixed board on a headless ncurses screen (newterm
 * on /dev/null), as pairs or as the facilitator. The UI must return 0, and
 * the board it leaves must load, alone and with its live journal, and
 * survive store_format() / store_parse() unchanged.
 *
 * The first byte chooses who plays (a named pair, nobody yet so the name is
 * asked, or the facilitator), colours or NO_COLOR, and the starting size.
 * Then each byte is one event:
 *
 *   0x00-0xBF  a key from fuzz_ui_keys (the UI's keys, in every mode)
 *   0xC0-0xCF  a mouse event (press, release, drag, wheel) at the next two
 *              bytes as column and row, on screen or off it
 *   0xD0-0xD7  a resize to the next two bytes (1x1 to 160x60)
 *   0xD8-0xDF  a bracketed paste of the next 1 to 8 bytes, as they are
 *   0xE0-0xEF  the next 1 to 16 bytes typed as they are (any UTF-8, any
 *              control but NUL and LF, invalid bytes)
 *   0xF0-0xF7  the live-sharing wake-up (:poll)
 *   0xF8-0xFF  a key, as for 0x00-0xBF
 *
 * Never :run or :dump (no shell, no stray files) nor :signal (the script
 * ends anyway). Each input runs in a fresh directory under $TMPDIR.
 */
#define FUZZ_NAME fuzz_ui
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lockfile.h"
#include "session.h"
#include "ui.h"

static const char *const fuzz_ui_keys[] = {
	"<Enter>", "<Esc>", "<Tab>", "<S-Tab>", "<Up>", "<Down>", "<Left>", "<Right>",
	"<Home>", "<End>", "<PgUp>", "<PgDn>", "<BS>", "<Del>", "<Space>", "<lt>",
	"<C-r>", "<C-u>", "<C-k>", "<C-a>", "<C-e>", "<C-d>", "<C-c>", "<C-l>",
	"a", "e", "t", "x", "i", "u", "s", "/",
	"d", "m", "?", "n", "N", "y", "v", "L",
	"z", "R", "1", "2", "3", "9", "h", "j",
	"k", "l", "f", "r", ">", "<lt>", "q", "M",
	"V", "C", "b", "0", " ", "é", "東", "😀",
};
#define FUZZ_UI_NKEYS (sizeof(fuzz_ui_keys) / sizeof(fuzz_ui_keys[0]))
#define FUZZ_UI_MAX_EVENTS 4000

static char *fuzz_ui_root; /* the harness's own directory under $TMPDIR */
static unsigned long fuzz_ui_runs;

/* Removes every file of dir and of its subdirectories, then dir. */
static void fuzz_ui_rmdir(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d) {
		while ((de = readdir(d))) {
			struct strbuf p = STRBUF_INIT;

			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			strbuf_addf(&p, "%s/%s", dir, de->d_name);
			if (unlink(p.buf) < 0)
				fuzz_ui_rmdir(p.buf); /* the signing key's directories */
			strbuf_release(&p);
		}
		closedir(d);
	}
	rmdir(dir);
}

static void fuzz_ui_cleanup(void)
{
	if (fuzz_ui_root)
		fuzz_ui_rmdir(fuzz_ui_root);
	free(fuzz_ui_root);
	fuzz_ui_root = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	struct strbuf dir = STRBUF_INIT;

	(void)argc;
	(void)argv;
	setlocale(LC_ALL, "C.UTF-8");
	/* The headless screen's terminal, a fixed clock, nobody's defaults. */
	setenv("TERM", "xterm-256color", 1);
	setenv("TAMIS_TIME_NOW", "2019-06-28T11:00:00Z", 1);
	setenv("TZ", "UTC", 1);
	unsetenv("TAMIS_BY");
	unsetenv("ESCDELAY");
	strbuf_addf(&dir, "%s/tamis-fuzz-ui.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir.buf))
		fuzz_fail("cannot make a directory under $TMPDIR", strerror(errno));
	fuzz_ui_root = strbuf_detach(&dir, NULL);
	atexit(fuzz_ui_cleanup);
	/* The facilitator's signing key (src/sign.h), never in the real home. */
	strbuf_addf(&dir, "%s/config", fuzz_ui_root);
	setenv("XDG_CONFIG_HOME", dir.buf, 1);
	strbuf_release(&dir);
	return 0;
}

/* Appends n bytes of data as script text: NUL and line breaks cannot be said. */
static void fuzz_ui_raw(struct strbuf *line, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		strbuf_addch(line, p[i] == '\0' || p[i] == '\n' ? '?' : (char)p[i]);
}

static void fuzz_ui_flush(struct strbuf *script, struct strbuf *line)
{
	if (!line->len)
		return;
	/* A line starting with ':' or '#' would be a command or a comment. */
	if (line->buf[0] == ':' || line->buf[0] == '#')
		strbuf_addstr(script, "<Esc>");
	strbuf_add(script, line->buf, line->len);
	strbuf_addch(script, '\n');
	strbuf_reset(line);
}

/* The script for the events of data (after the first byte). */
static void fuzz_ui_script(const uint8_t *data, size_t size, struct strbuf *script)
{
	static const char *const mouse[] = { "press", "release", "drag", "wheel-up", "wheel-down" };
	struct strbuf line = STRBUF_INIT;
	size_t i = 0, events = 0;

	while (i < size && events++ < FUZZ_UI_MAX_EVENTS) {
		uint8_t b = data[i++];

		if (b >= 0xC0 && b <= 0xCF) {
			fuzz_ui_flush(script, &line);
			strbuf_addf(script, ":mouse %s %d %d\n", mouse[(b & 0x0F) % 5],
				    i < size ? data[i] : 0, i + 1 < size ? data[i + 1] : 0);
			i += 2;
		} else if (b >= 0xD0 && b <= 0xD7) {
			fuzz_ui_flush(script, &line);
			strbuf_addf(script, ":resize %d %d\n", 1 + (i < size ? data[i] : 79) % 160,
				    1 + (i + 1 < size ? data[i + 1] : 23) % 60);
			i += 2;
		} else if (b >= 0xD8 && b <= 0xDF) {
			size_t n = (size_t)(b & 7) + 1;

			if (n > size - i)
				n = size - i;
			fuzz_ui_flush(script, &line);
			strbuf_addstr(script, ":paste ");
			fuzz_ui_raw(script, data + i, n);
			strbuf_addch(script, '\n');
			i += n;
		} else if (b >= 0xE0 && b <= 0xEF) {
			size_t n = (size_t)(b & 15) + 1;

			if (n > size - i)
				n = size - i;
			fuzz_ui_raw(&line, data + i, n);
			i += n;
		} else if (b >= 0xF0 && b <= 0xF7) {
			fuzz_ui_flush(script, &line);
			strbuf_addstr(script, ":poll\n");
		} else {
			strbuf_addstr(&line, fuzz_ui_keys[b % FUZZ_UI_NKEYS]);
		}
		if (line.len > 200)
			fuzz_ui_flush(script, &line);
	}
	fuzz_ui_flush(script, &line);
	strbuf_release(&line);
}

/* The fixed board, with this account as its facilitator when asked. */
static void fuzz_ui_board(bool facilitator, struct strbuf *yaml)
{
	const struct passwd *pw = getpwuid(getuid());
	const char *who = "  - claire\n", *at = strstr(fuzz_board_yaml, who);

	if (!facilitator || !at || !pw || !pw->pw_name || !*pw->pw_name ||
	    strpbrk(pw->pw_name, "\"\\")) {
		strbuf_addstr(yaml, fuzz_board_yaml);
		return;
	}
	strbuf_add(yaml, fuzz_board_yaml, (size_t)(at - fuzz_board_yaml));
	strbuf_addf(yaml, "  - \"%s\"\n", pw->pw_name);
	strbuf_addstr(yaml, at + strlen(who));
}

static void fuzz_ui_write(const char *path, const struct strbuf *data)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data->buf, 1, data->len, f) != data->len || fclose(f))
		fuzz_fail("cannot write a file of the test", path);
}

/* The promise: the board left behind loads, alone and live, and round-trips. */
static void fuzz_ui_check(const char *path)
{
	struct strbuf data = STRBUF_INIT, msg = STRBUF_INIT;
	struct store_errors err;
	struct session s;
	struct board *b = NULL;

	if (file_read(path, 64u << 20, &data, &msg) < 0)
		fuzz_fail("the board file is gone after the UI quit", msg.buf);
	store_errors_init(&err, path);
	if (store_parse(data.buf, data.len, &b, &err) < 0) {
		store_errors_format(&err, &msg);
		strbuf_addstr(&msg, "--- the board file:\n");
		strbuf_add(&msg, data.buf, data.len);
		fuzz_fail("the board the UI left does not load", msg.buf);
	}
	store_errors_release(&err);
	fuzz_round_trip(b, NULL);
	board_free(b);

	store_errors_init(&err, path);
	if (session_open(&s, path, SESSION_READ, &err) < 0) {
		store_errors_format(&err, &msg);
		fuzz_fail("the board and its live journal do not load", msg.buf);
	}
	fuzz_round_trip(s.board, NULL);
	session_close(&s, NULL);
	store_errors_release(&err);
	strbuf_release(&data);
	strbuf_release(&msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sizes[] = { "80x24", "100x30", "40x12", "200x60",
					     "39x11", "64x20", "120x40", "1x1" };
	struct strbuf dir = STRBUF_INIT, board = STRBUF_INIT, script = STRBUF_INIT,
		      path = STRBUF_INIT, spath = STRBUF_INIT;
	struct ui_options opt = { "fuzz", false };
	uint8_t flags = size ? data[0] : 0;
	int r;

	if (!fuzz_ui_root)
		LLVMFuzzerInitialize(NULL, NULL);
	strbuf_addf(&dir, "%s/%lu", fuzz_ui_root, fuzz_ui_runs++);
	if (mkdir(dir.buf, 0700) < 0)
		fuzz_fail("cannot make a directory for the board", strerror(errno));
	strbuf_addf(&path, "%s/b.yaml", dir.buf);
	strbuf_addf(&spath, "%s/script", dir.buf);

	opt.facilitator = (flags & 3) == 3;
	if ((flags & 3) == 1)
		opt.by = NULL; /* the name is asked first */
	if (flags & 4)
		setenv("NO_COLOR", "1", 1);
	else
		unsetenv("NO_COLOR");
	setenv("TAMIS_SCRIPT_SIZE", sizes[(flags >> 3) & 7], 1);

	fuzz_ui_board(opt.facilitator, &board);
	fuzz_ui_write(path.buf, &board);
	if (size)
		fuzz_ui_script(data + 1, size - 1, &script);
	fuzz_ui_write(spath.buf, &script);
	setenv("TAMIS_SCRIPT", spath.buf, 1);

	r = ui_run(path.buf, &opt);
	if (r != 0) {
		struct strbuf msg = STRBUF_INIT;

		strbuf_addf(&msg, "exit status %d; the script:\n", r);
		strbuf_add(&msg, script.buf, script.len);
		fuzz_fail("the UI did not end with status 0", msg.buf);
	}
	fuzz_ui_check(path.buf);

	fuzz_ui_rmdir(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&board);
	strbuf_release(&script);
	strbuf_release(&path);
	strbuf_release(&spath);
	return 0;
}
