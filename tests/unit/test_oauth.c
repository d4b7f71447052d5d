/*
 * test_oauth.c - the pure checks of src/auth/oauth.c: PKCE S256 (RFC 7636
 * Appendix B), redirect URIs a client may register, and scope lists (the
 * flows run against the real binary in tests/integration/test_partner.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <sodium.h>

#include "auth/oauth.h"

static void
test_pkce_rfc7636_vector(void **state)
{
	(void)state;
	assert_int_equal(
	    oauth_pkce_matches("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
		"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
	    1);
	/* One character off, too short, or outside the unreserved set. */
	assert_int_equal(
	    oauth_pkce_matches("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl",
		"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
	    0);
	assert_int_equal(oauth_pkce_matches("court",
			     "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
	    0);
	assert_int_equal(
	    oauth_pkce_matches("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX+",
		"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
	    0);
	assert_int_equal(oauth_challenge_check(
			     "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
	    0);
	assert_int_equal(oauth_challenge_check(
			     "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c"),
	    -1);
	assert_int_equal(oauth_challenge_check(
			     "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw=cM"),
	    -1);
}

static void
test_redirect_uris(void **state)
{
	static const char *const good[] = { "https://logiciel.example/retour",
		"https://logiciel.example:8443/cb?x=1",
		"http://127.0.0.1:8123/cb", "http://localhost/cb",
		"http://[::1]:9000/cb" };
	static const char *const bad[] = { "", "http://logiciel.example/cb",
		"https://logiciel.example/cb#frag",
		"https://user@logiciel.example/cb", "https:///cb",
		"ftp://logiciel.example/", "https://logiciel.example/a b",
		"http://127.0.0.1.evil.example/cb", "javascript:alert(1)" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(oauth_redirect_uri_check(good[i]), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (oauth_redirect_uri_check(bad[i]) != -1)
			fail_msg("accepted: %s", bad[i]);
}

static void
test_scopes(void **state)
{
	char out[STORE_OAUTH_SCOPE_MAX];

	(void)state;
	assert_int_equal(oauth_scope_parse("reservation  lecture", out,
			     sizeof(out)),
	    0);
	assert_string_equal(out, "lecture reservation");
	assert_int_equal(oauth_scope_parse("lecture lecture", out, sizeof(out)),
	    0);
	assert_string_equal(out, "lecture");
	assert_int_equal(oauth_scope_parse("lecture admin", out, sizeof(out)),
	    -1);
	assert_int_equal(oauth_scope_parse("", out, sizeof(out)), -1);
	assert_int_equal(oauth_scope_parse("lect", out, sizeof(out)), -1);
	assert_int_equal(oauth_scope_within("lecture", "lecture reservation"),
	    1);
	assert_int_equal(oauth_scope_within("reservation", "lecture"), 0);
	assert_int_equal(oauth_scope_has("lecture reservation", "reservation"),
	    1);
	assert_int_equal(oauth_scope_has("lecture", "lect"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkce_rfc7636_vector),
		cmocka_unit_test(test_redirect_uris),
		cmocka_unit_test(test_scopes),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
