/*
 * store_write.c - writing a board (store.h) with a hand-written emitter:
 * block style, keys in a stable order, UTF-8 as is, each comment of the file
 * back where it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "store_int.h"
#include "text.h"
#include "timeutil.h"
#include "xmalloc.h"

/*
 * strbuf_add() of n bytes, inline when they fit: the writer appends in
 * small pieces (a literal's copy is then inline too).
 */
static inline void store_add(struct strbuf *out, const char *s, size_t n)
{
	if (out->alloc > out->len + n) {
		memcpy(out->buf + out->len, s, n);
		out->len += n;
		out->buf[out->len] = '\0';
	} else {
		strbuf_add(out, s, n);
	}
}

static inline void store_addstr(struct strbuf *out, const char *s)
{
	store_add(out, s, strlen(s));
}

static inline void store_addch(struct strbuf *out, char c)
{
	store_add(out, &c, 1);
}

/* Appends the string literal lit. */
#define store_lit(out, lit) store_add(out, lit, sizeof(lit) - 1)

/* Appends n spaces (an indentation). */
static inline void store_spaces(struct strbuf *out, size_t n)
{
	static const char spaces[] = "                ";

	if (n < sizeof(spaces))
		store_add(out, spaces, n);
	else
		strbuf_addchars(out, ' ', n);
}

static bool store_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skips [set]* at *s; returns how many characters matched. */
static size_t store_span(const char **s, const char *set)
{
	size_t n = strspn(*s, set);

	*s += n;
	return n;
}

#define DIGITS "0123456789"

/*
 * True when s reads as a number to a YAML 1.1 or 1.2 resolver. A superset of
 * both (underscores anywhere after the first digit, sexagesimal "1:20", any
 * exponent): quoting too much is harmless, too little changes the value.
 */
static bool store_looks_number(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	if (*s == '.') {
		const char *w = s + 1;

		if (!strcmp(w, "inf") || !strcmp(w, "Inf") || !strcmp(w, "INF") ||
		    !strcmp(w, "nan") || !strcmp(w, "NaN") || !strcmp(w, "NAN"))
			return true;
	}
	if (s[0] == '0' && (s[1] == 'b' || s[1] == 'o' || s[1] == 'x')) {
		const char *set = s[1] == 'b' ? "01_" : s[1] == 'o' ? "01234567_"
								  : DIGITS "abcdefABCDEF_";

		s += 2;
		return store_span(&s, set) > 0 && !*s;
	}
	if (store_is_digit(*s)) {
		store_span(&s, DIGITS "_");
		while (*s == ':' && store_is_digit(s[1])) { /* sexagesimal */
			s++;
			store_span(&s, DIGITS);
		}
		if (*s == '.') {
			s++;
			store_span(&s, DIGITS "_");
		}
	} else if (*s == '.' && store_is_digit(s[1])) {
		s++;
		store_span(&s, DIGITS "_");
	} else {
		return false;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!store_span(&s, DIGITS))
			return false;
	}
	return !*s;
}

/* Exactly n digits at *s (advanced); with n < 0, one or two. */
static bool store_digits(const char **s, int n)
{
	int i, max = n < 0 ? 2 : n, min = n < 0 ? 1 : n;

	for (i = 0; i < max && store_is_digit((*s)[i]); i++)
		;
	if (i < min)
		return false;
	*s += i;
	return true;
}

/* True when s is a YAML 1.1 timestamp (PyYAML reads it as a date). */
static bool store_looks_timestamp(const char *s)
{
	if (!store_digits(&s, 4) || *s++ != '-' || !store_digits(&s, -1) || *s++ != '-' ||
	    !store_digits(&s, -1))
		return false;
	if (!*s)
		return true;
	if (*s == 'T' || *s == 't')
		s++;
	else if (!store_span(&s, " \t"))
		return false;
	if (!store_digits(&s, -1) || *s++ != ':' || !store_digits(&s, 2) || *s++ != ':' ||
	    !store_digits(&s, 2))
		return false;
	if (*s == '.') {
		s++;
		store_span(&s, DIGITS);
	}
	store_span(&s, " \t");
	if (*s == 'Z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		s++;
		if (!store_digits(&s, -1))
			return false;
		if (*s == ':') {
			s++;
			if (!store_digits(&s, 2))
				return false;
		}
	}
	return !*s;
}

