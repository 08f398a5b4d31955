/*
 * store_read.c - reading a board (store.h): step 3 for the board, its
 * themes, criteria, grids, facilitators and decision log (its cards are in
 * store_card.c), and the three steps put together for a file or bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lockfile.h"
#include "store_int.h"
#include "xmalloc.h"

static void store_themes(struct store_parse *p, const struct snode *v)
{
	static const char *const names[] = { "id", "label", "color" };
	const struct snode *items, *f[3];
	size_t count, i;

	items = store_list(p, v, "themes", "themes", STORE_MAX_THEMES, &count);
	p->theme_ids = xcalloc(count ? count : 1, sizeof(*p->theme_ids));
	for (i = 0; i < count; i++) {
		const struct snode *t = &items[i];
		const char *id = NULL, *label = NULL;
		int hue = HUE_WHITE;

		if (t->kind != SNODE_MAP) {
			store_err(p, t, "a theme must be a mapping with id, label and color");
			continue;
		}
		store_fields(p, t, names, 3, f);
		if (!f[0])
			store_missing(p, t, "id", "theme", "");
		else
			id = store_item_id(p, f[0], "theme", board_theme_index, p->theme_ids,
					   &p->bad_themes);
		if (!f[1])
			store_missing(p, t, "label", "theme", "");
		else
			label = store_string(p, f[1], "label", 0);
		if (!f[2])
			store_missing(p, t, "color", "theme", "");
		else if ((hue = store_hue(p, f[2])) < 0)
			hue = HUE_WHITE;
		if (id) {
			int at = board_add_theme(p->b, id, label ? label : "", (enum hue)hue);

			if (at >= 0)
				p->theme_ids[at] = f[0];
		}
	}
}

static void store_criteria(struct store_parse *p, const struct snode *v)
{
	static const char *const names[] = { "id", "low", "high", "easy" };
	const struct snode *items, *f[4];
	size_t count, i;

	items = store_list(p, v, "criteria", "criteria", STORE_MAX_CRITERIA, &count);
	p->criterion_ids = xcalloc(count ? count : 1, sizeof(*p->criterion_ids));
	for (i = 0; i < count; i++) {
		const struct snode *c = &items[i];
		const char *id = NULL, *low = NULL, *high = NULL;
		int easy = POLE_LOW;

		if (c->kind != SNODE_MAP) {
			store_err(p, c,
				  "a criterion must be a mapping with id, low, high and easy");
			continue;
		}
		store_fields(p, c, names, 4, f);
		if (!f[0])
			store_missing(p, c, "id", "criterion", "");
		else
			id = store_item_id(p, f[0], "criterion", board_criterion_index,
					   p->criterion_ids,
					   &p->bad_criteria);
		if (!f[1])
			store_missing(p, c, "low", "criterion", " (the name of the low pole)");
		else
			low = store_string(p, f[1], "low", 0);
		if (!f[2])
			store_missing(p, c, "high", "criterion", " (the name of the high pole)");
		else
			high = store_string(p, f[2], "high", 0);
		if (!f[3]) {
			store_missing(p, c, "easy", "criterion",
				      " (low or high: the pole easier to launch)");
		} else if (f[3]->kind != SNODE_SCALAR || (easy = pole_parse(f[3]->u.s)) < 0) {
			easy = POLE_LOW;
			store_err(p, f[3], "'easy' must be low or high");
		}
		if (id) {
			int at = board_add_criterion(p->b, id, low ? low : "", high ? high : "",
						     (enum pole)easy);

			if (at >= 0)
				p->criterion_ids[at] = f[0];
		}
	}
}

/* A grid's axis: the index of the criterion named by v, or -1. */
static int store_axis(struct store_parse *p, const struct snode *v, const char *what)
{
	const char *name = store_string(p, v, what, 0);
	int at;

	if (!name)
		return -1;
	at = board_criterion_index(p->b, name);
	if (at < 0)
		store_unknown_ref(p, v, REF_CRITERION, name);
	return at;
}

enum { ZK_NAME, ZK_COLOR, ZK_EASY, ZK_CELLS, ZK_COUNT };

/*
 * The zones of grid g (-1 when the grid could not be made: the zones are
 * still checked, against its cells, but not added). Names are unique within
 * the grid, and a cell is in at most one zone.
 */
