/*
 * fuzz.h - what the libFuzzer harnesses share (tests/fuzz/fuzz_*.c).
 *
 * Each harness defines LLVMFuzzerTestOneInput() and, when it needs a set-up,
 * LLVMFuzzerInitialize(). Built with clang -fsanitize=fuzzer they run under
 * libFuzzer (make fuzz); built with any compiler and -DFUZZ_REPLAY they are
 * linked into tests/fuzz/replay.c under names of their own (FUZZ_NAME), which
 * replays the seed corpora and every saved crash in the normal test suite.
 *
 * A broken promise calls fuzz_fail(), which prints what was wrong and aborts,
 * so that libFuzzer saves the input.
 */
#ifndef TAMIS_FUZZ_H
#define TAMIS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "store.h"
#include "strbuf.h"

#ifdef FUZZ_REPLAY
#define FUZZ_CAT2(a, b) a##b
#define FUZZ_CAT(a, b) FUZZ_CAT2(a, b)
#define LLVMFuzzerTestOneInput FUZZ_CAT(FUZZ_NAME, _test)
#define LLVMFuzzerInitialize FUZZ_CAT(FUZZ_NAME, _init)
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The fixed board the import and journal harnesses start from (a copy of
 * docs/FORMAT.md's example, plus a card whose id is easy to write by hand). */
static const char fuzz_board_yaml[] =
	"tamis: 1\n"
	"title: Comptoir des services\n"
	"description: Atelier du 28 juin 2019\n"
	"facilitators:\n"
	"  - claire\n"
	"themes:\n"
	"  - id: mobilite\n"
	"    label: Mobilité\n"
	"    color: green\n"
	"  - id: conciergerie\n"
	"    label: Vie quotidienne & conciergerie\n"
	"    color: yellow\n"
	"criteria:\n"
	"  - id: autonomie\n"
	"    low: Autonomie de l’usager\n"
	"    high: Présence physique nécessaire\n"
	"    easy: low\n"
	"  - id: frequence\n"
	"    low: Exceptionnel\n"
	"    high: Fréquent\n"
	"    easy: high\n"
	"grids:\n"
	"  - id: g\n"
	"    x: autonomie\n"
	"    y: frequence\n"
	"    cells: 3\n"
	"  - id: autonomie-frequence\n"
	"    x: autonomie\n"
	"    y: frequence\n"
	"    cells: 2\n"
	"    zones:\n"
	"      - name: V1 — tout de suite\n"
	"        color: green\n"
	"        easy: true\n"
	"        cells: [[1, 2]]\n"
	"      - name: V2 — plus tard\n"
	"        color: blue\n"
	"        cells: [[2, 1], [2, 2]]\n"
	"cards:\n"
	"  - id: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f\n"
	"    text: Réception de colis sur le lieu de travail\n"
	"    theme: conciergerie\n"
	"    by: Binôme 3\n"
	"    created: 2019-06-28T10:12:00Z\n"
	"    decision: v1\n"
	"    locked: true\n"
	"    place:\n"
	"      autonomie-frequence: [1, 2]\n"
	"    history:\n"
	"      - {at: 2019-06-28T10:12:00Z, by: Binôme 3, event: created}\n"
	"      - {at: 2019-06-28T11:02:00Z, by: claire, event: decided, from: undecided, "
	"to: v1}\n"
	"      - {at: 2019-06-28T11:02:30Z, by: claire, event: locked}\n"
	"  - id: 0b7e3c11-2f4a-4d8b-8c6e-1a2b3c4d5e6f\n"
	"    text: Atelier de réparation de vélos 🚲\n"
	"    theme: mobilite\n"
	"    pair: Binôme 1\n"
	"    decision: undecided\n"
	"  - id: 00000000-0000-4000-8000-000000000001\n"
	"    text: Navette entre les sites\n"
	"    theme: mobilite\n"
	"    by: A\n"
	"    place:\n"
	"      g: [1, 2]\n"
	"decisions:\n"
	"  - at: 2019-06-28T11:02:00Z\n"
	"    by: claire\n"
	"    card: 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f\n"
	"    text: Réception de colis sur le lieu de travail\n"
	"    from: undecided\n"
	"    to: v1\n";

static inline void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz: %s\n", what);
	if (detail)
		fprintf(stderr, "%s\n", detail);
	abort();
}

