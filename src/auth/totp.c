/*
 * totp.c - TOTP codes (liboath), enrolment URI and QR code (libqrencode),
 * recovery codes.
 *
 * Recovery codes at rest: each code has 60 bits from the CSPRNG, so a fast
 * hash would already resist guessing online, but the stored hashes must
 * also resist someone who has a copy of the database. argon2id at
 * libsodium's interactive limits (2 passes, 64 MiB, about 55 ms here)
 * makes each offline guess cost what a password guess costs, so 2^59
 * guesses on average is out of reach, and it needs no server key: a keyed
 * BLAKE2b would add a secret to keep, rotate and protect, and would fall
 * to 2^60 fast hashes if that key leaked with the database. It also reuses
 * the password code path (crypto_pwhash_str, self-describing strings). The
 * price is CPU on the rare recovery path: about 0.5 s to hash the ten
 * codes at enrolment and up to ten hashes to check a typed code, behind
 * the password step and its throttling.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

#include "auth/totp.h"

#define RECOVERY_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define RECOVERY_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE
#define QR_QUIET 4 /* modules of white border, as ISO/IEC 18004 asks */

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/* Crockford's base32: no I, L, O or U. */
static const char recovery_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_ready;

static void
oath_start(void)
{
	oath_ready = oath_init() == OATH_OK;
}

/* Initialises liboath on first use. Returns 0 or -1. */
static int
totp_oath(void)
{
	if (pthread_once(&oath_once, oath_start) != 0)
		return -1;
	return oath_ready ? 0 : -1;
}

void
totp_secret_new(unsigned char secret[TOTP_SECRET_BYTES])
{
	randombytes_buf(secret, TOTP_SECRET_BYTES);
}

