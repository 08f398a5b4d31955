#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <utf8proc.h>

#include "xmalloc.h"

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	size_t n, i;

	if (!len)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] < 0xC2)
		return 0; /* continuation byte or overlong 2-byte lead */
	if (u[0] < 0xE0) {
		n = 2;
		c = u[0] & 0x1F;
	} else if (u[0] < 0xF0) {
		n = 3;
		c = u[0] & 0x0F;
	} else if (u[0] < 0xF5) {
		n = 4;
		c = u[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10FFFF ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

void utf8_encode(struct strbuf *sb, uint32_t cp)
{
	char b[4];

	if (cp < 0x80) {
		strbuf_addch(sb, (int)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		strbuf_add(sb, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		strbuf_add(sb, b, 3);
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		strbuf_add(sb, b, 4);
	}
}

bool utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		/* Fast path for ASCII runs. */
		if ((unsigned char)s[i] < 0x80 && s[i]) {
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (!n || !cp) {
			if (bad_offset)
				*bad_offset = i;
			return false;
		}
		i += n;
	}
	return true;
}

size_t utf8_count(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

size_t utf8_next(const char *s, size_t len, uint32_t *cp)
{
	size_t n = utf8_decode(s, len, cp);

	if (n)
		return n;
	*cp = 0xFFFD;
	return 1;
}

/*
 * s[0..len) as utf8proc options say, as code points (caller frees), their
 * number in *n: invalid bytes first become U+FFFD, since utf8proc takes
 * valid UTF-8 only. Never fails: should utf8proc refuse (a text past
 * SSIZE_MAX / 8 bytes), the code points are given as they are.
 */
static utf8proc_int32_t *text_map(const char *s, size_t len, utf8proc_option_t options,
				  size_t *n)
{
	struct strbuf clean = STRBUF_INIT;
	utf8proc_int32_t *cps;
	utf8proc_ssize_t got;
	size_t cap = len + 1, i;

	if (!utf8_valid(s, len, NULL)) {
		for (i = 0; i < len;) {
			uint32_t cp;

			i += utf8_next(s + i, len - i, &cp);
			utf8_encode(&clean, cp ? cp : 0xFFFD);
		}
		s = clean.buf;
		len = clean.len;
		cap = len + 1;
	}
	for (;;) {
		cps = xreallocarray(NULL, cap, sizeof(*cps));
		got = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, cps,
					 (utf8proc_ssize_t)cap, options);
		if (got >= 0 && (size_t)got <= cap)
			break;
		free(cps);
		if (got < 0) {
			/* Not expected: keep the code points as they are. */
			cps = xreallocarray(NULL, len + 1, sizeof(*cps));
			for (i = 0, *n = 0; i < len; (*n)++) {
				uint32_t cp;

				i += utf8_next(s + i, len - i, &cp);
				cps[*n] = (utf8proc_int32_t)cp;
			}
			strbuf_release(&clean);
			return cps;
		}
		cap = (size_t)got + 1; /* folding made it longer (ß is ss): again */
	}
	/* Canonical order of the marks, then composed (NFC). */
	got = utf8proc_normalize_utf32(cps, got, options);
	*n = got < 0 ? 0 : (size_t)got;
	strbuf_release(&clean);
	return cps;
}

static utf8proc_option_t text_options(unsigned flags)
{
	utf8proc_option_t o = UTF8PROC_STABLE | UTF8PROC_COMPOSE;

	if (flags & TEXT_FOLD_CASE)
		o |= UTF8PROC_CASEFOLD;
	if (flags & TEXT_FOLD_MARKS)
		o |= UTF8PROC_COMPAT | UTF8PROC_STRIPMARK;
	return o;
}

void text_normalize(struct strbuf *out, const char *s, size_t len, unsigned flags)
{
	size_t n, i;
	utf8proc_int32_t *cps = text_map(s, len, text_options(flags), &n);

	strbuf_grow(out, n);
	for (i = 0; i < n; i++)
		utf8_encode(out, (uint32_t)cps[i]);
	free(cps);
}

/* Appends a word of text_collapse_spaces(), after a space unless it is the first. */
static void text_add_word(struct strbuf *out, size_t start, const char *word, size_t len)
{
	if (out->len > start)
		strbuf_addch(out, ' ');
	strbuf_add(out, word, len);
}

void text_collapse_spaces(struct strbuf *out, const char *s, size_t len)
{
	size_t i = 0, n, word = len, start = out->len; /* word: where the current one starts */
	uint32_t cp;
	bool white;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			n = 1;
			white = c == ' ' || (c >= '\t' && c <= '\r');
		} else {
			n = utf8_next(s + i, len - i, &cp);
			white = text_cp_space(cp);
		}
		if (!white && word == len)
			word = i;
		else if (white && word < len) {
			text_add_word(out, start, s + word, i - word);
			word = len;
		}
		i += n;
	}
	if (word < len)
		text_add_word(out, start, s + word, len - word);
}

/*
 * True for the code points text_fold() may fold one at a time: those below
 * U+0300, none of which NFC changes and no two of which compose, and common
 * punctuation (dashes, quotes, "…", "€"), which has no case, no canonical
 * decomposition and composes with nothing. Checked against utf8proc for
 * every one of them by tests/unit/test_text.c.
 */
bool text_fold_simple(uint32_t cp)
{
	return cp < 0x300 || (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x202F && cp <= 0x205E) ||
	       (cp >= 0x20A0 && cp <= 0x20CF);
}

/*
 * The fold of s[0..len) one code point at a time, into w (len + 1 wide
 * characters), when every code point is simple and so is its case fold
 * (no longer than its UTF-8 form: "ß" is "ss"); false otherwise. What the
 * search and the sieve view fold is mostly so: the same as the whole of
 * NFC and case folding, several times quicker.
 */
static bool text_fold_quick(const char *s, size_t len, wchar_t *w)
{
	utf8proc_int32_t f[4], bound = 0;
	utf8proc_ssize_t m, j;
	size_t i = 0, n = 0, k;
	uint32_t cp;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			w[n++] = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
			i++;
			continue;
		}
		k = utf8_decode(s + i, len - i, &cp);
		if (!k || !text_fold_simple(cp))
			return false;
		m = utf8proc_decompose_char((utf8proc_int32_t)cp, f, 4, UTF8PROC_CASEFOLD, &bound);
		if (m < 1 || (size_t)m > k)
			return false;
		for (j = 0; j < m; j++) {
			if (!text_fold_simple((uint32_t)f[j]))
				return false;
			w[n++] = (wchar_t)f[j];
		}
		i += k;
	}
	w[n] = 0;
	return true;
}

