/*
 * board.h - the tamis board model: themes, criteria, grids and cards, the
 * easiest-to-launch zone of a grid and the sieve ranking.
 *
 * This module does no I/O and includes neither curses nor yaml, so every rule
 * is unit-testable. Changes that can do nothing or be refused return an enum
 * result (result.h). The YAML store (store.h), the CLI and the UI sit on top.
 *
 * Ownership: the board owns every string and card it holds; getters return
 * borrowed pointers that stay valid until the object is changed or removed.
 * Setters copy their string arguments. Out of memory is fatal (xmalloc).
 *
 * The board and each card also carry the comments of their file
 * (comments.h), for the store to write back: the model never reads them,
 * only frees and copies them with what holds them (card_free(), card_dup()).
 *
 * Cells are counted from 1 at the low pole of each axis: (1,1) is the
 * low/low corner, (cells,cells) the high/high one. A card's placement on a
 * grid is either a cell or the tray (x = y = 0).
 */
#ifndef TAMIS_BOARD_H
#define TAMIS_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <uuid/uuid.h>

#include "result.h"

#include "comments.h"

#define BOARD_MIN_CELLS 2
#define BOARD_MAX_CELLS 9
#define BOARD_DEFAULT_CELLS 2
#define BOARD_ID_MAX 64           /* bytes in a theme/criterion/grid id */
#define BOARD_MAX_CRITERIA 1000u  /* the store refuses more (store.h) */
#define BOARD_MAX_GRIDS 100u
#define CARD_SHORT_ID_LEN 8       /* hex digits in a short card id */
#define CARD_MIN_PREFIX 4         /* hex digits needed to name a card */
#define CARD_UUID_LEN 36         /* characters in a full card id */

/* The 8 terminal colours, in curses order (COLOR_BLACK == HUE_BLACK ...). */
enum hue {
	HUE_BLACK,
	HUE_RED,
	HUE_GREEN,
	HUE_YELLOW,
	HUE_BLUE,
	HUE_MAGENTA,
	HUE_CYAN,
	HUE_WHITE,
	HUE_COUNT
};

enum pole { POLE_LOW, POLE_HIGH };

enum axis { AXIS_X, AXIS_Y };

enum decision {
	DECISION_UNDECIDED,
	DECISION_V1,
	DECISION_V2,
	DECISION_ELSEWHERE,
	DECISION_COUNT
};

struct theme {
	char *id;
	char *label;
	enum hue color;
};

/* A pair of contradictory poles; 'easy' is the pole easier to launch. */
struct criterion {
	char *id;
	char *low;
	char *high;
	enum pole easy;
};

/* Two criteria (indices into board->criteria), one per axis, N x N cells. */
struct grid {
	char *id;
	size_t x;
	size_t y;
	int cells;
	struct zone *zones;   /* facilitator zones, in drawing order */
	size_t nzones, zones_alloc;
};

struct cell {
	unsigned char x; /* 0 = in the tray, else 1..cells */
	unsigned char y;
};

/*
 * A named zone of a grid, drawn by the facilitator ("V1 — quick wins", "V2 —
 * later", "other actors"...). A cell belongs to at most one zone of its grid.
 * A zone marked easy replaces the computed easiest-to-launch zone.
 */
#define GRID_MAX_ZONES 16
struct zone {
	char *name;
	enum hue color;
	bool easy;
	uint16_t rows[BOARD_MAX_CELLS]; /* bit x-1 of rows[y-1]: cell (x, y) */
};

/* What happened to a card, for its history (see card_record()). */
enum event_kind {
	EVENT_CREATED,
	EVENT_MOVED,     /* grid, from, to */
	EVENT_EDITED,    /* the text changed */
	EVENT_THEMED,    /* the theme changed */
	EVENT_NOTED,     /* the note changed */
	EVENT_DECIDED,   /* dfrom, dto */
	EVENT_LOCKED,
	EVENT_UNLOCKED,
	EVENT_COUNT
};

#define CARD_HISTORY_MAX 64 /* events kept per card; the oldest go first */

struct card_event {
	time_t at;
	char *by;             /* NULL when unknown */
	enum event_kind kind;
	/*
	 * EVENT_EDITED, EVENT_NOTED, EVENT_THEMED: vfrom and vto are known (what
	 * the change replaced and what it left). Events of files written before
	 * tamis kept them have none.
	 */
	bool values;
	union {               /* by kind: read only what the kind has */
		struct {              /* EVENT_MOVED */
			size_t grid;          /* index into board->grids */
			struct cell from, to;
		};
		struct {              /* EVENT_DECIDED */
			enum decision dfrom, dto;
		};
		struct {              /* with values: the text, the note (NULL: none), the theme's id */
			char *vfrom, *vto;
		};
	};
};

