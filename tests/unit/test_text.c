/* Unit tests for the UTF-8 and display-width helpers, and strbuf, time. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>

#include "strbuf.h"
#include "text.h"
#include "timeutil.h"

static void test_decode(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("é", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode("’", 3, &cp), 3);
	assert_int_equal(cp, 0x2019);
	assert_int_equal(utf8_decode("😀", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	/* Invalid: truncated, overlong, surrogate, past U+10FFFF, stray continuation. */
	assert_int_equal(utf8_decode("\xC3", 1, &cp), 0);
	assert_int_equal(utf8_decode("\xC0\xAF", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xE0\x80\xAF", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(utf8_decode("\x80", 1, &cp), 0);
}

static void test_encode_roundtrip(void **state)
{
	static const uint32_t cps[] = { 0x41, 0xE9, 0x7FF, 0x800, 0x2019, 0xFFFD, 0x10000, 0x1F600, 0x10FFFF };
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	uint32_t cp;

	(void)state;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		strbuf_reset(&sb);
		utf8_encode(&sb, cps[i]);
		assert_int_equal(utf8_decode(sb.buf, sb.len, &cp), sb.len);
		assert_int_equal(cp, cps[i]);
	}
	strbuf_release(&sb);
}

static void test_valid(void **state)
{
	const char bad[] = "ok\xC3(";
	size_t off = 0;

	(void)state;
	assert_true(utf8_valid("Réservé « l’agent » 漢字 😀", strlen("Réservé « l’agent » 漢字 😀"), NULL));
	assert_false(utf8_valid(bad, strlen(bad), &off));
	assert_int_equal(off, 2);
	assert_false(utf8_valid("a\0b", 3, &off));
	assert_int_equal(off, 1);
	assert_int_equal(utf8_count("é😀a", strlen("é😀a")), 3);
}

static void test_widths(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("Réservé"), 7);
	assert_int_equal(text_width("漢字"), 4);
	assert_int_equal(text_width("😀"), 2);
	assert_int_equal(text_width("e\xCC\x81"), 1); /* e + combining acute */
	/* Escapes take their visible width. */
	assert_int_equal(text_width("\x1b"), 2);
}

