/* rules.c (service) - the booking rules' numbers from the configuration. */
#include "core/config.h"
#include "service/service.h"

struct booking_rules
svc_rules_from_config(const struct config *cfg)
{
	struct booking_rules r = booking_rules_default();

	r.territory_delay_ms = cfg->booking_territory_delay_hours * BK_HOUR_MS;
	r.coefficient_centi = cfg->booking_places_per_etp_centi;
	r.basket_add_max = (int)cfg->booking_basket_add_max;
	r.basket_slots_max = (int)cfg->booking_basket_slots_max;
	r.basket_ttl_ms = cfg->booking_basket_ttl_minutes * BK_MINUTE_MS;
	r.late_cancel_window_ms =
	    cfg->booking_late_cancel_window_days * BK_DAY_MS;
	r.delays_default.failure_ms =
	    cfg->booking_delay_failure_days * BK_DAY_MS;
	r.delays_default.late_cancel_ms =
	    cfg->booking_delay_late_cancel_days * BK_DAY_MS;
	r.delays_default.absence_ms =
	    cfg->booking_delay_absence_days * BK_DAY_MS;
	r.mandate_months = (int)cfg->booking_mandate_months;
	r.replacements_max = (int)cfg->booking_replacements_max;
	r.notify_low_pct = (int)cfg->booking_notify_low_pct;
	return r;
}
