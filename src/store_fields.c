/*
 * store_fields.c - step 3 of reading (store_int.h): typed access to nodes,
 * the keys of a mapping, and the problems of a value reported with what it
 * should be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign.h"
#include "store_int.h"
#include "text.h"
#include "timeutil.h"
#include "xmalloc.h"

/*
 * A copy of s short enough to quote in a message: at most 60 code points,
 * the cut marked with "…" (the full value is at the reported position).
 */
const char *store_cut(struct store_parse *p, const char *s)
{
	size_t i = 0, cps = 0, len = strlen(s);
	char *copy;

	while (i < len && cps < 60) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		i += n ? n : 1;
		cps++;
	}
	if (i >= len)
		return s;
	copy = arena_alloc(&p->arena, i + sizeof("…"));
	memcpy(copy, s, i);
	memcpy(copy + i, "…", sizeof("…"));
	return copy;
}

void suggest_init(struct suggest *sg, const char *word)
{
	sg->word = word;
	sg->best = NULL;
	sg->dist = (size_t)-1;
}

/*
 * A candidate is close enough when a third of its letters (at least 2) would
 * do, and when the edit does not replace the whole of the shorter word.
 */
void suggest_try(struct suggest *sg, const char *cand)
{
	size_t lw = strlen(sg->word), lc = strlen(cand);
	size_t longer = lw > lc ? lw : lc, shorter = lw < lc ? lw : lc;
	size_t limit = longer / 3 > 2 ? longer / 3 : 2, d;

	if (lw > lc + limit || lc > lw + limit)
		return;
	d = text_distance(sg->word, cand, limit);
	if (d <= limit && d < shorter && d < sg->dist) {
		sg->best = cand;
		sg->dist = d;
	}
}

/* The " (did you mean 'X'?)" end of a message, or "" without a suggestion. */
const char *suggest_text(struct store_parse *p, const struct suggest *sg)
{
	char *s;
	size_t len;

	if (!sg->best)
		return "";
	len = strlen(sg->best) + sizeof(" (did you mean ''?)");
	s = arena_alloc(&p->arena, len);
	snprintf(s, len, " (did you mean '%s'?)", sg->best);
	return s;
}

/* The first value for key name in mapping n, or NULL. */
const struct snode *store_map_get(const struct snode *n, const char *name)
{
	uint32_t i;

	if (n->kind != SNODE_MAP)
		return NULL;
	for (i = 0; i + 1 < n->n; i += 2)
		if (store_key_is(&n->u.kids[i], name))
			return &n->u.kids[i + 1];
	return NULL;
}

/* Keys must be scalars; reports the others. Returns the key's text or NULL. */
const char *store_key(struct store_parse *p, const struct snode *k)
{
	if (k->kind != SNODE_SCALAR) {
		store_err(p, k, "keys must be plain strings, not a %s",
			  k->kind == SNODE_MAP ? "mapping" : "list");
		return NULL;
	}
	return k->u.s;
}

const char *store_kind_name(const struct snode *n)
{
	switch (n->kind) {
	case SNODE_SEQ:
		return "a list";
	case SNODE_MAP:
		return "a mapping";
	default:
		return store_is_null(n) ? "empty" : "a single value";
	}
}

/* Code points that identifiers, labels, titles, poles and names may not hold. */
static bool store_check_safe(struct store_parse *p, const struct snode *n, const char *what)
{
	size_t i = 0;

	while (i < n->n) {
		uint32_t cp;
		size_t len;

		if ((unsigned char)n->u.s[i] >= 0x20 && (unsigned char)n->u.s[i] < 0x7F) {
			i++; /* printable ASCII */
			continue;
		}
		len = utf8_decode(n->u.s + i, n->n - i, &cp);

		if (!len) { /* cannot happen: libyaml hands out valid UTF-8 */
			store_err(p, n, "'%s' is not valid UTF-8", what);
			return false;
		}
		if (text_cp_unsafe(cp)) {
			store_err(p, n, "'%s' must not contain control characters (found U+%04X)",
				  what, (unsigned)cp);
			return false;
		}
		i += len;
	}
	return true;
}

/*
 * The string value of n for key 'what', or NULL after reporting why not. Any
 * scalar that is not null will do: a plain 2019 is the string "2019", as the
 * user wrote it. No string may hold NUL; only free text may hold controls.
 */
