/*
 * mfa.h - TOTP second factor: enrolment, verification at login, recovery
 * codes (SECURITY.md; codes themselves in totp.h).
 *
 * Enrolment has two steps: mfa_enrol_start seals a new secret in the
 * account as pending (not yet used at login) and hands out the otpauth
 * URI; mfa_enrol_confirm checks a first code against it, makes it the
 * account's secret and hands out ten recovery codes, once. The API allows
 * both only to a session that has passed its second factor, or whose
 * account must enrol (session_info.mfa_enrol): a stolen password alone
 * must not replace a working TOTP.
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
 * factor. Audited as "auth.mfa.enrol". Returns 0, 1 if the code is wrong
 * or nothing is pending, or -1.
 */
int mfa_enrol_confirm(const struct auth *a, const char *account_id,
    const unsigned char *session, const char *code, int64_t now,
    char codes[RECOVERY_COUNT][RECOVERY_LEN]);

/*
 * Second factor at login: checks the TOTP code of the account of session
 * s (from session_check) at now; on success marks the session done.
 * ip and user_agent (may be NULL) go to the journal. *status receives the
 * outcome, *retry_after_s the wait when MFA_THROTTLED (0 otherwise).
 * Returns 0, or -1 on error.
 */
int mfa_verify(const struct auth *a, const struct session_info *s,
    const char *code, const char *ip, const char *user_agent, int64_t now,
    enum mfa_status *status, int64_t *retry_after_s);

/* As mfa_verify, with a recovery code instead of a TOTP code; the code
 * is used up. */
int mfa_recover(const struct auth *a, const struct session_info *s,
    const char *code, const char *ip, const char *user_agent, int64_t now,
    enum mfa_status *status, int64_t *retry_after_s);

/* Returns how many unused recovery codes account_id has left, or -1. */
long mfa_recovery_left(const struct auth *a, const char *account_id);

#endif
