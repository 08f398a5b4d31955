/*
 * import.c - ideas from a text or CSV file into cards.
 *
 * Two passes keep the import all-or-nothing: the bytes are checked and parsed
 * into a list of ideas, collecting every error with its position; only when
 * there is none are the ideas applied to the board (themes created, duplicates
 * skipped, cards added), which cannot fail.
 */
#include "import.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

/* --- Folding text for comparisons ------------------------------------------ */

/*
 * The ASCII spelling of the lowercase letters that Unicode does not
 * decompose into a letter and a mark, so that TEXT_FOLD_MARKS leaves them:
 * a transliteration, which utf8proc does not do. "Œuvres" is "oeuvres".
 */
static const char *import_plain_letter(uint32_t cp)
{
	switch (cp) {
	case 0xE6: return "ae";  /* æ */
	case 0xF0: return "d";   /* ð */
	case 0xF8: return "o";   /* ø */
	case 0xFE: return "th";  /* þ */
	case 0x111: return "d";  /* đ */
	case 0x127: return "h";  /* ħ */
	case 0x131: return "i";  /* ı */
	case 0x138: return "k";  /* ĸ */
	case 0x142: return "l";  /* ł */
	case 0x14B: return "n";  /* ŋ */
	case 0x153: return "oe"; /* œ */
	case 0x167: return "t";  /* ŧ */
	}
	return NULL;
}

/*
 * Appends the key of s[0..len) (text_key()); with plain, accents and other
 * marks dropped too, compatibility forms spelt plainly, and the letters
 * above in ASCII: how theme names and CSV headers are compared.
 */
static void import_fold(struct strbuf *out, const char *s, size_t len, bool plain)
{
	struct strbuf words = STRBUF_INIT, folded = STRBUF_INIT;
	size_t i, n;
	uint32_t cp;

	text_collapse_spaces(&words, s, len);
	text_normalize(&folded, words.buf, words.len,
		       TEXT_FOLD_CASE | (plain ? TEXT_FOLD_MARKS : 0));
	for (i = 0; i < folded.len; i += n) {
		const char *ascii;

		n = utf8_next(folded.buf + i, folded.len - i, &cp);
		if (plain && (ascii = import_plain_letter(cp)))
			strbuf_addstr(out, ascii);
		else
			strbuf_add(out, folded.buf + i, n);
	}
	strbuf_release(&folded);
	strbuf_release(&words);
}

void import_text_key(struct strbuf *out, const char *text)
{
	text_key(out, text);
}

long import_find_text(const struct board *b, const char *text)
{
	struct strbuf key = STRBUF_INIT, other = STRBUF_INIT;
	long found = -1;
	size_t i;

	import_text_key(&key, text);
	for (i = 0; i < b->ncards && found < 0; i++) {
		if (text_key_differs(key.buf, b->cards[i]->text))
			continue;
		strbuf_reset(&other);
		import_text_key(&other, b->cards[i]->text);
		if (other.len == key.len && !memcmp(other.buf, key.buf, key.len))
			found = (long)i;
	}
	strbuf_release(&key);
	strbuf_release(&other);
	return found;
}

static char *import_trimmed(const char *s, size_t len)
{
	size_t a, z;

	text_trim_range(s, len, &a, &z);
	return xstrndup(s + a, z - a);
}

/* --- A map from folded strings to numbers ---------------------------------- */

struct import_map {
	char **keys;
	int *values;
	size_t size, n; /* size is 0 or a power of two */
};

static uint64_t import_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static size_t import_map_slot(const struct import_map *m, const char *key)
{
	size_t i = (size_t)import_hash(key) & (m->size - 1);

	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->size - 1);
	return i;
}

/* The value of key, or -1. */
static int import_map_get(const struct import_map *m, const char *key)
{
	size_t i;

	if (!m->size)
		return -1;
	i = import_map_slot(m, key);
	return m->keys[i] ? m->values[i] : -1;
}

