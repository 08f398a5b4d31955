/*
 * store_errors.c - the problems found in a file (store_errors.h), and how the
 * store reports one at a node or a position of the file it reads.
 */
#include "store_errors.h"

#include <stdarg.h>
#include <stdlib.h>

#include "store_int.h"
#include "text.h"
#include "xmalloc.h"

void store_errors_init(struct store_errors *e, const char *file)
{
	e->file = file ? xstrdup(file) : NULL;
	e->v = NULL;
	e->n = 0;
	e->alloc = 0;
	e->dropped = 0;
}

void store_errors_release(struct store_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->v[i].message);
	free(e->v);
	free(e->file);
	e->file = NULL;
	e->v = NULL;
	e->n = 0;
	e->alloc = 0;
	e->dropped = 0;
}

/* True when one more problem would be kept (not just counted). */
bool store_errors_room(const struct store_errors *e)
{
	return e->n < STORE_MAX_ERRORS;
}

void store_errors_vadd(struct store_errors *e, int line, int column, const char *prefix,
			      const char *fmt, va_list ap)
{
	struct strbuf msg = STRBUF_INIT;

	if (!store_errors_room(e)) {
		e->dropped++;
		return;
	}
	if (prefix)
		strbuf_addstr(&msg, prefix);
	strbuf_vaddf(&msg, fmt, ap);
	ALLOC_GROW(e->v, e->n + 1, e->alloc);
	e->v[e->n].line = line > 0 ? line : 0;
	e->v[e->n].column = line > 0 ? column : 0;
	e->v[e->n].message = strbuf_detach(&msg, NULL);
	e->n++;
}

void store_errors_add(struct store_errors *e, int line, int column, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	store_errors_vadd(e, line, column, NULL, fmt, ap);
	va_end(ap);
}

/* Puts problems in file order (stable: equal positions keep their order). */
void store_errors_sort(struct store_errors *e)
{
	size_t i, j;

	for (i = 1; i < e->n; i++) {
		struct store_error tmp = e->v[i];

		for (j = i; j > 0; j--) {
			const struct store_error *prev = &e->v[j - 1];

			if (prev->line < tmp.line ||
			    (prev->line == tmp.line && prev->column <= tmp.column))
				break;
			e->v[j] = e->v[j - 1];
		}
		e->v[j] = tmp;
	}
}

void store_errors_format(const struct store_errors *e, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		const struct store_error *er = &e->v[i];

		/* A message without a location names its file itself. */
		if (er->line > 0) {
			if (e->file) {
				text_sanitize(out, e->file);
				strbuf_addch(out, ':');
			}
			strbuf_addf(out, "%d:%d: ", er->line, er->column);
		}
		text_sanitize(out, er->message);
		strbuf_addch(out, '\n');
	}
	if (e->dropped) {
		if (e->file) {
			text_sanitize(out, e->file);
			strbuf_addstr(out, ": ");
		}
		strbuf_addf(out, "%zu more problem%s\n", e->dropped, e->dropped == 1 ? "" : "s");
	}
}

/* Forgets the problems reported after the first n (and dropped ones). */
void store_errors_truncate(struct store_errors *e, size_t n, size_t dropped)
{
	while (e->n > n)
		free(e->v[--e->n].message);
	e->dropped = dropped;
}

/* --- Reporting while reading ------------------------------------------- */

void store_err_at(struct store_parse *p, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	store_errors_vadd(p->err, line, col, p->prefix, fmt, ap);
	va_end(ap);
}

/*
 * Reports a problem without location: its message names the file itself
 * ("'board.yaml' holds no board"), as store_errors_format() prints it alone.
 */
void store_err_nowhere(struct store_parse *p, const char *before, const char *after)
{
	if (p->err->file)
		store_err_at(p, 0, 0, "%s'%s'%s", before, p->err->file, after);
	else
		store_err_at(p, 0, 0, "%sthe file%s", before, after);
}

void store_err(struct store_parse *p, const struct snode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	store_errors_vadd(p->err, n->line, n->col, p->prefix, fmt, ap);
	va_end(ap);
}

void board_lines_release(struct board_lines *l)
{
	free(l->themes);
	free(l->criteria);
	free(l->grids);
	memset(l, 0, sizeof(*l));
}
