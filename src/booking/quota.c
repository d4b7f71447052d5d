/* quota.c - rule 3: the trainer threshold. */
#include "booking/quota.h"

#include <string.h>

#include "booking/caltime.h"

int64_t
quota_month(int64_t start_at)
{
	return caltime_paris_month(start_at);
}

int64_t
quota_coefficient(const struct booking_rules *r,
    const struct quota_coefficient *table, size_t n, const char *department,
    const char *category, int64_t month)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (table[i].month == month &&
		    strncmp(table[i].department, department,
			BK_DEPARTMENT_MAX) == 0 &&
		    strncmp(table[i].category, category, BK_CATEGORY_MAX) == 0)
			return table[i].centi;
	return r->coefficient_centi;
}

int64_t
quota_places(int64_t etp_centi, int64_t coefficient_centi)
{
	if (etp_centi <= 0 || coefficient_centi <= 0)
		return 0;
	/* ETP under 10^6 and coefficients under 10^6: no overflow. */
	if (etp_centi > 100000000 || coefficient_centi > 100000000)
		return 0;
	return etp_centi * coefficient_centi / 10000;
}

int64_t
quota_count(const struct bk_exam *exams, size_t n, int64_t school_id,
    const char *department, const char *category, int64_t month)
{
	int64_t count = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (exams[i].school_id == school_id &&
		    exams[i].status != EXAM_CANCELLED &&
		    strncmp(exams[i].department, department,
			BK_DEPARTMENT_MAX) == 0 &&
		    strncmp(exams[i].category, category, BK_CATEGORY_MAX) ==
			0 &&
		    quota_month(exams[i].start_at) == month)
			count++;
	return count;
}

int64_t
quota_places_left(int64_t quota, int64_t counted)
{
	return counted >= quota ? 0 : quota - counted;
}

enum bk_code
quota_check(int64_t quota, int64_t counted)
{
	return counted < quota ? BK_OK : BK_SEUIL_ATTEINT;
}

/* Has count reached pct % of quota? Exact in integers. */
static int
reached(int64_t count, int64_t quota, int pct)
{
	return count * 100 >= quota * pct;
}

unsigned
quota_thresholds_crossed(const struct booking_rules *r, int64_t before,
    int64_t after, int64_t quota)
{
	unsigned crossed = 0;

	if (quota <= 0 || after <= before)
		return 0;
	if (reached(after, quota, r->notify_low_pct) &&
	    !reached(before, quota, r->notify_low_pct))
		crossed |= QUOTA_CROSSED_LOW;
	if (reached(after, quota, r->notify_full_pct) &&
	    !reached(before, quota, r->notify_full_pct))
		crossed |= QUOTA_CROSSED_FULL;
	return crossed;
}