/*
 * One entry of the board's decision log: who decided what, when and why, and
 * the signature of the operation that made it (sign.h), kept so that the
 * entry can be verified again once the journal is gone.
 */
struct decision_entry {
	time_t at;
	char *by;             /* NULL when unknown */
	uuid_t card;
	char *text;           /* the card's text when decided (the card may go) */
	enum decision from, to;
	char *rationale;      /* NULL when none was given */
	char *key;            /* the signer's public key ("ed25519:..."); NULL: not signed */
	char *sig;            /* the signature (base64); NULL: not signed */
};

/*
 * A facilitator's public key listed on the board (sign.h): operations made
 * with facilitator rights by 'name' verify against it. One key per name.
 */
struct facilitator_key {
	char *name;           /* who signs with it: the operations' 'by' */
	char *key;            /* "ed25519:" and the public key in base64 */
	time_t added;         /* 0 when unknown */
};

/*
 * id, text and place come first: a pass over all the cards (building or
 * ranking again the sieve's index, board.c) reads them, and 32 bytes mostly
 * fit in the cache line it fetches.
 */
struct card {
	uuid_t id;            /* generated once, never changes */
	char *text;           /* UTF-8, never NULL */
	struct cell *place;   /* one per grid: nplace entries, board->ngrids on a board */
	size_t nplace;        /* a detached copy may predate grids added since */
	size_t theme;         /* index into board->themes */
	char *by;             /* who created it; NULL when unknown */
	time_t created;       /* UTC; 0 when unknown */
	char *note;           /* NULL when none */
	enum decision decision;
	bool locked;
	bool debated_mark;    /* debated whatever the history says (merges) */
	char *pair;           /* the pair it was dealt to; NULL when none */
	struct card_event *history; /* oldest first, at most CARD_HISTORY_MAX */
	size_t nhistory, history_alloc;
	/*
	 * The comments of the card in its file (comments.h), NULL when none:
	 * they go with the card, deleted, copied (card_dup()) or merged.
	 */
	struct comments *comments;
};

struct board {
	char *title;
	char *description;    /* NULL when none */
	char *lang;           /* the board's language ("fr", "pt_BR"), NULL when none */

	struct theme *themes;
	size_t nthemes, themes_alloc;
	struct criterion *criteria;
	size_t ncriteria, criteria_alloc;
	struct grid *grids;
	size_t ngrids, grids_alloc;

	struct card **cards;  /* in board order (the file's order) */
	size_t ncards, cards_alloc;

	struct decision_entry *decisions; /* the decision log, oldest first */
	size_t ndecisions, decisions_alloc;

	/* Accounts allowed to facilitate; none listed: anyone may. */
	char **facilitators;
	size_t nfacilitators, facilitators_alloc;

	/* The facilitators' public keys, in the order they were added. */
	struct facilitator_key *keys;
	size_t nkeys, keys_alloc;

	/* The comments of its file but the cards' (comments.h), for the store. */
	struct comments comments;

	/* Private: open-addressing index of cards by id. */
	struct card **index;
	size_t index_size;
	bool index_stale;
	/* Private: the cards by text and id, ranked (board_sieve()); NULL: none kept. */
	struct sieve_index *sieve;

	/*
	 * Changes whenever a card is added, removed, inserted or placed, or a
	 * grid is added or resized: a cache built from the board (a layout
	 * view) is current while the board's generation is the one it saw.
	 * Values are unique in the process, never reused by another board.
	 * Text, notes, themes, history and zones do not count.
	 */
	unsigned long generation;
	/*
	 * The last placements (board_place_card()) since the last other change,
	 * oldest first, so a cache can follow a few moves instead of
	 * rebuilding: each took the board from generation 'before' to 'after'.
	 * Read with board_move_since().
	 */
	struct board_move {
		unsigned long before, after;
		const struct card *card;
		size_t grid;
		struct cell from, to;
	} moves[8];
	size_t nmoves;
};

/* One card's standing in the sieve (see board_sieve()). */
struct sieve_entry {
	struct card *card;
	int hits;         /* grids whose easy zone holds the card */
	int placed;       /* grids on which the card is placed */
	long distance;    /* summed distance to the easy corners, scaled */
};

