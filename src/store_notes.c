/*
 * store_notes.c - the comments of a file: found in the bytes as they are
 * read, attached to the keys and list items they go with, then moved to the
 * model (comments.h). store_write.c writes them back.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "timeutil.h"
#include "xmalloc.h"

/* --- Comments: found in the bytes, attached to anchors ------------------- */

/*
 * libyaml reports no comments, so tamis finds them in the bytes it hands to
 * libyaml: every '#' is a candidate (its position, and its bytes up to the
 * next '#' or the end of its line), in file order. Outside comments, a '#'
 * can only be inside a scalar (quoted, plain or block; tags and anchors that
 * could hold one are refused): a candidate inside a scalar's range is dropped
 * when the scalar's event comes, and one before the start of an event that
 * no scalar took starts a comment running to the end of its line. Each
 * comment is attached at once to an anchor, a mapping key or list item of
 * the file in block style (known by where its node starts, struct snote);
 * once the tree is whole, store_card() and store_validate() move each
 * anchor's comments to the path that names it in the model (comments.h).
 * Only comments and the candidates libyaml has read ahead of its events are
 * kept: reading a file still takes memory that does not grow with it.
 *
 * Where a comment goes (the writer, store_format(), puts each one back so
 * that reading its output gives the same):
 *  - before the first anchor: the head of the file;
 *  - after a token on its own line: the last anchor started, as its 'after'
 *    comment, or 'below' it when it has one (flow collections and scalars
 *    over several lines);
 *  - after a list item's '-' alone on its line: 'before' that item;
 *  - a whole line inside a flow collection: 'below' the anchor holding it;
 *  - another whole line: 'before' the next anchor, unless it is indented
 *    deeper than the next line (with none before it in the gap going to the
 *    next anchor): then 'below' the last anchor, so that a comment indented
 *    as the keys of a card stays with that card;
 *  - after the last anchor: 'below' it, or the tail of the file for the
 *    lines not indented.
 */

/*
 * True when the bytes before offset off on its line are blanks and at least
 * one '-' (a list item's dash), as far as the window holds them.
 */
static bool snotes_dash(const struct store_parse *p, size_t off)
{
	const char *s = p->in.buf - p->in.start;
	bool dash = false;

	while (off > p->in.start &&
	       (s[off - 1] == ' ' || s[off - 1] == '\t' || s[off - 1] == '-')) {
		dash |= s[off - 1] == '-';
		off--;
	}
	return dash && (!off || s[off - 1] == '\n' || s[off - 1] == '\r');
}

/* Finds the candidates in the bytes at offsets [from, to) of the input. */
void snotes_scan(struct store_parse *p, size_t from, size_t to)
{
	struct snotes *c = &p->notes;
	const char *s = p->in.buf - p->in.start;
	size_t i = from, end;

	while (i < to) {
		struct scand *k;

		if (!c->open) {
			const char *h = memchr(s + i, '#', to - i);

			if (!h)
				return;
			i = (size_t)(h - s);
			c->cursor = sinput_pos(&p->in, &c->cursor, i);
			ALLOC_GROW(c->cand, c->ncand + 1, c->cand_alloc);
			k = &c->cand[c->ncand++];
			k->line = c->cursor.line;
			k->col = c->cursor.col;
			k->dash = snotes_dash(p, i);
			k->text = c->text.len;
			strbuf_addch(&c->text, '#');
			c->open = true;
			i++;
		}
		for (end = i; end < to && s[end] != '#' && s[end] != '\n' && s[end] != '\r'; end++)
			;
		/* Unless it was decided already (then every candidate was). */
		if (c->ncand) {
			strbuf_add(&c->text, s + i, end - i);
			k = &c->cand[c->ncand - 1];
			k->len = c->text.len - k->text;
		}
		if (end < to)
			c->open = false;
		i = end;
	}
}

static bool spos_before(int line, int col, int line2, int col2)
{
	return line < line2 || (line == line2 && col < col2);
}

/* Drops the candidate at the front. */
static void snotes_pop(struct snotes *c)
{
	c->chead++;
	if (c->chead == c->ncand) {
		c->chead = c->ncand = 0;
		strbuf_reset(&c->text);
	} else if (c->chead >= 64 && c->chead * 2 >= c->ncand) {
		/* Keep the queue and its bytes as small as what is undecided. */
		size_t i, skip = c->cand[c->chead].text;

		c->ncand -= c->chead;
		memmove(c->cand, c->cand + c->chead, c->ncand * sizeof(*c->cand));
		c->chead = 0;
		for (i = 0; i < c->ncand; i++)
			c->cand[i].text -= skip;
		memmove(c->text.buf, c->text.buf + skip, c->text.len - skip);
		strbuf_setlen(&c->text, c->text.len - skip);
	}
}

/* The anchor that started last, with an entry for its comments. */
static struct snote *snotes_last(struct snotes *c)
{
	struct snote *t;

	if (c->n) {
		t = &c->v[c->n - 1];
		if (t->line == c->line && t->col == c->col && t->item == c->item)
			return t;
	}
	ALLOC_GROW(c->v, c->n + 1, c->alloc);
	t = &c->v[c->n++];
	memset(t, 0, sizeof(*t));
	t->line = c->line;
	t->col = c->col;
	t->item = c->item;
	strbuf_init(&t->before, 0);
	strbuf_init(&t->after, 0);
	strbuf_init(&t->below, 0);
	return t;
}

/* Appends one line (or several, '\n' between) to sb. */
static void snotes_line(struct strbuf *sb, const char *text, size_t len)
{
	if (sb->len)
		strbuf_addch(sb, '\n');
	strbuf_add(sb, text, len);
}

/*
 * Attaches the comment at line, col (text[0..len)): next is the column of
 * the next line's anchor (0-based), to which a whole line may go; dash: a
 * list item starts on its line, with nothing else before it.
 */
static void snotes_attach(struct snotes *c, int line, int col, bool dash, const char *text,
			  size_t len, int next)
{
	struct snote *t;

	if (!c->anchored) {
		snotes_line(&c->head, text, len);
		return;
	}
	if (c->mark_line == line) {
		t = snotes_last(c);
		snotes_line(t->after.len ? &t->below : &t->after, text, len);
	} else if (c->flow || (!dash && !c->queue.len && col - 1 > next)) {
		snotes_line(&snotes_last(c)->below, text, len);
	} else {
		snotes_line(&c->queue, text, len);
	}
}

/* The candidate at the front starts a comment: attaches it with the rest of its line. */
static void snotes_comment(struct snotes *c, int next)
{
	const struct scand *k = &c->cand[c->chead];
	struct strbuf text = STRBUF_INIT;
	int line = k->line, col = k->col;
	bool dash = k->dash;
	size_t i, n = 0, len = 0;

	/* The candidates after it on its line are in it: their bytes follow. */
	for (i = c->chead; i < c->ncand && c->cand[i].line == line; i++) {
		len += c->cand[i].len;
		n++;
	}
	while (len > 1 && (c->text.buf[k->text + len - 1] == ' ' ||
			   c->text.buf[k->text + len - 1] == '\t'))
		len--;
	strbuf_add(&text, c->text.buf + k->text, len);
	for (i = 0; i < n; i++)
		snotes_pop(c);
	snotes_attach(c, line, col, dash, text.buf, text.len, next);
	strbuf_release(&text);
}

/* Every candidate before line, col starts a comment (next: as for snotes_attach()). */
void snotes_before(struct snotes *c, int line, int col, int next)
{
	while (c->chead < c->ncand &&
	       spos_before(c->cand[c->chead].line, c->cand[c->chead].col, line, col))
		snotes_comment(c, next);
}

/* The whole lines waiting go before the anchor that just started. */
void snotes_queue(struct snotes *c)
{
	snotes_line(&snotes_last(c)->before, c->queue.buf, c->queue.len);
	strbuf_reset(&c->queue);
}

void snotes_scalar(struct snotes *c, const yaml_event_t *ev, int line, int eline, int ecol,
		   int next)
{
	yaml_scalar_style_t st = ev->data.scalar.style;

	if (st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE) {
		c->mark_line = line;
		while (c->chead < c->ncand && c->cand[c->chead].line == line)
			snotes_comment(c, next);
	}
	while (c->chead < c->ncand &&
	       spos_before(c->cand[c->chead].line, c->cand[c->chead].col, eline, ecol))
		snotes_pop(c);
}

/* At the end of the file: the last comments, and the lines for the tail. */
void snotes_end(struct snotes *c)
{
	snotes_before(c, INT_MAX, INT_MAX, 0);
	if (c->queue.len) {
		snotes_line(&c->tail, c->queue.buf, c->queue.len);
		strbuf_reset(&c->queue);
	}
}

void snotes_release(struct snotes *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		strbuf_release(&c->v[i].before);
		strbuf_release(&c->v[i].after);
		strbuf_release(&c->v[i].below);
	}
	free(c->v);
	free(c->cand);
	strbuf_release(&c->text);
	strbuf_release(&c->queue);
	strbuf_release(&c->head);
	strbuf_release(&c->tail);
}

/* --- Comments: from anchors to paths in the model ----------------------- */

/*
 * Appends the path segment of a card's history event at 'at' (comments.h):
 * its time, and +k for the k-th other event at that time.
 */
