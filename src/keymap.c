/*
 * keymap.c - the keys of one's own: defaults, the key file (see keymap.h).
 */
#include "keymap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "fileio.h"
#include "i18n.h"
#include "text.h"
#include "xmalloc.h"

/* The largest key file read: a few hundred lines are plenty. */
#define KEYMAP_FILE_MAX (64u << 10)

static const struct keymap_action_def {
	const char *name;
	const char *keys;
} keymap_actions[KEYMAP_NACTIONS] = {
#define KEYMAP_DEF(id, name, keys) { name, keys },
	KEYMAP_ACTIONS(KEYMAP_DEF)
#undef KEYMAP_DEF
};

/* Key names (any case) and how the screen shows them (NULL: an alias). */
static const struct keymap_name {
	const char *name;
	enum keymap_named key;
	const char *label;
} keymap_names[] = {
	{ "Enter", KEYMAP_KEY_ENTER, "Enter" },       { "Return", KEYMAP_KEY_ENTER, NULL },
	{ "Tab", KEYMAP_KEY_TAB, "Tab" },             { "Shift-Tab", KEYMAP_KEY_SHIFT_TAB, "S-Tab" },
	{ "S-Tab", KEYMAP_KEY_SHIFT_TAB, NULL },      { "Esc", KEYMAP_KEY_ESC, "Esc" },
	{ "Escape", KEYMAP_KEY_ESC, NULL },           { "Up", KEYMAP_KEY_UP, "↑" },
	{ "Down", KEYMAP_KEY_DOWN, "↓" },             { "Left", KEYMAP_KEY_LEFT, "←" },
	{ "Right", KEYMAP_KEY_RIGHT, "→" },           { "PageUp", KEYMAP_KEY_PAGE_UP, "PgUp" },
	{ "PgUp", KEYMAP_KEY_PAGE_UP, NULL },         { "PageDown", KEYMAP_KEY_PAGE_DOWN, "PgDn" },
	{ "PgDn", KEYMAP_KEY_PAGE_DOWN, NULL },       { "Home", KEYMAP_KEY_HOME, "Home" },
	{ "End", KEYMAP_KEY_END, "End" },             { "Backspace", KEYMAP_KEY_BACKSPACE, "Backspace" },
	{ "Delete", KEYMAP_KEY_DELETE, "Del" },       { "Del", KEYMAP_KEY_DELETE, NULL },
};
#define KEYMAP_NNAMES (sizeof(keymap_names) / sizeof(keymap_names[0]))

/* Ctrl keys a terminal keeps or sends as another key, and why. */
static const struct {
	char letter;
	const char *why;
} keymap_ctrl_taken[] = {
	{ 'c', N_("the terminal interrupts tamis with it") },
	{ 'z', N_("the terminal suspends tamis with it") },
	{ 's', N_("the terminal stops its output with it") },
	{ 'q', N_("the terminal restarts its output with it") },
	{ 'h', N_("the terminal sends it as Backspace") },
	{ 'i', N_("the terminal sends it as Tab") },
	{ 'j', N_("the terminal sends it as Enter") },
	{ 'm', N_("the terminal sends it as Enter") },
};

const char *keymap_action_name(enum keymap_action a)
{
	return keymap_actions[a].name;
}

int keymap_action_by_name(const char *name, size_t len)
{
	size_t a;

	for (a = 0; a < KEYMAP_NACTIONS; a++)
		if (strlen(keymap_actions[a].name) == len && !memcmp(keymap_actions[a].name, name, len))
			return (int)a;
	return -1;
}

static bool keymap_key_eq(const struct keymap_key *a, const struct keymap_key *b)
{
	return a->kind == b->kind && a->value == b->value;
}

int keymap_find(const struct keymap *km, const struct keymap_key *k)
{
	size_t a, i;

	for (a = 0; a < KEYMAP_NACTIONS; a++)
		for (i = 0; i < km->nkeys[a]; i++)
			if (keymap_key_eq(&km->keys[a][i], k))
				return (int)a;
	return -1;
}

