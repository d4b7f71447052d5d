/* path.c - splitting and decoding a request path. */
#include "http/path.h"

#include <string.h>

#include "core/limits.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
path_decode(const char *src, size_t n, char *dst, size_t dstlen, int plus_space)
{
	size_t i = 0, o = 0;
	int hi, lo;
	char c;

	while (i < n) {
		c = src[i];
		if (c == '%') {
			if (i + 2 >= n)
				return -1;
			hi = hexval(src[i + 1]);
			lo = hexval(src[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)((hi << 4) | lo);
			i += 3;
		} else {
			if (plus_space && c == '+')
				c = ' ';
			i++;
		}
		if (c == '\0' || o + 1 >= dstlen)
			return -1;
		dst[o++] = c;
	}
	if (o >= dstlen)
		return -1;
	dst[o] = '\0';
	return (long)o;
}

int
path_split(const char *raw, size_t n, char **segs, size_t maxsegs,
    size_t *nsegs, char *store, size_t storelen)
{
	size_t i, start, used = 0, k;
	long dl;
	char *seg;

	*nsegs = 0;
	if (n == 0 || raw[0] != '/')
		return PATH_BAD;
	if (n == 1)
		return PATH_OK;
	i = 1;
	for (;;) {
		start = i;
		while (i < n && raw[i] != '/')
			i++;
		if (*nsegs >= maxsegs || i - start > LIMIT_PATH_SEGMENT_BYTES)
			return PATH_TOO_LONG;
		/* An empty segment is only allowed last ("/a/"). */
		if (i == start && i < n)
			return PATH_TRAVERSAL;
		if (storelen - used < i - start + 1)
			return PATH_TOO_LONG;
		seg = store + used;
		dl = path_decode(raw + start, i - start, seg, storelen - used,
		    0);
		if (dl < 0)
			return PATH_BAD;
		for (k = 0; k < (size_t)dl; k++) {
			unsigned char c = (unsigned char)seg[k];

			if (c < 0x20 || c == 0x7f)
				return PATH_BAD;
			if (c == '/' || c == '\\')
				return PATH_TRAVERSAL;
		}
		if (strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0)
			return PATH_TRAVERSAL;
		segs[(*nsegs)++] = seg;
		used += (size_t)dl + 1;
		if (i >= n)
			break;
		i++; /* skip '/' */
		if (i == n) {
			/* trailing slash: one last empty segment */
			if (*nsegs >= maxsegs || used >= storelen)
				return PATH_TOO_LONG;
			store[used] = '\0';
			segs[(*nsegs)++] = store + used;
			used++;
			break;
		}
	}
	return PATH_OK;
}

const char *
path_strerror(int rc)
{
	switch (rc) {
	case PATH_OK:
		return "chemin valide";
	case PATH_TRAVERSAL:
		return "le chemin contient « . », « .. », « // » ou un "
		       "séparateur encodé";
	case PATH_TOO_LONG:
		return "le chemin a trop de segments ou un segment trop long";
	default:
		return "le chemin n'est pas absolu, ou contient un échappement "
		       "% invalide ou un caractère de contrôle";
	}
}