wchar_t *text_fold(const char *s)
{
	size_t len = strlen(s), i, n;
	utf8proc_int32_t *cps;
	wchar_t *w = xcalloc(len + 1, sizeof(*w));

	if (text_fold_quick(s, len, w))
		return w;
	free(w);
	cps = text_map(s, len, text_options(TEXT_FOLD_CASE), &n);
	w = xcalloc(n + 1, sizeof(*w));
	for (i = 0; i < n; i++)
		w[i] = (wchar_t)cps[i];
	free(cps);
	return w;
}

/* Its words folded one code point at a time when they can be (text_fold()). */
void text_key(struct strbuf *out, const char *s)
{
	struct strbuf words = STRBUF_INIT;
	wchar_t *w;
	size_t i;

	text_collapse_spaces(&words, s, strlen(s));
	w = xreallocarray(NULL, words.len + 1, sizeof(*w));
	if (text_fold_quick(words.buf, words.len, w)) {
		strbuf_grow(out, words.len);
		for (i = 0; w[i]; i++)
			utf8_encode(out, (uint32_t)w[i]);
	} else {
		text_normalize(out, words.buf, words.len, TEXT_FOLD_CASE);
	}
	free(w);
	strbuf_release(&words);
}

static bool text_ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

bool text_key_differs(const char *key, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *k = (const unsigned char *)key;
	bool space = false;

	while (text_ascii_space(*p))
		p++;
	for (; *p; p++) {
		unsigned char c = *p >= 'A' && *p <= 'Z' ? (unsigned char)(*p + 'a' - 'A') : *p;

		if (c >= 0x80)
			return false;
		if (text_ascii_space(c)) {
			space = true;
			continue;
		}
		if (space && *k++ != ' ')
			return true;
		space = false;
		/* A mark after c, or a letter of the key's made of one, may compose. */
		if (*k != c)
			return *k < 0x80 && p[1] < 0x80;
		k++;
	}
	return *k != '\0';
}

