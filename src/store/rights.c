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
	/* The account's link to a remote authority goes with it (its
	 * tokens there are spent: the authority's grant expires). */
	if (exec_count(st, c,
		"DELETE FROM authority_links WHERE account_id = $1"
		" RETURNING 1",
		p, 1) < 0 ||
	    exec_count(st, c,
		"DELETE FROM authority_link_requests WHERE account_id = $1"
		" RETURNING 1",
		p, 1) < 0 ||
	    exec_count(st, c,
		"DELETE FROM authority_copies WHERE account_id = $1"
		" RETURNING 1",
		p, 1) < 0)
		return -1;
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
