/* session.c - server-side sessions and CSRF tokens. */
#include "auth/session.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth/account.h"
#include "auth/journal.h"
#include "store/driver.h"
#include "store/tenants.h"
#include "tenancy/tenant.h"

#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* Makes a token: 32 random bytes as base64url, and their hash. */
static void
token_new(char out[SESSION_TOKEN_LEN], unsigned char hash[STORE_HASH_BYTES])
{
	unsigned char b[SESSION_TOKEN_BYTES];

	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(out, SESSION_TOKEN_LEN, b, sizeof(b), B64);
	crypto_generichash(hash, STORE_HASH_BYTES, b, sizeof(b), NULL, 0);
	sodium_memzero(b, sizeof(b));
}

int
session_token_hash(const char *token, unsigned char out[STORE_HASH_BYTES])
{
	unsigned char b[SESSION_TOKEN_BYTES];
	size_t n = 0;
	const char *end = NULL;

	memset(out, 0, STORE_HASH_BYTES);
	if (token == NULL ||
	    strnlen(token, SESSION_TOKEN_LEN) != SESSION_TOKEN_LEN - 1)
		return -1;
	if (sodium_base642bin(b, sizeof(b), token, SESSION_TOKEN_LEN - 1, NULL,
		&n, &end, B64) != 0 ||
	    n != sizeof(b) || end == NULL || *end != '\0') {
		sodium_memzero(b, sizeof(b));
		return -1;
	}
	crypto_generichash(out, STORE_HASH_BYTES, b, sizeof(b), NULL, 0);
	sodium_memzero(b, sizeof(b));
	return 0;
}

/* The row id sealed user agents are bound to: the id hash in hex. */
static void
row_id(const unsigned char h[STORE_HASH_BYTES], char out[65])
{
	sodium_bin2hex(out, 65, h, STORE_HASH_BYTES);
}

int
session_create(const struct auth *a, struct store_conn *c,
    const struct data_key *key, const char *account_id, int public_computer,
    const char *user_agent, int mfa_done, int64_t reauth_at, int64_t now,
    struct session_tokens *out)
{
	struct store_session s;
	struct store_tenant_policy tp;
	struct tenant_policy p;
	char rid[65], ua[JOURNAL_UA_MAX + 1];
	int rc = -1;

	memset(&s, 0, sizeof(s));
	memset(out, 0, sizeof(*out));
	if (snprintf(s.account_id, sizeof(s.account_id), "%s", account_id) >=
	    (int)sizeof(s.account_id))
		return -1;
	token_new(out->id, s.id_hash);
	token_new(out->csrf, s.csrf_hash);
	/* The organisation may ask for shorter sessions than the product's,
	 * never longer (tenancy/tenant.h). */
	memset(&p, 0, sizeof(p));
	memset(&tp, 0, sizeof(tp));
	if (store_tenant_of_account(a->st, c, account_id, &tp) < 0)
		return -1;
	p.session_idle_minutes = tp.session_idle_minutes;
	p.session_max_hours = tp.session_max_hours;
	s.created_at = now;
	s.last_seen_at = now;
	s.expires_at = now + tenant_session_max_ms(&p, SESSION_ABSOLUTE_MS);
	s.idle_ms = tenant_session_idle_ms(&p,
	    public_computer ? SESSION_IDLE_PUBLIC_MS : SESSION_IDLE_MS);
	s.public_computer = public_computer != 0;
	s.mfa_done = mfa_done != 0;
	s.reauth_at = reauth_at;
	if (user_agent != NULL) {
		auth_clip(ua, JOURNAL_UA_MAX, user_agent);
		row_id(s.id_hash, rid);
		if (auth_seal(key, "sessions", "user_agent", rid, ua,
			&s.user_agent) != 0)
			goto done;
	}
	rc = store_session_insert(a->st, c, &s);
done:
	store_blob_wipe(&s.user_agent);
	sodium_memzero(&s, sizeof(s));
	if (rc != 0)
		sodium_memzero(out, sizeof(*out));
	return rc;
}

struct check {
	const struct auth *a;
	const unsigned char *hash;
	int64_t now;
	struct session_info *info;
	int live;
	int read_only; /* a first look: note a needed write, do not write */
	int must_write; /* the look found a touch or a deletion to make */
};

