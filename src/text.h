/*
 * text.h - UTF-8 text helpers: decoding, validation, display width, making
 * untrusted text safe for a terminal, and cutting or wrapping by display
 * columns (never by bytes).
 *
 * No curses and no I/O. Widths come from wcwidth(3), so the caller must have
 * selected a UTF-8 LC_CTYPE (main() does; unit tests use C.UTF-8): ncurses
 * places characters on the screen by the C library's wcwidth(), so the
 * layout must count as it does (utf8proc_charwidth() disagrees with it on
 * some characters, Hangul vowel jamo and Devanagari vowel signs among them).
 *
 * The display functions cut and wrap by grapheme clusters (what a person
 * sees as one character: a letter and its combining accents, a flag made of
 * two regional indicators, an emoji and its skin tone), told apart by
 * utf8proc, so a cut never strands an accent or half a flag. A cluster's
 * width is the sum of its code points' widths, as ncurses counts it.
 *
 * "Unsafe" code points are those that must never reach a terminal raw: C0
 * controls (including TAB and LF), DEL, C1 controls, and the bidirectional
 * embedding/override/isolate controls (U+202A..U+202E, U+2066..U+2069).
 * text_sanitize() turns each one into a visible escape: \e \t \n \r \a \b,
 * \xNN for other C0/C1 controls and DEL, \u{202E} style for bidi controls.
 * The display functions (text_sanitize, text_width, text_fit, text_wrap)
 * also escape the zero-width format characters (U+200B..U+200F, U+2060..
 * U+2064, U+FEFF, U+061C, U+180E), which terminals do not count alike;
 * they stay allowed in names and labels (text_is_safe()).
 */
#ifndef TAMIS_TEXT_H
#define TAMIS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/*
 * Decodes the UTF-8 sequence at s (len bytes available) into *cp. Returns the
 * number of bytes used (1..4), or 0 when the bytes there are not valid UTF-8
 * (overlong forms, surrogates, values past U+10FFFF, truncated sequences).
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* utf8_decode() that never fails: an invalid byte reads as U+FFFD, 1 byte long. */
size_t utf8_next(const char *s, size_t len, uint32_t *cp);
/* Appends the UTF-8 encoding of cp (which must be a valid scalar value). */
void utf8_encode(struct strbuf *sb, uint32_t cp);
/*
 * Returns true when s[0..len) is valid UTF-8 with no NUL byte; otherwise false
 * and, if bad_offset is non-NULL, the offset of the first bad byte.
 */
bool utf8_valid(const char *s, size_t len, size_t *bad_offset);
/* Number of code points in the valid UTF-8 string s[0..len). */
size_t utf8_count(const char *s, size_t len);

/*
 * Normalisation and case folding come from utf8proc, the Unicode library
 * (julia's): what is the same text to a person is the same text to tamis,
 * typed with 'é' as one code point (NFC, as Linux and Windows keyboards
 * give it) or as 'e' and a combining accent (NFD, as a Mac's clipboard may).
 */
enum text_fold_flags {
	TEXT_FOLD_CASE = 1,  /* full case folding: "ÉTÉ" is "été", "Straße" is "strasse" */
	/*
	 * Marks dropped (accents, cedillas...) and compatibility forms spelt
	 * plainly (NFKC: "ﬁ" is "fi", "ĳ" is "ij", "①" is "1"). Letters Unicode
	 * does not decompose stay ("ø", "œ", "ł").
	 */
	TEXT_FOLD_MARKS = 2,
};

/*
 * Appends s[0..len) in NFC (Unicode's composed form), folded as flags
 * (TEXT_FOLD_*, or 0 for NFC alone) say; each invalid byte (and NUL) as
 * U+FFFD. Never fails.
 */
void text_normalize(struct strbuf *out, const char *s, size_t len, unsigned flags);

/* Appends s[0..len) trimmed, each run of white space (text_cp_space()) made one ' '. */
void text_collapse_spaces(struct strbuf *out, const char *s, size_t len);