/* utf8_next() reads what utf8_decode() reads, and a bad byte as U+FFFD, one byte long. */
static void test_next(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(utf8_next("\xC3\xA9t", 3, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_next("\xFF" "a", 2, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(utf8_next("\xE2\x80", 2, &cp), 1); /* cut short */
	assert_int_equal(cp, 0xFFFD);
}

/* Folding lowercases every letter, accents too, and turns a bad byte into U+FFFD. */
static void test_fold(void **state)
{
	wchar_t *w;

	(void)state;
	w = text_fold("ÉTÉ « Vélo » ÇA");
	assert_int_equal(wcscmp(w, L"été « vélo » ça"), 0);
	free(w);
	w = text_fold("A\xFF" "b");
	assert_int_equal(wcscmp(w, L"a\xFFFD" L"b"), 0);
	free(w);
	w = text_fold("");
	assert_int_equal(wcslen(w), 0);
	free(w);
}

/*
 * 'é' typed as one code point (NFC, a Linux keyboard) and pasted as 'e' and a
 * combining acute (NFD, a Mac's clipboard) fold alike, whatever their case.
 */
static void test_fold_nfc_nfd(void **state)
{
	wchar_t *nfc, *nfd, *upper;

	(void)state;
	nfc = text_fold("Café numérique");
	nfd = text_fold("Cafe\u0301 nume\u0301rique");
	upper = text_fold("CAFE\u0301 NUME\u0301RIQUE");
	assert_int_equal(wcscmp(nfc, L"café numérique"), 0);
	assert_int_equal(wcscmp(nfd, nfc), 0);
	assert_int_equal(wcscmp(upper, nfc), 0);
	free(nfc);
	free(nfd);
	free(upper);
	/* Full case folding: a search for "strasse" finds "Straße". */
	nfc = text_fold("STRASSE");
	nfd = text_fold("Straße");
	assert_int_equal(wcscmp(nfc, nfd), 0);
	free(nfc);
	free(nfd);
	/* Marks in any order are one text (canonical order). */
	nfc = text_fold("q\u0307\u0323");
	nfd = text_fold("q\u0323\u0307");
	assert_int_equal(wcscmp(nfc, nfd), 0);
	free(nfc);
	free(nfd);
	/* A bad byte next to an accent is still U+FFFD. */
	nfc = text_fold("\xFF" "E\u0301");
	assert_int_equal(wcscmp(nfc, L"\xFFFD" L"é"), 0);
	free(nfc);
}

/*
 * text_fold() folds "simple" code points one at a time (text_fold_simple());
 * for each of them, and after a letter, that is the whole of NFC and case
 * folding as utf8proc does it (text_normalize()).
 */
static void test_fold_quick_is_right(void **state)
{
	struct strbuf in = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
	uint32_t cp;
	wchar_t *w;
	size_t i;

	(void)state;
	for (cp = 1; cp < 0x20D0; cp++) {
		if (!text_fold_simple(cp))
			continue;
		strbuf_reset(&in);
		strbuf_reset(&want);
		strbuf_reset(&got);
		strbuf_addstr(&in, "A");
		utf8_encode(&in, cp);
		strbuf_addstr(&in, "b");
		text_normalize(&want, in.buf, in.len, TEXT_FOLD_CASE);
		w = text_fold(in.buf);
		for (i = 0; w[i]; i++)
			utf8_encode(&got, (uint32_t)w[i]);
		free(w);
		if (strcmp(got.buf, want.buf))
			fail_msg("U+%04X folds to '%s', not '%s'", (unsigned)cp, got.buf, want.buf);
	}
	assert_true(text_fold_simple(0xE9) && text_fold_simple(0x2019) && text_fold_simple(0x20AC));
	assert_false(text_fold_simple(0x301) || text_fold_simple(0x3B1));
	strbuf_release(&in);
	strbuf_release(&want);
	strbuf_release(&got);
}

static int cmp_folded(const void *a, const void *b)
{
	wchar_t *fa = text_fold(*(const char *const *)a), *fb = text_fold(*(const char *const *)b);
	int r = wcscmp(fa, fb);

	free(fa);
	free(fb);
	return r;
}

/*
 * The sieve view sorts texts by text_fold() (ui_sieve.c, wcscmp): a text
 * pasted in NFD sorts with its NFC twin ("é" after "f", as a code point),
 * not between "Cafeteria" and "Caff".
 */
static void test_fold_sort(void **state)
{
	const char *texts[] = { "Caff", "Cafe\u0301 b", "Cafeteria", "CAFÉ a", "Cafe\u0301 c" };
	const char *want[] = { "Cafeteria", "Caff", "CAFÉ a", "Cafe\u0301 b", "Cafe\u0301 c" };
	size_t i;

	(void)state;
	qsort(texts, 5, sizeof(texts[0]), cmp_folded);
	for (i = 0; i < 5; i++)
		assert_string_equal(texts[i], want[i]);
}

static void test_sanitize(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	text_sanitize(&sb, "a\x1b]0;pwned\x07z\n\t\x7f\xC2\x9B" "2J\xE2\x80\xAEx\xFF");
	assert_string_equal(sb.buf, "a\\e]0;pwned\\az\\n\\t\\x7F\\x9B2J\\u{202E}x\\xFF");
	assert_true(text_is_safe(sb.buf));
	assert_false(text_is_safe("\x1b[2J"));
	assert_false(text_is_safe("\xE2\x81\xA6")); /* U+2066 isolate */
	assert_true(text_is_safe("Réservé « l’agent » 漢字 😀"));
	strbuf_release(&sb);
}

static void test_fit(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(text_fit(&sb, "abcdef", 6), 6);
	assert_string_equal(sb.buf, "abcdef");
	strbuf_reset(&sb);
	assert_int_equal(text_fit(&sb, "abcdef", 4), 4);
	assert_string_equal(sb.buf, "abc…");
	strbuf_reset(&sb);
	/* A wide character is never split: 漢 needs 2 columns. */
	assert_int_equal(text_fit(&sb, "a漢字", 4), 4);
	assert_string_equal(sb.buf, "a漢…");
	strbuf_reset(&sb);
	assert_int_equal(text_fit(&sb, "a漢字", 3), 2);
	assert_string_equal(sb.buf, "a…");
	strbuf_reset(&sb);
	assert_int_equal(text_fit(&sb, "漢字漢", 5), 5);
	assert_string_equal(sb.buf, "漢字…");
	strbuf_reset(&sb);
	assert_int_equal(text_fit(&sb, "😀😀", 1), 1);
	assert_string_equal(sb.buf, "…");
	strbuf_reset(&sb);
	assert_int_equal(text_fit(&sb, "abc", 0), 0);
	assert_string_equal(sb.buf, "");
	text_fit_pad(&sb, "é", 3);
	assert_string_equal(sb.buf, "é  ");
	strbuf_reset(&sb);
	/* Escapes are cut as whole units. */
	text_fit(&sb, "a\x1b" "bcd", 3);
	assert_string_equal(sb.buf, "a…");
	strbuf_release(&sb);
}

/*
 * A cut never splits a grapheme cluster: a flag is two regional indicators
 * (one column each here), an accent may be a code point of its own.
 */
static void test_fit_clusters(void **state)
{
	struct strbuf sb = STRBUF_INIT, lines[3];
	int i;

	(void)state;
	/* Before: "🇫🇷🇩…", a lone indicator shown as a letter D in a box. */
	assert_int_equal(text_fit(&sb, "🇫🇷🇩🇪x", 4), 3);
	assert_string_equal(sb.buf, "🇫🇷…");
	strbuf_reset(&sb);
	assert_int_equal(text_fit(&sb, "Cafe\u0301 numérique", 5), 5);
	assert_string_equal(sb.buf, "Cafe\u0301…");
	strbuf_reset(&sb);
	/* The widths are still the sum of wcwidth()s, as ncurses counts them. */
	assert_int_equal(text_width("🇫🇷"), 2);
	assert_int_equal(text_width("\u1100\u1161\u11A8"), 2); /* one Hangul syllable in jamo */
	assert_int_equal(text_width("👍🏽"), 4);
	strbuf_release(&sb);
	for (i = 0; i < 3; i++)
		strbuf_init(&lines[i], 0);
	assert_int_equal(text_wrap("🇫🇷🇫🇷", 3, lines, 3), 2);
	assert_string_equal(lines[0].buf, "🇫🇷");
	assert_string_equal(lines[1].buf, "🇫🇷");
	strbuf_reset(&lines[0]);
	strbuf_reset(&lines[1]);
	/* A wide character alone on a line keeps its accent. */
	assert_int_equal(text_wrap("漢\u0301a", 1, lines, 3), 2);
	assert_string_equal(lines[0].buf, "漢\u0301");
	assert_string_equal(lines[1].buf, "a");
	for (i = 0; i < 3; i++)
		strbuf_release(&lines[i]);
}

static void test_wrap(void **state)
{
	struct strbuf lines[4];
	int i, n;

	(void)state;
	for (i = 0; i < 4; i++)
		strbuf_init(&lines[i], 0);
	n = text_wrap("Réception de colis sur le lieu de travail", 12, lines, 4);
	assert_int_equal(n, 4);
	assert_string_equal(lines[0].buf, "Réception de");
	assert_string_equal(lines[1].buf, "colis sur le");
	assert_string_equal(lines[2].buf, "lieu de");
	assert_string_equal(lines[3].buf, "travail");
	for (i = 0; i < 4; i++)
		strbuf_reset(&lines[i]);
	n = text_wrap("Réception de colis sur le lieu de travail", 12, lines, 2);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0].buf, "Réception de");
	assert_string_equal(lines[1].buf, "colis sur l…");
	assert_int_equal(text_width(lines[1].buf), 12);
	for (i = 0; i < 4; i++)
		strbuf_reset(&lines[i]);
	/* A word longer than the line is broken; wide chars stay whole. */
	n = text_wrap("漢字漢字漢", 4, lines, 4);
	assert_int_equal(n, 3);
	assert_string_equal(lines[0].buf, "漢字");
	assert_string_equal(lines[2].buf, "漢");
	for (i = 0; i < 4; i++)
		strbuf_reset(&lines[i]);
	n = text_wrap("", 5, lines, 4);
	assert_int_equal(n, 1);
	assert_string_equal(lines[0].buf, "");
	for (i = 0; i < 4; i++)
		strbuf_release(&lines[i]);
}

/*
 * The wrapping and fitting as they were before they decoded lazily (every
 * unit of the whole text first, then the lines): text_wrap() and text_fit()
 * must give the same bytes.
 */
struct ref_unit {
	size_t off, len;
	int width;
	bool space;
};

/* The units of s as the old text_walk() gave them (an escape is one unit); returns their count. */
static size_t ref_units(const char *s, struct strbuf *buf, struct ref_unit *v)
{
	struct strbuf one = STRBUF_INIT;
	size_t n = 0, len = strlen(s), p = 0, k;
	uint32_t cp;

	while (p < len) {
		k = utf8_decode(s + p, len - p, &cp);
		strbuf_reset(&one);
		if (!k) {
			char c[2] = { s[p], 0 };

			text_sanitize(&one, c);
			k = 1;
			v[n].width = (int)one.len;
		} else if (text_cp_unsafe(cp)) {
			struct strbuf raw = STRBUF_INIT;

			strbuf_add(&raw, s + p, k);
			text_sanitize(&one, raw.buf);
			strbuf_release(&raw);
			v[n].width = (int)one.len;
		} else {
			strbuf_add(&one, s + p, k);
			v[n].width = text_cp_width(cp);
		}
		v[n].off = buf->len;
		v[n].len = one.len;
		v[n].space = one.len == 1 && one.buf[0] == ' ';
		strbuf_add(buf, one.buf, one.len);
		n++;
		p += k;
	}
	strbuf_release(&one);
	return n;
}

/* text_fit() as it was: units through a callback, a mark for the ellipsis. */
static int ref_fit(struct strbuf *out, const char *s, int width)
{
	struct strbuf buf = STRBUF_INIT;
	struct ref_unit *v = calloc(strlen(s) + 1, sizeof(*v));
	size_t n = ref_units(s, &buf, v), i, mark = out->len;
	int used = 0, mark_used = 0;
	bool cut = false;

	if (width > 0) {
		for (i = 0; i < n; i++) {
			if (used + v[i].width > width) {
				cut = true;
				break;
			}
			if (used + v[i].width <= width - 1) {
				mark = out->len + v[i].len;
				mark_used = used + v[i].width;
			}
			strbuf_add(out, buf.buf + v[i].off, v[i].len);
			used += v[i].width;
		}
		if (cut) {
			strbuf_setlen(out, mark);
			strbuf_addstr(out, "…");
			used = mark_used + 1;
		}
	}
	strbuf_release(&buf);
	free(v);
	return used;
}

static int ref_wrap(const char *s, int width, struct strbuf *lines, int max_lines)
{
	struct strbuf buf = STRBUF_INIT;
	struct ref_unit *v = calloc(strlen(s) + 1, sizeof(*v));
	size_t n, i = 0, j, end, brk;
	int nlines = 0, w;

	if (width < 1 || max_lines < 1) {
		free(v);
		return 0;
	}
	n = ref_units(s, &buf, v);
	while (i < n && v[i].space)
		i++;
	while (nlines < max_lines) {
		w = 0;
		end = i;
		brk = 0;
		while (end < n && w + v[end].width <= width) {
			if (v[end].space && end > i)
				brk = end;
			w += v[end].width;
			end++;
		}
		if (end < n && !v[end].space && brk)
			end = brk;
		if (end == i && i < n)
			end = i + 1;
		if (nlines == max_lines - 1 && end < n) {
			ref_fit(&lines[nlines], buf.buf + v[i].off, width);
			nlines++;
			break;
		}
		for (j = i; j < end; j++)
			strbuf_add(&lines[nlines], buf.buf + v[j].off, v[j].len);
		while (lines[nlines].len && lines[nlines].buf[lines[nlines].len - 1] == ' ')
			strbuf_setlen(&lines[nlines], lines[nlines].len - 1);
		nlines++;
		i = end;
		while (i < n && v[i].space)
			i++;
		if (i >= n)
			break;
	}
	strbuf_release(&buf);
	free(v);
	return nlines ? nlines : 1;
}

/* Random texts of words, wide and combining characters, escapes and bad bytes. */
static void test_wrap_same_as_before(void **state)
{
	static const char *const pieces[] = {
		"a", "b", "mot", "Réservé", " ", " ", "  ", "漢", "😀", "e\xCC\x81", "\x1b", "\t",
		"\n", "\xE2\x80\xAE", "\xC3", "\xFF", "longlonglonglonglongword", "l’agent", "-",
		"\x7f", "\xC2\x85",
	};
	struct strbuf text = STRBUF_INIT, a[5], b[5];
	unsigned seed = 12345;
	int iter, k, i, width, max, na, nb;

	(void)state;
	for (i = 0; i < 5; i++) {
		strbuf_init(&a[i], 0);
		strbuf_init(&b[i], 0);
	}
	for (iter = 0; iter < 20000; iter++) {
		strbuf_reset(&text);
		seed = seed * 1103515245u + 12345u;
		for (k = (int)(seed >> 16) % 40; k > 0; k--) {
			seed = seed * 1103515245u + 12345u;
			strbuf_addstr(&text, pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))]);
		}
		seed = seed * 1103515245u + 12345u;
		width = (int)((seed >> 16) % 14);
		max = (int)((seed >> 8) % 5);
		for (i = 0; i < 5; i++) {
			strbuf_reset(&a[i]);
			strbuf_reset(&b[i]);
		}
		na = text_fit(&a[4], text.buf, width);
		nb = ref_fit(&b[4], text.buf, width);
		assert_int_equal(na, nb);
		assert_string_equal(a[4].buf, b[4].buf);
		strbuf_reset(&a[4]);
		strbuf_reset(&b[4]);
		na = text_wrap(text.buf, width, a, max);
		nb = ref_wrap(text.buf, width, b, max);
		assert_int_equal(na, nb);
		for (i = 0; i < 5; i++)
			assert_string_equal(a[i].buf, b[i].buf);
	}
	/* Longer than the units kept on the stack, with a line reaching past them. */
	strbuf_reset(&text);
	for (k = 0; k < 100; k++)
		strbuf_addstr(&text, "\x1b\xC3 é");
	for (i = 0; i < 5; i++) {
		strbuf_reset(&a[i]);
		strbuf_reset(&b[i]);
	}
	assert_int_equal(text_wrap(text.buf, 400, a, 2), ref_wrap(text.buf, 400, b, 2));
	assert_string_equal(a[0].buf, b[0].buf);
	assert_string_equal(a[1].buf, b[1].buf);
	for (i = 0; i < 5; i++) {
		strbuf_release(&a[i]);
		strbuf_release(&b[i]);
	}
	strbuf_release(&text);
}