/* Scale of sieve_entry.distance: one grid's full diagonal walk. */
#define SIEVE_DISTANCE_UNIT 720720L

const char *hue_name(enum hue hue);
/* Returns the hue named 'name' ("red", ...) or -1. */
int hue_parse(const char *name);
const char *decision_name(enum decision d);   /* "undecided", "v1", ... */
int decision_parse(const char *name);         /* or -1 */
const char *pole_name(enum pole p);           /* "low" / "high" */
int pole_parse(const char *name);             /* or -1 */

/*
 * True when id can name a theme, criterion or grid: 1..BOARD_ID_MAX bytes of
 * ASCII letters, digits, '-', '_' and '.', starting with a letter or digit.
 */
bool board_id_valid(const char *id);

/* A new empty board titled 'title'; free with board_free(). */
struct board *board_new(const char *title);
void board_free(struct board *b);
void board_set_title(struct board *b, const char *title);
void board_set_description(struct board *b, const char *description);
/*
 * A board's language, as its file's 'lang:' gives it: a language code of two
 * or three lowercase letters, with an optional region ("fr", "en", "pt_BR").
 * Outputs about the board use it; the UI uses it when its user's locale names
 * no language (C or POSIX).
 */
bool board_lang_valid(const char *lang);
void board_set_lang(struct board *b, const char *lang);

/*
 * Adders return the new item's index, or -1 when the id is already used (or,
 * for grids, when the criteria or cells are out of range). Ids must satisfy
 * board_id_valid(); the store reports bad ids before calling these.
 */
int board_add_theme(struct board *b, const char *id, const char *label, enum hue color);
int board_add_criterion(struct board *b, const char *id, const char *low,
			const char *high, enum pole easy);
/* Adding a grid puts every existing card in that grid's tray. */
int board_add_grid(struct board *b, const char *id, size_t x, size_t y, int cells);

/* Index of the theme/criterion/grid with that id, or -1. */
int board_theme_index(const struct board *b, const char *id);
int board_criterion_index(const struct board *b, const char *id);
int board_grid_index(const struct board *b, const char *id);

/*
 * Adds a card at the end of the board, unplaced on every grid, with decision
 * undecided. Returns NULL when a card with that id exists or theme is out of
 * range.
 */
struct card *board_add_card(struct board *b, const uuid_t id, const char *text, size_t theme);
/* Removes and frees the card. */
void board_remove_card(struct board *b, struct card *card);
/*
 * A detached deep copy of card (history, placements on b's grids included),
 * for undo and live sharing; free it with card_free() or hand it back with
 * board_insert_card().
 */
struct card *card_dup(const struct board *b, const struct card *card);
void card_free(struct card *card);
/*
 * Inserts a detached card (taking ownership) at position pos (clamped to the
 * end). Returns -1, and keeps ownership with the caller, when its id is
 * already on the board or its theme is out of range.
 */
int board_insert_card(struct board *b, struct card *card, size_t pos);
/* Position of card in b->cards, or (size_t)-1 when it is not on the board. */
size_t board_card_pos(const struct board *b, const struct card *card);

struct card *board_find_card(struct board *b, const uuid_t id);
/*
 * Finds the card whose id starts with 'prefix' (hex digits, dashes ignored,
 * any case). Returns 0 and sets *out, or -1 when the prefix is not at least
 * CARD_MIN_PREFIX hex digits, -2 when no card matches, -3 when several do.
 */
int board_find_card_prefix(struct board *b, const char *prefix, struct card **out);

/* Sets the text of a card on no board; board_set_card_text() for one on b. */
void card_set_text(struct card *card, const char *text);
void board_set_card_text(struct board *b, struct card *card, const char *text);
void card_set_by(struct card *card, const char *by);     /* NULL clears */
void card_set_note(struct card *card, const char *note); /* NULL clears */
/* Writes the 36-character lowercase UUID plus NUL. */
void card_uuid(const struct card *card, char out[CARD_UUID_LEN + 1]);
/* Writes the first CARD_SHORT_ID_LEN hex digits plus NUL. */
void card_short_id(const struct card *card, char out[CARD_SHORT_ID_LEN + 1]);

/*
 * Places card on grid g at (x, y), or in the tray when x == y == 0. Returns -1
 * (and changes nothing) when g or the cell is out of range.
 */
