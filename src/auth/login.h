/*
 * login.h - password login (SECURITY.md, "Authentication").
 *
 * One call checks an email and password under the throttling of
 * throttle.h (a known device of the account, device.h, meets only its own
 * delay), journals the attempt (journal.h), audits it as "auth.login"
 * and, on success, opens a new session (session.h). When failures pile
 * up on an account its holder is notified (notify.h,
 * "account.sign_in_failures"). The answer never
 * tells whether the account exists: an unknown email costs one argon2id
 * verification against a dummy hash, like a known one, and gets the same
 * AUTH_LOGIN_FAILED, the same delays and the same locks.
 */
#ifndef CRENEAU_LOGIN_H
#define CRENEAU_LOGIN_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "auth/session.h"

enum auth_login_status {
	AUTH_LOGIN_OK = 0, /* session opened: see tokens and mfa */
	AUTH_LOGIN_FAILED, /* wrong email or password (one answer) */
	AUTH_LOGIN_THROTTLED, /* refused unchecked: wait retry_after_s */
	AUTH_LOGIN_DISABLED, /* right password, account disabled */
	AUTH_LOGIN_TENANT_CLOSED, /* right password, organisation terminated */
};

/* What the session still needs before it may act. */
enum auth_mfa_step {
	AUTH_MFA_NONE = 0, /* nothing: the session is complete */
	AUTH_MFA_CODE, /* a TOTP or recovery code (mfa.h) */
	AUTH_MFA_ENROL, /* a role requires TOTP: enrol first (mfa.h) */
};

struct auth_login_request {
	const char *email;
	const char *password; /* used as given, never trimmed */
	size_t password_len;
	const char *ip; /* client address, may be NULL */
	const char *user_agent; /* may be NULL */
	int public_computer; /* shorter idle timeout, no known device */
	const char *device; /* the device cookie sent (device.h), or NULL */
};

struct auth_login_result {
	enum auth_login_status status;
	/* THROTTLED: seconds before the next attempt is looked at; FAILED:
	 * the wait this failure started (0 if none). */
	int64_t retry_after_s;
	/* OK only: */
	char account_id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	struct session_tokens tokens; /* secrets: wipe after use */
	/* A new known-device cookie to set ("" when none: a second factor
	 * is still due, a public computer, or the device is known). */
	char device[SESSION_TOKEN_LEN];
	enum auth_mfa_step mfa;
	int password_temporary; /* must change it first */
	int password_expired; /* admin password older than 6 months */
};

/*
 * Attempts a login at now. Returns 0 with res->status set, or -1 on an
 * internal error (res->status is then AUTH_LOGIN_FAILED and nothing was
 * opened). Release res with auth_login_result_clear.
 */
int auth_login(const struct auth *a, const struct auth_login_request *req,
    int64_t now, struct auth_login_result *res);

/* Wipes res (its tokens included). */
void auth_login_result_clear(struct auth_login_result *res);

#endif
