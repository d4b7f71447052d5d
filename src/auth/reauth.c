/* reauth.c - the password asked again before an irreversible act. */
#include "auth/reauth.h"

#include <stdio.h>
#include <string.h>

#include "auth/mfa.h"
#include "auth/password.h"
#include "auth/throttle.h"
#include "store/driver.h"

struct check_arg {
	const struct auth *a;
	const char *account_id, *org_id, *ip;
	int64_t now;
};

static int
failure_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct check_arg *x = arg;

	(void)st;
	return auth_audit(x->a, c, x->now, x->account_id,
	    "account.password.check", x->account_id, x->org_id, x->ip,
	    AUDIT_FAILURE);
}

int
account_password_check(const struct auth *a, const char *account_id,
    const char *password, size_t len, const char *ip, int64_t now, char *why,
    size_t whylen)
{
	struct store_conn *c = store_conn(a->st);
	struct store_account acc;
	struct check_arg x;
	struct throttle_keys keys;
	int64_t wait = 0;
	int rc;

	memset(&acc, 0, sizeof(acc));
	if (c == NULL)
		return -1;
	if ((rc = store_account_get(a->st, c, account_id, &acc)) != 0) {
		store_account_clear(&acc);
		if (rc > 0)
			snprintf(why, whylen, "password : compte inconnu");
		return rc;
	}
	rc = -1;
	if (throttle_keys_make(a, acc.email_index, ip, NULL, &keys) != 0)
		goto done;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.account_id = acc.id;
	x.org_id = acc.org_id;
	x.ip = ip;
	x.now = now;
	if (throttle_attempt(a->st, &keys, now, &wait) != 0)
		goto done;
	if (wait > 0) {
		snprintf(why, whylen,
		    "password : trop d'essais, réessayez dans %lld s",
		    (long long)throttle_seconds(wait));
		rc = 1;
		goto done;
	}
	if (password == NULL ||
	    password_verify(acc.password_hash, password, len) != 0) {
		if (store_tx(a->st, 1, failure_tx, &x) != 0)
			goto done;
		snprintf(why, whylen, "password : mot de passe incorrect");
		rc = 1;
		goto done;
	}
	rc = throttle_attempt_ok(a->st, &keys) != 0 ? -1 : 0;
done:
	store_account_clear(&acc);
	return rc;
}

int
reauth_fresh(const struct session_info *s, int64_t window_ms, int64_t now)
{
	return s->reauth_at > 0 && now >= s->reauth_at &&
	    now - s->reauth_at <= window_ms;
}

int
reauth_prove(const struct auth *a, const struct session_info *s,
    const char *password, size_t len, const char *code,
    const struct mfa_client *cl, int64_t now, int64_t *retry_after_s, char *why,
    size_t whylen)
{
	struct store_conn *c = store_conn(a->st);
	struct store_account acc;
	enum mfa_status st = MFA_FAILED;
	int rc, totp;

	*retry_after_s = 0;
	if (c == NULL)
		return -1;
	if ((rc = store_account_get(a->st, c, s->account_id, &acc)) != 0) {
		snprintf(why, whylen, "password : compte inconnu");
		return rc < 0 ? -1 : 1;
	}
	totp = acc.totp_secret.p != NULL;
	store_account_clear(&acc);
	/* A missing code costs no password check. */
	if (totp && (code == NULL || code[0] == '\0')) {
		snprintf(why, whylen,
		    "code : saisissez aussi le code de votre application "
		    "d'authentification");
		return 1;
	}
	rc = account_password_check(a, s->account_id, password, len, cl->ip,
	    now, why, whylen);
	if (rc != 0)
		return rc;
	if (totp) {
		if (mfa_check_code(a, s->account_id, code, cl, now, &st,
			retry_after_s) != 0)
			return -1;
		if (st == MFA_THROTTLED) {
			snprintf(why, whylen,
			    "code : trop d'essais, réessayez dans %lld s",
			    (long long)*retry_after_s);
			return 1;
		}
		if (st != MFA_OK) {
			snprintf(why, whylen,
			    "code : le code saisi est incorrect ou a déjà "
			    "servi");
			return 1;
		}
	}
	rc = store_session_set_reauth(a->st, c, s->id_hash, now);
	return rc < 0 ? -1 : rc;
}