int
totp_base32_encode(const unsigned char *in, size_t len, char *out,
    size_t outlen)
{
	size_t i, o = 0, need;
	unsigned int acc = 0, bits = 0;

	if (outlen > 0)
		out[0] = '\0';
	if (len > TOTP_SECRET_MAX || (in == NULL && len > 0))
		return -1;
	need = (len * 8 + 4) / 5;
	if (outlen <= need)
		return -1;
	for (i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32_alphabet[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
		acc &= 0xFF; /* at most 4 pending bits are ever needed */
	}
	if (bits > 0)
		out[o++] = b32_alphabet[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return (int)o;
}

/* Appends n bytes of s to out (outlen bytes) at *o. Returns 0 or -1. */
static int
uri_put(char *out, size_t outlen, size_t *o, const char *s, size_t n)
{
	if (n >= outlen - *o)
		return -1;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
	return 0;
}

/* Appends s percent-encoded (all but RFC 3986 unreserved). 0 or -1. */
static int
uri_put_pct(char *out, size_t outlen, size_t *o, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	char e[3];

	for (; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			if (uri_put(out, outlen, o, (const char *)p, 1) != 0)
				return -1;
			continue;
		}
		e[0] = '%';
		e[1] = hex[*p >> 4];
		e[2] = hex[*p & 15];
		if (uri_put(out, outlen, o, e, 3) != 0)
			return -1;
	}
	return 0;
}

int
totp_uri(const unsigned char *secret, size_t len, const char *label, char *out,
    size_t outlen)
{
	static const char tail[] = "&digits=6&period=30&algorithm=SHA1";
	char b32[TOTP_BASE32_MAX];
	size_t o = 0, ln;
	int n, rc = -1;

	if (out == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	if (secret == NULL || len < TOTP_SECRET_MIN || len > TOTP_SECRET_MAX ||
	    label == NULL)
		return -1;
	ln = strnlen(label, TOTP_LABEL_MAX + 1);
	if (ln == 0 || ln > TOTP_LABEL_MAX)
		return -1;
	if ((n = totp_base32_encode(secret, len, b32, sizeof(b32))) < 0)
		goto out;
	if (uri_put(out, outlen, &o, "otpauth://totp/", 15) != 0 ||
	    uri_put_pct(out, outlen, &o, TOTP_ISSUER) != 0 ||
	    uri_put(out, outlen, &o, ":", 1) != 0 ||
	    uri_put_pct(out, outlen, &o, label) != 0 ||
	    uri_put(out, outlen, &o, "?secret=", 8) != 0 ||
	    uri_put(out, outlen, &o, b32, (size_t)n) != 0 ||
	    uri_put(out, outlen, &o, "&issuer=", 8) != 0 ||
	    uri_put_pct(out, outlen, &o, TOTP_ISSUER) != 0 ||
	    uri_put(out, outlen, &o, tail, sizeof(tail) - 1) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		sodium_memzero(out, outlen);
	sodium_memzero(b32, sizeof(b32));
	return rc;
}

int64_t
totp_step(int64_t now_s)
{
	if (now_s < 0)
		return -1;
	return now_s / TOTP_PERIOD;
}

int
totp_code(const unsigned char *secret, size_t len, int64_t step,
    unsigned digits, char out[TOTP_CODE_MAX + 1])
{
	out[0] = '\0';
	if (secret == NULL || len < TOTP_SECRET_MIN || len > TOTP_SECRET_MAX ||
	    step < 0 || digits < 6 || digits > TOTP_CODE_MAX ||
	    totp_oath() != 0)
		return -1;
	if (oath_hotp_generate((const char *)secret, len, (uint64_t)step,
		digits, false, OATH_HOTP_DYNAMIC_TRUNCATION, out) != OATH_OK) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

int
totp_verify(const unsigned char *secret, size_t len, const char *code,
    int64_t now_s, int64_t last_used_step, int64_t *matched_step)
{
	char want[TOTP_CODE_MAX + 1];
	int64_t now, step, found = -1;
	size_t i;
	int failed = 0;

	if (code == NULL || matched_step == NULL ||
	    strnlen(code, TOTP_DIGITS + 1) != TOTP_DIGITS)
		return -1;
	for (i = 0; i < TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return -1;
	if ((now = totp_step(now_s)) < 0)
		return -1;
	/* Every step of the window is computed and compared, in order, so
	 * the time taken does not depend on which one matches; the last
	 * match wins. */
	for (step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
		if (step < 0 || step <= last_used_step)
			continue;
		if (totp_code(secret, len, step, TOTP_DIGITS, want) != 0) {
			failed = 1;
			continue;
		}
		if (sodium_memcmp(want, code, TOTP_DIGITS) == 0)
			found = step;
	}
	sodium_memzero(want, sizeof(want));
	if (failed || found < 0)
		return -1;
	*matched_step = found;
	return 0;
}

/* Output of the SVG writer: counts only while p is NULL. */
struct svg_out {
	char *p;
	size_t cap;
	size_t len;
	int err;
};

static void svg_put(struct svg_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
svg_put(struct svg_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->err)
		return;
	va_start(ap, fmt);
	if (o->p == NULL)
		n = vsnprintf(NULL, 0, fmt, ap);
	else
		n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (o->p != NULL && (size_t)n >= o->cap - o->len)) {
		o->err = 1;
		return;
	}
	o->len += (size_t)n;
}

/* Writes the SVG of q into o: one horizontal sub-path per run of dark
 * modules. */
static void
svg_render(const QRcode *q, struct svg_out *o)
{
	int x, y, run, side = q->width + 2 * QR_QUIET;

	svg_put(o,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" role=\"img\" "
	    "aria-label=\"Code QR à scanner avec votre application "
	    "d’authentification\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"",
	    side, side, side * 4, side * 4, side, side);
	for (y = 0; y < q->width; y++) {
		for (x = 0; x < q->width; x += run) {
			run = 0;
			while (x + run < q->width &&
			    (q->data[y * q->width + x + run] & 1))
				run++;
			if (run == 0) {
				run = 1;
				continue;
			}
			svg_put(o, "M%d %dh%dv1h-%dz", x + QR_QUIET,
			    y + QR_QUIET, run, run);
		}
	}
	svg_put(o, "\"/></svg>");
}

char *
totp_qr_svg(const char *uri)
{
	struct svg_out o = { NULL, 0, 0, 0 };
	QRcode *q;
	size_t n;

	if (uri == NULL)
		return NULL;
	n = strnlen(uri, TOTP_URI_MAX);
	if (n == 0 || n >= TOTP_URI_MAX)
		return NULL;
	q = QRcode_encodeString(uri, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (q == NULL)
		return NULL;
	svg_render(q, &o); /* first pass: measure */
	if (!o.err) {
		o.cap = o.len + 1;
		o.len = 0;
		if ((o.p = malloc(o.cap)) != NULL)
			svg_render(q, &o);
	}
	sodium_memzero(q->data, (size_t)q->width * (size_t)q->width);
	QRcode_free(q);
	if (o.err || o.p == NULL) {
		if (o.p != NULL)
			sodium_memzero(o.p, o.cap);
		free(o.p);
		return NULL;
	}
	return o.p;
}

void
totp_qr_svg_free(char *svg)
{
	if (svg == NULL)
		return;
	sodium_memzero(svg, strlen(svg));
	free(svg);
}

void
totp_recovery_generate(char codes[RECOVERY_COUNT][RECOVERY_LEN])
{
	unsigned char r[RECOVERY_CHARS];
	size_t i, j, k, o;
	int dup;

	for (i = 0; i < RECOVERY_COUNT; i++) {
		do {
			/* 32 divides 256: r & 31 is uniform. */
			randombytes_buf(r, sizeof(r));
			for (j = 0, o = 0; j < RECOVERY_CHARS; j++) {
				if (j > 0 && j % 4 == 0)
					codes[i][o++] = '-';
				codes[i][o++] = recovery_alphabet[r[j] & 31];
			}
			codes[i][o] = '\0';
			dup = 0;
			for (k = 0; k < i; k++)
				if (strcmp(codes[k], codes[i]) == 0)
					dup = 1;
		} while (dup);
	}
	sodium_memzero(r, sizeof(r));
}

int
totp_recovery_normalise(const char *code, char out[RECOVERY_CHARS + 1])
{
	size_t i, o = 0;
	char c;

	out[0] = '\0';
	if (code == NULL)
		return -1;
	for (i = 0; code[i] != '\0'; i++) {
		if (i >= RECOVERY_INPUT_MAX)
			goto bad;
		c = code[i];
		if (c == ' ' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (strchr(recovery_alphabet, c) == NULL || o >= RECOVERY_CHARS)
			goto bad;
		out[o++] = c;
	}
	if (o != RECOVERY_CHARS)
		goto bad;
	out[o] = '\0';
	return 0;
bad:
	sodium_memzero(out, RECOVERY_CHARS + 1);
	return -1;
}

int
totp_recovery_hash(const char *code, char out[RECOVERY_HASH_BYTES])
{
	char norm[RECOVERY_CHARS + 1];
	int rc = -1;

	out[0] = '\0';
	if (totp_recovery_normalise(code, norm) != 0)
		return -1;
	if (crypto_pwhash_str(out, norm, RECOVERY_CHARS, RECOVERY_OPSLIMIT,
		RECOVERY_MEMLIMIT) == 0)
		rc = 0;
	else
		out[0] = '\0';
	sodium_memzero(norm, sizeof(norm));
	return rc;
}

int
totp_recovery_verify(const char *code, const char *hash)
{
	char norm[RECOVERY_CHARS + 1];
	int rc = -1;

	if (hash == NULL ||
	    strnlen(hash, RECOVERY_HASH_BYTES) >= RECOVERY_HASH_BYTES ||
	    totp_recovery_normalise(code, norm) != 0)
		return -1;
	if (crypto_pwhash_str_verify(hash, norm, RECOVERY_CHARS) == 0)
		rc = 0;
	sodium_memzero(norm, sizeof(norm));
	return rc;
}
