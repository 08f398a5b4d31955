/*
 * bench.c - tamis's benchmark: load, save, draw, move, sieve, sync and
 * memory at each board size, next to the floor (what libyaml and the kernel
 * need for the same work). See docs/PERFORMANCE.md.
 *
 *   bench [-d RUNDIR] [-m WHAT,...] [-o RESULTS.tsv] [-t TAMIS -f FLOOR]
 *         EMPTY.yaml BOARD.yaml...
 *
 * EMPTY.yaml is a board without cards (the memory baseline); each BOARD is
 * measured in turn. RUNDIR (default ".") receives the working copies that
 * saves, moves, commands and the sync test write. Everything is timed with
 * CLOCK_MONOTONIC; each figure is the median of several repetitions. With
 * -t and -f, whole commands are timed too: the tamis binary TAMIS running
 * list, check and add, next to FLOOR (bench/floor.c).
 *
 * Not part of tamis: with floor.c, the only files besides the store's
 * allowed <yaml.h> (the floors), and it links the UI objects to draw exactly
 * as the UI does.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "board.h"
#include "fileio.h"
#include "layout.h"
#include "op.h"
#include "session.h"
#include "store.h"
#include "strbuf.h"
#include "text.h"
#include "ui_color.h"
#include "ui_draw.h"
#include "ui_editor.h"
#include "ui_int.h"
#include "xmalloc.h"

#define BENCH_COLS 200
#define BENCH_ROWS 60
#define BENCH_SYNC_CHANGES 1000
#define BENCH_SYNC_WARMUP 20

/* --- Time, and the fsyncs of the core timed apart (link with --wrap) --- */

static uint64_t bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* CPU time of this process: what the work cost, whatever else runs on the machine. */
static uint64_t bench_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double bench_us(uint64_t ns)
{
	return (double)ns / 1000.0;
}

/* The last ui_apply() of a move, timed. */
static uint64_t bench_apply_ns;

/* Nanoseconds spent in fsync() and fdatasync() by the core, and the calls. */
static uint64_t bench_fsync_ns;
static unsigned long bench_fsync_calls;

int __real_fsync(int fd);
int __real_fdatasync(int fd);
int __wrap_fsync(int fd);
int __wrap_fdatasync(int fd);

int __wrap_fsync(int fd)
{
	uint64_t t = bench_now();
	int r = __real_fsync(fd);

	bench_fsync_ns += bench_now() - t;
	bench_fsync_calls++;
	return r;
}

int __wrap_fdatasync(int fd)
{
	uint64_t t = bench_now();
	int r = __real_fdatasync(fd);

	bench_fsync_ns += bench_now() - t;
	bench_fsync_calls++;
	return r;
}

static void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void bench_die(const char *fmt, ...)
{
	va_list ap;

	fputs("bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(70);
}

/* --- Samples --- */

struct samples {
	double *v;
	size_t n, alloc;
};

static void samples_add(struct samples *s, double v)
{
	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	s->v[s->n++] = v;
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The value at quantile q (0.5: median), nearest rank. */
static double samples_quantile(struct samples *s, double q)
{
	size_t k;

	if (!s->n)
		return NAN;
	qsort(s->v, s->n, sizeof(*s->v), bench_cmp_double);
	if (q == 0.5 && s->n % 2 == 0)
		return (s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
	k = (size_t)ceil(q * (double)s->n);
	return s->v[k ? k - 1 : 0];
}

static double samples_median(struct samples *s)
{
	return samples_quantile(s, 0.5);
}

static void samples_release(struct samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* --- Results --- */

struct bench_row {
	const char *metric;
	size_t cards;
	double value;   /* microseconds, or bytes for *_bytes (NAN: none) */
	double floor;   /* microseconds, NAN when there is no floor */
	double cpu;     /* median CPU time, microseconds (NAN: not measured) */
	double cpu_floor;
	double rss_kb;  /* memory rows: peak RSS beyond the baseline, else NAN */
	double extra;   /* memory rows: resident KiB after loading; cli rows: the median
			   of each run over the floors around it; else NAN */
};

static struct bench_row *results;
static size_t nresults, results_alloc;

static void bench_result(const char *metric, size_t cards, double value, double floor_us)
{
	struct bench_row *r;

	ALLOC_GROW(results, nresults + 1, results_alloc);
	r = &results[nresults++];
	r->metric = metric;
	r->cards = cards;
	r->value = value;
	r->floor = floor_us;
	r->cpu = NAN;
	r->cpu_floor = NAN;
	r->rss_kb = NAN;
	r->extra = NAN;
}

/* Sets the CPU medians of the last result. */
static void bench_result_cpu(struct samples *cpu, struct samples *cpu_floor)
{
	results[nresults - 1].cpu = cpu && cpu->n ? samples_median(cpu) : NAN;
	results[nresults - 1].cpu_floor = cpu_floor && cpu_floor->n ? samples_median(cpu_floor) : NAN;
}

static const struct bench_row *bench_find(const char *metric, size_t cards)
{
	size_t i;

	for (i = 0; i < nresults; i++)
		if (!strcmp(results[i].metric, metric) && results[i].cards == cards)
			return &results[i];
	return NULL;
}

/* --- Files --- */

static void bench_read(const char *path, struct strbuf *out)
{
	struct strbuf err = STRBUF_INIT;

	strbuf_reset(out);
	if (file_read(path, STORE_MAX_FILE_SIZE, out, &err) < 0)
		bench_die("%s", err.buf);
	strbuf_release(&err);
}

static void bench_write(const char *path, const struct strbuf *data)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data->buf, 1, data->len, f) != data->len || fclose(f) != 0)
		bench_die("cannot write '%s': %s", path, strerror(errno));
}

/* Removes the side files a session leaves beside path (journal, locks). */
static void bench_clean_side(const char *path)
{
	static const char *const suffixes[] = { ".journal", ".lock", ".live" };
	const char *slash = strrchr(path, '/');
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		struct strbuf sb = STRBUF_INIT;

		if (slash)
			strbuf_add(&sb, path, (size_t)(slash - path + 1));
		strbuf_addf(&sb, ".%s%s", slash ? slash + 1 : path, suffixes[i]);
		unlink(sb.buf);
		strbuf_release(&sb);
	}
}

static struct board *bench_load(const char *path)
{
	struct store_errors errs;
	struct board *b = NULL;

	store_errors_init(&errs, path);
	if (store_load(path, &b, &errs) < 0) {
		struct strbuf sb = STRBUF_INIT;

		store_errors_format(&errs, &sb);
		bench_die("cannot load '%s':\n%s", path, sb.buf);
	}
	store_errors_release(&errs);
	return b;
}

/* --- Memory: a fresh child per board, before the parent grows --- */

struct bench_mem {
	long peak_kb;      /* ru_maxrss */
	long resident_kb;  /* VmRSS once loaded */
	size_t cards;
};

