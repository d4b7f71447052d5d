/* test_totp.c - src/auth/totp.c: RFC 4226 and RFC 6238 vectors, the
 * verification window and replay, the enrolment URI and its QR code,
 * recovery codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

#include "auth/totp.h"

/* The secret of RFC 4226 Appendix D and RFC 6238 Appendix B (SHA1). */
static const unsigned char rfc_secret[] = "12345678901234567890";
#define RFC_LEN 20

static int
group_setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

struct verify_arg {
	int64_t now;
	char code[TOTP_CODE_MAX + 1];
	int rc;
};

static void *
verify_thread(void *p)
{
	struct verify_arg *a = p;
	int64_t m;

	a->rc = totp_verify(rfc_secret, RFC_LEN, a->code, a->now, -1, &m);
	return NULL;
}

/* First test of the file: liboath is initialised by whichever of several
 * threads gets there first, and all of them work. */
static void
test_first_use_from_threads(void **state)
{
	struct verify_arg a[4];
	pthread_t t[4];
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		a[i].now = 1111111111;
		memcpy(a[i].code, "050471", 7); /* 14050471 mod 10^6 */
		a[i].rc = 1;
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, verify_thread,
				     &a[i]),
		    0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(a[i].rc, 0);
	}
}

static void
test_rfc4226_hotp(void **state)
{
	static const char *const want[10] = { "755224", "287082", "359152",
		"969429", "338314", "254676", "287922", "162583", "399871",
		"520489" };
	char out[TOTP_CODE_MAX + 1];
	int64_t c;

	(void)state;
	for (c = 0; c < 10; c++) {
		assert_int_equal(totp_code(rfc_secret, RFC_LEN, c, 6, out), 0);
		assert_string_equal(out, want[c]);
	}
}

static void
test_rfc6238_totp(void **state)
{
	static const struct {
		int64_t t;
		const char *code;
	} v[] = {
		{ 59, "94287082" },
		{ 1111111109, "07081804" },
		{ 1111111111, "14050471" },
		{ 1234567890, "89005924" },
		{ 2000000000, "69279037" },
		{ 20000000000LL, "65353130" },
	};
	char out[TOTP_CODE_MAX + 1], lib[TOTP_CODE_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(totp_code(rfc_secret, RFC_LEN,
				     totp_step(v[i].t), 8, out),
		    0);
		assert_string_equal(out, v[i].code);
		/* liboath's own TOTP agrees. */
		assert_int_equal(oath_totp_generate2((const char *)rfc_secret,
				     RFC_LEN, (time_t)v[i].t, 30, 0, 8, 0, lib),
		    OATH_OK);
		assert_string_equal(lib, v[i].code);
		/* And the 6-digit code is its tail, accepted at that time. */
		{
			int64_t m = -1;

			assert_int_equal(totp_verify(rfc_secret, RFC_LEN,
					     v[i].code + 2, v[i].t, -1, &m),
			    0);
			assert_int_equal(m, totp_step(v[i].t));
		}
	}
}

static void
test_step(void **state)
{
	(void)state;
	assert_int_equal(totp_step(0), 0);
	assert_int_equal(totp_step(29), 0);
	assert_int_equal(totp_step(30), 1);
	assert_int_equal(totp_step(59), 1);
	assert_int_equal(totp_step(-1), -1);
	assert_int_equal(totp_step(INT64_MAX), INT64_MAX / 30);
}

static void
test_code_refusals(void **state)
{
	char out[TOTP_CODE_MAX + 1];

	(void)state;
	assert_int_equal(totp_code(rfc_secret, RFC_LEN, -1, 6, out), -1);
	assert_int_equal(totp_code(rfc_secret, RFC_LEN, 0, 5, out), -1);
	assert_int_equal(totp_code(rfc_secret, RFC_LEN, 0, 9, out), -1);
	assert_int_equal(totp_code(rfc_secret, TOTP_SECRET_MIN - 1, 0, 6, out),
	    -1);
	assert_int_equal(totp_code(rfc_secret, TOTP_SECRET_MAX + 1, 0, 6, out),
	    -1);
	assert_int_equal(totp_code(NULL, RFC_LEN, 0, 6, out), -1);
	assert_string_equal(out, "");
}

