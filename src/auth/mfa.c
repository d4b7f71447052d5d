/* mfa.c - TOTP enrolment and verification, recovery codes. */
#include "auth/mfa.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth/device.h"
#include "auth/journal.h"
#include "auth/oidc.h"
#include "auth/throttle.h"
#include "notify/notify.h"
#include "store/driver.h"

/* Reads account_id and its data key. Returns 0, 1 if no such account, or
 * -1; on 0 the caller clears acc and wipes key. */
static int
load(const struct auth *a, const char *account_id, struct store_account *acc,
    struct data_key *key)
{
	struct store_conn *c = store_conn(a->st);
	char owner[AUTH_OWNER_MAX];
	int rc;

	memset(acc, 0, sizeof(*acc));
	if (c == NULL || auth_subject_owner(account_id, owner) != 0)
		return -1;
	if ((rc = store_account_get(a->st, c, account_id, acc)) != 0)
		return rc;
	if (auth_key(a, owner, 0, key) != 0) {
		store_account_clear(acc);
		return -1;
	}
	return 0;
}

/* Opens a sealed secret of acc (column totp_secret or totp_pending).
 * Returns 0 or -1. */
static int
open_secret(const struct data_key *key, const struct store_account *acc,
    const char *column, const struct store_blob *b, char **pt, size_t *n)
{
	*pt = NULL;
	*n = 0;
	if (b->p == NULL)
		return -1;
	if (field_open(key, "accounts", column, acc->id, b->p, b->len, pt, n) !=
	    0)
		return -1;
	if (*n < TOTP_SECRET_MIN || *n > TOTP_SECRET_MAX) {
		field_free(*pt, *n);
		*pt = NULL;
		return -1;
	}
	return 0;
}

static int
seal_secret(const struct data_key *key, const char *id, const char *column,
    const unsigned char *secret, size_t n, struct store_blob *out)
{
	out->p = NULL;
	out->len = 0;
	return field_seal(key, 1, "accounts", column, id, secret, n, &out->p,
	    &out->len);
}

int
mfa_enrol_start(const struct auth *a, const char *account_id, int64_t now,
    char uri[TOTP_URI_MAX])
{
	struct store_account acc;
	struct store_blob sealed = { NULL, 0 };
	struct data_key k;
	unsigned char secret[TOTP_SECRET_BYTES];
	char *email = NULL;
	size_t n = 0;
	int rc;

	(void)now;
	uri[0] = '\0';
	if ((rc = load(a, account_id, &acc, &k)) != 0)
		return rc;
	rc = -1;
	totp_secret_new(secret);
	if (seal_secret(&k, acc.id, "totp_pending", secret, sizeof(secret),
		&sealed) != 0)
		goto done;
	if (acc.email.p != NULL &&
	    field_open(&k, "accounts", "email", acc.id, acc.email.p,
		acc.email.len, &email, &n) != 0)
		email = NULL;
	if (totp_uri(secret, sizeof(secret),
		email != NULL && n <= TOTP_LABEL_MAX ? email : "compte", uri,
		TOTP_URI_MAX) != 0)
		goto done;
	rc = store_account_set_totp_pending(a->st, store_conn(a->st), acc.id,
	    sealed.p, sealed.len);
done:
	if (rc != 0)
		sodium_memzero(uri, TOTP_URI_MAX);
	field_free(email, n);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(&k, sizeof(k));
	store_blob_wipe(&sealed);
	store_account_clear(&acc);
	return rc;
}

struct confirm_arg {
	const struct auth *a;
	const char *id;
	const char *org_id;
	int replaced; /* a working secret is being replaced */
	const unsigned char *session;
	struct store_blob *sealed;
	int64_t step, now;
	char (*hashes)[RECOVERY_HASH_BYTES];
};

