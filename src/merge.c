#include "merge.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "text.h"
#include "xmalloc.h"

static int merge_line(const int *lines, size_t i)
{
	return lines ? lines[i] : 0;
}

/* Reports a clash between item i of dst and item j of src. */
static void merge_clash(struct store_errors *err, const char *what, const char *id,
			const char *dst_name, int dst_line, const char *src_name, int src_line,
			const char *detail)
{
	struct strbuf there = STRBUF_INIT;

	strbuf_addstr(&there, dst_name);
	if (dst_line)
		strbuf_addf(&there, ":%d", dst_line);
	/* Located in src's file when its line is known; named in full otherwise. */
	if (src_line)
		store_errors_add(err, src_line, 1, "%s '%s' clashes with its definition in %s: %s",
				 what, id, there.buf, detail);
	else
		store_errors_add(err, 0, 0, "%s: %s '%s' clashes with its definition in %s: %s",
				 src_name, what, id, there.buf, detail);
	strbuf_release(&there);
}

static bool merge_same_event(const struct card_event *a, const struct card_event *b)
{
	if (a->at != b->at || a->kind != b->kind)
		return false;
	if ((a->by == NULL) != (b->by == NULL) || (a->by && strcmp(a->by, b->by)))
		return false;
	if (a->kind == EVENT_MOVED)
		return a->grid == b->grid && !memcmp(&a->from, &b->from, sizeof(a->from)) &&
		       !memcmp(&a->to, &b->to, sizeof(a->to));
	if (a->kind == EVENT_DECIDED)
		return a->dfrom == b->dfrom && a->dto == b->dto;
	return true;
}

static int merge_event_cmp(const void *pa, const void *pb)
{
	const struct card_event *a = pa, *b = pb;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	/* qsort is not stable: keep the order of equal times by address. */
	return a < b ? -1 : a > b;
}

/*
 * Adds src's events (grids mapped by gmap) that dst's card lacks; keeps time
 * order. Returns how many of them are still there once the oldest events
 * past CARD_HISTORY_MAX are dropped.
 */
static size_t merge_history(struct card *dst, const struct card *src, const long *gmap)
{
	time_t oldest_kept;
	size_t i, k, added = 0;

	for (i = 0; i < src->nhistory; i++) {
		struct card_event e = src->history[i];

		if (e.kind == EVENT_MOVED) {
			if (gmap[e.grid] < 0)
				continue;
			e.grid = (size_t)gmap[e.grid];
		}
		for (k = 0; k < dst->nhistory; k++)
			if (merge_same_event(&dst->history[k], &e))
				break;
		if (k < dst->nhistory)
			continue;
		ALLOC_GROW(dst->history, dst->nhistory + 1, dst->history_alloc);
		card_event_copy(&dst->history[dst->nhistory++], &e);
		added++;
	}
	if (!added)
		return 0;
	if (dst->nhistory > 1)
		qsort(dst->history, dst->nhistory, sizeof(*dst->history), merge_event_cmp);
	if (dst->nhistory > CARD_HISTORY_MAX) {
		size_t drop = dst->nhistory - CARD_HISTORY_MAX;

		for (i = 0; i < drop; i++)
			card_event_release(&dst->history[i]);
		memmove(dst->history, dst->history + drop, CARD_HISTORY_MAX * sizeof(*dst->history));
		dst->nhistory = CARD_HISTORY_MAX;
		/* Added events older than every one kept were dropped again. */
		oldest_kept = dst->history[0].at;
		for (i = 0, k = 0; i < src->nhistory; i++)
			if (src->history[i].at < oldest_kept)
				k++;
		added = k < added ? added - k : 0;
	}
	return added;
}

/* When the card's field of this kind last changed, by its history (0: never). */
static time_t merge_last(const struct card *c, enum event_kind kind, enum event_kind also)
{
	time_t t = 0;
	size_t i;

	for (i = 0; i < c->nhistory; i++)
		if ((c->history[i].kind == kind || c->history[i].kind == also) && c->history[i].at > t)
			t = c->history[i].at;
	return t;
}

static bool merge_differ(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b));
}

/*
 * A card both boards hold: each of its text, theme, note, decision and lock
 * takes src's value when src changed it later than dst did, by the cards'
 * histories (a change saved in a rescue copy, or made later at the other
 * table). Called before the histories are united. Returns the fields taken.
 */
