/*
 * import.h - bringing a list of ideas into a board ("tamis import").
 *
 * Pure: no file I/O. The caller reads the file and hands over its bytes; the
 * ideas become cards through the model API (board.h).
 *
 * The input is UTF-8, with or without a byte order mark, with LF, CRLF (or
 * lone CR) line ends. It is one of two formats, told apart by its first
 * non-blank line:
 *
 * CSV - the first non-blank line, split as a CSV record on ',' or on ';',
 *   holds a field named "text" (or "texte"). That line is the header; the
 *   separator is the one that split it so (',' when both do). Other column
 *   names recognised: "theme" ("thème"), and "by" ("par", "author",
 *   "auteur"); any other column is ignored. Header names are compared
 *   ignoring case, accents and surrounding spaces. Records follow RFC 4180:
 *   a field may be double-quoted, and then holds separators, line breaks
 *   (kept in the text as LF) and quotes written twice (""). Spaces before an
 *   opening quote are allowed. A quote inside an unquoted field is taken
 *   literally. A record may have fewer fields than the header (the missing
 *   ones are empty) but not more non-empty ones. Records whose fields are all
 *   blank are skipped. The text and theme are taken as written (no prefix
 *   rule); an empty theme or by takes the default from import_options.
 *   A first line that splits into two or more fields, each a single word,
 *   one of them naming a "theme" or "by" column but none a "text" column
 *   ("idea,theme,by") is an error (a CSV missing its text column), not a
 *   one-idea text file.
 *
 * Text - anything else: one idea per line, blank lines skipped, spaces
 *   trimmed. A line "P: T" or, the French way, "P : T" (first ':' of the
 *   line) is read as the idea T in theme P when all of:
 *     - the ':' is followed by a space (or tab, or no-break space) or ends
 *       the line, so "http://x" or "10:30" never split;
 *     - P, trimmed (of spaces and no-break spaces), either names a theme of
 *       the board (its id or its label, ignoring case, accents and repeated
 *       spaces), or looks like a new theme name: 1 to
 *       IMPORT_THEME_PREFIX_MAX characters (marks such as a combining
 *       accent not counted), at most IMPORT_THEME_PREFIX_WORDS words, made
 *       of letters of any script (Unicode's categories L and M), spaces,
 *       apostrophes, hyphens, '&' and '/' only (no digits, no other
 *       punctuation).
 *   So "Aide : démarches en ligne" is the idea "démarches en ligne" in theme
 *   "Aide", while "Rappel du 12/06: …" or "Ex. : …" stay whole ideas. Only
 *   the first ':' is looked at: "Note: à 10:30 le matin" is "à 10:30 le
 *   matin" in theme "Note". A line whose prefix qualifies but has nothing
 *   after the ':' is skipped (IMPORT_SKIP_NO_TEXT).
 *
 * Themes: a theme named by a prefix or the CSV theme column is the board's
 * theme whose id is exactly that, else the first whose id or label matches
 * ignoring case, accents and repeated spaces. An unknown theme is created:
 * label as written; id the ASCII slug of the label (lowercase, accents
 * stripped, any run of other characters turned into '-', "theme" when
 * nothing is left), made unique with "-2", "-3"...; colour the first of red,
 * green, yellow, blue, magenta, cyan, white used by no theme, or when all are
 * used the least used one (black is never picked). Ideas with no theme go to
 * import_options.theme.
 *
 * Duplicates: an idea whose text is already on the board, or came earlier in
 * the same input, is skipped and reported. Texts are compared after trimming
 * and collapsing runs of spaces, in Unicode's composed form (NFC: an 'é'
 * typed as one code point or pasted as 'e' and a combining accent is the
 * same), ignoring case (Unicode's full case folding: "STRASSE" is
 * "Straße"); accents count. The card keeps the text as it was written.
 *
 * New cards are appended to the board in input order, each with a fresh
 * random UUID unique on the board, created = import_options.now, by = the
 * CSV by column or else import_options.by, decision undecided, unplaced on
 * every grid, and an EVENT_CREATED history entry at that time by that same
 * author.
 *
 * Errors (invalid UTF-8, NUL bytes, UTF-16 input, a malformed CSV record, a
 * missing or duplicate column) fail the whole import before the board is
 * touched: all or nothing. Each one is recorded with its line and column
 * (1-based, the column counted in characters, the BOM not counted) in a
 * struct store_errors (store_errors.h), so the CLI prints e.g.
 * "ideas.csv:12:5: unterminated quoted field".
 */