static long bench_resident_kb(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/*
 * Runs fn(path, out) in a child forked from this process, and copies what
 * it wrote to out (at most PIPE_BUF bytes) back.
 */
static void bench_in_child(void (*fn)(const char *, void *), const char *path, void *out,
			   size_t size)
{
	int fds[2], status;
	pid_t pid;

	if (pipe(fds) < 0)
		bench_die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		fn(path, out);
		if (write(fds[1], out, size) != (ssize_t)size)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], out, size) != (ssize_t)size)
		bench_die("child measuring '%s' failed", path);
	close(fds[0]);
	waitpid(pid, &status, 0);
}

static void bench_memory_child(const char *path, void *out)
{
	struct bench_mem *m = out;
	struct board *b = bench_load(path);
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	m->peak_kb = ru.ru_maxrss;
	m->resident_kb = bench_resident_kb();
	m->cards = b->ncards;
}

static struct bench_mem bench_memory(const char *path)
{
	struct bench_mem m = { 0, 0, 0 };

	bench_in_child(bench_memory_child, path, &m, sizeof(m));
	return m;
}

/* --- Load, and its floor: a bare libyaml event scan --- */

/*
 * Reads path into data (whose memory a first read has already faulted in,
 * as the bench's own reads reuse theirs) and runs a bare yaml_parser_parse()
 * loop over it. Returns the number of events.
 */
static size_t bench_scan(const char *path, struct strbuf *data)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	size_t n = 0;
	bool done = false;

	bench_read(path, data);
	if (!yaml_parser_initialize(&parser))
		bench_die("yaml_parser_initialize");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data->buf, data->len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev))
			bench_die("'%s': %s", path, parser.problem ? parser.problem : "parse error");
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		n++;
	}
	yaml_parser_delete(&parser);
	return n;
}

struct bench_reps {
	int load, draw, move, sieve;
};

static struct bench_reps bench_reps_for(size_t cards)
{
	if (cards <= 1000)
		return (struct bench_reps){ 21, 101, 201, 201 };
	if (cards <= 10000)
		return (struct bench_reps){ 7, 51, 201, 201 };
	return (struct bench_reps){ 5, 21, 101, 101 };
}

/*
 * Load and scan are timed in children forked before this process has grown
 * (see main()), so that the load starts as tamis does: with a heap that has
 * never held a board (the scan before it frees all it takes). Each child
 * then times them again once a load of the same board has been freed, as in
 * a live instance that reloads the board ("reload"; not a target). At
 * 100,000 cards glibc's malloc then carves the new board out of the freed
 * heap's pieces, not its top, with cache misses in unlink_chunk(). The bare
 * scan, which keeps nothing, is not slowed.
 */
enum { LOAD_FRESH, LOAD_AGAIN, LOAD_FIGURES };

struct bench_load_rep {
	double load_wall[LOAD_FIGURES], load_cpu[LOAD_FIGURES];
	double scan_wall[LOAD_FIGURES], scan_cpu[LOAD_FIGURES];
	size_t cards, events;
};

/* What one repetition of each kind measured. */
struct bench_loads {
	struct samples load[LOAD_FIGURES], load_cpu[LOAD_FIGURES];
	struct samples scan[LOAD_FIGURES], scan_cpu[LOAD_FIGURES];
	size_t cards, events;
};

/* Times store_load() (the board freed untimed), or with scan the bare scan, as figure k. */
static void bench_load_time(struct bench_load_rep *rep, int k, bool scan, const char *path,
			    struct strbuf *data)
{
	uint64_t t = bench_now(), c = bench_cpu();
	struct board *b = NULL;
	double wall, cpu;

	if (scan)
		rep->events = bench_scan(path, data);
	else
		b = bench_load(path);
	wall = bench_us(bench_now() - t);
	cpu = bench_us(bench_cpu() - c);
	if (b) {
		rep->cards = b->ncards;
		board_free(b);
	}
	(scan ? rep->scan_wall : rep->load_wall)[k] = wall;
	(scan ? rep->scan_cpu : rep->load_cpu)[k] = cpu;
}

/*
 * One repetition, all in one child so that its four figures are close in
 * time (a shared machine's speed drifts): the scan and the load, then the
 * load again and the scan again, each after a load was freed.
 */
static void bench_load_child(const char *path, void *out)
{
	struct bench_load_rep *rep = out;
	struct strbuf data = STRBUF_INIT;

	bench_read(path, &data); /* the scan's buffer, as the bench's reused ones */
	bench_load_time(rep, LOAD_FRESH, true, path, &data);
	bench_load_time(rep, LOAD_FRESH, false, path, &data);
	bench_load_time(rep, LOAD_AGAIN, false, path, &data);
	bench_load_time(rep, LOAD_AGAIN, true, path, &data);
	strbuf_release(&data);
}

static void bench_loads_measure(const char *path, struct bench_loads *l)
{
	int r, reps = 1, k;

	memset(l, 0, sizeof(*l));
	for (r = 0; r < reps; r++) {
		struct bench_load_rep a;

		memset(&a, 0, sizeof(a));
		bench_in_child(bench_load_child, path, &a, sizeof(a));
		if (!r) {
			l->cards = a.cards;
			l->events = a.events;
			reps = bench_reps_for(a.cards).load;
		}
		for (k = 0; k < LOAD_FIGURES; k++) {
			samples_add(&l->load[k], a.load_wall[k]);
			samples_add(&l->load_cpu[k], a.load_cpu[k]);
			samples_add(&l->scan[k], a.scan_wall[k]);
			samples_add(&l->scan_cpu[k], a.scan_cpu[k]);
		}
	}
}

static void bench_loads_release(struct bench_loads *l)
{
	int k;

	for (k = 0; k < LOAD_FIGURES; k++) {
		samples_release(&l->load[k]);
		samples_release(&l->load_cpu[k]);
		samples_release(&l->scan[k]);
		samples_release(&l->scan_cpu[k]);
	}
}

/* --- Save, and its floor: a bare libyaml emit of the file's events --- */

static int bench_emit_write(void *data, unsigned char *buf, size_t size)
{
	strbuf_add(data, buf, size);
	return 1;
}

#define BENCH_EMIT_CHUNK 4096

/*
 * Parses data into events, BENCH_EMIT_CHUNK at a time (not timed), and emits
 * them to memory (timed). Returns the time spent emitting, *cpu its CPU
 * time; *out_len: bytes.
 */
