/*
 * store_read.c - reading a board (store.h): step 3 for the board, its
 * themes, criteria, grids, facilitators and decision log (its cards are in
 * store_card.c), and the three steps put together for a file or bytes.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "store_int.h"
#include "xmalloc.h"

/* --- Themes, criteria and grids ------------------------------------------- */

/* A theme as read. */
struct stheme {
	const char *id, *label;
	int hue;
};

static const struct sfield theme_fields[] = {
	SFIELD_ID(REF_THEME, offsetof(struct stheme, id)),
	SFIELD("label", SFT_STRING, SF_REQUIRED, offsetof(struct stheme, label), NULL),
	SFIELD("color", SFT_HUE, SF_REQUIRED, offsetof(struct stheme, hue), NULL),
};
static const struct smap theme_map = { "theme", theme_fields, STORE_COUNT(theme_fields) };

/* A theme is made when its id is good (its label or colour may not be). */
static void store_themes(struct store_parse *p, const struct snode *v)
{
	const struct snode *items, *f[STORE_COUNT(theme_fields)];
	size_t count, i;

	items = store_list(p, v, "themes", "themes", STORE_MAX_THEMES, &count);
	p->theme_ids = xcalloc(count ? count : 1, sizeof(*p->theme_ids));
	for (i = 0; i < count; i++) {
		struct stheme t = { NULL, NULL, HUE_WHITE };
		int at;

		if (items[i].kind != SNODE_MAP) {
			store_err(p, &items[i], "a theme must be a mapping with id, label and color");
			continue;
		}
		store_map_read(p, &items[i], &theme_map, f, &t);
		if (t.id && (at = board_add_theme(p->b, t.id, t.label ? t.label : "",
						  (enum hue)t.hue)) >= 0)
			p->theme_ids[at] = f[0];
	}
}

/* A criterion as read. */
struct scriterion {
	const char *id, *low, *high;
	int easy;
};

static const struct sfield criterion_fields[] = {
	SFIELD_ID(REF_CRITERION, offsetof(struct scriterion, id)),
	SFIELD("low", SFT_STRING, SF_REQUIRED, offsetof(struct scriterion, low),
	       " (the name of the low pole)"),
	SFIELD("high", SFT_STRING, SF_REQUIRED, offsetof(struct scriterion, high),
	       " (the name of the high pole)"),
	SFIELD("easy", SFT_POLE, SF_REQUIRED, offsetof(struct scriterion, easy),
	       " (low or high: the pole easier to launch)"),
};
static const struct smap criterion_map = { "criterion", criterion_fields,
					   STORE_COUNT(criterion_fields) };

/* A criterion is made when its id is good. */
static void store_criteria(struct store_parse *p, const struct snode *v)
{
	const struct snode *items, *f[STORE_COUNT(criterion_fields)];
	size_t count, i;

	items = store_list(p, v, "criteria", "criteria", STORE_MAX_CRITERIA, &count);
	p->criterion_ids = xcalloc(count ? count : 1, sizeof(*p->criterion_ids));
	for (i = 0; i < count; i++) {
		struct scriterion c = { NULL, NULL, NULL, POLE_LOW };
		int at;

		if (items[i].kind != SNODE_MAP) {
			store_err(p, &items[i],
				  "a criterion must be a mapping with id, low, high and easy");
			continue;
		}
		store_map_read(p, &items[i], &criterion_map, f, &c);
		if (c.id && (at = board_add_criterion(p->b, c.id, c.low ? c.low : "",
						      c.high ? c.high : "", (enum pole)c.easy)) >= 0)
			p->criterion_ids[at] = f[0];
	}
}

/* The zones of one grid as they are read: their names, and the cells taken. */
struct szones {
	int cells;                                /* the grid's */
	const struct snode *seen[GRID_MAX_ZONES]; /* the names so far */
	size_t nseen;
	const struct snode *owner[BOARD_MAX_CELLS][BOARD_MAX_CELLS]; /* the cell's [x, y] */
	const char *owner_name[BOARD_MAX_CELLS][BOARD_MAX_CELLS];
};

