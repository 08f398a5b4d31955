#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

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

/* Appends the visible escape for an unsafe code point. */
static void text_escape_cp(struct strbuf *out, uint32_t cp)
{
	switch (cp) {
	case 0x1B: strbuf_addstr(out, "\\e"); return;
	case '\n': strbuf_addstr(out, "\\n"); return;
	case '\t': strbuf_addstr(out, "\\t"); return;
	case '\r': strbuf_addstr(out, "\\r"); return;
	case 0x07: strbuf_addstr(out, "\\a"); return;
	case 0x08: strbuf_addstr(out, "\\b"); return;
	}
	if (cp < 0x100)
		strbuf_addf(out, "\\x%02X", (unsigned)cp);
	else
		strbuf_addf(out, "\\u{%04X}", (unsigned)cp);
}

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
 * Walks s one display unit at a time: a safe code point as is, or the escape
 * of an unsafe (or invisible) code point or invalid byte. Calls fn with the unit's bytes and
 * width; stops early when fn returns false.
 */
typedef bool (*text_unit_fn)(const char *bytes, size_t len, int width, void *data);

static void text_walk(const char *s, text_unit_fn fn, void *data)
{
	struct strbuf esc = STRBUF_INIT;
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;
	bool go = true;

	while (i < len && go) {
		n = utf8_decode(s + i, len - i, &cp);
		if (!n) {
			strbuf_reset(&esc);
			strbuf_addf(&esc, "\\x%02X", (unsigned char)s[i]);
			go = fn(esc.buf, esc.len, (int)esc.len, data);
			i++;
		} else if (text_cp_unsafe(cp) || text_cp_invisible(cp)) {
			strbuf_reset(&esc);
			text_escape_cp(&esc, cp);
			go = fn(esc.buf, esc.len, (int)esc.len, data);
			i += n;
		} else {
			go = fn(s + i, n, text_cp_width(cp), data);
			i += n;
		}
	}
	strbuf_release(&esc);
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
	struct text_fit_state st = { out, width, 0, out->len, 0, false };

	if (width <= 0)
		return 0;
	text_walk(s, text_fit_unit, &st);
	if (!st.cut)
		return st.used;
	/* Back off to the last unit that leaves a column for the ellipsis. */
	strbuf_setlen(out, st.mark);
	strbuf_addstr(out, "…");
	return st.mark_used + 1;
}

void text_fit_pad(struct strbuf *out, const char *s, int width)
{
	int used = text_fit(out, s, width);

	if (used < width)
		strbuf_addchars(out, ' ', (size_t)(width - used));
}

/* One display unit of sanitized text, for wrapping. */
struct text_unit {
	size_t off, len; /* in the sanitized buffer */
	int width;
	bool space;
};

struct text_units {
	struct strbuf buf;
	struct text_unit *v;
	size_t n, alloc;
};

static bool text_units_add(const char *bytes, size_t len, int width, void *data)
{
	struct text_units *u = data;

	ALLOC_GROW(u->v, u->n + 1, u->alloc);
	u->v[u->n].off = u->buf.len;
	u->v[u->n].len = len;
	u->v[u->n].width = width;
	u->v[u->n].space = len == 1 && bytes[0] == ' ';
	u->n++;
	strbuf_add(&u->buf, bytes, len);
	return true;
}

int text_wrap(const char *s, int width, struct strbuf *lines, int max_lines)
{
	struct text_units u = { STRBUF_INIT, NULL, 0, 0 };
	size_t i = 0, j, end, brk;
	int nlines = 0, w;

	if (width < 1 || max_lines < 1)
		return 0;
	text_walk(s, text_units_add, &u);
	while (i < u.n && u.v[i].space)
		i++;
	while (nlines < max_lines) {
		/* Find how far this line reaches, and the last break inside. */
		w = 0;
		end = i;
		brk = 0;
		while (end < u.n && w + u.v[end].width <= width) {
			if (u.v[end].space && end > i)
				brk = end;
			w += u.v[end].width;
			end++;
		}
		if (end < u.n && !u.v[end].space && brk)
			end = brk; /* break at the last space, keep the word whole */
		if (end == i && i < u.n)
			end = i + 1; /* a unit wider than the line: take it anyway */
		if (nlines == max_lines - 1 && end < u.n) {
			/* Last line and text remains: cut with an ellipsis. */
			struct strbuf rest = STRBUF_INIT;

			strbuf_add(&rest, u.buf.buf + u.v[i].off, u.buf.len - u.v[i].off);
			/* Force a cut: fit the remainder, which is longer than width. */
			text_fit(&lines[nlines], rest.buf, width);
			strbuf_release(&rest);
			nlines++;
			break;
		}
		for (j = i; j < end; j++)
			strbuf_add(&lines[nlines], u.buf.buf + u.v[j].off, u.v[j].len);
		/* Trim trailing spaces of the line. */
		while (lines[nlines].len && lines[nlines].buf[lines[nlines].len - 1] == ' ')
			strbuf_setlen(&lines[nlines], lines[nlines].len - 1);
		nlines++;
		i = end;
		while (i < u.n && u.v[i].space)
			i++;
		if (i >= u.n)
			break;
	}
	strbuf_release(&u.buf);
	free(u.v);
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
