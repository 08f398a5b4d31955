#include "board.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xmalloc.h"

/* The sieve's index of the cards, kept by every change to them (see board_sieve()). */
struct sieve_index;
static struct sieve_index *sieve_index_new(void);
static void sieve_index_free(struct sieve_index *ix);
static void sieve_index_added(const struct board *b, struct card *card);
static void sieve_index_removed(const struct board *b, const struct card *card);
static void sieve_index_placed(const struct board *b, const struct card *card);

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
	comments_init(&b->comments);
	b->sieve = sieve_index_new();
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
	comments_free(card->comments);
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
		free(b->decisions[i].key);
		free(b->decisions[i].sig);
	}
	free(b->decisions);
	for (i = 0; i < b->nfacilitators; i++)
		free(b->facilitators[i]);
	free(b->facilitators);
	for (i = 0; i < b->nkeys; i++) {
		free(b->keys[i].name);
		free(b->keys[i].key);
	}
	free(b->keys);
	free(b->themes);
	free(b->criteria);
	free(b->grids);
	free(b->cards);
	free(b->index);
	sieve_index_free(b->sieve);
	free(b->title);
	free(b->description);
	comments_release(&b->comments);
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
	sieve_index_added(b, card);
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
	c->comments = comments_dup(card->comments);
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
	sieve_index_added(b, card);
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
	sieve_index_removed(b, card);
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

void board_set_card_text(struct board *b, struct card *card, const char *text)
{
	sieve_index_removed(b, card);
	card_set_text(card, text);
	sieve_index_added(b, card);
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
		sieve_index_placed(b, card);
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
static void sieve_index_added(const struct board *b, struct card *card)
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
static void sieve_index_removed(const struct board *b, const struct card *card)
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
static void sieve_index_placed(const struct board *b, const struct card *card)
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

static struct sieve_index *sieve_index_new(void)
{
	return xcalloc(1, sizeof(struct sieve_index));
}

static void sieve_index_free(struct sieve_index *ix)
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
	d->key = entry->key ? xstrdup(entry->key) : NULL;
	d->sig = entry->sig ? xstrdup(entry->sig) : NULL;
}

void decision_entry_sign(struct decision_entry *d, const char *text, const char *key,
			 const char *sig)
{
	if (text)
		replace_str(&d->text, text);
	replace_str(&d->key, key);
	replace_str(&d->sig, sig);
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

int board_add_key(struct board *b, const char *name, const char *key, time_t added)
{
	const struct facilitator_key *had = board_find_key(b, name);
	struct facilitator_key *k;

	if (had)
		return strcmp(had->key, key) ? -1 : 1;
	ALLOC_GROW(b->keys, b->nkeys + 1, b->keys_alloc);
	k = &b->keys[b->nkeys++];
	k->name = xstrdup(name);
	k->key = xstrdup(key);
	k->added = added;
	return 0;
}

const struct facilitator_key *board_find_key(const struct board *b, const char *name)
{
	size_t i;

	for (i = 0; name && i < b->nkeys; i++)
		if (!strcmp(b->keys[i].name, name))
			return &b->keys[i];
	return NULL;
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
