#include "board.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xmalloc.h"

static const char *const hue_names[HUE_COUNT] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const char *const decision_names[DECISION_COUNT] = {
	"undecided", "v1", "v2", "elsewhere",
};

const char *hue_name(enum hue hue)
{
	return (unsigned)hue < HUE_COUNT ? hue_names[hue] : "white";
}

int hue_parse(const char *name)
{
	int i;

	for (i = 0; i < HUE_COUNT; i++)
		if (!strcmp(name, hue_names[i]))
			return i;
	return -1;
}

const char *decision_name(enum decision d)
{
	return (unsigned)d < DECISION_COUNT ? decision_names[d] : "undecided";
}

int decision_parse(const char *name)
{
	int i;

	for (i = 0; i < DECISION_COUNT; i++)
		if (!strcmp(name, decision_names[i]))
			return i;
	return -1;
}

const char *pole_name(enum pole p)
{
	return p == POLE_HIGH ? "high" : "low";
}

int pole_parse(const char *name)
{
	if (!strcmp(name, "low"))
		return POLE_LOW;
	if (!strcmp(name, "high"))
		return POLE_HIGH;
	return -1;
}

bool board_id_valid(const char *id)
{
	size_t i;

	if (!isalnum((unsigned char)id[0]) || (unsigned char)id[0] >= 0x80)
		return false;
	for (i = 0; id[i]; i++) {
		unsigned char c = (unsigned char)id[i];

		if (i >= BOARD_ID_MAX)
			return false;
		if (c >= 0x80 || !(isalnum(c) || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

/* The last generation given to any board of this process. */
static unsigned long board_generations;

/* Any change a view of the cards depends on: a new generation, the move log forgotten. */
static void board_changed(struct board *b)
{
	b->generation = ++board_generations;
	b->nmoves = 0;
}

struct board *board_new(const char *title)
{
	struct board *b = xcalloc(1, sizeof(*b));

	b->title = xstrdup(title);
	board_changed(b);
	return b;
}

void card_free(struct card *card)
{
	size_t i;

	if (!card)
		return;
	for (i = 0; i < card->nhistory; i++)
		free(card->history[i].by);
	free(card->history);
	free(card->text);
	free(card->by);
	free(card->note);
	free(card->pair);
	free(card->place);
	free(card);
}

void board_free(struct board *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nthemes; i++) {
		free(b->themes[i].id);
		free(b->themes[i].label);
	}
	for (i = 0; i < b->ncriteria; i++) {
		free(b->criteria[i].id);
		free(b->criteria[i].low);
		free(b->criteria[i].high);
	}
	for (i = 0; i < b->ngrids; i++) {
		size_t z;

		for (z = 0; z < b->grids[i].nzones; z++)
			free(b->grids[i].zones[z].name);
		free(b->grids[i].zones);
		free(b->grids[i].id);
	}
	for (i = 0; i < b->ncards; i++)
		card_free(b->cards[i]);
	for (i = 0; i < b->ndecisions; i++) {
		free(b->decisions[i].by);
		free(b->decisions[i].text);
		free(b->decisions[i].rationale);
	}
	free(b->decisions);
	for (i = 0; i < b->nfacilitators; i++)
		free(b->facilitators[i]);
	free(b->facilitators);
	free(b->themes);
	free(b->criteria);
	free(b->grids);
	free(b->cards);
	free(b->index);
	free(b->title);
	free(b->description);
	free(b);
}

static void replace_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

void board_set_title(struct board *b, const char *title)
{
	replace_str(&b->title, title);
}

void board_set_description(struct board *b, const char *description)
{
	replace_str(&b->description, description);
}

int board_theme_index(const struct board *b, const char *id)
{
	size_t i;

	for (i = 0; i < b->nthemes; i++)
		if (!strcmp(b->themes[i].id, id))
			return (int)i;
	return -1;
}

int board_criterion_index(const struct board *b, const char *id)
{
	size_t i;

	for (i = 0; i < b->ncriteria; i++)
		if (!strcmp(b->criteria[i].id, id))
			return (int)i;
	return -1;
}

int board_grid_index(const struct board *b, const char *id)
{
	size_t i;

	for (i = 0; i < b->ngrids; i++)
		if (!strcmp(b->grids[i].id, id))
			return (int)i;
	return -1;
}

int board_add_theme(struct board *b, const char *id, const char *label, enum hue color)
{
	struct theme *t;

	if (board_theme_index(b, id) >= 0 || (unsigned)color >= HUE_COUNT)
		return -1;
	ALLOC_GROW(b->themes, b->nthemes + 1, b->themes_alloc);
	t = &b->themes[b->nthemes];
	t->id = xstrdup(id);
	t->label = xstrdup(label);
	t->color = color;
	return (int)b->nthemes++;
}

int board_add_criterion(struct board *b, const char *id, const char *low, const char *high,
			enum pole easy)
{
	struct criterion *c;

	if (board_criterion_index(b, id) >= 0)
		return -1;
	ALLOC_GROW(b->criteria, b->ncriteria + 1, b->criteria_alloc);
	c = &b->criteria[b->ncriteria];
	c->id = xstrdup(id);
	c->low = xstrdup(low);
	c->high = xstrdup(high);
	c->easy = easy == POLE_HIGH ? POLE_HIGH : POLE_LOW;
	return (int)b->ncriteria++;
}

int board_add_grid(struct board *b, const char *id, size_t x, size_t y, int cells)
{
	struct grid *g;
	size_t i;

	if (board_grid_index(b, id) >= 0 || x >= b->ncriteria || y >= b->ncriteria ||
	    cells < BOARD_MIN_CELLS || cells > BOARD_MAX_CELLS)
		return -1;
	ALLOC_GROW(b->grids, b->ngrids + 1, b->grids_alloc);
	g = &b->grids[b->ngrids];
	memset(g, 0, sizeof(*g));
	g->id = xstrdup(id);
	g->x = x;
	g->y = y;
	g->cells = cells;
	b->ngrids++;
	board_changed(b);
	for (i = 0; i < b->ncards; i++) {
		struct card *card = b->cards[i];

		card->place = xreallocarray(card->place, b->ngrids, sizeof(*card->place));
		card->place[b->ngrids - 1].x = 0;
		card->place[b->ngrids - 1].y = 0;
		card->nplace = b->ngrids;
	}
	return (int)(b->ngrids - 1);
}

/* --- The card index: open addressing on the (random) UUID bytes. --- */

static size_t board_index_slot(const struct board *b, const uuid_t id)
{
	uint64_t h, lo;

	/* All 16 bytes count: ids in a hostile file may share any 8 of them. */
	memcpy(&h, id, sizeof(h));
	memcpy(&lo, id + 8, sizeof(lo));
	h ^= lo * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (size_t)h & (b->index_size - 1);
}

static void board_index_insert(struct board *b, struct card *card)
{
	size_t i = board_index_slot(b, card->id);

	while (b->index[i])
		i = (i + 1) & (b->index_size - 1);
	b->index[i] = card;
}

static void board_index_rebuild(struct board *b)
{
	size_t i, want = 16;

	while (want < b->ncards * 2)
		want *= 2;
	free(b->index);
	b->index_size = want;
	b->index = xcalloc(want, sizeof(*b->index));
	for (i = 0; i < b->ncards; i++)
		board_index_insert(b, b->cards[i]);
	b->index_stale = false;
}

struct card *board_find_card(struct board *b, const uuid_t id)
{
	size_t i;

	if (!b->ncards)
		return NULL;
	if (b->index_stale || !b->index)
		board_index_rebuild(b);
	for (i = board_index_slot(b, id); b->index[i]; i = (i + 1) & (b->index_size - 1))
		if (!memcmp(b->index[i]->id, id, sizeof(uuid_t)))
			return b->index[i];
	return NULL;
}

struct card *board_add_card(struct board *b, const uuid_t id, const char *text, size_t theme)
{
	struct card *card;

	if (theme >= b->nthemes || board_find_card(b, id))
		return NULL;
	card = xcalloc(1, sizeof(*card));
	memcpy(card->id, id, sizeof(uuid_t));
	card->text = xstrdup(text);
	card->theme = theme;
	card->decision = DECISION_UNDECIDED;
	card->place = xcalloc(b->ngrids ? b->ngrids : 1, sizeof(*card->place));
	card->nplace = b->ngrids;
	ALLOC_GROW(b->cards, b->ncards + 1, b->cards_alloc);
	b->cards[b->ncards++] = card;
	board_changed(b);
	if (!b->index_stale && b->index && b->ncards * 2 <= b->index_size)
		board_index_insert(b, card);
	else
		b->index_stale = true;
	return card;
}

struct card *card_dup(const struct board *b, const struct card *card)
{
	struct card *c = xmalloc(sizeof(*c));
	size_t i;

	*c = *card;
	c->text = xstrdup(card->text);
	c->by = card->by ? xstrdup(card->by) : NULL;
	c->note = card->note ? xstrdup(card->note) : NULL;
	c->pair = card->pair ? xstrdup(card->pair) : NULL;
	c->place = xcalloc(b->ngrids ? b->ngrids : 1, sizeof(*c->place));
	memcpy(c->place, card->place,
	       (card->nplace < b->ngrids ? card->nplace : b->ngrids) * sizeof(*c->place));
	c->nplace = b->ngrids;
	c->history = xcalloc(card->nhistory ? card->nhistory : 1, sizeof(*c->history));
	c->history_alloc = card->nhistory ? card->nhistory : 1;
	for (i = 0; i < card->nhistory; i++) {
		c->history[i] = card->history[i];
		c->history[i].by = card->history[i].by ? xstrdup(card->history[i].by) : NULL;
	}
	return c;
}

int board_insert_card(struct board *b, struct card *card, size_t pos)
{
	if (card->theme >= b->nthemes || board_find_card(b, card->id))
		return -1;
	if (card->nplace < b->ngrids) {
		/* Made before grids were added: in their trays. */
		card->place = xreallocarray(card->place, b->ngrids, sizeof(*card->place));
		memset(card->place + card->nplace, 0,
		       (b->ngrids - card->nplace) * sizeof(*card->place));
		card->nplace = b->ngrids;
	}
	if (pos > b->ncards)
		pos = b->ncards;
	ALLOC_GROW(b->cards, b->ncards + 1, b->cards_alloc);
	memmove(&b->cards[pos + 1], &b->cards[pos], (b->ncards - pos) * sizeof(*b->cards));
	b->cards[pos] = card;
	b->ncards++;
	b->index_stale = true;
	board_changed(b);
	return 0;
}

size_t board_card_pos(const struct board *b, const struct card *card)
{
	size_t i;

	for (i = 0; i < b->ncards; i++)
		if (b->cards[i] == card)
			return i;
	return (size_t)-1;
}

void board_remove_card(struct board *b, struct card *card)
{
	size_t pos = board_card_pos(b, card);

	if (pos == (size_t)-1)
		return;
	memmove(&b->cards[pos], &b->cards[pos + 1], (b->ncards - pos - 1) * sizeof(*b->cards));
	b->ncards--;
	b->index_stale = true;
	board_changed(b);
	card_free(card);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int board_find_card_prefix(struct board *b, const char *prefix, struct card **out)
{
	unsigned char want[32];
	size_t n = 0, i, k;
	struct card *found = NULL;
	const char *p;

	for (p = prefix; *p; p++) {
		int v = hexval((unsigned char)*p);

		if (*p == '-')
			continue;
		if (v < 0 || n >= 32)
			return -1;
		want[n++] = (unsigned char)v;
	}
	if (n < CARD_MIN_PREFIX)
		return -1;
	for (i = 0; i < b->ncards; i++) {
		const unsigned char *id = b->cards[i]->id;

		for (k = 0; k < n; k++) {
			unsigned nib = k % 2 ? id[k / 2] & 0x0F : id[k / 2] >> 4;

			if (nib != want[k])
				break;
		}
		if (k < n)
			continue;
		if (found)
			return -3;
		found = b->cards[i];
	}
	if (!found)
		return -2;
	*out = found;
	return 0;
}

void card_set_text(struct card *card, const char *text)
{
	replace_str(&card->text, text ? text : "");
}

void card_set_by(struct card *card, const char *by)
{
	replace_str(&card->by, by);
}

void card_set_note(struct card *card, const char *note)
{
	replace_str(&card->note, note);
}

void card_uuid(const struct card *card, char out[CARD_UUID_LEN + 1])
{
	uuid_unparse_lower(card->id, out);
}

void card_short_id(const struct card *card, char out[CARD_SHORT_ID_LEN + 1])
{
	char full[CARD_UUID_LEN + 1];

	uuid_unparse_lower(card->id, full);
	memcpy(out, full, CARD_SHORT_ID_LEN);
	out[CARD_SHORT_ID_LEN] = '\0';
}

int board_place_card(struct board *b, struct card *card, size_t g, int x, int y)
{
	int n;

	if (g >= b->ngrids)
		return -1;
	n = b->grids[g].cells;
	if (!(x == 0 && y == 0) && (x < 1 || x > n || y < 1 || y > n))
		return -1;
	if (card->place[g].x != x || card->place[g].y != y) {
		struct board_move m;

		m.before = b->generation;
		m.card = card;
		m.grid = g;
		m.from = card->place[g];
		m.to.x = (unsigned char)x;
		m.to.y = (unsigned char)y;
		card->place[g] = m.to;
		b->generation = m.after = ++board_generations;
		if (b->nmoves == sizeof(b->moves) / sizeof(b->moves[0])) {
			memmove(b->moves, b->moves + 1, (b->nmoves - 1) * sizeof(b->moves[0]));
			b->nmoves--;
		}
		b->moves[b->nmoves++] = m;
	}
	return 0;
}

const struct board_move *board_move_since(const struct board *b, unsigned long since)
{
	size_t i;

	for (i = 0; i < b->nmoves; i++)
		if (b->moves[i].before == since)
			return &b->moves[i];
	return NULL;
}

bool card_is_placed(const struct card *card, size_t g)
{
	return card->place[g].x != 0;
}

void grid_easy_range(const struct board *b, const struct grid *grid, enum axis axis, int *lo,
		     int *hi)
{
	const struct criterion *c = &b->criteria[axis == AXIS_X ? grid->x : grid->y];
	int n = grid->cells, half = n / 2;

	if (c->easy == POLE_LOW) {
		*lo = 1;
		*hi = half;
	} else {
		*lo = n - half + 1;
		*hi = n;
	}
}

bool grid_cell_is_easy(const struct board *b, const struct grid *grid, int x, int y)
{
	int lo, hi;
	size_t z;

	if (grid_has_easy_zone(grid)) {
		for (z = 0; z < grid->nzones; z++)
			if (grid->zones[z].easy && zone_has_cell(&grid->zones[z], x, y))
				return true;
		return false;
	}
	grid_easy_range(b, grid, AXIS_X, &lo, &hi);
	if (x < lo || x > hi)
		return false;
	grid_easy_range(b, grid, AXIS_Y, &lo, &hi);
	return y >= lo && y <= hi;
}

struct cell grid_easy_corner(const struct board *b, const struct grid *grid)
{
	struct cell c;

	c.x = (unsigned char)(b->criteria[grid->x].easy == POLE_LOW ? 1 : grid->cells);
	c.y = (unsigned char)(b->criteria[grid->y].easy == POLE_LOW ? 1 : grid->cells);
	return c;
}

bool card_in_easy_zone(const struct board *b, const struct card *card, size_t g)
{
	return card_is_placed(card, g) &&
	       grid_cell_is_easy(b, &b->grids[g], card->place[g].x, card->place[g].y);
}

void board_grid_counts(const struct board *b, size_t g, size_t *placed, size_t *unplaced,
		       size_t *easy)
{
	size_t i, p = 0, e = 0;

	for (i = 0; i < b->ncards; i++) {
		if (!card_is_placed(b->cards[i], g))
			continue;
		p++;
		if (card_in_easy_zone(b, b->cards[i], g))
			e++;
	}
	if (placed)
		*placed = p;
	if (unplaced)
		*unplaced = b->ncards - p;
	if (easy)
		*easy = e;
}

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

/*
 * board_sieve() reads the board once, in board order: it ranks each card and
 * keeps, next to the rank, where the card's text is and a copy of its id, so
 * that the sort does not go back to the card (a big board's cards are spread
 * over far more memory than the CPU's caches hold). It then sorts with radix
 * sorts, not comparisons, so that its time grows with the number of cards,
 * not as n log n; it copies texts only one run at a time:
 * - By rank first: each card's rank packed into 8 bytes (sieve_key(), a
 *   smaller value ranking first). The pass numbers the distinct ranks as it
 *   meets them (struct sieve_ranks: a few dozen on a workshop's board,
 *   whatever its size; a few grids never make more than a few hundred), they
 *   are put in order, and a counting sort puts each card straight into its
 *   rank's run, in board order.
 * - Then each run of equal ranks by text and id (sieve_sort_run()). The run's
 *   ids and texts are copied next to each other first, so that the sort reads
 *   them from the cache, not from all over the board's memory; that scratch
 *   memory is kept from run to run. The sort is an MSD radix sort over the
 *   texts' bytes, then over the ids' bytes for equal texts (sieve_sort()): a
 *   card's bytes are looked at only up to where the card parts from the
 *   others, and the bytes a whole range shares are passed in one scan.
 */

#define SIEVE_HITS_BITS 23
#define SIEVE_DISTANCE_BITS 40
/* Ranges shorter than this are sorted by insertion. */
#define SIEVE_SMALL 32
/*
 * How many cards ahead a pass over cards fetches what it will read (a card,
 * then what the card points to): far enough to wait for memory while it
 * works on the cards in between.
 */
#define SIEVE_AHEAD 16
/* Zero bytes after the last text of the pool: sieve_shared() reads 8 bytes at a time. */
#define SIEVE_PAD 8

static uint64_t sieve_key(const struct sieve_entry *e)
{
	return (uint64_t)(e->placed > 0 ? 0 : 1) << 63 |
	       (((uint64_t)1 << SIEVE_HITS_BITS) - 1 - (uint64_t)e->hits) << SIEVE_DISTANCE_BITS |
	       (uint64_t)e->distance;
}

/*
 * A card being sorted by text: 8 bytes of its text (or of its id), its
 * "word", so that splitting on one of them does not go back to the text;
 * where its text is (the card's, then, once its run is copied, in the run's
 * pool, right after its id); and where the card is on the board.
 */
struct sieve_item {
	uint64_t word;
	const char *text;
	size_t index;
};

/* The index, in memory order, of the first of 8 bytes where x (a XOR of two loads) is not zero. */
static unsigned sieve_first_diff(uint64_t x)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (unsigned)__builtin_ctzll(x) / 8;
#else
	return (unsigned)__builtin_clzll(x) / 8;
#endif
}

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

static int sieve_id_cmp(const void *a, const void *c)
{
	const struct sieve_item *x = a, *y = c;

	return memcmp(x->text - sizeof(uuid_t), y->text - sizeof(uuid_t), sizeof(uuid_t));
}

/* The offset of words that hold the first 8 bytes of equal texts' ids. */
#define SIEVE_ID SIZE_MAX

/* The first 8 bytes of the id before text, in the pool, big-endian: they order as memcmp() does. */
static uint64_t sieve_id_word(const char *text)
{
	const unsigned char *id = (const unsigned char *)text - sizeof(uuid_t);
	uint64_t w = 0;
	int i;

	for (i = 0; i < 8; i++)
		w = w << 8 | id[i];
	return w;
}

/*
 * Orders two items whose texts agree before their words, read at 'off', or
 * are equal (off is SIEVE_ID).
 */
static int sieve_item_cmp(const struct sieve_item *x, const struct sieve_item *y, size_t off)
{
	int r = 0;

	if (x->word != y->word)
		return x->word < y->word ? -1 : 1;
	if (off != SIEVE_ID && x->word & 0xFF) /* a zero last byte: both texts ended, equal */
		r = strcmp(x->text + off + 8, y->text + off + 8);
	return r ? r : sieve_id_cmp(x, y);
}

static void sieve_insertion_sort(struct sieve_item *it, size_t n, size_t off)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct sieve_item t = it[i];

		for (j = i; j > 0 && sieve_item_cmp(&t, &it[j - 1], off) < 0; j--)
			it[j] = it[j - 1];
		it[j] = t;
	}
}

/*
 * How many bytes from 'off' on all the texts of it[0..n) share. Compares 8
 * bytes at a time, which may read up to 7 bytes past a text's end: the pool
 * ends with SIEVE_PAD zero bytes.
 */
static size_t sieve_shared(const struct sieve_item *it, size_t n, size_t off)
{
	const char *first = it[0].text + off;
	size_t i, m = strlen(first);

	for (i = 1; i < n && m; i++) {
		const char *t = it[i].text + off;
		size_t k = 0;

		/* first[k] is not NUL for k < m, so t's end is a difference. */
		while (k < m) {
			uint64_t a, c;

			memcpy(&a, first + k, 8);
			memcpy(&c, t + k, 8);
			if (a != c) {
				k += (size_t)sieve_first_diff(a ^ c);
				break;
			}
			k += 8;
		}
		m = k < m ? k : m;
	}
	return m;
}

/*
 * Sorts it[0..n), whose texts agree before byte 'byte' (0 to 8) of their
 * words, read at 'off', by text and id; or, off being SIEVE_ID, whose texts
 * are equal and ids agree before that byte of their words, by id. tmp has
 * room for n items.
 */
static void sieve_sort(struct sieve_item *tmp, struct sieve_item *it, size_t n, size_t off,
		       unsigned byte)
{
	for (;;) {
		size_t count[256], end[256], i, d, u, nused, big = 0;
		unsigned char used[256]; /* the digits present, in order */
		uint64_t diff = 0;
		unsigned shift;

		if (n < SIEVE_SMALL) {
			sieve_insertion_sort(it, n, off);
			return;
		}
		if (byte < 8) {
			for (i = 1; i < n; i++)
				diff |= it[i].word ^ it[0].word;
			diff &= ~(uint64_t)0 >> (8 * byte);
		}
		if (!diff) {
			/* Equal words: equal texts, or read on past what they all share. */
			if (off == SIEVE_ID) { /* ids that agree on 8 bytes */
				qsort(it, n, sizeof(*it), sieve_id_cmp);
				return;
			}
			if (!(it[0].word & 0xFF)) { /* equal texts: on to their ids */
				for (i = 0; i < n; i++)
					it[i].word = sieve_id_word(it[i].text);
				off = SIEVE_ID;
				byte = 0;
				continue;
			}
			off += 8;
			off += sieve_shared(it, n, off);
			for (i = 0; i < n; i++)
				it[i].word = sieve_text_word(it[i].text + off);
			byte = 0;
			continue;
		}
		/* Split on the first byte that differs: a counting sort through tmp. */
		byte = (unsigned)__builtin_clzll(diff) / 8;
		shift = 56 - 8 * byte;
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[it[i].word >> shift & 0xFF]++;
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
			tmp[end[it[i].word >> shift & 0xFF]++] = it[i];
		memcpy(it, tmp, n * sizeof(*it));
		/* Recurse into the smaller buckets (at most n/2 each), loop on the biggest. */
		for (u = 0; u < nused; u++) {
			d = used[u];
			if (d != big && count[d] > 1)
				sieve_sort(tmp, it + end[d] - count[d], count[d], off, byte + 1);
		}
		it += end[big] - count[big];
		n = count[big];
		byte++;
	}
}

/* Per grid, once: the easy cells, the easy corner and the distance of one step. */
struct sieve_grid {
	bool easy[BOARD_MAX_CELLS + 1][BOARD_MAX_CELLS + 1];
	struct cell corner;
	long step;
};

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

/* Scratch memory for the runs, kept from run to run. */
struct sieve_run {
	struct sieve_item *tmp; /* where sieve_sort() splits: room for the longest run */
	char *pool;             /* each card of the run's id, then its text */
	size_t pool_size;
};

/*
 * Sorts it[0..n), a run of equal ranks, by text and id: copies each card's id
 * (from ids, in board order) and text next to each other in the run's pool
 * first, fetching ahead: nothing depends on a load still on its way.
 */
static void sieve_sort_run(struct sieve_run *s, struct sieve_item *it, size_t n, uuid_t *ids)
{
	size_t i, used = 0;

	for (i = 0; i < n; i++) {
		const char *text = it[i].text;
		size_t len;

		if (i + SIEVE_AHEAD < n) {
			__builtin_prefetch(it[i + SIEVE_AHEAD].text);
			__builtin_prefetch(it[i + SIEVE_AHEAD].text + 64);
			__builtin_prefetch(ids[it[i + SIEVE_AHEAD].index]);
		}
		len = strlen(text) + 1;
		if (used + sizeof(uuid_t) + len + SIEVE_PAD > s->pool_size) {
			s->pool_size = 2 * (used + sizeof(uuid_t) + len + SIEVE_PAD);
			s->pool = xreallocarray(s->pool, s->pool_size, 1);
		}
		memcpy(s->pool + used, ids[it[i].index], sizeof(uuid_t));
		used += sizeof(uuid_t);
		memcpy(s->pool + used, text, len);
		it[i].word = used; /* the offset, until the pool stops moving */
		used += len;
	}
	memset(s->pool + used, 0, SIEVE_PAD);
	for (i = 0; i < n; i++) {
		it[i].text = s->pool + it[i].word;
		it[i].word = sieve_text_word(it[i].text);
	}
	sieve_sort(s->tmp, it, n, 0, 0);
}

/* One of the distinct ranks of a board's cards. */
struct sieve_rank {
	uint64_t key;    /* sieve_key() */
	int hits;
	long distance;
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

/* The number of e's rank, a new one if e is its first card; counts e. */
static size_t sieve_ranks_add(struct sieve_ranks *r, const struct sieve_entry *e)
{
	uint64_t key = sieve_key(e);
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
		r->v[r->n] = (struct sieve_rank){ key, e->hits, e->distance, 0 };
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

/*
 * Numbers r's ranks in order: returns them (r->n numbers, a new array) and
 * sets each rank's count to where its run starts; *longest: the longest run.
 */
static struct sieve_rank_order *sieve_ranks_order(struct sieve_ranks *r, size_t *longest)
{
	struct sieve_rank_order *order = xmalloc((r->n ? r->n : 1) * sizeof(*order));
	size_t k, at = 0;

	for (k = 0; k < r->n; k++)
		order[k] = (struct sieve_rank_order){ r->v[k].key, k };
	qsort(order, r->n, sizeof(*order), sieve_rank_order_cmp);
	*longest = 0;
	for (k = 0; k < r->n; k++) {
		struct sieve_rank *rank = &r->v[order[k].number];
		size_t count = rank->count;

		rank->count = at;
		at += count;
		*longest = count > *longest ? count : *longest;
	}
	return order;
}

/* A card as the pass over the board leaves it, in board order. */
struct sieve_card {
	const char *text;
	size_t rank;     /* its number */
	int placed;
};

struct sieve_entry *board_sieve(const struct board *b)
{
	size_t n = b->ncards, i, j, g, k, longest;
	struct sieve_entry *out = xmalloc((n ? n : 1) * sizeof(*out));
	struct sieve_grid *sg = xcalloc(b->ngrids ? b->ngrids : 1, sizeof(*sg));
	struct sieve_ranks r = { NULL, 0, 0, NULL, 6 };
	struct sieve_run s = { NULL, NULL, 0 };
	struct sieve_rank_order *order;
	struct sieve_card *bc;
	struct sieve_item *it;
	uuid_t *ids;
	bool packed = b->ngrids < ((size_t)1 << SIEVE_HITS_BITS) &&
		      (uint64_t)b->ngrids * SIEVE_DISTANCE_UNIT < ((uint64_t)1 << SIEVE_DISTANCE_BITS);
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
	if (!packed) { /* ranks too wide for 8 bytes */
		for (i = 0; i < n; i++) {
			out[i] = (struct sieve_entry){ b->cards[i], 0, 0, 0 };
			sieve_rank(sg, b->ngrids, &out[i]);
		}
		free(sg);
		qsort(out, n, sizeof(*out), sieve_qsort_cmp);
		return out;
	}
	bc = xmalloc((n ? n : 1) * sizeof(*bc));
	ids = xmalloc((n ? n : 1) * sizeof(*ids));
	r.slot = xcalloc((size_t)1 << r.bits, sizeof(*r.slot));
	/*
	 * One pass over the cards, in order, fetching a few ahead: a card's id,
	 * text and placements come first in struct card.
	 */
	for (i = 0; i < n; i++) {
		const struct card *c = b->cards[i];
		struct sieve_entry e = { b->cards[i], 0, 0, 0 };

		if (i + 2 * SIEVE_AHEAD < n)
			__builtin_prefetch(b->cards[i + 2 * SIEVE_AHEAD]);
		if (i + SIEVE_AHEAD < n)
			__builtin_prefetch(b->cards[i + SIEVE_AHEAD]->place);
		sieve_rank(sg, b->ngrids, &e);
		bc[i] = (struct sieve_card){ c->text, sieve_ranks_add(&r, &e), e.placed };
		memcpy(ids[i], c->id, sizeof(uuid_t));
	}
	free(sg);
	order = sieve_ranks_order(&r, &longest);
	/* A counting sort by rank: each card straight to its run, in board order. */
	it = xmalloc((n ? n : 1) * sizeof(*it));
	for (i = 0; i < n; i++)
		it[r.v[bc[i].rank].count++] = (struct sieve_item){ 0, bc[i].text, i };
	/* Each run by text and id, and its entries. */
	s.tmp = xmalloc((longest ? longest : 1) * sizeof(*s.tmp));
	for (k = 0, i = 0; k < r.n; k++) {
		const struct sieve_rank *rank = &r.v[order[k].number];

		j = rank->count;
		if (j - i > 1)
			sieve_sort_run(&s, it + i, j - i, ids);
		for (; i < j; i++)
			out[i] = (struct sieve_entry){ b->cards[it[i].index], rank->hits,
						       bc[it[i].index].placed, rank->distance };
	}
	free(s.tmp);
	free(s.pool);
	free(it);
	free(order);
	free(r.v);
	free(r.slot);
	free(ids);
	free(bc);
	return out;
}

/* --- History, debate and decisions --------------------------------------- */

static const char *const event_names[EVENT_COUNT] = {
	"created", "moved", "edited", "themed", "noted", "decided", "locked", "unlocked",
};

const char *event_name(enum event_kind kind)
{
	return (unsigned)kind < EVENT_COUNT ? event_names[kind] : "edited";
}

int event_parse(const char *name)
{
	int i;

	for (i = 0; i < EVENT_COUNT; i++)
		if (!strcmp(name, event_names[i]))
			return i;
	return -1;
}

struct card_event *card_record(struct card *card, enum event_kind kind, time_t at,
			       const char *by)
{
	struct card_event *e;

	if (card->nhistory == CARD_HISTORY_MAX) {
		free(card->history[0].by);
		memmove(&card->history[0], &card->history[1],
			(card->nhistory - 1) * sizeof(*card->history));
		card->nhistory--;
	}
	ALLOC_GROW(card->history, card->nhistory + 1, card->history_alloc);
	e = &card->history[card->nhistory++];
	memset(e, 0, sizeof(*e));
	e->at = at;
	e->by = by ? xstrdup(by) : NULL;
	e->kind = kind;
	return e;
}

int board_move_card(struct board *b, struct card *card, size_t g, int x, int y, time_t at,
		    const char *by)
{
	struct cell from;
	struct card_event *e;

	if (g >= b->ngrids)
		return -1;
	from = card->place[g];
	if (from.x == x && from.y == y)
		return 0;
	if (board_place_card(b, card, g, x, y) < 0)
		return -1;
	e = card_record(card, EVENT_MOVED, at, by);
	e->grid = g;
	e->from = from;
	e->to = card->place[g];
	return 1;
}

int grid_half(int n, int v)
{
	if (2 * v <= n)
		return -1;
	if (2 * v > n + 1)
		return 1;
	return 0;
}

bool card_is_debated(const struct board *b, const struct card *card)
{
	size_t g, i;

	if (card->debated_mark)
		return true;
	for (g = 0; g < b->ngrids; g++) {
		int n = b->grids[g].cells, crossings = 0;
		const char *first = NULL;
		bool first_set = false;

		for (i = 0; i < card->nhistory; i++) {
			const struct card_event *e = &card->history[i];

			if (e->kind != EVENT_MOVED || e->grid != g || !e->from.x || !e->to.x)
				continue;
			if (grid_half(n, e->from.x) == grid_half(n, e->to.x) &&
			    grid_half(n, e->from.y) == grid_half(n, e->to.y))
				continue;
			if (++crossings >= 3)
				return true;
			if (!first_set) {
				first = e->by;
				first_set = true;
			} else if ((first == NULL) != (e->by == NULL) ||
				   (first && strcmp(first, e->by))) {
				return true;
			}
		}
	}
	return false;
}

void board_log_decision(struct board *b, const struct decision_entry *entry)
{
	struct decision_entry *d;

	ALLOC_GROW(b->decisions, b->ndecisions + 1, b->decisions_alloc);
	d = &b->decisions[b->ndecisions++];
	*d = *entry;
	d->by = entry->by ? xstrdup(entry->by) : NULL;
	d->text = xstrdup(entry->text ? entry->text : "");
	d->rationale = entry->rationale ? xstrdup(entry->rationale) : NULL;
}

int board_decide(struct board *b, struct card *card, enum decision to, time_t at,
		 const char *by, const char *rationale)
{
	struct decision_entry d;
	struct card_event *e;

	if (card->decision == to)
		return 1;
	e = card_record(card, EVENT_DECIDED, at, by);
	e->dfrom = card->decision;
	e->dto = to;
	memset(&d, 0, sizeof(d));
	d.at = at;
	d.by = (char *)by;
	memcpy(d.card, card->id, sizeof(uuid_t));
	d.text = card->text;
	d.from = card->decision;
	d.to = to;
	d.rationale = rationale && *rationale ? (char *)rationale : NULL;
	board_log_decision(b, &d);
	card->decision = to;
	return 0;
}

int board_lock_card(struct board *b, struct card *card, bool locked, time_t at, const char *by)
{
	(void)b;
	if (card->locked == locked)
		return 1;
	card->locked = locked;
	card_record(card, locked ? EVENT_LOCKED : EVENT_UNLOCKED, at, by);
	return 0;
}

/* --- Zones ---------------------------------------------------------------- */

bool zone_has_cell(const struct zone *zone, int x, int y)
{
	if (x < 1 || y < 1 || x > BOARD_MAX_CELLS || y > BOARD_MAX_CELLS)
		return false;
	return zone->rows[y - 1] >> (x - 1) & 1;
}

int grid_zone_index(const struct grid *grid, const char *name)
{
	size_t z;

	for (z = 0; z < grid->nzones; z++)
		if (!strcmp(grid->zones[z].name, name))
			return (int)z;
	return -1;
}

int grid_add_zone(struct board *b, size_t g, const char *name, enum hue color, bool easy)
{
	struct grid *grid;
	struct zone *z;

	if (g >= b->ngrids)
		return -1;
	grid = &b->grids[g];
	if (grid->nzones >= GRID_MAX_ZONES || grid_zone_index(grid, name) >= 0 ||
	    (unsigned)color >= HUE_COUNT)
		return -1;
	ALLOC_GROW(grid->zones, grid->nzones + 1, grid->zones_alloc);
	z = &grid->zones[grid->nzones];
	memset(z, 0, sizeof(*z));
	z->name = xstrdup(name);
	z->color = color;
	z->easy = easy;
	return (int)grid->nzones++;
}

void grid_remove_zone(struct board *b, size_t g, size_t zone)
{
	struct grid *grid;

	if (g >= b->ngrids || zone >= b->grids[g].nzones)
		return;
	grid = &b->grids[g];
	free(grid->zones[zone].name);
	memmove(&grid->zones[zone], &grid->zones[zone + 1],
		(grid->nzones - zone - 1) * sizeof(*grid->zones));
	grid->nzones--;
}

int grid_assign_cell(struct board *b, size_t g, int zone, int x, int y)
{
	struct grid *grid;
	size_t z;

	if (g >= b->ngrids)
		return -1;
	grid = &b->grids[g];
	if (x < 1 || y < 1 || x > grid->cells || y > grid->cells || zone >= (int)grid->nzones)
		return -1;
	for (z = 0; z < grid->nzones; z++)
		grid->zones[z].rows[y - 1] &= (uint16_t)~(1u << (x - 1));
	if (zone >= 0)
		grid->zones[zone].rows[y - 1] |= (uint16_t)(1u << (x - 1));
	return 0;
}

int grid_zone_at(const struct grid *grid, int x, int y)
{
	size_t z;

	for (z = 0; z < grid->nzones; z++)
		if (zone_has_cell(&grid->zones[z], x, y))
			return (int)z;
	return -1;
}

bool grid_has_easy_zone(const struct grid *grid)
{
	size_t z;

	for (z = 0; z < grid->nzones; z++)
		if (grid->zones[z].easy)
			return true;
	return false;
}

/* --- Facilitation and the frame --------------------------------------------- */

bool board_may_facilitate(const struct board *b, const char *account)
{
	size_t i;

	if (!b->nfacilitators)
		return true;
	for (i = 0; account && i < b->nfacilitators; i++)
		if (!strcmp(b->facilitators[i], account))
			return true;
	return false;
}

void board_add_facilitator(struct board *b, const char *account)
{
	size_t i;

	for (i = 0; i < b->nfacilitators; i++)
		if (!strcmp(b->facilitators[i], account))
			return;
	ALLOC_GROW(b->facilitators, b->nfacilitators + 1, b->facilitators_alloc);
	b->facilitators[b->nfacilitators++] = xstrdup(account);
}

void card_set_pair(struct card *card, const char *pair)
{
	replace_str(&card->pair, pair);
}

bool card_is_unplaced(const struct board *b, const struct card *card)
{
	size_t g;

	for (g = 0; g < b->ngrids; g++)
		if (card_is_placed(card, g))
			return false;
	return true;
}

size_t board_deal_plan(const struct board *b, size_t npairs, long *plan)
{
	size_t t, i, next = 0, dealt = 0;

	for (i = 0; i < b->ncards; i++)
		plan[i] = -1;
	if (!npairs)
		return 0;
	for (t = 0; t < b->nthemes; t++)
		for (i = 0; i < b->ncards; i++) {
			const struct card *card = b->cards[i];

			if (card->theme != t || card->pair || !card_is_unplaced(b, card))
				continue;
			plan[i] = (long)next;
			next = (next + 1) % npairs;
			dealt++;
		}
	return dealt;
}

/* The cell of an m-cell axis holding the centre of cell v of an n-cell axis. */
static int board_rescale(int v, int n, int m)
{
	return (2 * v - 1) * m / (2 * n) + 1;
}

int board_resize_grid(struct board *b, size_t g, int cells)
{
	struct grid *grid;
	size_t i, z;
	int n, x, y;

	if (g >= b->ngrids || cells < BOARD_MIN_CELLS || cells > BOARD_MAX_CELLS)
		return -1;
	grid = &b->grids[g];
	n = grid->cells;
	for (i = 0; i < b->ncards; i++) {
		struct cell *c = &b->cards[i]->place[g];

		if (!c->x)
			continue;
		c->x = (unsigned char)board_rescale(c->x, n, cells);
		c->y = (unsigned char)board_rescale(c->y, n, cells);
	}
	for (i = 0; i < b->ncards; i++) {
		struct card *card = b->cards[i];
		size_t k;

		/* Past moves keep meaning the same places. */
		for (k = 0; k < card->nhistory; k++) {
			struct card_event *e = &card->history[k];

			if (e->kind != EVENT_MOVED || e->grid != g)
				continue;
			if (e->from.x) {
				e->from.x = (unsigned char)board_rescale(e->from.x, n, cells);
				e->from.y = (unsigned char)board_rescale(e->from.y, n, cells);
			}
			if (e->to.x) {
				e->to.x = (unsigned char)board_rescale(e->to.x, n, cells);
				e->to.y = (unsigned char)board_rescale(e->to.y, n, cells);
			}
		}
	}
	for (z = 0; z < grid->nzones; z++) {
		uint16_t rows[BOARD_MAX_CELLS] = { 0 };

		/* A new cell is in the zone when its centre lies in an old zone cell. */
		for (y = 1; y <= cells; y++)
			for (x = 1; x <= cells; x++)
				if (zone_has_cell(&grid->zones[z], board_rescale(x, cells, n),
						  board_rescale(y, cells, n)))
					rows[y - 1] |= (uint16_t)(1u << (x - 1));
		memcpy(grid->zones[z].rows, rows, sizeof(rows));
	}
	grid->cells = cells;
	board_changed(b);
	return 0;
}

void board_set_criterion(struct board *b, size_t c, const char *low, const char *high,
			 enum pole easy)
{
	if (c >= b->ncriteria)
		return;
	if (low)
		replace_str(&b->criteria[c].low, low);
	if (high)
		replace_str(&b->criteria[c].high, high);
	b->criteria[c].easy = easy == POLE_HIGH ? POLE_HIGH : POLE_LOW;
}