/* Sets key to value unless key is there already. */
static void import_map_add(struct import_map *m, const char *key, int value)
{
	size_t i;

	if ((m->n + 1) * 2 > m->size) {
		struct import_map bigger = { NULL, NULL, m->size ? m->size * 2 : 64, 0 };

		bigger.keys = xcalloc(bigger.size, sizeof(*bigger.keys));
		bigger.values = xcalloc(bigger.size, sizeof(*bigger.values));
		for (i = 0; i < m->size; i++) {
			size_t j;

			if (!m->keys[i])
				continue;
			j = import_map_slot(&bigger, m->keys[i]);
			bigger.keys[j] = m->keys[i];
			bigger.values[j] = m->values[i];
			bigger.n++;
		}
		free(m->keys);
		free(m->values);
		*m = bigger;
	}
	i = import_map_slot(m, key);
	if (m->keys[i])
		return;
	m->keys[i] = xstrdup(key);
	m->values[i] = value;
	m->n++;
}

static void import_map_release(struct import_map *m)
{
	size_t i;

	for (i = 0; i < m->size; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}

/* Registers theme t of b under its folded id and label (first theme wins). */
static void import_map_theme(struct import_map *m, const struct board *b, size_t t)
{
	struct strbuf key = STRBUF_INIT;

	import_fold(&key, b->themes[t].id, strlen(b->themes[t].id), true);
	import_map_add(m, key.buf, (int)t);
	strbuf_reset(&key);
	import_fold(&key, b->themes[t].label, strlen(b->themes[t].label), true);
	import_map_add(m, key.buf, (int)t);
	strbuf_release(&key);
}

/* The theme of b named 'name' (exact id, else folded id or label), or -1. */
static int import_find_theme(const struct board *b, const struct import_map *themes,
			     const char *name)
{
	struct strbuf key = STRBUF_INIT;
	int t = board_theme_index(b, name);

	if (t < 0) {
		import_fold(&key, name, strlen(name), true);
		t = import_map_get(themes, key.buf);
		strbuf_release(&key);
	}
	return t;
}

/* --- New themes ------------------------------------------------------------- */

void import_theme_slug(const struct board *b, const char *label, struct strbuf *out)
{
	struct strbuf folded = STRBUF_INIT, base = STRBUF_INIT;
	size_t i, start = out->len;
	int n;

	import_fold(&folded, label, strlen(label), true);
	for (i = 0; i < folded.len; i++) {
		unsigned char c = (unsigned char)folded.buf[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			strbuf_addch(&base, c);
		else if (base.len && base.buf[base.len - 1] != '-')
			strbuf_addch(&base, '-');
	}
	/* Room for a "-NNNNNNN" suffix within BOARD_ID_MAX. */
	if (base.len > BOARD_ID_MAX - 8)
		strbuf_setlen(&base, BOARD_ID_MAX - 8);
	while (base.len && base.buf[base.len - 1] == '-')
		strbuf_setlen(&base, base.len - 1);
	if (!base.len)
		strbuf_addstr(&base, "theme");
	strbuf_addstr(out, base.buf);
	for (n = 2; board_theme_index(b, out->buf + start) >= 0; n++) {
		strbuf_setlen(out, start);
		strbuf_addf(out, "%s-%d", base.buf, n);
	}
	strbuf_release(&base);
	strbuf_release(&folded);
}

enum hue import_next_hue(const struct board *b)
{
	size_t used[HUE_COUNT] = { 0 }, i;
	int h, best = HUE_RED;

	for (i = 0; i < b->nthemes; i++)
		if ((unsigned)b->themes[i].color < HUE_COUNT)
			used[b->themes[i].color]++;
	for (h = HUE_RED; h < HUE_COUNT; h++)
		if (used[h] < used[best])
			best = h;
	return (enum hue)best;
}

/* Creates a theme labelled label; returns its index, or -1 when too many. */
static int import_new_theme(struct board *b, struct import_map *themes, const char *label,
			    const struct import_options *opt, struct import_result *res)
{
	struct strbuf id = STRBUF_INIT;
	struct op op;
	int t;

	if (b->nthemes >= STORE_MAX_THEMES)
		return -1;
	import_theme_slug(b, label, &id);
	op_new_theme(&op, id.buf, label, import_next_hue(b), opt->by, opt->now);
	t = op_apply_record(b, &op, opt->ops, NULL) == 0 ? board_theme_index(b, id.buf) : -1;
	op_release(&op);
	strbuf_release(&id);
	if (t < 0)
		return -1;
	import_map_theme(themes, b, (size_t)t);
	ALLOC_GROW(res->new_themes, res->nnew_themes + 1, res->new_themes_alloc);
	res->new_themes[res->nnew_themes++] = (size_t)t;
	return t;
}

/* --- Reading the input ------------------------------------------------------ */

struct import_idea {
	int line;
	char *text;   /* trimmed, never NULL */
	char *theme;  /* trimmed; NULL: the default theme */
	char *by;     /* trimmed; NULL: the default author */
};

struct import_parser {
	const char *s;  /* the input, BOM excluded */
	size_t len;
	struct store_errors *err;
	size_t nerrors;
	const struct board *b;
	const struct import_map *themes;
	/* A cursor for positions: offset 'at' is on line 'line', starting at 'bol'. */
	size_t at, bol;
	int line;
	struct import_idea *ideas;
	size_t nideas, ideas_alloc;
};

/* Length of the line break at s[i] (CRLF, LF or CR), or 0. */
static size_t import_eol(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return 0;
	if (s[i] == '\n')
		return 1;
	if (s[i] == '\r')
		return i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
	return 0;
}

/* The 1-based line and column (in characters) of offset off. */
static void import_where(struct import_parser *p, size_t off, int *line, int *col)
{
	if (off < p->at) {
		p->at = p->bol = 0;
		p->line = 1;
	}
	while (p->at < off) {
		size_t eol = import_eol(p->s, p->len, p->at);

		if (eol && p->at + eol <= off) {
			p->at += eol;
			p->bol = p->at;
			p->line++;
		} else {
			p->at++;
		}
	}
	*line = p->line;
	*col = 1 + (int)utf8_count(p->s + p->bol, off - p->bol);
}

__attribute__((format(printf, 3, 4)))
static void import_error(struct import_parser *p, size_t off, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;
	int line, col;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	import_where(p, off, &line, &col);
	store_errors_add(p->err, line, col, "%s", msg.buf);
	strbuf_release(&msg);
	p->nerrors++;
}

static int import_line_of(struct import_parser *p, size_t off)
{
	int line, col;

	import_where(p, off, &line, &col);
	return line;
}

/* Reports every invalid UTF-8 sequence and NUL byte; true when there is none. */
static bool import_check_bytes(struct import_parser *p)
{
	size_t off = 0, bad;
	bool ok = true;

	while (off < p->len && !utf8_valid(p->s + off, p->len - off, &bad)) {
		off += bad;
		ok = false;
		if (!p->s[off]) {
			import_error(p, off, _("NUL byte (the file is not text)"));
			off++;
			continue;
		}
		import_error(p, off, _("invalid UTF-8 (byte 0x%02x)"), (unsigned char)p->s[off]);
		for (off++; off < p->len && ((unsigned char)p->s[off] & 0xC0) == 0x80; off++)
			;
	}
	return ok;
}

static void import_add_idea(struct import_parser *p, size_t off, char *text, char *theme,
			    char *by)
{
	struct import_idea *idea;

	ALLOC_GROW(p->ideas, p->nideas + 1, p->ideas_alloc);
	idea = &p->ideas[p->nideas++];
	idea->line = import_line_of(p, off);
	idea->text = text;
	idea->theme = theme;
	idea->by = by;
}

static void import_ideas_free(struct import_parser *p)
{
	size_t i;

	for (i = 0; i < p->nideas; i++) {
		free(p->ideas[i].text);
		free(p->ideas[i].theme);
		free(p->ideas[i].by);
	}
	free(p->ideas);
	p->ideas = NULL;
	p->nideas = p->ideas_alloc = 0;
}

/* --- Text files ------------------------------------------------------------- */

/* Letters (and their marks), spaces, apostrophes, hyphens, '&' and '/'. */
static bool import_prefix_char_ok(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == ' ' ||
		       cp == '\t' || cp == '\'' || cp == '-' || cp == '&' || cp == '/';
	return cp == 0x2019 || text_cp_letter(cp) || text_cp_space(cp);
}

/* True when the trimmed prefix s[0..len) looks like a new theme's name. */
static bool import_prefix_plausible(const char *s, size_t len)
{
	size_t i = 0, n, chars = 0;
	int words = 0;
	bool space = true;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (!n || !import_prefix_char_ok(cp))
			return false;
		i += n;
		/* Characters as a person counts them: "é" typed or pasted as e + ´. */
		if (!text_cp_mark(cp))
			chars++;
		if (text_cp_space(cp)) {
			space = true;
		} else if (space) {
			space = false;
			words++;
		}
	}
	return chars >= 1 && chars <= IMPORT_THEME_PREFIX_MAX &&
	       words <= IMPORT_THEME_PREFIX_WORDS;
}

/* One line of a text file, s[0..len) at offset off. */
static void import_text_line(struct import_parser *p, size_t off, const char *s, size_t len)
{
	const char *colon = memchr(s, ':', len);
	size_t a, z, ta, tz, after;
	uint32_t cp = ' ';

	text_trim_range(s, len, &a, &z);
	if (a == z)
		return; /* blank */
	if (colon) {
		after = (size_t)(colon - s) + 1;
		if (after < len && !utf8_decode(s + after, len - after, &cp))
			cp = 0;
		text_trim_range(s, (size_t)(colon - s), &ta, &tz);
		if (text_cp_space(cp) && ta < tz) {
			char *prefix = xstrndup(s + ta, tz - ta);

			if (import_find_theme(p->b, p->themes, prefix) >= 0 ||
			    import_prefix_plausible(prefix, tz - ta)) {
				import_add_idea(p, off,
						import_trimmed(s + after, len - after),
						prefix, NULL);
				return;
			}
			free(prefix);
		}
	}
	import_add_idea(p, off, xstrndup(s + a, z - a), NULL, NULL);
}

static void import_text(struct import_parser *p)
{
	size_t off = 0, end;

	while (off < p->len) {
		for (end = off; end < p->len && p->s[end] != '\n' && p->s[end] != '\r'; end++)
			;
		import_text_line(p, off, p->s + off, end - off);
		off = end + import_eol(p->s, p->len, end);
	}
}

/* --- CSV files -------------------------------------------------------------- */

struct import_csv_record {
	struct strbuf *fields;
	size_t *starts;   /* offset where each field starts */
	size_t n, alloc;
};

static void import_csv_record_release(struct import_csv_record *r)
{
	size_t i;

	for (i = 0; i < r->alloc; i++)
		strbuf_release(&r->fields[i]);
	free(r->fields);
	free(r->starts);
	memset(r, 0, sizeof(*r));
}

static struct strbuf *import_csv_new_field(struct import_csv_record *r, size_t start)
{
	if (r->n == r->alloc) {
		size_t old = r->alloc, i;

		r->alloc = old ? old * 2 : 8;
		r->fields = xreallocarray(r->fields, r->alloc, sizeof(*r->fields));
		r->starts = xreallocarray(r->starts, r->alloc, sizeof(*r->starts));
		for (i = old; i < r->alloc; i++)
			strbuf_init(&r->fields[i], 0);
	}
	strbuf_reset(&r->fields[r->n]);
	r->starts[r->n] = start;
	return &r->fields[r->n++];
}

/*
 * Reads one record at *pos (which must be before the end) into r, leaving
 * *pos after its line break. Returns 0, or -1 on a malformed record, reported
 * unless quiet.
 */
static int import_csv_read(struct import_parser *p, size_t *pos, char sep,
			   struct import_csv_record *r, bool quiet)
{
	const char *s = p->s;
	size_t len = p->len, i = *pos, j;

	r->n = 0;
	for (;;) {
		struct strbuf *f = import_csv_new_field(r, i);

		for (j = i; j < len && (s[j] == ' ' || s[j] == '\t'); j++)
			;
		if (j < len && s[j] == '"') {
			size_t open = j;

			for (i = j + 1;;) {
				if (i >= len) {
					if (!quiet)
						import_error(p, open, _("unterminated quoted field"));
					return -1;
				}
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						strbuf_addch(f, '"');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (s[i] == '\r' || s[i] == '\n') {
					strbuf_addch(f, '\n');
					i += import_eol(s, len, i);
					continue;
				}
				strbuf_addch(f, s[i++]);
			}
			while (i < len && (s[i] == ' ' || s[i] == '\t'))
				i++;
			if (i < len && s[i] != sep && s[i] != '\n' && s[i] != '\r') {
				if (!quiet)
					import_error(p, i,
						     _("unexpected character after a closing quote "
						       "(a quote inside a quoted field is written \"\")"));
				return -1;
			}
		} else {
			while (i < len && s[i] != sep && s[i] != '\n' && s[i] != '\r')
				strbuf_addch(f, s[i++]);
		}
		if (i < len && s[i] == sep) {
			i++;
			continue;
		}
		*pos = i + import_eol(s, len, i);
		return 0;
	}
}

static bool import_csv_field_blank(const struct strbuf *f)
{
	size_t a, z;

	text_trim_range(f->buf, f->len, &a, &z);
	return a == z;
}

enum import_csv_column {
	IMPORT_CSV_TEXT,
	IMPORT_CSV_THEME,
	IMPORT_CSV_BY,
	IMPORT_CSV_NCOLUMNS
};

static const char *const import_csv_column_names[IMPORT_CSV_NCOLUMNS] = {
	"text", "theme", "by",
};

/* The column a header field names, or -1. */
static int import_csv_column(const struct strbuf *f)
{
	static const struct { const char *name; enum import_csv_column col; } names[] = {
		{ "text", IMPORT_CSV_TEXT }, { "texte", IMPORT_CSV_TEXT },
		{ "theme", IMPORT_CSV_THEME }, { "by", IMPORT_CSV_BY },
		{ "par", IMPORT_CSV_BY }, { "author", IMPORT_CSV_BY },
		{ "auteur", IMPORT_CSV_BY },
	};
	struct strbuf key = STRBUF_INIT;
	size_t i;
	int col = -1;

	import_fold(&key, f->buf, f->len, true);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(key.buf, names[i].name))
			col = (int)names[i].col;
	strbuf_release(&key);
	return col;
}

