/* privacy.c (store) - SQL for consents, acknowledgements, rights requests. */
#include "store/privacy.h"

#include <stdlib.h>
#include <string.h>

#include "store/driver.h"

/* An optional time: 0 is SQL NULL. */
static struct store_val
opt_time(int64_t t)
{
	return t != 0 ? SV_I(t) : SV_T(NULL);
}

static int64_t
row_time(const struct store_driver *d, const struct store_row *r, int col)
{
	return d->row_is_null(r, col) ? 0 : d->row_int(r, col);
}

/* Row callback counting rows (RETURNING tells what changed). */
static int
count_row(void *arg, const struct store_row *r)
{
	(void)r;
	(*(long *)arg)++;
	return 0;
}

/* ------------------------------------------------------------ consents */

#define CONSENT_COLS                                                           \
	"id, account_id, purpose, policy_version, given_at, given_via,"        \
	" withdrawn_at, withdrawn_via"

static int
consent_row(const struct store_driver *d, const struct store_row *r,
    struct store_consent *o)
{
	memset(o, 0, sizeof(*o));
	o->id = d->row_int(r, 0);
	if (store_row_copy_text(o->account_id, sizeof(o->account_id), d, r,
		1) != 0 ||
	    store_row_copy_text(o->purpose, sizeof(o->purpose), d, r, 2) != 0 ||
	    store_row_copy_text(o->policy_version, sizeof(o->policy_version), d,
		r, 3) != 0 ||
	    store_row_copy_text(o->given_via, sizeof(o->given_via), d, r, 5) !=
		0 ||
	    store_row_copy_text(o->withdrawn_via, sizeof(o->withdrawn_via), d,
		r, 7) != 0)
		return -1;
	o->given_at = d->row_int(r, 4);
	o->withdrawn_at = row_time(d, r, 6);
	return 0;
}

struct consent_scan {
	const struct store_driver *d;
	struct store_consent *one; /* get: the row */
	store_consent_fn fn; /* list: the callback */
	void *arg;
	int found, bad;
};

static int
consent_each(void *arg, const struct store_row *r)
{
	struct consent_scan *x = arg;
	struct store_consent row;

	if (consent_row(x->d, r, x->one != NULL ? x->one : &row) != 0) {
		x->bad = 1;
		return 1;
	}
	x->found = 1;
	if (x->one != NULL)
		return 1;
	if (x->fn(x->arg, &row) != 0) {
		x->bad = 1;
		return 1;
	}
	return 0;
}

int
store_consent_open_get(struct store *st, struct store_conn *c,
    const char *account_id, const char *purpose, struct store_consent *out)
{
	struct consent_scan x = { store_drv(st), NULL, NULL, NULL, 0, 0 };
	struct store_val p[2];

	memset(out, 0, sizeof(*out));
	x.one = out;
	p[0] = SV_T(account_id);
	p[1] = SV_T(purpose);
	if (x.d->exec(c,
		"SELECT " CONSENT_COLS " FROM consents WHERE account_id = $1"
		" AND purpose = $2 AND withdrawn_at IS NULL",
		p, 2, consent_each, &x) != 0 ||
	    x.bad)
		return -1;
	return x.found ? 0 : 1;
}

int
store_consent_insert(struct store *st, struct store_conn *c,
    const struct store_consent *in)
{
	struct store_val p[5];

	p[0] = SV_T(in->account_id);
	p[1] = SV_T(in->purpose);
	p[2] = SV_T(in->policy_version);
	p[3] = SV_I(in->given_at);
	p[4] = SV_T(in->given_via);
	return store_drv(st)->exec(c,
	    "INSERT INTO consents (account_id, purpose, policy_version,"
	    " given_at, given_via) VALUES ($1, $2, $3, $4, $5)",
	    p, 5, NULL, NULL);
}

int
store_consent_close(struct store *st, struct store_conn *c, int64_t id,
    int64_t at, const char *via)
{
	struct store_val p[3];
	long n = 0;

	p[0] = SV_I(id);
	p[1] = SV_I(at);
	p[2] = SV_T(via);
	if (store_drv(st)->exec(c,
		"UPDATE consents SET withdrawn_at = $2, withdrawn_via = $3"
		" WHERE id = $1 AND withdrawn_at IS NULL RETURNING id",
		p, 3, count_row, &n) != 0)
		return -1;
	return n == 0 ? 1 : 0;
}