bool text_cp_letter(uint32_t cp)
{
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);

	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) || text_cp_mark(cp);
}

bool text_cp_mark(uint32_t cp)
{
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);

	return c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME;
}

void text_trim_range(const char *s, size_t len, size_t *start, size_t *end)
{
	size_t i = 0, n, first = len, last = 0;
	uint32_t cp;

	while (i < len) {
		n = utf8_next(s + i, len - i, &cp);
		if (!text_cp_space(cp)) {
			if (first == len)
				first = i;
			last = i + n;
		}
		i += n;
	}
	*start = first == len ? 0 : first;
	*end = first == len ? 0 : last;
}

const char *text_trim(struct strbuf *sb)
{
	size_t start, end;

	text_trim_range(sb->buf, sb->len, &start, &end);
	strbuf_setlen(sb, end);
	return sb->buf + start;
}

bool text_cp_space(uint32_t cp)
{
	return (cp >= '\t' && cp <= '\r') || utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_ZS;
}

static bool text_cp_bidi(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool text_cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || text_cp_bidi(cp);
}

int text_cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	if (w < 0)
		return 1; /* unknown to the locale: the terminal shows something */
	return w > 2 ? 2 : w;
}

/*
 * Writes the visible escape of an unsafe code point to buf (at least
 * TEXT_ESC_MAX bytes, not NUL-terminated); returns its length, which is also
 * its display width (escapes are printable ASCII).
 */
#define TEXT_ESC_MAX 16
static size_t text_escape_buf(char *buf, uint32_t cp)
{
	char c = 0;
	int n;

	switch (cp) {
	case 0x1B: c = 'e'; break;
	case '\n': c = 'n'; break;
	case '\t': c = 't'; break;
	case '\r': c = 'r'; break;
	case 0x07: c = 'a'; break;
	case 0x08: c = 'b'; break;
	}
	if (c) {
		buf[0] = '\\';
		buf[1] = c;
		return 2;
	}
	if (cp < 0x100)
		n = snprintf(buf, TEXT_ESC_MAX, "\\x%02X", (unsigned)cp);
	else
		n = snprintf(buf, TEXT_ESC_MAX, "\\u{%04X}", (unsigned)cp);
	return (size_t)n;
}

/* The escape of an invalid byte: \xNN. */
static size_t text_escape_byte(char *buf, unsigned char byte)
{
	static const char hex[] = "0123456789ABCDEF";

	buf[0] = '\\';
	buf[1] = 'x';
	buf[2] = hex[byte >> 4];
	buf[3] = hex[byte & 0xF];
	return 4;
}

/*
 * One display unit of s: a grapheme cluster of safe code points as is
 * (esc_len 0), or an unsafe code point or invalid byte shown as an escape
 * (esc_len bytes of esc).
 */
struct text_unit {
	size_t off;      /* in s */
	unsigned len;    /* bytes of s */
	int width;
	bool space;
	unsigned esc_len;
	char esc[TEXT_ESC_MAX];
};