const char *store_string(struct store_parse *p, const struct snode *n, const char *what,
				int flags)
{
	if (n->kind != SNODE_SCALAR || store_is_null(n)) {
		store_err(p, n, "'%s' must be a string, not %s", what, store_kind_name(n));
		return NULL;
	}
	if (memchr(n->u.s, '\0', n->n)) {
		store_err(p, n, "'%s' must not contain NUL characters", what);
		return NULL;
	}
	if (!(flags & STR_FREE) && !store_check_safe(p, n, what))
		return NULL;
	return n->u.s;
}

/* A facilitator's public key for key 'what' (sign.h), or NULL after reporting why not. */
const char *store_key_id(struct store_parse *p, const struct snode *n, const char *what)
{
	const char *s = store_string(p, n, what, 0);

	if (s && !sign_key_id_valid(s)) {
		store_err(p, n, "'%s' must be a public key: \"%s\" and 44 base64 characters", what,
			  SIGN_KEY_PREFIX);
		return NULL;
	}
	return s;
}

/* A signature for key 'what' (sign.h), or NULL after reporting why not. */
const char *store_sig(struct store_parse *p, const struct snode *n, const char *what)
{
	const char *s = store_string(p, n, what, 0);

	if (s && !sign_sig_valid(s)) {
		store_err(p, n, "'%s' must be a signature: %d base64 characters", what, SIGN_SIG_LEN);
		return NULL;
	}
	return s;
}

/* Parses a plain decimal integer ("-3", "+7", "12"); false if it is not one. */
static bool store_parse_int(const char *s, long *out)
{
	long v = 0;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v < 100000000L)
			v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	return true;
}

/* An untagged plain or !!int scalar holding a decimal integer. */
bool store_int(const struct snode *n, long *out)
{
	if (n->kind != SNODE_SCALAR || (n->style != SSTYLE_PLAIN && n->style != SSTYLE_INT))
		return false;
	return store_parse_int(n->u.s, out);
}

/* true/false/True/False, plain or !!bool. */
bool store_bool(const struct snode *n, bool *out)
{
	if (n->kind != SNODE_SCALAR || (n->style != SSTYLE_PLAIN && n->style != SSTYLE_BOOL))
		return false;
	if (!strcmp(n->u.s, "true") || !strcmp(n->u.s, "True")) {
		*out = true;
		return true;
	}
	if (!strcmp(n->u.s, "false") || !strcmp(n->u.s, "False")) {
		*out = false;
		return true;
	}
	return false;
}

bool store_names_has(const struct snames *ns, const char *s)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], s))
			return true;
	return false;
}

void store_names_add(struct snames *ns, const char *s)
{
	ALLOC_GROW(ns->v, ns->n + 1, ns->alloc);
	ns->v[ns->n++] = s;
}

/*
 * The id of a theme, criterion or grid (kind names it in messages; index
 * finds an existing one). Returns NULL after reporting an invalid or
 * duplicate id; an invalid one is noted in bad so that references to it are
 * not reported as well.
 */
static const char *store_item_id(struct store_parse *p, const struct snode *n, const char *kind,
				 int (*index)(const struct board *, const char *),
				 const struct snode *const *ids, struct snames *bad)
{
	const char *id = store_string(p, n, "id", 0);
	int existing;

	if (!id)
		return NULL;
	if (!board_id_valid(id)) {
		store_err(p, n, "invalid %s id '%s' (ids are 1 to %d letters, digits, '-', '_' "
			  "or '.', starting with a letter or digit)",
			  kind, store_cut(p, id), BOARD_ID_MAX);
		store_names_add(bad, id);
		return NULL;
	}
	existing = index(p->b, id);
	if (existing >= 0) {
		store_err(p, n, "duplicate %s id '%s' (first at line %d)", kind, id,
			  ids[existing]->line);
		return NULL;
	}
	return id;
}

bool store_read_item_id(struct store_parse *p, const struct snode *v, const struct sfield *f,
			void *obj)
{
	const char *id;

	switch ((enum ref_kind)f->min) {
	case REF_THEME:
		id = store_item_id(p, v, "theme", board_theme_index, p->theme_ids, &p->bad_themes);
		break;
	case REF_CRITERION:
		id = store_item_id(p, v, "criterion", board_criterion_index, p->criterion_ids,
				   &p->bad_criteria);
		break;
	default:
		id = store_item_id(p, v, "grid", board_grid_index, p->grid_ids, &p->bad_grids);
		break;
	}
	memcpy((char *)obj + f->at, &id, sizeof(id));
	return id != NULL;
}