int
store_consent_list(struct store *st, struct store_conn *c,
    const char *account_id, store_consent_fn fn, void *arg)
{
	struct consent_scan x = { store_drv(st), NULL, fn, arg, 0, 0 };
	struct store_val p[1];

	p[0] = SV_T(account_id);
	if (x.d->exec(c,
		"SELECT " CONSENT_COLS " FROM consents WHERE account_id = $1"
		" ORDER BY given_at DESC, id DESC",
		p, 1, consent_each, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

int
store_policy_ack_insert(struct store *st, struct store_conn *c,
    const char *account_id, const char *version, int64_t at)
{
	struct store_val p[3];

	p[0] = SV_T(account_id);
	p[1] = SV_T(version);
	p[2] = SV_I(at);
	return store_drv(st)->exec(c,
	    "INSERT INTO policy_acks (account_id, version, acknowledged_at)"
	    " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
	    p, 3, NULL, NULL);
}

/* Reads one optional integer (first column) of a one-row query. */
static int
one_time(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t np, int64_t *at)
{
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c, sql, p, np, store_row_int, &o) != 0)
		return -1;
	*at = o.found ? o.v : 0;
	return o.found ? 0 : 1;
}

int
store_policy_ack_get(struct store *st, struct store_conn *c,
    const char *account_id, const char *version, int64_t *at)
{
	struct store_val p[2];

	p[0] = SV_T(account_id);
	p[1] = SV_T(version);
	return one_time(st, c,
	    "SELECT acknowledged_at FROM policy_acks WHERE account_id = $1"
	    " AND version = $2",
	    p, 2, at);
}

struct ack_scan {
	const struct store_driver *d;
	int (*fn)(void *arg, const char *version, int64_t at);
	void *arg;
};

static int
ack_each(void *arg, const struct store_row *r)
{
	struct ack_scan *x = arg;
	const char *v = x->d->row_text(r, 0);

	return x->fn(x->arg, v != NULL ? v : "", x->d->row_int(r, 1));
}

int
store_policy_ack_list(struct store *st, struct store_conn *c,
    const char *account_id,
    int (*fn)(void *arg, const char *version, int64_t at), void *arg)
{
	struct ack_scan x = { store_drv(st), fn, arg };
	struct store_val p[1];

	p[0] = SV_T(account_id);
	return x.d->exec(c,
		   "SELECT version, acknowledged_at FROM policy_acks"
		   " WHERE account_id = $1 ORDER BY acknowledged_at, version",
		   p, 1, ack_each, &x) != 0
	    ? -1
	    : 0;
}

/* ------------------------------------------------------------ accounts */

int
store_account_restrict(struct store *st, struct store_conn *c, const char *id,
    int64_t at)
{
	struct store_val p[2];
	long n = 0;

	p[0] = SV_T(id);
	p[1] = opt_time(at);
	if (store_drv(st)->exec(c,
		"UPDATE accounts SET restricted_at = $2 WHERE id = $1"
		" RETURNING id",
		p, 2, count_row, &n) != 0)
		return -1;
	return n == 0 ? 1 : 0;
}

int
store_account_restricted(struct store *st, struct store_conn *c, const char *id,
    int64_t *at)
{
	struct store_val p[1];

	p[0] = SV_T(id);
	return one_time(st, c,
	    "SELECT COALESCE(restricted_at, 0) FROM accounts WHERE id = $1", p,
	    1, at);
}

int
store_account_name_set(struct store *st, struct store_conn *c, const char *id,
    const struct store_blob *name)
{
	struct store_val p[2];
	long n = 0;

	p[0] = SV_T(id);
	p[1] = SV_B(name->p, name->len);
	if (store_drv(st)->exec(c,
		"UPDATE accounts SET display_name = $2 WHERE id = $1"
		" RETURNING id",
		p, 2, count_row, &n) != 0)
		return -1;
	return n == 0 ? 1 : 0;
}

struct each_account {
	const struct store_driver *d;
	int (*fn)(void *arg, const char *account_id);
	void *arg;
	int bad;
};

static int
account_each(void *arg, const struct store_row *r)
{
	struct each_account *e = arg;
	char id[STORE_ID_MAX];

	if (store_row_copy_text(id, sizeof(id), e->d, r, 0) != 0 ||
	    e->fn(e->arg, id) != 0) {
		e->bad = 1;
		return 1;
	}
	return 0;
}

int
store_org_role_accounts(struct store *st, struct store_conn *c,
    const char *org_id, const char *role,
    int (*fn)(void *arg, const char *account_id), void *arg)
{
	struct each_account e = { store_drv(st), fn, arg, 0 };
	struct store_val p[2];

	p[0] = SV_T(org_id);
	p[1] = SV_T(role);
	if (e.d->exec(c,
		"SELECT DISTINCT r.account_id FROM account_roles r"
		" JOIN accounts a ON a.id = r.account_id"
		" WHERE r.org_id = $1 AND r.role = $2 AND a.status = 'active'"
		" ORDER BY r.account_id",
		p, 2, account_each, &e) != 0 ||
	    e.bad)
		return -1;
	return 0;
}

/* ------------------------------------------------------ rights requests */

#define RR_COLS                                                                \
	"id, org_id, kind, subject_account, received_at,"                      \
	" identity_verified_at, due_at, extended_months, state, closed_at,"    \
	" opened_by, updated_at, reminded_7_at, reminded_1_at, details"

/* Fills o from r; details borrowed. Returns 0 or -1. */
static int
rr_row(const struct store_driver *d, const struct store_row *r,
    struct store_rights_request *o)
{
	const void *p;
	size_t n = 0;

	memset(o, 0, sizeof(*o));
	if (store_row_copy_text(o->id, sizeof(o->id), d, r, 0) != 0 ||
	    store_row_copy_text(o->org_id, sizeof(o->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(o->kind, sizeof(o->kind), d, r, 2) != 0 ||
	    store_row_copy_text(o->subject_account, sizeof(o->subject_account),
		d, r, 3) != 0 ||
	    store_row_copy_text(o->state, sizeof(o->state), d, r, 8) != 0 ||
	    store_row_copy_text(o->opened_by, sizeof(o->opened_by), d, r, 10) !=
		0)
		return -1;
	o->received_at = d->row_int(r, 4);
	o->identity_verified_at = row_time(d, r, 5);
	o->due_at = d->row_int(r, 6);
	o->extended_months = (int)d->row_int(r, 7);
	o->closed_at = row_time(d, r, 9);
	o->updated_at = d->row_int(r, 11);
	o->reminded_7_at = row_time(d, r, 12);
	o->reminded_1_at = row_time(d, r, 13);
	if (d->row_is_null(r, 14) || (p = d->row_blob(r, 14, &n)) == NULL)
		return -1;
	o->details.p = (unsigned char *)(uintptr_t)p;
	o->details.len = n;
	return 0;
}

int
store_rr_insert(struct store *st, struct store_conn *c,
    const struct store_rights_request *r)
{
	struct store_val p[15];

	p[0] = SV_T(r->id);
	p[1] = SV_T(r->org_id);
	p[2] = SV_T(r->kind);
	p[3] = SV_T(r->subject_account[0] ? r->subject_account : NULL);
	p[4] = SV_I(r->received_at);
	p[5] = opt_time(r->identity_verified_at);
	p[6] = SV_I(r->due_at);
	p[7] = SV_I(r->extended_months);
	p[8] = SV_T(r->state);
	p[9] = opt_time(r->closed_at);
	p[10] = SV_T(r->opened_by[0] ? r->opened_by : NULL);
	p[11] = SV_I(r->updated_at);
	p[12] = opt_time(r->reminded_7_at);
	p[13] = opt_time(r->reminded_1_at);
	p[14] = SV_B(r->details.p, r->details.len);
	return store_drv(st)->exec(c,
	    "INSERT INTO rights_requests (" RR_COLS ") VALUES ($1, $2, $3,"
	    " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
	    p, 15, NULL, NULL);
}

int
store_rr_update(struct store *st, struct store_conn *c,
    const struct store_rights_request *r)
{
	struct store_val p[10];
	long n = 0;

	p[0] = SV_T(r->id);
	p[1] = opt_time(r->identity_verified_at);
	p[2] = SV_I(r->due_at);
	p[3] = SV_I(r->extended_months);
	p[4] = SV_T(r->state);
	p[5] = opt_time(r->closed_at);
	p[6] = SV_I(r->updated_at);
	p[7] = opt_time(r->reminded_7_at);
	p[8] = opt_time(r->reminded_1_at);
	p[9] = SV_B(r->details.p, r->details.len);
	if (store_drv(st)->exec(c,
		"UPDATE rights_requests SET identity_verified_at = $2,"
		" due_at = $3, extended_months = $4, state = $5,"
		" closed_at = $6, updated_at = $7, reminded_7_at = $8,"
		" reminded_1_at = $9, details = $10 WHERE id = $1 RETURNING id",
		p, 10, count_row, &n) != 0)
		return -1;
	return n == 0 ? 1 : 0;
}

struct rr_scan {
	const struct store_driver *d;
	struct store_rights_request *one;
	store_rr_fn fn;
	void *arg;
	int found, bad;
};

static int
rr_each(void *arg, const struct store_row *r)
{
	struct rr_scan *x = arg;
	struct store_rights_request row;

	if (rr_row(x->d, r, &row) != 0) {
		x->bad = 1;
		return 1;
	}
	if (x->one != NULL) {
		if ((x->one->details.p = malloc(
			 row.details.len ? row.details.len : 1)) == NULL) {
			x->bad = 1;
			return 1;
		}
		memcpy(x->one->details.p, row.details.p, row.details.len);
		row.details.p = x->one->details.p;
		*x->one = row;
		x->found = 1;
		return 1;
	}
	if (x->fn(x->arg, &row) != 0) {
		x->bad = 1;
		return 1;
	}
	return 0;
}

int
store_rr_get(struct store *st, struct store_conn *c, const char *id,
    struct store_rights_request *out)
{
	struct rr_scan x = { store_drv(st), NULL, NULL, NULL, 0, 0 };
	struct store_val p[1];

	memset(out, 0, sizeof(*out));
	x.one = out;
	p[0] = SV_T(id);
	if (x.d->exec(c,
		"SELECT " RR_COLS " FROM rights_requests WHERE id = $1", p, 1,
		rr_each, &x) != 0 ||
	    x.bad) {
		free(out->details.p);
		out->details.p = NULL;
		return -1;
	}
	return x.found ? 0 : 1;
}

int
store_rr_list(struct store *st, struct store_conn *c, const char *org_id,
    store_rr_fn fn, void *arg)
{
	struct rr_scan x = { store_drv(st), NULL, fn, arg, 0, 0 };
	struct store_val p[1];

	p[0] = SV_T(org_id);
	if (x.d->exec(c,
		"SELECT " RR_COLS " FROM rights_requests WHERE org_id = $1"
		" ORDER BY received_at DESC, id",
		p, 1, rr_each, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

int
store_rr_list_subject(struct store *st, struct store_conn *c,
    const char *account_id, store_rr_fn fn, void *arg)
{
	struct rr_scan x = { store_drv(st), NULL, fn, arg, 0, 0 };
	struct store_val p[1];

	p[0] = SV_T(account_id);
	if (x.d->exec(c,
		"SELECT " RR_COLS " FROM rights_requests"
		" WHERE subject_account = $1 ORDER BY received_at DESC, id",
		p, 1, rr_each, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

int
store_rr_reminders_due(struct store *st, struct store_conn *c, int64_t now,
    int64_t week_ms, int64_t day_ms, store_rr_fn fn, void *arg)
{
	struct rr_scan x = { store_drv(st), NULL, fn, arg, 0, 0 };
	struct store_val p[3];

	p[0] = SV_I(now);
	p[1] = SV_I(week_ms);
	p[2] = SV_I(day_ms);
	if (x.d->exec(c,
		"SELECT " RR_COLS " FROM rights_requests"
		" WHERE state NOT IN ('done', 'refused') AND"
		" ((reminded_7_at IS NULL AND due_at - $2 <= $1) OR"
		" (reminded_1_at IS NULL AND due_at - $3 <= $1))"
		" ORDER BY due_at, id",
		p, 3, rr_each, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

long
store_rr_purge(struct store *st, struct store_conn *c, int64_t cutoff)
{
	struct store_val p[1];
	long n = 0;

	p[0] = SV_I(cutoff);
	if (store_drv(st)->exec(c,
		"DELETE FROM rights_requests WHERE received_at < $1 AND"
		" state IN ('done', 'refused') RETURNING id",
		p, 1, count_row, &n) != 0)
		return -1;
	return n;
}
