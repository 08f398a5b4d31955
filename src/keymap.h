/*
 * keymap.h - the keys of one's own: which key does what on the board.
 *
 * Each action has a name and default keys (KEYMAP_ACTIONS below, as
 * docs/UI.md and tamis(1) list them). A key file,
 * $XDG_CONFIG_HOME/tamis/keys (or ~/.config/tamis/keys), gives actions
 * other keys, one "ACTION KEY" a line:
 *
 *   # my keys
 *   help F1
 *   quit q
 *   quit Ctrl-X          several lines: several keys for one action
 *
 * The keys a file gives an action replace its defaults (help F2: '?' no
 * longer opens the help). A key names a printable character (UTF-8: 'é',
 * '?'), F1 to F12, Enter, Tab, Shift-Tab, Space, Esc, Up, Down, Left, Right,
 * PageUp, PageDown, Home, End, Backspace, Delete (names in any case), or
 * Ctrl-A to Ctrl-Z. Refused, with the file, line and column: an unknown
 * action or key name, a line with no key or more than a key, a key given to
 * two actions (in the file, or a key the file gives that is still another
 * action's default: give that action another key too), more than
 * KEYMAP_MAX_KEYS keys for an action, the digits 1 to 9 (they show grid N),
 * and Ctrl keys a terminal keeps (Ctrl-C, Ctrl-Z, Ctrl-S, Ctrl-Q) or sends
 * as another key (Ctrl-H Backspace, Ctrl-I Tab, Ctrl-J and Ctrl-M Enter).
 *
 * No curses and no terminal: the UI (ui_keys.c) turns its events into a
 * struct keymap_key and asks keymap_find().
 */
#ifndef TAMIS_KEYMAP_H
#define TAMIS_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* X(ID, name, default keys separated by spaces) */
#define KEYMAP_ACTIONS(X)                                 \
	X(MOVE_LEFT, "move-left", "Left h")               \
	X(MOVE_DOWN, "move-down", "Down j")               \
	X(MOVE_UP, "move-up", "Up k")                     \
	X(MOVE_RIGHT, "move-right", "Right l")            \
	X(PICK_UP, "pick-up", "Enter Space")              \
	X(NEXT_GRID, "next-grid", "Tab")                  \
	X(PREVIOUS_GRID, "previous-grid", "Shift-Tab")    \
	X(ADD, "add", "a")                                \
	X(EDIT, "edit", "e")                              \
	X(THEME, "theme", "t")                            \
	X(DELETE, "delete", "x")                          \
	X(DETAILS, "details", "i")                        \
	X(UNDO, "undo", "u")                              \
	X(REDO, "redo", "Ctrl-R")                         \
	X(SEARCH, "search", "/")                          \
	X(NEXT_MATCH, "next-match", "n")                  \
	X(PREVIOUS_MATCH, "previous-match", "N")          \
	X(CLEAR_SEARCH, "clear-search", "Esc")            \
	X(NEXT_DEBATED, "next-debated", "d")              \
	X(MY_CARDS, "my-cards", "m")                      \
	X(SIEVE, "sieve", "s")                            \
	X(REPORT, "report", "R")                          \
	X(LIST, "list", "=")                              \
	X(WHO, "who", "w")                                \
	X(CHANGES, "changes", "!")                        \
	X(HELP, "help", "?")                              \
	X(QUIT, "quit", "q")                              \
	X(LOCK, "lock", "L")                              \
	X(DECIDE, "decide", "v")                          \
	X(ZONES, "zones", "z")                            \
	X(FRAME, "frame", "F")

#define KEYMAP_ENUM(id, name, keys) KEYMAP_##id,
enum keymap_action { KEYMAP_ACTIONS(KEYMAP_ENUM) KEYMAP_NACTIONS };
#undef KEYMAP_ENUM

enum keymap_key_kind {
	KEYMAP_CHAR,  /* value: a printable character's code point (' ' for Space) */
	KEYMAP_CTRL,  /* value: the control code, 1 (Ctrl-A) to 26 (Ctrl-Z) */
	KEYMAP_NAMED, /* value: an enum keymap_named */
};

enum keymap_named {
	KEYMAP_KEY_F1 = 1, /* F1 to F12: 1 to 12 */
	KEYMAP_KEY_ENTER = 13,
	KEYMAP_KEY_TAB,
	KEYMAP_KEY_SHIFT_TAB,
	KEYMAP_KEY_ESC,
	KEYMAP_KEY_UP,
	KEYMAP_KEY_DOWN,
	KEYMAP_KEY_LEFT,
	KEYMAP_KEY_RIGHT,
	KEYMAP_KEY_PAGE_UP,
	KEYMAP_KEY_PAGE_DOWN,
	KEYMAP_KEY_HOME,
	KEYMAP_KEY_END,
	KEYMAP_KEY_BACKSPACE,
	KEYMAP_KEY_DELETE,
};

struct keymap_key {
	enum keymap_key_kind kind;
	uint32_t value;
};

#define KEYMAP_MAX_KEYS 4

/* The keys in effect: for each action, 1 to KEYMAP_MAX_KEYS keys. */
struct keymap {
	struct keymap_key keys[KEYMAP_NACTIONS][KEYMAP_MAX_KEYS];
	unsigned nkeys[KEYMAP_NACTIONS];
};

/* The defaults. */
void keymap_init(struct keymap *km);
/*
 * Applies the key file's text (len bytes) to km (from keymap_init()).
 * Returns 0, or -1 with "PATH:LINE:COLUMN: what is wrong" appended to err
 * (the column counts characters from 1) and km left as it was.
 */
int keymap_parse(struct keymap *km, const char *path, const char *text, size_t len,
		 struct strbuf *err);
/*
 * The defaults, then the key file if there is one (none, or neither
 * XDG_CONFIG_HOME nor HOME set: the defaults). Returns 0, or -1 with the
 * reason in err, as keymap_parse() says it or the file could not be read.
 */
int keymap_load(struct keymap *km, struct strbuf *err);
/* The key file's path (caller frees), or NULL when no directory is known. */
char *keymap_path(void);

/* The action whose key k is, or -1. */
int keymap_find(const struct keymap *km, const struct keymap_key *k);
/* The action's name in key files ("move-left"). */
const char *keymap_action_name(enum keymap_action a);
/* The action named name[0..len), or -1. */
int keymap_action_by_name(const char *name, size_t len);
/* Appends the key as the screen shows it: "←", "Enter", "Ctrl-R", "F1", "é". */
void keymap_key_label(const struct keymap_key *k, struct strbuf *out);

#endif