void store_bad_uuid(struct store_parse *p, const struct snode *n, const char *noun,
		    const char *key)
{
	if (n->kind == SNODE_SCALAR && !store_is_null(n))
		store_err(p, n, "invalid %s '%s' (a card id is a UUID such as "
			  "6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f)", noun, store_cut(p, n->u.s));
	else
		store_err(p, n, "'%s' must be a UUID, not %s", key, store_kind_name(n));
}

/*
 * The items of list-valued key 'key' ('what' names them in messages), or
 * NULL (with *count = 0) when absent or null. Past max items (0: no limit),
 * reports it and gives the first max.
 */
const struct snode *store_list(struct store_parse *p, const struct snode *v,
				      const char *key, const char *what, size_t max,
				      size_t *count)
{
	*count = 0;
	if (!store_present(v))
		return NULL;
	if (v->kind != SNODE_SEQ) {
		store_err(p, v, "'%s' must be a list, not %s", key, store_kind_name(v));
		return NULL;
	}
	*count = v->n;
	if (max && v->n > max) {
		store_err(p, v, "too many %s (%u, the limit is %zu)", what, v->n, max);
		*count = max;
	}
	return v->u.kids;
}

/*
 * Reads a cell [x, y] with x and y from 1 to cells. Returns NULL when it is
 * one, else the node at fault (v itself, or the bad coordinate).
 */
const struct snode *store_xy(const struct snode *v, int cells, struct cell *out)
{
	long xy[2];
	int i;

	if (v->kind != SNODE_SEQ || v->n != 2)
		return v;
	for (i = 0; i < 2; i++)
		if (!store_int(&v->u.kids[i], &xy[i]) || xy[i] < 1 || xy[i] > cells)
			return &v->u.kids[i];
	out->x = (unsigned char)xy[0];
	out->y = (unsigned char)xy[1];
	return NULL;
}

int store_name(struct store_parse *p, const struct snode *v, const char *key,
	       const struct snameset *ns)
{
	struct suggest sg;
	int k;

	if (v->kind != SNODE_SCALAR) {
		store_err(p, v, "'%s' must be %s name, not %s", key, ns->a_noun, store_kind_name(v));
		return -1;
	}
	if ((k = ns->parse(v->u.s)) >= 0)
		return k;
	suggest_init(&sg, v->u.s);
	for (k = 0; k < ns->count; k++)
		suggest_try(&sg, ns->name(k));
	store_err(p, v, "unknown %s '%s'%s", ns->noun, store_cut(p, v->u.s),
		  sg.best || !ns->list ? suggest_text(p, &sg) : ns->list);
	return -1;
}

static const char *store_hue_name(int k)
{
	return hue_name((enum hue)k);
}

static const struct snameset store_hues = {
	"color", "a color", hue_parse, store_hue_name, HUE_COUNT,
	" (colors are black, red, green, yellow, blue, magenta, cyan and white)",
};

/* The n digits at s as a number, or -1. */
static int store_time_digits(const char *s, int n)
{
	int v = 0;

	while (n--) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/*
 * The time of "YYYY-MM-DDTHH:MM:SSZ" (what tamis writes; 20 bytes) with a
 * valid date from year 1000 on, seconds from 0 to 59, without timegm(),
 * which takes a dozen times longer and runs for every event of every
 * history. False for anything else, which iso8601_parse() reads or refuses.
 */
static bool store_time_plain(const char *s, size_t len, time_t *out)
{
	static const unsigned char mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, hh, mm, ss;
	long days;

	if (len != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		return false;
	y = store_time_digits(s, 4);
	m = store_time_digits(s + 5, 2);
	d = store_time_digits(s + 8, 2);
	hh = store_time_digits(s + 11, 2);
	mm = store_time_digits(s + 14, 2);
	ss = store_time_digits(s + 17, 2);
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || hh < 0 || hh > 23 ||
	    mm < 0 || mm > 59 || ss < 0 || ss > 59)
		return false;
	if (m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)))
		return false;
	/* Days from 1970-01-01 (proleptic Gregorian; y > 0, so no negative division). */
	y -= m <= 2;
	days = 365L * y + y / 4 - y / 100 + y / 400 + (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 +
	       d - 1 - 719468;
	*out = (time_t)(days * 86400 + hh * 3600 + mm * 60 + ss);
	return true;
}