static uint64_t bench_emit(const struct strbuf *data, struct strbuf *out, size_t *out_len,
			   uint64_t *cpu)
{
	static yaml_event_t chunk[BENCH_EMIT_CHUNK];
	yaml_parser_t parser;
	yaml_emitter_t emitter;
	uint64_t spent = 0, t, c;
	bool done = false;

	*cpu = 0;
	strbuf_reset(out);
	if (!yaml_parser_initialize(&parser) || !yaml_emitter_initialize(&emitter))
		bench_die("yaml init");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data->buf, data->len);
	yaml_emitter_set_output(&emitter, bench_emit_write, out);
	yaml_emitter_set_unicode(&emitter, 1);  /* UTF-8 as is, like tamis */
	yaml_emitter_set_width(&emitter, -1);   /* no folding, like tamis */
	while (!done) {
		size_t n = 0, i;

		while (n < BENCH_EMIT_CHUNK && !done) {
			if (!yaml_parser_parse(&parser, &chunk[n]))
				bench_die("parse: %s", parser.problem ? parser.problem : "error");
			done = chunk[n++].type == YAML_STREAM_END_EVENT;
		}
		t = bench_now();
		c = bench_cpu();
		for (i = 0; i < n; i++)
			if (!yaml_emitter_emit(&emitter, &chunk[i]))
				bench_die("emit: %s", emitter.problem ? emitter.problem : "error");
		if (done)
			yaml_emitter_flush(&emitter);
		spent += bench_now() - t;
		*cpu += bench_cpu() - c;
	}
	yaml_emitter_delete(&emitter);
	yaml_parser_delete(&parser);
	*out_len = out->len;
	return spent;
}

/* --- The headless screen: UI objects drawing into a pipe we drain --- */

static int bench_screen_rfd = -1;
static SCREEN *bench_screen;
static const struct ui_options bench_opts = { "bench", false };

static void bench_screen_open(void)
{
	int fds[2];
	FILE *out, *in;

	if (pipe(fds) < 0)
		bench_die("pipe: %s", strerror(errno));
	/* A pipe big enough for any one frame, drained after each draw. */
	if (fcntl(fds[1], F_SETPIPE_SZ, 1 << 20) < 0)
		fcntl(fds[1], F_SETPIPE_SZ, 1 << 16);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	bench_screen_rfd = fds[0];
	out = fdopen(fds[1], "w");
	in = fopen("/dev/null", "r");
	if (!out || !in)
		bench_die("fdopen: %s", strerror(errno));
	setenv("COLUMNS", "200", 1);
	setenv("LINES", "60", 1);
	bench_screen = newterm("xterm-256color", out, in);
	if (!bench_screen)
		bench_die("newterm failed (is the xterm-256color terminfo entry installed?)");
	set_term(bench_screen);
	ui_color_init(false);
	resizeterm(BENCH_ROWS, BENCH_COLS);
	curs_set(0);
}

/* Bytes the screen sent to the terminal since the last call. */
static size_t bench_screen_drain(void)
{
	char buf[65536];
	size_t total = 0;
	ssize_t n;

	while ((n = read(bench_screen_rfd, buf, sizeof(buf))) > 0)
		total += (size_t)n;
	return total;
}


/* When set, the time of every frame drawn is added there. */
static struct samples *bench_frames;

/* One turn of the UI's loop without the event: sync, then draw. */
static __attribute__((noinline)) void bench_ui_frame(struct ui *ui)
{
	uint64_t t = bench_now();

	ui_sync(ui);
	ui_draw(ui);
	if (bench_frames)
		samples_add(bench_frames, bench_us(bench_now() - t));
}

/* The grid whose fullest cell holds the most cards (the first of equals), and that cell. */
static size_t bench_busiest_grid(const struct board *b, int *cx, int *cy)
{
	size_t g, best = 0, most = 0;
	struct layout_view v;
	int x, y;

	for (g = 0; g < b->ngrids; g++) {
		layout_view_build(&v, b, g);
		if (g == 0 || v.max_in_cell > most) {
			best = g;
			most = v.max_in_cell;
		}
		layout_view_release(&v);
	}
	*cx = *cy = 1;
	layout_view_build(&v, b, best);
	for (x = v.cells; x >= 1; x--)
		for (y = v.cells; y >= 1; y--)
			if (v.ncell[x - 1][y - 1] == v.max_in_cell) {
				*cx = x;
				*cy = y;
			}
	layout_view_release(&v);
	return best;
}

/*
 * Opens path live and sets the UI state up as ui_run() does, on the busiest
 * grid, with the first card of its fullest cell selected.
 */
static void bench_ui_open(struct ui *ui, const char *path)
{
	struct store_errors errs;
	struct layout_view v;
	struct card **list;
	size_t t, n;
	int cx, cy;

	memset(ui, 0, sizeof(*ui));
	ui->path = path;
	ui->opt = &bench_opts;
	store_errors_init(&errs, path);
	if (session_open(&ui->session, path, SESSION_LIVE, &errs) < 0)
		bench_die("cannot open '%s' live", path);
	store_errors_release(&errs);
	ui->board = ui->session.board;
	ui->by = xstrdup(bench_opts.by);
	ui_state_init(ui);
	ui_screen_init(ui);
	ui->nbadges = ui->board->nthemes;
	ui->badges = xcalloc(ui->nbadges ? ui->nbadges : 1, sizeof(*ui->badges));
	for (t = 0; t < ui->nbadges; t++)
		snprintf(ui->badges[t], UI_BADGE_MAX, "%c", (int)('A' + t % 26));
	ui->grid = bench_busiest_grid(ui->board, &cx, &cy);
	layout_view_build(&v, ui->board, ui->grid);
	list = layout_view_list(&v, cx, cy, &n);
	if (n)
		ui_select(ui, list[0]);
	layout_view_release(&v);
	ui->reveal = true;
}

static void bench_ui_close(struct ui *ui)
{
	ui_screen_release(ui);
	ui_release(ui);
	session_close(&ui->session, NULL);
}

/* One key to the screen on top, as the UI's loop hands it over. */
static void bench_ui_key(struct ui *ui, int key)
{
	struct ui_event ev;

	memset(&ev, 0, sizeof(ev));
	strbuf_init(&ev.arg, 0);
	ev.kind = EV_KEY;
	ev.key = key;
	ui_screen_event(ui, &ev);
	strbuf_release(&ev.arg);
}

/*
 * Picks the selected card up, carries it one cell right (left from the
 * last column) and drops it, with the keys a person presses (Enter, the
 * arrow, Enter) handed to the screens as the UI's loop does, then redraws
 * once. The drop goes through ui_apply(): undo, session_apply() (lock,
 * catch up, apply, journal append, fdatasync). Each key is followed by
 * ui_sync(), as in the UI's loop; the screen is drawn once for the gesture,
 * as the UI does when the keys come in together (it draws only when no
 * input is waiting). What one frame costs is move_frame.
 */
static __attribute__((noinline)) void bench_ui_move(struct ui *ui)
{
	struct card *card = ui_selected(ui);
	size_t g = ui->grid;
	struct cell from;
	uuid_t id;

	if (!card)
		bench_die("no card to move");
	memcpy(id, card->id, sizeof(uuid_t));
	from = card->place[g];
	/* Enter: pick up (the carry screen). */
	bench_ui_key(ui, KEY_ENTER);
	ui_sync(ui);
	/* The arrow: the card is shown one cell over (a preview in the view, not the board). */
	bench_ui_key(ui, from.x < ui->board->grids[g].cells ? KEY_RIGHT : KEY_LEFT);
	ui_sync(ui);
	/* Enter: drop, one move from where it really was. */
	bench_apply_ns = bench_now();
	bench_ui_key(ui, KEY_ENTER);
	bench_apply_ns = bench_now() - bench_apply_ns;
	card = board_find_card(ui->board, id);
	if (!card || card->place[g].x == from.x || ui->save_error.len)
		bench_die("the move was not saved: %s", ui->save_error.len ? ui->save_error.buf :
			  ui->message.buf);
	bench_ui_frame(ui);
}