static size_t merge_fields(struct board *dst, struct card *dc, const struct board *src,
			   const struct card *sc)
{
	size_t n = 0;
	int t;

	if (strcmp(dc->text, sc->text) &&
	    merge_last(sc, EVENT_EDITED, EVENT_EDITED) > merge_last(dc, EVENT_EDITED, EVENT_EDITED)) {
		board_set_card_text(dst, dc, sc->text);
		n++;
	}
	t = board_theme_index(dst, src->themes[sc->theme].id);
	if (t >= 0 && (size_t)t != dc->theme &&
	    merge_last(sc, EVENT_THEMED, EVENT_THEMED) > merge_last(dc, EVENT_THEMED, EVENT_THEMED)) {
		dc->theme = (size_t)t;
		n++;
	}
	if (merge_differ(dc->note, sc->note) &&
	    merge_last(sc, EVENT_NOTED, EVENT_NOTED) > merge_last(dc, EVENT_NOTED, EVENT_NOTED)) {
		card_set_note(dc, sc->note);
		n++;
	}
	if (dc->decision != sc->decision &&
	    merge_last(sc, EVENT_DECIDED, EVENT_DECIDED) > merge_last(dc, EVENT_DECIDED, EVENT_DECIDED)) {
		dc->decision = sc->decision;
		n++;
	}
	if (dc->locked != sc->locked &&
	    merge_last(sc, EVENT_LOCKED, EVENT_UNLOCKED) > merge_last(dc, EVENT_LOCKED, EVENT_UNLOCKED)) {
		dc->locked = sc->locked;
		n++;
	}
	return n;
}

/* True when dc's history already records the debate of a and b on grid g (an earlier merge). */
static bool merge_debate_known(const struct card *dc, size_t g, struct cell a, struct cell b)
{
	size_t i;

	if (!dc->debated_mark)
		return false;
	for (i = 0; i < dc->nhistory; i++) {
		const struct card_event *e = &dc->history[i];

		if (e->kind == EVENT_MOVED && e->grid == g && !memcmp(&e->from, &a, sizeof(a)) &&
		    !memcmp(&e->to, &b, sizeof(b)))
			return true;
	}
	return false;
}

/* Checks the frame (themes, criteria, grids) for clashes. Returns the number found. */
static size_t merge_check_frame(const struct board *dst, const char *dst_name,
				const struct board_lines *dl, const struct board *src,
				const char *src_name, const struct board_lines *sl,
				struct store_errors *err)
{
	size_t i, clashes = 0;
	int j;

	for (i = 0; i < src->nthemes; i++) {
		const struct theme *t = &src->themes[i];

		if ((j = board_theme_index(dst, t->id)) < 0)
			continue;
		if (strcmp(dst->themes[j].label, t->label) || dst->themes[j].color != t->color) {
			struct strbuf d = STRBUF_INIT;

			strbuf_addf(&d, "label '%s' and colour %s there, '%s' and %s here",
				    dst->themes[j].label, hue_name(dst->themes[j].color), t->label,
				    hue_name(t->color));
			merge_clash(err, "theme", t->id, dst_name, merge_line(dl->themes, (size_t)j),
				    src_name, merge_line(sl->themes, i), d.buf);
			strbuf_release(&d);
			clashes++;
		}
	}
	for (i = 0; i < src->ncriteria; i++) {
		const struct criterion *c = &src->criteria[i];
		const struct criterion *o;

		if ((j = board_criterion_index(dst, c->id)) < 0)
			continue;
		o = &dst->criteria[j];
		if (strcmp(o->low, c->low) || strcmp(o->high, c->high) || o->easy != c->easy) {
			struct strbuf d = STRBUF_INIT;

			strbuf_addf(&d, "'%s' / '%s' (easy %s) there, '%s' / '%s' (easy %s) here",
				    o->low, o->high, pole_name(o->easy), c->low, c->high,
				    pole_name(c->easy));
			merge_clash(err, "criterion", c->id, dst_name,
				    merge_line(dl->criteria, (size_t)j), src_name,
				    merge_line(sl->criteria, i), d.buf);
			strbuf_release(&d);
			clashes++;
		}
	}
	for (i = 0; i < src->ngrids; i++) {
		const struct grid *g = &src->grids[i];
		const struct grid *o;

		if ((j = board_grid_index(dst, g->id)) < 0)
			continue;
		o = &dst->grids[j];
		if (strcmp(dst->criteria[o->x].id, src->criteria[g->x].id) ||
		    strcmp(dst->criteria[o->y].id, src->criteria[g->y].id) || o->cells != g->cells) {
			struct strbuf d = STRBUF_INIT;

			strbuf_addf(&d, "%s × %s in %d cells there, %s × %s in %d cells here",
				    dst->criteria[o->x].id, dst->criteria[o->y].id, o->cells,
				    src->criteria[g->x].id, src->criteria[g->y].id, g->cells);
			merge_clash(err, "grid", g->id, dst_name, merge_line(dl->grids, (size_t)j),
				    src_name, merge_line(sl->grids, i), d.buf);
			strbuf_release(&d);
			clashes++;
		}
	}
	return clashes;
}