/*
 * A timestamp for key 'what'; false after reporting why not. Years 1000 to
 * 9999 only: what iso8601_format() writes back as the same four-digit year.
 */
bool store_time(struct store_parse *p, const struct snode *n, const char *what,
		       time_t *out)
{
	if (n->kind != SNODE_SCALAR || memchr(n->u.s, '\0', n->n) ||
	    !(store_time_plain(n->u.s, n->n, out) || iso8601_parse(n->u.s, out)) ||
	    (long long)*out < -30610224000LL ||
	    (long long)*out > 253402300799LL) {
		store_err(p, n, "'%s' must be a date and time such as 2019-06-28T10:12:00Z", what);
		return false;
	}
	return true;
}

/* A decision name for key 'what', or -1 after reporting why not. */
int store_decision(struct store_parse *p, const struct snode *n, const char *what)
{
	int d = n->kind == SNODE_SCALAR ? decision_parse(n->u.s) : -1;

	if (d < 0)
		store_err(p, n, "'%s' must be undecided, v1, v2 or elsewhere", what);
	return d;
}

static const char *const ref_kind_names[] = { "theme", "criterion", "grid" };

/* The ids a reference of that kind may name, and the invalid ones already reported. */
static size_t store_ref_ids(struct store_parse *p, enum ref_kind kind, size_t i,
			    const char **id, const struct snames **bad)
{
	const struct board *b = p->b;

	switch (kind) {
	case REF_THEME:
		*bad = &p->bad_themes;
		*id = i < b->nthemes ? b->themes[i].id : NULL;
		return b->nthemes;
	case REF_CRITERION:
		*bad = &p->bad_criteria;
		*id = i < b->ncriteria ? b->criteria[i].id : NULL;
		return b->ncriteria;
	default:
		*bad = &p->bad_grids;
		*id = i < b->ngrids ? b->grids[i].id : NULL;
		return b->ngrids;
	}
}

/* Reports a reference to an undefined item, unless that item was reported. */
void store_unknown_ref(struct store_parse *p, const struct snode *n, enum ref_kind kind,
			      const char *name)
{
	const struct snames *bad;
	const char *id;
	struct suggest sg;
	size_t i, count = store_ref_ids(p, kind, 0, &id, &bad);

	if (store_names_has(bad, name))
		return;
	if (!store_errors_room(p->err)) {
		p->err->dropped++;
		return;
	}
	suggest_init(&sg, name);
	for (i = 0; i < count; i++) {
		store_ref_ids(p, kind, i, &id, &bad);
		suggest_try(&sg, id);
	}
	store_err(p, n, "unknown %s '%s'%s", ref_kind_names[kind], store_cut(p, name),
		  suggest_text(p, &sg));
}

/* --- The table-driven field reader ------------------------------------------ */

/* The index of key in m, looked for from hint on (keys mostly come in table order). */
static size_t store_field_index(const struct smap *m, const struct snode *key, size_t hint)
{
	size_t k, i;

	for (i = 0; i < m->n; i++) {
		const struct sfield *f;

		k = hint + i < m->n ? hint + i : hint + i - m->n;
		f = &m->v[k];
		if (key->n == f->len && key->u.s[0] == f->key[0] &&
		    !memcmp(key->u.s, f->key, f->len))
			return k;
	}
	return m->n;
}

void store_fields(struct store_parse *p, const struct snode *n, const struct smap *m,
		  const struct snode **f)
{
	uint32_t i;
	size_t k = 0;

	memset(f, 0, m->n * sizeof(*f));
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct snode *key = &n->u.kids[i];
		const char *name = store_key(p, key);

		if (!name)
			continue;
		k = store_field_index(m, key, k < m->n ? k : 0);
		if (k == m->n) {
			struct suggest sg;

			if (!store_errors_room(p->err)) {
				p->err->dropped++;
				continue;
			}
			suggest_init(&sg, name);
			for (k = 0; k < m->n; k++)
				suggest_try(&sg, m->v[k].key);
			store_err(p, key, "unknown key '%s'%s", store_cut(p, name),
				  suggest_text(p, &sg));
			k = 0;
		} else if (f[k]) {
			store_err(p, key, "duplicate key '%s' (first at line %d)", m->v[k].key,
				  store_key_of(f[k])->line);
		} else {
			f[k++] = &n->u.kids[i + 1];
		}
	}
}

