/* identity.c (store) - SQL for organisations, accounts, roles, grants,
 * recovery codes, sessions, the connection journal and throttling. */
#include "store/identity.h"
#include "store/rights.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

/* What a row callback needs: the driver, where to write, and what
 * happened. */
struct rd {
	const struct store_driver *d;
	void *out;
	size_t max;
	long n; /* rows seen */
	int bad; /* a value did not fit or memory ran out */
};

/* Copies a blob column into a malloc'ed buffer (p NULL for SQL NULL).
 * Returns 0 or -1. */
static int
get_blob(struct store_blob *b, const struct store_driver *d,
    const struct store_row *r, int col)
{
	const void *p;
	size_t n = 0;

	b->p = NULL;
	b->len = 0;
	if (d->row_is_null(r, col))
		return 0;
	p = d->row_blob(r, col, &n);
	/* An empty blob still reads as present. */
	if ((b->p = malloc(n > 0 ? n : 1)) == NULL)
		return -1;
	if (n > 0)
		memcpy(b->p, p, n);
	b->len = n;
	return 0;
}

/* Borrows a blob column (p NULL for SQL NULL). */
static void
peek_blob(struct store_blob *b, const struct store_driver *d,
    const struct store_row *r, int col)
{
	const void *p;
	size_t n = 0;

	b->p = NULL;
	b->len = 0;
	if (d->row_is_null(r, col))
		return;
	p = d->row_blob(r, col, &n);
	b->p = (unsigned char *)(uintptr_t)(p ? p : "");
	b->len = p ? n : 0;
}

static int
get_hash(unsigned char out[STORE_HASH_BYTES], const struct store_driver *d,
    const struct store_row *r, int col)
{
	const void *p;
	size_t n = 0;

	p = d->row_blob(r, col, &n);
	if (p == NULL || n != STORE_HASH_BYTES)
		return -1;
	memcpy(out, p, STORE_HASH_BYTES);
	return 0;
}

static void
blob_clear(struct store_blob *b)
{
	if (b->p != NULL) {
		sodium_memzero(b->p, b->len);
		free(b->p);
	}
	b->p = NULL;
	b->len = 0;
}

static struct store_val
sv_blob_or_null(const unsigned char *p, size_t n)
{
	return p != NULL ? SV_B(p, n) : SV_T(NULL);
}

/* Row callback counting rows (for UPDATE/DELETE ... RETURNING). */
static int
count_row(void *arg, const struct store_row *r)
{
	long *n = arg;

	(void)r;
	(*n)++;
	return 0;
}

/* Runs a statement ending in RETURNING and gives how many rows it
 * changed, or -1. */
static long
exec_count(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t np)
{
	long n = 0;

	if (store_drv(st)->exec(c, sql, p, np, count_row, &n) != 0)
		return -1;
	return n;
}