/* True when a plain s would not read back as the string s. */
static bool store_looks_typed(const char *s)
{
	static const char *const words[] = {
		"~", "null", "Null", "NULL",
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF",
		"<<", "=",
	};
	size_t i;

	if (store_is_digit(*s) || *s == '+' || *s == '-' || *s == '.')
		return store_looks_number(s) || store_looks_timestamp(s);
	if (strnlen(s, 6) > 5)
		return false; /* longer than any of the words */
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(s, words[i]))
			return true;
	return false;
}

/* Code points written escaped in a double-quoted scalar. */
static bool store_cp_escaped(uint32_t cp)
{
	return text_cp_unsafe(cp) || cp == 0xFEFF || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0xFFFE || cp == 0xFFFF;
}

/*
 * True when s can be written as a plain scalar that reads back as s; with
 * flow, inside a flow collection too (no flow indicator, no ':').
 */
static bool store_plain_in(const char *s, bool flow)
{
	/* Of printable ASCII: 1 a flow indicator (or ':'), 2 the start of ": " or " #". */
	static const unsigned char special[128] = {
		[','] = 1, ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1, ['?'] = 1, ['#'] = 1,
		[':'] = 3, [' '] = 2,
	};
	size_t len = strlen(s), i;

	if (!len || s[0] == ' ' || s[len - 1] == ' ' || s[len - 1] == ':')
		return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
		return false;
	for (i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t n;

		if (c >= 0x20 && c < 0x7F) {
			/* Printable ASCII is never escaped: ": " and " #" would be read otherwise. */
			if (special[c] && ((flow && (special[c] & 1)) ||
					   (c == ':' && s[i + 1] == ' ') || (c == ' ' && s[i + 1] == '#')))
				return false;
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (!n || store_cp_escaped(cp))
			return false;
		i += n;
	}
	return !store_looks_typed(s);
}

/* True when s can be written as a plain scalar that reads back as s. */
static bool store_plain_ok(const char *s)
{
	return store_plain_in(s, false);
}

void store_quote(struct strbuf *out, const char *s)
{
	size_t len = strlen(s), i = 0;

	store_addch(out, '"');
	while (i < len) {
		uint32_t cp;
		size_t n = 0;

		/* A run of printable ASCII but '"' and '\\': as it is. */
		while (i + n < len && (unsigned char)s[i + n] >= 0x20 &&
		       (unsigned char)s[i + n] < 0x7F && s[i + n] != '"' && s[i + n] != '\\')
			n++;
		if (n) {
			store_add(out, s + i, n);
			i += n;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);

		if (!n) {
			/* Never in a board that came from a file; written as U+FFFD. */
			store_lit(out, "\\uFFFD");
			i++;
			continue;
		}
		switch (cp) {
		case '"': store_addstr(out, "\\\""); break;
		case '\\': store_addstr(out, "\\\\"); break;
		case 0x07: store_lit(out, "\\a"); break;
		case '\b': store_lit(out, "\\b"); break;
		case '\t': store_lit(out, "\\t"); break;
		case '\n': store_lit(out, "\\n"); break;
		case '\v': store_lit(out, "\\v"); break;
		case '\f': store_lit(out, "\\f"); break;
		case '\r': store_lit(out, "\\r"); break;
		case 0x1B: store_lit(out, "\\e"); break;
		default:
			if (!store_cp_escaped(cp))
				store_add(out, s + i, n);
			else if (cp < 0x100)
				strbuf_addf(out, "\\x%02X", (unsigned)cp);
			else
				strbuf_addf(out, "\\u%04X", (unsigned)cp);
			break;
		}
		i += n;
	}
	store_addch(out, '"');
}

void store_format_scalar(struct strbuf *out, const char *s)
{
	if (store_plain_ok(s))
		store_addstr(out, s);
	else
		store_quote(out, s);
}

/*
 * Appends s as a scalar inside a flow collection: plain only when that is
 * safe there too (no flow indicators, no ':'), else double-quoted; always
 * double-quoted with quote_all (operation lines).
 */
void store_flow_scalar(struct strbuf *out, const char *s, bool quote_all)
{
	if (!quote_all && store_plain_in(s, true))
		store_addstr(out, s);
	else
		store_quote(out, s);
}

/* n as two digits at s (n from 0 to 99). */
static void store_two_digits(char *s, int n)
{
	s[0] = (char)('0' + n / 10);
	s[1] = (char)('0' + n % 10);
}

void store_time_text(time_t t, char out[ISO8601_LEN + 1])
{
	long long secs = (long long)t, days, z, era, doe, yoe, y, doy, mp, d, m, sod;

	/* Years 1000 to 9999, those of a board file; iso8601_format() for others. */
	if (secs < -30610224000LL || secs > 253402300799LL) {
		iso8601_format(t, out);
		return;
	}
	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	sod = secs - days * 86400;
	/* The civil date of a day count (proleptic Gregorian), z > 0 here. */
	z = days + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	store_two_digits(out, (int)(y / 100));
	store_two_digits(out + 2, (int)(y % 100));
	out[4] = '-';
	store_two_digits(out + 5, (int)m);
	out[7] = '-';
	store_two_digits(out + 8, (int)d);
	out[10] = 'T';
	store_two_digits(out + 11, (int)(sod / 3600));
	out[13] = ':';
	store_two_digits(out + 14, (int)(sod / 60 % 60));
	out[16] = ':';
	store_two_digits(out + 17, (int)(sod % 60));
	out[19] = 'Z';
	out[20] = '\0';
}

void store_put_time(struct strbuf *out, time_t t)
{
	char when[ISO8601_LEN + 1];

	store_time_text(t, when);
	store_add(out, when, ISO8601_LEN);
}

void store_put_cell(struct strbuf *out, int x, int y)
{
	char buf[16];
	size_t n = 0;

	if (x < 0 || x > 99 || y < 0 || y > 99) {
		strbuf_addf(out, "[%d, %d]", x, y);
		return;
	}
	buf[n++] = '[';
	if (x >= 10)
		buf[n++] = (char)('0' + x / 10);
	buf[n++] = (char)('0' + x % 10);
	buf[n++] = ',';
	buf[n++] = ' ';
	if (y >= 10)
		buf[n++] = (char)('0' + y / 10);
	buf[n++] = (char)('0' + y % 10);
	buf[n++] = ']';
	store_add(out, buf, n);
}

/* A cell of a moved event: [x, y], or tray. */
static void store_put_event_cell(struct strbuf *out, struct cell c, int cells)
{
	if (!c.x || !c.y) {
		store_lit(out, "tray");
		return;
	}
	/*
	 * Events recorded before the grid was made smaller may name cells it
	 * no longer has: kept inside the grid so that the file always loads.
	 */
	store_put_cell(out, c.x > cells ? cells : c.x, c.y > cells ? cells : c.y);
}

/* What an event's change replaced or left: a string, or ~ for none. */
static void store_put_event_value(struct strbuf *out, const char *v, bool quote_all)
{
	if (v)
		store_flow_scalar(out, v, quote_all);
	else
		store_addch(out, '~');
}

/*
 * One history event as a flow mapping: at, by, event, then grid, from, to
 * (moved), from, to (decided), or from, to when known (edited: the texts,
 * noted: the notes, themed: the themes' ids).
 */
void store_format_event(const struct board *b, const struct card_event *e,
			       bool quote_all, struct strbuf *out)
{
	store_lit(out, "{at: ");
	store_put_time(out, e->at);
	if (e->by) {
		store_lit(out, ", by: ");
		store_flow_scalar(out, e->by, quote_all);
	}
	store_lit(out, ", event: ");
	store_addstr(out, event_name(e->kind));
	if (e->kind == EVENT_MOVED && e->grid < b->ngrids) {
		const struct grid *grid = &b->grids[e->grid];

		store_lit(out, ", grid: ");
		store_flow_scalar(out, grid->id, quote_all);
		store_lit(out, ", from: ");
		store_put_event_cell(out, e->from, grid->cells);
		store_lit(out, ", to: ");
		store_put_event_cell(out, e->to, grid->cells);
	} else if (e->kind == EVENT_DECIDED) {
		strbuf_addf(out, ", from: %s, to: %s", decision_name(e->dfrom),
			    decision_name(e->dto));
	} else if (e->values && (e->kind == EVENT_EDITED || e->kind == EVENT_THEMED ||
				 e->kind == EVENT_NOTED)) {
		store_lit(out, ", from: ");
		store_put_event_value(out, e->vfrom, quote_all);
		store_lit(out, ", to: ");
		store_put_event_value(out, e->vto, quote_all);
	}
	store_addch(out, '}');
}

/* True when the event can be written (a move names a grid of the board). */
bool store_event_ok(const struct board *b, const struct card_event *e)
{
	return e->kind != EVENT_MOVED || e->grid < b->ngrids;
}

/* --- Writing comments back ----------------------------------------------- */

/*
 * A board being written, with its comments (comments.h). Each line written
 * is the line of one key or list item (two for an item whose first key is
 * on its line): its 'before' comments go above it at its indentation, its
 * 'after' comment at its end, its 'below' ones wait in pending for the next
 * line. Comments of a key not written (a value left out: no note, not
 * locked, in the tray of a grid) wait there too. Waiting lines go just
 * above the next line, indented as the deeper of the two lines around them,
 * so that reading the file back puts each one where it was (see "Comments:
 * found in the bytes"). Without comments, only the bytes of the board.
 */
struct store_fmt {
	struct strbuf *out;
	const struct comments *cm; /* of what is being written; NULL: none */
	struct strbuf path;        /* the item being written, in cm */
	struct strbuf key;         /* scratch: the path of one of its keys */
	struct strbuf pending;     /* comment lines for above the next line, '\n' after each */
	int *homes;                /* for each, the indentation of what it was with */
	size_t nhomes, homes_alloc;
	int indent;                /* of the last line written */
};

static void fmt_init(struct store_fmt *f, struct strbuf *out)
{
	f->out = out;
	f->cm = NULL;
	strbuf_init(&f->path, 0);
	strbuf_init(&f->key, 0);
	strbuf_init(&f->pending, 0);
	f->homes = NULL;
	f->nhomes = f->homes_alloc = 0;
	f->indent = 0;
}

static void fmt_release(struct store_fmt *f)
{
	strbuf_release(&f->path);
	strbuf_release(&f->key);
	strbuf_release(&f->pending);
	free(f->homes);
}

/* Writes what follows with the comments cm (NULL: none), in the scope of the root path. */
static void fmt_scope(struct store_fmt *f, const struct comments *cm)
{
	f->cm = cm && cm->n ? cm : NULL;
	strbuf_reset(&f->path);
}

/* Enters the item (or key) seg of the scope; returns what fmt_leave() takes to leave it. */
static size_t fmt_enter(struct store_fmt *f, const char *seg)
{
	size_t len = f->path.len;

	if (f->cm)
		comments_path_add(&f->path, seg);
	return len;
}

static void fmt_leave(struct store_fmt *f, size_t len)
{
	strbuf_setlen(&f->path, len);
}

/* The comments of the scope itself (key NULL) or of its key, or NULL. */
static const struct comment *fmt_find(struct store_fmt *f, const char *key)
{
	if (!f->cm)
		return NULL;
	strbuf_reset(&f->key);
	store_add(&f->key, f->path.buf, f->path.len);
	if (key)
		comments_path_add(&f->key, key);
	return comments_find(f->cm, f->key.buf);
}

/*
 * One comment line: from its '#' ("# " is put before a line without one),
 * trailing blanks dropped, every character a board file refuses (controls
 * but TAB, line separators, invalid UTF-8) written U+FFFD: whatever a
 * comment holds, the file loads.
 */
static void fmt_comment(struct strbuf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len || s[0] != '#')
		store_addstr(out, len ? "# " : "#");
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (!n || (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 ||
		    cp == 0x2029 || cp == 0xFFFE || cp == 0xFFFF)
			store_addstr(out, "\xEF\xBF\xBD");
		else
			store_add(out, s + i, n);
		i += n ? n : 1;
	}
}