/* A new copy of the fixed board (free with board_free()). */
static inline struct board *fuzz_board(void)
{
	struct store_errors err;
	struct board *b = NULL;

	store_errors_init(&err, "fixed.yaml");
	if (store_parse(fuzz_board_yaml, sizeof(fuzz_board_yaml) - 1, &b, &err) < 0) {
		struct strbuf msg = STRBUF_INIT;

		store_errors_format(&err, &msg);
		fuzz_fail("the fixed board does not load", msg.buf);
	}
	store_errors_release(&err);
	return b;
}

/*
 * The promise of store_format(): what it writes parses back, and the board
 * read back writes the very same bytes. Appends the first output to out
 * (when non-NULL).
 */
static inline void fuzz_round_trip(const struct board *b, struct strbuf *out)
{
	struct strbuf first = STRBUF_INIT, second = STRBUF_INIT, msg = STRBUF_INIT;
	struct store_errors err;
	struct board *again = NULL;

	store_format(b, &first);
	store_errors_init(&err, "saved.yaml");
	if (store_parse(first.buf, first.len, &again, &err) < 0) {
		store_errors_format(&err, &msg);
		strbuf_addstr(&msg, "--- the board as written:\n");
		strbuf_add(&msg, first.buf, first.len);
		fuzz_fail("a board as store_format() writes it does not load", msg.buf);
	}
	store_format(again, &second);
	if (first.len != second.len || memcmp(first.buf, second.buf, first.len)) {
		strbuf_addstr(&msg, "--- first:\n");
		strbuf_add(&msg, first.buf, first.len);
		strbuf_addstr(&msg, "--- second:\n");
		strbuf_add(&msg, second.buf, second.len);
		fuzz_fail("a board written, read back and written again changed", msg.buf);
	}
	if (out)
		strbuf_add(out, first.buf, first.len);
	board_free(again);
	store_errors_release(&err);
	strbuf_release(&first);
	strbuf_release(&second);
	strbuf_release(&msg);
}

/*
 * The promises of a refusal: between 1 and STORE_MAX_ERRORS problems, each
 * with a message, located inside the input (lines counted as libyaml counts
 * them: LF, CR LF and CR each end one) or not at all, and the formatted
 * report one line per problem, plus one when some were dropped. (A message
 * may quote text holding line breaks: store_errors_format() escapes them.)
 */
static inline void fuzz_check_errors(const struct store_errors *err, const char *data,
				     size_t len)
{
	struct strbuf msg = STRBUF_INIT;
	size_t i, lines = 1, nl = 0;

	for (i = 0; i < len; i++)
		if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n')))
			lines++;
	if (!err->n || err->n > STORE_MAX_ERRORS)
		fuzz_fail("a refusal without problems, or with too many", NULL);
	for (i = 0; i < err->n; i++) {
		const struct store_error *e = &err->v[i];

		if (!e->message || !*e->message)
			fuzz_fail("a problem without a message", NULL);
		if (e->line < 0 || (e->line > 0 && e->column < 1) || (size_t)e->line > lines) {
			strbuf_addf(&msg, "%d:%d: %s (the input has %zu lines)", e->line,
				    e->column, e->message, lines);
			fuzz_fail("a problem located outside the input", msg.buf);
		}
	}
	store_errors_format(err, &msg);
	for (i = 0; i < msg.len; i++)
		nl += msg.buf[i] == '\n';
	if (nl != err->n + (err->dropped > 0) || nl > STORE_MAX_ERRORS + 1)
		fuzz_fail("the report is not one line per problem (+ one for the rest)", msg.buf);
	strbuf_release(&msg);
}

#endif
