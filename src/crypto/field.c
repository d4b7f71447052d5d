/*
 * field.c - sealed personal-data fields and blind indexes.
 *
 * The associated data of a sealed field is table NUL column NUL row_id
 * NUL and the key version as 4 bytes big-endian: the same bytes every
 * time for one place, different for any other place, and the version in
 * the clear header cannot be changed without the tag failing. The blind
 * index hashes "table NUL column NUL" before the value, under the index
 * key, so equal values in two columns give unrelated digests.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/field.h"

#define FIELD_NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define FIELD_HEADER (1 + 4)
/* Table, column and row id are identifiers: together they stay short. */
#define FIELD_AD_MAX 1024

/* Writes the associated data of (table, column, row_id, version) into ad.
 * Returns its length, or 0 if the names are missing or too long. */
static size_t
field_ad(unsigned char ad[FIELD_AD_MAX], const char *table, const char *column,
    const char *row_id, uint32_t v)
{
	const char *part[3] = { table, column, row_id };
	size_t i, n, len = 0;

	for (i = 0; i < 3; i++) {
		if (part[i] == NULL)
			return 0;
		n = strlen(part[i]);
		if (n + 1 > FIELD_AD_MAX - 4 - len)
			return 0;
		memcpy(ad + len, part[i], n + 1);
		len += n + 1;
	}
	ad[len++] = (unsigned char)(v >> 24);
	ad[len++] = (unsigned char)(v >> 16);
	ad[len++] = (unsigned char)(v >> 8);
	ad[len++] = (unsigned char)v;
	return len;
}

int
field_seal(const struct data_key *key, uint32_t key_version, const char *table,
    const char *column, const char *row_id, const void *pt, size_t ptlen,
    unsigned char **out, size_t *outlen)
{
	static const unsigned char empty[1];
	unsigned char ad[FIELD_AD_MAX], *c;
	size_t adlen;

	*out = NULL;
	*outlen = 0;
	if (key == NULL || (pt == NULL && ptlen > 0) ||
	    ptlen > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX ||
	    ptlen > SIZE_MAX - FIELD_OVERHEAD)
		return -1;
	adlen = field_ad(ad, table, column, row_id, key_version);
	if (adlen == 0 || (c = malloc(ptlen + FIELD_OVERHEAD)) == NULL)
		return -1;
	c[0] = FIELD_FORMAT;
	memcpy(c + 1, ad + adlen - 4, 4);
	randombytes_buf(c + FIELD_HEADER, FIELD_NONCE);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(c + FIELD_HEADER +
		    FIELD_NONCE,
		NULL, ptlen > 0 ? pt : empty, ptlen, ad, adlen, NULL,
		c + FIELD_HEADER, key->k) != 0) {
		free(c);
		return -1;
	}
	*out = c;
	*outlen = ptlen + FIELD_OVERHEAD;
	return 0;
}

int
field_key_version(const unsigned char *ct, size_t ctlen, uint32_t *v)
{
	if (ct == NULL || ctlen < FIELD_OVERHEAD || ct[0] != FIELD_FORMAT)
		return -1;
	*v = (uint32_t)ct[1] << 24 | (uint32_t)ct[2] << 16 |
	    (uint32_t)ct[3] << 8 | (uint32_t)ct[4];
	return 0;
}

int
field_open(const struct data_key *key, const char *table, const char *column,
    const char *row_id, const unsigned char *ct, size_t ctlen, char **pt,
    size_t *ptlen)
{
	unsigned char ad[FIELD_AD_MAX];
	size_t adlen, n;
	uint32_t v;
	char *p;

	*pt = NULL;
	*ptlen = 0;
	if (key == NULL || field_key_version(ct, ctlen, &v) != 0)
		return -1;
	adlen = field_ad(ad, table, column, row_id, v);
	if (adlen == 0)
		return -1;
	n = ctlen - FIELD_OVERHEAD;
	if ((p = malloc(n + 1)) == NULL)
		return -1;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)p, NULL,
		NULL, ct + FIELD_HEADER + FIELD_NONCE,
		ctlen - FIELD_HEADER - FIELD_NONCE, ad, adlen,
		ct + FIELD_HEADER, key->k) != 0) {
		field_free(p, n);
		return -1;
	}
	p[n] = '\0';
	*pt = p;
	*ptlen = n;
	return 0;
}

void
field_free(char *p, size_t n)
{
	if (p == NULL)
		return;
	sodium_memzero(p, n);
	free(p);
}

int
field_blind_index(const struct data_key *index_key, const char *table,
    const char *column, const void *value, size_t n, char out[BLIND_INDEX_HEX])
{
	crypto_generichash_state h;
	unsigned char d[32];
	int rc = -1;

	out[0] = '\0';
	if (index_key == NULL || table == NULL || column == NULL ||
	    (value == NULL && n > 0))
		return -1;
	if (crypto_generichash_init(&h, index_key->k, KEY_BYTES, sizeof(d)) !=
		0 ||
	    crypto_generichash_update(&h, (const unsigned char *)table,
		strlen(table) + 1) != 0 ||
	    crypto_generichash_update(&h, (const unsigned char *)column,
		strlen(column) + 1) != 0 ||
	    (n > 0 && crypto_generichash_update(&h, value, n) != 0) ||
	    crypto_generichash_final(&h, d, sizeof(d)) != 0)
		goto done;
	sodium_bin2hex(out, BLIND_INDEX_HEX, d, sizeof(d));
	rc = 0;
done:
	sodium_memzero(&h, sizeof(h));
	sodium_memzero(d, sizeof(d));
	return rc;
}