void keymap_key_label(const struct keymap_key *k, struct strbuf *out)
{
	size_t i;

	switch (k->kind) {
	case KEYMAP_CHAR:
		if (k->value == ' ')
			strbuf_addstr(out, "Space");
		else
			utf8_encode(out, k->value);
		return;
	case KEYMAP_CTRL:
		strbuf_addf(out, "Ctrl-%c", (char)('A' + k->value - 1));
		return;
	case KEYMAP_NAMED:
		if (k->value >= KEYMAP_KEY_F1 && k->value < KEYMAP_KEY_ENTER) {
			strbuf_addf(out, "F%u", (unsigned)k->value);
			return;
		}
		for (i = 0; i < KEYMAP_NNAMES; i++)
			if (keymap_names[i].key == k->value && keymap_names[i].label) {
				strbuf_addstr(out, keymap_names[i].label);
				return;
			}
	}
}

/* The edit distance between a and b (both short), for "did you mean". */
static size_t keymap_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t row[40], i, j, prev, cur;

	if (la >= 40 || lb >= 40)
		return 40;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t sub = prev + ((a[i - 1] | 32) != (b[j - 1] | 32));

			cur = row[j];
			row[j] = sub;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			prev = cur;
		}
	}
	return row[lb];
}

/* " (did you mean 'X'?)" for the nearest of names, if near enough. */
static void keymap_suggest(const char *w, size_t len, const char *const *names, size_t n,
			   struct strbuf *out)
{
	size_t i, best = len <= 4 ? 2 : 3, d;
	const char *found = NULL;

	for (i = 0; i < n; i++) {
		d = keymap_distance(w, len, names[i], strlen(names[i]));
		if (d < best && d < strlen(names[i])) {
			best = d;
			found = names[i];
		}
	}
	if (found)
		strbuf_addf(out, _(" (did you mean '%s'?)"), found);
}

/* w[0..len), made safe to quote back to the terminal (caller frees). */
static char *keymap_safe(const char *w, size_t len)
{
	struct strbuf safe = STRBUF_INIT;
	char *s = xstrndup(w, len);

	text_sanitize(&safe, s);
	free(s);
	return strbuf_detach(&safe, NULL);
}

/* Appends fmt, a gettext'd format string, with its one %s from w[0..len), made safe. */
#define keymap_say(out, fmt, w, len)                   \
	do {                                           \
		char *keymap_q_ = keymap_safe((w), (len)); \
		strbuf_addf((out), fmt, keymap_q_);     \
		free(keymap_q_);                       \
	} while (0)

static void keymap_unknown_key(const char *w, size_t len, struct strbuf *why)
{
	const char *names[KEYMAP_NNAMES + 2];
	size_t i;

	for (i = 0; i < KEYMAP_NNAMES; i++)
		names[i] = keymap_names[i].name;
	names[i++] = "Space";
	names[i++] = "F1";
	keymap_say(why, _("unknown key name '%s'"), w, len);
	keymap_suggest(w, len, names, i, why);
}

/* Ctrl-X: the letter, unless the terminal keeps that key. */
static int keymap_ctrl(const char *w, size_t len, struct keymap_key *k, struct strbuf *why)
{
	char c = (char)(w[5] | 32);
	size_t i;

	if (len != 6 || c < 'a' || c > 'z') {
		keymap_unknown_key(w, len, why);
		return -1;
	}
	for (i = 0; i < sizeof(keymap_ctrl_taken) / sizeof(keymap_ctrl_taken[0]); i++)
		if (keymap_ctrl_taken[i].letter == c) {
			strbuf_addf(why, _("Ctrl-%c cannot be given: %s"), c - 32,
				    _(keymap_ctrl_taken[i].why));
			return -1;
		}
	k->kind = KEYMAP_CTRL;
	k->value = (uint32_t)(c - 'a' + 1);
	return 0;
}

