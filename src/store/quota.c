/* quota.c (store) - SQL for coefficients and trainers' ETP. */
#include "store/quota.h"

#include "store/driver.h"

int
store_coefficient_get(struct store *st, struct store_conn *c,
    const char *department, const char *category, int64_t month, int64_t *centi)
{
	struct store_val p[3] = { SV_T(department), SV_T(category),
		SV_I(month) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"SELECT centi FROM coefficients WHERE department = $1"
		" AND category = $2 AND month = $3",
		p, 3, store_row_int, &o) != 0)
		return -1;
	*centi = o.v;
	return o.found ? 0 : 1;
}

int
store_school_etp(struct store *st, struct store_conn *c, int64_t school,
    const char *department, const char *category, int64_t *etp_centi)
{
	struct store_val p[3] = { SV_I(school), SV_T(department),
		SV_T(category) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"SELECT COALESCE(SUM(etp_centi), 0) FROM trainer_etp"
		" WHERE school_id = $1 AND department = $2 AND category = $3",
		p, 3, store_row_int, &o) != 0)
		return -1;
	*etp_centi = o.v;
	return 0;
}