/*
 * Zero-width format characters (ZWSP, ZWNJ, ZWJ, LRM, RLM, ALM, word joiner,
 * invisible operators, BOM): harmless in a file, but invisible on screen and
 * not counted alike by ncurses and terminals (tmux 3.3 joins the character
 * after a ZWJ into its cell, so the rest of the line shifts and stale cells
 * stay on screen). Shown as escapes, like the bidi controls.
 */
static bool text_cp_invisible(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF ||
	       cp == 0x061C || cp == 0x180E;
}

/*
 * False when cp surely starts a grapheme cluster after prev, without the
 * whole of Unicode's rules: a character of class Other (most of them:
 * letters, punctuation) or a control joins nothing before it, unless that
 * is a Prepend character (the first is U+0600). Saves utf8proc's full rules
 * for "’" and "«" in every French text.
 */
static bool text_cp_may_join(uint32_t prev, uint32_t cp)
{
	int c = utf8proc_get_property((utf8proc_int32_t)cp)->boundclass;

	if (prev >= 0x600)
		return true;
	return !(c == UTF8PROC_BOUNDCLASS_OTHER || c == UTF8PROC_BOUNDCLASS_CONTROL ||
		 c == UTF8PROC_BOUNDCLASS_CR || c == UTF8PROC_BOUNDCLASS_LF);
}

/*
 * The bytes after s[0..n), whose last code point is prev, that continue its
 * grapheme cluster (combining marks, a regional indicator's pair, an emoji's
 * modifier...); adds their widths to *width. A character that is escaped
 * never joins a cluster. Below U+0300 no two code points join (CR LF aside,
 * escaped), so Latin text seldom asks utf8proc.
 */
static size_t text_cluster_rest(const char *s, size_t n, uint32_t prev, int *width)
{
	utf8proc_int32_t state = 0;
	size_t i = n, k;
	uint32_t cp;

	while ((unsigned char)s[i] >= 0x80) {
		/* The NUL ends any sequence early, so reading up to 4 bytes is safe. */
		k = utf8_decode(s + i, 4, &cp);
		if (!k || (cp < 0x300 && prev < 0x300) || !text_cp_may_join(prev, cp) ||
		    text_cp_unsafe(cp) || text_cp_invisible(cp) ||
		    utf8proc_grapheme_break_stateful((utf8proc_int32_t)prev, (utf8proc_int32_t)cp,
						     &state))
			break;
		*width += text_cp_width(cp);
		prev = cp;
		i += k;
	}
	return i - n;
}

/* text_unit_decode() but for its common case. */
static __attribute__((noinline)) void text_unit_decode_rest(const char *s, struct text_unit *u)
{
	unsigned char c = (unsigned char)s[0];
	uint32_t cp;
	size_t n;

	u->esc_len = 0;
	u->space = false;
	if (c >= 0x20 && c < 0x7F) {
		/* Printable ASCII, maybe with a combining accent after it. */
		u->width = 1;
		u->len = 1 + (unsigned)text_cluster_rest(s, 1, c, &u->width);
		u->space = c == ' ' && u->len == 1;
		return;
	}
	/* The NUL ends any sequence early, so reading up to 4 bytes is safe. */
	n = utf8_decode(s, 4, &cp);
	if (!n) {
		u->len = 1;
		u->esc_len = (unsigned)text_escape_byte(u->esc, c);
		u->width = (int)u->esc_len;
	} else if (text_cp_unsafe(cp) || text_cp_invisible(cp)) {
		u->len = (unsigned)n;
		u->esc_len = (unsigned)text_escape_buf(u->esc, cp);
		u->width = (int)u->esc_len;
	} else {
		u->width = text_cp_width(cp);
		u->len = (unsigned)(n + text_cluster_rest(s, n, cp, &u->width));
	}
}