/* Writes each line of text ('\n' between) as a comment line at indent. */
static void fmt_lines(struct strbuf *out, int indent, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		store_spaces(out, (size_t)indent);
		fmt_comment(out, text, len);
		store_addch(out, '\n');
		text += len + (nl != NULL);
	}
}

/* Adds lines to those waiting for the next line: they were with a line at home. */
static void fmt_wait(struct store_fmt *f, const char *text, int home)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		store_add(&f->pending, text, len);
		store_addch(&f->pending, '\n');
		ALLOC_GROW(f->homes, f->nhomes + 1, f->homes_alloc);
		f->homes[f->nhomes++] = home;
		text += len + (nl != NULL);
	}
}

/* Where fmt_flush() puts a blank line. */
enum fmt_blank {
	FMT_BLANK_NONE,
	FMT_BLANK,       /* before the next line, and the lines that go with it */
	FMT_BLANK_LINES, /* only before lines that go with the next line, if any */
};

/*
 * Writes the lines waiting above a line at indent. A line that was with
 * something indented deeper than that line stays with the line written
 * last: indented as the deeper of the two, before any blank line. The
 * others, and all those after the first of them, go with the next line,
 * indented as it is. Reading the file back attaches them the same way
 * (snotes_attach()).
 */
static void fmt_flush(struct store_fmt *f, int indent, enum fmt_blank blank)
{
	const char *line = f->pending.buf;
	bool next = false;
	size_t i;

	for (i = 0; i < f->nhomes; i++) {
		const char *nl = strchr(line, '\n');
		int at = f->homes[i] > indent && f->indent > indent ? f->indent : indent;

		if (at == indent && !next) {
			next = true;
			if (blank != FMT_BLANK_NONE)
				store_addch(f->out, '\n');
		}
		store_spaces(f->out, (size_t)(next ? indent : at));
		fmt_comment(f->out, line, (size_t)(nl - line));
		store_addch(f->out, '\n');
		line = nl + 1;
	}
	if (blank == FMT_BLANK && !next)
		store_addch(f->out, '\n');
	strbuf_reset(&f->pending);
	f->nhomes = 0;
}

