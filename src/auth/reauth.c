/* reauth.c - the password asked again before an irreversible act. */
#include "auth/reauth.h"

#include <stdio.h>
#include <string.h>

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
	char akey[STORE_INDEX_MAX], ikey[STORE_INDEX_MAX];
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
	if (throttle_key_account(acc.email_index, akey) != 0 ||
	    throttle_key_ip(a, ip, ikey) != 0)
		goto done;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.account_id = acc.id;
	x.org_id = acc.org_id;
	x.ip = ip;
	x.now = now;
	if (throttle_attempt(a->st, akey, ikey, now, &wait) != 0)
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
	rc = throttle_attempt_ok(a->st, akey, ikey) != 0 ? -1 : 0;
done:
	store_account_clear(&acc);
	return rc;
}
