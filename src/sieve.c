/*
 * sieve.c - the sieve: the cards ranked by how easy they are to launch
 * (board_sieve(), board.h), from an index the board keeps as it changes.
 */
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "sieve_index.h"
#include "xmalloc.h"

/*
 * The sieve keeps an index of the board's cards (struct sieve_index, owned by
 * the board): every card in text then id order, each with its rank packed
 * into 8 bytes (sieve_key(), a smaller value ranking first). Ranking the
 * board is then one pass over the index counting each rank (a few dozen
 * distinct ones on a workshop's board, whatever its size: struct
 * sieve_ranks), the ranks put in order, and a second pass putting each card
 * straight into its rank's run: a stable counting sort, so each run keeps
 * the index's text and id order. board_sieve() reads neither the cards nor
 * their texts: its time grows with the number of cards, not as n log n, and
 * the index (16 bytes a card) stays in the caches far longer than the cards.
 *
 * The board keeps the index as it changes (sieve_index_added() and the
 * functions after it):
 * - a card placed: its rank is computed again; the card is found by its
 *   text and id (a binary search);
 * - a card added, or its text changed: it waits at the end of the index,
 *   unranked, until the next sieve puts it in place; past SIEVE_ADDED_MAX
 *   waiting (a file being read, a merge), the index is built again instead;
 * - a card removed: its slot goes;
 * - the grids changed (a grid added or resized, a zone, a pole): the next
 *   sieve finds that the grids it ranked under (struct sieve_grid) are not
 *   the board's and ranks every card again, in the same order.
 * Building the index sorts the cards by text and id with an MSD radix sort
 * (sieve_sort()).
 */

/*
 * A rank packed into 8 bytes (sieve_key()), from the top: placed on no grid
 * (1 bit), 7 bits unused, the grids whose easy zone holds the card taken
 * from the largest SIEVE_HITS_BITS value, its distance in SIEVE_DISTANCE_BITS:
 * a smaller value ranks first. The low SIEVE_PLACED_BITS, on how many grids
 * the card is placed, are no part of its order (SIEVE_ORDER()).
 */
#define SIEVE_PLACED_BITS 8
#define SIEVE_DISTANCE_BITS 40
#define SIEVE_HITS_BITS 8
#define SIEVE_ORDER(key) ((key) >> SIEVE_PLACED_BITS)
/* Ranges shorter than this are sorted by insertion. */
#define SIEVE_SMALL 32
/* Cards added or edited since the last sieve that it puts in place one by one. */
#define SIEVE_ADDED_MAX 64
/*
 * How many cards ahead a pass over cards fetches what it will read (a card,
 * then what the card points to): far enough to wait for memory while it
 * works on the cards in between.
 */
#define SIEVE_AHEAD 16

/* Per grid, once: the easy cells, the easy corner and the distance of one step. */
struct sieve_grid {
	bool easy[BOARD_MAX_CELLS + 1][BOARD_MAX_CELLS + 1];
	struct cell corner;
	long step;
};

/* A card in the index. */
struct sieve_slot {
	struct card *card;
	uint64_t key; /* sieve_key(); while the index is sorted, 8 bytes of text or id */
};

struct sieve_index {
	struct sieve_slot *v;
	size_t n, alloc;
	size_t nsorted;        /* v[0..nsorted) in order and ranked; the rest waits */
	bool stale;            /* to be built again, v aside */
	struct sieve_grid *sg; /* the grids the ranks were computed under */
	size_t ngrids;
};

static bool sieve_packed(const struct board *b)
{
	return b->ngrids < ((size_t)1 << SIEVE_HITS_BITS) &&
	       b->ngrids < ((size_t)1 << SIEVE_PLACED_BITS) &&
	       (uint64_t)b->ngrids * SIEVE_DISTANCE_UNIT < ((uint64_t)1 << SIEVE_DISTANCE_BITS);
}

