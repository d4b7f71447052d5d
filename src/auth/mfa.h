/*
 * mfa.h - TOTP second factor: enrolment, verification at login, recovery
 * codes (SECURITY.md; codes themselves in totp.h).
 *
 * Enrolment has two steps: mfa_enrol_start seals a new secret in the
 * account as pending (not yet used at login) and hands out the otpauth
 * URI; mfa_enrol_confirm checks a first code against it, makes it the
 * account's secret and hands out ten recovery codes, once. The API allows
 * both only to a session that has passed its second factor, or whose
 * account must enrol (session_info.mfa_enrol), and that has proven the
 * password and the current code within REAUTH_WINDOW_MS (reauth.h): a
 * stolen password alone, or a stolen session, must not replace a working
 * TOTP.
 *
 * At login, each TOTP code is accepted once: the step it matched is
 * stored with an atomic compare (store_account_advance_totp), so even two
 * simultaneous requests with the same code cannot both pass. Recovery
 * codes are single-use the same way. Both go through the login throttling
 * of the account and the IP, are journaled (mfa_success / mfa_failure /
 * locked) and audited ("auth.mfa", "auth.mfa.recovery").
 */
#ifndef CRENEAU_MFA_H
#define CRENEAU_MFA_H

#include <stdint.h>

#include "auth/auth.h"
#include "auth/session.h"
#include "auth/totp.h"

enum mfa_status {
	MFA_OK = 0, /* accepted: the session is complete */
	MFA_FAILED, /* wrong, replayed or used code, or no TOTP set up */
	MFA_THROTTLED, /* refused unchecked: wait *retry_after_s */
};

/*
 * Starts (or restarts) TOTP enrolment for account_id at now: a new secret
 * from the CSPRNG, sealed under the account's key as its pending secret.
 * uri receives the otpauth:// URI to show as a QR code (totp_qr_svg); it
 * holds the secret: wipe it after use. Returns 0, 1 if there is no such
 * account, or -1.
 */
int mfa_enrol_start(const struct auth *a, const char *account_id, int64_t now,
    char uri[TOTP_URI_MAX]);

/*
 * Confirms the pending enrolment of account_id with a first code typed at
 * now: the pending secret becomes the account's TOTP secret (replacing
 * any older one), the code's step is recorded as used, the previous
 * recovery codes are dropped and RECOVERY_COUNT new ones written into
 * codes (shown once; only their hashes are kept: wipe them after use).
 * session (an id hash, may be NULL) is marked as having passed its second
 * factor. Audited as "auth.mfa.enrol"; when a working secret is replaced
 * the holder is notified ("account.mfa_changed", with its email). Returns
 * 0, 1 if the code is wrong or nothing is pending, or -1. The API asks a
 * fresh proof (reauth.h) before both steps.
 */
int mfa_enrol_confirm(const struct auth *a, const char *account_id,
    const unsigned char *session, const char *code, int64_t now,
    char codes[RECOVERY_COUNT][RECOVERY_LEN]);

/* Where a second-factor attempt comes from. Borrowed; each may be NULL. */
struct mfa_client {
	const char *ip;
	const char *user_agent;
	const char *device; /* the device cookie sent (device.h) */
};

/* What a second factor passed at sign-in hands out. Secrets: wipe after
 * use. */
struct mfa_passed {
	struct session_tokens tokens; /* the new session (the old one ended) */
	char device[SESSION_TOKEN_LEN]; /* a new known-device cookie, or "" */
	int public_computer; /* the session's: its cookies end with the
				browser */
};

/*
 * Second factor at login: checks the TOTP code of the account of session
 * s (from session_check) at now, under the throttling of throttle.h (a
 * known device, cl->device, meets its own delay only). On success the
 * session s ends and a new one, complete, takes its place: out receives
 * its tokens and, unless the session is on a public computer or the
 * device is already known, a known-device cookie (with out NULL the
 * session is only marked done, for tests). The new session's proof time
 * (reauth.h) is when s was opened with the password. When failures pile
 * up the holder is notified. *status receives the outcome,
 * *retry_after_s the wait when MFA_THROTTLED (0 otherwise). Returns 0, or
 * -1 on error.
 */
int mfa_verify(const struct auth *a, const struct session_info *s,
    const char *code, const struct mfa_client *cl, int64_t now,
    enum mfa_status *status, int64_t *retry_after_s, struct mfa_passed *out);

/* As mfa_verify, with a recovery code instead of a TOTP code; the code
 * is used up. */
int mfa_recover(const struct auth *a, const struct session_info *s,
    const char *code, const struct mfa_client *cl, int64_t now,
    enum mfa_status *status, int64_t *retry_after_s, struct mfa_passed *out);

/*
 * Checks a TOTP code of account_id at now, within a session (a proof
 * asked again, reauth.h): the same single use, throttling, journal and
 * audit ("auth.mfa.check") as mfa_verify, no session changed. Returns 0
 * with *status set, or -1.
 */
int mfa_check_code(const struct auth *a, const char *account_id,
    const char *code, const struct mfa_client *cl, int64_t now,
    enum mfa_status *status, int64_t *retry_after_s);

/* Returns how many unused recovery codes account_id has left, or -1. */
long mfa_recovery_left(const struct auth *a, const char *account_id);

#endif
