/* test_dossier.c - src/dossiers/dossier.c: states, required documents,
 * limits; src/dossiers/jose.c: the JWE and JWK shapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "dossiers/dossier.h"
#include "dossiers/jose.h"

static struct dossier_rules r;

static int
setup(void **state)
{
	(void)state;
	return dossier_rules_init(&r, "certificat_handicap, attestation_caf",
	    "attestation_competences", 1000, 3);
}

static void
test_config(void **state)
{
	struct dossier_rules x;

	(void)state;
	assert_int_equal(r.family_count, 2);
	assert_string_equal(r.family_types[1], "attestation_caf");
	assert_int_equal(dossier_rules_init(&x, "a,,b", "c", 10, 3), -1);
	assert_int_equal(dossier_rules_init(&x, "Certificat", "c", 10, 3), -1);
	assert_int_equal(dossier_rules_init(&x, "a,b,c,d", "c", 10, 3), -1);
	assert_int_equal(dossier_rules_init(&x, "", "", 10, 3), 0);
}

static void
test_add(void **state)
{
	(void)state;
	assert_int_equal(dossier_may_add(&r, DOSSIER_FAMILY, DOSSIER_BROUILLON,
			     "certificat_handicap", 1000, 0),
	    DOSSIER_OK);
	assert_int_equal(dossier_may_add(&r, DOSSIER_FAMILY,
			     DOSSIER_A_COMPLETER, "attestation_caf", 10, 2),
	    DOSSIER_OK);
	/* A volunteer's type is not a family's. */
	assert_int_equal(dossier_may_add(&r, DOSSIER_FAMILY, DOSSIER_BROUILLON,
			     "attestation_competences", 10, 0),
	    DOSSIER_TYPE_INCONNU);
	assert_int_equal(dossier_may_add(&r, DOSSIER_FAMILY, DOSSIER_BROUILLON,
			     "certificat_handicap", 1001, 0),
	    DOSSIER_TROP_VOLUMINEUX);
	assert_int_equal(dossier_may_add(&r, DOSSIER_FAMILY, DOSSIER_BROUILLON,
			     "certificat_handicap", 10, 3),
	    DOSSIER_TROP_DE_PIECES);
	assert_int_equal(dossier_may_add(&r, DOSSIER_FAMILY, DOSSIER_SOUMIS,
			     "certificat_handicap", 10, 0),
	    DOSSIER_ETAT_INVALIDE);
	assert_int_equal(dossier_may_add(&r, DOSSIER_FAMILY, DOSSIER_VALIDE,
			     "certificat_handicap", 10, 0),
	    DOSSIER_ETAT_INVALIDE);
}

static void
test_submit(void **state)
{
	const char *one[] = { "certificat_handicap" };
	const char *both[] = { "attestation_caf", "certificat_handicap" };
	const char *missing;

	(void)state;
	assert_int_equal(dossier_may_submit(&r, DOSSIER_FAMILY,
			     DOSSIER_BROUILLON, one, 1, &missing),
	    DOSSIER_PIECES_MANQUANTES);
	assert_string_equal(missing, "attestation_caf");
	assert_int_equal(dossier_may_submit(&r, DOSSIER_FAMILY,
			     DOSSIER_A_COMPLETER, both, 2, &missing),
	    DOSSIER_OK);
	assert_int_equal(dossier_may_submit(&r, DOSSIER_FAMILY, DOSSIER_SOUMIS,
			     both, 2, &missing),
	    DOSSIER_ETAT_INVALIDE);
}

static void
test_decide(void **state)
{
	enum dossier_state next;

	(void)state;
	assert_int_equal(dossier_decide(DOSSIER_SOUMIS, DECIDE_VALIDATE, NULL,
			     &next),
	    DOSSIER_OK);
	assert_int_equal(next, DOSSIER_VALIDE);
	assert_true(dossier_final(next));
	assert_int_equal(dossier_decide(DOSSIER_SOUMIS, DECIDE_REFUSE, "",
			     &next),
	    DOSSIER_COMMENTAIRE_REQUIS);
	assert_int_equal(dossier_decide(DOSSIER_SOUMIS, DECIDE_REFUSE,
			     "Pièce illisible", &next),
	    DOSSIER_OK);
	assert_int_equal(next, DOSSIER_REFUSE);
	assert_int_equal(dossier_decide(DOSSIER_SOUMIS, DECIDE_COMPLETE,
			     "Ajoutez l'attestation CAF", &next),
	    DOSSIER_OK);
	assert_int_equal(next, DOSSIER_A_COMPLETER);
	assert_false(dossier_final(next));
	assert_int_equal(dossier_decide(DOSSIER_BROUILLON, DECIDE_VALIDATE,
			     NULL, &next),
	    DOSSIER_ETAT_INVALIDE);
	assert_int_equal(dossier_decide(DOSSIER_VALIDE, DECIDE_REFUSE, "non",
			     &next),
	    DOSSIER_ETAT_INVALIDE);
}