static void test_distance(void **state)
{
	(void)state;
	assert_int_equal(text_distance("mobilty", "mobilite", 3), 2);
	assert_int_equal(text_distance("title", "title", 3), 0);
	assert_int_equal(text_distance("titel", "title", 3), 2);
	assert_int_equal(text_distance("abc", "xyzxyz", 2), 3);
	assert_int_equal(text_distance("", "ab", 5), 2);
}

static void test_strbuf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *p;
	size_t len;
	int i;

	(void)state;
	assert_string_equal(sb.buf, "");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	assert_int_equal(strncmp(sb.buf, "0,1,2,", 6), 0);
	assert_int_equal(sb.len, strlen(sb.buf));
	strbuf_setlen(&sb, 2);
	assert_string_equal(sb.buf, "0,");
	strbuf_addchars(&sb, 'x', 3);
	assert_string_equal(sb.buf, "0,xxx");
	p = strbuf_detach(&sb, &len);
	assert_int_equal(len, 5);
	assert_string_equal(p, "0,xxx");
	assert_string_equal(sb.buf, "");
	free(p);
	strbuf_release(&sb);
}

static void test_iso8601(void **state)
{
	char out[ISO8601_LEN + 1];
	time_t t;

	(void)state;
	assert_true(iso8601_parse("2019-06-28T10:12:00Z", &t));
	assert_int_equal(t, 1561716720);
	iso8601_format(t, out);
	assert_string_equal(out, "2019-06-28T10:12:00Z");
	assert_true(iso8601_parse("2019-06-28T12:12:00+02:00", &t));
	assert_int_equal(t, 1561716720);
	assert_true(iso8601_parse("2019-06-28 10:12:00.250Z", &t));
	assert_int_equal(t, 1561716720);
	assert_true(iso8601_parse("2019-06-28", &t));
	assert_int_equal(t, 1561680000);
	assert_false(iso8601_parse("2019-02-31T00:00:00Z", &t));
	assert_false(iso8601_parse("2019-06-28T10:12:00", &t));
	assert_false(iso8601_parse("28/06/2019", &t));
	assert_false(iso8601_parse("2019-06-28T25:00:00Z", &t));
	setenv("TAMIS_TIME_NOW", "2020-01-02T03:04:05Z", 1);
	iso8601_format(clock_now(), out);
	assert_string_equal(out, "2020-01-02T03:04:05Z");
	setenv("TAMIS_TIME_NOW", "86400", 1);
	assert_int_equal(clock_now(), 86400);
	unsetenv("TAMIS_TIME_NOW");
}

