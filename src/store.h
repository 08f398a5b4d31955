/*
 * store.h - boards in YAML files: parse with strict validation, serialise in
 * a stable hand-editable form, load and save files.
 *
 * The only module that includes <yaml.h> (its files are src/store*.c, their
 * shared parts in store_int.h). It talks to the model through board.h. The
 * format is documented in docs/FORMAT.md.
 *
 * Errors: parsing collects one store_error per problem (store_errors.h), at
 * most STORE_MAX_ERRORS, each with its line and column and a message.
 */
#ifndef TAMIS_STORE_H
#define TAMIS_STORE_H

#include <stddef.h>

#include "board.h"
#include "store_errors.h"
#include "strbuf.h"

#define STORE_FORMAT_VERSION 1
#define STORE_MAX_FILE_SIZE (256u << 20) /* bytes in a board file */
#define STORE_MAX_SCALAR (64u << 10)     /* bytes in one scalar */
#define STORE_MAX_DEPTH 16               /* nesting of collections */
#define STORE_MAX_ERRORS 20
#define STORE_MAX_NODES (8u << 20)       /* YAML values (scalars, lists, mappings) */
#define STORE_MAX_THEMES 1000
#define STORE_MAX_CRITERIA BOARD_MAX_CRITERIA
#define STORE_MAX_GRIDS BOARD_MAX_GRIDS
#define STORE_MAX_FACILITATORS 1000

/*
 * Parses a whole board from data[0..len). Returns 0 and a new board in *out
 * (free with board_free()), or -1 with every problem found in err and *out
 * untouched. Never reads files; safe on any bytes (fuzzed).
 *
 * The comments of the file come with the board (comments.h): the card's in
 * each card, the others in board->comments, each with the key or list item
 * it goes with, so that store_format() writes it back there.
 */
int store_parse(const char *data, size_t len, struct board **out, struct store_errors *err);


/* store_parse() that also fills *lines (release it with board_lines_release()). */
int store_parse_lines(const char *data, size_t len, struct board **out,
		      struct store_errors *err, struct board_lines *lines);

/*
 * Reads the next bytes of a board: up to size bytes into buf. Returns how
 * many (0 at the end), or -1 with a one-line reason appended to err and errno
 * set.
 */
typedef long store_read_fn(void *data, char *buf, size_t size, struct strbuf *err);

/*
 * store_parse_lines() of the bytes that read gives, in windows of 64 KiB:
 * the memory needed does not grow with the input (lines may be NULL). Every
 * problem, message and position is the one store_parse_lines() gives for the
 * same bytes, however read cuts them. The input is always read to its end.
 * Returns 0, -1 (problems in err), or -2 when read failed (its reason the one
 * problem added to err, errno kept).
 */
int store_parse_stream(store_read_fn *read, void *data, struct board **out,
		       struct store_errors *err, struct board_lines *lines);

/* Sees every byte of a file, in order, as it is read. */
typedef void store_observe_fn(void *data, const char *buf, size_t len);

/*
 * Reads and parses the board file at path. Returns 0 on success, -1 when the
 * file is not a valid board (problems in err), -2 when it cannot be opened or
 * read, or is not a regular file, or is larger than STORE_MAX_FILE_SIZE (one
 * problem without location in err; errno is kept).
 */
int store_load(const char *path, struct board **out, struct store_errors *err);
/*
 * store_load() that reads the file once, never whole in memory, and calls
 * observe (unless NULL) on its bytes as they are read, all of them even when
 * the board is invalid. On success, when keep_fd is not NULL, the open
 * descriptor is handed to *keep_fd (the caller closes it); else it is closed.
 */
int store_load_keep(const char *path, struct board **out, struct store_errors *err, int *keep_fd,
		    store_observe_fn *observe, void *observe_data);

