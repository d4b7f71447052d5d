/*
 * jsonw.h - a streaming JSON writer for the large lists the API answers.
 *
 * Building a list of hundreds of objects with jansson costs an allocation
 * and a hash table per object, then a second walk to print them: the
 * slot search spent most of its CPU there (bench/README.md). This writer
 * prints the text as it goes into one growing buffer, with the same
 * output as json_dumps(JSON_COMPACT) for the same members in the same
 * order. Strings must be valid UTF-8 (refused otherwise, as jansson
 * does); they are escaped as RFC 8259 requires.
 *
 * Errors are sticky: after the first failure (allocation, ceiling, bad
 * UTF-8, nesting deeper than JSONW_DEPTH) every call does nothing and
 * jsonw_finish returns NULL.
 */
#ifndef CRENEAU_HTTP_JSONW_H
#define CRENEAU_HTTP_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define JSONW_DEPTH 16

struct jsonw {
	struct buf b;
	unsigned char first[JSONW_DEPTH]; /* 1 until a member is written */
	char kind[JSONW_DEPTH]; /* '{' or '[' */
	int depth;
	int failed;
};

/* Prepares an empty writer whose text never exceeds max bytes. */
void jsonw_init(struct jsonw *w, size_t max);

/* Opens an object or an array: as a value (key NULL: in an array or at
 * the top) or as the member key of the enclosing object. */
void jsonw_object(struct jsonw *w, const char *key);
void jsonw_array(struct jsonw *w, const char *key);

/* Closes the innermost object or array. */
void jsonw_end(struct jsonw *w);

/* A member (key set) or an array element (key NULL). jsonw_string with
 * s NULL writes null. */
void jsonw_string(struct jsonw *w, const char *key, const char *s);
void jsonw_int(struct jsonw *w, const char *key, int64_t v);
void jsonw_bool(struct jsonw *w, const char *key, int v);
void jsonw_null(struct jsonw *w, const char *key);

/* Hands the text over (free() it) with its length in *len, or NULL after
 * a failure or when objects are left open; the writer is emptied. */
char *jsonw_finish(struct jsonw *w, size_t *len);

/* Releases the writer's memory without handing anything over. */
void jsonw_free(struct jsonw *w);

#endif
