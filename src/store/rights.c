/* rights.c (store) - SQL for the rights of access and erasure. */
#include "store/rights.h"

#include <string.h>

#include "store/driver.h"

/* Row callback counting rows (for DELETE ... RETURNING and counts). */
static int
count_row(void *arg, const struct store_row *r)
{
	long *n = arg;

	(void)r;
	(*n)++;
	return 0;
}

static long
exec_count(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t np)
{
	long n = 0;

	if (store_drv(st)->exec(c, sql, p, np, count_row, &n) != 0)
		return -1;
	return n;
}

/* Copies a text column into dst (size bytes); NULL gives "". Returns 0,
 * or -1 if it does not fit. */
static int
get_text(char *dst, size_t size, const struct store_driver *d,
    const struct store_row *r, int col)
{
	const char *s;
	size_t n;

	dst[0] = '\0';
	if (d->row_is_null(r, col) || (s = d->row_text(r, col)) == NULL)
		return 0;
	n = strlen(s);
	if (n >= size)
		return -1;
	memcpy(dst, s, n + 1);
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
	if (get_text(j.account_id, sizeof(j.account_id), d, r, 2) != 0 ||
	    get_text(j.org_id, sizeof(j.org_id), d, r, 3) != 0 ||
	    get_text(j.event, sizeof(j.event), d, r, 4) != 0 ||
	    get_text(j.key_owner, sizeof(j.key_owner), d, r, 5) != 0) {
		x->bad = 1;
		return 1;
	}
	peek_blob(&j.ip, d, r, 6);
	peek_blob(&j.user_agent, d, r, 7);
	return x->fn(x->arg, &j) != 0;
}

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

struct grant_scan {
	const struct store_driver *d;
	struct store_grant *out;
	size_t max;
	long n;
	int bad;
};

static int
grant_row(void *arg, const struct store_row *r)
{
	struct grant_scan *x = arg;
	struct store_grant *g;

	if ((size_t)x->n < x->max) {
		g = &x->out[x->n];
		memset(g, 0, sizeof(*g));
		if (get_text(g->id, sizeof(g->id), x->d, r, 0) != 0 ||
		    get_text(g->account_id, sizeof(g->account_id), x->d, r,
			1) != 0 ||
		    get_text(g->org_id, sizeof(g->org_id), x->d, r, 2) != 0 ||
		    get_text(g->permission, sizeof(g->permission), x->d, r,
			3) != 0 ||
		    get_text(g->granted_by, sizeof(g->granted_by), x->d, r,
			4) != 0)
			x->bad = 1;
		g->created_at = x->d->row_int(r, 5);
		g->expires_at = x->d->row_int(r, 6);
	}
	x->n++;
	return 0;
}

long
store_rights_grant_list(struct store *st, struct store_conn *c,
    const char *account_id, struct store_grant *out, size_t max)
{
	struct grant_scan x = { store_drv(st), out, max, 0, 0 };
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

long
store_rights_grant_delete(struct store *st, struct store_conn *c,
    const char *account_id)
{
	struct store_val p[1];

	p[0] = SV_T(account_id);
	return exec_count(st, c,
	    "DELETE FROM grants WHERE account_id = $1 RETURNING 1", p, 1);
}

long
store_rights_role_delete(struct store *st, struct store_conn *c,
    const char *account_id)
{
	struct store_val p[1];

	p[0] = SV_T(account_id);
	return exec_count(st, c,
	    "DELETE FROM account_roles WHERE account_id = $1 RETURNING 1", p,
	    1);
}

long
store_rights_recovery_delete(struct store *st, struct store_conn *c,
    const char *account_id)
{
	struct store_val p[1];

	p[0] = SV_T(account_id);
	return exec_count(st, c,
	    "DELETE FROM recovery_codes WHERE account_id = $1 RETURNING 1", p,
	    1);
}

int
store_rights_account_delete(struct store *st, struct store_conn *c,
    const char *id)
{
	struct store_val p[1];
	long n;

	p[0] = SV_T(id);
	n = exec_count(st, c, "DELETE FROM accounts WHERE id = $1 RETURNING 1",
	    p, 1);
	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

long
store_rights_role_others(struct store *st, struct store_conn *c,
    const char *role, const char *except)
{
	struct store_val p[2];

	p[0] = SV_T(role);
	p[1] = SV_T(except);
	return exec_count(st, c,
	    "SELECT DISTINCT r.account_id FROM account_roles r"
	    " JOIN accounts a ON a.id = r.account_id"
	    " WHERE r.role = $1 AND r.account_id <> $2"
	    " AND a.status = 'active'",
	    p, 2);
}