static int
confirm_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct confirm_arg *x = arg;
	int i;

	if (store_account_set_totp(st, c, x->id, x->sealed->p, x->sealed->len,
		x->step) != 0 ||
	    store_recovery_delete_all(st, c, x->id) != 0)
		return -1;
	for (i = 0; i < RECOVERY_COUNT; i++)
		if (store_recovery_insert(st, c, x->id, x->hashes[i]) != 0)
			return -1;
	if (x->session != NULL &&
	    store_session_set_mfa_done(st, c, x->session) < 0)
		return -1;
	if (x->replaced) {
		struct notice n = { "account.mfa_changed", NULL };

		if (notify_account(x->a, c, x->id, x->org_id, &n, x->now) != 0)
			return -1;
	}
	return auth_audit(x->a, c, x->now, x->id, "auth.mfa.enrol", x->id,
	    x->org_id, NULL, AUDIT_SUCCESS);
}

int
mfa_enrol_confirm(const struct auth *a, const char *account_id,
    const unsigned char *session, const char *code, int64_t now,
    char codes[RECOVERY_COUNT][RECOVERY_LEN])
{
	struct store_account acc;
	struct store_blob sealed = { NULL, 0 };
	struct confirm_arg x;
	struct data_key k;
	char hashes[RECOVERY_COUNT][RECOVERY_HASH_BYTES], *secret = NULL;
	size_t n = 0;
	int64_t step;
	int rc, i;

	memset(codes, 0, sizeof(char[RECOVERY_COUNT][RECOVERY_LEN]));
	if ((rc = load(a, account_id, &acc, &k)) != 0)
		return rc;
	rc = 1;
	if (open_secret(&k, &acc, "totp_pending", &acc.totp_pending, &secret,
		&n) != 0 ||
	    totp_verify((const unsigned char *)secret, n, code, now / 1000, 0,
		&step) != 0)
		goto done;
	/* A new secret has had no code used yet: the old secret's last
	 * step (just used to prove it) does not hold back the new one. */
	rc = -1;
	if (seal_secret(&k, acc.id, "totp_secret",
		(const unsigned char *)secret, n, &sealed) != 0)
		goto done;
	totp_recovery_generate(codes);
	for (i = 0; i < RECOVERY_COUNT; i++)
		if (totp_recovery_hash(codes[i], hashes[i]) != 0)
			goto done;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.id = acc.id;
	x.org_id = acc.org_id;
	x.replaced = acc.totp_secret.p != NULL;
	x.session = session;
	x.sealed = &sealed;
	x.step = step;
	x.now = now;
	x.hashes = hashes;
	rc = store_tx(a->st, 1, confirm_tx, &x);
done:
	if (rc != 0)
		sodium_memzero(codes,
		    sizeof(char[RECOVERY_COUNT][RECOVERY_LEN]));
	field_free(secret, n);
	sodium_memzero(hashes, sizeof(hashes));
	sodium_memzero(&k, sizeof(k));
	store_blob_wipe(&sealed);
	store_account_clear(&acc);
	return rc;
}

struct recovery_check {
	char hashes[RECOVERY_COUNT][STORE_PWHASH_MAX];
	long n;
};

/* One second-factor attempt: shared by TOTP and recovery codes. */
struct attempt {
	const struct auth *a;
	const struct session_info *s; /* NULL: a proof within a session */
	const char *account_id;
	const char *ip, *ua, *device_cookie;
	int64_t now;
	const char *action; /* "auth.mfa" or "auth.mfa.recovery" */
	struct store_account acc;
	struct data_key key; /* the account's */
	struct throttle_keys keys;
	int known_device;
	unsigned char device[STORE_HASH_BYTES];
	struct mfa_passed *out; /* the new session and device, or NULL */
	int64_t wait;
	int matched; /* the code matched what was read */
	int64_t step; /* TOTP: the step it matched */
	const char *hash; /* recovery: the hash it matched */
	struct recovery_check rec; /* recovery: the unused hashes */
	int ok; /* and it was used up for good */
};

static int
attempt_record(struct attempt *t, struct store_conn *c, const char *event,
    enum audit_outcome outcome)
{
	if (journal_record(t->a, c, t->acc.id, t->acc.org_id, event, t->ip,
		t->ua, t->now) != 0)
		return -1;
	return auth_audit(t->a, c, t->now, t->acc.id, t->action, t->acc.id,
	    t->acc.org_id, t->ip, outcome);
}