/* A zone as read. */
struct szone {
	struct szones *all;
	const char *name;
	int hue;
	bool easy;
	struct cell list[BOARD_MAX_CELLS * BOARD_MAX_CELLS];
	size_t ncells;
};

/* A zone's name: unique within its grid. */
static bool store_read_zone_name(struct store_parse *p, const struct snode *v,
				 const struct sfield *f, void *obj)
{
	struct szone *z = obj;
	struct szones *all = z->all;
	size_t j;

	if (!(z->name = store_string(p, v, f->key, 0)))
		return false;
	for (j = 0; j < all->nseen; j++)
		if (!strcmp(all->seen[j]->u.s, z->name))
			break;
	if (j < all->nseen) {
		store_err(p, v, "duplicate zone name '%s' (first at line %d)",
			  store_cut(p, z->name), all->seen[j]->line);
		return false;
	}
	all->seen[all->nseen++] = v;
	return true;
}

/* A zone's cells: a list of [x, y], each cell in one zone at most. */
static bool store_read_zone_cells(struct store_parse *p, const struct snode *v,
				  const struct sfield *f, void *obj)
{
	struct szone *z = obj;
	struct szones *all = z->all;
	bool ok = true;
	uint32_t j;

	(void)f;
	if (v->kind != SNODE_SEQ) {
		store_err(p, v, "'cells' must be a list of [x, y] cells, not %s",
			  store_kind_name(v));
		return false;
	}
	for (j = 0; j < v->n; j++) {
		const struct snode *c = &v->u.kids[j], *bad;
		struct cell xy;
		int x, y;

		if ((bad = store_xy(c, all->cells, &xy))) {
			store_err(p, bad, "a cell of a zone must be [x, y] with x and y from 1 to %d",
				  all->cells);
			ok = false;
			continue;
		}
		x = xy.x - 1;
		y = xy.y - 1;
		if (all->owner[y][x]) {
			store_err(p, c, "cell [%d, %d] is already in zone '%s' (line %d)", xy.x, xy.y,
				  store_cut(p, all->owner_name[y][x]), all->owner[y][x]->line);
			ok = false;
			continue;
		}
		all->owner[y][x] = c;
		all->owner_name[y][x] = z->name ? z->name : "?";
		z->list[z->ncells++] = xy; /* at most one per cell: no overflow */
	}
	return ok;
}

static const struct sfield zone_fields[] = {
	SFIELD_READ("name", SF_REQUIRED, 0, store_read_zone_name, NULL),
	SFIELD("color", SFT_HUE, SF_REQUIRED, offsetof(struct szone, hue), NULL),
	SFIELD("easy", SFT_BOOL, 0, offsetof(struct szone, easy), NULL),
	SFIELD_READ("cells", 0, 0, store_read_zone_cells, NULL),
};
static const struct smap zone_map = { "zone", zone_fields, STORE_COUNT(zone_fields) };

/*
 * The zones of grid g (-1 when the grid could not be made: the zones are
 * still checked, against its cells, but not added). Names are unique within
 * the grid, and a cell is in at most one zone.
 */
static void store_zones(struct store_parse *p, const struct snode *v, int g, int cells)
{
	const struct snode *items, *f[STORE_COUNT(zone_fields)];
	struct szones all;
	struct szone z;
	size_t count, i, j;

	memset(&all, 0, sizeof(all));
	all.cells = cells;
	items = store_list(p, v, "zones", "zones", GRID_MAX_ZONES, &count);
	for (i = 0; i < count; i++) {
		int at;

		if (items[i].kind != SNODE_MAP) {
			store_err(p, &items[i], "a zone must be a mapping with name, color and cells");
			continue;
		}
		z.all = &all;
		z.name = NULL;
		z.hue = -1;
		z.easy = false;
		z.ncells = 0;
		if (!store_map_read(p, &items[i], &zone_map, f, &z) || g < 0)
			continue;
		at = grid_add_zone(p->b, (size_t)g, z.name, (enum hue)z.hue, z.easy);
		for (j = 0; at >= 0 && j < z.ncells; j++)
			grid_assign_cell(p->b, (size_t)g, at, z.list[j].x, z.list[j].y);
	}
}

/* A grid as read. */
struct sgrid {
	const char *id;
	int x, y, cells;
};

