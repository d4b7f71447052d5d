/*
 * fuzz_log.c - libFuzzer harness for log_escape in src/core/log.c.
 *
 * The first input byte is an output size (0 to 255), the rest the text to
 * escape. The text is escaped into a buffer of exactly that size, into one
 * large enough for any text, and into one of LIMIT_LOG_LINE as log_write
 * does. Invariants: the output is NUL-terminated within the buffer and its
 * length is the value returned, it holds no byte below 0x20 nor 0x7f, it is
 * valid UTF-8, unescaping it gives back a prefix of the input (the whole
 * input when the buffer is large enough), and the cut falls where the next
 * escape would not fit. A broken invariant aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			fuzz_fail(#c, __LINE__);                               \
	} while (0)

static void
fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_log.c:%d: invariant broken: %s\n", line, what);
	abort();
}

/*
 * Length of the well-formed UTF-8 sequence at s (n bytes left), or 0.
 * Written from Table 3-7 of the Unicode Standard, byte ranges only.
 */
static size_t
ref_utf8(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] <= 0x7f)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] == 0xe0)
		len = 3, lo = 0xa0;
	else if (s[0] == 0xed)
		len = 3, hi = 0x9f;
	else if (s[0] >= 0xe1 && s[0] <= 0xef)
		len = 3;
	else if (s[0] == 0xf0)
		len = 4, lo = 0x90;
	else if (s[0] == 0xf4)
		len = 4, hi = 0x8f;
	else if (s[0] >= 0xf1 && s[0] <= 0xf3)
		len = 4;
	else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/* Bytes of output the unit at s takes once escaped, and its input size. */
static size_t
ref_unit(const unsigned char *s, size_t n, size_t *in)
{
	size_t seq;

	*in = 1;
	if (s[0] == '\\')
		return 2;
	if (s[0] < 0x20 || s[0] == 0x7f)
		return 4;
	seq = ref_utf8(s, n);
	/* C1 controls (U+0080-U+009F) are escaped byte by byte. */
	if (seq == 0 || (seq == 2 && s[0] == 0xc2 && s[1] < 0xa0))
		return 4;
	*in = seq;
	return seq;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Unescapes out (len bytes) into raw, which has room for len bytes.
 * Returns the raw length; aborts on an escape log_escape cannot write.
 */
static size_t
unescape(const char *out, size_t len, unsigned char *raw)
{
	size_t i = 0, o = 0;
	int hi, lo;

	while (i < len) {
		if (out[i] != '\\') {
			raw[o++] = (unsigned char)out[i++];
			continue;
		}
		CHECK(i + 1 < len);
		if (out[i + 1] == '\\') {
			raw[o++] = '\\';
			i += 2;
			continue;
		}
		CHECK(out[i + 1] == 'x' && i + 3 < len);
		hi = hexval((unsigned char)out[i + 2]);
		lo = hexval((unsigned char)out[i + 3]);
		CHECK(hi >= 0 && lo >= 0);
		raw[o++] = (unsigned char)(hi * 16 + lo);
		i += 4;
	}
	return o;
}

/* Escapes src into exactly dstlen bytes and checks every invariant. */
static void
check_escape(const unsigned char *src, size_t n, size_t dstlen)
{
	char *dst = malloc(dstlen == 0 ? 1 : dstlen);
	unsigned char *raw;
	size_t got, len, i, seq, rawlen, in;

	if (dst == NULL)
		abort();
	got = log_escape(dst, dstlen, (const char *)src, n);
	if (dstlen == 0) {
		CHECK(got == 0);
		free(dst);
		return;
	}
	len = strnlen(dst, dstlen);
	CHECK(len < dstlen);
	CHECK(got == len);
	for (i = 0; i < len; i += seq) {
		unsigned char c = (unsigned char)dst[i];

		CHECK(c >= 0x20 && c != 0x7f);
		seq = ref_utf8((const unsigned char *)dst + i, len - i);
		CHECK(seq > 0);
	}
	raw = malloc(len == 0 ? 1 : len);
	if (raw == NULL)
		abort();
	rawlen = unescape(dst, len, raw);
	CHECK(rawlen <= n && memcmp(raw, src, rawlen) == 0);
	if (rawlen < n) {
		/* Cut only where the next unit does not fit. */
		CHECK(
		    len + ref_unit(src + rawlen, n - rawlen, &in) + 1 > dstlen);
	}
	if (dstlen > 4 * n)
		CHECK(rawlen == n);
	free(raw);
	free(dst);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *src;
	size_t n;

	if (size == 0) {
		check_escape(data, 0, 0);
		check_escape(data, 0, 1);
		return 0;
	}
	src = data + 1;
	n = size - 1;
	check_escape(src, n, data[0]);
	check_escape(src, n, 4 * n + 1);
	if (n < 4 * LIMIT_LOG_LINE)
		check_escape(src, n, LIMIT_LOG_LINE);
	return 0;
}