/*
 * Appends the key by which two texts are the same idea: s with its spaces
 * collapsed (text_collapse_spaces()), in NFC and case folded. Duplicates
 * are texts with equal keys (tamis import, add, merge).
 */
void text_key(struct strbuf *out, const char *s);

/*
 * s in NFC and case folded (text_normalize() with TEXT_FOLD_CASE) into a
 * new wide string (caller frees), each invalid byte as U+FFFD: what
 * case-insensitive search and sorting compare, so that a text typed
 * composed (NFC) and the same pasted decomposed (NFD) fold alike.
 */
wchar_t *text_fold(const char *s);

/*
 * True for the code points text_fold() folds one by one, without the whole
 * of NFC (below U+0300, common punctuation): exported for its test.
 */
bool text_fold_simple(uint32_t cp);

/* True for white space: TAB to CR, and Unicode's space separators (Zs). */
bool text_cp_space(uint32_t cp);
/*
 * Sets *start, *end to s[0..len) without its leading and trailing white
 * space (text_cp_space()): both 0 when it is all white space.
 */
void text_trim_range(const char *s, size_t len, size_t *start, size_t *end);
/* Trims sb's white space at both ends: its end in place; returns where it starts. */
const char *text_trim(struct strbuf *sb);
/* True for a letter of any script or a mark on one (Unicode's L and M). */
bool text_cp_letter(uint32_t cp);
/* True for a mark: a combining accent, a vowel sign... (Unicode's M). */
bool text_cp_mark(uint32_t cp);

/* True for code points that must be escaped before reaching a terminal. */
bool text_cp_unsafe(uint32_t cp);
/* Display width of one safe code point: 0, 1 or 2 (unprintable counts as 1). */
int text_cp_width(uint32_t cp);

/*
 * Appends s with every unsafe code point replaced by its visible escape and
 * every invalid byte by \xNN. The result is valid UTF-8 and safe to print.
 */
void text_sanitize(struct strbuf *out, const char *s);
/* True when s contains no unsafe code point (and is valid UTF-8). */
bool text_is_safe(const char *s);
/* Display width of s once sanitized. */
int text_width(const char *s);

/*
 * Appends the sanitized s cut to at most 'width' display columns; when it
 * does not fit, the end is replaced by "…" so the total stays <= width. A
 * wide character is never split. Returns the columns used.
 */
int text_fit(struct strbuf *out, const char *s, int width);
/*
 * Like text_fit() but pads with spaces to exactly 'width' columns.
 */
void text_fit_pad(struct strbuf *out, const char *s, int width);

/*
 * Word-wraps the sanitized s into lines of at most 'width' columns (breaking
 * inside a word only when the word is longer than a line). At most max_lines
 * lines are produced; if the text does not fit, the last line ends with "…".
 * Each line is appended to lines[i] (which the caller has initialised).
 * Returns the number of lines used (at least 1 when width >= 1).
 */
int text_wrap(const char *s, int width, struct strbuf *lines, int max_lines);

/*
 * Edit distance (Levenshtein, by bytes) between a and b, stopping early and
 * returning limit + 1 once it is known to exceed limit. For did-you-mean.
 */
size_t text_distance(const char *a, const char *b, size_t limit);

/*
 * Whether text_key(s) surely differs from key (a text_key() result), told
 * from the start of s alone while it is ASCII: a cheap test before computing
 * text_key(s) for every card of a board. False when it cannot tell.
 */
bool text_key_differs(const char *key, const char *s);

/*
 * Merges two edits of one text: base, the text both started from; theirs,
 * saved first; mine. Each edit is taken as one change of base (what lies
 * between the longest common start and end, on character boundaries): when
 * the two changes touch different parts of base, or insert at one point,
 * both are applied (theirs first at one point) and true is returned; else
 * out gets "theirs / mine" and false. Appends to out.
 */
bool text_merge3(const char *base, const char *theirs, const char *mine, struct strbuf *out);

#endif
