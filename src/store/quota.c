/* quota.c (store) - SQL for coefficients, establishments and trainer
 * ETP. */
#include "store/quota.h"

#include <string.h>

#include "store/driver.h"

int
store_coefficient_set(struct store *st, struct store_conn *c,
    const struct quota_coefficient *q, const char *set_by, int64_t now)
{
	struct store_val p[6];

	p[0] = SV_T(q->department);
	p[1] = SV_T(q->category);
	p[2] = SV_I(q->month);
	p[3] = SV_I(q->centi);
	p[4] = SV_T(set_by);
	p[5] = SV_I(now);
	return store_drv(st)->exec(c,
		   "INSERT INTO coefficients (department, category, month,"
		   " centi, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)"
		   " ON CONFLICT (department, category, month) DO UPDATE SET"
		   " centi = excluded.centi, set_by = excluded.set_by,"
		   " set_at = excluded.set_at",
		   p, 6, NULL, NULL) != 0
	    ? -1
	    : 0;
}

int
store_coefficient_get(struct store *st, struct store_conn *c, const char *dept,
    const char *category, int64_t month_yyyymm, int64_t *centi)
{
	struct store_val p[3] = { SV_T(dept), SV_T(category),
		SV_I(month_yyyymm) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"SELECT centi FROM coefficients WHERE department = $1"
		" AND category = $2 AND month = $3",
		p, 3, store_row_int, &o) != 0)
		return -1;
	if (!o.found)
		return 1;
	*centi = o.v;
	return 0;
}

/* The driver stops a walk when a row callback returns non-zero but
 * reports success: a row that does not read is flagged in bad. */
struct coef_walk {
	const struct store_driver *d;
	store_coefficient_fn fn;
	void *arg;
	int bad;
};

static int
coef_row(void *arg, const struct store_row *r)
{
	struct coef_walk *w = arg;
	struct quota_coefficient q;

	memset(&q, 0, sizeof(q));
	q.month = w->d->row_int(r, 2);
	q.centi = w->d->row_int(r, 3);
	w->bad = store_row_copy_text(q.department, sizeof(q.department), w->d,
		     r, 0) != 0 ||
	    store_row_copy_text(q.category, sizeof(q.category), w->d, r, 1) !=
		0 ||
	    w->fn(w->arg, &q) != 0;
	return w->bad;
}

int
store_coefficients_list(struct store *st, struct store_conn *c,
    const char *dept, int64_t month, store_coefficient_fn fn, void *arg)
{
	struct store_val p[2] = { SV_T(dept != NULL ? dept : ""), SV_I(month) };
	struct coef_walk w = { store_drv(st), fn, arg, 0 };

	if (w.d->exec(c,
		"SELECT department, category, month, centi FROM coefficients"
		" WHERE ($1 = '' OR department = $1)"
		" AND ($2 = 0 OR month = $2)"
		" ORDER BY department, category, month",
		p, 2, coef_row, &w) != 0 ||
	    w.bad)
		return -1;
	return 0;
}

int
store_school_departments_set(struct store *st, struct store_conn *c,
    int64_t school_id, const char (*depts)[BK_DEPARTMENT_MAX], size_t n)
{
	struct store_val p[2];
	size_t i;

	if (n > STORE_SCHOOL_DEPTS_MAX)
		return -1;
	p[0] = SV_I(school_id);
	if (store_drv(st)->exec(c,
		"DELETE FROM school_departments WHERE school_id = $1", p, 1,
		NULL, NULL) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		p[1] = SV_T(depts[i]);
		if (store_drv(st)->exec(c,
			"INSERT INTO school_departments (school_id,"
			" department) VALUES ($1, $2)",
			p, 2, NULL, NULL) != 0)
			return -1;
	}
	return 0;
}