/* Decodes the unit at s (not at its NUL). */
static void text_unit_decode(const char *s, struct text_unit *u)
{
	unsigned char c = (unsigned char)s[0];

	/*
	 * Printable ASCII, the common case: one column, no wcwidth(), and alone
	 * when what follows is below U+0300 (a lead byte below 0xCC), which
	 * never joins it: no combining accent.
	 */
	if (c >= 0x20 && c < 0x7F && (unsigned char)s[1] < 0xCC) {
		u->esc_len = 0;
		u->len = 1;
		u->width = 1;
		u->space = c == ' ';
		return;
	}
	text_unit_decode_rest(s, u);
}

/* The unit's bytes once sanitized. */
static const char *text_unit_bytes(const char *s, const struct text_unit *u, size_t *len)
{
	if (u->esc_len) {
		*len = u->esc_len;
		return u->esc;
	}
	*len = u->len;
	return s + u->off;
}

/*
 * Walks s one display unit at a time: a safe grapheme cluster as is, or the escape
 * of an unsafe (or invisible) code point or invalid byte. Calls fn with the unit's bytes and
 * width; stops early when fn returns false.
 */
typedef bool (*text_unit_fn)(const char *bytes, size_t len, int width, void *data);

static void text_walk(const char *s, text_unit_fn fn, void *data)
{
	struct text_unit u;
	const char *bytes;
	size_t i = 0, len;

	while (s[i]) {
		text_unit_decode(s + i, &u);
		u.off = i;
		bytes = text_unit_bytes(s, &u, &len);
		if (!fn(bytes, len, u.width, data))
			return;
		i += u.len;
	}
}

static bool text_sanitize_unit(const char *bytes, size_t len, int width, void *data)
{
	(void)width;
	strbuf_add(data, bytes, len);
	return true;
}

void text_sanitize(struct strbuf *out, const char *s)
{
	text_walk(s, text_sanitize_unit, out);
}

bool text_is_safe(const char *s)
{
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (!n || text_cp_unsafe(cp))
			return false;
		i += n;
	}
	return true;
}

static bool text_width_unit(const char *bytes, size_t len, int width, void *data)
{
	(void)bytes;
	(void)len;
	*(int *)data += width;
	return true;
}

int text_width(const char *s)
{
	int w = 0;

	text_walk(s, text_width_unit, &w);
	return w;
}

struct text_fit_state {
	struct strbuf *out;
	int width;     /* columns available */
	int used;      /* columns written */
	size_t mark;   /* out->len when used + 1 (for "…") last fitted */
	int mark_used;
	bool cut;
};

static bool text_fit_unit(const char *bytes, size_t len, int width, void *data)
{
	struct text_fit_state *st = data;

	if (st->used + width > st->width) {
		st->cut = true;
		return false;
	}
	if (st->used + width <= st->width - 1) {
		st->mark = st->out->len + len;
		st->mark_used = st->used + width;
	}
	strbuf_add(st->out, bytes, len);
	st->used += width;
	return true;
}

int text_fit(struct strbuf *out, const char *s, int width)
{
	struct text_unit u;
	size_t i = 0, run = 0, mark = out->len, pending, ulen;
	int used = 0, mark_used = 0;
	bool cut = false;

	if (width <= 0)
		return 0;
	/* Safe units are copied from s in runs; an escape ends a run. */
	while (s[i]) {
		text_unit_decode(s + i, &u);
		if (used + u.width > width) {
			cut = true;
			break;
		}
		pending = i - run;
		ulen = u.esc_len ? u.esc_len : u.len;
		if (used + u.width <= width - 1) {
			/* The last unit that leaves a column for the ellipsis. */
			mark = out->len + pending + ulen;
			mark_used = used + u.width;
		}
		if (u.esc_len) {
			strbuf_add(out, s + run, pending);
			strbuf_add(out, u.esc, u.esc_len);
			run = i + u.len;
		}
		used += u.width;
		i += u.len;
	}
	strbuf_add(out, s + run, i - run);
	if (!cut)
		return used;
	/* Back off to the last unit that leaves a column for the ellipsis. */
	strbuf_setlen(out, mark);
	strbuf_addstr(out, "…");
	return mark_used + 1;
}

