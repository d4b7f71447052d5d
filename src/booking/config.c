/* config.c - the defaults of RULES.md and their checks. */
#include "booking/config.h"

#include <string.h>

struct booking_rules
booking_rules_default(void)
{
	struct booking_rules r;

	memset(&r, 0, sizeof(r));
	r.territory_delay_ms = 24 * BK_HOUR_MS;
	r.coefficient_centi = 500;
	r.basket_add_max = 4;
	r.basket_slots_max = 12;
	r.basket_ttl_ms = 15 * BK_MINUTE_MS;
	r.late_cancel_window_ms = 7 * BK_DAY_MS;
	r.delays_default.failure_ms = 10 * BK_DAY_MS;
	r.delays_default.late_cancel_ms = 30 * BK_DAY_MS;
	r.delays_default.absence_ms = 40 * BK_DAY_MS;
	r.mandate_months = 12;
	r.replacements_max = 2;
	r.notify_low_pct = 80;
	r.notify_full_pct = 100;
	return r;
}

static int
delays_valid(const struct booking_delays *d)
{
	return d->failure_ms >= 0 && d->late_cancel_ms >= 0 &&
	    d->absence_ms >= 0;
}

int
booking_rules_valid(const struct booking_rules *r)
{
	size_t i;

	if (r->territory_delay_ms < 0 || r->coefficient_centi < 0 ||
	    r->basket_add_max < 1 || r->basket_slots_max < 1 ||
	    r->basket_slots_max > BK_BASKET_CAP ||
	    r->basket_add_max > r->basket_slots_max || r->basket_ttl_ms < 1 ||
	    r->late_cancel_window_ms < 0 || r->mandate_months < 1 ||
	    r->replacements_max < 0 || r->notify_low_pct < 1 ||
	    r->notify_low_pct > r->notify_full_pct || r->notify_full_pct > 100)
		return -1;
	if (!delays_valid(&r->delays_default) || r->ndelays > BK_DELAYS_CAP)
		return -1;
	for (i = 0; i < r->ndelays; i++) {
		if (r->delays[i].category[0] == '\0' ||
		    memchr(r->delays[i].category, '\0', BK_CATEGORY_MAX) ==
			NULL ||
		    !delays_valid(&r->delays[i]))
			return -1;
	}
	return 0;
}

const struct booking_delays *
booking_rules_delays(const struct booking_rules *r, const char *category)
{
	size_t i;

	for (i = 0; i < r->ndelays && i < BK_DELAYS_CAP; i++)
		if (category != NULL &&
		    strncmp(r->delays[i].category, category, BK_CATEGORY_MAX) ==
			0)
			return &r->delays[i];
	return &r->delays_default;
}
