/*
 * fuzz_import.c - libFuzzer harness for the idea importer, import_ideas().
 *
 * The input is an idea file (text or CSV) imported into a fixed board. On
 * success the new cards are the board's last ones and the board must survive
 * store_format() / store_parse(); on failure the problems must be well formed
 * and the board untouched, byte for byte (all or nothing).
 */
#define FUZZ_NAME fuzz_import
#include "fuzz.h"

#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_options opt = { "fuzz", 1561716720, -1, NULL };
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT, report = STRBUF_INIT;
	struct import_result res;
	struct store_errors err;
	struct board *b = fuzz_board();
	size_t ncards = b->ncards;

	store_format(b, &before);
	import_result_init(&res);
	store_errors_init(&err, "ideas.txt");
	if (import_ideas(b, (const char *)data, size, &opt, &res, &err) == 0) {
		if (err.n || err.dropped)
			fuzz_fail("import_ideas() succeeded with problems", NULL);
		if (res.first_card != ncards || b->ncards != ncards + res.added)
			fuzz_fail("import_ideas() added other cards than it says", NULL);
		import_result_format(b, &res, "ideas.txt", &report);
		fuzz_round_trip(b, NULL);
	} else {
		fuzz_check_errors(&err, (const char *)data, size);
		store_format(b, &after);
		if (before.len != after.len || memcmp(before.buf, after.buf, before.len))
			fuzz_fail("a failed import changed the board", after.buf);
	}
	import_result_release(&res);
	store_errors_release(&err);
	strbuf_release(&before);
	strbuf_release(&after);
	strbuf_release(&report);
	board_free(b);
	return 0;
}
