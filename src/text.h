/*
 * text.h - UTF-8 text helpers: decoding, validation, display width, making
 * untrusted text safe for a terminal, and cutting or wrapping by display
 * columns (never by bytes).
 *
 * No curses and no I/O. Widths come from wcwidth(3), so the caller must have
 * selected a UTF-8 LC_CTYPE (main() does; unit tests use C.UTF-8).
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
 * s lowercased into a new wide string (caller frees), each invalid byte as
 * U+FFFD: what case-insensitive search and sorting compare.
 */
wchar_t *text_fold(const char *s);

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

#endif