/* The key named w[0..len) into k; -1 with why. */
static int keymap_key_parse(const char *w, size_t len, struct keymap_key *k, struct strbuf *why)
{
	uint32_t cp;
	size_t i;

	if (utf8_decode(w, len, &cp) == len) {
		if (cp >= '1' && cp <= '9') {
			strbuf_addf(why, _("'%c' shows grid %c and cannot be given to an action"),
				    (char)cp, (char)cp);
			return -1;
		}
		if (!iswgraph((wint_t)cp) || wcwidth((wchar_t)cp) < 1) {
			keymap_say(why, _("not a key that types a character: '%s'"), w, len);
			return -1;
		}
		k->kind = KEYMAP_CHAR;
		k->value = cp;
		return 0;
	}
	k->kind = KEYMAP_NAMED;
	if (len == 5 && !strncasecmp(w, "Space", 5)) {
		k->kind = KEYMAP_CHAR;
		k->value = ' ';
		return 0;
	}
	if ((len == 2 || len == 3) && (w[0] | 32) == 'f' && w[1] >= '1' && w[1] <= '9') {
		k->value = (uint32_t)(w[1] - '0');
		if (len == 3)
			k->value = w[2] >= '0' && w[2] <= '9' ? k->value * 10 + (uint32_t)(w[2] - '0') : 99;
		if (k->value <= 12)
			return 0;
	}
	if (len >= 5 && !strncasecmp(w, "Ctrl-", 5))
		return keymap_ctrl(w, len, k, why);
	for (i = 0; i < KEYMAP_NNAMES; i++)
		if (strlen(keymap_names[i].name) == len && !strncasecmp(w, keymap_names[i].name, len)) {
			k->value = keymap_names[i].key;
			return 0;
		}
	keymap_unknown_key(w, len, why);
	return -1;
}

void keymap_init(struct keymap *km)
{
	struct strbuf why = STRBUF_INIT;
	size_t a;

	memset(km, 0, sizeof(*km));
	for (a = 0; a < KEYMAP_NACTIONS; a++) {
		const char *p = keymap_actions[a].keys;

		while (*p) {
			size_t n = strcspn(p, " ");

			if (km->nkeys[a] < KEYMAP_MAX_KEYS &&
			    keymap_key_parse(p, n, &km->keys[a][km->nkeys[a]], &why) == 0)
				km->nkeys[a]++;
			p += n;
			p += *p == ' ';
		}
	}
	strbuf_release(&why);
}

/* One "action key" line of the file, kept to tell where a key was given. */
struct keymap_entry {
	int action;
	struct keymap_key key;
	unsigned line, col;
};

struct keymap_parser {
	const char *path;
	struct keymap km;                 /* what the file makes */
	bool given[KEYMAP_NACTIONS];      /* the file gives this action keys */
	struct keymap_entry *entries;
	size_t n, alloc;
	struct strbuf *err;
};

/* "PATH:LINE:COL: " then the message in why. */
static int keymap_fail(struct keymap_parser *p, unsigned line, unsigned col, const struct strbuf *why)
{
	struct strbuf path = STRBUF_INIT;

	text_sanitize(&path, p->path);
	strbuf_addf(p->err, "%s:%u:%u: %s", path.buf, line, col, why->buf);
	strbuf_release(&path);
	return -1;
}

/* The next word of s from *at (blanks skipped); its length, 0 at the end or at '#'. */
static size_t keymap_word(const char *s, size_t len, size_t *at)
{
	size_t i = *at, start;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	*at = start = i;
	if (i < len && s[i] == '#')
		return 0;
	while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
		i++;
	return i - start;
}

/* Gives the key of entry e to its action, unless it is already given. */
static int keymap_give(struct keymap_parser *p, const struct keymap_entry *e, struct strbuf *why)
{
	struct strbuf label = STRBUF_INIT;
	size_t i;
	int r = 0;

	keymap_key_label(&e->key, &label);
	for (i = 0; i < p->n; i++)
		if (keymap_key_eq(&p->entries[i].key, &e->key)) {
			strbuf_addf(why, _("key '%s' is already given to '%s' on line %u"), label.buf,
				    keymap_actions[p->entries[i].action].name, p->entries[i].line);
			r = -1;
			break;
		}
	if (!r && !p->given[e->action]) {
		p->given[e->action] = true;
		p->km.nkeys[e->action] = 0;
	}
	if (!r && p->km.nkeys[e->action] == KEYMAP_MAX_KEYS) {
		strbuf_addf(why, _("more than %d keys for '%s'"), KEYMAP_MAX_KEYS,
			    keymap_actions[e->action].name);
		r = -1;
	}
	if (!r) {
		p->km.keys[e->action][p->km.nkeys[e->action]++] = e->key;
		ALLOC_GROW(p->entries, p->n + 1, p->alloc);
		p->entries[p->n++] = *e;
	}
	strbuf_release(&label);
	return r;
}