/* A grid's axis: the index of the criterion it names. */
static bool store_read_axis(struct store_parse *p, const struct snode *v, const struct sfield *f,
			    void *obj)
{
	const char *name = store_string(p, v, f->key, 0);
	int at;

	if (!name)
		return false;
	at = board_criterion_index(p->b, name);
	if (at < 0) {
		store_unknown_ref(p, v, REF_CRITERION, name);
		return false;
	}
	memcpy((char *)obj + f->at, &at, sizeof(at));
	return true;
}

enum { GK_ID, GK_X, GK_Y, GK_CELLS, GK_ZONES, GK_COUNT };

static const struct sfield grid_fields[GK_COUNT] = {
	SFIELD_ID(REF_GRID, offsetof(struct sgrid, id)),
	SFIELD_READ("x", SF_REQUIRED, offsetof(struct sgrid, x), store_read_axis,
		    " (the criterion across)"),
	SFIELD_READ("y", SF_REQUIRED, offsetof(struct sgrid, y), store_read_axis,
		    " (the criterion up)"),
	SFIELD_INT("cells", 0, offsetof(struct sgrid, cells), BOARD_MIN_CELLS, BOARD_MAX_CELLS),
	SFIELD("zones", SFT_NODE, 0, 0, NULL),
};
static const struct smap grid_map = { "grid", grid_fields, GK_COUNT };

/* A grid is made when its id and axes are good; its zones are checked all the same. */
static void store_grids(struct store_parse *p, const struct snode *v)
{
	const struct snode *items, *f[GK_COUNT];
	size_t count, i;

	items = store_list(p, v, "grids", "grids", STORE_MAX_GRIDS, &count);
	p->grid_ids = xcalloc(count ? count : 1, sizeof(*p->grid_ids));
	for (i = 0; i < count; i++) {
		const struct snode *n = &items[i];
		struct sgrid g = { NULL, -1, -1, BOARD_DEFAULT_CELLS };
		bool ok = true;
		int at = -1;

		if (n->kind != SNODE_MAP) {
			store_err(p, n, "a grid must be a mapping with id, x, y and cells");
			continue;
		}
		store_fields(p, n, &grid_map, f);
		store_fields_read(p, n, &grid_map, f, GK_ID, GK_CELLS, &g);
		if (g.x >= 0 && g.x == g.y) {
			store_err(p, f[GK_Y], "a grid must cross two different criteria ('%s' is "
				  "on both axes)", p->b->criteria[g.x].id);
			ok = false;
		}
		store_fields_read(p, n, &grid_map, f, GK_CELLS, GK_COUNT, &g);
		if (g.id && (g.x < 0 || g.y < 0 || !ok)) {
			/* Placements on a grid that could not be made are not checked. */
			store_names_add(&p->bad_grids, g.id);
			g.id = NULL;
		}
		if (g.id && (at = board_add_grid(p->b, g.id, (size_t)g.x, (size_t)g.y, g.cells)) >= 0)
			p->grid_ids[at] = f[GK_ID];
		store_zones(p, f[GK_ZONES], g.id ? at : -1, g.cells);
	}
}

/*
 * Called when a list starts at depth 1. When it is the value of the root's
 * first 'cards' key, and themes, criteria and grids came before it (and the
 * version, if given, is one this tamis reads), checks those now so that the
 * cards can be checked one by one as they come. Returns true to stream.
 */
bool store_prelude(struct store_parse *p)
{
	const struct slevel *root = &p->levels[0];
	const struct snode *themes = NULL, *criteria = NULL, *grids = NULL, *ver = NULL;
	long version;
	size_t i;

	if (root->head.kind != SNODE_MAP || root->n % 2 != 1 ||
	    !store_key_is(&root->v[root->n - 1], "cards"))
		return false;
	for (i = 0; i + 1 < root->n; i += 2) {
		const struct snode *k = &root->v[i], *v = &root->v[i + 1];

		if (store_key_is(k, "cards"))
			return false; /* a second 'cards': left to the checks on the tree */
		if (store_key_is(k, "themes") && !themes)
			themes = v;
		else if (store_key_is(k, "criteria") && !criteria)
			criteria = v;
		else if (store_key_is(k, "grids") && !grids)
			grids = v;
		else if (store_key_is(k, "tamis") && !ver)
			ver = v;
	}
	if (!themes || !criteria || !grids)
		return false;
	if (ver && (!store_int(ver, &version) || version != STORE_FORMAT_VERSION))
		return false;
	p->err_n = p->err->n;
	p->err_dropped = p->err->dropped;
	p->b = board_new("");
	store_themes(p, themes);
	store_criteria(p, criteria);
	store_grids(p, grids);
	p->prelude_done = true;
	return true;
}