void text_fit_pad(struct strbuf *out, const char *s, int width)
{
	int used = text_fit(out, s, width);

	if (used < width)
		strbuf_addchars(out, ' ', (size_t)(width - used));
}

/*
 * The units of s, decoded as far as the wrapping needs them and no further:
 * a card's text is often much longer than the slot that shows it.
 */
#define TEXT_UNITS_STACK 64
struct text_units {
	const char *s;
	size_t pos;               /* bytes of s decoded */
	struct text_unit *v;      /* stack, or the heap once it outgrows it */
	size_t n, alloc;
	struct text_unit stack[TEXT_UNITS_STACK];
};

static void text_units_init(struct text_units *u, const char *s)
{
	u->s = s;
	u->pos = 0;
	u->v = u->stack;
	u->n = 0;
	u->alloc = TEXT_UNITS_STACK;
}

static void text_units_release(struct text_units *u)
{
	if (u->v != u->stack)
		free(u->v);
}

/* True when unit k exists, decoding up to it. */
static bool text_units_has(struct text_units *u, size_t k)
{
	while (u->n <= k) {
		if (!u->s[u->pos])
			return false;
		if (u->n == u->alloc) {
			size_t alloc = u->alloc * 2;

			if (u->v == u->stack) {
				u->v = xmalloc(alloc * sizeof(*u->v));
				memcpy(u->v, u->stack, sizeof(u->stack));
			} else {
				u->v = xreallocarray(u->v, alloc, sizeof(*u->v));
			}
			u->alloc = alloc;
		}
		text_unit_decode(u->s + u->pos, &u->v[u->n]);
		u->v[u->n].off = u->pos;
		u->pos += u->v[u->n].len;
		u->n++;
	}
	return true;
}

static void text_units_put(struct text_units *u, size_t k, struct strbuf *out)
{
	size_t len;
	const char *bytes = text_unit_bytes(u->s, &u->v[k], &len);

	strbuf_add(out, bytes, len);
}

/*
 * Appends the units from i on cut to width columns with an ellipsis, exactly
 * as text_fit() does on the sanitized rest of the text: there an escape is
 * a run of one-column characters, so it may be cut inside.
 */
static void text_units_fit(struct text_units *u, size_t i, struct strbuf *out, int width)
{
	struct text_fit_state st = { out, width, 0, out->len, 0, false };
	size_t len, b;
	const char *bytes;

	for (; !st.cut && text_units_has(u, i); i++) {
		bytes = text_unit_bytes(u->s, &u->v[i], &len);
		if (!u->v[i].esc_len) {
			text_fit_unit(bytes, len, u->v[i].width, &st);
			continue;
		}
		for (b = 0; b < len && !st.cut; b++)
			text_fit_unit(bytes + b, 1, 1, &st);
	}
	if (!st.cut)
		return;
	strbuf_setlen(out, st.mark);
	strbuf_addstr(out, "…");
}

