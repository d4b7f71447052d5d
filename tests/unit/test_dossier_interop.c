/*
 * test_dossier_interop.c - the standard, proven from outside: a document
 * encrypted by Chromium with the page's own code (web/js/jose.js, run by
 * tests/browser/jwe-fixture.mjs for the test key of tests/fixtures/) is a
 * JWE JSON serialisation that the server's shape check accepts, whose
 * "kid" is the key's RFC 7638 fingerprint, and that OpenSSL opens with the
 * private key alone (RSA-OAEP with SHA-256, then AES-256-GCM over the
 * protected header as additional data), giving back the bytes.
 *
 * cjose (Debian 12: 0.6.2.1) knows RSA-OAEP with SHA-1 only: it refuses
 * to import a JWE whose alg is RSA-OAEP-256, so OpenSSL stands in as the
 * independent implementation here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sodium.h>

#include "dossiers/jose.h"

#define FIX "tests/fixtures/"

static size_t
unb64url(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;

	assert_non_null(s);
	assert_int_equal(sodium_base642bin(out, max, s, strlen(s), NULL, &n,
			     NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
	    0);
	return n;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(65536);

	assert_non_null(f);
	assert_non_null(buf);
	*len = fread(buf, 1, 65535, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* The hex SHA-256 of the RFC 7638 form of key's public half. */
static void
thumbprint(EVP_PKEY *key, char out[65])
{
	BIGNUM *n = NULL, *e = NULL;
	unsigned char nb[512], eb[8], h[32];
	char ns[700], es[16], canon[800];

	assert_int_equal(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n),
	    1);
	assert_int_equal(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e),
	    1);
	sodium_bin2base64(ns, sizeof(ns), nb, (size_t)BN_bn2bin(n, nb),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2base64(es, sizeof(es), eb, (size_t)BN_bn2bin(e, eb),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(canon, sizeof(canon),
	    "{\"e\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\"}", es, ns);
	crypto_hash_sha256(h, (const unsigned char *)canon, strlen(canon));
	sodium_bin2hex(out, 65, h, sizeof(h));
	BN_free(n);
	BN_free(e);
}

static void
test_chromium_jwe_opens(void **state)
{
	char kids[JOSE_RECIPIENTS_MAX][DOSSIER_FINGERPRINT_HEX], fp[65];
	unsigned char ek[512], cek[512], iv[12], tag[16], ct[4096], pt[4096];
	size_t textlen, wantlen, nkids, ekl, cekl = sizeof(cek), ctl;
	char *text = slurp(FIX "dossier-chromium.jwe.json", &textlen);
	char *want = slurp(FIX "dossier-chromium.txt", &wantlen);
	FILE *f = fopen(FIX "dossier-test-key.pem", "r");
	EVP_PKEY *key;
	EVP_PKEY_CTX *ctx;
	EVP_CIPHER_CTX *c;
	json_t *j, *r;
	const char *prot;
	int n = 0, fin = 0;

	(void)state;
	assert_non_null(f);
	key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(key);
	/* What the server checks before it stores. */
	assert_int_equal(jose_jwe_check(text, textlen, kids, &nkids),
	    DOSSIER_OK);
	assert_int_equal(nkids, 1);
	thumbprint(key, fp);
	assert_string_equal(kids[0], fp);

	j = json_loadb(text, textlen, 0, NULL);
	assert_non_null(j);
	r = json_array_get(json_object_get(j, "recipients"), 0);
	prot = json_string_value(json_object_get(j, "protected"));
	ekl = unb64url(json_string_value(json_object_get(r, "encrypted_key")),
	    ek, sizeof(ek));
	ctx = EVP_PKEY_CTX_new(key, NULL);
	assert_non_null(ctx);
	assert_int_equal(EVP_PKEY_decrypt_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx,
			     RSA_PKCS1_OAEP_PADDING),
	    1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()), 1);
	assert_int_equal(EVP_PKEY_decrypt(ctx, cek, &cekl, ek, ekl), 1);
	EVP_PKEY_CTX_free(ctx);
	assert_int_equal(cekl, 32);
	assert_int_equal(unb64url(json_string_value(json_object_get(j, "iv")),
			     iv, sizeof(iv)),
	    12);
	assert_int_equal(unb64url(json_string_value(json_object_get(j, "tag")),
			     tag, sizeof(tag)),
	    16);
	ctl = unb64url(json_string_value(json_object_get(j, "ciphertext")), ct,
	    sizeof(ct));
	c = EVP_CIPHER_CTX_new();
	assert_int_equal(EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, cek,
			     iv),
	    1);
	assert_int_equal(EVP_DecryptUpdate(c, NULL, &n,
			     (const unsigned char *)prot, (int)strlen(prot)),
	    1);
	assert_int_equal(EVP_DecryptUpdate(c, pt, &n, ct, (int)ctl), 1);
	assert_int_equal(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag),
	    1);
	assert_int_equal(EVP_DecryptFinal_ex(c, pt + n, &fin), 1);
	EVP_CIPHER_CTX_free(c);
	assert_int_equal((size_t)(n + fin), wantlen);
	assert_memory_equal(pt, want, wantlen);
	json_decref(j);
	EVP_PKEY_free(key);
	free(text);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chromium_jwe_opens),
	};

	assert_true(sodium_init() >= 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