/* A string field's value (SFT_STRING to SFT_SIG), or NULL after reporting why not. */
static const char *store_field_string(struct store_parse *p, const struct snode *v,
				      const struct sfield *f)
{
	switch (f->type) {
	case SFT_TEXT:
		return store_string(p, v, f->key, STR_FREE);
	case SFT_KEY:
		return store_key_id(p, v, f->key);
	case SFT_SIG:
		return store_sig(p, v, f->key);
	default:
		return store_string(p, v, f->key, 0);
	}
}

/* An integer field's value (SFT_INT to SFT_POLE): false after reporting why not. */
static bool store_field_int(struct store_parse *p, const struct snode *v, const struct sfield *f,
			    int *out)
{
	long l;
	int k;

	switch (f->type) {
	case SFT_DECISION:
		k = store_decision(p, v, f->key);
		break;
	case SFT_HUE:
		k = store_name(p, v, f->key, &store_hues);
		break;
	case SFT_POLE:
		if (v->kind != SNODE_SCALAR || (k = pole_parse(v->u.s)) < 0) {
			store_err(p, v, "'%s' must be low or high", f->key);
			return false;
		}
		break;
	default:
		if (!store_int(v, &l) || l < f->min || l > f->max) {
			store_err(p, v, "'%s' must be an integer from %d to %d", f->key, f->min,
				  f->max);
			return false;
		}
		k = (int)l;
		break;
	}
	if (k < 0)
		return false;
	*out = k;
	return true;
}

/* Reads the present value v of field f into slot: false after reporting why not. */
static bool store_field_value(struct store_parse *p, const struct snode *v, const struct sfield *f,
			      void *obj)
{
	char *slot = (char *)obj + f->at;
	const char *s;
	time_t t;
	bool b;
	int k;

	switch (f->type) {
	case SFT_NODE:
		return true;
	case SFT_CUSTOM:
		return f->read(p, v, f, obj);
	case SFT_TIME:
		if (!store_time(p, v, f->key, &t))
			return false;
		memcpy(slot, &t, sizeof(t));
		return true;
	case SFT_BOOL:
		if (!store_bool(v, &b)) {
			store_err(p, v, "'%s' must be true or false", f->key);
			return false;
		}
		memcpy(slot, &b, sizeof(b));
		return true;
	case SFT_INT:
	case SFT_DECISION:
	case SFT_HUE:
	case SFT_POLE:
		if (!store_field_int(p, v, f, &k))
			return false;
		memcpy(slot, &k, sizeof(k));
		return true;
	default:
		if (!(s = store_field_string(p, v, f)))
			return false;
		if (f->flags & SF_COPY) {
			char *copy = xstrdup(s);

			memcpy(slot, &copy, sizeof(copy));
		} else {
			memcpy(slot, &s, sizeof(s));
		}
		return true;
	}
}

bool store_fields_read(struct store_parse *p, const struct snode *n, const struct smap *m,
		       const struct snode *const *f, size_t from, size_t to, void *obj)
{
	bool ok = true;
	size_t i;

	for (i = from; i < to; i++) {
		const struct sfield *fd = &m->v[i];
		const struct snode *v = f[i];
		bool missing = fd->flags & SF_NEEDED ? !store_present(v) : !v;

		if (missing && (fd->flags & (SF_REQUIRED | SF_NEEDED))) {
			store_err(p, n, "missing key '%s'%s%s%s", fd->key, m->what ? " in " : "",
				  m->what ? m->what : "", fd->hint ? fd->hint : "");
		} else if (!store_present(v) && !(fd->flags & SF_REQUIRED)) {
			continue; /* optional, left out */
		} else if (store_field_value(p, v, fd, obj)) {
			continue;
		}
		ok = false;
		if (fd->flags & SF_STOP)
			break;
	}
	return ok;
}

bool store_map_read(struct store_parse *p, const struct snode *n, const struct smap *m,
		    const struct snode **f, void *obj)
{
	store_fields(p, n, m, f);
	return store_fields_read(p, n, m, f, 0, m->n, obj);
}