/* Adds src's new themes, criteria and grids to dst (no clash remains). */
static void merge_frame(struct board *dst, const struct board *src, struct merge_stats *st)
{
	size_t i, k;

	for (i = 0; i < src->nthemes; i++)
		if (board_add_theme(dst, src->themes[i].id, src->themes[i].label,
				    src->themes[i].color) >= 0)
			st->frame++;
	for (i = 0; i < src->ncriteria; i++)
		if (board_add_criterion(dst, src->criteria[i].id, src->criteria[i].low,
					src->criteria[i].high, src->criteria[i].easy) >= 0)
			st->frame++;
	for (i = 0; i < src->ngrids; i++) {
		const struct grid *g = &src->grids[i];
		int n;

		if (board_grid_index(dst, g->id) >= 0)
			continue;
		n = board_add_grid(dst, g->id,
				   (size_t)board_criterion_index(dst, src->criteria[g->x].id),
				   (size_t)board_criterion_index(dst, src->criteria[g->y].id), g->cells);
		for (k = 0; n >= 0 && k < g->nzones; k++) {
			int z = grid_add_zone(dst, (size_t)n, g->zones[k].name, g->zones[k].color,
					      g->zones[k].easy);

			if (z >= 0)
				memcpy(dst->grids[n].zones[z].rows, g->zones[k].rows,
				       sizeof(g->zones[k].rows));
		}
		st->frame++;
	}
	for (i = 0; i < src->nfacilitators; i++)
		board_add_facilitator(dst, src->facilitators[i]);
	/* One key per name: the first board's wins (merge.h). */
	for (i = 0; i < src->nkeys; i++)
		board_add_key(dst, src->keys[i].name, src->keys[i].key, src->keys[i].added);
}

/*
 * True when path, a path of a comment of src's file (comments.h), is inside
 * a theme, criterion, grid or facilitator that dst has (before the merge
 * adds src's), or not inside any: the comments there stay dst's.
 */
static bool merge_dst_has(const struct board *dst, const char *path)
{
	const char *slash = strchr(path, '/'), *end;
	struct strbuf item = STRBUF_INIT;
	size_t len, i;
	bool has = true;

	if (!slash)
		return true;
	end = strchr(slash + 1, '/');
	len = end ? (size_t)(end - path) : strlen(path);
	strbuf_add(&item, path, len);
	item.buf[slash - path] = '\0';
	if (!strcmp(item.buf, "themes"))
		has = board_theme_index(dst, item.buf + (slash - path) + 1) >= 0;
	else if (!strcmp(item.buf, "criteria"))
		has = board_criterion_index(dst, item.buf + (slash - path) + 1) >= 0;
	else if (!strcmp(item.buf, "grids"))
		has = board_grid_index(dst, item.buf + (slash - path) + 1) >= 0;
	if (!strcmp(item.buf, "facilitators")) {
		has = false;
		for (i = 0; i < dst->nfacilitators && !has; i++) {
			strbuf_reset(&item);
			comments_path_add(&item, "facilitators");
			comments_path_add(&item, dst->facilitators[i]);
			has = item.len == len && !strncmp(item.buf, path, len);
		}
	}
	strbuf_release(&item);
	return has;
}