/* One trim for every caller: white space at both ends, none inside. */
static void test_trim(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t a, z;

	(void)state;
	strbuf_addstr(&sb, "  \u00a0Binôme 3\t ");
	assert_string_equal(text_trim(&sb), "Binôme 3");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "a  b");
	assert_string_equal(text_trim(&sb), "a  b");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, " \t ");
	assert_string_equal(text_trim(&sb), "");
	text_trim_range(" x ,", 3, &a, &z); /* the part before the comma */
	assert_int_equal(a, 1);
	assert_int_equal(z, 2);
	strbuf_release(&sb);
}

/* Two edits of one text, merged when they touch different parts. */
static void merge_is(const char *base, const char *theirs, const char *mine, bool clean,
		     const char *want)
{
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(text_merge3(base, theirs, mine, &out), clean);
	assert_string_equal(out.buf, want);
	strbuf_release(&out);
}

static void test_merge3(void **state)
{
	(void)state;
	/* The case: both appended. */
	merge_is("Café-philo du samedi", "Café-philo du samedi matin",
		 "Café-philo du samedi (mensuel)", true, "Café-philo du samedi matin (mensuel)");
	/* Different places. */
	merge_is("Navette vers la mairie", "Navette électrique vers la mairie",
		 "Navette vers la mairie annexe", true, "Navette électrique vers la mairie annexe");
	merge_is("Navette vers la mairie", "Navette vers la mairie annexe",
		 "Navette électrique vers la mairie", true, "Navette électrique vers la mairie annexe");
	/* One of them did nothing. */
	merge_is("abc", "abc", "abXc", true, "abXc");
	merge_is("abc", "aYbc", "abc", true, "aYbc");
	/* The same words replaced twice: both kept, for a person to choose. */
	merge_is("Café du lundi", "Café du mardi", "Café du jeudi", false,
		 "Café du mardi / Café du jeudi");
	/* Accents and emoji are never cut: é and è share their first byte. */
	merge_is("Café", "Café!", "Cafè", true, "Cafè!");
	merge_is("thé 🍵", "thé 🍵 vert", "le thé 🍵", true, "le thé 🍵 vert");
}