/* Lowers info->recheck_at to at when at is sooner. */
static void
recheck_before(struct session_info *info, int64_t at)
{
	if (at < info->recheck_at)
		info->recheck_at = at;
}

/*
 * The organisation's say (seed 003): a terminated or deleted one keeps
 * nobody signed in; its session policy, stricter than the product's, holds
 * for sessions opened before it was set too; a suspended one is noted
 * for the guard, which refuses writes. Returns 0, 1 when the session is
 * over, or -1.
 */
static int
tenant_allows(struct check *k, const struct store_session *s,
    const struct store_tenant_policy *tp)
{
	struct tenant_policy p;

	if (strcmp(tp->state, "terminated") == 0 ||
	    strcmp(tp->state, "deleted") == 0)
		return 1;
	memset(&p, 0, sizeof(p));
	p.session_idle_minutes = tp->session_idle_minutes;
	p.session_max_hours = tp->session_max_hours;
	/* session_account_info asks about an account, not a session (a
	 * partner's code exchange, a refresh): no times to hold it to. */
	if (k->hash != NULL &&
	    (k->now - s->last_seen_at >=
		    tenant_session_idle_ms(&p, s->idle_ms) ||
		k->now - s->created_at >=
		    tenant_session_max_ms(&p, s->expires_at - s->created_at)))
		return 1;
	if (k->hash != NULL) {
		recheck_before(k->info,
		    s->last_seen_at + tenant_session_idle_ms(&p, s->idle_ms));
		recheck_before(k->info,
		    s->created_at +
			tenant_session_max_ms(&p,
			    s->expires_at - s->created_at));
	}
	k->info->tenant_suspended = strcmp(tp->state, "suspended") == 0;
	return 0;
}

/* Reads what info needs about the account; 1 when it may not go on. */
static int
check_account(struct store *st, struct store_conn *c, struct check *k,
    const struct store_session *s)
{
	struct session_info *info = k->info;
	struct store_tenant_policy tp;
	struct store_account acc;
	long n;
	size_t i;
	int rc, need = 0;

	memset(&tp, 0, sizeof(tp));
	rc = store_account_get(st, c, s->account_id, &acc);
	if (rc == 0 && !acc.disabled)
		rc = store_tenant_of_account(st, c, s->account_id, &tp);
	if (rc != 0 || acc.disabled) {
		store_account_clear(&acc);
		return rc < 0 ? -1 : 1;
	}
	n = store_role_list(st, c, acc.id, NULL, info->roles,
	    ACCOUNT_ROLES_MAX);
	if (n < 0) {
		store_account_clear(&acc);
		return -1;
	}
	info->nroles =
	    (size_t)n < ACCOUNT_ROLES_MAX ? (size_t)n : ACCOUNT_ROLES_MAX;
	for (i = 0; i < info->nroles; i++)
		need |= role_requires_mfa(info->roles[i].role);
	memcpy(info->org_id, acc.org_id, sizeof(info->org_id));
	info->password_temporary = acc.password_temporary;
	info->password_expired = account_password_expired(&acc, info->roles,
	    info->nroles, tp.password_max_age_days, k->now);
	if (!info->password_expired)
		recheck_before(info,
		    account_password_expires_at(&acc, info->roles, info->nroles,
			tp.password_max_age_days));
	info->mfa_enrol = need && acc.totp_secret.p == NULL;
	info->totp_enabled = acc.totp_secret.p != NULL;
	store_account_clear(&acc);
	return tenant_allows(k, s, &tp);
}

int
session_account_info(const struct auth *a, struct store_conn *c,
    const char *account_id, int64_t now, struct session_info *info)
{
	struct check k = { a, NULL, now, info, 0, 1, 0 };
	struct store_session s;
	int rc;

	memset(&s, 0, sizeof(s));
	snprintf(s.account_id, sizeof(s.account_id), "%s", account_id);
	memcpy(info->account_id, s.account_id, sizeof(info->account_id));
	rc = check_account(a->st, c, &k, &s);
	store_session_clear(&s);
	return rc;
}

