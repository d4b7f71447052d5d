/* test_password.c - src/auth/password.c: argon2id hashing, rehash, and the
 * strength rule (length, UTF-8, context words, guessability). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth/password.h"

/* 74 bits by zxcvbn: comfortably strong. */
#define STRONG "q8#Lm2!vZx9@"

static int
group_setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

/* Runs the strength rule on a C string; checks that a refusal explains
 * itself with `rule` and does not echo the password. */
static int
strength(const char *pw, const char *const *ctx, const char *rule)
{
	char why[256];
	int r;

	memset(why, 'X', sizeof(why));
	r = password_check_strength(pw, strlen(pw), ctx, why, sizeof(why));
	if (r == 0) {
		assert_string_equal(why, "");
		return 0;
	}
	assert_int_equal(r, -1);
	if (rule != NULL)
		assert_non_null(strstr(why, rule));
	if (strlen(pw) > 0)
		assert_null(strstr(why, pw));
	return r;
}

static void
test_hash_round_trip(void **state)
{
	char h1[PASSWORD_HASH_BYTES], h2[PASSWORD_HASH_BYTES];
	const char *pw = "cheval-agrafe-pile-correcte";

	(void)state;
	assert_int_equal(password_hash(pw, strlen(pw), h1), 0);
	assert_int_equal(strncmp(h1, "$argon2id$v=19$m=65536,t=3,p=1$", 31), 0);
	assert_int_equal(password_verify(h1, pw, strlen(pw)), 0);
	/* A fresh salt every time. */
	assert_int_equal(password_hash(pw, strlen(pw), h2), 0);
	assert_string_not_equal(h1, h2);
	assert_int_equal(password_verify(h2, pw, strlen(pw)), 0);
	/* Wrong, shorter and longer passwords fail. */
	assert_int_equal(password_verify(h1, "cheval-agrafe-pile-correctE",
			     strlen(pw)),
	    -1);
	assert_int_equal(password_verify(h1, pw, strlen(pw) - 1), -1);
	assert_int_equal(password_verify(h1, "cheval-agrafe-pile-correcte!",
			     strlen(pw) + 1),
	    -1);
	assert_int_equal(password_needs_rehash(h1), 0);
}

static void
test_hash_length_is_exact(void **state)
{
	/* The bytes after a NUL count: nothing is truncated. */
	static const char a[] = "prefix-commun\0suite-A";
	static const char b[] = "prefix-commun\0suite-B";
	char h[PASSWORD_HASH_BYTES];

	(void)state;
	assert_int_equal(password_hash(a, sizeof(a) - 1, h), 0);
	assert_int_equal(password_verify(h, a, sizeof(a) - 1), 0);
	assert_int_equal(password_verify(h, b, sizeof(b) - 1), -1);
	assert_int_equal(password_verify(h, a, strlen(a)), -1);
}

static void
test_hash_refusals(void **state)
{
	char big[PASSWORD_MAX_BYTES + 1], h[PASSWORD_HASH_BYTES];
	char unterminated[PASSWORD_HASH_BYTES + 8];

	(void)state;
	memset(big, 'a', sizeof(big));
	h[0] = 'x';
	h[1] = '\0';
	assert_int_equal(password_hash(big, sizeof(big), h), -1);
	assert_string_equal(h, "");
	assert_int_equal(password_hash(big, PASSWORD_MAX_BYTES, h), 0);
	assert_int_equal(password_verify(h, big, PASSWORD_MAX_BYTES), 0);
	assert_int_equal(password_verify(h, big, sizeof(big)), -1);
	assert_int_equal(password_verify(NULL, "x", 1), -1);
	assert_int_equal(password_verify("", "x", 1), -1);
	assert_int_equal(password_verify("$argon2id$garbage", "x", 1), -1);
	memset(unterminated, '$', sizeof(unterminated));
	assert_int_equal(password_verify(unterminated, "x", 1), -1);
	assert_int_equal(password_needs_rehash(unterminated), -1);
	assert_int_equal(password_needs_rehash(NULL), -1);
	assert_int_equal(password_needs_rehash("not a hash"), -1);
}