static void store_zones(struct store_parse *p, const struct snode *v, int g, int cells)
{
	static const char *const names[ZK_COUNT] = { "name", "color", "easy", "cells" };
	const struct snode *items, *f[ZK_COUNT], *seen[GRID_MAX_ZONES];
	const struct snode *owner[BOARD_MAX_CELLS][BOARD_MAX_CELLS]; /* the cell's [x, y] */
	const char *owner_name[BOARD_MAX_CELLS][BOARD_MAX_CELLS];
	size_t count, i, nseen = 0, j;

	memset(owner, 0, sizeof(owner));
	items = store_list(p, v, "zones", "zones", GRID_MAX_ZONES, &count);
	for (i = 0; i < count; i++) {
		const struct snode *z = &items[i];
		const char *name = NULL;
		struct cell list[BOARD_MAX_CELLS * BOARD_MAX_CELLS];
		size_t ncells = 0;
		bool easy = false, ok = true;
		int hue = -1;

		if (z->kind != SNODE_MAP) {
			store_err(p, z, "a zone must be a mapping with name, color and cells");
			continue;
		}
		store_fields(p, z, names, ZK_COUNT, f);
		if (!f[ZK_NAME]) {
			store_missing(p, z, "name", "zone", "");
			ok = false;
		} else if (!(name = store_string(p, f[ZK_NAME], "name", 0))) {
			ok = false;
		} else {
			for (j = 0; j < nseen; j++)
				if (!strcmp(seen[j]->u.s, name))
					break;
			if (j < nseen) {
				store_err(p, f[ZK_NAME], "duplicate zone name '%s' (first at "
					  "line %d)", store_cut(p, name), seen[j]->line);
				ok = false;
			} else {
				seen[nseen++] = f[ZK_NAME];
			}
		}
		if (!f[ZK_COLOR])
			store_missing(p, z, "color", "zone", "");
		else
			hue = store_hue(p, f[ZK_COLOR]);
		if (hue < 0)
			ok = false;
		if (store_present(f[ZK_EASY]) && !store_bool(f[ZK_EASY], &easy)) {
			store_err(p, f[ZK_EASY], "'easy' must be true or false");
			ok = false;
		}
		if (store_present(f[ZK_CELLS]) && f[ZK_CELLS]->kind != SNODE_SEQ) {
			store_err(p, f[ZK_CELLS], "'cells' must be a list of [x, y] cells, not %s",
				  store_kind_name(f[ZK_CELLS]));
			ok = false;
		} else if (store_present(f[ZK_CELLS])) {
			for (j = 0; j < f[ZK_CELLS]->n; j++) {
				const struct snode *c = &f[ZK_CELLS]->u.kids[j], *bad;
				struct cell xy;
				int x, y;

				if ((bad = store_xy(c, cells, &xy))) {
					store_err(p, bad, "a cell of a zone must be [x, y] with x "
						  "and y from 1 to %d", cells);
					ok = false;
					continue;
				}
				x = xy.x - 1;
				y = xy.y - 1;
				if (owner[y][x]) {
					store_err(p, c, "cell [%d, %d] is already in zone '%s' "
						  "(line %d)", xy.x, xy.y,
						  store_cut(p, owner_name[y][x]),
						  owner[y][x]->line);
					ok = false;
					continue;
				}
				owner[y][x] = c;
				owner_name[y][x] = name ? name : "?";
				list[ncells++] = xy; /* at most one per cell: no overflow */
			}
		}
		if (ok && g >= 0) {
			int at = grid_add_zone(p->b, (size_t)g, name, (enum hue)hue, easy);

			for (j = 0; at >= 0 && j < ncells; j++)
				grid_assign_cell(p->b, (size_t)g, at, list[j].x, list[j].y);
		}
	}
}