static uint64_t sieve_key(const struct sieve_entry *e)
{
	uint64_t order = (((uint64_t)1 << SIEVE_HITS_BITS) - 1 - (uint64_t)e->hits)
				 << SIEVE_DISTANCE_BITS |
			 (uint64_t)e->distance;

	return (uint64_t)(e->placed > 0 ? 0 : 1) << 63 | order << SIEVE_PLACED_BITS |
	       (uint64_t)e->placed;
}

/* Fills sg[0..b->ngrids) from b's grids; sg was zeroed, padding included. */
static void sieve_grids(const struct board *b, struct sieve_grid *sg)
{
	size_t g;
	int x, y;

	for (g = 0; g < b->ngrids; g++) {
		const struct grid *grid = &b->grids[g];

		for (x = 1; x <= grid->cells && x <= BOARD_MAX_CELLS; x++)
			for (y = 1; y <= grid->cells && y <= BOARD_MAX_CELLS; y++)
				sg[g].easy[x][y] = grid_cell_is_easy(b, grid, x, y);
		sg[g].corner = grid_easy_corner(b, grid);
		/* 2(n-1) steps is the full diagonal; it divides the unit for n <= 9. */
		sg[g].step = SIEVE_DISTANCE_UNIT / (2L * (grid->cells - 1));
	}
}

/* Fills e's hits, placed and distance. */
static void sieve_rank(const struct sieve_grid *sg, size_t ngrids, struct sieve_entry *e)
{
	const struct cell *place = e->card->place;
	size_t g;

	for (g = 0; g < ngrids; g++) {
		struct cell c = place[g];
		long steps;

		if (!c.x) {
			e->distance += SIEVE_DISTANCE_UNIT;
			continue;
		}
		e->placed++;
		if (c.x <= BOARD_MAX_CELLS && c.y <= BOARD_MAX_CELLS && sg[g].easy[c.x][c.y])
			e->hits++;
		steps = labs((long)c.x - sg[g].corner.x) + labs((long)c.y - sg[g].corner.y);
		e->distance += steps * sg[g].step;
	}
}

static void sieve_slot_rank(const struct sieve_index *ix, struct sieve_slot *s)
{
	struct sieve_entry e = { s->card, 0, 0, 0 };

	sieve_rank(ix->sg, ix->ngrids, &e);
	s->key = sieve_key(&e);
}

/* The index's order: text, then id. */
static int sieve_card_cmp(const struct card *a, const struct card *c)
{
	int r = strcmp(a->text, c->text);

	return r ? r : memcmp(a->id, c->id, sizeof(uuid_t));
}

/* --- Building the index: an MSD radix sort by text, then id --- */

/* 8 bytes of text, big-endian, zero-padded past its end: they order as strcmp() does. */
static uint64_t sieve_text_word(const char *text)
{
	uint64_t w = 0;
	int i;

	for (i = 0; i < 8; i++) {
		w = w << 8 | (unsigned char)text[i];
		if (!text[i]) {
			w <<= 8 * (7 - i);
			break;
		}
	}
	return w;
}

/* The first 8 bytes of an id, big-endian: they order as memcmp() does. */
static uint64_t sieve_id_word(const unsigned char *id)
{
	uint64_t w = 0;
	int i;

	for (i = 0; i < 8; i++)
		w = w << 8 | id[i];
	return w;
}

static int sieve_slot_id_cmp(const void *a, const void *c)
{
	const struct sieve_slot *x = a, *y = c;

	return memcmp(x->card->id, y->card->id, sizeof(uuid_t));
}

/* The offset of words that hold the first 8 bytes of equal texts' ids. */
#define SIEVE_ID SIZE_MAX

/*
 * Orders two slots whose texts agree before their words, read at 'off', or
 * are equal (off is SIEVE_ID).
 */
static int sieve_slot_cmp(const struct sieve_slot *x, const struct sieve_slot *y, size_t off)
{
	int r = 0;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (off != SIEVE_ID && x->key & 0xFF) /* a zero last byte: both texts ended, equal */
		r = strcmp(x->card->text + off + 8, y->card->text + off + 8);
	return r ? r : sieve_slot_id_cmp(x, y);
}

