/*
 * keyring.h - the master key, in versions, read from a file at start-up.
 *
 * The master key never enters the database and is never logged. Its only
 * use is to wrap data keys (keystore.h): every version derives one
 * wrapping key with crypto_kdf. The file holds one line per version,
 * "VERSION HEX64", '#' starting a comment; the highest version is
 * current. Key bytes live in guarded memory (sodium_malloc) and are wiped
 * when the keyring is freed.
 */
#ifndef CRENEAU_KEYRING_H
#define CRENEAU_KEYRING_H

#include <stddef.h>
#include <stdint.h>

#define KEY_BYTES 32

/* A 256-bit symmetric key. Keep it in memory from sodium_malloc() or wipe
 * it with sodium_memzero() when done. */
struct data_key {
	unsigned char k[KEY_BYTES];
};

struct keyring;

/*
 * Loads the master key file at path. Refuses a file that is not regular,
 * is readable or writable by group or others, or holds a malformed line
 * (the message names the line, never its content). Returns 0, or -1 with a
 * reason in err.
 */
int keyring_load(const char *path, struct keyring **out, char *err,
    size_t errlen);

/* Creates a new master key file (mode 0600) with version 1 from the
 * CSPRNG. Refuses to overwrite an existing file. Returns 0 or -1. */
int keyring_create(const char *path, char *err, size_t errlen);

/* Adds version current+1 to the file, rewritten atomically (temporary
 * file, fsync, rename). *version receives it. Returns 0 or -1. */
int keyring_add_version(const char *path, uint32_t *version, char *err,
    size_t errlen);

/* Removes version v from the file (atomically); refuses to remove the
 * current version. Returns 0 or -1. */
int keyring_retire_version(const char *path, uint32_t v, char *err,
    size_t errlen);

/* Re-reads the file (after a rotation by another process). Thread-safe.
 * Returns 0 or -1 (the keyring is then unchanged). */
int keyring_reload(struct keyring *kr, char *err, size_t errlen);

/* Returns the current (highest) version. */
uint32_t keyring_current(struct keyring *kr);

/* Writes the wrapping key of version v into out. Returns 0, or -1 if the
 * version is unknown. Thread-safe. */
int keyring_wrap_key(struct keyring *kr, uint32_t v, struct data_key *out);

/*
 * Writes the versions the keyring holds, lowest first, into out (room for
 * max) and returns how many there are (possibly more than max, of which
 * only max were written). Thread-safe.
 */
size_t keyring_versions(struct keyring *kr, uint32_t *out, size_t max);

/* Wipes and frees. NULL does nothing. */
void keyring_free(struct keyring *kr);

#endif