#ifndef TAMIS_IMPORT_H
#define TAMIS_IMPORT_H

#include <stddef.h>
#include <time.h>

#include "board.h"
#include "op.h"
#include "store_errors.h"
#include "strbuf.h"

#define IMPORT_THEME_PREFIX_MAX 32  /* characters in a new theme's prefix */
#define IMPORT_THEME_PREFIX_WORDS 3 /* words in a new theme's prefix */

enum import_format {
	IMPORT_FORMAT_TEXT,
	IMPORT_FORMAT_CSV,
};

struct import_options {
	const char *by;   /* author of ideas without a CSV by; NULL: unknown */
	time_t now;       /* the new cards' creation time */
	/*
	 * Theme index for ideas that name none; -1: the board's first theme, or
	 * when the board has none a new theme labelled _("Unsorted").
	 */
	int theme;
	/* When not NULL, every change is recorded there as an operation (op.h). */
	struct op_list *ops;
};

enum import_skip_reason {
	IMPORT_SKIP_ON_BOARD,     /* the text is already on the board */
	IMPORT_SKIP_IN_FILE,      /* the text came earlier in the input (.earlier) */
	IMPORT_SKIP_NO_TEXT,      /* an empty text with a theme or by */
	IMPORT_SKIP_TOO_LONG,     /* text, theme or by over STORE_MAX_SCALAR bytes */
	IMPORT_SKIP_CONTROL,      /* a theme or by holding control characters */
	IMPORT_SKIP_TOO_MANY_THEMES, /* its new theme would pass STORE_MAX_THEMES */
};

/* One idea that was not added. */
struct import_skip {
	int line;                 /* where the idea starts, 1-based */
	enum import_skip_reason reason;
	int earlier;              /* IMPORT_SKIP_IN_FILE: line of the first one */
	char *text;               /* the idea's text (owned; may be empty) */
};

struct import_result {
	enum import_format format;  /* as detected */
	size_t added;               /* cards appended: b->cards[first_card...] */
	size_t first_card;
	size_t skipped_duplicate;   /* IMPORT_SKIP_ON_BOARD and IMPORT_SKIP_IN_FILE */
	size_t skipped_other;       /* every other reason */
	struct import_skip *skips;  /* in input order */
	size_t nskips, skips_alloc;
	size_t *new_themes;         /* indices of the themes created, in order */
	size_t nnew_themes, new_themes_alloc;
};

void import_result_init(struct import_result *r);
void import_result_release(struct import_result *r);

/*
 * Adds the ideas in data[0..len) to b (see the rules above), each theme and
 * card made by an operation (op_new_theme(), op_new_card()) applied to b
 * and recorded in opt->ops when it is set. Returns 0 and
 * fills res (which the caller has initialised; it is reset first), or -1
 * with every problem found appended to err (initialised by the caller with
 * the file name) and b left untouched. Never reads files; safe on any bytes.
 */
int import_ideas(struct board *b, const char *data, size_t len,
		 const struct import_options *opt, struct import_result *res,
		 struct store_errors *err);

/*
 * Appends the translated report of an import for the user, e.g.
 *   added 12 cards, skipped 2
 *   created theme 'Aide' (aide, yellow)
 *   ideas.txt:4: already on the board ('Crèche d'entreprise')
 *   ideas.txt:9: same text as line 3 ('Navette')
 * one line each, texts sanitized for a terminal and cut to 40 columns.
 * file may be NULL ("line 4: ..." then).
 */
void import_result_format(const struct board *b, const struct import_result *r,
			  const char *file, struct strbuf *out);

/* The translated reason of one skip, without line or text ("already on the board"). */
const char *import_skip_reason_text(enum import_skip_reason reason);

/*
 * Appends the comparison key of a text for duplicates: trimmed, runs of
 * spaces collapsed to one ' ', in NFC and case folded (the rule above).
 * Two texts are duplicates when their keys are equal.
 */
void import_text_key(struct strbuf *out, const char *text);

/*
 * The index of b's first card whose text is text's duplicate (the rule
 * above), or -1: what "tamis add" checks before adding a card.
 */
long import_find_text(const struct board *b, const char *text);

/*
 * Appends a theme id made from label (the slug rule above), unique on b.
 * Never fails: the result always satisfies board_id_valid().
 */
void import_theme_slug(const struct board *b, const char *label, struct strbuf *out);

/* The colour a new theme of b gets (the rule above). */
enum hue import_next_hue(const struct board *b);

#endif
