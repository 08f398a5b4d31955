/*
 * fuzz_store.c - libFuzzer harness for the board loader, store_parse().
 *
 * Any bytes: a refusal must be well formed (fuzz_check_errors()); a board
 * that loads must survive store_format() / store_parse() unchanged.
 */
#define FUZZ_NAME fuzz_store
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_errors err;
	struct board *b = NULL;

	store_errors_init(&err, "fuzz.yaml");
	if (store_parse((const char *)data, size, &b, &err) == 0) {
		if (!b || err.n || err.dropped)
			fuzz_fail("store_parse() succeeded with problems or no board", NULL);
		fuzz_round_trip(b, NULL);
		board_free(b);
	} else {
		if (b)
			fuzz_fail("store_parse() failed but set the board", NULL);
		fuzz_check_errors(&err, (const char *)data, size);
	}
	store_errors_release(&err);
	return 0;
}
