/*
 * ui_editor.h - the one-line text editor of the terminal board (card text,
 * search, prompts). It edits by character, never by byte: the text is an
 * array of code points, the cursor an index into it, and what is shown is cut
 * by display columns (wide characters and emoji never split).
 *
 * It takes what the file format takes: at most UI_EDITOR_MAX bytes of UTF-8,
 * the format's limit for one text (STORE_MAX_SCALAR), never cut silently.
 * Input that would go past it is refused: a typed character at the limit, or
 * a whole paste (nothing of it is inserted); ui_editor_refusal() then says
 * why, for the message line.
 *
 * The editing and the view (ui_editor_view()) need no terminal: the curses
 * header gives the key codes only, and the screen calls are the caller's.
 */
#ifndef TAMIS_UI_EDITOR_H
#define TAMIS_UI_EDITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "store.h"
#include "strbuf.h"
#include "ui_input.h"

#define UI_EDITOR_MAX STORE_MAX_SCALAR /* bytes of UTF-8 in the text */

enum ui_editor_refused {
	EDITOR_TOOK_ALL,    /* nothing was refused */
	EDITOR_FULL,        /* a character typed at the limit */
	EDITOR_PASTE_LONG,  /* a paste that would go past the limit */
};

struct ui_editor {
	wchar_t *buf;
	size_t len, alloc;
	size_t bytes;    /* the text's length in UTF-8 (<= UI_EDITOR_MAX) */
	size_t cur;      /* cursor: 0..len */
	size_t first;    /* first character shown */
	enum ui_editor_refused refused; /* by the last event, until asked */
};

enum ui_editor_result {
	EDITOR_CONTINUE, /* the key was used (or ignored, or refused) */
	EDITOR_DONE,     /* Enter */
	EDITOR_CANCEL,   /* Esc */
};

/* An empty editor; a zeroed struct ui_editor is one too (a screen's zeroed state). */
void ui_editor_init(struct ui_editor *ed);
void ui_editor_release(struct ui_editor *ed);
/*
 * Replaces the content with the UTF-8 text s, cursor at the end. Text past
 * UI_EDITOR_MAX bytes is left out (a board's texts never are that long).
 */
void ui_editor_set(struct ui_editor *ed, const char *s);
/* Appends the content as UTF-8 to out. */
void ui_editor_text(const struct ui_editor *ed, struct strbuf *out);

/*
 * Applies one event: printable characters are inserted, and a paste
 * (EV_PASTE) all at once (line breaks and tabs become spaces, control
 * characters are left out) or not at all; Left/Right/Home/End/Ctrl-A/Ctrl-E
 * move, Backspace and Delete erase, Ctrl-U/Ctrl-K erase to the start/end,
 * Enter ends and Esc cancels.
 */
enum ui_editor_result ui_editor_event(struct ui_editor *ed, const struct ui_event *ev);

/*
 * When the input of the last events was refused, appends why (translated,
 * one line for the message line) to out, forgets it and returns true;
 * otherwise returns false.
 */
bool ui_editor_refusal(struct ui_editor *ed, struct strbuf *out);

/*
 * The text as shown in w columns (w >= 1), scrolled so the cursor is visible
 * (which updates ed->first): sanitized, cut by display columns and padded
 * with spaces to exactly w columns, appended to line. Returns the cursor's
 * column, 0..w-1.
 */
int ui_editor_view(struct ui_editor *ed, int w, struct strbuf *line);

#endif