/*
 * Starts a line at indent (after a blank line when blank) for the scope
 * itself (item) and/or its key: the lines waiting, then those above them.
 */
static void fmt_begin(struct store_fmt *f, int indent, bool blank, bool item, const char *key)
{
	const struct comment *c;

	fmt_flush(f, indent, blank ? FMT_BLANK : FMT_BLANK_NONE);
	if (item && (c = fmt_find(f, NULL)) && c->before)
		fmt_lines(f->out, indent, c->before);
	if (key && (c = fmt_find(f, key)) && c->before)
		fmt_lines(f->out, indent, c->before);
	f->indent = indent;
}

/* Ends the line begun by fmt_begin(): comments at its end, and those below it. */
static void fmt_end(struct store_fmt *f, bool item, const char *key)
{
	const struct comment *ci = item ? fmt_find(f, NULL) : NULL;
	const struct comment *ck = key ? fmt_find(f, key) : NULL;

	/* Two spaces, as yamllint wants them by default. */
	if (ci && ci->after) {
		store_lit(f->out, "  ");
		fmt_comment(f->out, ci->after, strlen(ci->after));
	}
	if (ck && ck->after) {
		store_lit(f->out, "  ");
		fmt_comment(f->out, ck->after, strlen(ck->after));
	}
	store_addch(f->out, '\n');
	if (ci)
		fmt_wait(f, ci->below, f->indent);
	if (ck)
		fmt_wait(f, ck->below, f->indent);
}