/*
 * Gives dst the comments of src's file for the themes, criteria, grids and
 * facilitators it does not have yet (call before adding them).
 */
static void merge_frame_comments(struct board *dst, const struct board *src)
{
	size_t i;

	for (i = 0; i < src->comments.n; i++) {
		const struct comment *c = &src->comments.v[i];

		if (strncmp(c->path, "decisions/", 10) && !merge_dst_has(dst, c->path))
			comments_add_missing(&dst->comments, c->path, c);
	}
}

/*
 * Gives dst the comments of src's decision i, now dst's decision k (the
 * path of each: "decisions/N..."; see comments.h).
 */
static void merge_decision_comments(struct board *dst, const struct board *src, size_t i,
				    size_t k)
{
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	size_t j;

	strbuf_addf(&from, "decisions/%zu", i);
	for (j = 0; j < src->comments.n; j++) {
		const struct comment *c = &src->comments.v[j];

		if (strncmp(c->path, from.buf, from.len) ||
		    (c->path[from.len] && c->path[from.len] != '/'))
			continue;
		strbuf_reset(&to);
		strbuf_addf(&to, "decisions/%zu%s", k, c->path + from.len);
		comments_add_missing(&dst->comments, to.buf, c);
	}
	strbuf_release(&from);
	strbuf_release(&to);
}

static bool merge_same_decision(const struct decision_entry *a, const struct decision_entry *b)
{
	return a->at == b->at && a->from == b->from && a->to == b->to &&
	       !memcmp(a->card, b->card, sizeof(uuid_t));
}

int merge_board(struct board *dst, const char *dst_name, const struct board_lines *dst_lines,
		const struct board *src, const char *src_name,
		const struct board_lines *src_lines, time_t now, struct merge_stats *st,
		struct store_errors *err)
{
	long *gmap;
	size_t i, g, k;

	if (merge_check_frame(dst, dst_name, dst_lines, src, src_name, src_lines, err))
		return -1;
	merge_frame_comments(dst, src);
	merge_frame(dst, src, st);
	gmap = xcalloc(src->ngrids + 1, sizeof(*gmap));
	for (g = 0; g < src->ngrids; g++)
		gmap[g] = board_grid_index(dst, src->grids[g].id);
	for (i = 0; i < src->ncards; i++) {
		const struct card *sc = src->cards[i];
		struct card *dc = board_find_card(dst, sc->id);
		bool debated = false;

		if (!dc) {
			dc = card_dup(src, sc);
			dc->theme = (size_t)board_theme_index(dst, src->themes[sc->theme].id);
			free(dc->place);
			dc->place = xcalloc(dst->ngrids + 1, sizeof(*dc->place));
			for (g = 0; g < src->ngrids; g++)
				dc->place[gmap[g]] = sc->place[g];
			for (k = 0; k < dc->nhistory; k++)
				if (dc->history[k].kind == EVENT_MOVED)
					dc->history[k].grid = (size_t)gmap[dc->history[k].grid];
			board_insert_card(dst, dc, dst->ncards);
			st->added++;
			continue;
		}
		st->matched++;
		st->updated += merge_fields(dst, dc, src, sc);
		st->events += merge_history(dc, sc, gmap);
		for (g = 0; g < src->ngrids; g++) {
			struct cell a = dc->place[gmap[g]], b = sc->place[g];
			struct card_event *e;

			if (!b.x || (a.x == b.x && a.y == b.y))
				continue;
			if (!a.x) {
				/* Only the later board placed it. */
				board_place_card(dst, dc, (size_t)gmap[g], b.x, b.y);
				st->updated++;
				continue;
			}
			/* Merged before: the debate is already there. */
			if (merge_debate_known(dc, (size_t)gmap[g], a, b))
				continue;
			/* Placed differently at two tables: both placements kept. */
			e = card_record(dc, EVENT_MOVED, now, src_name);
			e->grid = (size_t)gmap[g];
			e->from = a;
			e->to = b;
			e = card_record(dc, EVENT_MOVED, now, "merge");
			e->grid = (size_t)gmap[g];
			e->from = b;
			e->to = a;
			debated = true;
		}
		if ((debated || sc->debated_mark) && !dc->debated_mark) {
			if (debated)
				st->debated++;
			else
				st->updated++; /* debated at the other table */
			dc->debated_mark = true;
		}
	}
	for (i = 0; i < src->ndecisions; i++) {
		for (k = 0; k < dst->ndecisions; k++)
			if (merge_same_decision(&dst->decisions[k], &src->decisions[i]))
				break;
		if (k < dst->ndecisions)
			continue;
		board_log_decision(dst, &src->decisions[i]);
		merge_decision_comments(dst, src, i, k);
		st->decisions++;
	}
	free(gmap);
	return 0;
}

