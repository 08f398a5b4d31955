/*
 * heard.c - the changes others made to my cards, newest first (heard.h).
 */
#include "heard.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void heard_init(struct heard_list *l)
{
	memset(l, 0, sizeof(*l));
}

void heard_change_release(struct heard_change *c)
{
	free(c->by);
	free(c->text);
	free(c->grid);
	memset(c, 0, sizeof(*c));
}

void heard_release(struct heard_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		heard_change_release(&l->v[i]);
	l->n = 0;
}

void heard_change_from_op(struct heard_change *c, const struct op *op, const char *text)
{
	memset(c, 0, sizeof(*c));
	c->at = op->at;
	c->by = op->by ? xstrdup(op->by) : NULL;
	c->kind = op->kind;
	c->value = op->value;
	memcpy(c->card, op->card, sizeof(uuid_t));
	c->text = xstrdup(text ? text : "");
	if (op->kind == OP_MOVE) {
		c->grid = op->grid ? xstrdup(op->grid) : NULL;
		c->x = op->x;
		c->y = op->y;
	}
}

static bool heard_str_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool heard_same(const struct heard_change *a, const struct heard_change *b)
{
	return a->at == b->at && a->kind == b->kind && a->value == b->value && a->x == b->x &&
	       a->y == b->y && !uuid_compare(a->card, b->card) && heard_str_same(a->by, b->by) &&
	       heard_str_same(a->grid, b->grid);
}

bool heard_add(struct heard_list *l, struct heard_change *c)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (heard_same(&l->v[i], c)) {
			heard_change_release(c);
			return false;
		}
	}
	if (l->n == HEARD_MAX)
		heard_change_release(&l->v[--l->n]);
	memmove(&l->v[1], &l->v[0], l->n * sizeof(l->v[0]));
	l->v[0] = *c;
	l->n++;
	memset(c, 0, sizeof(*c));
	return true;
}

const struct heard_change *heard_get(const struct heard_list *l, size_t i)
{
	return i < l->n ? &l->v[i] : NULL;
}

const struct heard_change *heard_tell(struct heard_list *l, size_t *more)
{
	const struct heard_change *newest = NULL;
	size_t i;

	*more = 0;
	for (i = 0; i < l->n; i++) {
		if (l->v[i].told)
			continue;
		if (!newest)
			newest = &l->v[i];
		else
			(*more)++;
		l->v[i].told = true;
	}
	return newest;
}
