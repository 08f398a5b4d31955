#include "comments.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void comments_init(struct comments *c)
{
	c->v = NULL;
	c->n = 0;
	c->alloc = 0;
}

void comments_release(struct comments *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].before);
		free(c->v[i].after);
		free(c->v[i].below);
	}
	free(c->v);
	comments_init(c);
}

struct comments *comments_new(void)
{
	struct comments *c = xmalloc(sizeof(*c));

	comments_init(c);
	return c;
}

void comments_free(struct comments *c)
{
	if (!c)
		return;
	comments_release(c);
	free(c);
}

static char *comments_strdup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct comments *comments_dup(const struct comments *c)
{
	struct comments *d;
	size_t i;

	if (!c || !c->n)
		return NULL;
	d = comments_new();
	d->v = xcalloc(c->n, sizeof(*d->v));
	d->n = d->alloc = c->n;
	for (i = 0; i < c->n; i++) {
		d->v[i].path = xstrdup(c->v[i].path);
		d->v[i].before = comments_strdup(c->v[i].before);
		d->v[i].after = comments_strdup(c->v[i].after);
		d->v[i].below = comments_strdup(c->v[i].below);
	}
	return d;
}

/* Where path is, or would go, in c->v; *found says which. */
static size_t comments_search(const struct comments *c, const char *path, int *found)
{
	size_t lo = 0, hi = c->n;

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(c->v[mid].path, path);

		if (!cmp) {
			*found = 1;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct comment *comments_find(const struct comments *c, const char *path)
{
	size_t at;
	int found;

	if (!c || !c->n)
		return NULL;
	at = comments_search(c, path, &found);
	return found ? &c->v[at] : NULL;
}

/* The record of path, made (empty) when missing. */
static struct comment *comments_get(struct comments *c, const char *path)
{
	int found;
	size_t at = comments_search(c, path, &found);

	if (found)
		return &c->v[at];
	ALLOC_GROW(c->v, c->n + 1, c->alloc);
	memmove(&c->v[at + 1], &c->v[at], (c->n - at) * sizeof(*c->v));
	memset(&c->v[at], 0, sizeof(c->v[at]));
	c->v[at].path = xstrdup(path);
	c->n++;
	return &c->v[at];
}

/* Appends text to the lines of *field ('\n' between). */
static void comments_append(char **field, const char *text)
{
	size_t old, len = strlen(text);
	char *s;

	if (!*field) {
		*field = xstrdup(text);
		return;
	}
	old = strlen(*field);
	s = xreallocarray(*field, old + len + 2, 1);
	s[old] = '\n';
	memcpy(s + old + 1, text, len + 1);
	*field = s;
}

void comments_add(struct comments *c, const char *path, enum comment_place where,
		  const char *text)
{
	struct comment *r;

	if (!text || !*text)
		return;
	r = comments_get(c, path);
	switch (where) {
	case COMMENT_BEFORE:
		comments_append(&r->before, text);
		break;
	case COMMENT_AFTER:
		if (!r->after && !strchr(text, '\n'))
			r->after = xstrdup(text);
		else
			comments_append(&r->below, text);
		break;
	default:
		comments_append(&r->below, text);
		break;
	}
}

void comments_add_missing(struct comments *dst, const char *dst_path, const struct comment *src)
{
	if (comments_find(dst, dst_path))
		return;
	comments_add(dst, dst_path, COMMENT_BEFORE, src->before);
	comments_add(dst, dst_path, COMMENT_AFTER, src->after);
	comments_add(dst, dst_path, COMMENT_BELOW, src->below);
}

void comments_path_add(struct strbuf *path, const char *segment)
{
	if (path->len)
		strbuf_addch(path, '/');
	for (; *segment; segment++) {
		if (*segment == '%')
			strbuf_addstr(path, "%25");
		else if (*segment == '/')
			strbuf_addstr(path, "%2F");
		else
			strbuf_addch(path, *segment);
	}
}