/*
 * The comments of key, which is not written (it would be at indent): they
 * wait for the next line.
 */
static void fmt_skip(struct store_fmt *f, int indent, const char *key)
{
	const struct comment *c = fmt_find(f, key);

	if (!c)
		return;
	fmt_wait(f, c->before, indent);
	fmt_wait(f, c->after, indent);
	fmt_wait(f, c->below, indent);
}

/* Begins the line "[- ]KEY:" at indent (a list item's first key with item). */
static void fmt_key(struct store_fmt *f, int indent, bool blank, bool item, const char *key)
{
	fmt_begin(f, indent, blank, item, key);
	store_spaces(f->out, (size_t)indent);
	if (item)
		store_lit(f->out, "- ");
	store_addstr(f->out, key);
	store_addch(f->out, ':');
}

/* The line "[- ]KEY: VALUE" at indent, VALUE a scalar, or written as it is with raw. */
static void store_put_line(struct store_fmt *f, int indent, bool item, const char *key,
			   const char *value, bool raw)
{
	/* No comment to place (most boards): the line alone, as below. */
	bool plain = !f->cm && !f->nhomes;

	if (plain) {
		f->indent = indent;
		store_spaces(f->out, (size_t)indent);
		if (item)
			store_lit(f->out, "- ");
		store_addstr(f->out, key);
		store_lit(f->out, ": ");
	} else {
		fmt_key(f, indent, false, item, key);
		store_addch(f->out, ' ');
	}
	if (raw)
		store_addstr(f->out, value);
	else
		store_format_scalar(f->out, value);
	if (plain)
		store_addch(f->out, '\n');
	else
		fmt_end(f, item, key);
}

static void store_put(struct store_fmt *f, int indent, bool item, const char *key,
		      const char *value)
{
	store_put_line(f, indent, item, key, value, false);
}

static void store_put_raw(struct store_fmt *f, int indent, bool item, const char *key,
			  const char *value)
{
	store_put_line(f, indent, item, key, value, true);
}

/*
 * At the end: the lines waiting, and the tail of the file (file: the
 * record of the file, or NULL), after a blank line.
 */
static void fmt_finish(struct store_fmt *f, const struct comment *file)
{
	bool tail = file && file->below;

	fmt_flush(f, 0, tail ? FMT_BLANK : FMT_BLANK_LINES);
	if (tail)
		fmt_lines(f->out, 0, file->below);
}

