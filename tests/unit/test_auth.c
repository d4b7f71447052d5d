/* test_auth.c - src/auth/auth.c: ids, roles, email normalisation and
 * blind index, clipping, sealing. */
#include "authfx.h"

static void
test_ids(void **state)
{
	char a[AUTH_ID_HEX], b[AUTH_ID_HEX];

	(void)state;
	auth_id_new(a);
	auth_id_new(b);
	assert_int_equal(strlen(a), 32);
	assert_int_equal(strspn(a, "0123456789abcdef"), 32);
	assert_string_not_equal(a, b);
}

static void
test_roles(void **state)
{
	(void)state;
	assert_int_equal(role_valid("school_manager"), 1);
	assert_int_equal(role_valid("regional_supervisor"), 1);
	assert_int_equal(role_valid("root"), 0);
	assert_int_equal(role_valid(NULL), 0);
	assert_int_equal(role_requires_mfa("dispatcher"), 1);
	assert_int_equal(role_requires_mfa("candidate"), 0);
	assert_int_equal(role_is_admin("dpo"), 1);
	assert_int_equal(role_is_admin("school_manager"), 0);
}

static void
test_email_normalise(void **state)
{
	char out[ACCOUNT_EMAIL_MAX + 1], big[400];

	(void)state;
	assert_int_equal(auth_email_normalise("  Ab.C@EXAMPLE.fr\t", out), 15);
	assert_string_equal(out, "ab.c@example.fr");
	assert_int_equal(auth_email_normalise("   ", out), -1);
	assert_int_equal(auth_email_normalise(NULL, out), -1);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(auth_email_normalise(big, out), -1);
}

static void
test_email_index(void **state)
{
	struct authfx *f = *state;
	char a[BLIND_INDEX_HEX], b[BLIND_INDEX_HEX], c[BLIND_INDEX_HEX];

	assert_int_equal(auth_email_index(&f->a, "X@Example.fr", a), 0);
	assert_int_equal(auth_email_index(&f->a, " x@example.FR ", b), 0);
	assert_int_equal(auth_email_index(&f->a, "y@example.fr", c), 0);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_int_equal(strlen(a), 64);
}

static void
test_clip(void **state)
{
	char out[8];

	(void)state;
	auth_clip(out, 7, "abcdefghij");
	assert_string_equal(out, "abcdefg");
	auth_clip(out, 7, "abcde\xc3\xa9z"); /* é would be cut in two */
	assert_string_equal(out, "abcde\xc3\xa9");
	auth_clip(out, 6, "abcde\xc3\xa9z");
	assert_string_equal(out, "abcde");
	auth_clip(out, 7, "ab");
	assert_string_equal(out, "ab");
}

static void
test_seal(void **state)
{
	struct data_key k;
	struct store_blob b;
	char *pt;
	size_t n;

	(void)state;
	randombytes_buf(k.k, sizeof(k.k));
	assert_int_equal(auth_seal(&k, "accounts", "email", "id1", "a@b.fr",
			     &b),
	    0);
	assert_int_equal(field_open(&k, "accounts", "email", "id1", b.p, b.len,
			     &pt, &n),
	    0);
	assert_string_equal(pt, "a@b.fr");
	field_free(pt, n);
	/* Bound to its row. */
	assert_int_equal(field_open(&k, "accounts", "email", "id2", b.p, b.len,
			     &pt, &n),
	    -1);
	store_blob_wipe(&b);
	assert_null(b.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_email_normalise),
		cmocka_unit_test_setup_teardown(test_email_index, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test(test_clip),
		cmocka_unit_test(test_seal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
