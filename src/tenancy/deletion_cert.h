/*
 * deletion_cert.h - the certificate of a client organisation's deletion:
 * a JSON object (the organisation, its dates, the rows deleted per
 * table, the keys destroyed, the audit chain's head after the deletion
 * entry) with the instance's Ed25519 public key ("public_key", hex) and
 * its signature ("signature", hex) over the object's compact text with
 * sorted keys and without "signature". Layout of the text does not
 * matter; any change of a name or a value breaks the signature. Pure
 * functions.
 */
#ifndef CRENEAU_DELETION_CERT_H
#define CRENEAU_DELETION_CERT_H

#include <stddef.h>

#include <jansson.h>

/*
 * Adds "public_key" (pk) and "signature" (made with sk, the 64-byte
 * secret key) to body and returns its indented text, to release with
 * free(), or NULL on failure. body is modified.
 */
char *deletion_cert_sign(json_t *body, const unsigned char sk[64],
    const unsigned char pk[32]);

/*
 * Checks certificate text (len bytes) against pk, the instance's public
 * key (NULL: the key the certificate names, which only proves it was not
 * changed since whoever holds that key signed it). Returns 0 when the
 * signature holds, 1 when it does not or the text is not a certificate
 * (why says which, one line), -1 on allocation failure.
 */
int deletion_cert_verify(const char *text, size_t len, const unsigned char *pk,
    char *why, size_t whylen);

#endif