static int
attempt_begin_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct attempt *t = arg;

	t->wait = throttle_begin(st, c, &t->keys, t->now, NULL);
	if (t->wait < 0)
		return -1;
	if (t->wait > 0)
		return attempt_record(t, c, JOURNAL_LOCKED, AUDIT_DENIED);
	return 0;
}

/* The second factor passed at sign-in: a new session replaces the one
 * the password opened (its id was handed out before the second factor),
 * and the browser becomes a known device unless it is public. */
static int
attempt_rotate(struct attempt *t, struct store *st, struct store_conn *c)
{
	const struct session_info *s = t->s;
	struct oidc_carry k;

	if (t->out == NULL)
		return store_session_set_mfa_done(st, c, s->id_hash) != 0 ? -1
									  : 0;
	/* A session opened through a provider stays one (its logout). */
	if (oidc_carry_take(t->a, c, &t->key, s->id_hash, &k) != 0)
		return -1;
	if (store_session_delete(st, c, s->id_hash) != 0 ||
	    session_create(t->a, c, &t->key, t->acc.id, s->public_computer,
		t->ua, 1, s->created_at, t->now, &t->out->tokens) != 0 ||
	    oidc_carry_put(t->a, c, &t->key, t->out->tokens.id, &k) != 0) {
		oidc_carry_clear(&k);
		return -1;
	}
	t->out->public_computer = s->public_computer;
	if (s->public_computer)
		return 0;
	if (t->known_device)
		return device_touch(t->a, c, t->device, t->now);
	return device_issue(t->a, c, t->acc.id, t->now, t->out->device);
}

static int
attempt_end_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct attempt *t = arg;
	struct notice n = { "account.sign_in_failures", NULL };
	int rc = 0, alert = 0;

	t->ok = 0;
	if (t->matched && t->hash == NULL)
		rc = store_account_advance_totp(st, c, t->acc.id, t->step);
	else if (t->matched)
		rc = store_recovery_consume(st, c, t->acc.id, t->hash, t->now);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (throttle_failure(st, c, &t->keys, t->now, &alert) != 0 ||
		    (alert &&
			notify_account(t->a, c, t->acc.id, t->acc.org_id, &n,
			    t->now) != 0))
			return -1;
		return attempt_record(t, c, JOURNAL_MFA_FAILURE, AUDIT_FAILURE);
	}
	t->ok = 1;
	if (throttle_success(st, c, &t->keys) != 0 ||
	    (t->s != NULL && attempt_rotate(t, st, c) != 0))
		return -1;
	return attempt_record(t, c, JOURNAL_MFA_SUCCESS, AUDIT_SUCCESS);
}

/* Runs an attempt: check is called between the two transactions to set
 * t->matched (and step or hash). */
static int
attempt_run(struct attempt *t, int (*check)(struct attempt *, const char *),
    const char *code, enum mfa_status *status, int64_t *retry_after_s)
{
	struct store_conn *c = store_conn(t->a->st);
	char owner[AUTH_OWNER_MAX];
	int rc;

	*status = MFA_FAILED;
	*retry_after_s = 0;
	if (t->out != NULL)
		memset(t->out, 0, sizeof(*t->out));
	if (c == NULL)
		return -1;
	if ((rc = store_account_get(t->a->st, c, t->account_id, &t->acc)) != 0)
		return rc < 0 ? -1 : 0;
	rc = -1;
	if (auth_subject_owner(t->acc.id, owner) != 0 ||
	    auth_key(t->a, owner, 0, &t->key) != 0)
		goto done;
	if ((t->known_device = device_check(t->a, c, t->device_cookie,
		 t->acc.id, t->now, t->device)) < 0 ||
	    throttle_keys_make(t->a, t->acc.email_index, t->ip,
		t->known_device ? t->device : NULL, &t->keys) != 0 ||
	    store_tx(t->a->st, 1, attempt_begin_tx, t) != 0)
		goto done;
	if (t->wait > 0) {
		*status = MFA_THROTTLED;
		*retry_after_s = throttle_seconds(t->wait);
		rc = 0;
		goto done;
	}
	if (check(t, code) != 0 ||
	    store_tx(t->a->st, 1, attempt_end_tx, t) != 0)
		goto done;
	*status = t->ok ? MFA_OK : MFA_FAILED;
	rc = 0;
done:
	if (rc != 0 && t->out != NULL)
		sodium_memzero(t->out, sizeof(*t->out));
	sodium_memzero(&t->key, sizeof(t->key));
	store_account_clear(&t->acc);
	return rc;
}