/* The placements of a card, with the comments of the grids it is not placed on. */
static void store_format_place(const struct board *b, const struct card *c, struct store_fmt *f)
{
	bool placed = false;
	size_t g, len;

	for (g = 0; g < b->ngrids; g++)
		if (card_is_placed(c, g))
			placed = true;
	if (placed) {
		fmt_key(f, 4, false, false, "place");
		fmt_end(f, false, "place");
	} else if (f->cm) {
		fmt_skip(f, 4, "place");
	}
	for (g = 0; g < b->ngrids; g++) {
		if (!card_is_placed(c, g)) {
			if (f->cm) {
				len = fmt_enter(f, "place");
				fmt_skip(f, 6, b->grids[g].id);
				fmt_leave(f, len);
			}
			continue;
		}
		len = fmt_enter(f, "place");
		fmt_begin(f, 6, false, false, b->grids[g].id);
		store_spaces(f->out, 6);
		store_format_scalar(f->out, b->grids[g].id);
		store_lit(f->out, ": ");
		store_put_cell(f->out, c->place[g].x, c->place[g].y);
		fmt_end(f, false, b->grids[g].id);
		fmt_leave(f, len);
	}
}

/* A card's history, one event per line. */
static void store_format_history(const struct board *b, const struct card *c,
				 struct store_fmt *f)
{
	bool history = false;
	size_t i, j, len;

	for (i = 0; i < c->nhistory; i++) {
		unsigned same = 0;

		if (!store_event_ok(b, &c->history[i]))
			continue; /* cannot happen through board.h */
		if (!history) {
			fmt_key(f, 4, false, false, "history");
			fmt_end(f, false, "history");
		}
		history = true;
		len = fmt_enter(f, "history");
		if (f->cm) {
			for (j = 0; j < i; j++)
				same += c->history[j].at == c->history[i].at;
			store_history_key(&f->path, c->history[i].at, same);
		}
		fmt_begin(f, 6, false, true, NULL);
		store_lit(f->out, "      - ");
		store_format_event(b, &c->history[i], false, f->out);
		fmt_end(f, true, NULL);
		fmt_leave(f, len);
	}
	if (!history)
		fmt_skip(f, 4, "history");
}

/* A card, with its comments (the scope of f is then the card's). */
static void store_format_card(const struct board *b, const struct card *c, struct store_fmt *f)
{
	char id[CARD_UUID_LEN + 1], when[ISO8601_LEN + 1];

	fmt_scope(f, c->comments);
	card_uuid(c, id);
	store_put_raw(f, 2, true, "id", id); /* a UUID never needs quotes */
	store_put(f, 4, false, "text", c->text);
	store_put(f, 4, false, "theme", c->theme < b->nthemes ? b->themes[c->theme].id : "");
	if (c->by)
		store_put(f, 4, false, "by", c->by);
	else
		fmt_skip(f, 4, "by");
	if (c->pair)
		store_put(f, 4, false, "pair", c->pair);
	else
		fmt_skip(f, 4, "pair");
	if (c->created) {
		store_time_text(c->created, when);
		store_put_raw(f, 4, false, "created", when);
	} else {
		fmt_skip(f, 4, "created");
	}
	if (c->note)
		store_put(f, 4, false, "note", c->note);
	else
		fmt_skip(f, 4, "note");
	store_put_raw(f, 4, false, "decision", decision_name(c->decision));
	if (c->locked)
		store_put_raw(f, 4, false, "locked", "true");
	else
		fmt_skip(f, 4, "locked");
	if (c->debated_mark)
		store_put_raw(f, 4, false, "debated", "true");
	else
		fmt_skip(f, 4, "debated");
	store_format_place(b, c, f);
	store_format_history(b, c, f);
}

/* A zone's cells as a flow list, sorted by y then x. */
static void store_format_zone_cells(const struct grid *grid, const struct zone *z,
				    struct strbuf *out)
{
	bool first = true;
	int x, y;

	store_addch(out, '[');
	for (y = 1; y <= grid->cells; y++) {
		for (x = 1; x <= grid->cells; x++) {
			if (!zone_has_cell(z, x, y))
				continue;
			strbuf_addf(out, "%s[%d, %d]", first ? "" : ", ", x, y);
			first = false;
		}
	}
	store_addch(out, ']');
}

