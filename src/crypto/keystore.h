/*
 * keystore.h - data keys, one per person and one per system purpose,
 * wrapped by the master key and kept in their own database file.
 *
 * Personal data is encrypted under its owner's data key; destroying that
 * key (keystore_destroy) makes every copy of the data unreadable, in the
 * database and in its backups, which never include the keystore. Owners
 * are strings: "subject:<id>" for a data subject, "system:index" (blind
 * indexes), "system:audit" (audit details), "system:backup" (backups).
 */
#ifndef CRENEAU_KEYSTORE_H
#define CRENEAU_KEYSTORE_H

#include <stdint.h>

#include "crypto/keyring.h"

struct keystore;

/* Opens (creating, mode 0600) and migrates the keystore at path; kr must
 * outlive it. An existing file readable or writable by group or others is
 * refused, as the master key file is. Returns 0, or -1 with a reason in
 * err. */
int keystore_open(const char *path, struct keyring *kr, long busy_timeout_ms,
    struct keystore **out, char *err, size_t errlen);

/*
 * Checks that the keyring opens the keystore's keys: the first system key
 * found must unwrap. Returns 0 (also for a keystore without system keys),
 * or -1 with a one-line reason in err (another instance's master key, or
 * a file that lacks the version the keys are under). Logs nothing.
 */
int keystore_check_master(struct keystore *ks, char *err, size_t errlen);
struct store_config;

/* The same on the store sc names (its schema is set to the keystore's):
 * a SQLite file, or a PostgreSQL database of its own. */
int keystore_open_cfg(const struct store_config *sc, struct keyring *kr,
    struct keystore **out, char *err, size_t errlen);

/* Closes. NULL does nothing. */
void keystore_free(struct keystore *ks);

/*
 * Reads owner's data key into out, creating a random one first if create
 * is set and none exists. Returns 0, 1 if there is none (never created, or
 * destroyed: see keystore_destroyed), or -1 on error (unwrap failure
 * included). A key wrapped under a version the keyring does not hold
 * makes it reload the master key file once, so reads go on during a
 * rotation run by another process.
 */
int keystore_get(struct keystore *ks, const char *owner, int create,
    struct data_key *out);

/*
 * Creates, in one keystore transaction, a key for each of the n owners
 * that has none and was never destroyed (the others are left as they
 * are): a caller about to seal data of many new owners saves a disk sync
 * per owner. keystore_get with create set then reads them. Returns 0 or
 * -1.
 */
int keystore_prepare(struct keystore *ks, const char *const *owners, size_t n);

/*
 * Crypto-shredding: deletes owner's wrapped key, records a tombstone with
 * now_ms, and checkpoints so the key's bytes leave the disk. Returns 0
 * (also when there was no key), or -1.
 */
int keystore_destroy(struct keystore *ks, const char *owner, int64_t now_ms);

/* Returns 1 if owner's key was destroyed, 0 if not, -1 on error. */
int keystore_destroyed(struct keystore *ks, const char *owner);

/*
 * Re-wraps every key held under an older master version with the current
 * one, each in its own short transaction so readers are never blocked
 * long. Returns how many were re-wrapped, or -1.
 */
long keystore_rewrap(struct keystore *ks);

/* Returns how many keys are wrapped under master version v, or -1. */
long keystore_count_version(struct keystore *ks, uint32_t v);

/* Counts every key held and every tombstone into *keys and *destroyed.
 * Returns 0 or -1. */
int keystore_totals(struct keystore *ks, long *keys, long *destroyed);

#endif