int
store_trainer_etp_set(struct store *st, struct store_conn *c, int64_t school_id,
    const struct store_trainer_etp *rows, size_t n)
{
	struct store_val p[5];
	size_t i;

	if (n > STORE_TRAINER_ETP_MAX)
		return -1;
	p[0] = SV_I(school_id);
	if (store_drv(st)->exec(c,
		"DELETE FROM trainer_etp WHERE school_id = $1", p, 1, NULL,
		NULL) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		p[1] = SV_T(rows[i].trainer);
		p[2] = SV_T(rows[i].department);
		p[3] = SV_T(rows[i].category);
		p[4] = SV_I(rows[i].etp_centi);
		if (store_drv(st)->exec(c,
			"INSERT INTO trainer_etp (school_id, trainer_ref,"
			" department, category, etp_centi)"
			" VALUES ($1, $2, $3, $4, $5)",
			p, 5, NULL, NULL) != 0)
			return -1;
	}
	return 0;
}

struct etp_list {
	const struct store_driver *d;
	struct store_trainer_etp *out;
	size_t max, n;
	int bad;
};

static int
etp_row(void *arg, const struct store_row *r)
{
	struct etp_list *l = arg;
	struct store_trainer_etp *t;

	if (l->n >= l->max)
		return 1;
	t = &l->out[l->n];
	memset(t, 0, sizeof(*t));
	t->etp_centi = l->d->row_int(r, 3);
	l->bad = store_row_copy_text(t->trainer, sizeof(t->trainer), l->d, r,
		     0) != 0 ||
	    store_row_copy_text(t->department, sizeof(t->department), l->d, r,
		1) != 0 ||
	    store_row_copy_text(t->category, sizeof(t->category), l->d, r, 2) !=
		0;
	if (!l->bad)
		l->n++;
	return l->bad;
}

int
store_trainer_etp_list(struct store *st, struct store_conn *c,
    int64_t school_id, struct store_trainer_etp *out, size_t max, size_t *n)
{
	struct store_val p[1] = { SV_I(school_id) };
	struct etp_list l = { store_drv(st), out, max, 0, 0 };
	int rc;

	rc = l.d->exec(c,
	    "SELECT trainer_ref, department, category, etp_centi"
	    " FROM trainer_etp WHERE school_id = $1"
	    " ORDER BY trainer_ref, department, category",
	    p, 1, etp_row, &l);
	*n = l.n;
	return rc != 0 || l.bad ? -1 : 0;
}

int
store_school_etp(struct store *st, struct store_conn *c, int64_t school_id,
    const char *dept, const char *category, int64_t *etp_centi)
{
	struct store_val p[3] = { SV_I(school_id), SV_T(dept), SV_T(category) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	/* COALESCE: a school without trainers there has 0 ETP, not none. */
	if (store_drv(st)->exec(c,
		"SELECT COALESCE(SUM(etp_centi), 0) FROM trainer_etp"
		" WHERE school_id = $1 AND department = $2"
		" AND category = $3",
		p, 3, store_row_int, &o) != 0)
		return -1;
	*etp_centi = o.found ? o.v : 0;
	return 0;
}

struct org_walk {
	const struct store_driver *d;
	store_school_org_fn fn;
	void *arg;
	int bad;
};

static int
org_row(void *arg, const struct store_row *r)
{
	struct org_walk *w = arg;
	struct store_school_org o;

	memset(&o, 0, sizeof(o));
	o.school_id = w->d->row_is_null(r, 2) ? 0 : w->d->row_int(r, 2);
	w->bad =
	    store_row_copy_text(o.org_id, sizeof(o.org_id), w->d, r, 0) != 0 ||
	    store_row_copy_text(o.name, sizeof(o.name), w->d, r, 1) != 0 ||
	    w->fn(w->arg, &o) != 0;
	return w->bad;
}

int
store_school_orgs(struct store *st, struct store_conn *c,
    store_school_org_fn fn, void *arg)
{
	struct org_walk w = { store_drv(st), fn, arg, 0 };

	if (w.d->exec(c,
		"SELECT o.id, o.name, s.id FROM organisations o"
		" LEFT JOIN schools s ON s.org_id = o.id"
		" WHERE o.kind = 'school' ORDER BY o.name, o.id",
		NULL, 0, org_row, &w) != 0 ||
	    w.bad)
		return -1;
	return 0;
}
