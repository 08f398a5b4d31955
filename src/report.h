/*
 * report.h - the workshop's deliverable ("tamis report"), in Markdown or CSV.
 *
 * Pure: no I/O. The report is formatted into a strbuf; the caller writes it.
 * Headings and labels go through _() so a catalog can translate them; the CSV
 * header and its values (decision, list names) stay untranslated, for
 * programs.
 *
 * The lists. Every card of the board is in exactly one (report_card_list()):
 *   1. V1 list: decided v1, then the candidates: undecided cards that are not
 *      debated and lie in the easiest-to-launch zone of a strict majority of
 *      the grids (hits * 2 > ngrids);
 *   2. V2 recommendations notebook: decided v2, grouped by theme;
 *   3. Elsewhere (other actors): decided elsewhere;
 *   4. Debated cards: undecided and card_is_debated(), with their moves;
 *   5. Unplaced cards: undecided, placed on no grid;
 *   6. Still to decide: every other undecided card.
 * Within a list (and a theme) cards come in sieve order (board_sieve()).
 *
 * Markdown, in order: the title; the date (now, UTC, YYYY-MM-DD); the
 * board's description; the criteria with their easier pole; each grid as a
 * table, the high pole of y on the top row and the low pole of x in the left
 * column, each cell listing its cards (text cut to REPORT_CELL_WIDTH columns,
 * with decision, debated and locked marks), cells of the easiest-to-launch
 * zone marked with a star and facilitator zones named; the decision log
 * (once the board lists facilitator keys or an entry is signed, with a
 * Signature column: "verified (key FINGERPRINT)", "**unverified**: why" or
 * "not signed", sign.h; on a board listing no key, a line saying that its
 * decisions are not signed), then the facilitator keys (name, fingerprint,
 * when added) when there are some; then the six lists, each card with its
 * theme, short id, marks (candidate, debated, locked, unverified decision),
 * note and the rationale of its decision; debated cards with their move
 * history.
 * Text from the board (card texts, titles, labels, names, notes...) cannot
 * break the document: line breaks and tabs become spaces, control and bidi
 * characters are made visible by text_sanitize() (an ESC shows as "\e"), and
 * Markdown punctuation is backslash-escaped: \ ` * _ { } [ ] < > # | ~ & $ ^ @
 * everywhere, and where a text starts a block also a leading - + = : and the
 * '.' or ')' after leading digits (list markers). "| x |", "# Title",
 * "<script>", "[a](b)" all render as the literal text.
 *
 * CSV (RFC 4180): a header row, then one row per card in sieve order, each
 * line ended by CRLF. Columns: id, short_id, text, theme, theme_label, by,
 * created, decision, locked, debated, pair, note, list, rank, hits, then
 * "grid:ID" per grid (the cell as "X,Y", empty when unplaced), then
 * rationale (of the card's last entry in the decision log), then signature
 * (of the card's decision, sign_card_decision(): "verified", "unverified",
 * "unsigned", or empty for an undecided card without an entry in the
 * decision log). Fields holding a
 * comma, a quote, CR or LF are double-quoted, quotes doubled. Texts are
 * written as they are (control characters included: a caller printing to a
 * terminal sanitizes), except that a free-text field (text, theme_label, by,
 * pair, note, rationale) starting with = + - @ TAB or CR gets a leading "'"
 * so that spreadsheets do not run it as a formula (CSV injection).
 */
#ifndef TAMIS_REPORT_H
#define TAMIS_REPORT_H

#include <time.h>

#include "board.h"
#include "strbuf.h"

#define REPORT_CELL_WIDTH 30  /* columns of card text in a grid cell */

enum report_format {
	REPORT_MARKDOWN,
	REPORT_CSV,
};

enum report_list {
	REPORT_LIST_V1,         /* decided v1 */
	REPORT_LIST_CANDIDATE,  /* undecided v1 candidate */
	REPORT_LIST_V2,
	REPORT_LIST_ELSEWHERE,
	REPORT_LIST_DEBATED,
	REPORT_LIST_UNPLACED,
	REPORT_LIST_UNDECIDED,  /* still to decide */
	REPORT_LIST_COUNT
};

/* Appends a card's move: "1,2 → 3,1", a cell placed nowhere as "tray" (translated). */
void report_move(struct strbuf *out, struct cell from, struct cell to);

/* "md" or "markdown" -> REPORT_MARKDOWN, "csv" -> REPORT_CSV; else -1. */
int report_format_parse(const char *name);
/* The file name extension of a format, without the dot: "md", "csv". */
const char *report_format_ext(enum report_format fmt);

/*
 * The list's name in the CSV: "v1", "v1-candidate", "v2", "elsewhere",
 * "debated", "unplaced", "undecided".
 */
const char *report_list_name(enum report_list list);

/* Grids of b whose easiest-to-launch zone holds card. */
int report_card_hits(const struct board *b, const struct card *card);

/* The one list card belongs in (rules above). */
enum report_list report_card_list(const struct board *b, const struct card *card);

/*
 * Appends the report of board b, dated now, in format fmt to out. Never
 * fails; the output depends only on b, fmt, now and the translation catalog.
 */
void report_format(const struct board *b, enum report_format fmt, time_t now,
		   struct strbuf *out);

#endif