/*
 * Appends the board as YAML to out: block style, keys in a stable order,
 * UTF-8 as is, every field of the model (zones, facilitators, pairs, card
 * histories, the decision log included); the same board always gives the
 * same bytes, and store_parse() of the result gives back an equal board. (A
 * move recorded on a cell that its grid lost since, through
 * board_resize_grid(), is written clamped into the grid so that the file
 * always loads.)
 *
 * The board's comments are written back with what they go with: above it,
 * at the end of its line, under it; those of a key that is not written (a
 * note cleared, a card in a grid's tray) on the next line; those of a
 * theme, grid, zone, card... that is not on the board are not written.
 * store_parse() of the result gives back the same comments, written the
 * same way (format, parse, format is a fixed point); a comment holding a
 * character no board file may hold gets U+FFFD instead. A board without
 * comments gives exactly the bytes it gave before comments were kept.
 */
void store_format(const struct board *b, struct strbuf *out);
/* Takes len bytes of output: 0, or -1 (errno set) to stop. */
typedef int store_write_fn(void *data, const char *buf, size_t len);
/*
 * store_format() through write, in pieces of about 64 KiB (one card is never
 * cut): the same bytes, in a buffer that does not grow with the board.
 * Returns 0, or -1 as soon as write fails (nothing more is written).
 */
int store_format_stream(const struct board *b, store_write_fn *write, void *data);
/*
 * Appends just a "cards:" document holding the given cards, in that order,
 * with their comments.
 */
void store_format_cards(const struct board *b, struct card *const *cards, size_t n,
			struct strbuf *out);

/*
 * Appends s as one YAML scalar: plain when that reads back as the same string
 * in YAML 1.1 and 1.2 readers (libyaml, PyYAML), else double-quoted with
 * control, bidi and line-separator characters escaped and every other
 * character as raw UTF-8. The form store_format() uses for every string.
 */
void store_format_scalar(struct strbuf *out, const char *s);

/*
 * Writes the board to path atomically and durably (lockfile.h), formatted
 * straight into the new file (store_format_stream(), file_replace_stream()).
 * Returns 0, or -1 with a one-line reason in err; the old file is then left
 * intact.
 */
int store_save(const char *path, const struct board *b, struct strbuf *err);

/* --- Operations, for the live-sharing journal (op.h, journal.h) --- */
struct op;
/*
 * Appends op as one line of YAML, a flow mapping with every string
 * double-quoted and escaped, so no newline whatever the text holds:
 *
 *   {op: move, at: 2019-06-28T10:15:00Z, by: "Binôme 3", card: 6f1c2a8e-...,
 *    grid: "autonomie-frequence", x: 2, y: 2}
 *
 * (on one line). Keys in this order, each only when the kind uses it (op.h):
 * op (op_kind_name()), at, by (when set), fac (true, only for facilitator
 * rights), card, grid, name, text, text2 (strings, each only when set), x, y,
 * value (integers). For OP_ADD, card is the whole card as a flow mapping with
 * the keys and rules of a card in the board file (place as {"grid": [x, y]},
 * history as a flow list of flow mappings); the card's theme and grids are
 * named by id, so b must be the board the card belongs to.
 */
void store_format_op(const struct board *b, const struct op *op, struct strbuf *out);
/*
 * Parses one line written by store_format_op() (len bytes, no newline) into
 * *op, which is overwritten: every string is a new copy, and for OP_ADD
 * op->card_data is a new detached card (the op owns it) built against board
 * b (its theme and the grids of its placements and history must be on b;
 * with b NULL, any added card is refused) and op->card is its id. Keys are
 * checked per kind: unknown or unused keys, missing ones, wrong types and
 * out-of-range values (decisions, colours, poles, cells) are refused. Same
 * limits as store_parse() (nesting, value size, no aliases or foreign tags);
 * safe on any bytes (fuzzed). Returns 0, or -1 with a one-line reason
 * appended to err ("column 23: unknown key 'zzz'") and *op zeroed.
 */
int store_parse_op(const struct board *b, const char *line, size_t len, struct op *op,
		   struct strbuf *err);

#endif