/* --- Sync: one process appends, another wakes and applies --- */

/*
 * Change i of the sync test, computed from the board before it: a card
 * spread over the board (not a locked one) one cell right on the first grid.
 * Both processes compute it, the watcher to know when it has it.
 */
static void bench_sync_op(struct board *b, size_t i, struct op *op)
{
	size_t k = i * 7919;
	struct card *card = b->cards[k % b->ncards];
	int cells = b->grids[0].cells;

	while (card->locked) /* only the facilitator moves those */
		card = b->cards[++k % b->ncards];
	memset(op, 0, sizeof(*op));
	op->kind = OP_MOVE;
	op->at = 1561723200 + (time_t)i;
	op->by = (char *)"bench";
	memcpy(op->card, card->id, sizeof(uuid_t));
	op->grid = b->grids[0].id;
	op->x = card->place[0].x % cells + 1;
	op->y = card->place[0].y ? card->place[0].y : 1;
}

/* True when b shows the move op. */
static bool bench_sync_applied(struct board *b, const struct op *op)
{
	struct card *card = board_find_card(b, op->card);

	return card && b->ngrids && card->place[0].x == op->x && card->place[0].y == op->y;
}

/*
 * The watching side: wakes on session_fd(), applies, reports when. Like the
 * UI's loop, it also polls after a second without a wake-up (the UI's
 * timer), and says how often only that brought a change in. (The other
 * process may take long to open a big board before its first change.)
 */
static void bench_sync_watcher(const char *path, int ready_fd, int ack_fd, size_t changes)
{
	struct session s;
	struct store_errors errs;
	struct strbuf err = STRBUF_INIT;
	size_t seen = 0, by_timer = 0, first_timer = 0;
	int idle = 0;
	bool timed_out;
	char c = 'r';
	struct op want;

	store_errors_init(&errs, path);
	if (session_open(&s, path, SESSION_LIVE, &errs) < 0)
		_exit(1);
	if (session_fd(&s) < 0)
		_exit(2);
	if (write(ready_fd, &c, 1) != 1)
		_exit(3);
	bench_sync_op(s.board, 0, &want);
	while (seen < changes) {
		struct pollfd pfd = { session_fd(&s), POLLIN, 0 };
		int r = poll(&pfd, 1, 1000);

		if (r < 0)
			_exit(4);
		if (r == 0 && ++idle > 120)
			_exit(5); /* two minutes without any change */
		timed_out = r == 0;
		strbuf_reset(&err);
		r = session_poll(&s, &err);
		if (r < 0)
			_exit(6);
		if (r == RESULT_OK && bench_sync_applied(s.board, &want)) {
			uint64_t t = bench_now();

			if (write(ack_fd, &t, sizeof(t)) != (ssize_t)sizeof(t))
				_exit(7);
			if (timed_out && !by_timer++)
				first_timer = seen;
			seen++;
			idle = 0;
			if (seen < changes)
				bench_sync_op(s.board, seen, &want);
		}
	}
	if (by_timer)
		fprintf(stderr, "\nbench: sync: %zu of %zu changes (the first: change %zu) came in "
			"only on the 1 s timer, not on the wake-up\n", by_timer, changes, first_timer);
	session_close(&s, NULL);
	_exit(0);
}

/*
 * Moves cards back and forth through a live session while a second live
 * process watches; samples the time from before session_apply() here to
 * the moment the other process has applied the change.
 */