static int
check_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct check *k = arg;
	struct session_info *info = k->info;
	struct store_session s;
	int rc;

	if ((rc = store_session_get(st, c, k->hash, &s)) != 0)
		return rc < 0 ? -1 : 0;
	info->recheck_at = INT64_MAX;
	if (k->now >= s.expires_at || k->now - s.last_seen_at >= s.idle_ms ||
	    k->now < s.created_at)
		rc = 1;
	else
		rc = check_account(st, c, k, &s);
	if (rc < 0)
		goto done;
	if (rc > 0 && k->read_only) {
		k->must_write = 1;
		rc = 0;
		goto done;
	}
	if (rc > 0) {
		/* Over, or its account is disabled: gone for good. */
		rc = store_session_delete(st, c, k->hash) < 0 ? -1 : 0;
		goto done;
	}
	/* A touch to make: the first look still fills info, which stands
	 * if the touch cannot be written (session_check). */
	if (k->now - s.last_seen_at >= SESSION_TOUCH_MS && k->read_only)
		k->must_write = 1;
	else if (k->now - s.last_seen_at >= SESSION_TOUCH_MS) {
		if (store_session_touch(st, c, k->hash, k->now) < 0) {
			rc = -1;
			goto done;
		}
		s.last_seen_at = k->now;
	}
	memcpy(info->id_hash, s.id_hash, STORE_HASH_BYTES);
	memcpy(info->csrf_hash, s.csrf_hash, STORE_HASH_BYTES);
	memcpy(info->account_id, s.account_id, sizeof(info->account_id));
	info->mfa_done = s.mfa_done;
	info->reauth_at = s.reauth_at;
	info->public_computer = s.public_computer;
	info->created_at = s.created_at;
	info->last_seen_at = s.last_seen_at;
	info->expires_at = s.expires_at;
	recheck_before(info, s.expires_at);
	/* Idle time is longer than the touch interval: a look before the
	 * next touch is due sees the session alive. */
	recheck_before(info, s.last_seen_at + SESSION_TOUCH_MS);
	k->live = 1;
done:
	store_session_clear(&s);
	return rc;
}

int
session_check(const struct auth *a, const char *token, int64_t now,
    struct session_info *info)
{
	unsigned char h[STORE_HASH_BYTES];
	struct check k;

	memset(info, 0, sizeof(*info));
	k = (struct check){ a, h, now, info, 0, 1, 0 };
	if (session_token_hash(token, h) != 0)
		return 1;
	/* Most requests only read: a session touched less than
	 * SESSION_TOUCH_MS ago needs no write, and a read transaction does
	 * not queue behind the writers. When the look finds a touch or a
	 * deletion to make, a write transaction does the check again and
	 * makes it, as one step. */
	if (store_tx(a->st, 0, check_tx, &k) != 0) {
		memset(info, 0, sizeof(*info));
		return -1;
	}
	if (k.must_write) {
		struct session_info seen = *info;
		int live = k.live;

		memset(info, 0, sizeof(*info));
		k = (struct check){ a, h, now, info, 0, 0, 0 };
		if (store_tx(a->st, 1, check_tx, &k) != 0) {
			/* The touch or the deletion could not be written (the
			 * store busy or full): what the first look read
			 * stands. A session marked used a little late is no
			 * reason to refuse a read; an over one stays over. */
			*info = seen;
			k.live = live;
		}
		sodium_memzero(&seen, sizeof(seen));
	}
	if (!k.live) {
		memset(info, 0, sizeof(*info));
		return 1;
	}
	return 0;
}

int
session_csrf_check(const struct session_info *info, const char *token)
{
	unsigned char h[STORE_HASH_BYTES];
	int rc;

	if (session_token_hash(token, h) != 0)
		return -1;
	rc = sodium_memcmp(h, info->csrf_hash, STORE_HASH_BYTES) == 0 ? 0 : -1;
	sodium_memzero(h, sizeof(h));
	return rc;
}

int
session_mfa_done(const struct auth *a,
    const unsigned char id_hash[STORE_HASH_BYTES])
{
	struct store_conn *c = store_conn(a->st);

	if (c == NULL)
		return -1;
	return store_session_set_mfa_done(a->st, c, id_hash);
}

struct end {
	const struct auth *a;
	const struct session_info *info;
	const char *ip, *ua;
	int64_t now;
};

static int
end_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct end *e = arg;
	int rc = store_session_delete(st, c, e->info->id_hash);

	if (rc != 0)
		return rc;
	return journal_record(e->a, c, e->info->account_id,
	    e->info->org_id[0] ? e->info->org_id : NULL, JOURNAL_LOGOUT, e->ip,
	    e->ua, e->now);
}