/* True when f, trimmed, is one word of at most IMPORT_THEME_PREFIX_MAX bytes. */
static bool import_csv_word(const struct strbuf *f)
{
	size_t a, z, i;

	text_trim_range(f->buf, f->len, &a, &z);
	if (a == z || z - a > IMPORT_THEME_PREFIX_MAX)
		return false;
	for (i = a; i < z; i++)
		if (f->buf[i] == ' ' || f->buf[i] == '\t')
			return false;
	return true;
}

/*
 * Does header record r name a text column? Does it look like a header
 * without one: several one-word fields, one naming theme or by?
 */
static void import_csv_header_kind(const struct import_csv_record *r, bool *text, bool *other)
{
	size_t i;
	bool words = r->n >= 2;

	*text = *other = false;
	for (i = 0; i < r->n; i++) {
		int c = import_csv_column(&r->fields[i]);

		if (c == IMPORT_CSV_TEXT)
			*text = true;
		else if (c >= 0)
			*other = true;
		if (!import_csv_word(&r->fields[i]))
			words = false;
	}
	*other = *other && words;
}

/* The parsed header: the field index of each column, or -1. */
struct import_csv_header {
	char sep;
	size_t nfields;
	long col[IMPORT_CSV_NCOLUMNS];
};

/*
 * Looks at the first non-blank line at *pos. Returns 1 with *h filled and
 * *pos after the header when it is a CSV header, 0 when the input is a text
 * file, -1 after reporting a broken header.
 */
