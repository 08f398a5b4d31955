#include "board.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "sieve_index.h"
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
		card_event_release(&card->history[i]);
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
	free(b->lang);
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

bool board_lang_valid(const char *lang)
{
	size_t i, n = strspn(lang, "abcdefghijklmnopqrstuvwxyz");

	if (n < 2 || n > 3)
		return false;
	if (!lang[n])
		return true;
	if (lang[n] != '_' || strlen(lang + n + 1) != 2)
		return false;
	for (i = n + 1; lang[i]; i++)
		if (lang[i] < 'A' || lang[i] > 'Z')
			return false;
	return true;
}

void board_set_lang(struct board *b, const char *lang)
{
	replace_str(&b->lang, lang);
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
	for (i = 0; i < card->nhistory; i++)
		card_event_copy(&c->history[i], &card->history[i]);
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
		card_event_release(&card->history[0]);
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

void card_event_set_values(struct card_event *e, const char *from, const char *to)
{
	if (!e->values)
		e->vfrom = e->vto = NULL;
	replace_str(&e->vfrom, from);
	replace_str(&e->vto, to);
	e->values = true;
}

static size_t card_version_add(struct card_version *v, size_t n, const char *text,
			       const struct card_event *e)
{
	if (n && !strcmp(v[n - 1].text, text))
		return n;
	v[n].text = text;
	v[n].event = e;
	return n + 1;
}

size_t card_versions(const struct card *card, struct card_version *v)
{
	size_t i, n = 0;

	for (i = 0; i < card->nhistory; i++) {
		const struct card_event *e = &card->history[i];

		if (e->kind != EVENT_EDITED || !e->values || !e->vfrom || !e->vto)
			continue;
		n = card_version_add(v, n, e->vfrom, NULL);
		n = card_version_add(v, n, e->vto, e);
	}
	return card_version_add(v, n, card->text, NULL);
}

void card_event_copy(struct card_event *dst, const struct card_event *src)
{
	*dst = *src;
	dst->by = src->by ? xstrdup(src->by) : NULL;
	if (src->values) {
		dst->vfrom = src->vfrom ? xstrdup(src->vfrom) : NULL;
		dst->vto = src->vto ? xstrdup(src->vto) : NULL;
	}
}

void card_event_release(struct card_event *e)
{
	free(e->by);
	e->by = NULL;
	if (e->values) {
		free(e->vfrom);
		free(e->vto);
		e->vfrom = e->vto = NULL;
		e->values = false;
	}
}

int board_move_card(struct board *b, struct card *card, size_t g, int x, int y, time_t at,
		    const char *by)
{
	struct cell from;
	struct card_event *e;

	if (g >= b->ngrids)
		return RESULT_REFUSED;
	from = card->place[g];
	if (from.x == x && from.y == y)
		return RESULT_UNCHANGED;
	if (board_place_card(b, card, g, x, y) < 0)
		return RESULT_REFUSED;
	e = card_record(card, EVENT_MOVED, at, by);
	e->grid = g;
	e->from = from;
	e->to = card->place[g];
	return RESULT_OK;
}

int grid_half(int n, int v)
{
	if (2 * v <= n)
		return -1;
	if (2 * v > n + 1)
		return 1;
	return 0;
}

const char *grid_cell_pole(const struct board *b, size_t g, struct cell at, enum axis axis)
{
	const struct grid *grid;
	const struct criterion *c;
	int half, v = axis == AXIS_X ? at.x : at.y;

	if (g >= b->ngrids || at.x < 1 || at.y < 1)
		return NULL;
	grid = &b->grids[g];
	if (at.x > grid->cells || at.y > grid->cells)
		return NULL;
	c = &b->criteria[axis == AXIS_X ? grid->x : grid->y];
	half = grid_half(grid->cells, v);
	return half < 0 ? c->low : half > 0 ? c->high : NULL;
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
		return RESULT_UNCHANGED;
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
	return RESULT_OK;
}

int board_lock_card(struct board *b, struct card *card, bool locked, time_t at, const char *by)
{
	(void)b;
	if (card->locked == locked)
		return RESULT_UNCHANGED;
	card->locked = locked;
	card_record(card, locked ? EVENT_LOCKED : EVENT_UNLOCKED, at, by);
	return RESULT_OK;
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
		return strcmp(had->key, key) ? RESULT_REFUSED : RESULT_UNCHANGED;
	ALLOC_GROW(b->keys, b->nkeys + 1, b->keys_alloc);
	k = &b->keys[b->nkeys++];
	k->name = xstrdup(name);
	k->key = xstrdup(key);
	k->added = added;
	return RESULT_OK;
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