/* For setters: 0 if a row changed, 1 if none, -1 on error. */
static int
exec_one(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t np)
{
	long n = exec_count(st, c, sql, p, np);

	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

/* Organisations. */

int
store_org_insert(struct store *st, struct store_conn *c,
    const struct store_org *o)
{
	struct store_val p[4];

	p[0] = SV_T(o->id);
	p[1] = SV_T(o->name);
	p[2] = SV_T(o->kind);
	p[3] = SV_I(o->created_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO organisations (id, name, kind, created_at)"
	    " VALUES ($1, $2, $3, $4)",
	    p, 4, NULL, NULL);
}

static int
org_row(void *arg, const struct store_row *r)
{
	struct rd *x = arg;
	struct store_org *o = x->out;

	x->n++;
	if (store_row_copy_text(o->id, sizeof(o->id), x->d, r, 0) != 0 ||
	    store_row_copy_text(o->name, sizeof(o->name), x->d, r, 1) != 0 ||
	    store_row_copy_text(o->kind, sizeof(o->kind), x->d, r, 2) != 0)
		x->bad = 1;
	o->created_at = x->d->row_int(r, 3);
	return 1;
}

int
store_org_get(struct store *st, struct store_conn *c, const char *id,
    struct store_org *o)
{
	struct store_val p[1];
	struct rd x;

	memset(o, 0, sizeof(*o));
	x = (struct rd){ store_drv(st), o, 1, 0, 0 };
	p[0] = SV_T(id);
	if (x.d->exec(c,
		"SELECT id, name, kind, created_at FROM organisations"
		" WHERE id = $1",
		p, 1, org_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.n == 0 ? 1 : 0;
}

/* Accounts. */

void
store_account_clear(struct store_account *a)
{
	if (a == NULL)
		return;
	blob_clear(&a->email);
	blob_clear(&a->display_name);
	blob_clear(&a->totp_secret);
	blob_clear(&a->totp_pending);
	sodium_memzero(a, sizeof(*a));
}

int
store_account_insert(struct store *st, struct store_conn *c,
    const struct store_account *a)
{
	struct store_val p[10];

	p[0] = SV_T(a->id);
	p[1] = SV_T(a->org_id);
	p[2] = SV_T(a->email_index);
	p[3] = SV_B(a->email.p, a->email.len);
	p[4] = SV_B(a->display_name.p, a->display_name.len);
	p[5] = SV_T(a->password_hash);
	p[6] = SV_I(a->password_temporary ? 1 : 0);
	p[7] = SV_I(a->password_changed_at);
	p[8] = SV_T(a->disabled ? "disabled" : "active");
	p[9] = SV_I(a->created_at);
	if (a->email.p == NULL || a->display_name.p == NULL)
		return -1;
	return store_drv(st)->exec(c,
	    "INSERT INTO accounts (id, org_id, email_index, email,"
	    " display_name, password_hash, password_temporary,"
	    " password_changed_at, status, created_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
	    p, 10, NULL, NULL);
}

#define ACCOUNT_COLUMNS                                                        \
	"SELECT id, org_id, email_index, email, display_name, password_hash,"  \
	" password_temporary, password_changed_at, totp_secret,"               \
	" totp_pending, totp_last_step, status, created_at, last_login_at"     \
	" FROM accounts"

static int
account_row(void *arg, const struct store_row *r)
{
	struct rd *x = arg;
	const struct store_driver *d = x->d;
	struct store_account *a = x->out;
	char status[16];

	x->n++;
	if (store_row_copy_text(a->id, sizeof(a->id), d, r, 0) != 0 ||
	    store_row_copy_text(a->org_id, sizeof(a->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(a->email_index, sizeof(a->email_index), d, r,
		2) != 0 ||
	    get_blob(&a->email, d, r, 3) != 0 ||
	    get_blob(&a->display_name, d, r, 4) != 0 ||
	    store_row_copy_text(a->password_hash, sizeof(a->password_hash), d,
		r, 5) != 0 ||
	    get_blob(&a->totp_secret, d, r, 8) != 0 ||
	    get_blob(&a->totp_pending, d, r, 9) != 0 ||
	    store_row_copy_text(status, sizeof(status), d, r, 11) != 0)
		x->bad = 1;
	a->password_temporary = d->row_int(r, 6) != 0;
	a->password_changed_at = d->row_int(r, 7);
	a->totp_last_step = d->row_int(r, 10);
	a->disabled = strcmp(status, "active") != 0;
	a->created_at = d->row_int(r, 12);
	a->last_login_at = d->row_is_null(r, 13) ? 0 : d->row_int(r, 13);
	return 1;
}

static int
account_read(struct store *st, struct store_conn *c, const char *sql,
    const char *key, struct store_account *a)
{
	struct store_val p[1];
	struct rd x;

	memset(a, 0, sizeof(*a));
	x = (struct rd){ store_drv(st), a, 1, 0, 0 };
	p[0] = SV_T(key);
	if (x.d->exec(c, sql, p, 1, account_row, &x) != 0 || x.bad) {
		store_account_clear(a);
		return -1;
	}
	return x.n == 0 ? 1 : 0;
}

int
store_account_get(struct store *st, struct store_conn *c, const char *id,
    struct store_account *a)
{
	return account_read(st, c, ACCOUNT_COLUMNS " WHERE id = $1", id, a);
}

int
store_account_by_email(struct store *st, struct store_conn *c,
    const char *email_index, struct store_account *a)
{
	return account_read(st, c, ACCOUNT_COLUMNS " WHERE email_index = $1",
	    email_index, a);
}

int
store_account_set_password(struct store *st, struct store_conn *c,
    const char *id, const char *hash, int temporary, int64_t changed_at)
{
	struct store_val p[4];

	p[0] = SV_T(id);
	p[1] = SV_T(hash);
	p[2] = SV_I(temporary ? 1 : 0);
	p[3] = SV_I(changed_at);
	return exec_one(st, c,
	    "UPDATE accounts SET password_hash = $2, password_temporary = $3,"
	    " password_changed_at = $4 WHERE id = $1 RETURNING 1",
	    p, 4);
}

int
store_account_set_totp(struct store *st, struct store_conn *c, const char *id,
    const unsigned char *sealed, size_t len, int64_t last_step)
{
	struct store_val p[3];

	p[0] = SV_T(id);
	p[1] = sv_blob_or_null(sealed, len);
	p[2] = SV_I(last_step);
	return exec_one(st, c,
	    "UPDATE accounts SET totp_secret = $2, totp_last_step = $3,"
	    " totp_pending = NULL WHERE id = $1 RETURNING 1",
	    p, 3);
}

int
store_account_set_totp_pending(struct store *st, struct store_conn *c,
    const char *id, const unsigned char *sealed, size_t len)
{
	struct store_val p[2];

	p[0] = SV_T(id);
	p[1] = sv_blob_or_null(sealed, len);
	return exec_one(st, c,
	    "UPDATE accounts SET totp_pending = $2 WHERE id = $1 RETURNING 1",
	    p, 2);
}

int
store_account_advance_totp(struct store *st, struct store_conn *c,
    const char *id, int64_t step)
{
	struct store_val p[2];
	long n;

	p[0] = SV_T(id);
	p[1] = SV_I(step);
	n = exec_count(st, c,
	    "UPDATE accounts SET totp_last_step = $2"
	    " WHERE id = $1 AND totp_last_step < $2 RETURNING 1",
	    p, 2);
	return n < 0 ? -1 : n > 0;
}

int
store_account_set_status(struct store *st, struct store_conn *c, const char *id,
    int disabled)
{
	struct store_val p[2];

	p[0] = SV_T(id);
	p[1] = SV_T(disabled ? "disabled" : "active");
	return exec_one(st, c,
	    "UPDATE accounts SET status = $2 WHERE id = $1 RETURNING 1", p, 2);
}

int
store_account_set_last_login(struct store *st, struct store_conn *c,
    const char *id, int64_t at)
{
	struct store_val p[2];

	p[0] = SV_T(id);
	p[1] = SV_I(at);
	return exec_one(st, c,
	    "UPDATE accounts SET last_login_at = $2 WHERE id = $1 RETURNING 1",
	    p, 2);
}

/* Roles. */

int
store_role_add(struct store *st, struct store_conn *c, const char *account_id,
    const char *org_id, const char *role)
{
	struct store_val p[3];

	p[0] = SV_T(account_id);
	p[1] = SV_T(org_id);
	p[2] = SV_T(role);
	return store_drv(st)->exec(c,
	    "INSERT INTO account_roles (account_id, org_id, role)"
	    " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
	    p, 3, NULL, NULL);
}

int
store_role_remove(struct store *st, struct store_conn *c,
    const char *account_id, const char *org_id, const char *role)
{
	struct store_val p[3];

	p[0] = SV_T(account_id);
	p[1] = SV_T(org_id);
	p[2] = SV_T(role);
	return exec_one(st, c,
	    "DELETE FROM account_roles WHERE account_id = $1 AND org_id = $2"
	    " AND role = $3 RETURNING 1",
	    p, 3);
}

static int
role_row(void *arg, const struct store_row *r)
{
	struct rd *x = arg;
	struct store_role *o = x->out;

	if ((size_t)x->n < x->max) {
		o += x->n;
		if (store_row_copy_text(o->org_id, sizeof(o->org_id), x->d, r,
			0) != 0 ||
		    store_row_copy_text(o->role, sizeof(o->role), x->d, r, 1) !=
			0)
			x->bad = 1;
	}
	x->n++;
	return 0;
}

long
store_role_list(struct store *st, struct store_conn *c, const char *account_id,
    const char *org_id, struct store_role *out, size_t max)
{
	struct rd x = { store_drv(st), out, max, 0, 0 };
	struct store_val p[2];

	p[0] = SV_T(account_id);
	p[1] = SV_T(org_id);
	if (x.d->exec(c,
		"SELECT org_id, role FROM account_roles WHERE account_id = $1"
		" AND ($2 IS NULL OR org_id = $2) ORDER BY org_id, role",
		p, 2, role_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.n;
}

/* Grants. */

int
store_grant_insert(struct store *st, struct store_conn *c,
    const struct store_grant *g)
{
	struct store_val p[7];

	p[0] = SV_T(g->id);
	p[1] = SV_T(g->account_id);
	p[2] = SV_T(g->org_id);
	p[3] = SV_T(g->permission);
	p[4] = SV_T(g->granted_by);
	p[5] = SV_I(g->created_at);
	p[6] = SV_I(g->expires_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO grants (id, account_id, org_id, permission,"
	    " granted_by, created_at, expires_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7)",
	    p, 7, NULL, NULL);
}

static int
grant_row(void *arg, const struct store_row *r)
{
	struct rd *x = arg;
	struct store_grant *g = x->out;

	if ((size_t)x->n < x->max) {
		g += x->n;
		if (store_row_copy_text(g->id, sizeof(g->id), x->d, r, 0) !=
			0 ||
		    store_row_copy_text(g->account_id, sizeof(g->account_id),
			x->d, r, 1) != 0 ||
		    store_row_copy_text(g->org_id, sizeof(g->org_id), x->d, r,
			2) != 0 ||
		    store_row_copy_text(g->permission, sizeof(g->permission),
			x->d, r, 3) != 0 ||
		    store_row_copy_text(g->granted_by, sizeof(g->granted_by),
			x->d, r, 4) != 0)
			x->bad = 1;
		g->created_at = x->d->row_int(r, 5);
		g->expires_at = x->d->row_int(r, 6);
	}
	x->n++;
	return 0;
}

long
store_grant_list_active(struct store *st, struct store_conn *c,
    const char *account_id, int64_t now, struct store_grant *out, size_t max)
{
	struct rd x = { store_drv(st), out, max, 0, 0 };
	struct store_val p[2];

	p[0] = SV_T(account_id);
	p[1] = SV_I(now);
	if (x.d->exec(c,
		"SELECT id, account_id, org_id, permission, granted_by,"
		" created_at, expires_at FROM grants WHERE account_id = $1"
		" AND expires_at > $2 ORDER BY expires_at, id",
		p, 2, grant_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.n;
}

long
store_grant_delete_expired(struct store *st, struct store_conn *c, int64_t now)
{
	struct store_val p[1];

	p[0] = SV_I(now);
	return exec_count(st, c,
	    "DELETE FROM grants WHERE expires_at <= $1 RETURNING 1", p, 1);
}

/* Recovery codes. */

int
store_recovery_insert(struct store *st, struct store_conn *c,
    const char *account_id, const char *code_hash)
{
	struct store_val p[2];

	p[0] = SV_T(account_id);
	p[1] = SV_T(code_hash);
	return store_drv(st)->exec(c,
	    "INSERT INTO recovery_codes (account_id, code_hash, used_at)"
	    " VALUES ($1, $2, NULL)",
	    p, 2, NULL, NULL);
}

int
store_recovery_delete_all(struct store *st, struct store_conn *c,
    const char *account_id)
{
	struct store_val p[1];

	p[0] = SV_T(account_id);
	return store_drv(st)->exec(c,
	    "DELETE FROM recovery_codes WHERE account_id = $1", p, 1, NULL,
	    NULL);
}

static int
recovery_row(void *arg, const struct store_row *r)
{
	struct rd *x = arg;
	char(*out)[STORE_PWHASH_MAX] = x->out;

	if ((size_t)x->n < x->max &&
	    store_row_copy_text(out[x->n], STORE_PWHASH_MAX, x->d, r, 0) != 0)
		x->bad = 1;
	x->n++;
	return 0;
}

long
store_recovery_list_unused(struct store *st, struct store_conn *c,
    const char *account_id, char (*out)[STORE_PWHASH_MAX], size_t max)
{
	struct rd x = { store_drv(st), out, max, 0, 0 };
	struct store_val p[1];

	p[0] = SV_T(account_id);
	if (x.d->exec(c,
		"SELECT code_hash FROM recovery_codes WHERE account_id = $1"
		" AND used_at IS NULL ORDER BY code_hash",
		p, 1, recovery_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.n;
}

int
store_recovery_consume(struct store *st, struct store_conn *c,
    const char *account_id, const char *code_hash, int64_t now)
{
	struct store_val p[3];
	long n;

	p[0] = SV_T(account_id);
	p[1] = SV_T(code_hash);
	p[2] = SV_I(now);
	n = exec_count(st, c,
	    "UPDATE recovery_codes SET used_at = $3 WHERE account_id = $1"
	    " AND code_hash = $2 AND used_at IS NULL RETURNING 1",
	    p, 3);
	return n < 0 ? -1 : n > 0;
}

/* Sessions. */

void
store_session_clear(struct store_session *s)
{
	if (s == NULL)
		return;
	blob_clear(&s->user_agent);
	sodium_memzero(s, sizeof(*s));
}

int
store_identity_epoch(struct store *st, struct store_conn *c, int64_t *n)
{
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c, "SELECT n FROM identity_epoch WHERE id = 1",
		NULL, 0, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	*n = o.v;
	return 0;
}

int
store_session_insert(struct store *st, struct store_conn *c,
    const struct store_session *s)
{
	struct store_val p[11];

	p[0] = SV_B(s->id_hash, STORE_HASH_BYTES);
	p[1] = SV_T(s->account_id);
	p[2] = SV_B(s->csrf_hash, STORE_HASH_BYTES);
	p[3] = SV_I(s->created_at);
	p[4] = SV_I(s->last_seen_at);
	p[5] = SV_I(s->expires_at);
	p[6] = SV_I(s->idle_ms);
	p[7] = SV_I(s->public_computer ? 1 : 0);
	p[8] = SV_I(s->mfa_done ? 1 : 0);
	p[9] = sv_blob_or_null(s->user_agent.p, s->user_agent.len);
	p[10] = SV_I(s->reauth_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO sessions (id_hash, account_id, csrf_hash, created_at,"
	    " last_seen_at, expires_at, idle_ms, public, mfa_done, user_agent,"
	    " reauth_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
	    p, 11, NULL, NULL);
}

#define SESSION_COLUMNS                                                        \
	"SELECT id_hash, account_id, csrf_hash, created_at, last_seen_at,"     \
	" expires_at, idle_ms, public, mfa_done, user_agent, reauth_at"        \
	" FROM sessions"

/* Reads the columns of SESSION_COLUMNS, the blob borrowed or copied. */
static int
session_fill(struct store_session *s, const struct store_driver *d,
    const struct store_row *r, int copy)
{
	int rc = 0;

	if (get_hash(s->id_hash, d, r, 0) != 0 ||
	    store_row_copy_text(s->account_id, sizeof(s->account_id), d, r,
		1) != 0 ||
	    get_hash(s->csrf_hash, d, r, 2) != 0)
		rc = -1;
	s->created_at = d->row_int(r, 3);
	s->last_seen_at = d->row_int(r, 4);
	s->expires_at = d->row_int(r, 5);
	s->idle_ms = d->row_int(r, 6);
	s->public_computer = d->row_int(r, 7) != 0;
	s->mfa_done = d->row_int(r, 8) != 0;
	s->reauth_at = d->row_int(r, 10);
	if (copy) {
		if (get_blob(&s->user_agent, d, r, 9) != 0)
			rc = -1;
	} else
		peek_blob(&s->user_agent, d, r, 9);
	return rc;
}

static int
session_row(void *arg, const struct store_row *r)
{
	struct rd *x = arg;

	x->n++;
	if (session_fill(x->out, x->d, r, 1) != 0)
		x->bad = 1;
	return 1;
}

int
store_session_get(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES], struct store_session *s)
{
	struct store_val p[1];
	struct rd x;

	memset(s, 0, sizeof(*s));
	x = (struct rd){ store_drv(st), s, 1, 0, 0 };
	p[0] = SV_B(id_hash, STORE_HASH_BYTES);
	if (x.d->exec(c, SESSION_COLUMNS " WHERE id_hash = $1", p, 1,
		session_row, &x) != 0 ||
	    x.bad) {
		store_session_clear(s);
		return -1;
	}
	return x.n == 0 ? 1 : 0;
}

int
store_session_touch(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES], int64_t now)
{
	struct store_val p[2];

	p[0] = SV_B(id_hash, STORE_HASH_BYTES);
	p[1] = SV_I(now);
	return exec_one(st, c,
	    "UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1"
	    " RETURNING 1",
	    p, 2);
}

int
store_session_set_mfa_done(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES])
{
	struct store_val p[1];

	p[0] = SV_B(id_hash, STORE_HASH_BYTES);
	return exec_one(st, c,
	    "UPDATE sessions SET mfa_done = 1 WHERE id_hash = $1 RETURNING 1",
	    p, 1);
}

int
store_session_set_reauth(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES], int64_t at)
{
	struct store_val p[2];

	p[0] = SV_B(id_hash, STORE_HASH_BYTES);
	p[1] = SV_I(at);
	return exec_one(st, c,
	    "UPDATE sessions SET reauth_at = $2 WHERE id_hash = $1"
	    " RETURNING 1",
	    p, 2);
}

int
store_session_delete(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES])
{
	struct store_val p[1];

	p[0] = SV_B(id_hash, STORE_HASH_BYTES);
	return exec_one(st, c,
	    "DELETE FROM sessions WHERE id_hash = $1 RETURNING 1", p, 1);
}

long
store_session_delete_account(struct store *st, struct store_conn *c,
    const char *account_id, const unsigned char *keep)
{
	struct store_val p[2];

	p[0] = SV_T(account_id);
	p[1] = sv_blob_or_null(keep, STORE_HASH_BYTES);
	return exec_count(st, c,
	    "DELETE FROM sessions WHERE account_id = $1"
	    " AND ($2 IS NULL OR id_hash <> $2) RETURNING 1",
	    p, 2);
}

long
store_session_delete_ended(struct store *st, struct store_conn *c, int64_t now)
{
	struct store_val p[1];

	p[0] = SV_I(now);
	return exec_count(st, c,
	    "DELETE FROM sessions WHERE expires_at <= $1"
	    " OR last_seen_at + idle_ms <= $1 RETURNING 1",
	    p, 1);
}

struct session_scan {
	const struct store_driver *d;
	store_session_fn fn;
	void *arg;
	int bad;
};

static int
session_scan_row(void *arg, const struct store_row *r)
{
	struct session_scan *x = arg;
	struct store_session s;

	memset(&s, 0, sizeof(s));
	if (session_fill(&s, x->d, r, 0) != 0) {
		x->bad = 1;
		return 1;
	}
	return x->fn(x->arg, &s) != 0;
}

int
store_session_list(struct store *st, struct store_conn *c,
    const char *account_id, store_session_fn fn, void *arg)
{
	struct session_scan x = { store_drv(st), fn, arg, 0 };
	struct store_val p[1];

	p[0] = SV_T(account_id);
	if (x.d->exec(c,
		SESSION_COLUMNS " WHERE account_id = $1"
				" ORDER BY created_at DESC, id_hash",
		p, 1, session_scan_row, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

/* Connection journal. */

static int
int_row(void *arg, const struct store_row *r)
{
	struct rd *x = arg;

	*(int64_t *)x->out = x->d->row_int(r, 0);
	x->n++;
	return 1;
}

int
store_journal_next_id(struct store *st, struct store_conn *c, int64_t *id)
{
	struct rd x;

	*id = 0;
	x = (struct rd){ store_drv(st), id, 1, 0, 0 };
	if (x.d->exec(c, "SELECT COALESCE(MAX(id), 0) + 1 FROM login_journal",
		NULL, 0, int_row, &x) != 0 ||
	    x.n != 1)
		return -1;
	return 0;
}

int
store_journal_insert(struct store *st, struct store_conn *c,
    const struct store_journal *j)
{
	struct store_val p[8];

	p[0] = SV_I(j->id);
	p[1] = SV_I(j->at);
	p[2] = SV_T(j->account_id[0] ? j->account_id : NULL);
	p[3] = SV_T(j->org_id[0] ? j->org_id : NULL);
	p[4] = SV_T(j->event);
	p[5] = SV_T(j->key_owner);
	p[6] = sv_blob_or_null(j->ip.p, j->ip.len);
	p[7] = sv_blob_or_null(j->user_agent.p, j->user_agent.len);
	return store_drv(st)->exec(c,
	    "INSERT INTO login_journal (id, at, account_id, org_id, event,"
	    " key_owner, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7,"
	    " $8)",
	    p, 8, NULL, NULL);
}

struct journal_scan {
	const struct store_driver *d;
	store_journal_fn fn;
	void *arg;
	int bad;
};

static int
journal_row(void *arg, const struct store_row *r)
{
	struct journal_scan *x = arg;
	const struct store_driver *d = x->d;
	struct store_journal j;

	memset(&j, 0, sizeof(j));
	j.id = d->row_int(r, 0);
	j.at = d->row_int(r, 1);
	if (store_row_copy_text(j.account_id, sizeof(j.account_id), d, r, 2) !=
		0 ||
	    store_row_copy_text(j.org_id, sizeof(j.org_id), d, r, 3) != 0 ||
	    store_row_copy_text(j.event, sizeof(j.event), d, r, 4) != 0 ||
	    store_row_copy_text(j.key_owner, sizeof(j.key_owner), d, r, 5) !=
		0) {
		x->bad = 1;
		return 1;
	}
	peek_blob(&j.ip, d, r, 6);
	peek_blob(&j.user_agent, d, r, 7);
	return x->fn(x->arg, &j) != 0;
}

int
store_journal_list(struct store *st, struct store_conn *c, const char *org_id,
    int64_t from, int64_t to, long limit, store_journal_fn fn, void *arg)
{
	struct journal_scan x = { store_drv(st), fn, arg, 0 };
	struct store_val p[4];

	p[0] = SV_T(org_id);
	p[1] = SV_I(from);
	p[2] = SV_I(to);
	p[3] = SV_I(limit > 0 ? limit : INT64_MAX);
	if (x.d->exec(c,
		"SELECT id, at, account_id, org_id, event, key_owner, ip,"
		" user_agent FROM login_journal"
		" WHERE ($1 IS NULL OR org_id = $1) AND at >= $2 AND at < $3"
		" ORDER BY at DESC, id DESC LIMIT $4",
		p, 4, journal_row, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

long
store_journal_delete_before(struct store *st, struct store_conn *c,
    int64_t before)
{
	struct store_val p[1];

	p[0] = SV_I(before);
	return exec_count(st, c,
	    "DELETE FROM login_journal WHERE at < $1 RETURNING 1", p, 1);
}

long
store_journal_delete_org_before(struct store *st, struct store_conn *c,
    const char *org_id, int64_t before)
{
	struct store_val p[2] = { SV_I(before), SV_T(org_id) };

	return exec_count(st, c,
	    "DELETE FROM login_journal WHERE at < $1 AND org_id = $2"
	    " RETURNING 1",
	    p, 2);
}

/* Throttling. */

static int
throttle_row(void *arg, const struct store_row *r)
{
	struct rd *x = arg;
	struct store_throttle *t = x->out;

	t->failures = x->d->row_int(r, 0);
	t->day_failures = x->d->row_int(r, 1);
	t->day_start = x->d->row_int(r, 2);
	t->last_failure_at = x->d->row_int(r, 3);
	t->locked_until = x->d->row_int(r, 4);
	t->alerted_at = x->d->row_int(r, 5);
	x->n++;
	return 1;
}

int
store_throttle_get(struct store *st, struct store_conn *c, const char *key,
    struct store_throttle *t)
{
	struct store_val p[1];
	struct rd x;

	memset(t, 0, sizeof(*t));
	x = (struct rd){ store_drv(st), t, 1, 0, 0 };
	p[0] = SV_T(key);
	if (x.d->exec(c,
		"SELECT failures, day_failures, day_start, last_failure_at,"
		" locked_until, alerted_at FROM throttle WHERE key = $1",
		p, 1, throttle_row, &x) != 0)
		return -1;
	return x.n == 0 ? 1 : 0;
}

int
store_throttle_put(struct store *st, struct store_conn *c, const char *key,
    const struct store_throttle *t)
{
	struct store_val p[7];

	p[0] = SV_T(key);
	p[1] = SV_I(t->failures);
	p[2] = SV_I(t->day_failures);
	p[3] = SV_I(t->day_start);
	p[4] = SV_I(t->last_failure_at);
	p[5] = SV_I(t->locked_until);
	p[6] = SV_I(t->alerted_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO throttle (key, failures, day_failures, day_start,"
	    " last_failure_at, locked_until, alerted_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7)"
	    " ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,"
	    " day_failures = excluded.day_failures,"
	    " day_start = excluded.day_start,"
	    " last_failure_at = excluded.last_failure_at,"
	    " locked_until = excluded.locked_until,"
	    " alerted_at = excluded.alerted_at",
	    p, 7, NULL, NULL);
}

int
store_throttle_reset(struct store *st, struct store_conn *c, const char *key)
{
	struct store_val p[1];

	p[0] = SV_T(key);
	return store_drv(st)->exec(c, "DELETE FROM throttle WHERE key = $1", p,
	    1, NULL, NULL);
}

long
store_throttle_purge(struct store *st, struct store_conn *c, int64_t before,
    int64_t now)
{
	struct store_val p[2];

	p[0] = SV_I(before);
	p[1] = SV_I(now);
	return exec_count(st, c,
	    "DELETE FROM throttle WHERE last_failure_at < $1"
	    " AND locked_until <= $2 RETURNING 1",
	    p, 2);
}

/* Known devices. */

int
store_device_insert(struct store *st, struct store_conn *c,
    const struct store_device *d)
{
	struct store_val p[5];

	p[0] = SV_B(d->token_hash, STORE_HASH_BYTES);
	p[1] = SV_T(d->account_id);
	p[2] = SV_I(d->created_at);
	p[3] = SV_I(d->last_used_at);
	p[4] = SV_I(d->expires_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO known_devices (token_hash, account_id, created_at,"
	    " last_used_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
	    p, 5, NULL, NULL);
}

static int
device_row(void *arg, const struct store_row *r)
{
	struct rd *x = arg;
	struct store_device *d = x->out;

	x->n++;
	if (get_hash(d->token_hash, x->d, r, 0) != 0 ||
	    store_row_copy_text(d->account_id, sizeof(d->account_id), x->d, r,
		1) != 0)
		x->bad = 1;
	d->created_at = x->d->row_int(r, 2);
	d->last_used_at = x->d->row_int(r, 3);
	d->expires_at = x->d->row_int(r, 4);
	return 1;
}

int
store_device_get(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], struct store_device *d)
{
	struct store_val p[1];
	struct rd x;

	memset(d, 0, sizeof(*d));
	x = (struct rd){ store_drv(st), d, 1, 0, 0 };
	p[0] = SV_B(token_hash, STORE_HASH_BYTES);
	if (x.d->exec(c,
		"SELECT token_hash, account_id, created_at, last_used_at,"
		" expires_at FROM known_devices WHERE token_hash = $1",
		p, 1, device_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.n == 0 ? 1 : 0;
}

int
store_device_touch(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], int64_t now)
{
	struct store_val p[2];

	p[0] = SV_B(token_hash, STORE_HASH_BYTES);
	p[1] = SV_I(now);
	return exec_one(st, c,
	    "UPDATE known_devices SET last_used_at = $2 WHERE token_hash = $1"
	    " RETURNING 1",
	    p, 2);
}

long
store_device_purge(struct store *st, struct store_conn *c, int64_t now)
{
	struct store_val p[1];

	p[0] = SV_I(now);
	return exec_count(st, c,
	    "DELETE FROM known_devices WHERE expires_at <= $1 RETURNING 1", p,
	    1);
}

/* For the rights of access and erasure (store/rights.h): every journal
 * entry and every grant of one account, with the row readers above. */
int
store_rights_journal_list(struct store *st, struct store_conn *c,
    const char *account_id, store_journal_fn fn, void *arg)
{
	struct journal_scan x = { store_drv(st), fn, arg, 0 };
	struct store_val p[1];

	p[0] = SV_T(account_id);
	if (x.d->exec(c,
		"SELECT id, at, account_id, org_id, event, key_owner, ip,"
		" user_agent FROM login_journal WHERE account_id = $1"
		" ORDER BY at DESC, id DESC",
		p, 1, journal_row, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

long
store_rights_grant_list(struct store *st, struct store_conn *c,
    const char *account_id, struct store_grant *out, size_t max)
{
	struct rd x = { store_drv(st), out, max, 0, 0 };
	struct store_val p[1];

	p[0] = SV_T(account_id);
	if (x.d->exec(c,
		"SELECT id, account_id, org_id, permission, granted_by,"
		" created_at, expires_at FROM grants WHERE account_id = $1"
		" ORDER BY created_at DESC, id",
		p, 1, grant_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.n;
}

void
store_blob_wipe(struct store_blob *b)
{
	if (b->p != NULL) {
		sodium_memzero(b->p, b->len);
		free(b->p);
	}
	b->p = NULL;
	b->len = 0;
}
