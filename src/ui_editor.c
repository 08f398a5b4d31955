/*
 * ui_editor.c - one-line editor by character (see ui_editor.h).
 */
#include "ui_editor.h"

#include <curses.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xmalloc.h"

void ui_editor_init(struct ui_editor *ed)
{
	memset(ed, 0, sizeof(*ed));
}

void ui_editor_release(struct ui_editor *ed)
{
	free(ed->buf);
	ui_editor_init(ed);
}

static void ui_editor_insert(struct ui_editor *ed, wchar_t c)
{
	if (ed->len >= UI_EDITOR_MAX)
		return;
	ALLOC_GROW(ed->buf, ed->len + 1, ed->alloc);
	memmove(&ed->buf[ed->cur + 1], &ed->buf[ed->cur], (ed->len - ed->cur) * sizeof(wchar_t));
	ed->buf[ed->cur++] = c;
	ed->len++;
}

static void ui_editor_erase(struct ui_editor *ed, size_t from, size_t to)
{
	if (to <= from || to > ed->len)
		return;
	memmove(&ed->buf[from], &ed->buf[to], (ed->len - to) * sizeof(wchar_t));
	ed->len -= to - from;
	if (ed->cur >= to)
		ed->cur -= to - from;
	else if (ed->cur > from)
		ed->cur = from;
}

void ui_editor_set(struct ui_editor *ed, const char *s)
{
	size_t len = strlen(s), i = 0;

	ed->len = ed->cur = ed->first = 0;
	while (i < len) {
		uint32_t cp;

		i += utf8_next(s + i, len - i, &cp);
		ed->cur = ed->len;
		ui_editor_insert(ed, (wchar_t)cp);
	}
	ed->cur = ed->len;
}

void ui_editor_text(const struct ui_editor *ed, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < ed->len; i++)
		utf8_encode(out, (uint32_t)ed->buf[i]);
}

enum ui_editor_result ui_editor_event(struct ui_editor *ed, const struct ui_event *ev)
{
	if (ev->kind == EV_CHAR) {
		wchar_t c = ev->ch;

		/* A pasted line break or tab joins the lines with a space. */
		if (c == L'\n' || c == L'\r' || c == L'\t')
			c = L' ';
		if (text_cp_unsafe((uint32_t)c) || (uint32_t)c > 0x10FFFF ||
		    ((uint32_t)c >= 0xD800 && (uint32_t)c <= 0xDFFF))
			return EDITOR_CONTINUE;
		ui_editor_insert(ed, c);
		return EDITOR_CONTINUE;
	}
	if (ev->kind != EV_KEY || ev->pasted)
		return EDITOR_CONTINUE;
	switch (ev->key) {
	case KEY_ENTER:
		return EDITOR_DONE;
	case UI_KEY_ESC:
		return EDITOR_CANCEL;
	case KEY_LEFT:
		if (ed->cur > 0)
			ed->cur--;
		break;
	case KEY_RIGHT:
		if (ed->cur < ed->len)
			ed->cur++;
		break;
	case KEY_HOME:
	case UI_KEY_CTRL('a'):
		ed->cur = 0;
		break;
	case KEY_END:
	case UI_KEY_CTRL('e'):
		ed->cur = ed->len;
		break;
	case KEY_BACKSPACE:
		if (ed->cur > 0)
			ui_editor_erase(ed, ed->cur - 1, ed->cur);
		break;
	case KEY_DC:
	case UI_KEY_CTRL('d'):
		if (ed->cur < ed->len)
			ui_editor_erase(ed, ed->cur, ed->cur + 1);
		break;
	case UI_KEY_CTRL('u'):
		ui_editor_erase(ed, 0, ed->cur);
		break;
	case UI_KEY_CTRL('k'):
		ui_editor_erase(ed, ed->cur, ed->len);
		break;
	default:
		break;
	}
	return EDITOR_CONTINUE;
}

/* The character at i as safe UTF-8 (an escape for an unsafe one); its width. */
static int ui_editor_glyph(const struct ui_editor *ed, size_t i, struct strbuf *out)
{
	struct strbuf raw = STRBUF_INIT;
	size_t start = out->len;
	int w;

	utf8_encode(&raw, (uint32_t)ed->buf[i]);
	text_sanitize(out, raw.buf);
	w = text_width(out->buf + start);
	strbuf_release(&raw);
	return w;
}

int ui_editor_draw(struct ui_editor *ed, int y, int x, int w, int attr)
{
	struct strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT;
	int used = 0, cursor_col = x, width;
	size_t i;

	if (w < 1)
		return x;
	if (ed->cur < ed->first)
		ed->first = ed->cur;
	/* Scroll right until the cursor (and one column for it) fits. */
	for (;;) {
		used = 0;
		for (i = ed->first; i < ed->cur; i++) {
			strbuf_reset(&tmp);
			used += ui_editor_glyph(ed, i, &tmp);
		}
		if (used + 1 <= w || ed->first >= ed->cur)
			break;
		ed->first++;
	}
	used = 0;
	for (i = ed->first; i < ed->len; i++) {
		size_t before = sb.len;

		if (i == ed->cur)
			cursor_col = x + used;
		width = ui_editor_glyph(ed, i, &sb);
		if (used + width > w) {
			strbuf_setlen(&sb, before);
			break;
		}
		used += width;
	}
	if (ed->cur >= i && ed->cur == ed->len)
		cursor_col = x + used;
	strbuf_addchars(&sb, ' ', (size_t)(w - used));
	attron(attr);
	mvaddstr(y, x, sb.buf);
	attroff(attr);
	strbuf_release(&sb);
	strbuf_release(&tmp);
	if (cursor_col >= x + w)
		cursor_col = x + w - 1;
	return cursor_col;
}
