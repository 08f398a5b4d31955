/*
 * strbuf.h - growable, always NUL-terminated byte strings (after git's strbuf).
 *
 * A strbuf is never NULL: STRBUF_INIT or strbuf_init() make an empty one
 * whose buf points at a shared empty string, so sb.buf is always a valid C
 * string. Release with strbuf_release(), or take ownership of the bytes with
 * strbuf_detach(). Allocation failure is fatal (xmalloc).
 */
#ifndef TAMIS_STRBUF_H
#define TAMIS_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }

void strbuf_init(struct strbuf *sb, size_t hint);
/* Frees the bytes and leaves sb empty and reusable. */
void strbuf_release(struct strbuf *sb);
/* Returns the bytes (caller frees them) and leaves sb empty; *len if non-NULL. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* Makes room for extra more bytes (plus the NUL). */
void strbuf_grow(struct strbuf *sb, size_t extra);
/* Sets the length to len (<= current length) and terminates. */
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
/* Appends c repeated n times. */
void strbuf_addchars(struct strbuf *sb, int c, size_t n);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif
