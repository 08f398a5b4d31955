/*
 * xmalloc.h - allocation that never returns NULL.
 *
 * Out of memory is not recoverable for tamis: these wrappers print a one-line
 * message to stderr and exit with status 71 (EX_OSERR) instead of returning
 * NULL (tmux xmalloc.c, git wrapper.c).
 */
#ifndef TAMIS_XMALLOC_H
#define TAMIS_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
/* Grows or shrinks ptr to nmemb * size bytes; overflow of the product is fatal. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Ensures array 'x' (with 'alloc' slots) can hold 'nr' items, growing it
 * geometrically (git's ALLOC_GROW).
 */
#define ALLOC_GROW(x, nr, alloc)                                               \
	do {                                                                   \
		if ((nr) > (alloc)) {                                          \
			(alloc) = (alloc) < 8 ? 8 : (alloc) * 2;               \
			if ((alloc) < (nr))                                    \
				(alloc) = (nr);                                \
			(x) = xreallocarray((x), (alloc), sizeof(*(x)));       \
		}                                                              \
	} while (0)

#endif