static int import_csv_detect(struct import_parser *p, size_t *pos, struct import_csv_header *h)
{
	static const char seps[] = { ',', ';' };
	struct import_csv_record r = { NULL, NULL, 0, 0 };
	size_t i, k, end = *pos;
	bool text, other, named_other = false;
	int ret = 0;

	for (k = 0; k < sizeof(seps) && !ret; k++) {
		end = *pos;
		if (import_csv_read(p, &end, seps[k], &r, true) < 0)
			continue;
		import_csv_header_kind(&r, &text, &other);
		if (text)
			ret = 1;
		else if (other)
			named_other = true;
	}
	if (!ret) {
		if (named_other) {
			import_error(p, *pos, _("the CSV header has no 'text' column"));
			ret = -1;
		}
		import_csv_record_release(&r);
		return ret;
	}
	h->sep = seps[k - 1];
	h->nfields = r.n;
	for (i = 0; i < IMPORT_CSV_NCOLUMNS; i++)
		h->col[i] = -1;
	for (i = 0; i < r.n; i++) {
		int c = import_csv_column(&r.fields[i]);

		if (c < 0)
			continue;
		if (h->col[c] >= 0) {
			import_error(p, r.starts[i], _("duplicate column '%s' in the CSV header"),
				     import_csv_column_names[c]);
			ret = -1;
			continue;
		}
		h->col[c] = (long)i;
	}
	*pos = end;
	import_csv_record_release(&r);
	return ret;
}

