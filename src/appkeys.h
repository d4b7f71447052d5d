/*
 * appkeys.h - the keys a running server holds: the master keyring, the
 * keystore, the system:audit data key and the audit signing key.
 */
#ifndef CRENEAU_APPKEYS_H
#define CRENEAU_APPKEYS_H

#include <stddef.h>

#include "core/config.h"
#include "crypto/keyring.h"
#include "crypto/keystore.h"

struct app_keys {
	struct keyring *keyring;
	struct keystore *keystore;
	struct data_key *audit; /* guarded memory */
	unsigned char *audit_sk; /* Ed25519 secret key, guarded memory */
	unsigned char audit_pk[32];
};

/*
 * Loads [keys] master_key_file, opens [keys] keystore, reads (creating on
 * first use) the system:audit key and reads [audit] signing_key_file.
 * Refused, with a one-line reason in err naming the file: a missing
 * master key (with the command that creates one on a new instance, or
 * "put it back" on an instance that has a keystore or records); a
 * missing or empty keystore while the database holds records
 * (app_db_in_use); a master key that does not open the keystore's keys;
 * a keystore readable by group or others. Returns 0, or -1 (keys then
 * freed).
 */
int app_keys_open(struct app_keys *k, const struct config *cfg, char *err,
    size_t errlen);

/*
 * Whether the database at [store] path holds records made under the
 * instance's keys (store_has_records). Returns 1, 0 (also when the file
 * does not exist: it is not created), or -1 when it cannot be read.
 */
int app_db_in_use(const struct config *cfg);

/*
 * Creates what is missing of the instance's key material: the master key
 * file (version 1) and the audit signing key, both mode 0600, in
 * directories of mode 0700. *created receives how many files were made.
 * Existing files are left alone. A master key is not created for an
 * instance that has a keystore or a database with records: it would not
 * open their keys. Returns 0, or -1 with a reason in err.
 */
int app_keys_init(const struct config *cfg, int *created, char *err,
    size_t errlen);

/* Wipes and frees everything app_keys_open obtained. Safe on a zeroed
 * struct. */
void app_keys_close(struct app_keys *k);

#endif