/* --- What a merge says ------------------------------------------------------- */

void merge_format_stats(const struct merge_stats *st, const char *src_name, struct strbuf *out)
{
	struct strbuf name = STRBUF_INIT;

	text_sanitize(&name, src_name);
	/* Three counts, each its own plural. */
	strbuf_addf(out, ngettext("%s: %zu new card", "%s: %zu new cards", st->added), name.buf,
		    st->added);
	strbuf_addf(out, ngettext(", %zu matched", ", %zu matched", st->matched), st->matched);
	strbuf_addf(out, ngettext(", %zu now debated\n", ", %zu now debated\n", st->debated),
		    st->debated);
	if (st->updated)
		strbuf_addf(out, ngettext("%s: %zu later change taken (text, theme, note, "
					  "decision, lock or placement)\n",
					  "%s: %zu later changes taken (text, theme, note, "
					  "decision, lock or placement)\n", st->updated),
			    name.buf, st->updated);
	strbuf_release(&name);
}

/* The same idea written at two tables. */

struct merge_key {
	char *key;          /* text_key() of the card's text */
	size_t index;       /* in its board */
};

static int merge_key_cmp(const void *pa, const void *pb)
{
	const struct merge_key *a = pa, *b = pb;
	int r = strcmp(a->key, b->key);

	return r ? r : (a->index > b->index) - (a->index < b->index);
}

/* The first of keys[0..n) (sorted) equal to key, or n. */
static size_t merge_key_first(const struct merge_key *keys, size_t n, const char *key)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(keys[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(keys[lo].key, key) ? lo : n;
}

static int merge_id_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(uuid_t));
}

void merge_format_duplicates(const struct board *dst, const struct board *src,
			     const char *src_name, struct strbuf *out)
{
	struct merge_key *keys = xcalloc(dst->ncards + 1, sizeof(*keys));
	uuid_t *ids = xcalloc(dst->ncards + 1, sizeof(*ids));
	struct strbuf sb = STRBUF_INIT, text = STRBUF_INIT, name = STRBUF_INIT;
	char a[CARD_SHORT_ID_LEN + 1], b[CARD_SHORT_ID_LEN + 1];
	size_t i, k;

	for (i = 0; i < dst->ncards; i++) {
		memcpy(ids[i], dst->cards[i]->id, sizeof(uuid_t));
		text_key(&sb, dst->cards[i]->text);
		keys[i].key = strbuf_detach(&sb, NULL);
		keys[i].index = i;
	}
	qsort(ids, dst->ncards, sizeof(*ids), merge_id_cmp);
	qsort(keys, dst->ncards, sizeof(*keys), merge_key_cmp);
	text_sanitize(&name, src_name);
	for (i = 0; i < src->ncards; i++) {
		/* Only the cards the merge adds: dst lacks their UUID. */
		if (bsearch(src->cards[i]->id, ids, dst->ncards, sizeof(*ids), merge_id_cmp))
			continue;
		strbuf_reset(&sb);
		text_key(&sb, src->cards[i]->text);
		if ((k = merge_key_first(keys, dst->ncards, sb.buf)) == dst->ncards)
			continue;
		card_short_id(src->cards[i], a);
		card_short_id(dst->cards[keys[k].index], b);
		strbuf_reset(&text);
		text_fit(&text, src->cards[i]->text, 40);
		strbuf_addf(out, _("%s: card %s has the same text as card %s ('%s'): both kept\n"),
			    name.buf, a, b, text.buf);
	}
	for (i = 0; i < dst->ncards; i++)
		free(keys[i].key);
	free(keys);
	free(ids);
	strbuf_release(&sb);
	strbuf_release(&text);
	strbuf_release(&name);
}