/* A JWE text with protected header prot (JSON) and one recipient kid
 * with an encrypted key of ek_len bytes. */
static void
jwe(char *out, size_t n, const char *prot, const char *kid, size_t ek_len)
{
	unsigned char ek[512] = { 0 };
	char p64[200], e64[700];

	sodium_bin2base64(p64, sizeof(p64), (const unsigned char *)prot,
	    strlen(prot), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2base64(e64, sizeof(e64), ek, ek_len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(out, n,
	    "{\"protected\":\"%s\",\"recipients\":[{\"header\":{\"kid\":"
	    "\"%s\"},\"encrypted_key\":\"%s\"}],\"iv\":\"AAAAAAAAAAAAAAAA\","
	    "\"ciphertext\":\"AAAA\",\"tag\":\"AAAAAAAAAAAAAAAAAAAAAA\"}",
	    p64, kid, e64);
}

static void
test_jwe_shape(void **state)
{
	static const char good[] = "{\"alg\":\"RSA-OAEP-256\",\"enc\":"
				   "\"A256GCM\"}";
	char kids[JOSE_RECIPIENTS_MAX][DOSSIER_FINGERPRINT_HEX], text[2000];
	char kid[65];
	size_t n;

	(void)state;
	memset(kid, 'a', 64);
	kid[64] = '\0';
	jwe(text, sizeof(text), good, kid, 256);
	assert_int_equal(jose_jwe_check(text, strlen(text), kids, &n),
	    DOSSIER_OK);
	assert_int_equal(n, 1);
	assert_string_equal(kids[0], kid);
	/* RSA-OAEP (SHA-1), another enc, compression, a short key. */
	jwe(text, sizeof(text), "{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}",
	    kid, 256);
	assert_int_equal(jose_jwe_check(text, strlen(text), kids, &n),
	    DOSSIER_JWE_INVALIDE);
	jwe(text, sizeof(text),
	    "{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A128GCM\"}", kid, 256);
	assert_int_equal(jose_jwe_check(text, strlen(text), kids, &n),
	    DOSSIER_JWE_INVALIDE);
	jwe(text, sizeof(text),
	    "{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"zip\":\"DEF\"}",
	    kid, 256);
	assert_int_equal(jose_jwe_check(text, strlen(text), kids, &n),
	    DOSSIER_JWE_INVALIDE);
	jwe(text, sizeof(text), good, kid, 128);
	assert_int_equal(jose_jwe_check(text, strlen(text), kids, &n),
	    DOSSIER_JWE_INVALIDE);
	jwe(text, sizeof(text), good, "not-a-fingerprint", 256);
	assert_int_equal(jose_jwe_check(text, strlen(text), kids, &n),
	    DOSSIER_JWE_INVALIDE);
	assert_int_equal(jose_jwe_check("[]", 2, kids, &n),
	    DOSSIER_JWE_INVALIDE);
}

static void
test_jwk(void **state)
{
	unsigned char nb[256];
	char n64[400], text[800], canon[JOSE_JWK_MAX], fp[65];

	(void)state;
	memset(nb, 0xc3, sizeof(nb));
	sodium_bin2base64(n64, sizeof(n64), nb, sizeof(nb),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(text, sizeof(text),
	    "{\"kty\":\"RSA\",\"alg\":\"RSA-OAEP-256\",\"n\":\"%s\","
	    "\"e\":\"AQAB\",\"ext\":true}",
	    n64);
	assert_int_equal(jose_jwk_check(text, canon, fp), DOSSIER_OK);
	assert_non_null(
	    strstr(canon, "{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":"));
	assert_int_equal(strlen(fp), 64);
	/* A private key is refused. */
	snprintf(text, sizeof(text),
	    "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAB\",\"d\":\"AQAB\"}",
	    n64);
	assert_int_equal(jose_jwk_check(text, canon, fp), DOSSIER_CLE_INVALIDE);
	/* Too short a modulus. */
	assert_int_equal(jose_jwk_check("{\"kty\":\"RSA\",\"n\":\"AQAB\","
					"\"e\":\"AQAB\"}",
			     canon, fp),
	    DOSSIER_CLE_INVALIDE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_submit),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_jwe_shape),
		cmocka_unit_test(test_jwk),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
