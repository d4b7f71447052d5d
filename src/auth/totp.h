/*
 * totp.h - time-based one-time passwords (RFC 6238) and recovery codes.
 *
 * Codes are HOTP (RFC 4226, HMAC-SHA1, computed by liboath) over the time
 * step floor(now / 30); 6 digits; a code is accepted for the steps
 * now - 1, now and now + 1, and only once: the caller stores the step that
 * matched and passes it back as last_used_step next time. Enrolment gives
 * the person an otpauth:// URI, shown as a QR code (SVG, libqrencode), and
 * ten one-time recovery codes, of which the server keeps only argon2id
 * hashes.
 *
 * Secrets (the TOTP key, the URI and the SVG that carry it, recovery codes)
 * belong to the caller, who stores the key encrypted and wipes every copy.
 * Thread-safe: liboath is initialised once, on first use, under
 * pthread_once. No I/O besides the CSPRNG.
 */
#ifndef CRENEAU_TOTP_H
#define CRENEAU_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#define TOTP_SECRET_BYTES 20 /* 160 bits, as RFC 4226 recommends */
#define TOTP_SECRET_MIN 16 /* 128 bits, RFC 4226's minimum */
#define TOTP_SECRET_MAX 64
#define TOTP_DIGITS 6
#define TOTP_PERIOD 30 /* seconds per step */
#define TOTP_WINDOW 1 /* steps accepted either side of now */
#define TOTP_CODE_MAX 8 /* digits totp_code() produces at most */
/* Base32 of TOTP_SECRET_MAX bytes, unpadded, and NUL. */
#define TOTP_BASE32_MAX ((TOTP_SECRET_MAX * 8 + 4) / 5 + 1)
#define TOTP_LABEL_MAX 128 /* bytes of account label in the URI */
/* Room for any URI from totp_uri() with a label within TOTP_LABEL_MAX. */
#define TOTP_URI_MAX 1024
#define TOTP_ISSUER "Créneau"

#define RECOVERY_COUNT 10
#define RECOVERY_CHARS 12 /* 12 symbols of 5 bits: 60 bits per code */
#define RECOVERY_LEN 15 /* "XXXX-XXXX-XXXX" and NUL */
#define RECOVERY_INPUT_MAX 64 /* bytes of typed code read at most */
#define RECOVERY_HASH_BYTES crypto_pwhash_STRBYTES

/* Fills secret with TOTP_SECRET_BYTES bytes from the CSPRNG. Cannot fail. */
void totp_secret_new(unsigned char secret[TOTP_SECRET_BYTES]);

/*
 * Encodes in (len bytes, at most TOTP_SECRET_MAX) as RFC 4648 base32,
 * upper case, without padding, into out (outlen bytes, NUL-terminated).
 * Returns the length written, or -1 if len is too large or out too small.
 */
int totp_base32_encode(const unsigned char *in, size_t len, char *out,
    size_t outlen);

/*
 * Writes the enrolment URI
 * otpauth://totp/Cr%C3%A9neau:<label>?secret=<base32>&issuer=Cr%C3%A9neau
 * &digits=6&period=30&algorithm=SHA1 into out (outlen bytes; TOTP_URI_MAX
 * is always enough), the label percent-encoded (everything but RFC 3986
 * unreserved characters). The URI holds the secret: wipe it after use.
 * Returns 0, or -1 if the secret length is outside TOTP_SECRET_MIN to
 * TOTP_SECRET_MAX, the label is empty or longer than TOTP_LABEL_MAX, or out
 * is too small (out is then an empty string).
 */
int totp_uri(const unsigned char *secret, size_t len, const char *label,
    char *out, size_t outlen);

/*
 * Time step of now_s seconds since the Unix epoch: floor(now_s / 30).
 * Returns -1 for a time before the epoch.
 */
int64_t totp_step(int64_t now_s);

/*
 * Writes the HOTP value of secret (len bytes, TOTP_SECRET_MIN to
 * TOTP_SECRET_MAX) at counter step (>= 0) as digits (6 to TOTP_CODE_MAX)
 * decimal digits and a NUL into out. With step = totp_step(t) this is the TOTP
 * code at time t. Returns 0, or -1 on a bad argument or a liboath failure.
 */
int totp_code(const unsigned char *secret, size_t len, int64_t step,
    unsigned digits, char out[TOTP_CODE_MAX + 1]);

/*
 * Checks a 6-digit code typed at now_s (seconds since the epoch) against
 * secret (len bytes). The code must be exactly 6 ASCII digits, NUL-
 * terminated; it is compared in constant time with the codes of the steps
 * now - 1, now and now + 1, skipping any step <= last_used_step (pass -1
 * when no code was ever accepted). When two steps give the same code the
 * later one is taken, so that the same code cannot be accepted twice.
 * Returns 0 and stores the matched step in *matched_step (to be saved as
 * the next last_used_step), or -1 (wrong, malformed, replayed or expired
 * code, bad secret, time before the epoch); *matched_step is then left
 * alone.
 */
int totp_verify(const unsigned char *secret, size_t len, const char *code,
    int64_t now_s, int64_t last_used_step, int64_t *matched_step);

/*
 * Draws the QR code (ECC level M) of uri (NUL-terminated, at most
 * TOTP_URI_MAX - 1 bytes) as a self-contained SVG document: one white
 * rect, one black path, a 4-module quiet zone, a viewBox, role="img" and a
 * French aria-label; no script, no style sheet, no external reference.
 * Returns a malloc'ed NUL-terminated string that the caller releases with
 * totp_qr_svg_free() (it encodes the secret), or NULL on a bad argument,
 * a URI too long to encode, or lack of memory.
 */
char *totp_qr_svg(const char *uri);

/* Wipes and frees an SVG from totp_qr_svg(). NULL does nothing. */
void totp_qr_svg_free(char *svg);

/*
 * Fills codes with RECOVERY_COUNT distinct one-time recovery codes, each
 * "XXXX-XXXX-XXXX" (RECOVERY_CHARS symbols from the CSPRNG, uniform over
 * Crockford's base32 alphabet 0-9 A-Z without I, L, O, U). The caller
 * shows them once, stores only totp_recovery_hash() of each, and wipes
 * them. Cannot fail.
 */
void totp_recovery_generate(char codes[RECOVERY_COUNT][RECOVERY_LEN]);

/*
 * Normalises a typed recovery code: spaces and dashes dropped, letters
 * upper-cased, O read as 0 and I or L as 1. out receives the
 * RECOVERY_CHARS symbols and a NUL. Returns 0, or -1 if the result is not
 * RECOVERY_CHARS symbols of the alphabet or the input is longer than
 * RECOVERY_INPUT_MAX bytes (out is then an empty string).
 */
int totp_recovery_normalise(const char *code, char out[RECOVERY_CHARS + 1]);

/*
 * Hashes a recovery code (normalised first) for storage with argon2id at
 * libsodium's interactive limits (about 55 ms and 64 MiB each, see
 * totp.c). out receives a NUL-terminated "$argon2id$..." string. Returns 0,
 * or -1 if the code is malformed or memory runs out.
 */
int totp_recovery_hash(const char *code, char out[RECOVERY_HASH_BYTES]);

/*
 * Checks a typed recovery code (normalised first) against one stored hash.
 * Costs one argon2id hash: the caller tries each unused hash of the
 * account in turn (at most RECOVERY_COUNT), only on the recovery path, and
 * marks the matching one used. Returns 0 if it matches, -1 if not or if the
 * code or hash is malformed (no hash is computed for a malformed code).
 */
int totp_recovery_verify(const char *code, const char *hash);

#endif
