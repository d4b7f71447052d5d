/*
 * buf.h - growable byte buffer with a hard ceiling.
 *
 * Every buffer that grows from outside input has a ceiling fixed at init;
 * appending past it fails with BUF_TOOBIG and leaves the content as it was.
 * The content is always NUL-terminated so it can be read as a C string.
 */
#ifndef CRENEAU_BUF_H
#define CRENEAU_BUF_H

#include <stddef.h>

enum buf_result { BUF_OK = 0, BUF_TOOBIG = -1, BUF_NOMEM = -2 };

struct buf {
	char *data; /* NUL-terminated; NULL until the first append */
	size_t len; /* bytes held, NUL excluded */
	size_t cap; /* bytes allocated */
	size_t max; /* ceiling on len */
};

/* Prepares an empty buffer that will never hold more than max bytes. */
void buf_init(struct buf *b, size_t max);

/* Appends n bytes. Returns BUF_OK, BUF_TOOBIG (over the ceiling, nothing
 * appended) or BUF_NOMEM. */
int buf_append(struct buf *b, const void *p, size_t n);

/* Appends a NUL-terminated string. Same returns as buf_append. */
int buf_append_str(struct buf *b, const char *s);

/* Appends printf-formatted text. Same returns as buf_append. */
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);

/* Hands the content over to the caller (free() it), leaving b empty.
 * Returns an empty allocated string when nothing was appended, NULL on
 * allocation failure. */
char *buf_steal(struct buf *b, size_t *len);

/* Releases the memory, wiping it first (a buffer may have held a body with
 * personal data). buf_free on an empty buffer does nothing. */
void buf_free(struct buf *b);

#endif