void store_history_key(struct strbuf *path, time_t at, unsigned k)
{
	char seg[48];

	if (k)
		snprintf(seg, sizeof(seg), "%lld+%u", (long long)at, k);
	else
		snprintf(seg, sizeof(seg), "%lld", (long long)at);
	comments_path_add(path, seg);
}

/* The comments of the anchor of node n (a list item, or a mapping key), or NULL. */
static struct snote *snotes_find(struct snotes *c, const struct snode *n, bool item)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct snote *t = &c->v[mid];

		/* An item comes before its first key, which starts at the same place. */
		if (t->line == n->line && t->col == n->col && t->item == item)
			return t->taken ? NULL : &c->v[mid];
		if (spos_before(t->line, t->col, n->line, n->col) ||
		    (t->line == n->line && t->col == n->col && t->item))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Moves one anchor's comments to path in dst; with under, the anchor is
 * inside what path names: its lines go below path.
 */
static void snotes_take(struct snotes *c, const struct snode *n, bool item, struct comments *dst,
			const char *path, bool under)
{
	struct snote *t = snotes_find(c, n, item);

	if (!t)
		return;
	t->taken = true;
	/* A comment at the end of a line stays at the end of one while it can. */
	comments_add(dst, path, under ? COMMENT_BELOW : COMMENT_BEFORE, t->before.buf);
	comments_add(dst, path, COMMENT_AFTER, t->after.buf);
	comments_add(dst, path, COMMENT_BELOW, t->below.buf);
}

/*
 * What a collection is in the format, for naming its keys and items. A key
 * or item the format does not name (inside a value: the items of a zone's
 * 'cells' written as a block list...) gives its comments to the nearest one
 * that it does, below it, where the writer puts what it holds.
 */
enum swhere {
	SW_VALUE,    /* nothing inside is named */
	SW_BOARD,    /* the root: keys */
	SW_ITEM,     /* a theme, criterion, zone or decision: keys */
	SW_GRID,     /* keys; 'zones' */
	SW_CARD,     /* keys; 'place', 'history' */
	SW_PLACE,    /* keys: grid ids */
	SW_BY_ID,    /* themes, criteria: items by their id */
	SW_GRIDS,    /* items by their id */
	SW_ZONES,    /* items by their name */
	SW_KEYS,     /* facilitator keys: items by their name */
	SW_NAMES,    /* facilitators: items by their value */
	SW_LOG,      /* decisions: items by their place in the list */
	SW_HISTORY,  /* items by their time */
};

/* What the value of key in a collection of kind w is. */
static enum swhere snotes_key_where(enum swhere w, const struct snode *key)
{
	switch (w) {
	case SW_BOARD:
		if (store_key_is(key, "themes") || store_key_is(key, "criteria"))
			return SW_BY_ID;
		if (store_key_is(key, "grids"))
			return SW_GRIDS;
		if (store_key_is(key, "facilitators"))
			return SW_NAMES;
		if (store_key_is(key, "facilitator_keys"))
			return SW_KEYS;
		if (store_key_is(key, "decisions"))
			return SW_LOG;
		return SW_VALUE;
	case SW_GRID:
		return store_key_is(key, "zones") ? SW_ZONES : SW_VALUE;
	case SW_CARD:
		if (store_key_is(key, "place"))
			return SW_PLACE;
		return store_key_is(key, "history") ? SW_HISTORY : SW_VALUE;
	default:
		return SW_VALUE;
	}
}

/* The time of history event n, read again: false when it has none. */
static bool snotes_event_time(const struct snode *n, time_t *at)
{
	const struct snode *v = store_map_get(n, "at");

	return v && v->kind == SNODE_SCALAR && iso8601_parse(v->u.s, at);
}

/*
 * Appends the path segment of item i of a list of kind w to path, and says
 * what the item is; SW_VALUE (nothing appended) when the list does not name
 * its items. For SW_HISTORY, the items before i are looked at too.
 */
static enum swhere snotes_item(enum swhere w, const struct snode *items, uint32_t i,
			       struct strbuf *path)
{
	const struct snode *it = &items[i], *name;
	char num[32];
	time_t at, other;
	uint32_t j, k = 0;