int text_wrap(const char *s, int width, struct strbuf *lines, int max_lines)
{
	struct text_units u;
	size_t i = 0, j, k, end, brk;
	int nlines = 0, w;

	if (width < 1 || max_lines < 1)
		return 0;
	text_units_init(&u, s);
	while (text_units_has(&u, i) && u.v[i].space)
		i++;
	while (nlines < max_lines) {
		/* Find how far this line reaches, and the last break inside. */
		w = 0;
		end = i;
		brk = 0;
		while (text_units_has(&u, end) && w + u.v[end].width <= width) {
			if (u.v[end].space && end > i)
				brk = end;
			w += u.v[end].width;
			end++;
		}
		if (text_units_has(&u, end) && !u.v[end].space && brk)
			end = brk; /* break at the last space, keep the word whole */
		if (end == i && text_units_has(&u, i))
			end = i + 1; /* a unit wider than the line: take it anyway */
		if (nlines == max_lines - 1 && text_units_has(&u, end)) {
			/* Last line and text remains: cut with an ellipsis. */
			text_units_fit(&u, i, &lines[nlines], width);
			nlines++;
			break;
		}
		for (j = i; j < end; j = k) {
			/* A run of safe units at once, or one escape. */
			for (k = j; k < end && !u.v[k].esc_len; k++)
				;
			if (k > j)
				strbuf_add(&lines[nlines], s + u.v[j].off,
					   u.v[k - 1].off + u.v[k - 1].len - u.v[j].off);
			else
				text_units_put(&u, k++, &lines[nlines]);
		}
		/* Trim trailing spaces of the line. */
		while (lines[nlines].len && lines[nlines].buf[lines[nlines].len - 1] == ' ')
			strbuf_setlen(&lines[nlines], lines[nlines].len - 1);
		nlines++;
		i = end;
		while (text_units_has(&u, i) && u.v[i].space)
			i++;
		if (!text_units_has(&u, i))
			break;
	}
	text_units_release(&u);
	return nlines ? nlines : 1;
}

size_t text_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j, best;
	size_t *prev, *cur, *tmp;

	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	prev = xmalloc((lb + 1) * sizeof(*prev));
	cur = xmalloc((lb + 1) * sizeof(*cur));
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		best = cur[0];
		for (j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? sub : del;
			if (ins < cur[j])
				cur[j] = ins;
			if (cur[j] < best)
				best = cur[j];
		}
		tmp = prev;
		prev = cur;
		cur = tmp;
		if (best > limit) {
			free(prev);
			free(cur);
			return limit + 1;
		}
	}
	best = prev[lb];
	free(prev);
	free(cur);
	return best > limit ? limit + 1 : best;
}

/* One edit of base: base[start, base_end) became s[start, s_end). */
struct text_change {
	size_t start, base_end, s_end;
};

static bool text_continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

static void text_change_of(const char *base, const char *s, struct text_change *c)
{
	size_t lb = strlen(base), ls = strlen(s), p = 0, q = 0;

	while (p < lb && p < ls && base[p] == s[p])
		p++;
	while (p > 0 && (text_continuation((unsigned char)base[p]) ||
			 text_continuation((unsigned char)s[p])))
		p--;
	while (q < lb - p && q < ls - p && base[lb - 1 - q] == s[ls - 1 - q])
		q++;
	while (q > 0 && text_continuation((unsigned char)base[lb - q]))
		q--;
	c->start = p;
	c->base_end = lb - q;
	c->s_end = ls - q;
}

bool text_merge3(const char *base, const char *theirs, const char *mine, struct strbuf *out)
{
	struct text_change t, m;
	const struct text_change *first, *second;
	const char *fs, *ss;

	text_change_of(base, theirs, &t);
	text_change_of(base, mine, &m);
	if (t.start == t.base_end && m.start == m.base_end && t.start == m.start) {
		/* Both inserted at one point: theirs, then mine. */
		strbuf_add(out, base, t.start);
		strbuf_add(out, theirs + t.start, t.s_end - t.start);
		strbuf_addstr(out, mine + m.start);
		return true;
	}
	if (t.base_end <= m.start || m.base_end <= t.start) {
		bool theirs_first = t.base_end <= m.start;

		first = theirs_first ? &t : &m;
		second = theirs_first ? &m : &t;
		fs = theirs_first ? theirs : mine;
		ss = theirs_first ? mine : theirs;
		strbuf_add(out, base, first->start);
		strbuf_add(out, fs + first->start, first->s_end - first->start);
		strbuf_add(out, base + first->base_end, second->start - first->base_end);
		strbuf_addstr(out, ss + second->start);
		return true;
	}
	strbuf_addf(out, "%s / %s", theirs, mine);
	return false;
}
