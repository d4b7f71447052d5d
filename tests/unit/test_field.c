/* test_field.c - src/crypto/field.c: sealing bound to its place, key
 * version, blind indexes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>

#include "crypto/field.h"
#include "unit.h"

static struct data_key key, other;

static int
group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	randombytes_buf(key.k, sizeof(key.k));
	randombytes_buf(other.k, sizeof(other.k));
	return 0;
}

static unsigned char *
seal(const char *pt, uint32_t v, size_t *n)
{
	unsigned char *ct = NULL;

	assert_int_equal(field_seal(&key, v, "people", "name", "42", pt,
			     strlen(pt), &ct, n),
	    0);
	return ct;
}

static void
test_round_trip(void **state)
{
	const char *msg = "Zoé Dupont";
	unsigned char *ct, *ct2;
	size_t n, n2, ptlen;
	char *pt;

	(void)state;
	ct = seal(msg, 7, &n);
	assert_int_equal(n, strlen(msg) + FIELD_OVERHEAD);
	assert_int_equal(ct[0], FIELD_FORMAT);
	assert_int_equal(field_open(&key, "people", "name", "42", ct, n, &pt,
			     &ptlen),
	    0);
	assert_int_equal(ptlen, strlen(msg));
	assert_string_equal(pt, msg); /* NUL-terminated */
	field_free(pt, ptlen);
	/* A fresh nonce each time: equal plaintexts, different ciphertexts. */
	ct2 = seal(msg, 7, &n2);
	assert_int_equal(n, n2);
	assert_memory_not_equal(ct, ct2, n);
	free(ct);
	free(ct2);
	field_free(NULL, 0);
}

static void
test_empty_plaintext(void **state)
{
	unsigned char *ct = NULL;
	size_t n, ptlen = 99;
	char *pt = NULL;

	(void)state;
	assert_int_equal(field_seal(&key, 1, "t", "c", "r", NULL, 0, &ct, &n),
	    0);
	assert_int_equal(n, FIELD_OVERHEAD);
	assert_int_equal(field_open(&key, "t", "c", "r", ct, n, &pt, &ptlen),
	    0);
	assert_int_equal(ptlen, 0);
	assert_string_equal(pt, "");
	field_free(pt, ptlen);
	free(ct);
	/* NULL with a length is refused. */
	assert_int_equal(field_seal(&key, 1, "t", "c", "r", NULL, 3, &ct, &n),
	    -1);
	assert_null(ct);
}

static void
test_open_elsewhere_fails(void **state)
{
	unsigned char *ct, *bad;
	size_t n, ptlen, i;
	char *pt = (char *)1;

	(void)state;
	ct = seal("0601020304", 3, &n);
	/* Another table, column, row, key. */
	assert_int_equal(field_open(&key, "peoplf", "name", "42", ct, n, &pt,
			     &ptlen),
	    -1);
	assert_null(pt);
	assert_int_equal(field_open(&key, "people", "email", "42", ct, n, &pt,
			     &ptlen),
	    -1);
	assert_int_equal(field_open(&key, "people", "name", "43", ct, n, &pt,
			     &ptlen),
	    -1);
	assert_int_equal(field_open(&other, "people", "name", "42", ct, n, &pt,
			     &ptlen),
	    -1);
	/* The separators count: ("peo", "plename") is not ("people",
	 * "name"). */
	assert_int_equal(field_open(&key, "peo", "plename", "42", ct, n, &pt,
			     &ptlen),
	    -1);
	/* Every single flipped bit of every byte, version included. */
	bad = malloc(n);
	assert_non_null(bad);
	for (i = 0; i < n; i++) {
		memcpy(bad, ct, n);
		bad[i] ^= 0x01;
		assert_int_equal(field_open(&key, "people", "name", "42", bad,
				     n, &pt, &ptlen),
		    -1);
	}
	/* Truncated, and too short to hold a header and tag. */
	assert_int_equal(field_open(&key, "people", "name", "42", ct, n - 1,
			     &pt, &ptlen),
	    -1);
	assert_int_equal(field_open(&key, "people", "name", "42", ct,
			     FIELD_OVERHEAD - 1, &pt, &ptlen),
	    -1);
	free(bad);
	free(ct);
}