/* Accounts allowed to facilitate: names without control characters, each once. */
static void store_facilitators(struct store_parse *p, const struct snode *v)
{
	const struct snode *items;
	size_t count, i, j;

	items = store_list(p, v, "facilitators", "facilitators", STORE_MAX_FACILITATORS, &count);
	for (i = 0; i < count; i++) {
		const struct snode *n = &items[i];
		const char *name;

		if (n->kind != SNODE_SCALAR || store_is_null(n)) {
			store_err(p, n, "a facilitator must be an account name, not %s",
				  store_kind_name(n));
			continue;
		}
		if (!(name = store_string(p, n, "facilitators", 0)))
			continue;
		for (j = 0; j < i; j++)
			if (store_key_is(&items[j], name))
				break;
		if (j < i) {
			store_err(p, n, "duplicate facilitator '%s' (first at line %d)",
				  store_cut(p, name), items[j].line);
			continue;
		}
		board_add_facilitator(p->b, name);
	}
}

/* A facilitator's key as read. */
struct skey {
	const char *name, *key;
	time_t added;
};

enum { FK_NAME, FK_KEY, FK_ADDED, FK_COUNT };

static const struct sfield key_fields[FK_COUNT] = {
	SFIELD("name", SFT_STRING, SF_REQUIRED, offsetof(struct skey, name), " (who signs with it)"),
	SFIELD("key", SFT_KEY, SF_REQUIRED, offsetof(struct skey, key), " (the public key)"),
	SFIELD("added", SFT_TIME, 0, offsetof(struct skey, added), NULL),
};
static const struct smap key_map = { "a facilitator key", key_fields, FK_COUNT };

/* The facilitators' public keys: one per name. */
static void store_facilitator_keys(struct store_parse *p, const struct snode *v)
{
	const struct snode *items, *f[FK_COUNT];
	size_t count, i, j;

	items = store_list(p, v, "facilitator_keys", "facilitator keys", STORE_MAX_FACILITATORS,
			   &count);
	for (i = 0; i < count; i++) {
		struct skey k = { NULL, NULL, 0 };
		bool ok;

		if (items[i].kind != SNODE_MAP) {
			store_err(p, &items[i], "a facilitator key must be a mapping with name and key");
			continue;
		}
		ok = store_map_read(p, &items[i], &key_map, f, &k);
		for (j = 0; k.name && j < i; j++) {
			const struct snode *other = store_map_get(&items[j], "name");

			if (other && store_key_is(other, k.name)) {
				store_err(p, f[FK_NAME], "duplicate facilitator key for '%s' (first at "
					  "line %d): one key per name", store_cut(p, k.name),
					  other->line);
				ok = false;
				break;
			}
		}
		if (ok)
			board_add_key(p->b, k.name, k.key, k.added);
	}
}

/* A decision of the log as read. */
struct sdecision {
	time_t at;
	const char *by, *text, *rationale, *key, *sig;
	uuid_t card;
	int from, to;
};

/* The card a decision was made on: its id. */
static bool store_read_decision_card(struct store_parse *p, const struct snode *v,
				     const struct sfield *f, void *obj)
{
	struct sdecision *d = obj;

	if (store_uuid_parse(v, d->card))
		return true;
	store_bad_uuid(p, v, "card id", f->key);
	return false;
}

enum { DK_AT, DK_BY, DK_CARD, DK_TEXT, DK_FROM, DK_TO, DK_RATIONALE, DK_KEY, DK_SIG, DK_COUNT };