/* The trimmed field c of r, or NULL when it is absent or blank. */
static char *import_csv_get(const struct import_csv_record *r, const struct import_csv_header *h,
			    enum import_csv_column c)
{
	const struct strbuf *f;

	if (h->col[c] < 0 || (size_t)h->col[c] >= r->n)
		return NULL;
	f = &r->fields[h->col[c]];
	if (import_csv_field_blank(f))
		return NULL;
	return import_trimmed(f->buf, f->len);
}

static void import_csv(struct import_parser *p, size_t pos, const struct import_csv_header *h)
{
	struct import_csv_record r = { NULL, NULL, 0, 0 };
	size_t i;

	while (pos < p->len) {
		size_t start = pos;
		bool blank = true;
		char *text;

		if (import_csv_read(p, &pos, h->sep, &r, false) < 0)
			break; /* the rest of the file cannot be split reliably */
		for (i = 0; i < r.n; i++) {
			if (import_csv_field_blank(&r.fields[i]))
				continue;
			blank = false;
			if (i >= h->nfields) {
				import_error(p, r.starts[i],
					     ngettext("more fields than the header's %zu (quote "
						      "a field that holds '%c')",
						      "more fields than the header's %zu (quote "
						      "a field that holds '%c')", h->nfields),
					     h->nfields, h->sep);
				break;
			}
		}
		if (blank || i < r.n)
			continue;
		text = import_csv_get(&r, h, IMPORT_CSV_TEXT);
		import_add_idea(p, start, text ? text : xstrdup(""),
				import_csv_get(&r, h, IMPORT_CSV_THEME),
				import_csv_get(&r, h, IMPORT_CSV_BY));
	}
	import_csv_record_release(&r);
}