static void
test_version_is_bound(void **state)
{
	unsigned char *ct;
	size_t n, ptlen;
	char *pt;
	uint32_t v = 0;

	(void)state;
	ct = seal("x", 0x01020304, &n);
	assert_int_equal(field_key_version(ct, n, &v), 0);
	assert_int_equal(v, 0x01020304);
	assert_memory_equal(ct + 1, "\x01\x02\x03\x04", 4); /* big-endian */
	/* Relabelled with another version: refused. */
	ct[4] = 0x05;
	assert_int_equal(field_key_version(ct, n, &v), 0);
	assert_int_equal(v, 0x01020305);
	assert_int_equal(field_open(&key, "people", "name", "42", ct, n, &pt,
			     &ptlen),
	    -1);
	/* Malformed: short, or another format byte. */
	assert_int_equal(field_key_version(ct, FIELD_OVERHEAD - 1, &v), -1);
	ct[0] = 0x02;
	assert_int_equal(field_key_version(ct, n, &v), -1);
	free(ct);
}

static void
test_ad_layout(void **state)
{
	static const unsigned char ad[] = "people\0name\0"
					  "42\0\0\0\0\x07";
	unsigned char *ct, pt[8];
	unsigned long long ptlen;
	size_t n;

	(void)state;
	/* format | version | nonce | ciphertext, AD as field.h says. */
	ct = seal("abc", 7, &n);
	assert_int_equal(crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &ptlen,
			     NULL, ct + 5 + 24, n - 5 - 24, ad, sizeof(ad) - 1,
			     ct + 5, key.k),
	    0);
	assert_int_equal(ptlen, 3);
	assert_memory_equal(pt, "abc", 3);
	free(ct);
}

static void
test_blind_index(void **state)
{
	char a[BLIND_INDEX_HEX], b[BLIND_INDEX_HEX];
	size_t i;

	(void)state;
	assert_int_equal(field_blind_index(&key, "people", "email",
			     "zoe@example.org", 15, a),
	    0);
	assert_int_equal(strlen(a), 64);
	for (i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	/* Deterministic. */
	assert_int_equal(field_blind_index(&key, "people", "email",
			     "zoe@example.org", 15, b),
	    0);
	assert_string_equal(a, b);
	/* Another column, table, key or value: another digest. */
	assert_int_equal(field_blind_index(&key, "people", "phone",
			     "zoe@example.org", 15, b),
	    0);
	assert_string_not_equal(a, b);
	assert_int_equal(field_blind_index(&key, "staff", "email",
			     "zoe@example.org", 15, b),
	    0);
	assert_string_not_equal(a, b);
	assert_int_equal(field_blind_index(&other, "people", "email",
			     "zoe@example.org", 15, b),
	    0);
	assert_string_not_equal(a, b);
	assert_int_equal(field_blind_index(&key, "people", "email",
			     "zoe@example.orh", 15, b),
	    0);
	assert_string_not_equal(a, b);
	/* An empty value has an index too, unlike any other column's. */
	assert_int_equal(field_blind_index(&key, "people", "email", NULL, 0, a),
	    0);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(field_blind_index(&key, "people", "emai", "l", 1, b),
	    0);
	assert_string_not_equal(a, b);
}

static void
test_blind_index_layout(void **state)
{
	unsigned char d[32];
	char want[BLIND_INDEX_HEX], got[BLIND_INDEX_HEX];
	static const char msg[] = "t\0c\0v";

	(void)state;
	/* Keyed BLAKE2b-256 of "t\0c\0" || value, in lower-case hex. */
	crypto_generichash(d, sizeof(d), (const unsigned char *)msg,
	    sizeof(msg) - 1, key.k, sizeof(key.k));
	sodium_bin2hex(want, sizeof(want), d, sizeof(d));
	assert_int_equal(field_blind_index(&key, "t", "c", "v", 1, got), 0);
	assert_string_equal(got, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty_plaintext),
		cmocka_unit_test(test_open_elsewhere_fails),
		cmocka_unit_test(test_version_is_bound),
		cmocka_unit_test(test_ad_layout),
		cmocka_unit_test(test_blind_index),
		cmocka_unit_test(test_blind_index_layout),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