static const struct sfield decision_fields[DK_COUNT] = {
	SFIELD("at", SFT_TIME, SF_REQUIRED, offsetof(struct sdecision, at), " (when it was made)"),
	SFIELD("by", SFT_STRING, 0, offsetof(struct sdecision, by), NULL),
	SFIELD_READ("card", SF_REQUIRED, 0, store_read_decision_card, " (the card's id)"),
	SFIELD("text", SFT_TEXT, SF_REQUIRED, offsetof(struct sdecision, text),
	       " (the card's text)"),
	SFIELD("from", SFT_DECISION, SF_REQUIRED, offsetof(struct sdecision, from),
	       " (the decision before)"),
	SFIELD("to", SFT_DECISION, SF_REQUIRED, offsetof(struct sdecision, to),
	       " (the decision made)"),
	SFIELD("rationale", SFT_TEXT, 0, offsetof(struct sdecision, rationale), NULL),
	SFIELD("key", SFT_KEY, 0, offsetof(struct sdecision, key), NULL),
	SFIELD("sig", SFT_SIG, 0, offsetof(struct sdecision, sig), NULL),
};
static const struct smap decision_map = { "decision", decision_fields, DK_COUNT };

/* One entry of the decision log into the board, unless it has a problem. */
static void store_decision_entry(struct store_parse *p, const struct snode *n)
{
	const struct snode *f[DK_COUNT];
	struct sdecision d;
	struct decision_entry e;

	memset(&d, 0, sizeof(d));
	if (!store_map_read(p, n, &decision_map, f, &d))
		return;
	if (!d.key != !d.sig) {
		store_err(p, d.key ? f[DK_KEY] : f[DK_SIG], "a decision's 'key' and 'sig' go "
			  "together (the signature and the key it verifies with)");
		return;
	}
	memset(&e, 0, sizeof(e));
	e.at = d.at;
	e.by = (char *)d.by; /* copied by board_log_decision() */
	memcpy(e.card, d.card, sizeof(uuid_t));
	e.text = (char *)d.text;
	e.from = (enum decision)d.from;
	e.to = (enum decision)d.to;
	e.rationale = (char *)d.rationale;
	e.key = (char *)d.key;
	e.sig = (char *)d.sig;
	board_log_decision(p->b, &e);
}

/* The decision log. An entry may name a card that is no longer on the board. */
static void store_decisions(struct store_parse *p, const struct snode *v)
{
	const struct snode *items;
	size_t count, i;

	items = store_list(p, v, "decisions", "decisions", 0, &count);
	for (i = 0; i < count; i++) {
		if (items[i].kind != SNODE_MAP)
			store_err(p, &items[i], "a decision must be a mapping with at, card, text, "
				  "from and to");
		else
			store_decision_entry(p, &items[i]);
	}
}

/* The board itself as read. */
struct sboard {
	const char *title, *description, *lang;
};

enum { TK_TAMIS, TK_TITLE, TK_DESCRIPTION, TK_LANG, TK_FACILITATORS, TK_FACILITATOR_KEYS, TK_THEMES,
       TK_CRITERIA, TK_GRIDS, TK_CARDS, TK_DECISIONS, TK_COUNT };

static const struct sfield board_fields[TK_COUNT] = {
	SFIELD("tamis", SFT_NODE, SF_REQUIRED, 0,
	       " (the format version: start the file with 'tamis: " STORE_STR(STORE_FORMAT_VERSION)
	       "')"),
	SFIELD("title", SFT_STRING, SF_REQUIRED, offsetof(struct sboard, title), NULL),
	SFIELD("description", SFT_TEXT, 0, offsetof(struct sboard, description), NULL),
	SFIELD("lang", SFT_STRING, 0, offsetof(struct sboard, lang),
	       " (the board's language, such as fr or en)"),
	SFIELD("facilitators", SFT_NODE, 0, 0, NULL),
	SFIELD("facilitator_keys", SFT_NODE, 0, 0, NULL),
	SFIELD("themes", SFT_NODE, 0, 0, NULL),
	SFIELD("criteria", SFT_NODE, 0, 0, NULL),
	SFIELD("grids", SFT_NODE, 0, 0, NULL),
	SFIELD("cards", SFT_NODE, 0, 0, NULL),
	SFIELD("decisions", SFT_NODE, 0, 0, NULL),
};
static const struct smap board_map = { NULL, board_fields, TK_COUNT };

