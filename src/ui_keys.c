/*
 * ui_keys.c - the keys in effect, between curses' key codes and the
 * actions of keymap.h (see ui_keys.h).
 */
#include "ui_keys.h"

#include <curses.h>
#include <string.h>

static struct keymap ui_keys_map;
static bool ui_keys_ready;

static const struct keymap *ui_keys_get(void)
{
	if (!ui_keys_ready) {
		keymap_init(&ui_keys_map);
		ui_keys_ready = true;
	}
	return &ui_keys_map;
}

void ui_keys_set(const struct keymap *km)
{
	ui_keys_map = *km;
	ui_keys_ready = true;
}

static const struct {
	int code;
	enum keymap_named key;
} ui_keys_named[] = {
	{ KEY_ENTER, KEYMAP_KEY_ENTER },     { UI_KEY_TAB, KEYMAP_KEY_TAB },
	{ KEY_BTAB, KEYMAP_KEY_SHIFT_TAB },  { UI_KEY_ESC, KEYMAP_KEY_ESC },
	{ KEY_UP, KEYMAP_KEY_UP },           { KEY_DOWN, KEYMAP_KEY_DOWN },
	{ KEY_LEFT, KEYMAP_KEY_LEFT },       { KEY_RIGHT, KEYMAP_KEY_RIGHT },
	{ KEY_PPAGE, KEYMAP_KEY_PAGE_UP },   { KEY_NPAGE, KEYMAP_KEY_PAGE_DOWN },
	{ KEY_HOME, KEYMAP_KEY_HOME },       { KEY_END, KEYMAP_KEY_END },
	{ KEY_BACKSPACE, KEYMAP_KEY_BACKSPACE }, { KEY_DC, KEYMAP_KEY_DELETE },
};

/* The key of a typed event; false for anything else. */
static bool ui_keys_of(const struct ui_event *ev, struct keymap_key *k)
{
	size_t i;

	if (ev->kind == EV_CHAR && !ev->pasted) {
		k->kind = KEYMAP_CHAR;
		k->value = (uint32_t)ev->ch;
		return true;
	}
	if (ev->kind != EV_KEY || ev->pasted)
		return false;
	k->kind = KEYMAP_NAMED;
	for (i = 0; i < sizeof(ui_keys_named) / sizeof(ui_keys_named[0]); i++)
		if (ui_keys_named[i].code == ev->key) {
			k->value = ui_keys_named[i].key;
			return true;
		}
	if (ev->key >= KEY_F(1) && ev->key <= KEY_F(12)) {
		k->value = (uint32_t)(ev->key - KEY_F(0));
		return true;
	}
	if (ev->key >= 1 && ev->key <= 26) {
		k->kind = KEYMAP_CTRL;
		k->value = (uint32_t)ev->key;
		return true;
	}
	return false;
}

int ui_keys_action(const struct ui_event *ev)
{
	struct keymap_key k;

	return ui_keys_of(ev, &k) ? keymap_find(ui_keys_get(), &k) : -1;
}

bool ui_keys_is(const struct ui_event *ev, enum keymap_action a)
{
	return ui_keys_action(ev) == (int)a;
}

/* True for a label that is one arrow: arrows side by side read as one. */
static bool ui_keys_arrow(const char *label)
{
	return !strcmp(label, "←") || !strcmp(label, "↓") || !strcmp(label, "↑") ||
	       !strcmp(label, "→");
}

/* The keys of actions acts[0..n): first ones only when first_only. */
static void ui_keys_group(const int *acts, size_t n, bool first_only, struct strbuf *out)
{
	const struct keymap *km = ui_keys_get();
	struct strbuf label = STRBUF_INIT;
	unsigned layer, most = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (km->nkeys[acts[i]] > most)
			most = km->nkeys[acts[i]];
	for (layer = 0; layer < (first_only ? 1 : most); layer++) {
		bool arrows = true, any = false;

		for (i = 0; i < n; i++) {
			strbuf_reset(&label);
			if (layer < km->nkeys[acts[i]])
				keymap_key_label(&km->keys[acts[i]][layer], &label);
			arrows = arrows && ui_keys_arrow(label.buf);
		}
		for (i = 0; i < n; i++) {
			if (layer >= km->nkeys[acts[i]])
				continue;
			if (out->len && out->buf[out->len - 1] != ' ' && (any ? !arrows : true))
				strbuf_addch(out, ' ');
			keymap_key_label(&km->keys[acts[i]][layer], out);
			any = true;
		}
	}
	strbuf_release(&label);
}

/* One {a|b...[:1]} of a template, its braces left out: false when it names no action. */
static bool ui_keys_expand1(const char *s, size_t len, struct strbuf *out)
{
	int acts[KEYMAP_NACTIONS];
	bool first_only = len > 2 && !memcmp(s + len - 2, ":1", 2);
	size_t n = 0, w;

	if (first_only)
		len -= 2;
	while (len && n < KEYMAP_NACTIONS) {
		w = strcspn(s, "|");
		if (w > len)
			w = len;
		if ((acts[n] = keymap_action_by_name(s, w)) < 0)
			return false;
		n++;
		s += w;
		len -= w;
		if (len) {
			s++;
			len--;
		}
	}
	ui_keys_group(acts, n, first_only, out);
	return n > 0;
}

void ui_keys_expand(const char *tmpl, struct strbuf *out)
{
	const char *p = tmpl, *open, *close;
	size_t mark;

	while ((open = strchr(p, '{')) && (close = strchr(open, '}'))) {
		strbuf_add(out, p, (size_t)(open - p));
		mark = out->len;
		/* Keys follow what is before them directly, e.g. an indent. */
		if (!ui_keys_expand1(open + 1, (size_t)(close - open - 1), out)) {
			strbuf_setlen(out, mark);
			strbuf_add(out, open, (size_t)(close - open + 1));
		}
		p = close + 1;
	}
	strbuf_addstr(out, p);
}
