/* login.c - password login with throttling, journal and audit. */
#include "auth/login.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth/account.h"
#include "auth/device.h"
#include "auth/journal.h"
#include "auth/password.h"
#include "auth/throttle.h"
#include "core/log.h"
#include "notify/notify.h"
#include "store/driver.h"
#include "store/tenants.h"

/* A hash of a random password nobody knows, made once with the current
 * parameters: checking an unknown account against it costs what checking
 * a real one costs. */
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[PASSWORD_HASH_BYTES];
static int dummy_ready;

static void
dummy_make(void)
{
	unsigned char r[32];
	char pw[65];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(pw, sizeof(pw), r, sizeof(r));
	dummy_ready = password_hash(pw, 64, dummy_hash) == 0;
	sodium_memzero(r, sizeof(r));
	sodium_memzero(pw, sizeof(pw));
}

struct login {
	const struct auth *a;
	const struct auth_login_request *req;
	int64_t now;
	int found; /* the email names an account */
	struct store_account acc;
	struct store_role roles[ACCOUNT_ROLES_MAX];
	size_t nroles;
	struct throttle_keys keys;
	int known_device; /* the request's device cookie is this account's */
	unsigned char device[STORE_HASH_BYTES];
	int64_t wait, after;
	int ok; /* the password matched */
	int closed; /* its organisation is terminated or deleted */
	struct store_tenant_policy tenant; /* found only */
	const char *rehash; /* a new hash to store, or NULL */
	struct data_key key; /* the account's data key (found only) */
	struct auth_login_result *res;
};

static const char *
acct(const struct login *l)
{
	return l->found ? l->acc.id : NULL;
}

static const char *
org(const struct login *l)
{
	return l->found ? l->acc.org_id : NULL;
}

/* Journals and audits the attempt inside the transaction. */
static int
record(struct login *l, struct store_conn *c, const char *event,
    enum audit_outcome outcome)
{
	if (journal_record(l->a, c, acct(l), org(l), event, l->req->ip,
		l->req->user_agent, l->now) != 0)
		return -1;
	return auth_audit(l->a, c, l->now, acct(l), "auth.login", acct(l),
	    org(l), l->req->ip, outcome);
}

static int
begin_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct login *l = arg;

	l->wait = throttle_begin(st, c, &l->keys, l->now, &l->after);
	if (l->wait < 0)
		return -1;
	if (l->wait > 0)
		return record(l, c, JOURNAL_LOCKED, AUDIT_DENIED);
	return 0;
}

static int
success_tx(struct store *st, struct store_conn *c, struct login *l)
{
	struct auth_login_result *res = l->res;
	const struct store_account *acc = &l->acc;

	if (throttle_success(st, c, &l->keys) != 0)
		return -1;
	if (l->rehash != NULL &&
	    store_account_set_password(st, c, acc->id, l->rehash,
		acc->password_temporary, acc->password_changed_at) != 0)
		return -1;
	if (store_account_set_last_login(st, c, acc->id, l->now) != 0 ||
	    session_create(l->a, c, &l->key, acc->id, l->req->public_computer,
		l->req->user_agent, res->mfa == AUTH_MFA_NONE,
		acc->totp_secret.p == NULL ? l->now : 0, l->now,
		&res->tokens) != 0)
		return -1;
	/* A full sign-in (no second factor to give) leaves a known device
	 * behind, except on a public computer. */
	if (res->mfa == AUTH_MFA_NONE && !l->req->public_computer) {
		if (l->known_device
			? device_touch(l->a, c, l->device, l->now) != 0
			: device_issue(l->a, c, acc->id, l->now, res->device) !=
			    0)
			return -1;
	}
	return record(l, c, JOURNAL_LOGIN, AUDIT_SUCCESS);
}

/* A failed attempt on an account: tells its holder when failures pile
 * up (throttle_failure), in the same transaction. */
static int
failure_tx(struct store *st, struct store_conn *c, struct login *l)
{
	struct notice n = { "account.sign_in_failures", NULL };
	int alert = 0;

	if (!l->ok && throttle_failure(st, c, &l->keys, l->now, &alert) != 0)
		return -1;
	if (alert && l->found && !l->acc.disabled && !l->closed &&
	    notify_account(l->a, c, l->acc.id, l->acc.org_id, &n, l->now) != 0)
		return -1;
	return record(l, c, JOURNAL_FAILURE,
	    l->ok ? AUDIT_DENIED : AUDIT_FAILURE);
}

static int
finish_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct login *l = arg;

	if (l->ok && !l->acc.disabled && !l->closed)
		return success_tx(st, c, l);
	return failure_tx(st, c, l);
}

/* Reads the account, its roles and its key, whether the request comes
 * from one of its known devices; fills the throttle keys. */
