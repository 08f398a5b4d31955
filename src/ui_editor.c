/*
 * ui_editor.c - one-line editor by character (see ui_editor.h).
 */
#include "ui_editor.h"

#include <curses.h> /* the KEY_* codes only */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
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

/* Bytes of cp in UTF-8 (as utf8_encode() writes it). */
static size_t ui_editor_cp_bytes(uint32_t cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/*
 * Inserts the n characters c[], bytes long in UTF-8, at the cursor; false
 * (and nothing done) when they would not fit.
 */
static bool ui_editor_insert_n(struct ui_editor *ed, const wchar_t *c, size_t n, size_t bytes)
{
	if (bytes > UI_EDITOR_MAX - ed->bytes)
		return false;
	ALLOC_GROW(ed->buf, ed->len + n, ed->alloc);
	memmove(&ed->buf[ed->cur + n], &ed->buf[ed->cur], (ed->len - ed->cur) * sizeof(wchar_t));
	memcpy(&ed->buf[ed->cur], c, n * sizeof(wchar_t));
	ed->cur += n;
	ed->len += n;
	ed->bytes += bytes;
	return true;
}

static bool ui_editor_insert(struct ui_editor *ed, wchar_t c)
{
	return ui_editor_insert_n(ed, &c, 1, ui_editor_cp_bytes((uint32_t)c));
}

static void ui_editor_erase(struct ui_editor *ed, size_t from, size_t to)
{
	size_t i;

	if (to <= from || to > ed->len)
		return;
	for (i = from; i < to; i++)
		ed->bytes -= ui_editor_cp_bytes((uint32_t)ed->buf[i]);
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

	ed->len = ed->cur = ed->first = ed->bytes = 0;
	ed->refused = EDITOR_TOOK_ALL;
	while (i < len) {
		uint32_t cp;

		i += utf8_next(s + i, len - i, &cp);
		if (!ui_editor_insert(ed, (wchar_t)cp))
			break;
	}
}

void ui_editor_text(const struct ui_editor *ed, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < ed->len; i++)
		utf8_encode(out, (uint32_t)ed->buf[i]);
}

/*
 * What a typed or pasted character becomes in the text: a line break or a
 * tab joins with a space; 0 for what is left out (control characters,
 * escapes, bidi controls, what is not a Unicode scalar value).
 */
static uint32_t ui_editor_accept(uint32_t c)
{
	if (c == '\n' || c == '\r' || c == '\t')
		return ' ';
	if (text_cp_unsafe(c) || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return c;
}

/* Inserts the whole paste at the cursor, or nothing of it when it would not fit. */
static void ui_editor_paste(struct ui_editor *ed, const struct ui_event *ev)
{
	const char *s = ev->arg.buf;
	size_t len = ev->arg.len, i = 0, n = 0, bytes = 0;
	wchar_t *c = xmalloc((len + 1) * sizeof(*c)); /* never more characters than bytes */
	uint32_t cp;

	while (i < len) {
		i += utf8_next(s + i, len - i, &cp);
		if ((cp = ui_editor_accept(cp))) {
			c[n++] = (wchar_t)cp;
			bytes += ui_editor_cp_bytes(cp);
		}
	}
	if (ev->cut || !ui_editor_insert_n(ed, c, n, bytes))
		ed->refused = EDITOR_PASTE_LONG;
	free(c);
}

enum ui_editor_result ui_editor_event(struct ui_editor *ed, const struct ui_event *ev)
{
	uint32_t c;

	if (ev->kind == EV_PASTE) {
		ui_editor_paste(ed, ev);
		return EDITOR_CONTINUE;
	}
	if (ev->kind == EV_CHAR) {
		if ((c = ui_editor_accept((uint32_t)ev->ch)) && !ui_editor_insert(ed, (wchar_t)c))
			ed->refused = EDITOR_FULL;
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

bool ui_editor_refusal(struct ui_editor *ed, struct strbuf *out)
{
	switch (ed->refused) {
	case EDITOR_TOOK_ALL:
		return false;
	case EDITOR_FULL:
		strbuf_addf(out, _("the text is full: %u bytes at most (as the board file takes)"),
			    UI_EDITOR_MAX);
		break;
	case EDITOR_PASTE_LONG:
		strbuf_addf(out, _("paste refused: the text would pass %u bytes (nothing pasted)"),
			    UI_EDITOR_MAX);
		break;
	}
	ed->refused = EDITOR_TOOK_ALL;
	return true;
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

int ui_editor_view(struct ui_editor *ed, int w, struct strbuf *line)
{
	struct strbuf tmp = STRBUF_INIT;
	int used = 0, cursor_col = 0, width;
	size_t i;

	if (w < 1)
		return 0;
	if (ed->cur < ed->first)
		ed->first = ed->cur;
	/*
	 * Scroll right until the cursor (and one column for it) fits: walk back
	 * from the cursor, never over the whole text (65,536 bytes of it).
	 */
	for (i = ed->cur; i > ed->first; i--) {
		strbuf_reset(&tmp);
		width = ui_editor_glyph(ed, i - 1, &tmp);
		if (used + width + 1 > w)
			break;
		used += width;
	}
	ed->first = i;
	used = 0;
	for (i = ed->first; i < ed->len; i++) {
		size_t before = line->len;

		if (i == ed->cur)
			cursor_col = used;
		width = ui_editor_glyph(ed, i, line);
		if (used + width > w) {
			strbuf_setlen(line, before);
			break;
		}
		used += width;
	}
	if (ed->cur >= i && ed->cur == ed->len)
		cursor_col = used;
	strbuf_addchars(line, ' ', (size_t)(w - used));
	strbuf_release(&tmp);
	if (cursor_col >= w)
		cursor_col = w - 1;
	return cursor_col;
}