static int
check_totp(struct attempt *t, const char *code)
{
	char *secret = NULL;
	size_t n = 0;

	if (t->acc.totp_secret.p == NULL)
		return 0; /* no TOTP: a failure like any other */
	if (open_secret(&t->key, &t->acc, "totp_secret", &t->acc.totp_secret,
		&secret, &n) != 0)
		return -1;
	t->matched = code != NULL &&
	    totp_verify((const unsigned char *)secret, n, code, t->now / 1000,
		t->acc.totp_last_step, &t->step) == 0;
	field_free(secret, n);
	return 0;
}

int
mfa_verify(const struct auth *a, const struct session_info *s, const char *code,
    const struct mfa_client *cl, int64_t now, enum mfa_status *status,
    int64_t *retry_after_s, struct mfa_passed *out)
{
	struct attempt t;

	memset(&t, 0, sizeof(t));
	t.a = a;
	t.s = s;
	t.account_id = s->account_id;
	t.ip = cl->ip;
	t.ua = cl->user_agent;
	t.device_cookie = cl->device;
	t.now = now;
	t.out = out;
	t.action = "auth.mfa";
	return attempt_run(&t, check_totp, code, status, retry_after_s);
}

int
mfa_check_code(const struct auth *a, const char *account_id, const char *code,
    const struct mfa_client *cl, int64_t now, enum mfa_status *status,
    int64_t *retry_after_s)
{
	struct attempt t;

	memset(&t, 0, sizeof(t));
	t.a = a;
	t.account_id = account_id;
	t.ip = cl->ip;
	t.ua = cl->user_agent;
	t.device_cookie = cl->device;
	t.now = now;
	t.action = "auth.mfa.check";
	return attempt_run(&t, check_totp, code, status, retry_after_s);
}

static int
check_recovery(struct attempt *t, const char *code)
{
	struct recovery_check *r = &t->rec;
	char norm[RECOVERY_CHARS + 1];
	long i, n;

	r->n = store_recovery_list_unused(t->a->st, store_conn(t->a->st),
	    t->acc.id, r->hashes, RECOVERY_COUNT);
	if (r->n < 0)
		return -1;
	/* A malformed code costs no hash, and matches nothing. */
	if (code == NULL || totp_recovery_normalise(code, norm) != 0)
		return 0;
	n = r->n < RECOVERY_COUNT ? r->n : RECOVERY_COUNT;
	for (i = 0; i < n; i++) {
		if (totp_recovery_verify(norm, r->hashes[i]) == 0) {
			t->matched = 1;
			t->hash = r->hashes[i];
			break;
		}
	}
	sodium_memzero(norm, sizeof(norm));
	return 0;
}

int
mfa_recover(const struct auth *a, const struct session_info *s,
    const char *code, const struct mfa_client *cl, int64_t now,
    enum mfa_status *status, int64_t *retry_after_s, struct mfa_passed *out)
{
	struct attempt t;

	memset(&t, 0, sizeof(t));
	t.a = a;
	t.s = s;
	t.account_id = s->account_id;
	t.ip = cl->ip;
	t.ua = cl->user_agent;
	t.device_cookie = cl->device;
	t.now = now;
	t.out = out;
	t.action = "auth.mfa.recovery";
	return attempt_run(&t, check_recovery, code, status, retry_after_s);
}

long
mfa_recovery_left(const struct auth *a, const char *account_id)
{
	char h[1][STORE_PWHASH_MAX];
	struct store_conn *c = store_conn(a->st);

	if (c == NULL)
		return -1;
	return store_recovery_list_unused(a->st, c, account_id, h, 0);
}