/* The 6-digit code of step s of the RFC secret. */
static void
code_at(int64_t s, char out[TOTP_CODE_MAX + 1])
{
	assert_int_equal(totp_code(rfc_secret, RFC_LEN, s, TOTP_DIGITS, out),
	    0);
}

static void
test_window(void **state)
{
	const int64_t t = 1111111111, now = totp_step(t);
	char c[5][TOTP_CODE_MAX + 1];
	int64_t m, d;
	int i, j;

	(void)state;
	for (i = 0; i < 5; i++)
		code_at(now - 2 + i, c[i]);
	/* The five codes differ, so each test below is about its step. */
	for (i = 0; i < 5; i++)
		for (j = i + 1; j < 5; j++)
			assert_string_not_equal(c[i], c[j]);
	for (d = -1; d <= 1; d++) {
		m = -7;
		assert_int_equal(totp_verify(rfc_secret, RFC_LEN, c[d + 2], t,
				     -1, &m),
		    0);
		assert_int_equal(m, now + d);
	}
	m = -7;
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, c[0], t, -1, &m), -1);
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, c[4], t, -1, &m), -1);
	assert_int_equal(m, -7); /* untouched on failure */
	/* At the edges of the current step the window moves with it. */
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, c[1], now * 30 + 29,
			     -1, &m),
	    0);
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, c[1], (now + 1) * 30,
			     -1, &m),
	    -1);
}

static void
test_replay(void **state)
{
	const int64_t t = 2000000000, now = totp_step(t);
	char prev[TOTP_CODE_MAX + 1], cur[TOTP_CODE_MAX + 1],
	    next[TOTP_CODE_MAX + 1];
	int64_t last = -1, m;

	(void)state;
	code_at(now - 1, prev);
	code_at(now, cur);
	code_at(now + 1, next);
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, cur, t, last, &m), 0);
	last = m;
	/* The same code again, even a few seconds later: refused. */
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, cur, t, last, &m),
	    -1);
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, cur, t + 20, last,
			     &m),
	    -1);
	/* An older code, still inside the window: refused too. */
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, prev, t, last, &m),
	    -1);
	/* The next step's code is still good, once. */
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, next, t, last, &m),
	    0);
	assert_int_equal(m, now + 1);
	last = m;
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, next, t + 30, last,
			     &m),
	    -1);
}

static void
test_malformed_codes(void **state)
{
	static const char *const bad[] = { "", "12345", "1234567", "12345a",
		" 12345", "123 456", "123456 ", "+12345", "-12345",
		"１２３４５６",
		"12\x00"
		"456" };
	char cur[TOTP_CODE_MAX + 1];
	unsigned char secret[TOTP_SECRET_BYTES];
	int64_t m = -7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(totp_verify(rfc_secret, RFC_LEN, bad[i], 59,
				     -1, &m),
		    -1);
	code_at(1, cur);
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, NULL, 59, -1, &m),
	    -1);
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, cur, 59, -1, NULL),
	    -1);
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, cur, -30, -1, &m),
	    -1);
	assert_int_equal(totp_verify(rfc_secret, 10, cur, 59, -1, &m), -1);
	assert_int_equal(totp_verify(NULL, RFC_LEN, cur, 59, -1, &m), -1);
	/* The right code under another secret is refused. */
	memcpy(secret, "abcdefghijklmnopqrst", sizeof(secret));
	assert_int_equal(totp_verify(secret, sizeof(secret), cur, 59, -1, &m),
	    -1);
	assert_int_equal(m, -7);
	assert_int_equal(totp_verify(rfc_secret, RFC_LEN, cur, 59, -1, &m), 0);
}

static void
test_secret_new(void **state)
{
	unsigned char a[TOTP_SECRET_BYTES], b[TOTP_SECRET_BYTES];

	(void)state;
	totp_secret_new(a);
	totp_secret_new(b);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_false(sodium_is_zero(a, sizeof(a)));
}