static void bench_sync(const char *path, struct samples *out)
{
	struct session s;
	struct store_errors errs;
	struct strbuf err = STRBUF_INIT;
	int ready[2], ack[2], status;
	size_t i, total = BENCH_SYNC_WARMUP + BENCH_SYNC_CHANGES;
	pid_t pid;
	char c;

	if (pipe(ready) < 0 || pipe(ack) < 0)
		bench_die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(ready[0]);
		close(ack[0]);
		bench_sync_watcher(path, ready[1], ack[1], total);
	}
	close(ready[1]);
	close(ack[1]);
	if (read(ready[0], &c, 1) != 1)
		bench_die("sync watcher did not start");
	store_errors_init(&errs, path);
	if (session_open(&s, path, SESSION_LIVE, &errs) < 0)
		bench_die("cannot open '%s' live", path);
	store_errors_release(&errs);
	for (i = 0; i < total; i++) {
		struct op op;
		uint64_t t0, t1;

		bench_sync_op(s.board, i, &op);
		t0 = bench_now();
		strbuf_reset(&err);
		if (session_apply(&s, &op, &err) != RESULT_OK)
			bench_die("session_apply: %s", err.buf);
		if (read(ack[0], &t1, sizeof(t1)) != (ssize_t)sizeof(t1)) {
			waitpid(pid, &status, 0);
			bench_die("sync watcher died at change %zu (exit status %d)", i,
				  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		}
		if (i >= BENCH_SYNC_WARMUP)
			samples_add(out, bench_us(t1 - t0));
		session_poll(&s, &err); /* our own inotify events, not timed */
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		bench_die("sync watcher failed (status %d)", status);
	session_close(&s, NULL);
	close(ready[0]);
	close(ack[0]);
	strbuf_release(&err);
}

/* The floor: append a byte to a file in a watched directory, the other side wakes and reads it. */
static void bench_inotify(const char *dir, struct samples *out)
{
	struct strbuf file = STRBUF_INIT;
	int ready[2], ack[2], fd, status;
	size_t i, total = BENCH_SYNC_WARMUP + BENCH_SYNC_CHANGES;
	pid_t pid;
	char c;

	strbuf_addf(&file, "%s/inotify-floor", dir);
	fd = open(file.buf, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (fd < 0 || pipe(ready) < 0 || pipe(ack) < 0)
		bench_die("'%s': %s", file.buf, strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC), rfd = open(file.buf, O_RDONLY);
		char buf[4096];
		size_t seen = 0;

		if (ifd < 0 || rfd < 0 || inotify_add_watch(ifd, dir, IN_MODIFY) < 0)
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(2);
		while (seen < total) {
			struct pollfd pfd = { ifd, POLLIN, 0 };
			ssize_t n;

			if (poll(&pfd, 1, 10000) <= 0)
				_exit(3);
			while (read(ifd, buf, sizeof(buf)) > 0)
				;
			while ((n = read(rfd, buf, sizeof(buf))) > 0) {
				uint64_t t = bench_now();

				seen += (size_t)n;
				if (write(ack[1], &t, sizeof(t)) != (ssize_t)sizeof(t))
					_exit(4);
			}
		}
		_exit(0);
	}
	close(ready[1]);
	close(ack[1]);
	if (read(ready[0], &c, 1) != 1)
		bench_die("inotify watcher did not start");
	for (i = 0; i < total; i++) {
		uint64_t t0 = bench_now(), t1;

		if (write(fd, "x", 1) != 1)
			bench_die("write: %s", strerror(errno));
		if (read(ack[0], &t1, sizeof(t1)) != (ssize_t)sizeof(t1))
			bench_die("inotify watcher died");
		if (i >= BENCH_SYNC_WARMUP)
			samples_add(out, bench_us(t1 - t0));
	}
	waitpid(pid, &status, 0);
	close(fd);
	close(ready[0]);
	close(ack[0]);
	unlink(file.buf);
	strbuf_release(&file);
}

/* --- One board size --- */

/* The measurements asked for with -m (all by default). */
static const char *bench_only;

static bool bench_want(const char *what)
{
	const char *p = bench_only;
	size_t n = strlen(what);

	if (!p)
		return true;
	while ((p = strstr(p, what))) {
		if ((p == bench_only || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

/* Keeps the floors' reads from being optimised away. */
static volatile size_t bench_sum;

/*
 * The sieve's floor: one pass, in board order and fetching a few cards
 * ahead, reading each card's placements and every byte of its text: what a
 * sieve that keeps nothing between calls must read, with nothing ranked or
 * sorted. board_sieve() reads its index instead (board.c), so it may go
 * below this floor.
 */
static size_t bench_sieve_floor(const struct board *b)
{
	size_t i, g, sum = 0;

	for (i = 0; i < b->ncards; i++) {
		const struct card *c = b->cards[i];

		if (i + 32 < b->ncards)
			__builtin_prefetch(b->cards[i + 32]);
		if (i + 16 < b->ncards) {
			__builtin_prefetch(b->cards[i + 16]->place);
			__builtin_prefetch(b->cards[i + 16]->text);
		}
		for (g = 0; g < b->ngrids; g++)
			sum += (size_t)c->place[g].x + (size_t)c->place[g].y;
		sum += strlen(c->text);
	}
	return sum;
}

/* --- Whole commands: tamis list, check and add as processes --- */

static const char *bench_tamis, *bench_floor;

/*
 * Runs argv (argv[0] a path) as a process, its output to /dev/null, and
 * gives its wall time and CPU time (user and system) in microseconds.
 * posix_spawn() does not copy this process's memory, as fork() would: what
 * is timed does not grow with the bench.
 */
static void bench_run(char *const argv[], double *wall, double *cpu)
{
	extern char **environ;
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	uint64_t t;
	int status, err;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	t = bench_now();
	if ((err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ)))
		bench_die("cannot run '%s': %s", argv[0], strerror(err));
	if (wait4(pid, &status, 0, &ru) < 0)
		bench_die("wait4: %s", strerror(errno));
	*wall = bench_us(bench_now() - t);
	posix_spawn_file_actions_destroy(&fa);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		bench_die("'%s %s' failed (status 0x%x)", argv[0], argv[1], (unsigned)status);
	*cpu = (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec +
	       (double)ru.ru_stime.tv_sec * 1e6 + (double)ru.ru_stime.tv_usec;
}

/* path holds data again, durably, without side files: the same start for every command. */
static void bench_restore(const char *path, const struct strbuf *data)
{
	int fd;

	bench_clean_side(path);
	bench_write(path, data);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fsync(fd) < 0)
		bench_die("cannot sync '%s': %s", path, strerror(errno));
	close(fd);
}

enum { CLI_LIST, CLI_CHECK, CLI_ADD, CLI_COUNT };

/* What the commands are measured with, for one board. */
struct bench_cli {
	struct strbuf list, add; /* the copies they work on */
	const struct strbuf *data;
	struct samples wall[CLI_COUNT], cpu[CLI_COUNT], floor[CLI_COUNT], floor_cpu[CLI_COUNT];
	struct samples paired[CLI_COUNT]; /* each run over the mean of the floors around it */
};

/* The floor of command k: the bare parse, and for add the durable replacement too. */
static void bench_cli_floor(struct bench_cli *b, int k, double *wall, double *cpu)
{
	char *const parse[] = { (char *)bench_floor, b->list.buf, NULL };
	char *const replace[] = { (char *)bench_floor, b->add.buf, b->add.buf, NULL };

	if (k == CLI_ADD)
		bench_restore(b->add.buf, b->data);
	bench_run(k == CLI_ADD ? replace : parse, wall, cpu);
}

/* Command k, between two runs of its floor; kept unless warm (the untimed round). */
static void bench_cli_one(struct bench_cli *b, int k, bool warm)
{
	char *const argv[CLI_COUNT][6] = {
		{ (char *)bench_tamis, (char *)"list", b->list.buf, NULL },
		{ (char *)bench_tamis, (char *)"check", b->list.buf, NULL },
		{ (char *)bench_tamis, (char *)"add", b->add.buf, (char *)"Une carte de plus", NULL },
	};
	double w, c, f1, fc1, f2, fc2;

	bench_cli_floor(b, k, &f1, &fc1);
	if (k == CLI_ADD)
		bench_restore(b->add.buf, b->data);
	bench_run(argv[k], &w, &c);
	bench_cli_floor(b, k, &f2, &fc2);
	if (warm)
		return;
	samples_add(&b->wall[k], w);
	samples_add(&b->cpu[k], c);
	samples_add(&b->floor[k], f1);
	samples_add(&b->floor[k], f2);
	samples_add(&b->floor_cpu[k], fc1);
	samples_add(&b->floor_cpu[k], fc2);
	samples_add(&b->paired[k], w / ((f1 + f2) / 2));
}

/*
 * list, check (on a copy of the board) and add (on a fresh copy each time),
 * each run between two runs of its floor, so that a shared machine's drift
 * does not come between a figure and its floor.
 */
static void bench_cli(const struct strbuf *data, const char *rundir, size_t cards)
{
	static const char *const names[CLI_COUNT] = { "cli_list", "cli_check", "cli_add" };
	struct bench_cli b;
	int r, k, reps = cards <= 1000 ? 21 : cards <= 10000 ? 11 : 3;

	memset(&b, 0, sizeof(b));
	b.data = data;
	strbuf_init(&b.list, 0);
	strbuf_init(&b.add, 0);
	strbuf_addf(&b.list, "%s/cli-%zu.yaml", rundir, cards);
	strbuf_addf(&b.add, "%s/cli-add-%zu.yaml", rundir, cards);
	bench_restore(b.list.buf, data);
	for (r = -1; r < reps; r++) /* the first round warms the caches, untimed */
		for (k = 0; k < CLI_COUNT; k++)
			bench_cli_one(&b, k, r < 0);
	for (k = 0; k < CLI_COUNT; k++) {
		bench_result(names[k], cards, samples_median(&b.wall[k]),
			     samples_median(&b.floor[k]));
		bench_result_cpu(&b.cpu[k], &b.floor_cpu[k]);
		results[nresults - 1].extra = samples_median(&b.paired[k]);
		samples_release(&b.wall[k]);
		samples_release(&b.cpu[k]);
		samples_release(&b.floor[k]);
		samples_release(&b.floor_cpu[k]);
		samples_release(&b.paired[k]);
	}
	bench_clean_side(b.add.buf);
	unlink(b.add.buf);
	unlink(b.list.buf);
	strbuf_release(&b.list);
	strbuf_release(&b.add);
}

static void bench_board(const char *src, const char *rundir, struct bench_loads *loads)
{
	struct strbuf data = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	struct strbuf work = STRBUF_INIT, saved = STRBUF_INIT;
	struct samples save = { 0 }, fsyncs = { 0 }, emit = { 0 };
	struct samples format = { 0 }, draw = { 0 }, draw_bytes = { 0 }, sieve = { 0 };
	struct samples move = { 0 }, move_apply = { 0 }, move_fsync = { 0 }, move_bytes = { 0 };
	struct samples sync = { 0 }, floor = { 0 }, frames = { 0 };
	struct samples save_cpu = { 0 }, emit_cpu = { 0 };
	struct samples draw_cpu = { 0 }, move_cpu = { 0 }, sieve_cpu = { 0 };
	struct samples sieve_floor = { 0 }, sieve_floor_cpu = { 0 }, sieve_cold = { 0 };
	struct board *b;
	struct ui ui;
	size_t cards, emitted = 0, events = loads->events;
	struct bench_reps reps;
	int r;

	bench_read(src, &data);
	b = bench_load(src);
	cards = b->ncards;
	reps = bench_reps_for(cards);
	fprintf(stderr, "bench: %zu cards (%.1f MB)...", cards, (double)data.len / 1e6);

	/* Save: serialise and replace atomically; the fsyncs counted apart. */
	strbuf_addf(&saved, "%s/save-%zu.yaml", rundir, cards);
	for (r = 0; bench_want("save") && r < reps.load + 1; r++) {
		uint64_t f0 = bench_fsync_ns, t = bench_now(), c = bench_cpu(), spent, cspent;

		if (store_save(saved.buf, b, &err) < 0)
			bench_die("store_save: %s", err.buf);
		spent = bench_now() - t;
		cspent = bench_cpu() - c;
		if (r) { /* the first one creates the file */
			samples_add(&save, bench_us(spent - (bench_fsync_ns - f0)));
			samples_add(&save_cpu, bench_us(cspent));
			samples_add(&fsyncs, bench_us(bench_fsync_ns - f0));
		}
		t = bench_emit(&data, &out, &emitted, &c);
		samples_add(&emit, bench_us(t));
		samples_add(&emit_cpu, bench_us(c));
		/* The serialisation alone, for the record. */
		strbuf_reset(&out);
		t = bench_now();
		store_format(b, &out);
		samples_add(&format, bench_us(bench_now() - t));
	}
	unlink(saved.buf);

	/*
	 * Sieve: as the sieve view ranks again after each move, one card moved
	 * (not timed) before each ranking. The floor, a pass reading every
	 * card, runs apart: at 100,000 cards it flushes the caches, which
	 * nothing tamis does between two moves does. The sieve right after it
	 * is reported too, as sieve_cold (not a target; docs/PERFORMANCE.md).
	 */
	for (r = 0; bench_want("sieve") && r < reps.sieve; r++) {
		uint64_t t, c;
		struct sieve_entry *e;
		struct card *moved = b->cards[((size_t)r * 7919) % cards];

		if (b->ngrids)
			board_place_card(b, moved, (size_t)r % b->ngrids, 1 + r % 2, 1 + r / 2 % 2);
		t = bench_now();
		c = bench_cpu();
		e = board_sieve(b);
		samples_add(&sieve, bench_us(bench_now() - t));
		samples_add(&sieve_cpu, bench_us(bench_cpu() - c));
		free(e);
	}
	for (r = 0; bench_want("sieve") && r < reps.sieve; r++) {
		uint64_t t = bench_now(), c = bench_cpu();
		struct sieve_entry *e;

		bench_sum += bench_sieve_floor(b);
		samples_add(&sieve_floor, bench_us(bench_now() - t));
		samples_add(&sieve_floor_cpu, bench_us(bench_cpu() - c));
		t = bench_now();
		e = board_sieve(b);
		samples_add(&sieve_cold, bench_us(bench_now() - t));
		free(e);
	}
	board_free(b);

	/* Draw and move: the UI's state on a live session of a working copy. */
	if (bench_want("draw") || bench_want("move")) {
		strbuf_addf(&work, "%s/move-%zu.yaml", rundir, cards);
		bench_clean_side(work.buf);
		bench_write(work.buf, &data);
		bench_ui_open(&ui, work.buf);
		bench_ui_frame(&ui);
		bench_screen_drain();

		/* Draw: lay out and draw the whole screen, every cell repainted. */
		for (r = 0; bench_want("draw") && r < reps.draw; r++) {
			uint64_t t, c;

			clearok(curscr, TRUE);
			t = bench_now();
			c = bench_cpu();
			bench_ui_frame(&ui);
			samples_add(&draw, bench_us(bench_now() - t));
			samples_add(&draw_cpu, bench_us(bench_cpu() - c));
			samples_add(&draw_bytes, (double)bench_screen_drain());
		}

		/*
		 * Move: pick up, step, drop, redraw (the first ones create the
		 * journal). The fdatasync() of the append is counted apart.
		 */
		for (r = -5; bench_want("move") && r < reps.move; r++) {
			uint64_t t = bench_now(), c = bench_cpu(), f0 = bench_fsync_ns;

			bench_frames = r >= 0 ? &frames : NULL;
			bench_ui_move(&ui);
			bench_frames = NULL;
			if (r >= 0) {
				samples_add(&move, bench_us(bench_now() - t - (bench_fsync_ns - f0)));
				samples_add(&move_cpu, bench_us(bench_cpu() - c));
				samples_add(&move_apply, bench_us(bench_apply_ns));
				samples_add(&move_fsync, bench_us(bench_fsync_ns - f0));
				samples_add(&move_bytes, (double)bench_screen_drain());
			} else {
				bench_screen_drain();
			}
		}
		bench_ui_close(&ui);
		bench_clean_side(work.buf);
		unlink(work.buf);
	}

	/* Sync, and the bare inotify round trip. */
	if (bench_want("sync")) {
		strbuf_reset(&work);
		strbuf_addf(&work, "%s/sync-%zu.yaml", rundir, cards);
		bench_clean_side(work.buf);
		bench_write(work.buf, &data);
		bench_sync(work.buf, &sync);
		bench_clean_side(work.buf);
		unlink(work.buf);
		bench_inotify(rundir, &floor);
	}

	if (loads->load[LOAD_FRESH].n) {
		bench_result("load", cards, samples_median(&loads->load[LOAD_FRESH]),
			     samples_median(&loads->scan[LOAD_FRESH]));
		bench_result_cpu(&loads->load_cpu[LOAD_FRESH], &loads->scan_cpu[LOAD_FRESH]);
		bench_result("reload", cards, samples_median(&loads->load[LOAD_AGAIN]),
			     samples_median(&loads->scan[LOAD_AGAIN]));
		bench_result_cpu(&loads->load_cpu[LOAD_AGAIN], &loads->scan_cpu[LOAD_AGAIN]);
	}
	if (save.n) {
		bench_result("save", cards, samples_median(&save), samples_median(&emit));
		bench_result_cpu(&save_cpu, &emit_cpu);
		bench_result("save_format", cards, samples_median(&format), NAN);
		bench_result("save_fsync", cards, samples_median(&fsyncs), NAN);
	}
	if (draw.n) {
		bench_result("draw", cards, samples_median(&draw), NAN);
		bench_result_cpu(&draw_cpu, NULL);
		bench_result("draw_bytes", cards, samples_median(&draw_bytes), NAN);
	}
	if (move.n) {
		bench_result("move", cards, samples_median(&move), NAN);
		bench_result_cpu(&move_cpu, NULL);
		bench_result("move_frame", cards, samples_median(&frames), NAN);
		bench_result("move_apply", cards, samples_median(&move_apply), NAN);
		bench_result("move_fsync", cards, samples_median(&move_fsync), NAN);
		bench_result("move_bytes", cards, samples_median(&move_bytes), NAN);
	}
	if (sieve.n) {
		bench_result("sieve", cards, samples_median(&sieve), samples_median(&sieve_floor));
		bench_result_cpu(&sieve_cpu, &sieve_floor_cpu);
		bench_result("sieve_cold", cards, samples_median(&sieve_cold), NAN);
	}
	if (sync.n) {
		bench_result("sync", cards, samples_median(&sync), samples_median(&floor));
		bench_result("sync_p99", cards, samples_quantile(&sync, 0.99),
			     samples_quantile(&floor, 0.99));
	}
	if (bench_want("cli") && bench_tamis && bench_floor)
		bench_cli(&data, rundir, cards);
	fprintf(stderr, " done");
	if (events)
		fprintf(stderr, " (%zu YAML events, re-emitted as %.1f MB)", events,
			(double)emitted / 1e6);
	fputc('\n', stderr);

	samples_release(&save);
	samples_release(&format);
	samples_release(&fsyncs);
	samples_release(&emit);
	samples_release(&draw);
	samples_release(&draw_bytes);
	samples_release(&sieve);
	samples_release(&move);
	samples_release(&move_apply);
	samples_release(&move_fsync);
	samples_release(&move_bytes);
	samples_release(&sync);
	samples_release(&floor);
	samples_release(&frames);
	samples_release(&save_cpu);
	samples_release(&emit_cpu);
	samples_release(&draw_cpu);
	samples_release(&move_cpu);
	samples_release(&sieve_cpu);
	samples_release(&sieve_floor);
	samples_release(&sieve_floor_cpu);
	samples_release(&sieve_cold);
	strbuf_release(&data);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&work);
	strbuf_release(&saved);
}

/* --- Output --- */

static bool bench_is_bytes(const char *metric)
{
	size_t n = strlen(metric);

	return n > 6 && !strcmp(metric + n - 6, "_bytes");
}

static void bench_fmt_us(char *buf, size_t len, double us)
{
	if (isnan(us))
		buf[0] = '\0';
	else if (us >= 1e6)
		snprintf(buf, len, "%.2f s", us / 1e6);
	else if (us >= 1e3)
		snprintf(buf, len, "%.2f ms", us / 1e3);
	else
		snprintf(buf, len, "%.1f µs", us);
}

static void bench_print(FILE *f)
{
	size_t i;

	fprintf(f, "\n%-12s %7s %11s %11s %7s %11s %11s %7s\n", "metric", "cards", "median",
		"floor", "ratio", "cpu", "cpu floor", "ratio");
	for (i = 0; i < nresults; i++) {
		const struct bench_row *r = &results[i];
		char v[32], fl[32], ratio[16] = "", cpu[32], cfl[32], cratio[16] = "";

		if (!strcmp(r->metric, "memory")) {
			fprintf(f, "%-12s %7zu  peak +%.0f KiB (%.0f B/card), "
				"resident +%.0f KiB (%.0f B/card)\n",
				r->metric, r->cards, r->rss_kb,
				r->cards ? r->rss_kb * 1024 / (double)r->cards : 0, r->extra,
				r->cards ? r->extra * 1024 / (double)r->cards : 0);
			continue;
		}
		if (bench_is_bytes(r->metric))
			snprintf(v, sizeof(v), "%.0f B", r->value);
		else
			bench_fmt_us(v, sizeof(v), r->value);
		bench_fmt_us(fl, sizeof(fl), r->floor);
		if (!isnan(r->floor) && r->floor > 0)
			snprintf(ratio, sizeof(ratio), "%.2fx", r->value / r->floor);
		bench_fmt_us(cpu, sizeof(cpu), r->cpu);
		bench_fmt_us(cfl, sizeof(cfl), r->cpu_floor);
		if (!isnan(r->cpu_floor) && r->cpu_floor > 0)
			snprintf(cratio, sizeof(cratio), "%.2fx", r->cpu / r->cpu_floor);
		fprintf(f, "%-12s %7zu %11s %11s %7s %11s %11s %7s\n", r->metric, r->cards, v, fl,
			ratio, cpu, cfl, cratio);
	}
}

static void bench_tsv(const char *path)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f)
		bench_die("cannot write '%s': %s", path, strerror(errno));
	fprintf(f, "metric\tcards\tmedian_us\tfloor_us\tratio\tpeak_rss_kb\n");
	for (i = 0; i < nresults; i++) {
		const struct bench_row *r = &results[i];

		fprintf(f, "%s\t%zu\t", r->metric, r->cards);
		if (!isnan(r->value))
			fprintf(f, bench_is_bytes(r->metric) ? "%.0f" : "%.1f", r->value);
		fputc('\t', f);
		if (!isnan(r->floor))
			fprintf(f, "%.1f", r->floor);
		fputc('\t', f);
		if (!isnan(r->floor) && r->floor > 0)
			fprintf(f, "%.2f", r->value / r->floor);
		fputc('\t', f);
		if (!isnan(r->rss_kb))
			fprintf(f, "%.0f", r->rss_kb);
		fputc('\n', f);
	}
	if (fclose(f) != 0)
		bench_die("cannot write '%s': %s", path, strerror(errno));
}

/* --- Targets (docs/PERFORMANCE.md) --- */

static int bench_misses;

static void bench_check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bench_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("  %s  ", ok ? "met " : "MISS");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		bench_misses++;
}