static void sieve_insertion_sort(struct sieve_slot *v, size_t n, size_t off)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct sieve_slot t = v[i];

		for (j = i; j > 0 && sieve_slot_cmp(&t, &v[j - 1], off) < 0; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

/*
 * Sorts v[0..n), whose texts agree before byte 'byte' (0 to 8) of their
 * words (in .key), read at 'off', by text and id; or, off being SIEVE_ID,
 * whose texts are equal and ids agree before that byte of their words, by
 * id. tmp has room for n slots.
 */
static void sieve_sort(struct sieve_slot *tmp, struct sieve_slot *v, size_t n, size_t off,
		       unsigned byte)
{
	while (n > 1) {
		size_t count[256], end[256], i, d, u, nused, big = 0;
		unsigned char used[256]; /* the digits present, in order */
		uint64_t diff = 0;
		unsigned shift;

		if (byte < 8) {
			for (i = 1; i < n; i++)
				diff |= v[i].key ^ v[0].key;
			diff &= ~(uint64_t)0 >> (8 * byte);
		}
		if (!diff) {
			/* Equal words: equal texts, or read on. */
			if (off == SIEVE_ID) { /* ids that agree on 8 bytes */
				qsort(v, n, sizeof(*v), sieve_slot_id_cmp);
				return;
			}
			if (!(v[0].key & 0xFF)) { /* equal texts: on to their ids */
				for (i = 0; i < n; i++)
					v[i].key = sieve_id_word(v[i].card->id);
				off = SIEVE_ID;
			} else { /* none ended within the word: the next 8 bytes */
				off += 8;
				for (i = 0; i < n; i++) {
					if (i + SIEVE_AHEAD < n)
						__builtin_prefetch(v[i + SIEVE_AHEAD].card->text + off);
					v[i].key = sieve_text_word(v[i].card->text + off);
				}
			}
			byte = 0;
			continue;
		}
		if (n < SIEVE_SMALL) {
			sieve_insertion_sort(v, n, off);
			return;
		}
		/* Split on the first byte that differs: a counting sort through tmp. */
		byte = (unsigned)__builtin_clzll(diff) / 8;
		shift = 56 - 8 * byte;
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[v[i].key >> shift & 0xFF]++;
		for (d = 0, i = 0, nused = 0; d < 256; d++) {
			if (!count[d])
				continue;
			used[nused++] = (unsigned char)d;
			end[d] = i;
			i += count[d];
			if (count[d] > count[big])
				big = d;
		}
		for (i = 0; i < n; i++)
			tmp[end[v[i].key >> shift & 0xFF]++] = v[i];
		memcpy(v, tmp, n * sizeof(*v));
		/* Recurse into the smaller buckets (at most n/2 each), loop on the biggest. */
		for (u = 0; u < nused; u++) {
			d = used[u];
			if (d != big && count[d] > 1)
				sieve_sort(tmp, v + end[d] - count[d], count[d], off, byte + 1);
		}
		v += end[big] - count[big];
		n = count[big];
		byte++;
	}
}

/* Ranks v[from..to) under ix->sg, fetching ahead. */
static void sieve_index_rank(struct sieve_index *ix, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++) {
		if (i + 2 * SIEVE_AHEAD < to)
			__builtin_prefetch(ix->v[i + 2 * SIEVE_AHEAD].card);
		if (i + SIEVE_AHEAD < to)
			__builtin_prefetch(ix->v[i + SIEVE_AHEAD].card->place);
		sieve_slot_rank(ix, &ix->v[i]);
	}
}

