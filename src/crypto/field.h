/*
 * field.h - encryption of personal-data fields, and blind indexes.
 *
 * A sealed field is XChaCha20-Poly1305 with associated data binding the
 * table, the column, the row id and the key version, so a ciphertext
 * copied into another row, column or table fails to open. Layout:
 * 1 byte format (0x01) | 4 bytes key version, big-endian | 24 bytes
 * nonce | ciphertext and 16-byte tag.
 */
#ifndef CRENEAU_FIELD_H
#define CRENEAU_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/keyring.h"

#define FIELD_FORMAT 0x01
#define FIELD_OVERHEAD (1 + 4 + 24 + 16)
#define BLIND_INDEX_HEX 65 /* 64 hex digits and NUL */

/*
 * Seals pt (ptlen bytes) under key. *out receives a malloc'ed buffer of
 * ptlen + FIELD_OVERHEAD bytes (free() it). Returns 0 or -1.
 */
int field_seal(const struct data_key *key, uint32_t key_version,
    const char *table, const char *column, const char *row_id, const void *pt,
    size_t ptlen, unsigned char **out, size_t *outlen);

/*
 * Opens a sealed field. *pt receives a NUL-terminated malloc'ed copy of
 * the plaintext (release it with field_free). Returns 0, or -1 if the
 * ciphertext is malformed, was made for another place or key, or was
 * altered.
 */
int field_open(const struct data_key *key, const char *table,
    const char *column, const char *row_id, const unsigned char *ct,
    size_t ctlen, char **pt, size_t *ptlen);

/* Reads the key version of a sealed field. Returns 0 or -1. */
int field_key_version(const unsigned char *ct, size_t ctlen, uint32_t *v);

/* Wipes n bytes of p and frees it. NULL does nothing. */
void field_free(char *p, size_t n);

/*
 * Blind index for exact-match search on an encrypted column: keyed
 * BLAKE2b-256 of the value under the index key, separated per table and
 * column so equal values in two columns do not match. out receives 64 hex
 * digits. Callers normalise the value first (trim, case) as the column's
 * rule says. Returns 0 or -1.
 */
int field_blind_index(const struct data_key *index_key, const char *table,
    const char *column, const void *value, size_t n, char out[BLIND_INDEX_HEX]);

#endif