/* --- Applying the ideas ----------------------------------------------------- */

void import_result_init(struct import_result *r)
{
	memset(r, 0, sizeof(*r));
}

void import_result_release(struct import_result *r)
{
	size_t i;

	for (i = 0; i < r->nskips; i++)
		free(r->skips[i].text);
	free(r->skips);
	free(r->new_themes);
	import_result_init(r);
}

static void import_skip(struct import_result *res, const struct import_idea *idea,
			enum import_skip_reason reason, int earlier)
{
	struct import_skip *s;

	ALLOC_GROW(res->skips, res->nskips + 1, res->skips_alloc);
	s = &res->skips[res->nskips++];
	s->line = idea->line;
	s->reason = reason;
	s->earlier = earlier;
	s->text = xstrdup(idea->text);
	if (reason == IMPORT_SKIP_ON_BOARD || reason == IMPORT_SKIP_IN_FILE)
		res->skipped_duplicate++;
	else
		res->skipped_other++;
}

static bool import_field_long(const char *s)
{
	return s && strlen(s) > STORE_MAX_SCALAR;
}

/* Why the idea cannot be a card whatever the board holds, or -1. */
static int import_idea_problem(const struct import_idea *idea)
{
	if (!*idea->text)
		return IMPORT_SKIP_NO_TEXT;
	if (import_field_long(idea->text) || import_field_long(idea->theme) ||
	    import_field_long(idea->by))
		return IMPORT_SKIP_TOO_LONG;
	if ((idea->theme && !text_is_safe(idea->theme)) || (idea->by && !text_is_safe(idea->by)))
		return IMPORT_SKIP_CONTROL;
	return -1;
}

