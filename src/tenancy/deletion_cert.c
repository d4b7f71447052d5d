/* deletion_cert.c - signing and checking a deletion certificate. */
#include "tenancy/deletion_cert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* The bytes signed: the object without "signature", compact, sorted. */
static char *
signed_text(const json_t *cert)
{
	json_t *copy = json_deep_copy(cert);
	char *s;

	if (copy == NULL)
		return NULL;
	json_object_del(copy, "signature");
	s = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
	return s;
}

char *
deletion_cert_sign(json_t *body, const unsigned char sk[64],
    const unsigned char pk[32])
{
	unsigned char sig[crypto_sign_BYTES];
	char pkhex[65], sighex[crypto_sign_BYTES * 2 + 1];
	char *msg;

	sodium_bin2hex(pkhex, sizeof(pkhex), pk, 32);
	if (json_object_set_new(body, "public_key", json_string(pkhex)) != 0 ||
	    (msg = signed_text(body)) == NULL)
		return NULL;
	crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg),
	    sk);
	free(msg);
	sodium_bin2hex(sighex, sizeof(sighex), sig, sizeof(sig));
	if (json_object_set_new(body, "signature", json_string(sighex)) != 0)
		return NULL;
	return json_dumps(body, JSON_INDENT(2) | JSON_SORT_KEYS);
}

static int
hex_exact(const char *hex, unsigned char *out, size_t n)
{
	size_t got = 0;

	if (hex == NULL || strlen(hex) != n * 2 ||
	    sodium_hex2bin(out, n, hex, n * 2, NULL, &got, NULL) != 0)
		return -1;
	return got == n ? 0 : -1;
}

int
deletion_cert_verify(const char *text, size_t len, const unsigned char *pk,
    char *why, size_t whylen)
{
	unsigned char sig[crypto_sign_BYTES], named[32];
	json_error_t jerr;
	json_t *cert;
	char *msg = NULL;
	int rc = 1;

	cert = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (cert == NULL || !json_is_object(cert)) {
		snprintf(why, whylen, "not a certificate: %s",
		    cert == NULL ? jerr.text : "not a JSON object");
		goto done;
	}
	if (hex_exact(json_string_value(json_object_get(cert, "signature")),
		sig, sizeof(sig)) != 0 ||
	    hex_exact(json_string_value(json_object_get(cert, "public_key")),
		named, sizeof(named)) != 0) {
		snprintf(why, whylen,
		    "signature or public_key missing or not hex");
		goto done;
	}
	if (pk != NULL && sodium_memcmp(pk, named, sizeof(named)) != 0) {
		snprintf(why, whylen,
		    "public_key: not this instance's signing key");
		goto done;
	}
	if ((msg = signed_text(cert)) == NULL) {
		rc = -1;
		goto done;
	}
	if (crypto_sign_verify_detached(sig, (const unsigned char *)msg,
		strlen(msg), named) != 0) {
		snprintf(why, whylen, "signature: does not match the content");
		goto done;
	}
	rc = 0;
done:
	free(msg);
	json_decref(cert);
	return rc;
}