static int
lookup(struct login *l)
{
	struct store_conn *c = store_conn(l->a->st);
	char idx[BLIND_INDEX_HEX], owner[AUTH_OWNER_MAX];
	long n;
	int rc;

	if (c == NULL)
		return -1;
	/* An address that cannot be normalised names no account; only the
	 * IP is throttled then. */
	if (auth_email_index(l->a, l->req->email, idx) != 0)
		return throttle_keys_make(l->a, NULL, l->req->ip, NULL,
		    &l->keys);
	if ((rc = store_account_by_email(l->a->st, c, idx, &l->acc)) < 0)
		return -1;
	if (rc == 0) {
		l->found = 1;
		if ((rc = device_check(l->a, c, l->req->device, l->acc.id,
			 l->now, l->device)) < 0)
			return -1;
		l->known_device = rc;
	}
	if (throttle_keys_make(l->a, idx, l->req->ip,
		l->known_device ? l->device : NULL, &l->keys) != 0)
		return -1;
	if (!l->found)
		return 0;
	n = store_role_list(l->a->st, c, l->acc.id, NULL, l->roles,
	    ACCOUNT_ROLES_MAX);
	if (n < 0 || auth_subject_owner(l->acc.id, owner) != 0 ||
	    (rc = auth_key(l->a, owner, 0, &l->key)) < 0)
		return -1;
	/* A row whose key was destroyed is a person erased after the
	 * backup this database was restored from: no account, as for an
	 * unknown address. */
	if (rc == 1) {
		l->found = 0;
		return 0;
	}
	l->nroles =
	    (size_t)n < ACCOUNT_ROLES_MAX ? (size_t)n : ACCOUNT_ROLES_MAX;
	/* A terminated organisation lets nobody in (seed 003). */
	if (store_tenant_of_account(l->a->st, c, l->acc.id, &l->tenant) < 0)
		return -1;
	l->closed = strcmp(l->tenant.state, "terminated") == 0 ||
	    strcmp(l->tenant.state, "deleted") == 0;
	return 0;
}

static enum auth_mfa_step
mfa_step(const struct login *l)
{
	size_t i;

	if (l->acc.totp_secret.p != NULL)
		return AUTH_MFA_CODE;
	for (i = 0; i < l->nroles; i++)
		if (role_requires_mfa(l->roles[i].role))
			return AUTH_MFA_ENROL;
	return AUTH_MFA_NONE;
}

int
auth_login(const struct auth *a, const struct auth_login_request *req,
    int64_t now, struct auth_login_result *res)
{
	struct login l;
	char hash[PASSWORD_HASH_BYTES];
	const char *pw = req->password ? req->password : "";
	size_t pwlen = req->password ? req->password_len : 0;
	int rc = -1, v;

	memset(res, 0, sizeof(*res));
	res->status = AUTH_LOGIN_FAILED;
	memset(&l, 0, sizeof(l));
	hash[0] = '\0';
	l.a = a;
	l.req = req;
	l.now = now;
	l.res = res;
	if (pthread_once(&dummy_once, dummy_make) != 0 || !dummy_ready)
		return -1;
	if (lookup(&l) != 0)
		goto done;
	if (store_tx(a->st, 1, begin_tx, &l) != 0)
		goto done;
	if (l.wait > 0) {
		res->status = AUTH_LOGIN_THROTTLED;
		res->retry_after_s = throttle_seconds(l.wait);
		rc = 0;
		goto done;
	}
	/* The slow part, outside any transaction. */
	v = password_verify(l.found ? l.acc.password_hash : dummy_hash, pw,
	    pwlen);
	l.ok = l.found && v == 0;
	if (l.ok && !l.acc.disabled && !l.closed) {
		res->mfa = mfa_step(&l);
		if (password_needs_rehash(l.acc.password_hash) == 1 &&
		    password_hash(pw, pwlen, hash) == 0)
			l.rehash = hash;
	}
	if (store_tx(a->st, 1, finish_tx, &l) != 0) {
		sodium_memzero(&res->tokens, sizeof(res->tokens));
		sodium_memzero(res->device, sizeof(res->device));
		res->mfa = AUTH_MFA_NONE;
		goto done;
	}
	rc = 0;
	if (!l.ok) {
		res->retry_after_s = throttle_seconds(l.after);
		goto done;
	}
	if (l.acc.disabled) {
		res->status = AUTH_LOGIN_DISABLED;
		goto done;
	}
	if (l.closed) {
		res->status = AUTH_LOGIN_TENANT_CLOSED;
		goto done;
	}
	res->status = AUTH_LOGIN_OK;
	memcpy(res->account_id, l.acc.id, sizeof(res->account_id));
	memcpy(res->org_id, l.acc.org_id, sizeof(res->org_id));
	res->password_temporary = l.acc.password_temporary;
	res->password_expired = account_password_expired(&l.acc, l.roles,
	    l.nroles, l.tenant.password_max_age_days, now);
done:
	if (rc != 0)
		log_errorx("%s: login could not be processed", __func__);
	sodium_memzero(hash, sizeof(hash));
	sodium_memzero(&l.key, sizeof(l.key));
	sodium_memzero(&l.keys, sizeof(l.keys));
	store_account_clear(&l.acc);
	return rc;
}

void
auth_login_result_clear(struct auth_login_result *res)
{
	sodium_memzero(res, sizeof(*res));
}