static void
test_needs_rehash(void **state)
{
	char h[PASSWORD_HASH_BYTES];
	const char *pw = "ancien-parametres-faibles";

	(void)state;
	/* Made with the old OWASP minimum: still verifies, asks a rehash. */
	assert_int_equal(crypto_pwhash_str(h, pw, strlen(pw), 2,
			     (size_t)19 * 1024 * 1024),
	    0);
	assert_int_equal(password_verify(h, pw, strlen(pw)), 0);
	assert_int_equal(password_needs_rehash(h), 1);
	/* An argon2i hash still verifies and asks to become argon2id. */
	assert_int_equal(crypto_pwhash_argon2i_str(h, pw, strlen(pw), 3,
			     (size_t)8 * 1024 * 1024),
	    0);
	assert_int_equal(password_verify(h, pw, strlen(pw)), 0);
	assert_int_equal(password_needs_rehash(h), 1);
}

static void
test_strength_length(void **state)
{
	char big[PASSWORD_MAX_BYTES + 2];
	char why[256];
	size_t i;

	(void)state;
	assert_int_equal(strength("", NULL, "au moins 12 caractères"), -1);
	assert_int_equal(strength("q8#Lm2!vZx9", NULL,
			     "au moins 12 caractères"),
	    -1);
	assert_int_equal(strength(STRONG, NULL, NULL), 0);
	assert_int_equal(password_check_strength(NULL, 0, NULL, why,
			     sizeof(why)),
	    -1);

	/* Exactly the maximum passes; one more byte is refused, not cut. */
	for (i = 0; i < sizeof(big); i++)
		big[i] =
		    "abcdefghijklmnopqrstuvwxyz0123456789"[(i * 7 + i / 3) %
			36];
	assert_int_equal(password_check_strength(big, PASSWORD_MAX_BYTES, NULL,
			     why, sizeof(why)),
	    0);
	assert_int_equal(password_check_strength(big, PASSWORD_MAX_BYTES + 1,
			     NULL, why, sizeof(why)),
	    -1);
	assert_non_null(strstr(why, "1024"));
}

static void
test_strength_uses_given_length(void **state)
{
	const char *pw = "password1234" STRONG;
	char why[256];

	(void)state;
	/* Only the bytes given are judged: the weak prefix alone fails. */
	assert_int_equal(password_check_strength(pw, 12, NULL, why,
			     sizeof(why)),
	    -1);
	assert_non_null(strstr(why, "trop facile à deviner"));
	assert_int_equal(password_check_strength(pw, strlen(pw), NULL, why,
			     sizeof(why)),
	    0);
	/* An embedded NUL is refused rather than silently cutting the
	 * password short. */
	assert_int_equal(password_check_strength(STRONG "\0" STRONG,
			     sizeof(STRONG) * 2 - 1, NULL, why, sizeof(why)),
	    -1);
	assert_non_null(strstr(why, "UTF-8"));
}

static void
test_strength_utf8(void **state)
{
	(void)state;
	assert_int_equal(strength("soleil-marteau-vélo-orage", NULL, NULL), 0);
	assert_int_equal(strength("Élan vital, 𝄞 et œuvre !", NULL, NULL), 0);
	assert_int_equal(strength(STRONG "\xff", NULL, "UTF-8"), -1);
	assert_int_equal(strength(STRONG "\xc0\xaf", NULL, "UTF-8"), -1);
	assert_int_equal(strength(STRONG "\xe0\x80\xaf", NULL, "UTF-8"), -1);
	assert_int_equal(strength(STRONG "\xed\xa0\x80", NULL, "UTF-8"), -1);
	assert_int_equal(strength(STRONG "\xf4\x90\x80\x80", NULL, "UTF-8"),
	    -1);
	assert_int_equal(strength(STRONG "\xc3", NULL, "UTF-8"), -1);
	assert_int_equal(strength(STRONG "\xe2\x82", NULL, "UTF-8"), -1);
	assert_int_equal(strength(STRONG "\x80", NULL, "UTF-8"), -1);
}

