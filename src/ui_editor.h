/*
 * ui_editor.h - the one-line text editor of the terminal board (card text,
 * search). It edits by character, never by byte: the text is an array of
 * code points, the cursor an index into it, and what is drawn is cut by
 * display columns (wide characters and emoji never split).
 */
#ifndef TAMIS_UI_EDITOR_H
#define TAMIS_UI_EDITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "strbuf.h"
#include "ui_input.h"

#define UI_EDITOR_MAX 4000 /* characters in one card's text */

struct ui_editor {
	wchar_t *buf;
	size_t len, alloc;
	size_t cur;      /* cursor: 0..len */
	size_t first;    /* first character shown */
};

enum ui_editor_result {
	EDITOR_CONTINUE, /* the key was used (or ignored) */
	EDITOR_DONE,     /* Enter */
	EDITOR_CANCEL,   /* Esc */
};

void ui_editor_init(struct ui_editor *ed);
void ui_editor_release(struct ui_editor *ed);
/* Replaces the content with the UTF-8 text s, cursor at the end. */
void ui_editor_set(struct ui_editor *ed, const char *s);
/* Appends the content as UTF-8 to out. */
void ui_editor_text(const struct ui_editor *ed, struct strbuf *out);

/*
 * Applies one event: printable characters are inserted (pasted line breaks
 * and tabs become spaces), Left/Right/Home/End/Ctrl-A/Ctrl-E move, Backspace
 * and Delete erase, Ctrl-U/Ctrl-K erase to the start/end, Enter ends and Esc
 * cancels.
 */
enum ui_editor_result ui_editor_event(struct ui_editor *ed, const struct ui_event *ev);

/*
 * Draws the text in w columns at (y, x) with attribute attr, scrolled so the
 * cursor is visible, and returns the cursor's screen column.
 */
int ui_editor_draw(struct ui_editor *ed, int y, int x, int w, int attr);

#endif