/* True when some figure was measured at that size. */
static bool bench_has(size_t cards)
{
	size_t i;

	for (i = 0; i < nresults; i++)
		if (results[i].cards == cards)
			return true;
	return false;
}

/*
 * Whole commands at 1000 and 10000 cards: at most 1.3x their floor, run by
 * run (each run over the mean of the two floors around it; the median of
 * those), which a shared machine disturbs less than a ratio of medians.
 */
static void bench_cli_targets(void)
{
	static const char *const cli[] = { "cli_list", "cli_check", "cli_add" };
	static const size_t sizes[] = { 1000, 10000 };
	const struct bench_row *r;
	size_t i, j;

	for (j = 0; j < 2; j++) {
		for (i = 0; i < 3; i++) {
			if (!(r = bench_find(cli[i], sizes[j])))
				continue;
			bench_check(r->extra <= 1.3,
				    "%s at %zu cards %.2f ms <= 1.3x its floor (%.2fx run by run; "
				    "medians %.2fx, cpu %.2fx)",
				    cli[i], sizes[j], r->value / 1e3, r->extra,
				    r->value / r->floor, r->cpu / r->cpu_floor);
		}
	}
}

static void bench_targets(void)
{
	static const char *const grow[] = { "load", "save", "draw", "move", "sieve", "sync",
					    "sync_p99", "memory" };
	const struct bench_row *r, *big;
	size_t i;

	if (!bench_has(10000))
		return;
	printf("\nTargets at 10000 cards:\n");
	if ((r = bench_find("load", 10000)))
		bench_check(r->value <= 3 * r->floor, "load %.2f ms <= 3x the bare scan (%.2fx)",
			    r->value / 1e3, r->value / r->floor);
	if ((r = bench_find("save", 10000)))
		bench_check(r->value <= 2 * r->floor, "save %.2f ms <= 2x the bare emit (%.2fx)",
			    r->value / 1e3, r->value / r->floor);
	if ((r = bench_find("move", 10000)))
		bench_check(r->value <= 1000, "move with redraw %.3f ms <= 1 ms, fdatasync apart (cpu %.3f ms)",
			    r->value / 1e3, r->cpu / 1e3);
	if ((r = bench_find("draw", 10000)))
		bench_check(r->value <= 5000, "draw full screen %.3f ms <= 5 ms (cpu %.3f ms)",
			    r->value / 1e3, r->cpu / 1e3);
	if ((r = bench_find("sieve", 10000)))
		bench_check(r->value <= 10000, "sieve %.3f ms <= 10 ms (cpu %.3f ms)", r->value / 1e3,
			    r->cpu / 1e3);
	if ((r = bench_find("sync", 10000)))
		bench_check(r->value <= 1000, "sync median %.3f ms <= 1 ms", r->value / 1e3);
	if ((r = bench_find("sync_p99", 10000)))
		bench_check(r->value <= 10000, "sync p99 %.3f ms <= 10 ms", r->value / 1e3);
	if ((r = bench_find("memory", 10000)))
		bench_check(r->rss_kb * 1024 / (double)r->cards <= 1024,
			    "memory %.0f B/card <= 1 KiB beyond the base",
			    r->rss_kb * 1024 / (double)r->cards);
	bench_cli_targets();
	if (!bench_has(100000))
		return;
	printf("Growth from 10000 to 100000 cards (<= 12x):\n");
	for (i = 0; i < sizeof(grow) / sizeof(grow[0]); i++) {
		const struct bench_row *a = bench_find(grow[i], 10000), *c = bench_find(grow[i], 100000);
		double x, y;

		if (!a || !c)
			continue;
		x = !strcmp(grow[i], "memory") ? a->rss_kb : a->value;
		y = !strcmp(grow[i], "memory") ? c->rss_kb : c->value;
		if (!isnan(a->floor) && !isnan(c->floor))
			bench_check(y <= 12 * x, "%s grows %.1fx (its floor %.1fx)", grow[i], y / x,
				    c->floor / a->floor);
		else
			bench_check(y <= 12 * x, "%s grows %.1fx", grow[i], y / x);
	}
	/* Not a target: what a freed board costs the next load (see bench_load_child()). */
	if ((r = bench_find("reload", 10000)) && (big = bench_find("reload", 100000)))
		printf("  info  reload grows %.1fx, the bare scan after a freed load %.1fx\n",
		       big->value / r->value, big->floor / r->floor);
	/* Not a target: the sieve right after a pass over every card (bench_board()). */
	if ((r = bench_find("sieve_cold", 10000)) && (big = bench_find("sieve_cold", 100000)))
		printf("  info  sieve_cold grows %.1fx (%.3f ms at 100000 cards)\n",
		       big->value / r->value, big->value / 1e3);
}