/* One line (no '\n'), number line. */
static int keymap_line(struct keymap_parser *p, const char *s, size_t len, unsigned line)
{
	static const char *names[KEYMAP_NACTIONS];
	struct strbuf why = STRBUF_INIT;
	struct keymap_entry e;
	size_t at = 0, n, i;
	int r = -1;

	if (!utf8_valid(s, len, &at)) {
		strbuf_addstr(&why, _("not UTF-8 text"));
		r = keymap_fail(p, line, (unsigned)utf8_count(s, at) + 1, &why);
		strbuf_release(&why);
		return r;
	}
	at = 0;
	if (!(n = keymap_word(s, len, &at)))
		return 0; /* blank or a comment */
	e.line = line;
	e.action = keymap_action_by_name(s + at, n);
	if (e.action < 0) {
		for (i = 0; i < KEYMAP_NACTIONS; i++)
			names[i] = keymap_actions[i].name;
		keymap_say(&why, _("unknown action '%s'"), s + at, n);
		keymap_suggest(s + at, n, names, KEYMAP_NACTIONS, &why);
		e.col = (unsigned)utf8_count(s, at) + 1;
	} else if (at += n, !(n = keymap_word(s, len, &at))) {
		strbuf_addf(&why, _("no key for '%s'"), keymap_actions[e.action].name);
		e.col = (unsigned)utf8_count(s, at) + 1;
	} else if (e.col = (unsigned)utf8_count(s, at) + 1,
		   keymap_key_parse(s + at, n, &e.key, &why) == 0) {
		at += n;
		if ((n = keymap_word(s, len, &at))) {
			keymap_say(&why, _("one key a line: '%s' after the key (a comment starts with '#')"),
				   s + at, n);
			e.col = (unsigned)utf8_count(s, at) + 1;
		} else if (keymap_give(p, &e, &why) == 0) {
			r = 0;
		}
	}
	if (r < 0)
		keymap_fail(p, line, e.col, &why);
	strbuf_release(&why);
	return r;
}

/* A key the file gives that is still the default of an action it leaves alone. */
static int keymap_check_defaults(struct keymap_parser *p, const struct keymap *base)
{
	struct strbuf why = STRBUF_INIT, label = STRBUF_INIT;
	size_t i, a, k;

	for (i = 0; i < p->n; i++)
		for (a = 0; a < KEYMAP_NACTIONS; a++) {
			if (p->given[a])
				continue;
			for (k = 0; k < base->nkeys[a]; k++) {
				if (!keymap_key_eq(&base->keys[a][k], &p->entries[i].key))
					continue;
				keymap_key_label(&p->entries[i].key, &label);
				strbuf_addf(&why, _("key '%s' is still the key of '%s': give '%s' another "
						    "key in this file too"),
					    label.buf, keymap_actions[a].name, keymap_actions[a].name);
				keymap_fail(p, p->entries[i].line, p->entries[i].col, &why);
				strbuf_release(&label);
				strbuf_release(&why);
				return -1;
			}
		}
	return 0;
}

int keymap_parse(struct keymap *km, const char *path, const char *text, size_t len,
		 struct strbuf *err)
{
	struct keymap_parser p;
	size_t at = 0, n;
	unsigned line = 1;
	int r = 0;

	memset(&p, 0, sizeof(p));
	p.path = path;
	p.km = *km;
	p.err = err;
	while (at < len && r == 0) {
		const char *nl = memchr(text + at, '\n', len - at);

		n = nl ? (size_t)(nl - (text + at)) : len - at;
		r = keymap_line(&p, text + at, n, line++);
		at += n + 1;
	}
	if (r == 0)
		r = keymap_check_defaults(&p, km);
	if (r == 0)
		*km = p.km;
	free(p.entries);
	return r;
}

char *keymap_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct strbuf sb = STRBUF_INIT;

	if (xdg && xdg[0] == '/')
		strbuf_addf(&sb, "%s/tamis/keys", xdg);
	else if (home && home[0] == '/')
		strbuf_addf(&sb, "%s/.config/tamis/keys", home);
	else
		return NULL;
	return strbuf_detach(&sb, NULL);
}

int keymap_load(struct keymap *km, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	char *path = keymap_path();
	int r = 0;

	keymap_init(km);
	if (path && (access(path, F_OK) == 0 || errno != ENOENT)) {
		if (file_read(path, KEYMAP_FILE_MAX, &text, &why) < 0) {
			strbuf_addf(err, _("cannot read your key file: %s"), why.buf);
			r = -1;
		} else {
			r = keymap_parse(km, path, text.buf, text.len, err);
		}
	}
	free(path);
	strbuf_release(&text);
	strbuf_release(&why);
	return r;
}
