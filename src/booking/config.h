/*
 * config.h - every configurable default of RULES.md in one struct, and the
 * hard ceilings of the booking domain.
 *
 * The defaults are those of RULES.md: territorial delay 24 h (chosen),
 * 5.0 places per ETP, baskets of at most 4 slots per action and 12 in
 * all expiring 15 min (chosen) after their first slot, waiting delays of
 * 10 days after a failure (chosen, per category), 30 days after a
 * cancellation less than 7 days before the exam and 40 days after an
 * absence, mandates expiring 12 months after activation (chosen), at most
 * 2 replacements per exam, notifications at 80 % and 100 % of a quota.
 */
#ifndef CRENEAU_BOOKING_CONFIG_H
#define CRENEAU_BOOKING_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define BK_MINUTE_MS INT64_C(60000)
#define BK_HOUR_MS (60 * BK_MINUTE_MS)
#define BK_DAY_MS (24 * BK_HOUR_MS)

#define BK_CATEGORY_MAX 8 /* bytes of a category code with its NUL */
#define BK_DEPARTMENT_MAX 4 /* "971" and its NUL */
#define BK_CENTRE_NAME_MAX 121 /* a centre's name, 120 bytes and the NUL */
#define BK_BASKET_CAP 32 /* ceiling on basket_slots_max */
#define BK_DELAYS_CAP 16 /* categories with their own waiting delays */
#define BK_NEPH_MIN 10
#define BK_NEPH_MAX 19

/* Waiting delays of rule 6 for one licence category ("" for all others). */
struct booking_delays {
	char category[BK_CATEGORY_MAX];
	int64_t failure_ms; /* after a failure */
	int64_t late_cancel_ms; /* after a late cancellation */
	int64_t absence_ms; /* after an absence */
};

struct booking_rules {
	int64_t territory_delay_ms; /* rule 2: local schools only until then */
	int64_t coefficient_centi; /* rule 3: places per ETP, x 100 */
	int basket_add_max; /* rule 4: slots added in one action */
	int basket_slots_max; /* rule 4: slots in one basket */
	int64_t basket_ttl_ms; /* rule 4: after the first slot added */
	int64_t late_cancel_window_ms; /* rule 6: "less than 7 days before" */
	struct booking_delays delays_default; /* rule 6 */
	struct booking_delays delays[BK_DELAYS_CAP]; /* per category */
	size_t ndelays;
	int mandate_months; /* rule 1: expiry after activation */
	int replacements_max; /* rule 8: per exam */
	int notify_low_pct; /* rule 3: first notification */
	int notify_full_pct; /* rule 3: quota reached */
};

/* Returns the defaults of RULES.md (see above). Pure. */
struct booking_rules booking_rules_default(void);

/*
 * Checks that r can be used: every delay and count positive, basket
 * limits within BK_BASKET_CAP and add_max <= slots_max, notification
 * percentages in 1..100 and increasing, per-category entries named.
 * Returns 0 when valid, -1 otherwise.
 */
int booking_rules_valid(const struct booking_rules *r);

/*
 * Returns the waiting delays of rule 6 for category: its own entry of
 * r->delays when there is one, r->delays_default otherwise. Never NULL;
 * the result points into r.
 */
const struct booking_delays *booking_rules_delays(const struct booking_rules *r,
    const char *category);

#endif
