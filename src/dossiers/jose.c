/* jose.c - shapes of JWE and JWK sent by the browser (jose.h). */
#include "dossiers/jose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

/* Decoded length of base64url s (no padding), or -1 if it is not. */
static long
b64url_len(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0, slen;
	unsigned char *tmp = out;
	int own = 0;

	if (s == NULL || (slen = strlen(s)) == 0)
		return -1;
	if (tmp == NULL) {
		max = slen;
		if ((tmp = malloc(max)) == NULL)
			return -1;
		own = 1;
	}
	if (sodium_base642bin(tmp, max, s, slen, NULL, &n, NULL,
		sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		n = (size_t)-1;
	if (own)
		free(tmp);
	return n == (size_t)-1 ? -1 : (long)n;
}

static int
only_keys(json_t *o, const char *const *allowed, size_t n)
{
	const char *k;
	json_t *v;
	size_t i;

	json_object_foreach (o, k, v) {
		for (i = 0; i < n && strcmp(k, allowed[i]) != 0; i++)
			;
		if (i == n)
			return -1;
	}
	return 0;
}

static int
protected_ok(const char *b64)
{
	unsigned char buf[256];
	long n = b64url_len(b64, buf, sizeof(buf) - 1);
	static const char *const allowed[] = { "alg", "enc" };
	json_t *h;
	int rc = -1;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if ((h = json_loadb((const char *)buf, (size_t)n, 0, NULL)) == NULL)
		return -1;
	if (json_is_object(h) && only_keys(h, allowed, 2) == 0 &&
	    json_is_string(json_object_get(h, "alg")) &&
	    strcmp(json_string_value(json_object_get(h, "alg")),
		"RSA-OAEP-256") == 0 &&
	    json_is_string(json_object_get(h, "enc")) &&
	    strcmp(json_string_value(json_object_get(h, "enc")), "A256GCM") ==
		0)
		rc = 0;
	json_decref(h);
	return rc;
}

static int
is_fingerprint(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != DOSSIER_FINGERPRINT_HEX - 1)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int
recipients_ok(json_t *list, char kids[][DOSSIER_FINGERPRINT_HEX], size_t *n)
{
	static const char *const allowed[] = { "header", "encrypted_key" };
	static const char *const hdr_allowed[] = { "kid" };
	json_t *r, *h;
	size_t i, j;
	const char *kid;

	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > JOSE_RECIPIENTS_MAX)
		return -1;
	json_array_foreach (list, i, r) {
		h = json_object_get(r, "header");
		if (!json_is_object(r) || only_keys(r, allowed, 2) != 0 ||
		    !json_is_object(h) || only_keys(h, hdr_allowed, 1) != 0)
			return -1;
		kid = json_string_value(json_object_get(h, "kid"));
		/* An RSA-2048 to 4096 wrapped key: 256 to 512 bytes. */
		if (!is_fingerprint(kid) ||
		    b64url_len(json_string_value(
				   json_object_get(r, "encrypted_key")),
			NULL, 0) < 256)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(kids[j], kid) == 0)
				return -1;
		memcpy(kids[i], kid, DOSSIER_FINGERPRINT_HEX);
	}
	*n = json_array_size(list);
	return 0;
}

enum dossier_code
jose_jwe_check(const char *text, size_t len,
    char kids[][DOSSIER_FINGERPRINT_HEX], size_t *n)
{
	static const char *const allowed[] = { "protected", "iv", "ciphertext",
		"tag", "recipients" };
	unsigned char small[16];
	json_t *j;
	int ok;

	*n = 0;
	if ((j = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return DOSSIER_JWE_INVALIDE;
	ok = json_is_object(j) && only_keys(j, allowed, 5) == 0 &&
	    protected_ok(json_string_value(json_object_get(j, "protected"))) ==
		0 &&
	    b64url_len(json_string_value(json_object_get(j, "iv")), small,
		sizeof(small)) == 12 &&
	    b64url_len(json_string_value(json_object_get(j, "tag")), small,
		sizeof(small)) == 16 &&
	    b64url_len(json_string_value(json_object_get(j, "ciphertext")),
		NULL, 0) >= 0 &&
	    recipients_ok(json_object_get(j, "recipients"), kids, n) == 0;
	json_decref(j);
	return ok ? DOSSIER_OK : DOSSIER_JWE_INVALIDE;
}

enum dossier_code
jose_jwk_check(const char *text, char *canonical,
    char fingerprint[DOSSIER_FINGERPRINT_HEX])
{
	static const char *const allowed[] = { "kty", "n", "e", "alg", "ext",
		"key_ops" };
	unsigned char hash[crypto_hash_sha256_BYTES], ebuf[8];
	const char *kty, *nn, *e, *alg;
	json_t *j;
	long bits, elen;
	int ok, len;

	if ((j = json_loads(text, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return DOSSIER_CLE_INVALIDE;
	kty = json_string_value(json_object_get(j, "kty"));
	nn = json_string_value(json_object_get(j, "n"));
	e = json_string_value(json_object_get(j, "e"));
	alg = json_string_value(json_object_get(j, "alg"));
	bits = 8 * b64url_len(nn, NULL, 0);
	elen = b64url_len(e, ebuf, sizeof(ebuf));
	ok = json_is_object(j) && only_keys(j, allowed, 6) == 0 &&
	    kty != NULL && strcmp(kty, "RSA") == 0 && bits >= 2048 &&
	    bits <= 4096 && elen > 0 &&
	    (json_object_get(j, "alg") == NULL ||
		(alg != NULL && strcmp(alg, "RSA-OAEP-256") == 0));
	if (ok) {
		len = snprintf(canonical, JOSE_JWK_MAX,
		    "{\"e\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\"}", e, nn);
		ok = len > 0 && len < JOSE_JWK_MAX;
	}
	json_decref(j);
	if (!ok)
		return DOSSIER_CLE_INVALIDE;
	crypto_hash_sha256(hash, (const unsigned char *)canonical,
	    strlen(canonical));
	sodium_bin2hex(fingerprint, DOSSIER_FINGERPRINT_HEX, hash,
	    sizeof(hash));
	return DOSSIER_OK;
}
