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
 * A missing master key is refused with the command that creates one.
 * Returns 0, or -1 with a one-line reason in err (keys then freed).
 */
int app_keys_open(struct app_keys *k, const struct config *cfg, char *err,
    size_t errlen);

/*
 * Creates what is missing of the instance's key material: the master key
 * file (version 1) and the audit signing key, both mode 0600, in
 * directories of mode 0700. *created receives how many files were made.
 * Existing files are left alone. Returns 0, or -1 with a reason in err.
 */
int app_keys_init(const struct config *cfg, int *created, char *err,
    size_t errlen);

/* Wipes and frees everything app_keys_open obtained. Safe on a zeroed
 * struct. */
void app_keys_close(struct app_keys *k);

#endif