	switch (w) {
	case SW_BY_ID:
	case SW_GRIDS:
	case SW_ZONES:
	case SW_KEYS:
		name = store_map_get(it, w == SW_ZONES || w == SW_KEYS ? "name" : "id");
		if (!name || name->kind != SNODE_SCALAR)
			return SW_VALUE;
		comments_path_add(path, name->u.s);
		return w == SW_GRIDS ? SW_GRID : SW_ITEM;
	case SW_NAMES:
		if (it->kind != SNODE_SCALAR)
			return SW_VALUE;
		comments_path_add(path, it->u.s);
		return SW_VALUE;
	case SW_LOG:
		snprintf(num, sizeof(num), "%u", i);
		comments_path_add(path, num);
		return SW_ITEM;
	case SW_HISTORY:
		if (!snotes_event_time(it, &at))
			return SW_VALUE;
		for (j = 0; j < i; j++)
			k += snotes_event_time(&items[j], &other) && other == at;
		store_history_key(path, at, k);
		return SW_VALUE;
	default:
		return SW_VALUE;
	}
}

/*
 * Moves the comments of the anchors inside n, a collection of kind w named
 * path, to dst: each to its own path, or below path when w does not name it.
 */
static void snotes_walk(struct snotes *c, const struct snode *n, enum swhere w,
			struct comments *dst, struct strbuf *path)
{
	bool keys = w == SW_BOARD || w == SW_ITEM || w == SW_GRID || w == SW_CARD ||
		    w == SW_PLACE;
	size_t base = path->len;
	uint32_t i;

	if (n->kind == SNODE_MAP) {
		for (i = 0; i + 1 < n->n; i += 2) {
			const struct snode *k = &n->u.kids[i], *v = &n->u.kids[i + 1];
			bool named = keys && k->kind == SNODE_SCALAR;
			enum swhere sub = SW_VALUE;

			if (named) {
				comments_path_add(path, k->u.s);
				sub = snotes_key_where(w, k);
			}
			snotes_take(c, k, false, dst, path->buf, !named);
			/* Cards are items of their own (snotes_card()). */
			if (!(w == SW_BOARD && named && store_key_is(k, "cards")))
				snotes_walk(c, v, sub, dst, path);
			strbuf_setlen(path, base);
		}
	} else if (n->kind == SNODE_SEQ) {
		for (i = 0; i < n->n; i++) {
			const struct snode *it = &n->u.kids[i];
			enum swhere sub = keys ? SW_VALUE : snotes_item(w, n->u.kids, i, path);
			bool named = path->len != base;

			snotes_take(c, it, true, dst, path->buf, !named);
			snotes_walk(c, it, sub, dst, path);
			strbuf_setlen(path, base);
		}
	}
}

/* True when some comments not taken yet belong to n or what follows it. */
static bool snotes_from(const struct snotes *c, const struct snode *n)
{
	const struct snote *t = c->n ? &c->v[c->n - 1] : NULL;

	return t && !spos_before(t->line, t->col, n->line, n->col);
}

/* Forgets the anchors whose comments were taken. */
static void snotes_compact(struct snotes *c)
{
	size_t i, k = 0;

	for (i = 0; i < c->n; i++) {
		if (c->v[i].taken) {
			strbuf_release(&c->v[i].before);
			strbuf_release(&c->v[i].after);
			strbuf_release(&c->v[i].below);
		} else {
			c->v[k++] = c->v[i];
		}
	}
	c->n = k;
}

/* The comments of card c (its item and what it holds) into card. */
void snotes_card(struct store_parse *p, const struct snode *c, struct card *card)
{
	struct strbuf path = STRBUF_INIT;
	struct comments *cm;

	if (!snotes_from(&p->notes, c))
		return;
	cm = comments_new();
	snotes_take(&p->notes, c, true, cm, "", false);
	snotes_walk(&p->notes, c, SW_CARD, cm, &path);
	if (cm->n)
		card->comments = cm;
	else
		comments_free(cm);
	snotes_compact(&p->notes);
	strbuf_release(&path);
}

/*
 * The rest of the comments into the board read: the head and tail of the
 * file, the board's keys and what they hold. Any anchor left (none should
 * be) gives its comments to the tail: never lost.
 */
void snotes_board(struct store_parse *p)
{
	struct snotes *c = &p->notes;
	struct strbuf path = STRBUF_INIT;
	size_t i;

	comments_add(&p->b->comments, "", COMMENT_BEFORE, c->head.buf);
	if (c->n && p->have_root)
		snotes_walk(c, &p->root, SW_BOARD, &p->b->comments, &path);
	for (i = 0; i < c->n; i++) {
		if (c->v[i].taken)
			continue;
		comments_add(&p->b->comments, "", COMMENT_BELOW, c->v[i].before.buf);
		comments_add(&p->b->comments, "", COMMENT_BELOW, c->v[i].after.buf);
		comments_add(&p->b->comments, "", COMMENT_BELOW, c->v[i].below.buf);
	}
	comments_add(&p->b->comments, "", COMMENT_BELOW, c->tail.buf);
	strbuf_release(&path);
}