/* A grid, in the scope of the board's comments. */
static void store_format_grid(const struct board *b, const struct grid *g, struct store_fmt *f)
{
	char cells[16];
	size_t z, grid_len = fmt_enter(f, "grids"), len;

	fmt_enter(f, g->id);
	store_put(f, 2, true, "id", g->id);
	store_put(f, 4, false, "x", b->criteria[g->x].id);
	store_put(f, 4, false, "y", b->criteria[g->y].id);
	snprintf(cells, sizeof(cells), "%d", g->cells);
	store_put_raw(f, 4, false, "cells", cells);
	if (g->nzones) {
		fmt_key(f, 4, false, false, "zones");
		fmt_end(f, false, "zones");
	} else {
		fmt_skip(f, 4, "zones");
	}
	for (z = 0; z < g->nzones; z++) {
		const struct zone *zone = &g->zones[z];

		len = fmt_enter(f, "zones");
		fmt_enter(f, zone->name);
		store_put(f, 6, true, "name", zone->name);
		store_put_raw(f, 8, false, "color", hue_name(zone->color));
		if (zone->easy)
			store_put_raw(f, 8, false, "easy", "true");
		else
			fmt_skip(f, 8, "easy");
		fmt_key(f, 8, false, false, "cells");
		store_addch(f->out, ' ');
		store_format_zone_cells(g, zone, f->out);
		fmt_end(f, false, "cells");
		fmt_leave(f, len);
	}
	fmt_leave(f, grid_len);
}

/* Where store_format_stream() sends its bytes: pieces of about STORE_PIECE bytes. */
struct store_sink {
	store_write_fn *write;
	void *data;
	bool failed;
};

#define STORE_PIECE ((size_t)64 << 10)

/* Hands out's bytes to the sink once there are enough of them (any with last). */
static void store_sink_flush(struct store_sink *k, struct strbuf *out, bool last)
{
	if (!k || (out->len < STORE_PIECE && !last))
		return;
	if (!k->failed && out->len && k->write(k->data, out->buf, out->len) < 0)
		k->failed = true;
	strbuf_reset(out);
}

/* The decision log, in the scope of the board's comments. */
static void store_format_decisions(const struct board *b, struct store_fmt *f,
				   struct store_sink *k)
{
	char when[ISO8601_LEN + 1], id[CARD_UUID_LEN + 1], num[32];
	size_t i, len;

	if (!b->ndecisions) {
		fmt_skip(f, 0, "decisions");
		return;
	}
	fmt_key(f, 0, true, false, "decisions");
	fmt_end(f, false, "decisions");
	for (i = 0; i < b->ndecisions; i++) {
		const struct decision_entry *d = &b->decisions[i];

		len = fmt_enter(f, "decisions");
		snprintf(num, sizeof(num), "%zu", i);
		fmt_enter(f, num);
		store_time_text(d->at, when);
		store_put_raw(f, 2, true, "at", when);
		if (d->by)
			store_put(f, 4, false, "by", d->by);
		else
			fmt_skip(f, 4, "by");
		uuid_unparse_lower(d->card, id);
		store_put_raw(f, 4, false, "card", id);
		store_put(f, 4, false, "text", d->text ? d->text : "");
		store_put_raw(f, 4, false, "from", decision_name(d->from));
		store_put_raw(f, 4, false, "to", decision_name(d->to));
		if (d->rationale)
			store_put(f, 4, false, "rationale", d->rationale);
		else
			fmt_skip(f, 4, "rationale");
		if (d->key && d->sig) {
			store_put(f, 4, false, "key", d->key);
			store_put(f, 4, false, "sig", d->sig);
		} else {
			fmt_skip(f, 4, "key");
			fmt_skip(f, 4, "sig");
		}
		fmt_leave(f, len);
		store_sink_flush(k, f->out, false);
	}
}

/* "KEY:" alone on a line at the top level, after a blank line, " []" when empty. */
static void store_format_section(struct store_fmt *f, const char *key, bool empty)
{
	fmt_key(f, 0, true, false, key);
	if (empty)
		store_lit(f->out, " []");
	fmt_end(f, false, key);
}

/* The facilitators and their keys, in the scope of the board's comments. */
static void store_format_facilitators(const struct board *b, struct store_fmt *f)
{
	char when[ISO8601_LEN + 1];
	size_t i, len;

	if (b->nfacilitators)
		store_format_section(f, "facilitators", false);
	else
		fmt_skip(f, 0, "facilitators");
	for (i = 0; i < b->nfacilitators; i++) {
		len = fmt_enter(f, "facilitators");
		fmt_enter(f, b->facilitators[i]);
		fmt_begin(f, 2, false, true, NULL);
		store_lit(f->out, "  - ");
		store_format_scalar(f->out, b->facilitators[i]);
		fmt_end(f, true, NULL);
		fmt_leave(f, len);
	}
	if (b->nkeys)
		store_format_section(f, "facilitator_keys", false);
	else
		fmt_skip(f, 0, "facilitator_keys");
	for (i = 0; i < b->nkeys; i++) {
		const struct facilitator_key *fk = &b->keys[i];

		len = fmt_enter(f, "facilitator_keys");
		fmt_enter(f, fk->name);
		store_put(f, 2, true, "name", fk->name);
		store_put(f, 4, false, "key", fk->key);
		if (fk->added) {
			store_time_text(fk->added, when);
			store_put_raw(f, 4, false, "added", when);
		} else {
			fmt_skip(f, 4, "added");
		}
		fmt_leave(f, len);
	}
}