static void store_grids(struct store_parse *p, const struct snode *v)
{
	static const char *const names[] = { "id", "x", "y", "cells", "zones" };
	const struct snode *items, *f[5];
	size_t count, i;

	items = store_list(p, v, "grids", "grids", STORE_MAX_GRIDS, &count);
	p->grid_ids = xcalloc(count ? count : 1, sizeof(*p->grid_ids));
	for (i = 0; i < count; i++) {
		const struct snode *g = &items[i];
		const char *id = NULL;
		int x = -1, y = -1;
		long cells = BOARD_DEFAULT_CELLS;
		bool ok = true;

		if (g->kind != SNODE_MAP) {
			store_err(p, g, "a grid must be a mapping with id, x, y and cells");
			continue;
		}
		store_fields(p, g, names, 5, f);
		if (!f[0])
			store_missing(p, g, "id", "grid", "");
		else
			id = store_item_id(p, f[0], "grid", board_grid_index, p->grid_ids,
					   &p->bad_grids);
		if (!f[1])
			store_missing(p, g, "x", "grid", " (the criterion across)");
		else
			x = store_axis(p, f[1], "x");
		if (!f[2])
			store_missing(p, g, "y", "grid", " (the criterion up)");
		else
			y = store_axis(p, f[2], "y");
		if (x >= 0 && x == y) {
			store_err(p, f[2], "a grid must cross two different criteria ('%s' is "
				  "on both axes)", p->b->criteria[x].id);
			ok = false;
		}
		if (store_present(f[3]) && (!store_int(f[3], &cells) || cells < BOARD_MIN_CELLS ||
					    cells > BOARD_MAX_CELLS)) {
			store_err(p, f[3], "'cells' must be an integer from %d to %d",
				  BOARD_MIN_CELLS, BOARD_MAX_CELLS);
			cells = BOARD_DEFAULT_CELLS;
		}
		if (id && (x < 0 || y < 0 || !ok)) {
			/* Placements on a grid that could not be made are not checked. */
			store_names_add(&p->bad_grids, id);
			id = NULL;
		}
		if (id) {
			int at = board_add_grid(p->b, id, (size_t)x, (size_t)y, (int)cells);

			if (at >= 0)
				p->grid_ids[at] = f[0];
			store_zones(p, f[4], at, (int)cells);
		} else {
			store_zones(p, f[4], -1, (int)cells);
		}
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

enum { FK_NAME, FK_KEY, FK_ADDED, FK_COUNT };

/* The facilitators' public keys: one per name. */
static void store_facilitator_keys(struct store_parse *p, const struct snode *v)
{
	static const char *const names[FK_COUNT] = { "name", "key", "added" };
	const struct snode *items, *f[FK_COUNT];
	size_t count, i, j;

	items = store_list(p, v, "facilitator_keys", "facilitator keys", STORE_MAX_FACILITATORS,
			   &count);
	for (i = 0; i < count; i++) {
		const struct snode *n = &items[i];
		const char *name = NULL, *key = NULL;
		time_t added = 0;
		bool ok = true;

		if (n->kind != SNODE_MAP) {
			store_err(p, n, "a facilitator key must be a mapping with name and key");
			continue;
		}
		store_fields(p, n, names, FK_COUNT, f);
		if (!f[FK_NAME]) {
			store_missing(p, n, "name", "a facilitator key", " (who signs with it)");
			ok = false;
		} else if (!(name = store_string(p, f[FK_NAME], "name", 0))) {
			ok = false;
		}
		if (!f[FK_KEY]) {
			store_missing(p, n, "key", "a facilitator key", " (the public key)");
			ok = false;
		} else if (!(key = store_key_id(p, f[FK_KEY], "key"))) {
			ok = false;
		}
		if (store_present(f[FK_ADDED]) && !store_time(p, f[FK_ADDED], "added", &added))
			ok = false;
		for (j = 0; name && j < i; j++) {
			const struct snode *other = store_map_get(&items[j], "name");

			if (other && store_key_is(other, name)) {
				store_err(p, f[FK_NAME], "duplicate facilitator key for '%s' (first at "
					  "line %d): one key per name", store_cut(p, name),
					  other->line);
				ok = false;
				break;
			}
		}
		if (ok)
			board_add_key(p->b, name, key, added);
	}
}

enum { DK_AT, DK_BY, DK_CARD, DK_TEXT, DK_FROM, DK_TO, DK_RATIONALE, DK_KEY, DK_SIG, DK_COUNT };

/* The decision log. An entry may name a card that is no longer on the board. */
static void store_decisions(struct store_parse *p, const struct snode *v)
{
	static const char *const names[DK_COUNT] = { "at", "by", "card", "text", "from", "to",
						     "rationale", "key", "sig" };
	const struct snode *items, *f[DK_COUNT];
	size_t count, i;

	items = store_list(p, v, "decisions", "decisions", 0, &count);
	for (i = 0; i < count; i++) {
		const struct snode *n = &items[i];
		struct decision_entry d;
		bool ok = true;
		int k;

		memset(&d, 0, sizeof(d));
		if (n->kind != SNODE_MAP) {
			store_err(p, n, "a decision must be a mapping with at, card, text, from "
				  "and to");
			continue;
		}
		store_fields(p, n, names, DK_COUNT, f);
		if (!f[DK_AT]) {
			store_missing(p, n, "at", "decision", " (when it was made)");
			ok = false;
		} else if (!store_time(p, f[DK_AT], "at", &d.at)) {
			ok = false;
		}
		if (store_present(f[DK_BY]) && !(d.by = (char *)store_string(p, f[DK_BY], "by", 0)))
			ok = false;
		if (!f[DK_CARD]) {
			store_missing(p, n, "card", "decision", " (the card's id)");
			ok = false;
		} else if (!store_uuid_parse(f[DK_CARD], d.card)) {
			if (f[DK_CARD]->kind == SNODE_SCALAR && !store_is_null(f[DK_CARD]))
				store_err(p, f[DK_CARD], "invalid card id '%s' (a card id is a "
					  "UUID such as 6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f)",
					  store_cut(p, f[DK_CARD]->u.s));
			else
				store_err(p, f[DK_CARD], "'card' must be a UUID, not %s",
					  store_kind_name(f[DK_CARD]));
			ok = false;
		}
		if (!f[DK_TEXT]) {
			store_missing(p, n, "text", "decision", " (the card's text)");
			ok = false;
		} else if (!(d.text = (char *)store_string(p, f[DK_TEXT], "text", STR_FREE))) {
			ok = false;
		}
		if (!f[DK_FROM]) {
			store_missing(p, n, "from", "decision", " (the decision before)");
			ok = false;
		} else if ((k = store_decision(p, f[DK_FROM], "from")) < 0) {
			ok = false;
		} else {
			d.from = (enum decision)k;
		}
		if (!f[DK_TO]) {
			store_missing(p, n, "to", "decision", " (the decision made)");
			ok = false;
		} else if ((k = store_decision(p, f[DK_TO], "to")) < 0) {
			ok = false;
		} else {
			d.to = (enum decision)k;
		}
		if (store_present(f[DK_RATIONALE]) &&
		    !(d.rationale = (char *)store_string(p, f[DK_RATIONALE], "rationale",
							 STR_FREE)))
			ok = false;
		if (store_present(f[DK_KEY]) && !(d.key = (char *)store_key_id(p, f[DK_KEY], "key")))
			ok = false;
		if (store_present(f[DK_SIG]) && !(d.sig = (char *)store_sig(p, f[DK_SIG], "sig")))
			ok = false;
		if (ok && !d.key != !d.sig) {
			store_err(p, d.key ? f[DK_KEY] : f[DK_SIG], "a decision's 'key' and 'sig' go "
				  "together (the signature and the key it verifies with)");
			ok = false;
		}
		if (ok)
			board_log_decision(p->b, &d);
	}
}

enum { TK_TAMIS, TK_TITLE, TK_DESCRIPTION, TK_FACILITATORS, TK_FACILITATOR_KEYS, TK_THEMES,
       TK_CRITERIA, TK_GRIDS, TK_CARDS, TK_DECISIONS, TK_COUNT };

/* Step 3: the tree (and what streaming left of it) into a board, in p->b. */
static void store_validate(struct store_parse *p)
{
	static const char *const names[TK_COUNT] = { "tamis", "title", "description",
						     "facilitators", "facilitator_keys", "themes",
						     "criteria", "grids", "cards", "decisions" };
	const struct snode *root = &p->root, *f[TK_COUNT], *ver;
	const char *title = NULL, *description = NULL;
	long version;

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
	/*
	 * A file from a newer tamis may use keys or values this one does not
	 * know: an unsupported version is the only problem reported (streaming
	 * only started once a version given before the cards was known good).
	 */
	ver = store_map_get(root, "tamis");
	if (ver) {
		if (!store_int(ver, &version)) {
			store_err(p, ver, "'tamis' must be the format version, %d",
				  STORE_FORMAT_VERSION);
		} else if (version != STORE_FORMAT_VERSION) {
			store_errors_truncate(p->err, p->err_n, p->err_dropped);
			store_err(p, ver,
				  "unsupported format version %ld (this tamis reads version %d)",
				  version, STORE_FORMAT_VERSION);
			return;
		}
	}
	store_fields(p, root, names, TK_COUNT, f);
	if (!f[TK_TAMIS])
		store_err(p, root, "missing key 'tamis' (the format version: start the file with "
			  "'tamis: %d')", STORE_FORMAT_VERSION);
	if (!f[TK_TITLE])
		store_err(p, root, "missing key 'title'");
	else
		title = store_string(p, f[TK_TITLE], "title", 0);
	if (store_present(f[TK_DESCRIPTION]))
		description = store_string(p, f[TK_DESCRIPTION], "description", STR_FREE);

	if (!p->prelude_done) {
		p->b = board_new("");
		store_themes(p, f[TK_THEMES]);
		store_criteria(p, f[TK_CRITERIA]);
		store_grids(p, f[TK_GRIDS]);
	}
	board_set_title(p->b, title ? title : "");
	if (description)
		board_set_description(p->b, description);
	store_facilitators(p, f[TK_FACILITATORS]);
	store_facilitator_keys(p, f[TK_FACILITATOR_KEYS]);
	store_cards(p, f[TK_CARDS]);
	store_cards_end(p);
	store_decisions(p, f[TK_DECISIONS]);
}

void board_lines_release(struct board_lines *l)
{
	free(l->themes);
	free(l->criteria);
	free(l->grids);
	memset(l, 0, sizeof(*l));
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
		/* Ready to rank: the first sieve takes no longer than the next. */
		board_sieve_prepare(p->b);
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
