/*
 * path.h - splitting and decoding a request path, once, at the boundary.
 */
#ifndef CRENEAU_PATH_H
#define CRENEAU_PATH_H

#include <stddef.h>

enum path_result {
	PATH_OK = 0,
	PATH_BAD = -1, /* not absolute, bad %-escape, control byte */
	PATH_TRAVERSAL = -2, /* ".", "..", encoded '/' or '\\', "//" */
	PATH_TOO_LONG = -3, /* too many segments or one too long */
};

/*
 * Splits raw (n bytes, still percent-encoded, query excluded) into decoded
 * segments. Each segment is written NUL-terminated into store (storelen
 * bytes) and pointed to by segs[i]. "/" gives zero segments. A trailing
 * '/' is kept as a final empty segment, so "/a/" never matches "/a".
 * Returns PATH_OK or the reason the path is refused.
 */
int path_split(const char *raw, size_t n, char **segs, size_t maxsegs,
    size_t *nsegs, char *store, size_t storelen);

/* Decodes %XX escapes of src (n bytes) into dst; with plus_space, '+' is a
 * space (query strings). Returns the decoded length, or -1 on a bad escape,
 * an embedded NUL or no room. */
long path_decode(const char *src, size_t n, char *dst, size_t dstlen,
    int plus_space);

/* Returns a short French reason for a path_result, for problem details. */
const char *path_strerror(int rc);

#endif