int board_place_card(struct board *b, struct card *card, size_t g, int x, int y);
/*
 * The placement that took the board from generation 'since' to the next one,
 * or NULL when none is known (another kind of change, or too long ago).
 */
const struct board_move *board_move_since(const struct board *b, unsigned long since);
/* True when the card is on a cell (not in the tray) of grid g. */
bool card_is_placed(const struct card *card, size_t g);

/*
 * The easiest-to-launch zone: by default the cells in the easy half of both
 * axes. On an axis of n cells whose easy pole is low, that is 1..n/2; when
 * high, n-n/2+1..n (with odd n the middle cell is in neither half). When the
 * facilitator has drawn zones marked easy, their cells are the zone instead.
 * This is the single place that decides zone membership.
 */
bool grid_cell_is_easy(const struct board *b, const struct grid *grid, int x, int y);
/* The easy range on one axis of grid: *lo..*hi, 1-based, inclusive. */
void grid_easy_range(const struct board *b, const struct grid *grid, enum axis axis,
		     int *lo, int *hi);
/* The cell at the easy corner of the grid (easy pole of both axes). */
struct cell grid_easy_corner(const struct board *b, const struct grid *grid);
bool card_in_easy_zone(const struct board *b, const struct card *card, size_t g);

/* Counts on grid g: cards placed, in the tray, and in the easy zone. */
void board_grid_counts(const struct board *b, size_t g, size_t *placed,
		       size_t *unplaced, size_t *easy);

/*
 * The sieve: ranks every card by the number of grids placing it in their easy
 * zone (more first), then by its summed distance to the grids' easy corners
 * (Manhattan distance over the grid's diagonal, SIEVE_DISTANCE_UNIT per
 * grid; a grid where the card is unplaced counts a full unit), cards placed on
 * no grid last, then by text (bytewise) and id. Returns b->ncards entries in
 * rank order, in a new array the caller frees. It brings the board's private
 * index of the cards up to date first (a cache: nothing else changes), so
 * its time grows with the number of cards.
 */
struct sieve_entry *board_sieve(const struct board *b);
/*
 * Gets the sieve's index of b's cards up to date now (a board just read),
 * so that the next board_sieve() only ranks.
 */
void board_sieve_prepare(const struct board *b);
/* The comparison board_sieve() sorts with (<0, 0, >0). */
int sieve_entry_cmp(const struct sieve_entry *a, const struct sieve_entry *c);

/* --- History, debate and decisions ------------------------------------- */

const char *event_name(enum event_kind kind);   /* "created", "moved", ... */
int event_parse(const char *name);              /* or -1 */

/*
 * Appends an event to the card's history (copying by), dropping the oldest
 * past CARD_HISTORY_MAX. Returns the new event so the caller can fill the
 * kind-specific fields.
 */
struct card_event *card_record(struct card *card, enum event_kind kind, time_t at,
			       const char *by);
/*
 * One version of a card's text, as its history knows it: the text, and the
 * edit that left it (NULL: the text before the first edit recorded).
 */
struct card_version {
	const char *text;
	const struct card_event *event;
};

#define CARD_VERSIONS_MAX (2 * CARD_HISTORY_MAX + 1)

/*
 * The versions of card's text, oldest first, into v (CARD_VERSIONS_MAX
 * entries): the text its first recorded edit replaced, then what each edit
 * left; the last is always the text it has now. Consecutive equal texts are
 * one version. Returns how many (at least 1). Borrowed from the card.
 */
size_t card_versions(const struct card *card, struct card_version *v);

/* Sets what an event's change replaced and left (copies; NULL: none). */
void card_event_set_values(struct card_event *e, const char *from, const char *to);
/* A deep copy of src into dst (overwritten); and the frees of one event. */
void card_event_copy(struct card_event *dst, const struct card_event *src);
void card_event_release(struct card_event *e);

/*
 * Moves card on grid g like board_place_card() and records it as moved by
 * 'by' at 'at'. Returns an enum result (result.h): RESULT_OK when it moved,
 * RESULT_UNCHANGED when the card was already there (nothing recorded),
 * RESULT_REFUSED when the cell is out of range.
 */
int board_move_card(struct board *b, struct card *card, size_t g, int x, int y,
		    time_t at, const char *by);

/*
 * The half of an axis of n cells a cell lies in: -1 low, +1 high, 0 the
 * middle cell of an odd n.
 */
int grid_half(int n, int v);

