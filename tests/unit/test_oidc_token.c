/* test_oidc_token.c - src/auth/oidc_token.c: each check an ID token must
 * pass, on tokens signed here with cjose (RS256, a JWKS of one key). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjose/cjose.h>

#include "auth/oidc_token.h"

#define ISS "https://fournisseur.example"
#define AUD "creneau"
#define NOW 1900000000LL

static cjose_jwk_t *key, *other;
static char jwks[8192];

static int
setup(void **state)
{
	cjose_err err;
	char *pub;

	(void)state;
	key = cjose_jwk_create_RSA_random(2048, NULL, 0, &err);
	other = cjose_jwk_create_RSA_random(2048, NULL, 0, &err);
	if (key == NULL || other == NULL ||
	    !cjose_jwk_set_kid(key, "k1", 2, &err) ||
	    !cjose_jwk_set_kid(other, "k1", 2, &err) ||
	    (pub = cjose_jwk_to_json(key, false, &err)) == NULL)
		return -1;
	snprintf(jwks, sizeof(jwks), "{\"keys\":[%s]}", pub);
	free(pub);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cjose_jwk_release(key);
	cjose_jwk_release(other);
	return 0;
}

/* Signs claims (JSON text) with k under alg; returns a malloc'ed compact
 * token. */
static char *
token(cjose_jwk_t *k, const char *alg, const char *claims)
{
	cjose_err err;
	cjose_header_t *h = cjose_header_new(&err);
	cjose_jws_t *jws;
	const char *out = NULL;
	char *copy;

	assert_non_null(h);
	assert_true(cjose_header_set(h, CJOSE_HDR_ALG, alg, &err));
	assert_true(cjose_header_set(h, CJOSE_HDR_KID, "k1", &err));
	jws =
	    cjose_jws_sign(k, h, (const uint8_t *)claims, strlen(claims), &err);
	assert_non_null(jws);
	assert_true(cjose_jws_export(jws, &out, &err));
	copy = strdup(out);
	cjose_jws_release(jws);
	cjose_header_release(h);
	return copy;
}

/* Checks a token of claims signed by k; returns the result and the rule
 * in why. */
static int
check(cjose_jwk_t *k, const char *claims, char why[32], struct oidc_claims *out)
{
	struct oidc_expect e = { ISS, AUD, "n0nce", NOW, 60 };
	char *t = token(k, "RS256", claims);
	int rc;

	why[0] = '\0';
	rc = oidc_token_check(jwks, strlen(jwks), t, &e, out, why, 32);
	free(t);
	return rc;
}

#define GOOD_TAIL "\"exp\":1900000300,\"iat\":1899999990,\"nonce\":\"n0nce\""

static void
test_good_token(void **state)
{
	struct oidc_claims c;
	char why[32];

	(void)state;
	assert_int_equal(check(key,
			     "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
			     "\",\"sub\":\"abc\",\"acr\":\"eidas2\","
			     "\"amr\":[\"pwd\",\"otp\"]," GOOD_TAIL "}",
			     why, &c),
	    0);
	assert_string_equal(c.sub, "abc");
	assert_string_equal(c.acr, "eidas2");
	assert_string_equal(c.amr, "pwd,otp");
	assert_true(oidc_claims_mfa(&c, "eidas2, eidas3", ""));
	assert_false(oidc_claims_mfa(&c, "eidas3", ""));
	assert_true(oidc_claims_mfa(&c, "", "mfa, otp"));
	assert_false(oidc_claims_mfa(&c, "", ""));
}