/* The themes and criteria, in the scope of the board's comments. */
static void store_format_frame(const struct board *b, struct store_fmt *f)
{
	size_t i, len;

	store_format_section(f, "themes", !b->nthemes);
	for (i = 0; i < b->nthemes; i++) {
		const struct theme *t = &b->themes[i];

		len = fmt_enter(f, "themes");
		fmt_enter(f, t->id);
		store_put(f, 2, true, "id", t->id);
		store_put(f, 4, false, "label", t->label);
		store_put_raw(f, 4, false, "color", hue_name(t->color));
		fmt_leave(f, len);
	}
	store_format_section(f, "criteria", !b->ncriteria);
	for (i = 0; i < b->ncriteria; i++) {
		const struct criterion *c = &b->criteria[i];

		len = fmt_enter(f, "criteria");
		fmt_enter(f, c->id);
		store_put(f, 2, true, "id", c->id);
		store_put(f, 4, false, "low", c->low);
		store_put(f, 4, false, "high", c->high);
		store_put_raw(f, 4, false, "easy", pole_name(c->easy));
		fmt_leave(f, len);
	}
}

/* The board in YAML into out, or through k (then out is the sink's buffer). */
static void store_format_to(const struct board *b, struct strbuf *out, struct store_sink *k)
{
	const struct comment *file = comments_find(&b->comments, ""), *top;
	struct store_fmt f;
	size_t i;

	fmt_init(&f, out);
	fmt_scope(&f, &b->comments);
	/* The head of the file, and what was above 'tamis' (reading puts it in the head). */
	top = fmt_find(&f, "tamis");
	if (file && file->before)
		fmt_lines(out, 0, file->before);
	if (top && top->before)
		fmt_lines(out, 0, top->before);
	if ((file && file->before) || (top && top->before))
		store_addch(out, '\n');
	fmt_begin(&f, 0, false, false, NULL);
	strbuf_addf(out, "tamis: %d", STORE_FORMAT_VERSION);
	fmt_end(&f, false, "tamis");
	store_put(&f, 0, false, "title", b->title ? b->title : "");
	if (b->description)
		store_put(&f, 0, false, "description", b->description);
	else
		fmt_skip(&f, 0, "description");
	if (b->lang)
		store_put(&f, 0, false, "lang", b->lang);
	else
		fmt_skip(&f, 0, "lang");
	store_format_facilitators(b, &f);
	store_format_frame(b, &f);
	store_format_section(&f, "grids", !b->ngrids);
	for (i = 0; i < b->ngrids; i++)
		store_format_grid(b, &b->grids[i], &f);
	store_format_section(&f, "cards", !b->ncards);
	for (i = 0; i < b->ncards && !(k && k->failed); i++) {
		store_format_card(b, b->cards[i], &f);
		store_sink_flush(k, out, false);
	}
	fmt_scope(&f, &b->comments);
	store_format_decisions(b, &f, k);
	fmt_finish(&f, file);
	fmt_release(&f);
	store_sink_flush(k, out, true);
}

void store_format(const struct board *b, struct strbuf *out)
{
	store_format_to(b, out, NULL);
}

int store_format_stream(const struct board *b, store_write_fn *write, void *data)
{
	struct store_sink k = { write, data, false };
	struct strbuf out = STRBUF_INIT;

	strbuf_grow(&out, STORE_PIECE + (STORE_PIECE >> 2));
	store_format_to(b, &out, &k);
	strbuf_release(&out);
	return k.failed ? -1 : 0;
}

void store_format_cards(const struct board *b, struct card *const *cards, size_t n,
			struct strbuf *out)
{
	struct store_fmt f;
	size_t i;

	fmt_init(&f, out);
	store_addstr(out, n ? "cards:\n" : "cards: []\n");
	for (i = 0; i < n; i++)
		store_format_card(b, cards[i], &f);
	fmt_finish(&f, NULL);
	fmt_release(&f);
}

static int store_save_fill(void *data, file_write_fn *write, void *ctx)
{
	return store_format_stream(data, write, ctx);
}

int store_save(const char *path, const struct board *b, struct strbuf *err)
{
	return file_replace_stream(path, store_save_fill, (void *)b, err);
}
