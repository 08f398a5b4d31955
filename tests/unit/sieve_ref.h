/*
 * sieve_ref.h - the sieve as board.h words it, worked out card by card from
 * the public model and sorted by sieve_entry_cmp(), for unit tests to check
 * board_sieve() against, whatever it keeps between calls. Include after
 * <cmocka.h> and "board.h".
 */
#ifndef TAMIS_TEST_SIEVE_REF_H
#define TAMIS_TEST_SIEVE_REF_H

static inline int sieve_ref_qsort_cmp(const void *a, const void *c)
{
	return sieve_entry_cmp(a, c);
}

/* One entry per card, ranked; the caller frees. */
static inline struct sieve_entry *sieve_reference(const struct board *b)
{
	size_t i, g, n = b->ncards;
	struct sieve_entry *want = malloc((n ? n : 1) * sizeof(*want));

	assert_non_null(want);
	for (i = 0; i < n; i++) {
		const struct card *card = b->cards[i];
		struct sieve_entry e = { b->cards[i], 0, 0, 0 };

		for (g = 0; g < b->ngrids; g++) {
			const struct grid *grid = &b->grids[g];
			struct cell corner = grid_easy_corner(b, grid);
			long steps;

			if (!card_is_placed(card, g)) {
				e.distance += SIEVE_DISTANCE_UNIT;
				continue;
			}
			e.placed++;
			if (card_in_easy_zone(b, card, g))
				e.hits++;
			steps = labs((long)card->place[g].x - corner.x) +
				labs((long)card->place[g].y - corner.y);
			e.distance += steps * (SIEVE_DISTANCE_UNIT / (2L * (grid->cells - 1)));
		}
		want[i] = e;
	}
	qsort(want, n, sizeof(*want), sieve_ref_qsort_cmp);
	return want;
}

/* board_sieve(b) is sieve_reference(b): same cards in the same order, same figures. */
static inline void assert_sieve_right(const struct board *b)
{
	size_t i, n = b->ncards;
	struct sieve_entry *r = board_sieve(b), *want = sieve_reference(b);

	for (i = 0; i < n; i++) {
		assert_ptr_equal(r[i].card, want[i].card);
		assert_int_equal(r[i].hits, want[i].hits);
		assert_int_equal(r[i].placed, want[i].placed);
		assert_int_equal(r[i].distance, want[i].distance);
		if (i)
			assert_true(sieve_entry_cmp(&r[i - 1], &r[i]) < 0);
	}
	free(want);
	free(r);
}

#endif