/* The theme of ideas that name none, created if need be; -1 when impossible. */
static int import_default_theme(struct board *b, struct import_map *themes,
				const struct import_options *opt, struct import_result *res)
{
	if (opt->theme >= 0 && (size_t)opt->theme < b->nthemes)
		return opt->theme;
	if (b->nthemes)
		return 0;
	return import_new_theme(b, themes, _("Unsorted"), opt, res);
}

static void import_apply(struct board *b, struct import_parser *p, struct import_map *themes,
			 const struct import_options *opt, struct import_result *res)
{
	struct import_map seen = { NULL, NULL, 0, 0 };
	struct strbuf key = STRBUF_INIT;
	size_t i;

	for (i = 0; i < b->ncards; i++) {
		strbuf_reset(&key);
		import_text_key(&key, b->cards[i]->text);
		import_map_add(&seen, key.buf, 0);
	}
	res->first_card = b->ncards;
	for (i = 0; i < p->nideas; i++) {
		const struct import_idea *idea = &p->ideas[i];
		const char *by = idea->by ? idea->by : opt->by;
		int problem = import_idea_problem(idea), earlier, t;
		struct op op;
		uuid_t id;

		if (problem >= 0) {
			import_skip(res, idea, (enum import_skip_reason)problem, 0);
			continue;
		}
		strbuf_reset(&key);
		import_text_key(&key, idea->text);
		earlier = import_map_get(&seen, key.buf);
		if (earlier >= 0) {
			import_skip(res, idea, earlier ? IMPORT_SKIP_IN_FILE : IMPORT_SKIP_ON_BOARD,
				    earlier);
			continue;
		}
		if (!idea->theme)
			t = import_default_theme(b, themes, opt, res);
		else if ((t = import_find_theme(b, themes, idea->theme)) < 0)
			t = import_new_theme(b, themes, idea->theme, opt, res);
		if (t < 0) {
			import_skip(res, idea, IMPORT_SKIP_TOO_MANY_THEMES, 0);
			continue;
		}
		import_map_add(&seen, key.buf, idea->line);
		do
			uuid_generate_random(id);
		while (board_find_card(b, id));
		op_new_card(&op, b, id, idea->text, (size_t)t, by, opt->now);
		if (op_apply_record(b, &op, opt->ops, NULL) == 0)
			res->added++;
		op_release(&op);
	}
	strbuf_release(&key);
	import_map_release(&seen);
}

int import_ideas(struct board *b, const char *data, size_t len,
		 const struct import_options *opt, struct import_result *res,
		 struct store_errors *err)
{
	struct import_parser p;
	struct import_map themes = { NULL, NULL, 0, 0 };
	struct import_csv_header h;
	size_t pos = 0, i;
	int kind = 0;