/* Builds the index of b's cards again, ranked under ix->sg. */
static void sieve_index_build(const struct board *b, struct sieve_index *ix)
{
	size_t i, n = b->ncards;
	struct sieve_slot *tmp;

	if (ix->alloc < n) {
		free(ix->v);
		ix->alloc = n;
		ix->v = xmalloc(n * sizeof(*ix->v));
	}
	for (i = 0; i < n; i++) {
		if (i + 2 * SIEVE_AHEAD < n)
			__builtin_prefetch(b->cards[i + 2 * SIEVE_AHEAD]);
		if (i + SIEVE_AHEAD < n)
			__builtin_prefetch(b->cards[i + SIEVE_AHEAD]->text);
		ix->v[i] = (struct sieve_slot){ b->cards[i], sieve_text_word(b->cards[i]->text) };
	}
	tmp = xmalloc((n ? n : 1) * sizeof(*tmp));
	sieve_sort(tmp, ix->v, n, 0, 0);
	free(tmp);
	ix->n = ix->nsorted = n;
	ix->stale = false;
	sieve_index_rank(ix, 0, n);
}

/* --- Keeping the index --- */

/* The first of ix's sorted slots from 'lo' on whose card does not order before card. */
static size_t sieve_index_bound(const struct sieve_index *ix, const struct card *card, size_t lo)
{
	size_t hi = ix->nsorted;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sieve_card_cmp(ix->v[mid].card, card) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Where card is in ix, or SIZE_MAX when it is not. */
static size_t sieve_index_find(const struct sieve_index *ix, const struct card *card)
{
	size_t i = sieve_index_bound(ix, card, 0);

	if (i < ix->nsorted && ix->v[i].card == card)
		return i;
	for (i = ix->nsorted; i < ix->n; i++)
		if (ix->v[i].card == card)
			return i;
	return SIZE_MAX;
}

/* card was added to b, or its text changed: it waits to be put in place. */
void sieve_index_added(const struct board *b, struct card *card)
{
	struct sieve_index *ix = b->sieve;

	if (!ix || ix->stale)
		return;
	if (ix->n - ix->nsorted >= SIEVE_ADDED_MAX) {
		ix->stale = true;
		return;
	}
	ALLOC_GROW(ix->v, ix->n + 1, ix->alloc);
	ix->v[ix->n++] = (struct sieve_slot){ card, 0 };
}

/*
 * Where card is in b's index; SIZE_MAX when b keeps none or it is to be
 * built again, as it then is if card is missing (it should not be).
 */
static size_t sieve_index_at(const struct board *b, const struct card *card)
{
	size_t i;

	if (!b->sieve || b->sieve->stale)
		return SIZE_MAX;
	i = sieve_index_find(b->sieve, card);
	if (i == SIZE_MAX)
		b->sieve->stale = true;
	return i;
}

/* card is leaving b, or its text is about to change (its slot is found by it). */
void sieve_index_removed(const struct board *b, const struct card *card)
{
	struct sieve_index *ix = b->sieve;
	size_t i = sieve_index_at(b, card);

	if (i == SIZE_MAX)
		return;
	memmove(&ix->v[i], &ix->v[i + 1], (ix->n - i - 1) * sizeof(*ix->v));
	ix->n--;
	if (i < ix->nsorted)
		ix->nsorted--;
}

/* card was placed: its rank again (a waiting card is ranked when put in place). */
void sieve_index_placed(const struct board *b, const struct card *card)
{
	size_t i = sieve_index_at(b, card);

	if (i != SIZE_MAX && i < b->sieve->nsorted)
		sieve_slot_rank(b->sieve, &b->sieve->v[i]);
}

/*
 * Puts the waiting cards in place: ranks and sorts them (a few: by
 * insertion), finds where each goes by binary search, then moves the
 * sorted slots up from the back, each once.
 */
static void sieve_index_merge(struct sieve_index *ix)
{
	size_t k = ix->n - ix->nsorted, j, end = ix->nsorted;
	struct sieve_slot w[SIEVE_ADDED_MAX];
	size_t pos[SIEVE_ADDED_MAX];

	sieve_index_rank(ix, ix->nsorted, ix->n);
	memcpy(w, ix->v + ix->nsorted, k * sizeof(*w));
	for (j = 1; j < k; j++) {
		struct sieve_slot t = w[j];
		size_t i;

		for (i = j; i > 0 && sieve_card_cmp(t.card, w[i - 1].card) < 0; i--)
			w[i] = w[i - 1];
		w[i] = t;
	}
	for (j = 0; j < k; j++)
		pos[j] = sieve_index_bound(ix, w[j].card, j ? pos[j - 1] : 0);
	/* v[pos[j]..end) moves up by the j + 1 cards going before it. */
	for (j = k; j-- > 0;) {
		memmove(&ix->v[pos[j] + j + 1], &ix->v[pos[j]], (end - pos[j]) * sizeof(*ix->v));
		ix->v[pos[j] + j] = w[j];
		end = pos[j];
	}
	ix->nsorted = ix->n;
}

/* Makes ix b's cards in order, each ranked under b's grids as they are. */
static void sieve_index_settle(const struct board *b, struct sieve_index *ix)
{
	struct sieve_grid *sg = xcalloc(b->ngrids ? b->ngrids : 1, sizeof(*sg));

	sieve_grids(b, sg);
	if (!ix->sg || ix->ngrids != b->ngrids || memcmp(ix->sg, sg, b->ngrids * sizeof(*sg))) {
		free(ix->sg);
		ix->sg = sg;
		ix->ngrids = b->ngrids;
		if (!ix->stale)
			sieve_index_rank(ix, 0, ix->nsorted);
	} else {
		free(sg);
	}
	if (!ix->stale && ix->nsorted < ix->n)
		sieve_index_merge(ix);
	if (ix->stale || ix->n != b->ncards)
		sieve_index_build(b, ix);
}

struct sieve_index *sieve_index_new(void)
{
	return xcalloc(1, sizeof(struct sieve_index));
}

void sieve_index_free(struct sieve_index *ix)
{
	if (!ix)
		return;
	free(ix->v);
	free(ix->sg);
	free(ix);
}

void board_sieve_prepare(const struct board *b)
{
	if (b->sieve && sieve_packed(b))
		sieve_index_settle(b, b->sieve);
}

/* --- Ranking --- */

int sieve_entry_cmp(const struct sieve_entry *a, const struct sieve_entry *c)
{
	int r;

	if ((a->placed > 0) != (c->placed > 0))
		return a->placed > 0 ? -1 : 1;
	if (a->hits != c->hits)
		return a->hits > c->hits ? -1 : 1;
	if (a->distance != c->distance)
		return a->distance < c->distance ? -1 : 1;
	r = strcmp(a->card->text, c->card->text);
	if (r)
		return r;
	return memcmp(a->card->id, c->card->id, sizeof(uuid_t));
}

static int sieve_qsort_cmp(const void *a, const void *c)
{
	return sieve_entry_cmp(a, c);
}

/* One of the distinct ranks of a board's cards. */
struct sieve_rank {
	uint64_t key;    /* SIEVE_ORDER() of its cards' keys */
	size_t count;    /* its cards; once its run is filled, where the run ends */
};

/*
 * The distinct ranks of a board's cards, numbered in the order they were
 * first met, found by their keys in an open-addressing table.
 */
struct sieve_ranks {
	struct sieve_rank *v; /* by number */
	size_t n, alloc;
	size_t *slot;         /* a number + 1; 0: free */
	unsigned bits;        /* 1 << bits slots, at least twice n */
};

static size_t *sieve_ranks_slot(const struct sieve_ranks *r, uint64_t key)
{
	size_t mask = ((size_t)1 << r->bits) - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> (64 - r->bits));

	while (r->slot[i] && r->v[r->slot[i] - 1].key != key)
		i = (i + 1) & mask;
	return &r->slot[i];
}

