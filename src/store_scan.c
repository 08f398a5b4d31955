/*
 * store_scan.c - step 2 of reading (store_int.h): libyaml's events into a
 * tree of nodes, checked as they come, the cards of a board handed to
 * store_card() one by one while the file is read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "xmalloc.h"

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

/* A tag as the user would write it, for messages. */
static const char *store_tag_name(const char *tag, char *buf, size_t size)
{
	size_t plen = strlen(YAML_TAG_PREFIX);

	if (!strncmp(tag, YAML_TAG_PREFIX, plen)) {
		snprintf(buf, size, "!!%s", tag + plen);
		return buf;
	}
	return tag;
}

static void store_bad_tag(struct store_parse *p, const yaml_event_t *ev, const char *tag)
{
	char buf[128];
	int line, col;

	p->bad_yaml = true;
	store_mark(p, &ev->start_mark, &line, &col);
	store_err_at(p, line, col,
		     "tag '%s' is not allowed (only !!str, !!int, !!bool, !!null, !!seq and !!map)",
		     store_tag_name(tag, buf, sizeof(buf)));
}

/* The style of a scalar event, or -1 after reporting a foreign tag. */
static int store_scalar_style(struct store_parse *p, const yaml_event_t *ev)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	size_t plen = strlen(YAML_TAG_PREFIX);

	if (!tag)
		return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? SSTYLE_PLAIN : SSTYLE_STR;
	if (!strncmp(tag, YAML_TAG_PREFIX, plen)) {
		tag += plen;
		if (!strcmp(tag, "str"))
			return SSTYLE_STR;
		if (!strcmp(tag, "int"))
			return SSTYLE_INT;
		if (!strcmp(tag, "bool"))
			return SSTYLE_BOOL;
		if (!strcmp(tag, "null"))
			return SSTYLE_NULL;
	}
	store_bad_tag(p, ev, (const char *)ev->data.scalar.tag);
	return -1;
}

/*
 * Adds a finished node to the open collection, or makes it the root. While
 * streaming, an item of the cards list (depth 2) is checked at once instead,
 * until a YAML problem is met: problems found in the cards before it stay
 * reported, the cards after it (which may hold placeholders) are not checked.
 */
static inline void store_node_add(struct store_parse *p, const struct snode *n)
{
	struct slevel *lv;

	if (p->streaming && p->depth == 2) {
		p->card = *n;
		p->card_waiting = true; /* until the next event: store_card_flush() */
		return;
	}
	if (!p->depth) {
		p->root = *n;
		p->have_root = true;
		return;
	}
	lv = &p->levels[p->depth - 1];
	ALLOC_GROW(lv->v, lv->n + 1, lv->alloc);
	lv->v[lv->n++] = *n;
}

/* Checks the streamed card that ended at the last event, and frees its nodes. */
static __attribute__((noinline)) void store_card_flush_now(struct store_parse *p)
{
	p->card_waiting = false;
	if (!p->bad_yaml)
		store_card(p, &p->card);
	arena_reset(&p->arena, &p->card_mark);
	p->card_nodes = 0;
}

/* The streamed card that ended at the last event, if any: before anything else happens. */
static inline void store_card_flush(struct store_parse *p)
{
	if (p->card_waiting)
		store_card_flush_now(p);
}

/*
 * Counts a node kept in the tree; true (a problem) past STORE_MAX_NODES. The
 * nodes of streamed cards are freed card by card: they count against the
 * limit one card at a time.
 */
static inline bool store_count_node(struct store_parse *p)
{
	if (p->streaming && p->depth >= 2) {
		if (++p->card_nodes <= STORE_MAX_NODES)
			return false;
		p->bad_yaml = true;
		return true;
	}
	if (++p->nodes <= STORE_MAX_NODES)
		return false;
	p->bad_yaml = true;
	return true;
}

void store_mark_end(struct store_parse *p, int *line, int *col)
{
	int end_line, end_col;

	if (!sinput_end(&p->in, &end_line, &end_col))
		return;
	if (*line > end_line || (*line == end_line && *col > end_col)) {
		*line = end_line;
		*col = end_col;
	}
}

/* Reports a libyaml failure; the parser stops there. */
static void store_yaml_error(struct store_parse *p, const yaml_parser_t *yp)
{
	const char *problem = yp->problem ? yp->problem : "unknown error";
	int line, col, cline, ccol;

	p->bad_yaml = true;
	switch (yp->error) {
	case YAML_MEMORY_ERROR:
		store_err_nowhere(p, "out of memory while parsing ", "");
		break;
	case YAML_READER_ERROR:
		if (yp->problem_value >= 0)
			store_err_off(p, yp->problem_offset, "character U+%04X is not allowed",
				      (unsigned)yp->problem_value);
		else
			store_err_off(p, yp->problem_offset, "invalid input: %s", problem);
		break;
	default:
		store_mark(p, &yp->problem_mark, &line, &col);
		if (yp->context) {
			store_mark(p, &yp->context_mark, &cline, &ccol);
			store_err_at(p, line, col,
				     "syntax error: %s (%s starting at line %d, column %d)",
				     problem, yp->context, cline, ccol);
		} else {
			store_err_at(p, line, col, "syntax error: %s", problem);
		}
		break;
	}
}

/* "too many values" past STORE_MAX_NODES: true (a problem, the end) then. */
static inline bool store_too_many(struct store_parse *p, const struct snode *n)
{
	if (!store_count_node(p))
		return false;
	store_err(p, n, "too many values in one file (more than %u)", STORE_MAX_NODES);
	return true;
}