static void
test_base32(void **state)
{
	static const char *const want[] = { "", "MY", "MZXQ", "MZXW6",
		"MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI" };
	unsigned char secret[TOTP_SECRET_MAX];
	char out[TOTP_BASE32_MAX], *dec = NULL;
	size_t i, declen = 0;

	(void)state;
	/* RFC 4648 section 10, without the padding. */
	for (i = 0; i < 7; i++) {
		assert_int_equal(totp_base32_encode((const unsigned char
							    *)"foobar",
				     i, out, sizeof(out)),
		    (int)strlen(want[i]));
		assert_string_equal(out, want[i]);
	}
	assert_int_equal(totp_base32_encode(rfc_secret, RFC_LEN, out,
			     sizeof(out)),
	    32);
	assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	/* Too small an output, too long an input. */
	assert_int_equal(totp_base32_encode(rfc_secret, RFC_LEN, out, 32), -1);
	assert_int_equal(totp_base32_encode(secret, TOTP_SECRET_MAX + 1, out,
			     sizeof(out)),
	    -1);
	/* liboath decodes what we encode, at the longest length. */
	randombytes_buf(secret, sizeof(secret));
	assert_int_equal(totp_base32_encode(secret, sizeof(secret), out,
			     sizeof(out)),
	    (int)sizeof(out) - 1);
	assert_int_equal(oath_base32_decode(out, strlen(out), &dec, &declen),
	    OATH_OK);
	assert_int_equal(declen, sizeof(secret));
	assert_memory_equal(dec, secret, sizeof(secret));
	free(dec);
}

static void
test_uri(void **state)
{
	char out[TOTP_URI_MAX], label[TOTP_LABEL_MAX + 2];
	unsigned char big[TOTP_SECRET_MAX];
	size_t i, n;

	(void)state;
	assert_int_equal(totp_uri(rfc_secret, RFC_LEN,
			     "helene.dupont@exemple.fr", out, sizeof(out)),
	    0);
	assert_string_equal(out,
	    "otpauth://totp/Cr%C3%A9neau:helene.dupont%40exemple.fr"
	    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Cr%C3%A9neau"
	    "&digits=6&period=30&algorithm=SHA1");
	assert_int_equal(totp_uri(rfc_secret, RFC_LEN, "Élise Martin: a&b=c?",
			     out, sizeof(out)),
	    0);
	assert_non_null(
	    strstr(out, ":%C3%89lise%20Martin%3A%20a%26b%3Dc%3F?secret="));

	/* The worst case fits TOTP_URI_MAX: longest secret, every label
	 * byte escaped. */
	memset(big, 0xA5, sizeof(big));
	memset(label, '/', TOTP_LABEL_MAX);
	label[TOTP_LABEL_MAX] = '\0';
	assert_int_equal(totp_uri(big, sizeof(big), label, out, sizeof(out)),
	    0);
	label[TOTP_LABEL_MAX] = 'x';
	label[TOTP_LABEL_MAX + 1] = '\0';
	assert_int_equal(totp_uri(big, sizeof(big), label, out, sizeof(out)),
	    -1);
	assert_string_equal(out, "");

	assert_int_equal(totp_uri(rfc_secret, RFC_LEN, "", out, sizeof(out)),
	    -1);
	assert_int_equal(totp_uri(rfc_secret, RFC_LEN, NULL, out, sizeof(out)),
	    -1);
	assert_int_equal(totp_uri(rfc_secret, 10, "a", out, sizeof(out)), -1);
	/* Too small an output, even by one byte: refused and wiped, never
	 * cut. */
	assert_int_equal(totp_uri(rfc_secret, RFC_LEN, "a", out, sizeof(out)),
	    0);
	n = strlen(out);
	assert_int_equal(totp_uri(rfc_secret, RFC_LEN, "a", out, n + 1), 0);
	for (i = 1; i <= n; i++) {
		assert_int_equal(totp_uri(rfc_secret, RFC_LEN, "a", out, i),
		    -1);
		assert_true(sodium_is_zero((unsigned char *)out, i));
	}
}