/* The number of the rank 'key' (an order), a new one if it is its first card; counts it. */
static size_t sieve_ranks_add(struct sieve_ranks *r, uint64_t key)
{
	size_t *slot = sieve_ranks_slot(r, key), i;

	if (!*slot) {
		if (2 * (r->n + 1) > (size_t)1 << r->bits) {
			free(r->slot);
			r->bits++;
			r->slot = xcalloc((size_t)1 << r->bits, sizeof(*r->slot));
			for (i = 0; i < r->n; i++)
				*sieve_ranks_slot(r, r->v[i].key) = i + 1;
			slot = sieve_ranks_slot(r, key);
		}
		ALLOC_GROW(r->v, r->n + 1, r->alloc);
		r->v[r->n] = (struct sieve_rank){ key, 0 };
		*slot = ++r->n;
	}
	r->v[*slot - 1].count++;
	return *slot - 1;
}

/* A rank's key and number, to put the ranks in order. */
struct sieve_rank_order {
	uint64_t key;
	size_t number;
};

static int sieve_rank_order_cmp(const void *a, const void *c)
{
	const struct sieve_rank_order *x = a, *y = c;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Puts r's ranks in order: sets each rank's count to where its run starts. */
static void sieve_ranks_order(struct sieve_ranks *r)
{
	struct sieve_rank_order *order = xmalloc((r->n ? r->n : 1) * sizeof(*order));
	size_t k, at = 0;

	for (k = 0; k < r->n; k++)
		order[k] = (struct sieve_rank_order){ r->v[k].key, k };
	qsort(order, r->n, sizeof(*order), sieve_rank_order_cmp);
	for (k = 0; k < r->n; k++) {
		struct sieve_rank *rank = &r->v[order[k].number];
		size_t count = rank->count;

		rank->count = at;
		at += count;
	}
	free(order);
}

/* Ranks too wide for 8 bytes (more grids than a board file may hold): sorts by comparison. */
static struct sieve_entry *sieve_by_comparison(const struct board *b)
{
	size_t n = b->ncards, i;
	struct sieve_entry *out = xmalloc((n ? n : 1) * sizeof(*out));
	struct sieve_grid *sg = xcalloc(b->ngrids ? b->ngrids : 1, sizeof(*sg));

	sieve_grids(b, sg);
	for (i = 0; i < n; i++) {
		out[i] = (struct sieve_entry){ b->cards[i], 0, 0, 0 };
		sieve_rank(sg, b->ngrids, &out[i]);
	}
	free(sg);
	qsort(out, n, sizeof(*out), sieve_qsort_cmp);
	return out;
}

struct sieve_entry *board_sieve(const struct board *b)
{
	size_t n = b->ncards, i;
	/* A board that keeps no index (one never made by board_new()): one for this call. */
	struct sieve_index own = { .stale = true }, *ix = b->sieve ? b->sieve : &own;
	struct sieve_ranks r = { NULL, 0, 0, NULL, 6 };
	struct sieve_entry *out;
	uint32_t *number; /* each slot's rank's */

	if (!sieve_packed(b))
		return sieve_by_comparison(b);
	sieve_index_settle(b, ix);
	out = xmalloc((n ? n : 1) * sizeof(*out));
	number = xmalloc((n ? n : 1) * sizeof(*number));
	r.slot = xcalloc((size_t)1 << r.bits, sizeof(*r.slot));
	for (i = 0; i < n; i++)
		number[i] = (uint32_t)sieve_ranks_add(&r, SIEVE_ORDER(ix->v[i].key));
	sieve_ranks_order(&r);
	/* Each card straight to its rank's run, in the index's order. */
	for (i = 0; i < n; i++) {
		struct sieve_rank *rank = &r.v[number[i]];
		uint64_t order = rank->key;

		out[rank->count++] = (struct sieve_entry){
			ix->v[i].card,
			(int)(((uint64_t)1 << SIEVE_HITS_BITS) - 1 -
			      (order >> SIEVE_DISTANCE_BITS & (((uint64_t)1 << SIEVE_HITS_BITS) - 1))),
			(int)(ix->v[i].key & (((uint64_t)1 << SIEVE_PLACED_BITS) - 1)),
			(long)(order & (((uint64_t)1 << SIEVE_DISTANCE_BITS) - 1)),
		};
	}
	free(number);
	free(r.v);
	free(r.slot);
	if (ix == &own) {
		free(own.v);
		free(own.sg);
	}
	return out;
}
