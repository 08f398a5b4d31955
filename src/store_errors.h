/*
 * store_errors.h - the problems found in a file, each with where it is: what
 * reading a board (store.h), importing ideas (import.h) and merging boards
 * (merge.h) report, and where a board's parts are defined in its file, for
 * messages that point into it after loading (struct board_lines).
 *
 * One store_error per problem (the store keeps at most STORE_MAX_ERRORS of
 * them and counts the rest), each with the 1-based line and column where
 * the problem is (line 0 when it has no location) and a message in English,
 * lowercase, without a full stop, e.g. "card 6f1c2a8e: unknown theme
 * 'mobilty' (did you mean 'mobilite'?)". A message without a location names
 * the file itself, in quotes ("cannot open 'board.yaml': No such file or
 * directory").
 */
#ifndef TAMIS_STORE_ERRORS_H
#define TAMIS_STORE_ERRORS_H

#include <stddef.h>

#include "strbuf.h"

struct store_error {
	int line;      /* 1-based; 0 when the problem has no location */
	int column;    /* 1-based, in characters */
	char *message;
};

struct store_errors {
	char *file;    /* as given by the caller, for messages */
	struct store_error *v;
	size_t n, alloc;
	size_t dropped; /* problems past STORE_MAX_ERRORS, not kept */
};

void store_errors_init(struct store_errors *e, const char *file);
void store_errors_release(struct store_errors *e);
/* Appends a problem (line 0 for none). */
void store_errors_add(struct store_errors *e, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * Appends one line per problem to out: "FILE:LINE:COLUMN: message\n", or
 * "message\n" alone without a location (the message names the file), plus a
 * final "FILE: N more problems" line when some were dropped. Messages are
 * sanitized for the terminal.
 */
void store_errors_format(const struct store_errors *e, struct strbuf *out);

/*
 * Where a board's themes, criteria and grids are defined in its file:
 * 1-based lines of their ids (0 when unknown), index-aligned with the
 * board's arrays. For messages that point into a file after loading.
 */
struct board_lines {
	int *themes;
	int *criteria;
	int *grids;
};

void board_lines_release(struct board_lines *l);

#endif