/* The machine's load, printed with the results: other work skews wall times. */
static void bench_print_load(const char *when)
{
	char buf[128] = "";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	printf("load average %s: %s (%ld CPUs)\n", when, buf, sysconf(_SC_NPROCESSORS_ONLN));
}

#define BENCH_USAGE \
	"usage: bench [-d RUNDIR] [-m WHAT,...] [-o RESULTS.tsv] [-t TAMIS -f FLOOR] " \
	"EMPTY.yaml BOARD.yaml...\n"

int main(int argc, char **argv)
{
	const char *rundir = ".", *tsv = NULL;
	struct bench_mem base = { 0, 0, 0 };
	struct bench_mem *mem;
	struct bench_loads *loads;
	int opt, i, nboards;

	setlocale(LC_ALL, "");
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "d:f:m:o:t:")) != -1) {
		switch (opt) {
		case 'd': rundir = optarg; break;
		case 'f': bench_floor = optarg; break;
		case 'm': bench_only = optarg; break;
		case 'o': tsv = optarg; break;
		case 't': bench_tamis = optarg; break;
		default:
			fprintf(stderr, "%s", BENCH_USAGE);
			return 64;
		}
	}
	if (argc - optind < 2) {
		fprintf(stderr, "%s", BENCH_USAGE);
		return 64;
	}
	nboards = argc - optind - 1;

	/* Memory first, while this process is still small: children inherit its pages. */
	bench_print_load("at the start");
	mem = xcalloc((size_t)nboards, sizeof(*mem));
	if (bench_want("memory")) {
		base = bench_memory(argv[optind]);
		for (i = 0; i < nboards; i++)
			mem[i] = bench_memory(argv[optind + 1 + i]);
	}

	/* Load too, so that it starts as tamis does (see bench_load_child()). */
	loads = xcalloc((size_t)nboards, sizeof(*loads));
	for (i = 0; bench_want("load") && i < nboards; i++) {
		fprintf(stderr, "bench: loading %s...\n", argv[optind + 1 + i]);
		bench_loads_measure(argv[optind + 1 + i], &loads[i]);
	}

	bench_screen_open();
	for (i = 0; i < nboards; i++) {
		bench_board(argv[optind + 1 + i], rundir, &loads[i]);
		bench_loads_release(&loads[i]);
		if (!bench_want("memory"))
			continue;
		bench_result("memory", mem[i].cards, NAN, NAN);
		results[nresults - 1].rss_kb = (double)(mem[i].peak_kb - base.peak_kb);
		results[nresults - 1].extra = (double)(mem[i].resident_kb - base.resident_kb);
	}
	endwin();
	delscreen(bench_screen);

	bench_print(stdout);
	bench_print_load("at the end");
	if (bench_want("memory"))
		printf("(memory base: peak %ld KiB, resident %ld KiB with the empty board)\n",
		       base.peak_kb, base.resident_kb);
	bench_targets();
	if (tsv) {
		bench_tsv(tsv);
		printf("\nwrote %s\n", tsv);
	}
	free(loads);
	free(mem);
	return 0;
}