/* One claim wrong at a time: each refused by its own rule. */
static void
test_each_claim_checked(void **state)
{
	static const struct {
		const char *claims, *rule;
	} cases[] = {
		{ "{\"iss\":\"https://autre.example\",\"aud\":\"" AUD
		  "\",\"sub\":\"a\"," GOOD_TAIL "}",
		    "iss" },
		{ "{\"iss\":\"" ISS
		  "\",\"aud\":\"autre\",\"sub\":\"a\"," GOOD_TAIL "}",
		    "aud" },
		/* Several audiences: azp must be this client. */
		{ "{\"iss\":\"" ISS "\",\"aud\":[\"" AUD
		  "\",\"autre\"],\"sub\":\"a\"," GOOD_TAIL "}",
		    "aud" },
		{ "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"a\","
		  "\"exp\":1899999939,\"iat\":1899999000,\"nonce\":\"n0nce\"}",
		    "exp" },
		{ "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"a\","
		  "\"exp\":1900000900,\"iat\":1900000061,\"nonce\":\"n0nce\"}",
		    "iat" },
		{ "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"a\","
		  "\"exp\":1900000300,\"iat\":1899999990,\"nonce\":\"autre\"}",
		    "nonce" },
		{ "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"a\","
		  "\"exp\":1900000300,\"iat\":1899999990}",
		    "nonce" },
		{ "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\"," GOOD_TAIL "}",
		    "sub" },
	};
	struct oidc_claims c;
	char why[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(check(key, cases[i].claims, why, &c), 1);
		if (strcmp(why, cases[i].rule) != 0)
			fail_msg("case %zu: %s, not %s", i, why, cases[i].rule);
		assert_string_equal(c.sub, "");
	}
	/* Within the skew: exp 59 s ago, iat 59 s ahead. */
	assert_int_equal(check(key,
			     "{\"iss\":\"" ISS "\",\"aud\":[\"" AUD
			     "\",\"x\"],\"azp\":\"" AUD "\",\"sub\":\"a\","
			     "\"exp\":1899999941,\"iat\":1900000059,"
			     "\"nonce\":\"n0nce\"}",
			     why, &c),
	    0);
}

/* Another key under the same kid, a symmetric algorithm, "none", and a
 * token that is not one: refused before any claim is read. */
static void
test_signature_checked(void **state)
{
	static const char claims[] = "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
				     "\",\"sub\":\"a\"," GOOD_TAIL "}";
	struct oidc_expect e = { ISS, AUD, "n0nce", NOW, 60 };
	struct oidc_claims c;
	cjose_jwk_t *oct;
	cjose_err err;
	char why[32], *t, *dot, none[2048];

	(void)state;
	assert_int_equal(check(other, claims, why, &c), 1);
	assert_string_equal(why, "signature");
	oct = cjose_jwk_create_oct_random(256, &err);
	assert_non_null(oct);
	t = token(oct, "HS256", claims);
	assert_int_equal(oidc_token_check(jwks, strlen(jwks), t, &e, &c, why,
			     sizeof(why)),
	    1);
	assert_string_equal(why, "signature");
	/* alg none: the good token's claims, header swapped, no signature. */
	free(t);
	t = token(key, "RS256", claims);
	dot = strchr(t, '.');
	snprintf(none, sizeof(none), "eyJhbGciOiJub25lIn0%.*s.",
	    (int)(strrchr(t, '.') - dot), dot);
	assert_int_equal(oidc_token_check(jwks, strlen(jwks), none, &e, &c, why,
			     sizeof(why)),
	    1);
	assert_int_equal(oidc_token_check(jwks, strlen(jwks), "pas.un.jeton",
			     &e, &c, why, sizeof(why)),
	    1);
	free(t);
	cjose_jwk_release(oct);
}

static void
test_list_has(void **state)
{
	(void)state;
	assert_true(oidc_list_has("candidate, user", "user"));
	assert_true(oidc_list_has("candidate,user", "candidate"));
	assert_false(oidc_list_has("candidate, user", "use"));
	assert_false(oidc_list_has("", "user"));
	assert_false(oidc_list_has("school_admin", "school"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_token),
		cmocka_unit_test(test_each_claim_checked),
		cmocka_unit_test(test_signature_checked),
		cmocka_unit_test(test_list_has),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