	import_result_release(res);
	memset(&p, 0, sizeof(p));
	p.err = err;
	p.b = b;
	p.themes = &themes;
	p.line = 1;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		data += 3;
		len -= 3;
	}
	p.s = data;
	p.len = len;
	if (len >= 2 && ((data[0] == '\xFF' && data[1] == '\xFE') ||
			 (data[0] == '\xFE' && data[1] == '\xFF'))) {
		import_error(&p, 0, _("UTF-16 text is not supported (save the file as UTF-8)"));
		return -1;
	}
	if (!import_check_bytes(&p))
		return -1;
	for (i = 0; i < b->nthemes; i++)
		import_map_theme(&themes, b, i);

	/* The first non-blank line decides the format. */
	while (pos < len) {
		size_t end, a, z;

		for (end = pos; end < len && data[end] != '\n' && data[end] != '\r'; end++)
			;
		text_trim_range(data + pos, end - pos, &a, &z);
		if (a != z)
			break;
		pos = end + import_eol(data, len, end);
	}
	if (pos < len)
		kind = import_csv_detect(&p, &pos, &h);
	if (kind > 0)
		import_csv(&p, pos, &h);
	else if (kind == 0)
		import_text(&p);
	res->format = kind > 0 ? IMPORT_FORMAT_CSV : IMPORT_FORMAT_TEXT;
	if (p.nerrors) {
		import_ideas_free(&p);
		import_map_release(&themes);
		return -1;
	}
	import_apply(b, &p, &themes, opt, res);
	import_ideas_free(&p);
	import_map_release(&themes);
	return 0;
}

/* --- Telling the user ------------------------------------------------------- */

const char *import_skip_reason_text(enum import_skip_reason reason)
{
	switch (reason) {
	case IMPORT_SKIP_ON_BOARD: return _("already on the board");
	case IMPORT_SKIP_IN_FILE: return _("same text as an earlier line");
	case IMPORT_SKIP_NO_TEXT: return _("no text");
	case IMPORT_SKIP_TOO_LONG: return _("too long");
	case IMPORT_SKIP_CONTROL: return _("control characters in its theme or author");
	case IMPORT_SKIP_TOO_MANY_THEMES: return _("too many themes to create another");
	}
	return "";
}

void import_result_format(const struct board *b, const struct import_result *r,
			  const char *file, struct strbuf *out)
{
	struct strbuf label = STRBUF_INIT;
	size_t i;

	strbuf_addf(out, ngettext("added %zu card", "added %zu cards", r->added), r->added);
	if (r->nskips)
		strbuf_addf(out, ngettext(", skipped %zu", ", skipped %zu", r->nskips), r->nskips);
	strbuf_addch(out, '\n');
	for (i = 0; i < r->nnew_themes; i++) {
		const struct theme *t = &b->themes[r->new_themes[i]];

		strbuf_reset(&label);
		text_sanitize(&label, t->label);
		strbuf_addf(out, _("created theme '%s' (%s, %s)\n"), label.buf, t->id,
			    hue_name(t->color));
	}
	for (i = 0; i < r->nskips; i++) {
		const struct import_skip *s = &r->skips[i];

		if (file) {
			text_sanitize(out, file);
			strbuf_addf(out, ":%d: ", s->line);
		} else {
			strbuf_addf(out, _("line %d: "), s->line);
		}
		if (s->reason == IMPORT_SKIP_IN_FILE)
			strbuf_addf(out, _("same text as line %d"), s->earlier);
		else
			strbuf_addstr(out, import_skip_reason_text(s->reason));
		if (*s->text) {
			strbuf_addstr(out, " ('");
			text_fit(out, s->text, 40);
			strbuf_addstr(out, "')");
		}
		strbuf_addch(out, '\n');
	}
	strbuf_release(&label);
}
