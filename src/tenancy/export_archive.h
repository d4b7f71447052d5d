/*
 * export_archive.h - the container of a client organisation's export
 * (docs/tenant-export.md): entries written one after the other into a
 * stream encrypted with libsodium's secretstream (XChaCha20-Poly1305)
 * under a key derived from the organisation's passphrase (Argon2id).
 *
 * File, integers big-endian:
 *   "CRENEAU-EXPORT" (14 bytes) | format (1 byte, 0x01)
 *   | key (1 byte): 0x01, from a passphrase (Argon2id v1.3):
 *       opslimit (uint64) | memlimit (uint64, bytes) | salt (16 bytes)
 *     or 0x02, for a public key (X25519): the archive key in a sealed
 *       box (crypto_box_seal, 80 bytes)
 *   | secretstream header (24 bytes) | chunks
 * The clear stream is cut into chunks of EXPORT_CHUNK bytes; each is
 * stored as its secretstream ciphertext (chunk + 17 bytes); the header
 * bytes are the associated data of the first chunk; the last chunk, and
 * only it, carries TAG_FINAL, and nothing follows it.
 *
 * The clear stream is a list of entries, each
 *   name length (uint16, 1..255) | name (UTF-8, [A-Za-z0-9._-])
 *   | pieces: length (uint32, 1..EXPORT_CHUNK) | bytes ...
 *   | a piece length of 0 ending the entry
 * and a name length of 0 ending the list. manifest.json is the last
 * entry; it holds the SHA-256 of every other entry.
 *
 * Pure: files are FILE streams the caller opens; no store.
 */
#ifndef CRENEAU_TENANCY_EXPORT_ARCHIVE_H
#define CRENEAU_TENANCY_EXPORT_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EXPORT_MAGIC "CRENEAU-EXPORT"
#define EXPORT_FORMAT 0x01
#define EXPORT_KDF_ARGON2ID13 0x01
#define EXPORT_KEY_SEALED_BOX 0x02
#define EXPORT_PUBLIC_KEY_BYTES 32
#define EXPORT_BOX_BYTES 80 /* crypto_box_SEALBYTES + the key */
#define EXPORT_CHUNK 65536
#define EXPORT_SALT_BYTES 16
#define EXPORT_KEY_BYTES 32
#define EXPORT_HEADER_BYTES (14 + 1 + 1 + 8 + 8 + EXPORT_SALT_BYTES + 24)
#define EXPORT_HEADER_BOX_BYTES (14 + 1 + 1 + EXPORT_BOX_BYTES + 24)
#define EXPORT_HEADER_MAX EXPORT_HEADER_BOX_BYTES
#define EXPORT_NAME_MAX 255
#define EXPORT_PASSPHRASE_MIN 12 /* characters (bytes of UTF-8, at least) */
#define EXPORT_PASSPHRASE_MAX 1024

/* How the archive key is given in the header: derived from a passphrase
 * (mode EXPORT_KDF_ARGON2ID13: salt and limits), or sealed for a public
 * key (EXPORT_KEY_SEALED_BOX: box). */
struct export_kdf {
	int mode;
	unsigned char salt[EXPORT_SALT_BYTES];
	uint64_t opslimit, memlimit;
	unsigned char box[EXPORT_BOX_BYTES];
};

/* Makes a random archive key into key and seals it for the X25519
 * public key pk into k (mode EXPORT_KEY_SEALED_BOX). Returns 0 or -1. */
int export_key_for(const unsigned char pk[EXPORT_PUBLIC_KEY_BYTES],
    struct export_kdf *k, unsigned char key[EXPORT_KEY_BYTES]);

/* Fills k with a fresh salt and the product's limits (interactive
 * Argon2id: a few tenths of a second, 64 MiB). */
void export_kdf_new(struct export_kdf *k);

/* Derives the archive key from pass (n bytes) with k's parameters.
 * Returns 0, or -1 (limits out of range, out of memory). */
int export_kdf_derive(const struct export_kdf *k, const char *pass, size_t n,
    unsigned char key[EXPORT_KEY_BYTES]);

struct export_writer;

/* Starts an archive on out: writes the header for k and key. Returns a
 * writer, or NULL. */
struct export_writer *export_writer_new(FILE *out, const struct export_kdf *k,
    const unsigned char key[EXPORT_KEY_BYTES]);

/* Starts entry name. Returns 0 or -1 (bad name, an entry open, error). */
int export_entry_begin(struct export_writer *w, const char *name);

/* Appends n bytes to the open entry. Returns 0 or -1. */
int export_entry_write(struct export_writer *w, const void *p, size_t n);

/* Appends the NUL-terminated s to the open entry. Returns 0 or -1. */
int export_entry_puts(struct export_writer *w, const char *s);

/* Ends the open entry; its SHA-256 in hex (64 digits and a NUL) goes to
 * sha_hex, its size to *bytes (either may be NULL). Returns 0 or -1. */
int export_entry_end(struct export_writer *w, char sha_hex[65],
    uint64_t *bytes);

/* Ends the list and the stream (TAG_FINAL), flushes out, frees w (also
 * on error). *file_bytes (may be NULL) receives the archive's size.
 * Returns 0 or -1. */
int export_writer_finish(struct export_writer *w, uint64_t *file_bytes);

/* Frees w without finishing (an abandoned archive). NULL does nothing. */
void export_writer_free(struct export_writer *w);

/*
 * Reads the archive in, derives its key from pass and calls fn for each
 * entry: begin (p NULL, n 0, name set), each piece (p, n), then end
 * (p NULL, n 0, last 1). fn returns 0 to go on. Fails (-1, why in err)
 * on a wrong passphrase or altered file (the first chunk does not open),
 * a truncated or altered stream, bytes after the final chunk, or a
 * malformed entry list. Returns 0 or -1.
 */
typedef int (*export_entry_fn)(void *arg, const char *name, const void *p,
    size_t n, int last);
int export_read(FILE *in, const char *pass, size_t passlen, export_entry_fn fn,
    void *arg, char *err, size_t errlen);

/* The same for an archive sealed for a public key, opened with its X25519
 * secret key sk. */
int export_read_sk(FILE *in, const unsigned char sk[EXPORT_PUBLIC_KEY_BYTES],
    export_entry_fn fn, void *arg, char *err, size_t errlen);

#endif