/*
 * The pole of grid g's criterion on axis that cell 'at' leans to (its
 * label, borrowed), as a person says where a card is ("Autonomie de
 * l'usager · Fréquent"): the low pole in the low half of the axis, the high
 * pole in the high half; NULL in the middle cell of an odd axis, for the
 * tray ({0, 0}) and for a cell or grid that is not there.
 */
const char *grid_cell_pole(const struct board *b, size_t g, struct cell at, enum axis axis);

/*
 * A card is debated when, on one grid, it was moved across a quadrant
 * boundary (from one cell to another in a different half of an axis) by two
 * or more different people, or three times or more; or when it carries the
 * debated mark (a merge of conflicting placements).
 */
bool card_is_debated(const struct board *b, const struct card *card);

/*
 * Sets the card's decision, recording it in the card's history and in the
 * board's decision log (with the rationale, which may be NULL). Returns
 * RESULT_OK, or RESULT_UNCHANGED when the decision was already 'to'
 * (nothing recorded).
 */
int board_decide(struct board *b, struct card *card, enum decision to, time_t at,
		 const char *by, const char *rationale);
/* Appends an entry to the decision log (copies its strings); for the store. */
void board_log_decision(struct board *b, const struct decision_entry *entry);
/*
 * Sets what the decision log's entry d keeps of the operation that made it
 * (copies; NULL clears): the card's text as the facilitator decided it (NULL
 * keeps the entry's), and the operation's key and signature.
 */
void decision_entry_sign(struct decision_entry *d, const char *text, const char *key,
			 const char *sig);
/*
 * Locks or unlocks the card in place, recorded in its history: RESULT_OK,
 * or RESULT_UNCHANGED when it was so already.
 */
int board_lock_card(struct board *b, struct card *card, bool locked, time_t at,
		    const char *by);

/* --- Zones ------------------------------------------------------------- */

/* Adds an empty zone to grid g; returns its index, or -1 (too many, or name used). */
int grid_add_zone(struct board *b, size_t g, const char *name, enum hue color, bool easy);
void grid_remove_zone(struct board *b, size_t g, size_t zone);
/* Index of the zone of grid g called name, or -1. */
int grid_zone_index(const struct grid *grid, const char *name);
/* Puts cell (x, y) in zone (taking it out of any other), or in none when zone < 0. */
int grid_assign_cell(struct board *b, size_t g, int zone, int x, int y);
bool zone_has_cell(const struct zone *zone, int x, int y);
/* The zone holding cell (x, y) of grid, or -1. */
int grid_zone_at(const struct grid *grid, int x, int y);
/* True when a zone marked easy replaces the computed easy zone. */
bool grid_has_easy_zone(const struct grid *grid);

/* --- Facilitation and the frame ---------------------------------------- */

/* True when account may facilitate this board (any account if none listed). */
bool board_may_facilitate(const struct board *b, const char *account);
void board_add_facilitator(struct board *b, const char *account);
/*
 * Lists key as the facilitator key of name (copying both), added at 'added'.
 * Returns RESULT_OK when added, RESULT_UNCHANGED when that very key is
 * already listed for name, RESULT_REFUSED (nothing changed) when name has
 * another key: one key per name.
 */
int board_add_key(struct board *b, const char *name, const char *key, time_t added);
/* The key listed for name, or NULL. */
const struct facilitator_key *board_find_key(const struct board *b, const char *name);
void card_set_pair(struct card *card, const char *pair); /* NULL clears */
/* True when the card is in the tray of every grid. */
bool card_is_unplaced(const struct board *b, const struct card *card);
/*
 * Plans dealing the cards that are placed on no grid and dealt to no pair yet
 * to npairs pairs: round-robin within each theme (themes in board order,
 * cards in board order), the rotation carrying on from one theme to the next
 * so that every pair gets a fair share. Writes, for each card of b->cards,
 * the index of its pair or -1 to plan[] (b->ncards entries). Returns the
 * number of cards dealt.
 */
size_t board_deal_plan(const struct board *b, size_t npairs, long *plan);

/*
 * Changes grid g to cells per axis; placed cards and zone cells keep their
 * relative position (a cell maps to the new cell holding its centre).
 * Returns -1 when cells is out of range.
 */
int board_resize_grid(struct board *b, size_t g, int cells);
/* Renames a criterion's poles (NULL keeps one) and/or sets its easy pole. */
void board_set_criterion(struct board *b, size_t c, const char *low, const char *high,
			 enum pole easy);

#endif