/* Redraws the modules of the path of svg into a width x width bitmap (the
 * quiet zone removed); checks every run lies inside the symbol. */
static void
svg_modules(const char *svg, int width, unsigned char *bits)
{
	const char *p = strstr(svg, " d=\"");
	int x, y, run, run2, n, i;

	assert_non_null(p);
	p += 4;
	memset(bits, 0, (size_t)width * (size_t)width);
	while (*p == 'M') {
		assert_int_equal(sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &run,
				     &run2, &n),
		    4);
		assert_int_equal(run, run2);
		x -= 4;
		y -= 4;
		assert_true(x >= 0 && y >= 0 && y < width && run > 0 &&
		    x + run <= width);
		for (i = 0; i < run; i++)
			bits[y * width + x + i] = 1;
		p += n;
	}
	assert_string_equal(p, "\"/></svg>");
}

static void
test_qr_svg(void **state)
{
	char uri[TOTP_URI_MAX], vb[64], *svg;
	unsigned char *bits;
	QRcode *q;
	int i, side;

	(void)state;
	assert_int_equal(totp_uri(rfc_secret, RFC_LEN,
			     "helene.dupont@exemple.fr", uri, sizeof(uri)),
	    0);
	svg = totp_qr_svg(uri);
	assert_non_null(svg);
	assert_int_equal(strncmp(svg, "<svg ", 5), 0);
	assert_non_null(strstr(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(svg, "role=\"img\""));
	assert_non_null(strstr(svg, "aria-label=\"Code QR à scanner"));
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "href"));
	assert_null(strstr(svg, "url("));
	assert_null(strstr(svg, "style"));
	assert_null(strstr(svg, " on"));
	assert_non_null(strstr(svg, "<path "));
	assert_null(strstr(strstr(svg, "<path ") + 1, "<path "));
	assert_int_equal(strcmp(svg + strlen(svg) - 6, "</svg>"), 0);

	/* The path is exactly the symbol libqrencode makes for the URI. */
	q = QRcode_encodeString(uri, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	assert_non_null(q);
	side = q->width + 8;
	snprintf(vb, sizeof(vb), "viewBox=\"0 0 %d %d\"", side, side);
	assert_non_null(strstr(svg, vb));
	bits = malloc((size_t)q->width * (size_t)q->width);
	assert_non_null(bits);
	svg_modules(svg, q->width, bits);
	for (i = 0; i < q->width * q->width; i++)
		assert_int_equal(bits[i], q->data[i] & 1);
	free(bits);
	QRcode_free(q);
	totp_qr_svg_free(svg);
	totp_qr_svg_free(NULL);
}

static void
test_qr_svg_refusals(void **state)
{
	char *uri;

	(void)state;
	assert_null(totp_qr_svg(NULL));
	assert_null(totp_qr_svg(""));
	uri = malloc(TOTP_URI_MAX + 1);
	assert_non_null(uri);
	memset(uri, 'A', TOTP_URI_MAX);
	uri[TOTP_URI_MAX] = '\0';
	assert_null(totp_qr_svg(uri));
	uri[TOTP_URI_MAX - 1] = '\0'; /* the longest allowed still draws */
	totp_qr_svg_free(totp_qr_svg(uri));
	free(uri);
}

static int
in_alphabet(char c)
{
	return c != '\0' && strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", c);
}

static void
test_recovery_generate(void **state)
{
	char a[RECOVERY_COUNT][RECOVERY_LEN], b[RECOVERY_COUNT][RECOVERY_LEN];
	char norm[RECOVERY_CHARS + 1];
	size_t i, j;

	(void)state;
	totp_recovery_generate(a);
	totp_recovery_generate(b);
	for (i = 0; i < RECOVERY_COUNT; i++) {
		assert_int_equal(strlen(a[i]), RECOVERY_LEN - 1);
		for (j = 0; j < RECOVERY_LEN - 1; j++) {
			if (j == 4 || j == 9)
				assert_int_equal(a[i][j], '-');
			else
				assert_true(in_alphabet(a[i][j]));
		}
		assert_int_equal(totp_recovery_normalise(a[i], norm), 0);
		for (j = i + 1; j < RECOVERY_COUNT; j++)
			assert_string_not_equal(a[i], a[j]);
		for (j = 0; j < RECOVERY_COUNT; j++)
			assert_string_not_equal(a[i], b[j]);
	}
}