int
session_end(const struct auth *a, const struct session_info *info,
    const char *ip, const char *user_agent, int64_t now)
{
	struct end e = { a, info, ip, user_agent, now };

	return store_tx(a->st, 1, end_tx, &e);
}

long
session_end_all_tx(const struct auth *a, struct store_conn *c,
    const char *account_id, const unsigned char *keep)
{
	return store_session_delete_account(a->st, c, account_id, keep);
}

long
session_end_all(const struct auth *a, const char *account_id,
    const unsigned char *keep)
{
	struct store_conn *c = store_conn(a->st);

	if (c == NULL)
		return -1;
	return session_end_all_tx(a, c, account_id, keep);
}

struct list {
	const struct auth *a;
	const unsigned char *current;
	session_view_fn fn;
	void *arg;
	struct data_key k;
	int have;
};

static int
list_row(void *arg, const struct store_session *s)
{
	struct list *l = arg;
	struct session_view v;
	char rid[65], *ua = NULL;
	size_t n = 0;
	int rc;

	memset(&v, 0, sizeof(v));
	row_id(s->id_hash, rid);
	memcpy(v.handle, rid, SESSION_HANDLE_LEN - 1);
	v.handle[SESSION_HANDLE_LEN - 1] = '\0';
	v.created_at = s->created_at;
	v.last_seen_at = s->last_seen_at;
	v.expires_at = s->expires_at;
	v.public_computer = s->public_computer;
	v.current = l->current != NULL &&
	    sodium_memcmp(l->current, s->id_hash, STORE_HASH_BYTES) == 0;
	if (l->have && s->user_agent.p != NULL &&
	    field_open(&l->k, "sessions", "user_agent", rid, s->user_agent.p,
		s->user_agent.len, &ua, &n) == 0)
		v.user_agent = ua;
	rc = l->fn(l->arg, &v);
	field_free(ua, n);
	return rc;
}

int
session_list(const struct auth *a, const char *account_id,
    const unsigned char *current, session_view_fn fn, void *arg)
{
	struct store_conn *c = store_conn(a->st);
	char owner[AUTH_OWNER_MAX];
	struct list l;
	int rc;

	if (c == NULL || auth_subject_owner(account_id, owner) != 0)
		return -1;
	memset(&l, 0, sizeof(l));
	l.a = a;
	l.current = current;
	l.fn = fn;
	l.arg = arg;
	rc = auth_key(a, owner, 0, &l.k);
	if (rc < 0)
		return -1;
	l.have = rc == 0;
	rc = store_session_list(a->st, c, account_id, list_row, &l);
	sodium_memzero(&l.k, sizeof(l.k));
	return rc;
}

struct find {
	const char *handle;
	unsigned char hash[STORE_HASH_BYTES];
	int found;
};

static int
find_row(void *arg, const struct store_session *s)
{
	struct find *f = arg;
	char rid[65];

	row_id(s->id_hash, rid);
	if (strncmp(rid, f->handle, SESSION_HANDLE_LEN - 1) != 0)
		return 0;
	memcpy(f->hash, s->id_hash, STORE_HASH_BYTES);
	f->found = 1;
	return 1;
}

int
session_end_handle(const struct auth *a, const char *account_id,
    const char *handle)
{
	struct store_conn *c = store_conn(a->st);
	struct find f;

	if (c == NULL)
		return -1;
	if (handle == NULL ||
	    strnlen(handle, SESSION_HANDLE_LEN) != SESSION_HANDLE_LEN - 1)
		return 1;
	memset(&f, 0, sizeof(f));
	f.handle = handle;
	if (store_session_list(a->st, c, account_id, find_row, &f) != 0)
		return -1;
	if (!f.found)
		return 1;
	return store_session_delete(a->st, c, f.hash);
}

struct purge_arg {
	int64_t now;
	long n;
};

static int
purge_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct purge_arg *x = arg;

	x->n = store_session_delete_ended(st, c, x->now);
	return x->n < 0 ? -1 : 0;
}

long
session_purge_ended(const struct auth *a, int64_t now)
{
	struct purge_arg x = { now, 0 };

	if (store_tx(a->st, 1, purge_tx, &x) != 0)
		return -1;
	return x.n;
}
