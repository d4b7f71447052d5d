/*
 * jose.h - the shape of what the browser sends: a document as a JWE JSON
 * serialisation (RFC 7516 section 7.2.1), a validator key as an RSA JWK
 * (RFC 7517). The server never decrypts; it checks the container is the
 * one promised (alg RSA-OAEP-256, enc A256GCM, no compression, one
 * recipient per key named by its fingerprint in "kid") so that any JOSE
 * library can open it with a validator's private key.
 *
 * Pure: no I/O.
 */
#ifndef CRENEAU_DOSSIERS_JOSE_H
#define CRENEAU_DOSSIERS_JOSE_H

#include <stddef.h>

#include "dossiers/dossier.h"

#define JOSE_RECIPIENTS_MAX 16
#define JOSE_JWK_MAX 1200 /* canonical JWK of a 4096-bit key, with NUL */

/*
 * Checks text (len bytes) is a JWE JSON serialisation: members
 * "protected" (base64url of {"alg":"RSA-OAEP-256","enc":"A256GCM"} and
 * nothing else), "iv", "ciphertext", "tag" (base64url, iv 12 and tag 16
 * bytes) and "recipients", 1 to JOSE_RECIPIENTS_MAX objects each with
 * "header" {"kid": a fingerprint} and "encrypted_key" (base64url); no
 * other member. Copies the kids into kids (*n of them). Returns
 * DOSSIER_OK or DOSSIER_JWE_INVALIDE.
 */
enum dossier_code jose_jwe_check(const char *text, size_t len,
    char kids[][DOSSIER_FINGERPRINT_HEX], size_t *n);

/*
 * Checks text is a public RSA JWK ("kty" RSA, "n" of 2048 to 4096 bits,
 * "e"; "alg" absent or RSA-OAEP-256; no private member "d"), writes its
 * canonical form (RFC 7638: {"e":..,"kty":"RSA","n":..}) into canonical
 * (JOSE_JWK_MAX bytes) and the hex SHA-256 of that form (its RFC 7638
 * thumbprint) into fingerprint. Returns DOSSIER_OK or
 * DOSSIER_CLE_INVALIDE.
 */
enum dossier_code jose_jwk_check(const char *text, char *canonical,
    char fingerprint[DOSSIER_FINGERPRINT_HEX]);

#endif