/*
 * A file from a newer tamis may use keys or values this one does not know:
 * an unsupported version is the only problem reported (streaming only
 * started once a version given before the cards was known good). False
 * then.
 */
static bool store_version(struct store_parse *p)
{
	const struct snode *ver = store_map_get(&p->root, "tamis");
	long version;

	if (!ver)
		return true;
	if (!store_int(ver, &version)) {
		store_err(p, ver, "'tamis' must be the format version, %d", STORE_FORMAT_VERSION);
	} else if (version != STORE_FORMAT_VERSION) {
		store_errors_truncate(p->err, p->err_n, p->err_dropped);
		store_err(p, ver, "unsupported format version %ld (this tamis reads version %d)",
			  version, STORE_FORMAT_VERSION);
		return false;
	}
	return true;
}

/* Step 3: the tree (and what streaming left of it) into a board, in p->b. */
static void store_validate(struct store_parse *p)
{
	const struct snode *root = &p->root, *f[TK_COUNT];
	struct sboard sb = { NULL, NULL, NULL };

	if (!p->have_root) {
		store_err_nowhere(p, "", " holds no board (it is empty or only comments)");
		return;
	}
	if (root->kind != SNODE_MAP) {
		store_err(p, root, "a board must be a mapping of keys (tamis, title, themes, "
			  "criteria, grids, cards), not %s", store_kind_name(root));
		return;
	}
	if (!p->prelude_done) {
		p->err_n = p->err->n;
		p->err_dropped = p->err->dropped;
	}
	if (!store_version(p))
		return;
	store_map_read(p, root, &board_map, f, &sb);
	if (!p->prelude_done) {
		p->b = board_new("");
		store_themes(p, f[TK_THEMES]);
		store_criteria(p, f[TK_CRITERIA]);
		store_grids(p, f[TK_GRIDS]);
	}
	board_set_title(p->b, sb.title ? sb.title : "");
	if (sb.description)
		board_set_description(p->b, sb.description);
	if (sb.lang && !board_lang_valid(sb.lang))
		store_err(p, f[TK_LANG], "'lang' must be a language code such as fr, en or pt_BR, "
			  "not '%s'", sb.lang);
	else if (sb.lang)
		board_set_lang(p->b, sb.lang);
	store_facilitators(p, f[TK_FACILITATORS]);
	store_facilitator_keys(p, f[TK_FACILITATOR_KEYS]);
	store_cards(p, f[TK_CARDS]);
	store_cards_end(p);
	store_decisions(p, f[TK_DECISIONS]);
}

/* The line of each item's id node, index-aligned with the board's array. */
static int *store_item_lines(const struct snode **ids, size_t n)
{
	int *v = xcalloc(n ? n : 1, sizeof(*v));
	size_t i;

	for (i = 0; ids && i < n; i++)
		v[i] = ids[i] ? ids[i]->line : 0;
	return v;
}

/*
 * Steps 1 to 3 on p->in, and the end of every board parse. From a reader,
 * the bytes are checked as they are read: libyaml stops at the first byte
 * problem, the rest is read and checked all the same, and then only the byte
 * problems are reported (what libyaml and the model made of the bytes
 * before is forgotten), as when the whole file is checked first.
 */
