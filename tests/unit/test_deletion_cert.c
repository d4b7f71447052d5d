/* test_deletion_cert.c - a deletion certificate verifies with the key
 * that signed it, whatever its layout, and no longer once a name or a
 * value changes, or against another key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "tenancy/deletion_cert.h"

static void
test_sign_verify_tamper(void **state)
{
	unsigned char sk[64], pk[32], sk2[64], pk2[32];
	char why[256], *text, *p;
	json_t *body, *o;

	(void)state;
	assert_true(sodium_init() >= 0);
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	body = json_pack("{s:s, s:{s:s, s:s}, s:{s:i}, s:i}", "kind",
	    "creneau.tenant_deletion", "organisation", "id", "abc", "name",
	    "Auto-école des Tilleuls", "rows_deleted", "accounts", 3,
	    "keys_destroyed", 7);
	assert_non_null(body);
	text = deletion_cert_sign(body, sk, pk);
	assert_non_null(text);
	assert_int_equal(deletion_cert_verify(text, strlen(text), pk, why,
			     sizeof(why)),
	    0);
	assert_int_equal(deletion_cert_verify(text, strlen(text), NULL, why,
			     sizeof(why)),
	    0);
	/* Another instance's key. */
	assert_int_equal(deletion_cert_verify(text, strlen(text), pk2, why,
			     sizeof(why)),
	    1);
	/* Layout does not matter. */
	o = json_loads(text, 0, NULL);
	p = json_dumps(o, JSON_COMPACT);
	assert_int_equal(deletion_cert_verify(p, strlen(p), pk, why,
			     sizeof(why)),
	    0);
	free(p);
	json_decref(o);
	/* One byte of a value. */
	p = strstr(text, "\"keys_destroyed\": 7");
	assert_non_null(p);
	p[strlen("\"keys_destroyed\": ")] = '8';
	assert_int_equal(deletion_cert_verify(text, strlen(text), pk, why,
			     sizeof(why)),
	    1);
	assert_non_null(strstr(why, "signature"));
	/* Not a certificate at all. */
	assert_int_equal(deletion_cert_verify("{}", 2, pk, why, sizeof(why)),
	    1);
	assert_int_equal(deletion_cert_verify("x", 1, pk, why, sizeof(why)), 1);
	free(text);
	json_decref(body);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(sk2, sizeof(sk2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_verify_tamper),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