static void
test_strength_guessable(void **state)
{
	(void)state;
	assert_int_equal(strength("password1234", NULL,
			     "trop facile à deviner"),
	    -1);
	assert_int_equal(strength("123456789012", NULL,
			     "trop facile à deviner"),
	    -1);
	assert_int_equal(strength("aaaaaaaaaaaaaaaaaaaa", NULL,
			     "trop facile à deviner"),
	    -1);
	assert_int_equal(strength("qwertyuiopasdf", NULL,
			     "trop facile à deviner"),
	    -1);
	assert_int_equal(strength("Tr0ub4dour&3xyz", NULL,
			     "trop facile à deviner"),
	    -1);
	/* No composition rule: lower-case words alone can be strong. */
	assert_int_equal(strength("jaimelesfraisesdesbois", NULL, NULL), 0);
}

static void
test_strength_context(void **state)
{
	const char *ctx[] = { "Hélène", "Dupont", "Lycée Jean-Moulin",
		"helene.dupont@exemple.fr", "Bo", NULL };
	const char *rule = "ne doit pas contenir votre nom ou celui de "
			   "l'établissement";

	(void)state;
	assert_int_equal(strength("Xq7!dupont#Kz93vB", ctx, rule), -1);
	assert_int_equal(strength("Xq7!DUPONT#Kz93vB", ctx, rule), -1);
	/* Accents and case do not hide a name. */
	assert_int_equal(strength("HELENE-marteau-orage-velo", ctx, rule), -1);
	assert_int_equal(strength("mon-lycee-est-le-meilleur-7", ctx, rule),
	    -1);
	assert_int_equal(strength("Vive-jeanMOULIN-et-la-mer-7", ctx, rule),
	    -1);
	assert_int_equal(strength("trois-EXEMPLE-soleils-rouges", ctx, rule),
	    -1);
	/* Words shorter than four characters are not looked for. */
	assert_int_equal(strength("Bo-soleil-marteau-orage", ctx, NULL), 0);
	/* Unrelated strong passwords pass with the same context. */
	assert_int_equal(strength(STRONG, ctx, NULL), 0);
	assert_int_equal(strength("soleil-marteau-vélo-orage", ctx, NULL), 0);
}

static void
test_strength_service_name(void **state)
{
	const char *rule = "nom du service";

	(void)state;
	assert_int_equal(strength("mon-Créneau-favori-du-mardi", NULL, rule),
	    -1);
	assert_int_equal(strength("CRENEAU-pour-toujours-99!", NULL, rule), -1);
}

static void
test_strength_many_context_words(void **state)
{
	char words[40][16];
	const char *ctx[41];
	size_t i;

	(void)state;
	for (i = 0; i < 40; i++) {
		snprintf(words[i], sizeof(words[i]), "motcle%02zu", i);
		ctx[i] = words[i];
	}
	ctx[40] = NULL;
	/* Past PASSWORD_CONTEXT_MAX, containment is still checked. */
	assert_int_equal(strength("zz-motcle39-tigre-lune-9!", ctx,
			     "votre nom"),
	    -1);
	assert_int_equal(strength(STRONG, ctx, NULL), 0);
}

static void
test_strength_why_buffer(void **state)
{
	char why[8];

	(void)state;
	/* No buffer, or a short one: still a verdict, still terminated. */
	assert_int_equal(password_check_strength("court", 5, NULL, NULL, 0),
	    -1);
	assert_int_equal(password_check_strength(STRONG, strlen(STRONG), NULL,
			     NULL, 0),
	    0);
	assert_int_equal(password_check_strength("password1234", 12, NULL, why,
			     sizeof(why)),
	    -1);
	assert_int_equal(strlen(why), sizeof(why) - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_round_trip),
		cmocka_unit_test(test_hash_length_is_exact),
		cmocka_unit_test(test_hash_refusals),
		cmocka_unit_test(test_needs_rehash),
		cmocka_unit_test(test_strength_length),
		cmocka_unit_test(test_strength_uses_given_length),
		cmocka_unit_test(test_strength_utf8),
		cmocka_unit_test(test_strength_guessable),
		cmocka_unit_test(test_strength_context),
		cmocka_unit_test(test_strength_service_name),
		cmocka_unit_test(test_strength_many_context_words),
		cmocka_unit_test(test_strength_why_buffer),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
