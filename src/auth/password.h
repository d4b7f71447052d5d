/*
 * password.h - password hashing and the password strength rule.
 *
 * Passwords are hashed with argon2id (libsodium crypto_pwhash_str) and
 * never stored or logged in clear. The strength rule follows SECURITY.md:
 * a length between PASSWORD_MIN_BYTES and PASSWORD_MAX_BYTES, valid UTF-8,
 * no composition rules, and a guessability estimate (zxcvbn) of at least
 * PASSWORD_MIN_ENTROPY_BITS; a password that contains the person's name,
 * the establishment's name or the service's name is refused.
 *
 * A password is pointer + length: it is used exactly as given, never
 * trimmed, normalised or truncated. Pure functions of their arguments (no
 * I/O, no global state), safe to call from any thread.
 */
#ifndef CRENEAU_PASSWORD_H
#define CRENEAU_PASSWORD_H

#include <stddef.h>

#include <sodium.h>

/*
 * argon2id cost. At least 19 MiB and 2 passes (SECURITY.md, OWASP); these
 * take about 70 ms per hash on a 2-core AMD EPYC VM (measured for
 * password.c), and 64 MiB per concurrent hash. Raising them makes
 * password_needs_rehash() report older hashes, which are rehashed at the
 * next successful login.
 */
#define PASSWORD_OPSLIMIT 3ULL
#define PASSWORD_MEMLIMIT ((size_t)64 * 1024 * 1024)

#define PASSWORD_MIN_BYTES 12
#define PASSWORD_MAX_BYTES 1024
/* CNIL (délibération 2022-100): 50 bits suffice when login is throttled. */
#define PASSWORD_MIN_ENTROPY_BITS 50.0
/* A context word shorter than this (in characters) is not checked for
 * containment; it still counts in the guessability estimate. */
#define PASSWORD_CONTEXT_MIN_CHARS 4
/* Context words beyond this many are ignored by the estimate (all of them
 * are still checked for containment). */
#define PASSWORD_CONTEXT_MAX 32
#define PASSWORD_HASH_BYTES crypto_pwhash_STRBYTES

/*
 * Hashes pw (len bytes) with argon2id at PASSWORD_OPSLIMIT and
 * PASSWORD_MEMLIMIT. out receives a NUL-terminated "$argon2id$..." string
 * with its own random salt. Does not judge strength: call
 * password_check_strength() first when the password is being chosen.
 * Returns 0, or -1 if len exceeds PASSWORD_MAX_BYTES or memory runs out
 * (out is then an empty string).
 */
int password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_BYTES]);

/*
 * Checks pw (len bytes) against hash, a NUL-terminated string made by
 * password_hash() (older parameters are fine). Takes as long as one hash.
 * Returns 0 if it matches, -1 if it does not, if the hash is malformed or
 * if len exceeds PASSWORD_MAX_BYTES.
 */
int password_verify(const char *hash, const char *pw, size_t len);

/*
 * Tells whether hash was made with other parameters than the current ones,
 * or with argon2i (to rehash after a successful password_verify). Returns 1
 * if it should be rehashed, 0 if it is current, -1 if it is not a
 * libsodium argon2 hash.
 */
int password_needs_rehash(const char *hash);

/*
 * Judges a password being chosen. context_words is a NULL-terminated list
 * (or NULL) of words tied to the person and place: name, first name,
 * e-mail address, establishment name. Each word is also split on spaces
 * and punctuation, and a password that contains one of the resulting
 * words of PASSWORD_CONTEXT_MIN_CHARS or more, or "creneau", ignoring case
 * and French accents, is refused. All the words, and "creneau"/"créneau",
 * go to zxcvbn as its user dictionary.
 *
 * Returns 0 if the password is acceptable, -1 if not: then why (whylen
 * bytes, may be NULL with whylen 0) receives one French sentence naming
 * the rule broken, for the person choosing the password. The message never
 * contains the password or a part of it.
 */
int password_check_strength(const char *pw, size_t len,
    const char *const *context_words, char *why, size_t whylen);

#endif