static void
test_recovery_normalise(void **state)
{
	static const char *const bad[] = { "", "ABCD-EFGH-JKM",
		"ABCD-EFGH-JKMNP", "ABCD-EFGH-JKMU", "ABCD_EFGH_JKMN",
		"ABCD-EFGH-JKM\xc3\xa9", "ABCD\tEFGH\tJKMN" };
	char out[RECOVERY_CHARS + 1], spaced[128];
	size_t i;

	(void)state;
	assert_int_equal(totp_recovery_normalise("abcd-efgh-jkmn", out), 0);
	assert_string_equal(out, "ABCDEFGHJKMN");
	assert_int_equal(totp_recovery_normalise("  ab cd--efgh jk mn ", out),
	    0);
	assert_string_equal(out, "ABCDEFGHJKMN");
	/* Letters mistaken for digits are read as the digits. */
	assert_int_equal(totp_recovery_normalise("OoIi-Ll01-2345", out), 0);
	assert_string_equal(out, "001111012345");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(totp_recovery_normalise(bad[i], out), -1);
		assert_string_equal(out, "");
	}
	assert_int_equal(totp_recovery_normalise(NULL, out), -1);
	/* Padding past RECOVERY_INPUT_MAX bytes is refused. */
	memset(spaced, ' ', sizeof(spaced));
	memcpy(spaced + sizeof(spaced) - 13, "ABCDEFGHJKMN", 13);
	assert_int_equal(totp_recovery_normalise(spaced, out), -1);
	assert_int_equal(totp_recovery_normalise(spaced + sizeof(spaced) -
				 RECOVERY_INPUT_MAX - 1,
			     out),
	    0);
}

static void
test_recovery_hash_verify(void **state)
{
	char codes[RECOVERY_COUNT][RECOVERY_LEN], h[RECOVERY_HASH_BYTES];
	char typed[RECOVERY_LEN + 8];
	size_t i, o = 0;

	(void)state;
	totp_recovery_generate(codes);
	assert_int_equal(totp_recovery_hash(codes[0], h), 0);
	assert_int_equal(strncmp(h, "$argon2id$v=19$m=65536,t=2,p=1$", 31), 0);
	assert_null(strstr(h, codes[0]));
	assert_int_equal(totp_recovery_verify(codes[0], h), 0);
	/* Typed in lower case, with spaces instead of dashes. */
	for (i = 0; codes[0][i] != '\0'; i++)
		typed[o++] = codes[0][i] == '-' ? ' '
		    : (codes[0][i] >= 'A' && codes[0][i] <= 'Z')
		    ? (char)(codes[0][i] - 'A' + 'a')
		    : codes[0][i];
	typed[o] = '\0';
	assert_int_equal(totp_recovery_verify(typed, h), 0);
	/* Another code, a malformed one, a malformed hash: refused. */
	assert_int_equal(totp_recovery_verify(codes[1], h), -1);
	assert_int_equal(totp_recovery_verify("ABCD-EFGH", h), -1);
	assert_int_equal(totp_recovery_verify(NULL, h), -1);
	assert_int_equal(totp_recovery_verify(codes[0], NULL), -1);
	assert_int_equal(totp_recovery_verify(codes[0], "$argon2id$x"), -1);
	assert_int_equal(totp_recovery_hash("not a code", h), -1);
	assert_string_equal(h, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_use_from_threads),
		cmocka_unit_test(test_rfc4226_hotp),
		cmocka_unit_test(test_rfc6238_totp),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_code_refusals),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_malformed_codes),
		cmocka_unit_test(test_secret_new),
		cmocka_unit_test(test_base32),
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_qr_svg),
		cmocka_unit_test(test_qr_svg_refusals),
		cmocka_unit_test(test_recovery_generate),
		cmocka_unit_test(test_recovery_normalise),
		cmocka_unit_test(test_recovery_hash_verify),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
