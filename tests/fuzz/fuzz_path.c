/*
 * fuzz_path.c - libFuzzer harness for src/http/path.c.
 *
 * The input is a raw request path (percent-encoded, query excluded). It is
 * split as the server splits it, compared with a plain reference model of
 * the rules of path.h, and split again with a tight segment table and store
 * taken from the last input byte, so that the room checks are exercised.
 * path_decode is compared with a reference decoder, with and without
 * plus_space, with exact and tight output sizes. Every buffer is allocated
 * at its exact size so that AddressSanitizer sees any overrun. A broken
 * invariant aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "http/path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SERVER_STORE (LIMIT_PATH_SEGMENTS * (LIMIT_PATH_SEGMENT_BYTES + 1))

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			fuzz_fail(#c, __LINE__);                               \
	} while (0)

static void
fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_path.c:%d: invariant broken: %s\n", line, what);
	abort();
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL)
		abort();
	return p;
}

static int
ref_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Reference decoder without any room limit: writes at most n bytes to out.
 * Returns the decoded length, or -1 on a bad escape or a NUL.
 */
static long
ref_decode(const unsigned char *s, size_t n, int plus_space, char *out)
{
	size_t i = 0, o = 0;
	int hi, lo;
	unsigned char c;

	while (i < n) {
		c = s[i];
		if (c == '%') {
			if (n - i < 3)
				return -1;
			hi = ref_hex(s[i + 1]);
			lo = ref_hex(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (unsigned char)(hi * 16 + lo);
			i += 3;
		} else {
			if (plus_space && c == '+')
				c = ' ';
			i++;
		}
		if (c == 0)
			return -1;
		out[o++] = (char)c;
	}
	return (long)o;
}

/* path_decode against the reference, into a buffer of exactly dstlen. */
static void
check_decode(const unsigned char *s, size_t n, size_t dstlen, int plus_space,
    const char *ref, long reflen)
{
	char *dst = xmalloc(dstlen);
	long got = path_decode((const char *)s, n, dst, dstlen, plus_space);

	if (reflen < 0 || (size_t)reflen + 1 > dstlen) {
		CHECK(got == -1);
	} else {
		CHECK(got == reflen);
		CHECK(memcmp(dst, ref, (size_t)reflen) == 0);
		CHECK(dst[reflen] == '\0');
	}
	free(dst);
}

/*
 * The rules of path.h, written as plainly as possible, in the order the
 * reasons are reported. Fills refsegs (decoded, into refstore) and returns
 * the path_result the server configuration must give.
 */
static int
ref_split(const unsigned char *raw, size_t n, char **refsegs, size_t *nref,
    char *refstore)
{
	size_t i = 1, start, len, k, used = 0;
	long dl;

	*nref = 0;
	if (n == 0 || raw[0] != '/')
		return PATH_BAD;
	if (n == 1)
		return PATH_OK;
	for (;;) {
		start = i;
		while (i < n && raw[i] != '/')
			i++;
		len = i - start;
		if (*nref >= LIMIT_PATH_SEGMENTS ||
		    len > LIMIT_PATH_SEGMENT_BYTES)
			return PATH_TOO_LONG;
		if (len == 0 && i < n)
			return PATH_TRAVERSAL;
		dl = ref_decode(raw + start, len, 0, refstore + used);
		if (dl < 0)
			return PATH_BAD;
		refstore[used + (size_t)dl] = '\0';
		for (k = 0; k < (size_t)dl; k++) {
			unsigned char c = (unsigned char)refstore[used + k];

			if (c < 0x20 || c == 0x7f)
				return PATH_BAD;
			if (c == '/' || c == '\\')
				return PATH_TRAVERSAL;
		}
		if (strcmp(refstore + used, ".") == 0 ||
		    strcmp(refstore + used, "..") == 0)
			return PATH_TRAVERSAL;
		refsegs[(*nref)++] = refstore + used;
		used += (size_t)dl + 1;
		if (i == n)
			return PATH_OK;
		i++; /* the '/' */
		if (i == n) {
			if (*nref >= LIMIT_PATH_SEGMENTS)
				return PATH_TOO_LONG;
			refstore[used] = '\0';
			refsegs[(*nref)++] = refstore + used;
			return PATH_OK;
		}
	}
}

/* What must hold of any PATH_OK split, whatever the table and store. */
static void
check_segments(char **segs, size_t nsegs, size_t maxsegs, const char *store,
    size_t storelen, const unsigned char *raw, size_t n)
{
	size_t i, len, k;

	CHECK(nsegs <= maxsegs);
	for (i = 0; i < nsegs; i++) {
		CHECK(segs[i] >= store && segs[i] < store + storelen);
		len = strnlen(segs[i], (size_t)(store + storelen - segs[i]));
		CHECK(segs[i] + len < store + storelen); /* NUL inside */
		CHECK(len <= LIMIT_PATH_SEGMENT_BYTES);
		/* Only the last segment may be empty, after a final '/'. */
		CHECK(len > 0 || (i == nsegs - 1 && raw[n - 1] == '/'));
		CHECK(strcmp(segs[i], ".") != 0 && strcmp(segs[i], "..") != 0);
		for (k = 0; k < len; k++) {
			unsigned char c = (unsigned char)segs[i][k];

			CHECK(c >= 0x20 && c != 0x7f && c != '/' && c != '\\');
		}
		/* Segments never overlap. */
		if (i > 0)
			CHECK(segs[i] > segs[i - 1] + strlen(segs[i - 1]));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *segs[LIMIT_PATH_SEGMENTS], *refsegs[LIMIT_PATH_SEGMENTS + 1];
	char **tsegs, *store, *refstore, *tstore, *ref;
	size_t nsegs = 99, nref, tn = 99, tmax, tlen, i, dlen;
	int rc, want, trc;
	long reflen;

	/* As the server: LIMIT_PATH_SEGMENTS segments, a full store. */
	store = xmalloc(SERVER_STORE);
	refstore = xmalloc(size + LIMIT_PATH_SEGMENTS + 2);
	rc = path_split((const char *)data, size, segs, LIMIT_PATH_SEGMENTS,
	    &nsegs, store, SERVER_STORE);
	want = ref_split(data, size, refsegs, &nref, refstore);
	CHECK(rc == want);
	CHECK(path_strerror(rc) != NULL);
	if (rc == PATH_OK) {
		check_segments(segs, nsegs, LIMIT_PATH_SEGMENTS, store,
		    SERVER_STORE, data, size);
		CHECK(nsegs == nref);
		for (i = 0; i < nsegs; i++)
			CHECK(strcmp(segs[i], refsegs[i]) == 0);
		CHECK(size != 1 || nsegs == 0);
	}
	CHECK(nsegs <= LIMIT_PATH_SEGMENTS);

	/* A tight table and store: OK only where the server split is OK too,
	 * with the same segments. */
	if (size > 0) {
		tmax = data[size - 1] & 0x0f;
		tlen = (size_t)(data[size - 1] >> 4) * 5;
		tsegs = xmalloc(tmax * sizeof(*tsegs));
		tstore = xmalloc(tlen);
		trc = path_split((const char *)data, size, tsegs, tmax, &tn,
		    tstore, tlen);
		CHECK(trc == PATH_OK || trc == PATH_BAD ||
		    trc == PATH_TRAVERSAL || trc == PATH_TOO_LONG);
		CHECK(tn <= tmax);
		if (trc == PATH_OK) {
			check_segments(tsegs, tn, tmax, tstore, tlen, data,
			    size);
			CHECK(rc == PATH_OK && tn == nsegs);
			for (i = 0; i < tn; i++)
				CHECK(strcmp(tsegs[i], segs[i]) == 0);
		}
		free(tsegs);
		free(tstore);
	}

	/* path_decode, as for a segment and as for a query value. */
	ref = xmalloc(size);
	for (i = 0; i < 2; i++) {
		reflen = ref_decode(data, size, (int)i, ref);
		check_decode(data, size, size + 1, (int)i, ref, reflen);
		check_decode(data, size, 0, (int)i, ref, reflen);
		dlen = size > 0 ? data[0] % (size + 2) : 1;
		check_decode(data, size, dlen, (int)i, ref, reflen);
		if (reflen >= 0) {
			check_decode(data, size, (size_t)reflen, (int)i, ref,
			    reflen);
			check_decode(data, size, (size_t)reflen + 1, (int)i,
			    ref, reflen);
		}
	}
	free(ref);
	free(store);
	free(refstore);
	return 0;
}