/* The quick test never says two texts differ when their keys are equal. */
static void test_key_differs(void **state)
{
	static const char *const texts[] = {
		"Café numérique", "Cafe\xcc\x81 nume\xcc\x81rique", "CAFÉ NUMÉRIQUE",
		"  café   numérique ", "Café", "Cafe", "Navette", "navette", " Navette\t",
		"Navettes", "Nav ette", "a b", "a  b", "ab", "", "   ", "Ke", "\xe2\x84\xaa" "e",
		"Stra\xc3\x9f" "e", "strasse", "e\xcc\x81", "\xc3\xa9", "x", "NAVETTE ",
	};
	size_t i, j, n = sizeof(texts) / sizeof(texts[0]), told = 0;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	(void)state;
	for (i = 0; i < n; i++) {
		strbuf_reset(&a);
		text_key(&a, texts[i]);
		for (j = 0; j < n; j++) {
			strbuf_reset(&b);
			text_key(&b, texts[j]);
			if (text_key_differs(a.buf, texts[j])) {
				assert_string_not_equal(a.buf, b.buf);
				told++;
			} else if (i == j) {
				assert_string_equal(a.buf, b.buf);
			}
		}
	}
	/* It does tell most pairs of plain texts apart. */
	assert_true(told > n * n / 3);
	assert_true(text_key_differs("navette", "Navettes"));
	assert_true(text_key_differs("navette", "Bus"));
	assert_false(text_key_differs("navette", "  NAVETTE "));
	assert_false(text_key_differs("café", "Cafe\xcc\x81"));
	strbuf_release(&a);
	strbuf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_encode_roundtrip),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_fold_nfc_nfd),
		cmocka_unit_test(test_fold_sort),
		cmocka_unit_test(test_fold_quick_is_right),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_fit_clusters),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_wrap_same_as_before),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_merge3),
		cmocka_unit_test(test_key_differs),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