static int store_parse_input(struct store_parse *p, struct board **out, struct board_lines *lines)
{
	struct store_errors *err = p->err;
	struct sinput *in = &p->in;
	size_t n = err->n, dropped = err->dropped, i;
	int ret = -1, scanned;

	p->notes.on = true;
	strbuf_init(&p->notes.text, 0);
	strbuf_init(&p->notes.queue, 0);
	strbuf_init(&p->notes.head, 0);
	strbuf_init(&p->notes.tail, 0);
	if (in->read) {
		scanned = store_scan(p);
		sinput_drain(in);
	} else {
		sinput_check(in);
		if (!in->bad)
			snotes_scan(p, 0, in->len);
		scanned = in->bad ? -1 : store_scan(p);
	}
	if (in->failed) {
		store_errors_truncate(err, n, dropped);
		store_errors_add(err, 0, 0, "%s", in->why.buf);
		ret = -2;
	} else if (in->bad) {
		store_errors_truncate(err, n, dropped);
		sinput_report(p);
	} else if (!scanned) {
		store_validate(p);
	}

	if (ret != -2 && err->n + err->dropped == n + dropped) {
		snotes_board(p);
		*out = p->b;
		ret = 0;
		if (lines) {
			lines->themes = store_item_lines(p->theme_ids, p->b->nthemes);
			lines->criteria = store_item_lines(p->criterion_ids, p->b->ncriteria);
			lines->grids = store_item_lines(p->grid_ids, p->b->ngrids);
		}
	} else if (p->b) {
		board_free(p->b);
	}
	store_errors_sort(err);

	for (i = 0; i < STORE_MAX_DEPTH; i++)
		free(p->levels[i].v);
	free(p->seen);
	free(p->cells);
	free(p->events);
	free(p->theme_ids);
	free(p->criterion_ids);
	free(p->grid_ids);
	free(p->bad_themes.v);
	free(p->bad_criteria.v);
	free(p->bad_grids.v);
	snotes_release(&p->notes);
	arena_release(&p->arena);
	free(in->own);
	strbuf_release(&in->why);
	if (ret == -2)
		errno = in->read_errno;
	return ret;
}

int store_parse(const char *data, size_t len, struct board **out, struct store_errors *err)
{
	return store_parse_lines(data, len, out, err, NULL);
}

int store_parse_lines(const char *data, size_t len, struct board **out,
		      struct store_errors *err, struct board_lines *lines)
{
	struct store_parse p;

	memset(&p, 0, sizeof(p));
	p.err = err;
	p.in.buf = data;
	p.in.len = len;
	p.in.eof = true;
	strbuf_init(&p.in.why, 0);
	return store_parse_input(&p, out, lines);
}

int store_parse_stream(store_read_fn *read, void *data, struct board **out,
		       struct store_errors *err, struct board_lines *lines)
{
	struct store_parse p;

	memset(&p, 0, sizeof(p));
	p.err = err;
	p.in.read = read;
	p.in.read_data = data;
	p.in.own = xmalloc(SINPUT_WINDOW);
	p.in.buf = p.in.own;
	strbuf_init(&p.in.why, 0);
	return store_parse_input(&p, out, lines);
}

/* A board file, read for store_parse_stream(). */
struct store_file {
	int fd;
	const char *path;
	size_t size;
	store_observe_fn *observe;
	void *observe_data;
};

static long store_file_read(void *data, char *buf, size_t size, struct strbuf *err)
{
	struct store_file *f = data;
	long n = file_read_some(f->fd, f->path, buf, size, err);

	if (n <= 0)
		return n;
	f->size += (size_t)n;
	if (f->size > STORE_MAX_FILE_SIZE) {
		errno = EFBIG;
		strbuf_addf(err, "cannot read '%s': too large (the limit is %zu bytes)", f->path,
			    (size_t)STORE_MAX_FILE_SIZE);
		return -1;
	}
	if (f->observe)
		f->observe(f->observe_data, buf, (size_t)n);
	return n;
}

int store_load(const char *path, struct board **out, struct store_errors *err)
{
	return store_load_keep(path, out, err, NULL, NULL, NULL);
}

int store_load_keep(const char *path, struct board **out, struct store_errors *err, int *keep_fd,
		    store_observe_fn *observe, void *observe_data)
{
	struct store_file f = { -1, path, 0, observe, observe_data };
	struct strbuf msg = STRBUF_INIT;
	int ret, saved;

	f.fd = file_open_read(path, STORE_MAX_FILE_SIZE, &msg);
	if (f.fd < 0) {
		saved = errno;
		while (msg.len && msg.buf[msg.len - 1] == '\n')
			strbuf_setlen(&msg, msg.len - 1);
		store_errors_add(err, 0, 0, "%s", msg.buf);
		strbuf_release(&msg);
		errno = saved;
		return -2;
	}
	ret = store_parse_stream(store_file_read, &f, out, err, NULL);
	saved = errno;
	if (!ret && keep_fd)
		*keep_fd = f.fd;
	else
		close(f.fd);
	errno = saved;
	return ret;
}