/* A scalar event into node n, added to the tree. False when reading must stop. */
static bool store_scan_scalar(struct store_parse *p, const yaml_event_t *ev, struct snode *n)
{
	size_t len = ev->data.scalar.length;
	int style;

	if (store_too_many(p, n))
		return false;
	if (ev->data.scalar.anchor) {
		p->bad_yaml = true;
		store_err(p, n, "aliases and anchors are not allowed");
	}
	style = store_scalar_style(p, ev);
	n->kind = SNODE_SCALAR;
	n->style = (unsigned char)(style < 0 ? SSTYLE_STR : style);
	if (len > STORE_MAX_SCALAR) {
		p->bad_yaml = true;
		store_err(p, n, "value too long (%zu bytes, the limit is %u)", len, STORE_MAX_SCALAR);
		n->u.s = "";
	} else {
		char *s = arena_alloc(&p->arena, len + 1);

		memcpy(s, ev->data.scalar.value, len);
		s[len] = '\0';
		n->u.s = s;
		n->n = (uint32_t)len;
	}
	store_node_add(p, n);
	return true;
}

/* A list or mapping starts (node n): a level opens. False when reading must stop. */
static bool store_scan_start(struct store_parse *p, const yaml_event_t *ev, struct snode *n)
{
	bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
	const char *tag = (const char *)(seq ? ev->data.sequence_start.tag
					     : ev->data.mapping_start.tag);
	const void *anchor = seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
	struct slevel *lv;

	/* Checked before anything else: libyaml has no limit of its own. */
	if (p->depth >= STORE_MAX_DEPTH) {
		p->bad_yaml = true;
		store_err(p, n, "nesting too deep (more than %d levels)", STORE_MAX_DEPTH);
		return false;
	}
	if (store_too_many(p, n))
		return false;
	if (anchor) {
		p->bad_yaml = true;
		store_err(p, n, "aliases and anchors are not allowed");
	}
	if (tag && strcmp(tag, seq ? YAML_TAG_PREFIX "seq" : YAML_TAG_PREFIX "map"))
		store_bad_tag(p, ev, tag);
	/* The value of the root's 'cards' key: maybe stream its items. */
	if (seq && p->depth == 1 && !p->bad_yaml && !p->op_line && store_prelude(p)) {
		p->streaming = true;
		n->style = SSTYLE_STREAMED;
	}
	lv = &p->levels[p->depth++];
	lv->head = *n;
	lv->head.kind = seq ? SNODE_SEQ : SNODE_MAP;
	lv->n = 0;
	lv->flow = seq ? ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
		       : ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
	if (p->streaming && p->depth == 2)
		p->card_mark = arena_mark(&p->arena);
	return true;
}

/* A list or mapping ends: its children move to the arena, and it to its parent. */
static void store_scan_end(struct store_parse *p)
{
	struct slevel *lv = &p->levels[--p->depth];
	struct snode *kids = NULL;

	if (lv->n) {
		kids = arena_alloc(&p->arena, lv->n * sizeof(*kids));
		memcpy(kids, lv->v, lv->n * sizeof(*kids));
	}
	lv->head.u.kids = kids;
	lv->head.n = (uint32_t)lv->n;
	if (p->streaming && p->depth == 1)
		p->streaming = false; /* the end of the cards list */
	store_node_add(p, &lv->head);
}

/* One event into the tree. False when reading must stop. */
static bool store_scan_event(struct store_parse *p, const yaml_event_t *ev, int *documents)
{
	struct snode n;
	int eline, ecol;

	store_mark(p, &ev->start_mark, &n.line, &n.col);
	if (p->notes.on) {
		store_mark(p, &ev->end_mark, &eline, &ecol);
		snotes_event(p, ev, n.line, n.col, eline, ecol);
	}
	store_card_flush(p);
	n.kind = SNODE_SCALAR;
	n.style = 0;
	n.n = 0;
	n.u.s = NULL;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (!(*documents)++)
			return true;
		p->bad_yaml = true;
		store_err(p, &n, "a board file holds one document");
		return false;
	case YAML_STREAM_END_EVENT:
		return false;
	case YAML_ALIAS_EVENT:
		p->bad_yaml = true;
		store_err(p, &n, "aliases and anchors are not allowed");
		n.style = SSTYLE_NULL;
		n.u.s = "";
		store_node_add(p, &n);
		return true;
	case YAML_SCALAR_EVENT:
		return store_scan_scalar(p, ev, &n);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return store_scan_start(p, ev, &n);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		store_scan_end(p);
		return true;
	default:
		return true;
	}
}

int store_scan(struct store_parse *p)
{
	yaml_parser_t yp;
	yaml_event_t ev;
	int documents = 0;
	bool more = true;

	if (!yaml_parser_initialize(&yp)) {
		store_err_nowhere(p, "out of memory while parsing ", "");
		return -1;
	}
	if (p->in.read)
		yaml_parser_set_input(&yp, sinput_yaml_read, p);
	else
		yaml_parser_set_input_string(&yp, (const unsigned char *)p->in.buf, p->in.len);
	while (more) {
		if (!yaml_parser_parse(&yp, &ev)) {
			store_card_flush(p);
			store_yaml_error(p, &yp);
			break;
		}
		more = store_scan_event(p, &ev, &documents);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	store_card_flush(p);
	if (p->notes.on && !p->bad_yaml)
		snotes_end(&p->notes);
	p->streaming = false;
	return p->bad_yaml ? -1 : 0;
}
