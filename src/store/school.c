/* school.c (store) - SQL for schools and their departments. */
#include "store/school.h"

#include <stdio.h>
#include <string.h>

#include "store/driver.h"

int
store_school_id(struct store *st, struct store_conn *c, const char *org_id,
    int64_t *id)
{
	struct store_val p[1] = { SV_T(org_id) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c, "SELECT id FROM schools WHERE org_id = $1",
		p, 1, store_row_int, &o) != 0)
		return -1;
	*id = o.v;
	return o.found ? 0 : 1;
}

int
store_school_ensure(struct store *st, struct store_conn *c, const char *org_id,
    int64_t now, int64_t *id)
{
	struct store_val p[2] = { SV_T(org_id), SV_I(now) };
	int rc;

	if ((rc = store_school_id(st, c, org_id, id)) != 1)
		return rc;
	/* Only an organisation of kind school becomes a school. */
	if (store_drv(st)->exec(c,
		"INSERT INTO schools (org_id, created_at)"
		" SELECT id, $2 FROM organisations"
		" WHERE id = $1 AND kind = 'school'",
		p, 2, NULL, NULL) != 0)
		return -1;
	return store_school_id(st, c, org_id, id);
}

struct text_out {
	const struct store_driver *d;
	char *dst;
	size_t size;
	int found;
};

static int
one_text(void *arg, const struct store_row *r)
{
	struct text_out *o = arg;

	o->found = 1;
	return store_row_copy_text(o->dst, o->size, o->d, r, 0);
}

int
store_school_org(struct store *st, struct store_conn *c, int64_t id,
    char *org_id, size_t size)
{
	struct store_val p[1] = { SV_I(id) };
	struct text_out o = { store_drv(st), org_id, size, 0 };

	if (size > 0)
		org_id[0] = '\0';
	if (store_drv(st)->exec(c, "SELECT org_id FROM schools WHERE id = $1",
		p, 1, one_text, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct depts_out {
	const struct store_driver *d;
	char (*depts)[BK_DEPARTMENT_MAX];
	size_t n;
};

static int
dept_row(void *arg, const struct store_row *r)
{
	struct depts_out *o = arg;

	if (o->n >= STORE_SCHOOL_DEPTS_MAX)
		return 0;
	if (store_row_copy_text(o->depts[o->n], BK_DEPARTMENT_MAX, o->d, r,
		0) != 0)
		return -1;
	o->n++;
	return 0;
}

int
store_school_departments(struct store *st, struct store_conn *c, int64_t id,
    char depts[][BK_DEPARTMENT_MAX], size_t *n)
{
	struct store_val p[1] = { SV_I(id) };
	struct depts_out o = { store_drv(st), depts, 0 };
	int rc;

	rc = store_drv(st)->exec(c,
	    "SELECT department FROM school_departments WHERE school_id = $1"
	    " ORDER BY department",
	    p, 1, dept_row, &o);
	*n = o.n;
	return rc;
}
